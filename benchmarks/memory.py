"""Does memory stay flat as the input grows? `logbert sessionize` and `logbert score`.

    .venv/bin/python benchmarks/memory.py [--scales 1,10,40,80] [--event-copies 10,40] [--model DIR]

score: protocol A's 11,501 test sessions repeated `scale` times; every copy after the first has
one random pair of neighbouring keys swapped in each session, so most of its sequences are new
(the worst case for scoring identical sequences once). Each size is scored by `logbert score`
in its own process (Parquet output, top events on, as a user runs it), timed by time(1).
Without `--model` it trains LogBERT with the defaults on the protocol A training split (seed
0, about a minute).

sessionize: the HDFS 2% sample's parsed events (222,579 lines, 38.6 hours) repeated, copy k
shifted by 2k days with its block ids renamed, i.e. a log of `copies` x 11,501 blocks over
2 x `copies` days; `logbert sessionize --by-id` with and without `--idle-timeout 1d`.

Prints two tables; writes benchmarks/results/memory.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from logbert.evaluation.benchmark import train_pipeline
from logbert.evaluation.datasets import datasets_dir
from logbert.evaluation.protocols import build_protocol
from process_stats import logbert_command, measure

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "memory.json"
BLOCK = r"blk_-?\d+"


def scaled_input(keys: list[list[int]], scale: int, path: Path, seed: int = 0) -> int:
    """Write `scale` copies of `keys` (copies after the first with one neighbour swap each)."""
    rng = np.random.default_rng(seed)
    schema = pa.schema([("session_id", pa.string()), ("keys", pa.list_(pa.int64()))])
    with pq.ParquetWriter(path, schema) as writer:
        for copy in range(scale):
            rows = []
            for session in keys:
                session = list(session)
                if copy and len(session) > 1:
                    i = int(rng.integers(len(session) - 1))
                    session[i], session[i + 1] = session[i + 1], session[i]
                rows.append(session)
            ids = [f"{copy}_{i}" for i in range(len(rows))]
            writer.write_table(pa.table({"session_id": ids, "keys": rows}, schema=schema))
    return scale * len(keys)


def shifted_events(events: Path, copies: int, path: Path) -> None:
    """`copies` copies of the events, copy k 2k days later with its block ids renamed."""
    table = pq.read_table(events)
    with pq.ParquetWriter(path, table.schema) as writer:
        for k in range(copies):
            copy = table
            if k:
                content = pc.replace_substring_regex(
                    copy["content"], r"blk_(-?)(\d+)", r"blk_\1" + f"9{k:03d}" + r"\2"
                )
                later = pc.add(copy["timestamp"], pa.scalar(dt.timedelta(days=2 * k)))
                copy = copy.set_column(copy.schema.get_field_index("content"), "content", content)
                copy = copy.set_column(copy.schema.get_field_index("timestamp"), "timestamp", later)
            writer.write_table(copy)


def score_rows(test_keys, model_dir: Path, scales: list[int], work: Path) -> list[dict]:
    rows = []
    for scale in scales:
        sessions = work / f"x{scale}.parquet"
        count = scaled_input(test_keys, scale, sessions)
        measured = measure(
            logbert_command("score", model_dir, sessions, "-o", work / "scores.parquet")
        )
        rows.append({
            "scale": scale, "sessions": count, "wall_seconds": measured["wall_seconds"],
            "sessions_per_second": count / measured["wall_seconds"],
            "peak_rss_mb": measured["peak_rss_mb"],
        })  # fmt: skip
        sessions.unlink()
    return rows


def sessionize_rows(events: Path, copies: list[int], work: Path) -> list[dict]:
    rows = []
    for n in copies:
        path = work / f"events_x{n}.parquet"
        shifted_events(events, n, path)
        for timeout in (None, "1d"):
            extra = ["--idle-timeout", timeout] if timeout else []
            out = work / "sessions.parquet"
            measured = measure(
                logbert_command("sessionize", path, "--by-id", BLOCK, *extra, "-o", out)
            )
            rows.append({
                "copies": n, "idle_timeout": timeout, "wall_seconds": measured["wall_seconds"],
                "peak_rss_mb": measured["peak_rss_mb"],
                "summary": measured["stdout"].splitlines()[0],
            })  # fmt: skip
        path.unlink()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="1,10,40,80", help="copies of A's test sessions")
    parser.add_argument("--event-copies", default="10,40", help="copies of the HDFS 2% events")
    parser.add_argument("--model", type=Path, help="a trained model dir (default: train one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = build_protocol("A", datasets_dir(ROOT), work / "protocol")
        model_dir = args.model
        if model_dir is None:
            model_dir = train_pipeline("logbert", data, seed=0)[0].save(work / "model")
        test_keys = [s.keys for s in data.test]
        scored = score_rows(test_keys, model_dir, [int(s) for s in args.scales.split(",")], work)
        events = work / "protocol" / "protocol_a" / "events.parquet"  # written by build_protocol
        copies = [int(c) for c in args.event_copies.split(",")]
        sessionized = sessionize_rows(events, copies, work)
    print(f"{platform.machine()}; `logbert score` on protocol A's test set scaled up")
    print("| copies | sessions | wall s | sessions/s (whole process) | peak RSS MB |")
    print("|---|---|---|---|---|")
    for r in scored:
        print(
            f"| {r['scale']} | {r['sessions']} | {r['wall_seconds']:.1f} | "
            f"{r['sessions_per_second']:.0f} | {r['peak_rss_mb']:.0f} |"
        )
    print("\n`logbert sessionize --by-id` on the HDFS 2% events repeated over time")
    print("| copies | --idle-timeout | wall s | peak RSS MB | summary |")
    print("|---|---|---|---|---|")
    for r in sessionized:
        print(
            f"| {r['copies']} | {r['idle_timeout'] or '-'} | {r['wall_seconds']:.1f} | "
            f"{r['peak_rss_mb']:.0f} | {r['summary']} |"
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    result = {"machine": platform.machine(), "score": scored, "sessionize": sessionized}
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
