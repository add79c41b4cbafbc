"""One `logbert serve` per state directory: an exclusive `flock` on `STATE/serve.lock`.

Two servers on one state directory would both process its batches (and store their alerts
twice over, in two orders). The lock is taken at start-up, before the write-ahead log is
opened, and held until the server stops; the kernel drops it when the process dies, even by
`kill -9`, so a stale lock file never blocks a restart. The file holds the holder's pid (for
the message the second server gives); its content is informative, the `flock` is the lock.

The engine process holds a second one, `STATE/engine.lock` (`EngineLock`), for as long as it
runs. The server's lock goes with the server process; an engine process whose server was
killed finishes the batch at hand (a second or less) before it notices and exits, so the engine
of a server restarted at once waits on this lock until the old engine is gone: two engines
never process one state directory together.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable
from pathlib import Path

from logbert.errors import LogbertError
from logbert.sessions.io import create_output_folder

LOCK_FILE = "serve.lock"
ENGINE_LOCK_FILE = "engine.lock"


class StateLock:
    """`StateLock(state_dir)` takes the lock or raises `LogbertError` naming the holder's pid;
    `release()` (idempotent) gives it back."""

    def __init__(self, state_dir: Path) -> None:
        self._fd: int | None = None
        state_dir = Path(state_dir)
        if state_dir.exists() and not state_dir.is_dir():
            raise LogbertError(f"--state-dir {state_dir} is a file, not a folder")
        create_output_folder(state_dir, "--state-dir", directory=True)
        self.path = state_dir / LOCK_FILE
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f"pid {holder}" if holder else "another process"
            raise LogbertError(
                f"--state-dir {state_dir} is in use by another `logbert serve` ({who} holds "
                f"{self.path}): two servers on one state directory would both process its "
                "batches; stop that server first or pass another --state-dir"
            ) from None
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the last descriptor drops the flock

    def __del__(self) -> None:  # an app created but never served still lets go
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


class EngineLock:
    """`EngineLock(state_dir, wait, give_up)` takes `STATE/engine.lock`, retrying every 0.1 s
    for up to `wait` seconds (or until `give_up()` says so) while another engine process holds
    it; raises `LogbertError` naming that process if it never frees it."""

    def __init__(
        self, state_dir: Path, wait: float = 60.0, give_up: Callable[[], bool] = lambda: False
    ) -> None:
        self.path = Path(state_dir) / ENGINE_LOCK_FILE
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline or give_up():
                    holder = _read_pid(fd)
                    os.close(fd)
                    raise LogbertError(
                        f"the engine process of an earlier `logbert serve` (pid {holder}) "
                        f"still holds {self.path} after {wait:.0f} s: stop it, then restart"
                    ) from None
                time.sleep(0.1)
            except BaseException:
                os.close(fd)
                raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd: int | None = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)
