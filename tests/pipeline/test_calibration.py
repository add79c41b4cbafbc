"""The threshold `fit` sets (`pipeline.calibration`), called directly: which validation
sessions it rests on, and the advice when it rests on too few normal scores."""

from __future__ import annotations

import pytest

from logbert.models.registry import detector_class
from logbert.pipeline.calibration import calibrate_fitted, few_scores_warning
from logbert.pipeline.unseen import training_keys, unseen_key_sessions
from logbert.sessions.batch import as_batch


def fitted_length_detector(train):
    return detector_class("length")().fit(train)


def test_validation_sessions_with_unseen_keys_are_left_out_and_named():
    train = as_batch([[1, 2, 3]] * 6 + [[1, 2, 3, 4]] * 6)
    validation = as_batch([[1, 2, 3]] * 11 + [[1, 2, 9, 9, 9, 9, 9, 9]])
    unseen = unseen_key_sessions(training_keys(train), validation)
    detector = fitted_length_detector(train)
    lines: list[str] = []
    calibrated = calibrate_fitted(
        detector, train, validation, unseen, rule="max", seed=0, folds=5, source="t.jsonl",
        say=lines.append,
    )  # fmt: skip
    assert len(calibrated.batch) == 11 and len(calibrated.normal_scores) == 11
    assert calibrated.split_threshold is None  # not cross-fitted
    assert "less its 1 sessions with keys unseen in training" in detector.threshold_.source
    assert "seed 0" in detector.threshold_.source
    assert any("hold keys the 12 training sessions lack" in line for line in lines)


def test_no_validation_session_calibrates_in_sample_and_says_so():
    train = as_batch([[1, 2, 3]] * 12)
    validation = as_batch([])
    unseen = unseen_key_sessions(training_keys(train), validation)
    lines: list[str] = []
    calibrated = calibrate_fitted(
        fitted_length_detector(train), train, validation, unseen, rule="max", seed=0, folds=5,
        source="", say=lines.append,
    )  # fmt: skip
    assert len(calibrated.batch) == 12
    assert any("in-sample" in line for line in lines)
    assert not any("rests on the scores of only" in line for line in lines)  # said once


@pytest.mark.parametrize(
    ("n_normal", "given", "cross_fitted", "advice"),
    [
        (40, "v.jsonl", False, "give more normal validation sessions"),
        (40, None, True, "train on more normal sessions"),
        (40, None, False, "--calibration cross-fit"),
        (8, None, False, "or cross-fit them with --folds 4"),
        (3, None, False, "needs at least 10 with --folds 5: give more normal sessions"),
    ],
)
def test_few_normal_scores_get_advice_that_fits_how_the_threshold_was_set(
    n_normal, given, cross_fitted, advice
):
    train = as_batch([[1, 2, 3]] * 4)
    detector = fitted_length_detector(train)
    detector.calibrate(train, rule="max", source="four sessions")
    warning = few_scores_warning(detector, n_normal, given, cross_fitted, folds=5)
    assert warning is not None and "only 4 normal sessions" in warning and advice in warning
    if n_normal == 3:
        assert "--folds" not in warning.split("needs at least")[1].split(":")[1]


def test_ten_normal_scores_need_no_warning():
    train = as_batch([[1, 2, 3]] * 10)
    detector = fitted_length_detector(train)
    detector.calibrate(train, rule="max", source="ten sessions")
    assert few_scores_warning(detector, 100, None, False, folds=5) is None
