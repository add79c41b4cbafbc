"""`--text`: train, evaluate and score the text classifier on plain labelled text records."""

from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner

from logbert.cli.main import app
from logbert.errors import LogbertError

runner = CliRunner()

NORMAL = [
    "backup of {} finished successfully",
    "user {} logged in",
    "health check passed on {}",
    "certificate renewed for {}",
    "nightly report sent to {}",
]
ANOMALY = [
    "disk full on {}, writes failing",
    "out of memory: killed process on {}",
    "connection refused by database on {}",
    "kernel panic on {}",
]
HOSTS = ["web1", "web2", "db1", "cache3", "api7", "batch2"]


def records(hosts: list[str]) -> list[dict]:
    out = [{"input": t.format(h), "output": "normal"} for t in NORMAL for h in hosts]
    out += [{"input": t.format(h), "output": "anomaly"} for t in ANOMALY for h in hosts]
    return out


def invoke(*args) -> object:
    return runner.invoke(app, [str(a) for a in args])


def user_error(result) -> str:
    assert isinstance(result.exception, LogbertError), result.output
    return str(result.exception)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("text")
    (root / "train.jsonl").write_text("\n".join(json.dumps(r) for r in records(HOSTS[:4])))
    (root / "test.json").write_text(json.dumps(records(HOSTS[4:])))  # texts unseen in training
    config = {"encoding": "template-pool", "epochs": 80, "batch_size": 8}
    (root / "config.yaml").write_text(yaml.safe_dump(config))
    result = invoke("train", root / "train.jsonl", "--text", "--model", "text-classifier",
                    "--config", root / "config.yaml", "-o", root / "model")  # fmt: skip
    assert result.exit_code == 0, result.output
    return root


def test_train_and_evaluate_on_text_records(trained):
    pipeline = json.loads((trained / "model" / "pipeline.json").read_text())
    assert len(pipeline["template_set"]) == len(records(HOSTS[:4]))  # one text, one template
    out = trained / "eval.json"
    result = invoke("evaluate", trained / "model", trained / "test.json", "--text", "-o", out)
    assert result.exit_code == 0, result.output
    metrics = json.loads(out.read_text())
    assert metrics["n_sessions"] == len(records(HOSTS[4:])) and metrics["n_anomalies"] == 8
    # every test text is new: the model reads it, it does not see an unknown key
    assert metrics["roc_auc"] > 0.9 and metrics["f1"] >= 0.8
    assert metrics["training_overlap"]["in_training"] == 0


def test_score_text_records_without_labels(trained):
    (trained / "new.jsonl").write_text(
        json.dumps({"input": "disk full on web9, writes failing"}) + "\n"
        + json.dumps({"input": "backup of web9 finished successfully", "id": "b9"}) + "\n"
    )  # fmt: skip
    out = trained / "scores.jsonl"
    result = invoke("score", trained / "model", trained / "new.jsonl", "--text", "-o", out)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["session_id"] for r in rows] == ["1", "b9"]
    assert rows[0]["score"] > rows[1]["score"]


def test_text_with_a_model_that_does_not_read_text_is_refused(trained, tmp_path):
    result = invoke("train", trained / "train.jsonl", "--text", "--model", "knn",
                    "-o", tmp_path / "m")  # fmt: skip
    assert "--text needs a detector that reads the text" in user_error(result)
    assert not (tmp_path / "m").exists()
    result = invoke("train", trained / "train.jsonl", "--text", "--logs", "--model",
                    "text-classifier", "-o", tmp_path / "m")  # fmt: skip
    assert "--logs cannot be combined with --text" in user_error(result)


def test_bad_records_stop_training_naming_the_line(trained, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"input": "a", "output": "normal"}\n{"input": "b", "output": ""}\n')
    result = invoke("train", bad, "--text", "--model", "text-classifier", "-o", tmp_path / "m")
    assert f'{bad}, line 2: empty "output"' in user_error(result)
    result = invoke("evaluate", trained / "model", bad, "--text", "-o", tmp_path / "e.json")
    assert 'line 2: empty "output"' in user_error(result)
