"""`logbert calibrate` through the CLI: a model directory it cannot write is refused before
any work, and a labelled target met only by flagging most normal sessions is warned of."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from logbert.cli.main import app
from logbert.errors import LogbertError
from logbert.sessions.io import Session, write_sessions

runner = CliRunner()
NORMAL = [Session(f"n{i}", [1, 2, 3, 4][: 2 + i % 3], "normal") for i in range(30)]


@pytest.fixture
def model(tmp_path):
    sessions = tmp_path / "train.parquet"
    write_sessions(NORMAL, sessions)
    result = runner.invoke(app, ["train", str(sessions), "-o", str(tmp_path / "m"), "--model",
                                 "ngram"])  # fmt: skip
    assert result.exit_code == 0, result.output
    return tmp_path / "m"


def test_a_model_directory_that_cannot_be_written_is_refused_first(model, monkeypatch):
    """QA: a read-only model directory gave a PermissionError traceback at its end."""
    before = (model / "threshold.json").read_text()
    real_access = os.access

    def access(path, mode) -> bool:  # root writes anywhere: a read-only folder is simulated
        return not (str(path) == str(model) and mode & os.W_OK) and real_access(path, mode)

    monkeypatch.setattr(os, "access", access)
    result = runner.invoke(app, ["calibrate", str(model), str(model / "absent.parquet")])
    assert isinstance(result.exception, LogbertError), result.output
    # refused before the input (missing here) is read: no work is done first
    message = f"cannot write model directory {model}: folder {model} is not writable"
    assert str(result.exception) == message
    assert (model / "threshold.json").read_text() == before
    assert not (model / "threshold.previous.json").exists()


def test_a_recall_target_that_flags_every_normal_session_is_warned_of(model, tmp_path):
    """QA: recall>=0.9 put the threshold below every normal score, and calibrate said
    nothing; every session of the next run was flagged."""
    labelled = [*NORMAL[:10], Session("a1", [9, 9, 9], "anomaly"), Session("a2", [1, 2], "anomaly")]
    path = tmp_path / "labelled.parquet"
    write_sessions(labelled, path)
    result = runner.invoke(app, ["calibrate", str(model), str(path), "--rule", "recall>=0.9"])
    assert result.exit_code == 0, result.output
    assert (
        "warning: reaching recall 0.9 costs flagging 100% of the normal calibration sessions "
        "(10 of 10): lower R or use another detector" in result.output
    )
    model_id = json.loads((model / "pipeline.json").read_text())["model_id"]
    assert json.loads((model / "threshold.json").read_text())["model_id"] == model_id
    # train's name for the option works too (QA: `calibrate --threshold-rule` was refused)
    again = runner.invoke(app, ["calibrate", str(model), str(path), "--threshold-rule",
                                "recall>=0.9"])  # fmt: skip
    assert again.exit_code == 0 and "reaching recall 0.9 costs" in again.output


def test_a_split_part_is_calibrated_against_the_whole_logs_end(tmp_path):
    """The validation part of `split` ends where the test part begins: its last sessions were
    complete, and calibrate called them still running (scores unlike `score`'s)."""
    from datetime import datetime, timedelta

    from logbert.sessions.lifecycle import LOG_END_KEY

    t0 = datetime(2024, 3, 5)

    def timed(prefix: str, first: int) -> list[Session]:
        return [
            Session(f"{prefix}{i}", [1, 2, 3], "normal", start=t0 + timedelta(minutes=first + i),
                    end=t0 + timedelta(minutes=first + i + 5))
            for i in range(40)
        ]  # fmt: skip

    log_end = {LOG_END_KEY: (t0 + timedelta(days=2)).isoformat()}
    train, validation = tmp_path / "train.parquet", tmp_path / "validation.parquet"
    write_sessions(timed("t", 0), train, metadata=log_end)
    write_sessions(timed("v", 60), validation, metadata=log_end)
    result = runner.invoke(app, ["train", str(train), "--validation", str(validation), "-o",
                                 str(tmp_path / "m"), "--model", "ngram"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "may still be running" not in result.output
    result = runner.invoke(app, ["calibrate", str(tmp_path / "m"), str(validation)])
    assert result.exit_code == 0, result.output
    assert "may still be running" not in result.output
