"""The files of a model directory, read and written by the pipeline bundle.

A bundle saves its detector (config, weights, vocabulary, threshold: the detector's own files)
plus the files named here: `pipeline.json` (what the bundle is: sessionizer settings, lifecycle,
template set, training record), `parser.json` (the frozen parser, for raw logs),
`templates.csv`, `training_sessions.npz` (fingerprints of the training, validation and
calibration sessions, for the overlap check of `calibrate` and `evaluate`) and
`calibration_scores.npy` (the normal scores behind p-values). Each reader turns a damaged file
into an error that names it (`corrupt_file`), never a traceback; nothing is unpickled.
"""

from __future__ import annotations

import csv
import json
import os
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from logbert.errors import LogbertError
from logbert.models.base import Detector
from logbert.models.checks import corrupt_file, read_json
from logbert.parsing.pipeline import Parser
from logbert.parsing.templates import read_templates
from logbert.scoring.thresholds import RECALIBRATE

PIPELINE_FILE = "pipeline.json"
PARSER_FILE = "parser.json"
FINGERPRINTS_FILE = "training_sessions.npz"
# its array of the sessions `logbert calibrate` set the threshold on (absent: none since training)
CALIBRATION_KEY = "calibration"
# sessions known by position only (`sessions.fingerprints.positional`): runs of their keys
TRAIN_ORDER_KEY, CALIBRATION_ORDER_KEY = "train_order", "calibration_order"
TRAIN_ROLES_KEY = "train_roles"  # per session of the training file: 1 validation, else 0
CALIBRATION_FILE = "calibration_scores.npy"
TEMPLATES_FILE = "templates.csv"


def model_directory(path: str | Path) -> Path:
    """The model directory of `path` (a directory, or a checkpoint file inside one)."""
    path = Path(path)
    if path.is_file() and path.parent.name == "checkpoints":
        return path.parent.parent
    return path


def read_fingerprints(path: Path) -> dict[str, np.ndarray] | None:
    """The fingerprints of the training and validation sessions (and of the sessions `logbert
    calibrate` last calibrated on, `CALIBRATION_KEY`); None when the file is missing (a model
    from before they were kept, or copied without it): the overlap is then unknown."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise corrupt_file(path, exc) from exc


def read_calibration_scores(
    path: Path, on_bad_file: Callable[[LogbertError], None] | None = None
) -> np.ndarray | None:
    """The normal calibration scores behind p-values (`CALIBRATION_FILE`); None when the file
    is missing, an error naming it when it is not a list of scores (given to `on_bad_file`
    instead, when given, and None: for a caller about to replace the file)."""
    if not path.exists():
        return None
    try:
        try:
            scores = np.load(path, allow_pickle=False)
        except (OSError, ValueError, EOFError) as exc:
            raise corrupt_file(path, exc, RECALIBRATE) from exc
        if scores.ndim != 1 or not np.issubdtype(scores.dtype, np.number):
            raise corrupt_file(
                path,
                f"expected a list of scores, found {scores.dtype}{list(scores.shape)}",
                RECALIBRATE,
            )
        # no score (or only NaN / infinite ones) would give every session a p-value of 1.0;
        # NaN is never a score and would count as above every score
        n_nan = int(np.isnan(scores).sum())
        if n_nan or not np.isfinite(scores).any():
            found = (
                "an empty list" if not scores.size
                else f"{n_nan} NaN among {scores.size} scores" if n_nan
                else f"no finite score among {scores.size}"
            )  # fmt: skip
            raise corrupt_file(path, f"expected normal scores, found {found}", RECALIBRATE)
    except LogbertError as exc:
        if on_bad_file is None:
            raise
        on_bad_file(exc)
        return None
    return scores


def read_pipeline_record(directory: Path, detector: Detector, notes: list[str]) -> dict:
    """pipeline.json, or {} when the model has none. A model the bundle trained (its config
    records `validation_unseen_keys`, which only the bundle writes, since pipeline.json
    existed) lacks it only when it was lost: `notes` then says which checks are skipped."""
    path = directory / PIPELINE_FILE
    if path.exists():
        return read_json(path, expect=dict)
    if "validation_unseen_keys" in detector.training_info_:
        notes.append(
            f"warning: {path} is missing, so the checks that sessions come from the model's "
            "parse run and template set are skipped (and raw logs cannot be read): copy the "
            "whole model directory again"
        )
    return {}


def read_parser(path: Path) -> Parser:
    """The frozen parser saved in parser.json; a state that does not rebuild one is corrupt."""
    state = read_json(path, expect=dict)  # its errors name the file already
    try:
        return Parser.from_state(state)
    except LogbertError as exc:  # the parser's own words, without the file's name
        raise corrupt_file(path, exc) from exc
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise corrupt_file(path, f"not a parser state: {exc!r}") from exc


def read_model_templates(path: Path, notes: list[str]) -> dict[int, str]:
    """The model's templates.csv (key -> text, for naming keys in the evidence); a file that
    holds no template_id,template rows is named in `notes` and its text left out, not lost
    in silence. Only text for explanations: no reason to refuse the model."""
    if not path.exists():
        return {}
    try:
        templates = read_templates(path)
    except LogbertError as exc:
        notes.append(f"warning: {exc}; the template text is left out of the evidence")
        return {}
    if not templates and path.stat().st_size:
        notes.append(
            f"warning: {path} holds no template_id,template rows (a templates.csv from `logbert "
            "parse`); the template text is left out of the evidence"
        )
    return templates


def write_fingerprints(path: Path, fingerprints: Mapping[str, np.ndarray]) -> None:
    """`FINGERPRINTS_FILE`, replaced whole: `logbert calibrate` rewrites it (adding the
    calibration sessions), and a half-written file would lose the training sessions too."""
    tmp = path.with_name(f".{path.name}.partial")
    with open(tmp, "wb") as handle:  # a file object: np.savez would add .npz to the name
        np.savez(handle, **fingerprints)
    os.replace(tmp, path)


def write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(f".{path.name}.partial")
    tmp.write_text(json.dumps(data, indent=1, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def write_templates_csv(path: Path, templates: dict[int, str], counts: Mapping[int, int]) -> None:
    """One row per template: id, text and its events in the training logs (blank when this
    bundle did not read them, e.g. saved again after loading)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["template_id", "template", "count"])
        for tid in sorted(templates):
            out.writerow([tid, templates[tid], counts.get(tid, "")])
