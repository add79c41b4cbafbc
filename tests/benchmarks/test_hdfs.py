"""`benchmarks/hdfs.py`: bad options and missing data are one-line errors, before any training."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def hdfs(monkeypatch):
    """The script as a module (it imports its sibling `process_stats`)."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location("hdfs_benchmark", BENCHMARKS / "hdfs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(hdfs, monkeypatch, capsys, *args) -> tuple[int, str]:
    """Run the script's main with `args`; returns (exit status, stderr)."""
    monkeypatch.setattr(sys, "argv", ["hdfs.py", *map(str, args)])
    with pytest.raises(SystemExit) as exit_info:
        hdfs.main()
    return exit_info.value.code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--seeds", "0"], "argument --seeds: must be a whole number of at least 1, got '0'"),
        (["--protocols", "A,c"], "argument --protocols: unknown protocol 'c' in 'A,c': give a "
         "comma-separated list of A, B"),
    ],
)  # fmt: skip
def test_bad_options_are_refused_before_any_work(
    hdfs, monkeypatch, capsys, tmp_path, args, message
):
    """`--seeds 0` printed an empty table (exit 0); an unknown protocol was a traceback."""
    code, err = run(hdfs, monkeypatch, capsys, *args, "--out", tmp_path / "h.json")
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "h.json").exists()


def test_a_missing_dataset_file_is_one_error_line(hdfs, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(hdfs, "DATA", tmp_path / "no-data")
    code, err = run(hdfs, monkeypatch, capsys, "--seeds", 1, "--protocols", "a",
                    "--work-dir", tmp_path / "work", "--out", tmp_path / "h.json")  # fmt: skip
    assert code == 2
    assert err.startswith(f"error: dataset file not found: {tmp_path / 'no-data'}/HDFS_v1_")
    assert err.count("\n") == 1
