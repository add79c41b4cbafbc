"""Masks for values that name no event: lists of values and quoted strings of several words
(one variable whatever their length), the machines and pods a field names, and HTTP
status codes only where a field says HTTP (QA PostgreSQL, Celery, klog and MongoDB logs)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from logbert.parsing.masks import mask_array, mask_text
from logbert.parsing.miner import TemplateMiner


@pytest.mark.parametrize(
    ("lines", "template"),
    [
        (  # SQL's IN lists of any length
            ["SELECT * FROM t WHERE id IN (7) LIMIT 5", "SELECT * FROM t WHERE id IN (1, 2, 3) "
             "LIMIT 5", "SELECT * FROM t WHERE id IN ('a', 'b c', 'd') LIMIT 9"],
            "SELECT * FROM t WHERE id IN (<*>) LIMIT <*>",
        ),
        (  # Python lists in task arguments
            ["Syncing items ['SKU-1', 'SKU-2'] done", "Syncing items [3, 4, 5, 6, 7, 8] done"],
            "Syncing items [<*>] done",
        ),
        (  # a quoted string of several words is one word, as a one-word name is
            ["WHERE name = 'carol smith' LIMIT 5", "WHERE name = 'mary ann jones' LIMIT 5"],
            "WHERE name = <*> LIMIT <*>",
        ),
    ],
)  # fmt: skip
def test_a_list_of_values_is_one_variable_whatever_its_length(lines, template):
    assert {mask_text(line) for line in lines} == {template}
    masked, codes, words = mask_array(pa.array(lines))
    assert [masked[int(c)].as_py() for c in codes] == [template] * len(lines)
    # the words line up with the template's: a list is one word of the words text
    assert all(len(w.split()) == len(template.split()) for w in words.to_pylist())


@pytest.mark.parametrize(
    "line",
    [
        "Connected (host, port) ok",  # names, not values
        "at Foo.bar(Foo.java:<*>)",
        "Can't connect, won't retry",  # apostrophes open no quoted string
        '{"status": 5xx, "path": "<*>"}',  # an object's fields say what it is
    ],
)
def test_words_and_objects_are_no_list_of_values(line):
    assert mask_text(line) == line


@pytest.mark.parametrize(
    ("line", "template"),
    [
        ('"Updating node status" node="node-a"', '"Updating node status" node=<*>'),
        ('"Probe failed" probeType="Liveness" pod="default/api-9wfx"',
         '"Probe failed" probeType="Liveness" pod=<*>'),
        ("instance=web-7 attr.hostName=db1 x", "instance=<*> attr.hostName=<*> x"),
        ('{"host": "web-1", "msg": "up"}', '{"host": <*>, "msg": "up"}'),
        # an account's name is a name too (`masks.NAME_KEYS`); a database's stays
        ("connection authorized: user=app database=shop",
         "connection authorized: user=<*> database=shop"),
        ("node: shutting down", "node: shutting down"),  # a message after a colon and space
        ("Invalid user admin from x", "Invalid user <*> from x"),  # an account before `from`
        ("user guide updated", "user guide updated"),  # no account
    ],
)  # fmt: skip
def test_a_field_naming_a_machine_or_pod_holds_no_event(line, template):
    """QA klog: three nodes were three templates of one event, and a cluster's new node made
    every line of it a new event (43 of 60 windows flagged)."""
    assert mask_text(line) == template


@pytest.mark.parametrize(
    ("line", "template"),
    [
        ("filter.status=503 ns=shop.orders", "filter.status=<*> ns=shop.orders"),
        ("http.status=503 x", "http.status=5xx x"),
        ("res.statusCode=404 y", "res.statusCode=4xx y"),
        ("a.http.response.status_code=200", "a.http.response.status_code=2xx"),
        ("status=503 z", "status=5xx z"),
    ],
)
def test_a_nested_status_is_http_only_under_a_name_that_says_so(line, template):
    """QA MongoDB: a query's `filter.status=503` had become `5xx`, a new event per value."""
    assert mask_text(line) == template


def test_a_calls_arguments_stay_values_of_their_own():
    """A call's argument count is fixed (`setDataSource(fd, offset, length)`): not a list."""
    assert mask_text("setDataSource(11, 0, 4096) ok") == "setDataSource(<*>, <*>, <*>) ok"


def test_haproxy_keeps_its_status_class_and_masks_its_accept_date():
    """QA HAProxy: a 500 and a 200 were one event (the status after the timers was a number),
    and the month name of `[30/Dec/2025:00:01:33.307]` made every January line a new event."""
    line = ('lb1 haproxy[2210]: 10.0.0.15:53422 [{date}] www~ app/web2 0/0/1/12/13 {status} 1834 '
            '- - ---- 12/12/3/1/0 0/0 "GET /api/v1/orders/8812 HTTP/1.1"')  # fmt: skip
    december = mask_text(line.format(date="30/Dec/2025:00:01:33.307", status=200))
    january = mask_text(line.format(date="01/Jan/2026:00:00:01.002", status=200))
    assert december == january and "[<*>]" in december and " 2xx <*> " in december
    assert " 5xx <*> " in mask_text(line.format(date="01/Jan/2026:00:00:01.002", status=503))
    # five numbers joined by slashes are HAProxy's timers only: a date or a ratio is no status
    assert mask_text("copied 1/2/3 200 files") == "copied <*>/<*>/<*> <*> files"


def test_haproxy_server_and_captured_cookies_name_no_event():
    """QA HAProxy: each endpoint was a template per server (`app/web1`, `app/web3`) and per
    captured cookie (`SRVID=web3` or `-`); ngram flagged 101 normal visitors for unseen pairs.
    `<NOSRV>` (the request reached no server) and the termination flags stay."""
    line = ('10.0.0.15:53422 [30/Dec/2025:00:01:33.307] www~ app/{server} 0/0/1/12/13 200 1834 '
            '{cookies} ---- 12/12/3/1/0 0/0 "GET /cart HTTP/1.1"')  # fmt: skip
    masked = {
        mask_text(line.format(server=server, cookies=cookies))
        for server in ("web1", "web3", "srv-02.dc1")
        for cookies in ("- -", "SRVID=web3 -", "- SRVID=web1")
    }
    assert masked == {'<*>:<*> [<*>] www~ app/<*> <*>/<*>/<*>/<*>/<*> 2xx <*> <*> <*> ---- '
                      '<*>/<*>/<*>/<*>/<*> <*>/<*> "GET /cart HTTP/<*>"'}  # fmt: skip
    failed = mask_text('10.0.0.9:1 [30/Dec/2025:00:01:33.307] www~ www/<NOSRV> -1/-1/-1/-1/0 '
                       '400 187 - - PR-- 1/1/0/0/0 0/0 "<BADREQ>"')  # fmt: skip
    assert " www/<NOSRV> " in failed and " PR-- " in failed
    # ... and a server's state line names it too (QA HAProxy, round 49: a server's hiccup known
    # on another server was a new event)
    assert mask_text("Server app/web3 is UP") == "Server app/<*> is UP"


def test_squid_result_codes_keep_their_status_class():
    """QA Squid: `TCP_DENIED/403` and `TCP_MISS/500` were one variable, so a denied or failed
    request was a cache hit's event (30 denied requests scored 0)."""
    line = "TCP_{}/{} 5120 GET http://example.com/a.html - HIER_DIRECT/93.184.216.34 text/html"
    assert mask_text(line.format("MISS", 200)) == (
        "TCP_MISS/2xx <*> GET <*> - HIER_DIRECT/<*> text/html"
    )
    assert mask_text(line.format("MISS", 500)).startswith("TCP_MISS/5xx ")
    assert mask_text(line.format("DENIED", 403)).startswith("TCP_DENIED/4xx ")
    assert mask_text("NONE_NONE/400 0 NONE error:invalid-request - HIER_NONE/- text/html") == (
        "NONE_NONE/4xx <*> NONE error:invalid-request - HIER_NONE/- text/html"
    )


@pytest.mark.parametrize(
    ("text", "masked"),
    [  # QA Elasticsearch: node and allocation ids split one event into a template per node
        ("node[uGNZaqj0WmqfmGdMmGb0SH], [P], a[id=U802cPcT9p3RMd3eCVQvdy]: Failed",
         "node[<*>], [P], a[id=<*>]: Failed"),
        # QA CloudTrail: AWS key and principal ids, a template per console session
        ("accessKeyId=ASIAQ3EGUCS7MXNF2K4P principalId=AROAQ3EGUCS7LRZX2ABCD:carol",
         "accessKeyId=<*> principalId=<*>:carol"),
        # lower-case units: `heap size [512mb]` and `[1024mb]` were two templates
        ("heap size [512mb], max [2.1gb], disk 3tb", "heap size [<*>], max [<*>], disk <*>"),
        # QA Cassandra: thousands separators, `(12,345 items)` was `(<*>,<*> items)` beside
        # `(<*> items)`; a point in square brackets stays two numbers (Android's `bnds=`)
        ("Saved RowCache (12,345 items) in 1,234ms; bnds=[264,444]",
         "Saved RowCache (<*> items) in <*>; bnds=[<*>]"),
        # names stay, digits and camel case notwithstanding (loghub's closest: 0.44 and 0.41)
        ("isBluetoothA2dpOn Log4jLoggerAdapter HTTP2ServerConnectionFactory ASIAN",
         "isBluetoothA2dpOn Log4jLoggerAdapter HTTP2ServerConnectionFactory ASIAN"),
    ],
)  # fmt: skip
def test_random_ids_are_variables_and_names_stay(text, masked):
    assert mask_text(text) == masked
    distinct, codes, _ = mask_array(pa.array([text, text + " again"]))
    assert distinct[int(codes[0])].as_py() == masked


def test_a_double_quoted_text_after_a_space_is_one_variable():
    """QA Jenkins: `Commit message: "Fix NPE in user lookup"` kept its words, so every build's
    new commit message was a new event and flagged a normal build. logfmt's `msg="..."`,
    klog's quoted message and a request line are the event; a text naming a failure stays."""
    assert mask_text('Commit message: "Fix NPE in user lookup"') == "Commit message: <*>"
    assert mask_text('Commit message: "Bump deps (#42)"') == "Commit message: <*>"
    logfmt = 'level=info msg="Started server on port" addr=:8080'
    assert mask_text(logfmt) == 'level=info msg="Started server on port" addr=:<*>'
    assert mask_text('"Updating node status" pod="a"') == '"Updating node status" pod=<*>'
    assert mask_text('got "GET /cart HTTP/1.1" 200') == 'got "GET /cart HTTP/<*>" 2xx'
    refused = 'upload ended: "connection refused by peer"'
    assert mask_text(refused) == refused


def test_an_error_number_names_the_failure():
    """QA MySQL: `Operating system error number 28` (no space left) shared the template of a
    normal start-up's `error number 2`, and the disk-full window scored 0."""
    line = "[ERROR] [MY-012592] [InnoDB] Operating system error number {} in a file operation."
    assert mask_text(line.format(28)) == (
        "[ERROR] [MY-<*>] [InnoDB] Operating system error number 28 in a file operation."
    )
    assert mask_text(line.format(2)).endswith("error number 2 in a file operation.")
    assert mask_text("write failed errno=-104, retry 3") == "write failed errno=-104, retry <*>"
    assert mask_text("deadlock, error code: 1213") == "deadlock, error code: 1213"
    assert mask_text("3 errors in 5 error lines") == "<*> errors in <*> error lines"
    texts = [line.format(n) for n in (28, 2, 28)]
    distinct, codes, _ = mask_array(pa.array(texts))
    assert [distinct[int(c)].as_py() for c in codes] == [mask_text(t) for t in texts]


def test_cups_job_lines_keep_their_events_apart_and_titles_are_values():
    """QA CUPS: `[Job N] Unloading...` shared `[Job <*>] <*>` with every `argv[N]="x"` line
    (a masked name made the word a variable's), a document's multi-word title after `=` stayed
    in the template (each new title a new event), and `stopped with status 3` and `1` (a
    filter's and a backend's failures) were one event."""
    lines = []
    for job, (printer, user, title) in enumerate(
        [("office", "dave", "Quarterly report.pdf"), ("hall", "alice", "Minutes (draft).pdf"),
         ("lab", "bob", "Thesis v2.pdf"), ("office", "carol", "notes.txt")]
    ):  # fmt: skip
        lines += [f"[Job {job}] job-sheets=none,none", f'[Job {job}] argv[0]="{printer}"',
                  f'[Job {job}] argv[2]="{user}"', f'[Job {job}] argv[3]="{title}"',
                  f"[Job {job}] Unloading..."]  # fmt: skip
    masked = [mask_text(line) for line in lines]
    assert masked[3] == '[Job <*>] argv[<*>]="<*>"'
    assert mask_text('level=info msg="Started web server" port=80') == (
        'level=info msg="Started web server" port=<*>'
    )  # a text saying what happened stays words
    miner = TemplateMiner()
    ids = miner.add(masked)
    templates = {miner.template(i) for i in ids}
    assert templates == {"[Job <*>] job-sheets=none,none", '[Job <*>] argv[<*>]="<*>"',
                         "[Job <*>] Unloading..."}  # fmt: skip
    filter_failed = "PID 4568 (/usr/lib/cups/filter/foomatic-rip) stopped with status 3."
    assert mask_text(filter_failed) == "PID <*> (<*>) stopped with status 3."
    assert mask_text("Backend returned status 1 (failed)") == "Backend returned status 1 (failed)"
    assert mask_array(pa.array([filter_failed]))[0].to_pylist() == [mask_text(filter_failed)]


def test_an_accounts_name_is_a_variable_however_few_there_are(masked_alike):
    """QA Nextcloud: an error two users met in training kept `user=alice` and `user=bob`, so a
    third user's was a new event; Keycloak's quoted `username="..."` likewise."""
    crash = "error index Call to a member function getUID() on null app=index user={}"
    miner = TemplateMiner()
    (tid,) = set(miner.add(masked_alike([crash.format(u) for u in ("alice", "bob")])))
    assert miner.match(masked_alike([crash.format("carol")])) == [tid]
    login = 'type=LOGIN_ERROR realmId=shop clientId=web username="{}", error=user_not_found'
    miner = TemplateMiner()
    (tid,) = set(miner.add(masked_alike([login.format(u) for u in ("ann", "root", "ann")])))
    assert miner.match(masked_alike([login.format("bo")])) == [tid]


def test_a_name_given_in_brackets_or_quotes_is_a_variable_however_few_there_are(masked_alike):
    """QA fail2ban: `[postfix] Ban <*>` and `Jail 'recidive' stopped` were events of their own
    beside `[<*>] Ban <*>` of three other jails, so a fourth jail's ban was a known event and a
    third's a new one; Flink's quoted job names likewise. Codes in capitals stay events."""
    for line, others in [
        ("[{}] Ban 203.0.113.7", ["sshd", "postfix"]),
        ("Jail '{}' stopped", ["recidive", "sshd", "postfix"]),
        ("Received JobGraph submission '{}' (a1b2c3d4e5f60718293a4b5c6d7e8f90).",
         ["orders-enrichment", "fraud-scoring"]),
    ]:  # fmt: skip
        miner = TemplateMiner()
        (tid,) = set(miner.add(masked_alike([line.format(v) for v in others])))
        assert miner.match(masked_alike([line.format("dovecot")])) == [tid], line
    levels = [f"[{level}] queue flushed" for level in ("INFO", "WARN", "ERROR")]
    assert len(set(TemplateMiner().add(masked_alike(levels)))) == 3
    # a name indexed after a word stays apart (a stuck job's sources lose their checkpoints)
    sources = [f"Marking checkpoint 5 as completed for source Source: Kafka[{s}]."
               for s in ("orders", "alerts")]  # fmt: skip
    assert len(set(TemplateMiner().add(masked_alike(sources)))) == 2


def test_a_task_or_jobs_name_under_its_field_is_a_variable(masked_alike):
    """QA Nomad: `task=web`, `task=api`, `task=cache` kept, so each task event was a template
    per task and a new job's normal allocations were new events; the event's type stays."""
    line = ("Task event: alloc_id=9f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c task={} type={} "
            'msg="Sent interrupt" failed=false')  # fmt: skip
    lines = [line.format(t, e) for t in ("web", "api", "cache") for e in ("Killing", "Started")]
    miner = TemplateMiner()
    ids = miner.add(masked_alike(lines))
    assert len(set(ids)) == 2
    assert miner.match(masked_alike([line.format("reports", "Started")])) == [ids[1]]


def test_a_list_whose_values_hold_brackets_keeps_its_name(masked_alike):
    """QA etcd: `steps=["trace[1] range","trace[2] commit"]` lost its name (`<*>]`)."""
    assert masked_alike(['slow steps=["trace[1] range","trace[2] commit"] x=1']) == [
        "slow steps=[<*>] x=<*>"
    ]


@pytest.mark.parametrize(
    "line, masked",
    [
        # QA MinIO: each template had held one access key, so a new key's normal calls were
        # new events; QA Trino: a rare template kept `user=bob`; prose's `user: x` is left
        ('accessKey=backup-svc api.name=PutObject "user":"bob", acct="alice" x',
         'accessKey=<*> api.name=PutObject "user":<*>, acct=<*> x'),
        ("Credential=webapp-2/20251130/us-east-1/s3/aws4_request, task=web queue=mail",
         "Credential=<*>, task=<*> queue=<*>"),
        ("Invalid user: admin", "Invalid user: admin"),
        # QA Trino: `::` separators were masked as IPv6 addresses, and a banner after a logger
        # named `...Server` as a server's name (`=<*>`); addresses stay masked
        ("TIMELINE: Query 20251130_100000_00012_abcde :: FINISHED :: elapsed 12ms",
         "TIMELINE: Query <*> :: FINISHED :: elapsed <*>"),
        ("io.trino.server.Server ======== SERVER STARTED ========",
         "io.trino.server.Server ======== SERVER STARTED ========"),
        ("from fe80::1 and ::1", "from <*> and <*>"),
    ],
)  # fmt: skip
def test_names_separators_and_banners_as_qa_met_them(masked_alike, line, masked):
    assert masked_alike([line]) == [masked]


def test_an_api_operation_under_its_field_is_the_event(masked_alike):
    """QA MinIO: fourteen S3 operations made `api.name=<*>`, so a multipart upload never
    completed looked like any upload; the API's status code keeps its class."""
    ops = ["ListObjectsV2", "NewMultipartUpload", "PutObjectPart", "CompleteMultipartUpload",
           "PutObject", "DeleteObject", "GetObject", "HeadObject", "ListBuckets", "HeadBucket",
           "GetBucketPolicy", "PutBucketPolicy", "CopyObject", "AbortMultipartUpload"]  # fmt: skip
    lines = [f"api.name={op} api.statusCode=200 requestID=17A{i:04d}" for i, op in enumerate(ops)]
    miner = TemplateMiner()
    ids = miner.add(masked_alike(lines * 2))
    assert len(set(ids)) == len(ops)
    assert miner.template(ids[0]) == "api.name=ListObjectsV2 api.statusCode=2xx requestID=<*>"


def test_a_quoted_command_in_snake_case_is_no_given_name(masked_alike):
    """QA Puppet: `'replace_facts'` and `'replace_catalog'` were one `'replace_<*>'` event."""
    lines = [f"Puppet '{c}' command for db01 submitted" for c in ("replace_facts", "store_report")]
    assert len(set(TemplateMiner().add(masked_alike(lines)))) == 2


def test_an_uptime_with_or_without_its_days_is_one_variable(masked_alike):
    """QA Tor: `uptime is 5 days 0:00 hours` and `23:00 hours` were two templates."""
    lines = [f"Heartbeat: uptime is {u}, with 512 circuits open." for u in
             ("5 days 0:00 hours", "1 day 0:00 hours", "23:00 hours")]  # fmt: skip
    assert set(masked_alike(lines)) == {"Heartbeat: uptime is <*>, with <*> circuits open."}


def test_a_ulid_is_one_variable(masked_alike):
    """QA GitLab: correlation ids (ULIDs) stayed whole in templates of unseen lines."""
    assert masked_alike(["correlation_id=01HXV58ZW3Z5NE9V6E0RBYXNF9 done"]) == [
        "correlation_id=<*> done"
    ]


def test_vaults_display_name_is_a_name_and_its_nested_verdict_is_kept(masked_alike):
    """QA Vault: `auth.display_name=ldap-carol` made every event of a new user a new one, and
    `auth.policy_results.allowed=false` was a granted request's event."""
    assert masked_alike(["auth.display_name=ldap-carol auth.policy_results.allowed=false x"]) == [
        "auth.display_name=<*> auth.policy_results.allowed=false x"
    ]
