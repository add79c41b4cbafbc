"""Sessions holding keys a model never saw, found before they distort a threshold.

A detector scores a session with an unseen key by that key alone (LogBERT: probability ~0,
its score cap). `Pipeline.fit` looks for them among the validation sessions and
`crossfit.cross_fitted_scores` among each fold, reports them and leaves them out of the
normal-data rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from logbert.scoring.flag_rate import CHANGED_EVENT_SHARE, RETRAIN_ON_NEW_LOGS
from logbert.sessions.batch import SessionBatch


@dataclass
class UnseenKeys:
    """Validation sessions holding keys that the training split never saw.

    A detector scores such a session by its unseen keys (LogBERT: probability ~0, its score
    cap), so with a small training set one of them can put a `max` threshold at the cap and
    silence every verdict. `Pipeline.fit` therefore calibrates the normal-data rule on the
    other validation sessions (all of them when every one holds unseen keys) and reports the
    share: about the rate of false alarms on normal sessions that the small training set costs.
    """

    mask: np.ndarray  # per validation session: holds a key the training split lacks
    keys: list[int]  # those keys, sorted
    # key -> template text, where the caller knows it: the warning names the first keys by
    # their text (QA GitLab Runner: "8 keys: 1, 2, 3, ..." sent the user to templates.csv)
    names: dict[int, str] = field(default_factory=dict)

    @property
    def n_sessions(self) -> int:
        return int(self.mask.sum())

    @property
    def share(self) -> float:
        return float(self.mask.mean()) if self.mask.size else 0.0

    def to_dict(self) -> dict[str, Any]:
        n = self.n_sessions
        return {
            "n_sessions": n,
            "n_validation": int(self.mask.size),
            "share": self.share,
            "keys": self.keys[:20],
            "n_keys": len(self.keys),
            "left_out_of_calibration": n if 0 < n < self.mask.size else 0,
        }

    def warning(
        self,
        n_train: int,
        kind: str = "validation sessions",
        cross_fitted: bool = False,
        calibrating: bool = False,
    ) -> str:
        """The warning line; `kind` names the sessions checked (the validation split in `fit`,
        the calibration data in `calibrate`); `cross_fitted`: the threshold does not come from
        them but from cross-fitting, which reports its own left-out sessions; `calibrating`:
        they are new logs given to `calibrate`, so when most of them hold unseen keys the
        logs changed (a new version), which more training sessions of the old logs would not
        mend: the remedy is to retrain on the new logs."""
        n, total = self.n_sessions, int(self.mask.size)
        share = f"{100 * self.share:.3g}%"  # 0.4%, 20%: a small share must not read 0%
        shown = 3 if self.names else 5
        keys = ", ".join(_key_text(k, self.names) for k in self.keys[:shown])
        keys += ", ..." if len(self.keys) > shown else ""
        head = (
            f"warning: {n} of {total} {kind} ({share}) hold keys the "
            f"{n_train} training sessions lack ({len(self.keys)} keys: {keys}); "
        )
        changed = None  # more sessions of the old logs would not mend logs that changed
        if calibrating and n * 2 > total:
            changed = (
                f"The logs have templates the model never saw (new in {share} of sessions): "
                + RETRAIN_ON_NEW_LOGS
            )
        # where the detector flags such keys: not every one does (QA Kea: `length` was told to
        # expect these false alarms at training, and at scoring that it flagged none of them)
        flagged = (
            "where the detector flags keys it never saw (new-event does, and LogBERT deciding by "
            "its max surprise; count and length detectors and LogBERT's mean surprise may not), "
            f"expect false alarms on about {share} of normal sessions"
        )
        if cross_fitted:
            return head + (
                f"the threshold comes from cross-fitting, not from them, but {flagged}. Train on "
                "more normal sessions to lower it"
            )
        if n < total:
            return head + (
                f"the threshold is calibrated on the other {total - n}; {flagged}. "
                + (changed or "Train on more normal sessions to lower it")
            )
        return head + (
            "every one does, so the threshold is calibrated on them and may sit at the "
            "detector's score for unseen keys (few or no detections). "
            + (changed or "Train on more normal sessions")
        )


def _key_text(key: int, names: dict[int, str]) -> str:
    """`7`, or `7 'Started GitLab Runner.'` where its template is known (cut at 60 chars)."""
    name = names.get(key)
    if name is None:
        return str(key)
    return f"{key} {name if len(name) <= 60 else name[:57] + '...'!r}"


def training_keys(train: SessionBatch) -> list[int]:
    """The distinct keys of the training sessions, sorted (a model's record of what it saw)."""
    return np.unique(np.concatenate([np.zeros(0, np.int64), *train.keys])).tolist()


def unseen_key_sessions(
    known_keys: Sequence[int], validation: SessionBatch, templates: Mapping[str, str] | None = None
) -> UnseenKeys:
    """Which `validation` sessions hold a key outside `known_keys` (the training sessions'
    keys, `training_keys`); `templates` (key as text -> template, a run's template set) names
    those keys in the warning."""
    known = np.asarray(known_keys, dtype=np.int64)
    mask = np.zeros(len(validation), dtype=bool)
    unseen: set[int] = set()
    for i, session in enumerate(validation.keys):
        new = np.setdiff1d(session, known)
        if new.size:
            mask[i] = True
            unseen.update(int(k) for k in new)
    text = templates or {}
    names = {k: str(text[str(k)]) for k in unseen if str(k) in text}
    return UnseenKeys(mask, sorted(unseen), names)


@dataclass
class UnseenPassed:
    """Scored sessions holding keys no training session holds, and those of them the detector
    passed as normal. Unseen keys are the strongest evidence a log has (a message never seen),
    and `watch` alerts them early, but not every decision score flags them: LogBERT's mean
    surprise, which decides on sessions longer than one window, averages one unseen event among
    hundreds away; count vectors may ignore keys outside their vocabulary. Passing `tally=` to
    `Pipeline.score` (or `score_logs` / `score_batches`) fills one in; `warning()` says so."""

    n_unseen: int = 0
    n_passed: int = 0
    example: str | None = None  # the first passed session's id
    n_events: int = 0  # events of the scored sessions (windows that overlap count theirs twice)
    n_events_of_unseen: int = 0  # ... of the sessions holding keys no training session holds
    n_unseen_events: int = 0  # ... of those keys
    # closed sessions passed as normal whose whole key sequence no fitted session had, only its
    # start (`cut_short_note`), and the first
    n_cut_short: int = 0
    cut_short_example: str | None = None

    @property
    def unseen_event_share(self) -> float | None:
        """The share of never-seen keys among the events of the sessions holding any (None:
        none does): a few is an incident's own messages, many a log that changed. Of all
        scored events it read 2.2% where the flagged sessions held 28% (QA RabbitMQ)."""
        return self.n_unseen_events / self.n_events_of_unseen if self.n_events_of_unseen else None

    def add(self, known: np.ndarray, keys: Sequence[np.ndarray], flagged: Sequence[bool],
            ids: Sequence[str]) -> None:  # fmt: skip
        for session, is_anomaly, session_id in zip(keys, flagged, ids, strict=True):
            seen = np.isin(session, known, assume_unique=False)
            self.n_events += len(seen)
            if not seen.all():
                self.n_unseen += 1
                self.n_events_of_unseen += len(seen)
                self.n_unseen_events += int(len(seen) - np.count_nonzero(seen))
                if not is_anomaly:
                    self.n_passed += 1
                    self.example = self.example if self.example is not None else session_id

    def add_cut_short(self, ids: Sequence[str]) -> None:
        """Count sessions passed as normal that are only how fitted sessions started."""
        self.n_cut_short += len(ids)
        if ids and self.cut_short_example is None:
            self.cut_short_example = ids[0]

    def cut_short_note(self) -> str | None:
        """`note: ...` when closed sessions passed as normal hold, of the sequences the model
        was fitted on, only how some started (None otherwise): a sequence model judges each
        event in its context, not a missing end (QA pfSense, Pacemaker, dpkg: a DHCPREQUEST
        without its DHCPACK, a transition and a package run that stopped halfway scored 0.0,
        p-value 1, as an exact training sequence does; counted for sessions by id only,
        `Pipeline.tally_unseen`)."""
        if not self.n_cut_short:
            return None
        return (
            f"note: {self.n_cut_short:,} sessions passed as normal are only the start of "
            f"sequences the model was fitted on, never one whole (e.g. session "
            f"{self.cut_short_example!r}): the model judges each event after the ones before "
            "it, not a step missing at the end, so a session that stopped halfway passes; look "
            "at them, or add a detector that judges whole sequences (`--model logbert+length` "
            "or `ngram`)"
        )

    def warning(
        self,
        decision: str,
        detector: str,
        threshold: float | None = None,
        n_scored: int | None = None,
    ) -> str | None:
        """`warning: ...` when the detector (`detector`: its registry name) passed any such
        session, with the cause and the remedy that fit it (None otherwise). When the decision
        already flags never-seen keys (LogBERT's `max_surprise`, a combination with
        `new-event`), only a threshold at or above the score it gives them passes them, so
        the threshold (`threshold`: its value, when known) is named, never the decision in
        use: typically `calibrate` on logs of a new version set it there. When most of the
        `n_scored` sessions hold such keys, and such keys are more than a few of their events
        (`CHANGED_EVENT_SHARE`), the logs changed, whatever the detector: the advice is to
        retrain on them (a threshold recalibrated on them passes them)."""
        if not self.n_passed:
            return None
        share = self.unseen_event_share
        many_new_events = share is None or share >= CHANGED_EVENT_SHARE  # not an anomaly's few
        if n_scored and self.n_unseen * 2 > n_scored and many_new_events:
            return (
                f"warning: {self.n_passed:,} of {self.n_unseen:,} sessions holding keys no "
                f"training session holds were not flagged (e.g. session {self.example!r}), and "
                f"they are most of the {n_scored:,} sessions scored: the logs changed (new "
                "templates: a new version of the software?), and a threshold calibrated on such "
                f"logs passes them; {RETRAIN_ON_NEW_LOGS}"
            )
        head = (
            f"warning: {self.n_passed:,} of {self.n_unseen:,} sessions holding keys no training "
            f"session holds were not flagged (e.g. session {self.example!r}): "
        )
        flagging = None  # what flags never-seen keys in this detector, and its threshold
        if detector == "logbert" and decision == "max_surprise":
            value = "" if threshold is None else f" {threshold:.6g}"
            flagging = f"the decision score {decision!r}", f"the threshold{value}"
        elif detector == "new-event":
            flagging = "new-event", "its threshold"
        elif "new-event" in detector.split("+"):
            if threshold is not None and threshold > 0:
                # a rule on the combined score (`calibrate --threshold-rule fpr:...`) set it:
                # the never-seen keys rank with the other parts' scores (QA Rook: a new E-level
                # line passed under `fpr:0.01`, and "retrain" was the advice)
                return head + (
                    f"its new-event part flags keys it never saw, but the combination's "
                    f"threshold {threshold:.6g} is on the combined score (a rule other than its "
                    "default set it, such as `--threshold-rule fpr:...`), and the part's score "
                    "for them sits under it. Look at them; for \"flag whatever any part flags\" "
                    "calibrate with the default rule (`logbert calibrate MODEL NORMAL`, no "
                    "--threshold-rule)"
                )
            flagging = "its new-event part", "that part's threshold"
        if flagging is not None:
            return head + (
                f"{flagging[0]} flags keys it never saw, but {flagging[1]} sits at or above "
                "the score it gives them (typically: calibrated on sessions that hold such "
                "keys, by `logbert calibrate` on logs with templates the model never saw). "
                f"Look at them, and {RETRAIN_ON_NEW_LOGS}"
            )
        if detector == "logbert":
            return head + (
                f"the decision score {decision!r} does not flag keys it never saw (the mean "
                "surprise `score`, which decides when sessions are longer than one window, "
                "averages one unseen event away). Look at them (their top events name the "
                "unseen keys), or decide by a score that flags them: `decision: max_surprise` "
                "in `train --config`, or train `logbert+new-event`"
            )
        return head + (
            f"{detector} scores a never-seen key below its threshold. Look at them, or train a "
            f"combination that flags every never-seen key: `--model {detector}+new-event`"
        )
