import os
import re
import threading

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


def test_wide_csv_takes_the_one_column_named_like_an_id(tmp_path):
    """QA: `ContainerId,kind,Label` was refused with a message naming HDFS's BlockId."""
    path = tmp_path / "labels.csv"
    path.write_text("ContainerId,kind,Label\nc_1,normal,Normal\nc_2,oom,Anomaly\n")
    assert read_labels_with_columns(path) == ({"c_1": "normal", "c_2": "anomaly"},
                                              "ContainerId", "Label")  # fmt: skip
    path.write_text("ContainerId,TraceId,Label\nc_1,t_1,Normal\n")  # two: which one?
    with pytest.raises(LogbertError, match="the one column whose name ends in 'id'"):
        read_labels_with_columns(path)


def test_a_wide_csv_s_window_column_is_a_time_windows_id(tmp_path):
    """QA Flink: `window,label,type` was refused, and told to name the column `BlockId`."""
    path = tmp_path / "labels.csv"
    path.write_text("window,label,type\n2025-11-30T08:12:00,anomaly,checkpoint_timeout\n")
    assert read_labels_with_columns(path) == (
        {"2025-11-30T08:12:00": "anomaly"}, "window", "label"
    )  # fmt: skip


def test_byte_order_mark_is_not_part_of_the_header(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_bytes("\ufeffBlockId,Label\nblk_1,Normal\n".encode())
    assert read_labels_with_columns(path) == ({"blk_1": "normal"}, "BlockId", "Label")


def test_missing_labels_file_and_a_pipe(tmp_path):
    """QA GCP: `--labels <(...)` (a pipe, /dev/fd/63) was "not found"."""
    with pytest.raises(LogbertError, match="labels file not found"):
        read_labels(tmp_path / "absent.csv")
    with pytest.raises(LogbertError, match="labels file a folder, not a file"):
        read_labels(tmp_path)
    os.mkfifo(tmp_path / "pipe")
    writer = threading.Thread(
        target=lambda: (tmp_path / "pipe").write_text("id,label\nreq-1,anomaly\n")
    )
    writer.start()
    assert read_labels(tmp_path / "pipe") == {"req-1": "anomaly"}
    writer.join()


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
        ("BlockId,Label\nblk_1,\nblk_2, \n", "hdr.csv holds no labels (every Label cell is empty"),
        ("BlockId,Label\nblk_1,unknown\n", "hdr.csv holds no labels (every Label cell is empty or"),
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


@pytest.mark.parametrize(
    ("cells", "values", "advice"),
    [  # yes/no was read as two anomaly categories: every session anomalous, without a word
        (("no", "yes", "no"), "no, yes", "normal (or 0, false, -, benign, ok, negative) / anomaly"),
        # the message said `-1, anomaly`: the map's values, not the file's
        (("1", "-1", "1"), "-1, 1", "scikit-learn writes -1 for outliers and 1 for inliers"),
    ],
)
def test_two_values_none_of_them_normal_are_refused_quoting_the_files_values(
    tmp_path, cells, values, advice
):
    path = tmp_path / "two.csv"
    message = _refusal(path, "Id,Label\n" + "".join(f"s{i},{c}\n" for i, c in enumerate(cells)))
    assert message.startswith(f"{path}: column Label holds only the values {values}, and neither")
    assert advice in message


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
        "labels cover these logs and that their ids are the session ids exactly as sessionize "
        "writes them (the value --by-id or --by-field extracts; a time window's start, "
        "2026-11-05T03:10:00, after the field's value and @ with --by-field, and so a run's "
        "start with --by-field and --idle-timeout, whose value alone labels all its runs)"
    )
    # half is warned too (QA: every other id upper-cased, 58 anomalies trained as normal)
    assert mostly_unlabelled_warning(labels, 2, 4, "req-000003", "x") is not None
    assert mostly_unlabelled_warning(labels, 1, 4, "req-000003", "x") is None
    assert mostly_unlabelled_warning(None, 5, 5, "req-000003", "x") is None  # no labels given


def _sessionized(labels: dict[str, str], contents: list[str], pattern: str = r"blk_\d+"):
    """The sessions of `contents` by id labelled from `labels`, and the stats."""
    import pyarrow as pa

    from logbert.sessions.id_sessions import IdSessionizer

    events = pa.table({"content": contents, "template_id": list(range(len(contents)))})
    sessionizer = IdSessionizer(pattern, labels)
    sessionizer.push(events)
    return sessionizer.flush(), sessionizer.stats


def test_a_labels_file_of_line_numbers_is_a_warning_saying_labels_label_sessions(tmp_path):
    """Per-line labels (LineId,Label) on integer session ids: the few ids that matched did so
    by chance, and the figures came out with no word (F1 0.04, exit 0)."""
    path = tmp_path / "perline.csv"
    path.write_text("LineId,Label\n1,Normal\n2,Anomaly\n3,Normal\n4,Normal\n5,Normal\n")
    _, stats = _sessionized(read_labels(path), ["order=2 a", "order=9 b"], r"order=(\d+)")
    warnings = stats.warnings(r"order=(\d+)")
    assert any(
        w.startswith(
            f"warning: 4 of the 5 ids in {path} (80%) name no session (e.g. '1'; the sessions "
            "have ids such as '2'); its id column 'LineId' seems to number lines, but a labels "
            "file labels sessions"
        )
        for w in warnings
    ), warnings


def test_a_labels_file_of_line_numbers_naming_no_session_says_labels_label_sessions(tmp_path):
    """QA Thunderbird: `LineId,Label` naming no session was refused with "check the file's id
    column" only, where the warning for a few matches says how to label lines."""
    path = tmp_path / "perline.csv"
    path.write_text("LineId,Label\n1,Normal\n2,Anomaly\n")
    with pytest.raises(LogbertError) as caught:
        _sessionized(read_labels(path), ["order=7 a", "order=9 b"], r"order=(\d+)")
    assert str(caught.value).endswith(  # its own sentence, not spliced into the advice (QA)
        "check the file's id column ('LineId') (or the --by-id regex) and that the labels "
        "belong to these logs. Its id column 'LineId' seems to number lines, but a labels file "
        "labels sessions, not lines: for labels per line, give the log format a <Label> field "
        "and leave out --labels"
    )


def test_most_ids_naming_no_session_is_a_warning_naming_an_id_of_each_side(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("BlockId,Label\nblk_1,Normal\nblkX_2,Normal\nblkX_3,Normal\n")
    _, stats = _sessionized(read_labels(path), ["blk_1 a"])
    assert stats.labels_warning is None  # every session labelled: the file covers more logs
    _, stats = _sessionized(read_labels(path), ["blk_1 a", "blk_2 b"])  # blk_2 spelt blkX_2
    assert stats.labels_warning.startswith(
        f"warning: 2 of the 3 ids in {path} (67%) name no session (e.g. 'blkX_2'; the "
        "sessions have ids such as 'blk_1'): where such a session"
    )
    path.write_text("BlockId,Label\nblk_1,Normal\nblk_2,Normal\nblkX_3,Normal\n")
    _, stats = _sessionized(read_labels(path), ["blk_1 a", "blk_2 b"])
    assert stats.labels_warning is None  # a third of normal ids: other logs' ids, say
    assert stats.n_labels_unused == 1


def test_anomaly_ids_joining_far_less_than_normal_ones_are_a_warning(tmp_path):
    """The anomaly ids were spelt otherwise (upper-cased): they named no session, those
    anomalies were trained as normal, and only the summary's count said anything. A file
    labelling a whole log, given with part of it, leaves out both kinds alike: no warning."""
    path = tmp_path / "upper.csv"
    rows = "".join(f"blk_{i},Normal\n" for i in range(1, 9)) + "BLK_9,Anomaly\nBLK_10,Anomaly\n"
    path.write_text("BlockId,Label\n" + rows)
    contents = [f"blk_{i} x" for i in range(1, 11)]
    sessions, stats = _sessionized(read_labels(path), contents)
    assert [s.label for s in sessions][-2:] == [None, None]
    warning = stats.labels_warning
    assert warning.startswith(
        f"warning: 2 of the 2 ids {path} labels anomalous name no session (e.g. 'BLK_9'; the "
        "sessions have ids such as 'blk_1'): where such a session is in these logs under an "
        "id spelt otherwise, it stays unlabelled (training reads it as normal; evaluation "
        "cannot judge it)"
    )
    assert warning in stats.warnings(r"blk_\d+")
    whole = tmp_path / "whole.csv"  # the log's first half: half of each kind is elsewhere
    whole.write_text("BlockId,Label\n" + "".join(
        f"blk_{i},{'Anomaly' if i % 5 == 0 else 'Normal'}\n" for i in range(1, 21)))  # fmt: skip
    _, stats = _sessionized(read_labels(whole), [f"blk_{i} x" for i in range(1, 11)])
    assert stats.n_labels_unused == 10 and stats.labels_warning is None


@pytest.mark.parametrize(
    "spelling", ["unknown", "Unknown", "N/A", "n/a", "#N/A", "NA", "?", "TBD", "none"]
)
def test_no_label_spellings_leave_the_session_unlabelled(tmp_path, spelling):
    """30 normal orders labelled `unknown` became an anomaly category `unknown`."""
    path = tmp_path / "labels.csv"
    path.write_text(f"OrderId,Label\nORD-1,Normal\nORD-2,{spelling}\nORD-3,Anomaly\n")
    assert read_labels(path) == {"ORD-1": "normal", "ORD-3": "anomaly"}
    assert event_label(spelling) is None


@pytest.mark.parametrize(
    ("header", "rows", "columns"),
    [
        ("session_id,anomaly", "ORD-1,0\nORD-2,1\n", ("session_id", "anomaly")),
        ("OrderId,Anomalous", "ORD-1,false\nORD-2,true\n", ("OrderId", "Anomalous")),
        ("is_anomaly,session_id", "0,ORD-1\n1,ORD-2\n", ("session_id", "is_anomaly")),
        ("anomaly,OrderId", "0,ORD-1\n1,ORD-2\n", ("OrderId", "anomaly")),
    ],
)
def test_a_label_column_named_anomaly_is_the_label_column_of_a_header(
    tmp_path, header, rows, columns
):
    """`session_id,anomaly` was refused as data (`anomaly` is a label spelling), and
    `is_anomaly,session_id` had its columns swapped: `0 is labelled both ways`."""
    path = tmp_path / "labels.csv"
    path.write_text(f"{header}\n{rows}")
    assert read_labels_with_columns(path) == ({"ORD-1": "normal", "ORD-2": "anomaly"}, *columns)
    path.write_text("Node,IsAnomaly,id\nx,0,ORD-1\ny,1,ORD-2\n")  # wider: by name too
    assert read_labels_with_columns(path)[1:] == ("id", "IsAnomaly")


@pytest.mark.parametrize(
    "content",
    [
        "ORD-000751,0\nORD-000752,0\nORD-000753,1\n",
        "ORD-000751,Normal\nORD-000752,Anomaly\n",
        "anomaly,blk_1\nnormal,blk_2\n",
        "blk_1,anomaly\n",  # no row below: the label spelling decides
        "req_0,TIMEOUT\nreq_1,DBERROR\nreq_2,normal\n",  # QA: a category name, no header
    ],
)
def test_a_first_row_like_the_rows_below_is_still_data(tmp_path, content):
    path = tmp_path / "labels.csv"
    path.write_text(content)
    with pytest.raises(LogbertError, match="looks like data, not a header"):
        read_labels(path)


def test_a_first_row_of_random_hex_ids_like_the_rows_below_is_still_data(tmp_path):
    """QA: a headerless file of UUIDs and category names lost its first row, taken for the
    header ("id column '0ce25ad1-0104-...', label column 'failed'"): hex ids mix letter and
    digit runs at random, so no two had one shape."""
    path = tmp_path / "labels.csv"
    path.write_text(
        "0ce25ad1-0104-49da-9898-a750c0859c52,failed\n"
        "7b9573c3-8788-486c-b3b3-3d3f011b5bd5,slow\n"
        "e1f0a2b4-93cd-4e7f-8a10-5b6c7d8e9f01,normal\n"
    )
    with pytest.raises(LogbertError, match="first row 0ce25ad1-0104-49da-9898-a750c0859c52,"
                                           "failed looks like data"):  # fmt: skip
        read_labels(path)
    path.write_text(  # a header over such ids is still one
        "RequestId,Outcome\n7b9573c3-8788-486c-b3b3-3d3f011b5bd5,slow\n"
        "e1f0a2b4-93cd-4e7f-8a10-5b6c7d8e9f01,normal\n"
    )
    assert read_labels_with_columns(path)[1:] == ("RequestId", "Outcome")


def test_errors_about_rows_name_the_id_and_label_columns(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("Label,OrderId\nNormal,ORD-1\nAnomaly,ORD-1\n")
    with pytest.raises(LogbertError) as caught:
        read_labels(path)
    assert str(caught.value) == (
        f"{path}:3: ORD-1 is labelled both ways (id column 'OrderId', label column 'Label')"
    )
    path.write_text("OrderId,Label\nORD-1,Anomally\n")
    with pytest.raises(LogbertError, match=r"'Anomally'.*\(id column 'OrderId', label column"):
        read_labels(path)


@pytest.mark.parametrize(
    "name", ["is_normal", "normal", "IsNormal", "benign", "is_ok", "success", "healthy", "passed"]
)
def test_a_normal_named_column_of_0_1_is_refused(tmp_path, name):
    """`is_normal` (1 = normal) was read with 1 as anomalous: 702 of 750 sessions anomalous."""
    path = tmp_path / "labels.csv"
    assert _refusal(path, f"session_id,{name}\nORD-1,1\nORD-2,0\nORD-3,1\n") == (
        f"{path}: column {name} holds 0, 1: its name says 1 (true) means normal, but logbert "
        "reads 1 (true) as anomalous, so the labels would be inverted; write the labels as "
        "normal/anomaly, or name the column Label with 1 = anomaly"
    )
    path.write_text(f"session_id,{name}\nORD-1,normal\nORD-2,anomaly\n")  # words say it
    assert read_labels(path) == {"ORD-1": "normal", "ORD-2": "anomaly"}


def test_mostly_anomalous_labels_are_a_warning(tmp_path):
    """QA: a column of 1 = success (a name not known to mean normal) made 83% of the sessions
    anomalous, trained and evaluated with no word."""
    from logbert.sessions.labels import mostly_anomalous_warning

    path = tmp_path / "labels.csv"
    path.write_text("id,ok_flag\n" + "".join(f"r{i},{int(i % 6 != 0)}\n" for i in range(12)))
    labels, _, column = read_labels_with_columns(path)
    assert mostly_anomalous_warning(labels, column) == (
        f"warning: 10 of the 12 ids of {path} (83%) are labelled anomalous, though anomalies "
        "are usually the rare class: check that column 'ok_flag' does not mean normal by 1 "
        "(true, yes); logbert reads 1 (true) as an anomaly"
    )
    path.write_text("id,label\n" + "".join(f"r{i},{int(i % 6 == 0)}\n" for i in range(12)))
    assert mostly_anomalous_warning(*read_labels_with_columns(path)[::2]) is None
    # QA (dmesg fleet): a file of the anomalies alone was told to check for 1 = normal
    path.write_text("boot,label\n" + "".join(f"b{i},anomaly\n" for i in range(12)))
    assert mostly_anomalous_warning(*read_labels_with_columns(path)[::2]) == (
        f"warning: all 12 ids of {path} are labelled anomalous: a file that lists only the "
        "anomalies labels no session normal, and sessions it does not name are unlabelled, "
        "not normal; list every session with its label (normal or anomaly)"
    )
    # QA CUPS: `job,kind` with the kind of normal jobs left empty is no anomalies-only file
    kinds = "".join(f"j{i},{'crash' if i < 12 else ''}\n" for i in range(40))
    path.write_text("job,kind\n" + kinds)
    assert mostly_anomalous_warning(*read_labels_with_columns(path)[::2]) == (
        f"warning: all 12 labelled ids of {path} are anomalous, and 28 more rows have an empty "
        "label, which is no label: those sessions are unlabelled, not normal; write normal "
        "(or 0) in their label cells"
    )


@pytest.mark.parametrize(("separator", "named"), [(";", "';'"), ("\t", "a tab")])
def test_a_labels_file_not_separated_by_commas_says_so(tmp_path, separator, named):
    path = tmp_path / "labels.csv"
    assert _refusal(path, f"OrderId{separator}Label\nORD-1{separator}Normal\n") == (
        f"{path}: the header {f'OrderId{separator}Label'!r} is separated by {named}, but the "
        "separator of a labels file must be a comma ('OrderId,Label'): save it as CSV with "
        "commas"
    )


def _refusal(path, text: str) -> str:
    """The message `read_labels` refuses `text`, written to `path`, with."""
    path.write_text(text)
    with pytest.raises(LogbertError) as caught:
        read_labels(path)
    return str(caught.value)


def test_ids_that_match_apart_from_case_are_named_so():
    """QA: labels with upper-case uuids named no session; the message did not say why."""
    from logbert.sessions.labels import require_some_match

    labels = {"83844B40-AA": "anomaly", "FF6CDBF3-BB": "normal"}
    with pytest.raises(LogbertError, match="the ids match apart from case"):
        require_some_match(labels, 2, "ff6cdbf3-bb", ["ff6cdbf3-bb", "0000"])
    with pytest.raises(LogbertError) as other:
        require_some_match(labels, 2, "zz", ["zz"])
    assert "apart from case" not in str(other.value)


def test_ids_that_are_part_of_the_sessions_ids_are_named_so():
    """QA OpenPBS: bare job numbers (`52300`) for the sessions' `52300.pbs01`; the message showed
    `52300` beside the session `Log`, and nothing said they matched in part."""
    from logbert.sessions.labels import require_some_match

    sessions = ["Log", "52299.pbs01", "52300.pbs01"]
    with pytest.raises(LogbertError, match="e.g. the file's '52300' and the session '52300.pbs01'"):
        require_some_match({"52300": "normal", "52301": "anomaly"}, 2, "Log", sessions)
    with pytest.raises(LogbertError, match="the session '52300'"):  # and the other way round
        require_some_match({"52300.pbs01": "normal"}, 1, "52300", ["52300", "77"])
    with pytest.raises(LogbertError) as other:
        require_some_match({"99": "normal"}, 1, "Log", sessions)
    assert "match in part" not in str(other.value)
    # windows of another day share parts, not ids (QA Graylog: "they match in part")
    with pytest.raises(LogbertError) as other:
        require_some_match({"2026-12-04T10:00:00": "normal"}, 1, "2026-12-05T10:00:00",
                           ["2026-12-05T10:00:00", "2026-12-05T10:05:00"])  # fmt: skip
    assert "match in part" not in str(other.value)


def test_window_ids_written_as_utc_another_way_name_the_windows(tmp_path):
    """QA PgBouncer: window labels `2026-12-01T07:55:00Z` (or with a space, or without
    seconds) named no session; windows are UTC already, so they are the same windows."""
    path = tmp_path / "labels.csv"
    path.write_text(
        "window,label\n2026-12-01T07:55:00Z,anomaly\n2026-12-01 08:00,normal\n"
        "web01@2026-12-01T08:05:00+00:00,normal\nblk_7,anomaly\n2026-12-01T09:10:00+01:00,normal\n"
    )
    assert read_labels(path) == {
        "2026-12-01T07:55:00": "anomaly",
        "2026-12-01T08:00:00": "normal",
        "web01@2026-12-01T08:05:00": "normal",
        "blk_7": "anomaly",
        "2026-12-01T08:10:00": "normal",  # QA OpenVPN, Ceph: a local time with its offset
    }


@pytest.mark.parametrize(
    ("labelled", "written", "hint"),
    [  # QA Proxmox: a syslog file's year came from its date, the labels had the logs' own
        ("pve1@2023-12-01T00:{}:00", "pve1@2026-12-01T00:{}:00",
         r"apart from the year: .*--year 2023"),
        # QA IBM MQ: labels in UTC, windows of the header's local time 5 hours off
        ("2026-12-03T20:{}:00", "2026-12-03T15:{}:00",
         r"match 5 hours apart \(the sessions' are earlier\)"),
    ],
)  # fmt: skip
def test_window_ids_apart_by_a_year_or_whole_hours_say_so(labelled, written, hint):
    """The message showed an id of each side without saying how they differ."""
    from logbert.sessions.labels import require_some_match

    labels = {labelled.format("00"): "normal", labelled.format("05"): "anomaly"}
    ids = [written.format("00"), written.format("10")]
    with pytest.raises(LogbertError, match=hint):
        require_some_match(labels, 2, ids[0], ids)
    with pytest.raises(LogbertError) as other:
        require_some_match(labels, 2, "pve1@2026-12-02T00:00:00", ["pve1@2026-12-02T00:00:00"])
    assert "apart" not in str(other.value)


def test_a_labels_file_keyed_by_source_is_read(tmp_path):
    """QA Airflow (round 51): one file per task try, sessions `--by-field source`, and
    `source,label,type` was refused (after the whole parse) as naming no id column."""
    path = tmp_path / "labels.csv"
    path.write_text("source,label,type\nlogs/a/attempt=1.log,1,zombie\nlogs/b/attempt=1.log,0,\n")
    labels, id_column, label_column = read_labels_with_columns(path)
    assert (id_column, label_column) == ("source", "label")
    assert dict(labels) == {"logs/a/attempt=1.log": "anomaly", "logs/b/attempt=1.log": "normal"}
