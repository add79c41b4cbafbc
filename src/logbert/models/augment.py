"""Training-set preparation for LogBERT: one copy per distinct sequence, plus local reorderings.

Why deduplicate: in HDFS a handful of sequences make up most sessions; trained on raw sessions
the model spends its updates re-learning them and stays unsure about the rarer normal orderings
(the ones that end up as false alarms). Scoring already treats identical sequences as one.

Why local swaps: a session's lines come from concurrent writers (an HDFS block is written by
three DataNodes at once), so the order of neighbouring events is partly arbitrary. Copies in
which adjacent keys trade places with a small probability teach the model that such jitter is
normal, while a key far from where it belongs, a missing key or an extra key stay surprising.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def distinct_sequences(sessions: Sequence[Sequence[int]]) -> list[list[int]]:
    """Each distinct key sequence once, in order of first appearance."""
    return [list(s) for s in dict.fromkeys(tuple(s) for s in sessions)]


def with_local_swaps(
    sequences: Sequence[Sequence[int]], copies: int, prob: float, seed: int
) -> list[list[int]]:
    """`sequences` followed by `copies` jittered copies of each (adjacent swaps with `prob`)."""
    out = [list(s) for s in sequences]
    if copies <= 0 or prob <= 0:
        return out
    rng = np.random.default_rng(seed)
    for _ in range(copies):
        for seq in sequences:
            jittered = list(seq)
            for position in range(len(jittered) - 1):
                if rng.random() < prob:
                    jittered[position], jittered[position + 1] = (
                        jittered[position + 1],
                        jittered[position],
                    )
            out.append(jittered)
    return out
