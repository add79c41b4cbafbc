"""`logbert train`: fit a pipeline bundle on normal sessions, from a sessions file or raw logs.

Labelled anomalies are left out (and counted); a seeded share of the normal sessions is held out
as validation data for early stopping and for the threshold (or, with `--validation FILE`, the
sessions of that file), so the saved model directory is ready to score. With `--logs`, the raw
files are parsed and sessionized in the same run and the parser state and session settings are
saved with the model, which then reads raw lines.
Every argument is checked before training starts.
"""

from __future__ import annotations

import inspect
import shutil
import time
from pathlib import Path

import typer
import yaml

from logbert.cli.inputs import (
    INPUTS_HELP,
    labels_map,
    log_files,
    say,
    sessions_file,
    template_set_of,
)
from logbert.cli.text_inputs import require_text_detector, text_records
from logbert.errors import LogbertError
from logbert.models.registry import DETECTORS, detector_class
from logbert.models.runtime import torch_threads
from logbert.parsing.formats import resolve_format
from logbert.parsing.templates import require_same_parse_run
from logbert.pipeline import Pipeline
from logbert.pipeline.crossfit import CALIBRATIONS, check_cross_fit
from logbert.scoring.thresholds import check_rule, rule_needs_labels
from logbert.sessions.io import check_output_path, read_sessions
from logbert.sessions.sessionize import SessionizerSettings


def command(
    inputs: list[str] = typer.Argument(..., metavar="SESSIONS | LOG...", help=INPUTS_HELP),
    output: Path = typer.Option(..., "--output", "-o", help="Model directory to write."),
    logs: bool = typer.Option(
        False,
        "--logs",
        help="The inputs are raw log files: parse (--format) and sessionize "
        "(--by-id, --by-field, --window or --lines) them, and save the parser with the model.",
    ),  # fmt: skip
    text: bool = typer.Option(
        False,
        "--text",
        help='The input is labelled text: a JSON list or JSONL of {"input": text, "output": '
        "label} records (text-classifier only).",
    ),
    log_format: str | None = typer.Option(
        None,
        "--format",
        "-f",
        help="With --logs: built-in log format, a loghub format string, or auto (the built-in "
        "format that parses the most lines with timestamps; it says which).",
    ),
    year: int | None = typer.Option(
        None, "--year", help="With --logs: the year of formats that do not write one."
    ),
    timestamp_format: str | None = typer.Option(
        None, "--timestamp-format", help="With --logs: strptime-like format of the timestamps."
    ),
    by_id: str | None = typer.Option(
        None, "--by-id", help=r"With --logs: sessions by an id regex, e.g. 'blk_-?\d+'."
    ),
    idle_timeout: str | None = typer.Option(
        None, "--idle-timeout", help="With --by-id: close a session quiet this long (e.g. 1d)."
    ),
    by_field: str | None = typer.Option(
        None,
        "--by-field",
        help="With --logs: sessions by a header field (e.g. Node), alone "
        "or with --window / --lines.",
    ),  # fmt: skip
    window: str | None = typer.Option(
        None, "--window", help="With --logs: sessions are time windows of this length (5m)."
    ),
    lines: int | None = typer.Option(
        None, "--lines", help="With --logs: sessions of N consecutive lines (no time needed)."
    ),
    step: str | None = typer.Option(
        None, "--step", help="With --window or --lines: slide by this much."
    ),
    labels: Path | None = typer.Option(
        None, "--labels", help="With --logs: CSV of session id and label (anomalies left out)."
    ),
    parser: str = typer.Option("logbert", "--parser", help="With --logs: logbert or drain3."),
    templates: Path | None = typer.Option(
        None, "--templates", help="With --logs: known templates (loghub _templates.csv)."
    ),
    model: str = typer.Option(
        "logbert", "--model", help=f"Detector: {', '.join(sorted(DETECTORS))}."
    ),
    config: Path | None = typer.Option(None, "--config", help="YAML of constructor params."),
    epochs: int | None = typer.Option(None, "--epochs", help="Override the epoch count."),
    seed: int = typer.Option(0, "--seed", help="Seed for the split and the model."),
    resume: bool = typer.Option(False, "--resume", help="Continue from the last checkpoint."),
    input_format: str | None = typer.Option(None, "--input-format", help="Sessions format."),
    threshold_rule: str | None = typer.Option(
        None,
        "--threshold-rule",
        help="Calibration rule on the validation split (default: the detector's own, e.g. "
        "max for logbert, mean+2std for deeplog).",
    ),
    validation_split: float = typer.Option(
        0.1, "--validation-split", help="Share of normal sessions held out for validation."
    ),
    validation: Path | None = typer.Option(
        None,
        "--validation",
        help="A sessions file of validation sessions (e.g. the later part from `logbert "
        "split`): early stopping and the threshold use it, and every training session is "
        "fitted (instead of holding out --validation-split).",
    ),
    calibration: str = typer.Option(
        "auto",
        "--calibration",
        help="Where the threshold rule gets its normal scores: split (the validation split), "
        "cross-fit (every normal session, each scored by a model trained on the other "
        "--folds folds; k more trainings) or auto (cross-fit when the validation split would "
        "hold fewer than 100 normal sessions, else split).",
    ),
    folds: int = typer.Option(5, "--folds", help="With --calibration cross-fit: the folds."),
    threads: int = typer.Option(
        0, "--threads", help="torch threads (0: torch's default; 1 is fastest on a busy machine)."
    ),
) -> None:
    """Train a detector on normal sessions (or raw logs) and calibrate its threshold."""
    cls = detector_class(model)
    needs_labels = threshold_rule is not None and rule_needs_labels(check_rule(threshold_rule))
    if needs_labels and not cls.supervised:  # supervised detectors validate on both labels
        raise LogbertError(
            f"--threshold-rule {threshold_rule!r} needs labelled anomalies, but {cls.name} is "
            "trained and validated on normal sessions only; use mean+2std, quantile:Q or max, "
            "or run `logbert calibrate` on a labelled validation file afterwards"
        )
    if not 0 <= validation_split < 1:
        raise LogbertError("--validation-split must be in [0, 1)")
    if validation is not None and (logs or text):
        raise LogbertError(
            "--validation takes a sessions file and works with a sessions file as input; "
            "sessionize the raw logs first (`logbert sessionize`, then `logbert split`)"
        )
    if threads < 0:
        raise LogbertError("--threads must be 0 (torch's default) or more")
    params = _params(cls, config, epochs, seed)
    detector = cls(**params)
    if calibration not in CALIBRATIONS:
        raise LogbertError(
            f"--calibration must be one of {', '.join(CALIBRATIONS)}, got {calibration!r}"
        )
    if calibration == "cross-fit":
        check_cross_fit(detector, folds)  # the number of sessions is checked once they are read
    check_output_path(output, "model directory", directory=True)
    log_options = {
        "--format": log_format, "--by-id": by_id, "--by-field": by_field, "--window": window,
        "--lines": lines, "--labels": labels, "--templates": templates, "--year": year,
        "--timestamp-format": timestamp_format,
    }  # fmt: skip
    records = None
    if text:
        require_text_detector(detector)
        records = text_records(inputs, True, **{"--logs": logs, "--input-format": input_format},
                               **log_options)  # fmt: skip
        path, settings = Path(inputs[0]), None
    elif logs:
        files = log_files(inputs)
        if log_format is None:
            raise LogbertError("--logs needs the log format: pass --format (e.g. hdfs)")
        resolve_format(log_format, year, timestamp_format)  # checked before any work
        settings = SessionizerSettings(
            by_id=by_id,
            idle_timeout=idle_timeout,
            window=window,
            step=step,
            by_field=by_field,
            lines=lines,
        )
        settings.validate()
        label_map = labels_map(labels)
    else:
        given = [name for name, value in log_options.items() if value is not None]
        if given:
            raise LogbertError(f"{', '.join(given)} work with --logs (raw log files as input)")
        path = sessions_file(inputs)
        settings = None
    pipeline = Pipeline(
        detector,
        sessionizer=settings,
        log_format=log_format,
        year=year,
        timestamp_format=timestamp_format,
        parser=parser,
        known_templates=templates,
        validation_split=validation_split,
        threshold_rule=threshold_rule,
        calibration=calibration,
        folds=folds,
        seed=seed,
    )
    fit_options = {"checkpoint_dir": output / "checkpoints", "resume": resume, "log": say}
    accepted = inspect.signature(detector.fit).parameters
    fit_options = {k: v for k, v in fit_options.items() if k in accepted}
    started = time.perf_counter()
    with torch_threads(threads or None):
        if logs:
            created = not output.exists()
            output.mkdir(parents=True, exist_ok=True)
            try:
                pipeline.fit_logs(
                    files,
                    label_map,
                    rejects_path=output / "train.rejects.txt",
                    fit_options=fit_options,
                    log=say,
                )
            except LogbertError:
                if created:  # nothing half-written is left behind
                    shutil.rmtree(output, ignore_errors=True)
                raise
        elif records is not None:
            pipeline.fit(
                records.sessions,
                source=str(path),
                template_set=records.template_set(),
                fit_options=fit_options,
                log=say,
            )
        else:
            template_set = template_set_of(path)
            held_out = None
            if validation is not None:
                held_out, template_set = _validation_input(validation, input_format, template_set)
            pipeline.fit(
                read_sessions(path, input_format),
                validation=held_out,
                source=str(path),
                validation_source=str(validation) if validation is not None else "",
                template_set=template_set,
                fit_options=fit_options,
                log=say,
            )
    seconds = time.perf_counter() - started
    pipeline.save(output)
    beside = path.parent / "templates.csv" if not (logs or text) and str(path) != "-" else None
    if beside is not None and beside.exists():
        shutil.copyfile(beside, output / "templates.csv")
    threshold = pipeline.threshold_
    typer.echo(
        f"Trained in {seconds:.1f}s; threshold {threshold.value:.6g} on {threshold.score} "
        f"({threshold.rule}); model saved to {output}"
    )


def _validation_input(
    path: Path, input_format: str | None, template_set: dict | None
) -> tuple[list, dict | None]:
    """The sessions of a --validation file and the template set of both files; refused when
    its keys come from another parse run than the training file's."""
    path = sessions_file([str(path)])
    theirs = {int(k): v for k, v in (template_set_of(path) or {}).items()}
    ours = {int(k): v for k, v in (template_set or {}).items()}
    require_same_parse_run(
        ours,
        theirs,
        data=f"--validation {path}",
        reference="the training sessions",
        remedy="Parse both with the same --state file, or split one sessions file with "
        "`logbert split`",
    )
    merged = {**theirs, **ours} if ours or theirs else template_set
    return read_sessions(path, input_format), merged


def _params(cls, config: Path | None, epochs: int | None, seed: int) -> dict:
    params: dict = {}
    if config is not None:
        try:
            params = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        except FileNotFoundError as exc:
            raise LogbertError(f"config file not found: {config}") from exc
        except yaml.YAMLError as exc:
            raise LogbertError(f"{config}: invalid YAML ({exc})") from exc
        if not isinstance(params, dict):
            raise LogbertError(f"{config}: expected a mapping of constructor parameters")
    accepted = inspect.signature(cls.__init__).parameters
    unknown = set(params) - set(accepted)
    if unknown:
        raise LogbertError(
            f"{config}: unknown parameters for {cls.name}: {', '.join(sorted(unknown))}; "
            f"valid: {', '.join(p for p in accepted if p != 'self')}"
        )
    if epochs is not None and "epochs" in accepted:
        params["epochs"] = epochs
    if "seed" in accepted:
        params.setdefault("seed", seed)
    return params
