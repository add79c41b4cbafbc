"""Session fingerprints: which sessions a model was trained and calibrated on.

A model evaluated (or calibrated) on its own training sessions looks better than it is, and
nothing in the numbers shows it. The bundle records an 8-byte hash of each training and
validation session and `calibrate`/`evaluate` compare their input against them. The hash is
of the session's id, its start time when it has one, and its keys: identical sequences of
different sessions do not count as the same session, and neither do sessions of another
period whose ids repeat (job counters that restart every day: `job_000001` each morning,
doing the same work). The start is taken without its year: logs that write no year get it
from `--year` or the file's date, which can differ between training on a file and
evaluating it, and the same session must still be known then.

Version 1 (models saved before the start was hashed; their `training_sessions.npz` holds no
`version`) hashed the id and keys only; `session_fingerprints(..., version=1)` still computes
those, so an old model is compared the way it was recorded. Sessions without a start hash
the same in both versions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import numpy as np

from logbert.sessions.io import Session

FINGERPRINT_VERSION = 2
VERSION_KEY = "version"  # its entry in the fingerprints archive (absent: version 1)


def session_fingerprints(
    sessions: Sequence[Session], version: int = FINGERPRINT_VERSION
) -> np.ndarray:
    """uint64 hashes of (session id, start without the year, keys), one per session, stable
    across runs; `version=1`: of (session id, keys), as models before version 2 recorded."""
    out = np.empty(len(sessions), dtype=np.uint64)
    for i, session in enumerate(sessions):
        digest = hashlib.blake2b(digest_size=8)
        digest.update(str(session.session_id).encode("utf-8", "replace") + b"\0")
        if version >= 2 and session.start is not None:
            digest.update(session.start.strftime("@%m-%d %H:%M:%S.%f").encode("ascii") + b"\0")
        digest.update(np.asarray(session.keys, dtype=np.int64).tobytes())
        out[i] = int.from_bytes(digest.digest(), "little")
    return out


def fingerprints_version(archive: Mapping[str, np.ndarray]) -> int:
    """The fingerprint version a model's archive was recorded with (1 when it names none)."""
    version = archive.get(VERSION_KEY)
    return 1 if version is None else int(np.asarray(version).reshape(-1)[0])


def count_known(fingerprints: np.ndarray, known: np.ndarray) -> int:
    """How many of `fingerprints` are in `known`."""
    if fingerprints.size == 0 or known.size == 0:
        return 0
    return int(np.isin(fingerprints, known).sum())
