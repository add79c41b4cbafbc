"""`logbert sessionize --window` on events out of time order: nothing lost; events that still
come too late are a warning line on stderr, an error (exit 2, no output) when most are lost."""

import sys
from datetime import datetime, timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from logbert.cli.main import main
from logbert.sessions.io import read_sessions

T0 = datetime(2005, 6, 3, 15, 0, 0)


def run(monkeypatch, capsys, *args):
    monkeypatch.setattr(sys, "argv", ["logbert", "sessionize", *map(str, args)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def events(tmp_path, minutes: list[int]):
    path = tmp_path / "events.parquet"
    times = [T0 + timedelta(minutes=m) for m in minutes]
    pq.write_table(
        pa.table({"template_id": list(range(len(times))), "timestamp": times}),
        path,
        row_group_size=2,
    )
    return path


def streamed(events, sessionizer, batch_size=0, progress=None):
    """The windowing of a live stream: the file's events as they are, unsorted."""
    yield from sessionizer.push(pq.read_table(events))
    yield from sessionizer.flush()


def test_an_unsorted_log_loses_no_event(monkeypatch, capsys, tmp_path):
    # HPC-like: the events jump back by an hour, twice
    path = events(tmp_path, [60, 61, 0, 1, 120, 2, 62])
    out = tmp_path / "win.jsonl"
    code, stdout, stderr = run(monkeypatch, capsys, path, "--window", "5m", "-o", out)
    assert code == 0
    assert "3 sessions" in stdout and "from 7 events" in stdout
    assert "warning" not in stderr and "late" not in stdout.splitlines()[0]
    assert [s.keys for s in read_sessions(out)] == [[2, 3, 5], [0, 1, 6], [4]]


def test_late_events_that_remain_are_a_warning_line(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr("logbert.cli.sessionize.sessionize_file", streamed)
    path = events(tmp_path, [0, 1, 20, 2, 21, 22])  # 2 is late
    out = tmp_path / "win.jsonl"
    code, stdout, stderr = run(monkeypatch, capsys, path, "--window", "5m", "-o", out)
    assert code == 0 and out.exists()
    assert "late" not in stdout.splitlines()[0]  # not a clause of the summary
    warning = [line for line in stderr.splitlines() if line.startswith("warning: ")]
    assert len(warning) == 1
    assert warning[0].startswith("warning: 1 of 6 timestamped events (16.7%) came more than")


def test_most_events_late_is_an_error_and_writes_nothing(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr("logbert.cli.sessionize.sessionize_file", streamed)
    path = events(tmp_path, [60, 0, 1, 2, 3])
    out = tmp_path / "win.parquet"
    code, stdout, stderr = run(monkeypatch, capsys, path, "--window", "5m", "-o", out)
    assert code == 2
    assert "4 of 5 timestamped events (80.0%) came more than a window late" in stderr
    assert "Traceback" not in stderr
    assert not out.exists() and not list(tmp_path.glob("*.partial"))
