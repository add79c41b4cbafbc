"""What blind QA round 112 (Pi-hole, ISC DHCP, SonarQube, XenServer) found in reading each
log's lines, and what they read as now."""

from __future__ import annotations

from logbert.parsing.masks import mask_text
from logbert.parsing.miner import TemplateMiner

FTL = [
    "[2025-11-22 23:59:20.010 812M] Creating mutex",
    "[2025-11-22 23:59:20.500 812/T820] Compiled 2 whitelist and 12 blacklist regex filters for "
    "10 clients in 2.1 msec",
    "[2025-11-23 02:00:00.301 812M] Notice: Database size is 43.52 MB, deleted 7000 rows",
    "[2025-11-23 03:43:47.734 812/T821] Compiled 2 whitelist and 12 blacklist regex filters for "
    "10 clients in 2.7 msec",
    "[2025-11-23 03:44:00.100 812M] Compiled 2 whitelist and 12 blacklist regex filters for "
    "10 clients in 2.4 msec",
]


def test_pi_hole_s_ftl_log_is_a_built_in_format_its_thread_a_field(auto_parsed):
    """QA Pi-hole: `auto` read pihole-FTL.log as `iso`, `812M]` and `812/T820]` left in every
    template: one message two events by the thread that wrote it."""
    events = auto_parsed(FTL, "pihole-ftl")
    assert events["Process"][:2] == ["812M", "812/T820"]
    assert events["Level"][2] == "Notice" and events["template"][2].startswith("Database size")
    assert None not in events["timestamp"]
    compiled = {events["template"][i] for i in (1, 3, 4)}
    assert compiled == {
        "Compiled <*> whitelist and <*> blacklist regex filters for <*> clients in <*> msec"
    }


def test_dnsmasq_s_cname_marker_is_an_answer_of_its_own():
    """QA Pi-hole: `reply x is <CNAME>` (a CNAME chain) and `reply x is 1.2.3.4` were one `reply
    <*> is <*>` event, while NXDOMAIN and NODATA were kept apart."""
    answers = ("<CNAME>", "1.2.3.4", "NXDOMAIN", "<CNAME>", "::1", "NODATA-IPv6", "5.6.7.8")
    miner = TemplateMiner()
    ids = miner.add([mask_text(f"reply host{i}.example.com is {a}") for i, a in enumerate(answers)])
    assert {miner.template(t) for t in ids} == {
        f"reply <*> is {a}" for a in ("<CNAME>", "<*>", "NXDOMAIN", "NODATA-IPv6")
    }


SONAR = [
    "2026.11.02 00:05:11 INFO  ce[AYmAG_dzi10z7t62z5nH][o.s.c.t.CeWorkerImpl] Execute task | "
    "type=AUDIT_PURGE | id=AYmAG_dzi10z7t62z5nH",
    "2026.11.02 00:00:22 INFO  web[][o.s.p.ProcessEntryPoint] Starting Web Server",
] + [
    f"2026.11.02 00:06:{i:02d} INFO  ce[AYmAG_{i:02d}i10z7t62z5nH]"
    f"[o.s.c.t.s.ComputationStepExecutor] {step} | status=SUCCESS | time={10 + i}ms"
    for i, step in enumerate(
        ("Load analysis metadata", "Load quality profiles", "Load new code period",
         "Load measure computers", "Compute size measures", "Compute new coverage",
         "Compute duplication measures", "Compute complexity measures") * 2  # fmt: skip
    )
]


def test_sonarqube_s_logs_are_a_built_in_format_and_each_step_an_event(auto_parsed):
    """QA SonarQube: `auto` read no format for its `2026.11.02` dates; a compute engine task's
    steps were merged, `Load <*> <*> | status=SUCCESS` (four steps) and `Compute <*>
    measures` (six): a task that never loaded its quality profiles scored 0."""
    events = auto_parsed(SONAR, "sonarqube")
    assert events["Process"][:2] == ["ce", "web"] and events["TaskId"][1] == ""
    assert events["Component"][0] == "o.s.c.t.CeWorkerImpl" and None not in events["timestamp"]
    steps = {t.split(" | ")[0] for t in events["template"][2:]}
    assert len(steps) == 8 and "Load quality profiles" in steps
    assert all(t.endswith("| status=SUCCESS | time=<*>") for t in events["template"][2:])


XAPI = "[debug||{n} |Async.VM.start R:16274f94{n}|xenops_server] Performing: [\"{op}\",\"{vm}\"]"


def test_an_operation_named_first_in_a_json_list_is_the_event():
    """QA XenServer: xenopsd's `Performing: ["VM_create","<uuid>"]` and `["VM_unpause",...]`
    were one `["VM_<*>"]` event: a VM unpaused before it was created unseen."""
    vms = ("ae2eb154-881e-46d7-b1be-7731506bf2ef", "d0ed1b2c-1111-4222-8333-944455556666")
    miner = TemplateMiner()
    ids = miner.add([
        mask_text(XAPI.format(n=60 + i, op=op, vm=vms[i % 2]))
        for i, op in enumerate(("VM_create", "VM_unpause", "VM_create", "VM_unpause", "VM_start"))
    ])  # fmt: skip
    assert {miner.template(t).rsplit(" ", 1)[1] for t in ids} == {
        f'["{op}","<*>"]' for op in ("VM_create", "VM_unpause", "VM_start")
    }


def test_a_storage_repository_s_name_is_a_value_and_its_failure_code_kept(masked_alike):
    """QA XenServer: `SR.scan: SR = '<uuid>' (NFS-VMstore)` was a template per repository (every
    false alarm of PCA and DeepLog a normal scan), and `failed: SR_BACKEND_FAILURE_47` was
    `failed: <*>`, every backend failure one event."""
    nfs, local = masked_alike([
        f"SR.scan: SR = '5e8766ed-9c1c-490f-9464-2020f3fe39c0' ({name})"
        for name in ("NFS-VMstore", "Local storage")
    ])  # fmt: skip
    assert nfs == local == "SR.scan: SR = '<*>' (<*>)"
    (failed,) = masked_alike([
        "SM lvmoiscsi sr_scan sr=OpaqueRef:b9b5c1d2 failed: SR_BACKEND_FAILURE_47 [ ; The SR is "
        "not available ]; retry 1/3"
    ])  # fmt: skip
    assert "failed: SR_BACKEND_FAILURE_47 [" in failed


def test_a_dhcp_client_s_hostname_is_left_out_as_a_client_sending_none_writes(masked_alike):
    """QA ISC DHCP: `DHCPREQUEST for <ip> from <mac> (android-pn8u9) via ens192` beside the same
    without a hostname, and `DHCPREQUEST for <ip> (<server>) from <mac> via <relay>` (an
    offer's answer), were templates by the hostname's presence, a renewal and an offer's
    answer one; at scoring each DHCPDECLINE's hostname was a template of its own."""
    renewals = masked_alike([
        "DHCPREQUEST for 10.20.1.167 from ac:de:48:02:9b:cb (android-pn8u9) via ens192",
        "DHCPREQUEST for 10.20.1.168 from ac:de:48:02:9b:cc via ens192",
        "DHCPDECLINE of 10.20.2.215 from ac:de:48:5f:1f:eb (android-ccpmu) via 10.20.2.1: "
        "abandoned",
        "DHCPACK on 10.20.1.61 to 00:1b:21:27:57:4a (laptop) via eth0",
    ])  # fmt: skip
    assert renewals[0] == renewals[1] == "DHCPREQUEST for <*> from <*> via <*>"
    assert renewals[2] == "DHCPDECLINE of <*> from <*> via <*>: abandoned"
    assert renewals[3] == "DHCPACK on <*> to <*> via <*>"
    (selecting,) = masked_alike(
        ["DHCPREQUEST for 10.20.1.61 (10.20.0.12) from 00:1b:21:27:57:4a via 10.20.1.1"]
    )
    assert selecting == "DHCPREQUEST for <*> (<*>) from <*> via <*>"
