"""Protocol builders: the time split, the datasets folder, and (slow) the real HDFS data."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from logbert.errors import LogbertError
from logbert.evaluation.protocols import build_protocol, protocol_a, split_by_time
from logbert.sessions.io import Session

T0 = datetime(2008, 11, 9, 20, 0)


def _session(i: int, hours: float, label: str = "normal") -> Session:
    start = T0 + timedelta(hours=hours)
    return Session(f"b{i}", [1, 2], label, start=start, end=start + timedelta(minutes=5))


def test_split_by_time_uses_the_midpoint_of_the_span():
    sessions = [_session(0, 0), _session(1, 3), _session(2, 5, "anomaly"), _session(3, 9 + 55 / 60)]
    first, second, midpoint = split_by_time(sessions)
    assert midpoint == T0 + timedelta(hours=5)
    assert [s.session_id for s in first] == ["b0", "b1"]
    assert [s.session_id for s in second] == ["b2", "b3"]
    with pytest.raises(LogbertError, match="start times"):
        split_by_time([Session("x", [1])])


def test_unknown_protocol_and_missing_data(tmp_path):
    with pytest.raises(LogbertError, match="valid: A, B"):
        build_protocol("C", tmp_path, tmp_path)
    with pytest.raises(LogbertError, match="not found"):
        protocol_a(tmp_path, tmp_path / "work")


@pytest.mark.slow
def test_protocols_on_real_hdfs(data_dir, tmp_path):
    a = build_protocol("A", data_dir, tmp_path)
    assert a.info == {"n_train": 4855, "n_test": 11501, "n_test_anomalies": 350}
    keys = {k for s in a.train for k in s.keys}
    assert keys <= set(range(1, 30)) and all(s.label for s in a.test)
    b = build_protocol("B", data_dir, tmp_path)
    assert all(s.label == "normal" for s in b.train)
    assert b.info["n_train"] + b.info["n_test"] + b.info["first_half_anomalies_left_out"] == 11501
    assert max(s.start for s in b.train) < min(s.start for s in b.test)


def test_datasets_dir_reads_the_environment_or_sits_beside_the_project(tmp_path, monkeypatch):
    from logbert.evaluation.datasets import datasets_dir

    monkeypatch.setenv("LOGBERT_DATA", str(tmp_path / "data"))
    assert datasets_dir() == tmp_path / "data"
    monkeypatch.delenv("LOGBERT_DATA")
    assert datasets_dir(tmp_path / "project") == tmp_path / "shared" / "datasets"
