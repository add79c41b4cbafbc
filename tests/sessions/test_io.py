import gzip
import json
import os
import re
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from logbert.errors import LogbertError
from logbert.sessions import io as io_module
from logbert.sessions.io import (
    SESSION_SCHEMA,
    Session,
    check_output_path,
    create_output_folder,
    detect_format,
    iter_session_batches,
    normalize_label,
    read_file_metadata,
    read_sessions,
    write_sessions,
)

SESSIONS = [
    Session(
        "blk_1",
        [5, 5, 22, 11],
        label="normal",
        start=datetime(2008, 11, 9, 20, 35, 30),
        end=datetime(2008, 11, 9, 20, 36, 1, 250000),
        n_lines=4,
    ),
    Session("blk_-2", [7], label="anomaly", n_lines=1),
    Session("blk_3", [], label=None),
]


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])
def test_round_trip_keeps_every_field(tmp_path, suffix):
    path = tmp_path / f"sessions{suffix}"
    assert write_sessions(SESSIONS, path) == 3
    assert read_sessions(path) == SESSIONS
    if suffix == ".jsonl":  # UTC, said (QA Vault: no `Z`, where the score rows had one)
        assert json.loads(path.read_text().splitlines()[0])["start"] == "2008-11-09T20:35:30Z"


def test_deeplog_round_trip_keeps_keys_and_numbers_sessions(tmp_path):
    path = tmp_path / "sessions.txt"
    written = SESSIONS[:2]
    write_sessions(written, path)
    assert path.read_text() == "5 5 22 11\n7\n"
    back = read_sessions(path)
    assert [s.keys for s in back] == [s.keys for s in written]
    assert [s.session_id for s in back] == ["0", "1"]
    assert all(s.label is None for s in back)


def test_deeplog_refuses_to_write_an_empty_session(tmp_path):
    """Its blank line would be skipped when read back: the session would be lost."""
    path = tmp_path / "sessions.txt"
    with pytest.raises(LogbertError, match="session 'blk_3' has no keys.*write .jsonl or"):
        write_sessions(SESSIONS, path)
    assert not path.exists()  # no partial file left


def test_format_flag_overrides_the_extension(tmp_path):
    path = tmp_path / "sessions.parquet"
    write_sessions(SESSIONS[:2], path, output_format="deeplog")
    assert read_sessions(path, input_format="deeplog")[0].keys == [5, 5, 22, 11]
    with pytest.raises(LogbertError, match="not a readable parquet"):
        read_sessions(path)


def test_detect_format():
    assert detect_format("a.parquet") == "parquet"
    assert detect_format("a.JSONL") == "jsonl"
    assert detect_format("a.json") == "json"
    assert detect_format("hdfs_train") == "deeplog"
    assert detect_format("a.parquet", "jsonl") == "jsonl"
    with pytest.raises(LogbertError, match="unknown sessions format"):
        detect_format("a", "csv")


def test_json_normal_anomaly_shape(tmp_path):
    path = tmp_path / "split.json"
    path.write_text(json.dumps({"normal_sessions": [[1, 2], [3]], "anomaly_sessions": [[9]]}))
    sessions = read_sessions(path)
    assert [(s.session_id, s.keys, s.label) for s in sessions] == [
        ("normal-0", [1, 2], "normal"),
        ("normal-1", [3], "normal"),
        ("anomaly-0", [9], "anomaly"),
    ]
    assert [s.is_anomaly for s in sessions] == [False, False, True]


def test_batches_are_bounded(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("".join(f"{i} {i + 1}\n" for i in range(25)))
    sizes = [len(b) for b in iter_session_batches(path, batch_size=10)]
    assert sizes == [10, 10, 5]


def test_parquet_reader_accepts_only_the_required_columns(tmp_path):
    path = tmp_path / "min.parquet"
    pq.write_table(pa.table({"session_id": ["a"], "keys": [[1, 2]]}), path)
    assert read_sessions(path) == [Session("a", [1, 2])]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Normal", "normal"),
        ("Anomaly", "anomaly"),
        (" abnormal ", "anomaly"),
        ("-", "normal"),
        (0, "normal"),
        (1, "anomaly"),
        (True, "anomaly"),
        (False, "normal"),
        (None, None),
        ("", None),
        ("NaN", None),
    ],
)
def test_normalize_label(value, expected):
    assert normalize_label(value) == expected


def test_unknown_label_is_an_error():
    with pytest.raises(LogbertError, match="unknown session label 'maybe'"):
        normalize_label("maybe")


def test_missing_file_is_a_clear_error(tmp_path):
    for name in ("absent.parquet", "absent.jsonl", "absent"):
        with pytest.raises(LogbertError, match="sessions file not found"):
            read_sessions(tmp_path / name)


@pytest.mark.parametrize(
    ("suffix", "content", "message"),
    [
        (".txt", "1 2 3\n4 x 6\n", r"s\.txt:2: 'x' is not a log key: DeepLog sequence lines"),
        (
            ".jsonl",
            '{"session_id": "a", "keys": [1]}\n{"keys": [1, \n',
            r"s\.jsonl:2: not a session object",
        ),
        (".jsonl", '{"session_id": "a"}\n', r"s\.jsonl:1: not a session object"),
        (".jsonl", "[1, 2]\n", r"s\.jsonl:1: not a session object"),
        (
            ".jsonl",
            '{"session_id": "a", "keys": "12"}\n',
            r"s\.jsonl:1: 'keys' must be a list of integer log keys, not str '12'",
        ),
        (
            ".jsonl",
            '{"session_id": "a", "keys": [1], "label": "anomally"}\n',
            r"s\.jsonl:1: unknown session label",
        ),
        (".json", "[[1, 2]]", "expected {'normal_sessions'"),
        (".json", '{"normal_sessions": [[1, "a"]]}', r"normal_sessions\[0\] is not a list"),
        (".json", '{"normal_sessions": [[1]', "invalid JSON"),
    ],
)
def test_malformed_input_is_a_clear_error(tmp_path, suffix, content, message):
    path = tmp_path / f"s{suffix}"
    path.write_text(content)
    with pytest.raises(LogbertError, match=message):
        read_sessions(path)


RAW_LOG_HINT = (
    " looks like a raw log line, not a session: to read raw logs pass --logs --format {fmt} "
    "and --by-id REGEX matching each session's id (e.g. 'trace_id=(\\w+)') or --window "
    "DURATION; or make sessions first (`logbert parse`, then `logbert sessionize`)"
)


@pytest.mark.parametrize(
    ("suffix", "line", "fmt"),
    [
        (".jsonl", "Payments service v2.3.1 starting (pid 4121)", "auto (or the log's format)"),
        (".jsonl", '{"ts": 1, "msg": "health check ok", "trace_id": "ab12"}', "json"),
        (
            ".txt",
            "2026-11-03 00:01:22,000 INFO [main] c.a.Job - job 7 done",
            "auto (or the log's format)",
        ),
        (".txt", '{"msg":"health check ok","trace_id":"ab12"}', "json"),
        # a bracketed header is no JSON array (QA: Apache, Proxifier got the key-token error)
        (
            ".txt",
            "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok",
            "auto (or the log's format)",
        ),
        (
            ".jsonl",
            "[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open",
            "auto (or the log's format)",
        ),
    ],
)
def test_raw_log_lines_given_as_sessions_say_to_pass_logs(tmp_path, suffix, line, fmt):
    """A log given without --logs: the error says what it is and how logs are read, not
    that a session object lacks a session_id."""
    path = tmp_path / f"app{suffix}"
    path.write_text(line + "\n")
    with pytest.raises(LogbertError) as error:
        read_sessions(path)
    assert str(error.value) == f"{path}:1: {line!r}" + RAW_LOG_HINT.format(fmt=fmt)


def test_parquet_without_keys_or_with_bad_labels(tmp_path):
    path = tmp_path / "s.parquet"
    pq.write_table(pa.table({"session_id": ["a"]}), path)
    with pytest.raises(LogbertError, match="missing keys"):
        read_sessions(path)
    pq.write_table(pa.table({"session_id": ["a"], "keys": [[1]], "label": ["Normla"]}), path)
    with pytest.raises(LogbertError, match=r"row 1 \(session 'a'\): unknown session label"):
        read_sessions(path)


def test_cannot_write_json_shape(tmp_path):
    with pytest.raises(LogbertError, match="cannot write sessions as 'json'"):
        write_sessions(SESSIONS, tmp_path / "x.json")


@pytest.mark.slow
def test_real_deeplog_hdfs_train(data_dir):
    sessions = read_sessions(data_dir / "HDFS_v1_deeplog" / "hdfs_train")
    assert len(sessions) == 4855
    canonical = "5 5 5 22 11 9 11 9 11 9 26 26 26 23 23 23 21 21 21"
    assert sessions[0].keys == [int(k) for k in canonical.split()]
    lengths = [len(s.keys) for s in sessions]
    assert (min(lengths), max(lengths)) == (13, 42)
    assert len({k for s in sessions for k in s.keys}) == 14


def test_parquet_writer_flushes_long_sessions_in_small_chunks(tmp_path, monkeypatch):
    from logbert.sessions import io

    monkeypatch.setattr(io, "_WRITE_CHUNK_KEYS", 10)
    sessions = [Session(str(i), list(range(6))) for i in range(5)]
    path = tmp_path / "long.parquet"
    assert write_sessions(sessions, path) == 5
    assert pq.ParquetFile(path).metadata.num_row_groups >= 3
    assert read_sessions(path) == sessions


# --- raw evidence stays in memory --------------------------------------------------------------


def test_lines_field_is_last_optional_and_never_written(tmp_path):
    from dataclasses import fields

    assert [f.name for f in fields(Session)][-2:] == ["lines", "categories"]
    assert not hasattr(Session("a", [1]), "__dict__")  # still a slots dataclass
    assert Session("a", [1]).lines is None
    tracked = [Session("a", [1, 2], lines=[("x.log", 3), ("x.log", 9)])]
    for name in ("s.parquet", "s.jsonl", "s.txt"):
        write_sessions(tracked, tmp_path / name)
        assert read_sessions(tmp_path / name)[0].lines is None
    assert pq.read_schema(tmp_path / "s.parquet").names == SESSION_SCHEMA.names
    assert "lines" not in json.loads((tmp_path / "s.jsonl").read_text())


# --- file metadata -----------------------------------------------------------------------------


def test_parquet_metadata_is_written_and_read_back(tmp_path):
    path = tmp_path / "s.parquet"
    metadata = {b"logbert.template_set": b'{"n": 3}', "logbert.other": "x", "unrelated": "y"}
    assert write_sessions(SESSIONS, path, metadata=metadata) == 3
    assert read_file_metadata(path) == {"logbert.template_set": '{"n": 3}', "logbert.other": "x"}
    assert read_sessions(path) == SESSIONS
    write_sessions(SESSIONS, tmp_path / "plain.parquet")
    assert read_file_metadata(tmp_path / "plain.parquet") == {}


def test_metadata_of_other_formats_and_stdin_is_empty(tmp_path):
    path = tmp_path / "s.jsonl"
    write_sessions(SESSIONS, path, metadata={"logbert.template_set": "{}"})
    assert read_file_metadata(path) == {}
    assert read_file_metadata("-") == {}
    with pytest.raises(LogbertError, match="sessions file not found"):
        read_file_metadata(tmp_path / "absent.parquet")
    (tmp_path / "bad.parquet").write_text("no")
    with pytest.raises(LogbertError, match="not a readable parquet file"):
        read_file_metadata(tmp_path / "bad.parquet")


# --- paths that are not files ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sessions.parquet", "sessions.jsonl", "hdfs_train"])
def test_a_folder_is_not_a_sessions_file(tmp_path, name):
    folder = tmp_path / name
    folder.mkdir()
    # QA: a folder of raw logs given without --logs (a file so given was told to add it)
    message = "is a folder, not a sessions file: pass a .parquet/.jsonl/DeepLog file; for a "
    message += "folder of raw logs add --logs"
    with pytest.raises(LogbertError, match=message):
        read_sessions(folder)
    with pytest.raises(LogbertError, match=message):
        next(iter_session_batches(folder))
    with pytest.raises(LogbertError, match=f"sessions file {folder} is a folder"):
        write_sessions(SESSIONS, folder)


def test_writing_under_a_file_names_the_path(tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    target = blocker / "deeper" / "sessions.parquet"
    with pytest.raises(LogbertError, match=f"cannot write sessions file {target}.*is a file"):
        write_sessions(SESSIONS, target)
    with pytest.raises(LogbertError, match="cannot write sessions file"):
        write_sessions(SESSIONS, blocker / "sessions.jsonl")


def test_write_sessions_creates_missing_folders(tmp_path):
    path = tmp_path / "a" / "b" / "sessions.jsonl"
    assert write_sessions(SESSIONS, path) == 3 and path.is_file()


def test_check_output_path(tmp_path, monkeypatch):
    check_output_path(tmp_path / "new" / "deeper" / "out.parquet", "sessions file")  # fine
    assert not (tmp_path / "new").exists()  # a check creates nothing
    existing = tmp_path / "out.parquet"
    existing.write_text("old")
    check_output_path(existing, "sessions file")  # overwriting a file is fine
    with pytest.raises(LogbertError, match=f"scores file {tmp_path} is a folder"):
        check_output_path(tmp_path, "scores file")
    with pytest.raises(LogbertError, match=f"cannot write sessions file {existing / 'x.jsonl'}"):
        check_output_path(existing / "x.jsonl", "sessions file")  # parent is a file
    read_only = tmp_path / "read_only"
    read_only.mkdir()
    # tests run as root, who may write anywhere: pretend the folder is read-only
    monkeypatch.setattr(io_module.os, "access", lambda p, mode: Path(p) != read_only)
    with pytest.raises(LogbertError, match=f"folder {read_only} is not writable"):
        check_output_path(read_only / "sub" / "out.parquet", "sessions file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only folders")
def test_read_only_folder_is_refused(tmp_path):
    read_only = tmp_path / "read_only"
    read_only.mkdir()
    read_only.chmod(0o555)
    try:
        with pytest.raises(LogbertError, match="is not writable"):
            write_sessions(SESSIONS, read_only / "s.parquet")
    finally:
        read_only.chmod(0o755)


def test_check_output_path_for_a_folder_output(tmp_path):
    check_output_path(tmp_path / "model", "model directory", directory=True)  # to be created
    check_output_path(tmp_path, "model directory", directory=True)  # an existing folder
    a_file = tmp_path / "model.txt"
    a_file.write_text("x")
    with pytest.raises(LogbertError, match="model directory .* is a file, not a folder"):
        check_output_path(a_file, "model directory", directory=True)
    with pytest.raises(LogbertError, match="is a file, so the folder cannot be created"):
        check_output_path(a_file / "model", "model directory", directory=True)


def test_create_output_folder_turns_an_os_refusal_into_a_user_error(tmp_path, refused_folder):
    """An OS refusal check_output_path passed (QA: root, -o /proc/x) is a LogbertError naming
    the output, the folder and the OS's reason, as a file in the way is."""
    create_output_folder(tmp_path / "new" / "out.jsonl", "scores file")
    assert (tmp_path / "new").is_dir()
    model = refused_folder / "model"
    check_output_path(model, "model directory", directory=True)  # nothing foresees it
    with pytest.raises(LogbertError) as raised:
        create_output_folder(model, "model directory", directory=True)
    assert str(raised.value) == (
        f"cannot write model directory {model}: the folder {model} cannot be created "
        f"({model}: Read-only file system); give a path in a folder you can create and write to"
    )
    with pytest.raises(LogbertError, match=f"cannot write sessions file {model / 's.jsonl'}"):
        write_sessions(SESSIONS, model / "s.jsonl")


# --- sessions that must not become verdicts silently ---------------------------------------------
def _jsonl(tmp_path, *rows, name="s.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_blank_deeplog_lines_are_skipped_and_counted_once(tmp_path, capsys):
    path = tmp_path / "blank.txt"
    path.write_text("5 5 22 11\n\n5 5 22\n  \n\n26 26 21\n")
    back = read_sessions(path)
    assert [s.keys for s in back] == [[5, 5, 22, 11], [5, 5, 22], [26, 26, 21]]
    assert [s.session_id for s in back] == ["0", "2", "5"]  # ids stay the line index
    read_sessions(path)  # a second read of the same file says nothing more
    err = capsys.readouterr().err
    assert (
        err == f"warning: {path}: skipped 3 blank lines (not sessions; the other sessions "
        "keep their line index as id)\n"
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"keys": [1]}, r"s\.jsonl:2 has no session_id: every session .* needs its own id"),
        ({"session_id": None, "keys": [1]}, r"s\.jsonl:2 has no session_id"),
        ({"session_id": " ", "keys": [1]}, r"s\.jsonl:2 has an empty session_id ' '"),
    ],
)
def test_jsonl_session_without_an_id_is_an_error(tmp_path, row, message):
    path = _jsonl(tmp_path, {"session_id": "a", "keys": [1]}, row)
    with pytest.raises(LogbertError, match=message):
        read_sessions(path)


def test_parquet_null_id_or_null_keys_is_an_error_naming_the_row(tmp_path):
    path = tmp_path / "s.parquet"
    pq.write_table(pa.table({"session_id": ["a", None], "keys": [[1], [2]]}), path)
    with pytest.raises(LogbertError, match=r"s\.parquet: row 2 has no session_id"):
        read_sessions(path)
    pq.write_table(pa.table({"session_id": ["a", "b"], "keys": [[1], None]}), path)
    with pytest.raises(LogbertError, match=r"s\.parquet: row 2 \(session 'b'\): keys is null"):
        read_sessions(path)


def test_duplicate_ids_are_an_error_naming_the_id_and_both_lines(tmp_path):
    path = _jsonl(tmp_path, {"session_id": "a", "keys": [1]}, {"session_id": "b", "keys": [2]},
                  {"session_id": "a", "keys": [3]})  # fmt: skip
    with pytest.raises(LogbertError, match=r"session id 'a' comes twice \(lines 1 and 3\): "
                       "session ids must be unique"):  # fmt: skip
        read_sessions(path)
    parquet = tmp_path / "s.parquet"
    write_sessions(read_sessions(_jsonl(tmp_path, {"session_id": "x", "keys": [1]},
                                        {"session_id": "y", "keys": [2]}, name="ok.jsonl")) * 2,
                   parquet)  # fmt: skip
    with pytest.raises(LogbertError, match=r"session id 'x' comes twice \(rows 1 and 3\)"):
        read_sessions(parquet)


def test_an_id_written_again_after_idle_timeout_is_another_session(tmp_path):
    """`sessionize --idle-timeout` writes an id that comes back as a new session: another start."""
    first, later = "2024-01-01T00:00:00", "2024-01-02T00:00:00"
    path = _jsonl(tmp_path, {"session_id": "a", "keys": [1], "start": first},
                  {"session_id": "a", "keys": [2], "start": later})  # fmt: skip
    assert [s.keys for s in read_sessions(path)] == [[1], [2]]
    path = _jsonl(tmp_path, {"session_id": "a", "keys": [1], "start": first},
                  {"session_id": "a", "keys": [2], "start": first})  # fmt: skip
    with pytest.raises(LogbertError, match=r"comes twice \(lines 1 and 2\) with the same start"):
        read_sessions(path)


def test_a_hash_collision_is_not_taken_for_a_duplicate(tmp_path, monkeypatch):
    path = _jsonl(tmp_path, {"session_id": "a", "keys": [1]}, {"session_id": "b", "keys": [2]})
    monkeypatch.setattr(io_module, "hash", lambda value: 0, raising=False)  # every id collides
    assert [s.session_id for s in read_sessions(path)] == ["a", "b"]


def test_sessions_without_keys_are_kept_and_counted_once(tmp_path, capsys):
    path = _jsonl(tmp_path, {"session_id": "a", "keys": []}, {"session_id": "b", "keys": [1]},
                  {"session_id": "c", "keys": []})  # fmt: skip
    assert [s.keys for s in read_sessions(path)] == [[], [1], []]
    read_sessions(path)
    assert capsys.readouterr().err == (
        f"warning: {path}: 2 sessions hold no keys (the first: 'a'); each is scored as an empty "
        "session\n"
    )


# --- times and keys of other types --------------------------------------------------------------

JAN_1 = datetime(2024, 1, 1)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (pa.array(["2024-01-01T00:00:00", "2024-01-01T01:00:00+01:00"]), None),  # ISO text
        (pa.array([1704067200, 1704067200]), pa.array([1704067230.5, None])),  # epoch seconds
        (pa.array([1704067200_000_000] * 2, pa.timestamp("us", tz="Europe/Paris")), None),
    ],
)
def test_parquet_times_as_text_epoch_or_zoned_are_read_as_utc(tmp_path, start, end):
    """Text and epoch numbers crashed `score` and `split`; all are naive UTC now."""
    columns = {"session_id": ["a", "b"], "keys": [[1], [2]], "start": start}
    if end is not None:
        columns["end"] = end
    path = tmp_path / "s.parquet"
    pq.write_table(pa.table(columns), path)
    sessions = read_sessions(path)
    assert [s.start for s in sessions] == [JAN_1, JAN_1]
    if end is not None:
        assert [s.end for s in sessions] == [JAN_1.replace(second=30, microsecond=500000), None]


def test_jsonl_times_as_epoch_seconds_and_offsets(tmp_path):
    path = _jsonl(tmp_path, {"session_id": "a", "keys": [1], "start": 1704067200,
                             "end": "2024-01-01T00:00:30Z"})  # fmt: skip
    (session,) = read_sessions(path)
    assert (session.start, session.end) == (JAN_1, JAN_1.replace(second=30))


@pytest.mark.parametrize(
    ("suffix", "row", "message"),
    [
        (
            ".jsonl",
            {"start": "yesterday"},
            r"s\.jsonl:2: start 'yesterday' is not a time; it",
        ),
        (
            ".jsonl",
            {"end": [1]},
            r"s\.jsonl:2: end is list \[1\], not a time; it needs",
        ),
        (".jsonl", {"start": True}, r"s\.jsonl:2: start is bool True, not a time"),
        (
            ".parquet",
            {"start": "soon"},
            r"s\.parquet: row 2 \(session 'b'\): start 'soon' is",
        ),
    ],
)
def test_a_bad_time_is_named_as_its_field_not_as_keys(tmp_path, suffix, row, message):
    """A bad `start` was reported as "not a session object with integer 'keys'"."""
    rows = [{"session_id": "a", "keys": [1]}, {"session_id": "b", "keys": [2], **row}]
    path = tmp_path / f"s{suffix}"
    if suffix == ".jsonl":
        _jsonl(tmp_path, *rows)
    else:
        pq.write_table(pa.table({"session_id": ["a", "b"], "keys": [[1], [2]],
                                 "start": [None, row["start"]]}), path)  # fmt: skip
    with pytest.raises(LogbertError, match=message) as caught:
        read_sessions(path)
    assert "keys" not in str(caught.value)


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (pa.array([["1"], ["2"]]), r"row 1 \(session 'a'\): 'keys' must hold integer log keys; "
         "position 0 holds str '1'"),
        (pa.array([[1], [2, None]]), r"row 2 \(session 'b'\): .* position 1 holds null"),
    ],
)  # fmt: skip
def test_parquet_keys_that_are_not_integers_name_the_row(tmp_path, keys, message):
    path = tmp_path / "s.parquet"
    pq.write_table(pa.table({"session_id": ["a", "b"], "keys": keys}), path)
    with pytest.raises(LogbertError, match=message):
        read_sessions(path)


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ([True, False], "position 0 holds bool True"),
        ([1, None], "position 1 holds null"),
        ([1, "2"], "position 1 holds str '2'"),
        ([1.5], "position 0 holds float 1.5"),
    ],
)
def test_jsonl_keys_that_are_not_integers_are_refused(tmp_path, keys, message):
    """`[true, false]` was read as keys 1 and 0; a null failed inside int()."""
    path = _jsonl(tmp_path, {"session_id": "a", "keys": keys})
    with pytest.raises(LogbertError, match=rf"s\.jsonl:1: 'keys' must hold integer log keys; "
                       rf"{re.escape(message)} \(session 'a'\)"):  # fmt: skip
        read_sessions(path)
    assert read_sessions(_jsonl(tmp_path, {"session_id": "a", "keys": [1, 2.0]}))[0].keys == [1, 2]


@pytest.mark.parametrize("fmt", ["jsonl", "deeplog"])
def test_parquet_read_as_a_text_format_says_so(tmp_path, fmt):
    path = tmp_path / "s.parquet"
    write_sessions(SESSIONS, path)
    what = "JSON Lines" if fmt == "jsonl" else "a DeepLog sequence file"
    with pytest.raises(LogbertError, match=rf"s\.parquet looks like Parquet, not {what}"):
        read_sessions(path, fmt)


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("2_1", "'2_1' is not a log key"),  # int() read these three as 21
        ("\u0662\u0661", "'\u0662\u0661' is not a log key"),
        ("+21", "'+21' is not a log key"),
        ("21.0", "'21.0' is not a log key"),
        ("9223372036854775808", "key '9223372036854775808' is out of range"),  # numpy wrapped it
        ("-9223372036854775809", "key '-9223372036854775809' is out of range"),
        ("1" * 5000, "key '11111"),  # beyond int()'s digit limit, cut in the message
    ],
)
def test_deeplog_key_tokens_must_be_ascii_integers_within_int64(tmp_path, token, message):
    path = tmp_path / "s.txt"
    path.write_text(f"5 5 22\n5 {token} 22\n", encoding="utf-8")
    with pytest.raises(LogbertError, match=rf"s\.txt:2: {re.escape(message)}"):
        read_sessions(path)


def test_deeplog_keys_at_the_int64_bounds_and_other_whitespace_are_read(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text(
        "-9223372036854775808 9223372036854775807\r\n007\t-0\u00a05 " + "0" * 30 + "9\n",
        encoding="utf-8",
    )
    assert [s.keys for s in read_sessions(path)] == [[-(2**63), 2**63 - 1], [7, 0, 5, 9]]


@pytest.mark.parametrize("key", [2**63, -(2**63) - 1, 1e30])
def test_json_keys_beyond_int64_are_refused(tmp_path, key):
    jsonl = _jsonl(tmp_path, {"session_id": "a", "keys": [5, key]})
    with pytest.raises(LogbertError, match=r"s\.jsonl:1: 'keys' position 1: key .* is out of "
                       r"range: log keys are 64-bit integers .* \(session 'a'\)"):  # fmt: skip
        read_sessions(jsonl)
    pair = tmp_path / "pair.json"
    pair.write_text(json.dumps({"normal_sessions": [[5]], "anomaly_sessions": [[5, key]]}))
    with pytest.raises(LogbertError, match=r"anomaly_sessions\[0\] .* key .* is out of range"):
        read_sessions(pair)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("keys.gz", "5 5 22\n26 21\n"),
        ("s.jsonl", '{"session_id": "a", "keys": [5, 5, 22]}\n'
                    '{"session_id": "b", "keys": [26, 21]}\n'),
        ("pair.json", '{"normal_sessions": [[5, 5, 22]], "anomaly_sessions": [[26, 21]]}'),
        ("s.jsonl.gz", '{"session_id": "a", "keys": [5, 5, 22]}\n'
                       '{"session_id": "b", "keys": [26, 21]}\n'),  # the name says both
        ("pair.json.gz", '{"normal_sessions": [[5, 5, 22]], "anomaly_sessions": [[26, 21]]}'),
    ],
)  # fmt: skip
def test_gzip_compressed_text_sessions_are_read(tmp_path, name, text):
    """A gzipped key file was read as text: an error quoting its compressed bytes."""
    path = tmp_path / name
    path.write_bytes(gzip.compress(text.encode()))
    assert [s.keys for s in read_sessions(path)] == [[5, 5, 22], [26, 21]]


def test_a_gz_sessions_output_is_refused_not_written_plain(tmp_path):
    with pytest.raises(LogbertError, match=r"s.jsonl.gz: sessions files are written uncompressed"):
        write_sessions([Session("a", [1])], tmp_path / "s.jsonl.gz")
