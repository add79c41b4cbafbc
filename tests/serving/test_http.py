"""`logbert serve`'s HTTP API through FastAPI's TestClient: the alerts of `score --logs`, every
bad input answered (and counted) clearly, tokens, the model and state-dir checks at start."""

from __future__ import annotations

import gzip
import json
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from logbert.errors import LogbertError
from logbert.models.iqr import IQRDetector
from logbert.parsing.summary import continuation_hint
from logbert.pipeline import Pipeline
from logbert.serving.http import ServeOptions, create_app
from logbert.sessions.io import Session
from logbert.sessions.sessionize import SessionizerSettings

BLOCK = r"blk_-?\d+"
TEXT = {"content-type": "text/plain"}
NDJSON = {"content-type": "application/x-ndjson"}


def train(log: Path, directory: Path) -> Path:
    settings = SessionizerSettings(by_id=BLOCK)
    Pipeline(IQRDetector(), sessionizer=settings, log_format="hdfs").fit_logs([str(log)]).save(
        directory
    )
    return directory


@pytest.fixture
def served(raw_logs, tmp_path):
    """(model dir, test log, the session ids `score --logs` flags on it)."""
    train_log, test_log, _, _ = raw_logs
    model = train(train_log, tmp_path / "model")
    rows = [r for batch in Pipeline.load(model).score_logs([str(test_log)]) for r in batch]
    flagged = {r["session_id"] for r in rows if r["is_anomaly"]}
    assert flagged
    return model, test_log, flagged


@contextmanager
def client(model, state=None, token=None, **options):
    app = create_app(model, state, token=token, options=ServeOptions(**options))
    with TestClient(app) as c:
        if token:
            c.headers["Authorization"] = f"Bearer {token}"
        yield c


def metric(c: TestClient, name: str) -> float:
    text = c.get("/metrics").text
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    assert found, f"{name} not in /metrics"
    return float(found.group(1))


def all_alerts(c: TestClient, limit: int = 1000) -> list[dict]:
    alerts, cursor = [], 0
    while True:
        page = c.get("/v1/alerts", params={"since": cursor, "limit": limit}).json()
        alerts += page["alerts"]
        if not page["alerts"]:
            return alerts
        cursor = page["next"]


def test_posted_lines_give_the_alerts_of_score_logs_paged_by_cursor(served, tmp_path):
    model, test_log, flagged = served
    lines = test_log.read_text().splitlines()
    with client(model, tmp_path / "state") as c:
        for start in range(0, len(lines), 15):
            r = c.post("/v1/logs", content="\n".join(lines[start : start + 15]) + "\n",
                       headers=TEXT)  # fmt: skip
            assert r.status_code == 202 and r.json()["accepted"] == len(lines[start : start + 15])
        r = c.post("/v1/flush")
        assert r.status_code == 200 and r.json()["processed"]
        alerts = all_alerts(c, limit=1)  # one page per alert: the cursor walks them in order
        assert {a["session_id"] for a in alerts} == flagged
        assert [a["alert_id"] for a in alerts] == list(range(1, len(alerts) + 1))
        assert alerts[0]["score_name"] == "score" and "reason" in alerts[0]
        last = c.get("/v1/alerts", params={"since": alerts[-1]["alert_id"]}).json()
        assert last["alerts"] == [] and last["next"] == alerts[-1]["alert_id"]
        assert metric(c, "logbert_lines_accepted_total") == len(lines)
        assert metric(c, "logbert_lines_parsed_total") == len(lines)
        assert metric(c, "logbert_sessions_closed_total") == 13
        assert metric(c, "logbert_alerts_total") == len(flagged)
        assert metric(c, "logbert_templates_known") > 0
        assert metric(c, "logbert_batch_processing_seconds_count") >= 4
        assert c.get("/healthz").json()["status"] == "ok"
        assert c.get("/docs").status_code == 200
        assert "/v1/logs" in c.get("/openapi.json").json()["paths"]


def test_a_malformed_ndjson_line_is_rejected_and_counted_the_rest_accepted(served, tmp_path):
    model, test_log, _ = served
    lines = test_log.read_text().splitlines()[:4]
    body = "\n".join([
        json.dumps({"message": lines[0], "timestamp": "2008-11-09T20:00:00Z"}),
        '{"message": "half a record',  # not JSON
        json.dumps({"log": lines[1] + "\n", "source": "node-1"}),  # Fluent Bit's key
        json.dumps({"msg": lines[2]}),  # no message
        json.dumps({"message": lines[2], "timestamp": {"no": "time"}}),  # a bad timestamp
        json.dumps([lines[3]]),  # not an object
        "",
        json.dumps({"message": lines[3], "source": "node-1"}),
    ]) + "\n"  # fmt: skip
    with client(model) as c:
        r = c.post("/v1/logs", content=body, headers=NDJSON)
        assert r.status_code == 202, r.text
        assert r.json() | {"batch_id": 0} == {
            "accepted": 3, "rejected": 4, "rejected_lines": [2, 4, 5, 6], "batch_id": 0,
        }  # fmt: skip
        assert metric(c, 'logbert_lines_rejected_total{reason="malformed"}') == 4
        r = c.post("/v1/logs", json=[lines[0], {"message": lines[1]}, 7])  # a JSON array
        assert r.status_code == 202 and r.json()["rejected_lines"] == [3]
        assert c.post("/v1/flush").json()["processed"]
        stats = c.get("/v1/stats").json()
        assert stats["engine"]["lines_accepted"] == 5 and stats["engine"]["lines_rejected"] == 0
        assert stats["http"] == {"lines_received": 5, "lines_malformed": 5}


def test_lines_that_do_not_fit_the_format_are_answered_as_rejected_as_stats_counts(served):
    """QA: POST /v1/logs answered `"rejected": 0` for lines /v1/stats then counted in
    `lines_rejected` (another format, or a traceback's 592 continuation lines)."""
    model, test_log, _ = served
    lines = test_log.read_text().splitlines()[:3]
    body = [lines[0], "<34>1 sshd - - authentication failure for root", lines[1], "",
            "java.io.IOException: Connection reset", "\tat org.apache.Foo.bar(Foo.java:1)",
            lines[2]]  # fmt: skip
    with client(model) as c:
        r = c.post("/v1/logs", content="\n".join(body), headers=TEXT)
        assert r.status_code == 202, r.text
        assert r.json() | {"batch_id": 0} == {
            "accepted": 4, "rejected": 3, "rejected_lines": [2, 5, 6], "batch_id": 0,
        }  # fmt: skip
        records = "\n".join([  # a record's message of several lines: its number is named
            json.dumps({"message": lines[0]}),
            json.dumps({"message": "java.io.IOException: reset\n\tat a.B.c(B.java:2)"}),
            "{not json",
        ])  # fmt: skip
        r = c.post("/v1/logs", content=records, headers=NDJSON)
        assert r.status_code == 202, r.text
        assert r.json() | {"batch_id": 0} == {
            "accepted": 1, "rejected": 3, "rejected_lines": [2, 3], "batch_id": 0,
        }  # fmt: skip
        assert c.post("/v1/flush").json()["processed"]
        assert c.get("/v1/stats").json()["engine"]["lines_rejected"] == 3 + 2


def test_a_body_with_only_malformed_records_is_400_and_counted(served):
    model, _, _ = served
    with client(model) as c:
        r = c.post("/v1/logs", content="nope\n{]\n", headers=NDJSON)
        assert r.status_code == 400
        assert r.json()["detail"]["rejected_lines"] == [1, 2]
        assert "malformed" in r.json()["detail"]["message"]
        assert metric(c, 'logbert_lines_rejected_total{reason="malformed"}') == 2
        assert metric(c, "logbert_lines_accepted_total") == 0


def test_a_line_in_another_format_is_counted_as_rejected_in_metrics(served):
    model, test_log, _ = served
    lines = test_log.read_text().splitlines()[:3]
    lines.insert(1, "<34>1 sshd - - authentication failure for root")  # not HDFS
    with client(model) as c:
        assert c.post("/v1/logs", content="\n".join(lines), headers=TEXT).status_code == 202
        assert c.post("/v1/flush").json()["processed"]
        assert metric(c, 'logbert_lines_rejected_total{reason="format"}') == 1
        assert metric(c, "logbert_lines_parsed_total") == 3
        assert metric(c, "logbert_lines_accepted_total") == 4


def test_empty_oversized_and_unsupported_bodies_are_refused_clearly(served):
    model, test_log, _ = served
    with client(model, max_body=1000) as c:
        for body in (b"", b"\n \n"):
            r = c.post("/v1/logs", content=body, headers=TEXT)
            assert r.status_code == 400 and "body is empty" in r.json()["detail"]
        big = test_log.read_bytes()
        assert len(big) > 1000
        r = c.post("/v1/logs", content=big, headers=TEXT)
        assert r.status_code == 413 and "over the limit of 1,000 bytes" in r.json()["detail"]
        bomb = gzip.compress(b"x" * 100_000)  # small on the wire, over the limit inflated
        r = c.post("/v1/logs", content=bomb, headers=TEXT | {"content-encoding": "gzip"})
        assert len(bomb) < 1000 and r.status_code == 413
        small = gzip.compress(big[:900])
        r = c.post("/v1/logs", content=small, headers=TEXT | {"content-encoding": "gzip"})
        assert r.status_code == 202
        r = c.post("/v1/logs", content=b"x", headers={"content-type": "application/xml"})
        assert r.status_code == 415
        r = c.post("/v1/logs", content=b"x", headers=TEXT | {"content-encoding": "br"})
        assert r.status_code == 415
        assert c.post("/v1/score", content=b"", headers=TEXT).status_code == 400
        assert metric(c, "logbert_lines_accepted_total") == big[:900].count(b"\n") + 1


def test_a_token_guards_every_endpoint_but_healthz(served):
    model, test_log, _ = served
    token = "s3cret-token-0123456789"
    with client(model, token=token) as c:
        body = test_log.read_text()
        assert c.post("/v1/logs", content=body, headers=TEXT).status_code == 202
        c.headers.pop("Authorization")
        assert c.get("/healthz").status_code == 200
        for method, path in [("post", "/v1/logs"), ("post", "/v1/flush"), ("get", "/v1/alerts"),
                             ("post", "/v1/score"), ("get", "/metrics"), ("get", "/v1/stats"),
                             ("get", "/docs")]:  # fmt: skip
            r = getattr(c, method)(path)
            assert r.status_code == 401, path
            assert r.headers["www-authenticate"] == "Bearer"
        for wrong in ("Bearer nope", f"Basic {token}", f"Bearer {token}x", token):
            r = c.get("/v1/alerts", headers={"Authorization": wrong})
            assert r.status_code == 401 and "token" in r.json()["detail"]
        r = c.get("/v1/alerts", headers={"Authorization": f"bearer {token}"})
        assert r.status_code == 200


def test_score_scores_lines_and_sessions_without_touching_the_stream(served):
    model, test_log, flagged = served
    with client(model) as c:
        r = c.post("/v1/score", json={"lines": test_log.read_text().splitlines()})
        assert r.status_code == 200
        result = r.json()
        assert result["sessions"] == 13 and result["anomalies"] == len(flagged)
        assert {row["session_id"] for row in result["rows"] if row["is_anomaly"]} == flagged
        r = c.post("/v1/score", content=test_log.read_text(), headers=TEXT)
        assert r.json()["rows"] == result["rows"]
        keys = Pipeline.load(model).detector_.vocab_
        r = c.post("/v1/score", json={"sessions": [{"session_id": "a", "keys": [int(keys[0])]},
                                                   {"keys": [99999] * 5}]})  # fmt: skip
        assert r.status_code == 200 and [row["session_id"] for row in r.json()["rows"]] == [
            "a", "1"
        ]  # fmt: skip
        for bad in ({"sessions": [{"keys": ["x"]}]}, {"sessions": []}, {"nothing": 1},
                    {"sessions": [{"keys": [1, 2**64]}]}):  # fmt: skip
            r = c.post("/v1/score", json=bad)
            assert r.status_code == 400, bad
        for since in (2**63, 10**23, -5):  # a cursor too large for a 64-bit id: 422, not 500
            assert c.get("/v1/alerts", params={"since": since}).status_code == 422
        assert c.post("/v1/score", content=b"{", headers={"content-type": "application/json"}
                      ).status_code == 400  # fmt: skip
        stats = c.get("/v1/stats").json()
        assert stats["engine"]["lines_accepted"] == 0 and stats["wal"]["last_batch"] == 0


def test_a_model_without_parser_state_is_refused_at_start(tmp_path):
    sessions = [Session(str(i), [1, 2, 3, 2][: 2 + i % 3]) for i in range(30)]
    Pipeline(IQRDetector()).fit(sessions).save(tmp_path / "m")
    with pytest.raises(LogbertError, match="trained on sessions, not raw logs"):
        create_app(tmp_path / "m", tmp_path / "state")
    with pytest.raises(LogbertError, match="not found"):
        create_app(tmp_path / "missing", tmp_path / "state")


def test_another_models_state_dir_is_refused(served, raw_logs, tmp_path):
    model, test_log, _ = served
    state = tmp_path / "state"
    with client(model, state) as c:
        assert c.post("/v1/logs", content=test_log.read_text(), headers=TEXT).status_code == 202
    other = train(raw_logs[1], tmp_path / "other")  # trained on other lines
    with pytest.raises(LogbertError, match="belongs to another model"):
        create_app(other, state)
    (tmp_path / "file").write_text("x")
    with pytest.raises(LogbertError, match="is a file"):
        create_app(model, tmp_path / "file")


def test_a_state_dir_the_os_refuses_is_a_user_error(served, refused_folder):
    """QA: an output folder the OS refuses (root under /proc) was a traceback; --state-dir
    is refused as every output folder is."""
    model, _, _ = served
    state = refused_folder / "state"
    with pytest.raises(LogbertError, match=f"cannot write --state-dir {state}: the folder"):
        create_app(model, state)


def test_a_restart_keeps_alerts_and_resumes_open_sessions(served, tmp_path):
    model, test_log, flagged = served
    lines = test_log.read_text().splitlines()
    state = tmp_path / "state"
    with client(model, state) as c:
        assert c.post("/v1/logs", content="\n".join(lines[:20]), headers=TEXT).status_code == 202
    with client(model, state) as c:  # the sessions of the first 20 lines are still open
        assert c.post("/v1/logs", content="\n".join(lines[20:]), headers=TEXT).status_code == 202
        assert c.post("/v1/flush").json()["processed"]
        alerts = all_alerts(c)
        assert c.get("/v1/stats").json()["engine"]["lines_accepted"] == len(lines)
    with client(model, state) as c:
        assert all_alerts(c) == alerts
    assert {a["session_id"] for a in alerts} == flagged and len(alerts) == len(flagged)


def test_a_second_server_on_the_same_state_dir_is_refused_until_the_first_stops(served, tmp_path):
    import os

    model, test_log, _ = served
    state = tmp_path / "state"
    with client(model, state) as c:
        assert c.post("/v1/logs", content=test_log.read_text(), headers=TEXT).status_code == 202
        with pytest.raises(LogbertError, match=rf"in use by another .*pid {os.getpid()}\b"):
            create_app(model, state)
        assert (state / "serve.lock").read_text().strip() == str(os.getpid())
        assert c.get("/healthz").status_code == 200  # the refused start changed nothing
    with client(model, state) as c:  # the first one stopped: the lock is free again
        assert c.get("/v1/stats").json()["http"]["lines_received"] == len(
            test_log.read_text().splitlines()
        )
    with client(model) as a, client(model) as b:  # temporary state dirs: one each
        assert a.get("/healthz").status_code == b.get("/healthz").status_code == 200


def test_score_of_lines_the_model_cannot_read_warns_in_the_answer_and_the_log(served, capsys):
    model, test_log, _ = served
    lines = test_log.read_text().splitlines()[:4]
    other = [f"- 1117838570 2005.06.03 R02-M1-N0 RAS KERNEL INFO cache error {i}" for i in range(8)]
    no_id = [line.replace("blk_", "block ") for line in lines[:2]]
    with client(model) as c:
        result = c.post("/v1/score", json={"lines": lines + other + no_id}).json()
        assert result["lines_rejected"] == 8 and result["lines_unmatched"] == 2
        assert len(result["warnings"]) == 1
        warning = result["warnings"][0]
        assert warning.startswith("POST /v1/score (source score): 10 of 14 lines were not scored")
        assert "8 do not fit the model's log format hdfs" in warning
        assert "2 more fit it but named no session id" in warning
        assert f"warning: {warning}" in capsys.readouterr().err  # the server's log
        good = c.post("/v1/score", json={"lines": test_log.read_text().splitlines()}).json()
        assert good["warnings"] == [] and good["lines_unmatched"] == 0


def test_score_of_lines_mostly_tracebacks_says_what_score_logs_says(served, capsys):
    """QA: /v1/score called a log of tracebacks lines that do not fit the model's format, to
    check against the training logs; the CLI calls them continuation lines of multi-line
    records (`continuation_hint`: the same words)."""
    model, test_log, _ = served
    lines = test_log.read_text().splitlines()[:5]
    trace = ["java.io.IOException: Connection reset"] + [
        f"\tat org.apache.hadoop.Foo.bar(Foo.java:{i})" for i in range(19)
    ]
    with client(model) as c:
        result = c.post("/v1/score", json={"lines": lines + trace}).json()
    assert result["lines_rejected"] == 20
    assert result["warnings"] == [
        f"POST /v1/score (source score): 20 of 25 lines were not scored: "
        f"{continuation_hint(20, 20)}"
    ]
    assert "do not fit the model's log format" not in capsys.readouterr().err


def test_lines_naming_no_session_are_counted_in_stats_and_metrics(served):
    model, test_log, _ = served
    lines = test_log.read_text().splitlines()
    no_id = [line.replace("blk_", "block ") for line in lines[:3]]
    with client(model) as c:
        body = "\n".join(lines + no_id)
        assert c.post("/v1/logs", content=body, headers=TEXT).status_code == 202
        assert c.post("/v1/flush").json()["processed"]
        assert c.get("/v1/stats").json()["engine"]["lines_unmatched"] == 3
        assert metric(c, "logbert_lines_unmatched_total") == 3
        assert metric(c, "logbert_lines_parsed_total") == len(lines) + 3


def test_docs_are_one_page_that_fetches_nothing(served):
    model, _, _ = served
    with client(model) as c:
        page = c.get("/docs")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        text = page.text
        assert "<script" not in text and "cdn" not in text and "https://" not in text
        for path in ("/v1/logs", "/v1/alerts", "/v1/score", "/v1/flush", "/metrics"):
            assert f" {path}</code>" in text, path
        assert "href='/openapi.json'" in text and "since" in text  # a query parameter
        assert c.get("/openapi.json").json()["info"]["title"] == "logbert serve"
        assert c.get("/redoc").status_code == 404


@pytest.mark.parametrize("missing", ["pipeline.json", "parser.json"])
def test_a_model_dir_missing_a_file_names_the_file(served, tmp_path, missing):
    import shutil

    model, _, _ = served
    copy = shutil.copytree(model, tmp_path / "copy")
    (copy / missing).unlink()
    with pytest.raises(LogbertError, match=rf"has no {missing}.*the file is missing") as raised:
        create_app(copy, tmp_path / "state")
    assert "trained on sessions" not in str(raised.value)


def test_ndjson_records_are_log_lines_themselves_for_a_json_format_model():
    """QA live: a `--format json` model's logs are JSON objects; read as a shipper's wrapper
    only `message` reached the engine (time and ids dropped, every line a format reject), or
    a `msg` logger's lines were all "malformed" with no word why."""
    from logbert.serving.http import _records

    lines = [
        '{"time":"2024-05-06T10:00:00Z","msg":"reserve stock","request_id":"a1"}',
        '{"time":"2024-05-06T10:00:01Z","message":"stock reserved","request_id":"a1"}',
    ]
    body = ("\n".join(lines) + "\nnot json\n").encode()
    segments, rejected, _ = _records(body, "application/x-ndjson", "api", whole=True)
    assert segments == [("api", lines)] and rejected == [3]
    array = json.dumps([json.loads(line) for line in lines]).encode()
    segments, _, _ = _records(array, "application/json", "api", whole=True)
    assert [json.loads(x) for x in segments[0][1]] == [json.loads(x) for x in lines]
    # a wrapper-reading model: the msg-only record is malformed
    segments, rejected, _ = _records(body, "application/x-ndjson", "api")
    assert rejected == [1, 3] and segments == [("api", ["stock reserved"])]


def test_a_body_of_only_unwrapped_records_says_how_records_are_read(served):
    model, test_log, _ = served
    body = json.dumps({"msg": test_log.read_text().splitlines()[0]}) + "\n"
    with client(model) as c:
        r = c.post("/v1/logs", content=body, headers=NDJSON)
    assert r.status_code == 400
    message = r.json()["detail"]["message"]
    assert "`message` or `log`" in message and "text/plain" in message
