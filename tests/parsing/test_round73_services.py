"""QA rounds 73 (Thanos, OpenPBS, Kubernetes' audit log, MIT Kerberos' KDC, OpenLDAP's slapd)
and 74 (Magento, EMQX, Buildkite, Artifactory, Shibboleth): what each log's first run got wrong,
as a new user met it."""

from __future__ import annotations

THANOS_LINES = [
    'ts=2026-12-05T10:00:01.234Z caller=sidecar.go:195 level=info msg="successfully loaded '
    'prometheus external labels" external_labels="{cluster=\\"prod-eu\\", replica=\\"'
    'prometheus-0\\"}"',
    'ts=2026-12-05T10:00:02.234Z caller=sidecar.go:195 level=info msg="successfully loaded '
    'prometheus external labels" external_labels="{cluster=\\"prod-us\\", replica=\\"'
    'prometheus-1\\"}"',
    'ts=2026-12-05T10:06:00.789Z caller=compact.go:1096 level=info group="0@{cluster=\\"prod-eu'
    '\\", prometheus=\\"monitoring/k8s\\", prometheus_replica=\\"prometheus-k8s-3-0\\", shard='
    '\\"3\\"}" groupKey=0@5327384218562783231 msg="compaction available and planned"',
    'ts=2026-12-05T10:06:01.789Z caller=compact.go:1096 level=info group="0@{cluster=\\"prod-ap'
    '\\", prometheus=\\"monitoring/k8s\\", prometheus_replica=\\"prometheus-k8s-1-0\\", shard='
    '\\"1\\"}" groupKey=0@1327384218562783231 msg="compaction available and planned"',
    "ts=2026-12-05T10:07:00.890Z caller=bucket.go:1157 level=error component=store "
    'msg="loading block failed" elapsed=1.2s id=01HGZ3K4N5P6Q7R8S9T0V1W2X3 err="invalid size"',
]


def test_a_prometheus_label_sets_values_are_variables_and_its_names_stay(log_parsed, masked_alike):
    """QA Thanos: a template per `cluster` value, and a new region's every line a new event
    scored as high as a real failure."""
    events, _ = log_parsed(THANOS_LINES, "logfmt")
    templates = events["template"]
    assert templates[0] == templates[1] and templates[2] == templates[3]
    assert 'external_labels={cluster="<*>", replica="<*>"}' in templates[0]
    assert (
        'group=<*>@{cluster="<*>", prometheus="<*>", prometheus_replica="<*>", shard="<*>"}'
        in templates[2]
    )
    assert masked_alike(['labels="{region=\\"eu\\", zone=\\"eu-1a\\"}"', "{a=1}"]) == [
        'labels="{region=\\"<*>\\", zone=\\"<*>\\"}"',
        "{a=<*>}",
    ]


def test_a_go_kit_caller_is_a_field_of_the_message_not_the_component(log_parsed):
    """QA Thanos: `Component` held `component=store` on some lines and the source line
    `caller=compact.go:1096` on the others, and sessions `--by-field Component` were one per
    source line."""
    events, _ = log_parsed(THANOS_LINES, "logfmt")
    assert events["Component"][4] == "store"
    assert events["Component"][0] in ("", None)
    assert "caller=sidecar.go:<*>" in events["template"][0]
    assert "caller=bucket.go:<*>" in events["template"][4]


KDC = (
    "Dec 05 10:00:0{} kdc1.example.com krb5kdc[2212](info): TGS_REQ ({} etypes {{{}}}) "
    "10.0.5.7{}: "
)
OFFERED = [
    "aes256-cts-hmac-sha1-96(18), aes128-cts-hmac-sha1-96(17), DEPRECATED:arcfour-hmac(23), "
    "DEPRECATED:arcfour-hmac-exp(24), -135",
    "aes256-cts-hmac-sha1-96(18), aes128-cts-hmac-sha1-96(17)",
]
ISSUED = (
    "ISSUE: authtime 1796464800, etypes {{rep=aes256-cts-hmac-sha1-96(18), tkt={}, "
    "ses=aes256-cts-hmac-sha1-96(18)}}, u{}@EXAMPLE.COM for cifs/fs0{}.example.com@EXAMPLE.COM"
)


def test_a_kerberos_tickets_encryption_type_is_its_own_event_whatever_the_client_offered(
    log_parsed,
):
    """QA MIT KDC: an RC4 ticket (Kerberoasting) and an AES one were one `tkt=<*>)` event once
    both were met in one run, and each client's list of offered types made a template of its
    own, half masked."""
    lines = [
        KDC.format(i, 5 - 3 * (i % 2), OFFERED[i % 2], i) + ISSUED.format(ticket, i, i)
        for i, ticket in enumerate(["aes256-cts-hmac-sha1-96(18)"] * 3 + ["rc4-hmac(23)"])
    ]
    events, _ = log_parsed(lines, "linux", year=2026)
    templates = events["template"]
    assert templates[0] == templates[1] == templates[2] != templates[3]
    assert "(<*> etypes {<*>})" in templates[0]
    assert "tkt=<*>(18)" in templates[0] and "tkt=rc4-hmac(23)" in templates[3]


def test_an_ldap_searchs_values_base_and_attributes_are_variables(masked_alike):
    """QA OpenLDAP: `objectClass=inetOrgPerson` beside `posixAccount`, another subtree, one
    attribute more: a normal client's search a new event. A presence test (a dump's) stays."""
    assert masked_alike([
        'conn=1042 op=2 SRCH base="ou=people,dc=example,dc=com" scope=2 deref=0 '
        'filter="(&(objectClass=posixAccount)(uid=alice))"',
        'conn=7 op=2 SRCH base="dc=example,dc=com" scope=2 deref=0 filter="(objectClass=*)"',
        'conn=7 op=3 SRCH base="" scope=0 deref=0 filter="(|(cn=jo*)(&(mail=*smith*)(!(uid=x))))"',
        "conn=1042 op=2 SRCH attr=uid cn mail memberOf",
        "conn=1044 op=3 MOD attr=userPassword",
        "check (status=failed) done",
    ]) == [
        'conn=<*> op=<*> SRCH base="<*>" scope=2 deref=<*> filter="(&(objectClass=<*>)(uid=<*>))"',
        'conn=<*> op=<*> SRCH base="<*>" scope=2 deref=<*> filter="(objectClass=*)"',
        'conn=<*> op=<*> SRCH base="<*>" scope=0 deref=<*> '
        'filter="(|(cn=<*>)(&(mail=<*>)(!(uid=<*>))))"',
        "conn=<*> op=<*> SRCH attr=<*>",
        "conn=<*> op=<*> MOD attr=userPassword",
        "check (status=failed) done",
    ]


def test_a_pbs_jobs_queue_is_a_variable_and_a_reject_code_is_kept(masked_alike):
    """QA OpenPBS: a template per queue (a new queue's every job new events), and every
    rejected request one event whatever its error code."""
    assert masked_alike([
        "enqueuing into workq, state Q hop 1",
        "dequeuing from gpuq, state E",
        "Reject reply code=15001, aux=0, type=23, from bob@login02",
        "Reject reply code=15007, aux=0, type=23, from bob@login02",
    ]) == [
        "enqueuing into <*>, state Q hop <*>",
        "dequeuing from <*>, state E",
        "Reject reply code=15001, aux=<*>, type=<*>, from <*>",
        "Reject reply code=15007, aux=<*>, type=<*>, from <*>",
    ]


def test_kubernetes_pod_names_identities_and_group_lists_are_variables(masked_alike):
    """QA Kubernetes audit log: a Deployment pod's random suffix kept (after a rollout every
    event of its service account new), the authorizer's reason a template per user, the user's
    groups kept, and a JSON list's bracket taken for a uid (`pod-uid=<*>"<*>"]`)."""
    extra = "user.extra.authentication.kubernetes.io"
    assert masked_alike([
        f'{extra}/pod-name=["web-7d9f8b6c5d-x2k4p"] {extra}/pod-uid=["1b2c3d4e-aaaa-bbbb-cccc-'
        '123456789012"] user.groups=["system:serviceaccounts","system:authenticated"] x',
        "pod web-6b4f9c8d7e-hqgzn started; apply-feedback-widget and kube-proxy-x2k4p stay",
        'reason=RBAC: allowed by ClusterRoleBinding "system:kube-scheduler" of ClusterRole '
        '"system:kube-scheduler" to User "system:kube-scheduler"',
    ]) == [
        '<*>/pod-name=["web-<*>-<*>"] <*>/pod-uid=<*> user.groups=<*> x',
        "pod web-<*>-<*> started; apply-feedback-widget and <*> stay",
        'reason=RBAC: allowed by ClusterRoleBinding "<*>" of ClusterRole "<*>" to User "<*>"',
    ]


def test_a_process_exit_status_keeps_its_value_where_it_could_be_an_http_status(masked_alike):
    """QA Buildkite: `Exit Status: 137` and `143` were one `Exit Status: 1xx` event (an OOM kill
    a SIGTERM's), where 0, 1 and 2 kept their values; an HTTP status keeps its class."""
    assert masked_alike([
        "Process with PID: 4242 finished with Exit Status: 137, Signal: nil",
        "Process with PID: 4243 finished with Exit Status: 143, Signal: nil",
        "Failed to upload artifacts: POST https://agent.buildkite.com/v3/jobs/0193/artifacts: "
        "502 Bad Gateway",
    ]) == [
        "Process with PID: <*> finished with Exit Status: 137, Signal: nil",
        "Process with PID: <*> finished with Exit Status: 143, Signal: nil",
        "Failed to upload artifacts: POST <*>: 5xx Bad Gateway",
    ]


EMQX_LINES = [
    '2026-12-05T10:00:06.789012+01:00 [warning] msg: alarm_is_activated, message: <<"Process '
    'memory usage is higher than 70%">>, name: high_system_memory_usage',
    '2026-12-05T10:03:06.789012+01:00 [warning] msg: alarm_is_deactivated, message: <<"Process '
    'memory usage is higher than 70%">>, name: high_system_memory_usage',
] + [
    f"2026-12-05T10:05:0{i}.516979+01:00 [warning] tag: AUTHZ, clientid: sensor-040{i}, msg: "
    f"cannot_publish_to_topic_due_to_not_authorized, peername: 10.8.2.{i}:49225, username: "
    f"{user}, reason: not_authorized, topic: factory/line{i % 2}/cmd"
    for i, user in enumerate(["device"] * 6 + ["admin"] * 2)
]


def test_an_erlang_reports_message_is_the_event_and_its_named_values_are_variables(log_parsed):
    """QA EMQX: `msg: alarm_is_activated` and `alarm_is_deactivated` were one `alarm_is_<*>`
    event, and the one not-authorised publish a template per topic it named."""
    events, _ = log_parsed(EMQX_LINES, "hclog")
    templates = events["template"]
    assert templates[0] != templates[1] and "msg: alarm_is_deactivated" in templates[1]
    assert len(set(templates[2:])) == 1
    assert "clientid: <*>, msg:" in templates[2] and templates[2].endswith("topic: <*>")
    assert "username: <*>" in templates[2]


ARTIFACTORY_REQUESTS = [
    "2026-12-05T10:00:00.130Z|8a5f2c1d4e3b6a7c|10.4.0.12|ci-bot|GET|/api/npm/npm-remote/left-pad"
    "|200|0|3456|45|npm/9.8.1 node/v20.10.0 linux x64 workspaces/false",
    "2026-12-05T10:00:01.130Z|9b6e3d2c1a0f4e5d|10.4.0.12|ci-bot|GET|/api/npm/npm-remote/lodash"
    "|500|0|0|12|npm/9.8.1 node/v20.10.0 linux x64 workspaces/false",
]


def test_a_piped_request_record_keeps_its_endpoint_and_status_class(masked_alike):
    """QA Artifactory: its request log's `GET|/api/...|500|...` was one word, a 500 and a 401 a
    200's event (F1 0.00), its templates split by user agent instead."""
    record = ARTIFACTORY_REQUESTS[1].split("|", 4)[4]
    assert masked_alike([record, ARTIFACTORY_REQUESTS[0]]) == [
        "GET /api/npm/<*> 5xx <*> <*> <*> <*>",
        "<*>|<*>|<*>|ci-bot| GET /api/npm/<*> 2xx <*> <*> <*> <*>",
    ]


def test_auto_does_not_read_a_piped_request_log_as_open_vswitchs(tmp_path):
    """QA Artifactory: `auto` chose `ovs` for the request log, its user read as the level and
    its client as the module, with no word said."""
    from logbert.parsing.auto import rank_formats

    ranked = rank_formats(ARTIFACTORY_REQUESTS * 3)
    assert not ranked or ranked[0].name != "ovs"
    ovs = ["2026-12-04T10:21:11.123Z|00042|bridge|INFO|bridge br-int: added interface tap3f2a"]
    assert rank_formats(ovs * 3)[0].name == "ovs"


def test_a_monolog_channels_info_level_is_no_host_name(masked_alike):
    """QA Magento: `main.INFO:` was masked as a host under the `.info` domain (`<*>: Cron Job
    ...`) where `main.WARNING:` stayed; a lower-case `.info` name is still a host."""
    assert masked_alike([
        "main.INFO: Cron Job indexer_reindex_all_invalid is run [] []",
        "lame server resolving ns1.example.info from 10.0.0.1",
    ]) == [
        "main.INFO: Cron Job indexer_reindex_all_invalid is run [] []",
        "lame server resolving <*> from <*>",
    ]


def test_a_teamspeak_name_before_its_id_is_one_value_whatever_its_words(masked_alike):
    """QA TeamSpeak: a client's or channel's name of several words, brackets or dots was kept
    (`'Luna Lovegood'(id:<*>)`), a template per user and channel, 62 for 25 events."""
    assert masked_alike([
        "client connected 'Gandalf der Graue'(id:69) from 10.0.1.7:50211",
        "client connected 'eve'(id:44) from 192.168.1.3:29622",
        "channel 'Raid Night'(id:17) created by '[AFK] Tom'(id:63)",
        "query from 1 127.0.0.1:41234 issued: login with account 'serveradmin'(serveradmin)",
    ]) == [
        "client connected '<*>'(id:<*>) from <*>:<*>",
        "client connected '<*>'(id:<*>) from <*>:<*>",
        "channel '<*>'(id:<*>) created by '<*>'(id:<*>)",
        "query from <*> <*>:<*> issued: login with account '<*>'(<*>)",
    ]


def test_a_state_in_parentheses_after_its_name_is_the_event(log_parsed):
    """QA Factorio: `oldState(InGame) newState(DesyncedWaitingForMap)` was one `newState(<*>)`
    event with every normal step of a join."""
    states = ["InGame", "ConnectedWaitingForMap", "ConnectedLoadingMap", "TryingToCatchUp"]
    lines = [
        f"{100 + i:8.3f} Info ServerMultiplayerManager.cpp:805: updateTick({4000 + i}) received "
        f"stateChanged peerID({i % 5}) oldState({states[i % 4]}) newState({states[(i + 1) % 4]})"
        for i in range(24)
    ] + [
        "2658.527 Info ServerMultiplayerManager.cpp:805: updateTick(159424) received stateChanged "
        "peerID(2) oldState(InGame) newState(DesyncedWaitingForMap)"
    ]
    events, _ = log_parsed(lines, "raw")
    assert events["template"][-1].endswith("oldState(InGame) newState(DesyncedWaitingForMap)")
    assert events["template"][-1] not in events["template"][:-1]


def test_round_76_values_a_clamav_signature_a_neo4j_duration_and_a_commit_comment(
    masked_alike, log_parsed
):
    """QA round 76: ClamAV's `Win.Malware.Emotet-<*>-<*> FOUND` merged with the routine
    `Heuristics.Limits.Exceeded.MaxFileSize FOUND` (a virus a file too big to scan); Neo4j's
    `completed in 1s 101ms.` beside `547ms.` two templates; a Junos commit's comment kept."""
    assert masked_alike([
        "/home/x/a.doc: Win.Malware.Emotet-9953247-0 FOUND",
        "checkpoint completed in 1s 101ms. Checkpoint flushed 431 pages",
        "checkpoint completed in 547ms. Checkpoint flushed 431 pages",
        "UI_COMMIT: User 'netops' requested 'commit' operation (comment: change FW rule)",
    ]) == [
        "<*>: Win.Malware.<*> FOUND",
        "checkpoint completed in <*>. Checkpoint flushed <*> pages",
        "checkpoint completed in <*>. Checkpoint flushed <*> pages",
        "UI_COMMIT: User '<*>' requested 'commit' operation (comment: <*>)",
    ]
    found = [f"/srv/f{i}.zip: Heuristics.Limits.Exceeded.MaxFileSize FOUND" for i in range(30)]
    found += [f"/var/mail/m{i}.eml: Win.Malware.Emotet-{9953240 + i}-0 FOUND" for i in range(3)]
    found += [f"/srv/share/e{i}.pdf: Heuristics.Encrypted.PDF FOUND" for i in range(5)]
    events, _ = log_parsed(found, "raw")
    assert len(set(events["template"])) == 3


def test_a_graylog_inputs_type_and_id_are_one_value(masked_alike):
    """QA Graylog: `Input [Beats/<*>] is now RUNNING` beside `Input [Syslog UDP/<*>] ...`: a
    template per input for each of its states, a new input's start a new event."""
    assert masked_alike([
        "Input [Syslog UDP/5f2a1b4c9d8e7f6a5b4c3d2e] is now RUNNING",
        "Input [GELF TCP/6a5b4c3d2e1f0a9b8c7d6e5f] is now RUNNING",
    ]) == ["Input [<*>] is now RUNNING"] * 2


def test_timezone_dates_the_lines_whose_zone_field_is_empty(log_parsed):
    """QA WordPress: PHP-FPM's `[06-Dec-2026 11:00:01] ...` (no zone) beside debug.log's `...
    UTC]` lines: `--timezone Europe/Berlin` was said to have changed none, and the FPM lines
    stayed an hour off."""
    lines = [
        "[06-Dec-2026 11:00:01] WARNING: [pool www] server reached pm.max_children setting (20)",
        '[06-Dec-2026 10:00:00 UTC] PHP Warning:  Undefined array key "sku" in /x.php on line 2',
    ]
    events, summary = log_parsed(lines, "php", timezone="Europe/Berlin")
    assert [str(t) for t in events["timestamp"]] == ["2026-12-06 10:00:01", "2026-12-06 10:00:00"]
    assert any("were read in Europe/Berlin (--timezone)" in note for note in summary.notes)
    assert not any("changed none" in note for note in summary.notes)
