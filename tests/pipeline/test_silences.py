"""The bundle learns each host's silences from training's time windows and flags a longer one
in the logs it scores: one row per empty window, evidence the host's last line (QA: 5 of 8
reports of one round, a host or job that stopped writing judged by nothing)."""

from __future__ import annotations

from datetime import datetime

from logbert.models.length import LengthDetector
from logbert.pipeline import LogReadSummary, Pipeline
from logbert.sessions.sessionize import SessionizerSettings

from ..conftest import host_lines


def trained(train_log, window: str = "10m", by_field: str | None = "Host") -> Pipeline:
    settings = SessionizerSettings(window=window, by_field=by_field)
    pipeline = Pipeline(LengthDetector(), sessionizer=settings, log_format="linux", year=2025)
    return pipeline.fit_logs([str(train_log)])


def test_a_host_silent_longer_than_in_training_gets_flagged_rows_with_evidence(
    silent_host_logs, tmp_path
):
    train, test, _ = silent_host_logs
    logged: list[str] = []
    pipeline = Pipeline(
        LengthDetector(),
        sessionizer=SessionizerSettings(window="10m", by_field="Host"),
        log_format="linux",
        year=2025,
    ).fit_logs([str(train)], log=logged.append)
    assert pipeline.silence_profile_.longest_ == {"alpha": 0, "beta": 0, "gamma": 0}
    assert any(line.startswith("note: silences: 3 of 3 values wrote 5") for line in logged)
    summary = LogReadSummary()
    rows = [r for batch in pipeline.score_logs([str(test)], summary, year=2025) for r in batch]
    silent = [r for r in rows if r.get("decided_by") == "silence"]
    assert [r["session_id"] for r in silent] == [
        f"beta@2025-12-01T07:{m}:00" for m in ("00", "10", "20", "30")
    ]
    first = silent[0]
    assert first["is_anomaly"] and first["score"] is None
    assert first["start"] == "2025-12-01T07:00:00Z" and first["end"] == "2025-12-01T07:10:00Z"
    evidence = first["silence"]
    assert evidence["value"] == "beta" and evidence["windows"] == 4
    assert evidence["longest_in_training"] == 0 and not evidence["at_end"]
    assert evidence["last_event"] == "2025-12-01T06:58:10Z"
    line_no = evidence["line_no"]
    assert " beta worker[7]: " in test.read_text().splitlines()[line_no - 1]
    # the other rows are the sessions, none of beta's silent windows among them
    assert not {r["session_id"] for r in rows if "silence" not in r} & {
        r["session_id"] for r in silent
    }
    note = pipeline.silence_note(summary, len(silent))
    assert note.startswith("note: 4 time windows of 1 silence (1 value) flagged")
    assert "'beta' wrote nothing for 4 windows from 2025-12-01T07:00:00" in note
    # the sessionizing warnings leave the silence to that note
    assert "fell silent" not in summary.sessionize_text


def test_a_silence_no_longer_than_training_s_is_not_flagged(tmp_path):
    train, test = tmp_path / "train.log", tmp_path / "test.log"
    day = datetime(2025, 12, 1)
    train.write_text("\n".join(host_lines(day, 3, {"beta": (60, 100)})) + "\n")
    pipeline = trained(train)
    assert pipeline.silence_profile_.longest_["beta"] == 4
    # flagged from 5 windows: longer than training's longest
    for quiet, flagged in (((60, 100), 0), ((60, 110), 5)):
        test.write_text("\n".join(host_lines(day.replace(hour=6), 3, {"beta": quiet})) + "\n")
        summary = LogReadSummary()
        rows = [r for batch in pipeline.score_logs([str(test)], summary, year=2025) for r in batch]
        assert sum(r.get("decided_by") == "silence" for r in rows) == flagged
        note = pipeline.silence_note(summary, flagged) or ""
        assert ("its longest in training 4, flagged from 5): rows" in note) == bool(flagged)
    # a host training never saw is not judged, and the note says so
    test.write_text(
        "\n".join(line.replace(" gamma ", " delta ") for line in host_lines(
            day.replace(hour=6), 3, {"gamma": (60, 120)}
        )) + "\n"
    )  # fmt: skip
    summary = LogReadSummary()
    rows = [r for batch in pipeline.score_logs([str(test)], summary, year=2025) for r in batch]
    assert not any("silence" in r for r in rows)
    note = pipeline.silence_note(summary, 0)
    assert note.startswith("note: 1 silence of values training never saw is not judged")
    assert "'delta', 6 windows from 2025-12-01T07:00:00): retrain on logs that hold" in note


def test_the_profile_is_saved_with_the_model_and_only_time_windows_have_one(
    silent_host_logs, tmp_path
):
    train, test, labels = silent_host_logs
    pipeline = trained(train)
    loaded = Pipeline.load(pipeline.save(tmp_path / "model"))
    assert loaded.judges_silences
    assert loaded.silence_profile_.longest_ == pipeline.silence_profile_.longest_
    summary = LogReadSummary()
    sessions = list(loaded.read_logs([str(test)], summary, year=2025))
    assert len(sessions) == 3 * 18 - 4
    rows = loaded.silence_rows(summary, {"beta@2025-12-01T07:00:00": "anomaly"})
    assert [r.get("label") for r in rows] == ["anomaly", None, None, None]
    by_line = Pipeline(
        LengthDetector(),
        sessionizer=SessionizerSettings(by_field="Host", lines=5),
        log_format="linux",
        year=2025,
    ).fit_logs([str(train)])
    assert not by_line.judges_silences
    assert not Pipeline.load(by_line.save(tmp_path / "lines")).judges_silences


def test_plain_windows_judge_the_whole_log_s_silence(tmp_path):
    train, test = tmp_path / "train.log", tmp_path / "test.log"
    day = datetime(2025, 12, 1)
    train.write_text("\n".join(host_lines(day, 3)) + "\n")
    everyone = {host: (60, 100) for host in ("alpha", "beta", "gamma")}
    test.write_text("\n".join(host_lines(day.replace(hour=6), 3, everyone)) + "\n")
    pipeline = trained(train, by_field=None)
    rows = [r for batch in pipeline.score_logs([str(test)], year=2025) for r in batch]
    silent = [r for r in rows if r.get("decided_by") == "silence"]
    assert [r["session_id"] for r in silent] == [
        f"2025-12-01T07:{m}:00" for m in ("00", "10", "20", "30")
    ]
    assert silent[0]["silence"]["value"] is None
