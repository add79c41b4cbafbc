"""QA rounds 54 (Heroku, OpenWrt, vLLM, Linkerd, macOS) and 55 (Fluent Bit, Ray, Windows DHCP,
IBM MQ, Bitcoin Core), 56 and 57: what each log's first run got wrong, as a new user met it."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from logbert.errors import LogbertError
from logbert.parsing.auto import rank_formats
from logbert.parsing.folders import expand_folders
from logbert.parsing.formats import resolve_format
from logbert.parsing.levels import LevelMix
from logbert.parsing.miner import TemplateMiner
from logbert.parsing.pipeline import Parser, parse_files
from logbert.parsing.summary import join_continuations

ROUTER = (
    '2026-12-01T14:00:{s:02d}.140891+00:00 heroku[router]: at=info method=GET path="{path}" '
    "host=shop.herokuapp.com request_id=7ed4d57b-1b2c-4d3e-8f40-7311c2ce6f{s:02d} "
    'fwd="73.12.241.{s}" dyno=web.{d} connect=0ms service={s}ms status=200 bytes=64{s} '
    "protocol=https"
)


def test_a_quoted_path_fields_endpoint_is_its_event(tmp_path):
    """QA Heroku: the router's `path="/health"` beside `path="/cart"` was one `path="/<*>"`
    event, and a `/.env` served with 200 a health check's."""
    paths = ["/health", "/cart", "/api/orders/12", "/products?page=3", "/login"] * 6
    lines = [ROUTER.format(s=s, d=s % 3 + 1, path=p) for s, p in enumerate(paths)]
    lines.append(ROUTER.format(s=59, d=1, path="/.env"))
    log = tmp_path / "router.log"
    log.write_text("\n".join(lines) + "\n")
    parse_files([str(log)], resolve_format("iso"), tmp_path / "e.parquet")
    templates = (tmp_path / "templates.csv").read_text()
    for kept in ('path=""/health""', 'path=""/api/orders/<*>""', 'path=""/products?<*>""',
                 'path=""/.env""'):  # fmt: skip
        assert kept in templates, templates
    assert 'path=""/<*>""' not in templates


def test_a_quoted_path_fields_paths_generalize_keeping_the_field_and_its_quotes():
    miner = TemplateMiner()
    ids = miner.add([
        'GET path="/api/orders/<*>" status=2xx', 'GET path="/api/orders?<*>" status=2xx',
    ])  # fmt: skip
    assert ids[0] == ids[1]
    assert miner.template(ids[0]) == 'GET path="/api/orders<*>" status=2xx'


def test_a_heroku_syslog_drain_is_read_as_rfc5424_with_the_dyno_as_its_process():
    """QA Heroku: RFC 5424's PROCID is any word (`web.3`, `router`), not a number; read as a
    misread pid, `auto` chose `ruby` for the app's embedded header and left out every router
    line (25%), the H10 crashes with them."""
    lines = [
        "<190>1 2026-12-01T14:00:00.023434+00:00 host app web.3 - I, [2026-12-01T14:00:00.023434 "
        '#4]  INFO -- : [39263059-f28c-405d-9fb1-7c2390c192cf] Started GET "/health" for '
        "73.203.25.250 at 2026-12-01 14:00:00 +0000",
        "<158>1 2026-12-01T14:00:00.041434+00:00 host heroku router - at=info method=GET "
        'path="/health" host=shop.herokuapp.com request_id=39263059-f28c-405d-9fb1-7c2390c192cf '
        'fwd="73.203.25.250" dyno=web.3 connect=2ms service=14ms status=200 bytes=9853',
    ]  # fmt: skip
    best = rank_formats(lines * 5)[0]
    assert best.name == "rfc5424" and best.dated == best.lines == 10


def test_a_prompt_and_a_factor_are_values(masked_alike):
    """QA vLLM: a user's prompt naming a failure (`'timeout error when calling the API'`) kept
    its words, a normal request a new event; `118.10x` was `<*>.10x`, each start a new event."""
    plain, failing, factor, other = masked_alike([
        "Received request cmpl-1: prompt: 'Write a poem about autumn', params: x",
        "Received request cmpl-2: prompt: 'timeout error when calling the API', params: x",
        "Maximum concurrency for 8192 tokens per request: 118.10x",
        "Maximum concurrency for 8192 tokens per request: 120.93x",
    ])  # fmt: skip
    assert plain == failing == "Received request <*>: prompt: <*>, params: x"
    assert factor == other == "Maximum concurrency for <*> tokens per request: <*>"


def test_whole_wildcards_before_a_generalized_part_stay_in_the_template(tmp_path):
    """QA Linkerd: `outbound:proxy{addr=<*>:<*>}:service{ns=auth` beside `...ns=pay` was
    `outbound:proxy{addr=<*>`, a template text no raw line holds."""
    lines = [
        f"[{i:>8}.000000s]  WARN ThreadId(01) outbound:proxy{{addr=10.43.{i}.9:{port}}}:service"
        f"{{ns={ns} name={name} port=9090}}: linkerd_reconnect: Failed to connect"
        for i, (ns, name, port) in enumerate(
            (ns, name, 7000 + j)
            for j, ns in enumerate(("auth", "pay", "shop", "web", "ops", "data", "ml", "crm"))
            for name in ("tokens", "payments", "cart", "catalog", "search", "users")
        )
    ]  # fmt: skip
    log = tmp_path / "proxy.log"
    log.write_text("\n".join(lines) + "\n")
    fmt = resolve_format(r"\[ *<Timestamp>s\] +<Level> ThreadId\(<Thread>\) <Content>")
    parse_files([str(log)], fmt, tmp_path / "e.parquet")
    (template,) = (tmp_path / "templates.csv").read_text().splitlines()[1:]
    assert "outbound:proxy{addr=<*>:<*>}:service{ns=<*> name=<*> port=<*>}:" in template


def test_a_warning_and_an_error_of_one_template_are_a_level_mix():
    """QA Linkerd: WARN and ERROR `Service entering failfast` were one event, unsaid (both
    problem levels)."""
    mix = LevelMix()
    mix.add(np.array([1, 1, 2, 2]), pa.array(["WARN", "ERROR", "WARN", "warning"]))
    said = mix.warning("Level", {1: "Service entering failfast"})
    assert said is not None and "1 template(s) are met at levels of different severity" in said
    assert mix.severities() == {1: ["warning", "error"], 2: ["warning"]}


def test_a_model_parser_says_when_a_known_template_comes_more_severe_than_in_training():
    """QA Linkerd, OpenWrt: a template trained at WARN (or info) met at ERROR (`kern.err`) when
    scoring was the known event, and scoring said nothing."""
    train = Parser(resolve_format("<Date> <Time> <Level> <Content>"))
    train.process(
        [f"2026-12-05 10:00:0{i} WARN Service entering failfast for s{i}" for i in range(5)]
        + ["2026-12-05 10:00:09 INFO Link is Down"]
    )
    model_parser = Parser.from_state(train.freeze().to_state())
    assert sorted(model_parser.trained_severities.values()) == [["routine"], ["warning"]]
    model_parser.process([
        "2026-12-06 10:00:00 ERROR Service entering failfast for s9",
        "2026-12-06 10:00:01 INFO Link is Down",
    ])  # fmt: skip
    raised = model_parser.level_mix.raised_warning(
        "Level", model_parser.template_map(), model_parser.trained_severities
    )
    assert raised is not None and "1 template(s) the model knows are met at a more severe" in raised
    # ... naming the line (QA Pacemaker: which line, unsaid)
    assert "at error (first at <lines>:1), in training only warning" in raised


def test_the_join_advice_for_log_show_keeps_its_own_lines_apart():
    """QA macOS: the awk glued `log show`'s closing counts onto the last event, a new template
    in every file joined so."""
    head = [
        "Timestamp                       Thread     Type        Activity             PID    TTL",
        "2026-12-03 08:00:00.000000+0100 0x3181f    Default     0x0                  0      0    "
        "kernel: (AppleACPIPlatform) ACPI: sleep states S3 S4 S5",
    ]  # fmt: skip
    advice = join_continuations(head)
    assert "|Timestamp |Filtering |Skipping |-----|Log +- |Activity +- )/" in advice


def test_log_shows_skipping_note_is_its_own_line_and_process_names_may_hold_spaces(tmp_path):
    """QA macOS: `Skipping info and debug messages, ...` was a reject, and `Google Chrome
    Helper (Renderer)` as the process gave advice to add a header field."""
    lines = [
        'Filtering the log data using "process == \\"sshd\\""',
        "Skipping info and debug messages, pass --info and/or --debug to include.",
        "Timestamp                       Thread     Type        Activity             PID    TTL  ",
        *(
            f"2026-12-03 09:10:0{i}.100000+0100 0x3181f    Default     0x0                  5012"
            f"   0    Google Chrome Helper (Renderer): (libsystem_info.dylib) Created Activity "
            f"ID: 0x5a1f{i}"
            for i in range(4)
        ),
    ]  # fmt: skip
    log = tmp_path / "show.log"
    log.write_text("\n".join(lines) + "\n")
    summary = parse_files([str(log)], resolve_format("macos"), tmp_path / "e.parquet")
    assert summary.rejected == 0 and summary.directives == 3
    assert not [w for w in summary.warnings if "<Component> holds several words" in w]


def test_a_python_objects_repr_and_a_ray_tasks_class_are_values(masked_alike):
    """QA Ray: `ray::Trainer.__init__()` and `repr=<__main__.Trainer object at 0x...>` kept the
    actor's class, one creation error a template per class."""
    trainer, server = masked_alike([
        "RayActorError: creation task, ray::Trainer.__init__() (pid=4, "
        "repr=<__main__.Trainer object at 0x7f3a9c2b1e40>)",
        "RayActorError: creation task, ray::ParameterServer.__init__() (pid=5, "
        "repr=<__main__.ParameterServer object at 0x7f3a9c2b1e48>)",
    ])  # fmt: skip
    assert trainer == server
    assert trainer == "RayActorError: creation task, ray::<*>.__init__() (pid=<*>, repr=<*>)"


def test_a_csv_records_first_field_of_words_is_its_kind(masked_alike):
    """QA Windows DHCP: the description field, `Scope Full`, `Database Cleanup Begin`, `DNS
    Update Request`, joined into one value each, made four events one (a full scope unseen)."""
    full, cleanup, request, assign = masked_alike([
        "Scope Full,10.1.40.0,,,,0,6,,,,,,,,,0",
        "Database Cleanup Begin,,,,,0,6,,,,,,,,,0",
        "DNS Update Request,99.60.1.10,NPI4F7508.corp.example.com,,,0,6,,,,,,,,,0",
        "Assign,10.1.20.57,LAPTOP-7F3K2.corp.example.com,3C22FB123456,,2864813201,0,,,,0x4D,"
        "MSFT 5.0,,,0x0,0",
    ])  # fmt: skip
    assert full.startswith("Scope Full, <*>, , ")
    assert cleanup.startswith("Database Cleanup Begin, , ")
    assert request.startswith("DNS Update Request, <*>, <*>, ")
    assert assign.startswith("Assign, <*>, ") and "MSFT" not in assign  # later fields: values


def test_weekday_files_of_one_time_are_read_monday_first(tmp_path):
    """QA DHCP: copied files share a modification time, and were read Mon, Thu, Tue, Wed."""
    import os

    for day in ("Thu", "Mon", "Wed", "Tue"):
        path = tmp_path / f"DhcpSrvLog-{day}.log"
        path.write_text(f"{day}\n")
        os.utime(path, (1_763_600_000, 1_763_600_000))
    files = expand_folders([str(tmp_path)]).files
    assert [f.rsplit("-", 1)[1] for f in files] == ["Mon.log", "Tue.log", "Wed.log", "Thu.log"]


def test_parts_numbered_with_a_leading_zero_read_newest_first_are_a_warning(tmp_path):
    """QA IBM MQ: `AMQERR01.LOG` is the newest part, `AMQERR03.LOG` the oldest; the folder was
    read 01, 02, 03 with no word (each name another log to the check)."""
    logs = tmp_path / "errors"
    logs.mkdir()
    for n, hour in ((1, 22), (2, 14), (3, 6)):
        (logs / f"AMQERR0{n}.LOG").write_text("".join(
            f"2026-12-04 {hour:02d}:{i:02d}:00 INFO AMQ9002I: Channel 'APP.SVRCONN' is starting.\n"
            for i in range(5)
        ))  # fmt: skip
    files = expand_folders([str(logs)]).files
    summary = parse_files(files, resolve_format("iso"), tmp_path / "e.parquet")
    assert any("AMQERR02.LOG ends before AMQERR01.LOG" in w for w in summary.warnings)
    other = tmp_path / "hosts"
    other.mkdir()
    for n, hour in ((1, 22), (2, 14)):  # two hosts' logs (no leading zero) are not parts
        (other / f"node{n}.log").write_text(f"2026-12-04 {hour:02d}:00:00 INFO up\n")
    files = expand_folders([str(other)]).files
    summary = parse_files(files, resolve_format("iso"), tmp_path / "e2.parquet")
    assert not any("ends before" in w for w in summary.warnings)


def test_a_dns_reply_code_and_powerdns_question_and_more_domains(masked_alike):
    """QA PowerDNS: `rcode="2"` (SERVFAIL) was `rcode="0"`'s event; `waiting for
    lame.example.biz|A` and names under `.biz` or `in-addr.arpa` kept, a template per domain."""
    ok, servfail, lame, other, ptr = masked_alike([
        'msg="Question answered from packet cache" qname="www.example.com" rcode="0"',
        'msg="Question answered from packet cache" qname="www.example.com" rcode="2"',
        'msg="Sending SERVFAIL" error="Too much time waiting for vpn.old-example.biz|A, n: 5"',
        'msg="Sending SERVFAIL" error="Too much time waiting for mx2.isp-example.de|A, n: 5"',
        'msg="Question" qname="1.0.0.10.in-addr.arpa" qtype="PTR"',
    ])  # fmt: skip
    assert ok.endswith('rcode="0"') and servfail.endswith('rcode="2"')
    assert lame == other and "waiting for <*>|A, n: <*>" in lame
    assert ptr == 'msg="Question" qname="<*>" qtype="PTR"'


def test_nextflows_exit_codes_are_kept(masked_alike):
    """QA Nextflow: `exit: 137` and `exit status (137)` were masked, an OOM-killed task a clean
    one's event."""
    killed, clean, retried = masked_alike([
        "Task completed > TaskHandler[id: 13; status: COMPLETED; exit: 137; error: -]",
        "Task completed > TaskHandler[id: 12; status: COMPLETED; exit: 0; error: -]",
        "Process `X (s1)` terminated with an error exit status (137) -- Execution is retried (1)",
    ])  # fmt: skip
    assert "exit: 137;" in killed and "exit: 0;" in clean
    assert "exit status (137)" in retried


def test_the_join_advice_reads_a_months_name_before_its_day():
    """QA Nextflow: records start `Dec-05 10:00:03.456`; the advice looked for a four-digit
    year, and its join made a whole run one line."""
    advice = join_continuations(["Dec-05 10:00:00.123 [main] DEBUG n.Launcher - run", "Caused by:"])
    assert advice.startswith("where each record starts with a date, awk '/^[A-Za-z][A-Za-z]")


def test_a_folder_of_hidden_logs_says_how_to_name_them_oldest_first(tmp_path):
    """QA Nextflow: every log is `.nextflow.log*`; the folder was refused with no way on."""
    (tmp_path / "run1").mkdir()
    (tmp_path / "run1" / ".nextflow.log").write_text("x\n")
    with pytest.raises(LogbertError, match=r"oldest first: \$\(ls -tr .*/run1/\.\[!\.\]\*\)"):
        expand_folders([str(tmp_path)])


def test_score_and_evaluation_files_in_a_log_folder_are_left_out(tmp_path):
    """QA Tomcat: a scores `.jsonl` and an evaluation `.json` beside pod logs were read as
    logs (the evaluation's pretty JSON as "stack traces"); a log of JSON lines is still read."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "scores.jsonl").write_text('{"session_id": "1", "score": 0.0, "is_anomaly": false}\n')
    (logs / "eval.json").write_text('{\n  "n_sessions": 3,\n  "n_anomalies": 1\n}\n')
    (logs / "app.jsonl").write_text('{"time": "2026-12-05T10:00:00Z", "msg": "started"}\n')
    (logs / "pod.log").write_text("2026-12-05 10:00:00 INFO started\n")
    listing = expand_folders([str(logs)])
    assert sorted(f.rsplit("/", 1)[1] for f in listing.files) == ["app.jsonl", "pod.log"]
    assert "logbert outputs" in listing.notes[0] and "scores.jsonl" in listing.notes[0]


def test_a_user_agent_after_a_space_is_a_quoted_value_or_a_word(masked_alike):
    """QA Kamailio: all after `ua=` was one value, `action=BLOCKED` an `action=accepted`'s
    event and the call id gone; Zimbra's `;ua=... ;]` context is still read to its `;`."""
    blocked, accepted, zimbra = masked_alike([
        'REGISTER ok ua="Yealink SIP-T46U 66.86.0.15" action=BLOCKED by acl rule 7 cid=a1',
        "REGISTER ok ua=Yealink action=accepted cid=a2",
        "[name=alice@x.com;mid=12;ip=10.0.0.1;ua=ZimbraWebClient - FF120 (Linux)/10.0_GA;] soap",
    ])  # fmt: skip
    assert blocked.startswith("REGISTER ok ua=<*> action=BLOCKED by acl rule <*> cid=")
    assert accepted.startswith("REGISTER ok ua=<*> action=accepted cid=")
    assert "ua=<*>;] soap" in zimbra


def test_syncthing_lines_are_not_read_as_couchdb():
    """QA Syncthing: `auto` chose couchdb for `[JQH2D] 2026/12/05 08:22:42 INFO: ...`, the
    device's short id as the level, `INFO:` as the node: 750 templates, F1 0.00."""
    lines = [
        "[JQH2D] 2026/12/05 08:22:42 INFO: Established secure connection to IY7YGUB at 10.0.0.2",
        "[JQH2D] 2026/12/05 08:31:10 WARNING: Failed to sync 3 items",
    ]
    assert "couchdb" not in [score.name for score in rank_formats(lines * 3) if score.dated]
    couch = ["[notice] 2026-12-03T04:45:26.123456Z couchdb@127.0.0.1 <0.12.0> -------- started"]
    assert rank_formats(couch * 3)[0].name == "couchdb"


def test_a_time_further_than_any_zone_from_the_header_is_no_offset():
    """QA Syncthing: the build date in its start line (`... 2025-01-07 08:35:01 UTC`) made
    "the header is in local time (UTC+16727:30)", advice `--timezone` refused."""
    from datetime import datetime

    from logbert.parsing.inner_time import inner_time_warning

    times = pa.array([datetime(2026, 12, 5, 7, 58, 12)], pa.timestamp("us"))
    content = pa.array(['syncthing v1.29.2 "Gold" builder@github 2025-01-07 08:35:01 UTC'])
    assert inner_time_warning(times, content) is None


def test_pihole_ftls_exit_code_is_kept_and_its_thread_is_a_value(masked_alike):
    """QA Pi-hole: FTL's `(code 1)` exit was a `(code 0)` one's event; a template kept the thread
    of `[... 812/T819]`, new at every start."""
    failed, clean, t819, t820 = masked_alike([
        "########## FTL terminated after 0d 2h 3m 4s  (code 1)! ##########",
        "########## FTL terminated after 0d 2h 3m 4s  (code 0)! ##########",
        "812/T819] WARNING: Long-term load (15min avg) larger than number of processors",
        "812/T820] WARNING: Long-term load (15min avg) larger than number of processors",
    ])  # fmt: skip
    assert "(code 1)!" in failed and "(code 0)!" in clean
    assert t819 == t820 and t819.startswith("<*>/<*>] WARNING")
