"""Masking benchmark: the kept values' and masks' pattern lists, gated vs run on every row.

    .venv/bin/python benchmarks/masking.py [--rounds 3]

`mask_symbols.apply_gated` runs each block of a pattern list only on the rows one of the block's
patterns matches; before it every pattern ran on every row the list's own check selected
(`apply_patterns`). Both are timed here in one run, interleaved, on real lines: the messages
(`Content`) of the 12 loghub-2.0 2k systems (`loghub2_2k_corrected`), all of them, and the
rows among them that hold a kept value (an error number, a status, a request: the rows that pay
for the long lists). The masked output of both must be identical (checked on every row; the
run fails otherwise). CPU seconds, best of `--rounds`.

Writes benchmarks/results/masking.json and benchmarks/results/masking.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from logbert.evaluation.datasets import datasets_dir  # noqa: E402
from logbert.parsing import kept_values, mask_symbols, masks  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def messages() -> list[str]:
    """Every loghub-2.0 2k system's `Content` column, systems in name order."""
    root = datasets_dir() / "loghub2_2k_corrected"
    lines: list[str] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        path = folder / f"{folder.name}_2k.log_structured_corrected.csv"
        with open(path, newline="", encoding="utf-8") as fh:
            lines += [row["Content"] for row in csv.DictReader(fh)]
    return lines


def masked(lines: pa.Array) -> list[str]:
    """Each line's masked text, as the parser's masks write it."""
    dictionary, codes, _words = masks.mask_array(lines)
    return dictionary.take(pa.array(codes)).to_pylist()


def timed(lines: pa.Array, gated: bool) -> tuple[float, list[str]]:
    """CPU seconds of `masked(lines)`, with `apply_gated` as it is or replaced by the flat
    `apply_patterns` it stands for; and the output."""
    real = mask_symbols.apply_gated
    flat = lambda arr, patterns, block=0: mask_symbols.apply_patterns(arr, patterns)  # noqa: E731
    swap = real if gated else flat
    kept_values.apply_gated = masks.apply_gated = swap
    masks._SHAPES_MASKED.clear()  # each run masks its shapes afresh
    try:
        started = time.process_time()
        out = masked(lines)
        return time.process_time() - started, out
    finally:
        kept_values.apply_gated = masks.apply_gated = real


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    lines = pa.array(messages())
    _marked, _ = kept_values.mark_array(lines)
    kept = pc.not_equal(_marked, lines)  # rows a kept value marked
    sets = {"all loghub 2k messages": lines, "messages with a kept value": lines.filter(kept)}
    rows = []
    for name, data in sets.items():
        best = {True: float("inf"), False: float("inf")}
        outputs = {}
        for _ in range(args.rounds):
            for gated in (False, True):
                seconds, outputs[gated] = timed(data, gated)
                best[gated] = min(best[gated], seconds)
        if outputs[True] != outputs[False]:
            raise SystemExit(f"{name}: gated and flat masking differ")
        rows.append(
            {
                "lines": name,
                "n": len(data),
                "flat_cpu_s": round(best[False], 3),
                "gated_cpu_s": round(best[True], 3),
                "speedup": round(best[False] / best[True], 2),
                "flat_lines_per_s": round(len(data) / best[False]),
                "gated_lines_per_s": round(len(data) / best[True]),
                "identical_output": True,
            }
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "masking.json").write_text(json.dumps(rows, indent=2) + "\n")
    table = [
        "| lines | n | flat CPU s | gated CPU s | speed-up | flat lines/s | gated lines/s |",
        "|---|---|---|---|---|---|---|",
    ] + [
        f"| {r['lines']} | {r['n']} | {r['flat_cpu_s']} | {r['gated_cpu_s']} | {r['speedup']}x "
        f"| {r['flat_lines_per_s']} | {r['gated_lines_per_s']} |"
        for r in rows
    ]
    text = "\n".join(table)
    (RESULTS / "masking.md").write_text(
        "# Masking: gated vs flat pattern lists (`benchmarks/masking.py`)\n\n"
        f"Best of {args.rounds} rounds, CPU seconds; outputs identical row by row.\n\n"
        + text + "\n"
    )
    print(text)


if __name__ == "__main__":
    main()
