"""What every supervised detector shares: training on both labels and a labelled threshold.

`LabelledFit` goes before the detector's base class (`class KNN(LabelledFit, CountVectorDetector)`)
and replaces the unsupervised `fit`: the sessions labelled anomalous are learnt from, not left
out (`checks.check_labelled_training` requires both classes), and `threshold_` is calibrated
with the detector's rule (best-f1) on the labelled validation sessions given to `fit` when they
hold both classes, else in-sample on the training labels, which the threshold's source says.
A subclass checks what it needs before any work in `_before_fit`.

A detector with a `target` parameter other than "binary" learns categories instead
(`checks.check_category_training`): from `y` when it holds category lists or names, else from
the categories `X` carries (so `Pipeline.fit`, which passes the binary labels, needs no
change); the batch it trains on then has `categories` beside the binary `labels`, and the
binary threshold is calibrated on the anomaly score exactly as for a binary target.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar, Self

import numpy as np

from logbert.models.checks import (
    check_category_training,
    check_labelled_training,
    check_sessions,
)
from logbert.scoring.thresholds import Threshold, rule_needs_labels
from logbert.sessions.batch import SessionBatch


class LabelledFit:
    """Mixin for supervised detectors (see the module doc)."""

    supervised: ClassVar[bool] = True
    default_threshold_rule: ClassVar[str] = "best-f1"

    def fit(self, X: Any, y: Any = None, *, validation: Any = None, **fit_options: Any) -> Self:
        """Learn from labelled sessions `X`, `y` (1 = anomaly, 0 = normal; both required; or
        categories per session for a category `target`, see the module doc)."""
        self._check_params()
        target = getattr(self, "target", "binary")
        if target == "binary":
            batch = check_labelled_training(X, y, self.name)
        else:
            batch = check_category_training(X, y, self.name, target)
        held_out = check_sessions(validation, "validation") if validation is not None else None
        self._before_fit()
        self._reset()
        self.training_info_: dict[str, Any] = {}
        self.history_: dict[str, Any] = {}
        started = time.perf_counter()
        self._fit(batch, held_out, **fit_options)
        self.training_info_.setdefault("seconds", round(time.perf_counter() - started, 3))
        self.training_info_["n_anomalies_left_out"] = 0
        self._calibrate_after_fit(batch, held_out)
        return self

    def _before_fit(self) -> None:
        """Checks a subclass needs before any work (e.g. that a pretrained model exists)."""

    def calibrate(
        self, X: Any, labels: Any = None, rule: str | None = None, source: str = ""
    ) -> Threshold:
        """As `Detector.calibrate`; a rule that needs labels takes them from `X` when given none.

        (`X` a `SessionBatch` with `labels` or `Session` objects; unknown labels are skipped.)
        """
        rule = rule or self.default_threshold_rule
        if labels is None and rule_needs_labels(rule):
            batch = check_sessions(X)
            if batch.labels is not None:
                known = np.flatnonzero((batch.labels == 0) | (batch.labels == 1))
                X, labels = batch.take(known), batch.labels[known]
        return super().calibrate(X, labels, rule, source)

    def _calibrate_after_fit(self, batch: SessionBatch, validation: SessionBatch | None) -> None:
        if validation is None or not len(validation):
            why = "no validation sessions given"
        elif validation.labels is None:
            why = f"the {len(validation)} validation sessions have no labels"
        else:
            known = np.flatnonzero((validation.labels == 0) | (validation.labels == 1))
            labels = validation.labels[known]
            n_anomalous = int(np.sum(labels == 1))
            if 0 < n_anomalous < known.size:
                self.calibrate(
                    validation.take(known),
                    labels,
                    source=f"labelled validation sessions given to fit ({known.size}, "
                    f"{n_anomalous} anomalous)",
                )
                return
            why = f"the {known.size} labelled validation sessions are not both normal and anomalous"
        n_anomalous = int(np.sum(batch.labels == 1))
        self.calibrate(
            batch,
            batch.labels,
            source=f"training sessions (in-sample on their labels, {len(batch)}, {n_anomalous} "
            f"anomalous; {why})",
        )
