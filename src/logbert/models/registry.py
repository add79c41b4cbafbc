"""Detector names -> classes, so every command can train, load and score any of them.

Each detector module registers itself here by name; `load_detector` reads config.json to pick
the class. Imports are lazy so `logbert --help` stays fast (torch is only imported when needed).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from logbert.errors import LogbertError
from logbert.models.base import Detector, read_config

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
}


def detector_class(name: str) -> type[Detector]:
    if name not in DETECTORS:
        raise LogbertError(f"unknown model {name!r}; valid: {', '.join(sorted(DETECTORS))}")
    module_name, class_name = DETECTORS[name].split(":")
    return getattr(importlib.import_module(module_name), class_name)


def load_detector(directory: str | Path) -> Detector:
    """Load whichever detector a model directory holds."""
    name = read_config(directory).get("model")
    if name is None:
        raise LogbertError(f"{directory}/config.json does not name its model")
    return detector_class(name).load(directory)
