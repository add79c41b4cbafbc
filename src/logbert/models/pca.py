"""PCA detector (Xu et al., SOSP 2009): residual energy outside the normal subspace.

Count vectors (optionally TF-IDF weighted) are centred; the principal components that explain
`n_components` of the variance span the "normal" subspace, and a session's score is its squared
prediction error (SPE), the energy left outside that subspace. The paper's Q-statistic
threshold (Jackson & Mudholkar, confidence 1 - alpha) is kept in the model state as
`q_threshold_` (and config.json "training"), as an alternative to the calibrated threshold.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from sklearn.decomposition import PCA as SklearnPCA

from logbert.models.count_vectors import CountVectorDetector, idf_weights
from logbert.models.params import (
    ParamError,
    is_int,
    is_number,
    require_bool,
    require_float,
    sklearn_params,
)

# Standard normal quantile for alpha = 0.001, as in the paper and loglizer.
C_ALPHA_0001 = 3.2905
# a squared prediction error at most this share of the session's own energy is rounding
ROUNDING_SHARE = 1e-10


class PCADetector(CountVectorDetector):
    """SPE of centred (TF-IDF) count vectors against the top principal components."""

    name: ClassVar[str] = "pca"
    state_arrays: ClassVar[tuple[str, ...]] = ("weights", "mean", "components", "q_threshold")

    def __init__(
        self, n_components: float = 0.95, tfidf: bool = True, c_alpha: float = C_ALPHA_0001
    ):
        self.n_components = n_components
        self.tfidf = tfidf
        self.c_alpha = c_alpha

    def _check_params(self) -> None:
        """n_components: a number of components (an integer >= 1) or the share of the variance
        to keep (a number in (0, 1)); c_alpha > 0."""
        count = self.n_components
        if not ((is_int(count) and count >= 1) or (is_number(count) and 0 < count < 1)):
            raise ParamError(
                self.name, "n_components", "an integer >= 1 or a share in (0, 1)", count
            )
        require_bool(self.name, "tfidf", self.tfidf)
        require_float(self.name, "c_alpha", self.c_alpha, 0, low_open=True)

    def _fit_matrix(self, matrix: np.ndarray) -> None:
        self.weights_ = idf_weights(matrix) if self.tfidf else np.ones(matrix.shape[1])
        weighted = matrix * self.weights_
        self.mean_ = weighted.mean(axis=0)
        centred = weighted - self.mean_
        covariance = centred.T @ centred / centred.shape[0]
        eigenvalues = np.linalg.eigvalsh(covariance)[::-1].clip(min=0)
        if eigenvalues.sum() <= 0:  # all training sessions alike: no normal subspace
            self.components_ = np.zeros((0, matrix.shape[1]))
        else:
            with sklearn_params(self.name):
                pca = SklearnPCA(n_components=self.n_components, svd_solver="full").fit(centred)
            self.components_ = pca.components_
        self.q_threshold_ = q_statistic(eigenvalues[self.components_.shape[0] :], self.c_alpha)
        self.training_info_["n_components"] = int(self.components_.shape[0])
        self.training_info_["q_statistic_threshold"] = self.q_threshold_

    def alternative_thresholds(self) -> dict[str, float]:
        """Thresholds the method defines itself, besides the calibrated `threshold_`."""
        return {"q-statistic": self.q_threshold_}

    def _score_matrix(self, matrix: np.ndarray) -> np.ndarray:
        centred = matrix * self.weights_ - self.mean_
        residual = centred - centred @ self.components_.T @ self.components_
        spe = np.square(residual).sum(axis=1)
        # energy left by rounding alone is none: a session inside the normal subspace scored
        # ~1e-28, and mean+2std of such scores flagged a quarter of normal sessions (QA
        # LibreNMS: threshold 5.4e-28, 141 false alarms, where 0 would have said so)
        energy = np.square(centred).sum(axis=1)
        return np.where(spe <= ROUNDING_SHARE * (energy + 1.0), 0.0, spe)

    def _get_state(self) -> dict[str, np.ndarray]:
        return {
            "weights": self.weights_,
            "mean": self.mean_,
            "components": self.components_,
            "q_threshold": np.array(self.q_threshold_),
        }

    def _set_state(self, arrays: dict[str, np.ndarray]) -> None:
        self.weights_, self.mean_ = arrays["weights"], arrays["mean"]
        self.components_ = arrays["components"]
        self.q_threshold_ = float(arrays["q_threshold"])


def q_statistic(residual_eigenvalues: np.ndarray, c_alpha: float = C_ALPHA_0001) -> float:
    """Jackson-Mudholkar upper limit of the SPE given the residual-subspace eigenvalues."""
    phi = [float(np.sum(residual_eigenvalues**power)) for power in (1, 2, 3)]
    if phi[0] <= 0 or phi[1] <= 0:
        return 0.0
    h0 = 1.0 - 2.0 * phi[0] * phi[2] / (3.0 * phi[1] ** 2)
    if h0 == 0:
        return 0.0
    base = (
        c_alpha * np.sqrt(2.0 * phi[1] * h0**2) / phi[0]
        + 1.0
        + phi[1] * h0 * (h0 - 1.0) / phi[0] ** 2
    )
    return float(phi[0] * max(base, 0.0) ** (1.0 / h0))
