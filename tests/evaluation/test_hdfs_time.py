"""`logbert benchmark --protocol hdfs-time`: the chronological split, the count-vector ceiling,
the labelled run with explicit validation sessions (toy data) and (slow) the real HDFS sample."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import numpy as np
import pytest

from logbert.errors import LogbertError
from logbert.evaluation import category_benchmark
from logbert.evaluation.benchmark import (
    markdown,
    resolve_models,
    resolve_protocols,
    run_protocol,
    write_results,
)
from logbert.evaluation.category_benchmark import SUPERVISED
from logbert.evaluation.ceiling import (
    best_vector_f1,
    count_vector,
    count_vector_ceiling,
    describe_count_vector_ceiling,
)
from logbert.evaluation.protocols import ProtocolData, split_chronologically
from logbert.sessions.io import Session

T0 = datetime(2008, 11, 9, 20, 0)
LIFE = timedelta(minutes=3)  # every closed toy block lives this long


def _block(name: str, start_h: float, end_h: float | None, label: str = "normal") -> Session:
    start = T0 + timedelta(hours=start_h)
    end = None if end_h is None else T0 + timedelta(hours=end_h)
    return Session(name, [1, 2], label, start=start, end=end)


# --- the split ------------------------------------------------------------------------------


def test_chronological_split_cuts_the_span_from_first_start_to_last_end():
    # span: 0 h (first start) to 10 h (last end, of a block that started early): cuts at 6 h, 7 h
    sessions = [
        _block("early", 0, 10),
        _block("before-60", 5.99, 6.5, "anomaly"),
        _block("at-60", 6, 6.2),  # a start equal to a cut goes to the later part
        _block("in-val", 6.9, 7.5, "anomaly"),
        _block("at-70", 7, 7.1),
        _block("open", 9.5, None),  # still open at the log's end (no end): kept, by its start
        _block("last", 9.9, 9.95),
    ]
    (train, validation, test), cuts = split_chronologically(sessions, (0.6, 0.7))
    assert cuts == [T0 + timedelta(hours=6), T0 + timedelta(hours=7)]
    assert [s.session_id for s in train] == ["early", "before-60"]
    assert [s.session_id for s in validation] == ["at-60", "in-val"]
    assert [s.session_id for s in test] == ["at-70", "open", "last"]
    assert sum(map(len, (train, validation, test))) == len(sessions)


def test_chronological_split_refuses_bad_cuts_and_untimed_sessions():
    sessions = [_block("a", 0, 1), _block("b", 2, 3)]
    for cuts in [(0.7, 0.6), (0.0, 0.5), (0.6, 1.0), (0.5, 0.5)]:
        with pytest.raises(LogbertError, match="time cuts"):
            split_chronologically(sessions, cuts)
    with pytest.raises(LogbertError, match="start times"):
        split_chronologically([*sessions, Session("x", [1])], (0.6, 0.7))
    with pytest.raises(LogbertError, match="start times"):
        split_chronologically([], (0.6, 0.7))


# --- the ceiling ----------------------------------------------------------------------------


def _s(name: str, keys: list[int], label: str) -> Session:
    return Session(name, keys, label)


def test_count_vector_ceiling_on_a_tiny_protocol():
    train = [_s("t0", [1, 2], "normal"), _s("t1", [3], "anomaly"), _s("t2", [2, 1], "normal")]
    validation = [_s("v0", [1, 1, 2], "anomaly"), _s("v1", [5], "normal")]
    test = [
        _s("n0", [2, 1], "normal"),  # seen, normal only: fine
        _s("a0", [1, 2], "anomaly"),  # seen only as normal: contradicted
        _s("n1", [3], "normal"),  # seen only as anomalous: contradicted
        _s("a1", [1, 2, 1], "anomaly"),  # seen in validation only
        _s("n2", [5], "normal"),  # seen in validation only
        _s("a2", [7], "anomaly"),  # never seen; [7] holds both labels in the test set
        _s("n3", [7], "normal"),
    ]
    out = count_vector_ceiling(train, test, validation)
    assert out == {
        "n_test_normal": 4,
        "n_test_anomalies": 3,
        "n_test_vectors": 5,
        "n_reference_vectors": 4,
        "contradicted_anomalies": 1,
        "contradicted_normal": 1,
        "f1_max_consistent": pytest.approx(2 * 2 / (2 * 2 + 1 + 1)),
        "unseen_anomalies": 1,
        "unseen_normal": 1,
        "unseen_anomalies_share": pytest.approx(1 / 3),
        "unseen_normal_share": 0.25,
        "unseen_in_train_anomalies": 2,
        "unseen_in_train_normal": 2,
        "ambiguous_sessions": 4,  # [1, 2] and [7] each hold one normal and one anomalous
        # flag [1,1,2] (TP 1), then [1,2] and [7] (TP 3, FP 2): 2*3 / (3 + 2 + 3)
        "f1_max_any": pytest.approx(0.75),
    }
    line = describe_count_vector_ceiling(out)
    assert "at most 0.667" in line and "is 0.750" in line and "1 anomalous (33.3%)" in line


def test_best_vector_f1_and_count_vectors():
    assert count_vector([3, 1, 3]) == ((1, 1), (3, 2)) == count_vector(np.array([3, 3, 1]))
    assert best_vector_f1([]) is None and best_vector_f1([[5, 0]]) is None
    assert best_vector_f1([[0, 2], [3, 0]]) == 1.0  # separable: every anomaly, no false alarm
    assert best_vector_f1([[1, 1]]) == pytest.approx(2 / 3)  # one mixed group: flag it or not
    # the purest group first; adding the 1:9 group lowers F1, so the best prefix stops before
    assert best_vector_f1([[0, 1], [9, 1]]) == pytest.approx(2 / 3)
    no_labels = count_vector_ceiling([], [_s("n", [1], "normal")])
    assert no_labels["f1_max_any"] is None and no_labels["f1_max_consistent"] is None


# --- resolution and a toy run with explicit validation sessions -----------------------------


def test_hdfs_time_is_resolved_but_not_part_of_all():
    assert resolve_protocols("hdfs-time") == ["hdfs-time"]
    assert "hdfs-time" not in resolve_protocols("all")
    assert resolve_models("all", ["hdfs-time"]) == [*SUPERVISED, "logbert"]
    assert resolve_models("knn,iqr", ["hdfs-time"]) == ["knn", "iqr"]
    with pytest.raises(LogbertError, match="leave out --seeds"):
        run_protocol("hdfs-time", ["knn"], "/nonexistent", "/nonexistent", seeds=[0, 1])


def _toy_time_protocol(protocol, data_dir, work_dir, seed=0):
    """Normal blocks follow 1 2 3 4 (once or twice); anomalies add key 9 or drop keys."""
    rng = np.random.default_rng(0)

    def part(prefix: str, n: int, n_anomalies: int, hour: float) -> list[Session]:
        out = []
        for i in range(n):
            start = T0 + timedelta(hours=hour, minutes=i)
            anomalous = i < n_anomalies
            keys = [1, 2, 9][: 2 + i % 2] if anomalous else [1, 2, 3, 4] * int(rng.integers(1, 3))
            label = "anomaly" if anomalous else "normal"
            out.append(Session(f"{prefix}{i}", keys, label, start=start, end=start + LIFE))
        return out

    train, validation, test = part("t", 60, 8, 0), part("v", 20, 4, 6), part("x", 40, 6, 7)
    # still running at the log's end (started less than a lifetime before its last event)
    test.append(Session("open", [1, 2, 3, 4], "normal", start=test[-1].end - LIFE / 2, end=None))
    info = {"n_train": 60, "n_test": 41, "n_test_anomalies": 6, "n_validation": 20}
    return ProtocolData(
        "HDFS-TIME", "toy", train, test, info, validation=validation, templates={"1": "a"}
    )


def test_explicit_validation_sessions_calibrate_every_row(monkeypatch, tmp_path):
    monkeypatch.setattr(category_benchmark, "build_labelled_protocol", _toy_time_protocol)
    result = run_protocol("hdfs-time", ["decision-tree", "knn", "iqr"], tmp_path, tmp_path)
    assert result["kind"] == "labelled" and result["target"] == "binary" and not result["errors"]
    assert result["validation"] == "explicit" and result["validation_fraction"] is None
    tree, knn, iqr = result["rows"]
    for row in (tree, knn):
        assert row["supervised"] and row["threshold"]["rule"] == "best-f1"
        assert row["threshold"]["n_sessions"] == 20 and row["threshold"]["n_anomalies"] == 4
        assert "of HDFS-TIME's validation part (20 sessions" in row["threshold"]["source"]
        assert row["training"]["n_sessions"] == 60  # every training session fitted
        assert row["metrics"]["f1"] == 1.0 and row["false_alarms"] == 0
        assert row["false_alarms_per_10k"] == 0.0 and row["categories"] is None
    # the reference learns from the 52 normal training blocks, calibrates on the 16 normal ones
    assert not iqr["supervised"] and iqr["threshold"]["n_sessions"] == 16
    assert iqr["calibration"]["n_anomalous"] == 0
    assert result["data"]["n_test_open"] == tree["n_test_open"] == 1  # kept in the test set
    assert result["ceiling"]["f1_max_any"] == 1.0
    json_path, md_path = write_results(result, tmp_path / "out")
    assert json_path.name == "benchmark_hdfs_time.json" and md_path.name == "benchmark_hdfs_time.md"
    assert json.loads(json_path.read_text())["rows"][0]["model"] == "decision-tree"
    table = md_path.read_text()
    assert table == markdown(result)
    assert "| decision-tree | 100.00 | 100.00 | 100.00 |" in table
    assert "iqr (unsupervised reference)" in table and "Count-vector ceiling" in table
    assert "false alarms / 10k normal" in table and "Open blocks" in table


# --- real data ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def protocol_cache(tmp_path_factory):
    """One parse of the HDFS sample for both real-data tests."""
    return tmp_path_factory.mktemp("protocols")


@pytest.mark.slow
def test_hdfs_time_on_the_real_sample(data_dir, protocol_cache):
    result = run_protocol("hdfs-time", ["decision-tree"], data_dir, protocol_cache)
    d = result["data"]
    assert (d["n_train"], d["n_validation"], d["n_test"]) == (4257, 1422, 5822)
    assert d["n_train"] + d["n_validation"] + d["n_test"] == d["n_sessions"] == 11501
    assert (d["n_train_anomalies"], d["n_validation_anomalies"], d["n_test_anomalies"]) == (
        169, 41, 140,
    )  # fmt: skip
    assert d["n_templates"] > 0 and not result["errors"]
    (row,) = result["rows"]
    assert row["training"]["n_sessions"] == 4257
    assert row["threshold"]["n_sessions"] == 1422
    f1 = row["metrics"]["f1"]
    # the tree's F1 is low here (most open test blocks have a count vector no training block
    # has), so only check that it is a score, and that the ranking beats chance
    assert isinstance(f1, float) and 0 < f1 <= 1 and row["metrics"]["roc_auc"] > 0.5
    assert result["ceiling"]["n_test_anomalies"] == 140


def test_key_evidence_bound_counts_normal_sessions_holding_anomaly_only_keys() -> None:
    from logbert.evaluation.ceiling import describe_key_evidence_bound, key_evidence_bound

    def session(keys: list[int], label: str) -> Session:
        return Session(session_id=str(keys), keys=keys, label=label)

    reference = [session([1, 2], "normal"), session([1, 9], "anomaly"), session([2, 8], "anomaly")]
    test = [
        session([1, 2], "normal"),
        session([1, 9], "normal"),  # holds 9, seen only in an anomaly: a forced false alarm
        session([8], "anomaly"),
        session([1], "anomaly"),
    ]
    bound = key_evidence_bound(reference, test)
    assert bound["anomaly_only_keys"] == [8, 9]
    assert bound["normal_with_anomaly_only_key"] == 1
    assert bound["anomalies_with_anomaly_only_key"] == 1
    assert bound["f1_max_key_evidence"] == pytest.approx(2 * 2 / (2 * 2 + 1))
    assert "8, 9" in describe_key_evidence_bound(bound)
    assert key_evidence_bound(reference, test[:2])["f1_max_key_evidence"] is None


@pytest.mark.slow
def test_hdfs_random_splits_the_same_blocks_at_random_stratified(data_dir, protocol_cache):
    from logbert.evaluation.protocols import protocol_hdfs_random, protocol_hdfs_time

    data = protocol_hdfs_random(data_dir, protocol_cache, seed=0)
    parts = [data.train, data.validation, data.test]
    ids = [{s.session_id for s in part} for part in parts]
    assert sum(map(len, ids)) == 11501 and len(set().union(*ids)) == 11501  # disjoint, complete
    assert [len(p) for p in parts] == [6901, 1150, 3450]
    anomalies = [sum(s.label == "anomaly" for s in part) for part in parts]
    assert anomalies == [210, 35, 105]  # stratified: 3.04% in each part
    assert protocol_hdfs_random(data_dir, protocol_cache, seed=0).test[0].session_id == (
        data.test[0].session_id
    )
    # unlike the split by time, training sees blocks from the whole log
    by_time = protocol_hdfs_time(data_dir, protocol_cache)
    last_train_start = max(s.start for s in by_time.train)
    assert any(s.start > last_train_start for s in data.train)
