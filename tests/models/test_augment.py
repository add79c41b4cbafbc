"""Training-set preparation: deduplication and local-swap copies."""

from __future__ import annotations

from collections import Counter

import numpy as np

from logbert.models.augment import distinct_sequences, open_prefixes, with_local_swaps
from logbert.sessions.lifecycle import OpenKeys


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


def test_open_and_closed_copies_of_a_sequence_stay_apart():
    out = distinct_sequences([[1, 2], OpenKeys([1, 2]), [1, 2], OpenKeys([1, 2])])
    assert [isinstance(s, OpenKeys) for s in out] == [False, True]
    swapped = with_local_swaps([OpenKeys([1, 2, 3])], copies=2, prob=0.5, seed=0)
    assert all(isinstance(s, OpenKeys) for s in swapped)


def test_open_prefixes_cut_closed_sequences_only():
    prefixes = open_prefixes([[1, 2, 3, 4], OpenKeys([5, 6]), []], copies=3, seed=0)
    assert len(prefixes) == 3 and all(isinstance(p, OpenKeys) for p in prefixes)
    assert all(1 <= len(p) <= 4 and p == [1, 2, 3, 4][: len(p)] for p in prefixes)
