"""train -> score -> calibrate -> evaluate through the CLI on tiny files, and their bad inputs."""

from __future__ import annotations

import json
import re

import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from logbert.cli.main import app
from logbert.errors import LogbertError
from logbert.parsing.templates import TEMPLATE_SET_KEY, template_set
from logbert.sessions.io import Session, write_sessions

TINY = {"hidden": 16, "layers": 1, "heads": 2, "max_len": 12, "batch_size": 32, "lr": 0.005}
runner = CliRunner()


def invoke(*args) -> object:
    return runner.invoke(app, [str(a) for a in args])


def user_error(result) -> str:
    """The LogbertError a command raised (main() prints it as one line and exits 2)."""
    assert isinstance(result.exception, LogbertError), result.output
    return str(result.exception)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    normal = [Session(f"n{i}", [1, 2, 3, 4, 5], "normal") for i in range(40)]
    normal += [Session(f"m{i}", [1, 2, 3, 4, 5, 6], "normal") for i in range(20)]
    anomalies = [Session("a0", [1, 3, 2, 4, 5], "anomaly"), Session("a1", [1, 2, 9], "anomaly")]
    write_sessions(normal + anomalies, root / "train.jsonl")
    test = normal[:5] + anomalies + [Session("long", [1, 2, 3, 4, 5] * 8, "normal")]
    write_sessions(test, root / "test.parquet")
    (root / "templates.csv").write_text("template_id,template,count\n2,B <*>,1\n9,Odd <*>,1\n")
    (root / "config.yaml").write_text(yaml.safe_dump(TINY))
    model = root / "model"
    result = invoke(
        "train", root / "train.jsonl", "--output", model, "--config", root / "config.yaml",
        "--epochs", 4, "--threshold-rule", "max",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return root, model, result.output


def test_train_writes_model_dir_and_leaves_out_anomalies(trained):
    _, model, output = trained
    assert "2 labelled anomalies left out" in output
    # one progress line per epoch with both losses, then the closing line on stdout
    assert [f"Epoch {i} of at most 4: train_loss=" in output for i in (1, 2, 3, 4)] == [True] * 4
    # the first says how long the rest may take (QA MaxScale, Tyk: 60 epochs, no estimate)
    first = r"Epoch 1 of at most 4: .*; the 3 more at most take about [0-9.]+ (s|min), fewer"
    assert re.search(first, output)
    assert "Step " not in output  # (a loss line every 100 steps, between epoch lines: QA)
    assert "threshold" in output.splitlines()[-1] and "(max)" in output.splitlines()[-1]
    for name in ("config.json", "model.safetensors", "vocab.json", "threshold.json"):
        assert (model / name).exists(), name
    history = json.loads((model / "history.json").read_text())
    assert len(history["epochs"]) == 4 and {"train_loss", "val_loss"} <= set(history["epochs"][0])
    threshold = json.loads((model / "threshold.json").read_text())
    # a handful of training sessions: `auto` calibrates on every one of them, cross-fitted,
    # and keeps what the validation split alone would have given on record
    assert threshold["rule"] == "max" and "cross-fitted scores of" in threshold["source"]
    assert "Calibration: cross-fit (5 folds)" in output
    record = json.loads((model / "pipeline.json").read_text())["training"]
    assert record["calibration"] == "cross-fit"
    assert "validation split" in record["cross_fit"]["split_threshold"]["source"]
    checkpoints = {p.name for p in (model / "checkpoints").iterdir()}
    assert {"best_model.pt", "epoch_4.pt"} <= checkpoints
    config = json.loads((model / "config.json").read_text())
    assert config["params"]["hidden"] == 16 and config["training"]["anomalies_left_out"] == 2


def test_score_rows_in_input_order_with_details(trained, tmp_path):
    root, model, _ = trained
    out = tmp_path / "scores.jsonl"
    result = invoke("score", model, root / "test.parquet", "--output", out,
                    "--templates", root / "templates.csv")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["session_id"] for r in rows] == ["n0", "n1", "n2", "n3", "n4", "a0", "a1", "long"]
    assert {"score", "miss_ratio", "is_anomaly", "label", "top_events"} <= set(rows[0])
    odd = rows[6]["top_events"][0]
    assert odd["key"] == 9 and odd["template"] == "Odd <*>" and odd["expected"]
    assert rows[0]["score"] == rows[1]["score"]
    parquet = tmp_path / "scores.parquet"
    assert invoke("score", model, root / "test.parquet", "--output", parquet).exit_code == 0
    table = pq.read_table(parquet).to_pylist()
    assert [r["score"] for r in table] == pytest.approx([r["score"] for r in rows])
    flagged = invoke("score", model, root / "test.parquet", "--output", out, "--threshold", -1)
    assert flagged.exit_code == 0 and "8 anomalous" in flagged.output


def test_evidence_of_a_key_new_since_training_takes_the_sessions_files_text(trained, tmp_path):
    """QA: scoring a sessions parquet wrote `"template": null` for keys mined after training,
    though the file records their text (`score --logs` gave it)."""
    _, model, _ = trained
    sessions = tmp_path / "new.parquet"
    recorded = {1: "A", 2: "B <*>", 3: "C", 4: "D", 5: "E", 42: "Disk full on <*>"}
    metadata = {TEMPLATE_SET_KEY: json.dumps(template_set(recorded, "logbert"))}
    write_sessions([Session("d0", [1, 2, 42, 4, 5])], sessions, metadata=metadata)
    out = tmp_path / "s.jsonl"
    result = invoke("score", model, sessions, "--output", out)
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    (new,) = [e for e in row["top_events"] if e["key"] == 42]
    assert new["template"] == "Disk full on <*>"


def test_evaluate_from_sessions_and_from_scores_agree(trained, tmp_path):
    root, model, _ = trained
    first, second = tmp_path / "e1.json", tmp_path / "e2.json"
    assert invoke("evaluate", model, root / "test.parquet", "--output", first).exit_code == 0
    scores = tmp_path / "s.jsonl"
    assert invoke("score", model, root / "test.parquet", "--output", scores).exit_code == 0
    result = invoke("evaluate", model, root / "test.parquet", "--output", second,
                    "--scores", scores)  # fmt: skip
    assert result.exit_code == 0 and "precision" in result.output
    a, b = json.loads(first.read_text()), json.loads(second.read_text())
    assert a["confusion_matrix"] == b["confusion_matrix"]
    assert a["n_anomalies"] == 2 and a["threshold_info"]["rule"] == "max"
    assert {"roc_auc", "pr_auc", "normal_score_mean", "anomaly_score_sd"} <= set(a)


def test_calibrate_rules(trained, tmp_path):
    root, model, _ = trained
    before = json.loads((model / "threshold.json").read_text())
    result = invoke("calibrate", model, root / "test.parquet", "--rule", "best-f1")
    assert result.exit_code == 0, result.output
    assert json.loads((model / "threshold.json").read_text())["rule"] == "best-f1"
    assert json.loads((model / "threshold.previous.json").read_text()) == before
    assert "kept in threshold.previous.json" in result.output
    unlabelled = tmp_path / "plain.txt"
    unlabelled.write_text("1 2 3 4 5\n1 2 3 4 5 6\n")
    message = user_error(invoke("calibrate", model, unlabelled, "--rule", "best-f1"))
    assert "needs labelled" in message
    assert invoke("calibrate", model, unlabelled, "--rule", "max").exit_code == 0
    # without --rule: the detector's own rule, the one train used (max for LogBERT)
    assert invoke("calibrate", model, unlabelled).exit_code == 0
    assert json.loads((model / "threshold.json").read_text())["rule"] == "max"
    # QA Redis: evaluate's error said windows take labels from their lines only, though
    # --labels labels them too
    nolabel = tmp_path / "nolabel.jsonl"
    nolabel.write_text('{"session_id": "a", "keys": [1, 2, 3]}\n')
    message = user_error(invoke("evaluate", model, nolabel, "-o", tmp_path / "e.json"))
    assert "pass --labels" in message and "a time window's too" in message


def test_bad_inputs_give_clear_errors(trained, tmp_path):
    root, model, _ = trained
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert "no normal sessions" in user_error(invoke("train", empty, "--output", tmp_path / "m"))
    assert "no sessions" in user_error(
        invoke("score", model, empty, "--output", tmp_path / "s.jsonl")
    )
    unlabelled = tmp_path / "plain.txt"
    unlabelled.write_text("1 2 3\n7 7 7\n")
    assert "no label" in user_error(
        invoke("evaluate", model, unlabelled, "--output", tmp_path / "e.json")
    )
    assert "needs labelled" in user_error(
        invoke("train", unlabelled, "--output", tmp_path / "m", "--threshold-rule", "best-f1")
    )
    assert "not found" in user_error(
        invoke("score", tmp_path / "nowhere", unlabelled, "--output", tmp_path / "s.jsonl")
    )
    assert ".jsonl or .parquet" in user_error(
        invoke("score", model, unlabelled, "--output", tmp_path / "s.csv")
    )


def test_errors_exit_2_without_traceback(tmp_path):
    import subprocess
    import sys

    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "config.json").write_text("{broken")
    result = subprocess.run(
        [sys.executable, "-m", "logbert.cli.main", "score", str(tmp_path / "model"),
         str(tmp_path / "none.txt"), "--output", str(tmp_path / "s.jsonl")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "config.json is corrupt" in result.stderr


def test_sessions_still_running_at_the_end_of_the_log_are_marked_open(tmp_path):
    from datetime import datetime, timedelta

    t0 = datetime(2008, 11, 9, 20, 0)

    def timed(i: int, keys: list[int], start_h: float, hours: float = 1) -> Session:
        start = t0 + timedelta(hours=start_h)
        return Session(f"s{i}", keys, "normal", start=start, end=start + timedelta(hours=hours))

    train = [timed(i, [1, 2, 3, 4], i * 0.25) for i in range(40)]  # every session lasts 1 h
    write_sessions(train, tmp_path / "train.parquet")
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(TINY))
    model = tmp_path / "model"
    result = invoke("train", tmp_path / "train.parquet", "--output", model,
                    "--config", tmp_path / "config.yaml", "--epochs", 2)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Session lifetime (99% of normal sessions end within): 60 min" in result.output
    config = json.loads((model / "config.json").read_text())
    assert config["training"]["session_lifetime_seconds"] == pytest.approx(3600)
    # the test log ends 10 h in; a session that started at 9.5 h may still be running
    test = [timed(0, [1, 2, 3, 4], 0), timed(1, [1, 2], 2), timed(2, [1, 2], 9.5, hours=0.5)]
    write_sessions(test, tmp_path / "test.parquet")
    out = tmp_path / "scores.parquet"
    result = invoke("score", model, tmp_path / "test.parquet", "--output", out)
    assert result.exit_code == 0, result.output
    assert "1 session started less than the normal lifetime" in result.output, result.output
    rows = pq.read_table(out).to_pylist()
    assert [r["open"] for r in rows] == [False, False, True]
    evaluated = invoke("evaluate", model, tmp_path / "test.parquet",
                       "--output", tmp_path / "e.json")  # fmt: skip
    assert evaluated.exit_code == 0, evaluated.output
    assert invoke("calibrate", model, tmp_path / "test.parquet", "--rule", "max").exit_code == 0


def test_arguments_are_checked_before_any_training(tmp_path):
    sessions = tmp_path / "s.txt"
    sessions.write_text("1 2 3\n" * 30)
    message = user_error(invoke("train", sessions, "-o", tmp_path / "m", "--threshold-rule", "top"))
    assert "unknown threshold rule 'top'" in message and not (tmp_path / "m").exists()
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert "file" in user_error(invoke("train", sessions, "-o", blocker / "model"))
    assert "folder" in user_error(invoke("train", tmp_path, "-o", tmp_path / "m"))
    assert "--logs" in user_error(invoke("train", sessions, "-o", tmp_path / "m", "--by-id", "x"))


def test_outputs_are_checked_before_scoring_or_evaluating(trained, tmp_path):
    root, model, _ = trained
    blocker = tmp_path / "file"
    blocker.write_text("")
    for command in ("score", "evaluate"):
        message = user_error(
            invoke(command, model, root / "test.parquet", "-o", blocker / "x.jsonl")
        )
        assert str(blocker) in message


def test_train_help_lists_every_detector():
    from logbert.models.registry import DETECTORS

    result = invoke("train", "--help")
    assert result.exit_code == 0
    flat = " ".join(result.output.split())
    assert all(name in flat for name in DETECTORS), flat


def test_each_detector_is_calibrated_by_its_own_rule(tmp_path):
    sessions = tmp_path / "s.txt"
    sessions.write_text("1 2 3 4\n" * 40 + "1 2 3 4 5\n" * 10)
    result = invoke("train", sessions, "-o", tmp_path / "m", "--model", "deeplog", "--epochs", 1)
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "m" / "threshold.json").read_text())["rule"] == "mean+2std"


def test_a_checkpoint_file_stands_in_for_the_model(trained, tmp_path):
    root, model, _ = trained
    checkpoint = model / "checkpoints" / "epoch_4.pt"
    out = tmp_path / "e.json"
    result = invoke("evaluate", checkpoint, root / "test.parquet", "--output", out)
    assert result.exit_code == 0, result.output
    assert "using the weights of checkpoint" in result.output
    assert json.loads(out.read_text())["n_sessions"] == 8


def test_split_then_warn_when_evaluating_on_training_sessions(tmp_path):
    from datetime import datetime, timedelta

    t0 = datetime(2024, 1, 1)
    sessions = [
        Session(f"s{i}", [1, 2, 3] if i % 10 else [1, 9], "anomaly" if i % 10 == 0 else "normal",
                start=t0 + timedelta(minutes=i), end=t0 + timedelta(minutes=i, seconds=5))
        for i in range(100)
    ]  # fmt: skip
    write_sessions(sessions, tmp_path / "all.parquet")
    result = invoke("split", tmp_path / "all.parquet", "-o", tmp_path / "parts")
    assert result.exit_code == 0, result.output
    assert "train: 60 sessions (6 anomalous, starting 2024-01-01T00:00:00" in result.output
    assert "split 100 sessions by time" in result.output
    parts = tmp_path / "parts"
    model = tmp_path / "model"
    assert invoke("train", parts / "train.parquet", "-o", model, "--model", "iqr").exit_code == 0
    held_out = invoke("evaluate", model, parts / "test.parquet", "-o", tmp_path / "e1.json")
    assert held_out.exit_code == 0 and "warning" not in held_out.output
    assert json.loads((tmp_path / "e1.json").read_text())["training_overlap"]["in_training"] == 0
    own = invoke("evaluate", model, parts / "train.parquet", "-o", tmp_path / "e2.json")
    assert own.exit_code == 0 and "sessions the model was trained on" in own.output
    record = json.loads((tmp_path / "e2.json").read_text())["training_overlap"]
    assert record["overlaps_training"] and record["in_training"] + record["in_validation"] == 54
    calibrated = invoke("calibrate", model, parts / "train.parquet", "--rule", "best-f1")
    assert "trained on" in calibrated.output
    # the split's validation part as the validation file: every training session is fitted
    given = tmp_path / "given"
    result = invoke("train", parts / "train.parquet", "-o", given, "--model", "iqr",
                    "--validation", parts / "validation.parquet")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Training iqr on 54 normal sessions (9 validation sessions from" in result.output
    own = invoke("evaluate", given, parts / "validation.parquet", "-o", tmp_path / "e3.json")
    record = json.loads((tmp_path / "e3.json").read_text())["training_overlap"]
    assert record["in_training"] == 0 and record["in_validation"] == 9


def test_split_bad_input(tmp_path):
    write_sessions([Session(f"s{i}", [1]) for i in range(4)], tmp_path / "few.parquet")
    message = user_error(invoke("split", tmp_path / "few.parquet", "-o", tmp_path / "p"))
    assert "too few" in message
    message = user_error(invoke("split", tmp_path / "few.parquet", "-o", tmp_path / "p",
                                "--by", "time"))  # fmt: skip
    assert "start times" in message
    bad_shares = invoke("split", tmp_path / "few.parquet", "-o", tmp_path / "p", "--train", 0.9)
    assert "add up to 1" in user_error(bad_shares)


def test_scores_carry_p_values_and_fpr_is_a_rule(trained, tmp_path):
    root, model, _ = trained
    out = tmp_path / "scores.jsonl"
    assert invoke("score", model, root / "test.parquet", "-o", out).exit_code == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert all(0 < r["p_value"] <= 1 for r in rows)
    flagged = [r for r in rows if r["is_anomaly"]]
    assert flagged and max(r["p_value"] for r in flagged) <= min(r["p_value"] for r in rows)
    # 6 normal calibration sessions cannot vouch for a 1% false-alarm rate
    message = user_error(invoke("calibrate", model, root / "train.jsonl", "--rule", "fpr:0.01"))
    assert "needs at least 99 normal calibration sessions" in message
    result = invoke("calibrate", model, root / "train.jsonl", "--rule", "fpr:0.05")
    assert result.exit_code == 0, result.output


def test_supervised_detectors_train_on_both_labels(trained, tmp_path):
    root, _, _ = trained
    result = invoke("train", root / "train.jsonl", "-o", tmp_path / "knn", "--model", "knn")
    assert result.exit_code == 0, result.output
    assert "0 labelled anomalies left out" in result.output
    threshold = json.loads((tmp_path / "knn" / "threshold.json").read_text())
    assert threshold["rule"] == "best-f1"
    normal_only = tmp_path / "normal.txt"
    normal_only.write_text("1 2 3\n" * 20)
    message = user_error(invoke("train", normal_only, "-o", tmp_path / "m", "--model", "knn"))
    assert "have no label" in message  # a DeepLog file carries no labels


def test_a_supervised_detector_may_train_with_a_labelled_rule(tmp_path):
    """A supervised detector validates on both labels, so best-f1 is a rule train can apply
    (an unsupervised one is refused above: it validates on normal sessions only)."""
    sessions = [Session(f"n{i}", [1, 2, 3, 4][: 2 + i % 3], "normal") for i in range(30)]
    sessions += [Session(f"a{i}", [1, 9, 9][: 2 + i % 2], "anomaly") for i in range(10)]
    path = tmp_path / "train.jsonl"
    write_sessions(sessions, path)
    result = invoke("train", path, "-o", tmp_path / "m", "--model", "knn",
                    "--threshold-rule", "best-f1")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "m" / "threshold.json").read_text())["rule"] == "best-f1"
    refused = invoke("train", path, "-o", tmp_path / "m2", "--model", "ecvc",
                     "--threshold-rule", "best-f1")  # fmt: skip
    assert "ecvc is trained and validated on normal sessions only" in user_error(refused)


def test_train_with_a_validation_file_fits_every_training_session(tmp_path):
    meta = {TEMPLATE_SET_KEY: json.dumps(template_set({1: "A <*>", 2: "B"}, "logbert"))}
    train = [Session(f"t{i}", [1, 2, 1, 2][: 2 + i % 3], "normal") for i in range(12)]
    later = [Session(f"v{i}", [1, 2, 2], "normal") for i in range(4)]
    write_sessions(train, tmp_path / "train.parquet", metadata=meta)
    write_sessions(later, tmp_path / "later.parquet", metadata=meta)
    model = tmp_path / "model"
    result = invoke("train", tmp_path / "train.parquet", "--model", "length", "--output", model,
                    "--validation", tmp_path / "later.parquet")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Training length on 12 normal sessions (4 validation sessions from" in result.output
    record = json.loads((model / "pipeline.json").read_text())["training"]
    assert record["validation_source"].endswith("later.parquet") and record["n_validation"] == 4
    threshold = json.loads((model / "threshold.json").read_text())
    assert threshold["source"].startswith("validation sessions of ")


def test_sessions_of_another_parse_run_are_refused_with_a_remedy_that_works(tmp_path):
    # a model trained on sessions holds no parser: `score --logs` is no way out for it
    ours = {TEMPLATE_SET_KEY: json.dumps(template_set({1: "A <*>", 2: "B"}, "logbert"))}
    theirs = {TEMPLATE_SET_KEY: json.dumps(template_set({1: "Other", 2: "B"}, "logbert"))}
    write_sessions([Session(f"t{i}", [1, 2], "normal") for i in range(12)],
                   tmp_path / "train.parquet", metadata=ours)  # fmt: skip
    write_sessions([Session("s", [1, 2], "normal")], tmp_path / "other.parquet", metadata=theirs)
    model = tmp_path / "model"
    result = invoke("train", tmp_path / "train.parquet", "--model", "length", "--output", model)
    assert result.exit_code == 0, result.output
    message = user_error(
        invoke("score", model, tmp_path / "other.parquet", "-o", tmp_path / "s.jsonl")
    )
    assert "parsed in another run than the model's training data" in message
    assert "--state FILE" in message and "--logs" not in message


def test_train_refuses_a_validation_file_it_cannot_use(tmp_path):
    ours = {TEMPLATE_SET_KEY: json.dumps(template_set({1: "A <*>", 2: "B"}, "logbert"))}
    theirs = {TEMPLATE_SET_KEY: json.dumps(template_set({1: "Other", 2: "B"}, "logbert"))}
    sessions = [Session(f"t{i}", [1, 2], "normal") for i in range(12)]
    write_sessions(sessions, tmp_path / "train.parquet", metadata=ours)
    write_sessions(sessions[:4], tmp_path / "same.parquet", metadata=ours)
    write_sessions([Session("v", [1, 2], "normal")], tmp_path / "other.parquet", metadata=theirs)
    base = ("train", tmp_path / "train.parquet", "--model", "length", "--output", tmp_path / "m")
    message = user_error(invoke(*base, "--validation", tmp_path / "other.parquet"))
    assert "was parsed in another run than the training sessions" in message
    message = user_error(invoke(*base, "--validation", tmp_path / "same.parquet"))
    assert "4 of its 4 sessions are also training sessions (e.g. t0)" in message
    message = user_error(invoke(*base, "--validation", tmp_path / "missing.parquet"))
    assert "sessions file not found" in message
    message = user_error(invoke(*base, "--logs", "--validation", tmp_path / "same.parquet"))
    assert "--validation takes a sessions file" in message


def test_score_notes_a_flagged_share_far_above_what_the_threshold_flags_on_normal_data(
    tmp_path,
):
    normal = [Session(f"n{i}", [1, 2, 3, 4] * (1 + i % 3), "normal") for i in range(60)]
    write_sessions(normal, tmp_path / "train.jsonl")
    model = tmp_path / "m"
    assert invoke("train", tmp_path / "train.jsonl", "-o", model, "--model", "iqr").exit_code == 0
    drifted = normal[:20] + [Session(f"d{i}", [7, 8, 9] * (2 + i), None) for i in range(20)]
    write_sessions(drifted, tmp_path / "later.jsonl")
    result = invoke("score", model, tmp_path / "later.jsonl", "-o", tmp_path / "s.jsonl")
    assert result.exit_code == 0, result.output
    assert "note: 20 of 40 sessions (50.0%) were flagged, where the threshold should flag" in (
        result.output
    )
    result = invoke("score", model, tmp_path / "train.jsonl", "-o", tmp_path / "t.jsonl")
    assert result.exit_code == 0 and "were flagged" not in result.output


def test_a_resumed_training_says_what_its_time_leaves_out(trained, tmp_path):
    """QA Infinispan: "Trained in 8.6s" after a resume, where five epochs of ~60 s came
    before: the time of the resumed part alone, unsaid."""
    root, _, _ = trained
    model = tmp_path / "model"
    args = ("train", root / "train.jsonl", "--output", model, "--config", root / "config.yaml")
    assert invoke(*args, "--epochs", 2).exit_code == 0
    result = invoke(*args, "--epochs", 3, "--resume")
    assert result.exit_code == 0, result.output
    assert "Resumed from step" in result.output
    closing = result.output.splitlines()[-1]
    assert re.match(
        r"Trained in [0-9.]+s \(this run; resumed: its 3 epochs took [0-9.]+s in all\)", closing
    )
    assert "s in all); logbert, threshold " in closing  # (QA Mumble: the detector named)
