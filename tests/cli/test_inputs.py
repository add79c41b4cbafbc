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
        "n_sessions": 12, "in_training": None, "in_validation": None,
        "overlaps_training": None, "checked": False,
    }  # fmt: skip
    err = capsys.readouterr().err
    assert (
        "warning: the model records no training sessions (training_sessions.npz missing): "
        "overlap with training data cannot be checked" in err
    )


def test_load_pipeline_prints_the_model_files_missing(tmp_path, capsys):
    Pipeline(NgramDetector()).fit(SESSIONS).save(tmp_path / "m")
    (tmp_path / "m" / "calibration_scores.npy").unlink()
    load_pipeline(tmp_path / "m")
    err = capsys.readouterr().err
    assert err.startswith("warning: ") and "calibration_scores.npy is missing" in err
