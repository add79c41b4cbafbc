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
