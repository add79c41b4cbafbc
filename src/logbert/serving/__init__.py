"""Serving stage: online detection. `DetectionEngine` (raw lines in, alerts out, resumable
from a JSON snapshot) and the `logbert watch` loop (`Watcher`: files followed like `tail -F`,
state saved after each batch)."""

from logbert.serving.engine import DetectionEngine, EngineCounters

__all__ = ["DetectionEngine", "EngineCounters"]
