"""text-classifier with a category target: multi-class (softmax over the classes, `normal` one of
them) and multi-label (one sigmoid output per category, BCEWithLogitsLoss, a threshold per
class), on both encodings; the binary target unchanged. Tiny inline data, template-pool mostly."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.base import clone

from logbert.errors import LogbertError
from logbert.models.registry import load_detector
from logbert.models.text_classifier import TextClassifier, positive_weights, training_pairs
from logbert.sessions.io import Session

TEMPLATES = {
    1: "receiving block",
    2: "received block",
    3: "responder terminating",
    4: "block map updated",
    5: "verification succeeded",
    6: "disk full, write failed",
    7: "connection refused by peer",
}
NORMAL = [[1, 2, 3, 4], [1, 1, 2, 2, 3, 4], [1, 2, 3, 4, 5], [5, 1, 2, 3]]
DISK = [[1, 6, 3, 4], [1, 2, 6, 6], [6, 1, 2, 3, 5]]
NET = [[1, 7, 3, 4], [1, 2, 7, 7], [7, 1, 2, 3, 5]]
BOTH = [[1, 6, 7, 4], [6, 1, 2, 7, 5]]
POOL = {"encoding": "template-pool", "epochs": 60, "batch_size": 8}


def data(with_both: bool = False) -> tuple[list[list[int]], list[list[str]]]:
    X = NORMAL * 4 + DISK * 2 + NET * 2 + (BOTH * 2 if with_both else [])
    y = [[]] * 16 + [["disk"]] * 6 + [["net"]] * 6 + ([["disk", "net"]] * 4 if with_both else [])
    return X, y


def make(target: str, **params) -> TextClassifier:
    return TextClassifier(**{**POOL, "target": target, **params})


@pytest.fixture(scope="module")
def multiclass() -> TextClassifier:
    return make("multiclass").fit(*data(), templates=TEMPLATES)


@pytest.fixture(scope="module")
def multilabel() -> TextClassifier:
    return make("multilabel").fit(*data(), templates=TEMPLATES)


PROBE = [[1, 2, 3, 4, 4], [2, 6, 3], [2, 7, 3], [1, 2, 3, 5, 5]]
PROBE_CATEGORIES = [[], ["disk"], ["net"], []]


def test_multiclass_learns_separable_categories(multiclass):
    assert multiclass.classes_.tolist() == ["disk", "net", "normal"]
    assert multiclass.predict_categories(PROBE) == PROBE_CATEGORIES
    X, y = data()
    assert multiclass.predict_categories(X) == y
    scores = multiclass.decision_function(X)
    anomalous = np.array([bool(c) for c in y])
    assert scores[anomalous].min() > scores[~anomalous].max()
    assert multiclass.predict(X).tolist() == anomalous.astype(int).tolist()
    # the anomaly score is 1 - P(normal); the class probabilities sum to 1
    probability = multiclass._class_probability([np.array(k) for k in PROBE])
    np.testing.assert_allclose(probability.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(multiclass.decision_function(PROBE), 1.0 - probability[:, 2])
    info = multiclass.training_info_
    assert info["target"] == "multiclass" and info["classes"] == ["disk", "net", "normal"]
    assert info["class_counts"] == {"disk": 6, "net": 6, "normal": 16}
    assert info["n_distinct_training_pairs"] == len(NORMAL) + len(DISK) + len(NET)


def test_multilabel_learns_independent_categories_and_predicts_both(multilabel):
    assert multilabel.classes_.tolist() == ["disk", "net"]
    assert multilabel.predict_categories(PROBE) == PROBE_CATEGORIES
    # never trained on a session holding both signs: each output learnt on its own
    assert multilabel.predict_categories([[1, 6, 2, 7, 3]]) == [["disk", "net"]]
    probability = multilabel._class_probability([np.array([1, 6, 2, 7, 3])])
    assert probability.shape == (1, 2) and (probability > 0.5).all()  # sigmoids, not a softmax
    scores = multilabel.decision_function(PROBE)
    assert scores[[1, 2]].min() > scores[[0, 3]].max()
    assert multilabel.history_["epoch_loss"][-1] < multilabel.history_["epoch_loss"][0]


def test_multilabel_thresholds_per_class_from_validation_or_in_sample(multilabel):
    info = multilabel.training_info_
    assert set(info["class_thresholds"]) == {"disk", "net"}
    assert all("in-sample" in s for s in info["class_threshold_sources"].values())
    np.testing.assert_array_equal(
        multilabel.class_thresholds_, [info["class_thresholds"][c] for c in ("disk", "net")]
    )
    validation = [
        Session(f"v{i}", keys, "anomaly" if cats else "normal", categories=cats)
        for i, (keys, cats) in enumerate(
            [(NORMAL[0], []), (NORMAL[1], []), (DISK[0], ["disk"]), (BOTH[0], ["disk", "net"])]
        )
    ]
    detector = make("multilabel").fit(*data(), validation=validation, templates=TEMPLATES)
    sources = detector.training_info_["class_threshold_sources"]
    assert sources["disk"] == "validation sessions (4)" and sources["net"].startswith("validation")
    lacking_net = validation[:3]
    detector = make("multilabel").fit(*data(), validation=lacking_net, templates=TEMPLATES)
    sources = detector.training_info_["class_threshold_sources"]
    assert sources["disk"] == "validation sessions (3)" and "in-sample" in sources["net"]
    assert "labelled validation sessions given to fit (3" in detector.threshold_.source


@pytest.mark.parametrize("target", ["multiclass", "multilabel"])
def test_save_load_round_trip_gives_identical_scores_and_categories(
    target, multiclass, multilabel, tmp_path
):
    detector = multiclass if target == "multiclass" else multilabel
    probe = [*PROBE, [1, 6, 2, 7, 3], [1, 99], []]
    detector.save(tmp_path / "model")
    classes = json.loads((tmp_path / "model" / "classes.json").read_text())
    assert classes["target"] == target and classes["classes"] == detector.classes_.tolist()
    assert ("class_thresholds" in classes) == (target == "multilabel")
    assert not any(p.suffix in (".pkl", ".pickle") for p in (tmp_path / "model").iterdir())
    loaded = load_detector(tmp_path / "model")
    assert loaded.get_params() == detector.get_params() and loaded.target == target
    assert loaded.classes_.tolist() == detector.classes_.tolist()
    np.testing.assert_array_equal(
        loaded.decision_function(probe), detector.decision_function(probe)
    )
    assert loaded.predict_categories(probe) == detector.predict_categories(probe)
    if target == "multilabel":
        np.testing.assert_array_equal(loaded.class_thresholds_, detector.class_thresholds_)


def test_a_saved_category_model_with_a_bad_classes_file_is_a_clear_error(multilabel, tmp_path):
    multilabel.save(tmp_path / "model")
    path = tmp_path / "model" / "classes.json"
    saved = json.loads(path.read_text())
    path.write_text(json.dumps({**saved, "class_thresholds": [0.5]}))
    with pytest.raises(LogbertError, match="classes.json is corrupt.*1 class thresholds"):
        load_detector(tmp_path / "model")
    path.unlink()
    with pytest.raises(LogbertError, match="classes.json is missing"):
        load_detector(tmp_path / "model")


def test_binary_is_unchanged_and_an_old_model_without_classes_loads_as_binary(tmp_path):
    X, y = data()
    labels = np.array([int(bool(c)) for c in y])
    detector = TextClassifier(**POOL).fit(X, labels, templates=TEMPLATES)
    assert detector.target == "binary" and detector.classes_.tolist() == ["normal", "anomaly"]
    assert "target" not in detector.training_info_
    predicted = detector.predict_categories(X)
    assert predicted == [["anomaly"] if f else [] for f in detector.predict(X)]
    detector.save(tmp_path / "model")
    (tmp_path / "model" / "classes.json").unlink()  # the layout before category targets
    config = json.loads((tmp_path / "model" / "config.json").read_text())
    del config["params"]["target"]
    (tmp_path / "model" / "config.json").write_text(json.dumps(config))
    loaded = load_detector(tmp_path / "model")
    assert loaded.target == "binary" and loaded.classes_.tolist() == ["normal", "anomaly"]
    np.testing.assert_array_equal(loaded.decision_function(X), detector.decision_function(X))


def test_categories_may_come_from_the_sessions(multilabel):
    X, y = data()
    sessions = [
        Session(f"s{i}", keys, "anomaly" if cats else "normal", categories=cats)
        for i, (keys, cats) in enumerate(zip(X, y, strict=True))
    ]
    labels = [int(bool(c)) for c in y]  # what Pipeline.fit passes
    from_x = make("multilabel").fit(sessions, labels, templates=TEMPLATES)
    np.testing.assert_array_equal(from_x.decision_function(X), multilabel.decision_function(X))


def test_session_text_encoding_takes_the_targets_too():
    params = {
        "encoding": "session-text", "max_length": 32, "epochs": 30, "batch_size": 8,
        "freeze_encoder_layers": 6, "learning_rate": 1e-2,
    }  # fmt: skip
    for target, (X, y) in (("multiclass", data()), ("multilabel", data(with_both=True))):
        detector = TextClassifier(target=target, **params).fit(X, y, templates=TEMPLATES)
        assert detector.predict_categories(X) == y
        assert detector.model_.head.out_features == detector.classes_.size


def test_clone_params_and_bad_target():
    detector = make("multilabel", seed=2)
    assert detector.get_params()["target"] == "multilabel"
    assert clone(detector).get_params() == detector.get_params()
    assert TextClassifier().target == "binary"
    with pytest.raises(LogbertError, match="text-classifier: target must be one of binary, multic"):
        make("ordinal").fit(*data(), templates=TEMPLATES)


@pytest.mark.parametrize("target", ["multiclass", "multilabel"])
def test_one_class_only_is_a_clear_error(target):
    X = DISK * 3
    with pytest.raises(LogbertError, match="needs both normal and anomalous sessions; got only 9"):
        make(target).fit(X, [["disk"]] * 9, templates=TEMPLATES)
    with pytest.raises(LogbertError, match="got only 9 normal"):
        make(target).fit(X, [[]] * 9, templates=TEMPLATES)
    with pytest.raises(LogbertError, match="needs categories"):
        make(target).fit(X, np.array([0, 1] * 4 + [0]), templates=TEMPLATES)


def test_training_pairs_are_distinct_sequence_target_pairs():
    keys = [np.array([1, 2]), np.array([1, 2]), np.array([1, 2]), np.array([3])]
    # multiclass: one sequence with two classes is two pairs; balanced over the 3 classes
    sequences, targets, weights = training_pairs(keys, np.array([2, 2, 0, 1]), "balanced", 3)
    assert [s.tolist() for s in sequences] == [[1, 2], [1, 2], [3]]
    assert targets.tolist() == [2, 0, 1]
    class_weight = np.array([4 / 3, 4 / 3, 4 / 6])  # n / (3 n_class)
    raw = np.array([2, 1, 1]) * class_weight[[2, 0, 1]]
    np.testing.assert_allclose(weights, raw / raw.sum() * 3)
    # multilabel: indicator rows; weights are the session counts (balanced in the loss)
    rows = np.array([[1, 0], [1, 0], [1, 1], [0, 0]])
    sequences, targets, weights = training_pairs(keys, rows, "balanced", 2)
    assert targets.tolist() == [[1, 0], [1, 1], [0, 0]]
    np.testing.assert_allclose(weights, np.array([2, 1, 1]) / 4 * 3)
    np.testing.assert_allclose(positive_weights(rows), [1 / 3, 3 / 1])
