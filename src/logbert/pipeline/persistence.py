"""A bundle's model directory, written and read: the detector's own files (config, weights,
vocabulary, threshold) plus the bundle's (`files.py` names and reads each).

Apart from `bundle.py` so the class reads as what a bundle does; `Pipeline.save` and
`Pipeline.load` are the public surface and call these. Files a model can lack are not skipped
in silence: what their absence leaves out is in `load_warnings_`, one line each. Plain JSON and
safetensors only; nothing is unpickled.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from logbert.errors import LogbertError
from logbert.models.registry import load_detector
from logbert.pipeline.files import (
    CALIBRATION_FILE,
    FINGERPRINTS_FILE,
    PARSER_FILE,
    PIPELINE_FILE,
    TEMPLATES_FILE,
    model_directory,
    read_calibration_scores,
    read_fingerprints,
    read_model_templates,
    read_parser,
    read_pipeline_record,
    write_fingerprints,
    write_json,
    write_templates_csv,
)
from logbert.scoring.thresholds import RECALIBRATE, flags_most_normal
from logbert.sessions.lifecycle import SessionLifecycle
from logbert.sessions.sessionize import SessionizerSettings
from logbert.sessions.silences import MARGIN, SilenceProfile

if TYPE_CHECKING:  # the bundle calls this module, never the reverse at run time
    from logbert.pipeline.bundle import Pipeline

FORMAT_VERSION = 1


def write_bundle(pipeline: Pipeline, directory: str | Path) -> Path:
    """Write the detector's files and the bundle's own (see the module doc)."""
    detector = pipeline._fitted()
    directory = Path(directory)
    detector.save(directory)
    profile = getattr(pipeline, "silence_profile_", None)
    record = {
        "version": FORMAT_VERSION,
        "sessionizer": pipeline.sessionizer.to_dict() if pipeline.sessionizer else None,
        "log_format": pipeline.log_format,
        "year": pipeline.year,
        "timestamp_format": pipeline.timestamp_format,
        "timezone": pipeline.timezone,
        "parser": pipeline.parser,
        "validation_split": pipeline.validation_split,
        "threshold_rule": pipeline.threshold_rule,
        "calibration": pipeline.calibration,
        "folds": pipeline.folds,
        "seed": pipeline.seed,
        "silence_margin": pipeline.silence_margin,
        "lifecycle": pipeline.lifecycle_.to_dict(),
        "silences": profile.to_dict() if profile is not None else None,
        "model_id": getattr(pipeline, "model_id_", None),
        "template_set": getattr(pipeline, "template_set_", None),
        "training": getattr(pipeline, "training_", {}),
    }
    write_json(directory / PIPELINE_FILE, record)
    if getattr(pipeline, "fingerprints_", None):
        write_fingerprints(directory / FINGERPRINTS_FILE, pipeline.fingerprints_)
    if getattr(pipeline, "calibration_scores_", None) is not None:
        pipeline.save_calibration(directory)
    if pipeline.reads_logs:
        write_json(directory / PARSER_FILE, pipeline.parser_.to_state())
        summary = getattr(pipeline, "log_summary_", None)
        counts = summary.template_counts if summary is not None else {}
        write_templates_csv(directory / TEMPLATES_FILE, pipeline.parser_.template_map(), counts)
    return directory


def read_bundle(cls: type[Pipeline], path: str | Path, *, recalibrating: bool = False) -> Pipeline:
    """A saved bundle (also a plain model directory from earlier versions, or a LogBERT
    checkpoint file inside one: its weights with the directory's vocabulary/threshold).

    Files a model can lack are not skipped in silence: what their absence leaves out is
    in `load_warnings_` (one line each, for the CLI to print). `recalibrating` (the
    caller replaces the threshold, as `logbert calibrate` does): a threshold.json or
    calibration scores file that does not load is a warning there, not an error, so
    calibrating can repair it."""
    notes: list[str] = []

    def replaced(exc: LogbertError) -> None:
        reason = str(exc).removesuffix(f"; {RECALIBRATE}")
        notes.append(f"warning: {reason}; this calibration replaces it")

    bad_file = replaced if recalibrating else None
    detector = load_detector(path, on_bad_threshold=bad_file)
    notes.extend(getattr(detector, "load_warnings_", []))
    directory = model_directory(path)
    record = read_pipeline_record(directory, detector, notes)
    settings = record.get("sessionizer")
    try:
        sessionizer = SessionizerSettings.from_dict(settings) if settings else None
    except LogbertError as exc:
        raise LogbertError(f"{directory / PIPELINE_FILE}: sessionizer: {exc}") from exc
    pipeline = cls(
        detector,
        sessionizer=sessionizer,
        log_format=record.get("log_format"),
        year=record.get("year"),
        timestamp_format=record.get("timestamp_format"),
        timezone=record.get("timezone"),
        parser=record.get("parser", "logbert"),
        validation_split=record.get("validation_split", 0.1),
        threshold_rule=record.get("threshold_rule"),
        calibration=record.get("calibration", "split"),
        folds=record.get("folds", 5),
        seed=record.get("seed", 0),
        silence_margin=record.get("silence_margin", MARGIN),
    )
    pipeline.detector_ = detector
    pipeline.directory_ = directory
    if "lifecycle" in record:
        pipeline.lifecycle_ = SessionLifecycle.from_dict(
            record["lifecycle"], source=str(directory / PIPELINE_FILE)
        )
    else:  # a model directory written before the bundle existed
        lifetime = detector.training_info_.get("session_lifetime_seconds")
        pipeline.lifecycle_ = SessionLifecycle.from_dict(
            {"lifetime_seconds": lifetime}, source=str(directory / "config.json")
        )
    silences = record.get("silences")  # (None: not time windows, or a model from before)
    pipeline.silence_profile_ = (
        SilenceProfile.from_dict(silences, str(directory / PIPELINE_FILE)) if silences else None
    )
    pipeline.template_set_ = record.get("template_set")
    pipeline.model_id_ = record.get("model_id")  # None: a model from before it was kept
    _check_threshold_owner(pipeline, bad_file)
    pipeline.training_ = record.get("training", {})
    pipeline.templates_csv_ = read_model_templates(directory / TEMPLATES_FILE, notes)
    pipeline.fingerprints_ = read_fingerprints(directory / FINGERPRINTS_FILE)
    pipeline.calibration_scores_ = read_calibration_scores(directory / CALIBRATION_FILE, bad_file)
    if pipeline.calibration_scores_ is None and not recalibrating:
        notes.append(
            f"warning: {directory / CALIBRATION_FILE} is missing, so p-values are left out "
            "of the score rows (`logbert calibrate` writes the file)"
        )
    if not recalibrating and (warning := _flags_most_normal(pipeline, directory)) is not None:
        notes.append(warning)
    pipeline.parser_ = None
    if (directory / PARSER_FILE).exists():
        pipeline.parser_ = read_parser(directory / PARSER_FILE)
        if pipeline.parser_.rules_mismatch is not None:
            notes.append(
                f"warning: {directory / PARSER_FILE} was mined under other parsing rules "
                f"({pipeline.parser_.rules_mismatch}): lines the model knew may now give other "
                "templates, counted as unseen keys (flagged sessions); retrain the model on its "
                "logs with this logbert (`logbert train`)"
            )
    pipeline.load_warnings_ = notes
    return pipeline


def _check_threshold_owner(pipeline: Pipeline, on_bad_file) -> None:
    """Refuse a threshold.json calibrated for another model (its `model_id` is another's:
    copied from another model directory, its value is on another detector's scale), or
    hand the error to `on_bad_file` and drop the threshold (calibrate replaces it). One
    without a model_id (models before it was recorded) is taken as it is."""
    threshold = pipeline.threshold_
    owner = getattr(threshold, "model_id", None)
    if not owner or not pipeline.model_id_ or owner == pipeline.model_id_:
        return
    error = LogbertError(
        f"{pipeline.directory_ / 'threshold.json'} was calibrated for another model (model_id "
        f"{owner}; this model is {pipeline.model_id_}): it was copied from another model "
        f"directory, so its threshold does not fit this model's scores; {RECALIBRATE}"
    )
    if on_bad_file is None:
        raise error
    on_bad_file(error)
    pipeline.detector_.threshold_ = None


def _flags_most_normal(pipeline: Pipeline, directory: Path) -> str | None:
    """A warning when the model's threshold flags most of the normal sessions it was
    calibrated on: `fit` warned once, but later runs must not pass it in silence (QA: a
    best-F1 threshold on 1 labelled anomaly flagged all, and `evaluate` said nothing)."""
    threshold = getattr(pipeline.detector_, "threshold_", None)
    scores = pipeline.calibration_scores_
    if scores is None or threshold is None or flags_most_normal(threshold, scores) is None:
        return None
    flagged = int(np.sum(np.asarray(scores, dtype=float) > threshold.value))
    return (
        f"warning: this model's {threshold.rule} threshold {threshold.value:.6g} flags "
        f"{flagged:,} of the {np.size(scores):,} normal sessions it was calibrated on "
        f"({flagged / np.size(scores):.0%}): most verdicts on normal sessions will be false "
        f"alarms; recalibrate it (`logbert calibrate {directory} SESSIONS --threshold-rule "
        "RULE`) or pass --threshold"
    )
