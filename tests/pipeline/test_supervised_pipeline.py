"""The bundle trains supervised detectors on both labels, with a stratified validation split
and a threshold calibrated on the validation labels; unlabelled or one-class data is refused."""

from __future__ import annotations

import pytest

from logbert.errors import LogbertError
from logbert.models.supervised import KNNDetector
from logbert.pipeline import Pipeline
from logbert.sessions.io import Session


def labelled(n_normal: int = 60, n_anomalous: int = 20) -> list[Session]:
    normal = [Session(f"n{i}", [1, 2, 3] * (1 + i % 3), "normal") for i in range(n_normal)]
    odd = [Session(f"a{i}", [1, 3, 3, 2][: 2 + i % 3], "anomaly") for i in range(n_anomalous)]
    return normal + odd


def test_supervised_detectors_learn_from_both_labels():
    pipeline = Pipeline(KNNDetector()).fit(labelled())
    assert pipeline.training_["anomalies_left_out"] == 0
    assert pipeline.training_["n_anomalous_trained_on"] == 20
    threshold = pipeline.threshold_
    assert threshold.rule == "best-f1" and threshold.n_anomalies == 2  # 10% of each label
    assert "validation split" in threshold.source
    rows = pipeline.score([Session("x", [1, 2, 3], "normal"), Session("y", [1, 3], "anomaly")])
    assert [r["is_anomaly"] for r in rows] == [False, True]
    assert all(0 < r["p_value"] <= 1 for r in rows)  # against normal validation scores only


def test_supervised_training_needs_labels_of_both_kinds():
    with pytest.raises(LogbertError, match="both normal and anomalous"):
        Pipeline(KNNDetector()).fit(labelled(n_anomalous=0))
    unlabelled = labelled() + [Session("u", [1, 2])]
    with pytest.raises(LogbertError, match=r"\b1 of \d+ sessions have no label"):
        Pipeline(KNNDetector()).fit(unlabelled)


def test_a_detector_that_reads_template_text_gets_the_template_set(monkeypatch):
    from logbert.models.supervised import DecisionTreeDetector

    seen = {}

    class Reader(DecisionTreeDetector):
        uses_templates = True

        def _fit(self, batch, validation, templates=None):
            seen["templates"] = templates
            return super()._fit(batch, validation)

    Pipeline(Reader()).fit(labelled(), template_set={"1": "Got <*>", "2": "Sent <*>"})
    assert seen["templates"] == {"1": "Got <*>", "2": "Sent <*>"}
