"""Which per-session decision score ranks best at the top? Two dev splits, no test data; the
rule: `results/decision_topk_preregistration.md` (rule D).

    .venv/bin/python benchmarks/decision_dev.py [--data hdfs-train,hdfs-b] [--folds 3]
        [--work-dir <protocol-B cache>]

Per fold one LogBERT with today's defaults is fitted (`Pipeline.fit`, 10% validation, seed =
fold) and scores its validation split, the held-out normal sessions and the four synthetic
edits of them once; every decision score comes from that one pass:

- `max_surprise`: the least expected key's surprise (today's decision for one-window sessions);
- `top2`, `top3`: the sum of the 2 / 3 largest per-position surprises;
- `score`: the mean surprise (a reference, not a candidate).

Each is thresholded by `max` over the validation sessions the pipeline calibrates on (those
without unseen keys; split calibration, as `logbert train` uses at this size), and gives a
projected dev F1 as in `hdfs_dev.py`.

- `hdfs-train`: `hdfs_dev.py`'s folds of the 4,855 normal `hdfs_train` sessions and its edits.
- `hdfs-b`: `tie_order_dev.py`'s folds of protocol B's 4,083 training blocks (line order) and
  its edits of the timed events; the test half is never read.

Writes results/decision_dev.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hdfs_dev import EDITS, RESULTS, projected_dev_f1, synthetic_anomalies, train_folds  # noqa: E402
from logbert.models.logbert import LogBERT  # noqa: E402
from tie_order_dev import edited_blocks, fitted, in_order, training_blocks  # noqa: E402

DECISIONS = ("max_surprise", "top2", "top3", "score")


def decision_scores(model: LogBERT, sessions) -> dict[str, np.ndarray]:
    """Every decision score of `sessions` from one scoring pass."""
    out = model.score_sessions(sessions, top_events=3)
    largest = [[e["surprise"] for e in events] for events in out["top_events"]]
    known = out["max_surprise"] == 0.0  # a known sequence scores 0 everywhere
    scores = {"max_surprise": out["max_surprise"], "score": out["score"]}
    for k in (2, 3):
        summed = np.array([sum(s[:k]) for s in largest], dtype=float)
        summed[known] = 0.0
        scores[f"top{k}"] = summed
    return scores


def fold_rows(data: str, fold: int, train: list[list[int]], held: list[list[int]],
              edited: dict[str, list[list[int]]]) -> list[dict]:  # fmt: skip
    """Fit one model on `train` and score every decision on the same sessions."""
    pipeline, seconds = fitted(train, fold)
    model = pipeline.detector_
    # the validation sessions the split's threshold rests on (those without unseen keys)
    validation = decision_scores(model, pipeline.validation_batch_)
    assert np.isclose(validation["max_surprise"].max(), pipeline.threshold_.value)
    normal = decision_scores(model, held)
    anomalous = {e: decision_scores(model, seqs) for e, seqs in edited.items()}
    rows = []
    for decision in DECISIONS:
        threshold = float(validation[decision].max())
        recall = {e: float(np.mean(s[decision] > threshold)) for e, s in anomalous.items()}
        fpr = float(np.mean(normal[decision] > threshold))
        rows.append({
            "data": data, "fold": fold, "decision": decision, "threshold": threshold,
            "fpr": fpr, "false_positives": int(np.sum(normal[decision] > threshold)),
            "recall": recall, "n_edited": {e: len(s) for e, s in edited.items()},
            "dev_f1": projected_dev_f1(fpr, float(np.mean(list(recall.values())))),
            "n_validation": len(pipeline.validation_batch_), "n_held_out": len(held),
            "train_seconds": seconds,
        })  # fmt: skip
    return rows


def hdfs_train_folds(n_folds: int):
    """`hdfs_dev.py`'s folds: (train, held-out, edits) per fold."""
    sessions, known, keys, folds = train_folds(n_folds)
    for fold in range(n_folds):
        held = [sessions[i] for i in folds[fold]]
        rest = [sessions[i] for k, f in enumerate(folds) if k != fold for i in f]
        yield fold, rest, held, synthetic_anomalies(held, keys, known, seed=fold)


def hdfs_b_folds(n_folds: int, work: Path):
    """`tie_order_dev.py`'s folds of protocol B's training blocks, line order."""
    blocks = training_blocks(work)
    folds = np.array_split(np.random.default_rng(0).permutation(len(blocks)), n_folds)
    for fold in range(n_folds):
        held = [blocks[i] for i in folds[fold]]
        rest = [blocks[i] for k, f in enumerate(folds) if k != fold for i in f]
        train = [list(in_order(b, "line")) for b in rest]
        known, keys = set(map(tuple, train)), sorted({k for s in train for k in s})
        edited = edited_blocks(held, keys, "line", known, fold)
        as_keys = {e: [list(in_order(b, "line")) for b in bs] for e, bs in edited.items()}
        yield fold, train, [list(in_order(b, "line")) for b in held], as_keys


def table(rows: list[dict]) -> str:
    lines = [
        "| data | decision | dev F1 per fold | mean dev F1 | FP | "
        + " | ".join(f"recall {e}" for e in EDITS) + " |",
        "|---" * (5 + len(EDITS)) + "|",
    ]  # fmt: skip
    for data in dict.fromkeys(r["data"] for r in rows):
        for decision in DECISIONS:
            rs = [r for r in rows if r["data"] == data and r["decision"] == decision]
            if not rs:
                continue
            f1 = [r["dev_f1"] for r in rs]
            recall = [np.mean([r["recall"][e] for r in rs]) for e in EDITS]
            lines.append(
                f"| {data} | {decision} | {' / '.join(f'{x:.4f}' for x in f1)} | "
                f"{np.mean(f1):.4f} | {sum(r['false_positives'] for r in rs)} | "
                + " | ".join(f"{x:.3f}" for x in recall) + " |"
            )  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="hdfs-train,hdfs-b")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--work-dir", type=Path, default=None, help="protocol-B cache")
    parser.add_argument("--out", type=Path, default=RESULTS / "decision_dev.json")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    rows: list[dict] = []
    for data in args.data.split(","):
        if data == "hdfs-train":
            folds = hdfs_train_folds(args.folds)
        else:
            work = args.work_dir or Path(tempfile.mkdtemp(prefix="logbert-decision-"))
            folds = hdfs_b_folds(args.folds, work)
        for fold, train, held, edited in folds:
            for r in fold_rows(data, fold, train, held, edited):
                rows.append(r)
                print(f"[{data} fold {fold} {r['decision']}] dev F1 {r['dev_f1']:.4f}, FP "
                      f"{r['false_positives']}, recall {r['recall']}, threshold "
                      f"{r['threshold']:.3f}, {r['train_seconds']:.0f}s", flush=True)  # fmt: skip
            args.out.write_text(json.dumps({"folds": args.folds, "rows": rows}, indent=1))
    text = table(rows)
    title = "Decision scores on two dev splits (no test data)"
    args.out.with_suffix(".md").write_text(
        f"# {title}\n\nRule and design: `decision_topk_preregistration.md`.\n\n{text}\n"
    )
    print(text)


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
