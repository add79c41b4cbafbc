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
