"""The threshold `Pipeline.fit` calibrates: on the validation sessions, or on cross-fitted
normal scores, with the warnings a user needs when it rests on too little.

Kept apart from the bundle so the rule of which sessions a threshold may rest on reads in one
place: sessions holding keys training never saw are the detector's business (unseen keys are
evidence of anomaly), so a normal-data rule is calibrated on the sessions it knows; with no
validation session the training sessions stand in (in-sample, warned of); cross-fitted, the
out-of-fold normal scores replace the split's and the split's threshold stays on record, and
the final model's own training sessions are scored against it: fold models can score unlike
the final model (an undertrained one: few epochs on few distinct sessions), and nothing else
would tell before `score` flags a quarter of normal sessions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from logbert.errors import LogbertError
from logbert.models.base import Detector
from logbert.pipeline.crossfit import CrossFit, cross_fit_refusal
from logbert.pipeline.unseen import UnseenKeys
from logbert.scoring.flag_rate import flag_rate_far_above
from logbert.scoring.thresholds import (
    Threshold,
    flags_most_normal,
    outlying_threshold_note,
    spread_rule_note,
)
from logbert.sessions.batch import SessionBatch

# a threshold on fewer normal scores moves with one odd session: `fit` warns (2 * default folds,
# the fewest sessions `auto` cross-fits)
FEW_CALIBRATION_SCORES = 10
# at most this many of the final model's training sessions (a seeded sample) are scored to
# check a cross-fitted threshold: a fraction of a second, and enough to see a share of 5%
TRAINING_CHECK_SESSIONS = 2000
# a supervised detector's labelled calibration sessions with fewer anomalies than this: where
# its best-F1 threshold falls is chance (QA: 1 anomaly gave a threshold that flagged all)
FEW_LABELLED_ANOMALIES = 5

Say = Callable[[str], None]


@dataclass
class FitCalibration:
    """What `fit`'s threshold rests on. `batch`/`scores`: the sessions the split's threshold
    was calibrated on and the detector's scores of them; `normal_scores`: the normal scores
    behind p-values (the cross-fitted ones when cross-fitted); `split_threshold`: cross-fitted
    only, the split's own threshold, kept to show what cross-fitting changed (None otherwise,
    or when the rule could not be met on the split alone)."""

    batch: SessionBatch
    scores: np.ndarray
    normal_scores: np.ndarray
    split_threshold: Threshold | None = None
    # cross-fitted only: what the threshold flags of the final model's training sessions
    # (`check_on_training`), also kept in the detector's training info
    training_check: dict[str, int] | None = None


def calibrate_fitted(
    detector: Detector,
    train: SessionBatch,
    validation: SessionBatch,
    unseen: UnseenKeys,
    *,
    rule: str,
    seed: int,
    folds: int,
    source: str,
    say: Say,
    cross_fit: CrossFit | None = None,
    given: str | None = None,
) -> FitCalibration:
    """Set the fitted detector's threshold by `rule` on the validation sessions, or on the
    cross-fitted normal scores when given. `unseen`: the validation sessions' unseen keys;
    `given`: where validation sessions given to `fit` came from (None: the validation split);
    `seed`/`folds`: the bundle's, named in the threshold's source and in the advice."""
    calibration = validation
    kind = "validation split" if given is None else "validation sessions"
    if not len(validation):
        calibration, kind = train, "training sessions"
        if cross_fit is None:  # else the folds' out-of-sample scores set it (QA Keycloak)
            say(
                f"warning: no session was held out for validation ({len(train)} training "
                "sessions): the threshold is calibrated on the training sessions themselves "
                "(in-sample), so normal sessions the model has not seen will be flagged more "
                "often than the rule intends. Train on more sessions, or give validation "
                "sessions (train --validation FILE)"
            )
    elif 0 < unseen.n_sessions < len(validation) and not detector.supervised:
        calibration = validation.take(np.flatnonzero(~unseen.mask))
        kind = f"{kind} less its {unseen.n_sessions} sessions with keys unseen in training"
    if unseen.n_sessions and not detector.supervised:
        say(unseen.warning(len(train), cross_fitted=cross_fit is not None))
    labels = None
    if detector.supervised:
        labels = calibration.labels
        n_held = int(np.sum(labels == 1))
        if len(set(labels.tolist()) & {0, 1}) < 2:  # a split too small for both classes
            calibration, kind, labels = train, "training sessions (in-sample)", train.labels
            say(
                f"warning: the validation sessions hold "
                f"{'no labelled anomaly' if n_held == 0 else 'no normal session'}, so the "
                f"threshold is calibrated on the {len(train):,} training sessions themselves "
                "(in-sample, where the model fits its own labels): it will flag fewer of the "
                "anomalies it has not seen than it promises. Give validation sessions that hold "
                "both (train --validation FILE), or more labelled anomalies"
            )
        elif n_held < FEW_LABELLED_ANOMALIES:
            say(
                f"warning: the threshold rests on {n_held} labelled "
                f"{'anomaly' if n_held == 1 else 'anomalies'} among "
                f"{len(calibration):,} calibration sessions: where it falls between normal "
                "scores is chance. Give validation sessions with more anomalies (train "
                "--validation FILE), or calibrate on normal data (`logbert calibrate MODEL "
                "NORMAL --threshold-rule fpr:0.01`)"
            )
    where = given or source or "the training data"
    # cross-fitted with nothing held out, the folds alone set the threshold: no split's on record
    split_failed = cross_fit is not None and not len(validation)
    try:
        if not split_failed:
            detector.calibrate(
                calibration,
                labels=labels,
                rule=rule,
                source=f"{kind} of {where} ({count(len(calibration), 'session')}, seed {seed})",
            )
    except LogbertError:
        if cross_fit is None:
            raise
        # cross-fitted, the split's threshold is only kept on record; a rule that needs more
        # sessions than the split holds (fpr:P) is for the cross-fitted scores to meet
        split_failed = True
    scores = detector.decision_function(calibration)
    normal = scores if calibration.labels is None else scores[calibration.labels != 1]
    result = FitCalibration(calibration, scores, normal)
    normal_sessions = (
        calibration if calibration.labels is None
        else calibration.take(np.flatnonzero(calibration.labels != 1))
    )  # fmt: skip
    if (unlearnt := detector.unlearnt_warning(normal_sessions, normal)) is not None:
        say(unlearnt)
    if cross_fit is not None:
        result.split_threshold = None if split_failed else detector.threshold_
        result.normal_scores = _calibrate_cross_fitted(
            detector, cross_fit, rule=rule, seed=seed, source=source, say=say
        )
        result.training_check = check_on_training(
            detector, train, result.normal_scores, seed=seed, say=say
        )
        detector.training_info_["cross_fit_training_check"] = result.training_check
    warning = flags_most_normal(detector.threshold_, result.normal_scores)
    if warning is not None:
        say(warning)
    elif (
        spread := spread_rule_note(
            detector.threshold_, result.normal_scores, _parts_flagging_alone(detector)
        )
    ) is not None:
        say(spread)
    if (outlying := outlying_threshold_note(detector.threshold_, result.normal_scores)):
        say(outlying)
    if (unreachable := unreachable_threshold_warning(detector)) is not None:
        say(unreachable)
    if (known := known_sequences_note(detector, result.normal_scores)) is not None:
        say(known)
    elif (zero := zero_threshold_note(detector, result.normal_scores)) is not None:
        say(zero)
    if len(validation) and not detector.supervised:  # in-sample was warned about above
        n_normal = len(train) + (len(validation) if given is None else 0)
        few = few_scores_warning(detector, n_normal, given, cross_fit is not None, folds)
        if few is not None:
            say(few)
    return result


def _parts_flagging_alone(detector: Detector) -> tuple[str, ...] | None:
    """A combination's parts where its threshold is 0, "flag when any part flags" (a rate
    rule's threshold is on the combined score, as any detector's); else None."""
    parts = getattr(detector, "parts", None)
    if parts is None or detector.threshold_.value != 0.0:
        return None
    return tuple(parts)


def known_sequences_note(detector: Detector, normal_scores: np.ndarray) -> str | None:
    """A note when every normal calibration score is 0 because each session was a known
    normal sequence (LogBERT's `known_min_count`): the threshold 0 looks like a fault, but it
    is the rule's `max` and it keeps its promise (about 1 normal session in n + 1 flagged)."""
    k = getattr(detector, "known_min_count", 0)
    n = int(np.size(normal_scores))
    if not k or not n or np.any(normal_scores != 0) or detector.threshold_.value != 0:
        return None
    return (
        f"note: each of the {n:,} normal calibration sessions repeats a key sequence that "
        f"{k} or more training sessions had (a known normal sequence, scored 0), so the "
        "threshold is 0: a session is flagged when its key sequence is not a known one and "
        f"the model finds anything in it surprising (about 1 normal session in {n + 1:,}, as "
        "the `max` rule promises, is such a new sequence); with more variety in normal logs "
        "than the training logs showed, train on a longer period"
    )


def unreachable_threshold_warning(detector: Detector) -> str | None:
    """A warning when the threshold is at or above the largest score the detector can give
    (`Detector.score_max`): it flags nothing (QA Entra ID: ngram's `mean+2std` came to 1.24 over
    normal sessions of which half held unseen n-grams, and evaluation showed 0 of 98 caught)."""
    top = type(detector).score_max
    threshold = detector.threshold_
    if top is None or threshold.value < top:
        return None
    return (
        f"warning: the threshold {threshold.value:g} ({threshold.rule}) is at or above the "
        f"largest score {detector.name} can give ({top:g}): no session can be flagged; the "
        "normal calibration sessions vary too much for this detector (many hold n-grams "
        "training lacked): train on a longer period, calibrate with a rate (`logbert "
        "calibrate MODEL NORMAL --threshold-rule fpr:0.01`), or use another detector"
    )


def zero_threshold_note(detector: Detector, normal_scores: np.ndarray) -> str | None:
    """A note when every normal calibration score is 0 and so is the threshold (ngram, ecvc,
    new-event on regular logs: every validation session held only what training held): any
    session holding anything training lacked is flagged, however little (QA Keepalived:
    ngram's `mean+2std` threshold 0 flagged 4% of normal windows, ranked at ROC-AUC 0.9997)."""
    n = int(np.size(normal_scores))
    if not n or np.any(normal_scores != 0) or detector.threshold_.value != 0:
        return None
    # a combination's threshold is 0 by design ("a part flags"): the note is of its parts
    # whose own threshold is 0, each in its own words (QA NUT: `logbert+length` was told
    # "nothing in them was new to training", of its length part, unnamed)
    parts = getattr(detector, "parts_", None)
    zero = (
        [(detector.name, detector)] if parts is None else
        [(name, part) for name, part in zip(detector.parts, parts, strict=True)
         if part.threshold_.value == 0]
    )  # fmt: skip
    if not zero:
        return None
    said = "; ".join(
        f"{name + ': ' if parts is not None else ''}each of the {n:,} normal calibration "
        f"sessions scored 0 ({part.zero_scores_mean[0]}), so the threshold is 0: "
        f"{part.zero_scores_mean[1]}"
        for name, part in zero
    )
    return (
        f"note: {said}; where normal logs vary more than the training "
        "period showed, train on a longer period, or calibrate with a rate "
        "(`logbert calibrate MODEL NORMAL --threshold-rule fpr:0.01` on more normal sessions)"
    )


def few_scores_warning(
    detector: Detector, n_normal: int, given: str | None, cross_fitted: bool, folds: int
) -> str | None:
    """A warning when the threshold rests on fewer than FEW_CALIBRATION_SCORES normal scores:
    one odd session moves a `max` or `mean+2std` threshold (`auto` cross-fits only from
    2 * folds sessions; below that, 10% of 6-9 sessions is one validation session).
    `n_normal`: the normal sessions given, `given`: as in `calibrate_fitted`. Cross-fitting
    is never advised to a detector that refuses it (a supervised one)."""
    n_scores = detector.threshold_.n_sessions
    if n_scores >= FEW_CALIBRATION_SCORES:
        return None
    if given is not None:
        remedy = "give more normal validation sessions (train --validation FILE)"
    elif cross_fitted:
        remedy = "train on more normal sessions"
    elif cross_fit_refusal(detector, folds) is not None:
        remedy = (
            "train on more normal sessions, or give validation sessions (train --validation FILE)"
        )
    elif n_normal >= 2 * folds:  # e.g. --calibration split chosen
        remedy = (
            "cross-fit them (--calibration cross-fit: every normal session is scored), or "
            "give validation sessions (train --validation FILE)"
        )
    else:
        fewer_folds = f", or cross-fit them with --folds {n_normal // 2}" if n_normal >= 4 else ""
        remedy = (
            "cross-fit calibration, which scores every normal session, needs at least "
            f"{2 * folds} with --folds {folds}: give more normal sessions, or "
            f"validation sessions (train --validation FILE){fewer_folds}"
        )
    return (
        "warning: the threshold rests on the scores of only "
        f"{count(n_scores, 'normal session')} (of {n_normal:,}): one odd session moves it, "
        f"so normal sessions may be flagged far more often than the rule intends; {remedy}"
    )


def _calibrate_cross_fitted(
    detector: Detector, cross_fit: CrossFit, *, rule: str, seed: int, source: str, say: Say
) -> np.ndarray:
    """Replace the split's threshold by the rule on the out-of-fold normal scores; returns
    the normal scores it rests on (those behind p-values)."""
    scores = cross_fit.normal_scores
    left_out = int(cross_fit.unseen.sum())
    if left_out:
        n = cross_fit.scores.size
        say(
            f"warning: {left_out} of {n} normal sessions ({left_out / n:.1%}) hold a key no "
            "session of the other folds holds; "
            + (
                "they are left out of the threshold, and normal sessions with keys unseen in "
                "training will be flagged at about that rate where the detector flags keys it "
                "never saw (new-event does; ecvc, for one, may score them below its threshold)"
                if left_out < n
                else "every one does, so the threshold is calibrated on them and may sit at "
                "the detector's score for unseen keys (few or no detections). Train on more "
                "normal sessions"
            )
        )
    part_scores = cross_fit.normal_part_scores
    if not cross_fit.normal_scores.size:  # every session holds a key its fold lacked
        scores, part_scores, left_out = cross_fit.scores, cross_fit.part_scores, 0
    where = (
        f"cross-fitted scores of {scores.size} normal sessions of "
        f"{source or 'the training data'} ({cross_fit.folds} folds, seed {seed}; "
        f"{count(left_out, 'session')} with keys unseen in their fold left out)"
    )
    if part_scores is None:
        detector.calibrate_scores(scores, rule=rule, source=where)
        return scores
    # a combination: each part's threshold from its own out-of-fold scores; the combined
    # scores against them are the normal scores behind p-values
    detector.calibrate_part_scores(part_scores, rule=rule, source=where)
    return detector.combined_scores(part_scores)


def check_on_training(
    detector: Detector, train: SessionBatch, normal_scores: np.ndarray, *, seed: int, say: Say
) -> dict[str, int]:
    """Score the final model's training sessions (a `seed`ed sample of at most
    TRAINING_CHECK_SESSIONS) with its cross-fitted threshold, and warn when it flags far more
    of them than of the normal scores it was set on (`flag_rate_far_above`, the rule of
    `score`'s flag-rate note): the out-of-fold models then score unlike the final model
    (an undertrained LogBERT: 3 epochs on 10 distinct sequences flagged 28% of its own
    training sessions), and the threshold would flag normal sessions at about that rate.
    Returns the counts (`n_sessions`, `n_scored`, `n_flagged`) for the training record."""
    sample = train
    if len(train) > TRAINING_CHECK_SESSIONS:
        rows = np.random.default_rng(seed).choice(len(train), TRAINING_CHECK_SESSIONS, False)
        sample = train.take(np.sort(rows))
    flagged = int(detector.predict(sample).sum()) if len(sample) else 0
    record = {"n_sessions": len(train), "n_scored": len(sample), "n_flagged": flagged}
    threshold = detector.threshold_
    found = flag_rate_far_above(flagged, len(sample), normal_scores, threshold.value)
    if found is not None:
        share, expected = found
        sampled = f", a seeded sample of {len(train):,}" if sample is not train else ""
        say(
            f"warning: the cross-fitted threshold {threshold.value:.6g} flags {flagged:,} of "
            f"{count(len(sample), 'session')} the model was trained on ({share:.1%}{sampled}), "
            f"where it flags about {expected:.2%} of the out-of-fold normal scores it was set "
            "on: the fold models score unlike the final model (typically an undertrained "
            "one: few epochs, or few distinct sessions), so normal sessions will be flagged "
            "far more often than the rule intends. Train longer (more --epochs), or "
            "calibrate on the validation split (--calibration split)"
        )
    return record


def count(n: int, noun: str) -> str:
    """`n` and the noun, singular for one: "1 session", "8 sessions"."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
