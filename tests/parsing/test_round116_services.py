"""What blind QA round 116 (containerd, Home Assistant, ScyllaDB, BorgBackup) found in reading
each log's lines, and what they read as now."""

from __future__ import annotations


def test_home_assistant_s_log_is_a_built_in_format_its_logger_a_field(auto_parsed):
    """QA Home Assistant: `auto` chose `iso`, which kept thread and logger in the message, so
    `--by-field Component` (an integration's sessions) had no field to read."""
    events = auto_parsed([
        "2024-11-18 00:01:01.609 INFO (MainThread) [homeassistant.components.automation."
        "thermostat_schedule] Thermostat schedule: Running automation actions",
        "2024-11-18 00:12:07.370 WARNING (MainThread) [aioesphomeapi.reconnect_logic] Can't "
        "connect to ESPHome API for garage-door @ 192.168.1.62: Timeout while connecting",
        "2024-11-18 03:12:00.001 ERROR (Recorder) [homeassistant.components.recorder.core] "
        "Unrecoverable sqlite3 database corruption detected",
    ], "homeassistant")  # fmt: skip
    assert events["Component"][1] == "aioesphomeapi.reconnect_logic"
    assert events["ThreadName"] == ["MainThread", "MainThread", "Recorder"]
    assert events["Level"] == ["INFO", "WARNING", "ERROR"]
    # level and logger lead the event, as `iso` kept them
    assert events["template"][1].startswith("WARNING aioesphomeapi.reconnect_logic Can't connect")


def test_an_esphome_device_s_name_is_a_value(masked_alike):
    """QA Home Assistant: `Can't connect to ESPHome API for garage-door @ ...` was a template
    per device, a new device's first disconnect a new event."""
    lines = masked_alike([
        f"Can't connect to ESPHome API for {name} @ 192.168.1.{n}: Timeout while connecting"
        for n, name in ((62, "garage-door"), (71, "bedroom-sensor"))
    ])  # fmt: skip
    assert lines[0] == lines[1] and "API for <*> @ <*>" in lines[0]


def test_a_keyspace_and_what_names_it_are_values(masked_alike):
    """QA ScyllaDB: `keyspace=ks_app`, `repair for keyspace ks_app`, `memtable of
    ks_app.users` and `tables={users, events, sessions}` were kept: a template per keyspace,
    and a new keyspace's normal repair scored above the real failures."""
    head = "[shard 0:strm] repair - repair[95e60af5-93bd-14cf-8fd6-30f1f29d0da9]: "
    for template in (
        head + "completed successfully, keyspace={ks}",
        head + "starting user-requested repair for keyspace {ks}, repair id 204",
        "[shard 3:memtable] database - Flushing memtable of {ks}.users: 23 MB, 45963 partitions",
        head + "stats: repair_reason=repair, keyspace={ks}, tables={{users, events}}, round_nr=1",
    ):
        app, orders = masked_alike([template.format(ks="ks_app"), template.format(ks="orders")])
        assert app == orders and "ks_app" not in app and "users, events" not in app


CONTAINERD = (
    'Dec  5 08:00:{s:02d} node-a{n} containerd[1203]: time="2026-12-05T08:00:{s:02d}.662808147Z" '
    'level=info msg="{call} for \\"{cid}\\""'
)


def test_containerd_s_logfmt_behind_syslog_s_header_is_logfmt_each_call_an_event(auto_parsed):
    """QA containerd: `auto` chose `linux` for journald's and rsyslog's `... containerd[1203]:
    time="..." level=info msg="..."`, the pairs in every event and the year from the file's
    date (`logfmt` refused every line); and with `info` first, five CRI calls were one
    `info <*> for <*>` event: a container removed before it started scored 0."""
    calls = ["RunPodSandbox", "StartContainer", "StopPodSandbox", "RemoveContainer",
             "RemovePodSandbox"] * 4  # fmt: skip
    lines = [
        CONTAINERD.format(s=i, n=i % 3, call=call, cid=f"{i:02d}93249aba7f5341794c27919e236db070")
        for i, call in enumerate(calls)
    ]
    events = auto_parsed(lines, "logfmt")
    assert str(events["timestamp"][0]).startswith("2026-12-05 08:00:00.662808")
    assert events["Level"][0] == "info"
    named = {t.split()[1] for t in events["template"]}
    assert named == set(calls), named
    assert all("program=containerd" in t and "host=<*>" in t for t in events["template"])
