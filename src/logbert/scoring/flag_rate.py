"""Is the share of sessions flagged plausible for the threshold? A guard against silent drift.

A threshold calibrated on normal sessions flags about a known share of normal sessions (its
conformal false-alarm rate, from the normal calibration scores kept with the model). When a
run flags far more than that, either the logs hold that many anomalies or they no longer look
like the training data (a later period, another workload, another system): LogBERT trained
on the first quarter of the HDFS 2% sample flags 311 of the next quarter's 1,314 normal blocks
(24%, at a threshold that flags 0.4% of its validation blocks). The tool cannot tell the two
apart without labels, but it must not stay silent: `flag_rate_note` says what was flagged
against what the threshold promises, and what to check.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

MIN_FLAGGED = 10  # fewer flagged sessions than this is never worth a note
MIN_SHARE = 0.05  # logs with a few percent anomalies are common; more than this is not
MIN_RATIO = 5.0  # and the share must be well above what the threshold flags on normal data
# logs that changed (a new version) write new templates in many of their events; an anomaly's
# own new messages are a few of them, however many sessions (overlapping windows) they touch
CHANGED_EVENT_SHARE = 0.05
# what to do when the logs hold templates the model never saw (a new version of the software):
# recalibrating on them cannot help, since a normal-data threshold set on sessions holding
# never-seen templates sits at the score the detector gives those (LogBERT: its cap)
RETRAIN_ON_NEW_LOGS = "retrain on logs of the new version (`logbert train`) rather than recalibrate"
WHY_NOT_RECALIBRATE = (
    "a threshold calibrated on sessions with templates the model never saw sits at the score "
    "it gives them, and then flags none of them"
)


def expected_flag_rate(calibration: np.ndarray, threshold: float) -> float:
    """The conformal false-alarm rate of `threshold`: (1 + #{calibration > threshold}) / (n + 1),
    an upper estimate of the share of normal sessions it flags (scores above it are flagged)."""
    scores = np.asarray(calibration, dtype=float)
    return float((1 + np.count_nonzero(scores > threshold)) / (scores.size + 1))


def flag_rate_far_above(
    n_flagged: int, n_scored: int, calibration: np.ndarray | None, threshold: float
) -> tuple[float, float] | None:
    """(share flagged, expected rate) when `n_flagged` of `n_scored` sessions is far more than
    `threshold` flags on the normal `calibration` scores: at least MIN_FLAGGED sessions, a
    share of MIN_SHARE and MIN_RATIO times the expected rate; None when it is not, or no
    calibration scores are kept. The one rule of every flag-rate guard (runs, and `fit`'s
    check of a cross-fitted threshold on its own training sessions)."""
    if calibration is None or not np.size(calibration) or n_scored <= 0:
        return None
    expected = expected_flag_rate(calibration, threshold)
    share = n_flagged / n_scored
    if n_flagged < MIN_FLAGGED or share < MIN_SHARE or share < MIN_RATIO * expected:
        return None
    return share, expected


def flag_rate_note(
    n_flagged: int,
    n_scored: int,
    calibration: np.ndarray | None,
    threshold: float,
    n_trained_on: int | None = None,
    n_unseen: int | None = None,
    unseen_event_share: float | None = None,
    what: str = "sessions",
    n_unseen_flagged: int | None = None,
    left_out_share: float = 0.0,
) -> str | None:
    """A note when `n_flagged` of `n_scored` sessions (`what`: "normal sessions" where the
    caller counts the labelled normal ones, as `evaluate` does) is far more than the threshold
    flags on the normal `calibration` scores (None when it is not, or no calibration scores are
    kept).
    `n_trained_on`: how many of the scored sessions the model was trained or calibrated on,
    when the caller knows; when that makes most of the flagged ones training sessions whatever
    the others are, the logs cannot differ from the training data, so the note blames the
    threshold instead (an undertrained model whose cross-fitted
    threshold does not describe it). `n_unseen`: how many hold templates no training session
    held, when the caller knows; when that is most of them the logs changed (a new version of
    the software), and recalibrating on them would only silence the detector, unless their new
    templates are a small share of the events (`unseen_event_share` under
    CHANGED_EVENT_SHARE): those may be the anomalies' own messages (QA: 16 of 20 one-minute
    windows held a memory kill's messages, 1.1% of the events, and the note said to retrain).
    `n_unseen_flagged`: how many of the flagged sessions hold such templates; most of them
    is a part of the logs that changed (one host's colour codes, a component's new version:
    QA CI logs, 168 of 201 flagged on 700 builds), with the same advice.
    `left_out_share`: the share of validation sessions that held keys training lacked, left
    out of the calibration scores: such normal sessions are flagged too (QA Entra ID: "at most
    about 0.31%" where training had warned of 14.9%)."""
    found = flag_rate_far_above(n_flagged, n_scored, calibration, threshold)
    if found is None:
        return None
    share, expected = found
    if left_out_share > 0:
        if share < MIN_RATIO * (expected + left_out_share):  # what training said to expect
            return None
        expected += left_out_share
    flagged = (
        # (an upper estimate for new normal sessions: a `max` threshold flags none of its own
        # n, and promises about 1 in n + 1; QA MongoDB read 6.67% as its own 14's share)
        # (an estimate, not a bound: from n sessions, the chance of a rare normal path is
        # known to about 1/n; QA Spring Boot read "at most 0.45%" as a promise, met 1.29%)
        f"note: {n_flagged:,} of {n_scored:,} {what} ({share:.1%}) were flagged, where the "
        f"threshold should flag about {expected:.2%} of normal sessions (an estimate from the "
        f"{np.size(calibration):,} it was calibrated on"
        + (f", and the {left_out_share:.1%} of validation sessions that held keys training "
           "lacked" if left_out_share else "")
        + "): "
    )
    # flagged sessions that must be training ones, however the rest fell: only when that is
    # most of the flagged is the threshold to blame (QA: 5,935 of 7,206 sessions were training
    # ones, but the 1,183 flagged were sessions cut at the file's start, and the note blamed
    # the threshold)
    trained_flagged = n_flagged - (n_scored - n_trained_on) if n_trained_on is not None else 0
    if trained_flagged * 2 > n_flagged:
        return flagged + (
            f"at least {trained_flagged:,} of the flagged sessions are ones the model was "
            "trained or calibrated on, so the logs do not differ from the training data: the "
            "threshold does not describe the model (typically an undertrained one, calibrated "
            "by cross-fitting). Retrain with more --epochs, or with --calibration split"
        )
    few_new_events = unseen_event_share is not None and unseen_event_share < CHANGED_EVENT_SHARE
    changed = n_unseen is not None and n_unseen * 2 > n_scored
    changed_part = n_unseen_flagged is not None and n_unseen_flagged * 2 > n_flagged
    if changed:  # of all scored sessions (QA: "86 of these" read as 86 of the 22 flagged)
        held = f"{n_unseen:,} of the {n_scored:,} {what}"
    elif changed_part:
        held = f"{n_unseen_flagged:,} of the {n_flagged:,} flagged sessions"
    if (changed or changed_part) and few_new_events:
        return flagged + (
            f"{held} hold templates no training session held, but those are only "
            f"{unseen_event_share:.1%} of the events of the sessions holding them: they may be "
            "the anomalies' own messages, or a few messages of a new version of the software. "
            "Look at the new templates in the flagged sessions; retrain only if they are normal"
        )
    if changed:  # ... or an attack of many sessions (QA macOS: ~95 brute-force ssh
        # processes, each a session of new messages, and retraining was the only advice)
        return flagged + (
            f"{held} hold templates no training session held (new templates in "
            f"{n_unseen / n_scored:.1%} of sessions): the logs changed (a new version of the "
            "software?), or an attack or incident of that many sessions writes new messages. "
            "Look at the new templates in the flagged sessions; if they are normal messages, "
            f"{RETRAIN_ON_NEW_LOGS}: {WHY_NOT_RECALIBRATE}"
        )
    if changed_part:  # a few sessions: an incident's new errors look the same (QA Django)
        return flagged + (
            f"{held} hold templates no training session held: either they are the anomalies' "
            "own messages (an incident writes new errors), or the logs changed in part (a "
            "host, a component or its settings, such as colour output, writing other "
            "messages). Look at the new templates in the flagged sessions; if they are normal "
            f"messages, {RETRAIN_ON_NEW_LOGS}: {WHY_NOT_RECALIBRATE}"
        )
    return flagged + (
        "either these logs hold that many anomalies, or they differ from the training data "
        "(another period, workload or system). Look at a few flagged sessions; if they are "
        "normal, recalibrate on recent normal sessions (`logbert calibrate`) or retrain; "
        "retrain, not recalibrate, where they hold templates the model never saw (`score` "
        f"says so): {WHY_NOT_RECALIBRATE}"
    )


@dataclass
class FlaggedStreams:
    """The streams of scored windows (a window id's part before its last `@`: a host, a
    file) and how many of each were flagged: for a note when most flagged windows are one
    stream's (`note`). Ids that are no stream's windows are left out."""

    scored: set[str] = field(default_factory=set)
    flagged: Counter[str] = field(default_factory=Counter)

    def add(self, session_id: str, is_flagged: bool) -> None:
        stream, at, _ = session_id.rpartition("@")
        if not at:
            return
        self.scored.add(stream)
        if is_flagged:
            self.flagged[stream] += 1

    def note(self, n_flagged: int) -> str | None:
        """`note: ...` when at least MIN_FLAGGED of `n_flagged` flagged sessions, and more
        than half of them, are windows of one stream of several: an incident there, or a
        stream whose windows interleave independent programs or clients, each window an
        interleaving an order model never met (QA CFEngine: a policy hub's host windows mixed
        six clients' connections with its own runs, 65 false alarms of LogBERT's, none of
        another host; windows by host and program, 7). For a run whose flag rate is already
        far above the threshold's (`flag_rate_note`)."""
        if len(self.scored) < 2 or not self.flagged:
            return None
        stream, count = self.flagged.most_common(1)[0]
        if count < MIN_FLAGGED or count * 2 <= n_flagged:
            return None
        return (
            f"note: {count:,} of the {n_flagged:,} flagged sessions are windows of one stream, "
            f"{stream!r} (of {len(self.scored):,}): an incident there, or windows that "
            "interleave independent programs or clients (a hub's connections beside its own "
            "jobs), whose order an order model (logbert, ngram) meets anew in each window. "
            "If its flagged windows are normal, cut windows by program too (`--by-field` "
            "naming the program's field beside the host's, e.g. `--by-field Host,Component`), "
            "or judge counts (`--model ecvc`)"
        )
