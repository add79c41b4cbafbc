"""The loop that drives the `DetectionEngine` of `logbert serve` (in the engine process).

It takes the committed batches of the write-ahead log (`StateStore`) in id order, pushes their
lines through the engine (a `flush` batch ends the stream), and commits each batch's alerts
with the new `processed` id (and the engine's counters) in one transaction. Every
`snapshot_every` batches or `snapshot_seconds` (and after a flush, when the stream goes idle,
and at a clean stop) it then writes an engine snapshot (`StateStore.save_snapshot`). On start it
restores the last snapshot and replays the batches after it (see `logbert.serving.wal`): a
batch already processed gives its alerts again, with the same ids, and they are not stored
again.

"Idle" means a wait for new batches ran out without a wake-up: a stream that keeps coming at
any rate (10 batches/s) is snapshotted by count and time only. (Snapshotting after every
wake-up took a snapshot per batch at 10 batches/s: 100-300 ms of work each on the HDFS log.)

A batch that mostly did not fit the model (its lines of another log format, or naming no
session) or whose events came after their time window closed gets a `warning:` line on stderr
(`RateLimitedWarnings`: each kind at most once a minute, the ones held back counted in the
next), since the counters alone leave a server that scores nothing looking healthy. Replayed
batches were warned about the first time and are not again.

`run(wait, stopping)` is the loop; the caller says how to wait for work and when to stop (the
engine process: a pipe from the HTTP process, see `logbert.serving.process`). Each commit is
announced with `publish(status)` (the HTTP process keeps its metrics and waiters from it).
"""

from __future__ import annotations

import dataclasses
import logging
import sys
import time
from collections.abc import Callable
from typing import Any

from logbert.serving.engine import DetectionEngine, EngineCounters
from logbert.serving.wal import Batch, StateStore

log = logging.getLogger("logbert.serve")

IDLE_WAIT = 0.5  # seconds without a wake-up after which the stream counts as idle
WARN_INTERVAL = 60.0  # seconds between two warnings of one kind
STREAM_ADVICE = (  # what to do when many sessions seem to have begun before the stream
    "Send the earlier lines first: the stream keeps sessions open between requests (and "
    "across restarts with the same --state-dir)"
)


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class RateLimitedWarnings:
    """`warning:` lines, each kind at most once per `interval` seconds: a shipper sending the
    wrong log all day gives one line a minute, not one per batch. The warnings held back are
    counted and the next one of their kind says how many, so none is lost without a trace."""

    def __init__(
        self,
        interval: float = WARN_INTERVAL,
        write: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = interval
        self.write = write or _to_stderr
        self.clock = clock
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def warn(self, kind: str, text: str) -> bool:
        """Write `text` (a `warning: ...` line) unless one of `kind` was written less than
        `interval` seconds ago; whether it was written."""
        now = self.clock()
        last = self._last.get(kind)
        if last is not None and now - last < self.interval:
            self._held[kind] = self._held.get(kind, 0) + 1
            return False
        held = self._held.pop(kind, 0)
        if held:
            text += f" ({held:,} more like it in the last {now - last:.0f} s were not shown)"
        self._last[kind] = now
        self.write(text)
        return True

    def flush(self, force: bool = False) -> None:
        """Say how many warnings of each kind were held back since the last one shown, once
        `interval` has passed (an idle stream would otherwise never say it), or at once with
        `force` (the server stops)."""
        now = self.clock()
        for kind, held in list(self._held.items()):
            last = self._last.get(kind, now)
            if force or now - last >= self.interval:
                del self._held[kind]
                self._last[kind] = now
                self.write(
                    f"warning: {held:,} more {kind.replace('_', ' ')} warnings like the last "
                    f"one shown came in the last {now - last:.0f} s and were not shown"
                )


class StreamWorker:
    def __init__(
        self,
        engine: DetectionEngine,
        store: StateStore,
        *,
        snapshot_every: int = 50,
        snapshot_seconds: float = 5.0,
        publish: Callable[[dict[str, Any]], None] | None = None,
        warnings: RateLimitedWarnings | None = None,
    ) -> None:
        self.engine = engine
        self.warnings = warnings or RateLimitedWarnings()
        self.store = store
        self.snapshot_every = max(1, snapshot_every)
        self.snapshot_seconds = snapshot_seconds
        self.publish = publish or (lambda _status: None)
        state, self.snapshot_batch = store.snapshot()
        if state is not None:
            engine.restore(state)  # a bad snapshot is an error at start-up, not later
        self.processed = store.processed()
        self.replayed = 0
        self.failed = 0
        self.snapshots = 0  # written by this worker
        self.ready = False  # the replay of processed batches is done
        self._since_snapshot = 0
        self._snapshot_at = time.monotonic()

    def status(self) -> dict[str, Any]:
        """What the HTTP process shows: positions, counters, the engine's metrics."""
        return {
            "processed": self.processed,
            "snapshot_batch": self.snapshot_batch,
            "replayed": self.replayed,
            "failed": self.failed,
            "ready": self.ready,
            "metrics": self.engine.metrics(),
        }

    # --- the loop -------------------------------------------------------------------------

    def run(self, wait: Callable[[float], bool], stopping: Callable[[], bool]) -> None:
        """Replay, then process batches until `stopping()`; `wait(seconds)` blocks until new
        work may be there (True) or the time ran out (False: the stream is idle). Ends with a
        snapshot, so a clean restart replays nothing."""
        self._replay()
        self.ready = True
        self.publish(self.status() | {"seconds": [], "alerts": 0})
        while not stopping():
            batches = self.store.batches_after(self.processed)
            if not batches:
                if not wait(IDLE_WAIT):
                    self._snapshot_if_due(idle=True)
                    self.warnings.flush()
                continue
            for batch in batches:
                self._process(batch)
                if stopping():
                    break
        if self.processed > self.snapshot_batch:
            self._snapshot()
            self.publish(self.status() | {"seconds": [], "alerts": 0})
        self.warnings.flush(force=True)

    def _replay(self) -> None:
        """Rebuild the engine state from the snapshot up to the last processed batch."""
        for batch in self.store.iter_batches_after(self.snapshot_batch, through=self.processed):
            try:
                self._apply(batch)
            except Exception:  # noqa: BLE001 - it failed the first time too (counted then)
                log.exception("batch %d failed again in the replay", batch.id)
            self.replayed += 1
        # new alerts take ids after the stored ones: replayed with a new threshold (a state
        # resumed after `logbert calibrate`), batches give other alerts than they did, and an
        # id stored already would drop a new alert
        engine = self.engine
        engine.next_alert_id = max(engine.next_alert_id, self.store.last_alert_id() + 1)
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
        before = dataclasses.replace(self.engine.counters)
        try:
            alerts = self._apply(batch)
        except Exception as exc:  # noqa: BLE001 - a batch that breaks the engine is skipped
            log.exception("batch %d failed", batch.id)
            failed = f"{type(exc).__name__}: {exc}"
            alerts = []
            self.failed += 1
        self._warn(batch, before)
        metrics = self.engine.metrics()
        self.store.commit_processed(batch.id, alerts, failed, metrics)
        self.processed = batch.id
        self._since_snapshot += 1
        if (
            batch.kind == "flush"
            or self._since_snapshot >= self.snapshot_every
            or time.monotonic() - self._snapshot_at >= self.snapshot_seconds
        ):
            self._snapshot()
        seconds = time.perf_counter() - started
        self.publish(self.status() | {"seconds": [seconds], "alerts": len(alerts)})

    def _warn(self, batch: Batch, before: EngineCounters) -> None:
        """The warnings of one processed batch (its counters against `before`)."""
        after, engine = self.engine.counters, self.engine
        sources = ", ".join(dict.fromkeys(source for source, _ in batch.segments))
        where = f"batch {batch.id}" + (f" (source {sources})" if sources else "")
        lost = engine.lost_lines_warning(
            batch.n_lines,
            after.lines_rejected - before.lines_rejected,
            after.lines_unmatched - before.lines_unmatched,
            where,
            after.lines_continuation - before.lines_continuation,
        )
        if lost is not None:
            self.warnings.warn("lost_lines", lost)
        late = after.events_late - before.events_late
        if late:
            self.warnings.warn("late", engine.late_warning(late, where))
        began = engine.earlier_starts_warning(STREAM_ADVICE)
        if began is not None and after.sessions_closed > before.sessions_closed:
            self.warnings.warn("earlier_starts", began)

    def _snapshot_if_due(self, idle: bool) -> None:
        if self.processed > self.snapshot_batch and (
            idle or time.monotonic() - self._snapshot_at >= self.snapshot_seconds
        ):
            self._snapshot()
            self.publish(self.status() | {"seconds": [], "alerts": 0})

    def _snapshot(self) -> None:
        """Snapshot the engine after `processed` (already committed) and drop what it covers."""
        self.store.save_snapshot(self.processed, self.engine.snapshot())
        self.snapshot_batch = self.processed
        self.snapshots += 1
        self._since_snapshot = 0
        self._snapshot_at = time.monotonic()
