"""Does `logbert score` keep its memory flat as the input grows? (issue 3: streamed scoring)

    .venv/bin/python benchmarks/score_memory.py [--scales 1,10,40,80] [--model DIR]

Input: protocol A's 11,501 test sessions repeated `scale` times; every copy after the first has
one random pair of neighbouring keys swapped in each session, so most of its sequences are new
(the worst case for scoring identical sequences once). Each size is scored by `logbert score`
in its own process (Parquet output, top events on, as a user runs it), timed by time(1).
Without `--model` it trains LogBERT with the defaults on the protocol A training split (seed
0, about a minute). Prints a table; writes benchmarks/results/score_memory.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from logbert.evaluation.benchmark import make_split
from logbert.evaluation.protocols import build_protocol, datasets_dir
from logbert.models.logbert import LogBERT
from process_stats import measure

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "score_memory.json"


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="1,10,40,80")
    parser.add_argument("--model", type=Path, help="a trained model dir (default: train one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        split = make_split(build_protocol("A", datasets_dir(ROOT), work / "protocol"), seed=0)
        model_dir = args.model
        if model_dir is None:
            model = LogBERT(seed=0).fit(split.train, validation=split.validation)
            model.calibrate(split.validation, rule="max")
            model_dir = work / "model"
            model.save(model_dir)
        rows = []
        for scale in (int(s) for s in args.scales.split(",")):
            sessions = work / f"x{scale}.parquet"
            count = scaled_input(split.test, scale, sessions)
            command = [sys.executable, "-m", "logbert.cli.main", "score", str(model_dir),
                       str(sessions), "--output", str(work / "scores.parquet")]  # fmt: skip
            measured = measure(command)
            rows.append({
                "scale": scale, "sessions": count, "wall_seconds": measured["wall_seconds"],
                "sessions_per_second": count / measured["wall_seconds"],
                "peak_rss_mb": measured["peak_rss_mb"],
            })  # fmt: skip
            sessions.unlink()
    print(f"{platform.machine()}, `logbert score` on protocol A's test set scaled up")
    print("| copies | sessions | wall s | sessions/s (whole process) | peak RSS MB |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['scale']} | {r['sessions']} | {r['wall_seconds']:.1f} | "
            f"{r['sessions_per_second']:.0f} | {r['peak_rss_mb']:.0f} |"
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"machine": platform.machine(), "rows": rows}, indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
