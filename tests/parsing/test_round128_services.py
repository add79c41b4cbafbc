"""What blind QA round 128 (Pure-FTPd, Liquidsoap, Luigi, n8n) found in reading each log's
lines, and what they read as now."""

from __future__ import annotations


def test_a_tls_cipher_suite_is_a_value_and_the_protocol_version_stays(masked_alike):
    """QA Pure-FTPd, OpenSMTPD: a template per cipher suite, a client's ChaCha20 a new event."""
    ftp = "SSL/TLS: Enabled {} with {}, 256 secret bits cipher"
    aes, chacha, old = masked_alike([
        ftp.format("TLSv1.3", "TLS_AES_256_GCM_SHA384"),
        ftp.format("TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256"),
        ftp.format("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256"),
    ])  # fmt: skip
    assert aes == chacha and "TLSv1.3 with <*>," in aes and old != aes
    smtp = "cf11f25942b06edc smtp tls ciphers=TLSv1.2:{}:256"
    assert len(set(masked_alike([smtp.format("ECDHE-RSA-AES256-GCM-SHA384"),
                                 smtp.format("DHE-RSA-AES256-SHA")]))) == 1  # fmt: skip


def test_a_players_now_playing_is_one_value_and_a_sources_level_is_kept(masked_alike):
    """QA Liquidsoap: `Now playing: Boards of Canada - Roygbiv` made a template per number of
    words in a title (a known artist's new song a new event), and `[music:1]`, a critical
    line, was `[music:3]`'s event."""
    one, three = masked_alike(["[lang:3] Now playing: Tycho - Drift Prism",
                               "[lang:3] Now playing: Boards of Canada - Roygbiv"])  # fmt: skip
    assert one == three == "[lang:3] Now playing: <*>"
    critical, routine = masked_alike(['[music:1] Prepared "/srv/a.mp3" (RID 627).',
                                      '[music:3] Prepared "/srv/b.mp3" (RID 628).'])  # fmt: skip
    assert critical.startswith("[music:1] ") and routine.startswith("[music:3] ")


def test_a_json_lines_time_inside_an_object_it_holds_dates_it(json_parsed):
    """QA n8n: `{"level": ..., "message": ..., "metadata": {..., "timestamp": "..."}}` was read
    with no time (every line undated), and no option could name the key."""
    events, summary = json_parsed([
        {"level": "info", "message": "Workflow execution started",
         "metadata": {"file": "workflow-execute.js", "timestamp": "2026-03-09T12:01:24.456Z"}},
        {"level": "info", "message": "Workflow execution finished",
         "metadata": {"file": "workflow-execute.js", "timestamp": "2026-03-09T12:01:25.001Z"}},
    ])  # fmt: skip
    assert [str(t) for t in events["timestamp"]] == [
        "2026-03-09 12:01:24.456000", "2026-03-09 12:01:25.001000"
    ]
    assert "metadata.file=workflow-execute.js" in events["content"][0]
    assert "timestamp" not in events["content"][0]


def test_a_workflow_nodes_given_name_is_one_value_whatever_its_words(masked_alike):
    """QA n8n: `Start executing node "Respond to Webhook"` was masked, `"HTTP Request"` and
    `"Set"` kept: four templates of one event, a renamed node a new one."""
    names = ("Set", "HTTP Request", "Respond to Webhook")
    masked = masked_alike([f'Start executing node "{name}"' for name in names])
    assert set(masked) == {'Start executing node "<*>"'}


def test_a_tasks_parameters_in_its_id_are_one_value(masked_alike):
    """QA Luigi: `ComputeMetrics(date=2026-03-09, hour=10, metric=gmv)` kept some values, a
    template per metric, a new metric's normal run a new event; a repr of one field stays."""
    line = "[pid 30751] Worker Worker(salt=1, pid=30751) running   ComputeMetrics({})"
    gmv, arpu = masked_alike([line.format("date=2026-03-09, hour=10, metric=gmv"),
                              line.format("date=2026-03-10, hour=11, metric=arpu")])  # fmt: skip
    assert gmv == arpu and gmv.endswith("running ComputeMetrics(<*>)")
    (surface,) = masked_alike(["Destroying surface Surface(name=InputMethod) called"])
    assert "Surface(name=InputMethod)" in surface
