"""Side-by-side comparison of every detector on the same HDFS data, the same splits, the same rule.

For each protocol (see `evaluation.protocols`) and each detector:

1. train a `Pipeline` bundle on the protocol's normal training sessions, timed: the same
   workflow as `logbert train` (a seeded 10% held out as validation, open sessions marked,
   the threshold calibrated on the validation scores by each detector's own rule, or by one
   rule for every detector when `rule` is given);
2. (see 1);
3. score every test session, timed (sessions/s), and compute P, R, F1, ROC-AUC, PR-AUC and,
   for protocol A, F1 projected to the full HDFS test split (`projected_f1`);
4. a second, labelled-validation F1: the test sessions are split into two seeded, stratified
   halves; the threshold with the best F1 on one half is applied to the other half, so the
   labels that pick the threshold are never the labels that score it.

The published HDFS numbers of the LogBERT paper sit beside ours, marked "as published".
"""

from __future__ import annotations

import inspect
import json
import os
import platform
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import train_test_split

from logbert.errors import LogbertError
from logbert.evaluation.metrics import detection_metrics, projected_f1
from logbert.evaluation.protocols import ProtocolData, build_protocol
from logbert.models.registry import DETECTORS, detector_class
from logbert.models.runtime import torch_threads
from logbert.pipeline import Pipeline
from logbert.scoring.thresholds import calibrate
from logbert.sessions.io import ANOMALY

PROTOCOLS = {"hdfs-a": "A", "hdfs-b": "B"}
VALIDATION_FRACTION = 0.1
# Guo, Yuan & Wu, "LogBERT: Log Anomaly Detection via BERT", IJCNN 2021, Table II (HDFS),
# precision / recall / F1 in percent, as published (not reproduced by us).
PUBLISHED_LOGBERT_PAPER: dict[str, tuple[float, float, float]] = {
    "pca": (5.89, 100.00, 11.12),
    "isolation-forest": (53.60, 69.41, 60.49),
    "ocsvm": (2.54, 100.00, 4.95),
    "logcluster": (99.26, 37.08, 53.99),
    "deeplog": (88.44, 69.49, 77.34),
    "logbert": (87.02, 78.10, 82.32),
}
PUBLISHED_NOT_HERE = {"LogAnomaly": (94.15, 40.47, 56.19)}  # in the paper's table, not built here
# Du et al., "DeepLog", CCS 2017, HDFS: 833 false positives, 619 false negatives.
PUBLISHED_DEEPLOG_PAPER = {"precision": 0.95, "recall": 0.96, "f1": 0.96}

Progress = Callable[[str], None]


def resolve_models(spec: str) -> list[str]:
    """`all` or a comma-separated list of registered detector names."""
    names = sorted(DETECTORS) if spec.strip() == "all" else [n.strip() for n in spec.split(",")]
    unknown = [n for n in names if n not in DETECTORS]
    if unknown or not names:
        raise LogbertError(
            f"unknown model(s) {', '.join(unknown) or spec!r}; valid: all or "
            f"{', '.join(sorted(DETECTORS))}"
        )
    return names


def resolve_protocols(spec: str) -> list[str]:
    """`hdfs-a`, `hdfs-b` or `all` (both)."""
    if spec == "all":
        return list(PROTOCOLS)
    if spec not in PROTOCOLS:
        raise LogbertError(f"unknown protocol {spec!r}; valid: {', '.join(PROTOCOLS)}, all")
    return [spec]


def train_pipeline(
    name: str, data: ProtocolData, seed: int, rule: str | None = None
) -> tuple[Pipeline, float]:
    """A detector trained on the protocol's normal sessions as `logbert train` trains it."""
    n_validation = round(len(data.train) * VALIDATION_FRACTION)
    if n_validation == 0 or n_validation >= len(data.train):
        raise LogbertError(
            f"need enough normal training sessions to hold out a {VALIDATION_FRACTION:.0%} "
            f"validation split, got {len(data.train)}"
        )
    cls = detector_class(name)
    kwargs = {"seed": seed} if "seed" in inspect.signature(cls.__init__).parameters else {}
    pipeline = Pipeline(
        cls(**kwargs), validation_split=VALIDATION_FRACTION, threshold_rule=rule, seed=seed
    )
    started = time.perf_counter()
    pipeline.fit(data.train, source=f"{data.name} training sessions")
    return pipeline, time.perf_counter() - started


def test_labels(data: ProtocolData) -> np.ndarray:
    """1 for the anomalous test sessions, 0 for the normal ones."""
    return np.array([s.label == ANOMALY for s in data.test], dtype=int)


def evaluate_detector(
    name: str, data: ProtocolData, protocol: str, seed: int, rule: str | None = None
) -> dict[str, Any]:
    """Train, calibrate and score one detector; its row of the table."""
    pipeline, train_seconds = train_pipeline(name, data, seed, rule)
    detector, threshold = pipeline.detector_, pipeline.threshold_
    labels = test_labels(data)
    batch = pipeline.batch(data.test)  # open sessions marked as `logbert score` marks them
    started = time.perf_counter()
    scores = pipeline.decision_scores(batch)
    score_seconds = time.perf_counter() - started
    metrics = detection_metrics(labels, scores, threshold.value)
    row: dict[str, Any] = {
        "model": name,
        "params": detector.get_params(),
        "threshold": threshold.to_dict(),
        "train_seconds": train_seconds,
        "score_seconds": score_seconds,
        "sessions_per_second": len(scores) / max(score_seconds, 1e-9),
        "metrics": metrics,
        "training": detector.training_info_,
    }
    if protocol == "A":
        row["projected"] = projected_f1(metrics)
    row["labelled_validation"] = labelled_threshold_f1(scores, labels, seed)
    alternatives = getattr(detector, "alternative_thresholds", dict)()
    row["alternative_thresholds"] = {
        rule: _summary(detection_metrics(labels, scores, value), protocol)
        for rule, value in alternatives.items()
    }
    return row


def _summary(metrics: dict[str, Any], protocol: str) -> dict[str, Any]:
    keep = ("threshold", "precision", "recall", "f1", "fpr")
    out = {k: metrics[k] for k in keep}
    if protocol == "A":
        out["projected_f1"] = projected_f1(metrics)["projected_f1"]
    return out


def labelled_threshold_f1(scores: np.ndarray, labels: np.ndarray, seed: int) -> dict[str, Any]:
    """Best-F1 threshold from one stratified half of the test set, measured on the other."""
    index = np.arange(labels.size)
    pick, held_out = train_test_split(index, test_size=0.5, stratify=labels, random_state=seed)
    value = calibrate(scores[pick], "best-f1", labels[pick])
    metrics = detection_metrics(labels[held_out], scores[held_out], value)
    return {
        "threshold": value,
        "n_threshold_sessions": int(pick.size),
        "n_eval_sessions": int(held_out.size),
        "precision": metrics["precision"],
        "recall": metrics["recall"],
        "f1": metrics["f1"],
    }


def run_protocol(
    protocol: str,
    models: Sequence[str],
    data_dir: str | Path,
    work_dir: str | Path,
    seed: int = 0,
    rule: str | None = None,
    threads: int | None = 1,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Every requested detector on one protocol; the JSON-ready result.

    `threads` caps torch's intra-op threads for every detector alike (None: torch's default);
    `rule` None calibrates each detector by its own default rule.
    """
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    say(f"{protocol}: building data")
    data = build_protocol(PROTOCOLS[protocol], data_dir, work_dir)
    rows, errors = [], {}
    for name in models:
        say(f"{protocol}: {name}")
        try:
            with torch_threads(threads):
                rows.append(evaluate_detector(name, data, data.name, seed, rule))
        except LogbertError as exc:  # recorded in the table, not hidden
            errors[name] = str(exc)
    return {
        "protocol": protocol,
        "description": data.description,
        "data": {
            **data.info,
            "n_fit": len(data.train) - round(len(data.train) * VALIDATION_FRACTION),
            "n_validation": round(len(data.train) * VALIDATION_FRACTION),
        },
        "seed": seed,
        "threshold_rule": rule or "each detector's own",
        "rows": rows,
        "errors": errors,
        "published": {
            "logbert_paper_hdfs_percent": PUBLISHED_LOGBERT_PAPER,
            "logbert_paper_not_built_here": PUBLISHED_NOT_HERE,
            "deeplog_paper_hdfs": PUBLISHED_DEEPLOG_PAPER,
        },
        "wall_seconds": time.perf_counter() - started,
        "environment": environment(threads),
    }


def write_results(result: dict[str, Any], output_dir: str | Path) -> tuple[Path, Path]:
    """benchmark_<protocol>.json and .md in `output_dir`."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    stem = output_dir / f"benchmark_{result['protocol'].replace('-', '_')}"
    json_path, md_path = stem.with_suffix(".json"), stem.with_suffix(".md")
    json_path.write_text(json.dumps(result, indent=2, default=_jsonable) + "\n", encoding="utf-8")
    md_path.write_text(markdown(result), encoding="utf-8")
    return json_path, md_path


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def environment(threads: int | None = None) -> dict[str, Any]:
    import torch

    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "torch_threads": threads or torch.get_num_threads(),
    }


# --- rendering -------------------------------------------------------------------------------


def markdown(result: dict[str, Any]) -> str:
    """The comparison table with notes, as markdown."""
    protocol_a = result["protocol"] == "hdfs-a"
    header = [
        "detector", "P", "R", "F1", "proj. F1" if protocol_a else None, "ROC-AUC", "PR-AUC",
        "F1 (labelled thr.)", "train s", "score sessions/s", "LogBERT paper P / R / F1",
    ]  # fmt: skip
    header = [h for h in header if h is not None]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in result["rows"]:
        m = row["metrics"]
        cells = [
            row["model"], _pct(m["precision"]), _pct(m["recall"]), _pct(m["f1"]),
            _pct(row["projected"]["projected_f1"]) if protocol_a else None,
            _num(m["roc_auc"]), _num(m["pr_auc"]), _pct(row["labelled_validation"]["f1"]),
            f"{row['train_seconds']:.1f}", f"{row['sessions_per_second']:,.0f}",
            _published(row["model"]),
        ]  # fmt: skip
        lines.append("| " + " | ".join(c for c in cells if c is not None) + " |")
    for name, message in result["errors"].items():
        lines.append(f"| {name} | failed: {message} |")
    return "\n".join([f"### {result['protocol']}: {result['description']}", "", *lines, "",
                      *notes(result)]) + "\n"  # fmt: skip


def notes(result: dict[str, Any]) -> list[str]:
    d = result["data"]
    first = result["rows"][0]["labelled_validation"] if result["rows"] else None
    out = [
        f"- Data: {d['n_train']} normal training sessions, of which {d['n_validation']} "
        f"(seeded {VALIDATION_FRACTION:.0%}, seed {result['seed']}) are held out as validation "
        f"and {d['n_fit']} are fitted; test {d['n_test']} sessions, {d['n_test_anomalies']} "
        "anomalous.",
        "- P, R, F1 (in %), ROC-AUC and PR-AUC on the whole test set; the threshold is "
        f"{_rule_words(result)} of the detector's scores on the normal validation sessions "
        "(the same validation sessions for every detector).",
    ]
    if first:
        out.append(
            f"- F1 (labelled thr.): the test sessions are split into two stratified halves "
            f"(sklearn `train_test_split`, seed {result['seed']}); the best-F1 threshold on "
            f"one half ({first['n_threshold_sessions']} sessions) is applied to the other "
            f"({first['n_eval_sessions']} sessions), which the F1 is measured on."
        )
    if result["protocol"] == "hdfs-a":
        out.append(
            "- proj. F1: precision projected to the full HDFS test split (553,366 normal, "
            "16,838 anomalous sessions) from the measured FPR and recall "
            "(`evaluation.metrics.projected_f1`). DeepLog paper (Du et al. 2017, HDFS): "
            "P 0.95, R 0.96, F1 0.96, as published."
        )
    out.append(
        "- LogBERT paper P / R / F1: Guo et al., IJCNN 2021, Table II, HDFS, as published "
        "(their split and thresholds, not reproduced here); LogAnomaly (not built here): "
        "P 94.15 R 40.47 F1 56.19. Invariants Mining and IQR are not in that table."
    )
    for row in result["rows"]:
        for rule, m in row.get("alternative_thresholds", {}).items():
            projected = f", proj. F1 {_pct(m['projected_f1'])}" if "projected_f1" in m else ""
            out.append(
                f"- {row['model']} with its own {rule} threshold ({m['threshold']:.4g}, no "
                f"validation data): P {_pct(m['precision'])}, R {_pct(m['recall'])}, "
                f"F1 {_pct(m['f1'])}{projected}."
            )
    out.append(
        f"- Wall time {result['wall_seconds']:.0f} s on {result['environment']['cpus']} CPUs, "
        f"torch on {result['environment']['torch_threads']} thread(s); timings are noisy on a "
        "shared machine."
    )
    return out


def _rule_words(result: dict[str, Any]) -> str:
    rule = result["threshold_rule"]
    if rule != "each detector's own":
        return f"`{rule}`"
    own = ", ".join(f"{r['model']} `{r['threshold']['rule']}`" for r in result["rows"])
    return f"each detector's own rule ({own})"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.2f}"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.4f}"


def _published(name: str) -> str:
    if name not in PUBLISHED_LOGBERT_PAPER:
        return "—"
    p, r, f = PUBLISHED_LOGBERT_PAPER[name]
    return f"{p:.2f} / {r:.2f} / {f:.2f}"
