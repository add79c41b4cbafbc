"""N-gram detection (STIDE, Forrest et al. 1996; Landauer et al., FSE 2024): unseen n-grams.

Training collects every n-gram (for each n in `n`, default 2 and 3 as in the paper) of the
normal sessions, padded with n - 1 start markers before the first key and n - 1 end markers
after the last one, so every session has n-grams (even an empty one) and a session that stops
early shows an unseen "... key, END" n-gram. The score is the share of the session's n-grams
(all sizes pooled, counted with repetition) never seen in training, in [0, 1].

Sessions still open when the log ended (`SessionBatch.is_open`) get no end markers, here and
in training: their end is not judged (as LogBERT and DeepLog do not predict an open session's
END), only what they hold so far.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np

from logbert.errors import LogbertError
from logbert.models.base import Detector, _write_json
from logbert.models.checks import check_sessions, corrupt_file, read_json
from logbert.models.sequence_tools import distinct_sessions, restore_tuples
from logbert.sessions.batch import SessionBatch

START, END = "<start>", "<end>"  # markers; keys are integers, so they never collide
STATE_FILE = "ngrams.json"


class NgramDetector(Detector):
    """Share of the session's padded n-grams never seen in training."""

    name: ClassVar[str] = "ngram"
    skips_open_ends: ClassVar[bool] = True  # reads `is_open`: an open session's end is not judged
    _fitted_attributes: ClassVar[tuple[str, ...]] = ("training_info_", "known_")

    def __init__(self, n: int | tuple[int, ...] = (2, 3)) -> None:
        self.n = n

    @property
    def sizes(self) -> tuple[int, ...]:
        """The n-gram sizes, sorted and distinct."""
        return tuple(sorted({self.n} if isinstance(self.n, int) else set(self.n)))

    def _check_params(self) -> None:
        sizes = [self.n] if isinstance(self.n, int | np.integer) else self.n
        ok = isinstance(sizes, list | tuple) and len(sizes) > 0
        ok = ok and all(isinstance(s, int | np.integer) and not isinstance(s, bool) for s in sizes)
        if not ok or min(sizes) < 1:
            raise LogbertError(f"ngram: n must be a positive int or tuple of them, not {self.n!r}")

    def _fit(self, batch: SessionBatch, validation: SessionBatch | None, **_: Any) -> None:
        known: set[tuple] = set()
        for is_open, keys in distinct_sessions(batch)[0]:
            known.update(self._ngrams(keys, is_open))
        self.known_ = known
        self.training_info_.update(n_sessions=len(batch), n_ngrams=len(known))

    def _ngrams(self, keys: np.ndarray, is_open: bool) -> Iterator[tuple]:
        keys = keys.tolist()
        for n in self.sizes:
            padded = [START] * (n - 1) + keys + ([] if is_open else [END] * (n - 1))
            for i in range(len(padded) - n + 1):
                yield tuple(padded[i : i + n])

    def decision_function(self, X: Any) -> np.ndarray:
        self._require_fitted()
        distinct, inverse = distinct_sessions(check_sessions(X))
        scores = np.zeros(len(distinct))
        for i, (is_open, keys) in enumerate(distinct):
            grams = list(self._ngrams(keys, is_open))
            if grams:
                scores[i] = sum(gram not in self.known_ for gram in grams) / len(grams)
        return scores[inverse]

    def _save_state(self, directory: Path) -> None:
        _write_json(directory / STATE_FILE, {"ngrams": sorted(map(list, self.known_), key=repr)})

    def _load_state(self, directory: Path) -> None:
        path = directory / STATE_FILE
        try:
            self.known_ = {tuple(gram) for gram in read_json(path)["ngrams"]}
        except (KeyError, TypeError) as exc:
            raise corrupt_file(path, exc) from exc

    @classmethod
    def load(cls, directory: str | Path, **options: Any) -> Self:
        detector = super().load(directory, **options)
        restore_tuples(detector, "n")
        return detector
