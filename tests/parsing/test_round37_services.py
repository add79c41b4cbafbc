"""QA round 37 (Consul, nginx, Windows events, Tomcat, dockerd, Nextcloud): what each log's
first run got wrong, as a new user met it."""

from __future__ import annotations

from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files

_LOGON = (
    "An account failed to log on.\r\n\r\nAccount For Which Logon Failed:\r\n\tSecurity ID:\t\t"
    "S-1-0-0\r\n\tAccount Name:\t\t{user}\r\nNetwork Information:\r\n\tWorkstation Name:\t{ws}"
)


def test_a_powershell_windows_event_is_read_by_its_own_names(json_parsed):
    """QA Windows: `Get-WinEvent | Export-Csv` converted to JSON lines: `TimeCreated` dated no
    line (and `--timestamp-format` for it read nothing, unsaid), `Id=<*>` made a failed logon
    (4625) a successful one's (4624) event, and the account under `Account Name:` made a
    template per user."""
    logons = [("4625", "ivan.p"), ("4624", "dave.r"), ("4625", "carol.j")]
    records = [
        {"TimeCreated": f"11/18/2025 1:5{i}:39 PM", "Id": event_id,
         "LevelDisplayName": "Information", "ProviderName": "Microsoft-Windows-Security-Auditing",
         "MachineName": "WEB01", "Message": _LOGON.format(user=user, ws=f"WS0{i}")}
        for i, (event_id, user) in enumerate(logons)
    ]  # fmt: skip
    events, _ = json_parsed(records, timestamp_format="%m/%d/%Y %I:%M:%S %p")
    assert [t.hour for t in events["timestamp"]] == [13, 13, 13]
    assert events["Level"] == ["Information"] * 3
    assert events["Component"] == ["Microsoft-Windows-Security-Auditing"] * 3
    first, success, third = events["template"]
    assert first == third != success and "EventID=4625" in first and "EventID=4624" in success
    assert "Account Name: <*>" in first and "Workstation Name: <*>" in first


def test_a_time_key_named_first_dates_json_lines(json_parsed):
    """QA Windows: `TimeGenerated` (Get-EventLog, Sentinel) and `time_created` held ISO times
    and dated no line."""
    for key in ("TimeGenerated", "time_created"):
        records = [{key: f"2025-11-18T06:0{i}:21Z", "msg": "started"} for i in range(3)]
        events, _ = json_parsed(records)
        assert [t.minute for t in events["timestamp"]] == [0, 1, 2], key


def test_a_timestamp_format_that_read_no_json_key_is_said(json_parsed):
    records = [{"when": "11/18/2025 1:58:39 PM", "msg": "started"}] * 2
    _, summary = json_parsed(records, timestamp_format="%m/%d/%Y %I:%M:%S %p")
    (warning,) = [w for w in summary.warnings if "no line has a time key" in w]
    assert warning.endswith("--timestamp-format '%m/%d/%Y %I:%M:%S %p' reads the value of such a "
                            "key only: name the time's key `time`")  # fmt: skip


def test_a_windows_privilege_list_is_one_value(masked_alike):
    """QA Windows: 4672's privileges made a template per length of the list."""
    short, long = masked_alike([
        "Special privileges assigned to new logon. Privileges:\t\tSeSecurityPrivilege",
        "Special privileges assigned to new logon. Privileges:\t\tSeSecurityPrivilege\r\n\t\t\t"
        "SeBackupPrivilege\r\n\t\t\tSeDebugPrivilege",
    ])  # fmt: skip
    assert short == long == "Special privileges assigned to new logon. Privileges: <*>"


def test_hclog_nginx_and_tomcat_logs_have_formats_of_their_own(auto_parsed):
    """QA Consul: `iso` kept `[INFO]` in the message and made two-word messages of one logger
    one event; QA nginx: `iso` kept the level, process and connection in every message; QA
    Tomcat: `auto` chose `bind` by its date and kept the thread in the message."""
    consul = auto_parsed([
        "2026-12-03T05:38:17.135Z [INFO]  agent: Caught: signal=terminated",
        "2026-12-03T05:38:18.345Z [INFO]  agent: Requesting shutdown",
        "2026-12-03T05:38:18.395+0100 [INFO]  agent: shutdown complete",
    ], "hclog")  # fmt: skip
    assert consul["Level"] == ["INFO"] * 3 and len(set(consul["template"])) == 3
    nginx = auto_parsed([
        "2026/12/03 04:43:38 [warn] 21483#21483: *454284 upstream server temporarily disabled "
        'while connecting to upstream, client: 192.168.18.92, server: shop.example.com, request: '
        '"POST /api/checkout HTTP/2.0", upstream: "http://10.0.1.9:8080/api/checkout", host: '
        '"shop.example.com", referrer: "https://shop.example.com/cart"',
        "2026/12/03 04:43:39 [notice] 21450#21450: signal process started",
    ], "nginx-error")  # fmt: skip
    assert nginx["Cid"][0] == "454284"
    assert nginx["Level"] == ["warn", "notice"] and nginx["Pid"] == ["21483", "21450"]
    context = 'request: "POST <*> HTTP/<*>", upstream: "<*>", host: "<*>"'
    assert nginx["template"][0].endswith(context)
    tomcat = auto_parsed([
        "04-Dec-2026 10:21:11.123 INFO [http-nio-8080-exec-7] org.apache.catalina.core."
        "StandardContext.reload Reloading Context with name [/shop] has started",
        "04-Dec-2026 10:21:12.123 INFO [main] com.zaxxer.hikari.pool.HikariPool.checkFailFast "
        "HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@bec654f",
    ], "tomcat")  # fmt: skip
    assert tomcat["ThreadName"] == ["http-nio-8080-exec-7", "main"]
    assert tomcat["template"][1].endswith("Added connection org.postgresql.jdbc.PgConnection@<*>")


def test_a_java_identity_hash_is_masked_alike_whatever_it_starts_with(masked_alike):
    """QA Tomcat: `PgConnection@bec654f` was masked whole, `PgConnection@58cf37e` kept its
    class: two templates of one event, and a normal line "unseen" when scored."""
    letter, digit = masked_alike([
        "Added connection org.postgresql.jdbc.PgConnection@bec654f",
        "Added connection org.postgresql.jdbc.PgConnection@58cf37e",
    ])  # fmt: skip
    assert letter == digit == "Added connection org.postgresql.jdbc.PgConnection@<*>"


def test_a_quoted_name_before_a_colon_in_prose_is_no_json_field(masked_alike):
    """QA nginx: `user "guest": password mismatch` read as JSON's `"guest": value` (a VM's
    field), so `password` was masked for the users named guest and user: a template of their
    own, a normal failed login of either a new event."""
    guest, alice, fields = masked_alike([
        'user "guest": password mismatch, client: 45.132.191.1',
        'user "alice": password mismatch, client: 45.132.191.1',
        '{"user": "bob", "guest": "vm7", "pod": 12}',
    ])  # fmt: skip
    assert "password mismatch" in guest and "password mismatch" in alice
    assert fields == '{"user": <*>, "guest": <*>, "pod": <*>}'


def test_hclog_json_and_nextcloud_fields_are_read_by_their_names(json_parsed):
    """QA Consul: hclog's JSON keys (`@message`, `@level`, `@module`) were not read, and a DNS
    line's `name=` argument was taken as the component, a template per name; QA Nextcloud:
    levels 0-4 were `level3`, the exception's `Trace` array made a template per call path,
    and every background job's PHP class was one `<*>`."""
    hclog = [
        {"@level": "debug", "@message": "request served from client", "@module": "agent.dns",
         "@timestamp": f"2026-12-04T10:01:2{i}.456000Z", "name": f"svc{i}.service.consul.",
         "type": "A"}
        for i in range(3)
    ]  # fmt: skip
    events, _ = json_parsed(hclog)
    assert events["Component"] == ["agent.dns"] * 3 and events["Level"] == ["debug"] * 3
    assert len(set(events["template"])) == 1
    frame = {"file": "/var/www/html/apps/dav/lib/Directory.php", "line": 248, "function": "get"}
    nextcloud = [
        {"reqId": f"r{i}", "level": 3, "time": f"2026-12-01T10:00:0{i}+01:00", "app": "webdav",
         "message": "File with name /a.odt could not be located",
         "exception": {"Exception": "Sabre\\DAV\\Exception\\NotFound", "Trace": [frame] * (i + 1)}}
        for i in range(2)
    ] + [
        {"reqId": f"c{i}", "level": 0, "time": "2026-12-01T10:00:09+01:00", "app": "cron",
         "message": f"Run OCA\\{job}\\BackgroundJob\\{job}Job job with ID {i}"}
        for i, job in enumerate(["Files", "Versions", "Files", "Versions"])
    ]  # fmt: skip
    events, _ = json_parsed(nextcloud)
    assert events["Level"][:3] == ["error", "error", "debug"]
    assert events["Component"][:3] == ["webdav", "webdav", "cron"]
    first, second, files, versions, files_again, _ = events["template"]
    assert first == second and "Trace" not in first and "NotFound" in first
    assert files == files_again != versions and "OCA\\Files\\BackgroundJob\\FilesJob" in files


def test_a_header_in_local_time_is_told_by_the_messages_own_times(tmp_path):
    """QA dockerd: a Berlin host's syslog header (local time, no zone, read as UTC) was an hour
    after each message's own `time="...Z"`; windows and labels were off by it, unsaid."""
    lines = [
        f'Dec  2 07:0{i}:57 node-7 dockerd[1187]: time="2026-12-02T06:0{i}:57.965782249Z" '
        f'level=debug msg="Calling GET /v1.43/containers/json"'
        for i in range(5)
    ]
    log = tmp_path / "docker.log"
    in_utc = [line.replace("Dec  2 07:", "Dec  2 06:") for line in lines]
    for written, said in ((in_utc, False), (lines, True)):
        log.write_text("\n".join(written) + "\n")
        fmt = resolve_format("linux", year=2026)
        summary = parse_files([str(log)], fmt, tmp_path / "e.parquet")
        told = [w for w in summary.warnings if "the header is in local time (UTC+01:00)" in w]
        assert bool(told) == said


def test_a_request_path_ends_at_the_quote_closing_its_message(masked_alike):
    """QA dockerd: `msg="Calling POST /v1.43/containers/<id>/start"` made every API call one
    `Calling POST <*>` event: the path ran to the quote, which no request line end allowed."""
    containers, images = masked_alike([
        'level=debug msg="Calling POST /v1.43/containers/f36d7eda4c/start"',
        'level=debug msg="Calling POST /v1.43/images/create?fromImage=grafana/grafana&tag=10.2.2"',
    ])  # fmt: skip
    assert containers.endswith('msg="Calling POST /v1.<*>/containers/<*>"')
    assert images.endswith('msg="Calling POST /v1.<*>/images/<*>"')
