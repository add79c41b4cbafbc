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
