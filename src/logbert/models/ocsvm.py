"""One-Class SVM (Schölkopf et al., 2001) on event-count vectors.

scikit-learn fits an RBF one-class SVM on the distinct training vectors, weighted by how often
each occurs (same solution as fitting every session, much faster). The support vectors, dual
coefficients, intercept and kernel width are saved as arrays; the score is the negated
decision function, `-(sum_i a_i K(x, sv_i) + b)`, higher = more anomalous.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.svm import OneClassSVM

from logbert.models.count_vectors import CountVectorDetector, unique_rows
from logbert.models.params import ParamError, is_number, require_float, sklearn_params

GAMMA_RULES = ("scale", "auto")  # sklearn's rules for the RBF kernel width


class OCSVMDetector(CountVectorDetector):
    """Negated one-class SVM decision function over count vectors."""

    name: ClassVar[str] = "ocsvm"
    state_arrays: ClassVar[tuple[str, ...]] = ("support", "dual", "intercept", "gamma")

    def __init__(self, nu: float = 0.05, gamma: float | str = "scale") -> None:
        self.nu = nu
        self.gamma = gamma

    def _check_params(self) -> None:
        """nu in (0, 1]; gamma a positive number, "scale" or "auto"."""
        require_float(self.name, "nu", self.nu, 0, 1, low_open=True)
        if not (self.gamma in GAMMA_RULES or (is_number(self.gamma) and self.gamma > 0)):
            raise ParamError(self.name, "gamma", 'a number > 0, "scale" or "auto"', self.gamma)

    def _fit_matrix(self, matrix: np.ndarray) -> None:
        distinct, _, counts = unique_rows(matrix)
        with sklearn_params(self.name):
            svm = OneClassSVM(kernel="rbf", nu=self.nu, gamma=self._gamma(matrix))
            svm.fit(distinct, sample_weight=counts.astype(float))
        self.support_ = svm.support_vectors_
        self.dual_ = svm.dual_coef_.ravel()
        self.intercept_ = float(svm.intercept_[0])
        self.gamma_ = float(svm._gamma)

    def _gamma(self, matrix: np.ndarray) -> float | str:
        """sklearn's "scale" rule on all sessions (not the distinct rows) when asked for."""
        if self.gamma != "scale":
            return self.gamma
        variance = matrix.var()
        return 1.0 / (matrix.shape[1] * variance) if variance > 0 else 1.0

    def _score_matrix(self, matrix: np.ndarray) -> np.ndarray:
        kernel = rbf_kernel(matrix, self.support_, gamma=self.gamma_)
        return -(kernel @ self.dual_ + self.intercept_)

    def _get_state(self) -> dict[str, np.ndarray]:
        return {
            "support": self.support_,
            "dual": self.dual_,
            "intercept": np.array(self.intercept_),
            "gamma": np.array(self.gamma_),
        }

    def _set_state(self, arrays: dict[str, np.ndarray]) -> None:
        self.support_, self.dual_ = arrays["support"], arrays["dual"]
        self.intercept_, self.gamma_ = float(arrays["intercept"]), float(arrays["gamma"])
