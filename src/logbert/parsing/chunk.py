"""One chunk's arrays: the events schema, a chunk after the per-line work (`Prepared`), a
chunk parsed (`ParsedChunk`), and the takes that map template ids, template texts and
parameters back onto its rows.

Per chunk of lines everything is vectorised (pyarrow/numpy): the masked messages are
dictionary-encoded so the miner sees each distinct one once, and what it returns per distinct
message goes back to the rows with array takes. Nothing here holds parser state, so the
`Parser` (`pipeline.py`) keeps only the order of the work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from logbert.parsing.formats import LogFormat
from logbert.parsing.masks import JOIN, WILDCARD
from logbert.parsing.param_align import realigned
from logbert.parsing.reader import LineChunk
from logbert.parsing.shared_lines import LineSample
from logbert.parsing.splitter import has_bytes
from logbert.parsing.template_matcher import extract_params, scatter_rows, template_regex
from logbert.parsing.zones import ZoneUse


@dataclass
class ParsedChunk:
    """One chunk of input parsed: events in the events schema, and what did not become one."""

    events: pa.Table  # the events schema (`Parser.schema`), one row per line the format fits
    rejects: list[tuple[str, int, str]]  # (source, line_no, line) of lines the format rejects
    lines: int  # input lines in the chunk
    undecodable: int  # lines whose undecodable bytes were replaced
    unmatched: int  # events no template fits (`--templates` only): null template_id
    template_counts: dict[int, int] = field(default_factory=dict)  # lines per template id
    blank: int = 0  # empty or whitespace-only lines: neither events nor rejects
    directives: int = 0  # a W3C or Zeek file's `#` directives: neither events nor rejects


@dataclass
class Prepared:
    """A chunk after the per-line work: matched rows, columns, masked messages."""

    chunk: LineChunk
    name: str
    ok: np.ndarray
    blank: np.ndarray  # per line of the chunk: empty or whitespace only (not in `ok`)
    line_no: np.ndarray
    cols: dict[str, pa.Array]
    directives: np.ndarray  # per line: a W3C file's `#` directive (not in `ok`)
    timestamp: pa.Array | None = None
    timed: bool = False  # whether timestamps could be read (the format has a rule and a year)
    new_input: bool = False  # the first chunk of an input file
    not_after: int | None = None  # µs: later dates were put in the year before (`YearHint`)
    messages: list[str] | None = None  # distinct (masked) messages for the miner
    codes: np.ndarray | None = None  # each row's index into `messages`
    words: pa.ListArray | None = None
    zones: ZoneUse | None = None  # zone names a `<Zone>` field applied, or could not
    zone_name: str | None = None  # ... and that field's name
    in_utc: int = 0  # rows whose timestamp text says its offset, or is epoch time
    zoned: int = 0  # rows dated in --timezone's zone (no offset of their own)
    skipped_hour: ZoneUse | None = None  # --timezone's: times its clocks skipped
    naive: int = 0  # rows whose time has no offset, read as UTC (no --timezone, no zone field)
    # a Zeek log's: each record is stamped with when it started and written when it ended, so
    # its times step back wherever a long connection ends (no clock set back: no warning)
    stamped_at_start: bool = False
    line_sample: LineSample | None = None  # `shared_lines.line_sample`, with several inputs


def _schema(fmt: LogFormat) -> pa.Schema:
    return pa.schema(
        [("line_no", pa.int64()), ("source", pa.string()), ("timestamp", pa.timestamp("us"))]
        + [(f, pa.string()) for f in fmt.header_fields]
        + [
            ("content", pa.string()),
            ("template_id", pa.int64()),
            ("template", pa.string()),
            ("params", pa.list_(pa.string())),
            ("label", pa.string()),
        ]
    )


def _blank(lines: pa.Array) -> np.ndarray:
    """Which lines are empty or whitespace only: no log event, and no sign that the format does
    not fit either (logs and copy-pastes hold blank lines), so they are counted on their own."""
    empty = pc.or_(pc.equal(pc.binary_length(lines), 0), pc.utf8_is_space(lines))
    return pc.fill_null(empty, False).to_numpy(zero_copy_only=False)


def _texts(ids: np.ndarray, texts: dict[int, str]) -> pa.Array:
    keys = np.array(sorted(texts), dtype=np.int64)
    if len(keys) == 0:
        return pa.nulls(len(ids), pa.string())
    pos = np.searchsorted(keys, ids).clip(0, len(keys) - 1)
    found = keys[pos] == ids
    vocab = pa.array([texts[int(k)] for k in keys], pa.string())
    return vocab.take(pa.array(pos, mask=~found))


def _words(content: pa.Array) -> pa.Array:
    """Words of trimmed text (a plain split when there are no whitespace runs: faster)."""
    text = content
    if has_bytes(text, 9, 13) or pc.any(pc.match_substring(text, "  ")).as_py():
        return pc.split_pattern_regex(text, r"\s+")
    return pc.split_pattern(text, " ")


def _params_by_position(words: pa.ListArray, ids: np.ndarray, texts: dict[int, str]) -> pa.Array:
    """Words of each message at its template's `<*>` positions (templates align word by word)."""
    keys = np.array(sorted(texts), dtype=np.int64)
    positions = [[p for p, w in enumerate(texts[int(k)].split(" ")) if WILDCARD in w] for k in keys]
    counts = np.array([len(p) for p in positions], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    flat_pos = np.array([p for ps in positions for p in ps], dtype=np.int64)
    local = np.searchsorted(keys, ids)
    c = counts[local]
    out_off = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(c, out=out_off[1:])
    if out_off[-1] == 0:
        return pa.ListArray.from_arrays(out_off.astype(np.int32), pa.array([], pa.string()))
    row = np.repeat(np.arange(len(ids)), c)
    k = np.arange(out_off[-1]) - out_off[row]
    word_off = words.offsets.to_numpy()
    flat = word_off[row] + flat_pos[starts[local][row] + k]
    values = words.values.take(pa.array(flat))
    if pc.any(pc.match_substring(values, JOIN)).as_py():
        values = pc.replace_substring(values, JOIN, " ")
    params = pa.ListArray.from_arrays(pa.array(out_off, pa.int64()).cast(pa.int32()), values)
    return realigned(params, words, ids, texts)  # rows a mask took several words of as one


def _params_by_regex(content: pa.Array, ids: np.ndarray, texts: dict[int, str]) -> pa.Array:
    pieces = []
    for tid, text in texts.items():
        rows = np.flatnonzero(ids == tid)
        part = content.take(pa.array(rows))
        regex = template_regex(text)
        ok = pc.match_substring_regex(part, regex).to_numpy(zero_copy_only=False)
        if ok.any():
            pieces.append((rows[ok], extract_params(part.filter(pa.array(ok)), regex)))
    return scatter_rows(pieces, len(ids))
