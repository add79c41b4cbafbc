"""Parsing benchmark: our miner vs Drain3, side by side, in one run.

    .venv/bin/python benchmarks/parsing.py [--systems HDFS,BGL] [--no-speed]

1. Accuracy on loghub2_2k_corrected (12 systems): GA, PA, FGA, FTA per system and the means,
   for `logbert parse` (our miner) and `logbert parse --parser drain3` (Drain3 with the same
   generic masks), both through the same format split; ground truth is the corrected
   EventTemplate, templates normalised with loghub-2.0's correction on both sides.
2. Throughput on HDFS_v1_loglead_2pct/HDFS_2pct.log.gz: `parse_files` end to end (read .gz,
   split, mine, write parquet) vs Drain3 (read .gz, split, `add_log_message` per line, no
   output) with generic masks and without masks.
3. Peak memory (ru_maxrss of a child process running parse) on the file and on a 10x
   concatenation of it.

Writes benchmarks/results/parsing.json and benchmarks/results/parsing.md.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from logbert.parsing.accuracy import parsing_metrics  # noqa: E402
from logbert.parsing.drain3_miner import make_drain3  # noqa: E402
from logbert.parsing.formats import resolve_format  # noqa: E402
from logbert.parsing.pipeline import parse_files  # noqa: E402

SYSTEMS = ["Android", "Apache", "BGL", "HDFS", "HPC", "Hadoop", "Linux", "OpenSSH",
           "Proxifier", "Spark", "Windows", "Zookeeper"]  # fmt: skip
METRICS = ("GA", "PA", "FGA", "FTA")
PARSERS = ("logbert", "drain3")


def data_root() -> Path:
    return Path(os.environ.get("LOGBERT_DATA", ROOT.parent / "shared" / "datasets"))


def predict(log: Path, system: str, parser: str, tmp: Path) -> tuple[list, list]:
    """Per-line (template id, final template); rejected lines get a group of their own."""
    out = tmp / f"{system}-{parser}.parquet"
    parse_files([str(log)], resolve_format(system), out, parser=parser)
    table = pq.read_table(out, columns=["line_no", "template_id"]).to_pydict()
    with open(out.with_name("templates.csv"), newline="", encoding="utf-8") as fh:
        final = {int(r["template_id"]): r["template"] for r in csv.DictReader(fh)}
    ids: dict[int, object] = {}
    for line_no, tid in zip(table["line_no"], table["template_id"], strict=True):
        ids[line_no] = tid
    with open(log, "rb") as fh:
        n = sum(1 for _ in fh)
    pred_ids = [ids.get(i, ("rejected", i)) for i in range(1, n + 1)]
    pred_tpl = [final.get(t, "") if isinstance(t, int) else "" for t in pred_ids]
    return pred_ids, pred_tpl


def accuracy(systems: list[str]) -> dict:
    root = data_root() / "loghub2_2k_corrected"
    results: dict = {p: {} for p in PARSERS}
    with tempfile.TemporaryDirectory() as tmpdir:
        for system in systems:
            log = root / system / f"{system}_2k.log"
            with open(root / system / f"{system}_2k.log_structured_corrected.csv",
                      newline="", encoding="utf-8") as fh:  # fmt: skip
                rows = list(csv.DictReader(fh))
            truth = [r["EventTemplate"] for r in rows]
            for parser in PARSERS:
                ids, tpls = predict(log, system, parser, Path(tmpdir))
                results[parser][system] = parsing_metrics(truth, ids, tpls)
    for parser in PARSERS:
        per = results[parser]
        per["mean"] = {m: sum(per[s][m] for s in systems) / len(systems) for m in METRICS}
    return results


def drain3_speed(path: Path, masks: bool) -> float:
    """Lines/s of Drain3 on the file: read .gz, split the header, add each message."""
    miner = make_drain3(masks)
    header = re.compile(resolve_format("hdfs").regex)
    start = time.perf_counter()
    n = 0
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
        for line in fh:
            m = header.match(line.rstrip("\n"))
            if m:
                miner.add_log_message(m.group("Content"))
            n += 1
    return n / (time.perf_counter() - start)


def ours_speed(path: Path, tmp: Path) -> float:
    summary = parse_files([str(path)], resolve_format("hdfs"), tmp / "speed.parquet")
    return summary.lines / summary.seconds


_CHILD = """
import resource, sys
from pathlib import Path
from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files
s = parse_files([sys.argv[1]], resolve_format("hdfs"), Path(sys.argv[2]))
print(s.lines, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_memory(path: Path, tmp: Path) -> dict:
    """ru_maxrss (MiB) of a child parsing the file, and a 10x concatenation of it."""
    big = tmp / "HDFS_2pct_x10.log.gz"
    with open(big, "wb") as out:
        for _ in range(10):
            with open(path, "rb") as src:
                shutil.copyfileobj(src, out)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    res = {}
    for key, p in (("x1", path), ("x10", big)):
        done = subprocess.run([sys.executable, "-c", _CHILD, str(p), str(tmp / f"{key}.parquet")],
                              capture_output=True, text=True, env=env, check=True)  # fmt: skip
        lines, rss_kib = done.stdout.split()
        res[key] = {"lines": int(lines), "peak_mib": int(rss_kib) / 1024}
    res["ratio"] = res["x10"]["peak_mib"] / res["x1"]["peak_mib"]
    return res


def speed() -> dict:
    path = data_root() / "HDFS_v1_loglead_2pct" / "HDFS_2pct.log.gz"
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        ours = max(ours_speed(path, tmp) for _ in range(2))
        masked = drain3_speed(path, masks=True)
        unmasked = drain3_speed(path, masks=False)
        memory = peak_memory(path, tmp)
    return {
        "ours_lines_per_s": ours,
        "drain3_masked_lines_per_s": masked,
        "drain3_unmasked_lines_per_s": unmasked,
        "ratio_vs_masked": ours / masked,
        "ratio_vs_unmasked": ours / unmasked,
        "memory": memory,
    }


def markdown(acc: dict, systems: list[str], spd: dict | None) -> str:
    head = "| system | " + " | ".join(f"{m} ours | {m} Drain3" for m in METRICS) + " |"
    lines = ["## Parsing accuracy (loghub-2.0 2k, corrected ground truth)", "", head,
             "|---" * (1 + 2 * len(METRICS)) + "|"]  # fmt: skip
    for s in [*systems, "mean"]:
        cells = [f"{acc[p][s][m]:.3f}" for m in METRICS for p in PARSERS]
        name = f"**{s}**" if s == "mean" else s
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if spd:
        mem = spd["memory"]
        lines += [
            "", "## Speed and memory (HDFS_2pct.log.gz, 222,579 lines)", "",
            "| measure | value |", "|---|---|",
            f"| ours, end to end incl. parquet (lines/s) | {spd['ours_lines_per_s']:,.0f} |",
            f"| Drain3, generic masks (lines/s) | {spd['drain3_masked_lines_per_s']:,.0f} |",
            f"| Drain3, no masks (lines/s) | {spd['drain3_unmasked_lines_per_s']:,.0f} |",
            f"| ours / Drain3 masked | {spd['ratio_vs_masked']:.2f}x |",
            f"| ours / Drain3 unmasked | {spd['ratio_vs_unmasked']:.2f}x |",
            f"| peak RSS, file (MiB) | {mem['x1']['peak_mib']:.0f} |",
            f"| peak RSS, 10x file (MiB) | {mem['x10']['peak_mib']:.0f} |",
            f"| memory ratio 10x / 1x | {mem['ratio']:.2f} |",
        ]  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--systems", default=",".join(SYSTEMS))
    ap.add_argument("--no-speed", action="store_true", help="accuracy only")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = ap.parse_args()
    systems = args.systems.split(",")
    acc = accuracy(systems)
    spd = None if args.no_speed else speed()
    text = markdown(acc, systems, spd)
    print(text)
    if systems == SYSTEMS:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "parsing.json").write_text(json.dumps({"accuracy": acc, "speed": spd}, indent=1))
        (out / "parsing.md").write_text(text)


if __name__ == "__main__":
    main()
