"""What blind QA round 94 (KServe, TimescaleDB, Redash, Spinnaker, PrestaShop) found in
reading each log's lines, and what they read as now."""

from __future__ import annotations

from logbert.parsing.auto import rank_formats
from logbert.parsing.masks import mask_text

POSTGRES = [
    "2024-05-14 00:00:29.710 UTC [26986] grafana@tsdb LOG:  connection authenticated: "
    'identity="grafana" method=scram-sha-256 (/etc/postgresql/15/main/pg_hba.conf:102)',
    "2024-05-14 00:00:30.000 UTC [123] LOG:  checkpoint starting: time",
    "2024-05-14 00:00:31.000 UTC [26990] [unknown]@[unknown] LOG:  connection received: "
    "host=10.0.0.5 port=51234",
    "2024-05-14 00:00:33.000 UTC [26990] etl@tsdb ERROR:  duplicate key value violates unique "
    'constraint "x_pkey"',
    "2024-05-14 00:00:34.000 UTC [26990] etl@tsdb DETAIL:  Key (id)=(5) already exists.",
]


def test_postgresqls_log_line_prefix_is_a_format(log_parsed):
    """QA TimescaleDB: `auto` took `iso`, which left `[<pid>]` first in every template and no
    session by backend pid without a format string of one's own."""
    assert rank_formats(POSTGRES)[0].name == "postgres"
    events, _ = log_parsed(POSTGRES, "postgres")
    assert events["Pid"] == ["26986", "123", "26990", "26990", "26990"]
    assert events["User"] == ["grafana", "", "[unknown]", "etl", "etl"]
    assert events["Level"] == ["LOG", "LOG", "LOG", "ERROR", "DETAIL"]
    assert events["content"][1] == "checkpoint starting: time"
    assert all(t is not None for t in events["timestamp"])


def test_an_authenticated_identity_is_a_name():
    """QA TimescaleDB: `identity="grafana"` was kept, a template per account."""
    assert "grafana" not in mask_text('connection authenticated: identity="grafana" method=md5')


def test_a_quoted_statement_in_a_calls_arguments_is_a_value(log_parsed):
    """QA Redash: RQ's job description, `execute_query("SELECT * FROM users WHERE plan = 'pro'",
    3, ...)`, kept the query, a template per query and an analyst's new query a new event."""
    queries = [
        "SELECT * FROM users WHERE plan = 'pro'",
        "SELECT count(*) FROM events WHERE created_at > now() - interval '1 day'",
        "WITH t AS (SELECT 1) SELECT * FROM t",
        "UPDATE orders SET state = 'x' WHERE id = 4",
    ]
    lines = [
        f"[2026-11-02 16:21:{s:02d},212][PID:9][INFO][rq.worker] scheduled_queries: "
        f'redash.tasks.queries.execution.execute_query("{queries[s % 4]}", 3, '
        f"{{'Queue': 'scheduled_queries', 'query_id': {s}}}, user_id=2) ({s:08x}-1111)"
        for s in range(16)
    ]
    events, _ = log_parsed(lines, "iso")
    assert len(set(events["template"])) == 1
    assert 'execute_query("<*>"' in events["template"][0]


def test_a_tasks_and_a_stages_camel_case_type_is_the_event(log_parsed):
    """QA Spinnaker: Orca's `Starting task createBake` beside `monitorDeploy` and eleven more
    were one `Starting task <*>` event, a missing or reordered step unseen."""
    tasks = ["createBake", "monitorBake", "deployManifest", "monitorDeploy",
             "waitForManifestStable", "promoteOutputs", "wait"]  # fmt: skip
    lines = [
        f"2024-11-18 10:00:{n:02d}.100  INFO 1 --- [handlers-1] c.n.s.orca.q.handler."
        f"StartTaskHandler : Starting task {tasks[n % 7]} (taskId: {n}) of stage "
        f"01JCZ4JDMBWZMPPC5DV48QX{n:03d}"
        for n in range(28)
    ]
    events, _ = log_parsed(lines, "iso")
    assert len(set(events["template"])) == 7
    # ids after the word stay one value
    ids = [f"2024-11-18 10:00:{n:02d} task {n} finished for user{n % 20}" for n in range(30)]
    events, _ = log_parsed(ids, "iso")
    assert len(set(events["template"])) == 1


def test_a_shops_page_after_its_language_is_the_endpoint():
    """QA PrestaShop: every page of the shop one `GET /en/<*>` event, a checkout that skipped
    the payment step a cart's."""
    def path(p: str) -> str:
        return mask_text(f"GET {p} HTTP/1.1").split()[1]

    assert path("/en/cart?action=show") == "/en/cart?<*>"
    assert path("/de-DE/order-confirmation") == "/de-DE/order-confirmation"
    assert path("/en/3-clothes") == "/en/<*>"  # an id first: a value
    assert path("/js/app.js") == "/js/<*>"  # no language


def test_spring_boots_layout_is_a_format(log_parsed):
    """QA Spinnaker: `auto` took `iso`, which kept Spring Boot's padded thread in the message,
    `[ <*>]` or `[<*>]` by whether a thread's number was all digits: one event, two templates."""
    lines = [
        "2024-11-18 10:00:00.100  INFO 1 --- [     handlers-1] c.n.s.orca.q.handler."
        "CompleteExecutionHandler    : Orchestration 01JCZ4JD6A2BS6BHE4PG4BE000 completed",
        "2024-11-18 10:00:01.100  INFO 1 --- [task-45277687] c.n.s.orca.q.handler."
        "CompleteExecutionHandler    : Orchestration 01JCZ4JD6A2BS6BHE4PG4BE001 completed",
        "2024-11-18 10:00:02.100  WARN 7 --- [orca] [main] o.s.boot.SpringApplication : Started "
        "in 3 s",
    ]
    assert rank_formats(lines)[0].name == "spring"
    events, _ = log_parsed(lines, "spring")
    assert len(set(events["template"][:2])) == 1
    assert events["template"][0].startswith("INFO c.n.s.orca.q.handler.CompleteExecutionHandler")
    assert events["ThreadName"] == ["handlers-1", "task-45277687", "main"]
    assert events["App"] == ["", "", "orca"] and events["Pid"] == ["1", "1", "7"]


def test_a_models_hyphenated_name_after_a_label_or_name_is_a_value(log_parsed):
    """QA KServe: `Registering model: lgbm-fraud` and `Model with name sklearn-iris is not
    ready.` were a template per model, a normal pod of a rarer model an unusual one."""
    models = ["lgbm-fraud", "sklearn-iris", "xgb-churn"]
    lines = [
        f"2024-11-18 10:00:{n:02d}.100 kserve INFO [model_server.py:{n}] "
        + (f"Registering model: {models[n % 3]}" if n % 2 else
           f"Model with name {models[n % 3]} is not ready.")
        for n in range(24)
    ]
    events, _ = log_parsed(lines, "iso")
    assert len(set(events["template"])) == 2
    assert all(m not in t for t in events["template"] for m in models)
