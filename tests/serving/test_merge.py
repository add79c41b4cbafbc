"""`TimeMerge`: inputs' events released in time order once every input still read reached
their time; undated events keep to their record."""

from __future__ import annotations

from datetime import datetime, timedelta

import pyarrow as pa

from logbert.serving.merge import TimeMerge

T0 = datetime(2026, 12, 6, 1, 0)


def events(name: str, minutes: list[int | None]) -> pa.Table:
    times = [None if m is None else T0 + timedelta(minutes=m) for m in minutes]
    return pa.table({
        "timestamp": pa.array(times, pa.timestamp("us")),
        "content": [f"{name}{i}" for i in range(len(minutes))],
    })  # fmt: skip


def contents(table: pa.Table | None) -> list[str]:
    return [] if table is None else table.column("content").to_pylist()


def test_events_wait_for_every_input_still_read_then_come_in_time_order():
    merge = TimeMerge()
    merge.add("master", events("m", [0, 2, 4]))
    assert merge.release({"master", "agent"}) is None  # (the agent has shown no time yet)
    merge.add("agent", events("a", [1, 2, 3, 5]))
    # due: up to the master's newest (4); ties in input order (the master's first)
    assert contents(merge.release({"master", "agent"})) == ["m0", "a0", "m1", "a1", "a2", "m2"]
    assert not merge.empty
    merge.add("master", events("m", [6]))
    # the master has no more to read now: the agent's 5 is due, then, read out, all
    assert contents(merge.release({"agent"})) == ["a3"]
    assert contents(merge.release(set())) == ["m0"] and merge.empty


def test_an_undated_line_keeps_to_the_dated_line_before_it_even_across_batches():
    merge = TimeMerge()
    merge.add("app", events("x", [None, 3, None]))  # a header line, a record and its traceback
    merge.add("app", events("y", [None, 9]))  # the traceback's next line, the next batch
    merge.add("db", events("d", [4, 5]))
    assert contents(merge.release(set())) == ["x0", "x1", "x2", "y0", "d0", "d1", "y1"]
    merge.add("undated", events("u", [None]))  # an input with no time yet holds the others
    merge.add("db", events("d", [7]))
    assert merge.release({"undated", "db"}) is None
    assert contents(merge.release(set())) == ["u0", "d0"] and merge.empty  # (read out: all)
