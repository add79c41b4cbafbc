"""Parse inputs that do not fit: a template list of another system, an input named twice,
several inputs with `--format auto` or a format that fits only some of them, text in
UTF-16 / UTF-32 (with or without a byte-order mark), inputs that share a base name, and a
truncated .gz."""

from __future__ import annotations

import gzip
import zlib

import pyarrow.parquet as pq
import pytest

from logbert.errors import LogbertError
from logbert.parsing.auto import InputFit
from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import Parser, parse_files
from logbert.parsing.reader import iter_chunks, source_names
from logbert.parsing.summary import bad_fit_warnings, join_continuations, spaced_field_warnings

HDFS = [
    "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_1 "
    "terminating",
    "081109 203807 222 INFO dfs.DataNode$PacketResponder: PacketResponder 0 for block blk_-2 "
    "terminating",
    "081109 204005 35 INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap "
    "updated: 10.251.73.220:50010 is added to blk_7 size 67108864",
]
ZOOKEEPER = [  # lines the hdfs format does not split
    "2015-07-29 19:04:29,071 - WARN  [SendWorker:188978561024:QuorumCnxManager$SendWorker@688] "
    "- Send worker leaving thread",
    "2015-07-29 19:04:12,394 - INFO  [/10.10.34.11:3888:QuorumCnxManager$Listener@493] - "
    "Received connection request /10.10.34.11:45307",
]
HDFS_TEMPLATES = (
    "EventId,EventTemplate\n"
    "E10,PacketResponder <*> for block <*> terminating\n"
    "E6,BLOCK* NameSystem.addStoredBlock: blockMap updated: <*>:<*> is added to <*> size <*>\n"
)
ZOOKEEPER_TEMPLATES = "EventId,EventTemplate\nE31,Send worker leaving thread\n"


def _log(tmp_path, name, lines):
    path = tmp_path / name
    path.write_text("".join(f"{line}\n" for line in lines))
    return str(path)


def _templates(tmp_path, text):
    path = tmp_path / "templates_in.csv"
    path.write_text(text)
    return path


# --- M6: --templates of another system -----------------------------------------------------------
def test_templates_matching_no_line_are_an_error_and_nothing_is_written(tmp_path):
    log = _log(tmp_path, "hdfs.log", HDFS)
    out = tmp_path / "events.parquet"
    other = _templates(tmp_path, ZOOKEEPER_TEMPLATES)
    with pytest.raises(LogbertError, match="no event of hdfs.log matches a template of .*"
                       "templates_in.csv.*another system's; nothing was written"):  # fmt: skip
        parse_files([log], resolve_format("hdfs"), out, templates=other)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hdfs.log", "templates_in.csv"]


def test_templates_matching_under_half_the_events_get_a_warning(tmp_path):
    # one of three lines matches: most events keep no template id
    known = _templates(tmp_path, "EventId,EventTemplate\nE6,BLOCK* NameSystem.<*>\n")
    summary = parse_files([_log(tmp_path, "hdfs.log", HDFS)], resolve_format("hdfs"),
                          tmp_path / "e.parquet", templates=known)  # fmt: skip
    assert summary.unmatched == 2
    (warning,) = [w for w in summary.warnings if "match no template" in w]
    assert warning.startswith("warning: 2 of 3 events (67%) match no template of ")
    assert "templates_in.csv" in warning and "another system's" in warning
    # the right list: no warning
    right = _templates(tmp_path, HDFS_TEMPLATES)
    summary = parse_files([_log(tmp_path, "hdfs.log", HDFS)], resolve_format("hdfs"),
                          tmp_path / "e.parquet", templates=right)  # fmt: skip
    assert summary.unmatched == 0 and summary.warnings == []


# --- M7: several inputs ---------------------------------------------------------------------------
def test_an_input_named_twice_is_an_error(tmp_path):
    log = _log(tmp_path, "hdfs.log", HDFS)
    fmt = resolve_format("hdfs")
    with pytest.raises(LogbertError, match="hdfs.log is named twice: .*duplicate every event"):
        parse_files([log, log], fmt, tmp_path / "e.parquet")
    link = tmp_path / "link.log"
    link.symlink_to(log)
    with pytest.raises(LogbertError, match="link.log is the same file as .*hdfs.log"):
        parse_files([log, str(link)], fmt, tmp_path / "e.parquet")
    with pytest.raises(LogbertError, match="named twice"):  # every caller of the parser
        Parser(fmt).iter_chunks([log, log])
    assert not (tmp_path / "e.parquet").exists()


def test_auto_checks_its_choice_against_every_file(tmp_path):
    hdfs = _log(tmp_path, "hdfs.log", HDFS)
    zk = _log(tmp_path, "zk.log", ZOOKEEPER)
    # a file no line of which the chosen format splits: an error naming it and what fits it
    with pytest.raises(LogbertError, match="--format auto chose hdfs from the first lines of "
                       "hdfs.log, but it reads 0 of the first 2 lines of zk.log .*every line of "
                       "it would be rejected; zookeeper .* --format zookeeper"):  # fmt: skip
        parse_files([hdfs, zk], resolve_format("auto"), tmp_path / "e.parquet")
    assert not (tmp_path / "e.parquet").exists()
    # a file of which it splits a few lines: a warning, once (not again as a bad fit)
    mixed = _log(tmp_path, "mixed.log", ZOOKEEPER * 2 + HDFS[:1])
    summary = parse_files([hdfs, mixed], resolve_format("auto"), tmp_path / "e.parquet")
    (warning,) = [w for w in summary.warnings if "mixed.log" in w]
    assert warning.startswith("warning: --format auto chose hdfs from the first lines of hdfs.log")
    assert "reads 1 of the first 5 lines of mixed.log" in warning and "zookeeper" in warning
    # files that fit: nothing to say
    summary = parse_files([hdfs, _log(tmp_path, "more.log", HDFS)], resolve_format("auto"),
                          tmp_path / "e.parquet")  # fmt: skip
    assert summary.warnings == []


def test_bad_fit_warning_names_each_file_that_does_not_fit(tmp_path):
    big = _log(tmp_path, "big.log", HDFS * 10)
    zk = _log(tmp_path, "zk.log", ZOOKEEPER)
    summary = parse_files([big, zk], resolve_format("hdfs"), tmp_path / "e.parquet")
    assert summary.rejected == 2 and summary.lines == 32  # under half of all lines
    (warning,) = summary.warnings
    assert warning.startswith("warning: format hdfs does not fit zk.log: 2 of its 2 lines (100%)")
    assert "try --format zookeeper" in warning and "e.rejects.txt" in warning
    # one input: the warning over all lines, as before
    summary = parse_files([_log(tmp_path, "one.log", ZOOKEEPER + HDFS[:1])],
                          resolve_format("hdfs"), tmp_path / "e.parquet")  # fmt: skip
    (warning,) = summary.warnings
    assert warning.startswith("warning: format hdfs does not fit these logs: 2 of 3 lines")


# --- L7: UTF-16 / UTF-32 ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32"), ("utf-32-be", "UTF-32")],
)
def test_utf16_and_utf32_are_named_with_how_to_convert(tmp_path, encoding, name):
    bom = {"utf-16-be": b"\xfe\xff", "utf-32-be": b"\x00\x00\xfe\xff"}.get(encoding, b"")
    path = tmp_path / "wide.log"
    path.write_bytes(bom + "\n".join(HDFS).encode(encoding))
    # the converted file keeps its name (QA SQL Server: `.utf8.txt` names broke rotation order)
    with pytest.raises(LogbertError, match=f"wide.log is {name} text .* `mkdir -p utf8 && iconv "
                       f"-f {name} -t UTF-8 .*wide.log > utf8/wide.log`"):  # fmt: skip
        parse_files([str(path)], resolve_format("hdfs"), tmp_path / "e.parquet")
    packed = tmp_path / "wide.log.gz"
    packed.write_bytes(gzip.compress(path.read_bytes()))
    with pytest.raises(LogbertError, match=rf"`mkdir -p utf8 && zcat .*wide.log.gz \| iconv "
                       rf"-f {name} -t UTF-8 > utf8/wide.log`"):  # fmt: skip
        list(iter_chunks(str(packed)))


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_line(tmp_path):
    path = tmp_path / "bom.log"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(HDFS).encode())
    summary = parse_files([str(path)], resolve_format("hdfs"), tmp_path / "e.parquet")
    assert summary.rejected == 0 and summary.timestamps == 3  # with the mark: no date on line 1
    events = pq.read_table(tmp_path / "e.parquet")
    assert events["Date"][0].as_py() == "081109"


# --- QA: inputs sharing a base name, a damaged .gz, UTF-16 without a byte-order mark ------------
def test_source_names_are_base_names_unless_two_inputs_share_one():
    assert source_names(["a/x.log", "b/y.log", "-"]) == ["x.log", "y.log", "stdin"]
    assert source_names(["h1/auth.log", "h2/auth.log", "z.log"]) == [
        "h1/auth.log", "h2/auth.log", "z.log",
    ]  # fmt: skip
    stdin, file = source_names(["-", "stdin"])  # still shared as given: the absolute path
    assert stdin == "stdin" and file.endswith("/stdin") and file != "stdin"


def test_inputs_with_the_same_name_keep_their_lines_apart(tmp_path):
    (tmp_path / "host1").mkdir()
    (tmp_path / "host2").mkdir()
    one = _log(tmp_path, "host1/auth.log", HDFS[:2] + ["not hdfs"])
    two = _log(tmp_path, "host2/auth.log", HDFS[2:] + ["not hdfs"])
    other = _log(tmp_path, "other.log", HDFS[:1])
    out = tmp_path / "e.parquet"
    parse_files([one, two, other], resolve_format("hdfs"), out)
    rows = pq.read_table(out, columns=["source", "line_no"]).to_pylist()
    assert [(r["source"], r["line_no"]) for r in rows] == [
        (one, 1), (one, 2), (two, 1), ("other.log", 1),
    ]  # fmt: skip
    rejects = (tmp_path / "e.rejects.txt").read_text().splitlines()[1:]
    assert rejects == [f"{one}\t3\tnot hdfs", f"{two}\t2\tnot hdfs"]


@pytest.mark.parametrize("block_bytes", [8 << 20, 4096])
def test_a_truncated_gzip_names_the_lines_it_held_before_the_damage(tmp_path, block_bytes):
    data = "".join(f"{HDFS[0]} {i}\n" for i in range(3000)).encode()
    packed = gzip.compress(data)
    cut = packed[: len(packed) // 2]
    complete = zlib.decompressobj(31).decompress(cut).count(b"\n")
    assert complete > 0
    path = tmp_path / "cut.log.gz"
    path.write_bytes(cut)
    with pytest.raises(LogbertError, match=f"cut.log.gz: .* after {complete:,} complete lines"):
        list(iter_chunks(str(path), block_bytes))


def test_a_gzip_member_followed_by_plain_text_is_named_as_joined_files(tmp_path):
    """QA: `cat app.log.2.gz app.log.1 app.log | logbert ... -` was told the gzip stream was
    truncated or corrupt, and to re-compress a file that was fine."""
    path = tmp_path / "joined"
    path.write_bytes(gzip.compress(f"{HDFS[0]}\n{HDFS[1]}\n".encode()) + f"{HDFS[2]}\n".encode())
    with pytest.raises(LogbertError, match=r"after 2 lines of gzip data .* not gzip .*zcat -f"):
        list(iter_chunks(str(path)))


def test_a_zlib_file_is_read_as_its_text_one_stream_after_another(tmp_path):
    """QA BackupPC: its logs are stored zlib-compressed (`XferLOG.59.z`, no gzip header); read
    as bytes, their "events" were compressed data, scored as alerts with exit 0."""
    text = "".join(f"{line}\n" for line in HDFS * 40).encode()
    path = tmp_path / "XferLOG.59.z"
    path.write_bytes(zlib.compress(text[:1000]) + zlib.compress(text[1000:]))  # two streams
    read = [line for chunk in iter_chunks(str(path), 256) for line in chunk.lines.to_pylist()]
    assert read == text.decode().splitlines()
    path.write_bytes(zlib.compress(text)[:-40])  # cut short
    with pytest.raises(LogbertError, match=r"the zlib stream is truncated or corrupt .* after"):
        list(iter_chunks(str(path)))
    plain = tmp_path / "x.log"  # text that starts like a zlib header (`x^`) is text
    plain.write_bytes(b"x^ starts like zlib\nsecond\n")
    assert next(iter_chunks(str(plain))).lines.to_pylist() == ["x^ starts like zlib", "second"]


@pytest.mark.parametrize(
    ("encoding", "name"), [("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE")]
)
def test_utf16_without_a_byte_order_mark_is_named_with_how_to_convert(tmp_path, encoding, name):
    path = tmp_path / "wide.log"
    path.write_bytes("\n".join(HDFS).encode(encoding))  # these codecs write no mark
    why = r"\(every other byte is a NUL, with no byte-order mark\)"
    said = rf"wide.log is {name} text {why}.* `mkdir -p utf8 && iconv -f {name} "
    with pytest.raises(LogbertError, match=said):
        parse_files([str(path)], resolve_format("hdfs"), tmp_path / "e.parquet")
    binary = tmp_path / "data.bin"  # NUL-heavy binary data is not taken for UTF-16
    binary.write_bytes(bytes(range(256)) * 4 + b"\x00\x01" * 500)
    with pytest.raises(LogbertError, match="looks binary") as err:
        parse_files([str(binary)], resolve_format("hdfs"), tmp_path / "e.parquet")
    assert "UTF-16" not in str(err.value)


def test_rejected_stack_trace_lines_get_a_hint_in_the_summary(tmp_path):
    """A Java stack trace under a log line: its lines are rejected (and kept in the rejects
    file), and the summary says why rather than a bare count."""
    trace = [
        "java.net.SocketTimeoutException: Read timed out",
        "\tat com.shop.cache.RegionCache.refresh(RegionCache.java:56)",
        "Caused by: java.io.IOException: reset",
        "\t... 12 more",
    ]
    summary = parse_files([_log(tmp_path, "h.log", HDFS + trace)], resolve_format("hdfs"),
                          tmp_path / "e.parquet")  # fmt: skip
    assert summary.rejected == 4
    assert summary.line().startswith(
        "7 lines, 2 templates, 4 rejected (4 look like continuation lines of multi-line "
        "records, e.g. stack traces: logbert reads one event per line and does not judge them, "
        "so a problem shown only there goes unseen unless each record is joined into one line "
        "first)"
    )
    summary = parse_files([_log(tmp_path, "z.log", HDFS + ZOOKEEPER + trace[1:2])],
                          resolve_format("hdfs"), tmp_path / "z.parquet")  # fmt: skip
    assert "continuation" not in summary.line()  # 1 of 3 rejects: no hint
    summary = parse_files([_log(tmp_path, "y.log", HDFS + trace + ZOOKEEPER[:1])],
                          resolve_format("hdfs"), tmp_path / "y.parquet")  # fmt: skip
    assert "joined into one line first; the other 1 is a line of its own that the format " in (
        summary.line()
    )  # QA: PostgreSQL's checkpointer lines were counted among the continuation lines


def test_the_summary_says_how_to_join_a_few_stack_traces(tmp_path):
    """QA WildFly, Trino, uWSGI: where the traces were too few for a warning, the summary said
    to join each record into one line, not how."""
    trace = ["java.lang.OutOfMemoryError: Java heap space", "\tat com.shop.Export.run(E.java:9)"]
    summary = parse_files([_log(tmp_path, "h.log", HDFS * 4 + trace)], resolve_format("hdfs"),
                          tmp_path / "e.parquet")  # fmt: skip
    assert not [w for w in summary.warnings if "joined.log" in w]
    assert "joined into one line first (where each record starts with a date, awk '/^[0-9]" \
        in summary.line()  # fmt: skip


TRACE = [  # one exception's stack trace, a continuation of the log line above it
    "java.net.SocketTimeoutException: Read timed out",
    *["\tat com.shop.cache.RegionCache.refresh(RegionCache.java:56)"] * 6,
    "\t... 12 more",
]


def test_a_format_that_fits_the_records_of_a_log_of_long_traces_is_not_blamed(tmp_path):
    """Most lines rejected, but nearly all of them the rest of stack traces: the warning
    says the format fits the records and does not advise another format or a split."""
    lines = HDFS[:1] + TRACE + HDFS[1:] + TRACE  # 3 records, 16 continuation lines
    summary = parse_files([_log(tmp_path, "t.log", lines)], resolve_format("hdfs"),
                          tmp_path / "e.parquet")  # fmt: skip
    (warning,) = summary.warnings
    assert warning == (
        "warning: format hdfs fits the records of these logs, but 16 of 19 lines (84%) did not "
        f"match it (see {tmp_path / 'e.rejects.txt'}): 16 of them look like continuation lines "
        "of multi-line records (stack traces), which logbert reads one event per line and does "
        "not judge; to judge them, join each record into one line first "
        f"({join_continuations(HDFS)})"
    )
    # the records do not fit either: the format is blamed, and the advice judges the
    # records of the first lines (hdfs reads them), not the traces that outnumber them
    # with several inputs, each file that fits only by its records is named so
    parser = Parser(resolve_format("hdfs"))
    parser.inputs = [InputFit("t.log", 19, 16, 0, 16), InputFit("h.log", 3)]
    assert bad_fit_warnings(parser, 16, 22, 0) == [
        "warning: format hdfs fits the records of t.log, but 16 of its 19 lines (84%) did not "
        "match it: 16 of them look like continuation lines of multi-line records (stack "
        "traces), which logbert reads one event per line and does not judge; "
        f"to judge them, join each record into one line first ({join_continuations()})"
    ]
    lines = HDFS + TRACE + HDFS + TRACE + ZOOKEEPER[:1]  # 7 records, 16 continuation lines
    summary = parse_files([_log(tmp_path, "z.log", lines)], resolve_format("zookeeper"),
                          tmp_path / "z.parquet")  # fmt: skip
    (warning,) = summary.warnings
    assert warning.startswith("warning: format zookeeper does not fit these logs: 22 of 23 lines")
    assert warning.endswith("try --format hdfs (it reads the first lines)")


def test_a_line_longer_than_csv_s_field_limit_parses_and_its_templates_read_back(tmp_path):
    """QA: a 140 KB line made parse fail after writing its output (csv's 128 KiB field limit
    on reading its own templates.csv back), and report refused the model."""
    from logbert.parsing.templates import read_templates

    log = tmp_path / "long.log"
    log.write_text("hello world 1\nbig " + "y" * 140_000 + "\nhello world 3\n")
    summary = parse_files([str(log)], resolve_format("raw"), tmp_path / "ev.parquet")
    assert summary.lines == 3
    assert max(len(t) for t in read_templates(tmp_path / "templates.csv").values()) > 140_000


def test_an_undated_input_among_dated_ones_is_a_warning_naming_it(tmp_path):
    """A syslog file among ISO-dated ones, read by a format string: its lines split (the
    wildcard fields take `Oct` and `24`) with no timestamp, and only a note said so."""
    fmt = resolve_format("<Timestamp> <Host> <Component>[<Pid>]: <Content>")
    iso = [f"2026-10-24T0{i}:00:00Z h1 sched[101]: heartbeat depth={i}" for i in range(4)]
    syslog = [f"Oct 24 0{i}:00:01 h3 CRON[63]: (root) CMD (run-parts)" for i in range(3)]
    logs = [_log(tmp_path, name, iso) for name in ("h1.log", "h2.log")]
    logs.append(_log(tmp_path, "h3.log", syslog))
    summary = parse_files(logs, fmt, tmp_path / "e.parquet")
    assert summary.rejected == 0 and summary.timestamps == 8
    (warning,) = [w for w in summary.warnings if w.startswith("warning: h3.log")]
    assert warning.startswith(
        "warning: h3.log: none of its 3 lines has a timestamp while the other inputs' lines are "
        "dated: its lines have another layout than format '<Timestamp> <Host> <Component>[<Pid>]"
        ": <Content>' reads (the first, h3.log:1 'Oct 24 00:00:01 h3 CRON[63]: (root) CMD "
        "(run-parts)', has <Timestamp> = 'Oct 24' where ISO 8601"
    )
    assert warning.endswith(
        "so their header fields are likely wrong too and time windows leave them out; parse it "
        "in a run of its own: try --format linux or --format mac (they read the first lines)"
    )
    assert not [n for n in summary.notes if "have none" in n]  # said once, in the warning
    # one input: the note over the run, as before
    summary = parse_files(
        [_log(tmp_path, "one.log", iso + syslog[:1])], fmt, tmp_path / "o.parquet"
    )
    assert summary.warnings == []
    assert summary.notes[-1].startswith("timestamps: 1 of 5 lines (20%) have none: the first, ")


def test_a_level_of_several_words_is_a_missing_header_field_warning(tmp_path):
    """QA: a new version added a host after the level (`INFO api-7f9c [worker-5] ...`); the
    format read `INFO api-7f9c` as the level, silently (`--by-field Level` changed meaning)."""
    fmt = resolve_format("<Date> <Time> <Level> [<Thread>] <Component>: <Content>")
    log = tmp_path / "app.log"
    log.write_text(
        "".join(
            f"2024-03-11 10:00:0{i} INFO api-7f9c [w-{i}] svc.Api: step {i}\n" for i in range(3)
        )
    )
    summary = parse_files([str(log)], fmt, tmp_path / "e.parquet")
    (warning,) = summary.warnings
    assert warning.endswith(
        "<Level> holds several words on 3 of 3 lines (the first, app.log:1: 'INFO api-7f9c'): the "
        "lines write a header field the format lacks (a host or service name?), so it is read "
        "as part of <Level>; add it to the format string (e.g. '<Level> <Host>'); if the field "
        "holds several words by design (Nagios' `CURRENT HOST STATE`), name it otherwise"
    )
    log.write_text("2024-03-11 10:00:01 INFO [w-1] web-0 svc.Api: step 1\n")  # before Component
    (warning,) = parse_files([str(log)], fmt, tmp_path / "h.parquet").warnings
    assert "<Component> holds several words on 1 of 1 lines" in warning
    assert "(e.g. '<Host> <Component>')" in warning
    log.write_text("2024-03-11 10:00:01 INFO [w-1] svc.Api: step 1\n")
    assert parse_files([str(log)], fmt, tmp_path / "f.parquet").warnings == []
    # a model's parser: the field may have been missing from its training logs' format too
    # (QA: `score` of the training log itself said "the logs changed")
    model = Parser(resolve_format("<Date> <Time> <Level> <Component>: <Content>")).freeze()
    model.process(["2024-03-11 10:00:01 INFO api-7f9c svc.Api: step 1"] * 3)
    (warning,) = spaced_field_warnings(model)
    assert warning.endswith(
        "the model's format lacks that field: retrain with a format that has it (if `train` "
        "warned the same, its format never fit these logs; if not, more of these lines than of "
        "the training logs' are so written)"
    )
    padded = resolve_format("<Date> <Time> [<Level>] <Component>: <Content>")  # logback %-5level
    log.write_text(
        "2024-03-11 10:00:01 [WARN ] svc.Api: step 1\n2024-03-11 10:00:02 [ INFO] a: b\n"
    )
    assert parse_files([str(log)], padded, tmp_path / "g.parquet").warnings == []


def test_lines_of_another_layout_name_the_format_that_reads_them(tmp_path):
    """QA: a JSON log after a plain-text start-up banner; `auto` chose `iso` for the banner,
    and the warning for the 96% it rejected said no built-in format reads the lines."""
    banner = [f"2026-11-20 07:59:{i:02d},000 INFO main: loading config module {i}"
              for i in range(50)]  # fmt: skip
    app = [f'{{"ts":"2026-11-20T08:00:{i % 60:02d}Z","level":"info","msg":"served","n":{i}}}'
           for i in range(400)]  # fmt: skip
    summary = parse_files([_log(tmp_path, "b.log", banner + app)], resolve_format("iso"),
                          tmp_path / "b.parquet")  # fmt: skip
    (warning,) = summary.warnings
    assert warning.startswith("warning: format iso does not fit these logs: 400 of 450 lines")
    assert warning.endswith("--format json reads the first of the rejected lines: try it")


def _zone_times(tmp_path, lines: list[str], name: str = "pg"):
    fmt = resolve_format("<Date> <Time> <Zone> [<Pid>] <Content>")
    log = tmp_path / f"{name}.log"
    log.write_text("".join(line + "\n" for line in lines))
    summary = parse_files([str(log)], fmt, tmp_path / f"{name}.parquet")
    times = pq.read_table(tmp_path / f"{name}.parquet").column("timestamp").to_pylist()
    return [t.isoformat(sep=" ") for t in times], summary


def test_a_zone_field_beside_the_timestamp_is_applied(tmp_path):
    """QA: PostgreSQL's `%m` with log_timezone = CET wrote `... 06:00:18.746 CET [4821]`; the
    CET time was stored as UTC with no word. Zones with one meaning are applied; a tz database
    name by the date (daylight saving); a timestamp's own offset wins."""
    times, summary = _zone_times(tmp_path, [
        "2026-01-04 06:00:18 Europe/Paris [4826] LOG:  checkpoint starting",
        "2026-07-01 06:00:18 CEST [4822] LOG:  checkpoint starting",
        "2026-07-02 06:00:18 EDT [4823] LOG:  checkpoint starting",
        "2026-07-03 06:00:18 -05 [4824] LOG:  checkpoint starting",
        "2026-07-04 06:00:18 Europe/Paris [4825] LOG:  checkpoint starting",
        "2026-07-05 06:00:18+02:00 CET [4827] LOG:  checkpoint starting",
        "2026-07-06 06:00:18 UTC [4828] LOG:  checkpoint starting",
        "2026-11-04 06:00:18.746 CET [4821] LOG:  checkpoint starting",
    ])  # fmt: skip
    assert times == [
        "2026-01-04 05:00:18", "2026-07-01 04:00:18", "2026-07-02 10:00:18",
        "2026-07-03 11:00:18", "2026-07-04 04:00:18", "2026-07-05 04:00:18",
        "2026-07-06 06:00:18", "2026-11-04 05:00:18.746000",
    ]  # fmt: skip
    assert summary.warnings == []
    assert (
        "timestamps: the time zones of the lines' own zone field (-05, CEST, CET, EDT, "
        "Europe/Paris) were applied: times are stored in UTC"
    ) in summary.notes


def test_a_zone_field_naming_several_zones_is_a_warning_and_left_as_written(tmp_path):
    times, summary = _zone_times(tmp_path, [
        "2026-11-04 06:00:18 CST [4821] LOG:  checkpoint starting",  # US Central, or China
        "2026-11-04 06:00:19 Mars/Olympus [4821] LOG:  checkpoint complete",
    ])  # fmt: skip
    assert times == ["2026-11-04 06:00:18", "2026-11-04 06:00:19"]
    (warning,) = summary.warnings
    assert warning.startswith(
        "warning: format '<Date> <Time> <Zone> [<Pid>] <Content>': <Zone> holds the time zone "
        "'CST', which logbert cannot apply (an abbreviation of several zones, or a name the "
        "tz database lacks)"
    )
    assert not any("were applied" in note for note in summary.notes)
    _, utc = _zone_times(tmp_path, ["2026-11-04 06:00:18 UTC [1] LOG:  x"], "utc")
    assert utc.warnings == [] and not any("zone" in note for note in utc.notes)


def test_terminal_colour_codes_are_no_part_of_an_event(tmp_path):
    """QA (CI runner logs): `ESC[32mSUCCESS ESC[0m` kept its codes in templates, so a runner
    with colour turned off wrote other templates (163 false alarms)."""
    coloured = tmp_path / "colour.log"
    coloured.write_text(
        "2026-03-02T08:02:10.823+02:00 INFO \x1b[1m[build-48000]\x1b[0m Build finished: "
        "\x1b[32mSUCCESS\x1b[0m\n"
        "\x1b[2m2026-03-02T08:02:11Z\x1b[0m ERROR Tests failed: \x1b[31m3\x1b[0m\n"
    )
    plain = tmp_path / "plain.log"
    plain.write_text(
        "2026-03-02T08:02:10.823+02:00 INFO [build-48000] Build finished: SUCCESS\n"
        "2026-03-02T08:02:11Z ERROR Tests failed: 3\n"
    )
    inputs = [str(coloured), str(plain)]
    summary = parse_files(inputs, resolve_format("iso"), tmp_path / "e.parquet")
    assert summary.rejected == 0
    events = pq.read_table(tmp_path / "e.parquet").to_pydict()
    assert events["template_id"][:2] == events["template_id"][2:]
    assert not any("\x1b" in t for t in events["template"] + events["content"])
    assert events["timestamp"][1] == events["timestamp"][3]  # a coloured time is read too


def test_concealed_text_goes_with_its_escapes():
    """QA Jenkins: console notes hidden as `ESC[8m<base64>ESC[0m` stayed, glued to the next
    word, and `[Pipeline] stage` and `// stage` were one template, `<*> stage`."""
    import pyarrow as pa

    from logbert.parsing.splitter import strip_ansi

    lines = ["\x1b[8mha:////4LCAAAAAAA+1Y==\x1b[0m[Pipeline] stage", "\x1b[8mha:/x\x1b[0m// stage"]
    assert strip_ansi(pa.array(lines)).to_pylist() == ["[Pipeline] stage", "// stage"]


def test_many_inputs_are_named_by_the_first_few_and_a_count():
    """QA (600 boot logs): every error began with all 600 paths; a threshold's recorded
    source was 17,514 characters."""
    from logbert.parsing.reader import name_files

    assert name_files(["a.log", "b.log", "c.log", "d.log"]) == "a.log, b.log, c.log, d.log"
    many = [f"boots/{i}.log" for i in range(600)]
    assert name_files(many) == "boots/0.log, boots/1.log, boots/2.log and 597 more files"


def test_inputs_with_and_without_utc_offsets_are_a_warning(tmp_path):
    """QA (Airflow): a worker log stripped of its +0200 beside a scheduler log in UTC was
    read as UTC; sessions across the two were out by two hours, F1 0.22, no word of why."""
    scheduler = tmp_path / "scheduler.log"
    scheduler.write_text("".join(f"2026-03-04T10:00:0{i}+00:00 INFO queued task {i}\n"
                                 for i in range(3)))  # fmt: skip
    worker = tmp_path / "worker.log"
    worker.write_text("".join(f"2026-03-04 12:00:0{i} INFO running task {i}\n" for i in range(3)))
    fmt = resolve_format("iso")
    summary = parse_files([str(scheduler), str(worker)], fmt, tmp_path / "e.parquet")
    (warning,) = [n for n in summary.warnings + summary.notes if "UTC offset" in n]
    assert warning.startswith(
        "warning: timestamps: worker.log writes times without a UTC offset, read as UTC, while "
        "scheduler.log writes them with one: if the former are local times"
    )
    worker.write_text(worker.read_text().replace(" INFO", "+02:00 INFO"))
    both = parse_files([str(scheduler), str(worker)], fmt, tmp_path / "f.parquet")
    assert not [n for n in both.warnings + both.notes if "UTC offset" in n]


def test_a_format_that_lets_the_time_out_reads_a_file_without_one(tmp_path):
    """QA Jenkins: `(\\[<Timestamp>\\] )?<Content>` (the timestamper plugin on some jobs only):
    a build without a dated line was refused, by a model trained on such builds too."""
    log = tmp_path / "log"
    log.write_text("Started by timer\n[Pipeline] node\nFinished: SUCCESS\n")
    fmt = resolve_format(r"(\[<Timestamp>\] )?<Content>")
    summary = parse_files([str(log)], fmt, tmp_path / "e.parquet")
    assert any("found a time in none of the 3 lines" in w for w in summary.warnings)
    with pytest.raises(LogbertError, match="read no timestamp from any"):
        parse_files([str(log)], resolve_format(r"<Timestamp> <Content>"), tmp_path / "f.parquet")


@pytest.mark.parametrize(
    ("line", "continuation"),
    [
        ("orders.models.Order.DoesNotExist: Order matching query does not exist.", True),
        ("django.core.exceptions.PermissionDenied: staff only", True),
        ("requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='pay')", True),
        ("java.net.SocketTimeoutException: Read timed out", True),
        ("INFO: started", False),
        ("Started by user alice", False),
    ],
)
def test_a_python_tracebacks_last_line_is_a_continuation_line(line, continuation):
    """QA Django: the line a traceback ends with (its exception and message) was counted as a
    line of its own the format does not read, sending the user after a format problem."""
    from logbert.parsing.auto import looks_like_continuation

    assert looks_like_continuation(line) is continuation


def test_no_timestamp_error_says_how_many_lines_did_not_fit(tmp_path):
    """QA hclog: a format missing the `T` of ISO times split one banner line, and the error
    named only it, not the 11,400 lines the format did not fit."""
    log = tmp_path / "hc.log"
    lines = ["Client Addr [0.0.0.0] (HTTP: 8500)"] + [
        f"2026-11-20T10:15:{i}.123Z [INFO]  agent.server.raft: entering follower state"
        for i in range(10, 40)
    ]
    log.write_text("\n".join(lines) + "\n")
    fmt = resolve_format("<Date> <Time> [<Level>] <Component>: <Content>")
    said = r"the 1 lines it split into its fields \(30 other lines did not fit it at all, e\.g\. '"
    with pytest.raises(LogbertError, match=said + "2026-11-20T10:15:10"):
        parse_files([str(log)], fmt, tmp_path / "e.parquet")


def test_auto_reads_a_level_first_layout(tmp_path):
    """QA Cassandra: auto found no format for logback's `%-5level [%thread] %date ...`, and the
    date-first example it gave fitted no line; it suggested a format string (round 44), and
    `level-first` reads the layout now (round 49). The format string still fits."""
    log = tmp_path / "system.log"
    log.write_text("INFO  [CompactionExecutor:12] 2026-11-20 10:15:02,123 CompactionTask.java:241"
                   " - Compacted 4 sstables\n")  # fmt: skip
    summary = parse_files([str(log)], resolve_format("auto"), tmp_path / "e.parquet")
    assert summary.rejected == 0 and "chose level-first" in " ".join(summary.notes)
    suggested = "<Level> [<Thread>] <Date> <Time> <Content>"
    summary = parse_files([str(log)], resolve_format(suggested), tmp_path / "f.parquet")
    assert summary.rejected == 0 and not summary.warnings


def test_a_csv_export_is_named_with_how_to_read_it(tmp_path):
    """QA Event Viewer and Splunk exports: `--format auto` said only that no built-in format
    reads a timestamp, and a format string split quoted messages at their line breaks."""
    viewer = [
        "\ufeffLevel,Date and Time,Source,Event ID,Task Category",
        'Information,11/18/2026 11:57:12 PM,Service Control Manager,7036,None,"The service '
        'entered the stopped state."',
        'Information,11/18/2026 11:54:45 PM,Microsoft-Windows-Security-Auditing,4634,Logoff,"An '
        "account was logged off.",
        "",
        "Subject:",
    ]
    splunk = ['"_time","host","source","sourcetype","_raw"',
              '"2026-11-20T00:59:19.194+01:00","web01","/var/log/syslog","syslog","Nov 20 x"']
    for name, lines in (("evt.csv", viewer), ("spl.csv", splunk)):
        with pytest.raises(LogbertError) as err:
            parse_files([_log(tmp_path, name, lines)], resolve_format("auto"), tmp_path / "e.pq")
        assert "looks like the header of a CSV export" in str(err.value)
        assert "--format json" in str(err.value) and "csv.DictReader(sys.stdin)" in str(err.value)
    # a log whose first line holds commas is no CSV export
    log = ["2026-11-20 10:00:00,123 INFO a, b, c", "2026-11-20 10:00:01,123 INFO d, e, f"]
    summary = parse_files([_log(tmp_path, "app.log", log)], resolve_format("auto"),
                          tmp_path / "a.parquet")  # fmt: skip
    assert summary.lines == 2


def test_a_csv_export_after_a_preamble_is_named_and_an_ansi_log_is_told_to_convert(tmp_path):
    """QA DHCP: Windows DHCP Server writes ~30 lines of explanation before its CSV header
    (`VendorClass(Hex)` among the columns), and was not named a CSV export; its ANSI bytes
    were only counted as undecodable."""
    preamble = ["\t\tMicrosoft DHCP Service Activity Log", "", "Event ID  Meaning",
                "00\tThe log was started."]  # fmt: skip
    header = "ID,Date,Time,Description,IP Address,VendorClass(Hex),DnsRegError."
    rows = ["10,11/20/26,10:15:02,Assign,10.0.5.23,0x4D53465420352E30,0"] * 3
    with pytest.raises(LogbertError) as err:
        parse_files([_log(tmp_path, "DhcpSrvLog-Fri.log", preamble + [header] + rows)],
                    resolve_format("auto"), tmp_path / "e.pq")  # fmt: skip
    said = str(err.value)
    assert "a line after 3 others looks like the header of a CSV export" in said
    assert "sed -n '/^ID,Date,Time,Description/,$p' LOG | python3 -c" in said
    log = tmp_path / "ansi.log"
    log.write_bytes("2026-11-20T10:00:00Z host J\u00dcRGEN-PC leased\n".encode("cp1252"))
    summary = parse_files([str(log)], resolve_format("iso"), tmp_path / "a.parquet")
    assert "iconv -f cp1252 -t utf-8" in summary.line()


def test_an_indented_line_is_no_record_of_a_format_that_starts_with_a_field(tmp_path):
    """QA SQL Server: the start-up banner's `\\tOct 30 2023 16:12:44` split with an empty
    <Date> (the words after it fields), and --by-field Component made sessions of them."""
    lines = ["2026-11-20 10:15:02.12 Server      Microsoft SQL Server 2022 (RTM-CU10)",
             "\tOct 30 2023 16:12:44", "\tCopyright (C) 2022 Microsoft Corporation",
             "2026-11-20 10:15:02.45 spid52      Starting up database 'Sales'."]  # fmt: skip
    fmt = resolve_format("<Date> <Time> <Component> <Content>")
    summary = parse_files([_log(tmp_path, "ERRORLOG", lines)], fmt, tmp_path / "e.parquet")
    assert summary.rejected == 2
    events = pq.read_table(tmp_path / "e.parquet")
    assert events["Component"].to_pylist() == ["Server", "spid52"]


def test_a_component_of_several_words_on_a_quarter_of_the_lines_is_said(tmp_path):
    """QA ASA: two firewalls of three wrote a header field the format lacked, 47% of the
    lines: nothing at `train`, a warning at `evaluate` (past half) saying the logs changed."""
    fmt = resolve_format("<Month> <Day> <Time> <Host> <Component>: <Content>")
    plain = [f"Nov 20 10:15:0{i} fw01 %ASA-6-302013: Built inbound {i}" for i in range(6)]
    stamped = [f"Nov 20 10:15:0{i} fw02 Nov 20 2026 10:15:0{i}: Built {i}" for i in range(4)]
    summary = parse_files([_log(tmp_path, "fw.log", plain + stamped)], fmt, tmp_path / "e.pq")
    assert [w for w in summary.warnings if "<Component> holds several words on 4 of 10" in w]


def test_inputs_past_the_named_ones_that_leave_out_lines_are_counted(tmp_path):
    """QA Ceph: three files leaving out a quarter of their lines were named and a fourth,
    whose lost lines held an incident, was not mentioned."""
    folder = tmp_path / "logs"
    folder.mkdir()
    for i in range(5):
        lines = [
            line
            for k in range(10, 40)
            for line in (
                f"2026-11-30T00:00:{k}.000+0000 7f00  0 log [DBG] : 2.{k} scrub ok",
                "Cumulative stall: 00:00:0.000 H:M:S, 0.0 percent",
            )
        ]
        (folder / f"ceph-osd.{i}.log").write_text("\n".join(lines) + "\n")
    files = [str(path) for path in sorted(folder.iterdir())]
    summary = parse_files(files, resolve_format("iso"), tmp_path / "e.parquet")
    assert len([w for w in summary.warnings if "do not look like continuation lines" in w]) == 3
    assert any(w.startswith("warning: 2 more inputs leave out over 10%") for w in summary.warnings)


def test_a_field_before_a_tab_may_hold_spaces(tmp_path):
    """QA Trino (round 50): airlift's tab-separated `Service Thread` was called a misread field,
    and the advice sent the user to fix a format that was right."""
    log = tmp_path / "server.log"
    log.write_text("".join(
        f"2026-12-04T08:01:{i:02d}.124Z\tINFO\t{'Service Thread' if i == 3 else f'query-{i}'}"
        f"\tio.airlift.stats.JmxGcMonitor\tMajor GC: application {i}ms\n" for i in range(40)
    ))  # fmt: skip
    fmt = resolve_format("<Timestamp>\t<Level>\t<Thread>\t<Component>\t<Content>")
    summary = parse_files([str(log)], fmt, tmp_path / "e.parquet")
    assert summary.rejected == 0 and not any("<Thread>" in w for w in summary.warnings)
