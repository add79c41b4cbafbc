"""What blind QA round 105 (Vault, Mattermost, Harbor) found in reading each log's lines, and
what they read as now."""

from __future__ import annotations


def test_a_random_segment_of_a_path_is_masked(masked_alike):
    """QA Vault: `lease_id=database/creds/readonly/Ab3DEUIbgHPZ8PoE2j19mNr1` kept its random
    part (the path's words made the whole look regular): a rare event's lease id stood in its
    template, and each later lease of it was a new event."""
    lines = [
        f"expiration: failed to revoke lease: lease_id=database/creds/readonly/{lease} "
        'error="failed to revoke entry"'
        for lease in ("Ab3DEUIbgHPZ8PoE2j19mNr1", "Zz9QQUIbgHPZ8PoE2j19mXy7")
    ]
    masked = masked_alike(lines)
    assert masked[0] == masked[1]
    assert "lease_id=database/creds/readonly/<*> " in masked[0]
    # a path of names stays one (no segment random)
    (kept,) = masked_alike(["loaded plugin=database/creds/DatabasePluginV2Handler"])
    assert "DatabasePluginV2Handler" in kept


def test_a_base32_id_in_a_path_is_masked(masked_alike):
    """QA Mattermost: `export/<26-character id>.zip` in a failed job's error, a template per job."""
    lines = [
        f"Worker: Failed to run job error=failed to remove file, export/{job}.zip: i/o timeout"
        for job in ("hsggug491p5zhsg1sfydecmby3", "i4kdemg9p6j5skqy9jkfz1jcpx")
    ]
    masked = masked_alike(lines)
    assert masked[0] == masked[1] and "export/<*>.zip" in masked[0]


def test_a_users_session_calls_and_own_record_are_endpoints(masked_alike):
    """QA Mattermost: `/api/v4/users/login` and `/logout` one `/api/v4/users/<*>` event (a
    storm of logouts a login's), `/users/me` with every user's own path."""
    lines = [
        f"Received HTTP request method=POST status_code=200 url=/api/v4/users/{call}"
        for call in ("login", "logout", "me", "qd9f3jz8kpbstyeomx6d4u1ora")
    ]
    masked = masked_alike(lines)
    assert [m.rpartition("url=")[2] for m in masked] == [
        "/api/v4/users/login", "/api/v4/users/logout", "/api/v4/users/me", "/api/v4/users/<*>",
    ]  # fmt: skip


def test_a_registry_events_action_and_a_jobs_kind_are_kept(log_parsed):
    """QA Harbor: `push artifact event for ...` and `pull ...` one event (a pull inside a
    push's request unseen); `Job 'GARBAGE_COLLECTION:<id>' exit with success` one event for
    every job type, where `exit with error` kept it."""
    lines = []
    for i in range(60):
        repo = ("library/redis", "payments/api", "web/ui")[i % 3]
        lines.append(
            f"2024-12-02 06:00:{i:02d} INFO [{i:08x}-0000-4000-8000-{i:012x}]: "
            f"{('push', 'pull')[i % 2]} artifact event for {repo}:v{i % 4} sent to project "
            "webhook policy"
        )
        kind = ("GARBAGE_COLLECTION", "IMAGE_SCAN", "REPLICATION")[i % 3]
        lines.append(f"2024-12-02 06:00:{i:02d} INFO Job '{kind}:{i:024x}' exit with success")
    events, _ = log_parsed(lines, "iso")
    templates = set(events["template"])
    assert len(templates) == 5
    assert any(" push artifact event for <*> sent" in t for t in templates)
    assert any("Job 'IMAGE_SCAN:<*>' exit with success" in t for t in templates)


def test_a_graylog_inputs_title_is_masked_as_it_is_launched(masked_alike):
    """QA Graylog: `Launching input [Syslog UDP/Syslog UDP/<id>]` a template per input title,
    where `Input [Syslog UDP/<id>] is now RUNNING` masked it: a new input a new event."""
    lines = [
        f"Launching input [{title}/{title}/{i:024x}] - desired state is RUNNING"
        for i, title in enumerate(("Syslog UDP", "Beats"))
    ]
    masked = masked_alike(lines)
    assert masked[0] == masked[1] == "Launching input [<*>] - desired state is RUNNING"


CONSUL_BANNER = [
    "==> Starting Consul agent...",
    "               Version: '1.17.0'",
    "            Build Date: '2023-11-03 14:56:56 +0000 UTC'",
    "             Node name: 'consul-client-1'",
    "          Cluster Addr: 10.0.2.11 (LAN: 8301, WAN: 8302)",
    "",
    "==> Log data will now stream in as it occurs:",
    "",
]


def test_hashicorps_startup_banner_is_the_writers_own(log_parsed):
    """QA Consul: the banner's lines were "continuation lines of multi-line records, e.g.
    stack traces", with an awk join, on every command."""
    line = "2026-12-02T00:00:01.000Z [INFO]  agent: Consul agent running!"
    events, summary = log_parsed([*CONSUL_BANNER, line, line], "hclog")
    assert (summary.rejected, summary.directives, len(events["template"])) == (0, 6, 2)
    assert not [w for w in summary.warnings if "continuation" in w]


def test_an_error_line_among_continuation_lines_is_told_to_join_first(log_parsed):
    """QA Odoo: PostgreSQL's `ERROR: ...` line after `bad query:` was rejected, and the warning
    advised `--format raw`, which would lose its record's pid and session; the log's records
    span lines (a traceback's indented lines), so joining them comes first."""
    head = "2024-03-06 08:32:{s:02d},279 31235 {level} proddb odoo.{c}: "
    lines = []
    for s in range(0, 40, 4):
        lines += [head.format(s=s, level="INFO", c="http") + "request done"] * 30
        lines += [
            head.format(s=s + 1, level="ERROR", c="sql_db") + "bad query: UPDATE x SET y = 1",
            "ERROR: could not serialize access due to concurrent update",
            head.format(s=s + 2, level="ERROR", c="http") + "Exception during request handling.",
            "Traceback (most recent call last):",
            '  File "/odoo/http.py", line 1, in dispatch',
            "    result = f()",
        ]
    fmt = "<Date> <Time> <Pid> <Level> <Db> <Component>: <Content>"
    _, summary = log_parsed(lines, fmt)
    (warning,) = [w for w in summary.warnings if "name an error or warning level" in w]
    assert "if they continue the record before them (this log's records span lines: " in warning
    assert "join each record into one line first (the summary says how); else read them" in warning


def test_odoos_web_routes_are_endpoints(masked_alike):
    """QA Odoo: almost every route starts with `/web/`, and `/web/<*>` made a failed login any
    JSON-RPC call's event and static files an avatar's."""
    line = '10.0.3.22 - - [06/Mar/2024 08:35:28] "{method} {path} HTTP/1.1" 200 - 6 0.004 0.021'
    paths = ("/web/login", "/web/dataset/call_kw/sale.order/unlink",
             "/web/static/src/img/favicon.ico", "/web/image/res.users/2/avatar_128")  # fmt: skip
    masked = masked_alike([line.format(method="POST", path=p) for p in paths])
    assert [m.split('"')[1] for m in masked] == [
        "POST /web/login HTTP/<*>", "POST /web/dataset/<*> HTTP/<*>",
        "POST /web/static/<*> HTTP/<*>", "POST /web/image/<*> HTTP/<*>",
    ]  # fmt: skip
