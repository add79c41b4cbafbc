"""Multi-class and multi-label labels on sessions: reading, writing, labels CSVs, batches and
the categories `sessionize` carries from line-level alerts, with the binary label kept."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from logbert.errors import LogbertError
from logbert.sessions import io as sessions_io
from logbert.sessions.batch import SessionBatch
from logbert.sessions.io import (
    SESSION_SCHEMA,
    Session,
    parse_label,
    read_sessions,
    session_categories,
    write_sessions,
)
from logbert.sessions.labels import event_category, read_labels, split_label
from logbert.sessions.sessionize import SessionizerSettings, SessionizeStats, sessionize_by_id

T0 = datetime(2005, 6, 3, 15, 0, 0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("KERNDTLB", ("anomaly", ["KERNDTLB"])),
        (" Hydra_FTP ", ("anomaly", ["Hydra_FTP"])),
        ("Normal", ("normal", None)),
        (1, ("anomaly", None)),
        ("0", ("normal", None)),
        ("anomaly", ("anomaly", None)),
        (None, (None, None)),
        ("", (None, None)),
    ],
)
def test_a_label_is_binary_or_one_category(value, expected):
    assert parse_label(value) == expected


@pytest.mark.parametrize("typo", ["anomly", "Normla", "anomalus", "abnormall"])
def test_a_misspelt_binary_label_is_refused_not_taken_as_a_category(typo):
    with pytest.raises(LogbertError, match=f"unknown session label {typo!r}: did you mean"):
        parse_label(typo)


def test_session_categories_derive_from_the_binary_label():
    assert session_categories(Session("a", [1], "normal")) == []
    assert session_categories(Session("a", [1], "anomaly")) == ["anomaly"]
    assert session_categories(Session("a", [1])) is None
    assert session_categories(Session("a", [1], "anomaly", categories=["B", "A"])) == ["B", "A"]


def sessions_with_categories() -> list[Session]:
    return [
        Session("n", [1, 2], "normal", categories=[]),
        Session("a", [3], "anomaly", categories=["KERNDTLB"]),
        Session("b", [4], "anomaly", categories=["APPREAD", "KERNDTLB"]),
        Session("u", [5]),
    ]


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])
def test_categories_round_trip_and_binary_files_keep_their_shape(tmp_path, suffix):
    path = tmp_path / f"s{suffix}"
    write_sessions(sessions_with_categories(), path)
    back = read_sessions(path)
    assert [(s.label, s.categories) for s in back] == [
        ("normal", []),
        ("anomaly", ["KERNDTLB"]),
        ("anomaly", ["APPREAD", "KERNDTLB"]),
        (None, None),
    ]
    binary = tmp_path / f"b{suffix}"
    write_sessions([Session("n", [1], "normal"), Session("a", [2], "anomaly")], binary)
    if suffix == ".parquet":
        assert pq.read_schema(binary).names == SESSION_SCHEMA.names  # no labels column
        assert "labels" in pq.read_schema(path).names
    else:
        assert all("labels" not in json.loads(line) for line in binary.read_text().splitlines())
    assert [s.categories for s in read_sessions(binary)] == [None, None]


def test_a_category_name_in_label_is_multi_class(tmp_path):
    path = tmp_path / "s.jsonl"
    rows = [
        {"session_id": "x", "keys": [1], "label": "Hydra_FTP"},
        {"session_id": "y", "keys": [2], "label": "normal"},
        {"session_id": "z", "keys": [3], "label": "KERNDTLB", "labels": ["KERNDTLB", "normal"]},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    back = read_sessions(path)
    assert [(s.label, s.categories) for s in back] == [
        ("anomaly", ["Hydra_FTP"]),
        ("normal", None),
        ("anomaly", ["KERNDTLB"]),  # "normal" in a list is no category
    ]
    batch = SessionBatch.from_sessions(back)
    assert batch.labels.tolist() == [1, 0, 1]  # the binary meaning is unchanged
    assert batch.categories == [["Hydra_FTP"], [], ["KERNDTLB"]]
    assert batch.take([2, 0]).categories == [["KERNDTLB"], ["Hydra_FTP"]]
    assert batch.with_open([True, False, False]).categories == batch.categories


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (3, "must be a list of category names.*not int 3"),
        ({"A": 1}, "must be a list of category names.*not dict"),
        ("KERNDTLB", "must be a list of category names.*not str"),
        ([["A", "B"]], r"must hold category names.*\['A', 'B'\] \(list\)"),
        ([1, 2], r"must hold category names.*got 1 \(int\)"),
        (["A", ""], "must hold category names"),
    ],
)
def test_labels_of_unknown_shapes_are_clear_errors_naming_the_session(tmp_path, labels, message):
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"session_id": "w7", "keys": [1], "labels": labels}) + "\n")
    with pytest.raises(LogbertError, match=rf"s\.jsonl:1: .*{message}.*session 'w7'"):
        read_sessions(path)


def test_parquet_labels_of_another_type_name_the_session(tmp_path):
    path = tmp_path / "s.parquet"
    table = pa.table({"session_id": ["ok", "w7"], "keys": [[1], [2]], "labels": [[], [5]]})
    pq.write_table(table, path)
    with pytest.raises(LogbertError, match=r"\(session 'w7'\): 'labels' must hold category names"):
        read_sessions(path)


def test_label_and_labels_must_agree(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"session_id": "q", "keys": [1], "label": 0, "labels": ["A"]}))
    with pytest.raises(LogbertError, match=r"disagrees with labels \['A'\].*session 'q'"):
        read_sessions(path)


def test_the_labels_column_is_added_when_categories_first_come_late(tmp_path, monkeypatch):
    monkeypatch.setattr(sessions_io, "DEFAULT_BATCH_SIZE", 2)
    sessions = [Session(f"n{i}", [i], "normal") for i in range(5)]
    sessions.append(Session("late", [9], "anomaly", categories=["KERNSTOR"]))
    path = tmp_path / "late.parquet"
    assert write_sessions(sessions, path, metadata={"logbert.x": "1"}) == 6
    assert "labels" in pq.read_schema(path).names
    assert pq.read_schema(path).metadata[b"logbert.x"] == b"1"
    back = read_sessions(path)
    assert [s.session_id for s in back] == [s.session_id for s in sessions]
    # rows written before the column existed are null (the binary label says it all); rows
    # written with it get an explicit list
    assert [s.categories for s in back] == [None] * 4 + [[], ["KERNSTOR"]]
    assert [session_categories(s) for s in back] == [[]] * 5 + [["KERNSTOR"]]
    assert not list(tmp_path.glob("*.nolabels"))


def test_a_labels_csv_may_name_categories(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("InstanceId,Label\nt1,Hydra_FTP\nt2,Normal\nt3,Anomaly\n")
    labels = read_labels(path)
    assert labels == {"t1": "Hydra_FTP", "t2": "normal", "t3": "anomaly"}
    assert [split_label(labels[k]) for k in ("t1", "t2", "t3")] == [
        ("anomaly", ["Hydra_FTP"]),
        ("normal", None),
        ("anomaly", None),
    ]


def test_event_category_keeps_the_alert_name():
    assert [event_category(v) for v in ("-", "KERNDTLB", "1", "anomaly", None, "")] == [
        "normal",
        "KERNDTLB",
        "anomaly",
        "anomaly",
        None,
        None,
    ]


def events(make_events, labels):
    n = len(labels)
    return make_events(
        template_id=list(range(1, n + 1)),
        timestamp=[T0 + timedelta(seconds=10 * i) for i in range(n)],
        label=labels,
        content=[f"blk_{i % 2} x" for i in range(n)],
    )


def test_windows_carry_distinct_sorted_alert_categories(make_events):
    path = events(make_events, ["-", "KERNSTOR", "APPREAD", "KERNSTOR", "-", "-", "1", "-"])
    sessionizer = SessionizerSettings(window="40s").build()
    sessions = sessionizer.push(pq.read_table(path)) + sessionizer.flush()
    assert [(s.label, s.categories) for s in sessions] == [
        ("anomaly", ["APPREAD", "KERNSTOR"]),  # distinct, sorted
        ("anomaly", None),  # "1": an anomaly without a name: the binary label says it all
    ]
    assert sessionizer.stats.categories == {"APPREAD": 1, "KERNSTOR": 1}
    assert "anomaly categories (sessions): APPREAD 1, KERNSTOR 1" in sessionizer.stats.summary(
        by_window=True
    )


def test_a_restored_sessionizer_keeps_the_categories_seen(make_events):
    path = events(make_events, ["-", "KERNSTOR", "-", "APPREAD"])
    table = pq.read_table(path)
    settings = SessionizerSettings(window="1h")
    first = settings.build()
    first.push(table.slice(0, 2))
    restored = settings.build().restore(json.loads(json.dumps(first.snapshot())))
    restored.push(table.slice(2))
    (session,) = restored.flush()
    assert session.categories == ["APPREAD", "KERNSTOR"]


def test_a_labels_file_category_labels_sessions_by_id(make_events):
    path = events(make_events, ["-"] * 4)
    stats = SessionizeStats()
    sessions = list(sessionize_by_id(path, r"blk_\d", stats, {"blk_0": "KERNDTLB"}))
    assert [(s.session_id, s.label, s.categories) for s in sessions] == [
        ("blk_0", "anomaly", ["KERNDTLB"]),
        ("blk_1", None, None),
    ]
    assert stats.n_anomaly == 1 and stats.categories == {"KERNDTLB": 1}


def test_session_batch_refuses_category_lists_of_another_length():
    batch = SessionBatch.from_keys([[1], [2]])
    with pytest.raises(LogbertError, match="1 category lists for 2 sessions"):
        SessionBatch(batch.keys, batch.is_open, categories=[[]])
    assert np.array_equal(batch.is_open, [False, False])


def test_categories_spelt_two_ways_are_a_warning():
    """QA: `Timeout`, `TIMEOUT` and `timeout` were three classes (macro F1 0.73 -> 0.17)."""
    from logbert.sessions.stats import SessionizeStats

    stats = SessionizeStats()
    for name in ("TIMEOUT", "Timeout", "time_out", "DBERROR", "KERNDTLB"):
        stats.count("anomaly", [name], name, 1)
    assert stats.category_spelling_warning() == (
        "warning: anomaly categories that differ only in case or punctuation (TIMEOUT / "
        "Timeout / time_out) are different classes to a model that predicts categories, and "
        "their figures are split among them: write each category one way in the labels"
    )
    stats = SessionizeStats()
    stats.count("anomaly", ["KERNDTLB"], "a", 1)
    assert stats.category_spelling_warning() is None
