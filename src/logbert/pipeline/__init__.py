"""The pipeline bundle: raw lines (or sessions) in, verdicts out, one model directory."""

from logbert.pipeline.bundle import Pipeline
from logbert.pipeline.files import model_directory
from logbert.pipeline.logs import LogReadSummary

__all__ = ["LogReadSummary", "Pipeline", "model_directory"]
