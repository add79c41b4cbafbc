"""QA round 49 (HAProxy, CloudTrail, Cassandra, RabbitMQ, Jenkins): what each log's first run
got wrong, as a new user met it."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa
import pytest

from logbert.errors import LogbertError
from logbert.parsing.auto import rank_formats
from logbert.parsing.formats import resolve_format
from logbert.parsing.inner_time import inner_time_warning
from logbert.parsing.json_lines import record_fields, split_json_lines
from logbert.parsing.masks import mask_text
from logbert.parsing.miner import TemplateMiner, _is_outcome_word
from logbert.parsing.pipeline import parse_files
from logbert.parsing.rotation import log_name, rotation_key
from logbert.parsing.summary import join_continuations


def test_an_erlang_node_closing_a_sentence_or_a_tuple_is_masked(masked_alike):
    """QA RabbitMQ: `rabbit@n1.` and `{..., rabbit@n2}` kept the node, a template per node: a
    memory alarm known on n1 was a new event on n3."""
    n1, n3, tuple_n2, tuple_n3, before_space = masked_alike([
        "memory resource limit alarm set on node rabbit@n1.",
        "memory resource limit alarm set on node rabbit@n3.",
        "mnesia_event got {inconsistent_database, running_partitioned_network, rabbit@n2}",
        "mnesia_event got {inconsistent_database, running_partitioned_network, rabbit@n3}",
        "Keeping rabbit@n3 listeners: the node is already back",
    ])  # fmt: skip
    assert n1 == n3 == "memory resource limit alarm set on node <*>."
    assert tuple_n2 == tuple_n3 and tuple_n2.endswith(", <*>}")
    assert before_space == "Keeping <*> listeners: the node is already back"


def test_a_quoted_percent_encoded_name_is_a_value(masked_alike):
    """QA RabbitMQ: a quorum queue's `{'%2Fshop_orders.created',rabbit@n3}` (vhost and queue)
    kept the queue, and one leader election was a template per queue."""
    shop, notify = masked_alike([
        "granting vote for {'%2Fshop_orders.created',rabbit@n3} with last indexterm {17882,30}",
        "granting vote for {'%2Fnotify_notify.email',rabbit@n2} with last indexterm {8257,18}",
    ])  # fmt: skip
    assert shop == notify
    assert shop.startswith("granting vote for {'<*>',<*>}")


def _launch(instance_ids: list[str], instance_type: str = "t3.small") -> dict:
    """A CloudTrail RunInstances record launching one instance per id."""
    return {
        "eventTime": "2026-12-20T09:05:00Z", "eventName": "RunInstances",
        "eventID": "12bd4ace-faec-4d38-9be4-bcfc49b64a08",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/dave"},
        "responseElements": {"instancesSet": {"items": [
            {"instanceId": i, "instanceType": instance_type,
             "instanceState": {"code": 0, "name": "pending"}} for i in instance_ids
        ]}},
    }  # fmt: skip


def test_a_json_array_of_objects_is_one_object_however_many_items_it_holds():
    """QA CloudTrail: each length of `instancesSet.items` was a template, so launching three
    instances where training had launched one or two was a new event."""
    one = mask_text(record_fields(_launch(["i-0a4c123b1612dd272"]))[1])
    three = mask_text(record_fields(_launch(["i-0a4c123b1612dd272", "i-0d1371c17149d4395",
                                             "i-036b3216fdaeeb975"]))[1])  # fmt: skip
    assert one == three
    assert "responseElements.instancesSet.items[].instanceState.name=pending" in one
    assert "responseElements.instancesSet.items[].instanceType=t3.small" in one
    trace = record_fields({"msg": "boom", "exception": {"Trace": [{"file": "a.php"}]}})[1]
    assert "Trace" not in trace and "a.php" not in trace  # a stack trace's frames: left out


def test_an_iam_principal_s_name_and_an_id_after_event_id_are_masked(masked_alike):
    """QA CloudTrail: `arn:aws:iam::<*>:user/dave` kept the user (a new employee's every call a
    new event); `eventID=12bd4ace-...` kept `12` as a Windows event's number, the rest masked
    in parts, a template of that one line."""
    dave, erin, role, event_id, windows = masked_alike([
        "userIdentity.arn=arn:aws:iam::123456789012:user/dave eventName=DescribeInstances",
        "userIdentity.arn=arn:aws:iam::123456789012:user/erin eventName=DescribeInstances",
        "userIdentity.arn=arn:aws:sts::123456789012:assumed-role/ci-deploy/gh-run-1234 x",
        "eventID=12bd4ace-faec-4d38-9be4-bcfc49b64a08 eventName=GetBucketAcl",
        "EventID=4624 logon",
    ])  # fmt: skip
    assert dave == erin == "userIdentity.arn=arn:aws:iam::<*>:user/<*> eventName=DescribeInstances"
    assert role == "userIdentity.arn=arn:aws:sts::<*>:assumed-role/ci-deploy/<*> x"
    assert event_id == "eventID=<*> eventName=GetBucketAcl" and windows == "EventID=4624 logon"


def test_a_java_logger_splits_events_however_many_loggers_share_a_shape():
    """QA Jenkins: `jenkins.InitReactorRunner$1#onAttained: Started all plugins` and
    `hudson.model.AsyncPeriodicWork#lambda$doRun$1: Started Workspace clean-up` were one
    `[id=<*>] INFO <*>: Started <*> <*>` template, and a new short message a known event."""
    messages = [
        ("h.s.AuthenticationProcessingFilter2#unsuccessful: Login attempt failed", 34),
        ("hudson.model.AsyncPeriodicWork#lambda$doRun$1: Started Workspace clean-up", 18),
        ("hudson.model.AsyncPeriodicWork#lambda$doRun$1: Started Fingerprint cleanup", 16),
        ("hudson.model.AsyncPeriodicWork#lambda$doRun$1: Started Download metadata", 15),
        ("hudson.tasks.LogRotator#perform: Deleting docs-site #1887", 20),
    ] + [(f"jenkins.InitReactorRunner$1#onAttained: {message}", 1) for message in (
        "Listed all plugins", "Prepared all plugins", "Started all plugins", "Loaded all jobs",
    )]  # fmt: skip
    lines = [mask_text(f"[id={i}]\tINFO\t{message}") for message, n in messages for i in range(n)]
    miner = TemplateMiner()
    templates = {miner.template(tid) for tid in miner.add(lines)}
    assert not any(" INFO <*>:" in t for t in templates)
    started = "[id=<*>] INFO jenkins.InitReactorRunner$<*>#onAttained: Started all plugins"
    assert started in templates and len(templates) == 9


def test_a_ci_job_s_name_is_masked_and_unstable_is_an_outcome(masked_alike):
    """QA Jenkins: `docs-site #1912` kept the job (a template per job, a new job's first build
    a new event), and `completed: UNSTABLE` merged with SUCCESS under journald's header."""
    docs, nightly, folder, connection = masked_alike([
        "hudson.model.Run#execute: docs-site #1912 main completed: UNSTABLE",
        "hudson.model.Run#execute: nightly-backup #1377 main completed: UNSTABLE",
        "hudson.model.Executor#start: team/orders-api #7 started on agent-02 (executor 1)",
        "Accepted JNLP4-connect connection #727 from 10.0.0.1:5000",
    ])  # fmt: skip
    assert docs == nightly == "hudson.model.Run#execute: <*> #<*> main completed: UNSTABLE"
    assert folder.startswith("hudson.model.Executor#start: <*> #<*> started on")
    assert "connection #<*>" in connection
    assert _is_outcome_word("UNSTABLE") and not _is_outcome_word("SUCCESS")


def test_a_header_in_local_time_over_a_message_s_own_zoned_time_is_said():
    """QA Jenkins under journald: `Dec 01 00:00:00 ci-01 jenkins[1187]: 2026-12-01
    00:00:00.000+0100 [id=37] ...`, the header an hour off, no warning at parse or train."""
    header = pa.array([datetime(2026, 12, 1, 0, 0, i) for i in range(20)], pa.timestamp("us"))
    content = pa.array([f"2026-12-01 00:00:{i:02d}.000+0100 [id=37]\tINFO\tx.Y#z: started"
                        for i in range(20)])  # fmt: skip
    warning = inner_time_warning(header, content)
    assert warning is not None and "the header is in local time (UTC+01:00)" in warning


def test_haproxy_servers_and_proxies_are_masked_beyond_the_http_log(masked_alike):
    """QA HAProxy: TCP-mode lines, health checks, server states and a reload's proxies kept
    their names (a known hiccup on another server a new event), and the persistence cookie's
    flags (`--NI`, `--VN`) made each HTTP event two templates."""
    tcp1, tcp2, check1, check2, down, stop1, stop2, ni, vn, sc = masked_alike([
        "10.0.1.18:38358 [04/Dec/2026:10:00:01.607] fe_redis be_redis/redis01 0/1/1935 85605 -- "
        "68/4/2/8/0 0/0",
        "10.0.1.18:38358 [04/Dec/2026:10:00:01.607] fe_redis be_redis/redis02 0/1/1935 85605 -- "
        "68/4/2/8/0 0/0",
        "Health check for server be_api/api01 failed, reason: Layer7 wrong status, code: 500",
        "Health check for server be_api/api02 failed, reason: Layer7 wrong status, code: 500",
        "Server be_app/app02 is DOWN, reason: Layer4 connection problem",
        "Stopping frontend fe_http in 0 ms.",
        "Stopping backend be_app in 0 ms.",
        '203.0.113.7:51234 [04/Dec/2026:10:21:11.123] fe_https~ be_app/app03 0/0/1/25/26 200 '
        '5123 - - --NI 120/118/3/1/0 0/0 "GET /cart HTTP/1.1"',
        '203.0.113.7:51234 [04/Dec/2026:10:21:11.123] fe_https~ be_app/app01 0/0/1/25/26 200 '
        '5123 - - --VN 120/118/3/1/0 0/0 "GET /cart HTTP/1.1"',
        '203.0.113.7:51234 [04/Dec/2026:10:21:11.123] fe_https~ be_app/app01 0/0/1/25/26 503 '
        '5123 - - SCNI 120/118/3/1/0 0/0 "GET /cart HTTP/1.1"',
    ])  # fmt: skip
    assert tcp1 == tcp2 and "be_redis/<*>" in tcp1
    assert check1 == check2 and down.startswith("Server be_app/<*> is DOWN")
    assert stop1 == "Stopping frontend <*> in <*> ms."
    assert stop2 == "Stopping backend <*> in <*> ms."
    assert ni == vn and " ---- " in ni and " SC-- " in sc


def test_a_level_first_logback_layout_is_read_with_its_level_in_the_event(auto_parsed):
    """QA Cassandra: `--format auto` read no format for `INFO  [Service Thread] 2026-12-03 ...`,
    and with a format string the level could not stay in the event (a WARN GC pause was an
    INFO one's template); its stack traces' join advice looked for a date first and made the
    whole log one line."""
    lines = [
        "INFO  [Service Thread] 2026-12-03 08:00:27,928 GCInspector.java:294 - G1 Young "
        "Generation GC in 367ms.",
        "WARN  [Service Thread] 2026-12-03 08:44:58,859 GCInspector.java:292 - G1 Young "
        "Generation GC in 1037ms.",
        "INFO  [GossipStage:1] 2026-12-03 08:45:01,002 Gossiper.java:1118 - InetAddress "
        "/10.0.0.3:7000 is now DOWN",
        "ERROR [CompactionExecutor:2] 2026-12-03 23:04:22,164 DefaultFSErrorHandler.java:64 - "
        "Stopping transports as disk_failure_policy is stop",
    ]
    events = auto_parsed(lines, "level-first")
    assert events["Level"] == ["INFO", "WARN", "INFO", "ERROR"]
    assert events["ThreadName"][:2] == ["Service Thread", "Service Thread"]
    assert str(events["timestamp"][1]) == "2026-12-03 08:44:58.859000"
    info, warn = events["template"][:2]
    assert info.startswith("INFO GCInspector.java:<*> - ") and warn.startswith("WARN ")
    assert "its level, awk '/^(TRACE|DEBUG|INFO|WARN" in join_continuations(lines)
    assert resolve_format("cassandra").name == "level-first"


def test_kafka_s_partition_lists_are_one_value_whatever_their_length(masked_alike):
    """QA Kafka (round 50): `Set(orders-2, payments-1)` and `Shrinking ISR from 2,3,1 to 2,1`
    were a template per count of partitions or replicas, a normal leader move a new event."""
    one, four, isr2, isr3, joined = masked_alike([
        "Removed fetcher for partitions Set(orders-3) (kafka.server.ReplicaFetcherManager)",
        "Removed fetcher for partitions Set(orders-2, payments-1, orders-4, user-activity-5) "
        "(kafka.server.ReplicaFetcherManager)",
        "[Partition orders-1 broker=2] Shrinking ISR from 2,3 to 2. Leader: (highWatermark: 7)",
        "[Partition orders-1 broker=2] Shrinking ISR from 2,3,1 to 2,1. Leader: (highWatermark: 7)",
        "stopped fetcher for partitions orders-0,orders-1,inventory.events-3",
    ])  # fmt: skip
    assert one == four and "Set(<*>)" in one
    assert isr2 == isr3 and "Shrinking ISR from <*> to <*>." in isr2
    assert joined == "stopped fetcher for partitions <*>"


def test_an_http_message_s_headers_are_no_part_of_a_json_access_line():
    """QA Caddy (round 50): which optional headers a client sent (a cookie, a referrer) and a
    server answered made 8 templates of one `GET /v1/orders/<*>` 2xx."""
    def access(headers: dict, answered: dict) -> str:
        return mask_text(record_fields({
            "level": "info", "ts": 1733270400.1, "logger": "http.log.access.log0",
            "msg": "handled request", "status": 200,
            "request": {"method": "GET", "uri": "/v1/orders/87400", "headers": headers},
            "resp_headers": answered,
        })[1])  # fmt: skip

    bare = access({"Accept": ["*/*"]}, {"Server": ["Caddy"]})
    full = access({"Accept": ["*/*"], "Referer": ["https://shop.example.com/"],
                   "Cookie": ["sid=1"]}, {"Server": ["Caddy"], "Etag": ['"s404d68b3cc94"']})
    assert bare == full and "headers" not in bare and "request.uri=/v1/orders/<*>" in bare


def test_ceph_s_placement_group_states_are_the_event():
    """QA Ceph (round 50): `active+clean+scrubbing` was masked as base64, so the pgmap line's
    state was a variable and `6 incomplete` PGs (data unavailable) a normal line's event."""
    base = ("mgr.a (mgr.14152) {n} : cluster [DBG] pgmap v{n}: 256 pgs: 255 active+clean, "
            "1 {state}; 1.21 TiB data, 3.6 TiB used")  # fmt: skip
    states = ("active+clean+scrubbing", "active+clean+scrubbing+deep")
    lines = [mask_text(base.format(n=1000 + i, state=states[i % 2])) for i in range(30)]
    miner = TemplateMiner()
    templates = {miner.template(tid) for tid in miner.add(lines)}
    assert len(templates) == 2 and any("active+clean+scrubbing+deep;" in t for t in templates)
    assert mask_text("key K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols= set") == "key <*> set"


def test_a_dated_archive_with_a_dotted_index_is_a_part_of_its_log():
    """QA Trino (round 50): airlift's (logback's) `server-2026-12-04.0.log` beside the live
    `server.log` was another stream, a window cut in two at each rotation."""
    assert log_name("w1/server-2026-12-04.0.log") == "w1/server.log"
    assert log_name("w1/server-2026-12-04.1.log.gz") == "w1/server.log"
    names = ["server.log", "server-2026-12-04.1.log", "server-2026-12-04.0.log"]
    assert sorted(names, key=rotation_key) == [
        "server-2026-12-04.0.log", "server-2026-12-04.1.log", "server.log"
    ]  # fmt: skip


def test_airlift_s_tab_separated_lines_keep_the_thread_out_of_the_event(auto_parsed):
    """QA Trino (round 50): `iso` kept the thread in the event, so one GC message was two
    events by the JDK thread that wrote it (`Service Thread`, `Notification Thread`)."""
    lines = [
        f"2026-12-04T08:01:4{i}.124Z\tINFO\t{thread}\tio.airlift.stats.JmxGcMonitor\tMajor GC: "
        f"application 51712{i}ms, stopped 74ms: 14.10GB -> 6.92GB"
        for i, thread in enumerate(["Service Thread", "Notification Thread"] * 2)
    ]
    events = auto_parsed(lines, "airlift")
    assert events["ThreadName"][:2] == ["Service Thread", "Notification Thread"]
    assert len(set(events["template"])) == 1
    assert events["template"][0].startswith("INFO io.airlift.stats.JmxGcMonitor Major GC:")


def test_a_trace_and_span_id_and_a_status_with_its_reason_phrase(masked_alike):
    """QA Spring Boot (round 51): a span id of digits alone was `[<*>]` where others were
    `[<*>-<*>]` (a healthy request's line a new event), and `failed with 503
    SERVICE_UNAVAILABLE`, `Response 200 OK` kept no status class."""
    digits, mixed, parent, failed, ok, gitea = masked_alike([
        "[b4e38c5f2805f0dff438ccec431a0669-4676309705281359] c.e.PaymentService : authorized",
        "[163deb3aab52b40bd1d3d70adc75ec7f-b32ec8527c892a96] c.e.PaymentService : authorized",
        "traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01 sent",
        "Payment call for order 25117 failed with 503 SERVICE_UNAVAILABLE, retry 1/3",
        "Response 200 OK",
        "completed GET /user/login for 10.0.0.5:51234, 404 Not Found in 12.3ms",
    ])  # fmt: skip
    assert digits == mixed == "[<*>] c.e.PaymentService : authorized"
    assert parent == "traceparent=<*> sent"
    assert "failed with 5xx SERVICE_UNAVAILABLE" in failed and ok == "Response 2xx OK"
    assert ", 4xx Not Found in" in gitea


def test_pm2_s_exit_codes_are_kept_and_its_app_names_are_not(masked_alike):
    """QA PM2 (round 51): `exited with code [1]` was a clean stop's `[<*>]`, an app's name was
    kept in some events (a reload of an app training never reloaded was new), and `SMTP 421`
    kept no class."""
    clean, crash, stopping, other, reload, smtp = masked_alike([
        "PM2 log: App [worker:4] exited with code [0] via signal [SIGINT]",
        "PM2 log: App [worker:4] exited with code [1] via signal [SIGINT]",
        "PM2 log: Stopping app:worker id:4",
        "PM2 log: Stopping app:api id:0",
        "PM2 log: [PM2] Reloading worker (graceful reload, 2 instances)",
        "job 423588 failed attempt 2/3: SMTP 421 try again later",
    ])  # fmt: skip
    assert clean != crash and "exited with code [1]" in crash and "App [<*>] exited" in crash
    assert stopping == other == "PM2 log: Stopping app:<*> id:<*>"
    assert reload.startswith("PM2 log: [PM2] Reloading <*> (graceful reload")
    assert "SMTP 4xx try again later" in smtp


def test_pm2_s_daemon_log_is_iso_not_syslog_with_pm2_as_its_host():
    """QA PM2 (round 51): `2026-12-04T10:17:00: PM2 log: ...` was read by `syslog-iso`, `PM2`
    the host and `log`/`error` the program, so a `PM2 error:` was a `PM2 log:` event."""
    lines = ["2026-12-04T10:17:00: PM2 log: App [api:0] online",
             "2026-12-04T10:17:02: PM2 error: Error: spawn node ENOENT"] * 5  # fmt: skip
    assert rank_formats(lines)[0].name == "iso"
    syslog = ["2026-12-04T10:17:00.123+01:00 host1 sshd[12]: Accepted password for x"] * 5
    assert rank_formats(syslog)[0].name == "syslog-iso"


def test_a_kubernetes_event_is_dated_by_its_last_time_and_its_object_name_masked():
    """QA Kubernetes events (round 51): an update of a repeated event was dated by its
    `firstTimestamp` (a BackOff filed in its first window, "timestamps step back"), `type`
    was no level, an autoscaler's name made a template per autoscaler, and a `kubectl get -o
    json` List was one event."""
    def event(name: str, first: str, last: str) -> dict:
        return {
            "apiVersion": "v1", "count": 3, "eventTime": None, "firstTimestamp": first,
            "lastTimestamp": last, "kind": "Event", "type": "Normal", "reason": "SuccessfulRescale",
            "message": "New size: 4; reason: All metrics below target",
            "involvedObject": {"kind": "HorizontalPodAutoscaler", "name": name,
                               "namespace": "shop"},
            "metadata": {"name": f"{name}.17d2a", "namespace": "shop"},
            "source": {"component": "horizontal-pod-autoscaler"},
        }  # fmt: skip

    header, content = record_fields(event("payments-api", "2026-12-01T06:14:18Z",
                                          "2026-12-01T06:34:56Z"))  # fmt: skip
    assert header == ["2026-12-01T06:34:56Z", "Normal", "horizontal-pod-autoscaler"]
    other = record_fields(event("frontend", "2026-12-01T07:00:00Z", "2026-12-01T07:00:00Z"))[1]
    assert mask_text(content) == mask_text(other) and "involvedObject.name=payments-api" in content
    with pytest.raises(LogbertError, match="under 'items'.*jq -c '.items"):
        split_json_lines(pa.array(['{"apiVersion":"v1","items":[{"kind":"Event"}],"kind":"List",'
                                   '"metadata":{}}']))  # fmt: skip


def test_airflow_s_dag_and_task_names_are_masked_and_its_operator_kept(masked_alike):
    """QA Airflow (round 51): `<Task(PythonOperator): extract>`, `Subtask email_report`,
    `next_dagrun for etl_orders` kept the DAG's or the task's name where few, a template per
    name and a new DAG's normal runs new events."""
    extract, report, subtask, other, dagrun = masked_alike([
        "INFO - Executing <Task(PythonOperator): extract> on 2026-12-04 02:20:00+00:00",
        "INFO - Executing <Task(PythonOperator): build_report> on 2026-12-04 02:20:00+00:00",
        "INFO - Job 1234: Subtask extract",
        "INFO - Job 1235: Subtask email_report",
        "INFO - Marking run <DagRun etl_orders @ 2026-12-04 10:00:00+00:00: scheduled__2026-12-"
        "04T10:00:00+00:00, state:running> successful",
    ])  # fmt: skip
    assert extract == report and "<Task(PythonOperator): <*>>" in extract
    assert subtask == other == "INFO - Job <*>: Subtask <*>"
    assert "<DagRun <*> @" in dagrun


def test_rails_parameters_keep_their_names_and_its_started_line_tells_a_local_header():
    """QA Rails (round 52): `Parameters: {"q"=>...}` and `{"id"=>...}` were one `{"<*>"}`
    template, and a Logger::Formatter header in local time beside `Started GET "/" for ... at
    2026-12-04 11:00:01 +0100` was read as UTC, unsaid."""
    lines = [mask_text(f'[req-{i}]   Parameters: {{"{key}"=>"{i}"}}')
             for i, key in enumerate(["q", "id", "page"] * 20)]  # fmt: skip
    miner = TemplateMiner()
    templates = {miner.template(tid) for tid in miner.add(lines)}
    assert templates == {f'[<*>] Parameters: {{"{key}"=>"<*>"}}' for key in ("q", "id", "page")}
    header = pa.array([datetime(2026, 12, 4, 11, 0, i) for i in range(20)], pa.timestamp("us"))
    started = pa.array([f'[e4b9] Started GET "/" for 10.0.3.30 at 2026-12-04 11:00:{i:02d} +0100'
                        for i in range(20)])  # fmt: skip
    warning = inner_time_warning(header, started)
    assert warning is not None and "the header is in local time (UTC+01:00)" in warning


def test_envoy_s_access_fields_are_no_part_of_its_events(auto_parsed):
    """QA Envoy (round 52): `iso` kept the user agent in rare events, so a client disconnect
    from a new client library was a new event; Envoy's own log lines share its stdout."""
    def access(agent: str) -> str:
        return ('[2026-12-04T08:18:27.831Z] "DELETE /api/v1/cart/e9b1325a-f6da-4a09-82a6-'
                f'640be44efa9e HTTP/2" 0 DC 0 0 14 - "10.0.3.33" "{agent}" "be324eeb-ae1f-4b20-'
                '8d6a-508e0c725298" "cart.shop.svc:8080" "10.244.3.40:8080"')  # fmt: skip

    lines = [
        access("Go-http-client/2.0"),
        access("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15"),
        "[2026-12-04 08:03:19.249][1][warning][config] [source/common/config/grpc_stream.h:191] "
        "StreamAggregatedResources gRPC config stream to xds-grpc closed since 1837s ago: 0, ",
    ]
    events = auto_parsed(lines, "envoy")
    assert events["template"][0] == events["template"][1]
    assert events["Agent"][:2] == ["Go-http-client/2.0", lines[1].split('" "')[1]]
    assert events["Upstream"][0] == "10.244.3.40:8080" and events["Level"][2] == "warning"
    assert events["template"][2].startswith("[source/common/config/grpc_stream.h:<*>]")


def test_a_grpc_stream_s_status_is_the_event(masked_alike):
    """QA Envoy (round 52): `closed since 4s ago: 14,` (UNAVAILABLE: istiod unreachable) was
    the routine rotation's `: 0,` event."""
    rotation, outage, status = masked_alike([
        "StreamAggregatedResources gRPC config stream to xds-grpc closed since 1837s ago: 0, ",
        "StreamAggregatedResources gRPC config stream to xds-grpc closed since 2s ago: 14, ",
        "response grpc-status=14 done",
    ])  # fmt: skip
    assert rotation.endswith("ago: 0,") and outage.endswith("ago: 14,")
    assert status == "response grpc-status=14 done"


def test_a_log_mixing_two_formats_says_so_and_klog_reads_only_klog_lines(tmp_path):
    """QA ingress-nginx (round 53): `auto` chose `access`, and the controller's klog warnings
    and errors went to the rejects file unsaid; `--format klog` read the access lines as klog's,
    one template of garbage fields."""
    access = ('10.0.3.{i} - - [04/Dec/2026:08:00:{i:02d} +0000] "POST /api/payments HTTP/1.1" 200 '
              '447 "-" "okhttp/4.12.0" 512 0.015 [shop-payments-8080] [] 10.244.2.51:8080 447 '
              '0.015 200 07e3{i:02d}')  # fmt: skip
    klog = ('W1204 08:00:{i:02d}.000000       7 controller.go:1214] Service "shop/payments" does '
            'not have any active Endpoint.')  # fmt: skip
    log = tmp_path / "controller.log"
    log.write_text("".join(f"{access.format(i=i)}\n{klog.format(i=i)}\n" if i % 4 == 0
                           else f"{access.format(i=i)}\n" for i in range(60)))  # fmt: skip
    summary = parse_files([str(log)], resolve_format("auto"), tmp_path / "e.parquet")
    assert any("lines of another format: klog reads" in w for w in summary.warnings)
    summary = parse_files([str(log)], resolve_format("klog"), tmp_path / "f.parquet")
    assert summary.rejected == 60


def test_an_azure_operation_under_its_field_is_an_event():
    """QA Azure Activity Log (round 53): sixteen `operationName=MICROSOFT.<provider>/<type>/
    <verb>` operations were one `MICROSOFT.<*>` template, so a deleted diagnostic setting or key
    vault was a routine tag write's event (recall 0 of 5)."""
    operations = ["MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE", "MICROSOFT.RESOURCES/TAGS/WRITE",
                  "MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE",
                  "MICROSOFT.KEYVAULT/VAULTS/DELETE",
                  "MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE"]  # fmt: skip
    lines = [mask_text(f"Informational category=Administrative operationName={op} "
                       "resultType=Start") for op in operations * 12]  # fmt: skip
    miner = TemplateMiner()
    templates = {miner.template(tid) for tid in miner.add(lines)}
    assert len(templates) == len(operations)
    assert any("operationName=MICROSOFT.KEYVAULT/VAULTS/DELETE" in t for t in templates)
