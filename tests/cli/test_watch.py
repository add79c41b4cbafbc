"""`logbert watch`: the verdicts of `score --logs` without --follow; with --follow a file that
grows, is truncated, is rotated, or is deleted and re-created; a restart from --state-dir
neither skips nor repeats lines. Follow loops run with a stop event or --idle-exit (bounded)."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logbert.cli.main import app
from logbert.errors import LogbertError
from logbert.pipeline import Pipeline
from logbert.serving.engine import DetectionEngine
from logbert.serving.watch import AlertSink, Watcher, WatchOptions

runner = CliRunner()
BLOCK = r"blk_-?\d+"


def invoke(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture
def trained(raw_logs, tmp_path):
    train_log, test_log, train_labels, _ = raw_logs
    model = tmp_path / "model"
    result = invoke("train", train_log, "--logs", "--format", "hdfs", "--by-id", BLOCK,
                    "--labels", train_labels, "--output", model, "--model", "pca")  # fmt: skip
    assert result.exit_code == 0, result.output
    return model, test_log


def flagged_by_score(model, log, tmp_path) -> set[str]:
    scores = tmp_path / "scores.jsonl"
    result = invoke("score", model, log, "--logs", "--output", scores)
    assert result.exit_code == 0, result.output
    return {r["session_id"] for r in read_jsonl(scores) if r["is_anomaly"]}


def test_watch_without_follow_flags_what_score_logs_flags(trained, tmp_path):
    model, test_log = trained
    alerts = tmp_path / "alerts.jsonl"
    result = invoke("watch", model, test_log, "--alerts", alerts, "--no-early")
    assert result.exit_code == 0, result.output
    rows = read_jsonl(alerts)
    assert rows and {r["session_id"] for r in rows} == flagged_by_score(model, test_log, tmp_path)
    assert "42 lines read" in result.output and "stopped by end of input" in result.output
    for key in ("alert_id", "session_id", "score_name", "score", "threshold", "is_anomaly",
                "p_value", "open", "top_events", "early", "reason"):  # fmt: skip
        assert key in rows[0], key
    # with early alerts: the same sessions (each anomalous block holds a key PCA never saw)
    result = invoke("watch", model, test_log)  # alerts on stdout
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    assert {r["session_id"] for r in lines} == {r["session_id"] for r in rows}


def test_watch_warns_of_sessions_that_began_before_the_file(trained, tmp_path):
    """Today's file, yesterday's model: sessions spanning midnight begin mid-workflow. The
    warning `score --logs` gives comes from `watch` too, with advice that fits it."""
    from ..conftest import with_cut_blocks_first

    model, test_log = trained
    today = with_cut_blocks_first(test_log, tmp_path)
    result = invoke("watch", model, today, "--alerts", tmp_path / "alerts.jsonl")
    assert result.exit_code == 0, result.output
    assert "warning: 3 of 16 sessions begin with an event no training session begins" in (
        result.output
    )
    assert "Watch the earlier file too, oldest first, or keep one --state-dir" in result.output
    result = invoke("watch", model, test_log, "--alerts", tmp_path / "whole.jsonl")
    assert result.exit_code == 0 and "begin with an event" not in result.output


def test_watch_reads_stdin(trained, tmp_path):
    model, test_log = trained
    alerts = tmp_path / "alerts.jsonl"
    result = invoke("watch", model, "-", "--alerts", alerts, "--no-early",
                    input=test_log.read_text())  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = read_jsonl(alerts)
    assert {r["session_id"] for r in rows} == flagged_by_score(model, test_log, tmp_path)
    assert rows[0]["top_events"] == [] or "source" in str(rows[0])


def test_a_model_without_parser_state_is_refused_at_start(tmp_path):
    sessions = tmp_path / "s.txt"
    sessions.write_text("1 2 3\n" * 30)
    assert invoke("train", sessions, "--output", tmp_path / "m", "--model", "iqr").exit_code == 0
    log = tmp_path / "x.log"
    log.write_text("whatever\n")
    result = invoke("watch", tmp_path / "m", log)
    assert isinstance(result.exception, LogbertError)
    assert "trained on sessions, not raw logs" in str(result.exception)


def test_bad_inputs_are_refused_before_reading(trained, tmp_path):
    model, test_log = trained
    result = invoke("watch", model, tmp_path / "missing.log")
    assert isinstance(result.exception, LogbertError) and "not found" in str(result.exception)
    result = invoke("watch", model, test_log, test_log)
    assert isinstance(result.exception, LogbertError) and "twice" in str(result.exception)
    result = invoke("watch", model, tmp_path, "--follow")  # (without: its files are read)
    assert isinstance(result.exception, LogbertError) and "folder" in str(result.exception)


def test_follow_with_idle_exit_is_bounded_and_flushes_without_state(trained, tmp_path):
    model, test_log = trained
    alerts = tmp_path / "alerts.jsonl"
    started = time.monotonic()
    result = invoke("watch", model, test_log, "--follow", "--poll", "0.05", "--idle-exit", "0.3",
                    "--alerts", alerts, "--no-early")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 30 and "stopped by --idle-exit" in result.output
    assert {r["session_id"] for r in read_jsonl(alerts)} == flagged_by_score(
        model, test_log, tmp_path
    )


# --- follow, through the Watcher API in a thread with a stop event --------------------------


class Running:
    """A follow loop in a thread; `wait_lines(n)` waits (bounded) until n lines were read."""

    def __init__(self, model, paths, tmp_path, state_dir=None, follow=True, name="alerts"):
        self.rows: list[dict] = []
        self.engine = DetectionEngine(Pipeline.load(model), on_row=self.rows.append)
        self.alerts = tmp_path / f"{name}.jsonl"
        self.sink = AlertSink(self.alerts)
        options = WatchOptions(follow=follow, state_dir=state_dir, poll=0.02, batch_lines=7,
                               model_dir=model)  # fmt: skip
        self.notes: list[str] = []
        self.watcher = Watcher(self.engine, [str(p) for p in paths], self.sink, options,
                               self.notes.append)  # fmt: skip
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.watcher.run, args=(self.stop,), daemon=True)
        self.thread.start()

    def wait_lines(self, n: int, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while self.engine.counters.lines_accepted < n:
            assert time.monotonic() < deadline, (self.engine.metrics(), self.notes)
            assert self.thread.is_alive(), "the watcher stopped"
            time.sleep(0.02)

    def finish(self) -> list[dict]:
        self.stop.set()
        self.thread.join(20)
        assert not self.thread.is_alive()
        self.sink.close()
        return read_jsonl(self.alerts)


def lines_of(path: Path) -> list[str]:
    return path.read_text().splitlines(keepends=True)


def test_follow_a_file_that_grows_then_is_truncated(trained, tmp_path):
    model, test_log = trained
    lines = lines_of(test_log)
    live = tmp_path / "live.log"
    live.write_text("".join(lines[:10]) + lines[10][:20])  # ends in half a line
    run = Running(model, [live], tmp_path)
    run.wait_lines(10)
    with open(live, "a") as handle:
        handle.write(lines[10][20:] + "".join(lines[11:]))
    run.wait_lines(42)
    live.write_text("".join(lines[:8]))  # truncated and rewritten, shorter
    run.wait_lines(50)
    alerts = run.finish()
    assert any("truncated" in n for n in run.notes)
    seen = [(r["session_id"], len(r.get("top_events", []))) for r in run.rows]
    assert len(seen) >= 13
    # the second pass numbers its lines from 1 again: the evidence points at lines 1..8
    second = [r for r in run.rows if r["session_id"] in ("blk_1500", "blk_1501")]
    assert second
    assert alerts and len({a["alert_id"] for a in alerts}) == len(alerts)


@pytest.mark.parametrize("how", ["renamed", "deleted"])
def test_follow_a_file_that_is_rotated(trained, tmp_path, how):
    model, test_log = trained
    lines = lines_of(test_log)
    live = tmp_path / "live.log"
    live.write_text("".join(lines[:20]))
    run = Running(model, [live], tmp_path)
    run.wait_lines(20)
    if how == "renamed":
        os.rename(live, tmp_path / "live.log.1")
        with open(tmp_path / "live.log.1", "a") as handle:  # the writer's last lines
            handle.write("".join(lines[20:24]))
    else:
        live.unlink()
    time.sleep(0.1)  # the watcher sees no file for a while
    live.write_text("".join(lines[24:]))
    expected = 42 if how == "renamed" else 38
    run.wait_lines(expected)
    run.finish()
    assert any("rotated" in n for n in run.notes)
    assert run.engine.counters.lines_accepted == expected
    assert len({r["session_id"] for r in run.rows}) >= 12


def test_a_restart_from_the_state_dir_neither_skips_nor_repeats(trained, tmp_path):
    model, test_log = trained
    lines = lines_of(test_log)
    live = tmp_path / "live.log"
    live.write_text("".join(lines[:17]))
    state = tmp_path / "state"
    first = Running(model, [live], tmp_path, state_dir=state)
    first.wait_lines(17)
    first.finish()  # stop request: state saved, open sessions kept
    saved = json.loads((state / "state.json").read_text())
    assert saved["files"][str(live)]["line_no"] == 18
    assert saved["engine"]["sessionizer"]["sessions"]  # open sessions survive the restart
    with open(live, "a") as handle:
        handle.write("".join(lines[17:]))
    second = Running(model, [live], tmp_path, state_dir=state, follow=False)
    second.thread.join(30)
    alerts = second.finish()
    assert second.engine.counters.lines_accepted == 42  # 17 + 25: none skipped, none repeated
    whole = tmp_path / "whole.jsonl"
    assert invoke("watch", model, test_log, "--alerts", whole).exit_code == 0
    strip = [{k: v for k, v in a.items() if k != "top_events"} for a in alerts]
    assert strip == [{k: v for k, v in a.items() if k != "top_events"} for a in read_jsonl(whole)]


def test_runs_without_follow_keep_open_sessions_in_the_state_and_judge_them_whole(
    trained, tmp_path
):
    """QA Tinyproxy: `watch FILE --state-dir` (no --follow) judged the sessions still being
    written when it stopped, and the next run judged their rest as sessions of their own: one
    session two verdicts, the first a false alarm. They stay in the state, and `--final`
    judges them at the end."""
    model, test_log = trained
    lines = lines_of(test_log)
    live, state, alerts = tmp_path / "live.log", tmp_path / "state", tmp_path / "a.jsonl"
    live.write_text("".join(lines[:17]))
    first = invoke("watch", model, live, "--state-dir", state, "--alerts", alerts, "--no-early")
    assert first.exit_code == 0, first.output
    assert "kept in" in first.output and "for the next run" in first.output
    assert json.loads((state / "state.json").read_text())["engine"]["sessionizer"]["sessions"]
    with open(live, "a") as handle:
        handle.write("".join(lines[17:]))
    args = ("--state-dir", state, "--alerts", alerts, "--no-early", "--final")
    assert invoke("watch", model, live, *args).exit_code == 0
    whole = tmp_path / "whole.jsonl"
    assert invoke("watch", model, test_log, "--alerts", whole, "--no-early").exit_code == 0
    judged = sorted(a["session_id"] for a in read_jsonl(alerts))
    assert judged == sorted(a["session_id"] for a in read_jsonl(whole))  # each once, whole


def test_alerts_written_before_a_crash_are_not_written_twice(trained, tmp_path):
    model, test_log = trained
    state = tmp_path / "state"
    saved: list[str] = []
    original = Watcher.save_state

    def keep_copies(self):
        original(self)
        saved.append((state / "state.json").read_text())

    Watcher.save_state = keep_copies
    try:
        run = Running(model, [test_log], tmp_path, state_dir=state, follow=False)
        run.thread.join(30)
        alerts = run.finish()
    finally:
        Watcher.save_state = original
    assert alerts
    # crash: the alerts were written, but the state saved is an early one
    (state / "state.json").write_text(saved[1])
    again = Running(model, [test_log], tmp_path, state_dir=state, follow=False)
    again.thread.join(30)
    after = again.finish()
    ids = [a["alert_id"] for a in after]
    assert ids == sorted(set(ids)) and after == alerts


def test_sigterm_stops_a_follow_loop_with_its_state_saved(trained, tmp_path):
    import signal
    import subprocess
    import sys

    model, test_log = trained
    state = tmp_path / "state"
    alerts = str(tmp_path / "a.jsonl")
    command = [sys.executable, "-c", "from logbert.cli.main import main; main()", "watch",
               str(model), str(test_log), "--follow", "--poll", "0.05", "--state-dir",
               str(state), "--alerts", alerts, "--max-seconds", "60"]  # fmt: skip
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (state / "state.json").exists():
            assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read()
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "stopped by stop request" in err
    saved = json.loads((state / "state.json").read_text())
    assert saved["files"][str(test_log)]["line_no"] == 43


# --- QA fixes: state of another model, rotation while stopped, bad options, summaries -------


def test_a_state_dir_of_another_model_or_of_no_recorded_model_is_refused(
    trained, raw_logs, tmp_path
):
    from logbert.models.pca import PCADetector
    from logbert.sessions.labels import read_labels
    from logbert.sessions.sessionize import SessionizerSettings

    model, test_log = trained
    train_log, _, train_labels, _ = raw_logs
    drain3 = tmp_path / "drain3_model"  # same data, same sessions; other template ids
    bundle = Pipeline(
        PCADetector(), sessionizer=SessionizerSettings(by_id=BLOCK), log_format="hdfs",
        parser="drain3",
    )  # fmt: skip
    bundle.fit_logs([str(train_log)], read_labels(train_labels)).save(drain3)
    state = tmp_path / "state"
    assert invoke("watch", model, test_log, "--state-dir", state, "--alerts",
                  tmp_path / "a.jsonl").exit_code == 0  # fmt: skip
    saved = json.loads((state / "state.json").read_text())
    assert saved["model"]["dir"] == str(model) and len(saved["model"]["fingerprint"]) == 64
    result = invoke("watch", drain3, test_log, "--state-dir", state)
    assert isinstance(result.exception, LogbertError), result.output
    assert f"--state-dir {state} belongs to another model ({model}" in str(result.exception)
    assert "KeyError" not in str(result.exception)
    del saved["model"]  # a state written before the model was recorded
    (state / "state.json").write_text(json.dumps(saved))
    result = invoke("watch", model, test_log, "--state-dir", state)
    assert isinstance(result.exception, LogbertError)
    assert "records no model" in str(result.exception)
    assert "another --state-dir (or remove that one)" in str(result.exception)


def test_a_state_resumes_with_a_new_threshold_and_refuses_other_changes_naming_them(
    trained, raw_logs, tmp_path
):
    """`logbert calibrate` changes threshold.json only: the state goes on with the new
    threshold, with a note, and alert ids go on. A model whose weights changed is refused,
    naming them and what starting over costs (the logs read again, their alerts again)."""
    model, test_log = trained
    lines = lines_of(test_log)
    live, alerts, state = tmp_path / "live.log", tmp_path / "a.jsonl", tmp_path / "state"
    live.write_text("".join(lines[:20]))
    assert invoke("watch", model, live, "--state-dir", state, "--alerts", alerts).exit_code == 0
    old = json.loads((model / "threshold.json").read_text())["value"]
    result = invoke("calibrate", model, test_log, "--logs", "--labels", raw_logs[3], "--rule",
                    "recall>=0.9")  # fmt: skip
    assert result.exit_code == 0, result.output
    new = json.loads((model / "threshold.json").read_text())["value"]
    assert new != old
    live.write_text("".join(lines))
    result = invoke("watch", model, live, "--state-dir", state, "--alerts", alerts)
    assert result.exit_code == 0, result.output
    assert (
        f"note: the model's threshold changed since this state was written ({old:.6g} -> "
        f"{new:.6g}): judging from here on with the new one"
    ) in result.output
    assert "this run: 22 lines read" in result.output
    ids = [a["alert_id"] for a in read_jsonl(alerts)]
    assert ids == sorted(set(ids)) and {a["threshold"] for a in read_jsonl(alerts)} >= {new}
    config = model / "config.json"  # the weights: retrained
    record = json.loads(config.read_text())
    record["retrained"] = True
    config.write_text(json.dumps(record))
    result = invoke("watch", model, live, "--state-dir", state, "--alerts", alerts)
    assert isinstance(result.exception, LogbertError), result.output
    text = str(result.exception)
    assert f"--state-dir {state} belongs to another model ({model}, fingerprint " in text
    assert "; its weights changed): its open sessions and positions cannot be resumed" in text
    assert "read again from their start and their alerts written again, with ids from 1" in text
    assert "pass a new --alerts file too" in text


def test_a_resumed_run_judging_by_another_threshold_than_the_state_says_so(trained, tmp_path):
    """QA: `watch --threshold 30`, then a run without it: judged by the model's threshold
    again, silently (alerts 1-3 said 30, 4-5 the model's)."""
    model, test_log = trained
    lines = lines_of(test_log)
    live, alerts, state = tmp_path / "live.log", tmp_path / "a.jsonl", tmp_path / "state"
    live.write_text("".join(lines[:20]))
    first = invoke("watch", model, live, "--state-dir", state, "--alerts", alerts,
                   "--threshold", 1e9)  # fmt: skip
    assert first.exit_code == 0, first.output
    live.write_text("".join(lines))
    result = invoke("watch", model, live, "--state-dir", state, "--alerts", alerts)
    assert result.exit_code == 0, result.output
    own = json.loads((model / "threshold.json").read_text())["value"]
    assert (
        f"note: this run judges by threshold {own:.6g}, the runs of this state by 1e+09 "
        f"(--threshold given to one of them): alerts from here on follow {own:.6g}"
    ) in result.output


def test_starting_anew_with_an_alerts_file_that_holds_alerts_is_a_warning(trained, tmp_path):
    model, test_log = trained
    alerts = tmp_path / "a.jsonl"
    assert invoke("watch", model, test_log, "--alerts", alerts).exit_code == 0
    last = read_jsonl(alerts)[-1]["alert_id"]
    result = invoke("watch", model, test_log, "--alerts", alerts)
    assert result.exit_code == 0, result.output
    assert (
        f"warning: --alerts {alerts} already holds alerts (ids up to {last}) and this run "
        "starts anew, numbering its alerts from 1, so ids repeat in it: pass a new --alerts "
        "file (or keep a --state-dir from run to run)"
    ) in result.output


def test_watch_warns_of_sessions_out_of_time_order_as_score_logs_does(trained, tmp_path):
    """Rotated files given newest first: the sessionizer's warnings of `score --logs`
    (`SessionizeStats.warnings`) come from `watch` too, once per state."""
    model, test_log = trained
    lines = lines_of(test_log)
    (tmp_path / "app.log.1").write_text("".join(lines[:22]))  # blk_1505 in both files
    (tmp_path / "app.log").write_text("".join(lines[22:]))
    files = (tmp_path / "app.log", tmp_path / "app.log.1")  # newest first
    scored = invoke("score", model, *files, "--logs", "--output", tmp_path / "s.jsonl")
    warning = next(x for x in scored.output.splitlines() if "out of time order" in x)
    assert warning.startswith("warning: 1 of 13 sessions have events out of time order")
    state, alerts = tmp_path / "state", tmp_path / "a.jsonl"
    result = invoke("watch", model, *files, "--alerts", alerts, "--state-dir", state, "--final")
    assert result.exit_code == 0, result.output
    assert warning in result.output.splitlines()
    result = invoke("watch", model, *files, "--alerts", alerts, "--state-dir", state)
    assert result.exit_code == 0 and "out of time order" not in result.output  # said once
    with open(files[0], "a") as handle:  # clean new sessions: the count of sessions grows
        handle.write("".join(line.replace("blk_15", "blk_25") for line in lines[22:26]))
    result = invoke("watch", model, *files, "--alerts", alerts, "--state-dir", state)
    assert result.exit_code == 0 and "out of time order" not in result.output  # still once


def test_a_file_rotated_while_watch_was_stopped_loses_no_line(trained, tmp_path):
    model, test_log = trained
    lines = lines_of(test_log)
    live = tmp_path / "live.log"
    live.write_text("".join(lines[:15]))
    state = tmp_path / "state"
    args = ("--follow", "--state-dir", state, "--alerts", tmp_path / "a.jsonl", "--poll", "0.05",
            "--idle-exit", "0.3")  # fmt: skip
    assert invoke("watch", model, live, *args).exit_code == 0
    with open(live, "a") as handle:
        handle.write("".join(lines[15:30]))  # written after the stop
    os.rename(live, tmp_path / "live.log.1")
    live.write_text("".join(lines[30:]))
    result = invoke("watch", model, live, *args)
    assert result.exit_code == 0, result.output
    assert "reading the rest of the old file, now" in result.output
    assert "this run: 27 lines read" in result.output  # 15 from live.log.1, 12 from the new
    assert "in total since" in result.output and "42 lines read" in result.output


def test_a_resumed_summary_counts_lines_and_alerts_of_this_run_then_in_total(trained, tmp_path):
    model, test_log = trained
    alerts = tmp_path / "a.jsonl"
    state = tmp_path / "state"
    first = invoke("watch", model, test_log, "--state-dir", state, "--alerts", alerts)
    assert first.exit_code == 0 and "this run" not in first.output
    n = len(read_jsonl(alerts))
    assert n and f"{n} alerts" in first.output
    second = invoke("watch", model, test_log, "--state-dir", state, "--alerts", alerts)
    assert second.exit_code == 0, second.output
    assert "this run: 0 lines read" in second.output and "; 0 alerts (0 early)" in second.output
    assert f"in total since {state} was started: 42 lines read, {n} alerts" in second.output


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--top-events", "-1", "--top-events -1"),
        ("--max-seconds", "-1", "--max-seconds -1"),
        ("--max-seconds", "0", "--max-seconds 0"),
        ("--idle-exit", "0", "--idle-exit 0"),
        ("--batch-lines", "0", "--batch-lines 0"),
        ("--poll", "0", "--poll 0"),
    ],
)
def test_bad_option_values_are_refused_naming_only_that_option(trained, option, value, message):
    model, test_log = trained
    result = invoke("watch", model, test_log, "--follow", option, value)
    assert isinstance(result.exception, LogbertError), result.output
    text = str(result.exception)
    assert text.startswith(message)
    others = {"--top-events", "--max-seconds", "--idle-exit", "--batch-lines", "--poll"} - {option}
    assert not any(o in text for o in others), text


@pytest.mark.parametrize("option", ["--max-seconds", "--idle-exit"])
def test_follow_only_options_are_refused_without_follow(trained, option):
    model, test_log = trained
    result = invoke("watch", model, test_log, option, "5")
    assert isinstance(result.exception, LogbertError), result.output
    assert str(result.exception).startswith(f"{option} applies only with --follow")


def test_follow_refuses_a_missing_folder_and_says_once_it_waits_for_a_file(trained, tmp_path):
    model, _ = trained
    result = invoke("watch", model, tmp_path / "typo" / "x.log", "--follow", "--max-seconds", "1")
    assert isinstance(result.exception, LogbertError)
    assert "its folder" in str(result.exception) and "does not exist" in str(result.exception)
    later = tmp_path / "later.log"
    result = invoke("watch", model, later, "--follow", "--poll", "0.05", "--max-seconds", "0.5")
    assert result.exit_code == 0, result.output
    assert result.output.count(f"waiting for {later} to appear") == 1


def test_a_rejects_file_gets_its_folder_made_as_every_output_does(
    trained, tmp_path, refused_folder
):
    """QA: `--rejects missing/r.txt` (or /proc/x/r.txt) was a FileNotFoundError traceback at
    the first line that did not fit; its folder is made, and one the OS refuses is the one-line
    error of every output."""
    model, test_log = trained
    mixed = tmp_path / "mixed.log"
    mixed.write_text(test_log.read_text() + "not an hdfs line\n")
    rejects = tmp_path / "new" / "r.txt"
    result = invoke("watch", model, mixed, "--rejects", rejects, "--alerts", tmp_path / "a.jsonl")
    assert result.exit_code == 0, result.output
    assert "not an hdfs line" in rejects.read_text()
    refused = refused_folder / "r.txt"
    result = invoke("watch", model, mixed, "--rejects", refused, "--alerts", tmp_path / "b.jsonl")
    assert isinstance(result.exception, LogbertError), result.output
    assert str(result.exception).startswith(
        f"cannot write --rejects file {refused}: the folder {refused_folder} cannot be created"
    )
    result = invoke("watch", model, mixed, "--rejects", tmp_path)
    assert isinstance(result.exception, LogbertError), result.output
    assert str(result.exception) == f"--rejects file {tmp_path} is a folder: give a file name"


def test_logs_of_another_format_get_a_warning_and_unmatched_lines_are_counted(trained, tmp_path):
    """Mostly another format: a warning naming the model's; only another format: an error
    (QA: it exited 0, as a watch that found nothing wrong, where `score` exits 2)."""
    model, test_log = trained
    other = tmp_path / "other.log"  # BGL-like lines: not the model's hdfs format
    bgl = "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 RAS KERNEL INFO parity error corrected"
    other.write_text("".join(f"{bgl} {i}\n" for i in range(30)))
    result = invoke("watch", model, other, "--alerts", tmp_path / "a.jsonl")
    assert isinstance(result.exception, LogbertError)  # exit 2 from the command line
    assert "no line of" in str(result.exception) and "log format 'hdfs'" in str(result.exception)
    other.write_text(other.read_text() + "".join(lines_of(test_log)[:5]))
    result = invoke("watch", model, other, "--alerts", tmp_path / "a2.jsonl")
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "30 of 35 lines were not scored" in result.output
    assert "log format hdfs" in result.output
    no_id = tmp_path / "no_id.log"  # the model's format, but no block id in any line
    no_id.write_text("".join(line.replace("blk_", "block ") for line in lines_of(test_log)))
    result = invoke("watch", model, no_id, "--alerts", tmp_path / "b.jsonl")
    assert "42 matched no session id" in result.output
    assert "named no session id" in result.output


def test_the_follow_note_says_when_closed_sessions_are_judged(trained, tmp_path):
    model, test_log = trained
    result = invoke("watch", model, test_log, "--follow", "--idle-timeout", "30m", "--idle-exit",
                    "0.2", "--poll", "0.05", "--alerts", tmp_path / "a.jsonl")  # fmt: skip
    assert result.exit_code == 0, result.output
    note = next(line for line in result.output.splitlines() if line.startswith("note:"))
    assert "30m" in note and "session lifetime" in note and "past its start" in note
    assert "closed, not yet judged" in result.output


def test_inputs_sharing_a_base_name_keep_their_paths_as_sources(trained, tmp_path):
    model, test_log = trained
    paths = []
    for host in ("host1", "host2"):
        (tmp_path / host).mkdir()
        paths.append(str(tmp_path / host / "x.log"))
        Path(paths[-1]).write_text(test_log.read_text())
    options = WatchOptions(follow=False, model_dir=model)
    engine = DetectionEngine(Pipeline.load(model))
    watcher = Watcher(engine, [*paths, str(test_log)], AlertSink(None), options)
    assert [f.source for f in watcher.files] == [*paths, test_log.name]


def test_logs_of_mostly_new_templates_get_the_warning_score_gives(trained, tmp_path):
    """QA: watch with a model of another component alerted every session, early, and said only
    that the logs held many anomalies or differed; `score` says most events are new."""
    model, test_log = trained
    renamed = tmp_path / "other_component.log"
    renamed.write_text("".join(line.replace("Receiving block", "Fetching chunk")
                               .replace("PacketResponder", "ChunkWriter")
                               .replace("Received block", "Stored chunk")
                               for line in lines_of(test_log)))  # fmt: skip
    result = invoke("watch", model, renamed, "--alerts", tmp_path / "a.jsonl")
    assert result.exit_code == 0, result.output
    assert "carry templates no line of the training logs had" in result.output
    plain = invoke("watch", model, test_log, "--alerts", tmp_path / "b.jsonl")
    assert "carry templates no line of the training logs had" not in plain.output


def test_ids_that_come_back_after_the_idle_timeout_are_warned_of(trained, tmp_path):
    """QA OpenSMTPD: `--idle-timeout 60s` (as advised) cut each connection that waited out a
    300 s timeout into two sessions, alerted apart, and the run said nothing of it."""
    model, test_log = trained
    lines = lines_of(test_log)
    later = [  # blk_1500's lines again, an hour later (after every other block)
        "081109 2" + str(int(line[8]) + 1) + line[9:] for line in lines if "blk_1500 " in line
    ]
    log = tmp_path / "came_back.log"
    log.write_text("".join(lines + later))
    base = ("watch", model, log, "--idle-timeout", "5m", "--no-early")
    result = invoke(*base, "--alerts", tmp_path / "a.jsonl")
    assert result.exit_code == 0, result.output
    assert "warning: 1 id came back after --idle-timeout 5m had closed its session" in (
        result.output
    )
    assert "(e.g. 'blk_1500')" in result.output
    result = invoke(*base[:-3], "--idle-timeout", "2h", "--alerts", tmp_path / "b.jsonl")
    assert result.exit_code == 0 and "came back" not in result.output


def split_by_component(log: Path, folder: Path) -> list[Path]:
    """`log`'s lines in two files, as two daemons write them: each block's first and last
    lines (receiving, deletion) in one, those between in the other (a block's session spans
    both, its events in turn)."""
    folder.mkdir()
    ends, middle = folder / "datanode.log", folder / "receiver.log"
    lines = lines_of(log)
    inner = ("Received block", "Exception in")
    ends.write_text("".join(line for line in lines if not any(w in line for w in inner)))
    middle.write_text("".join(line for line in lines if any(w in line for w in inner)))
    return [ends, middle]


def test_inputs_of_a_model_in_time_order_are_watched_as_one_stream(raw_logs, tmp_path):
    """QA Mesos (and Longhorn, Zuul): a model trained with --order time on several files was
    watched one file after another, every session cut where a file's lines ended and judged
    in parts; now the inputs are merged by time, and watch flags what `score --logs` flags."""
    train_log, test_log, train_labels, _ = raw_logs
    train = split_by_component(train_log, tmp_path / "train")
    test = split_by_component(test_log, tmp_path / "test")
    model = tmp_path / "model"
    result = invoke("train", *train, "--logs", "--format", "hdfs", "--by-id", BLOCK, "--order",
                    "time", "--labels", train_labels, "--model", "ngram", "-o", model)  # fmt: skip
    assert result.exit_code == 0, result.output
    flagged = flagged_by_score(model, test[0], tmp_path)  # (one file: the sessions' parts)
    scores = tmp_path / "both.jsonl"
    assert invoke("score", model, *test, "--logs", "--output", scores).exit_code == 0
    expected = {r["session_id"] for r in read_jsonl(scores) if r["is_anomaly"]}
    assert expected and expected != flagged  # (the parts alone are judged otherwise)
    alerts = tmp_path / "alerts.jsonl"
    result = invoke("watch", model, *test, "--alerts", alerts, "--no-early", "--batch-lines", 3)
    assert result.exit_code == 0, result.output
    assert "note: watch merges its 2 inputs into one stream in time order" in result.output
    assert "out of time order" not in result.output
    assert {a["session_id"] for a in read_jsonl(alerts)} == expected
    # ... and followed, with a state kept: the same
    alerts = tmp_path / "followed.jsonl"
    result = invoke("watch", model, *test, "--follow", "--idle-exit", "0.3", "--poll", "0.05",
                    "--state-dir", tmp_path / "state", "--alerts", alerts, "--no-early",
                    "--idle-timeout", "1h")  # fmt: skip
    assert result.exit_code == 0, result.output
    result = invoke("watch", model, *test, "--state-dir", tmp_path / "state", "--alerts", alerts,
                    "--no-early", "--idle-timeout", "1h", "--final")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert {a["session_id"] for a in read_jsonl(alerts)} == expected


def with_id_less_lines(log: Path, path: Path) -> Path:
    """`log` with two lines naming no block after each of its lines (a daemon's own)."""
    lines = []
    for line in lines_of(log):
        head = line.split(" INFO ")[0]
        lines += [line] + [f"{head} INFO dfs.DataNode: heartbeat sent to namenode\n"] * 2
    path.write_text("".join(lines))
    return path


def test_lines_in_no_session_as_in_training_are_not_blamed_on_the_logs(
    raw_logs, trained, tmp_path
):
    """QA Swift: the replicators' lines, no transaction's, were 70% of training's and of the
    watched log alike, and watch said to check that these are the logs the model was trained
    on."""
    train_log, test_log, train_labels, _ = raw_logs
    model = tmp_path / "daemon_model"
    train = with_id_less_lines(train_log, tmp_path / "daemon_train.log")
    result = invoke("train", train, "--logs", "--format", "hdfs", "--by-id", BLOCK, "--labels",
                    train_labels, "--model", "ngram", "-o", model)  # fmt: skip
    assert result.exit_code == 0, result.output
    watched = with_id_less_lines(test_log, tmp_path / "daemon_test.log")
    result = invoke("watch", model, watched, "--alerts", tmp_path / "a.jsonl")
    assert result.exit_code == 0, result.output
    assert "lines were not scored: " in result.output
    assert "as in training (67% of its events joined no session)" in result.output
    assert "Check that these are the logs" not in result.output
    # a model whose training lines all joined a session: the logs are in doubt, as before
    plain, _ = trained
    result = invoke("watch", plain, watched, "--alerts", tmp_path / "b.jsonl")
    assert "Check that these are the logs the model was trained on" in result.output


def test_watch_takes_threads_as_score_does(trained, tmp_path):
    """QA Mesos, n8n: `watch ... --threads 1`, as the README advises for every command, was
    "No such option"."""
    model, test_log = trained
    result = invoke("watch", model, test_log, "--threads", 1, "--alerts", tmp_path / "a.jsonl")
    assert result.exit_code == 0, result.output
    refused = invoke("watch", model, test_log, "--threads", -1)
    assert isinstance(refused.exception, LogbertError) and "--threads must be 0" in str(
        refused.exception
    )


def test_a_folder_is_its_log_files_without_follow_and_refused_with_advice_with_it(
    trained, tmp_path
):
    """QA Mesos: `watch MODEL live` was "log file live is a folder", where parse, train and
    score read a folder's files."""
    model, test_log = trained
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "test.log").write_text(test_log.read_text())
    alerts = tmp_path / "a.jsonl"
    result = invoke("watch", model, folder, "--alerts", alerts, "--no-early")
    assert result.exit_code == 0, result.output
    assert f"folder {folder}: 1 file" in result.output
    assert {a["session_id"] for a in read_jsonl(alerts)} == flagged_by_score(
        model, test_log, tmp_path
    )
    refused = invoke("watch", model, folder, "--follow", "--idle-exit", "0.1")
    assert isinstance(refused.exception, LogbertError)
    assert f"pass its current logs (e.g. {folder}/*.log" in str(refused.exception)
    slashed = invoke("watch", model, f"{folder}/", "--follow", "--idle-exit", "0.1")
    assert f"(e.g. {folder}/*.log, or {folder}/*/*.log" in str(slashed.exception)  # (QA Mailman)
