"""The engine of `logbert serve` in its own process: counters reach `/metrics` from there, a
dead engine is a 503, the engine never outlives its server (SIGTERM, SIGINT, kill -9), and
killing both server and engine mid-stream loses no line and repeats no alert."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from logbert.errors import LogbertError
from logbert.pipeline import Pipeline
from logbert.serving.http import ServeOptions, create_app
from logbert.serving.wal import DB_FILE, SNAPSHOT_FILE

from ..conftest import write_log
from .servers import TEXT, alerts_of, iqr_model, post, start_server

BATCH = 10


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    """An IQR bundle of 60 normal and 2 anomalous inline blocks (read only by the tests)."""
    base = tmp_path_factory.mktemp("model")
    write_log(base / "train.log", 60, anomalies=2)
    return iqr_model(base / "train.log", base / "model")


@pytest.fixture(scope="module")
def stream(tmp_path_factory) -> list[list[str]]:
    """A log of 48 blocks (8 anomalous, one holding an unseen template), 10 lines a batch."""
    log = tmp_path_factory.mktemp("stream") / "big.log"
    write_log(log, 40, anomalies=8, offset=500)
    lines = log.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if "Received block blk_1510 " in line)
    lines.insert(at, lines[at].replace("Received block", "Quarantined replica of block"))
    return [lines[i : i + BATCH] for i in range(0, len(lines), BATCH)]


def gone(pid: int, seconds: float = 20.0) -> bool:
    """True once no process `pid` exists (or only its zombie) within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def expected(model, stream, tmp_path_factory) -> list[dict]:
    """The alerts of the whole stream, posted to one server that is never killed."""
    with TestClient(create_app(model, tmp_path_factory.mktemp("reference"))) as c:
        for part in stream:
            assert c.post("/v1/logs", content="\n".join(part), headers=TEXT).status_code == 202
        assert c.post("/v1/flush").json()["processed"]
        return alerts_of(c.get)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


def test_the_engine_runs_in_another_process_and_its_counters_reach_metrics(model, stream,
                                                                           tmp_path):  # fmt: skip
    lines = [line for part in stream for line in part]
    state = tmp_path / "state"
    with TestClient(create_app(model, state)) as c:
        stats = c.get("/v1/stats").json()
        assert stats["processes"]["server_pid"] == os.getpid()
        assert stats["processes"]["engine_pid"] not in (None, os.getpid())
        for part in stream:
            assert c.post("/v1/logs", content="\n".join(part), headers=TEXT).status_code == 202
        assert c.post("/v1/flush").json()["processed"]
        before = c.get("/v1/stats").json()["engine"]
        text = c.get("/metrics").text
        service = c.app.state.service
        # POSTs never pay for a checkpoint: the engine's connection does them
        assert service.store._db().execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)
    assert before["lines_accepted"] == len(lines) and before["alerts"] >= 2
    for name, value in [("logbert_lines_parsed_total", len(lines)),
                        ("logbert_alerts_total", before["alerts"]),
                        ("logbert_alerts_early_total", 1),
                        ("logbert_sessions_closed_total", 48),
                        ("logbert_batch_processing_seconds_count", len(stream) + 1)]:  # fmt: skip
        assert f"\n{name} {float(value)}\n" in text, name
    assert (state / SNAPSHOT_FILE).is_file()
    with sqlite3.connect(state / DB_FILE) as db:
        assert db.execute("SELECT COUNT(*) FROM batches").fetchone() == (0,)  # all covered
        assert db.execute("SELECT value FROM meta WHERE key = 'snapshot'").fetchone() is None
    # a restarted server shows the stored counters before its engine has said anything
    app = create_app(model, state)
    assert app.state.service.worker.metrics == before
    app.state.service.close()


def test_a_dead_engine_is_a_503_and_its_accepted_lines_wait_in_the_log(model, stream, tmp_path):
    state = tmp_path / "state"
    with TestClient(create_app(model, state, options=ServeOptions(flush_timeout=5))) as c:
        pid = c.get("/v1/stats").json()["processes"]["engine_pid"]
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while (r := c.get("/healthz")).status_code == 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert r.status_code == 503
        assert r.json()["status"] == "engine stopped"
        assert f"pid {pid}" in r.json()["error"] and "exited" in r.json()["error"]
        assert c.post("/v1/logs", content="\n".join(stream[0]), headers=TEXT).status_code == 202
        r = c.post("/v1/flush")  # nobody processes it: not a hang, an honest "not yet"
        assert r.status_code == 202 and r.json()["processed"] is False
    with TestClient(create_app(model, state)) as c:  # a restart processes what waited
        assert c.post("/v1/flush").json()["processed"]
        assert c.get("/v1/stats").json()["engine"]["lines_accepted"] == len(stream[0])
        assert c.get("/healthz").json() == {"status": "ok", "ready": True, "error": None}


def test_a_corrupt_snapshot_stops_the_start_with_a_clear_error(model, tmp_path):
    state = tmp_path / "state"
    with TestClient(create_app(model, state)):
        pass
    (state / SNAPSHOT_FILE).write_text('{"batch": 1}\nnot json')
    app = create_app(model, state)
    with pytest.raises(LogbertError, match="could not start: .*is not an engine snapshot"):
        app.state.service.start()
    app.state.service.close()


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "SIGKILL"])
def test_the_engine_never_outlives_its_server(model, stream, tmp_path, how):
    state, err = tmp_path / "state", tmp_path / "serve.err"
    proc, url, engine = start_server(model, state, err)
    try:
        for part in stream[:6]:
            post(url, part)
        proc.send_signal(getattr(signal, how))
        proc.wait(timeout=60)
        assert gone(engine), f"the engine process {engine} outlived its server ({how})"
    finally:
        stop(proc)
    if how != "SIGKILL":  # a clean stop: everything processed and snapshotted
        assert proc.returncode in (0, -signal.SIGTERM, -signal.SIGINT), err.read_text()
        with sqlite3.connect(state / DB_FILE) as db:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        assert meta["processed"] == meta["snapshot_batch"] == "6"
        assert "Traceback" not in err.read_text()


def test_kill_9_of_server_and_engine_mid_stream_loses_no_line_and_repeats_no_alert(
    model, stream, expected, tmp_path
):
    """(The server alone killed: tests/cli/test_serve.py, against `score --logs` too.)"""
    assert any(a["early"] for a in expected) and len(expected) >= 2
    lines = sum(len(p) for p in stream)
    state, err = tmp_path / "state", tmp_path / "serve.err"
    proc, url, engine = start_server(model, state, err)
    try:
        for part in stream[:10]:
            post(url, part)  # 202: committed, processed or not
        os.kill(proc.pid, signal.SIGKILL)
        os.kill(engine, signal.SIGKILL)
        proc.wait(timeout=30)
        assert gone(engine)
        proc, url, engine = start_server(model, state, err)
        for part in stream[10:]:
            post(url, part)
        r = httpx.post(f"{url}/v1/flush", timeout=60)
        assert r.status_code == 200 and r.json()["processed"]
        got = alerts_of(lambda path, **kw: httpx.get(url + path, timeout=10, **kw))
        stats = httpx.get(f"{url}/v1/stats", timeout=10).json()
    finally:
        stop(proc)
    assert stats["engine"]["lines_accepted"] == lines  # no line lost, none counted twice
    assert stats["http"]["lines_received"] == lines
    assert got == expected  # no alert lost or repeated: the same ids and evidence
    assert gone(engine)


def test_an_engine_still_finishing_holds_the_next_one_back(model, tmp_path):
    """The engine lock: a second engine on the state dir waits for the first (never both)."""
    from logbert.serving.lock import EngineLock

    state = tmp_path / "state"
    state.mkdir()
    first = EngineLock(state)
    started = time.monotonic()
    with pytest.raises(LogbertError, match=rf"pid {os.getpid()}\b.*still holds"):
        EngineLock(state, wait=0.3)
    assert time.monotonic() - started >= 0.3
    first.release()
    EngineLock(state, wait=0).release()


def test_a_crash_between_the_snapshot_file_and_dropping_its_batches_resumes_exactly(
    model, stream, expected, tmp_path
):
    from logbert.serving.engine import DetectionEngine
    from logbert.serving.wal import ModelIdentity, StateStore
    from logbert.serving.worker import StreamWorker

    state = tmp_path / "state"
    store = StateStore(state, ModelIdentity.of(model))
    worker = StreamWorker(DetectionEngine(Pipeline.load(model)), store, snapshot_every=1000,
                          snapshot_seconds=1e9)  # fmt: skip
    for part in stream[:9]:
        store.append("lines", [("http", part)])
    for batch in store.batches_after(0, 7):
        worker._process(batch)
    store.write_snapshot_file(7, worker.engine.snapshot())  # then killed: nothing dropped
    store.close()
    del worker
    with sqlite3.connect(state / DB_FILE) as db:
        assert db.execute("SELECT COUNT(*) FROM batches").fetchone() == (9,)
    with TestClient(create_app(model, state)) as c:
        wal = c.get("/v1/stats").json()["wal"]
        # the snapshot at 7 restored, nothing before it replayed; 9 where the engine had
        # processed 8 and 9 and gone idle (`IDLE_WAIT`) before this request: a fresh clone's
        # CI met that race under load
        assert wal["snapshot_batch"] in (7, 9) and wal["replayed_at_start"] == 0
        for part in stream[9:]:
            assert c.post("/v1/logs", content="\n".join(part), headers=TEXT).status_code == 202
        assert c.post("/v1/flush").json()["processed"]
        assert alerts_of(c.get) == expected
        assert c.get("/v1/stats").json()["engine"]["lines_accepted"] == sum(map(len, stream))
    with sqlite3.connect(state / DB_FILE) as db:
        assert db.execute("SELECT COUNT(*) FROM batches").fetchone() == (0,)


def test_a_steady_stream_is_snapshotted_by_count_not_after_every_wake_up(model, stream,
                                                                        tmp_path):  # fmt: skip
    from logbert.serving.engine import DetectionEngine
    from logbert.serving.wal import ModelIdentity, StateStore
    from logbert.serving.worker import StreamWorker

    store = StateStore(tmp_path / "s", ModelIdentity.of(model))
    published = []
    worker = StreamWorker(DetectionEngine(Pipeline.load(model)), store, snapshot_every=5,
                          snapshot_seconds=1e9, publish=published.append)  # fmt: skip
    parts = iter(stream)

    def wait(_seconds: float) -> bool:  # a batch arrives during every wait: never idle
        part = next(parts, None)
        if part is not None:
            store.append("lines", [("http", part)])
        return part is not None

    n = len(stream)
    worker.run(wait, stopping=lambda: worker.processed >= n)
    assert worker.processed == n > 10
    # every 5th batch, plus one at the stop (if n is no multiple of 5); not one per batch
    assert worker.snapshots == n // 5 + (n % 5 > 0) and worker.snapshot_batch == n
    assert [p["processed"] for p in published if p["seconds"]] == list(range(1, n + 1))
    assert json.loads(store.get_meta("engine_metrics"))["lines_accepted"] == sum(map(len, stream))


def test_engine_log_lines_read_like_every_other_message():
    import logging

    from logbert.serving.process import _LowercaseLevel

    record = logging.LogRecord("logbert.serve", logging.WARNING, __file__, 1, "slow %d", (3,), None)
    assert _LowercaseLevel("%(levelname)s: %(message)s").format(record) == "warning: slow 3"
    assert record.levelname == "WARNING"  # the record itself is left as it was
