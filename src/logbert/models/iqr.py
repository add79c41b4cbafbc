"""IQR rule on per-key counts: the simplest statistical check users reach for.

For each key, normal sessions give the quartiles Q1, Q3 of its count; counts outside
[Q1 - k*IQR, Q3 + k*IQR] are outliers (Tukey's fences). The score sums how far each count lies
outside its fence, in units of (IQR + 1), so in-fence sessions score 0 and unseen keys (the
"unknown" column, always 0 in training) add their count.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from logbert.models.count_vectors import CountVectorDetector
from logbert.models.params import require_float


class IQRDetector(CountVectorDetector):
    """Tukey fences per key count; score = scaled distance outside the fences."""

    name: ClassVar[str] = "iqr"
    state_arrays: ClassVar[tuple[str, ...]] = ("lower", "upper", "scale")

    def __init__(self, k: float = 1.5) -> None:
        self.k = k

    def _check_params(self) -> None:
        """k: how many IQRs beyond the quartiles a count may lie (a number >= 0)."""
        require_float(self.name, "k", self.k, 0)

    def _fit_matrix(self, matrix: np.ndarray) -> None:
        q1, q3 = np.percentile(matrix, [25, 75], axis=0)
        iqr = q3 - q1
        self.lower_, self.upper_ = q1 - self.k * iqr, q3 + self.k * iqr
        self.scale_ = iqr + 1.0

    def _score_matrix(self, matrix: np.ndarray) -> np.ndarray:
        outside = np.maximum(matrix - self.upper_, 0) + np.maximum(self.lower_ - matrix, 0)
        return (outside / self.scale_).sum(axis=1)

    def _get_state(self) -> dict[str, np.ndarray]:
        return {"lower": self.lower_, "upper": self.upper_, "scale": self.scale_}

    def _set_state(self, arrays: dict[str, np.ndarray]) -> None:
        self.lower_, self.upper_, self.scale_ = arrays["lower"], arrays["upper"], arrays["scale"]
