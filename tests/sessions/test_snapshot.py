"""Sessionizers snapshot to plain JSON and resume: a sessionizer restored mid-stream gives the
same sessions as one that never stopped."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pyarrow as pa
import pytest

from logbert.errors import LogbertError
from logbert.sessions.sessionize import SessionizerSettings

T0 = datetime(2024, 1, 1, 0, 0, 0)


def events(n: int = 120) -> pa.Table:
    """Interleaved ids on three nodes, one event every 7 s, a label now and then."""
    return pa.table(
        {
            "line_no": list(range(1, n + 1)),
            "source": ["a.log"] * n,
            "timestamp": pa.array(
                [T0 + timedelta(seconds=7 * i) for i in range(n)], pa.timestamp("us")
            ),  # fmt: skip
            "Node": [f"n{i % 3}" if i % 11 else "" for i in range(n)],
            "content": [f"op {i % 5} on blk_{i % 9 if i < 60 else 100 + i % 4}" for i in range(n)],
            "template_id": [i % 6 for i in range(n)],
            "label": ["-" if i % 17 else "FAILURE" for i in range(n)],
        }
    )


SETTINGS = [
    SessionizerSettings(by_id=r"blk_\d+"),
    SessionizerSettings(by_id=r"blk_\d+", idle_timeout="30s"),
    SessionizerSettings(by_field="Node"),
    SessionizerSettings(by_field="Node", idle_timeout="20s"),
    SessionizerSettings(window="1m"),
    SessionizerSettings(window="1m", step="20s"),
    SessionizerSettings(by_field="Node", window="1m"),
    SessionizerSettings(lines=10),
    SessionizerSettings(lines=10, step=4, by_field="Node"),
]


def run(settings, table, stop_at=None, batch=13):
    sessionizer = settings.build(track_lines=True)
    out = []
    for start in range(0, table.num_rows, batch):
        if stop_at is not None and start == stop_at:
            state = json.loads(json.dumps(sessionizer.snapshot()))  # plain JSON
            sessionizer = settings.build(track_lines=True).restore(state)
        out += sessionizer.push(table.slice(start, batch))
    out += sessionizer.flush()
    return out, sessionizer.stats


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: s.describe())
@pytest.mark.parametrize("stop_at", [13, 52, 104])
def test_a_restored_sessionizer_gives_the_same_sessions(settings, stop_at):
    table = events()
    whole, whole_stats = run(settings, table)
    resumed, resumed_stats = run(settings, table, stop_at)
    assert whole and resumed == whole
    assert resumed_stats == whole_stats


def test_peek_and_n_open_show_running_sessions_without_closing_them():
    sessionizer = SessionizerSettings(by_id=r"blk_\d+").build(track_lines=True)
    sessionizer.push(events(20))
    assert sessionizer.n_open == 9
    held = sessionizer.peek({5})
    assert held and all(5 in s.keys for s in held) and sessionizer.stats.n_sessions == 0
    assert held[0].lines[0][0] == "a.log"


def test_a_snapshot_of_other_settings_is_refused():
    state = SessionizerSettings(by_id=r"blk_\d+").build().snapshot()
    with pytest.raises(LogbertError, match="other settings"):
        SessionizerSettings(by_id=r"blk_(\d+)").build().restore(state)
    with pytest.raises(LogbertError, match="other settings"):
        SessionizerSettings(window="1m").build().restore(state)
    with pytest.raises(LogbertError, match="snapshot"):
        SessionizerSettings(by_id=r"blk_\d+").build().restore({"version": 99})


@pytest.mark.parametrize("settings", SETTINGS[:4], ids=lambda s: s.describe())
def test_a_restored_sessionizer_counts_a_session_out_of_time_order_once(settings):
    table = events()
    backwards = table.take(list(range(table.num_rows - 1, -1, -1)))  # newest line first
    whole, whole_stats = run(settings, backwards)
    resumed, resumed_stats = run(settings, backwards, stop_at=52)
    assert resumed == whole and resumed_stats == whole_stats
    assert 0 < whole_stats.n_out_of_order <= whole_stats.n_sessions
