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
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from logbert.sessions.lifecycle import OpenKeys, sequence_key


def distinct_sequences(sessions: Sequence[Sequence[int]]) -> list[Sequence[int]]:
    """Each distinct key sequence once (open and closed apart), in order of first appearance."""
    first: dict[tuple, Sequence[int]] = {}
    for session in sessions:
        first.setdefault(sequence_key(session), session)
    return list(first.values())


def with_local_swaps(
    sequences: Sequence[Sequence[int]], copies: int, prob: float, seed: int
) -> list[list[int]]:
    """`sequences` followed by `copies` jittered copies of each (adjacent swaps with `prob`)."""
    out = list(sequences)
    if copies <= 0 or prob <= 0:
        return out
    rng = np.random.default_rng(seed)
    for _ in range(copies):
        for seq in sequences:
            jittered = OpenKeys(seq) if isinstance(seq, OpenKeys) else list(seq)
            for position in range(len(jittered) - 1):
                if rng.random() < prob:
                    jittered[position], jittered[position + 1] = (
                        jittered[position + 1],
                        jittered[position],
                    )
            out.append(jittered)
    return out


def open_prefixes(sequences: Sequence[Sequence[int]], copies: int, seed: int) -> list[OpenKeys]:
    """`copies` open prefixes (1 key up to all of it) of each closed, non-empty sequence."""
    rng = np.random.default_rng(seed + 1)
    closed = [seq for seq in sequences if len(seq) > 0 and not isinstance(seq, OpenKeys)]
    return [
        OpenKeys(seq[: int(rng.integers(1, len(seq) + 1))])
        for _ in range(max(copies, 0))
        for seq in closed
    ]
