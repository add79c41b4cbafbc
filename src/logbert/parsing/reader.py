"""Streaming input: plain, gzip or zlib (detected by magic bytes) or stdin, in chunks of whole
lines. zlib without gzip's header is how BackupPC stores its logs (`XferLOG.59.z`, read with
`BackupPC_zcat`; QA BackupPC: read as bytes, each file's "events" were compressed data).

Bytes are read in large blocks and split into lines with pyarrow, so memory stays bounded by
the block size (plus the longest line) whatever the file size. Undecodable bytes are replaced
(U+FFFD) and the affected lines counted; a truncated gzip stream becomes a `LogbertError`
naming the file and how many complete lines it held before the damage. Text in UTF-16 or
UTF-32 (told by its byte-order mark, or for UTF-16 without one by its NUL in every other byte)
is an error saying how to convert it: decoded as UTF-8 it would be NUL-riddled garbage. A UTF-8
byte-order mark is dropped (it is not part of the first line). Each input's `source` name is its
base name, or its path as given where two inputs share a base name (`source_names`).
"""

from __future__ import annotations

import gzip
import os
import sys
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc

from logbert.errors import LogbertError
from logbert.parsing.rotation import log_name

BLOCK_BYTES = 8 << 20
ZLIB_PROBE = 64  # bytes inflated to tell a zlib stream from text (`_is_zlib`)
STDIN = "-"
FILES_NAMED = 3  # `name_files`: inputs named in a message before the rest are counted
UTF8_BOM = b"\xef\xbb\xbf"
# byte-order marks of the encodings we do not read, UTF-32 first (its LE mark starts like UTF-16's)
_FOREIGN_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
UTF16_SAMPLE = 4096  # bytes of an input's start checked for UTF-16 without a byte-order mark


@dataclass
class LineChunk:
    """A run of consecutive lines of one input."""

    lines: pa.Array  # string
    first_line_no: int  # 1-based number of lines[0]
    undecodable: int  # lines in this chunk that had bytes replaced
    # a W3C file's fields in force before the chunk (`w3c.fields_after`; None: none named)
    w3c_fields: tuple[str, ...] | None = None


def source_name(path: str) -> str:
    """The name stored in the `source` column for a single input: its base name."""
    return "stdin" if path == STDIN else Path(path).name


def name_files(files: Sequence[str | os.PathLike]) -> str:
    """The inputs of a run for a message or a record: all of them when few, else the first
    `FILES_NAMED` and a count (QA: 600 boot logs named in every error, and 17,514 characters
    of threshold source in an evaluation file)."""
    names = [os.fspath(f) for f in files]
    if len(names) <= FILES_NAMED + 1:
        return ", ".join(names)
    return f"{', '.join(names[:FILES_NAMED])} and {len(names) - FILES_NAMED:,} more files"


def source_names(inputs: list[str] | list[os.PathLike]) -> list[str]:
    """The `source` of each of `inputs`: its base name (`source_name`) where no input in another
    folder is a part of the same log (`rotation.log_name`), else its path as given
    (host1/auth.log, host2/auth.log), so that a (source, line_no) pair names one line. A name
    still shared (stdin beside a file named `stdin`) gets the absolute path."""
    inputs = [os.fspath(p) for p in inputs]
    names = [source_name(p) for p in inputs]
    # by the log a name is a part of: `host1/app.log.1.gz` beside `host1/app.log` and
    # `host2/app.log` keeps its folder too, or its windows would be `app.log@...`, and another
    # host's `app.log.1` would join them (QA Open vSwitch: two hypervisors in one session)
    logs = [log_name(name) for name in names]
    folders: dict[str, set[str]] = {}
    for path, log in zip(inputs, logs, strict=True):
        folders.setdefault(log, set()).add(os.path.dirname(path))
    names = [
        p if len(folders[log]) > 1 and p != STDIN else n
        for p, n, log in zip(inputs, names, logs, strict=True)
    ]
    counts = Counter(names)
    return [
        str(Path(p).absolute()) if counts[n] > 1 and p != STDIN else n
        for p, n in zip(inputs, names, strict=True)
    ]


def check_inputs(inputs: list[str]) -> None:
    """Refuse an input list that names a file twice (also under another path, or via a link:
    its events would be counted twice) or stdin more than once; missing files are left to
    the reader, which names them."""
    if inputs.count(STDIN) > 1:
        raise LogbertError("stdin (-) can be read only once: pass it a single time")
    seen: dict[tuple[int, int], str] = {}
    for path in inputs:
        if path == STDIN:
            continue
        try:
            info = os.stat(path)
        except OSError:
            continue
        first = seen.get((info.st_dev, info.st_ino))
        if first is None:
            seen[(info.st_dev, info.st_ino)] = path
        else:
            same = "named twice" if first == path else f"the same file as {first}"
            raise LogbertError(
                f"input {path} is {same}: each file is read once, and reading it again would "
                "duplicate every event: pass it a single time"
            )


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
    head = raw.peek(ZLIB_PROBE)[:ZLIB_PROBE] if hasattr(raw, "peek") else b""
    if head[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if _is_zlib(head):
        return _ZlibStream(raw)  # type: ignore[return-value]
    return raw


def _is_zlib(head: bytes) -> bool:
    """Whether `head` starts a zlib stream as zlib writes it by default (a 32 KiB window,
    `0x78`, no preset dictionary) whose first bytes inflate: text that starts with `x^` has
    the header's form, but does not inflate."""
    if len(head) < 2 or head[0] != 0x78 or (head[0] << 8 | head[1]) % 31 or head[1] & 0x20:
        return False
    try:
        zlib.decompressobj().decompress(head)
    except zlib.error:
        return False
    return True


class _ZlibStream:
    """A zlib-compressed file read as its text: one zlib stream after another (BackupPC's
    files may hold several), with `read1` as `_read_block` reads."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.inflate = zlib.decompressobj()

    def read1(self, size: int) -> bytes:
        while True:
            if self.inflate.eof:  # a stream ended: another may follow
                data = self.inflate.unused_data or self.raw.read(BLOCK_BYTES)
                if not data:
                    return b""
                self.inflate = zlib.decompressobj()
            else:
                data = self.inflate.unconsumed_tail or self.raw.read(BLOCK_BYTES)
                if not data:
                    raise EOFError("the zlib stream ends before its end marker")
            out = self.inflate.decompress(data, size)
            if out:
                return out

    read = read1

    def close(self) -> None:
        self.raw.close()


def _utf16_without_bom(head: bytes) -> str | None:
    """`UTF-16LE` / `UTF-16BE` when `head` looks like mostly-ASCII text in UTF-16 without a
    byte-order mark: one byte of every pair is NUL and the other a printable character or
    whitespace (binary data with many NULs has no such regular pattern)."""
    sample = head[:UTF16_SAMPLE]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    for text, nul, encoding in ((even, odd, "UTF-16LE"), (odd, even, "UTF-16BE")):
        printable = sum(1 for b in text if 32 <= b < 127 or b in b"\t\n\r")
        if nul.count(0) >= 0.95 * len(nul) and printable >= 0.9 * len(text):
            return encoding
    return None


def _check_encoding(path: str, head: bytes, gzipped: bool) -> None:
    """Refuse text in UTF-16 / UTF-32 (by its byte-order mark; UTF-16 also without one, by its
    NUL bytes), naming the encoding and the conversion: read as UTF-8 every other byte is a NUL,
    which only looks like binary data."""
    found = next(
        ((encoding, f"it starts with a {encoding} byte-order mark")
         for bom, encoding in _FOREIGN_BOMS if head.startswith(bom)),
        None,
    )  # fmt: skip
    if found is None:
        encoding = _utf16_without_bom(head)
        if encoding is None:
            return
        found = (encoding, "every other byte is a NUL, with no byte-order mark")
    encoding, why = found
    name = "stdin" if path == STDIN else path
    source = "FILE" if path == STDIN else path
    # the converted file keeps its name, in a folder of its own: a rotated set converted so
    # is still read in its order (QA SQL Server: `ERRORLOG.2.utf8.txt` and the like were
    # read newest first)
    target = "utf8/" + ("log" if path == STDIN else Path(path).name.removesuffix(".gz"))
    command = f"mkdir -p utf8 && iconv -f {encoding} -t UTF-8 {source} > {target}"
    if gzipped:
        command = f"mkdir -p utf8 && zcat {source} | iconv -f {encoding} -t UTF-8 > {target}"
    raise LogbertError(
        f"{name} is {encoding} text ({why}), but logs are read as UTF-8: convert it first, "
        f"e.g. `{command}`, and pass the converted file (or the folder of them)"
    )


def _text_start(path: str, block: bytes, gzipped: bool) -> bytes:
    """The first block of an input without its UTF-8 byte-order mark; other marks refused."""
    _check_encoding(path, block, gzipped)
    return block[len(UTF8_BOM) :] if block.startswith(UTF8_BOM) else block


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


class _Damaged(Exception):
    """A read failed (a truncated or corrupt gzip stream) after `data` was read."""

    def __init__(self, data: bytes, cause: Exception) -> None:
        super().__init__(str(cause))
        self.data = data


def _read_block(stream: BinaryIO, size: int) -> bytes:
    """Up to `size` bytes (fewer only at the end). Read piece by piece (`read1`), so that when
    the stream breaks off, `_Damaged` keeps what came before: a single `read` would lose it,
    and the error could not say how many lines the file held."""
    read = getattr(stream, "read1", stream.read)
    pieces: list[bytes] = []
    got = 0
    while got < size:
        try:
            piece = read(size - got)
        except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
            raise _Damaged(b"".join(pieces), exc) from exc
        if not piece:
            break
        pieces.append(piece)
        got += len(piece)
    return pieces[0] if len(pieces) == 1 else b"".join(pieces)


def iter_chunks(path: str, block_bytes: int = BLOCK_BYTES) -> Iterator[LineChunk]:
    """Yield the lines of `path` in chunks; the last line may lack a newline."""
    stream = _open(path)
    line_no = 1
    pending = b""
    first = True
    try:
        while True:
            try:
                block = _read_block(stream, block_bytes)
            except _Damaged as exc:
                complete = line_no - 1 + (pending + exc.data).count(b"\n")
                if isinstance(exc.__cause__, gzip.BadGzipFile) and complete:
                    raise LogbertError(  # a whole gzip member, then other bytes (QA)
                        f"{path}: after {complete:,} lines of gzip data the input goes on with "
                        f"data that is not gzip ({exc}): a .gz and a plain file joined, as "
                        "`cat app.log.2.gz app.log.1 |` makes? Nothing was written: pass the "
                        "files by name (or their folder), or decompress with `zcat -f` first"
                    ) from exc.__cause__
                kind = "zlib" if isinstance(stream, _ZlibStream) else "gzip"
                raise LogbertError(
                    f"{path}: the {kind} stream is truncated or corrupt ({exc}) after "
                    f"{complete:,} complete lines; nothing was written: re-copy or "
                    "re-compress the file"
                ) from exc.__cause__
            if not block:
                break
            if first:  # the byte-order mark, if any, is at the start of the (decompressed) text
                first = False
                block = _text_start(path, block, isinstance(stream, gzip.GzipFile))
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
