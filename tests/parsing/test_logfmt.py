"""logfmt lines (`--format logfmt`, logrus text: Docker, containerd; Go kit, Prometheus): any
key order, quoted values with escapes, read as JSON lines are."""

from __future__ import annotations

import pyarrow as pa

from logbert.parsing.auto import rank_formats
from logbert.parsing.logfmt import logfmt_record, split_logfmt_lines

DOCKERD = [
    'time="2026-11-20T10:15:02.123456789Z" level=info msg="Container 3f4e5d6c7b8a failed to '
    'exit within 10s of signal 15 - using the force" container=3f4e5d6c7b8a',
    'time="2026-11-20T10:15:03.5Z" level=warning msg="cleaning up after shim disconnected" '
    "id=3f4e5d6c7b8a namespace=moby",
    'time="2026-11-20T10:15:04Z" level=info msg="loading plugin \\"io.containerd.v1\\"..." '
    "type=io.containerd.snapshotter.v1",
]


def test_logrus_text_lines_are_read_as_objects():
    ok, cols = split_logfmt_lines(pa.array([*DOCKERD, "goroutine 1 [running]:", ""]))
    assert ok.tolist() == [True, True, True, False, False]  # a panic's stack does not fit
    assert cols["Level"].to_pylist() == ["info", "warning", "info"]
    assert cols["Content"][1].as_py() == (
        "warning cleaning up after shim disconnected id=3f4e5d6c7b8a namespace=moby"
    )
    assert cols["Content"][2].as_py().startswith('info loading plugin "io.containerd.v1"...')
    assert cols["Timestamp"][0].as_py() == "2026-11-20T10:15:02.123456789Z"


def test_auto_picks_logfmt_and_prometheus_key_order_reads_alike():
    """QA Docker: `--format auto` refused dockerd's log (no built-in format read it)."""
    assert rank_formats(DOCKERD * 5)[0].name == "logfmt"
    line = ('ts=2026-11-20T10:15:02.123Z caller=dispatch.go:165 level=info '
            'component=dispatcher msg="Notify success" receiver=ops')  # fmt: skip
    assert logfmt_record(line)["component"] == "dispatcher"
    assert logfmt_record("GET /x 200 took=5ms") is None  # not pairs only
    assert logfmt_record("a=1 b=2") is None  # names neither a time nor a message


def test_a_firewalls_date_time_and_zone_make_one_time_after_its_priority():
    """QA FortiGate: `<189>date=... time=...` was refused by logfmt and `auto` (the priority),
    and without it `date` alone dated every line at midnight, the `tz` never applied."""
    line = ('<189>date=2026-11-29 time=19:00:03 devname="FGT60F" tz="-0500" type="traffic" '
            'action="deny" srcip=10.0.1.15')  # fmt: skip
    record = logfmt_record(line)
    assert record is not None and record["timestamp"] == "2026-11-29T19:00:03-0500"
    assert "date" not in record and "time" not in record and record["action"] == "deny"
    assert rank_formats([line, line.replace("19:00:03", "19:00:09")])[0].name == "logfmt"
    assert logfmt_record("date=2026-11-29 time=10:00:00 msg=x")["timestamp"] == (
        "2026-11-29T10:00:00"
    )  # no zone: as written
