"""A local decision score for sessions longer than one window, on the ADFA-LD dev split.

    .venv/bin/python benchmarks/adfa_dev_local.py [--threads 1] [--model-dir DIR] [--test]

Candidates and the adoption rule are pre-registered in
`benchmarks/results/adfa_dev_local_preregistration.md` (written before any run): statistics of
the per-position surprises LogBERT already computes (`mean` = today's `score`, `max` =
`max_surprise`, the mean of the k largest, the largest mean over w consecutive positions),
each thresholded by LogBERT's `max` rule on the normal validation traces, compared on the dev
split of `adfa_dev.py`. LogBERT is trained as `adfa_dev.py` trains it (defaults, seed 0, split
calibration); `--model-dir` keeps the trained model to score again without training. Without
`--test` only dev is scored. Writes benchmarks/results/adfa_dev_local.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import roc_auc_score

from adfa_dev import ROOT, split
from logbert.evaluation.benchmark import VALIDATION_FRACTION
from logbert.evaluation.datasets import datasets_dir
from logbert.evaluation.metrics import detection_metrics
from logbert.evaluation.protocols import ADFA_DIR, read_adfa
from logbert.models.inference import score_windows
from logbert.models.logbert import LogBERT
from logbert.models.vocab import pad
from logbert.pipeline import Pipeline
from logbert.scoring.thresholds import calibrate
from logbert.sessions.batch import SessionBatch
from logbert.sessions.io import Session

RESULTS = ROOT / "benchmarks" / "results"
TOP_K = (5, 10, 20)
WINDOWS = (10, 20, 40)
BATCH = 64


def position_surprises(detector: LogBERT, batch: SessionBatch) -> list[np.ndarray]:
    """Per session, the surprise of every scored position in order (END included), from the
    same windows and masking schedule as `LogBERT.score_sessions`."""
    out: list[list[np.ndarray]] = [[] for _ in range(len(batch))]
    for start in range(0, len(batch), BATCH):
        chunk = list(range(start, min(start + BATCH, len(batch))))
        sequences = [batch.keys[i] for i in chunk]
        unseen = detector._unseen_keys(sequences)
        owner, rows = [], []
        for i in chunk:
            windows = detector._token_windows(batch.keys[i], bool(batch.is_open[i]), unseen.tokens)
            for window in windows:
                owner.append(i)
                rows.append(window)
        result = score_windows(
            detector.model_, pad(rows), detector.mask_stride, detector.top_g,
            unseen_features=unseen.features, unseen_weights=unseen.weights,
        )  # fmt: skip
        for row, i in enumerate(owner):
            out[i].append(result.surprise[row][result.valid[row]])
    return [np.concatenate(parts) if parts else np.zeros(1) for parts in out]


def statistics(surprise: np.ndarray) -> dict[str, float]:
    """Every candidate statistic of one session's position surprises."""
    out = {"mean": float(surprise.mean()), "max": float(surprise.max())}
    ordered = np.sort(surprise)[::-1]
    for k in TOP_K:
        out[f"top{k}_mean"] = float(ordered[:k].mean())
    cumulative = np.concatenate([[0.0], np.cumsum(surprise, dtype=np.float64)])
    for w in WINDOWS:
        if len(surprise) <= w:
            out[f"window{w}_max"] = float(surprise.mean())
        else:
            out[f"window{w}_max"] = float(((cumulative[w:] - cumulative[:-w]) / w).max())
    return out


def table(detector: LogBERT, pipeline: Pipeline, sessions: list[Session]) -> dict[str, np.ndarray]:
    rows = [statistics(s) for s in position_surprises(detector, pipeline.batch(sessions))]
    return {name: np.array([r[name] for r in rows]) for name in rows[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--test", action="store_true", help="also score the test half (once)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    train, normal, attack, _ = read_adfa(datasets_dir(ROOT) / ADFA_DIR)
    parts = split(normal, attack)
    ids_file = args.model_dir / "validation_ids.json" if args.model_dir is not None else None
    if ids_file is not None and ids_file.exists():  # trained before: score again only
        pipeline = Pipeline.load(args.model_dir)
        wanted = set(json.loads(ids_file.read_text()))
        val_batch = pipeline.batch([s for s in train if s.session_id in wanted])
    else:
        pipeline = Pipeline(
            LogBERT(seed=0), validation_split=VALIDATION_FRACTION, calibration="split", seed=0
        )
        pipeline.fit(train, source="ADFA-LD train")
        val_batch = pipeline.validation_batch_
        if ids_file is not None:
            pipeline.save(args.model_dir)
            ids_file.write_text(json.dumps(list(val_batch.session_ids)))
    detector = pipeline.detector_
    val_rows = [statistics(s) for s in position_surprises(detector, val_batch)]
    thresholds = {
        name: calibrate(np.array([r[name] for r in val_rows]), "max") for name in val_rows[0]
    }
    result: dict = {"thresholds": thresholds, "n_validation": len(val_rows)}
    for part in ("dev", "test") if args.test else ("dev",):
        sessions = parts[part]
        labels = np.array([s.label == "anomaly" for s in sessions], dtype=int)
        scores = table(detector, pipeline, sessions)
        result[part] = {}
        for name, values in scores.items():
            at = detection_metrics(labels, values, thresholds[name])
            result[part][name] = {
                "roc_auc": float(roc_auc_score(labels, values)),
                **{k: at[k] for k in ("precision", "recall", "f1")},
            }
            r = result[part][name]
            print(
                f"{part} {name:>14}: ROC-AUC {r['roc_auc']:.4f} | at max {thresholds[name]:.4g}: "
                f"P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}"
            )
    out = RESULTS / "adfa_dev_local.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
