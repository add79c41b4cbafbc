"""`logbert serve`: the streaming detector as an HTTP service (see `logbert.serving.http`).

Log shippers (Fluent Bit, Vector, curl) POST lines to /v1/logs; each batch is committed to a
write-ahead log in the state directory before it is answered (202), an engine process turns
the batches into alerts (GET /v1/alerts), and a restart (even after kill -9) resumes from the
last snapshot without losing a line or repeating an alert. Binds 127.0.0.1 unless told
otherwise; any other address needs a token.

The port is bound before anything is loaded or announced, so a port in use is a clear error
(exit 2), and `--port 0` announces the port it got; uvicorn then serves on that socket.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import typer

from logbert.cli.inputs import finite_threshold, say
from logbert.errors import LogbertError


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _shown(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to (host, port), as uvicorn binds one (IPv6 when the host has a colon,
    SO_REUSEADDR); a `LogbertError` that names the port and what to do when it cannot be."""
    if not 0 <= port <= 65535:
        raise LogbertError(f"--port {port}: pass a port from 1 to 65535 (0: any free port)")
    address = host.strip("[]")
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise LogbertError(
                f"port {port} on {host} is already in use (another server, or a `logbert "
                "serve` still running): stop that process or pass another --port (--port 0 "
                "picks a free one)"
            ) from exc
        reason = exc.strerror or str(exc)
        raise LogbertError(
            f"cannot listen on {_shown(host)}:{port} ({reason}): pass another --host or --port"
        ) from exc
    return sock


def _serve(app: Any, sock: socket.socket, log_level: str) -> None:
    """uvicorn on the socket bound already, until SIGINT / SIGTERM (what `uvicorn.run` does
    with a host and port: a Ctrl-C is a clean stop, not an error)."""
    import uvicorn

    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(uvicorn.Config(app, log_level=log_level)).run(sockets=[sock])


def command(
    model_dir: Path = typer.Argument(
        ..., help="Model directory written by `logbert train --logs`."
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind."),
    port: int = typer.Option(8080, "--port", help="Port to bind (0: any free port)."),
    state_dir: Path | None = typer.Option(
        None,
        "--state-dir",
        help="Write-ahead log, alerts and engine snapshots; resumed on restart (default: a "
        "temporary folder removed at exit, so nothing survives a restart).",
    ),
    token: str | None = typer.Option(
        None,
        "--token",
        envvar="LOGBERT_TOKEN",
        help="Require `Authorization: Bearer TOKEN` on every endpoint but /healthz (required "
        "with a non-loopback --host).",
    ),
    max_body: int = typer.Option(8 << 20, "--max-body", help="Largest request body in bytes."),
    max_backlog: int = typer.Option(
        10_000, "--max-backlog", help="Batches waiting for the engine before POSTs get 503."
    ),
    snapshot_every: int = typer.Option(
        50, "--snapshot-every", help="Snapshot the engine every N batches (bounds the replay)."
    ),
    snapshot_seconds: float = typer.Option(
        5.0, "--snapshot-seconds", help="... or every this many seconds."
    ),
    idle_timeout: str | None = typer.Option(
        None,
        "--idle-timeout",
        help="Close id sessions quiet this long in log time (e.g. 1h), overriding the model's "
        "setting. A closed session is judged once the log has moved the model's session "
        "lifetime past its start (the start note says how long), as `score --logs` judges "
        "it, or at POST /v1/flush.",
    ),
    threshold: float | None = typer.Option(
        None, "--threshold", help="Decision threshold.", callback=finite_threshold
    ),
    top_events: int = typer.Option(3, "--top-events", help="Surprising positions per alert."),
    no_early: bool = typer.Option(
        False,
        "--no-early",
        help="No early alerts for running sessions with a new template or a key never seen "
        "in training.",
    ),
    webhook: str | None = typer.Option(
        None,
        "--webhook",
        help="POST alerts to this URL in the Alertmanager JSON shape (e.g. "
        "http://alertmanager:9093/api/v2/alerts), in order, retried with back-off; the "
        "cursor is kept in the state dir, so a restart resumes where the receiver stopped.",
    ),
    log_level: str = typer.Option("warning", "--log-level", help="uvicorn's log level."),
) -> None:
    """Serve the model over HTTP: POST log lines, GET alerts (durable across restarts)."""
    if token is not None and not token.strip():
        raise LogbertError("--token (or LOGBERT_TOKEN) is empty: pass a secret string")
    if not is_loopback(host) and not token:
        raise LogbertError(
            f"--host {host} is reachable from other machines: pass --token TOKEN (or set "
            "LOGBERT_TOKEN) so that only clients with the token can post and read, or bind "
            "127.0.0.1"
        )
    if token and len(token) < 16:
        say("note: the token is shorter than 16 characters; use a long random one")
    if max_body < 1 or max_backlog < 1 or snapshot_every < 1 or snapshot_seconds <= 0:
        raise LogbertError(
            "--max-body, --max-backlog and --snapshot-every must be at least 1 and "
            "--snapshot-seconds above 0"
        )
    if webhook is not None and urlsplit(webhook).scheme not in ("http", "https"):
        raise LogbertError(f"--webhook {webhook}: pass an http:// or https:// URL")
    if webhook is not None and not urlsplit(webhook).hostname:
        raise LogbertError(f"--webhook {webhook}: the URL has no host")
    from logbert.serving.http import ServeOptions

    options = ServeOptions(
        max_body=max_body,
        max_backlog=max_backlog,
        snapshot_every=snapshot_every,
        snapshot_seconds=snapshot_seconds,
        threshold=threshold,
        top_events=top_events,
        early_alerts=not no_early,
        idle_timeout=idle_timeout,
        webhook=webhook,
    )
    sock = listening_socket(host, port)  # before anything is loaded: a port in use is exit 2
    url = f"http://{_shown(host)}:{sock.getsockname()[1]}"  # the port --port 0 got
    options.webhook_generator_url = url
    try:
        app = _started_app(model_dir, state_dir, token, options)
    except BaseException:
        sock.close()
        raise
    say(f"serving {model_dir} on {url} (endpoints at /docs, schema at /openapi.json, Ctrl-C "
        "to stop)")  # fmt: skip
    _serve(app, sock, log_level)


def _started_app(model_dir: Path, state_dir: Path | None, token: str | None, options: Any) -> Any:
    """The app with its engine process started, after the start lines (state, notes)."""
    from logbert.serving.http import create_app

    app = create_app(model_dir, state_dir, token=token, options=options)
    service = app.state.service
    worker = service.worker
    where = "a temporary folder (nothing survives a restart)" if service.temporary \
        else str(service.state_dir)  # fmt: skip
    say(
        f"state in {where}: {worker.processed} batches processed, snapshot after batch "
        f"{worker.snapshot_batch}, {service.backlog} to process"
    )
    if service.resume_note:  # the model's threshold changed since the state was written
        say(service.resume_note)
    for warning in service.pipeline.load_warnings_:  # as `load_pipeline` says them
        say(warning)
    if service.verdict_note:
        say(service.verdict_note)
    if options.webhook:
        say(f"alerts are posted to {options.webhook} (Alertmanager shape)")
    try:
        service.start()  # the engine process restores its state: a bad one exits 2 here
    except BaseException:
        service.close()
        raise
    return app
