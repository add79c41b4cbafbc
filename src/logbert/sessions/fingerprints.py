"""Session fingerprints: which sessions a model was trained and calibrated on.

A model evaluated (or calibrated) on its own training sessions looks better than it is, and
nothing in the numbers shows it. The bundle records an 8-byte hash of each training and
validation session (its id and its keys, so identical sequences of different sessions do not
count as the same session) and `calibrate`/`evaluate` compare their input against them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from logbert.sessions.io import Session


def session_fingerprints(sessions: Sequence[Session]) -> np.ndarray:
    """uint64 hashes of (session id, keys), one per session, stable across runs."""
    out = np.empty(len(sessions), dtype=np.uint64)
    for i, session in enumerate(sessions):
        digest = hashlib.blake2b(digest_size=8)
        digest.update(str(session.session_id).encode("utf-8", "replace") + b"\0")
        digest.update(np.asarray(session.keys, dtype=np.int64).tobytes())
        out[i] = int.from_bytes(digest.digest(), "little")
    return out


def count_known(fingerprints: np.ndarray, known: np.ndarray) -> int:
    """How many of `fingerprints` are in `known`."""
    if fingerprints.size == 0 or known.size == 0:
        return 0
    return int(np.isin(fingerprints, known).sum())
