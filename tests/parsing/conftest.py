"""Fixtures shared by the parsing tests."""

from __future__ import annotations

import json
from collections.abc import Callable

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from logbert.parsing.auto import rank_formats
from logbert.parsing.formats import resolve_format
from logbert.parsing.masks import mask_array, mask_text
from logbert.parsing.pipeline import parse_files


def _masked_alike(lines: list[str]) -> list[str]:
    """Each line masked one at a time and as a chunk: the two must agree (the pipeline masks
    chunks, scoring one line may mask it alone)."""
    distinct, codes, _ = mask_array(pa.array(lines))
    chunk = [distinct[i].as_py() for i in codes.tolist()]
    single = [mask_text(line) for line in lines]
    assert chunk == single
    return single


@pytest.fixture
def masked_alike() -> Callable[[list[str]], list[str]]:
    """`_masked_alike`: lines masked, one at a time and as a chunk alike."""
    return _masked_alike


@pytest.fixture
def auto_parsed(tmp_path) -> Callable[[list[str], str], dict]:
    """`lines` parsed by built-in format `name`, which `auto` must pick for them: the events
    (a column -> values dict)."""

    def parsed(lines: list[str], name: str) -> dict:
        assert rank_formats(lines * 3)[0].name == name
        log = tmp_path / f"{name}.log"
        log.write_text("\n".join(lines) + "\n")
        parse_files([str(log)], resolve_format(name), tmp_path / "e.parquet")
        return pq.read_table(tmp_path / "e.parquet").to_pydict()

    return parsed


@pytest.fixture
def json_parsed(tmp_path) -> Callable[..., tuple[dict, object]]:
    """JSON `records` written one per line and parsed by `--format json` (`options`: those of
    `resolve_format`): (the events as a column -> values dict, the parse summary)."""

    def parsed(records: list[dict], **options) -> tuple[dict, object]:
        log = tmp_path / "events.jsonl"
        log.write_text("".join(json.dumps(r) + "\n" for r in records))
        fmt = resolve_format("json", **options)
        summary = parse_files([str(log)], fmt, tmp_path / "e.parquet")
        return pq.read_table(tmp_path / "e.parquet").to_pydict(), summary

    return parsed


@pytest.fixture
def log_parsed(tmp_path) -> Callable[..., tuple[dict, object]]:
    """`lines` written to a log file and parsed by format `name` (`options`: those of
    `resolve_format`): (the events as a column -> values dict, the parse summary); the run's
    `templates.csv` is in `tmp_path`."""

    def parsed(lines: list[str], name: str, **options) -> tuple[dict, object]:
        log = tmp_path / "parsed.log"
        log.write_text("".join(line + "\n" for line in lines))
        out = tmp_path / "parsed.parquet"
        summary = parse_files([str(log)], resolve_format(name, **options), out)
        return pq.read_table(out).to_pydict(), summary

    return parsed
