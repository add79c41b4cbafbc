"""Plain labelled text records: `{"input": text, "output": label}` as one-key sessions."""

from __future__ import annotations

import json

import pytest

from logbert.errors import LogbertError
from logbert.sessions.text_records import read_text_records, text_key

RECORDS = [
    {"input": "disk full on /var", "output": "anomaly"},
    {"input": "  backup finished  ", "output": "normal"},
    {"input": "disk full on /var", "output": "DiskFull", "id": "inc-7"},
    {"input": "kernel panic; disk full", "output": "Kernel, DiskFull"},
    {"input": "all good", "output": ["normal"]},
    {"input": "login failed", "output": True},
]


def write_jsonl(path, records) -> str:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n\n", encoding="utf-8")
    return str(path)


def test_jsonl_records_become_one_key_sessions_with_labels(tmp_path):
    records = read_text_records(write_jsonl(tmp_path / "r.jsonl", RECORDS))
    sessions = records.sessions
    assert [s.session_id for s in sessions] == ["1", "2", "inc-7", "4", "5", "6"]
    assert [s.label for s in sessions] == ["anomaly", "normal", "anomaly", "anomaly", "normal",
                                           "anomaly"]  # fmt: skip
    assert [s.categories for s in sessions] == [None, None, ["DiskFull"], ["DiskFull", "Kernel"],
                                                [], None]  # fmt: skip
    # the same text is the same key, in any file; whitespace around it does not count
    assert sessions[0].keys == sessions[2].keys == [text_key("disk full on /var")]
    assert records.templates[sessions[1].keys[0]] == "backup finished"
    assert len(records.templates) == 5 and all(0 <= k < 2**63 for k in records.templates)
    assert records.template_set() == {str(k): v for k, v in records.templates.items()}


def test_a_json_list_reads_the_same(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(RECORDS, indent=2), encoding="utf-8")
    from_list = read_text_records(path)
    from_lines = read_text_records(write_jsonl(tmp_path / "r.jsonl", RECORDS))
    assert [(s.keys, s.label, s.categories) for s in from_list.sessions] == [
        (s.keys, s.label, s.categories) for s in from_lines.sessions
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": "x", "output": "normal"}', 'line 2: record has no "input"'),
        ('{"input": "x", "output": ""}', 'line 2: empty "output"'),
        ('{"input": "x", "output": " , "}', 'line 2: empty "output"'),
        ('{"input": "x", "output": null}', 'line 2: empty "output"'),
        ('{"input": "x", "output": []}', 'line 2: empty "output"'),
        ('{"input": "x", "output": "a,,b"}', 'line 2: bad "output": an empty'),
        ('{"input": "x", "output": "anomly"}', "line 2: bad \"output\".*did you mean 'anomaly'"),
        ('{"input": "x", "output": {"a": 1}}', 'line 2: "output" must be'),
        ('{"input": "", "output": "normal"}', 'line 2: "input" must be a non-empty string'),
        ('{"input": 5, "output": "normal"}', 'line 2: "input" must be a non-empty string'),
        ('{"input": "x", "output": "normal"', "line 2: not valid JSON"),
        ("input=x output=normal", "line 2: not valid JSON"),
        ('["x", "normal"]', "line 2: expected a JSON object"),
        ('{"input": "x"}', 'line 2: record has no "output"'),
    ],
)
def test_bad_records_name_their_line(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"input": "ok", "output": "normal"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(LogbertError, match=message) as error:
        read_text_records(path)
    assert str(path) in str(error.value)


def test_scoring_needs_no_output_but_refuses_an_empty_one(tmp_path):
    path = write_jsonl(tmp_path / "r.jsonl", [{"input": "a"}, {"input": "b", "output": "normal"}])
    sessions = read_text_records(path, need_labels=False).sessions
    assert [s.label for s in sessions] == [None, "normal"]
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"input": "a", "output": ""}])
    with pytest.raises(LogbertError, match='line 1: empty "output"'):
        read_text_records(bad, need_labels=False)


def test_json_list_errors_name_the_line(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('[\n  {"input": "a", "output": "normal"},\n  {"output": "anomaly"}\n]\n')
    with pytest.raises(LogbertError, match='line 3: record has no "input"'):
        read_text_records(path)
    path.write_text('[\n  {"input": "a", "output": "normal"}\n  {"input": "b"}\n]\n')
    with pytest.raises(LogbertError, match="line 3: not valid JSON"):
        read_text_records(path)
    path.write_text('[{"input": "a", "output": "normal"}] trailing')
    with pytest.raises(LogbertError, match="line 1: text after the end"):
        read_text_records(path)


def test_empty_or_missing_files_are_clear_errors(tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n\n")
    with pytest.raises(LogbertError, match="holds no records"):
        read_text_records(tmp_path / "empty.jsonl")
    (tmp_path / "empty.json").write_text("[ ]")
    with pytest.raises(LogbertError, match="holds no records"):
        read_text_records(tmp_path / "empty.json")
    with pytest.raises(LogbertError, match="not found"):
        read_text_records(tmp_path / "nope.jsonl")
    with pytest.raises(LogbertError, match="is a folder"):
        read_text_records(tmp_path)
