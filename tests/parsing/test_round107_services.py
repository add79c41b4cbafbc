"""What blind QA rounds 107-108 (Keycloak, CockroachDB, Zabbix, Asterisk, Fluentd) found in
reading each log's lines, and what they read as now."""

from __future__ import annotations


def test_a_scheduled_tasks_pascal_case_name_is_its_event(log_parsed):
    """QA Keycloak: `Executed scheduled task ClearExpiredUserSessions` one event with three
    other tasks, so a missing session expiry went unseen."""
    tasks = (
        "ClearExpiredEvents", "ClearExpiredAdminEvents", "ClearExpiredClientInitialAccessTokens",
        "ClearExpiredUserSessions",
    )  # fmt: skip
    lines = [
        f"2024-06-03 06:{i // 4:02d}:{i % 60:02d},559 DEBUG [org.keycloak.services.scheduled."
        f"ScheduledTaskRunner] (Timer-0) Executed scheduled task {tasks[i % 4]}"
        for i in range(80)
    ]
    events, _ = log_parsed(lines, "wildfly")
    assert {t.rpartition(" ")[2] for t in events["template"]} == set(tasks)


def test_not_null_is_a_constraint_not_a_null_value(masked_alike):
    """QA CockroachDB: `column "flags" NOT NULL failed` read as `NOT <*> failed`."""
    (masked,) = masked_alike(['validation of column "flags" NOT NULL failed on row: [77]'])
    assert 'NOT NULL failed on row: [<*>]' in masked
    (value,) = masked_alike(["parent=null depth=3"])
    assert value == "parent=<*> depth=<*>"  # a null value still is one


def test_a_redacted_value_is_masked_and_a_keyword_kept(masked_alike):
    """QA CockroachDB: `index backfill for table ‹orders›` beside `‹payments›` two events (a
    new table's a new one); `‹BACKUP›`, a statement's kind, stays."""
    lines = [
        f"index backfill for table ‹{table}› has made no progress in ‹{wait}›; 4 spans remaining"
        for table, wait in (("orders", "5m0s"), ("payments", "10m0s"))
    ]
    masked = masked_alike(lines)
    assert masked[0] == masked[1]
    assert masked[0].startswith("index backfill for table ‹<*>› has made no progress in ‹<*>›")
    (kept,) = masked_alike(["job started distsql.stmt=‹BACKUP›"])
    assert "‹BACKUP›" in kept


def test_zabbix_first_and_another_network_error_are_two_events(log_parsed):
    """QA Zabbix: `failed: first network error` and `another network error` one event (the
    first opens an unreachable period): a host disabled with no first error passed."""
    lines = [
        f"  1262:20251124:10{i // 60:02d}{i % 60:02d}.123 Zabbix agent item \"{item}\" on host "
        f"\"{host}\" failed: {('first', 'another', 'another')[i % 3]} network error, wait for "
        "15 seconds"
        for i, (item, host) in enumerate(
            [(("agent.ping", "net.if.in[eth0]")[i % 2], f"web{i % 7:02d}") for i in range(60)]
        )
    ]
    events, _ = log_parsed(lines, "zabbix")
    templates = set(events["template"])
    assert len(templates) == 2
    assert {t.split("failed: ")[1].split()[0] for t in templates} == {"first", "another"}


def test_asterisk_with_an_iso_date_has_its_format(auto_parsed):
    """QA Asterisk: `dateformat=%F %T` (FreePBX's), `[2025-12-01 00:00:53]`, rejected by
    `asterisk`; `auto` chose `iso`, the level, thread and call id left in every template."""
    asterisk = auto_parsed([
        "[2025-12-01 00:00:53] VERBOSE[23422][C-000001a1] app_dial.c: Called PJSIP/203",
        "[2025-12-01 00:00:54] NOTICE[1234] chan_sip.c: Registration from '\"101\" "
        "<sip:101@10.0.0.5:5060>' failed for '10.0.0.9:5060' - Wrong password",
    ], "asterisk-iso")  # fmt: skip
    assert asterisk["CallId"][0] == "C-000001a1" and asterisk["Level"] == ["VERBOSE", "NOTICE"]
    assert asterisk["template"][0] == "Called PJSIP/<*>"


def test_verbose_names_a_level(log_parsed):
    """QA Asterisk: a format string's `<Level>` on `VERBOSE`, Asterisk's level, was said to
    name no level, with advice to leave the field out."""
    lines = [
        f"[2025-12-01 00:00:5{i}] {level}[2342{i}] app_dial.c: Called PJSIP/20{i}"
        for i, level in enumerate(["VERBOSE", "VERBOSE", "DTMF", "SECURITY", "VERBOSE"])
    ]
    _, summary = log_parsed(lines, "[<Date> <Time>] <Level>[<Pid>] <Component>: <Content>")
    assert not [w for w in summary.warnings if "names no level" in w]


def test_an_asterisk_channel_is_one_variable(masked_alike):
    """QA Asterisk: `PJSIP/203-00000302 is ringing` read `PJSIP/<*>-<*>`, a trunk's
    `PJSIP/trunk-sipgate-00000305` `PJSIP/<*>`: one event two keys."""
    channels = ("PJSIP/203-00000302", "PJSIP/trunk-sipgate-00000305", "SIP/115-00000a5f")
    lines = [f"{channel} is ringing" for channel in channels]
    assert masked_alike(lines) == ["PJSIP/<*> is ringing"] * 2 + ["SIP/<*> is ringing"]


def test_a_quoted_word_and_conversion_keeps_its_quotes(masked_alike):
    """QA Zabbix: `value type "Numeric (unsigned)"` read `value type <*>"`, a stray quote."""
    (masked,) = masked_alike(['Value "N/A" is not suitable for value type "Numeric (unsigned)"'])
    assert masked.endswith('for value type "<*>"')


def test_a_plugins_own_id_is_masked(masked_alike):
    """QA Fluentd (round 108): `plugin_id="in_tail_postgres"` kept, a template per plugin a
    reload shut down, and a routine reload on another host a new event."""
    lines = [
        f'shutting down input plugin type=:tail plugin_id="in_tail_{name}"'
        for name in ("nginx", "postgres")
    ]
    masked = masked_alike(lines)
    assert masked[0] == masked[1] == "shutting down input plugin type=:tail plugin_id=<*>"


def test_values_in_parentheses_before_a_message_leave_its_words_events(log_parsed):
    """QA HTCondor (round 108): the shadow's `(5018.0) (31100): JobLeaseDuration: 2400
    seconds`, `Found starter: <...>` and two more one `(<*>) (<*>): <*> <*> <*>` template."""
    a, b = "12/02/25 07:10:01 (5018.0) (31100): ", "12/02/25 07:20:01 (5019.0) (31105): "
    found = "Found starter: <10.1.0.1{0}:9618?addrs=10.1.0.1{0}-9618&alias=exec0{0}.x&noUDP>"
    lines = [  # the shadow's reconnect lines, as QA wrote them
        a + "Can no longer talk to condor_starter <10.1.0.13:9618>",
        a + "Trying to reconnect to disconnected job",
        a + "LastJobLeaseRenewal: 1764659101 Tue Dec 02 07:05:01 2025",
        a + "JobLeaseDuration: 2400 seconds",
        a + "JobLeaseDuration remaining: 2141",
        a + "Attempting to locate disconnected starter",
        a.replace(":01 (", ":03 (") + found.format(3),
        b + "LastJobLeaseRenewal: 1764659701 Tue Dec 02 07:15:01 2025",
        b + "JobLeaseDuration: 2400 seconds",
        b + "JobLeaseDuration remaining: 2290",
        b.replace(":01 (", ":03 (") + found.format(4),
    ]
    events, _ = log_parsed(lines, "<Date> <Time> <Content>", timestamp_format="%m/%d/%y %H:%M:%S")
    assert len(set(events["template"])) == 7
    assert "(<*>) (<*>): JobLeaseDuration: <*> seconds" in events["template"]


def test_auto_does_not_read_a_two_digit_year_date_as_sparks(tmp_path):
    """QA HTCondor (round 108): `auto` chose `spark` for `12/02/25 06:01:03 slot1: Request
    accepted.` (1 of 3 lines read, `slot1:` its level), dated it 2012-02-25, exit 0."""
    import pytest

    from logbert.errors import LogbertError
    from logbert.parsing.formats import resolve_format
    from logbert.parsing.pipeline import parse_files

    log = tmp_path / "StartLog"
    log.write_text(
        "12/02/25 06:01:03 slot1: Request accepted.\n"
        "12/02/25 06:01:03 slot1: Remote owner is alice@cluster.example.com\n"
        "12/02/25 06:01:04 slot1: Changing activity: Idle -> Busy\n"
    )
    with pytest.raises(LogbertError, match=r"--timestamp-format '%m/%d/%y %H:%M:%S'"):
        parse_files([str(log)], resolve_format("auto"), tmp_path / "e.parquet")


def test_a_user_named_in_a_parenthesized_list_before_text_is_masked(masked_alike):
    """QA ClickHouse (round 108): `(from 10.20.1.28:50728, user: bob) SELECT ...` kept the
    user, a template per user, and a new user's routine query a new event."""
    lines = [
        f"(from 10.20.1.28:5072{i}, user: {user}) SELECT count() FROM analytics.events"
        for i, user in enumerate(("grafana", "bob"))
    ]
    masked = masked_alike(lines)
    assert masked[0] == masked[1]
    assert masked[0] == "(from <*>:<*>, user: <*>) SELECT count() FROM analytics.events"
