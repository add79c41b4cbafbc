"""The report's figures, drawn with matplotlib's Agg canvas and returned as PNG bytes.

Figures are built with `matplotlib.figure.Figure` directly (no pyplot), so nothing depends on a
display or on global plotting state. Colours: normal sessions blue, anomalous orange.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from matplotlib import ticker
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from sklearn.metrics import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

from logbert.reporting.curve_reading import running_mean, smoothing_window
from logbert.reporting.inputs import as_float, rows_of
from logbert.reporting.sweep import OperatingPoint, Sweep

NORMAL_COLOUR = "tab:blue"
ANOMALY_COLOUR = "tab:orange"
THRESHOLD_COLOUR = "black"
POINT_MARKERS = {"precision-first": "^", "recall-first": "v", "balanced": "D"}
MAX_LINE_POINTS = 4000
DPI = 110


def training_png(history: dict) -> bytes | None:
    """Training loss per step with its running average, and losses per epoch."""
    steps = [s for s in rows_of(history, "steps") if as_float(s.get("loss")) is not None]
    epochs = rows_of(history, "epochs")
    if not steps and not epochs:
        return None
    panels = int(bool(steps)) + int(bool(epochs))
    fig = Figure(figsize=(5.2 * panels, 3.6), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, panels, squeeze=False)[0]
    if steps:
        ax = axes[0]
        x = _positions(steps, "step")
        loss = np.array([_num(s.get("loss")) for s in steps])
        window = smoothing_window(loss.size)
        avg = running_mean(loss, window)
        ax.plot(*_thin(x, loss), color="0.7", lw=0.8, label="loss per step")
        ax.plot(
            *_thin(x, avg), color=NORMAL_COLOUR, lw=1.8, label=f"running average ({window} steps)"
        )
        _log_y_if_wide(ax, loss)
        ax.set(xlabel="step", ylabel="training loss", title="Training loss per step")
        ax.legend(frameon=False)
    if epochs:
        ax = axes[-1]
        x = _positions(epochs, "epoch")
        train = np.array([_num(e.get("train_loss")) for e in epochs])
        val = np.array([_num(e.get("val_loss")) for e in epochs])
        if not np.isnan(train).all():
            ax.plot(x, train, "o-", color=NORMAL_COLOUR, label="training loss")
        if not np.isnan(val).all():
            ax.plot(x, val, "s-", color=ANOMALY_COLOUR, label="validation loss")
            best = int(np.nanargmin(val))
            ax.plot(
                x[best],
                val[best],
                "*",
                ms=14,
                color=ANOMALY_COLOUR,
                mec="black",
                label=f"best validation (epoch {x[best]:g})",
            )
        _log_y_if_wide(ax, np.concatenate([train, val]))
        ax.set(xlabel="epoch", ylabel="loss", title="Loss per epoch")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(frameon=False)
    return _png(fig)


def distribution_png(panels: list[DistributionPanel]) -> bytes:
    """Histograms of normal and anomalous scores (log count axis), one panel per score column,
    each labelled with its column name; the threshold is marked only on the column it applies to.
    """
    fig = Figure(figsize=(8, 3.6 * len(panels) + 0.2), dpi=DPI, layout="constrained")
    axes = fig.subplots(len(panels), 1, squeeze=False)[:, 0]
    for ax, panel in zip(axes, panels, strict=True):
        _distribution_axes(ax, panel)
    return _png(fig)


@dataclass(frozen=True)
class DistributionPanel:
    """One score column's values (finite), their labels (None: unlabelled) and the threshold
    when it applies to this column."""

    column: str
    scores: np.ndarray
    labels: np.ndarray | None
    threshold: float | None = None
    role: str = ""  # e.g. "deciding score", shown in the panel title


def _distribution_axes(ax, panel: DistributionPanel) -> None:
    scores, labels, threshold = panel.scores, panel.labels, panel.threshold
    log_x = _spans(scores, 100)
    bins = _bins(scores, log_x)
    if labels is None:
        groups = [("all sessions (unlabelled)", scores, NORMAL_COLOUR)]
    else:
        groups = [
            (f"normal (n={int((labels == 0).sum()):,})", scores[labels == 0], NORMAL_COLOUR),
            (f"anomalous (n={int((labels == 1).sum()):,})", scores[labels == 1], ANOMALY_COLOUR),
        ]
    for name, values, colour in groups:
        if values.size:
            ax.hist(values, bins=bins, color=colour, alpha=0.55, label=name, histtype="stepfilled")
            ax.hist(values, bins=bins, color=colour, histtype="step", lw=1.2)
    if threshold is not None:
        ax.axvline(
            threshold, color=THRESHOLD_COLOUR, ls="--", lw=1.5, label=f"threshold {threshold:.4g}"
        )
    ax.set_yscale("log")
    if log_x:
        ax.set_xscale("log")
    role = f" ({panel.role})" if panel.role else ""
    ax.set(
        xlabel=f"{panel.column} (higher = more anomalous)",
        ylabel="sessions (log scale)",
        title=f"Distribution of {panel.column}{role}",
    )
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1, 1))


def roc_pr_png(scores: np.ndarray, labels: np.ndarray) -> tuple[bytes, float, float]:
    """ROC and precision-recall curves; also returns (ROC-AUC, PR-AUC as average precision)."""
    fpr, tpr, _ = roc_curve(labels, scores)
    precision, recall, _ = precision_recall_curve(labels, scores)
    roc_auc = float(roc_auc_score(labels, scores))
    pr_auc = float(average_precision_score(labels, scores))
    fig = Figure(figsize=(10, 4.2), dpi=DPI, layout="constrained")
    left, right = fig.subplots(1, 2)
    left.plot(*_thin(fpr, tpr), color=ANOMALY_COLOUR, lw=2, label=f"ROC-AUC {roc_auc:.4f}")
    left.plot([0, 1], [0, 1], color="0.6", ls=":", label="chance")
    _unit_square(left, "false-positive rate", "true-positive rate (recall)", "ROC")
    left.legend(frameon=False, loc="lower right")
    right.plot(
        *_thin(recall, precision),
        color=ANOMALY_COLOUR,
        lw=2,
        drawstyle="steps-post",
        label=f"PR-AUC (AP) {pr_auc:.4f}",
    )
    base = float(labels.mean())
    right.axhline(base, color="0.6", ls=":", label=f"chance ({base:.3f})")
    _unit_square(right, "recall", "precision", "Precision-recall")
    right.legend(frameon=False, loc="best")
    return _png(fig), roc_auc, pr_auc


def _unit_square(ax, xlabel: str, ylabel: str, title: str) -> None:
    margin = (-0.01, 1.01)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title, xlim=margin, ylim=margin)


def confusion_png(matrix: dict) -> bytes:
    """The confusion matrix as a 2x2 grid with counts and row shares."""
    grid = np.array([[matrix["tn"], matrix["fp"]], [matrix["fn"], matrix["tp"]]], dtype=float)
    fig = Figure(figsize=(4.4, 3.8), dpi=DPI, layout="constrained")
    ax = fig.subplots()
    rows = grid.sum(axis=1, keepdims=True)
    share = np.divide(grid, rows, out=np.zeros_like(grid), where=rows > 0)
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    for (i, j), count in np.ndenumerate(grid):
        ax.text(
            j,
            i,
            f"{int(count):,}\n{_percent(share[i, j])} of row",
            ha="center",
            va="center",
            color="white" if share[i, j] > 0.5 else "black",
        )
    ax.set_xticks([0, 1], ["flagged normal", "flagged anomalous"])
    ax.set_yticks([0, 1], ["normal", "anomalous"])
    ax.set(xlabel="verdict", ylabel="true label", title="Confusion matrix")
    return _png(fig)


def sweep_png(sweep: Sweep, chosen: float | None, points: list[OperatingPoint]) -> bytes:
    """Precision, recall and F1 against the threshold, with the chosen and reference points."""
    fig = Figure(figsize=(8, 4), dpi=DPI, layout="constrained")
    ax = fig.subplots()
    x, p, r, f = _thin(sweep.thresholds, sweep.precision, sweep.recall, sweep.f1)
    ax.plot(x, p, color="tab:green", lw=1.6, label="precision")
    ax.plot(x, r, color="tab:purple", lw=1.6, label="recall")
    ax.plot(x, f, color="black", lw=2.0, label="F1")
    if chosen is not None:
        ax.axvline(chosen, color="tab:red", ls="--", lw=1.5, label=f"chosen {chosen:.4g}")
    for point in points:
        if point.threshold is not None:
            ax.plot(
                point.threshold,
                point.f1,
                POINT_MARKERS.get(point.name, "o"),
                ms=9,
                mfc="white",
                mec="black",
                label=f"{point.name} {point.threshold:.4g}",
            )
    if _spans(sweep.thresholds, 100):
        ax.set_xscale("log")
    ax.set(
        xlabel="threshold (flag when score > threshold)",
        ylabel="value",
        ylim=(-0.02, 1.02),
        title="Threshold sweep (on the data shown)",
    )
    ax.legend(frameon=False, fontsize="small", loc="center left", bbox_to_anchor=(1, 0.5))
    return _png(fig)


def _percent(share: float) -> str:
    """A share as a percentage that never rounds a few cases to 0% or 100%."""
    near_edge = 0 < share < 0.001 or 0.999 < share < 1
    return f"{share:.2%}" if near_edge else f"{share:.1%}"


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buffer, metadata={"Software": None})
    return buffer.getvalue()


def _num(value: object) -> float:
    result = as_float(value)
    return float("nan") if result is None else result


def _positions(rows: list[dict], key: str) -> np.ndarray:
    """The rows' step/epoch numbers; their 1-based index where one is missing."""
    return (
        np.array([_num(row.get(key)) for row in rows])
        if all(as_float(row.get(key)) is not None for row in rows)
        else np.arange(1, len(rows) + 1, dtype=float)
    )


def _thin(*columns: np.ndarray) -> tuple[np.ndarray, ...]:
    """Keep at most MAX_LINE_POINTS evenly spaced points (ends included) for drawing."""
    size = len(columns[0])
    if size <= MAX_LINE_POINTS:
        return columns
    keep = np.unique(np.linspace(0, size - 1, MAX_LINE_POINTS).astype(int))
    return tuple(np.asarray(c)[keep] for c in columns)


def _spans(values: np.ndarray, ratio: float) -> bool:
    """True when all finite values are positive and max/min is at least `ratio` (log axis)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return bool(values.size and values.min() > 0 and values.max() / values.min() >= ratio)


def _bins(scores: np.ndarray, log_x: bool, count: int = 60) -> np.ndarray:
    low, high = float(scores.min()), float(scores.max())
    if high <= low:
        return np.linspace(low - 0.5, high + 0.5, 3)
    if log_x:
        return np.geomspace(low, high, count + 1)
    return np.linspace(low, high, count + 1)


def _log_y_if_wide(ax, values: np.ndarray) -> None:
    if _spans(values, 10):
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(_tick_1_2_5))
        ax.yaxis.set_minor_formatter(ticker.FuncFormatter(_tick_1_2_5))


def _tick_1_2_5(value: float, _position: int) -> str:
    """Plain tick labels on log axes, only at 1, 2 and 5 times a power of ten."""
    if value <= 0:
        return ""
    lead = round(value / 10 ** np.floor(np.log10(value)), 6)
    return f"{value:g}" if lead in (1, 2, 5) else ""
