"""LogBERT's decision score on a development split of ADFA-LD, chosen without test labels.

    .venv/bin/python benchmarks/adfa_dev.py [--seed 0] [--threads 1] [--label NAME]
        [--params '{"long_max_steps": 1000}'] [--test]

The split and the decision rules are pre-registered in
`benchmarks/results/adfa_dev_preregistration.md` (written before any run): LogBERT is trained on
ADFA-LD `train` as `logbert benchmark --protocol adfa` trains it; **dev** = a seeded half of
`validation_normal` + the attacks of Adduser, Hydra_FTP and Java_Meterpreter; **test** = the
other half + Hydra_SSH, Meterpreter and Web_Shell. Without `--test` only dev is scored (and
written); `--test` also scores test, once, for the final report. Reports training seconds, peak
RSS, dev (test) ROC-AUC / PR-AUC of each score, the choice of rules W and C (label-free) and of
dev ROC-AUC, and P/R/F1 at the calibrated threshold (LogBERT's own rule) per decision score.
Writes benchmarks/results/adfa_dev_<label>.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from scipy.stats import spearmanr
from sklearn.metrics import average_precision_score, roc_auc_score

from adfa_logbert import peak_rss_mb
from logbert.evaluation.benchmark import VALIDATION_FRACTION
from logbert.evaluation.datasets import datasets_dir
from logbert.evaluation.metrics import detection_metrics
from logbert.evaluation.protocols import ADFA_DIR, read_adfa
from logbert.models.logbert import LogBERT
from logbert.pipeline import Pipeline
from logbert.scoring.thresholds import calibrate

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
DEV_TYPES = ("Adduser", "Hydra_FTP", "Java_Meterpreter")
TEST_TYPES = ("Hydra_SSH", "Meterpreter", "Web_Shell")
SPLIT_SEED = 0


def split(normal: list, attack: list) -> dict[str, list]:
    """The pre-registered dev / test parts (see the module doc)."""
    ordered = sorted(normal, key=lambda s: s.session_id)
    order = np.random.default_rng(SPLIT_SEED).permutation(len(ordered))
    half = len(ordered) // 2
    parts = {}
    for name, positions, types in (
        ("dev", order[:half], DEV_TYPES),
        ("test", order[half:], TEST_TYPES),
    ):
        chosen = [ordered[i] for i in sorted(positions)]
        parts[name] = chosen + [s for s in attack if s.categories[0] in types]
    return parts


def rule_w(detector: LogBERT) -> str:
    """Rule W: max_surprise when every training session fitted one window, else score."""
    return "score" if detector.training_info_.get("long_sessions") else "max_surprise"


def rule_c(scores: dict[str, np.ndarray], lengths: np.ndarray) -> tuple[str, dict]:
    """Rule C: max_surprise unless it follows length more than the mean surprise does."""
    rho = {k: float(spearmanr(scores[k], lengths).statistic) for k in ("score", "max_surprise")}
    choice = "score" if abs(rho["max_surprise"]) > abs(rho["score"]) else "max_surprise"
    return choice, rho


def evaluate(detector: LogBERT, pipeline: Pipeline, sessions: list, thresholds: dict) -> dict:
    labels = np.array([s.label == "anomaly" for s in sessions], dtype=int)
    started = time.perf_counter()
    scores = detector.score_sessions(pipeline.batch(sessions))
    out: dict = {
        "n": len(sessions),
        "n_anomalous": int(labels.sum()),
        "score_seconds": time.perf_counter() - started,
    }
    for name in detector.score_names:
        at = detection_metrics(labels, scores[name], thresholds[name])
        out[name] = {
            "roc_auc": float(roc_auc_score(labels, scores[name])),
            "pr_auc": float(average_precision_score(labels, scores[name])),
            "threshold": thresholds[name],
            **{k: at[k] for k in ("precision", "recall", "f1", "fpr")},
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--params", default="", help="JSON: LogBERT params over the defaults")
    parser.add_argument("--label", default="defaults")
    parser.add_argument("--test", action="store_true", help="also score the test part (once)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    params = json.loads(args.params) if args.params else {}

    train, normal, attack, _ = read_adfa(datasets_dir(ROOT) / ADFA_DIR)
    parts = split(normal, attack)
    pipeline = Pipeline(  # the split calibration, as `logbert benchmark` trains (no cross-fit)
        LogBERT(seed=args.seed, **params),
        validation_split=VALIDATION_FRACTION,
        calibration="split",
        seed=args.seed,
    )
    cpu_started, started = time.process_time(), time.perf_counter()
    pipeline.fit(train, source="ADFA-LD train")
    train_seconds = time.perf_counter() - started
    train_cpu = time.process_time() - cpu_started
    rss_trained = peak_rss_mb()
    detector = pipeline.detector_
    info = detector.training_info_

    # the label-free side: normal validation sessions only
    validation = pipeline.validation_batch_
    val_scores = detector.score_sessions(validation)
    lengths = np.array([len(k) for k in validation.keys])
    rule = detector.default_threshold_rule
    thresholds = {name: calibrate(val_scores[name], rule) for name in detector.score_names}
    choice_c, rho = rule_c(val_scores, lengths)

    result: dict = {
        "label": args.label,
        "seed": args.seed,
        "threads": args.threads,
        "params": detector.get_params(),
        "train_seconds": train_seconds,
        "train_cpu_seconds": train_cpu,
        "peak_rss_mb_trained": rss_trained,
        "training": {
            k: info.get(k)
            for k in (
                "n_train",
                "n_train_distinct",
                "n_train_windows",
                "n_epoch_windows",
                "n_validation",
                "n_validation_windows",
                "long_sessions",
                "epochs_run",
                "best_epoch",
                "steps",
            )
        },  # fmt: skip
        "epochs": [
            {k: round(e[k], 4) for k in ("train_loss", "val_loss", "seconds")}
            for e in detector.history_["epochs"]
        ],
        "threshold_rule": rule,
        "rule_w": rule_w(detector),
        "rule_c": {"choice": choice_c, "spearman_with_length": rho},
        "dev": evaluate(detector, pipeline, parts["dev"], thresholds),
    }
    dev = result["dev"]
    result["dev_best"] = max(
        detector.score_names, key=lambda n: (round(dev[n]["roc_auc"], 3), dev[n]["pr_auc"])
    )
    if args.test:
        result["test"] = evaluate(detector, pipeline, parts["test"], thresholds)
    result["peak_rss_mb"] = peak_rss_mb()
    out = RESULTS / f"adfa_dev_{args.label}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"{args.label}: train {train_seconds:.0f} s ({train_cpu:.0f} s CPU), peak RSS "
        f"{result['peak_rss_mb']:.0f} MB, epochs {info.get('epochs_run')} (best "
        f"{info.get('best_epoch')}), steps {info.get('steps')}; rule W -> {result['rule_w']}, "
        f"rule C -> {choice_c} (rho {rho}), dev best -> {result['dev_best']}"
    )
    for part in ("dev", "test") if args.test else ("dev",):
        for name in detector.score_names:
            r = result[part][name]
            print(
                f"  {part} {name}: ROC-AUC {r['roc_auc']:.3f} PR-AUC {r['pr_auc']:.3f} | at "
                f"{rule} {r['threshold']:.4g}: P {r['precision']:.3f} R {r['recall']:.3f} "
                f"F1 {r['f1']:.3f}"
            )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
