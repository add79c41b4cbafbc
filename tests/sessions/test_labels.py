import pytest

from logbert.errors import LogbertError
from logbert.sessions.labels import event_label, read_labels


def test_read_loghub_anomaly_label_csv(tmp_path):
    path = tmp_path / "anomaly_label.csv"
    path.write_text("BlockId,Label\nblk_1,Normal\nblk_-2,Anomaly\n\nblk_3,\nblk_1,Normal\n")
    assert read_labels(path) == {"blk_1": "normal", "blk_-2": "anomaly"}


def test_other_id_column_names_and_column_order(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("label,session_id\n1,a\n0,b\n")
    assert read_labels(path) == {"a": "anomaly", "b": "normal"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Block,Label\nblk_1,Normal\n", "expected a CSV header 'BlockId,Label'.*found block,label"),
        ("BlockId,Status\nblk_1,Normal\n", "expected a CSV header"),
        ("", "found an empty file"),
        ("BlockId,Label\nblk_1\n", r"labels\.csv:2: expected 2 columns"),
        ("BlockId,Label\nblk_1,Odd\n", r"labels\.csv:2: unknown session label 'Odd'"),
        ("BlockId,Label\nblk_1,Normal\nblk_1,Anomaly\n", "labels.csv:3: blk_1 is labelled both"),
    ],
)
def test_bad_labels_files(tmp_path, content, message):
    path = tmp_path / "labels.csv"
    path.write_text(content)
    with pytest.raises(LogbertError, match=message):
        read_labels(path)


def test_missing_labels_file(tmp_path):
    with pytest.raises(LogbertError, match="labels file not found"):
        read_labels(tmp_path / "absent.csv")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-", "normal"),
        ("Normal", "normal"),
        ("KERNDTLB", "anomaly"),
        ("APPREAD", "anomaly"),
        ("1", "anomaly"),
        (None, None),
        ("", None),
    ],
)
def test_event_label(value, expected):
    assert event_label(value) == expected
