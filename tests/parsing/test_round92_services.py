"""What blind QA round 92 (Milvus, anacron / cron / logrotate, Vault, Sentry, Velero) found in
reading each log's lines, and what they read as now."""

from __future__ import annotations


def test_python_loggings_stages_tasks_and_statuses_after_a_time_alone(log_parsed):
    """QA Sentry: in `docker compose logs`, `10:00:31 [INFO] sentry.tasks.store: process_event.
    start (...)` and three more stages were one `<*>.start` event, four Celery tasks one
    `Task sentry.tasks.<*>[<*>] received`, and `response=500` a 200's event."""
    head = "worker-1          | 10:00:{s:02d} [INFO] "
    stages = ["process_event", "preprocess_event", "symbolicate_event", "save_event"]
    tasks = ["sentry.tasks.store.save_event", "sentry.tasks.post_process.post_process_group",
             "sentry.tasks.deletion.run_deletion", "sentry.tasks.symbolication.symbolicate"]
    lines = [
        head.format(s=s) + f"sentry.tasks.store: {stages[s % 4]}.start (event_id='{s:032x}' "
        "project=3)"
        for s in range(20)
    ] + [
        head.format(s=s) + f"celery.worker.strategy: Task {tasks[s % 4]}[{s:08x}-1111] received"
        for s in range(20)
    ] + [
        head.format(s=s) + "sentry.access.api: api.access (method='GET' view='x' "
        f"response={(200, 500)[s % 2]} user_id='{s}')"
        for s in range(20)
    ]  # fmt: skip
    events, _ = log_parsed(lines, "<Service> | <Content>")
    templates = set(events["template"])
    assert len(templates) == 4 + 4 + 2
    stage = "sentry.tasks.store: save_event.start (event_id='<*>' project=<*>)"
    assert f"<*>:<*>:<*> [INFO] {stage}" in templates
    assert any("response=5xx" in t for t in templates)


def test_a_vault_login_path_a_listed_set_of_names_and_a_name_after_the_message(
    log_parsed, masked_alike
):
    """QA Vault: `auth/userpass/login/alice` was a template per user; QA Velero: `Including
    namespaces: shop,auth` one per list, and logrus' `name=orders-db-0` after the message was
    taken for the logger, first in the event, a template per pod."""
    masked = masked_alike([
        "request.operation=update request.path=auth/userpass/login/alice type=response",
        'msg="Including namespaces: shop,auth,monitoring" backup=velero/daily',
    ])  # fmt: skip
    assert masked == [
        "request.operation=update request.path=auth/userpass/login/<*> type=response",
        'msg="Including namespaces: <*>" backup=velero/daily',
    ]
    line = (
        'time="2026-12-05T02:00:0{s}Z" level=info msg="Backing up item" backup=velero/daily '
        "name={pod} namespace=shop resource=pods"
    )
    pods = ("orders-db-0", "auth-db-0", "web-7f9c")
    lines = [line.format(s=s, pod=pods[s % 3]) for s in range(9)]
    events, _ = log_parsed(lines, "logfmt")
    assert set(events["Component"]) == {""}
    assert set(events["template"]) == {
        "info Backing up item backup=velero/daily name=<*> namespace=<*> resource=pods"
    }


def test_a_filter_expression_a_client_sent_is_one_value(log_parsed):
    """QA Milvus: `[expr="price > 209"]` beside `[expr="category == \\"shoes\\""]` made a
    template per filter's shape, a new filter an unseen event."""
    head = '[2026/12/05 09:00:{s:02d}.255 +08:00] [INFO] [proxy/impl.go:2981] ["Query received"] '
    exprs = ['"price > 209"', '"category == \\"shoes\\""', '"id in [1, 2, 3]"']
    lines = [
        head.format(s=s) + f"[traceID={s:032x}] [collection=products] [expr={exprs[s % 3]}]"
        for s in range(9)
    ]
    events, _ = log_parsed(lines, "tidb")
    assert len(set(events["template"])) == 1 and "expr=<*>" in events["template"][0]
