"""What blind QA round 122 (NetBox, BuildKit, Boundary, Bamboo) found in reading each log's
lines, and what they read as now."""

from __future__ import annotations


def test_a_bamboo_result_key_a_duration_in_words_and_who_asked_are_values(masked_alike):
    """QA Bamboo: `Saved build result CORE-API-764 (state Successful, duration 4 minutes 42
    seconds)` was a template per plan (17 for one event) and per duration's units (a 52-second
    build of a plan that usually took minutes a new event, flagged by every detector), and
    `stop requested by lgarcia` one per user."""
    saved = "Saved build result {} (state Successful, duration {})"
    lines = [
        saved.format("CORE-API-764", "4 minutes 42 seconds"),
        saved.format("DOCS-SITE-1409", "52 seconds"),
        saved.format("DATA-ETL-JOB1-399", "1 hour, 2 minutes and 3 seconds"),
    ]
    assert len(set(masked_alike(lines))) == 1
    stop = "Build DATA-ETL-JOB1-399 stop requested by {}"
    assert len(set(masked_alike([stop.format("lgarcia"), stop.format("mchen")]))) == 1
    # an error code of one word before its number, a host name and a signal stay apart
    kept = masked_alike([
        "ORA-00600: internal error code",
        "Resolved MSRA-SA-39.fareast.corp.microsoft.com to /default-rack",
        "worker stopped by signal 15",
        "retry in 5 minutes",
    ])  # fmt: skip
    assert kept[0].startswith("ORA-00600")
    assert kept[1] == "Resolved <*> to <*>"
    assert kept[2] == "worker stopped by signal 15" and kept[3] == "retry in <*> minutes"


def test_a_dockerfile_steps_command_in_buildkits_span_is_a_value(masked_alike):
    """QA BuildKit: `span="[build 2/5] RUN apk add --no-cache git"` kept its command, a
    template per RUN line of every Dockerfile (a new Dockerfile's steps new events)."""
    line = (
        "debug > creating 9fs9 [/bin/sh -c {0}] program=buildkitd span=[build 2/5] RUN {0} spanID=4"
    )
    first, second = masked_alike([line.format("go mod download"), line.format("npm ci")])
    assert first == second and "span=[build <*>/<*>] RUN <*> spanID=<*>" in first
    internal = masked_alike(["y span=[internal] load build definition from Dockerfile"])[0]
    assert internal.endswith("load build definition from Dockerfile")
