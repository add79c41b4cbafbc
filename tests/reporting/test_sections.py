"""What the report shows for histories, undefined metrics, thresholds outside the scores and
the training record."""

import json

import numpy as np

from logbert.reporting.context import metric_value
from logbert.reporting.html import fmt
from logbert.reporting.inputs import loss_history
from logbert.reporting.report import build_report
from logbert.reporting.sections import threshold_text, training_facts


def test_text_classifier_epoch_loss_becomes_a_curve_per_epoch(report_inputs, tmp_path):
    paths = report_inputs()
    losses = [0.68 * 0.6**i for i in range(12)]
    (paths["model"] / "history.json").write_text(json.dumps({"epoch_loss": losses}))
    result = build_report(paths["model"], tmp_path / "r.html")
    html = result.html_path.read_text()
    assert "training_loss" in [p.stem for p in result.figure_paths]
    assert "records no loss" not in html and "Training" not in result.missing
    assert "training loss per epoch went" in html
    assert "epoch_loss" not in html  # drawn, not dumped into the training-data table


def test_loss_history_shapes():
    assert loss_history({"epoch_loss": [0.5, 0.25], "note": 1}) == {
        "note": 1,
        "epochs": [{"epoch": 1, "train_loss": 0.5}, {"epoch": 2, "train_loss": 0.25}],
    }
    logbert = {"steps": [{"step": 1, "loss": 2.0}], "epochs": [{"epoch": 1, "train_loss": 2.0}]}
    assert loss_history(logbert) == logbert  # LogBERT's and DeepLog's shape is kept as is
    assert loss_history({}) == {}


def test_evaluation_without_anomalies_shows_na_not_none(report_inputs, tmp_path):
    paths = report_inputs()
    evaluation = json.loads(paths["evaluation"].read_text())
    evaluation.update(n_anomalies=0, roc_auc=None, pr_auc=None, recall=0.0, f1=0.0)
    paths["evaluation"].write_text(json.dumps(evaluation))
    result = build_report(paths["model"], tmp_path / "r.html", evaluation=paths["evaluation"])
    html = result.html_path.read_text()
    assert "None" not in html
    assert "<td>ROC-AUC</td><td>n/a (no anomalies)</td>" in html
    assert "<td>F1</td><td>n/a (no anomalies)</td>" in html


def test_metric_value_says_why_a_metric_is_undefined():
    none_flagged = {"n_sessions": 5, "n_anomalies": 2, "precision": 0.0,
                    "confusion_matrix": {"tp": 0, "fp": 0, "fn": 2, "tn": 3}}  # fmt: skip
    assert metric_value(none_flagged, "precision") == "n/a (nothing flagged)"
    all_anomalous = {"n_sessions": 3, "n_anomalies": 3, "roc_auc": None, "f1": 1.0}
    assert metric_value(all_anomalous, "roc_auc") == "n/a (no normal sessions)"
    assert metric_value(all_anomalous, "f1") == 1.0
    assert metric_value({"f1": "x"}, "f1") == "n/a"
    no_anomalies = {"n_sessions": 4, "n_anomalies": 0, "precision": None,
                    "confusion_matrix": {"tp": 0, "fp": 3, "fn": 0, "tn": 1}}  # fmt: skip
    assert metric_value(no_anomalies, "precision") == "n/a (no anomalies)"


def test_thresholds_outside_the_scores_are_said_in_words():
    scores = np.array([0.0, 0.5, 1.0])
    assert threshold_text(np.nextafter(0.0, -np.inf), scores) == (
        "below every score: flags every session"
    )
    assert threshold_text(1.0, scores) == "1: at or above every score, flags none"
    assert threshold_text(0.25, scores) == 0.25
    assert fmt(-0.0) == "0"
    assert fmt(12030.4) == "12,030" and fmt(5024.3) == "5024" and fmt(4.1e-05) == "4.1e-05"


def test_sweep_table_shows_below_every_score(report_inputs, tmp_path):
    """recall>=0.99 on scores whose lowest anomaly is the lowest score flags everything."""
    paths = report_inputs()
    rows = [dict(r) for r in paths["rows"]]
    rows[-1].update(score=0.0, is_anomaly=False)  # an anomaly scored lowest of all
    paths["scores"].write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = build_report(paths["model"], tmp_path / "r.html", scores=paths["scores"])
    html = result.html_path.read_text()
    assert "below every score: flags every session" in html and "e-324" not in html


def test_training_table_shows_one_count_of_left_out_anomalies(report_inputs, tmp_path):
    record = {"n_sessions": 4694, "n_anomalies_left_out": 0, "anomalies_left_out": 210}
    assert training_facts(record) == {"n_sessions": 4694, "anomalies_left_out": 210}
    assert training_facts({"n_anomalies_left_out": 3}) == {"n_anomalies_left_out": 3}
    assert training_facts(5) == {}
    paths = report_inputs()
    config = json.loads((paths["model"] / "config.json").read_text())
    config["training"].update(n_anomalies_left_out=0, anomalies_left_out=210)
    (paths["model"] / "config.json").write_text(json.dumps(config))
    html = build_report(paths["model"], tmp_path / "r.html").html_path.read_text()
    assert "<td>anomalies_left_out</td>" in html and "n_anomalies_left_out" not in html


def test_an_f1_that_is_n_a_on_one_side_only_is_a_disagreement():
    from logbert.reporting.headline import _differ

    assert _differ(0.5, None) and _differ(None, 0.5) and _differ(0.5, 0.6)
    assert not _differ(None, None) and not _differ(0.5, 0.5) and not _differ("x", 0.5)
