"""Training-set preparation: deduplication and local-swap copies."""

from __future__ import annotations

from collections import Counter

import numpy as np

from logbert.models.augment import distinct_sequences, with_local_swaps


def test_distinct_sequences_keeps_first_appearance_order():
    sessions = [[1, 2], [3], [1, 2], [], [3], [2, 1]]
    assert distinct_sequences(sessions) == [[1, 2], [3], [], [2, 1]]


def test_local_swaps_only_reorder_neighbours_and_are_seeded():
    sequences = [list(range(10)), [5, 6, 7]]
    out = with_local_swaps(sequences, copies=3, prob=0.3, seed=1)
    assert out[:2] == sequences and len(out) == 2 + 3 * 2
    assert out == with_local_swaps(sequences, copies=3, prob=0.3, seed=1)
    assert out != with_local_swaps(sequences, copies=3, prob=0.3, seed=2)
    for i, copy in enumerate(out[2:]):
        original = sequences[i % 2]
        assert Counter(copy) == Counter(original)  # same keys, nothing added or lost
        moved = [abs(copy.index(k) - original.index(k)) for k in original]
        assert np.mean(moved) <= 1  # local jitter, not a shuffle
    assert any(copy != sequences[i % 2] for i, copy in enumerate(out[2:]))


def test_no_copies_without_swaps():
    assert with_local_swaps([[1, 2]], copies=0, prob=0.5, seed=0) == [[1, 2]]
    assert with_local_swaps([[1, 2]], copies=2, prob=0.0, seed=0) == [[1, 2]]
