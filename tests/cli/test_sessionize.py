import sys
from datetime import datetime

import pytest

from logbert.cli.main import main
from logbert.sessions.io import read_sessions


def run(monkeypatch, capsys, *args):
    """Run `logbert sessionize ARGS` as a user would; returns (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["logbert", "sessionize", *map(str, args)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


@pytest.fixture
def hdfs_like(make_events, tmp_path):
    events = make_events(
        content=["Receiving blk_1", "Receiving blk_-2", "served blk_1", "nothing", "del blk_3"],
        template_id=[5, 5, 11, 1, 21],
        timestamp=[datetime(2008, 11, 9, 20, 35, s) for s in range(5)],
    )
    labels = tmp_path / "anomaly_label.csv"
    labels.write_text("BlockId,Label\nblk_1,Normal\nblk_-2,Anomaly\n")
    return events, labels


def test_by_id_with_labels_writes_parquet_and_prints_summary(monkeypatch, capsys, hdfs_like):
    events, labels = hdfs_like
    out = events.parent / "out" / "sessions.parquet"
    code, stdout, _ = run(
        monkeypatch, capsys, events, "--by-id", r"blk_-?\d+", "--labels", labels, "--output", out
    )
    assert code == 0
    assert (
        "3 sessions (1 anomaly, 1 normal, 1 unlabelled) from 5 events; 1 events matched no id"
        in stdout
    )
    sessions = read_sessions(out)
    assert [(s.session_id, s.keys, s.label) for s in sessions] == [
        ("blk_1", [5, 11], "normal"),
        ("blk_-2", [5], "anomaly"),
        ("blk_3", [21], None),
    ]
    assert not list(out.parent.glob("*.partial"))


def test_idle_timeout_writes_quiet_sessions_as_they_close(monkeypatch, capsys, hdfs_like):
    events, labels = hdfs_like
    out = events.parent / "sessions.jsonl"
    args = ["--by-id", r"blk_-?\d+", "--labels", labels, "--idle-timeout", "1500ms", "-o", out]
    code, stdout, _ = run(monkeypatch, capsys, events, *args)
    assert code == 0 and "3 sessions (1 anomaly, 1 normal, 1 unlabelled)" in stdout
    # blk_-2 (last seen at second 1) is written when the log reaches second 3, blk_1 at 4
    assert [(s.session_id, s.keys) for s in read_sessions(out)] == [
        ("blk_-2", [5]),
        ("blk_1", [5, 11]),
        ("blk_3", [21]),
    ]


def test_output_format_follows_extension_unless_format_given(monkeypatch, capsys, hdfs_like):
    events, _ = hdfs_like
    jsonl = events.parent / "s.jsonl"
    assert run(monkeypatch, capsys, events, "--by-id", "blk_-?[0-9]+", "-o", jsonl)[0] == 0
    assert [s.keys for s in read_sessions(jsonl)] == [[5, 11], [5], [21]]
    deeplog = events.parent / "s.parquet"
    code, stdout, _ = run(
        monkeypatch, capsys, events, "--by-id", "blk_-?[0-9]+", "-o", deeplog, "--format", "deeplog"
    )
    assert code == 0 and "keys only" in stdout
    assert deeplog.read_text() == "5 11\n5\n21\n"


def test_window_command(monkeypatch, capsys, hdfs_like):
    events, _ = hdfs_like
    out = events.parent / "windows.jsonl"
    code, stdout, _ = run(monkeypatch, capsys, events, "--window", "2s", "--step", "1s", "-o", out)
    assert code == 0
    assert "6 sessions (0 anomaly, 0 normal, 6 unlabelled) from 5 events; 0 events had no" in stdout
    assert [s.n_lines for s in read_sessions(out)] == [1, 2, 2, 2, 2, 1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "exactly one of --by-id REGEX or --window"),
        (["--by-id", "blk", "--window", "5m"], "exactly one of"),
        (["--by-id", "blk_(", "--labels", "{labels}"], "invalid --by-id regex"),
        (["--window", "5 parsecs"], "invalid duration"),
        (["--by-id", "blk", "--step", "1m"], "--step slides time windows"),
        (["--window", "5m", "--labels", "{labels}"], "--labels joins labels by session id"),
        (["--by-id", "blk", "--format", "csv"], "unknown --format 'csv'"),
        (["--by-id", "blk", "--labels", "{bad_labels}"], "expected a CSV header"),
        (["--window", "5m", "--idle-timeout", "1h"], "use it with --by-id"),
        (["--by-id", "blk", "--idle-timeout", "soon"], "invalid duration"),
    ],
)
def test_bad_options_exit_2_with_one_line(monkeypatch, capsys, hdfs_like, args, message):
    events, labels = hdfs_like
    bad_labels = labels.parent / "bad.csv"
    bad_labels.write_text("Block,Kind\nblk_1,Normal\n")
    args = [a.format(labels=labels, bad_labels=bad_labels) for a in args]
    out = events.parent / "never.parquet"
    code, _, stderr = run(monkeypatch, capsys, events, *args, "-o", out)
    assert code == 2
    assert message in " ".join(stderr.split())
    assert "Traceback" not in stderr
    assert not out.exists()


def test_missing_events_and_events_without_timestamps(monkeypatch, capsys, make_events):
    missing = make_events().parent / "absent.parquet"
    code, _, stderr = run(monkeypatch, capsys, missing, "--by-id", "blk", "-o", "x.parquet")
    assert code == 2 and "events file not found" in stderr
    events = make_events("untimed.parquet", content=["blk_1"], template_id=[1])
    out = events.parent / "w.parquet"
    code, _, stderr = run(monkeypatch, capsys, events, "--window", "5m", "-o", out)
    assert code == 2 and "timestamp" in stderr and "Traceback" not in stderr
    assert not out.exists() and not list(events.parent.glob("*.partial"))
