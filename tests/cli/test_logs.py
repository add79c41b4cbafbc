"""Raw logs in, verdicts out through the CLI: train --logs, score --logs, evaluate --logs,
calibrate --logs, and the bad inputs of that path."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from logbert.cli.main import app
from logbert.errors import LogbertError

runner = CliRunner()
TINY = ["--model", "iqr"]  # the bundle's workflow is the same for every detector; IQR is instant


def invoke(*args) -> object:
    return runner.invoke(app, [str(a) for a in args])


def user_error(result) -> str:
    assert isinstance(result.exception, LogbertError), result.output
    return str(result.exception)


@pytest.fixture
def trained(raw_logs, tmp_path):
    train_log, test_log, train_labels, test_labels = raw_logs
    model = tmp_path / "model"
    result = invoke("train", train_log, "--logs", "--format", "hdfs", "--by-id", r"blk_-?\d+",
                    "--labels", train_labels, "--output", model, *TINY)  # fmt: skip
    assert result.exit_code == 0, result.output
    return model, result.output, raw_logs


def test_train_from_logs_then_score_and_evaluate_them(trained, tmp_path):
    model, output, (_, test_log, _, test_labels) = trained
    assert "2 labelled anomalies left out" in output
    assert "id column 'BlockId'" in output
    assert (model / "parser.json").exists() and (model / "pipeline.json").exists()
    scores = tmp_path / "scores.jsonl"
    result = invoke("score", model, test_log, "--logs", "--output", scores, "--threads", 1)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in scores.read_text().splitlines()]
    assert len(rows) == 13 and "42 lines read, 0 rejected" in result.output
    refused = invoke("score", model, test_log, "--logs", "-o", scores, "--threads", -1)
    assert "--threads must be 0" in user_error(refused)  # as train (QA FortiGate: missing)
    evaluation = tmp_path / "evaluation.json"
    result = invoke("evaluate", model, test_log, "--logs", "--labels", test_labels,
                    "--output", evaluation, "--threads", 1)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "id column 'InstanceId'" in result.output  # any two-column id,label file
    metrics = json.loads(evaluation.read_text())
    assert metrics["n_sessions"] == 13 and metrics["n_anomalies"] == 3
    flagged = sum(r["is_anomaly"] for r in rows)
    assert metrics["confusion_matrix"]["tp"] + metrics["confusion_matrix"]["fp"] == flagged
    result = invoke("calibrate", model, test_log, "--logs", "--labels", test_labels,
                    "--rule", "best-f1")  # fmt: skip
    assert result.exit_code == 0, result.output
    mixed = tmp_path / "mixed.log"  # calibrate keeps rejected lines too, as score does
    mixed.write_text(test_log.read_text() + "not an hdfs line\n")
    result = invoke("calibrate", model, mixed, "--logs", "--rule", "max")
    assert result.exit_code == 0, result.output
    assert "not an hdfs line" in (model / "calibrate.rejects.txt").read_text()


def test_scored_sessions_far_longer_than_trainings_are_a_warning(trained, tmp_path):
    """QA Airbyte: a model trained on one file per job scored all jobs in one file as one
    session of 16 hours, flagged, exit 0, unsaid; here a block id comes back hours later."""
    from datetime import timedelta

    from ..conftest import T0, block_lines

    model, _, (_, test_log, _, _) = trained
    later = tmp_path / "later.log"
    lines = block_lines("blk_777", T0) + block_lines("blk_777", T0 + timedelta(hours=5))
    later.write_text(test_log.read_text() + "\n".join(lines) + "\n")
    scores = tmp_path / "scores.jsonl"
    result = invoke("score", model, later, "--logs", "--output", scores, "--threads", 1)
    assert result.exit_code == 0, result.output
    assert "warning: 1 of 14 sessions scored last far longer than the model's training" in (
        result.output
    )
    assert "'blk_777'" in result.output
    result = invoke("score", model, test_log, "--logs", "--output", scores, "--threads", 1)
    assert "last far longer" not in result.output


def test_logs_in_another_format_are_counted_and_kept_aside(trained, tmp_path):
    model, _, (_, test_log, _, _) = trained
    mixed = tmp_path / "mixed.log"
    mixed.write_text(test_log.read_text() + "not an hdfs line\n")
    scores = tmp_path / "scores.jsonl"
    result = invoke("score", model, mixed, "--logs", "--output", scores)
    assert result.exit_code == 0, result.output
    assert "1 rejected (kept in" in result.output
    assert "not an hdfs line" in (tmp_path / "scores.rejects.txt").read_text()


def test_logs_mostly_in_another_layout_get_the_bad_fit_warning_parse_gives(trained, tmp_path):
    """Two layouts in one file, the format fitting one: the rejected count was printed with no
    word that most of the log went unscored (`parse` warned, `score --logs` did not)."""
    model, _, (_, test_log, _, _) = trained
    mixed = tmp_path / "mixed.log"
    lines = test_log.read_text().splitlines()
    mixed.write_text("".join(f"{line}\nGET /api/cart/{i} 200\nGET /health 200\n"
                             for i, line in enumerate(lines)))  # fmt: skip
    result = invoke("score", model, mixed, "--logs", "--output", tmp_path / "s.jsonl")
    assert result.exit_code == 0, result.output
    assert "warning: format hdfs does not fit these logs: 84 of 126 lines (67%) did not match" in (
        result.output
    )
    assert "those lines are not scored" in result.output


def test_a_model_trained_on_sessions_is_refused_raw_logs(raw_logs, tmp_path):
    sessions = tmp_path / "s.txt"
    sessions.write_text("1 2 3\n" * 30)
    assert invoke("train", sessions, "--output", tmp_path / "m", *TINY).exit_code == 0
    message = user_error(
        invoke("score", tmp_path / "m", raw_logs[1], "--logs", "--output", tmp_path / "s.jsonl")
    )
    assert "trained on sessions" in message and "retrain" in message


def test_raw_logs_without_logs_are_named_as_raw_logs_not_as_foreign_key_ids(trained, tmp_path):
    """QA (CI logs): a raw log given to a --logs model without --logs was told its "key ids
    come from another parse run"."""
    model, _, (_, test_log, _, _) = trained
    for command in ("score", "evaluate"):
        out = tmp_path / ("o.jsonl" if command == "score" else "o.json")
        message = user_error(invoke(command, model, test_log, "--output", out))
        assert "looks like a raw log line, not a session" in message
        assert "add --logs" in message and "parse run" not in message
        # ... with labels too (QA strongSwan: evaluate said sessions files carry their labels)
        labels = tmp_path / "labels.csv"
        labels.write_text("session_id,label\nx,0\n")
        message = user_error(invoke(command, model, test_log, "--labels", labels, "--output", out))
        assert "looks like a raw log line, not a session" in message and "add --logs" in message
    # QA Suricata: JSON lines named `.json` (`eve.json`) were "invalid JSON (Extra data ...)"
    eve = tmp_path / "eve.json"
    eve.write_text('{"timestamp":"2026-11-21T00:00:00+0000","event_type":"flow"}\n' * 2)
    message = user_error(invoke("score", model, eve, "--output", tmp_path / "o.jsonl"))
    assert "looks like a raw log line, not a session" in message


def test_train_on_logs_in_another_format_names_the_format_that_reads_them(tmp_path):
    """QA pino: `train --logs --format apache` on JSON lines said only "pass the format these
    logs are written in", where `parse` said `try --format json`."""
    log = tmp_path / "api.log"
    log.write_text("".join(f'{{"level":30,"time":17636337021{i:02d},"reqId":"r{i}","msg":"hi"}}\n'
                           for i in range(20)))  # fmt: skip
    args = ("--logs", "--format", "apache", "--by-id", "reqId=(\\w+)", "--model", "ngram")
    message = user_error(invoke("train", log, *args, "-o", tmp_path / "m"))
    assert "fits the log format 'apache'" in message and "try --format json" in message
    # a regex written for the JSON text: `train --logs` gives the one that reads the content
    args = ("--logs", "--format", "json", "--by-id", '"reqId":"(\\w+)"', "--model", "ngram")
    message = user_error(invoke("train", log, *args, "-o", tmp_path / "m"))
    assert "--by-id 'reqId=(\\S+)'" in message


def test_session_settings_are_checked(raw_logs, tmp_path):
    log = raw_logs[0]
    both = invoke("train", log, "--logs", "--format", "hdfs", "--by-id", "blk_\\d+",
                  "--lines", "5", "--output", tmp_path / "m", *TINY)  # fmt: skip
    assert "--by-id takes no --lines" in user_error(both)
    nothing = invoke("train", log, "--logs", "--format", "hdfs", "--by-id", r"job_\d+",
                     "--output", tmp_path / "m2", *TINY)  # fmt: skip
    assert "no session" in user_error(nothing)
    assert not (tmp_path / "m2" / "config.json").exists()
    no_format = invoke("train", log, "--logs", "--by-id", "blk_[0-9]+", "--output", tmp_path / "m3")
    assert "--format" in user_error(no_format)


def test_sessions_parsed_in_another_run_are_refused(raw_logs, tmp_path):
    """Template ids drift between parse runs without --state; a model must not score them."""
    train_log, _, train_labels, _ = raw_logs
    reordered = tmp_path / "reordered.log"  # the same kinds of lines, first seen in another order
    lines = train_log.read_text().splitlines()
    reordered.write_text("\n".join(sorted(lines, key=lambda x: x.split(": ", 1)[1][:3])) + "\n")
    for name, log in (("a", train_log), ("b", reordered)):
        folder = tmp_path / name
        folder.mkdir()
        parse = invoke("parse", log, "--format", "hdfs", "-o", folder / "events.parquet")
        assert parse.exit_code == 0, parse.output
        result = invoke("sessionize", folder / "events.parquet", "--by-id", r"blk_-?\d+",
                        "--labels", train_labels, "-o", folder / "sessions.parquet")  # fmt: skip
        assert result.exit_code == 0, result.output
    model = tmp_path / "model"
    assert invoke("train", tmp_path / "a" / "sessions.parquet", "-o", model, *TINY).exit_code == 0
    same = invoke("score", model, tmp_path / "a" / "sessions.parquet", "-o", tmp_path / "s.jsonl")
    assert same.exit_code == 0, same.output
    other = invoke("score", model, tmp_path / "b" / "sessions.parquet", "-o", tmp_path / "t.jsonl")
    assert "another run" in user_error(other) and not (tmp_path / "t.jsonl").exists()
    evaluated = invoke(
        "evaluate", model, tmp_path / "b" / "sessions.parquet", "-o", tmp_path / "e.json"
    )
    assert "another run" in user_error(evaluated)


def test_line_windows_and_an_automatic_format_from_raw_logs(raw_logs, tmp_path):
    train_log, test_log, _, _ = raw_logs
    model = tmp_path / "model"
    result = invoke("train", train_log, "--logs", "--format", "auto", "--lines", 4,
                    "--output", model, *TINY)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "chose hdfs" in result.output
    record = json.loads((model / "pipeline.json").read_text())
    assert record["sessionizer"]["lines"] == 4
    scores = tmp_path / "scores.jsonl"
    result = invoke("score", model, test_log, "--logs", "--output", scores)
    assert result.exit_code == 0, result.output
    assert len(scores.read_text().splitlines()) == 11  # 42 lines in sessions of 4


def test_logs_that_do_not_fit_the_models_format_get_advice_score_can_follow(trained, tmp_path):
    model, _, _ = trained
    other = tmp_path / "syslog.log"  # splits as hdfs lines would, but holds no hdfs timestamp
    other.write_text("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown\n" * 3)
    message = user_error(invoke("score", model, other, "--logs", "-o", tmp_path / "s.jsonl"))
    assert "the model's log format" in message or "fits the log format" in message
    assert "--timestamp-format" not in message and "train a model on these" in message
    empty = tmp_path / "empty.log"
    empty.write_text("")
    message = user_error(invoke("score", model, empty, "--logs", "-o", tmp_path / "e.jsonl"))
    assert "holds no lines" in message and "session settings" not in message
    blank = tmp_path / "blank.log"
    blank.write_text("  \n\n\t\n")
    message = user_error(invoke("score", model, blank, "--logs", "-o", tmp_path / "b.jsonl"))
    assert "only blank lines (3)" in message and "session settings" not in message


def test_training_from_logs_stopped_by_ctrl_c_leaves_no_half_written_model(
    raw_logs, tmp_path, monkeypatch
):
    from logbert.pipeline import Pipeline

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(Pipeline, "fit_logs", stopped)
    model = tmp_path / "model"
    result = invoke("train", raw_logs[0], "--logs", "--format", "hdfs", "--by-id", r"blk_-?\d+",
                    "--output", model, *TINY)  # fmt: skip
    assert result.exit_code != 0 and not model.exists()


def test_blank_lines_in_scored_logs_are_counted_apart_not_as_rejects(trained, tmp_path):
    model, _, (_, test_log, _, _) = trained
    spaced = tmp_path / "spaced.log"
    spaced.write_text("\n\n".join(test_log.read_text().splitlines()) + "\n   \n")
    scores = tmp_path / "scores.jsonl"
    result = invoke("score", model, spaced, "--logs", "--output", scores)
    assert result.exit_code == 0, result.output
    assert "84 lines read, 0 rejected, 42 blank" in result.output


def test_scored_logs_are_dated_by_their_own_year_not_the_one_given_to_train(tmp_path):
    import os
    from datetime import datetime

    lines = [f"Jun {1 + i // 24:2d} {i % 24:02d}:0{i % 7}:00 combo sshd[{i}]: session opened for "
             f"user u{i % 3}\n" for i in range(96)]  # fmt: skip
    train_log, test_log = tmp_path / "train.log", tmp_path / "test.log"
    train_log.write_text("".join(lines))
    test_log.write_text("".join(lines[:48]))
    os.utime(test_log, (datetime(2010, 8, 1).timestamp(),) * 2)
    model = tmp_path / "m"
    result = invoke("train", train_log, "--logs", "--format", "linux", "--year", 2005,
                    "--window", "1h", "--output", model, *TINY)  # fmt: skip
    assert result.exit_code == 0, result.output
    for extra, year in (((), 2010), (("--year", 2012), 2012)):
        scores = tmp_path / f"s{year}.jsonl"
        result = invoke("score", model, test_log, "--logs", "--output", scores, *extra)
        assert result.exit_code == 0, result.output
        assert "(--year)" not in result.output or extra
        # ... and a year other than training's, taken from the file, is a warning (QA Harbor:
        # a note alone, the sessions' times two years off)
        warned = "the model's training logs were dated 2005 by --year" in result.output
        assert warned == (not extra), result.output
        assert not extra or "pass --year 2005" not in result.output
        ids = [json.loads(line)["session_id"] for line in scores.read_text().splitlines()]
        assert ids and all(i.startswith(f"{year}-06-") for i in ids), ids[:3]
    message = user_error(invoke("score", model, tmp_path / "x.jsonl", "--year", 2012,
                                "--output", tmp_path / "y.jsonl"))  # fmt: skip
    assert message.startswith("--year dates raw log lines: it works with --logs")


def test_line_count_windows_are_never_open(raw_logs, tmp_path):
    """A full window of N lines is not 'still running' because its lines span little time."""
    model = tmp_path / "m"
    result = invoke("train", raw_logs[0], "--logs", "--format", "hdfs", "--lines", 5,
                    "--output", model, *TINY)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        json.loads((model / "pipeline.json").read_text())["lifecycle"]["lifetime_seconds"] is None
    )
    scores = tmp_path / "s.jsonl"
    result = invoke("score", model, raw_logs[1], "--logs", "--output", scores)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in scores.read_text().splitlines()]
    assert rows and not any(row.get("open") for row in rows)
    assert "may still be running" not in result.output


def test_an_id_regex_matching_no_content_names_the_header_fields(raw_logs, tmp_path):
    args = ("--by-id", r"nothing-like-this=(\d+)", "-o", tmp_path / "m", *TINY)
    message = user_error(invoke("train", raw_logs[0], "--logs", "--format", "hdfs", *args))
    assert "--by-id is matched against each line's content, after the header" in message
    assert "use --by-field (Pid, Component)" in message  # no Level: no id sits there
    first = raw_logs[0].read_text().splitlines()[0].split(": ", 1)[1]  # after the header
    assert f"(the first event's: {first!r})" in message  # QA: JSON content shows name=value


def test_score_logs_with_labels_writes_them_into_the_rows(trained, tmp_path):
    """So `report` can draw ROC and PR curves from raw logs' scores."""
    model, _, (_, test_log, _, test_labels) = trained
    scores = tmp_path / "labelled.jsonl"
    result = invoke("score", model, test_log, "--logs", "--labels", test_labels, "-o", scores)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in scores.read_text().splitlines()]
    assert sum(r.get("label") == "anomaly" for r in rows) == 3
    message = user_error(invoke("score", model, scores, "--labels", test_labels,
                                "-o", tmp_path / "x.jsonl"))  # fmt: skip
    assert "--labels works with --logs" in message


def test_evaluate_logs_judges_open_sessions_against_the_last_line_as_score_does(trained, tmp_path):
    """A heartbeat after a block that stopped: `score --logs` judged the block (the log went
    on), `evaluate --logs` called it still running, and their figures disagreed."""
    from datetime import timedelta

    from ..conftest import T0, _line, block_lines

    model, _, (_, test_log, _, test_labels) = trained
    log = tmp_path / "later.log"
    log.write_text(
        test_log.read_text()
        + block_lines("blk_2000", T0 + timedelta(minutes=13))[0] + "\n"
        + _line(T0 + timedelta(minutes=30), "heartbeat ok") + "\n"
    )  # fmt: skip
    labels = tmp_path / "labels.csv"
    labels.write_text(test_labels.read_text() + "blk_2000,Anomaly\n")
    scores = tmp_path / "scores.jsonl"
    result = invoke("score", model, log, "--logs", "--output", scores)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in scores.read_text().splitlines()]
    assert not any(r["open"] for r in rows)
    evaluation = tmp_path / "evaluation.json"
    result = invoke("evaluate", model, log, "--logs", "--labels", labels, "-o", evaluation)
    assert result.exit_code == 0, result.output
    assert "may still be running" not in result.output
    matrix = json.loads(evaluation.read_text())["confusion_matrix"]
    assert matrix["tp"] + matrix["fp"] == sum(r["is_anomaly"] for r in rows)


def test_bad_fit_advice_fits_the_case_and_names_each_file_that_does_not_fit(raw_logs, tmp_path):
    """A format that reads the first lines meets another layout further on: the advice was to
    try another built-in format, which fits those lines and loses these. With two files, the
    one no line of which fits is named (train/score --logs gave only the count)."""
    train_log, test_log, _, _ = raw_logs
    lines = train_log.read_text().splitlines()
    mixed = tmp_path / "mixed.log"
    mixed.write_text("\n".join(lines + ["GET /api/cart/1 200"] * 300) + "\n")
    result = invoke("train", mixed, "--logs", "--format", "hdfs", "--by-id", r"blk_-?\d+",
                    "--output", tmp_path / "m", "--model", "new-event")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "the format reads the first lines, so lines of another layout are mixed in" in (
        result.output
    )
    other = tmp_path / "access.log"
    other.write_text("GET /api/cart/1 200\n" * 5)
    result = invoke("score", tmp_path / "m", test_log, other, "--logs", "-o", tmp_path / "s.jsonl")
    assert result.exit_code == 0, result.output
    assert "warning: format hdfs does not fit access.log: 5 of its 5 lines (100%)" in result.output


def test_a_time_window_cut_by_the_logs_end_is_open_for_score_as_for_evaluate(tmp_path):
    """QA: a log cut at 23:52 had its 23:50 window judged complete by `score --logs` (the
    window's nominal end, 00:00, stood for the log's end) and open by `evaluate --logs`."""
    from datetime import datetime, timedelta

    t0 = datetime(2026, 11, 3)
    lines = [f"{(t0 + timedelta(seconds=30 * i)).isoformat()} INFO db: heartbeat {i % 4}\n"
             for i in range(6 * 120)]  # six hours, a line every 30 s  # fmt: skip
    train_log, cut_log = tmp_path / "train.log", tmp_path / "cut.log"
    train_log.write_text("".join(lines))
    cut_log.write_text("".join(lines[: 5 * 120 + 6]))  # ends at 05:02:30
    model = tmp_path / "m"
    result = invoke("train", train_log, "--logs", "--format", "iso", "--window", "10m",
                    "--model", "length", "--output", model)  # fmt: skip
    assert result.exit_code == 0, result.output
    scores = tmp_path / "s.jsonl"
    result = invoke("score", model, cut_log, "--logs", "--output", scores)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in scores.read_text().splitlines()]
    assert [r["session_id"] for r in rows if r["open"]] == ["2026-11-03T05:00:00"]
    assert "1 time window is cut by the log's start or end" in result.output
    # QA Oracle: window labels in the log's local time (an hour off) matched other windows
    labels = tmp_path / "local.csv"
    labels.write_text("session_id,label\n" + "".join(
        f"{(t0 + timedelta(minutes=10 * k + 60)).isoformat()},normal\n" for k in range(36)
    ))  # fmt: skip
    args = ("--logs", "--labels", labels, "-o", tmp_path / "e.json")
    result = invoke("evaluate", model, cut_log, *args)
    assert "every label id moved by -1 h names a session" in result.output
    assert "so none were written" in user_error(result)  # (QA Monero: F1 0.04 printed, exit 0)
    # ... and where no offset fits them all (a window unlabelled either way), the unlabelled
    # window's error, with its hint
    labels.write_text(labels.read_text().replace("2026-11-03T01:30:00,normal\n", ""))
    message = user_error(invoke("evaluate", model, cut_log, *args))
    assert "session 2026-11-03T00:00:00 has no label" in message
    assert "ids written in the log's local time miss by its offset" in message
    assert message.endswith("unless --timezone names its zone when it is parsed)")
    # QA PAN-OS, HDFS audit: a file of the anomalous windows alone got that hint too
    labels.write_text("session_id,label\n2026-11-03T01:00:00,anomaly\n")
    message = user_error(invoke("evaluate", model, cut_log, *args))
    assert "has no label" in message and "local time" not in message


def test_one_session_per_file_never_open_and_uptime_times_warned(tmp_path):
    """QA (dmesg per boot): `--by-field source` makes a session of each file; a boot cut
    short was judged still running (its end unjudged) when the other files were short too,
    and seconds since boot read as 1970 dates went unsaid."""
    files = []
    for boot in range(12):
        lines = ["Booting Linux on physical CPU 0x0", "usb 1-1: new device", "eth0: link up",
                 "systemd: reached target"]  # fmt: skip
        path = tmp_path / f"boot-{boot:02d}.log"
        stamps = [f"[{9.5 * i + boot / 10:12.6f}]" for i in range(len(lines))]
        path.write_text("".join(f"{t} {m}\n" for t, m in zip(stamps, lines, strict=True)))
        files.append(path)
    cut = tmp_path / "cut.log"
    cut.write_text("[    0.000000] Booting Linux on physical CPU 0x0\n")  # a watchdog reset
    model = tmp_path / "m"
    result = invoke("train", *files, "--logs", "--format", "[<Time>] <Content>",
                    "--by-field", "source", "--model", "length", "-o", model)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "dated lines fall before 1980" in " ".join(result.output.split())
    lifecycle = json.loads((model / "pipeline.json").read_text())["lifecycle"]
    assert lifecycle["lifetime_seconds"] is None  # a file's session is never still running
    scores = tmp_path / "s.jsonl"
    result = invoke("score", model, cut, "--logs", "-o", scores)
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in scores.read_text().splitlines()]
    assert row["session_id"] == "cut.log" and not row.get("open") and row["is_anomaly"]


def test_evaluate_gives_the_recall_of_each_kind_of_anomaly(trained, tmp_path):
    """QA: labels named four kinds of anomaly, and one F1 came back; which kinds a detector
    misses is what a user picks a detector by."""
    model, _, (_, test_log, _, test_labels) = trained
    rows = test_labels.read_text().splitlines()[1:]
    kinds = iter(["io_error", "io_error", "disk_full"])
    relabelled = tmp_path / "kinds.csv"
    relabelled.write_text("InstanceId,Label\n" + "".join(
        f"{r.split(',')[0]},{next(kinds) if r.endswith('Anomaly') else 'Normal'}\n" for r in rows
    ))  # fmt: skip
    out = tmp_path / "e.json"
    result = invoke("evaluate", model, test_log, "--logs", "--labels", relabelled, "-o", out)
    assert result.exit_code == 0, result.output
    assert "Anomalies caught, by category" in result.output
    kinds_caught = json.loads(out.read_text())["recall_by_category"]
    assert list(kinds_caught) == ["io_error", "disk_full"]
    assert kinds_caught["io_error"]["n"] == 2 and kinds_caught["disk_full"]["n"] == 1
    plain = invoke("evaluate", model, test_log, "--logs", "--labels", test_labels, "-o", out)
    assert "by category" not in plain.output and "recall_by_category" not in out.read_text()


def test_builds_that_all_write_log_are_told_apart_by_their_folders(tmp_path):
    """QA (Jenkins): every build writes `builds/<n>/log`; undated builds with the same steps
    were "trained on" by base name (30 of 100 new builds), a false warning."""
    steps = "".join(f"step {name} done\n" for name in ("checkout", "compile", "test", "deploy"))

    def builds(numbers: range) -> list[Path]:
        for n in numbers:
            (tmp_path / "builds" / str(n)).mkdir(parents=True, exist_ok=True)
            (tmp_path / "builds" / str(n) / "log").write_text(steps)
        return [tmp_path / "builds" / str(n) / "log" for n in numbers]

    model, labels = tmp_path / "m", tmp_path / "labels.csv"
    result = invoke("train", *builds(range(1, 21)), "--logs", "--format", "<Content>",
                    "--by-field", "source", "--model", "ngram", "-o", model)  # fmt: skip
    assert result.exit_code == 0, result.output
    later = builds(range(21, 24))
    labels.write_text("session_id,label\n" + "".join(f"{p},normal\n" for p in later))
    out = tmp_path / "e.json"
    result = invoke("evaluate", model, *later, "--logs", "--labels", labels, "-o", out)
    assert json.loads(out.read_text())["training_overlap"]["in_training"] == 0, result.output
    again = [tmp_path / "builds" / str(n) / "log" for n in (2, 3)]
    labels.write_text("session_id,label\n" + "".join(f"{p},normal\n" for p in again))
    result = invoke("evaluate", model, *again, "--logs", "--labels", labels, "-o", out)
    overlap = json.loads(out.read_text())["training_overlap"]
    assert overlap["in_training"] + overlap["in_validation"] == 2, result.output


def test_sessions_parsed_apart_from_a_log_reading_model_must_match_its_templates(tmp_path):
    """QA network logs: a separate parse of both days generalised 9 of a `--logs` model's 77
    templates under the same ids (`User '<*>'` for `User 'netops'`; a user's name is masked
    since, so a team's here); its sessions were scored
    with no word, and 5 of 907 verdicts changed. A model's parser runs only inside --logs, so
    no later run of it can have generalised its templates: the text must be the same."""
    train = tmp_path / "train.log"
    train.write_text("".join(f"req={i} step one\nreq={i} Team 'netops' committed\n"
                             for i in range(30)))  # fmt: skip
    model = tmp_path / "m"
    args = ("--format", "<Content>", "--by-id", r"req=(\d+)")
    result = invoke("train", train, "--logs", *args, "--model", "ngram", "-o", model)
    assert result.exit_code == 0, result.output
    later = tmp_path / "later.log"
    users = ["netops", "alice", "bob", "carol", "dave", "erin"]
    later.write_text(train.read_text() + "".join(
        f"req={i} step one\nreq={i} Team '{users[i % 6]}' committed\n" for i in range(30, 60)
    ))  # fmt: skip
    events, sessions = tmp_path / "p" / "events.parquet", tmp_path / "s.parquet"
    assert invoke("parse", later, "--format", "<Content>", "-o", events).exit_code == 0
    assert "Team '<*>' committed" in (tmp_path / "p" / "templates.csv").read_text()
    result = invoke("sessionize", events, "--by-id", r"req=(\d+)", "-o", sessions)
    assert result.exit_code == 0, result.output
    message = user_error(invoke("score", model, sessions, "-o", tmp_path / "x.jsonl"))
    assert "was parsed in another run than the model's training data" in message


def test_train_on_logs_by_a_field_no_line_has_names_the_fields(tmp_path):
    """QA macOS: `train --logs --by-field Component` on a format without that field said only
    "no session ... 5 events had no Component value", where `sessionize` lists the fields."""
    log = tmp_path / "system.log"
    log.write_text("".join(f"2026-11-20 10:00:0{i}.123 sshd: Failed password for alice\n"
                           for i in range(5)))  # fmt: skip
    message = user_error(invoke("train", log, "--logs", "--format", "iso", "--by-field",
                                "Component", "--window", "10m", "--model", "new-event",
                                "--output", tmp_path / "m"))  # fmt: skip
    assert "--by-field 'Component': the events have no such field" in message
    assert "their header fields: Timestamp" in message


def test_a_log_in_local_time_without_an_offset_is_read_in_the_given_timezone(tmp_path):
    """QA Kong: an nginx error log at UTC+1 had its windows named an hour off (read as UTC),
    with no way to name its zone; `--timezone` does, at parse and at train, and a model keeps
    it for the logs it scores."""
    log = tmp_path / "error.log"
    log.write_text("".join(
        f"2026/12/04 09:{m:02d}:32 [info] 1287#0: *{m} client 10.0.0.{m} closed keepalive "
        "connection\n" for m in range(0, 60, 2)
    ))  # fmt: skip
    events = tmp_path / "p" / "events.parquet"
    result = invoke("parse", log, "--format", "nginx-error", "--timezone", "Europe/Berlin",
                    "--output", events)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "read in Europe/Berlin (--timezone)" in result.output
    first = pq.read_table(events).column("timestamp")[0].as_py()
    assert first.isoformat() == "2026-12-04T08:00:32"
    refused = invoke("parse", log, "--format", "nginx-error", "--timezone", "Europe/Berln",
                     "--output", tmp_path / "q" / "events.parquet")  # fmt: skip
    assert "names no time zone" in user_error(refused)
    model, scores = tmp_path / "model", tmp_path / "scores.jsonl"
    result = invoke("train", log, "--logs", "--format", "nginx-error", "--timezone", "+01:00",
                    "--window", "30m", "--model", "new-event", "--output", model)  # fmt: skip
    assert result.exit_code == 0, result.output
    result = invoke("score", model, log, "--logs", "--output", scores)
    assert result.exit_code == 0, result.output
    ids = [json.loads(line)["session_id"] for line in scores.read_text().splitlines()]
    assert ids == ["2026-12-04T08:00:00", "2026-12-04T08:30:00"]


def test_score_and_evaluate_read_a_host_in_another_zone_with_their_own_timezone(tmp_path):
    """QA Harbor, k3s: the zone given to train was fixed for every log the model scored, so a
    host in another zone (or one whose zone changed since) had its windows an hour off; `score`,
    `evaluate` and `calibrate` take `--timezone` for the logs they read."""
    lines = [f"2026/12/04 09:{m:02d}:32 [info] 1287#0: *{m} client 10.0.0.{m} closed keepalive "
             "connection\n" for m in range(0, 60, 2)]  # fmt: skip
    log, model = tmp_path / "error.log", tmp_path / "model"
    log.write_text("".join(lines))
    result = invoke("train", log, "--logs", "--format", "nginx-error", "--timezone", "+01:00",
                    "--window", "30m", "--model", "new-event", "--output", model)  # fmt: skip
    assert result.exit_code == 0, result.output
    windows = {}
    for zone in (None, "UTC", "America/New_York"):
        scores = tmp_path / f"scores-{zone}.jsonl".replace("/", "_")
        given = ["--timezone", zone] if zone else []
        result = invoke("score", model, log, "--logs", *given, "--output", scores)
        assert result.exit_code == 0, result.output
        windows[zone] = [json.loads(row)["session_id"] for row in scores.read_text().splitlines()]
    assert windows[None] == ["2026-12-04T08:00:00", "2026-12-04T08:30:00"]  # the model's +01:00
    assert windows["UTC"] == ["2026-12-04T09:00:00", "2026-12-04T09:30:00"]
    assert windows["America/New_York"] == ["2026-12-04T14:00:00", "2026-12-04T14:30:00"]
    labels = tmp_path / "labels.csv"
    labels.write_text("session_id,label\n2026-12-04T09:00:00,normal\n2026-12-04T09:30:00,anomaly\n")
    out = tmp_path / "eval.json"
    result = invoke("evaluate", model, log, "--logs", "--labels", labels, "--timezone", "UTC",
                    "--output", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["n_sessions"] == 2
    output = ["--output", tmp_path / "x.jsonl"]
    for command in (["score", model, log, *output], ["evaluate", model, log, *output],
                    ["calibrate", model, log]):  # fmt: skip
        refused = invoke(*command, "--timezone", "UTC")
        assert "--timezone dates raw log lines: it works with --logs" in user_error(refused)
    refused = invoke("score", model, log, "--logs", "--timezone", "Mars/Olympus",
                     "--output", tmp_path / "y.jsonl")  # fmt: skip
    assert "names no time zone" in user_error(refused)


def test_local_time_labels_of_a_log_whose_lines_carry_offsets_blame_the_labels_alone(tmp_path):
    """QA RabbitMQ: every line carried `+01:00` and the labels were in local time; the warning
    also offered `--timezone -01:00`, which cannot move a time written with its offset."""
    log, model = tmp_path / "rabbit.log", tmp_path / "model"
    log.write_text("".join(
        f"2026-12-04 {7 + m // 60:02d}:{m % 60:02d}:11.123456+01:00 [info] <0.{m}.0> closing "
        "AMQP connection\n" for m in range(0, 120, 4)
    ))  # fmt: skip
    labels = tmp_path / "labels.csv"  # windows 06:00 to 07:30 UTC, written 07:00 to 08:30
    labels.write_text("session_id,label\n" + "".join(
        f"2026-12-04T{h}:00,normal\n" for h in ("07:00", "07:30", "08:00", "08:30")
    ))  # fmt: skip
    result = invoke("train", log, "--logs", "--format", "auto", "--window", "30m", "--model",
                    "new-event", "--output", model)  # fmt: skip
    assert result.exit_code == 0, result.output
    out = tmp_path / "eval.json"
    result = invoke("evaluate", model, log, "--logs", "--labels", labels, "--output", out)
    assert "moved by -1 h names a session" in result.output, result.output
    assert "The labels are written in local time (UTC+01:00" in result.output
    assert "--timezone" not in result.output
    # ... and no figures against them (QA Monero: the offset said exactly, then F1 0.04
    # printed as the result, exit 0)
    assert "figures against them would judge each window by another's label" in user_error(result)
    assert not out.exists()


def test_labelled_anomalies_that_became_no_session_are_a_warning_and_in_the_json(
    trained, tmp_path
):
    """QA Heroku, vLLM: anomalies whose lines were rejected (or matched no id) named no session,
    and `evaluate` printed recall 1.0 with exit 0, said only at the end of the summary line."""
    model, _, (_, test_log, _, test_labels) = trained
    kept = tmp_path / "without_one.log"
    lines = test_log.read_text().splitlines(keepends=True)
    kept.write_text("".join(line for line in lines if "blk_1512" not in line))
    evaluation = tmp_path / "evaluation.json"
    result = invoke("evaluate", model, kept, "--logs", "--labels", test_labels, "-o", evaluation)
    assert result.exit_code == 0, result.output
    assert "warning: 1 id " in result.output and "named no session of these logs" in result.output
    metrics = json.loads(evaluation.read_text())
    assert metrics["n_anomalies"] == 2 and metrics["anomalies_without_session"] == 1
    tp = metrics["confusion_matrix"]["tp"]
    assert metrics["recall_counting_them"] == tp / 3
    # ... and in the table beside the recall (QA Zimbra: its 1.0000 was what users copied)
    assert "recall counting 1 anomalies in no session" in result.output
    whole = invoke("evaluate", model, test_log, "--logs", "--labels", test_labels, "-o", evaluation)
    assert "named no session of these logs" not in whole.output
    assert "anomalies_without_session" not in json.loads(evaluation.read_text())


def test_logs_none_of_whose_events_the_model_knows_are_refused(trained, tmp_path):
    """QA macOS: a model of another layout of the same log flagged every window (F1 0.25), with
    a warning and exit 0."""
    model, _, (_, test_log, _, _) = trained
    other = tmp_path / "other.log"
    other.write_text("".join(
        line.replace("Receiving block", "Fetching chunk").replace("Received block", "Stored chunk")
        .replace("Deleting block", "Dropping chunk")
        for line in test_log.read_text().splitlines(keepends=True) if "Exception" not in line
    ))  # fmt: skip
    result = invoke("score", model, other, "--logs", "-o", tmp_path / "s.jsonl")
    said = user_error(result)
    assert "none of the 39 events of" in said
    assert "has a template the model's training logs had" in said and "format 'hdfs'" in said
    assert not (tmp_path / "s.jsonl").exists()
    # ... before the error that no session formed (QA Ray: "check the session settings")
    no_ids = tmp_path / "no_ids.log"
    no_ids.write_text(other.read_text().replace("blk_", "chunk-"))
    said = user_error(invoke("score", model, no_ids, "--logs", "-o", tmp_path / "s.jsonl"))
    assert "none of the 39 events of" in said and "no session" not in said


def test_labels_of_reused_ids_that_would_make_most_anomalies_are_refused(tmp_path):
    """QA Pgpool: a child's pid serves many connections, a labels file's `6030,anomaly` labelled
    every one of them, and `evaluate --logs` warned exactly, then printed F1 0.08 for a detector
    at 0.98 and exited 0."""
    def connections(pids: list[int], first: int) -> str:
        lines = []
        for k, pid in enumerate(pids):
            minute = first + k
            lines += [
                f"2026-12-04 09:{minute:02d}:00 child pid {pid}: new connection received",
                f"2026-12-04 09:{minute:02d}:01 child pid {pid}: frontend disconnection",
            ]
        return "".join(line + "\n" for line in lines)

    train, test = tmp_path / "train.log", tmp_path / "test.log"
    train.write_text(connections([6030, 6031, 6032, 6033] * 3, 0))
    test.write_text(connections([6030, 6031] * 4, 20))
    model = tmp_path / "model"
    session = ["--by-id", r"pid (\d+)", "--idle-timeout", "10s"]
    result = invoke("train", train, "--logs", "--format", "iso", *session, "--model",
                    "new-event", "--output", model)  # fmt: skip
    assert result.exit_code == 0, result.output
    labels, out = tmp_path / "labels.csv", tmp_path / "eval.json"
    labels.write_text("session_id,label\n6030,anomaly\n6031,normal\n")
    refused = invoke("evaluate", model, test, "--logs", "--labels", labels, "-o", out)
    assert "took the label from an id that had already labelled" in user_error(refused)
    assert not out.exists()
    # ... where the reused ids are normal ones, the figures stand (with the warning)
    labels.write_text("session_id,label\n6030,normal\n6031,normal\n")
    result = invoke("evaluate", model, test, "--logs", "--labels", labels, "-o", out)
    assert result.exit_code == 0 and "sessions took the label" in result.output


def test_training_on_events_of_no_word_warns_of_them(tmp_path):
    """QA Shibboleth: `train --logs` on records of values alone made one `<*>` event of all,
    and said nothing (`parse` says the same warning)."""
    log = tmp_path / "audit.log"
    log.write_text("".join(
        f"20261201T05{i // 60:02d}{i % 60:02d}Z|https://idp.example.edu/p/{i}|ST-{i}-abc\n"
        for i in range(600)
    ))  # fmt: skip
    result = invoke("train", log, "--logs", "--format", "<Timestamp>|<Content>", "--window",
                    "1m", "--model", "length", "-o", tmp_path / "m")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "warning: 600 of 600 events (100%) are in templates with no word" in result.output
