"""`SessionBatch`: sessions as every detector sees them, with what is known about each.

A detector needs each session's log keys and whether the session was still open when its log
ended (its missing tail is then not evidence; see `lifecycle.py`). Ids and labels travel along
so that score rows and metrics line up with the input; `categories` carry the multi-class /
multi-label names beside the binary `labels` (whose meaning never changes: 1 anomaly, 0
normal, -1 unknown), for detectors trained on a category target. The open flag is an explicit
boolean mask, never a property of the Python type of a list. `clock_cut` says the sessions are
time windows: a clock, not the system, began and ended each one, so a sequence detector's
start and end markers say nothing of them.

`as_batch` is the one place where detector input is checked and coerced: a `SessionBatch`, a
list of `Session` objects (from `read_sessions`) or a list of key sequences are all accepted;
anything else is a clear `LogbertError` naming the offending session.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from logbert.errors import LogbertError
from logbert.sessions.io import ANOMALY, NORMAL, Session, session_categories

UNKNOWN_LABEL = -1


@dataclass(frozen=True, eq=False)
class SessionBatch:
    """Keys (int64 arrays), an open mask, and optional ids and labels (1, 0, or -1 unknown),
    and categories per session (`sessions.io.session_categories`: [] normal, None unknown)."""

    keys: list[np.ndarray]
    is_open: np.ndarray
    session_ids: list[str] | None = None
    labels: np.ndarray | None = None
    categories: list[list[str] | None] | None = None
    clock_cut: bool = False

    def __post_init__(self) -> None:
        n = len(self.keys)
        if self.is_open.shape != (n,):
            raise LogbertError(f"open mask has {self.is_open.size} entries for {n} sessions")
        if self.session_ids is not None and len(self.session_ids) != n:
            raise LogbertError(f"{len(self.session_ids)} session ids for {n} sessions")
        if self.labels is not None and self.labels.shape != (n,):
            raise LogbertError(f"{self.labels.size} labels for {n} sessions")
        if self.categories is not None and len(self.categories) != n:
            raise LogbertError(f"{len(self.categories)} category lists for {n} sessions")

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter(self.keys)

    def take(self, index: Sequence[int] | np.ndarray) -> SessionBatch:
        """The sessions at `index` (in that order), with their flags, ids and labels."""
        index = np.asarray(index, dtype=np.int64).reshape(-1)
        return SessionBatch(
            keys=[self.keys[i] for i in index],
            is_open=self.is_open[index],
            session_ids=None if self.session_ids is None else [self.session_ids[i] for i in index],
            labels=None if self.labels is None else self.labels[index],
            categories=None if self.categories is None else [self.categories[i] for i in index],
            clock_cut=self.clock_cut,
        )

    def with_open(self, is_open: Sequence[bool] | np.ndarray) -> SessionBatch:
        """The same sessions with another open mask."""
        return SessionBatch(
            self.keys,
            _mask(is_open, len(self)),
            self.session_ids,
            self.labels,
            self.categories,
            self.clock_cut,
        )

    def identities(self) -> list[tuple[bool, bytes]]:
        """What makes two sessions the same for a detector: their keys and their open flag."""
        return [(bool(o), k.tobytes()) for o, k in zip(self.is_open, self.keys, strict=True)]

    @property
    def n_open(self) -> int:
        return int(self.is_open.sum())

    @classmethod
    def from_sessions(
        cls,
        sessions: Sequence[Session],
        is_open: Sequence[bool] | np.ndarray | None = None,
        clock_cut: bool = False,
    ) -> SessionBatch:
        keys = [_key_array(s.keys, i) for i, s in enumerate(sessions)]
        labels = np.array([label_code(s.label) for s in sessions], dtype=np.int8)
        return cls(
            keys=keys,
            is_open=_mask(is_open, len(keys)),
            session_ids=[s.session_id for s in sessions],
            labels=labels,
            categories=[session_categories(s) for s in sessions],
            clock_cut=clock_cut,
        )

    @classmethod
    def from_keys(
        cls, keys: Sequence[Sequence[int]], is_open: Sequence[bool] | np.ndarray | None = None
    ) -> SessionBatch:
        arrays = [_key_array(k, i) for i, k in enumerate(keys)]
        return cls(keys=arrays, is_open=_mask(is_open, len(arrays)))


def as_batch(sessions: Any, is_open: Sequence[bool] | np.ndarray | None = None) -> SessionBatch:
    """Detector input as a `SessionBatch` (see the module doc); `is_open` overrides the mask."""
    if isinstance(sessions, SessionBatch):
        return sessions if is_open is None else sessions.with_open(is_open)
    if isinstance(sessions, str | bytes) or not isinstance(sessions, Sequence | np.ndarray):
        raise LogbertError(
            f"sessions must be a list of key sequences, Session objects or a SessionBatch, not "
            f"{type(sessions).__name__}"
        )
    items = list(sessions)
    if items and all(isinstance(s, Session) for s in items):
        return SessionBatch.from_sessions(items, is_open)
    return SessionBatch.from_keys(items, is_open)


def label_code(label: str | None) -> int:
    """1 for anomaly, 0 for normal, -1 when unknown."""
    if label is None:
        return UNKNOWN_LABEL
    return {ANOMALY: 1, NORMAL: 0}.get(label, UNKNOWN_LABEL)


def _key_array(keys: Any, index: int) -> np.ndarray:
    keys = getattr(keys, "keys", keys)
    if isinstance(keys, str | bytes) or keys is None:
        raise LogbertError(
            f"session {index} is not a sequence of integer log keys (got {type(keys).__name__}); "
            "check the sessions file"
        )
    try:
        array = np.asarray(keys)
        whole = np.issubdtype(array.dtype, np.floating) and bool(np.all(np.mod(array, 1) == 0))
        if array.size and not np.issubdtype(array.dtype, np.integer) and not whole:
            raise TypeError(f"keys must be integers, got {array.dtype}")
        return array.astype(np.int64, copy=False).reshape(-1)
    except (TypeError, ValueError) as exc:
        raise LogbertError(
            f"session {index} is not a sequence of integer log keys ({exc}); check the sessions "
            "file"
        ) from exc


def _mask(is_open: Sequence[bool] | np.ndarray | None, n: int) -> np.ndarray:
    if is_open is None:
        return np.zeros(n, dtype=bool)
    mask = np.asarray(is_open, dtype=bool).reshape(-1)
    if mask.size != n:
        raise LogbertError(f"open mask has {mask.size} entries for {n} sessions")
    return mask
