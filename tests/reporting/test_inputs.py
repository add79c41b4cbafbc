import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from logbert.errors import LogbertError
from logbert.reporting.inputs import load_evaluation, load_model_dir, load_scores


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


ROWS = [
    {"session_id": "a", "score": 0.5, "miss_ratio": 0.9, "label": "normal", "is_anomaly": False},
    {"session_id": "b", "score": 3.0, "miss_ratio": 0.1, "label": "Anomaly", "is_anomaly": True},
    {"session_id": "c", "score": None, "label": "normal", "is_anomaly": False},
    {"session_id": "d", "score": 2.0, "miss_ratio": 0.2, "label": None, "is_anomaly": True},
    {"session_id": "e", "score": 1.0, "miss_ratio": 0.3, "label": "1", "is_anomaly": False},
]


def test_jsonl_and_parquet_read_alike(tmp_path):
    jsonl = load_scores(write_jsonl(tmp_path / "s.jsonl", ROWS), top=2)
    pq.write_table(pa.Table.from_pylist(ROWS), tmp_path / "s.parquet")
    parquet = load_scores(tmp_path / "s.parquet", top=2)
    for table in (jsonl, parquet):
        assert table.scores.tolist() == [0.5, 3.0, 2.0, 1.0]
        assert table.labels.tolist() == [0, 1, -1, 1]
        assert table.labelled.tolist() == [True, True, False, True]
        assert table.verdicts.tolist() == [False, True, True, False]
        assert [r["session_id"] for r in table.top_rows] == ["b", "d"]
        assert (table.n_rows, table.n_unscored, table.n_unlabelled) == (5, 1, 1)


def test_threshold_column_is_used_when_present(tmp_path):
    path = write_jsonl(tmp_path / "s.jsonl", ROWS[:2])
    table = load_scores(path, column="miss_ratio")
    assert table.scores.tolist() == [0.9, 0.1] and table.has_deciding
    assert list(table.columns) == ["miss_ratio", "score"] and table.secondary == ["score"]
    assert [r["session_id"] for r in table.top_rows] == ["a", "b"]  # by miss_ratio


def test_absent_deciding_column_is_not_replaced_by_another(tmp_path):
    """A threshold on `max_surprise` must not be applied to the mean surprise `score`."""
    path = write_jsonl(tmp_path / "s.jsonl", ROWS)
    table = load_scores(path, column="max_surprise", top=2)
    assert table.column == "max_surprise" and not table.has_deciding
    assert table.scores.size == 0 and table.labels is None and table.verdicts.size == 0
    assert table.n_unscored == 0 and table.n_rows == 5
    # what can still be shown: every score column present, by name, all rows
    assert list(table.columns) == ["score", "miss_ratio"]
    np.testing.assert_array_equal(table.columns["score"], [0.5, 3.0, np.nan, 2.0, 1.0])
    np.testing.assert_array_equal(table.columns["miss_ratio"], [0.9, 0.1, np.nan, 0.2, 0.3])
    assert table.all_labels.tolist() == [0, 1, 0, -1, 1]
    # the top rows are ranked by a column that is named, never passed off as the deciding one
    assert table.ranked_by == "score"
    assert [r["session_id"] for r in table.top_rows] == ["b", "d"]


def test_score_columns_are_read_from_the_data(tmp_path):
    rows = [
        {"session_id": "a", "score": 1.0, "open": True, "is_anomaly": False, "note": "x"},
        {"session_id": "b", "score": 2.0, "tail_score": 5.0, "flag": True, "label": "normal"},
        {"session_id": "c", "score": 3.0, "tail_score": 4.0, "label": "anomaly"},
    ]
    path = write_jsonl(tmp_path / "s.jsonl", rows)
    table = load_scores(path, column="tail_score", declared=["score", "tail_score"])
    # declared order after the deciding score; strings, booleans and non-score fields are not
    # scores; a column that starts late is NaN before it
    assert list(table.columns) == ["tail_score", "score"]
    np.testing.assert_array_equal(table.columns["tail_score"], [np.nan, 5.0, 4.0])
    assert table.scores.tolist() == [5.0, 4.0] and table.n_unscored == 1
    assert table.labels.tolist() == [0, 1] and table.all_labels.tolist() == [-1, 0, 1]
    assert table.verdicts is None  # only row a has is_anomaly, and it has no tail_score
    assert [r["session_id"] for r in table.top_rows] == ["b", "c"]


def test_parquet_extra_score_columns_are_read(tmp_path):
    rows = [dict(r, max_surprise=float(i)) for i, r in enumerate(ROWS)]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "s.parquet")
    table = load_scores(tmp_path / "s.parquet", column="max_surprise", top=1)
    assert table.has_deciding and table.scores.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert table.secondary == ["score", "miss_ratio"]
    assert table.top_rows[0]["session_id"] == "e"


def test_model_declares_score_names(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text(json.dumps({"model": "ngram"}))
    assert load_model_dir(model).score_names == []
    names = {"model": "ngram", "score_names": ["score", 3, "max_surprise"]}
    (model / "config.json").write_text(json.dumps(names))
    assert load_model_dir(model).score_names == ["score", "max_surprise"]
    (model / "config.json").write_text(json.dumps({"model": "ngram", "score_names": "score"}))
    assert load_model_dir(model).score_names == []


def test_unlabelled_scores_have_no_labels(tmp_path):
    path = write_jsonl(tmp_path / "s.jsonl", [{"score": 1.0}, {"score": 2.0}])
    table = load_scores(path)
    assert table.labels is None and table.verdicts is None
    assert not table.labelled.any() and table.n_unlabelled == 0
    np.testing.assert_array_equal(table.scores, [1.0, 2.0])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"score": 1}\nnot json\n', "s.jsonl:2"),
        ('{"score": "x"}\n', "no session has a numeric score"),
        ('{"score": 1, "label": "weird"}\n', "row 1"),
        ("[1, 2]\n", "expected a JSON object"),
    ],
)
def test_bad_scores_files_give_clear_errors(tmp_path, content, message):
    path = tmp_path / "s.jsonl"
    path.write_text(content)
    with pytest.raises(LogbertError, match=message):
        load_scores(path)


def test_missing_and_corrupt_files(tmp_path):
    with pytest.raises(LogbertError, match="model directory not found"):
        load_model_dir(tmp_path / "nope")
    with pytest.raises(LogbertError, match="scores file not found"):
        load_scores(tmp_path / "nope.jsonl")
    with pytest.raises(LogbertError, match="not a readable parquet"):
        (tmp_path / "bad.parquet").write_text("x")
        load_scores(tmp_path / "bad.parquet")
    with pytest.raises(LogbertError, match="file not found"):
        load_evaluation(tmp_path / "nope.json")
    (tmp_path / "bad.json").write_bytes(b"\xff")
    with pytest.raises(LogbertError, match=r"bad.json is corrupt \(not UTF-8.*logbert evaluate"):
        load_evaluation(tmp_path / "bad.json")
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text(json.dumps({"model": "ngram"}))
    info = load_model_dir(model)
    assert (info.history, info.threshold, info.pipeline) == (None, None, None)
    (model / "config.json").write_text("{oops")
    with pytest.raises(LogbertError, match=r"config.json is corrupt \(not valid JSON"):
        load_model_dir(model)


def test_a_folder_without_config_json_is_not_a_model_directory(tmp_path):
    (tmp_path / "sessions.jsonl").write_text("")
    with pytest.raises(LogbertError, match="is not a model directory .config.json is missing"):
        load_model_dir(tmp_path)
    with pytest.raises(LogbertError, match="is a file, not a model directory"):
        load_model_dir(tmp_path / "sessions.jsonl")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("config.json", b"garbage\x00\xff{", r"config.json is corrupt \(not UTF-8"),
        ("config.json", b'{"model": "bogus"}', "config.json: unknown model 'bogus'"),
        ("config.json", b'{"model": 3}', "config.json does not name its model"),
        ("config.json", b'{"model": "ngram", "params": [1]}', "'params' is a list"),
        ("threshold.json", b'{"value": "abc", "rule": "max"}', "must be a finite number"),
        ("threshold.json", b'{"value": 1e999, "rule": "max"}', "found inf"),
        ("threshold.json", b"garbage\x00\xff{", r"threshold.json is corrupt \(not UTF-8"),
        ("history.json", b"garbage\x00\xff{", r"history.json is corrupt \(not UTF-8"),
        ("pipeline.json", b"[1, 2]", "expected a JSON object, found list"),
    ],
)
def test_broken_model_files_are_refused_as_scoring_refuses_them(tmp_path, name, content, message):
    """A report on a model `score` would refuse is refused with the same words (exit 2)."""
    (tmp_path / "config.json").write_text(json.dumps({"model": "ngram"}))
    (tmp_path / name).write_bytes(content)
    with pytest.raises(LogbertError, match=message):
        load_model_dir(tmp_path)
