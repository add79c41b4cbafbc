"""What blind QA round 133 (Mumble, Privoxy, Radicale, Gitolite) found in reading each log's
lines, and what they read as now."""

from __future__ import annotations

from logbert.parsing.masks import mask_text


def test_webdavs_statuses_keep_their_class_with_their_reason():
    """QA Radicale: a CalDAV `207 Multi-Status` was `<*> Multi-Status` where every other
    status with its reason was a class (`2xx OK`)."""
    line = "REPORT response status for '/x/calendar/' with depth '1' in 0.082 seconds: {}"
    assert mask_text(line.format("207 Multi-Status")).endswith("seconds: 2xx Multi-Status")
    assert mask_text(line.format("423 Locked")).endswith("seconds: 4xx Locked")
    assert mask_text(line.format("507 Insufficient Storage")).endswith(": 5xx Insufficient Storage")


def test_few_ids_most_of_them_met_on_several_hosts_are_said_without_a_reuse_warning():
    """QA smartd: `--by-id 'Device: (/dev/\\w+)'` made 7 sessions of five hosts' disks
    (`/dev/sda` of all five, four days), exit 0, no word: the hosts clause rode only on reuse
    warnings, and none fired. Ids of many sessions a service's hosts pass on (requests) are
    left to those warnings."""
    from datetime import datetime, timedelta

    import pyarrow as pa

    from logbert.sessions.id_sessions import IdSessionizer

    def stats_of(rows):
        contents, keys, times, hosts = (list(column) for column in zip(*rows, strict=True))
        sessionizer = IdSessionizer(PATTERN)
        sessionizer.push(pa.table({"content": contents, "template_id": keys, "timestamp": times,
                                   "Host": hosts}))  # fmt: skip
        sessionizer.flush()
        return sessionizer.stats

    start = datetime(2026, 12, 1)
    disks = [
        (f"Device: /dev/sd{disk}, SMART Usage Attribute: 194 changed", 3,
         start + timedelta(minutes=30 * step + i), f"host{i}")
        for step in range(40) for i in range(5) for disk in "ab"
    ]  # fmt: skip
    (said,) = [w for w in stats_of(disks).warnings(PATTERN) if "several hosts" in w]
    assert said.startswith("warning: 2 of the 2 ids came from several hosts (e.g. '/dev/sda'")
    assert said.endswith("--by-field Host --by-id 'Device: (/dev/\\w+)'")
    requests = [
        (f"Device: /dev/req{n}, passed on", 3, start + timedelta(seconds=n + hop), f"host{hop}")
        for n in range(1_200) for hop in range(2)
    ]  # fmt: skip
    assert not [w for w in stats_of(requests).warnings(PATTERN) if "several hosts" in w]


PATTERN = r"Device: (/dev/\w+)"


def test_dates_read_with_day_and_month_swapped_are_said(tmp_path):
    """QA Graphite: carbon's `01/12/2025` (day first) read with `--timestamp-format '%m/%d/%Y
    ...'` dated the logs in January, exit 0, no word; over several days every line falls on
    the 12th of a month, the days months apart."""
    from logbert.parsing.formats import resolve_format
    from logbert.parsing.pipeline import parse_files

    log = tmp_path / "console.log"
    log.write_text("".join(
        f"0{day}/12/2025 1{hour}:02:18 :: new metric servers.web{hour}.cpu matched schema\n"
        for day in range(1, 5) for hour in range(3)
    ))  # fmt: skip
    fmt = "<Date> <Time> :: <Content>"
    swapped = resolve_format(fmt, timestamp_format="%m/%d/%Y %H:%M:%S")
    summary = parse_files([str(log)], swapped, tmp_path / "e.parquet")
    (said,) = [w for w in summary.warnings if "day 12 of a month, in 4 months" in w]
    assert "swap %d and %m" in said
    right = resolve_format(fmt, timestamp_format="%d/%m/%Y %H:%M:%S")
    summary = parse_files([str(log)], right, tmp_path / "f.parquet")
    assert not [w for w in summary.warnings if "of a month" in w]
