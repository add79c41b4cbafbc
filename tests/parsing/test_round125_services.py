"""What blind QA round 125 (cluster-autoscaler, Argo Workflows, GPFS, OpenStack Swift) found
in reading each log's lines, and what they read as now."""

from __future__ import annotations


def test_a_hosts_name_beside_its_address_is_a_value(masked_alike):
    """QA GPFS: `Connecting to 10.10.0.11 nsd01 <c0n0>` kept the node's name and connection
    id, a template per node (a new node's or group leader's routine lines new events)."""
    connecting = "Connecting to 10.10.0.{} {} <c0n{}>"
    lease = "Node 10.10.0.{} ({}) lease renewal is overdue. Pinging to check if it is alive"
    for line in (connecting, lease):
        first, second = masked_alike([line.format(11, "nsd01", 0), line.format(23, "cn03", 4)])
        assert first == second, line
    assert masked_alike([connecting.format(11, "nsd01", 0)]) == ["Connecting to <*> <*> <*>"]
    # a word without a digit after an address is no host's name: it stays
    assert masked_alike(["Connection from 10.0.0.5 (unknown) refused"]) == [
        "Connection from <*> (unknown) refused"
    ]


def test_a_kubernetes_events_object_is_its_kind(masked_alike):
    """QA cluster-autoscaler: `Event(v1.ObjectReference{Kind:"Pod", Namespace:"search",
    Name:"indexer-g5jkwlgpt-7rmrg", ...})` made a template per namespace and deployment."""
    event = (
        'Event(v1.ObjectReference{{Kind:"{}", Namespace:"{}", Name:"{}", UID:"0b7c6d1e", '
        "APIVersion:\"v1\"}}): type: 'Normal' reason: 'NotTriggerScaleUp' pod didn't trigger "
        "scale-up: 1 in backoff after failed scale-up"
    )
    search, ml, node = masked_alike([
        event.format("Pod", "search", "indexer-g5jkwlgpt-7rmrg"),
        event.format("Pod", "ml", "feature-pipeline-khbzz2hnj-bnfmg"),
        event.format("Node", "", "ip-10-0-1-5"),
    ])  # fmt: skip
    assert search == ml and 'Namespace:"<*>", Name:"<*>"' in search
    assert node != search  # (the kind is the event)


def test_a_swift_account_and_a_cut_token_are_values(masked_alike):
    """QA Swift: `/v1/AUTH_backup/...` kept the named account (a template per account, where
    an account's id was masked) and `gAAAAABbc39668445d06678...`, a token, sat in a template."""
    request = (
        "192.168.10.15 192.168.10.15 14/Mar/2024/10/00/07 GET /v1/AUTH_{}/logs/2024/app.gz "
        "HTTP/1.0 404 - curl/7.81.0 {}... - 70"
    )
    named, project = masked_alike([
        request.format("backup", "gAAAAABbc39668445d06678"),
        request.format("7f3c1e2a9b4d4e0f8a6c5b3d2e1f0a9b", "gAAAAAB0b7c7c4fac165ddc"),
    ])  # fmt: skip
    assert named == project and " GET /v1/<*> " in named and " <*>... " in named
    # a method's name cut short stays (Android's `AudioManager: querySoundEffectsEnabled...`)
    assert masked_alike(["AudioManager: querySoundEffectsEnabled..."]) == [
        "AudioManager: querySoundEffectsEnabled..."
    ]


def test_templates_that_several_programs_write_are_a_warning(tmp_path):
    """QA Swift: `linux` left the syslog tag out of the event, so object-, container- and
    account-server access lines were one event (a container's update before its object's
    write unseen), and nothing said so."""
    from logbert.parsing.formats import resolve_format
    from logbert.parsing.pipeline import parse_files

    access = '10.0.0.{} - - [14/Mar/2024:10:00:03 +0000] "PUT /sdb{}/1/AUTH_a/c/o" 201 - "tx{}"'
    lines = [
        f"Mar 14 10:{i // 60:02d}:{i % 60:02d} stor0{i % 3} {server}: {access.format(i, i, i)}"
        for i in range(120)
        for server in ("object-server", "container-server")
    ]
    log = tmp_path / "swift.log"
    log.write_text("\n".join(lines) + "\n")
    summary = parse_files([str(log)], resolve_format("linux", year=2024), tmp_path / "e.pq")
    warning = next(n for n in summary.warnings + summary.notes if "several programs" in n)
    assert warning.startswith("warning: 240 of 240 events (100%) are in templates that several")
    assert "object-server 50%, container-server 50%" in warning
    assert r"--format '<Month> <Date> <Time> <Host> <Event>(\[<PID>\])?: <Content>'" in warning
    one = tmp_path / "one.log"  # one program: no warning
    one.write_text("\n".join(line for line in lines if "object-server" in line) + "\n")
    summary = parse_files([str(one)], resolve_format("linux", year=2024), tmp_path / "o.pq")
    assert not [n for n in summary.warnings + summary.notes if "several programs" in n]
