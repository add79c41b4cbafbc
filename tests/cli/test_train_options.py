"""`logbert train` options: checked parameters (naming the config file), ignored options said,
another model's directory refused, a stray templates.csv not taken as the model's, Ctrl-C
reported. Fast detectors only (ngram, pca): no LogBERT is trained here."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from logbert.cli import main as cli_main
from logbert.cli.main import app
from logbert.cli.train import _params
from logbert.errors import LogbertError
from logbert.models.registry import detector_class
from logbert.parsing.templates import TEMPLATE_SET_KEY, template_set
from logbert.pipeline import Pipeline
from logbert.sessions.io import Session, write_sessions

runner = CliRunner()


def invoke(*args) -> object:
    return runner.invoke(app, [str(a) for a in args])


def user_error(result) -> str:
    assert isinstance(result.exception, LogbertError), result.output
    return str(result.exception)


@pytest.fixture
def sessions(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("1 2 3 4\n" * 30 + "1 2 3 4 5\n" * 10)
    return path


def test_bad_parameters_in_a_config_name_the_file_before_training(tmp_path, sessions):
    for text, words in (
        ('epochs: "ten"\n', "logbert: epochs must be an integer (got 'ten')"),
        ("hidden: -4\n", "logbert: hidden must be at least 1 (got -4)"),
        ("mask_ratio: 1.5\n", "logbert: mask_ratio must be a number in (0, 1) (got 1.5)"),
        ("epochs: 0\n", "logbert: epochs must be at least 1 (got 0)"),
    ):
        config = tmp_path / "c.yaml"
        config.write_text(text)
        message = user_error(invoke("train", sessions, "-o", tmp_path / "m", "--config", config))
        assert message == f"in {config}: {words}"
        assert not (tmp_path / "m").exists()
    config.write_text("n_components: 5.5\n")
    message = user_error(
        invoke("train", sessions, "-o", tmp_path / "m", "--model", "pca", "--config", config)
    )
    assert message.startswith(f"in {config}: pca: n_components must be")


def test_epochs_below_one_on_the_command_line_are_refused(tmp_path, sessions):
    config = tmp_path / "c.yaml"
    config.write_text("hidden: 16\nheads: 2\n")
    for value in (0, -1):
        message = user_error(
            invoke("train", sessions, "-o", tmp_path / "m", "--epochs", value, "--config", config)
        )
        assert message == f"logbert: epochs must be at least 1 (got {value})"  # not the file's
    assert not (tmp_path / "m").exists()


def test_a_config_that_is_a_folder_or_not_text_is_named(tmp_path, sessions):
    message = user_error(invoke("train", sessions, "-o", tmp_path / "m", "--config", tmp_path))
    assert str(tmp_path) in message and "folder" in message
    binary = tmp_path / "c.yaml"
    binary.write_bytes(b"\xff\xfe\x00")
    message = user_error(invoke("train", sessions, "-o", tmp_path / "m", "--config", binary))
    assert str(binary) in message and "UTF-8" in message


def test_options_a_detector_does_not_use_are_said_to_be_ignored(tmp_path, sessions):
    result = invoke("train", sessions, "-o", tmp_path / "m", "--model", "ngram",
                    "--epochs", 5, "--resume")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "warning: --epochs is ignored: ngram is not trained in epochs" in result.output
    assert "warning: --resume is ignored: ngram writes no training checkpoints" in result.output


def test_a_seed_in_the_config_and_another_seed_option_are_refused(tmp_path, sessions):
    config = tmp_path / "c.yaml"
    config.write_text("seed: 5\n")
    message = user_error(invoke("train", sessions, "-o", tmp_path / "m", "--model",
                                "isolation-forest", "--config", config, "--seed", 1))  # fmt: skip
    assert message.startswith(f"--seed 1 and `seed: 5` in {config} differ")
    forest = detector_class("isolation-forest")
    assert _params(forest, config, None, 5)["seed"] == 5  # the same seed twice is fine
    assert _params(forest, config, None, None)["seed"] == 5
    assert _params(forest, None, None, None)["seed"] == 0


def test_a_seed_in_the_config_also_seeds_the_validation_split(tmp_path, sessions):
    config = tmp_path / "c.yaml"
    config.write_text("seed: 5\n")
    model = tmp_path / "m"
    result = invoke("train", sessions, "-o", model, "--model", "isolation-forest",
                    "--config", config)  # fmt: skip
    assert result.exit_code == 0, result.output
    record = json.loads((model / "pipeline.json").read_text())
    assert record["seed"] == 5 and record["training"]["seed"] == 5


def test_training_into_another_models_directory_is_refused(tmp_path, sessions):
    model = tmp_path / "m"
    assert invoke("train", sessions, "-o", model, "--model", "ngram").exit_code == 0
    message = user_error(invoke("train", sessions, "-o", model, "--model", "pca"))
    assert f"{model} holds a 'ngram' model" in message and f"remove {model}" in message
    assert not (model / "state.npz").exists()
    (model / "config.json").write_text("{broken")
    message = user_error(invoke("train", sessions, "-o", model, "--model", "ngram"))
    assert "cannot be read" in message and "use another --output" in message


def test_retraining_the_same_detector_removes_the_previous_models_left_over_files(
    tmp_path, sessions
):
    model = tmp_path / "m"
    assert invoke("train", sessions, "-o", model, "--model", "ngram").exit_code == 0
    for name in ("templates.csv", "parser.json", "threshold.previous.json"):
        (model / name).write_text("of the previous model")
    (model / "notes.txt").write_text("the user's")
    result = invoke("train", sessions, "-o", model, "--model", "ngram")
    assert result.exit_code == 0, result.output
    assert (
        f"Removed 3 files of the previous model in {model} that this one does not write: "
        "templates.csv, parser.json, threshold.previous.json" in result.output
    )
    assert not (model / "parser.json").exists() and (model / "notes.txt").exists()
    assert (model / "calibration_scores.npy").exists()  # rewritten by this run: kept


def _parquet(tmp_path, templates: dict[int, str]):
    meta = {TEMPLATE_SET_KEY: json.dumps(template_set(templates, "logbert"))}
    path = tmp_path / "s.parquet"
    write_sessions([Session(f"t{i}", [1, 2, 1, 2][: 2 + i % 3], "normal") for i in range(20)],
                   path, metadata=meta)  # fmt: skip
    return path


def test_templates_csv_beside_the_sessions_is_copied_only_when_it_is_theirs(tmp_path):
    path = _parquet(tmp_path, {1: "A <*>", 2: "B"})
    beside = tmp_path / "templates.csv"
    beside.write_text("template_id,template,count\n1,A <*>,3\n2,B,2\n3,C,1\n")
    result = invoke("train", path, "-o", tmp_path / "m1", "--model", "ngram")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m1" / "templates.csv").read_text() == beside.read_text()
    assert "not copied" not in result.output
    beside.write_text("template_id,template,count\n1,A <*>,3\n2,Other event,2\n")
    result = invoke("train", path, "-o", tmp_path / "m2", "--model", "ngram")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "m2" / "templates.csv").exists()
    assert (
        f"note: {beside} is not copied into the model: it is not the template list of {path} "
        "(key 2 is 'B' in" in result.output
    )


def test_templates_csv_beside_a_file_without_a_template_set_is_not_copied(tmp_path, sessions):
    # a DeepLog file numbered by loghub beside our parser's templates.csv
    (tmp_path / "templates.csv").write_text("template_id,template,count\n1,A,1\n")
    result = invoke("train", sessions, "-o", tmp_path / "m", "--model", "ngram")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "m" / "templates.csv").exists()
    assert f"{sessions} records no template set" in result.output
    assert "logbert sessionize" in result.output


def _interrupting_app(detail: str) -> typer.Typer:
    def stop() -> None:
        raise KeyboardInterrupt(detail)

    small = typer.Typer()
    small.command()(stop)
    return small


def test_ctrl_c_prints_one_interrupted_line_and_exits_130(monkeypatch, capsys):
    for detail, line in (("training stopped; rerun", "interrupted: training stopped; rerun"),
                         ("", "interrupted: stopped by Ctrl-C (SIGINT)")):  # fmt: skip
        monkeypatch.setattr(cli_main, "app", _interrupting_app(detail))
        monkeypatch.setattr("sys.argv", ["logbert"])
        with pytest.raises(SystemExit) as exit_:
            cli_main.main()
        assert exit_.value.code == 130
        assert capsys.readouterr().err.strip() == line


def test_log_options_on_a_sessions_file_say_to_add_logs_or_leave_them_out(tmp_path, sessions):
    result = invoke("train", sessions, "--model", "ngram", "--by-field", "Node",
                    "--output", tmp_path / "m")  # fmt: skip
    message = user_error(result)
    assert message.startswith("--by-field: only with --logs") and "add --logs" in message


def test_epochs_reach_the_parts_of_a_combination_that_train_in_epochs():
    params = _params(detector_class("logbert+ecvc"), None, 2, None)
    assert params == {"part_params": {"logbert": {"epochs": 2}}}
    assert _params(detector_class("ngram+ecvc"), None, 2, None) == {}  # said to be ignored


def test_a_combinations_config_gives_each_part_the_parameters_it_takes(tmp_path):
    """QA GPFS: `--model logbert+length` with the config written for `--model logbert`
    (`hidden: 32`) was refused as unknown parameters; now they reach the part that takes them,
    a part's own `part_params` first, and one no part takes is still an error."""
    config = tmp_path / "small.yaml"
    config.write_text("hidden: 32\nlayers: 2\npart_params: {logbert: {layers: 3}}\n")
    params = _params(detector_class("logbert+length"), config, 2, None)
    assert params == {"part_params": {"logbert": {"hidden": 32, "layers": 3, "epochs": 2}}}
    config.write_text("hidden: 32\nwidth: 4\n")
    with pytest.raises(LogbertError, match="unknown parameters for .*: width; valid: parts, "
                       "part_params; a part's parameters go under part_params"):
        _params(detector_class("logbert+length"), config, None, None)


def test_a_model_directory_the_os_refuses_is_exit_2_before_training(
    tmp_path, sessions, raw_logs, refused_folder, monkeypatch, capsys
):
    """QA: `train --logs ... -o /proc/x` ended in chained tracebacks, exit 1 (a file in the way
    was already a clean exit 2); from a sessions file it would fail only on saving."""
    model = refused_folder / "model"
    expected = f"cannot write model directory {model}: the folder {model} cannot be created"
    monkeypatch.setattr(Pipeline, "fit", _not_to_be_called)
    assert user_error(invoke("train", sessions, "--model", "ngram", "-o", model)).startswith(
        expected
    )
    train_log = raw_logs[0]
    args = ["train", train_log, "--logs", "--format", "hdfs", "--by-id", r"blk_-?\d+",
            "--model", "ngram", "-o", model]  # fmt: skip
    monkeypatch.setattr("sys.argv", ["logbert", *map(str, args)])
    with pytest.raises(SystemExit) as exit_:
        cli_main.main()
    assert exit_.value.code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert err.startswith(f"error: {expected} ({model}: Read-only file system); give a path")


def test_a_failed_training_from_sessions_removes_the_model_directory_it_created(tmp_path):
    """The model directory is made before training (to refuse an unwritable one early), so a
    training that fails takes it away again, as one from raw logs does."""
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = invoke("train", empty, "--model", "ngram", "-o", tmp_path / "m")
    assert isinstance(result.exception, LogbertError), result.output
    assert not (tmp_path / "m").exists()


def _not_to_be_called(*args, **kwargs) -> None:
    raise AssertionError("training began before the model directory was made")


def test_sigterm_stops_a_command_as_ctrl_c_does(monkeypatch, capsys):
    """QA Home Assistant: `timeout 600 logbert train ...` killed the training with SIGTERM, no
    cleanup and no word; now it is the same clean stop as Ctrl-C (a non-resumable training's
    half-made folder removed, `_model_folder`)."""
    import os
    import signal
    import time

    def terminated() -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises before this ends

    before = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(cli_main, "app", terminated)
    monkeypatch.setattr("sys.argv", ["logbert"])
    try:
        with pytest.raises(SystemExit) as exit_:
            cli_main.main()
    finally:
        signal.signal(signal.SIGTERM, before)
    assert exit_.value.code == 130
    assert capsys.readouterr().err.strip() == "interrupted: stopped by SIGTERM"
