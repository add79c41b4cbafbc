"""Silences live: a host that stopped writing is alerted while it is still silent once every
input has been read (`caught_up`), once; its windows get the rows `score --logs` writes when
it ends; a snapshot carries what was alerted (QA CRI-O: the hung node was a line on stderr,
not an alert)."""

from __future__ import annotations

import json

from logbert.models.length import LengthDetector
from logbert.pipeline import Pipeline
from logbert.serving.engine import DetectionEngine
from logbert.sessions.sessionize import SessionizerSettings


def trained(train) -> Pipeline:
    settings = SessionizerSettings(window="10m", by_field="Host")
    return Pipeline(LengthDetector(), sessionizer=settings, log_format="linux", year=2025).fit_logs(
        [str(train)]
    )


def test_a_silent_host_is_alerted_while_silent_then_scored_as_score_logs_does(silent_host_logs):
    train, test, _ = silent_host_logs
    pipeline = trained(train)
    lines = test.read_text().splitlines()
    cut = next(i for i, line in enumerate(lines) if line.startswith("Dec  1 07:36"))
    rows: list[dict] = []
    engine = DetectionEngine(pipeline, year=2025, on_row=rows.append)
    assert not [a for a in engine.push_lines(lines[:cut], "test.log") if "silence" in a]
    early = engine.caught_up()
    assert len(early) == 1 and early[0]["early"] and early[0]["open"]
    alert = early[0]
    assert alert["session_id"] == "beta@2025-12-01T07:00:00" and alert["score_name"] == "silence"
    assert alert["score"] == 3  # 07:00, 07:10, 07:20 complete
    # flagged when longer than the threshold (from 2 windows, training's longest 0)
    assert alert["threshold"] == 1 and alert["silence"]["longest_in_training"] == 0
    assert alert["reason"].startswith("'beta' wrote nothing for 3 time windows so far (since ")
    assert engine.caught_up() == []  # once
    # resumed from a snapshot, the silence is still known as alerted
    state = json.loads(json.dumps(engine.snapshot()))
    engine = DetectionEngine(pipeline, year=2025, on_row=rows.append).restore(state)
    later = engine.push_lines(lines[cut:], "test.log") + engine.flush()
    assert not [a for a in later if a.get("score_name") == "silence"]  # not alerted again
    assert engine.counters.silences_flagged == 1
    silent = [r for r in rows if r.get("decided_by") == "silence"]
    batch = [r for rows_ in pipeline.score_logs([str(test)], year=2025) for r in rows_]
    assert silent == [r for r in batch if r.get("decided_by") == "silence"]
    assert len(silent) == 4
    # the alert shows what the rows show, down to beta's last line before it fell silent
    evidence = {key: value for key, value in silent[0]["silence"].items() if key != "windows"}
    assert {key: alert["silence"][key] for key in evidence} | {"source": "test.log"} == evidence
    assert lines[evidence["line_no"] - 1].startswith("Dec  1 06:58:10 beta ")


def test_a_silence_is_alerted_when_it_ends_without_caught_up_and_at_the_end_of_a_stream(
    silent_host_logs,
):
    train, test, _ = silent_host_logs
    pipeline = trained(train)
    lines = test.read_text().splitlines()
    engine = DetectionEngine(pipeline, year=2025)
    alerts = engine.push_lines(lines, "test.log") + engine.flush()
    silent = [a for a in alerts if a["score_name"] == "silence"]
    assert len(silent) == 1 and not silent[0]["early"] and silent[0]["score"] == 4
    assert silent[0]["end"] == "2025-12-01T07:40:00Z"
    # a host that never writes again: its silence at the end of the stream
    stopped = [line for line in lines if " gamma " not in line or line < "Dec  1 08:00"]
    engine = DetectionEngine(pipeline, year=2025)
    alerts = engine.push_lines(stopped, "test.log") + engine.flush()
    ended = [a for a in alerts if a["score_name"] == "silence" and "'gamma'" in a["reason"]]
    assert len(ended) == 1 and ended[0]["silence"]["at_end"]


def test_without_early_alerts_a_silence_is_alerted_when_it_ends(silent_host_logs):
    train, test, _ = silent_host_logs
    lines = test.read_text().splitlines()
    cut = next(i for i, line in enumerate(lines) if line.startswith("Dec  1 07:36"))
    engine = DetectionEngine(trained(train), year=2025, early_alerts=False)
    engine.push_lines(lines[:cut], "test.log")
    assert engine.caught_up() == []
    alerts = engine.push_lines(lines[cut:], "test.log")
    assert [a["session_id"] for a in alerts if a["score_name"] == "silence"] == [
        "beta@2025-12-01T07:00:00"
    ]


def test_read_in_rounds_a_host_behind_the_others_that_still_writes_is_not_silent(
    silent_host_logs,
):
    """QA Zammad: `watch` alerted a worker's file as silent, early, while it was only behind
    the web server's (a shipper's lag): read in rounds (`read_in_rounds`), a value that wrote
    in this round is not silent, however far behind; one that wrote nothing in a round is."""
    train, test, _ = silent_host_logs
    lines = test.read_text().splitlines()
    cut = next(i for i, line in enumerate(lines) if line.startswith("Dec  1 07:36"))
    engine = DetectionEngine(trained(train), year=2025)
    engine.read_in_rounds()
    engine.push_lines([x for x in lines[:cut] if " beta " not in x], "others.log")
    engine.push_lines([x for x in lines[:cut] if " beta " in x], "beta.log")  # behind
    assert engine.caught_up() == []
    rest = [x for x in lines[cut:] if " beta " not in x and x < "Dec  1 07:40"]
    engine.push_lines(rest, "others.log")
    silent = [a for a in engine.caught_up() if a["score_name"] == "silence"]
    assert [a["session_id"] for a in silent] == ["beta@2025-12-01T07:00:00"]


def test_a_window_the_stream_ends_in_is_open_at_the_flush_as_score_logs_marks_it(
    silent_host_logs, tmp_path
):
    """QA Tinyproxy: `watch` stopped in a window holding one line judged it whole (`open:
    false`), a false alarm, where `score --logs` on the same lines marks it open: the engine's
    time moved to each closed window's end, its clock's, not the newest event's."""
    train, test, _ = silent_host_logs
    pipeline = trained(train)
    lines = test.read_text().splitlines()
    cut = next(i for i, line in enumerate(lines) if line.startswith("Dec  1 08:00")) + 1
    part = tmp_path / "part.log"
    part.write_text("\n".join(lines[:cut]) + "\n")  # 08:00's window: one line of one host
    rows: list[dict] = []
    engine = DetectionEngine(pipeline, year=2025, on_row=rows.append)
    engine.push_lines(lines[:cut], "part.log")
    engine.flush()
    batch = [r for rows_ in pipeline.score_logs([str(part)], year=2025) for r in rows_]
    opened = {r["session_id"] for r in batch if r.get("open")}
    assert "alpha@2025-12-01T08:00:00" in opened
    assert {r["session_id"] for r in rows if r.get("open")} == opened
