"""Parsing benchmark: our miner vs Drain3, side by side, in one run.

    .venv/bin/python benchmarks/parsing.py [--systems HDFS,BGL] [--no-speed]

1. Accuracy on loghub2_2k_corrected (12 systems): GA, PA, FGA, FTA per system and the means,
   for `logbert parse` (our miner) and `logbert parse --parser drain3` (Drain3 with the same
   generic masks), both through the same format split; ground truth is the corrected
   EventTemplate, templates normalised with loghub-2.0's correction on both sides.
2. Throughput on HDFS_v1_loglead_2pct/HDFS_2pct.log.gz: `parse_files` end to end (read .gz,
   split, mine, write parquet) vs Drain3 (read .gz, split, `add_log_message` per line, no
   output) with generic masks and without masks; best of 3 interleaved rounds, by wall clock
   and by CPU time (the benchmark machine is shared, so wall time is noisy).
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

from logbert.evaluation.datasets import datasets_dir  # noqa: E402
from logbert.parsing.accuracy import parsing_metrics  # noqa: E402
from logbert.parsing.drain3_miner import make_drain3  # noqa: E402
from logbert.parsing.formats import resolve_format  # noqa: E402
from logbert.parsing.pipeline import parse_files  # noqa: E402

SYSTEMS = ["Android", "Apache", "BGL", "HDFS", "HPC", "Hadoop", "Linux", "OpenSSH",
           "Proxifier", "Spark", "Windows", "Zookeeper"]  # fmt: skip
METRICS = ("GA", "PA", "FGA", "FTA")
PARSERS = ("logbert", "drain3")


def data_root() -> Path:
    return datasets_dir(ROOT)


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
        per["mean"] = {
            m: sum(per[s][m] for s in systems) / len(systems) for m in (*METRICS, "PA_raw")
        }
    return results


def _timed(fn) -> tuple[int, float, float]:
    """(lines, wall seconds, CPU seconds of this process, all threads)."""
    wall, cpu = time.perf_counter(), time.process_time()
    n = fn()
    return n, time.perf_counter() - wall, time.process_time() - cpu


def drain3_run(path: Path, masks: bool) -> int:
    """Drain3 on the file: read .gz, split the header, add each message; returns lines."""
    miner = make_drain3(masks)
    header = re.compile(resolve_format("hdfs").regex)
    n = 0
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
        for line in fh:
            m = header.match(line.rstrip("\n"))
            if m:
                miner.add_log_message(m.group("Content"))
            n += 1
    return n


def ours_run(path: Path, tmp: Path) -> int:
    return parse_files([str(path)], resolve_format("hdfs"), tmp / "speed.parquet").lines


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


def speed(rounds: int = 3) -> dict:
    """Best of `rounds` interleaved runs each (the machine is shared: timings are noisy)."""
    path = data_root() / "HDFS_v1_loglead_2pct" / "HDFS_2pct.log.gz"
    runs = {
        "ours": lambda tmp: ours_run(path, tmp),
        "drain3_masked": lambda tmp: drain3_run(path, True),
        "drain3_unmasked": lambda tmp: drain3_run(path, False),
    }
    best: dict = {k: {"wall": 0.0, "cpu": 0.0} for k in runs}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for _ in range(rounds):
            for key, fn in runs.items():
                n, wall, cpu = _timed(lambda fn=fn: fn(tmp))
                best[key]["wall"] = max(best[key]["wall"], n / wall)
                best[key]["cpu"] = max(best[key]["cpu"], n / cpu)
        memory = peak_memory(path, tmp)
    out: dict = {f"{k}_lines_per_s": v for k, v in best.items()}
    for basis in ("wall", "cpu"):
        for peer in ("drain3_masked", "drain3_unmasked"):
            out[f"ratio_{basis}_vs_{peer}"] = best["ours"][basis] / best[peer][basis]
    out["memory"] = memory
    return out


def _rate(spd: dict, key: str) -> str:
    r = spd[f"{key}_lines_per_s"]
    return f"{r['wall']:,.0f} / {r['cpu']:,.0f}"


def _ratio(spd: dict, peer: str) -> str:
    return f"{spd[f'ratio_wall_vs_{peer}']:.2f}x / {spd[f'ratio_cpu_vs_{peer}']:.2f}x"


def markdown(acc: dict, systems: list[str], spd: dict | None) -> str:
    head = "| system | " + " | ".join(f"{m} ours | {m} Drain3" for m in METRICS) + " |"
    lines = ["## Parsing accuracy (loghub-2.0 2k, corrected ground truth)", "", head,
             "|---" * (1 + 2 * len(METRICS)) + "|"]  # fmt: skip
    for s in [*systems, "mean"]:
        cells = [f"{acc[p][s][m]:.3f}" for m in METRICS for p in PARSERS]
        name = f"**{s}**" if s == "mean" else s
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    raw = " vs ".join(f"{acc[p]['mean']['PA_raw']:.3f} ({p})" for p in PARSERS)
    lines += ["", f"PA without template normalisation (exact text), mean: {raw}."]
    if spd:
        mem = spd["memory"]
        lines += [
            "", "## Speed and memory (HDFS_2pct.log.gz, 222,579 lines)", "",
            "| measure | value |", "|---|---|",
            f"| ours, end to end incl. parquet (lines/s, wall / CPU) | {_rate(spd, 'ours')} |",
            f"| Drain3, generic masks (lines/s, wall / CPU) | {_rate(spd, 'drain3_masked')} |",
            f"| Drain3, no masks (lines/s, wall / CPU) | {_rate(spd, 'drain3_unmasked')} |",
            f"| ours / Drain3 masked (wall / CPU) | {_ratio(spd, 'drain3_masked')} |",
            f"| ours / Drain3 unmasked (wall / CPU) | {_ratio(spd, 'drain3_unmasked')} |",
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
