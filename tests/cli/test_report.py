import json
import sys

import pytest

from logbert.cli.main import main


def run(monkeypatch, capsys, *args):
    """Run `logbert report ARGS` as a user would; returns (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["logbert", "report", *map(str, args)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


@pytest.fixture
def model_and_scores(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text(json.dumps({"model": "pca", "params": {}}))
    (model / "threshold.json").write_text(json.dumps({"value": 0.5, "rule": "max"}))
    scores = tmp_path / "scores.jsonl"
    rows = [
        {"session_id": str(i), "score": i / 10, "label": "anomaly" if i > 7 else "normal"}
        for i in range(10)
    ]
    scores.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return model, scores


def test_report_writes_html_and_prints_paths(monkeypatch, capsys, tmp_path, model_and_scores):
    model, scores = model_and_scores
    out = tmp_path / "r" / "report.html"
    code, stdout, _ = run(monkeypatch, capsys, model, "--scores", scores, "--output", out)
    assert code == 0
    assert f"report: {out}" in stdout
    assert "figures: 4 PNGs" in stdout  # distributions, ROC/PR, confusion matrix, sweep
    assert "sections with parts lacking data" in stdout and "Training" in stdout
    assert out.read_text().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["absent_dir"], "model directory not found"),
        (["MODEL", "--scores", "absent.jsonl"], "scores file not found"),
        (["MODEL", "--evaluation", "absent.json"], "file not found"),
        (["MODEL", "--output", "report.pdf"], "must be an .html file"),
        # QA: a sessions file given as `score` takes it got typer's "extra argument"
        (["MODEL", "test.parquet"], "report takes no data file after the model (test.parquet)"),
    ],
)
def test_user_errors_exit_2_without_traceback(
    monkeypatch, capsys, tmp_path, model_and_scores, args, message
):
    model, _ = model_and_scores
    monkeypatch.chdir(tmp_path)
    args = [str(model) if a == "MODEL" else a for a in args]
    code, _, stderr = run(monkeypatch, capsys, *args)
    assert code == 2
    assert message in stderr and "Traceback" not in stderr


def test_report_will_not_headline_f1_from_another_score(
    monkeypatch, capsys, tmp_path, model_and_scores
):
    """threshold.json applies to max_surprise; the scores have only the mean-surprise score."""
    model, scores = model_and_scores
    record = {"value": 0.5, "rule": "max", "score": "max_surprise"}
    (model / "threshold.json").write_text(json.dumps(record))
    out = tmp_path / "report.html"
    code, stdout, _ = run(monkeypatch, capsys, model, "--scores", scores, "--output", out)
    assert code == 0
    assert "figures: 1 PNGs" in stdout  # the distributions only: no matrix, ROC/PR or sweep
    assert "Detection quality" in stdout and "Threshold sweep" in stdout
    html = out.read_text()
    assert "The scores lack `max_surprise`, the score the threshold applies to" in html
    assert '<div class="k">F1</div>' not in html
    assert "it lacks `max_surprise`, the score this model&#x27;s threshold applies to" in html


def test_scores_of_a_detector_with_other_score_names_are_refused(
    monkeypatch, capsys, tmp_path, model_and_scores
):
    model, scores = model_and_scores
    config = {"model": "logbert", "params": {}, "score_names": ["miss_ratio", "max_surprise"]}
    (model / "config.json").write_text(json.dumps(config))
    code, _, stderr = run(monkeypatch, capsys, model, "--scores", scores, "-o", tmp_path / "r.html")
    assert code == 2
    assert "holds none of the scores" in stderr and "another detector" in stderr


def test_an_unwritable_report_path_is_a_clear_error(tmp_path):
    from typer.testing import CliRunner

    from logbert.cli.main import app
    from logbert.errors import LogbertError

    blocker = tmp_path / "file"
    blocker.write_text("")
    result = CliRunner().invoke(app, ["report", str(tmp_path), "-o", str(blocker / "r.html")])
    assert isinstance(result.exception, LogbertError) and str(blocker) in str(result.exception)


def test_evaluation_of_another_model_exits_2(monkeypatch, capsys, tmp_path, model_and_scores):
    model, scores = model_and_scores
    evaluation = tmp_path / "ev.json"
    evaluation.write_text(json.dumps({"model": "random-forest", "sessions_file": "bgl_b.log"}))
    out = tmp_path / "report.html"
    code, _, stderr = run(monkeypatch, capsys, model, "--evaluation", evaluation, "-o", out)
    assert code == 2 and "Traceback" not in stderr
    assert "evaluates model 'random-forest' on bgl_b.log, but" in stderr
    assert not out.exists()


def test_warnings_are_repeated_on_stderr(monkeypatch, capsys, tmp_path, model_and_scores):
    """The scores record no verdicts or p-values: their origin cannot be checked."""
    model, scores = model_and_scores
    out = tmp_path / "report.html"
    code, stdout, stderr = run(monkeypatch, capsys, model, "--scores", scores, "-o", out)
    assert code == 0
    assert stderr.startswith("warning: The origin of scores.jsonl cannot be checked")
    assert "warning:" not in stdout
