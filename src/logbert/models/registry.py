"""Detector names -> classes, so every command can train, load and score any of them.

Each detector module registers itself here by name; `load_detector` reads config.json to pick
the class. Imports are lazy so `logbert --help` stays fast (torch is only imported when needed).

`load_detector` also takes a training checkpoint inside a model directory
(`MODEL/checkpoints/epoch_10.pt`, `best_model.pt`, `checkpoint_step_N.pt`): the model directory
gives the config, vocabulary and threshold, the checkpoint the weights, so an earlier epoch can
be scored without retraining. `describe_model_path` says so in one line for the CLI.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from logbert.errors import LogbertError
from logbert.models.base import Detector, read_config
from logbert.models.checks import readable_load_error

# name -> "module:Class"
DETECTORS: dict[str, str] = {
    "logbert": "logbert.models.logbert:LogBERT",
    "deeplog": "logbert.models.deeplog:DeepLog",
    "pca": "logbert.models.pca:PCADetector",
    "isolation-forest": "logbert.models.isolation_forest:IsolationForestDetector",
    "ocsvm": "logbert.models.ocsvm:OCSVMDetector",
    "logcluster": "logbert.models.logcluster:LogClusterDetector",
    "invariants": "logbert.models.invariants:InvariantsDetector",
    "iqr": "logbert.models.iqr:IQRDetector",
    "new-event": "logbert.models.new_event:NewEventDetector",
    "length": "logbert.models.length:LengthDetector",
    "ecvc": "logbert.models.ecvc:ECVCDetector",
    "ngram": "logbert.models.ngram:NgramDetector",
    "edit-distance": "logbert.models.edit_distance:EditDistanceDetector",
    # supervised (fit needs labels of both classes, see models/supervised.py)
    "knn": "logbert.models.supervised:KNNDetector",
    "decision-tree": "logbert.models.supervised:DecisionTreeDetector",
    "logistic-regression": "logbert.models.supervised:LogisticRegressionDetector",
    "random-forest": "logbert.models.supervised:RandomForestDetector",
    # supervised, fine-tunes the pretrained all-MiniLM-L6-v2 on template text
    "text-classifier": "logbert.models.text_classifier:TextClassifier",
    # combinations (flag when any part flags): the paper's; any other "a+b+..." name, and
    # `combined` (CombinedDetector with its `parts` given in Python), resolve in detector_class
    "new-event+length+ecvc": "logbert.models.combined:NewEventLengthEcvc",
}
CHECKPOINTS_DIR = "checkpoints"
CHECKPOINT_SUFFIX = ".pt"


def detector_names() -> list[str]:
    """The registered detector names, sorted (for help texts and error messages)."""
    return sorted(DETECTORS)


def detector_class(name: str) -> type[Detector]:
    if name not in DETECTORS and ("+" in name or name == "combined"):  # a combination
        combined = importlib.import_module("logbert.models.combined")
        return combined.CombinedDetector if name == "combined" else combined.combination(name)
    if name not in DETECTORS:
        raise LogbertError(f"unknown model {name!r}; valid: {', '.join(detector_names())}")
    module_name, class_name = DETECTORS[name].split(":")
    return getattr(importlib.import_module(module_name), class_name)


def load_detector(
    path: str | Path, *, on_bad_threshold: Callable[[LogbertError], None] | None = None
) -> Detector:
    """Load whichever detector a model directory (or a checkpoint inside one) holds.

    Every error names the file at fault in words fit to show a user: library text quoted by a
    detector's loader is made safe and short here (`readable_load_error`), once for all.
    `on_bad_threshold`: see `Detector.load` (for callers about to replace the threshold).
    """
    path = Path(path)
    checkpoint = _checkpoint_of(path)
    directory = path if checkpoint is None else checkpoint[1]
    name = model_name(read_config(directory), directory)
    try:
        detector = detector_class(name).load(directory, on_bad_threshold=on_bad_threshold)
        if checkpoint is not None:
            load_weights = getattr(detector, "load_checkpoint_weights", None)
            if load_weights is None:
                raise LogbertError(
                    f"{path}: {name} models have no training checkpoints; give the model "
                    f"directory {directory}"
                )
            load_weights(path)
    except LogbertError as exc:
        readable = readable_load_error(exc)
        if readable is exc:
            raise
        raise readable from exc.__cause__
    return detector


def model_name(config: dict, directory: str | Path) -> str:
    """The detector name `config` (the directory's config.json) records, refused unless it
    is a registered detector or a `+`-joined combination of them (checked without importing
    the detector, so a report stays light)."""
    name = config.get("model")
    path = Path(directory) / "config.json"
    if not isinstance(name, str) or not name:
        raise LogbertError(f"{path} does not name its model; retrain the model")
    parts = [part.strip() for part in name.split("+")]
    if name != "combined" and not all(part in DETECTORS for part in parts):
        raise LogbertError(
            f"{path}: unknown model {name!r}; valid: {', '.join(detector_names())} (or "
            "combinations joined by +); retrain the model"
        )
    return name


def describe_model_path(path: str | Path) -> str | None:
    """A one-line note when `path` is a checkpoint file rather than a model directory."""
    checkpoint = _checkpoint_of(Path(path))
    if checkpoint is None:
        return None
    file, directory = checkpoint
    return (
        f"using weights of checkpoint {file.name} with the vocabulary and threshold of {directory}"
    )


def _checkpoint_of(path: Path) -> tuple[Path, Path] | None:
    """(checkpoint file, its model directory) when `path` names a checkpoint file, else None."""
    if path.suffix != CHECKPOINT_SUFFIX or path.is_dir():
        return None
    if not path.is_file():
        raise LogbertError(f"checkpoint not found: {path}")
    folder = path.parent if path.parent.name else path.absolute().parent
    directory = folder.parent
    if folder.name == CHECKPOINTS_DIR and not (directory / "config.json").is_file():
        # QA FreeRADIUS: a run killed before it saved its model was told the checkpoint lay
        # outside a checkpoints/ folder
        raise LogbertError(
            f"{path} is a checkpoint of a training that saved no model in {directory} (no "
            "config.json: it was stopped before the end); finish it with the same `train` "
            "command and --resume, then use the model directory"
        )
    if folder.name != CHECKPOINTS_DIR:
        raise LogbertError(
            f"{path} is a checkpoint file outside a model's {CHECKPOINTS_DIR}/ folder; give a "
            f"model directory (with config.json) or MODEL/{CHECKPOINTS_DIR}/<checkpoint>.pt"
        )
    return path, directory
