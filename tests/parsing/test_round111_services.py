"""What blind QA round 111 (Arista EOS, FreeSWITCH, Argo CD, Sendmail) found in reading each
log's lines, and what they read as now."""

from __future__ import annotations

from logbert.parsing.frozen import FrozenMiner
from logbert.parsing.masks import mask_text
from logbert.parsing.miner import TemplateMiner


def _arista(messages: list[str]) -> list[str]:
    return [
        f"Dec  {1 + i // 1440} {i // 60 % 24:02d}:{i % 60:02d}:07 leaf{i % 4} ConfigAgent: {m}"
        for i, m in enumerate(messages)
    ]


def test_an_exit_status_past_http_s_codes_is_kept_not_read_as_an_http_class(masked_alike):
    """QA Arista EOS: ProcMgr's `(PID=2829, status=134) has terminated` (SIGABRT) read
    `status=1xx`, a crash an HTTP reply's class; `status=139` and `status=0` were masked."""
    abort, segv, clean = masked_alike([
        f"%PROCMGR-6-PROCESS_TERMINATED: 'Rib' (PID={pid}, status={status}) has terminated."
        for pid, status in ((2829, 134), (3074, 139), (2045, 0))
    ])  # fmt: skip
    assert abort.endswith("(PID=<*>, status=134) has terminated.")
    assert segv.endswith("status=139) has terminated.")
    assert clean.endswith("status=0) has terminated.")
    # a 1xx is 100-109, a 3xx 300-309: an HTTP class still where it is one
    assert masked_alike(["status=101 path=/ws", "status=304 x", "status=134 x"]) == [
        "status=1xx path=/ws", "status=3xx x", "status=<*> x"
    ]  # fmt: skip


def test_the_terminal_line_an_admin_came_in_on_is_a_value(log_parsed):
    """QA Arista EOS: `Startup config saved ... by alice on vty7` was a template per vty, and a
    save from a line training never showed a new event (all nine false alarms)."""
    lines = _arista([
        "%SYS-5-CONFIG_STARTUP: Startup config saved from system:/running-config by "
        f"{user} on vty{vty} (10.30.1.22)."
        for user, vty in (("alice", 7), ("alice", 7), ("alice", 4), ("alice", 3), ("bob", 6),
                          ("bob", 3), ("bob", 8), ("bob", 8))
    ])  # fmt: skip
    events, _ = log_parsed(lines, "linux", year=2025)
    assert set(events["template"]) == {
        f"%SYS-5-CONFIG_STARTUP: Startup config saved from system:<*> by {user} on <*> (<*>)."
        for user in ("alice", "bob")
    }  # (who saved it stays: an account training never showed is news)


def test_a_state_machine_s_event_is_the_event():
    """QA Arista EOS: BGP's `old state Established event AdminReset new state Idle` and `event
    HoldTimerExpired` were one event, a lost peer a planned reset's."""
    line = (
        "%BGP-5-ADJCHANGE: peer 10.0.1.{} (VRF default AS 65102) old state {} event {} new "
        "state {}"
    )
    changes = [("Established", "HoldTimerExpired", "Idle"), ("Established", "AdminReset", "Idle"),
               ("Established", "AdminReset", "Idle"), ("OpenConfirm", "RecvKeepAlive",
               "Established"), ("Established", "Stop", "Idle"), ("OpenConfirm", "RecvKeepAlive",
               "Established"), ("Established", "RecvNotification", "Idle")]  # fmt: skip
    miner = TemplateMiner()
    ids = miner.add([mask_text(line.format(i, *change)) for i, change in enumerate(changes * 2)])
    assert {miner.template(t).split(" event ")[1].split()[0] for t in ids} == {
        "AdminReset", "HoldTimerExpired", "Stop", "RecvKeepAlive", "RecvNotification"
    }  # fmt: skip


SIP_STATES = ("[received][100]", "[calling][0]", "[proceeding][180]", "[completed][200]",
              "[terminated][487]", "[ready][200]")  # fmt: skip
FREESWITCH = [
    "2026-11-16 08:00:00.000000 93.00% [DEBUG] switch_scheduler.c:241 Executing task 1000 "
    "heartbeat (core)",
    "d2bfbc31-805f-4a69-9700-78c15cbe693e 2026-11-16 08:00:02.354515 93.95% [NOTICE] "
    "switch_channel.c:1142 New Channel sofia/internal/1026@pbx1.example.com "
    "[d2bfbc31-805f-4a69-9700-78c15cbe693e]",
] + [
    f"d2bfbc3{i % 10}-805f-4a69-9700-78c15cbe693e 2026-11-16 08:00:{3 + i:02d}.356515 93.31% "
    f"[DEBUG] sofia.c:7084 Channel sofia/internal/10{i:02d}@10.0.1.{i}:5060 entering state "
    f"{state}"
    for i, state in enumerate(SIP_STATES * 3)
] + [
    f"9b3af38{i}-d4b5-4a5e-9d5c-0a1b2c3d4e5f 2026-11-16 08:01:0{i}.418239 98.65% [INFO] "
    f"mod_dialplan_xml.c:639 Processing {name} <10{i:02d}>->1013 in context default"
    for i, name in enumerate(("Eve Black", "Mary Ann Smith", "Cher", "WIRELESS CALLER"))
]


def test_freeswitch_s_log_is_a_built_in_format_its_channel_a_field(auto_parsed):
    """QA FreeSWITCH: `auto` knew no format for `freeswitch.log`; a user's own format string
    with an optional UUID could read a core line's date as the UUID."""
    events = auto_parsed(FREESWITCH, "freeswitch")
    assert events["Uuid"][:2] == ["", "d2bfbc31-805f-4a69-9700-78c15cbe693e"]
    assert events["Level"][:2] == ["DEBUG", "NOTICE"]
    assert events["Component"][1] == "switch_channel.c:1142"
    assert None not in events["timestamp"]
    # a SIP dialog's state and its code are the event (QA: one `[<*>]` event)
    assert {t.rsplit(" ", 1)[1] for t in events["template"][2:20]} == set(SIP_STATES)
    # a caller's display name is one value whatever its words (QA: `Cher` a new event)
    assert set(events["template"][20:]) == {"Processing <*> <<*>>-><*> in context default"}


ARGO = (
    'time="2026-11-16T07:{m:02d}:11Z" level=info msg="Tasks (dry-run)" application=argocd/{app} '
    'syncId={sync} tasks="[{tasks}]"'
)


def test_a_list_of_worded_items_in_a_logfmt_field_is_one_value(log_parsed):
    """QA Argo CD: `tasks="[Sync/0 resource Service:default/guestbook obj->obj (,,), ...]"` was
    a template per count of resources, and one per application where its names had no digit:
    a new application's first sync a new event. Its `syncId=68981-uuwKH` kept the suffix."""
    apps = {"guestbook": ("Service", "apps/Deployment"), "payments-api": ("ConfigMap", "Service",
            "apps/Deployment", "HorizontalPodAutoscaler"), "search-api": ("Service",)}  # fmt: skip
    lines = [
        ARGO.format(m=i, app=app, sync=f"{68981 + i}-uuw{'KHxyz'[i % 5]}H", tasks=", ".join(
            f"Sync/0 resource {kind}:team/{app} obj->obj (,,)" for kind in kinds
        ))  # fmt: skip
        for i, (app, kinds) in enumerate(list(apps.items()) * 3)
    ]
    events, _ = log_parsed(lines, "logfmt")
    assert set(events["template"]) == {
        'info Tasks (dry-run) application=<*> syncId=<*> tasks="<*>"'
    }


def test_a_kubernetes_object_s_name_after_its_kind_is_a_value(masked_alike):
    """QA Argo CD: `deployment.apps "catalog-svc" is invalid` kept the application's name (no
    digit in it), a template per failing application."""
    catalog, cert = masked_alike([
        'Sync operation failed: reason: deployment.apps "catalog-svc" is invalid',
        'Sync operation failed: reason: deployment.apps "cert-manager" is invalid',
    ])  # fmt: skip
    assert catalog == cert == 'Sync operation failed: reason: deployment.apps "<*>" is invalid'
    assert mask_text("requestId=abc-XyZ traceId=4bf9") == "requestId=<*> traceId=<*>"


def test_sendmail_s_local_accounts_milter_host_and_relay_s_queue_id_are_values(masked_alike):
    """QA Sendmail: `from=www-data` and `from=jenkins` were two events (a new job's account,
    all 51 of its mails flagged), `clamav-milter 1.0.7 at mx1` one per host (a renamed relay,
    182 more sessions flagged), and a relay's queue id stayed in a template met at scoring."""
    senders = masked_alike([
        f"6B3025Aw006985: from={who}, size=22468, class=0, nrcpts=1, "
        f"msgid=<20261203000205.t8VrU98891@app01.example.com>, relay={who}@localhost"
        for who in ("www-data", "jenkins")
    ])  # fmt: skip
    assert senders[0] == senders[1] and "from=<*>, size=<*>" in senders[0]
    delivered = masked_alike([
        f"6B50H24E018527: to={who}, ctladdr={who} (0/0), delay=00:00:00, mailer=relay, "
        "relay=[127.0.0.1] [127.0.0.1], dsn=2.0.0, stat=Sent (6B50H34H012066 Message accepted "
        "for delivery)"
        for who in ("root", "backup")
    ])  # fmt: skip
    assert delivered[0] == delivered[1]
    assert "to=<*>, ctladdr=<*> (" in delivered[0] and "stat=Sent (<*> Message" in delivered[0]
    milters = masked_alike([
        f"6B300201005699: Milter add: header: X-Virus-Scanned: clamav-milter 1.0.7 at {host}"
        for host in ("mx1", "mx3")
    ])  # fmt: skip
    assert milters[0] == milters[1] and milters[0].endswith("clamav-milter <*> at <*>")


def test_a_rejecting_rule_s_reply_keeps_its_class(masked_alike):
    """QA Sendmail: `reject=451 4.3.2 Please try again later` (a milter's temporary failure)
    and `reject=550 5.7.1 ...` masked both codes, as they are kept for `dsn=`."""
    tempfail, refused = masked_alike([
        "6B5A505c030606: Milter: data, reject=451 4.3.2 Please try again later",
        "6B5A505c030607: Milter: data, reject=550 5.7.1 Please try again later",
    ])  # fmt: skip
    assert "reject=4xx" in tempfail and "reject=5xx" in refused


def test_a_bracketed_value_of_a_known_variable_field_keeps_its_brackets_at_scoring():
    """QA Sendmail: scoring met `relay=[185.234.218.77]` in a line no known template fit, and
    the frozen parser's masking of the known variable `relay=` cut it to `relay=<*>]`, unlike
    training's `relay=[<*>]`."""
    known = TemplateMiner()
    known.add([f"<*>: from=<*>, size=<*>, relay={who}@localhost" for who in ("app", "cron", "www")])
    frozen = FrozenMiner(known)
    (tid,) = set(frozen.add(
        ["<*>: ruleset=check_rcpt, relay=[<*>], reject=5xx <*> <<*>>... Relaying denied."] * 2
    ))  # fmt: skip
    assert "relay=[<*>], reject" in frozen.template(tid)
    assert frozen._known_variables("x relay=[mx.example], y") == "x relay=<*>, y"


def test_an_error_s_kind_before_it_is_the_event():
    """QA Arista EOS: `%ETH-4-ERRDISABLE: bpduguard error detected on Ethernet12` and
    `link-flap error detected` were one `<*> error detected` event."""
    miner = TemplateMiner()
    ids = miner.add([
        mask_text(f"%ETH-4-ERRDISABLE: {cause} error detected on Ethernet{port}.")
        for cause, port in (("bpduguard", 12), ("link-flap", 49), ("bpduguard", 7),
                            ("link-flap", 3), ("udld", 1), ("bpduguard", 9))  # fmt: skip
    ])  # fmt: skip
    assert {miner.template(t).split()[1] for t in ids} == {"bpduguard", "link-flap", "udld"}
