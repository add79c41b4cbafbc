"""Calibration and validation of detector combinations (`models/combined.py`); their scoring,
persistence and the paper's combination are tested with the simple detectors."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from logbert.errors import LogbertError
from logbert.models.combined import CombinedDetector
from logbert.models.registry import detector_class
from logbert.scoring.thresholds import p_values


def workflow(repeats: int) -> list[list[int]]:
    """Sessions 1 2 3..3 4 5 with one to five 3s."""
    return [[1, 2] + [3] * n + [4, 5] for n in (1, 2, 3, 4, 5)] * repeats


TRAIN = workflow(8) + [[1, 2, 4, 3, 5]]
# normal calibration sessions, some long or reordered: each part flags a different few
CALIBRATION = workflow(3) + [
    [1, 2] + [3] * 9 + [4, 5],
    [1, 2] + [3] * 12 + [4, 5],
    [1, 3, 2, 4, 5],
    [2, 1, 3, 4, 5],
    [1, 2, 3, 5, 4],
]


@pytest.mark.parametrize(("rule", "rate"), [("fpr:0.2", 0.2), ("quantile:0.8", 0.2)])
def test_a_false_alarm_rate_rule_bounds_the_combined_verdict(rule, rate):
    """Parts calibrated each to the rate flagged their union (5 of these 20 sessions at
    fpr:0.2, with p-values up to 0.29); the rule now thresholds the combined score."""
    detector = detector_class("length+ngram")().fit(TRAIN, validation=CALIBRATION)
    threshold = detector.calibrate(CALIBRATION, rule=rule, source="calibration")
    assert threshold.rule == rule and threshold.score == "score"
    assert [p.threshold_.rule for p in detector.parts_] == ["mean+2std", "mean+2std"]
    flagged = detector.predict(CALIBRATION) == 1
    assert 0 < flagged.mean() <= rate
    scores = detector.decision_function(CALIBRATION)
    assert np.all(p_values(scores[flagged], scores) <= rate)  # p-values agree with verdicts
    assert np.all(p_values(scores[~flagged], scores) > p_values(scores[flagged], scores).max())


def test_mean_kstd_still_recalibrates_each_part_and_flags_their_union():
    detector = detector_class("length+ngram")().fit(TRAIN)
    threshold = detector.calibrate(CALIBRATION, rule="mean+3std")
    assert threshold.value == 0.0
    assert [p.threshold_.rule for p in detector.parts_] == ["mean+3std", "mean+3std"]
    parts = np.max([p.predict(CALIBRATION) for p in detector.parts_], axis=0)
    assert detector.predict(CALIBRATION).tolist() == parts.tolist()


def test_a_recalibrated_combination_saves_its_parts_thresholds(tmp_path):
    """QA: `logbert calibrate` wrote only the combination's threshold (0); the parts kept
    training's thresholds on disk, so the reloaded model flagged by those."""
    detector = detector_class("length+ngram")().fit(TRAIN)
    detector.save(tmp_path / "m")
    detector.calibrate(CALIBRATION, rule="max")
    detector.save_part_thresholds(tmp_path / "m")
    loaded = detector_class("length+ngram").load(tmp_path / "m")
    assert [p.threshold_.rule for p in loaded.parts_] == ["max", "max"]
    assert loaded.predict(CALIBRATION).sum() == 0  # `max` of these: none flagged
    assert loaded.predict(CALIBRATION).tolist() == detector.predict(CALIBRATION).tolist()


@pytest.mark.parametrize("supervised", ["knn", "text-classifier"])
def test_a_supervised_part_is_refused_when_the_combination_is_named(supervised):
    expected = (
        f"combinations take unsupervised detectors only; {supervised} is supervised: train "
        f"it on its own (--model {supervised})"
    )
    with pytest.raises(LogbertError) as error:
        detector_class(f"{supervised}+ecvc")
    assert str(error.value) == expected
    detector = CombinedDetector(parts=("ecvc", supervised))
    with pytest.raises(LogbertError, match="unsupervised detectors only"):
        detector.fit(TRAIN)  # before any training
    assert not hasattr(detector, "training_info_")


def test_a_combination_keeps_the_evidence_of_its_part_that_explains():
    """`logbert+new-event`: the score rows of a combination carry LogBERT's top events."""
    from logbert.models.logbert import LogBERT
    from logbert.models.new_event import NewEventDetector

    tiny = LogBERT(hidden=16, layers=1, heads=2, max_len=16, epochs=2, seed=0).fit(TRAIN)
    combined = detector_class("logbert+new-event")()
    combined.parts_ = [tiny, NewEventDetector().fit(TRAIN)]  # a tiny LogBERT: fitted by hand
    combined.training_info_ = {}
    sessions = [[1, 2, 3, 4, 5], [1, 9, 5]]
    out = combined.score_sessions(sessions, top_events=2)
    assert set(out) == {"score", "logbert", "new-event", "parts_flagging", "top_events"}
    assert out["top_events"] == tiny.score_sessions(sessions, top_events=2)["top_events"]
    np.testing.assert_allclose(out["logbert"], tiny.decision_function(sessions))
    assert "top_events" not in combined.score_sessions(sessions)


def test_part_params_configure_the_parts_and_survive_clone_and_save(tmp_path):
    combined = detector_class("ngram+length")(part_params={"ngram": {"n": (2,)}})
    clone(combined).fit(TRAIN)  # the contract: a clone fits like the original
    combined.fit(TRAIN, validation=CALIBRATION)
    assert combined.parts_[0].n == (2,) and combined.parts_[1].upper_quantile == 1.0
    combined.save(tmp_path / "m")
    loaded = detector_class("ngram+length").load(tmp_path / "m")
    np.testing.assert_array_equal(
        loaded.decision_function(CALIBRATION), combined.decision_function(CALIBRATION)
    )
    for bad, words in (
        ({"ecvc": {"idf": True}}, "which is not a part"),
        ({"ngram": {"size": 2}}, "unknown parameters size; valid: n"),
        ({"length": {"upper_quantile": 2.0}}, "upper_quantile"),  # a range: before any data
    ):
        with pytest.raises(LogbertError, match=words):
            detector_class("ngram+length")(part_params=bad).fit(TRAIN)


def test_a_session_flagged_by_a_later_part_shows_that_parts_evidence():
    """QA auditd: windows that `new-event+ecvc` flagged through ecvc carried new-event's empty
    evidence; each session now shows the evidence of a part that flags it."""
    train = [[1, 2, 3], [1, 2, 3, 3], [1, 2]] * 5
    combined = detector_class("new-event+ecvc")().fit(train)
    combined.calibrate(train)
    out = combined.score_sessions([[1, 2, 3], [1, 1, 1, 2, 9], [3, 3, 3, 3]], top_events=3)
    assert out["top_events"][0] == []  # a training sequence: nothing to show
    assert [e["key"] for e in out["top_events"][1]] == [9]  # new-event flags it first
    # ecvc's: the key in excess, and the keys the nearest training session held more of
    assert [(e["key"], e["position"]) for e in out["top_events"][2]] == [(3, 0), (None, 4)]
    assert [e["key"] for e in out["top_events"][2][1]["expected"]] == [1, 2]
    # ... and says which parts flag it (QA Mattermost: `decided_by: score` at 0.12 read as
    # below ecvc's printed threshold; the combined score is past the parts' thresholds)
    assert out["parts_flagging"][0] == [] and out["parts_flagging"][2] == ["ecvc"]
    assert "new-event" in out["parts_flagging"][1]
