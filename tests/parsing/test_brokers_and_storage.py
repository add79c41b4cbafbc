"""QA round 33 (Grafana, ActiveMQ, Fluent Bit, storage daemons, Telegraf, CouchDB, Memcached):
what each log's first run got wrong, as a new user met it."""

from __future__ import annotations

import json
import shutil
import subprocess

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from logbert.errors import LogbertError
from logbert.parsing.auto import looks_like_continuation
from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import Parser, parse_files
from logbert.parsing.summary import join_continuations
from logbert.parsing.w3c import split_w3c_lines


def test_an_empty_logfmt_value_does_not_take_the_next_field(masked_alike):
    """QA Grafana: `instance= next=Error` masked `next=Error` as the instance's value, and an
    alert rule's error was one event with its everyday `next=Pending`."""
    error, pending, spaced = masked_alike([
        "Changing state instance= next=Error org_id=1 uname= userId=0",
        "Changing state instance=instance=node5:9100 next=Pending org_id=1 uname=admin userId=3",
        "Access-Request user = bob host = web1 port=3",
    ])
    assert error == "Changing state instance= next=Error org_id=<*> uname= userId=<*>"
    assert pending.startswith("Changing state instance=<*> next=Pending org_id=<*> uname=<*>")
    assert spaced == "Access-Request user = <*> host = <*> port=<*>"


def test_an_erlang_term_is_no_csv_record(masked_alike):
    """QA CouchDB: an Erlang error's stack (ten commas inside `[{...}]`, none followed by a
    space) was read as a CSV record, and `error:function_clause` and `exit:timeout` at one call
    site were one event."""
    stack = (
        '[{couch_mrview_util,get_view_index_state,[{mrst,<<"ab6e1f2e">>}],[{file,"src/a.erl"},'
        '{line,102}]},{fabric_rpc,map_view,5,[{file,"src/fabric_rpc.erl"},{line,123}]}]'
    )
    head = "rexi_server: from: couchdb@couch1(<0.38979.0>) mfa: fabric_rpc:map_view/5"
    crash, timeout, record = masked_alike([
        f"{head} error:function_clause {stack}",
        f"{head} exit:timeout {stack}",
        "1,2025/11/24 08:00:16,0128,TRAFFIC,end,2561,2025/11/24 08:00:16,10.0.0.5,8.8.8.8,"
        "0.0.0.0,0.0.0.0,allow-web,acme,,ssl",
    ])
    assert " error:function_clause [{couch_mrview_util," in crash
    assert crash.replace("error:function_clause", "exit:timeout") == timeout
    assert ", TRAFFIC, end, " in record  # a CSV record's fields are still words


def test_jms_ids_and_disks_are_values(masked_alike):
    """QA ActiveMQ: `ID:amq-prod-01-51677-1764609636702-0:1` kept its host; QA storage daemons:
    the same kernel, md and ZFS event was a template per disk and array, a new array's normal
    check a new event. Words that only look alike (`md5`, `sdk`, `hdf5`) stay."""
    masked = masked_alike([
        "Apache ActiveMQ 5.18.3 (localhost, ID:amq-prod-01-51677-1764609636702-0:1) is starting",
        "blk_update_request: I/O error, dev sdb, sector 136307647 op 0x0:(READ)",
        "md/raid1:md0: Disk failure on sda1, disabling device.",
        "md: data-check of RAID array md1",
        "eid=149 class=io pool='tank' vdev=sdd1 size=131072",
        "ata2: EH complete",
        "sd 2:0:0:0: [sdc] tag#0 FAILED Result",
        "md5 sum of sdk and hdf5 files on nvme0n1p2",
        "pam_unix(cron:session): session closed for user backup",
    ])
    assert masked == [
        "Apache ActiveMQ <*> (localhost, ID:<*>) is starting",
        "blk_update_request: I/O error, dev <*>, sector <*> op <*>:(READ)",
        "md/raid1:<*>: Disk failure on <*>, disabling device.",
        "md: data-check of RAID array <*>",
        "eid=<*> class=io pool=<*> vdev=<*> size=<*>",
        "<*>: EH complete",
        "sd <*>:<*>:<*>:<*>: [<*>] tag#<*> FAILED Result",
        "md5 sum of sdk and hdf5 files on <*>",
        "pam_unix(cron:session): session closed for user <*>",
    ]


def test_a_c_backtrace_continues_its_record_and_the_join_finds_a_bracketed_level(tmp_path):
    """QA Fluent Bit: a crash's `#0  0x55d4... in fn() at file:line` frames were "no
    continuation lines"; QA CouchDB: records start `[notice] 2026-...`, and the advice's awk
    (a date at the line's start) joined the whole log into one line."""
    assert looks_like_continuation(
        "#0  0x55d4a3f0b799      in  flb_input_chunk_append_raw() at src/flb_input_chunk.c:1552"
    )
    lines = [
        "[notice] 2026-12-03T04:45:26.7Z couchdb@couch1 <0.1.0> 5e18ae1597 GET /db 200 ok 3",
        "[error] 2026-12-03T04:45:27.7Z couchdb@couch1 <0.2.0> cddc3004af req_err(1) unknown",
        "function_clause in couch_mrview_util:get_view_index_state/1",
        "[notice] 2026-12-03T04:45:28.7Z couchdb@couch1 <0.3.0> 5e18ae1598 GET /db 200 ok 3",
    ]
    advice = join_continuations(lines)
    assert advice.startswith("where each record starts with its level in brackets, awk '/^")
    if shutil.which("awk"):
        command = advice.split(", ", 1)[1].split(" LOG > joined.log")[0]
        log = tmp_path / "couch.log"
        log.write_text("\n".join(lines) + "\n")
        out = subprocess.run(["sh", "-c", f"{command} {log}"], capture_output=True, text=True)
        assert out.stdout.splitlines() == [lines[0], f"{lines[1]} {lines[2]}", lines[3]]


def test_rejects_that_may_continue_a_record_are_told_how_to_join(tmp_path):
    """QA Telegraf: an `inputs.exec` error's stderr on the next line was "no continuation
    line", and the advice, "use a format that reads them too", named no format that exists."""
    log = tmp_path / "telegraf.log"
    log.write_text(
        "2026-12-03T11:00:10Z E! [inputs.exec] Error in plugin: exit status 2 for command\n"
        "check_raid.sh: line 12: /proc/mdstat: Permission denied\n"
        "2026-12-03T11:00:10Z D! [outputs.influxdb_v2] Wrote batch of 52 metrics in 8.4ms\n"
        "2026-12-03T11:00:20Z D! [outputs.influxdb_v2] Wrote batch of 50 metrics in 8.1ms\n"
    )
    summary = parse_files([str(log)], resolve_format("iso"), tmp_path / "events.parquet")
    (said,) = [w for w in summary.warnings if "do not look like continuation lines" in w]
    assert "if each continues the record before it, join them to it first (where each " in said
    assert "awk '/^[0-9]+-[0-9]+-[0-9]+" in said
    assert "'(<Date> <Time> )?<Content>', or --format raw" in said  # (QA uvicorn)


def test_a_format_strings_last_field_after_a_separator_takes_the_rest_of_the_line(tmp_path):
    """QA ActiveMQ: log4j's `%d | %-5p | %m | %c | %t` as a format string read the thread as
    one word, and 99% of the lines (threads such as `ActiveMQ Journal Checkpoint Worker`) were
    rejected. After white space alone, a last field stays one word (`<Content> <Duration>`)."""
    log = tmp_path / "activemq.log"
    log.write_text(
        "2026-12-01 00:00:00,882 | DEBUG | Checkpoint started. | org.apache.activemq.store."
        "kahadb.MessageDatabase | ActiveMQ Journal Checkpoint Worker\n"
        "2026-12-01 00:00:01,174 | INFO  | Connector openwire started | org.apache.activemq."
        "broker.TransportConnector | main\n"
    )
    fmt = resolve_format("<Date> <Time> | <Level> | <Content> | <Component> | <Thread>")
    out = tmp_path / "events.parquet"
    summary = parse_files([str(log)], fmt, out)
    assert summary.rejected == 0
    events = pq.read_table(out).to_pydict()
    assert events["Thread"] == ["ActiveMQ Journal Checkpoint Worker", "main"]
    assert events["content"] == ["Checkpoint started.", "Connector openwire started"]
    spaced = tmp_path / "took.log"
    spaced.write_text("2026-12-01 00:00:00 job done in 12ms\n")
    summary = parse_files([str(spaced)], resolve_format("<Date> <Time> <Content> <Took>"), out)
    assert pq.read_table(out).to_pydict()["Took"] == ["12ms"]


def test_activemq_and_couchdb_logs_get_their_own_formats(auto_parsed):
    """QA ActiveMQ: `iso` kept the separators, the logger and the thread in every event; QA
    CouchDB: `auto` read no format, and its example fitted none."""
    amq = auto_parsed([
        "2026-12-01 08:21:57,706 | INFO  | Apache ActiveMQ 5.18.3 (localhost, ID:amq-prod-01-51677-"
        "1764609636702-0:1) is starting | org.apache.activemq.broker.BrokerService | main",
        "2026-12-01 08:21:58,001 | WARN  | Transport Connection to: tcp://10.20.2.123:44280 failed"
        " | org.apache.activemq.broker.TransportConnection.Transport | ActiveMQ Transport: "
        "tcp:///10.20.2.123:44280@61616",
    ], "activemq")
    assert amq["Level"] == ["INFO", "WARN"]
    assert amq["ThreadName"][1] == "ActiveMQ Transport: tcp:///10.20.2.123:44280@61616"
    assert amq["content"][1] == "Transport Connection to: tcp://10.20.2.123:44280 failed"
    couch = auto_parsed([
        "[notice] 2026-12-04T10:21:11.123456Z couchdb@127.0.0.1 <0.12345.0> 1a2b3c4d5e "
        "localhost:5984 10.0.0.7 admin GET /mydb/_all_docs?limit=10 200 ok 12",
        "[error] 2026-12-04T10:21:12.123456Z couchdb@127.0.0.1 <0.2345.0> -------- rexi_server:"
        " from: couchdb@127.0.0.1(<0.345.0>) mfa: fabric_rpc:map_view/5 exit:timeout",
    ], "couchdb")
    assert couch["Level"] == ["notice", "error"] and couch["ReqId"] == ["1a2b3c4d5e", "--------"]
    assert couch["content"][1].startswith("rexi_server: from: ")


def test_a_couchdb_operation_after_its_database_is_an_endpoint(tmp_path):
    """QA CouchDB: `PUT /orders/_security`, `GET /orders/_all_docs?...` (a full dump) and a
    design document's deploy were a document's `/orders/<*>` events, unflagged."""
    head = "[notice] 2026-12-04T10:21:{:02d}.100000Z couchdb@c1 <0.1.0> 5e18ae15{:02d} c1:5984 "
    requests = [f"10.0.3.11 admin GET /orders/order-{n}{n} 200 ok 5" for n in range(20)] + [
        "10.0.3.11 admin PUT /orders/_security 200 ok 12",
        "10.0.3.11 admin GET /orders/_all_docs?include_docs=true&limit=100000 200 ok 40001",
        "10.0.3.11 admin PUT /orders/_design/reports 201 ok 40",
    ]
    log = tmp_path / "couch.log"
    log.write_text("".join(head.format(i, i) + r + "\n" for i, r in enumerate(requests)))
    out = tmp_path / "events.parquet"
    parse_files([str(log)], resolve_format("couchdb"), out)
    templates = pq.read_table(out).to_pydict()["template"]
    assert len(set(templates[:20])) == 1 and "GET /orders/<*> 2xx" in templates[0]
    assert len(set(templates[20:]) | {templates[0]}) == 4
    assert "PUT /orders/_security 2xx" in templates[20]


def test_memcached_commands_and_replies_are_events(tmp_path):
    """QA Memcached (`-vv`): with the connection glued to its sign (`<28`, `>28`), the command
    after it was a variable once four were seen (a `stats cachedump` an `incr`'s event), and
    the replies `END`, `STORED`, `NOT_FOUND`, `EXISTS` one event with an `incr`'s number."""
    lines = []
    for fd in range(28, 40):
        lines += [
            f"<{fd} get user:{fd * 7}", f">{fd} END", f"<{fd} set session:{fd}ab 0 3600 512",
            f">{fd} STORED", f"<{fd} incr rate:10.0.0.{fd} 1", f">{fd} {fd * 3}",
            f"<{fd} decr rate:10.0.0.{fd} 1", f">{fd} NOT_FOUND", f"<{fd} touch s:{fd} 60",
            f">{fd} EXISTS",
        ]  # fmt: skip
    log = tmp_path / "memcached.log"
    log.write_text("\n".join(lines) + "\n")
    out = tmp_path / "events.parquet"
    parse_files([str(log)], resolve_format("raw"), out)
    template = dict(zip(lines, pq.read_table(out).to_pydict()["template"], strict=True))
    assert template["<28 incr rate:10.0.0.28 1"] != template["<28 decr rate:10.0.0.28 1"]
    assert template["<28 incr rate:10.0.0.28 1"].startswith("<<*> incr ")
    replies = {template[f">28 {word}"] for word in ("END", "STORED", "NOT_FOUND", "EXISTS", "84")}
    assert len(replies) == 5 and "><*> NOT_FOUND" in replies


def test_a_first_word_splits_beside_masked_first_words(tmp_path):
    """QA storage daemons: `smartd.service: Deactivated successfully.` was one `<*>:` event
    with every `session-875.scope`, so three storage monitors stopping passed as a session's
    end; as Drain does, named first words are apart and masked ones together."""
    units = ["smartd.service", "mdmonitor.service", "zfs-zed.service", "sysstat-collect.service"]
    lines = [f"session-{n}.scope: Deactivated successfully." for n in range(870, 890)]
    lines += [f"{unit}: Deactivated successfully." for unit in units]
    log = tmp_path / "systemd.log"
    log.write_text("\n".join(lines) + "\n")
    out = tmp_path / "events.parquet"
    parse_files([str(log)], resolve_format("raw"), out)
    templates = pq.read_table(out).to_pydict()["template"]
    assert set(templates[:20]) == {"session-<*>.scope: Deactivated successfully."}
    assert templates[20:] == [f"{unit}: Deactivated successfully." for unit in units]


def test_the_frozen_parser_gives_training_lines_their_trained_keys():
    """QA GPU nodes: Slurm's `status:0`, `status:9` (kept exit codes), `status:256` and
    `status:15` were mined as one `status:<*>` template, which the frozen parser (matching
    only) refused for `status:0`: scoring the model's own training log met "unseen" keys in
    a quarter of its windows, and the note blamed the logs."""
    lines = [
        f"[{5355100 + i}.batch] sending REQUEST_COMPLETE_BATCH_SCRIPT, error:0 status:{status}"
        for i, status in enumerate([0] * 30 + [9] * 3 + [256] * 3 + [15] * 3 + [0, 9, 256, 15])
    ]
    parser = Parser(resolve_format("raw"))
    trained = parser.process(lines).events["template_id"].to_pylist()
    frozen = Parser.from_state(json.loads(json.dumps(parser.to_state()))).freeze()
    assert frozen.process(lines).events["template_id"].to_pylist() == trained
    # an exit code is an outcome: 0, 9 and the others apart; a wait status of 256 is no 2xx
    assert len(set(trained)) == 3 and trained[33] == trained[36] != trained[0]


def test_the_frozen_parser_reproduces_every_loghub_systems_training_keys(data_dir):
    """The frozen parser (matching only, as scoring parses) gives each training line the key
    training gave it, for every loghub system's own format and for `raw`: a line mined into
    a template it does not fit would be an "unseen" key at scoring (QA GPU nodes, CUPS)."""
    root = data_dir / "loghub2_2k_corrected"
    for system in sorted(p.name for p in root.iterdir() if p.is_dir()):
        lines = (root / system / f"{system}_2k.log").read_text(errors="replace").splitlines()
        for name in (system, "raw"):
            parser = Parser(resolve_format(name))
            trained = parser.process(lines).events["template_id"].to_pylist()
            frozen = Parser.from_state(json.loads(json.dumps(parser.to_state()))).freeze()
            again = frozen.process(lines).events["template_id"].to_pylist()
            assert again == trained, f"{system} ({name})"


def test_an_nvidia_xid_is_kept_and_a_wait_status_is_no_2xx(masked_alike):
    """QA GPU nodes: `Xid (PCI:...): 79` (a GPU off the bus) and `43` (an application's own
    fault) were one event; Slurm's `status:256` (exit 1) read `status:2xx`, a success."""
    off_bus, app_fault, dcgm, wait = masked_alike([
        "NVRM: Xid (PCI:0000:3b:00): 79, pid=12345, name=python3, Ch 00000010",
        "NVRM: Xid (PCI:0000:bd:00): 43, pid=246970, name=nccl-tests, Ch 00000010",
        "nv-hostengine: XID error 48 detected on GPU 3",
        "[5355100.batch] sending REQUEST_COMPLETE_BATCH_SCRIPT, error:0 status:256",
    ])
    assert ": 79, pid=<*>" in off_bus and ": 43, pid=<*>" in app_fault
    assert off_bus.split(", name=")[0].replace("79", "43") == app_fault.split(", name=")[0]
    assert "XID error 48 " in dcgm
    assert wait.endswith("status:<*>")


def test_database_server_outcomes_are_kept_and_their_names_are_values(masked_alike):
    """QA SQL Server: `found 8 errors` (corruption) was a clean CHECKDB's `found 0 errors`, and
    a DBA's account, a killing host and a user after `by user` made templates of their own;
    QA Oracle: `error 12170` and `Error 19809` were masked, and `SYS_P4976`, a PDB's name
    before its message and an archiver's number made templates of their own."""
    clean, corrupt, killed, condor, login = masked_alike([
        "DBCC CHECKDB (shop) executed by CORP\\svc_sqlagent found 0 errors and repaired 0 errors.",
        "DBCC CHECKDB (shop) executed by CORP\\dba_ops found 8 errors and repaired 0 errors.",
        "Process ID 112 was killed by hostname WEB03, host process ID 7716.",
        "Job 5591.0 is being removed: via condor_rm (by user bob)",
        "Login failed for user 'CORP\\jsmith'. Reason: Password did not match",
    ])
    assert "by CORP\\<*> found 0 errors and repaired 0 errors." in clean
    assert "by CORP\\<*> found <*> errors and repaired 0 errors." in corrupt
    assert "killed by hostname <*>," in killed and condor.endswith("(by user <*>)")
    assert login.startswith("Login failed for user 'CORP\\<*>'.")
    timeout, archive, partition, pdb = masked_alike([
        "Fatal NI connect error 12170.",
        "ARC1 (PID:4213): Error 19809 Creating archive log file to '/u01/fra/1.arc'",
        "TABLE SYS.WRI$_OPTSTAT_HISTHEAD_HISTORY: ADDED INTERVAL PARTITION SYS_P4976 (45988)",
        "HRPDB(5):Resize operation completed for file# 22",
    ])
    assert timeout == "Fatal NI connect error 12170."
    assert archive.startswith("<*> (PID:<*>): Error 19809 Creating")
    assert partition.endswith("PARTITION <*> (<*>)") and pdb.startswith("<*>(<*>):Resize ")


def test_htcondor_logs_are_no_spark_logs_and_a_binary_file_is_no_traceback(tmp_path):
    """QA HTCondor: `auto` picked `spark` (its level `(pid:1830)`, its `12/03/26` read as
    2012-03-26, 14 years early, unsaid); now it refuses, with a format string and the
    two-digit-year date's --timestamp-format. QA SQL Server: a crash dump beside the log made
    the W3C reader's CSV fallback raise a traceback."""
    log = tmp_path / "SchedLog"
    log.write_text("".join(
        f"12/03/26 07:00:{s:02d} (pid:1830) Negotiating for owner: user{s}@cluster.local\n"
        for s in range(30)
    ))  # fmt: skip
    with pytest.raises(LogbertError) as refused:
        parse_files([str(log)], resolve_format("auto"), tmp_path / "e.parquet")
    assert "--timestamp-format '%m/%d/%y %H:%M:%S'" in str(refused.value)
    ok, _ = split_w3c_lines(pa.array(["ab,c\rd,e f", "x"]))
    assert not ok.any()


def test_logfmt_in_a_cri_wrapper_is_read_as_the_line_it_holds(auto_parsed):
    """QA Argo CD: a pod's logrus lines as /var/log/pods holds them (`<time> stderr F time=...
    level=info msg=Trace ...`) were read by `iso`: `stderr F` and `time="<*>"` in every event,
    and a git fetch one event with a helm render."""
    events = auto_parsed([
        '2026-12-04T08:00:49.3Z stderr F time="2026-12-04T08:00:49Z" level=info msg=Trace '
        'args="[git fetch origin --tags]" dir=/tmp/r/1 operation_name="exec git" time_ms=45.1',
        '2026-12-04T08:00:50.1Z stdout F level=warning msg="Failed to sync" application=argocd/x',
    ], "logfmt")
    assert events["Level"] == ["info", "warning"]
    assert events["content"][0].startswith("info Trace args=")
    assert "stderr" not in events["content"][0]
    times = [str(t)[:19] for t in events["timestamp"]]
    assert times == ["2026-12-04 08:00:49", "2026-12-04 08:00:50"]  # the wrapper's where none


def test_an_argo_cd_application_and_its_namespace_are_values(masked_alike):
    """QA Argo CD: a rare message kept `application=argocd/shop-payments dest-namespace=
    payments`, so a new application's first sync was a new event."""
    (masked,) = masked_alike([
        "info initiated sync to HEAD (abea8c3) application=argocd/shop-payments "
        "dest-namespace=payments reason=OperationStarted",
    ])
    assert "application=<*> dest-namespace=<*> reason=OperationStarted" in masked


def test_spamassassins_rules_are_one_value_and_postfixs_long_queue_ids_are_masked(masked_alike):
    """QA amavis: `tests=[HTML_MESSAGE=0.001, BAYES_00=-1.9, ...]` made a template per
    combination of rules (894 of 942 templates, 70% of normal mail flagged), and Postfix's long
    queue ids with lower-case runs (`989grXZRSjWPznz:`) a template each."""
    clean, spam, queued = masked_alike([
        "(7889-01) spam-tag, <a@b.org> -> <c@d.example>, No, score=-2.373 required=6.31 "
        "tests=[HTML_MESSAGE=0.001, BAYES_00=-1.9, SPF_PASS=-0.001] autolearn=no",
        "(13891-01) spam-tag, <e@f.org> -> <c@d.example>, No, score=0.289 required=6.31 "
        "tests=[DKIM_SIGNED=0.1, HTML_MESSAGE=0.001] autolearn=no",
        "989grXZRSjWPznz: client=unknown[10.0.0.59], sasl_method=PLAIN",
    ])
    assert clean == spam and "tests=[<*>] autolearn=no" in clean
    assert queued.startswith("<*>: client=unknown[<*>]")


def test_zimbra_soap_requests_are_events_and_its_context_is_values(masked_alike):
    """QA Zimbra: sixteen SOAP requests were one `soap - <*> elapsed=<*>` event (a never-seen
    `DeleteAccountRequest` a known one), a rare error's template kept the browser of its
    context's `ua=`, and `ExceptionId:`/`Code:` under a trace were "lines of their own"."""
    from logbert.parsing.miner import TemplateMiner

    (context,) = masked_alike([
        "[qtp12-890:https://mail.example.com/service/soap/AuthRequest] [name=alice@example.com;"
        "mid=12;ip=203.0.113.9;ua=ZimbraWebClient - FF120 (Linux)/10.0.0_GA;] soap - AuthRequest"
    ])
    assert "[name=<*>; mid=<*>; ip=<*>; ua=<*>;] soap - AuthRequest" in context
    ops = ["Auth", "GetFolder", "GetMsg", "Search", "GetInfo", "NoOp", "SendMsg", "GetPrefs",
           "Batch", "GetTag", "ModifyPrefs", "GetContacts", "Sync", "GetMiniCal", "GetShareInfo"]
    miner = TemplateMiner()
    ids = miner.add([f"soap - {op}Request elapsed=<*>" for op in ops], [100] * len(ops))
    assert len(set(ids)) == len(ops)
    assert miner.match(["soap - DeleteAccountRequest elapsed=<*>"]) == [None]
    assert looks_like_continuation("ExceptionId:qtp16-294:https://x/service/soap/Get:17963:07fc")
    assert looks_like_continuation("Code:service.FAILURE")


def test_runner_tokens_file_counters_and_onion_addresses_are_values(masked_alike):
    """QA GitLab Runner: `runner=xY7kP2qZ` made a template per runner (a re-registered
    runner's every job new); QA Bitcoin Core: `blk03457.dat` kept its number (the next block
    file's pre-allocations new events) and each `.onion` address was a template."""
    job, block, onion, kept = masked_alike([
        "Job succeeded duration_s=182.7 job=4811334 project=613 runner=xY7kP2qZ",
        "Pre-allocating up to position 0x100000 in rev03458.dat",
        "AddLocal(2mdeilare4i67xuweeft7w3j7mlqrcz7pfiooeyssmuwzhfonhnunoqg.onion:8333,4)",
        "loaded sha256.txt and log4j.xml",
    ])
    assert job.endswith("runner=<*>") and block.endswith(" in <*>.dat")
    assert onion == "AddLocal(<*>:<*>,<*>)" and kept == "loaded sha256.txt and log4j.xml"
    assert looks_like_continuation("EXCEPTION: St13runtime_error       ")


def test_the_leading_white_space_advice_is_a_format_string_to_paste(tmp_path):
    """QA IPMI: the advice quoted its format string by repr, `' *<RecordId> \\\\| ...'`, and
    pasted into a shell it matched a backslash: no line fit, and the next error misled."""
    log = tmp_path / "sel.txt"
    log.write_text("   1 | 11/16/2026 | 06:20:00 | Event Logging Disabled SEL | Asserted\n" * 3)
    fmt = resolve_format(r"<RecordId> \| <Date> \| <Time> \| <Content>")
    with pytest.raises(LogbertError) as refused:
        parse_files([str(log)], fmt, tmp_path / "e.parquet")
    assert r"(' *<RecordId> \| <Date> \| <Time> \| <Content>')" in str(refused.value)


def test_a_timestamp_format_with_day_and_month_swapped_is_a_warning(tmp_path):
    """QA IPMI: `%d/%m/%Y` on ipmitool's `11/28/2026` left a fifth of the lines undated with a
    note, and the rest months off (`12/02/2026` read as 12 February)."""
    log = tmp_path / "sel.txt"
    log.write_text("".join(
        f"   {i} | {day} | 06:04:00 | Fan FAN2 | Lower Critical going low | Asserted\n"
        for i, day in enumerate(["11/28/2026", "12/02/2026", "12/03/2026"])
    ))  # fmt: skip
    fmt = resolve_format(
        r" *<RecordId> \| *<Date> *\| *<Time> *\| <Content>", None, "%d/%m/%Y %H:%M:%S"
    )
    summary = parse_files([str(log)], fmt, tmp_path / "e.parquet")
    (said,) = [w for w in summary.warnings if "day and month the other way round" in w]
    assert said.endswith("pass --timestamp-format '%m/%d/%Y %H:%M:%S'")
