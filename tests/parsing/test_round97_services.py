"""What blind QA round 97 (NiFi, Strapi, chrony / gpsd, Flink) found in reading each log's
lines, and what they read as now."""

from __future__ import annotations

FLINK = "2024-03-05 10:0{i}:00,00{i} INFO  org.apache.flink.runtime.{logger} [] - {message}"
ATTEMPT = "3b1612dd272d1371c17149d439536b32_cbc357ccb763df2852fee8c4fc7d55f2_0_0"


def test_flinks_job_and_operator_names_are_values(log_parsed):
    """QA Flink: unquoted job names (`Job Flink Streaming Job (<id>) switched ...`) and operator
    chains (`Source: Kafka Source -> Filter -> Map (1/2)#0 (<attempt>) switched ...`) were kept,
    52 events 259 templates, a renamed job's every state change a new event."""
    jobs = ["Flink Streaming Job", "WordCount", "orders-enrichment", "CDC mysql-to-iceberg"]
    chains = [
        "Source: Kafka Source -> Filter -> Map",
        "IcebergStreamWriter",
        "Window(TumblingEventTimeWindows(60000), EventTimeTrigger) -> Sink: Kafka Sink",
    ]
    lines = []
    for i in range(8):
        job_id = f"{i:02d}" + "cd613e30d8f16adf91b7584a2265b1"
        lines.append(FLINK.format(
            i=i, logger="executiongraph.ExecutionGraph",
            message=f"Job {jobs[i % 4]} ({job_id}) switched from state CREATED to RUNNING.",
        ))  # fmt: skip
        chain = chains[i % 3]
        lines.append(FLINK.format(
            i=i, logger="executiongraph.ExecutionGraph",
            message=f"{chain} (1/2) ({ATTEMPT}) switched from CREATED to SCHEDULED.",
        ))  # fmt: skip
        lines.append(FLINK.format(
            i=i, logger="taskmanager.Task",
            message=f"Loading JAR files for task {chain} (1/2)#0 ({ATTEMPT}) [DEPLOYING].",
        ))  # fmt: skip
    events, _ = log_parsed(lines, "iso")
    templates = sorted(set(events["template"]))
    assert len(templates) == 3, templates
    assert all("org.apache.flink.runtime." in t for t in templates)  # the logger stays
    assert not any("Kafka" in t or "WordCount" in t or "Streaming" in t for t in templates)


def test_a_status_after_the_requests_time_keeps_its_class():
    """QA Strapi: Koa's `POST /admin/login (121 ms) 400` kept no class, 200, 400, 429 and 500
    one event, an admin-login brute force unseen."""
    from logbert.parsing.masks import mask_text

    assert mask_text("POST /admin/login (121 ms) 400") == "POST /admin/login (<*> ms) 4xx"
    assert mask_text("GET /admin/init (5 ms) 200") == "GET /admin/init (<*> ms) 2xx"
