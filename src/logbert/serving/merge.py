"""Several watched inputs as one stream in time order: `TimeMerge`.

A model whose sessions take the events of several inputs in time order (`--order time`, or
time windows over the whole log or a header field) was watched one input after another: a
session whose events are in several inputs was cut where one input's lines ended, and a time
window's events of an input read after one that reached later came late (QA Mesos: a task's
life split between the master's log and an agent's, all 192 sessions out of order and none
scored; QA Zuul, Longhorn, Portainer). `score --logs` sorts every event by time first; a
stream cannot, so each input's parsed events are held until every input still being read has
reached their time (its newest event so far, the watermark), then released together, sorted
by time (stable: input order, then line order, among equal times).

An input that has nothing more to read now does not hold the others back: in a live log, what
it writes later is later than what was read (and a line written later with an earlier time is
late, as in one file). A line without a time takes the time of the dated line before it in its
input (a traceback's lines stay with their record), or of the first dated line after it at the
input's start.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


@dataclass
class _Held:
    """One input's events not yet released, with each event's time key (µs)."""

    tables: list[pa.Table] = field(default_factory=list)
    keys: list[np.ndarray] = field(default_factory=list)
    last: int | None = None  # the newest time read from the input (its watermark)
    filled: int | None = None  # the time its last event took (an undated one's after it)


class TimeMerge:
    """Hold parsed events per input (`add`), release those every input still read has
    reached, in time order (`release`); `empty` once nothing is held (state can be saved)."""

    def __init__(self) -> None:
        self._held: dict[str, _Held] = {}

    @property
    def empty(self) -> bool:
        return not any(held.tables for held in self._held.values())

    def add(self, name: str, events: pa.Table) -> None:
        """Hold `events` of input `name` (its lines in order after those added before)."""
        held = self._held.setdefault(name, _Held())
        keys = _time_keys(events.column("timestamp"), held.filled)
        if len(keys):
            held.filled = int(keys[-1]) if keys[-1] != _UNDATED else held.filled
            dated = keys[keys != _UNDATED]
            if len(dated):
                newest = int(dated.max())
                held.last = newest if held.last is None else max(held.last, newest)
        held.tables.append(events)
        held.keys.append(keys)

    def release(self, reading: set[str]) -> pa.Table | None:
        """The held events at or before the time every input in `reading` (those that still
        have lines to read now) has reached, in time order; all of them when `reading` is
        empty. None when none is due."""
        marks = [self._held[name].last for name in reading if name in self._held]
        if any(mark is None for mark in marks) or (reading - self._held.keys()):
            return None  # (an input still to be read has shown no time yet)
        watermark = min(marks, default=None)
        tables, keys = [], []
        for held in self._held.values():
            if not held.tables:
                continue
            table = pa.concat_tables(held.tables, promote_options="default")
            key = np.concatenate(held.keys)
            due = np.ones(len(key), bool) if watermark is None else key <= watermark
            if due.all():
                held.tables, held.keys = [], []
            else:
                rest = ~due
                held.tables, held.keys = [table.filter(pa.array(rest))], [key[rest]]
                table, key = table.filter(pa.array(due)), key[due]
            if len(key):
                tables.append(table)
                keys.append(key)
        if not tables:
            return None
        merged = pa.concat_tables(tables, promote_options="default")
        order = np.argsort(np.concatenate(keys), kind="stable")
        return merged.take(pa.array(order))


_UNDATED = np.iinfo(np.int64).min  # no time in the input yet: released at once


def _time_keys(timestamps: pa.ChunkedArray | pa.Array, before: int | None) -> np.ndarray:
    """Each event's time in µs: its own, else the dated one's before it (`before`: the
    input's last), else the first dated one's after it; `_UNDATED` where the input has none."""
    micros = pc.cast(timestamps, pa.timestamp("us")).cast(pa.int64())
    if isinstance(micros, pa.ChunkedArray):
        micros = micros.combine_chunks()
    if before is not None and len(micros) and not micros[0].is_valid:
        micros = pa.concat_arrays([pa.array([before], pa.int64()), micros])
        micros = pc.fill_null_forward(micros)[1:]
    else:
        micros = pc.fill_null_forward(micros)
    micros = pc.fill_null_backward(micros)
    return pc.fill_null(micros, _UNDATED).to_numpy(zero_copy_only=False).astype(np.int64)
