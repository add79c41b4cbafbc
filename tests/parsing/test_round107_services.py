"""What blind QA round 107 (Keycloak, CockroachDB) found in reading each log's lines, and what
they read as now."""

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
