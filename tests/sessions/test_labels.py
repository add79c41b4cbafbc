import re

import pytest

from logbert.errors import LogbertError
from logbert.sessions.labels import (
    event_label,
    mostly_unlabelled_warning,
    read_labels,
    read_labels_with_columns,
)


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
        # more than two columns: the id and label columns must be named
        ("Block,Label,Note\nblk_1,Normal,x\n", "expected a CSV header.*found Block,Label,Note"),
        ("BlockId,Status,Note\nblk_1,Normal,x\n", "expected a CSV header"),
        ("BlockId\nblk_1\n", "expected a CSV header"),
        ("blk_1,Normal\nblk_2,Anomaly\n", "looks like data, not a header"),
        ("", "found an empty file"),
        ("BlockId,Label\nblk_1\n", r"labels\.csv:2: expected 2 columns"),
        ("BlockId,Label\nblk_1,Anomally\n", r"labels\.csv:2: unknown session label 'Anomally'"),
        ("BlockId,Label\nblk_1,Normal\nblk_1,Anomaly\n", "labels.csv:3: blk_1 is labelled both"),
    ],
)
def test_bad_labels_files(tmp_path, content, message):
    path = tmp_path / "labels.csv"
    path.write_text(content)
    with pytest.raises(LogbertError, match=message):
        read_labels(path)


@pytest.mark.parametrize(
    ("header", "id_column", "label_column"),
    [
        ("InstanceId,Label", "InstanceId", "Label"),
        ("BlockId,Label", "BlockId", "Label"),
        ("id,label", "id", "label"),
        ("foo,bar", "foo", "bar"),  # no column named label: the second one is
        ("LABEL,node", "node", "LABEL"),  # a column named label wins, wherever it is
        ("Block,Label", "Block", "Label"),
        ("BlockId,Status", "BlockId", "Status"),
    ],
)
def test_any_two_column_csv_with_a_header(tmp_path, header, id_column, label_column):
    path = tmp_path / "labels.csv"
    first, second = ("Anomaly", "x1") if header.lower().startswith("label") else ("x1", "Anomaly")
    rows = f"{first},{second}\n" + ("Normal,x2\n" if first == "Anomaly" else "x2,Normal\n")
    path.write_text(f"{header}\n{rows}")
    labels, id_name, label_name = read_labels_with_columns(path)
    assert labels == {"x1": "anomaly", "x2": "normal"}
    assert (id_name, label_name) == (id_column, label_column)
    assert read_labels(path) == labels


def test_wide_csv_needs_named_id_and_label_columns(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("Node,InstanceId,Label\nn1,i1,Normal\nn1,i2,Anomaly\n")
    assert read_labels_with_columns(path) == (
        {"i1": "normal", "i2": "anomaly"},
        "InstanceId",
        "Label",
    )


def test_byte_order_mark_is_not_part_of_the_header(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_bytes("\ufeffBlockId,Label\nblk_1,Normal\n".encode())
    assert read_labels_with_columns(path) == ({"blk_1": "normal"}, "BlockId", "Label")


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


def test_a_labels_file_that_names_no_session_is_refused_naming_both_sides(tmp_path):
    """0 of the ids matched, and sessionize/train went on with every session
    unlabelled; the error names the file, its number of ids and an id of each side."""
    import pyarrow as pa

    from logbert.sessions.id_sessions import IdSessionizer

    path = tmp_path / "labels.csv"
    path.write_text("BlockId,Label\nblkX_1,Anomaly\nblkX_2,Normal\n")
    events = pa.table({"content": ["blk_1 a", "blk_2 b"], "template_id": [1, 2]})
    sessionizer = IdSessionizer(r"blk_\d+", read_labels(path))
    sessionizer.push(events)
    with pytest.raises(LogbertError) as caught:
        sessionizer.flush()
    message = str(caught.value)
    assert message.startswith(f"{path}: none of its 2 ids names a session")
    assert "'blkX_1'" in message and "'blk_1'" in message
    partly = IdSessionizer(r"blk_\d+", {"blk_1": "anomaly", "blkX_2": "normal"})
    partly.push(events)
    assert [s.label for s in partly.flush()] == ["anomaly", None]  # one match: no error


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("BlockId,Label\n", "hdr.csv holds no ids (only a header): every session would stay"),
        ("BlockId,Label\n\n", "hdr.csv holds no ids (only a header)"),
        ("BlockId,Label\nblk_1,\nblk_2, \n", "hdr.csv holds no labels (every Label cell is empty)"),
    ],
)
def test_a_labels_file_without_labels_is_refused(tmp_path, content, message):
    """It was read as 0 ids, and `train --labels` then trained on the anomalies."""
    path = tmp_path / "hdr.csv"
    path.write_text(content)
    with pytest.raises(LogbertError, match=re.escape(str(tmp_path / message))):
        read_labels(path)


@pytest.mark.parametrize(
    ("normal", "anomaly"),
    [("benign", "attack"), ("OK", "FAIL"), ("negative", "positive"), ("Normal", "Anomaly")],
)
def test_common_binary_spellings(tmp_path, normal, anomaly):
    path = tmp_path / "labels.csv"
    path.write_text(f"BlockId,Label\nblk_1,{normal}\nblk_2,{anomaly}\n")
    assert read_labels(path) == {"blk_1": "normal", "blk_2": "anomaly"}
    assert event_label(normal) == "normal" and event_label(anomaly) == "anomaly"


def test_two_values_none_of_them_normal_are_refused_listing_them(tmp_path):
    """yes/no was read as two anomaly categories: every session anomalous, without a word."""
    path = tmp_path / "yesno.csv"
    path.write_text("BlockId,Label\nblk_1,no\nblk_2,yes\nblk_3,no\n")
    with pytest.raises(LogbertError) as caught:
        read_labels(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: column Label holds only the values no, yes, and neither")
    assert "normal (or 0, false, -, benign, ok, negative) / anomaly (or abnormal" in message


def test_multi_class_labels_still_work(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("node,label\nn1,-\nn2,KERNDTLB\nn3,APPSEV\n")
    assert read_labels(path) == {"n1": "normal", "n2": "KERNDTLB", "n3": "APPSEV"}
    path.write_text("node,label\nn1,KERNDTLB\nn2,KERNDTLB\n")  # one name only: not refused
    assert read_labels(path) == {"n1": "KERNDTLB", "n2": "KERNDTLB"}


def test_most_sessions_unlabelled_is_a_warning_naming_an_id_of_each_side(tmp_path):
    path = tmp_path / "half.csv"
    path.write_text("session_id,label\nreq-000001,normal\nreq-000002,anomaly\n")
    labels = read_labels(path)
    warning = mostly_unlabelled_warning(labels, 3, 5, "req-000003:", "they are trained as normal")
    assert warning == (
        f"warning: 3 of 5 sessions (60%) have no label in {path} (e.g. session 'req-000003:'; "
        "the file has ids such as 'req-000001'): they are trained as normal; check that the "
        "labels cover these logs and that their ids are the session ids exactly as --by-id or "
        "--by-field extracts them"
    )
    assert mostly_unlabelled_warning(labels, 2, 4, "req-000003", "x") is None  # half: fine
    assert mostly_unlabelled_warning(None, 5, 5, "req-000003", "x") is None  # no labels given
