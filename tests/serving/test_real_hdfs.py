"""On the real HDFS 2% log, streaming the lines through the engine 1,000 at a time, then
`flush()`, flags exactly the sessions `logbert score MODEL --logs` flags (PCA stands in for
LogBERT: the sessions, the open marking and the threshold are the bundle's)."""

from __future__ import annotations

import gzip

import pytest

from logbert.models.pca import PCADetector
from logbert.pipeline import Pipeline
from logbert.serving.engine import DetectionEngine
from logbert.sessions.labels import read_labels
from logbert.sessions.sessionize import SessionizerSettings

RAW = "HDFS_v1_loglead_2pct/HDFS_2pct.log.gz"
LABELS = "HDFS_v1_loglead_2pct/anomaly_label_2pct.csv"


@pytest.mark.slow
def test_streaming_the_hdfs_log_flags_what_score_logs_flags(data_dir, tmp_path):
    raw, labels = str(data_dir / RAW), read_labels(data_dir / LABELS)
    Pipeline(
        PCADetector(), sessionizer=SessionizerSettings(by_id=r"blk_-?\d+"), log_format="hdfs"
    ).fit_logs([raw], labels).save(tmp_path / "model")
    pipeline = Pipeline.load(tmp_path / "model")
    expected = {r["session_id"]: r for b in pipeline.score_logs([raw]) for r in b}
    flagged = {i for i, r in expected.items() if r["is_anomaly"]}

    rows = []
    engine = DetectionEngine(pipeline, on_row=rows.append)
    alerts = []
    with gzip.open(raw, "rt", encoding="utf-8", errors="replace") as handle:
        chunk = []
        for line in handle:
            chunk.append(line.rstrip("\n"))
            if len(chunk) == 1000:
                alerts += engine.push_lines(chunk, "HDFS_2pct.log.gz")
                chunk = []
        alerts += engine.push_lines(chunk, "HDFS_2pct.log.gz") + engine.flush()

    assert engine.counters.lines_accepted == 222_579 and engine.counters.lines_rejected == 0
    by_id = {r["session_id"]: r for r in rows}
    assert len(by_id) == len(expected) == 11_501
    assert {i for i, r in by_id.items() if r["is_anomaly"]} == flagged
    assert [by_id[i]["open"] for i in expected] == [r["open"] for r in expected.values()]
    assert sum(r["open"] for r in rows) > 0
    # alerts: every flagged session once; early ones (keys PCA never saw) may add sessions
    alerted = [a["session_id"] for a in alerts]
    assert len(alerted) == len(set(alerted))
    assert {a["session_id"] for a in alerts if not a["early"]} <= flagged
    assert flagged <= set(alerted)
    assert all(
        a["reason"].startswith(("new template ", "key ")) for a in alerts if a["early"]
    )  # a template the parser did not know, or a key the detector never saw in training
