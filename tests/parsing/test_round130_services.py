"""What blind QA round 130 (Network UPS Tools, stunnel, collectd, Barman) found in reading each
log's lines, and what they read as now."""

from __future__ import annotations

from logbert.parsing.masks import mask_text
from logbert.parsing.miner import TemplateMiner


def test_a_name_in_brackets_is_one_whole_value_not_a_shared_prefix():
    """QA NUT: `Data for UPS [ups-a] is stale` and `[ups-b]` made `[ups-<*>]`, and the same
    glitch of UPS `[rack1]` a new event (3 of 5 false alarms of every detector)."""
    miner = TemplateMiner()
    lines = [
        "Data for UPS [ups-a] is stale - check driver",
        "Data for UPS [ups-b] is stale - check driver",
        "UPS [ups-a] data is no longer stale",
        "UPS [ups-b] data is no longer stale",
    ]
    ids = miner.add(lines, [3, 2, 3, 2])
    assert miner.template(ids[0]) == "Data for UPS [<*>] is stale - check driver"
    assert miner.template(ids[2]) == "UPS [<*>] data is no longer stale"
    later = miner.add(["Data for UPS [rack1] is stale - check driver"], [1])
    assert later == ids[:1]


def test_a_calls_argument_is_no_relative_path_with_the_words_after_it():
    """QA collectd: `df plugin: statvfs(/mnt/backup) failed: Stale file handle` was joined as
    a path with spaces and masked whole, `df plugin: <*>: Stale file handle`: no failure."""
    assert mask_text("df plugin: statvfs(/mnt/backup) failed: Stale file handle") == (
        "df plugin: statvfs(<*>) failed: Stale file handle"
    )
    assert mask_text("music/Pink Floyd/The Wall/Comfortably Numb.mp3: Copied (new)") == (
        "<*>: Copied (new)"
    )


def test_a_plugin_quoted_as_gnu_programs_quote_is_the_event():
    """QA collectd: ``read-function of plugin `df' failed`` beside `ping` and `memcached/local`
    was one event once several plugins failed in training: a new plugin's failure a routine
    ping flap's."""
    line = "read-function of plugin `{}' failed. Will suspend it for <*> seconds."
    plugins = ["df", "ping", "memcached/local", "postgresql"]
    ids = TemplateMiner().add([line.format(p) for p in plugins], [5, 12, 2, 3])
    assert len(set(ids)) == len(plugins)


def test_stunnels_own_file_is_read_with_its_level_and_connection(auto_parsed):
    """QA stunnel: `2026.11.20 00:00:06 LOG5[ui]: ...` was read by no built-in format, and a
    format string's <Level> took `LOG5` for no level (each line's level left out unsaid)."""
    events = auto_parsed([
        "2026.11.20 00:00:06 LOG5[ui]: Received signal 1; reloading configuration",
        "2026.11.20 00:00:07 LOG3[3120]: SSL_accept: Peer suddenly disconnected",
        "2026.11.20 00:00:08 LOG6[cron]: Executing cron jobs",
    ], "stunnel")  # fmt: skip
    assert events["Level"] == ["5", "3", "6"] and events["Conn"] == ["ui", "3120", "cron"]
    assert [str(t) for t in events["timestamp"]][1] == "2026-11-20 00:00:07"
    assert events["content"][1] == "SSL_accept: Peer suddenly disconnected"


def test_barmans_log_is_read_with_its_process_logger_and_level(auto_parsed):
    """QA Barman: `--format auto` read Python logging's `%(asctime)s [%(process)s] %(name)s
    %(levelname)s: %(message)s` as `iso`, the process, logger and level in every event and
    sessions by process only by a format string."""
    events = auto_parsed([
        "2026-11-29 00:00:01,163 [6004] barman.server INFO: Starting WAL archiving for pg-main",
        "2026-11-29 00:00:01,325 [6010] barman.wal_archiver INFO: No xlog segments found.",
        "2026-11-29 00:00:02,001 [6010] barman.wal_archiver ERROR: No space left on device",
    ], "barman")  # fmt: skip
    assert events["Pid"] == ["6004", "6010", "6010"]
    assert events["Component"][1] == "barman.wal_archiver" and events["Level"][2] == "ERROR"
    assert events["content"][2] == "No space left on device"
