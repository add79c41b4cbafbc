"""`logbert benchmark`: every detector on the same protocol (HDFS, ADFA-LD, BGL), one table."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import typer
from rich.console import Console

from logbert.errors import LogbertError
from logbert.evaluation.benchmark import (
    markdown,
    resolve_models,
    resolve_protocols,
    run_protocol,
    write_results,
)
from logbert.evaluation.datasets import datasets_dir
from logbert.pipeline.crossfit import CALIBRATIONS
from logbert.scoring.thresholds import check_rule, rule_needs_labels
from logbert.sessions.io import check_output_path


def command(
    protocol: str = typer.Option(
        ...,
        "--protocol",
        help="hdfs-a (train DeepLog's hdfs_train; test every labelled block of the HDFS 2% "
        "sample, not DeepLog's hdfs_test_* files), hdfs-b (HDFS end to end), adfa (ADFA-LD "
        "system calls), bgl-2k (BGL 2k sample, 5-minute windows), or all (every one); or, "
        "for supervised detectors on labelled training sessions, adfa-types (multi-class "
        "categories), bgl-2k-categories (multi-label categories), hdfs-time (binary: HDFS "
        "blocks by start time, train 60% / calibrate 10% / test 30% of the time span) or "
        "hdfs-random (the same blocks and proportions at random, stratified by label).",
    ),
    models: str = typer.Option(
        "all",
        "--models",
        help="all, or a comma-separated list, e.g. deeplog,pca,logbert. On adfa, logbert "
        "trains for about 4 minutes and deeplog for far longer; leave them out for a quick run.",
    ),
    output_dir: Path = typer.Option(
        Path("benchmarks/results"),
        "--output-dir",
        help="Where benchmark_<protocol>.json and .md are written (default: benchmarks/results "
        "in the current directory: the committed tables when run from the repository root).",
    ),
    seed: int = typer.Option(0, "--seed", help="Seed for splits and every detector."),
    seeds: int = typer.Option(
        1,
        "--seeds",
        help="Run N seeds (--seed, --seed+1, ..., i.e. 0..N-1 by default) and report mean ± sd.",
    ),
    threads: int = typer.Option(
        1,
        "--threads",
        help="torch threads for every detector (0: torch's default). One is fastest on a busy "
        "2-core machine.",
    ),
    threshold_rule: str | None = typer.Option(
        None,
        "--threshold-rule",
        help="One rule on the normal validation scores for every detector (default: each "
        "detector's own, the rule `logbert train` uses for it).",
    ),
    calibration: str = typer.Option(
        "split",
        "--calibration",
        help="Where each threshold rule gets its normal scores: split (the 10% validation "
        "split, the same for every detector: the committed tables), cross-fit (all normal "
        "training sessions, 5 folds) or auto (as `train`'s default).",
    ),
    data_dir: Path | None = typer.Option(
        None,
        "--data-dir",
        help="Datasets folder (default: $LOGBERT_DATA, else shared/datasets beside the logbert "
        "checkout, whatever the current directory).",
    ),
    work_dir: Path | None = typer.Option(
        None,
        "--work-dir",
        help="Cache for the parsed protocol data (default: ~/.cache/logbert/protocols).",
    ),
) -> None:
    """Train, calibrate and score detectors side by side; print and save the table."""
    if threshold_rule is not None and rule_needs_labels(check_rule(threshold_rule)):
        raise LogbertError(
            f"--threshold-rule {threshold_rule!r} needs labels; the benchmark calibrates on "
            "normal validation sessions (its labelled-threshold column already uses best-f1)"
        )
    if seeds < 1:
        raise LogbertError("--seeds must be a positive count")
    if calibration not in CALIBRATIONS:
        raise LogbertError(
            f"--calibration must be one of {', '.join(CALIBRATIONS)}, got {calibration!r}"
        )
    if threads < 0:
        raise LogbertError("--threads must be 0 (torch's default) or a positive count")
    check_output_path(output_dir, "benchmark results folder", directory=True)
    protocols = resolve_protocols(protocol)
    names = resolve_models(models, protocols)
    data = data_dir or datasets_dir()
    if not data.is_dir():
        raise LogbertError(f"datasets folder not found: {data} (set LOGBERT_DATA or --data-dir)")
    cache = work_dir or Path.home() / ".cache" / "logbert" / "protocols"
    err = Console(stderr=True)
    started = time.perf_counter()
    for name in protocols:
        with _Status(err) as say:
            result = run_protocol(
                name,
                names,
                data,
                cache,
                seed=seed,
                seeds=list(range(seed, seed + seeds)),
                rule=threshold_rule,
                threads=threads or None,
                progress=say,
                calibration=calibration,
            )
        json_path, md_path = write_results(result, output_dir)
        typer.echo(markdown(result))
        typer.echo(f"wrote {json_path} and {md_path}")
    typer.echo(f"total wall time: {time.perf_counter() - started:.0f} s")


class _Status:
    """A rich status line naming the detector at work, only when stderr is a terminal."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.status = None

    def __enter__(self):
        if not sys.stderr.isatty():
            return None
        self.status = self.console.status("benchmark")
        self.status.start()
        return lambda message: self.status.update(message)

    def __exit__(self, *exc_info) -> None:
        if self.status is not None:
            self.status.stop()
