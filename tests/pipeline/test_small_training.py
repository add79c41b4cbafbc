"""Small training sets (issue 11): validation sessions holding keys the training split lacks are
reported, and the threshold is calibrated on the other validation sessions, so a detector that
gives unseen keys a capped score keeps a threshold below the cap."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from logbert.models.base import Detector
from logbert.models.checks import check_sessions
from logbert.models.logbert import LogBERT
from logbert.pipeline import Pipeline
from logbert.sessions.io import Session
from logbert.sessions.split import holdout

CAP = 100.0
TINY = {"hidden": 16, "layers": 1, "heads": 2, "max_len": 16, "batch_size": 32, "lr": 0.01,
        "epochs": 2, "seed": 0}  # fmt: skip


class CappedDetector(Detector):
    """Registered nowhere: the session length, or CAP when it holds a key training lacked."""

    name = "capped"
    default_threshold_rule = "max"
    stops_early = True  # as LogBERT does: cross-fitted, it keeps its validation split

    def _fit(self, batch, validation, **fit_options) -> None:
        self.keys_ = {int(k) for keys in batch.keys for k in keys}

    def decision_function(self, X) -> np.ndarray:
        batch = check_sessions(X)
        return np.array(
            [CAP if set(map(int, k)) - self.keys_ else float(len(k)) for k in batch.keys]
        )

    def _save_state(self, directory: Path) -> None:
        (directory / "keys.json").write_text(json.dumps(sorted(self.keys_)))

    def _load_state(self, directory: Path) -> None:
        self.keys_ = set(json.loads((directory / "keys.json").read_text()))


def sessions_with(n: int, share: float, seed: int, unseen_at: int) -> list[Session]:
    """`n` normal sessions of keys 1..4 (lengths 3..7); the first `unseen_at` validation
    sessions of the seeded holdout also hold key 99."""
    sessions = [Session(f"s{i}", [1, 2, 3, 4, 1, 2, 3][: 3 + i % 5], "normal") for i in range(n)]
    _, val_index = holdout(list(range(n)), share, seed)
    for i in val_index[:unseen_at]:
        sessions[i] = Session(sessions[i].session_id, [*sessions[i].keys, 99], "normal")
    return sessions


def test_the_unseen_keys_warning_names_them_by_their_templates():
    """QA GitLab Runner: "(8 keys: 1, 2, 3, 5, 6, ...)" sent the user to templates.csv to learn
    they were the runner's start-up lines."""
    sessions = sessions_with(20, 0.25, seed=0, unseen_at=1)
    lines: list[str] = []
    names = {"1": "Job started", "99": "Started GitLab Runner."}
    Pipeline(CappedDetector(), calibration="split", validation_split=0.25, seed=0).fit(
        sessions, log=lines.append, template_set=names
    )
    (warning,) = [line for line in lines if "training sessions lack" in line]
    assert "training sessions lack (1 keys: 99 'Started GitLab Runner.'); " in warning


def test_a_validation_session_with_unseen_keys_is_reported_and_left_out_of_the_threshold():
    sessions = sessions_with(20, 0.25, seed=0, unseen_at=1)
    lines: list[str] = []
    pipeline = Pipeline(CappedDetector(), calibration="split", validation_split=0.25, seed=0).fit(
        sessions, log=lines.append
    )
    warning = [line for line in lines if line.startswith("warning:")]
    assert len(warning) == 2 and "rests on the scores of only 4 normal sessions" in warning[1]
    assert "1 of 5 validation sessions (20%) hold keys the 15 training sessions lack" in warning[0]
    assert "false alarms on about 20% of normal sessions" in warning[0]
    # ... where the detector flags such keys (QA Kea: `length` was told to expect them)
    assert "where the detector flags keys it never saw (new-event does" in warning[0]
    info = pipeline.training_["validation_unseen_keys"]
    assert info["n_sessions"] == 1 and info["share"] == pytest.approx(0.2)
    assert info["keys"] == [99] and info["left_out_of_calibration"] == 1
    threshold = pipeline.threshold_
    assert threshold.value < CAP and threshold.n_sessions == 4
    _, val_index = holdout(list(range(20)), 0.25, 0)
    known = [len(sessions[i].keys) for i in val_index[1:]]
    assert threshold.value == max(known)
    assert "unseen in training" in threshold.source
    assert len(pipeline.validation_scores_) == 4  # what the threshold was calibrated on
    assert CAP not in pipeline.calibration_scores_.tolist()
    assert pipeline.detector_.training_info_["validation_unseen_keys"]["n_sessions"] == 1


def test_the_record_of_unseen_keys_is_saved_with_the_bundle(tmp_path):
    sessions = sessions_with(20, 0.25, seed=1, unseen_at=2)
    pipeline = Pipeline(CappedDetector(), calibration="split", validation_split=0.25, seed=1).fit(
        sessions
    )
    pipeline.save(tmp_path / "m")
    record = json.loads((tmp_path / "m" / "pipeline.json").read_text())
    assert record["training"]["validation_unseen_keys"]["n_sessions"] == 2
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    assert config["training"]["validation_unseen_keys"]["share"] == pytest.approx(0.4)


def test_nothing_changes_when_no_validation_session_holds_unseen_keys():
    sessions = sessions_with(20, 0.25, seed=0, unseen_at=0)
    lines: list[str] = []
    pipeline = Pipeline(CappedDetector(), calibration="split", validation_split=0.25, seed=0).fit(
        sessions, log=lines.append
    )
    assert [line for line in lines if "warning" in line] == [
        "warning: the threshold rests on the scores of only 5 normal sessions (of 20): one odd "
        "session moves it, so normal sessions may be flagged far more often than the rule "
        "intends; cross-fit them (--calibration cross-fit: every normal session is scored), or "
        "give validation sessions (train --validation FILE)"
    ]  # about the 25% split of 20 sessions, not about unseen keys
    assert pipeline.training_["validation_unseen_keys"]["n_sessions"] == 0
    _, val_index = holdout(list(range(20)), 0.25, 0)
    assert pipeline.threshold_.value == max(len(sessions[i].keys) for i in val_index)
    assert pipeline.threshold_.n_sessions == 5
    assert pipeline.threshold_.source.startswith("validation split of")


def test_when_every_validation_session_holds_unseen_keys_all_are_used_and_it_says_so():
    sessions = sessions_with(20, 0.25, seed=2, unseen_at=5)
    lines: list[str] = []
    pipeline = Pipeline(CappedDetector(), calibration="split", validation_split=0.25, seed=2).fit(
        sessions, log=lines.append
    )
    warning = [line for line in lines if line.startswith("warning:")]
    assert "5 of 5 validation sessions (100%)" in warning[0] and "every one" in warning[0]
    assert pipeline.threshold_.value == CAP and pipeline.threshold_.n_sessions == 5
    assert pipeline.training_["validation_unseen_keys"]["left_out_of_calibration"] == 0


def test_logbert_keeps_a_threshold_below_its_unseen_key_score():
    sessions = sessions_with(40, 0.1, seed=0, unseen_at=1)  # 36 training, 4 validation
    lines: list[str] = []
    pipeline = Pipeline(LogBERT(**TINY), calibration="split", validation_split=0.1, seed=0).fit(
        sessions, log=lines.append
    )
    assert any("1 of 4 validation sessions (25%)" in line for line in lines)
    known = sessions[holdout(list(range(40)), 0.1, 0)[0][0]]
    cap = pipeline.decision_scores([Session("probe", [*known.keys, 99])])[0]
    assert pipeline.threshold_.value < cap
    verdicts = pipeline.score([Session("probe", [*known.keys, 99])])
    assert verdicts[0]["is_anomaly"]


def test_early_stopping_watches_the_validation_sessions_the_model_can_predict():
    """A key the model never saw has no probability: with that session in the validation
    loss every epoch's loss was infinite and early stopping never kept a best epoch."""
    sessions = sessions_with(40, 0.1, seed=0, unseen_at=1)
    pipeline = Pipeline(LogBERT(**TINY), calibration="split", validation_split=0.1, seed=0).fit(
        sessions
    )
    losses = [epoch["val_loss"] for epoch in pipeline.detector_.history_["epochs"]]
    assert losses and all(np.isfinite(losses))
    assert pipeline.detector_.training_info_["n_validation"] == 3  # the 4th holds key 99
    assert np.isfinite(pipeline.detector_.training_info_["best_val_loss"])


def test_a_small_share_of_unseen_key_sessions_does_not_read_as_zero():
    from logbert.pipeline.unseen import unseen_key_sessions
    from logbert.sessions.batch import SessionBatch

    batch = SessionBatch.from_sessions(
        [Session(f"v{i}", [1, 2], "normal") for i in range(249)] + [Session("u", [7], "normal")]
    )
    warning = unseen_key_sessions([1, 2], batch).warning(100)
    assert "1 of 250 validation sessions (0.4%)" in warning and "about 0.4% of normal" in warning


def test_a_threshold_on_fewer_than_ten_normal_scores_is_a_warning():
    """8 normal sessions: `auto` cannot cross-fit (5 folds need 10), the split holds one
    session, and its score alone set the threshold, silently."""
    lines: list[str] = []
    pipeline = Pipeline(CappedDetector(), seed=0).fit(sessions_with(8, 0.1, 0, 0), log=lines.append)
    assert (
        pipeline.threshold_.n_sessions == 1 and "(1 session, seed 0)" in pipeline.threshold_.source
    )
    warning = [line for line in lines if "rests on" in line]
    assert warning == [
        "warning: the threshold rests on the scores of only 1 normal session (of 8): one odd "
        "session moves it, so normal sessions may be flagged far more often than the rule "
        "intends; cross-fit calibration, which scores every normal session, needs at least 10 "
        "with --folds 5: give more normal sessions, or validation sessions (train --validation "
        "FILE), or cross-fit them with --folds 4"
    ]
    lines.clear()
    Pipeline(CappedDetector(), seed=0).fit(sessions_with(12, 0.1, 0, 0), log=lines.append)
    assert not any("rests on" in line for line in lines)  # cross-fitted: 12 scores


def test_sessions_with_unseen_keys_passed_as_normal_are_tallied_for_a_warning():
    """A decision score that ignores unseen keys (here `length`) passes a session holding a
    message never seen in training: `score` must say so, naming one."""
    from logbert.models.length import LengthDetector
    from logbert.pipeline.unseen import UnseenPassed

    train = [Session(f"t{i}", [1, 2, 3, 4][: 2 + i % 3]) for i in range(30)]
    pipeline = Pipeline(LengthDetector()).fit(train)
    tally = UnseenPassed()
    rows = pipeline.score(
        [Session("same", [1, 2, 3]), Session("new", [1, 9, 3]), Session("long", [1, 9] * 9)],
        tally=tally,
    )
    assert [r["is_anomaly"] for r in rows] == [False, False, True]
    assert (tally.n_unseen, tally.n_passed, tally.example) == (2, 1, "new")
    # QA RabbitMQ: the share of never-seen keys is of the sessions holding them (10 of 21),
    # not of every event scored (10 of 24)
    assert tally.unseen_event_share == 10 / 21
    assert tally.warning("score", "length") == (
        "warning: 1 of 2 sessions holding keys no training session holds were not flagged (e.g. "
        "session 'new'): length scores a never-seen key below its threshold. Look at them, or "
        "train a combination that flags every never-seen key: `--model length+new-event`"
    )
    assert "the mean surprise `score`" in tally.warning("score", "logbert")  # its own cause
    assert UnseenPassed().warning("score", "length") is None


def test_calibrating_on_logs_whose_sessions_mostly_hold_unseen_keys_advises_retraining():
    """QA: `calibrate` on logs of a new version put the threshold at the unseen-key score
    and advised "Train on more normal sessions"; the logs changed, so retrain on them."""
    pipeline = Pipeline(CappedDetector(), seed=0).fit(sessions_with(20, 0.25, 0, 0))
    new_version = [Session(f"n{i}", [1, 2, 99], "normal") for i in range(6)]
    lines: list[str] = []
    threshold = pipeline.calibrate(new_version, rule="max", log=lines.append)
    assert threshold.value == CAP
    warning = next(line for line in lines if "hold keys" in line)
    assert "every one does" in warning and "Train on more normal sessions" not in warning
    assert warning.endswith(
        "The logs have templates the model never saw (new in 100% of sessions): retrain on "
        "logs of the new version (`logbert train`) rather than recalibrate"
    )
    lines.clear()  # a few sessions with unseen keys among known ones: the training lacked them
    pipeline.calibrate([*new_version[:1], *sessions_with(5, 0.2, 0, 0)], log=lines.append)
    assert "Train on more normal sessions to lower it" in lines[0]


def test_unseen_keys_passed_by_a_decision_that_flags_them_blame_the_threshold():
    """QA: at a threshold calibrated up to LogBERT's unseen-key cap, `score` advised
    `decision: max_surprise`, the decision in use."""
    from logbert.pipeline.unseen import UnseenPassed

    tally = UnseenPassed(n_unseen=4, n_passed=4, example="f5910f6d")
    warning = tally.warning("max_surprise", "logbert", 27.631)
    assert warning == (
        "warning: 4 of 4 sessions holding keys no training session holds were not flagged "
        "(e.g. session 'f5910f6d'): the decision score 'max_surprise' flags keys it never saw, "
        "but the threshold 27.631 sits at or above the score it gives them (typically: "
        "calibrated on sessions that hold such keys, by `logbert calibrate` on logs with "
        "templates the model never saw). Look at them, and retrain on logs of the new version "
        "(`logbert train`) rather than recalibrate"
    )
    combined = tally.warning("score", "length+new-event", 0.0)
    assert "its new-event part flags keys it never saw" in combined
    assert "+new-event`" not in combined
    # QA Rook: a rate rule on the combined score set the threshold, not new logs
    rated = tally.warning("score", "new-event+length+ecvc", 1.38074)
    assert "the combination's threshold 1.38074 is on the combined score" in rated
    assert "calibrate with the default rule" in rated and "retrain" not in rated
    assert "`decision: max_surprise`" in tally.warning("score", "logbert")  # mean surprise
    assert "new-event flags keys it never saw, but its threshold" in tally.warning(
        "score", "new-event", 0.0
    )
    # QA: ecvc / mean surprise recalibrated on upgraded logs blamed the detector; when most
    # scored sessions hold new keys, the logs changed, whatever the detector
    for decision, detector in (("score", "ecvc"), ("score", "logbert")):
        drifted = tally.warning(decision, detector, 1.0, n_scored=5)
        assert "they are most of the 5 sessions scored: the logs changed" in drifted
        assert drifted.endswith("retrain on logs of the new version (`logbert train`) rather "
                                "than recalibrate")  # fmt: skip
        assert "+new-event" not in drifted and "decision:" not in drifted
    # QA: overlapping windows spread an anomaly's few new messages over most sessions; new
    # keys in 1% of the events are no sign of changed logs
    few = dataclasses.replace(tally, n_events=1000, n_events_of_unseen=800, n_unseen_events=10)
    assert "the logs changed" not in few.warning("score", "logbert", 1.0, n_scored=5)


def test_sessions_passed_that_are_only_the_start_of_fitted_sequences_get_a_note():
    """QA pfSense, Pacemaker, dpkg: a DHCPREQUEST without its DHCPACK, a transition and a
    package run that stopped halfway scored 0.0 with p-value 1, as an exact training sequence
    does, and nothing said a sequence model does not judge a missing end."""
    from logbert.models.known_sequences import KnownSequences
    from logbert.models.length import LengthDetector
    from logbert.pipeline.unseen import UnseenPassed

    train = [Session(f"t{i}", [1, 2, 3, 4] if i % 3 else [5, 6, 7]) for i in range(30)]
    pipeline = Pipeline(LengthDetector()).fit(train)
    pipeline.detector_.known_ = KnownSequences.of([np.array(s.keys) for s in train])
    tally = UnseenPassed()
    pipeline.score(
        [Session("whole", [1, 2, 3, 4]), Session("cut", [1, 2, 3]), Session("other", [2, 1, 3])],
        tally=tally,
    )
    assert (tally.n_cut_short, tally.cut_short_example) == (1, "cut")
    assert tally.cut_short_note().startswith(
        "note: 1 sessions passed as normal are only the start of sequences the model was fitted "
        "on, never one whole (e.g. session 'cut')"
    )
    assert UnseenPassed().cut_short_note() is None
