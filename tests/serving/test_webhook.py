"""`logbert serve --webhook URL`: stored alerts reach a (tiny, local) Alertmanager-like receiver
in order and in its shape; a receiver that refuses connections or answers 500 is retried with
back-off while ingestion still answers 202, failures are counted, and after a restart the
sender resumes after the last acknowledged alert (nothing acknowledged is sent twice)."""

from __future__ import annotations

import json
import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from logbert.models.iqr import IQRDetector
from logbert.pipeline import Pipeline
from logbert.serving.http import ServeOptions, create_app
from logbert.serving.webhook import CURSOR_KEY, top_events_text
from logbert.sessions.sessionize import SessionizerSettings

from .test_http import metric

TEXT = {"content-type": "text/plain"}
FAST = {"webhook_backoff": 0.02, "webhook_max_backoff": 0.1, "webhook_poll_seconds": 0.05,
        "webhook_timeout": 2.0}  # fmt: skip


class Receiver:
    """An HTTP server in a thread: records each POST body (JSON), answers the next status of
    `statuses` (then 200)."""

    def __init__(self, port: int = 0, statuses: list[int] | None = None) -> None:
        self.posts: list[list[dict]] = []
        self.answers: list[int] = []
        self.statuses = list(statuses or [])
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["content-length"]))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                receiver.answers.append(status)
                if status == 200:
                    receiver.posts.append(json.loads(body))
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *_args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v2/alerts"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def alerts(self) -> list[dict]:
        return [a for post in self.posts for a in post]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def receiving(**kwargs):
    receiver = Receiver(**kwargs)
    try:
        yield receiver
    finally:
        receiver.close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(raw_logs, tmp_path):
    """(model dir, test log lines)."""
    train_log, test_log, _, _ = raw_logs
    settings = SessionizerSettings(by_id=r"blk_-?\d+")
    model = tmp_path / "model"
    Pipeline(IQRDetector(), sessionizer=settings, log_format="hdfs").fit_logs(
        [str(train_log)]
    ).save(model)
    return model, test_log.read_text().splitlines()


@contextmanager
def client(model: Path, state: Path, url: str):
    app = create_app(model, state, options=ServeOptions(webhook=url, **FAST))
    with TestClient(app) as c:
        yield c


def stream(c: TestClient, lines: list[str], size: int = 12) -> None:
    for start in range(0, len(lines), size):
        r = c.post("/v1/logs", content="\n".join(lines[start : start + size]) + "\n",
                   headers=TEXT)  # fmt: skip
        assert r.status_code == 202, r.text
    assert c.post("/v1/flush").json()["processed"]


def stored(c: TestClient) -> list[dict]:
    return c.get("/v1/alerts", params={"limit": 1000}).json()["alerts"]


def wait_for(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_alerts_arrive_in_order_in_the_alertmanager_shape(served, tmp_path):
    model, lines = served
    with receiving() as receiver, client(model, tmp_path / "state", receiver.url) as c:
        stream(c, lines)
        alerts = stored(c)
        assert alerts
        wait_for(lambda: len(receiver.alerts) == len(alerts))
        got = receiver.alerts
        assert [a["labels"]["session_id"] for a in got] == [a["session_id"] for a in alerts]
        ids = [int(a["annotations"]["alert_id"]) for a in got]
        assert ids == sorted(ids) == [a["alert_id"] for a in alerts]
        first, record = got[0], alerts[0]
        labels = {"alertname": "logbert_anomaly", "session_id": record["session_id"]}
        assert first["labels"] == {**labels, "model": "model"}
        notes = first["annotations"]
        assert record["session_id"] in notes["summary"]
        assert float(notes["score"]) == pytest.approx(record["score"], rel=1e-5)
        assert float(notes["threshold"]) == pytest.approx(record["threshold"], rel=1e-5)
        assert notes["top_events"] == top_events_text(record["top_events"])
        assert all(isinstance(v, str) for a in got for v in {**a["labels"], **a["annotations"]}
                   .values())  # fmt: skip
        assert first["startsAt"].endswith("Z") and "T" in first["startsAt"]
        assert first["generatorURL"].endswith(f"/v1/alerts?since={record['alert_id'] - 1}&limit=1")
        # the receiver has them before the sender has read its reply: wait for its books
        wait_for(lambda: metric(c, "logbert_webhook_sent_total") == len(alerts))
        assert metric(c, "logbert_webhook_failures_total") == 0
        wait_for(lambda: metric(c, "logbert_webhook_pending") == 0)


def test_a_receiver_answering_500_is_retried_and_ingestion_goes_on(served, tmp_path):
    model, lines = served
    with receiving(statuses=[500, 500, 503]) as receiver, \
            client(model, tmp_path / "state", receiver.url) as c:  # fmt: skip
        stream(c, lines)  # every POST answered 202 while the receiver fails
        alerts = stored(c)
        wait_for(lambda: len(receiver.alerts) == len(alerts))
        assert receiver.answers[:3] == [500, 500, 503]
        assert [a["labels"]["session_id"] for a in receiver.alerts] == \
            [a["session_id"] for a in alerts]  # in order, none twice  # fmt: skip
        wait_for(lambda: metric(c, "logbert_webhook_sent_total") == len(alerts))
        assert metric(c, "logbert_webhook_failures_total") == 3
        wait_for(lambda: metric(c, "logbert_webhook_pending") == 0)


def test_a_receiver_that_is_down_is_retried_and_a_restart_resumes_after_the_acked(served, tmp_path):
    model, lines = served
    state, half = tmp_path / "state", len(lines) // 2
    with receiving() as receiver:
        with client(model, state, receiver.url) as c:  # the first half: delivered
            stream(c, lines[:half])
            acked = stored(c)
            wait_for(lambda: len(receiver.alerts) == len(acked))
            # acknowledged only once the sender has read the reply and moved its cursor
            if acked:
                last = str(acked[-1]["alert_id"])
                wait_for(lambda: c.app.state.service.store.get_meta(CURSOR_KEY) == last)
        down = f"http://127.0.0.1:{closed_port()}/api/v2/alerts"
        with client(model, state, down) as c:  # nobody listens: refused, retried, counted
            stream(c, lines[half:])
            assert c.get("/healthz").status_code == 200
            wait_for(lambda: metric(c, "logbert_webhook_failures_total") >= 3)
            everything = stored(c)
            assert metric(c, "logbert_webhook_sent_total") == 0
            assert metric(c, "logbert_webhook_pending") == len(everything) - len(acked) > 0
        with client(model, state, receiver.url) as c:  # back: only the rest is sent
            wait_for(lambda: len(receiver.alerts) == len(everything))
            last = str(everything[-1]["alert_id"])
            wait_for(lambda: c.app.state.service.store.get_meta(CURSOR_KEY) == last)
            wait_for(lambda: metric(c, "logbert_webhook_pending") == 0)
        ids = [int(a["annotations"]["alert_id"]) for a in receiver.alerts]
        assert ids == [a["alert_id"] for a in everything]  # in order, nothing twice
        with client(model, state, receiver.url) as c:  # nothing left: nothing sent again
            time.sleep(0.2)
            assert metric(c, "logbert_webhook_sent_total") == 0
        assert len(receiver.alerts) == len(everything)
