"""A model trained from tiny raw HDFS-format logs (PCA: instant), saved and loaded."""

from __future__ import annotations

import pytest

from logbert.models.pca import PCADetector
from logbert.pipeline import Pipeline
from logbert.sessions.labels import read_labels
from logbert.sessions.sessionize import SessionizerSettings

BLOCK = r"blk_-?\d+"


def train_model(train_log, train_labels, directory, **settings) -> Pipeline:
    pipeline = Pipeline(
        PCADetector(), sessionizer=SessionizerSettings(by_id=BLOCK, **settings), log_format="hdfs"
    ).fit_logs([str(train_log)], read_labels(train_labels))
    pipeline.save(directory)
    return Pipeline.load(directory)


@pytest.fixture
def model(raw_logs, tmp_path):
    """(loaded pipeline, its directory, test log path)."""
    train_log, test_log, train_labels, _ = raw_logs
    pipeline = train_model(train_log, train_labels, tmp_path / "model")
    return pipeline, tmp_path / "model", test_log


def with_new_template(test_log, tmp_path, name="new.log"):
    """The test log with a line no training line resembles, in the running block blk_1501."""
    lines = test_log.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if "Received block blk_1501" in line)
    lines.insert(at, lines[at].replace("Received block", "Quarantined replica of block"))
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path
