"""Event-count featurisation shared by the classical detectors (PCA, iForest, OCSVM, ...).

A session becomes a vector of how often each training key occurs in it, plus one trailing
"unknown" column counting keys never seen in training: unseen keys are evidence of anomaly, so
they must not vanish. `CountVectorDetector` does the bookkeeping once (vocabulary, matrix,
duplicate rows, state file) so each detector only writes `_fit_matrix` and `_score_matrix`.
Their threshold rule is `mean+2std` of the normal validation scores (the benchmark's rule).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from logbert.models.base import Detector
from logbert.models.checks import check_sessions, read_arrays, write_arrays
from logbert.sessions.batch import SessionBatch

STATE_FILE = "state.npz"


def count_matrix(vocab: np.ndarray, sessions: Sequence[np.ndarray]) -> np.ndarray:
    """(n_sessions, len(vocab) + 1) counts; the last column counts keys not in `vocab`."""
    width = vocab.size + 1
    if not sessions:
        return np.zeros((0, width))
    lengths = np.fromiter((s.size for s in sessions), dtype=np.int64, count=len(sessions))
    keys = np.concatenate(sessions) if lengths.sum() else np.zeros(0, dtype=np.int64)
    rows = np.repeat(np.arange(len(sessions)), lengths)
    cols = np.searchsorted(vocab, keys)
    known = cols < vocab.size
    known[known] = vocab[cols[known]] == keys[known]
    cols = np.where(known, cols, vocab.size)
    flat = np.bincount(rows * width + cols, minlength=len(sessions) * width)
    return flat.reshape(len(sessions), width).astype(float)


def first_position(keys: np.ndarray, vocab: np.ndarray, column: int) -> int | None:
    """Where a session's `keys` first hold a count-vector column's key (`count_matrix`'s
    columns: the last one, the first key not in `vocab`); None where they hold none."""
    found = ~np.isin(keys, vocab) if column == vocab.size else keys == vocab[column]
    at = np.flatnonzero(found)
    return int(at[0]) if at.size else None


def idf_weights(matrix: np.ndarray) -> np.ndarray:
    """Smoothed inverse document frequency per column: ln((1 + n) / (1 + df)) + 1.

    Smoothing keeps the "unknown" column (df = 0 in training) finite and heavily weighted.
    """
    document_frequency = np.count_nonzero(matrix, axis=0)
    return np.log((1 + matrix.shape[0]) / (1 + document_frequency)) + 1


def unique_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct rows, the index of each original row's distinct row, and multiplicities.

    Log sessions repeat a lot (HDFS: 4,855 training sessions, a few hundred distinct count
    vectors), so detectors fit and score distinct rows and expand the result.
    """
    unique, inverse, counts = np.unique(matrix, axis=0, return_inverse=True, return_counts=True)
    return unique, inverse.reshape(-1), counts


class CountVectorDetector(Detector):
    """A detector over event-count vectors; subclasses supply the statistics.

    Count vectors have no notion of a session's end, so the open mask of a `SessionBatch` is
    ignored here: an open session is scored like any other (ECVC judges only what an open
    session holds that training lacked, `ecvc`).
    """

    name: ClassVar[str] = "count-vectors"
    default_threshold_rule: ClassVar[str] = "mean+2std"  # what the benchmark always used
    state_arrays: ClassVar[tuple[str, ...]] = ()  # arrays `_set_state` needs
    _fitted_attributes: ClassVar[tuple[str, ...]] = ("training_info_", "vocab_")

    @abstractmethod
    def _fit_matrix(self, matrix: np.ndarray) -> None:
        """Learn from the training count matrix (one row per session, duplicates kept)."""

    @abstractmethod
    def _score_matrix(self, matrix: np.ndarray) -> np.ndarray:
        """Anomaly score per row (rows are distinct; higher = more anomalous)."""

    @abstractmethod
    def _get_state(self) -> dict[str, np.ndarray]:
        """Learned arrays to save."""

    @abstractmethod
    def _set_state(self, arrays: dict[str, np.ndarray]) -> None:
        """Restore what `_get_state` returned."""

    def _fit(self, batch: SessionBatch, validation: SessionBatch | None) -> None:
        """Count vectors of the training sessions -> `_fit_matrix` (validation is not used)."""
        vocab = np.unique(np.concatenate(batch.keys))
        matrix = count_matrix(vocab, batch.keys)
        self._fit_matrix(matrix)
        self.vocab_ = vocab
        self.training_info_.update(
            n_sessions=len(batch),
            n_keys=int(vocab.size),
            n_distinct_vectors=int(unique_rows(matrix)[0].shape[0]),
        )

    def decision_function(self, X: Any) -> np.ndarray:
        self._require_fitted()
        arrays = check_sessions(X).keys
        if not arrays:
            return np.zeros(0)
        distinct, inverse, _ = unique_rows(count_matrix(self.vocab_, arrays))
        return np.asarray(self._score_matrix(distinct), dtype=float)[inverse]

    def _save_state(self, directory: Path) -> None:
        write_arrays(directory / STATE_FILE, {"vocab": self.vocab_, **self._get_state()})

    def _load_state(self, directory: Path) -> None:
        arrays = read_arrays(directory / STATE_FILE, ("vocab", *self.state_arrays))
        self.vocab_ = arrays.pop("vocab").astype(np.int64)
        self._set_state(arrays)
