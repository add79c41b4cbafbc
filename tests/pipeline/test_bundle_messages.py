"""What the bundle says: open sessions per detector, the number of
sessions a detector was fitted on, and a model trained on text records given other input."""

from __future__ import annotations

import pytest

from logbert.errors import LogbertError
from logbert.models.ecvc import ECVCDetector
from logbert.models.new_event import NewEventDetector
from logbert.models.ngram import NgramDetector
from logbert.models.registry import DETECTORS, detector_class
from logbert.pipeline import Pipeline
from logbert.serving.engine import DetectionEngine
from logbert.sessions.lifecycle import SessionLifecycle
from logbert.sessions.settings import SessionizerSettings
from logbert.sessions.text_records import text_key


def with_lifetime(detector, hours: float | None) -> Pipeline:
    pipeline = Pipeline(detector)
    pipeline.detector_ = detector
    lifetime = None if hours is None else hours * 3600
    pipeline.lifecycle_ = SessionLifecycle.from_dict({"lifetime_seconds": lifetime})
    return pipeline


def test_open_sessions_note_says_what_the_detector_does_with_them():
    """only detectors that skip open ends leave "where they end" unjudged."""
    skips = with_lifetime(NgramDetector(), 14)
    judges = with_lifetime(detector_class("pca")(), 14)
    assert skips.open_sessions_note(0) is None
    assert with_lifetime(ECVCDetector(), None).open_sessions_note(5) is None  # no lifetime
    note = skips.open_sessions_note(2464)
    assert note.startswith("2,464 sessions started less than the normal lifetime (14 h)")
    assert "where they end was not judged" in note
    note = judges.open_sessions_note(2464)
    assert note.startswith("warning: 2,464 sessions")
    assert "pca judges them as complete sessions" in note and "not judged" not in note
    assert "their end is not judged" in skips.open_sessions_note(3, stage="fit")
    training = judges.open_sessions_note(3, stage="fit")
    assert training.startswith("warning: ") and "not judged" not in training
    assert "it learns from them" in training
    calibrating = judges.open_sessions_note(3, stage="calibrate")
    assert calibrating.startswith("warning: ") and "threshold is calibrated on them" in calibrating
    assert "their end is not judged" in skips.open_sessions_note(3, stage="calibrate")
    # evaluate writes no score rows: no `open` column to point at
    assert "(column `open`)" in skips.open_sessions_note(3)
    for detector in (skips, judges):
        evaluating = detector.open_sessions_note(3, stage="evaluate")
        assert "column" not in evaluating and "judge" in evaluating
    # a time window the log's end cut is judged on its first events (QA MongoDB: a 10-line last
    # window was flagged, and "not judged" read as no verdict); it is no session that may
    # still run (QA Open vSwitch, Jira, Keycloak)
    assert "events written inside the log" not in skips.open_sessions_note(1)
    skips.sessionizer = SessionizerSettings(window="5m")
    assert skips.open_sessions_note(1) == (
        "1 time window is cut by the log's start or end (the first or last of each stream) "
        "(column `open`): it holds the events written inside the log, and the verdict rests on "
        "those"
    )
    assert "still running" not in skips.open_sessions_note(2, stage="fit")


def test_most_sessions_open_is_a_warning_that_ends_go_unjudged():
    """QA Sonarr: release titles grabbed again days later made a 2.9-day lifetime, all 716
    test sessions were open, 0 of 6 never-imported downloads flagged, and "treated as open"
    read as routine."""
    skips = with_lifetime(NgramDetector(), 70)
    warning = skips.mostly_open_warning(716, 716)
    assert warning.startswith("warning: 716 of 716 sessions (100%) are open")
    assert "missing its last steps goes unflagged" in warning and "--idle-timeout" in warning
    assert skips.mostly_open_warning(100, 716) is None  # a few open at the log's end
    assert skips.mostly_open_warning(10, 10) is None  # too few to say
    assert with_lifetime(detector_class("pca")(), 70).mostly_open_warning(716, 716) is None
    skips.sessionizer = SessionizerSettings(by_id=r"id=(\d+)", idle_timeout="2h")
    assert "--idle-timeout" not in skips.mostly_open_warning(716, 716)
    skips.sessionizer = SessionizerSettings(window="5m")  # time windows: their own note
    assert skips.mostly_open_warning(716, 716) is None


def test_only_detectors_that_read_the_open_mask_or_ignore_ends_skip_open_ends():
    skipping = {name for name in DETECTORS if detector_class(name).skips_open_ends}
    assert skipping == {"logbert", "deeplog", "ngram", "length", "edit-distance", "new-event",
                        "ecvc", "new-event+length+ecvc"}  # fmt: skip
    assert not detector_class("length+pca").skips_open_ends  # a part judges them


def test_n_trained_counts_the_sessions_the_detector_was_fitted_on():
    """calibrate named "the 5426 training sessions" (validation split and left-out
    anomalies included) for a model fitted on 4,694."""
    pipeline = with_lifetime(ECVCDetector(), None)
    pipeline.training_ = {"n_sessions": 5426, "anomalies_left_out": 210, "n_validation": 522,
                          "validation_source": None}  # fmt: skip
    assert pipeline.n_trained() == 4694  # a model saved before n_trained was recorded
    pipeline.training_["validation_source"] = "parts/validation.parquet"
    assert pipeline.n_trained() == 5216  # given validation sessions are not training ones
    pipeline.training_["n_trained"] = 17
    assert pipeline.n_trained() == 17


def test_fit_records_n_trained():
    from logbert.sessions.io import Session

    sessions = [Session(f"s{i}", [1, 2, 3][: 1 + i % 3], "normal") for i in range(40)]
    sessions.append(Session("a", [9], "anomaly"))
    pipeline = Pipeline(NgramDetector(), validation_split=0.25, calibration="split")
    pipeline.fit(sessions)
    assert pipeline.n_trained() == 30 == pipeline.training_["n_trained"]
    info = pipeline.detector_.training_info_  # one count of the anomalies left out, not two
    assert info["anomalies_left_out"] == 1 and "n_anomalies_left_out" not in info


def test_cross_fitted_detectors_that_do_not_stop_early_fit_every_normal_session():
    """QA Keycloak: a rare normal event met only in the held-out 10% was "never seen in
    training" when scored; the cross-fitted threshold needs no held-out part."""
    from logbert.sessions.io import Session

    sessions = [Session(f"s{i}", [1, 2, 3][: 1 + i % 3], "normal") for i in range(39)]
    sessions.append(Session("rare", [1, 7], "normal"))
    lines: list[str] = []
    pipeline = Pipeline(NewEventDetector(), validation_split=0.25).fit(sessions, log=lines.append)
    assert pipeline.training_["calibration"] == "cross-fit"
    assert pipeline.n_trained() == 40
    assert 7 in pipeline.detector_.vocab_  # the held-out part's rare key is known
    assert not pipeline.detector_.predict([[1, 7]])[0]
    assert "none held out: cross-fit calibrates" in lines[0]
    assert not any("in-sample" in line for line in lines)


def test_one_normal_session_is_no_training_set():
    """QA: `--by-id 'container_\\d+'` matched the part every container id shares; train made
    one session of 15,507 events, saved a model and exited 0."""
    from logbert.sessions.io import Session

    one = [Session("container_17", [1, 2, 3] * 50, "normal"), Session("a", [9], "anomaly")]
    with pytest.raises(LogbertError, match=r"one normal session \('container_17', 150 events\)"):
        Pipeline(NgramDetector()).fit(one)


def text_model() -> Pipeline:
    pipeline = with_lifetime(ECVCDetector(), None)
    texts = ["User 1 logged in", "Backup job 7 finished"]
    pipeline.template_set_ = {str(text_key(t)): t for t in texts}
    pipeline.parser_ = None
    return pipeline


def test_a_model_trained_on_text_says_so_for_logs_and_sessions():
    """it said "trained on sessions, not raw logs" and "... None there"."""
    pipeline = text_model()
    assert pipeline.trained_on_text()
    with pytest.raises(LogbertError, match=r"trained on text records .*not on raw log lines: "
                       r"pass --text with a JSON or JSONL file"):  # fmt: skip
        pipeline.require_log_reader()
    with pytest.raises(LogbertError, match=r"not on sessions \(t.parquet\): pass --text"):
        pipeline.check_templates({}, "t.parquet")
    sessions_model = with_lifetime(ECVCDetector(), None)
    sessions_model.template_set_ = {"1": "Receiving block <*>"}
    sessions_model.parser_ = None
    assert not sessions_model.trained_on_text()
    with pytest.raises(LogbertError, match="trained on sessions, not raw logs"):
        sessions_model.require_log_reader()
    # live detection (watch, serve) says the same, not "trained on sessions"
    with pytest.raises(LogbertError, match="trained on text records"):
        DetectionEngine(pipeline)


def test_length_on_count_windows_is_said_to_judge_only_a_shorter_last_window():
    """QA Memcached: every `--lines 50` window held 50 events; `length` trained, calibrated
    and flagged nothing, with no word of why."""
    from logbert.sessions.io import Session

    sessions = [Session(f"#{i}", [1, 2, 3, 4, 5], "normal") for i in range(30)]
    lines: list[str] = []
    by_count = Pipeline(detector_class("length")(), sessionizer=SessionizerSettings(lines=5))
    by_count.fit(sessions, log=lines.append)
    (note,) = [line for line in lines if "count windows" in line]
    assert note.startswith("note: length judges a session's number of events, and count windows")
    lines.clear()
    by_time = Pipeline(detector_class("length")(), sessionizer=SessionizerSettings(window="5m"))
    by_time.fit(sessions, log=lines.append)
    assert not [line for line in lines if "count windows" in line]


def test_a_cut_time_window_is_said_to_be_judged_by_unseen_keys_alone_under_ecvc():
    """QA Resque: ecvc scored each host's last window 0.0 while the note said "the verdict
    rests on those" events: ecvc judges no partial window's mix, only keys training lacked."""
    for name in ("ecvc", "new-event+length+ecvc"):
        pipeline = with_lifetime(detector_class(name)(), 0.08)
        pipeline.sessionizer = SessionizerSettings(window="5m")
        note = pipeline.open_sessions_note(2)
        assert note.endswith(
            "hold the events written inside the log, and ecvc judges in them only keys "
            "training never saw: a part of a window's mix is no window's"
        )
