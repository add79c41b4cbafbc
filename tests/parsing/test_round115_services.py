"""What blind QA round 115 (Rook, Flux, Kerberos, ZooKeeper) found in reading each log's
lines, and what they read as now."""

from __future__ import annotations

from logbert.parsing.json_lines import record_fields
from logbert.parsing.masks import mask_text
from logbert.parsing.miner import TemplateMiner

KADMIND = (
    "Request: {op}, {arg}, success, client={client}, service=kadmin/kdc1.example.com@EXAMPLE.COM"
    ", addr=10.20.1.{n}"
)


def test_a_call_s_name_after_request_is_the_event():
    """QA Kerberos: kadmind's `Request: kadm5_create_principal, ...` beside
    `kadm5_get_principal` and the replica's polls (`iprop_get_updates_1`, masked) were one
    event of 2,168 lines: a principal created at 3 a.m. a routine poll."""
    calls = [("iprop_get_updates_1", "UPDATE_NIL", "kiprop/kdc2.example.com@EXAMPLE.COM")] * 8
    calls += [
        ("kadm5_get_principal", "judy@EXAMPLE.COM", "carol/admin@EXAMPLE.COM"),
        ("kadm5_get_principal", "bob@EXAMPLE.COM", "dave/admin@EXAMPLE.COM"),
        ("kadm5_create_principal", "svc_new@EXAMPLE.COM", "admin/admin@EXAMPLE.COM"),
        ("kadm5_init", "carol/admin@EXAMPLE.COM", "carol/admin@EXAMPLE.COM"),
    ]
    miner = TemplateMiner()
    ids = miner.add([
        mask_text(KADMIND.format(op=op, arg=arg, client=client, n=i))
        for i, (op, arg, client) in enumerate(calls)
    ])  # fmt: skip
    named = {miner.template(t).split()[1] for t in ids}
    assert {"kadm5_get_principal,", "kadm5_create_principal,", "kadm5_init,"} <= named
    assert len(set(ids[:8])) == 1 and ids[0] not in ids[8:]  # the polls one event of their own
    # a name someone gave after another label stays a value
    users = TemplateMiner()
    names = ("svc_backup", "svc_web", "app_ci", "svc_mail")
    ids = users.add([mask_text(f"Login: {name}, ok") for name in names])
    assert len(set(ids)) == 1


def test_kerberos_own_log_is_a_built_in_format_its_level_after_the_pid(tmp_path):
    """QA Kerberos: `auto` chose `linux` for `kadmind[1460](Notice): `, read as the program's
    name with its pid and level, one component per pid and level, no level."""
    import pyarrow.parquet as pq

    from logbert.parsing.auto import rank_formats
    from logbert.parsing.formats import resolve_format
    from logbert.parsing.pipeline import parse_files

    lines = [
        "Mar 10 00:03:19 kdc1.example.com kadmind[1460](Notice): Request: kadm5_init, x",
        "Mar 10 00:03:20 kdc1.example.com krb5kdc[1453](info): AS_REQ (4 etypes {18 17}) x",
    ]
    assert rank_formats(lines * 3)[0].name == "krb5"
    syslog = ["Mar 10 00:03:21 kdc1 CRON[99]: (root) CMD (run-parts /etc/cron.hourly)"] * 3
    assert rank_formats(syslog)[0].name == "linux"  # a syslog line is still linux's
    log = tmp_path / "kdc.log"
    log.write_text("\n".join(lines) + "\n")
    parse_files([str(log)], resolve_format("krb5", year=2025), tmp_path / "e.parquet")
    events = pq.read_table(tmp_path / "e.parquet").to_pydict()
    assert events["Component"] == ["kadmind", "krb5kdc"]
    assert (events["PID"], events["Level"]) == (["1460", "1453"], ["Notice", "info"])


def test_zookeeper_s_shipped_layout_with_the_server_s_id_is_read(auto_parsed):
    """QA ZooKeeper: its shipped log4j layout since 3.4 writes `[myid:2] - ` first; the
    `zookeeper` format refused every line and `auto` chose `iso`, the level and thread in
    every template."""
    events = auto_parsed([
        "2026-11-16 00:00:05,014 [myid:2] - INFO  [CommitProcessor:2:ZooKeeperServer@617] - "
        "Established session 0x214e310a3d6b201 with negotiated timeout 6000 for client "
        "/10.10.40.129:60798",
        "2026-11-16 00:00:06,001 [myid:3] - WARN  [SyncThread:3:FileTxnLog@338] - fsync-ing the "
        "write ahead log in SyncThread:3 took 4321ms which will adversely effect operation "
        "latency. See the ZooKeeper troubleshooting guide",
        "2015-07-29 19:04:29,071 - WARN  [SendWorker:188978561024:QuorumCnxManager$SendWorker"
        "@688] - Send worker leaving thread",
    ], "zookeeper")  # fmt: skip
    assert events["Myid"] == ["2", "3", ""]
    assert events["Level"] == ["INFO", "WARN", "WARN"]
    assert events["template"][0].startswith("Established session <*>")


def test_ceph_s_pools_and_monitor_lists_are_values(masked_alike):
    """QA Rook: `reconciling replicated pool replicapool succeeded` was a template per pool
    (a new pool's every reconcile a new event), and `mons running: [a b c]` kept the
    monitors, so a routine failover was a new event."""
    pools = masked_alike([
        "I | cephclient: reconciling replicated pool replicapool succeeded",
        "I | cephclient: reconciling replicated pool ec-data-pool succeeded",
    ])  # fmt: skip
    assert pools[0] == pools[1] == "I | cephclient: reconciling replicated pool <*> succeeded"
    mons = masked_alike(["I | op-mon: mons running: [a b c]", "Monitors in quorum: [a b d]"])
    assert mons == ["I | op-mon: mons running: [<*>]", "Monitors in quorum: [<*>]"]
    assert masked_alike(["level [a] set"]) == ["level [a] set"]  # one letter is no list


def test_a_kubernetes_object_s_name_beside_its_namespace_and_helm_s_releases_are_values(
    masked_alike,
):
    """QA Flux: `HelmRelease.name=podinfo ... name=podinfo namespace=apps` kept the names of
    the few releases and repositories (a newly added app a new event on every reconcile), and
    `release monitoring/kube-prometheus-stack.v7` a template per revision."""
    synced = masked_alike([
        f"info release in-sync HelmRelease.name={n} HelmRelease.namespace=apps "
        f"controller=helmrelease name={n} namespace=apps" for n in ("podinfo", "grafana")
    ])  # fmt: skip
    assert synced[0] == synced[1]
    assert "HelmRelease.name=<*>" in synced[0] and " name=<*> namespace=" in synced[0]
    upgraded = masked_alike([
        f"info Helm upgrade succeeded for release monitoring/kube-prometheus-stack.v{v} with "
        f"chart kube-prometheus-stack@56.{v}.0" for v in (6, 7)
    ])  # fmt: skip
    assert upgraded[0] == upgraded[1] == (
        "info Helm upgrade succeeded for release <*> with chart <*>"
    )
    pulled = masked_alike(["info pulled 'redis' chart with version '19.0.1'"])
    assert pulled == ["info pulled '<*>' chart with version '<*>'"]
    # a name with no namespace beside it is not an object reference
    assert masked_alike(["event name=ProcessStarted"]) == ["event name=ProcessStarted"]


def test_a_json_map_of_objects_by_reference_is_each_outcome_once():
    """QA Flux: kustomize-controller's `"output":{"Deployment/apps/web":"configured",...}`
    was a template per count of applied objects, an apply of one more a new event."""

    def fields(output: dict) -> list[str]:
        _, content = record_fields({"msg": "server-side apply completed", "output": output})
        return [w for w in content.split() if w.startswith("output")]

    two = fields({"Deployment/apps/web": "configured", "Service/apps/web": "unchanged"})
    four = fields({
        "Deployment/apps/web": "configured", "Service/apps/web": "unchanged",
        "ConfigMap/apps/cfg": "unchanged", "Deployment/apps/api": "configured",
    })  # fmt: skip
    assert two == four == ["output.<*>=configured", "output.<*>=unchanged"]
    # a map of named fields stays fields
    assert fields({"count": 3, "kind": "x"}) == ["output.count=3", "output.kind=x"]


def test_ceph_s_daemon_log_is_a_built_in_format_its_priority_a_word_of_the_event(auto_parsed):
    """QA Rook: `auto` chose `iso` for an OSD's log and masked Ceph's priority with the thread
    id, an error (-1) one event with the same text logged at 0."""
    events = auto_parsed([
        "2024-03-04T00:00:18.088+0000 7f3a3d4fa640  0 log_channel(cluster) log [DBG] : 3.21 "
        "deep-scrub starts",
        "2024-03-04T00:00:57.502+0000 7f3a2b9f7700 -1 osd.0 1233 heartbeat_check: no reply from "
        "10.244.3.61:6804 osd.2 since back 2024-03-04T00:00:57.834+0000",
        "2024-03-04T00:01:02.101+0000 7f3a2c1f8700  4 rocksdb: [db/db_impl/db_impl_write.cc:"
        "1470] [default] New memtable created with log file: #45.",
    ], "ceph")  # fmt: skip
    assert events["Level"] == ["info", "error", "debug4"]
    assert events["ThreadId"][1] == "7f3a2b9f7700"
    assert [t.split()[0] for t in events["template"]] == ["info", "error", "debug4"]
