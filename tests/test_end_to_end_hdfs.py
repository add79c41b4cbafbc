"""Real data through the real CLI: raw logs -> `logbert parse` -> `logbert sessionize`."""

import csv
import subprocess
import sys
from datetime import datetime

import pytest

from logbert.sessions.io import read_sessions


def logbert(*args) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "logbert.cli.main", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.slow
def test_hdfs_2pct_parse_and_sessionize_by_block(data_dir, tmp_path):
    folder = data_dir / "HDFS_v1_loglead_2pct"
    labels = folder / "anomaly_label_2pct.csv"
    events = tmp_path / "events.parquet"
    logbert("parse", folder / "HDFS_2pct.log.gz", "--format", "hdfs", "--output", events)
    result = logbert(
        "sessionize", events, "--by-id", r"blk_-?\d+", "--labels", labels,
        "--output", tmp_path / "sessions.parquet",
    )  # fmt: skip
    assert (
        "11,501 sessions (350 anomaly, 11,151 normal, 0 unlabelled) from 222,579 events; "
        "0 events matched no id" in result.stdout
    )
    sessions = read_sessions(tmp_path / "sessions.parquet")
    assert len(sessions) == 11501
    assert sum(s.label == "anomaly" for s in sessions) == 350
    assert sum(s.n_lines for s in sessions) == 222579  # no line names two blocks in this sample
    with open(labels, newline="") as handle:
        in_log_order = [row["BlockId"] for row in csv.DictReader(handle)]
    assert [s.session_id for s in sessions] == in_log_order  # order of first appearance
    assert all(s.start <= s.end for s in sessions)

    # --idle-timeout: a day exceeds every quiet gap in this 38.6 h sample, so the same blocks come
    # out (in the order they went quiet); an hour splits blocks whose deletion came later
    whole = {s.session_id: (s.keys, s.label) for s in sessions}
    day = tmp_path / "day.parquet"
    logbert("sessionize", events, "--by-id", r"blk_-?\d+", "--labels", labels,
            "--idle-timeout", "1d", "--output", day)  # fmt: skip
    assert {s.session_id: (s.keys, s.label) for s in read_sessions(day)} == whole
    hour = logbert("sessionize", events, "--by-id", r"blk_-?\d+", "--idle-timeout", "1h",
                   "--output", tmp_path / "hour.parquet")  # fmt: skip
    split = read_sessions(tmp_path / "hour.parquet")
    reopened = len(split) - len(sessions)
    assert reopened > 0 and f"{reopened:,} ids came back" in hour.stdout
    assert sum(s.n_lines for s in split) == 222579  # split, not lost


@pytest.mark.slow
def test_bgl_2k_hourly_windows_labelled_by_alert_lines(data_dir, tmp_path):
    folder = data_dir / "loghub2_2k_corrected" / "BGL"
    events = tmp_path / "events.parquet"
    logbert("parse", folder / "BGL_2k.log", "--format", "bgl", "--output", events)
    result = logbert("sessionize", events, "--window", "1h", "--output", tmp_path / "w.jsonl")

    # expected, straight from loghub's structured CSV: hours with lines, hours with an alert
    with open(folder / "BGL_2k.log_structured_corrected.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    stamps = [datetime.strptime(r["Time"], "%Y-%m-%d-%H.%M.%S.%f") for r in rows]
    hour = [t.replace(minute=0, second=0, microsecond=0) for t in stamps]
    alert_hours = {h for h, r in zip(hour, rows, strict=True) if r["Label"] != "-"}
    sessions = read_sessions(tmp_path / "w.jsonl")
    # (each window by its id's hour: the first starts at the log's first line, which cut it)
    starts = [datetime.fromisoformat(s.session_id) for s in sessions]
    assert starts == sorted(set(hour)) and sessions[0].start == min(stamps)
    assert [s.start for s in sessions[1:]] == starts[1:]
    assert {h for h, s in zip(starts, sessions, strict=True) if s.label == "anomaly"} == alert_hours
    assert sum(s.n_lines for s in sessions) == len(rows) == 2000
    assert "from 2,000 events; 0 events had no timestamp" in result.stdout
