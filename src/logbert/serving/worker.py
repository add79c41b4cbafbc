"""The one thread of `logbert serve` that drives the `DetectionEngine` (not thread-safe).

It takes the committed batches of the write-ahead log (`StateStore`) in id order, pushes their
lines through the engine (a `flush` batch ends the stream), and commits each batch's alerts
with the new `processed` id in one transaction; every `snapshot_every` batches or
`snapshot_seconds` (and after a flush, and at a clean stop) that transaction also holds the
engine snapshot. On start it restores the last snapshot and replays the batches after it (see
`logbert.serving.wal`): a batch already processed gives its alerts again, with the same ids,
and they are not stored again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from logbert.serving.engine import DetectionEngine
from logbert.serving.wal import Batch, StateStore

log = logging.getLogger("logbert.serve")


class StreamWorker:
    def __init__(
        self,
        engine: DetectionEngine,
        store: StateStore,
        *,
        snapshot_every: int = 50,
        snapshot_seconds: float = 5.0,
        observe: Callable[[float], None] | None = None,
        on_alerts: Callable[[], None] | None = None,
    ) -> None:
        self.engine = engine
        self.store = store
        self.snapshot_every = max(1, snapshot_every)
        self.snapshot_seconds = snapshot_seconds
        self.observe = observe or (lambda _seconds: None)
        self.on_alerts = on_alerts  # called after a commit that stored alerts (the webhook)
        state, self.snapshot_batch = store.snapshot()
        if state is not None:
            engine.restore(state)  # a bad snapshot is an error at start-up, not later
        self.processed = store.processed()
        self.replayed = 0
        self.failed = 0
        self.ready = False  # the replay of processed batches is done
        self.error: str | None = None  # why the thread died, if it did
        self.metrics: dict[str, Any] = engine.metrics()
        self._since_snapshot = 0
        self._snapshot_at = time.monotonic()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._done = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="logbert-engine", daemon=True)

    # --- control (other threads) ------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def notify(self) -> None:
        """A new batch was committed."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the batch at hand, snapshot, and end the thread."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def wait_processed(self, batch_id: int, timeout: float) -> bool:
        """Wait until `batch_id` is processed (True) or `timeout` seconds pass (False)."""
        deadline = time.monotonic() + timeout
        with self._done:
            while self.processed < batch_id:
                left = deadline - time.monotonic()
                if left <= 0 or not self._thread.is_alive():
                    return self.processed >= batch_id
                self._done.wait(min(left, 0.5))
            return True

    # --- the thread -----------------------------------------------------------------------

    def _run(self) -> None:
        try:
            self._replay()
            self.ready = True
            while not self._stop.is_set():
                batches = self.store.batches_after(self.processed)
                if not batches:
                    self._wake.wait(0.5)
                    self._wake.clear()
                    self._snapshot_if_due(idle=True)
                    continue
                for batch in batches:
                    self._process(batch)
                    if self._stop.is_set():
                        break
            if self.processed > self.snapshot_batch:
                self._commit(self.processed, [], snapshot=True)
        except Exception as exc:  # noqa: BLE001 - reported by /healthz, the thread ends
            self.error = f"{type(exc).__name__}: {exc}"
            log.exception("the engine thread stopped")
        finally:
            self.store.close()
            with self._done:
                self._done.notify_all()

    def _replay(self) -> None:
        """Rebuild the engine state from the snapshot up to the last processed batch."""
        for batch in self.store.iter_batches_after(self.snapshot_batch, through=self.processed):
            try:
                self._apply(batch)
            except Exception:  # noqa: BLE001 - it failed the first time too (counted then)
                log.exception("batch %d failed again in the replay", batch.id)
            self.replayed += 1
        self.metrics = self.engine.metrics()
        if self.replayed:
            log.info("replayed %d processed batches after the snapshot", self.replayed)

    def _apply(self, batch: Batch) -> list[dict[str, Any]]:
        engine = self.engine
        if batch.kind == "flush":
            return engine.flush()
        alerts: list[dict[str, Any]] = []
        for source, lines in batch.segments:
            alerts += engine.push_lines(lines, source)
        engine.rejects.clear()  # counted in the engine's counters
        return alerts

    def _process(self, batch: Batch) -> None:
        started = time.perf_counter()
        failed = None
        try:
            alerts = self._apply(batch)
        except Exception as exc:  # noqa: BLE001 - a batch that breaks the engine is skipped
            log.exception("batch %d failed", batch.id)
            failed = f"{type(exc).__name__}: {exc}"
            alerts = []
            self.failed += 1
        self._since_snapshot += 1
        due = (
            batch.kind == "flush"
            or self._since_snapshot >= self.snapshot_every
            or time.monotonic() - self._snapshot_at >= self.snapshot_seconds
        )
        self._commit(batch.id, alerts, snapshot=due, failed=failed)
        self.observe(time.perf_counter() - started)

    def _snapshot_if_due(self, idle: bool) -> None:
        if self.processed > self.snapshot_batch and (
            idle or time.monotonic() - self._snapshot_at >= self.snapshot_seconds
        ):
            self._commit(self.processed, [], snapshot=True)

    def _commit(
        self, batch_id: int, alerts: list[dict[str, Any]], snapshot: bool, failed: str | None = None
    ) -> None:
        state = self.engine.snapshot() if snapshot else None
        self.store.commit_processed(batch_id, alerts, state, failed)
        if snapshot:
            self.snapshot_batch = batch_id
            self._since_snapshot = 0
            self._snapshot_at = time.monotonic()
        self.metrics = self.engine.metrics()  # published before waiters wake
        with self._done:
            self.processed = batch_id
            self._done.notify_all()
        if alerts and self.on_alerts is not None:
            self.on_alerts()
