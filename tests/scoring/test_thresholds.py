import re

import numpy as np
import pytest

from logbert.errors import LogbertError
from logbert.scoring.thresholds import (
    Threshold,
    calibrate,
    check_rule,
    conformal_threshold,
    flags_most_normal,
    outlying_threshold_note,
    p_values,
    rule_needs_labels,
    spread_rule_note,
)


def test_mean_plus_k_std_uses_normal_scores_only():
    scores = np.array([1.0, 2.0, 3.0, 100.0])
    labels = np.array([0, 0, 0, 1])
    expected = np.mean([1, 2, 3]) + 2 * np.std([1, 2, 3])
    assert calibrate(scores, "mean+2std", labels) == pytest.approx(expected)
    assert calibrate(scores[:3], "mean+2.5*std") == pytest.approx(
        np.mean([1, 2, 3]) + 2.5 * np.std([1, 2, 3])
    )


def test_quantile_and_max():
    scores = np.arange(1, 1001, dtype=float)
    assert calibrate(scores, "quantile:0.99") == 991.0
    assert calibrate(scores, "max") == 1000.0


def test_best_f1_separates_perfectly_separable_scores():
    scores = np.array([0.1, 0.2, 0.3, 0.9, 1.0])
    labels = np.array([0, 0, 0, 1, 1])
    value = calibrate(scores, "best-f1", labels)
    assert 0.3 <= value < 0.9
    assert list((scores > value).astype(int)) == list(labels)


def test_precision_and_recall_targets():
    scores = np.array([0.1, 0.2, 0.5, 0.6, 0.7, 0.8])
    labels = np.array([0, 0, 1, 0, 1, 1])
    high_precision = calibrate(scores, "precision>=1.0", labels)
    assert ((scores > high_precision) & (labels == 0)).sum() == 0
    full_recall = calibrate(scores, "recall>=1.0", labels)
    assert ((scores > full_recall) & (labels == 1)).sum() == 3


def test_labelled_rule_without_labels_is_a_clear_error():
    assert rule_needs_labels("best-f1") and not rule_needs_labels("mean+2std")
    with pytest.raises(LogbertError, match="needs labelled sessions with both normal and"):
        calibrate([0.1, 0.2], "best-f1")
    with pytest.raises(LogbertError, match="got 2 normal and 0 anomalous labelled"):
        calibrate([0.1, 0.2], "recall>=0.9", [0, 0])


def test_labelled_rule_counts_sessions_without_a_label():
    """QA: unlabelled sessions read as "0 normal and 0 anomalous"; they are counted apart,
    and refused even beside both labels."""
    with pytest.raises(LogbertError, match="got 0 normal and 0 anomalous labelled sessions, "
                       "and 2 unlabelled sessions. Calibrate"):  # fmt: skip
        calibrate([0.1, 0.2], "best-f1")
    with pytest.raises(LogbertError, match="got 1 normal and 1 anomalous labelled sessions, "
                       "and 1 unlabelled session\\."):  # fmt: skip
        calibrate([0.1, 0.2, 0.3], "best-f1", [0, 1, -1])


def test_labelled_rule_on_no_labelled_session_names_the_labels_not_the_count():
    """a supervised detector drops unlabelled sessions before its best-f1 rule, which
    then saw no session at all and said "on no sessions" about a file of 50."""
    with pytest.raises(LogbertError, match="best-f1' needs labelled sessions with both normal"):
        calibrate([], "best-f1", [])


def test_evt_extrapolates_the_tail_beyond_the_data():
    rng = np.random.default_rng(0)
    many = rng.exponential(1.0, 100_000)
    truth = -np.log(0.001)  # the exponential's 99.9% quantile
    assert calibrate(many, "evt:0.001") == pytest.approx(truth, rel=0.05)
    few = rng.exponential(1.0, 500)  # too few to see a 0.1% tail directly
    assert calibrate(few, "evt:0.001") > calibrate(few, "quantile:0.99")
    assert calibrate(few, "evt:0.01") < calibrate(few, "evt:0.001")


def test_evt_needs_a_tail_to_fit():
    with pytest.raises(LogbertError, match=r"evt needs at least 10 scores, 3 of them distinct, "
                       r"above the tail's start .*; got 5\. Use more"):  # fmt: skip
        calibrate(np.r_[np.zeros(95), np.ones(5)], "evt:0.001")


def test_evt_says_the_tail_scores_tie_rather_than_calling_their_count_distinct():
    """QA: "at least 10 distinct scores ..., got 27" where 27 scores all held one value."""
    with pytest.raises(LogbertError, match="got 27 but they tie: only 1 distinct value\\. Use"):
        calibrate(np.r_[np.zeros(243), np.ones(27)], "evt:0.01")


@pytest.mark.parametrize("rule", ["median", "mean+std", "precision>0.9", "evt", "quantile"])
def test_unknown_rule_lists_valid_ones(rule):
    with pytest.raises(LogbertError, match="valid: mean"):
        calibrate([0.1, 0.2], rule)


@pytest.mark.parametrize(
    ("rule", "needs"),
    [
        ("quantile:1.5", "a quantile Q with 0 <= Q <= 1"),
        ("quantile:-1", "a quantile Q with 0 <= Q <= 1"),
        ("quantile:x", "a quantile Q with 0 <= Q <= 1"),
        ("precision>=1.5", "a precision between 0 and 1"),
        ("recall>=-0.1", "a recall between 0 and 1"),
        ("evt:0", "a false-alarm rate P with 0 < P < 0.1"),
        ("evt:1", "a false-alarm rate P with 0 < P < 0.1"),
        ("evt:0.5", "a false-alarm rate P with 0 < P < 0.1"),
        ("evt:0.1", "a false-alarm rate P with 0 < P < 0.1"),
        ("evt:nan", "a false-alarm rate P with 0 < P < 0.1"),
    ],
)
def test_known_rule_with_a_value_out_of_range_says_the_range(rule, needs):
    """these were called unknown rules; the rule is known, its value is not in range."""
    with pytest.raises(LogbertError, match=re.escape(needs)) as caught:
        check_rule(rule)
    assert "unknown" not in str(caught.value)
    with pytest.raises(LogbertError, match=re.escape(needs)):
        calibrate(np.arange(100.0), rule)


def test_rules_at_the_edges_of_their_range_are_accepted():
    for rule in ("quantile:0", "quantile:1", "precision>=1", "recall>=0", "evt:0.09"):
        assert check_rule(rule) == rule


def test_evt_is_never_read_below_the_tail_it_fits():
    """evt:0.5 wrote a threshold below every normal score (every session flagged).
    Inside the fitted tail the threshold lies above the tail's start; a rate the tail does
    not reach (ties at the 90% quantile shrink it) is refused, not extrapolated downwards."""
    rng = np.random.default_rng(1)
    normal = rng.exponential(1.0, 1000)
    for p in (0.09, 0.05, 0.001):
        assert calibrate(normal, f"evt:{p}") > np.quantile(normal, 0.9)
    tied = np.r_[np.zeros(970), rng.exponential(1.0, 30) + 1]  # 3% above the 90% quantile
    with pytest.raises(LogbertError, match=r"only 30 of 1000 normal scores \(3.0%\)"):
        calibrate(tied, "evt:0.05")
    assert calibrate(tied, "evt:0.01") > 1


def test_empty_scores_rejected():
    with pytest.raises(LogbertError, match="no sessions"):
        calibrate([], "max")


def test_threshold_round_trip_and_corrupt_file(tmp_path):
    threshold = Threshold(value=1.5, rule="max", source="val split", n_sessions=10)
    threshold.save(tmp_path / "threshold.json")
    assert Threshold.load(tmp_path / "threshold.json") == threshold
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(LogbertError, match="corrupt"):
        Threshold.load(tmp_path / "bad.json")
    with pytest.raises(LogbertError, match="missing"):
        Threshold.load(tmp_path / "absent.json")


def test_fpr_rule_is_the_conformal_threshold():
    normal = np.arange(1, 1000, dtype=float)  # 999 normal scores: p-values step by 1/1000
    assert calibrate(normal, "fpr:0.001") == 999.0  # only a score above them all
    assert calibrate(normal, "fpr:0.01") == 990.0
    assert conformal_threshold(normal, 0.0105) == 990.0  # floor(10.5) = 10th largest
    p = p_values([999.5, 999.0, 990.0, 0.0], normal)
    np.testing.assert_allclose(p, [1 / 1000, 2 / 1000, 11 / 1000, 1.0])
    # the guarantee: a normal score is flagged (score > threshold) only if its p <= the rate
    threshold = calibrate(normal, "fpr:0.05")
    assert np.all(p_values(normal[normal > threshold], normal) <= 0.05)


@pytest.mark.parametrize("rule", ["fpr:0", "fpr:1", "fpr:1.5", "fpr:-0.1", "fpr:x"])
def test_fpr_outside_zero_one_is_refused(rule):
    with pytest.raises(LogbertError, match="strictly between 0 and 1"):
        check_rule(rule)


def test_fpr_needs_enough_normal_scores():
    with pytest.raises(LogbertError, match="at least 99 normal calibration sessions, got 10"):
        calibrate(np.arange(10.0), "fpr:0.01")


@pytest.mark.parametrize(
    ("value", "found"),
    [('"abc"', "'abc'"), ("null", "None"), ("[]", r"\[\]"), ("1e999", "inf"), ("NaN", "nan"),
     ("true", "True")],
)  # fmt: skip
def test_a_threshold_file_value_must_be_a_finite_number(tmp_path, value, found):
    """A hand-edited value failed deep in scoring (or, infinite, flagged nothing)."""
    path = tmp_path / "threshold.json"
    path.write_text(f'{{"value": {value}, "rule": "max"}}')
    with pytest.raises(LogbertError, match=rf"threshold.json: 'value' must be a finite number, "
                       rf"found {found}; rerun `logbert calibrate`"):  # fmt: skip
        Threshold.load(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"garbage\x00\xff{", r"threshold.json is corrupt \(not UTF-8 text"),
        (b"[1]", "expected a JSON object"),
        (b'{"value": 1, "rule": 3}', "'rule' must be a string"),
    ],
)
def test_a_broken_threshold_file_names_itself_and_says_recalibrate(tmp_path, content, message):
    path = tmp_path / "threshold.json"
    path.write_bytes(content)
    with pytest.raises(LogbertError, match=f"{message}.*rerun `logbert calibrate`"):
        Threshold.load(path)
    path.write_text('{"value": 2, "rule": "max"}')
    assert Threshold.load(path).value == 2.0


def test_a_threshold_file_records_the_model_it_was_calibrated_for(tmp_path):
    path = tmp_path / "threshold.json"
    Threshold(value=1.5, rule="max", model_id="0123456789abcdef").save(path)
    assert Threshold.load(path).model_id == "0123456789abcdef"
    path.write_text('{"value": 1, "rule": "max", "model_id": null}')  # as good as none
    assert Threshold.load(path).model_id is None
    path.write_text('{"value": 1, "rule": "max", "model_id": 7}')
    with pytest.raises(LogbertError, match="'model_id' must be a string, found 7; rerun"):
        Threshold.load(path)


def test_a_recall_target_met_only_below_every_normal_score_is_warned_of():
    """QA: recall>=0.9 put the threshold at -5e-324 and calibrate said nothing; every
    session of the next run was flagged."""
    scores = np.array([0.0, 0.0, 0.0, 0.0, 1.0, 0.0])  # one of two anomalies scores as normal
    labels = np.array([0, 0, 0, 0, 1, 1])
    value = calibrate(scores, "recall>=0.9", labels)
    warning = flags_most_normal(Threshold(value, "recall>=0.9"), scores[labels == 0])
    assert warning == (
        "warning: reaching recall 0.9 costs flagging 100% of the normal calibration sessions "
        "(4 of 4): lower R or use another detector"
    )
    precision = flags_most_normal(Threshold(-1.0, "precision>=0.5"), scores[labels == 0])
    assert precision.endswith("raise P or use another detector")


def test_a_threshold_that_flags_few_normal_sessions_is_not_warned_of():
    normal = np.arange(10.0)
    assert flags_most_normal(Threshold(5.0, "best-f1"), normal) is None  # 4 of 10 above
    assert flags_most_normal(Threshold(4.0, "quantile:0.4"), normal) == (
        "warning: the quantile:0.4 threshold 4 flags 50% of the normal calibration sessions "
        "(5 of 10): use another rule or another detector"
    )
    assert flags_most_normal(Threshold(4.0, "max"), np.zeros(0)) is None


def test_a_spread_rule_that_flags_a_few_percent_of_normal_sessions_is_noted():
    """QA Graylog: ecvc's mean+2std flagged 14 of 546 normal windows, with no word, where
    ngram's and new-event's threshold 0 had notes."""
    normal = np.arange(100.0)
    note = spread_rule_note(Threshold(96.5, "mean+2std"), normal)
    assert note is not None and note.startswith(
        "note: the mean+2std threshold 96.5 flags 3 of the 100 normal calibration sessions (3.0%)"
    )
    assert "--threshold-rule fpr:0.001" in note
    # ... on sessions the model was not trained on, or at training (QA XtraBackup: calibrated
    # on its training logs, ecvc's threshold was 0 and its 9 false alarms stayed; trained with
    # `fpr:0.01`, 1)
    assert "not trained on" in note and "or train with it (`--threshold-rule" in note
    assert spread_rule_note(Threshold(99.5, "mean+2std"), normal) is None  # none flagged
    assert spread_rule_note(Threshold(96.5, "max"), normal) is None  # not a spread rule
    assert spread_rule_note(Threshold(10.0, "mean+2std"), normal) is None  # the warning's


def test_a_combinations_spread_note_says_its_threshold_is_any_part_flagging():
    """QA NFS: a combination's "the mean+2std threshold 0 flags 15 of 194" read as ecvc's count
    under the combination's threshold; it is the sessions any part flags."""
    normal = np.array([0.0] * 90 + [0.5] * 10)
    note = spread_rule_note(Threshold(0.0, "mean+2std"), normal, parts=("new-event", "ecvc"))
    assert note is not None and note.startswith(
        "note: flagging when any of new-event, ecvc flags (each by its own threshold) flags 10 "
        "of the 100 normal calibration sessions (10.0%)"
    )


def test_a_max_threshold_that_a_few_outlying_normal_scores_set_is_noted_with_another_rule():
    """QA Privoxy: each file's first window (a start-up banner) scored 8.6, the other 193 at
    most 1.69; LogBERT's `max` threshold sat on the two and flagged no test window, though its
    8 highest scores were all anomalies."""
    normal = np.concatenate([np.linspace(1.5, 1.69, 193), [8.56, 8.60]])
    note = outlying_threshold_note(Threshold(8.60, "max"), normal)
    assert note is not None and note.startswith(
        "note: the max threshold 8.6 rests on 2 of the 195 normal calibration sessions, which "
        "score 5.1x or more the highest of the others (1.69)"
    )
    rule = re.search(r"--threshold-rule (quantile:[0-9.]+)", note)[1]
    again = calibrate(normal, rule=rule)
    assert 1.6 < again < 8.56  # the rule it names reads the others
    assert outlying_threshold_note(Threshold(1.69, "max"), normal[:193]) is None  # no outlier
    assert outlying_threshold_note(Threshold(8.6, "quantile:0.99"), normal) is None  # not max
    spread = np.concatenate([np.linspace(1.5, 1.69, 185), np.linspace(8, 9, 10)])
    assert outlying_threshold_note(Threshold(9.0, "max"), spread) is None  # too many to be few
