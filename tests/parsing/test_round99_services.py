"""What blind QA round 99 (Riak, Sensu Go, Transmission, Livy / Zeppelin, Xen) found in reading
each log's lines, and what they read as now."""

from __future__ import annotations

import json

SENSU = {
    "check_name": "check-cpu", "component": "pipelined", "entity_name": "web00",
    "event_id": "3a070044-5e19-420d-b17a-34400e8d9792", "filter": "is_incident",
    "handler": "slack", "level": "debug", "msg": "event filtered",
    "time": "2024-05-14T08:00:0{i}-07:00",
}  # fmt: skip


def sensu_line(i: int, check: str, entity: str) -> str:
    record = {**SENSU, "check_name": check, "entity_name": entity}
    record["time"] = record["time"].format(i=i % 10)
    return json.dumps(record, separators=(",", ":"))


def test_a_checks_and_an_entitys_name_are_values(log_parsed):
    """QA Sensu: `check_name=check-cpu` and a rare `entity_name=web04` were kept, an event a
    template per check, and one new check 780 false alarms."""
    checks = ["check-cpu", "check-disk", "check-memory"]
    lines = [sensu_line(i, checks[i % 3], f"web{i % 10:02d}") for i in range(30)]
    events, _ = log_parsed(lines, "json")
    assert len(set(events["template"])) == 1, set(events["template"])


def test_json_lines_behind_a_syslog_header_are_read_as_json(auto_parsed):
    """QA Sensu: journald's `May 14 08:00:02 host sensu-backend[1187]: {...}` was read by
    `linux`, its templates the JSON text, its year the file's and its zoned time ignored."""
    lines = [
        f"May 14 08:00:0{i} sensu-backend-01 sensu-backend[1187]: " + sensu_line(i, "x", "web01")
        for i in range(3)
    ]
    events = auto_parsed(lines, "json")
    assert str(events["timestamp"][0]) == "2024-05-14 15:00:00"
    assert events["template"][0].startswith("debug pipelined event filtered ")
    assert "host=<*>" in events["template"][0] or "host=sensu-backend-01" in events["template"][0]


def test_a_media_files_name_without_digits_is_a_value(log_parsed):
    """QA Transmission: `Elephants.Dream.avi Verifying torrent` kept the torrent's name (no
    digit in it), every new torrent's every event a new one, flagged at score 1.0."""
    names = ["ubuntu-22.04.3-desktop-amd64.iso", "Sintel.2010.1080p.mkv", "Cosmos_Laundromat.mkv",
             "Elephants.Dream.avi", "debian-12.4.0-amd64-netinst.iso"]  # fmt: skip
    lines = [
        f"Dec  1 10:00:0{i} nas01 transmission-daemon[1187]: {name} Verifying torrent "
        "(verify.c:224)"
        for i, name in enumerate(names)
    ]
    events, _ = log_parsed(lines, "linux", year=2025)
    templates = set(events["template"])  # (a file's type may stay, as a path's: `<*>.mkv`)
    assert all(t.split()[0] in ("<*>", "<*>.iso", "<*>.mkv", "<*>.avi") for t in templates)
    assert len(templates) <= 3, templates


def test_a_xen_domain_and_its_vcpu_are_values():
    """QA Xen: `p2m-pod.c:1162:d107v1 out of PoD memory! (... dom107)` kept the domain, a
    template per domain, each repeat of a known hypervisor error a new event."""
    from logbert.parsing.masks import mask_text

    first = mask_text("(XEN) p2m-pod.c:1162:d107v1 out of PoD memory! (tot=262144 dom107)")
    assert first == mask_text("(XEN) p2m-pod.c:1162:d23v0 out of PoD memory! (tot=262144 dom23)")
    assert "d107" not in first and "dom107" not in first
