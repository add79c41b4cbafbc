"""QA round 39 (Kafka Connect, PostgreSQL csvlog, GitHub Actions runner, Tor, Bareos): what
each log's first run got wrong, as a new user met it."""

from __future__ import annotations

import pytest

from logbert.errors import LogbertError
from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files

_CSVLOG = (
    '2025-11-14 06:00:2{i}.800 CET,"reporting","analytics",28087,"10.20.1.17:44615",'
    '6916b76a.6db7,{i},"authentication",2025-11-14 06:00:26 CET,7/261,0,LOG,00000,'
    '"connection authorized: user=reporting database=analytics",,,,,,,,,"","client backend",,0'
)


def test_postgresql_csvlog_is_refused_with_how_to_read_it(tmp_path):
    """QA PostgreSQL: `auto` chose `iso` for csvlog: the message one `<*>` among 26 columns,
    the zone dropped (every time an hour off), 43% of the lines rejected, unsaid."""
    log = tmp_path / "postgresql-Fri.csv"
    log.write_text("\n".join(_CSVLOG.format(i=i) for i in range(6)) + "\n")
    with pytest.raises(LogbertError, match="PostgreSQL's csvlog") as error:
        parse_files([str(log)], resolve_format("auto"), tmp_path / "e.parquet")
    said = str(error.value)
    assert "log_destination = 'jsonlog'" in said and "error_severity" in said


def test_a_date_with_its_month_name_is_one_value(masked_alike):
    """QA Bareos: `27-Nov-2026 00:15:00` in a job report kept `-Nov-`, every job of a new month
    a new event."""
    november, december = masked_alike([
        "Scheduled time: 27-Nov-2026 00:15:00",
        "Scheduled time: 02-Dec-2026 21:00:00",
    ])  # fmt: skip
    assert november == december == "Scheduled time: <*>"


def test_postgresql_json_records_name_level_component_and_names(json_parsed):
    """QA PostgreSQL: csvlog turned into JSON lines (as the refusal advises) read no level,
    and its database and application names made a template each."""
    records = [
        {"log_time": f"2025-11-14 06:00:2{i}.800 CET", "database_name": db,
         "application_name": app, "error_severity": "LOG", "message": "connection authorized",
         "backend_type": "client backend"}
        for i, (db, app) in enumerate([("shop", "metabase"), ("analytics", "airflow-etl")])
    ]  # fmt: skip
    events, _ = json_parsed(records)
    assert events["Level"] == ["LOG"] * 2 and events["Component"] == ["client backend"] * 2
    assert events["template"][0] == events["template"][1]
    assert [t.hour for t in events["timestamp"]] == [5, 5]  # CET in UTC


def test_tor_notices_have_a_format_and_rate_limit_notes_go(auto_parsed, masked_alike):
    """QA Tor: `syslog-notag` read `[warn]` as the host and `Heartbeat:` as the program (no
    level known); a warning with Tor's ` [N similar message(s) suppressed ...]` note was a
    second template of it."""
    tor = auto_parsed([
        "Nov 24 05:07:12.000 [notice] Heartbeat: Tor's uptime is 0:45 hours, with 5685 "
        "circuits open.",
        "Nov 24 12:00:00.000 [warn] Your system clock just jumped 612 seconds forward.",
    ], "tor")  # fmt: skip
    assert tor["Level"] == ["notice", "warn"] and tor["content"][0].startswith("Heartbeat: ")
    plain, noted = masked_alike([
        "Failing because we have 4063 connections already.",
        "Failing because we have 4063 connections already. [over 100 similar message(s) "
        "suppressed in last 60 seconds]",
    ])  # fmt: skip
    assert plain == noted


def test_a_condition_result_and_a_dotnet_status_stay_events(masked_alike):
    """QA GitHub Actions runner: `Result: False` (a step skipped) was `Result: True`'s event,
    and .NET's `does not indicate success: 503` masked the status."""
    false, true, status = masked_alike([
        "INFO StepsRunner] Result: False",
        "INFO StepsRunner] Result: True",
        "Response status code does not indicate success: 503 (Service Unavailable).",
    ])  # fmt: skip
    assert false != true and false.endswith("Result: false")
    assert status == "Response status code does not indicate success: 5xx (Service Unavailable)."


def test_a_local_header_is_told_by_a_request_logs_zoned_date(tmp_path):
    """QA Kafka Connect: a CET log4j header (no zone) an hour after Jetty's request log's
    `[01/Dec/2026:13:00:45 +0000]` in the message, unsaid."""
    lines = [
        f'[2026-12-01 14:00:4{i},760] INFO 10.0.7.40 - - [01/Dec/2026:13:00:4{i} +0000] "GET '
        f'/connectors HTTP/1.1" 200 35 (org.apache.kafka.connect.runtime.rest.RestServer:62)'
        for i in range(5)
    ]
    log = tmp_path / "connect.log"
    log.write_text("\n".join(lines) + "\n")
    summary = parse_files([str(log)], resolve_format("iso"), tmp_path / "e.parquet")
    assert [w for w in summary.warnings if "the header is in local time (UTC+01:00)" in w]
