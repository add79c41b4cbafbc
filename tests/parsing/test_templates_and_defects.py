"""Template-set metadata and conflicts; format strings with brackets; unwritable outputs;
warnings when a format does not fit the logs; blank lines (counted apart, not rejects)."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from logbert.errors import LogbertError
from logbert.parsing.formats import compile_format, resolve_format
from logbert.parsing.pipeline import Parser, parse_files
from logbert.parsing.templates import (
    TEMPLATE_SET_KEY,
    fingerprint,
    read_template_set,
    read_templates,
    replaced_templates_warning,
    require_templates_file,
    template_conflicts,
    template_set,
    template_set_templates,
)

PR = [
    f"081109 2036{i:02d} 148 INFO dfs.DataNode$PacketResponder: PacketResponder {i % 3} for block "
    f"blk_{388650490641396 + i} terminating"
    for i in range(6)
]
ADD = [
    f"081109 2040{i:02d} 35 INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap "
    f"updated: 10.251.73.{i}:50010 is added to blk_{712837023768772 + i} size 67108864"
    for i in range(6)
]


def _parse(tmp_path, name: str, *files: list[str], fmt: str = "hdfs"):
    """Parse each list of lines as one input file, in order."""
    folder = tmp_path / name
    folder.mkdir()
    logs = []
    for i, lines in enumerate(files):
        logs.append(folder / f"in{i}.log")
        logs[-1].write_text("\n".join(lines) + "\n")
    out = folder / "events.parquet"
    summary = parse_files([str(p) for p in logs], resolve_format(fmt), out)
    return out, summary


def test_template_set_metadata_and_conflicts(tmp_path):
    ab, _ = _parse(tmp_path, "ab", PR, ADD)  # the same logs, the files in another order
    ba, _ = _parse(tmp_path, "ba", ADD, PR)
    model = template_set_templates(read_template_set(ab))
    data = template_set_templates(read_template_set(ba))
    assert set(model.values()) == set(data.values()) and model != data  # same set, other ids
    assert template_conflicts(model, data) == sorted(model)
    assert template_conflicts(model, model) == []
    assert template_conflicts(model, read_templates(ab.parent / "templates.csv")) == []

    stored = read_template_set(ab)
    assert stored["parser"] == "logbert" and stored["fingerprint"] == fingerprint(model)
    assert stored == template_set(model, "logbert")
    assert pq.read_schema(ab).metadata[TEMPLATE_SET_KEY.encode()]
    assert fingerprint(model) != fingerprint(data)
    assert fingerprint({2: "b", 1: "a"}) == fingerprint({1: "a", 2: "b"})


def test_conflicts_tolerate_generalisation_only():
    model = {1: "PacketResponder <*> for block <*> terminating", 2: "Verification succeeded"}
    general = {1: "PacketResponder <*> for block <*> terminating", 2: "Verification <*>"}
    specific = {1: "PacketResponder 1 for block <*> terminating", 2: "Verification succeeded"}
    assert template_conflicts(model, general) == []
    assert template_conflicts(model, specific) == []
    assert template_conflicts(model, {1: model[1]}) == [2]  # missing
    assert template_conflicts(model, {1: "Receiving block <*>", 2: model[2]}) == [1]


def test_templates_files_of_another_run_are_refused_and_their_replacement_said(tmp_path):
    """`--templates` of another parse run than the model's is refused (score, report); a run
    that replaces a templates.csv whose ids meant other templates says so."""
    ab, _ = _parse(tmp_path, "ab", PR, ADD)
    ba, _ = _parse(tmp_path, "ba", ADD, PR)  # the same templates under other ids
    model = template_set_templates(read_template_set(ab))
    own, other = ab.parent / "templates.csv", ba.parent / "templates.csv"
    assert require_templates_file(model, own) == read_templates(own)
    assert require_templates_file({}, other) == read_templates(other)  # nothing to check
    with pytest.raises(LogbertError, match=f"^--templates {other} was parsed in another run"):
        require_templates_file(model, other)

    assert replaced_templates_warning(model, read_templates(own), own) is None
    general = {k: "PacketResponder <*>" if "PacketResponder" in t else t for k, t in model.items()}
    assert replaced_templates_warning(model, general, own) is None  # the same events
    warning = replaced_templates_warning(model, read_templates(other), own)
    assert warning == (
        f"warning: replaced templates.csv of an earlier parse run in {ab.parent} (2 of its 2 "
        "template ids now mean other templates or none): sessions from that run can no "
        "longer use it; write each run's output into its own folder"
    )


def test_read_templates_errors(tmp_path):
    assert read_templates(None) == {} and read_templates(tmp_path / "absent.csv") == {}
    bad = tmp_path / "t.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(LogbertError, match="template_id,template"):
        read_templates(bad)


def test_events_without_template_set_read_as_none(tmp_path, make_events):
    path = make_events(line_no=[1], template_id=[1])
    assert read_template_set(path) is None


# -- defects ----------------------------------------------------------------------------------
def test_square_brackets_around_a_field_are_literal(tmp_path):
    fmt = resolve_format("<Date> <Time> <Component>[<Pid>]: <Content>")
    assert fmt.header_fields == ["Date", "Time", "Component", "Pid"]
    lines = ["2024-01-01 10:00:00 sshd[123]: hello 5", "2024-01-01 10:00:01 cron[7]: tick"]
    parser = Parser(fmt)
    rows = parser.process(lines).events.to_pylist()
    assert [(r["Component"], r["Pid"], r["content"]) for r in rows] == [
        ("sshd", "123", "hello 5"),
        ("cron", "7", "tick"),
    ]
    assert str(rows[0]["timestamp"]) == "2024-01-01 10:00:00"
    # escaped brackets and real character classes keep their meaning
    assert (
        compile_format(r"<Component>\[<Pid>\]: <Content>").regex
        == compile_format("<Component>[<Pid>]: <Content>").regex
    )
    assert "[0-9]+" in compile_format("<Date> [0-9]+ <Content>").regex


def test_unwritable_outputs_are_refused_before_parsing(tmp_path):
    absent = str(tmp_path / "absent.log")  # never read: the output check comes first
    hdfs = resolve_format("hdfs")
    with pytest.raises(LogbertError, match="is a folder"):
        parse_files([absent], hdfs, tmp_path)
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(LogbertError, match=r"file\.txt is a file"):
        parse_files([absent], hdfs, a_file / "events.parquet")
    (tmp_path / "templates.csv").mkdir()
    with pytest.raises(LogbertError, match=r"templates\.csv .*is a folder"):
        parse_files([absent], hdfs, tmp_path / "events.parquet")
    (tmp_path / "sub").mkdir()
    with pytest.raises(LogbertError, match="state file .* is a folder"):
        parse_files(
            [absent], hdfs, tmp_path / "sub" / "e.parquet", state=tmp_path / "templates.csv"
        )


def test_summary_warns_when_most_lines_are_rejected(tmp_path):
    linux = [f"Jun 14 15:16:0{i} combo sshd(pam_unix)[1993{i}]: check pass; user unknown"
             for i in range(6)]  # fmt: skip
    zookeeper = "2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]:FastLeaderElection@774] - hi"
    _, summary = _parse(tmp_path, "w", [zookeeper] + linux + PR[:2], fmt="zookeeper")
    assert summary.rejected == 8  # most but not all lines: a warning (none at all: an error)
    (warning,) = summary.warnings
    assert "format zookeeper does not fit" in warning and "8 of 9 lines" in warning
    assert "--format linux" in warning


def test_no_timestamp_on_any_line_is_an_error_naming_the_first(tmp_path):
    linux = [f"Jun 14 15:16:0{i} combo sshd[1993{i}]: check pass" for i in range(4)]
    with pytest.raises(LogbertError) as err:
        _parse(tmp_path, "t", linux, fmt="hdfs")
    text = str(err.value)
    assert "format hdfs read no timestamp from any of the 4 lines it split into its fields" in text
    assert "in0.log:1 'Jun 14 15:16:00 combo sshd[19930]: check pass'" in text
    assert "<Date> <Time> = 'Jun 14'" in text and "'081109 203615' (yymmdd HHMMSS)" in text
    assert "--timestamp-format" in text and "--format linux" in text
    assert not (tmp_path / "t" / "events.parquet").exists()  # nothing written
    _, fine = _parse(tmp_path, "ok", PR, fmt="hdfs")
    assert fine.warnings == []
    _, raw = _parse(tmp_path, "raw", linux, fmt="raw")  # no timestamp fields: nothing to say
    (header,) = raw.warnings  # ... but about the header raw keeps in every message
    assert header.startswith("warning: format raw keeps each line's header")


def test_blank_lines_are_counted_apart_and_left_out_of_the_fit(tmp_path):
    lines = [PR[0], "", " \t", PR[1], "", "", PR[2], "   "]
    out, summary = _parse(tmp_path, "b", lines)
    assert (summary.lines, summary.events, summary.rejected, summary.blank) == (8, 3, 0, 5)
    assert ", 0 rejected, 5 blank" in summary.line() and summary.warnings == []
    assert pq.read_table(out)["line_no"].to_pylist() == [1, 4, 7]
    assert not (out.parent / "events.rejects.txt").exists()  # blank lines are no rejects
    # two of three lines that are not blank do not fit: a warning that counts only those
    _, summary = _parse(tmp_path, "w", [PR[0], "x", "", "", "", "y"])
    (warning,) = summary.warnings
    assert "2 of 3 non-blank lines (67%) did not match it" in warning
    _, raw = _parse(tmp_path, "raw", ["a", "", "b"], fmt="raw")  # a blank line is no event
    assert (raw.events, raw.blank) == (2, 1)
    chunk = Parser(resolve_format("hdfs")).process([PR[0], "", "x"])  # live lines too
    assert chunk.blank == 1 and chunk.rejects == [("<lines>", 3, "x")]
    with pytest.raises(LogbertError, match=r"no lines to parse \(3 blank lines only\)"):
        _parse(tmp_path, "empty", ["", " ", ""])


def test_known_templates_match_lines_with_trailing_whitespace(tmp_path):
    """loghub's template files are stripped; a raw line's trailing space left it unmatched."""
    log = tmp_path / "h.log"
    log.write_text(
        "2015-10-18 18:06:01,840 ERROR [RMCommunicator Allocator] org.apache.Foo: ERROR IN "
        "CONTACTING RM. \n2015-10-18 18:06:03,840 INFO [main] org.apache.Foo: Job done\n"
    )
    known = tmp_path / "t.csv"
    known.write_text("EventId,EventTemplate\nE1,ERROR IN CONTACTING RM.\nE3,Job done\n")
    out = tmp_path / "e.parquet"
    summary = parse_files([str(log)], resolve_format("hadoop"), out, templates=known)
    assert summary.unmatched == 0
    assert pq.read_table(out)["template_id"].to_pylist() == [1, 3]
