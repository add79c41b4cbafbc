"""The parse pipeline on tiny inline inputs: columns, ids, rejects, bad input, state."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from logbert.errors import LogbertError
from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files

HDFS_LINES = [
    "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block "
    "blk_38865049064139660 terminating",
    "081109 203807 222 INFO dfs.DataNode$PacketResponder: PacketResponder 0 for block "
    "blk_-6952295868487656571 terminating",
    "081109 204005 35 INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap "
    "updated: 10.251.73.220:50010 is added to blk_7128370237687728475 size 67108864",
    "081109 204015 308 INFO dfs.DataNode$PacketResponder: PacketResponder 2 for block "
    "blk_8229193803249955061 terminating",
]


def _write(path: Path, lines: list[str], gz: bool = False) -> Path:
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def _parse(tmp_path: Path, inputs: list[Path | str], fmt: str = "hdfs", **kw):
    out = tmp_path / "events.parquet"
    summary = parse_files([str(p) for p in inputs], resolve_format(fmt), out, **kw)
    return summary, pq.read_table(out).to_pylist(), out


def test_columns_ids_params_and_templates_csv(tmp_path):
    log = _write(tmp_path / "a.log", HDFS_LINES, gz=True)
    summary, rows, out = _parse(tmp_path, [log])
    assert summary.lines == 4 and summary.rejected == 0 and summary.templates == 2
    first = rows[0]
    assert first["line_no"] == 1 and first["source"] == "a.log"
    assert str(first["timestamp"]) == "2008-11-09 20:36:15"
    assert first["Pid"] == "148" and first["Component"] == "dfs.DataNode$PacketResponder"
    assert first["template"] == "PacketResponder <*> for block <*> terminating"
    assert first["params"] == ["1", "blk_38865049064139660"]
    assert first["label"] is None
    ids = [r["template_id"] for r in rows]
    assert ids[0] == ids[1] == ids[3] != ids[2]
    csv_text = (tmp_path / "templates.csv").read_text().splitlines()
    assert csv_text[0] == "template_id,template,count"
    assert any(line.endswith(",3") for line in csv_text[1:])
    assert "4 lines, 2 templates, 0 rejected" in summary.line()


def test_rejected_lines_are_counted_and_written(tmp_path):
    log = _write(tmp_path / "a.log", [HDFS_LINES[0], "garbage line", HDFS_LINES[1]])
    summary, rows, _ = _parse(tmp_path, [log])
    assert summary.rejected == 1 and [r["line_no"] for r in rows] == [1, 3]
    rejects = (tmp_path / "events.rejects.txt").read_text().splitlines()
    assert rejects[1] == "a.log\t2\tgarbage line"


def test_bgl_label_and_timestamp(tmp_path):
    line = (
        "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 "
        "R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected"
    )
    alert = "APPREAD" + line[1:]
    summary, rows, _ = _parse(tmp_path, [_write(tmp_path / "b.log", [line, alert])], "bgl")
    assert [r["label"] for r in rows] == ["-", "APPREAD"]
    assert str(rows[0]["timestamp"]) == "2005-06-03 15:42:50.675872"
    assert rows[0]["content"] == "instruction cache parity error corrected"


def test_custom_format_string_and_raw(tmp_path):
    log = _write(tmp_path / "c.log", ["2024-01-02 INFO started 3 workers", "2024-01-02 WARN x"])
    _, rows, _ = _parse(tmp_path, [log], "<Date> <Level> <Content>")
    assert rows[0]["Level"] == "INFO" and rows[0]["content"] == "started 3 workers"
    _, rows, _ = _parse(tmp_path, [log], "raw")
    assert rows[1]["content"] == "2024-01-02 WARN x" and rows[1]["timestamp"] is None


def test_state_keeps_ids_and_adds_new_ones(tmp_path):
    state = tmp_path / "miner.json"
    first = _write(tmp_path / "1.log", HDFS_LINES[:2])
    _, rows1, _ = _parse(tmp_path, [first], state=state)
    saved = json.loads(state.read_text())
    assert saved["parser"] == "logbert" and len(saved["templates"]) == 1
    assert saved["templates"][0]["count"] == 2  # lines seen over all runs
    second = _write(tmp_path / "2.log", [HDFS_LINES[2], HDFS_LINES[3]])
    _, rows2, _ = _parse(tmp_path, [second], state=state)
    assert rows2[1]["template_id"] == rows1[0]["template_id"]
    assert rows2[0]["template_id"] not in {r["template_id"] for r in rows1}


def test_templates_file_maps_ek_to_k(tmp_path):
    tpl = tmp_path / "t.csv"
    tpl.write_text(
        "EventId,EventTemplate\nE3,[*]PacketResponder[*]for block[*]terminating[*]\n"
        "E7,[*]addStoredBlock: blockMap updated:[*]is added to[*]size[*]\n"
    )
    lines = [*HDFS_LINES, "081109 204015 308 INFO dfs.X: something else"]
    summary, rows, _ = _parse(tmp_path, [_write(tmp_path / "a.log", lines)], templates=tpl)
    assert [r["template_id"] for r in rows] == [3, 3, 7, 3, None]
    assert summary.unmatched == 1 and "1 unmatched" in summary.line()
    assert rows[0]["params"][2] == "blk_38865049064139660"


def test_streaming_chunks_share_templates_and_no_phantoms(tmp_path):
    names = ["admin", "oracle", "test", "guest", "bob", "pi", "ftp", "www", "sam", "zed"]
    lines = [f"Invalid user {names[i % 10]} from 10.0.{i % 7}.{i}" for i in range(300)]
    lines += ["open via SOCKS5 now", "open via HTTPS now"] * 3
    log = _write(tmp_path / "s.log", lines)
    summary, rows, _ = _parse(tmp_path, [log], "raw", block_bytes=700)
    assert len({r["template_id"] for r in rows[:300]}) == 1
    assert rows[0]["template"] == "Invalid user <*> from <*>"
    text = (tmp_path / "templates.csv").read_text().splitlines()[1:]
    assert all(not line.endswith(",0") for line in text)  # every template has lines
    assert rows[300]["template"] != rows[301]["template"]


# -- bad input --------------------------------------------------------------------------------
def test_empty_file_is_an_error_and_writes_nothing(tmp_path):
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    with pytest.raises(LogbertError, match=r"empty\.log: no lines to parse \(empty input\)"):
        _parse(tmp_path, [empty])
    assert not (tmp_path / "events.parquet").exists()
    assert not (tmp_path / "events.rejects.txt").exists()


def test_undecodable_bytes_are_replaced_and_counted(tmp_path):
    log = tmp_path / "bad.log"
    log.write_bytes(HDFS_LINES[0].encode() + b"\xff\xfe\n" + HDFS_LINES[1].encode() + b"\n")
    summary, rows, _ = _parse(tmp_path, [log])
    assert summary.undecodable == 1 and len(rows) == 2 and "\ufffd" in rows[0]["content"]
    assert "1 with undecodable bytes" in summary.line()


def test_truncated_gzip_names_file_and_lines_and_writes_nothing(tmp_path):
    data = gzip.compress(("\n".join(HDFS_LINES * 2000) + "\n").encode())
    log = tmp_path / "cut.log.gz"
    log.write_bytes(data[: len(data) // 2])
    out = tmp_path / "events.parquet"
    with pytest.raises(LogbertError, match=r"cut.log.gz.*truncated.*lines"):
        parse_files([str(log)], resolve_format("hdfs"), out)
    assert list(tmp_path.iterdir()) == [log]


def test_megabyte_line(tmp_path):
    big = "081109 203615 148 INFO dfs.X: " + "y" * (1 << 20)
    summary, rows, _ = _parse(tmp_path, [_write(tmp_path / "big.log", [HDFS_LINES[0], big])])
    assert summary.lines == 2 and len(rows[1]["content"]) == 1 << 20


def test_unknown_format_lists_valid_names():
    with pytest.raises(LogbertError, match="hdfs.*openssh"):
        resolve_format("nosuchformat")


def test_missing_output_folder(tmp_path):
    log = _write(tmp_path / "a.log", HDFS_LINES)
    with pytest.raises(LogbertError, match="output folder"):
        parse_files([str(log)], resolve_format("hdfs"), tmp_path / "no" / "e.parquet")
    with pytest.raises(LogbertError, match="is a folder"):
        parse_files([str(log)], resolve_format("hdfs"), tmp_path)


def test_missing_input_file(tmp_path):
    with pytest.raises(LogbertError, match="does not exist"):
        _parse(tmp_path, [tmp_path / "absent.log"])


def test_an_events_file_holds_each_templates_final_text(tmp_path):
    """QA Vault: rows of an earlier input kept a template's text from before it generalised
    (`secret/data/ci/db` beside `secret/data/<*>` for one id), so grouping by `template`
    counted wrong; templates.csv had the final text."""
    import csv

    first, second = tmp_path / "a.log", tmp_path / "b.log"
    first.write_text("nightly job alpha finished\n" * 5)
    second.write_text("".join(f"nightly job {w} finished\n" for w in
                              ("beta", "gamma", "delta", "omega", "kappa")))  # fmt: skip
    parse_files([str(first), str(second)], resolve_format("raw"), tmp_path / "ev.parquet")
    with open(tmp_path / "templates.csv", newline="") as fh:
        final = {int(r["template_id"]): r["template"] for r in csv.DictReader(fh)}
    rows = pq.read_table(tmp_path / "ev.parquet", columns=["template_id", "template"])
    pairs = set(zip(*rows.to_pydict().values(), strict=True))
    assert pairs == {(tid, final[tid]) for tid, _ in pairs}
    assert final == {1: "nightly job <*> finished"}
    assert pq.ParquetFile(tmp_path / "ev.parquet").schema_arrow.metadata  # the template set kept
    # ... and their params by it (QA supervisord: `exited: <*>` held no param for the program
    # whose lines came first)
    params = pq.read_table(tmp_path / "ev.parquet", columns=["params"])["params"].to_pylist()
    assert params == [["alpha"]] * 5 + [[w] for w in ("beta", "gamma", "delta", "omega", "kappa")]
