"""Edit-distance detection (Landauer et al., FSE 2024): distance to the nearest normal sequence.

The score of a session `a` (m keys) is its normalised Levenshtein distance to the nearest
DISTINCT training sequence `b` (n keys):

    score = min_b lev(a, b) / max(m, n)        (0 when both are empty; in [0, 1])

An open session (`SessionBatch.is_open`, still running when the log ended) is compared with
the PREFIXES of the training sequences, min over j of lev(a, b[:j]) / max(m, j): its missing
tail is not judged. Open training sessions are kept as sequences like the closed ones.

Exact search, pruned by a lower bound. Any alignment matches at most |a ∩ b| positions (the
multiset intersection, from the count vectors), so lev(a, b) >= max(m, n) - |a ∩ b|, and the
normalised distance >= 1 - |a ∩ b| / max(m, n) (open: >= 1 - |a ∩ b| / m). Each session takes
its candidates in increasing order of that bound: first the FIRST_ROUND best, then rounds of
LATER_ROUNDS, keeping only candidates whose bound is below the best distance found so far; a
session is done when its next bound is not below its best distance, which keeps the result
exact. Each round's (session, candidate) pairs of all sessions go through one vectorised
dynamic program (numpy: one row update per position of the sessions, over all pairs at once;
the in-row dependency is solved by a running minimum). `max_candidates` caps how many distinct
training sequences one session is compared with (default 1,000; None: no cap); only when the
cap stops a search is the score an upper bound of the true distance. Cost per DISTINCT test
session: O(C x V) for the bounds (C distinct training sequences, V training keys) plus
O(m x sum of the compared sequences' lengths) for the dynamic program, at most
m x max_candidates x the longest training length. Sessions are deduplicated first, and a
closed session equal to a training sequence scores 0 without any dynamic program. Measured on
one CPU core against 600 distinct random training sequences (length 2-300, 30 keys): 12,000
distinct near-copies take about 9 s (the bound prunes to a few candidates each); 1,000
unrelated random sequences about 90 s (the bound prunes nothing: every one of the 600 goes
through the dynamic program, ~1.5e8 cells/s). HDFS protocol A (11,501 test sessions): 1.6 s.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from logbert.models.base import Detector
from logbert.models.checks import check_sessions, read_arrays, write_arrays
from logbert.models.count_vectors import count_matrix
from logbert.models.params import require_int
from logbert.models.sequence_tools import distinct_sessions, pack, unpack
from logbert.sessions.batch import SessionBatch

STATE_FILE = "sequences.npz"
TESTS_PER_SEARCH = 512  # distinct test sequences searched together
CHUNK_ELEMENTS = 4_000_000  # bounds and count minima: at most this many floats at once
FIRST_ROUND = 4  # candidates per test in the first round (the nearest is usually among them)
LATER_ROUNDS = 32  # candidates per test in each later round
PAIRS_PER_BATCH = 1024  # (test, candidate) pairs per vectorised dynamic program


class EditDistanceDetector(Detector):
    """Normalised Levenshtein distance to the nearest distinct training sequence."""

    name: ClassVar[str] = "edit-distance"
    skips_open_ends: ClassVar[bool] = True  # reads `is_open`: an open session's end is not judged
    _fitted_attributes: ClassVar[tuple[str, ...]] = ("training_info_", "sequences_")

    def __init__(self, max_candidates: int | None = 1000) -> None:
        self.max_candidates = max_candidates

    def _check_params(self) -> None:
        if self.max_candidates is not None:  # None: compare with every training sequence
            require_int(self.name, "max_candidates", self.max_candidates, 1)

    def _fit(self, batch: SessionBatch, validation: SessionBatch | None, **_: Any) -> None:
        unique = {keys.tobytes(): keys for keys in batch.keys}
        self._prepare(sorted(unique.values(), key=lambda k: (k.size, k.tolist())))
        self.training_info_.update(
            n_sessions=len(batch),
            n_distinct_sequences=len(self.sequences_),
            max_length=int(self.lengths_.max()),
        )

    def _prepare(self, sequences: list[np.ndarray]) -> None:
        """Fitted arrays derived from the distinct training sequences (fit and load)."""
        self.sequences_ = sequences
        self.lengths_ = np.array([s.size for s in sequences], dtype=np.int64)
        self.vocab_ = np.unique(np.concatenate(sequences)).astype(np.int64)
        self.counts_ = count_matrix(self.vocab_, sequences)[:, :-1]
        self.exact_ = {s.tobytes() for s in sequences}

    def decision_function(self, X: Any) -> np.ndarray:
        self._require_fitted()
        distinct, inverse = distinct_sessions(check_sessions(X))
        scores = np.zeros(len(distinct))
        pending = []
        for index, (is_open, keys) in enumerate(distinct):
            if keys.size == 0:
                # lev([], b) = len(b): normalised 1 unless an empty normal session exists
                scores[index] = 0.0 if is_open or (self.lengths_ == 0).any() else 1.0
            elif is_open or keys.tobytes() not in self.exact_:
                pending.append(index)
        pending.sort(key=lambda i: distinct[i][1].size)  # similar lengths share a DP batch
        per_search = max(1, min(TESTS_PER_SEARCH, CHUNK_ELEMENTS // max(1, self.lengths_.size)))
        for start in range(0, len(pending), per_search):
            chunk = pending[start : start + per_search]
            scores[chunk] = self._search(
                [distinct[i][1] for i in chunk],
                np.array([distinct[i][0] for i in chunk], dtype=bool),
            )
        return scores[inverse] if len(inverse) else np.zeros(0)

    def _search(self, tests: list[np.ndarray], is_open: np.ndarray) -> np.ndarray:
        """Exact nearest normalised distance for each (non-empty) test sequence (module doc)."""
        m = np.array([t.size for t in tests], dtype=np.int64)
        counts = count_matrix(self.vocab_, tests)[:, :-1]
        shared = np.empty((len(tests), self.lengths_.size))
        step = max(1, CHUNK_ELEMENTS // max(1, self.counts_.size))
        for first in range(0, len(tests), step):
            part = counts[first : first + step, None, :]
            shared[first : first + step] = np.minimum(part, self.counts_[None]).sum(axis=2)
        scale = np.where(is_open[:, None], m[:, None], np.maximum(m[:, None], self.lengths_))
        bound = 1.0 - shared / scale
        order = np.argsort(bound, axis=1, kind="stable")
        cap = order.shape[1] if self.max_candidates is None else int(self.max_candidates)
        cap = min(cap, order.shape[1])
        best = np.full(len(tests), np.inf)
        position, active, take = 0, np.arange(len(tests)), FIRST_ROUND
        while active.size and position < cap:
            stop = min(position + take, cap)
            candidates = order[active, position:stop]
            useful = bound[active[:, None], candidates] < best[active, None]
            rows, columns = np.nonzero(useful)
            if not rows.size:
                break
            tests_of_pairs = active[rows]
            distances = self._pair_distances(
                tests, m, is_open, tests_of_pairs, candidates[rows, columns]
            )
            np.minimum.at(best, tests_of_pairs, distances)
            position, take = stop, LATER_ROUNDS
            if position < cap:  # go on where a later candidate could still be nearer
                next_bound = bound[active, order[active, position]]
                active = active[next_bound < best[active]]
        return best

    def _pair_distances(
        self,
        tests: list[np.ndarray],
        m: np.ndarray,
        is_open: np.ndarray,
        test_index: np.ndarray,
        train_index: np.ndarray,
    ) -> np.ndarray:
        """Normalised distance of each (test, training sequence) pair, in DP batches."""
        out = np.empty(test_index.size)
        order = np.lexsort((self.lengths_[train_index], m[test_index]))
        for start in range(0, order.size, PAIRS_PER_BATCH):
            pick = order[start : start + PAIRS_PER_BATCH]
            t, c = test_index[pick], train_index[pick]
            a_len, b_len = m[t], self.lengths_[c]
            a = _padded([tests[i] for i in t], a_len, -2)
            b = _padded([self.sequences_[i] for i in c], b_len, -1)
            last = levenshtein_last_rows(a, a_len, b)
            closed = last[np.arange(pick.size), b_len] / np.maximum(a_len, b_len)
            columns = np.arange(b.shape[1] + 1)
            prefix = last / np.maximum(columns[None, :], a_len[:, None])
            prefix[columns[None, :] > b_len[:, None]] = np.inf
            out[pick] = np.where(is_open[t], prefix.min(axis=1), closed)
        return out

    def _save_state(self, directory: Path) -> None:
        write_arrays(directory / STATE_FILE, pack(self.sequences_))

    def _load_state(self, directory: Path) -> None:
        arrays = read_arrays(directory / STATE_FILE, ("keys", "offsets"))
        self._prepare(unpack(arrays["keys"], arrays["offsets"]))


def levenshtein_last_rows(a: np.ndarray, a_len: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Last rows of the Levenshtein tables of many pairs (a[r, :a_len[r]], b[r]) at once.

    Returns an (n_pairs, width + 1) array D with D[r, j] = lev(a[r, :a_len[r]], b[r, :j]).
    Cells to the right of a row's true length depend only on cells to their left, so padding
    `b` does not change D[r, j] for j <= that length; pair r's row is kept when i = a_len[r],
    so what pads `a` is never used. Row update: t[j] = min(prev[j] + 1, prev[j-1] + cost),
    then cur[j] = min over k <= j of t[k] + (j - k) (insertions), i.e. a running minimum of
    t[k] - k plus j.
    """
    rows, width = b.shape
    columns = np.arange(width + 1, dtype=np.int32)
    previous = np.broadcast_to(columns, (rows, width + 1)).copy()
    out = previous.copy()
    step = np.empty((rows, width + 1), dtype=np.int32)
    for i in range(1, int(a_len.max(initial=0)) + 1):
        step[:, 0] = i
        np.minimum(previous[:, 1:] + 1, previous[:, :-1] + (b != a[:, i - 1 : i]), out=step[:, 1:])
        previous = np.minimum.accumulate(step - columns, axis=1) + columns
        finished = a_len == i
        if finished.any():
            out[finished] = previous[finished]
    return out


def _padded(sequences: list[np.ndarray], lengths: np.ndarray, fill: int) -> np.ndarray:
    matrix = np.full((len(sequences), max(int(lengths.max(initial=0)), 1)), fill, dtype=np.int64)
    for row, keys in enumerate(sequences):
        matrix[row, : keys.size] = keys
    return matrix
