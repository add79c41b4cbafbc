"""The two HDFS evaluation protocols, as data: what to train on and what to test on.

Public API (used by `benchmarks/hdfs.py` and `logbert benchmark`):

    data = protocol_a(data_dir, work_dir)   # or protocol_b(...), or build_protocol("A", ...)
    data.train   -> list[Session]  normal sessions only (unlabelled or label "normal")
    data.test    -> list[Session]  every test session, each labelled normal/anomaly
    data.name, data.description, data.info (counts, split point)

- **A** (the DeepLog/LogBERT split): train on `HDFS_v1_deeplog/hdfs_train` (4,855 normal
  sessions); test on all 11,501 blocks of the HDFS 2% raw sample, parsed with
  `logbert parse --templates HDFS.log_templates.csv` (key k = template Ek, the key space of the
  training file) and sessionized by block id with the block labels.
- **B** (end to end from raw text): parse the raw 2% sample with our own miner, sessionize by
  block id with labels; train on the normal blocks that first appear in the first half of the
  log's time span, test on every block that first appears in the second half.

Both go through the library functions behind `logbert parse` and `logbert sessionize`, so
they behave exactly as a user's run. Their outputs are cached in `work_dir` (delete it to
rebuild). `data_dir` is the shared datasets folder (`evaluation.datasets.datasets_dir`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from logbert.errors import LogbertError
from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files
from logbert.sessions.io import ANOMALY, NORMAL, Session, read_sessions, write_sessions
from logbert.sessions.labels import read_labels
from logbert.sessions.sessionize import SessionizeStats, events_metadata, sessionize_by_id

HDFS_RAW = "HDFS_v1_loglead_2pct/HDFS_2pct.log.gz"
HDFS_LABELS = "HDFS_v1_loglead_2pct/anomaly_label_2pct.csv"
HDFS_TRAIN = "HDFS_v1_deeplog/hdfs_train"
HDFS_TEMPLATES = "HDFS_v1_deeplog/HDFS.log_templates.csv"
BLOCK_ID = r"blk_-?\d+"


@dataclass
class ProtocolData:
    """Train (normal) and test (labelled) sessions of one protocol."""

    name: str
    description: str
    train: list[Session]
    test: list[Session]
    info: dict[str, Any] = field(default_factory=dict)


def build_protocol(name: str, data_dir: str | Path, work_dir: str | Path) -> ProtocolData:
    """Protocol "A" or "B" by name."""
    builders = {"A": protocol_a, "B": protocol_b}
    if name.upper() not in builders:
        raise LogbertError(f"unknown protocol {name!r}; valid: A, B")
    return builders[name.upper()](data_dir, work_dir)


def protocol_a(data_dir: str | Path, work_dir: str | Path) -> ProtocolData:
    """Train on DeepLog's hdfs_train, test on the 2% sample mapped onto the same 29 keys."""
    data_dir, work_dir = Path(data_dir), Path(work_dir)
    train = read_sessions(_need(data_dir / HDFS_TRAIN), input_format="deeplog")
    sessions = _parse_and_sessionize(
        data_dir, work_dir / "protocol_a", _need(data_dir / HDFS_TEMPLATES)
    )
    test = _labelled(sessions)
    return ProtocolData(
        name="A",
        description="train hdfs_train (DeepLog split); test HDFS 2% sample on templates E1..E29",
        train=train,
        test=test,
        info=_counts(train, test),
    )


def protocol_b(data_dir: str | Path, work_dir: str | Path) -> ProtocolData:
    """Train on normal blocks of the first half of the time span, test on the second half."""
    data_dir, work_dir = Path(data_dir), Path(work_dir)
    sessions = _labelled(_parse_and_sessionize(data_dir, work_dir / "protocol_b", None))
    first, second, midpoint = split_by_time(sessions)
    train = [s for s in first if s.label == NORMAL]
    info = _counts(train, second)
    info.update(
        midpoint=midpoint.isoformat(),
        first_half_anomalies_left_out=sum(s.label == ANOMALY for s in first),
    )
    return ProtocolData(
        name="B",
        description="raw HDFS 2% sample parsed by our miner; train first half (normal), "
        "test second half",
        train=train,
        test=second,
        info=info,
    )


def split_by_time(sessions: list[Session]) -> tuple[list[Session], list[Session], Any]:
    """Sessions whose first line falls before / after the midpoint of the whole time span."""
    starts = [s.start for s in sessions if s.start is not None]
    ends = [s.end or s.start for s in sessions if s.start is not None]
    if len(starts) != len(sessions):
        raise LogbertError("protocol B needs session start times; sessionize gave none")
    midpoint = min(starts) + (max(ends) - min(starts)) / 2
    first = [s for s in sessions if s.start < midpoint]
    second = [s for s in sessions if s.start >= midpoint]
    return first, second, midpoint


def _parse_and_sessionize(data_dir: Path, out: Path, templates: Path | None) -> list[Session]:
    sessions_path = out / "sessions.parquet"
    if not sessions_path.exists():
        out.mkdir(parents=True, exist_ok=True)
        events = out / "events.parquet"
        parse_files(
            [str(_need(data_dir / HDFS_RAW))], resolve_format("hdfs"), events, templates=templates
        )
        labels = read_labels(_need(data_dir / HDFS_LABELS))
        tmp = out / "sessions.tmp.parquet"
        sessions = sessionize_by_id(events, BLOCK_ID, SessionizeStats(), labels)
        write_sessions(sessions, tmp, metadata=events_metadata(events))
        tmp.replace(sessions_path)
    return read_sessions(sessions_path)


def _labelled(sessions: list[Session]) -> list[Session]:
    unlabelled = sum(s.label is None for s in sessions)
    if unlabelled:
        raise LogbertError(f"{unlabelled} test sessions have no label; check the labels file")
    return sessions


def _need(path: Path) -> Path:
    if not path.exists():
        raise LogbertError(f"dataset file not found: {path} (set LOGBERT_DATA)")
    return path


def _counts(train: list[Session], test: list[Session]) -> dict[str, Any]:
    return {
        "n_train": len(train),
        "n_test": len(test),
        "n_test_anomalies": sum(s.label == ANOMALY for s in test),
    }
