"""Helpers shared by the tests that run a real `logbert serve` process (tests/serving and
tests/cli): a small IQR model of the inline HDFS logs, a server started on a free loopback port
and waited for, lines posted, alerts read page by page."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from logbert.models.iqr import IQRDetector
from logbert.pipeline import Pipeline
from logbert.sessions.sessionize import SessionizerSettings

TEXT = {"content-type": "text/plain"}
START_SECONDS = 240  # generous: a loaded 2-core machine starts two Python processes slowly


def iqr_model(train_log: Path, directory: Path) -> Path:
    """An IQR bundle of the raw HDFS-format `train_log`, saved in `directory`."""
    settings = SessionizerSettings(by_id=r"blk_-?\d+")
    pipeline = Pipeline(IQRDetector(), sessionizer=settings, log_format="hdfs")
    pipeline.fit_logs([str(train_log)]).save(directory)
    return directory


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(model: Path, state: Path, err: Path) -> tuple[subprocess.Popen, str, int]:
    """A `logbert serve` subprocess, ready: (process, url, engine pid)."""
    port = free_port()
    command = [sys.executable, "-m", "logbert.cli.main", "serve", str(model), "--port",
               str(port), "--state-dir", str(state), "--snapshot-every", "3"]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=open(err, "a"))  # noqa: SIM115
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while True:
        assert proc.poll() is None, err.read_text()
        if time.monotonic() > deadline:
            proc.kill()  # never leave a server behind
            raise AssertionError(f"the server did not start in {START_SECONDS} s")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).json()["ready"]:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    engine = httpx.get(f"{url}/v1/stats", timeout=10).json()["processes"]["engine_pid"]
    assert engine not in (None, proc.pid)
    return proc, url, engine


def post(url: str, lines: list[str]) -> None:
    r = httpx.post(f"{url}/v1/logs", content="\n".join(lines) + "\n", headers=TEXT, timeout=30)
    assert r.status_code == 202 and r.json()["accepted"] == len(lines), r.text


def alerts_of(get) -> list[dict]:
    """Every alert, read 7 at a time through the cursor (`get`: httpx.get or a TestClient's)."""
    out, cursor = [], 0
    while page := get("/v1/alerts", params={"since": cursor, "limit": 7}).json()["alerts"]:
        out += page
        cursor = page[-1]["alert_id"]
    return out
