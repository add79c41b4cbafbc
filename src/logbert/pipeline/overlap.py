"""Which sessions a model was trained, validated and calibrated on: the records kept in
`training_sessions.npz` (`files.FINGERPRINTS_FILE`) and the counts `evaluate` and `calibrate`
warn with.

Plain functions over the record (a dict of arrays, as saved): `training_record` when a bundle
is fitted, `with_calibration` when `logbert calibrate` re-thresholds it, `overlap_counts` for
a batch of sessions read later. Sessions with real ids (or times) are compared by a hash of
id, start and keys; sessions known only by their position in a file (a key file's line index)
by runs of consecutive sessions' keys in file order (see `sessions.fingerprints`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from logbert.pipeline.files import (
    CALIBRATION_KEY,
    CALIBRATION_ORDER_KEY,
    TRAIN_ORDER_KEY,
    TRAIN_ROLES_KEY,
)
from logbert.sessions.fingerprints import (
    FINGERPRINT_VERSION,
    ORDER_RUN_KEY,
    SUFFIXES,
    VERSION_KEY,
    SessionHashes,
    aligned_positions,
    fingerprints_version,
    known_mask,
    order_fingerprints,
    order_run,
    positional,
    record_of,
    session_fingerprints,
)
from logbert.sessions.io import Session

Record = dict[str, np.ndarray]
_ORDER_KEYS = {TRAIN_ORDER_KEY, CALIBRATION_ORDER_KEY}


def training_record(train: Sequence[Session], validation: Sequence[Session]) -> Record:
    """The hashes of the training and validation sessions (what `model_id` is made of)."""
    return {**record_of(train, "train"), **record_of(validation, "validation")}


def with_order(
    record: Record, sessions: Sequence[Session], validation: Sequence[Session]
) -> Record:
    """`record` plus, when every session is known by its position only, the runs of its keys
    in file order and which of them were validation sessions (`validation`: those objects)."""
    if not all(positional(s) for s in sessions):
        return record
    run = order_run(sessions)
    held = {id(s) for s in validation}
    return {
        **record,
        ORDER_RUN_KEY: np.array([run], dtype=np.int64),
        TRAIN_ORDER_KEY: order_fingerprints(sessions, run),
        TRAIN_ROLES_KEY: np.array([int(id(s) in held) for s in sessions], dtype=np.int8),
    }


def with_calibration(
    record: Mapping[str, np.ndarray] | None, sessions: Sequence[Session]
) -> Record:
    """`record` with the sessions `logbert calibrate` set the threshold on (replacing an
    earlier calibration's), hashed as the model's own sessions were; a model that records no
    training sessions still learns these."""
    known = dict(record or {VERSION_KEY: np.array([FINGERPRINT_VERSION], dtype=np.int64)})
    known.pop(CALIBRATION_KEY + SUFFIXES, None)
    if fingerprints_version(known) >= FINGERPRINT_VERSION:
        known.update(record_of(sessions, CALIBRATION_KEY))
    else:
        known[CALIBRATION_KEY] = session_fingerprints(sessions, fingerprints_version(known))
    known.pop(CALIBRATION_ORDER_KEY, None)
    if all(positional(s) for s in sessions):
        run = int(known.get(ORDER_RUN_KEY, [order_run(sessions)])[0])
        known[ORDER_RUN_KEY] = np.array([run], dtype=np.int64)
        known[CALIBRATION_ORDER_KEY] = order_fingerprints(sessions, run)
    return known


def overlap_counts(
    record: Mapping[str, np.ndarray] | None,
    sessions: Sequence[Session],
    *,
    cross_fitted: bool = False,
) -> dict[str, int | None]:
    """How many of `sessions` are the model's training, validation or calibration sessions.
    A kind the record lacks is none (0) when it records the training sessions, unknown (None)
    when it does not: zero would claim a check that was never made.

    `cross_fitted`: the threshold in force is training's cross-fitted one, which every
    training and validation session set, so those are its calibration sessions too (QA: an
    evaluation on the training logs of such a model said `in_calibration: 0`). The counts
    then overlap: `in_calibration` is not to be added to the other two."""
    known = record or {}
    by_order = [s for s in sessions if positional(s)] if _ORDER_KEYS & set(known) else []
    by_id = [s for s in sessions if not positional(s)] if by_order else sessions
    absent = 0 if "train" in known else None
    hashes = SessionHashes(by_id, fingerprints_version(known)) if known else None

    def roles(order_kind: str) -> np.ndarray:
        """Per session of `by_order`: the role of the recorded session it lines up with
        (0 training, 1 validation: `TRAIN_ROLES_KEY`; 0 for calibration), -1 none."""
        if order_kind not in known:
            return np.full(len(by_order), -1)
        at = aligned_positions(by_order, known[order_kind], int(known[ORDER_RUN_KEY][0]))
        recorded = known.get(TRAIN_ROLES_KEY) if order_kind == TRAIN_ORDER_KEY else None
        if recorded is None:
            return np.where(at >= 0, 0, -1)
        return np.where(at >= 0, recorded[np.clip(at, 0, len(recorded) - 1)], -1)

    def count(kind: str, by_position: np.ndarray | None = None, role: int = 0) -> int | None:
        if kind not in known:
            return absent
        n = int(known_mask(hashes, known, kind).sum())
        return n + (int((by_position == role).sum()) if by_position is not None else 0)

    training = roles(TRAIN_ORDER_KEY)
    in_training = count("train", training, 0)
    in_validation = count("validation", training, 1)
    return {
        "n_sessions": len(sessions),
        "in_training": in_training,
        "in_validation": in_validation,
        "in_calibration": (
            _sum_known(in_training, in_validation)
            if cross_fitted
            else count(CALIBRATION_KEY, roles(CALIBRATION_ORDER_KEY), 0)
        ),
    }


def _sum_known(*counts: int | None) -> int | None:
    """The sum of counts, unknown (None) when any of them is."""
    return None if any(c is None for c in counts) else sum(counts)
