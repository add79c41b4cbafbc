"""Whether the report's inputs belong together: the model, its scores, its evaluation, the
sessions file and the templates.

A report that shows another model's numbers, or another parse run's template text, under this
model's name is a wrong answer that looks right, so whatever the inputs record is compared and
a mismatch is an error naming both sides and what to pass instead:

- an evaluation names its detector (`model`) and the threshold it used (`threshold_info`): both
  must be this model's (a threshold given with `--threshold`, or the one `calibrate` replaced,
  is said in a warning instead, since the report then shows the evaluation's threshold);
- a scores file records no model name; its origin is read from what it does hold: session ids
  that the model's session settings must be able to make, verdicts (`is_anomaly`) that must be
  the deciding score against the threshold shown, and p-values that must be those of this
  model's normal calibration scores. When neither verdicts nor p-values can be compared, the
  report says that the scores' origin could not be checked;
- an evaluation and a scores file given together must count the same sessions, anomalies and
  mean score (neither records a session list, so their contents are compared);
- a sessions file (`--sessions`) and a templates file (`--templates`) must come from the parse
  run the model was trained on: the same check `score` and `evaluate` make, since keys from
  another run would be shown as other events; a templates file must also give the keys the
  scores' top sessions show the text the scores show (keys new since training included, which
  the model's template set does not hold).

Every function returns the warnings to show (the page and stderr), and raises `LogbertError`
for a mismatch.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np

from logbert.errors import LogbertError
from logbert.parsing.templates import (
    TEMPLATE_SET_KEY,
    TEMPLATES_FILE_REMEDY,
    require_same_parse_run,
    require_same_text,
    require_templates_file,
    template_set_templates,
)
from logbert.pipeline.files import CALIBRATION_FILE, read_calibration_scores
from logbert.reporting.html import fmt
from logbert.reporting.inputs import ModelInfo, ScoreTable, as_float
from logbert.scoring.thresholds import p_value_mismatches
from logbert.sessions.io import read_file_metadata

TIE_TOLERANCE = 1e-6  # relative: float32 rounding of a score or threshold
MEAN_TOLERANCE = 1e-6  # relative: the same scores summed in another order


def session_id_check(model: ModelInfo) -> tuple[Callable[[str], bool], str] | None:
    """A test of whether a session id is one the model's session settings (pipeline.json
    `sessionizer`) can make, and those settings in words; None when ids can take any form
    (a model trained on a sessions file, ids taken from a field or by line count)."""
    settings = (model.pipeline or {}).get("sessionizer")
    if not isinstance(settings, dict):
        return None
    by_id, window = settings.get("by_id"), settings.get("window")
    if isinstance(window, str) and window and not settings.get("lines"):
        field = settings.get("by_field") or (f"--by-id '{by_id}'" if by_id else None)
        if field:
            named = field if by_id else f"--by-field {field}"
            return _window_id_with_value, f"{named} --window {window} ids (VALUE@TIME)"
        return _is_time, f"--window {window} ids (the window's start time)"
    if isinstance(by_id, str) and by_id:
        try:
            regex = re.compile(by_id)
        except re.error:
            return None
        # the id is a group's text, which may look like anything; a look-around asks what
        # stands beside the id in its line (QA ASA: `(?<=outside:)\d+...` refused its model's
        # own scores)
        if regex.groups or re.search(r"\(\?<?[=!]", by_id):
            return None
        return (lambda sid: regex.fullmatch(sid) is not None), f"ids matching --by-id '{by_id}'"
    return None


def _is_time(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _window_id_with_value(text: str) -> bool:
    value, at, start = text.rpartition("@")
    return bool(at and value) and _is_time(start)


def check_evaluation(model: ModelInfo, evaluation: dict, path: Path) -> list[str]:
    """Refuse an evaluation of another detector, of another trained model (`model_id`), or
    at another model's threshold."""
    named, ours = evaluation.get("model"), model.name
    evaluated = evaluation.get("sessions_file")
    of = f" on {evaluated}" if isinstance(evaluated, str) and evaluated else ""
    if isinstance(named, str) and ours is not None and named != ours:
        raise LogbertError(
            f"--evaluation {path} evaluates model {named!r}{of}, but {model.path} holds model "
            f"{ours!r}: pass an evaluation of this model (`logbert evaluate {model.path} "
            "SESSIONS -o EVALUATION`)"
        )
    theirs, own_id = evaluation.get("model_id"), (model.pipeline or {}).get("model_id")
    if isinstance(theirs, str) and own_id and theirs != own_id:
        raise LogbertError(
            f"--evaluation {path} evaluates model {theirs}{of}, not {model.path} ({own_id}, "
            f"`model_id` in pipeline.json): pass an evaluation of this model (`logbert "
            f"evaluate {model.path} SESSIONS -o EVALUATION`)"
        )
    used = evaluation.get("threshold_info")
    current = model.threshold
    if not isinstance(used, dict) or not current or _same_threshold(used, current):
        return []
    if used.get("rule") == "given":
        return [
            f"{path.name} was evaluated at a threshold given on the command line "
            f"({_threshold_words(used)}), not at the model's calibrated one "
            f"({_threshold_words(current)}); the report shows the evaluation's threshold."
        ]
    if model.previous_threshold and _same_threshold(used, model.previous_threshold):
        return [
            f"{path.name} was evaluated at the threshold `logbert calibrate` has since replaced "
            f"({_threshold_words(used)}; now {_threshold_words(current)}); the report shows "
            "the evaluation's threshold. Evaluate again for numbers at the current one."
        ]
    raise LogbertError(
        f"--evaluation {path} used the threshold {_threshold_words(used)}, but {model.path}'s "
        f"threshold is {_threshold_words(current)}: it evaluated another model (or this one "
        f"before an earlier recalibration). Evaluate this model (`logbert evaluate "
        f"{model.path} SESSIONS -o EVALUATION`)"
    )


def check_scores(
    model: ModelInfo,
    table: ScoreTable,
    threshold: float | None,
    threshold_from: str,
    session_settings: str | None,
) -> list[str]:
    """Refuse scores whose ids, verdicts or p-values are not this model's; say when neither
    verdicts nor p-values could be compared (`threshold_from` names the threshold's record,
    `session_settings` the settings the ids were checked against)."""
    path = table.path
    rescore = f"Score with this model (`logbert score {model.path} INPUT -o SCORES`)"
    if table.n_foreign_ids:
        raise LogbertError(
            f"--scores {path} does not score this model's sessions: {table.n_foreign_ids:,} of "
            f"its {table.n_rows:,} session ids (first: {table.first_foreign_id!r}) are not "
            f"{session_settings}, as {model.path} makes them: these scores come from another "
            f"model or other logs. {rescore}"
        )
    ours = (model.pipeline or {}).get("model_id")
    foreign = sorted(table.model_ids - {ours}) if ours else []
    if foreign:
        raise LogbertError(
            f"--scores {path} was written by model {foreign[0]}, not by {model.path} "
            f"({ours}, `model_id` in pipeline.json): the report would show another model's "
            f"scores. {rescore}"
        )
    declared = set(model.score_names)
    if declared and table.columns and not declared & set(table.columns):
        raise LogbertError(
            f"--scores {path} holds none of the scores {model.path}'s detector writes "
            f"({', '.join(sorted(declared))}; the file has {', '.join(sorted(table.columns))}): "
            f"it was written by another detector. {rescore}"
        )
    checked = []
    if table.verdicts is not None and table.has_deciding and threshold is not None:
        # `score` may compare in float32: a score within rounding of the threshold can go either way
        clear = np.abs(table.scores - threshold) > TIE_TOLERANCE * max(1.0, abs(threshold))
        differ = int(np.sum(((table.scores > threshold) != table.verdicts) & clear))
        if differ:
            raise LogbertError(
                f"--scores {path}: on {differ:,} of {table.scores.size:,} rows the verdict "
                f"(is_anomaly) is not `{table.column} > {fmt(threshold, 6)}`, the threshold of "
                f"{threshold_from}: the scores were written by another model or at another "
                "threshold (`score --threshold`, or before `logbert calibrate`), so the report "
                f"would show verdicts that are not this threshold's. {rescore}"
            )
        checked.append("verdicts")
    calibration = read_calibration_scores(model.path / CALIBRATION_FILE)
    given = table.p_values if table.p_values is not None else np.zeros(0)
    differ = n_checked = 0
    if calibration is not None and calibration.size and table.has_deciding:
        differ, n_checked = p_value_mismatches(table.scores, given, calibration)
    if differ:
        raise LogbertError(
            f"--scores {path}: on {differ:,} of {n_checked:,} rows the p_value is not the one "
            f"{model.path}'s calibration scores ({CALIBRATION_FILE}) give: the scores were "
            f"written by another model (or before `logbert calibrate` changed this one). {rescore}"
        )
    if n_checked:
        checked.append("p-values")
    if checked:
        return []
    if not table.has_deciding:
        return [
            f"The origin of {path.name} cannot be checked: it lacks `{table.column}`, the score "
            "this model's threshold applies to, so its verdicts and p-values cannot be compared "
            "with this model's; the report shows no verdicts from it."
        ]
    return [
        f"The origin of {path.name} cannot be checked: it records no model, and no verdicts "
        "or p-values to compare with this model's threshold and calibration. The report "
        "assumes it was written by this model."
    ]


def check_evaluation_scores(evaluation: dict, path: Path, table: ScoreTable) -> None:
    """Refuse an evaluation and a scores file that describe different sessions (count,
    anomalies, mean deciding score: neither records which sessions it holds). `evaluate`
    leaves out sessions without a label, which `score --labels` writes with none: then the
    evaluation's sessions are the labelled rows (QA Rook: a window past the labels' midnight
    made the README's raw-log steps refuse their own files, 141 evaluated, 142 scored)."""
    n_sessions = evaluation.get("n_sessions")
    named = evaluation.get("sessions_file")
    of = f" of {named}" if isinstance(named, str) and named else ""
    both = f"--evaluation {path} (sessions{of}) and --scores {table.path}"
    redo = (
        "pass the evaluation and the scores of the same logs and labels (`logbert score MODEL "
        "LOGS --logs --labels LABELS` and `logbert evaluate MODEL LOGS --logs --labels LABELS`)"
        if "lines_read" in evaluation  # an evaluation of raw logs: `--scores` takes none
        else "pass the evaluation and the scores of the same sessions file (`logbert evaluate "
        "MODEL SESSIONS --scores SCORES` evaluates a scores file)"
    )
    n_labelled = None if table.all_labels is None else int((table.all_labels >= 0).sum())
    labelled_only = n_labelled is not None and n_sessions == n_labelled != table.n_rows
    if _is_count(n_sessions) and n_sessions != table.n_rows and not labelled_only:
        with_label = "" if n_labelled is None else f" ({n_labelled:,} with a label)"
        raise LogbertError(
            f"{both} describe different sessions: {n_sessions:,} sessions evaluated, "
            f"{table.n_rows:,} rows scored{with_label}; {redo}"
        )
    n_anomalies = evaluation.get("n_anomalies")
    if _is_count(n_anomalies) and table.all_labels is not None:
        anomalous = int((table.all_labels == 1).sum())
        if anomalous != n_anomalies:
            raise LogbertError(
                f"{both} describe different sessions: {n_anomalies:,} anomalies evaluated, "
                f"{anomalous:,} labelled anomalous in the scores; {redo}"
            )
    mean = _evaluated_mean(evaluation)
    # (silent windows' rows have no score, and no part in the evaluation's means)
    unscored = table.n_unscored - table.n_silent
    if mean is None or not table.has_deciding or unscored or not table.scores.size:
        return
    scores = table.scores[table.labels >= 0] if labelled_only else table.scores
    scored = float(scores.mean()) if scores.size else math.nan
    if not math.isclose(mean, scored, rel_tol=MEAN_TOLERANCE, abs_tol=MEAN_TOLERANCE):
        raise LogbertError(
            f"{both} hold different scores: the evaluation's mean {table.column} is "
            f"{fmt(mean, 6)}, the scores' {fmt(scored, 6)} (another model, or other "
            f"sessions); {redo}"
        )


def check_sessions_file(model: ModelInfo, path: Path) -> list[str]:
    """Refuse a sessions file parsed in another run than the model's training data (the
    check `score` and `evaluate` make); warn when the file records no template set. A model
    trained from raw logs refuses any: its parser runs only inside `--logs`, so no sessions
    file holds its key ids (QA: a raw log given here was told to add --logs, which `report`
    does not take, and a sessions file parsed apart was refused as another parse run)."""
    if model.reads_logs:
        raise LogbertError(
            f"--sessions {path}: this model was trained from raw logs (`train --logs`) and "
            "parses them itself, so no sessions file holds its key ids; leave out --sessions: "
            "the report shows each top session's events behind its score, from the scores "
            "file, with the source and line number of each (detectors that explain their "
            "scores: logbert, ngram, new-event)"
        )
    ours = model.template_set
    raw = read_file_metadata(path).get(TEMPLATE_SET_KEY)
    if not raw:
        if not ours:
            return []
        return [
            f"{path} records no template set (only Parquet sessions files from `logbert "
            "sessionize` do), so its key ids cannot be checked against the model's templates: "
            "the whole sessions shown are right only if it was parsed with the model's parse "
            "state (the same --state file)."
        ]
    require_same_parse_run(
        ours,
        template_set_templates(raw),
        data=str(path),
        reference="the model's training data",
        remedy="Its events would be shown as other templates: pass the sessions file the "
        "scores were written from (parsed with the model's --state file), or leave out "
        "--sessions.",
    )
    return []


def check_templates_file(
    model: ModelInfo, path: Path, scores: ScoreTable | None = None
) -> dict[int, str]:
    """Refuse a templates.csv from another parse run than the model's training data: the
    report would give the model's keys another run's text. With `scores`, also refuse one
    whose text for a key differs from the text the scores show for it (`shown_templates`):
    keys mined since training (`score --logs` on a new version) are in no template set of
    the model, and another parse run may have numbered them otherwise. Returns the file's
    templates (key -> text)."""
    theirs = require_templates_file(model.template_set, path)
    if scores is not None:
        require_same_text(
            shown_templates(scores),
            theirs,
            data=f"--templates {path}",
            reference=f"the scores {scores.path}",
            remedy=TEMPLATES_FILE_REMEDY,
        )
    return theirs


def shown_templates(scores: ScoreTable) -> dict[int, str]:
    """Key -> the template text the scores' top rows show for it, in their surprising events
    and the keys expected there (the keys a report names); a key shown without text, or a
    row written by hand without these fields, adds nothing."""
    shown: dict[int, str] = {}
    for row in scores.top_rows:
        for event in row.get("top_events") or []:
            if not isinstance(event, dict):
                continue
            for named in [event, *(event.get("expected") or [])]:
                key = named.get("key") if isinstance(named, dict) else None
                text = named.get("template") if isinstance(named, dict) else None
                if isinstance(key, int) and not isinstance(key, bool) and isinstance(text, str):
                    shown.setdefault(key, text)
    return shown


def check_sessions_found(path: Path, wanted: list[str], found: dict) -> list[str]:
    """Refuse a sessions file holding none of the top sessions; warn when some are missing."""
    missing = [sid for sid in wanted if sid not in found]
    if not missing:
        return []
    if len(missing) == len(wanted):
        raise LogbertError(
            f"--sessions {path} holds none of the {len(wanted):,} top-scoring sessions (first: "
            f"{wanted[0]!r}): it is not the sessions file the scores were written from; pass "
            "that file, or leave out --sessions"
        )
    return [
        f"{len(missing):,} of the {len(wanted):,} top sessions are not in {path} (first: "
        f"{missing[0]!r}): only their surprising events are shown. Is it the sessions file the "
        "scores were written from?"
    ]


def _same_threshold(a: dict, b: dict) -> bool:
    """Same value, rule, score and source (two records of one calibration)."""
    va, vb = as_float(a.get("value")), as_float(b.get("value"))
    same_value = va == vb or (
        va is not None and vb is not None and math.isclose(va, vb, rel_tol=1e-12)
    )
    return same_value and all(a.get(k) == b.get(k) for k in ("rule", "score", "source"))


def _threshold_words(record: dict) -> str:
    value = as_float(record.get("value"))
    shown = "unrecorded" if value is None else fmt(value, 6)
    where = f"{shown} on {record.get('score') or 'score'}"
    if record.get("rule") == "given":  # its other fields are the calibrated record's
        return f"{where}, given"
    source = record.get("source") or "unrecorded data"
    return f"{where} by {record.get('rule')}, from {source}"


def _evaluated_mean(evaluation: dict) -> float | None:
    """The mean deciding score over every evaluated session, from the per-class means (of
    the sessions: flagged silent windows the counts hold have no score, `silences`)."""
    n, n_anomalies = evaluation.get("n_sessions"), evaluation.get("n_anomalies")
    if not (_is_count(n) and _is_count(n_anomalies)) or n == 0:
        return None
    silent = evaluation.get("silences")
    if isinstance(silent, dict):
        anomalous, normal = silent.get("labelled_anomalous"), silent.get("labelled_normal")
        if not (_is_count(anomalous) and _is_count(normal)):
            return None
        n, n_anomalies = n - anomalous - normal, n_anomalies - anomalous
        if n <= 0 or n_anomalies < 0:
            return None
    n_normal = n - n_anomalies
    normal = as_float(evaluation.get("normal_score_mean"))
    anomalous = as_float(evaluation.get("anomaly_score_mean"))
    if (n_normal and normal is None) or (n_anomalies and anomalous is None):
        return None
    return ((normal or 0.0) * n_normal + (anomalous or 0.0) * n_anomalies) / n


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
