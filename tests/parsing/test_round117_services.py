"""What blind QA round 117 (Tailscale, OctoPrint, Grafana Mimir, Apache Hive) found in reading
each log's lines, and what they read as now."""

from __future__ import annotations

from logbert.parsing.masks import mask_text
from logbert.parsing.miner import TemplateMiner

OCTOPRINT = "- octoprint.util.comm - INFO - Changing monitoring state from {} to {}"


def test_a_state_machine_s_sides_after_a_verb_two_words_back_are_the_event():
    """QA OctoPrint: `Changing monitoring state from "Printing" to "Finishing"` and its nine
    other transitions were one event (the verb two words before `from`), a job's wrong order
    and missing finish unseen; a side of several words, masked, kept the rest together."""
    normal = [('"Operational"', '"Starting"'), ('"Starting"', '"Printing"'),
              ('"Printing"', '"Finishing"'), ('"Finishing"', '"Operational"')]  # fmt: skip
    detecting = '"Detecting serial connection"'
    rare = [('"Operational"', '"Offline"'), ('"Offline"', detecting), (detecting, '"Connecting"'),
            ('"Connecting"', '"Operational"')]  # fmt: skip
    miner = TemplateMiner()
    miner.add([mask_text(OCTOPRINT.format(*pair)) for pair in normal], [100, 100, 90, 90])
    ids = miner.add([mask_text(OCTOPRINT.format(*pair)) for pair in rare])
    assert len(set(ids)) == 4
    templates = {miner.template(t) for t in miner.ids}
    assert OCTOPRINT.format('"Operational"', '"Starting"') in templates
    assert OCTOPRINT.format('"Operational"', '"Offline"') in templates


def test_a_file_s_name_after_path_is_a_value():
    """QA OctoPrint: `path: benchy.gcode` (no digit) and `path: gear_housing_M4.gcode` were
    kept, a template per file, where `pi_case_lid_34.gcode` was `<*>.gcode`."""
    line = "Print job failed - origin: local, path: {}, owner: maria, user: maria"
    masked = {mask_text(line.format(f)) for f in ("benchy.gcode", "gear_housing_M4.gcode",
                                                  "pi_case_lid_34.gcode")}  # fmt: skip
    assert masked == {"Print job failed - origin: local, path: <*>.gcode, owner: <*>, user: <*>"}
    assert mask_text("Selected path: sdcard, mode: print").endswith("sdcard, mode: print")


def test_hive_s_statements_and_dag_names_are_values_a_stage_s_kind_kept():
    """QA Hive: `Compiling command(queryId=...): <SQL>` and Tez's `Dag name: <SQL cut short>
    (Stage-1)` were a template per query's wording and table (one new wording: 179 flagged
    sessions where 30 were), and `Starting task [Stage-1:MAPRED]` one event with DDL's."""
    head = "ql.Driver: Compiling command(queryId=hive_20240304060008_131a3432-bbbe-468e): "
    assert mask_text(head + "SELECT region, sum(amount) FROM sales.customers GROUP BY region") == (
        mask_text(head + "show tables in web")
    )
    dag = "tez.TezTask: Dag name: {} (Stage-1)"
    assert mask_text(dag.format("SELECT region, sum(amount) FROM sales.cu")) == mask_text(
        dag.format("select * from sales.orders limit 100")
    )
    stages = [mask_text(f"Starting task [Stage-{i}:{kind}] in serial mode")
              for i, kind in ((1, "MAPRED"), (0, "DDL"), (2, "MAPRED"))]  # fmt: skip
    assert stages[0] == stages[2] != stages[1] and "MAPRED" in stages[0]


def test_a_call_s_snake_case_name_before_its_arguments_is_the_event():
    """QA Hive: the metastore's `source:10.20.1.11 get_table : tbl=...` beside `lock`,
    `check_lock` and `add_partition` was one event (and its audit line's too): a lock polling
    storm ordinary table lookups."""
    calls = [("get_table", "tbl=hive.sales.orders")] * 6 + [
        ("lock", "LockRequest(txnid:52001)"), ("check_lock", "lockid=7"),
        ("add_partition", "tbl=hive.web.clicks"), ("lock", "LockRequest(txnid:52002)"),
    ]  # fmt: skip
    miner = TemplateMiner()
    ids = miner.add([
        mask_text(f"metastore.HiveMetaStore: {i % 8}: source:10.20.1.{i} {call} : {args}")
        for i, (call, args) in enumerate(calls)
    ])  # fmt: skip
    named = {miner.template(t).split()[3] for t in ids}
    assert named == {"get_table", "lock", "check_lock", "add_partition"}


def test_tailscale_s_version_hashes_and_a_derp_region_s_name_are_values():
    """QA Tailscale: `Program starting: v1.76.1-t2a3b4c5d6-g8e9f0a1b2` kept the git hashes (every
    upgrade a new event), and `connect to region 1 (nyc)` an event per region's name."""
    start = 'Program starting: {}, Go 1.23.1: []string{{"tailscaled"}}'
    assert mask_text(start.format("v1.76.1-t2a3b4c5d6-g8e9f0a1b2")) == mask_text(
        start.format("v1.78.0-t9f8e7d6c5-g0a1b2c3d4")
    )
    derp = "derphttp.Client.Recv connect to region {} ({}): dial tcp 199.38.181.93:443: refused"
    assert mask_text(derp.format(1, "nyc")) == mask_text(derp.format(4, "sfo"))
