"""One `logbert serve` per state directory: an exclusive `flock` on `STATE/serve.lock`.

Two servers on one state directory would both process its batches (and store their alerts
twice over, in two orders). The lock is taken at start-up, before the write-ahead log is
opened, and held until the server stops; the kernel drops it when the process dies, even by
`kill -9`, so a stale lock file never blocks a restart. The file holds the holder's pid (for
the message the second server gives); its content is informative, the `flock` is the lock.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from logbert.errors import LogbertError

LOCK_FILE = "serve.lock"


class StateLock:
    """`StateLock(state_dir)` takes the lock or raises `LogbertError` naming the holder's pid;
    `release()` (idempotent) gives it back."""

    def __init__(self, state_dir: Path) -> None:
        self._fd: int | None = None
        state_dir = Path(state_dir)
        if state_dir.exists() and not state_dir.is_dir():
            raise LogbertError(f"--state-dir {state_dir} is a file, not a folder")
        state_dir.mkdir(parents=True, exist_ok=True)
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
