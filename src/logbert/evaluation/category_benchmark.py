"""Supervised detectors on category labels, beside an unsupervised reference: `logbert benchmark
--protocol adfa-types` (multi-class) or `bgl-2k-categories` (multi-label).

For each detector: train a `Pipeline` on the protocol's labelled training sessions as `logbert
train` does (a seeded 10% validation split, stratified by label; the binary threshold best-F1 on
it, and for multi-label a threshold per class), timed; score every test session and predict its
categories, timed (sessions/s covers both); then the binary detection metrics
(`detection_metrics`) and the category metrics (`category_metrics`: macro/micro F1, exact
match, partial score, per class, confusion matrix, categories unseen in training).

The supervised detectors are the four count-vector classifiers with the protocol's `target`.
The unsupervised reference learns from the normal training sessions only (`Pipeline.fit` leaves
the anomalies out) with its own threshold rule, and has binary figures only. Which one: the
unsupervised detector with the best F1 in the committed results of the binary protocol on the
same data (`benchmark_adfa.md`: ngram; `benchmark_bgl_2k.md`: new-event, tied with invariants,
the simpler kept). That choice looked at those earlier test figures, so the reference row is, if
anything, flattered; it is a point of comparison, not a tuned result.
"""

from __future__ import annotations

import inspect
import os
import platform
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from logbert.errors import LogbertError
from logbert.evaluation.metrics import category_metrics, detection_metrics
from logbert.evaluation.protocols import (
    ProtocolData,
    protocol_adfa_types,
    protocol_bgl_2k_categories,
)
from logbert.models.registry import detector_class
from logbert.pipeline import Pipeline
from logbert.sessions.io import ANOMALY, session_categories

# protocol -> (target, the unsupervised reference)
CATEGORY_PROTOCOLS: dict[str, tuple[str, str]] = {
    "adfa-types": ("multiclass", "ngram"),
    "bgl-2k-categories": ("multilabel", "new-event"),
}
SUPERVISED = ("decision-tree", "knn", "logistic-regression", "random-forest")
VALIDATION_FRACTION = 0.1

Progress = Callable[[str], None]


def default_models(protocol: str) -> list[str]:
    """`all` for a category protocol: every count-vector classifier plus the reference."""
    return [*SUPERVISED, CATEGORY_PROTOCOLS[protocol][1]]


def build_category_protocol(
    protocol: str, data_dir: str | Path, work_dir: str | Path, seed: int = 0
) -> ProtocolData:
    if protocol == "adfa-types":
        return protocol_adfa_types(data_dir, work_dir, seed)
    if protocol == "bgl-2k-categories":
        return protocol_bgl_2k_categories(data_dir, work_dir)
    raise LogbertError(
        f"unknown category protocol {protocol!r}; valid: {', '.join(CATEGORY_PROTOCOLS)}"
    )


def evaluate_category_detector(
    name: str, data: ProtocolData, target: str, seed: int
) -> dict[str, Any]:
    """Train, calibrate, score and predict categories with one detector; its row."""
    cls = detector_class(name)
    parameters = inspect.signature(cls.__init__).parameters
    kwargs: dict[str, Any] = {"seed": seed} if "seed" in parameters else {}
    supervised = cls.supervised and "target" in parameters
    if supervised:
        kwargs["target"] = target
    elif cls.supervised:
        raise LogbertError(f"{name} predicts no categories; category protocols take {SUPERVISED}")
    pipeline = Pipeline(cls(**kwargs), validation_split=VALIDATION_FRACTION, seed=seed)
    started = time.perf_counter()
    pipeline.fit(data.train, source=f"{data.name} training sessions")
    train_seconds = time.perf_counter() - started
    detector, threshold = pipeline.detector_, pipeline.threshold_
    batch = pipeline.batch(data.test)
    started = time.perf_counter()
    scores = pipeline.decision_scores(batch)
    predicted = (
        detector.predict_categories(batch, threshold=threshold.value) if supervised else None
    )
    score_seconds = time.perf_counter() - started
    labels = np.array([s.label == ANOMALY for s in data.test], dtype=int)
    row: dict[str, Any] = {
        "model": name,
        "supervised": supervised,
        "params": detector.get_params(),
        "threshold": threshold.to_dict(),
        "train_seconds": train_seconds,
        "score_seconds": score_seconds,
        "sessions_per_second": len(scores) / max(score_seconds, 1e-9),
        "metrics": detection_metrics(labels, scores, threshold.value),
        "categories": None,
        "training": detector.training_info_,
    }
    if predicted is not None:
        row["categories"] = category_metrics(
            [session_categories(s) or [] for s in data.test],
            predicted,
            target,
            training_classes=[str(c) for c in detector.classes_],
        )
    return row


def run_category_protocol(
    protocol: str,
    models: Sequence[str] | None,
    data_dir: str | Path,
    work_dir: str | Path,
    seed: int = 0,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Every requested detector on one category protocol; the JSON-ready result."""
    target, reference = CATEGORY_PROTOCOLS[protocol]
    names = list(models) if models else default_models(protocol)
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    say(f"{protocol}: building data")
    data = build_category_protocol(protocol, data_dir, work_dir, seed)
    rows, errors = [], {}
    for name in names:
        say(f"{protocol}: {name}")
        try:
            rows.append(evaluate_category_detector(name, data, target, seed))
        except LogbertError as exc:  # recorded in the table, not hidden
            errors[name] = str(exc)
    return {
        "protocol": protocol,
        "kind": "categories",
        "target": target,
        "reference_unsupervised": reference,
        "description": data.description,
        "data": data.info,
        "seed": seed,
        "seeds": [seed],
        "validation_fraction": VALIDATION_FRACTION,
        "rows": rows,
        "errors": errors,
        "wall_seconds": time.perf_counter() - started,
        "environment": {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        },
    }


def category_markdown(result: dict[str, Any]) -> str:
    """The table and its notes, as markdown."""
    header = [
        "detector", "binary P", "binary R", "binary F1", "macro F1", "micro F1", "exact match",
        "partial score", "train s", "sessions/s",
    ]  # fmt: skip
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in result["rows"]:
        m, c = row["metrics"], row["categories"] or {}
        name = row["model"] + ("" if row["supervised"] else " (unsupervised reference)")
        cells = [
            name, _pct(m["precision"]), _pct(m["recall"]), _pct(m["f1"]),
            _pct(c.get("macro_f1")), _pct(c.get("micro_f1")), _pct(c.get("exact_match_ratio")),
            _pct(c.get("partial_score")), f"{row['train_seconds']:.2f}",
            f"{row['sessions_per_second']:,.0f}",
        ]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    for name, message in result["errors"].items():
        lines.append(f"| {name} | failed: {message} |")
    per_class = _per_class_lines(result)
    return (
        "\n".join(
            [
                f"### {result['protocol']}: {result['description']}",
                "",
                *lines,
                "",
                *per_class,
                *category_notes(result),
            ]  # fmt: skip
        )
        + "\n"
    )


def _per_class_lines(result: dict[str, Any]) -> list[str]:
    supervised = [r for r in result["rows"] if r["categories"]]
    if not supervised:
        return []
    classes = supervised[0]["categories"]["classes"]
    header = ["detector", *classes]
    lines = ["Per-class F1 (%), test set:", "", "| " + " | ".join(header) + " |"]
    lines.append("|" + "---|" * len(header))
    for row in supervised:
        f1 = row["categories"]["per_class"]
        lines.append(
            "| "
            + " | ".join([row["model"], *(_pct(f1.get(c, {}).get("f1")) for c in classes)])
            + " |"
        )
    return [*lines, ""]


def category_notes(result: dict[str, Any]) -> list[str]:
    d = result["data"]
    classes = ", ".join(f"{k} {v['train']}/{v['test']}" for k, v in d.get("classes", {}).items())
    unseen = next(
        (r["categories"]["unseen_in_training"] for r in result["rows"] if r["categories"]), None
    )
    env = result["environment"]
    load = env.get("load_average")
    out = [
        f"- Target: {result['target']}. Data: {d['n_train']} labelled training sessions "
        f"({d.get('n_train_anomalies', '?')} anomalous), of which a seeded "
        f"{result['validation_fraction']:.0%} (stratified by label, seed {result['seed']}) is "
        f"the validation split; test {d['n_test']} sessions, {d['n_test_anomalies']} anomalous. "
        f"Sessions per class (train/test): {classes}.",
        "- Binary P/R/F1: anomaly vs normal at the calibrated threshold (best-F1 on the "
        "validation split for the supervised detectors; the reference's own rule on its normal "
        "validation sessions). macro/micro F1, exact match and the partial score (mean over "
        "sessions of |predicted ∩ true| / |predicted ∪ true|, two empty sets scoring 1) are on "
        "the predicted categories (a session not flagged has none).",
        f"- Unsupervised reference: {result['reference_unsupervised']}, the best F1 among the "
        "unsupervised detectors in the committed results of the binary protocol on the same "
        "data (chosen from those test figures, so flattered if anything); it trains on the "
        "normal training sessions only and predicts no categories.",
        "- train s: fitting and calibrating the bundle; sessions/s: scoring plus predicting "
        "categories for every test session.",
    ]
    if unseen and unseen.get("n_sessions"):
        names = ", ".join(f"{k} {v}" for k, v in unseen["categories"].items())
        out.append(
            f"- {unseen['n_sessions']} test sessions hold categories never seen in training "
            f"({names}): no model can predict them, and they count against every row."
        )
    out.append(
        f"- Wall time {result['wall_seconds']:.0f} s on {env['cpus']} CPUs"
        + (f", load average {load[0]:.2f} at the end" if load else "")
        + "; timings are noisy on a shared machine."
    )
    return out


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.2f}"
