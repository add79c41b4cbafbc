"""What score / evaluate / calibrate share (cli/inputs.py): the model's load warnings, and
a training overlap reported as unknown when the model records no training sessions."""

from __future__ import annotations

from logbert.cli.inputs import TrainingOverlap, load_pipeline
from logbert.models.ngram import NgramDetector
from logbert.pipeline import Pipeline
from logbert.sessions.io import Session

SESSIONS = [Session(f"s{i}", [1, 2, 3, 4][: 2 + i % 3], "normal") for i in range(30)]


def test_overlap_is_counted_when_the_model_records_its_training_sessions(tmp_path, capsys):
    Pipeline(NgramDetector()).fit(SESSIONS).save(tmp_path / "m")
    overlap = TrainingOverlap(load_pipeline(tmp_path / "m"))
    overlap.add(SESSIONS[:10])
    record = overlap.report("evaluation")
    assert record["checked"] and record["overlaps_training"]
    assert record["in_training"] + record["in_validation"] == 10
    assert "are sessions the model was trained on" in capsys.readouterr().err


def test_without_training_sessions_npz_the_overlap_is_unknown_and_warned(tmp_path, capsys):
    Pipeline(NgramDetector()).fit(SESSIONS).save(tmp_path / "m")
    (tmp_path / "m" / "training_sessions.npz").unlink()
    overlap = TrainingOverlap(load_pipeline(tmp_path / "m"))
    overlap.add(SESSIONS[:10])
    overlap.add(SESSIONS[10:12])
    record = overlap.report("calibration", validation_counts=False)
    assert record == {
        "n_sessions": 12, "in_training": None, "in_validation": None, "in_calibration": None,
        "overlaps_training": None, "checked": False,
    }  # fmt: skip
    err = capsys.readouterr().err
    assert (
        "warning: the model records no training sessions (training_sessions.npz missing): "
        "overlap with training data cannot be checked" in err
    )


def recalibrated(tmp_path, sessions: list[Session]) -> TrainingOverlap:
    """The overlap check of a model `logbert calibrate` re-thresholded on `sessions`."""
    pipeline = Pipeline(NgramDetector()).fit(SESSIONS)
    pipeline.calibrate(sessions, rule="max")
    pipeline.save(tmp_path / "m")
    return TrainingOverlap(load_pipeline(tmp_path / "m"))


def test_evaluating_on_the_sessions_calibrate_used_is_warned_and_flagged(tmp_path, capsys):
    """QA: evaluate on calibrate's own sessions said nothing, overlaps_training false."""
    later = [Session(f"later{i}", [1, 2, 3], "normal") for i in range(8)]
    overlap = recalibrated(tmp_path, later)
    overlap.add(later[:4])
    record = overlap.report("evaluation")
    assert record["in_calibration"] == 4 and record["in_training"] == 0
    assert record["overlaps_training"] and record["checked"]
    assert (
        "warning: 4 of 4 sessions (100.0%) are the sessions the threshold was picked on "
        "(`logbert calibrate`), so the figures of the evaluation on them are optimistic: it is "
        "not on held-out data" in capsys.readouterr().err
    )


def test_calibrating_again_on_the_same_sessions_is_no_fault(tmp_path, capsys):
    later = [Session(f"later{i}", [1, 2, 3], "normal") for i in range(8)]
    overlap = recalibrated(tmp_path, later)
    capsys.readouterr()
    overlap.add(later)
    assert overlap.report("calibration", validation_counts=False)["in_calibration"] == 8
    assert "picked on" not in capsys.readouterr().err


def test_load_pipeline_prints_the_model_files_missing(tmp_path, capsys):
    Pipeline(NgramDetector()).fit(SESSIONS).save(tmp_path / "m")
    (tmp_path / "m" / "calibration_scores.npy").unlink()
    load_pipeline(tmp_path / "m")
    err = capsys.readouterr().err
    assert err.startswith("warning: ") and "calibration_scores.npy is missing" in err


class EarlyStoppingNgram(NgramDetector):
    """ngram keeping a validation split under cross-fitting, as LogBERT does to stop early."""

    stops_early = True


def test_validation_sessions_of_a_cross_fitted_threshold_are_not_called_its_calibration(
    tmp_path, capsys
):
    """With cross-fitting the threshold comes from every session: the validation holdout only
    stopped training early, and the warning said the threshold was calibrated on it."""
    sessions = [Session(f"s{i}", [1, 2, 3, 4][: 2 + i % 3], "normal") for i in range(60)]
    Pipeline(EarlyStoppingNgram(), calibration="cross-fit").fit(sessions).save(tmp_path / "m")
    pipeline = load_pipeline(tmp_path / "m")
    assert pipeline.threshold_.source.startswith("cross-fitted")
    overlap = TrainingOverlap(pipeline)
    overlap.add(sessions)
    overlap.report("evaluation")
    err = capsys.readouterr().err
    assert "are the validation sessions held out in training for early stopping" in err
    assert "the threshold was calibrated on" not in err


def test_a_cross_fitted_threshold_counts_training_sessions_as_calibration_once(tmp_path, capsys):
    """QA: with the threshold cross-fitted on every training session, `in_calibration` was 0;
    counted now, they are not added again to how many sessions the model was trained on,
    nor called `logbert calibrate`'s."""
    sessions = [Session(f"s{i}", [1, 2, 3, 4][: 2 + i % 3], "normal") for i in range(60)]
    Pipeline(NgramDetector(), calibration="cross-fit").fit(sessions).save(tmp_path / "m")
    overlap = TrainingOverlap(load_pipeline(tmp_path / "m"))
    overlap.add(sessions[:20])
    overlap.add(sessions[20:30] + [Session(f"later{i}", [1, 2, 3], "normal") for i in range(9)])
    record = overlap.report("evaluation")
    assert record["in_training"] + record["in_validation"] == 30
    assert record["in_calibration"] == 30 and overlap.trained_on() == 30  # not 39 of 39
    err = capsys.readouterr().err
    assert "sessions the model was trained on and its threshold was cross-fitted on" in err
    assert "`logbert calibrate`" not in err


def test_sessions_scored_through_the_bundle_count_as_trained_on(tmp_path):
    """score's flag-rate note blames the threshold, not the logs, when the scored sessions are
    the model's own: `Pipeline.score` hands each batch to `on_sessions`, also on the raw-log
    path where the CLI never holds the sessions."""
    Pipeline(NgramDetector()).fit(SESSIONS).save(tmp_path / "m")
    pipeline = load_pipeline(tmp_path / "m")
    overlap = TrainingOverlap(pipeline)
    later = [Session(f"later{i}", [1, 2, 3], "normal") for i in range(5)]
    pipeline.score(SESSIONS[:10] + later, on_sessions=overlap.add)
    assert overlap.trained_on() == 10
    (tmp_path / "m" / "training_sessions.npz").unlink()
    assert TrainingOverlap(load_pipeline(tmp_path / "m")).trained_on() is None
