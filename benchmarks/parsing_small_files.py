"""Parsing accuracy when each loghub-2.0 2k log comes as many small files parsed together.

    .venv/bin/python benchmarks/parsing_small_files.py [--lines 250,50]

One log file per job, build or boot is common (QA: Airflow task logs, dmesg per boot), and the
miner then mines each file's few messages as a batch. Each 2k log is cut into files of N lines
given to one `parse_files` run, and GA (grouping accuracy against the corrected ground truth)
is compared with the whole file's. Prints a table and writes
`benchmarks/results/parsing_small_files.{md,json}`.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from logbert.evaluation.datasets import datasets_dir  # noqa: E402
from logbert.parsing.accuracy import parsing_metrics  # noqa: E402
from logbert.parsing.formats import resolve_format  # noqa: E402
from logbert.parsing.pipeline import parse_files  # noqa: E402

SYSTEMS = ["Android", "Apache", "BGL", "HDFS", "HPC", "Hadoop", "Linux", "OpenSSH",
           "Proxifier", "Spark", "Windows", "Zookeeper"]  # fmt: skip


def grouping_accuracy(system: str, lines_per_file: int | None, tmp: Path) -> float:
    """GA of one system's 2k log parsed whole (None) or as files of `lines_per_file` lines."""
    folder = datasets_dir(ROOT) / "loghub2_2k_corrected" / system
    text = (folder / f"{system}_2k.log").read_text(encoding="utf-8", errors="replace")
    lines = text.splitlines(keepends=True)
    size = lines_per_file or len(lines)
    files = []
    for start in range(0, len(lines), size):
        path = tmp / f"{system}-{size}-{start:05d}.log"
        path.write_text("".join(lines[start : start + size]), encoding="utf-8")
        files.append(path)
    out = tmp / f"{system}-{size}.parquet"
    parse_files([str(f) for f in files], resolve_format(system), out)
    table = pq.read_table(out, columns=["source", "line_no", "template_id"]).to_pydict()
    offset = {f.name: k * size for k, f in enumerate(files)}
    ids = {
        offset[source] + line_no: tid
        for source, line_no, tid in zip(
            table["source"], table["line_no"], table["template_id"], strict=True
        )
    }
    with open(out.with_name("templates.csv"), newline="", encoding="utf-8") as fh:
        final = {int(r["template_id"]): r["template"] for r in csv.DictReader(fh)}
    with open(folder / f"{system}_2k.log_structured_corrected.csv", newline="",
              encoding="utf-8") as fh:  # fmt: skip
        truth = [r["EventTemplate"] for r in csv.DictReader(fh)]
    predicted = [ids.get(i, ("rejected", i)) for i in range(1, len(lines) + 1)]
    templates = [final.get(t, "") if isinstance(t, int) else "" for t in predicted]
    return parsing_metrics(truth, predicted, templates)["GA"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", default="250,50", help="lines per file, comma-separated")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = ap.parse_args()
    sizes: list[int | None] = [None, *(int(n) for n in args.lines.split(","))]
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        for size in sizes:
            label = "whole file" if size is None else f"files of {size} lines"
            column = {s: grouping_accuracy(s, size, Path(tmpdir)) for s in SYSTEMS}
            column["mean"] = sum(column.values()) / len(SYSTEMS)
            results[label] = column
    labels = list(results)
    rows = ["| system | " + " | ".join(f"GA, {label}" for label in labels) + " |",
            "|---|" + "---|" * len(labels)]  # fmt: skip
    for system in [*SYSTEMS, "mean"]:
        cells = " | ".join(f"{results[label][system]:.3f}" for label in labels)
        rows.append(f"| {system} | {cells} |")
    table = "\n".join(rows)
    print(table)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "parsing_small_files.json").write_text(json.dumps(results, indent=1) + "\n")
    (out / "parsing_small_files.md").write_text(
        "# Parsing accuracy, logs cut into small files\n\n`benchmarks/parsing_small_files.py`: "
        "each loghub-2.0 2k log (corrected truth) parsed whole, and cut into files of N lines "
        "parsed together in one run.\n\n" + table + "\n"
    )


if __name__ == "__main__":
    main()
