"""What blind QA round 93 (Frappe / ERPNext, Apache Impala, Janus, MLflow, polkit and
certmonger) found in reading each log's lines, and what they read as now."""

from __future__ import annotations

from logbert.parsing.auto import rank_formats
from logbert.parsing.masks import mask_text


def test_an_rpc_apis_verb_is_its_call(log_parsed):
    """QA MLflow: `/api/2.0/mlflow/runs/create`, `.../runs/log-metric` and
    `.../model-versions/transition-stage` were one `POST /api/2.0/mlflow/<*>` event, a
    never-seen stage transition and an experiment's deletion a run's creation."""
    calls = [
        "runs/create", "runs/log-metric", "runs/update", "model-versions/transition-stage",
        "experiments/delete", "experiments/get-by-name",
    ]  # fmt: skip
    line = (
        '10.0.0.{n} - - [05/Mar/2024:06:00:{n:02d} +0000] "POST /api/2.0/mlflow/{c} HTTP/1.1" 200 7'
    )
    lines = [line.format(n=n, c=calls[n % len(calls)]) for n in range(24)]
    events, _ = log_parsed(lines, "access")
    assert {t.split()[1] for t in events["template"]} == {f"/api/2.0/mlflow/{c}" for c in calls}
    # ... also under an API of another name, MLflow's UI calls, `/ajax-api/2.0/mlflow/...`
    assert mask_text("GET /ajax-api/2.0/mlflow/runs/search?x=1 HTTP/1.1") == (
        "GET /ajax-api/2.0/mlflow/runs/search?<*> HTTP/<*>"
    )
    # a name after the resource is no verb: still one value
    assert mask_text("GET /api/v1/users/alice HTTP/1.1") == "GET /api/v1/users/<*> HTTP/<*>"


def test_a_remote_methods_name_and_a_python_dicts_path_are_the_endpoint(log_parsed):
    """QA Frappe: `frappe.web`'s `{..., 'full_path': '/api/method/login?', ...}` records were two
    events (GET and POST), a mass delete (`frappe.client.delete`) a login's."""
    record = (
        "2024-03-05 10:00:{s:02d},101 INFO frappe.web {{'site': 'erp.example.com', 'pid': 22, "
        "'full_path': '{path}', 'method': 'POST', 'http_status_code': 200}}"
    )
    paths = ["/api/method/login?", "/api/method/frappe.client.delete?",
             "/api/method/frappe.desk.form.save.savedocs?", "/app/sales-invoice/SINV-0001"]
    lines = [record.format(s=s, path=paths[s % 4]) for s in range(24)]
    events, _ = log_parsed(lines, "iso")
    # (the record is read as fields: `parsing/embedded_objects.py`)
    kept = {t.split("full_path=")[1].split()[0] for t in events["template"]}
    assert kept == {
        "/api/method/login?<*>", "/api/method/frappe.client.delete?<*>",
        "/api/method/frappe.desk.form.save.savedocs?<*>", "/app/<*>",
    }  # fmt: skip
    # ... and as a dict inside a message, as text
    assert mask_text("record {'full_path': '/api/method/login?x=1', 'pid': 2} done") == (
        "record {'full_path': '/api/method/login?<*>', 'pid': <*>} done"
    )
    assert mask_text("POST /api/method/frappe.client.delete HTTP/1.1") == (
        "POST /api/method/frappe.client.delete HTTP/<*>"
    )


def test_json_paths_before_a_comma_stay_endpoints(log_parsed):
    """A JSON member's path before its comma was no endpoint to the miner (`"/cart",`), so
    `/cart`, `/login` and `/api/orders/<*>` in a JSON message merged into `"/<*>"`."""
    paths = ["/api/orders/1", "/cart", "/login"]
    lines = [
        f'2024-03-05 10:00:{s:02d} INFO req {{"path": "{paths[s % 3]}", "status": 200}}'
        for s in range(18)
    ]
    events, _ = log_parsed(lines, "iso")
    assert len(set(events["template"])) == 3


def test_a_statement_after_a_label_and_a_pools_dotted_name_are_values():
    """QA Impala: `Analyzing query: select ...` and `stmt=select ...` made a template per
    query's shape (every ad-hoc query a new event), and `Rejected query from pool root.adhoc`
    a template per pool."""
    assert mask_text("Analyzing query: select * from web.clicks limit 10 db: default") == (
        "Analyzing query: <*>"
    )
    assert mask_text("Exec() query_id=ab12 stmt=SELECT a, b FROM t WHERE x > 5") == (
        "Exec() query_id=<*> stmt=<*>"
    )
    assert mask_text("Rejected query from pool root.adhoc: queue full, limit=200.") == (
        "Rejected query from pool <*>: queue full, limit=<*>."
    )
    assert mask_text("timeout 60000ms in pool root.etl. Queued reason: x") == (
        "timeout <*> in pool <*>. Queued reason: x"
    )
    # a query's word in prose, no statement after it, stays
    assert mask_text("Cancelled query: user request") == "Cancelled query: user request"


def test_a_ctime_in_brackets_is_ctime():
    """QA Janus: `[Tue Dec  1 09:18:27 2026] Creating new session: ...` was read by no built-in
    format (`auto` refused it); Apache 2.2's error log stays `apache`'s."""
    janus = [
        "[Tue Dec  1 09:18:27 2026] Creating new session: 729535636560266; 0x7f41b3008f40",
        "[Tue Dec  1 09:18:28 2026] [ERR] [ice.c:janus_ice_cb_nice_recv:2942] [62492635702] "
        "SRTP unprotect error: srtp_err_status_replay_fail",
        "[Tue Dec 10 09:20:01 2026] No more remote candidates for handle 5550001112223334!",
    ]
    assert rank_formats(janus)[0].name == "ctime"
    apache = [
        "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.conf",
        "[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6",
    ]
    assert rank_formats(apache)[0].name == "apache"


def test_polkits_and_pkexecs_users_and_commands_are_values(log_parsed):
    """QA polkit: `alice: Executing command ... [COMMAND=/usr/bin/systemctl restart sshd]` and
    polkitd's ONE-SHOT line were 9 templates each (3 users x the command's number of words),
    and PAM's `ruser=bob` was kept beside the masked `user=`."""
    users, commands = ["alice", "bob", "carol"], ["/usr/bin/gparted", "/usr/bin/tee /etc/hosts",
                                                 "/usr/bin/systemctl restart sshd"]
    lines = []
    for n in range(18):
        user, command = users[n % 3], commands[n // 3 % 3]
        head = f"Nov  4 09:05:{n:02d} ws-{user}"
        lines += [
            f"{head} pkexec[{4300 + n}]: {user}: Executing command [USER=root] [TTY=/dev/pts/0] "
            f"[CWD=/home/{user}] [COMMAND={command}]",
            f"{head} polkitd[812]: Operator of unix-session:{n} successfully authenticated as "
            f"unix-user:{user} to gain ONE-SHOT authorization for action "
            f"org.freedesktop.policykit.exec for unix-process:{4300 + n}:2832 [pkexec {command}] "
            f"(owned by unix-user:{user})",
            f"{head} pkexec[{4300 + n}]: pam_unix(polkit-1:auth): authentication failure; logname= "
            f"uid={1000 + n % 3} euid=0 tty= ruser={user} rhost= user={user}",
        ]
    events, _ = log_parsed(lines, "linux", year=2026)
    assert len(set(events["template"])) == 3
    assert all(u not in t for t in set(events["template"]) for u in users)


def test_polkits_action_ids_are_events(log_parsed):
    """QA polkit: `authorization for action org.freedesktop.packagekit.package-install` beside
    `...timedate1.set-time` was one `org.freedesktop.<*>` event, setting the clock a package
    install's."""
    actions = ["org.freedesktop.packagekit.package-install", "org.freedesktop.timedate1.set-time",
               "org.freedesktop.NetworkManager.settings.modify.system",
               "org.freedesktop.packagekit.system-update",
               "org.freedesktop.udisks2.filesystem-mount-system"]  # fmt: skip
    lines = [
        f"Nov  4 09:05:{n:02d} ws-carol polkitd[812]: Operator of unix-session:{n} successfully "
        f"authenticated as unix-user:carol to gain TEMPORARY authorization for action "
        f"{actions[n % 5]} for system-bus-name::1.{n} [/usr/bin/x] (owned by unix-user:carol)"
        for n in range(30)
    ]
    events, _ = log_parsed(lines, "linux", year=2026)
    assert len(set(events["template"])) == 5
