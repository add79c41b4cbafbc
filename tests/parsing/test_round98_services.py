"""What blind QA round 98 found in reading each log's lines, and what they read as now (and the
kernel clock left open by round 96)."""

from __future__ import annotations


def test_printks_clock_before_a_kernel_message_makes_no_template_of_its_own(log_parsed):
    """QA multipath and chrony: a fleet with hosts that print the kernel's uptime before each
    kernel message (`kernel: [875062.839191] sd ...`) and hosts that do not wrote two
    templates of every kernel event, most of the QA's 60 templates."""
    messages = [
        "sd 2:0:0:{i}: [sd{d}] Synchronizing SCSI cache",
        "device-mapper: multipath: Failing path 8:{i}.",
        "pps pps0: new PPS source ktimer",
    ]
    lines = []
    for i in range(6):
        for message in messages:
            text = message.format(i=i, d="abcdef"[i])
            stamp = f"[{875062 + i:>12}.{839191 + i}] " if i % 2 else ""
            lines.append(f"Dec  5 10:00:0{i} host{i % 2} kernel: {stamp}{text}")
    events, _ = log_parsed(lines, "linux")
    templates = sorted(set(events["template"]))
    assert len(templates) == 3, templates
    assert not any("[<*>] sd" in t or t.startswith("[<*>]") for t in templates)


def test_a_requests_time_after_its_query_string_is_kept():
    """QA Strapi (round 97): `GET /content-manager/...?page=1&pageSize=10 (12 ms) 200` read the
    query's last value and the time as one quantity, so the template lost its `(<*> ms)`: one
    request layout, two templates by whether a query string came before the time."""
    from logbert.parsing.masks import mask_text

    queried = mask_text("GET /api/articles?page=1&pageSize=10 (12 ms) 200")
    assert queried.endswith(" (<*> ms) 2xx"), queried
    assert mask_text("read 1024 bytes (1.16 KB)") == "read <*> <*>"  # a conversion still joins


LSF = [
    "Mar  3 06:00:27 2025 4821 6 10.1 newJob: Job <48212> submitted by user <frank> to queue <a>",
    "Mar  3 06:00:54 2025 4821 3 10.1 statusJob: Job <48215> exited with exit code 1",
    "Mar  3 08:12:00 2025 4821 5 10.1 ctrlHost: Host <node004> closed by administrator <lsfadmin>",
    "Mar  4 08:20:00 2025 4821 5 10.1 ctrlHost: Host <node005> closed by administrator <lsfadmin>",
]


def test_lsfs_daemon_log_is_read_with_the_year_it_writes(log_parsed):
    """QA LSF: `auto` chose `linux` for mbatchd's `Mar  3 06:00:27 2025 4821 6 10.1 newJob: ...`,
    read 2025 as the host and dated every line by the file's modification time, a year off."""
    from logbert.parsing.auto import rank_formats

    assert rank_formats(LSF)[0].name == "lsf"
    events, _ = log_parsed(LSF, "lsf")
    assert [str(t)[:10] for t in events["timestamp"]] == ["2025-03-03"] * 3 + ["2025-03-04"]
    assert events["Level"] == ["6", "3", "5", "5"] and events["Pid"] == ["4821"] * 4
    # a machine's zero-padded number is its name, not the event (QA LSF: a template per host)
    assert len({t for t in events["template"] if "closed" in t}) == 1


PGPOOL = [
    "2025-03-10 08:00:02.443: watchdog pid 2088: LOG:  watchdog node state changed from [DEAD] to "
    "[LOADING]",
    "2025-03-10 08:00:08.468: watchdog pid 2088: LOG:  watchdog node state changed from "
    "[INITIALIZING] to [STANDBY]",
    "2025-03-10 08:01:02.110: shop-api pid 2069: ERROR:  unable to read data from frontend",
    "2025-03-10 08:01:02.110: shop-api pid 2069: DETAIL:  EOF encountered with frontend",
    "2025-03-10 08:05:13.901: PostgreSQL JDBC Driver pid 2041: ERROR:  unable to read data from "
    "frontend",
    "2025-03-10 08:05:13.901: psql pid 2041: DETAIL:  EOF encountered with frontend",
]


def test_pgpools_log_is_read_with_the_clients_name_out_of_the_event(log_parsed):
    """QA Pgpool: `auto` chose `iso`, which left `%a pid %p:` (the client's application name)
    in every message, an event a template per client program (68 templates for 47 kinds)."""
    from logbert.parsing.auto import rank_formats

    assert rank_formats(PGPOOL)[0].name == "pgpool"
    events, summary = log_parsed(PGPOOL, "pgpool")
    assert events["App"][4] == "PostgreSQL JDBC Driver" and events["Pid"][4] == "2041"
    assert events["Level"] == ["LOG", "LOG", "ERROR", "DETAIL", "ERROR", "DETAIL"]
    templates = events["template"]
    assert templates[2] == templates[4] and templates[3] == templates[5]
    # a watchdog's states after `changed from ... to` are the event (QA Pgpool: one event)
    assert templates[0] != templates[1] and "[DEAD] to [LOADING]" in templates[0]


def test_postgresqls_severities_name_a_level(log_parsed):
    """QA Pgpool: a format string's <Level> on `LOG`, `DETAIL`, `HINT` was said to name no level,
    with advice to leave the field out."""
    lines = [line.replace(": LOG:", ": HINT:") for line in PGPOOL]
    fmt = "<Date> <Time>: <App> pid <Pid>: <Level>: +<Content>"
    _, summary = log_parsed(lines, fmt)
    assert not any("names no level" in w for w in summary.warnings)


def test_pacemakers_operations_stay_apart_and_drbds_minors_are_values(log_parsed):
    """QA DRBD: with enough lines `Initiating <*> operation` held demote, promote, start and
    stop (a promote before the demote the same two keys), and `drbd0` / `drbd1` made a
    template per device minor."""
    from logbert.parsing.masks import mask_text

    lines = []
    operations = ["demote", "promote", "start", "stop", "monitor", "notify"]
    nodes = ["alpha1", "alpha2", "beta1", "beta2", "gamma1"]
    for i in range(120):
        operation, node = operations[i % 6], nodes[i % 5]
        lines.append(
            f"Dec  3 00:{i // 60:02d}:{i % 60:02d} alpha1 pacemaker-controld[1224]:  notice: "
            f"Initiating {operation} operation p_drbd_r{i % 3}_{operation}_0 on {node}"
        )
    events, _ = log_parsed(lines, "linux", year=2026)
    templates = set(events["template"])
    assert {t.split()[2] for t in templates} == set(operations), templates
    drbd = mask_text("drbd r1/0 drbd1 alpha2: repl( Established -> VerifyS )")
    assert drbd == mask_text("drbd r0/0 drbd0 alpha2: repl( Established -> VerifyS )")


def test_an_api_call_named_first_in_its_query_string_keeps_its_operation(log_parsed):
    """QA CloudStack: `GET  command=listHosts&response=json&...` beside `command=
    deployVirtualMachine&...` were one `command=<*>` event, a burst of deploys a list's."""
    commands = ["listHosts", "deployVirtualMachine", "stopVirtualMachine", "attachVolume"]
    lines = [
        f"2024-03-11 07:00:{i % 60:02d},616 DEBUG [c.c.a.ApiServlet] (qtp1396431506-{i % 9}:ctx-"
        f"13043b{i:02d}) (logid:c1626e{i:02d}) ===START===  172.16.3.{i} -- GET  command="
        f"{commands[i % 4]}&response=json&id={i * 37}&_={1710140417616 + i}"
        for i in range(60)
    ]
    events, _ = log_parsed(lines, "iso")
    templates = set(events["template"])
    assert {t.split("command=")[1] for t in templates} == {f"{c}&<*>" for c in commands}


DIRSRV = "[02/Dec/2026:0{h}:00:18.174040050 -0500] conn={conn} fd=64 slot=64 connection from " \
    "10.0.0.1 to 10.0.0.5"


def test_389_directory_servers_rotated_access_log_is_read_oldest_first(tmp_path):
    """QA FreeIPA: `access.20261202-080000` was read after the live `access` (a connection
    spanning the rotation two sessions, both flagged), `access.rotationinfo` read as a log, and
    `auto` knew no format for the lines."""
    from logbert.parsing.folders import expand_folders
    from logbert.parsing.formats import resolve_format
    from logbert.parsing.pipeline import parse_files

    folder = tmp_path / "slapd-EXAMPLE-TEST"
    folder.mkdir()
    (folder / "access.20261202-080000").write_text(DIRSRV.format(h=8, conn=1) + "\n")
    (folder / "access").write_text(DIRSRV.format(h=9, conn=2) + "\n")
    (folder / "access.rotationinfo").write_text("LOGINFO:Previous Log File:/var/log/x\n")
    expanded = expand_folders([str(folder)])
    assert [name.rsplit("/", 1)[1] for name in expanded.files] == [
        "access.20261202-080000", "access",
    ]  # fmt: skip
    assert "rotation records" in expanded.notes[0]
    out = tmp_path / "e.parquet"
    parse_files(expanded.files, resolve_format("auto"), out)
    import pyarrow.parquet as pq

    times = pq.read_table(out)["timestamp"].to_pylist()
    assert [str(t) for t in times] == ["2026-12-02 13:00:18.174040", "2026-12-02 14:00:18.174040"]


def test_a_commands_java_class_is_the_event(log_parsed):
    """QA CloudStack: `Done executing org.apache.cloudstack.api.command.<*>` and an agent's
    `[{"com.cloud.agent.api.<*>` held deploys, stops and attaches as one event each."""
    classes = ["admin.vm.DeployVMCmdByAdmin", "user.vm.StopVMCmd", "user.vm.StartVMCmd",
               "user.volume.AttachVolumeCmd", "user.vm.DestroyVMCmd"]  # fmt: skip
    agent = ["AttachCommand", "StopCommand", "StartCommand", "MigrateCommand"]
    lines = []
    for i in range(80):
        lines.append(
            f"2024-03-11 07:00:{i % 60:02d},114 DEBUG [c.c.a.AsyncJobManagerImpl] (API-Job-"
            f"Executor-{i % 9}:ctx-{i:08x} job-{10000 + i}) Done executing org.apache.cloudstack."
            f"api.command.{classes[i % 5]} for job-{10000 + i}"
        )
        lines.append(
            f"2024-03-11 07:00:{i % 60:02d},329 DEBUG [c.c.a.t.Request] (Work-Job-Executor-"
            f"{i % 7}:ctx-{i:08x}) Seq {i % 9}-82375000000060{i:05d}: Sending  {{ Cmd , Flags: "
            f'100011, [{{"com.cloud.agent.api.{agent[i % 4]}":{{"vmName":"i-2-{i}-VM",'
            '"wait":0}}] }'
        )
    events, _ = log_parsed(lines, "iso")
    assert len(set(events["template"])) == 9, sorted(set(events["template"]))
