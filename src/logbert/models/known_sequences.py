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
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

HASHES, COUNTS = "__known_hashes__", "__known_counts__"  # tensor names in the weights file


def sequence_hash(keys: np.ndarray) -> int:
    """A signed 64-bit hash of a key sequence (int64 values; the same on every machine)."""
    digest = hashlib.blake2b(np.asarray(keys, dtype=np.int64).tobytes(), digest_size=8)
    return int.from_bytes(digest.digest(), "little", signed=True)


@dataclass(frozen=True)
class KnownSequences:
    """Sorted sequence hashes and how many fitted sessions had each."""

    hashes: np.ndarray  # int64, sorted
    counts: np.ndarray  # int64

    @classmethod
    def of(cls, sequences: Sequence[np.ndarray]) -> KnownSequences:
        counted = Counter(sequence_hash(keys) for keys in sequences)
        hashes = np.array(sorted(counted), dtype=np.int64)
        return cls(hashes, np.array([counted[h] for h in hashes.tolist()], dtype=np.int64))

    def count(self, sequences: Sequence[np.ndarray]) -> np.ndarray:
        """How many fitted sessions had each of `sequences` (0 for a sequence never fitted)."""
        if not len(sequences) or not self.hashes.size:
            return np.zeros(len(sequences), dtype=np.int64)
        wanted = np.array([sequence_hash(keys) for keys in sequences], dtype=np.int64)
        at = np.minimum(np.searchsorted(self.hashes, wanted), self.hashes.size - 1)
        return np.where(self.hashes[at] == wanted, self.counts[at], 0)

    def to_tensors(self) -> dict[str, torch.Tensor]:
        return {HASHES: torch.from_numpy(self.hashes), COUNTS: torch.from_numpy(self.counts)}

    @classmethod
    def from_tensors(cls, tensors: dict[str, torch.Tensor]) -> KnownSequences:
        """The table popped from a weights file's tensors (empty when it has none: a model
        saved before known sequences were kept, which then knows no sequence)."""
        hashes, counts = tensors.pop(HASHES, None), tensors.pop(COUNTS, None)
        if hashes is None or counts is None:
            return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        return cls(hashes.numpy().astype(np.int64), counts.numpy().astype(np.int64))
