"""Choose LogBERT's defaults without test data: cross-validation on HDFS_v1_deeplog/hdfs_train.

    .venv/bin/python benchmarks/hdfs_dev.py [--folds 3] [--configs v1,v2,...]

Test labels must not pick a model, so this benchmark reads only the 4,855 normal sessions of
`hdfs_train`. They are cut into K folds; per fold, a model is trained on the other folds (with
the validation split `logbert train` would make of them), calibrated with the `max` rule on
that validation split, and then scores

- the held-out normal sessions: the false-positive rate, and
- synthetic anomalies made from the held-out sessions by four generic edits (not modelled on
  any labelled HDFS anomaly): one key deleted, one known key inserted at a random place, the
  session cut short, one key moved 3 or more places. Edits that produce a sequence present in
  `hdfs_train` are dropped (they are normal by definition).

"dev F1" projects both rates onto the full HDFS test split (553,366 normal and 16,838
anomalous sessions), like the projected F1 of `benchmarks/hdfs.py`, with recall the mean over
the four edits. Writes benchmarks/results/hdfs_dev.json and .md and prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
import torch

from logbert.evaluation.datasets import datasets_dir
from logbert.models.logbert import LogBERT
from logbert.pipeline import Pipeline
from logbert.scoring.thresholds import calibrate
from logbert.sessions.io import Session, read_sessions

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
DATA = datasets_dir(ROOT)
FULL_NORMAL, FULL_ANOMALIES = 553_366, 16_838
EDITS = ("delete", "insert", "truncate", "move")

# name -> (LogBERT params over today's defaults, validation: a share, or a number of sessions)
SESSION_1 = dict(hidden=32, epochs=25, patience=3, decision="score", dedup=False, swap_copies=0)
CONFIGS: dict[str, tuple[dict, float | int]] = {
    "v1": (SESSION_1, 0.1),  # the defaults of session 1
    "v1-max": ({**SESSION_1, "decision": "max_surprise"}, 0.1),
    "v2-noswap-10%": ({"swap_copies": 0}, 0.1),
    "v2-10%": ({}, 0.1),  # today's defaults (`logbert train` splits 10% for validation)
    "v2-1000": ({}, 1000),  # 1,000 validation sessions (rejected)
    "v3": ({"open_copies": 1}, 0.1),  # + open prefixes (rejected, hdfs_dev_open.md)
    "v2-known2": ({"known_min_count": 2}, 0.1),  # known_sequences_preregistration.md
}


def synthetic_anomalies(
    sessions: list[list[int]], keys: list[int], known: set[tuple[int, ...]], seed: int
) -> dict[str, list[list[int]]]:
    """One edited copy per session and edit (where the edit applies and gives a new sequence)."""
    rng = np.random.default_rng(seed)
    out: dict[str, list[list[int]]] = {edit: [] for edit in EDITS}
    for seq in sessions:
        n = len(seq)
        edited: dict[str, list[int]] = {}
        if n >= 2:
            i = int(rng.integers(n))
            edited["delete"] = seq[:i] + seq[i + 1 :]
            edited["truncate"] = seq[: int(rng.integers(1, n))]
        i = int(rng.integers(n + 1))
        edited["insert"] = [*seq[:i], int(rng.choice(keys)), *seq[i:]]
        if n >= 4:
            i = int(rng.integers(n))
            rest = seq[:i] + seq[i + 1 :]
            far = [j for j in range(len(rest) + 1) if abs(j - i) >= 3]
            j = int(rng.choice(far))
            edited["move"] = [*rest[:j], seq[i], *rest[j:]]
        for edit, new in edited.items():
            if tuple(new) not in known:
                out[edit].append(new)
    return out


def train_folds(n_folds: int) -> tuple[list[list[int]], set, list[int], list[np.ndarray]]:
    """`hdfs_train`'s sessions, the set of their sequences, their keys, and the seeded folds
    (permutation seed 12345) every dev script on it cuts."""
    sessions = [
        s.keys
        for s in read_sessions(DATA / "HDFS_v1_deeplog" / "hdfs_train", input_format="deeplog")
    ]
    known = {tuple(s) for s in sessions}
    keys = sorted({k for s in sessions for k in s})
    order = np.random.default_rng(12345).permutation(len(sessions))
    return sessions, known, keys, np.array_split(order, n_folds)


def projected_dev_f1(fpr: float, recall: float) -> float:
    tp = recall * FULL_ANOMALIES
    fp = fpr * FULL_NORMAL
    precision = tp / (tp + fp) if tp + fp else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def run_fold(
    name: str, fold: int, folds: list[np.ndarray], sessions, known, keys, rules: list[str]
) -> dict:
    params, share = CONFIGS[name]
    held = [sessions[i] for i in folds[fold]]
    rest = [sessions[i] for k, f in enumerate(folds) if k != fold for i in f]
    share = share / len(rest) if isinstance(share, int) else share
    # the workflow of `logbert train`: a seeded `share` of the sessions held out for validation
    pipeline = Pipeline(LogBERT(**{**params, "seed": fold}), validation_split=share, seed=fold)
    started = time.perf_counter()
    pipeline.fit([Session(str(i), keys) for i, keys in enumerate(rest)])
    seconds = time.perf_counter() - started
    model, val_scores = pipeline.detector_, pipeline.validation_scores_
    normal_scores = model.decision_function(held)
    edited = synthetic_anomalies(held, keys, known, seed=fold)
    edited_scores = {edit: model.decision_function(seqs) for edit, seqs in edited.items()}
    by_rule = {}
    for rule in rules:
        threshold = calibrate(val_scores, rule)
        fpr = float(np.mean(normal_scores > threshold))
        recall = {e: float(np.mean(scores > threshold)) for e, scores in edited_scores.items()}
        mean_recall = float(np.mean(list(recall.values())))
        by_rule[rule] = {
            "threshold": threshold,
            "fpr": fpr,
            "false_positives": int(np.sum(normal_scores > threshold)),
            "recall": recall,
            "mean_recall": mean_recall,
            "dev_f1": projected_dev_f1(fpr, mean_recall),
        }
    return {
        "config": name,
        "fold": fold,
        "n_train": len(rest) - len(val_scores),
        "n_validation": len(val_scores),
        "n_held_out": len(held),
        "train_seconds": seconds,
        "epochs_run": model.training_info_["epochs_run"],
        **by_rule[rules[0]],
        "rules": by_rule,
    }


def table(rows: list[dict], names: list[str], rules: list[str] | None = None) -> str:
    head = "| config | dev F1 | FPR % (FP) | " + " | ".join(f"recall {e}" for e in EDITS)
    lines = [head + " | train s |", "|---" * (4 + len(EDITS)) + "|"]
    for name in names:
        for rule in rules or [None]:
            rs = [r if rule is None else {**r, **r["rules"][rule]} for r in rows]
            rs = [r for r in rs if r["config"] == name]
            f1 = np.array([r["dev_f1"] for r in rs])
            fpr = np.array([r["fpr"] for r in rs]) * 100
            fp = sum(r["false_positives"] for r in rs)
            rec = [np.mean([r["recall"][e] for r in rs]) for e in EDITS]
            sec = np.mean([r["train_seconds"] for r in rs])
            label = name if rule is None else f"{name}, `{rule}`"
            lines.append(
                f"| {label} | {f1.mean():.4f} ± {f1.std():.4f} | {fpr.mean():.3f} ({fp}) | "
                + " | ".join(f"{x:.3f}" for x in rec)
                + f" | {sec:.0f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--rules", default="max", help="threshold rules, the first one leads")
    parser.add_argument("--out", type=Path, default=RESULTS / "hdfs_dev.json")
    args = parser.parse_args()
    torch.set_num_threads(min(2, os.cpu_count() or 1))
    names = args.configs.split(",")
    rules = args.rules.split(",")
    sessions, known, keys, folds = train_folds(args.folds)
    rows = []
    for fold in range(args.folds):
        for name in names:
            row = run_fold(name, fold, folds, sessions, known, keys, rules)
            rows.append(row)
            print(
                f"fold {fold} {name}: dev F1 {row['dev_f1']:.4f}, FP {row['false_positives']}"
                f"/{row['n_held_out']}, recall {row['recall']}, {row['train_seconds']:.0f}s",
                flush=True,
            )
    RESULTS.mkdir(parents=True, exist_ok=True)
    configs = {n: {"params": CONFIGS[n][0], "validation": CONFIGS[n][1]} for n in names}
    out = {"folds": args.folds, "configs": configs, "runs": rows}
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    text = (
        "# LogBERT model selection on hdfs_train only (no test data)\n\n"
        f"{args.folds}-fold cross-validation of the 4,855 normal `hdfs_train` sessions; "
        f"threshold rules {', '.join(rules)} on each fold's validation split; mean ± sd over "
        "folds.\n\n" + table(rows, names, rules if len(rules) > 1 else None) + "\n"
    )
    args.out.with_suffix(".md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
