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


def test_false_alarms_per_10k_and_ceiling_are_in_rows_json_and_table(toy, tmp_path):
    result = benchmark.run_protocol("adfa", ["iqr"], tmp_path, tmp_path)
    row = result["rows"][0]
    cm = row["metrics"]["confusion_matrix"]
    assert cm["fp"] + cm["tn"] == 40
    assert row["false_alarms_per_10k"] == pytest.approx(10_000 * cm["fp"] / 40)
    assert row["score_seconds"] >= 0
    # toy: every normal test session uses training keys; 3 of 10 anomalies hold the unseen 9
    assert result["ceiling"]["normal_with_unseen"] == 0 and result["ceiling"]["f1_max"] == 1.0
    assert result["ceiling"]["anomalies_with_unseen"] == 3
    table = benchmark.markdown(result)
    assert "false alarms / 10k normal" in table and "score s" in table
    assert "Ceiling: 0 of 40 normal test sessions" in table and "= 1.000" in table
    assert "LogBERT paper" not in table.split("\n\n")[1]  # no HDFS column off HDFS
    assert "Kim et al. 2016" in table and "not checked" in table
    assert result["published"] == {"adfa_ld": benchmark.PUBLISHED_ADFA}
    assert benchmark.run_protocol("bgl-2k", ["iqr"], tmp_path, tmp_path)["published"] == {}


def test_false_alarms_per_10k_counts():
    def metrics(fp, tn):
        return {"confusion_matrix": {"fp": fp, "tn": tn, "tp": 1, "fn": 0}}

    assert benchmark.false_alarms_per_10k(metrics(3, 9997)) == 3.0
    assert benchmark.false_alarms_per_10k(metrics(1, 3)) == 2500.0
    assert benchmark.false_alarms_per_10k(metrics(0, 0)) is None


def test_aggregate_is_mean_and_sample_sd():
    summaries = [{"f1": 0.5, "roc_auc": 0.9}, {"f1": 0.7, "roc_auc": None}, {"f1": 0.9}]
    out = benchmark.aggregate(summaries)
    assert out["f1"]["mean"] == pytest.approx(0.7) and out["f1"]["sd"] == pytest.approx(0.2)
    assert out["f1"]["n"] == 3 and "roc_auc" not in out  # missing in one seed: left out
    assert benchmark.aggregate([{"f1": 0.5}])["f1"] == {"mean": 0.5, "sd": None, "n": 1}


def test_several_seeds_report_mean_and_sd(toy, tmp_path):
    result = benchmark.run_protocol("hdfs-b", ["iqr", "pca"], tmp_path, tmp_path, seeds=[0, 1, 2])
    assert result["seeds"] == [0, 1, 2] and result["seed"] == 0
    for row in result["rows"]:
        per_seed = row["per_seed"]
        assert [s["seed"] for s in per_seed] == [0, 1, 2]
        f1 = np.array([s["f1"] for s in per_seed])
        assert row["aggregate"]["f1"]["mean"] == pytest.approx(f1.mean())
        assert row["aggregate"]["f1"]["sd"] == pytest.approx(f1.std(ddof=1))
        assert per_seed[0]["f1"] == row["metrics"]["f1"]  # top level: the first seed
    # one seed gives the same first row as a three-seed run
    single = benchmark.run_protocol("hdfs-b", ["iqr"], tmp_path, tmp_path, seed=0)
    assert single["rows"][0]["metrics"] == result["rows"][0]["metrics"]
    assert single["rows"][0]["aggregate"]["f1"]["sd"] is None
    table = benchmark.markdown(result)
    assert " ± " in table and "3 seeds (0..2)" in table
    assert " ± " not in benchmark.markdown(single).split("\n\n")[1]


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


def test_labelled_threshold_is_n_a_with_a_single_test_anomaly(toy, tmp_path, monkeypatch):
    """Two stratified halves need two sessions of each class: with one anomaly the column is
    n/a with a note, and the rest of the row and table stand (it raised sklearn's
    ValueError)."""
    out = benchmark.labelled_threshold_f1(np.arange(6.0), np.array([0, 0, 0, 0, 0, 1]), seed=0)
    assert out["f1"] is None and out["threshold"] is None
    assert out["reason"].startswith("the test set holds 1 anomalous and 5 normal sessions")

    def one_anomaly(name, data_dir, work_dir):
        data = toy_protocol(name, data_dir, work_dir)
        data.test = data.test[:41]
        return data

    monkeypatch.setattr(benchmark, "build_protocol", one_anomaly)
    result = benchmark.run_protocol("bgl-2k", ["iqr"], tmp_path, tmp_path, seeds=[0, 1])
    row = result["rows"][0]
    assert not result["errors"] and row["metrics"]["f1"] is not None
    assert row["labelled_validation"]["f1"] is None and "labelled_f1" not in row["aggregate"]
    json_path, md_path = benchmark.write_results(result, tmp_path / "out")
    assert json.loads(json_path.read_text())["rows"][0]["labelled_validation"]["f1"] is None
    table = md_path.read_text()
    assert table.splitlines()[4].split(" | ")[7] == "n/a"  # the F1 (labelled thr.) cell
    assert "- F1 (labelled thr.): n/a: the test set holds 1 anomalous and 40 normal" in table


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
    assert benchmark.resolve_protocols("all") == ["hdfs-a", "hdfs-b", "adfa", "bgl-2k"]
    assert benchmark.resolve_protocols("adfa") == ["adfa"]
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


def test_all_means_the_detectors_that_learn_from_normal_sessions():
    names = benchmark.resolve_models("all")
    assert "logbert" in names and "pca" in names
    assert not {"knn", "decision-tree", "random-forest", "logistic-regression"} & set(names)
    with pytest.raises(LogbertError, match="labelled anomalies"):
        benchmark.resolve_models("pca,knn")


def test_labelled_threshold_footnote_names_the_seed_that_drew_the_halves(toy, tmp_path):
    """With several seeds each seed draws its own halves: the footnote must not name seed 0."""
    several = benchmark.run_protocol("hdfs-a", ["iqr"], tmp_path, tmp_path, seeds=[0, 1])
    line = next(n for n in benchmark.notes(several) if n.startswith("- F1 (labelled thr.)"))
    assert "drawn per seed" in line and "seed 0" not in line
    single = benchmark.run_protocol("hdfs-a", ["iqr"], tmp_path, tmp_path, seed=3)
    line = next(n for n in benchmark.notes(single) if n.startswith("- F1 (labelled thr.)"))
    assert "`train_test_split`, seed 3)" in line


def test_a_cross_fitted_tables_data_note_says_who_fits_every_session(toy, tmp_path):
    """Cross-fitted, a detector that does not stop early fits every normal session: the note
    said the validation split was held out of every detector's training."""
    split = benchmark.run_protocol("hdfs-a", ["iqr"], tmp_path, tmp_path)
    line = next(n for n in benchmark.notes(split) if n.startswith("- Data:"))
    assert "are held out as validation and" in line
    crossed = benchmark.run_protocol("hdfs-a", ["iqr"], tmp_path, tmp_path, calibration="cross-fit")
    line = next(n for n in benchmark.notes(crossed) if n.startswith("- Data:"))
    n_train = crossed["data"]["n_train"]
    assert f"the other detectors fit all {n_train}" in line
    assert "held out for early stopping by LogBERT and DeepLog" in line
    assert any("on cross-fitted scores of every normal" in n for n in benchmark.notes(crossed))
