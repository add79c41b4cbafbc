"""What blind QA round 129 (BIRD, OpenStack Cinder, Zammad, Kannel) and session 61's open
list found in reading each log's lines, and what they read as now."""

from __future__ import annotations

from logbert.parsing.masks import mask_text
from logbert.parsing.miner import TemplateMiner


def test_states_under_their_labels_are_events_apart():
    """QA BeeGFS (session 61's open list): `Reachability: online; Consistency: good` beside
    `offline; ... needs-resync` and `probably-offline;` were one `Reachability: <*>;
    Consistency: <*>` event, a lost target the all-clear's; a name under a label stays one."""
    line = "Target state changed. TargetID: {}; Reachability: {}; Consistency: {}"
    states = [("online", "good"), ("offline", "needs-resync"), ("probably-offline", "good")]
    miner = TemplateMiner()
    ids = miner.add([mask_text(line.format(201 + i, *s)) for i, s in enumerate(states)], [2] * 3)
    assert len(set(ids)) == 3
    assert miner.template(ids[1]).endswith("Reachability: offline; Consistency: needs-resync")
    users = ["alice", "bob", "carol"]
    ids = TemplateMiner().add([f"Session opened. User: {u}; Seat: seat0" for u in users], [2] * 3)
    assert len(set(ids)) == 1


def test_a_workflow_nodes_step_is_the_event_its_retry_apart():
    """QA Argo Workflows (session 61's open list): `Created pod: data-pipeline-9eca3[0].extract
    (...)` for every step was one `Created pod: <*> (<*>)` event, a push before the tests a
    normal build's; a retry of a step, `extract(0)`, is an event of its own."""
    line = "info Created pod: {wf}[{i}].{step} ({wf}-{step}-{pod}) namespace=ci workflow={wf}"
    steps = ["checkout", "build", "unit-test", "push-image", "build(0)"]
    workflows = ["ci-build-9xqpd", "ci-build-zfdvt", "ci-build-3v3yw", "ci-build-k2p4m"]
    lines = [
        line.format(wf=wf, i=i % 4, step=step, pod=2135721947 + 7 * i + j)
        for j, wf in enumerate(workflows)
        for i, step in enumerate(steps)
    ]
    miner = TemplateMiner()
    ids = miner.add([mask_text(x) for x in lines], [1] * len(lines))
    by_step = {step: {ids[j * len(steps) + i] for j in range(len(workflows))}
               for i, step in enumerate(steps)}  # fmt: skip
    assert all(len(found) == 1 for found in by_step.values())
    assert len({found.pop() for found in by_step.values()}) == len(steps)


def test_kannels_log_is_its_own_format_not_postgres_with_a_pid_for_a_zone(auto_parsed):
    """QA Kannel: `auto` read `2026-11-21 00:00:01 [2417] [0] INFO: ...` as PostgreSQL's,
    the pid `[2417]` its time zone and the thread its pid, and advised setting log_timezone;
    the access log's lines, without pid and level, read by the same format."""
    events = auto_parsed([
        "2026-11-21 00:00:01 [2417] [0] INFO: Kannel bearerbox II version 1.4.5 starting",
        "2026-11-21 00:00:02 [2417] [6] WARNING: SMPP[smsc1]: Not ACKED message found",
        "2026-11-21 00:00:03 Sent SMS [SMSC:smsc1] [SVC:nagios] [msg:12:kannel probe] [udh:0:]",
    ], "kannel")  # fmt: skip
    assert events["Pid"] == ["2417", "2417", ""] and events["Level"][:2] == ["INFO", "WARNING"]
    assert events["content"][2].startswith("Sent SMS [SMSC:smsc1]")


def test_a_postgres_zone_is_a_zones_name_or_offset(auto_parsed):
    events = auto_parsed(["2024-05-14 00:00:29.710 CET [26986] LOG:  checkpoint starting: time",
                          "2024-05-14 00:00:31.002 CET [26986] LOG:  checkpoint complete"],
                         "postgres")  # fmt: skip
    assert events["Pid"] == ["26986", "26986"]


def test_a_short_messages_text_is_one_value_a_delivery_reports_state_stays(masked_alike):
    """QA Kannel: `[msg:4:STOP]` and `[msg:9:STOP 4265]`, `Starting to service <STOP 4265>`,
    were a template per number of words, a delivery report's `text:Your invoice for Oct` one
    per month: a new wording of an app's message a new event."""
    received = "Receive SMS [SMSC:smsc1] [from:+4915112345678] [to:44555] [msg:{}] [udh:0:]"
    one, two = masked_alike([received.format("4:STOP"), received.format("9:STOP 4265")])
    assert one == two and "[msg:<*>:<*>]" in one
    assert len(set(masked_alike([f"Starting to service <{m}> from <+491511> to <44555>"
                                 for m in ("STOP", "BAL 9445")]))) == 1  # fmt: skip
    report = "Receive DLR [SMSC:smsc1] [msg:92:id:7f3a sub:001 dlvrd:001 stat:{} err:000 text:{}]"
    oct_, nov, undelivered = masked_alike([
        report.format("DELIVRD", "Your invoice for Oct"),
        report.format("DELIVRD", "Your invoice for Nov"),
        report.format("UNDELIV", "Your invoice for Nov"),
    ])  # fmt: skip
    assert oct_ == nov != undelivered and "stat:UNDELIV" in undelivered
    sent = "sendsms sender:<billing:Telco> (127.0.0.1) to:<+4915112345678> msg:<{}>"
    assert len(set(masked_alike([sent.format("Your invoice"), sent.format("Hi <b>")]))) == 1


def test_ruby_loggers_thread_after_its_pid_is_read(auto_parsed):
    """QA Zammad: `I, [2024-05-13T06:00:04.283666 #5884-636044]  INFO -- : Started GET ...`
    (the pid, then the thread) was read by no built-in format under `auto`."""
    events = auto_parsed([
        'I, [2024-05-13T06:00:04.283666 #5884-636044]  INFO -- : Started GET "/api/v1/tickets"',
        "E, [2024-05-13T06:00:05.001000 #5884-636052] ERROR -- : Can't use Channel::Driver::Imap",
    ], "ruby")  # fmt: skip
    assert events["Pid"] == ["5884", "5884"] and events["Thread"] == ["636044", "636052"]
    assert events["Level"] == ["INFO", "ERROR"]


def test_a_commands_exit_code_after_returned_is_kept(masked_alike):
    """QA OpenStack Cinder: oslo.concurrency's `CMD "..." returned: 5 in 0.408s` was one
    `returned: <*>` event with `returned: 0`: a failed lvcreate a clean vgs' event."""
    cmd = 'CMD "sudo cinder-rootwrap /etc/cinder/rootwrap.conf {}" returned: {} in 0.408s execute'
    failed, clean, other = masked_alike([cmd.format("lvcreate -n volume-c38e", 5),
                                         cmd.format("vgs --noheadings", 0),
                                         cmd.format("lvremove -f volume-c38e", 0)])  # fmt: skip
    assert "returned: 5 in" in failed and clean == other != failed


def test_bgp_peer_states_and_messages_are_events_apart_and_peers_one_value():
    """QA BIRD: `<TRACE> ix_as64505: Down` beside `Started` and `Connected` was one `<*>: <*>`
    event (a peer lost its start's), `Got OPEN(...)` beside `KEEPALIVE`, `END-OF-RIB` and
    `ROUTE-REFRESH` one `Got <*>` event; and the first file's three peers were an event each,
    the next file's peers one `ix_<*>:` event beside them (a new peer's lines new events)."""
    miner = TemplateMiner()
    peers = ["ix_as64500", "ix_as64501", "ix_as64502"]
    first = [f"<TRACE> {p}: {s}" for p in peers for s in ("Started", "Connected", "Down")]
    first += [f"<TRACE> {p}: Got {m}" for p in peers
              for m in ("KEEPALIVE", "END-OF-RIB", "ROUTE-REFRESH", "OPEN(as=<*>,hold=<*>)")]
    weights = [7 * (i % 5) + 3 * (i % 3) + 2 for i in range(len(first))]  # as a log's vary
    ids = miner.add(first, weights)
    templates = {miner.template(i) for i in ids}
    assert {"<TRACE> ix_<*>: Down", "<TRACE> ix_<*>: Started", "<TRACE> ix_<*>: Got KEEPALIVE",
            "<TRACE> ix_<*>: Got OPEN(as=<*>,hold=<*>)"} <= templates  # fmt: skip
    assert not any(t.endswith((": <*>", "Got <*>")) for t in templates)
    later = miner.add(["<TRACE> ix_as64505: Down"], [3])
    assert miner.template(later[0]) == "<TRACE> ix_<*>: Down"


def test_a_schedulers_jobs_and_a_queues_job_classes_are_events_apart():
    """QA Zammad: `execute Channel.fetch (try_count 0)...` beside six other jobs was one
    `execute <*>` event (a fetch that never ended a known sequence), `[ActiveJob] [SearchIndexJob]
    ... Performed SearchIndexJob` one `Performed <*>` event with every job class, and a quoted
    request path, `Started POST "/api/v1/signin"`, one `"/api/v1/<*>"` with every endpoint."""
    jobs = ["Channel.fetch", "Sessions.jobs", "Ticket.process_escalation", "Stats.generate",
            "Ticket.process_pending", "Chat.cleanup"]  # fmt: skip
    miner = TemplateMiner()
    executed = miner.add([f"execute {j} (try_count <*>)..." for j in jobs], [40, 30, 9, 5, 4, 2])
    assert len(set(executed)) == len(jobs)
    performed = "[ActiveJob] [{0}] [<*>] Performed {0} (Job ID: <*>) from DelayedJob(default)"
    classes = ["SearchIndexJob", "TransactionJob", "TicketUserTicketCounterJob", "Import::LdapJob"]
    ids = miner.add([performed.format(c) for c in classes], [300, 200, 90, 30])
    assert len(set(ids)) == len(classes)
    started = 'Started POST "{}" for <*> at <*> <*>'
    paths = ["/api/v1/message_send", "/api/v1/ticket_articles", "/api/v1/signin"]
    ids = miner.add([started.format(p) for p in paths], [5706, 873, 276])
    assert miner.template(ids[2]) == started.format("/api/v1/signin")


def test_a_bracketed_request_context_before_the_message_is_no_part_of_its_first_word():
    """QA OpenStack Cinder: with a format string that left oslo.log's `[req-... user project
    - - -]` in the message, `Create volume of 10 GB`, `Initialize volume connection completed
    successfully.` and `Terminate ...` were one `[<*> <*> <*> - - -] <*> volume <*> <*> <*>`
    event: attaching and detaching a volume alike."""
    messages = {  # cinder-api's and cinder-volume's lines of a request, and their counts
        "<*> returned with HTTP 2xx": 824, "Create volume of <*> <*>": 171,
        "Create volume request issued successfully.": 171, "Delete volume with id: <*>": 121,
        "Delete volume request issued successfully.": 121,
        "Extend volume request issued successfully.": 57,
        "Volume <*> (<*>): created successfully": 171,
        "Terminate volume connection completed successfully.": 100,
        "Creating iscsi_target for volume: <*>": 134,
        "Initialize volume connection completed successfully.": 134,
    }  # fmt: skip
    lines = [f"[<*> <*> <*> - - -] {m}" for m in messages]
    miner = TemplateMiner()
    ids = miner.add(lines, list(messages.values()))
    assert len(set(ids)) == len(lines)


def test_the_join_advice_for_ruby_loggers_records_fits_them(tmp_path):
    """QA Zammad: a backtrace under `E, [2024-05-13T12:20:01.1 #5884-636044] ERROR -- : ...`
    was advised joined by a date at a line's start, which no Ruby Logger record has."""
    from logbert.parsing.formats import resolve_format
    from logbert.parsing.pipeline import parse_files

    log = tmp_path / "production.log"
    log.write_text(
        "".join(f"I, [2024-05-13T12:{i // 60:02d}:{i % 60:02d}.1 #5884-636044]  INFO -- : ok\n"
                for i in range(200))  # fmt: skip
        + "E, [2024-05-13T12:20:01.1 #5884-636044] ERROR -- : PG::ConnectionBad\n"
        + "app/models/ticket.rb:12:in `find'\n" * 3
    )
    summary = parse_files([str(log)], resolve_format("ruby"), tmp_path / "e.parquet")
    advice = " ".join(summary.warnings) + summary.join_hint
    assert "awk '/^[A-Z], \\[[0-9]/ {" in advice, advice


def test_a_ruby_model_saved_before_the_thread_was_a_field_still_reads_its_lines():
    """A model keeps its format string: one saved with `#<Pid>\\]` (before the thread field)
    must still read `#5884-636044]` (a field pattern keyed by the format's name, `[0-9]+` for
    its pid, rejected every line of such a model in `watch`)."""
    import pyarrow as pa

    from logbert.parsing.formats import format_from_spec, format_spec, resolve_format
    from logbert.parsing.splitter import split_lines

    saved = format_spec(resolve_format("ruby"))
    saved["format"] = saved["written"] = (
        r"<Letter>, \[<Timestamp> #<Pid>\] <Level> -- <Component>: <Content>"
    )
    line = "I, [2024-05-13T06:00:04.283666 #5884-636044]  INFO -- : Started GET"
    ok, cols = split_lines(pa.array([line]), format_from_spec(saved))
    assert ok.all() and cols["Content"].to_pylist() == ["Started GET"]
