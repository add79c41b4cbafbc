"""Sessions by a header field (`--by-field`), alone or with time or count windows, and count
windows (`--lines`): grouping, ids, the streaming contract, settings, errors."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from logbert.errors import LogbertError
from logbert.sessions.sessionize import (
    FieldSessionizer,
    LineSessionizer,
    SessionizerSettings,
    SessionizeStats,
    WindowSessionizer,
    sessionize_events,
    sessionize_file,
)

T0 = datetime(2005, 6, 3, 15, 40, 0)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def _bgl_like(n: int = 60) -> pa.Table:
    nodes = ["R02-M1-N0-C:J12-U11", "R30-M0-N9-C:J16-U01", ""]
    return pa.table(
        {
            "line_no": list(range(1, n + 1)),
            "source": ["bgl.log"] * n,
            "timestamp": pa.array(
                [at(13 * i) if i % 19 else None for i in range(n)], pa.timestamp("us")
            ),
            "Node": [nodes[i % 3] if i % 7 else None for i in range(n)],
            "content": [f"msg {i}" for i in range(n)],
            "template_id": [i % 5 for i in range(n)],
            "label": ["-" if i % 11 else "KERNDTLB" for i in range(n)],
        }
    )


def _push_all(sessionizer, table: pa.Table, size: int):
    out = []
    for offset in range(0, table.num_rows, size):
        out.extend(sessionizer.push(table.slice(offset, size)))
    return out + sessionizer.flush()


def test_by_field_alone_one_session_per_value():
    """`-`, the placeholder access, W3C and flow logs write, is no value (QA VPC flow logs:
    every NODATA record was one session called `-`)."""
    table = pa.table({"Node": ["a", "b", "a", None, "", "-"], "template_id": [1, 2, 3, 4, 5, 6]})
    stream = FieldSessionizer("Node")
    sessions = _push_all(stream, table, 2)
    assert [(s.session_id, s.keys) for s in sessions] == [("a", [1, 3]), ("b", [2])]
    assert stream.stats.n_unmatched == 3
    assert "3 events had no Node value" in stream.stats.summary(by_window=False)


def test_nextcloud_s_and_zeek_s_words_for_none_are_no_value():
    """QA Nextcloud: `"user":"--"` (logged out; cron) made one user `--` of every address's
    login attempts and every cron line, and "0 events had no user value"."""
    table = pa.table({"user": ["alice", "--", "(empty)", "alice"], "template_id": [1, 2, 3, 4]})
    stream = FieldSessionizer("user")
    assert [s.session_id for s in _push_all(stream, table, 2)] == ["alice"]
    assert "2 events had no user value" in stream.stats.summary(by_window=False)


def test_a_process_id_alone_over_several_hosts_is_a_warning():
    """QA Puppet: `--by-field PID` on a central syslog joined the agent runs of different hosts
    that had the same pid (1,788 sessions of 1,855 runs, a 9 h lifetime), with no word."""
    table = pa.table({"PID": ["4321", "4321", "77", "77"], "Host": ["web01", "db02", "a", "a"],
                      "template_id": [1, 2, 3, 4]})  # fmt: skip
    stream = FieldSessionizer("PID")
    assert stream.wanted_columns(table.schema.names) == ["template_id", "PID", "Host"]
    _push_all(stream, table, 2)
    assert stream.stats.multi_host_warning() == (
        "warning: 1 PID values came from several hosts (e.g. 4321 on web01 and db02): sessions "
        "by --by-field PID join the processes of different hosts; key them by host and "
        "process, --by-field Host,PID"
    )
    both = FieldSessionizer("Host,PID")
    _push_all(both, table, 2)
    assert both.stats.multi_host_warning() is None


def test_by_several_fields_one_session_per_combination():
    """QA: sshd pids repeat across hosts, and `--by-field Pid` merged the sessions of one pid
    on three hosts. `Component,Pid` keys a process on a host (`gate-2/24200`); an event
    missing either value joins no session; a missing field is named among the fields."""
    table = pa.table({
        "Component": ["gate-1", "gate-2", "gate-1", "gate-2", None, "gate-1"],
        "Pid": ["7", "7", "7", "8", "7", ""],
        "template_id": [1, 2, 3, 4, 5, 6],
    })  # fmt: skip
    stream = FieldSessionizer("Component,Pid")
    sessions = _push_all(stream, table, 4)
    assert [(s.session_id, s.keys) for s in sessions] == [
        ("gate-1/7", [1, 3]), ("gate-2/7", [2]), ("gate-2/8", [4])
    ]  # fmt: skip
    assert stream.stats.n_unmatched == 2
    with pytest.raises(LogbertError, match=r"no such field \(Host\); their header fields"):
        FieldSessionizer("Pid,Host").push(table.drop_columns(["Component"]), where="live")
    with pytest.raises(LogbertError, match="several joined by commas"):
        SessionizerSettings(by_field="Component,").validate()


def test_process_id_fields_without_an_idle_timeout_are_warned_of():
    """QA: `--by-field Pid` on a PostgreSQL log merged 3,000 connections into 400 sessions of
    reused pids, with no word; a process or thread id field alone needs --idle-timeout."""
    table = pa.table({"Pid": ["7", "8", "7"], "Node": ["a", "b", "a"], "template_id": [1, 2, 1],
                      "timestamp": [at(0), at(1), at(7200)]})  # fmt: skip
    for field, timeout, warned in (("Pid", None, True), ("Node,Pid", None, True),
                                   ("Pid", "1m", False), ("Node", None, False)):  # fmt: skip
        stream = FieldSessionizer(field, idle_timeout=timeout)
        _push_all(stream, table, 2)
        warning = stream.stats.reused_ids_warning()
        assert (warning is not None) == warned, field
        if warned:
            assert warning.startswith(f"warning: sessions by --by-field {field} with no ")
            assert "1 of 2 sessions (e.g. " in warning
    # ... where a value was seen again after an hour's quiet: not where none was (QA Odoo:
    # said on every command, though each of 356 worker pids lived once)
    stream = FieldSessionizer("Pid")
    _push_all(stream, table.slice(0, 2), 2)
    assert stream.stats.reused_ids_warning() is None


def test_by_field_alone_with_idle_timeout_and_labels_by_value():
    table = pa.table(
        {
            "Node": ["a", "b", "b", "a"],
            "template_id": [1, 2, 3, 4],
            "timestamp": [at(0), at(10), at(50), at(200)],  # b: never quiet for 1m
        }
    )
    stream = FieldSessionizer("Node", labels={"a": "anomaly"}, idle_timeout="1m")
    sessions = _push_all(stream, table, 1)
    # each run of a value is written as VALUE@START (QA Duplicati: a file's runs shared an id)
    assert [(s.session_id, s.keys, s.label) for s in sessions] == [
        ("a@2005-06-03T15:40:00", [1], "anomaly"),  # quiet for 200 s > 1m
        ("b@2005-06-03T15:40:10", [2, 3], None),
        ("a@2005-06-03T15:43:20", [4], "anomaly"),  # came back: a new run, its value's label
    ]
    assert stream.stats.n_reopened == 1
    # QA (PostgreSQL pids reused hours later): the labels file names ids, so the one label of
    # "a" labelled both sessions and the figures counted it twice, silently; now a warning
    assert stream.stats.n_labels_repeated == 1
    (warning,) = stream.stats.warnings(None)
    assert warning.startswith("warning: labels: 1 sessions took the label") and "'a'" in warning
    assert "labels file names ids, not sessions" in warning


def test_a_labels_file_may_name_one_run_of_a_value():
    """QA Duplicati: `--by-field source --idle-timeout` (the README's recipe for a job's runs
    appended to its log) wrote every run under the file's name, so a labels file could mark
    only a whole host's runs anomalous and an alert named no run."""
    table = pa.table({"source": ["db01.log"] * 4, "template_id": [1, 2, 1, 9],
                      "timestamp": [at(0), at(5), at(3600), at(3605)]})  # fmt: skip
    labels = {"db01.log@2005-06-03T16:40:00": "anomaly"}
    stream = FieldSessionizer("source", labels=labels, idle_timeout="10m")
    sessions = _push_all(stream, table, 2)
    assert [(s.session_id, s.label) for s in sessions] == [
        ("db01.log@2005-06-03T15:40:00", None), ("db01.log@2005-06-03T16:40:00", "anomaly")
    ]  # fmt: skip
    assert stream.stats.n_labels_unused == 0 and stream.stats.n_labels_repeated == 0
    # a run's id that names no run is unused, and none named at all is refused with examples
    wrong = {"db01.log@2005-06-03T16:40:01": "anomaly", "db01.log": "normal"}
    missed = FieldSessionizer("source", labels=wrong, idle_timeout="10m")
    _push_all(missed, table, 2)
    assert missed.stats.n_labels_unused == 1 and missed.stats.n_labels_unused_anomalous == 1
    with pytest.raises(LogbertError, match="the sessions have e.g. 'db01.log@2005-06-03T1"):
        _push_all(FieldSessionizer("source", labels={"x@1": "anomaly"}, idle_timeout="10m"),
                  table, 2)  # fmt: skip


def test_runs_of_a_file_cut_by_idle_timeout_are_said_as_such():
    """QA LibreNMS: a device's polls appended to its file, `--by-field source --idle-timeout`
    (the README's recipe) cut one session a run, and every run said "ids came back ...
    raise --idle-timeout if each id is one session"."""
    table = pa.table(
        {
            "source": ["sw1.log"] * 4 + ["sw2.log"] * 2,
            "template_id": [1, 2, 1, 2, 1, 2],
            "timestamp": [at(0), at(5), at(300), at(305), at(1), at(6)],
        }
    )
    stream = FieldSessionizer("source", idle_timeout="2m")
    assert len(_push_all(stream, table, 2)) == 3
    summary = stream.stats.summary(by_window=False)
    assert "a new session began 1 time where a file went on after a quiet of" in summary
    assert "raise --idle-timeout" not in summary


def test_events_older_than_the_idle_clock_are_warned_of():
    """QA: several hosts' files read one after another with --idle-timeout 1h: the clock
    followed the first file to its end, so every job's events in the second file came back
    as new sessions, with advice to raise the timeout (any timeout under the files' span)."""
    table = pa.table(
        {
            "Node": ["a", "b", "a"],  # a second file starting back at 10 s
            "template_id": [1, 2, 3],
            "timestamp": [at(0), at(5000), at(10)],
        }
    )
    stream = FieldSessionizer("Node", idle_timeout="1h")
    _push_all(stream, table, 1)
    assert stream.stats.n_before_idle_clock == 1
    (warning,) = stream.stats.warnings(None)
    assert warning.startswith("warning: --idle-timeout: 1 events came more than the timeout")
    assert "session 'a'" in warning and "`--order time`" in warning
    # late, but its session still open: nothing was cut, nothing said (QA CI: 6,705 late
    # events were said to cut sessions where 3 sessions differed)
    late = pa.table({"Node": ["b", "c", "b"], "template_id": [1, 2, 3],
                     "timestamp": [at(4000), at(5000), at(1000)]})  # fmt: skip
    open_stream = FieldSessionizer("Node", idle_timeout="1h")
    _push_all(open_stream, late, 1)
    assert open_stream.stats.n_before_idle_clock == 0
    # with --order time the second file's events come in time order: one session per node
    settings = SessionizerSettings(by_field="Node", idle_timeout="1h", order="time")
    ordered = settings.build()
    sessions = list(sessionize_events(ordered, [table.slice(0, 2), table.slice(2)]))
    assert [(s.session_id, s.keys) for s in sessions] == [
        ("a@2005-06-03T15:40:00", [1, 3]), ("b@2005-06-03T17:03:20", [2])
    ]  # fmt: skip
    assert ordered.stats.n_before_idle_clock == 0


def test_an_idle_timeout_over_undated_events_is_a_warning():
    """QA: JSON lines without a time key, `--idle-timeout 1m`: silently never applied."""
    table = pa.table({"Node": ["a", "b"], "template_id": [1, 2], "timestamp": [None, at(1)]})
    stream = FieldSessionizer("Node", idle_timeout="1m")
    _push_all(stream, table, 1)
    (warning,) = stream.stats.warnings(None)
    assert warning.startswith("warning: --idle-timeout: 1 of 2 events have no timestamp")


def test_by_field_with_windows_one_session_per_value_and_window():
    table = pa.table(
        {
            "Node": ["R02-M1-N0-C:J12-U11", "x", "R02-M1-N0-C:J12-U11", "x", "x"],
            "template_id": [1, 2, 3, 4, 5],
            "timestamp": [at(10), at(20), at(100), at(400), at(900)],
            "label": ["-", "-", "KERNDTLB", "-", "-"],
        }
    )
    stream = WindowSessionizer("5m", field="Node")
    first = stream.push(table.slice(0, 4))
    assert first == []  # 400 s: nothing is a window past its end yet
    closed = stream.push(table.slice(4))
    assert [(s.session_id, s.keys, s.label) for s in closed] == [
        ("R02-M1-N0-C:J12-U11@2005-06-03T15:40:00", [1, 3], "anomaly"),
        ("x@2005-06-03T15:40:00", [2], "normal"),
        ("x@2005-06-03T15:45:00", [4], "normal"),
    ]
    # (the log's first event at 15:40:10 cut the first windows: they start there)
    assert closed[0].start == at(10) and closed[0].end == at(300)
    assert closed[2].start == at(300)
    assert [s.session_id for s in stream.flush()] == ["x@2005-06-03T15:55:00"]


def test_time_windows_take_labels_by_their_ids_as_written():
    """QA (PostgreSQL/syslog, MySQL windows): a labels CSV of window ids, exactly as the tool
    writes them, was refused; logs without a label column could not be evaluated by window."""
    table = pa.table({
        "Node": ["a", "b", "a", "b"], "template_id": [1, 2, 3, 4],
        "timestamp": [at(10), at(20), at(400), at(900)], "label": ["-"] * 4,
    })  # fmt: skip
    labels = {"a@2005-06-03T15:40:00": "anomaly", "b@2005-06-03T15:40:00": "normal",
              "c@2005-06-03T15:40:00": "normal"}  # fmt: skip
    stream = WindowSessionizer("5m", field="Node", labels=labels)
    sessions = _push_all(stream, table, 2)
    assert [(s.session_id, s.label) for s in sessions] == [
        ("a@2005-06-03T15:40:00", "anomaly"), ("b@2005-06-03T15:40:00", "normal"),
        ("a@2005-06-03T15:45:00", None), ("b@2005-06-03T15:55:00", None),
    ]  # fmt: skip
    assert stream.stats.n_labels_unused == 1
    labels["d@2005-06-03T15:40:00"] = "anomaly"  # QA (Slurm): anomalies naming no session
    stream = WindowSessionizer("5m", field="Node", labels=labels)
    _push_all(stream, table, 2)
    assert stream.stats.summary(by_window=True).endswith(
        "; 2 ids in the labels file named no session (1 of them labelled anomalous)"
    )
    plain = WindowSessionizer("5m", labels={"2005-06-03T15:45:00": "anomaly"})
    assert [s.label for s in _push_all(plain, table, 4)] == [None, "anomaly", None]
    with pytest.raises(LogbertError, match="none of its 1 ids names a session"):
        _push_all(WindowSessionizer("5m", labels={"a@15:40": "anomaly"}), table, 4)


def test_lines_fixed_and_sliding_count_windows():
    table = pa.table({"template_id": list(range(7))})
    fixed = _push_all(LineSessionizer(3), table, 2)
    assert [(s.session_id, s.keys) for s in fixed] == [
        ("#0", [0, 1, 2]),
        ("#1", [3, 4, 5]),
        ("#2", [6]),  # the tail, shorter
    ]
    sliding = _push_all(LineSessionizer(4, step=2), table, 3)
    assert [(s.session_id, s.keys) for s in sliding] == [
        ("#0", [0, 1, 2, 3]),
        ("#1", [2, 3, 4, 5]),
        ("#2", [4, 5, 6]),  # the tail; #3 ([6]) lies inside it
    ]
    assert all(s.start is None for s in sliding)
    stream = LineSessionizer(2)
    assert [s.keys for s in stream.push(table.slice(0, 5))] == [[0, 1], [2, 3]]  # as they fill


def test_lines_by_field_count_per_value():
    table = pa.table(
        {"Node": ["a", "b", "a", "a", None, "b", "a"], "template_id": [1, 2, 3, 4, 5, 6, 7]}
    )
    stream = LineSessionizer(2, field="Node")
    sessions = _push_all(stream, table, 1)
    assert [(s.session_id, s.keys) for s in sessions] == [
        ("a#0", [1, 3]),
        ("b#0", [2, 6]),
        ("a#1", [4, 7]),
    ]
    assert stream.stats.n_unmatched == 1
    assert "1 events had no Node value" in stream.stats.summary(by_window=False)


@pytest.mark.parametrize("size", [1, 7, 1000])
@pytest.mark.parametrize(
    "settings",
    [
        SessionizerSettings(by_field="Node"),
        SessionizerSettings(by_field="Node", idle_timeout="2m"),
        SessionizerSettings(by_field="Node", window="2m"),
        SessionizerSettings(by_field="Node", window="2m", step="1m"),
        SessionizerSettings(lines=5),
        SessionizerSettings(lines=5, step="2"),
        SessionizerSettings(by_field="Node", lines=4, step="3"),
    ],
)
def test_push_flush_matches_the_file_and_every_line_lands(tmp_path, size, settings):
    table = _bgl_like()
    path = tmp_path / "events.parquet"
    pq.write_table(table, path, row_group_size=10)
    file_stats = SessionizeStats()
    from_file = list(sessionize_file(path, settings.build(stats=file_stats), batch_size=5))
    stats = SessionizeStats()
    streamed = _push_all(settings.build(stats=stats, track_lines=True), table, size)
    assert [(s.session_id, s.keys, s.label) for s in streamed] == [
        (s.session_id, s.keys, s.label) for s in from_file
    ]
    assert stats == file_stats and len(streamed) > 1
    ids = [s.session_id for s in streamed]
    if settings.idle_timeout is None:
        assert len(set(ids)) == len(ids)  # stable, distinct ids
    covered = {line for s in streamed for line in s.lines}
    stamps = table["timestamp"].to_pylist()
    expected = {  # a window takes an undated line where a dated one came before it
        ("bgl.log", n)
        for i, (n, node, ts) in enumerate(
            zip(table["line_no"].to_pylist(), table["Node"].to_pylist(), stamps, strict=True)
        )
        if (node or settings.by_field is None)
        and (ts is not None or settings.window is None or any(stamps[:i]))
    }
    assert covered == expected  # nothing dropped silently (all but counted events)


def test_by_field_missing_lists_the_fields_the_events_have(tmp_path):
    path = tmp_path / "events.parquet"
    pq.write_table(_bgl_like(), path)
    for settings in [
        SessionizerSettings(by_field="Host"),
        SessionizerSettings(by_field="Host", window="5m"),
        SessionizerSettings(by_field="Host", lines=10),
    ]:
        with pytest.raises(LogbertError) as err:
            list(sessionize_file(path, settings.build()))
        text = str(err.value)
        assert "--by-field 'Host': the events have no such field" in text
        assert "their header fields: Node" in text
    # QA Prometheus: a field named as the log writes it, the format's header field capitalised
    with pytest.raises(LogbertError, match=r"did you mean 'Node' for 'node'\?"):
        list(sessionize_file(path, SessionizerSettings(by_field="node").build()))
    # QA CloudTrail: a nested JSON field is a word of the message, read from there by name
    with pytest.raises(LogbertError) as err:
        list(sessionize_file(path, SessionizerSettings(by_field="userIdentity.arn").build()))
    assert str(err.value).endswith(
        "nor does any of the first events' messages hold `userIdentity.arn=...` (a JSON or "
        "logfmt line's fields are read from there by name: check its spelling)"
    )
    with pytest.raises(LogbertError, match="'Host'.*header fields: none"):
        LineSessionizer(3, field="Host").push(pa.table({"template_id": [1]}), where="live")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"window": "5m", "lines": 10}, "give exactly one of"),
        ({"by_id": "blk_[0-9]+", "lines": 10}, "--by-id takes no --lines"),
        ({"by_field": "Node", "step": "1m"}, "--step slides time windows (--window) or count"),
        ({"by_field": "Node", "window": "5m", "idle_timeout": "1h"}, "--by-field alone"),
        ({"lines": 10, "idle_timeout": "1h"}, "use it with --by-id"),
        ({"lines": 0}, "--lines 0: give a number of lines"),
        ({"lines": 10, "step": "1m"}, "--step '1m': give a number of lines"),
        ({"lines": 10, "step": "20"}, "--step 20 is longer than --lines 10"),
        ({"by_field": " "}, "--by-field needs a header field name"),
    ],
)
def test_settings_validate_new_modes(settings, message):
    with pytest.raises(LogbertError, match=re.escape(message)):
        SessionizerSettings(**settings).validate()


def test_settings_round_trip_describe_and_build_new_modes():
    import json

    cases = [
        (SessionizerSettings(by_field="Node"), "by field Node", FieldSessionizer),
        (
            SessionizerSettings(by_field="Node", idle_timeout="1h"),
            "by field Node, idle timeout 1h",
            FieldSessionizer,
        ),
        (
            SessionizerSettings(by_field="Node", window="5m"),
            "by field Node, windows of 5m",
            WindowSessionizer,
        ),
        (
            SessionizerSettings(lines=100, step="50"),
            "windows of 100 lines every 50",
            LineSessionizer,
        ),
        (
            SessionizerSettings(by_field="Node", lines=20),
            "by field Node, windows of 20 lines",
            LineSessionizer,
        ),
    ]
    for settings, text, kind in cases:
        data = json.loads(json.dumps(settings.to_dict()))
        assert SessionizerSettings.from_dict(data) == settings
        assert settings.describe() == text
        assert isinstance(settings.build(), kind)
    assert SessionizerSettings.from_dict({"window": "5m"}).by_field is None  # older files
    with pytest.raises(LogbertError, match="lines must be an integer"):
        SessionizerSettings.from_dict({"lines": "100"})
    assert SessionizerSettings(lines=5).build(labels={"#0": "normal"}).labels == {"#0": "normal"}
    built = SessionizerSettings(by_field="Node").build(labels={"a": "normal"})
    assert built.labels == {"a": "normal"}


def test_order_time_over_undated_events_is_a_warning():
    """QA (Airflow, `--format raw --order time`): nothing said the order could not apply."""
    table = pa.table({"Node": ["a", "b", "a"], "template_id": [1, 2, 3],
                      "timestamp": pa.nulls(3, pa.timestamp("us"))})  # fmt: skip
    stream = SessionizerSettings(by_field="Node", order="time").build()
    sessions = list(sessionize_events(stream, [table]))
    assert [s.keys for s in sessions] == [[1, 3], [2]]  # line order kept
    assert stream.stats.warnings(None) == [
        "warning: --order time: 3 of 3 events have no timestamp, so they keep their input "
        "line order (behind the line before them) and files read one after another are not "
        "merged by time; use a log format that dates the lines"
    ]
    dated = SessionizerSettings(by_field="Node").build()
    list(sessionize_events(dated, [table]))
    assert dated.stats.warnings(None) == []


def test_a_field_of_the_message_keys_sessions_and_windows(tmp_path):
    """QA Kubernetes audit, Winlogbeat: a JSON line's fields are `name=value` words of the
    message, not header fields, and `--by-id` takes no `--window`: per-user windows needed the
    log rewritten. A field that is no column is read from the message."""
    content = ["user.username=alice verb=get", "user.username=bob verb=list",
               "user.username=alice verb=delete", "verb=watch"]  # fmt: skip
    table = pa.table({
        "template_id": [1, 2, 3, 4], "timestamp": [at(10), at(20), at(30), at(40)],
        "content": content, "line_no": [1, 2, 3, 4],
    })  # fmt: skip
    path = tmp_path / "events.parquet"
    pq.write_table(table, path)
    stream = SessionizerSettings(by_field="user.username", window="5m").build()
    sessions = list(sessionize_file(path, stream))
    assert [(s.session_id, s.keys) for s in sessions] == [
        ("alice@2005-06-03T15:40:00", [1, 3]), ("bob@2005-06-03T15:40:00", [2])
    ]  # fmt: skip
    assert stream.stats.n_unmatched == 1


def test_a_quoted_message_field_and_a_padded_header_value_are_the_value(tmp_path):
    """QA Keycloak: `ipAddress="203.0.113.28",` kept its quotes and comma in the session id (and
    the unquoted form of older versions its comma); QA JVM: a tag padded wider once a longer
    one was seen (`gc,start    `, `gc,start       `) made two sessions of one field value."""
    content = ['type="LOGIN", ipAddress="203.0.113.28", username="alice"',
               "type=LOGIN_ERROR, ipAddress=203.0.113.28, error=user_not_found",
               "type=LOGOUT, ipAddress='203.0.113.29'"]  # fmt: skip
    table = pa.table({
        "template_id": [1, 2, 3], "timestamp": [at(10), at(20), at(30)], "content": content,
        "line_no": [1, 2, 3], "Tags": ["gc,start    ", "gc,start       ", " gc "],
    })  # fmt: skip
    path = tmp_path / "events.parquet"
    pq.write_table(table, path)
    by_address = SessionizerSettings(by_field="ipAddress").build()
    assert [s.session_id for s in sessionize_file(path, by_address)] == [
        "203.0.113.28", "203.0.113.29"
    ]  # fmt: skip
    by_tag = SessionizerSettings(by_field="Tags").build()
    assert [s.session_id for s in sessionize_file(path, by_tag)] == ["gc,start", "gc"]


def test_sessions_by_input_file_take_windows_and_an_idle_timeout_per_file():
    """QA Veeam (one log per backup job, each night's run appended): `--by-field source
    --window 24h` was "the field is empty in all events", and `--idle-timeout 6h` kept every
    file after the first one session of 35 nights (the idle clock, the newest time read,
    never passed them: each file goes back in time)."""
    day = timedelta(days=1)
    times = [T0, T0 + timedelta(minutes=5), T0 + day, T0 + day + timedelta(minutes=5)]
    table = pa.table({
        "source": ["Job.A.log"] * 4 + ["Job.B.log"] * 4,
        "timestamp": pa.array(times * 2, pa.timestamp("us")),
        "template_id": [1, 2, 1, 2, 3, 4, 3, 4],
        "content": ["x"] * 8,
    })  # fmt: skip
    by_day = SessionizerSettings(by_field="source", window="24h").build()
    windows = list(sessionize_events(by_day, [table]))
    assert (
        sorted(s.session_id.split("@")[0] for s in windows) == ["Job.A.log"] * 2 + ["Job.B.log"] * 2
    )
    by_run = SessionizerSettings(by_field="source", idle_timeout="6h").build()
    idle = list(sessionize_events(by_run, [table]))
    night = (T0 + day).isoformat()
    assert sorted((s.session_id, list(s.keys)) for s in idle) == [
        (f"Job.A.log@{T0.isoformat()}", [1, 2]), (f"Job.A.log@{night}", [1, 2]),
        (f"Job.B.log@{T0.isoformat()}", [3, 4]), (f"Job.B.log@{night}", [3, 4]),
    ]  # fmt: skip


def test_windows_per_input_take_a_rotated_file_as_a_part_of_its_log():
    """QA supervisord: `app01/supervisord.log.1` and `app01/supervisord.log` were two sources,
    so each host was two streams of windows and the window at the rotation cut in two; one
    session per file still keeps each file apart."""
    times = [T0, T0 + timedelta(minutes=3), T0 + timedelta(minutes=6), T0 + timedelta(hours=1)]
    table = pa.table({
        "source": ["app01/supervisord.log.1"] * 2 + ["app01/supervisord.log"] * 2,
        "timestamp": pa.array(times, pa.timestamp("us")),
        "template_id": [1, 2, 3, 4],
        "content": ["x"] * 4,
    })  # fmt: skip
    windows = SessionizerSettings(by_field="source", window="10m").build()
    assert [(s.session_id, list(s.keys)) for s in sessionize_events(windows, [table])] == [
        (f"app01/supervisord.log@{T0.isoformat()}", [1, 2, 3]),
        (f"app01/supervisord.log@{(T0 + timedelta(hours=1)).isoformat()}", [4]),
    ]
    lines = SessionizerSettings(by_field="source", lines=4).build()
    assert [s.session_id for s in sessionize_events(lines, [table])] == ["app01/supervisord.log#0"]
    files = SessionizerSettings(by_field="source").build()
    assert sorted(s.session_id for s in sessionize_events(files, [table])) == [
        "app01/supervisord.log", "app01/supervisord.log.1"
    ]  # fmt: skip


def test_window_labels_written_in_local_time_are_a_warning():
    """QA FortiGate (`tz="+0100"`): labels of 5-minute windows written an hour ahead landed on
    real windows, the wrong ones; the file's last hour named no session, the log's first hour
    was unlabelled, and `evaluate` reported F1 0.14 for a detector at 0.97, with no word."""
    minutes = range(0, 120, 5)
    table = pa.table({
        "template_id": list(range(len(minutes))),
        "timestamp": pa.array([at(60 * m) for m in minutes], pa.timestamp("us")),
    })  # fmt: skip
    local = {(at(60 * m) + timedelta(hours=1)).isoformat(): "normal" for m in minutes}
    stream = WindowSessionizer("5m", labels=local)
    sessions = _push_all(stream, table, 24)
    assert sum(s.label is None for s in sessions) == 12
    warning = stream.stats.labels_warning
    assert warning.startswith("warning: 12 ids of the labels name no session and 12 sessions")
    assert "moved by -1 h names a session" in warning and "local time (UTC+01:00" in warning
    assert "--timezone -01:00" in warning  # ... or the log's times are UTC-1 (QA Kong)
    assert stream.stats.labels_shift.shift == timedelta(hours=-1)
    zoned = stream.stats.labels_shift.warning(log_has_offsets=True)  # (QA RabbitMQ)
    assert "--timezone" not in zoned and "The labels are written in local time" in zoned
    # ... and where --timezone read the log in its zone (QA systemd-networkd: `--timezone
    # -01:00` advised beside the `--timezone Europe/Berlin` given)
    named = stream.stats.labels_shift.warning(log_timezone="Europe/Berlin")
    assert "--timezone -01:00" not in named and "read in Europe/Berlin (--timezone)" in named
    in_utc = {at(60 * m).isoformat(): "normal" for m in minutes[:12]}  # a part, in UTC
    stream = WindowSessionizer("5m", labels=in_utc)
    _push_all(stream, table, 24)
    assert stream.stats.labels_warning is None or "local time" not in stream.stats.labels_warning


def test_labels_of_a_later_period_with_silent_windows_are_no_clock_offset():
    """QA CFEngine: labels of the test day (a host's silent windows among them) for a log of
    training and test days: the silent windows' ids named no session, the training windows
    had no label, and every id moved by -7 h landed on a training window, so "each label sits
    on the wrong window" was said and `--timezone -07:00` advised for labels that were right."""
    minutes = [m for m in range(0, 240, 5) if not 180 <= m < 200]  # silent 3:00-3:20
    table = pa.table({
        "template_id": [m % 7 for m in minutes],
        "timestamp": pa.array([at(60 * m) for m in minutes], pa.timestamp("us")),
    })  # fmt: skip
    test_day = {at(60 * m).isoformat(): "normal" for m in range(120, 240, 5)}
    stream = WindowSessionizer("5m", labels=test_day)
    sessions = _push_all(stream, table, 10)
    assert sum(s.label is None for s in sessions) == 24  # the first two hours': unlabelled
    warning = stream.stats.labels_warning or ""
    assert "wrong window" not in warning and "--timezone" not in warning, warning
    # ... while labels an hour ahead that run past the end of a log with no silence are still
    # an offset, with no claim that every session is labelled (the first hours have none)
    whole = pa.table({
        "template_id": [m % 7 for m in range(0, 240, 5)],
        "timestamp": pa.array([at(60 * m) for m in range(0, 240, 5)], pa.timestamp("us")),
    })  # fmt: skip
    ahead = {(at(60 * m) + timedelta(hours=1)).isoformat(): "normal" for m in range(120, 240, 5)}
    stream = WindowSessionizer("5m", labels=ahead)
    _push_all(stream, whole, 10)
    warning = stream.stats.labels_warning or ""
    assert "moved by -1 h names a session, the log's windows past the labels' ends" in warning


def test_labels_written_with_their_offset_blame_the_logs_clock_alone(tmp_path):
    """QA TrueNAS: window ids written `2026-12-03T00:00:00+01:00` (right) beside a log in local
    time read as UTC were said to be "written in local time (UTC-01:00)"; with its offset on
    every id, the log's clock is the one to name."""
    from logbert.sessions.labels import read_labels_with_columns

    minutes = range(0, 120, 5)
    table = pa.table({
        "template_id": list(range(len(minutes))),
        "timestamp": pa.array([at(60 * m) for m in minutes], pa.timestamp("us")),
    })  # fmt: skip
    path = tmp_path / "labels.csv"
    path.write_text("window,label\n" + "".join(
        f"{at(60 * m).isoformat()}+01:00,normal\n" for m in minutes
    ))  # fmt: skip
    labels, _, _ = read_labels_with_columns(path)
    assert labels.zoned
    stream = WindowSessionizer("5m", labels=labels)
    _push_all(stream, table, 24)
    warning = stream.stats.labels_warning
    assert "Every label id carries its UTC offset, so the log writes local time" in warning
    assert "--timezone +01:00" in warning and "labels are written in local time" not in warning


def test_local_time_labels_of_a_longer_period_than_the_log_are_a_warning_too():
    """QA lighttpd: the labels covered more windows than the log held (12 ids named no window,
    11 windows none), so no shift made both sides whole, and the labels sat an hour off on
    the windows of `train` and `sessionize`, unsaid."""
    minutes = range(0, 120, 5)
    table = pa.table({
        "template_id": list(range(len(minutes))),
        "timestamp": pa.array([at(60 * m) for m in minutes], pa.timestamp("us")),
    })  # fmt: skip
    longer = range(0, 150, 5)  # the log's two hours and half an hour more, an hour ahead
    local = {(at(60 * m) + timedelta(hours=1)).isoformat(): "normal" for m in longer}
    stream = WindowSessionizer("5m", labels=local)
    _push_all(stream, table, 24)
    assert "moved by -1 h names a session" in stream.stats.labels_warning


def test_labels_of_a_longer_period_with_the_log_one_window_past_them_are_no_shift():
    """QA OpenTelemetry: labels of the whole day in UTC, the log a few seconds past the last
    labelled window; moved by 15 min they labelled every window, and the warning advised
    `--timezone +00:15` for labels that were right."""
    minutes = list(range(60, 120, 5)) + [120]  # the last window: a line past the labels' end
    table = pa.table({
        "template_id": list(range(len(minutes))),
        "timestamp": pa.array([at(60 * m) for m in minutes], pa.timestamp("us")),
    })  # fmt: skip
    day = {at(60 * m).isoformat(): "normal" for m in range(0, 120, 5)}
    stream = WindowSessionizer("5m", labels=day)
    sessions = _push_all(stream, table, 24)
    assert sum(s.label is None for s in sessions) == 1
    assert stream.stats.labels_warning is None or "local time" not in stream.stats.labels_warning


def test_a_silence_inside_the_log_is_said_and_its_anomalous_labels_counted():
    """QA BIND: a hung named wrote nothing for 4 min; its two windows, labelled anomalous,
    were no session, and `evaluate` reported recall 1.00 without a word of them."""
    minutes = [m for m in range(60) if m not in (32, 33, 34, 35)]  # 2-min windows 32, 34 empty
    table = pa.table({
        "template_id": [1] * len(minutes), "timestamp": [at(60 * m + 1) for m in minutes],
        "label": ["-"] * len(minutes),
    })  # fmt: skip
    labels = {at(120 * w).isoformat(): "anomaly" if w in (16, 17) else "normal" for w in range(30)}
    stream = WindowSessionizer("2m", labels=labels)
    assert len(_push_all(stream, table, 7)) == 28
    (warning,) = [w for w in stream.stats.warnings(None) if "hold no event" in w]
    assert warning.startswith("warning: 2 time windows inside the log hold no event (e.g. ")
    assert "2005-06-03T16:12:00" in warning
    assert warning.endswith("2 of them the labels call anomalous: anomalies no detector can "
                            "see, left out of every figure (count them as missed)")  # fmt: skip
    sparse = pa.table({"template_id": [1, 2], "timestamp": [at(0), at(3600)], "label": ["-"] * 2})
    stream = WindowSessionizer("2m")  # a sparse log: its empty windows are its way
    _push_all(stream, sparse, 1)
    assert stream.stats.n_empty_windows == 29 and stream.stats.silence_warning() is None


def test_a_process_id_alone_over_several_input_files_is_a_warning():
    """QA Android: two phones' captures, one file each, and `--by-field Pid` joined their
    processes of one pid into one interleaved session, in silence."""
    table = pa.table({"Pid": ["2000", "2000", "2000"], "source": ["a.log", "b.log", "a.log"],
                      "template_id": [1, 2, 3]})  # fmt: skip
    stream = FieldSessionizer("Pid")
    _push_all(stream, table, 3)
    warning = stream.stats.multi_host_warning()
    assert warning is not None and "2000 on a.log and b.log" in warning
    assert "--by-field source,Pid" in warning


def test_kinds_of_event_only_in_events_without_a_value_are_a_warning():
    """QA OSSEC: `--by-field Agent` left the manager's own alerts (no agent), each agent's
    disconnection among them, in no session: "23 events had no Agent value" on standard
    output, exit 0, and no detector could see an agent go away."""
    n = 60
    agents = [None if i % 20 == 7 else ("web01", "db01")[i % 2] for i in range(n)]
    keys = [3 if agent is None else 1 + i % 2 for i, agent in enumerate(agents)]
    table = pa.table(
        {
            "Agent": agents,
            "template_id": keys,
            "timestamp": pa.array([at(30 * i) for i in range(n)], pa.timestamp("us")),
            "line_no": list(range(1, n + 1)),
        }
    )
    for stream in (
        FieldSessionizer("Agent"),
        WindowSessionizer("10m", field="Agent"),
        LineSessionizer(5, field="Agent"),
    ):
        _push_all(stream, table, 16)
        warning = stream.stats.unjudged_kinds_warning()
        assert warning is not None and warning in stream.stats.warnings(None)
        assert "3 events had no Agent value" in warning
        assert "1 kind of event occurs only among them (template id 3" in warning
    # ... and so do windows per id of a --by-id regex (QA Zabbix: every housekeeper run in no
    # host's window, "2,634 events matched no id" alone)
    pattern = r'host "([\w.-]+)"'
    hosts = [None if i % 5 == 2 else ("web01", "db01")[i % 2] for i in range(n)]
    by_host = pa.table(
        {
            "template_id": [3 if host is None else 1 + i % 2 for i, host in enumerate(hosts)],
            "timestamp": table["timestamp"],
            "content": [
                "executing housekeeper" if host is None else f'check on host "{host}" failed'
                for host in hosts
            ],
        }
    )
    stream = WindowSessionizer("10m", id_pattern=pattern)
    _push_all(stream, by_host, 16)
    warning = stream.stats.unjudged_kinds_warning(pattern)
    assert warning is not None and warning in stream.stats.warnings(pattern)
    assert warning.startswith(f"warning: 12 events matched no id of --by-id '{pattern}'")
    assert "a second model by time windows without --by-id (--window)" in warning
    # a kind the sessions hold too is judged there: no warning
    seen = table.set_column(1, "template_id", pa.array([1 + i % 2 for i in range(n)]))
    stream = FieldSessionizer("Agent")
    _push_all(stream, seen, 16)
    assert stream.stats.n_unmatched == 3 and stream.stats.unjudged_kinds_warning() is None


def test_a_value_that_fell_silent_inside_the_log_is_a_warning():
    """QA Consul: a client crashed and wrote nothing for 40 minutes; its 8 windows were missing
    from the scores while seven other hosts wrote theirs, and nothing said so. A value that
    writes now and then (sparse) is not silent."""
    rows = []
    for i in range(1080):  # three hours, a line every 10 s per host
        rows.append(("a.log", i * 10))
        if not 60 <= i < 300:  # b.log silent from 00:10 to 00:50
            rows.append(("b.log", i * 10))
        if i % 90 == 0:  # c.log writes every 15 minutes: sparse, not silent
            rows.append(("c.log", i * 10))
    table = pa.table(
        {
            "source": [r[0] for r in rows],
            "template_id": [1] * len(rows),
            "timestamp": pa.array([at(r[1]) for r in rows], pa.timestamp("us")),
        }
    )
    stream = WindowSessionizer("5m", field="source")
    sessions = _push_all(stream, table, 64)
    assert {s.session_id.partition("@")[0] for s in sessions} == {"a.log", "b.log", "c.log"}
    warning = stream.stats.value_silence_warning()
    assert warning is not None and warning in stream.stats.warnings(None)
    assert warning.startswith(
        "warning: 'b.log' fell silent inside the log: 8 of its time windows hold no event "
        f"(e.g. b.log@{(T0 + timedelta(minutes=10)).isoformat()})"
    )
    steady = table.filter(pa.compute.not_equal(table["source"], "b.log"))
    stream = WindowSessionizer("5m", field="source")
    _push_all(stream, steady, 64)
    assert stream.stats.value_silence_warning() is None


def test_a_value_silent_from_some_time_to_the_log_s_end_is_a_warning_too():
    """QA Telegraf: a host's agent died and never wrote again while nine others went on to the
    log's end; only a host that came back was warned of."""
    rows = sorted([("a.log", i * 10) for i in range(1080)]
                  + [("b.log", i * 10) for i in range(300)],  # b.log: to 00:50, then nothing
                  key=lambda r: r[1])  # fmt: skip
    table = pa.table(
        {
            "source": [r[0] for r in rows],
            "template_id": [1] * len(rows),
            "timestamp": pa.array([at(r[1]) for r in rows], pa.timestamp("us")),
        }
    )
    stream = WindowSessionizer("5m", field="source")
    _push_all(stream, table, 64)
    warning = stream.stats.value_silence_warning()
    assert warning is not None and warning.startswith(
        "warning: 'b.log' fell silent inside the log: 26 of its time windows hold no event "
        f"(e.g. b.log@{(T0 + timedelta(minutes=50)).isoformat()})"
    )


def test_a_field_name_that_means_another_thing_than_a_field_so_named_is_a_warning():
    """QA Boundary: CloudEvents' own `source=` (the emitter) beside `--by-field source` (the
    input file): five hosts one stream of windows, said by nothing, and no way to key by the
    event's field. QA BuildKit: `--by-field host` read the messages' `host=` (a registry's
    address) where the header's field is `Host`: a made-up fourth host."""
    from datetime import datetime

    import pyarrow as pa

    from logbert.sessions.window_sessions import WindowSessionizer

    hosts = ["wkr-1", "wkr-2", "wkr-1", "ctl-1"]
    events = pa.table({
        "template_id": [1, 2, 1, 3],
        "timestamp": [datetime(2026, 12, 3, 6, m) for m in range(4)],
        "Host": hosts,
        "content": [f"level=info source=https://b.example/{h} msg=x host=reg:5000" for h in hosts],
        "source": ["raw.json"] * 4,
        "line_no": [1, 2, 3, 4],
    })  # fmt: skip
    by_file = WindowSessionizer("10m", field="source")
    ids = {s.session_id for s in by_file.push(events) + by_file.flush()}
    assert ids == {"raw.json@2026-12-03T06:00:00"}
    warning = by_file.stats.shadowed_fields_warning()
    assert warning.startswith("warning: --by-field source keys sessions by the input file, ")
    assert "(e.g. 'https://b.example/wkr-1'): to key them by that, pass --by-field 'source='" in (
        warning
    )
    assert warning in by_file.stats.warnings(None)
    by_emitter = WindowSessionizer("10m", field="source=")
    ids = {s.session_id.partition("@")[0] for s in by_emitter.push(events) + by_emitter.flush()}
    assert ids == {f"https://b.example/{h}" for h in ("wkr-1", "wkr-2", "ctl-1")}
    assert by_emitter.stats.shadowed_fields_warning() is None
    by_word = WindowSessionizer("10m", field="host")
    by_word.push(events)
    by_word.flush()
    assert by_word.stats.shadowed_fields_warning() == (
        "warning: --by-field host reads the messages' `host=` words, not the header field "
        "'Host': pass --by-field Host for the header's value (events whose messages hold no "
        "`host=` are in no session)"
    )
    by_header = WindowSessionizer("10m", field="Host")
    by_header.push(events)
    assert by_header.stats.shadowed_fields_warning() is None


def test_a_source_field_of_the_messages_is_warned_of_on_the_batch_paths(tmp_path):
    """QA Concourse: `train --logs ... --by-field source --window 5m` on lager JSON holding
    `source=atc` said nothing: time windows hold only the columns they read, the messages
    not among them."""
    from datetime import datetime

    import pyarrow as pa
    import pyarrow.parquet as pq

    from logbert.sessions.sessionize import sessionize_events, sessionize_file
    from logbert.sessions.window_sessions import WindowSessionizer

    events = pa.table({
        "template_id": [1, 2],
        "timestamp": [datetime(2026, 3, 2, 12, m) for m in range(2)],
        "content": ["info atc.build.run source=atc", "info guardian.run source=guardian"],
        "source": ["web-1.log"] * 2,
        "line_no": [1, 2],
    })  # fmt: skip
    for read in (
        lambda s: list(sessionize_events(s, [events])),
        lambda s: list(sessionize_file(tmp_path / "e.parquet", s)),
    ):
        pq.write_table(events, tmp_path / "e.parquet")
        sessionizer = WindowSessionizer("5m", field="source")
        assert [x.session_id for x in read(sessionizer)] == ["web-1.log@2026-03-02T12:00:00"]
        assert "pass --by-field 'source='" in sessionizer.stats.shadowed_fields_warning()


def test_a_host_none_of_whose_events_has_the_other_fields_value_is_a_warning(make_events):
    """QA Pure-FTPd: `--by-field Host,PID` where one server wrote no pid (`--logpid` off): a
    third of the log in no session, its 12 anomalies unseen, said as a count alone."""
    hosts = ["ftp1", "ftp2", "ftp3"] * 30
    pids = [None if host == "ftp3" else str(100 + i % 5) for i, host in enumerate(hosts)]
    path = make_events(template_id=[1] * 90, Host=hosts, PID=pids)
    stats = SessionizeStats()
    settings = SessionizerSettings(by_field="Host,PID")
    assert len(list(sessionize_file(path, settings.build(stats=stats)))) == 10
    warning = stats.partless_warning()
    assert warning is not None and warning in stats.warnings(None)
    assert warning.startswith("warning: every event of Host 'ftp3' (30) had no PID value")
    # a host with some events that have one is judged by those
    pids[2] = "7"
    path = make_events("some.parquet", template_id=[1] * 90, Host=hosts, PID=pids)
    stats = SessionizeStats()
    list(sessionize_file(path, settings.build(stats=stats)))
    assert stats.partless_warning() is None
