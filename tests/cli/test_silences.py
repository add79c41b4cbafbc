"""A host that stopped writing, through the CLI: `score --logs` writes its silent windows as
flagged rows (JSON Lines and Parquet), `evaluate --logs` counts them against the labels, and
`report` says what those rows are (QA CRI-O: a hung node's 4 windows were in no figure)."""

from __future__ import annotations

import json

import pyarrow.compute as pc
import pyarrow.parquet as pq
from typer.testing import CliRunner

from logbert.cli.main import app
from logbert.errors import LogbertError

runner = CliRunner()


def invoke(*args) -> object:
    return runner.invoke(app, [str(a) for a in args])


def test_silent_windows_are_scored_evaluated_and_reported(silent_host_logs, tmp_path):
    train, test, labels = silent_host_logs
    model = tmp_path / "model"
    common = ("--logs", "--year", 2025)
    result = invoke("train", train, *common, "--format", "linux", "--by-field", "Host",
                    "--window", "10m", "--model", "length", "-o", model)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "note: silences: 3 of 3 values wrote 5 time windows or more" in result.output
    scores = tmp_path / "scores.jsonl"
    result = invoke("score", model, test, *common, "-o", scores)
    assert result.exit_code == 0, result.output
    assert "Scored 50 sessions" in result.output and ", and 4 silent windows;" in result.output
    assert "note: 4 time windows of 1 silence (1 value) flagged" in result.output
    assert "fell silent" not in result.output  # (the warning of a model that judges none)
    rows = [json.loads(line) for line in scores.read_text().splitlines()]
    silent = [r for r in rows if r.get("decided_by") == "silence"]
    assert len(rows) == 54 and len(silent) == 4
    parquet = tmp_path / "scores.parquet"
    assert invoke("score", model, test, *common, "-o", parquet).exit_code == 0
    table = pq.read_table(parquet)
    kept = table.filter(pc.equal(table["decided_by"], "silence")).to_pylist()
    assert [r["session_id"] for r in kept] == [r["session_id"] for r in silent]
    assert kept[0]["silence"]["value"] == "beta" and kept[0]["silence"]["windows"] == 4
    evaluation = tmp_path / "evaluation.json"
    result = invoke("evaluate", model, test, *common, "--labels", labels, "-o", evaluation)
    assert result.exit_code == 0, result.output
    metrics = json.loads(evaluation.read_text())
    assert metrics["silences"] == {
        "windows_flagged": 4, "labelled_anomalous": 4, "labelled_normal": 0, "unlabelled": 0
    }  # fmt: skip
    assert metrics["n_sessions"] == 54 and metrics["n_anomalies"] == 4
    assert metrics["confusion_matrix"]["tp"] == 4 and metrics["recall"] == 1.0
    assert "anomalies_without_session" not in metrics
    assert "named no session of these logs" not in result.output
    assert (
        "4 ids in the labels file named no session (4 of them labelled anomalous), 4 of them "
        "windows in which their value wrote nothing"
    ) in result.output
    report = tmp_path / "report.html"
    result = invoke("report", model, "--scores", scores, "-o", report)
    assert result.exit_code == 0, result.output
    assert "4 of 54 rows in scores.jsonl are time windows a value wrote nothing in" in (
        report.read_text()
    )
    assert "have no numeric score" not in report.read_text()


def test_watch_alerts_a_silent_host(silent_host_logs, tmp_path):
    train, test, _ = silent_host_logs
    model = tmp_path / "model"
    result = invoke("train", train, "--logs", "--year", 2025, "--format", "linux", "--by-field",
                    "Host", "--window", "10m", "--model", "length", "-o", model)  # fmt: skip
    assert result.exit_code == 0, result.output
    alerts = tmp_path / "alerts.jsonl"
    result = invoke("watch", model, test, "--year", 2025, "--alerts", alerts)
    assert result.exit_code == 0, result.output
    assert ", 1 silence flagged;" in result.output
    silent = [
        a for a in map(json.loads, alerts.read_text().splitlines()) if a["score_name"] == "silence"
    ]
    assert len(silent) == 1 and silent[0]["session_id"] == "beta@2025-12-01T07:00:00"


def test_flagged_silent_windows_the_labels_leave_out_or_name_a_kind_of(silent_host_logs, tmp_path):
    """QA: silent windows the labels did not name dropped out unsaid, and the recall by kind
    of anomaly left out the ones they named `silent_host`."""
    train, test, labels = silent_host_logs
    model = tmp_path / "model"
    result = invoke("train", train, "--logs", "--year", 2025, "--format", "linux", "--by-field",
                    "Host", "--window", "10m", "--model", "length", "-o", model)  # fmt: skip
    assert result.exit_code == 0, result.output
    text = labels.read_text().replace("07:00:00,anomaly", "07:00:00,silent_host")
    kinds = tmp_path / "kinds.csv"  # the first window a kind, the last one not named at all
    kinds.write_text(
        "\n".join(line for line in text.splitlines() if "beta@2025-12-01T07:30" not in line)
    )
    evaluation = tmp_path / "evaluation.json"
    result = invoke("evaluate", model, test, "--logs", "--year", 2025, "--labels", kinds,
                    "-o", evaluation)  # fmt: skip
    assert result.exit_code == 0, result.output
    metrics = json.loads(evaluation.read_text())
    assert metrics["silences"]["unlabelled"] == 1 and metrics["silences"]["labelled_anomalous"] == 3
    assert metrics["confusion_matrix"]["tp"] == 3 and metrics["n_sessions"] == 53
    assert metrics["recall_by_category"]["silent_host"]["flagged"] == 1
    assert "note: of the 4 silent windows flagged, 3 the labels name (3 anomalous, 0 normal)" in (
        result.output
    )
    assert "1 the labels do not name are left out of every figure" in result.output


def test_files_named_apart_from_their_training_files_have_their_silences_judged(tmp_path):
    """QA Superset, OctoPrint, Vector: `logs/train/<host>/x.log` and `logs/test/<host>/x.log`."""
    from datetime import datetime

    from ..conftest import HOSTS, host_lines

    for part, start, quiet in (("train", 0, {}), ("test", 6, {"beta": (60, 100)})):
        lines = host_lines(datetime(2025, 12, 1, start), 3, quiet)
        for host in HOSTS:
            folder = tmp_path / part / host
            folder.mkdir(parents=True)
            (folder / "app.log").write_text(
                "\n".join(line for line in lines if f" {host} " in line) + "\n"
            )
    model = tmp_path / "model"
    options = ("--by-field", "source", "--window", "10m", "--model", "length", "-o", model)
    result = invoke("train", tmp_path / "train", "--logs", "--year", 2025, "--format", "linux",
                    *options)  # fmt: skip
    assert result.exit_code == 0, result.output
    scores = tmp_path / "scores.jsonl"
    result = invoke("score", model, tmp_path / "test", "--logs", "--year", 2025, "-o", scores)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in scores.read_text().splitlines()]
    silent = [r for r in rows if r.get("decided_by") == "silence"]
    assert len(silent) == 4 and silent[0]["silence"]["value"].endswith("test/beta/app.log")
    assert silent[0]["session_id"].endswith("test/beta/app.log@2025-12-01T07:00:00")
    # ... also watched alone: named by its path as given, as `score` names it, not `app.log`
    # (QA BeeGFS: the one name three training files end as, beta's silence judged by nothing;
    # QA GPFS: alert ids apart from score's)
    alerts = tmp_path / "alerts.jsonl"
    watched = tmp_path / "test" / "beta" / "app.log"
    result = invoke("watch", model, watched, "--year", 2025, "--alerts", alerts)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in alerts.read_text().splitlines()]
    (alert,) = [r for r in rows if r["score_name"] == "silence"]
    assert alert["session_id"] == f"{watched}@2025-12-01T07:00:00"


def test_the_silence_margin_is_an_option_of_train(silent_host_logs, tmp_path):
    train, test, _ = silent_host_logs
    base = ("train", train, "--logs", "--year", 2025, "--format", "linux", "--model", "length")
    off = tmp_path / "off"
    result = invoke(*base, "--by-field", "Host", "--window", "10m", "--silence-margin", 0,
                    "-o", off)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "note: silences" not in result.output
    scores = tmp_path / "scores.jsonl"
    result = invoke("score", off, test, "--logs", "--year", 2025, "-o", scores)
    assert result.exit_code == 0 and "silent windows" not in result.output
    assert "fell silent" in result.output  # (judged by nothing: the warning says so again)
    refused = invoke(*base, "--by-field", "Host", "--window", "10m", "--silence-margin", -1,
                     "-o", tmp_path / "m")  # fmt: skip
    assert isinstance(refused.exception, LogbertError)
    assert "--silence-margin must be 0" in str(refused.exception)
    refused = invoke(*base, "--by-id", r"id (\d+)", "--silence-margin", 2, "-o", tmp_path / "m")
    assert "give it with --logs and --window" in str(refused.exception)


def test_training_with_the_margin_0_warns_of_its_own_silences(silent_host_logs, tmp_path):
    """`--silence-margin 0`: nothing learns or judges training's silences, so the reading's
    "fell silent" warning is said, not hidden behind a note that is not written."""
    _, with_silence, _ = silent_host_logs
    base = ("train", with_silence, "--logs", "--year", 2025, "--format", "linux", "--model",
            "length", "--by-field", "Host", "--window", "10m")  # fmt: skip
    learnt = invoke(*base, "-o", tmp_path / "on")
    assert learnt.exit_code == 0, learnt.output
    assert "note: silences" in learnt.output and "fell silent" not in learnt.output
    off = invoke(*base, "--silence-margin", 0, "-o", tmp_path / "off")
    assert off.exit_code == 0, off.output
    assert "fell silent" in off.output and "note: silences" not in off.output


def test_a_report_takes_the_evaluation_and_scores_of_logs_with_silent_windows(
    silent_host_logs, tmp_path
):
    """The scores' silent rows have no score: the report still checks the evaluation's mean
    against the sessions' scores, and counts both alike (labelled rows only)."""
    train, test, labels = silent_host_logs
    model = tmp_path / "model"
    result = invoke("train", train, "--logs", "--year", 2025, "--format", "linux", "--by-field",
                    "Host", "--window", "10m", "--model", "ecvc", "-o", model)  # fmt: skip
    assert result.exit_code == 0, result.output
    scores, evaluation = tmp_path / "scores.jsonl", tmp_path / "evaluation.json"
    common = ("--logs", "--year", 2025, "--labels", labels)
    assert invoke("score", model, test, *common, "-o", scores).exit_code == 0
    assert invoke("evaluate", model, test, *common, "-o", evaluation).exit_code == 0
    report = tmp_path / "report.html"
    result = invoke("report", model, "--scores", scores, "--evaluation", evaluation, "-o", report)
    assert result.exit_code == 0, result.output
    # another evaluation's mean is still refused (the check is not skipped for silent rows)
    metrics = json.loads(evaluation.read_text())
    metrics["normal_score_mean"] = (metrics["normal_score_mean"] or 0) + 0.5
    other = tmp_path / "other.json"
    other.write_text(json.dumps(metrics))
    refused = invoke("report", model, "--scores", scores, "--evaluation", other, "-o", report)
    assert isinstance(refused.exception, LogbertError)
    assert "hold different scores" in str(refused.exception)


def test_a_file_watched_under_another_folder_is_named_as_score_names_it(tmp_path):
    """QA BIRD: trained on `logs/train/rtr1.log` ..., `watch live/rtr1.log` named its windows
    `live/rtr1.log@...` where `score` named them `rtr1.log@...`: labels and suppressions
    written for one did not match the other. A name training's files tell apart is the name."""
    from datetime import datetime

    from ..conftest import HOSTS, host_lines

    for part, start, quiet in (("train", 0, {}), ("live", 6, {"beta": (60, 100)})):
        lines = host_lines(datetime(2025, 12, 1, start), 3, quiet)
        (tmp_path / part).mkdir()
        for host in HOSTS:
            (tmp_path / part / f"{host}.log").write_text(
                "\n".join(line for line in lines if f" {host} " in line) + "\n"
            )
    model = tmp_path / "model"
    options = ("--by-field", "source", "--window", "10m", "--model", "length", "-o", model)
    result = invoke("train", tmp_path / "train", "--logs", "--year", 2025, "--format", "linux",
                    *options)  # fmt: skip
    assert result.exit_code == 0, result.output
    alerts = tmp_path / "alerts.jsonl"
    watched = tmp_path / "live" / "beta.log"
    result = invoke("watch", model, watched, "--year", 2025, "--alerts", alerts)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in alerts.read_text().splitlines()]
    (alert,) = [r for r in rows if r["score_name"] == "silence"]
    assert alert["session_id"] == "beta.log@2025-12-01T07:00:00"
