"""The note when a run flags far more sessions than the threshold flags on normal data."""

from __future__ import annotations

import numpy as np

from logbert.scoring.flag_rate import (
    FlaggedStreams,
    expected_flag_rate,
    flag_rate_far_above,
    flag_rate_note,
)

CALIBRATION = np.arange(1.0, 100.0)  # 99 normal scores: 1, 2, ..., 99


def test_the_expected_rate_is_the_conformal_false_alarm_rate_of_the_threshold():
    assert expected_flag_rate(CALIBRATION, 99.0) == 1 / 100  # rule max: 1 / (n + 1)
    assert expected_flag_rate(CALIBRATION, 89.5) == 11 / 100  # 10 scores above it


def test_a_share_far_above_the_expected_rate_gets_a_note_naming_both():
    note = flag_rate_note(240, 1000, CALIBRATION, 99.0)
    assert note.startswith("note: 240 of 1,000 sessions (24.0%) were flagged")
    assert f"flag about 1.00% of normal sessions (an estimate from the {CALIBRATION.size}" in (
        note
    )
    assert "`logbert calibrate`" in note


def test_ordinary_shares_and_tiny_runs_get_no_note():
    assert flag_rate_note(40, 1000, CALIBRATION, 99.0) is None  # 4%: a log with anomalies
    assert flag_rate_note(9, 12, CALIBRATION, 99.0) is None  # too few flagged to say anything
    assert flag_rate_note(200, 1000, CALIBRATION, 70.0) is None  # 20% against 30% expected
    assert flag_rate_note(240, 1000, None, 99.0) is None  # no calibration scores kept
    assert flag_rate_note(0, 0, CALIBRATION, 99.0) is None


def test_the_shared_rule_gives_the_share_and_the_expected_rate():
    assert flag_rate_far_above(240, 1000, CALIBRATION, 99.0) == (0.24, 0.01)
    assert flag_rate_far_above(40, 1000, CALIBRATION, 99.0) is None


def test_flagging_the_models_own_training_sessions_blames_the_threshold_not_the_logs():
    """Scoring the training log itself: the logs cannot differ from the training data."""
    note = flag_rate_note(240, 1000, CALIBRATION, 99.0, n_trained_on=900)
    assert note.startswith("note: 240 of 1,000 sessions (24.0%) were flagged")
    assert "differ from the training data (another period" not in note
    # 100 sessions not trained on: at least 140 of the 240 flagged are training sessions
    assert "at least 140 of the flagged sessions are ones the model was trained" in note
    assert note.endswith("Retrain with more --epochs, or with --calibration split")
    # a few training sessions among new logs change nothing
    assert flag_rate_note(240, 1000, CALIBRATION, 99.0, n_trained_on=100) == flag_rate_note(
        240, 1000, CALIBRATION, 99.0
    )
    # QA: most sessions were training ones, but the flagged could all be the others (cut at
    # the file's start): the threshold is not shown to be wrong
    assert flag_rate_note(1183, 7206, CALIBRATION, 99.0, n_trained_on=5935) == flag_rate_note(
        1183, 7206, CALIBRATION, 99.0
    )


def test_flagging_sessions_that_mostly_hold_new_templates_says_the_logs_changed():
    """QA: 490 of 490 sessions of a new version flagged, and the note advised `logbert
    calibrate`, which then set the threshold at the unseen-key score (nothing flagged)."""
    note = flag_rate_note(240, 1000, CALIBRATION, 99.0, n_unseen=800)
    assert note.startswith("note: 240 of 1,000 sessions (24.0%) were flagged")
    assert (
        "800 of the 1,000 sessions hold templates no training session held (new templates in "
        "80.0% of sessions): the logs changed (a new version of the software?), or an attack or "
        "incident of that many sessions writes new messages" in note
    )  # (QA macOS: a brute-force attack of ~95 sessions was told to retrain, no more)
    assert "retrain on logs of the new version (`logbert train`) rather than recalibrate: " in note
    assert "(`logbert calibrate`)" not in note
    # a few sessions with new templates change nothing
    assert flag_rate_note(240, 1000, CALIBRATION, 99.0, n_unseen=100) == flag_rate_note(
        240, 1000, CALIBRATION, 99.0
    )
    # many new events: still changed logs
    assert note == flag_rate_note(240, 1000, CALIBRATION, 99.0, 0, 800, 0.30)


def test_new_templates_in_few_events_may_be_the_anomalies_own():
    """QA: 16 of 20 one-minute windows held a memory kill's new messages (1.1% of the events)
    and the note advised retraining, which would have trained on the anomalies."""
    note = flag_rate_note(240, 1000, CALIBRATION, 99.0, n_unseen=800, unseen_event_share=0.011)
    assert "800 of the 1,000 sessions hold templates no training session held, but those " in note
    assert "only 1.1% of the events of the sessions holding them: they may be the " in note
    assert "retrain on logs of the new version" not in note and "retrain only if" in note


def test_flagged_sessions_that_mostly_hold_new_templates_say_part_of_the_logs_changed():
    """QA (CI logs, one runner's colour turned off): 168 of 201 flagged builds held new
    templates, under half of all 700, and the note advised recalibrating, which cannot help."""
    note = flag_rate_note(201, 700, CALIBRATION, 99.0, n_unseen=170, unseen_event_share=0.2,
                          n_unseen_flagged=168)  # fmt: skip
    assert (
        "168 of the 201 flagged sessions hold templates no training session held: either they "
        "are the anomalies' own messages (an incident writes new errors), or the logs changed "
        "in part (a host, a component or its settings" in note
    )  # QA Django: all 45 flagged were real incidents; "the logs changed" alone misled
    assert "rather than recalibrate" in note and "(`logbert calibrate`)" not in note
    few = flag_rate_note(201, 700, CALIBRATION, 99.0, n_unseen=170, n_unseen_flagged=60)
    assert few == flag_rate_note(201, 700, CALIBRATION, 99.0)  # a third of them: anomalies?


def test_the_plain_note_warns_against_recalibrating_on_never_seen_templates():
    """QA nginx: `report` (which has no tally of unseen keys) advised recalibrating where
    `score` had warned that it would flag none of them."""
    note = flag_rate_note(201, 700, CALIBRATION, 99.0)
    assert "retrain, not recalibrate, where they hold templates the model never saw" in note


def test_validation_sessions_left_out_for_unseen_keys_count_in_the_expected_rate():
    """QA Entra ID: training warned that 14.9% of validation sessions held keys it lacked (left
    out of calibration), and the note then said the threshold "should flag at most about
    0.31%" of the 19.4% it flagged."""
    assert flag_rate_note(194, 1000, CALIBRATION, 99.0, left_out_share=0.149) is None
    note = flag_rate_note(900, 1000, CALIBRATION, 99.0, left_out_share=0.149)
    assert "flag about 15.90% of normal sessions" in note
    assert "and the 14.9% of validation sessions that held keys training lacked)" in note


def test_most_flagged_windows_of_one_stream_are_said_with_how_to_cut_them_apart():
    """QA CFEngine: LogBERT flagged 65 of a policy hub's windows and none of the six clients';
    the flag-rate note advised recalibrating or retraining, where the hub's windows mixed the
    clients' connections with its own runs (by host and program: 7 false alarms)."""
    streams = FlaggedStreams()
    for minute in range(0, 600, 10):
        for host in ("cfhub01", "web01", "web02"):
            flagged = host == "cfhub01" and minute % 20 == 0 or (host, minute) == ("web01", 0)
            streams.add(f"{host}@2026-12-02T{minute // 60:02d}:{minute % 60:02d}:00", flagged)
    streams.add("a-session-of-no-window", True)  # (no stream's: left out)
    note = streams.note(31)
    assert note is not None and note.startswith(
        "note: 30 of the 31 flagged sessions are windows of one stream, 'cfhub01' (of 3)"
    )
    assert "--by-field Host,Component" in note
    assert streams.note(61) is None  # not most of the flagged
    few = FlaggedStreams()
    for minute in range(5):
        few.add(f"h1@2026-12-02T00:0{minute}:00", True)
        few.add(f"h2@2026-12-02T00:0{minute}:00", False)
    assert few.note(5) is None  # too few to say
    alone = FlaggedStreams()
    for minute in range(20):
        alone.add(f"h1@2026-12-02T00:{minute:02d}:00", True)
    assert alone.note(20) is None  # one stream: nothing to single out
