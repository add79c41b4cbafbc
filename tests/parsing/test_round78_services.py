"""QA rounds 78 (Geth, Monero, cloud-init, Rundeck, coturn), 79 (Vitess, Zulip, Ignite, Netdata,
Tekton), 80 (Uptime Kuma, Headscale, ocserv, PeerTube, Seafile), 81 (Packer, Keepalived,
OpenSMTPD, Rocket.Chat, NGINX Unit), 82 (ProFTPD, Icecast, rsync, apcupsd): what each log's first
run got wrong, as a new user met it."""

from __future__ import annotations

from logbert.parsing.auto import rank_formats


def test_a_listed_names_value_leaves_the_bracket_that_closes_the_list(masked_alike):
    """QA Rundeck: `(project: ops, user: rundeck)` lost its `)` with the user's name, so the
    template read `(project: ops, user: <*>` and the bracket went into the parameter."""
    assert masked_alike(
        [
            "Execution 4000 started for job 'Nightly cleanup' (project: ops, user: rundeck)",
            "[clientid: a1, user: bob]",
            "clientid: sensor-0405, msg: hello, topic: factory/line3/cmd",
        ]
    ) == [
        "Execution <*> started for job <*> (project: ops, user: <*>)",
        "[clientid: <*>, user: <*>]",
        "clientid: <*>, msg: hello, topic: <*>",
    ]


GETH_LINES = [
    "INFO [12-05|10:00:00.456] Maximum peer count                       ETH=50 total=50",
    "INFO [12-05|10:04:00.000] Looking for peers                        peercount=12 tried=87 "
    "static=0",
    "WARN [12-05|10:05:00.000] Served eth_getBlockByNumber              conn=127.0.0.1:51234 "
    'reqid=17 duration=5.123s err="request timed out"',
    "ERROR[12-05|11:12:01.523] Invalid block import                     number=21,350,499 "
    'err="invalid merkle root"',
]


def test_geths_lines_are_read_with_their_level_in_the_event_and_no_year(auto_parsed):
    """QA geth: `auto` read no format, and the natural format string `<Level> \\[...` rejected
    every `ERROR[` line (no space after a five-letter level), the log's errors left out."""
    events = auto_parsed(GETH_LINES, "geth")
    assert events["Level"][:4] == ["INFO", "INFO", "WARN", "ERROR"]
    assert events["template"][3] == (
        'ERROR Invalid block import number=<*> err="invalid merkle root"'
    )
    assert events["template"][0] == "INFO Maximum peer count ETH=<*> total=<*>"
    assert events["timestamp"][3].strftime("%m-%d %H:%M:%S.%f") == "12-05 11:12:01.523000"


MONERO_LINES = [
    "2026-12-05 02:10:01.100\t[P2P7]\tWARNING\tnet.p2p\tsrc/p2p/net_node.inl:1234\t"
    "[198.51.100.23:18080 OUT] Failed to connect to peer, closing connection",
    "2026-12-05 02:10:02.200\t[P2P4]\tERROR\tnet.p2p\tsrc/p2p/net_node.inl:1234\t"
    "[198.51.100.23:18080 OUT] Failed to connect to peer, closing connection",
    "2026-12-05 10:00:05.321\t[P2P2]\tINFO\tnet.dns\tsrc/common/dns_utils.cpp:549\t"
    "DNSSEC not available for hostname: updates.moneropulse.org, skipping.",
    "2026-12-05 10:00:14.641\t[P2P7]\tINFO\tnet.dns\tsrc/common/dns_utils.cpp:549\t"
    "DNSSEC not available for hostname: updates.moneropulse.org, skipping.",
]


def test_monero_s_thread_is_a_field_and_its_level_stays_in_the_event(auto_parsed):
    """QA Monero: `iso` kept the P2P thread in the event (one message an event per thread that
    wrote it), and `airlift`, its runner-up, read the thread as the level (a warning and an
    error of one text one event, unsaid)."""
    events = auto_parsed(MONERO_LINES, "monero")
    assert events["ThreadName"] == ["P2P7", "P2P4", "P2P2", "P2P7"]
    assert events["template"][0].startswith("WARNING net.p2p [<*>:<*> OUT] Failed to connect")
    assert events["template"][1].startswith("ERROR net.p2p")
    assert events["template"][2] == events["template"][3]


def test_a_logging_librarys_level_field_holds_a_level_word(tmp_path):
    """QA Monero and coturn: `airlift` and `certbot` were picked for lines whose level they
    read as a thread's name (`[P2P7]`) or a blank (`2026-12-05 10:00:00: : WARNING: ...`)."""
    assert rank_formats(MONERO_LINES * 3, names=("airlift",))[0].dated == 0
    coturn = [
        "2026-12-05 10:00:00: : log file opened: /var/log/turnserver_2026-12-05.log",
        "2026-12-05 10:00:00: : WARNING: cannot find certificate file: cert.pem (1)",
        "2026-12-05 10:00:00: : ERROR: cannot find certificate file: cert.pem (1)",
    ]
    assert rank_formats(coturn * 3)[0].name != "certbot"
    assert rank_formats(coturn * 3, names=("certbot",))[0].dated == 0


IGNITE_LINES = [
    "[2026-12-06T09:35:08,100][WARN ][tcp-disco-msg-worker-[crd]-#2][TcpDiscoverySpi] Failed to "
    "send message to next node [msg=X, next=Y]",
    "[2026-12-06T09:35:08,200][ERROR][tcp-disco-msg-worker-[crd]-#2][TcpDiscoverySpi] Failed to "
    "send message to next node [msg=X, next=Y]",
    "[2026-12-06T09:35:09,100][WARN ][sys-stripe-3-#4][GridDhtAtomicCache] Failed to update "
    "cache entry [key=42]",
    "[2026-12-06T09:35:11,100][WARN ][sys-stripe-5-#6][GridDhtAtomicCache] Failed to update "
    "cache entry [key=44]",
]


def test_ignite_s_level_and_logger_lead_the_event_and_its_thread_is_a_field(auto_parsed):
    """QA Ignite: `iso` read `[WARN ][sys-stripe-3-#4][GridDhtAtomicCache]` as one word, a
    variable, so a warning and an error of one text were one event; a format string rejected
    the padded level beside a thread named with brackets."""
    events = auto_parsed(IGNITE_LINES, "ignite")
    assert events["ThreadName"][:3] == ["tcp-disco-msg-worker-[crd]-#2"] * 2 + ["sys-stripe-3-#4"]
    assert events["template"][0].startswith("WARN TcpDiscoverySpi Failed to send message")
    assert events["template"][1].startswith("ERROR TcpDiscoverySpi Failed to send message")
    assert events["template"][2] == events["template"][3]


def test_a_dotted_alarm_name_ending_in_a_failure_word_is_a_variable(log_parsed):
    """QA Netdata: `net.eth0.1m_received_traffic_overflow` counted as an outcome (`overflow`),
    so its notifications were events apart while every other alarm's were one."""
    names = ["disk_space._.disk_space_usage", "system.cpu.10min_cpu_usage",
             "system.ram.ram_in_use", "net.eth0.1m_received_traffic_overflow"] * 6  # fmt: skip
    lines = [
        f"2026-12-04 01:{i:02d}:02: alarm-notify.sh: INFO: sent email notification for: web01 "
        f"{name} is WARNING to 'sysadmin@example.com'" for i, name in enumerate(names)
    ]  # fmt: skip
    events, _ = log_parsed(lines, "iso")
    assert len(set(events["template"])) == 1
    assert "for: web01 <*> is WARNING" in events["template"][0]


def test_a_name_kubernetes_generated_from_a_prefix_is_a_variable(masked_alike):
    """QA Tekton: a PipelineRun's `build-app-run-x7k2p` and its TaskRuns'
    `build-app-run-x7k2p-fetch-source` kept their random part, a template per run."""
    assert masked_alike(
        [
            'failed to create task run pod "deploy-run-x7k2p-deploy": pods '
            '"deploy-run-x7k2p-deploy-pod" is forbidden',
            "reconciled taskrun release-notes-run-2pcn9-generate/staging",
            "team-payments uses sha-abc and run-report",
        ]
    ) == [
        'failed to create task run pod "deploy-run-<*>-deploy": pods "deploy-run-<*>-deploy-pod" '
        "is forbidden",
        "reconciled taskrun release-notes-run-<*>-generate/staging",
        "team-payments uses sha-abc and run-report",
    ]


def test_a_request_lines_status_after_its_method_is_kept_and_its_query_count_masked(
    masked_alike,
):
    """QA Zulip: `POST    429   2ms /json/fetch_api_key` was a 200's event, and `(db:
    10ms/12q)` a template per number of queries."""
    assert masked_alike(
        [
            "10.0.0.6        POST    200  35ms (db: 10ms/12q) /json/messages (c@x.org via web)",
            "10.0.0.7        POST    429   2ms /json/fetch_api_key (e@x.org via web)",
            "GET 100 items in 5 ms",
        ]
    ) == [
        "<*> POST 2xx <*> (db: <*>/<*>) <*> (<*> via web)",
        "<*> POST 4xx <*> <*> (<*> via web)",
        "GET <*> items in <*> ms",
    ]


def test_a_services_running_or_serving_state_keeps_its_boolean(masked_alike):
    """QA Vitess: `Replication is running: false` and `(serving: false)` were a running
    replica's events (booleans masked), seven such lines in a window unflagged."""
    assert masked_alike(
        [
            "Replication is running: false, IO: false, SQL: true",
            "keyspace commerce is now consistent (serving: false)",
            "config debug=true cache=false",
        ]
    ) == [
        "Replication is running: false, IO: <*>, SQL: <*>",
        "keyspace commerce is now consistent (serving: false)",
        "config debug=<*> cache=<*>",
    ]


def test_glogs_file_header_is_the_writers_own_lines_not_rejects(log_parsed):
    """QA Vitess: the five header lines glog writes atop each file were rejects, "lines that
    do not fit" the format."""
    events, summary = log_parsed(
        [
            "Log file created at: 2026/12/05 08:00:00",
            "Running on machine: vttablet-101",
            "Binary: Built with gc go1.21.5 for linux/amd64",
            "Previous log: <none>",
            "Log line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg",
            "I1205 10:00:10.567890   28533 replication.go:88] Replication is running: true",
        ],
        "klog",
        year=2026,
    )
    assert summary.rejected == 0 and len(events["template"]) == 1


def test_a_process_context_naming_its_account_is_a_variable(masked_alike):
    """QA ocserv: `worker[walter]: ...` kept the user, a template per user for each message,
    and a new employee's ordinary login scored above a brute force."""
    assert masked_alike(
        [
            "worker[walter]: 85.214.132.201 worker-vpn.c:1503: sending IPv4 10.10.0.12",
            "main[alice]:203.0.113.5:51234 user logged in",
            "smbd status[NT_STATUS_ACCESS_DENIED]: x",
        ]
    ) == [
        "worker[<*>]: <*> worker-vpn.c:<*>: sending IPv4 <*>",
        "main[<*>]:<*>:<*> user logged in",
        "smbd status[NT_STATUS_ACCESS_DENIED]: x",
    ]


def test_a_named_built_in_format_whose_level_holds_no_level_word_is_warned_of(log_parsed):
    """QA Uptime Kuma: `--format hclog` read `[MONITOR] WARN: ...` with the module as every
    line's level, exit 0 and no word said (`auto` picks `iso` for them)."""
    _, summary = log_parsed(
        [
            "2026-12-05T10:00:00+01:00 [SERVER] INFO: Welcome to Uptime Kuma",
            "2026-12-05T10:06:00+01:00 [AUTH] WARN: Incorrect username or password for user x",
        ],
        "hclog",
    )
    (warning,) = [w for w in summary.warnings if "holds no level word" in w]
    assert "format hclog: <Level> holds no level word on 2 of 2 events" in warning
    assert "'SERVER'" in warning and "--format auto" in warning
    hclog = "2026-12-04T10:21:11.123Z [INFO]  agent: Requesting shutdown"
    _, summary = log_parsed([hclog], "hclog")
    assert not [w for w in summary.warnings if "level word" in w]


def test_the_join_advice_fits_the_records_of_the_file_whose_lines_were_rejected(tmp_path):
    """QA Seafile: seafile.log's `[2026-12-05 10:00:00]` records set the advice's pattern for
    seahub.log's rejects, whose records start with a bare date: the join made it one line."""
    from logbert.parsing.formats import resolve_format
    from logbert.parsing.pipeline import parse_files

    seafile = tmp_path / "seafile.log"
    seafile.write_text("".join(
        f"2026-12-05 10:{i // 60:02d}:{i % 60:02d},000 [INFO] seafile-session.c(86): started\n"
        for i in range(300)
    ))  # fmt: skip
    seahub = tmp_path / "seahub.log"
    seahub.write_text(
        "[2026-12-05 10:00:05,123] [ERROR] seahub.utils:567 send email failed\n"
        "Traceback (most recent call last):\n"
        '  File "/opt/seafile/seahub/utils.py", line 567, in send\n'
        "ConnectionRefusedError: [Errno 111] Connection refused\n"
        + "[2026-12-05 10:00:06,234] [INFO] seahub.auth.views:90 login ok\n" * 40
    )  # (few rejects: no warning of its own for the file, the run's summary advises)
    summary = parse_files([str(seafile), str(seahub)], resolve_format("iso"), tmp_path / "e.pq")
    advice = " ".join(summary.warnings) + summary.join_hint
    assert "awk '/^\\[[0-9]+-[0-9]+-[0-9]+/ {" in advice, advice


def test_tornados_level_is_its_letter_not_a_bracketed_host(tmp_path):
    """QA PeerTube: its console lines, `[peertube.example.com:443] 2026-12-05 00:00:07.351
    info: ...`, were read by `tornado` with the host as the level and the message as the
    logger, chosen by `auto`, and 56% of the events one template `}` (exit 0)."""
    lines = [
        '[peertube.example.com:443] 2026-12-05 00:00:07.351 info: Processing broadcast in job '
        '4000. { "tags": [ "ap" ] }',
        "[peertube.example.com:443] 2026-12-05 00:00:07.398 debug: Job 4000 completed.",
    ]
    assert rank_formats(lines * 3, names=("tornado",))[0].split == 0
    jupyter = "[I 2026-12-03 06:00:00.123 JupyterHub app:2859] Using Authenticator"
    assert rank_formats([jupyter] * 3, names=("tornado",))[0].dated == 3


def test_nginx_units_lines_are_nginx_errors_without_the_colon(auto_parsed):
    """QA NGINX Unit: `830#836 *12 recv(...) failed (104: Connection reset by peer)` has no
    colon after the thread; `nginx-error` took the message's own `: ` for it, the thread
    `836 *12 recv(... (104` and the event `Connection reset by peer)`, exit 0."""
    events = auto_parsed(
        [
            "2026/12/05 10:06:00 [error] 830#836 *12 recv(42, 00007F3A2C001E40, 2048, 0) failed "
            "(104: Connection reset by peer)",
            '2026/12/05 10:07:00 [info] 812#812 "shop" application processes: 4 running, 0 idle',
            "2026/12/03 04:43:38 [error] 21483#21483: *454284 upstream timed out (110: "
            "Connection timed out) while reading",
        ],
        "nginx-error",
    )
    assert events["Tid"][:3] == ["836", "812", "21483"]
    assert events["Cid"][:3] == ["12", "", "454284"]
    assert events["template"][0] == (
        "recv(<*>, <*>, <*>, <*>) failed (<*>: Connection reset by peer)"
    )


def test_a_git_describe_versions_commit_is_a_value(masked_alike):
    """QA Keepalived: `git commit v2.2.8-1-g8f3c2a1` kept its commit, so an upgrade's start-up
    lines were new events (scored 27.9) while other versions' numbers are values."""
    first, second = masked_alike(
        [
            "Starting Keepalived v2.2.8 (04/04,2023), git commit v2.2.8-1-g8f3c2a1",
            "Starting Keepalived v2.2.7 (01/02,2023), git commit v2.2.7-3-g1b2c3d4",
        ]
    )
    assert first == second and "g8f3c2a1" not in first


def test_a_format_strings_level_holding_words_that_name_no_level_is_warned_of(log_parsed):
    """QA Packer: `<Date> <Time> <Level> <Content>` on lines that write no level read `ui:`,
    `Force` and a plugin's name as levels, each line's first word left out of its event
    (`Force build: false` the event `build: <*>`), exit 0 and no word said."""
    lines = [
        "2026/12/05 10:00:00 [INFO] Packer version: 1.11.2 [go1.22.5 linux amd64]",
        "2026/12/05 10:00:01 Build debug mode: false",
        "2026/12/05 10:00:01 Force build: false",
        "2026/12/05 10:00:03 ui: ==> amazon-ebs.ubuntu: Prevalidating VPC information",
    ]
    _, summary = log_parsed(lines, "<Date> <Time> <Level> <Content>")
    (warning,) = [w for w in summary.warnings if "names no level" in w]
    assert "on 3 of 4 events (the first, parsed.log:2: 'Build')" in warning
    levelled = [f"2026/12/05 10:00:0{i} {lvl} started" for i, lvl in enumerate(
        ["INFO", "W", "[error]", "<6>", "Notice:"]
    )]  # fmt: skip
    _, summary = log_parsed(levelled, "<Date> <Time> <Level> <Content>")
    assert not [w for w in summary.warnings if "names no level" in w]


def test_a_utc_offset_left_out_of_a_format_string_is_warned_of(log_parsed):
    """QA apcupsd: `<Date> <Time> <Content>` on `2026-12-05 10:00:00 +0100  Power failure.`
    read every time as UTC, an hour off (two at summer time), with the offset a word of each
    event, exit 0; with a `<Zone>` field it is applied."""
    lines = [
        "2026-12-05 10:00:00 +0100  apcupsd 3.14.14 (31 May 2016) debian startup succeeded",
        "2026-12-05 10:05:00 +0100  Power failure.",
    ]
    _, summary = log_parsed(lines, "<Date> <Time> <Content>")
    (warning,) = [w for w in summary.warnings if "starts with a UTC offset" in w]
    assert "2 of 2 events" in warning and "'+0100'" in warning
    events, summary = log_parsed(lines, "<Date> <Time> <Zone> <Content>")
    assert not [w for w in summary.warnings if "starts with a UTC offset" in w]
    assert events["timestamp"][1].strftime("%H:%M") == "09:05"


def test_the_hour_an_autumn_night_repeats_is_read_in_line_order(log_parsed):
    """QA ProFTPD, Icecast: with `--timezone Europe/Berlin` the second pass of 02:00-03:00 on
    the night clocks go back was given summer time, an hour early (a session's end before
    its start), and the warning blamed unsorted logs."""
    times = ["01:50", "02:10", "02:55", "02:05", "02:30", "02:59", "03:10"]
    lines = [f"2026-10-25 {t}:00 INFO app: tick" for t in times]
    events, summary = log_parsed(lines, "iso", timezone="Europe/Berlin")
    utc = [t.strftime("%H:%M") for t in events["timestamp"]]
    assert utc == ["23:50", "00:10", "00:55", "01:05", "01:30", "01:59", "02:10"]
    assert not [w for w in summary.warnings if "step back" in w]


def test_times_in_the_hour_a_spring_night_skips_are_a_warning_naming_the_fixed_offset(log_parsed):
    """A clock that follows Europe/Berlin never writes 02:30 on the night its clocks go
    forward: such times were read silently (an hour off from then on, where the server
    keeps standard time all year)."""
    times = ["01:50", "02:10", "02:30", "02:55", "03:05"]
    lines = [f"2026-03-29 {t}:00 INFO app: tick" for t in times]
    _, summary = log_parsed(lines, "iso", timezone="Europe/Berlin")
    (warning,) = [w for w in summary.warnings if "skips when its clocks go forward" in w]
    assert "3 local times (e.g. '2026-03-29 02:10:00')" in warning
    assert "Europe/Berlin" in warning and "--timezone +01:00" in warning
    zoned = [f"2026-03-08 {t}:00 America/New_York INFO app: tick" for t in times]
    _, summary = log_parsed(zoned, "<Date> <Time> <Zone> <Level> <Content>")
    (warning,) = [w for w in summary.warnings if "skips when its clocks go forward" in w]
    assert "America/New_York" in warning and "--timezone -05:00" in warning
    _, summary = log_parsed(lines, "iso", timezone="America/New_York")  # no gap that day
    assert not [w for w in summary.warnings if "skips" in w]


def test_icecasts_eror_is_an_error_level():
    """QA Icecast: its four-letter `EROR` was no error, so an INFO message logged at EROR
    passed unsaid."""
    from logbert.parsing.levels import severity

    assert severity("eror") == "error"
