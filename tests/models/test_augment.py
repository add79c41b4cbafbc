"""Training-set preparation: deduplication, local-swap copies, open prefixes, epoch windows."""

from __future__ import annotations

from collections import Counter

import numpy as np

from logbert.models.augment import (
    EpochWindows,
    concat,
    distinct_sequences,
    open_prefixes,
    with_local_swaps,
)
from logbert.sessions.batch import SessionBatch


def batch(keys, is_open=None) -> SessionBatch:
    return SessionBatch.from_keys(keys, is_open)


def lists(b: SessionBatch) -> list[list[int]]:
    return [k.tolist() for k in b.keys]


def test_distinct_sequences_keeps_first_appearance_order():
    out = distinct_sequences(batch([[1, 2], [3], [1, 2], [], [3], [2, 1]]))
    assert lists(out) == [[1, 2], [3], [], [2, 1]]
    assert not out.is_open.any()


def test_local_swaps_only_reorder_neighbours_and_are_seeded():
    sequences = [list(range(10)), [5, 6, 7]]
    out = lists(with_local_swaps(batch(sequences), copies=3, prob=0.3, seed=1))
    assert out[:2] == sequences and len(out) == 2 + 3 * 2
    assert out == lists(with_local_swaps(batch(sequences), copies=3, prob=0.3, seed=1))
    assert out != lists(with_local_swaps(batch(sequences), copies=3, prob=0.3, seed=2))
    for i, copy in enumerate(out[2:]):
        original = sequences[i % 2]
        assert Counter(copy) == Counter(original)  # same keys, nothing added or lost
        moved = [abs(copy.index(k) - original.index(k)) for k in original]
        assert np.mean(moved) <= 1  # local jitter, not a shuffle
    assert any(copy != sequences[i % 2] for i, copy in enumerate(out[2:]))


def test_swapped_copies_do_not_change_the_originals():
    original = batch([[1, 2, 3, 4]])
    with_local_swaps(original, copies=3, prob=0.9, seed=0)
    assert lists(original) == [[1, 2, 3, 4]]


def test_no_copies_without_swaps():
    assert lists(with_local_swaps(batch([[1, 2]]), copies=0, prob=0.5, seed=0)) == [[1, 2]]
    assert lists(with_local_swaps(batch([[1, 2]]), copies=2, prob=0.0, seed=0)) == [[1, 2]]


def test_open_and_closed_copies_of_a_sequence_stay_apart():
    out = distinct_sequences(batch([[1, 2]] * 4, [False, True, False, True]))
    assert lists(out) == [[1, 2], [1, 2]] and out.is_open.tolist() == [False, True]
    swapped = with_local_swaps(batch([[1, 2, 3], [4, 5]], [True, False]), 2, 0.5, seed=0)
    assert swapped.is_open.tolist() == [True, False] * 3


def test_open_prefixes_cut_closed_sequences_only():
    prefixes = open_prefixes(batch([[1, 2, 3, 4], [5, 6], []], [0, 1, 0]), copies=3, seed=0)
    assert len(prefixes) == 3 and prefixes.is_open.all()
    assert all(1 <= len(p) <= 4 and p == [1, 2, 3, 4][: len(p)] for p in lists(prefixes))


def test_concat_keeps_keys_and_open_flags_in_order():
    out = concat(batch([[1], [2]], [1, 0]), batch([[3]], [1]))
    assert lists(out) == [[1], [2], [3]] and out.is_open.tolist() == [True, False, True]


def test_epoch_windows_keep_every_window_when_no_sequence_is_long():
    # HDFS: every session fits one window, so every epoch is every window, in order
    sampler = EpochWindows(np.array([0, 1, 2, 0, 1, 2]), np.zeros(6, dtype=bool), 1, seed=0)
    assert sampler.size == 6
    for epoch in range(3):
        assert sampler.rows(epoch).tolist() == list(range(6))


def test_epoch_windows_draw_per_long_sequence_pooled_with_its_copies():
    # windows 0-1: short seq 0; 2-4: long seq 1; 5: short seq 2; 6-8: seq 1's jittered copy
    group = np.array([0, 0, 1, 1, 1, 2, 1, 1, 1])
    long = np.array([False, False, True, True, True, False, True, True, True])
    sampler = EpochWindows(group, long, per_sequence=2, seed=3)
    assert sampler.size == 3 + 2
    seen = set()
    for epoch in range(20):
        rows = sampler.rows(epoch)
        assert len(rows) == sampler.size and list(rows) == sorted(rows)
        assert {0, 1, 5} <= set(rows.tolist())  # short ones: always
        drawn = [r for r in rows.tolist() if long[r]]
        assert len(drawn) == len(set(drawn)) == 2
        seen.update(drawn)
        assert np.array_equal(rows, EpochWindows(group, long, 2, seed=3).rows(epoch))  # seeded
    assert seen == {2, 3, 4, 6, 7, 8}  # over the epochs, every window of the pool
    assert not all(
        np.array_equal(sampler.rows(0), sampler.rows(e)) for e in range(1, 20)
    )  # a fresh draw per epoch


def test_epoch_windows_zero_or_enough_keeps_everything():
    group, long = np.array([0, 0, 0, 1]), np.array([True, True, True, False])
    for per_sequence in (0, 3, 10):
        sampler = EpochWindows(group, long, per_sequence, seed=0)
        assert sampler.size == 4
        assert sampler.rows(5).tolist() == [0, 1, 2, 3]


def test_epoch_windows_repeat_a_small_epoch_up_to_min_rows():
    """A workflow log of thousands of sessions can be a few distinct windows: one batch an
    epoch trained the model for `epochs` steps only. Below `min_rows` the windows repeat,
    every one as often as the others (to one); at or above it nothing changes."""
    short = np.zeros(5, dtype=bool)
    sampler = EpochWindows(np.arange(5), short, 2, seed=0, min_rows=12)
    assert sampler.size == 12
    rows = sampler.rows(3)
    assert len(rows) == 12 and list(rows) == sorted(rows)
    counts = np.bincount(rows, minlength=5)
    assert counts.min() >= 2 and counts.max() <= 3
    for min_rows in (0, 5, 3):
        same = EpochWindows(np.arange(5), short, 2, seed=0, min_rows=min_rows)
        assert same.size == 5 and same.rows(3).tolist() == list(range(5))
    group, long = np.array([0, 0, 0, 1]), np.array([True, True, True, False])
    drawn = EpochWindows(group, long, 2, seed=0, min_rows=9)  # 2 drawn + 1 short, repeated
    assert drawn.size == 9 and len(drawn.rows(1)) == 9 and 3 in drawn.rows(1).tolist()
