"""Invariants Mining (Lou et al., USENIX ATC 2010): linear laws among event counts.

Normal sessions obey small integer relations among key counts, e.g. count("open") =
count("close"). Following the paper (and loglizer's implementation):

1. estimate how many invariants exist: r = the number of eigenvalues of X^T X below `epsilon`;
2. search key subsets of growing size (1 .. `max_length`) for a vector theta with small integer
   entries such that X[:, subset] @ theta = 0 on at least `support` of the normal sessions
   (theta from the subset's smallest right singular vector, scaled to integers); supersets of
   a found invariant are skipped; stop once r invariants are found.

A column that is always zero in training (such as the "unknown" column) is itself an invariant.
Score = number of invariants a session violates. Counting is done on distinct count vectors
weighted by multiplicity, which gives the same result as counting every session.

Evidence (`score_sessions(..., top_events=k)`): one row per broken law, the largest breach
first, at the first line of a key the session holds too many of; its `expected` the keys the
law wanted more of, its `note` the law and the session's counts (QA CFEngine: a killed run's
window was flagged with `top_events: []`, "score 1 > threshold 0" all there was to read).
"""

from __future__ import annotations

from itertools import combinations
from typing import Any, ClassVar

import numpy as np

from logbert.models.checks import check_sessions
from logbert.models.count_vectors import (
    CountVectorDetector,
    count_matrix,
    first_position,
    unique_rows,
)
from logbert.models.params import require_float, require_int

_ZERO = 1e-8


class InvariantsDetector(CountVectorDetector):
    """Number of mined linear count invariants a session breaks."""

    name: ClassVar[str] = "invariants"
    state_arrays: ClassVar[tuple[str, ...]] = ("columns", "thetas")

    def __init__(
        self,
        epsilon: float = 0.5,
        support: float = 0.98,
        max_length: int = 3,
        max_candidates: int = 50_000,
    ) -> None:
        self.epsilon = epsilon
        self.support = support
        self.max_length = max_length
        self.max_candidates = max_candidates

    def _check_params(self) -> None:
        """epsilon > 0; support: the share of sessions an invariant must hold on, in (0, 1];
        max_length and max_candidates >= 1."""
        require_float(self.name, "epsilon", self.epsilon, 0, low_open=True)
        require_float(self.name, "support", self.support, 0, 1, low_open=True)
        require_int(self.name, "max_length", self.max_length, 1)
        require_int(self.name, "max_candidates", self.max_candidates, 1)

    def _fit_matrix(self, matrix: np.ndarray) -> None:
        distinct, _, counts = unique_rows(matrix)
        weights = counts / counts.sum()
        n_wanted = invariant_space_dimension(distinct, counts, self.epsilon)
        found: list[tuple[tuple[int, ...], np.ndarray]] = []
        tried = 0
        for length in range(1, self.max_length + 1):
            for subset in combinations(range(matrix.shape[1]), length):
                if len(found) >= max(n_wanted, 1) or tried >= self.max_candidates:
                    break
                if any(set(cols) <= set(subset) for cols, _ in found):
                    continue
                tried += 1
                theta = integer_invariant(distinct[:, subset], weights, self.support)
                if theta is not None:
                    found.append((subset, theta))
        self.columns_, self.thetas_ = _pack(found, self.max_length)
        self.training_info_.update(
            n_invariants=len(found), invariant_space_dimension=n_wanted, candidates_tried=tried
        )

    def _score_matrix(self, matrix: np.ndarray) -> np.ndarray:
        if self.columns_.shape[0] == 0:
            return np.zeros(matrix.shape[0])
        mask = self.columns_ >= 0
        values = matrix[:, np.maximum(self.columns_, 0)] * np.where(mask, self.thetas_, 0.0)
        return (np.abs(values.sum(axis=2)) > _ZERO).sum(axis=1).astype(float)

    def score_sessions(self, X: Any, top_events: int = 0) -> dict[str, Any]:
        """`score`, and with `top_events` the laws each session breaks (module doc)."""
        scores = self.decision_function(X)
        if top_events <= 0:
            return {"score": scores}
        keys = check_sessions(X).keys
        matrix = count_matrix(self.vocab_, keys)
        return {
            "score": scores,
            "top_events": [
                self._broken_laws(k, counts, top_events)
                for k, counts in zip(keys, matrix, strict=True)
            ],
        }

    def _broken_laws(self, keys: np.ndarray, counts: np.ndarray, top: int) -> list[dict]:
        """Evidence rows of the laws a session with `keys` (`counts` by column) breaks."""
        found = []
        for columns, thetas in zip(self.columns_, self.thetas_, strict=True):
            terms = [(int(c), float(t)) for c, t in zip(columns, thetas, strict=True) if c >= 0]
            breach = sum(t * counts[c] for c, t in terms)
            if abs(breach) <= _ZERO:
                continue
            sign = 1.0 if breach > 0 else -1.0
            over = [c for c, t in terms if sign * t > 0 and counts[c] > 0]
            at = first_position(keys, self.vocab_, over[0])  # (an `over` column is held)
            short = [c for c, t in terms if sign * t < 0]
            found.append((abs(breach), {
                "position": at,
                "key": int(keys[at]),
                "surprise": 1.0,
                "expected": [{"key": int(self.vocab_[c]), "prob": None} for c in short
                             if c < self.vocab_.size],
                "note": self._law_text(terms, counts),
            }))  # fmt: skip
        found.sort(key=lambda pair: -pair[0])
        return [row for _, row in found[:top]]

    def _law_text(self, terms: list[tuple[int, float]], counts: np.ndarray) -> str:
        """`a count law of training broken: key 12 = key 13, here 2 and 1`, a term's coefficient
        before its key where it is not 1, keys unseen in training named so."""

        def side(pairs: list[tuple[int, float]]) -> str:
            return " + ".join(
                ("" if abs(t) == 1 else f"{abs(t):g} x ")
                + ("keys unseen in training" if c == self.vocab_.size else f"key {self.vocab_[c]}")
                for c, t in pairs
            )

        if terms[0][1] < 0:  # (a law's sign is the SVD's, arbitrary: its first key leads)
            terms = [(c, -t) for c, t in terms]
        left = [(c, t) for c, t in terms if t > 0]
        right = [(c, t) for c, t in terms if t < 0]
        here = " and ".join(f"{int(counts[c])}" for c, _ in left + right)
        law = f"{side(left)} = {side(right)}" if right else f"{side(left)} = 0"
        return f"a count law of training broken: {law}, here {here}"

    def invariants(self) -> list[dict[int, float]]:
        """Found invariants as {column: coefficient} (columns index vocab_, last = unknown)."""
        return [
            {int(c): float(t) for c, t in zip(cols, thetas, strict=True) if c >= 0}
            for cols, thetas in zip(self.columns_, self.thetas_, strict=True)
        ]

    def _get_state(self) -> dict[str, np.ndarray]:
        return {"columns": self.columns_, "thetas": self.thetas_}

    def _set_state(self, arrays: dict[str, np.ndarray]) -> None:
        self.columns_, self.thetas_ = arrays["columns"].astype(np.int64), arrays["thetas"]


def invariant_space_dimension(rows: np.ndarray, counts: np.ndarray, epsilon: float) -> int:
    """Eigenvalues of the (multiplicity-weighted) X^T X below epsilon."""
    eigenvalues = np.linalg.eigvalsh((rows * counts[:, None]).T @ rows)
    return int(np.sum(eigenvalues < epsilon))


def integer_invariant(
    sub: np.ndarray, weights: np.ndarray, support: float, scales: tuple[int, ...] = (1, 2, 3)
) -> np.ndarray | None:
    """Small-integer theta with sub @ theta = 0 on >= `support` of the weight, else None."""
    if not sub.any():
        return np.ones(sub.shape[1]) if sub.shape[1] == 1 else None
    if sub.shape[1] == 1:
        return None  # a non-zero single column has no invariant
    # full_matrices: with fewer distinct rows than columns (identical training sessions) the
    # reduced SVD keeps only as many right singular vectors as rows, none of the null space
    vector = np.linalg.svd(sub, full_matrices=True)[2][-1]
    smallest = np.min(np.abs(vector))
    if smallest < 1e-6:  # a zero coefficient: a smaller subset holds the invariant
        return None
    for scale in scales:
        theta = np.round(vector / smallest * scale)
        if weights[np.abs(sub @ theta) < _ZERO].sum() >= support:
            return theta
    return None


def _pack(found: list[tuple[tuple[int, ...], np.ndarray]], width: int):
    columns = np.full((len(found), width), -1, dtype=np.int64)
    thetas = np.zeros((len(found), width))
    for i, (cols, theta) in enumerate(found):
        columns[i, : len(cols)] = cols
        thetas[i, : len(cols)] = theta
    return columns, thetas
