"""Wall time and peak resident memory of a command, measured in its own process."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time


def logbert_command(*args: object) -> list[str]:
    """`logbert ARGS` run by this interpreter (the project's venv, whatever is on PATH)."""
    return [sys.executable, "-m", "logbert.cli.main", *map(str, args)]


def measure(command: list[str]) -> dict:
    """Run `command` under /usr/bin/time; its wall seconds, peak RSS (MB) and stdout.

    A child forked from a benchmark's own (large) process would inherit that resident size in
    its ru_maxrss, so the measure comes from time(1) around a fresh process.
    """
    timer = shutil.which("time") or "/usr/bin/time"
    started = time.perf_counter()
    done = subprocess.run([timer, "-f", "%M", *command], check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return {"wall_seconds": seconds, "peak_rss_mb": peak_kb / 1024, "stdout": done.stdout}
