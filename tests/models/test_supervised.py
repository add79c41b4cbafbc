"""Behaviour of the supervised count-vector detectors (knn, trees, forest, logistic regression)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.tree import DecisionTreeClassifier

from logbert.errors import LogbertError
from logbert.models.count_vectors import count_matrix
from logbert.models.registry import detector_class, load_detector
from logbert.models.supervised import node_probability
from logbert.models.tree_arrays import flatten_trees, tree_leaves
from logbert.sessions.batch import SessionBatch
from logbert.sessions.io import Session

NAMES = ["decision-tree", "knn", "logistic-regression", "random-forest"]


def toy(seed: int, n: int = 60) -> tuple[list[list[int]], np.ndarray]:
    """Separable sessions: keys 1-5 in any order (key 4 once or twice); anomalous ones add an
    error event (key 6) three or four times."""
    rng = np.random.default_rng(seed)
    sessions, labels = [], []
    for i in range(n):
        keys = rng.permutation([1, 2, 3, 4, 5] + [4] * int(rng.integers(0, 2))).tolist()
        anomalous = i % 5 == 0
        if anomalous:
            keys += [6] * int(rng.integers(3, 5))
        sessions.append(keys)
        labels.append(int(anomalous))
    return sessions, np.array(labels)


@pytest.mark.parametrize("tfidf", [False, True])
@pytest.mark.parametrize("name", NAMES)
def test_separable_data_is_ranked_perfectly(name, tfidf):
    X, y = toy(0)
    test, truth = toy(1)
    detector = detector_class(name)(tfidf=tfidf).fit(X, y)
    scores = detector.decision_function(test)
    assert roc_auc_score(truth, scores) == 1.0
    assert detector.predict(test).tolist() == truth.tolist()


@pytest.mark.parametrize("name", NAMES)
def test_a_key_never_seen_in_training_scores_as_anomalous(name):
    X, y = toy(0)
    normal = [1, 2, 3, 4, 5]
    flagged = detector_class(name)().fit(X, y).decision_function([normal, normal + [42]])
    assert flagged[1] == 1.0 > flagged[0]
    plain = detector_class(name)(flag_unseen=False).fit(X, y)
    # without the flag the classifier alone judges; the unseen key is not a feature it learnt
    assert plain.decision_function([normal + [42]])[0] < 1.0 or name == "knn"


@pytest.mark.parametrize("tfidf", [False, True])
@pytest.mark.parametrize("name", NAMES)
def test_save_load_round_trip_gives_identical_scores(name, tfidf, tmp_path):
    X, y = toy(0)
    probe = toy(2)[0] + [[], [42, 1], [6] * 30]
    detector = detector_class(name)(tfidf=tfidf).fit(X, y)
    detector.save(tmp_path / "model")
    assert not list((tmp_path / "model").glob("*.pkl"))
    loaded = load_detector(tmp_path / "model")
    np.testing.assert_array_equal(
        loaded.decision_function(probe), detector.decision_function(probe)
    )
    assert loaded.threshold_ == detector.threshold_


def random_counts(seed: int, rows: int = 400, columns: int = 8) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    matrix = rng.poisson(2.0, size=(rows, columns)).astype(float)
    labels = (matrix[:, 0] + rng.normal(0, 1.5, rows) > 3).astype(int)  # noisy: deep trees
    return matrix, labels


def test_tree_export_equals_sklearn_predict_proba_on_random_data():
    matrix, labels = random_counts(0)
    rng = np.random.default_rng(1)
    probe = np.vstack([rng.normal(2, 2, size=(500, 8)), random_counts(2)[0]])  # floats too
    tree = DecisionTreeClassifier(class_weight="balanced", random_state=0).fit(matrix, labels)
    forest = RandomForestClassifier(n_estimators=20, class_weight="balanced", random_state=0).fit(
        matrix, labels
    )
    for model, estimators in ((tree, [tree]), (forest, forest.estimators_)):
        flat = flatten_trees([e.tree_ for e in estimators], node_values=node_probability)
        leaves, depths = tree_leaves(flat, probe)
        ours = flat["probability"][leaves].mean(axis=0)
        np.testing.assert_allclose(ours, model.predict_proba(probe)[:, 1], rtol=0, atol=1e-12)
        first = estimators[0]
        np.testing.assert_array_equal(leaves[0], first.apply(probe.astype(np.float32)))
        np.testing.assert_array_equal(
            depths[0],
            np.asarray(first.decision_path(probe.astype(np.float32)).sum(axis=1)).ravel() - 1,
        )


def sessions_of(matrix: np.ndarray) -> list[list[int]]:
    """Key sessions whose count vectors (vocabulary 0..columns-1) are the rows of `matrix`."""
    return [np.repeat(np.arange(matrix.shape[1]), row.astype(int)).tolist() for row in matrix]


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("decision-tree", DecisionTreeClassifier(class_weight="balanced", random_state=0)),
        (
            "random-forest",
            RandomForestClassifier(n_estimators=100, class_weight="balanced", random_state=0),
        ),
        ("logistic-regression", LogisticRegression(class_weight="balanced", max_iter=1000)),
    ],
)
def test_detectors_score_like_their_sklearn_model(name, model):
    matrix, labels = random_counts(0)
    matrix[:, :] = np.maximum(matrix, 1)  # every key occurs: the vocabulary is 0..7
    probe_matrix = random_counts(3)[0]
    detector = detector_class(name)().fit(sessions_of(matrix), labels)
    as_keys = [np.asarray(keys, dtype=np.int64) for keys in sessions_of(matrix)]
    expected = model.fit(count_matrix(np.arange(8), as_keys), labels)
    probe = np.hstack([probe_matrix, np.zeros((probe_matrix.shape[0], 1))])  # + unseen column
    np.testing.assert_allclose(
        detector.decision_function(sessions_of(probe_matrix)),
        expected.predict_proba(probe)[:, 1],
        rtol=1e-9,
        atol=1e-12,
    )


@pytest.mark.parametrize("weights", ["uniform", "distance"])
def test_knn_scores_the_share_of_anomalous_neighbours(weights):
    X = [[1]] * 3 + [[1, 1, 1, 1]] * 2 + [[1] * 10] * 5
    y = [0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    detector = detector_class("knn")(n_neighbors=3, weights=weights).fit(X, y)
    scores = detector.decision_function([[1], [1, 1, 1, 1], [1, 1, 1, 1, 1]])
    assert scores[0] == 0.0 and scores[1] >= 2 / 3
    if weights == "uniform":
        assert scores.tolist() == pytest.approx([0.0, 2 / 3, 2 / 3])
    else:  # exact matches outweigh everything: [1,1,1,1] has two anomalous twins
        assert scores[1] == 1.0
    # fewer training sessions than n_neighbors: all of them are the neighbours
    small = detector_class("knn")(n_neighbors=50).fit([[1], [2]], [0, 1])
    assert small.decision_function([[1]])[0] == pytest.approx(0.5)


def test_threshold_is_calibrated_on_labelled_validation_else_in_sample():
    X, y = toy(0)
    val_keys, val_labels = toy(4, n=20)
    sessions = [
        Session(session_id=str(i), keys=k, label="anomaly" if lab else "normal")
        for i, (k, lab) in enumerate(zip(val_keys, val_labels, strict=True))
    ]
    detector = detector_class("decision-tree")()
    assert detector.fit(X, y, validation=sessions).threshold_.rule == "best-f1"
    assert (
        detector.threshold_.source == "labelled validation sessions given to fit (20, 4 anomalous)"
    )
    batch = SessionBatch.from_sessions(sessions)
    unknown = SessionBatch(batch.keys, batch.is_open, labels=np.where(val_labels == 1, 1, -1))
    source = detector.fit(X, y, validation=unknown).threshold_.source
    assert source.startswith("training sessions (in-sample on their labels, 60, 12 anomalous")
    assert "the 4 labelled validation sessions are not both normal and anomalous" in source
    assert "have no labels" in detector.fit(X, y, validation=val_keys).threshold_.source
    # calibrate takes labels from labelled sessions; a key list without labels is refused
    assert detector.calibrate(sessions).n_anomalies == 4
    with pytest.raises(LogbertError, match="needs labelled sessions with both normal and"):
        detector.calibrate(val_keys)
    assert detector.calibrate(val_keys, rule="max").rule == "max"


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("decision-tree", {"class_weight": "heavy"}, "class_weight must be"),
        ("decision-tree", {"max_depth": 0}, "max_depth must be"),
        ("random-forest", {"n_estimators": 0}, "n_estimators must be"),
        ("logistic-regression", {"C": 0}, "C must be positive"),
        ("knn", {"n_neighbors": 0}, "n_neighbors must be"),
        ("knn", {"weights": "cubic"}, "weights must be one of"),
        ("knn", {"metric": "hamming"}, "metric must be one of"),
        ("knn", {"tfidf": "yes"}, "tfidf must be true or false"),
    ],
)
def test_bad_parameters_are_clear_errors(name, params, message):
    X, y = toy(0)
    with pytest.raises(LogbertError, match=message):
        detector_class(name)(**params).fit(X, y)
