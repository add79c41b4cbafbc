"""`logbert serve` under load: the HDFS 2% log over loopback HTTP (full speed, fixed rate, 10x).

One command (`python benchmarks/serving.py [--lines N] [--model-dir DIR]`): trains a fast
model (IQR, sessions by block id) on the log unless --model-dir is given, starts `logbert
serve` (a fresh state directory), posts the log in batches of --batch lines with an asyncio
httpx client (--concurrency requests in flight), flushes, reads every alert, reads the
server's peak RSS (VmHWM), stops it, and runs batch `logbert score MODEL --logs` on the same
lines.
Prints a table and writes benchmarks/results/serving.json: lines/s accepted (202s) and
processed (through the flush), p50/p99 latency of POST /v1/logs, the peak RSS of the server
and of its engine process, the batch time and the ratio, whether the alerted sessions equal
the sessions batch scoring flags, and the machine's load average (`uptime`) before and after.
Then (unless --skip-extras): (a) a fixed-rate run on a fresh server, --rate lines/s in batches
of --batch every batch/rate seconds (10,000 lines/s: 1,000 lines every 100 ms) for
--rate-seconds, open loop (each POST leaves on schedule, whatever the previous one does),
reporting p50/p99 latency of POST /v1/logs; (b) the fault test: half the log posted at full
speed, the server and its engine process killed with SIGKILL while the engine is behind, a
restart on the same state dir, the rest posted, flushed: lines processed (none lost or counted
twice), duplicate alerts, alerts equal to batch; (c, unless --skip-rss) the peak RSS (server
plus engine) on the 1x replay and on a 10x replay (the log repeated 10 times, block ids
renamed per copy `blk_[-]N` -> `blk_[-]9<copy>N`, timestamps shifted 4 days per copy), both
run with the engine's `--idle-timeout 1d` (the model has no idle timeout; by id without one,
sessions close only at the flush), so the sessions of a copy close once the next copy starts
and memory is given back.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
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


def load_average() -> str:
    """`uptime`'s load averages (1, 5, 15 min): other work on the machine skews timings."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def gone(pid: int, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


def peak_rss_kb(pid: int) -> int:
    """The process's peak resident set (VmHWM), read while it still runs."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for process {pid}")


async def replay(url: str, batches: Iterable[str], concurrency: int) -> tuple[float, list[float]]:
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


async def fixed_rate(url: str, bodies: list[str], interval: float) -> tuple[float, list[float]]:
    """Open loop: body i leaves at start + i * interval, whatever the earlier POSTs do."""
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=64)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:

        async def one(at: float, body: str) -> None:
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            started = time.perf_counter()
            r = await client.post("/v1/logs", content=body,
                                  headers={"content-type": "text/plain"})  # fmt: skip
            latencies.append(time.perf_counter() - started)
            if r.status_code != 202:
                raise RuntimeError(f"POST /v1/logs: {r.status_code} {r.text}")

        # warm the connections up (not measured)
        await asyncio.gather(*(client.get("/healthz") for _ in range(8)))
        started = time.perf_counter()
        await asyncio.gather(*(one(started + i * interval, b) for i, b in enumerate(bodies)))
        return time.perf_counter() - started, latencies


@contextlib.contextmanager
def serving(
    model: Path, state: Path, err_path: Path, *extra: object
) -> Iterator[tuple[int, str, int]]:
    """A `logbert serve` subprocess on a free port, ready; (pid, url, engine process pid);
    stopped at exit."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    err = open(err_path, "a")  # noqa: SIM115
    server = subprocess.Popen(
        logbert_command("serve", model, "--port", port, "--state-dir", state, *extra),
        stdout=subprocess.DEVNULL, stderr=err,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(err_path.read_text())
            try:
                if httpx.get(f"{url}/healthz", timeout=2).json()["ready"]:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        engine = httpx.get(f"{url}/v1/stats", timeout=10).json()["processes"]["engine_pid"]
        yield server.pid, url, engine
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=120)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
        err.close()


def flush(url: str) -> None:
    r = httpx.post(f"{url}/v1/flush", params={"timeout": 3600}, timeout=3700)
    assert r.json()["processed"], r.text


_BLOCK_ID = re.compile(r"blk_(-?)(\d)")


def copies(lines: list[str], n: int, batch: int) -> Iterator[str]:
    """Bodies of the log repeated n times: copy k has its block ids renamed (`blk_[-]N` ->
    `blk_[-]9kN`: distinct sessions) and its times shifted 4*k days (past the log's span plus
    the 1 day idle timeout, so the sessions of copy k close once copy k+1 starts)."""
    for k in range(n):
        shift = timedelta(days=4 * k)
        rename = rf"blk_\g<1>9{k}\g<2>"
        stamps: dict[str, str] = {}
        out: list[str] = []
        for line in lines:
            head = line[:13]
            new = stamps.get(head)
            if new is None:
                try:
                    new = (datetime.strptime(head, "%y%m%d %H%M%S") + shift).strftime(
                        "%y%m%d %H%M%S"
                    )
                except ValueError:
                    new = head
                stamps[head] = new
            out.append(_BLOCK_ID.sub(rename, new + line[13:]))
            if len(out) == batch:
                yield "\n".join(out) + "\n"
                out = []
        if out:
            yield "\n".join(out) + "\n"


def rss_run(model: Path, work: Path, lines: list[str], n: int, args: argparse.Namespace) -> dict:
    """Replay n copies at full speed with --idle-timeout 1d, flush; peak RSS (server plus
    engine process) and counters."""
    state = work / f"state-rss-{n}x"
    serve = serving(model, state, work / "serve.err", "--idle-timeout", "1d")
    with serve as (pid, url, engine):
        started = time.perf_counter()
        post_seconds, _ = asyncio.run(replay(url, copies(lines, n, args.batch), args.concurrency))
        flush(url)
        seconds = time.perf_counter() - started
        stats = httpx.get(f"{url}/v1/stats", timeout=60).json()
        server_kb, engine_kb = peak_rss_kb(pid), peak_rss_kb(engine)
    shutil.rmtree(state, ignore_errors=True)
    return {
        "lines": n * len(lines),
        "peak_rss_mb": (server_kb + engine_kb) / 1024,
        "server_peak_rss_mb": server_kb / 1024,
        "engine_peak_rss_mb": engine_kb / 1024,
        "through_flush_seconds": seconds,
        "processed_lines_per_s": n * len(lines) / seconds,
        "accepted_lines_per_s": n * len(lines) / post_seconds,
        "lines_parsed": stats["engine"]["lines_accepted"],
        "alerts": stats["engine"]["alerts"],
        "sessions_scored": stats["engine"]["sessions_scored"],
    }


def all_alerts(url: str) -> list[dict]:
    alerts, cursor = [], 0
    while page := httpx.get(f"{url}/v1/alerts", params={"since": cursor, "limit": 1000},
                            timeout=60).json()["alerts"]:  # fmt: skip
        alerts += page
        cursor = page[-1]["alert_id"]
    return alerts


def fault_run(
    model: Path, work: Path, lines: list[str], flagged: set[str], args: argparse.Namespace
) -> dict:
    """Half the log at full speed, SIGKILL to server and engine, restart, the rest, flush."""
    bodies = ["\n".join(lines[i : i + args.batch]) + "\n"
              for i in range(0, len(lines), args.batch)]  # fmt: skip
    half = len(bodies) // 2
    state, err = work / "state-fault", work / "serve.err"
    with serving(model, state, err) as (pid, url, engine):
        asyncio.run(replay(url, bodies[:half], args.concurrency))  # all answered 202
        behind = httpx.get(f"{url}/v1/stats", timeout=60).json()["wal"]["backlog"]
        os.kill(pid, signal.SIGKILL)
        os.kill(engine, signal.SIGKILL)
    assert gone(engine), f"engine process {engine} still running"
    with serving(model, state, err) as (_pid, url, _engine):
        replayed = httpx.get(f"{url}/v1/stats", timeout=60).json()["wal"]["replayed_at_start"]
        asyncio.run(replay(url, bodies[half:], args.concurrency))
        flush(url)
        alerts = all_alerts(url)
        stats = httpx.get(f"{url}/v1/stats", timeout=60).json()
    shutil.rmtree(state, ignore_errors=True)
    alerted = [a["session_id"] for a in alerts]
    return {
        "fault_killed_after_batches": half,
        "fault_backlog_at_kill": behind,
        "fault_replayed_at_restart": replayed,
        "fault_lines_received": stats["http"]["lines_received"],
        "fault_lines_parsed": stats["engine"]["lines_accepted"],
        "fault_lines_lost": len(lines) - stats["engine"]["lines_accepted"],
        "fault_alerts": len(alerts),
        "fault_duplicate_alerts": len(alerted) - len(set(alerted)),
        "fault_alert_ids_in_order": [a["alert_id"] for a in alerts]
        == list(range(1, len(alerts) + 1)),
        "fault_alerted_equals_batch_flagged": set(alerted) == flagged,
    }


def extras(
    model: Path, work: Path, lines: list[str], flagged: set[str], args: argparse.Namespace
) -> dict:
    out: dict = {}
    # (a) fixed rate
    interval = args.batch / args.rate
    count = max(1, int(args.rate_seconds / interval))
    bodies = ["\n".join(lines[(i * args.batch) % len(lines):][: args.batch]) + "\n"
              for i in range(count)]  # fmt: skip
    load_before = load_average()
    with serving(model, work / "state-rate", work / "serve.err") as (_pid, url, _engine):
        seconds, latencies = asyncio.run(fixed_rate(url, bodies, interval))
        flush(url)
    ms = np.asarray(latencies) * 1000
    out.update({
        "fixed_rate_load_before": load_before,
        "fixed_rate_load_after": load_average(),
        "fixed_rate_target_lines_per_s": args.rate,
        "fixed_rate_batch_every_ms": interval * 1000,
        "fixed_rate_seconds": seconds,
        "fixed_rate_lines_per_s": count * args.batch / seconds,
        "fixed_rate_post_p50_ms": float(np.percentile(ms, 50)),
        "fixed_rate_post_p99_ms": float(np.percentile(ms, 99)),
        "fixed_rate_post_max_ms": float(ms.max()),
        "fixed_rate_p99_within_100ms": bool(np.percentile(ms, 99) <= 100),
    })  # fmt: skip
    # (b) the fault test
    out.update(fault_run(model, work, lines, flagged, args))
    if args.skip_rss:
        return out
    # (c) peak RSS, 1x and 10x, with the engine's --idle-timeout 1d
    one = rss_run(model, work, lines, 1, args)
    ten = rss_run(model, work, lines, args.copies, args)
    out.update({
        "rss_idle_timeout": "1d (engine --idle-timeout; the model has none)",
        "rss_1x_peak_mb": one["peak_rss_mb"],
        "rss_1x_server_peak_mb": one["server_peak_rss_mb"],
        "rss_1x_engine_peak_mb": one["engine_peak_rss_mb"],
        "rss_1x_alerts": one["alerts"],
        f"rss_{args.copies}x_lines": ten["lines"],
        f"rss_{args.copies}x_lines_parsed": ten["lines_parsed"],
        f"rss_{args.copies}x_alerts": ten["alerts"],
        f"rss_{args.copies}x_processed_lines_per_s": ten["processed_lines_per_s"],
        f"rss_{args.copies}x_peak_mb": ten["peak_rss_mb"],
        f"rss_{args.copies}x_server_peak_mb": ten["server_peak_rss_mb"],
        f"rss_{args.copies}x_engine_peak_mb": ten["engine_peak_rss_mb"],
        f"rss_{args.copies}x_over_1x": ten["peak_rss_mb"] / one["peak_rss_mb"],
        f"rss_{args.copies}x_within_1_5x": ten["peak_rss_mb"] <= 1.5 * one["peak_rss_mb"],
    })  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=None, help="First N lines only.")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks/results/serving.json")
    parser.add_argument("--rate", type=int, default=10_000, help="Fixed-rate run: lines/s.")
    parser.add_argument("--rate-seconds", type=float, default=20.0)
    parser.add_argument("--copies", type=int, default=10, help="The big replay: log copies.")
    parser.add_argument("--skip-extras", action="store_true",
                        help="Only the full-speed run: no fixed rate, faults, RSS.")  # fmt: skip
    parser.add_argument("--skip-rss", action="store_true",
                        help="No 1x/10x RSS replays (the longest part).")  # fmt: skip
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

        load_before = load_average()
        with serving(model, work / "state", work / "serve.err") as (pid, url, engine):
            bodies = ["\n".join(lines[i : i + args.batch]) + "\n"
                      for i in range(0, len(lines), args.batch)]  # fmt: skip
            started = time.perf_counter()
            post_seconds, latencies = asyncio.run(replay(url, bodies, args.concurrency))
            r = httpx.post(f"{url}/v1/flush", params={"timeout": 3600}, timeout=3700)
            total_seconds = time.perf_counter() - started
            assert r.json()["processed"], r.text
            alerts = all_alerts(url)
            stats = httpx.get(f"{url}/v1/stats", timeout=60).json()
            server_kb, engine_kb = peak_rss_kb(pid), peak_rss_kb(engine)
        load_after = load_average()
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
            "server_peak_rss_mb": server_kb / 1024,
            "engine_peak_rss_mb": engine_kb / 1024,
            "server_plus_engine_peak_rss_mb": (server_kb + engine_kb) / 1024,
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
            "accepted_over_50k_lines_per_s": len(lines) / post_seconds >= 50_000,
            "serve_at_least_half_batch_speed": total_seconds <= 2 * batch["wall_seconds"],
            "load_before": load_before,
            "load_after": load_after,
        }
        if not args.skip_extras:
            result.update(extras(model, work, lines, flagged, args))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    width = max(map(len, result))
    table = []
    for key, value in result.items():
        shown = f"{value:,.2f}" if isinstance(value, float) else f"{value}"
        table.append(f"{key:<{width}}  {shown}")
    print("\n".join(table))
    markdown = args.output.with_suffix(".md")
    markdown.write_text(
        "# `logbert serve` benchmark (`python benchmarks/serving.py`)\n\n| measure | value |\n"
        "|---|---|\n"
        + "".join(
            f"| {k} | {v} |\n" for k, v in (line.split(None, 1) for line in table)
        )  # fmt: skip
    )
    print(f"wrote {args.output} and {markdown}")


if __name__ == "__main__":
    main()
