"""Spark drivers' logs and the kernel's ring buffer as blind QA met them (round 19): Scala
collections as lists, undated exception lines, the awk that joins records, random virtual
interface names."""

from __future__ import annotations

from logbert.parsing.auto import rank_formats
from logbert.parsing.formats import resolve_format
from logbert.parsing.masks import mask_text
from logbert.parsing.pipeline import parse_files


def test_a_scala_collection_is_a_list_whatever_its_length(masked_alike):
    """QA Spark: `partitions Vector(0, 1, 2, 3)` made a template per count of tasks, so a
    normal stage of six tasks was a new event."""
    line = "Submitting {n} missing tasks from ResultStage 7 (first 15 tasks are for partitions {v})"
    masked = masked_alike([line.format(n=n, v=f"Vector({', '.join(map(str, range(n)))})")
                    for n in (3, 4, 6)])  # fmt: skip
    assert len(set(masked)) == 1 and masked[0].endswith("partitions Vector(<*>))")
    assert mask_text("setDataSource(fd, 0, 4096)") == "setDataSource(fd, <*>, <*>)"


def test_an_undated_exception_line_is_a_continuation_and_the_join_hint_fits_the_dates(tmp_path):
    """QA Spark: `Exception in thread "main" ...` was an event of time `in`, and the awk that
    joins records looked for a four-digit year, joining a whole `26/11/30` log into one line."""
    lines = [
        "26/11/30 10:00:00 INFO DAGScheduler: Job 3 failed: count at App.scala:42",
        'Exception in thread "main" org.apache.spark.SparkException: Job aborted',
        "\tat org.apache.spark.scheduler.DAGScheduler.failJob(DAGScheduler.scala:2785)",
        "Caused by: java.lang.NullPointerException",
        "26/11/30 10:00:01 INFO SparkContext: Invoking stop() from shutdown hook",
    ]
    log = tmp_path / "driver.log"
    log.write_text("".join(f"{line}\n" for line in lines))
    summary = parse_files([str(log)], resolve_format("spark"), tmp_path / "e.parquet")
    assert (summary.events, summary.rejected, summary.continuations) == (2, 3, 3)
    (warning,) = summary.warnings
    assert "awk '/^[0-9]+\\/[0-9]+\\/[0-9]+/ {" in warning


def test_the_join_advice_fits_days_and_months_of_one_or_two_digits(tmp_path):
    """QA Windows DNS: from `11/3/2026` the advice's pattern took one digit for the day, and
    its join glued every line of `11/10/2026` onto the last record of the 9th."""
    import shutil
    import subprocess

    from logbert.parsing.summary import join_continuations

    lines = ["11/3/2026 9:00:15 AM 0E6C PACKET a", "\tkey line", "11/10/2026 1:00:00 PM 0E6C b",
             "1/5/2027 2:00:00 AM 0E6C c"]  # fmt: skip
    command = join_continuations(lines).split("where each record starts with a date, ")[1]
    command = command.split(" LOG > joined.log")[0]
    assert command.startswith("awk '/^[0-9]+\\/[0-9]+\\/[0-9]+/ ")
    if shutil.which("awk"):
        log = tmp_path / "dns.log"
        log.write_text("\n".join(lines) + "\n")
        out = subprocess.run(["sh", "-c", f"{command} {log}"], capture_output=True, text=True)
        assert out.stdout.splitlines() == [f"{lines[0]} {lines[1]}", lines[2], lines[3]]


def test_a_virtual_interface_named_at_random_is_a_variable(masked_alike):
    """QA dmesg: `veth2e6f5b4: renamed from eth0` kept each container's interface name, 1,111
    templates of one event and each container's stop a new event."""
    lines = [
        "eth0: renamed from veth2e6f5b4",
        "veth2e6f5b4: renamed from eth0",
        "docker0: port 3(veth1b33c84) entered blocking state",
        "br-1a2b3c4d5e6f: port 1(cali1a2b3c4d5e6) entered forwarding state",
        "tap3f2a1b0c-9d: entered promiscuous mode",
    ]
    assert masked_alike(lines) == [
        "<*>: renamed from <*>",  # a port is an entity too (QA FRR, MikroTik)
        "<*>: renamed from <*>",
        "docker0: port <*>(<*>) entered blocking state",
        "<*>: port <*>(<*>) entered forwarding state",
        "<*>: entered promiscuous mode",
    ]
    assert mask_text("tapped the calibrate button") == "tapped the calibrate button"


def test_a_reboot_inside_a_dmesg_file_is_named_not_called_unsorted(tmp_path):
    """QA dmesg: a file of four boots (uptime starting again at each `Linux version` banner)
    was told to sort merged logs by time, which is what mixes the boots."""
    boot = [
        "[    0.000000] Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org)",
        "[    0.120766] x86/fpu: Supporting XSAVE feature 0x001",
        "[ 3954.846571] veth2e6f5b4: renamed from eth0",
    ]
    log = tmp_path / "web01.dmesg"
    log.write_text("".join(f"{line}\n" for line in boot * 2))
    summary = parse_files([str(log)], resolve_format("[<Timestamp>] <Content>"), tmp_path / "e.pq")
    (restart,) = [w for w in summary.warnings if "step back" in w]
    assert "starts again near zero there, so it counts time since boot" in restart
    assert "split the file at each boot" in restart and "sort merged logs" not in restart


def test_dmesg_is_a_built_in_format_that_auto_chooses():
    """QA dmesg: `--format auto` knew no format for `[  120.766080] msg`; a bracketed
    process id is no uptime (`[1234] msg` stays another format's)."""
    lines = ["[    0.000000] Linux version 6.1.0", "[  120.766080] eth0: renamed from veth2e6f5b4"]
    assert rank_formats(lines)[0].name == "dmesg"
    (dmesg,) = [s for s in rank_formats(["[1234] worker started"] * 2) if s.name == "dmesg"]
    assert dmesg.dated == 0


def test_a_timestamp_format_that_dates_lines_after_the_file_was_written_is_warned(tmp_path):
    """QA Spark: a day-first `--timestamp-format '%d/%m/%y ...'` read `26/11/30` (yy/mm/dd) as
    2030-11-26, years after the file was written, with no word."""
    import os

    log = tmp_path / "app.log"
    log.write_text("26/11/30 23:44:42 INFO DAGScheduler: Job 3 finished\n")
    written = 1_796_256_000  # 2026-12-03 UTC
    os.utime(log, (written, written))
    fmt = "<Date> <Time> <Level> <Component>: <Content>"
    wrong = resolve_format(fmt, timestamp_format="%d/%m/%y %H:%M:%S")
    (warning,) = [w for w in parse_files([str(log)], wrong, tmp_path / "a.pq").warnings
                  if "after the file was last written" in w]  # fmt: skip
    assert warning.startswith("warning: --timestamp-format '%d/%m/%y %H:%M:%S' dates app.log's")
    assert "up to 2030-11-26" in warning
    right = resolve_format(fmt, timestamp_format="%y/%m/%d %H:%M:%S")
    assert not parse_files([str(log)], right, tmp_path / "b.pq").warnings


def test_the_kernels_sizes_are_numbers(masked_alike):
    """QA dmesg: `total-vm:29626421kB` and `66157883K/67108864K` kept their sizes, so two OOM
    kills were two templates."""
    assert masked_alike([
        "Out of memory: Killed process 1234 (java) total-vm:29626421kB, anon-rss:14813210kB",
        "Memory: 66157883K/67108864K available (12288K kernel code)",
    ]) == [
        "Out of memory: Killed process <*> (java) total-vm:<*>, anon-rss:<*>",
        "Memory: <*>/<*> available (<*> kernel code)",
    ]  # fmt: skip
