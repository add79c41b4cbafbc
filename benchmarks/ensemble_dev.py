"""A seed ensemble of LogBERT models on the hdfs_dev folds (issue 11; rejected, kept to rerun).

    .venv/bin/python benchmarks/ensemble_dev.py --fold N     # one fold: 3 models, ~8 min
    .venv/bin/python benchmarks/ensemble_dev.py --table      # ensemble_dev.md from the folds

Per fold of `benchmarks/hdfs_dev.py` (no test data): three models with today's defaults and
seeds fold, fold+100, fold+200 on the same training and validation split; a k-model ensemble
gives each key the mean of its members' probabilities (a mixture). Dev F1 as in `hdfs_dev.py`
for each member alone (k = 1), the first two (k = 2) and all three (k = 3), with the decision
scores `max_surprise` and `score` and the rules `max` and `quantile:0.995`. The adoption rule
was written first: `results/ensemble_preregistration.md`. Writes
results/ensemble_dev_fold{N}.json, and with --table results/ensemble_dev.md.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hdfs_dev import DATA, RESULTS, projected_dev_f1, synthetic_anomalies  # noqa: E402
from logbert.models.logbert import LogBERT  # noqa: E402
from logbert.pipeline import Pipeline  # noqa: E402
from logbert.scoring.thresholds import calibrate  # noqa: E402
from logbert.sessions.io import Session, read_sessions  # noqa: E402

MEMBERS = 3
DECISIONS = ("max_surprise", "score")
RULES = ("max", "quantile:0.995")


class Mixture(nn.Module):
    """k encoders scored as one: the log of the mean of their key probabilities."""

    def __init__(self, members: list[nn.Module]) -> None:
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, tokens: torch.Tensor, extra: torch.Tensor | None = None) -> torch.Tensor:
        return torch.stack([m(tokens) for m in self.members], dim=-2)

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        log_probs = torch.stack(
            [
                torch.log_softmax(m.logits(hidden[..., i, :]).float(), -1)
                for i, m in enumerate(self.members)
            ]
        )
        return torch.logsumexp(log_probs, 0) - np.log(len(self.members))


def run_fold(fold: int) -> dict:
    sessions = [
        s.keys
        for s in read_sessions(DATA / "HDFS_v1_deeplog" / "hdfs_train", input_format="deeplog")
    ]
    known, keys = {tuple(s) for s in sessions}, sorted({k for s in sessions for k in s})
    folds = np.array_split(np.random.default_rng(12345).permutation(len(sessions)), 3)
    held = [sessions[i] for i in folds[fold]]
    rest = [sessions[i] for k, f in enumerate(folds) if k != fold for i in f]
    edited = synthetic_anomalies(held, keys, known, seed=fold)
    pipelines = []
    for member in range(MEMBERS):
        started = time.perf_counter()
        pipeline = Pipeline(LogBERT(seed=fold + 100 * member), validation_split=0.1, seed=fold)
        pipeline.fit([Session(str(i), ks) for i, ks in enumerate(rest)])
        print(f"fold {fold} member {member}: {time.perf_counter() - started:.0f}s", flush=True)
        pipelines.append(pipeline)
    validation = pipelines[0].validation_batch_  # the same split for every member
    models = {f"k1_m{m}": p.detector_ for m, p in enumerate(pipelines)}
    for k in range(2, MEMBERS + 1):
        mixture = copy.copy(pipelines[0].detector_)
        mixture.model_ = Mixture([p.detector_.model_ for p in pipelines[:k]])
        models[f"k{k}"] = mixture
    return {name: _dev_figures(model, validation, held, edited) for name, model in models.items()}


def _dev_figures(model: LogBERT, validation, held, edited) -> dict:
    out = {}
    for decision in DECISIONS:
        val = model.score_sessions(validation)[decision]
        normal = model.score_sessions(held)[decision]
        anomalous = {e: model.score_sessions(s)[decision] for e, s in edited.items()}
        for rule in RULES:
            threshold = calibrate(val, rule)
            fpr = float(np.mean(normal > threshold))
            recall = {e: float(np.mean(s > threshold)) for e, s in anomalous.items()}
            out[f"{decision}/{rule}"] = {
                "th": float(threshold),
                "fp": int(np.sum(normal > threshold)),
                "fpr": fpr,
                "recall": recall,
                "dev_f1": projected_dev_f1(fpr, float(np.mean(list(recall.values())))),
            }
    return out


def table() -> str:
    folds = sorted(RESULTS.glob("ensemble_dev_fold*.json"))
    runs = [json.loads(p.read_text()) for p in folds]
    lines = [
        "# A seed ensemble of LogBERT models on the hdfs_dev folds (no test data)",
        "",
        f"Dev F1 per fold ({len(runs)} folds); k = 1 is the mean of the three members alone. "
        "Rule: `results/ensemble_preregistration.md`.",
        "",
        "| decision / rule | k | "
        + " | ".join(f"fold {i}" for i in range(len(runs)))
        + " | mean | FP (all folds) |",
        "|---" * (4 + len(runs)) + "|",
    ]
    for figure in (f"{d}/{r}" for d in DECISIONS for r in RULES):
        for k in range(1, MEMBERS + 1):
            names = [f"k1_m{m}" for m in range(MEMBERS)] if k == 1 else [f"k{k}"]
            per_fold = [np.mean([run[n][figure]["dev_f1"] for n in names]) for run in runs]
            fp = sum(np.mean([run[n][figure]["fp"] for n in names]) for run in runs)
            lines.append(
                f"| `{figure}` | {k} | "
                + " | ".join(f"{f:.4f}" for f in per_fold)
                + f" | {np.mean(per_fold):.4f} | {fp:.1f} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fold", type=int)
    parser.add_argument("--table", action="store_true")
    args = parser.parse_args()
    if args.fold is not None:
        torch.set_num_threads(1)
        result = run_fold(args.fold)
        (RESULTS / f"ensemble_dev_fold{args.fold}.json").write_text(json.dumps(result, indent=1))
    if args.table:
        text = table()
        (RESULTS / "ensemble_dev.md").write_text(text)
        print(text)


if __name__ == "__main__":
    main()
