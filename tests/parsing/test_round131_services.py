"""What blind QA round 131 (Riak, Apache Traffic Server, BackupPC, CFEngine) found in reading
each log's lines, and what they read as now."""

from __future__ import annotations

from logbert.parsing.formats import resolve_format
from logbert.parsing.masks import mask_text
from logbert.parsing.pipeline import parse_files


def test_traffic_servers_diags_log_is_read_with_its_process_thread_and_level(auto_parsed):
    """QA Traffic Server: `[Dec  1 00:00:05.129] [ET_NET 0] NOTE: ...` was read by no built-in
    format (and a format string's <Level> said `NOTE` named no level)."""
    events = auto_parsed([
        "[Dec  1 00:00:05.009] traffic_server NOTE: --- traffic_server Starting ---",
        "[Dec  1 00:00:05.129] [ET_NET 0] NOTE: loading plugin '/opt/ts/libexec/a.so'",
        "[Dec 12 03:02:18.000] [ET_TASK 1] WARNING: remap.config failed to load",
        "[Mar 12 10:31:33.063] Server {0x2b7b8e2b2e00} STATUS: cache clustering disabled",
    ], "trafficserver")  # fmt: skip
    assert events["Level"] == ["NOTE", "NOTE", "WARNING", "STATUS"]
    assert events["Thread"] == ["", "ET_NET 0", "ET_TASK 1", "0x2b7b8e2b2e00"]
    assert events["Component"] == ["traffic_server", "", "", "Server"]
    assert events["content"][2] == "remap.config failed to load"
    assert str(events["timestamp"][1]).endswith("-12-01 00:00:05.129000")


def test_traffic_servers_error_log_is_dated_as_its_rolled_files_are_named(auto_parsed):
    events = auto_parsed([
        "20261201.00h32m25s CONNECT: attempt fail [CONNECTION_CLOSED] to 10.20.0.11:80",
        "20261201.02h39m08s RESPONSE: sent 10.1.8.250 status 404 (Not Found on Accelerator) "
        "for 'http://10.1.8.250/'",
    ], "trafficserver-error")  # fmt: skip
    assert [str(t) for t in events["timestamp"]] == [
        "2026-12-01 00:32:25", "2026-12-01 02:39:08"
    ]  # fmt: skip


def test_a_note_level_names_a_level(tmp_path):
    log = tmp_path / "diags.log"
    log.write_text("".join(
        f"[Dec  1 0{i}:00:05.009] traffic_server NOTE: rolled log {i}\n" for i in range(6)
    ))  # fmt: skip
    fmt = resolve_format(r"\[<Month> <Date> <Time>\] <Proc> <Level>: <Content>", year=2026)
    summary = parse_files([str(log)], fmt, tmp_path / "e.parquet")
    assert not [w for w in summary.warnings if "names no level" in w], summary.warnings


def test_traffic_servers_error_codes_keep_their_status_class():
    """QA Traffic Server: `ERR_CONNECT_FAIL/502` and `ERR_INVALID_URL/404` kept no class
    (`TCP_MISS/404` did: `4xx`), and error.log's `status 404 (Not Found on Accelerator)` was
    any status's event."""
    assert mask_text("ERR_CONNECT_FAIL/502 418 GET http://www.shop.com/x - DIRECT/o2 text/html") \
        .startswith("ERR_CONNECT_FAIL/5xx ")  # fmt: skip
    assert mask_text("RESPONSE: sent 10.1.8.250 status 404 (Not Found on Accelerator) for 'x'") \
        .startswith("RESPONSE: sent <*> status 4xx (Not Found")  # fmt: skip
    assert "127" in mask_text("worker exited with status 127 (Not Found)")  # no HTTP reply's


def test_the_advice_for_unread_lines_makes_the_formats_own_header_optional(tmp_path):
    """QA XtraBackup: `mysql` rejected every `version_check` line, and the advice's generic
    `'(<Date> <Time> )?<Content>'`, followed as written, refused every line (MySQL's time is
    one ISO field); its own header made optional reads them all."""
    lines = [
        "2024-03-01T02:00:02.542622-00:00 0 [Note] [MY-011825] [Xtrabackup] recognized "
        f"server arguments: --datadir=/var/lib/mysql{i}"
        for i in range(6)
    ] + [f"240301 02:00:0{i}  version_check Connecting to MySQL server with DSN" for i in range(3)]
    log = tmp_path / "xtrabackup.log"
    log.write_text("\n".join(lines) + "\n")
    summary = parse_files([str(log)], resolve_format("mysql"), tmp_path / "e.parquet")
    said = next(w for w in summary.warnings if "do not fit format mysql" in w)
    advised = r"(<Timestamp> <Thread> \[<Level>\] )?<Content>"
    assert f"'{advised}'" in said
    again = parse_files([str(log)], resolve_format(advised), tmp_path / "f.parquet")
    assert again.rejected == 0 and again.lines == len(lines)
