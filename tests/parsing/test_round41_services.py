"""QA round 41 (Open vSwitch, OpenPBS, Windows DHCP Server, Jira, rspamd, HBase): what each
log's first run got wrong, as a new user met it."""

from __future__ import annotations

import pyarrow as pa

from logbert.parsing.formats import parse_timestamps, resolve_format
from logbert.parsing.masks import mask_text
from logbert.parsing.miner import TemplateMiner
from logbert.parsing.reader import source_names


def test_open_vswitch_s_vlog_lines_have_a_format_auto_picks(auto_parsed):
    """QA Open vSwitch: `auto` and `iso` read no time from `TIME|SEQ|module|LEVEL|msg`."""
    events = auto_parsed([
        "2026-12-04T00:00:06.300Z|00251|bond|INFO|bond bond0: shift 15kB of load (with hash 106)",
        "2026-12-04T00:00:07.100Z|00252|rconn|WARN|br-int<->tcp:10.0.0.5:6653: connection dropped",
    ], "ovs")  # fmt: skip
    assert events["Component"] == ["bond", "rconn"] and events["Level"] == ["INFO", "WARN"]


def test_rotated_parts_of_one_host_s_log_keep_its_folder():
    """QA Open vSwitch: `compute-01/ovs.log.1.gz` was the bare `ovs.log.1.gz` beside
    `compute-01/ovs.log`, so its windows were `ovs.log@...`, no host's, and another host's
    `ovs.log.1` joined them."""
    names = source_names(["d/c1/ovs.log.1.gz", "d/c1/ovs.log", "d/c2/ovs.log.1", "d/c2/ovs.log"])
    assert names == ["d/c1/ovs.log.1.gz", "d/c1/ovs.log", "d/c2/ovs.log.1", "d/c2/ovs.log"]
    assert source_names(["logs/app.log.1", "logs/app.log"]) == ["app.log.1", "app.log"]


def test_many_numbered_names_first_in_a_message_are_one_variable():
    """QA PBS: `node03 cput=... mem=...` from sixteen nodes was a template per node, and a new
    node's every job a new event; a few devices (`eth0`, `eth1`) stay events apart."""
    miner = TemplateMiner()
    nodes = miner.add([f"node{i:02d} cput=<*>:<*>:<*> mem=<*>" for i in range(1, 17)])
    assert len(set(nodes)) == 1
    assert miner.template(nodes[0]) == "<*> cput=<*>:<*>:<*> mem=<*>"
    devices = TemplateMiner().add(["eth0: link up", "eth1: link up"] * 3)
    assert len(set(devices)) == 2


def test_a_time_s_seconds_fraction_is_optional_whatever_the_format_says():
    """QA PBS: each daemon sets its own precision; `%S.%f` left the others' lines undated,
    and `%S` the first's."""
    columns = {"Date": pa.array(["11/30/2026"] * 2), "Time": pa.array(["00:02:58.546", "01:11:16"])}
    for written in ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M:%S.%f"):
        fmt = resolve_format("<Date> <Time>;<Content>", None, written)
        times = parse_timestamps(columns, fmt.timestamp, 2).to_pylist()
        assert [t.isoformat() for t in times] == [
            "2026-11-30T00:02:58.546000", "2026-11-30T01:11:16"
        ]


def test_a_csv_record_s_failure_and_a_new_first_word_are_events():
    """QA Windows DHCP: `DNS Update Failed` was joined and masked as one value, a `DNS Update
    Request`'s event; scoring gave `Conflict,` first in a record the template of joined
    descriptions (`<*>,`), and an IP conflict was a DNS update's event."""
    rest = ",10.1.3.32,desktop-151.corp.example.com,,,0,6,,,,,,,,,0"
    texts = ["DNS Update Request", "DNS Update Successful", "Database Cleanup Begin"]
    miner = TemplateMiner()
    ids = miner.add([mask_text(text + rest) for text in texts * 3])
    # a first field of several words is the record's kind, each its own event (QA round 55,
    # Windows DHCP: joined into one value, a `Scope Full` was a DNS update's event)
    assert len(set(ids)) == 3 and ids[:3] == ids[3:6]
    failed = mask_text("DNS Update Failed" + rest)
    assert failed.startswith("DNS Update Failed, ")
    conflict, request = miner.match([mask_text("Conflict" + rest), mask_text(texts[0] + rest)])
    assert request == ids[0] and conflict is None  # a new first word: a new event
    miner.add([mask_text("Conflict" + rest)])  # once mined, it is known
    assert miner.match([mask_text("Conflict" + rest)])[0] is not None


def test_jira_s_request_context_and_a_member_named_in_prose_are_values(masked_alike):
    """QA Jira: a rare event's template kept one request's user, id and session, and a
    cluster's `Received heartbeat from node node2` was a template per node."""
    line = ("http-nio-8080-exec-37 url: /rest/api/2/search; user: {0} ERROR {0} {1} {2} "
            "10.20.2.47,10.0.0.2 /rest/api/2/search [c.a.j.ExceptionMapper] Uncaught exception")
    bamboo, victor = masked_alike([
        line.format("svc-bamboo", "578x5019x3", "2hzxdhu"),
        line.format("victor", "579x5025x1", "s20yfcb"),
    ])  # fmt: skip
    assert bamboo == victor and "ERROR <*> <*> <*>" in bamboo
    two, four = masked_alike([
        "Received heartbeat from node node2, last seen 30897 ms ago",
        "Received heartbeat from node node4, last seen 897 ms ago",
    ])  # fmt: skip
    assert two == four == "Received heartbeat from node <*>, last seen <*> ms ago"


def test_a_mail_s_subject_is_a_value_whatever_it_says(masked_alike):
    """QA Jira: `Subject='(WEB-311) Checkout fails with timeout error'` named a failure, so a
    ticket so titled was a new event and an alarm."""
    fails, fine = masked_alike([
        "Mail item queued: Subject='(WEB-311) Checkout fails with timeout error' To='a@b.com'",
        "Mail item queued: Subject='(WEB-312) Add a dark theme' To='a@b.com'",
    ])  # fmt: skip
    assert fails == fine == "Mail item queued: Subject='<*>' To='<*>'"


def test_hbase_s_tables_and_region_names_are_values(masked_alike):
    """QA HBase: `table=customers` and `Opened customers,user8295,<*>.` were templates per
    table and start key."""
    customers, events = masked_alike([
        "STUCK Region-In-Transition rit=OPENING, table=customers, region=4cde7276fce51910af091322",
        "STUCK Region-In-Transition rit=OPENING, table=events, region=76d24bb97ab57eee0e882f91",
    ])  # fmt: skip
    assert customers == events and "table=<*>" in customers
    opened = masked_alike([
        "Opened customers,user8295,1701684071123.3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c.",
        "Opened events,row32330,1702663075032.421e5620852592dec6cad4bdee6291e7.",
    ])  # fmt: skip
    assert opened == ["Opened <*>."] * 2


def test_rspamd_s_symbol_list_is_one_value(masked_alike):
    """QA rspamd: the one line per message was 49 templates, by how many words its symbols'
    options split into, and any new mix of symbols a new event."""
    line = ("#4333(normal) <1d2f73>; task; rspamd_task_write_log: id: <a@b>, (default: F (no "
            "action): [-3.60/15.00] [{}]), len: 4521, time: 123.4ms")
    short, long = masked_alike([
        line.format("RCVD_TLS_ALL(0.00){},ARC_NA(0.00){}"),
        line.format("ARC_NA(0.00){},ASN(0.00){asn:64496, ipnet:203.0.113.0/24, country:DE;},"
                    "MIME_GOOD(-0.10){multipart/alternative;text/plain;}"),
    ])  # fmt: skip
    assert short == long and "[<*>])" in short


def test_the_jvm_pause_monitor_s_second_line_is_a_continuation():
    """QA HBase: `GC pool 'G1 Old Generation' had collection(s): ...` under JvmPauseMonitor's
    line was called a line "of its own" (a wrong format?), not a record's continuation."""
    from logbert.parsing.auto import looks_like_continuation

    assert looks_like_continuation(
        "GC pool 'G1 Old Generation' had collection(s): count=1 time=53312ms"
    )
