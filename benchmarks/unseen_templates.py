"""Templates unseen in training: does the text classifier keep its F1 where count vectors drop?

    nice -n 5 .venv/bin/python benchmarks/unseen_templates.py [--skip-session-text]

Issue 13's target: on a held-out set (templates removed from training) the text classifier
keeps F1 within 0.05 of its full-vocabulary figure while count-vector models drop. The rule
below was written down before any figure was seen
(`benchmarks/results/unseen_templates_preregistration.md`):

- data: the HDFS 2% sample, parsed by our miner, sessionized by block id with labels (the
  protocol-B cache, rebuilt when missing), split by time as `benchmarks/text_classifier.py`
  (first 60% of the time span train, next 10% calibrate with best-f1, the rest test);
- held-out keys: those in >= 1 normal and >= 1 anomalous session of train + calibration, in
  >= 1 test session and in <= 20% of the train + calibration sessions; ceil(25%) of them (at
  least 1), the first of `default_rng(13).permutation(sorted(candidates))`;
- held-out variant: train and calibration lose every session holding a held-out key, test is
  unchanged; the models know the template text of the remaining keys only, and get the test
  data's template set at scoring time (`extend_templates`, as `Pipeline.score` does);
- detectors at their defaults: text-classifier `template-pool`, text-classifier `session-text`
  with the encoder frozen (`benchmarks/text_classifier.py`'s settings), knn and random-forest
  (`flag_unseen` True, the default, and False). For `template-pool` the held-out run is also
  scored WITHOUT the test template set (unseen keys are "unknown event N"), to show what the
  text adds.

Writes benchmarks/results/unseen_templates.{md,json} and prints the table.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from logbert.evaluation.datasets import datasets_dir
from logbert.evaluation.metrics import detection_metrics
from logbert.evaluation.protocols import protocol_b
from logbert.models.runtime import torch_threads
from logbert.models.supervised import KNNDetector, RandomForestDetector
from logbert.models.text_classifier import TextClassifier
from logbert.parsing.templates import read_templates
from logbert.sessions.batch import SessionBatch
from text_classifier import WORK, split  # benchmarks/text_classifier.py (same folder)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SEED = 13
SHARE = 0.25
MAX_SESSION_SHARE = 0.20
FROZEN_TEXT = {"freeze_encoder_layers": 6, "epochs": 20, "learning_rate": 1e-2, "batch_size": 16}


def detectors(skip_session_text: bool) -> dict[str, callable]:
    made = {
        "text-classifier (template-pool)": lambda: TextClassifier(encoding="template-pool"),
        "text-classifier (session-text, frozen)": lambda: TextClassifier(**FROZEN_TEXT),
        "knn": KNNDetector,
        "random-forest": RandomForestDetector,
        "knn (flag_unseen=False)": lambda: KNNDetector(flag_unseen=False),
        "random-forest (flag_unseen=False)": lambda: RandomForestDetector(flag_unseen=False),
    }
    if skip_session_text:
        made.pop("text-classifier (session-text, frozen)")
    return made


def held_out_keys(keys, labels, parts) -> tuple[list[int], list[int]]:
    """(candidates, held out) by the preregistered rule (train + calibration data only)."""
    seen = np.concatenate([parts["train"], parts["calibration"]])
    in_normal, in_anomaly, n_sessions = set(), set(), {}
    for i in seen:
        distinct = set(keys[i].tolist())
        (in_anomaly if labels[i] else in_normal).update(distinct)
        for k in distinct:
            n_sessions[k] = n_sessions.get(k, 0) + 1
    in_test = {int(k) for i in parts["test"] for k in keys[i]}
    candidates = sorted(
        k
        for k in in_normal & in_anomaly & in_test
        if n_sessions[k] <= MAX_SESSION_SHARE * seen.size
    )
    if not candidates:
        raise SystemExit("no candidate template meets the rule; nothing to hold out")
    n = max(1, math.ceil(SHARE * len(candidates)))
    chosen = np.random.default_rng(SEED).permutation(candidates)[:n]
    return candidates, sorted(int(k) for k in chosen)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-session-text", action="store_true")
    parser.add_argument("--out", default="unseen_templates")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1: busy machine)")
    args = parser.parse_args()
    with torch_threads(args.threads):
        run(args)


def run(args: argparse.Namespace) -> None:
    if not (WORK / "sessions.parquet").is_file():
        protocol_b(datasets_dir(), WORK.parent)  # parses and sessionizes the 2% sample
    table = pq.read_table(WORK / "sessions.parquet", columns=["keys", "start", "end", "label"])
    keys = [np.asarray(k, dtype=np.int64) for k in table.column("keys").to_pylist()]
    labels = np.array([int(lab == "anomaly") for lab in table.column("label").to_pylist()])
    parts = split(table)
    templates = read_templates(WORK / "templates.csv")
    candidates, held = held_out_keys(keys, labels, parts)
    holds = np.array([bool(set(k.tolist()) & set(held)) for k in keys])

    def batch(index: np.ndarray) -> SessionBatch:
        plain = SessionBatch.from_keys([keys[i] for i in index])
        return SessionBatch(plain.keys, plain.is_open, labels=labels[index])

    variants = {
        "full": {n: parts[n] for n in ("train", "calibration")},
        "held-out": {n: parts[n][~holds[parts[n]]] for n in ("train", "calibration")},
    }
    for name, part in variants.items():
        for which, index in part.items():
            if len(set(labels[index].tolist())) < 2:
                raise SystemExit(f"{name} {which} is left with one class: the rule stops here")
    test = batch(parts["test"])
    test_holds = holds[parts["test"]]
    known = {
        "full": templates,
        "held-out": {k: v for k, v in templates.items() if k not in held},
    }
    rows = []
    for label, make in detectors(args.skip_session_text).items():
        for variant, part in variants.items():
            detector = make()
            train, calibration = batch(part["train"]), batch(part["calibration"])
            reads_text = getattr(detector, "uses_templates", False)
            options = {"templates": known[variant]} if reads_text else {}
            started = time.perf_counter()
            detector.fit(train, train.labels, validation=calibration, **options)
            seconds = time.perf_counter() - started
            threshold = detector.threshold_.value
            scored = {}
            if reads_text and variant == "held-out" and "pool" in label:
                scored["without test template text"] = detector.decision_function(test)
            detector.extend_templates(templates)  # the test data's template set
            started = time.perf_counter()
            scored[""] = detector.decision_function(test)
            score_seconds = time.perf_counter() - started
            cal_metrics = detection_metrics(
                calibration.labels, detector.decision_function(calibration), threshold
            )
            for note, scores in scored.items():
                everything = detection_metrics(test.labels, scores, threshold)
                subset = detection_metrics(test.labels[test_holds], scores[test_holds], threshold)
                rows.append(
                    {
                        "detector": label + (f" [{note}]" if note else ""),
                        "variant": variant,
                        "train_sessions": int(part["train"].size),
                        "calibration_sessions": int(part["calibration"].size),
                        "train_seconds": round(seconds, 1),
                        "score_seconds": round(score_seconds, 1),
                        "threshold": threshold,
                        "calibration_pr_auc": cal_metrics["pr_auc"],
                        "test": {
                            k: everything[k] for k in ("precision", "recall", "f1", "roc_auc")
                        },
                        "test_confusion": everything["confusion_matrix"],
                        "held_out_subset": {k: subset[k] for k in ("precision", "recall", "f1")},
                        "held_out_subset_confusion": subset["confusion_matrix"],
                    }
                )
                print(json.dumps(rows[-1]), flush=True)
    result = {
        "rule": "benchmarks/results/unseen_templates_preregistration.md",
        "split": {
            n: {"sessions": int(i.size), "anomalous": int(labels[i].sum())}
            for n, i in parts.items()
        },
        "candidates": {str(k): templates.get(k) for k in candidates},
        "held_out": {str(k): templates.get(k) for k in held},
        "held_out_variant": {
            n: {"sessions": int(i.size), "anomalous": int(labels[i].sum())}
            for n, i in variants["held-out"].items()
        },
        "test_sessions_holding_held_out": {
            "sessions": int(test_holds.sum()),
            "anomalous": int(test.labels[test_holds].sum()),
        },
        "rows": rows,
        "load_average": os.getloadavg(),
        "torch_threads": args.threads,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.out}.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    text = markdown(result)
    (RESULTS / f"{args.out}.md").write_text(text)
    print(text)


def markdown(result: dict) -> str:
    held = result["held_out"]
    subset = result["test_sessions_holding_held_out"]
    lines = [
        "# Templates unseen in training (HDFS 2%, chronological 60/10/30 split)",
        "",
        f"Rule: `{result['rule']}` (written before the first run). Held out "
        f"{len(held)} of {len(result['candidates'])} candidate templates: "
        + "; ".join(f"{k} `{v}`" for k, v in held.items())
        + ". Held-out variant: train/calibration "
        + "/".join(
            f"{v['sessions']} ({v['anomalous']} anomalous)"
            for v in result["held_out_variant"].values()
        )
        + " sessions (full: "
        + "/".join(
            f"{result['split'][n]['sessions']} ({result['split'][n]['anomalous']} anomalous)"
            for n in ("train", "calibration")
        )
        + f"); test {result['split']['test']['sessions']} sessions, {subset['sessions']} of them "
        f"({subset['anomalous']} anomalous) hold a held-out template.",
        "",
        "| detector | F1 full | F1 held-out | ΔF1 | ROC-AUC full / held-out | F1 on held-out-"
        "template sessions full / held-out | train s full / held-out |",
        "|---|---|---|---|---|---|---|",
    ]
    by = {}
    for row in result["rows"]:
        by.setdefault(row["detector"], {})[row["variant"]] = row
    for name, variants in by.items():
        full, out = variants.get("full"), variants["held-out"]
        if full is None:  # the ablation row: full vocabulary is the detector's own row
            full = by[name.split(" [")[0]]["full"]
        lines.append(
            f"| {name} | {full['test']['f1']:.4f} | {out['test']['f1']:.4f} "
            f"| {out['test']['f1'] - full['test']['f1']:+.4f} "
            f"| {full['test']['roc_auc']:.4f} / {out['test']['roc_auc']:.4f} "
            f"| {full['held_out_subset']['f1']:.4f} / {out['held_out_subset']['f1']:.4f} "
            f"| {full['train_seconds']} / {out['train_seconds']} |"
        )
    load = ", ".join(f"{v:.2f}" for v in result["load_average"])
    lines += [
        "",
        f"Machine: {result['machine']}, torch threads {result['torch_threads']}; load average "
        f"at the end: {load}.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
