"""HDFS benchmark of LogBERT: protocols A and B, several seeds, every threshold rule.

    .venv/bin/python benchmarks/hdfs.py [--seeds 5] [--protocols A,B] [--config FILE]

Per protocol and seed: train on the protocol's normal sessions (10% held out, seeded, for
early stopping and calibration, exactly as `logbert train`), calibrate each rule on that
validation split only, evaluate on the protocol's test sessions. Reports mean and sd over
seeds of P/R/F1/ROC-AUC and (protocol A) the projected full-scale F1, training time, scoring
throughput with the model loaded, and the whole `logbert score` process (wall time, peak RSS).
Writes benchmarks/results/hdfs.json and hdfs.md; prints the markdown table. Beside each
protocol it prints its ceiling: the normal test sessions holding a key no normal training
session has, and the F1 a detector that counts unseen keys as evidence can reach at perfect
recall (`evaluation.ceiling`). `--markdown-only` rewrites hdfs.md from hdfs.json, adding the
ceilings computed from the data (no training).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
import yaml

from logbert.errors import LogbertError
from logbert.evaluation.benchmark import VALIDATION_FRACTION, test_labels
from logbert.evaluation.ceiling import describe_ceiling, unseen_key_ceiling
from logbert.evaluation.datasets import datasets_dir
from logbert.evaluation.metrics import detection_metrics, projected_f1
from logbert.evaluation.protocols import build_protocol
from logbert.models.logbert import LogBERT
from logbert.pipeline import Pipeline
from logbert.scoring.thresholds import calibrate
from logbert.sessions.io import write_sessions
from logbert.sessions.lifecycle import session_lifetime
from process_stats import logbert_command, measure

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
DATA = datasets_dir(ROOT)
RULES = ("max", "quantile:0.999", "quantile:0.995", "mean+3std", "mean+2std")
DEFAULT_RULE = "max"  # what `logbert train` uses
PAPER = {"precision": 0.8702, "recall": 0.7810, "f1": 0.8232}
HEADLINE = ("precision", "recall", "f1", "roc_auc", "projected_f1", "fp", "fn")
PROTOCOLS = ("A", "B")  # the HDFS protocols with normal training data (evaluation.protocols)


def run_protocol(name: str, seeds: list[int], params: dict, work: Path, save) -> dict:
    data = build_protocol(name, DATA, work)
    lifetime = session_lifetime(data.train)
    runs: list[dict] = []
    result = {
        "protocol": name,
        "description": data.description,
        "info": data.info,
        "runs": runs,
        "summary": {},
        "score_process": None,
        "session_lifetime_seconds": lifetime,
        "open_test_sessions": None,
        "ceiling": unseen_key_ceiling(data.train, data.test),
    }
    labels = test_labels(data)
    for seed in seeds:
        # the workflow of `logbert train`: 10% of the normal sessions held out (seeded) for
        # early stopping and the threshold; sessions that started less than a normal lifetime
        # before their file's last event are open (protocol A's training file has no times)
        pipeline = Pipeline(
            LogBERT(**{**params, "seed": seed}),
            validation_split=VALIDATION_FRACTION,
            threshold_rule=DEFAULT_RULE,
            seed=seed,
        )
        started = time.perf_counter()
        pipeline.fit(data.train, source=f"protocol {name}")
        train_seconds = time.perf_counter() - started
        model = pipeline.detector_
        test = pipeline.batch(data.test)
        result["open_test_sessions"] = test.n_open
        started = time.perf_counter()
        scores = pipeline.decision_scores(test)
        score_seconds = time.perf_counter() - started
        val_scores = pipeline.validation_scores_
        by_rule = {}
        for rule in RULES:
            threshold = calibrate(val_scores, rule)
            metrics = detection_metrics(labels, scores, threshold)
            metrics.update(projected_f1(metrics))
            metrics["fp"] = metrics["confusion_matrix"]["fp"]
            metrics["fn"] = metrics["confusion_matrix"]["fn"]
            by_rule[rule] = {k: metrics[k] for k in (*HEADLINE, "threshold", "fpr")}
        runs.append(
            {
                "seed": seed,
                "train_seconds": train_seconds,
                "epochs_run": model.training_info_["epochs_run"],
                "score_seconds": score_seconds,
                "sessions_per_second": len(test) / score_seconds,
                "val_score_max": float(val_scores.max()),
                "rules": by_rule,
            }
        )
        print(
            f"[{name} seed {seed}] train {train_seconds:.1f}s, {by_rule[DEFAULT_RULE]}", flush=True
        )
        result["summary"] = _summary(runs)
        if seed == seeds[0]:
            result["score_process"] = _score_process(pipeline, data.test, work / name)
        save(result)  # partial results survive an interrupted run
    return result


def _score_process(pipeline: Pipeline, test, work: Path) -> dict:
    """Wall time and peak memory of the whole `logbert score` command on the test set."""
    work.mkdir(parents=True, exist_ok=True)
    pipeline.save(work / "model")
    sessions = work / "test.parquet"
    write_sessions(test, sessions)
    measured = measure(
        logbert_command("score", work / "model", sessions, "--output", work / "scores.jsonl")
    )
    return {"sessions": len(test), "wall_seconds": measured["wall_seconds"],
            "peak_rss_mb": measured["peak_rss_mb"]}  # fmt: skip


def _summary(runs: list[dict]) -> dict:
    def stat(values: list[float]) -> dict:
        return {"mean": float(np.mean(values)), "sd": float(np.std(values))}

    out = {
        "train_seconds": stat([r["train_seconds"] for r in runs]),
        "sessions_per_second": stat([r["sessions_per_second"] for r in runs]),
    }
    for rule in RULES:
        out[rule] = {k: stat([r["rules"][rule][k] for r in runs]) for k in HEADLINE}
    return out


def markdown(results: dict) -> str:
    completed = ", ".join(f"{p['protocol']} {len(p['runs'])}" for p in results["protocols"])
    lines = [
        "# HDFS benchmark (LogBERT)",
        "",
        f"{results['machine']}; seeds {results['seeds']}, runs completed: {completed}; "
        f"default rule `{DEFAULT_RULE}`; mean ± sd over seeds.",
        "",
        "| protocol | rule | precision | recall | F1 | ROC-AUC | projected F1 | FP | FN | "
        "F1 ceiling |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for proto in results["protocols"]:
        if not proto["summary"]:
            continue
        for rule in RULES:
            s = proto["summary"][rule]
            cells = [f"{s[k]['mean']:.4f} ± {s[k]['sd']:.4f}" for k in HEADLINE[:5]]
            cells += [f"{s[k]['mean']:.1f}" for k in ("fp", "fn")]
            cells.append(_ceiling_f1(proto))
            lines.append(f"| {proto['protocol']} | `{rule}` | " + " | ".join(cells) + " |")
    lines.append(
        f"| paper (LogBERT, full HDFS) | | {PAPER['precision']:.4f} | {PAPER['recall']:.4f} | "
        f"{PAPER['f1']:.4f} | | | | | |"
    )
    lines.append("")
    for proto in results["protocols"]:
        if proto.get("ceiling"):
            lines.append(f"- {proto['protocol']}: {describe_ceiling(proto['ceiling'])}")
    lines += [
        "",
        "| protocol | train s | scoring sessions/s (model loaded) | "
        "`logbert score` process: sessions, wall s, peak RSS MB |",
        "|---|---|---|---|",
    ]
    for proto in results["protocols"]:
        s, p = proto["summary"], proto["score_process"]
        if not s or p is None:
            continue
        lines.append(
            f"| {proto['protocol']} | "
            f"{s['train_seconds']['mean']:.1f} ± {s['train_seconds']['sd']:.1f}"
            f" | {s['sessions_per_second']['mean']:.0f} | {p['sessions']}, "
            f"{p['wall_seconds']:.2f}, {p['peak_rss_mb']:.0f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    """The benchmark; a `LogbertError` (a missing dataset file) is one `error:` line and exit
    status 2, as in the CLI, not a traceback."""
    try:
        _run(sys.argv[1:])
    except LogbertError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)


def _positive(text: str) -> int:
    """An argparse type: a count of at least 1 (0 seeds printed an empty table)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {text!r}")
    return value


def _protocol_names(text: str) -> list[str]:
    """An argparse type: a comma-separated list of `PROTOCOLS`, checked before any training
    (an unknown name used to fail after the protocols before it had run)."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name.upper() not in PROTOCOLS]
    if unknown or not names:
        what = f"unknown protocol {unknown[0]!r}" if unknown else "no protocol"
        raise argparse.ArgumentTypeError(
            f"{what} in {text!r}: give a comma-separated list of {', '.join(PROTOCOLS)} (the "
            "other protocols run with `logbert benchmark --protocol`)"
        )
    return [name.upper() for name in names]


def _run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=_positive, default=5)
    parser.add_argument("--protocols", type=_protocol_names, default="A,B")
    parser.add_argument("--config", type=Path, help="YAML of LogBERT parameters")
    parser.add_argument("--work-dir", type=Path, help="cache for parsed protocol data")
    parser.add_argument("--out", type=Path, default=RESULTS / "hdfs.json")
    parser.add_argument("--decision", help="LogBERT decision score (default: the model's)")
    parser.add_argument(
        "--markdown-only",
        action="store_true",
        help="rewrite the .md from the JSON at --out, with the ceilings (no training)",
    )
    args = parser.parse_args(argv)
    if args.markdown_only:
        rewrite_markdown(args.out, args.work_dir or Path(tempfile.mkdtemp(prefix="logbert-")))
        return
    params = yaml.safe_load(args.config.read_text()) if args.config else {}
    if args.decision:
        params["decision"] = args.decision
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="logbert-hdfs-"))
    seeds = list(range(args.seeds))
    results = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"torch {torch.__version__} ({torch.get_num_threads()} threads)",
        "seeds": seeds,
        "params": LogBERT(**params).get_params(),
        "default_rule": DEFAULT_RULE,
        "paper": PAPER,
        "protocols": [],
    }

    def save(protocol: dict) -> None:
        done = [p for p in results["protocols"] if p["protocol"] != protocol["protocol"]]
        results["protocols"] = [*done, protocol]
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        args.out.with_suffix(".md").write_text(markdown(results), encoding="utf-8")

    for name in args.protocols:
        run_protocol(name, seeds, params, work, save)
    print(markdown(results))


def _ceiling_f1(proto: dict) -> str:
    f1 = (proto.get("ceiling") or {}).get("f1_max")
    return "" if f1 is None else f"{f1:.3f}"


def rewrite_markdown(path: Path, work: Path) -> None:
    """hdfs.md again from hdfs.json, each protocol's ceiling computed from its data."""
    results = json.loads(path.read_text(encoding="utf-8"))
    for proto in results["protocols"]:
        data = build_protocol(proto["protocol"], DATA, work)
        proto["ceiling"] = unseen_key_ceiling(data.train, data.test)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    path.with_suffix(".md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))


if __name__ == "__main__":
    main()
