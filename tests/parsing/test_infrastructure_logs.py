"""Infrastructure logs as blind QA met them (round 16): Samba's two-line records and NT status
codes, VMware ESXi's hostd `-->` records and vmkernel lines, FortiGate's verdicts."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from logbert.parsing.auto import looks_like_continuation, rank_formats
from logbert.parsing.formats import resolve_format
from logbert.parsing.masks import mask_text
from logbert.parsing.miner import TemplateMiner
from logbert.parsing.pipeline import parse_files

SAMBA_HEADER = "[2026/11/22 17:46:{:02d}.500000,  3, pid={}] ../../source3/smbd/server.c:3(f)"


def test_samba_records_are_dated_to_the_second_and_their_join_is_advised(tmp_path):
    """QA Samba: `iso` read `[2026/11/22 17:46:55.500000,  3, ...` (a comma after the time) as
    midnight, and a log of two-line records (half its lines continuations, not more) got no
    word of joining them: `auto`'s model trained on the headers alone."""
    lines = []
    for i in range(6):
        lines += [SAMBA_HEADER.format(i, 4000 + i), f"  client{i} connect to service share{i}"]
    log = tmp_path / "log.smbd"
    log.write_text("\n".join(lines) + "\n")
    summary = parse_files([str(log)], resolve_format("iso"), tmp_path / "e.parquet")
    stamps = pq.read_table(tmp_path / "e.parquet").column("timestamp").to_pylist()
    assert [t.second for t in stamps] == list(range(6))
    assert any("join each record into one line first" in w for w in summary.warnings)


def test_bracketed_nt_status_codes_are_events_of_their_own():
    """QA Samba: nine `status[NT_STATUS_...]` codes, a denial and a missing file among them,
    were one `status[NT_STATUS_<*>]`."""
    codes = ["OBJECT_NAME_NOT_FOUND", "NO_MORE_FILES", "ACCESS_DENIED", "LOGON_FAILURE",
             "NOT_FOUND", "WRONG_PASSWORD"]  # fmt: skip
    messages = [
        mask_text(f"smb2_request_error: idx[{i % 3}] status[NT_STATUS_{code}] || at x.c:{i}")
        for i in range(4) for code in codes
    ]  # fmt: skip
    miner = TemplateMiner()
    assert len(set(miner.add(messages))) == len(codes)


def test_esxi_continuation_lines_and_vmkernel_lines_are_known():
    """QA ESXi: hostd's `-->` lines were "no continuation lines" (no join advised), and
    `auto` read vmkernel's `cpu3:2097152)NetPort: 1580: ...` with syslog-iso, the CPU and
    module as its host and the module out of every event."""
    assert looks_like_continuation("-->    faultCause = (vmodl.MethodFault) null,")
    vmkernel = [
        f"2026-11-30T10:00:0{i}.100Z cpu{i}:2097152)NetPort: 1580: disabled port 0x400000{i}"
        for i in range(5)
    ]
    assert rank_formats(vmkernel)[0].name == "iso"


def test_a_firewall_verdict_is_a_state():
    """QA FortiGate: `action="deny"` shared the template of `close`, `accept`, `server-rst`,
    `client-rst` (more than three values made the position a variable)."""
    actions = ["close", "accept", "server-rst", "client-rst"]
    line = 'type="traffic" srcip=10.0.0.{} action="{}" policyid=3 service="HTTPS"'
    miner = TemplateMiner()
    miner.add([mask_text(line.format(i, a)) for i in range(5) for a in actions])
    assert miner.match([mask_text(line.format(9, "deny"))]) == [None]
    assert miner.match([mask_text(line.format(9, "close"))]) != [None]


def test_wazuh_alert_blocks_get_the_join_and_keep_their_rule(tmp_path):
    """QA Wazuh: alerts.log's blocks (separated by blank lines) got no word of joining them,
    and `Rule: 5710` and `Rule: 5712` (a brute force) were one masked number."""
    block = [
        "** Alert 1795996800.{}: - syslog,sshd,authentication_failed,",
        "2026 Nov 30 10:00:0{} (web01) 10.0.0.11->/var/log/auth.log",
        "Rule: 5716 (level 5) -> 'sshd: authentication failed.'",
        "Nov 30 10:00:00 web01 sshd[1234]: Failed password for admin from 203.0.113.5 port 5",
        "",
    ]
    log = tmp_path / "alerts.log"
    log.write_text("\n".join(line.format(i) for i in range(8) for line in block) + "\n")
    summary = parse_files([str(log)], resolve_format("linux", 2026), tmp_path / "e.parquet")
    (said,) = [w for w in summary.warnings if "do not fit format linux" in w]
    assert "8 of 40 lines are blank" in said and """awk 'BEGIN { RS = """"" in said
    # QA IBM MQ: blank lines inside records that start with a dated line: the other join;
    # QA Wazuh: and inside records that start with `** Alert` (a syscheck alert's `Attributes:`)
    assert "IBM MQ's AMQERR01.LOG (a dated line)" in said and "/^\\[?[0-9]/" in said
    assert "awk '/^\\*\\* Alert / {" in said
    assert mask_text("Rule: 5712 (level 10) -> 'sshd: brute force'") == (
        "Rule: 5712 (level <*>) -> <*>"
    )
    assert mask_text("matched rule 3 of 10") == "matched rule <*> of <*>"  # no rule's name


def test_a_bracketed_field_holds_no_closing_bracket():
    """QA Pacemaker: linux's optional `[<PID>]` ran on to the line's last `[...]: `, so
    `pacemaker-attrd [14441] (attrd_peer_update) info: Setting #attrd-protocol[node2]: ...`
    lost its message up to `(unset) -> 5`, and every attribute update was one event."""
    from logbert.parsing.splitter import split_lines

    line = ("Nov 27 00:17:43.811 node2 pacemaker-attrd     [14441] (attrd_peer_update) \tinfo: "
            "Setting #attrd-protocol[node2]: (unset) -> 5 | from node1")  # fmt: skip
    ok, cols = split_lines(pa.array([line]), resolve_format("linux", 2026))
    assert ok.all() and cols["Content"][0].as_py().startswith("Setting #attrd-protocol[node2]")


def test_an_sdk_calls_service_and_operation_are_events():
    """QA Terraform: `aws.service=EC2 aws.operation=DescribeInstances` over four services
    (`EC2`, `S3` with digits) made one template, so a never-seen Lambda call and a
    `TerminateInstances` were known events."""
    line = "HTTP Response Received: aws.service={} aws.operation={} http.status_code=200"
    calls = [("EC2", "DescribeInstances"), ("EC2", "DescribeVpcs"), ("S3", "HeadBucket"),
             ("IAM", "GetRole"), ("RDS", "DescribeDBInstances")]  # fmt: skip
    miner = TemplateMiner()
    assert len(set(miner.add([mask_text(line.format(*c)) for c in calls * 3]))) == len(calls)
    unseen = [("Lambda", "GetFunction"), ("EC2", "TerminateInstances")]
    assert miner.match([mask_text(line.format(*c)) for c in unseen]) == [None, None]


def test_a_chat_command_is_the_event():
    """QA Minecraft: `issued server command: /gamemode creative` and `/trigger sit` were one
    event (the command masked as a path); a path elsewhere stays masked."""
    miner = TemplateMiner()
    commands = ["/spawn", "/home", "/list", "/help", "/sethome"]
    players = ("alice", "bob", "carol", "dave", "erin")
    lines = [f"Player {who} issued server command: {c}" for who in players for c in commands]
    ids = miner.add([mask_text(line) for line in lines])
    assert len(set(ids)) == len(commands)
    assert miner.match([mask_text("Player frank issued server command: /stop")]) == [None]
    assert mask_text("Web app /mapreduce started at 62267") == "Web app <*> started at <*>"


def test_a_weekday_before_a_comma_is_part_of_a_date():
    """QA Samba: `at [Fri, 27 Nov 2026 10:00:00.123456 CET]` kept `Fri`, so a failed logon on
    a Friday was a new event after training on Monday to Thursday."""
    line = "user [EX]\\[frank] at [{}, 27 Nov 2026 10:00:00.123456 CET] with [NTLMv2]"
    assert mask_text(line.format("Fri")) == mask_text(line.format("Mon"))
    assert mask_text(line.format("Fri")).startswith("user [EX]\\[frank] at [<*>, ")


def test_an_audit_logs_command_and_verdict_are_the_event():
    """QA HDFS audit log: `cmd=open|create|delete|rename|...` was one `cmd=<*>` event and
    `allowed=false` (a denial) was masked as a boolean, the event of an allowed read."""
    line = "allowed={}\tugi={} (auth:KERBEROS)\tip=/10.0.1.{}\tcmd={}\tsrc=/user/x/{}\tproto=rpc"
    users = ["alice", "bob", "carol", "dave", "erin"]
    commands = ["open", "create", "delete", "rename", "listStatus", "getfileinfo", "mkdirs"]
    miner = TemplateMiner()
    lines = [line.format("true", u, i, c, i) for i, u in enumerate(users) for c in commands]
    assert len(set(miner.add([mask_text(x) for x in lines]))) == len(commands)
    assert miner.match([mask_text(line.format("false", "bob", 9, "open", 9))]) == [None]
    assert mask_text('{"success": false, "debug": true}') == '{"success": false, "debug": <*>}'


def test_dns_null_records_and_wordless_templates():
    """QA Unbound: one `NULL` query (iodine's tunnels) was masked as a null value and made every
    record type one variable; a template of variables alone (the stats' histogram rows,
    `<*> <*> <*>`) took `error: out of memory` at scoring, a never-seen error as a known event."""
    queries = [f"10.0.0.5 www.example.com. {t} IN" for t in ("A", "AAAA", "MX", "TXT")] * 5
    miner = TemplateMiner()
    ids = miner.add([mask_text(q) for q in [*queries, "10.0.0.9 x1.tun.example.com. NULL IN"]])
    assert len(set(ids)) == 5
    assert mask_text("progress = NULL, phase = 0") == "progress = <*>, phase = <*>"
    histogram = TemplateMiner()
    histogram.add([mask_text(f"{i}.000000 {i}.000001 {i}") for i in range(5)])
    assert histogram.match([mask_text("error: out of memory"), mask_text("7.0 8.0 9")]) == [
        None, 1
    ]  # fmt: skip


def test_a_peer_named_after_a_colon_is_an_entity_and_crash_dumps_are_continuations():
    """QA GlusterFS: `host: node1, port: 0` kept the host when few peers were seen (which of
    them held a template hung on the lines' order); a crash dump's lines were "no
    continuation lines"."""
    line = "Received ACC from uuid: 6f1c2a44-0d1e-4b8a-9a55-1f2b3c4d5e61, host: {}, port: 0"
    assert mask_text(line.format("node1")) == mask_text(line.format("node3"))
    assert mask_text("No route to host: no further information").endswith("no further information")
    assert looks_like_continuation("pending frames:")
    assert looks_like_continuation("signal received: 11")


def test_ftp_commands_and_replies_in_quotes_are_events_and_rates_are_numbers():
    """QA vsftpd: `"USER alice"`, `"QUIT"` and `"230 Login successful."`, `"530 Login
    incorrect."` were masked as quoted text (every command one event, every reply another),
    and `1234.56Kbyte/sec` kept its fraction (`<*>.56Kbyte/sec`: a new event)."""
    head = 'FTP {}: Client "::ffff:10.0.0.5", "{}"'
    assert mask_text(head.format("response", "530 Login incorrect.")) != mask_text(
        head.format("response", "230 Login successful.")
    )
    assert mask_text(head.format("command", "QUIT")).endswith('"QUIT"')
    rate = 'FAIL DOWNLOAD: Client "::ffff:10.0.3.3", "/home/alice/big.iso", {}Kbyte/sec'
    assert mask_text(rate.format("0.00")) == mask_text(rate.format("1234.56"))


def test_ceph_lines_are_iso_s_not_syslog_iso_s():
    """QA Ceph: `syslog-iso` read the thread id as the host and `0 log_channel(cluster) log
    [DBG]` as the program, tied with `iso` and was picked (F1 0.824 against 0.870); `ceph`
    reads them now (QA Rook), its thread and priority as fields."""
    lines = [
        f"2025-11-30T10:00:0{i}.123+0000 7f1a2b3c4d00  0 log_channel(cluster) log [DBG] : "
        f"pgmap v12{i}: 128 pgs: 128 active+clean" for i in range(5)
    ] + [
        f"2025-11-30T10:00:1{i}.123+0000 7f1a2b3c4e00 -1 osd.3 1234 heartbeat_check: no reply "
        f"from 10.0.0.{i}:6804 osd.5" for i in range(5)
    ]  # fmt: skip
    assert rank_formats(lines)[0].name == "ceph"
    syslog = [f"2025-11-30T10:00:0{i}.1+00:00 gw1 charon[812]: 09[IKE] sent {i}" for i in range(5)]
    assert rank_formats(syslog)[0].name == "syslog-iso"


def test_auditd_s_log_is_read_by_auto_with_the_record_type_as_the_events_first_word(tmp_path):
    """QA auditd: `auto` refused `/var/log/audit/audit.log`; the records of one event share
    its serial (`--by-field Node,Serial`), and the type names the record."""
    lines = [
        'node=web01 type=SYSCALL msg=audit(1764500000.100:99001): arch=c000003e syscall=59 '
        'success=yes exit=0 comm="find" exe="/usr/bin/find"',
        'node=web01 type=EXECVE msg=audit(1764500000.100:99001): argc=2 a0="find" a1="/tmp"',
        "type=USER_AUTH msg=audit(1764500001.200:99002): pid=1 uid=0 msg='op=PAM:authentication "
        'acct="alice" res=success\'',
    ] * 2
    assert rank_formats(lines)[0].name == "auditd"
    log = tmp_path / "audit.log"
    log.write_text("\n".join(lines) + "\n")
    summary = parse_files([str(log)], resolve_format("auditd"), tmp_path / "ev.parquet")
    assert summary.rejected == 0 and summary.timestamps == 6
    table = pq.read_table(tmp_path / "ev.parquet", columns=["Node", "Serial", "template"])
    assert table.column("Serial").to_pylist()[:3] == ["99001", "99001", "99002"]
    assert [t.split()[0] for t in table.column("template").to_pylist()[:3]] == [
        "SYSCALL", "EXECVE", "USER_AUTH"
    ]  # fmt: skip


def test_a_puppet_resource_keeps_its_type_title_and_property(masked_alike):
    """QA Puppet: resource references were masked whole, so a change to /etc/sudoers was a
    routine nginx.conf deploy's event and a haproxy restart an nginx one's."""
    lines = [
        "(/Stage[main]/Sudo/File[/etc/sudoers]/content) content changed '{md5}ab1' to '{md5}c2'",
        "(/Stage[main]/Haproxy::Service/Service[haproxy]/ensure) ensure changed 'stopped' to "
        "'running'",
        "(/Stage[main]/Haproxy::Config/File[/etc/haproxy/haproxy.cfg]) Filebucketed x",
    ]
    assert masked_alike(lines) == [
        "(<*>/File[/etc/sudoers]/content) content changed '{md5}<*>' to '{md5}<*>'",
        "(<*>/Service[haproxy]/ensure) ensure changed 'stopped' to 'running'",
        "(<*>/File[/etc/haproxy/haproxy.cfg]) Filebucketed x",
    ]


def test_each_puppet_resource_is_an_event_however_many_there_are(masked_alike):
    """QA Puppet: a dozen managed files made the title a variable, so a change to
    /etc/ssh/sshd_config was a routine deploy's event."""
    line = "(/Stage[main]/C/File[{}]/content) content changed '{{md5}}a1' to '{{md5}}b2'"
    files = [f"/etc/app{i}.conf" for i in "abcdefghijkl"]
    miner = TemplateMiner()
    assert len(set(miner.add(masked_alike([line.format(f) for f in files * 2])))) == len(files)
    assert miner.match(masked_alike([line.format("/etc/ssh/sshd_config")])) == [None]


def test_puppets_server_error_keeps_its_class(masked_alike):
    """QA Puppet: `Error 500 on SERVER` (a compile error) and `Error 403 on SERVER` (a denial)
    were one `Error <*> on SERVER` event."""
    lines = ["Could not retrieve catalog from remote server: Error 500 on SERVER: x",
             "Could not retrieve catalog from remote server: Error 403 on SERVER: x",
             "Error 123 on line 5"]  # fmt: skip
    assert masked_alike(lines) == [
        "Could not retrieve catalog from remote server: Error 5xx on SERVER: x",
        "Could not retrieve catalog from remote server: Error 4xx on SERVER: x",
        "Error 123 on line <*>",  # an error's number, no status (QA Oracle: `Error 19809`)
    ]  # fmt: skip


def test_qemus_continued_command_line_is_a_records_continuation(masked_alike):
    """QA libvirt: the per-VM log's command line (`LC_ALL=C \\`, `-name guest=vm07,... \\`,
    `-msg timestamp=on`) was 93% "rejected" and `auto` refused the file; the VM's name in it
    made a template per VM."""
    for line in ("LC_ALL=C \\", "-name guest=vm07,debug-threads=on \\", "-msg timestamp=on"):
        assert looks_like_continuation(line), line
    assert not looks_like_continuation("2025-11-26 10:00:00.123+0000: starting up")
    assert masked_alike(["-name guest=vm07,debug-threads=on"]) == [
        "-name guest=<*>,debug-threads=on"
    ]


def test_zabbix_logs_are_read_by_auto_and_a_hosts_bracketed_name_is_masked(masked_alike):
    """QA Zabbix: `auto` refused `zabbix_server.log` (the pid padded to six, then
    `yyyymmdd:HHMMSS.mmm`); `host [lab04] not monitored` was a new event beside `[lab03]`;
    QA nginx: `exited with code 1` was a clean exit's event."""
    lines = [f"  {1234 + i}:20251130:10000{i}.123 item \"web0{i}:agent.ping\" became not "
             "supported: Cannot obtain data" for i in range(5)]  # fmt: skip
    assert rank_formats(lines)[0].name == "zabbix"
    assert masked_alike(["cannot send list of active checks to \"10.0.2.4\": host [lab04] not "
                         "monitored", "worker process 4001 exited with code 1"]) == [
        'cannot send list of active checks to "<*>": host [<*>] not monitored',
        "worker process <*> exited with code 1",
    ]  # fmt: skip


def test_a_proxmox_tasks_type_is_its_event_and_its_user_a_variable(masked_alike):
    """QA Proxmox: every task of a user was one `UPID:pve1:<*>:root@pam:` event (a VM's
    deletion a console's), and a new user's first console a new event."""
    upid = "UPID:pve1:0007A1E7:05887868:65692302:{}:{}:{}:"
    tasks = [("vncproxy", "101", "root@pam"), ("qmstart", "104", "dave@pve"),
             ("vzdump", "", "root@pam"), ("qmdestroy", "104", "root@pam!backup")]  # fmt: skip
    lines = [f"<{user}> starting task {upid.format(task, guest, user)}"
             for task, guest, user in tasks]  # fmt: skip
    masked = masked_alike(lines)
    assert masked[0] == "<<*>> starting task UPID:<*>:<*>:<*>:<*>:vncproxy:<*>:<*>:"
    miner = TemplateMiner()
    ids = miner.add(masked * 3)
    assert len(set(ids[:4])) == 4  # four task types, four events, whoever ran them


def test_interfaces_and_short_node_ids_are_entities(masked_alike):
    """QA FRR, MikroTik and CockroachDB: `ether3 link down`, `(eth1)` and `transferring lease
    to s4` were a template per port or store, a port added since training a new event."""
    lines = ["interface,info ether5 link down", "Neighbor 10.1.1.2 (enp0s3) state Down",
             "Interface GigabitEthernet0/1, changed state to down", "port ge-0/0/1.0 up",
             "transferring lease to s4", "[n2,replicate,s2,r696/1] sent"]  # fmt: skip
    assert masked_alike(lines) == [
        "interface,info <*> link down", "Neighbor <*> (<*>) state Down",
        "Interface <*>, changed state to down", "port <*> up", "transferring lease to <*>",
        "[<*>,replicate,<*>,<*>/<*>] sent",
    ]  # fmt: skip


def test_a_run_of_numbers_after_a_word_is_one_value(masked_alike):
    """QA FRR and Proxmox: a BGP AS path and a backup job's guests made a template per
    length; HPC's fan speeds among `****` stay one variable each."""
    lines = [f"metric 0, path {' '.join(['65004', '64601', '64950'][:n])} x" for n in (1, 2, 3)]
    assert set(masked_alike(lines)) == {"metric <*>, path <*> x"}
    assert masked_alike(["vzdump 102 103 104 --quiet 1"]) == ["vzdump <*> --quiet <*>"]
    assert masked_alike(["Fan speeds ( 3552 **** 3515 )"]) == ["Fan speeds ( <*> **** <*> )"]


def test_a_network_devices_syslog_without_tags_is_read_whole(tmp_path):
    """QA MikroTik: `auto` picked `linux`, which rejected every line without a `: ` after
    its first words: the logins, link changes and configuration changes."""
    lines = [
        "Dec  3 00:43:17 core-rtr system,error,critical login failure for user root via ssh",
        "Dec  3 00:12:29 gw-02 interface,info ether1 link down",
        "Dec  3 00:12:31 gw-02 dhcp,warning dhcp1 failed to give out IP address: pool is empty",
        "Dec  3 00:12:35 gw-02 pppoe,ppp,info <pppoe-cust0043>: connected",
    ] * 5
    assert rank_formats(lines)[0].name == "syslog-notag"
    log = tmp_path / "routers.log"
    log.write_text("\n".join(lines) + "\n")
    summary = parse_files([str(log)], resolve_format("syslog-notag"), tmp_path / "e.parquet")
    assert summary.rejected == 0
    events = pq.read_table(tmp_path / "e.parquet").to_pydict()
    assert events["Host"][:2] == ["core-rtr", "gw-02"]
    assert events["content"][2].startswith("dhcp,warning")
    ordinary = ["Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown"] * 5
    assert rank_formats(ordinary)[0].name == "linux"  # where both read the lines


def test_cockroachdb_logs_are_a_built_in_format(tmp_path):
    """QA CockroachDB: `auto` read no format, and klog's dated the `I` lines only, so the
    warnings and errors were in no time window."""
    lines = [
        "I231204 06:06:40.913418 26465 kv/kvserver/replicate_queue.go:1953 ⋮ [n2,replicate,s2,"
        "r696/1:‹/Table/108/1/{25114-31899}›] 50  transferring lease to s4",
        "W231204 06:42:08.530897 312 kv/kvserver/liveness/liveness.go:820 ⋮ [n2,liveness-hb] "
        "2210  failed node liveness heartbeat: context deadline exceeded",
        "E231204 06:42:09.000001 312 server/node.go:12 [n3] 7  disk stall detected",  # crdb-v1
    ] * 4
    assert rank_formats(lines)[0].name == "crdb"
    log = tmp_path / "cockroach.log"
    log.write_text("\n".join(lines) + "\n")
    summary = parse_files([str(log)], resolve_format("crdb"), tmp_path / "e.parquet")
    assert summary.rejected == 0 and summary.timestamps == 12
    events = pq.read_table(tmp_path / "e.parquet").to_pydict()
    assert str(events["timestamp"][1]) == "2023-12-04 06:42:08.530897"
    assert events["content"][2] == "[n3] 7  disk stall detected"


def test_an_account_after_user_or_ending_a_change_is_a_variable(masked_alike):
    """QA MikroTik: `user jsmith logged in`, `nat rule removed by jsmith` and `<pppoe-cust0043>:
    connected` made a template per admin or customer."""
    lines = ["system,info,account user jsmith logged in from 10.0.0.5 via winbox",
             "system,info nat rule removed by jsmith", "pppoe,ppp,info <pppoe-cust0043>: connected",
             "check pass; user unknown"]  # fmt: skip
    assert masked_alike(lines) == [
        "system,info,account user <*> logged in from <*> via winbox",
        "system,info nat rule removed by <*>", "pppoe,ppp,info <<*>>: connected",
        "check pass; user unknown",
    ]  # fmt: skip


def test_the_sides_of_a_transition_are_states_even_quoted():
    """QA Proxmox: `state changed from 'online' => 'fence'` and `'online' => 'unknown'` were
    one event (quoted words read as names), fencing a node its going offline's."""
    pairs = [("online", "unknown"), ("unknown", "fence"), ("fence", "unknown")]
    lines = [f"node 'pve3': state changed from '{a}' => '{b}'" for a, b in pairs] * 3
    miner = TemplateMiner()
    assert len(set(miner.add([mask_text(line) for line in lines]))) == 3
    # not a request's path before uWSGI's `=>` (a recursion without end when it was)
    paths = ["/api/orders?id=1", "/api/orders/7", "/.env", "/cart"]
    requests = [f"GET {path} => generated 5 bytes in 3 msecs" for path in paths] * 3
    assert len(set(TemplateMiner().add([mask_text(line) for line in requests]))) == 3
