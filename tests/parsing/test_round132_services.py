"""What blind QA round 132 (ntpd, Tinyproxy, GNU Mailman 3, Percona XtraBackup) found in
reading each log's lines, and what they read as now."""

from __future__ import annotations

import pyarrow as pa

from logbert.parsing.masks import mask_array, mask_text


def test_mailmans_runner_logs_are_dated_by_their_own_year(auto_parsed):
    """QA Mailman: `Dec 01 00:00:05 2024 (1187) Master started` was read by `syslog-notag`,
    the year as the host and each line dated by the file's modification time (2026)."""
    events = auto_parsed([
        "Dec 01 00:00:05 2024 (1187) Master started",
        "Dec 01 00:00:06 2024 (1212) retry runner started.",
        "Dec  1 00:00:09 2024 (1205) <CA52EF61@mail.example.com> smtp to users@lists.example.org "
        "for 37 recips, completed in 0.19 seconds",
    ], "mailman")  # fmt: skip
    assert [str(t) for t in events["timestamp"]][:2] == [
        "2024-12-01 00:00:05", "2024-12-01 00:00:06"
    ]  # fmt: skip
    assert events["Pid"] == ["1187", "1212", "1205"]
    assert events["content"][0] == "Master started"


def test_tinyproxys_own_file_is_read_with_its_padded_level(auto_parsed):
    """QA Tinyproxy: read by no built-in format, and `CONNECT`, its connections' level, was
    said to name no level on every run."""
    events = auto_parsed([
        "CONNECT   Dec 04 00:00:00 [1295]: Connect (file descriptor 7): 10.20.2.11",
        "INFO      Dec 04 00:00:00 [1295]: No upstream proxy for docker.com",
        "ERROR     Dec 04 00:00:01 [1301]: opensock: Could not retrieve address info",
    ], "tinyproxy")  # fmt: skip
    assert events["Level"] == ["CONNECT", "INFO", "ERROR"]
    assert events["Pid"] == ["1295", "1295", "1301"]
    assert events["content"][1] == "No upstream proxy for docker.com"


def test_an_error_measured_in_a_unit_is_a_value_not_an_error_number():
    """QA ntpd: `frequency error 523 PPM exceeds tolerance 500 PPM` kept 523 as an error's
    number: a template per value, each new one an event never seen."""
    lines = [
        "frequency error 523 PPM exceeds tolerance 500 PPM",
        "frequency error -517 PPM exceeds tolerance 500 PPM",
        "clock offset error 12 ms",
    ]
    assert [mask_text(line) for line in lines] == [
        "frequency error <*> PPM exceeds tolerance <*> PPM",
        "frequency error <*> PPM exceeds tolerance <*> PPM",
        "clock offset error <*> ms",
    ]
    masked = mask_array(pa.array(lines))[0].to_pylist()
    assert set(masked) == {mask_text(line) for line in lines}  # (the columnar path alike)
    assert mask_text("Fatal NI connect error 12170.") == "Fatal NI connect error 12170."
