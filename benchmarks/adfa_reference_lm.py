"""The issue's reference for ADFA-LD, rebuilt: a system-call LSTM language model on the dev split.

    .venv/bin/python benchmarks/adfa_reference_lm.py [--epochs 150] [--eval-every 10]
        [--hidden 200] [--layers 1] [--threads 1] [--label NAME]

Issue 11 asks LogBERT for ROC-AUC >= 0.90 on ADFA-LD and names "classic system-call LSTM
language models" (Kim et al. 2016, arXiv 1611.01726) as the reference. This script builds
that reference on our own split, so the target can be read against what the reference model
reaches here with the same data and the same CPU, not against a figure from another setup:

- data: the 750 traces LogBERT fits (ADFA-LD `train` less the same seeded 10% validation
  split, `sessions.split.holdout`, seed 0); scoring on the **dev** part of
  `benchmarks/adfa_dev.py` only (half of `validation_normal` + Adduser, Hydra_FTP,
  Java_Meterpreter). The test part is never read.
- model, after Kim et al. (who, as we read the paper, used one layer of 200 cells up to two
  of 400): system-call embedding (32), `--layers` (1) LSTM layers of `--hidden` (200) cells,
  softmax over the calls; a trace is framed by a start/end token and trained in chunks of
  100 calls (truncated back-propagation), Adam 1e-3, batches of 32, gradients clipped at 1.
- score: the mean negative log-likelihood of the trace's calls (and its end), a call never
  seen in training counted at LogBERT's unseen-key cap (-log 1e-12).

Every `--eval-every` epochs it prints and records the CPU seconds so far, the validation
NLL and the dev ROC-AUC / PR-AUC, so one run gives the whole budget curve. Writes
benchmarks/results/adfa_reference_lm_<label>.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import average_precision_score, roc_auc_score
from torch import nn

from adfa_dev import split
from adfa_logbert import peak_rss_mb
from logbert.evaluation.benchmark import VALIDATION_FRACTION
from logbert.evaluation.datasets import datasets_dir
from logbert.evaluation.protocols import ADFA_DIR, read_adfa
from logbert.sessions.split import holdout

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
PAD, BOUNDARY, UNSEEN = 0, 1, 2  # BOUNDARY starts and ends a trace
CHUNK = 100
UNSEEN_SURPRISE = -float(np.log(1e-12))  # LogBERT's cap for a key never seen in training


class CallLanguageModel(nn.Module):
    def __init__(self, n_tokens: int, hidden: int, layers: int) -> None:
        super().__init__()
        self.embedding = nn.Embedding(n_tokens, 32, padding_idx=PAD)
        self.lstm = nn.LSTM(32, hidden, num_layers=layers, batch_first=True)
        self.out = nn.Linear(hidden, n_tokens)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        return self.out(self.lstm(self.embedding(tokens))[0])


def padded(rows: list[list[int]]) -> torch.Tensor:
    matrix = np.full((len(rows), max(len(r) for r in rows)), PAD, dtype=np.int64)
    for i, row in enumerate(rows):
        matrix[i, : len(row)] = row
    return torch.from_numpy(matrix)


@torch.inference_mode()
def mean_surprise(model: CallLanguageModel, traces: list[list[int]]) -> np.ndarray:
    """Per trace, the mean -log P(call | earlier calls) over its calls and its end."""
    model.eval()
    out = []
    for start in range(0, len(traces), 64):
        tokens = padded(traces[start : start + 64])
        log_prob = torch.log_softmax(model(tokens[:, :-1]), dim=-1)
        target = tokens[:, 1:]
        surprise = -log_prob.gather(2, target[..., None])[..., 0]
        surprise = torch.where(target == UNSEEN, UNSEEN_SURPRISE, surprise)
        scored = target != PAD
        out.extend(((surprise * scored).sum(1) / scored.sum(1)).tolist())
    model.train()
    return np.asarray(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=150)
    parser.add_argument("--eval-every", type=int, default=10)
    parser.add_argument("--hidden", type=int, default=200)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--label", default="default")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    train, normal, attack, _ = read_adfa(datasets_dir(ROOT) / ADFA_DIR)
    fit_index, val_index = holdout(list(range(len(train))), VALIDATION_FRACTION, 0)
    vocabulary: dict[int, int] = {}
    for i in fit_index:
        for key in train[i].keys:
            vocabulary.setdefault(int(key), len(vocabulary) + 3)

    def encode(keys) -> list[int]:
        return [BOUNDARY, *(vocabulary.get(int(k), UNSEEN) for k in keys), BOUNDARY]

    chunks = []
    for i in fit_index:
        tokens = encode(train[i].keys)
        chunks += [tokens[j : j + CHUNK + 1] for j in range(0, len(tokens) - 1, CHUNK)]
    validation = [encode(train[i].keys) for i in val_index]
    dev = split(normal, attack)["dev"]
    dev_traces = [encode(s.keys) for s in dev]
    labels = np.array([s.label == "anomaly" for s in dev], dtype=int)

    model = CallLanguageModel(len(vocabulary) + 3, args.hidden, args.layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    curve = []
    train_cpu = 0.0  # training only: the evaluations' scoring is not counted
    for epoch in range(1, args.epochs + 1):
        started = time.process_time()
        order = rng.permutation(len(chunks))
        for start in range(0, len(chunks), 32):
            batch = padded([chunks[j] for j in order[start : start + 32]])
            logits = model(batch[:, :-1])
            loss = nn.functional.cross_entropy(
                logits.reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1), ignore_index=PAD
            )
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
        train_cpu += time.process_time() - started
        if epoch % args.eval_every and epoch != args.epochs:
            continue
        scores = mean_surprise(model, dev_traces)
        point = {
            "epoch": epoch,
            "train_cpu_seconds": round(train_cpu, 1),
            "validation_nll": round(float(mean_surprise(model, validation).mean()), 4),
            "dev_roc_auc": round(float(roc_auc_score(labels, scores)), 4),
            "dev_pr_auc": round(float(average_precision_score(labels, scores)), 4),
        }
        curve.append(point)
        print(" ".join(f"{k} {v}" for k, v in point.items()), flush=True)

    result = {
        "label": args.label,
        "params": {
            "hidden": args.hidden,
            "layers": args.layers,
            "epochs": args.epochs,
            "seed": args.seed,
        },
        "n_fit_traces": len(fit_index),
        "n_chunks": len(chunks),
        "dev": {"n": len(dev), "n_anomalous": int(labels.sum())},
        "curve": curve,
        "peak_rss_mb": peak_rss_mb(),
    }
    out = RESULTS / f"adfa_reference_lm_{args.label}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{'epoch':>5} {'train CPU s':>11} {'val NLL':>8} {'dev ROC-AUC':>11} {'dev PR-AUC':>10}")
    for p in curve:
        print(
            f"{p['epoch']:>5} {p['train_cpu_seconds']:>11} {p['validation_nll']:>8} "
            f"{p['dev_roc_auc']:>11} {p['dev_pr_auc']:>10}"
        )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
