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

Sessions whose id is only their position in a file (a DeepLog key file's line index, the
`normal-3` of a {"normal_sessions", "anomaly_sessions"} JSON file) and that have no start are
not told apart by id: line 7 of one file and line 7 of another are different sessions, and
HDFS's 4,855 training sessions hold only 839 distinct sequences, so id and keys matched
unrelated data by chance (1% of a test file), while the training file shifted by one blank
line or rewritten as JSON matched nothing. Such sessions are compared by order instead: the
bundle records a hash of the keys of every `run` consecutive sessions, in file order
(`order_fingerprints`), and a session lying inside such a run of the input counts
(`aligned_positions`): the same data, however the file is laid out. `run` is chosen from the
training data (`order_run`) so that a chance match stays rare: HDFS's sequences repeat so
often that runs of five matched 0.8% of an unrelated file; it takes eight.

An id that is a file's path (`--by-field source`: one session per input file) is hashed
without its folders (version 3): the source is the base name, or the path as typed when two
inputs share a base name, so the same training file read beside another folder's namesake,
or from another working directory, got another id and its evaluation was not warned about.

The base name alone said too little where every file has the same one: Jenkins writes each
build to `jobs/<job>/builds/<n>/log`, so undated builds with the same steps were "the same
session" and evaluating 100 new builds reported 30 as trained on. Version 4 hashes the id
with its folders and records, beside each kind's hashes, those of the shorter path suffixes
(`<kind>_suffixes`: `builds/17/log`, `17/log`, `log`); a session is known when its path and a
recorded one end alike, one being a suffix of the other, or both in the same two or more
last parts (`known_mask`): the same file named from another folder still matches, and so does
a copy of a tree under another root (QA Airflow: `copy/dag_id=etl/.../attempt=1.log` beside
the recorded `data/logs_train/dag_id=etl/.../attempt=1.log`), while build 18 no longer
matches build 17. A base name alone still matches any recorded path ending in it (nothing
tells those apart).

Version 1 (models saved before the start was hashed; their `training_sessions.npz` holds no
`version`) hashed the id and keys only, version 2 the id with its folders, version 3 without
them; `session_fingerprints(..., version=...)` still computes those, so an old model is
compared the way it was recorded. Sessions without a start and without a `/` in their id hash
the same in every version.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence

import numpy as np

from logbert.sessions.io import Session

FINGERPRINT_VERSION = 4
VERSION_KEY = "version"  # its entry in the fingerprints archive (absent: version 1)
SUFFIXES = "_suffixes"  # `<kind>_suffixes`: the shorter path suffixes of a kind's ids (v4)
ORDER_RUN_KEY = "order_run"  # its entry in the archive: the run length of the order arrays
CHANCE_RUN_MATCH = 1e-6  # the chance `order_run` allows per input session of a false match
# the ids readers give sessions that have none: a line index, or normal-i / anomaly-i
_POSITIONAL_ID = re.compile(r"(?:normal-|anomaly-)?\d+")


def session_fingerprints(
    sessions: Sequence[Session], version: int = FINGERPRINT_VERSION
) -> np.ndarray:
    """uint64 hashes of (session id, start without the year, keys), one per session, stable
    across runs. The id with its folders (`version` 2 and 4; 3: without them); `version=1`:
    of (session id, keys), as models before version 2 recorded."""
    out = np.empty(len(sessions), dtype=np.uint64)
    for i, session in enumerate(sessions):
        session_id = str(session.session_id)
        if version == 3:
            session_id = session_id.rsplit("/", 1)[-1]
        elif version >= 4:
            session_id = "/".join(_path_parts(session_id))
        out[i] = _hash(session_id, session if version >= 2 else None, session.keys)
    return out


def suffix_fingerprints(sessions: Sequence[Session]) -> np.ndarray:
    """The version-4 hashes of every shorter path suffix of the sessions' ids (`a/b/log`:
    `b/log`, `log`), with their starts and keys; none for ids without folders."""
    out = [_hash("/".join(parts[j:]), session, session.keys)
           for session in sessions if len(parts := _path_parts(str(session.session_id))) > 1
           for j in range(1, len(parts))]  # fmt: skip
    return np.array(out, dtype=np.uint64)


class SessionHashes:
    """A batch's hashes as an archive of `version` compares them, made once for every kind
    the batch is checked against (`known_mask`): each session's, and in version 4 the shorter
    path suffixes of each id with folders."""

    def __init__(self, sessions: Sequence[Session], version: int) -> None:
        self.version = version
        self.whole = session_fingerprints(sessions, version)
        self.suffixes = (
            {i: suffix_fingerprints([s]) for i, s in enumerate(sessions)
             if "/" in str(s.session_id)}
            if version >= 4 else {}
        )  # fmt: skip


def known_mask(
    sessions: Sequence[Session] | SessionHashes, archive: Mapping[str, np.ndarray], kind: str
) -> np.ndarray:
    """Per session: is it one of the archive's `kind` sessions? By hash up to version 3; in
    version 4 also when its path and a recorded one end alike (see the module doc). `sessions`
    may come hashed already (`SessionHashes`, when several kinds are asked of one batch)."""
    hashes = (
        sessions
        if isinstance(sessions, SessionHashes)
        else SessionHashes(sessions, fingerprints_version(archive))
    )
    known = np.asarray(archive[kind])
    if hashes.version < 4:
        return np.isin(hashes.whole, known)
    shorter = np.asarray(archive.get(kind + SUFFIXES, np.empty(0, dtype=np.uint64)))
    out = np.isin(hashes.whole, np.concatenate([known, shorter]).astype(np.uint64))
    # sets made once: `np.isin` per session sorted the whole archive each time (QA Barman:
    # 7,109 sessions by file and pid against 25,933 training ones, scoring at 30 a second)
    known_set, shorter_set = set(known.tolist()), set(shorter.tolist())
    for i, suffixes in hashes.suffixes.items():
        # the last suffix is the base name: alike in every Jenkins build, it tells nothing
        values = suffixes.tolist()
        alike = any(h in known_set for h in values) or any(h in shorter_set for h in values[:-1])
        out[i] = out[i] or alike
    return out


def record_of(sessions: Sequence[Session], kind: str) -> dict[str, np.ndarray]:
    """A kind's entries in a fingerprints archive of the current version: its hashes, its
    ids' shorter path suffixes when any id has folders, and the version."""
    out = {
        kind: session_fingerprints(sessions),
        VERSION_KEY: np.array([FINGERPRINT_VERSION], dtype=np.int64),
    }
    if any("/" in str(s.session_id) for s in sessions):
        out[kind + SUFFIXES] = suffix_fingerprints(sessions)
    return out


def _path_parts(session_id: str) -> list[str]:
    """An id's path components, without empty ones and `.` (`./a//b` is `a/b`)."""
    return [part for part in session_id.split("/") if part not in ("", ".")] or [session_id]


def _hash(session_id: str, dated: Session | None, keys: Sequence[int]) -> int:
    """The 8-byte hash of an id, a start (`dated.start` without its year; none when `dated`
    is None or has no start) and keys."""
    digest = hashlib.blake2b(digest_size=8)
    digest.update(session_id.encode("utf-8", "replace") + b"\0")
    if dated is not None and dated.start is not None:
        digest.update(dated.start.strftime("@%m-%d %H:%M:%S.%f").encode("ascii") + b"\0")
    digest.update(np.asarray(keys, dtype=np.int64).tobytes())
    return int.from_bytes(digest.digest(), "little")


def fingerprints_version(archive: Mapping[str, np.ndarray]) -> int:
    """The fingerprint version a model's archive was recorded with (1 when it names none)."""
    version = archive.get(VERSION_KEY)
    return 1 if version is None else int(np.asarray(version).reshape(-1)[0])


def positional(session: Session) -> bool:
    """Whether a session's id is only its position in its file and it has no start, so the
    id says nothing of which session it is (see the module doc)."""
    return session.start is None and _POSITIONAL_ID.fullmatch(str(session.session_id)) is not None


def order_run(sessions: Sequence[Session]) -> int:
    """The run length that makes a chance match of that many consecutive sessions rare
    (`CHANCE_RUN_MATCH` per position against all of `sessions`' runs), assuming sessions as
    alike as `sessions` are among themselves: q = the chance two of them share their keys,
    run = log(CHANCE / n) / log(q), at least 5 and at most 64."""
    counts = np.unique([hashlib.blake2b(np.asarray(s.keys, np.int64).tobytes()).digest()
                        for s in sessions], return_counts=True)[1]  # fmt: skip
    n = int(counts.sum())
    q = float(((counts / max(n, 1)) ** 2).sum()) if n else 1.0
    if q >= 1.0:
        return 64
    return int(min(64, max(5, np.ceil(np.log(CHANCE_RUN_MATCH / max(n, 1)) / np.log(q)))))


def order_fingerprints(sessions: Sequence[Session], run: int) -> np.ndarray:
    """uint64 hashes of the keys of each `run` consecutive sessions, in order (empty when
    there are fewer): what position-id sessions are compared by."""
    keys = [hashlib.blake2b(np.asarray(s.keys, np.int64).tobytes(), digest_size=8).digest()
            for s in sessions]  # fmt: skip
    out = np.empty(max(0, len(keys) - run + 1), dtype=np.uint64)
    for i in range(len(out)):
        digest = hashlib.blake2b(b"".join(keys[i : i + run]), digest_size=8).digest()
        out[i] = int.from_bytes(digest, "little")
    return out


def aligned_positions(sessions: Sequence[Session], known: np.ndarray, run: int) -> np.ndarray:
    """Per session of `sessions` (in file order), the position in the recorded data it lines
    up with: it lies inside a run of `run` consecutive sessions whose keys match the run of
    `known` (`order_fingerprints` of the model's data) starting there; -1 where none does."""
    out = np.full(len(sessions), -1, dtype=np.int64)
    mine = order_fingerprints(sessions, run)
    if mine.size == 0 or known.size == 0:
        return out
    first = {int(h): j for j, h in reversed(list(enumerate(known)))}  # a run's first place
    for start in np.flatnonzero(np.isin(mine, known)):
        j = first[int(mine[start])]
        span = out[start : start + run]
        span[span < 0] = np.arange(j, j + run)[span < 0]
    return out
