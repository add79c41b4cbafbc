"""`--format auto` and format advice: which built-in format reads a sample of lines best.

`--format auto`: the parser picks the built-in format that reads the most of the first lines
(`rank_formats`) when it sees its first chunk (`Parser.choose_format`); a binary input
(`looks_binary`), or one where no built-in format reads a timestamp, is an error. When a format
does not fit, messages name the built-in formats that would (`suggest_formats`), each tried on
the first lines as a real parse would. Apart from the `Parser` so that its messages and the
writing side (`summary.py`) share these helpers and depend on them one way.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from logbert.parsing.formats import (
    BUILTIN_FORMATS,
    ZONE_ABBREVIATIONS,
    LogFormat,
    parse_timestamps,
    resolve_format,
)
from logbert.parsing.json_lines import JSON
from logbert.parsing.logfmt import LOGFMT
from logbert.parsing.splitter import split_lines

if TYPE_CHECKING:  # annotations only: the parser imports this module, never the reverse
    from logbert.parsing.pipeline import Parser

HEAD_LINES = 200  # first input lines kept (`Parser.head`) to suggest a format that fits
AUTO_YEAR = 2000  # a leap year: lets `rank_formats` check dates of formats without a year
# epoch times earlier than this (2001-09-09, 10-digit seconds) are not counted as dates by
# `rank_formats`, as JSON lines do not date by them (`json_lines._is_time`)
EPOCH_PLAUSIBLE = pa.scalar(1_000_000_000 * 1_000_000, pa.timestamp("us"))
SHOWN_CHARS = 120  # an input line quoted in a message is cut to this many characters
SUGGEST_FIT = 0.8  # a suggested format splits this share of the first lines ...
SUGGEST_DATED = 0.5  # ... and reads a timestamp from this share of them
AUTO_DATED = 0.2  # `--format auto` picks no format dating fewer of the first lines than this
INPUT_DATED = 0.05  # one of several inputs dating at most this share of its events: another layout

# the lines after the first of a multi-line record: indented lines (`\tat ...`, `  File ...`),
# a stack trace's `at ...`, `Caused by: ...`, `Suppressed: ...`, `... 12 more`, and the
# exception or traceback header a trace starts with (`java.net.SocketTimeoutException: ...`,
# `Traceback (most recent call last):`), and the line a Python traceback ends with, a dotted
# class and its message (`orders.models.Order.DoesNotExist: ...`, `requests.exceptions.
# ReadTimeout: ...`; QA Django: 35 of them called "lines of their own"); Ruby's exception
# and backtrace lines (`PG::ConnectionBad (could not connect ...):`, `app/models/order.rb:12:in
# ...`); each after a logger's tag (Rails' `[request-id] `: QA, 390 such rejects unexplained);
# PHP's trace as Monolog writes it (`[stacktrace]`, `#0 /var/www/...(720): ...`, `#42 {main}`,
# the context's closing `"}`: QA Laravel, "no continuation lines" of no format); a line of
# closing (or one opening) brackets alone, the end of a pretty-printed JSON result or
# structure (`}`, `},`, `]`, `);`, `{`: QA Ansible's `-v` results, macOS's `log show`); PHP's
# chained `[previous exception] ...`; a Go stack's `goroutine 7 [running]:` and function lines
# (`main.(*Server).handle`, `net/http.HandlerFunc.ServeHTTP(...)`: QA zap, "no continuation");
# Hadoop's `ExitCodeException exitCode=1:` and Java's `Exception in thread "main" ...` (QA YARN);
# VMware ESXi hostd's `-->` lines of a fault or event record (QA: "no continuation lines");
# a crash dump's (GlusterFS: `pending frames:`, `signal received: 11`, `time of crash:`)
_CONTINUATION = re.compile(
    r"(?:\[[^\]\s]+\] )?"
    r"(?:\s|-->|pending frames:|signal received: |time of crash:"
    r"|at |Caused by:|Suppressed:|\.\.\. \d+ more|Traceback \(most recent call last\)"
    r"|(?:[\w$]+\.)*[\w$]+(?:Exception|Error|Throwable)(?::|$| \w+=| \(0x[0-9A-Fa-f]+\):)"
    r"|Exception in thread "
    r"|(?:[a-z_]\w*\.)+(?:[A-Z]\w*\.)*[A-Z]\w*: "
    r"|(?:[A-Z]\w*::)+[A-Z]\w* \(|(?:[\w-]+ \([\w.]+\) )?[\w./-]+\.rb:\d+:in "
    r"|\[stacktrace\]$|#\d+ (?:/|\{main\}|\[internal function\])|\"\}\s*$"
    r"|[\]})]+[,;]?\s*$|[\[{(]\s*$"
    r"|\[previous exception\] |goroutine \d+ \[[^\]]*\]:$"
    # a diff's lines under a change record (Salt's `File changed:`, `--- `, `@@ -24,7 +24,7
    # @@`, `+worker_connections 1024;`) and SSSD's backtrace dump markers (`***** PREVIOUS
    # MESSAGE WAS TRIGGERED BY ...`): QA, counted as lines of another layout
    r"|\+|--- |@@ -|\*{5}"
    # SQLAlchemy's lines under an error (`[SQL: INSERT ...]`, `(Background on this error at:
    # https://sqlalche.me/e/20/e3q8)`: QA Home Assistant)
    r"|\[SQL: |\[parameters: |\(Background on this error at: "
    # a C program's backtrace frames, Fluent Bit's `#0  0x55d4a3f0b799      in
    # flb_input_chunk_append_raw() at src/flb_input_chunk.c:1552` (QA: "no continuation lines")
    r"|#\d+\s+0x[0-9a-f]+\s"
    # ... and Zimbra's lines under a service exception's trace, `ExceptionId:...`, `Code:...`
    # (QA: "lines of their own")
    r"|ExceptionId:|Code:[a-z]"
    # ... and Bitcoin Core's exception report (`EXCEPTION: St13runtime_error`, QA)
    r"|EXCEPTION: "
    # PHP's `Stack trace:` under an uncaught exception (QA PHP: "lines of their own"); Rust's
    # panic, `thread 'tokio-runtime-worker' panicked at src/x.rs:218:22:`, `stack backtrace:`
    # and `note: run with `RUST_BACKTRACE=1` ...` (QA Rust tracing: the same)
    r"|Stack trace:$|thread '[^']*' panicked at |stack backtrace:$|note: run with `RUST_BACKTRACE"
    # ... and a Lua traceback's heads, `stack traceback:`, `coroutine 0:` (OpenResty, Kong: QA,
    # "lines of their own")
    r"|stack traceback:$|coroutine \d+:$"
    # a failed command's output under its exception (TeamCity's VcsException: `exit code: 128`,
    # `stderr: remote: ...`, git's `fatal: Authentication failed`: QA, "lines of their own")
    r"|exit code: -?\d+$|stderr: |stdout: |fatal: "
    # a Go panic's frames as Gitea writes them, `/usr/local/go/src/runtime/panic.go:261
    # (0x4a8d37)` (QA: half the trace "lines of their own", no join advice)
    r"|\S+\.go:\d+ \(0x[0-9a-f]+\)$"
    # ... and a dumped configuration's closing tag, Fluentd's `</ROOT>` (QA: "of its own")
    r"|</\w+>$"
    # ... and Icinga 2's `Context:` over a record's indented context lines (QA: "of its own")
    r"|Context:$"
    # ... and Kylin's query record under `service.QueryService:405 : `, a rule of `=` and its
    # own fields (QA Kylin: 57% of a training log called "lines of their own"; its `User:`,
    # `Success:`, `Message:` lines are too common a shape to call a record's rest anywhere)
    r"|={8,}|(?:Query Id|SQL|Realization Names|Cuboid Ids|Total scan (?:count|bytes)"
    r"|Result row count|Accept Partial|Is Partial Result|Hit Exception Cache"
    r"|Storage cache used|Is Query Push-Down|Is Prepare|Trace URL): "
    # ... and the JVM pause monitor's second line in Hadoop, HBase and ZooKeeper logs, `GC pool
    # 'G1 Old Generation' had collection(s): count=1 time=53312ms` (QA HBase: "of its own")
    r"|GC pool '[^']*' had collection"
    # ... and the SQL EF Core writes under `Executed DbCommand (3ms) [...]` (QA Serilog: 25% of
    # the lines "do not look like continuation lines")
    r"|(?:SELECT|FROM|WHERE|INNER JOIN|LEFT JOIN|ORDER BY|GROUP BY|INSERT INTO|UPDATE|DELETE"
    r"|VALUES|SET|OUTPUT|AND|OR|LIMIT|OFFSET) "
    # ... and the exception NLog writes under a Sonarr / Radarr (Servarr) record, led by the
    # app's version, `[v4.0.10.2544] System.Data.SQLite.SQLiteException ...` (QA Sonarr: "lines
    # of their own", the join advice for a part of them only)
    r"|\[v\d+(?:\.\d+){2,}\] "
    # ... and an Erlang/OTP report's lines (`** Reason for termination = error:function_clause`:
    # QA ejabberd, "lines of their own", and each crash's reason dropped unsaid)
    r"|\*\* "
    # ... and a multi-line Erlang term's, `{local_changes_count,<<"3f...">>} ->`, `[{'_vclock',
    # [...]}]` (QA Couchbase ns_server: 257 "lines of their own"), not a bracketed header nor
    # a JSON object (`{"ts": ...`, a record of its own)
    r"|\{[a-z_']|\[[\[{'<]"
    # ... and Hazelcast's member list and Jet's DAG under their record (`Members {size:3, ver:5}
    # [`, `digraph DAG {`: QA, "lines of their own", a member lost unseen)
    r"|Members \{size:|digraph \w+ \{$"
    # ... and AWS Lambda's lines under a REPORT or an error in a CloudWatch export (`XRAY
    # TraceId: 1-6b13...`, `Runtime.ExitError`: QA, "lines of their own" in every file)
    r"|XRAY TraceId: |Runtime\.\w+$"
    # ... and an HTTP response printed under its record (certbot's `Received response:`: `HTTP
    # 200`, its headers), a PEM block's armour, a Python bytes value (QA certbot: "lines of
    # their own", and a correct format string told it did not fit)
    r"|HTTP [1-5][0-9][0-9]$|(?:Server|Date|Connection|Content-Type|Content-Length|"
    r"Cache-Control|Strict-Transport-Security|Link|Location|Replay-Nonce|Retry-After|"
    r"X-[\w-]+|Boulder-[\w-]+): |-----(?:BEGIN|END) [A-Z ]+-----$|b'.*'$"
    r"|note: Some details are omitted"
    # ClickHouse's numbered frames, `0. DB::Exception::Exception(...) @ 0x000000000c4fd597 in
    # /usr/bin/clickhouse` (QA: "19% of lines do not fit: their events are left out")
    r"|\d+\. .* @ 0x[0-9a-f]+(?: in \S+)?$"
    # a command line continued by ` \` and its last option (QEMU's in libvirt's per-VM log,
    # `LC_ALL=C \`, `-name guest=vm07,... \`, `-msg timestamp=on`: QA, 93% "rejected")
    r"|.* \\$|-[a-z][\w-]* "
    # a box drawn under a record, Metabase's sync summary (`####...`, `# Completed Sync ...`,
    # `#  Duration: 1.9 s`) and a banner's or a table's rows (`|  SERVER RUNNING  |`): QA
    # Metabase, "do not look like continuation lines", where its join was the fix
    r"|#{3,}$|# |\|.*\|\s*$"
    # (a Go generic's receiver too, `internal.(*boundedMemoryQueue[...]).Consume`: QA
    # OpenTelemetry, half a trace's frames "lines of their own")
    r"|(?:[\w.-]+/)*[\w-]+(?:\.\(\*?\w+(?:\[[^\]]*\])?\))?(?:\.\w+)+(?:\([^)]*\))?$)"
)


def show_line(line: str) -> str:
    """A line quoted for a message: its repr, cut to about `SHOWN_CHARS` characters (a binary
    line's escapes would fill the screen)."""
    text = repr(line)  # closed by its own quote: `"` where the line holds a `'` (QA MySQL)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 4] + "..." + text[0]


def show_difference(ours: str, theirs: str) -> tuple[str, str]:
    """Two texts quoted for a message as `show_line` quotes one, each cut around the first
    place they differ where cutting from the start would hide it (QA Temporal: two templates
    shown cut before their only difference, `service=frontend` and `service=history`, read
    as the same text)."""
    pairs = zip(ours, theirs, strict=False)
    start = next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(ours), len(theirs)))
    if all(len(repr(text[: start + 1])) < SHOWN_CHARS - 8 for text in (ours, theirs)):
        return show_line(ours), show_line(theirs)
    cut = max(0, start - 20)
    return "..." + show_line(ours[cut:]), "..." + show_line(theirs[cut:])


def text_lines(lines: list[str]) -> list[str]:
    """`lines` without the blank ones (empty or whitespace only): samples that judge a format
    leave them out, as the parser does (`chunk._blank`)."""
    return [line for line in lines if line and not line.isspace()]


def looks_binary(lines: list[str]) -> bool:
    """Whether sample lines look like binary data rather than text: more than 5% of their
    characters are NUL, other control characters or replaced undecodable bytes."""
    text = "".join(lines)
    odd = sum(1 for c in text if c == "\ufffd" or (c < " " and c not in "\t\f\v"))
    return len(text) > 0 and odd > 0.05 * len(text)


def looks_like_continuation(line: str) -> bool:
    """Whether a line looks like a continuation line of a multi-line record (a stack trace),
    which a one-event-per-line format cannot read (`summary.continuation_hint`)."""
    return _CONTINUATION.match(line) is not None


def count_continuations(rejects: list[tuple[str, int, str]]) -> int:
    """How many of a chunk's rejects, (source, line_no, line), look like continuation lines."""
    return sum(looks_like_continuation(line) for _, _, line in rejects)


def record_lines(lines: list[str]) -> list[str]:
    """`lines` without those that look like continuation lines (`looks_like_continuation`):
    a sample that judges a format by the records' first lines, since no one-line format reads
    a stack trace's rest, and long traces would otherwise outvote the records (all of
    `lines` when every one looks like a continuation line: nothing else to judge by)."""
    records = [line for line in lines if not looks_like_continuation(line)]
    return records or lines


# a warning on one input is said for this many inputs of a kind, the others counted in a line
NAMED_INPUTS = 3

@dataclass(frozen=True)
class FormatScore:
    """How well a built-in format reads a sample of lines (`rank_formats`)."""

    name: str
    lines: int  # lines in the sample judged (continuation lines left out)
    split: int  # lines the format splits into fields
    dated: int  # of those, lines with a valid timestamp
    left_out: int = 0  # sample lines not judged: they look like continuation lines
    # a system's format that fills a field of its own here (`rank_formats`): else it reads the
    # lines as a generic one does
    specific: bool = False

    def describe(self) -> str:
        """`linux (200/200 lines with a timestamp, 200 split)`, plus `; 27 continuation lines
        left out` when some were."""
        text = f"{self.name} ({self.dated}/{self.lines} lines with a timestamp, {self.split} split"
        if self.left_out:
            lines = "lines" if self.left_out > 1 else "line"
            text += f"; {self.left_out} continuation {lines} left out"
        return text + ")"


def rank_formats(
    lines: list[str],
    year: int | None = None,
    timestamp_format: str | None = None,
    names: tuple[str, ...] | None = None,
) -> list[FormatScore]:
    """Every built-in format but raw, best first for `lines` (their `record_lines`, which each
    score's `lines` counts): lines it splits with a valid timestamp (formats without a year
    are checked in a leap year when `year` is None), then a system's format before a generic
    one (`iso`), then lines it splits, then the fewest empty header fields (a format that
    fits only by leaving a field empty, `nova` on Zookeeper lines, fits worse), then the most
    literal words (`sshd`: strong evidence), then the least literal punctuation. `names`:
    only those formats."""
    records = record_lines(lines)
    arr = pa.array(records, pa.string())
    left_out = len(lines) - len(records)
    ranked = []
    for name in BUILTIN_FORMATS if names is None else names:
        if name == "raw":
            continue
        fmt = resolve_format(name, year or AUTO_YEAR, timestamp_format)
        ok, cols = split_lines(arr, fmt)
        ts = parse_timestamps(cols, fmt.timestamp, int(ok.sum()))
        if name == "dmesg" and len(ts):  # seconds since boot by their shape, `[  120.766080]`
            shaped = pc.match_substring_regex(cols["Timestamp"], r"^ *\d+\.\d{6}$")
            ts = pc.if_else(shaped, ts, pa.scalar(None, ts.type))
        elif fmt.timestamp is not None and fmt.timestamp.epoch and len(ts):
            # epoch seconds before 2001 are small numbers (a process id, a count: RFC 5424's
            # PROCID read by `hpc` dated every line in 1970), not evidence of a fit
            ts = pc.if_else(pc.less(ts, EPOCH_PLAUSIBLE), pa.scalar(None, ts.type), ts)
        misread = _misread_fields(cols, int(ok.sum()), name)
        if misread is not None:  # such lines are not read by the format, dated or not
            ts = pc.if_else(misread, pa.scalar(None, ts.type), ts) if len(ts) else ts
            ok[np.flatnonzero(ok)[misread.to_numpy(zero_copy_only=False)]] = False
        literal = re.sub(r"<[A-Za-z_][A-Za-z0-9_]*>|\\|\s", "", fmt.format)
        words = sum(c.isalnum() for c in literal)
        empty = sum(
            _count_true(pc.equal(column, "")) for field_name, column in cols.items()
            if field_name != "Content"
        )  # fmt: skip
        # a system's own format before a generic one that dates as many lines (`iso` reads
        # Hadoop's lines as well as `hadoop` does, without its fields, and splits any line);
        # last, the one with less punctuation to match (a syslog line fits linux and mac)
        # ... unless none of its own fields (but the time's) holds a word on any line: its
        # optional parts all left out, it reads them as a generic one does (QA Envoy: `envoy`,
        # its thread, level and access fields optional, took every `[<time>] <message>` line)
        specific = not BUILTIN_FORMATS[name].generic and _fills_a_field(cols, fmt)
        score = FormatScore(
            name, len(arr), int(ok.sum()), len(ts) - ts.null_count, left_out, specific
        )
        # ... and, reading as many lines, one that dates them with their year before one that
        # guesses it: containerd's logfmt behind syslog's header (`Dec  5 08:00:13 node-a2
        # containerd[1203]: time="2026-12-05T08:00:13.66Z" level=info ...`) by `logfmt`, not
        # `linux` (QA containerd: the pairs in every event, the year from the file's date)
        yeared = fmt.timestamp is not None and not fmt.timestamp.needs_year
        rank = (score.dated, specific, score.split, yeared, -empty, words, words - len(literal))
        ranked.append((rank, score))
    ranked.sort(key=lambda r: r[0], reverse=True)
    return [score for _, score in ranked]


# Time layouts a JSON or logfmt line's time key may hold besides ISO 8601 and epoch seconds,
# each unambiguous (no day-month order to guess): Go's time.Stamp, logrus's text formatter as
# Tyk sets it (`time="Dec 05 06:00:00"`; QA Tyk: `auto` refused every line, pointing at a
# format string), with fractions; Go's log package (`2006/01/02 15:04:05`)
OBJECT_TIME_LAYOUTS = (
    "%b %d %H:%M:%S",
    "%b %d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S.%f",
)


def object_time_layout(lines: list[str], year: int | None = None) -> str | None:
    """The first of `OBJECT_TIME_LAYOUTS` with which the JSON or logfmt format dates at least
    `AUTO_DATED` of `lines` (as a given --timestamp-format would), or None."""
    for layout in OBJECT_TIME_LAYOUTS:
        ranked = rank_formats(lines, year, layout, (JSON, LOGFMT))
        if ranked and ranked[0].dated >= AUTO_DATED * ranked[0].lines:
            return layout
    return None


def layout_of(value: str) -> str | None:
    """The layout of `OBJECT_TIME_LAYOUTS` that reads `value` whole, or None (for advice)."""
    for layout in OBJECT_TIME_LAYOUTS:
        dated = "%Y" in layout
        try:  # a year-less layout in a leap year, so that Feb 29 reads
            datetime.strptime(
                value.strip() if dated else f"2024 {value.strip()}",
                layout if dated else f"%Y {layout}",
            )
        except ValueError:
            continue
        return layout
    return None


def _fills_a_field(cols: dict[str, pa.Array], fmt: LogFormat) -> bool:
    """Whether any line gives any header field of `fmt` but the time's a value."""
    timed = set(fmt.timestamp.fields) if fmt.timestamp is not None else set()
    return any(
        _count_true(pc.not_equal(column, "")) > 0
        for field_name, column in cols.items()
        if field_name != "Content" and field_name not in timed
    )


# a process or thread id is a number (or `-`), a level one word with a letter: `nova` read a Spring
# Boot line `2026-11-03 14:22:07.123  INFO 4121 --- [exec-3] c.e.Order : ...` with the level
# as its Pid and the pid as its Level, dating every line as `iso` does, and was picked; an
# INFO and an ERROR line of one message were then one template (QA)
# ... klog's thread id too (QA Tomcat: with --timestamp-format, `klog` read `20-Nov-2026
# 08:00:00.010 INFO [main] ...` with INFO as its thread, tied with `iso` and was picked)
_NUMBER_FIELDS = frozenset({"pid", "tid", "thread"})
_SPRING_SEPARATOR = r"^[0-9]+ --- \["  # Spring Boot's `<pid> --- [<thread>]`
_LEVEL_FIELDS = frozenset({"level"})
# ... and in `syslog-iso`, where an application's level may stand after a one-word time, a host
# is one word and no level: it read `2026-11-20T10:15:02Z INFO app: ...` with INFO as the host
# (and an empty host where two spaces follow the time, Spring Boot's), nor a `name=value`:
# Sidekiq's `... pid=12 tid=2b3c class=Job jid=... INFO: start` tied with `iso` and was picked,
# a job's `done` line (`elapsed=1.2` in its program name) a session apart by program (QA);
# in `linux`, no brackets: it read Tor's `Nov 30 10:00:00.000 [notice] Bootstrapped ...: Done`
# with `[notice]` as the host, rejected every line without a `: ` and was picked (QA Tor)
_HOST_CHECKED = frozenset({"syslog-iso"})
_HOST_SHAPE_CHECKED = frozenset({"linux"})
_PROGRAM_CHECKED = frozenset({"syslog-iso"})  # one word (`_misread_fields`)
LEVEL_WORDS = pa.array(
    ["trace", "debug", "info", "notice", "warn", "warning", "error", "err", "fatal", "crit",
     "critical", "alert", "emerg", "emergency", "severe", "fine", "finer", "finest", "config",
     "dbg", "emer",  # (Open vSwitch's)
     "eror",  # (Icecast's)
     "vrb", "inf", "wrn", "ftl",  # (Serilog's `{Level:u3}`: QA Jellyfin, `INF` "no level")
     "erro", "debu", "debg", "trac", "fata", "pani",  # (logrus' four letters, NetBird's)
     "message",  # (GLib's, between INFO and WARNING: gvmd's `md   main:MESSAGE:...`)
     # PostgreSQL's and Pgpool's, a `DETAIL:` or `HINT:` line part of the one before (QA
     # Pgpool: `LOG` was said to name no level, and to leave the field out)
     "log", "detail", "hint", "context", "statement", "query", "location", "panic",
     "debug1", "debug2", "debug3", "debug4", "debug5",
     # Serilog's and Asterisk's, with Asterisk's own `DTMF` and `SECURITY` (QA Asterisk: a
     # format string's `<Level>` said to name no level on `VERBOSE`, and to be left out)
     "verbose", "dtmf", "security",
     # Apache Traffic Server's, between INFO and WARNING (QA: `NOTE` said to name no level)
     "note", "status", "diag",
     "connect"]  # (Tinyproxy's, its connections' lines: QA, said to name no level)
)  # fmt: skip
# built-in formats whose <Level> a logging library writes, a level word always: `auto` takes
# another value there for a misread line, and a run with one of them named says so
# (`Parser._count_wordless_level`)
# (Spark's log4j too: QA HTCondor, `12/02/25 06:01:03 slot1: Request accepted.` read by
# `spark` with `slot1:` as the level, its MM/DD/YY dates as yy/MM/dd, 13 years off, exit 0)
LEVEL_WORD_FORMATS = frozenset(
    {"hclog", "couchdb", "ovs", "airlift", "certbot", "ignite", "spark", "trafficserver",
     "tinyproxy"}
)
# ... and those whose <Level> is syslog's severity as a number (`_BUILTIN_FIELDS` checks it)
NUMERIC_LEVEL_FORMATS = frozenset({"lsf", "stunnel"})
# ... an access log's client, ident and user one word each (QA: `access` read HAProxy's syslog
# lines with the syslog header as the user, and was suggested for them)
# ... and S3's owner, bucket, requester and request id (QA Nexus: `s3` read a common-log-format
# line `10.20.4.22 - - [04/Dec/...] "GET /x HTTP/1.1" 200 488876` with `- -` as the bucket and
# `"GET` as the client, had fewer empty fields than `access` and was picked: one template)
WORD_FIELDS = ("Client", "Ident", "User", "Owner", "Bucket", "Requester", "RequestId")
# header fields that hold one word: several words there on most lines mean the logs write a
# field the format lacks (`summary.spaced_field_warnings`); an access log's client, ident and
# user several words: the lines are in another format (QA: HAProxy's syslog lines read by
# `access`, `Dec` as the client and `00:00:00 lb1 haproxy[2210]: 10.0.0.1:443` as the user)
ONE_WORD_FIELDS = ("Level", "Component", *WORD_FIELDS)
_WORD_FIELDS = frozenset(name.lower() for name in WORD_FIELDS)
# ... and a level is no time zone: `hadoop` read PostgreSQL's `2026-11-21 06:00:19.933 CET
# [4000] ...` with `CET` as its level and was picked; the zone was never applied and every
# time stored an hour off with no word said (QA)
_ZONE_WORDS = pa.array(sorted({*ZONE_ABBREVIATIONS, "CST", "IST", "AST", "BST", "MSD", "SAST"}))


# `AMQ221001`, `IDM0042E`; also after a thread in parentheses (QA Infinispan: `hadoop` read
# `(MSC service thread 1-2) WFLYSRV0049` as WildFly's component, and was picked)
_MESSAGE_CODE = r"(?:^|\) )[A-Z]{2,5}[0-9]{4,6}[A-Z]?$"
_MNEMONIC = r"^%[A-Z][A-Z0-9_]*-"  # Cisco's `%LINK-3-UPDOWN`


def _has_match(column: pa.Array, pattern: str) -> bool:
    """Whether any value of `column` matches the RE2 `pattern`."""
    return bool(pc.any(pc.match_substring_regex(column, pattern)).as_py())


# a Java thread's name and a colon starting a message: `main: `, `qtp1846274136-18: `,
# `Session-HouseKeeper-1a2b3c-1: `, `Scanner-0: `
_JAVA_THREAD_FIRST = r"^(?:main|[A-Za-z][\w.]*(?:-[0-9A-Za-z]+)*-[0-9]+): "


def _misread_fields(cols: dict[str, pa.Array], n: int, name: str = "") -> pa.Array | None:
    """Which of `n` split rows hold a header value that cannot be what its field is named
    (`_NUMBER_FIELDS`, `_LEVEL_FIELDS`, `_WORD_FIELDS`; format `name`'s `Host` where it is in
    `_HOST_CHECKED`, or its shape only in `_HOST_SHAPE_CHECKED`, its `Component` in
    `_PROGRAM_CHECKED`); None when the format has no such field."""
    check_host, check_host_shape = name in _HOST_CHECKED, name in _HOST_SHAPE_CHECKED
    check_program = name in _PROGRAM_CHECKED
    # (couchdb's too, `[notice]`: QA Syncthing, its `[JQH2D] 2026/12/05 ... INFO: ...` read with
    # the device's short id as the level and `INFO:` as the node, and chosen)
    # ... and ovs' (QA Artifactory: its request log, `time|trace|client|user|GET|...`, read
    # with the user as the level and the client as the module, and chosen)
    # ... and airlift's and certbot's, whose Level a logging library writes (QA Monero:
    # `airlift` read easylogging's `<time>\t[P2P7]\tWARNING\t...` with the thread as the level
    # and the level as the thread, and was picked: a warning and an error one event; QA coturn:
    # `certbot` read `<time>: : WARNING: text` with a blank level and `WARNING` as the logger)
    level_words_only = name in LEVEL_WORD_FORMATS
    # RFC 5424's PROCID is any word: Heroku's drains write the dyno, `web.3`, `router` (QA:
    # read as a misread pid, `auto` chose `ruby` for the app's embedded header and left out
    # every router line)
    any_process_id = name == "rfc5424"
    numeric_level = name in NUMERIC_LEVEL_FORMATS
    # ... and Jetty's thread, one word, not a Python logger's message (`certbot version: 2.11`),
    # and, the other way round, a Python logger's message no Java thread's name and a colon
    # (QA Jetty: `certbot` read `<time>:INFO:<logger>:qtp1846274136-18: msg` and was picked,
    # the thread left in every event)
    one_word_thread, no_thread = name == "jetty", name == "certbot"
    bad = None
    for name, column in cols.items():
        key = name.lower()
        if key == "threadname" and one_word_thread:
            wrong = pc.match_substring_regex(column, r"\s")
        elif key == "content" and no_thread:
            wrong = pc.match_substring_regex(column, _JAVA_THREAD_FIRST)
        elif key in _NUMBER_FIELDS and not any_process_id:  # or hex, macOS's thread ids
            wrong = pc.invert(pc.match_substring_regex(column, r"^(?:\d*|-|0x[0-9a-f]+)$"))
        elif key == "timestamp" and "Content" in cols:  # a date alone, its time of day the
            # message's first word (QA Superset: `iso` read `2026-03-02 00:00:09,862:INFO:...`
            # as a date and a message `00:00:09,862:INFO:...`, and beat `certbot`, which reads it)
            wrong = pc.and_(
                pc.invert(pc.match_substring_regex(column, r"\d:\d\d")),
                pc.match_substring_regex(cols["Content"], r"^\d{1,2}:\d\d"),
            )
        elif key == "elapsed":  # Squid's milliseconds: always written (Zeek's `-` is no time)
            wrong = pc.invert(pc.match_substring_regex(column, r"^\d+$"))
        elif key in _WORD_FIELDS:
            wrong = pc.match_substring_regex(column, r"\s")
        elif key == "host" and (check_host or check_host_shape):  # one word, no `name=value`
            # (QA Sidekiq: `pid=12`) nor brackets or a closing colon (QA ESXi: `cpu3:2097152)Vol3:`)
            wrong = pc.invert(pc.match_substring_regex(column, r"^[^\s=()\[\]]*[^\s=()\[\]:]$"))
            # ... nor a year (QA LSF: `Mar  3 06:00:27 2025 4821 6 10.1 newJob: ...`, `linux`
            # read 2025 as the host and dated the line by the file's modification time)
            wrong = pc.or_(wrong, pc.match_substring_regex(column, r"^(?:19|20)[0-9]{2}$"))
            if check_host:
                wrong = pc.or_(wrong, pc.is_in(pc.utf8_lower(column), LEVEL_WORDS))
        elif key == "component" and _has_match(column, _SPRING_SEPARATOR):  # Spring Boot's pid,
            # `---` and thread are no component (QA Zipkin: `hadoop` read `INFO [trace/span] 1
            # --- [main] z.s.ZipkinServer : msg` with the trace as a process, and was chosen)
            wrong = pc.match_substring_regex(column, _SPRING_SEPARATOR)
        elif key == "component" and _has_match(column, _MNEMONIC):  # a Cisco mnemonic, `%LINK-3-
            # UPDOWN`, is the event (QA Cisco: `linux` read it as the program, and 802.1X's and
            # MAB's successes were one event)
            wrong = pc.match_substring_regex(column, _MNEMONIC)
        elif key == "component" and _has_match(column, _MESSAGE_CODE):  # a message's code is no
            # component (QA Artemis: `hadoop` read `[org.apache...server] AMQ221001: ...` with
            # the logger as its process and AMQ221001 as the component, and was picked)
            wrong = pc.match_substring_regex(column, _MESSAGE_CODE)
        elif key == "component" and check_program:  # a program's name is one word (QA Ceph:
            # `<time> 7f1a2b3c4d00  0 log_channel(cluster) log [DBG] : ...` read its thread id
            # as the host and `0 log_channel(cluster) log [DBG]` as the program, tied with
            # `iso` and was picked)
            wrong = pc.match_substring_regex(column, r"\s")
        elif key == "label":  # a syslog priority is no alert label (QA Meraki: `thunderbird` read
            # `<134>1 ...` with it as every line's label, and every session was an anomaly)
            wrong = pc.match_substring_regex(column, r"^<[0-9]{1,3}>")
        elif key in _LEVEL_FIELDS and level_words_only:  # a level word in its brackets, not
            # a log4j2 thread's name (`[pulsar-io-4-3] INFO ...`: QA Pulsar, `hclog` tied with
            # `iso`, was picked, and every Level was a thread)
            wrong = pc.invert(pc.is_in(pc.utf8_lower(column), LEVEL_WORDS))
        elif key in _LEVEL_FIELDS and numeric_level:  # syslog's severity as a number
            continue
        elif key in _LEVEL_FIELDS:
            # ... and no process id, HTCondor's `(pid:1830)` (QA: `spark` read it as the level,
            # its `12/03/26` as 2012-03-26, and was picked)
            wrong = pc.or_(
                pc.invert(pc.match_substring_regex(column, r"^$|^\S*[A-Za-z]\S*$")),
                pc.or_(pc.is_in(column, _ZONE_WORDS), pc.match_substring_regex(column, r"[()=]")),
            )
        else:
            continue
        wrong = pc.fill_null(wrong, False)
        bad = wrong if bad is None else pc.or_(bad, wrong)
    return bad if bad is not None and n else None


def _count_true(mask: pa.Array | pa.ChunkedArray) -> int:
    return int(pc.sum(mask).as_py() or 0)


@dataclass
class InputFit:
    """How one input file fits the run's format, counted as its chunks are parsed: with
    several inputs a file that does not fit is named even where the run as a whole fits."""

    name: str
    lines: int = 0
    rejected: int = 0
    blank: int = 0  # empty or whitespace-only lines: left out of the fit
    continuations: int = 0  # of the rejected, lines that look like a multi-line record's rest
    head: list[str] = field(default_factory=list)  # its first lines, to suggest a format
    warned: bool = False  # already named in a warning (`--format auto` checked its first lines)
    events: int = 0  # lines the format split, where it could date them (its year known)
    dated: int = 0  # of those, lines with a timestamp
    in_utc: int = 0  # ... whose time text says its offset (`Z`, `+02:00`) or is epoch time
    stamped_at_start: bool = False  # a Zeek log's records (`Prepared.stamped_at_start`)
    midnight: int = 0  # ... at 00:00:00 exactly (a date read without its time of day?)
    first_undated: tuple[str, int, str, str] | None = None  # source, line_no, line, time text

    def add(self, lines: pa.Array, rejected: int, blank: int = 0, continuations: int = 0) -> None:
        """Count one chunk of this input (its lines, how many the format rejected, how many
        were blank, and how many of the rejected look like continuation lines)."""
        if len(self.head) < HEAD_LINES:
            self.head += text_lines(lines.slice(0, HEAD_LINES - len(self.head)).to_pylist())
        self.lines += len(lines)
        self.rejected += rejected
        self.blank += blank
        self.continuations += continuations

    @property
    def fits(self) -> bool:
        """Whether the format reads at least half of the non-blank lines (the bad-fit
        warning's rule)."""
        return self.rejected * 2 <= self.lines - self.blank

    @property
    def undated(self) -> bool:
        """Whether (nearly) none of the events it has is dated (`INPUT_DATED`): among dated
        inputs, its lines have another layout that the format's fields happen to split."""
        return self.events > 0 and self.dated <= INPUT_DATED * self.events

    def close(self) -> None:
        """The input is read: its first lines are kept only where a warning may quote them."""
        if self.fits and not self.undated:
            self.head = []


def suggest_formats(run: Parser, head: list[str] | None = None) -> list[str]:
    """Built-in formats (not the run's own) that would do better on the first lines (`head`:
    of one input; default the run's), best first: each is tried on them as a real parse would
    (same splitter, same --year and --timestamp-format; a format without a year in a leap
    year), and named only where it splits most of them and reads a timestamp from at least
    half."""
    head = run.head if head is None else head
    if not head:
        return []
    ranking = rank_formats(head, run.fmt.year, run.fmt.timestamp_format)
    fitting = [
        s
        for s in ranking
        if s.name != run.fmt.name
        and s.split >= SUGGEST_FIT * s.lines
        and s.dated >= SUGGEST_DATED * s.lines
    ]
    # a generic format only where no system's format reads the lines as well (`linux` and
    # `mac`, not also `syslog-notag`); a system's format that fills none of its own fields
    # there reads them as a generic one (QA Zigbee2MQTT: `auto` chose `iso`, the error after a
    # wrong --format named `envoy`, its level and component empty)
    specific = [s for s in fitting if s.specific]
    return [
        s.name
        for s in fitting
        if s.specific or not any(t.split >= s.split and t.dated >= s.dated for t in specific)
    ]


# a line that is a time and nothing else: Oracle's alert log writes each record's time on a
# line of its own, its message on the lines after it (QA: the hints went in a circle)
_TIME_ONLY = re.compile(
    r"\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?\s*(?:Z|[+-]\d\d:?\d\d)?\]?\s*"
)
TIME_ONLY_SHARE = 0.1  # of the first lines: records whose time stands on a line of its own
JOIN_RECORDS = (
    "join each record into one line first, e.g. awk "
    "'/^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T/ "  # (mawk knows no `{4}`)
    """{ if (r != "") print r; r = $0; next } { r = r " " $0 } END { print r }' LOG > joined.log"""
)


# ... and a MySQL slow query log's record header, `# Time: 2026-12-04T09:00:03.170138Z` (QA:
# `auto` named no layout, and `--format raw` learnt the records' lines apart, F1 0)
_TIME_HEADER = re.compile(r"# Time: \d{4}-\d\d-\d\d[T ]\S+\s*")
JOIN_TIME_HEADERS = (
    """awk '/^# Time: / { if (r != "") print r; r = $0; next } { r = r " " $0 } END { print r }' """
    "LOG > joined.log"
)


def time_only_hint(head: list[str]) -> str:
    """Advice for logs that write each record's time on a line of its own (`_TIME_ONLY`,
    `_TIME_HEADER`), "" when few of the first lines are such."""
    lines = [line for line in head if line.strip()]
    headers = sum(_TIME_HEADER.fullmatch(line) is not None for line in lines)
    if lines and headers >= TIME_ONLY_SHARE * len(lines):
        return (
            f"{headers} of the first {len(lines)} lines are a record's `# Time:` header, its "
            "other lines after it (a MySQL slow query log); logbert reads one event per line, "
            f"so join each record into one line first, e.g. {JOIN_TIME_HEADERS}, and read it "
            "with a format string ('# Time: <Timestamp> <Content>')"
        )
    alone = sum(_TIME_ONLY.fullmatch(line) is not None for line in lines)
    if not lines or alone < TIME_ONLY_SHARE * len(lines):
        return ""
    return (
        f"{alone} of the first {len(lines)} lines hold a time and nothing else: records whose "
        "time stands on a line of its own, their message on the lines after it (as Oracle's "
        "alert log writes them); logbert reads one event per line, so " + JOIN_RECORDS
    )


# a CSV export's column name (`Level`, `Date and Time`, `Event ID`, Splunk's `_time`, `@timestamp`)
_COLUMN_NAME = re.compile(r"[A-Za-z_@][\w .@()-]{0,40}")  # `VendorClass(Hex)` too (DHCP)
CSV_TO_JSON = (
    "python3 -c 'import csv, json, sys; [print(json.dumps(row)) for row in "
    "csv.DictReader(sys.stdin)]' < EXPORT.csv > export.jsonl"
)


def csv_hint(head: list[str]) -> str:
    """Advice for a CSV export (a header line of three or more column names, the next line
    a row of as many fields; after a preamble too, as Windows DHCP Server's logs write one),
    "" for anything else: a quoted field may span lines and the header names the columns,
    neither of which a line format reads (QA Event Viewer and Splunk exports: "no built-in
    format reads a timestamp", and a format string split the quoted messages at their line
    breaks, silently)."""
    lines = text_lines(head)
    for at in range(len(lines) - 1):
        if _csv_header(lines[at], lines[at + 1]):
            break
    else:
        return ""
    where = "the first line looks"
    recipe = CSV_TO_JSON
    if at:  # after a preamble: print from the header on
        where = f"a line after {at:,} others looks"
        start = re.match(r"[A-Za-z0-9_ ,]*", lines[at])[0][:24]
        recipe = f"sed -n '/^{start}/,$p' LOG | " + CSV_TO_JSON.replace(" < EXPORT.csv", "")
    return (
        f"{where} like the header of a CSV export ({show_line(lines[at])}): "
        "logbert reads logs one event per line and has no CSV format (a quoted field may span "
        "lines); write each row as a JSON object on a line of its own and read that with "
        f"--format json, e.g. {recipe} (a time column dates the events where its name "
        "ends in time and its value is ISO 8601 or epoch time: convert others first)"
    )


def _csv_header(line: str, next_line: str) -> bool:
    """Whether `line` names three or more columns and `next_line` is a row of as many."""
    try:
        names, row = list(csv.reader([line, next_line]))[:2]
    except (csv.Error, ValueError):
        return False
    columns = [name.strip() for name in names]
    if len(columns) < 3 or len(row) < len(columns):
        return False
    return all(_COLUMN_NAME.fullmatch(name) for name in columns)


# PostgreSQL's csvlog (`log_destination = 'csvlog'`): a CSV record per event, its zone a word
# before the first comma, quoted fields over lines (QA PostgreSQL: `auto` chose `iso`, the
# message one `<*>` among 26 columns, the zone dropped, 43% of the lines rejected, unsaid)
_PG_CSVLOG = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? [A-Z]{2,5}(?:[+-]\d+)?,")
PG_CSVLOG_COLUMNS = (
    "log_time", "user_name", "database_name", "process_id", "connection_from", "session_id",
    "session_line_num", "command_tag", "session_start_time", "virtual_transaction_id",
    "transaction_id", "error_severity", "sql_state_code", "message", "detail", "hint",
    "internal_query", "internal_query_pos", "context", "query", "query_pos", "location",
    "application_name", "backend_type", "leader_pid", "query_id",
)  # fmt: skip
_PG_CSV_TO_JSON = (
    "python3 -c 'import csv, json, sys; c = \"" + " ".join(PG_CSVLOG_COLUMNS) + "\".split(); "
    "[print(json.dumps(dict(zip(c, row)))) for row in csv.reader(sys.stdin)]' < LOG.csv > "
    "log.jsonl"
)


def pg_csvlog_hint(head: list[str]) -> str:
    """Advice for PostgreSQL's csvlog (most of the first lines a dated CSV record of a dozen
    fields or more), "" for anything else."""
    lines = text_lines(head)
    records = [line for line in lines if _PG_CSVLOG.match(line) and line.count(",") >= 12]
    if not lines or len(records) * 2 < len(lines):
        return ""
    return (
        f"the lines look like PostgreSQL's csvlog ({show_line(records[0])}): a CSV record per "
        "event whose quoted fields span lines, and whose message is one of two dozen "
        "columns, which no line format reads; log with log_destination = 'jsonlog' "
        "(PostgreSQL 15+) and read it with --format json, or write each record as a JSON "
        f"object on a line of its own and read that with --format json: {_PG_CSV_TO_JSON}"
    )


def layout_hint(head: list[str]) -> str:
    """Advice for inputs whose records no line format reads as they are written: a CSV
    export (`csv_hint`), a JSON array (`json_array_hint`), alerts over several lines
    (`alerts_hint`), or records whose time stands on a line of its own (`time_only_hint`);
    "" for others."""
    return (
        pg_csvlog_hint(head) or alerts_hint(head) or csv_hint(head) or json_array_hint(head)
        or time_only_hint(head)
    )


# records separated by blank lines (Wazuh's and OSSEC's `alerts.log`): a share of blank lines
# that says so, and how to join each record into one line (QA Wazuh: told of no built-in
# format, and of thousands of lines "no continuation lines")
BLANK_RECORDS_SHARE = 0.1
# records that start with a dated line, blank lines inside them (QA IBM MQ: the paragraph join
# glued each record's tail to the next one's head) (mawk-safe)
JOIN_DATED = (
    """awk '/^\\[?[0-9]/ { if (r != "") print r; r = $0; next } NF { r = r " | " $0 } """
    """END { if (r != "") print r }' LOG > joined.log"""
)
# (carriage returns dropped first: a Windows export's blank lines hold one, and the paragraph
# join made one line of a whole `Format-List` export, QA PowerShell)
JOIN_PARAGRAPHS = (
    """tr -d '\\r' < LOG | awk 'BEGIN { RS = ""; FS = "\\n"; OFS = " | " } { $1 = $1; print }' """
    """> joined.log"""
)
# ... and records that start with a line of their own kind, Wazuh's `** Alert 1733392800.123:`,
# blank lines inside some (QA Wazuh: a syscheck alert's `Attributes:` half, cut off by the
# paragraph join, rejected with a count only)
JOIN_ALERTS = (
    """awk '/^\\*\\* Alert / { if (r != "") print r; r = $0; next } NF { r = r " | " $0 } """
    """END { if (r != "") print r }' LOG > joined.log"""
)


# an alert's first line as OSSEC and Wazuh write it, not yet joined with the rest (` | `)
_ALERT_START = re.compile(r"\*\* Alert [0-9]+\.[0-9]+:")


def alerts_hint(head: list[str]) -> str:
    """Advice for Wazuh's or OSSEC's alerts.log as written, each alert over several lines
    (an alert's first line among the first lines, not joined with the others); "" for others.
    QA OSSEC: `--format wazuh` was refused with "try --format auto", which chose `nxos` for
    a quarter of the lines and wrote its templates of `Rule:` and `Src IP:` lines, exit 0."""
    lines = text_lines(head)
    alerts = [line for line in lines if _ALERT_START.match(line) and " | " not in line]
    if not alerts:
        return ""
    return (
        f"the lines look like Wazuh's or OSSEC's alerts.log ({show_line(alerts[0])}), each "
        "alert over several lines: logbert reads one event per line; join each alert into one "
        f"line and read that with --format wazuh: {JOIN_ALERTS}"
    )


def blank_records_hint(lines: int, blank: int) -> str:
    """Advice for logs whose records are separated by blank lines (`blank` of `lines` lines,
    at least three and `BLANK_RECORDS_SHARE`), "" for others."""
    if blank < 3 or blank < BLANK_RECORDS_SHARE * lines:
        return ""
    return (
        f"{blank:,} of {lines:,} lines are blank: records of several lines separated by blank "
        "lines? logbert reads one event per line; join each record into one line first, e.g. "
        f"{JOIN_PARAGRAPHS}; where the blank lines are also inside records that each start with "
        f"a line of their own kind, join on it: Wazuh's and OSSEC's alerts.log, {JOIN_ALERTS}; "
        f"IBM MQ's AMQERR01.LOG (a dated line), {JOIN_DATED}"
    )


def json_array_hint(head: list[str]) -> str:
    """Advice for a file holding one JSON array of events (`gcloud logging read
    --format=json`, pretty-printed or compact), "" for anything else: its first line is `[`
    or `[{` (QA GCP: told to write a format string, which cannot read JSON)."""
    lines = [line.strip() for line in text_lines(head) if line.strip()]
    if not lines or not (lines[0] == "[" or lines[0].startswith("[{")):
        return ""
    return (
        "the first line opens a JSON array: logbert reads one JSON "
        "object per line; write each element on a line of its own and read that with "
        "--format json, e.g. `jq -c '.[]' FILE.json > events.jsonl` (`gcloud logging read` "
        "lists the newest first: `jq -c 'reverse | .[]'` puts them in time order)"
    )


def _suggestion(run: Parser, head: list[str] | None = None, auto: bool = False) -> str:
    """Advice naming the formats `suggest_formats` found (with `auto`, `--format auto` too),
    or how to write a format string when none reads the first lines. `--format auto` is
    never suggested to a run whose format it chose. Logs whose records put their time on a
    line of its own get how to join them, CSV exports how to convert them (`layout_hint`)."""
    joined = layout_hint(run.head if head is None else head)
    if joined:
        return joined
    names = suggest_formats(run, head)[:3]
    chosen = run.auto_source is not None
    if names:
        they = "they read" if len(names) > 1 else "it reads"
        also = ", or --format auto" if auto and not chosen else ""
        return f"try --format {' or --format '.join(names)} ({they} the first lines){also}"
    also = "" if chosen else ", or try --format auto"
    given = run.fmt.timestamp_format
    if given is not None:  # every format was tried with it (QA: `hadoop` reads them without)
        return (
            f"no built-in format reads the first lines with --timestamp-format {given!r}: "
            "check it against the lines' time, or leave it out where a format's own rule "
            f"reads them{also}"
        )
    return (
        "no built-in format reads the first lines: pass a format string that matches them "
        f"(with --timestamp-format if its time is not ISO 8601){also}"
    )
