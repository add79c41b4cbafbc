"""What blind QA round 110 (Alertmanager, Chef Infra, Jetty, Telegraf) found in reading each
log's lines, and what they read as now."""

from __future__ import annotations


def test_an_alertmanager_alert_s_state_is_the_event_and_a_list_of_one_state_one_alert(
    log_parsed,
):
    """QA Alertmanager: `alert=HighCPUUsage[03d86ea][active]` and `[resolved]` were one
    `alert=<*>]` event (a resolve before its firing unseen), and a flush's list of alerts a
    template per length (all 3 false alarms)."""
    names = ("HighCPUUsage", "InstanceDown", "DiskFull", "KubePodCrashLooping")
    lines = [
        f"level=debug ts=2024-03-14T00:{i // 60:02d}:{i % 60:02d}.106Z caller=dispatch.go:165 "
        f'component=dispatcher msg="Received alert" alert={names[i % 4]}[03d86{i:02x}]'
        f"[{('active', 'resolved')[i % 3 == 0]}]"
        for i in range(24)
    ] + [
        f"level=debug ts=2024-03-14T01:{i:02d}:00.000Z caller=dispatch.go:516 "
        f'component=dispatcher msg=flushing alerts="['
        + " ".join(f"{names[j % 4]}[0{i}{j}a292][active]" for j in range(1 + i % 3))
        + ']"'
        for i in range(9)
    ]
    events, _ = log_parsed(lines, "logfmt")
    received = set(events["template"][:24])
    assert {t.split("alert=")[1].split()[0] for t in received} == {
        "<*>[active]", "<*>[resolved]"
    }  # fmt: skip
    assert len(set(events["template"][24:])) == 1
    assert "alerts=[<*>[active]]" in events["template"][24]



def test_a_silence_s_author_and_comment_are_values(masked_alike):
    """QA Alertmanager: `created_by:\\"jdoe\\" comment:\\"maintenance window\\"` kept in a
    gossiped silence: 24 silences 15 templates, a new author's silence a new event."""
    silence = (
        'msg="Gossiping new silence" silence="silence:<id:\\"dc9236da-44a7-fdaa-e8cb-46dbc8cabf75'
        '\\" matchers:<name:\\"alertname\\" pattern:\\"InstanceDown\\" > created_by:\\"{who}\\" '
        'comment:\\"{why}\\" > expires_at:<seconds:1710817200 > "'
    )
    jdoe, asmith = masked_alike([
        silence.format(who="jdoe", why="known issue, ticket OPS-869"),
        silence.format(who="asmith", why="maintenance window"),
    ])  # fmt: skip
    assert jdoe == asmith and 'created_by:\\"<*>\\" comment:\\"<*>\\"' in jdoe
    assert 'pattern:\\"InstanceDown\\"' in jdoe  # the matched alert's name, as it was


def test_a_chef_resource_s_type_is_the_event_its_name_a_value(log_parsed):
    """QA Chef: `Processing user[deploy] action create` beside `directory[...]`,
    `template[...]`, `cron[...]` was one `<*>[<*>]` event: a run that created `user[root]` and
    a `remote_file[/tmp/.cache/xmrig]` where it wrote a template scored 0 by every detector."""
    kinds = ("user", "directory", "template", "cron", "remote_file", "link")
    lines = [
        f"[2024-03-04T00:{i // 60:02d}:{i % 60:02d}+00:00] INFO: Processing {kinds[i % 6]}"
        f"[name{i}] action create (base::default line {10 + i % 6})"
        for i in range(36)
    ]
    events, _ = log_parsed(lines, "[<Timestamp>] <Level>: <Content>")
    assert {t.split()[1] for t in events["template"]} == {f"{k}[<*>]" for k in kinds}


def test_a_quoted_reason_phrase_and_chef_s_exit_codes_keep_their_codes(masked_alike):
    """QA Chef: `Net::HTTPClientException: 401 "Unauthorized"` masked its status (a 403 would
    have been the same event), `Expected process to exit with [0], but received '100'` both
    codes."""
    unauthorized, exit_code = masked_alike([
        'Net::HTTPClientException: 401 "Unauthorized"',
        "Expected process to exit with [0], but received '100'",
    ])  # fmt: skip
    assert unauthorized == 'Net::HTTPClientException: 4xx "Unauthorized"'
    assert exit_code == "Expected process to exit with [0], but received '100'"


JETTY = (
    "2024-03-25 08:00:06.090:INFO:ces.RequestFilter:qtp1846274136-18: [rid=fd17207d14020b65] "
    "GET /shop/products/58778 user=oscar",
    "2024-03-25 08:00:07.000:INFO:oejs.session:main: node0 Scavenging every 600000ms",
    "2024-03-25 08:00:08.000:INFO:oejs.session:Session-HouseKeeper-1a2b3c-1: node0 Scavenging "
    "every 660000ms",
    "2024-03-25 08:00:09.000:INFO :oejs.Server:main: jetty-10.0.20; built: 2024-01-29",
    "2024-03-25 08:00:10.050:INFO:ces.RequestFilter:qtp1846274136-18: [rid=fd17207d14020b65] "
    "Completed 500 in 9ms",
)


def test_jetty_s_own_log_is_a_built_in_format_its_thread_no_part_of_the_event(auto_parsed):
    """QA Jetty: `auto` chose `certbot` (Python's colon-separated layout), which kept the thread
    in every event: `main: <*> Scavenging every <*>` and `Session-HouseKeeper-<*>: ...` two
    events of one."""
    events = auto_parsed(list(JETTY), "jetty")
    assert events["ThreadName"][:3] == ["qtp1846274136-18", "main", "Session-HouseKeeper-1a2b3c-1"]
    assert events["Level"][3] == "INFO" and events["Component"][3] == "oejs.Server"
    assert events["template"][1] == events["template"][2] == "<*> Scavenging every <*>"
    # an application's `Completed 500 in 9ms` keeps its class (QA: every status one event)
    assert events["template"][4].endswith("Completed 5xx in <*>")


def test_certbot_s_lines_stay_certbot_s(auto_parsed):
    """`jetty` reads a thread before the message: a Python logger's `certbot version: 2.11.0`
    is no thread."""
    lines = [
        "2026-11-02 05:53:51,203:DEBUG:certbot._internal.main:certbot version: 2.11.0",
        "2026-11-02 05:53:51,204:DEBUG:certbot._internal.main:Root logging level set at 30",
        "2026-11-02 05:53:51,205:INFO:certbot._internal.plugins.selection:Plugins selected",
    ]
    events = auto_parsed(lines, "certbot")
    assert events["Component"][0] == "certbot._internal.main"
