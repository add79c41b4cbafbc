"""The threshold `fit` sets (`pipeline.calibration`), called directly: which validation
sessions it rests on, and the advice when it rests on too few normal scores."""

from __future__ import annotations

import numpy as np
import pytest

from logbert.models.registry import detector_class
from logbert.pipeline import calibration
from logbert.pipeline.calibration import calibrate_fitted, few_scores_warning
from logbert.pipeline.crossfit import CrossFit
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


@pytest.mark.parametrize(("held", "said"), [
    (0, "the validation sessions hold no labelled anomaly, so the threshold is calibrated on "
        "the 40 training sessions themselves (in-sample"),
    (1, "warning: the threshold rests on 1 labelled anomaly among 11 calibration sessions"),
    (5, None),
])  # fmt: skip
def test_a_supervised_threshold_on_few_labelled_anomalies_is_warned_of(held, said):
    """QA: 1 anomaly in the validation split gave a best-F1 threshold that flagged every
    normal session; 0 calibrated in-sample on the training labels with no word."""
    from logbert.sessions.io import Session

    def sessions(n, anomalies, prefix):
        return as_batch([Session(f"{prefix}{i}", [1, 2, 3] if i >= anomalies else [1, 9, 3],
                                 "normal" if i >= anomalies else "anomaly")
                         for i in range(n)])  # fmt: skip

    train, validation = sessions(40, 8, "t"), sessions(10 + held, held, "v")
    detector = detector_class("random-forest")().fit(train, train.labels)
    lines: list[str] = []
    calibrate_fitted(
        detector, train, validation, unseen_key_sessions(training_keys(train), validation),
        rule="best-f1", seed=0, folds=5, source="", say=lines.append,
    )  # fmt: skip
    found = [line for line in lines if "labelled anomal" in line]
    assert (found[0].startswith(said) or said in found[0]) if said else not found, lines


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


def test_few_normal_scores_of_a_combination_are_advised_cross_fitting():
    """A combination cross-fits part by part, so its few validation scores get the advice a
    single detector gets (it was told to give validation sessions, as if it could not)."""
    train = as_batch([[1, 2, 3]] * 4)
    detector = detector_class("new-event+length")().fit(train)
    detector.calibrate(train, source="four sessions")
    warning = few_scores_warning(detector, 40, None, False, folds=5)
    assert warning is not None and "only 4 normal sessions" in warning
    assert "cross-fit them (--calibration cross-fit: every normal session is scored)" in warning


def test_ten_normal_scores_need_no_warning():
    train = as_batch([[1, 2, 3]] * 10)
    detector = fitted_length_detector(train)
    detector.calibrate(train, rule="max", source="ten sessions")
    assert few_scores_warning(detector, 100, None, False, folds=5) is None


def spread_out_lengths():
    """40 training sessions of lengths 1..40 and a length detector whose normal range is their
    middle half: the sessions outside it score above 0."""
    train = as_batch([[1] * n for n in range(1, 41)])
    detector = detector_class("length")(lower_quantile=0.25, upper_quantile=0.75).fit(train)
    return train, detector


def calibrate_cross_fitted(detector, train, cross_scores, say):
    validation = as_batch([[1] * 20] * 4)
    unseen = unseen_key_sessions(training_keys(train), validation)
    cross_fit = CrossFit(
        scores=np.asarray(cross_scores, dtype=float), unseen=np.zeros(len(cross_scores), bool),
        folds=5, epochs=None, seconds=0.0,
    )  # fmt: skip
    return calibrate_fitted(
        detector, train, validation, unseen, rule="max", seed=0, folds=5, source="t.jsonl",
        say=say, cross_fit=cross_fit,
    )  # fmt: skip


def test_a_cross_fitted_threshold_that_flags_many_training_sessions_is_a_warning():
    """Fold models that score lower than the final model (an undertrained LogBERT) set a
    threshold that flags a share of the final model's own training sessions: said at train
    time, and recorded in the detector's training info."""
    train, detector = spread_out_lengths()
    lines: list[str] = []
    calibrated = calibrate_cross_fitted(detector, train, np.zeros(40), lines.append)
    flagged = int(detector.predict(train).sum())
    assert flagged >= 10
    check = {"n_sessions": 40, "n_scored": 40, "n_flagged": flagged}
    assert calibrated.training_check == check
    assert detector.training_info_["cross_fit_training_check"] == check
    warning = next(line for line in lines if "cross-fitted threshold" in line)
    assert warning.startswith(
        f"warning: the cross-fitted threshold 0 flags {flagged} of 40 sessions the model was "
        f"trained on ({flagged / 40:.1%}), where it flags about 2.44% of the out-of-fold "
        "normal scores it was set on: "
    )
    assert warning.endswith(
        "Train longer (more --epochs), or calibrate on the validation split (--calibration split)"
    )


def test_a_cross_fitted_threshold_that_describes_the_final_model_is_not_warned_of():
    train, detector = spread_out_lengths()
    lines: list[str] = []
    calibrated = calibrate_cross_fitted(
        detector, train, detector.decision_function(train), lines.append
    )
    assert calibrated.training_check["n_flagged"] == 0
    assert not any("cross-fitted threshold" in line for line in lines)


def test_the_training_check_scores_a_bounded_seeded_sample(monkeypatch):
    monkeypatch.setattr(calibration, "TRAINING_CHECK_SESSIONS", 10)
    train, detector = spread_out_lengths()
    detector.calibrate_scores(np.zeros(40), rule="max", source="zeros")
    first = calibration.check_on_training(detector, train, np.zeros(40), seed=3, say=print)
    again = calibration.check_on_training(detector, train, np.zeros(40), seed=3, say=print)
    assert first == again and first["n_scored"] == 10 and first["n_sessions"] == 40


def test_a_threshold_of_zero_on_scores_of_zero_is_said():
    """QA Keepalived: every validation window scored 0 for ngram, its `mean+2std` threshold
    was 0, and 4% of normal windows were flagged with no word of why."""
    train = as_batch([[1, 2, 3]] * 6 + [[1, 2, 3, 4]] * 6)
    validation = as_batch([[1, 2, 3]] * 12)
    unseen = unseen_key_sessions(training_keys(train), validation)
    detector = detector_class("ngram")().fit(train)
    lines: list[str] = []
    calibrate_fitted(
        detector, train, validation, unseen, rule="mean+2std", seed=0, folds=5,
        source="t.jsonl", say=lines.append,
    )  # fmt: skip
    assert detector.threshold_.value == 0
    (note,) = [line for line in lines if "scored 0" in line]
    assert note.startswith("note: each of the 12 normal calibration sessions scored 0")
    lines.clear()
    calibrate_fitted(
        detector, train, as_batch([[1, 2, 3]] * 11 + [[1, 3, 2]]), unseen, rule="mean+2std",
        seed=0, folds=5, source="t.jsonl", say=lines.append,
    )  # fmt: skip
    assert not [line for line in lines if "scored 0" in line]
    # ... in each detector's words (QA Grafana: `length` was told "nothing in them was new")
    length = detector_class("length")().fit(train)
    lines.clear()
    calibrate_fitted(
        length, train, validation, unseen, rule="mean+2std", seed=0, folds=5,
        source="t.jsonl", say=lines.append,
    )  # fmt: skip
    (note,) = [line for line in lines if "scored 0" in line]
    assert "(each one's length was in the training sessions' range)" in note
    assert "nothing in them was new" not in note and "nothing in them was new" in " ".join(
        detector_class("new-event").zero_scores_mean
    )
    # ... and of a combination, the parts whose threshold is 0, named (QA NUT: `logbert+length`
    # was told "nothing in them was new to training", of its length part, unnamed)
    combined = detector_class("new-event+length")().fit(train)
    lines.clear()
    calibrate_fitted(
        combined, train, validation, unseen, rule="mean+2std", seed=0, folds=5,
        source="t.jsonl", say=lines.append,
    )  # fmt: skip
    (note,) = [line for line in lines if "scored 0" in line]
    assert note.startswith("note: new-event: each of the 12 normal calibration sessions scored")
    assert "; length: each of the 12 normal calibration sessions scored 0 (each one's" in note


def test_a_threshold_no_score_can_pass_is_a_warning():
    """QA Entra ID: ngram's `mean+2std` over normal sessions half of which held n-grams training
    lacked came to 1.24, above any share of n-grams: 0 of 98 anomalies flagged, unsaid."""
    train = as_batch([[1, 2, 3]] * 12)
    validation = as_batch([[1, 2, 3]] * 6 + [[3, 1]] * 6)  # known keys; n-gram shares 0 and 1
    detector = detector_class("ngram")().fit(train)
    lines: list[str] = []
    calibrate_fitted(
        detector, train, validation, unseen_key_sessions(training_keys(train), validation),
        rule="mean+2std", seed=0, folds=5, source="t.jsonl", say=lines.append,
    )  # fmt: skip
    assert detector.threshold_.value >= 1.0
    (warning,) = [line for line in lines if "no session can be flagged" in line]
    assert "largest score ngram can give (1)" in warning
