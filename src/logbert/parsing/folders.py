"""Folders as inputs: a folder stands for the log files under it, oldest rotation first.

Services write a folder of files (`app.log`, `app.log.1`, `app.log.2.gz`, or one file per
boot, per task, per day), and a new user passes the folder. Its files are read in an order
that puts logrotate's numbered files oldest first (`app.log.2.gz`, `app.log.1`, `app.log`)
and dated ones by date before the file still written, and numbers in other names by value
(`boot2` before `boot10`): the name order a shell gives (`app.log`, `app.log.1`, ...) would
read the newest lines first. Hidden files, logbert's own outputs (Parquet, templates.csv,
rejects files), a rotation's records (`access.rotationinfo`), links to a file read under
another name and broken links are left out, and the note names them, so that nothing is
dropped unsaid.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from logbert.errors import LogbertError
from logbert.parsing.reader import STDIN, name_files
from logbert.parsing.rotation import (
    COMPRESSED,
    WEEKDAY,
    WEEKDAYS,
    indexed_part,
    natural_key,
    rotation_key,
)

OWN_OUTPUTS = ("templates.csv",)  # what `parse` writes beside its events file
OWN_SUFFIXES = (".parquet", ".rejects.txt")
ROTATION_RECORDS = (".rotationinfo",)  # what a server writes of its own rotation, no log


@dataclass
class FolderInputs:
    """The inputs with each folder replaced by its files; a note per folder read."""

    files: list[str]
    notes: list[str] = field(default_factory=list)


def _path_key(path: Path, folder: Path) -> tuple:
    """A folder's files before its subfolders, each in rotation order; files named by their
    weekday by modification time (QA DHCP: read Mon, Thu, Tue, Wed, sessions cut wrong)."""
    relative = path.relative_to(folder)
    folders = ((1, natural_key(part)) for part in relative.parts[:-1])
    key = rotation_key(relative.name)
    weekday = WEEKDAY.match(COMPRESSED.sub("", relative.name))
    if weekday is not None and key[1] == 2:
        # the same time (a copy's): Monday to Sunday, not by name (QA DHCP: Mon, Thu, Tue)
        day = WEEKDAYS.index(weekday["day"].lower())
        key = (natural_key(weekday["stem"] + (weekday["ext"] or "")), 1, _written(path), day)
    elif indexed_part(relative.name):  # NLog's `.0` is its newest, log4j2's highest index
        # after logrotate's parts of the same name (`app.log.1`: `(log, 0, -1)`), by time, the
        # higher index first at the same time
        key = (key[0], 0, 1, _written(path), key[2])
    return (*folders, (0, key, relative.name))  # ties: by name


def _written(path: Path) -> str:
    """`path`'s modification time as sortable text; empty where it cannot be read."""
    try:
        return f"{path.stat().st_mtime:020.6f}"
    except OSError:
        return ""


# ... and what `score` and `evaluate` write, told by their first keys (a `.jsonl` or `.json` may
# be a log of JSON lines): a score row's `session_id` and `is_anomaly`, an evaluation's
# `n_sessions` and `confusion_matrix` (QA Tomcat: scores and evaluations in a folder of pod
# logs were read as logs, a pretty-printed evaluation as "stack traces")
_OWN_JSON = (re.compile(r'^\{"session_id": .*"is_anomaly": '), re.compile(r'^\{\s*"n_sessions": '))
_SNIFFED = 4096  # bytes of a `.json`/`.jsonl` file read to tell


def _own_output(path: Path) -> bool:
    if path.name in OWN_OUTPUTS or path.name.endswith(OWN_SUFFIXES):
        return True
    if not path.name.endswith((".json", ".jsonl")):
        return False
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFFED).decode("utf-8", "replace")
    except OSError:
        return False
    return any(pattern.match(head) for pattern in _OWN_JSON)


def _hidden(path: Path, folder: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(folder).parts)


@dataclass
class FolderFiles:
    """A folder's log files (in rotation order), and those left out, by why."""

    logs: list[Path]
    outputs: list[Path]  # logbert's own outputs
    hidden: list[Path]  # `.app.log.swp`, files in `.git/`
    links: list[Path]  # links to a file listed already (`/var/log/containers` into `pods/`)
    broken: list[Path]  # links to nothing (a copied `/var/log/containers` without `pods/`)
    # a rotation's own records, 389 Directory Server's `access.rotationinfo` (QA FreeIPA: read
    # as a log, a reject, in the instance folder the README points a user at)
    bookkeeping: list[Path] = field(default_factory=list)


def files_of_folder(folder: Path) -> FolderFiles:
    """The log files under `folder` (recursively, in rotation order), and those left out:
    logbert's own outputs, hidden files, links to a file listed already (a node's
    `/var/log/containers/*.log` link into `/var/log/pods/`: QA, the folder was refused as
    naming each file twice) and broken links (QA: dropped unsaid)."""
    found = sorted(
        (p for p in folder.rglob("*") if p.is_file() or p.is_symlink()),
        key=lambda p: _path_key(p, folder),
    )
    broken = [p for p in found if not p.exists()]
    found = [p for p in found if p.exists()]
    hidden = [p for p in found if _hidden(p, folder)]
    shown = [p for p in found if not _hidden(p, folder)]
    own = [p for p in shown if _own_output(p)]  # (reads a `.json` file's head: once)
    bookkeeping = [p for p in shown if p.name.endswith(ROTATION_RECORDS)]
    logs = [p for p in shown if p not in own and p not in bookkeeping]
    files = {p.resolve() for p in logs if not p.is_symlink()}
    links = [p for p in logs if p.is_symlink() and p.resolve() in files]
    logs = [p for p in logs if p not in links]
    return FolderFiles(logs, own, hidden, links, broken, bookkeeping)


def expand_folders(inputs: Sequence[str]) -> FolderInputs:
    """`inputs` with each folder replaced by its log files (see the module doc). A folder
    with no log file is an error: it would read nothing and write empty results."""
    files: list[str] = []
    notes: list[str] = []
    for name in inputs:
        if name == STDIN or not Path(name).is_dir():
            files.append(name)
            continue
        listing = files_of_folder(Path(name))
        found = listing.logs
        left = [
            f"{what}: {name_files(paths)}"
            for what, paths in (
                ("logbert outputs", listing.outputs),
                ("hidden files", listing.hidden),
                ("links to files read under another name", listing.links),
                ("broken links", listing.broken),
                ("rotation records", listing.bookkeeping),
            )
            if paths
        ]
        if not found:
            # hidden logs are named one by one, oldest first (QA Nextflow: every log is
            # `.nextflow.log*`, and a shell's glob lists the newest first)
            where = Path(listing.hidden[0]).parent if listing.hidden else None
            hidden = f" (hidden ones oldest first: $(ls -tr {where}/.[!.]*))" if where else ""
            raise LogbertError(
                f"folder {name} holds no log files"
                + (f" (only {'; '.join(left)})" if left else "")
                + f": pass the folder of the logs, or the log files themselves{hidden}"
            )
        files.extend(str(p) for p in found)
        order = name_files([p.relative_to(name) for p in found])
        files_read = f"{len(found):,} file" + ("s, read in this order" if len(found) > 1 else "")
        note = f"folder {name}: {files_read}: {order}"
        if left:
            note += f"; left out: {'; '.join(left)}"
        notes.append(note)
    return FolderInputs(files, notes)
