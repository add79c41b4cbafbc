"""What blind QA round 89 (Ollama, PAN-OS, Forgejo, Qdrant / Weaviate, Drupal) found in
reading each log's lines, and what they read as now."""

from __future__ import annotations


def test_a_gin_request_line_inside_a_journal_line_is_a_request_line(log_parsed):
    """QA Ollama: `journalctl -o short-iso` holds Gin's whole line, its tag and time too; read
    as text, its 200s, 404s, 500s and 503s were one `[GIN] <*> | <*> | ...` event."""
    head = "2026-12-05T10:01:0{s}+01:00 gpu-a01 ollama[2534]: [GIN] 2026/12/05 - 10:01:0{s} | "
    requests = [
        ('200 |  2.345678912s |       127.0.0.1 | POST     "/api/chat"'),
        ('404 |     123.456µs |       127.0.0.1 | POST     "/api/generate"'),
        ('500 |  30.000123s |      10.0.0.7 | POST     "/api/embed"'),
        ('503 |      21.3µs |      10.0.0.7 | POST     "/api/chat"'),
    ]
    lines = [head.format(s=i % 4) + requests[i % 4] for i in range(12)]
    events, _ = log_parsed(lines, "syslog-iso")
    assert events["template"][:4] == [
        "POST /api/chat 2xx <*> <*>", "POST /api/generate 4xx <*> <*>",
        "POST /api/embed 5xx <*> <*>", "POST /api/chat 5xx <*> <*>",
    ]  # fmt: skip


def test_a_name_of_several_words_is_no_logger_and_one_value(log_parsed):
    """QA Ollama: slog's `name="NVIDIA GeForce RTX 4090"` was taken as the logger, the GPU's
    model first in the event, and `NVIDIA` read as a protocol's command: a template per GPU."""
    line = (
        'time=2026-12-05T10:00:02.{i:03d}+01:00 level=INFO source=types.go:123 msg="inference '
        'compute" id=GPU-{i:04x} library=cuda compute=8.9 name="{gpu}" total="23.6 GiB"'
    )
    gpus = ["NVIDIA GeForce RTX 4090", "NVIDIA A100-SXM4-40GB", "NVIDIA L40S"]
    lines = [line.format(i=i, gpu=gpus[i % 3]) for i in range(12)]
    events, _ = log_parsed(lines, "logfmt")
    assert set(events["Component"]) == {""}
    assert len(set(events["template"])) == 1 and 'name="<*>"' in events["template"][0]
    # a logger's name is one word, and stays the logger
    events, _ = log_parsed(['{"time": "2026-12-05T10:00:00Z", "name": "app.db", "msg": "up"}'],
                           "json")  # fmt: skip
    assert events["Component"] == ["app.db"]


def test_a_csv_records_sentence_is_its_words(masked_alike):
    """QA PAN-OS: a SYSTEM record's quoted description was one value: a login, a logout and a
    full disk one event, and an HA failover the way back's; a user agent stays one value."""
    head = "1,2026/12/05 10:02:00,012801012345,SYSTEM,{kind},0,2026/12/05 10:02:00,,general,,0,0,"
    tail = ",7012345001,0x0,0,0,0,0,,pa-fw01"
    masked = masked_alike([
        head.format(kind="general") + 'general,informational,"User admin logged in via Web from '
        '10.0.0.5 using https"' + tail,
        head.format(kind="general") + 'general,informational,"Disk space usage for /opt/panlogs '
        'exceeded 95 percent"' + tail,
        head.format(kind="ha") + 'ha,critical,"HA Group 1: Moved from state Active to state '
        'Non-Functional"' + tail,
        head.format(kind="url") + 'url,informational,"Mozilla/5.0 (X11; Linux x86_64; rv:120.0) '
        'Gecko/20100101 Firefox/120.0"' + tail,
    ])  # fmt: skip
    assert ", User <*> logged in via Web from <*> using https, " in masked[0]
    assert ", Disk space usage for <*> exceeded <*> percent, " in masked[1]
    assert ", HA Group <*>: Moved from state Active to state Non-Functional, " in masked[2]
    assert ", informational, <*>, " in masked[3]


def test_a_writes_action_after_a_name_is_the_event(masked_alike):
    """QA Qdrant: `POST /collections/products/points/delete` was `/collections/<*>`, a bulk
    delete a search's event, and a collection's recreation an upsert's; a page's path after
    a name (a GET) stays one value."""
    masked = masked_alike([
        '10.0.0.5 "POST /collections/products/points/search HTTP/1.1" 200 1024',
        '10.0.0.5 "POST /collections/products/points/delete?wait=true HTTP/1.1" 200 85',
        '10.0.0.5 "PUT /collections/products HTTP/1.1" 200 53',
        '10.0.0.5 "PUT /collections/faq-chunks/points?wait=true HTTP/1.1" 200 83',
        "DELETE /indexes/products/documents 202",
        '10.0.0.5 "GET /shop/shoes/running HTTP/1.1" 200 5120',
    ])  # fmt: skip
    assert masked == [
        '<*> "POST /collections/<*>/points/search HTTP/<*>" 2xx <*>',
        '<*> "POST /collections/<*>/points/delete?<*> HTTP/<*>" 2xx <*>',
        '<*> "PUT /collections/<*> HTTP/<*>" 2xx <*>',
        '<*> "PUT /collections/<*>/points?<*> HTTP/<*>" 2xx <*>',
        "DELETE /indexes/<*>/documents 2xx",
        '<*> "GET /shop/<*> HTTP/<*>" 2xx <*>',
    ]


def test_names_in_backticks_and_a_collections_class_are_values(masked_alike):
    """QA Qdrant / Weaviate: `Collection `faq-chunks` doesn't exist!` was a template per
    missing collection, and `class_name=Article` one per class; a Rust type stays."""
    masked = masked_alike([
        "Error processing request: Not found: Collection `faq-chunks` doesn't exist!",
        "The index `prodcts` was not found.",
        "called `Option::unwrap()` on a `None` value",
        'action=lsm_compaction class_name=Article msg="compaction started"',
    ])  # fmt: skip
    assert masked == [
        "Error processing request: Not found: Collection `<*>` doesn't exist!",
        "The index `<*>` was not found.",
        "called `Option::unwrap()` on a `None` value",
        'action=lsm_compaction class_name=<*> msg="compaction started"',
    ]


def test_a_forge_routers_handler_is_the_event(log_parsed):
    """QA Forgejo: `router: completed GET /alice/shop/issues/12 ... @ repo/issue_view.go:287(repo.
    ViewIssue)` kept the owner (`/alice/<*>`): a template per owner, and a new organisation's
    normal browsing 42 false alarms."""
    owners = ["alice", "bob", "carol", "data", "web-team"]
    line = (
        "2026/12/05 10:00:{s:02d} HTTPRequest [I] router: completed GET /{o}/shop/issues/{s} for "
        "203.0.113.5:5{s:04d}, 200 OK in 4{s}.2ms @ repo/issue_view.go:287(repo.ViewIssue)"
    )
    slow = (
        "2026/12/05 10:01:{s:02d} HTTPRequest [W] router: slow      GET /{o}/shop/pulls/{s}/files "
        "for 203.0.113.5:5{s:04d}, elapsed 781{s}.2ms @ repo/pull.go:345(repo.ViewPullFiles)"
    )
    lines = [t.format(s=s, o=owners[s % 5]) for s in range(20) for t in (line, slow)]
    events, _ = log_parsed(lines, "iso")
    assert set(events["template"]) == {
        "HTTPRequest [I] router: completed GET <*> for <*>:<*>, 2xx OK in <*> @ "
        "repo/issue_view.go:<*>(repo.ViewIssue)",
        "HTTPRequest [W] router: slow GET <*> for <*>:<*>, elapsed <*> @ "
        "repo/pull.go:<*>(repo.ViewPullFiles)",
    }


DRUPAL = [
    "https://www.example.com|1796461200|user|203.0.113.5|https://www.example.com/user/login|"
    "https://www.example.com/|0||Login attempt failed for admin.",
    "https://www.example.com|1796461202|page not found|198.51.100.7|https://www.example.com/"
    "wp-login.php||0||/wp-login.php",
    "https://www.example.com|1796461206|access denied|198.51.100.7|https://www.example.com/admin/"
    "config||0||/admin/config",
    "https://www.example.com|1796461203|php|203.0.113.9|https://www.example.com/node/42/edit|"
    "https://www.example.com/node/42|5||Warning: Undefined array key \"field_image\" in x.php.",
    "https://www.example.com|1796461203|php|203.0.113.9|https://www.example.com/node/42/edit|"
    "https://www.example.com/node/42|5||Error: Undefined array key \"field_image\" in x.php.",
    "https://www.example.com|1796461204|content|203.0.113.9|https://www.example.com/node/42/edit|"
    "https://www.example.com/node/42/edit|5|<a href=\"/node/42\">View</a>|article: updated "
    "Summer sale.",
]


def test_drupals_syslog_record_is_its_type_and_message(log_parsed, tmp_path):
    """QA Drupal: `linux` read Drupal's `base_url|timestamp|type|ip|...|message` record as one
    word glued to the message's first: `Warning:` and `Error:` of one PHP message one event, a
    404's and a 403's paths one; and each content item's title a template of its own."""
    head = "Dec  5 10:00:0{s} web1 drupal: "
    lines = [head.format(s=i) + record for i, record in enumerate(DRUPAL)]
    events, _ = log_parsed(lines, "linux", year=2026)
    assert events["template"][0].startswith("user: Login attempt failed for ")
    assert events["template"][1:] == [
        "page not found: <*>",
        "access denied: <*>",
        'php: Warning: Undefined array key "<*>" in x.php.',
        'php: Error: Undefined array key "<*>" in x.php.',
        "content: article: updated <*>.",
    ]
    # ... and a format string's <Event> leads the event's words, its marks ending it
    fields = r"<BaseUrl>\|<Epoch>\|<Event>\|<IP>\|<Uri>\|<Referer>\|<Uid>\|<Link>\|<Content>"
    events, summary = log_parsed(
        lines, "<Month> <Date> <Time> <Host> <Component>: " + fields, year=2026
    )
    assert events["template"][1:3] == ["page not found <*>", "access denied <*>"]
    assert events["template"][5] == "content article: updated <*>."
    assert events["Event"][1] == "page not found"
    # a field between escaped marks is no field that ran on (QA Drupal: said of every
    # `page not found`, and the advice would have broken a format that was right)
    many = [lines[0]] * 19 + [lines[1]]
    _, summary = log_parsed(many, fields.replace("Event", "Type").join(
        ("<Month> <Date> <Time> <Host> <Component>: ", "")), year=2026)
    assert not [w for w in summary.warnings if "holds one word" in w]
