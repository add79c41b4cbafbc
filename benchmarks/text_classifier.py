"""HDFS (2% sample) benchmark of `text-classifier` on a chronological split.

    .venv/bin/python benchmarks/text_classifier.py [--sessions PARQUET] [--templates CSV]
        [--max-length 256] [--epochs 20] [--learning-rate 1e-2] [--freeze 6] [--out NAME]
        [--encoding session-text|template-pool] [--threads 1]

Blocks starting in the first 60% of the log's time span (first start to last end) train, the
next 10% calibrate (best-f1 on their labels), the rest test. Template text from the parse
run's templates.csv. Reports training time, scoring time, P/R/F1/ROC-AUC; writes
benchmarks/results/<NAME>.json and .md. Defaults: the whole encoder frozen (head only on
embeddings computed once), which fits the 10-minute CPU budget; `--freeze 0 --epochs 2
--learning-rate 2e-5` is the full fine-tuning default (much slower on CPU). `--encoding
template-pool` uses that encoding's own defaults (epochs, learning rate, batch size: the
options above are ignored) and `--out text_classifier_pool` keeps the two result files apart.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from logbert.evaluation.metrics import detection_metrics
from logbert.models.runtime import torch_threads
from logbert.models.text_classifier import TextClassifier
from logbert.parsing.templates import read_templates
from logbert.sessions.batch import SessionBatch

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
WORK = Path("/tmp/bench/work/protocol_b")


def split(table) -> dict[str, np.ndarray]:
    start = table.column("start").to_numpy().astype("datetime64[us]").astype(np.int64)
    end = table.column("end").to_numpy().astype("datetime64[us]").astype(np.int64)
    first, last = start.min(), end.max()
    t60, t70 = first + 0.6 * (last - first), first + 0.7 * (last - first)
    return {
        "train": np.flatnonzero(start < t60),
        "calibration": np.flatnonzero((start >= t60) & (start < t70)),
        "test": np.flatnonzero(start >= t70),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", default=str(WORK / "sessions.parquet"))
    parser.add_argument("--templates", default=str(WORK / "templates.csv"))
    parser.add_argument("--max-length", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--learning-rate", type=float, default=1e-2)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--freeze", type=int, default=6)
    parser.add_argument("--out", default="text_classifier")
    parser.add_argument("--encoding", default="session-text")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1: busy machine)")
    args = parser.parse_args()
    with torch_threads(args.threads):
        run(args)


def run(args: argparse.Namespace) -> None:

    table = pq.read_table(args.sessions, columns=["keys", "start", "end", "label"])
    keys = [np.asarray(k, dtype=np.int64) for k in table.column("keys").to_pylist()]
    labels = np.array([1 if lab == "anomaly" else 0 for lab in table.column("label").to_pylist()])
    parts = split(table)
    templates = read_templates(args.templates)

    def batch(name: str) -> SessionBatch:
        index = parts[name]
        plain = SessionBatch.from_keys([keys[i] for i in index])
        return SessionBatch(plain.keys, plain.is_open, labels=labels[index])

    if args.encoding == "template-pool":
        detector = TextClassifier(encoding="template-pool")
    else:
        detector = TextClassifier(
            max_length=args.max_length,
            epochs=args.epochs,
            learning_rate=args.learning_rate,
            batch_size=args.batch_size,
            freeze_encoder_layers=args.freeze,
        )
    train, calibration, test = batch("train"), batch("calibration"), batch("test")
    started = time.perf_counter()
    detector.fit(train, train.labels, validation=calibration, templates=templates)
    fit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    scores = detector.decision_function(test)
    score_seconds = time.perf_counter() - started
    metrics = detection_metrics(test.labels, scores, detector.threshold_.value)
    n_distinct = len({k.tobytes() for k in test.keys})
    result = {
        "detector": "text-classifier",
        "params": detector.get_params(),
        "split": {
            name: {"sessions": int(idx.size), "anomalous": int(labels[idx].sum())}
            for name, idx in parts.items()
        },
        "training_info": detector.training_info_,
        "history": detector.history_,
        "threshold": detector.threshold_.value,
        "threshold_source": detector.threshold_.source,
        "fit_seconds": round(fit_seconds, 1),
        "score_seconds": round(score_seconds, 1),
        "test_distinct_sequences": n_distinct,
        "metrics": {k: metrics.get(k) for k in ("precision", "recall", "f1", "roc_auc")},
        "confusion": metrics["confusion_matrix"],
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "torch_threads": args.threads,
        "load_average": os.getloadavg(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.out}.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    m = result["metrics"]
    lines = [
        "# text-classifier on HDFS 2% (chronological 60/10/30 split)",
        "",
        f"params: `{json.dumps(result['params'])}`",
        "",
        "| sessions train/cal/test | fit s | score s | P | R | F1 | ROC-AUC |",
        "|---|---|---|---|---|---|---|",
        f"| {'/'.join(str(v['sessions']) for v in result['split'].values())} "
        f"| {result['fit_seconds']} | {result['score_seconds']} | {m['precision']:.4f} "
        f"| {m['recall']:.4f} | {m['f1']:.4f} | {m.get('roc_auc', float('nan')):.4f} |",
        "",
        f"threshold {result['threshold']:.4g} ({result['threshold_source']})",
        "",
        f"{result['machine']}, torch threads {args.threads}, load average at the end "
        + ", ".join(f"{v:.2f}" for v in result["load_average"]),
        "",
    ]
    (RESULTS / f"{args.out}.md").write_text("\n".join(lines))
    print("\n".join(lines))
    print(json.dumps(result["confusion"]), json.dumps(result["training_info"]))


if __name__ == "__main__":
    main()
