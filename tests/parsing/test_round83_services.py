"""What blind QA round 83 (Mastodon, OpenSIPS, Knot DNS, Greenbone, snapd) found in reading
each log's lines, and what they read as now."""

from __future__ import annotations

import random


def test_the_state_a_thing_changed_to_is_an_event_of_its_own(log_parsed):
    """QA Greenbone: gvmd's `Status of task <name> (<uuid>) has changed to Requested`,
    `Queued`, `Running`, `Done` and `Interrupted` were one event ending in `<*>`: an
    interrupted scan was a finished one's, and a Done before Running a normal run."""
    rng = random.Random(1)
    lines = []
    for run in range(40):
        uuid = f"{rng.getrandbits(32):08x}-1111-4222-8333-{rng.getrandbits(48):012x}"
        for state in ("Requested", "Queued", "Running", "Done" if run % 10 else "Interrupted"):
            lines.append(f"Status of task Printers ({uuid}) has changed to {state}")
    events, _ = log_parsed(lines, "raw")
    templates = set(events["template"])
    assert "Status of task Printers (<*>) has changed to Interrupted" in templates
    assert "Status of task Printers (<*>) has changed to Done" in templates
    assert len(templates) == 5
    # a host's name after it is no state (digits), nor are more than a dozen names
    hosts = [f"hostname changed to web{n:02d}" for n in range(20)]
    events, _ = log_parsed(hosts, "raw")
    assert set(events["template"]) == {"hostname changed to <*>"}


def test_a_bracketed_dns_name_with_its_roots_dot_is_a_value(masked_alike):
    """QA Knot DNS: `[webauto.at.] DNSSEC, key, ... ready, submission needed`, met in one zone,
    kept the zone's name, and the same event in another zone was a new one."""
    masked = masked_alike([
        "[webauto.at.] DNSSEC, key, tag 23456, KSK, ready, submission needed",
        "[example.com.] zone file parsed, serial 2026120501",
        "[2.0.192.in-addr.arpa.] loaded",
        "[java.lang.String] is a class, [v1.2.] a version",
    ])  # fmt: skip
    assert masked[0] == "[<*>.] DNSSEC, key, tag <*>, KSK, ready, submission needed"
    assert masked[1].startswith("[<*>.] zone file parsed")
    assert masked[2] == "[<*>.] loaded"
    assert masked[3].startswith("[java.lang.String] is a class")


GVMD_LINES = [
    "md   main:MESSAGE:2026-12-05 10h00.00 utc:1234:    Greenbone Vulnerability Manager "
    "version 23.1.0 (DB revision 255)",
    "md manage:   INFO:2026-12-05 10h00.01 utc:1234: Status of task Weekly "
    "(6d2f1a3b-4c5d-6e7f-8a9b-0c1d2e3f4a5b) has changed to Requested",
    "event task:MESSAGE:2026-12-05 10h00.02 utc:1235: Status of task Weekly "
    "(6d2f1a3b-4c5d-6e7f-8a9b-0c1d2e3f4a5b) has changed to Queued",
    "md manage:WARNING:2026-12-05 10h05.00 utc:1236: osp_scanner_feed_version: failed to "
    "connect to /run/ospd/ospd.sock",
    "libgvm util:WARNING:2026-12-05 10h07.00 utc:1238: gvm_server_verify: Certificate "
    "verification failed",
]


def test_glibs_message_level_and_a_domain_between_the_formats_own_colons(log_parsed):
    """QA Greenbone: gvmd's GLib level `MESSAGE` was said to name no level, and its domain
    (`md manage`, `event task`: two words by design, between the format string's colons) a
    sign of a missing host field, on every command."""
    events, summary = log_parsed(
        GVMD_LINES,
        "<Component>:<Level>:<Date> <Time> <Zone>:<Pid>: <Content>",
        timestamp_format="%Y-%m-%d %Hh%M.%S",
    )
    assert events["Component"][:3] == ["md   main", "md manage", "event task"]
    assert not [w for w in summary.warnings if "names no level" in w or "several words" in w]
    assert events["timestamp"][1].strftime("%H:%M:%S") == "10:00:01"
    # a field before a space is still one word: several there are a field the format lacks
    _, summary = log_parsed(
        [line.replace(":", " ", 1) for line in GVMD_LINES[3:]] * 3,
        "<Component> <Level>:<Content>",
    )
    assert [w for w in summary.warnings if "several words" in w]


def _sessionized(contents: list[str], pattern: str):
    """The stats of sessions by `pattern` over `contents`."""
    import pyarrow as pa

    from logbert.sessions.id_sessions import IdSessionizer

    sessionizer = IdSessionizer(pattern)
    sessionizer.push(pa.table({"content": contents, "template_id": [0] * len(contents)}))
    sessionizer.flush()
    return sessionizer.stats


SIP_CALLS = [
    line
    for call in range(40)
    for line in (
        f"[INVITE] from sip:1001@sip.example.com call-id={call:012x}@10.0.0.46 src=10.0.0.21:5060",
        f"[INVITE] relaying to sip:1022@10.0.0.41:5060 call-id={call:012x}@10.0.0.46",
        f"ACC: transaction answered: timestamp=1764921613;method=INVITE;"
        f"call_id={call:012x}@10.0.0.46;code=200;reason=OK",
    )
]


def test_an_id_regex_running_on_into_the_next_fields_or_keeping_the_ids_name_is_a_warning():
    """QA OpenSIPS: `call.id=(\\S+)` took the accounting line's `;code=200;reason=OK` with the
    Call-ID, and `call[-_]id=[^;\\s]+` (no group) made `call-id=X` and `call_id=X` of one
    call: each call two sessions, exit 0 and no word said."""
    stats = _sessionized(SIP_CALLS, r"call.id=(\S+)")
    assert stats.n_sessions == 80
    (warning,) = [w for w in stats.warnings(r"call.id=(\S+)") if "runs on" in w]
    assert "40 of 80 session ids" in warning and "reason=OK'" in warning
    assert warning.endswith("stop the regex at the ';', e.g. 'call.id=([^\\s;]+)'")
    stats = _sessionized(SIP_CALLS, r"call[-_]id=[^;\s]+")
    (warning,) = [w for w in stats.warnings(r"call[-_]id=[^;\s]+") if "no group" in w]
    assert "80 of 80 session ids" in warning
    assert "(e.g. 'call-id=000000000000@10.0.0.46')" in warning
    assert warning.endswith("e.g. 'call[-_]id=([^;\\s]+)'")
    stats = _sessionized(SIP_CALLS, r"call[-_]id=([^;\s]+)")
    assert stats.n_sessions == 40 and not stats.warnings(r"call[-_]id=([^;\s]+)")
    # a name written one way only: its ids are one spelling each, no warning
    assert not _sessionized(SIP_CALLS, r"call-id=[^;\s]+").named_ids_warning(r"call-id=[^;\s]+")


def test_a_dns_names_roots_dot_is_no_punctuation_after_the_id():
    """QA Knot DNS: sessions by zone, `\\[([^] ]+\\.)\\]`, were warned on every command that
    their ids end in punctuation, and following the advice broke labels written the DNS way."""
    zones = ["example.com.", "webauto.at.", "2.0.192.in-addr.arpa.", "shop-acme.eu."] * 5
    lines = [f"[{zone}] zone file parsed, serial {i}" for i, zone in enumerate(zones)]
    stats = _sessionized(lines, r"\[([^] ]+\.)\]")
    assert stats.n_sessions == 4 and stats.n_punctuated == 0
    stats = _sessionized([f"port tap{i}a-9d: up" for i in range(10)], r"(tap\S+)")
    assert stats.n_punctuated == 10  # (a port's name and the colon after it still are)


def test_a_list_of_quoted_names_ending_a_message_is_one_value(masked_alike):
    """QA snapd: `cannot refresh: snap has no updates available: "core22", "lxd", ...` was a
    template per count of snaps, one host's whole list a template of its own, and a snap
    installed there a new event on every refresh."""
    masked = masked_alike([
        'storehelpers.go:916: cannot refresh: snap has no updates available: "core22", '
        '"core24", "gnome-42-2204", "thunderbird"',
        'storehelpers.go:916: cannot refresh: snap has no updates available: "code", "lxd"',
        'unknown option: "foo"',  # one quoted word is no list
    ])  # fmt: skip
    assert masked[0] == masked[1] == (
        "storehelpers.go:<*>: cannot refresh: snap has no updates available: <*>"
    )
    assert masked[2] == 'unknown option: "foo"'


def test_a_generic_format_named_where_a_systems_format_reads_the_header_is_a_warning(log_parsed):
    """QA Mastodon: `--format iso` on a journal printed with `-o short-iso` gave 0 rejects and
    `mastodon bundle[<*>]:` in every template, with no word that `syslog-iso` (what `auto`
    picks) reads the host, program and pid into fields."""
    lines = [
        f"2026-12-05T10:{i:02d}:00+0100 mastodon bundle[1842]: 2026-12-05T09:{i:02d}:00.350Z "
        f"pid=1842 tid=w53e class=ActivityPub::DeliveryWorker jid={i:024x} INFO: start"
        for i in range(30)
    ]
    _, summary = log_parsed(lines, "iso")
    (warning,) = [w for w in summary.warnings if "so does format" in w]
    assert warning.startswith("warning: format iso reads these lines, and so does format syslog-")
    _, summary = log_parsed(lines, "syslog-iso")
    assert not [w for w in summary.warnings if "so does format" in w]
    # ... a journal's `-- Boot ... --` lines among them too (QA desktop journal: no warning)
    boot = ["-- Boot 6b9e1ef9eb2d7b55468b6e9390544146 --"]
    _, summary = log_parsed(boot + lines[:10] + boot + lines[10:], "iso")
    assert [w for w in summary.warnings if "so does format" in w]
    plain = [f"2026-12-05T10:{i:02d}:00Z worker {i} started" for i in range(30)]
    _, summary = log_parsed(plain, "iso")  # iso's own lines: no other format reads more
    assert not [w for w in summary.warnings if "so does format" in w]


def test_the_rarer_reason_phrases_keep_their_status_class(masked_alike):
    """QA Vaultwarden: a WebSocket's `=> 101 Switching Protocols` and a `422 Unprocessable
    Entity` were `<*>`, the class of the status lost."""
    masked = masked_alike([
        "(websocket) GET /notifications/hub?access_token=abc => 101 Switching Protocols",
        "(register) POST /identity/accounts/register => 422 Unprocessable Entity",
    ])  # fmt: skip
    assert masked[0].endswith("=> 1xx Switching Protocols")
    assert masked[1].endswith("=> 4xx Unprocessable Entity")


def test_a_bracketed_list_of_addresses_is_one_value_whatever_its_length(masked_alike):
    """QA Nebula: `udpAddrs="[203.0.113.191:4242 10.0.1.41:4242]"` made a template per count of
    a peer's addresses (an IPv6 one in brackets another), and a laptop that gained a LAN
    address made every routine handshake a new event."""
    masked = masked_alike([  # (as logfmt's content writes the pairs: unquoted)
        "info Handshake timed out udpAddrs=[203.0.113.203:4242] vpnIp=192.168.100.48",
        "info Handshake timed out udpAddrs=[203.0.113.191:4242 10.0.1.41:4242] vpnIp=10.0.0.9",
        "info Handshake timed out udpAddrs=[[2001:db8:28::29]:4242 203.0.113.7:4242] "
        "vpnIp=192.168.100.50",
        "[198.51.100.23:18080 OUT] Failed to connect to peer",
    ])  # fmt: skip
    assert masked[0] == masked[1] == masked[2]
    assert "udpAddrs=[<*>]" in masked[0]
    assert masked[3].startswith("[<*>:<*> OUT]")  # (a list of addresses alone)


NXOS_LINES = [
    "2026 Dec  5 10:00:00 nx-leaf1 %ETHPORT-5-IF_UP: Interface Ethernet1/12 is up in mode access",
    "2026 Dec  5 10:00:05 nx-leaf1 %ETHPORT-5-IF_DOWN_LINK_FAILURE: Interface Ethernet1/12 is "
    "down (Link failure)",
    "2026 Dec  5 10:00:06 nx-leaf1 %ETHPORT-3-IF_DOWN_LINK_FAILURE: Interface Ethernet1/13 is "
    "down (Link failure)",
    "2026 Dec  5 10:09:00 nx-core1 %$ VDC-1 %$ %PLATFORM-2-PS_FAIL: Power supply 2 failed or "
    "shutdown (Serial number ABC1234XYZ)",
    "2026 Dec  5 10:09:01 nx-leaf2 %PLATFORM-2-PS_FAIL: Power supply 1 failed or shutdown "
    "(Serial number DCB2231X0QF)",
]


def test_nxos_lines_are_read_with_the_year_first_and_the_tag_in_the_event(auto_parsed):
    """QA NX-OS: `auto` read no format of `2026 Dec  5 10:00:00 host %FAC-SEV-MNEMONIC: ...`;
    the tag leads the event, its severity digit with it, a Nexus 7000's `%$ VDC-1 %$` left
    out, and a power supply's serial number is a value."""
    events = auto_parsed(NXOS_LINES, "nxos")
    assert events["Host"] == ["nx-leaf1", "nx-leaf1", "nx-leaf1", "nx-core1", "nx-leaf2"]
    assert events["timestamp"][0].strftime("%Y-%m-%d %H:%M") == "2026-12-05 10:00"
    assert events["template"][1] != events["template"][2]  # severity 5 and 3 apart
    assert events["template"][3] == events["template"][4] == (
        "%PLATFORM-2-PS_FAIL: Power supply <*> failed or shutdown (Serial number <*>)"
    )


def test_a_numeric_syslog_severity_is_a_level_and_a_few_spaced_levels_a_warning(log_parsed):
    """QA NX-OS: the tag's severity read into <Level> (`-5-` and `-3-`) was no level at all, so
    a template met at 5 and at 3 was unsaid; and one switch of seven writing a prefix the format
    string lacked read `1 %$ %ETHPORT` as its level on 11% of the lines, unsaid (a quarter
    needed)."""
    fmt = "<Year> <Month> <Date> <Time> <Host> %<Component>-<Level>-<Mnemonic>: <Content>"
    _, summary = log_parsed(NXOS_LINES[:3], fmt)
    assert [w for w in summary.warnings if "levels of different severity" in w]
    core = "2026 Dec  5 10:01:{:02d} nx-core1 %$ VDC-1 %$ %ETHPORT-5-IF_UP: Interface Eth1/{} is up"
    leaf = "2026 Dec  5 10:02:{:02d} nx-leaf1 %ETHPORT-5-IF_UP: Interface Eth1/{} is up"
    lines = [core.format(i, i) for i in range(12)] + [leaf.format(i % 60, i) for i in range(150)]
    _, summary = log_parsed(lines, fmt)
    (warning,) = [w for w in summary.warnings if "<Level> holds several words" in w]
    assert "on 12 of 162 lines" in warning


def test_a_time_field_holding_the_year_alone_is_said_so(log_parsed):
    """QA NX-OS: `<Timestamp> <Host> <Content>` read `2026` of `2026 Dec  5 10:00:00` as 2,026
    seconds after 1970, and the warning said the log counted seconds since a boot."""
    _, summary = log_parsed(NXOS_LINES, "<Timestamp> <Host> <Content>")
    (warning,) = [w for w in summary.warnings if "the year alone" in w]
    assert "'<Year> <Month> <Date> <Time> <Content>'" in warning
    assert not [w for w in summary.warnings if "since a boot" in w]


def test_ids_each_host_has_of_its_own_are_said_to_want_the_host_too():
    """QA snapd, mdadm: a change number (`change 178`) or an array's name (`md1`) each host
    has of its own glued hosts' work into one session, and the warning named --idle-timeout
    alone, not --by-field Host."""
    from datetime import datetime, timedelta

    import pyarrow as pa

    from logbert.sessions.id_sessions import IdSessionizer

    rows = []
    for host, start in (("ws01", datetime(2026, 12, 5, 8)), ("db-eu-2", datetime(2026, 12, 5, 12))):
        for change in range(10):
            for step, key in enumerate((1, 2, 3)):
                when = start + timedelta(minutes=10 * change + step)
                rows.append((f"[change {change} task] step {key}", key, when, host))
    contents, keys, times, hosts = (list(column) for column in zip(*rows, strict=True))
    sessionizer = IdSessionizer(r"change (\d+)")
    sessionizer.push(pa.table({"content": contents, "template_id": keys, "timestamp": times,
                               "Host": hosts}))  # fmt: skip
    sessionizer.flush()
    stats = sessionizer.stats
    assert stats.n_shared_ids == 10
    (warning,) = [w for w in stats.warnings(r"change (\d+)") if "start over" in w]
    assert "10 of these ids came from several hosts (e.g. '0' on ws01 and db-eu-2)" in warning
    assert warning.endswith("--by-field Host --by-id 'change (\\d+)'")


def test_a_name_with_its_number_the_regex_missed_is_a_session_id_met_again():
    """QA mdadm: `/dev/(md\\d+)` took `md1` from mdadm's lines, and the kernel's `md/raid1:md1:`
    lines, 45% of the events, were in no session with no word said (ids of three characters
    were never looked for: a short number is in many lines by chance)."""
    contents = []
    for night in range(30):
        array = f"md{night % 3}"
        contents += [
            f"RebuildStarted event detected on md device /dev/{array}",
            f"md: {array}: data-check done.",
            f"RebuildFinished event detected on md device /dev/{array}",
        ]
    stats = _sessionized(contents, r"/dev/(md\d+)")
    assert stats.n_unmatched_naming == 30
    assert [w for w in stats.warnings(r"/dev/(md\d+)") if "hold the id of a session" in w]


def test_a_json_message_that_is_a_requests_path_keeps_its_endpoint_and_a_traceback_its_error(
    json_parsed,
):
    """QA authentik: `"event": "/-/health/live/"` beside `"/api/v3/admin/system/"` (the method
    in its own field) were one `<*>` event; structlog's `exception` put every traceback's
    frames in the template, one failure a template per caller."""
    request = {"event": "/application/o/authorize/", "level": "info", "logger": "authentik.asgi",
               "method": "GET", "status": 302, "timestamp": "2026-12-05T10:00:00.123456"}
    admin = {**request, "event": "/api/v3/admin/system/", "status": 403}
    traceback = (
        'Traceback (most recent call last):\n  File "/authentik/{}.py", line 3, in f\n'
        "    raise ValueError()\nValueError: bad outpost"
    )
    failed = [
        {"event": "Task finished", "level": "info", "state": "FAILURE", "task_name": "outpost",
         "timestamp": "2026-12-05T10:00:03Z", "exception": traceback.format(caller)}
        for caller in ("tasks", "outposts")
    ]  # fmt: skip
    events, _ = json_parsed([request, admin, *failed])
    assert events["template"][0].startswith("info authentik.asgi path=/application/<*>")
    assert events["template"][1].startswith("info authentik.asgi path=/api/v3/admin/system/")
    assert events["template"][2] == events["template"][3]
    assert "exception=ValueError: bad outpost" in events["template"][2]


def test_a_raid5_arrays_name_is_a_value_as_a_raid1s_is(masked_alike):
    """QA mdadm: `md/raid:md2: device sdc1 operational` kept `md2` (the only RAID 5 array in
    training), and a healthy boot of an array assembled as `md127` was a new event."""
    masked = masked_alike([
        "md/raid:md2: device sdc1 operational as raid disk 0",
        "md/raid:md127: device sdc1 operational as raid disk 0",
    ])  # fmt: skip
    assert masked[0] == masked[1] == "md/raid:<*>: device <*> operational as raid disk <*>"


def test_lists_of_masked_items_and_of_packages_are_one_value_whatever_their_length(masked_alike):
    """QA Cassandra: `Partition merge counts were {1:11000, 2:1300, }` and a compaction's
    `[<sstable>:level=0, ...]` made a template per count of entries (86 of 126 normal windows
    flagged where compactions merged more sstables than training's); QA unattended-upgrades:
    `Packages that will be upgraded: libssl3 openssl` a template per count of packages, a
    short list kept whole, a day upgrading five packages as new an event as a failure."""
    masked = masked_alike([
        "Partition merge counts were {1:29800, 2:1100, 3:100, }. Time spent writing keys = 9ms",
        "Partition merge counts were {1:11000, }. Time spent writing keys = 9ms",
        "Compacting (5f8b2c1e-1111-2222-3333-444455556666) [/var/lib/cassandra/data/shop/o-0a1b/"
        "nb-12-big-Data.db:level=0, /var/lib/cassandra/data/shop/o-0a1b/nb-13-big-Data.db:"
        "level=0, ]",
        "Compacting (5f8b2c1e-1111-2222-3333-444455556666) [/var/lib/cassandra/data/shop/o-0a1b/"
        "nb-12-big-Data.db:level=0, ]",
        "INFO Packages that will be upgraded: libssl3 openssl openssh-client openssh-server",
        "INFO Packages that will be upgraded: libc6",
        "INFO Initial blacklist: linux-image-amd64 nvidia-driver",
    ])  # fmt: skip
    assert masked[0] == masked[1]
    assert masked[0] == "Partition merge counts were {<*>}. Time spent writing keys = <*>"
    assert masked[2] == masked[3] == "Compacting (<*>) [<*>]"
    assert masked[4] == masked[5] == "INFO Packages that will be upgraded: <*>"
    assert masked[6] == "INFO Initial blacklist: <*>"


def test_a_disconnects_reason_code_is_the_event(masked_alike):
    """QA systemd-networkd: wpa_supplicant's `CTRL-EVENT-DISCONNECTED ... reason=4` (the link
    died) was a `reason=3` (the station left) event: the code masked."""
    left, died = masked_alike([
        "wlan0: CTRL-EVENT-DISCONNECTED bssid=aa:bb:cc:dd:ee:ff reason=3 locally_generated=1",
        "wlan0: CTRL-EVENT-DISCONNECTED bssid=aa:bb:cc:dd:ee:ff reason=4 locally_generated=1",
    ])  # fmt: skip
    assert left != died and "reason=4" in died
    # ... and a network's name is a value (a template per SSID, a new network a new event)
    home, office = masked_alike([
        "wlan0: SME: Trying to authenticate with aa:bb:cc:dd:ee:ff (SSID='HomeNet' freq=5180 MHz)",
        "wlan0: SME: Trying to authenticate with aa:bb:cc:dd:ee:01 (SSID='Office' freq=2412 MHz)",
    ])  # fmt: skip
    assert home == office


def test_a_models_format_with_an_optional_time_dates_few_lines_without_a_warning(tmp_path):
    """QA Discourse: Rails' `Started ... at <time>` is the one dated line of four, as in the
    training logs, and every `score` said the logs fit the model's format badly, retrain."""
    from logbert.parsing.formats import resolve_format
    from logbert.parsing.pipeline import Parser

    request = [
        'Started GET "/latest.json" for 203.0.113.14 at 2026-12-05 00:00:06 +0000',
        "Processing by ListController#latest as JSON",
        '  Parameters: {"page"=>"0"}',
        "Completed 200 OK in 82ms (Views: 4.7ms | ActiveRecord: 29.2ms)",
    ]
    log = tmp_path / "production.log"
    log.write_text("\n".join(request * 5) + "\n")
    model = Parser(resolve_format("<Content>( at <Date> <Time> <Zone>)?")).freeze()
    list(model.iter_chunks([str(log)]))
    assert not [n for n in model.notes if "badly" in n]
    assert [n for n in model.notes if n.startswith("timestamps: 15 of 20 lines (75%) have none")]


def test_an_optional_time_that_never_reads_is_an_error_not_an_undated_log(tmp_path):
    """QA Discourse: `--timestamp-format '%Y-%m-%d %H:%M:%S %z'` beside a <Zone> field read no
    time from the `Started ... at <time>` lines: every timestamp null, exit 0, and a note
    that the zone was applied."""
    import pytest

    from logbert.errors import LogbertError
    from logbert.parsing.formats import resolve_format
    from logbert.parsing.pipeline import parse_files

    log = tmp_path / "production.log"
    log.write_text(
        'Started GET "/latest.json" for 203.0.113.14 at 2026-12-05 00:00:06 +0100\n'
        "Processing by ListController#latest as JSON\nCompleted 200 OK in 82ms\n"
    )
    optional = "<Content>( at <Date> <Time> <Zone>)?"
    fmt = resolve_format(optional, timestamp_format="%Y-%m-%d %H:%M:%S %z")
    with pytest.raises(LogbertError, match="has <Date> <Time> = '2026-12-05 00:00:06' where"):
        parse_files([str(log)], fmt, tmp_path / "e.parquet")
    summary = parse_files([str(log)], resolve_format(optional), tmp_path / "f.parquet")
    assert summary.timestamps == 1  # (read without it)
    log.write_text("v2 tests failed\nBuild finished\n")  # a version first is no time: undated
    summary = parse_files([str(log)], resolve_format("(<Timestamp> )?<Content>"), tmp_path / "g")
    assert [w for w in summary.warnings if "found a time in none" in w]


def test_a_parse_runs_own_templates_file_given_as_templates_points_to_state(tmp_path):
    """QA Discourse: `parse --templates templates.csv` (logbert's own) was refused as needing
    EventTemplate, with no word of --state, the way to give later logs the same ids."""
    import pytest

    from logbert.errors import LogbertError
    from logbert.parsing.template_matcher import load_templates

    own = tmp_path / "templates.csv"
    own.write_text("template_id,template,count\n1,Processing by <*> as JSON,3\n")
    with pytest.raises(LogbertError, match="with --state FILE .* the same --state FILE"):
        load_templates(own)


def test_a_control_messages_verb_is_the_event(masked_alike):
    """QA OpenVPN: `SENT CONTROL [alice]: 'PUSH_REPLY,route ...'` and `'AUTH_FAILED,Invalid
    credentials'` were one `<*>`: a refused login scored as a pushed configuration."""
    pushed, refused, other = masked_alike([
        "alice/203.0.113.5:51234 SENT CONTROL [alice]: 'PUSH_REPLY,route 10.0.0.0 255.255.0.0,"
        "ping 10,ping-restart 120,ifconfig 10.8.0.6 255.255.255.0' (status=1)",
        "alice/203.0.113.5:51234 SENT CONTROL [alice]: 'AUTH_FAILED,Invalid credentials' "
        "(status=1)",
        "alice/203.0.113.5:51234 SENT CONTROL [alice]: 'PUSH_REPLY,route 10.0.0.0 255.255.0.0' "
        "(status=1)",
    ])  # fmt: skip
    assert "'PUSH_REPLY, <*>" in pushed and "'AUTH_FAILED, <*>" in refused
    assert pushed == other and pushed != refused


def test_pair_names_with_a_version_digit_are_events_each(log_parsed):
    """QA OpenVPN: `peer info: IV_VER=2.6.8` beside `IV_LZ4v2=1`, `IV_COMP_STUBv2=1` (digits in
    the names) were one `IV_<*>` event, a client's never-seen key a known one."""
    keys = ["IV_VER=2.6.8", "IV_PLAT=linux", "IV_PROTO=990", "IV_LZ4=1", "IV_LZ4v2=1",
            "IV_COMP_STUB=1", "IV_COMP_STUBv2=1", "IV_TCPNL=1"]  # fmt: skip
    lines = [f"peer info: {key}" for _ in range(10) for key in keys]
    events, _ = log_parsed(lines, "raw")
    assert len(set(events["template"])) == len(keys)
    assert "peer info: IV_LZ4v2=<*>" in events["template"]


def test_the_command_sudo_ran_is_one_value(masked_alike):
    """QA desktop journal: sudo's `COMMAND=/usr/bin/tail -f /var/log/syslog` kept the command's
    arguments (its program masked), a template per command line, an admin's first `tail -f`
    a new event."""
    apt, tail = masked_alike([
        "ana : TTY=pts/0 ; PWD=/home/ana ; USER=root ; COMMAND=/usr/bin/apt update",
        "ben : TTY=pts/3 ; PWD=/home/ben ; USER=root ; COMMAND=/usr/bin/tail -f /var/log/syslog",
    ])  # fmt: skip
    assert apt == tail and apt.endswith("; COMMAND=<*>")


def test_an_id_regex_stopping_at_a_dot_or_at_sign_inside_a_name_is_a_cut_id():
    """QA Pritunl: `user_name = "(\\w+)` stopped at the `.` of `emma.jones` and the `@` of
    `emma@globex.io`: 120 users were 30 sessions, exit 0 and no word said."""
    users = ["emma", "emma.jones", "emma.patel", "emma@globex.io", "liam", "liam.k"] * 5
    contents = [line for user in users for line in ("User connected", f'  user_name = "{user}"')]
    stats = _sessionized(contents, r'user_name = "(\w+)')
    assert stats.n_sessions == 2
    (warning,) = [w for w in stats.warnings(r'user_name = "(\w+)') if "longer word" in w]
    assert "in 'user_name = \"emma.jones'" in warning


def test_a_transitions_state_with_a_masked_digit_is_still_a_state(log_parsed):
    """QA VyOS: OSPF's `AdjChg: Nbr ... : Loading -> Full (LoadingDone)` beside `2-Way ->
    ExStart` (`<*>-Way` once masked) were one event, a dead neighbour's `Full -> Deleted
    (InactivityTimer)` a known one."""
    changes = [("Down", "Init", "HelloReceived"), ("Init", "2-Way", "TwoWayReceived"),
               ("2-Way", "ExStart", "AdjOK?"), ("Loading", "Full", "LoadingDone"),
               ("Full", "Deleted", "InactivityTimer")]  # fmt: skip
    lines = [
        f"[QBAZ6-3YZR3] AdjChg: Nbr 10.0.0.{i % 3}(default) on eth{i % 2}: {a} -> {b} ({why})"
        for i in range(20)
        for a, b, why in [changes[i % 5]]
    ]
    events, _ = log_parsed(lines, "raw")
    assert len(set(events["template"])) == 5
    assert events["template"][4].endswith(": Full -> Deleted (InactivityTimer)")


def test_an_address_with_a_note_glued_after_it_is_punctuation_after_the_id():
    """QA VyOS: `neighbor (\\S+)` took FRR's `10.0.0.2(Unknown)` beside `10.0.0.2`, two
    sessions of each BGP neighbour, with no word said."""
    contents = []
    for n in range(2, 8):
        contents += [
            f"%ADJCHANGE: neighbor 10.0.0.{n}(Unknown) in vrf default Up",
            f"%NOTIFICATION: sent to neighbor 10.0.0.{n} 4/0 (Hold Timer Expired)",
        ]
    stats = _sessionized(contents, r"neighbor (\S+)")
    (warning,) = [w for w in stats.warnings(r"neighbor (\S+)") if "punctuation" in w]
    assert "(e.g. '10.0.0.2(Unknown)')" in warning
    assert warning.endswith("e.g. 'neighbor ([^\\s\\(]+)'")


def test_docker_compose_logs_json_lines_are_read_with_their_service():
    """QA Woodpecker: `docker compose logs` writes `woodpecker-server-1  | {...}`; every line
    was refused by `json` and `auto`, with no word of the prefix."""
    import pyarrow as pa

    from logbert.parsing.auto import rank_formats
    from logbert.parsing.json_lines import split_json_lines

    lines = [
        'woodpecker-server-1  | {"level":"info","time":"2026-12-05T10:00:00Z",'
        '"message":"new pipeline created","repo":"acme/shop"}',
        'woodpecker-agent-1   | {"level":"error","time":"2026-12-05T10:00:01Z",'
        '"message":"step failed","step":"test"}',
    ]
    assert rank_formats(lines * 3)[0].name == "json"
    ok, columns = split_json_lines(pa.array(lines))
    assert ok.all() and columns["Level"].to_pylist() == ["info", "error"]
    assert columns["Content"][1].as_py().startswith("error step failed service=woodpecker-agent-1")


def test_the_join_advice_for_records_that_start_with_a_bracketed_name_and_date(tmp_path):
    """QA Pritunl: `[pritunl-vpn1][2026-12-05 10:00:00,123][INFO] User connected` and its
    indented `  user_name = "alice"` lines: the join advice looked for a date at the line's
    start, and following it made the whole log one line."""
    import subprocess

    from logbert.parsing.summary import join_continuations

    lines = [
        "[pritunl-vpn1][2026-12-05 10:00:00,123][INFO] User connected",
        '  user_name = "alice"',
        "[pritunl-vpn2][2026-12-05 10:01:00,123][ERROR] Server instance process exited",
        "Traceback (most recent call last):",
        "[pritunl-vpn1][2026-12-05 10:02:00,123][INFO] User disconnected",
    ]
    advice = join_continuations(lines)
    assert advice.startswith("where each record starts with a name and a date in brackets")
    command = advice.split(", ", 1)[1].split(" LOG > joined.log")[0]
    log = tmp_path / "pritunl.log"
    log.write_text("\n".join(lines) + "\n")
    joined = subprocess.run(command + f" {log}", shell=True, capture_output=True, text=True)
    assert joined.stdout.splitlines() == [
        lines[0] + " " + lines[1], lines[2] + " " + lines[3], lines[4]
    ]


def test_glog_lines_with_the_year_are_read(auto_parsed):
    """QA Typesense: glog's header with an eight-digit date, `I20261205 10:00:00.123456 1234
    raft_server.cpp:545] ...`: `klog` and `auto` read no line, and a format string's `[IWEF]`
    left the level out."""
    events = auto_parsed([
        "I20261205 10:00:01.234567 1235 core_api.cpp:401] Import batch size: 40, batches: 1",
        "W20261205 10:00:03.456789 1237 raft_server.cpp:301] Node with no leader. Resetting peers.",
        "E20261205 10:00:04.000001 1237 raft_server.cpp:301] Node with no leader. Resetting peers.",
    ], "glog-year")  # fmt: skip
    assert events["timestamp"][0].strftime("%Y-%m-%d %H:%M:%S") == "2026-12-05 10:00:01"
    assert events["LevelDate"][1:] == ["W20261205", "E20261205"]
    assert events["template"][0] == "Import batch size: <*>, batches: <*>"


def test_a_setting_switched_keeps_its_boolean(masked_alike):
    """QA Debezium: `Connected metrics set to 'true'` and `'false'` were one `'<*>'` event, a
    disconnect a connect's."""
    on, off = masked_alike(["Connected metrics set to 'true'", "Connected metrics set to 'false'"])
    assert on != off and off == "Connected metrics set to 'false'"


def test_an_id_regex_stopping_at_a_hyphen_inside_a_name_is_a_cut_id():
    """QA Debezium: `\\[([a-z]+)` took `sink` of `[sink-es|task-1]` and `[sink-s3|task-0]`, one
    session of three connectors, unsaid; QA Greenbone: a UUID cut at its first hyphen."""
    contents = [
        f"[{name}|task-{t}] Committing offsets"
        for _ in range(5) for name in ("sink-es", "sink-s3", "orders-cdc") for t in (0, 1)
    ]  # fmt: skip
    stats = _sessionized(contents, r"\[([a-z]+)")
    (warning,) = [w for w in stats.warnings(r"\[([a-z]+)") if "longer word" in w]
    assert "(e.g. '[sink' in 'sink-es|task-0')" in warning


def test_a_name_of_several_words_in_backticks_is_one_value(masked_alike):
    """QA Odoo: `Starting job `Mail: Email Queue Manager`.` made a template per cron job's
    name, a new job's first run a new event; a type's name in backticks stays (a lower-case
    name is a value too: round 89)."""
    mail, vacuum, script, panic = masked_alike([
        "Starting job `Mail: Email Queue Manager`.",
        "Starting job `Base: Auto-vacuum internal data`.",
        "Script `chk_haproxy` now returning 1",
        "called `Option::unwrap()` on a `None` value",
    ])  # fmt: skip
    assert mail == vacuum == "Starting job <*>."
    assert script == "Script `<*>` now returning 1"
    assert panic == "called `Option::unwrap()` on a `None` value"


def test_a_health_word_in_brackets_is_a_state_not_a_name(log_parsed):
    """QA NAS: Synology's `Volume [2] space usage is 41% [Normal]` beside `95% [Critical]` was
    one `[<*>]` event (bracketed words read as names someone gave), a full volume a fine one."""
    lines = [f"Volume [2] space usage is {41 + i % 5}% [Normal]" for i in range(12)]
    lines += ["Volume [2] space usage is 95% [Critical]"] * 2
    events, _ = log_parsed(lines, "raw")
    assert events["template"][-1] == "Volume [<*>] space usage is <*>% [Critical]"
    assert events["template"][0] == "Volume [<*>] space usage is <*>% [Normal]"


def test_ids_holding_a_time_are_no_name_before_the_id():
    """QA Airflow: `scheduled__[0-9T:+-]+` matched run ids `scheduled__2026-12-05T00:00:00+00:00`
    (a `:` in their time), were said to hold a name before the id, and the advice put a `(`
    inside the character class, a regex Python refused."""
    contents = [
        f"Marking run <DagRun etl @ 2026-12-{d:02d}: scheduled__2026-12-{d:02d}T00:00:00+00:00>"
        for d in range(1, 29)
    ]
    stats = _sessionized(contents, r"scheduled__[0-9T:+-]+")
    assert stats.n_named == 0
    assert not stats.named_ids_warning(r"scheduled__[0-9T:+-]+")


def test_a_message_after_a_kept_header_splits_on_its_own_first_word(auto_parsed):
    """QA Pulsar: `iso` keeps `[thread] INFO logger - message`; `New connection from`,
    `[<*>] Closing consumer:`, `Closed connection from` and two more were one `- <*> <*> <*>
    <*>` event, and swapping a connection's first and last events went unseen."""
    head = "2026-12-05T08:0{}:00,739+0100 [pulsar-io-4-5] INFO  o.a.p.broker.ServerCnx - "
    messages = [
        "New connection from /10.0.2.22:50479",
        "[/10.0.4.39:54744][persistent://shop/orders/created] Creating producer. producerId=0",
        "[/10.0.2.22:50479] Closing consumer: consumerId=3",
        "[/10.0.2.22:50479] Closed consumer, consumerId=3",
        "Closed connection from /10.0.2.22:50479",
    ]
    events = auto_parsed([head.format(i) + m for i in range(3) for m in messages], "iso")
    assert len(set(events["template"])) == 5


def test_a_php_front_controllers_routing_parameters_name_its_endpoint(masked_alike):
    """QA Matomo: `/index.php?module=Login`, `?module=API&method=VisitsSummary.get&idSite=3`
    and `?module=CoreHome&action=index` were one `/index.php?<*>` event: a brute force's
    logins an API call's and a dashboard's."""
    login, api, home, home2, other = masked_alike([
        '203.0.113.5 - - [05/Dec/2026:10:00:00 +0100] "POST /index.php?module=Login HTTP/1.1" '
        "200 2345",
        '"POST /index.php?module=API&method=VisitsSummary.get&idSite=3&period=day HTTP/1.1" 200 5',
        '"GET /index.php?module=CoreHome&action=index&idSite=3 HTTP/1.1" 200 45678',
        '"GET /index.php?module=CoreHome&action=index&idSite=4&period=week HTTP/1.1" 200 45',
        '"GET /matomo.php?idsite=3&rec=1 HTTP/2.0" 204 0',
    ])  # fmt: skip
    assert '"POST /index.php?module=Login HTTP/<*>" 2xx' in login
    assert '"POST /index.php?module=API&method=VisitsSummary.get&<*> HTTP/<*>"' in api
    assert home == home2 and "?module=CoreHome&action=index&<*> " in home
    assert '"GET /matomo.php?<*> HTTP/<*>" 2xx' in other
