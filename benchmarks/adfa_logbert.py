"""Where LogBERT's time and memory go on long sequences: ADFA-LD (issue 11).

    .venv/bin/python benchmarks/adfa_logbert.py [--seed 0] [--threads 1] [--label NAME]
        [--params '{"epochs": 5}'] [--score-limit N]

Trains LogBERT on ADFA-LD `train` (833 normal system-call traces) the way `logbert benchmark`
does (`evaluation.benchmark.train_pipeline`: a seeded 10% validation split for early stopping
and the threshold, the detector's own rule); with `--params` the same workflow, built here as
`Pipeline(LogBERT(seed=seed, **params), validation_split=0.1, calibration="split",
seed=seed)`. Then scores the test set (4,372 `validation_normal` + 746 `attack`).

Reports train seconds, peak RSS (ru_maxrss after loading, after training, after scoring),
training windows and steps per epoch, epochs run, seconds per epoch, the ROC-AUC and PR-AUC of
each of LogBERT's scores and P/R/F1 at the calibrated threshold. Test labels only report here:
no default is chosen on them. Writes benchmarks/results/adfa_logbert_<label>.json and prints
a table.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import average_precision_score, roc_auc_score

from logbert.evaluation.benchmark import VALIDATION_FRACTION, test_labels, train_pipeline
from logbert.evaluation.datasets import datasets_dir
from logbert.evaluation.metrics import detection_metrics
from logbert.evaluation.protocols import build_protocol
from logbert.models.logbert import LogBERT
from logbert.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def peak_rss_mb() -> float:
    """The process's peak resident size so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--params", default="", help="JSON: LogBERT params over the defaults")
    parser.add_argument("--label", default="defaults")
    parser.add_argument("--work", default="/tmp/adfa_logbert_work")
    parser.add_argument("--score-limit", type=int, default=0, help="score the first N only")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    params = json.loads(args.params) if args.params else {}

    data = build_protocol("ADFA", datasets_dir(ROOT), args.work)
    rss_loaded = peak_rss_mb()
    cpu_started = time.process_time()  # CPU seconds: wall time depends on the neighbours
    if params:
        pipeline = Pipeline(
            LogBERT(seed=args.seed, **params),
            validation_split=VALIDATION_FRACTION,
            calibration="split",  # as `logbert benchmark` trains (no cross-fit)
            seed=args.seed,
        )
        started = time.perf_counter()
        pipeline.fit(data.train, source="ADFA training sessions")
        train_seconds = time.perf_counter() - started
    else:
        pipeline, train_seconds = train_pipeline("logbert", data, args.seed)
    rss_trained = peak_rss_mb()
    train_cpu_seconds = time.process_time() - cpu_started
    detector = pipeline.detector_
    info = detector.training_info_
    epochs = detector.history_["epochs"]

    test = data.test
    if args.score_limit:  # both classes: normal traces first, attacks last
        half = args.score_limit // 2
        test = test[:half] + test[-half:]
    labels = np.array([s.label == "anomaly" for s in test], dtype=int)
    started = time.perf_counter()
    scores = detector.score_sessions(pipeline.batch(test))
    score_seconds = time.perf_counter() - started
    rss_scored = peak_rss_mb()

    per_score = {
        name: {
            "roc_auc": float(roc_auc_score(labels, scores[name])),
            "pr_auc": float(average_precision_score(labels, scores[name])),
        }
        for name in detector.score_names
    }
    threshold = pipeline.threshold_
    metrics = detection_metrics(labels, scores[threshold.score], threshold.value)
    result = {
        "label": args.label,
        "seed": args.seed,
        "threads": args.threads,
        "params": detector.get_params(),
        "train_seconds": train_seconds,
        "train_cpu_seconds": train_cpu_seconds,
        "fit_seconds_detector": info.get("seconds"),
        "score_seconds": score_seconds,
        "n_test": len(test),
        "peak_rss_mb": {"loaded": rss_loaded, "trained": rss_trained, "scored": rss_scored},
        "n_train": info.get("n_train"),
        "n_train_distinct": info.get("n_train_distinct"),
        "n_train_windows": info.get("n_train_windows"),
        "n_epoch_windows": info.get("n_epoch_windows"),
        "n_validation": info.get("n_validation"),
        "epochs_run": info.get("epochs_run"),
        "best_epoch": info.get("best_epoch"),
        "steps": info.get("steps"),
        "steps_per_epoch": info.get("steps", 0) / max(info.get("epochs_run") or 1, 1),
        "epoch_seconds": [round(e["seconds"], 2) for e in epochs],
        "threshold": threshold.to_dict(),
        "scores": per_score,
        "at_threshold": {
            k: metrics[k] for k in ("precision", "recall", "f1", "fpr", "confusion_matrix")
        },
        "test_labels_full": len(test) == len(data.test)
        and bool(np.array_equal(labels, test_labels(data))),
        "environment": {"python": platform.python_version(), "torch": torch.__version__},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"adfa_logbert_{args.label}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"| {args.label} | train {train_seconds:.0f} s ({train_cpu_seconds:.0f} s CPU) | "
        f"epochs {info.get('epochs_run')} "
        f"(best {info.get('best_epoch')}) | windows {info.get('n_train_windows')} "
        f"(per epoch {info.get('n_epoch_windows')}) | "
        f"steps/epoch {result['steps_per_epoch']:.0f} | peak RSS trained "
        f"{rss_trained:.0f} MB, scored {rss_scored:.0f} MB | score {score_seconds:.0f} s |"
    )
    for name, values in per_score.items():
        print(f"|   {name} | ROC-AUC {values['roc_auc']:.3f} | PR-AUC {values['pr_auc']:.3f} |")
    print(
        f"|   F1 at {threshold.rule} on {threshold.score} = {threshold.value:.4g}: "
        f"P {metrics['precision']:.3f} R {metrics['recall']:.3f} F1 {metrics['f1']:.3f} |"
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
