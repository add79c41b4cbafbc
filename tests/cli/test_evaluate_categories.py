"""train -> score -> evaluate -> report with a category target, through the CLI on tiny files."""

from __future__ import annotations

import json
import shutil

import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from logbert.cli.main import app
from logbert.errors import LogbertError
from logbert.sessions.io import Session, write_sessions

runner = CliRunner()


def invoke(*args) -> object:
    return runner.invoke(app, [str(a) for a in args])


def user_error(result) -> str:
    assert isinstance(result.exception, LogbertError), result.output
    return str(result.exception)


def sessions(n: int, offset: int = 0) -> list[Session]:
    kinds = [
        ([1, 2, 3, 4], []),
        ([1, 6, 6, 2], ["A"]),
        ([1, 7, 7, 3], ["B"]),
        ([1, 6, 7, 6], ["A", "B"]),
    ]
    out = []
    for i in range(n):
        keys, cats = kinds[i % 4] if i % 3 else kinds[0]
        out.append(Session(f"s{offset + i}", keys + [5] * (i % 2), None, categories=cats))
    for s in out:
        s.label = "anomaly" if s.categories else "normal"
    return out


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("categories")
    write_sessions(sessions(120), root / "train.jsonl")
    test = sessions(40, offset=1000) + [Session("new", [1, 6, 6], "anomaly", categories=["C"])]
    write_sessions(test, root / "test.parquet")
    (root / "config.yaml").write_text(yaml.safe_dump({"target": "multilabel"}))
    model = root / "model"
    result = invoke(
        "train", root / "train.jsonl", "-o", model, "--model", "random-forest",
        "--config", root / "config.yaml",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return root, model


def test_evaluate_writes_and_prints_category_metrics(trained):
    root, model = trained
    out = root / "eval.json"
    result = invoke("evaluate", model, root / "test.parquet", "-o", out)
    assert result.exit_code == 0, result.output
    metrics = json.loads(out.read_text())
    assert metrics["f1"] == 1.0  # the binary figures stay where they were
    category = metrics["categories"]
    assert category["target"] == "multilabel" and category["classes"] == ["A", "B", "C"]
    assert category["unseen_in_training"] == {"n_sessions": 1, "categories": {"C": 1}}
    # the unseen-category session [1, 6, 6] looks like A: a false A, a missed C
    assert (
        category["per_class"]["A"]["recall"] == 1.0 and category["per_class"]["A"]["precision"] < 1
    )
    assert category["per_class"]["C"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert category["exact_match_ratio"] == pytest.approx(40 / 41)
    assert set(category["confusion_matrix"]) == {"A", "B", "C"}
    assert category["validation_loss"] is None
    for text in ("macro F1", "micro F1", "exact-match ratio", "partial score", "Per class"):
        assert text in result.output
    assert "|predicted ∩ true| / |predicted ∪ true|" in " ".join(result.output.split())
    assert "1 sessions hold categories never seen in training (C: 1)" in result.output


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_scores_files_carry_categories_and_evaluate_reads_them(trained, suffix):
    root, model = trained
    scores = root / f"scores{suffix}"
    assert invoke("score", model, root / "test.parquet", "-o", scores).exit_code == 0
    if suffix == ".parquet":
        assert {"categories", "labels"} <= set(pq.read_schema(scores).names)
        rows = pq.read_table(scores).to_pylist()
    else:
        rows = [json.loads(line) for line in scores.read_text().splitlines()]
    row = next(r for r in rows if r["session_id"] == "s1001")
    assert (row["categories"], row["labels"], row["is_anomaly"]) == (["A"], ["A"], True)
    out = root / f"eval{suffix}.json"
    result = invoke("evaluate", model, root / "test.parquet", "--scores", scores, "-o", out)
    assert result.exit_code == 0, result.output
    direct = root / "direct.json"
    assert invoke("evaluate", model, root / "test.parquet", "-o", direct).exit_code == 0
    assert json.loads(out.read_text())["categories"] == json.loads(direct.read_text())["categories"]


def test_the_report_shows_the_category_metrics(trained):
    root, model = trained
    out = root / "eval_report.json"
    assert invoke("evaluate", model, root / "test.parquet", "-o", out).exit_code == 0
    report = root / "report.html"
    result = invoke("report", model, "--evaluation", out, "-o", report)
    assert result.exit_code == 0, result.output
    html = report.read_text()
    assert "Categories</h2>" in html and "partial score" in html
    assert "Categories never seen in training: C (1)." in html


def test_binary_models_keep_todays_outputs(tmp_path):
    write_sessions(sessions(60), tmp_path / "train.jsonl")
    model = tmp_path / "model"
    assert invoke("train", tmp_path / "train.jsonl", "-o", model, "--model", "knn").exit_code == 0
    scores = tmp_path / "scores.parquet"
    assert invoke("score", model, tmp_path / "train.jsonl", "-o", scores).exit_code == 0
    assert "categories" not in set(pq.read_schema(scores).names)  # no predicted categories
    kinds = {tuple(k) for k in pq.read_table(scores)["labels"].to_pylist() if k}
    assert kinds and all(set(k) - {"anomaly"} for k in kinds)  # the true kind (QA: lost)
    out = tmp_path / "eval.json"
    assert invoke("evaluate", model, tmp_path / "train.jsonl", "-o", out).exit_code == 0
    evaluation = json.loads(out.read_text())
    assert "categories" not in evaluation and evaluation["recall_by_category"]
    from_scores = tmp_path / "eval_scores.json"
    assert invoke("evaluate", model, tmp_path / "train.jsonl", "--scores", scores, "-o",
                  from_scores).exit_code == 0  # fmt: skip
    again = json.loads(from_scores.read_text())["recall_by_category"]
    assert again == evaluation["recall_by_category"]


def test_multiclass_target_with_multi_label_sessions_is_a_clear_error(trained, tmp_path):
    root, _ = trained
    (tmp_path / "config.yaml").write_text(yaml.safe_dump({"target": "multiclass"}))
    result = invoke(
        "train", root / "train.jsonl", "-o", tmp_path / "m", "--model", "decision-tree",
        "--config", tmp_path / "config.yaml",
    )  # fmt: skip
    assert result.exit_code != 0
    assert "has 2 categories (A, B): a multiclass target takes one" in user_error(result)
    assert "target='multilabel'" in user_error(result)


def test_a_labels_list_of_an_unknown_shape_fails_naming_the_session(tmp_path):
    path = tmp_path / "bad.jsonl"
    rows = [{"session_id": "ok", "keys": [1], "labels": []}]
    rows.append({"session_id": "w9", "keys": [2], "labels": {"A": 1}})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = invoke("train", path, "-o", tmp_path / "m", "--model", "knn")
    assert result.exit_code != 0
    assert "bad.jsonl:2: 'labels' must be a list" in user_error(result)
    assert "session 'w9'" in user_error(result)


def test_calibrate_says_the_category_thresholds_stay(trained, tmp_path):
    root, model = trained
    copy = tmp_path / "model"
    shutil.copytree(model, copy)
    result = invoke("calibrate", copy, root / "test.parquet")
    assert result.exit_code == 0, result.output
    assert "the 2 per-category thresholds stay as training set them" in result.output
