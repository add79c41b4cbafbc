"""`logbert parse` exit codes and stderr for the QA fixes: zero events exits 2 (empty, all
rejected, binary), year rollover and backward jumps on stderr, stdin with `--format auto`."""

from __future__ import annotations

import subprocess
import sys

import pyarrow.parquet as pq

LINUX = "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown\n"


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "logbert.cli.main", "parse", *args],
        capture_output=True, text=True, input=stdin,
    )  # fmt: skip


def test_zero_events_exits_2_and_writes_nothing(tmp_path):
    empty = tmp_path / "empty.log"
    empty.write_text("")
    binary = tmp_path / "bin.log"
    binary.write_bytes(b"\x7fELF\x02\x01" + b"\x00" * 400 + b"\n" + b"\xff\x00" * 300 + b"\n")
    out = tmp_path / "e.parquet"
    for log, fmt, message in [
        (empty, "linux", "empty.log: no lines to parse (empty input)"),
        (binary, "linux", "bin.log looks binary"),
        (binary, "auto", "bin.log looks binary"),
    ]:
        done = _run(str(log), "-f", fmt, "-o", str(out))
        assert done.returncode == 2, (fmt, done.stderr)
        assert message in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr) < 600  # no 2 KB of escaped bytes
        assert not out.exists() and not (tmp_path / "e.rejects.txt").exists()


def test_rollover_note_and_jump_warning_on_stderr(tmp_path):
    log = tmp_path / "r.log"
    log.write_text("Dec 31 23:59:59 h sshd[1]: a\nJan  1 00:00:01 h sshd[1]: b\n")
    done = _run(str(log), "-f", "openssh", "--year", "2016", "-o", str(tmp_path / "r.parquet"))
    assert done.returncode == 0, done.stderr
    assert "year rollover at r.log:2: later lines dated 2017" in done.stderr
    assert str(pq.read_table(tmp_path / "r.parquet")["timestamp"][1]) == "2017-01-01 00:00:01"
    prox = tmp_path / "p.log"
    prox.write_text("[10.30 16:49:06] a.exe - open\n[07.26 13:30:34] b.exe - open\n")
    done = _run(str(prox), "-f", "proxifier", "--year", "2016", "-o", str(tmp_path / "p.parquet"))
    assert done.returncode == 0, done.stderr
    assert "warning: timestamps jump back by 96 days at p.log:2" in done.stderr


def test_stdin_without_a_year_is_dated_by_the_current_date(tmp_path):
    done = _run("-", "-f", "auto", "-o", str(tmp_path / "s.parquet"), stdin=LINUX * 3)
    assert done.returncode == 0, done.stderr
    assert "chose linux (3/3 lines with a timestamp" in done.stderr
    assert "stdin: " in done.stderr and "from the current date" in done.stderr
    assert pq.read_table(tmp_path / "s.parquet")["timestamp"].null_count == 0
