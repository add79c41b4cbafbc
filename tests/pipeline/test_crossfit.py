"""Cross-fitted calibration (issue 11): every normal session gets an out-of-sample score from a
model trained without it, and the threshold rule sees all of them instead of a 10% split."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from logbert.cli.main import app
from logbert.errors import LogbertError
from logbert.models.logbert import LogBERT
from logbert.models.registry import detector_class
from logbert.pipeline import Pipeline
from logbert.pipeline.crossfit import cross_fitted_scores
from logbert.sessions.batch import as_batch
from logbert.sessions.io import Session, write_sessions
from logbert.sessions.split import holdout

from .test_small_training import CAP, TINY, CappedDetector


def normal_sessions(n: int, rare_at: tuple[int, ...] = ()) -> list[Session]:
    """`n` normal sessions of keys 1..4 (lengths 3..7); those at `rare_at` also hold key 50+i,
    which no other session holds."""
    sessions = []
    for i in range(n):
        keys = [1, 2, 3, 4, 1, 2, 3][: 3 + i % 5]
        if i in rare_at:
            keys = [*keys, 50 + i]
        sessions.append(Session(f"s{i}", keys, "normal"))
    return sessions


def test_each_session_is_scored_by_a_model_that_never_saw_it():
    sessions = normal_sessions(30, rare_at=(4, 17))
    fitted = CappedDetector().fit(sessions)
    result = cross_fitted_scores(fitted, as_batch(sessions), folds=5, seed=0)
    # a key only one session holds is unseen by its fold's model: the cap, and set aside
    assert result.scores[4] == CAP and result.scores[17] == CAP
    assert result.unseen.tolist() == [i in (4, 17) for i in range(30)]
    assert result.normal_scores.size == 28 and result.normal_scores.max() == 7.0
    assert [round(s) for s in result.fold_seconds] == [0] * 5 and result.folds == 5


def test_the_threshold_comes_from_every_normal_session():
    sessions = normal_sessions(40, rare_at=(7,))
    lines: list[str] = []
    pipeline = Pipeline(CappedDetector(), calibration="cross-fit", folds=4, seed=0).fit(
        sessions, log=lines.append
    )
    threshold = pipeline.threshold_
    assert threshold.n_sessions == 39 and threshold.value == 7.0
    assert "cross-fitted scores of 39 normal sessions" in threshold.source
    assert "1 session with keys unseen in their fold left out" in threshold.source
    assert pipeline.calibration_scores_.size == 39
    assert sum("Cross-fit fold" in line for line in lines) == 4
    assert pipeline.training_["cross_fit"]["n_unseen_key_sessions"] == 1
    # what the validation split alone would have given stays on record
    assert "validation split" in pipeline.training_["cross_fit"]["split_threshold"]["source"]


def test_split_calibration_is_the_validation_split_as_before():
    sessions = normal_sessions(40)
    pipeline = Pipeline(CappedDetector(), calibration="split", seed=0).fit(sessions)
    assert pipeline.threshold_.n_sessions == 4 and "validation split" in pipeline.threshold_.source
    assert pipeline.training_["cross_fit"] is None


def test_the_calibration_choice_is_saved_with_the_bundle(tmp_path):
    pipeline = Pipeline(detector_class("new-event")(), calibration="cross-fit", folds=3).fit(
        normal_sessions(30)
    )
    pipeline.save(tmp_path / "model")
    loaded = Pipeline.load(tmp_path / "model")
    assert (loaded.calibration, loaded.folds) == ("cross-fit", 3)
    assert np.array_equal(loaded.calibration_scores_, pipeline.calibration_scores_)
    record = json.loads((tmp_path / "model" / "pipeline.json").read_text())
    assert record["training"]["cross_fit"]["folds"] == 3


def test_fold_models_train_for_the_epochs_early_stopping_chose():
    sessions = normal_sessions(40)
    pipeline = Pipeline(LogBERT(**{**TINY, "epochs": 3}), calibration="cross-fit", folds=2)
    pipeline.fit(sessions)
    best = pipeline.detector_.training_info_["best_epoch"]
    assert pipeline.training_["cross_fit"]["fold_epochs"] == max(best, 1)
    assert pipeline.calibration_scores_.size == 40
    assert np.isfinite(pipeline.threshold_.value)


def test_fold_models_keep_the_final_models_auto_choices(monkeypatch):
    """QA Gitea: the one long session (a start-up window) held out of a fold left that fold's
    model deciding by max surprise with the usual settings; its sessions scored ~7.3 where the
    final model's mean surprise gave ~4.2, and the threshold sat above every normal score."""
    sessions = normal_sessions(20) + [Session("long", [1, 2, 3, 4] * 8, "normal")]
    final = LogBERT(**{**TINY, "epochs": 1, "decision": "auto", "long_max_steps": 2})
    final.fit(sessions)
    assert final.decision_score == "score"
    trained_as: list[tuple[str, str]] = []
    fit = LogBERT._fit

    def spy(self, batch, *args, **kwargs):
        trained_as.append((self.decision, self.long_settings))
        return fit(self, batch, *args, **kwargs)

    monkeypatch.setattr(LogBERT, "_fit", spy)
    cross_fitted_scores(final, as_batch(sessions), folds=3, seed=0)
    assert trained_as == [("score", "on")] * 3  # the fold without the long session too


@pytest.mark.parametrize(
    ("detector", "folds", "n", "message"),
    [
        (detector_class("knn")(), 5, 40, "supervised"),
        (CappedDetector(), 1, 40, "at least 2 folds"),
        (CappedDetector(), 5, 9, "at least 10 normal sessions"),
    ],
)
def test_what_cannot_be_cross_fitted_is_refused_before_training(detector, folds, n, message):
    sessions = normal_sessions(n)
    if detector.supervised:
        sessions[0] = Session("a", [9, 9], "anomaly")
        sessions[1] = Session("b", [8, 8], "anomaly")
    with pytest.raises(LogbertError, match=message):
        Pipeline(detector, calibration="cross-fit", folds=folds).fit(sessions)
    assert not hasattr(detector, "training_info_")


def test_an_unknown_calibration_is_an_error():
    with pytest.raises(LogbertError, match="unknown calibration 'kfold'"):
        Pipeline(CappedDetector(), calibration="kfold").fit(normal_sessions(20))


def test_train_cross_fit_from_the_command_line(tmp_path):
    path = tmp_path / "train.jsonl"
    write_sessions(normal_sessions(30), path)
    runner = CliRunner()
    model = tmp_path / "model"
    result = runner.invoke(
        app,
        ["train", str(path), "-o", str(model), "--model", "ecvc", "--calibration", "cross-fit",
         "--folds", "3"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    threshold = json.loads((model / "threshold.json").read_text())
    assert "cross-fitted scores of 30 normal sessions" in threshold["source"]
    bad = runner.invoke(
        app, ["train", str(path), "-o", str(tmp_path / "m2"), "--calibration", "kfold"]
    )
    assert isinstance(bad.exception, LogbertError)  # main() prints it and exits 2
    assert "--calibration must be one of" in str(bad.exception)
    supervised = runner.invoke(
        app,
        ["train", str(path), "-o", str(tmp_path / "m3"), "--model", "knn", "--calibration",
         "cross-fit"],
    )  # fmt: skip
    assert "supervised" in str(supervised.exception)


def test_benchmark_refuses_an_unknown_calibration(tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "benchmark",
            "--protocol",
            "hdfs-a",
            "--calibration",
            "kfold",
            "--output-dir",
            str(tmp_path),
        ],
    )
    assert isinstance(result.exception, LogbertError)
    assert "--calibration must be one of auto, split, cross-fit" in str(result.exception)


def test_auto_cross_fits_small_training_sets_only():
    lines: list[str] = []
    small = Pipeline(CappedDetector(), calibration="auto", seed=0).fit(
        normal_sessions(60), log=lines.append
    )  # a validation split of 6 sessions
    assert small.training_["calibration"] == "cross-fit"
    assert small.threshold_.n_sessions == 60
    assert any(line.startswith("Calibration: cross-fit (5 folds)") for line in lines)
    # its cost said before it is paid, in all (QA YugabyteDB: "5 more of about its length"
    # did not say six times the training's time)
    assert any("5 more of about its length, 6 times its time in all;" in line for line in lines)
    large = Pipeline(CappedDetector(), calibration="auto", seed=0).fit(normal_sessions(1000))
    assert large.training_["calibration"] == "split" and large.threshold_.n_sessions == 100
    assert large.calibration == "auto"  # the setting is kept; what it resolved to is recorded


def test_auto_keeps_the_split_where_cross_fitting_does_not_apply():
    sessions = normal_sessions(40)
    sessions[0] = Session("a", [9, 9], "anomaly")
    sessions[1] = Session("b", [8, 8], "anomaly")
    supervised = Pipeline(detector_class("knn")(), calibration="auto").fit(sessions)
    assert supervised.training_["calibration"] == "split"


def varied_sessions(n: int, seed: int) -> list[Session]:
    """`n` normal sessions of 2-29 keys drawn (seeded) from keys 1-6 with unequal weights:
    lengths and counts vary, as a day of windows does."""
    rng = np.random.default_rng(seed)
    sessions = []
    for i in range(n):
        keys = rng.choice([1, 2, 3, 4, 5, 6], size=int(rng.integers(2, 30)),
                          p=[0.4, 0.2, 0.15, 0.1, 0.1, 0.05])  # fmt: skip
        sessions.append(Session(f"s{seed}_{i}", [int(k) for k in keys], "normal"))
    return sessions


def test_a_combination_is_cross_fitted_part_by_part():
    """QA Rook, Rocket.Chat: each part of a combination kept a threshold from the validation
    split (29 and 37 windows), and its false alarms were the combination's; `auto` could
    not cross-fit it. Each part's threshold now rests on every normal session's out-of-fold
    score, and on fresh normal sessions the combination flags far fewer."""
    train, fresh = varied_sessions(60, seed=1), varied_sessions(300, seed=2)
    flagged = {}
    for calibration in ("split", "auto"):
        lines: list[str] = []
        pipeline = Pipeline(detector_class("length+ecvc")(), calibration=calibration, seed=0)
        pipeline.fit(train, log=lines.append)
        flagged[calibration] = sum(row["is_anomaly"] for row in pipeline.score(fresh))
    assert pipeline.training_["calibration"] == "cross-fit"
    # neither part stops early on the split, so every normal session is fitted
    assert pipeline.training_["n_trained"] == 60
    for part in pipeline.detector_.parts_:
        assert part.threshold_.n_sessions == 60
        assert "cross-fitted scores of 60 normal sessions" in part.threshold_.source
    assert pipeline.threshold_.value == 0.0 and pipeline.threshold_.n_sessions == 60
    # the p-values rest on the combined out-of-fold scores against the parts' new thresholds
    assert pipeline.calibration_scores_.size == 60
    assert np.isfinite(pipeline.calibration_scores_).all()
    assert flagged["auto"] <= 0.05 * len(fresh) < flagged["split"]
    assert not any("not cross-fit" in line for line in lines)


def test_a_combinations_rate_rule_thresholds_its_cross_fitted_combined_score():
    train = varied_sessions(60, seed=1)
    pipeline = Pipeline(
        detector_class("length+ecvc")(), calibration="cross-fit", threshold_rule="fpr:0.05"
    ).fit(train)
    threshold = pipeline.threshold_
    assert threshold.rule == "fpr:0.05" and threshold.n_sessions == 60
    assert np.mean(pipeline.calibration_scores_ > threshold.value) <= 0.05
    # the parts by their own rules, from every session too
    assert {part.threshold_.rule for part in pipeline.detector_.parts_} == {"mean+2std"}
    assert {part.threshold_.n_sessions for part in pipeline.detector_.parts_} == {60}


def test_a_combinations_parts_fold_as_the_final_parts_did(monkeypatch):
    """Each fold's LogBERT part trains for the epochs the final part's early stopping chose,
    and a part that stops early keeps the validation split out of the final training."""
    sessions = normal_sessions(40)
    epochs_seen: list[int] = []
    fit = LogBERT._fit

    def spy(self, batch, *args, **kwargs):
        epochs_seen.append(self.epochs)
        return fit(self, batch, *args, **kwargs)

    monkeypatch.setattr(LogBERT, "_fit", spy)
    combined = detector_class("logbert+length")(part_params={"logbert": {**TINY, "epochs": 3}})
    pipeline = Pipeline(combined, calibration="cross-fit", folds=2).fit(sessions)
    best = max(pipeline.detector_.parts_[0].training_info_["best_epoch"], 1)
    assert epochs_seen == [3, best, best]  # the final part, then one per fold
    assert pipeline.training_["cross_fit"]["fold_epochs"] == {"logbert": best}
    assert pipeline.training_["n_trained"] == 36  # its validation split stopped it early
    assert {part.threshold_.n_sessions for part in pipeline.detector_.parts_} == {40}


def test_a_cross_fitted_combinations_part_thresholds_are_saved(tmp_path):
    pipeline = Pipeline(detector_class("length+ecvc")(), calibration="cross-fit").fit(
        varied_sessions(60, seed=1)
    )
    pipeline.save(tmp_path / "model")
    loaded = Pipeline.load(tmp_path / "model")
    assert [p.threshold_.value for p in loaded.detector_.parts_] == [
        p.threshold_.value for p in pipeline.detector_.parts_
    ]
    assert {p.threshold_.n_sessions for p in loaded.detector_.parts_} == {60}


def test_train_names_a_combinations_part_thresholds(tmp_path):
    path = tmp_path / "train.jsonl"
    write_sessions(normal_sessions(40), path)
    result = CliRunner().invoke(
        app, ["train", str(path), "-o", str(tmp_path / "m"), "--model", "new-event+length"]
    )
    assert result.exit_code == 0, result.output
    assert "flags a session when any part does: new-event " in result.output
    assert "threshold 0 on score" not in result.output
    # QA nginx: evaluate printed and saved only the combination's 0
    sessions = normal_sessions(6)
    sessions[0].label = "anomaly"
    write_sessions(sessions, tmp_path / "test.jsonl")
    args = ["evaluate", str(tmp_path / "m"), str(tmp_path / "test.jsonl")]
    evaluated = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "e.json")])
    assert evaluated.exit_code == 0, evaluated.output
    assert "flags a session when any part does: new-event" in " ".join(evaluated.output.split())
    saved = json.loads((tmp_path / "e.json").read_text())
    assert [part["name"] for part in saved["threshold_parts"]] == ["new-event", "length"]


def test_sessions_with_keys_their_fold_lacks_are_a_warning():
    lines: list[str] = []
    Pipeline(CappedDetector(), calibration="cross-fit", folds=4, seed=0).fit(
        normal_sessions(40, rare_at=(7, 9)), log=lines.append
    )
    assert any(
        line.startswith("warning: 2 of 40 normal sessions (5.0%) hold a key no session")
        for line in lines
    )
    every: list[str] = []
    rare = [Session(f"r{i}", [100 + i, 200 + i]) for i in range(12)]  # nothing shared
    pipeline = Pipeline(CappedDetector(), calibration="cross-fit", folds=3, seed=0)
    pipeline.fit(rare, log=every.append)
    assert any("every one does" in line for line in every)
    assert pipeline.threshold_.value == CAP  # said, not silent


def test_the_split_warning_under_cross_fit_says_where_the_threshold_comes_from():
    """it said the split's threshold "is calibrated on them", though cross-fit set it."""
    lines: list[str] = []
    sessions = normal_sessions(12)
    (held,) = holdout(list(range(12)), 0.1, 0)[1]  # the one validation session
    sessions[held] = Session("v", [1, 2, 77], "normal")
    Pipeline(CappedDetector(), calibration="cross-fit", folds=3, seed=0).fit(
        sessions, log=lines.append
    )
    split = [line for line in lines if "1 of 1 validation sessions" in line]
    assert len(split) == 1 and "the threshold comes from cross-fitting, not from them" in split[0]
    assert "calibrated on them" not in split[0]


def test_a_rate_rule_the_split_alone_cannot_meet_is_met_by_the_cross_fitted_scores():
    """fpr:0.01 needs 99 normal scores: the 10% split of 300 sessions has 30, the cross-fitted
    scores 300. The split's threshold is only on record under cross-fitting: none, not an error."""
    sessions = [Session(str(i), [1, 2] + [3] * (1 + i % 4) + [4, 5]) for i in range(300)]
    pipeline = Pipeline(detector_class("ecvc")(), threshold_rule="fpr:0.01",
                        calibration="cross-fit").fit(sessions)  # fmt: skip
    assert pipeline.threshold_.rule == "fpr:0.01"
    assert pipeline.training_["cross_fit"]["split_threshold"] is None
    with pytest.raises(LogbertError, match="needs at least 99 normal calibration"):
        Pipeline(detector_class("ecvc")(), threshold_rule="fpr:0.01",
                 calibration="split").fit(sessions)  # fmt: skip


def test_few_validation_sessions_given_are_named_with_the_cross_fit_way_out():
    """QA FRR: 75 given validation windows set a `max` threshold in silence (12 false alarms
    where the same logs cross-fitted gave none)."""
    lines: list[str] = []
    validation = [Session(f"v{i}", s.keys, "normal") for i, s in enumerate(normal_sessions(20))]
    Pipeline(detector_class("ngram")()).fit(
        normal_sessions(40), validation=validation, log=lines.append
    )
    assert "the 20 validation sessions given (under 100) set the threshold" in "\n".join(lines)
    lines.clear()
    Pipeline(detector_class("ngram")(), calibration="split").fit(
        normal_sessions(40), validation=validation, log=lines.append
    )
    assert "validation sessions given" not in "\n".join(lines)  # chosen, not defaulted
