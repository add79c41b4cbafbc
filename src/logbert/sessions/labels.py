"""Session labels: a labels CSV joined by session id, and per-line event labels.

Two sources, one vocabulary (`normal`/`anomaly`/None, or an anomaly category's name; a cell
such as `unknown`, `N/A`, `?` or `TBD` is no label, never a category):

- a labels file joins a label onto each session by its id. Public datasets spell the header
  differently (`BlockId,Label` in loghub HDFS, `InstanceId,Label` elsewhere, `id,label` in
  home-made files), so any two-column CSV with a header is accepted: the label column is the
  one named `label`, `anomaly`, `anomalous` or `is_anomaly` (any case), else the second; the
  id column is the other one. A first row is data, not a header, only when its label cell is
  a label spelling, its id cell no known id column name, and a cell looks like the rows below
  it (`_looks_like_data`). A wider CSV must name its id column (BlockId, session_id,
  SessionId, id, InstanceId, window, else the one column whose name ends in `id`:
  `ContainerId`) and its label column. Which columns were taken is returned by
  `read_labels_with_columns`, so the CLI can say so, and every error about a row names them.
  A label cell may name a category (multi-class: `blk_1,KERNDTLB`): the map then holds that
  name, and `split_label` turns it into (anomaly, [name]). A labels file none of whose ids
  names a session (ids spelled otherwise, the wrong column or file) is an error once
  sessionizing ends (`require_some_match`): every session would stay unlabelled, and training
  would learn from the anomalies it was meant to leave out; most sessions unlabelled is a
  warning for the same reason (`mostly_unlabelled_warning`), and so are most of the file's
  ids naming no session, or its anomaly ids naming one far less often than its normal ids
  (`unused_ids_warning`). For the same
  reason a file with no labelled row (only a header) is an error, and so is a label column of
  two values neither of which is a normal spelling (yes/no, -1/1): each would be an anomaly
  category, every session anomalous; and 0/1 in a column named for the normal class
  (`is_normal`), which would be read inverted;
- an events `label` column (BGL, Thunderbird) labels single lines: `-` is normal, any other
  value names an alert, so a session is anomalous if any of its lines is; `event_category`
  keeps the alert's name (e.g. KERNDTLB), which `sessionize` collects into the `labels` list.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from itertools import chain, islice
from pathlib import Path

from logbert.errors import LogbertError
from logbert.parsing.formats import bare_name
from logbert.sessions.io import (
    ANOMALY,
    LABEL_SPELLINGS,
    NO_LABEL,
    NORMAL,
    label_spellings,
    parse_label,
)
from logbert.sessions.label_times import shifted_labels
from logbert.sessions.stats import SessionizeStats

# a time window's id column as people name it too (QA Flink: `window,label,type` was refused
# and told to name it `BlockId`)
# ... and a file's, for sessions of a whole file (`--by-field source`: QA Airflow, one file
# per task try, `source,label,type` refused after the whole parse)
ID_COLUMNS = ("blockid", "session_id", "sessionid", "id", "instanceid", "window", "window_id",
              "windowid", "window_start", "source", "file", "path")  # fmt: skip
# names (lower case, without `_`, `-` or spaces: `bare_name`) of a label column, wherever it
# sits; the first one a header has wins
LABEL_COLUMNS = ("label", "anomaly", "anomalous", "isanomaly", "isanomalous")
# label columns named for the normal class (its spellings): 1/true there means normal, while
# logbert reads it as anomaly
_NORMAL_COLUMNS = ("normal", "isnormal", "benign", "isbenign", "ok", "isok", "success",
                   "issuccess", "succeeded", "successful", "healthy", "ishealthy", "passed",
                   "ispassed", "pass", "good", "isgood", "valid", "isvalid")  # fmt: skip
# more anomalous than normal ids among this many or more: a label column read inverted?
MAJORITY_MIN_IDS = 10
_BOOLEAN_VALUES = ("0", "1", "true", "false")
# an id column numbering lines (`LineId` of loghub's structured logs): not session ids
_LINE_COLUMNS = ("line", "lineid", "lineno", "linenum", "linenumber", "lineindex")
# how many data rows the header check looks at (`_looks_like_data`)
_HEADER_CHECK_ROWS = 20
# how a labels file must spell a session (QA Kafka: time windows were told of --by-id only)
SESSION_IDS = (
    "the session ids exactly as sessionize writes them (the value --by-id or --by-field "
    "extracts; a time window's start, 2026-11-05T03:10:00, after the field's value and @ "
    "with --by-field, and so a run's start with --by-field and --idle-timeout, whose "
    "value alone labels all its runs)"
)
_EVENT_NORMAL = {text for text, meaning in LABEL_SPELLINGS.items() if meaning == NORMAL}
_LABEL_VALUES = set(LABEL_SPELLINGS)


class LabelMap(dict[str, str]):
    """Session id -> label, remembering the file it was read from (`source`), so that an error
    found while sessionizing (`require_some_match`) can name it."""

    source: str = ""
    id_column: str = ""  # the header's name of the id column, as written
    unlabelled: int = 0  # rows whose label cell is empty (or says unknown): no label
    other_columns: tuple[str, ...] = ()  # the header's other columns, read by nothing
    zoned: bool = False  # every window id carried its UTC offset (`2026-12-03T00:00:00+01:00`)


def read_labels(path: str | Path) -> dict[str, str]:
    """Map session id -> `normal`/`anomaly` or a category name from a labels CSV (see the
    module doc).

    Rows with an empty label are left out (those sessions stay unlabelled); a conflicting
    duplicate is an error.
    """
    return read_labels_with_columns(path)[0]


# a time window's id as people write a time (`2026-12-01T07:55:00Z`, `2026-12-01 07:55`,
# `...+00:00`, or local with its offset, `2026-12-01T08:55:00+01:00`), after a field's value
# and @ or alone
_WINDOW_ID = re.compile(
    r"(?P<field>.*@)?(?P<day>\d{4}-\d\d-\d\d)[T ](?P<hm>\d\d:\d\d)(?P<s>:\d\d)?"
    r"(?P<zone>Z|[+-]\d\d:?\d\d)?"
)


_WINDOW_ZONE = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d)?(?:Z|[+-]\d\d:?\d\d)$")


def utc_window_id(session_id: str) -> str:
    """A window's id written some other way, as sessionizing writes it, in UTC
    (`2026-12-01T07:55:00`: QA PgBouncer, ids ending in `Z` named no session; QA OpenVPN and
    Ceph, a local time with its offset, `+01:00`, was refused); other ids as they are."""
    found = _WINDOW_ID.fullmatch(session_id)
    if found is None:
        return session_id
    when = datetime.fromisoformat(f"{found['day']}T{found['hm']}{found['s'] or ':00'}"
                                  f"{found['zone'] or ''}")  # fmt: skip
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return f"{found['field'] or ''}{when.isoformat()}"


def read_labels_with_columns(path: str | Path) -> tuple[LabelMap, str, str]:
    """`read_labels` plus the names (as written in the header) of the id and label columns."""
    path = Path(path)
    if not path.exists() or path.is_dir():  # a pipe is read (`--labels <(...)`: QA GCP)
        what = "a folder, not a file" if path.is_dir() else "not found"
        raise LogbertError(f"labels file {what}: {path}")
    # utf-8-sig: spreadsheet exports start with a byte-order mark that would stick to the header
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as handle:
        reader = csv.reader(handle)
        names = [h.strip() for h in next(reader, [])]
        below = list(islice(reader, _HEADER_CHECK_ROWS))  # what the header check compares
        id_col, label_col = _columns(path, names, below)
        # every error about the rows says how the columns were taken: swapped ones read wrong
        taken = f"(id column {names[id_col]!r}, label column {names[label_col]!r})"
        labels = LabelMap()
        labels.source, labels.id_column = str(path), names[id_col]
        labels.other_columns = tuple(
            name for i, name in enumerate(names) if i not in (id_col, label_col) and name
        )
        spelt: dict[str, str] = {}  # each label cell's text as written -> its label
        zones: list[bool] = []  # per row: its id is a window's time with its offset
        rows = 0
        for line_no, row in enumerate(chain(below, reader), start=2):
            if not row or not any(cell.strip() for cell in row):
                continue
            rows += 1
            if len(row) <= max(id_col, label_col):
                raise LogbertError(
                    f"{path}:{line_no}: expected {len(names)} columns {taken}: {row}"
                )
            session_id, text = utc_window_id(row[id_col].strip()), row[label_col].strip()
            zones.append(_WINDOW_ZONE.search(row[id_col].strip()) is not None)
            if text.lower() in NO_LABEL:
                labels.unlabelled += 1
                continue
            try:
                label, categories = parse_label(text)
            except LogbertError as exc:
                raise LogbertError(f"{path}:{line_no}: {exc} {taken}") from exc
            label = categories[0] if categories else label
            spelt.setdefault(text, label)
            if labels.setdefault(session_id, label) != label:
                raise LogbertError(f"{path}:{line_no}: {session_id} is labelled both ways {taken}")
    labels.zoned = bool(zones) and all(zones)
    if not labels:
        what = (
            "no ids (only a header)"
            if not rows
            else f"no labels (every {names[label_col]} cell is empty or says unknown)"
        )
        raise LogbertError(
            f"{path} holds {what}: every session would stay unlabelled (and `train` would keep "
            "the anomalies it should leave out); give the labels file with its rows, or leave "
            "out --labels"
        )
    _require_a_normal_spelling(path, spelt, names[label_col])
    _refuse_a_normal_column(path, spelt, names[label_col])
    return labels, names[id_col], names[label_col]


def mostly_anomalous_warning(labels: Mapping[str, str], label_column: str) -> str | None:
    """`warning: ...` when most of a labels file's ids (at least MAJORITY_MIN_IDS) are
    labelled anomalous, else None: anomalies are the rare class, and a column whose values
    mean the opposite (1 = success) is read inverted; names that say so are refused
    (`_refuse_a_normal_column`), others cannot be told (QA: `success`, `healthy`, `passed`)."""
    n_anomalous = sum(1 for label in labels.values() if label != NORMAL)
    if len(labels) < MAJORITY_MIN_IDS or n_anomalous * 2 <= len(labels):
        return None
    source = getattr(labels, "source", "") or "the labels"
    empty = getattr(labels, "unlabelled", 0)
    if n_anomalous == len(labels) and empty:  # QA CUPS: `job,kind`, the kind of normal jobs
        return (  # left empty, was called a file of the anomalies alone
            f"warning: all {len(labels):,} labelled ids of {source} are anomalous, and "
            f"{empty:,} more rows have an empty label, which is no label: those sessions are "
            "unlabelled, not normal; write normal (or 0) in their label cells"
        )
    if n_anomalous == len(labels):  # QA: a file of the anomalies alone got the 0/1 hint
        return (
            f"warning: all {len(labels):,} ids of {source} are labelled anomalous: a file "
            "that lists only the anomalies labels no session normal, and sessions it does "
            "not name are unlabelled, not normal; list every session with its label (normal "
            "or anomaly)"
        )
    return (
        f"warning: {n_anomalous:,} of the {len(labels):,} ids of {source} "
        f"({n_anomalous / len(labels):.0%}) are labelled anomalous, though "
        f"anomalies are usually the rare class: check that column {label_column!r} does not "
        "mean normal by 1 (true, yes); logbert reads 1 (true) as an anomaly"
    )


def _require_a_normal_spelling(path: Path, spelt: Mapping[str, str], column: str) -> None:
    """Refuse a binary labels column in words we do not know (yes/no, good/bad, -1/1, ...): two
    distinct labels and neither normal (`spelt`: each cell text as written -> its label).
    Read as categories, both would be anomaly names and every session anomalous; which one
    means normal is a guess we will not make. A multi-class column (a normal spelling plus
    category names) passes. The message quotes the file's own values."""
    values = set(spelt.values())
    if len(values) != 2 or NORMAL in values:
        return
    sklearn = (
        "; scikit-learn writes -1 for outliers and 1 for inliers, and logbert reads 1 as an anomaly"
        if "-1" in spelt
        else ""
    )
    raise LogbertError(
        f"{path}: column {column} holds only the values {', '.join(sorted(spelt))}, and "
        "neither is a normal label, so every session would be an anomaly (a value that is no "
        f"label spelling is taken as an anomaly category){sklearn}: write the labels as "
        f"{label_spellings()}"
    )


def _refuse_a_normal_column(path: Path, spelt: Mapping[str, str], column: str) -> None:
    """Refuse 0/1 or true/false values in a column named for the normal class (`is_normal`):
    its name says 1 means normal, and logbert reads 1 as anomalous, so every figure would be
    inverted. normal/anomaly words in such a column say what they mean and pass."""
    if bare_name(column) not in _NORMAL_COLUMNS:
        return
    numeric = sorted(text for text in spelt if text.lower() in _BOOLEAN_VALUES)
    if not numeric:
        return
    raise LogbertError(
        f"{path}: column {column} holds {', '.join(numeric)}: its name says 1 (true) means "
        "normal, but logbert reads 1 (true) as anomalous, so the labels would be inverted; "
        "write the labels as normal/anomaly, or name the column Label with 1 = anomaly"
    )


def require_some_match(
    labels: Mapping[str, str],
    n_unused: int,
    session_id: str | None,
    session_ids: Iterable[str] = (),
) -> None:
    """Refuse a labels map none of whose ids named a session (`n_unused` of them named none;
    `session_id`: one session's id, None when there was no session: that is another error).
    The message shows an id of each side, so a user sees how they differ, and says when they
    differ only in case (`session_ids`: the sessions' ids, QA: upper-case uuids)."""
    if not labels or n_unused < len(labels) or session_id is None:
        return
    source = getattr(labels, "source", "") or "the labels"
    example = next(iter(labels))
    named = getattr(labels, "id_column", "")
    column = f" ({named!r})" if named else ""
    lines = ""
    if named and bare_name(named) in _LINE_COLUMNS:  # QA Thunderbird: `LineId,Label`
        lines = (  # (its own sentence: QA Pacemaker, spliced into the advice it read garbled)
            f". Its id column {named!r} seems to number lines, but a labels file labels "
            "sessions, not lines: for labels per line, give the log format a <Label> field and "
            "leave out --labels"
        )
    session_ids = list(session_ids)
    folded = {i.lower() for i in session_ids}
    case = (
        "; the ids match apart from case: write them as the logs do"
        if any(i.lower() in folded for i in labels)
        else _year_hint(labels, session_ids)
        or _offset_hint(labels, session_ids)
        or _part_hint(labels, session_ids)
    )
    raise LogbertError(
        f"{source}: none of its {len(labels):,} ids names a session (the file has e.g. "
        f"{example!r}, the sessions have e.g. {session_id!r}{case}), so every session would "
        f"stay unlabelled; the ids must be {SESSION_IDS}: check the file's id column{column} "
        f"(or the --by-id regex) and that the labels belong to these logs{lines}"
    )


_WINDOW_YEAR = re.compile(r"(?<![0-9])([0-9]{4})(?=-[0-9]{2}-[0-9]{2}T)")


def _year_hint(labels: Mapping[str, str], session_ids: list[str]) -> str:
    """"; the ids match apart from the year ..." when window ids differ in their year alone
    (QA Proxmox: a syslog file writes no year, and the one taken from the file's date was not
    the labels'), else ""."""
    undated = {_WINDOW_YEAR.sub("", i) for i in session_ids}
    for label_id in labels:
        year = _WINDOW_YEAR.search(label_id)
        if year and _WINDOW_YEAR.sub("", label_id) in undated:
            return (
                "; the ids match apart from the year: where the log format writes no year, "
                f"pass the logs' own with --year (here --year {year[1]}?)"
            )
    return ""


_ID_PART = re.compile(r"[^A-Za-z0-9]+")  # what parts an id: `52300.pbs01` is `52300`, `pbs01`


def _part_hint(labels: Mapping[str, str], session_ids: list[str]) -> str:
    """"; the ids match in part ..." when a label id is a part of a session's id or the other
    way round (QA OpenPBS: accounting's bare job numbers, `52300`, for the sessions' `52300.
    pbs01`, and the message showed the ids `52300` and `Log`), else ""."""
    by_part: dict[str, str] = {}
    known = list(islice(session_ids, 100_000))
    whole = set(known)
    for session_id in known:  # (in their order: the example the same run to run)
        for part in filter(None, _ID_PART.split(session_id)):
            by_part.setdefault(part, session_id)
    # a whole id of one side is a part of the other's (not a shared part: windows of another
    # day share their year, QA Graylog)
    for label_id in islice(labels, 1_000):
        session_id = by_part.get(label_id) or next(
            (p for p in _ID_PART.split(label_id) if p in whole and len(p) >= 3), None
        )
        if session_id is not None and session_id != label_id:
            return (
                f"; they match in part, e.g. the file's {label_id!r} and the session "
                f"{session_id!r}: write the ids whole, as the sessions are named"
            )
    return ""


_WINDOW_START = re.compile(r"^(.*?)([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})$")


def _offset_hint(labels: Mapping[str, str], session_ids: list[str]) -> str:
    """"; the ids match N hours apart ..." when window ids differ from the sessions' by a
    whole number of hours (QA IBM MQ: labels in UTC, windows of the header's local time 5
    hours off, and the message did not say so), else ""."""
    known = set(session_ids)
    matched: Counter[int] = Counter()
    windows = 0
    for label_id in islice(labels, 200):
        start = _WINDOW_START.match(label_id)
        if start is None:
            continue
        windows += 1
        when = datetime.fromisoformat(start[2])
        for hours in (*range(1, 15), *range(-1, -15, -1)):
            shifted = (when + timedelta(hours=hours)).isoformat()
            matched[hours] += f"{start[1]}{shifted}" in known
    ranked = matched.most_common(2)
    if not ranked or not ranked[0][1]:
        return ""
    # one shift that names most windows, far more than any other: a zone's (QA pfSense: labels
    # of another day, whose hosts recur in every window, "matched 7 hours apart", as any shift
    # within the logs' span did)
    hours, best = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    if best * 2 < windows or best < 2 * second:
        return ""
    return (
        f"; the ids match {abs(hours)} hours apart (the sessions' are "
        f"{'later' if hours > 0 else 'earlier'}): one side's times are in another "
        "zone than the other's; a window is named by its start in UTC where the logs "
        "write their offset, else as written"
    )


def mostly_unlabelled_warning(
    labels: Mapping[str, str] | None,
    n_unlabelled: int,
    n_sessions: int,
    session_id: str | None,
    consequence: str,
) -> str | None:
    """`warning: ...` when a labels map was given and more than half of the `n_sessions`
    sessions have no label in it (`session_id`: one of them); None otherwise. Some ids
    matching is not an error (`require_some_match` catches none matching), but training reads
    an unlabelled session as normal, so a file covering another part of the logs, or a --by-id
    regex that cuts ids otherwise than the file writes them (`req-1a2b3c:` for `req-1a2b3c`),
    would teach the model the anomalies it was meant to leave out. `consequence` says what
    the unlabelled sessions become for the caller. The message shows an id of each side."""
    if not labels or session_id is None or n_unlabelled * 2 < n_sessions:  # half: warned (QA)
        return None
    source = getattr(labels, "source", "") or "the labels"
    return (
        f"warning: {n_unlabelled:,} of {n_sessions:,} sessions ({n_unlabelled / n_sessions:.0%})"
        f" have no label in {source} (e.g. session {session_id!r}; the file has ids such as "
        f"{next(iter(labels))!r}): {consequence}; check that the labels cover these logs and "
        f"that their ids are {SESSION_IDS}"
    )


def window_label(
    labels: Mapping[str, str], written: dict[str, None], stats: SessionizeStats,
    session_id: str, anomalous: bool,
) -> str | None:
    """The label `labels` gives a closed window (time or count window) by its id, the id kept
    in `written` for `settle_window_labels` and a label that overrides the lines' counted."""
    label = labels.get(session_id)
    written[session_id] = None
    stats.count_label_override(session_id, label, anomalous)
    return label


def settle_window_labels(
    labels: Mapping[str, str], written: Mapping[str, None], stats: SessionizeStats
) -> None:
    """At the end of a stream of windows labelled by id (time or count windows): count the
    labels' ids that named no window, refuse labels none of whose ids did (as
    `IdSessionizer._flush`), and keep the warning about doubtful ones (ids in another clock,
    `shifted_labels`, kept in `stats.labels_shift` too, else `unused_ids_warning`) in
    `stats.labels_warning`."""
    unused = [i for i in labels if i not in written]
    stats.n_labels_unused = len(unused)
    stats.n_labels_unused_anomalous = sum(labels[i] != NORMAL for i in unused)
    example = next(iter(written), None)
    require_some_match(labels, len(unused), example, written)
    stats.labels_shift = shifted_labels(labels, written)
    stats.labels_warning = (
        stats.labels_shift.warning(labels_have_offsets=getattr(labels, "zoned", False))
        if stats.labels_shift is not None
        else unused_ids_warning(labels, unused, example, unlabelled=stats.n_unlabelled)
    )


def unused_ids_warning(
    labels: Mapping[str, str], unused: list[str], session_id: str | None, unlabelled: int = 0
) -> str | None:
    """`warning: ...` when the ids of a labels map that named no session (`unused`, in file
    order; `session_id`: one session's id) are doubtful, None otherwise (and when none
    matched: `require_some_match` refuses that). Doubtful is more than half of the file's
    ids (line numbers joined onto small integer session ids: a few match by chance and the
    figures look fine), or ids it labels anomalous joining far less often than its normal
    ones (`_anomalies_join_worse`), whatever the share: such a session spelt otherwise in
    the file stays unlabelled, and training reads it as normal. With every session labelled
    (`unlabelled`: how many are not) no id can be spelt otherwise, and the file merely covers
    more than these logs (labels of a whole log given with part of it): quiet, unless its id
    column's name says it numbers lines (`LineId`: labels label sessions, and line numbers
    joined onto small integer session ids label every session by chance)."""
    if session_id is None or not unused or len(unused) == len(labels):
        return None
    column = getattr(labels, "id_column", "")
    if not unlabelled and bare_name(column) not in _LINE_COLUMNS:
        return None
    source = getattr(labels, "source", "") or "the labels"
    anomalous = [i for i in unused if labels[i] != NORMAL]
    n_anomalous = sum(1 for label in labels.values() if label != NORMAL)
    if len(unused) * 2 > len(labels):
        share = len(unused) / len(labels)
        text = (
            f"warning: {len(unused):,} of the {len(labels):,} ids in {source} ({share:.0%}) "
            f"name no session (e.g. {unused[0]!r}; the sessions have ids such as "
            f"{session_id!r})"
        )
        if bare_name(column) in _LINE_COLUMNS:
            return text + (
                f"; its id column {column!r} seems to number lines, but a labels file labels "
                "sessions (one row per session id as --by-id or --by-field extracts it), not "
                "lines, so the ids that named a session did so by chance: for labels per "
                "line, give the log format a <Label> field and leave out --labels"
            )
        if anomalous:
            text += f", {len(anomalous):,} of the ids it labels anomalous among them"
    elif anomalous and _anomalies_join_worse(len(labels), n_anomalous, unused, anomalous):
        text = (
            f"warning: {len(anomalous):,} of the {n_anomalous:,} ids {source} labels anomalous "
            f"name no session (e.g. {anomalous[0]!r}; the sessions have ids such as "
            f"{session_id!r})"
        )
    else:
        return None
    return text + (
        ": where such a session is in these logs under an id spelt otherwise, it stays "
        "unlabelled (training reads it as normal; evaluation cannot judge it); check that the ids "
        f"are {SESSION_IDS}"
    )


def _anomalies_join_worse(
    n_ids: int, n_anomalous: int, unused: list[str], anomalous: list[str]
) -> bool:
    """Whether the `n_anomalous` of a file's `n_ids` ids labelled anomalous name a session
    far less often (under half as often) than those labelled normal: their spelling differs
    from the sessions' ids (a lower-cased id, a prefix). A file covering more logs than these
    (labels of a whole log, training on its first half) leaves out both kinds alike; a file
    of anomaly ids only is judged by the share of its ids left (over half: the warning
    above)."""
    n_normal = n_ids - n_anomalous
    if n_normal == 0:
        return False
    normal_joined = 1 - (len(unused) - len(anomalous)) / n_normal
    return 1 - len(anomalous) / n_anomalous < normal_joined / 2


def _columns(path: Path, names: list[str], below: list[list[str]]) -> tuple[int, int]:
    """Indexes of the id and label columns of a header (see the module doc); `below`: the
    first data rows, which tell a header from a first data row."""
    header = [n.lower() for n in names]
    bare = [bare_name(n) for n in names]
    named = next((bare.index(c) for c in LABEL_COLUMNS if c in bare), None)
    if len(header) == 2 and all(header):
        label_col = 1 if named is None else named
        if _looks_like_data(names, 1 - label_col, label_col, below):
            raise LogbertError(
                f"{path}: the first row {','.join(names)} looks like data, not a header; add a "
                "header line such as 'BlockId,Label'"
            )
        return 1 - label_col, label_col
    id_col = next((header.index(c) for c in ID_COLUMNS if c in header), None)
    if id_col is None and named is not None:  # `ContainerId,kind,Label`: the one `...id` column
        ids = [i for i, b in enumerate(bare) if b.endswith("id") and i != named]
        id_col = ids[0] if len(ids) == 1 else None
    if id_col is None or named is None:
        separator = next((s for s in (";", "\t", "|") if len(names) == 1 and s in names[0]), None)
        if separator is not None:
            what = "a tab" if separator == "\t" else f"'{separator}'"
            raise LogbertError(
                f"{path}: the header {names[0]!r} is separated by {what}, but the separator of "
                f"a labels file must be a comma ({names[0].replace(separator, ',')!r}): save "
                "it as CSV with commas"
            )
        raise LogbertError(
            f"{path}: expected a CSV header 'BlockId,Label' (any two named columns: id, then "
            "label; with more columns, a Label column and an id column: BlockId, session_id, "
            "SessionId, id, InstanceId, window (a time window's id), source (a file's), or the "
            "one column whose name ends in 'id', such as ContainerId); found "
            f"{','.join(names) or 'an empty file'}"
        )
    return id_col, named


def _looks_like_data(names: list[str], id_col: int, label_col: int, below: list[list[str]]) -> bool:
    """Is a two-cell first row data rather than a header? Only when its id cell is no known id
    column name (`session_id,anomaly` is a header), and: its label cell is a label spelling
    (`anomaly` names a label column too) and a cell looks like a value of the rows `below`
    (the id cell of the kind of an id there, `_same_kind`: `blk_1` as `blk_2`, a UUID as
    another, not `OrderId` as `ORD-000751`, or the label cell one of their labels; with no
    rows below, the label spelling decides); or its label cell is a category name, its id
    cell of the kind of the ids below, and the labels below that name or label spellings."""
    id_cell, label_cell = names[id_col].lower(), names[label_col].lower()
    if id_cell in ID_COLUMNS:
        return False
    rows = [row for row in below if len(row) > max(id_col, label_col)]
    same_id = any(_same_kind(row[id_col], id_cell) for row in rows)
    same_label = any(row[label_col].strip().lower() == label_cell for row in rows)
    if label_cell in _LABEL_VALUES:
        return not rows or same_id or same_label
    # a category name (`req_0,TIMEOUT`, QA: taken for a header, then "req_0 has no label"):
    # data when the id cell has the shape of the ids below and the label column below holds
    # that name or label spellings, and the cell names no label column
    labels_below = same_label or any(row[label_col].strip().lower() in _LABEL_VALUES
                                     for row in rows)  # fmt: skip
    return same_id and labels_below and bare_name(label_cell) not in LABEL_COLUMNS


def _same_kind(an_id: str, cell: str) -> bool:
    """Whether `cell` looks like an id of the kind of `an_id`: the same `_shape`, or, when it
    holds a digit (an id does, a column name rarely), the same `_coarse_shape` and length.
    Random hex ids mix letter and digit runs at random, so each UUID had a shape of its own
    (QA: a headerless labels file lost its first row, `0ce25ad1-0104-...,failed`, taken for
    the header); `OrderId` stays a header over `ORD-000751` (`w` against `w-w`)."""
    if _shape(an_id) == _shape(cell):
        return True
    a, b = an_id.strip(), cell.strip()
    has_digit = any(c.isdigit() for c in b)
    return has_digit and len(a) == len(b) and _coarse_shape(a) == _coarse_shape(b)


def _shape(text: str) -> str:
    """An id's shape: runs of letters as `a`, of digits as `9`, the rest kept (`ORD-000751`
    -> `a-9`), so ids of one kind share it and a column name rarely does."""
    return re.sub(r"[^\W\d_]+", "a", re.sub(r"\d+", "9", text.strip().lower()))


def _coarse_shape(text: str) -> str:
    """An id's shape with every run of letters and digits as one `w`, the rest kept (a UUID
    -> `w-w-w-w-w`, `ORD-000751` -> `w-w`, `OrderId` -> `w`)."""
    return re.sub(r"[^\W_]+", "w", text.strip().lower())


def event_label(value: object) -> str | None:
    """Label of one log line: None unknown, `-`/normal/0 normal, any other value an alert."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in NO_LABEL:
        return None
    return NORMAL if text in _EVENT_NORMAL else ANOMALY


def split_label(value: str | None) -> tuple[str | None, list[str] | None]:
    """(binary label, categories) of a value of `read_labels`' map or `event_category`."""
    if value is None or value in (NORMAL, ANOMALY):
        return value, None
    return ANOMALY, [value]


def event_category(value: object) -> str | None:
    """As `event_label`, but an alert keeps its name (`KERNDTLB`); a generic anomaly spelling
    (`1`, `anomaly`, ...) stays `anomaly`."""
    label = event_label(value)
    if label != ANOMALY:
        return label
    text = str(value).strip()
    return ANOMALY if text.lower() in _LABEL_VALUES else text
