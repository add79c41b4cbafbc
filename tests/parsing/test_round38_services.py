"""QA round 38 (Prometheus, Unbound, Juniper SRX, F5 BIG-IP, CrowdSec, IIS): what each log's
first run got wrong, as a new user met it."""

from __future__ import annotations

import pyarrow.parquet as pq

from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files

_HTTPERR = [
    "#Software: Microsoft HTTP API 2.0",
    "#Version: 1.0",
    "#Date: 2026-12-01 08:00:00",
    "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri streamid sc-status "
    "s-siteid s-reason s-queuename",
    "2026-12-01 08:10:54 92.81.72.159 61874 10.0.0.12 443 HTTP/1.1 GET /api/v1/orders/5985861 - "
    "- 2 Request_Cancelled ContosoApiPool",
    "2026-12-03 11:20:24 85.225.46.167 49156 10.0.0.12 443 HTTP/1.1 GET /api/v1/orders/5985868 - "
    "- 2 Connection_Abandoned_By_AppPool ContosoApiPool",
    "2026-12-03 11:21:13 92.101.86.174 59286 10.0.0.12 443 HTTP/1.1 POST /api/v1/auth/token - "
    "503 2 QueueFull ContosoApiPool",
]


def test_httperr_records_keep_why_http_sys_answered(tmp_path):
    """QA IIS: HTTPERR's `s-reason` and app pool queue were dropped: an app pool's crash
    (`Connection_Abandoned_By_AppPool`) was a client's cancel, `QueueFull` an `AppOffline`."""
    log = tmp_path / "httperr1.log"
    log.write_text("\r\n".join(_HTTPERR) + "\r\n")
    parse_files([str(log)], resolve_format("iis"), tmp_path / "e.parquet")
    cancel, crash, full = pq.read_table(tmp_path / "e.parquet").column("template").to_pylist()
    assert cancel.endswith("Request_Cancelled queue=<*>") and crash != cancel
    assert crash.endswith("Connection_Abandoned_By_AppPool queue=<*>")
    assert full == "POST /api/v1/auth/token 5xx QueueFull queue=<*>"


def test_iis_substatus_and_win32_status_stay_events(masked_alike):
    """QA IIS: `401 1 1326` (a wrong password) was the NTLM handshake's `401 1 2148074254`
    event: the substatus and Win32 status were masked, a brute force a normal logon."""
    wrong, handshake = masked_alike([
        "GET /hr/Default.aspx 401 substatus=1 win32-status=1326",
        "GET /hr/Default.aspx 401 substatus=1 win32-status=2148074254",
    ])  # fmt: skip
    assert wrong.endswith(" substatus=1 win32-status=1326") and handshake != wrong


def test_an_rfc5424_message_id_names_the_event(tmp_path):
    """QA Juniper SRX: in `brief` mode a tunnel going down and one coming up wrote the same
    structured data and no message: one template, the MSGID a header field only."""
    sd = '[junos@2636.1.1.1.2.26 vpn-name="to-branch2" remote-address="192.0.2.44"]'
    lines = [
        f"<28>1 2026-12-04T08:00:4{i}.049+01:00 srx1 kmd 1509 KMD_VPN_{state}_ALARM_USER {sd}"
        for i, state in enumerate(["DOWN", "UP", "DOWN"])
    ]
    log = tmp_path / "srx.log"
    log.write_text("\n".join(lines) + "\n")
    parse_files([str(log)], resolve_format("rfc5424"), tmp_path / "e.parquet")
    down, up, again = pq.read_table(tmp_path / "e.parquet").column("template").to_pylist()
    assert down == again != up and down.startswith("KMD_VPN_DOWN_ALARM_USER [junos@")


def test_unbound_logs_have_formats_and_a_dns_question_its_name_masked(auto_parsed, masked_alike):
    """QA Unbound: `nagios` kept `unbound[2817:0] info:` in every message, the ascii-time
    layout was read with the tag as the host; names queried a few times (SRV lookups) stayed
    in their templates, an ordinary new lookup a new event, and `<name. A IN>` lost its `<`."""
    epoch = auto_parsed([
        "[1764842308] unbound[2817:0] info: 10.0.0.61 _ldap._tcp.corp.example. SRV IN",
        "[1764842309] unbound[2817:1] reply: 10.0.0.61 _gc._tcp.corp.example. SRV IN NOERROR "
        "0.004120 0 187",
    ], "unbound")  # fmt: skip
    assert epoch["Thread"] == ["0", "1"] and epoch["Level"] == ["info", "reply"]
    assert epoch["template"][0] == "<*> <*>. SRV IN"
    ascii_time = auto_parsed([
        "Dec 04 08:00:00 unbound[2817:0] notice: init module 0: validator",
        "Dec 04 08:00:01 unbound[2817:0] info: 10.0.0.53 grafana.corp.example. AAAA IN",
    ], "unbound-ascii")  # fmt: skip
    assert ascii_time["Component"] == ["unbound"] * 2 and ascii_time["Pid"] == ["2817"] * 2
    (servfail,) = masked_alike(["SERVFAIL <lame.example-partner.net. A IN>: all servers failed"])
    assert servfail == "SERVFAIL <<*>. A IN>: all servers failed"


def test_go_durations_and_alert_names_are_values(masked_alike):
    """QA Prometheus: `duration=<*>µs` in training made a slower run's `duration=1.366ms` a new
    event; a critical alert's name and a scrape pool kept in their templates, a new rule's
    first normal notification a new event."""
    micro, milli, alert = masked_alike([
        "Maintenance done caller=silence.go:444 duration=366.223µs size=5171",
        "Maintenance done caller=silence.go:444 duration=1m2.366223s size=15171",
        'aggrGroup="{}:{alertname=\\"KubeAPIDown\\"}" msg="Notify success" scrape_pool=kubelet',
    ])  # fmt: skip
    assert micro == milli == "Maintenance done caller=silence.go:<*> duration=<*> size=<*>"
    assert "alertname=<*>" in alert and alert.endswith("scrape_pool=<*>")


def test_logfmt_values_may_hold_spaces_and_take_no_joined_lines(tmp_path):
    """QA Prometheus: `component="scrape manager"` was warned of as a header field the format
    lacks (logfmt has no format string to add it to), and the join advice for a Go panic's
    lines would have glued the whole log into one line."""
    from logbert.parsing.summary import join_continuations

    lines = [
        f'ts=2026-12-04T00:10:4{i}.212Z caller=scrape.go:1741 level=warn component="scrape '
        f'manager" msg="Error on ingesting out-of-order samples" num_dropped={i}'
        for i in range(4)
    ] + ["panic: runtime error: invalid memory address", "goroutine 312 [running]:"]
    log = tmp_path / "prometheus.log"
    log.write_text("\n".join(lines) + "\n")
    summary = parse_files([str(log)], resolve_format("logfmt"), tmp_path / "e.parquet")
    assert not [w for w in summary.warnings if "several words" in w]
    advice = join_continuations(lines)
    assert "awk" not in advice and "logfmt records" in advice
