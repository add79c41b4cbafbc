"""Small helpers shared by the simple sequence detectors (new-event, length, ngram, edit-distance).

- `distinct_sessions`: score each distinct (open flag, keys) session once and expand;
- `pack` / `unpack`: a list of key arrays as two flat int64 arrays (for `checks.write_arrays`,
  no pickle);
- `restore_tuples`: tuple-valued constructor parameters come back from config.json as lists;
  turning them back into tuples keeps `get_params()` equal after `load`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from logbert.sessions.batch import SessionBatch


def distinct_sessions(batch: SessionBatch) -> tuple[list[tuple[bool, np.ndarray]], np.ndarray]:
    """The distinct (is_open, keys) sessions of `batch` and each session's index among them."""
    first: dict[tuple[bool, bytes], int] = {}
    distinct: list[tuple[bool, np.ndarray]] = []
    inverse = np.empty(len(batch), dtype=np.int64)
    for i, (identity, keys) in enumerate(zip(batch.identities(), batch.keys, strict=True)):
        index = first.get(identity)
        if index is None:
            index = first[identity] = len(distinct)
            distinct.append((identity[0], keys))
        inverse[i] = index
    return distinct, inverse


def pack(sequences: Sequence[np.ndarray]) -> dict[str, np.ndarray]:
    """`keys` (all sequences concatenated) and `offsets` (n + 1 boundaries)."""
    lengths = np.fromiter((s.size for s in sequences), dtype=np.int64, count=len(sequences))
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    keys = np.concatenate(sequences).astype(np.int64) if lengths.sum() else np.zeros(0, np.int64)
    return {"keys": keys, "offsets": offsets}


def unpack(keys: np.ndarray, offsets: np.ndarray) -> list[np.ndarray]:
    """The sequences `pack` flattened."""
    keys = keys.astype(np.int64)
    return [keys[offsets[i] : offsets[i + 1]] for i in range(offsets.size - 1)]


def restore_tuples(detector: object, *names: str) -> None:
    """Parameters saved as JSON lists back to tuples (as the constructor was given them)."""
    for name in names:
        value = getattr(detector, name)
        if isinstance(value, list):
            setattr(detector, name, tuple(value))
