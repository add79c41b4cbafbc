"""What blind QA round 123 (Filebeat, Vagrant, Rundeck, Concourse) found in reading each log's
lines and files, and what they read as now."""

from __future__ import annotations

from logbert.parsing.rotation import log_name


def test_filebeats_dated_files_are_parts_of_one_log():
    """QA Filebeat: `filebeat-20240305.ndjson` and the next day's file were logs of their own,
    so no host's test file was its training file (windows per file) and a crashed host's
    silence went unjudged."""
    assert log_name("k8s-node03/filebeat-20240305.ndjson") == "k8s-node03/filebeat.ndjson"
    assert log_name("filebeat-20240306-1.ndjson") == "filebeat.ndjson"


def test_a_dotted_counter_of_failed_events_is_a_number(masked_alike):
    """QA Filebeat: `monitoring.metrics.libbeat.output.events.failed=357` kept its count (as
    Ansible's recap `failed=1` is kept), 47 templates in an outage; the recap's stays."""
    line = "Non-zero metrics monitoring.metrics.libbeat.output.events.acked=12 events.failed={}"
    assert len(set(masked_alike([line.format(357), line.format(2)]))) == 1
    recap = "web01 : ok=3 changed=1 unreachable=0 failed={} skipped=0"
    failed, clean = masked_alike([recap.format(1), recap.format(0)])
    assert failed != clean


def test_a_process_status_in_an_event_named_for_its_exit_is_kept(masked_alike):
    """QA Concourse: Garden's `run.exited ... data.status=137` (a killed container) was a clean
    exit's `data.status=<*>`; a status in other events stays a number."""
    exited = "info guardian.api.garden-server.run.exited data.handle=e97e data.status={} source=g"
    killed, clean = masked_alike([exited.format(137), exited.format(0)])
    assert killed.endswith("data.status=137 source=g") and clean != killed
    spawned = "info guardian.api.garden-server.run.spawned data.handle=e97e data.status={}"
    assert len(set(masked_alike([spawned.format(1), spawned.format(0)]))) == 1
