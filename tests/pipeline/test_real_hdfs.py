"""On the real HDFS 2% log, raw logs through the bundle equal the step-by-step path.

PCA stands in for LogBERT (the sessions, the open marking, the split and the threshold are
the bundle's, whatever the detector; `benchmarks/logs_path.py` runs the same check with
LogBERT, as the CLI does).
"""

from __future__ import annotations

import numpy as np
import pytest

from logbert.models.pca import PCADetector
from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files
from logbert.pipeline import LogReadSummary, Pipeline
from logbert.sessions.labels import read_labels
from logbert.sessions.sessionize import SessionizerSettings, SessionizeStats, sessionize_by_id

RAW = "HDFS_v1_loglead_2pct/HDFS_2pct.log.gz"
LABELS = "HDFS_v1_loglead_2pct/anomaly_label_2pct.csv"
BLOCK = r"blk_-?\d+"


@pytest.mark.slow
def test_logs_in_equals_parse_sessionize_train_score(data_dir, tmp_path):
    raw, labels = str(data_dir / RAW), read_labels(data_dir / LABELS)
    bundle = Pipeline(
        PCADetector(), sessionizer=SessionizerSettings(by_id=BLOCK), log_format="hdfs"
    ).fit_logs([raw], labels)
    bundle.save(tmp_path / "model")
    bundle = Pipeline.load(tmp_path / "model")
    summary = LogReadSummary()
    by_logs = {r["session_id"]: r for b in bundle.score_logs([raw], summary) for r in b}
    assert summary.lines == 222_579 and summary.rejected == 0 and summary.new_templates == 0

    events = tmp_path / "events.parquet"
    parse_files([raw], resolve_format("hdfs"), events)
    sessions = list(sessionize_by_id(events, BLOCK, SessionizeStats(), labels))
    steps = Pipeline(PCADetector()).fit(sessions)
    by_steps = {r["session_id"]: r for r in steps.score(sessions)}

    assert len(by_logs) == len(by_steps) == 11_501 and set(by_logs) == set(by_steps)
    ids = sorted(by_steps)
    np.testing.assert_allclose(
        [by_logs[i]["score"] for i in ids], [by_steps[i]["score"] for i in ids], rtol=1e-6
    )
    assert bundle.threshold_.value == pytest.approx(steps.threshold_.value, rel=1e-6)
    assert [by_logs[i]["is_anomaly"] for i in ids] == [by_steps[i]["is_anomaly"] for i in ids]
    assert [by_logs[i]["open"] for i in ids] == [by_steps[i]["open"] for i in ids]
    assert sum(r["open"] for r in by_logs.values()) > 0  # the log ends with blocks still open
