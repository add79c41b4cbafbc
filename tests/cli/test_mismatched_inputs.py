"""Inputs that do not fit together are refused or named: a scores file of
other sessions, labels that come from the log lines, calibration data with unseen keys, a
sessions file that cannot be checked against the model's templates, a failed score run."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from logbert.cli.main import app
from logbert.errors import LogbertError
from logbert.parsing.templates import TEMPLATE_SET_KEY, template_set
from logbert.sessions.io import Session, write_sessions

runner = CliRunner()
META = {TEMPLATE_SET_KEY: json.dumps(template_set({1: "A <*>", 2: "B", 3: "C"}, "logbert"))}


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def user_error(result) -> str:
    assert isinstance(result.exception, LogbertError), result.output
    return str(result.exception)


@pytest.fixture
def model(tmp_path):
    """new-event trained on parquet sessions that record their template set; a labelled test
    file and another labelled file of different sessions."""
    train = [Session(f"t{i}", [1, 2, 1, 2][: 2 + i % 3], "normal") for i in range(30)]
    test = [Session(f"x{i}", [1, 2], "normal") for i in range(6)] + [
        Session("xa", [1, 3], "anomaly")
    ]
    other = [Session(f"y{i}", [1, 2], "normal") for i in range(6)] + [Session("ya", [3], "anomaly")]
    for name, sessions in (("train", train), ("test", test), ("other", other)):
        write_sessions(sessions, tmp_path / f"{name}.parquet", metadata=META)
    result = invoke("train", tmp_path / "train.parquet", "--model", "new-event",
                    "-o", tmp_path / "model")  # fmt: skip
    assert result.exit_code == 0, result.output
    return tmp_path


def test_evaluate_refuses_scores_of_other_sessions(model):
    out = model / "other_scores.jsonl"
    assert invoke("score", model / "model", model / "other.parquet", "-o", out).exit_code == 0
    message = user_error(invoke("evaluate", model / "model", model / "test.parquet",
                                "--scores", out, "-o", model / "e.json"))  # fmt: skip
    assert "does not score the sessions of" in message and "logbert score MODEL" in message
    assert not (model / "e.json").exists()
    # scores of `score --logs` have no sessions file to pass: the error says what to do
    # instead (QA Galera, NATS: it pointed to a file that did not exist)
    message = user_error(invoke("evaluate", model / "model", model / "test.parquet", "--logs",
                                "--scores", out, "-o", model / "e.json"))  # fmt: skip
    assert "`score --logs` have no sessions file" in message
    assert "evaluate MODEL LOGS --logs --labels LABELS" in message


def test_evaluate_from_scores_reports_training_overlap_and_foreign_verdicts(model):
    mixed = [Session(f"t{i}", [1, 2, 1, 2][: 2 + i % 3], "normal") for i in range(5)]
    write_sessions(
        [*mixed, Session("xa", [1, 3], "anomaly")], model / "mixed.parquet", metadata=META
    )
    out = model / "mixed_scores.jsonl"
    assert invoke("score", model / "model", model / "mixed.parquet", "-o", out).exit_code == 0
    result = invoke("evaluate", model / "model", model / "mixed.parquet", "--scores", out,
                    "-o", model / "e.json")  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads((model / "e.json").read_text())["training_overlap"]
    assert report["in_training"] + report["in_validation"] == 5  # 10% were held out
    assert "sessions the model was trained on" in result.output
    scores = model / "test_scores.jsonl"
    assert invoke("score", model / "model", model / "test.parquet", "-o", scores).exit_code == 0
    rows = [json.loads(line) for line in scores.read_text().splitlines()]
    for row in rows:  # as if another model (or another threshold) had written the verdicts
        row["is_anomaly"] = not row["is_anomaly"]
    scores.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = invoke("evaluate", model / "model", model / "test.parquet", "--scores", scores,
                    "-o", model / "e2.json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "verdict written by `logbert score` differs" in result.output
    assert "training_overlap" in json.loads((model / "e2.json").read_text())
    assert "p_value is not" not in result.output  # the scores themselves are this model's
    for row in rows:  # another detector's scores, its verdicts in agreement with these
        row["is_anomaly"] = not row["is_anomaly"]
        row["p_value"] = 0.5
        row["decided_by"] = "score"  # a name, no score (`make demo`: LogBERT's was warned of)
    scores.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = invoke("evaluate", model / "model", model / "test.parquet", "--scores", scores,
                    "-o", model / "e3.json")  # fmt: skip
    assert result.exit_code == 0 and "verdict written" not in result.output
    assert "the p_value is not the one this model's calibration scores give" in result.output
    assert "were these scores written by another detector" not in result.output
    for row in rows:  # a combination's scores: the same `score` column plus its parts'
        row.update({"new-event": row["score"], "length": 0.0})
        row.pop("p_value")
    scores.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = invoke("evaluate", model / "model", model / "test.parquet", "--scores", scores,
                    "-o", model / "e4.json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "holds the scores length, new-event, score, this model's new-event writes score" in (
        " ".join(result.output.split())
    )


def test_calibrate_leaves_out_sessions_with_keys_unseen_in_training(model):
    validation = [Session(f"v{i}", [1, 2, 1], "normal") for i in range(20)]
    validation += [Session("vu", [1, 3], "normal")]  # key 3: never in training
    write_sessions(validation, model / "validation.parquet", metadata=META)
    result = invoke("calibrate", model / "model", model / "validation.parquet", "--rule", "max")
    assert result.exit_code == 0, result.output
    assert "warning: 1 of 21 sessions to calibrate on (4.76%) hold keys" in result.output
    threshold = json.loads((model / "model" / "threshold.json").read_text())
    assert threshold["value"] < 1 and "keys unseen in training left out" in threshold["source"]


def test_a_sessions_file_without_a_template_set_is_named(model):
    plain = model / "test.jsonl"
    write_sessions([Session("j0", [1, 2], "normal")], plain)
    result = invoke("score", model / "model", plain, "-o", model / "s.jsonl")
    assert result.exit_code == 0, result.output
    assert "records no template set" in result.output
    quiet = invoke("score", model / "model", model / "test.parquet", "-o", model / "t.jsonl")
    assert "records no template set" not in quiet.output


def test_a_model_trained_from_logs_refuses_sessions_without_a_template_set(raw_logs, tmp_path):
    """A QA run: sessions of its own parse, labelled in JSONL, given to a --logs model flagged
    every session (F1 0.13) with exit 0; the key ids cannot be the model's, so it is an error."""
    model = tmp_path / "m"
    result = invoke("train", raw_logs[0], "--logs", "--format", "hdfs", "--by-id", r"blk_-?\d+",
                    "--model", "new-event", "-o", model)  # fmt: skip
    assert result.exit_code == 0, result.output
    events, sessions = tmp_path / "p" / "events.parquet", tmp_path / "s.jsonl"
    assert invoke("parse", raw_logs[1], "--format", "hdfs", "-o", events).exit_code == 0
    assert invoke("sessionize", events, "--by-id", r"blk_-?\d+", "-o", sessions).exit_code == 0
    for command, out in (("score", "s.out.jsonl"), ("evaluate", "e.json")):
        result = invoke(command, model, sessions, "-o", tmp_path / out)
        assert "trained from raw logs with its own parser" in user_error(result)
        assert "--logs" in user_error(result)


def test_evaluate_says_when_normal_sessions_are_flagged_for_templates_training_lacked(model):
    """QA (a newer Slurm's reworded messages): FPR 0.91, and only `score` said the logs had
    changed; `evaluate` now gives the flag-rate note on the labelled normal sessions."""
    newer = [Session(f"n{i}", [1, 3, 2], "normal") for i in range(20)]
    newer += [Session("na", [1, 2, 3, 3], "anomaly")]
    write_sessions(newer, model / "newer.parquet", metadata=META)
    result = invoke("evaluate", model / "model", model / "newer.parquet", "-o", model / "n.json")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "note: 20 of 20 normal sessions (100.0%) were flagged" in text
    assert "the logs changed (a new version of the software?)" in text
    quiet = invoke("evaluate", model / "model", model / "test.parquet", "-o", model / "q.json")
    assert "were flagged, where the threshold" not in quiet.output


def test_a_failed_score_run_leaves_no_scores_file(model):
    broken = model / "broken.jsonl"  # the first session is fine, the second line is not JSON
    broken.write_text('{"session_id": "a", "keys": [1, 2]}\n{"session_id": "b", "keys": [1,\n')
    out = model / "scores.jsonl"
    result = invoke("score", model / "model", broken, "-o", out)
    assert result.exit_code != 0 and not out.exists()


def test_training_on_a_handful_of_sessions_warns_that_the_threshold_is_in_sample(tmp_path):
    write_sessions([Session(f"t{i}", [1, 2], "normal") for i in range(3)], tmp_path / "t.jsonl")
    result = invoke("train", tmp_path / "t.jsonl", "--model", "new-event", "-o", tmp_path / "m")
    assert result.exit_code == 0, result.output
    assert "warning: no session was held out for validation (3 training sessions)" in (
        result.output
    )


BGL = (
    "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 "
    "R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected"
)
BGL_ALERT = (
    "APPREAD 1117869872 2005.06.03 R04-M1-N4-I:J18-U11 2005-06-03-{t}.432192 "
    "R04-M1-N4-I:J18-U11 RAS APP FATAL ciod: failed to read message prefix on control stream"
)


def test_evaluate_logs_takes_labels_from_the_lines_without_a_labels_file(tmp_path):
    lines = []
    for hour in range(10, 22):
        for minute in range(0, 60, 10):
            stamp = f"{hour:02d}.{minute:02d}.00"
            lines.append(BGL.replace("15.42.50", stamp))
    lines.append(BGL_ALERT.format(t="22.05.00"))
    log = tmp_path / "bgl.log"
    log.write_text("\n".join(lines) + "\n")
    model = tmp_path / "m"
    result = invoke("train", log, "--logs", "--format", "bgl", "--window", "30m",
                    "--model", "new-event", "-o", model)  # fmt: skip
    assert result.exit_code == 0, result.output
    result = invoke("evaluate", model, log, "--logs", "-o", tmp_path / "e.json")
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "e.json").read_text())["n_anomalies"] == 1


def test_sessions_cut_otherwise_than_the_training_sessions_are_named(raw_logs, tmp_path):
    events = tmp_path / "events.parquet"
    assert invoke("parse", raw_logs[0], "--format", "hdfs", "-o", events).exit_code == 0
    windows, blocks = tmp_path / "w.parquet", tmp_path / "b.parquet"
    assert invoke("sessionize", events, "--window", "1m", "-o", windows).exit_code == 0
    assert invoke("sessionize", events, "--by-id", r"blk_-?\d+", "-o", blocks).exit_code == 0
    model = tmp_path / "m"
    assert invoke("train", windows, "--model", "new-event", "-o", model).exit_code == 0
    assert (
        json.loads((model / "pipeline.json").read_text())["training"]["sessions_cut"]["window"]
        == "1m"
    )
    result = invoke("score", model, blocks, "-o", tmp_path / "s.jsonl")
    assert result.exit_code == 0, result.output
    assert f"warning: {blocks} holds sessions cut by id 'blk_-?\\d+', but the model was " in (
        " ".join(result.output.split())
    )
    result = invoke("score", model, windows, "-o", tmp_path / "t.jsonl")
    assert result.exit_code == 0 and "holds sessions cut" not in result.output
    # the order events joined sessions is part of the cut; `--order lines` is the default's
    in_time, in_lines = tmp_path / "bt.parquet", tmp_path / "bl.parquet"
    for path, order in ((in_time, "time"), (in_lines, "lines")):
        args = ("sessionize", events, "--by-id", r"blk_-?\d+", "--order", order, "-o", path)
        assert invoke(*args).exit_code == 0
    by_id = tmp_path / "mb"
    assert invoke("train", blocks, "--model", "new-event", "-o", by_id).exit_code == 0
    result = invoke("score", by_id, in_time, "-o", tmp_path / "u.jsonl")
    assert "in time order, but the model was trained on sessions cut by id" in " ".join(
        result.output.split()
    )
    result = invoke("score", by_id, in_lines, "-o", tmp_path / "v.jsonl")
    assert result.exit_code == 0 and "holds sessions cut" not in result.output


def test_calibrate_counts_unseen_keys_among_normal_sessions_only(model):
    """Labelled anomalies holding an unseen key are no part of a normal-data rule: the
    warning must not count them or predict false alarms from them."""
    validation = [Session(f"v{i}", [1, 2, 1], "normal") for i in range(20)]
    validation += [Session(f"a{i}", [1, 3], "anomaly") for i in range(5)]
    write_sessions(validation, model / "validation.parquet", metadata=META)
    result = invoke("calibrate", model / "model", model / "validation.parquet", "--rule", "max")
    assert result.exit_code == 0, result.output
    assert "hold keys" not in result.output
    validation.append(Session("vu", [1, 3], "normal"))
    write_sessions(validation, model / "validation.parquet", metadata=META)
    result = invoke("calibrate", model / "model", model / "validation.parquet", "--rule", "max")
    assert "warning: 1 of 21 normal sessions to calibrate on (4.76%) hold keys" in result.output
    assert "calibrated on the other 20" in result.output


def test_evaluate_names_scores_written_by_another_trained_model(model):
    """ecvc and new-event both write one `score` with threshold 0 on these sessions: only the
    rows' `model_id` tells their scores apart."""
    assert invoke("train", model / "train.parquet", "--model", "ecvc",
                  "-o", model / "ecvc").exit_code == 0  # fmt: skip
    ours, theirs = model / "ours.jsonl", model / "theirs.jsonl"
    assert invoke("score", model / "model", model / "test.parquet", "-o", ours).exit_code == 0
    assert invoke("score", model / "ecvc", model / "test.parquet", "-o", theirs).exit_code == 0
    first = json.loads(ours.read_text().splitlines()[0])
    assert len(first["model_id"]) == 16
    pipeline = json.loads((model / "model" / "pipeline.json").read_text())
    assert pipeline["model_id"] == first["model_id"]
    for scores, warned in ((ours, False), (theirs, True)):
        result = invoke("evaluate", model / "model", model / "test.parquet", "--scores", scores,
                        "-o", model / "e.json")  # fmt: skip
        assert result.exit_code == 0, result.output
        assert ("was written by model" in result.output) is warned
