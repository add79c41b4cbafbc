"""`logbert serve`: start-up checks (a public address needs a token, a model needs parser
state), and the fault test: a real server killed with SIGKILL mid-stream and restarted on its
state directory loses no line and repeats no alert (compared with an uninterrupted run and
with `logbert score --logs`)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from logbert.cli.main import app
from logbert.errors import LogbertError
from logbert.serving.wal import DB_FILE

from ..conftest import write_log
from ..serving.servers import alerts_of, free_port, iqr_model, post, start_server

runner = CliRunner()
BATCH = 10


def invoke(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


@pytest.fixture
def model(raw_logs, tmp_path) -> Path:
    return iqr_model(raw_logs[0], tmp_path / "model")


@pytest.fixture
def fake_uvicorn(monkeypatch):
    """Serving replaced: records (app, host, port) of the bound socket instead of serving."""
    from logbert.cli import serve

    calls = []

    def record(app, sock, _log_level):
        host, port = sock.getsockname()[:2]
        sock.close()
        calls.append((app, host, port))

    monkeypatch.setattr(serve, "_serve", record)
    yield calls
    for served, _, _ in calls:  # `serve` started the engine process before uvicorn.run
        served.state.service.close()


def test_a_non_loopback_host_needs_a_token(model, fake_uvicorn, monkeypatch):
    monkeypatch.delenv("LOGBERT_TOKEN", raising=False)
    result = invoke("serve", model, "--host", "0.0.0.0")
    assert isinstance(result.exception, LogbertError)
    assert "--token" in str(result.exception) and not fake_uvicorn
    result = invoke("serve", model, "--token", " ")
    assert isinstance(result.exception, LogbertError) and "empty" in str(result.exception)
    port = free_port()
    assert invoke("serve", model, "--port", port).exit_code == 0  # loopback: no token needed
    assert fake_uvicorn[-1][1:] == ("127.0.0.1", port)
    monkeypatch.setenv("LOGBERT_TOKEN", "from-the-environment-0123")
    result = invoke("serve", model, "--host", "0.0.0.0", "--port", "0")
    assert result.exit_code == 0, result.output
    served, host, _ = fake_uvicorn[-1]
    assert host == "0.0.0.0" and served.state.service.token == "from-the-environment-0123"
    with TestClient(served) as c:
        assert c.get("/v1/stats").status_code == 401
        assert c.get("/v1/stats", headers={"Authorization": "Bearer from-the-environment-0123"}
                     ).status_code == 200  # fmt: skip


def test_a_model_without_parser_state_exits_2_with_a_clear_message(tmp_path, monkeypatch,
                                                                     capsys):  # fmt: skip
    from logbert.cli.main import main

    sessions = tmp_path / "s.txt"
    sessions.write_text("1 2 3\n" * 30)
    assert invoke("train", sessions, "--output", tmp_path / "m", "--model", "iqr").exit_code == 0
    monkeypatch.setattr(sys, "argv", ["logbert", "serve", str(tmp_path / "m"), "--port", "0"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "trained on sessions, not raw logs" in err and "Traceback" not in err


# --- the fault test ---------------------------------------------------------------------------


def test_kill_9_mid_stream_loses_no_line_and_repeats_no_alert(model, tmp_path):
    log = tmp_path / "big.log"
    write_log(log, 40, anomalies=8, offset=500)
    lines = log.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if "Received block blk_1510 " in line)
    lines.insert(at, lines[at].replace("Received block", "Quarantined replica of block"))
    log.write_text("\n".join(lines) + "\n")  # an unseen template: an early alert too
    parts = [lines[i : i + BATCH] for i in range(0, len(lines), BATCH)]
    assert len(parts) >= 15

    # the reference: `logbert score --logs`, and an uninterrupted server (in process)
    scores = tmp_path / "scores.jsonl"
    assert invoke("score", model, log, "--logs", "--output", scores).exit_code == 0
    rows = [json.loads(x) for x in scores.read_text().splitlines()]
    flagged = {r["session_id"] for r in rows if r["is_anomaly"]}
    from logbert.serving.http import create_app

    with TestClient(create_app(model, tmp_path / "ref")) as c:
        for part in parts:
            assert c.post("/v1/logs", content="\n".join(part) + "\n",
                          headers={"content-type": "text/plain"}).status_code == 202  # fmt: skip
        assert c.post("/v1/flush").json()["processed"]
        expected = alerts_of(c.get)

    state, err = tmp_path / "state", tmp_path / "serve.err"
    proc, url, _ = start_server(model, state, err)
    try:
        for part in parts[:9]:
            post(url, part)  # 202: committed, processed or not
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        proc, url, _ = start_server(model, state, err)
        stats = httpx.get(f"{url}/v1/stats", timeout=10).json()
        assert stats["http"]["lines_received"] == sum(len(p) for p in parts[:9])
        for part in parts[9:]:
            post(url, part)
        r = httpx.post(f"{url}/v1/flush", timeout=60)
        assert r.status_code == 200 and r.json()["processed"]
        got = alerts_of(lambda path, **kw: httpx.get(url + path, timeout=10, **kw))
        stats = httpx.get(f"{url}/v1/stats", timeout=10).json()
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    assert stats["engine"]["lines_accepted"] == len(lines)  # 0 lines lost (none counted twice)
    assert stats["http"]["lines_received"] == len(lines)
    sessions = [a["session_id"] for a in got]
    assert len(sessions) == len(set(sessions))  # 0 duplicate alerts
    assert got == expected  # the same alerts, ids and evidence as without the kill
    assert set(sessions) == flagged and any(a["early"] for a in got)
    # the second server stopped cleanly (uvicorn re-raises SIGTERM after its shutdown)
    assert proc.returncode in (0, -signal.SIGTERM), err.read_text()
    assert "Traceback" not in err.read_text()
    with sqlite3.connect(state / DB_FILE) as db:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        left = db.execute("SELECT COUNT(*) FROM batches").fetchone()[0]
    assert meta["processed"] == meta["snapshot_batch"] and left == 0  # nothing to replay


def test_a_second_serve_on_a_state_dir_exits_2_naming_the_holder_until_it_is_killed(
    model, tmp_path, fake_uvicorn, monkeypatch, capsys
):
    from logbert.cli.main import main

    state, err = tmp_path / "state", tmp_path / "serve.err"
    proc, url, _ = start_server(model, state, err)
    try:
        monkeypatch.setattr(sys, "argv", ["logbert", "serve", str(model), "--port", "0",
                                          "--state-dir", str(state)])  # fmt: skip
        with pytest.raises(SystemExit) as exited:
            main()
        assert exited.value.code == 2 and not fake_uvicorn
        message = capsys.readouterr().err
        assert f"pid {proc.pid}" in message and "--state-dir" in message
        assert "Traceback" not in message
        assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200  # untouched
        os.kill(proc.pid, signal.SIGKILL)  # the kernel drops the lock with the process
        proc.wait(timeout=30)
        result = invoke("serve", model, "--port", "0", "--state-dir", state)
        assert result.exit_code == 0, result.output
        assert fake_uvicorn and (state / "serve.lock").read_text().strip() == str(os.getpid())
        fake_uvicorn[-1][0].state.service.lock.release()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


def test_webhook_must_be_an_http_url(model, fake_uvicorn, tmp_path):
    result = invoke("serve", model, "--webhook", "ftp://example.org/x")
    assert isinstance(result.exception, LogbertError) and "http://" in str(result.exception)
    result = invoke("serve", model, "--port", "0", "--webhook", "http://127.0.0.1:9/hook")
    assert result.exit_code == 0, result.output
    served, _, port = fake_uvicorn[-1]
    assert served.state.service.webhook.url == "http://127.0.0.1:9/hook"
    assert served.state.service.webhook.generator_url == f"http://127.0.0.1:{port}"  # not :0
    assert f"serving {model} on http://127.0.0.1:{port} " in result.output


def test_a_port_in_use_exits_2_before_anything_is_announced(model, fake_uvicorn, tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = invoke("serve", model, "--port", port, "--state-dir", tmp_path / "state")
    assert isinstance(result.exception, LogbertError) and not fake_uvicorn
    message = str(result.exception)
    assert f"port {port} on 127.0.0.1 is already in use" in message and "--port" in message
    assert "serving" not in result.output and "state in" not in result.output
    assert not (tmp_path / "state").exists()  # checked before the state dir is touched
    result = invoke("serve", model, "--port", 70000)
    assert isinstance(result.exception, LogbertError) and "65535" in str(result.exception)


def test_a_restart_on_a_snapshotted_state_dir_has_nothing_negative_to_process(
    model, fake_uvicorn, raw_logs, tmp_path
):
    from logbert.serving.http import create_app

    state = tmp_path / "state"
    lines = raw_logs[1].read_text().splitlines()
    with TestClient(create_app(model, state)) as c:
        for start in range(0, 40, BATCH):
            assert c.post("/v1/logs", content="\n".join(lines[start : start + BATCH]),
                          headers={"content-type": "text/plain"}).status_code == 202  # fmt: skip
        assert c.post("/v1/flush").json()["processed"]  # a flush snapshots: batches dropped
    result = invoke("serve", model, "--port", "0", "--state-dir", state)
    assert result.exit_code == 0, result.output
    assert "5 batches processed, snapshot after batch 5, 0 to process" in result.output
    assert fake_uvicorn[-1][0].state.service.stats()["wal"]["last_batch"] == 5


def test_the_start_note_says_when_idle_closed_sessions_are_judged(model, fake_uvicorn):
    result = invoke("serve", model, "--port", "0", "--idle-timeout", "30m")
    assert result.exit_code == 0, result.output
    assert "close after 30m without a line (log time)" in result.output
    assert "is judged once the log has moved" in result.output
    assert "the model's session lifetime" in result.output and "POST /v1/flush" in result.output
    assert "as they go" not in result.output


def test_serve_warns_of_model_files_whose_absence_leaves_something_out(model, fake_uvicorn):
    (model / "calibration_scores.npy").unlink()
    result = invoke("serve", model, "--port", "0")
    assert result.exit_code == 0, result.output
    assert "calibration_scores.npy" in result.output and "p-values" in result.output
