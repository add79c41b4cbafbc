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
