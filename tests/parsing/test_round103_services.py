"""What blind QA round 103 (Metabase, Infinispan, LibreNMS) found in reading each log's lines,
and what they read as now."""

from __future__ import annotations

WILDFLY = [
    "2024-05-13 00:00:03,000 INFO  [org.jboss.as] (MSC service thread 1-2) WFLYSRV0049: "
    "Infinispan Server 9.4.24.Final (WildFly Core 6.0.2.Final) starting",
    "2024-05-13 00:00:05,785 INFO  [org.infinispan.CLUSTER] (jgroups-4,node1) ISPN000094: "
    "Received new cluster view for channel cluster: [node1|1] (1) [node1]",
    "2024-05-13 00:00:06,100 WARN  [org.jgroups.protocols.FD_ALL] (Timer-2,node1) JGRP000011: "
    "node1: suspecting node2",
]


def test_auto_reads_a_wildfly_server_log_as_such(auto_parsed):
    """QA Infinispan: `auto` chose `hadoop`, the thread and the message's code one
    component (the code lost from the event), and advised a `<Host>` field that fits nothing."""
    events = auto_parsed(WILDFLY, "wildfly")
    assert events["Component"] == [
        "org.jboss.as",
        "org.infinispan.CLUSTER",
        "org.jgroups.protocols.FD_ALL",
    ]
    assert events["ThreadName"][0] == "MSC service thread 1-2"
    assert [t.split(":")[0] for t in events["template"]] == [
        "WFLYSRV0049",
        "ISPN000094",
        "JGRP000011",
    ]


def test_a_duration_alone_in_parentheses_is_one_value_whatever_its_unit(masked_alike):
    """QA Metabase: `(5.3 s)` beside `(812.0 ms)` two templates, a sync that ended within a
    second a new event; a request's time before its status stays as it was."""
    lines = [
        f"FINISHED: Sync postgres Database 2 'Warehouse' ({took})"
        for took in ("5.3 s", "812.0 ms", "1.2 mins")
    ]
    assert set(masked_alike(lines)) == {"FINISHED: Sync postgres Database <*> '<*>' (<*>)"}
    (request,) = masked_alike(["http: GET /api/articles (17 ms) 200"])
    assert request == "http: GET /api/articles (<*> ms) 2xx"


def test_a_thing_named_by_its_kind_number_and_name_is_masked(masked_alike):
    """QA Metabase: a template per database (`Database 2 'Warehouse'`) and per alert."""
    assert len(set(masked_alike([
        "Error fingerprinting Table 105 'analytics.pageviews'",
        "Error fingerprinting Table 7 'shop.orders'",
    ]))) == 1  # fmt: skip
    assert set(masked_alike([
        'Checking Alert (20: "Orders dropped below 100")',
        'Checking Alert (21: "Failed payments spike")',
    ])) == {"Checking Alert (<*>: <*>)"}  # fmt: skip


def test_a_steps_quoted_name_is_the_event(log_parsed):
    """QA Metabase: twelve sync steps one `step '<*>'` event, their wrong order unseen."""
    steps = ("sync-tables", "sync-fields", "sync-fks", "fingerprint-fields", "classify-tables")
    lines = [
        f"2024-03-11 01:10:1{i},732 INFO sync.util :: STARTING: step '{step}' for postgres "
        f"Database 2 'Warehouse'"
        for i, step in enumerate(steps)
    ]
    events, _ = log_parsed(lines, "iso")
    assert [t.split("'")[1] for t in events["template"]] == list(steps)


def test_a_modules_name_after_its_word_is_the_event(log_parsed):
    """QA LibreNMS: `Load poller module <*>` one event, a poll running its modules out of order
    or a module the device never runs scored 0 by every detector."""
    modules = ("core", "ports", "bgp-peers", "os", "sensors")
    lines = [
        f"[2026-03-02 00:03:0{i}] production.INFO: {text}"
        for i, name in enumerate(modules)
        for text in (
            f"#### Load poller module {name} ####",
            f">> Runtime for poller module '{name}': 0.0{i}23 seconds with 1234{i} bytes",
        )
    ]
    events, _ = log_parsed(lines, "iso")
    assert len(set(events["template"])) == 10
    assert "production.INFO: #### Load poller module bgp-peers ####" in events["template"]


def test_a_devices_and_an_admins_names_are_masked(masked_alike):
    """QA LibreNMS: `Hostname: sw-<*> (ios)` kept a name's prefix, Cisco's `Configured from
    console by jdoe` and `[user: netops]` a template per admin."""
    for lines in (
        ["Hostname:  dist-02.dc2 (ios)", "Hostname:  sw-acc-07.dc1 (ios)"],
        [f"Configured from console by {u} on vty0 (10.1.1.12)" for u in ("netops", "jdoe")],
        [f"Login Success [user: {u}] [Source: 10.1.1.12] [localport: 22]" for u in ("a", "bo")],
    ):
        masked = masked_alike(lines)
        assert len(set(masked)) == 1 and "<*>" in masked[0], masked


def test_a_box_drawn_under_a_record_is_its_continuation(log_parsed):
    """QA Metabase: its sync summary box, `####` and `# Completed ...` lines, was "lines that do
    not look like continuation lines", where the join advised was the fix."""
    lines = [
        "2024-03-11 01:10:12,805 INFO sync.util :: ",
        "#" * 64,
        "# Completed Sync metadata for postgres Database 2 'Warehouse'",
        "#  Duration: 1.9 s",
        "#" * 64,
        "2024-03-11 01:10:13,001 INFO sync.util :: done",
    ]
    _, summary = log_parsed(lines, "iso")
    assert (summary.rejected, summary.continuations) == (4, 4)
