"""What blind QA round 101 (Druid, OPNsense, Ghost, Checkmk) found in reading each log's lines,
and what they read as now."""

from __future__ import annotations

# OPNsense's filterlog record: its rule's label a 32-digit hex hash, not pfSense's tracker
OPN_RECORD = (
    "86,,,02f4bab031b57d1e30553ce08e0ec131,igb0,match,block,in,4,0x0,,234,34611,0,none,6,tcp,44,"
    "89.93.38.{i},203.0.113.2,2055{i},{port},0,S,2861307810,,1025,,mss"
)


def syslog5424(i: int, app: str, sd: str, message: str) -> str:
    return f"<134>1 2026-03-09T00:00:0{i}+01:00 fw1 {app} 80239 - {sd} {message}"


def test_an_opnsense_filterlog_record_is_a_flow(log_parsed):
    """QA OPNsense: a record whose rule is a hex label was split on its commas, its port
    masked and its IP flags and TCP options kept: unreadable templates, a scan unseen."""
    lines = [syslog5424(i, "filterlog", "-", OPN_RECORD.format(i=i, port=22)) for i in range(4)]
    lines += [syslog5424(5, "filterlog", "-", OPN_RECORD.format(i=5, port=6667))]
    events, _ = log_parsed(lines, "rfc5424")
    assert set(events["template"]) == {
        "igb0 match block in IPv4 PROTO=tcp SRC=<*> DST=<*> SPT=port-high DPT=port22 FLAGS=S",
        "igb0 match block in IPv4 PROTO=tcp SRC=<*> DST=<*> SPT=port-high DPT=port6667 FLAGS=S",
    }


def test_the_senders_own_structured_data_is_a_field(log_parsed):
    """QA OPNsense: `[meta sequenceId="2"]`, a counter on every line, opened 43 of 52
    templates and hid filterlog's records from their rewrite. IANA's `meta`, `origin` and
    `timeQuality` elements are the sender's metadata: a field; an application's own stay."""
    lines = [
        syslog5424(1, "configd.py", '[meta sequenceId="1"]', "[61750:1] info: message"),
        syslog5424(2, "app", '[meta sequenceId="2" sysUpTime="12"][origin ip="10.0.0.1"]', "up"),
        syslog5424(3, "app", '[exampleSDID@32473 eventSource="Application"]', "An event"),
        syslog5424(4, "filterlog", '[meta sequenceId="4"]', OPN_RECORD.format(i=4, port=22)),
    ]
    events, _ = log_parsed(lines, "rfc5424")
    assert events["StructuredData"][:2] == [
        '[meta sequenceId="1"]', '[meta sequenceId="2" sysUpTime="12"][origin ip="10.0.0.1"]'
    ]
    assert events["content"][1] == "up"
    assert events["content"][2].startswith("[exampleSDID@32473 ")  # (kept, as before)
    assert events["template"][3].startswith("igb0 match block in IPv4 PROTO=tcp")


def test_a_druid_datasource_and_its_task_group_are_names(masked_alike):
    """QA Druid: `dataSource='wikipedia'` and `groupId='index_kafka_wikipedia'` were kept, a
    template per datasource, and a new datasource's every task a new event (240 false
    alarms)."""
    lines = [
        f"Task SUCCESS: AbstractTask{{id='index_kafka_{name}_b81f6236ca0607d_occlidci', "
        f"groupId='index_kafka_{name}', dataSource='{name}', context={{}}}} (120000 run duration)"
        for name in ("wikipedia", "clickstream", "orders_v2")
    ]
    assert len(set(masked_alike(lines))) == 1


def test_checkmks_external_commands_and_notification_results_are_nagios_records(masked_alike):
    """QA Checkmk: the core's `Executing external command: ACKNOWLEDGE_SVC_PROBLEM;...;user;
    comment` kept its author and comment (a template per acknowledgement, 9 of 11 false
    alarms), and `SERVICE NOTIFICATION RESULT` its contact."""
    acks = [
        f"[5] [core 4652] Executing external command: ACKNOWLEDGE_SVC_PROBLEM;srv-{host};Memory;"
        f"2;1;0;{user};{comment}"
        for host, user, comment in (
            ("web01", "cmkadmin", "Working on it"), ("db01", "hh", "known issue, ticket opened"),
            ("app01", "oncall", "looking into it"),
        )
    ]
    assert set(masked_alike(acks)) == {
        "[<*>] [core <*>] Executing external command: ACKNOWLEDGE_SVC_PROBLEM host=<*>; Memory; "
        "<*>; <*>; <*>; author=<*> comment=<*>"
    }
    results = [
        f"SERVICE NOTIFICATION RESULT: {user};srv-db01;CPU load;OK;mail;Spooled mail to local "
        "mail transmission agent;Spooled mail to local mail transmission agent"
        for user in ("cmkadmin", "hh", "oncall")
    ]
    masked = masked_alike(results)
    assert len(set(masked)) == 1 and "contact=<*> host=<*>" in masked[0]
