"""Side-by-side comparison of every detector on the same data, the same splits, the same rule.

Protocols (see `evaluation.protocols`): `hdfs-a`, `hdfs-b` (HDFS), `adfa` (ADFA-LD system
calls), `bgl-2k` (BGL 2k sample, time windows). The labelled protocols (`adfa-types`,
`bgl-2k-categories`, `hdfs-time`, `hdfs-random`: supervised detectors beside an unsupervised
reference) run in `evaluation.category_benchmark`. For each unsupervised protocol, each seed
and each detector:

1. train a `Pipeline` bundle on the protocol's normal training sessions, timed: the same
   workflow as `logbert train` (a seeded 10% held out as validation, open sessions marked,
   the threshold calibrated on the validation scores by each detector's own rule, or by one
   rule for every detector when `rule` is given);
2. (see 1);
3. score every test session, timed (sessions/s), and compute P, R, F1, ROC-AUC, PR-AUC and,
   false alarms per 10,000 normal test sessions and, for protocol A, F1 projected to the full
   HDFS test split (`projected_f1`);
4. a second, labelled-validation F1: the test sessions are split into two seeded, stratified
   halves; the threshold with the best F1 on one half is applied to the other half, so the
   labels that pick the threshold are never the labels that score it.

With several seeds (`seeds`), every row also carries each seed's summary (`per_seed`) and the
mean and sample sd over seeds (`aggregate`); the top-level fields of a row are its first seed's.
Beside the rows, each protocol's unseen-key ceiling (`evaluation.ceiling`), computed from the
data alone.

The published HDFS numbers of the LogBERT paper sit beside ours, marked "as published"; for
ADFA-LD the published references are cited in the notes.
"""

from __future__ import annotations

import inspect
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import train_test_split

from logbert.errors import LogbertError
from logbert.evaluation.category_benchmark import (
    LABELLED_PROTOCOLS,
    default_models,
    false_alarms_per_10k,
    labelled_markdown,
    run_labelled_protocol,
)
from logbert.evaluation.ceiling import describe_ceiling, unseen_key_ceiling
from logbert.evaluation.environment import environment
from logbert.evaluation.metrics import detection_metrics, projected_f1
from logbert.evaluation.protocols import ProtocolData, build_protocol
from logbert.models.registry import DETECTORS, detector_class
from logbert.models.runtime import torch_threads
from logbert.pipeline import Pipeline
from logbert.pipeline.crossfit import AUTO_MIN_VALIDATION
from logbert.scoring.thresholds import calibrate
from logbert.sessions.io import ANOMALY, create_output_folder

PROTOCOLS = {"hdfs-a": "A", "hdfs-b": "B", "adfa": "ADFA", "bgl-2k": "BGL-2K"}
HDFS_PROTOCOLS = ("hdfs-a", "hdfs-b")
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

# ADFA-LD references. Kim et al., "LSTM-based system-call language modeling and robust ensemble
# method for designing host-based intrusion detection systems", arXiv 1611.01726 (2016): ROC
# curves on this split; their single-model ROC-AUC figure was not checked against the paper, so
# no number is printed. Landauer et al., FSE 2024 (PROVENANCE.md of the dataset): best F1 0.343
# (edit distance) with a 1% normal training sample, another split, as published.
PUBLISHED_ADFA: dict[str, Any] = {
    "kim_2016_lstm_roc_auc": "not checked",
    "landauer_2024_best_f1_1pct_training": 0.343,
}
# the scores averaged over seeds (mean and sample sd), where a row has them
AGGREGATED = (
    "precision", "recall", "f1", "fpr", "roc_auc", "pr_auc", "false_alarms_per_10k",
    "labelled_f1", "projected_f1", "train_seconds", "score_seconds", "sessions_per_second",
)  # fmt: skip

Progress = Callable[[str], None]


def resolve_models(spec: str, protocols: Sequence[str] = ()) -> list[str]:
    """`all` (every detector that learns from normal sessions) or a comma-separated list.

    The protocols train on normal sessions only, so supervised detectors (which need labelled
    anomalies to train on) are not part of `all`, and naming one is an error. The labelled
    protocols (`adfa-types`, `bgl-2k-categories`, `hdfs-time`, `hdfs-random`) train on
    labelled sessions: there `all` is the supervised classifiers plus an unsupervised
    reference, and any detector may be named.
    """
    if any(p in LABELLED_PROTOCOLS for p in protocols):
        if spec.strip() == "all":
            return default_models(protocols[0])
        names = [n.strip() for n in spec.split(",")]
        unknown = [n for n in names if n not in DETECTORS]
        if unknown:
            raise LogbertError(f"unknown model(s) {', '.join(unknown)}; valid: all or "
                               f"{', '.join(sorted(DETECTORS))}")  # fmt: skip
        return names
    unsupervised = [n for n in sorted(DETECTORS) if not detector_class(n).supervised]
    names = unsupervised if spec.strip() == "all" else [n.strip() for n in spec.split(",")]
    unknown = [n for n in names if n not in DETECTORS]
    if unknown or not names:
        raise LogbertError(
            f"unknown model(s) {', '.join(unknown) or spec!r}; valid: all or "
            f"{', '.join(sorted(DETECTORS))}"
        )
    supervised = [n for n in names if n not in unsupervised]
    if supervised:
        raise LogbertError(
            f"{', '.join(supervised)} learn from labelled anomalies; these protocols train on "
            f"normal sessions only. Unsupervised detectors: {', '.join(unsupervised)}"
        )
    return names


def resolve_protocols(spec: str) -> list[str]:
    """`hdfs-a`, `hdfs-b`, `adfa`, `bgl-2k` or `all` (every one of those four), or a labelled
    protocol (`adfa-types`, `bgl-2k-categories`, `hdfs-time`, `hdfs-random`; never part of
    `all`: other detectors)."""
    if spec == "all":
        return list(PROTOCOLS)
    if spec not in PROTOCOLS and spec not in LABELLED_PROTOCOLS:
        valid = ", ".join([*PROTOCOLS, *LABELLED_PROTOCOLS])
        raise LogbertError(f"unknown protocol {spec!r}; valid: {valid}, all")
    return [spec]


def train_pipeline(
    name: str,
    data: ProtocolData,
    seed: int,
    rule: str | None = None,
    calibration: str = "split",
    folds: int = 5,
) -> tuple[Pipeline, float]:
    """A detector trained on the protocol's normal sessions as `logbert train` trains it
    (`calibration`, `folds`: as `train --calibration`)."""
    n_validation = round(len(data.train) * VALIDATION_FRACTION)
    if n_validation == 0 or n_validation >= len(data.train):
        raise LogbertError(
            f"need enough normal training sessions to hold out a {VALIDATION_FRACTION:.0%} "
            f"validation split, got {len(data.train)}"
        )
    cls = detector_class(name)
    kwargs = {"seed": seed} if "seed" in inspect.signature(cls.__init__).parameters else {}
    pipeline = Pipeline(
        cls(**kwargs),
        validation_split=VALIDATION_FRACTION,
        threshold_rule=rule,
        calibration=calibration,
        folds=folds,
        seed=seed,
    )
    started = time.perf_counter()
    pipeline.fit(data.train, source=f"{data.name} training sessions")
    return pipeline, time.perf_counter() - started


def test_labels(data: ProtocolData) -> np.ndarray:
    """1 for the anomalous test sessions, 0 for the normal ones."""
    return np.array([s.label == ANOMALY for s in data.test], dtype=int)


def evaluate_detector(
    name: str,
    data: ProtocolData,
    protocol: str,
    seed: int,
    rule: str | None = None,
    calibration: str = "split",
) -> dict[str, Any]:
    """Train, calibrate and score one detector; its row of the table."""
    pipeline, train_seconds = train_pipeline(name, data, seed, rule, calibration)
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
        "false_alarms_per_10k": false_alarms_per_10k(metrics),
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


def seed_summary(row: dict[str, Any]) -> dict[str, Any]:
    """The scores of one seed's row that are averaged over seeds (see `AGGREGATED`)."""
    m = row["metrics"]
    out = {k: m.get(k) for k in ("precision", "recall", "f1", "fpr", "roc_auc", "pr_auc")}
    out["false_alarms_per_10k"] = row["false_alarms_per_10k"]
    out["labelled_f1"] = row["labelled_validation"]["f1"]
    if "projected" in row:
        out["projected_f1"] = row["projected"]["projected_f1"]
    for key in ("train_seconds", "score_seconds", "sessions_per_second"):
        out[key] = row[key]
    return out


def aggregate(summaries: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Mean and sample sd (ddof 1; None for one seed) of each score over the seeds' summaries.

    A score missing or None in any seed is left out (e.g. ROC-AUC with one class)."""
    out = {}
    for key in AGGREGATED:
        values = [s.get(key) for s in summaries]
        if not values or any(v is None for v in values):
            continue
        array = np.asarray(values, dtype=float)
        out[key] = {
            "mean": float(array.mean()),
            "sd": float(array.std(ddof=1)) if array.size > 1 else None,
            "n": int(array.size),
        }
    return out


def _summary(metrics: dict[str, Any], protocol: str) -> dict[str, Any]:
    keep = ("threshold", "precision", "recall", "f1", "fpr")
    out = {k: metrics[k] for k in keep}
    if protocol == "A":
        out["projected_f1"] = projected_f1(metrics)["projected_f1"]
    return out


def labelled_threshold_f1(scores: np.ndarray, labels: np.ndarray, seed: int) -> dict[str, Any]:
    """Best-F1 threshold from one stratified half of the test set, measured on the other.

    Each half needs a normal and an anomalous session (best-F1 needs both), so with fewer
    than two of either class in the test set the figures are None (n/a) and `reason` says why,
    rather than failing the row that the other columns fill."""
    n_anomalous = int(labels.sum())
    n_normal = int(labels.size - n_anomalous)
    if min(n_anomalous, n_normal) < 2:
        return {
            **dict.fromkeys(("threshold", "n_threshold_sessions", "n_eval_sessions")),
            **dict.fromkeys(("precision", "recall", "f1")),
            "reason": f"the test set holds {n_anomalous} anomalous and {n_normal} normal "
            "sessions; two stratified halves need at least 2 of each",
        }
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
    seeds: Sequence[int] | None = None,
    calibration: str = "split",
) -> dict[str, Any]:
    """Every requested detector on one protocol; the JSON-ready result.

    `seeds` (default `[seed]`) are run one after the other for every detector; a row's top-level
    fields are its first seed's, `per_seed` and `aggregate` hold every seed.
    `threads` caps torch's intra-op threads for every detector alike (None: torch's default);
    `rule` None calibrates each detector by its own default rule.
    """
    seeds = list(seeds) if seeds is not None else [seed]
    if not seeds:
        raise LogbertError("need at least one seed")
    if protocol in LABELLED_PROTOCOLS:  # supervised, labelled training
        if len(seeds) > 1 or rule is not None or calibration != "split":
            raise LogbertError(
                f"{protocol} runs one seed with each detector's own threshold rule on the "
                "validation split: leave out --seeds, --threshold-rule and --calibration"
            )
        return run_labelled_protocol(
            protocol, models, data_dir, work_dir, seeds[0], progress, threads
        )
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    say(f"{protocol}: building data")
    data = build_protocol(PROTOCOLS[protocol], data_dir, work_dir)
    ceiling = unseen_key_ceiling(data.train, data.test)
    rows, errors = [], {}
    for name in models:
        runs = []
        try:
            for run_seed in seeds:
                say(f"{protocol}: {name}" + (f" (seed {run_seed})" if len(seeds) > 1 else ""))
                with torch_threads(threads):
                    runs.append(
                        evaluate_detector(name, data, data.name, run_seed, rule, calibration)
                    )
        except LogbertError as exc:  # recorded in the table, not hidden
            errors[name] = str(exc) if len(seeds) == 1 else f"seed {run_seed}: {exc}"
            continue
        summaries = [{"seed": s, **seed_summary(r)} for s, r in zip(seeds, runs, strict=True)]
        rows.append({**runs[0], "per_seed": summaries, "aggregate": aggregate(summaries)})
    return {
        "protocol": protocol,
        "description": data.description,
        "data": {
            **data.info,
            "n_fit": len(data.train) - round(len(data.train) * VALIDATION_FRACTION),
            "n_validation": round(len(data.train) * VALIDATION_FRACTION),
        },
        "seed": seeds[0],
        "seeds": seeds,
        "threshold_rule": rule or "each detector's own",
        "calibration": calibration,
        "ceiling": ceiling,
        "rows": rows,
        "errors": errors,
        "published": published(protocol),
        "wall_seconds": time.perf_counter() - started,
        "environment": environment(threads),
    }


def published(protocol: str) -> dict[str, Any]:
    """The published figures shown beside a protocol's rows (as published, not reproduced)."""
    if protocol in HDFS_PROTOCOLS:
        return {
            "logbert_paper_hdfs_percent": PUBLISHED_LOGBERT_PAPER,
            "logbert_paper_not_built_here": PUBLISHED_NOT_HERE,
            "deeplog_paper_hdfs": PUBLISHED_DEEPLOG_PAPER,
        }
    if protocol == "adfa":
        return {"adfa_ld": PUBLISHED_ADFA}
    return {}


def write_results(result: dict[str, Any], output_dir: str | Path) -> tuple[Path, Path]:
    """benchmark_<protocol>.json and .md in `output_dir`."""
    output_dir = Path(output_dir)
    create_output_folder(output_dir, "benchmark results folder", directory=True)
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


# --- rendering -------------------------------------------------------------------------------


def markdown(result: dict[str, Any]) -> str:
    """The comparison table with notes, as markdown."""
    if result.get("kind") in ("categories", "labelled"):
        return labelled_markdown(result)
    protocol_a = result["protocol"] == "hdfs-a"
    hdfs = result["protocol"] in HDFS_PROTOCOLS
    several = len(result.get("seeds", [result["seed"]])) > 1
    header = [
        "detector", "P", "R", "F1", "proj. F1" if protocol_a else None, "ROC-AUC", "PR-AUC",
        "false alarms / 10k normal", "F1 (labelled thr.)", "train s", "score s",
        "score sessions/s", "LogBERT paper P / R / F1" if hdfs else None,
    ]  # fmt: skip
    header = [h for h in header if h is not None]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in result["rows"]:
        agg = row.get("aggregate") or aggregate([seed_summary(row)])

        def cell(key: str, kind: str, agg: dict[str, Any] = agg) -> str:
            return _cell(agg.get(key), kind, several)

        cells = [
            row["model"], cell("precision", "pct"), cell("recall", "pct"), cell("f1", "pct"),
            cell("projected_f1", "pct") if protocol_a else None,
            cell("roc_auc", "num"), cell("pr_auc", "num"),
            cell("false_alarms_per_10k", "count"), cell("labelled_f1", "pct"),
            cell("train_seconds", "sec"), cell("score_seconds", "sec2"),
            cell("sessions_per_second", "rate"),
            _published(row["model"]) if hdfs else None,
        ]  # fmt: skip
        lines.append("| " + " | ".join(c for c in cells if c is not None) + " |")
    for name, message in result["errors"].items():
        lines.append(f"| {name} | failed: {message} |")
    return "\n".join([f"### {result['protocol']}: {result['description']}", "", *lines, "",
                      *notes(result)]) + "\n"  # fmt: skip


def _cell(stats: dict[str, Any] | None, kind: str, several: bool) -> str:
    if stats is None:  # undefined in some seed (None in the JSON; the notes say why)
        return "n/a"
    text = _FORMATS[kind](stats["mean"])
    if several and stats.get("sd") is not None:
        text += f" ± {_FORMATS[kind](stats['sd'])}"
    return text


_FORMATS: dict[str, Callable[[float], str]] = {
    "pct": lambda v: f"{100 * v:.2f}",
    "num": lambda v: f"{v:.4f}",
    "count": lambda v: f"{v:,.1f}",
    "sec": lambda v: f"{v:.1f}",
    "sec2": lambda v: f"{v:.2f}",
    "rate": lambda v: f"{v:,.0f}",
}


def _cross_fitted(result: dict[str, Any]) -> bool:
    """Whether the run's thresholds were cross-fitted: `--calibration cross-fit`, or `auto`
    where the validation split holds fewer than AUTO_MIN_VALIDATION sessions (as `train`)."""
    calibration = result.get("calibration", "split")
    small = result["data"]["n_validation"] < AUTO_MIN_VALIDATION
    return calibration == "cross-fit" or (calibration == "auto" and small)


def notes(result: dict[str, Any]) -> list[str]:
    d = result["data"]
    protocol = result["protocol"]
    seeds = result.get("seeds", [result["seed"]])
    first = result["rows"][0]["labelled_validation"] if result["rows"] else None
    seed_words = (
        f"seed {seeds[0]}" if len(seeds) == 1 else f"seeds {seeds[0]}..{seeds[-1]}, one per run"
    )
    cross_fitted = _cross_fitted(result)
    held_out = (
        f"are held out as validation and {d['n_fit']} are fitted"
        if not cross_fitted
        # cross-fitted, only a detector that stops early on the split keeps it out of training
        else f"are held out for early stopping by LogBERT and DeepLog (which fit {d['n_fit']}); "
        f"the other detectors fit all {d['n_train']}"
    )
    out = [
        f"- Data: {d['n_train']} normal training sessions, of which {d['n_validation']} "
        f"(seeded {VALIDATION_FRACTION:.0%}, {seed_words}) {held_out}; test {d['n_test']} "
        f"sessions, {d['n_test_anomalies']} anomalous.",
    ]
    if "ceiling" in result:
        out.append("- " + describe_ceiling(result["ceiling"]))
    out.append(
        "- P, R, F1 (in %), ROC-AUC, PR-AUC and false alarms per 10,000 normal test sessions on "
        f"the whole test set; the threshold is {_rule_words(result)} of the detector's scores "
        + (
            "on the normal validation sessions (the same validation sessions for every detector). "
            if not cross_fitted
            else "on cross-fitted scores of every normal training session (5 folds, each scored "
            "by a model trained on the other 4; `--calibration cross-fit`). "
        )
        + "train s: fitting and calibrating the bundle; score s: scoring every test session."
    )
    if len(seeds) > 1:
        out.append(
            f"- {len(seeds)} seeds ({seeds[0]}..{seeds[-1]}): each cell is mean ± sample sd over "
            "the seeds (the seed picks the validation split, the labelled-threshold halves and "
            "every seeded detector); the JSON keeps each seed's scores in `per_seed`."
        )
    if first and first.get("reason"):
        out.append(f"- F1 (labelled thr.): n/a: {first['reason']}.")
    elif first:
        # each seed draws its own halves (`labelled_threshold_f1`), as the seeds line says
        halves_seed = (
            f"seed {seeds[0]}" if len(seeds) == 1 else "drawn per seed, with the run's seed"
        )
        out.append(
            f"- F1 (labelled thr.): the test sessions are split into two stratified halves "
            f"(sklearn `train_test_split`, {halves_seed}); the best-F1 threshold on "
            f"one half ({first['n_threshold_sessions']} sessions) is applied to the other "
            f"({first['n_eval_sessions']} sessions), which the F1 is measured on."
        )
    if protocol == "hdfs-a":
        out.append(
            "- proj. F1: precision projected to the full HDFS test split (553,366 normal, "
            "16,838 anomalous sessions) from the measured FPR and recall "
            "(`evaluation.metrics.projected_f1`). DeepLog paper (Du et al. 2017, HDFS): "
            "P 0.95, R 0.96, F1 0.96, as published."
        )
    if protocol in HDFS_PROTOCOLS:
        out.append(
            "- LogBERT paper P / R / F1: Guo et al., IJCNN 2021, Table II, HDFS, as published "
            "(their split and thresholds, not reproduced here); LogAnomaly (not built here): "
            "P 94.15 R 40.47 F1 56.19. Invariants Mining and IQR are not in that table."
        )
    if protocol == "adfa":
        types = ", ".join(f"{k} {v}" for k, v in d.get("attack_types", {}).items())
        out += [
            f"- ADFA-LD: {d.get('n_test_normal', '?')} normal validation traces + "
            f"{d['n_test_anomalies']} attack traces ({types}); one trace (process) is one "
            "session, its system-call numbers are the keys; no timestamps, so no session is open.",
            "- Published, for orientation (other methods, not reproduced here): Kim et al. 2016 "
            "(arXiv 1611.01726), LSTM system-call language model on this split: ROC-AUC not "
            "checked against the paper, so not printed; Landauer et al., FSE 2024: best F1 0.343 "
            "(edit distance) trained on a 1% normal sample, as published (another training set).",
        ]
    if protocol == "bgl-2k":
        out += [
            f"- BGL 2k: {d.get('n_lines', '?')} lines in {d.get('n_windows', '?')} non-empty "
            f"{d.get('window', '?')} windows (a window is anomalous if any line is an alert); "
            f"cut at {d.get('train_fraction', 0):.0%} of the time span ({d.get('cut', '?')}): "
            "train on the normal windows that start before it "
            f"({d.get('first_part_anomalies_left_out', '?')} anomalous windows left out), test "
            "every window that starts after it. The sample is sparse (most windows hold one "
            "line).",
            "- No published figure for this sample; the LogBERT paper's BGL figures use the "
            "full BGL log and another windowing, so they are not shown.",
        ]
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
