"""Reading log files as they grow, like `tail -F`, with a position that survives a restart.

A `FollowedFile` reads whole lines (a last line without its newline waits for it while the
file may still grow) and knows where it is: the file's device and inode, the byte offset after
the last line it returned, the number of the next line, and a hash of the file's first bytes
(an inode can be reused by a new file once nobody holds the old one open).

With `follow`, when it has read everything it checks the path:
- a new file there (other inode: renamed and re-created, or deleted and re-created): the old
  file is read to its end first (the handle still reads it), then the new one from its start,
  line 1. The old file stays open and is read first at each poll until the new file has lines
  and the old one gave nothing more: a writer that has not reopened its log yet (logrotate's
  `create` before the service's reload) keeps appending to it, and those lines were lost;
  its last line without newline is taken when it is let go;
- the same file, shorter than the offset or beginning with other bytes (truncated, or
  truncated and written past the offset between two polls: logrotate's `copytruncate`):
  from its start, line 1, with a warning that lines written between the last read and the
  truncation are only in the copy;
- nothing there (deleted, not re-created yet): it waits, the old file finished.
Holding the old file open keeps its inode from being reused while it is being finished.
Lines carry the name the file has when they are read (`reading`): the old file's lines read
after a rotation name it as it is called now (`x.log.1`), so evidence points at them.

A restart (`resume`) meets the same cases with the reader stopped in between: the same file,
shorter than the offset, was truncated while stopped (read from its start); another file at
the path was rotated in while stopped: the old file is looked for in the same folder by its
device and inode (`x.log.1`, the usual rotation names) and its unread tail read first, then the
new file from its start. An old file that cannot be found any more (compressed, deleted) gets
a `warning:` naming how many bytes of it, at least, may be unread. With `follow`, a path that
does not exist yet is waited for, said once; its folder must exist (`check_folder`).

Gzip files (detected by their magic bytes) are read to their end, not followed; their offset
counts uncompressed bytes. Standard input (`-`) is read without blocking (so a stop request is
seen while `journalctl -f` is quiet) and has no position to resume.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import select
import stat as stat_mode
import sys
from pathlib import Path
from typing import Any, BinaryIO

from logbert.errors import LogbertError
from logbert.parsing.reader import STDIN, source_name

HEAD_BYTES = 256  # bytes hashed to tell a file from a new one that got the same inode
# truncated, then written past the offset before the next poll (logrotate's copytruncate)
REWRITTEN = "truncated and written again past where it was read"
READ_BYTES = 1 << 16


class FollowedFile:
    """One input path (or `-`); `read_lines(n)` -> (lines, number of the first)."""

    def __init__(self, path: str, follow: bool = False, source: str | None = None) -> None:
        self.path = path
        self.source = source or source_name(path)  # watch names several inputs apart
        self.follow = follow
        self.handle: BinaryIO | None = None
        self.gzip = False
        self.dev: int | None = None
        self.inode: int | None = None
        self.offset = 0  # bytes (uncompressed for gzip) up to the end of the last line returned
        self.line_no = 1  # number of the next line
        self.head: str | None = None  # hash of the first bytes, once the file has them
        self.head_len = 0
        self.finished = False  # read to its end for good (not followed, or stdin closed)
        self.notes: list[str] = []  # what happened (rotation, truncation), for stderr
        self._buffer = b""  # stdin: bytes read after the last whole line
        self._eof = False
        self._moved_from: str | None = None  # resumed on the old file, renamed to this path
        self._old: FollowedFile | None = None  # the file rotated away, read while it grows
        self.reading = self.source  # the name of the file the last lines returned came from
        self._waiting_said = False  # "waiting for PATH to appear" said once

    def check_folder(self) -> None:
        """With `follow` a missing file is waited for, but a missing folder is a typo that
        would watch nothing forever: refuse it."""
        if self.path == STDIN:
            return
        folder = Path(self.path).parent
        if not folder.is_dir():
            raise LogbertError(
                f"log file {self.path}: its folder {folder} does not exist: check the path "
                "(--follow waits for a file to appear, but only in an existing folder)"
            )

    # --- position -------------------------------------------------------------------------

    def position(self) -> dict[str, Any]:
        """Plain JSON: where the next line starts (`resume` takes it back)."""
        return {
            "path": self.path,
            "dev": self.dev,
            "inode": self.inode,
            "offset": self.offset,
            "line_no": self.line_no,
            "head": self.head,
            "head_len": self.head_len,
            "finished": self.finished,
            "size": self._size(),
        }

    def _size(self) -> int | None:
        """The file's size now (plain files): with the offset, how much was left unread."""
        if self.handle is None or self.gzip or self.path == STDIN:
            return None
        return os.fstat(self.handle.fileno()).st_size

    def resume(self, position: dict[str, Any]) -> None:
        """Continue where `position` says: from the offset when the path is still that file
        (same device, inode and first bytes); from its start when that file is now shorter or
        begins otherwise (truncated while stopped); when another file (or none) is at the path
        (rotated while stopped), from the offset of the old file if it is still in the same
        folder under another name, then the new file from its start; otherwise a warning says
        what may be unread and the new file is read from its start (see the module doc)."""
        if self.path == STDIN:
            return
        offset = int(position.get("offset") or 0)
        if self.open() and self._same_inode(position):
            shorter = not self.gzip and os.fstat(self._fd()).st_size < offset
            head_len = int(position.get("head_len") or 0)
            if not shorter and self._head_hash(head_len) == position.get("head"):
                self._continue(position)
                return
            # same inode at the path: truncated (or deleted and its inode reused at once)
            how = "truncated" if shorter else "rewritten (its first bytes changed)"
            lost = _unread(position, "truncated")
            self.notes.append(
                f"{'warning: ' if lost else ''}{self.path} was {how} while watch was stopped "
                f"({offset:,} bytes had been read{'; ' + lost if lost else ''}): reading it "
                "again from its start"
            )
            return
        if offset == 0:  # nothing of the old file was read: nothing can have been skipped
            return
        moved = self._find_moved(position)
        if moved is not None:
            name, raw = moved
            self.close()
            self.handle, self.gzip, self._moved_from = raw, False, name
            self.dev, self.inode = position.get("dev"), position.get("inode")
            self._continue(position)
            self.reading = self._renamed_source(name)
            self.notes.append(
                f"{self.path} was rotated while watch was stopped: reading the rest of the old "
                f"file, now {name}, from line {self.line_no:,} (byte {offset:,}), then "
                f"{self.path} from its start"
            )
            return
        last = int(position.get("line_no") or 1) - 1
        unread = _unread(position, "rotated") or (
            f"lines written to it after line {last:,} (byte {offset:,}) may be unread"
        )
        here = "another file is there now" if self.handle is not None else "it is gone"
        self.notes.append(
            f"warning: {self.path} was rotated while watch was stopped ({here}), and the old "
            f"file (device {position.get('dev')}, inode {position.get('inode')}) is no longer "
            f"in {Path(self.path).parent.resolve()} (compressed or deleted?): {unread}; "
            f"reading {self.path} from its start"
        )

    def _continue(self, position: dict[str, Any]) -> None:
        """Seek the open handle to the recorded offset and take over line number and head."""
        assert self.handle is not None
        self.offset = int(position.get("offset") or 0)
        self.handle.seek(self.offset)
        self.line_no = int(position.get("line_no") or 1)
        self.head, self.head_len = position.get("head"), int(position.get("head_len") or 0)

    def _same_inode(self, position: dict[str, Any]) -> bool:
        """Whether the open handle has the device and inode `position` was taken on."""
        recorded = (position.get("dev"), position.get("inode"))
        return self.handle is not None and recorded == (self.dev, self.inode)

    def _find_moved(self, position: dict[str, Any]) -> tuple[str, BinaryIO] | None:
        """The file `position` was taken on, renamed within the path's folder (x.log.1):
        (its path, an open handle), or None. Its first bytes must still match (an inode is
        reused once a file is deleted) and it must hold at least the bytes read."""
        dev, inode, head = position.get("dev"), position.get("inode"), position.get("head")
        if inode is None or head is None:
            return None
        folder = Path(self.path).parent
        for path in _paths_of_inode(folder, inode):
            try:
                raw = open(path, "rb")  # noqa: SIM115 - becomes the handle, or is closed
            except OSError:
                continue
            found = os.fstat(raw.fileno())
            if (
                stat_mode.S_ISREG(found.st_mode)
                and (found.st_dev, found.st_ino) == (dev, inode)
                and found.st_size >= int(position.get("offset") or 0)
                and _hash_head(raw.fileno(), int(position.get("head_len") or 0)) == head
            ):
                return path, raw
            raw.close()
        return None

    # --- reading --------------------------------------------------------------------------

    def open(self) -> bool:
        """Open the path when it exists (True when a file is open)."""
        if self.handle is not None:
            return True
        if self.path == STDIN:
            self.handle = sys.stdin.buffer
            return True
        path = Path(self.path)
        if path.is_dir():
            raise LogbertError(f"input {self.path} is a folder: pass log files (or - for stdin)")
        try:
            raw = open(path, "rb")  # noqa: SIM115 - kept open while followed, closed in close()
        except FileNotFoundError:
            if not self.follow:
                raise LogbertError(f"log file {self.path} not found: check the path") from None
            if not self._waiting_said:
                self._waiting_said = True
                self.notes.append(f"waiting for {self.path} to appear")
            return False
        except OSError as exc:
            raise LogbertError(f"cannot open {self.path}: {exc.strerror}") from exc
        stat = os.fstat(raw.fileno())
        self.dev, self.inode = stat.st_dev, stat.st_ino
        self.gzip = raw.peek(2)[:2] == b"\x1f\x8b"
        self.handle = gzip.GzipFile(fileobj=raw, mode="rb") if self.gzip else raw  # type: ignore[assignment]
        self.offset, self.line_no, self.head, self.head_len = 0, 1, None, 0
        return True

    def close(self) -> None:
        if self.handle is not None and self.path != STDIN:
            self.handle.close()
        self.handle = None
        if self._old is not None:
            self._old.close()
            self._old = None

    def read_lines(self, limit: int, wait: float = 0.0) -> tuple[list[str], int]:
        """Up to `limit` whole lines available now and the number of the first; ([], n) when
        there is nothing new (after checking for rotation and truncation when following)."""
        if self.finished or not self.open():
            return [], self.line_no
        if self.path == STDIN:
            return self._read_stdin(limit, wait)
        if self._old is not None:
            old_lines, old_first = self._read_old(limit)
            if old_lines:
                return old_lines, old_first
        if self.follow and not self.gzip and self._rewritten():
            shorter = os.fstat(self._fd()).st_size < self.offset
            return self._restart(limit, "truncated" if shorter else REWRITTEN)
        if self._moved_from is None:
            self.reading = self._name_now()
        first = self.line_no
        lines = self._read(limit)
        if not lines and (self.follow or self._moved_from is not None) and not self.gzip:
            lines, first = self._check_path(limit)
        if not lines and (not self.follow or self.gzip):
            self.finished = True
        return lines, first

    def _read(self, limit: int, final: bool = False) -> list[str]:
        handle, lines = self.handle, []
        assert handle is not None
        while len(lines) < limit:
            raw = handle.readline()
            if not raw:
                break
            if not raw.endswith(b"\n") and self.follow and not final and not self.gzip:
                handle.seek(self.offset)  # half a line: wait for the rest
                break
            self.offset += len(raw)
            lines.append(raw.decode("utf-8", errors="replace").rstrip("\r\n"))
        self.line_no += len(lines)
        if self.head is None or self.head_len < HEAD_BYTES:
            self._update_head()
        return lines

    def _check_path(self, limit: int) -> tuple[list[str], int]:
        """The file has nothing new: is there another file at the path, or was it truncated?"""
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return self._finish_old(limit)  # deleted or renamed, no new file yet: wait
        if (stat.st_dev, stat.st_ino) != (self.dev, self.inode):
            # `reading` already names the old file as it is called now (`_name_now`, or the
            # moved file's name since `resume`)
            first = self.line_no
            lines = self._read(limit)  # whole lines: its writer may still append
            if lines:
                return lines, first
            self._old = self._handed_over()
            self.notes.append(f"{self.path} was rotated: reading the new file from its start")
            if not self.open():
                return [], self.line_no
            self.reading = self.source
            return self._read(limit), 1
        if stat.st_size < self.offset:
            return self._restart(limit, "truncated")
        return [], self.line_no

    def _restart(self, limit: int, how: str) -> tuple[list[str], int]:
        """The file at the path, same inode, was truncated: read it again from line 1."""
        self.notes.append(
            f"{self.path} was {how}: reading it again from its start"
            if how != REWRITTEN
            else f"warning: {self.path} was {how}: reading it again from its start; lines "
            f"written after line {self.line_no - 1:,} (byte {self.offset:,}) before the "
            "truncation were not read (logrotate's copytruncate keeps them in its copy: "
            "rotate by renaming, or watch the copy too)"
        )
        assert self.handle is not None
        self.handle.seek(0)
        self.offset, self.line_no, self.head, self.head_len = 0, 1, None, 0
        self.reading = self.source
        return self._read(limit), 1

    def _name_now(self) -> str:
        """The source name of the open file as it is called now: the input's own, unless the
        path holds another file (renamed before this poll saw it: its lines written since
        name it as `x.log.1`, not as the new `x.log`)."""
        if not self.follow or self.gzip or self.handle is None:
            return self.source
        try:
            stat = os.stat(self.path)
            if (stat.st_dev, stat.st_ino) == (self.dev, self.inode):
                return self.source
        except OSError:
            pass
        if self.reading == self.source:  # looked up once per rotation
            renamed = self._name_in_folder()
            if renamed is not None:
                return self._renamed_source(renamed)
        return self.reading

    def _rewritten(self) -> bool:
        """Whether the open file's first bytes are no longer the ones read (same inode):
        truncated and written again past the offset between two polls, so `_check_path`
        never sees it shorter."""
        if self.head is None or not self.head_len or self._moved_from is not None:
            return False
        return self._head_hash(self.head_len) != self.head

    def _handed_over(self) -> FollowedFile:
        """The rotated-away file as a reader of its own, left open: its writer may not have
        reopened the log yet (`read_lines` reads it first until it stays quiet)."""
        old = FollowedFile(self.path, follow=True, source=self.reading)
        old.handle, old.dev, old.inode = self.handle, self.dev, self.inode
        old.offset, old.line_no = self.offset, self.line_no
        self.handle, self._moved_from = None, None
        return old

    def _read_old(self, limit: int) -> tuple[list[str], int]:
        """Lines appended to the rotated-away file; it is let go (its last line without
        newline taken) once the new file has lines and the old one gave nothing more."""
        old = self._old
        assert old is not None
        first = old.line_no
        lines = old._read(limit, final=self.offset > 0)
        if lines:
            self.reading = old.source
            return lines, first
        if self.offset > 0:
            old.close()
            self._old = None
        return [], first

    def _name_in_folder(self) -> str | None:
        """The path the open file has now in the watched path's folder (after a rename), or
        None (deleted, or moved elsewhere)."""
        for path in _paths_of_inode(Path(self.path).parent, self.inode):
            try:
                if os.stat(path, follow_symlinks=False).st_dev == self.dev:
                    return path
            except OSError:  # gone since
                continue
        return None

    def _renamed_source(self, path: str) -> str:
        """The source name for lines of this input's file now called `path` (`x.log.1`):
        the input's own name with the file name swapped, so names given to tell several
        inputs apart (`host1/x.log`) stay apart."""
        name, new = Path(self.path).name, Path(path).name
        if self.source.endswith(name):
            return self.source[: len(self.source) - len(name)] + new
        return source_name(path)

    def _finish_old(self, limit: int) -> tuple[list[str], int]:
        """The old file is not at the path any more: what it still holds, a last line
        without its newline included."""
        first = self.line_no
        return self._read(limit, final=True), first

    def _update_head(self) -> None:
        if self.gzip or self.handle is None:
            return
        size = min(self.offset, HEAD_BYTES)
        if size > self.head_len:
            self.head, self.head_len = self._head_hash(size), size

    def _head_hash(self, size: int) -> str | None:
        if self.handle is None or self.gzip:
            return None
        return _hash_head(self._fd(), size)

    def _fd(self) -> int:
        assert self.handle is not None
        return self.handle.fileno()

    def _read_stdin(self, limit: int, wait: float) -> tuple[list[str], int]:
        """Whole lines of stdin available within `wait` seconds (a last unterminated line at
        EOF)."""
        first = self.line_no
        try:
            fd = sys.stdin.fileno()
        except (OSError, ValueError):  # a stand-in stdin (tests): plain blocking reads
            return self._read_stdin_stream(limit)
        while not self._eof and self._buffer.count(b"\n") < limit:
            ready, _, _ = select.select([fd], [], [], wait if b"\n" not in self._buffer else 0)
            if not ready:
                break
            data = os.read(fd, READ_BYTES)
            if not data:
                self._eof = True
                break
            self._buffer += data
        parts = self._buffer.split(b"\n")
        self._buffer = parts.pop()
        if self._eof and self._buffer and len(parts) < limit:
            parts.append(self._buffer)
            self._buffer = b""
        if len(parts) > limit:
            self._buffer = b"\n".join(parts[limit:]) + b"\n" + self._buffer
            parts = parts[:limit]
        lines = [p.decode("utf-8", errors="replace").rstrip("\r") for p in parts]
        self.line_no += len(lines)
        self.offset += sum(len(p) + 1 for p in parts)
        if not lines and self._eof and not self._buffer:
            self.finished = True
        return lines, first

    def _read_stdin_stream(self, limit: int) -> tuple[list[str], int]:
        first, lines = self.line_no, []
        while len(lines) < limit:
            raw = sys.stdin.buffer.readline()
            if not raw:
                self.finished = True
                break
            self.offset += len(raw)
            lines.append(raw.decode("utf-8", errors="replace").rstrip("\r\n"))
        self.line_no += len(lines)
        return lines, first


def _paths_of_inode(folder: Path, inode: int | None) -> list[str]:
    """Paths in `folder` whose file (lstat, not the directory's inode numbers: overlay file
    systems differ) has inode `inode`."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    found = []
    for entry in entries:
        try:
            if entry.stat(follow_symlinks=False).st_ino == inode:
                found.append(str(folder / entry.name))
        except OSError:
            continue
    return found


def _hash_head(fd: int, size: int) -> str:
    """sha256 of the first `size` bytes of open file `fd` ("short" when it has fewer)."""
    data = os.pread(fd, size, 0)
    return hashlib.sha256(data).hexdigest() if len(data) == size else "short"


def _unread(position: dict[str, Any], how: str) -> str | None:
    """The bytes a file held past the recorded offset when its position was saved (lost if
    it was then truncated or rotated away), in words; None when none were known."""
    offset, size = int(position.get("offset") or 0), position.get("size")
    if not isinstance(size, int) or size <= offset:
        return None
    last = int(position.get("line_no") or 1) - 1
    return (
        f"at least {size - offset:,} bytes of it after line {last:,} (byte {offset:,}) were "
        f"never read (more if it grew before it was {how})"
    )
