"""`parse`: input files -> events parquet + templates.csv + rejects file.

Per chunk of lines (one 8 MiB block) everything is vectorised: the header regex splits lines
(pyarrow/RE2), masks run on the whole content column, the masked messages are dictionary-encoded
so the miner sees each distinct one once, and template ids, templates and parameters are mapped
back with array takes. Outputs are written under temporary names and renamed only when the whole
run succeeded, so an error (e.g. a truncated .gz) never leaves half-written files.
"""

from __future__ import annotations

import csv
import os
import time
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from logbert.errors import LogbertError
from logbert.parsing.formats import LogFormat, parse_timestamps
from logbert.parsing.masks import JOIN, WILDCARD, mask_array
from logbert.parsing.miner import TemplateMiner
from logbert.parsing.reader import BLOCK_BYTES, LineChunk, iter_chunks, source_name
from logbert.parsing.splitter import has_bytes, split_lines
from logbert.parsing.state import load_miner, save_miner
from logbert.parsing.template_matcher import (
    TemplateMatcher,
    extract_params,
    load_templates,
    scatter_rows,
    template_regex,
)

if TYPE_CHECKING:
    from logbert.parsing.drain3_miner import Drain3Miner

PARSERS = ("logbert", "drain3")
# Chunks prepared ahead in worker threads (pyarrow releases the GIL); also bounds memory.
WORKERS = 2


@dataclass
class ParseSummary:
    """Counts for the closing summary line."""

    lines: int = 0
    events: int = 0
    rejected: int = 0
    undecodable: int = 0
    unmatched: int = 0
    seconds: float = 0.0
    template_counts: Counter = field(default_factory=Counter)
    last_chunk: int = 0

    @property
    def templates(self) -> int:
        return len(self.template_counts)

    def line(self) -> str:
        text = f"{self.lines:,} lines, {self.templates:,} templates, {self.rejected:,} rejected"
        if self.unmatched:
            text += f", {self.unmatched:,} unmatched"
        if self.undecodable:
            text += f", {self.undecodable:,} with undecodable bytes (replaced)"
        rate = self.lines / self.seconds if self.seconds > 0 else 0.0
        return text + f" ({self.seconds:.1f} s, {rate:,.0f} lines/s)"


def output_paths(output: Path) -> tuple[Path, Path]:
    """(templates.csv, rejects file) beside the events file."""
    stem = output.name[: -len(".parquet")] if output.name.endswith(".parquet") else output.name
    return output.with_name("templates.csv"), output.with_name(f"{stem}.rejects.txt")


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


class Parser:
    """Streams inputs through one miner (ours, Drain3, or a known template list)."""

    def __init__(
        self,
        fmt: LogFormat,
        parser: str = "logbert",
        templates: Path | None = None,
        state: Path | None = None,
    ) -> None:
        if parser not in PARSERS:
            raise LogbertError(f"unknown parser {parser!r}: use one of {', '.join(PARSERS)}")
        self.fmt = fmt
        self.matcher = TemplateMatcher(load_templates(templates)) if templates else None
        self.known = {t.tid: t.template for t in self.matcher.templates} if self.matcher else {}
        if state is not None and (parser != "logbert" or templates):
            raise LogbertError("--state works with the default parser only (no --parser drain3 "
                               "or --templates): drop --state")  # fmt: skip
        if parser == "drain3":
            from logbert.parsing.drain3_miner import Drain3Miner  # only when asked: slow import

            self.miner: TemplateMiner | Drain3Miner = Drain3Miner()
        else:
            self.miner = load_miner(state)
        self.schema = _schema(fmt)

    # -- one chunk ------------------------------------------------------------------------
    def prepare(self, chunk: LineChunk, name: str) -> Prepared:
        """Everything per chunk that does not touch the miner (runs in worker threads)."""
        n = len(chunk.lines)
        line_no = np.arange(chunk.first_line_no, chunk.first_line_no + n, dtype=np.int64)
        ok, cols = split_lines(chunk.lines, self.fmt)
        prep = Prepared(chunk, name, ok, line_no[ok], cols)
        if len(prep.line_no) == 0:
            return prep
        content = cols["Content"]
        prep.timestamp = parse_timestamps(cols, self.fmt.timestamp, len(prep.line_no))
        if self.matcher is None:
            if self.miner.masks_input:
                distinct, codes, words_text = mask_array(content)
            else:
                enc = pc.dictionary_encode(content)
                distinct, codes = enc.dictionary, enc.indices.to_numpy(zero_copy_only=False)
                words_text = content
            prep.messages, prep.codes = distinct.to_pylist(), codes
            if isinstance(self.miner, TemplateMiner):
                prep.words = _words(words_text)
        return prep

    def templates_for(self, prep: Prepared) -> tuple[np.ndarray, pa.Array, pa.Array]:
        """(template ids, template texts, params) for a prepared chunk (serial: the miner)."""
        content = prep.cols["Content"]
        if self.matcher is not None:
            ids, params = self.matcher.match(content)
            texts = {t: self.known[t] for t in np.unique(ids) if t >= 0}
            return ids, _texts(ids, texts), params
        codes, uniq = prep.codes, prep.messages
        if isinstance(self.miner, TemplateMiner):
            counts = np.bincount(codes, minlength=len(uniq))
            uniq_ids = np.asarray(self.miner.add(uniq, counts), dtype=np.int64)
        else:
            uniq_ids = np.asarray(self.miner.add(uniq), dtype=np.int64)
        ids = uniq_ids[codes]
        texts = {int(t): self.miner.template(int(t)) for t in np.unique(uniq_ids)}
        if isinstance(self.miner, TemplateMiner):
            params = _params_by_position(prep.words, ids, texts)
        else:
            params = _params_by_regex(content, ids, texts)
        return ids, _texts(ids, texts), params


@dataclass
class Prepared:
    """A chunk after the per-line work: matched rows, columns, masked messages."""

    chunk: LineChunk
    name: str
    ok: np.ndarray
    line_no: np.ndarray
    cols: dict[str, pa.Array]
    timestamp: pa.Array | None = None
    messages: list[str] | None = None  # distinct (masked) messages for the miner
    codes: np.ndarray | None = None  # each row's index into `messages`
    words: pa.ListArray | None = None


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
    return pa.ListArray.from_arrays(pa.array(out_off, pa.int64()).cast(pa.int32()), values)


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


# -- whole run --------------------------------------------------------------------------------
def parse_files(
    inputs: list[str],
    fmt: LogFormat,
    output: Path,
    parser: str = "logbert",
    templates: Path | None = None,
    state: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
    block_bytes: int = BLOCK_BYTES,
) -> ParseSummary:
    """Parse `inputs` into `output` (+ templates.csv and rejects file); see the module doc."""
    run = Parser(fmt, parser, templates, state)
    if inputs.count("-") > 1:
        raise LogbertError("stdin (-) can be read only once: pass it a single time")
    if not output.parent.exists():
        raise LogbertError(f"output folder {output.parent} does not exist: create it first")
    if output.is_dir():
        raise LogbertError(f"output {output} is a folder: pass a file name such as events.parquet")
    templates_csv, rejects = output_paths(output)
    tmp = {p: p.with_name(f".{p.name}.partial") for p in (output, templates_csv, rejects)}
    summary = ParseSummary()
    start = time.perf_counter()
    try:
        with (
            pq.ParquetWriter(tmp[output], run.schema, **_writer_options(fmt)) as writer,
            open(tmp[rejects], "w", encoding="utf-8") as rej,
        ):
            rej.write("source\tline_no\tline\n")
            with ThreadPoolExecutor(max_workers=WORKERS) as pool:
                pending: deque[Future[Prepared]] = deque()
                for path in inputs:
                    name = source_name(path)
                    for chunk in iter_chunks(path, block_bytes):
                        pending.append(pool.submit(run.prepare, chunk, name))
                        while len(pending) > WORKERS:
                            _finish(run, pending.popleft().result(), writer, rej, summary)
                            if on_progress:
                                on_progress(summary.last_chunk)
                while pending:
                    _finish(run, pending.popleft().result(), writer, rej, summary)
                    if on_progress:
                        on_progress(summary.last_chunk)
        _write_templates(run, summary, tmp[templates_csv])
        if state is not None and isinstance(run.miner, TemplateMiner):
            save_miner(run.miner, state)
        for final, partial in tmp.items():
            os.replace(partial, final)
    finally:
        for partial in tmp.values():
            partial.unlink(missing_ok=True)
    summary.seconds = time.perf_counter() - start
    return summary


def _finish(
    run: Parser, prep: Prepared, writer: pq.ParquetWriter, rej, summary: ParseSummary
) -> None:
    """Serial part of a chunk: rejects, miner, parameters, writing."""
    chunk, ok, line_no, cols = prep.chunk, prep.ok, prep.line_no, prep.cols
    summary.lines += len(chunk.lines)
    summary.last_chunk = len(chunk.lines)
    summary.undecodable += chunk.undecodable
    if not ok.all():
        bad = np.flatnonzero(~ok)
        summary.rejected += len(bad)
        texts = chunk.lines.take(pa.array(bad)).to_pylist()
        for i, text in zip(bad, texts, strict=True):
            rej.write(f"{prep.name}\t{chunk.first_line_no + i}\t{text}\n")
    m = len(line_no)
    if m == 0:
        return
    ids, texts, params = run.templates_for(prep)
    unmatched = ids < 0
    summary.unmatched += int(unmatched.sum())
    uniq, cnt = np.unique(ids[~unmatched], return_counts=True)
    summary.template_counts.update(dict(zip(uniq.tolist(), cnt.tolist(), strict=True)))
    summary.events += m
    fmt = run.fmt
    label = cols[fmt.label] if fmt.label and fmt.label in cols else pa.nulls(m, pa.string())
    arrays = {
        "line_no": pa.array(line_no),
        "source": pa.DictionaryArray.from_arrays(
            pa.array(np.zeros(m, np.int32)), pa.array([prep.name])
        ).cast(pa.string()),
        "timestamp": prep.timestamp,
        **{f: cols[f] for f in fmt.header_fields},
        "content": cols["Content"],
        "template_id": pa.array(ids, mask=unmatched),
        "template": texts,
        "params": params,
        "label": label,
    }
    writer.write_table(pa.table(arrays, schema=run.schema))


def _writer_options(fmt: LogFormat) -> dict:
    """Dictionary pages for repetitive columns and statistics for sortable ones only: the
    writer spends most of its time on the long unique texts (content, params) otherwise."""
    clock = set(fmt.timestamp.fields) if fmt.timestamp else set()
    return {
        "use_dictionary": ["source", "template", "label"]
        + [f for f in fmt.header_fields if f not in clock],
        "write_statistics": ["line_no", "timestamp", "template_id"],
    }


def _write_templates(run: Parser, summary: ParseSummary, path: Path) -> None:
    if run.matcher is not None:
        known = run.known
    else:
        known = {t: run.miner.template(t) for t in run.miner.ids}
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["template_id", "template", "count"])
        for tid in sorted(known):
            out.writerow([tid, known[tid], summary.template_counts.get(tid, 0)])
