"""Validation sessions given to `Pipeline.fit` (e.g. the period after training): every training
session is fitted, early stopping and the threshold use the given sessions, and sessions that
cannot serve (shared with training, no normal ones, cross-fit asked for) are refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import numpy as np
import pytest

from logbert.errors import LogbertError
from logbert.models.supervised import KNNDetector
from logbert.pipeline import Pipeline
from logbert.sessions.fingerprints import session_fingerprints
from logbert.sessions.io import Session

from .test_small_training import CappedDetector


def normal(prefix: str, n: int, length: int = 3) -> list[Session]:
    return [Session(f"{prefix}{i}", [1, 2, 3, 4, 1, 2, 3][: length + i % 4], "normal") for i in
            range(n)]  # fmt: skip


def test_given_validation_sessions_calibrate_and_every_training_session_is_fitted():
    train = normal("t", 30)
    later = normal("v", 12, length=4) + [Session("bad", [1, 2, 3], "anomaly")]
    fitted: list[int] = []

    class Recording(CappedDetector):
        def _fit(self, batch, validation, **options):
            fitted.extend([len(batch), len(validation)])
            super()._fit(batch, validation, **options)

    lines: list[str] = []
    pipeline = Pipeline(Recording(), validation_split=0.5, seed=0).fit(
        train, validation=later, source="train.jsonl", validation_source="later.jsonl",
        log=lines.append,
    )  # fmt: skip
    assert fitted == [30, 12]  # the anomaly of the validation file is left out
    # the threshold is the max of the validation scores (lengths), not of a training split
    assert pipeline.threshold_.value == max(len(s.keys) for s in later[:12])
    assert "validation sessions of later.jsonl (12 sessions" in pipeline.threshold_.source
    record = pipeline.training_
    assert record["validation_source"] == "later.jsonl" and record["validation_split"] is None
    assert record["calibration"] == "split" and record["n_validation"] == 12
    assert np.array_equal(pipeline.fingerprints_["validation"], session_fingerprints(later[:12]))
    assert np.array_equal(pipeline.fingerprints_["train"], session_fingerprints(train))
    # it said "0 labelled anomalies left out" though the file's anomaly was (QA)
    assert (
        "12 validation sessions from later.jsonl, 1 labelled anomaly of it left out; 0 "
        "labelled anomalies of the training sessions left out" in lines[0]
    )


def test_without_validation_sessions_the_split_is_unchanged():
    sessions = normal("s", 40)
    split = Pipeline(CappedDetector(), validation_split=0.25, calibration="split", seed=3)
    split.fit(sessions)
    assert split.training_["validation_source"] is None
    assert split.training_["validation_split"] == 0.25 and split.training_["n_validation"] == 10


def test_validation_sessions_shared_with_training_are_refused():
    train = normal("t", 20)
    with pytest.raises(LogbertError, match=r"later: 2 of its 7 sessions are also training"):
        Pipeline(CappedDetector()).fit(
            train, validation=normal("v", 5) + train[:2], validation_source="later"
        )


def test_validation_sessions_of_another_day_may_repeat_the_training_ids():
    """Job counters that restart daily: `t0` of day 5 is not `t0` of day 4."""
    day = [datetime(2024, 3, 4, 10, i) for i in range(20)]
    train = [replace(s, start=t) for s, t in zip(normal("t", 20), day, strict=True)]
    later = [replace(s, start=s.start + timedelta(days=1)) for s in train[:6]]
    pipeline = Pipeline(CappedDetector()).fit(train, validation=later, validation_source="later")
    assert pipeline.training_["n_validation"] == 6
    with pytest.raises(LogbertError, match=r"later: 2 of its 8 sessions are also training"):
        Pipeline(CappedDetector()).fit(
            train, validation=later + train[:2], validation_source="later"
        )


def test_validation_without_normal_sessions_is_refused_for_an_unsupervised_detector():
    with pytest.raises(LogbertError, match="no normal sessions to calibrate on"):
        Pipeline(CappedDetector()).fit(normal("t", 20), validation=[Session("a", [9], "anomaly")])


def test_cross_fit_with_validation_sessions_is_refused():
    with pytest.raises(LogbertError, match="cross-fit calibration scores the training"):
        Pipeline(CappedDetector(), calibration="cross-fit").fit(
            normal("t", 20), validation=normal("v", 5)
        )


def test_a_supervised_detector_calibrates_on_both_labels_of_the_validation_sessions():
    train = normal("t", 30) + [Session(f"a{i}", [9, 8, 7], "anomaly") for i in range(10)]
    later = normal("v", 10) + [Session(f"b{i}", [9, 8], "anomaly") for i in range(4)]
    pipeline = Pipeline(KNNDetector(), seed=0).fit(train, validation=later)
    assert pipeline.training_["n_validation"] == 14
    assert "validation sessions of the validation data (14 sessions" in (pipeline.threshold_.source)
    with pytest.raises(LogbertError, match="needs both normal and anomalous"):
        Pipeline(KNNDetector(), seed=0).fit(train, validation=normal("w", 10))
