import json
import sys

import pytest

from logbert.cli.main import main
from logbert.evaluation import benchmark
from logbert.evaluation.protocols import ProtocolData
from logbert.sessions.io import Session


def run(monkeypatch, capsys, *args):
    """Run `logbert benchmark ARGS` as a user would; returns (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["logbert", "benchmark", *map(str, args)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def toy_protocol(name, data_dir, work_dir):
    train = [Session(str(i), [1, 2, 3] * (1 + i % 2), "normal") for i in range(30)]
    test = [Session("n", [1, 2, 3], "normal"), Session("a", [1, 7], "anomaly")] * 4
    return ProtocolData(name, "toy", train, test, {"n_train": 30, "n_test": 8,
                                                   "n_test_anomalies": 4})  # fmt: skip


def test_runs_both_protocols_and_writes_tables(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(benchmark, "build_protocol", toy_protocol)
    out = tmp_path / "results"
    code, stdout, _ = run(
        monkeypatch, capsys, "--protocol", "all", "--models", "iqr,pca",
        "--output-dir", out, "--data-dir", tmp_path, "--seed", "2",
    )  # fmt: skip
    assert code == 0
    assert "| iqr |" in stdout and "total wall time" in stdout
    for protocol in ("hdfs_a", "hdfs_b", "adfa", "bgl_2k"):
        result = json.loads((out / f"benchmark_{protocol}.json").read_text())
        assert result["seed"] == 2 and len(result["rows"]) == 2
        assert (out / f"benchmark_{protocol}.md").exists()


def test_seeds_option_runs_every_seed(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(benchmark, "build_protocol", toy_protocol)
    out = tmp_path / "results"
    code, stdout, _ = run(
        monkeypatch, capsys, "--protocol", "adfa", "--models", "iqr", "--seeds", "3",
        "--output-dir", out, "--data-dir", tmp_path,
    )  # fmt: skip
    assert code == 0 and " ± " in stdout and "Ceiling:" in stdout
    result = json.loads((out / "benchmark_adfa.json").read_text())
    assert result["seeds"] == [0, 1, 2]
    assert [s["seed"] for s in result["rows"][0]["per_seed"]] == [0, 1, 2]
    assert result["rows"][0]["aggregate"]["f1"]["n"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--protocol", "hdfs-c"], "unknown protocol"),
        (["--protocol", "hdfs-a", "--models", "pca,nope"], "unknown model"),
        (["--protocol", "hdfs-a", "--threshold-rule", "best-f1"], "needs labels"),
        (["--protocol", "hdfs-a", "--data-dir", "/nonexistent/data"], "datasets folder"),
        (["--protocol", "hdfs-a", "--threads", "-1"], "--threads"),
        (["--protocol", "adfa", "--seeds", "0"], "--seeds"),
    ],
)
def test_bad_options_are_one_line_errors(monkeypatch, capsys, args, message):
    code, _, stderr = run(monkeypatch, capsys, *args)
    assert code == 2 and message in stderr and "Traceback" not in stderr


def test_a_missing_dataset_file_is_an_error_even_when_a_cache_exists(monkeypatch, capsys, tmp_path):
    """the cache of another data folder was read as this one's."""
    cache = tmp_path / "work" / "bgl_2k_5m"
    cache.mkdir(parents=True)
    (cache / "sessions.parquet").write_bytes(b"a cache of other data")
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, stderr = run(
        monkeypatch, capsys, "--protocol", "bgl-2k", "--models", "iqr", "--data-dir", empty,
        "--work-dir", tmp_path / "work", "--output-dir", tmp_path / "out",
    )  # fmt: skip
    assert code == 2 and "Traceback" not in stderr
    assert f"error: dataset file not found: {empty}/loghub2_2k_corrected/BGL/BGL_2k.log" in stderr


def test_help_says_what_hdfs_a_trains_and_tests_on(monkeypatch, capsys):
    """It said "hdfs-a (DeepLog split)", but it tests on the 2% sample, not DeepLog's tests."""
    monkeypatch.setenv("COLUMNS", "200")  # one help line per sentence
    code, stdout, _ = run(monkeypatch, capsys, "--help")
    assert code == 0
    text = " ".join(stdout.replace("│", " ").split())
    assert (
        "hdfs-a (train DeepLog's hdfs_train; test every labelled block of the HDFS 2% sample, "
        "not DeepLog's hdfs_test_* files)" in text
    )
