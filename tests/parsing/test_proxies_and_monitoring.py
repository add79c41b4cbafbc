"""QA round 30 (Squid, Zeek, MongoDB, Dovecot, OpenVPN, Celery, Zabbix): what each log's
first run got wrong, as a new user met it."""

from __future__ import annotations

import shutil
import subprocess

import pyarrow.parquet as pq

from logbert.parsing.summary import join_continuations


def _join_command(lines: list[str]) -> str:
    advice = join_continuations(lines)
    return advice.split("where each record starts with a date, ")[1].split(" LOG > joined.log")[0]


def test_the_join_advice_keeps_records_that_start_with_white_space_apart(tmp_path):
    """QA Zabbix: each record starts with its right-aligned pid (`  1225:20251125:...`); the
    advice looked for an ISO date, and its second join (lines starting with white space)
    glued thousands of records into one 128,000-character line."""
    lines = [
        "  1225:20251125:011240.113 [Z3001] connection to database 'zabbix' failed: [0] could",
        "\tIs the server running on host \"pgdb01\" (10.10.0.21) and accepting",
        "  1211:20251125:011240.033 [Z3005] query failed: [0] PGRES_FATAL_ERROR:FATAL:  ended",
        "server closed the connection unexpectedly",
        "104211:20251125:011241.000 housekeeper [deleted 0 hist/trends]",
    ]
    advice = join_continuations(lines)
    assert "start with white space" not in advice  # their own records do
    command = _join_command(lines)
    assert command.startswith("awk '/^[ \\t]*[0-9]+:[0-9]+/ ")
    if shutil.which("awk"):
        log = tmp_path / "zabbix_server.log"
        log.write_text("\n".join(lines) + "\n")
        out = subprocess.run(["sh", "-c", f"{command} {log}"], capture_output=True, text=True)
        assert out.stdout.splitlines() == [
            f"{lines[0]} {lines[1]}", f"{lines[2]} {lines[3]}", lines[4]
        ]
    assert "start with white space" in join_continuations(["2026-11-30 10:00:00 a", "\tb"])


def test_zabbixs_old_file_is_the_older_part_of_its_log():
    """QA Zabbix: `LogFileSize` rotation keeps `zabbix_server.log.old`; a folder read it after
    the live file, and named newest first, nothing warned (not taken for one log)."""
    from logbert.parsing.clock import _one_log
    from logbert.parsing.rotation import log_name, rotation_key

    names = ["zabbix_server.log", "zabbix_server.log.old", "zabbix_agentd.log"]
    assert sorted(names, key=rotation_key) == [
        "zabbix_agentd.log", "zabbix_server.log.old", "zabbix_server.log"
    ]
    assert log_name("logs/zabbix_server.log.old") == "logs/zabbix_server.log"
    assert _one_log("logs/zabbix_server.log", "logs/zabbix_server.log.old")


SQUID = [
    "1794812910.056      2 10.20.1.139 TCP_DENIED/407 4129 GET http://intranet.corp.local/ - "
    "HIER_NONE/- text/html",
    "1794814386.172     22 10.20.8.239 TCP_HIT/200 838036 GET http://www.example.com/a.txt "
    "egarcia HIER_NONE/- text/plain",
    "1794814387.172     12 10.20.8.231 TCP_MEM_HIT/200 8036 GET http://www.example.com/b.txt "
    "jdoe HIER_NONE/- text/plain",
    "1794814388.172     31 10.20.8.232 TCP_REFRESH_UNMODIFIED/304 36 GET http://www.example.com/c "
    "kim HIER_DIRECT/10.0.0.9 text/plain",
    "1794992527.016  59841 10.20.8.153 TCP_MISS/504 4085 GET http://wiki.corp.local/x/74680 "
    "jdavis HIER_NONE/- text/html",
    "1794992528.016    841 10.20.8.154 TCP_MISS/200 4085 GET http://wiki.corp.local/x/74681 "
    "jdavis FIRSTUP_PARENT/10.0.0.3 text/html",
    "1794992529.016      0 10.20.8.155 TCP_MISS_ABORTED/000 0 GET http://wiki.corp.local/x/7 "
    "ann FIRSTUP_PARENT/10.0.0.3 -",
]


def test_squid_reads_its_access_log_and_keeps_each_result_code_with_its_class(auto_parsed):
    """QA Squid: `auto` read no format; with one written, once cache hits and misses met, the
    result code was `TCP_<*>`: a 504 from a dead parent and a 407 were a cache hit's event."""
    events = auto_parsed(SQUID * 3, "squid")
    assert events["Client"][:2] == ["10.20.1.139", "10.20.8.239"]
    firsts = {template.split()[0] for template in events["template"]}
    assert {"TCP_DENIED/4xx", "TCP_HIT/2xx", "TCP_MISS/5xx", "TCP_MISS/2xx",
            "TCP_MISS_ABORTED/<*>", "TCP_REFRESH_UNMODIFIED/3xx"} <= firsts  # fmt: skip


def test_exception_classes_and_signals_are_events_of_their_own(masked_alike):
    """QA Celery: `raised unexpected: <*>)` made a database outage and exhausted retries one
    event, `Task handler raised error: <*>)` an OOM kill and a time limit, and `exited with
    <*>` a SIGKILL a routine exit."""
    from logbert.parsing.miner import TemplateMiner

    uuid = "ff7a63fa-1111-2222-3333-444455556666"
    raised = [
        f"Task billing.tasks.pay[{uuid}] raised unexpected: OperationalError('could not connect "
        "to server: Connection refused')",
        f"Task app.tasks.rates[{uuid}] raised unexpected: MaxRetriesExceededError(\"Can't retry "
        f"app.tasks.rates[{uuid}] args:() kwargs:{{}}\")",
        f"Task app.tasks.rates[{uuid}] raised unexpected: KeyError('customer_id')",
        "Task handler raised error: WorkerLostError('Worker exited prematurely: signal 9 "
        "(SIGKILL) Job: 3528.')",
        "Task handler raised error: TimeLimitExceeded(360)",
    ]
    exits = [
        "Process 'ForkPoolWorker-2' pid:4211 exited with 'signal 15 (SIGTERM)'",
        "Process 'ForkPoolWorker-4' pid:4213 exited with 'signal 9 (SIGKILL)'",
        "Process 'ForkPoolWorker-5' pid:4214 exited with 'exitcode 70'",
    ]
    masked = masked_alike(raised + exits)
    assert masked[-3:] == [
        "Process '<*>' pid:<*> exited with 'signal 15 (SIGTERM)'",
        "Process '<*>' pid:<*> exited with 'signal 9 (SIGKILL)'",
        "Process '<*>' pid:<*> exited with 'exitcode 70'",
    ]
    templates = TemplateMiner().add(masked * 3)
    assert len(set(templates)) == len(masked)  # each exception, each way a worker ended


def test_openvpn_names_codes_ciphers_and_peer_info_keys(masked_alike):
    """QA OpenVPN: a client's common name stayed in every line of its session where met once,
    OpenSSL's packed code was cut at its first letter (`error:0<*>`, `error:1408<*>`), the
    data channel's cipher was one `'<*>'` (a downgrade to BF-CBC a known event) and every
    `peer info: IV_...` key one `<*>`."""
    from logbert.parsing.miner import TemplateMiner

    assert masked_alike([
        "alice/45.1.2.7:1115 Data Channel: cipher 'BF-CBC', peer-id: 3",
        "45.1.2.7:1115 OpenSSL: error:0A000086:SSL routines::certificate verify failed:",
        "error:1408F10B:SSL routines:ssl3_get_record:wrong version number",
    ]) == [
        "<*>/<*>:<*> Data Channel: cipher 'BF-CBC', peer-id: <*>",
        "<*>:<*> OpenSSL: error:<*>:SSL routines::certificate verify failed:",
        "error:<*>:SSL routines:ssl3_get_record:wrong version number",
    ]
    ciphers = [
        f"{user}/45.1.2.{i}:1115 Data Channel: cipher '{cipher}', peer-id: {i}"
        for i, (user, cipher) in enumerate(
            [("alice", "AES-256-GCM"), ("bob", "AES-128-GCM"), ("carol", "CHACHA20-POLY1305"),
             ("dave", "AES-256-GCM"), ("erin", "BF-CBC")]  # fmt: skip
        )
    ]
    peer_info = [
        f"45.1.2.{i}:1115 peer info: {pair}"
        for i, pair in enumerate(
            ["IV_PLAT=win", "IV_PLAT=linux", "IV_VER=2.6.8", "IV_PROTO=990", "UV_CLIENT_ID=x",
             "IV_HWADDR=00:11:22:33:44:55", "IV_CIPHERS=AES-256-GCM:AES-128-GCM", "IV_PLAT=mac"]
        )
    ]  # fmt: skip
    miner = TemplateMiner()
    ids = miner.add(masked_alike(ciphers + peer_info) * 3)
    assert ids[0] == ids[3] and len(set(ids[:5])) == 3  # AES, CHACHA, BF apart
    assert len(set(ids[5:13])) == 8  # each key apart (and each platform: a state)


ZEEK_NOTICE = [
    "#separator \\x09",
    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tnote\tmsg\tsrc\tdst\tp",
    "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\taddr\taddr\tport",
    "1710236534.000000\t-\t-\t-\t-\t-\tScan::Port_Scan\t10.10.1.23 scanned at least 15 unique "
    "ports\t10.10.1.23\t10.10.2.78\t-",
    "1710236535.000000\tCe0z\t10.10.1.11\t49631\t10.10.5.10\t22\tSSH::Login\tok\t-\t-\t-",
    "1710234900.000000\tCe1z\t10.10.1.12\t49632\t10.10.5.10\t22\tSSH::Login\tok\t-\t-\t-",
    "#close\t2024-03-12-12-10-00",
]


def test_zeek_notices_join_their_hosts_and_its_directives_and_order_are_no_fault(tmp_path):
    """QA Zeek: a notice's `src`/`dst` filled no Client/Server (a port scan's notice joined no
    session), an hourly notice.log's directives were "21% of lines do not fit: their events
    are left out", and a record stamped with its start but written at its end (every long
    connection) warned of a clock set back."""
    from logbert.parsing.formats import format_names, resolve_format
    from logbert.parsing.pipeline import parse_files

    log = tmp_path / "notice.log"
    log.write_text("\n".join(ZEEK_NOTICE) + "\n")
    summary = parse_files([str(log)], resolve_format("zeek"), tmp_path / "e.parquet")
    events = pq.read_table(tmp_path / "e.parquet").to_pydict()
    assert events["Client"] == ["10.10.1.23", "10.10.1.11", "10.10.1.12"]
    assert events["Server"][0] == "10.10.2.78"
    assert summary.line().startswith("7 lines, 2 templates, 0 rejected, 4 directives")
    assert not [w for w in summary.warnings if "do not fit" in w or "step back" in w]
    assert "w3c (zeek, bro, iis, httperr)" in format_names()


DOVECOT = [
    "Dec 01 00:00:42 lmtp(20034): Info: Connect from local",
    "Dec 01 00:08:32 imap-login: Info: Login: user=<niaj@example.com>, method=PLAIN, "
    "rip=100.64.20.52, lip=10.0.0.25, mpid=20071, TLS, session=<ij+0tB5S1Re971dL>",
    "Dec 01 00:16:58 pop3-login: Info: Login: user=<hana@example.org>, method=PLAIN, "
    "rip=100.64.175.158, lip=10.0.0.25, mpid=20182, TLS, session=<Mr7sv49wPBGkerxA>",
    "Dec 01 00:21:03 imap(niaj@example.com)<20071><ij+0tB5S1Re971dL>: Info: save: box=Sent "
    "Items, uid=55587, msgid=<20261201002103.1cf4b140@mx.shop.example>, size=1617507",
    "Dec 01 00:34:28 imap(niaj@example.com)<20071><ij+0tB5S1Re971dL>: Info: save: box=Drafts, "
    "uid=48895, msgid=<20261201003428.77598025@example.com>, size=3116643",
    "Dec 01 00:35:28 imap(niaj@example.com)<20071><ij+0tB5S1Re971dL>: Info: delete: box=Junk "
    "E-mail, uid=48896, msgid=<20261201003428.77598026@example.com>, size=3116",
]


def test_dovecot_logs_have_a_format_with_the_service_in_the_event(auto_parsed, masked_alike):
    """QA Dovecot: `auto` took `syslog-nohost`, whose program was `imap(user)<pid><session>`:
    the service left the event (an IMAP and a POP3 login one event), 80% of lines joined no
    session; a mailbox name with a space (`Sent Items`) made templates of its own."""
    events = auto_parsed(DOVECOT, "dovecot")
    assert events["Component"][:4] == ["lmtp", "imap-login", "pop3-login", "imap"]
    assert events["User"][3] == "niaj@example.com" and events["Pid"][3] == "20071"
    # a login's session is its mail process's: `--by-field Session` joins them
    assert events["Session"][1:5] == ["ij+0tB5S1Re971dL", "Mr7sv49wPBGkerxA",
                                      "ij+0tB5S1Re971dL", "ij+0tB5S1Re971dL"]  # fmt: skip
    templates = events["template"]
    assert templates[1].startswith("imap-login: Login:")
    assert templates[2].startswith("pop3-login: Login:")
    assert templates[1].endswith("TLS, session=<<*>>") and templates[2].endswith("session=<<*>>")
    assert templates[3] == templates[4] == "imap: save: box=<*>, uid=<*>, msgid=<<*>>, size=<*>"
    assert templates[5].startswith("imap: delete: box=<*>, uid=<*>")


def test_celery_and_ctime_logs_have_formats(auto_parsed):
    """QA Celery: `iso` left `ERROR/MainProcess]` in every event; QA OpenVPN 2.4: `auto` read
    no format for a ctime time first (`Thu Nov  6 06:00:00 2025 ...`)."""
    celery = [
        "[2024-03-04 06:00:06,000: ERROR/MainProcess] Process 'ForkPoolWorker-2' pid:4211 "
        "exited with 'signal 9 (SIGKILL)'",
        "[2024-03-04 06:00:08,655: INFO/ForkPoolWorker-3] Task app.tasks.add[9b52f145-a808-44f4-"
        "af27-d7ebed29216e] succeeded in 0.01s: 4",
    ]
    events = auto_parsed(celery, "celery")
    assert events["Level"] == ["ERROR", "INFO"] and events["Process"][1] == "ForkPoolWorker-3"
    assert str(events["timestamp"][1]) == "2024-03-04 06:00:08.655000"
    assert events["template"][0].startswith("Process '<*>' pid:<*> exited with")
    ctime = [
        "Thu Nov  6 06:00:00 2025 OpenVPN 2.4.12 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO]",
        "Thu Nov  6 06:06:14 2025 94.142.241.65:57696 TLS: Initial packet from [AF_INET]"
        "94.142.241.65:57696, sid=e92b3795 3972a4de",
        "Fri Nov 14 10:00:00 2025 alice/94.142.241.65:57696 SIGUSR1[soft,ping-restart] received",
    ]
    events = auto_parsed(ctime, "ctime")
    assert [str(t) for t in events["timestamp"]] == [
        "2025-11-06 06:00:00", "2025-11-06 06:06:14", "2025-11-14 10:00:00"
    ]


def test_mongodb_query_values_and_connections_are_variables(masked_alike):
    """QA MongoDB: a slow query's update document (`$set.status=paid`, `=shipped`) made a
    template per value, and a rare message kept its connection (`ctx=conn3565`): a template
    per connection of an incident's messages."""
    assert masked_alike([
        "Slow query attr.command.q.warehouse=95538 attr.command.u.$set.status=paid "
        "attr.command.filter.status=shipped attr.type=update ctx=conn3565",
        "Connection ended attr.connectionCount=12 attr.status=ok ctx=conn12",
    ]) == [
        "Slow query attr.command.q.warehouse=<*> attr.command.u.$set.status=<*> "
        "attr.command.filter.status=<*> attr.type=update ctx=<*>",
        "Connection ended attr.connectionCount=<*> attr.status=ok ctx=<*>",
    ]


def test_a_zabbix_items_key_is_a_variable(masked_alike):
    """QA Zabbix: `item "host:key[params]" became not supported` kept the key: a template per
    item, and a key unsupported for the first time a new event."""
    assert masked_alike([
        'item "db-03:vfs.fs.size[/mnt/backup,pfree]" became not supported: Cannot obtain '
        "filesystem information",
        'item "web:mysql.replication.discovery" became not supported: Timeout while executing',
        'Zabbix agent item "agent.ping" on host "web-03" failed: first network error',
    ]) == [
        'item "<*>" became not supported: Cannot obtain filesystem information',
        'item "<*>" became not supported: Timeout while executing',
        'Zabbix agent item "<*>" on host "<*>" failed: first network error',
    ]


def test_ansible_logs_have_a_format_and_hosts_and_recap_counts_are_right(
    auto_parsed, masked_alike
):
    """QA Ansible: `auto` took `iso` and left `p=<*> u=alice n=ansible |` in each event (a
    template per user); a host in brackets stayed where few met (`skipping: [web05]`, a new
    host a new event); a banner's padding was a word of its own length; and a failed run's
    recap (`failed=1`) was a clean one's event."""
    lines = [
        "2026-11-16 00:33:44,047 p=49627 u=awx n=ansible | TASK [nginx : install nginx] "
        "*****************************************",
        "2026-11-16 00:33:45,047 p=49627 u=awx n=ansible | changed: [web08 -> lb01]",
        "2026-11-16 00:33:46,047 p=49627 u=bob n=ansible | skipping: [web05]",
        "2026-11-16 00:33:47,047 p=49627 u=bob n=ansible | web04                      : ok=5    "
        "changed=0    unreachable=0    failed=1    skipped=0",
    ]
    events = auto_parsed(lines, "ansible")
    assert events["Pid"][0] == "49627" and events["User"][2] == "bob"
    assert masked_alike([event.split(" | ")[1] for event in lines]) == [
        "TASK [nginx : install nginx] ***",
        "changed: [<*>]",
        "skipping: [<*>]",
        "<*> : ok=<*> changed=<*> unreachable=0 failed=1 skipped=<*>",
    ]


def test_pooler_labels_ids_verdicts_and_record_marks(masked_alike):
    """QA PgBouncer: `reporting/svc@addr` stayed in rare templates (an error on another
    database a new event; `db=app` names the database, an event's part as PostgreSQL's is);
    QA Suricata: `flow.alerted=true` and `alert.severity=1` were masked; QA Varnish: a PURGE
    lost its endpoint, and with varnishlog's `-` first every tag was one `- <*> <*>` event."""
    from logbert.parsing.miner import TemplateMiner

    assert masked_alike([
        "C-0x55d5c8a1b000: app/bob@10.0.3.36:38602 login attempt: db=app user=bob tls=no",
        "C-0x55: pgbouncer/pgbouncer_monitor@unix(1234):6432 pgbouncer access from unix socket",
        "flow.alerted=true alert.severity=2 alert.signature_id=2010935",
        '"PURGE http://www.shop.example.com/products/8320 HTTP/1.1" 405',
    ]) == [
        "C-<*>: <*>@<*>:<*> login attempt: db=app user=<*> tls=no",  # a database is kept
        "C-<*>: <*>@unix(<*>):<*> pgbouncer access from unix socket",
        "flow.alerted=true alert.severity=2 alert.signature_id=<*>",
        '"PURGE /products/<*> HTTP/<*>" 4xx',
    ]
    varnish = ["-   ReqMethod      GET", "-   ReqMethod      PURGE", "-   VCL_call       HIT",
               "-   VCL_call       MISS", "-   ReqURL         /products/12", "-   Length  1234"]
    ids = TemplateMiner().add(masked_alike(varnish) * 3)
    assert len(set(ids)) == len(varnish)


def test_cisco_mnemonics_clocks_and_virtual_interfaces(tmp_path, masked_alike):
    """QA Cisco IOS: without the message counter, `linux` read the `%DOT1X-5-SUCCESS` mnemonic
    as the program, and 802.1X's and MAB's successes were one event; a device's clock and zone
    dropped from the masked message shifted every later value in `params` onto the template's
    words; `Vlan10` kept HSRP's state changes a template per VLAN."""
    from logbert.parsing.auto import rank_formats
    from logbert.parsing.formats import resolve_format
    from logbert.parsing.pipeline import parse_files

    lines = [
        "Dec  4 08:01:21 10.2.1.10 %DOT1X-5-SUCCESS: Authentication successful for client "
        "(43f4.c7d3.2938) on Interface Gi1/0/47 AuditSessionID 0AC8070A8C7D1E26556BA79B",
        "Dec  4 10:42:24 10.2.1.10 %MAB-5-SUCCESS: Authentication successful for client "
        "(43f4.c7d3.2939) on Interface Gi1/0/46 AuditSessionID 0AC8070A8C7D1E26556BA79C",
    ]
    ranked = rank_formats(lines * 3)
    assert ranked[0].name == "syslog-notag"
    log = tmp_path / "ios.log"
    log.write_text("\n".join(lines) + "\n")
    parse_files([str(log)], resolve_format("syslog-notag", 2026), tmp_path / "e.parquet")
    templates = pq.read_table(tmp_path / "e.parquet")["template"].to_pylist()
    assert templates[0].startswith("%DOT1X-5-SUCCESS: ") and templates[1].startswith("%MAB-5-")
    log.write_text("".join(
        f"Dec  3 22:05:5{i} 10.1.1.1 8323{i}: Dec  3 22:05:5{i}.864 UTC: %SYS-5-CONFIG_I: "
        f"Configured from {via} by {user} on vty{i}\n"
        for i, (via, user) in enumerate([("console", "jsmith"), ("10.0.0.7", "ann"),
                                         ("10.0.0.8", "bob"), ("console", "cy")])
    ))  # fmt: skip
    parse_files([str(log)], resolve_format("linux", 2026), tmp_path / "e.parquet")
    events = pq.read_table(tmp_path / "e.parquet").to_pydict()
    assert events["params"][0][-3:] == ["console", "jsmith", "vty0"]  # not "from", "by", "on"
    assert masked_alike([
        "%HSRP-5-STATECHANGE: Vlan10 Grp 1 state Speak -> Standby",
        "%LINEPROTO-5-UPDOWN: Line protocol on Interface Port-channel2, changed state to up",
    ]) == [
        "%HSRP-5-STATECHANGE: <*> Grp <*> state Speak -> Standby",
        "%LINEPROTO-5-UPDOWN: Line protocol on Interface <*>, changed state to up",
    ]


def test_a_path_field_masked_whole_takes_in_no_endpoint(masked_alike):
    """QA Suricata: OCSP's random root paths (`http.url=<*>`) merged every endpoint of every
    host into one event, and a webshell's new `/uploads/x.php?c=...` answered 200 was that
    known event: scored 0."""
    from logbert.parsing.miner import TemplateMiner

    blob = "MFEwTzBNMEswSTAJBgUrDgMCGgUABBSdF4wmHgzv2zvsw3FQXsEg8VmugOB1Gvca3LrzJN"
    urls = [f"/{blob}O%3D", f"/{blob}X%3D", "/products.php?id=3", "/search?q=x",
            "/api/v1/orders/12", "/debian/pool/x.deb"]  # fmt: skip
    line = "event_type=http http.hostname=h http.status=200 http.url={}"
    miner = TemplateMiner()
    ids = miner.add(masked_alike([line.format(url) for url in urls]) * 3)
    assert ids[0] == ids[1] and len(set(ids[:6])) == 5  # each endpoint an event
    assert miner.match(masked_alike([line.format("/uploads/x.php?c=cat")])) == [None]


def test_epoch_time_beside_a_timestamp_field_is_read(tmp_path):
    """QA OpenLDAP: `--format '<Timestamp> <Thread> <Content>' --timestamp-format %s` was refused
    with "%s must be the whole format: pass '%s' alone", which it was."""
    from logbert.parsing.formats import resolve_format
    from logbert.parsing.pipeline import parse_files

    log = tmp_path / "slapd.log"
    log.write_text("1733307671.123 0x7f2a conn=1966 ACCEPT\n1733307672 0x7f2a conn=1966 BIND\n")
    fmt = resolve_format("<Timestamp> <Thread> <Content>", timestamp_format="%s")
    parse_files([str(log)], fmt, tmp_path / "e.parquet")
    times = pq.read_table(tmp_path / "e.parquet")["timestamp"].to_pylist()
    assert [str(t) for t in times] == ["2024-12-04 10:21:11.123000", "2024-12-04 10:21:12"]
    resolve_format("auto", timestamp_format="%s")  # checked, not refused


def test_a_fortigate_logid_is_kept(masked_alike):
    """QA FortiGate: `logid` names the event (`0100032001` an admin login, `0100032002` a
    failed one) and was masked in every template."""
    assert masked_alike([
        'date=2026-12-04 logid="0100032002" type="event" subtype="system" user="admin"',
        "logid=0000000013 type=traffic subtype=forward srcip=10.0.0.5",
    ]) == [
        'date=<*>-<*>-<*> logid="0100032002" type="event" subtype="system" user=<*>',
        "logid=0000000013 type=traffic subtype=forward srcip=<*>",
    ]


def test_clickhouse_frames_are_continuation_lines_and_db_exception_is_kept(masked_alike):
    """QA ClickHouse: a stack trace's numbered frames were "19% of lines that do not fit:
    their events are left out", and Db2's `DB :` rule made `DB::Exception:` `DB:<*>`."""
    from logbert.parsing.auto import looks_like_continuation

    assert looks_like_continuation(
        "0. DB::Exception::Exception(DB::Exception::MessageMasked&&, int, bool) @ "
        "0x000000000c4fd597 in /usr/bin/clickhouse"
    )
    assert masked_alike(["Code: 242. DB::Exception: Table is in readonly mode"]) == [
        "Code: 242. DB::Exception: Table is in readonly mode"
    ]


def test_round_32_request_lines_accounts_signals_and_check_results(masked_alike):
    """QA JupyterHub: Tornado's `200 GET /hub/health (@ip)` lost its status class (a storm
    of 500s invisible); QA Keepalived, Wazuh: PAM's `user ops(uid=1002)` and
    sudo's `bob : TTY=...` kept the account (a new admin's login a new event), and `Script
    `chk` now returning 1` was its recovery's event; QA Gunicorn: `Handling signal: ttou` was
    one event with a log reopen's `usr1`."""
    from logbert.parsing.miner import TemplateMiner

    assert masked_alike([
        "500 GET /hub/spawn-pending/carol (carol@10.0.1.249) 6.05ms",
        "200 GET /hub/health (@10.0.0.2) 16.42ms",
        "pam_unix(sudo:session): session opened for user root(uid=0) by ops(uid=1002)",
        "     bob : TTY=pts/2 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/sbin/ipvsadm -Ln",
        "Script `chk_haproxy` now returning 1",
    ]) == [
        # (its rest masked: JupyterHub's REST paths name users; its first segment kept since a
        # path ends at a parenthesis, round 65)
        "5xx GET /hub/<*> (<*>@<*>) <*>",
        "2xx GET /hub/<*> (@<*>) <*>",
        "pam_unix(sudo:session): session opened for user <*>(uid=<*>) by <*>(uid=<*>)",
        "<*> : TTY=pts/<*> ; PWD=<*> ; USER=<*> ; COMMAND=<*>",  # (the whole command)
        "Script `<*>` now returning 1",  # (a script's name a value: round 89)
    ]
    signals = [f"[INFO] Handling signal: {s}" for s in ("usr1", "winch", "hup", "term", "ttou")]
    assert len(set(TemplateMiner().add(masked_alike(signals) * 3))) == len(signals)


def test_a_line_of_a_time_alone_is_dated_whole(tmp_path):
    """QA GlusterFS: a crash dump's `2026-12-04 08:02:22 +0530` kept its offset as the message
    (the time 5.5 h off), and a time alone, `2026-12-04 08:02:25`, was dated at midnight."""
    from logbert.parsing.formats import resolve_format
    from logbert.parsing.pipeline import parse_files

    log = tmp_path / "brick.log"
    log.write_text("2026-12-04 08:02:22 +0530\n2026-12-04 08:02:23 +0530 signal received: 11\n"
                   "2026-12-04 08:02:25\n")  # fmt: skip
    parse_files([str(log)], resolve_format("iso"), tmp_path / "e.parquet")
    events = pq.read_table(tmp_path / "e.parquet").to_pydict()
    assert [str(t) for t in events["timestamp"]] == [
        "2026-12-04 02:32:22", "2026-12-04 02:32:23", "2026-12-04 08:02:25"
    ]
    assert events["content"] == ["", "signal received: 11", ""]


def test_auto_suggests_epoch_time_for_lines_that_start_with_it(tmp_path):
    """QA Squid, S3, JupyterHub: the refusal said "hpc splits 200 of them" (no line dated) and
    suggested a date-first format string that fits no line starting with epoch seconds."""
    import pytest

    from logbert.errors import LogbertError
    from logbert.parsing.formats import resolve_format
    from logbert.parsing.pipeline import parse_files

    log = tmp_path / "x.log"
    log.write_text("1733307671.123 0x7f2a conn=1966 ACCEPT\n1733307672 0x7f2a conn=1966 BIND\n")
    with pytest.raises(LogbertError) as refused:
        parse_files([str(log)], resolve_format("auto"), tmp_path / "e.parquet")
    assert "splits" not in str(refused.value)
    assert "'<Timestamp> <Content>' with --timestamp-format %s" in str(refused.value)


def test_s3_server_access_logs_have_a_format(auto_parsed):
    """QA S3: `auto` read no format for Amazon S3's server access logs."""
    lines = [
        "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be acme-app-uploads "
        "[03/Dec/2026:00:00:05 +0100] 10.0.1.13 arn:aws:sts::123456789012:assumed-role/app/i-07 "
        'FD7481FF004B30EE REST.HEAD.OBJECT users/58845/docs/id.pdf "HEAD /users/58845/docs/id.pdf '
        'HTTP/1.1" 200 - - 555465 3 8 "-" "aws-sdk-java/2.29.20" - SigV4',
    ]
    events = auto_parsed(lines, "s3")
    assert events["Bucket"] == ["acme-app-uploads"] and events["Client"] == ["10.0.1.13"]
    assert str(events["timestamp"][0]) == "2026-12-02 23:00:05"
    assert events["template"][0].startswith("REST.HEAD.OBJECT ")


def test_tornado_logs_have_a_format(auto_parsed):
    """QA JupyterHub: `auto` read no format for Tornado's `[I 2026-12-03 06:00:00.123
    JupyterHub app:2859] ...` lines."""
    lines = [
        "[I 2026-12-03 06:02:28.678 JupyterHub log:191] 200 GET /hub/health (@10.0.0.2) 16.42ms",
        "[E 2026-12-03 06:02:29.678 JupyterHub log:191] 500 GET /hub/spawn-pending/carol "
        "(carol@10.0.1.249) 6.05ms",
        "[W 2026-12-03 06:08:33.184 ServerApp] 404 GET /user/erin/api/contents/x.ipynb "
        "(erin@10.0.3.122) 25.45ms",
    ]
    events = auto_parsed(lines, "tornado")
    assert events["Level"] == ["I", "E", "W"] and events["Logger"][2] == "ServerApp"
    assert events["template"][1].startswith("5xx GET ")


def test_an_apis_auth_group_keeps_its_operation(masked_alike):
    """QA Gunicorn: `/api/v1/auth/admin-impersonate` was `/api/v1/auth/<*>`, a login's event."""
    assert masked_alike([
        '"POST /api/v1/auth/login HTTP/1.1" 200',
        '"POST /api/v1/auth/admin-impersonate HTTP/1.1" 200',
    ]) == [
        '"POST /api/v1/auth/login HTTP/<*>" 2xx',
        '"POST /api/v1/auth/admin-impersonate HTTP/<*>" 2xx',
    ]
