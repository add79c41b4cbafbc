"""Isolation Forest (Liu et al., ICDM 2008) on event-count vectors.

scikit-learn fits the forest; its trees are then kept as plain arrays (children, split feature,
split value, leaf sizes) so the model saves to .npz without pickle and scores with a short
vectorised walk. The score is sklearn's anomaly score 2^(-E[h(x)] / c(psi)) (higher = more
anomalous; equal to `-IsolationForest.score_samples`).

Trees never split on a column that is constant in training, so the "unknown" column (keys never
seen in training) would be ignored; the detector therefore adds the count of unseen keys to
the score (`unseen_penalty`), putting any session with unseen keys above every session without.

Isolation needs variety: with fewer than `MIN_DISTINCT_VECTORS` distinct training count vectors
every tree ends in leaves of identical vectors, so a session without unseen keys scores like one
of the training vectors (all 0.5 for one vector), however it differs. `fit` warns then.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, ClassVar, Self

import numpy as np
from sklearn.ensemble import IsolationForest

from logbert.models.count_vectors import CountVectorDetector
from logbert.models.params import (
    ParamError,
    is_int,
    is_number,
    require_bool,
    require_int,
    sklearn_params,
)

TREE_ARRAYS = ("left", "right", "feature", "split", "leaf_size", "tree_start")
MIN_DISTINCT_VECTORS = 3  # fewer: sessions without unseen keys score like training ones


class IsolationForestDetector(CountVectorDetector):
    """Average isolation depth of count vectors over a seeded forest."""

    name: ClassVar[str] = "isolation-forest"
    state_arrays: ClassVar[tuple[str, ...]] = (*TREE_ARRAYS, "max_samples")

    def __init__(
        self,
        n_estimators: int = 100,
        max_samples: int | str = "auto",
        unseen_penalty: bool = True,
        seed: int = 0,
    ) -> None:
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.unseen_penalty = unseen_penalty
        self.seed = seed

    def _check_params(self) -> None:
        """n_estimators >= 1; max_samples "auto", a count (>= 1) or a share in (0, 1]."""
        require_int(self.name, "n_estimators", self.n_estimators, 1)
        samples = self.max_samples
        if not (
            samples == "auto"
            or (is_int(samples) and samples >= 1)
            or (is_number(samples) and not is_int(samples) and 0 < samples <= 1)
        ):
            raise ParamError(
                self.name, "max_samples", '"auto", an integer >= 1 or a share in (0, 1]', samples
            )
        require_bool(self.name, "unseen_penalty", self.unseen_penalty)
        require_int(self.name, "seed", self.seed, 0)

    def fit(
        self,
        X: Any,
        y: Any = None,
        *,
        validation: Any = None,
        log: Callable[[str], None] | None = None,
    ) -> Self:
        """Fit as every count-vector detector does, then warn (through `log`, the CLI's stderr;
        without one as a Python warning) when the training sessions are too alike to isolate
        anything (see the module doc): the model is usable but flags nothing they lack."""
        super().fit(X, y, validation=validation)
        n_distinct = self.training_info_["n_distinct_vectors"]
        if n_distinct < MIN_DISTINCT_VECTORS:
            message = (
                f"{self.name}: the training sessions hold only {n_distinct} distinct count "
                f"vector{'s' if n_distinct != 1 else ''} (how often each key occurs); isolation "
                f"needs at least {MIN_DISTINCT_VECTORS}: every session without unseen keys then "
                "scores like a training session, however it differs, so such anomalies are "
                "missed. Train on more varied normal sessions, or use a detector that compares "
                "sessions with the training ones (ecvc, invariants, pca)"
            )
            if log is None:
                warnings.warn(message, stacklevel=2)
            else:
                log(f"warning: {message}")
        return self

    def _fit_matrix(self, matrix: np.ndarray) -> None:
        with sklearn_params(self.name):
            forest = IsolationForest(
                n_estimators=self.n_estimators,
                max_samples=self.max_samples,
                random_state=self.seed,
            ).fit(matrix)
        self.forest_ = flatten_forest(forest)
        self.max_samples_ = int(forest.max_samples_)

    def _score_matrix(self, matrix: np.ndarray) -> np.ndarray:
        scores = self.isolation_score(matrix)
        return scores + matrix[:, -1] if self.unseen_penalty else scores

    def isolation_score(self, matrix: np.ndarray) -> np.ndarray:
        """sklearn's anomaly score for each row, from the flattened trees."""
        f = self.forest_
        starts = f["tree_start"]
        depths = np.zeros(matrix.shape[0])
        rows = np.arange(matrix.shape[0])
        for start in starts[:-1]:
            node = np.full(matrix.shape[0], start)
            depth = np.zeros(matrix.shape[0])
            inner = f["left"][node] >= 0
            while inner.any():
                go_left = matrix[rows, np.maximum(f["feature"][node], 0)] <= f["split"][node]
                step = np.where(go_left, f["left"][node], f["right"][node])
                node = np.where(inner, step, node)
                depth += inner
                inner = f["left"][node] >= 0
            depths += depth + average_path_length(f["leaf_size"][node])
        mean_depth = depths / (starts.size - 1)
        expected = average_path_length(np.array([self.max_samples_]))[0]
        if expected == 0:  # one training sample: nothing is isolated; sklearn's score, 0.5
            return np.full(matrix.shape[0], 0.5)
        return 2.0 ** (-mean_depth / expected)

    def _get_state(self) -> dict[str, np.ndarray]:
        return {**self.forest_, "max_samples": np.array(self.max_samples_)}

    def _set_state(self, arrays: dict[str, np.ndarray]) -> None:
        self.forest_ = {name: arrays[name] for name in TREE_ARRAYS}
        self.max_samples_ = int(arrays["max_samples"])


def flatten_forest(forest: IsolationForest) -> dict[str, np.ndarray]:
    """All trees as concatenated arrays; child indices point into the concatenation.

    Each tree is fit on a permutation of the columns (`estimators_features_`), so split
    features are mapped back to the original column numbers.
    """
    parts: dict[str, list[np.ndarray]] = {name: [] for name in TREE_ARRAYS[:-1]}
    starts = [0]
    for tree, features in zip(forest.estimators_, forest.estimators_features_, strict=True):
        t = tree.tree_
        offset = starts[-1]
        leaf = t.children_left < 0
        parts["left"].append(np.where(leaf, -1, t.children_left + offset))
        parts["right"].append(np.where(leaf, -1, t.children_right + offset))
        parts["feature"].append(np.where(leaf, -1, np.asarray(features)[np.maximum(t.feature, 0)]))
        parts["split"].append(t.threshold.astype(float))
        parts["leaf_size"].append(t.n_node_samples.astype(np.int64))
        starts.append(offset + t.node_count)
    flat = {name: np.concatenate(values) for name, values in parts.items()}
    flat["tree_start"] = np.asarray(starts, dtype=np.int64)
    return flat


def average_path_length(n: np.ndarray) -> np.ndarray:
    """c(n): the average depth of an unsuccessful search in a binary tree of n points."""
    n = np.asarray(n, dtype=float)
    result = np.zeros_like(n)
    result[n == 2] = 1.0
    big = n > 2
    result[big] = 2.0 * (np.log(n[big] - 1.0) + np.euler_gamma) - 2.0 * (n[big] - 1.0) / n[big]
    return result
