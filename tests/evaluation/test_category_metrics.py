"""Category metrics (multi-class and multi-label), checked against figures worked by hand."""

from __future__ import annotations

import pytest

from logbert.errors import LogbertError
from logbert.evaluation.metrics import PARTIAL_SCORE, category_metrics


def test_multiclass_figures():
    true = [[], [], ["A"], ["A"], ["B"]]
    predicted = [[], ["A"], ["A"], ["B"], ["B"]]
    m = category_metrics(true, predicted, "multiclass", training_classes=["A", "B", "normal"])
    assert m["classes"] == ["A", "B", "normal"]
    assert m["accuracy"] == pytest.approx(3 / 5) == m["exact_match_ratio"]
    # A: tp 1, fp 1, fn 1; B: tp 1, fp 1, fn 0; normal: tp 1, fp 0, fn 1
    assert m["per_class"]["A"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert m["per_class"]["B"]["f1"] == pytest.approx(2 / 3)
    assert m["per_class"]["normal"]["recall"] == pytest.approx(0.5)
    assert m["macro_f1"] == pytest.approx((0.5 + 2 / 3 + 2 / 3) / 3)
    assert m["micro_f1"] == pytest.approx(3 / 5)  # single-label: micro F1 = accuracy
    assert m["confusion_matrix"] == {
        "labels": ["A", "B", "normal"],
        "matrix": [[1, 1, 0], [0, 1, 0], [1, 0, 1]],
    }
    assert m["partial_score"] == pytest.approx(3 / 5)
    assert m["unseen_in_training"] == {"n_sessions": 0, "categories": {}}


def test_multilabel_figures_and_the_partial_score():
    true = [["A", "B"], ["A"], [], ["B"]]
    predicted = [["A"], ["A"], [], ["A", "B"]]
    m = category_metrics(true, predicted, "multilabel", training_classes=["A", "B"])
    assert m["classes"] == ["A", "B"]
    # per session |P ∩ T| / |P ∪ T|: 1/2, 1, 1 (both empty), 1/2
    assert m["partial_score"] == pytest.approx((0.5 + 1 + 1 + 0.5) / 4)
    assert m["exact_match_ratio"] == pytest.approx(2 / 4) == m["accuracy"]
    assert m["hamming_loss"] == pytest.approx(2 / 8)
    assert m["confusion_matrix"] == {
        "A": {"tn": 1, "fp": 1, "fn": 0, "tp": 2},
        "B": {"tn": 2, "fp": 0, "fn": 1, "tp": 1},
    }
    assert m["per_class"]["A"]["precision"] == pytest.approx(2 / 3)
    assert m["per_class"]["B"]["recall"] == pytest.approx(0.5)
    assert m["micro_f1"] == pytest.approx(2 * 3 / (2 * 3 + 1 + 1))
    assert m["partial_score_means"] == PARTIAL_SCORE
    assert "|predicted ∩ true| / |predicted ∪ true|" in PARTIAL_SCORE
    assert "two empty sets score 1" in PARTIAL_SCORE


def test_a_category_never_seen_in_training_is_counted_not_refused():
    true = [["C"], ["A", "C"], ["A"], []]
    predicted = [["A"], ["A"], ["A"], []]
    m = category_metrics(true, predicted, "multilabel", training_classes=["A"])
    assert m["unseen_in_training"] == {"n_sessions": 2, "categories": {"C": 2}}
    assert m["per_class"]["C"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 2}
    multi = category_metrics([["C"], []], [["A"], []], "multiclass", ["A", "normal"])
    assert multi["unseen_in_training"]["categories"] == {"C": 1}
    assert "C" in multi["classes"]


def test_all_normal_everywhere_is_perfect_not_an_error():
    m = category_metrics([[], []], [[], []], "multilabel", validation_loss=0.25)
    assert (m["macro_f1"], m["partial_score"], m["exact_match_ratio"]) == (1.0, 1.0, 1.0)
    assert m["validation_loss"] == 0.25 and "unseen_in_training" not in m


def test_bad_calls_are_clear_errors():
    with pytest.raises(LogbertError, match="2 true category lists for 1 predictions"):
        category_metrics([[], []], [[]], "multilabel")
    with pytest.raises(LogbertError, match="no sessions"):
        category_metrics([], [], "multiclass")
    with pytest.raises(LogbertError, match="multiclass or multilabel target"):
        category_metrics([[]], [[]], "binary")


@pytest.mark.parametrize("target", ["multiclass", "multilabel"])
def test_a_class_neither_true_nor_predicted_has_no_figures_and_no_weight(target):
    """QA (BGL): APPREAD, known from training only, showed F1 0.0000 and pulled the macro
    average down (0.815 -> 0.7525)."""
    true = [["A"], ["B"], [], []]
    predicted = [["A"], ["B"], [], ["A"]]
    with_known = category_metrics(true, predicted, target, training_classes=["A", "B", "C"])
    without = category_metrics(true, predicted, target, training_classes=["A", "B"])
    assert with_known["per_class"]["C"] == {
        "precision": None, "recall": None, "f1": None, "support": 0
    }  # fmt: skip
    assert with_known["macro_f1"] == without["macro_f1"] > 0
