"""`logbert parse` end to end: summary line, outputs, user errors without tracebacks."""

from __future__ import annotations

import subprocess
import sys

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

LINE = "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_1 x"


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "logbert.cli.main", "parse", *args],
        capture_output=True, text=True, input=stdin,
    )  # fmt: skip


def _said(stderr: str) -> str:
    """What a run said besides the note that times without a UTC offset were read as UTC."""
    return "".join(
        line for line in stderr.splitlines(keepends=True) if "were read as UTC" not in line
    )


def test_parse_stdin_writes_outputs_and_summary(tmp_path):
    out = tmp_path / "events.parquet"
    done = _run("-", "--format", "hdfs", "--output", str(out), stdin=LINE + "\nnot hdfs\n")
    assert done.returncode == 0, done.stderr
    assert "2 lines, 1 template, 1 rejected" in done.stdout
    # no progress bar when stderr is not a terminal; the unfit line is said
    said = _said(done.stderr)
    assert said.startswith("warning: 1 of 2 lines (50%) do not fit format hdfs")
    assert said.count("\n") == 1
    table = pq.read_table(out)
    assert table["source"].to_pylist() == ["stdin"]
    assert (tmp_path / "templates.csv").exists() and (tmp_path / "events.rejects.txt").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "nosuch"], "unknown format"),
        (["--format", "hdfs", "--parser", "nosuch"], "unknown parser"),
    ],
)
def test_user_errors_exit_2_without_traceback(tmp_path, args, message):
    log = tmp_path / "a.log"
    log.write_text(LINE + "\n")
    done = _run(str(log), *args, "--output", str(tmp_path / "e.parquet"))
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_missing_file_and_truncated_gzip(tmp_path):
    done = _run(str(tmp_path / "absent.log"), "--format", "hdfs", "-o", str(tmp_path / "e.parquet"))
    assert done.returncode == 2 and "does not exist" in done.stderr
    import gzip

    data = gzip.compress(((LINE + "\n") * 20000).encode())
    cut = tmp_path / "cut.gz"
    cut.write_bytes(data[: len(data) // 2])
    done = _run(str(cut), "--format", "hdfs", "-o", str(tmp_path / "e.parquet"))
    assert done.returncode == 2 and "cut.gz" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "e.parquet").exists()


@pytest.mark.slow
def test_hdfs_2pct_with_known_templates_maps_every_line(tmp_path, data_dir):
    log = data_dir / "HDFS_v1_loglead_2pct" / "HDFS_2pct.log.gz"
    templates = data_dir / "HDFS_v1_deeplog" / "HDFS.log_templates.csv"
    out = tmp_path / "events.parquet"
    done = _run(str(log), "--format", "hdfs", "--templates", str(templates), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "222,579 lines" in done.stdout and "0 rejected" in done.stdout
    assert "unmatched" not in done.stdout
    ids = pq.read_table(out, columns=["template_id"])["template_id"]
    assert ids.null_count == 0 and len(ids) == 222_579
    lo, hi = pc.min_max(ids).values()
    assert lo.as_py() >= 1 and hi.as_py() <= 29


@pytest.mark.parametrize("where", ["folder", "parent_is_file"])
def test_unwritable_output_exits_2_before_parsing(tmp_path, where):
    out = tmp_path if where == "folder" else tmp_path / "a_file" / "e.parquet"
    (tmp_path / "a_file").write_text("x")
    # the input does not exist: the output is checked first, before any line is read
    done = _run(str(tmp_path / "absent.log"), "--format", "hdfs", "-o", str(out))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert str(out if where == "folder" else out.parent) in done.stderr


def test_a_missing_output_folder_is_created(tmp_path):
    """`parse -o newdir/ev.parquet` said "create it first" while the other commands create
    their output folders."""
    log = tmp_path / "a.log"
    log.write_text(LINE + "\n")
    out = tmp_path / "new" / "deeper" / "e.parquet"
    done = _run(str(log), "--format", "hdfs", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.exists() and (out.parent / "templates.csv").exists()
    odd = tmp_path / "missing" / ".." / "odd" / ".." / "e2.parquet"  # `missing/..` once made
    done = _run(str(log), "--format", "hdfs", "-o", str(odd))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "e2.parquet").exists()
    # QA nginx: a failed run left the folder it made, empty
    failed = _run(str(log), "--format", "apache", "-o", str(tmp_path / "gone" / "e.parquet"))
    assert failed.returncode == 2 and not (tmp_path / "gone").exists()


def test_replacing_another_runs_templates_csv_warns(tmp_path):
    """templates.csv has one name per folder: a second run on other logs replaced the first
    run's silently (its events file, named otherwise, stayed)."""
    log, other = tmp_path / "a.log", tmp_path / "b.log"
    log.write_text(LINE + "\n")
    other.write_text("081109 203615 148 INFO dfs.FSNamesystem: BLOCK* allocateBlock: blk_2\n")
    first = _run(str(log), "--format", "hdfs", "-o", str(tmp_path / "a.parquet"))
    again = _run(str(log), "--format", "hdfs", "-o", str(tmp_path / "a.parquet"))
    assert first.returncode == again.returncode == 0 and _said(again.stderr) == ""  # same
    done = _run(str(other), "--format", "hdfs", "-o", str(tmp_path / "b.parquet"))
    assert done.returncode == 0, done.stderr
    assert _said(done.stderr) == (
        f"warning: replaced templates.csv of an earlier parse run in {tmp_path} (1 of its 1 "
        "template ids now mean other templates or none): sessions from that run can no "
        "longer use it; write each run's output into its own folder\n"
    )


def test_known_templates_where_templates_csv_goes_are_refused(tmp_path):
    """`--templates DIR/templates.csv -o DIR/e.parquet` would write over its own input."""
    log, known = tmp_path / "a.log", tmp_path / "templates.csv"
    log.write_text(LINE + "\n")
    text = "EventId,EventTemplate\nE1,PacketResponder <*> for block <*> <*>\n"
    known.write_text(text)
    done = _run(str(log), "--format", "hdfs", "--templates", str(known),
                "-o", str(tmp_path / "e.parquet"))  # fmt: skip
    assert done.returncode == 2 and "it would be overwritten" in done.stderr, done.stderr
    assert known.read_text() == text and not (tmp_path / "e.parquet").exists()


def test_format_string_with_bracketed_field(tmp_path):
    log = tmp_path / "a.log"
    log.write_text("2024-01-01 10:00:00 sshd[123]: hello 5\n")
    out = tmp_path / "e.parquet"
    done = _run(str(log), "-f", "<Date> <Time> <Component>[<Pid>]: <Content>", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert pq.read_table(out)["Pid"].to_pylist() == ["123"]


def test_state_with_drain3(tmp_path):
    log = tmp_path / "a.log"
    log.write_text(LINE + "\n")
    state = tmp_path / "s.json"
    for _ in range(2):
        done = _run(str(log), "-f", "hdfs", "-o", str(tmp_path / "e.parquet"),
                    "--parser", "drain3", "--state", str(state))  # fmt: skip
        assert done.returncode == 0, done.stderr
    done = _run(str(log), "-f", "hdfs", "-o", str(tmp_path / "e.parquet"), "--state", str(state))
    assert done.returncode == 2 and "--parser drain3" in done.stderr


def test_the_state_files_folder_is_created_as_the_outputs_is(tmp_path):
    """QA: `--state st/miner.json` was refused for its missing folder, while the output's
    folder was made."""
    log = tmp_path / "a.log"
    log.write_text(LINE + "\n")
    state = tmp_path / "st" / "miner.json"
    done = _run(str(log), "-f", "hdfs", "-o", str(tmp_path / "out" / "e.parquet"),
                "--state", str(state))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert state.is_file()


@pytest.mark.slow
@pytest.mark.parametrize(("system", "first"), [("Linux", ":1 'Jun 14"), ("Apache", ":132 '[Sun")])
def test_wrong_format_on_real_logs_is_an_error_naming_the_first_line(
    tmp_path, data_dir, system, first
):
    """A format that reads no timestamp from any line it splits is an error (exit 2) naming the
    first such line and what was expected, and suggesting the formats that fit."""
    log = data_dir / "loghub_2k" / system / f"{system}_2k.log"
    done = _run(str(log), "--format", "hdfs", "-o", str(tmp_path / "e.parquet"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "format hdfs read no timestamp from any of" in done.stderr
    assert f"{system}_2k.log{first}" in done.stderr and "(yymmdd HHMMSS)" in done.stderr
    assert f"--format {system.lower()}" in done.stderr
    assert not (tmp_path / "e.parquet").exists()
    year = ["--year", "2005"] if system == "Linux" else []  # apache writes it: a warning
    right = _run(str(log), "--format", system.lower(), *year, "-o", str(tmp_path / "e.parquet"))
    assert right.returncode == 0 and "warning" not in right.stderr
    assert pq.read_table(tmp_path / "e.parquet")["timestamp"].null_count == 0


# --- zero events, binary input, year rollover, stdin without a year -----------------------------
LINUX = "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown\n"


def test_zero_events_exits_2_and_writes_nothing(tmp_path):
    empty = tmp_path / "empty.log"
    empty.write_text("")
    binary = tmp_path / "bin.log"
    binary.write_bytes(b"\x7fELF\x02\x01" + b"\x00" * 400 + b"\n" + b"\xff\x00" * 300 + b"\n")
    out = tmp_path / "e.parquet"
    for log, fmt, message in [
        (empty, "linux", "empty.log: no lines to parse (empty input)"),
        (binary, "linux", "bin.log looks binary"),
        (binary, "auto", "bin.log looks binary"),
    ]:
        done = _run(str(log), "-f", fmt, "-o", str(out))
        assert done.returncode == 2, (fmt, done.stderr)
        assert message in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr) < 600  # no 2 KB of escaped bytes
        assert not out.exists() and not (tmp_path / "e.rejects.txt").exists()


def test_rollover_note_and_jump_warning_on_stderr(tmp_path):
    log = tmp_path / "r.log"
    log.write_text("Dec 31 23:59:59 h sshd[1]: a\nJan  1 00:00:01 h sshd[1]: b\n")
    done = _run(str(log), "-f", "openssh", "--year", "2016", "-o", str(tmp_path / "r.parquet"))
    assert done.returncode == 0, done.stderr
    assert "year rollover at r.log:2: later lines dated 2017" in done.stderr
    assert str(pq.read_table(tmp_path / "r.parquet")["timestamp"][1]) == "2017-01-01 00:00:01"
    prox = tmp_path / "p.log"
    prox.write_text("[10.30 16:49:06] a.exe - open\n[07.26 13:30:34] b.exe - open\n")
    done = _run(str(prox), "-f", "proxifier", "--year", "2016", "-o", str(tmp_path / "p.parquet"))
    assert done.returncode == 0, done.stderr
    assert "warning: timestamps jump back by 96 days at p.log:2" in done.stderr


def test_stdin_without_a_year_is_dated_by_the_current_date(tmp_path):
    done = _run("-", "-f", "auto", "-o", str(tmp_path / "s.parquet"), stdin=LINUX * 3)
    assert done.returncode == 0, done.stderr
    assert "chose linux (3/3 lines with a timestamp" in done.stderr
    assert "stdin: " in done.stderr and "from the current date" in done.stderr
    assert pq.read_table(tmp_path / "s.parquet")["timestamp"].null_count == 0


def test_input_errors_exit_2_and_template_misfits_warn_on_stderr(tmp_path):
    """A file named twice and UTF-16 text are exit 2 with the reason; a template list most
    events do not match is a `warning:` on stderr."""
    log = tmp_path / "a.log"
    log.write_text(LINE + "\n")
    out = str(tmp_path / "e.parquet")
    done = _run(str(log), str(log), "--format", "hdfs", "-o", out)
    assert done.returncode == 2 and "a.log is named twice" in done.stderr
    wide = tmp_path / "wide.log"
    wide.write_bytes((LINE + "\n").encode("utf-16"))
    done = _run(str(wide), "--format", "hdfs", "-o", out)
    assert done.returncode == 2 and "is UTF-16 text" in done.stderr and "iconv" in done.stderr
    assert "Traceback" not in done.stderr
    other = [f"081109 203615 148 INFO dfs.X: other event {i}" for i in range(2)]
    log.write_text("\n".join([LINE, *other]) + "\n")
    known = tmp_path / "known.csv"
    known.write_text("EventId,EventTemplate\nE1,PacketResponder <*> for block <*> x\n")
    done = _run(str(log), "--format", "hdfs", "--templates", str(known), "-o", out)
    assert done.returncode == 0, done.stderr
    assert "warning: 2 of 3 events (67%) match no template of " in done.stderr


def test_an_empty_file_among_several_inputs_is_named(tmp_path):
    log, empty = tmp_path / "a.log", tmp_path / "empty.log"
    log.write_text(LINE + "\n")
    empty.write_text("")
    done = _run(str(log), str(empty), "--format", "hdfs", "-o", str(tmp_path / "e.parquet"))
    assert done.returncode == 0, done.stderr
    assert "warning: empty.log is empty: nothing was read from it" in done.stderr
    done = _run(str(log), "--format", "hdfs", "-o", str(tmp_path / "f.parquet"))
    assert "is empty" not in done.stderr


def test_epoch_milliseconds_and_an_ignored_year_through_the_cli(tmp_path):
    log = tmp_path / "ms.log"
    log.write_text("".join(f"{1710036000123 + i * 1000} INFO app: job {i}\n" for i in range(3)))
    fmt, out = "<Timestamp> <Level> <Component>: <Content>", str(tmp_path / "e.parquet")
    done = _run(str(log), "-f", fmt, "--year", "2020", "-o", out)
    assert done.returncode == 0, done.stderr
    assert f"warning: --year 2020 is ignored: format '{fmt}' writes the year" in done.stderr
    assert str(pq.read_table(out)["timestamp"][0]) == "2024-03-10 02:00:00.123000"
    done = _run(str(log), "-f", fmt, "--timestamp-format", "%s%f", "-o", out)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "%s (epoch time) must be the whole format: pass '%s' alone" in done.stderr


def test_an_events_output_named_as_text_is_refused(tmp_path):
    """QA Laravel: `parse -o events.jsonl` wrote Parquet under a text name, with no word."""
    log = tmp_path / "a.log"
    log.write_text(LINE + "\n")
    done = _run(str(log), "--format", "hdfs", "--output", str(tmp_path / "events.jsonl"))
    assert done.returncode == 2 and "parse writes its events as Parquet" in done.stderr
    assert not (tmp_path / "events.jsonl").exists()
