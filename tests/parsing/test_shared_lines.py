"""Inputs that hold each other's lines (parsing/shared_lines.py): a log whose lines another
log of the run repeats word for word is said, once per pair; distinct logs, and a file's copy
(said by its own warning), are not."""

from __future__ import annotations

import random

import pyarrow as pa

from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files
from logbert.parsing.shared_lines import SharedLines, line_sample


def _lines(prefix: str, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        f"2024-03-12 10:{i // 60 % 60:02d}:{i % 60:02d} INFO {prefix}: endpoint "
        f"sat{rng.randint(0, 9)}.icinga.local sent {rng.randint(1, 9999)} bytes"
        for i in range(n)
    ]


def test_a_log_that_repeats_another_s_lines_is_said_once_naming_the_smaller(tmp_path):
    """QA Icinga 2: a folder's `debug.log` repeats every line of `icinga2.log`; both were read,
    every event twice (recall 0.95 to 0.80), and nothing said so."""
    info = _lines("ApiListener", 3000, 1)
    debug = [line for pair in zip(info, _lines("CheckerComponent", 3000, 2), strict=True)
             for line in pair]  # fmt: skip
    (tmp_path / "icinga2.log").write_text("\n".join(info) + "\n")
    (tmp_path / "debug.log").write_text("\n".join(debug) + "\n")
    (tmp_path / "other.log").write_text("\n".join(_lines("Other", 3000, 3)) + "\n")
    names = [str(tmp_path / n) for n in ("icinga2.log", "debug.log", "other.log")]
    summary = parse_files(names, resolve_format("iso"), tmp_path / "e.parquet")
    said = [w for w in summary.warnings if "word for word" in w]
    assert len(said) == 1, summary.warnings
    assert said[0].startswith("warning: 100% of the lines of icinga2.log (by a sample, about ")
    assert "are also in debug.log" in said[0] and "more such inputs" not in said[0]
    apart = parse_files(names[::2], resolve_format("iso"), tmp_path / "f.parquet")
    assert not [w for w in apart.warnings if "word for word" in w]


def test_the_sample_is_chosen_by_content_alike_in_any_chunk():
    lines = _lines("ApiListener", 2000, 4)
    whole = line_sample(pa.array(lines))
    parts = line_sample(pa.array(lines[:700])).crcs
    parts |= line_sample(pa.array(lines[700:]).slice(0)).crcs
    assert whole.crcs == parts and 40 < len(whole.crcs) < 400  # about one line in 16
    assert not whole.whole
    assert line_sample(pa.array(lines, pa.large_string())) == whole  # (64-bit offsets)
    assert len(line_sample(pa.array(["", None, "x"])).crcs) <= 1  # empty and null lines: never
    shared = SharedLines()
    shared.add("a.log", whole)
    shared.add("b.log", whole)
    found = shared.warning({"a.log": 2000, "b.log": 2000}, left_out={"b.log"})
    assert found is None  # already said to be a copy


def test_a_short_error_log_that_repeats_another_s_error_lines_is_said(tmp_path):
    """QA Riak: lager copies each `[error]` line of `console.log` to `error.log` (4 to 17 lines
    a node); a folder read whole held every error event twice (an incident's window counted
    twice, its per-file sessions two alerts) and nothing said so: a one-in-16 sample of 11
    lines is empty. Error lines are sampled whole, and a file all of whose lines were sampled
    is judged from 3."""
    rng = random.Random(5)
    console, errors = [], []
    for i in range(600):
        stamp = f"2026-11-02 10:{i // 60 % 60:02d}:{i % 60:02d}.{rng.randint(0, 999):03d}"
        if i % 50 == 7:
            line = (f"{stamp} [error] <0.{rng.randint(100, 9999)}.0>@riak_kv_vnode:handle_info:"
                    f"{rng.randint(100, 999)} vnode {rng.randint(0, 2**60)} timed out")
            errors.append(line)
        else:
            line = (f"{stamp} [info] <0.{rng.randint(100, 9999)}.0>@riak_core_handoff:start:"
                    f"{rng.randint(10, 99)} handoff of {rng.randint(0, 2**60)} to riak2")
        console.append(line)
    (tmp_path / "console.log").write_text("\n".join(console) + "\n")
    (tmp_path / "error.log").write_text("\n".join(errors) + "\n")
    names = [str(tmp_path / n) for n in ("console.log", "error.log")]
    summary = parse_files(names, resolve_format("iso"), tmp_path / "e.parquet")
    said = [w for w in summary.warnings if "word for word" in w]
    assert len(said) == 1 and "of the lines of error.log" in said[0], summary.warnings
    assert "are also in console.log" in said[0]
    (tmp_path / "other.log").write_text("\n".join(
        line.replace("timed out", "is slow") for line in errors[:5]) + "\n")
    apart = parse_files([names[1], str(tmp_path / "other.log")], resolve_format("iso"),
                        tmp_path / "f.parquet")
    assert not [w for w in apart.warnings if "word for word" in w]  # like, not the same lines
