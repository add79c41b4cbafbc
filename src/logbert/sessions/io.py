"""Read and write sessions: the one place every later stage gets its input from.

Three on-disk formats:

- Parquet (`.parquet`): columns `session_id` (string), `keys` (list<int64>), `start`, `end`
  (timestamp, nullable), `n_lines` (int64, nullable), `label` (string: normal/anomaly/null),
  and only when some session has categories, `labels` (list<string>, nullable).
- JSON Lines (`.jsonl`): one object per session with the same fields (`labels` only on the
  sessions that have categories).
- DeepLog sequence file (anything else): one session per line, space-separated integer keys;
  `session_id` is the 0-based line index and there are no labels. A blank line is not a
  session: it is skipped (the other lines keep their index as id) and the count said on stderr.
  A key is ASCII `-?[0-9]+` within int64 (`KEY_MIN`..`KEY_MAX`, as in every format): `int()`
  alone would read `2_1` or `٢١` as 21, and numpy wraps larger keys into other ones.

The text formats (JSON Lines, DeepLog, the `.json` shape) may be gzip-compressed (told by the
magic bytes, as raw logs are: `parsing.reader.iter_chunks`).

Reading also accepts a `.json` file of the shape
`{"normal_sessions": [[keys...], ...], "anomaly_sessions": [[keys...], ...]}`.

Readers stream: `iter_session_batches` yields lists of `Session` and never holds the whole file
(except the `.json` shape, which is one JSON document). What a verdict must not rest on is
refused while reading (`_checked`): a Parquet or JSON Lines session without a session_id (or
with null keys, or keys that are not integers: text, booleans, nulls inside the list) is an
error naming the row or line, as is a session id that comes twice in one file with the same
`start` (scores, labels and reports are joined by id). `start`/`end` may be timestamps, ISO 8601
text or epoch seconds, in either format; all are read as naive UTC, and anything else is an
error naming the field. A Parquet file read as a text format (`--input-format jsonl`) is named
as Parquet. Only a hash per session
is kept for that, and the file is read again to name the first line only when one repeats. The
same id with another start is allowed: `sessionize --idle-timeout` writes an id that comes back
after its session was written as a new session. Sessions with no keys are kept (scored as empty
sessions) and counted in one `warning: ` line on stderr, once per file and process.

Parquet sessions files also carry schema metadata under `logbert.*` keys (e.g.
`logbert.template_set`, copied from the events file), so a later stage can tell which template
set the keys refer to; `read_file_metadata` reads it back. A `Session` may hold `lines` (the raw
(source, line_no) behind each key) in memory; no file format stores it.

Labels come in three shapes, one meaning: a session is anomalous iff it has a category other
than `normal`. Binary: `label` is normal/anomaly (0/1, true/false, benign/attack, ok/fail,
negative/positive: `LABEL_SPELLINGS`). Multi-class: `label`
holds a category name (`KERNDTLB` = anomaly with categories ["KERNDTLB"]). Multi-label: the
`labels` column holds the list of categories ([] = normal). `Session.label` is always the
binary label (what every detector and threshold uses); `Session.categories` keeps the names
(None when the file gave none: `session_categories` then derives [] or ["anomaly"] from the
binary label). A label that looks like a misspelt normal/anomaly ("anomly") is an error, not
a new category: a typo must not turn normal sessions into anomalies silently.

Path problems (a folder, a parent that cannot be created, a file where a folder should be) are
`LogbertError`s naming the path, never tracebacks; `check_output_path` lets a command refuse a
bad output before it does any work, and `create_output_folder` turns the OS's refusals it could
not foresee into the same kind of error.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from logbert.errors import LogbertError
from logbert.parsing.auto import show_line
from logbert.parsing.reader import iter_chunks
from logbert.parsing.templates import TEMPLATE_SET_KEY, template_set_templates

NORMAL = "normal"
ANOMALY = "anomaly"
INPUT_FORMATS = ("parquet", "jsonl", "json", "deeplog")
OUTPUT_FORMATS = ("parquet", "jsonl", "deeplog")
DEFAULT_BATCH_SIZE = 8192
_WRITE_CHUNK_KEYS = 1_000_000
# a log key is a signed 64-bit integer (`keys` is list<int64>; numpy wraps anything beyond)
KEY_MIN, KEY_MAX = -(2**63), 2**63 - 1
# a DeepLog key token: ASCII digits only (int() would also read 2_1, +21 and ٢١ as 21)
_KEY_TOKEN = re.compile(r"-?[0-9]+")

SESSION_SCHEMA = pa.schema(
    [
        ("session_id", pa.string()),
        ("keys", pa.list_(pa.int64())),
        ("start", pa.timestamp("us")),
        ("end", pa.timestamp("us")),
        ("n_lines", pa.int64()),
        ("label", pa.string()),
    ]
)
LABELS_FIELD = pa.field("labels", pa.list_(pa.string()))
CATEGORY_SCHEMA = SESSION_SCHEMA.append(LABELS_FIELD)

# every binary label spelling taken (lower case) -> its meaning: the public datasets' and the
# usual pairs of classifiers and security data (benign/attack, ok/fail, negative/positive).
# yes/no is not one: whether "yes" means "is anomalous" or "is normal" depends on the question
# the column answered, so such a file is refused (`labels.read_labels`) rather than guessed.
LABEL_SPELLINGS = {
    "normal": NORMAL,
    "0": NORMAL,
    "false": NORMAL,
    "-": NORMAL,
    "benign": NORMAL,
    "ok": NORMAL,
    "negative": NORMAL,
    "anomaly": ANOMALY,
    "abnormal": ANOMALY,
    "anomalous": ANOMALY,
    "1": ANOMALY,
    "true": ANOMALY,
    "attack": ANOMALY,
    "fail": ANOMALY,
    "positive": ANOMALY,
}
# a cell saying nothing is known: the session (or line) stays unlabelled, rather than
# `unknown` or `N/A` becoming an anomaly category
NO_LABEL = frozenset(
    {"", "none", "null", "nan", "unknown", "n/a", "#n/a", "na", "?", "tbd", "unlabelled"}
)

# what a misspelt binary label is compared with (parse_label)
_LABEL_WORDS = ("normal", "anomaly", "abnormal", "anomalous")


@dataclass(slots=True)
class Session:
    """One session: the ordered log keys of a block id or a time window."""

    session_id: str
    keys: list[int]
    label: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    n_lines: int | None = field(default=None)
    # (source, line_no) of the line behind each key, in key order; only when sessionized with
    # track_lines=True from events that have those columns. Never written to files.
    lines: list[tuple[str, int]] | None = None
    # anomaly categories (sorted, distinct, never "normal"): [] normal, None not given (the
    # binary `label` is then all that is known; see `session_categories`)
    categories: list[str] | None = None

    @property
    def is_anomaly(self) -> bool | None:
        """True/False for labelled sessions, None when the label is unknown."""
        return None if self.label is None else self.label == ANOMALY


def normalize_label(value: object) -> str | None:
    """Map the label spellings found in public datasets onto normal/anomaly/None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ANOMALY if value else NORMAL
    text = str(value).strip().lower()
    if text in NO_LABEL:
        return None
    if text not in LABEL_SPELLINGS:
        raise LogbertError(f"unknown session label {value!r}: use {label_spellings()}")
    return LABEL_SPELLINGS[text]


def label_spellings() -> str:
    """The binary spellings taken, for messages: `normal (or 0, false, ...) or anomaly (...)`."""
    spelt = {
        meaning: ", ".join(s for s, m in LABEL_SPELLINGS.items() if m == meaning and s != meaning)
        for meaning in (NORMAL, ANOMALY)
    }
    return f"normal (or {spelt[NORMAL]}) / anomaly (or {spelt[ANOMALY]}), any case"


def parse_label(value: object) -> tuple[str | None, list[str] | None]:
    """(binary label, categories) of one `label` cell: a binary spelling gives no categories,
    any other name is one anomaly category (see the module doc)."""
    if value is None or isinstance(value, bool):
        return normalize_label(value), None
    text = str(value).strip()
    if text.lower() in LABEL_SPELLINGS or text.lower() in NO_LABEL:
        return normalize_label(text), None
    close = difflib.get_close_matches(text.lower(), _LABEL_WORDS, n=1, cutoff=0.75)
    if close:
        raise LogbertError(
            f"unknown session label {value!r}: did you mean {close[0]!r}? (any other name is "
            "taken as an anomaly category, so a misspelt normal/anomaly is refused)"
        )
    return ANOMALY, [text]


def parse_categories(value: object) -> list[str] | None:
    """A `labels` cell as sorted distinct categories without "normal" ([] = normal, None =
    not given); anything but a list of non-empty strings is a `LogbertError`."""
    if value is None:
        return None
    if not isinstance(value, list | tuple):
        raise LogbertError(
            f"'labels' must be a list of category names (e.g. [\"KERNDTLB\"], [] for normal), "
            f"not {type(value).__name__} {value!r}"
        )
    bad = [v for v in value if not isinstance(v, str) or not v.strip()]
    if bad:
        raise LogbertError(
            f"'labels' must hold category names (non-empty strings); got {bad[0]!r} "
            f"({type(bad[0]).__name__}) in {list(value)!r}"
        )
    return sorted({v.strip() for v in value if v.strip().lower() != NORMAL})


def session_labels(label: object, labels: object = None) -> tuple[str | None, list[str] | None]:
    """(binary label, categories) from a row's `label` and `labels` cells; they must agree."""
    binary, categories = parse_label(label)
    listed = parse_categories(labels)
    if listed is None:
        return binary, categories
    implied = ANOMALY if listed else NORMAL
    if binary is not None and binary != implied:
        raise LogbertError(
            f"label {label!r} disagrees with labels {listed!r} (a session is anomalous iff it "
            "has a category other than normal)"
        )
    return implied, listed


def session_categories(session: Session) -> list[str] | None:
    """A session's categories: its own, else [] (normal) or ["anomaly"] from the binary label,
    None when unlabelled."""
    if session.categories is not None:
        return list(session.categories)
    if session.label is None:
        return None
    return [] if session.label == NORMAL else [ANOMALY]


def detect_format(path: str | Path, input_format: str | None = None) -> str:
    """The format named by `input_format`, else the one implied by the file extension."""
    if input_format is not None:
        if input_format not in INPUT_FORMATS:
            raise LogbertError(
                f"unknown sessions format {input_format!r}; valid: {', '.join(INPUT_FORMATS)}"
            )
        return input_format
    name = Path(str(path)).name.lower().removesuffix(".gz")  # text formats are read gzipped too
    suffix = Path(name).suffix
    return {".parquet": "parquet", ".jsonl": "jsonl", ".json": "json"}.get(suffix, "deeplog")


def iter_session_batches(
    path: str | Path,
    input_format: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[list[Session]]:
    """Stream sessions from `path` in batches of at most `batch_size`."""
    fmt = detect_format(path, input_format)
    if str(path) != "-" and not Path(path).exists():
        raise LogbertError(f"sessions file not found: {path}")
    if str(path) != "-" and Path(path).is_dir():
        raise _folder_error(path)
    batch: list[Session] = []
    for session in _checked(path, fmt):
        batch.append(session)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def read_sessions(path: str | Path, input_format: str | None = None) -> list[Session]:
    """Read all sessions of a file (for training-size inputs; score with the batch iterator)."""
    return [s for batch in iter_session_batches(path, input_format) for s in batch]


def write_sessions(
    sessions: Iterable[Session],
    path: str | Path,
    output_format: str | None = None,
    metadata: dict[bytes | str, bytes | str] | None = None,
) -> int:
    """Write sessions in the format given (or implied by the extension); returns the count.

    `metadata` goes into the Parquet schema metadata (other formats have no place for it).
    A path that cannot be written is a `LogbertError` naming it.
    """
    fmt = output_format or detect_format(path)
    if fmt not in OUTPUT_FORMATS:
        raise LogbertError(f"cannot write sessions as {fmt!r}; valid: {', '.join(OUTPUT_FORMATS)}")
    path = Path(path)
    check_sessions_output(path)
    create_output_folder(path, "sessions file")
    if fmt == "parquet":
        return _write_parquet(sessions, path, metadata)
    writer = {"jsonl": _write_jsonl, "deeplog": _write_deeplog}[fmt]
    return writer(sessions, path)


def check_sessions_output(path: Path) -> None:
    """`check_output_path` for a sessions file, which is written uncompressed: a `.gz` name
    would lie about its content (logbert reads gzipped sessions, but writes plain)."""
    path = Path(path)
    if path.name.lower().endswith(".gz"):
        raise LogbertError(
            f"{path}: sessions files are written uncompressed: drop the .gz (and gzip the file "
            "afterwards; logbert reads it gzipped)"
        )
    check_output_path(path, "sessions file")


def check_output_path(path: Path, what: str, *, directory: bool = False) -> None:
    """Refuse an output path that cannot be written, before any work is done.

    `what` names the output in the message (e.g. "sessions file"). Refused: a folder (or, with
    `directory=True` for outputs that are folders, a file), a parent that cannot be created (a
    file stands where a folder should be) and a folder that is not writable. Missing folders
    are fine (writers create them); nothing is created here.
    """
    path = Path(path)
    if directory:
        if path.exists() and not path.is_dir():
            raise LogbertError(f"{what} {path} is a file, not a folder: give a folder name")
    elif path.is_dir():
        raise LogbertError(f"{what} {path} is a folder: give a file name")
    ancestor = path if directory else path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise LogbertError(
            f"cannot write {what} {path}: {ancestor} is a file, so the folder cannot be created"
        )
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise LogbertError(f"cannot write {what} {path}: folder {ancestor} is not writable")
    if not directory and path.exists() and not os.access(path, os.W_OK):
        raise LogbertError(f"cannot write {what} {path}: the file is not writable")


def create_output_folder(path: Path, what: str, *, directory: bool = False) -> None:
    """Create the folder an output goes in (the output itself with `directory=True`).

    `check_output_path` cannot foresee every refusal: root passes its access check under
    /proc, and a read-only mount or a full disk shows only on creating (QA: `train -o /proc/x`
    ended in a FileNotFoundError traceback, exit 1). Any `OSError` here is the same user
    error as a file in the way: it names the output, the folder and the OS's reason.
    """
    path = Path(path)
    folder = path if directory else path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LogbertError(
            f"cannot write {what} {path}: the folder {folder} cannot be created "
            f"({_os_reason(exc)}); give a path in a folder you can create and write to"
        ) from exc


@contextmanager
def removed_if_failed(output: Path) -> Iterator[None]:
    """Around a run that writes `output`: where it fails, the folders above `output` that did
    not exist before are removed again while empty, innermost first (QA nginx: a failed
    `parse` left an empty folder behind)."""
    created = [d for d in [Path(output).parent, *Path(output).parent.parents] if not d.exists()]
    try:
        yield
    except BaseException:
        for folder in created:
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        raise


def _os_reason(exc: OSError) -> str:
    """The OS's words for a refusal, naming the path it refused (which may be a parent)."""
    if exc.strerror and exc.filename is not None:
        return f"{exc.filename}: {exc.strerror}"
    return exc.strerror or str(exc)


def recorded_templates(path: str | Path) -> dict[int, str]:
    """The template text a sessions file records (its parse run's template set: keys mined
    after a model's training have their text only there); {} for JSON Lines and DeepLog
    files, which record none."""
    raw = read_file_metadata(path).get(TEMPLATE_SET_KEY)
    return template_set_templates(raw) if raw else {}


def read_file_metadata(path: str | Path) -> dict[str, str]:
    """The `logbert.*` Parquet schema metadata of a sessions file, decoded; {} for other
    formats and for standard input."""
    if str(path) == "-" or detect_format(path) != "parquet":
        return {}
    path = Path(path)
    if not path.exists():
        raise LogbertError(f"sessions file not found: {path}")
    if path.is_dir():
        raise _folder_error(path)
    try:
        return parquet_logbert_metadata(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise LogbertError(f"{path}: not a readable parquet file ({exc})") from exc


def parquet_logbert_metadata(path: str | Path) -> dict[str, str]:
    """Schema metadata keys starting with `logbert.` (decoded as UTF-8); raises pyarrow's errors."""
    metadata = pq.read_schema(path).metadata or {}
    return {
        key.decode("utf-8", "replace"): value.decode("utf-8", "replace")
        for key, value in metadata.items()
        if key.startswith(b"logbert.")
    }


def session_to_dict(session: Session) -> dict:
    """JSON-ready dict of a session (timestamps as ISO strings in UTC with their `Z`, as the
    score rows write them: QA Vault, the sessions file's times had none; `labels` only when
    the session has categories)."""
    out = {
        "session_id": session.session_id,
        "keys": list(session.keys),
        "start": session.start.isoformat() + "Z" if session.start else None,
        "end": session.end.isoformat() + "Z" if session.end else None,
        "n_lines": session.n_lines,
        "label": session.label,
    }
    if session.categories is not None:
        out["labels"] = list(session.categories)
    return out


# --- readers ---------------------------------------------------------------------------------

# A reader yields (position, session) in file order: position is the 1-based line (JSON Lines,
# DeepLog), row (Parquet) or entry (the .json shape); session None is a blank DeepLog line.
Records = Iterator[tuple[int, "Session | None"]]
_POSITION = {"parquet": "row", "jsonl": "line", "json": "entry", "deeplog": "line"}
_said: set[str] = set()  # warnings written in this process (a file may be read twice)


def _readers() -> dict[str, Callable[[str | Path], Records]]:
    """The reader of each input format (a function: the readers are defined below)."""
    return {
        "parquet": _iter_parquet,
        "jsonl": _iter_jsonl,
        "json": _iter_json_shape,
        "deeplog": _iter_deeplog,
    }


def _checked(path: str | Path, fmt: str) -> Iterator[Session]:
    """The sessions of `path` in order, checked (see the module doc): duplicate ids are an
    error, blank DeepLog lines skipped and sessions without keys kept; both are counted and
    said once on stderr when the file has been read."""
    ids_given = fmt in ("parquet", "jsonl")  # the other formats number their sessions
    seen: set[int] = set()
    blank = empty = 0
    first_empty = ""  # the first session without keys (named in the warning)
    for position, session in _readers()[fmt](path):
        if session is None:
            blank += 1
            continue
        if not session.keys:
            if not empty:
                first_empty = session.session_id
            empty += 1
        if ids_given:
            key = hash((session.session_id, session.start))
            if key in seen:
                _refuse_duplicate(path, fmt, position, session)
            seen.add(key)
        yield session
    if blank:
        lines = "line" if blank == 1 else "lines"
        _say(
            f"warning: {path}: skipped {blank:,} blank {lines} (not sessions; the other "
            "sessions keep their line index as id)"
        )
    if empty:
        what = "session holds" if empty == 1 else "sessions hold"
        _say(
            f"warning: {path}: {empty:,} {what} no keys (the first: {first_empty!r}); each is "
            "scored as an empty session"
        )


def _say(text: str) -> None:
    """Write a `warning: ` line to stderr, once per process (files are often read twice)."""
    if text not in _said:
        _said.add(text)
        print(text, file=sys.stderr)


def _refuse_duplicate(path: str | Path, fmt: str, position: int, session: Session) -> None:
    """Raise for a session whose id (and start) an earlier one has, naming both positions;
    the file is read again up to here to find the first. Returns when no earlier session
    has them (two different sessions with the same hash)."""
    unit = _POSITION[fmt]
    same = session.session_id, session.start
    first: int | None = None
    if str(path) != "-":
        for where, earlier in _readers()[fmt](path):
            if where >= position:
                return
            if earlier is not None and (earlier.session_id, earlier.start) == same:
                first = where
                break
    at = f"{unit}s {first:,} and {position:,}" if first else f"{unit} {position:,} and before"
    start = " with the same start" if session.start is not None else ""
    raise LogbertError(
        f"{path}: session id {session.session_id!r} comes twice ({at}){start}: session ids "
        "must be unique in a file, since scores, labels and reports are matched by id; remove "
        "or rename the repeated session"
    )


def stream_parquet(path: str | Path) -> pq.ParquetFile:
    """A Parquet file to read batch by batch in flat memory.

    pyarrow's default pre-buffering keeps every row group it has read cached until the file
    is closed: reading 17.8M events in 65,536-row batches grew from 114 MB to 494 MB; without
    it, 220 MB flat. Raises pyarrow's errors; callers word them.
    """
    return pq.ParquetFile(path, pre_buffer=False)


def _iter_parquet(path: str | Path) -> Records:
    try:
        parquet = stream_parquet(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise LogbertError(f"{path}: not a readable parquet file ({exc})") from exc
    names = set(parquet.schema_arrow.names)
    missing = {"session_id", "keys"} - names
    if missing:
        # ... an events file is the usual slip (QA NestJS: the error named the columns only)
        events = {"template_id", "content"} <= names
        hint = (
            ": it is `logbert parse` output (events, one per line); cut it into sessions with "
            "`logbert sessionize` first, or give the raw logs with --logs"
            if events
            else ""
        )
        raise LogbertError(
            f"{path}: parquet sessions need columns session_id and keys; missing "
            f"{', '.join(sorted(missing))}{hint}"
        )
    columns = [c for c in CATEGORY_SCHEMA.names if c in names]
    row = 0
    for record_batch in parquet.iter_batches(columns=columns, batch_size=DEFAULT_BATCH_SIZE):
        data = record_batch.to_pydict()
        n = record_batch.num_rows
        for i in range(n):
            row += 1
            session_id = _session_id(data["session_id"][i], f"{path}: row {row:,}")
            if data["keys"][i] is None:
                raise LogbertError(
                    f"{path}: row {row:,} (session {session_id!r}): keys is null: write [] for a "
                    "session with no keys"
                )
            try:
                label, categories = session_labels(
                    data["label"][i] if "label" in data else None,
                    data["labels"][i] if "labels" in data else None,
                )
                session = Session(
                    session_id=session_id,
                    keys=_int_keys(data["keys"][i]),
                    label=label,
                    start=_parse_time(data["start"][i], "start") if "start" in data else None,
                    end=_parse_time(data["end"][i], "end") if "end" in data else None,
                    n_lines=data["n_lines"][i] if "n_lines" in data else None,
                    categories=categories,
                )
            except LogbertError as exc:
                raise LogbertError(f"{path}: row {row:,} (session {session_id!r}): {exc}") from exc
            yield row, session


def _session_id(value: object, where: str) -> str:
    """A session's id as text; a missing, null or empty one is an error naming `where`: a
    made-up number would silently pair the session with another file's session."""
    text = "" if value is None else str(value)
    if not text.strip():
        given = "no session_id" if value is None else f"an empty session_id {value!r}"
        raise LogbertError(
            f"{where} has {given}: every session in a Parquet or JSON Lines file needs its "
            "own id (only DeepLog files are numbered by line): add the ids"
        )
    return text


def _text_lines(path: str | Path) -> Iterator[str]:
    """The lines of a text sessions file (without line ends), read as raw logs are
    (`iter_chunks`): plain or gzip-compressed (by its magic bytes, whatever the name), or `-`
    for stdin; UTF-16/UTF-32 text and a truncated gzip stream are refused, naming the file."""
    for chunk in iter_chunks(str(path)):
        yield from chunk.lines.to_pylist()


def _iter_jsonl(path: str | Path) -> Records:
    for line_no, line in enumerate(_text_lines(path), start=1):
        if not line.strip():
            continue
        where = f"{path}:{line_no}"
        try:
            row = json.loads(line)
            session_id = row.get("session_id")
        except (AttributeError, ValueError) as exc:
            _refuse_parquet(path, line_no, line, "JSON Lines")
            if _looks_like_log_text(line):
                raise _raw_log_line(where, line) from exc
            raise LogbertError(f"{where}: not a session object ({exc})") from exc
        if "session_id" not in row and "keys" not in row:  # a structured log record
            raise _raw_log_line(where, line)
        session_id = _session_id(session_id, where)
        if "keys" not in row:
            raise LogbertError(
                f"{where}: not a session object: session {session_id!r} has no 'keys' (a "
                "list of integer log keys, [] for none)"
            )
        try:
            label, categories = session_labels(row.get("label"), row.get("labels"))
            session = Session(
                session_id=session_id,
                keys=_int_keys(row["keys"]),
                label=label,
                start=_parse_time(row.get("start"), "start"),
                end=_parse_time(row.get("end"), "end"),
                n_lines=row.get("n_lines"),
                categories=categories,
            )
        except LogbertError as exc:
            raise LogbertError(f"{where}: {exc} (session {session_id!r})") from exc
        yield line_no, session


def _iter_json_shape(path: str | Path) -> Records:
    try:
        document = json.loads("\n".join(_text_lines(path)))
    except json.JSONDecodeError as exc:
        raise LogbertError(f"{path}: invalid JSON ({exc})") from exc
    if not isinstance(document, dict) or not (
        {"normal_sessions", "anomaly_sessions"} & set(document)
    ):
        raise LogbertError(
            f"{path}: expected {{'normal_sessions': [[keys...]], 'anomaly_sessions': [...]}}"
        )
    entry = 0
    for label, field_name in ((NORMAL, "normal_sessions"), (ANOMALY, "anomaly_sessions")):
        for i, keys in enumerate(document.get(field_name, [])):
            entry += 1
            try:
                session = Session(f"{label}-{i}", _int_keys(keys), label=label)
            except LogbertError as exc:
                raise LogbertError(
                    f"{path}: {field_name}[{i}] is not a list of integer keys ({exc})"
                ) from exc
            yield entry, session


def _iter_deeplog(path: str | Path) -> Records:
    """Sessions numbered by their 0-based line index (as DeepLog's files are); a blank line
    yields None: a DeepLog file has no way to write an empty session, so it is none."""
    for index, line in enumerate(_text_lines(path)):
        tokens = line.split()
        if not tokens:
            yield index + 1, None
            continue
        keys = _line_keys(path, index + 1, line, tokens)
        yield index + 1, Session(session_id=str(index), keys=keys)


def _line_keys(path: str | Path, line_no: int, line: str, tokens: list[str]) -> list[int]:
    """The keys of a DeepLog line; a token that is not one is an error quoting it. On ASCII
    text without `_` and `+`, `int` takes exactly `-?[0-9]+`, so the usual line needs no
    check per token (a regex per token made reading twice as slow)."""
    plain = line.isascii() and "_" not in line and "+" not in line
    if plain or all(_KEY_TOKEN.fullmatch(token) for token in tokens):
        try:
            keys = [int(token) for token in tokens]
        except ValueError:  # not a number, or over int()'s 4,300 digits
            keys = None
        if keys is not None and _in_range(keys):
            return keys
    _refuse_parquet(path, line_no, line, "a DeepLog sequence file")
    if _looks_like_log_text(line):
        raise _raw_log_line(f"{path}:{line_no}", line)
    for token in tokens:
        if not _KEY_TOKEN.fullmatch(token):
            raise LogbertError(
                f"{path}:{line_no}: {show_line(token)} is not a log key: DeepLog sequence "
                "lines hold space-separated integer keys (digits 0-9, an optional leading -); "
                "for other formats pass --input-format"
            )
    huge = next(token for token in tokens if not _fits(token))
    raise LogbertError(f"{path}:{line_no}: key {show_line(huge)} {_OUT_OF_RANGE}")


def _fits(token: str) -> bool:
    """Whether a `-?[0-9]+` token is a key within int64 (int() refuses over 4,300 digits)."""
    try:
        return KEY_MIN <= int(token) <= KEY_MAX
    except ValueError:
        return False


def _in_range(keys: list[int]) -> bool:
    """Whether every key fits in 64 bits (`KEY_MIN`..`KEY_MAX`)."""
    return not keys or (min(keys) >= KEY_MIN and max(keys) <= KEY_MAX)


def _refuse_parquet(path: str | Path, line_no: int, line: str, fmt: str) -> None:
    """Raise when a text format's first line is a Parquet file's magic bytes (`--input-format
    jsonl` on a .parquet file), instead of a JSON or number error about its bytes."""
    if line_no == 1 and line.startswith("PAR1"):
        raise LogbertError(
            f"{path} looks like Parquet, not {fmt}: leave out --input-format (a .parquet name "
            "is read as Parquet) or pass --input-format parquet"
        )


def _looks_like_log_text(line: str) -> bool:
    """Whether a line that is no session reads like a raw log line: a JSON object, or text
    (not JSON) whose words are mostly not log keys. A key line with one bad token, other JSON
    and a session object cut short are not: their own errors say what is wrong."""
    text = line.strip()
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        if text.startswith("{"):  # a session object cut short
            return False
    # not JSON: a `[` opens a bracketed header (Apache's `[Sun Dec 04 ...]`) as often as an
    # array, so the words decide
    tokens = text.split()
    keys = sum(bool(_KEY_TOKEN.fullmatch(token.strip("[],"))) for token in tokens)
    return keys * 2 < len(tokens)


LINE_FORMATS = ("jsonl", "deeplog")  # sessions files of one session per line


def refuse_raw_log(
    path: str | Path, model_reads_logs: bool = False, input_format: str | None = None
) -> None:
    """Raise when a text sessions file (not Parquet, not stdin) opens with a raw log line: a
    log given without --logs. Checked before what the file's key ids mean (QA: a raw log
    given to a model trained with --logs was told its "key ids come from another parse
    run"). `model_reads_logs`: the model parses logs itself, so --logs is all it needs.
    `input_format` as the reader takes it (an unknown one is refused by `detect_format`)."""
    if str(path) == "-" or not Path(path).is_file():
        return
    fmt = detect_format(path, input_format)
    if fmt not in (*LINE_FORMATS, "json"):
        return
    first = next(((n, text) for n, text in enumerate(_text_lines(path), 1) if text.strip()), None)
    if first is None:
        return
    line_no, line = first
    if fmt == "json" and not _one_object_per_line(line):
        return  # a .json document is one object whatever its first line
    if line.startswith("PAR1") or not _looks_like_log_text(line):
        return
    try:
        row = json.loads(line)
    except ValueError:
        row = None
    if isinstance(row, dict) and ("session_id" in row or "keys" in row):
        return
    if model_reads_logs:
        raise LogbertError(
            f"{path}: {show_line(line)} looks like a raw log line, not a session: this model "
            "was trained from raw logs and reads them itself: add --logs (its log format and "
            "session settings apply)"
        )
    raise _raw_log_line(f"{path}:{line_no}", line)


def _one_object_per_line(line: str) -> bool:
    """Whether a `.json` file's first line is a whole object of its own, not a sessions
    document's (JSON lines named `.json`: Suricata's `eve.json`; QA: "invalid JSON (Extra
    data ...)" told a user who forgot --logs nothing of it)."""
    try:
        row = json.loads(line)
    except ValueError:
        return False
    return isinstance(row, dict) and not {"normal_sessions", "anomaly_sessions"} & set(row)


def _folder_error(path: str | Path) -> LogbertError:
    """A folder given where a sessions file goes: most likely a folder of raw logs given
    without --logs (QA VPC flow logs: a single log file was told to add --logs, a folder not)."""
    return LogbertError(
        f"{path} is a folder, not a sessions file: pass a .parquet/.jsonl/DeepLog file; for a "
        "folder of raw logs add --logs"
    )


def _raw_log_line(where: str, line: str) -> LogbertError:
    """The error for a sessions file holding raw log lines (a log given without --logs): say
    so and how logs are read, rather than what a session object or key line lacks."""
    log_format = "json" if line.lstrip().startswith("{") else "auto (or the log's format)"
    return LogbertError(
        f"{where}: {show_line(line)} looks like a raw log line, not a session: to read raw "
        f"logs pass --logs --format {log_format} and --by-id REGEX matching each session's "
        "id (e.g. 'trace_id=(\\w+)') or --window DURATION; or make sessions first "
        "(`logbert parse`, then `logbert sessionize`)"
    )


def _int_keys(keys: object) -> list[int]:
    """Integer keys of a list. A string, bool, null or fractional number would convert
    silently (or fail inside `int`), so it is refused, naming its position; an integral
    float (`3.0`, as some JSON writers put it) is taken."""
    if not isinstance(keys, list | tuple):
        raise LogbertError(
            f"'keys' must be a list of integer log keys, not {type(keys).__name__} {keys!r}"
        )
    if all(type(k) is int for k in keys) and _in_range(keys):  # the usual case, checked fast
        return list(keys)
    for position, key in enumerate(keys):
        integral = isinstance(key, float) and key.is_integer()
        if not integral and (isinstance(key, bool) or not isinstance(key, int)):
            what = "null" if key is None else f"{type(key).__name__} {key!r}"
            raise LogbertError(
                f"'keys' must hold integer log keys; position {position} holds {what}"
            )
        if not KEY_MIN <= key <= KEY_MAX:
            raise LogbertError(f"'keys' position {position}: key {key!r} {_OUT_OF_RANGE}")
    return [int(k) for k in keys]


_OUT_OF_RANGE = (
    f"is out of range: log keys are 64-bit integers ({KEY_MIN} to {KEY_MAX}); one beyond "
    "would wrap around to another key"
)


def _parse_time(value: object, name: str) -> datetime | None:
    """A session's `start` or `end` (`name`) as a naive UTC datetime, None when missing:
    timestamps as they are (zone-aware ones converted to UTC), ISO 8601 text (with an offset:
    converted to UTC) and epoch seconds (numbers). Anything else is a `LogbertError` naming
    the field: a time taken wrong would mark sessions open or split them out of order."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        when = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        try:
            when = datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise LogbertError(
                f"{name} {value!r} is not a time in epoch seconds ({exc}); {_TIME_NEEDED}"
            ) from exc
    elif isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise LogbertError(f"{name} {value!r} is not a time; {_TIME_NEEDED}") from exc
    else:
        raise LogbertError(
            f"{name} is {type(value).__name__} {value!r}, not a time; {_TIME_NEEDED}"
        )
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when


_TIME_NEEDED = (
    "it needs a timestamp, ISO 8601 text (2024-01-01T00:00:00, offsets are converted to UTC) "
    "or a number of seconds since 1970 (UTC), or null"
)


# --- writers ---------------------------------------------------------------------------------


def _open_for_writing(path: Path, opener):
    """`opener(path)`, with an OS error (permissions, a folder in the way) worded for a user."""
    try:
        return opener(path)
    except OSError as exc:
        raise LogbertError(f"cannot write sessions file {path}: {exc}") from exc


def _write_parquet(
    sessions: Iterable[Session], path: Path, metadata: dict[bytes | str, bytes | str] | None
) -> int:
    """Streamed in chunks. The `labels` column exists only when some session has categories
    (then every labelled row gets its list, `session_categories`); the first chunk decides,
    and a later chunk that brings the first categories rewrites what was written so far with
    the column added (null there: the binary label says it all)."""
    count = 0
    writer: pq.ParquetWriter | None = None
    with_labels = False
    chunk: list[Session] = []
    chunk_keys = 0

    def flush(last: bool) -> None:
        nonlocal writer, with_labels, count
        has = any(s.categories is not None for s in chunk)
        if writer is None:
            with_labels = has
            schema = _schema(with_labels, metadata)
            writer = _open_for_writing(path, lambda p: pq.ParquetWriter(p, schema))
        elif has and not with_labels:
            writer.close()
            with_labels = True
            writer = _add_labels_column(path, _schema(True, metadata))
        if chunk or last:
            writer.write_table(_to_table(chunk, with_labels))
        count += len(chunk)

    try:
        for session in sessions:
            chunk.append(session)
            chunk_keys += len(session.keys)
            # bounded by keys too: long sessions (time windows) would make big chunks
            if len(chunk) >= DEFAULT_BATCH_SIZE or chunk_keys >= _WRITE_CHUNK_KEYS:
                flush(False)
                chunk, chunk_keys = [], 0
        flush(True)
    finally:
        if writer is not None:
            writer.close()
    return count


def _schema(with_labels: bool, metadata: dict | None) -> pa.Schema:
    schema = CATEGORY_SCHEMA if with_labels else SESSION_SCHEMA
    return schema.with_metadata(metadata) if metadata else schema


def _add_labels_column(path: Path, schema: pa.Schema) -> pq.ParquetWriter:
    """Copy the sessions written to `path` so far into a new file with a null `labels` column,
    and return its writer (open, for the rest)."""
    old = path.with_name(path.name + ".nolabels")
    path.replace(old)
    writer = _open_for_writing(path, lambda p: pq.ParquetWriter(p, schema))
    for batch in stream_parquet(old).iter_batches():
        nulls = pa.nulls(batch.num_rows, LABELS_FIELD.type)
        writer.write_batch(pa.RecordBatch.from_arrays([*batch.columns, nulls], schema=schema))
    old.unlink()
    return writer


def _to_table(sessions: list[Session], with_labels: bool = False) -> pa.Table:
    columns = {
        "session_id": [s.session_id for s in sessions],
        "keys": [list(s.keys) for s in sessions],
        "start": [s.start for s in sessions],
        "end": [s.end for s in sessions],
        "n_lines": [s.n_lines for s in sessions],
        "label": [s.label for s in sessions],
    }
    if with_labels:
        # explicit in a file that has the column: [] normal, ["anomaly"] for a binary anomaly
        columns["labels"] = [session_categories(s) for s in sessions]
    return pa.Table.from_pydict(columns, schema=CATEGORY_SCHEMA if with_labels else SESSION_SCHEMA)


def _write_jsonl(sessions: Iterable[Session], path: Path) -> int:
    count = 0
    with _open_for_writing(path, lambda p: open(p, "w", encoding="utf-8")) as handle:
        for session in sessions:
            handle.write(json.dumps(session_to_dict(session)) + "\n")
            count += 1
    return count


def _write_deeplog(sessions: Iterable[Session], path: Path) -> int:
    """One line of keys per session. A session with no keys would be a blank line, which is
    no session when read back, so it is refused (and the partial file removed)."""
    count = 0
    with _open_for_writing(path, lambda p: open(p, "w", encoding="utf-8")) as handle:
        for session in sessions:
            if not session.keys:
                handle.close()
                path.unlink(missing_ok=True)
                raise LogbertError(
                    f"cannot write sessions file {path}: session {session.session_id!r} has no "
                    "keys, and a DeepLog file cannot hold an empty session (its blank line is "
                    "skipped when read): write .jsonl or .parquet instead"
                )
            handle.write(" ".join(str(k) for k in session.keys) + "\n")
            count += 1
    return count
