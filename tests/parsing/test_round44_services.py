"""QA rounds 44-47 (Nexus, Neo4j, Matrix Synapse, libvirt, Couchbase, Kong; Hazelcast, chrony,
ZFS, Okta, LXD, OpenTelemetry Collector; iptables, Sysmon, Podman, Lambda, restic/Borg;
Cilium, WireGuard, Graylog, SonarQube, Harbor): what each log's first run got wrong, as a new
user met it."""

from __future__ import annotations

import pyarrow as pa

from logbert.parsing.auto import rank_formats
from logbert.parsing.json_lines import record_fields
from logbert.parsing.masks import mask_text
from logbert.parsing.miner import TemplateMiner
from logbert.sessions.streaming import _message_field


def test_a_common_log_format_line_is_an_access_log_not_s3():
    """QA Nexus: `s3` read `10.20.4.22 - - [04/Dec/...] "GET ..." 200 488876` with `- -` as
    its bucket and `"GET` as its client, had fewer empty fields than `access`, was picked, and
    every request was one template."""
    lines = [
        f'10.20.4.{i} - {user} [04/Dec/2026:00:00:{i:02d} +0000] "GET /repository/npm-group/'
        f'jest{i} HTTP/1.1" 200 48887{i}'
        for i, user in enumerate(["-", "jenkins", "-", "ci-docker"] * 3)
    ]
    assert rank_formats(lines)[0].name == "access"


def test_an_access_log_s_message_is_its_request_and_status(log_parsed):
    """QA Nexus: its request log writes `status bytesIn bytesOut elapsed "agent" [thread]`;
    the thread was read as the size, and the byte counts and the agent were in every event."""
    events, _ = log_parsed(
        [
            '10.20.6.227 - jenkins [04/Dec/2026:00:00:27 +0000] "GET /repository/maven-public/'
            'a.pom HTTP/1.1" 200 - 1491585 1045 "Apache-Maven/3.8.8 (Java 11.0.21)" [qtp1-398]',
            '10.0.0.1 - - [04/Dec/2026:00:00:28 +0000] "GET /index.html HTTP/1.1" 404 512 '
            '"-" "curl/8.0" 0.003',
        ],
        "access",
    )
    assert events["content"] == [
        '"GET /repository/maven-public/a.pom HTTP/1.1" 200',
        '"GET /index.html HTTP/1.1" 404',
    ]
    assert events["Size"] == ["-", "512"]
    assert events["Agent"] == ["", "curl/8.0"]


def test_a_logback_context_value_before_the_logger_is_a_value(masked_alike):
    """QA Nexus: `%X{userId}` between the thread and the logger kept each account in the
    event: a template per user, and a renamed account 55 false alarms."""
    deployer, system, plain = masked_alike([
        "INFO  [qtp1396411813-170] deployer org.sonatype.nexus.repository.maven.internal."
        "MavenHostedFacetImpl - Stored com/acme/x.jar in maven-snapshots",
        "INFO  [qtp1396411813-171] *SYSTEM org.sonatype.nexus.repository.maven.internal."
        "MavenHostedFacetImpl - Stored com/acme/x.jar in maven-snapshots",
        "INFO  [main] org.sonatype.nexus.Main - Started",
    ])  # fmt: skip
    assert deployer == system
    assert " <*> org.sonatype" in deployer
    assert plain.endswith("org.sonatype.nexus.Main - Started")


def test_a_quoted_exception_keeps_its_words(masked_alike):
    """QA Nexus: H2's `General error: "java.lang.IllegalStateException: Chunk 3134 not found"`
    was one `<*>`, a corrupt store any other general error's event."""
    (masked,) = masked_alike([
        'General error: "java.lang.IllegalStateException: Chunk 3134 not found [1.4.200/9]"'
    ])  # fmt: skip
    assert "IllegalStateException: Chunk <*> not found" in masked


def test_a_graph_schema_a_database_and_a_new_user_are_values(masked_alike):
    """QA Neo4j: `schema=(:Person {email})` kept a label's first index apart (a false alarm
    as strong as an OOM), `[neo4j/3fa0e3a6]` and `[system/00000000]` were two prefixes of one
    event, and `CREATE USER kim` a template per user."""
    person, account = masked_alike([
        "Index population started: [Index( id=28, name='index_07c8ae4a', type='RANGE', "
        "schema=(:Person {email}), indexProvider='range-1.0' )]",
        "Index population started: [Index( id=9, name='index_3d1e4dd3', type='RANGE', "
        "schema=(:Account {iban, bic}), indexProvider='range-1.0' )]",
    ])  # fmt: skip
    assert person == account and "schema=(:<*>)" in person
    neo4j, system = masked_alike([
        "INFO  [c.n.c.c.c.s.RaftState] [neo4j/3fa0e3a6] First leader elected: RaftMemberId{6c1f}",
        "INFO  [c.n.c.c.c.s.RaftState] [system/00000000] First leader elected: RaftMemberId{6c1f}",
    ])  # fmt: skip
    assert neo4j == system and "] [<*>] First leader" in neo4j
    kim, lars = masked_alike([
        "[neo4j]: CREATE USER kim SET PASSWORD '******' CHANGE REQUIRED",
        "[neo4j]: CREATE USER lars SET PASSWORD '******' CHANGE REQUIRED",
    ])  # fmt: skip
    assert kim == lars and "CREATE USER <*> SET" in kim


def test_what_triggered_a_checkpoint_is_the_event(masked_alike):
    """QA Neo4j: a shutdown's checkpoint was the scheduled one's `triggered by <*>` event."""
    scheduled, shutdown = masked_alike([
        'Checkpoint triggered by "Scheduled checkpoint for every 15 minutes threshold" @ txId: 4',
        'Checkpoint triggered by "Database shutdown" @ txId: 405398',
    ])  # fmt: skip
    assert scheduled != shutdown and '"Database shutdown"' in shutdown


def test_a_matrix_request_keeps_its_endpoint_status_class_and_not_its_user(masked_alike):
    """QA Synapse: `70B 500 "GET /_matrix/client/v3/sync?..."` was a 200's event (status after
    the size), every endpoint one `/_matrix/<*>`, and `{@ivan:example.org}` kept per user."""
    head = "- synapse.access.http.8008 - 460 - INFO - GET-1003 - 10.0.2.15 - 8008 - "
    ok, failed, register = masked_alike([
        head + "{@ivan:example.org} Processed request: 6.864sec/0.000sec 3268B 200 "
        '"GET /_matrix/client/v3/sync?filter=4&since=s18 HTTP/1.1" "Nheko/0.12.0" [11 dbevts]',
        head + "{@walter:example.org} Processed request: 35.861sec/0.000sec 70B 500 "
        '"GET /_matrix/client/v3/sync?since=s51 HTTP/1.1" "Nheko/0.12.0" [0 dbevts]',
        head + "{@ivan:example.org} Processed request: 0.002sec/0.001sec 98B 200 "
        '"POST /_matrix/client/r0/register HTTP/1.1" "Nheko/0.12.0" [0 dbevts]',
    ])  # fmt: skip
    assert "{<*>} Processed" in ok and " 2xx " in ok and " 5xx " in failed
    assert ok.replace("2xx", "5xx") == failed
    assert "/_matrix/client/v3/sync?<*>" in ok and "/_matrix/client/r0/register" in register


def test_a_python_logging_line_is_no_macos_log_line():
    """QA Synapse: `macos` read `2026-12-03 00:00:04,636 - synapse.access.http.8008 - 460 -
    INFO - ...` with its logger as the level and `-` as the thread, tied `iso` and was picked."""
    lines = [
        f"2026-12-03 00:00:0{i},636 - synapse.access.http.8008 - 460 - INFO - GET-100{i} - "
        f"10.0.2.15 - 8008 - {{@ivan:example.org}} Processed request: 0.002sec/0.001sec 98B 200"
        for i in range(8)
    ]
    assert rank_formats(lines)[0].name == "iso"


def test_a_bucket_s_name_is_a_value(masked_alike):
    """QA Couchbase: a template per bucket in memcached's `(orders)` prefix, its DCP stream's
    name and ns_server's `rebalancing bucket sessions`; a rebalance's takeover stream kept."""
    orders, sample, takeover = masked_alike([
        "INFO 176: (orders) DCP (Producer) eq_dcpq:replication:ns_1@10.0.0.1->ns_1@10.0.0.3:"
        "orders - (vb:870) Creating stream with start seqno 761627",
        "INFO 871: (travel-sample) DCP (Producer) eq_dcpq:replication:ns_1@10.0.0.1->ns_1@"
        "10.0.0.2:travel-sample - (vb:510) Creating stream with start seqno 7",
        "INFO 871: (travel-sample) DCP (Producer) eq_dcpq:replication:takeover:ns_1@10.0.0.1->"
        "ns_1@10.0.0.2:travel-sample - (vb:510) Creating stream with start seqno 7",
    ])  # fmt: skip
    assert orders == sample and "(<*>) DCP" in orders
    assert takeover != orders and "replication:takeover:<*>" in takeover
    sessions, kept = masked_alike(["Started rebalancing bucket sessions", "The bucket is full"])
    assert sessions == "Started rebalancing bucket <*>" and kept == "The bucket is full"


def test_an_erlang_term_s_lines_continue_their_record(log_parsed):
    """QA Couchbase: the lines of a multi-line Erlang term were "lines of their own", and the
    advice's date join made ns_server's whole log one line."""
    lines = [
        "[ns_server:debug,2026-12-03T00:01:36.551Z,ns_1@10.0.0.1:ns_config_log<0.200.0>:"
        "ns_config_log:log_common:138]config change:",
        '{local_changes_count,<<"32135f9c0fd9a0458b96cae4f903e6a6">>} ->',
        "[{'_vclock',[{<<\"3cb2c41b56a86be2fc99dd631f9b66c1\">>,{623,63817790099}}]}]",
    ] * 3
    _, summary = log_parsed(
        lines,
        r"\[<Component>:<Level>,<Timestamp>,<Node>:<Process>:<Module>:<Function>:<LineNo>\]"
        "<Content>",
    )
    said = " ".join(summary.warnings)
    assert summary.rejected == summary.continuations == 6
    assert "awk '/^\\[[a-z_]+:[a-z]+,/" in said


def test_a_qmp_command_and_a_disk_full_flag_are_the_event():
    """QA libvirt: eight QMP commands (`migrate` among the stats polls) were one
    `{"execute":"<*>", ...}` event, and `"nospace": true` a failing array's `<*>`."""
    head = "info : qemuMonitorSend:996 : QEMU_MONITOR_SEND_MSG: mon=0x7f92cceff275 msg="
    commands = ("query-status", "query-balloon", "migrate")
    lines = [mask_text(head + f'{{"execute":"{command}","id":"libvirt-{i}"}}')
             for i in range(8) for command in commands]  # fmt: skip
    assert len(set(TemplateMiner().add(lines))) == 3
    error = ('QEMU_MONITOR_RECV_EVENT: event={"event": "BLOCK_IO_ERROR", "data": {"nospace": '
             '{flag}, "reason": "Input/output error"}}')  # fmt: skip
    full, failing = (mask_text(error.replace("{flag}", flag)) for flag in ("true", "false"))
    assert full != failing and '"nospace": true' in full


def test_a_lua_traceback_s_heads_continue_their_record(log_parsed):
    """QA Kong: `stack traceback:` and `coroutine 0:` were "lines of their own"."""
    lines = [
        "2026/12/04 08:43:48 [error] 1287#0: *15096 [lua] handler.lua:45: lua entry thread "
        "aborted: runtime error: attempt to index local 'body' (a nil value)",
        "stack traceback:",
        "coroutine 0:",
        "\t/usr/local/share/lua/5.1/kong/plugins/x/handler.lua: in function 'body_filter'",
    ] * 2
    _, summary = log_parsed(lines, "nginx-error")
    assert summary.rejected == summary.continuations == 6


def test_a_json_value_that_names_another_field_does_not_pass_for_it():
    """QA osquery (round 43): an admin's `fleetctl ... --query hostIdentifier=web02` in a
    command's text came first in the content, and `--by-field hostIdentifier` filed the
    bastion's event under web02 without a word."""
    record = {
        "name": "pack_shell_history", "hostIdentifier": "bastion01",
        "columns": {"command": "fleetctl get hosts --query hostIdentifier=web02"},
    }  # fmt: skip
    _, content = record_fields(record)
    found = _message_field(pa.array([content]), "hostIdentifier")
    assert found.to_pylist() == ["bastion01"]
    _, plain = record_fields({"msg": "ok", "note": "a=1", "host": "web01"})
    assert plain == "ok host=web01 note=a=1"  # text naming no field of the record is as it was


def test_an_okta_event_is_dated_and_its_people_places_and_browsers_are_no_event():
    """QA Okta (round 45): `published` dated no line, and ~25 event types made 1,029 templates:
    a template per surname (`actor.displayName=<*> Ramirez`), browser, city, state and id."""
    def event(name: str, city: str, browser: str, user_id: str) -> dict:
        return {
            "actor": {"id": user_id, "alternateId": "x@acme.com", "displayName": name},
            "client": {"userAgent": {"rawUserAgent": f"Mozilla/5.0 {browser}/132.0",
                                     "browser": browser.upper()},
                       "geographicalContext": {"city": city, "state": "England",
                                               "country": "United Kingdom"}},
            "eventType": "user.session.start", "outcome": {"result": "SUCCESS"},
            "published": "2024-11-04T13:43:07.513Z",
            "request": {"ipChain": [{"ip": "10.0.0.1", "geographicalContext": {"city": city}}]},
        }  # fmt: skip

    linda = record_fields(event("Linda Ramirez", "London", "Firefox", "00uBXqreKCQAujMG8uky"))
    tariq = record_fields(event("Tariq Rodriguez", "Leeds", "Safari", "00uAAqreKCQAujMG8zzz"))
    assert linda[0][0] == "2024-11-04T13:43:07.513Z"
    assert mask_text(linda[1]) == mask_text(tariq[1])
    assert "United Kingdom" in linda[1] and "Firefox" not in linda[1] and "London" not in linda[1]
    assert 'actor.displayName=<*> actor.id=<*>' in mask_text(linda[1])


def test_a_time_server_s_stratum_and_zed_s_exit_code_are_the_event(masked_alike):
    """QA chrony: ntpd's `stratum 16` (unsynchronised) was `stratum 2`'s event; QA ZFS: a
    failing zedlet's `exit=1` a clean run's."""
    two, sixteen = masked_alike(["synchronized to 10.0.0.53, stratum 2",
                                 "synchronized to 10.0.0.53, stratum 16"])  # fmt: skip
    assert two != sixteen and sixteen.endswith("stratum 16")
    ok, failed = masked_alike([f'Finished "all-syslog.sh" eid=4999 pid=30001 exit={code}'
                               for code in (0, 1)])  # fmt: skip
    assert ok != failed and failed.endswith("exit=1")


def test_zfs_pools_disks_key_fingerprints_and_hazelcast_members_are_values(masked_alike):
    """QA ZFS: a template per pool and disk serial, a fingerprint `SHA256://nq...` read as a
    URL; QA Hazelcast: a member's instance name in its threads kept, and Java's
    `Date.toString()` kept its weekday (every Friday's migration a new event)."""
    tank, vault = masked_alike([
        "eid=5326 class=checksum pool='tank' vdev=ata-WDC_WD80EFAX-68KNBN0_230KTYPY-part1 err=52",
        "eid=5327 class=checksum pool='vault' vdev=ata-WDC_WD80EFAX-68KNBN0_SD32J2JV-part1 err=52",
    ])  # fmt: skip
    assert tank == vault and "err=52" in tank
    (suspended,) = masked_alike(["WARNING: Pool 'backup' has encountered an I/O failure"])
    assert "Pool '<*>' has" in suspended
    slashes, plain = masked_alike([
        "Accepted publickey for backup from 10.20.0.50 port 52101 ssh2: ED25519 SHA256://nqiM7"
        "ld8S5qCjTHOZ9g1ZugR/p4oCqZlQfuMN/Uqu",
        "Accepted publickey for backup from 10.20.0.51 port 52102 ssh2: ED25519 SHA256:Aq3iM7"
        "ld8S5qCjTHOZ9g1ZugR/p4oCqZlQfuMN/Uqu",
    ])  # fmt: skip
    assert slashes == plain and plain.endswith("SHA256:<*>")
    thursday, friday = masked_alike([
        f"[hz.{name}.migration] All migration tasks have been completed. (repartitionTime="
        f"{day} Dec 0{i} 07:12:38 UTC 2026, plannedMigrations=209)"
        for i, (name, day) in enumerate([("wizardly_hopper", "Thu"), ("elegant_turing", "Fri")])
    ])  # fmt: skip
    assert thursday == friday and "[hz.<*>.migration]" in thursday


def test_an_api_versioned_at_the_path_s_root_keeps_its_resource(masked_alike):
    """QA LXD: `url=/1.0/metrics` and `url=/1.0/instances/build-vm/state` were one `url=<*>`;
    a version elsewhere than a request's path stays a value."""
    metrics, members, instance, prose = masked_alike([
        "Handling API request method=GET url=/1.0/metrics username=prometheus",
        "Handling API request method=GET url=/1.0/cluster/members?recursion=1 username=ci",
        "Handling API request method=PUT url=/1.0/instances/build-vm/state username=ops",
        "see /1.5/docs/x here",
    ])  # fmt: skip
    assert "url=/1.0/metrics" in metrics and "url=/1.0/cluster/<*>" in members
    assert "url=/1.0/instances/<*>" in instance and prose == "see <*> here"


def test_a_parse_without_rejects_leaves_no_rejects_file(log_parsed, tmp_path):
    """QA chrony: `parse` wrote a rejects file of its header line alone (the README: kept when
    there are any), and a later clean run kept an earlier run's rejects."""
    rejects = tmp_path / "parsed.rejects.txt"
    log_parsed(["2026-12-04 10:21:11 INFO started", "not a dated line"], "iso")
    assert rejects.read_text().count("\n") == 2
    log_parsed(["2026-12-04 10:21:11 INFO started"], "iso")
    assert not rejects.exists()


def test_lambda_s_and_go_s_and_hazelcast_s_record_lines_continue_their_record(log_parsed):
    """QA Lambda: `XRAY TraceId: ...` and `Runtime.ExitError`; QA OpenTelemetry: a Go generic's
    frame `internal.(*boundedMemoryQueue[...]).Consume`; QA Hazelcast: `Members {size:3, ver:5}
    [`: "lines of their own" of no format."""
    lines = [
        "2026-12-05T11:15:00.060Z REPORT RequestId: 0ae46fc4 Duration: 55.71 ms",
        "XRAY TraceId: 1-6b13f234-17712539fe8ef0a927fc1483\tSegmentId: a1befcbcfb2f533a",
        "2026-12-05T10:19:56.266Z RequestId: 8c5b4999 Error: Runtime exited with error",
        "Runtime.ExitError",
        "2026-12-05T10:19:57.266Z error exporterhelper/queue_sender.go:101 Exporting failed.",
        "go.opentelemetry.io/collector/exporter/exporterhelper/internal.(*boundedMemoryQueue"
        "[...]).Consume",
        "2026-12-05T10:19:58.266Z [ INFO] [c.h.i.c.ClusterService]: [10.0.0.3]:5701 [prod]",
        "Members {size:3, ver:5} [",
    ]
    _, summary = log_parsed(lines, "iso")
    assert summary.rejected == summary.continuations == 4


def test_a_netfilter_line_keeps_its_service_port_and_icmp_type(masked_alike):
    """QA iptables: `DPT=<*>`, a C2 beacon to port 1337 and outbound HTTPS one event; `ID=20051
    DF` beside `ID=20051` every firewall event twice; an echo request an unreachable's."""
    head = "nft-accept-out: IN= OUT=eth0 SRC=10.0.0.20 DST=45.137.21.9 LEN=60 TTL=64 ID=20051"
    c2, https, plain, reply = masked_alike([
        head + " DF PROTO=TCP SPT=19562 DPT=1337 WINDOW=1024 SYN URGP=0",
        head + " DF PROTO=TCP SPT=40123 DPT=443 WINDOW=14600 SYN URGP=0",
        head + " PROTO=TCP SPT=51514 DPT=443 WINDOW=14600 SYN URGP=0",
        head + " PROTO=UDP SPT=53 DPT=40000 LEN=80",
    ])  # fmt: skip
    assert "SPT=port-high DPT=port1337" in c2 and "DPT=port443" in https and c2 != https
    assert https == plain and "SPT=port53 DPT=port-high" in reply
    echo, unreachable = masked_alike([
        f"[UFW BLOCK] IN=eth0 SRC=1.2.3.4 DST=10.0.0.5 PROTO=ICMP TYPE={t} CODE=0" for t in (8, 3)
    ])  # fmt: skip
    assert echo != unreachable and "TYPE=icmptype8" in echo


def test_a_podman_event_is_its_object_and_action_and_its_container_a_value(log_parsed):
    """QA Podman: `container create`, `start` and `died` were one template (Go's time, offset,
    zone and monotonic reading four values before them), `name=pg-backup` kept, `--by-field
    name` read `pg-backup)`, and systemd's `status=125/n/a` was an HTTP `1xx`."""
    lines = [
        f"2026-12-04 06:00:0{i}.807825367 +0000 UTC m=+0.04 container {action} f8cc{i}a2 "
        f"(image=registry.example.com/ops/{name}:1.8, name={name})"
        for i, name in enumerate(["pg-backup", "reindex", "web", "api", "cron-a"])
        for action in ("create", "start", "died", "remove")
    ]
    events, _ = log_parsed(lines, "raw")
    assert len(set(events["template_id"])) == 4
    assert all("name=<*>" in t for t in events["template"])
    from logbert.parsing.masks import mask_text as masked

    assert masked("Main process exited, code=exited, status=125/n/a").endswith("status=125/n/a")
    assert masked("request done status=503 in 3ms").startswith("request done status=5xx")


def test_fleet_hosts_go_durations_and_borg_s_return_code(masked_alike):
    """QA restic/Borg: `borg create of files01 finished, rc 0` a template per host (a new host's
    every run new) and its `rc 2` masked; `(20h25m36s ago)` a template per lock's age."""
    lines = [mask_text(f"==> borg create of {host} finished, rc {rc}")
             for host in ("mail01", "files01", "gitlab01") for rc in (0, 0, 0, 2)]  # fmt: skip
    assert len(set(TemplateMiner().add(lines))) == 2  # rc 0 and rc 2, any host
    young, old = masked_alike([f"lock was created at 2026-11-19 02:03:18 ({age} ago)"
                               for age in ("20h25m36s", "2m0.5s")])  # fmt: skip
    assert young == old == "lock was created at <*> (<*> ago)"


def test_a_header_in_local_time_over_postgres_utc_times_is_said():
    """QA iptables: a CET syslog header over PostgreSQL's `%m` in UTC, unsaid; the warning now
    names `--timezone` too (QA Podman)."""
    from datetime import datetime

    from logbert.parsing.inner_time import inner_time_warning

    header = pa.array([datetime(2026, 12, 4, 1, 0, i) for i in range(20)], pa.timestamp("us"))
    pg = pa.array([f"[1-1] 2026-12-04 00:00:{i:02d}.401 UTC [8218] LOG:  connection received"
                   for i in range(20)])  # fmt: skip
    warning = inner_time_warning(header, pg)
    assert "the header is in local time (UTC+01:00)" in warning and "--timezone +01:00" in warning


def test_a_field_that_closes_a_parenthesised_list_ends_there():
    """QA Podman: `--by-field name` read `(image=..., name=pg-backup)` as `pg-backup)`, and the
    labels named no session."""
    content = pa.array(["container create f8cc (image=r/ops/pg-backup:1.8, name=pg-backup)",
                        "x (name=web, other=1)", "name=api"])  # fmt: skip
    assert _message_field(content, "name").to_pylist() == ["pg-backup", "web", "api"]


def test_a_systemd_template_unit_keeps_its_template(masked_alike):
    """QA WireGuard: `wg-quick@wg0.service` was read as an address, and the VPN's unit stopping
    was any unit's `<*>: Deactivated successfully.`"""
    wg0, wg1, getty = masked_alike([
        "wg-quick@wg0.service: Deactivated successfully.",
        "wg-quick@wg1.service: Deactivated successfully.",
        "getty@tty1.service: Deactivated successfully.",
    ])  # fmt: skip
    assert wg0 == wg1 == "wg-quick@<*>.service: Deactivated successfully." and getty != wg0


def test_a_registry_request_keeps_its_resource_and_not_its_repository(masked_alike):
    """QA Harbor: `/v2/library/<*>` kept the project (a template per project, a project's first
    404 a new event) and merged a manifest pull with a blob download; a logfmt pair's quoted
    `http.request.uri="/v2/..."` was one `"<*>"`."""
    pull, other, blob, upload, uri = masked_alike([
        '"GET /v2/library/nginx/manifests/1.25 HTTP/1.1" 200',
        '"GET /v2/team/app/manifests/latest HTTP/1.1" 200',
        '"HEAD /v2/frontend/node-exporter/blobs/sha256:6ac3 HTTP/1.1" 404',
        '"PATCH /v2/team/app/blobs/uploads/3f2a-11 HTTP/1.1" 202',
        'http.request.method=GET http.request.uri="/v2/library/nginx/manifests/1.25" x',
    ])  # fmt: skip
    assert pull == other == '"GET /v2/<*>/manifests/<*> HTTP/<*>" 2xx'
    assert "/v2/<*>/blobs/<*>" in blob and "/v2/<*>/blobs/uploads/<*>" in upload
    assert 'uri="/v2/<*>/manifests/<*>"' in uri


def test_a_job_s_type_a_login_record_s_fields_and_a_submitter(masked_alike):
    """QA Harbor: `Job 'REPLICATION:74d2...'` and `'IMAGE_SCAN:...'` were one event; QA SonarQube:
    `[method|BASIC][provider|LOCAL|local][IP|...][login|admin]` was one word, every login one
    event, and `submitter=ci-bot` kept per bot."""
    replication, scan = masked_alike([f"Job '{kind}:74d21fa812f16c21fbe17faa' exit with success"
                                      for kind in ("REPLICATION", "IMAGE_SCAN")])  # fmt: skip
    assert replication != scan and "'REPLICATION:<*>'" in replication
    token, basic = masked_alike([
        f"login success [method|{m}][provider|LOCAL|local][IP|10.20.15.236|][login|{u}]"
        for m, u in (("BASIC_TOKEN", "gitlab-runner"), ("BASIC", "admin"))
    ])  # fmt: skip
    assert token != basic and "[method|BASIC] [provider|LOCAL|local]" in basic
    assert basic.endswith("[IP|<*>|] [login|<*>]")
    (task,) = masked_alike(["Executed task | project=auth | submitter=ci-bot | status=FAILED"])
    assert "submitter=<*> | status=FAILED" in task


def test_a_hubble_flow_keeps_its_service_port_and_cilium_s_services_are_values(masked_alike):
    """QA Cilium: `flow.l4.TCP.destination_port=<*>`, a pod reaching SSH a normal flow's event;
    `serviceName=payment-api` a template per service."""
    redis, ssh = masked_alike([
        f"flow.l4.TCP.destination_port={port} flow.l4.TCP.source_port=45525 flow.verdict=FWD"
        for port in (6379, 22)
    ])  # fmt: skip
    assert redis != ssh and "destination_port=port22 flow.l4.TCP.source_port=port-high" in ssh
    services = (("catalog", "shop"), ("payment-api", "payments"))
    a, b = masked_alike([f"info Upserted service serviceName={n} serviceNamespace={s}"
                         for n, s in services])  # fmt: skip
    assert a == b == "info Upserted service serviceName=<*> serviceNamespace=<*>"


def test_undated_logfmt_lines_are_read_undated(log_parsed):
    """QA Cilium: `level=info msg="..." subsys=daemon` (an older agent's `kubectl logs`) was
    refused by `logfmt`, which pointed to `auto`, which refused it too."""
    lines = ['level=info msg="Delete endpoint request" endpointID=140',
             'level=warning msg="Unable to x" subsys=daemon']  # fmt: skip
    events, summary = log_parsed(lines, "logfmt")
    assert events["timestamp"] == [None, None]
    assert any(w.startswith("warning: logfmt lines: no line has a time key")
               for w in summary.warnings)  # fmt: skip


def test_python_logging_with_colons_is_read_with_its_time_of_day(log_parsed):
    """QA certbot: `2026-11-02 05:53:51,203:DEBUG:certbot._internal.main:...` was read by `iso`
    as a date alone, every line at midnight and its time of day a template's first words; an
    HTTP response and a PEM block under a record were "lines of their own"."""
    lines = [
        "2026-11-02 05:53:51,203:DEBUG:certbot._internal.main:certbot version: 2.7.4",
        "2026-11-02 05:53:52,450:DEBUG:acme.client:Received response:",
        "HTTP 200",
        "Server: nginx",
        "Replay-Nonce: 4DC5pqNXf",
        "-----BEGIN CERTIFICATE-----",
    ] * 3
    assert rank_formats(lines)[0].name == "certbot"
    events, summary = log_parsed(lines, "certbot")
    assert events["timestamp"][0].isoformat() == "2026-11-02T05:53:51.203000"
    assert events["Level"][0] == "DEBUG" and events["content"][0] == "certbot version: 2.7.4"
    assert summary.rejected == summary.continuations == 12


def test_a_klog_line_inside_syslog_keeps_its_severity(log_parsed):
    """QA k3s: the `E` of a kubelet line in journald's syslog was dropped with its header, and an
    error of a message met at info was that message's event."""
    head = 'Dec  4 10:21:1{i} k3s-2 k3s[901]: {s}1204 10:21:1{i}.123456     901 kubelet.go:2505] '
    lines = [head.format(i=i, s=s) + '"SyncLoop (probe)" probe="readiness" pod="default/web"'
             for i, s in enumerate("IEW")]  # fmt: skip
    events, _ = log_parsed(lines, "linux", year=2026)
    assert [t.split(" ")[0] for t in events["template"]] == ['"SyncLoop', "error", "warning"]


def test_an_entra_sign_in_s_person_and_error_code(masked_alike):
    """QA Entra ID: `userDisplayName=Richard Clark` kept (1,328 of 1,742 templates named a
    person) and `status.errorCode=50126` (a bad password) masked."""
    _, content = record_fields({"userDisplayName": "Ahmed Jones", "appDisplayName": "OfficeHome",
                                "status": {"errorCode": 50126}})  # fmt: skip
    assert mask_text(content) == (
        "appDisplayName=OfficeHome status.errorCode=50126 userDisplayName=<*>"
    )
