"""QA rounds 63 (Traefik, JVM unified GC logs, Nagios, Puppet, Cisco ASA) and 64 (Grafana Loki,
Kibana, UniFi, Mattermost, Zigbee2MQTT): what each log's first run got wrong, as a new user met
it."""

from __future__ import annotations

AGENT = "Dec {day} {time} web01 puppet-agent[4242]: {message}"


def test_a_quoted_debian_version_is_one_value(masked_alike):
    """QA Puppet: `ensure changed '1.18.0-6ubuntu14.4' to ...` kept `-6ubuntu14.` in its
    template, and the next release of a known package was a new event (25 of 120 runs)."""
    old, new, purged = masked_alike([
        "(/Stage[main]/Packages/Package[nginx]/ensure) ensure changed '1.18.0-6ubuntu14.4' "
        "to '1.18.0-6ubuntu14.5'",
        "(/Stage[main]/Packages/Package[nginx]/ensure) ensure changed '1.24.0-2ubuntu7' "
        "to '1.24.0-2ubuntu7.1'",
        "(/Stage[main]/Packages/Package[nginx]/ensure) ensure changed 'purged' to \"2:4.1-1\"",
    ])  # fmt: skip
    assert old == new == "(<*>/Package[nginx]/ensure) ensure changed '<*>' to '<*>'"
    assert purged.endswith("ensure changed 'purged' to \"<*>\"")


def test_syslogs_escaped_newline_parts_words(masked_alike):
    """QA Puppet: rsyslog writes a message's newline as `#012`; `');#012Use` was one word, a
    value glued to the text after it."""
    escaped, spaced = masked_alike([
        "administratively disabled (Reason: 'maintenance by alice');#012Use the agent",
        "administratively disabled (Reason: 'maintenance by bob'); Use the agent",
    ])  # fmt: skip
    assert escaped == spaced == "administratively disabled (Reason: <*>); Use the agent"


def test_a_rollover_is_said_in_the_year_of_the_logs_own_zone(log_parsed):
    """QA Puppet: with --timezone Europe/Berlin, Berlin's New Year rollover was "later lines
    dated 2026", the UTC year of 23:00 on Dec 31 (the stored times were right)."""
    lines = [
        AGENT.format(day=31, time="23:59:58", message="Requesting catalog"),
        AGENT.format(day=" 1", time="00:00:01", message="Catalog compiled"),
    ]
    lines[1] = lines[1].replace("Dec", "Jan")
    for zone in (None, "Europe/Berlin", "+02:00"):
        events, summary = log_parsed(lines, "linux", year=2026, timezone=zone)
        assert "year rollover at parsed.log:2: later lines dated 2027" in summary.notes, zone
    assert str(events["timestamp"][1]).startswith("2026-12-31 22:00:01")


def test_nagios_records_read_as_named_fields(masked_alike):
    """QA Nagios: 463 templates of about 172 events, a template per host, contact, author and
    comment (`CURRENT SERVICE STATE: web01;HTTP;...` and `web02;HTTP;...` two events), and an
    acknowledgement by a new author with a new comment a new event: 24 of 26 false alarms."""
    web01, web02, https = masked_alike([
        f"CURRENT SERVICE STATE: {host};{service};OK;HARD;1;HTTP OK: HTTP/1.1 200 OK - 1234 "
        "bytes in 0.098 second response time"
        for host, service in (("web01", "HTTP"), ("web02", "HTTP"), ("web01", "HTTPS"))
    ])  # fmt: skip
    assert web01 == web02 != https
    assert web01.startswith("CURRENT SERVICE STATE: host=<*> service=HTTP state=OK type=HARD ")
    acked = [
        f"SERVICE NOTIFICATION: nagiosadmin;{host};PING;ACKNOWLEDGEMENT (CRITICAL);"
        f"notify-service-by-email;PING CRITICAL - Packet loss = 100%;{author};{comment}"
        for host, author, comment in (
            ("app03", "mlopez", "Known issue, ticket INC3283567"), ("app01", "jsmith", "Rebooting")
        )
    ]
    first, second = masked_alike(acked)
    assert first == second
    assert first.endswith("; PING CRITICAL - Packet loss = <*>%; author=<*> comment=<*>")
    assert "notification=ACKNOWLEDGEMENT (CRITICAL)" in first
    plain, host_ack, group = masked_alike([
        "SERVICE NOTIFICATION: oncall;web01;HTTP;CRITICAL;notify-service-by-email;connect to "
        "address 10.0.0.11 and port 80: Connection refused",
        "EXTERNAL COMMAND: ACKNOWLEDGE_SVC_PROBLEM;app01;PING;2;1;1;jsmith;Known issue, ticket 42",
        "EXTERNAL COMMAND: SCHEDULE_HOSTGROUP_SVC_DOWNTIME;webservers;1733392800;1733400000;1;0;"
        "7200;mlopez;Patching",
    ])  # fmt: skip
    assert "notification=CRITICAL command=notify-service-by-email;" in plain
    assert host_ack.startswith("EXTERNAL COMMAND: ACKNOWLEDGE_SVC_PROBLEM host=<*>; PING; ")
    assert host_ack.endswith("author=<*> comment=<*>")
    assert group.startswith("EXTERNAL COMMAND: SCHEDULE_HOSTGROUP_SVC_DOWNTIME; webservers; ")


def test_an_epoch_format_dated_at_midnight_is_no_date_without_a_time(log_parsed):
    """QA Nagios: a rotation's state dump, every line at exactly 00:00:00 UTC, was warned of as
    "format nagios reads a date without its time of day"; epoch seconds hold the time."""
    lines = [f"[1733356800] CURRENT HOST STATE: web0{i};UP;HARD;1;PING OK" for i in range(3)]
    _, summary = log_parsed(lines, "nagios")
    assert not any("midnight" in w for w in summary.warnings), summary.warnings


def test_a_quoted_status_line_keeps_its_class(masked_alike):
    """QA Traefik: `'502 Bad Gateway' caused by: ...` was masked whole, a 502 a 499's event,
    while `'504 Gateway Timeout'` kept its reason."""
    bad, timeout, ok = masked_alike([
        "'502 Bad Gateway' caused by: dial tcp 10.0.1.8:3000: connect: connection refused",
        "'504 Gateway Timeout' caused by: dial tcp 10.0.1.8:3000: connect: connection refused",
        "'200 OK' caused by: dial tcp 10.0.1.8:3000: connect: connection refused",
    ])  # fmt: skip
    assert bad.startswith("'5xx Bad Gateway' caused by: ")
    assert timeout.startswith("'5xx Gateway Timeout' caused by: ")
    assert ok.startswith("'2xx OK' caused by: ")


def test_a_logfmt_key_of_two_words_is_read(tmp_path):
    """QA Traefik: logrus writes Traefik's `ACME CA="https://..."` with its space; every
    certificate line was rejected, a rate-limited renewal's error lost (exit 0)."""
    from logbert.parsing.logfmt import logfmt_record

    line = (
        'time="2026-12-05T09:03:00Z" level=error msg="Unable to obtain ACME certificate" '
        'ACME CA="https://acme-v02.api.letsencrypt.org/directory" providerName=letsencrypt.acme'
    )
    record = logfmt_record(line)
    assert record is not None
    assert record["ACME CA"] == "https://acme-v02.api.letsencrypt.org/directory"
    assert record["providerName"] == "letsencrypt.acme"
    assert logfmt_record("goroutine 1 [running]: main.main() x=1") is None  # no message or time


def test_what_an_access_line_holds_after_its_agent_is_kept(log_parsed):
    """QA Traefik: its access log's request count, router, backend and duration after the
    agent were in no field, unsaid."""
    line = (
        '203.0.113.7 - - [05/Dec/2026:10:00:03 +0000] "GET /api/orders/42 HTTP/2.0" 502 11 "-" '
        '"Mozilla/5.0 (X11)" 1534 "web-api@docker" "http://10.0.1.8:3000" 3ms'
    )
    extra = '1534 "web-api@docker" "http://10.0.1.8:3000" 3ms'
    events, _ = log_parsed([line, line.removesuffix(" " + extra)], "access")
    assert events["Extra"] == [extra, ""]
    assert events["template"][0] == events["template"][1] == '"GET /api/orders/<*> HTTP/<*>" 5xx'


def test_asa_tcp_flags_and_commands(masked_alike):
    """QA Cisco ASA: `flags RST ACK` and `flags FIN PSH ACK` were a template each, a new
    combination a new event at surprise 27; `executed the 'clear configure all' command` was
    `'write memory'`'s event."""
    deny = "%ASA-6-106015: Deny TCP (no connection) from 10.0.0.1/5897 to 10.0.0.12/443 flags {} "
    rst, fin, clear, write = masked_alike([
        deny.format("RST") + "on interface outside",
        deny.format("FIN PSH ACK ") + "on interface outside",
        "%ASA-5-111008: User 'admin' executed the 'clear configure all' command.",
        "%ASA-5-111008: User 'admin' executed the 'write memory' command.",
    ])  # fmt: skip
    assert rst == fin and rst.endswith("flags <*> on interface outside")
    assert "'clear" in clear and "'write" in write and clear != write


def test_a_capitalised_last_word_is_not_a_value_ending_the_same_words():
    """QA GC logs: with a format string whose <Component> took the tags, a JVM's `GC(183)
    Concurrent Mark Cycle` (a concurrent cycle's start) and `GC(183) Concurrent Mark 205.362ms`
    (its marking's end) were one event, and sessions by GC id were said to "start over"."""
    from logbert.parsing.masks import mask_text
    from logbert.parsing.miner import TemplateMiner

    lines = [f"GC({i}) Concurrent Mark Cycle" for i in range(5)]
    lines += [f"GC({i}) Concurrent Mark {i * 41.3 + 3:.3f}ms" for i in range(5)]
    ids = TemplateMiner().add([mask_text(line) for line in lines])
    assert len(set(ids[:5])) == len(set(ids[5:])) == 1 and ids[0] != ids[5]


def test_a_loki_query_and_tenant_are_values(json_parsed):
    """QA Loki: a template per LogQL `query=` and per `org_id`, a dashboard's new query's
    routine `context canceled` a new event (both false alarms of the test day)."""
    records = [
        {"level": "error", "ts": f"2026-12-05T06:12:0{i}.5Z", "caller": "retry.go:95",
         "org_id": tenant, "msg": "error processing request", "try": "0", "query": query,
         "err": "context canceled"}
        for i, (tenant, query) in enumerate([
            ("shop-prod", '{app="shop", namespace="prod"}'),
            ("tenant-b", 'rate({namespace="prod"} |~ "timeout|refused" [5m])'),
            ("tenant-c", "count_over_time({job='x'} [1m])"),
        ])
    ]  # fmt: skip
    events, _ = json_parsed(records)
    assert len(set(events["template_id"])) == 1, set(events["template"])
    assert "org_id=<*>" in events["template"][0] and "query=<*>" in events["template"][0]


def test_a_request_line_with_its_status_in_parentheses_keeps_endpoint_and_class(masked_alike):
    """QA Loki: weaveworks' `POST /loki/api/v1/push (500) 12.3ms` was `POST <*> (<*>) <*>`,
    every endpoint and status one event; and a context root's API path ending at its resource
    (`/loki/api/v1/push`, `/shop/api/v1/login`) kept `/v1` and masked the resource."""
    push, query, login, order = masked_alike([
        "POST /loki/api/v1/push (500) 12.3ms Response: ws: false",
        "GET /loki/api/v1/query_range (200) 1.2s Response: ws: false",
        "POST /shop/api/v1/login 503 12ms",
        "GET /shop/api/v1/orders/42 200 3ms",
    ])  # fmt: skip
    assert push == "POST /loki/api/v1/push (5xx) <*> Response: ws: <*>"
    assert query.startswith("GET /loki/api/v1/query_range (2xx) ")
    assert login == "POST /shop/api/v1/login 5xx <*>"
    assert order == "GET /shop/api/v1/orders/<*> 2xx <*>"


def test_an_internal_apis_resource_is_its_endpoint(masked_alike):
    """QA Kibana: `/internal/bsearch`, `/internal/search/ese` and `/internal/security/login`
    were one `/internal/<*>` event, a bulk delete of alerting rules a search's."""
    search, login = masked_alike([
        "POST /internal/bsearch 200 45ms - 1.2KB",
        "POST /internal/security/login 200 45ms - 1.2KB",
    ])  # fmt: skip
    assert search.startswith("POST /internal/bsearch 2xx ")
    assert login.startswith("POST /internal/security/<*> 2xx ")


def test_an_http_code_field_keeps_its_class_and_base32_ids_are_values(masked_alike):
    """QA Mattermost: `http_code=500` was `http_code=<*>`, a server error the routine 404's
    event; its 26-character lower-case ids stayed in a rare message's template."""
    missing, failed, closed = masked_alike([
        "error Unable to get the file. err_where=GetFile http_code=404",
        "error Unable to get the file. err_where=GetFile http_code=500",
        "info Websocket connection closed connection_id=zz3xq7dh1ifjbyd8n9ds9o7cuy "
        "user_id=4xp9fdt8pjgx3r7ke5q1wzyh6e",
    ])  # fmt: skip
    assert missing.endswith("http_code=4xx") and failed.endswith("http_code=5xx")
    assert closed.endswith("connection_id=<*> user_id=<*>")
    assert masked_alike(["word abcdefghijklmnopqrstuvwx12 stays"]) == [
        "word abcdefghijklmnopqrstuvwx12 stays"
    ]


def test_params_after_a_value_of_several_words_stay_in_place(log_parsed):
    """QA UniFi: a duration written with spaces is one `<*>`, and every parameter after it
    was shifted: `(5m`, `connected,` and `last` for the duration, bytes and access point."""
    line = (
        "2026-12-05T10:03:05,678 INFO [event] User[a4:83:e7:01:02:0{i}] disconnected from "
        '"Office" ({took} connected, 12.3M bytes, last AP[74:ac:b9:12:34:56])'
    )
    lines = [line.format(i=i, took=took) for i, took in enumerate(["5m 12s", "1h 2m 12s", "12s"])]
    events, _ = log_parsed(lines, "iso")
    assert len(set(events["template_id"])) == 1
    assert [p[-3:] for p in events["params"]] == [
        [took, "12.3M", "AP[74:ac:b9:12:34:56])"] for took in ("(5m 12s", "(1h 2m 12s", "(12s")
    ]


def test_a_wrong_format_is_told_the_format_auto_would_choose(tmp_path):
    """QA Zigbee2MQTT: `auto` chose `iso`, but the error after a wrong --format said "try
    --format envoy", whose level and component fields stay empty on these lines."""
    from logbert.errors import LogbertError
    from logbert.parsing.formats import resolve_format
    from logbert.parsing.pipeline import parse_files

    log = tmp_path / "z2m.log"
    log.write_text("".join(
        f"[2026-12-01 07:58:1{i}] info: \tz2m: MQTT publish: topic 'zigbee2mqtt/plug_{i}'\n"
        for i in range(5)
    ))  # fmt: skip
    try:
        parse_files([str(log)], resolve_format("apache"), tmp_path / "e.parquet")
    except LogbertError as exc:
        assert "try --format iso or --format envoy" in str(exc), str(exc)
    else:
        raise AssertionError("apache read Zigbee2MQTT's lines")


def test_a_status_after_the_client_in_brackets_keeps_its_class(masked_alike):
    """QA Plex: `Completed: [10.0.0.42:51234] 500 GET /library/metadata/42888 (16 live)` was the
    200's event and its path masked whole: a server answering every request with 500 unseen."""
    ok, failed = masked_alike([
        f"Completed: [174.67.165.210:49919] {status} GET /library/metadata/42888 (16 live) #2d98 "
        "TLS GZIP 185ms 821694 bytes (pipelined: 5)"
        for status in (200, 500)
    ])  # fmt: skip
    assert ok.startswith("Completed: [<*>] 2xx GET /library/<*> (<*> live) ")
    assert failed.startswith("Completed: [<*>] 5xx GET /library/<*> (<*> live) ")


def test_quoted_user_names_and_zfs_snapshots_are_values():
    """QA TrueNAS: `User 'truenas_admin' logged in` read as a state beside `'admin'` and
    `'jdoe'`, a template per user (a new user's logins 6 false alarms); ZFS snapshots kept per
    dataset where a few recurred (`tank/home@auto-<*>` beside `tank/<*>`)."""
    from logbert.parsing.masks import mask_text
    from logbert.parsing.miner import TemplateMiner

    users = ["admin", "jdoe", "truenas_admin"] * 4
    lines = [f"User '{user}' logged in from 192.168.1.{i}" for i, user in enumerate(users)]
    datasets = ["tank/home", "tank/media", "backup/archive", "tank/apps/ix-applications"] * 4
    lines += [f"Created snapshot {d}@auto-2026-12-01_00-{i:02d}" for i, d in enumerate(datasets)]
    ids = TemplateMiner().add([mask_text(line) for line in lines])
    assert len(set(ids[:12])) == len(set(ids[12:])) == 1
    assert mask_text(lines[12]) == "Created snapshot <*>"
    puppet = ["Running '{}' command", "Ran '{}' command"]  # Puppet's commands stay events
    commands = ("replace_facts", "replace_catalog")
    ids = TemplateMiner().add([p.format(c) for p in puppet for c in commands])
    assert len(set(ids)) == 4


def test_a_file_path_with_spaces_before_a_message_is_one_value(masked_alike):
    """QA rclone: `music/Pink Floyd/The Wall/Comfortably Numb.mp3: Copied (new)` split at its
    spaces, a template per folder and file spelling (26 for 8 events, 7 of 17 normal nights
    flagged); a slash in prose (`read/write error`) stays words."""
    deep, spaced, folder, prose = masked_alike([
        "INFO  : music/Pink Floyd/The Wall/Comfortably Numb.mp3: Copied (new)",
        "INFO  : documents/meeting notes.pdf: Copied (new)",
        "INFO  : music/Pink Floyd/The Wall: Deleted",
        "error: read/write error on device sda: I/O error",
    ])  # fmt: skip
    assert deep == spaced == "INFO : <*>: Copied (new)"
    assert folder == "INFO : <*>: Deleted"
    assert prose == "error: read/write error on device sda: I/O error"


def test_an_authentication_factor_is_a_word(masked_alike):
    """QA Authelia: `Successful 1FA authentication attempt` and `... 2FA ...` were one event,
    `1FA` read as a hex number."""
    first, second, hexed = masked_alike([
        "Successful 1FA authentication attempt made by user 'alice'",
        "Successful 2FA authentication attempt made by user 'alice'",
        "checksum 12FA ok",
    ])  # fmt: skip
    assert first.startswith("Successful 1FA authentication attempt made by user ")
    assert second.startswith("Successful 2FA authentication attempt made by user ")
    assert hexed == "checksum <*> ok"


def test_logfmt_after_docker_logs_timestamps_is_read(tmp_path):
    """QA Authelia: `docker logs -t` writes its own time before each logrus line; `auto` read
    them as `iso`, the pairs left in every message, no level column."""
    from logbert.parsing.logfmt import logfmt_record

    line = (
        '2026-12-08T05:00:00.123456789Z time="2026-12-08T06:00:00+01:00" level=info '
        'msg="Authelia v4.38.0 is starting"'
    )
    record = logfmt_record(line)
    assert record is not None and record["time"] == "2026-12-08T06:00:00+01:00"
    assert record["msg"] == "Authelia v4.38.0 is starting"
    bare = logfmt_record('2026-12-08T05:00:00Z level=info msg="started"')
    assert bare is not None and bare["time"] == "2026-12-08T05:00:00Z"


def test_a_url_with_an_ipv6_host_is_one_value(masked_alike):
    """QA AdGuard Home: `Listening to udp://[::]:53` was `Listening to <*>::]:<*>`."""
    any_host, host = masked_alike([
        "dnsproxy: Listening to udp://[::]:53",
        "dnsproxy: Listening to https://[2001:db8::1]:443/dns-query",
    ])  # fmt: skip
    assert any_host == host == "dnsproxy: Listening to <*>"


def test_a_time_of_day_alone_is_not_sent_to_timestamp_format(log_parsed):
    """QA Prefect: `<Time>` holding `21:30:00.123` was a warning advising --timestamp-format,
    which then refused `%H:%M:%S.%f` (no date): the advice went in a circle."""
    lines = [f"21:30:0{i}.123 | INFO    | Flow run 'amber-fox' - Created run" for i in range(3)]
    _, summary = log_parsed(lines, r"<Time> \| <Level> \| <Content>")
    warning = next(w for w in summary.warnings if "dates no line" in w)
    assert "<Time> holds a time of day alone" in warning and "--timestamp-format" not in warning


def test_a_24_hour_timestamp_format_beside_am_pm_is_refused(tmp_path):
    """QA NestJS: `--timestamp-format '%m/%d/%Y %H:%M:%S'` beside a `<Meridiem>` field read
    `12:05:00 AM` as noon and every PM time as the morning's, exit 0, unsaid."""
    import pytest

    from logbert.errors import LogbertError
    from logbert.parsing.formats import resolve_format
    from logbert.parsing.pipeline import parse_files

    log = tmp_path / "nest.log"
    log.write_text("".join(
        f"[Nest] 7  - 12/05/2026, {t}     LOG [NestFactory] Starting Nest application...\n"
        for t in ("12:05:00 AM", "1:15:00 PM")
    ))  # fmt: skip
    layout = r"\[Nest\] <Pid>  - <Date>, <Time> <Meridiem> +<Level> \[<Component>\] <Content>"
    with pytest.raises(LogbertError, match=r"field <Meridiem> holds AM/PM \(e\.g\. 'AM'\)"):
        fmt = resolve_format(layout, timestamp_format="%m/%d/%Y %H:%M:%S")
        parse_files([str(log)], fmt, tmp_path / "e.parquet")
    fmt = resolve_format(layout, timestamp_format="%m/%d/%Y %I:%M:%S %p")
    parse_files([str(log)], fmt, tmp_path / "e.parquet")


def test_an_events_file_given_as_sessions_is_told_to_sessionize(tmp_path, log_parsed):
    """QA NestJS: `score MODEL events.parquet` said "missing keys, session_id", not that the
    file is `parse` output to sessionize first."""
    import pytest

    from logbert.errors import LogbertError
    from logbert.sessions.io import read_sessions

    log_parsed(["2026-12-05T10:00:00 INFO started"] * 2, "iso")
    with pytest.raises(LogbertError, match="it is `logbert parse` output .* `logbert sessionize`"):
        read_sessions(tmp_path / "parsed.parquet")


def test_realigning_params_never_backtracks():
    """A row with more words than a template of twenty `<*>`, that it does not fit: matched by
    a regex of open `<*>`s it ran for minutes; the alignment answers at once."""
    from logbert.parsing.param_align import _matched

    template = " ".join(["<*>"] * 20 + ["END"])
    assert _matched(template, ["w"] * 32 + ["NOPE"]) is None
    words = ["job", "7", "took", "(1h", "2m", "12s", "ok"]
    assert _matched("job <*> took (<*> ok", words) == ["7", "(1h 2m 12s"]
