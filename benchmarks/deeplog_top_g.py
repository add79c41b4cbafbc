"""DeepLog on HDFS protocol A: how recall and projected F1 depend on top-g (evidence for the docs).

One model per seed (the benchmark's split and defaults, g = 9 as in the paper), then the same
trained network scored with smaller g. Prints a table; writes
benchmarks/results/deeplog_top_g.json. Run: `.venv/bin/python benchmarks/deeplog_top_g.py`.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from logbert.evaluation.benchmark import test_labels, train_pipeline
from logbert.evaluation.datasets import datasets_dir
from logbert.evaluation.metrics import detection_metrics, projected_f1
from logbert.evaluation.protocols import build_protocol
from logbert.scoring.thresholds import calibrate

DATA = datasets_dir(Path(__file__).resolve().parents[1])
WORK = Path.home() / ".cache" / "logbert" / "protocols"
OUT = Path(__file__).parent / "results" / "deeplog_top_g.json"


def main() -> None:
    started = time.perf_counter()
    data = build_protocol("A", DATA, WORK)
    labels = test_labels(data)
    short = [i for i, s in enumerate(data.test) if len(s.keys) <= 2]
    rows = []
    for seed in (0, 1):
        pipeline = train_pipeline("deeplog", data, seed)[0]
        model = pipeline.detector_
        for g in (9, 7, 5):
            model.top_g = g
            threshold = calibrate(model.decision_function(pipeline.validation_batch_), "mean+2std")
            scores = pipeline.decision_scores(data.test)
            metrics = detection_metrics(labels, scores, threshold)
            rows.append({
                "seed": seed, "top_g": g, "threshold": threshold,
                "recall": metrics["recall"], "fpr": metrics["fpr"], "f1": metrics["f1"],
                "projected_f1": projected_f1(metrics)["projected_f1"],
                "short_sessions_flagged": int((scores[short] > threshold).sum()),
            })  # fmt: skip
    print(f"{len(short)} test sessions have <= 2 keys (all anomalous)")
    print("| seed | g | recall | FPR | F1 | projected F1 | flagged of the short ones |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['seed']} | {r['top_g']} | {r['recall']:.3f} | {r['fpr']:.4f} | {r['f1']:.3f} "
            f"| {r['projected_f1']:.3f} | {r['short_sessions_flagged']} |"
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"n_short": len(short), "rows": rows}, indent=2) + "\n")
    print(f"wall time {time.perf_counter() - started:.0f} s; wrote {OUT}")


if __name__ == "__main__":
    main()
