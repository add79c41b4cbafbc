"""Raw log files -> sessions (`read_log_sessions`, what `train/score/evaluate --logs` read):
what the summary says about lines that joined no session."""

from pathlib import Path

import pytest

from logbert.errors import LogbertError
from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import Parser
from logbert.parsing.summary import join_continuations
from logbert.pipeline.logs import LogReadSummary, read_log_sessions
from logbert.sessions.sessionize import SessionizerSettings

FORMAT = "<Date> <Time> <Level> <Component>: <Content>"
ORDER = [  # one request; only its first line says "request req-..."
    "2024-03-04 10:00:00,906 INFO OrderService: Received order request req-1a2b3c from ann",
    "2024-03-04 10:00:01,028 INFO OrderService: Validating cart for req-1a2b3c: 2 items",
    "2024-03-04 10:00:01,046 INFO Inventory: [req-1a2b3c] Inventory lock acquired",
    "2024-03-04 10:00:02,101 WARN Cache: Cache refresh for region ap took 2245 ms",
    "java.net.SocketTimeoutException: Read timed out",
    "\tat com.shop.cache.RegionCache.refresh(RegionCache.java:56)",
    "\t... 12 more",
    "2024-03-04 10:00:03,000 INFO OrderService: Order req-1a2b3c completed",
]


def read(tmp_path: Path, pattern: str, lines: list[str] = ORDER):
    log = tmp_path / "orders.log"
    log.write_text("\n".join(lines) + "\n")
    summary = LogReadSummary()
    settings = SessionizerSettings(by_id=pattern)
    parser = Parser(resolve_format(FORMAT))
    sessions = list(read_log_sessions(parser, settings, [str(log)], summary))
    return sessions, summary


def test_an_id_regex_that_matches_few_events_is_a_warning_note(tmp_path):
    sessions, summary = read(tmp_path, r"request (req-[0-9a-f]{6})")
    assert [s.n_lines for s in sessions] == [1]
    warnings = [note for note in summary.notes if note.startswith("warning: ")]
    assert len(warnings) == 1
    assert warnings[0].startswith(
        "warning: 4 of 5 events (80%) matched no id of --by-id 'request (req-[0-9a-f]{6})' "
        "(e.g. 'Validating cart for req-1a2b3c: 2 items', which holds the id 'req-1a2b3c' of "
        "a session)"
    )
    assert "warning" not in read(tmp_path, r"req-[0-9a-f]{6}")[1].line()


def test_rejected_continuation_lines_get_a_hint_in_the_summary(tmp_path):
    _, summary = read(tmp_path, r"req-[0-9a-f]{6}")
    assert "8 lines read, 3 rejected (3 look like continuation lines of multi-line records, " \
        "e.g. stack traces: logbert reads one event per line and does not judge them, so a " \
        "problem shown only there goes unseen unless each record is joined into one line " \
        "first (where each record starts with a date, awk '/^" in summary.line()  # fmt: skip
    # ... the join, as `parse` gives it (QA Home Assistant: `score --logs` gave none)
    summary.rejects_path = Path("orders.rejects.txt")
    assert "3 rejected (kept in orders.rejects.txt; 3 look like continuation lines" in (
        summary.line()
    )
    other = ORDER[:3] + ["not a line of this format", "nor this one", "\tat X.y(X.java:1)"]
    _, summary = read(tmp_path, r"req-[0-9a-f]{6}", other)
    # 1 of 3: no join hint, but what the other two are (QA Frigate: "14 rejected" alone)
    assert "6 lines read, 3 rejected (2 are lines the format does not read, no stack trace's: " \
        "no detector judges them; where they continue the record before them, join each " \
        "record into one line first, else a format string that fits them too reads them);" \
        in summary.line()  # fmt: skip
    assert "warning: 2 of 6 lines (33%) do not fit format" in summary.line()  # but a warning


def test_a_models_format_is_not_blamed_for_long_stack_traces(tmp_path):
    """`score --logs`: most lines rejected, nearly all of them stack trace lines under records
    the model's format reads; the warning says so, not that the logs come from another
    system."""
    traced = ORDER[:5] + ORDER[5:6] * 6 + ORDER[6:]  # 5 records, 8 continuation lines
    parser = Parser(resolve_format(FORMAT)).freeze()
    log = tmp_path / "orders.log"
    log.write_text("\n".join(traced) + "\n")
    summary = LogReadSummary()
    list(read_log_sessions(parser, SessionizerSettings(by_id=r"req-[0-9a-f]{6}"), [str(log)],
                           summary))  # fmt: skip
    (warning,) = [n for n in summary.notes if "did not match" in n]
    assert warning == (
        f"warning: format {FORMAT!r} fits the records of these logs, but 8 of 13 lines (62%) "
        "did not match it: 8 of them look like continuation lines of multi-line records (stack "
        "traces), which logbert reads one event per line and does not judge; "
        f"to judge them, join each record into one line first ({join_continuations(traced)})"
    )


def test_no_session_from_a_format_that_misses_most_lines_names_the_format_first(tmp_path):
    """The few lines a wrong format reads say little about --by-id: the error says how many
    lines did not fit, with the bad-fit advice, and carries the format --format auto chose
    as a note (the CLI prints the notes before the error)."""
    hdfs = "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating"
    log = tmp_path / "jobs.log"
    log.write_text("\n".join([hdfs, hdfs] + [f"job {i} - not an hdfs line" for i in range(5)]))
    settings = SessionizerSettings(by_id=r"job_\d+")
    with pytest.raises(LogbertError) as err:
        list(read_log_sessions(Parser(resolve_format("auto")), settings, [str(log)],
                               LogReadSummary()))  # fmt: skip
    message = str(err.value)
    assert message.startswith(
        f"no session in {log} (7 lines): format hdfs does not fit these logs: 5 of 7 lines "
        "(71%) did not match it; no built-in format reads the first lines: pass a format "
        "string that matches them (with --timestamp-format if its time is not ISO 8601); of "
        "the 2 lines it read: 0 sessions"
    )
    assert message.endswith(
        "fix the format first, then check the session settings (by id 'job_\\d+') if still "
        "no session comes out"
    )
    assert err.value.__notes__[0].startswith("format auto: chose hdfs (")
    # a format that fits: the session settings are to blame, as before
    log.write_text("\n".join([hdfs, hdfs]))
    with pytest.raises(LogbertError, match=r"\(2 lines\): 0 sessions .*check the session "):
        list(read_log_sessions(Parser(resolve_format("hdfs")), settings, [str(log)],
                               LogReadSummary()))  # fmt: skip


def test_sessions_out_of_time_order_are_a_warning_note(tmp_path):
    rotated = ORDER[7:] + ORDER[:3]  # newest file first: the request's last line leads
    _, summary = read(tmp_path, r"req-[0-9a-f]{6}", rotated)
    warnings = [note for note in summary.notes if note.startswith("warning: ")]
    assert warnings == [
        "warning: 1 of 1 sessions have events out of time order (e.g. session 'req-1a2b3c'): "
        "the events keep their input line order, and even a few such sessions matter: a "
        "sequence detector learns their order, and a threshold calibrated on one can rise above "
        "real anomalies (QA: 6 of 3,000, F1 1.00 -> 0.74). Give rotated files oldest first "
        "(auth.log.1 before auth.log, or their folder); files of several services or hosts are "
        "read one after another, so "
        "where a session spans them, take the events in time order: `--order time` with "
        "`sessionize` or `train --logs` (a model's `score --logs` and `evaluate --logs` follow "
        "it), or merge the files by time into one log first"
        ". Unless the id is reused: one that several hosts or runs give to different "
        "sessions (process ids, Erlang pids) joins them into one, in any order; put the host "
        "in the id (--by-field Host,Pid, or the file: --by-field source,CallId; with --by-id, "
        "named groups make one id of their "
        "values: 'hostname=(?P<host>\\S+) .*reqId=(?P<req>\\S+)') or pass --idle-timeout "
        "(to sessionize, or to train)"
    ]
    assert "; 1 session has events out of time order" in summary.sessionize_text


def test_sessions_that_began_before_the_logs_are_a_warning():
    """Yesterday's model on today's file: sessions that span midnight begin mid-workflow."""
    from datetime import datetime, timedelta

    from logbert.pipeline.logs import EarlierStarts, note_earlier_starts
    from logbert.sessions.io import Session

    t0 = datetime(2024, 3, 5)
    cut = [Session(f"c{i}", [3, 4, 5], start=t0 + timedelta(minutes=i)) for i in range(5)]
    whole = [Session(f"w{i}", [1, 2, 3, 4, 5], start=t0 + timedelta(minutes=i)) for i in range(95)]
    summary = LogReadSummary()
    seen = list(note_earlier_starts(iter(cut + whole), EarlierStarts({1}, 3600.0), summary))
    assert len(seen) == 100
    assert summary.notes == [
        "warning: 5 of 100 sessions begin with an event no training session begins with (e.g. "
        "session 'c0', key 3) and started within the normal session lifetime (60 min) of the logs' "
        "first session: they may have begun before these logs, in an earlier file (or the "
        "logs lack a file of another service that the training logs had), and their "
        "missing beginning is judged like an anomaly; if no earlier log names them, they "
        "began out of order here and are anomalies as scored. Score the files together (oldest "
        "first, "
        "in one --logs run), or follow the log with `logbert watch --state-dir`"
    ]
    late = [Session("odd", [3, 4, 5], start=t0 + timedelta(hours=2))]  # past the lifetime
    quiet = LogReadSummary()
    list(note_earlier_starts(iter(whole + late + cut[:1]), EarlierStarts({1}, 3600.0), quiet))
    assert quiet.notes == []  # one odd session near the start is under 1%: an anomaly, maybe
    # QA PBS: 9 jobs queued before the scored days, 0.6% of the sessions, were most false alarms
    many = whole * 20 + cut  # 1,905 sessions, 5 cut
    said = LogReadSummary()
    list(note_earlier_starts(iter(many), EarlierStarts({1}, 3600.0), said))
    assert said.notes[0].startswith("warning: 5 of 1,905 sessions begin with an event no training")
    # QA (a newer Slurm): sessions whose first key is a template new since training were
    # blamed on "an earlier file"; the unseen-template warnings speak for them
    reworded = [Session(f"r{i}", [9, 4, 5], start=t0 + timedelta(minutes=i)) for i in range(5)]
    quiet = LogReadSummary()
    counter = EarlierStarts({1}, 3600.0, known_keys=frozenset({1, 2, 3, 4, 5}))
    list(note_earlier_starts(iter(reworded + whole), counter, quiet))
    assert quiet.notes == []


def test_new_templates_in_no_session_are_a_warning(tmp_path):
    """QA: Postfix's `NOQUEUE: reject: ... Relay access denied` names no queue id; the unseen
    template was only counted, and no verdict judged it."""
    parser = Parser(resolve_format(FORMAT))
    list(read_log_sessions(parser, SessionizerSettings(by_id=r"req-[0-9a-f]{6}"),
                           [str(_write(tmp_path, ORDER))], LogReadSummary()))  # fmt: skip
    parser.freeze()
    reject = "2024-03-04 11:00:00,000 WARN Gateway: Relay access denied for 10.0.0.9"
    log = _write(tmp_path, ORDER + [reject, reject.replace("9", "7")])
    summary = LogReadSummary()
    settings = SessionizerSettings(by_id=r"req-[0-9a-f]{6}")
    list(read_log_sessions(parser, settings, [str(log)], summary))
    (warning,) = [n for n in summary.notes if "in no session" in n]
    assert warning.startswith("warning: 2 events of 1 template the model never saw are in no ")
    assert "'Relay access denied for <*>' (2 events)" in warning
    # ... sessions by id told of windows, which hold every line (QA Vault)
    assert warning.endswith("a second model by time windows judges every line (e.g. `logbert "
                            "train ... --by-field source --window 5m`)")  # fmt: skip
    summary = LogReadSummary()  # known templates outside sessions: nothing to say
    list(read_log_sessions(parser, settings, [str(_write(tmp_path, ORDER))], summary))
    assert not any("in no session" in n for n in summary.notes)


def _write(tmp_path: Path, lines: list[str]) -> Path:
    log = tmp_path / "orders.log"
    log.write_text("\n".join(lines) + "\n")
    return log


def test_a_format_string_is_named_as_the_user_wrote_it():
    """QA nginx and Cassandra: `[<Thread>]` was shown as `\\\\[<Thread>\\\\]` in errors."""
    from logbert.parsing.formats import resolve_format
    from logbert.parsing.pipeline import Parser
    from logbert.pipeline.logs import quoted_format_name

    written = "<Level> [<Thread>] <Date> <Time> <Component> - <Content>"
    assert quoted_format_name(Parser(resolve_format(written))) == f"'{written}'"
    assert quoted_format_name(Parser(resolve_format("hdfs"))) == "'hdfs'"


def test_windows_are_never_said_to_have_begun_before_the_logs():
    """QA MIT KDC: time windows per address that opened with a ticket were said to have begun
    before the logs; a window begins where the clock does, with any event."""
    from datetime import datetime, timedelta

    from logbert.models.ngram import NgramDetector
    from logbert.pipeline import Pipeline
    from logbert.sessions.io import Session

    t0 = datetime(2025, 11, 27)
    sessions = [Session(f"s{i}", [1, 2, 3], "normal", start=t0 + timedelta(minutes=10 * i),
                        end=t0 + timedelta(minutes=10 * i + 5)) for i in range(30)]  # fmt: skip
    windows = Pipeline(NgramDetector(), sessionizer=SessionizerSettings(window="10m"))
    assert windows.fit(sessions).earlier_starts() is None
    by_id = Pipeline(NgramDetector(), sessionizer=SessionizerSettings(by_id=r"s\d+"))
    assert by_id.fit(sessions).earlier_starts() is not None


def _two_nodes(tmp_path: Path, n: int) -> list[str]:
    """Two nodes' files of `n` sessions, each session's middle event in the second file."""
    first, second = [], []
    for i in range(n):
        first += [f"2024-06-03 06:{i:02d}:00 INFO type=LOGIN session=s{i}",
                  f"2024-06-03 06:{i:02d}:30 INFO type=LOGOUT session=s{i}"]  # fmt: skip
        second.append(f"2024-06-03 06:{i:02d}:10 INFO type=CODE_TO_TOKEN session=s{i}")
    paths = []
    for name, lines in (("node-0.log", first), ("node-1.log", second)):
        (tmp_path / name).write_text("\n".join(lines) + "\n")
        paths.append(str(tmp_path / name))
    return paths


def test_training_on_sessions_mostly_out_of_time_order_asks_for_an_order(tmp_path):
    """QA Keycloak: two nodes' files read one after another put every session's token event
    after its logout; LogBERT trained 20 minutes on that order, exit 0 with a warning, and
    caught none of the tokens used after a logout."""
    from logbert.models.registry import detector_class
    from logbert.pipeline.bundle import Pipeline

    files = _two_nodes(tmp_path, 25)

    def fit(order=None):
        settings = SessionizerSettings(by_id=r"session=(\w+)", order=order)
        bundle = Pipeline(detector_class("length")(), sessionizer=settings, log_format="iso")
        return bundle.fit_logs(files)

    with pytest.raises(LogbertError) as err:
        fit()
    assert str(err.value).startswith(
        "25 of 25 sessions (100%) have events out of time order (e.g. session 's0'): "
    )
    assert "--order time takes each session's events by timestamp" in str(err.value)
    assert "--order lines keeps the input order" in str(err.value)
    assert fit("time").log_summary_.out_of_order == 0
    assert fit("lines").log_summary_.out_of_order == 25  # the user's choice: trained
    # a few such sessions are the warning's, not an error
    files = _two_nodes(tmp_path, 19)
    assert fit().log_summary_.out_of_order == 19
