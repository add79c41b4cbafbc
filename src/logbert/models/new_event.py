"""New-event detection (Landauer et al., FSE 2024): keys never seen in training.

The paper flags a session as soon as it holds one event type absent from the training data.
To keep a continuous score (so the detector calibrates and ranks like the others) the score is

    score = u + f / 2

where `u` is the number of DISTINCT keys of the session never seen in training (an integer:
the evidence) and `f` the share of the session's events that are such keys (in [0, 1], so
f / 2 <= 0.5 only breaks ties between sessions with the same `u` and never lifts a session
past one with more unseen keys). A count, not a share, is the primary score: one unseen key is
the same evidence in a long session as in a short one, while a share would dilute it in long
sessions. Sessions with no unseen key score 0, so in-sample calibration (every training session
scores 0) flags any session with an unseen key; calibration on validation sessions raises the
threshold only as far as unseen keys are common among normal sessions. Open sessions are scored
like closed ones (a key seen is seen, whatever the session's end).

Evidence (`score_sessions(..., top_events=k)`): the first line of each of the first k
distinct unseen keys, `surprise` 1 each (never seen), nothing expected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from logbert.models.base import Detector
from logbert.models.checks import check_sessions, read_arrays, write_arrays
from logbert.sessions.batch import SessionBatch

STATE_FILE = "state.npz"


class NewEventDetector(Detector):
    """Number of distinct unseen keys, plus half the unseen share as a tie-break."""

    name: ClassVar[str] = "new-event"
    skips_open_ends: ClassVar[bool] = True  # keys only: a session's end is never judged
    _fitted_attributes: ClassVar[tuple[str, ...]] = ("training_info_", "vocab_")

    def __init__(self) -> None:
        pass

    def _fit(self, batch: SessionBatch, validation: SessionBatch | None, **_: Any) -> None:
        self.vocab_ = np.unique(np.concatenate(batch.keys)).astype(np.int64)
        self.training_info_.update(n_sessions=len(batch), n_keys=int(self.vocab_.size))

    def decision_function(self, X: Any) -> np.ndarray:
        self._require_fitted()
        sessions = check_sessions(X).keys
        if not sessions:
            return np.zeros(0)
        lengths = np.fromiter((s.size for s in sessions), dtype=np.int64, count=len(sessions))
        keys = np.concatenate(sessions) if lengths.sum() else np.zeros(0, dtype=np.int64)
        rows = np.repeat(np.arange(len(sessions)), lengths)
        unseen = ~np.isin(keys, self.vocab_)
        occurrences = np.bincount(rows[unseen], minlength=len(sessions))
        pairs = np.unique(np.stack([rows[unseen], keys[unseen]]), axis=1)
        distinct = np.bincount(pairs[0], minlength=len(sessions))
        share = occurrences / np.maximum(lengths, 1)
        return distinct + share / 2

    def score_sessions(self, X: Any, top_events: int = 0) -> dict[str, Any]:
        """`score`, and with `top_events` the first line of each unseen key (module doc)."""
        scores = self.decision_function(X)
        if top_events <= 0:
            return {"score": scores}
        events = []
        for keys in check_sessions(X).keys:
            unseen = np.flatnonzero(~np.isin(keys, self.vocab_))
            _, first = np.unique(keys[unseen], return_index=True)
            events.append([
                {"position": int(p), "key": int(keys[p]), "surprise": 1.0, "expected": []}
                for p in sorted(unseen[first].tolist())[:top_events]
            ])  # fmt: skip
        return {"score": scores, "top_events": events}

    def _save_state(self, directory: Path) -> None:
        write_arrays(directory / STATE_FILE, {"vocab": self.vocab_})

    def _load_state(self, directory: Path) -> None:
        self.vocab_ = read_arrays(directory / STATE_FILE, ("vocab",))["vocab"].astype(np.int64)
