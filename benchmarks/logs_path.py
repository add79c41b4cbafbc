"""Raw logs in, verdicts out: `train --logs` + `score --logs` against the step-by-step path.

    .venv/bin/python benchmarks/logs_path.py [--model logbert] [--seed 0]

On the HDFS 2% log (block ids, labels), both paths run as a user runs them, each command in
its own process (wall time and peak RSS by /usr/bin/time):

- step by step: `parse` -> `sessionize --by-id --labels` -> `train SESSIONS` -> `score SESSIONS`;
- bundle: `train --logs --format hdfs --by-id --labels` -> `score MODEL --logs`.

Both train on the whole log (labelled anomalies left out) and score it again; the point is not
detection quality (that is measured on held-out data by benchmarks/hdfs.py) but that the two
paths give the same sessions, the same flagged set and the same scores (within 1e-6), and
that every surprising event of the bundle's rows names its raw line. Prints a table and writes
benchmarks/results/logs_path.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from logbert.evaluation.datasets import datasets_dir
from process_stats import logbert_command, measure

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "logs_path.json"
RAW = "HDFS_v1_loglead_2pct/HDFS_2pct.log.gz"
LABELS = "HDFS_v1_loglead_2pct/anomaly_label_2pct.csv"
BLOCK = r"blk_-?\d+"


def run(name: str, *args: object) -> dict:
    measured = measure(logbert_command(*args))
    return {"step": name, "wall_seconds": measured["wall_seconds"],
            "peak_rss_mb": measured["peak_rss_mb"]}  # fmt: skip


def rows_of(path: Path) -> dict[str, dict]:
    return {r["session_id"]: r for r in map(json.loads, path.read_text().splitlines())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="logbert")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    data = datasets_dir(ROOT)
    raw, labels = data / RAW, data / LABELS
    common = ["--model", args.model, "--seed", args.seed, "--threads", 1]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        steps = [
            run("parse", "parse", raw, "--format", "hdfs", "-o", work / "events.parquet"),
            run("sessionize", "sessionize", work / "events.parquet", "--by-id", BLOCK,
                "--labels", labels, "-o", work / "sessions.parquet"),
            run("train (sessions)", "train", work / "sessions.parquet", "-o", work / "m1",
                *common),
            run("score (sessions)", "score", work / "m1", work / "sessions.parquet",
                "-o", work / "s1.jsonl"),
            run("train --logs", "train", raw, "--logs", "--format", "hdfs", "--by-id", BLOCK,
                "--labels", labels, "-o", work / "m2", *common),
            run("score --logs", "score", work / "m2", raw, "--logs", "-o", work / "s2.jsonl"),
        ]  # fmt: skip
        by_steps, by_logs = rows_of(work / "s1.jsonl"), rows_of(work / "s2.jsonl")
        thresholds = [json.loads((work / m / "threshold.json").read_text()) for m in ("m1", "m2")]
    decision = thresholds[0]["score"]
    same_ids = sorted(by_steps) == sorted(by_logs)
    shared = sorted(set(by_steps) & set(by_logs))
    diff = np.array([abs(by_steps[i][decision] - by_logs[i][decision]) for i in shared])
    scale = np.array([max(abs(by_steps[i][decision]), 1e-12) for i in shared])
    flagged = [{i for i in shared if rows[i]["is_anomaly"]} for rows in (by_steps, by_logs)]
    events = [e for r in by_logs.values() for e in r.get("top_events", []) if e["key"] is not None]
    result = {
        "model": args.model,
        "seed": args.seed,
        "sessions": [len(by_steps), len(by_logs)],
        "same_session_ids": same_ids,
        "thresholds": [t["value"] for t in thresholds],
        "decision_score": decision,
        "max_abs_score_difference": float(diff.max()) if diff.size else None,
        "max_rel_score_difference": float((diff / scale).max()) if diff.size else None,
        "flagged": [len(f) for f in flagged],
        "flagged_identical": flagged[0] == flagged[1],
        "events_with_raw_line": sum("line_no" in e for e in events),
        "events": len(events),
        "steps": steps,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"HDFS 2% log, {args.model} seed {args.seed}: step-by-step vs --logs")
    print("| step | wall s | peak RSS MB |\n|---|---|---|")
    for s in steps:
        print(f"| {s['step']} | {s['wall_seconds']:.1f} | {s['peak_rss_mb']:.0f} |")
    print()
    print(f"sessions {result['sessions']}, same ids: {same_ids}; thresholds {result['thresholds']}")
    print(f"max |score difference| on {decision}: {result['max_abs_score_difference']:.3g} "
          f"(relative {result['max_rel_score_difference']:.3g})")  # fmt: skip
    print(f"flagged {result['flagged']}, identical: {result['flagged_identical']}")
    print(f"surprising events naming their raw line: {result['events_with_raw_line']} of "
          f"{result['events']}")  # fmt: skip
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
