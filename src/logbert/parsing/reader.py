"""Streaming input: plain, gzip (detected by magic bytes) or stdin, in chunks of whole lines.

Bytes are read in large blocks and split into lines with pyarrow, so memory stays bounded by
the block size (plus the longest line) whatever the file size. Undecodable bytes are replaced
(U+FFFD) and the affected lines counted; a truncated gzip stream becomes a `LogbertError`
naming the file and how many lines were read.
"""

from __future__ import annotations

import gzip
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc

from logbert.errors import LogbertError

BLOCK_BYTES = 8 << 20
STDIN = "-"


@dataclass
class LineChunk:
    """A run of consecutive lines of one input."""

    lines: pa.Array  # string
    first_line_no: int  # 1-based number of lines[0]
    undecodable: int  # lines in this chunk that had bytes replaced


def source_name(path: str) -> str:
    """The name stored in the `source` column."""
    return "stdin" if path == STDIN else Path(path).name


def _open(path: str) -> BinaryIO:
    if path == STDIN:
        raw: BinaryIO = sys.stdin.buffer
    else:
        p = Path(path)
        if not p.exists():
            raise LogbertError(f"input file {path} does not exist: check the path")
        if p.is_dir():
            raise LogbertError(f"input {path} is a directory: pass log files (or - for stdin)")
        try:
            raw = open(p, "rb")  # noqa: SIM115 - closed by the caller
        except OSError as exc:
            raise LogbertError(f"cannot open input {path}: {exc.strerror}") from exc
    head = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    if head == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw


def _decode(block: bytes) -> tuple[str, int]:
    try:
        return block.decode("utf-8"), 0
    except UnicodeDecodeError:
        bad = 0
        for line in block.split(b"\n"):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                bad += 1
        return block.decode("utf-8", errors="replace"), bad


def _split(text: str) -> pa.Array:
    lines = pc.split_pattern(pa.array([text], pa.large_string()), "\n").flatten()
    lines = pc.cast(lines, pa.string()) if len(text) < (1 << 31) - 1 else lines
    if "\r" in text:
        lines = pc.utf8_rtrim(lines, characters="\r")
    return lines


def iter_chunks(path: str, block_bytes: int = BLOCK_BYTES) -> Iterator[LineChunk]:
    """Yield the lines of `path` in chunks; the last line may lack a newline."""
    stream = _open(path)
    line_no = 1
    pending = b""
    try:
        while True:
            try:
                block = stream.read(block_bytes)
            except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
                raise LogbertError(
                    f"{path}: the gzip stream is truncated or corrupt ({exc}) after "
                    f"{line_no - 1:,} complete lines; nothing was written: re-copy or "
                    "re-compress the file"
                ) from exc
            if not block:
                break
            data = pending + block
            cut = data.rfind(b"\n")
            if cut < 0:  # a line longer than a block: keep reading
                pending = data
                continue
            pending = data[cut + 1 :]
            text, bad = _decode(data[:cut])
            lines = _split(text)
            yield LineChunk(lines, line_no, bad)
            line_no += len(lines)
        if pending:
            text, bad = _decode(pending)
            lines = _split(text)
            yield LineChunk(lines, line_no, bad)
    finally:
        if path != STDIN:
            stream.close()
