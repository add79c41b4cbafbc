"""What blind QA round 102 (MaxScale, YugabyteDB, Rocket.Chat, Tyk) found in reading each log's
lines, and what they read as now."""

from __future__ import annotations

import json

import pytest

from logbert.errors import LogbertError
from logbert.parsing.auto import layout_of
from logbert.parsing.summary import join_continuations

# Tyk's gateway: logrus's text formatter with Go's time.Stamp, `Jan 02 15:04:05`, no year
TYK = [
    'time="Dec 05 06:00:0{i}" level=info msg="Tyk API Gateway 5.3.1" prefix=main',
    'time="Dec 05 06:00:0{i}" level=info msg="Starting Poller" prefix=host-check-mgr',
    'time="Dec 05 06:00:0{i}" level=warning msg="Key rate limit exceeded." api_id=b1a4 '
    "key=854c616b19abe66f mw=RateLimitAndQuotaCheck path=/orders/74009",
]


def test_auto_reads_logrus_lines_with_gos_stamp_time(log_parsed):
    """QA Tyk: `auto` refused every line ("no built-in format reads a timestamp"), pointing at a
    format string that cannot read key=value pairs; logfmt reads them given the layout."""
    lines = [line.format(i=i) for i in range(3) for line in TYK]
    events, summary = log_parsed(lines, "auto", year=2026)
    assert summary.notes[0].startswith("format auto: chose logfmt (9/9 lines with a timestamp")
    assert "with --timestamp-format '%b %d %H:%M:%S'" in summary.notes[0]
    assert events["timestamp"][0].isoformat() == "2026-12-05T06:00:00"
    assert events["Level"][2] == "warning"


def test_logfmt_given_such_lines_names_the_layout_to_pass(log_parsed):
    """QA Tyk: `--format logfmt` said only "pass --timestamp-format (e.g. '%Y-%m-%d ...')"."""
    with pytest.raises(LogbertError, match=r"pass --timestamp-format '%b %d %H:%M:%S', which"):
        log_parsed([line.format(i=1) for line in TYK], "logfmt", year=2026)


@pytest.mark.parametrize(
    ("value", "layout"),
    [
        ("Dec 05 06:00:00", "%b %d %H:%M:%S"),
        ("Feb 29 06:00:00.123", "%b %d %H:%M:%S.%f"),
        ("2026/12/05 06:00:00", "%Y/%m/%d %H:%M:%S"),
        ("05/12/2026 06:00:00", None),  # day and month: not guessed
    ],
)
def test_layout_of_a_time_value(value, layout):
    assert layout_of(value) == layout


def test_a_server_named_by_its_kind_and_a_number_is_masked(masked_alike):
    """QA MaxScale: `last reply from server1/2/3` a template each (and every monitor line kept
    its server), so after a switchover the new master's every reply was a new event."""
    for lines in (
        [f"Reply complete, last reply from server{i}" for i in (1, 2, 4)],
        [f"[mariadbmon] Demoting server 'server{i}'." for i in (1, 2)],
        [f"Switchover 'server{i}' -> 'server{i + 1}' performed." for i in (1, 2)],
        [f"Server changed state: node-{i}[10.0.1.{i}:3306]: master_up." for i in (1, 2)],
        [f"Lost connection to replica_{i} (replica_{i})" for i in (1, 12)],
    ):
        masked = masked_alike(lines)
        assert len(set(masked)) == 1 and "<*>" in masked[0], masked


def test_a_database_user_with_its_client_is_masked(masked_alike):
    """QA MaxScale: `client session [12] for 'app_orders' from <ip>` a template per user."""
    lines = [
        f"Started Read-Write-Service client session [{i}] for '{user}' from ::ffff:10.0.2.{i}"
        for i, user in enumerate(("app_orders", "reporting", "svc-inventory"))
    ]
    assert set(masked_alike(lines)) == {
        "Started Read-Write-Service client session [<*>] for '<*>' from <*>"
    }


GLOG_HEADER = [
    "Log file created at: 2026/12/05 20:00:00",
    "Running on machine: yb-master-2",
    "Application fingerprint: version 2.20.1.0 build 97 revision 1f8e0c5 build_type RELEASE "
    "built at 04 Jan 2024 18:06:01 UTC",
    "Running duration (h:mm:ss): 0:00:00",
    "Log line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg",
]


def test_glogs_whole_file_header_is_the_writers_own(log_parsed):
    """QA YugabyteDB: `Running duration` (glog 0.4) and `Application fingerprint` were
    rejects, two a file: a quiet node's file "22% do not fit", advised to read it raw."""
    line = "I1205 20:10:00.000000  1234 mem_tracker.cc:540] Root memory usage: 123456789 bytes"
    events, summary = log_parsed([*GLOG_HEADER, line, line], "klog", year=2026)
    assert (summary.rejected, summary.directives, len(events["template"])) == (0, 5, 2)


PEERS = ("3e408c17c1321d7ae16ba1454173b00b", "831148c04e710b0ea16a8fdc30c69e48")


def test_ids_listed_by_commas_are_one_value_of_any_count(masked_alike):
    """QA YugabyteDB: a vote requested from two peers and from one were two events (a replica
    down made a normal election new)."""
    head = "T 7cb25f3aa830a17e6225754fdedb61f3 P b518177337ddbf1d9bfca8ef0e5f89f7 [CANDIDATE]: "
    lines = [
        head + "Term 1 pre-election: Requested pre-vote from peers " + ", ".join(PEERS),
        head + "Term 1 pre-election: Requested pre-vote from peers " + PEERS[0],
        head + "Term 2 pre-election: Requested pre-vote from peers " + ", ".join(PEERS * 2),
    ]
    assert set(masked_alike(lines)) == {
        "T <*> P <*> [CANDIDATE]: Term <*> pre-election: Requested pre-vote from peers <*>"
    }


def test_a_name_given_with_its_id_is_masked(masked_alike):
    """QA YugabyteDB: a rare warning's `(table line_items [id=...])` kept the table, a
    template per table."""
    lines = [
        f"Tablet 101836e22aebf825e7a70c718ec3a2bb (table {name} [id={PEERS[0]}]) has no leader"
        for name in ("line_items", "sessions")
    ]
    assert set(masked_alike(lines)) == {"Tablet <*> (table <*> [id=<*>]) has no leader"}


def test_json_records_after_a_banner_are_told_they_take_no_lines():
    """QA Rocket.Chat: the startup box's border, the file's first line, became the record
    start of the awk join advised for its traces, and the join made a log one 2.4 MB line."""
    head = (
        ["+" + "-" * 50 + "+"]
        + [
            json.dumps({"level": 35, "time": f"2026-11-30T08:00:0{i}Z", "msg": "Method call"})
            for i in range(4)
        ]
        + ["MongoServerSelectionError: connection timed out", "    at listOnTimeout (x.js:1:2)"]
    )
    advice = join_continuations(head)
    assert advice.startswith("JSON records cannot take the lines after them")
    assert "awk" not in advice


def test_a_namespaced_method_keeps_every_method_an_event(json_parsed):
    """QA Rocket.Chat: one `livechat:takeInquiry` among nine Meteor methods made every method
    one `method=<*>` event; a session logging out before logging in looked normal."""
    records = [
        {"time": f"2026-12-01T08:00:0{i}Z", "name": "Meteor", "method": m, "msg": "Method call"}
        for i, m in enumerate(("login", "sendMessage", "livechat:takeInquiry", "logout"))
    ]
    events, _ = json_parsed(records)
    assert [t.split("method=")[1] for t in events["template"]] == [
        "login",
        "sendMessage",
        "livechat:takeInquiry",
        "logout",
    ]


def test_a_livechat_department_is_a_name(json_parsed):
    """QA Rocket.Chat: `Inquiry queued` a template per department."""
    records = [
        {"time": f"2026-12-01T08:00:0{i}Z", "name": "Livechat", "department": d,
         "inquiryId": f"q{i}", "msg": "Inquiry queued"}
        for i, d in enumerate(("support", "sales", "support", "billing"))
    ]  # fmt: skip
    events, _ = json_parsed(records)
    assert len(set(events["template"])) == 1 and "department=<*>" in events["template"][0]

