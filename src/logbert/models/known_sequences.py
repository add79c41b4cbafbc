"""Known normal sequences: how many of the sessions a model was fitted on had each exact key
sequence.

A sequence model scores a session by how well it predicts each key; a sequence it was trained
on many times can still score high where one position is ambiguous (a coupon step that may
come before or after the cart) and no validation session happened to hold it. The user said
the training sessions are normal, so a session whose exact sequence occurred in several of them
is normal by that word: LogBERT's `known_min_count` scores it 0 (see `LogBERT`).

Sequences are kept as 64-bit BLAKE2b hashes of their keys (int64 bytes), stable across runs and
machines, with their counts, sorted by hash: 16 bytes a distinct sequence (HDFS's 4,855
training sessions are 839), saved with the model's weights.

An open session (still running when the log ended) shows only the start of its sequence, and
its end is not judged; when that start is how at least k fitted sessions started, it is normal
so far by the same word (QA: a kubelet log cut mid-day, where every calibration session was a
known sequence and the threshold 0, flagged 46 running pods on their last probe). Prefixes
that at least `PREFIX_MIN_COUNT` fitted sessions share are kept the same way (hashed
incrementally: a prefix's hash is its keys' hash). A fitted session that was itself open
counts towards the starts only, never as a whole sequence: its end was not seen (QA: Slurm
jobs still running when the training log ended made "submit, allocate, prolog" a known
sequence, and every test job that stopped there, never finishing, scored 0).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import torch

HASHES, COUNTS = "__known_hashes__", "__known_counts__"  # tensor names in the weights file
PREFIX_HASHES, PREFIX_COUNTS = "__known_prefix_hashes__", "__known_prefix_counts__"
PREFIX_MIN_COUNT = 2  # prefixes fewer fitted sessions share are not kept (LogBERT's default k)
_EMPTY = np.zeros(0, dtype=np.int64)


def sequence_hash(keys: np.ndarray) -> int:
    """A signed 64-bit hash of a key sequence (int64 values; the same on every machine)."""
    return _hash(np.asarray(keys, dtype=np.int64).tobytes())


@dataclass(frozen=True)
class KnownSequences:
    """Sorted sequence hashes and how many fitted sessions had each."""

    hashes: np.ndarray  # int64, sorted
    counts: np.ndarray  # int64
    prefix_hashes: np.ndarray = field(default_factory=lambda: _EMPTY)  # int64, sorted
    prefix_counts: np.ndarray = field(default_factory=lambda: _EMPTY)  # each >= PREFIX_MIN_COUNT

    @classmethod
    def of(
        cls, sequences: Sequence[np.ndarray], is_open: Sequence[bool] | None = None
    ) -> KnownSequences:
        """The table of the fitted `sequences` (`is_open`: which were still running when
        their log ended; those count as starts only)."""
        opened = [False] * len(sequences) if is_open is None else [bool(o) for o in is_open]
        raws = [np.asarray(keys, dtype=np.int64).tobytes() for keys in sequences]
        distinct = Counter(raws)
        counted = Counter(_hash(raw) for raw, o in zip(raws, opened, strict=True) if not o)
        prefixes: Counter = Counter()
        for raw, n in distinct.items():
            running = hashlib.blake2b(digest_size=8)
            for i in range(0, len(raw), 8):
                running.update(raw[i : i + 8])
                prefixes[_digest(running.copy())] += n
        kept = {h: n for h, n in prefixes.items() if n >= PREFIX_MIN_COUNT}
        return cls(*_table(counted), *_table(kept))

    def count(self, sequences: Sequence[np.ndarray]) -> np.ndarray:
        """How many fitted sessions had each of `sequences` (0 for a sequence never fitted)."""
        return _lookup(self.hashes, self.counts, sequences)

    def count_starts(self, sequences: Sequence[np.ndarray]) -> np.ndarray:
        """How many fitted sessions started with each of `sequences` (0 below
        PREFIX_MIN_COUNT, and for a model saved before prefixes were kept)."""
        return _lookup(self.prefix_hashes, self.prefix_counts, sequences)

    def to_tensors(self) -> dict[str, torch.Tensor]:
        return {
            HASHES: torch.from_numpy(self.hashes),
            COUNTS: torch.from_numpy(self.counts),
            PREFIX_HASHES: torch.from_numpy(self.prefix_hashes),
            PREFIX_COUNTS: torch.from_numpy(self.prefix_counts),
        }

    @classmethod
    def from_tensors(cls, tensors: dict[str, torch.Tensor]) -> KnownSequences:
        """The table popped from a weights file's tensors (empty when it has none: a model
        saved before known sequences were kept, which then knows no sequence)."""
        hashes, counts = tensors.pop(HASHES, None), tensors.pop(COUNTS, None)
        starts, start_counts = tensors.pop(PREFIX_HASHES, None), tensors.pop(PREFIX_COUNTS, None)
        if hashes is None or counts is None:
            return cls(_EMPTY, _EMPTY)
        if starts is None or start_counts is None:  # saved before prefixes were kept
            starts = start_counts = torch.from_numpy(_EMPTY)
        return cls(*(t.numpy().astype(np.int64) for t in (hashes, counts, starts, start_counts)))


def _digest(hasher) -> int:
    return int.from_bytes(hasher.digest(), "little", signed=True)


def _hash(raw: bytes) -> int:
    return _digest(hashlib.blake2b(raw, digest_size=8))


def _table(counted: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Hashes sorted, and their counts."""
    hashes = np.array(sorted(counted), dtype=np.int64)
    return hashes, np.array([counted[h] for h in hashes.tolist()], dtype=np.int64)


def _lookup(hashes: np.ndarray, counts: np.ndarray, sequences: Sequence[np.ndarray]) -> np.ndarray:
    """The count of each sequence's hash in a sorted table (0 where it is not there)."""
    if not len(sequences) or not hashes.size:
        return np.zeros(len(sequences), dtype=np.int64)
    wanted = np.array([sequence_hash(keys) for keys in sequences], dtype=np.int64)
    at = np.minimum(np.searchsorted(hashes, wanted), hashes.size - 1)
    return np.where(hashes[at] == wanted, counts[at], 0)
