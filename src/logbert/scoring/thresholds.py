"""Thresholds: turn anomaly scores into verdicts, calibrated honestly.

A threshold is calibrated on validation data, never on the data being evaluated, and records
where it came from. Rules:

- from normal scores alone: `mean+2std` (any k: `mean+3std`, `mean+2.5*std`), `quantile:0.999`,
  `max` (the largest normal validation score), `evt:0.001` (extreme-value theory: the score a
  normal session exceeds with probability 0.001, extrapolated beyond the validation data by a
  generalized Pareto fit to its top 10%, the peaks-over-threshold method of Siffer et al.,
  KDD 2017; a few hundred validation sessions cannot show a 0.1% tail directly; P must lie in
  that tail, 0 < P < 0.1, and inside the share of scores actually above the tail's start, so
  the threshold is always above the tail's start: a larger false-alarm rate is a plain
  quantile, `quantile:1-P`), `fpr:0.001`
  (conformal: the lowest threshold at which a new normal session is flagged with probability
  at most 0.001, exchangeability assumed; needs at least 1/0.001 - 1 normal scores);
- from labelled validation scores: `best-f1`, `precision>=0.95`, `recall>=0.99`.

A session is anomalous when its score is strictly greater than the threshold. `p_values`
gives each session's conformal p-value against the normal calibration scores: the share of
them at or above its score, (1 + #{calibration >= s}) / (n + 1).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import precision_recall_curve

from logbert.errors import LogbertError
from logbert.model_files import read_json

DEFAULT_RULE = "mean+2std"
LABELLED_RULES = ("best-f1", "precision>=P", "recall>=R")
_MEAN_STD = re.compile(r"^mean\+(\d+(?:\.\d+)?)\*?std$")
# rules with a value: the value is checked apart, so a known rule with a value out of range
# says so (and what the range is) instead of being called unknown
_QUANTILE = re.compile(r"^quantile:(.*)$")
_TARGET = re.compile(r"^(precision|recall)>=(.*)$")
_EVT = re.compile(r"^evt:(.*)$")
_FPR = re.compile(r"^fpr:(.*)$")
EVT_TAIL_SHARE = 0.1  # the top 10% of the normal scores describe the tail
RULES_HELP = (
    "mean+Kstd (e.g. mean+2std), quantile:Q (0 <= Q <= 1), max, evt:P (0 < P < "
    f"{EVT_TAIL_SHARE:g}), fpr:P (0 < P < 1), best-f1, precision>=P, recall>=R (0 <= P, R <= 1)"
)
EVT_MIN_PEAKS = 10
EVT_MIN_DISTINCT = 3  # distinct excesses: a Pareto fit to fewer (ties) is degenerate
# a threshold that flags this share of the normal sessions it was calibrated on is warned of
FLAGS_MOST_NORMAL = 0.5
RECALIBRATE = "rerun `logbert calibrate`"


@dataclass
class Threshold:
    """A calibrated decision threshold and its provenance."""

    value: float
    rule: str
    score: str = "score"  # which per-session score the threshold applies to
    source: str = ""  # the data it was calibrated on, in words (file, split, counts)
    n_sessions: int = 0
    n_anomalies: int = 0
    # the trained model it was calibrated for (pipeline.json's `model_id`), so a threshold
    # copied from another model directory is caught; None: not recorded (older models)
    model_id: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Threshold:
        try:
            return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})
        except TypeError as exc:
            raise LogbertError(f"threshold record is malformed: {exc}") from exc

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> Threshold:
        """The threshold saved at `path`; refused unless its value is a finite number.

        A hand-edited value (a string, null, a list) would fail deep in scoring, and an
        infinite or NaN one would flag nothing (or everything) while the run reports success.
        """
        path = Path(path)
        if not path.exists():
            raise LogbertError(f"threshold file missing: {path}; run `logbert calibrate`")
        data = read_json(path, RECALIBRATE, expect=dict)
        if "value" not in data or "rule" not in data:
            raise LogbertError(f"threshold file {path} lacks 'value'/'rule'; {RECALIBRATE}")
        value = data["value"]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise LogbertError(
                f"threshold file {path}: 'value' must be a finite number, found {value!r}; "
                f"{RECALIBRATE}"
            )
        for field in ("rule", "score", "source", "model_id"):
            given = data.get(field, "")
            if not isinstance(given, str) and not (field == "model_id" and given is None):
                raise LogbertError(
                    f"threshold file {path}: {field!r} must be a string, found "
                    f"{data[field]!r}; {RECALIBRATE}"
                )
        return cls.from_dict({**data, "value": float(value)})


def rule_needs_labels(rule: str) -> bool:
    """True for rules that pick the threshold from labelled (normal + anomalous) data."""
    return rule == "best-f1" or bool(_TARGET.match(rule))


def check_rule(rule: str) -> str:
    """`rule` if it names a known rule with a value in its range, else a clear error (call
    before any training work): an unknown rule lists the valid ones, a known one with a value
    out of range says which range."""
    _rule_value(rule)
    return rule


def _rule_value(rule: str) -> float | None:
    """The checked value of a rule that takes one (None for `max`, `best-f1`, `mean+Kstd`)."""
    if rule in ("max", "best-f1") or _MEAN_STD.match(rule):
        return None
    if match := _FPR.match(rule):
        return _false_alarm_rate(match.group(1))
    if match := _QUANTILE.match(rule):
        return _in_range(rule, match.group(1), "a quantile Q with 0 <= Q <= 1", 0, 1, True)
    if match := _TARGET.match(rule):
        metric, text = match.groups()
        return _in_range(rule, text, f"a {metric} between 0 and 1", 0, 1, True)
    if match := _EVT.match(rule):
        return _in_range(
            rule,
            match.group(1),
            f"a false-alarm rate P with 0 < P < {EVT_TAIL_SHARE:g}: the rule reads a "
            f"generalized Pareto fit to the top {EVT_TAIL_SHARE:.0%} of the normal scores, so P "
            "must lie in that tail (for a larger rate use quantile:1-P, e.g. evt:0.2 -> "
            "quantile:0.8)",
            0,
            EVT_TAIL_SHARE,
            False,
        )
    raise LogbertError(f"unknown threshold rule {rule!r}; valid: {RULES_HELP}")


def _in_range(rule: str, text: str, needs: str, low: float, high: float, closed: bool) -> float:
    """`text` as a number in [low, high] (`closed`) or (low, high), else a clear error."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    inside = low <= value <= high if closed else low < value < high
    if not inside:  # nan fails both comparisons
        raise LogbertError(f"threshold rule {rule!r} needs {needs}; got {text!r}")
    return value


def calibrate(
    scores: np.ndarray | list[float],
    rule: str = DEFAULT_RULE,
    labels: np.ndarray | list[int] | None = None,
) -> float:
    """The threshold value that `rule` picks from validation `scores` (labels: 1 = anomaly).

    Rules from normal data use only the scores whose label is 0 (all of them when unlabelled).
    """
    value = _rule_value(rule)
    scores = np.asarray(scores, dtype=float)
    if labels is not None:
        labels = np.asarray(labels, dtype=int)
        if labels.shape != scores.shape:
            raise LogbertError("calibration scores and labels differ in length")

    if rule_needs_labels(rule):  # before the empty check: no labelled session is the problem
        n_anomalous = 0 if labels is None else int(np.sum(labels == 1))
        n_normal = 0 if labels is None else int(np.sum(labels == 0))
        n_unlabelled = scores.size - n_normal - n_anomalous  # no labels, or codes such as -1
        if not n_anomalous or not n_normal or n_unlabelled:
            raise labelled_rule_error(rule, n_normal, n_anomalous, n_unlabelled)
        return _from_labelled(scores, labels, rule)

    if scores.size == 0:
        raise LogbertError("cannot calibrate a threshold on no sessions")
    normal = scores if labels is None else scores[labels == 0]
    if normal.size == 0:
        raise LogbertError(f"threshold rule {rule!r} needs normal sessions; none were given")
    if rule == "max":
        return float(normal.max())
    if match := _MEAN_STD.match(rule):
        with np.errstate(invalid="ignore"):  # non-finite scores: nan, which callers refuse
            return float(normal.mean() + float(match.group(1)) * normal.std())
    if _QUANTILE.match(rule):
        return float(np.quantile(normal, value, method="higher"))
    if _EVT.match(rule):
        return peaks_over_threshold(normal, value)
    return conformal_threshold(normal, value)  # fpr:P, the one rule left


def labelled_rule_error(
    rule: str,
    n_normal: int,
    n_anomalous: int,
    n_unlabelled: int = 0,
    unlabelled_example: str | None = None,
) -> LogbertError:
    """The refusal of a labelled rule (`rule_needs_labels`) on sessions that are not all
    labelled, or not of both kinds, with the true counts: a rule such as best-f1 read on the
    labelled part alone would rest on whichever sessions the labels file happened to cover.
    `unlabelled_example`: the id of a session without a label, for the user to look up."""
    unlabelled = ""
    if n_unlabelled:
        example = "" if unlabelled_example is None else f" (e.g. session {unlabelled_example!r})"
        plural = "s" * (n_unlabelled != 1)
        unlabelled = f", and {n_unlabelled:,} unlabelled session{plural}{example}"
    return LogbertError(
        f"threshold rule {rule!r} needs labelled sessions with both normal and anomalous ones"
        f"{' and no unlabelled one' if n_unlabelled else ''}; got {n_normal:,} normal and "
        f"{n_anomalous:,} anomalous labelled sessions{unlabelled}. Calibrate on sessions that "
        "all carry a label (sessionize --labels, or --logs with --labels naming every session), "
        "or use a rule from normal data (mean+2std, quantile:0.999, max), which leaves "
        "labelled anomalies out"
    )


def conformal_threshold(normal: np.ndarray, rate: float) -> float:
    """The lowest threshold whose conformal p-value guarantee keeps false alarms <= `rate`.

    With the n normal scores sorted high to low (c_1 >= ... >= c_n), a score above c_k has a
    p-value of at most k / (n + 1); k = floor(rate * (n + 1)). With k = 0 the data cannot
    vouch for the rate: a clear error instead of a threshold that promises too much.
    """
    n = normal.size
    k = int(np.floor(rate * (n + 1) + 1e-9))
    if k < 1:
        raise LogbertError(
            f"fpr:{rate:g} needs at least {int(np.ceil(1 / rate)) - 1} normal calibration "
            f"sessions, got {n} (the largest of them, rule max, guarantees {1 / (n + 1):.2%}); "
            "calibrate on more normal sessions, or extrapolate the tail with evt:P"
        )
    return float(np.sort(normal)[::-1][k - 1])


def flags_most_normal(threshold: Threshold, normal_scores: np.ndarray) -> str | None:
    """A warning when `threshold` flags at least FLAGS_MOST_NORMAL of the normal calibration
    sessions it was picked on, else None. A labelled target the detector can only meet low
    (`recall>=0.9` when it ranks some anomalies below every normal session) puts the
    threshold under every normal score: every verdict is then "anomalous" while calibrating
    reported success, and a run's flag-rate guard sees nothing unusual (calibration was
    flagged alike)."""
    normal = np.asarray(normal_scores, dtype=float)
    flagged = int(np.sum(normal > threshold.value))
    if not normal.size or flagged / normal.size < FLAGS_MOST_NORMAL:
        return None
    share = (
        f"{flagged / normal.size:.0%} of the normal calibration sessions "
        f"({flagged:,} of {normal.size:,})"
    )
    if match := _TARGET.match(threshold.rule):
        metric, target = match.groups()
        change = "lower R" if metric == "recall" else "raise P"  # both move the threshold up
        return (
            f"warning: reaching {metric} {float(target):g} costs flagging {share}: "
            f"{change} or use another detector"
        )
    return (
        f"warning: the {threshold.rule} threshold {threshold.value:.6g} flags {share}: use "
        "another rule or another detector"
    )


# a spread rule (`mean+Kstd`) promises no false-alarm rate: on the skewed scores of count
# detectors it flags a few percent of normal sessions, said from this share up
SPREAD_RULE_NOTE_SHARE = 0.01


def spread_rule_note(
    threshold: Threshold, normal_scores: np.ndarray, parts: Sequence[str] | None = None
) -> str | None:
    """A note when a `mean+Kstd` threshold flags at least SPREAD_RULE_NOTE_SHARE (and less
    than FLAGS_MOST_NORMAL) of the normal calibration sessions: the rule sets no rate, and
    that share of normal sessions will be flagged (QA Graylog: ecvc's mean+2std flagged 14 of
    546 normal windows, where ngram's and new-event's threshold 0 had notes and it had none).
    `parts`: a combination's, whose threshold 0 means "any part flags" (QA NFS: "the
    mean+2std threshold 0 flags 15" read as ecvc's count under the combination's threshold)."""
    normal = np.asarray(normal_scores, dtype=float)
    if not threshold.rule.startswith("mean+") or not normal.size:
        return None
    flagged = int(np.sum(normal > threshold.value))
    share = flagged / normal.size
    if not SPREAD_RULE_NOTE_SHARE <= share < FLAGS_MOST_NORMAL:
        return None
    what = (
        f"the {threshold.rule} threshold {threshold.value:.6g} flags"
        if not parts
        else f"flagging when any of {', '.join(parts)} flags (each by its own threshold) flags"
    )
    return (
        f"note: {what} {flagged:,} of the "
        f"{normal.size:,} normal calibration sessions ({share:.1%}): expect about that share "
        "of normal sessions flagged; for a false-alarm rate of your choosing, calibrate with "
        "one on normal sessions the model was not trained on (`logbert calibrate MODEL NORMAL "
        "--threshold-rule fpr:0.001`), or train with it (`--threshold-rule fpr:0.001`: the "
        "rule then reads the same held-out scores as this one; a model's own training "
        "sessions score as no new ones do)"
    )


# a `max` threshold that a few normal calibration scores set far above all the others: at most
# this many of them (or this share), at least this many times the highest of the rest
OUTLYING_MAX = 3
OUTLYING_SHARE = 0.02
OUTLYING_RATIO = 2.0


def outlying_threshold_note(threshold: Threshold, normal_scores: np.ndarray) -> str | None:
    """A note when a `max` threshold rests on a few normal calibration sessions that score far
    above every other one (QA Privoxy: each file's first window, a daemon's start-up banner,
    scored 8.6 where the other 193 windows scored at most 1.69; LogBERT's threshold sat on
    them and flagged no window of the test logs, though its 8 highest scores were all
    anomalies, exit 0). None otherwise."""
    normal = np.sort(np.asarray(normal_scores, dtype=float))[::-1]
    if threshold.rule != "max" or normal.size < 20:
        return None
    most = max(1, min(OUTLYING_MAX, int(OUTLYING_SHARE * normal.size)))
    for k in range(1, most + 1):
        rest = normal[k]
        if rest > 0 and normal[k - 1] >= OUTLYING_RATIO * rest:
            break
    else:
        return None
    quantile = math.floor(1000 * (normal.size - k - 1) / (normal.size - 1)) / 1000
    flagged = np.count_nonzero(normal > np.quantile(normal, quantile)) / normal.size
    return (
        f"note: the max threshold {threshold.value:.6g} rests on {k} of the {normal.size:,} "
        f"normal calibration sessions, which score {normal[k - 1] / rest:.1f}x or more the "
        f"highest of the others ({rest:.6g}): a session scoring between them passes as normal "
        "however unlike the rest it is. If those few are no normal case of your logs (often a "
        "file's first window: a start-up banner, a log cut mid-run), leave them out of "
        "training; or train with a rule that reads the others (`--threshold-rule quantile:"
        f"{quantile:g}`), which flags sessions like those few too (about {flagged:.1%} of "
        "normal sessions)"
    )


P_VALUE_TOLERANCE = 1e-9  # a p-value written to a scores file and recomputed from it


def p_values(scores: np.ndarray, calibration: np.ndarray) -> np.ndarray:
    """Conformal p-value per score: (1 + #{calibration >= score}) / (n + 1)."""
    ordered = np.sort(np.asarray(calibration, dtype=float))
    at_or_above = ordered.size - np.searchsorted(ordered, np.asarray(scores, float), "left")
    return (1 + at_or_above) / (ordered.size + 1)


def p_value_mismatches(
    scores: np.ndarray, given: np.ndarray, calibration: np.ndarray
) -> tuple[int, int]:
    """(rows whose written p-value is not the one `calibration` gives their score, rows
    checked): the finite `given` p-values only. Another model's scores betray themselves here
    even when their verdicts agree with this threshold."""
    has_p = np.isfinite(given)
    if not has_p.any():
        return 0, 0
    expected = p_values(scores[has_p], calibration)
    return int(np.sum(np.abs(given[has_p] - expected) > P_VALUE_TOLERANCE)), int(has_p.sum())


def _false_alarm_rate(text: str) -> float:
    try:
        rate = float(text)
    except ValueError:
        rate = float("nan")
    if not 0 < rate < 1:
        raise LogbertError(f"fpr:{text} needs a false-alarm rate strictly between 0 and 1")
    return rate


def peaks_over_threshold(normal: np.ndarray, tail_probability: float) -> float:
    """The score exceeded with `tail_probability`, from a generalized Pareto tail fit.

    The excesses over the 90% quantile are fitted by maximum likelihood (scipy); the fitted
    tail is then read at `tail_probability`. With too few distinct peaks to fit, a clear error.
    The fit describes only the scores above its start, so it is read only at a probability
    below their share (ties at the 90% quantile can make that share smaller than 10%); the
    threshold then lies above the start, never below every normal score (which would flag
    every session). A larger probability is refused: it is a plain quantile.
    """
    from scipy.stats import genpareto

    start = float(np.quantile(normal, 1 - EVT_TAIL_SHARE))
    excess = normal[normal > start] - start
    distinct = np.unique(excess).size
    if excess.size < EVT_MIN_PEAKS or distinct < EVT_MIN_DISTINCT:
        # two faults, told apart: too few scores above the tail's start, or enough that tie
        got = f"got {excess.size}"
        if excess.size >= EVT_MIN_PEAKS:
            got += f" but they tie: only {distinct} distinct value{'s' * (distinct != 1)}"
        raise LogbertError(
            f"evt needs at least {EVT_MIN_PEAKS} scores, {EVT_MIN_DISTINCT} of them distinct, "
            f"above the tail's start {start:.6g} (the top {EVT_TAIL_SHARE:.0%} of the "
            f"{normal.size} normal validation scores) to fit a tail; {got}. Use more (or more "
            "varied) validation data, or the max or quantile:Q rule"
        )
    ratio = tail_probability * normal.size / excess.size
    if ratio >= 1:
        share = excess.size / normal.size
        raise LogbertError(
            f"evt:{tail_probability:g} reads the tail fit at a false-alarm rate the tail does "
            f"not reach: only {excess.size} of {normal.size} normal scores ({share:.1%}) lie "
            f"above the tail's start {start:.6g}, so the threshold would fall below the fitted "
            f"tail; use evt:P with P below {share:.3g}, or quantile:{1 - tail_probability:g}"
        )
    shape, _, scale = genpareto.fit(excess, floc=0)
    if abs(shape) < 1e-9:
        return float(start - scale * np.log(ratio))
    return float(start + scale / shape * (ratio ** (-shape) - 1))


def _from_labelled(scores: np.ndarray, labels: np.ndarray, rule: str) -> float:
    precision, recall, cutoffs = precision_recall_curve(labels, scores)
    # precision_recall_curve flags score >= cutoff; ours flags score > threshold, so the
    # threshold sits between the cutoff and the next lower score.
    precision, recall = precision[:-1], recall[:-1]
    if rule == "best-f1":
        f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
        index = int(np.argmax(f1))
    else:
        metric, target = _TARGET.match(rule).groups()  # type: ignore[union-attr]
        values = precision if metric == "precision" else recall
        ok = np.flatnonzero(values >= float(target))
        if ok.size == 0:
            raise LogbertError(f"no threshold reaches {rule} on the validation data")
        # precision target: the lowest cutoff that keeps precision (most recall);
        # recall target: the highest cutoff that keeps recall (most precision).
        index = int(ok[0] if metric == "precision" else ok[-1])
    return _just_below(scores, float(cutoffs[index]))


def _just_below(scores: np.ndarray, cutoff: float) -> float:
    below = scores[scores < cutoff]
    if below.size == 0:
        return float(np.nextafter(cutoff, -np.inf))
    return float((below.max() + cutoff) / 2)
