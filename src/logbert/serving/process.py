"""The engine process of `logbert serve`: the `DetectionEngine` away from the HTTP process.

Why a process: parsing, sessionizing and scoring a batch of 1,000 HDFS lines is 10-30 ms of
Python holding the GIL (an engine snapshot 100-300 ms); on a thread of the server that time
was taken from the asyncio loop answering `POST /v1/logs` (p99 172 ms at 10,000 lines/s). The
write-ahead log already is the queue between the two: the HTTP process commits batches and
answers, the engine process reads them from the same SQLite database (`StreamWorker`), stores
alerts and snapshots, and reports each commit back.

Started with the `spawn` context (never `fork`: torch and threads do not survive a fork).
Two one-way pipes connect them:

- wake (HTTP -> engine): one byte per committed batch, written without blocking (a full pipe
  already means "wake up"). Its end of file means "stop": the HTTP process closes it on a
  clean shutdown, and the kernel closes it when the HTTP process dies, even by `kill -9`, so
  the engine never outlives its server (it finishes the batch at hand, snapshots, exits).
  SIGINT is ignored (Ctrl-C reaches the whole process group; the server stops the engine in
  order); SIGTERM stops it the same clean way.
- status (engine -> HTTP): a small dict after each commit (`StreamWorker.status()`: processed
  and snapshot ids, counters, the engine's metrics, batch seconds, alerts stored); its end of
  file tells the HTTP process the engine is gone (`/healthz` then answers 503 with the exit
  code). The engine also stores its metrics with each commit (`meta.engine_metrics`), so a
  restarted server shows the right counters before its engine reports.

The engine process takes `STATE/engine.lock` (`lock.EngineLock`) before it opens the state, so
a restarted server's engine waits for the previous one to finish.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbert.errors import LogbertError

if TYPE_CHECKING:
    from logbert.serving.wal import ModelIdentity

log = logging.getLogger("logbert.serve")

START_TIMEOUT = 180.0  # seconds for the engine to load the model and restore its snapshot
STOP_TIMEOUT = 60.0  # seconds for the engine to finish its batch and snapshot at a stop


@dataclass
class EngineConfig:
    """What the engine process needs to build its engine and worker (picklable)."""

    model_dir: Path
    state_dir: Path
    model: ModelIdentity  # the state dir's model (checked by the server first)
    engine_options: dict[str, Any] = field(default_factory=dict)  # DetectionEngine kwargs
    snapshot_every: int = 50
    snapshot_seconds: float = 5.0
    lock_wait: float = 60.0  # for the engine lock of a previous server's engine


class EngineProcess:
    """The HTTP process's handle on the engine process: `start()`, `notify()`, `stop()`, and
    what the engine last reported (`processed`, `snapshot_batch`, `metrics`, `ready`,
    `error`, ...), updated by a reader thread; `wait_processed()` for `/v1/flush`."""

    def __init__(
        self,
        config: EngineConfig,
        *,
        processed: int,
        snapshot_batch: int,
        metrics: dict[str, Any],
        observe: Callable[[float], None] | None = None,
        on_alerts: Callable[[], None] | None = None,
    ) -> None:
        self.config = config
        self.processed = processed
        self.snapshot_batch = snapshot_batch
        self.metrics = metrics
        self.replayed = 0
        self.failed = 0
        self.ready = False
        self.started = False  # the engine restored its state (or failed to)
        self.error: str | None = None
        self.observe = observe or (lambda _seconds: None)
        self.on_alerts = on_alerts
        self.process: multiprocessing.process.BaseProcess | None = None
        self._wake: Connection | None = None
        self._status: Connection | None = None
        self._reader: threading.Thread | None = None
        self._stopping = False
        self._changed = threading.Condition()

    # --- control --------------------------------------------------------------------------

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Spawn the engine and wait until it has restored its state; a `LogbertError` when
        it cannot (a corrupt snapshot, the engine lock never freed). Idempotent."""
        if self.process is None:
            context = multiprocessing.get_context("spawn")
            wake_r, wake_w = context.Pipe(duplex=False)
            status_r, status_w = context.Pipe(duplex=False)
            self.process = context.Process(
                target=engine_main,
                args=(self.config, wake_r, status_w),
                name="logbert-engine",
                daemon=True,  # terminated (SIGTERM: a clean stop) if this interpreter exits
            )
            self.process.start()
            wake_r.close()  # only the engine holds these ends now: their end of file is
            status_w.close()  # the other side's death
            os.set_blocking(wake_w.fileno(), False)
            self._wake, self._status = wake_w, status_r
            self._reader = threading.Thread(target=self._read, name="logbert-engine-status",
                                            daemon=True)  # fmt: skip
            self._reader.start()
        deadline = time.monotonic() + timeout
        with self._changed:
            while not self.started and self.error is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(min(left, 0.5))
        if self.error is not None and not self.started:
            self.stop()
            raise LogbertError(f"the engine process could not start: {self.error}")
        if not self.started:
            self.stop()
            raise LogbertError(
                f"the engine process did not restore its state in {timeout:.0f} s: see the "
                "server's log"
            )

    def notify(self) -> None:
        """A new batch was committed (never blocks: a full pipe is a pending wake-up)."""
        wake = self._wake
        if wake is None:
            return
        # a full pipe will wake it anyway; a closed one: the engine is gone (the reader says so)
        with contextlib.suppress(OSError, ValueError):
            os.write(wake.fileno(), b"\0")

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Close the wake pipe (the engine finishes its batch, snapshots and exits) and wait;
        SIGTERM, then SIGKILL, if it does not."""
        self._stopping = True
        wake, self._wake = self._wake, None
        if wake is not None:
            wake.close()
        process = self.process
        if process is not None:
            process.join(timeout)
            if process.is_alive():
                log.warning("the engine process did not stop in %.0f s: terminating it", timeout)
                process.terminate()
                process.join(10)
            if process.is_alive():
                process.kill()
                process.join(10)
        if self._reader is not None:
            self._reader.join(10)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.is_alive() and self.error is None

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    def wait_processed(self, batch_id: int, timeout: float) -> bool:
        """Wait until `batch_id` is processed (True) or `timeout` seconds pass (False)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self.processed < batch_id:
                left = deadline - time.monotonic()
                if left <= 0 or not self.alive:
                    return self.processed >= batch_id
                self._changed.wait(min(left, 0.5))
            return True

    # --- the reader thread ----------------------------------------------------------------

    def _read(self) -> None:
        status = self._status
        assert status is not None
        try:
            while True:
                try:
                    message = status.recv()
                except (EOFError, OSError):
                    break
                self._apply(message)
        finally:
            status.close()
            process = self.process
            if process is not None:
                process.join(5)  # its exit code, for the message
            with self._changed:
                if self.error is None and not self._stopping:
                    code = None if process is None else process.exitcode
                    self.error = f"the engine process (pid {self.pid}) exited (code {code})"
                    log.error("%s; restart the server to resume", self.error)
                self._changed.notify_all()

    def _apply(self, message: dict[str, Any]) -> None:
        if "error" in message:
            with self._changed:
                self.error = str(message["error"])
                self._changed.notify_all()
            return
        if message.get("started"):
            with self._changed:
                self.started = True
                self.processed = int(message["processed"])
                self.snapshot_batch = int(message["snapshot_batch"])
                self._changed.notify_all()
            return
        for seconds in message.get("seconds", ()):
            self.observe(seconds)
        with self._changed:
            self.metrics = message["metrics"]  # published before waiters wake
            self.snapshot_batch = int(message["snapshot_batch"])
            self.replayed = int(message["replayed"])
            self.failed = int(message["failed"])
            self.ready = bool(message["ready"])
            self.processed = int(message["processed"])
            self._changed.notify_all()
        if message.get("alerts") and self.on_alerts is not None:
            self.on_alerts()


# --- the engine process -------------------------------------------------------------------


def engine_main(config: EngineConfig, wake: Connection, status: Connection) -> None:
    """The engine process: lock, load, restore, then `StreamWorker.run` until the wake pipe
    ends (or SIGTERM); every failure is reported on the status pipe before it exits."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    handler = logging.StreamHandler()
    handler.setFormatter(_LowercaseLevel("%(levelname)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])

    def stopping() -> bool:
        if not stop.is_set() and _drain(wake, 0) is None:
            stop.set()  # end of file: the server stopped us or died
        return stop.is_set()

    def wait(seconds: float) -> bool:
        woken = _drain(wake, seconds)
        if woken is None:
            stop.set()
        return bool(woken)

    def send(message: dict[str, Any]) -> None:
        try:
            status.send(message)
        except (BrokenPipeError, OSError):
            stop.set()  # the server is gone: finish up

    lock = store = None
    try:
        from logbert.pipeline import Pipeline
        from logbert.serving.engine import DetectionEngine
        from logbert.serving.lock import EngineLock
        from logbert.serving.wal import StateStore
        from logbert.serving.worker import StreamWorker

        lock = EngineLock(config.state_dir, config.lock_wait, give_up=stopping)
        engine = DetectionEngine(Pipeline.load(config.model_dir), model_dir=config.model_dir,
                                 **config.engine_options)  # fmt: skip
        store = StateStore(config.state_dir, config.model, eager_writer=True)
        worker = StreamWorker(
            engine,
            store,
            snapshot_every=config.snapshot_every,
            snapshot_seconds=config.snapshot_seconds,
            publish=send,
        )
        send({"started": True, "processed": worker.processed,
              "snapshot_batch": worker.snapshot_batch, "pid": os.getpid()})  # fmt: skip
        worker.run(wait, stopping)
    except BaseException as exc:  # noqa: BLE001 - reported to the server, then exit 1
        if isinstance(exc, LogbertError):
            log.error("the engine process stopped: %s", exc)  # a user's problem: no traceback
        else:
            log.exception("the engine process stopped")
        send({"error": f"{type(exc).__name__}: {exc}"})
        raise SystemExit(1) from None
    finally:
        if store is not None:
            store.close()
        if lock is not None:
            lock.release()
        status.close()


def _drain(wake: Connection, timeout: float) -> bool | None:
    """Wait up to `timeout` s for wake-up bytes and read them all: True (woken), False (the
    time ran out), None (end of file: stop)."""
    fd = wake.fileno()
    readable, _, _ = select.select([fd], [], [], timeout)
    if not readable:
        return False
    try:
        data = os.read(fd, 65536)
    except BlockingIOError:
        return False
    return None if not data else True


class _LowercaseLevel(logging.Formatter):
    """`warning: ...` / `error: ...`, as every other logbert message on stderr reads."""

    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord(record.__dict__)
        record.levelname = record.levelname.lower()
        return super().format(record)
