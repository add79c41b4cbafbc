"""The streaming engine: the verdicts of `score --logs`, early alerts once, exact resumption."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, datetime

import pytest

from logbert.errors import LogbertError
from logbert.models.iqr import IQRDetector
from logbert.models.pca import PCADetector
from logbert.parsing.summary import continuation_hint
from logbert.pipeline import Pipeline
from logbert.pipeline.logs import BATCH_ADVICE, LogReadSummary
from logbert.serving.engine import DetectionEngine, _duration_option
from logbert.sessions.io import Session
from logbert.sessions.labels import read_labels
from logbert.sessions.sessionize import SessionizerSettings

from ..conftest import with_cut_blocks_first
from .conftest import train_model, with_new_template


def stream(engine, lines, chunk, source, stop_at=None):
    """Alerts of `lines` pushed `chunk` at a time; with `stop_at`, the engine is snapshotted
    to JSON there and a new one restored from it carries on."""
    alerts = []
    for start in range(0, len(lines), chunk):
        if stop_at is not None and start == stop_at:
            state = json.loads(json.dumps(engine.snapshot()))
            engine = DetectionEngine(engine.pipeline).restore(state)
        alerts += engine.push_lines(lines[start : start + chunk], source)
    return alerts + engine.flush(), engine


def reference(pipeline, path):
    return [r for batch in pipeline.score_logs([str(path)]) for r in batch]


@pytest.mark.parametrize("chunk", [1, 5, 1000])
def test_streamed_verdicts_equal_score_logs(model, chunk):
    pipeline, _, test_log = model
    rows = []
    engine = DetectionEngine(pipeline, early_alerts=False, on_row=rows.append)
    alerts, engine = stream(engine, test_log.read_text().splitlines(), chunk, test_log.name)
    expected = reference(pipeline, test_log)
    flagged = {r["session_id"] for r in expected if r["is_anomaly"]}
    assert flagged and {a["session_id"] for a in alerts} == flagged
    by_id = {r["session_id"]: r for r in rows}
    assert by_id.keys() == {r["session_id"] for r in expected}
    for row in expected:  # the same scores, verdicts, open marks and evidence
        assert by_id[row["session_id"]] == pytest.approx(row) or by_id[row["session_id"]] == row
    assert [a["alert_id"] for a in alerts] == list(range(1, len(alerts) + 1))
    alert = alerts[0]
    assert alert["is_anomaly"] and not alert["early"] and alert["score_name"] == "score"
    assert alert["model_id"] == engine.pipeline.model_id_  # the model that wrote it
    assert alert["threshold"] == pipeline.threshold_.value and "p_value" in alert
    assert alert["reason"].startswith("score ") and "open" in alert
    m = engine.metrics()
    assert m["lines_accepted"] == 42 and m["lines_rejected"] == 0 and m["templates_new"] == 0
    assert m["sessions_scored"] == 13 and m["alerts"] == len(flagged) and m["sessions_open"] == 0


def test_an_unseen_template_alerts_its_running_session_once(model, tmp_path):
    pipeline, _, test_log = model
    path = with_new_template(test_log, tmp_path)
    lines = path.read_text().splitlines()
    engine = DetectionEngine(pipeline)
    at = next(i for i, line in enumerate(lines) if "Quarantined" in line)
    first = engine.push_lines(lines[: at + 1], path.name)
    assert len(first) == 1
    early = first[0]
    assert early["session_id"] == "blk_1501" and early["early"] and early["is_anomaly"]
    new_key = max(engine.templates())  # mined in this stream, above every known id
    assert early["reason"].startswith(f"new template {new_key}: Quarantined replica of block ")
    assert early["alert_id"] == 1 and engine.counters.templates_new == 1
    rest = engine.push_lines(lines[at + 1 :], path.name) + engine.flush()
    assert "blk_1501" not in {a["session_id"] for a in rest}  # not alerted again
    flagged = {r["session_id"] for r in reference(pipeline, path) if r["is_anomaly"]}
    assert {a["session_id"] for a in first + rest} == flagged | {"blk_1501"}
    # the anomalous blocks hold a key the detector never saw (anomalies were left out of its
    # training): they are alerted early too, naming that key as one the parser knew (it said
    # "unseen template" while the summary counted no new template)
    others = [a for a in rest if a["early"]]
    assert others and all("Exception in receiveBlock" in a["reason"] for a in others)
    assert all(
        re.fullmatch(r"key (\d+) never seen in training: .*", a["reason"])
        and int(a["reason"].split()[1]) in engine.known_ids
        for a in others
    )
    assert engine.counters.alerts_early == 1 + len(others)
    evidence = [e for e in early["top_events"] if e.get("line_no")]
    assert all(e["source"] == path.name for e in evidence)


@pytest.mark.parametrize("stop_at", [4, 8, 20, 36])
def test_a_restored_engine_gives_the_alerts_of_an_uninterrupted_run(model, tmp_path, stop_at):
    pipeline, _, test_log = model
    path = with_new_template(test_log, tmp_path)
    lines = path.read_text().splitlines()
    whole, _ = stream(DetectionEngine(pipeline), lines, 4, path.name)
    resumed, engine = stream(DetectionEngine(pipeline), lines, 4, path.name, stop_at)
    assert whole and resumed == whole
    assert engine.counters.templates_new == 1 and engine.next_alert_id == len(whole) + 1


def test_sessions_closed_mid_stream_are_judged_at_once_when_certainly_finished(raw_logs, tmp_path):
    """With an idle timeout, sessions close as the stream goes; one that started a lifetime
    before the newest event is scored at once, the rest wait for the end (`score_logs`)."""
    train_log, test_log, train_labels, _ = raw_logs
    pipeline = train_model(train_log, train_labels, tmp_path / "m", idle_timeout="10s")
    lines = test_log.read_text().splitlines()
    rows = []
    engine = DetectionEngine(pipeline, early_alerts=False, on_row=rows.append)
    before_end = []
    for start in range(0, len(lines), 4):
        before_end += engine.push_lines(lines[start : start + 4], test_log.name)
    assert len(rows) >= 10 and engine.sessions_pending + engine.sessions_open >= 1
    assert before_end  # anomalies alerted while the stream runs
    after = engine.flush()
    expected = reference(pipeline, test_log)
    assert sorted(r["session_id"] for r in rows) == sorted(r["session_id"] for r in expected)
    by_id = {r["session_id"]: r for r in rows}
    assert [by_id[r["session_id"]]["open"] for r in expected] == [r["open"] for r in expected]
    flagged = {r["session_id"] for r in expected if r["is_anomaly"]}
    assert {a["session_id"] for a in before_end + after} == flagged


def test_idle_timeout_override_closes_sessions_in_an_endless_stream(model):
    pipeline, _, test_log = model
    engine = DetectionEngine(pipeline, idle_timeout="10s", early_alerts=False)
    alerts = engine.push_lines(test_log.read_text().splitlines(), test_log.name)
    assert alerts and engine.counters.sessions_scored >= 10
    with pytest.raises(LogbertError, match="restore|settings"):
        DetectionEngine(pipeline).restore(engine.snapshot())


def test_a_model_trained_on_sessions_is_refused_at_construction():
    sessions = [Session(f"s{i}", [1, 2, 3], "normal") for i in range(20)]
    pipeline = Pipeline(IQRDetector()).fit(sessions)
    with pytest.raises(LogbertError, match="trained on sessions, not raw logs"):
        DetectionEngine(pipeline)


def test_rejected_lines_are_counted_and_kept(model):
    pipeline, _, test_log = model
    engine = DetectionEngine(pipeline)
    lines = test_log.read_text().splitlines()[:8] + ["not an hdfs line"]
    engine.push_lines(lines, "x.log", first_line_no=10)
    assert engine.counters.lines_rejected == 1 and engine.rejects == [("x.log", 18, lines[-1])]
    assert engine.push_lines([], "x.log") == []
    engine.push_lines(test_log.read_text().splitlines()[8:9], "x.log")
    assert engine.counters.lines_accepted == 9


def test_events_too_late_for_their_window_are_counted(raw_logs, tmp_path):
    """Live lines out of time order: a window closed before they came cannot take them back;
    the engine counts them (metrics, and `watch` warns), where batch scoring sorts them."""
    train_log, test_log, _, _ = raw_logs
    pipeline = Pipeline(
        PCADetector(), sessionizer=SessionizerSettings(window="10s"), log_format="hdfs"
    ).fit_logs([str(train_log)])
    lines = test_log.read_text().splitlines()
    engine = DetectionEngine(pipeline, early_alerts=False)
    engine.push_lines(lines, "test.log")
    assert engine.counters.events_late == 0
    engine.push_lines(lines[:5], "again.log")  # the start of the log again, far behind
    assert engine.counters.events_late == 5 and engine.metrics()["events_late"] == 5


def test_lines_that_fit_the_format_but_name_no_session_are_counted(model):
    """Nothing lost silently: a parsed line naming no block id joins no session."""
    pipeline, _, test_log = model
    lines = test_log.read_text().splitlines()[:8]
    no_id = [line.replace("blk_", "block ") for line in lines[:3]]
    engine = DetectionEngine(pipeline)
    engine.push_lines(lines + no_id, "x.log")
    assert engine.counters.lines_unmatched == 3 and engine.metrics()["lines_unmatched"] == 3
    assert engine.counters.lines_accepted == 11 and engine.counters.lines_rejected == 0
    restored = DetectionEngine(pipeline).restore(json.loads(json.dumps(engine.snapshot())))
    assert restored.counters.lines_unmatched == 3


def test_a_batch_mostly_lost_to_the_model_gets_a_warning_naming_the_counts(model):
    pipeline, _, _ = model
    engine = DetectionEngine(pipeline)
    warning = engine.lost_lines_warning(1000, 770, 230, "batch 3")
    assert warning is not None and warning.startswith("warning: batch 3: 1,000 of 1,000 lines")
    assert "770 do not fit the model's log format hdfs" in warning
    assert r"230 more fit it but named no session id (--by-id blk_-?\d+)" in warning
    assert "--format auto" in warning
    only_ids = engine.lost_lines_warning(10, 0, 8, "b")
    assert only_ids is not None and "8 fit it but named no session id" in only_ids
    assert "do not fit" not in only_ids
    assert engine.lost_lines_warning(1000, 500, 0, "b") is None  # half: not most
    assert engine.lost_lines_warning(4, 4, 0, "b") is None  # fewer than a handful
    assert "out of time order" in engine.late_warning(993, "batch 1")


def test_lines_lost_as_the_rest_of_multi_line_records_are_said_as_score_logs_says(model):
    """QA: tracebacks were lines that "do not fit the model's log format", to check against
    the training logs, where `score --logs` calls them continuation lines of multi-line
    records (`continuation_hint`, whose words the engine reuses)."""
    pipeline, _, test_log = model
    engine = DetectionEngine(pipeline)
    trace = ["java.io.IOException: Connection reset"] + [
        f"\tat org.apache.hadoop.Foo.bar(Foo.java:{i})" for i in range(20)
    ]
    engine.push_lines(test_log.read_text().splitlines()[:4] + trace, "x.log")
    assert engine.counters.lines_rejected == engine.counters.lines_continuation == 21
    warning = engine.lost_lines_warning(25, 21, 0, "b", engine.counters.lines_continuation)
    assert warning == f"warning: b: 21 of 25 lines were not scored: {continuation_hint(21, 21)}"
    assert "do not fit" not in warning and "Check that these are the logs" not in warning
    other = engine.lost_lines_warning(30, 30, 0, "b", 21)  # no record read: 9 of another kind
    assert other is not None and "the other 9 are lines of their own" in other
    assert "Check that these are the logs the model was trained on" in other


def test_the_verdict_note_says_when_quiet_sessions_are_judged(raw_logs, tmp_path):
    """An idle-closed session waits until the log moved a lifetime past its start (the rule
    of `score --logs`): the note must say so, with the lifetime, not 'as they go'."""
    train_log, _, train_labels, _ = raw_logs
    pipeline = train_model(train_log, train_labels, tmp_path / "m")
    lifetime = pipeline.lifecycle_.lifetime_
    assert lifetime is not None
    note = DetectionEngine(pipeline, idle_timeout="30m").verdict_note("POST /v1/flush")
    assert note.startswith("note: sessions (by id blk_-?\\d+) close after 30m without a line")
    assert f"has moved {lifetime:.3g} s (the model's session lifetime" in note
    assert "sessions_pending" in note and "POST /v1/flush judges every one" in note
    note = DetectionEngine(pipeline).verdict_note("exit")
    assert "close only at exit" in note
    # a value to start from (QA Sendmail: DURATION left to guess, nothing judged all day)
    assert re.search(r"--idle-timeout \d+[smh] to close .*\(twice the model's session", note)
    assert f"--idle-timeout {_duration_option(max(2 * lifetime, 60))} " in note
    assert [_duration_option(s) for s in (0.2, 45, 91, 1848, 5400, 5401, 86400)] == [
        "1s", "45s", "2m", "31m", "90m", "2h", "24h"
    ]  # fmt: skip
    windows = Pipeline(
        PCADetector(), sessionizer=SessionizerSettings(window="10s"), log_format="hdfs"
    ).fit_logs([str(train_log)])
    assert DetectionEngine(windows).verdict_note("exit") is None


@pytest.mark.parametrize("missing", ["pipeline.json", "parser.json"])
def test_a_model_dir_missing_a_file_is_told_so_not_to_retrain(model, tmp_path, missing):
    _, directory, _ = model
    (directory / missing).unlink()
    for model_dir in (directory, None):  # named with the directory, inferred without
        with pytest.raises(LogbertError, match=rf"{missing}.*missing") as raised:
            DetectionEngine(Pipeline.load(directory), model_dir=model_dir)
        assert "trained on sessions" not in str(raised.value)
        assert "copy the whole model directory again" in str(raised.value)


@pytest.mark.parametrize("stop_at", [None, 4])
def test_sessions_that_began_before_the_stream_are_a_warning(model, tmp_path, stop_at):
    """What `score --logs` warns of (yesterday's model on today's file), a stream says too,
    with its own advice, and a resumed engine keeps counting."""
    pipeline, _, test_log = model
    lines = with_cut_blocks_first(test_log, tmp_path).read_text().splitlines()
    _, engine = stream(DetectionEngine(pipeline), lines, 4, "today.log", stop_at)
    warning = engine.earlier_starts_warning("Watch the earlier file too.")
    assert warning is not None and warning.startswith(
        "warning: 3 of 16 sessions begin with an event no training session begins with (e.g. "
        "session 'blk_900', key "
    )
    assert warning.endswith("anomalies as scored. Watch the earlier file too.")
    summary = LogReadSummary()
    list(pipeline.score_logs([str(tmp_path / "today.log")], summary))
    said = [note for note in summary.notes if "begin with an event" in note]
    assert said == [warning.replace("Watch the earlier file too.", BATCH_ADVICE)]  # the same
    quiet = DetectionEngine(pipeline)
    stream(quiet, test_log.read_text().splitlines(), 4, test_log.name)
    assert quiet.earlier_starts_warning("x") is None  # the whole blocks: nothing to say


def test_lines_joining_no_session_after_the_last_one_still_end_the_log(model, tmp_path):
    """A health check twenty minutes after the last block: the log went on, so that block is
    complete, not "may still be running" (its end was never judged, its anomaly missed)."""
    from datetime import timedelta

    from ..conftest import T0, _line, block_lines

    pipeline, _, test_log = model
    cut = tmp_path / "cut.log"  # a last block that stopped after its first line
    cut.write_text(
        test_log.read_text() + block_lines("blk_2000", T0 + timedelta(minutes=13))[0] + "\n"
    )
    path = tmp_path / "later.log"
    path.write_text(cut.read_text() + _line(T0 + timedelta(minutes=30), "heartbeat ok") + "\n")
    last = "blk_2000"
    assert {r["session_id"]: r["open"] for r in reference(pipeline, cut)}[last] is True
    rows = {r["session_id"]: r for r in reference(pipeline, path)}
    assert rows[last]["open"] is False
    streamed = []
    engine = DetectionEngine(pipeline, early_alerts=False, on_row=streamed.append)
    stream(engine, path.read_text().splitlines(), 5, path.name)
    assert {r["session_id"]: r["open"] for r in streamed}[last] is False  # as score --logs


def test_a_year_given_dates_lines_written_without_one(tmp_path):
    """QA Arista EOS: `watch` had no `--year`: a replayed log of 2025 was dated by the current
    year, and its windows' ids matched no batch score's (`score --logs --year 2025`)."""
    lines = [
        f"Dec  1 {h:02d}:{m:02d}:00 leaf1 Stp: %SPANTREE-6-INTERFACE_ADD: Interface "
        f"Ethernet{m % 4} has been added to instance MST0"
        for h in range(3) for m in range(0, 60, 5)
    ]  # fmt: skip
    log = tmp_path / "switch.log"
    log.write_text("\n".join(lines) + "\n")
    pipeline = Pipeline(
        IQRDetector(), sessionizer=SessionizerSettings(window="1h"), log_format="linux", year=2025
    ).fit_logs([str(log)])
    rows: list[dict] = []
    engine = DetectionEngine(pipeline, year=2025, on_row=rows.append)
    engine.push_lines(lines, log.name)
    engine.flush()
    assert {r["session_id"] for r in rows} == {f"2025-12-01T0{h}:00:00" for h in range(3)}
    scored = [r for batch in pipeline.score_logs([str(log)], year=2025) for r in batch]
    assert {r["session_id"] for r in scored} == {r["session_id"] for r in rows}
    # without it, live lines are this year's
    now = DetectionEngine(pipeline).parser.process(lines[:1], log.name, 1).events
    assert now.column("timestamp")[0].as_py().year == datetime.now(UTC).year


def test_several_inputs_for_sessions_in_time_order_across_inputs_are_merged(model):
    """QA Longhorn: `watch` read six pod files one after another for a model trained with
    `--order time`, cut each volume's session in two and alerted on all of them, exit 0; then
    warned of it (QA Mesos: with no way to merge files that grow). They are merged now."""
    pipeline = model[0]
    assert not DetectionEngine(pipeline).merges_inputs(6)  # line order: as trained
    assert DetectionEngine(pipeline).inputs_merge_note(6) is None
    pipeline.sessionizer = dataclasses.replace(pipeline.sessionizer, order="time")
    engine = DetectionEngine(pipeline)
    assert not engine.merges_inputs(1) and engine.merges_inputs(6)
    note = engine.inputs_merge_note(6)
    assert note.startswith("note: watch merges its 6 inputs into one stream in time order")
    assert "its sessions take the events of several inputs in time order" in note
    # QA Portainer: windows by a field, the clock shared: a second file's lines came late
    pipeline.sessionizer = SessionizerSettings(window="10m", by_field="Host")
    assert "its time windows hold the events of several" in (
        DetectionEngine(pipeline).inputs_merge_note(2)
    )
    # ... while windows per file close by each file's own time (`value_clock`): no merge
    pipeline.sessionizer = SessionizerSettings(window="10m", by_field="source")
    assert not DetectionEngine(pipeline).merges_inputs(2)


def test_a_template_mined_in_the_stream_widens_in_later_alerts(model, tmp_path):
    """QA Mesos: a log shipper's alert showed the template its first line had made, naming
    another app (`executor 'batch_cache-warmup.<*>' ... failed to start`): the text was kept
    from the first time the template was seen."""
    pipeline, _, test_log = model
    lines = test_log.read_text().splitlines()
    for block, executor in (("blk_1501", "batch_cache-warmup.9b07bf66-fdbf-4e41-9f0f-af2967167892"),
                            ("blk_1504", "infra_log-shipper.c809fc7d-5a21-4aaa-b74f-c823e41d186e")):
        at = next(i for i, line in enumerate(lines) if f"Received block {block}" in line)
        head = lines[at].split(": ", 1)[0]
        lines.insert(at, f"{head}: Quarantined {block} by executor '{executor}'")
    engine = DetectionEngine(pipeline)
    cut = next(i for i, line in enumerate(lines) if "infra_log" in line)
    alerts = engine.push_lines(lines[:cut], "new.log")  # (pushed apart: a log that grows)
    alerts += engine.push_lines(lines[cut:], "new.log") + engine.flush()
    first, second = (
        next(a for a in alerts if a["session_id"] == block) for block in ("blk_1501", "blk_1504")
    )
    assert first["reason"].endswith("Quarantined <*> by executor 'batch_cache-warmup.<*>'")
    assert second["reason"].endswith("Quarantined <*> by executor '<*>'")


def test_a_combinations_alert_names_the_parts_that_flagged(raw_logs):
    """QA Monit: a combination's alert read `score 0.625 > threshold 0`, not which part (its
    score rows name them, `parts_flagging`)."""
    from logbert.models.combined import CombinedDetector

    train_log, test_log, train_labels, _ = raw_logs
    pipeline = Pipeline(
        CombinedDetector(parts=("new-event", "length")),
        sessionizer=SessionizerSettings(by_id=r"blk_-?\d+"),
        log_format="hdfs",
    ).fit_logs([str(train_log)], read_labels(train_labels))
    engine = DetectionEngine(pipeline, early_alerts=False)
    alerts = engine.push_lines(test_log.read_text().splitlines(), test_log.name) + engine.flush()
    assert alerts and all(a["parts_flagging"] for a in alerts)
    alert = alerts[0]
    parts = alert["parts_flagging"]
    own = "its" if len(parts) == 1 else "their"
    assert alert["reason"].endswith(f"({', '.join(parts)} past {own} own)")
    assert "new-event" in parts
