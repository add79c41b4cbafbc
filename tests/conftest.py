"""Shared fixtures: where the real datasets live (../shared/datasets or $LOGBERT_DATA), tiny
events files, and tiny raw HDFS-format logs written inline (normal blocks follow one life
cycle; anomalous blocks break it with an exception)."""

from __future__ import annotations

import errno
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from logbert.evaluation.datasets import datasets_dir

ROOT = Path(__file__).resolve().parents[1]


def data_root() -> Path:
    return datasets_dir(ROOT)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real datasets folder; tests that need it skip with a reason when it is absent."""
    root = data_root()
    if not root.is_dir():
        pytest.skip(f"real datasets not found at {root} (set LOGBERT_DATA)")
    return root


@pytest.fixture
def make_events(tmp_path):
    """Write a tiny events parquet (the `logbert parse` output shape) from column lists."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def make(name: str = "events.parquet", **columns) -> Path:
        path = tmp_path / name
        pq.write_table(pa.table(columns), path, row_group_size=4)
        return path

    return make


T0 = datetime(2008, 11, 9, 20, 0, 0)


def _line(when: datetime, text: str, component: str = "dfs.DataNode") -> str:
    return f"{when:%y%m%d %H%M%S} 143 INFO {component}: {text}"


def block_lines(block: str, start: datetime, anomaly: bool = False) -> list[str]:
    """One block's life: receive, received, (exception), delete."""
    t = [start + timedelta(seconds=s) for s in range(4)]
    lines = [
        _line(
            t[0],
            f"Receiving block {block} src: /10.0.0.{len(block) % 9}:50010 dest: /10.0.0.2:50010",
        ),  # fmt: skip
        _line(t[1], f"Received block {block} of size {len(block) * 97} from /10.0.0.1"),
    ]
    if anomaly:
        lines.append(
            _line(t[2], f"Exception in receiveBlock for block {block} java.io.IOException")
        )
    lines.append(_line(t[3], f"Deleting block {block} file /data/dfs/{block}", "dfs.FSDataset"))
    return lines


def write_log(path: Path, n_normal: int, anomalies: int = 0, offset: int = 0) -> dict[str, str]:
    """A log of `n_normal` normal and `anomalies` anomalous blocks; returns their labels."""
    lines, labels = [], {}
    for i in range(n_normal + anomalies):
        block = f"blk_{1000 + offset + i}"
        anomalous = i >= n_normal
        labels[block] = "Anomaly" if anomalous else "Normal"
        lines += block_lines(block, T0 + timedelta(minutes=i), anomalous)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return labels


def with_cut_blocks_first(test_log: Path, tmp_path: Path) -> Path:
    """`test_log` after three blocks whose first event lies in an earlier file (they begin
    with `Received block`, which no training block begins with), started within seconds."""
    cut = []
    for i in range(3):
        cut += block_lines(f"blk_{900 + i}", T0 - timedelta(seconds=10 - i))[1:]
    path = tmp_path / "today.log"
    path.write_text("\n".join(cut) + "\n" + test_log.read_text())
    return path


def write_labels(path: Path, labels: dict[str, str], header: str = "BlockId,Label") -> Path:
    path.write_text(header + "\n" + "".join(f"{k},{v}\n" for k, v in labels.items()))
    return path


@pytest.fixture
def log_writer():
    """`write_log(path, n_normal, anomalies=0, offset=0) -> labels`."""
    return write_log


@pytest.fixture
def raw_logs(tmp_path):
    """(train log, test log, train labels csv, test labels csv)."""
    train_labels = write_log(tmp_path / "train.log", 60, anomalies=2)
    test_labels = write_log(tmp_path / "test.log", 10, anomalies=3, offset=500)
    return (
        tmp_path / "train.log",
        tmp_path / "test.log",
        write_labels(tmp_path / "train_labels.csv", train_labels),
        write_labels(tmp_path / "test_labels.csv", test_labels, header="InstanceId,Label"),
    )


@pytest.fixture
def refused_folder(tmp_path, monkeypatch) -> Path:
    """A folder the OS refuses to create (read-only file system), as /proc/x is refused to root
    whose access checks pass everywhere (QA: `train -o /proc/x` was a traceback, exit 1)."""
    refused = tmp_path / "refused"
    mkdir = Path.mkdir

    def refusing(self: Path, *args, **kwargs) -> None:
        if self == refused or refused in self.parents:
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refusing)
    return refused


HOSTS = ("alpha", "beta", "gamma")


def host_lines(start: datetime, hours: int, quiet: dict[str, tuple[int, int]] | None = None):
    """Syslog lines (`linux` format, no year) of three hosts that each write one line every
    two minutes (five per 10-minute window) for `hours`; `quiet`: host -> (first minute, end
    minute) of the log in which it writes nothing."""
    quiet = quiet or {}
    lines = []
    for minute in range(0, hours * 60, 2):
        for i, host in enumerate(HOSTS):
            first, end = quiet.get(host, (-1, -1))
            if first <= minute < end:
                continue
            when = start + timedelta(minutes=minute, seconds=10 * i)
            event = "job started id 4" if minute % 4 else "job finished id 4 in 12 ms"
            lines.append(f"{when:%b} {when.day:2d} {when:%H:%M:%S} {host} worker[7]: {event}")
    return lines


@pytest.fixture
def silent_host_logs(tmp_path):
    """(train log, test log, test labels csv): three steady hosts for 3 hours, then 3 more
    hours in which `beta` writes nothing from 07:00 to 07:40 (four 10-minute windows, the
    ones the labels call anomalous)."""
    train, test = tmp_path / "train.log", tmp_path / "test.log"
    train.write_text("\n".join(host_lines(datetime(2025, 12, 1), 3)) + "\n")
    test.write_text(
        "\n".join(host_lines(datetime(2025, 12, 1, 6), 3, {"beta": (60, 100)})) + "\n"
    )
    labels = tmp_path / "labels.csv"
    rows = ["window,label"]
    for host in HOSTS:
        for minute in range(0, 180, 10):
            when = datetime(2025, 12, 1, 6) + timedelta(minutes=minute)
            silent = host == "beta" and 60 <= minute < 100
            rows.append(f"{host}@{when.isoformat()},{'anomaly' if silent else 'normal'}")
    labels.write_text("\n".join(rows) + "\n")
    return train, test, labels
