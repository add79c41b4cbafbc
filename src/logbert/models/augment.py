"""Training-set preparation for LogBERT: one copy per distinct sequence, plus local reorderings.

Why deduplicate: in HDFS a handful of sequences make up most sessions; trained on raw sessions
the model spends its updates re-learning them and stays unsure about the rarer normal orderings
(the ones that end up as false alarms). Scoring already treats identical sequences as one.

Why local swaps: a session's lines come from concurrent writers (an HDFS block is written by
three DataNodes at once), so the order of neighbouring events is partly arbitrary. Copies in
which adjacent keys trade places with a small probability teach the model that such jitter is
normal, while a key far from where it belongs, a missing key or an extra key stay surprising.

Why open prefixes: a session still running when the log ends is scored without an end (see
`sessions/lifecycle.py`); prefixes of normal sessions without END teach the model what such
an unfinished normal session looks like.

Every function takes and returns a `SessionBatch` (keys plus the open mask; ids and labels are
not carried: these are training rows, not sessions to report on).
"""

from __future__ import annotations

import numpy as np

from logbert.sessions.batch import SessionBatch


def distinct_sequences(batch: SessionBatch) -> SessionBatch:
    """Each distinct key sequence once (open and closed apart), in order of first appearance."""
    first: dict[tuple[bool, bytes], int] = {}
    for index, identity in enumerate(batch.identities()):
        first.setdefault(identity, index)
    return _rows(batch.take(list(first.values())))


def with_local_swaps(batch: SessionBatch, copies: int, prob: float, seed: int) -> SessionBatch:
    """`batch` followed by `copies` jittered copies of each (adjacent swaps with `prob`).

    A copy keeps its sequence's open flag.
    """
    if copies <= 0 or prob <= 0:
        return _rows(batch)
    rng = np.random.default_rng(seed)
    keys = list(batch.keys)
    for _ in range(copies):
        for sequence in batch.keys:
            jittered = sequence.copy()
            for position in range(len(jittered) - 1):
                if rng.random() < prob:
                    jittered[position], jittered[position + 1] = (
                        jittered[position + 1],
                        jittered[position],
                    )
            keys.append(jittered)
    return SessionBatch(keys, np.tile(batch.is_open, copies + 1))


def open_prefixes(batch: SessionBatch, copies: int, seed: int) -> SessionBatch:
    """`copies` open prefixes (1 key up to all of it) of each closed, non-empty sequence."""
    rng = np.random.default_rng(seed + 1)
    closed = [k for k, o in zip(batch.keys, batch.is_open, strict=True) if len(k) and not o]
    keys = [
        seq[: int(rng.integers(1, len(seq) + 1))] for _ in range(max(copies, 0)) for seq in closed
    ]
    return SessionBatch(keys, np.ones(len(keys), dtype=bool))


def concat(*batches: SessionBatch) -> SessionBatch:
    """The sessions of `batches` one after the other (keys and open flags)."""
    keys = [k for batch in batches for k in batch.keys]
    is_open = np.concatenate([batch.is_open for batch in batches]) if batches else np.zeros(0)
    return SessionBatch(keys, is_open.astype(bool))


def _rows(batch: SessionBatch) -> SessionBatch:
    return SessionBatch(list(batch.keys), batch.is_open.copy())


class EpochWindows:
    """Which training windows an epoch uses: every window of a sequence that fits in one, and
    `per_sequence` windows drawn afresh each epoch from each longer sequence.

    `group[i]` names the training sequence window i comes from (its jittered copies share the
    group: their windows are pooled) and `long[i]` says whether that sequence needed more than
    one window. Why: a trace of thousands of keys is dozens of windows, every one of them
    (times the jittered copies) trained every epoch; on ADFA-LD that made an epoch ~60 steps of
    full-width windows (100 s here) where each short session costs a fraction of one row. Drawn
    per epoch, every window is still seen over the epochs. Sessions that fit in one window
    (all of HDFS) are untouched: then `rows(epoch)` is every window in order, whatever the
    epoch. `per_sequence` <= 0 keeps every window every epoch. The draw depends only on
    (seed, epoch), so a resumed run draws what the uninterrupted one would have.

    An epoch of fewer than `min_rows` windows repeats them up to `min_rows` (each repeat gets
    its own masks): training deduplicates, so thousands of sessions of a fixed workflow can be
    a few dozen windows, one batch an epoch, and the model stopped after `epochs` optimizer
    steps still learning. 0 (or an epoch at least that large): no repeats.
    """

    def __init__(
        self,
        group: np.ndarray,
        long: np.ndarray,
        per_sequence: int,
        seed: int,
        min_rows: int = 0,
    ):
        self.group = np.asarray(group, dtype=np.int64)
        self.long = np.asarray(long, dtype=bool)
        self.per_sequence = per_sequence
        self.seed = seed
        self._short = np.flatnonzero(~self.long)
        pooled: dict[int, list[int]] = {}
        for i in np.flatnonzero(self.long):
            pooled.setdefault(int(self.group[i]), []).append(int(i))
        self._pools = [np.asarray(p, dtype=np.int64) for p in pooled.values()]
        self._sampled = per_sequence > 0 and bool(self._pools)
        take = sum(min(len(p), per_sequence) for p in self._pools) if self._sampled else 0
        drawn_size = len(self._short) + take if self._sampled else len(self.group)
        self._repeat_to = min_rows if 0 < drawn_size < min_rows else 0
        self.size = self._repeat_to or drawn_size

    def rows(self, epoch: int) -> np.ndarray:
        """Window indices of `epoch`, ascending; always `size` of them."""
        if not self._sampled:
            rows = np.arange(len(self.group))
        else:
            rng = np.random.default_rng([self.seed, epoch, 104_729])
            drawn = [
                rng.choice(pool, size=min(len(pool), self.per_sequence), replace=False)
                for pool in self._pools
            ]
            rows = np.sort(np.concatenate([self._short, *drawn]))
        return np.sort(np.resize(rows, self._repeat_to)) if self._repeat_to else rows
