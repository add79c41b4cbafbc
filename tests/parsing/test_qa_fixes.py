"""QA fixes in parsing: year rollover and backward time jumps (M4), loghub syslog format strings
(M5), zero events is an error (L1), binary input (L2), suggestions that really read the lines
(L3), and what `--format auto` says when the year is unknown (L6)."""

from __future__ import annotations

import os
from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from logbert.errors import LogbertError
from logbert.parsing.clock import YearClock, add_years
from logbert.parsing.formats import compile_format, resolve_format, with_year
from logbert.parsing.pipeline import (
    Parser,
    looks_binary,
    parse_files,
    show_line,
)

SSH = "LabSZ sshd[24200]: Invalid user x from 1.2.3.4"
ROLLOVER = [f"Dec 31 23:59:5{i} {SSH}" for i in range(2)] + [
    f"Jan  1 00:00:0{i} {SSH}" for i in range(2)
]
LINUX = [
    "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown",
    "Jun 14 15:16:02 combo su(pam_unix)[21416]: session opened for user cyrus",
]
BINARY = "\x7fELF\x02\x01\x01" + "\x00" * 300 + "\ufffd\ufffd@8\x00" * 20
LINUX_FS = "<Month> <Date> <Time> <Host> <Component>[<Pid>]: <Content>"


def _log(tmp_path, name, lines, mtime: datetime | None = None):
    path = tmp_path / name
    path.write_text("".join(f"{line}\n" for line in lines))
    if mtime is not None:
        os.utime(path, (mtime.timestamp(), mtime.timestamp()))
    return path


def _parse(tmp_path, fmt, *files, **kw):
    out = tmp_path / "events.parquet"
    summary = parse_files([str(f) for f in files], fmt, out, **kw)
    return [str(t) for t in pq.read_table(out)["timestamp"].to_pylist()], summary


def _us(*texts: str) -> pa.Array:
    return pa.array([None if t is None else datetime.fromisoformat(t) for t in texts],
                    pa.timestamp("us"))  # fmt: skip


# --- M4: year rollover, backward jumps ----------------------------------------------------------
def test_add_years_keeps_month_day_and_time():
    micros = _us("2016-12-31 23:59:59.5", "2015-03-01 00:00:00").cast(pa.int64()).to_numpy()
    got = add_years(micros, np.array([1, 2]))
    assert [str(t) for t in got.astype("datetime64[us]")] == [
        "2017-12-31T23:59:59.500000",
        "2017-03-01T00:00:00.000000",
    ]


def test_clock_rolls_over_across_chunks_and_ignores_small_jumps_back():
    clock = YearClock("a.log")
    first = clock.apply(
        _us("2016-12-31 23:59:58", None, "2016-12-31 23:58:00"), np.array([1, 2, 3])
    )
    assert first.to_pylist()[1] is None and clock.messages() == []  # minutes back: unsorted
    second = clock.apply(_us("2016-01-01 00:00:01", "2016-01-02 10:00:00"), np.array([4, 5]))
    assert [str(t) for t in second.to_pylist()] == ["2017-01-01 00:00:01", "2017-01-02 10:00:00"]
    assert clock.messages() == ["year rollover at a.log:4: later lines dated 2017"]
    third = clock.apply(_us("2016-01-03 00:00:00"), np.array([6]))  # the shift stays
    assert str(third[0]) == "2017-01-03 00:00:00"


def test_clock_warns_on_a_jump_back_that_cannot_be_a_rollover():
    clock = YearClock("p.log")
    ts = _us("2016-10-30 16:00:00", "2016-07-26 13:30:34", "2016-07-27 00:00:00",
             "2016-10-30 17:00:00", "2016-07-28 00:00:00")  # fmt: skip
    got = clock.apply(ts, np.arange(1, 6))
    assert got.equals(ts)  # kept as read, not silently "fixed"
    (warning,) = clock.messages()
    assert warning.startswith("warning: timestamps jump back by 96 days at p.log:2 ")
    assert "(from 2016-10-30 16:00:00 to 2016-07-26 13:30:34)" in warning
    assert "1 more such jumps" in warning and "not in time order" in warning


def test_year_option_rolls_over_per_file_and_says_so(tmp_path):
    a = _log(tmp_path, "a.log", ROLLOVER)
    # a file read after one that ended in 2017 starts near where it ended, not a year back
    # (another host's file of the same minutes, or the next rotated file)
    b = _log(tmp_path, "b.log", ROLLOVER[2:])
    times, summary = _parse(tmp_path, resolve_format("openssh", year=2016), a, b, block_bytes=80)
    assert times == [
        "2016-12-31 23:59:50", "2016-12-31 23:59:51", "2017-01-01 00:00:00",
        "2017-01-01 00:00:01", "2017-01-01 00:00:00", "2017-01-01 00:00:01",
    ]  # fmt: skip
    assert "year rollover at a.log:3: later lines dated 2017" in summary.notes
    assert summary.warnings == []


def test_mtime_year_already_puts_december_in_the_year_before(tmp_path):
    log = _log(tmp_path, "m.log", ROLLOVER, mtime=datetime(2017, 3, 1))
    times, summary = _parse(tmp_path, resolve_format("openssh"), log)
    assert times[1:3] == ["2016-12-31 23:59:51", "2017-01-01 00:00:00"]
    assert not any("rollover" in n for n in summary.notes)  # nothing left to roll over


def test_lines_past_the_mtime_stay_in_its_year_and_are_no_rollover(tmp_path):
    """QA: a generated log whose lines run on for days past the file's modification time
    was cut by the year rule into 2026 and 2025, put back by the clock, and the notes said
    "dates after it are taken in 2025" and then "year rollover ...: later lines dated 2026"."""
    lines = [f"Dec  {day} 0{hour}:00:00 {SSH}" for day in (3, 4, 5) for hour in (0, 8)]
    log = _log(tmp_path, "g.log", lines, mtime=datetime(2026, 12, 2, 10))
    times, summary = _parse(tmp_path, resolve_format("openssh"), log)
    assert times[0] == "2026-12-03 00:00:00" and times[-1] == "2026-12-05 08:00:00"
    assert all(t.startswith("2026-") for t in times)  # in time order, as the log wrote them
    assert not any("rollover" in n for n in summary.notes)
    (past,) = [n for n in summary.notes if "after the file's modification time, yet" in n]
    assert past.startswith("g.log: lines from 3 on ") and "kept in 2026, not taken in 2025" in past


def test_proxifier_jump_back_of_months_is_a_warning_naming_the_line(tmp_path):
    lines = ["[10.30 16:49:06] chrome.exe - proxy:5070 open", "[07.26 13:30:34] a.exe - x open"]
    log = _log(tmp_path, "p.log", lines)
    times, summary = _parse(tmp_path, resolve_format("proxifier", year=2016), log)
    assert times == ["2016-10-30 16:49:06", "2016-07-26 13:30:34"]
    (warning,) = summary.warnings
    assert warning.startswith("warning: timestamps jump back by 96 days at p.log:2")
    assert not any(n.startswith("warning: ") for n in summary.notes)


# --- M5: loghub syslog format strings ---------------------------------------------------------
@pytest.mark.parametrize("timestamp_format", [None, "%b %d %H:%M:%S"])
def test_month_date_time_format_string_reads_syslog_timestamps(tmp_path, timestamp_format):
    fmt = resolve_format(LINUX_FS, year=2005, timestamp_format=timestamp_format)
    assert fmt.timestamp.fields == ("Month", "Date", "Time")
    times, _ = _parse(tmp_path, fmt, _log(tmp_path, "l.log", LINUX))
    assert times == ["2005-06-14 15:16:01", "2005-06-14 15:16:02"]
    day = resolve_format("<Month> <Day> <Time> <Host> <Content>", year=2005)
    got = Parser(day).process(["Feb  2 04:02:03 combo hello"]).events["timestamp"]
    assert str(got[0]) == "2005-02-02 04:02:03"


def test_month_date_time_without_a_year_takes_the_file_mtime(tmp_path):
    log = _log(tmp_path, "l.log", LINUX, mtime=datetime(2010, 8, 1))
    times, summary = _parse(tmp_path, resolve_format(LINUX_FS), log)
    assert times[0] == "2010-06-14 15:16:01"
    assert "l.log: 2010 from the file's modification time" in summary.notes[0]


def test_messages_echo_the_format_string_as_written(tmp_path):
    fmt = resolve_format(LINUX_FS, year=2005, timestamp_format="%d/%m/%Y %H:%M")
    with pytest.raises(LogbertError) as err:
        _parse(tmp_path, fmt, _log(tmp_path, "l.log", LINUX))
    text = str(err.value)
    assert f"format {LINUX_FS!r} read no timestamp" in text and "\\[" not in text
    assert "check --timestamp-format '%d/%m/%Y %H:%M' against <Month> <Date> <Time>" in text
    with pytest.raises(LogbertError, match=r"'<A>\[<B>\] <A> <Content>' names a field twice"):
        compile_format("<A>[<B>] <A> <Content>")
    again = Parser.from_state(Parser(fmt).to_state())
    assert LINUX_FS in str(again.fmt.written)


# --- L1, L2: zero events, binary input ------------------------------------------------------------
def test_every_line_rejected_is_an_error_that_suggests_a_format(tmp_path):
    log = _log(tmp_path, "l.log", LINUX)
    with pytest.raises(LogbertError) as err:
        _parse(tmp_path, resolve_format("hadoop"), log)
    text = str(err.value)
    assert "no line of l.log fits format hadoop (2 lines rejected; first: 'Jun 14" in text
    assert "nothing was written" in text and "--format linux" in text
    assert not (tmp_path / "events.parquet").exists()


def test_binary_input_is_named_as_such_and_the_line_is_cut(tmp_path):
    log = tmp_path / "bin.log"
    log.write_bytes(BINARY.encode("utf-8") + b"\n" + b"\x00\xff\xfe" * 50 + b"\n")
    for spec in ("linux", "auto"):
        with pytest.raises(LogbertError) as err:
            _parse(tmp_path, resolve_format(spec), log)
        text = str(err.value)
        assert "bin.log looks binary, not like a text log" in text, spec
        assert len(text) < 450, spec  # the quoted line is cut, not 2 KB of escapes
    _, summary = _parse(tmp_path, resolve_format("raw"), log)  # raw fits anything: a warning
    assert summary.warnings[0].startswith("warning: the input looks binary")


def test_show_line_and_looks_binary():
    assert show_line("short") == "'short'"
    long = show_line("\x00" * 500)
    assert len(long) <= 120 and long.endswith("...'")
    quoted = show_line("user 'root' denied " * 20)  # QA MySQL: opened by " and closed by '
    assert quoted.startswith('"user ') and quoted.endswith('..."')
    assert looks_binary([BINARY]) and not looks_binary(LINUX) and not looks_binary([])


def test_auto_refuses_text_no_built_in_format_dates(tmp_path):
    log = _log(tmp_path, "t.log", ["a b c d e f g h", "i j k l m n o p"])
    with pytest.raises(LogbertError, match="no built-in format reads a timestamp from the first 2"):
        _parse(tmp_path, resolve_format("auto"), log)


# --- L3: suggestions ---------------------------------------------------------------------------
def test_suggestions_name_only_formats_that_read_a_timestamp(tmp_path):
    log = _log(tmp_path, "l.log", LINUX)
    for wrong in ("hdfs", "spark", "hpc"):
        with pytest.raises(LogbertError) as err:
            _parse(tmp_path, resolve_format(wrong), log)
        text = str(err.value)
        assert "--format linux" in text, wrong
        for other in {"hdfs", "spark", "hpc"} - {wrong}:  # they split the lines but date none
            assert f"--format {other}" not in text, (wrong, other)
    odd = _log(tmp_path, "o.log", ["2024.01.02_03h04 INFO hello", "2024.01.02_03h05 INFO bye"])
    with pytest.raises(LogbertError) as err:
        _parse(tmp_path, resolve_format("<Timestamp> <Level> <Content>"), odd)
    assert "no built-in format reads the first lines" in str(err.value)
    assert str(err.value).endswith("or try --format auto")  # no built-in format named


# --- L6: live lines without a year take the current date ------------------------------------------
def test_live_lines_without_a_year_are_dated_by_the_current_date():
    parser = Parser(resolve_format("auto"))
    chunk = parser.process(LINUX)
    assert parser.notes[0].startswith("format auto: chose linux (2/2 lines with a timestamp")
    assert any("stdin: " in n and "from the current date" in n for n in parser.notes)
    for _ in range(3):  # live lines come batch by batch: one note, however many batches
        parser.process(LINUX)
    assert sum("from the current date" in n for n in parser.notes) == 1
    assert chunk.events["timestamp"].null_count == 0
    dated = Parser(resolve_format("auto", year=2005))
    dated.process(LINUX)
    assert "2/2 lines with a timestamp" in dated.notes[0]


def test_iso_rejects_the_undated_lines_of_a_stack_trace(tmp_path):
    """QA: `--format iso` read `Caused by: java.net...` as a timestamp `Caused` and a message
    `by: ...`, and `Container id: <id>` joined that container's session as an event."""
    log = _log(tmp_path, "app.log", [
        "2026-11-30 10:00:01,123 ERROR [main] a.B: Container killed on request",
        "java.io.IOException: Broken pipe",
        "\tat a.B.run(B.java:39)",
        "Caused by: java.net.SocketTimeoutException: Read timed out",
        "Container id: container_1700000000000_0101_01_000003",
        "2026-11-30T10:00:02Z INFO [main] a.B: Container started",
        "2026-11-30 10:00:03 INFO [main] a.B: Container started",
    ])  # fmt: skip
    times, summary = _parse(tmp_path, resolve_format("iso"), log)
    assert summary.rejected == 4 and len(times) == 3 and "None" not in times
    templates = (tmp_path / "templates.csv").read_text()
    assert "by:" not in templates and "id:" not in templates


def test_iso_rejects_compiler_output_that_starts_with_a_count(tmp_path):
    """QA (CI logs): `1 error`, `12 tests completed, 2 failed` after a dated line were read
    as events dated `1` and `12` (templates `error`, `tests completed, <*> failed`)."""
    log = _log(tmp_path, "ci.log", [
        "2026-03-02T08:02:10.823+02:00 ERROR [build-48000] Compilation failed",
        "1 error",
        "2 warnings",
        "12 tests completed, 2 failed",
        "2026-03-02T06:02:11Z INFO one word",
        "2026/03/02T06:02:12 INFO one word, slashes",
    ])  # fmt: skip
    times, summary = _parse(tmp_path, resolve_format("iso"), log)
    assert summary.rejected == 3 and len(times) == 3 and "None" not in times
    assert "tests completed" not in (tmp_path / "templates.csv").read_text()


def test_format_names_users_try_point_to_a_built_in_one():
    """QA: `--format log4j` listed every format without saying which reads log4j lines."""
    with pytest.raises(LogbertError, match=r"unknown format 'log4j' \(log4j writes what iso"):
        resolve_format("log4j")


def test_no_format_reading_the_lines_with_a_timestamp_format_names_it():
    """QA: with a wrong --timestamp-format the advice said no built-in format reads the first
    lines, though `hadoop` does with its own rule (every format was tried with the option)."""
    from logbert.parsing.auto import _suggestion

    hadoop = "2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.X: Created MRAppMaster"
    run = Parser(resolve_format("iso", timestamp_format="%d.%m.%Y %H:%M"))
    advice = _suggestion(run, [hadoop] * 5)
    assert "with --timestamp-format '%d.%m.%Y %H:%M': check it" in advice


def test_raw_on_lines_a_built_in_format_reads_is_a_warning(tmp_path):
    """QA: `--format raw` on a kubelet log exited 0 with the dates in every template; the next
    day's log was then all new templates (503 false alarms)."""
    klog = [f'I1130 10:00:0{i}.123456    1234 kubelet.go:2345] "SyncLoop ADD" pod="p{i}"'
            for i in range(6)]  # fmt: skip
    _, summary = _parse(tmp_path, resolve_format("raw"), _log(tmp_path, "k.log", klog))
    (warning,) = [w for w in summary.warnings if "format raw keeps" in w]
    assert "--format klog reads" in warning and warning.endswith("parse with --format klog")
    plain = [f"worker {i} finished job {i * 7}" for i in range(6)]
    _, summary = _parse(tmp_path, resolve_format("raw"), _log(tmp_path, "p.log", plain))
    assert not any("format raw keeps" in w for w in summary.warnings)


def test_a_year_that_dates_lines_after_the_file_was_written_is_a_warning(tmp_path):
    """QA Postfix: `--year 2026` on a file of Dec 31 written on 2025-12-31 dated its lines a
    year after the file itself, with only the note that --year was used."""
    lines = [f"Dec 31 23:5{i}:00 mx1 postfix/qmgr[812]: 4F8A21C0B{i}: removed" for i in range(5)]
    log = _log(tmp_path, "mail.log.1", lines, mtime=datetime(2025, 12, 31, 23, 59, 59))
    fmt = resolve_format("linux")
    _, late = _parse(tmp_path, with_year(fmt, 2026), log)
    (warning,) = [w for w in late.warnings if "after the file was last written" in w]
    assert warning.startswith("warning: --year 2026 dates mail.log.1's lines up to 2026-12-31")
    _, right = _parse(tmp_path, with_year(fmt, 2025), log)
    assert not [w for w in right.warnings if "after the file was last written" in w]


# --- format strings: text between fields ----------------------------------------------------------
def test_a_dollar_or_caret_in_a_format_string_matches_itself(tmp_path):
    """QA MongoDB: `$` was an end anchor, so no format string could read a line holding one."""
    log = _log(tmp_path, "d.log", ["2026-11-20T10:00:00Z cost=$5 ^up job started"])
    stamps, summary = _parse(tmp_path, resolve_format("<Timestamp> cost=$5 ^up <Content>"), log)
    assert summary.rejected == 0 and stamps == ["2026-11-20 10:00:00"]
    assert compile_format(r"[^:]+: <Content>").regex.startswith(r"^[^:]+:")  # a class stays one


def test_a_format_string_whose_regex_text_reads_no_line_says_how_to_escape_it(tmp_path):
    log = _log(tmp_path, "w.log", ["2026-11-20T10:00:00Z (w1) job started"])
    with pytest.raises(LogbertError) as err:
        _parse(tmp_path, resolve_format("<Timestamp> (w1) <Content>"), log)
    text = str(err.value)
    assert "(1 line rejected;" in text
    assert "the text between the fields is a regular expression" in text and "( )" in text


def test_a_field_without_its_closing_bracket_is_named():
    """QA: `[<Pid] <Content>` was "no line fits ... try --format hadoop"."""
    with pytest.raises(LogbertError, match=r"'<Pid' has no closing '>': write the field as"):
        compile_format("<Date> <Time> [<Pid] <Content>")
    compile_format("<<Pri>>1 <Timestamp> <Content>")  # rfc5424's `<<Pri>>` is no such field


def test_a_format_string_is_quoted_as_typed_not_with_doubled_backslashes():
    from logbert.parsing.formats import display_name

    written = r"\[<Date> <Time>: <Level>/<Process>\] <Content>"
    assert display_name(compile_format(written)) == f"'{written}'"


def test_access_read_on_syslog_lines_says_they_are_not_in_that_format(tmp_path):
    """QA HAProxy via rsyslog: `--format access` read `Dec` as the client and the rest of the
    syslog header as the user, exit 0 and no warning; every request was then one template."""
    line = (
        "Dec 30 00:01:3{i} lb1 haproxy[2210]: 10.0.0.1{i}:4431{i} [30/Dec/2025:00:01:3{i}.307]"
        ' www~ app/web1 0/0/1/2/3 200 1834 - - ---- 1/1/0/0/0 0/0 "GET /a/{i} HTTP/1.1"'
    )
    log = _log(tmp_path, "h.log", [line.format(i=i) for i in range(4)])
    # (an access log's message is its quoted request and status: no line fits at all now)
    with pytest.raises(LogbertError, match="no line of h.log fits format access") as said:
        _parse(tmp_path, resolve_format("access"), log)
    assert "--format linux" in str(said.value)


def test_a_bracketed_field_may_hold_spaces_without_a_warning(tmp_path):
    """QA Kafka: `[<Component>]` held `ReplicaFetcher replicaId=1, leaderId=2`, and the warning
    advised adding a `<Host>` field; brackets end the field, spaces and all."""
    lines = [f"[2026-11-20 10:15:0{i},123] INFO [ReplicaFetcher replicaId={i}] fetched" for i in
             range(4)]  # fmt: skip
    log = _log(tmp_path, "k.log", lines)
    fmt = resolve_format("[<Date> <Time>] <Level> [<Component>] <Content>")
    _, summary = _parse(tmp_path, fmt, log)
    assert not [w for w in summary.warnings if "holds several words" in w]
    bare = resolve_format("[<Date> <Time>] <Level> <Component> <Content>")
    lines = [f"[2026-11-20 10:15:0{i},123] INFO web {i}: fetched" for i in range(4)]
    _, summary = _parse(tmp_path, bare, _log(tmp_path, "w.log", lines))
    assert not [w for w in summary.warnings if "holds several words" in w]  # one word each


def test_a_share_of_unfit_lines_that_are_no_continuation_lines_is_named(tmp_path):
    """QA Kafka: 31% of a broker's lines (its ZooKeeper session losses among them) were
    rejected with a count only: the format fit most lines, and the rest were not traces."""
    fit = [f"[2026-11-20 10:15:0{i},123] INFO [Partition x-{i}] ISR updated" for i in range(7)]
    unfit = [f"[2026-11-20 10:15:0{i},123] WARN Session expired, zk {i}" for i in range(3)]
    fmt = resolve_format("[<Date> <Time>] <Level> [<Component>] <Content>")
    _, summary = _parse(tmp_path, fmt, _log(tmp_path, "k.log", fit + unfit))
    (said,) = [w for w in summary.warnings if "do not look like continuation lines" in w]
    assert said.startswith("warning: 3 of 10 lines (30%) do not fit format")
    assert "(e.g. '[2026-11-20 10:15:00,123] WARN Session expired, zk 0')" in said
    trace = ["java.io.IOException: reset", "\tat a.B.c(B.java:1)", "\tat a.B.d(B.java:2)"]
    _, summary = _parse(tmp_path, fmt, _log(tmp_path, "t.log", fit + trace))  # traces: said
    assert not [w for w in summary.warnings if "do not look like continuation lines" in w]
