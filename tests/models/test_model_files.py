"""Reading what a user hands over as a model directory: every broken file is one clear
`LogbertError` naming it (models/checks.py readers, `read_config`, `Detector.load`,
`load_detector`), and library text never advises loading unsafely or fills a screen."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
import torch

from logbert.errors import LogbertError
from logbert.models.base import read_config
from logbert.models.checks import (
    NOT_PLAIN_DATA,
    corrupt_file,
    read_arrays,
    read_json,
    readable_load_error,
    safe_load_message,
)
from logbert.models.ngram import NgramDetector
from logbert.models.registry import load_detector

NORMAL = [[1, 2, 3, 4], [1, 2, 4], [1, 3, 4]] * 4


@pytest.fixture
def ngram_dir(tmp_path):
    return NgramDetector().fit(NORMAL).save(tmp_path / "model")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"garbage\x00\xff{", r"x.json is corrupt \(not UTF-8 text"),
        (b"{", r"x.json is corrupt \(not valid JSON"),
        (b"[1]", r"x.json is corrupt \(expected a JSON object, found list\); do this"),
    ],
)
def test_read_json_names_the_file_for_any_damage(tmp_path, content, message):
    (tmp_path / "x.json").write_bytes(content)
    with pytest.raises(LogbertError, match=message):
        read_json(tmp_path / "x.json", "do this", expect=dict)


def test_read_json_refuses_a_folder_and_a_missing_file(tmp_path):
    (tmp_path / "x.json").mkdir()
    with pytest.raises(LogbertError, match="x.json is a folder, not a file; retrain"):
        read_json(tmp_path / "x.json")
    with pytest.raises(LogbertError, match="y.json is missing; retrain"):
        read_json(tmp_path / "y.json")


def test_unsafe_loading_advice_is_replaced(tmp_path):
    (tmp_path / "a.npz").write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(LogbertError) as error:
        read_arrays(tmp_path / "a.npz")
    assert "allow_pickle" not in str(error.value) and NOT_PLAIN_DATA in str(error.value)
    torch_text = "Weights only load failed ... with `weights_only` set to `False` will succeed"
    assert safe_load_message(torch_text) == NOT_PLAIN_DATA
    assert "pickle.load" not in str(corrupt_file(tmp_path / "f", "use pickle.load() instead"))


def test_a_long_library_message_is_cut():
    text = safe_load_message("x" * 5000)
    assert len(text) < 400 and text.endswith("...")


def test_a_state_dict_mismatch_is_summed_up_with_counts_and_examples():
    small, big = (
        torch.nn.Sequential(torch.nn.Linear(2, 3)),
        torch.nn.Sequential(torch.nn.Linear(2, 5), torch.nn.Linear(5, 1), torch.nn.Linear(1, 1)),
    )
    with pytest.raises(RuntimeError) as error:
        small.load_state_dict(big.state_dict())
    text = safe_load_message(error.value)
    assert "4 unexpected weights (e.g. 1.weight, 1.bias, 2.weight, ... 1 more)" in text
    assert "2 weights of another shape (e.g. 0.weight: [5, 2] in the file, [3, 2]" in text
    assert "another size" in text and len(text) < 400
    wrapped = LogbertError(f"m/model.safetensors does not match config.json ({error.value})")
    wrapped.__cause__ = error.value
    readable = readable_load_error(wrapped)
    assert str(readable).startswith("m/model.safetensors does not match config.json (4 unexp")
    plain = LogbertError("nothing quoted")
    assert readable_load_error(plain) is plain


def test_a_file_given_as_model_directory_says_so(tmp_path):
    (tmp_path / "eval.jsonl").write_text("{}\n")
    with pytest.raises(LogbertError, match="is a file, not a model directory .the folder `log"):
        read_config(tmp_path / "eval.jsonl")
    with pytest.raises(LogbertError, match="is not a model directory .config.json is missing"):
        read_config(tmp_path)
    (tmp_path / "checkpoints").mkdir()  # QA Ceph: a training killed before it saved
    with pytest.raises(LogbertError, match="did not finish: run the same .logbert train. "
                                           "command with --resume"):  # fmt: skip
        read_config(tmp_path)


@pytest.mark.parametrize("name", ["config.json", "threshold.json"])
def test_non_utf8_model_json_is_an_error_naming_the_file(ngram_dir, name):
    (ngram_dir / name).write_bytes(b"garbage\x00\xff{")
    with pytest.raises(LogbertError, match=rf"{name} is corrupt \(not UTF-8"):
        load_detector(ngram_dir)


def test_a_non_utf8_history_is_named_in_a_load_warning_not_an_error(ngram_dir):
    (ngram_dir / "history.json").write_bytes(b"garbage\x00\xff{")
    detector = load_detector(ngram_dir)
    assert detector.history_ == {}
    assert "history.json is corrupt (not UTF-8" in detector.load_warnings_[0]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"params": {"n": "abc"}}, r"config.json: the ngram parameters are invalid \(ngram: n"),
        ({"params": {"bogus": 1}}, "config.json: the ngram parameters are invalid .*bogus"),
        ({"params": [1]}, "config.json is corrupt .'params' is a list"),
        ({"model": "bogus"}, "config.json: unknown model 'bogus'"),
        ({"model": None}, "config.json does not name its model"),
    ],
)
def test_hand_edited_config_is_refused_naming_config_json(ngram_dir, edit, message):
    config = json.loads((ngram_dir / "config.json").read_text())
    (ngram_dir / "config.json").write_text(json.dumps({**config, **edit}))
    with pytest.raises(LogbertError, match=message):
        load_detector(ngram_dir)


def test_the_loader_funnel_makes_quoted_library_text_safe(ngram_dir, monkeypatch):
    """Loaders that quote a library's error in their own message (models/logbert.py) get it
    made safe in `load_detector`, once for every detector."""
    cause = ValueError("load it unsafely using the `allow_pickle=` keyword")

    def broken(self, directory):
        raise LogbertError(f"{directory}/state.json is corrupt ({cause}); retrain") from cause

    monkeypatch.setattr(NgramDetector, "_load_state", broken)
    with pytest.raises(LogbertError) as error:
        load_detector(ngram_dir)
    assert "allow_pickle" not in str(error.value) and NOT_PLAIN_DATA in str(error.value)
    assert "state.json is corrupt" in str(error.value)


def test_an_intact_model_still_loads(ngram_dir):
    loaded = load_detector(ngram_dir)
    np.testing.assert_array_equal(loaded.predict(NORMAL), np.zeros(len(NORMAL)))
