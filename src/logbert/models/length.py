"""Sequence-length detection (Landauer et al., FSE 2024): sessions shorter or longer than normal.

Training learns the range [low, high] of session lengths (number of events): by default the
full minimum and maximum, as in the paper (`lower_quantile=0`, `upper_quantile=1`); robust
quantiles (e.g. 0.001 / 0.999) ignore a few extreme training sessions. The score is the
distance outside that range in units of the range's width,

    score = max(low - len, 0) / unit + max(len - high, 0) / unit,  unit = max(high - low, 1)

so every session inside the range scores 0 and, e.g., a session one range-width too long
scores 1. Open sessions (still running when the log ended, `SessionBatch.is_open`) are only
judged too long, never too short: their end is not known yet. For the same reason the lower
end of the range is learned from the closed training sessions only (all of them when every
training session is open); an open session's length is still a valid observed length for the
upper end.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from logbert.errors import LogbertError
from logbert.models.base import Detector, _write_json
from logbert.models.checks import check_sessions, corrupt_file, read_json
from logbert.models.params import is_number
from logbert.sessions.batch import SessionBatch

STATE_FILE = "length.json"


class LengthDetector(Detector):
    """Distance of the session length outside the training range, in range widths."""

    name: ClassVar[str] = "length"
    skips_open_ends: ClassVar[bool] = True  # reads `is_open`: an open session's end is not judged
    zero_scores_mean: ClassVar[tuple[str, str]] = (
        "each one's length was in the training sessions' range",
        "any session longer or shorter than every training session is flagged, however little",
    )
    _fitted_attributes: ClassVar[tuple[str, ...]] = ("training_info_", "low_", "high_", "unit_")

    def __init__(self, lower_quantile: float = 0.0, upper_quantile: float = 1.0) -> None:
        self.lower_quantile = lower_quantile
        self.upper_quantile = upper_quantile

    def _check_params(self) -> None:
        low, high = self.lower_quantile, self.upper_quantile
        if not (is_number(low) and is_number(high)):
            raise LogbertError("length: lower_quantile and upper_quantile must be numbers")
        if not 0 <= low <= high <= 1:
            raise LogbertError(
                f"length: need 0 <= lower_quantile <= upper_quantile <= 1, got {low}, {high}"
            )

    def _fit(self, batch: SessionBatch, validation: SessionBatch | None, **_: Any) -> None:
        lengths = _lengths(batch)
        closed = lengths[~batch.is_open] if (~batch.is_open).any() else lengths
        self.low_ = int(np.quantile(closed, self.lower_quantile, method="lower"))
        self.high_ = int(np.quantile(lengths, self.upper_quantile, method="higher"))
        self.unit_ = float(max(self.high_ - self.low_, 1))
        self.training_info_.update(
            n_sessions=len(batch), min_length=self.low_, max_length=self.high_
        )

    def decision_function(self, X: Any) -> np.ndarray:
        self._require_fitted()
        batch = check_sessions(X)
        lengths = _lengths(batch)
        too_short = np.where(batch.is_open, 0, np.maximum(self.low_ - lengths, 0))
        too_long = np.maximum(lengths - self.high_, 0)
        return (too_short + too_long) / self.unit_

    def _save_state(self, directory: Path) -> None:
        _write_json(directory / STATE_FILE, {"low": self.low_, "high": self.high_})

    def _load_state(self, directory: Path) -> None:
        path = directory / STATE_FILE
        state = read_json(path)
        try:
            self.low_, self.high_ = int(state["low"]), int(state["high"])
        except (KeyError, TypeError, ValueError) as exc:
            raise corrupt_file(path, exc) from exc
        self.unit_ = float(max(self.high_ - self.low_, 1))


def _lengths(batch: SessionBatch) -> np.ndarray:
    return np.fromiter((k.size for k in batch.keys), dtype=np.int64, count=len(batch))
