"""Protocol builders: the time split, the datasets folder, the protocol cache, and (slow) the
real HDFS data."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta

import pytest

from logbert.errors import LogbertError
from logbert.evaluation import protocols
from logbert.evaluation.protocols import (
    BGL_2K_RAW,
    CACHE_RECORD,
    HDFS_LABELS,
    HDFS_RAW,
    HDFS_TEMPLATES,
    HDFS_TRAIN,
    build_protocol,
    protocol_a,
    protocol_adfa,
    protocol_bgl_2k,
    read_adfa,
    split_by_time,
)
from logbert.sessions.io import Session

T0 = datetime(2008, 11, 9, 20, 0)


def _session(i: int, hours: float, label: str = "normal") -> Session:
    start = T0 + timedelta(hours=hours)
    return Session(f"b{i}", [1, 2], label, start=start, end=start + timedelta(minutes=5))


def test_split_by_time_uses_the_midpoint_of_the_span():
    sessions = [_session(0, 0), _session(1, 3), _session(2, 5, "anomaly"), _session(3, 9 + 55 / 60)]
    first, second, midpoint = split_by_time(sessions)
    assert midpoint == T0 + timedelta(hours=5)
    assert [s.session_id for s in first] == ["b0", "b1"]
    assert [s.session_id for s in second] == ["b2", "b3"]
    with pytest.raises(LogbertError, match="start times"):
        split_by_time([Session("x", [1])])


def test_split_by_time_at_a_fraction_of_the_span():
    sessions = [_session(0, 0), _session(1, 5), _session(2, 6, "anomaly"), _session(3, 9 + 55 / 60)]
    first, second, cut = split_by_time(sessions, 0.6)
    assert cut == T0 + timedelta(hours=6)
    assert [s.session_id for s in first] == ["b0", "b1"]
    assert [s.session_id for s in second] == ["b2", "b3"]


def test_unknown_protocol_and_missing_data(tmp_path):
    with pytest.raises(LogbertError, match="valid: A, B, ADFA, BGL-2K"):
        build_protocol("C", tmp_path, tmp_path)
    with pytest.raises(LogbertError, match="not found"):
        protocol_a(tmp_path, tmp_path / "work")
    with pytest.raises(LogbertError, match="not found: .*ADFA_LD/train"):
        protocol_adfa(tmp_path, tmp_path / "work")
    with pytest.raises(LogbertError, match="not found: .*BGL_2k.log"):
        protocol_bgl_2k(tmp_path, tmp_path / "work")


def _bgl_lines(n_windows: int, alert_every: int = 4) -> str:
    """BGL-format lines, one per 10-minute step (so one per window); every `alert_every`-th
    line is an alert."""
    lines = []
    for i in range(n_windows):
        when = datetime(2005, 6, 3, 15, 0) + timedelta(minutes=10 * i)
        alert = i % alert_every == alert_every - 1
        tag, level = ("KERNDTLB", "FATAL") if alert else ("-", "INFO")
        text = "data TLB error interrupt" if alert else "instruction cache parity error corrected"
        node = "R02-M1-N0-C:J12-U11"
        lines.append(
            f"{tag} {int(when.timestamp())} {when:%Y.%m.%d} {node} {when:%Y-%m-%d-%H.%M.%S}.000000"
            f" {node} RAS KERNEL {level} {text}"
        )
    return "\n".join(lines) + "\n"


def _bgl_data(root, n_windows: int):
    path = root / BGL_2K_RAW
    path.parent.mkdir(parents=True)
    path.write_text(_bgl_lines(n_windows))
    return root


def test_the_protocol_cache_is_tied_to_its_inputs(tmp_path, capsys, monkeypatch):
    """A cache built from other data (another --data-dir, a changed file, older code, no
    record at all) is rebuilt, saying why; a missing input is an error despite a cache."""
    work = tmp_path / "work"
    full, half = _bgl_data(tmp_path / "full", 40), _bgl_data(tmp_path / "half", 20)
    windows = build_protocol("BGL-2K", full, work).info["n_windows"]
    assert windows == 40 and "rebuilding" not in capsys.readouterr().err
    record = json.loads((work / "bgl_2k_5m" / CACHE_RECORD).read_text())
    assert record["cache_version"] == protocols.CACHE_VERSION
    assert record["inputs"][0]["path"] == str((full / BGL_2K_RAW).resolve())

    assert build_protocol("BGL-2K", full, work).info["n_windows"] == 40  # reused
    assert capsys.readouterr().err == ""
    assert build_protocol("BGL-2K", half, work).info["n_windows"] == 20  # another data folder
    err = capsys.readouterr().err
    assert f"it was built from {(full / BGL_2K_RAW).resolve()}, not" in err
    assert "rebuilding it" in err
    with pytest.raises(LogbertError, match="dataset file not found: .*empty.*BGL_2k.log"):
        build_protocol("BGL-2K", tmp_path / "empty", work)

    raw = half / BGL_2K_RAW  # the same file, rewritten with other lines
    raw.write_text(_bgl_lines(30))
    assert build_protocol("BGL-2K", half, work).info["n_windows"] == 30
    assert f"{raw.resolve()} changed since it was built" in capsys.readouterr().err

    monkeypatch.setattr(protocols, "CACHE_VERSION", protocols.CACHE_VERSION + 1)
    build_protocol("BGL-2K", half, work)
    assert "built by cache version" in capsys.readouterr().err
    (work / "bgl_2k_5m" / CACHE_RECORD).unlink()  # a cache of an older logbert, or cut short
    build_protocol("BGL-2K", half, work)
    assert "records no inputs" in capsys.readouterr().err


def _fake_hdfs(root, labels: str):
    """A tiny HDFS data folder: two templates, three blocks in the raw sample, `labels` rows."""
    for name in (HDFS_TRAIN, HDFS_RAW):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / HDFS_TEMPLATES).write_text(
        "EventId,EventTemplate\nE5,[*]Receiving block[*]src:[*]dest:[*]\n"
        "E22,[*]BLOCK* NameSystem.allocateBlock:[*]\n"
    )
    (root / HDFS_TRAIN).write_text("22 5 5\n22 5\n")
    lines = [
        f"081109 20353{i} 27 INFO dfs.FSNamesystem: BLOCK* NameSystem.allocateBlock: /x. {block}\n"
        f"081109 20353{i} 147 INFO dfs.DataNode$DataXceiver: Receiving block {block} src: "
        "/10.0.0.1:1 dest: /10.0.0.1:2\n"
        for i, block in enumerate(["blk_1", "blk_2", "blk_-3"])
    ]
    (root / HDFS_RAW).write_bytes(gzip.compress("".join(lines).encode()))
    (root / HDFS_LABELS).write_text("BlockId,Label\n" + labels)
    return root


def test_hdfs_blocks_without_a_label_name_the_labels_file_and_a_block(tmp_path):
    data = _fake_hdfs(tmp_path / "data", "blk_1,Normal\nblk_2,Anomaly\n")
    with pytest.raises(LogbertError) as caught:
        protocol_a(data, tmp_path / "work")
    assert str(caught.value) == (
        f"1 test session has no label in {data / HDFS_LABELS} (the first: 'blk_-3'): check "
        "that it labels every session of the log"
    )


def test_protocol_a_says_what_it_tests_on_and_that_deeplog_test_files_are_unused(tmp_path, capsys):
    data = _fake_hdfs(tmp_path / "data", "blk_1,Normal\nblk_2,Anomaly\nblk_-3,Normal\n")
    a = protocol_a(data, tmp_path / "work")
    assert a.info == {"n_train": 2, "n_test": 3, "n_test_anomalies": 1}
    assert "test every block of the HDFS 2% sample" in a.description
    assert "not DeepLog's hdfs_test_* files" in a.description
    assert "note:" not in capsys.readouterr().err
    (data / "HDFS_v1_deeplog" / "hdfs_test_abnormal").write_text("22 5 5 5\n")
    protocol_a(data, tmp_path / "work")
    assert capsys.readouterr().err == (
        f"note: protocol A tests on every block of the HDFS 2% sample ({HDFS_RAW}), not on "
        f"HDFS_v1_deeplog/hdfs_test_abnormal (in {data}): to evaluate a model on DeepLog's test "
        'files, write them as one JSON file {"normal_sessions": [[keys...], ...], '
        '"anomaly_sessions": [...]} and run `logbert evaluate MODEL pair.json` (see README)\n'
    )


def _fake_adfa(root, attack_rows=None):
    """A tiny ADFA_LD folder in the layout of the real one (one trace a line)."""
    folder = root / "ADFA_LD"
    folder.mkdir(parents=True)
    (folder / "train").write_text("6 6 63 6\n3 4 5\n6 3\n")
    (folder / "validation_normal").write_text("6 6 3\n4 5\n")
    (folder / "attack").write_text("6 11 11\n3 240 5 5\n1 2\n")
    rows = attack_rows or [
        "0,Adduser,Adduser_1,UAD-Adduser-1-1.txt",
        "1,Adduser,Adduser_1,UAD-Adduser-1-2.txt",
        "2,Web_Shell,Web_Shell_3,UAD-WS3-9.txt",
    ]
    (folder / "attack_labels.csv").write_text(
        "line,attack_type,attack_run,file\n" + "\n".join(rows) + "\n"
    )
    return folder


def test_adfa_reader_on_a_fake_folder(tmp_path):
    train, normal, attack, types = read_adfa(_fake_adfa(tmp_path))
    assert [s.keys for s in train] == [[6, 6, 63, 6], [3, 4, 5], [6, 3]]
    assert [s.session_id for s in train] == ["train/0", "train/1", "train/2"]
    assert all(s.label == "normal" and s.start is None for s in train + normal)
    assert [s.keys for s in normal] == [[6, 6, 3], [4, 5]]
    assert [s.keys for s in attack] == [[6, 11, 11], [3, 240, 5, 5], [1, 2]]
    assert attack[2].session_id == "attack/Web_Shell_3/UAD-WS3-9.txt"
    assert all(s.label == "anomaly" for s in attack)
    assert types == {"Adduser": 2, "Web_Shell": 1}
    data = protocol_adfa(tmp_path)
    assert data.name == "ADFA" and len(data.train) == 3
    assert [s.session_id for s in data.test][:2] == ["validation_normal/0", "validation_normal/1"]
    assert data.info == {
        "n_train": 3,
        "n_test": 5,
        "n_test_anomalies": 3,
        "n_test_normal": 2,
        "attack_types": {"Adduser": 2, "Web_Shell": 1},
    }
    assert build_protocol("adfa", tmp_path, tmp_path).info == data.info


def test_adfa_reader_rejects_bad_files(tmp_path):
    folder = _fake_adfa(tmp_path / "short", ["0,Adduser,Adduser_1,a.txt"])
    with pytest.raises(LogbertError, match="names 1 attack traces but .* holds 3"):
        read_adfa(folder)
    rows = ["0,A,A_1,a", "2,A,A_1,b", "1,A,A_1,c"]
    with pytest.raises(LogbertError, match="row 3 names line 2, not 1"):
        read_adfa(_fake_adfa(tmp_path / "order", rows))
    folder = _fake_adfa(tmp_path / "words")
    (folder / "train").write_text("6 6\n6 open 3\n")
    with pytest.raises(LogbertError, match="train:2: not a trace of system-call numbers"):
        read_adfa(folder)


@pytest.mark.slow
def test_protocols_on_real_hdfs(data_dir, tmp_path):
    a = build_protocol("A", data_dir, tmp_path)
    assert a.info == {"n_train": 4855, "n_test": 11501, "n_test_anomalies": 350}
    keys = {k for s in a.train for k in s.keys}
    assert keys <= set(range(1, 30)) and all(s.label for s in a.test)
    b = build_protocol("B", data_dir, tmp_path)
    assert all(s.label == "normal" for s in b.train)
    assert b.info["n_train"] + b.info["n_test"] + b.info["first_half_anomalies_left_out"] == 11501
    assert max(s.start for s in b.train) < min(s.start for s in b.test)


@pytest.mark.slow
def test_adfa_protocol_on_real_data(data_dir):
    data = build_protocol("ADFA", data_dir, None)
    assert (data.info["n_train"], data.info["n_test_normal"], data.info["n_test_anomalies"]) == (
        833,
        4372,
        746,
    )
    assert data.info["attack_types"] == {
        "Hydra_SSH": 176,
        "Hydra_FTP": 162,
        "Java_Meterpreter": 124,
        "Web_Shell": 118,
        "Adduser": 91,
        "Meterpreter": 75,
    }
    lengths = sorted(len(s.keys) for s in data.train)
    assert (lengths[0], lengths[-1]) == (79, 2948)
    assert len({s.session_id for s in data.test}) == 5118


@pytest.mark.slow
def test_bgl_2k_protocol_on_real_data(data_dir, tmp_path):
    data = build_protocol("BGL-2K", data_dir, tmp_path)
    info = data.info
    assert info["n_lines"] == 2000 and info["n_windows"] == 831  # no line lost
    assert (info["n_train"], info["n_test"], info["n_test_anomalies"]) == (523, 235, 22)
    assert info["first_part_anomalies_left_out"] == 73
    assert all(s.label == "normal" for s in data.train)
    assert max(s.start for s in data.train) < min(s.start for s in data.test)
    # cached: a second build reads the same sessions
    assert build_protocol("bgl-2k", data_dir, tmp_path).info == info


def test_datasets_dir_reads_the_environment_or_sits_beside_the_project(tmp_path, monkeypatch):
    from logbert.evaluation.datasets import datasets_dir

    monkeypatch.setenv("LOGBERT_DATA", str(tmp_path / "data"))
    assert datasets_dir() == tmp_path / "data"
    monkeypatch.delenv("LOGBERT_DATA")
    assert datasets_dir(tmp_path / "project") == tmp_path / "shared" / "datasets"


def test_datasets_dir_defaults_to_the_checkout_whatever_the_working_directory(
    tmp_path, monkeypatch
):
    """`benchmark --data-dir` defaulted to ../shared/datasets of the current directory."""
    from logbert.evaluation.datasets import checkout_root, datasets_dir

    monkeypatch.delenv("LOGBERT_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    root = checkout_root()
    assert root is not None and (root / "pyproject.toml").is_file()
    assert datasets_dir() == root.resolve().parent / "shared" / "datasets"
