"""QA rounds 58 (Pacemaker/Corosync, Gerrit, Temporal, loguru, Quarkus), 59 (OpenSearch, Dagster,
log4net, pfSense, Falco), 60, 61 and 62: what each log's first run got wrong, as a new user met
it."""

from __future__ import annotations

import pyarrow as pa
import pytest

from logbert.errors import LogbertError
from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import Parser, parse_files
from logbert.parsing.templates import require_same_parse_run
from logbert.sessions.id_sessions import FieldSessionizer, IdSessionizer

TEMPORAL = (
    '{{"level":"info","ts":"2026-12-05T10:00:0{i}.001Z","msg":"Workflow task started",'
    '"service":"history","wf-id":"{wf}","wf-run-id":"2c3d0a4e-1b7f-4c1e-9d2a-0f5b6c7d8e9{i}"}}'
)


def test_a_json_id_of_several_words_is_one_value_and_one_session(json_parsed):
    """QA Temporal: `"wf-id":"monthly report 7"` was cut at its first space by --by-field
    wf-id, thirty workflows one session `monthly`, and each a template of its own."""
    import json

    records = [
        json.loads(TEMPORAL.format(i=i, wf=wf))
        for i, wf in enumerate(["monthly report 7", "monthly report 12", "order-4711"])
    ]
    events, _ = json_parsed(records)
    assert len(set(events["template_id"])) == 1, events["template"]
    sessionizer = FieldSessionizer("wf-id")
    sessionizer.push(pa.table(events))
    ids = [s.session_id for s in sessionizer.flush()]
    assert ids == ["monthly report 7", "monthly report 12", "order-4711"]


def test_a_format_that_reads_almost_no_line_is_refused_naming_one_that_does(tmp_path):
    """QA Temporal: `--format iso` read the two plain banner lines of 9,088 zap JSON lines and
    wrote a 2-event file, exit 0 with a warning."""
    log = tmp_path / "temporal.log"
    banner = ["2026/12/05 09:59:58 Loading config; env=development,zone=,configDir=config"] * 2
    records = [TEMPORAL.format(i=i % 10, wf=f"order-{i}") for i in range(300)]
    log.write_text("\n".join(banner + records) + "\n")
    with pytest.raises(LogbertError) as caught:
        parse_files([str(log)], resolve_format("iso"), tmp_path / "e.parquet")
    assert str(caught.value).startswith("format iso reads only 2 of 302 lines (300 rejected; ")
    assert str(caught.value).endswith("try --format json (it reads the first lines)")
    assert not (tmp_path / "e.parquet").exists()
    # a format that reads a few lines more than that is a warning, as before
    log.write_text("\n".join(banner * 3 + records[:100]) + "\n")
    summary = parse_files([str(log)], resolve_format("iso"), tmp_path / "e.parquet")
    assert summary.events == 6 and any("does not fit" in w for w in summary.warnings)


def test_http_and_its_code_keep_the_codes_class(masked_alike):
    """QA Quarkus: `gateway returned HTTP 503` was masked, a 503 a 404's event."""
    outage, missing, after, two = masked_alike([
        "Payment gateway returned HTTP 503 for order 300000",
        "Payment gateway returned HTTP 404 for order 300001",
        "gateway returned HTTP 502 after 120 ms",
        "upgrade to HTTP 2 enabled",
    ])  # fmt: skip
    assert outage == "Payment gateway returned HTTP 5xx for order <*>"
    assert missing == "Payment gateway returned HTTP 4xx for order <*>"
    assert after == "gateway returned HTTP 5xx after <*> ms"
    assert two == "upgrade to HTTP <*> enabled"


def test_quarkus_failed_requests_keep_their_endpoint(masked_alike):
    """QA Quarkus: `HTTP Request to /admin/... failed` was a failing order's event."""
    order, admin = masked_alike([
        "HTTP Request to /orders/4711/payment failed, error id: 3a1b2c3d-4e5f-6789-abcd-"
        "ef0123456789-1: java.lang.IllegalStateException: Order already paid",
        "HTTP Request to /admin/orders/4712/refund failed, error id: 3a1b2c3d-4e5f-6789-abcd-"
        "ef0123456789-1: java.lang.IllegalStateException: Order already paid",
    ])  # fmt: skip
    assert order.startswith("HTTP Request to /orders/<*>/payment failed")
    assert admin.startswith("HTTP Request to /admin/orders/<*>/refund failed")


def test_gerrits_authenticated_rest_calls_keep_their_endpoint(masked_alike):
    """QA Gerrit: `/a/changes/...` and `/a/accounts/...` were one `GET /a/<*>` event."""
    changes, accounts = masked_alike([
        '"GET /a/changes/?q=status:open+owner:self&n=25 HTTP/1.1" 200 7280',
        '"GET /a/accounts/self/detail HTTP/1.1" 200 512',
    ])  # fmt: skip
    assert changes.startswith('"GET /a/changes/<*> HTTP/<*>" 2xx')
    assert accounts.startswith('"GET /a/accounts/<*> HTTP/<*>" 2xx')


def test_an_id_regex_missing_how_some_lines_write_the_id_is_a_warning():
    """QA Quarkus: `order (\\d+)` missed every `Order 104701 shipped` line, 17% of the events
    and a step of every order, with a count on standard output only."""
    contents = []
    for order in range(104700, 104740):
        contents += [
            f"Creating order {order} for customer 7116",
            f"Payment captured for order {order}",
            f"Order {order} shipped via DHL, tracking number 0034043416",
        ]
    events = pa.table({"content": contents, "template_id": [i % 3 for i in range(len(contents))]})
    sessionizer = IdSessionizer(r"order (\d+)")
    sessionizer.push(events)
    sessionizer.flush()
    stats = sessionizer.stats
    assert stats.n_unmatched_naming == 40
    (warning,) = [w for w in stats.warnings(r"order (\d+)") if "hold the id" in w]
    assert warning.startswith(
        "warning: 40 of 120 events (33%) matched no id of --by-id 'order (\\d+)' though they "
        "hold the id of a session (e.g. 'Order 104700 shipped via DHL"
    )
    assert warning.endswith("(it matches them without regard to case: '(?i)order (\\d+)')")
    # start-up lines naming no session's id are no such warning
    events = pa.table({
        "content": ["Service started on port 8080"] * 10 + contents[:2],
        "template_id": [5] * 10 + [0, 1],
    })  # fmt: skip
    sessionizer = IdSessionizer(r"order (\d+)")
    sessionizer.push(events)
    sessionizer.flush()
    assert not [w for w in sessionizer.stats.warnings(r"order (\d+)") if "hold the id" in w]


def test_a_format_strings_level_of_punctuation_is_a_warning(log_parsed):
    """QA loguru: `<Date> <Time> <Level> <Component> <Content>` read `|` as the level of every
    line (the level as the component), exit 0 and no word."""
    lines = [
        f"2026-12-05 10:00:0{i}.123 | INFO     | app.api.orders:create_order:88 - Order {i} made"
        for i in range(5)
    ]
    _, summary = log_parsed(lines, "<Date> <Time> <Level> <Component> <Content>")
    (warning,) = [w for w in summary.warnings if "<Level> holds no word" in w]
    assert "on 5 of 5 events (the first, parsed.log:1: '|')" in warning
    _, summary = log_parsed(lines, "<Date> <Time> | <Level> *| <Component> - <Content>")
    assert not [w for w in summary.warnings if "<Level> holds no word" in w]


def test_times_without_an_offset_read_as_utc_are_said_at_training_not_at_scoring(log_parsed):
    """QA loguru: local times were stored as UTC and written with a `Z`, unsaid; a model's
    parser was told so at training, and a log of times with offsets needs no note."""
    lines = [f"2026-12-05 10:00:0{i} INFO Order {i} made" for i in range(3)]
    _, summary = log_parsed(lines, "iso")
    naive = [n for n in summary.notes if "were read as UTC" in n]
    assert naive == [
        "timestamps: 3 times without a UTC offset were read as UTC; if the log writes local "
        "time, pass --timezone with its zone (e.g. --timezone Europe/Berlin)"
    ]
    _, summary = log_parsed([line.replace(" INFO", "Z INFO") for line in lines], "iso")
    assert not [n for n in summary.notes if "were read as UTC" in n]
    train = Parser(resolve_format("iso"))
    train.process(lines)
    model_parser = Parser.from_state(train.freeze().to_state())
    model_parser.process(lines)
    assert not [n for n in model_parser.notes if "were read as UTC" in n]


def test_pacemaker_and_corosync_logs_have_formats_of_their_own(auto_parsed):
    """QA Pacemaker: `auto` read pacemaker.log as `linux` (daemon, pid, function and level one
    <Component>) and corosync.log as `syslog-notag`, its pid `[1100]` the host and `Sync
    left[1]: 3` and `Members[2]: 1 2` one event behind the header's words."""
    events = auto_parsed([
        "Dec 01 00:00:21.616 node1 pacemaker-controld  [1234] (crm_timer_popped) \tinfo: Cluster "
        "Recheck Timer just popped | input=I_PE_CALC time=900000ms",
        "Dec 01 00:00:21.689 node1 pacemaker-schedulerd[1233] (unpack_config) \tnotice: On loss "
        "of quorum: Stop ALL resources",
    ], "pacemaker")  # fmt: skip
    assert events["Component"] == ["pacemaker-controld", "pacemaker-schedulerd"]
    assert events["PID"] == ["1234", "1233"] and events["Level"] == ["info", "notice"]
    assert events["Function"] == ["crm_timer_popped", "unpack_config"]
    assert events["content"][1] == "On loss of quorum: Stop ALL resources"
    events = auto_parsed([
        "Dec 04 13:25:53 [1100] node1 corosync notice  [QUORUM] Sync left[1]: 3",
        "Dec 04 13:25:53 [1100] node1 corosync notice  [QUORUM] Members[2]: 1 2",
        "Dec 04 13:25:54 [1100] node1 corosync info    [KNET  ] link: host: 3 link: 0 is down",
    ], "corosync")  # fmt: skip
    assert events["Host"] == ["node1"] * 3 and events["PID"] == ["1100"] * 3
    assert events["Subsystem"] == ["QUORUM", "QUORUM", "KNET"]
    assert len(set(events["template_id"])) == 3


def test_a_process_id_in_brackets_is_not_called_a_time_in_brackets(tmp_path):
    """QA Pacemaker: `--format bgl` said `[1234]` was the time written in brackets."""
    log = tmp_path / "pacemaker.log"
    log.write_text(
        "Dec 01 00:00:21.616 node1 pacemaker-controld  [1234] (crm_timer_popped) \tinfo: x y\n"
    )
    with pytest.raises(LogbertError) as caught:
        parse_files([str(log)], resolve_format("bgl"), tmp_path / "e.parquet")
    assert "<Time> = '[1234]'" in str(caught.value)
    assert "the time is written in" not in str(caught.value)


def test_a_parse_run_mismatch_shows_where_the_two_templates_differ():
    """QA Temporal: both templates were cut before their only difference and read the same."""
    head = "info service-resolver Current reachable members addresses=[<*>] " + "x=<*> " * 12
    with pytest.raises(LogbertError) as caught:
        require_same_parse_run(
            {2: head + "service=frontend"}, {2: head + "service=history"},
            data="the sessions", reference="the model", remedy="Parse them again.",
        )  # fmt: skip
    assert "service=frontend'" in str(caught.value) and "service=history'" in str(caught.value)


FALCO_ISO = "2026-12-03T22:01:1{i}.383870655+0100: Notice A shell was spawned (user=root)"


def test_an_offset_before_the_messages_colon_is_the_times_own(log_parsed):
    """QA Falco: `iso` read `2026-12-03T22:01:12.383870655+0100:` with its colon, taken for a
    time without an offset: --timezone shifted it a second time, and the note said the times
    had none; a line that no time was read from is no such time either."""
    lines = [FALCO_ISO.format(i=i) for i in range(2)]
    events, summary = log_parsed(lines, "iso", timezone="Europe/Berlin")
    assert [str(t) for t in events["timestamp"]] == [
        "2026-12-03 21:01:10.383870", "2026-12-03 21:01:11.383870",
    ]  # fmt: skip
    assert summary.notes == [
        "timestamps: every time carries its own UTC offset, so --timezone Europe/Berlin "
        "changed none"
    ]
    _, summary = log_parsed(lines, "iso")
    assert not [n for n in summary.notes if "were read as UTC" in n]
    _, summary = log_parsed(["10:00:00.123456789: Warning x (user=root)"] * 3, "<Time>: <Content>")
    assert not [n for n in summary.notes if "were read as UTC" in n]


def test_a_ctime_time_may_end_in_a_colon(log_parsed):
    """QA Falco: `Thu Dec  3 22:00:00 2026: Falco version: 0.39.2` was rejected by `ctime`."""
    events, _ = log_parsed(
        ["Thu Dec  3 22:00:00 2026: Falco version: 0.39.2 (x86_64)",
         "Thu Nov  6 06:00:00 2025 alice/1.2.3.4:5000 MULTI: primary virtual IP"],
        "ctime",
    )  # fmt: skip
    assert [str(t) for t in events["timestamp"]] == ["2026-12-03 22:00:00", "2025-11-06 06:00:00"]
    assert events["content"][0] == "Falco version: 0.39.2 (x86_64)"


def test_a_layouts_thread_before_the_level_is_a_value(masked_alike):
    """QA log4net: `%date [%thread] %level` read by `iso` kept `[.NET ThreadPool Worker]` and
    made `[12]` and `[Worker#3]` templates apart, 43 for 20 events."""
    masked = masked_alike([
        "[.NET ThreadPool Worker] INFO  Shop.Orders.OrderService - Order 4711 created",
        "[12] INFO  Shop.Orders.OrderService - Order 4712 created",
        "[Worker#3] INFO  Shop.Orders.OrderService - Order 4713 created",
        "[TCP] connection reset",
    ])  # fmt: skip
    assert set(masked[:3]) == {"[<*>] INFO Shop.Orders.OrderService - Order <*> created"}
    assert masked[3] == "[TCP] connection reset"


def test_serilogs_request_line_keeps_endpoint_and_status_class(masked_alike):
    """QA log4net: `HTTP GET /api/orders/42 responded 500 in 12.3 ms` was `GET <*> responded
    <*>`, a 500 a 200's event."""
    ok, failed = masked_alike([
        "HTTP GET /api/orders/4711 responded 200 in 12.3456 ms",
        "HTTP POST /api/orders responded 500 in 1.2 ms",
    ])  # fmt: skip
    assert ok == "HTTP GET /api/orders/<*> responded 2xx in <*> ms"
    assert failed == "HTTP POST /api/orders responded 5xx in <*> ms"


def test_falcos_container_image_namespace_and_pod_are_values(masked_alike):
    """QA Falco: `container_image=`, `k8s_ns=` and `k8s_pod_name=` were kept, a template per
    deployment, and a new deployment's normal shell a new event."""
    line = (
        "A shell was spawned (process=sh parent=runc container_image={image} "
        "container_image_tag={tag} k8s_ns={ns} k8s_pod_name={pod})"
    )
    redis, cart = masked_alike([
        line.format(image="docker.io/library/redis", tag="7.2.4-alpine", ns="data", pod="redis-0"),
        line.format(image="ghcr.io/acme/cart", tag="v2.1.0", ns="shop", pod="cart-7d9f8-abcde"),
    ])  # fmt: skip
    assert redis == cart and "parent=runc" in redis and "k8s_ns=<*>" in redis


def test_opensearch_node_ids_are_values_whatever_their_digits(masked_alike):
    """QA OpenSearch: the ephemeral id `SeJt70YGDLuwMNVNvvmNCG` (one run of digits) was kept in
    a node-join template, and the next planned restart three false alarms."""
    line = "node-join[{{os-node-2}}{{rgaF9eyvoLJ5PhG5uD97KP}}{{{eph}}}{{10.0.0.12}}] join leader"
    kept, other = masked_alike(
        [line.format(eph="SeJt70YGDLuwMNVNvvmNCG"), line.format(eph="1_IVg8LsSSnecpGWcX8t2T")]
    )
    assert kept == other == "node-join[{<*>}{<*>}{<*>}{<*>}] join leader"
    (name,) = masked_alike(["class HTTP2ServerConnectionFa loaded"])  # 22: a name, kept
    assert name == "class HTTP2ServerConnectionFa loaded"


def test_durations_with_spaces_between_units_are_one_value(masked_alike):
    """QA Dagster: `exiting after 1m 12s` was `1m <*>` beside `48.20s`'s `<*>`, and a normal run
    past a minute a new event."""
    masked = masked_alike([
        "parent process exiting after 1m 12s (pid: 4321)",
        "parent process exiting after 2m 3.5s (pid: 4322)",
        "parent process exiting after 1h 3m (pid: 4323)",
        "parent process exiting after 48.20s (pid: 4324)",
    ])  # fmt: skip
    assert set(masked) == {"parent process exiting after <*> (pid: <*>)"}


def test_a_format_strings_level_holding_a_utc_offset_is_a_warning(log_parsed):
    """QA Dagster: `<Date> <Time> <Level> <Content>` read `+0100` as every line's level."""
    lines = [f"2026-12-05 10:00:0{i} +0100 - dagster - INFO - started" for i in range(3)]
    _, summary = log_parsed(lines, "<Date> <Time> <Level> <Content>")
    (warning,) = [w for w in summary.warnings if "<Level> holds no word" in w]
    assert "the lines write a UTC offset the format string lacks" in warning
    assert "'<Date> <Time> <Zone> ...'" in warning


def test_pfsense_filterlog_records_are_flows_of_words(masked_alike):
    """QA pfSense: filterlog's CSV kept the IP flags and TCP options (7 events, 19 templates; a
    Windows SYN new) and masked the ports (a 45-port scan one known event)."""
    linux_ssh, windows_ssh, bare_ssh, dns, dns6, https = masked_alike([
        "5,,,1000000103,igb0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,203.0.113.9,192.168.1.10,"
        "51234,22,0,S,123456789,,64240,,mss;sackOK;TS;nop;wscale",
        "5,,,1000000103,igb0,match,block,in,4,0x0,,128,4242,0,DF,6,tcp,52,198.51.100.7,"
        "192.168.1.10,50123,22,0,S,123456789,,64240,,mss;nop;nop;sackOK",
        "5,,,1000000103,igb0,match,block,in,4,0x0,,241,54321,0,none,6,tcp,40,45.9.8.7,"
        "203.0.113.2,40000,22,0,S,1111,,1024,,",
        "77,,,1770000101,igb1,match,pass,in,4,0x0,,64,0,0,none,17,udp,76,192.168.1.10,1.1.1.1,"
        "53211,53,56",
        "77,,,1770000101,igb1,match,pass,in,6,0x00,0x00000,64,udp,17,76,2001:db8::10,"
        "2001:4860:4860::8888,53211,53,56",
        "78,,,1770000102,igb1,match,pass,in,4,0x0,,128,4242,0,DF,6,tcp,52,192.168.1.230,"
        "142.250.185.78,50123,443,0,S,123456789,,64240,,mss;nop;nop;sackOK",
    ])  # fmt: skip
    assert linux_ssh == windows_ssh == bare_ssh == (
        "igb0 match block in IPv4 PROTO=tcp SRC=<*> DST=<*> SPT=port-high DPT=port22 FLAGS=S"
    )
    assert dns == "igb1 match pass in IPv4 PROTO=udp SRC=<*> DST=<*> SPT=port-high DPT=port53"
    assert dns6 == dns.replace("IPv4", "IPv6")
    assert "DPT=port443" in https


def test_labels_of_another_period_are_no_zone_offset():
    """QA pfSense: labels of another day, whose hosts recur in every window, were said to
    "match 7 hours apart" in another zone, as any shift within the logs' span did."""
    from logbert.sessions.labels import require_some_match

    hosts = ["192.168.1.10", "192.168.1.11"]
    sessions = [f"{h}@2026-12-01T{hour:02d}:00:00" for h in hosts for hour in range(24)]
    labels = {f"{h}@2026-12-02T{hour:02d}:00:00": "normal" for h in hosts for hour in range(8)}
    with pytest.raises(LogbertError) as caught:
        require_some_match(labels, len(labels), sessions[0], sessions)
    assert "hours apart" not in str(caught.value)


def test_node_red_logs_have_a_format_whose_level_leads_the_event(auto_parsed):
    """QA Node-RED: `auto` read no format (its day comes first), and a format string with
    `[<Level>]` made a warning that came back as an error the same event."""
    events = auto_parsed([
        "5 Dec 10:00:01 - [warn] [function:check threshold] Temperature high in bedroom: 28.7 C",
        "5 Dec 10:00:02 - [error] [function:check threshold] Temperature high in cellar: 33.1 C",
        "15 Dec 10:00:03 - [info] Starting flows",
    ], "nodered")  # fmt: skip
    assert events["Level"] == ["warn", "error", "info"]
    assert [t.month for t in events["timestamp"]] == [12] * 3
    assert events["Date"][2] == "15" and events["content"][2] == "info Starting flows"
    assert len(set(events["template_id"])) == 3  # the warning and the error apart


WAZUH = [
    "** Alert 1733392802.0: - ossec,pci_dss_10.6.1, | 2026 Dec 05 10:00:02 wazuh-manager->ossec-"
    "monitord | Rule: 502 (level 3) -> 'Wazuh server started.' | ossec: Manager started.",
    "** Alert 1733392917.1286: - syslog,sshd,authentication_failed, | 2026 Dec 05 10:01:57 "
    "(web01) 10.0.0.21->/var/log/auth.log | Rule: 5760 (level 5) -> 'sshd: authentication "
    "failed.' | Src IP: 203.0.113.9 | User: root | Dec  5 10:01:57 web01 sshd[1234]: Failed "
    "password for root from 203.0.113.9 port 51234 ssh2",
    "** Alert 1733392918.2286: mail  - syslog,sshd,authentication_failed, | 2026 Dec 05 10:01:58 "
    "(mail01) 10.0.0.41->/var/log/auth.log | Rule: 5760 (level 5) -> 'sshd: authentication "
    "failed.' | Src IP: 203.0.113.9 | User: root | Dec  5 10:01:58 mail01 sshd[99]: Failed "
    "password for root from 203.0.113.9 port 51235 ssh2",
]


def test_wazuh_alerts_joined_as_advised_have_a_format(auto_parsed):
    """QA Wazuh: the blank-line advice cut each syscheck alert in two, and `auto` read no
    format of the joined alerts; with the agent in the message, a template per agent."""
    from logbert.parsing.auto import blank_records_hint

    assert "awk '/^\\*\\* Alert / {" in blank_records_hint(100, 30)
    events = auto_parsed(WAZUH, "wazuh")
    assert events["Agent"] == ["", "web01", "mail01"]  # the manager's own alert names none
    assert str(events["timestamp"][1]) == "2024-12-05 10:01:57"  # the epoch time, UTC
    assert events["content"][0] == (
        "Rule: 502 (level 3) -> 'Wazuh server started.' | ossec: Manager started."
    )
    assert events["template_id"][1] == events["template_id"][2]  # two agents, one event


def test_debian_packages_and_versions_are_values(masked_alike):
    """QA dpkg: `man-db:amd64 <*>-4build2` and `libc6:amd64 <*>-0ubuntu8.<*>`, a template per
    package and revision, 33 for 18 events."""
    masked = masked_alike([
        "status installed man-db:amd64 2.12.0-4build2",
        "status installed libc6:amd64 2.39-0ubuntu8.3",
        "status installed rsyslog:amd64 1:8.2312.0-3ubuntu9.1",
    ])  # fmt: skip
    assert set(masked) == {"status installed <*>:amd64 <*>"}
    (trigger,) = masked_alike(["trigproc ufw:all 0.36.2-6 <none>"])
    assert trigger == "trigproc <*>:all <*> <none>"


def test_home_assistants_mqtt_reason_code_is_kept(masked_alike):
    """QA Home Assistant: `Disconnected from MQTT server core-mosquitto:1883 (5)` (not
    authorised) was `(7)`'s (connection lost) event."""
    refused, lost = masked_alike([
        "Disconnected from MQTT server core-mosquitto:1883 (5)",
        "Disconnected from MQTT server core-mosquitto:1883 (7)",
    ])  # fmt: skip
    assert refused.endswith("(5)") and lost.endswith("(7)")


def test_an_access_log_with_the_virtual_host_before_the_request(auto_parsed):
    """QA APISIX: its default access log writes the host between the time and the request, and
    no built-in format read it (`auto` blamed the time)."""
    events = auto_parsed([
        '10.2.223.207 - - [04/Dec/2026:08:01:26 +0100] api.example.com "POST /api/v1/auth/login '
        'HTTP/1.1" 200 765 0.076 "https://shop.example.com/" "okhttp/4.12.0" 10.0.0.51:8000 200',
        '10.0.0.1 - - [04/Dec/2026:08:01:27 +0100] "GET /apache_pb.gif HTTP/1.0" 200 2326 '
        '"http://www.example.com/start.html" "Mozilla/4.08"',
    ], "access")  # fmt: skip
    assert events["Vhost"] == ["api.example.com", ""]
    assert events["content"] == [
        '"POST /api/v1/auth/login HTTP/1.1" 200', '"GET /apache_pb.gif HTTP/1.0" 200',
    ]  # fmt: skip
    assert events["Agent"][1] == "Mozilla/4.08"


def test_an_admin_api_under_a_products_prefix_keeps_its_resource(masked_alike):
    """QA APISIX: `/apisix/admin/routes/1` (CVE-2022-24112's write) was `/apisix/<*>`, the
    public `/apisix/batch-requests`' event."""
    admin, public = masked_alike([
        '"POST /apisix/admin/routes/1 HTTP/1.1" 200 53211',
        '"POST /apisix/batch-requests HTTP/1.1" 200 53211',
    ])  # fmt: skip
    assert admin.startswith('"POST /apisix/admin/routes/<*> HTTP/<*>" 2xx') and admin != public


def test_the_join_advice_follows_how_most_records_start():
    """QA Guacamole: Tomcat's one `06-Dec-2024 ...` line before logback's `08:00:00.000 [...]`
    records made the join's pattern, which none of them fit: the whole log one line."""
    from logbert.parsing.summary import join_continuations

    advice = join_continuations([
        "06-Dec-2024 08:00:00.123 INFO [main] org.apache.catalina.startup.Catalina.start x",
        "08:00:00.000 [localhost-startStop-1] INFO  o.a.g.environment.LocalEnvironment - x",
        "08:00:01.000 [http-nio-8080-exec-3] INFO  o.a.g.r.auth.AuthenticationService - y",
    ])  # fmt: skip
    assert advice.startswith("where each record starts with a date, awk '/^[0-9]+:[0-9]+:")


def test_pgaudit_records_are_named_words(masked_alike):
    """QA pgaudit: `AUDIT: SESSION,5,1,MISC,BEGIN,,,BEGIN,<not logged>` was one word, and
    BEGIN, COMMIT and ROLLBACK one `<*>` event: a rolled-back transaction a committed one's."""
    begin, commit, rollback, read = masked_alike([
        "LOG:  AUDIT: SESSION,5,1,MISC,BEGIN,,,BEGIN,<not logged>",
        "LOG:  AUDIT: SESSION,6,1,MISC,COMMIT,,,COMMIT,<not logged>",
        "LOG:  AUDIT: SESSION,7,1,MISC,ROLLBACK,,,ROLLBACK,<not logged>",
        'LOG:  AUDIT: OBJECT,4,1,READ,SELECT,TABLE,public.customers,"SELECT * FROM customers",'
        "<not logged>",
    ])  # fmt: skip
    assert begin == (
        "LOG: AUDIT: SESSION class=MISC command=BEGIN object_type= object= "
        "statement=BEGIN,<not logged>"
    )
    assert "command=COMMIT" in commit and "command=ROLLBACK" in rollback
    assert "class=READ command=SELECT object_type=TABLE object=public.customers" in read


def test_cyrus_masters_exit_status_is_kept(masked_alike):
    """QA Cyrus: `pid:12346 exited, status 75` was `status 0`'s event."""
    clean, failed = masked_alike([
        "process type:SERVICE name:imaps path:/usr/lib/cyrus/bin/imapd pid:12345 exited, status 0",
        "process type:SERVICE name:imaps path:/usr/lib/cyrus/bin/imapd pid:12346 exited, status 75",
    ])  # fmt: skip
    assert clean.endswith("exited, status 0") and failed.endswith("exited, status 75")


def test_the_paragraph_join_drops_carriage_returns_first():
    """QA PowerShell: a Windows export's blank lines hold a `\\r`, and the paragraph join made
    one line of the whole `Format-List` export."""
    from logbert.parsing.auto import JOIN_PARAGRAPHS

    assert JOIN_PARAGRAPHS.startswith("tr -d '\\r' < LOG | awk 'BEGIN { RS = \"\"")


def test_confluences_request_context_keeps_its_url_and_leaves_the_rest_out(masked_alike):
    """QA Confluence: ` -- url: ... | traceId: ... | userName: ... | referer: ...` made a template
    per combination of keys (logins without a referer 184 false alarms), its url one `<*>`."""
    line = (
        "WARN [http-nio-8090-exec-3] [confluence.util.http.HttpRequestStats] logRequest Request "
        "took 12345ms -- url: /rest/api/content/search | traceId: 3a1b2c3d4e5f6a7b | userName: {}"
    )
    with_referer, without, viewpage = masked_alike([
        line.format("alice | referer: https://wiki.example.com/display/ENG"),
        line.format("bob"),
        "ERROR [http-nio-8090-exec-5] [atlassian.confluence.servlet.ConfluenceServletDispatcher] "
        "sendError Could not execute action -- url: /pages/viewpage.action | traceId: 7b8c | "
        "userName: bob | action: viewpage | page: 123456",
    ])  # fmt: skip
    # (the whole endpoint since round 64: `kept_values.REQUEST` tries a segment whole first)
    assert with_referer == without and with_referer.endswith("-- url=/rest/api/content/search")
    assert viewpage.endswith("Could not execute action -- url=/pages/<*>")


def test_a_few_lines_holding_a_long_id_the_regex_missed_are_a_warning_too():
    """QA Mastodon: `jid=([0-9a-f]{24})` missed the `"jid":"..."` of every failed job's
    exception, 0.7% of the events and the anomalies' own lines, below the 5% share."""
    contents = []
    for job in range(600):
        jid = f"{job:024x}"
        contents += [f"class=Worker jid={jid} INFO: start", f"class=Worker jid={jid} INFO: done"]
        if job % 50 == 0:  # 12 failed jobs
            contents.append(f'WARN: {{"context":"Job raised exception","job":{{"jid":"{jid}"}}}}')
    events = pa.table({"content": contents, "template_id": [0] * len(contents)})
    sessionizer = IdSessionizer(r"jid=([0-9a-f]{24})")
    sessionizer.push(events)
    sessionizer.flush()
    (warning,) = [w for w in sessionizer.stats.warnings("jid=") if "hold the id" in w]
    assert warning.startswith("warning: 12 of 1,212 events (1%) matched no id")
    contents = []  # short ids (a process id, four digits) may be in a line by chance
    for job in range(1000, 1600):
        contents += [f"job {job} INFO: start", f"job {job} INFO: done"]
        if job % 50 == 0:
            contents.append(f"WARN: port {job} busy")
    events = pa.table({"content": contents, "template_id": [0] * len(contents)})
    sessionizer = IdSessionizer(r"job (\d+)")
    sessionizer.push(events)
    sessionizer.flush()
    assert sessionizer.stats.n_unmatched_naming == 12
    assert not [w for w in sessionizer.stats.warnings("job") if "hold the id" in w]
