"""What blind QA round 100 (OpenNebula, Grid Engine, Logstash, VictoriaMetrics, OSSEC) found in
reading each log's lines, and what they read as now."""

from __future__ import annotations

import pytest

from logbert.errors import LogbertError
from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files

# OSSEC's alerts.log as it writes it: an alert over several lines, a blank line after each
ALERT = """** Alert 1793577612.{n}: - ossec,
2026 Nov 02 00:00:{s:02d} (dns01) 10.0.1.25->ossec
Rule: 503 (level 3) -> 'Ossec agent started.'
ossec: Agent started: 'dns01->10.0.1.25'.
"""


def alerts_log(path):
    path.write_text("\n".join(ALERT.format(n=4821 + i, s=i) for i in range(30)))
    return path


@pytest.mark.parametrize("name", ["wazuh", "auto"])
def test_alerts_over_several_lines_are_refused_with_the_join(tmp_path, name):
    """QA OSSEC: `--format wazuh` was refused with "try --format auto", and `auto` chose
    `nxos` for a quarter of the lines, wrote templates of `Rule:` lines, exit 0."""
    log = alerts_log(tmp_path / "alerts.log")
    with pytest.raises(LogbertError) as refused:
        parse_files([str(log)], resolve_format(name), tmp_path / "e.parquet")
    message = str(refused.value)
    assert "OSSEC's alerts.log" in message and "--format wazuh" in message
    assert "awk '/^\\*\\* Alert /" in message
    assert "nxos" not in message


def test_alerts_beside_a_daemons_log_in_a_folder_get_the_join(tmp_path):
    """QA OSSEC: a folder of ossec.log and alerts.log was told to parse alerts.log with
    `--format nxos`."""
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "a_ossec.log").write_text(
        "".join(
            f"2026-11-02T00:00:{i:02d} ossec-syscheckd: INFO: Starting syscheck scan.\n"
            for i in range(20)
        )
    )
    alerts_log(folder / "alerts.log")
    with pytest.raises(LogbertError) as refused:
        files = [str(folder / "a_ossec.log"), str(folder / "alerts.log")]  # as a folder's
        parse_files(files, resolve_format("auto"), tmp_path / "e.parquet")
    message = str(refused.value)
    assert "--format wazuh" in message and "--format nxos" not in message


def test_joined_alerts_still_read_by_wazuh(tmp_path):
    """The hint is for alerts not yet joined: one alert a line (` | `) reads as before."""
    log = tmp_path / "joined.log"
    log.write_text(
        "".join(
            " | ".join(ALERT.format(n=4821 + i, s=i).strip().splitlines()) + "\n"
            for i in range(5)
        )
    )
    summary = parse_files([str(log)], resolve_format("wazuh"), tmp_path / "e.parquet")
    assert summary.lines == 5 and summary.rejected == 0
