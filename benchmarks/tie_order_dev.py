"""Events of the same second in key order or in line order? A dev split of protocol B's
training blocks (no test data); the rule: `results/tie_order_preregistration.md`.

    .venv/bin/python benchmarks/tie_order_dev.py [--folds 3] [--threads 2] [--known]

Protocol B's training blocks (normal, first seen in the first half of the 2% HDFS log) are
regrouped with their timestamps from the parsed protocol-B cache and cut into folds. Per fold a
LogBERT with today's defaults is fitted on the other folds in each order (`Pipeline.fit`, 10%
validation, `max`), and scores the held-out blocks (false-positive rate) and synthetic edits of
them (`hdfs_dev.py`'s four edits made on the timed events, the same draws for both orders, each
edited block then put in the order under test). Writes results/tie_order_dev.json and .md.

`--known` (rule K2, `results/tie_known_preregistration.md`): line order only, each fold's model
scored twice: today's known-sequence rule ("exact"), and that rule widened to sessions whose
canonical sequence (key order within each timestamp) 2 or more fitted sessions have
("canonical"). Writes results/tie_known_dev.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from itertools import groupby
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hdfs_dev import DATA, EDITS, RESULTS, projected_dev_f1  # noqa: E402
from logbert.evaluation.protocols import build_protocol  # noqa: E402
from logbert.models.logbert import LogBERT  # noqa: E402
from logbert.pipeline import Pipeline  # noqa: E402
from logbert.sessions.io import Session  # noqa: E402
from logbert.sessions.split import holdout  # noqa: E402

ORDERS = ("line", "key")
BLOCK = re.compile(r"blk_-?\d+")

Event = tuple[object, int]  # (timestamp, key)


def in_order(events: list[Event], order: str) -> tuple[int, ...]:
    """The keys of timed events in line order, or with each run of one timestamp in key order."""
    if order == "line":
        return tuple(k for _, k in events)
    runs = groupby(events, key=lambda e: e[0])
    return tuple(k for _, run in runs for k in sorted(k for _, k in run))


def timed_blocks(work: Path, ids: set[str]) -> dict[str, list[Event]]:
    """Each training block's (timestamp, key) events in line order, from the parse cache."""
    table = pq.read_table(work / "protocol_b" / "events.parquet",
                          columns=["timestamp", "content", "template_id"]).to_pydict()  # fmt: skip
    blocks: dict[str, list[Event]] = defaultdict(list)
    columns = (table["timestamp"], table["content"], table["template_id"])
    for ts, content, key in zip(*columns, strict=True):
        for block in dict.fromkeys(BLOCK.findall(content)):
            if block in ids:
                blocks[block].append((ts, int(key)))
    return blocks


def training_blocks(work: Path) -> list[list[Event]]:
    """Protocol B's training blocks as timed events, in the protocol's order (checked against
    its sessions); `work` holds (or gets) the protocol's parse cache."""
    data = build_protocol("B", DATA, work)
    ids = [s.session_id for s in data.train]
    by_id = timed_blocks(work, set(ids))
    for s in data.train:  # the regrouping must give the protocol's sessions
        assert list(in_order(by_id[s.session_id], "line")) == s.keys, s.session_id
    return [by_id[i] for i in ids]


def edits(events: list[Event], keys: list[int], rng: np.random.Generator) -> dict[str, list[Event]]:
    """`hdfs_dev.py`'s four edits on timed events (an inserted or moved event takes the time of
    the event before its new place, or after it at the start)."""
    n = len(events)
    out: dict[str, list[Event]] = {}
    if n >= 2:
        i = int(rng.integers(n))
        out["delete"] = events[:i] + events[i + 1 :]
        out["truncate"] = events[: int(rng.integers(1, n))]
    i = int(rng.integers(n + 1))
    stamp = events[i - 1][0] if i else events[0][0]
    out["insert"] = [*events[:i], (stamp, int(rng.choice(keys))), *events[i:]]
    if n >= 4:
        i = int(rng.integers(n))
        rest = events[:i] + events[i + 1 :]
        j = int(rng.choice([j for j in range(len(rest) + 1) if abs(j - i) >= 3]))
        stamp = rest[j - 1][0] if j else rest[0][0]
        out["move"] = [*rest[:j], (stamp, events[i][1]), *rest[j:]]
    return out


def fitted(sequences: list[tuple[int, ...]], fold: int) -> tuple[Pipeline, float]:
    """LogBERT with today's defaults through `Pipeline.fit` (10% validation, `max`); seconds."""
    pipeline = Pipeline(LogBERT(seed=fold), validation_split=0.1, seed=fold)
    started = time.perf_counter()
    pipeline.fit([Session(str(i), list(s)) for i, s in enumerate(sequences)])
    return pipeline, time.perf_counter() - started


def edited_blocks(
    held: list[list[Event]], keys: list[int], order: str, known: set, fold: int
) -> dict[str, list[list[Event]]]:
    """The four edits of each held-out block (seeded by fold: the same draws for every order
    and rule), less those whose sequence in `order` is the block's own or a training block's."""
    rng = np.random.default_rng(fold)
    out: dict[str, list[list[Event]]] = {e: [] for e in EDITS}
    for block in held:
        original = in_order(block, order)
        for edit, events in edits(block, keys, rng).items():
            seq = in_order(events, order)
            if seq != original and seq not in known:
                out[edit].append(events)
    return out


def result_row(name: str, fold: int, threshold: float, normal: np.ndarray,
               edited: dict[str, np.ndarray], **extra: object) -> dict:  # fmt: skip
    """Dev F1 and its parts from the held-out normal and the edited blocks' scores."""
    recall = {e: float(np.mean(scores > threshold)) for e, scores in edited.items()}
    fpr = float(np.mean(normal > threshold))
    return {
        "order": name,
        "fold": fold,
        "n_edited": {e: len(scores) for e, scores in edited.items()},
        "threshold": threshold,
        "fpr": fpr,
        "false_positives": int(np.sum(normal > threshold)),
        "recall": recall,
        "dev_f1": projected_dev_f1(fpr, float(np.mean(list(recall.values())))),
        **extra,
    }


def run_fold(fold: int, folds: list[np.ndarray], blocks: list[list[Event]], order: str) -> dict:
    """A model trained and scored on the blocks in `order`."""
    held = [blocks[i] for i in folds[fold]]
    rest = [blocks[i] for k, f in enumerate(folds) if k != fold for i in f]
    train_seqs = [in_order(b, order) for b in rest]
    known, keys = set(train_seqs), sorted({k for s in train_seqs for k in s})
    pipeline, seconds = fitted(train_seqs, fold)
    model, threshold = pipeline.detector_, pipeline.threshold_.value

    def scored(timed: list[list[Event]]) -> np.ndarray:
        return model.decision_function([list(in_order(b, order)) for b in timed])

    edited = edited_blocks(held, keys, order, known, fold)
    return result_row(
        order, fold, threshold, scored(held), {e: scored(b) for e, b in edited.items()},
        n_train=len(rest), n_held_out=len(held), train_seconds=seconds,
        distinct_training_sequences=len(known),
    )  # fmt: skip


def run_known_fold(fold: int, folds: list[np.ndarray], blocks: list[list[Event]]) -> list[dict]:
    """One line-order model, scored with the exact and the canonical known-sequence rule."""
    held = [blocks[i] for i in folds[fold]]
    rest = [blocks[i] for k, f in enumerate(folds) if k != fold for i in f]
    lines = [in_order(b, "line") for b in rest]
    known_lines, keys = set(lines), sorted({k for s in lines for k in s})
    pipeline, seconds = fitted(lines, fold)
    model = pipeline.detector_
    fitted_index, val_index = holdout(list(range(len(rest))), 0.1, fold)  # Pipeline.fit's split
    canonical = Counter(in_order(rest[i], "key") for i in fitted_index)
    validation = [rest[i] for i in val_index]

    def scored(timed: list[list[Event]], rule: str) -> np.ndarray:
        out = model.decision_function([list(in_order(b, "line")) for b in timed])
        if rule == "canonical":
            out[[canonical[in_order(b, "key")] >= 2 for b in timed]] = 0.0
        return out

    assert np.allclose(np.sort(scored(validation, "exact")), np.sort(pipeline.validation_scores_))
    edited = edited_blocks(held, keys, "line", known_lines, fold)
    rows = []
    for rule in ("exact", "canonical"):
        normal = scored(held, rule)
        rows.append(result_row(
            rule, fold, float(scored(validation, rule).max()), normal,
            {e: scored(b, rule) for e, b in edited.items()},
            n_train=len(fitted_index), n_held_out=len(held), train_seconds=seconds,
            distinct_training_sequences=len(set(lines)) if rule == "exact" else len(canonical),
            validation_known=int(np.sum(scored(validation, rule) == 0)),
            held_out_known=int(np.sum(normal == 0)),
        ))  # fmt: skip
    return rows


def table(rows: list[dict], column: str = "order") -> str:
    """Markdown rows and each order's (or rule's, `column="rule"`) mean dev F1."""
    recalls = " | ".join(f"recall {e}" for e in EDITS)
    lines = [
        f"| {column} | fold | dev F1 | FPR % (FP) | threshold | {recalls} | edited blocks | "
        "distinct training sequences | train s |",
        "|---" * (8 + len(EDITS)) + "|",
    ]
    for r in rows:
        lines.append(
            f"| {r['order']} | {r['fold']} | {r['dev_f1']:.4f} | {100 * r['fpr']:.3f} "
            f"({r['false_positives']}) | {r['threshold']:.3f} | "
            + " | ".join(f"{r['recall'][e]:.3f}" for e in EDITS)
            + f" | {sum(r['n_edited'].values())} | {r['distinct_training_sequences']} | "
            f"{r['train_seconds']:.0f} |"
        )
    for order in dict.fromkeys(r["order"] for r in rows):
        f1 = np.array([r["dev_f1"] for r in rows if r["order"] == order])
        if len(f1):
            name = f"{order} order" if column == "order" else order
            lines.append(f"\n{name}: mean dev F1 {f1.mean():.4f} ± {f1.std():.4f}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--work-dir", type=Path, default=None)
    parser.add_argument("--known", action="store_true", help="rule K2: the known-sequence rule")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    name = "tie_known_dev" if args.known else "tie_order_dev"
    out = args.out or RESULTS / f"{name}.json"
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="logbert-tie-"))
    blocks = training_blocks(work)
    shuffled = np.random.default_rng(0).permutation(len(blocks))
    folds = np.array_split(shuffled, args.folds)
    rows: list[dict] = []
    for fold in range(args.folds):
        runs = run_known_fold(fold, folds, blocks) if args.known else [
            run_fold(fold, folds, blocks, order) for order in ORDERS
        ]  # fmt: skip
        for r in runs:
            rows.append(r)
            print(f"[fold {fold} {r['order']}] dev F1 {r['dev_f1']:.4f}, FP "
                  f"{r['false_positives']}, recall {r['recall']}, threshold "
                  f"{r['threshold']:.3f}, {r['train_seconds']:.0f}s", flush=True)  # fmt: skip
        out.write_text(json.dumps({"folds": args.folds, "rows": rows}, indent=1))
    text = table(rows, "rule" if args.known else "order")
    title = (
        "A known sequence up to the order within one second: protocol B's training blocks (dev)"
        if args.known
        else "Events of one second in key order vs line order: protocol B's training blocks (dev)"
    )
    rule = "tie_known_preregistration.md" if args.known else "tie_order_preregistration.md"
    out.with_suffix(".md").write_text(f"# {title}\n\nRule and design: `{rule}`.\n\n{text}")
    print(text)


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
