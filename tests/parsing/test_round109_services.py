"""What blind QA round 109 (Icinga 2, Gitea, Solr, Istio) found in reading each log's lines,
and what they read as now."""

from __future__ import annotations

ISTIO_TAIL = {
    "inbound": "inbound|9080|| 127.0.0.6:60364 10.244.2.7:9080 10.244.1.5:49624 "
    "outbound_.9080_._.details.default.svc.cluster.local default",
    "outbound": "outbound|9080||details.default.svc.cluster.local 10.244.1.5:49624 "
    "10.96.112.33:9080 10.244.1.5:51122 - default",
}


def test_istio_s_default_access_log_fills_envoy_s_fields_and_keeps_a_hop_s_direction(
    auto_parsed,
):
    """QA Istio: Istio's default access log (Envoy's plus the cluster, three addresses, the
    server name and the route) fit `envoy` with every field empty, the whole line the event, and
    a hop's client (outbound) and server (inbound) lines one event."""
    lines = [
        f'[2024-01-15T08:00:1{i}.002Z] "GET /details/{i} HTTP/1.1" 200 - via_upstream - "-" 0 '
        f'1750 2 1 "-" "python-requests/2.31.0" "b9a972c9-5de9-4d8b-99c2-81d16b7519e{i}" '
        f'"details:9080" "10.244.2.7:9080" {ISTIO_TAIL[side]}'
        for i, side in enumerate(["inbound", "outbound"] * 3)
    ]
    events = auto_parsed(lines, "envoy")
    assert events["ReqId"][0] == "b9a972c9-5de9-4d8b-99c2-81d16b7519e0"
    assert events["Agent"][0] == "python-requests/2.31.0"
    assert events["Cluster"][:2] == [
        "inbound|9080||", "outbound|9080||details.default.svc.cluster.local"
    ]
    assert events["Route"][0] == "default" and events["Sni"][1] == "-"
    inbound, outbound = events["template"][:2]
    assert len(set(events["template"])) == 2 and inbound != outbound
    assert inbound.startswith('"GET /details/<*> HTTP/<*>" 2xx - via_upstream')
    assert inbound.endswith(" inbound") and outbound.endswith(" outbound")
    assert "python-requests" not in inbound


def test_an_xds_stream_s_status_is_the_event_without_since_too(masked_alike):
    """QA Istio: `gRPC config stream to xds-grpc closed: 14,` (istiod unreachable) was the
    routine `closed: 0,` event; Envoy's `closed since 4s ago: 14,` was kept already."""
    rotation, outage, bytes_closed = masked_alike([
        "StreamAggregatedResources gRPC config stream to xds-grpc closed: 0, ",
        "StreamAggregatedResources gRPC config stream to xds-grpc closed: 14, ",
        "connection closed: 512 bytes",
    ])  # fmt: skip
    assert rotation.endswith("closed: 0,") and outage.endswith("closed: 14,")
    assert bytes_closed == "connection closed: <*> bytes"


SOLR = (
    "2026-03-04 08:00:0{i}.000 INFO  (commitScheduler-2{i}-thread-1) [c:products s:shard1 "
    "r:core_node{i} x:products_shard1_replica_n{i}] o.a.s.u.DirectUpdateHandler2 end_commit_flush"
)


def test_solr_s_log4j_layout_is_a_built_in_format_its_core_no_part_of_the_event(auto_parsed):
    """QA Solr: `auto` chose `iso`, which kept the thread, collection, shard, replica and core
    in every template: 58 kinds of event 179 templates, and a leader moving to another core
    283 false alarms."""
    lines = [SOLR.format(i=i) for i in range(1, 5)] + [
        "2026-03-04 08:00:05.015 INFO  (qtp1-68) [c:products s:shard1 r:core_node3 "
        "x:products_shard1_replica_n1 t:3f3a59702078e631] o.a.s.u.p.LogUpdateProcessorFactory "
        "webapp=/solr path=/update params={wt=javabin&version=2}{add=[SKU-35353]} 0 29",
        "2026-03-04 08:00:06.123 WARN  (main) [   ] o.e.j.s.AbstractConnector Ignoring "
        "deprecated socket close linger time",
        "2026-03-04 08:00:07.000 INFO  (recoveryExecutor-7-thread-1) [c:orders s:shard2 "
        "r:core_node4 x:orders_shard2_replica_n3] o.a.s.u.UpdateLog Begin buffering updates. "
        "core=[orders_shard2_replica_n3]",
    ]
    events = auto_parsed(lines, "solr")
    assert len({events["template"][i] for i in range(4)}) == 1
    assert events["template"][0] == "end_commit_flush"
    assert events["Core"][0] == "products_shard1_replica_n1" and events["Shard"][0] == "shard1"
    assert events["Trace"][4] == "3f3a59702078e631" and events["ThreadName"][4] == "qtp1-68"
    assert events["Core"][5] == "" and events["Level"][5] == "WARN"
    assert events["Component"][6] == "o.a.s.u.UpdateLog"
    assert events["template"][6] == "Begin buffering updates. core=<*>"  # the core a value


def test_a_quoted_kind_before_its_noun_is_the_event_a_quoted_name_after_it_a_value(log_parsed):
    """QA Icinga 2: `Sending 'Problem' notification` and `'Recovery'`, `'Acknowledgement'`
    were one event, so a recovery sent with no problem before it went unseen."""
    kinds = ("Problem", "Recovery", "Acknowledgement", "FlappingStart")
    users = ("icingaadmin", "oncall", "bob", "alice", "carol", "dave", "erin", "frank", "gina",
             "hank", "ivan", "judy", "kim", "lou")  # fmt: skip
    lines = [
        f"[2024-03-12 19:{i // 60:02d}:{i % 60:02d} +0100] information/Notification: Sending "
        f"'{kinds[i % 4]}' notification 'db0{i % 5}!mysql!mail-icingaadmin' for user "
        f"'{users[i % len(users)]}'"
        for i in range(112)
    ]
    events, _ = log_parsed(lines, r"\[<Date> <Time> <Zone>\] <Level>/<Component>: <Content>")
    templates = set(events["template"])
    assert {t.split("'")[1] for t in templates} == set(kinds)
    assert all(t.endswith("for user '<*>'") for t in templates)


def test_a_command_line_of_quoted_words_is_one_value(masked_alike):
    """QA Icinga 2: `Running command '/usr/lib/nagios/plugins/check_load' '-c' '10,6,4' ...`
    a template per plugin and per count of arguments (`'<*>,<*>,<*>'` beside `'<*>'`), a
    check's new argument a new event."""
    run_a, run_b, kill_a, kill_b, plain = masked_alike([
        "Running command '/usr/lib/nagios/plugins/check_load' '-c' '10,6,4' '-w' '5,4,3': PID 1",
        "Running command '/usr/lib/nagios/plugins/check_http' '-I' '10.0.2.12': PID 2",
        "Killing process group 30512 ('/usr/lib/nagios/plugins/check_mysql' '-H' '10.0.4.31' "
        "'-u' 'icinga') after timeout of 60 seconds",
        "Killing process group 30600 ('/usr/lib/nagios/plugins/check_http' '-u' '/') after "
        "timeout of 60 seconds",
        "open '/etc/passwd' failed",
    ])  # fmt: skip
    assert run_a == run_b == "Running command <*>: PID <*>"
    assert kill_a == kill_b == "Killing process group <*> (<*>) after timeout of <*> seconds"
    assert plain == "open '<*>' failed"  # one quoted path alone is a path, as before


def test_gitea_s_api_handlers_and_git_services_are_events(log_parsed):
    """QA Gitea: `@ v1/repo/repo.go:585(repo.Get)` beside `repo.Search` one `@ <*>)` event (an
    unknown client's admin API calls a known event); `SSH: Payload: git-upload-pack` and
    `git-receive-pack` (a pull and a push) one `git-<*>` event."""
    handlers = ("repo/repo.go:585(repo.Get)", "repo/repo.go:149(repo.Search)",
                "repo/pull.go:95(repo.ListPullRequests)")  # fmt: skip
    lines = [
        f"2024/03/04 10:00:{i:02d} ...eb/routing/logger.go:102:func1() [I] router: completed "
        f"GET /api/v1/repos/u{i}/docs for 10.30.0.{i}:5828{i % 10}, 200 OK in 4.{i}ms @ "
        f"v1/{handlers[i % 3]}"
        for i in range(12)
    ] + [
        f"2024/03/04 10:01:{i:02d} modules/ssh/ssh.go:70:sessionHandler() [T] SSH: Payload: "
        f"git-{('upload', 'receive')[i % 2]}-pack 'u{i}/docs.git'"
        for i in range(8)
    ]
    events, _ = log_parsed(lines, "iso")
    routes = {t.rpartition("(")[2] for t in events["template"][:12]}
    assert routes == {"repo.Get)", "repo.Search)", "repo.ListPullRequests)"}
    git = {t.split("Payload: ")[1].split()[0] for t in events["template"][12:]}
    assert git == {"git-upload-pack", "git-receive-pack"}
