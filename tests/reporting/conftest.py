"""Small, fully synthetic report inputs: a model directory, scores and evaluation results.

Log content carries HTML on purpose (`EVIL`) so every test also checks escaping.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from logbert.evaluation.metrics import detection_metrics

EVIL = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'
THRESHOLD = 1.5


def _history(epochs: int = 6, steps_per_epoch: int = 40) -> dict:
    rng = np.random.default_rng(0)
    steps, avg = [], None
    for step in range(1, epochs * steps_per_epoch + 1):
        loss = 3.0 * np.exp(-step / 60) + 0.2 + rng.normal(0, 0.05)
        avg = loss if avg is None else 0.9 * avg + 0.1 * loss
        steps.append({"step": step, "loss": float(loss), "avg": float(avg)})
    rows = [
        {
            "epoch": e,
            "train_loss": 3.0 * np.exp(-e * 40 / 60) + 0.2,
            "val_loss": 0.5 / e + 0.3,
            "seconds": 1.0,
        }
        for e in range(1, epochs + 1)
    ]
    return {"steps": steps, "epochs": rows, "best_epoch": epochs}


def _scores(n_normal: int = 200, n_anomaly: int = 20) -> list[dict]:
    rng = np.random.default_rng(1)
    normal = rng.lognormal(0.0, 0.3, n_normal)
    anomaly = rng.lognormal(1.0, 0.5, n_anomaly)
    rows = []
    for i, (score, label) in enumerate(
        [(s, "normal") for s in normal] + [(s, "anomaly") for s in anomaly]
    ):
        rows.append(
            {
                "session_id": f"blk_{i}" if i != n_normal else f"blk_{EVIL}",
                "score": float(score),
                "miss_ratio": 0.0,
                "is_anomaly": bool(score > THRESHOLD),
                "label": label,
                "top_events": [
                    {
                        "position": 2,
                        "key": 7,
                        "template": f"Unexpected {EVIL} <*>",
                        "surprise": 4.2,
                        "expected": [
                            {"key": 5, "template": "Receiving block <*> src: <*>", "prob": 0.91},
                            {"key": 9, "prob": 0.05},
                        ],
                    },
                    {
                        "position": 0,
                        "key": 5,
                        "template": "Receiving block <*> src: <*>",
                        "surprise": 0.3,
                        "expected": [{"key": 5, "prob": 0.74}],
                    },
                ],
            }
        )
    return rows


def write_inputs(
    directory: Path, history: bool = True, threshold: bool = True, labels: bool = True
) -> dict:
    """Write the inputs under `directory`; returns their paths and the expected metrics."""
    model = directory / "model"
    model.mkdir(exist_ok=True)
    config = {
        "model": "logbert",
        "params": {"hidden": 64, "layers": 2, "note": EVIL},
        "training": {"data": "hdfs_train", "n_train": 4000, "n_validation": 855},
    }
    (model / "config.json").write_text(json.dumps(config))
    if history:
        (model / "history.json").write_text(json.dumps(_history()))
    if threshold:
        (model / "threshold.json").write_text(
            json.dumps(
                {
                    "value": THRESHOLD,
                    "rule": "mean+2std",
                    "score": "score",
                    "source": "validation.parquet (855 normal sessions)",
                    "n_sessions": 855,
                    "n_anomalies": 0,
                }
            )
        )
    rows = _scores()
    if not labels:
        for row in rows:
            row.pop("label")
    scores = directory / "scores.jsonl"
    scores.write_text("".join(json.dumps(r) + "\n" for r in rows))
    labels_arr = [int(r.get("label") == "anomaly") for r in rows]
    metrics = detection_metrics(labels_arr, [r["score"] for r in rows], THRESHOLD)
    metrics["threshold_info"] = (
        json.loads((model / "threshold.json").read_text()) if threshold else None
    )
    evaluation = directory / "evaluation_results.json"
    evaluation.write_text(json.dumps(metrics))
    sessions = directory / "sessions.jsonl"
    sessions.write_text(
        "".join(
            json.dumps({"session_id": r["session_id"], "keys": [5, 5, 7, 9]}) + "\n" for r in rows
        )
    )
    return {
        "model": model,
        "scores": scores,
        "evaluation": evaluation,
        "sessions": sessions,
        "metrics": metrics,
        "rows": rows,
    }


@pytest.fixture
def report_inputs(tmp_path: Path):
    """A factory: `report_inputs(history=..., threshold=..., labels=...)` -> paths."""
    return lambda **options: write_inputs(tmp_path, **options)
