"""The top anomalous sessions: their events as template text, the surprising ones highlighted,
and what the model expected there instead (from the scores' `top_events`).

The scores file holds only the surprising events; with the sessions file (`--sessions`) the
whole event sequence is shown, surprising positions highlighted in place.

Each header leads with the deciding score (the column the threshold applies to) by name, value
and threshold, then the other score columns as secondary facts: `score` is LogBERT's mean
surprise, but a threshold on `max_surprise` decides, so showing `score` alone would hide why a
session was flagged. Column names come from the scores file, none is assumed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from logbert.reporting.html import Safe, Section, fmt, join, missing, tag
from logbert.reporting.html import table as html_table
from logbert.reporting.inputs import ScoreTable, as_float, rows_of
from logbert.sessions.io import iter_session_batches

MAX_EVENTS_SHOWN = 200


def read_session_keys(path: str | Path, wanted: Iterable[str]) -> dict[str, list[int]]:
    """The keys of the sessions whose ids are in `wanted` (streams the file once)."""
    wanted = set(wanted)
    found: dict[str, list[int]] = {}
    for batch in iter_session_batches(path):
        for session in batch:
            if session.session_id in wanted:
                found[session.session_id] = list(session.keys)
    return found


def top_sessions_section(
    rows: list[dict] | None,
    threshold: float | None,
    templates: dict[int, str],
    session_keys: dict[str, list[int]],
    table: ScoreTable | None = None,
) -> Section:
    """One collapsible block per top session, the highest score first.

    `table` names the deciding column and the other score columns (default: `score` alone).
    """
    title = "Top anomalous sessions"
    column = table.column if table is not None else "score"
    others = table.secondary if table is not None else []
    ranked_by = table.ranked_by if table is not None else column
    ranking = []
    if ranked_by != column:
        ranking.append(
            f"The scores lack `{column}`, the score the threshold applies to; rescore with "
            f"this model. Sessions are ranked by `{ranked_by}` here, and get no verdict from it."
        )

    def facts(row: dict) -> list[str]:
        return _facts(row, threshold, column, others)

    if rows is None:
        return Section("top", title, missing("No scores file given (--scores): no sessions."))
    if not rows:
        return Section("top", title, missing("The report was asked for no top sessions."))
    explained = any(rows_of(row, "top_events") for row in rows)
    if not explained and not session_keys:
        listing = html_table(
            ["rank", "session", "facts"],
            [
                (rank, row.get("session_id"), "; ".join(facts(row)))
                for rank, row in enumerate(rows, start=1)
            ],
        )
        note = tag(
            "p",
            "The scores carry no top_events (this detector does not explain its "
            "scores); pass --sessions to see the sessions' events.",
            cls="note",
        )
        notes = [tag("p", text, cls="note") for text in ranking]
        return Section("top", title, join([*notes, note, listing]))
    lookup = dict(templates)
    for row in rows:
        for event in rows_of(row, "top_events"):
            _learn(lookup, event)
            for alt in rows_of(event, "expected"):
                _learn(lookup, alt)
    blocks = [
        _session_block(rank, row, facts(row), lookup, session_keys.get(str(row.get("session_id"))))
        for rank, row in enumerate(rows, start=1)
    ]
    notes = [
        "Highlighted rows are the events behind the score. Surprise says how unexpected each "
        "was: for LogBERT -log p of the actual key under the model; for ngram how many n-gram "
        "sizes ending there training never held; for new-event 1, a template training never "
        "held; for ecvc the share of the session's events a key has beyond its nearest "
        "training session's. 'Expected' lists what the model predicted at that position (ngram: "
        "what followed the same keys in training; ecvc, at the session's end: the keys that "
        "nearest session held more of, with their share of its events), with probabilities. "
        "Positions count from 0."
    ]
    if not explained:
        notes = ["The scores carry no top_events (this detector does not explain its scores)."]
    if not session_keys:
        notes.append(
            "Only the surprising events are in the scores file; pass --sessions (the scored "
            "sessions file) to see whole sessions."
        )
    notes = ranking + notes
    return Section("top", title, join([*(tag("p", n, cls="note") for n in notes), *blocks]))


def _facts(row: dict, threshold: float | None, column: str, others: list[str]) -> list[str]:
    """The deciding score (name, value, threshold), the other scores, label and verdict.

    A verdict is the row's own `is_anomaly`, else the deciding score against the threshold;
    never another column against it. Score columns the row lacks are left out.
    """
    value = as_float(row.get(column))
    verdict = row.get("is_anomaly") if isinstance(row.get("is_anomaly"), bool) else None
    if verdict is None and threshold is not None and value is not None:
        verdict = value > threshold
    if value is None:
        facts = [f"no {column}"]
    elif threshold is None:
        facts = [f"{column} {fmt(value)}"]
    else:
        facts = [f"{column} {fmt(value)} (threshold {fmt(threshold)})"]
    facts += [f"{name} {fmt(as_float(row[name]))}" for name in others if row.get(name) is not None]
    kinds = row.get("labels")  # the kind of anomaly, where the labels name one
    kind = f" ({', '.join(map(str, kinds))})" if isinstance(kinds, list) and kinds else ""
    facts.append(f"label {row.get('label') or 'unknown'}{kind}")
    if verdict is None:
        facts.append("no verdict")
    else:
        # without the deciding score, the file's own is_anomaly is all there is: say whose
        source = " (the scores file's is_anomaly)" if value is None else ""
        facts.append(("flagged" if verdict else "not flagged") + source)
    return facts


def _session_block(
    rank: int,
    row: dict,
    facts: list[str],
    lookup: dict[int, str],
    keys: list[int] | None,
) -> Safe:
    summary = tag("summary", f"#{rank} session {row.get('session_id')}: ", "; ".join(facts))
    events = {
        int(e["position"]): e for e in rows_of(row, "top_events") if _is_int(e.get("position"))
    }
    if keys is None:
        body = _surprising_table(list(events.values()), lookup)
    else:
        body = _sequence_table(keys, events, lookup)
    return (
        tag("details", summary, body, open="open") if rank == 1 else tag("details", summary, body)
    )


def _surprising_table(events: list[dict], lookup: dict[int, str]) -> Safe:
    if not events:
        return missing("This row has no top_events to explain it.")
    ordered = sorted(events, key=lambda e: -(as_float(e.get("surprise")) or 0.0))
    rows = [
        (
            e.get("position"),
            _key_text(e.get("key"), lookup, e.get("template")),
            e.get("surprise"),
            _expected_text(e, lookup),
        )
        for e in ordered
    ]
    headers = ["position", "event (template)", "surprise", "expected instead"]
    if any(e.get("line_no") is not None for e in ordered):  # scored from raw logs: the line
        rows = [(*row, _raw_line(e)) for row, e in zip(rows, ordered, strict=True)]
        headers.append("raw line")
    return html_table(headers, rows, row_cls=lambda i: "surprise")


def _raw_line(event: dict) -> str:
    """`source:line_no` of the raw line behind an event ("" for the end of the session)."""
    if event.get("line_no") is None:
        return ""
    return f"{event.get('source') or ''}:{event['line_no']}"


def _sequence_table(keys: list[int], events: dict[int, dict], lookup: dict[int, str]) -> Safe:
    shown = [i for i in range(len(keys)) if i < MAX_EVENTS_SHOWN or i in events]
    extra = sorted(p for p in events if p >= len(keys))  # e.g. the [END] position
    rows, marked = [], []
    for position in shown + extra:
        event = events.get(position)
        key = keys[position] if position < len(keys) else (event or {}).get("key")
        rows.append(
            (
                position,
                _key_text(key, lookup, (event or {}).get("template")),
                "" if event is None else event.get("surprise"),
                "" if event is None else _expected_text(event, lookup),
            )
        )
        marked.append(event is not None)
    table = html_table(
        ["position", "event (template)", "surprise", "expected instead"],
        rows,
        row_cls=lambda i: "surprise" if marked[i] else None,
    )
    hidden = len(keys) - len([p for p in shown if p < len(keys)])
    if hidden:
        return join([table, tag("p", f"{hidden:,} unremarkable events not shown.", cls="note")])
    return table


def _learn(lookup: dict[int, str], item: dict) -> None:
    template = item.get("template")
    if template and _is_int(item.get("key")):
        lookup.setdefault(item["key"], str(template))


def _key_text(key: object, lookup: dict[int, str], own: object = None) -> str:
    """`key: template`; the end of a session has no key (its template says so)."""
    template = lookup.get(key) if _is_int(key) else None
    template = template or own
    if key is None:
        return str(template or "<end of session>")
    return f"{key}: {template}" if template else f"{key}"


def _expected_text(event: dict, lookup: dict[int, str]) -> Safe:
    items = [
        tag(
            "li",
            _key_text(alt.get("key"), lookup, alt.get("template")),
            f" (p={fmt(alt.get('prob'), 3)})",
        )
        for alt in rows_of(event, "expected")
    ]
    if isinstance(note := event.get("note"), str):  # LogBERT's end where normal sessions go on
        items.insert(0, tag("li", note))
    return tag("ul", *items) if items else Safe("")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
