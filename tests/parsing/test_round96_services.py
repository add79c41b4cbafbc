"""What blind QA round 96 (Moodle, Aerospike, Jaeger, Concourse CI, multipath / iSCSI) found
in reading each log's lines, and what they read as now."""

from __future__ import annotations

from logbert.parsing.masks import mask_text

TICKER = [
    "{test} client: tsvc (0,0) proxy (0,0,0) read (1896,0,0,37,0) write (192,0,0,0) "
    "delete (9,0,0,4,0)",
    "{test} client: tsvc (0,0) proxy (0,0,0) read (1896,0,0,37,0)",
    "{test} batch-sub: read (52,0,0,3,0) write (0,0,0,0) delete (0,0,0,0,0)",
]


def test_tuples_in_parentheses_make_no_csv_record():
    """QA Aerospike: a ticker line of many `(0,0,0)` tuples was read as a CSV record, and 10% of
    the log, two kinds of ticker line, one `<*>` template."""
    assert mask_text(TICKER[0]) == (
        "{test} client: tsvc (<*>,<*>) proxy (<*>,<*>,<*>) read (<*>,<*>,<*>,<*>,<*>) "
        "write (<*>,<*>,<*>,<*>) delete (<*>,<*>,<*>,<*>,<*>)"
    )
    assert mask_text(TICKER[2]).startswith("{test} batch-sub: read (<*>,")


def test_an_account_after_user_colon_in_a_record_of_fields_is_a_name():
    """QA Aerospike: `authenticated user: app_cart` kept each account, a template per user,
    while `detail: user=<*>` in the same line was masked."""
    line = (
        "permitted | client: 10.0.4.21:40766 | authenticated user: app_cart | action: login | "
        "detail: user=app_cart"
    )
    assert mask_text(line) == (
        "permitted | client: <*>:<*> | authenticated user: <*> | action: login | "
        "detail: user=<*>"
    )
    assert mask_text("user: shutting down") == "user: shutting down"  # prose stays


def test_a_zero_count_of_failures_reads_alike_whatever_else_the_chunk_holds(log_parsed):
    """QA Moodle: `Sent 2 messages with 0 failures` kept its `0` only in a chunk holding an
    `Error` line, so the scoring run's normal lines were a new event (154 of 157 false alarms)."""
    alone, _ = log_parsed(["Sent 2 messages with 0 failures"] * 3, "raw")
    beside, _ = log_parsed(
        ["Error calling message processor email"] + ["Sent 2 messages with 0 failures"] * 3, "raw"
    )
    assert set(alone["template"]) == {"Sent <*> messages with 0 failures"}
    assert set(beside["template"][1:]) == {"Sent <*> messages with 0 failures"}


def test_the_join_advice_for_apaches_error_log_starts_records_at_their_date():
    """QA Moodle: a PHP record's indented `  0 => 1733222400,` lines made the advised record
    start, and the join glued 147 lines of unrelated requests into 25 records."""
    from logbert.parsing.summary import join_continuations

    head = [
        "[Tue Dec 03 10:40:00.100000 2024] [php:error] [pid 4954:tid 1399] Default exception",
        "[array (",
        "  0 => 1733222400,",
        "  1 => 4711,",
        "  2 => 4712,",
        ")]",
        "[Tue Dec 03 10:41:00.100000 2024] [php:warn] [pid 4955:tid 1398] PHP Warning",
    ]
    advice = join_continuations(head)
    assert "awk '/^\\[[A-Za-z][A-Za-z][A-Za-z] [A-Za-z][A-Za-z][A-Za-z] /" in advice
    # records that all start indented keep their start (Zabbix's right-aligned pids)
    assert "/^[ \\t]*[0-9]+:" in join_continuations(["  1225:20251125:011240.113 x"])


def test_a_php_script_under_folders_is_the_page():
    """QA Moodle: `/mod/quiz/view.php` and `/mod/quiz/attempt.php` were one `/mod/<*>` event, a
    quiz's missing step unseen."""
    for path in ("/mod/quiz/view.php", "/mod/quiz/attempt.php", "/wp-admin/post.php"):
        assert mask_text(f'"GET {path}?id=5 HTTP/1.1" 200') == f'"GET {path}?<*> HTTP/<*>" 2xx'
    assert mask_text('"GET /user/7/profile.php HTTP/1.1" 200') == '"GET /user/<*> HTTP/<*>" 2xx'


CONCOURSE = (
    '{{"timestamp":"2024-03-12T06:{m:02d}:32.66Z","level":"info","source":"atc","message":'
    '"{event}","data":{{"build":"{b}","build_id":{b}3422,"job":"plan","pipeline":"infra",'
    '"session":"17.{b}","team":"{team}"}}}}'
)


def test_a_lager_event_name_is_the_event_and_a_team_a_name(log_parsed):
    """QA Concourse: a new team's lines mined together made `created-build` and `track.start`
    one `atc.<*>` event with `data.team=mobile` kept; 37 event kinds were 67 templates."""
    events = ["atc.scheduler.schedule-job.created-build", "atc.tracker.track.start",
              "atc.tracker.track.finish", "atc.tracker.track.aborting"]  # fmt: skip
    lines = [
        CONCOURSE.format(m=i, event=events[i % 4], b=i, team=("main", "mobile", "ops")[i % 3])
        for i in range(24)
    ]
    parsed, _ = log_parsed(lines, "json")
    templates = set(parsed["template"])
    assert len(templates) == 4
    assert all("data.team=<*>" in t and "atc.<*>" not in t for t in templates)


def test_an_exit_status_field_keeps_its_value():
    """QA Concourse: `data.exit-status=<*>` made a failing task's step a passing one's."""
    assert "exit-status=1 " in mask_text("task-step.finished data.exit-status=1 source=atc")


def test_disks_maps_sessions_and_a_commands_bytes_are_values():
    """QA multipath: `sdb:`, `mpatha:`, `session1:`, `sg9` kept, a template per device; a CDB
    byte without a digit (`cf`) kept, one event eight templates."""
    for line, masked in [
        ("sdb: detected capacity change from 579820584960 to 590558003200",
         "<*>: detected capacity change from <*> to <*>"),
        ("mpatha: remaining active paths: 1", "<*>: remaining active paths: <*>"),
        ("session1: session recovery timed out after 120 secs",
         "<*>: session recovery timed out after <*> secs"),
        ("sd 3:0:0:2: Attached scsi generic sg9 type 0",
         "sd <*>:<*>:<*>:<*>: Attached scsi generic <*> type <*>"),
        ("sdf [8:80]: path added to devmap mpathc", "<*> [<*>]: path added to devmap <*>"),
        ("mpathb: sdc - tur checker reports path is down",
         "<*>: <*> - tur checker reports path is down"),
        ("sd 3:0:0:2: [sdf] tag#47 CDB: Write(10) 2a 00 05 c3 15 cf 00 00 08 00",
         "sd <*>:<*>:<*>:<*>: [<*>] tag#<*> CDB: Write(<*>) <*>"),
        ("sdpd startup succeeded", "sdpd startup succeeded"),  # a daemon, no disk
    ]:  # fmt: skip
        assert mask_text(line) == masked
