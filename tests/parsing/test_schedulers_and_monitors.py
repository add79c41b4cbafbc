"""Mail, monitoring, batch-scheduler and cloud logs as blind QA round 14 met them: Postfix's
queue ids and SMTP replies, Nagios' `;`-separated fields, Slurm's signals, Airflow's compact
dates, OpenStack Nova's request contexts and API paths."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest

from logbert.errors import LogbertError
from logbert.parsing.formats import resolve_format
from logbert.parsing.masks import mask_array, mask_text
from logbert.parsing.miner import TemplateMiner, _generalize
from logbert.parsing.splitter import split_lines
from logbert.sessions.options import compile_id_pattern


def _chunk_masks(line: str) -> str:
    """`line` masked as a chunk of its own (`mask_array`), to compare with `mask_text`."""
    distinct, codes, _ = mask_array(pa.array([line]))
    return distinct[int(codes[0])].as_py()


@pytest.mark.parametrize(
    "text, masked",
    [
        # Postfix's long queue ids (`enable_long_queue_ids`): base 52 time, `z`, base 51 inode
        ("3Zx7Kq1Yb9z9vYq: from=<a@b.example>, size=1, nrcpt=1 (queue active)",
         "<*>: from=<<*>>, size=<*>, nrcpt=<*> (queue active)"),
        ("4XfvLq2Tdhz9sw9: removed", "<*>: removed"),
        # ... and any mixed-case random id of 12 or more characters with a digit
        ("CmRmn11l2qvPz6: removed", "<*>: removed"),
        # no vowel-free word of English, no name: kept
        ("Recursion desired flag set", "Recursion desired flag set"),
        ("Slf4jLogger started", "Slf4jLogger started"),
    ],
)  # fmt: skip
def test_postfix_long_queue_ids_are_variables(text, masked):
    """QA Postfix: with `enable_long_queue_ids=yes` every message's `from=` line was a
    template of its own (1,522 templates against 31), and normal deferred mail was flagged."""
    assert mask_text(text) == masked
    assert _chunk_masks(text) == masked


@pytest.mark.parametrize(
    "text, masked",
    [
        ("NOQUEUE: reject: RCPT from unknown[192.0.2.9]: 450 4.1.8 <a@b.example>: Sender "
         "address rejected: Domain not found",
         "NOQUEUE: reject: RCPT from unknown[<*>]: 4xx <*> <<*>>: Sender address rejected: "
         "Domain not found"),
        ("to=<b@c.example>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to "
         "mx.example.net[198.51.100.7]:25: Connection timed out)",
         "to=<<*>>, relay=none, delay=<*>, dsn=4.<*>, status=deferred (connect to <*>[<*>]:<*>: "
         "Connection timed out)"),
        ("SMTP error from remote mail server after RCPT TO:<b@c.example>: 550-5.1.1 User unknown",
         "SMTP error from remote mail server after RCPT TO:<<*>>: 5xx-<*> User unknown"),
        # a number before a version is no reply: the classes differ
        ("kernel build 350 4.1.2 loaded", "kernel build <*> <*> loaded"),
    ],
)  # fmt: skip
def test_smtp_replies_and_delivery_codes_keep_their_class(text, masked):
    """QA Postfix: `450 4.1.8` (try later) and `550 5.1.8` (refused) were one event, and
    `dsn=<*>` merged a deferral's code with a delivery's."""
    assert mask_text(text) == masked
    assert _chunk_masks(text) == masked


def test_the_fields_of_a_semicolon_separated_record_are_words():
    """QA Nagios: `db02;DOWN;HARD;3;PING` was one word, masked whole beside the host, so a
    HARD state was a SOFT one's event and `new-event` missed it."""
    line = "HOST ALERT: db02;DOWN;SOFT;1;PING CRITICAL - Packet loss = 100%"
    assert mask_text(line) == (  # Nagios' own records as named fields (`_NAGIOS_FIELDS`)
        "HOST ALERT: host=<*> state=DOWN type=SOFT attempt=<*>; PING CRITICAL - Packet loss = <*>%"
    )
    assert _chunk_masks(line) == mask_text(line)
    line = "check result: db02;DOWN;SOFT;1;PING CRITICAL"  # ... any such record as its words
    assert mask_text(line) == "check result: <*>; DOWN; SOFT; <*>; PING CRITICAL"
    assert _chunk_masks(line) == mask_text(line)
    states = [(s, k) for s in ("DOWN", "UP") for k in ("SOFT", "HARD")]
    miner = TemplateMiner()
    ids = miner.add(
        [mask_text(f"HOST ALERT: web{i:02d};{s};{k};1;PING x") for s, k in states for i in range(5)]
    )
    assert len(set(ids)) == 4
    # one or two `;` in a word are left alone (a Java array's `String;@`, `a;b`)
    assert mask_text("x [Ljava.lang.String;@6d06d69c a;b") == "x [Ljava.lang.String;@<*> a;b"


def test_a_signal_that_ended_a_process_is_kept_and_slurms_exit_code_is_no_http_status():
    """QA Slurm: `WTERMSIG 9` (an OOM kill) and `WTERMSIG 15` (a cancel) were one event, and
    a prolog's `status=230:0` (exit code 230, signal 0) read as an HTTP 2xx."""
    assert mask_text("_job_complete: JobId=123 WTERMSIG 9") == "_job_complete: JobId=<*> WTERMSIG 9"
    assert mask_text("worker 12 killed by signal 15") == "worker <*> killed by signal 15"
    assert mask_text("prolog failed status=230:0") == "prolog failed status=<*>:<*>"
    assert mask_text("request status=503: unavailable") == "request status=5xx: unavailable"
    for line in ("_job_complete: JobId=123 WTERMSIG 9", "prolog failed status=230:0"):
        assert _chunk_masks(line) == mask_text(line)


def test_a_compact_iso_date_is_a_variable():
    """QA Airflow: `execution_date=20261101T000000, start_date=20261101T010634` stayed in
    templates, a task's `Marking task as SUCCESS` line a new event each run."""
    line = "dag_id=etl, execution_date=20261101T000000, end_date=20261101T010640Z"
    assert mask_text(line) == "dag_id=<*>, execution_date=<*>, end_date=<*>"  # a name too


def test_a_bracketed_suffix_keeps_its_wildcard_when_words_generalise():
    """QA Postfix: `unknown[<*>]` beside `<*>[<*>]` made `connect from <*>]`, and a run with
    only the latter `connect from <*>[<*>]`: two texts of one event."""
    assert _generalize({"unknown[<*>]", "<*>[<*>]"}) == "<*>[<*>]"
    assert _generalize({"a<*>]", "b<*>]"}) == "<*>]"  # never part of a wildcard
    assert _generalize({"x(<*>)", "<*>"}) == "<*>"


def test_nova_traceback_lines_keep_their_instance_in_the_message():
    """QA Nova: oslo.log writes a traceback's lines with `[instance: UUID]` and no request
    context; the `nova` format read it as the context field, so those lines joined no
    instance's session."""
    fmt = resolve_format("nova")
    uuid = "9da0f6ef-fa71-4c26-8260-94c2ac8d63a3"
    lines = [
        f"2026-11-21 03:28:19.309 2931 ERROR nova.compute.manager [req-e75f 113d 54fa - - -] "
        f"[instance: {uuid}] Instance failed to spawn",
        f"2026-11-21 03:28:19.309 2931 ERROR nova.compute.manager [instance: {uuid}] Traceback "
        "(most recent call last):",
        "2026-11-21 03:28:19.309 2931 INFO nova.compute.resource_tracker [-] Final resource view",
        "2026-11-21 03:28:19.309 2931 INFO nova.compute.manager [None req-1a2b None None] Started",
    ]
    ok, cols = split_lines(pa.array(lines), fmt)
    assert ok.all()
    assert cols["Content"].to_pylist()[:2] == [
        f"[instance: {uuid}] Instance failed to spawn",
        f"[instance: {uuid}] Traceback (most recent call last):",
    ]
    assert [v or "" for v in cols["ADDR"].to_pylist()] == [
        "req-e75f 113d 54fa - - -", "", "-", "None req-1a2b None None"
    ]


def test_an_openstack_api_path_keeps_its_resource_after_the_project_id():
    """QA Nova: `POST /v2/<project>/servers` (create) and `POST .../servers/<uuid>/action`
    (stop, start, resize) were one `POST /v2/<*>` event."""
    project = "54fadb412c4e40cdbaed9335e4c35a9e"
    create = f'10.0.0.5 "POST /v2/{project}/servers HTTP/1.1" status: 202 len: 1 time: 0.2'
    action = f'10.0.0.5 "POST /v2/{project}/servers/9da0f6ef-fa71/action HTTP/1.1" status: 202'
    assert mask_text(create) == '<*> "POST /v2/<*>/servers HTTP/<*>" status: 2xx len: <*> time: <*>'
    assert mask_text(action) == '<*> "POST /v2/<*>/servers/<*> HTTP/<*>" status: 2xx'
    assert _chunk_masks(create) == mask_text(create)


def test_a_by_id_of_plain_text_with_a_dash_is_refused_before_reading():
    """QA Envoy: `--by-id 'x-request-id'` was taken as a regex (`re.escape` escapes `-`), the
    whole log parsed, then no session found."""
    with pytest.raises(LogbertError, match="is plain text"):
        compile_id_pattern("x-request-id")
    assert compile_id_pattern("x-request-id=([0-9a-f-]+)").groups == 1
    # ... its advice keeps the name as written (QA Jaeger: `trace-id` became `trace_id`, a
    # regex that matched nothing) and offers no suffix of a value for a field's name
    with pytest.raises(LogbertError) as refused:
        compile_id_pattern("trace-id")
    advised = str(refused.value).split("e.g. '")[1].split("' for")[0]
    assert re.search(advised, 'msg=x trace-id="5f2c0a9e" span-id=a')[1] == "5f2c0a9e"
    assert "the word ends" not in str(refused.value)


def test_a_none_placeholder_beside_codes_and_snake_case_reasons_are_states():
    """QA Envoy: the response flags `-`, `UF`, `UO`, `URX`, `UT` and the details `via_upstream`,
    `upstream_reset_before_response_started{overflow}` were one `<*> <*>`, so a refused
    connection was an app's own 503; a name with digits (`root10_local`) stays a variable."""
    reset = "upstream_reset_before_response_started"
    flags = [("-", "via_upstream"), ("UF", f"{reset}{{connection_failure}}"),
             ("UO", f"{reset}{{overflow}}"), ("UT", "response_timeout"),
             ("URX", f"{reset}{{connection_failure}}")]  # fmt: skip
    miner = TemplateMiner()
    ids = miner.add(
        [f'"GET /api/orders/<*> HTTP/<*>" 5xx {f} {d} - x' for f, d in flags for _ in range(3)]
    )
    assert len(set(ids)) == len(flags)
    domains = [f"domain root{i}_local is full" for i in range(1, 9)]
    assert len(set(TemplateMiner().add(domains))) == 1


def test_a_time_in_brackets_the_format_string_leaves_out_is_named(tmp_path):
    """QA Slurm: `'<Timestamp> <Content>'` on `[2026-11-21T00:00:00.005] sched: ...` read
    `[...]` as the time and the error sent the user to --timestamp-format."""
    from logbert.parsing.pipeline import parse_files

    log = tmp_path / "slurmctld.log"
    log.write_text("[2026-11-21T00:00:00.005] sched: Allocate JobId=1 NodeList=cn001\n")
    with pytest.raises(LogbertError) as caught:
        parse_files([str(log)], resolve_format("<Timestamp> <Content>"), tmp_path / "e.parquet")
    assert "the time is written in []: put them around <Timestamp> in the format string" in str(
        caught.value
    )
    assert "('[<Timestamp>] ...')" in str(caught.value)


def test_auto_reads_nagios_epoch_in_brackets_and_airflows_date_with_a_comma(tmp_path):
    """QA Nagios: no built-in format read `[1763633702] SERVICE ALERT: ...`; QA Airflow: a
    task log's `[2026-11-20, 10:15:02 UTC]` was read by none either."""
    from logbert.parsing.auto import rank_formats

    nagios = [f"[17636337{i:02d}] HOST ALERT: db02;DOWN;SOFT;1;PING CRITICAL" for i in range(5)]
    assert rank_formats(nagios)[0].name == "nagios"
    airflow = [f"[2026-11-20, 10:15:0{i} UTC] {{taskinstance.py:1157}} INFO - Dependencies met"
               for i in range(5)]  # fmt: skip
    best = rank_formats(airflow)[0]
    assert best.name == "iso" and best.dated == 5


@pytest.mark.parametrize(
    "text, masked",
    [
        # Cisco ASA: the message id, severity and number, kept whole
        ("%ASA-4-106023: Deny tcp src outside:198.51.100.77/40000 dst inside:10.0.0.5/22",
         "%ASA-4-106023: Deny tcp src outside:<*>/<*> dst inside:<*>/<*>"),
        # ... and `logging timestamp`'s date with its year one variable
        ("Nov 20 2026 10:15:02: %ASA-6-302013: Built inbound TCP connection 1234567",
         "<*>: %ASA-6-302013: Built inbound TCP connection <*>"),
        # Snort / Suricata: generator and signature kept, the revision masked
        ("[**] [1:2010935:3] ET SCAN MSSQL port 1433 [**] [Priority: 2]",
         "[**] [1:2010935:<*>] ET SCAN MSSQL port <*> [**] [Priority: <*>]"),
        # YARN: a container's exit code, and a state among comma-joined pairs
        ("Exit code from container container_e17_1763633702123_0314_01_000004 is : 143",
         "Exit code from container <*> is : 143"),
        ("Container killed on request. Exit code is 137",
         "Container killed on request. Exit code is 137"),
        ("appId=application_1_0001,name=pi,user=bob,state=FAILED,trackingUrl=N/A,finalStatus=FAILED",
         "appId=<*>,name=pi,user=<*>, state=FAILED, trackingUrl=N/A, finalStatus=FAILED"),
        ("disk 95% full", "disk <*>% full"),  # a percent sign is no message id
    ],
)  # fmt: skip
def test_message_ids_exit_codes_and_states_are_kept(text, masked):
    """QA ASA: `%ASA-<*>-<*>` made every firewall message one event; QA Snort: two signatures
    whose texts differ in numbers were one event, a new one unseen; QA YARN: exit 143 and 1
    were one event, and a FAILED application's summary a FINISHED one's."""
    assert mask_text(text) == masked
    assert _chunk_masks(text) == masked


def test_a_field_after_the_message_stops_before_an_optional_group_that_follows():
    """QA Snort: `<Src>(:<Sport>)?` after <Content> took `10.0.0.1:443` whole and the group
    matched nothing: one session per address and port, unsaid."""
    fmt = resolve_format(r"<Timestamp> <Content> \{<Proto>\} <Src>(:<Sport>)? -> <Dst>(:<Dport>)?")
    lines = [
        "2026-11-20T10:15:02Z [**] [1:2:3] scan [**] {TCP} 203.0.113.45:51234 -> 10.0.0.5:1433",
        "2026-11-20T10:15:03Z [**] [1:4:1] ping [**] {ICMP} 10.0.0.9 -> 10.0.0.1",
        "2026-11-20T10:15:04Z [**] [1:2:3] v6 [**] {TCP} [2001:db8::25]:5678 -> [2001:db8::1]:22",
    ]
    ok, cols = split_lines(pa.array(lines), fmt)
    assert ok.all()
    assert cols["Src"].to_pylist() == ["203.0.113.45", "10.0.0.9", "[2001:db8::25]"]
    assert [v or "" for v in cols["Sport"].to_pylist()] == ["51234", "", "5678"]


def test_hadoops_and_javas_exception_headers_are_continuation_lines():
    """QA YARN: `ExitCodeException exitCode=1:` and `Exception in thread "main" ...` were
    called lines of their own the format does not read."""
    from logbert.parsing.auto import looks_like_continuation

    assert looks_like_continuation("ExitCodeException exitCode=1: ")
    assert looks_like_continuation('Exception in thread "main" java.lang.NullPointerException')
    assert not looks_like_continuation("NetworkError timeout on web01")
