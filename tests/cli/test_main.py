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
