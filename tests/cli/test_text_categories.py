"""`--text` with categories: text records whose `output` names comma-separated categories train
a multi-label text classifier, and `logbert evaluate` prints its category metrics."""

from __future__ import annotations

import json

import yaml
from typer.testing import CliRunner

from logbert.cli.main import app

runner = CliRunner()

TEXTS = {
    "normal": [
        "backup of {} finished successfully",
        "user {} logged in",
        "health check passed on {}",
        "nightly report sent to {}",
    ],
    "disk": ["disk full on {}, writes failing", "no space left on device on {}"],
    "network": ["connection refused by database on {}", "network unreachable from {}"],
    "disk,network": ["disk full on {} and connection refused by database"],
}
HOSTS = ["web1", "web2", "db1", "cache3", "api7", "batch2"]


def records(hosts: list[str]) -> list[dict]:
    return [
        {"input": text.format(host), "output": output}
        for output, texts in TEXTS.items()
        for text in texts
        for host in hosts
    ]


def invoke(*args) -> object:
    return runner.invoke(app, [str(a) for a in args])


def test_multilabel_text_records_train_and_evaluate_with_category_metrics(tmp_path):
    (tmp_path / "train.jsonl").write_text("\n".join(json.dumps(r) for r in records(HOSTS[:4])))
    (tmp_path / "test.jsonl").write_text("\n".join(json.dumps(r) for r in records(HOSTS[4:])))
    config = {"target": "multilabel", "encoding": "template-pool", "epochs": 80, "batch_size": 8}
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    model = tmp_path / "model"
    result = invoke("train", tmp_path / "train.jsonl", "--text", "--model", "text-classifier",
                    "--config", tmp_path / "config.yaml", "-o", model)  # fmt: skip
    assert result.exit_code == 0, result.output
    saved = json.loads((model / "classes.json").read_text())
    assert saved["target"] == "multilabel" and saved["classes"] == ["disk", "network"]

    out = tmp_path / "eval.json"
    result = invoke("evaluate", model, tmp_path / "test.jsonl", "--text", "-o", out)
    assert result.exit_code == 0, result.output
    metrics = json.loads(out.read_text())
    category = metrics["categories"]
    assert category["target"] == "multilabel" and category["classes"] == ["disk", "network"]
    assert category["n_sessions"] == len(records(HOSTS[4:]))
    assert category["macro_f1"] >= 0.8 and category["micro_f1"] >= 0.8  # texts unseen in training
    assert metrics["f1"] >= 0.8
    for text in ("macro F1", "micro F1", "Per class"):
        assert text in result.output
