"""What blind QA rounds 90 (Triton, Dask, NetBird / ZeroTier, QuestDB, Sophos) and 91
(BigBlueButton, Mautic, Pinot, PipeWire / LightDM, Umami / Plausible) found in reading each
log's lines, and what they read as now."""

from __future__ import annotations


def test_a_cri_lines_tag_and_a_klog_header_after_it_are_no_part_of_the_event(log_parsed):
    """QA Triton: `iso` read a CRI log's `2026-12-05T08:00:00Z stderr F I1205 08:00:00.77 1
    model_lifecycle.cc:469] loading: ...` with `stderr F I1205 <*>:<*>:<*> ...` in every
    template: the date a word of each, `loading:` and `unloading:` one event; Docker's
    json-file `log` the same."""
    head = "2026-12-0{d}T08:00:0{s}.772963000Z stderr F {letter}120{d} 08:00:0{s}.772963 1 "
    messages = [
        ("I", "model_lifecycle.cc:469] loading: resnet50_onnx:1"),
        ("I", "model_lifecycle.cc:620] unloading: tokenizer_py:3"),
        ("E", "dynamic_batch_scheduler.cc:389] Request timeout expired"),
    ]
    lines = [
        head.format(d=d, s=s, letter=messages[s][0]) + messages[s][1]
        for d in (5, 6) for s in range(3)
    ]  # fmt: skip
    lines.append("2026-12-05T08:00:09.000000000Z stdout F +---------+---------+")
    events, _ = log_parsed(lines, "iso")
    loading, unloading, timeout = events["template"][:3]
    assert loading.startswith("loading: ") and unloading.startswith("unloading: ")
    assert timeout == "error Request timeout expired"
    assert events["template"][3:6] == events["template"][:3]  # the next day's alike
    assert events["template"][6] == "+---------+---------+"
    docker = [
        '{"log":"I1205 08:00:00.772963 1 model_lifecycle.cc:469] loading: resnet50_onnx:1\\n",'
        '"stream":"stderr","time":"2026-12-05T08:00:00.772963Z"}'
    ]
    events, _ = log_parsed(docker, "json")
    assert events["template"][0].startswith("loading: ")


def test_a_level_read_as_the_host_is_a_warning(log_parsed):
    """QA NetBird: `--format syslog-iso` read `2026-12-05T16:50:48Z WARN client/...go:418:
    msg` with the level as the host, a WARN and an ERRO line of one message one event, exit 0
    and unsaid."""
    lines = [
        f"2026-12-05T16:50:4{i}Z {level} client/internal/dns/server.go:418: failed to apply "
        "DNS host manager update: timeout"
        for i, level in enumerate(["INFO", "WARN", "ERRO", "INFO", "DEBG"] * 2)
    ]
    events, summary = log_parsed(lines, "syslog-iso")
    (warning,) = [w for w in summary.warnings if "<Host> holds a level word" in w]
    assert "on 10 of 10 events" in warning and "'INFO'" in warning and "--format iso" in warning
    hosts = [line.replace(" INFO ", " web1 ").replace(" WARN ", " web2 ") for line in lines]
    _, summary = log_parsed(hosts, "syslog-iso")
    assert not [w for w in summary.warnings if "<Host> holds a level word" in w]


def test_the_message_starts_after_the_last_dash_of_pythons_default_header(log_parsed):
    """QA Dask: Python logging's `%(asctime)s - %(name)s - %(levelname)s - %(message)s` as
    `iso` keeps it: `Listening to:`, `Worker name:` and four more were one `- distributed.
    worker - INFO - <*> <*> <*>` event (the first `-` taken for the message's start)."""
    head = "2026-12-05 08:00:{s:02d},996 - distributed.worker - INFO - "
    words = [
        "      Start worker at:     tcp://10.0.0.{n}:44947",
        "         Listening to:     tcp://10.0.0.{n}:44947",
        "          Worker name:                   worker-{n}",
        "         dashboard at:          10.0.0.{n}:33613",
        "        Registered to:      tcp://10.0.0.10:8786",
        "               Memory:                   8.00 GiB",
        "      Local Directory: /tmp/dask-scratch-space/worker-{n}x",
    ]
    lines = [head.format(s=s) + words[s % 7].format(n=s) for s in range(28)]
    events, _ = log_parsed(lines, "iso")
    assert len(set(events["template"])) == 7
    assert "- distributed.worker - INFO - Registered to: <*>" in events["template"]


def test_a_zerotier_interface_is_a_value(masked_alike):
    """QA ZeroTier: `ztukwh4qvd: Gained IPv6LL` was a template per network's interface, and
    a host's new network 13 false alarms."""
    assert masked_alike(["ztukwh4qvd: Gained IPv6LL", "zt3jnb7ayc: Gained IPv6LL"]) == [
        "<*>: Gained IPv6LL", "<*>: Gained IPv6LL",
    ]  # fmt: skip


def test_a_firewalls_name_a_country_and_a_users_group_are_values(masked_alike):
    """QA Sophos: `device_name="XGS2100"`, `src_country_code=NLD` and `user_gp="Sales"` kept
    their values: 80 templates of one deny event, a second firewall's traffic all new."""
    line = (
        'device="SFW" device_name="{fw}" device_id={serial} log_id=010102600002 '
        'log_type="Firewall" log_subtype="Denied" status="Deny" user_gp="{group}" '
        "src_ip=45.148.10.7 src_country_code={country} dst_port=22"
    )
    masked = masked_alike([
        line.format(fw="XGS2100", serial="C44313350024-P29PUA", group="Sales", country="NLD"),
        line.format(fw="XGS3300", serial="C66200471203-K7Q2MX", group="IT", country="USA"),
    ])  # fmt: skip
    assert masked[0] == masked[1]
    assert "device_name=<*> device_id=<*>" in masked[0] and "src_country_code=<*>" in masked[0]
    assert 'log_subtype="Denied" status="Deny"' in masked[0]


def test_a_time_field_stops_before_the_messages_own_time(log_parsed):
    """QA Plausible (round 91): in `docker compose logs -t`, `<Timestamp>` took Docker's time
    and Elixir's after it, `2026-12-05T10:00:05.234567Z 10:00:05.234`, as one date and time,
    and no line of the service was dated; a date and a time apart are still one."""
    lines = [
        "plausible-1  | 2026-12-05T10:00:05.234567Z 10:00:05.234 request_id=F8a7 [info] POST /x",
        "umami-1  | 2026-12-05 10:00:06.5 POST /api/send 200 in 12ms",
    ]
    events, _ = log_parsed(lines, "<Component> | <Timestamp> <Content>")
    assert [str(t) for t in events["timestamp"]] == [
        "2026-12-05 10:00:05.234567", "2026-12-05 10:00:06.500000",
    ]  # fmt: skip
    assert events["content"][0].startswith("10:00:05.234 request_id=")


def test_a_name_of_several_words_in_a_messages_json_or_field_list_is_one_value(masked_alike):
    """QA BigBlueButton (round 91): `"fullname":"Ahmed van der Berg"`, `"filename":"Kapitel 4
    Übungen.docx"` and `[meetingID=..., name=Physics II - Lab, ...]` made a template per
    person, file and meeting whose name has spaces."""
    masked = masked_alike([
        '{"logCode":"join_api","fullname":"Ahmed van der Berg","role":"VIEWER"}',
        '{"logCode":"join_api","fullname":"Alice Smith","role":"VIEWER"}',
        '{"name":"presentation","filename":"Kapitel 4 Übungen.docx"}',
        "Received create API request [meetingID=fa2b1c3d-rm1, name=Physics II - Lab, x=1]",
    ])  # fmt: skip
    assert masked[0] == masked[1] == '{"logCode":"join_api", "fullname":"<*>", "role":"VIEWER"}'
    assert masked[2] == '{"name":"presentation", "filename":"<*>"}'
    assert masked[3] == "Received create API request [meetingID=<*>, name=<*>, x=<*>]"


def test_a_statement_ending_a_records_fields_is_one_value(masked_alike):
    """QA Pinot (round 91): the broker's stats line ends `...,exceptions=0,query=SELECT city,
    count(*) FROM orders ...`, a template per query text and a new query an unseen event."""
    masked = masked_alike([
        "requestId=99,table=orders_OFFLINE,exceptions=0,query=SELECT city, count(*) FROM orders "
        "WHERE region = 'US' GROUP BY city LIMIT 10",
        "requestId=98,table=orders_OFFLINE,exceptions=0,query=select count(*) from orders",
        "query=foo bar=1",
    ])  # fmt: skip
    assert masked[0] == masked[1] == (
        "requestId=<*>,table=<*>,exceptions=<*>,query=<*>"
    )
    assert masked[2] == "query=foo bar=<*>"


def test_console_commands_a_named_segment_and_a_php_key(log_parsed, masked_alike):
    """QA Mautic (round 91): `Running command mautic:segments:update` and five more commands
    were one `mautic:<*>` event; `Segment 12 (VIP customers):` a template per segment, a
    renamed one's updates 54 false alarms; `Undefined array key "utm_source"` one per key."""
    head = "[2026-12-05 10:00:{s:02d}] mautic.INFO: CommandListSubscriber: Running command "
    commands = ["mautic:segments:update", "mautic:campaigns:trigger", "mautic:emails:send",
                "mautic:webhooks:process", "mautic:maintenance:cleanup"]  # fmt: skip
    lines = [head.format(s=s) + commands[s % 5] + " [] []" for s in range(15)]
    events, _ = log_parsed(lines, "iso")
    assert len(set(events["template"])) == 5
    masked = masked_alike([
        "Segment 12 (VIP customers): 45 contacts added, 3 removed",
        "Segment 40 (Black Friday 2026 buyers): 45 contacts added, 3 removed",
        "Job 5 (FAILED): retry",
        'PHP Warning - Undefined array key "utm_source" - in file /var/www/x.php',
    ])  # fmt: skip
    assert masked[0] == masked[1] == "Segment <*> (<*>): <*> contacts added, <*> removed"
    assert masked[2] == "Job <*> (FAILED): retry"
    assert masked[3] == 'PHP Warning - Undefined array key "<*>" - in file <*>'


def test_a_sign_after_a_fields_bracket_and_a_return_value(log_parsed, masked_alike):
    """QA LightDM (round 91): `[+<Uptime>s]` read `[+` as "one or more `[`", so `[[[+0.10s]`
    was a line of the format and every uptime kept its `+`; `exited with return value 1` (an X
    server's crash) was a logout's `... return value <*>`."""
    lines = ["[[[+0.10s] DEBUG: Seat seat0: Starting", "[+0.20s] DEBUG: Seat seat0: Stopping"]
    events, summary = log_parsed(lines, "[+<Uptime>s] <Level>: <Content>")
    assert events["Uptime"] == ["0.20"] and summary.rejected == 1
    assert masked_alike([
        "Process 1234 exited with return value 1", "Process 1234 exited with return value 0",
    ]) == [
        "Process <*> exited with return value 1", "Process <*> exited with return value 0",
    ]  # fmt: skip
