"""`logbert split` as a user runs it: what it writes, removes and says."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from logbert.cli.main import main
from logbert.sessions.io import Session, read_sessions, write_sessions

T0 = datetime(2024, 1, 1)


def run(monkeypatch, capsys, *args):
    """Run `logbert split ARGS`; returns (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["logbert", "split", *map(str, args)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def sessions_file(tmp_path, n=20, labelled=True, timed=True, name="s.jsonl"):
    sessions = [
        Session(f"s{i}", [1, 2], ("anomaly" if i % 5 == 0 else "normal") if labelled else None,
                start=T0 + timedelta(minutes=i) if timed or i % 10 else None)
        for i in range(n)
    ]  # fmt: skip
    path = tmp_path / name
    write_sessions(sessions, path)
    return path


def test_a_new_split_removes_the_parts_it_does_not_write(monkeypatch, capsys, tmp_path):
    """An old test file was left beside a new train file holding its sessions."""
    source, parts = sessions_file(tmp_path), tmp_path / "parts"
    assert run(monkeypatch, capsys, source, "-o", parts)[0] == 0
    (parts / "test.jsonl").write_text("")  # an even older split, in another format
    code, _, stderr = run(monkeypatch, capsys, source, "-o", parts, "--train", "0.9",
                          "--validation", "0.1", "--test", "0")  # fmt: skip
    assert code == 0
    assert sorted(p.name for p in parts.iterdir()) == ["train.parquet", "validation.parquet"]
    said = " ".join(stderr.split())
    for name in ("test.parquet", "test.jsonl"):
        assert f"removed {parts / name}: an earlier split's part that this split does not" in said
    assert len(read_sessions(parts / "train.parquet")) == 18
    code, _, stderr = run(monkeypatch, capsys, source, "-o", parts, "--format", "jsonl")
    assert code == 0 and "removed" in stderr
    assert sorted(p.name for p in parts.iterdir()) == ["test.jsonl", "train.jsonl",
                                                        "validation.jsonl"]  # fmt: skip


def test_the_input_file_is_never_removed(monkeypatch, capsys, tmp_path):
    parts = tmp_path / "parts"
    source = sessions_file(parts, name="test.jsonl")
    assert run(monkeypatch, capsys, source, "-o", parts)[0] == 0
    assert source.is_file() and (parts / "test.parquet").is_file()


def test_unlabelled_parts_and_why_auto_split_at_random(monkeypatch, capsys, tmp_path):
    source = sessions_file(tmp_path, labelled=False, timed=False)
    code, stdout, _ = run(monkeypatch, capsys, source, "-o", tmp_path / "parts")
    assert code == 0
    assert "train: 12 sessions (unlabelled) ->" in stdout and "anomalous" not in stdout
    assert stdout.rstrip().endswith(
        "split 20 sessions by random (seed 0): 2 of 20 sessions have no start time, so not by "
        "time (--by time needs every session timed)"
    )
    labelled = sessions_file(tmp_path, name="labelled.jsonl")
    code, stdout, _ = run(monkeypatch, capsys, labelled, "-o", tmp_path / "p2")
    assert "train: 12 sessions (3 anomalous, starting" in stdout
    assert stdout.rstrip().endswith("split 20 sessions by time")


def test_a_zero_train_share_says_so(monkeypatch, capsys, tmp_path):
    args = ["--train", "0", "--validation", "0.3", "--test", "0.7"]
    code, _, stderr = run(monkeypatch, capsys, sessions_file(tmp_path), "-o", tmp_path / "p", *args)
    assert code == 2 and "the train share is 0" in stderr and "too few" not in stderr


def test_epoch_start_times_split_by_time(monkeypatch, capsys, tmp_path):
    """A Parquet `start` of epoch seconds crashed with a traceback."""
    source = tmp_path / "epoch.parquet"
    ids, starts = [f"s{i}" for i in range(20)], [1704067200 + 60 * i for i in range(20)]
    pq.write_table(pa.table({"session_id": ids, "keys": [[1, 2]] * 20, "start": starts}), source)
    code, stdout, stderr = run(monkeypatch, capsys, source, "-o", tmp_path / "p")
    assert code == 0 and "Traceback" not in stderr
    assert "train: 12 sessions (unlabelled, starting 2024-01-01T00:00:00 to " in stdout


def test_sliding_windows_split_by_time_warn_that_boundary_windows_share_lines(
    monkeypatch, capsys, tmp_path
):
    """Windows of 5 minutes every minute: the first validation windows hold training lines."""
    import json

    from logbert.sessions.settings import SESSIONIZER_KEY, SessionizerSettings

    windows = [
        Session(f"@{i}", [1, 2], "normal", start=T0 + timedelta(minutes=i),
                end=T0 + timedelta(minutes=i + 4))
        for i in range(40)
    ]  # fmt: skip
    for step, expected in (("1m", True), ("5m", False)):
        cut = SessionizerSettings(window="5m", step=step).to_dict()
        path = tmp_path / f"w{step}.parquet"
        write_sessions(windows, path, metadata={SESSIONIZER_KEY: json.dumps(cut)})
        code, _, err = run(monkeypatch, capsys, path, "-o", tmp_path / f"p{step}")
        assert code == 0, err
        assert ("validation windows" in err and "share lines" in err) is expected, err
    # QA: at random, nearly every test window shared lines with training windows (BGL F1 0.99
    # against 0.73 with tumbling windows), with no word: refused; tumbling windows split
    for step, refused in (("1m", True), ("5m", False)):
        code, _, err = run(monkeypatch, capsys, tmp_path / f"w{step}.parquet", "--by", "random",
                           "-o", tmp_path / f"r{step}")  # fmt: skip
        assert (code == 2) is refused, err
        assert ("holds sliding windows (--window 5m --step 1m)" in err) is refused
    lines = SessionizerSettings(lines=100, step="20").to_dict()
    write_sessions(windows, tmp_path / "l.parquet", metadata={SESSIONIZER_KEY: json.dumps(lines)})
    code, _, err = run(monkeypatch, capsys, tmp_path / "l.parquet", "--by", "random",
                       "-o", tmp_path / "rl")  # fmt: skip
    assert code == 2 and "(--lines 100 --step 20)" in err


def test_sliding_windows_in_json_lines_are_told_by_their_times(monkeypatch, capsys, tmp_path):
    """JSON Lines record no session settings: a sliding-window file split at random went
    through without a word. Time windows are named by their start and span start to end,
    so overlapping ones show; windows of a field value overlap only their own value's."""
    for step, sliding in ((1, True), (5, False)):
        windows = [
            Session(f"{host}@{(T0 + timedelta(minutes=i)).isoformat()}", [1, 2], "normal",
                    start=T0 + timedelta(minutes=i), end=T0 + timedelta(minutes=i + 5))
            for i in range(0, 60, step) for host in ("web1", "web2")
        ]  # fmt: skip
        path = tmp_path / f"w{step}.jsonl"
        write_sessions(windows, path)
        code, _, err = run(monkeypatch, capsys, path, "--by", "random", "-o", tmp_path / "r")
        assert (code == 2) is sliding, err
        assert ("holds sliding windows (time windows of 0:05:00 that overlap)" in err) is sliding
        code, _, err = run(monkeypatch, capsys, path, "-o", tmp_path / f"t{step}")
        assert code == 0 and ("share lines with the part before them" in err) is sliding, err
    by_id = sessions_file(tmp_path, n=40)  # sessions by id may overlap in time: not windows
    code, _, err = run(monkeypatch, capsys, by_id, "--by", "random", "-o", tmp_path / "i")
    assert code == 0, err


def test_parts_record_the_whole_logs_end_so_train_sessions_are_not_open(
    monkeypatch, capsys, tmp_path
):
    """The train part ends where validation begins: its last sessions were complete in the
    log, and training called them "may still be running" (the part's end is not the log's)."""
    from logbert.sessions.io import read_file_metadata
    from logbert.sessions.lifecycle import LOG_END_KEY, file_log_end

    sessions = [
        Session(f"s{i}", [1, 2], "normal", start=T0 + timedelta(minutes=i),
                end=T0 + timedelta(minutes=i + 2))
        for i in range(40)
    ]  # fmt: skip
    path = tmp_path / "s.parquet"
    write_sessions(sessions, path)
    code, _, err = run(monkeypatch, capsys, path, "-o", tmp_path / "parts")
    assert code == 0, err
    train = tmp_path / "parts" / "train.parquet"
    last = T0 + timedelta(minutes=41)
    assert read_file_metadata(train)[LOG_END_KEY] == last.isoformat()
    assert file_log_end(train) == last  # not the train part's own last event
    assert max(s.end for s in read_sessions(train)) < last
