"""Score rows: a detector's scores for a batch of sessions turned into verdicts with evidence.

One row per session, in input order: `session_id`, `start` and `end` (ISO 8601, when the
session has times: sessions of a reused id, a process id, are told apart by them), every
score the detector declares (`score_names`: LogBERT's `score`, `miss_ratio`, `max_surprise`;
one `score` for the others),
`is_anomaly` (the deciding score, named by the threshold, above its value; `decided_by` names
it where a detector has several), `p_value` (the
conformal p-value of the deciding score against the normal calibration scores: the share of
them at or above it, so a user can pick a false-alarm rate directly), `open` (when the
model knows session lifetimes), `label` (when known) and `top_events` (detectors that explain
themselves: the most surprising positions, their template text, the keys expected there and,
for sessions read from raw logs, the `source` file and `line_no` of the line behind each; for
`<end of session>`, the session's last line, which the end came after).
A model trained on a category target (`predicts_categories`) adds `categories` (predicted, []
when not flagged) and, for labelled sessions, `labels` (the true categories), so `evaluate
--scores` can compute the category metrics from the file.
A time window a value (a host) wrote nothing in, inside a silence longer than any of that
value's in training (`sessions.silences`), has a row of its own (`silence_rows`): no detector
score (null), `is_anomaly` true, `decided_by` "silence", and `silence`, its evidence: the
value, the silence's length in windows, the longest training had, and the value's last event
before it (`last_event`, and its `source` and `line_no` when known).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from logbert.errors import LogbertError
from logbert.models.base import Detector
from logbert.scoring.score_files import SILENCE
from logbert.scoring.thresholds import p_values
from logbert.sessions.batch import SessionBatch
from logbert.sessions.io import ANOMALY, Session, session_categories
from logbert.sessions.labels import split_label
from logbert.sessions.silences import Silence, SilenceProfile

END_OF_SESSION = "<end of session>"


def score_rows(
    detector: Detector,
    sessions: Sequence[Session],
    batch: SessionBatch,
    threshold: float,
    decision: str,
    templates: dict[int, str] | None = None,
    top_events: int = 3,
    with_open: bool = True,
    calibration: Any = None,
    model_id: str | None = None,
) -> list[dict[str, Any]]:
    """Score rows for one batch (`batch`: the sessions as detector input, open ones marked)."""
    scores = detector.score_sessions(batch, top_events=top_events)
    if decision not in scores:
        raise LogbertError(
            f"the model has no {decision!r} score (it has {', '.join(detector.score_names)}); "
            "rerun `logbert calibrate`"
        )
    flagged = scores[decision] > threshold
    categories = (
        detector.predict_categories(batch, threshold=threshold)  # type: ignore[attr-defined]
        if predicts_categories(detector)
        else None
    )
    p = p_values(scores[decision], calibration) if calibration is not None else None
    events = scores.get("top_events")
    named: dict[int, list[dict]] = {}  # identical sequences share one events list: name it once
    rows = []
    for i, session in enumerate(sessions):
        row: dict[str, Any] = {"session_id": session.session_id}
        if session.start is not None:  # when: an id reused (a process id) names sessions apart
            row["start"] = _utc_text(session.start)
            row["end"] = _utc_text(session.end)
        for name in detector.score_names:
            row[name] = float(scores[name][i])
        row["is_anomaly"] = bool(flagged[i])
        if len(detector.score_names) > 1:  # which of them decided (QA Artemis: sorting by
            row["decided_by"] = decision  # LogBERT's `score` did not follow its verdicts)
        if "parts_flagging" in scores:  # a combination's parts past their own thresholds
            row["parts_flagging"] = scores["parts_flagging"][i]
        if p is not None:
            row["p_value"] = float(p[i])
        if with_open:
            row["open"] = bool(batch.is_open[i])
        if model_id is not None:
            row["model_id"] = model_id
        if session.label is not None:
            row["label"] = session.label
        if categories is not None:
            row["categories"] = categories[i]
            if session.label is not None:
                row["labels"] = session_categories(session)
        elif session.categories and set(session.categories) != {ANOMALY}:
            row["labels"] = list(session.categories)  # the kind of anomaly (QA: lost here)
        if events is not None:
            if id(events[i]) not in named:
                named[id(events[i])] = [_with_templates(e, templates or {}) for e in events[i]]
            row["top_events"] = named[id(events[i])]
            if getattr(session, "lines", None):
                row["top_events"] = _with_lines(row["top_events"], session.lines)
        rows.append(row)
    return rows


def predicts_categories(detector: object) -> bool:
    """Whether a detector was trained on a category target (multiclass or multilabel)."""
    return getattr(detector, "target", "binary") != "binary" and hasattr(
        detector, "predict_categories"
    )


def _with_templates(event: dict, templates: dict[int, str]) -> dict:
    out = dict(event)
    out["template"] = _template(event["key"], templates)
    out["expected"] = [{**e, "template": _template(e["key"], templates)} for e in event["expected"]]
    return {k: out[k] for k in ("position", "key", "template", "surprise", "expected", "note")
            if k in out}  # fmt: skip


def _with_lines(events: list[dict], lines: Sequence[tuple[str, int]]) -> list[dict]:
    """Each event with the raw line behind it; the end of the session with its last line, the
    one the end came after (QA PAN-OS: a window's `<end of session>` named no line at all)."""
    out = []
    for event in events:
        position = event["position"]
        if event["key"] is None and lines:
            position = min(position, len(lines)) - 1
        if 0 <= position < len(lines):
            source, line_no = lines[position]
            event = {**event, "source": source, "line_no": int(line_no)}
        out.append(event)
    return out


def _template(key: int | None, templates: dict[int, str]) -> str | None:
    return END_OF_SESSION if key is None else templates.get(key)


def _utc_text(when: datetime | None) -> str | None:
    """A session's time (naive, in UTC) as ISO 8601 with its `Z`: without it a zone-aware
    reader (pandas, jq, a SIEM) took the time as local (QA Jenkins, Trino)."""
    return None if when is None else when.isoformat() + "Z"


def silence_evidence(silence: Silence, profile: SilenceProfile) -> dict[str, Any]:
    """What a flagged silence's rows and alerts show of it: whose it is, how long, the longest
    training saw, whether the log ended in it, and the value's last event down to its raw line
    (file and line number), where an operator starts looking."""
    evidence: dict[str, Any] = {
        "value": silence.value or None,  # (None: the whole log, plain windows)
        "windows": silence.length,
        "longest_in_training": profile.longest(silence.value),
        "at_end": silence.at_end,
        "last_event": _utc_text(silence.last_event),
    }
    if silence.last_line is not None:
        evidence["source"], evidence["line_no"] = silence.last_line
    return evidence


def silence_rows(
    silences: Sequence[Silence],
    profile: SilenceProfile,
    score_names: Sequence[str],
    labels: Mapping[str, str] | None = None,
    model_id: str | None = None,
) -> list[dict[str, Any]]:
    """One flagged row per empty window of each silence the profile judged anomalous,
    labelled by `labels` (window id -> label) where it names the window."""
    rows = []
    for silence in silences:
        evidence = silence_evidence(silence, profile)
        for session_id, start, end in silence.windows():
            row: dict[str, Any] = {"session_id": session_id, "start": _utc_text(start)}
            row["end"] = _utc_text(end)
            row.update(dict.fromkeys(score_names))
            row["is_anomaly"], row["decided_by"], row["silence"] = True, SILENCE, evidence
            if model_id is not None:
                row["model_id"] = model_id
            label, kinds = split_label(labels.get(session_id) if labels is not None else None)
            if label is not None:
                row["label"] = label
            if kinds:  # the kind of anomaly the labels name (`silent_host`)
                row["labels"] = kinds
            rows.append(row)
    return rows
