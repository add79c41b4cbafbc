"""QA round 43 (Windows CBS, Zigbee2MQTT, osquery, InfluxDB, Pulsar): what each log's first
run got wrong, as a new user met it."""

from __future__ import annotations

from logbert.parsing.auto import rank_formats
from logbert.parsing.logfmt import logfmt_record
from logbert.parsing.miner import TemplateMiner
from logbert.parsing.rotation import log_name, rotation_key


def test_windows_servicing_names_paths_and_files_are_values(masked_alike):
    """QA Windows CBS: a template per DLL an installer or a repair failed on, and CSI's
    `[l:9]"ntdll.dll"` cut inside its quotes."""
    dll, sys_file = masked_alike([
        'CSI 0000001a [SR] Cannot repair member file [l:9]"ntdll.dll" of microsoft-windows-lsa',
        'CSI 0000001b [SR] Cannot repair member file [l:10]"srv2.sys" of microsoft-windows-lsa',
    ])  # fmt: skip
    assert dll == sys_file == (
        'CSI <*> [SR] Cannot repair member file [l:<*>]"<*>" of microsoft-windows-lsa'
    )
    bcrypt, ntdll = masked_alike([
        "CBS Failed to execute installer, file: bcrypt.dll [HRESULT = 0x80070002]",
        "CBS Failed to execute installer, file: ntdll.dll [HRESULT = 0x80070002]",
    ])  # fmt: skip
    assert bcrypt == ntdll and "file: <*>" in bcrypt
    shell32, srv2 = masked_alike([
        r"CSI 00000012 [SR] Repairing corrupted file \??\C:\Windows\System32\shell32.dll",
        r"CSI 00000013 [SR] Repairing corrupted file \??\C:\Windows\System32\drivers\srv2.sys",
    ])  # fmt: skip
    assert shell32 == srv2 and shell32.endswith("corrupted file <*>")


def test_a_yes_or_no_is_a_state():
    """QA Windows CBS: `Reboot required: yes` and `no` were one event, a pending-reboot loop a
    clean session's."""
    lines = [f"Session: <*> finalized. Reboot required: {answer} [HRESULT = <*> - S_OK]"
             for answer in ("yes", "no")]  # fmt: skip
    assert len(set(TemplateMiner().add(lines * 6))) == 2


def test_windows_servicing_s_and_log4j2_s_rotated_files_are_parts_of_their_log():
    """QA Windows CBS: `CbsPersist_<stamp>.log` was read after `CBS.log`; QA Pulsar: log4j2's
    `x.log-12-04-2026-1.log.gz` was read after `x.log` and windowed as another stream."""
    cbs = ["CBS.log", "CbsPersist_20261120201331.log"]
    assert sorted(cbs, key=rotation_key) == cbs[::-1]
    assert log_name("srv/CbsPersist_20261120201331.log") == "srv/CBS.log"
    pulsar = ["b.log", "b.log-12-04-2026-1.log.gz", "b.log-12-03-2026-2.log.gz"]
    assert sorted(pulsar, key=rotation_key) == [pulsar[2], pulsar[1], pulsar[0]]
    assert log_name("logs/b.log-12-04-2026-1.log.gz") == "logs/b.log"


def test_a_log4j2_thread_in_brackets_is_no_hclog_level():
    """QA Pulsar: `[pulsar-io-4-3] INFO ...` tied `hclog` with `iso`, was picked, and every
    Level was a thread's name."""
    lines = [
        f"2026-12-04T07:00:0{i},726+0000 [pulsar-io-4-{i}] INFO  org.apache.pulsar.broker."
        f"service.ServerCnx - New connection from /10.0.0.46:5889{i}"
        for i in range(8)
    ]
    assert rank_formats(lines)[0].name == "iso"


def test_a_json_line_is_no_ctime_line():
    """QA osquery: `ctime`'s weekday swallowed a JSON line up to `calendarTime`'s `"Thu`, and
    it read the log with 0 rejects, the query's name gone from every template."""
    line = ('{"name":"pack_ports","hostIdentifier":"web01","calendarTime":"Thu Dec  3 10:00:10 '
            '2026 UTC","unixTime":1796292010,"columns":{"port":"22"},"action":"added"}')
    ranking = {score.name: score for score in rank_formats([line] * 4)}
    assert ranking["ctime"].split == 0


def test_ids_of_a_process_a_trace_and_a_host_are_values(masked_alike):
    """QA InfluxDB: `log_id=0B61nsCt000` (one per process) was kept in every template of a
    one-process file, and after a restart every event was new; QA osquery: `hostIdentifier`."""
    before, after = masked_alike([
        "info Completed successfully log_id=0j1oi_ej000 run_id=0Bx service=task-executor",
        "info Completed successfully log_id=0ru9KLDy000 run_id=0Cy service=task-executor",
    ])  # fmt: skip
    assert before == after and "log_id=<*> run_id=<*>" in before
    assert masked_alike(["query hostIdentifier=web01 action=added"]) == [
        "query hostIdentifier=<*> action=added"
    ]


def test_a_logfmt_key_written_twice_keeps_both_values():
    """QA InfluxDB: zap's nested loggers write `service=storage-engine service=write`; the
    first value was lost, unsaid, and sessions by service split."""
    record = logfmt_record('ts=2026-12-04T11:31:06Z lvl=info msg="Write failed" '
                           "service=storage-engine service=write")  # fmt: skip
    assert record["service"] == "storage-engine/write"


def test_more_quoted_device_names_than_a_few_commands_are_one_variable():
    """QA Zigbee2MQTT: `Device 'kitchen_plug' announced itself` was a template per device, and a
    device's first announcement a new event; a few quoted commands (`'replace_facts'` beside
    `'replace_catalog'`) stay events apart."""
    devices = ["kitchen_plug", "bathroom_sensor", "hallway_motion", "garden_sensor", "front_door"]
    ids = TemplateMiner().add([f"Device '{d}' announced itself" for d in devices] * 2)
    assert len(set(ids)) == 1
    commands = TemplateMiner().add([f"Processed '{c}' command" for c in
                                    ("replace_facts", "replace_catalog")] * 4)  # fmt: skip
    assert len(set(commands)) == 2
