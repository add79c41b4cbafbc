"""`logbert serve --webhook URL`: stored alerts POSTed in the Alertmanager (API v2/v4) shape.

A background thread reads the alerts table of the state database in alert-id order, after a
cursor kept in `meta` (`webhook_cursor`: the last alert id the receiver acknowledged with a
2xx), and POSTs them in groups of at most `batch` as a JSON list of

    {"labels": {"alertname": "logbert_anomaly", "session_id": ..., "model": ...},
     "annotations": {"summary": ..., "score": ..., "threshold": ..., "top_events": ...},
     "startsAt": ISO-8601, "generatorURL": ...}

(Alertmanager wants strings for label and annotation values). The cursor advances only after
a 2xx, in its own transaction, so a restart resumes after the last acknowledged alert: nothing
acknowledged is sent twice, nothing stored is skipped (a group that was delivered but whose
answer was lost is sent again: at-least-once, as Alertmanager expects). Any failure
(connection refused, timeout, a non-2xx answer) is counted and retried with exponential
back-off (`backoff` seconds, doubled per failure, capped at `max_backoff`). The thread only
reads alerts the engine thread has committed, so a slow or dead receiver never blocks
ingestion or processing; alerts wait in the database (`pending`).

`startsAt` is the time the sender first read the alert (the records carry no wall-clock
time; they are deterministic so that a replay gives the same ones).
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime
from typing import Any

from logbert.serving.wal import StateStore

log = logging.getLogger("logbert.serve")

CURSOR_KEY = "webhook_cursor"
ALERTNAME = "logbert_anomaly"


class WebhookSender:
    def __init__(
        self,
        store: StateStore,
        url: str,
        *,
        model: str,
        generator_url: str = "",
        batch: int = 100,
        timeout: float = 10.0,
        backoff: float = 0.5,
        max_backoff: float = 60.0,
        poll_seconds: float = 1.0,
    ) -> None:
        self.store = store
        self.url = url
        self.model = model
        self.generator_url = generator_url.rstrip("/")
        self.batch = max(1, batch)
        self.timeout = timeout
        self.backoff = backoff
        self.max_backoff = max(backoff, max_backoff)
        self.poll_seconds = poll_seconds
        self.cursor = int(store.get_meta(CURSOR_KEY) or 0)
        self.sent = 0  # alerts acknowledged by the receiver (this process)
        self.failures = 0  # failed POSTs (this process)
        self.last_error: str | None = None
        self._first_seen: dict[int, str] = {}  # alert id -> startsAt, kept across retries
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="logbert-webhook", daemon=True)

    # --- control (other threads) ------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def notify(self) -> None:
        """New alerts may have been stored."""
        self._wake.set()

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def pending(self) -> int:
        """Stored alerts not acknowledged yet (read from the database by the caller's thread)."""
        return self.store.count_alerts_after(self.cursor)

    # --- the thread -------------------------------------------------------------------------

    def _run(self) -> None:
        delay = self.backoff
        try:
            while not self._stop.is_set():
                alerts = self.store.alerts_after(self.cursor, self.batch)
                if not alerts:
                    self._wake.wait(self.poll_seconds)
                    self._wake.clear()
                    continue
                error = self._post(alerts)
                if error is None:
                    last = int(alerts[-1]["alert_id"])
                    self.store.set_meta(CURSOR_KEY, str(last))
                    self.cursor = last
                    self.sent += len(alerts)
                    for alert in alerts:
                        self._first_seen.pop(int(alert["alert_id"]), None)
                    delay = self.backoff
                    continue
                self.failures += 1
                self.last_error = error
                log.warning("webhook %s: %s; retrying in %.1f s", self.url, error, delay)
                self._stop.wait(delay)
                delay = min(delay * 2, self.max_backoff)
        except Exception:  # noqa: BLE001 - the sender must never take the server down
            log.exception("the webhook sender stopped")
        finally:
            self.store.close()

    def _post(self, alerts: list[dict[str, Any]]) -> str | None:
        """None when the receiver answered 2xx, else why not."""
        body = json.dumps([self.payload(a) for a in alerts], default=str).encode("utf-8")
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": "logbert-serve"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            return f"HTTP {exc.code}"
        except (OSError, ValueError) as exc:  # refused, reset, timeout, bad URL
            return f"{type(exc).__name__}: {exc}"
        return None if 200 <= status < 300 else f"HTTP {status}"

    def payload(self, alert: dict[str, Any]) -> dict[str, Any]:
        """One alert in the Alertmanager shape."""
        alert_id = int(alert["alert_id"])
        starts = self._first_seen.setdefault(
            alert_id, datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        )
        name = alert.get("score_name", "score")
        kind = "early alert" if alert.get("early") else "anomalous session"
        summary = f"logbert: {kind} {alert['session_id']} ({alert.get('reason', '')})"
        annotations = {
            "summary": summary,
            "score": _text(alert.get("score")),
            "threshold": _text(alert.get("threshold")),
            "top_events": top_events_text(alert.get("top_events") or []),
            "alert_id": str(alert_id),
            "score_name": str(name),
            "early": "true" if alert.get("early") else "false",
        }
        return {
            "labels": {
                "alertname": ALERTNAME,
                "session_id": str(alert["session_id"]),
                "model": self.model,
            },
            "annotations": annotations,
            "startsAt": starts,
            "generatorURL": f"{self.generator_url}/v1/alerts?since={alert_id - 1}&limit=1",
        }


def top_events_text(events: list[Any], limit: int = 3, width: int = 120) -> str:
    """`"line 12 (app.log): Receiving block <*>; ..."`: the first `limit` surprising events."""
    parts = []
    for event in events[:limit]:
        if not isinstance(event, dict):
            parts.append(str(event)[:width])
            continue
        text = str(event.get("template") or event.get("key") or "?")[:width]
        where = event.get("line_no")
        source = event.get("source")
        prefix = f"line {where}" if where is not None else ""
        if source and prefix:
            prefix += f" ({source})"
        parts.append(f"{prefix}: {text}" if prefix else text)
    return "; ".join(parts)


def _text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return "" if value is None else str(value)
