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
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
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
from logbert.cli.progress import logs_progress
from logbert.cli.text_inputs import require_text_detector, text_records
from logbert.errors import LogbertError
from logbert.models.base import Detector, read_config
from logbert.models.registry import DETECTORS, detector_class
from logbert.models.runtime import torch_threads
from logbert.parsing.formats import resolve_format
from logbert.parsing.templates import read_templates, require_same_parse_run, template_conflicts
from logbert.parsing.zones import TIMEZONE_HELP, check_timezone
from logbert.pipeline import Pipeline
from logbert.pipeline.crossfit import CALIBRATIONS, check_cross_fit
from logbert.pipeline.files import (
    CALIBRATION_FILE,
    FINGERPRINTS_FILE,
    PARSER_FILE,
    TEMPLATES_FILE,
)
from logbert.scoring.thresholds import check_rule, rule_needs_labels
from logbert.sessions.io import check_output_path, create_output_folder, read_sessions
from logbert.sessions.lifecycle import recorded_log_end
from logbert.sessions.sessionize import SessionizerSettings
from logbert.sessions.settings import read_sessionizer_settings
from logbert.sessions.silences import MARGIN


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
    timezone: str | None = typer.Option(None, "--timezone", help=f"With --logs: {TIMEZONE_HELP}"),
    by_id: str | None = typer.Option(
        None,
        "--by-id",
        help=r"With --logs: sessions by an id regex, e.g. 'blk_-?\d+'; the id is the whole "
        "match, or the only capture group (write other groups as (?:...)), or the group "
        "named id ((?P<id>...)); several named groups join their values with '/'.",
    ),
    idle_timeout: str | None = typer.Option(
        None,
        "--idle-timeout",
        help="With --by-id or --by-field alone: close a session quiet this long (e.g. 1d).",
    ),
    by_field: str | None = typer.Option(
        None,
        "--by-field",
        help="With --logs: sessions by a header field (e.g. Node; several joined by commas, "
        "e.g. Component,Pid), alone or with --window / --lines.",
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
    order: str | None = typer.Option(
        None,
        "--order",
        help="With --logs: lines or time, the order events join sessions by id, field or "
        "count (default: input line order; time: by timestamp, for several services' files).",
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
    epochs: int | None = typer.Option(
        None, "--epochs", help="Override the epoch count (detectors trained in epochs)."
    ),
    seed: int | None = typer.Option(
        None,
        "--seed",
        help="Seed for the split and the model (default: a `seed:` in --config, else 0; the "
        "two must not differ).",
    ),
    resume: bool = typer.Option(
        False, "--resume", help="Continue from the last checkpoint (logbert only)."
    ),
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
    silence_margin: float = typer.Option(
        MARGIN,
        "--silence-margin",
        help="With --logs and --window: flag a value's silence (windows in a row with none of "
        "its events) longer than this many times its longest in training, and at least 2 "
        "windows; 0 judges no silence.",
    ),
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
    if silence_margin < 0:
        raise LogbertError(
            f"--silence-margin must be 0 (judge no silence) or more, got {silence_margin:g}"
        )
    if silence_margin != MARGIN and (not logs or window is None):
        raise LogbertError(
            "--silence-margin judges silences of time windows read from raw logs: give it "
            "with --logs and --window"
        )
    params = _params(cls, config, epochs, seed)
    detector = _checked_detector(cls, params, config, {"epochs": epochs, "seed": seed})
    if seed is None:  # one seed for the split and the model: a config's seed seeds both
        seed = int(params.get("seed", 0) or 0)
    if calibration not in CALIBRATIONS:
        raise LogbertError(
            f"--calibration must be one of {', '.join(CALIBRATIONS)}, got {calibration!r}"
        )
    if calibration == "cross-fit":
        check_cross_fit(detector, folds)  # the number of sessions is checked once they are read
    check_output_path(output, "model directory", directory=True)
    _refuse_another_model(output, cls)
    previous_files = _replaceable_files(output)
    log_options = {
        "--format": log_format, "--by-id": by_id, "--by-field": by_field, "--window": window,
        "--lines": lines, "--labels": labels, "--templates": templates, "--year": year,
        "--timestamp-format": timestamp_format, "--order": order, "--timezone": timezone,
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
        check_timezone(timezone)
        settings = SessionizerSettings(
            by_id=by_id,
            idle_timeout=idle_timeout,
            window=window,
            step=step,
            by_field=by_field,
            lines=lines,
            order=order,
        )
        settings.validate()
        label_map = labels_map(labels)
    else:
        given = [name for name, value in log_options.items() if value is not None]
        if given:
            raise LogbertError(
                f"{', '.join(given)}: only with --logs (raw log files as input); add --logs, or "
                "leave them out for a sessions file (it was cut when it was sessionized)"
            )
        path = sessions_file(inputs)
        settings = None
    pipeline = Pipeline(
        detector,
        sessionizer=settings,
        log_format=log_format,
        year=year,
        timestamp_format=timestamp_format,
        timezone=timezone,
        parser=parser,
        known_templates=templates,
        validation_split=validation_split,
        threshold_rule=threshold_rule,
        calibration=calibration,
        folds=folds,
        seed=seed,
        silence_margin=silence_margin,
    )
    fit_options = {"checkpoint_dir": output / "checkpoints", "resume": resume, "log": say}
    accepted = inspect.signature(detector.fit).parameters
    fit_options = {k: v for k, v in fit_options.items() if k in accepted}
    if resume and "resume" not in accepted:
        say(f"warning: --resume is ignored: {cls.name} writes no training checkpoints (it "
            "trains from scratch in one go)")  # fmt: skip
    beside = None
    started = time.perf_counter()
    with (
        torch_threads(threads or None),
        _interrupt_note(output, "resume" in accepted),
        _model_folder(output, "resume" in accepted),
    ):
        if logs:
            with logs_progress("reading logs") as shown:

                def log(line: str) -> None:  # the reading's summary ends the progress line
                    shown.stop()
                    say(line)

                pipeline.fit_logs(
                    files,
                    label_map,
                    rejects_path=output / "train.rejects.txt",
                    fit_options=fit_options,
                    log=log,
                    on_read=shown.read,
                )
        elif records is not None:
            pipeline.fit(
                records.sessions,
                source=str(path),
                template_set=records.template_set(),
                fit_options=fit_options,
                log=say,
            )
        else:
            sessions = read_sessions(path, input_format)  # first: not sessions is the error
            template_set = template_set_of(path)
            beside = _templates_beside(path, template_set)
            held_out = None
            if validation is not None:
                held_out, template_set = _validation_input(validation, input_format, template_set)
            pipeline.fit(
                sessions,
                validation=held_out,
                source=str(path),
                validation_source=str(validation) if validation is not None else "",
                template_set=template_set,
                sessions_cut=read_sessionizer_settings(path),
                fit_options=fit_options,
                log=say,
                end=_recorded_end(path, validation),
            )
    seconds = time.perf_counter() - started
    pipeline.save(output)
    if beside is not None:
        shutil.copyfile(beside, output / TEMPLATES_FILE)
    _remove_left_over(output, previous_files)
    took = f"{seconds:.1f}s" + (_resumed_epochs(pipeline) if resume else "")
    typer.echo(  # the detector named on stdout too (QA Mumble: a loop without --model
        # trained LogBERT four times, its name only on stderr)
        f"Trained in {took}; {pipeline.detector_.name}, {pipeline.threshold_words()}; model "
        f"saved to {output}"
    )
    if (blind := pipeline.window_blind_spot_note()) is not None:
        say(blind)


def _resumed_epochs(pipeline: Pipeline) -> str:
    """What a resumed run's time leaves out: the epochs before it (QA Infinispan: "Trained in
    8.6s" after five epochs of ~60 s each, the resumed last epoch's time alone)."""
    epochs = (getattr(pipeline.detector_, "history_", None) or {}).get("epochs") or []
    seconds = sum(e.get("seconds") or 0.0 for e in epochs if isinstance(e, dict))
    if not epochs:
        return ""
    return f" (this run; resumed: its {len(epochs)} epochs took {seconds:.1f}s in all)"


def _recorded_end(path: Path, validation: Path | None) -> datetime | None:
    """The end of the log the training (and validation) file are parts of, where `logbert
    split` recorded it (`lifecycle.recorded_log_end`)."""
    ends = [recorded_log_end(p) for p in (path, validation) if p is not None and str(p) != "-"]
    return max((e for e in ends if e is not None), default=None)


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


def _params(cls, config: Path | None, epochs: int | None, seed: int | None) -> dict:
    """The detector's constructor parameters: --config, then --epochs and --seed.

    A config that is not a readable YAML mapping of the detector's parameter names is refused
    naming the file; --epochs for a detector without epochs is said to be ignored (a
    combination passes it to its parts that train in epochs, in `part_params`); a `seed:`
    in the config that differs from --seed is refused (which seed would the model get?).
    """
    params: dict = {}
    if config is not None:
        params = _read_config(config)
    accepted = inspect.signature(cls.__init__).parameters
    unknown = set(params) - set(accepted)
    if unknown and "part_params" in accepted:  # a combination: each to the parts that take it
        params, unknown = _routed_to_parts(cls, params, unknown)
    if unknown:
        parts = (
            "; a part's parameters go under part_params, e.g. `part_params: {logbert: "
            "{hidden: 32}}`" if "part_params" in accepted else ""
        )  # fmt: skip
        raise LogbertError(
            f"{config}: unknown parameters for {cls.name}: {', '.join(sorted(unknown))}; "
            f"valid: {', '.join(p for p in accepted if p != 'self')}{parts}"
        )
    epoch_parts = _parts_with(cls, "epochs") if epochs is not None else []
    if epochs is not None:
        if "epochs" in accepted:
            params["epochs"] = epochs
        elif epoch_parts:  # a combination: its parts trained in epochs
            part_params = dict(params.get("part_params") or {})
            for part in epoch_parts:
                part_params[part] = {**(part_params.get(part) or {}), "epochs": epochs}
            params["part_params"] = part_params
        else:
            say(f"warning: --epochs is ignored: {cls.name} is not trained in epochs")
    if "seed" in accepted and seed is not None:
        if "seed" in params and params["seed"] != seed:
            raise LogbertError(
                f"--seed {seed} and `seed: {params['seed']!r}` in {config} differ: give the "
                "model's seed once (--seed also seeds the validation split)"
            )
        params["seed"] = seed
    elif "seed" in accepted:
        params.setdefault("seed", 0)
    return params


def _routed_to_parts(cls, params: dict, unknown: set[str]) -> tuple[dict, set[str]]:
    """A combination's config with each parameter it does not take itself moved into the
    `part_params` of the parts that take it (QA GPFS: `--model logbert+length` with the
    config written for `--model logbert`, `hidden: 32`, was refused); those no part takes stay
    unknown."""
    routed = {key: _parts_with(cls, key) for key in unknown}
    part_params = dict(params.get("part_params") or {})
    for key, parts in routed.items():
        for part in parts:
            part_params[part] = {key: params[key], **(part_params.get(part) or {})}
    kept = {key: value for key, value in params.items() if not routed.get(key)}
    if part_params:
        kept["part_params"] = part_params
    return kept, {key for key, parts in routed.items() if not parts}


def _parts_with(cls, parameter: str) -> list[str]:
    """The parts of a combination (`a+b`) whose detectors take `parameter`; [] otherwise."""
    parts = getattr(cls(), "parts", None) if "parts" in inspect.signature(cls).parameters else None
    return [
        part
        for part in parts or ()
        if parameter in inspect.signature(detector_class(part).__init__).parameters
    ]


def _read_config(config: Path) -> dict:
    """The YAML mapping in `config`, or a `LogbertError` naming the file and what is wrong."""
    try:
        params = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise LogbertError(f"config file not found: {config}") from exc
    except IsADirectoryError as exc:
        raise LogbertError(
            f"--config {config} is a folder: give a YAML file of parameters"
        ) from exc
    except OSError as exc:
        raise LogbertError(f"cannot read config file {config} ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise LogbertError(f"{config}: not a UTF-8 text (YAML) file ({exc})") from exc
    except yaml.YAMLError as exc:
        raise LogbertError(f"{config}: invalid YAML ({exc})") from exc
    if not isinstance(params, dict):
        raise LogbertError(f"{config}: expected a mapping of constructor parameters")
    return params


def _checked_detector(
    cls, params: dict, config: Path | None, command_line: dict[str, object]
) -> Detector:
    """The detector with its parameters checked before any work (as `fit` would check them
    after reading the data). An error about a parameter from the config names the file; one
    about an option given on the command line (`command_line`: name -> value or None) does
    not, since the file is not at fault."""
    detector = cls(**params)
    try:
        detector._check_params()
    except LogbertError as exc:
        from_option = command_line.get(getattr(exc, "param", None)) is not None
        if config is None or from_option:
            raise
        raise LogbertError(f"in {config}: {exc}") from exc
    return detector


def _refuse_another_model(output: Path, cls) -> None:
    """Refuse to train into a directory holding another detector's model: the new model would
    not overwrite the old one's files (weights, vocabulary, checkpoints...), leaving a folder
    that mixes two models. The same detector is overwritten (and `--resume` finds its
    checkpoints)."""
    if not (output / "config.json").exists():
        return
    advice = f"use another --output, or remove {output} first"
    try:
        previous = read_config(output).get("model")
    except LogbertError as exc:
        raise LogbertError(
            f"{output} holds a config.json that cannot be read, so what it holds is unknown "
            f"({exc}): {advice}"
        ) from exc
    if previous != cls.name:
        raise LogbertError(
            f"{output} holds a {previous!r} model; training {cls.name} into it would mix the "
            f"two models' files: {advice}"
        )


# Files a model directory holds or not depending on the training input (raw logs, a template
# set, labels, calibration, `logbert calibrate`): a retrained model of the same detector that
# does not write one must not leave the previous model's copy behind to be read as its own.
REPLACEABLE = (
    TEMPLATES_FILE, "templates.json", PARSER_FILE, "train.rejects.txt", FINGERPRINTS_FILE,
    CALIBRATION_FILE, "threshold.previous.json",
)  # fmt: skip


def _replaceable_files(output: Path) -> dict[str, int]:
    """The REPLACEABLE files in `output` before training: name -> modification time."""
    return {
        name: (output / name).stat().st_mtime_ns
        for name in REPLACEABLE
        if (output / name).is_file()
    }


def _remove_left_over(output: Path, before: dict[str, int]) -> None:
    """Remove the previous model's REPLACEABLE files this run did not rewrite, and say so."""
    left = [
        name
        for name, mtime in before.items()
        if (output / name).is_file() and (output / name).stat().st_mtime_ns == mtime
    ]
    for name in left:
        (output / name).unlink()
    if left:
        files = "1 file" if len(left) == 1 else f"{len(left)} files"
        say(f"Removed {files} of the previous model in {output} that this one does not write: "
            f"{', '.join(left)}")  # fmt: skip


def _templates_beside(path: Path, template_set: dict | None) -> Path | None:
    """The templates.csv beside a sessions file when it is that file's template list (same
    ids and text for the keys both have), to copy into the model for readable evidence; else
    None, with a note saying why. A file that records no template set (JSON Lines, DeepLog)
    cannot be paired with one: its keys may come from any numbering (loghub's E5 is not our
    parse run's key 5), and the alerts would name the wrong events."""
    beside = path.parent / TEMPLATES_FILE
    if str(path) == "-" or not beside.is_file():
        return None
    skip = f"note: {beside} is not copied into the model"
    if not template_set:
        say(f"{skip}: {path} records no template set, so nothing says its keys are that "
            "file's template ids, and the model has no template text. For template text, "
            "train on a sessions file from `logbert sessionize` (Parquet: it carries its "
            "template set), or on raw logs with `logbert train --logs`")  # fmt: skip
        return None
    try:
        listed = read_templates(beside)
    except LogbertError as exc:
        say(f"{skip}: {exc}")
        return None
    ours = {int(k): str(v) for k, v in template_set.items()}
    shared = {key: ours[key] for key in ours.keys() & listed.keys()}
    conflicts = template_conflicts(shared, listed)
    if not shared or conflicts:
        why = (
            f"key {conflicts[0]} is {shared[conflicts[0]]!r} in {path} but "
            f"{listed[conflicts[0]]!r} there"
            if conflicts
            else "it has none of its template ids"
        )
        say(f"{skip}: it is not the template list of {path} ({why}); the template text of "
            f"{path} is kept instead")  # fmt: skip
        return None
    return beside


@contextmanager
def _model_folder(output: Path, resumable: bool) -> Iterator[None]:
    """Create the model directory before training, whatever the input: a folder the OS
    refuses is the clean error `create_output_folder` gives, before any work (QA: `-o /proc/x`
    passed `check_output_path` as root, then mkdir raised a traceback, exit 1; from a
    sessions file it would have failed only on saving, after the training). A failed or
    interrupted training removes the folder it created (nothing half-written is left behind),
    except on a Ctrl-C that --resume continues from its checkpoints."""
    created = not output.exists()
    create_output_folder(output, "model directory", directory=True)
    try:
        yield
    except (LogbertError, KeyboardInterrupt) as exc:
        if created and not (isinstance(exc, KeyboardInterrupt) and resumable):
            shutil.rmtree(output, ignore_errors=True)
        raise


@contextmanager
def _interrupt_note(output: Path, resumable: bool) -> Iterator[None]:
    """On Ctrl-C, the line `logbert` prints (`main.interrupted`) says what is left: a
    resumable detector's checkpoints, else nothing saved."""
    try:
        yield
    except KeyboardInterrupt as exc:
        left = (
            f"rerun the same command with --resume to continue from the last checkpoint in "
            f"{output / 'checkpoints'}"
            if resumable
            else "no model was saved"
        )
        raise KeyboardInterrupt(f"training stopped; {left}") from exc
