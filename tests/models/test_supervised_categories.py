"""Supervised detectors on category targets: multi-class and multi-label training, the anomaly
score they keep, category predictions, per-class thresholds, save/load, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from logbert.errors import LogbertError
from logbert.models.categories import calibrated
from logbert.models.registry import detector_class, load_detector
from logbert.sessions.batch import SessionBatch
from logbert.sessions.io import Session

NAMES = ["decision-tree", "knn", "logistic-regression", "random-forest"]


def toy(seed: int, target: str, n: int = 80) -> tuple[list[list[int]], list[list[str]]]:
    """Sessions of keys 1-5; category A adds key 6 three times, B adds key 7 three times, and
    (multi-label only) A+B adds both."""
    rng = np.random.default_rng(seed)
    kinds = [[], ["A"], ["B"]] + ([["A", "B"]] if target == "multilabel" else [])
    sessions, categories = [], []
    for i in range(n):
        keys = rng.permutation([1, 2, 3, 4, 5] + [4] * int(rng.integers(0, 2))).tolist()
        cats = kinds[i % len(kinds)] if i % 2 else []
        keys += [6] * 3 * ("A" in cats) + [7] * 3 * ("B" in cats)
        sessions.append(keys)
        categories.append(cats)
    return sessions, categories


def as_sessions(keys, categories) -> list[Session]:
    return [
        Session(f"s{i}", k, "anomaly" if c else "normal", categories=c)
        for i, (k, c) in enumerate(zip(keys, categories, strict=True))
    ]


@pytest.mark.parametrize("target", ["multiclass", "multilabel"])
@pytest.mark.parametrize("name", NAMES)
def test_categories_are_learnt_and_predicted(name, target, tmp_path):
    X, y = toy(0, target)
    X_test, y_test = toy(1, target)
    detector = detector_class(name)(target=target).fit(X, y)
    expected_classes = ["A", "B"] + (["normal"] if target == "multiclass" else [])
    assert detector.classes_.tolist() == expected_classes
    assert detector.predict_categories(X_test) == y_test
    scores = detector.decision_function(X_test)
    anomalous = np.array([bool(c) for c in y_test])
    assert scores.min() >= 0 and scores.max() <= 1
    assert scores[anomalous].min() > scores[~anomalous].max()  # still an anomaly score
    assert detector.predict(X_test).tolist() == anomalous.astype(int).tolist()
    assert detector.training_info_["target"] == target
    assert detector.get_params()["target"] == target and clone(detector).target == target
    loaded = load_detector(detector.save(tmp_path / name))
    assert np.array_equal(loaded.decision_function(X_test), scores)
    assert loaded.predict_categories(X_test) == y_test
    assert loaded.classes_.tolist() == expected_classes
    assert not any(p.suffix == ".pkl" for p in (tmp_path / name).iterdir())


@pytest.mark.parametrize("name", NAMES)
def test_categories_may_come_from_the_sessions_instead_of_y(name):
    X, y = toy(2, "multilabel")
    from_y = detector_class(name)(target="multilabel").fit(X, y)
    labels = [int(bool(c)) for c in y]  # what Pipeline.fit passes: binary y, categories in X
    from_x = detector_class(name)(target="multilabel").fit(as_sessions(X, y), labels)
    assert np.array_equal(from_y.decision_function(X), from_x.decision_function(X))
    assert from_y.predict_categories(X) == from_x.predict_categories(X)


def test_multiclass_score_is_one_minus_the_normal_probability():
    X, y = toy(3, "multiclass")
    detector = detector_class("logistic-regression")(target="multiclass").fit(X, y)
    probability = detector._class_probability(
        detector.weights_ * np.array([[X[0].count(k) for k in detector.vocab_] + [0]])
    )
    assert probability.sum() == pytest.approx(1.0)
    normal = detector.classes_.tolist().index("normal")
    assert detector.decision_function([X[0]])[0] == pytest.approx(1 - probability[0, normal])


def test_a_session_not_flagged_has_no_categories_and_a_key_never_seen_is_flagged():
    X, y = toy(4, "multiclass")
    detector = detector_class("decision-tree")(target="multiclass").fit(X, y)
    assert detector.predict_categories([[1, 2, 3, 4, 5]]) == [[]]
    assert detector.predict_categories([[1, 2, 3, 4, 5]], threshold=-1.0)[0] in (["A"], ["B"])
    unseen = [[1, 2, 99]]
    assert detector.decision_function(unseen)[0] == 1.0
    assert len(detector.predict_categories(unseen)[0]) == 1


def test_multilabel_thresholds_come_from_the_validation_split_or_say_in_sample():
    X, y = toy(5, "multilabel")
    val_X, val_y = toy(6, "multilabel", n=24)
    validation = as_sessions(val_X, val_y)
    detector = detector_class("logistic-regression")(target="multilabel")
    detector.fit(X, y, validation=validation)
    sources = detector.training_info_["class_threshold_sources"]
    assert sources == {"A": "validation sessions (24)", "B": "validation sessions (24)"}
    assert set(detector.training_info_["class_thresholds"]) == {"A", "B"}
    no_b = [s for s in validation if "B" not in s.categories]
    detector.fit(X, y, validation=no_b)
    sources = detector.training_info_["class_threshold_sources"]
    assert sources["A"].startswith("validation") and "in-sample" in sources["B"]


def test_calibrated_maps_each_threshold_onto_one_half():
    probability = np.array([[0.0, 0.2, 0.3, 0.9, 1.0]]).T.repeat(2, axis=1)
    out = calibrated(probability, np.array([0.2, 0.9]))
    assert out[:, 0].tolist() == pytest.approx([0.0, 0.5, 0.5625, 0.9375, 1.0])
    assert out[:, 1].tolist() == pytest.approx([0.0, 0.2 / 1.8, 0.3 / 1.8, 0.5, 1.0])
    assert np.all(np.diff(out, axis=0) >= 0)  # monotone
    assert calibrated(np.array([[0.0]]), np.array([-1e-9]))[0, 0] > 0.5  # 0 > t: predicted


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_multiclass_refuses_a_session_with_several_categories(name):
    X, y = toy(7, "multiclass")
    y[3] = ["A", "B"]
    sessions = as_sessions(X, y)
    with pytest.raises(LogbertError, match=r"session 's3' has 2 categories \(A, B\).*multilabel"):
        detector_class(name)(target="multiclass").fit(sessions, [int(bool(c)) for c in y])


@pytest.mark.parametrize("target", ["multiclass", "multilabel"])
def test_one_class_only_is_a_clear_error(target):
    X = [[1, 6, 6], [1, 6, 6, 6], [2, 6]]
    with pytest.raises(LogbertError, match="needs both normal and anomalous sessions; got only 3"):
        detector_class("knn")(target=target).fit(X, [["A"]] * 3)
    with pytest.raises(LogbertError, match="needs both normal and anomalous.*got only 3 normal"):
        detector_class("knn")(target=target).fit(X, [[]] * 3)


@pytest.mark.parametrize(
    ("y", "message"),
    [
        ([["A"], 5, []], r"session '1': 'labels' must be a list of category names.*not int 5"),
        (["A", {"A": 1}, "normal"], r"session '1': 'labels' must be a list.*not dict"),
        ([["A"], [["A", "B"]], []], r"session '1': 'labels' must hold category names"),
        ([["A"], {"A": 1}, []], r"session '1': 'labels' must be a list"),
        ([["A"], []], "2 category lists for 3 sessions"),
    ],
)
def test_category_targets_of_unknown_shapes_are_clear_errors(y, message):
    with pytest.raises(LogbertError, match=message):
        detector_class("decision-tree")(target="multilabel").fit([[1, 6], [1, 2], [1]], y)


def test_category_target_without_categories_says_where_they_come_from():
    with pytest.raises(LogbertError, match="needs categories: pass y as one list"):
        detector_class("knn")(target="multiclass").fit([[1], [2]], np.array([0, 1]))


def test_an_unknown_target_is_refused():
    with pytest.raises(LogbertError, match="target must be one of binary, multiclass"):
        detector_class("knn")(target="ordinal").fit([[1], [2]], [0, 1])


def test_binary_target_is_unchanged_and_predicts_anomaly_or_nothing():
    X, y = toy(8, "multiclass")
    labels = np.array([int(bool(c)) for c in y])
    detector = detector_class("random-forest")().fit(X, labels)
    assert detector.target == "binary" and detector.classes_.tolist() == ["normal", "anomaly"]
    predicted = detector.predict_categories(X)
    assert predicted == [["anomaly"] if f else [] for f in detector.predict(X)]


def test_a_binary_model_saved_before_categories_still_loads(tmp_path):
    X, y = toy(9, "multiclass")
    detector = detector_class("knn")().fit(X, [int(bool(c)) for c in y])
    detector.save(tmp_path)
    arrays = dict(np.load(tmp_path / "state.npz"))
    del arrays["classes"]
    np.savez(tmp_path / "state.npz", **arrays)
    loaded = load_detector(tmp_path)
    assert loaded.classes_.tolist() == ["normal", "anomaly"]
    assert np.array_equal(loaded.decision_function(X), detector.decision_function(X))


def test_a_batch_without_ids_names_sessions_by_position():
    X, y = toy(10, "multiclass")
    y[2] = ["A", "B"]
    with pytest.raises(LogbertError, match="session '2' has 2 categories"):
        detector_class("knn")(target="multiclass").fit(SessionBatch.from_keys(X), y)
