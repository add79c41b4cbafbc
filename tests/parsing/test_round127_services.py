"""What blind QA round 127 (Storm, dnsdist, smartd, kube-scheduler) found in reading each
log's lines, and what they read as now."""

from __future__ import annotations

import pyarrow.parquet as pq

from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files


def test_a_quoted_state_is_no_name_someone_gave(tmp_path):
    """QA dnsdist: `Marking downstream backend1 (10.0.0.1:53) as 'down'` and `... as 'up'` were
    one `as '<*>'` event (quoted words were taken for names), a pool's every backend down a
    nightly restart's."""
    lines = [
        f"Dec 01 00:{i // 60:02d}:{i % 60:02d} dns1 dnsdist[812]: Marking downstream "
        f"backend{i % 8} (10.0.0.{i % 8}:53) as '{'down' if i // 8 % 2 else 'up'}'"
        for i in range(40)
    ]
    log = tmp_path / "dnsdist.log"
    log.write_text("\n".join(lines) + "\n")
    parse_files([str(log)], resolve_format("linux", year=2026), tmp_path / "e.parquet")
    templates = set(pq.read_table(tmp_path / "e.parquet").column("template").to_pylist())
    assert templates == {"Marking downstream <*> (<*>:<*>) as 'down'",
                         "Marking downstream <*> (<*>:<*>) as 'up'"}  # fmt: skip


def test_a_list_or_map_of_structs_is_one_value_however_long(masked_alike):
    """QA Storm: `executors:[ExecutorInfo(task_start:2, task_end:2), ...]` and an assignment's
    `{[1, 1]=NodeInfo(node:..., port:[6701]), ...}` made a template per number of items, a
    worker with a count training never met a new event (most false alarms)."""
    launch = ("Launching worker with assignment LocalAssignment(topology_id:etl-241-17949, "
              "executors:[{}], owner:svc-etl) for this supervisor 972a8469 on port 6703")
    item = "ExecutorInfo(task_start:{0}, task_end:{0})"
    one, three = masked_alike([
        launch.format(item.format(2)), launch.format(", ".join(item.format(i) for i in (1, 3, 5))),
    ])  # fmt: skip
    assert one == three and "executors:[<*>]" in one
    assign = "Setting new assignment: Assignment(node_host:{{{}}}, executor_node_port:{{{}}})"
    hosts = ["23b8c1e9=sup02.prod", "972a8469=sup04.prod"]
    ports = [f"[{i}, {i}]=NodeInfo(node:23b8c1e9, port:[6701])" for i in range(1, 4)]
    few, many = masked_alike([assign.format(hosts[0], ports[0]),
                              assign.format(", ".join(hosts), ", ".join(ports))])  # fmt: skip
    assert few == many
    assert many == "Setting new assignment: Assignment(node_host:<*>, executor_node_port:<*>)"
    # a rectangle's fields are unnamed (Android's `crop:[Rect(0, 48 - 720, 1208)]`), and
    # Kerberos' encryption types keep their numbers (a weak one is an event of its own)
    (rect,) = masked_alike(["Taking screenshot with crop:[Rect(0, 48 - 720, 1208)], rot:[0]"])
    assert "crop:[Rect(" in rect
    (etypes,) = masked_alike(["ISSUE: etypes {rep=aes256-cts(18), tkt=rc4-hmac(23)}, host/a"])
    assert "(18)" in etypes and "(23)" in etypes
    # ... and a struct of words keeps them: Hive's lock's kind is an event
    (lock,) = masked_alike(["LockRequest(component:[LockComponent(type:EXCLUSIVE, "
                            "level:TABLE, dbname:shop)], txnid:12) timed out"])  # fmt: skip
    assert "type:EXCLUSIVE" in lock
