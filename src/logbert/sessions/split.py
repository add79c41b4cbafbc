"""Seeded train/validation splits of sessions, shared by `logbert train` and the benchmarks.

It lives with the sessions, not in the HDFS protocol module, because every training run splits
its normal sessions this way, whatever the dataset; the protocols only reuse it. Any list works
(Session objects, key lists): only positions are drawn.
"""

from __future__ import annotations

import numpy as np


def holdout(sessions: list, share: float, seed: int) -> tuple[list, list]:
    """Seeded split into (train, validation); no validation when there are too few sessions.

    `logbert train` and the benchmarks use this same split of the normal sessions.
    """
    n_val = int(round(len(sessions) * share))
    if n_val == 0 or n_val >= len(sessions):
        return list(sessions), []
    order = np.random.default_rng(seed).permutation(len(sessions))
    val_index = set(order[:n_val].tolist())
    train = [s for i, s in enumerate(sessions) if i not in val_index]
    val = [s for i, s in enumerate(sessions) if i in val_index]
    return train, val
