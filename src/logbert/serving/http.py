"""`logbert serve`: the streaming detector behind an HTTP API (FastAPI), durable by design.

Endpoints (all but `/healthz` need `Authorization: Bearer TOKEN` when a token is set):

- `POST /v1/logs[?source=NAME]`: raw lines as `text/plain` (one per line), or records as
  `application/x-ndjson` (one JSON object per line: `{"message": LINE, "timestamp"?: ...,
  "source"?: ...}`, `log` is taken for `message`: what Fluent Bit and Vector send) or
  `application/json` (an array of such objects or of strings); `Content-Encoding: gzip`
  allowed. A model that reads `--format json` logs takes each NDJSON line (each object of an
  array) as a log line itself: those logs are JSON objects already, and reading them as a
  shipper's wrapper kept only their `message` and dropped the time and the ids. A malformed
  record is rejected and counted, the rest accepted; a line that does not fit the model's log
  format is committed (the engine counts it: `lines_rejected` of /v1/stats) but answered as
  rejected too. The answer (202) says how many lines were accepted and which line numbers
  (of the body) were rejected, and is given only once
  the lines are committed to the write-ahead log (`logbert.serving.wal`). Empty body: 400; a
  body (or its decompressed form) over `max_body` bytes: 413; no valid record at all: 400;
  more than `max_backlog` batches waiting: 503 (retry later).
- `POST /v1/flush[?timeout=S]`: the end of the stream (every open session is closed and
  scored, as at the end of a file); waits until it is processed (200) or `timeout` (202).
- `GET /v1/alerts?since=CURSOR&limit=N`: stored alerts after alert id CURSOR, in order, and
  `next` (the cursor for the next page). The records are those `logbert watch` writes.
- `POST /v1/score`: scores given sessions without touching the stream: `{"lines": [...]}` (or
  `text/plain`) is parsed and sessionized by a temporary engine (the verdicts of `logbert
  score MODEL --logs`), `{"sessions": [{"session_id", "keys": [...]}]}` is scored as is.
  When most lines were not scored (another log format, no session id) or came too late for
  their time window, the answer's `warnings` list says so (and the server logs it).
- `GET /v1/stats`: the engine's counters, the write-ahead log's position and the pids of the
  server and its engine process (JSON).
- `GET /healthz` (no token), `GET /metrics` (Prometheus text), `GET /openapi.json` (the
  OpenAPI schema) and `GET /docs`: the endpoints as one plain HTML page written from that
  schema. Not Swagger UI: FastAPI's loads its scripts from a CDN, a blank page on a host
  without internet access, where a log server often runs.

A batch that mostly does not fit the model, or whose events came after their time window had
closed, is logged as a `warning:` line on stderr by the engine (`serving.worker`), rate-limited.

The engine runs in its own process (`logbert.serving.process`): this process only checks,
commits and answers, and serves alerts and metrics from the shared state and the counters the
engine reports after each batch, so a batch being scored never holds up an answer.
"""

from __future__ import annotations

import contextlib
import hmac
import html
import json
import logging
import math
import os
import shutil
import tempfile
import threading
import time
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from starlette.concurrency import run_in_threadpool

from logbert.errors import LogbertError
from logbert.parsing.json_lines import JSON
from logbert.pipeline import Pipeline
from logbert.serving.engine import DetectionEngine
from logbert.serving.lock import StateLock
from logbert.serving.process import EngineConfig, EngineProcess
from logbert.serving.wal import ModelIdentity, Segments, StateStore
from logbert.serving.webhook import WebhookSender
from logbert.serving.worker import RateLimitedWarnings
from logbert.sessions.io import Session

log = logging.getLogger("logbert.serve")

MAX_BODY = 8 << 20
MAX_LISTED_REJECTS = 100  # rejected line numbers listed in an answer (all are counted)
NDJSON_TYPES = {
    "application/x-ndjson",
    "application/ndjson",
    "application/jsonlines",
    "application/x-jsonlines",
    "application/jsonl",
}
JSON_TYPES = {"application/json"}
TEXT_TYPES = {"text/plain", ""}
MAX_INT64 = 2**63 - 1  # alert ids and log keys are stored as 64-bit integers
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


@dataclass
class ServeOptions:
    max_body: int = MAX_BODY
    max_backlog: int = 10_000  # committed batches not yet processed before 503
    snapshot_every: int = 50
    snapshot_seconds: float = 5.0
    flush_timeout: float = 60.0
    threshold: float | None = None
    top_events: int = 3
    early_alerts: bool = True
    idle_timeout: str | None = None
    webhook: str | None = None  # POST stored alerts there (Alertmanager shape)
    webhook_generator_url: str = ""  # base of each alert's generatorURL (the server's URL)
    webhook_backoff: float = 0.5  # first retry delay; doubled per failure ...
    webhook_max_backoff: float = 60.0  # ... up to this
    webhook_timeout: float = 10.0
    webhook_poll_seconds: float = 1.0


class Service:
    """What the app holds: the pipeline, the state store, the engine process, the counters."""

    def __init__(
        self, model_dir: Path, state_dir: Path | None, token: str | None, options: ServeOptions
    ) -> None:
        model_dir = Path(model_dir)
        if not model_dir.is_dir():
            raise LogbertError(f"model directory {model_dir} not found: pass a `logbert train` "
                               "output folder")  # fmt: skip
        self.options = options
        self.token = token
        self.model_dir = model_dir
        self.pipeline = Pipeline.load(model_dir)  # JSON, NumPy arrays, safetensors: no pickle
        engine = self._engine()  # refuses a model without parser state
        self.verdict_note = engine.verdict_note("POST /v1/flush")  # for the CLI's start
        self.warnings = RateLimitedWarnings()  # of POST /v1/score (the engine warns of batches)
        self.temporary = state_dir is None
        self.state_dir = Path(tempfile.mkdtemp(prefix="logbert-serve-")) if state_dir is None \
            else Path(state_dir)  # fmt: skip
        self.lock = StateLock(self.state_dir)  # one server per state dir (exits 2 if taken)
        model = ModelIdentity.of(model_dir)
        try:
            # checkpoints are the engine's: a POST never copies the log into the database
            self.store = StateStore(self.state_dir, model, autocheckpoint=False)
        except BaseException:
            self.lock.release()
            raise
        # a state resumed with a new threshold says so at start (the CLI prints it)
        self.resume_note = self.store.resume_note
        meta = self.store.meta()
        self.lines_received = int(meta.get("lines_received", 0))
        self.lines_malformed = int(meta.get("lines_malformed", 0))
        self.last_batch = self.store.last_batch()
        self.registry = CollectorRegistry()
        self.batch_seconds = Histogram(
            "logbert_batch_processing_seconds",
            "Seconds the engine took per batch (parse, sessionize, score).",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.commit_seconds = Histogram(
            "logbert_ingest_seconds",
            "Seconds from a POST /v1/logs body read to its durable commit.",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.registry.register(_Collector(self))
        self.webhook: WebhookSender | None = None
        if options.webhook:
            self.webhook = WebhookSender(
                self.store,
                options.webhook,
                model=model_dir.resolve().name,
                generator_url=options.webhook_generator_url,
                timeout=options.webhook_timeout,
                backoff=options.webhook_backoff,
                max_backoff=options.webhook_max_backoff,
                poll_seconds=options.webhook_poll_seconds,
            )
        self.settings = engine.settings  # the session settings the engine runs with
        config = EngineConfig(
            model_dir=model_dir.resolve(),
            state_dir=self.state_dir.resolve(),
            model=model,
            engine_options=self._engine_options(),
            snapshot_every=options.snapshot_every,
            snapshot_seconds=options.snapshot_seconds,
        )
        self.worker = EngineProcess(
            config,
            processed=self.store.processed(),
            snapshot_batch=self.store.snapshot_batch(),
            # the counters after the last processed batch, until the engine reports
            metrics=self.store.engine_metrics() or engine.metrics(),
            observe=self.batch_seconds.observe,
            on_alerts=None if self.webhook is None else self.webhook.notify,
        )
        self._counts = threading.Lock()
        self._score_lock = threading.Lock()
        self._webhook_started = False

    def _engine_options(self) -> dict[str, Any]:
        o = self.options
        return {
            "top_events": o.top_events,
            "threshold": o.threshold,
            "early_alerts": o.early_alerts,
            "idle_timeout": o.idle_timeout,
        }

    def _engine(self, **overrides: Any) -> DetectionEngine:
        options = {**self._engine_options(), **overrides}
        return DetectionEngine(self.pipeline, model_dir=self.model_dir, **options)

    def start(self) -> None:
        """Start the engine process (waits until it restored its state: a `LogbertError` if
        it cannot) and the webhook sender. Idempotent for the engine."""
        self.worker.start()
        if self.webhook is not None and not self._webhook_started:
            self._webhook_started = True
            self.webhook.start()

    def close(self) -> None:
        self.worker.stop()  # it finishes its batch and snapshots
        self.warnings.flush(force=True)  # held-back POST /v1/score warnings are counted
        if self.webhook is not None:
            self.webhook.stop()
        self.store.close()
        self.lock.release()
        if self.temporary:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    # --- ingestion ------------------------------------------------------------------------

    def append(self, kind: str, segments: Segments, rejected: int) -> int:
        started = time.perf_counter()
        batch_id = self.store.append(kind, segments, rejected)
        if kind == "lines":
            self.commit_seconds.observe(time.perf_counter() - started)
        with self._counts:
            self.lines_received += sum(len(lines) for _, lines in segments)
            self.lines_malformed += rejected
            self.last_batch = max(self.last_batch, batch_id)
        self.worker.notify()
        return batch_id

    def unfit_lines(self, segments: Segments) -> list[int]:
        """Positions (in segment order) of the lines the model's log format does not read:
        those the engine will count in `lines_rejected`, for the POST's answer to say so
        (QA: it answered `"rejected": 0` for lines /v1/stats then counted, tracebacks too).
        `Parser.unfit_rows` is the engine's own test (neither split by the format nor blank)
        without the masking and timestamps that follow it (with them, the check halved the
        lines a POST accepted per second)."""
        lines = [line for _, run in segments for line in run]
        if not lines:
            return []
        return self.pipeline.parser_.unfit_rows(pa.array(lines, pa.string())).tolist()

    def count_malformed(self, rejected: int) -> None:
        self.store.add_rejected(rejected)
        with self._counts:
            self.lines_malformed += rejected

    @property
    def backlog(self) -> int:
        return max(0, self.last_batch - self.worker.processed)

    # --- scoring without the stream -------------------------------------------------------

    def score_lines(self, lines: list[str], source: str) -> dict[str, Any]:
        rows: list[dict[str, Any]] = []
        with self._score_lock:
            engine = self._engine(early_alerts=False, on_row=rows.append)
            engine.push_lines(lines, source)
            engine.flush()
        m = engine.metrics()
        where = f"POST /v1/score (source {source})"
        found = {
            "lost_lines": engine.lost_lines_warning(
                len(lines),
                m["lines_rejected"],
                m["lines_unmatched"],
                where,
                m["lines_continuation"],
            ),
            "late": engine.late_warning(m["events_late"], where) if m["events_late"] else None,
            "earlier_starts": engine.earlier_starts_warning(
                "Send the earlier lines in the same request (oldest first), or stream them "
                "through POST /v1/logs, which keeps sessions open between requests"
            ),
            "flag_rate": self.pipeline.flag_rate_note(
                sum(bool(r["is_anomaly"]) for r in rows), len(rows), self.options.threshold
            ),
        }
        warnings = {kind: text for kind, text in found.items() if text is not None}
        for kind, text in warnings.items():
            self.warnings.warn(kind, text)  # the server's log, rate-limited
        return {
            "lines": len(lines),
            "lines_rejected": m["lines_rejected"],
            "lines_unmatched": m["lines_unmatched"],
            "events_late": m["events_late"],
            "sessions": len(rows),
            "anomalies": sum(bool(r["is_anomaly"]) for r in rows),
            "warnings": [
                text.removeprefix("warning: ").removeprefix("note: ") for text in warnings.values()
            ],
            "rows": _plain(rows),
        }

    def score_sessions(self, sessions: list[Session]) -> dict[str, Any]:
        with self._score_lock:
            rows = self.pipeline.score(
                sessions, threshold=self.options.threshold, top_events=self.options.top_events
            )
        return {
            "sessions": len(rows),
            "anomalies": sum(bool(r["is_anomaly"]) for r in rows),
            "rows": _plain(rows),
        }

    def stats(self) -> dict[str, Any]:
        return {
            "engine": self.worker.metrics,
            "wal": {
                "state_dir": str(self.state_dir),
                "last_batch": self.last_batch,
                "processed": self.worker.processed,
                "snapshot_batch": self.worker.snapshot_batch,
                "backlog": self.backlog,
                "replayed_at_start": self.worker.replayed,
                "batches_failed": self.worker.failed,
            },
            "processes": {"server_pid": os.getpid(), "engine_pid": self.worker.pid},
            "http": {
                "lines_received": self.lines_received,
                "lines_malformed": self.lines_malformed,
            },
        }


class _Collector:
    """Prometheus metrics read from the engine's published counters at scrape time."""

    def __init__(self, service: Service) -> None:
        self.service = service

    def describe(self) -> list:
        return []

    def collect(self) -> Any:
        s = self.service
        m = s.worker.metrics

        def counter(name: str, doc: str, value: float) -> CounterMetricFamily:
            return CounterMetricFamily(name, doc, value=value)

        def gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
            return GaugeMetricFamily(name, doc, value=value)

        # committed lines; POST /v1/logs answers those that do not fit the format as rejected
        yield counter("logbert_lines_accepted", "Lines committed by POST /v1/logs (those that "
                      "do not fit the format too: logbert_lines_rejected, reason format).",
                      s.lines_received)  # fmt: skip
        rejected = CounterMetricFamily(
            "logbert_lines_rejected",
            "Lines rejected: malformed records (HTTP) or lines that do not fit the format.",
            labels=["reason"],
        )
        rejected.add_metric(["malformed"], s.lines_malformed)
        rejected.add_metric(["format"], m["lines_rejected"])
        yield rejected
        yield counter("logbert_lines_parsed", "Lines the engine parsed into events.",
                      m["lines_accepted"])  # fmt: skip
        yield counter("logbert_lines_unmatched", "Parsed lines that joined no session (no "
                      "session id, no field value, or no timestamp for time windows; not "
                      "scored).", m.get("lines_unmatched", 0))  # fmt: skip
        yield counter("logbert_events_late", "Events older than time windows already closed "
                      "(lines sent out of time order; not scored).", m["events_late"])  # fmt: skip
        yield gauge("logbert_templates_known", "Templates the model's parser knows.",
                    m["templates_known"])  # fmt: skip
        yield gauge("logbert_templates_new", "Templates mined since the model was trained.",
                    m["templates_new"])  # fmt: skip
        yield gauge("logbert_sessions_open", "Sessions open in the sessionizer.",
                    m["sessions_open"])  # fmt: skip
        yield gauge("logbert_sessions_pending", "Closed sessions waiting for their verdict.",
                    m["sessions_pending"])  # fmt: skip
        yield counter("logbert_sessions_closed", "Sessions closed.", m["sessions_closed"])
        yield counter("logbert_sessions_scored", "Sessions scored.", m["sessions_scored"])
        yield counter("logbert_sessions_flagged", "Scored sessions judged anomalous.",
                      m["sessions_flagged"])  # fmt: skip
        yield counter("logbert_silences_flagged",
                      "Silences (time windows a value wrote nothing in) longer than training's.",
                      m.get("silences_flagged", 0))  # fmt: skip
        yield counter("logbert_alerts", "Alerts raised.", m["alerts"])
        yield counter("logbert_alerts_early",
                      "Early alerts (new templates or keys never seen in training).",
                      m["alerts_early"])  # fmt: skip
        yield gauge("logbert_wal_backlog_batches", "Committed batches not processed yet.",
                    s.backlog)  # fmt: skip
        yield counter("logbert_batches_failed", "Batches the engine failed on (skipped).",
                      s.worker.failed)  # fmt: skip
        if s.webhook is not None:
            hook = s.webhook
            yield counter("logbert_webhook_sent", "Alerts the webhook receiver acknowledged.",
                          hook.sent)  # fmt: skip
            yield counter("logbert_webhook_failures",
                          "Failed webhook POSTs (refused, timeout, non-2xx), each retried.",
                          hook.failures)  # fmt: skip
            yield gauge("logbert_webhook_pending", "Stored alerts not acknowledged yet.",
                        hook.pending)  # fmt: skip


class _BearerAuth:
    """ASGI middleware: every path but /healthz needs `Authorization: Bearer TOKEN`."""

    def __init__(self, app: Any, token: str) -> None:
        self.app = app
        self.token = token.encode("utf-8")

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] == "/healthz":
            await self.app(scope, receive, send)
            return
        given = b""
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                scheme, _, credentials = value.partition(b" ")
                if scheme.lower() == b"bearer":
                    given = credentials.strip()
        if not hmac.compare_digest(given, self.token):
            response = JSONResponse(
                {"detail": "missing or wrong token: send `Authorization: Bearer TOKEN`"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def create_app(
    model_dir: str | Path,
    state_dir: str | Path | None = None,
    token: str | None = None,
    options: ServeOptions | None = None,
) -> FastAPI:
    """The app; the model and the state directory are loaded (and checked) here, so a bad
    model or another model's state directory is a `LogbertError` before anything listens.
    The engine thread starts with the app's lifespan (uvicorn, or `with TestClient(app)`)."""
    options = options or ServeOptions()
    service = Service(
        Path(model_dir), None if state_dir is None else Path(state_dir), token, options
    )

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(service.start)
        try:
            yield
        finally:
            await run_in_threadpool(service.close)

    app = FastAPI(
        title="logbert serve",
        summary="Streaming log anomaly detection: post log lines, read alerts.",
        version="1",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN: see /docs below
        redoc_url=None,
    )
    app.state.service = service
    if token:
        app.add_middleware(_BearerAuth, token=token)

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        """Liveness: 200 while the engine process runs (`ready` once its replay is done); 503
        with the reason when it stopped (e.g. it died: restart the server to resume)."""
        worker = service.worker
        ok = worker.alive and worker.error is None
        body = {"status": "ok" if ok else "engine stopped", "ready": worker.ready,
                "error": worker.error}  # fmt: skip
        return JSONResponse(body, status_code=200 if ok else 503)

    @app.post("/v1/logs", status_code=202)
    async def post_logs(
        request: Request, source: str = Query("http", description="Source name of the lines.")
    ) -> JSONResponse:
        """Append raw lines (text/plain) or records (NDJSON, JSON array) to the stream; 202
        once they are durable."""
        if service.backlog >= options.max_backlog:
            raise HTTPException(
                503,
                f"{service.backlog} batches wait for the engine (--max-backlog "
                f"{options.max_backlog}): retry later",
                headers={"Retry-After": "1"},
            )
        body = await _read_body(request, options.max_body)
        kind = _media_type(request)
        parser = service.pipeline.parser_  # the format it reads (also the one auto chose)
        whole = parser is not None and parser.fmt.name == JSON  # its lines are JSON objects
        segments, rejected, numbers = _records(body, kind, source, whole)
        received = sum(len(lines) for _, lines in segments)
        if not received:
            if rejected:
                await run_in_threadpool(service.count_malformed, len(rejected))
            raise HTTPException(
                400,
                {
                    "message": "no valid record in the body: every line was malformed"
                    + (
                        ""
                        if whole or kind in TEXT_TYPES
                        else " (a record is a JSON object with the log line as a string in "
                        "`message` or `log`, as log shippers send it; to send log lines as "
                        "they are, use Content-Type: text/plain)"
                    ),
                    "rejected": len(rejected),
                    "rejected_lines": rejected[:MAX_LISTED_REJECTS],
                },
            )
        unfit = await run_in_threadpool(service.unfit_lines, segments)
        batch_id = await run_in_threadpool(service.append, "lines", segments, len(rejected))
        listed = sorted({*rejected, *(numbers[i] for i in unfit)})  # body line numbers
        return JSONResponse(
            {
                "accepted": received - len(unfit),
                "rejected": len(rejected) + len(unfit),
                "rejected_lines": listed[:MAX_LISTED_REJECTS],
                "batch_id": batch_id,
            },
            status_code=202,
        )

    @app.post("/v1/flush")
    async def flush(
        timeout: float = Query(None, ge=0, description="Seconds to wait for the flush."),
    ) -> JSONResponse:
        """End of the stream: close and score every open session (as at the end of a file)."""
        batch_id = await run_in_threadpool(service.append, "flush", [], 0)
        wait = options.flush_timeout if timeout is None else timeout
        done = await run_in_threadpool(service.worker.wait_processed, batch_id, wait)
        body = {"batch_id": batch_id, "processed": done,
                "alerts": service.worker.metrics["alerts"]}  # fmt: skip
        return JSONResponse(body, status_code=200 if done else 202)

    @app.get("/v1/alerts")
    async def alerts(
        since: int = Query(
            0, ge=0, le=MAX_INT64, description="Alert id after which to start (cursor)."
        ),
        limit: int = Query(100, ge=1, le=1000),
    ) -> dict[str, Any]:
        """Alerts in order (the records `logbert watch` writes), paged by alert id."""
        records = await run_in_threadpool(service.store.alerts_after, since, limit)
        cursor = records[-1]["alert_id"] if records else since
        return {"alerts": _finite(records), "next": cursor, "more": len(records) == limit}

    @app.post("/v1/score")
    async def score(
        request: Request, source: str = Query("score", description="Source name of the lines.")
    ) -> JSONResponse:
        """Score sessions given inline, without touching the stream: raw lines (text/plain or
        `{"lines": [...]}`) or key sequences (`{"sessions": [{"session_id", "keys"}]}`)."""
        body = await _read_body(request, options.max_body)
        kind = _media_type(request)
        if kind in TEXT_TYPES:
            result = await run_in_threadpool(service.score_lines, _text_lines(body), source)
            return JSONResponse(result)
        if kind not in JSON_TYPES:
            raise HTTPException(415, f"send text/plain lines or application/json, not {kind}")
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise HTTPException(400, f"the body is not JSON: {exc}") from exc
        if isinstance(data, dict) and isinstance(data.get("lines"), list):
            lines = data["lines"]
            if not all(isinstance(x, str) for x in lines):
                raise HTTPException(400, '"lines" must be a list of strings')
            result = await run_in_threadpool(service.score_lines, lines, source)
        elif isinstance(data, dict) and isinstance(data.get("sessions"), list):
            result = await run_in_threadpool(service.score_sessions, _sessions(data["sessions"]))
        else:
            raise HTTPException(
                400, 'send {"lines": [LINE, ...]} or {"sessions": [{"session_id", "keys"}]}'
            )
        return JSONResponse(result)

    @app.get("/v1/stats")
    def stats() -> dict[str, Any]:
        """Engine counters and the write-ahead log's position."""
        return service.stats()

    @app.get("/metrics")
    def metrics() -> Response:
        """Prometheus text exposition."""
        return Response(generate_latest(service.registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """The endpoints as plain HTML (nothing fetched: it works offline)."""
        return HTMLResponse(docs_page(app.openapi()))

    return app


def docs_page(schema: dict[str, Any]) -> str:
    """One self-contained HTML page listing the endpoints of an OpenAPI `schema`: method,
    path, what it does (its docstring) and its query parameters, with a link to the schema."""
    info = schema.get("info", {})
    out = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{html.escape(str(info.get('title', 'API')))}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
        "code{background:#eee;padding:0 .2em}pre{white-space:pre-wrap}</style></head><body>",
        f"<h1>{html.escape(str(info.get('title', 'API')))}</h1>",
        f"<p>{html.escape(str(info.get('summary', '')))}</p>",
        "<p>The machine-readable schema: <a href='/openapi.json'>/openapi.json</a> (load it "
        "into any OpenAPI viewer or client generator).</p>",
    ]
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            out.append(f"<h2><code>{html.escape(method.upper())} {html.escape(path)}</code></h2>")
            text = operation.get("description") or operation.get("summary") or ""
            out.append(f"<pre>{html.escape(text)}</pre>")
            params = operation.get("parameters", [])
            if params:
                out.append("<ul>")
                for param in params:
                    kind = param.get("schema", {}).get("type", "")
                    note = param.get("description") or param.get("schema", {}).get("description")
                    out.append(
                        f"<li><code>{html.escape(str(param.get('name')))}</code> "
                        f"({html.escape(str(param.get('in')))} {html.escape(str(kind))})"
                        + (f": {html.escape(str(note))}" if note else "")
                        + "</li>"
                    )
                out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out)


# --- request bodies -------------------------------------------------------------------------


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def _read_body(request: Request, limit: int) -> bytes:
    too_big = HTTPException(
        413,
        f"the body is over the limit of {limit:,} bytes: send smaller batches "
        "(or raise --max-body)",  # fmt: skip
    )
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise too_big
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    body = b"".join(chunks)
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding == "gzip":
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            body = inflate.decompress(body, limit + 1)
        except zlib.error as exc:
            raise HTTPException(400, f"the body is not valid gzip: {exc}") from exc
        if len(body) > limit or inflate.unconsumed_tail:
            raise too_big
    elif encoding not in ("identity", ""):
        raise HTTPException(415, f"Content-Encoding {encoding} is not supported: use gzip")
    if not body.strip():
        raise HTTPException(
            400, "the body is empty: send log lines (text/plain, one per line) or NDJSON records"
        )
    return body


def _text_lines(body: bytes) -> list[str]:
    text = body.decode("utf-8", errors="replace")
    if text.endswith("\n"):
        text = text[:-1]
    return [line.removesuffix("\r") for line in text.split("\n")]


def _records(
    body: bytes, kind: str, source: str, whole: bool = False
) -> tuple[Segments, list[int], list[int]]:
    """(source, lines) runs in body order, the 1-based numbers of malformed records, and
    the number of the record each line of the runs came from, in their order (a record's
    message may hold several lines), to name the lines the log format rejects.
    `whole`: each record (a JSON object) is a log line itself (models of `--format json`)."""
    if kind in TEXT_TYPES:
        lines = _text_lines(body)
        return [(source, lines)], [], list(range(1, len(lines) + 1))
    if kind not in NDJSON_TYPES | JSON_TYPES:
        raise HTTPException(
            415,
            f"Content-Type {kind} is not supported: send text/plain (one line per line), "
            "application/x-ndjson or application/json",
        )
    text = body.decode("utf-8", errors="replace")
    items: list[tuple[int, Any]] = []
    raw: dict[int, str] = {}  # NDJSON: each record's own text (a whole record keeps it)
    rejected: list[int] = []
    if kind in JSON_TYPES and text.lstrip().startswith("["):
        try:
            array = json.loads(text)
        except ValueError as exc:
            raise HTTPException(400, f"the body is not a JSON array: {exc}") from exc
        items = list(enumerate(array, 1))
    else:
        for number, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                items.append((number, json.loads(line)))
            except ValueError:
                rejected.append(number)
            raw[number] = line.removesuffix("\r")
    segments: Segments = []
    numbers: list[int] = []
    for number, item in items:
        record = _whole_record(item, raw.get(number), source) if whole else _record(item, source)
        if record is None:
            rejected.append(number)
            continue
        where, lines = record
        numbers += [number] * len(lines)
        if segments and segments[-1][0] == where:
            segments[-1][1].extend(lines)
        else:
            segments.append((where, list(lines)))
    return segments, sorted(rejected), numbers


def _whole_record(item: Any, text: str | None, source: str) -> tuple[str, list[str]] | None:
    """A JSON object as one log line: its own text (NDJSON), or compact JSON (an array's
    item: one line whatever it holds)."""
    if not isinstance(item, dict):
        return None
    return source, [text if text is not None else json.dumps(item, separators=(",", ":"))]


def _record(item: Any, source: str) -> tuple[str, list[str]] | None:
    if isinstance(item, str):
        message = item
    elif isinstance(item, dict):
        message = item.get("message", item.get("log"))
        where = item.get("source", source)
        timestamp = item.get("timestamp")
        if not isinstance(where, str) or not where:
            return None
        if timestamp is not None and not isinstance(timestamp, str | int | float):
            return None
        source = where
    else:
        return None
    if not isinstance(message, str):
        return None
    message = message.removesuffix("\n").removesuffix("\r")
    return source, [line.removesuffix("\r") for line in message.split("\n")]


def _sessions(items: list[Any]) -> list[Session]:
    sessions = []
    for number, item in enumerate(items, 1):
        keys = item.get("keys") if isinstance(item, dict) else None
        if not isinstance(keys, list) or not all(
            isinstance(k, int) and not isinstance(k, bool) and abs(k) <= MAX_INT64 for k in keys
        ):
            raise HTTPException(
                400,
                f'session {number}: needs "keys", a list of integers (64-bit: at most '
                f"{MAX_INT64} in size)",
            )
        session_id = item.get("session_id", str(number - 1))
        sessions.append(Session(session_id=str(session_id), keys=keys))
    if not sessions:
        raise HTTPException(400, "no session given")
    return sessions


def _plain(rows: Any) -> Any:
    """Plain JSON (NumPy numbers, datetimes as text, NaN and infinities as null)."""
    return _finite(json.loads(json.dumps(rows, default=_default)))


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _default(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)
