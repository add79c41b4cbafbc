"""logbert: find anomalous sessions in system logs.

Pipeline (one package per stage, data flows one way):
parsing -> sessions -> models -> scoring -> evaluation -> reporting; cli wires them together.

The Python API's main names are importable from here (`from logbert import LogBERT`); they are
imported on first use, so `import logbert` stays light (no torch until a model needs it).
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# PyTorch's CPU threads (OpenMP) spin while waiting under the default ACTIVE policy: beside
# other busy processes (a second logbert, the service's engine, the system the logs come from)
# a small model's training step took 30 times as long (benchmarks/omp_wait.py). Read when
# OpenMP starts, so set before torch is imported; the environment's own choice wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

# public name -> module that defines it (imported on first access)
_LAZY = {
    "Detector": "logbert.models.base",
    "DeepLog": "logbert.models.deeplog",
    "LogBERT": "logbert.models.logbert",
    "LogbertError": "logbert.errors",
    "Pipeline": "logbert.pipeline",
    "Session": "logbert.sessions.io",
    "SessionBatch": "logbert.sessions.batch",
    "SessionizerSettings": "logbert.sessions.sessionize",
    "detector_names": "logbert.models.registry",
    "load_detector": "logbert.models.registry",
}

__all__ = [
    "DeepLog",
    "Detector",
    "LogBERT",
    "LogbertError",
    "Pipeline",
    "Session",
    "SessionBatch",
    "SessionizerSettings",
    "__version__",
    "detector_names",
    "load_detector",
]

if TYPE_CHECKING:
    from logbert.errors import LogbertError
    from logbert.models.base import Detector
    from logbert.models.deeplog import DeepLog
    from logbert.models.logbert import LogBERT
    from logbert.models.registry import detector_names, load_detector
    from logbert.sessions.batch import SessionBatch


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'logbert' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value  # later accesses skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
