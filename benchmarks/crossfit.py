"""Cross-fitted calibration vs the validation split, same model, HDFS protocols (issue 11).

    .venv/bin/python benchmarks/crossfit.py [--protocols A,B] [--seeds 0] [--folds 5]

Per protocol and seed, LogBERT is trained once as `logbert train --calibration cross-fit`
trains it (`Pipeline(calibration="cross-fit")`: the final model on the training split with
early stopping on the 10% validation split, plus `folds` clones trained for its best epoch
count on the other folds of all normal training sessions). The same final model is then
thresholded two ways by its own rule (`max`): on the validation split (today's default,
`split`) and on the out-of-fold scores of every normal training session (`cross-fit`), and,
for reference, by `fpr:0.001` on the out-of-fold scores (a false-alarm rate asked for
directly). Each threshold is applied to the protocol's test set once. Nothing here picks a
default (see `results/crossfit_preregistration.md`). Writes results/crossfit.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import torch

from logbert.evaluation.benchmark import VALIDATION_FRACTION, test_labels
from logbert.evaluation.ceiling import unseen_key_ceiling
from logbert.evaluation.datasets import datasets_dir
from logbert.evaluation.metrics import detection_metrics, projected_f1
from logbert.evaluation.protocols import build_protocol
from logbert.models.logbert import LogBERT
from logbert.pipeline import Pipeline
from logbert.scoring.thresholds import calibrate

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
DATA = datasets_dir(ROOT)
FPR_RULE = "fpr:0.001"


def run(protocol: str, seed: int, folds: int, work: Path) -> dict:
    data = build_protocol(protocol, DATA, work)
    pipeline = Pipeline(
        LogBERT(seed=seed),
        validation_split=VALIDATION_FRACTION,
        calibration="cross-fit",
        folds=folds,
        seed=seed,
    )
    started = time.perf_counter()
    pipeline.fit(data.train, source=f"protocol {protocol} training sessions", log=print)
    seconds = time.perf_counter() - started
    split = pipeline.training_["cross_fit"]["split_threshold"]
    thresholds = {
        "split": split["value"],
        "cross-fit": pipeline.threshold_.value,
        f"cross-fit {FPR_RULE}": calibrate(pipeline.calibration_scores_, FPR_RULE),
    }
    labels = test_labels(data)
    scores = pipeline.decision_scores(pipeline.batch(data.test))
    rows = {}
    for name, value in thresholds.items():
        metrics = detection_metrics(labels, scores, value)
        rows[name] = {
            **{k: metrics[k] for k in ("precision", "recall", "f1", "roc_auc", "fpr")},
            **metrics["confusion_matrix"],
            "threshold": value,
            "projected_f1": projected_f1(metrics)["projected_f1"] if protocol == "A" else None,
        }
    return {
        "protocol": protocol,
        "seed": seed,
        "folds": folds,
        "train_seconds": seconds,
        "cross_fit": pipeline.training_["cross_fit"],
        "n_calibration_scores": {
            "split": split["n_sessions"],
            "cross-fit": int(pipeline.calibration_scores_.size),
        },
        "ceiling_f1": unseen_key_ceiling(data.train, data.test)["f1_max"],
        "thresholds": rows,
    }


def markdown(runs: list[dict]) -> str:
    lines = [
        "# Cross-fitted calibration vs the validation split (LogBERT, same model)",
        "",
        "| protocol | seed | calibration | normal scores | threshold | P | R | F1 | projected F1 "
        "| FP | FN | F1 ceiling | train s (with folds) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        for name, t in r["thresholds"].items():
            n = r["n_calibration_scores"]["split" if name == "split" else "cross-fit"]
            proj = "" if t["projected_f1"] is None else f"{t['projected_f1']:.4f}"
            lines.append(
                f"| {r['protocol']} | {r['seed']} | {name} | {n} | {t['threshold']:.3f} | "
                f"{t['precision']:.4f} | {t['recall']:.4f} | {t['f1']:.4f} | {proj} | {t['fp']} | "
                f"{t['fn']} | {r['ceiling_f1']:.3f} | {r['train_seconds']:.0f} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--protocols", default="A,B")
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--work-dir", type=Path)
    parser.add_argument("--out", type=Path, default=RESULTS / "crossfit.json")
    args = parser.parse_args()
    torch.set_num_threads(1)
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="logbert-crossfit-"))
    runs = []
    started = time.perf_counter()
    for protocol in args.protocols.split(","):
        for seed in (int(s) for s in args.seeds.split(",")):
            runs.append(run(protocol.strip(), seed, args.folds, work))
            args.out.write_text(json.dumps({"runs": runs}, indent=2, default=float) + "\n")
            args.out.with_suffix(".md").write_text(markdown(runs))
    text = markdown(runs) + (
        f"\nWall time {time.perf_counter() - started:.0f} s, {os.cpu_count()} CPUs, torch on 1 "
        "thread, a machine shared with other work.\n"
    )
    args.out.with_suffix(".md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
