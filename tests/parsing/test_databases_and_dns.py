"""Blind QA round 26: Db2's db2diag.log, MariaDB Galera, Windows DNS debug logs, PHP's error
log, supervisord and Rust's tracing: each case failed before its fix."""

from __future__ import annotations

import pyarrow.parquet as pq

from logbert.parsing.auto import looks_like_continuation, rank_formats
from logbert.parsing.formats import resolve_format
from logbert.parsing.masks import mask_text
from logbert.parsing.miner import TemplateMiner
from logbert.parsing.pipeline import parse_files


def test_db2_codes_are_kept_and_its_names_masked(masked_alike):
    """QA db2diag: SQLCODE -911 (a deadlock) and -912 (a full lock list) were one event, a long
    `rc` kept its first six digits, `ZRC=...=-2062614516=` lost its minus, and every event was
    a template per database, account and archived log file."""
    lines = [
        'ADM5503E The escalation of "61620" locks has failed. The SQLCODE is "-911".',
        "SQLCODE=-912, SQLSTATE=57011, SQLERRMC=2",
        "Password validation for user u11 failed with rc = -2146500508",
        "ZRC=0x850F000C=-2062614516=SQLO_DISK",
        "INSTANCE: db2inst1 NODE : 000 DB : SALESDB | AUTHID : WEBSRV HOSTNAME: dbhost01",
        "EDUID : 123 EDUNAME: db2agent (SAMPLE) 0",
        'ADM1848W Failed to archive log file "S0001033.LOG" to "DISK"',
    ]
    assert masked_alike(lines) == [
        'ADM5503E The escalation of "<*>" locks has failed. The SQLCODE is "-911".',
        "SQLCODE=-912, SQLSTATE=57011, SQLERRMC=<*>",
        "Password validation for user <*> failed with rc = <*>",
        "ZRC=<*>=-2062614516=SQLO_DISK",
        "INSTANCE: <*> NODE : <*> DB : <*> | AUTHID : <*> HOSTNAME: <*>",
        "EDUID : <*> EDUNAME: db2agent (<*>) <*>",
        'ADM1848W Failed to archive log file "<*>" to "DISK"',
    ]


def test_mariadb_error_logs_have_a_format_and_galera_states_and_names_are_right(
    auto_parsed, masked_alike
):
    """QA Galera: `iso` left the thread id first in the message, so `Shutdown complete` and
    `Winning thread:` were one event; `Shifting SYNCED -> DONOR/DESYNCED` made every state shift
    one event; a short node UUID led by a letter, a database and an account each split events."""
    lines = [
        "2026-12-01 00:16:55 3499 [Note] WSREP: Winning thread:",
        "2026-12-01 10:03:12 0 [Note] WSREP: Shutdown replication",
        "2026-12-01 10:03:17 0 [Note] /usr/sbin/mariadbd: Shutdown complete",
        "2026-12-04T13:30:25.123456Z 0 [System] [MY-010116] [Server] /usr/sbin/mysqld starting",
    ]
    events = auto_parsed(lines, "mysql")
    assert events["Thread"][:2] == ["3499", "0"] and events["Level"][3] == "System"
    assert len(set(events["template_id"])) == 4
    assert masked_alike([
        "Aborted connection 3186 to db: 'reporting' user: 'cron_etl' host: '10.20.1.41' (Got "
        "timeout reading communication packets)",
        "Access denied for user 'report'@'10.20.1.40' (using password: YES)",
        "WSREP: (413e3bd8-8096, 'tcp://0.0.0.0:4567') turning message relay requesting off",
        "WSREP: (e5f5b4d4-a87c, 'tcp://0.0.0.0:4567') turning message relay requesting off",
    ]) == [
        "Aborted connection <*> to db: '<*>' user: '<*>' host: '<*>' (Got timeout reading "
        "communication packets)",
        "Access denied for user '<*>'@'<*>' (using password: YES)",
        "WSREP: (<*>) turning message relay requesting off",
        "WSREP: (<*>) turning message relay requesting off",
    ]  # fmt: skip
    pairs = [("SYNCED", "DONOR/DESYNCED"), ("DONOR/DESYNCED", "JOINED"), ("JOINED", "SYNCED"),
             ("SYNCED", "OPEN"), ("CLOSED", "OPEN")]  # fmt: skip
    shifts = [f"WSREP: Shifting {a} -> {b} (TO: <*>)" for a, b in pairs]
    assert len(set(TemplateMiner().add(shifts * 3))) == len(pairs)


def test_windows_dns_names_in_wire_form_and_a_clock_with_its_meridiem_are_one_value(
    masked_alike,
):
    """QA Windows DNS: `(3)www(7)example(3)com(0)` kept some labels as words, so a new zone was
    a new event and a DGA's names a known one; `--format raw` made each event an AM and a PM
    template."""
    lines = [
        "11/3/2026 9:00:15 AM 12B8 PACKET  000000D2CC0CCFE0 UDP Rcv 10.0.2.16 f068 Q [0001 D "
        "NOERROR] A (4)wpad(4)corp(7)contoso(3)com(0)",
        "11/3/2026 1:59:59 PM 12B8 PACKET  000000D2CC0CCFE0 UDP Snd 10.0.1.43 f068 R Q [8381 DR "
        "NXDOMAIN] A (14)qkzvhxbrtmwlpa(3)com(0)",
    ]
    # (the American date joined to its clock: one value, `masks.JOINS`)
    assert masked_alike(lines) == [
        "<*> <*> PACKET <*> UDP Rcv <*> <*> Q [<*> D NOERROR] A <*>",
        "<*> <*> PACKET <*> UDP Snd <*> <*> R Q [<*> DR NXDOMAIN] A <*>",
    ]


def test_php_error_logs_have_a_format_with_their_zone(tmp_path, masked_alike):
    """QA PHP: no built-in format read `[04-Dec-2026 13:30:25 Europe/Berlin] ...`, and a zone
    read as text left the times an hour off; `Stack trace:` was a line "of its own"; the
    MySQL client's `(HY000/2002)` error number was masked."""
    lines = [
        "[04-Dec-2026 13:30:25 UTC] PHP Warning:  Undefined variable $x in /var/a.php on line 4",
        "[04-Dec-2026 14:30:26 Europe/Berlin] PHP Fatal error:  Uncaught TypeError in /var/a.php:4",
        "Stack trace:",
        "#0 {main}",
        "[04-Dec-2026 13:30:27] WARNING: [pool www] child 1234 exited with code 1 after 0.5 s",
    ]
    assert rank_formats(lines * 3)[0].name == "php"
    log = tmp_path / "error_log"
    log.write_text("\n".join(lines) + "\n")
    summary = parse_files([str(log)], resolve_format("php"), tmp_path / "e.parquet")
    assert (summary.events, summary.rejected, summary.continuations) == (3, 2, 2)
    times = pq.read_table(tmp_path / "e.parquet")["timestamp"].to_pylist()
    assert [str(t) for t in times] == ["2026-12-04 13:30:25", "2026-12-04 13:30:26",
                                       "2026-12-04 13:30:27"]  # fmt: skip
    assert masked_alike(["mysqli_real_connect(): (HY000/2002): Connection refused"]) == [
        "mysqli_real_connect(): (HY000/2002): Connection refused"
    ]


def test_names_after_a_label_are_variables_and_rust_panics_are_continuations():
    """QA supervisord: `exited: node_exporter (...)` kept the program in the template beside
    `exited: <*> (...)`, and a program's first crash was a new event; QA PHP: a template per
    cron hook; a class or outcome under its label stays apart. QA Rust: a panic's lines were
    "lines of their own"."""
    programs = ["node_exporter", "sync_poller", "api", "web", "worker_02"]
    lines = [f"INFO exited: {p} (exit status 1; not expected)" for p in programs]
    assert len(set(TemplateMiner().add([mask_text(line) for line in lines] * 2))) == 1
    errors = [f"task failed, error: {e}" for e in ("timeout", "refused_stream", "not_found")]
    assert len(set(TemplateMiner().add(errors * 2))) == 3
    for line in ("thread 'tokio-runtime-worker' panicked at src/handlers/orders.rs:218:22:",
                 "stack backtrace:", "note: run with `RUST_BACKTRACE=1` environment variable"):
        assert looks_like_continuation(line), line


def test_a_dot_in_a_format_string_is_text_and_kea_ids_are_events(tmp_path, masked_alike):
    """QA Kea: `[<Logger>/<Pid>.<Thread>]` read the `.` as any character: the pid's first digit
    was eaten and the pid empty, with 0 rejected; `cid=[no info]` doubled every client event;
    `DHCP4_PACKET_NAK_0001` beside the other message ids was a variable."""
    log = tmp_path / "kea-dhcp4.log"
    log.write_text("2026-12-01 06:00:03.512 INFO  [kea-dhcp4.dhcp4/1187.139871234567808] "
                   "DHCP4_STARTED Kea DHCPv4 server version 2.4.1 started\n")  # fmt: skip
    fmt = resolve_format("<Date> <Time> <Level> [<Logger>/<Pid>.<Thread>] <Content>")
    parse_files([str(log)], fmt, tmp_path / "e.parquet")
    row = pq.read_table(tmp_path / "e.parquet").select(["Logger", "Pid", "Thread"]).to_pylist()
    assert row == [{"Logger": "kea-dhcp4.dhcp4", "Pid": "1187", "Thread": "139871234567808"}]
    any_text = resolve_format("<Date> <Time> <Level> .*\\] <Content>")  # `.*` is still any text
    parse_files([str(log)], any_text, tmp_path / "f.parquet")
    assert pq.read_table(tmp_path / "f.parquet")["content"][0].as_py().startswith("DHCP4_STARTED")
    client = "DHCP4_LEASE_ALLOC [hwtype=1 b8:27:eb:16:1b:f7], cid={}, tid=0x1daed5f4: lease"
    assert len(set(masked_alike([client.format("[no info]"),
                                 client.format("[01:b8:27:eb:16:1b:f7]")]))) == 1  # fmt: skip
    ids = ["DHCP4_PACKET_NAK_0001", "DHCP4_PACKET_SEND", "DHCP4_PACKET_RECEIVED", "DHCP4_PACKET_X"]
    lines = [f"DEBUG [kea-dhcp4.packets/<*>] {i} [hwtype=<*> <*>], tid=<*>: x" for i in ids]
    assert len(set(TemplateMiner().add(lines * 3))) == len(ids)


def test_the_calls_a_dialplan_step_ran_are_events():
    """QA FreeSWITCH: `EXECUTE [depth=0] <channel> answer()`, `bridge(...)`, `set(...)`,
    `ivr(...)` and `info()` were one `sofia/<*> <*>)` event."""
    apps = ["answer()", "ivr(demo_ivr)", "bridge(user/1006@pbx.example.com)",
            "set(call_timeout=30)", "info()"]  # fmt: skip
    lines = [f"EXECUTE [depth=0] sofia/internal/1003@10.0.0.16:53386 {app}" for app in apps]
    assert len(set(TemplateMiner().add([mask_text(line) for line in lines] * 3))) == len(apps)


def test_redis_logs_have_a_format_and_sendmail_ids_hosts_and_accounts_are_variables(
    auto_parsed, masked_alike
):
    """QA Redis Sentinel: `auto` read no format; QA sendmail: a line met once kept its queue
    id (`kB1DGEIl44548:`), a remote MX written with the root's dot (`mx1.partner.io.,`) and an
    SMTP AUTH account (`authid=sales`) were part of new events."""
    lines = [
        "6790:X 01 Dec 2026 00:01:28.386 # +set master sessions 10.20.2.21 6380 failover-timeout 1",
        "6790:X 01 Dec 2026 00:02:18.703 # +sdown master feature-flags 10.20.5.21 6380",
        "1:M 01 Dec 2026 00:02:19.000 * Background saving terminated with success",
    ]
    events = auto_parsed(lines, "redis")
    assert events["Role"] == ["X", "X", "M"] and events["LevelSign"] == ["#", "#", "*"]
    assert str(events["timestamp"][0]) == "2026-12-01 00:01:28.386000"
    assert masked_alike([
        "kB1DGEIl44548: Milter change: header Subject: from x",
        "STARTTLS=client, relay=mx1.partner.io., version=TLSv1.2, verify=FAIL",
        "AUTH=server, relay=[200.43.219.20], authid=sales, mech=LOGIN, bits=0",
    ]) == [
        "<*>: Milter change: header Subject: from x",
        "STARTTLS=client, relay=<*>., version=TLSv1.2, verify=FAIL",
        "AUTH=server, relay=[<*>], authid=<*>, mech=LOGIN, bits=<*>",
    ]


def test_ldap_result_types_scopes_and_bind_methods_are_kept_and_a_dn_is_one_value(masked_alike):
    """QA 389 Directory Server: a whole-tree dump was a monitor's base search's event (`tag=`,
    `scope=`, `method=` masked), a DN with a space kept the surname, a replica's memory size
    (`16318644k`) was part of its start-up events; QA WebLogic: `User jsmith logged in`."""
    assert masked_alike([
        'conn=3 op=2 BIND dn="cn=Victor Kim,ou=people,dc=example,dc=com" method=128 version=3',
        "conn=9 op=1 RESULT err=0 tag=101 nentries=1842 wtime=0.000100000",
        "conn=1 op=2 RESULT tag=97 err=49 text=",
        'conn=9 op=1 SRCH base="dc=example,dc=com" scope=2 filter="(objectClass=*)"',
        "found 16318644k physical memory",
        "User jsmith logged in to the Administration Console from 10.20.5.33.",
        "src=10.0.0.1 arc=5 tag=2",
    ]) == [
        'conn=<*> op=<*> BIND dn="<*>" method=128 version=<*>',
        "conn=<*> op=<*> RESULT err=0 tag=101 nentries=<*> wtime=<*>",
        "conn=<*> op=<*> RESULT tag=97 err=49 text=",
        'conn=<*> op=<*> SRCH base="<*>" scope=2 filter="(objectClass=*)"',
        "found <*> physical memory",
        "User <*> logged in to the Administration Console from <*>.",
        "src=<*> arc=<*> tag=<*>",
    ]


def test_weblogic_fields_in_angle_brackets_hold_words_and_records_start_at_their_marks(tmp_path):
    """QA WebLogic: `<<User>>` holding `<WLS Kernel>` was called a sign of another format on
    every command, and the join advice looked for an ISO date in `####<Dec 4, 2026 ...`."""
    from logbert.parsing.summary import join_continuations

    line = ("####<Dec 4, 2026 8:01:34,963 AM Coordinated Universal Time> <Info> <Health> "
            "<<WLS Kernel>> <BEA-310002> <{} percent of the heap is free.>")  # fmt: skip
    log = tmp_path / "AdminServer.log"
    log.write_text("".join(line.format(i) + "\n" for i in range(20)))
    fmt = resolve_format(
        "####<<Timestamp>> <<Level>> <<Component>> <<User>> <<MsgId>> <<Content>>",
        timestamp_format="%b %d, %Y %I:%M:%S,%f %p Coordinated Universal Time",
    )
    summary = parse_files([str(log)], fmt, tmp_path / "e.parquet")
    assert summary.events == 20 and summary.warnings == []
    assert "awk '/^####</ {" in join_continuations([line])


def test_lines_no_known_template_fits_take_the_known_templates_variable_fields():
    """QA TeamCity: at scoring, two failures of one build configuration kept its name in a new
    template (`buildTypeId=Backend_Lint`) beside `buildTypeId=<*>`: one incident, two events."""
    from logbert.parsing.frozen import FrozenMiner

    known = TemplateMiner()
    known.add([f"INFO Build #<*> {{id=<*>, buildTypeId={c}}}: started" for c in "ABCD"])
    frozen = FrozenMiner(known)
    failed = "ERROR Build #<*> {{id=<*>, buildTypeId={}}}: Failed to publish artifacts"
    ids = frozen.add([failed.format("Payments_Build")] + [failed.format("Backend_Lint")] * 2)
    assert len(set(ids)) == 1 and ids[0] not in known.ids
    assert frozen.template(ids[0]) == failed.format("<*>")


def test_a_clients_responded_status_is_kept_and_a_failed_commands_output_continues(masked_alike):
    """QA TeamCity: `server responded with 500` beside `403` was one event; `exit code: 128`,
    `stderr: ...` and git's `fatal: ...` under an exception were "lines of their own"."""
    assert masked_alike(["Artifacts upload failed: server responded with 500",
                         "Artifacts upload failed: server responded with 403."]) == [
        "Artifacts upload failed: server responded with 5xx",
        "Artifacts upload failed: server responded with 4xx.",
    ]  # fmt: skip
    for line in ("exit code: 128", "stderr: remote: HTTP Basic: Access denied",
                 "fatal: Authentication failed for 'https://git.example.com/x.git/'"):  # fmt: skip
        assert looks_like_continuation(line), line


def test_nats_logs_have_a_format_with_the_connection_as_fields_and_keys_are_variables(
    auto_parsed, masked_alike
):
    """QA NATS: `auto` read no format; with the connection's `ip:port - cid:N - "client" -`
    left in the message, every five-word message after it was one event (a stale connection
    a clean close's), and a node's connections could not be keyed apart from another node's;
    a server's nkey and node name are new at each start; `failed: "..."` is the diagnosis."""
    lines = [
        "[1] 2026/12/04 10:00:02.656855 [INF] Starting nats-server",
        '[1] 2026/12/04 10:00:32.644557 [DBG] 172.16.4.102:42264 - cid:1 - "v0.33.0:rust:ingest" - '
        "Client connection closed: Client Closed",
        "[1] 2026/12/04 10:01:49.144086 [DBG] 10.0.3.44:43534 - cid:5 - Client connection created",
    ]
    events = auto_parsed(lines, "nats")
    assert events["Cid"] == ["", "1", "5"] and events["ClientName"][1] == "v0.33.0:rust:ingest"
    assert events["content"][1:] == ["Client connection closed: Client Closed",
                                     "Client connection created"]  # fmt: skip
    assert str(events["timestamp"][0]) == "2026-12-04 10:00:02.656855"
    assert masked_alike([
        "ID: NJBLAEVWGKOXNWE2GNVKCAOLUL2VBFSA77X6LHMCVR2SQDSGLTB7NDIN",
        "RAFT [4gxMleVH - S-R3F-s751xwcz] Error writing snapshot: no space left on device",
        'Healthcheck failed: "JetStream is not current with the meta leader"',
    ]) == [
        "ID: <*>",
        "RAFT [<*> - <*>] Error writing snapshot: no space left on device",
        'Healthcheck failed: "JetStream is not current with the meta leader"',
    ]


def test_a_dns_questions_type_is_kept_whatever_its_length(masked_alike):
    """QA CoreDNS: `"A IN ... udp 52 false 512"` (and MX, NS) was one `<*>`, so an MX lookup
    was an A lookup's event, while AAAA and TXT kept their type."""
    question = '[INFO] 10.244.1.5:40000 - 100 "{} IN example.com. udp 29 false 512" NOERROR'
    assert masked_alike([question.format(t) for t in ("A", "MX", "AAAA")]) == [
        f'[INFO] <*>:<*> - <*> "{t} IN <*>. udp <*> <*> <*>" NOERROR' for t in ("A", "MX", "AAAA")
    ]


def test_round_28_lists_backtraces_resources_routes_and_payloads(masked_alike):
    """QA ScyllaDB, Logstash: a list of paths or URLs and a backtrace's addresses were a
    template per length, an SSTable's random name kept; QA Logstash: `:status=>429` masked; QA
    Chef: `Processing <*>] action <*>` held every resource; QA Gitea: every route one event;
    QA Fluentd: an unparsed record's words were the event, `next_retry_time=` lost its name."""
    assert masked_alike([
        "Compacting [/var/lib/scylla/ks/t-1/me-3gwr_ddhi-big-Data.db:level=0, /var/x.db:level=0]",
        "pool URLs updated {:changes=>{:removed=>[], :added=>[http://es1:9200/, http://es2:9200/]}}",
        "Reactor stalled for 28 ms on shard 4. Backtrace: 0x404242b 0x5469f8d 0x4ac4507",
        "Writing large row ks1/events to me-3gt2_kcos_brmjros1llr4uewxxukyom-big-Data.db",
        'Retrying failed action {:status=>429, :action=>["index"]}',
        "INFO: Processing apt_package[ntp] action install (base::default line 9)",
        "smbd: status[NT_STATUS_ACCESS_DENIED] x",
        "router: completed POST /user/login for 10.0.0.23:54540, 303 See Other in 49.3ms",
        '[warn]: #0 [in_tail_app] pattern not matched: "INFO [web] slow query id=59113"',
        "retry_times=0 next_retry_time=2026-12-04 00:57:17 +0000 chunk=x",
    ]) == [
        "Compacting [<*>]",
        "pool URLs updated {:changes=>{:removed=>[], :added=>[<*>]}}",
        "Reactor stalled for <*> ms on shard <*>. Backtrace: <*>",
        "Writing large row ks1/events to <*>",
        'Retrying failed action {:status=>4xx, :action=>["index"]}',
        "INFO: Processing apt_package[<*>] action install (base::default line <*>)",
        "smbd: status[NT_STATUS_ACCESS_DENIED] x",
        "router: completed POST /user/<*> for <*>:<*>, 3xx See Other in <*>",
        '[warn]: #<*> [in_tail_app] pattern not matched: "<*>"',
        "retry_times=<*> next_retry_time=<*> <*> chunk=x",
    ]
    actions = [f"INFO: Processing {r}[<*>] action {a} (base::default line <*>)" for r, a in
               [("apt_package", "install"), ("apt_package", "remove"), ("service", "start"),
                ("service", "stop")]]  # fmt: skip
    assert len(set(TemplateMiner().add(actions * 3))) == 4
    routes = [f"router: completed GET /x for <*>:<*>, 2xx OK in <*> @ {h}" for h in
              ("repo/view.go:<*>(repo.Home)", "admin/users.go:<*>(admin.Users)",
               "events/events.go:<*>(events.Events)", "auth/auth.go:<*>(auth.SignIn)")]  # fmt: skip
    assert len(set(TemplateMiner().add(routes * 3))) == 4
    for line in ("/usr/local/go/src/runtime/panic.go:261 (0x4a8d37)", "</ROOT>"):
        assert looks_like_continuation(line), line


def test_clamav_logs_have_a_format_and_a_leading_path_with_spaces_is_one_value(
    auto_parsed, masked_alike
):
    """QA ClamAV: `auto` read no format for `Fri Dec  4 13:30:25 2026 -> ...`, and a scanned
    path with spaces made a template per count of its words."""
    lines = ["Thu Dec  3 01:10:11 2026 -> /srv/share/alice/report-11.xlsx: lstat() failed. ERROR",
             "Thu Dec  3 02:10:11 2026 -> /srv/share/alice/Q4 report (final).xlsx: lstat() failed. "
             "ERROR", "Thu Dec  3 05:11:11 2026 -> SelfCheck: Database status OK."]  # fmt: skip
    events = auto_parsed(lines, "clamav")
    assert [str(t) for t in events["timestamp"]] == [
        "2026-12-03 01:10:11", "2026-12-03 02:10:11", "2026-12-03 05:11:11"
    ]  # fmt: skip
    assert len(set(events["template_id"][:2])) == 1
    found = "/home/dave/My Documents/tool.exe: Win.Tool.Mimikatz-6997044-0 FOUND"
    assert masked_alike([found]) == ["<*>: Win.Tool.<*> FOUND"]  # (its family: round 76)


def test_icinga_accounts_agents_objects_and_plugin_arguments_are_variables(masked_alike):
    """QA Icinga 2: a new API account (`user: ansible, agent: ansible-httpget,`) was a new
    event in every window, a check failure a template per object and plugin, and the bare
    `Context:` line of a record "a line of its own"."""
    assert masked_alike([
        "information/HttpServerConnection: Request: GET /v1/status/CIB (from [::ffff:127.0.0.1]"
        ":57200), user: root, agent: curl/7.88.1, status: OK).",
        "warning/PluginCheckTask: Check command for object 'web07!procs' (PID: 55729, arguments: "
        "'/usr/lib/nagios/plugins/check_nrpe' '-H' '10.0.1.16') terminated with exit code 3",
    ]) == [
        "information/HttpServerConnection: Request: GET /v1/status/<*> (from [<*>]:<*>), "
        "user: <*>, agent: <*>, status: OK).",
        "warning/PluginCheckTask: Check command for object '<*>' (PID: <*>, arguments: <*>) "
        "terminated with exit code 3",
    ]
    assert looks_like_continuation("Context:")
    # QA istiod: a namespace named in prose stayed in the event
    # QA Teleport: `user:alice` (no space) kept the account where `user=alice` was masked
    assert masked_alike(["Login succeeded. user:svc-ci method:token"]) == [
        "Login succeeded. user:<*> method:token"
    ]
    pod = "Handling event add for pod productpage in namespace shop -> 10.0.0.5"
    assert masked_alike([pod]) == ["Handling event add for pod productpage in namespace <*> -> <*>"]


def test_slow_logs_erlang_reports_and_a_syslog_priority_read_as_a_label(tmp_path):
    """QA MySQL slow log: `auto` named no layout for records led by `# Time:`; QA ejabberd: an
    OTP report's `** Reason for termination = ...` lines were "lines of their own"; QA Meraki:
    `auto` took `thunderbird`, whose label column read each line's `<134>1` as an anomaly."""
    from logbert.parsing.auto import time_only_hint

    slow = ["# Time: 2026-12-04T09:00:03.170138Z", "# User@Host: auth[auth] @ api1 [10.0.1.21]",
            "SET timestamp=1796374803;", "SELECT 1;"]  # fmt: skip
    assert "awk '/^# Time: / {" in time_only_hint(slow * 3)
    assert looks_like_continuation("** Reason for termination = error:function_clause")
    meraki = ["<134>1 1796083209.227480888 BR1-MX67 flows src=192.168.20.147 dst=8.61.144.18 "
              "protocol=udp sport=62275 dport=3478 pattern: allow all"] * 20  # fmt: skip
    assert rank_formats(meraki)[0].name != "thunderbird"


def test_an_admin_areas_resource_is_its_endpoint(masked_alike):
    """QA Solr: `path=/admin/cores` (a core enumeration) was `/admin/<*>`, the exporter's
    `/admin/metrics` poll's event."""
    assert masked_alike(["webapp=null path=/admin/cores params={wt=json} status=0",
                         "GET /admin/users/17 HTTP/1.1", "GET /api/admin/users HTTP/1.1"]) == [
        "webapp=<*> path=/admin/cores params={wt=json} status=0",
        "GET /admin/users/<*> HTTP/<*>", "GET /api/admin/<*> HTTP/<*>",
    ]  # fmt: skip
