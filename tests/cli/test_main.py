import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logbert import __version__
from logbert.cli.main import app
from logbert.errors import LogbertError

BLOCK = r"blk_-?\d+"


def test_version_and_help():
    runner = CliRunner()
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("parse", "sessionize", "train", "score", "evaluate"):
        assert command in result.output


def test_user_errors_print_one_line_without_traceback(tmp_path):
    missing = tmp_path / "absent.parquet"
    result = subprocess.run(
        [sys.executable, "-m", "logbert.cli.main", "evaluate", str(tmp_path), str(missing)],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["score", "evaluate"])
def test_a_log_format_given_to_a_command_that_reads_with_a_model_is_explained(tmp_path, command):
    """QA Kafka: `score MODEL LOGS --logs --format hdfs` got click's "No such option: --format
    (Possible options: --input-format)", a sessions file's option."""
    result = subprocess.run(
        [sys.executable, "-m", "logbert.cli.main", command, str(tmp_path), "x.log", "--logs",
         "--format", "hdfs", "-o", str(tmp_path / "o.json")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 2
    assert f"error: {command} has no --format: a model reads logs with the format it was " in (
        result.stderr
    )


@pytest.mark.parametrize("option", ["--by-id", "--window=10m"])
def test_a_session_key_given_to_a_command_that_reads_with_a_model_is_explained(tmp_path, option):
    """QA hostapd: `score MODEL LOGS --logs --by-id ...` got click's "No such option: --by-id",
    without a word that the model keys sessions as its training did."""
    result = subprocess.run(
        [sys.executable, "-m", "logbert.cli.main", "score", str(tmp_path), "x.log", "--logs",
         option, "sta=(\\S+)", "-o", str(tmp_path / "o.json")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 2
    name = option.split("=")[0]
    assert f"error: score has no {name}: a model keys the sessions of logs as its training" in (
        result.stderr
    )


def test_error_messages_quote_brackets_as_given(monkeypatch, capsys):
    """A regex, template or log line holds `[...]`; the console must not take it for markup."""
    import pytest
    import typer

    from logbert.cli import main as cli_main
    from logbert.errors import LogbertError

    def fail() -> None:
        raise LogbertError(r"no line matched --by-id 'sshd\[(\d+)\]' or '[preauth\]' in [main]")

    small = typer.Typer()
    small.command()(fail)
    monkeypatch.setattr(cli_main, "app", small)
    monkeypatch.setattr("sys.argv", ["logbert"])
    with pytest.raises(SystemExit) as exit_:
        cli_main.main()
    assert exit_.value.code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert r"'sshd\[(\d+)\]' or '[preauth\]' in [main]" in err


def test_standard_output_is_line_buffered_when_redirected(monkeypatch):
    """QA Odoo: `logbert train ... > log` printed nothing for 32 minutes (the block buffer of a
    redirected stdout), not even its plan; each line must arrive as it is said."""
    import io

    import typer

    from logbert.cli import main as cli_main

    seen = []
    small = typer.Typer()
    small.command()(lambda: seen.append(sys.stdout.line_buffering))
    redirected = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # no terminal, block-buffered
    assert not redirected.line_buffering
    monkeypatch.setattr(cli_main, "app", small)
    monkeypatch.setattr("sys.argv", ["logbert"])
    monkeypatch.setattr("sys.stdout", redirected)
    with pytest.raises(SystemExit) as exit_:
        cli_main.main()
    assert exit_.value.code == 0 and seen == [True]


@pytest.fixture
def made(raw_logs, tmp_path) -> dict[str, Path]:
    """A tiny model, and events and sessions of its training log, for each command's output."""
    train_log, test_log, train_labels, test_labels = raw_logs
    paths = {"log": test_log, "labels": test_labels, "model": tmp_path / "model",
             "events": tmp_path / "events.parquet", "sessions": tmp_path / "s.parquet"}  # fmt: skip
    for args in (
        ["train", train_log, "--logs", "--format", "hdfs", "--by-id", BLOCK, "--labels",
         train_labels, "--model", "iqr", "-o", paths["model"]],
        ["parse", train_log, "--format", "hdfs", "-o", paths["events"]],
        ["sessionize", paths["events"], "--by-id", BLOCK, "--labels", train_labels, "-o",
         paths["sessions"]],
    ):  # fmt: skip
        result = CliRunner().invoke(app, [str(a) for a in args])
        assert result.exit_code == 0, result.output
    return paths


@pytest.mark.parametrize(
    ("command", "output", "what"),
    [
        (["parse", "{log}", "--format", "hdfs", "-o"], "e.parquet", "events file"),
        (
            ["parse", "{log}", "--format", "hdfs", "-o", "{events}", "--state"],
            "st.json",
            "state file",
        ),
        (["sessionize", "{events}", "--by-id", BLOCK, "-o"], "s.parquet", "sessions file"),
        (["split", "{sessions}", "-o"], "parts", "output folder"),
        (["score", "{model}", "{log}", "--logs", "-o"], "s.jsonl", "scores file"),
        (["score", "{model}", "{sessions}", "-o"], "s.jsonl", "scores file"),
        (
            ["evaluate", "{model}", "{log}", "--logs", "--labels", "{labels}", "-o"],
            "e.json",
            "evaluation output",
        ),
        (["evaluate", "{model}", "{sessions}", "-o"], "e.json", "evaluation output"),
        (["report", "{model}", "-o"], "r.html", "report"),
    ],
)
def test_an_output_folder_the_os_refuses_is_a_user_error(
    made, refused_folder, command, output, what
):
    """QA: `-o /proc/x/...` (root passes every access check) was a FileNotFoundError traceback,
    exit 1; it is the one-line error, exit 2, a file in the way gives."""
    path = refused_folder / output
    folder = path if output == "parts" else refused_folder  # split's output is a folder
    args = [str(a).format(**made) for a in command] + [str(path)]
    result = CliRunner().invoke(app, args)
    assert isinstance(result.exception, LogbertError), result.output
    assert str(result.exception).startswith(
        f"cannot write {what} {path}: the folder {folder} cannot be created"
    )
