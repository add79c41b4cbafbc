"""Read a training curve in words: still improving, converged, or overfitting.

The rules are deliberately simple and stated in the report, so a reader can check them:

- overfitting: the validation loss ended at least `RISE` (relative) above its best epoch,
  rose over the last epoch, and the training loss kept falling after that best epoch;
- still improving: the watched loss (validation when recorded, else training per epoch, else
  a running average of the loss per step) fell by more than `GAIN` (relative) over the last
  quarter of training;
- worsening: it rose by more than `RISE` over that stretch (without the overfitting pattern);
- converged: otherwise, or when the loss is already below `NEAR_ZERO` (a cross-entropy of
  0.0001 falling to 0.00008 is 20% lower and means nothing more to learn);
- too short to tell: fewer than `MIN_POINTS` points;
- and first of all, converged when the model's config records that early stopping ended the
  run (fewer epochs run than asked for), and still improving when it ran every epoch asked
  for and its best validation loss was the last epoch's (QA: `--epochs 8` read "converged"
  with the loss falling 0.651 -> 0.610 -> 0.604).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from logbert.reporting.inputs import as_float, rows_of

RISE = 0.05
GAIN = 0.02
MIN_POINTS = 3
NEAR_ZERO = 1e-3  # losses here are cross-entropies (nats): below this, nothing left to learn
LOSS_IS_NOT_QUALITY = (
    "A low loss means the model predicts normal log keys well; it is not detection quality. "
    "Judge detection by precision, recall and F1 on labelled held-out sessions."
)


@dataclass(frozen=True)
class CurveReading:
    """A verdict (improving, converged, overfitting, worsening, too short) and why."""

    verdict: str
    reason: str


def read_curve(history: dict, config: dict | None = None) -> CurveReading:
    """Classify a `history.json` record (see docs/ARCHITECTURE.md). With the model's
    `config.json`, a run that early stopping ended is read as converged: it stopped because
    the validation loss no longer improved by its minimum step, whatever the last few points
    look like (a small late dip below that step is not "still improving")."""
    stopped = _early_stop(config or {})
    if stopped is not None:
        return stopped
    epochs = rows_of(history, "epochs")
    val = _series(epochs, "val_loss")
    train = _series(epochs, "train_loss")
    if len(val) >= MIN_POINTS and len(train) == len(val):
        reading = _overfitting(train, val)
        if reading:
            return reading
    if len(val) >= MIN_POINTS:
        return _trend(val, "validation loss per epoch")
    if len(train) >= MIN_POINTS:
        return _trend(train, "training loss per epoch")
    steps = rows_of(history, "steps")
    loss = _series(steps, "loss")
    if len(loss) >= MIN_POINTS * 4:
        window = smoothing_window(len(loss))
        running = running_mean(np.asarray(loss), window).tolist()
        return _trend(running, f"the training loss per step (running average of {window})")
    return CurveReading(
        "too short",
        f"too few points to read a trend ({len(epochs)} epochs, {len(steps)} steps)",
    )


def _early_stop(config: dict) -> CurveReading | None:
    """`converged` when config.json records fewer epochs run than asked for and a best epoch
    (early stopping on the validation loss); `improving` when every epoch ran and the best was
    the last; else None."""
    training = config.get("training") or {}
    params = config.get("params") or {}
    run, asked, best = training.get("epochs_run"), params.get("epochs"), training.get("best_epoch")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (run, asked, best)):
        return None
    if run >= asked and best >= run:  # the epoch budget, not the loss, ended it
        return CurveReading(
            "improving",
            f"training ran all {asked} epochs asked for and its best validation loss was the "
            "last epoch's: more epochs would probably still help (--epochs)",
        )
    if run >= asked:
        return None
    return CurveReading(
        "converged",
        f"early stopping ended training at epoch {run} of {asked}: the validation loss had not "
        f"improved on its best (epoch {best}) by the minimum step for {run - best} epochs",
    )


def smoothing_window(n_steps: int) -> int:
    """Steps in the running average of the per-step loss (about 5% of training)."""
    return max(5, n_steps // 20)


def running_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Mean of the last `window` values at each step.

    Computed here rather than taken from history's `avg`, which may restart every epoch, so
    the curve and its reading are smoothed the same way for every model.
    """
    cumulative = np.concatenate([[0.0], np.cumsum(values)])
    end = np.arange(1, values.size + 1)
    start = np.maximum(0, end - window)
    return (cumulative[end] - cumulative[start]) / (end - start)


def _series(rows: list[dict], key: str) -> list[float]:
    values = [as_float(row.get(key)) for row in rows]
    return [] if None in values else values  # type: ignore[return-value]


def _overfitting(train: list[float], val: list[float]) -> CurveReading | None:
    best = min(range(len(val)), key=val.__getitem__)
    rise = (val[-1] - val[best]) / max(abs(val[best]), 1e-12)
    if best < len(val) - 1 and rise >= RISE and val[-1] > val[-2] and train[-1] < train[best]:
        return CurveReading(
            "overfitting",
            f"validation loss rose {rise:.0%} from its best (epoch {best + 1}: {val[best]:.4g}) "
            f"to {val[-1]:.4g} while training loss kept falling ({train[best]:.4g} -> "
            f"{train[-1]:.4g}); the checkpoint of the best validation epoch is the one to keep",
        )
    return None


def _trend(values: list[float], what: str) -> CurveReading:
    start = max(0, len(values) - max(2, math.ceil(len(values) / 4)))
    before, last = values[start], values[-1]
    gain = (before - last) / max(abs(before), 1e-12)
    span = f"{what} went {before:.4g} -> {last:.4g} over the last {len(values) - start} points"
    if last >= 0 and max(before, last) < NEAR_ZERO:
        return CurveReading(
            "converged", f"{span}: the loss is near zero (below {NEAR_ZERO:g}), nothing left to fit"
        )
    if gain > GAIN:
        return CurveReading(
            "improving",
            f"{span} ({gain:.1%} lower): more training would probably still help",
        )
    if gain < -RISE:
        return CurveReading(
            "worsening",
            f"{span} ({-gain:.1%} higher): training is unstable; try a lower learning rate",
        )
    return CurveReading("converged", f"{span} ({-gain:+.1%} change): the loss has levelled off")
