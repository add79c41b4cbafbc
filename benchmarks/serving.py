"""`logbert serve` under load: the HDFS 2% log replayed over loopback HTTP at full speed.

One command (`python benchmarks/serving.py [--lines N] [--model-dir DIR]`): trains a fast
model (IQR, sessions by block id) on the log unless --model-dir is given, starts `logbert
serve` (a fresh state directory), posts the log in batches of --batch lines with an asyncio
httpx client (--concurrency requests in flight), flushes, reads every alert, reads the
server's peak RSS (VmHWM), stops it, and runs batch `logbert score MODEL --logs` on the same
lines.
Prints a table and writes benchmarks/results/serving.json: lines/s accepted (202s) and
processed (through the flush), p50/p99 latency of POST /v1/logs, the server's peak RSS, the
batch time and the ratio, and whether the alerted sessions equal the sessions batch scoring
flags.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

from logbert.evaluation.datasets import datasets_dir
from process_stats import logbert_command, measure

ROOT = Path(__file__).resolve().parents[1]
LOG = "HDFS_v1_loglead_2pct/HDFS_2pct.log.gz"
BLOCK = r"blk_-?\d+"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_kb(pid: int) -> int:
    """The process's peak resident set (VmHWM), read while it still runs."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for process {pid}")


async def replay(url: str, batches: list[str], concurrency: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    queue = iter(batches)
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:

        async def sender() -> None:
            for body in queue:
                started = time.perf_counter()
                r = await client.post("/v1/logs", content=body,
                                      headers={"content-type": "text/plain"})  # fmt: skip
                latencies.append(time.perf_counter() - started)
                if r.status_code != 202:
                    raise RuntimeError(f"POST /v1/logs: {r.status_code} {r.text}")

        started = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(concurrency)))
        return time.perf_counter() - started, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=None, help="First N lines only.")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks/results/serving.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="logbert-bench-serve-"))
    try:
        with gzip.open(datasets_dir(ROOT) / LOG, "rt", encoding="utf-8") as handle:
            lines = handle.read().splitlines()[: args.lines]
        log = work / "hdfs.log"
        log.write_text("\n".join(lines) + "\n", encoding="utf-8")
        model = args.model_dir
        if model is None:
            model = work / "model"
            trained = measure(logbert_command("train", log, "--logs", "--format", "hdfs",
                                              "--by-id", BLOCK, "--model", "iqr",
                                              "--output", model))  # fmt: skip
            print(f"trained iqr in {trained['wall_seconds']:.1f} s", file=sys.stderr)
        batch = measure(logbert_command("score", model, log, "--logs", "--output",
                                        work / "scores.jsonl"))  # fmt: skip
        rows = [json.loads(x) for x in (work / "scores.jsonl").read_text().splitlines()]
        flagged = {r["session_id"] for r in rows if r["is_anomaly"]}

        port = free_port()
        url = f"http://127.0.0.1:{port}"
        err = open(work / "serve.err", "w")  # noqa: SIM115
        server = subprocess.Popen(
            logbert_command("serve", model, "--port", port, "--state-dir", work / "state"),
            stdout=subprocess.DEVNULL, stderr=err,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while True:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((work / "serve.err").read_text())
                try:
                    if httpx.get(f"{url}/healthz", timeout=2).json()["ready"]:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            bodies = ["\n".join(lines[i : i + args.batch]) + "\n"
                      for i in range(0, len(lines), args.batch)]  # fmt: skip
            started = time.perf_counter()
            post_seconds, latencies = asyncio.run(replay(url, bodies, args.concurrency))
            r = httpx.post(f"{url}/v1/flush", params={"timeout": 3600}, timeout=3700)
            total_seconds = time.perf_counter() - started
            assert r.json()["processed"], r.text
            alerts, cursor = [], 0
            while page := httpx.get(f"{url}/v1/alerts", params={"since": cursor, "limit": 1000},
                                    timeout=60).json()["alerts"]:  # fmt: skip
                alerts += page
                cursor = page[-1]["alert_id"]
            stats = httpx.get(f"{url}/v1/stats", timeout=60).json()
            peak_kb = peak_rss_kb(server.pid)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=120)
            except subprocess.TimeoutExpired:
                server.kill()
            err.close()
        alerted = [a["session_id"] for a in alerts]
        ms = np.asarray(latencies) * 1000
        result = {
            "log": LOG,
            "lines": len(lines),
            "batch_lines": args.batch,
            "concurrency": args.concurrency,
            "model": "iqr (sessions by block id)",
            "accepted_lines_per_s": len(lines) / post_seconds,
            "processed_lines_per_s": len(lines) / total_seconds,
            "post_p50_ms": float(np.percentile(ms, 50)),
            "post_p99_ms": float(np.percentile(ms, 99)),
            "post_seconds": post_seconds,
            "through_flush_seconds": total_seconds,
            "server_peak_rss_mb": peak_kb / 1024,
            "engine_lines_parsed": stats["engine"]["lines_accepted"],
            "engine_lines_rejected": stats["engine"]["lines_rejected"],
            "alerts": len(alerts),
            "alerts_early": sum(bool(a["early"]) for a in alerts),
            "duplicate_alerts": len(alerted) - len(set(alerted)),
            "batch_score_seconds": batch["wall_seconds"],
            "batch_score_peak_rss_mb": batch["peak_rss_mb"],
            "batch_flagged": len(flagged),
            "alerted_equals_batch_flagged": set(alerted) == flagged,
            "alerted_not_flagged": len(set(alerted) - flagged),
            "flagged_not_alerted": len(flagged - set(alerted)),
            "serve_over_batch_time": total_seconds / batch["wall_seconds"],
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    width = max(map(len, result))
    for key, value in result.items():
        shown = f"{value:,.2f}" if isinstance(value, float) else f"{value}"
        print(f"{key:<{width}}  {shown}")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
