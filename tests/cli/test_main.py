import subprocess
import sys

from typer.testing import CliRunner

from logbert import __version__
from logbert.cli.main import app


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
