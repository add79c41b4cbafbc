"""The write-ahead log of `logbert serve`: accepted lines are durable before they are answered.

One SQLite database (`serve.sqlite` in the state directory, journal mode WAL, `synchronous =
FULL`) holds:

- `meta`: key/value text: the format version, the fingerprint of the model the state belongs
  to (and `model`: its `ModelIdentity` as JSON, so a new threshold alone can resume and a
  refusal names what changed), the id of the last batch processed (`processed`), the engine's
  counters after it (`engine_metrics`, JSON: what `/metrics` shows before the engine process
  reports), the batch id the last snapshot was taken after (`snapshot_batch`), and the
  ingestion counters of the HTTP layer (lines received, malformed lines rejected).
- `batches`: (`id`, `kind` (`lines` or `flush`), `segments` (JSON `[[source, [line, ...]],
  ...]`), `n_lines`, `received_at`): what clients sent, in order. `append()` commits a batch
  before the HTTP answer (202) is given.
- `alerts`: (`alert_id`, `session_id`, `early`, `batch_id`, `record`): the alert records
  (`record`: the JSON `logbert watch` writes), appended by `commit_processed()` in the SAME
  transaction that advances `processed`.

The engine snapshot (`DetectionEngine.snapshot()` JSON, megabytes when many sessions are open)
is a file beside it, `engine.snapshot` (a header line `{"batch": N}`, then the state), written
to a temporary file, fsynced and renamed, and only then are the batches it covers dropped.
It is not in the database so that writing it never holds SQLite's one write lock, which the
HTTP process needs for every batch it commits (a 3 MB snapshot held it for up to 150 ms).
It is only written for a batch already marked processed, so the snapshot is never ahead of
`processed`. (State dirs written before kept it in `meta.snapshot`; that one is read when
there is no file.)

So after a crash at any point: every batch answered 202 is in `batches`; the alerts of every
processed batch are stored exactly when `processed` says that batch was processed; every
batch after the snapshot is still in `batches`. A restart restores the snapshot and pushes the
batches after it again through the engine (it is deterministic, so they give the same alerts
with the same ids): the ones up to `processed` only rebuild the engine state (their alerts
are already stored and are not stored again), the later ones are new work. Alert ids are the
primary key, so an alert is never stored twice.

Two processes share the database: the HTTP process appends batches and reads alerts, the
engine process (`logbert.serving.process`) does the rest. The HTTP side opens its connections
without automatic checkpoints (`autocheckpoint=False`), so a POST never pays for copying the
log into the database file; the engine's connection checkpoints (passive: writers go on).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from logbert.errors import LogbertError
from logbert.model_files import read_json
from logbert.sessions.io import create_output_folder

DB_FILE = "serve.sqlite"
SNAPSHOT_FILE = "engine.snapshot"
WAL_VERSION = "1"
# the model files whose bytes make the fingerprint (a state dir belongs to one model)
FINGERPRINT_FILES = ("pipeline.json", "threshold.json", "parser.json", "config.json")
# pipeline.json's keys by the part of the model they describe; the others (model_id, training)
# and config.json describe the trained weights, threshold.json the threshold
PIPELINE_KEYS = {
    "parser": ("log_format", "year", "timestamp_format", "timezone", "parser", "template_set"),
    "session settings": ("sessionizer", "lifecycle"),
}

Segments = list[tuple[str, list[str]]]
# what starting over costs `serve` (said when a state cannot be resumed)
START_OVER = (
    "Pass another --state-dir (or remove that one) to start over: the sessions still open in "
    "it are lost, and alert ids start from 1 again (readers of GET /v1/alerts?since= must "
    "start from 0)"
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    segments TEXT NOT NULL,
    n_lines INTEGER NOT NULL,
    received_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS alerts (
    alert_id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL,
    early INTEGER NOT NULL,
    batch_id INTEGER NOT NULL,
    record TEXT NOT NULL
);
"""


def model_fingerprint(model_dir: Path) -> str:
    """sha256 over the model's description files (names and bytes) that exist."""
    digest = hashlib.sha256()
    for name in FINGERPRINT_FILES:
        path = Path(model_dir) / name
        if path.is_file():
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class ModelIdentity:
    """What a state directory records of its model: the fingerprint (`model_fingerprint`) and
    a hash of each part it is made of (`threshold`, `weights`, `parser`, `session settings`),
    with the threshold's value. A state whose model changed only its threshold (`logbert
    calibrate`) resumes: its sessions, template ids and read positions mean the same to the
    new one. Any other change is refused, naming the parts that changed (`check_resume`).
    `parts` is None for a state written before they were recorded."""

    fingerprint: str
    dir: str
    parts: dict[str, str] | None = None
    threshold: float | None = None

    @classmethod
    def of(cls, model_dir: Path) -> ModelIdentity:
        directory = Path(model_dir)

        def record(name: str) -> dict[str, Any]:  # {} for a file the model does not have
            path = directory / name
            return read_json(path, expect=dict) if path.is_file() else {}

        pipeline, threshold = record("pipeline.json"), record("threshold.json")
        own = {name: {k: pipeline.get(k) for k in keys} for name, keys in PIPELINE_KEYS.items()}
        claimed = {k for keys in PIPELINE_KEYS.values() for k in keys}
        contents = {
            "threshold": threshold,
            "weights": [
                record("config.json"),
                {k: v for k, v in pipeline.items() if k not in claimed},
            ],
            "parser": [record("parser.json"), own["parser"]],
            "session settings": own["session settings"],
        }
        parts = {
            name: hashlib.sha256(
                json.dumps(value, sort_keys=True, default=str).encode()
            ).hexdigest()[:16]
            for name, value in contents.items()
        }
        value = threshold.get("value")
        return cls(
            model_fingerprint(directory),
            str(directory),
            parts,
            float(value) if isinstance(value, int | float) else None,
        )

    @classmethod
    def from_dict(cls, stored: Any) -> ModelIdentity | None:
        """A recorded identity (`to_dict()`, or one of an older state: fingerprint and dir
        only); None when it records no fingerprint."""
        if not isinstance(stored, dict) or not isinstance(stored.get("fingerprint"), str):
            return None
        parts, threshold = stored.get("parts"), stored.get("threshold")
        return cls(
            stored["fingerprint"],
            str(stored.get("dir")),
            parts if isinstance(parts, dict) else None,
            float(threshold) if isinstance(threshold, int | float) else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def changed_since(self, stored: ModelIdentity) -> list[str] | None:
        """The parts of this model that differ from `stored` (None: it cannot tell)."""
        if self.parts is None or stored.parts is None:
            return None
        return [name for name, digest in self.parts.items() if stored.parts.get(name) != digest]


def check_resume(
    where: str, stored: ModelIdentity, mine: ModelIdentity, start_over: str
) -> str | None:
    """Whether a state written with the model `stored` may go on with `mine`: None when it is
    the same model, a `note:` line when only its threshold changed (from here on the new one
    judges), else a `LogbertError` naming what changed: another model's sessions hold its
    template ids and were cut by its settings, so this model would judge them wrongly.
    `start_over`: what starting over costs the caller (`watch` reads its logs again)."""
    if stored.fingerprint == mine.fingerprint:
        return None
    changed = mine.changed_since(stored)
    if changed is not None and set(changed) <= {"threshold"}:
        if not changed:  # the same content written otherwise
            return None
        if stored.threshold == mine.threshold:  # recalibrated to the same value
            return (
                "note: the model was recalibrated since this state was written (its threshold "
                f"is still {_number(mine.threshold)}): going on as before"
            )
        return (
            "note: the model's threshold changed since this state was written "
            f"({_number(stored.threshold)} -> {_number(mine.threshold)}): judging from here "
            "on with the new one"
        )
    what = (
        "which part changed cannot be told: the state was written by an earlier logbert"
        if changed is None
        else f"its {' and '.join(changed)} changed"
    )
    raise LogbertError(
        f"{where} belongs to another model ({stored.dir}, fingerprint {stored.fingerprint[:12]}, "
        f"this model {mine.fingerprint[:12]}; {what}): its open sessions and positions cannot "
        f"be resumed with this model (a model whose threshold alone changed can). {start_over}"
    )


def _number(value: float | None) -> str:
    return "none" if value is None else f"{value:.6g}"


@dataclass
class Batch:
    id: int
    kind: str  # "lines" or "flush"
    segments: Segments
    n_lines: int


class StateStore:
    """The state directory's database; one instance per process. Thread-safe: each thread
    gets its own SQLite connection (the HTTP handlers write batches, the engine the rest).
    `autocheckpoint=False` leaves checkpoints to the other process (the HTTP side);
    `eager_writer=True` (the engine side) asks for the write lock every 0.5 ms instead of
    SQLite's busy wait, whose sleeps grow to 100 ms: with POSTs arriving back to back the
    engine otherwise never found the lock free and processed nothing until they stopped."""

    def __init__(
        self,
        state_dir: Path,
        model: ModelIdentity,
        *,
        autocheckpoint: bool = True,
        eager_writer: bool = False,
    ) -> None:
        state_dir = Path(state_dir)
        if state_dir.exists() and not state_dir.is_dir():
            raise LogbertError(f"--state-dir {state_dir} is a file, not a folder")
        create_output_folder(state_dir, "--state-dir", directory=True)
        self.path = state_dir / DB_FILE
        self.snapshot_path = state_dir / SNAPSHOT_FILE
        self.autocheckpoint = autocheckpoint
        self.eager_writer = eager_writer
        self._local = threading.local()
        self._write_lock = threading.Lock()  # one writer at a time in this process
        # said at start-up when the state goes on with a new threshold (`check_resume`)
        self.resume_note: str | None = None
        try:
            db = self._db()
            db.executescript(_SCHEMA)
            with self._tx() as tx:
                stored = dict(tx.execute("SELECT key, value FROM meta").fetchall())
                if stored.get("version", WAL_VERSION) != WAL_VERSION:
                    raise LogbertError(
                        f"{self.path} has state version {stored['version']}, this logbert "
                        f"writes {WAL_VERSION}: use another --state-dir"
                    )
                if "fingerprint" in stored:
                    self.resume_note = check_resume(
                        f"--state-dir {state_dir}", _stored_model(stored), model, START_OVER
                    )
                if stored.get("fingerprint") != model.fingerprint:  # new, or a new threshold
                    _set(tx, "version", WAL_VERSION)
                    _set(tx, "fingerprint", model.fingerprint)
                    _set(tx, "model_dir", model.dir)
                    _set(tx, "model", json.dumps(model.to_dict()))
        except sqlite3.DatabaseError as exc:
            raise LogbertError(
                f"{self.path} is not a logbert serve state ({exc}): use another --state-dir"
            ) from exc

    # --- connections ----------------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            if not self.autocheckpoint:
                db.execute("PRAGMA wal_autocheckpoint=0")
            self._local.db = db
        return db

    class _Tx:
        def __init__(self, store: StateStore) -> None:
            self.store = store

        def __enter__(self) -> sqlite3.Connection:
            self.store._write_lock.acquire()
            try:
                self.db = self.store._db()
                if self.store.eager_writer:
                    _begin_eagerly(self.db)
                else:
                    self.db.execute("BEGIN IMMEDIATE")
            except BaseException:
                self.store._write_lock.release()
                raise
            return self.db

        def __exit__(self, kind: Any, *_: Any) -> None:
            try:
                self.db.execute("COMMIT" if kind is None else "ROLLBACK")
            finally:
                self.store._write_lock.release()

    def _tx(self) -> StateStore._Tx:
        return StateStore._Tx(self)

    def close(self) -> None:
        """Close this thread's connection."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # --- ingestion (HTTP side) -----------------------------------------------------------

    def append(self, kind: str, segments: Segments, rejected: int = 0) -> int:
        """Commit one batch (and the count of lines rejected before it); its id."""
        n_lines = sum(len(lines) for _, lines in segments)
        with self._tx() as tx:
            cursor = tx.execute(
                "INSERT INTO batches (kind, segments, n_lines, received_at) VALUES (?, ?, ?, ?)",
                (kind, json.dumps(segments, separators=(",", ":")), n_lines, time.time()),
            )
            _add(tx, "lines_received", n_lines)
            if rejected:
                _add(tx, "lines_malformed", rejected)
            return int(cursor.lastrowid)

    def add_rejected(self, count: int) -> None:
        """Count malformed lines of a request that had no valid line."""
        with self._tx() as tx:
            _add(tx, "lines_malformed", count)

    # --- processing (worker side) ---------------------------------------------------------

    def meta(self) -> dict[str, str]:
        return dict(self._db().execute("SELECT key, value FROM meta").fetchall())

    def snapshot(self) -> tuple[dict[str, Any] | None, int]:
        """The last engine snapshot (None when none) and the batch id it was taken after."""
        try:
            with open(self.snapshot_path, encoding="utf-8") as handle:
                header, state = handle.readline(), handle.read()
        except FileNotFoundError:
            meta = self.meta()  # a state dir of an older logbert
            state = json.loads(meta["snapshot"]) if "snapshot" in meta else None
            return state, int(meta.get("snapshot_batch", 0))
        try:
            return json.loads(state), int(json.loads(header)["batch"])
        except (ValueError, KeyError, TypeError) as exc:
            raise LogbertError(
                f"{self.snapshot_path} is not an engine snapshot ({exc}): remove the state "
                "directory to start over"
            ) from exc

    def snapshot_batch(self) -> int:
        """The batch id the last snapshot was taken after (its header line only)."""
        try:
            with open(self.snapshot_path, encoding="utf-8") as handle:
                return int(json.loads(handle.readline())["batch"])
        except FileNotFoundError:
            return int(self.meta().get("snapshot_batch", 0))
        except (ValueError, KeyError, TypeError):
            return 0  # `snapshot()` says what is wrong with it

    def save_snapshot(self, batch_id: int, state: dict[str, Any]) -> None:
        """Make `state` (taken after `batch_id`, which must be marked processed already) the
        snapshot, durably, then drop the batches it covers. A crash in between leaves those
        batches to the next snapshot's drop; a restart starts from the new file."""
        self.write_snapshot_file(batch_id, state)
        self.drop_through(batch_id)

    def write_snapshot_file(self, batch_id: int, state: dict[str, Any]) -> None:
        """The durable half of `save_snapshot`: the file, fsynced and renamed into place."""
        text = json.dumps(state, separators=(",", ":"), default=str)
        partial = self.snapshot_path.with_suffix(".partial")
        with open(partial, "w", encoding="utf-8") as handle:
            handle.write(json.dumps({"batch": batch_id}) + "\n")
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, self.snapshot_path)
        folder = os.open(self.snapshot_path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)  # the rename itself is durable
        finally:
            os.close(folder)

    def drop_through(self, batch_id: int) -> None:
        """The other half: record the snapshot's batch and drop the batches it covers."""
        with self._tx() as tx:
            _set(tx, "snapshot_batch", str(batch_id))
            tx.execute("DELETE FROM meta WHERE key = 'snapshot'")  # an older logbert's
            tx.execute("DELETE FROM batches WHERE id <= ?", (batch_id,))

    def processed(self) -> int:
        return int(self.meta().get("processed", 0))

    def last_batch(self) -> int:
        """The id of the last batch ever appended (0 before the first). Read from SQLite's
        AUTOINCREMENT record, not MAX(id): a snapshot drops the batches it covers, and a
        restarted server then read 0 (and printed a negative count of batches to process)."""
        row = (
            self._db().execute("SELECT seq FROM sqlite_sequence WHERE name = 'batches'").fetchone()
        )
        return int(row[0]) if row else 0

    def batches_after(self, after: int, limit: int = 64) -> list[Batch]:
        rows = (
            self._db()
            .execute(
                "SELECT id, kind, segments, n_lines FROM batches WHERE id > ? ORDER BY id LIMIT ?",
                (after, limit),
            )
            .fetchall()
        )
        return [
            Batch(int(i), kind, [(s, list(lines)) for s, lines in json.loads(seg)], int(n))
            for i, kind, seg, n in rows
        ]

    def iter_batches_after(self, after: int, through: int | None = None) -> Iterator[Batch]:
        while True:
            batches = self.batches_after(after)
            for batch in batches:
                if through is not None and batch.id > through:
                    return
                yield batch
            if not batches:
                return
            after = batches[-1].id

    def commit_processed(
        self,
        batch_id: int,
        alerts: Sequence[dict[str, Any]],
        failed: str | None = None,
        metrics: dict[str, Any] | None = None,
    ) -> int:
        """Store `alerts` and mark `batch_id` processed (with the engine's `metrics` after
        it), in one transaction. Alerts whose id is already stored are skipped; returns how
        many were stored."""
        stored = 0
        with self._tx() as tx:
            for alert in alerts:
                cursor = tx.execute(
                    "INSERT OR IGNORE INTO alerts VALUES (?, ?, ?, ?, ?)",
                    (
                        int(alert["alert_id"]),
                        str(alert["session_id"]),
                        int(bool(alert.get("early"))),
                        batch_id,
                        json.dumps(alert, default=str),
                    ),
                )
                stored += cursor.rowcount
            _set(tx, "processed", str(batch_id))
            if metrics is not None:
                _set(tx, "engine_metrics", json.dumps(metrics, default=str))
            if failed is not None:
                _add(tx, "batches_failed", 1)
                _set(tx, "last_failure", f"batch {batch_id}: {failed}")
        return stored

    def engine_metrics(self) -> dict[str, Any] | None:
        """The engine's counters after the last processed batch (None before the first)."""
        text = self.get_meta("engine_metrics")
        return None if text is None else json.loads(text)

    # --- reading alerts -------------------------------------------------------------------

    def alerts_after(self, since: int, limit: int) -> list[dict[str, Any]]:
        rows = (
            self._db()
            .execute(
                "SELECT record FROM alerts WHERE alert_id > ? ORDER BY alert_id LIMIT ?",
                (since, limit),
            )
            .fetchall()
        )
        return [json.loads(record) for (record,) in rows]

    def count_alerts_after(self, since: int) -> int:
        row = self._db().execute("SELECT COUNT(*) FROM alerts WHERE alert_id > ?", (since,))
        return int(row.fetchone()[0])

    def get_meta(self, key: str) -> str | None:
        row = self._db().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Set one `meta` value in its own transaction (e.g. the webhook's cursor)."""
        with self._tx() as tx:
            _set(tx, key, value)

    def last_alert_id(self) -> int:
        row = self._db().execute("SELECT MAX(alert_id) FROM alerts").fetchone()
        return int(row[0] or 0)


def _stored_model(meta: dict[str, str]) -> ModelIdentity:
    """The model a state's `meta` records (fingerprint and folder only before `model`)."""
    try:
        recorded = ModelIdentity.from_dict(json.loads(meta.get("model", "null")))
    except ValueError:
        recorded = None
    return recorded or ModelIdentity(meta["fingerprint"], str(meta.get("model_dir")))


def _begin_eagerly(db: sqlite3.Connection, timeout: float = 30.0) -> None:
    """BEGIN IMMEDIATE, retried every 0.5 ms while another process writes (up to `timeout`)."""
    db.execute("PRAGMA busy_timeout = 0")
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.0005)
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")


def _set(tx: sqlite3.Connection, key: str, value: str) -> None:
    tx.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))


def _add(tx: sqlite3.Connection, key: str, count: int) -> None:
    tx.execute(
        "INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
        "value = CAST(CAST(value AS INTEGER) + ? AS TEXT)",
        (key, str(count), count),
    )
