"""QA round 63 (Traefik, JVM unified GC logs, Nagios, Puppet, Cisco ASA): what each log's first
run got wrong, as a new user met it."""

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
