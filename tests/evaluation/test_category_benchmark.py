"""The category protocols of `logbert benchmark` (adfa-types, bgl-2k-categories) on real data."""

from __future__ import annotations

from collections import Counter

import pytest

from logbert.errors import LogbertError
from logbert.evaluation.benchmark import markdown, resolve_models, resolve_protocols, run_protocol
from logbert.evaluation.category_benchmark import SUPERVISED, run_labelled_protocol
from logbert.evaluation.protocols import protocol_adfa_types, protocol_bgl_2k_categories


def test_category_protocols_are_named_but_not_part_of_all():
    assert resolve_protocols("adfa-types") == ["adfa-types"]
    assert "adfa-types" not in resolve_protocols("all")
    assert resolve_models("all", ["adfa-types"]) == [*SUPERVISED, "ngram"]
    assert resolve_models("all", ["bgl-2k-categories"]) == [*SUPERVISED, "new-event"]
    assert resolve_models("knn,pca", ["adfa-types"]) == ["knn", "pca"]
    with pytest.raises(LogbertError, match="learn from labelled anomalies"):
        resolve_models("knn", ["adfa"])  # the binary protocols still refuse them
    with pytest.raises(LogbertError, match="unknown model"):
        resolve_models("nope", ["adfa-types"])


def test_category_protocols_refuse_options_they_would_ignore(tmp_path):
    with pytest.raises(LogbertError, match="leave out --seeds"):
        run_protocol("adfa-types", ["knn"], tmp_path, tmp_path, seeds=[0, 1])


def test_adfa_types_is_a_seeded_stratified_split_with_attack_types(data_dir):
    data = protocol_adfa_types(data_dir, None, seed=0)
    assert len(data.train) + len(data.test) == 4372 + 746
    train_types = Counter(s.categories[0] for s in data.train if s.categories)
    test_types = Counter(s.categories[0] for s in data.test if s.categories)
    assert set(train_types) == set(test_types) == set(data.info["attack_types"])
    assert all(abs(train_types[t] - test_types[t]) <= 1 for t in train_types)
    assert all(s.label == "anomaly" for s in data.train if s.categories)
    again = protocol_adfa_types(data_dir, None, seed=0)
    assert [s.session_id for s in again.test] == [s.session_id for s in data.test]
    other = protocol_adfa_types(data_dir, None, seed=1)
    assert [s.session_id for s in other.test] != [s.session_id for s in data.test]


@pytest.mark.slow
def test_bgl_2k_categories_trains_on_labelled_windows_and_reports_categories(data_dir, tmp_path):
    data = protocol_bgl_2k_categories(data_dir, tmp_path)
    assert data.info["target"] == "multilabel" and data.info["n_train_anomalies"] > 0
    assert any(s.categories for s in data.train)
    assert data.info["classes"]["KERNDTLB"]["train"] > 0
    result = run_labelled_protocol(
        "bgl-2k-categories", ["decision-tree", "new-event"], data_dir, tmp_path
    )
    tree, reference = result["rows"]
    assert tree["supervised"] and not reference["supervised"]
    assert tree["categories"]["target"] == "multilabel"
    assert tree["categories"]["unseen_in_training"]["n_sessions"] > 0  # e.g. KERNREC
    assert reference["categories"] is None and reference["metrics"]["f1"] >= 0
    assert tree["sessions_per_second"] > 0 and tree["train_seconds"] > 0
    text = markdown(result)
    assert "| decision-tree |" in text and "new-event (unsupervised reference)" in text
    assert "partial score" in text and "Per-class F1" in text
