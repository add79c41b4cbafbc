"""Time windows over events that are not in time order (several hosts or files interleaved, a
log that is not sorted): files are windowed in time order and lose nothing; only a live stream
(`push`) can still have late events, and those are a warning, or an error when most are lost."""

from datetime import datetime, timedelta

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import logbert.sessions.sessionize as sessionize_module
from logbert.errors import LogbertError
from logbert.sessions.sessionize import (
    SessionizerSettings,
    SessionizeStats,
    WindowSessionizer,
    sessionize_events,
    sessionize_file,
)

T0 = datetime(2005, 6, 3, 15, 0, 0)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def interleaved() -> pa.Table:
    """Two hosts' logs joined end to end (as Zookeeper_2k is): host b starts back at 15:00
    after host a reached 15:20, and both have an event at 15:05 (a tie)."""
    a = [0, 1, 5, 9, 14, 20]
    b = [0, 2, 5, 6, 13, 19]
    return pa.table(
        {
            "template_id": list(range(1, 13)),
            "timestamp": [at(m) for m in a + b],
            "Node": ["a"] * 6 + ["b"] * 6,
            "label": ["-"] * 11 + ["KERNDTLB"],
        }
    )


def write(tmp_path, table: pa.Table, name: str) -> str:
    path = tmp_path / name
    pq.write_table(table, path, row_group_size=4)
    return path


def sessions_of(path, settings: SessionizerSettings, batch_size: int = 3):
    stats = SessionizeStats()
    sessions = list(sessionize_file(path, settings.build(stats=stats), batch_size))
    return sessions, stats


WINDOWS = [
    SessionizerSettings(window="5m"),
    SessionizerSettings(window="10m", step="5m"),
    SessionizerSettings(window="5m", by_field="Node"),
]


@pytest.mark.parametrize("settings", WINDOWS, ids=lambda s: s.describe())
def test_out_of_order_events_give_the_sessions_of_the_sorted_log(tmp_path, settings):
    table = interleaved()
    shuffled = write(tmp_path, table, "interleaved.parquet")
    order = pc.sort_indices(table, [("timestamp", "ascending")])
    in_order = write(tmp_path, table.take(order), "sorted.parquet")

    got, stats = sessions_of(shuffled, settings)
    want, sorted_stats = sessions_of(in_order, settings)
    assert got == want
    assert stats == sorted_stats
    assert stats.n_late == 0 and stats.late_warning() is None
    # every event is in a window; a fixed window holds each once
    if settings.step is None:
        assert sum(s.n_lines for s in got) == table.num_rows


def test_the_sort_is_stable_and_the_whole_window_is_kept(tmp_path):
    sessions, stats = sessions_of(
        write(tmp_path, interleaved(), "e.parquet"), SessionizerSettings(window="5m")
    )
    # 15:05 on host a (key 3) stays before 15:05 on host b (key 9): file order among ties
    assert [(s.session_id[11:16], s.keys) for s in sessions] == [
        ("15:00", [1, 7, 2, 8]),
        ("15:05", [3, 9, 10, 4]),
        ("15:10", [11, 5]),
        ("15:15", [12]),
        ("15:20", [6]),
    ]
    assert sessions[3].categories == ["KERNDTLB"] and stats.n_anomaly == 1


def test_events_without_a_timestamp_take_the_time_before_them_or_are_counted(tmp_path):
    """QA uWSGI: the undated HARAKIRI and traceback lines between dated requests were in no
    window; an undated line before any dated one still is, and is warned of."""
    table = pa.table(
        {"template_id": [5, 1, 2, 3, 4], "timestamp": [None, at(9), None, at(0), None]},
    )
    sessions, stats = sessions_of(write(tmp_path, table, "e.parquet"), WINDOWS[0], 1)
    assert [s.keys for s in sessions] == [[3, 4], [1, 2]]
    assert (stats.n_no_timestamp, stats.n_dated_before, stats.n_events) == (1, 2, 5)
    # QA Tomcat: the count in the summary went unnoticed; the events are in no window
    (said,) = [w for w in stats.warnings(None) if "no window" in w]
    assert said.startswith("warning: --window: 1 of 5 events have no timestamp and no dated")


def test_a_file_in_time_order_is_streamed_not_loaded_whole(tmp_path, monkeypatch):
    table = interleaved().slice(0, 6)  # host a alone: in order
    path = write(tmp_path, table, "e.parquet")

    def no_sort(*args, **kwargs):
        raise AssertionError("a file in time order must not be loaded and sorted")

    monkeypatch.setattr(sessionize_module, "sorted_by_time", no_sort)
    sessions, _ = sessions_of(path, WINDOWS[0])
    assert sum(s.n_lines for s in sessions) == 6


@pytest.mark.parametrize(
    "settings",
    [SessionizerSettings(lines=4), SessionizerSettings(by_field="Node")],
    ids=["lines", "by field"],
)
def test_id_sessions_and_count_windows_keep_line_order(tmp_path, settings):
    sessions, _ = sessions_of(write(tmp_path, interleaved(), "e.parquet"), settings)
    assert [k for s in sessions for k in s.keys] == list(range(1, 13))  # file order, unsorted


def test_sessionize_events_sorts_tables_that_interleave():
    table = interleaved()
    parts = [table.slice(0, 6), table.slice(6, 6).to_batches()[0]]  # tables and record batches
    stats = SessionizeStats()
    got = list(sessionize_events(SessionizerSettings(window="5m").build(stats=stats), parts))
    want = list(sessionize_events(SessionizerSettings(window="5m").build(), [table]))
    assert got == want and stats.n_late == 0
    assert sum(s.n_lines for s in got) == 12


def test_sessionize_events_keeps_the_order_of_other_sessionizers():
    table = interleaved()
    stream = SessionizerSettings(by_field="Node").build()
    sessions = list(sessionize_events(stream, [table.slice(6, 6), pa.table({}), table.slice(0, 6)]))
    # tables in the order given (empty ones skipped), each session's keys in that order
    assert [(s.session_id, s.keys) for s in sessions] == [
        ("b", list(range(7, 13))),
        ("a", list(range(1, 7))),
    ]


# --- live streams: late events are a warning, an error when most are lost -------------------


def test_a_live_stream_counts_late_events_and_warns():
    table = interleaved()
    stream = WindowSessionizer("5m")
    sessions = stream.push(table) + stream.flush()
    stats = stream.stats
    # host b's 15:00 - 15:13 events came after host a reached 15:20, when the windows up to
    # 15:15 were written: only 15:19 still lands
    assert stats.n_late == 5
    assert sum(s.n_lines for s in sessions) == 12 - 5
    warning = stats.late_warning()
    assert warning.startswith("warning: 5 of 12 timestamped events (41.7%) came more than a window")
    assert "time order" in warning and "--window" in warning
    assert "late" not in stats.summary(by_window=True)
    stats.check_late("live")  # under half lost: warned, not refused


def test_most_events_lost_as_late_is_an_error():
    times = [at(60)] + [at(m) for m in range(10)]  # one event an hour ahead of the rest
    stream = WindowSessionizer("5m")
    stream.push(pa.table({"template_id": list(range(11)), "timestamp": times}))
    stream.flush()
    assert stream.stats.n_late == 10
    with pytest.raises(LogbertError, match=r"^app.log: 10 of 11 timestamped events \(90.9%\)"):
        stream.stats.check_late("app.log")


def test_the_late_share_is_of_events_a_window_could_place():
    stats = SessionizeStats(n_events=10, n_no_timestamp=3, n_unmatched=3, n_late=2, field="Node")
    assert stats.n_windowed == 4
    assert "2 of 4 timestamped events (50.0%)" in stats.late_warning()
    stats.check_late("x")  # half is not more than half
    stats.n_late = 3
    with pytest.raises(LogbertError, match="3 of 4"):
        stats.check_late("x")


def test_windows_per_value_on_a_value_clock_close_by_each_value_s_own_time():
    """QA Mimir, OctoPrint: `watch` on one file per pod or printer (`--by-field source`) read
    the files one after another, and every line of the second was late by the first's time
    (1,432 of 2,331 events not scored). On a value clock (`serving.engine` sets it) a value's
    windows close by its own time, so each file loses nothing; the batch order's sessions."""
    table = interleaved()
    shared = WindowSessionizer("5m", field="Node")
    shared_sessions = shared.push(table) + shared.flush()
    assert shared.stats.n_late == 5  # the stream's newest time: host b's first windows late
    own = WindowSessionizer("5m", field="Node")
    own.value_clock = True
    sessions = []
    for half in (table.slice(0, 6), table.slice(6)):  # host a's file, then host b's
        sessions += own.push(half)
    sessions += own.flush()
    assert own.stats.n_late == 0 and sum(s.n_lines for s in sessions) == 12
    assert len(sessions) > len(shared_sessions)
    batch = WindowSessionizer("5m", field="Node")
    expected = batch.push(table.sort_by("timestamp")) + batch.flush()
    assert sorted((s.session_id, tuple(s.keys)) for s in sessions) == sorted(
        (s.session_id, tuple(s.keys)) for s in expected
    )


def test_a_value_that_falls_silent_has_its_windows_closed_by_the_stream_s_time():
    """On a value clock a host that stops writing would hold its last window open for ever:
    after QUIET_PUSHES pushes with none of its events, the stream's newest time closes it."""
    own = WindowSessionizer("5m", field="Node")
    own.value_clock = True
    both = pa.table({"template_id": [1, 2], "timestamp": [at(0), at(1)], "Node": ["a", "b"]})
    assert own.push(both) == []
    closed = []
    for minute in (12, 13, 14):  # host a alone goes on; b fell silent after 15:01
        closed += own.push(pa.table({"template_id": [3], "timestamp": [at(minute)],
                                     "Node": ["a"]}))  # fmt: skip
    assert {s.session_id for s in closed} == {"a@2005-06-03T15:00:00", "b@2005-06-03T15:00:00"}
    late = own.push(pa.table({"template_id": [4], "timestamp": [at(2)], "Node": ["b"]}))
    assert late == [] and own.stats.n_late == 1  # its window was written: late, not again


def test_read_in_rounds_a_value_behind_another_is_not_quiet_while_it_writes():
    """QA Zammad: `watch` read the web server's file in several pushes and the worker's file
    (ten minutes behind) then counted as quiet: its windows closed by the web server's time
    and 64 of its events were late. Read in rounds (`quiet_in_rounds`, every input to its end
    then `end_round`), a value is quiet only after rounds with others' events and none of its
    own: the worker behind loses nothing; once it stops writing, its windows close."""
    own = WindowSessionizer("5m", field="Node")
    own.value_clock = own.quiet_in_rounds = True
    closed = []
    for start in (0, 20, 40):  # each round: web 20 minutes on, in 4 pushes; worker behind
        for minute in range(start + 30, start + 50, 5):
            closed += own.push(pa.table({"template_id": [1], "timestamp": [at(minute)],
                                         "Node": ["web"]}))  # fmt: skip
        closed += own.push(pa.table({"template_id": [2, 2], "Node": ["worker", "worker"],
                                     "timestamp": [at(start + 3), at(start + 22)]}))  # fmt: skip
        assert own.wrote_this_round("worker")
        closed += own.end_round()
        assert own.end_round() == []  # a round with no event at all counts for none
    assert own.stats.n_late == 0  # (pushes: the worker quiet, its windows closed by web's)
    assert "worker@2005-06-03T16:00:00" not in {s.session_id for s in closed}  # its own time
    for minute in (95, 100):  # the worker stops: two rounds of web alone close its windows
        own.push(pa.table({"template_id": [1], "timestamp": [at(minute)], "Node": ["web"]}))
        assert not own.wrote_this_round("worker")
        closed += own.end_round()
    assert any(s.session_id == "worker@2005-06-03T16:00:00" for s in closed)


def test_the_value_clock_forgets_the_longest_quiet_values_beyond_its_bound(monkeypatch):
    """A stream that never ends (windows per request id in `serve`) must not keep a clock per
    value for ever: beyond VALUES_WATCHED values, the longest quiet with no window open go."""
    import logbert.sessions.window_sessions as window_sessions

    monkeypatch.setattr(window_sessions, "VALUES_WATCHED", 10)
    own = WindowSessionizer("5m", field="Node")
    own.value_clock = True
    for i in range(12):  # one value a push, each a window later: all but the last closed
        own.push(pa.table({"template_id": [1], "timestamp": [at(10 * i)], "Node": [f"n{i}"]}))
    assert len(own._clock_by_value) <= 10 and "n11" in own._clock_by_value
    assert "n0" not in own._clock_by_value  # the longest quiet


def test_each_file_s_first_window_starts_at_that_file_s_first_event():
    """QA Vector: with windows per file (`--by-field source`) every host's first window
    started at the first file's first line, a time that host never logged; each file is a log
    of its own, cut by its own start. Windows per host of one file keep the log's start."""
    table = pa.table({
        "template_id": [1, 2, 3, 4],
        "timestamp": [at(0.5), at(1), at(2.5), at(3)],
        "source": ["a.log", "a.log", "b.log", "b.log"],
    })  # fmt: skip
    files = WindowSessionizer("5m", field="source")
    starts = {s.session_id: s.start for s in files.push(table) + files.flush()}
    assert starts == {"a.log@2005-06-03T15:00:00": at(0.5), "b.log@2005-06-03T15:00:00": at(2.5)}
    hosts = WindowSessionizer("5m", field="Node")
    node = table.rename_columns(["template_id", "timestamp", "Node"])
    assert {s.start for s in hosts.push(node) + hosts.flush()} == {at(0.5)}
