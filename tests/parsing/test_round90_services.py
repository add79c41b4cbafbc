"""What blind QA round 90 (Triton, Dask, NetBird / ZeroTier, QuestDB, Sophos) found in
reading each log's lines, and what they read as now."""

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
