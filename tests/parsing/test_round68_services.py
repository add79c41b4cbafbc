"""QA round 68 (Lustre, hostapd, Open vSwitch, pgBackRest, TiDB) and the REST actions a uvicorn
service's QA left open: what each log's first run got wrong, as a new user met it."""

from __future__ import annotations

from logbert.parsing.auto import rank_formats

TIDB_LINES = [
    "[2026/12/05 10:00:00.123 +08:00] [INFO] [server.go:266] [\"server is running MySQL "
    "protocol\"] [addr=0.0.0.0:4000]",
    "[2026/12/05 10:00:01.456 +08:00] [INFO] [server.go:570] [\"new connection\"] "
    "[conn=2097154] [remoteAddr=10.0.0.42:51234]",
    "[2026/12/05 10:00:02.789 +08:00] [INFO] [session.go:3950] [\"CRUCIAL OPERATION\"] "
    "[conn=2097154] [schemaVersion=52] [cur_db=shop] [sql=\"CREATE TABLE orders (id BIGINT "
    "PRIMARY KEY, total DECIMAL(10,2))\"] [user=app@10.0.0.42]",
    "[2026/12/05 10:00:03.012 +08:00] [INFO] [session.go:3950] [\"CRUCIAL OPERATION\"] "
    "[conn=2097155] [schemaVersion=53] [cur_db=billing] [sql=\"DROP DATABASE billing\"] "
    "[user=root@10.0.0.43]",
    "[2026/12/05 10:00:04.345 +08:00] [INFO] [conn.go:1150] [\"command dispatched failed\"] "
    "[conn=2097154] [sql=\"INSERT INTO orders VALUES (1)\"] [timestamp=445566778899001123] "
    "[err=\"[kv:9007]Write conflict, txnStartTS=445566778899001122\"]",
    "[2026/12/05 10:00:05.678 +08:00] [INFO] [server.go:620] [\"connection closed\"] "
    "[conn=2097154]",
    "[2026/12/05 10:00:06.000 +08:00] [INFO] [server.go:620] [\"connection closed\"] "
    "[conn=2097155]",
    "[2026/12/05 10:00:07.000 +08:00] [INFO] [<unknown>] [\"Welcome to TiDB.\"] "
    "[\"Release Version\"=v7.5.1]",
    "[2026/12/05 10:00:08.000 +08:00] [WARN] [conn.go:1150] [\"command dispatched failed\"] "
    "[conn=2097155] [sql=\"SELECT 1\"] [err=\"[kv:9006]GC life time is shorter than "
    "transaction duration\"]",
]


def test_tidbs_unified_log_is_read_as_named_fields(auto_parsed):
    """QA TiDB: read as text, every quoted message was one variable (`connection closed` and
    the server's start one `[<*>] [<*>]` event), a template per SQL statement and database,
    and `[kv:<*>]` one event for every error code."""
    events = auto_parsed(TIDB_LINES, "tidb")
    templates = events["template"]
    assert events["Level"][0] == "INFO" and events["Component"][1] == "server.go:570"
    assert str(events["timestamp"][0]) == "2026-12-05 02:00:00.123000"  # +08:00, in UTC
    assert templates[0] == "INFO server.go:<*> server is running MySQL protocol addr=<*>:<*>"
    assert templates[5] == templates[6] == "INFO server.go:<*> connection closed conn=<*>"
    assert templates[2] == templates[3]  # another database, another statement: one event
    assert 'sql="<*>"' in templates[2] and "cur_db=<*>" in templates[2]
    assert "err=[kv:9007]Write conflict" in templates[4] and "timestamp=<*>" in templates[4]
    assert "err=[kv:9006]GC life time" in templates[8]
    assert "Release Version=v7.<*>" in templates[7]


def test_a_line_that_is_not_all_items_does_not_fit_tidb(log_parsed):
    """A panic's stack, or a line of another format, is a reject, not an event of the format."""
    lines = [*TIDB_LINES[:2], "goroutine 1 [running]:", TIDB_LINES[5] + " trailing words"]
    events, summary = log_parsed(lines, "tidb")
    assert len(events["template"]) == 2 and summary.rejected == 2


def test_a_rest_action_after_an_id_is_kept(masked_alike):
    """QA uvicorn: `POST /api/orders/4711/cancel` was `/api/orders/<*>`, a cancellation one event
    with every read of an order; an id of one digit was even kept as an API's version
    (`/api/orders/7/cancel` as it stood)."""
    lines = [
        'INFO:     10.0.0.1:5000 - "POST /api/orders/4711/cancel HTTP/1.1" 200 OK',
        'INFO:     10.0.0.1:5000 - "POST /api/orders/7/cancel HTTP/1.1" 200 OK',
        'INFO:     10.0.0.1:5000 - "GET /api/orders/7 HTTP/1.1" 200 OK',
        "GET /users/42/photos?page=2 200",
        'path="/jobs/3f2a1b4c-9d8e-4f7a-b6c5-1d2e3f4a5b6c/retry" status=500',
        "GET /blog/2024/summer-sale-is-here 200",  # a slug after a year: a value
        "GET /rest/agile/1.0/board/3 200",  # a version after the API's name is kept
    ]
    cancel, short, read, photos, retry, slug, board = masked_alike(lines)
    assert cancel == short == 'INFO: <*>:<*> - "POST /api/orders/<*>/cancel HTTP/<*>" 2xx OK'
    assert read == 'INFO: <*>:<*> - "GET /api/orders/<*> HTTP/<*>" 2xx OK'
    assert photos == "GET /users/<*>/photos?<*> 2xx"
    assert retry == 'path="/jobs/<*>/retry" status=5xx'
    assert slug == "GET /blog/<*> 2xx"
    assert board == "GET /rest/agile/1.0/board/<*> 2xx"


def test_the_miner_keeps_actions_apart(log_parsed):
    """The endpoint of `/orders/<*>/cancel` is not `/orders`'s: the miner does not merge them."""
    lines = [
        f'10.0.0.{i} - - [05/Dec/2026:10:00:{i:02d} +0000] "{verb} /api/orders/{40 + i}{rest} '
        f'HTTP/1.1" 200 12 "-" "curl/8.0"'
        for i in range(30)
        for verb, rest in (("GET", ""), ("POST", "/cancel"), ("POST", "/refund"))
    ]
    events, _ = log_parsed(lines, "access")
    assert len(set(events["template"])) == 3


def test_openwrt_logread_lines_have_their_facility_level_and_tag_as_fields(auto_parsed):
    """QA hostapd: `auto` took `ctime` for `logread`'s lines and kept `daemon.info hostapd:`
    in every message: a template per level and per tag with or without its pid."""
    events = auto_parsed([
        "Fri Dec  4 06:00:10 2026 daemon.notice hostapd: wlan1: AP-STA-CONNECTED "
        "dc:a6:32:42:19:9d",
        "Fri Dec  4 06:00:11 2026 daemon.info dnsmasq-dhcp[1900]: DHCPDISCOVER(br-lan) "
        "dc:a6:32:42:19:9d",
        "Fri Dec  4 06:00:13 2026 daemon.info hostapd[1234]: wlan1: AP-STA-CONNECTED "
        "dc:a6:32:42:19:9e",
    ], "logread")  # fmt: skip
    assert events["Facility"][:3] == ["daemon"] * 3
    assert events["Level"][:3] == ["notice", "info", "info"]
    assert events["Component"][:3] == ["hostapd", "dnsmasq-dhcp", "hostapd"]
    assert events["PID"][:3] == ["", "1900", "1234"]
    assert events["template"][0] == events["template"][2] == "<*>: AP-STA-CONNECTED <*>"


def test_words_after_a_protocols_prefix_are_no_names(log_parsed):
    """QA hostapd: `WPA: pairwise key handshake completed` and `WPA: group key ...` were one
    `WPA: <*> key` event (the words under a label read as names), a station's joining
    handshake its periodic rekey's; a program's name under `exited:` stays a name."""
    lines = [
        f"2026-12-05T10:00:{i:02d}+01:00 ap-lobby hostapd: wlan0: STA 3c:22:fb:12:34:{i:02x} "
        f"WPA: {'group' if i % 3 == 0 else 'pairwise'} key handshake completed (RSN)"
        for i in range(30)
    ] + [
        f"2026-12-05T10:01:{i:02d}+01:00 ap-lobby supervisord: exited: {name} (exit status 1; "
        "not expected)"
        for i, name in enumerate(["api", "worker", "node_exporter"] * 5)
    ]
    events, _ = log_parsed(lines, "syslog-iso")
    templates = set(events["template"])
    assert {t for t in templates if "handshake" in t} == {
        "<*>: STA <*> WPA: group key handshake completed (RSN)",
        "<*>: STA <*> WPA: pairwise key handshake completed (RSN)",
    }
    assert {t for t in templates if "exited" in t} == {
        "exited: <*> (exit status 1; not expected)"
    }


def test_pgbackrest_logs_have_their_worker_and_level_as_fields(log_parsed):
    """QA pgBackRest: `auto` took `iso`, which kept the worker (`P01`, `P02`) in every message,
    a template per worker; each run's `PROCESS START` banner was a reject (with advice to join
    it to the run before), a backup's label was partly kept (`<*>-<*>-070000I`, a template per
    expired set) and every error code was one `[<*>]`."""
    lines = [
        "-------------------PROCESS START-------------------",
        "2026-12-05 01:00:01.456 P00   INFO: last backup label = 20261204-010000F_20261204-"
        "070000I, version = 2.49",
        "2026-12-05 01:00:04.345 P01 DETAIL: backup file /var/lib/postgresql/16/main/base/1/2 "
        "(1GB, 12.50%) checksum 9f8e7d6c5b4a39281706f5e4d3c2b1a098765432",
        "2026-12-05 01:00:04.346 P02 DETAIL: backup file /var/lib/postgresql/16/main/base/1/3 "
        "(8KB, 100.00%) checksum 9f8e7d6c5b4a39281706f5e4d3c2b1a098765433",
        "2026-12-05 01:00:05.000 P00   INFO: repo1: expire full backup set 20261101-010000F, "
        "20261101-010000F_20261101-070000I",
        "",
        "-------------------PROCESS START-------------------",
        "2026-12-05 01:10:00.567 P00  ERROR: [082]: WAL segment 00000001000000A200000040 was "
        "not archived before the 60000ms timeout",
        "2026-12-05 01:10:02.123 P00   INFO: archive-push command end: aborted with exception "
        "[082]",
        "2026-12-05 01:11:02.123 P00   INFO: archive-push command end: aborted with exception "
        "[103]",
    ]
    ranked = [score.name for score in rank_formats([line for line in lines if line])]
    assert ranked[0] == "pgbackrest"
    events, summary = log_parsed(lines, "pgbackrest")
    assert summary.rejected == 0 and events["Process"][:3] == ["P00", "P01", "P02"]
    assert events["Level"][4] == "ERROR"
    templates = events["template"]
    assert templates[1] == templates[2] == "backup file <*> (<*>, <*>%) checksum <*>"
    assert templates[0] == "last backup label = <*>, version = <*>"
    assert templates[3] == "repo1: expire full backup set <*>, <*>"
    assert templates[4].startswith("[082]: WAL segment <*>")
    assert templates[5:] == [
        "archive-push command end: aborted with exception [082]",
        "archive-push command end: aborted with exception [103]",
    ]


def test_a_word_glued_to_a_masked_value_by_a_colon_names_the_event(log_parsed):
    """QA Jitsi: Jicofo's `Member joined:a1b2c3d4` and `Member left:a1b2c3d4` were one `Member
    <*>` event (with the method before them), a conference whose members only joined a
    normal one; its `Sticky failure: true` was `false`'s event."""
    head = (
        "Jicofo 2026-12-05 10:01:{s:02d}.789 INFO: [47] [room=a@conf.example.com "
        "meeting_id=3f2a1b4c] "
    )
    lines = [
        head.format(s=i) + f"JitsiMeetConferenceImpl.onMember{verb.title()}#590: Member "
        f"{verb}:{i:08x}"
        for i in range(20) for verb in ("joined", "left")
    ] + [head.format(s=40 + i) + f"Sticky failure: {flag}" for i, flag in enumerate(FLAGS)]
    events, _ = log_parsed(lines, JITSI)
    templates = set(events["template"])
    room = "[room=<*> meeting_id=<*>] "
    method = room + "JitsiMeetConferenceImpl.onMember"
    assert method + "Joined#<*>: Member joined:<*>" in templates
    assert method + "Left#<*>: Member left:<*>" in templates
    assert room + "Sticky failure: true" in templates


JITSI = r"<Service> <Date> <Time> <Level>: \[<Thread>\] <Content>"
FLAGS = ("false", "true")


def test_a_remote_methods_qualified_name_is_the_event(log_parsed):
    """QA vCenter: every `[VpxLRO] -- BEGIN ... -- vim.VirtualMachine.powerOn --` was one event
    whatever its operation, so a VM's destruction was a known event; an operation id's prefix
    (`opID=SWI-<*>` beside `opID=lro-<*>-<*>`) split a known SOAP failure under another caller."""
    operations = [
        "vim.VirtualMachine.powerOn", "vim.VirtualMachine.migrate", "vim.SessionManager.login",
        "vmodl.query.PropertyCollector.retrieveContents",
    ]  # fmt: skip
    lines = [
        f"2026-12-05T10:00:{i:02d}.123Z info vpxd[{12345 + i}] [Originator@6876 sub=vpxLro "
        f"opID=lro-{i}-{i * 7919:08x}] [VpxLRO] -- BEGIN task-{4700 + i} -- vm-{i} -- "
        f"{operations[i % 4]} -- 52f3a1b4-9d8e-4f7a-b6c5-1d2e3f4a5b6c"
        for i in range(40)
    ] + [
        f"2026-12-05T10:01:{i:02d}.123Z info vpxd[1] [Originator@6876 sub=vmomi.soapStub[{i}] "
        f"opID={caller}] SOAP request returned HTTP failure"
        for i, caller in enumerate(["SWI-1a2b3c4d", "lro-124-5a6b7c8d", "HB-host-22@1234-5678"])
    ]
    events, _ = log_parsed(lines, "iso")
    templates = events["template"]
    assert len(set(templates[:40])) == 4 and "vim.SessionManager.login" in templates[2]
    assert len(set(templates[40:])) == 1 and "opID=<*>] SOAP request" in templates[40]


def test_xrdp_logs_are_a_built_in_format(auto_parsed):
    """QA xrdp: `auto` read no format: the time `[20261205-10:00:03]` was a word no built-in
    format knew."""
    events = auto_parsed([
        "[20261205-10:00:00] [INFO ] Socket 12: AF_INET6 connection received from "
        "::ffff:10.0.0.42 port 51234",
        "[20261205-10:05:01] [ERROR] xrdp_sec_recv: xrdp_mcs_recv failed",
        "[20261205-10:08:00] [WARN ] Window manager (pid 23460, display 10) exited quickly "
        "(0 secs). This could indicate a window manager config problem",
    ], "xrdp")  # fmt: skip
    assert events["Level"][:3] == ["INFO", "ERROR", "WARN"]
    assert str(events["timestamp"][1]) == "2026-12-05 10:05:01"
    assert events["template"][1] == "xrdp_sec_recv: xrdp_mcs_recv failed"


def test_an_openhab_items_free_text_states_are_values(log_parsed):
    """QA openHAB: `Item 'Spotify_Track' changed from Smells Like Teen Spirit to Africa` was a
    template per pair of songs, and each new pair a false alarm; state words stay events."""
    head = "2026-12-05 10:00:{s:02d}.123 [INFO ] [openhab.event.ItemStateChangedEvent ] - "
    songs = ["Smells Like Teen Spirit", "Africa", "Road to Nowhere", "Bohemian Rhapsody"]
    lines = [
        head.format(s=i) + f"Item 'Spotify_Track' changed from {songs[i % 4]} to "
        f"{songs[(i + 1) % 4]}"
        for i in range(8)
    ] + [
        head.format(s=20) + "Item 'Kitchen_Light' changed from OFF to ON",
        head.format(s=21) + "Item 'Outdoor_Temperature' changed from 4.5 °C to 4.3 °C",
        head.format(s=22) + "Item 'gLights' changed from OFF to ON through Kitchen_Light",
        head.format(s=23) + "Item 'Door' changed from UNDEF to CLOSED",
    ]
    events, _ = log_parsed(lines, OPENHAB)
    templates = events["template"]
    assert set(templates[:8]) == {"Item '<*>' changed from <*> to <*>"}
    assert events["params"][0][-2:] == ["Smells Like Teen Spirit", "Africa"]
    assert templates[8].endswith("' changed from OFF to ON")
    assert templates[9].endswith("' changed from <*> to <*>")
    assert templates[10] == "Item 'gLights' changed from OFF to ON through <*>"
    assert templates[11].endswith("' changed from UNDEF to CLOSED")


OPENHAB = r"<Date> <Time> \[<Level> *\] \[<Component> *\] - <Content>"


def test_arangodbs_request_lines_keep_their_endpoint_and_status(masked_alike):
    """QA ArangoDB: its request line, `"POST,/_db/shop/_api/cursor,HTTP/1.1" root 201 ...`,
    was `"POST,<*>,HTTP/<*>" root <*> <*>`: every endpoint and status one event (the status
    joined to the sizes after it), a 500 a 201's; a failed login's user and a slow query's
    bind values and database split an event per value."""
    lines = [
        '10.0.0.42 "POST,/_db/shop/_api/cursor,HTTP/1.1" root 201 512 1024 0.012345',
        '10.0.0.44 "POST,/_db/billing/_api/cursor,HTTP/1.1" bob 500 512 1024 0.012345',
        '10.0.0.42 "GET,/_db/shop/_api/document/orders/1234,HTTP/1.1" root 404 0 120 0.000345',
        '10.0.0.44 "GET,/_admin/status,HTTP/1.1"  200 512 1024 0.012345',
        "Authentication failed for user 'admin' from 10.0.9.218",
        "slow query: 'FOR c IN customers RETURN c', bind vars: {\"country\":\"US\"}, database: "
        "shop, user: shop_app, took: 12.3 s",
        "path 65004 64601 64950",  # a bare run of numbers after a word is still one value
    ]
    cursor, failed, document, admin, login, slow, path = masked_alike(lines)
    assert cursor == '<*> "POST,/_db/<*>/_api/cursor,HTTP/<*>" root 2xx <*> <*> <*>'
    assert failed == '<*> "POST,/_db/<*>/_api/cursor,HTTP/<*>" bob 5xx <*> <*> <*>'
    assert document == '<*> "GET,/_db/<*>/_api/document/<*>,HTTP/<*>" root 4xx <*> <*> <*>'
    assert admin == '<*> "GET,/_admin/<*>,HTTP/<*>" 2xx <*> <*> <*>'
    assert login == "Authentication failed for user '<*>' from <*>"
    assert slow == "slow query: <*>, bind vars: <*>, database: shop, user: <*>, took: <*> s"
    assert path == "path <*>"


def test_a_number_with_thousands_separators_is_one_value(masked_alike):
    """QA Druid: `memory [1,073,741,824]` was a `<*>` per comma group, so a broker started
    with a smaller heap, `[536,870,912]`, was a new event."""
    big, small = masked_alike([
        "Starting up with processors [8], memory [1,073,741,824], maxMemory [2,147,483,648].",
        "Starting up with processors [8], memory [536,870,912], maxMemory [2,147,483,648].",
    ])  # fmt: skip
    assert big == small == "Starting up with processors [<*>], memory [<*>], maxMemory [<*>]."


def test_a_commands_class_is_the_event(log_parsed):
    """QA oVirt: `FINISH, CreateVDSCommand, return: ...` and six other commands' were one
    `FINISH, <*>` event, a command in another's place a known event."""
    commands = ["CreateVDSCommand", "DestroyVDSCommand", "IsVmDuringInitiatingVDSCommand",
                "GetStatsAsyncVDSCommand", "SetVmStatusVDSCommand"]  # fmt: skip
    lines = [
        f"2026-12-05 10:00:{i:02d},123+01 INFO  [org.ovirt.engine.core.vdsbroker.X] (default "
        f"task-{i}) [3f2a1b4c] FINISH, {commands[i % 5]}, return: Down, log id: {i:08x}"
        for i in range(40)
    ]
    events, _ = log_parsed(lines, "iso")
    templates = events["template"]
    assert len(set(templates)) == 5 and "FINISH, DestroyVDSCommand," in templates[1]


def test_a_php_class_by_its_namespace_is_the_event(log_parsed):
    """QA Moodle: every `Execute adhoc task: core\\task\\...` was one event, an ad hoc task the
    site never ran a known one."""
    tasks = [
        "core\\task\\send_new_user_passwords_task", "mod_forum\\task\\send_user_digests",
        "core_course\\task\\course_delete_modules", "tool_dataprivacy\\task\\process_task",
    ]  # fmt: skip
    lines = [f"Execute adhoc task: {tasks[i % 4]}" for i in range(40)]
    events, _ = log_parsed(lines, "raw")
    assert len(set(events["template"])) == 4 and events["template"][1].endswith(tasks[1])


def test_gins_request_lines_are_request_lines(auto_parsed):
    """QA Gin: no built-in format read `[GIN] 2026/12/05 - 10:00:00 | 200 | ...`; its columns
    made every endpoint and status one event; `5.678µs` kept its unit beside a masked `1.2ms`."""
    events = auto_parsed([
        '[GIN] 2026/12/05 - 10:00:00 | 200 |    1.234567ms |      10.0.0.42 | GET      '
        '"/api/orders/4711"',
        '[GIN] 2026/12/05 - 10:00:02 | 404 |       5.678µs |    203.0.113.7 | GET      '
        '"/wp-login.php"',
        '[GIN] 2026/12/05 - 10:00:03 | 500 |  2.345678901s |      10.0.0.44 | POST     '
        '"/api/orders/4711/pay"',
    ], "gin")  # fmt: skip
    assert events["template"][:3] == [
        "GET /api/orders/<*> 2xx <*> <*>", "GET /wp-login.php 4xx <*> <*>",
        "POST /api/orders/<*>/pay 5xx <*> <*>",
    ]  # fmt: skip
    iso = ["2026-12-05 10:00:03,123 INFO orders: payment provider timeout"] * 3
    assert rank_formats(iso)[0].name == "iso"  # no dated line is Gin's without its tag
    assert str(events["timestamp"][2]) == "2026-12-05 10:00:03"


def test_oozies_context_and_command_classes(log_parsed):
    """QA Oozie: a workflow's kill was a template per `USER[...]` and `APP[...]`, and
    `ActionStartXCommand:520` and `ActionEndXCommand:517` lines of one message were one event
    (the class masked with its source line)."""
    head = "2026-12-06 09:00:{s:02d},529  INFO {cls} - SERVER[oozie01.example.com] "
    classes = ["ActionStartXCommand:520", "ActionEndXCommand:517"]
    users = [("etl", "daily-etl"), ("hive", "clickstream"), ("ds", "ml")]
    lines = [
        head.format(s=i, cls=classes[i % 2]) + f"USER[{users[i % 3][0]}] GROUP[-] TOKEN[] "
        f"APP[{users[i % 3][1]}] JOB[00006{i:02d}-261205080000000-oozie-oozi-W] "
        f"ACTION[00006{i:02d}-261205080000000-oozie-oozi-W@extract] "
        f"[***00006{i:02d}***]Action status=DONE"
        for i in range(24)
    ]
    events, _ = log_parsed(lines, "iso")
    templates = sorted(set(events["template"]))
    assert len(templates) == 2 and all("USER[<*>]" in t and "APP[<*>]" in t for t in templates)
    assert "INFO ActionEndXCommand:<*> -" in templates[0]


def test_nlogs_pipe_separated_lines_are_a_built_in_format(auto_parsed):
    """QA Sonarr: `auto` took `iso` for `2026-12-05 10:00:00.1|Info|RssSyncService|...`,
    which dated every line at midnight and kept the time, level and logger in the message."""
    events = auto_parsed([
        "2026-12-05 10:00:00.1|Info|RssSyncService|Starting RSS Sync",
        "2026-12-05 10:06:00.7|Warn|Torznab|Indexer Nyaa returned HTTP 429: Too Many Requests, "
        "backing off for 5 minutes",
        "2026-12-05 10:07:00.8|Error|QBittorrent|Unable to connect to qBittorrent",
    ], "nlog")  # fmt: skip
    assert str(events["timestamp"][1]) == "2026-12-05 10:06:00.700000"
    assert events["Level"][:3] == ["Info", "Warn", "Error"]
    assert events["Component"][2] == "QBittorrent" and events["template"][0] == "Starting RSS Sync"


def test_baculas_mount_points_and_transfer_rates_are_values(masked_alike):
    """QA Bacula: `/home is a different filesystem` kept its one-word path (as a command), a
    normal job with a new mount point a new event; `Transfer rate=1.2 M Bytes/second` was an
    event per unit."""
    proc, docker, mega, kilo, none = masked_alike([
        "     /proc is a different filesystem. Will not descend from / into it.",
        "     /var/lib/docker/overlay2 is a different filesystem. Will not descend from / into it.",
        "Elapsed time=00:12:03, Transfer rate=1.234 M Bytes/second",
        "Elapsed time=00:12:03, Transfer rate=12.3 K Bytes/second",
        "Elapsed time=00:00:03, Transfer rate=0  Bytes/second",
    ])  # fmt: skip
    assert proc == docker == "<*> is a different filesystem. Will not descend from / into it."
    assert mega == kilo == none == "Elapsed time=<*>:<*>:<*>, Transfer rate=<*> Bytes/second"


def test_calico_felix_logs_are_a_built_in_format_and_health_a_verdict(auto_parsed):
    """QA Calico: `iso` kept `[INFO][42]` first in the message and an ERROR line joined an INFO
    line's template; `live=false ready=false` was a healthy Felix's event."""
    events = auto_parsed([
        "2026-12-05 10:00:00.123 [INFO][42] felix/int_dataplane.go 1905: Applying dataplane "
        "updates",
        "2026-12-05 10:00:04.678 [INFO][42] felix/health.go 336: Overall health status "
        "changed: live=true ready=true",
        "2026-12-05 10:00:05.678 [INFO][42] felix/health.go 336: Overall health status "
        "changed: live=false ready=false",
        "2026-12-05 10:00:06.234 [ERROR][42] felix/route_table.go 567: Failed to access "
        "interface because it doesn't exist.",
    ], "calico")  # fmt: skip
    assert events["Level"][:4] == ["INFO", "INFO", "INFO", "ERROR"]
    assert events["Component"][3] == "felix/route_table.go"
    assert events["template"][1].endswith("live=true ready=true")
    assert events["template"][2].endswith("live=false ready=false")


def test_f5_message_ids_and_outage_lengths(masked_alike):
    """QA F5: `01070638:5:` (a pool member down) and `01070727:5:` (up) were one `<*>:<*>:`,
    and `was down for 0hr:5mins:3sec` kept its hours and minutes, a template per outage."""
    down, up = masked_alike([
        "01070638:5: Pool /Common/web_pool member /Common/10.0.0.12:80 monitor status down. "
        "[ /Common/http: down ]  [ was up for 3hrs:12mins:5sec ]",
        "01070727:5: Pool /Common/web_pool member /Common/10.0.0.11:80 monitor status up. "
        "[ /Common/http: up ]  [ was down for 0hr:5mins:3sec ]",
    ])  # fmt: skip
    assert down.startswith("01070638:<*>: Pool <*> member") and down.endswith("[ was up for <*> ]")
    assert up.startswith("01070727:<*>: Pool <*> member") and up.endswith("[ was down for <*> ]")


def test_qbittorrents_log_is_a_built_in_format(auto_parsed):
    """QA qBittorrent: `auto` read no format; a torrent's name and a login's user kept."""
    events = auto_parsed([
        '(N) 2026-12-05T10:05:00 - Added new torrent. Torrent: "ubuntu-24.04-live-server.iso"',
        "(W) 2026-12-05T10:30:00 - WebAPI login failure. Reason: invalid credentials, attempt "
        "count: 1, IP: ::ffff:10.0.0.42, username: admin",
        '(C) 2026-12-05T10:40:00 - File error alert. Torrent: "debian-12.iso". File: '
        '"/downloads/debian-12.iso". Reason: "file_open error: No space left on device"',
    ], "qbittorrent")  # fmt: skip
    assert events["Level"][:3] == ["N", "W", "C"]
    assert events["template"][0] == 'Added new torrent. Torrent: "<*>"'
    assert events["template"][1].endswith("username: <*>")
    assert events["template"][2].startswith('File error alert. Torrent: "<*>". File: "<*>".')


def test_a_dkim_signatures_selector_and_domain_are_values(masked_alike):
    """QA OpenDKIM: `DKIM-Signature field added (s=default, d=example.com)` kept its selector,
    so a routine key rotation (`s=mail2025`) flagged every outgoing message; a failed
    verification kept its signature's data (`b=3czc1iA2`)."""
    old, new, failed = masked_alike([
        "4F2A1B4C3D: DKIM-Signature field added (s=default, d=example.com)",
        "5F2A1B4C3D: DKIM-Signature field added (s=mail2025, d=example.org)",
        "0F1A2B3C4D: s=sel1 d=bank.example c=relaxed/relaxed a=rsa-sha256 b=3czc1iA2 signature "
        "verification failed (body hash mismatch)",
    ])  # fmt: skip
    assert old == new == "<*>: DKIM-Signature field added (s=<*>, d=<*>)"
    assert failed.startswith("<*>: s=<*> d=<*> c=relaxed/relaxed a=<*> b=<*> signature")


def test_kopias_snapshot_roots_and_macos_support_paths_are_values(masked_alike):
    """QA Kopia: a snapshot's root `k<32 hex>` kept, a template per snapshot; macOS's
    `.../Library/Application Support/kopia/...` split at its space, an event of its own."""
    created, mac, linux = masked_alike([
        "Created snapshot with root k5f2a1b4c3d2e1f0a9b8c7d6e5f4a3b2c and ID "
        "3f2a1b4c9d8e7f6a5b4c3d2e1f0a9b8c in 5m4s",
        "opening repository config /Users/alice/Library/Application Support/kopia/repo.config",
        "opening repository config /home/alice/.config/kopia/repository.config",
    ])  # fmt: skip
    assert created == "Created snapshot with root <*> and ID <*> in <*>"
    assert mac == linux == "opening repository config <*>"
