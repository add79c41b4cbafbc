"""LogCluster (Lin et al., ICSE 2016): distance to the nearest cluster of normal sessions.

Count vectors are weighted per key by 0.5 * sigmoid(IDF) + 0.5 * contrast, where contrast is 1
for keys absent from the training data (here: the "unknown" column) and 0 otherwise: the
paper's contrast weight favours events seen in production but not in the reference logs.
Distinct normal vectors are clustered agglomeratively (complete linkage, cosine distance, cut
at `max_distance`); each cluster is represented by its multiplicity-weighted centroid, and a
session's score is its cosine distance to the nearest centroid (1 for an empty session).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.metrics.pairwise import cosine_distances

from logbert.models.count_vectors import CountVectorDetector, unique_rows
from logbert.models.params import require_float, require_int, sklearn_params


class LogClusterDetector(CountVectorDetector):
    """Cosine distance of weighted count vectors to the nearest normal-cluster centroid."""

    name: ClassVar[str] = "logcluster"
    state_arrays: ClassVar[tuple[str, ...]] = ("weights", "centroids")

    def __init__(self, max_distance: float = 0.3, max_rows: int = 5000, seed: int = 0) -> None:
        self.max_distance = max_distance
        self.max_rows = max_rows
        self.seed = seed

    def _check_params(self) -> None:
        """max_distance: a cosine distance in (0, 2]; max_rows >= 2 (rows clustered); seed."""
        require_float(self.name, "max_distance", self.max_distance, 0, 2, low_open=True)
        require_int(self.name, "max_rows", self.max_rows, 2)
        require_int(self.name, "seed", self.seed, 0)

    def _fit_matrix(self, matrix: np.ndarray) -> None:
        self.weights_ = contrast_idf_weights(matrix)
        distinct, _, counts = unique_rows(matrix * self.weights_)
        keep = distinct.any(axis=1)  # an empty session has no direction to cluster
        distinct, counts = distinct[keep], counts[keep]
        if distinct.shape[0] > self.max_rows:  # agglomerative clustering is quadratic
            rng = np.random.default_rng(self.seed)
            pick = np.sort(rng.choice(distinct.shape[0], self.max_rows, replace=False))
            distinct, counts = distinct[pick], counts[pick]
            self.training_info_["clustered_rows_sampled"] = self.max_rows
        labels = cluster(distinct, self.max_distance)
        self.centroids_ = np.stack(
            [np.average(distinct[labels == c], axis=0, weights=counts[labels == c])
             for c in np.unique(labels)]
        )  # fmt: skip
        self.training_info_["n_clusters"] = int(self.centroids_.shape[0])

    def _score_matrix(self, matrix: np.ndarray) -> np.ndarray:
        weighted = matrix * self.weights_
        distance = cosine_distances(weighted, self.centroids_).min(axis=1)
        return np.where(weighted.any(axis=1), distance, 1.0)

    def _get_state(self) -> dict[str, np.ndarray]:
        return {"weights": self.weights_, "centroids": self.centroids_}

    def _set_state(self, arrays: dict[str, np.ndarray]) -> None:
        self.weights_, self.centroids_ = arrays["weights"], arrays["centroids"]


def contrast_idf_weights(matrix: np.ndarray) -> np.ndarray:
    """0.5 * sigmoid(ln(n / df)) + 0.5 * [key unseen in training], per column."""
    document_frequency = np.count_nonzero(matrix, axis=0)
    idf = np.log(matrix.shape[0] / np.maximum(document_frequency, 1))
    contrast = (document_frequency == 0).astype(float)
    return 0.5 / (1.0 + np.exp(-idf)) + 0.5 * contrast


def cluster(rows: np.ndarray, max_distance: float) -> np.ndarray:
    """Cluster labels: complete linkage on cosine distance, cut at `max_distance`."""
    if rows.shape[0] < 2:
        return np.zeros(rows.shape[0], dtype=int)
    model = AgglomerativeClustering(
        n_clusters=None, distance_threshold=max_distance, metric="cosine", linkage="complete"
    )
    with sklearn_params(LogClusterDetector.name):
        return model.fit_predict(rows)
