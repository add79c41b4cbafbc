"""Raw logs in time windows (`train/score/evaluate --logs --window`): files whose times
interleave (two hosts, rotated files) lose no event; late events that remain are a warning
note, an error when most are lost."""

from pathlib import Path

import pytest

import logbert.sessions.sessionize as sessionize_module
from logbert.errors import LogbertError
from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import Parser
from logbert.pipeline.logs import LogReadSummary, read_log_sessions
from logbert.sessions.sessionize import SessionizerSettings

from ..conftest import write_log


def hosts(tmp_path, n: int) -> list[str]:
    """`n` HDFS logs of the same ten minutes (ten blocks each, three lines a block)."""
    files = []
    for host in range(n):
        path = tmp_path / f"host{host}.log"
        write_log(path, 10, offset=100 * host)
        files.append(str(path))
    return files


def read(files: list[str], window: str = "1m"):
    summary = LogReadSummary()
    settings = SessionizerSettings(window=window)
    sessions = list(read_log_sessions(Parser(resolve_format("hdfs")), settings, files, summary))
    return sessions, summary


def unsorted(events, batch_size, where, undated_last=True):
    """Windowing as a live stream would: the events in the order they were read."""
    yield events


def test_files_that_interleave_lose_no_event(tmp_path):
    sessions, summary = read(hosts(tmp_path, 2))
    assert len(sessions) == 10
    assert [s.n_lines for s in sessions] == [6] * 10  # a block of each host in every minute
    assert not any("warning" in note for note in summary.notes)
    assert "late" not in summary.line()


def test_late_events_that_remain_are_a_warning_note(tmp_path, monkeypatch):
    monkeypatch.setattr(sessionize_module, "sorted_by_time", unsorted)
    sessions, summary = read(hosts(tmp_path, 2))
    # host1's minutes 0-7 came after host0 reached minute 9: their windows were written
    assert sum(s.n_lines for s in sessions) == 60 - 24
    warnings = [note for note in summary.notes if note.startswith("warning: ")]
    assert len(warnings) == 1 and warnings[0].startswith("warning: 24 of 60 timestamped events")
    assert summary.line().splitlines()[-1].startswith("60 lines read")  # its own line


def test_most_events_late_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(sessionize_module, "sorted_by_time", unsorted)
    files = hosts(tmp_path, 3)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(LogbertError, match=r"^host0.log, host1.log, host2.log: 48 of 90 "):
        read([Path(f).name for f in files])


def test_time_order_does_not_depend_on_the_order_the_files_were_given(tmp_path):
    """QA: HDFS datanode and namenode lines share seconds; with `--order time` ties kept the
    order the files were given in, and 5,807 of 6,802 blocks got other sequences when the
    files were swapped. Equal times go by input name and line."""
    datanode, namenode = tmp_path / "dn.log", tmp_path / "nn.log"
    block = "blk_{}"
    datanode.write_text("".join(
        f"081109 2035{i % 10:02d} 35 INFO dfs.DataNode$PacketResponder: Received block "
        f"{block.format(i)} of size 91178 from /10.250.10.6\n" for i in range(20)
    ))  # fmt: skip
    namenode.write_text("".join(
        f"081109 2035{i % 10:02d} 19 INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: "
        f"blockMap updated: 10.251.73.220:50010 is added to {block.format(i)} size 91178\n"
        for i in range(20)
    ))  # fmt: skip
    settings = SessionizerSettings(by_id=r"blk_-?\d+", order="time")
    learned = Parser(resolve_format("hdfs"))
    list(learned.iter_chunks([str(datanode), str(namenode)]))  # both runs share template ids

    def sequences(files):
        parser = Parser.from_state(learned.to_state())
        found = read_log_sessions(parser, settings, [str(f) for f in files], LogReadSummary())
        return {s.session_id: s.keys for s in found}

    first = sequences([datanode, namenode])
    assert first == sequences([namenode, datanode])
    assert len(first) == 20 and all(len(keys) == 2 for keys in first.values())
