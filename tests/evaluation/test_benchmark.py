import json

import numpy as np
import pytest

from logbert.errors import LogbertError
from logbert.evaluation import benchmark
from logbert.evaluation.protocols import ProtocolData
from logbert.sessions.io import Session
from logbert.sessions.split import holdout

FAST = ["iqr", "pca", "invariants"]


def toy_protocol(name, data_dir, work_dir):
    """Normal sessions follow 1 2 3 4; anomalies break the count pattern or add a new key."""
    rng = np.random.default_rng(0)
    normal = [[1, 2, 3, 4] * int(rng.integers(1, 3)) for _ in range(60)]
    train = [Session(f"t{i}", keys, "normal") for i, keys in enumerate(normal)]
    test = [Session(f"n{i}", [1, 2, 3, 4], "normal") for i in range(40)]
    test += [Session(f"a{i}", [1, 2, 2, 9][: 2 + i % 3], "anomaly") for i in range(10)]
    return ProtocolData(name, f"toy {name}", train, test, {"n_train": 60, "n_test": 50,
                                                            "n_test_anomalies": 10})  # fmt: skip


@pytest.fixture
def toy(monkeypatch):
    monkeypatch.setattr(benchmark, "build_protocol", toy_protocol)


def test_protocol_a_rows_have_every_column_and_are_written(toy, tmp_path):
    result = benchmark.run_protocol("hdfs-a", FAST, tmp_path, tmp_path, seed=1)
    assert [row["model"] for row in result["rows"]] == FAST and not result["errors"]
    for row in result["rows"]:
        assert 0 <= row["metrics"]["f1"] <= 1 and row["metrics"]["roc_auc"] is not None
        assert "projected_f1" in row["projected"]
        assert row["threshold"]["rule"] == "mean+2std"
        assert row["threshold"]["n_sessions"] == result["data"]["n_validation"] == 6
        assert row["sessions_per_second"] > 0 and row["train_seconds"] >= 0
        assert row["labelled_validation"]["n_eval_sessions"] == 25
    # count-pattern detectors separate the toy anomalies; IQR's fences miss the truncated ones
    auc = {row["model"]: row["metrics"]["roc_auc"] for row in result["rows"]}
    assert auc["pca"] == auc["invariants"] == 1.0 and 0.5 < auc["iqr"] < 1.0
    pca = result["rows"][FAST.index("pca")]["alternative_thresholds"]["q-statistic"]
    assert 0 <= pca["f1"] <= 1 and "projected_f1" in pca
    json_path, md_path = benchmark.write_results(result, tmp_path / "out")
    assert json.loads(json_path.read_text())["protocol"] == "hdfs-a"
    table = md_path.read_text()
    assert "proj. F1" in table and "| pca |" in table and "as published" in table
    assert "5.89 / 100.00 / 11.12" in table  # the LogBERT paper's PCA row
    assert "pca with its own q-statistic threshold" in table


def test_protocol_b_has_no_projection(toy, tmp_path):
    result = benchmark.run_protocol("hdfs-b", ["iqr"], tmp_path, tmp_path)
    assert "projected" not in result["rows"][0]
    assert "proj. F1" not in benchmark.markdown(result)


def test_a_failing_detector_is_reported_not_hidden(toy, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise LogbertError("boom")

    real = benchmark.evaluate_detector
    monkeypatch.setattr(
        benchmark,
        "evaluate_detector",
        lambda name, *a, **k: broken() if name == "pca" else real(name, *a, **k),
    )
    result = benchmark.run_protocol("hdfs-a", ["iqr", "pca"], tmp_path, tmp_path)
    assert result["errors"] == {"pca": "boom"}
    assert "| pca | failed: boom |" in benchmark.markdown(result)


def test_labelled_threshold_halves_are_disjoint_and_stratified():
    labels = np.array([0] * 80 + [1] * 20)
    scores = labels + np.random.default_rng(0).normal(0, 0.1, 100)
    out = benchmark.labelled_threshold_f1(scores, labels, seed=0)
    assert out["n_threshold_sessions"] + out["n_eval_sessions"] == 100
    assert out["f1"] == 1.0


def test_training_holds_out_the_train_commands_validation_sessions():
    sessions = [Session(str(i), [i % 3, 1], label="normal") for i in range(50)]
    data = ProtocolData("toy", "toy", train=sessions, test=sessions[:4])
    pipeline, _ = benchmark.train_pipeline("iqr", data, seed=3)
    held_out = [s.keys for s in holdout(sessions, 0.1, 3)[1]]
    assert [k.tolist() for k in pipeline.validation_batch_.keys] == held_out
    assert pipeline.threshold_.n_sessions == 5 and pipeline.threshold_.rule == "mean+2std"
    with pytest.raises(LogbertError, match="validation split, got 1"):
        benchmark.train_pipeline("iqr", ProtocolData("toy", "toy", sessions[:1], []), seed=0)


def test_model_and_protocol_names_are_checked():
    assert benchmark.resolve_models("all")[0] in benchmark.DETECTORS
    assert benchmark.resolve_models("pca, iqr") == ["pca", "iqr"]
    with pytest.raises(LogbertError, match="unknown model"):
        benchmark.resolve_models("pca,nope")
    assert benchmark.resolve_protocols("all") == ["hdfs-a", "hdfs-b"]
    with pytest.raises(LogbertError, match="unknown protocol"):
        benchmark.resolve_protocols("hdfs-c")


@pytest.mark.slow
def test_real_protocol_a_count_detectors(data_dir, tmp_path):
    """Protocol A end to end for the fast detectors (DeepLog/LogBERT run in the benchmark)."""
    result = benchmark.run_protocol("hdfs-a", ["pca", "invariants"], data_dir, tmp_path)
    assert result["data"]["n_test"] == 11501 and result["data"]["n_test_anomalies"] == 350
    for row in result["rows"]:
        assert row["metrics"]["roc_auc"] > 0.99
        assert row["metrics"]["recall"] > 0.95
