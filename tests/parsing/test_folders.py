"""Inputs and their order: folders (parsing/folders.py), their log files oldest rotation
first with the files left out named, through the CLI too (`parse DIR`, `train --logs DIR`);
inputs given newest first are a warning (parsing/clock.py)."""

from __future__ import annotations

import gzip

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from logbert.cli.main import app
from logbert.errors import LogbertError
from logbert.parsing.folders import expand_folders
from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files
from logbert.parsing.rotation import log_name, rotation_key

FORMAT = "<Date> <Time> <Level> <Content>"
runner = CliRunner()


def test_rotated_files_sort_oldest_first_and_numbers_by_value():
    names = ["app.log", "app.log.1", "app.log.10.gz", "app.log.2.gz", "boot10.log", "boot2.log"]
    assert sorted(names, key=rotation_key) == [
        "app.log.10.gz", "app.log.2.gz", "app.log.1", "app.log", "boot2.log", "boot10.log",
    ]  # fmt: skip
    dated = ["syslog", "syslog-20261102.gz", "syslog-20261101"]
    assert sorted(dated, key=rotation_key) == ["syslog-20261101", "syslog-20261102.gz", "syslog"]
    # log4j's hourly files (Kafka's `server.log.2026-11-20-09`; QA: read after `server.log`)
    hourly = ["server.log", "server.log.2026-11-20-10", "server.log.2026-11-20-09"]
    assert sorted(hourly, key=rotation_key) == [
        "server.log.2026-11-20-09", "server.log.2026-11-20-10", "server.log"
    ]  # fmt: skip
    # log4j2's rollover, the date and index before the extension (QA Elasticsearch)
    log4j2 = ["es.log", "es-2026-11-19-2.log.gz", "es-2026-11-19-1.log.gz", "es-2026-11-18-1.log"]
    assert sorted(log4j2, key=rotation_key) == [
        "es-2026-11-18-1.log", "es-2026-11-19-1.log.gz", "es-2026-11-19-2.log.gz", "es.log"
    ]  # fmt: skip
    # WebSphere's `SystemOut_yy.MM.dd_HH.mm.ss.log` (QA: read after `SystemOut.log`)
    websphere = ["SystemOut.log", "SystemOut_26.11.21_06.00.00.log",
                 "SystemOut_26.11.20_18.00.00.log"]  # fmt: skip
    assert sorted(websphere, key=rotation_key) == [
        "SystemOut_26.11.20_18.00.00.log", "SystemOut_26.11.21_06.00.00.log", "SystemOut.log"
    ]  # fmt: skip
    # logback's hourly parts, NiFi's `nifi-app_2024-05-14_09.0.log` (QA: the live file first)
    nifi = ["nifi-app.log", "nifi-app_2024-05-14_09.0.log", "nifi-app_2024-05-14_08.11.log",
            "nifi-app_2024-05-14_08.2.log"]  # fmt: skip
    assert sorted(nifi, key=rotation_key) == [
        "nifi-app_2024-05-14_08.2.log", "nifi-app_2024-05-14_08.11.log",
        "nifi-app_2024-05-14_09.0.log", "nifi-app.log",
    ]  # fmt: skip
    assert log_name("logs/nifi-app_2024-05-14_09.0.log") == "logs/nifi-app.log"


def test_backuppc_run_logs_are_each_a_log_of_their_own_in_run_order():
    """QA BackupPC: `pc/db01/XferLOG.62` (the newest backup's log) was read as the newest part
    of one log `XferLOG` and first, where the folder listing said "oldest first"."""
    runs = ["XferLOG.62", "XferLOG.9", "XferLOG.61.z", "RestoreLOG.3", "LOG.1", "LOG"]
    assert sorted(runs, key=rotation_key) == [
        "LOG.1", "LOG", "RestoreLOG.3", "XferLOG.9", "XferLOG.61.z", "XferLOG.62"
    ]  # fmt: skip
    assert log_name("pc/db01/XferLOG.62") == "pc/db01/XferLOG.62"
    assert log_name("log/LOG.1") == "log/LOG"  # (the server's LOG is rotated as logrotate does)


def _folder(tmp_path):
    logs = tmp_path / "logs"
    (logs / "node2").mkdir(parents=True)
    (logs / "app.log").write_text("2026-11-03 10:00:01 INFO newest\n")
    (logs / "app.log.1").write_text("2026-11-02 10:00:01 INFO older\n")
    with gzip.open(logs / "app.log.2.gz", "wt") as out:
        out.write("2026-11-01 10:00:01 INFO oldest\n")
    (logs / "node2" / "app.log").write_text("2026-11-03 11:00:01 INFO other node\n")
    (logs / ".app.log.swp").write_text("editor state\n")
    (logs / "templates.csv").write_text("EventId,EventTemplate\n")
    return logs


def test_a_folder_is_its_log_files_in_rotation_order_with_outputs_named(tmp_path):
    logs = _folder(tmp_path)
    expanded = expand_folders([str(logs), "-"])
    assert expanded.files == [
        str(logs / "app.log.2.gz"), str(logs / "app.log.1"), str(logs / "app.log"),
        str(logs / "node2" / "app.log"), "-",
    ]  # fmt: skip
    (note,) = expanded.notes
    assert "4 files, read in this order: app.log.2.gz, app.log.1, app.log" in note
    assert f"left out: logbert outputs: {logs / 'templates.csv'}; hidden files: " in note
    assert str(logs / ".app.log.swp") in note  # QA: hidden files went unnamed


def test_a_folder_without_log_files_is_an_error(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "events.parquet").write_bytes(b"PAR1")
    with pytest.raises(LogbertError, match="holds no log files .only logbert outputs"):
        expand_folders([str(tmp_path / "out")])


def test_parse_reads_a_folder_oldest_first(tmp_path):
    logs = _folder(tmp_path)
    out = tmp_path / "parsed" / "events.parquet"
    result = runner.invoke(app, ["parse", str(logs), "-f", FORMAT, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "folder" in result.output and "read in this order" in result.output
    rows = pq.read_table(out, columns=["source"]).column("source").to_pylist()
    # the two app.log share a base name: their paths tell them apart, and so do the rotated
    # parts of one of them (QA Open vSwitch: as bare names, their windows were `app.log@...`,
    # no host's, and another host's `app.log.1` joined them)
    logs_name = str(logs)
    assert rows == [f"{logs_name}/app.log.2.gz", f"{logs_name}/app.log.1",
                    f"{logs_name}/app.log", f"{logs_name}/node2/app.log"]  # fmt: skip


def test_train_and_score_logs_take_a_folder(tmp_path):
    logs = tmp_path / "boots"
    logs.mkdir()
    for boot in range(12):
        lines = [f"2026-11-0{1 + boot % 9} 10:00:0{i} INFO step {i} done" for i in range(4)]
        (logs / f"boot{boot}.log").write_text("\n".join(lines) + "\n")
    model = tmp_path / "model"
    args = ["--by-field", "source", "--model", "length", "-o", str(model)]
    train = runner.invoke(app, ["train", str(logs), "--logs", "--format", FORMAT, *args])
    assert train.exit_code == 0, train.output
    assert "12 files, read in this order: boot0.log, boot1.log, boot2.log" in train.output
    scores = tmp_path / "scores.jsonl"
    score = runner.invoke(app, ["score", str(model), str(logs), "--logs", "-o", str(scores)])
    assert score.exit_code == 0, score.output
    assert len(scores.read_text().splitlines()) == 12


def test_a_training_file_beside_a_namesake_is_still_known_as_training_data(tmp_path):
    """Sessions of `--by-field source` are named by base name, or by path when two inputs
    share one: the training file evaluated beside another folder's boot3.log is still warned."""
    (tmp_path / "train").mkdir()
    (tmp_path / "other").mkdir()
    for boot in range(10):
        lines = [f"2026-11-0{1 + boot % 9} 10:0{boot}:0{i} INFO step {i} done" for i in range(4)]
        (tmp_path / "train" / f"boot{boot}.log").write_text("\n".join(lines) + "\n")
    (tmp_path / "other" / "boot3.log").write_text("2026-11-20 10:00:00 INFO step 0 done\n")
    model = tmp_path / "model"
    args = ["--by-field", "source", "--model", "length", "-o", str(model)]
    train = runner.invoke(app, ["train", str(tmp_path / "train"), "--logs", "-f", FORMAT, *args])
    assert train.exit_code == 0, train.output
    labels = tmp_path / "labels.csv"
    labels.write_text(f"id,label\n{tmp_path}/train/boot3.log,normal\n"
                      f"{tmp_path}/other/boot3.log,anomaly\n")  # fmt: skip
    inputs = [str(tmp_path / "train" / "boot3.log"), str(tmp_path / "other" / "boot3.log")]
    result = runner.invoke(app, ["evaluate", str(model), *inputs, "--logs", "--labels",
                                 str(labels), "-o", str(tmp_path / "e.json")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "1 of 2 sessions (50.0%) are sessions the model was trained on" in result.output


def _request_log(path, hour: int, ids: range) -> str:
    lines = [f"2026-11-03 {hour:02d}:{m:02d}:00 INFO [req={i}] step {m % 3}" for m, i in
             zip(range(0, 60, 5), ids, strict=False)]  # fmt: skip
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_inputs_given_newest_first_are_a_warning(tmp_path):
    """QA Spring Boot: `app.log*` lists the newest file first; nothing said so, and the
    requests that spanned a rotation taught LogBERT a wrong order (F1 1.00 -> 0.74)."""
    old = _request_log(tmp_path / "app.log.1", 10, range(12))
    new = _request_log(tmp_path / "app.log", 11, range(12))
    fmt = resolve_format("iso")
    newest_first = parse_files([new, old], fmt, tmp_path / "a.parquet")
    (warning,) = [w for w in newest_first.warnings if "newest first" in w]
    assert warning.startswith("warning: app.log.1 ends before app.log (read before it) starts")
    hourly = _request_log(tmp_path / "app.log.2026-11-20-10", 10, range(12))  # log4j's names
    newest_first = parse_files([new, hourly], fmt, tmp_path / "h.parquet")
    assert [w for w in newest_first.warnings if "newest first" in w]
    oldest_first = parse_files([old, new], fmt, tmp_path / "b.parquet")
    assert not [w for w in oldest_first.warnings if "newest first" in w]
    other_host = _request_log(tmp_path / "host2.log", 11, range(12))  # the same hour
    hosts = parse_files([new, other_host], fmt, tmp_path / "c.parquet")
    assert not [w for w in hosts.warnings if "newest first" in w]
    # QA: two services' files, the second's older rotation after the first's newest file
    service = _request_log(tmp_path / "inventory.log.2", 9, range(12))
    services = parse_files([new, service], fmt, tmp_path / "d.parquet")
    assert not [w for w in services.warnings if "newest first" in w]
    # QA Jenkins: each build's file is `log`, in a folder of its own: two builds, not a rotation
    (tmp_path / "b1").mkdir()
    (tmp_path / "b2").mkdir()
    later, earlier = _request_log(tmp_path / "b1" / "log", 11, range(12)), _request_log(
        tmp_path / "b2" / "log", 9, range(12))  # fmt: skip
    builds = parse_files([later, earlier], fmt, tmp_path / "e.parquet")
    assert not [w for w in builds.warnings if "newest first" in w]


def test_the_newest_first_warning_is_left_out_where_events_go_in_time_order(tmp_path):
    old = _request_log(tmp_path / "app.log.1", 10, range(12))
    new = _request_log(tmp_path / "app.log", 11, range(12))
    base = ["train", new, old, "--logs", "-f", "iso", "--by-id", r"req=(\d+)", "--model", "length"]
    lines = runner.invoke(app, [*base, "-o", str(tmp_path / "m1")])
    assert lines.exit_code == 0, lines.output
    assert "were given newest first" in lines.output
    timed = runner.invoke(app, [*base, "--order", "time", "-o", str(tmp_path / "m2")])
    assert timed.exit_code == 0, timed.output
    assert "newest first" not in timed.output


def test_a_log_read_under_two_names_is_a_warning(tmp_path):
    """QA: `gunzip -k app.log.2.gz` left both, `app.log*` named both, every event of that
    file was read twice (F1 0.34) and only an out-of-time-order note followed."""
    lines = [f"2026-11-03 10:{i // 60:02d}:{i % 60:02d} INFO [req={i}] step {i % 3}" for i in
             range(250)]  # fmt: skip
    plain = tmp_path / "app.log.2"
    plain.write_text("\n".join(lines) + "\n")
    with gzip.open(tmp_path / "app.log.2.gz", "wt") as out:
        out.write("\n".join(lines) + "\n")
    summary = parse_files([str(plain), str(tmp_path / "app.log.2.gz")], resolve_format("iso"),
                          tmp_path / "e.parquet")  # fmt: skip
    (warning,) = [w for w in summary.warnings if "same 200 lines" in w]
    assert warning.startswith("warning: app.log.2.gz starts with the same 200 lines as app.log.2")
    short = parse_files([str(plain)], resolve_format("iso"), tmp_path / "f.parquet")
    assert not [w for w in short.warnings if "same 200 lines" in w]


def test_a_warning_on_inputs_alike_names_three_and_counts_the_rest(tmp_path):
    """QA Jenkins and CloudTrail: a folder of 150 undated builds gave 150 warnings of 700
    characters; an input dated at midnight only beside dated ones was said of none (QA Ceph:
    `ceph-volume.log`'s 600 lines fell in the first window)."""
    stamped = tmp_path / "a.log"  # the timestamper plugin's lines
    stamped.write_text("".join(f"[2026-11-03T10:{i // 60:02d}:{i % 60:02d}Z] step {i}\n"
                               for i in range(400)))  # fmt: skip
    dated = str(stamped)
    undated = []
    for i in range(6):
        path = tmp_path / f"u{i}.log"
        path.write_text("Started by user alice\nFinished: SUCCESS\n" * 10)
        undated.append(str(path))
    days = tmp_path / "days.log"
    days.write_text("".join(f"2026-11-03 job {i} done\n" for i in range(5)))
    fmt = resolve_format(r"(\[<Timestamp>\] )?<Content>")
    summary = parse_files([dated, *undated], fmt, tmp_path / "e.parquet")
    named = [w for w in summary.warnings if "while the other inputs' lines are dated" in w]
    assert len(named) == 4 and named[-1].startswith(
        "warning: 3 more inputs with no timestamp while the other inputs' lines are dated, as "
        "above (first u3.log, last u5.log)"
    )
    summary = parse_files([dated, str(days)], resolve_format("iso"), tmp_path / "f.parquet")
    (midnight,) = [w for w in summary.warnings if "midnight" in w]
    assert midnight.startswith("warning: timestamps: all 5 dated lines of days.log are at midnight")


def test_a_rotation_cut_between_two_lines_of_one_time_read_newest_first_is_said(tmp_path):
    """QA JVM: `gc.log.0` ends at 10:38:28.288 and `gc.log.1` starts at 10:38:28.288 (the JVM
    rotates between two lines of one millisecond); read in name order, .1 before .0, and
    nothing said it."""
    older = tmp_path / "gc.log.0"
    newer = tmp_path / "gc.log.1"
    older.write_text("2026-11-20 10:38:27.100 GC(473) end\n2026-11-20 10:38:28.288 GC(474) a\n")
    newer.write_text("2026-11-20 10:38:28.288 GC(474) b\n2026-11-20 10:39:00.000 GC(475) x\n")
    summary = parse_files([str(newer), str(older)], resolve_format("iso"), tmp_path / "e.pq")
    (warning,) = [w for w in summary.warnings if "newest first" in w]
    assert warning.startswith("warning: gc.log.0 ends before gc.log.1 (read before it) starts")


def test_parts_numbered_before_their_extension_are_one_log_in_time_order(tmp_path):
    """QA Sonarr: NLog's archives `sonarr.0.txt` (the newest) and `sonarr.1.txt` beside the
    live `sonarr.txt` were read .0, .1, then the live file, each a stream of windows of its own
    ("fell silent" said of 197 windows); log4j2 numbers such parts the other way, so a
    folder's go by their modification times."""
    import os

    names = ["sonarr.txt", "sonarr.0.txt", "sonarr.1.txt", "radarr.txt"]
    assert sorted(names, key=rotation_key) == [
        "radarr.txt", "sonarr.1.txt", "sonarr.0.txt", "sonarr.txt"
    ]  # fmt: skip
    assert log_name("logs/sonarr.1.txt") == "logs/sonarr.txt"
    assert log_name("logs/app.2.log") == "logs/app.log"
    assert log_name("logs/nifi-app_2024-05-14_09.0.log") == "logs/nifi-app.log"  # as before
    logs = tmp_path / "logs"
    logs.mkdir()
    for name, day in (("app.log", 3), ("app.1.log", 1), ("app.2.log", 2)):  # log4j2's order
        (logs / name).write_text(f"2026-11-0{day} 10:00:01 INFO part\n")
        os.utime(logs / name, (1_790_000_000 + day * 86400,) * 2)
    (logs / "app.log.1").write_text("2026-10-31 10:00:01 INFO logrotate's\n")
    os.utime(logs / "app.log.1", (1_790_000_000,) * 2)
    files = [os.path.basename(f) for f in expand_folders([str(logs)]).files]
    assert files == ["app.log.1", "app.1.log", "app.2.log", "app.log"]
