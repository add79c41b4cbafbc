"""`--format json`: structured logs, one JSON object per line (`parsing.json_lines`)."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from logbert.errors import LogbertError
from logbert.parsing.formats import parse_timestamps, resolve_format
from logbert.parsing.json_lines import split_json_lines
from logbert.parsing.masks import mask_text
from logbert.parsing.pipeline import Parser, parse_files, rank_formats

LINES = [
    '{"ts":"2026-11-03T10:00:01.123Z","level":"info","logger":"payments.api",'
    '"msg":"charge authorized","trace_id":"4bf92f35","amount":12.5,"ok":true}',
    '{"ts":"2026-11-03T11:00:02+01:00","level":"info","logger":"payments.api",'
    '"msg":"charge declined","trace_id":"9c1e","amount":7,"reason":"card_expired"}',
    "Payments service v2.3.1 starting",
    '{"time": 1762164000.5, "severity": "ERROR", "message": "ledger failed",'
    ' "error": {"code": 7, "detail": "line one\\nline two"}}',
    '["not", "an", "object"]',
    '{"truncated": ',
]


def test_lines_become_header_fields_and_a_content_of_message_and_named_values():
    ok, cols = split_json_lines(pa.array(LINES))
    assert ok.tolist() == [True, True, False, True, False, False]
    assert cols["Timestamp"].to_pylist() == [
        "2026-11-03T10:00:01.123Z", "2026-11-03T11:00:02+01:00", "1762164000.5"
    ]  # fmt: skip
    assert cols["Level"].to_pylist() == ["info", "info", "ERROR"]
    assert cols["Component"].to_pylist() == ["payments.api", "payments.api", ""]
    assert cols["Content"].to_pylist() == [
        "info payments.api charge authorized amount=12.5 ok=true trace_id=4bf92f35",
        "info payments.api charge declined amount=7 reason=card_expired trace_id=9c1e",
        "ERROR ledger failed error.code=7 error.detail=line one line two",  # one line of text
    ]


def test_parsing_keeps_distinct_messages_apart_and_dates_every_kind_of_time():
    """Compact JSON has no spaces: read as a format string, `charge authorized","trace_id":..`
    and `charge declined",...` were one template. Offsets are converted to UTC."""
    parser = Parser(resolve_format("json"))
    many = [
        f'{{"ts":"2026-11-03T10:00:{i:02d}Z","msg":"charge {word}","trace_id":"{i:x}{word}",'
        f'"amount":{i}.5}}'
        for i in range(30)
        for word in ("authorized", "declined")
    ]
    events = parser.process(LINES + many).events
    assert events.num_rows == 63
    templates = events["template"].to_pylist()
    assert len(set(templates[3:])) == 2 and templates[3] != templates[4]
    assert templates[3] == "charge authorized amount=<*> trace_id=<*>"
    stamps = [str(t) for t in events["timestamp"].to_pylist()]
    assert stamps[:2] == ["2026-11-03 10:00:01.123000", "2026-11-03 10:00:02"]
    assert stamps[2].startswith("2025-11-03 10:00:00.5")


def test_auto_picks_json_for_json_lines_and_the_state_keeps_it():
    assert rank_formats(LINES[:2] * 10)[0].name == "json"
    parser = Parser(resolve_format("auto"))
    parser.process(LINES[:2] * 10)
    assert parser.fmt.name == "json"
    again = Parser.from_state(json.loads(json.dumps(parser.to_state())))
    assert again.fmt.name == "json" and again.process(LINES[:1]).events.num_rows == 1


def test_the_time_is_the_field_that_holds_a_date_not_a_duration_named_time():
    """QA: `"time": 760` (a duration) beside zap's `"ts": "2024-..."` dated lines in 1970."""
    line = '{"ts":"2024-03-01T10:00:00.000Z","level":"info","msg":"served","time":760}'
    ok, cols = split_json_lines(pa.array([line]))
    assert cols["Timestamp"].to_pylist() == ["2024-03-01T10:00:00.000Z"]
    assert cols["Content"].to_pylist() == ["info served time=760"]
    # no date anywhere: a number or a duration named `time` is a field, the line undated
    # (they were dated in 1970, or refused with --timestamp-format advice); clock-like text
    # stays the time, for the "read no timestamp" error to quote
    lines = ['{"time":760,"msg":"x"}', '{"time":2.111,"msg":"x"}', '{"time":"0ms","msg":"x"}',
             '{"time":"10:00:01","msg":"x"}']  # fmt: skip
    only = split_json_lines(pa.array(lines))[1]
    assert only["Timestamp"].to_pylist() == ["", "", "", "10:00:01"]
    assert only["Content"].to_pylist()[:3] == ["x time=760", "x time=2.111", "x time=0ms"]


def test_a_nested_object_reads_as_its_flat_form():
    """QA: `evt={"type":"captured",...}` was one masked word: every event type shared one
    template, and a never-seen type passed as normal."""
    nested = '{"msg":"audit","evt":{"type":"captured","actor":{"id":7}},"tags":["a","b"]}'
    flat = '{"msg":"audit","evt.type":"captured","evt.actor.id":7,"tags":["a","b"]}'
    contents = split_json_lines(pa.array([nested, flat]))[1]["Content"].to_pylist()
    assert contents[0] == contents[1] == 'audit evt.actor.id=7 evt.type=captured tags=["a","b"]'


def test_json_lines_without_a_time_key_parse_undated_with_one_warning(tmp_path):
    """JSON lines that carry no time (the shipper dates them) were an error, "read no
    timestamp ... pass --timestamp-format", and `--format auto` refused them: such events are
    undated by the log itself, usable by id or line count, and the warning says so once."""
    log = tmp_path / "app.jsonl"
    log.write_text(
        "".join(
            f'{{"level":"info","msg":"step {w}","req":"r{i}"}}\n'
            for i in range(3)
            for w in ("start", "end")
        )  # fmt: skip
    )
    for name in ("json", "auto"):
        summary = parse_files([str(log)], resolve_format(name), tmp_path / f"{name}.parquet")
        assert summary.events == 6 and summary.timestamps == 0
        (warning,) = summary.warnings
        assert warning.startswith("warning: JSON lines: no line has a time key") and "ts" in warning
        assert "--by-id" in warning and "--timestamp-format" not in warning
    assert summary.notes[0].startswith("format auto: chose json")
    dated_badly = tmp_path / "clock.jsonl"  # a time key without a date is still an error
    dated_badly.write_text('{"time":"10:00:01","msg":"x"}\n')
    with pytest.raises(LogbertError, match="has <Timestamp> = '10:00:01'"):
        parse_files([str(dated_badly)], resolve_format("json"), tmp_path / "c.parquet")


def test_an_input_of_json_lines_without_a_time_key_among_dated_ones_says_so(tmp_path):
    """QA: the per-input warning blamed "another layout" and advised a format string, though
    `json` reads those lines right: they lack a time key."""
    dated, bare = tmp_path / "dated.jsonl", tmp_path / "bare.jsonl"
    dated.write_text("".join(f'{{"ts":"2024-01-01T00:00:{i:02d}Z","msg":"a"}}\n' for i in range(9)))
    bare.write_text('{"msg":"a"}\n' * 9)
    summary = parse_files([str(dated), str(bare)], resolve_format("json"), tmp_path / "e.parquet")
    (warning,) = [w for w in summary.warnings if "bare.jsonl" in w]
    assert warning.startswith(
        "warning: bare.jsonl: none of its 9 lines has a time key holding a date or epoch time"
    )
    assert "another layout" not in warning


def test_field_order_does_not_make_another_event_and_level_and_logger_do():
    """QA: the same message with its fields in another order (JSON keys have no order) was
    another template, and 70% of normal requests were flagged; an `error` line of a message
    logged at `info`, and a never-seen logger, had the normal line's key."""
    lines = [
        '{"ts":"2026-11-03T10:00:01Z","level":"info","logger":"shop","msg":"done",'
        '"status":200,"user":"u1","ms":12}',
        '{"ms":12,"user":"u1","status":200,"msg":"done","logger":"shop","level":"info",'
        '"ts":"2026-11-03T10:00:01Z"}',
        '{"ts":"2026-11-03T10:00:01Z","level":"error","logger":"shop","msg":"done",'
        '"status":200,"user":"u1","ms":12}',
        '{"ts":"2026-11-03T10:00:01Z","level":"info","logger":"shop.panic","msg":"done",'
        '"status":200,"user":"u1","ms":12}',
    ]
    contents = split_json_lines(pa.array(lines))[1]["Content"].to_pylist()
    assert contents[0] == contents[1] == "info shop done ms=12 status=200 user=u1"
    assert len(set(contents)) == 3


def test_container_runtime_wrappers_are_read_as_the_json_line_they_hold():
    """QA: Docker's json-file `{"log": "{...}\\n", ...}` and CRI's `<time> stdout F {...}` were
    one string (one template for most lines, the date unmasked): F1 0.17, no warning."""
    app = '{"ts":"2026-11-21T08:00:00.5Z","level":"info","msg":"paid","request_id":"r1"}'
    docker = json.dumps({"log": app + "\n", "stream": "stdout", "time": "2026-11-21T08:00:01Z"})
    cri = f"2026-11-21T08:00:02.123456789Z stdout F {app}"
    undated = '{"level":"info","msg":"paid","request_id":"r1"}'
    text = json.dumps({"log": "plain text\n", "stream": "stdout", "time": "2026-11-21T08:00:04Z"})
    lines = [app, docker, cri, f"2026-11-21T08:00:03Z stderr F {undated}", text]
    ok, cols = split_json_lines(pa.array(lines))
    assert ok.all()
    contents = cols["Content"].to_pylist()
    assert contents[0] == "info paid request_id=r1"
    # (the wrapper's `stream` left out, as CRI's and `docker logs`' leave it: QA Rocket.Chat,
    # a model trained on `docker logs` output met json-file lines as none it knew)
    assert contents[1] == contents[2] == contents[0]
    assert cols["Timestamp"].to_pylist()[:4] == [
        "2026-11-21T08:00:00.5Z", "2026-11-21T08:00:00.5Z", "2026-11-21T08:00:00.5Z",
        "2026-11-21T08:00:03Z",  # the CRI time dates an object that has none
    ]  # fmt: skip
    assert contents[4] == "plain text stream=stdout"  # a wrapped text line stays text
    assert rank_formats([cri] * 20)[0].name == "json"
    # ... and `docker logs --timestamps`' time before it (QA Drone CI: every line rejected)
    stamped = f"2026-11-21T08:00:05.123456789Z {undated}"
    ok, cols = split_json_lines(pa.array([stamped]))
    assert ok.all() and cols["Content"].to_pylist() == ["info paid request_id=r1"]
    assert cols["Timestamp"].to_pylist() == ["2026-11-21T08:00:05.123456789Z"]
    assert rank_formats([stamped] * 20)[0].name == "json"


def test_pino_and_bunyan_numeric_levels_are_named():
    """QA: pino writes `"level":50`; as a number the level was masked, and an error line
    shared its template with the same message at info (0 of 20 traces flagged)."""
    levels = [30, 50, 40, 60, 42]
    lines = [json.dumps({"level": level, "time": 1793716927123, "msg": "charge attempt",
                         "order_id": i}) for i, level in enumerate(levels)]  # fmt: skip
    ok, cols = split_json_lines(pa.array(lines))
    assert ok.all()
    # a custom level (pino's customLevels) is a word of its own: as `42` it was masked, one
    # event with `info` (QA pino), and `--format auto` refused such a line (no level word)
    assert cols["Level"].to_pylist() == ["info", "error", "warn", "fatal", "level42"]
    assert cols["Content"][1].as_py() == "error charge attempt order_id=1"
    assert rank_formats(lines[4:] * 3)[0].name == "json"


def test_mongodb_lines_are_dated_and_name_their_level_and_component():
    """QA MongoDB 4.4+: its time `{"$date": ...}` was read as no time, so no line was dated
    and `--idle-timeout` merged the connections of two server runs."""
    lines = [
        json.dumps({"t": {"$date": "2026-11-20T10:15:02.123+01:00"}, "s": "I", "c": "NETWORK",
                    "id": 22943, "ctx": "listener", "msg": "Connection accepted",
                    "attr": {"connectionId": 812}}),
        json.dumps({"t": {"$date": {"$numberLong": "1763633702123"}}, "s": "E", "c": "ACCESS",
                    "id": 20249, "ctx": "conn812", "msg": "Authentication failed"}),
        json.dumps({"t": {"$date": "2026-11-20T09:15:02Z"}, "s": "D2", "c": "QUERY", "msg": "x"}),
    ]  # fmt: skip
    ok, cols = split_json_lines(pa.array(lines))
    assert ok.all()
    assert cols["Timestamp"].to_pylist() == [
        "2026-11-20T10:15:02.123+01:00", "1763633702123", "2026-11-20T09:15:02Z"
    ]  # fmt: skip
    assert cols["Level"].to_pylist() == ["info", "error", "debug"]
    assert cols["Component"].to_pylist() == ["NETWORK", "ACCESS", "QUERY"]
    assert cols["Content"][0].as_py() == (
        "info NETWORK Connection accepted attr.connectionId=812 ctx=listener id=22943"
    )
    fmt = resolve_format("json")
    stamps = parse_timestamps(cols, fmt.timestamp, len(lines)).to_pylist()
    assert [str(s) for s in stamps] == [
        "2026-11-20 09:15:02.123000", "2025-11-20 10:15:02.123000", "2026-11-20 09:15:02"
    ]  # fmt: skip


def test_journal_exports_are_dated_and_name_their_level_component_and_message():
    """QA systemd (`journalctl -o json`): no line was dated, `PRIORITY` was a masked number
    (an err and an info line of one service shared a template), and a `MESSAGE` written as an
    array of bytes (it held colour codes) was `[<*>]` for every such line."""
    coloured = list(b"\x1b[31mERROR\x1b[0m database connection lost")
    lines = [
        json.dumps({"__CURSOR": "s=1;i=2", "__REALTIME_TIMESTAMP": "1795132800000000",
                    "__MONOTONIC_TIMESTAMP": "1234", "PRIORITY": "3",
                    "SYSLOG_IDENTIFIER": "webapp", "_PID": "812", "MESSAGE": coloured,
                    "SYSLOG_TIMESTAMP": "Nov 16 01:00:00 "}),
        json.dumps({"__REALTIME_TIMESTAMP": "1795132801000000", "PRIORITY": "6",
                    "_SOURCE_REALTIME_TIMESTAMP": "1795132800900000",
                    "SYSLOG_IDENTIFIER": "webapp", "_HOSTNAME": "web01",
                    "MESSAGE": "request completed"}),
    ]  # fmt: skip
    ok, cols = split_json_lines(pa.array(lines))
    assert ok.all()
    assert cols["Timestamp"].to_pylist() == ["1795132800000000", "1795132800900000"]
    assert cols["Level"].to_pylist() == ["err", "info"]
    assert cols["Component"].to_pylist() == ["webapp", "webapp"]
    assert cols["Content"].to_pylist() == [
        "err webapp \x1b[31mERROR\x1b[0m database connection lost _PID=812",
        "info webapp request completed _HOSTNAME=web01",
    ]  # the splitter drops the colour codes (`splitter.strip_ansi`)


def test_a_cloudtrail_file_is_an_error_and_its_events_are_dated():
    """QA CloudTrail: a `{"Records": [...]}` file was read as one event per file (a template
    of a whole file, exit 0), and `eventTime` dated no event."""
    event = {"eventTime": "2026-11-20T10:15:02Z", "eventName": "GetObject",
             "userIdentity": {"arn": "arn:aws:iam::1:user/alice"}}  # fmt: skip
    with pytest.raises(LogbertError, match=r"array of 2 events under 'Records'.*jq -c"):
        split_json_lines(pa.array([json.dumps({"Records": [event, event]})]))
    ok, columns = split_json_lines(pa.array([json.dumps(event)]))
    assert ok.all() and columns["Timestamp"].to_pylist() == ["2026-11-20T10:15:02Z"]
    assert "eventName=GetObject" in columns["Content"][0].as_py()


def test_a_proxys_json_access_line_keeps_status_class_and_endpoint_and_drops_the_agent():
    """QA Traefik: `DownstreamStatus`/`OriginStatus` 502 and 200 were one event, the path field
    one variable (`/login`, `/.env`, `/wp-admin/...` one event), a new browser's user agent a
    new event (94 false alarms), and an empty `msg` left a double space."""
    from logbert.parsing.masks import mask_text

    line = {"ClientHost": "10.0.0.5", "DownstreamStatus": 502, "OriginStatus": 502,
            "RequestMethod": "GET", "RequestPath": "/api/orders/123?x=1", "msg": "",
            "request_User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/120",
            "level": "info", "time": "2026-11-20T10:15:02Z"}  # fmt: skip
    ok, columns = split_json_lines(pa.array([json.dumps(line)]))
    content = columns["Content"][0].as_py()
    assert content == ("info ClientHost=10.0.0.5 DownstreamStatus=502 OriginStatus=502 "
                       "RequestMethod=GET RequestPath=/api/orders/123?x=1")  # fmt: skip
    assert mask_text(content) == ("info ClientHost=<*> DownstreamStatus=5xx OriginStatus=5xx "
                                  "RequestMethod=GET RequestPath=/api/orders/<*>")  # fmt: skip
    assert mask_text("request.uri=/.env status=404") == "request.uri=/.env status=4xx"
    assert mask_text("file_path=/var/log/app.log") == "file_path=<*>"  # a file, no request
    from logbert.parsing.miner import _endpoint  # each endpoint an event, as a request line's

    assert _endpoint("RequestPath=/api/orders/<*>") == "/api/orders" and _endpoint("x=<*>") is None


def test_a_format_string_on_json_lines_is_a_warning(tmp_path):
    """QA Traefik: a format string read JSON lines as text: 0 rejected, one template for many
    API calls, every line undated, and nothing suggested --format json."""
    log = tmp_path / "t.log"
    log.write_text("".join(json.dumps({"ClientHost": "10.0.0.5", "RequestPath": f"/x/{i}",
                                       "msg": ""}) + "\n" for i in range(10)))  # fmt: skip
    summary = parse_files([str(log)], resolve_format('{"ClientHost": "<Client>", <Content>'),
                          tmp_path / "e.parquet")  # fmt: skip
    assert any("10 of the first 10 lines are JSON objects" in w and "--format json" in w
               for w in summary.warnings)  # fmt: skip
    plain = parse_files([str(log)], resolve_format("json"), tmp_path / "f.parquet")
    assert not any("are JSON objects" in w for w in plain.warnings)


def test_serilog_compact_json_is_dated_and_its_message_template_is_the_event():
    """QA Serilog (CLEF): `@t` was never read (no line dated), an Information line had no
    level (`@l` is left out for it), and `@mt`, the event itself, was one field of many."""
    lines = [
        json.dumps({"@t": "2026-11-21T08:00:00.1234567Z", "@mt": "HTTP {Method} responded {Code}",
                    "@r": ["12.3"], "Method": "GET", "Code": 200,
                    "SourceContext": "Serilog.AspNetCore.RequestLoggingMiddleware"}),
        json.dumps({"@t": "2026-11-21T08:00:01Z", "@mt": "Retry {N}", "@l": "Warning", "N": 2}),
    ]  # fmt: skip
    ok, cols = split_json_lines(pa.array(lines))
    assert ok.all() and cols["Timestamp"][0].as_py() == "2026-11-21T08:00:00.1234567Z"
    assert cols["Level"].to_pylist() == ["Information", "Warning"]
    assert cols["Component"][0].as_py() == "Serilog.AspNetCore.RequestLoggingMiddleware"
    assert cols["Content"].to_pylist() == [
        "Information Serilog.AspNetCore.RequestLoggingMiddleware HTTP {Method} responded {Code} "
        "Code=200 Method=GET",
        "Warning Retry {N} N=2",
    ]


def test_a_key_named_as_a_time_dates_a_line_and_nested_ecs_levels_are_read():
    """QA Kubernetes audit: the time is `requestReceivedTimestamp`, no known key, so no line
    was dated and nothing could name it; QA Winlogbeat: ECS writes `{"log": {"level": ...}}`,
    and no line had a level."""
    audit = json.dumps({"kind": "Event", "verb": "list", "stageTimestamp": "2026-11-20T10:15:03Z",
                        "requestReceivedTimestamp": "2026-11-20T10:15:02.5Z",
                        "responseStatus": {"code": 500}})  # fmt: skip
    ecs = json.dumps({"@timestamp": "2026-11-20T10:15:02Z", "log": {"level": "information"},
                      "event": {"code": "4624"}, "message": "Logged on."})  # fmt: skip
    ok, cols = split_json_lines(pa.array([audit, ecs]))
    assert cols["Timestamp"].to_pylist() == ["2026-11-20T10:15:03Z", "2026-11-20T10:15:02Z"]
    assert cols["Level"].to_pylist() == ["", "information"]
    assert "log.level" not in cols["Content"][1].as_py()
    assert mask_text(cols["Content"][0].as_py()) == (
        "kind=Event requestReceivedTimestamp=<*> responseStatus.code=5xx verb=list"
    )  # the first key named as a time dates it; a response's status keeps its class
    assert mask_text(cols["Content"][1].as_py()).endswith("event.code=4624")  # the event's id


def test_cloud_logging_entries_read_as_the_flat_line_of_their_payload(tmp_path):
    """QA GCP (`gcloud logging read`): the message was one field among twenty,
    `jsonPayload.status=503` and a load balancer's `httpRequest.status` 503 were a 200's
    event, every URL of one method was one event, and a file of one JSON array was told to
    write a format string."""
    resource = {"type": "k8s_container", "labels": {"pod_name": "payments-7d9f-x2x4k",
                                                     "container_name": "payments"}}
    app = {"insertId": "abc123", "jsonPayload": {"message": "gateway response", "status": 503},
           "resource": resource, "severity": "ERROR", "timestamp": "2026-11-30T10:00:00.1Z",
           "trace": "projects/shop/traces/4bf92f35", "receiveTimestamp": "2026-11-30T10:00:01Z"}
    balancer = {"insertId": "x1", "logName": "projects/shop/logs/requests", "severity": "INFO",
                "httpRequest": {"requestMethod": "POST", "status": 503, "latency": "0.2s",
                                "requestUrl": "https://shop.example.com/cart?x=1"},
                "jsonPayload": {"statusDetails": "response_sent_by_backend"},
                "receiveTimestamp": "2026-11-30T10:00:02Z"}
    text = {"insertId": "y", "textPayload": "worker started", "logName": "projects/p/logs/stdout",
            "timestamp": "2026-11-30T10:00:03Z"}  # fmt: skip
    ok, cols = split_json_lines(pa.array([json.dumps(r) for r in (app, balancer, text)]))
    assert ok.all()
    assert cols["Timestamp"].to_pylist() == [
        "2026-11-30T10:00:00.1Z", "2026-11-30T10:00:02Z", "2026-11-30T10:00:03Z"
    ]  # fmt: skip
    assert cols["Component"].to_pylist() == ["payments", "", ""]
    content = cols["Content"].to_pylist()
    assert content[0].startswith("ERROR payments gateway response ")
    assert "status=503" in content[0].split() and "insertId" not in content[0]
    assert "resource.labels.pod_name=<*>" in mask_text(content[0]).split()
    assert content[1].startswith("INFO POST /cart?x=1 503 httpRequest.latency=0.2s ")
    assert mask_text(content[1]).startswith("INFO POST /cart?<*> 5xx ")
    assert content[2] == "worker started logName=projects/p/logs/stdout"
    (tmp_path / "entries.json").write_text("[\n  {\n" + '    "insertId": "a"\n  }\n]\n')
    with pytest.raises(LogbertError, match=r"opens a JSON array.*jq -c '\.\[\]'"):
        parse_files([str(tmp_path / "entries.json")], resolve_format("json"), tmp_path / "e.pq")


def test_gitlabs_ua_field_is_a_user_agent_left_out():
    """QA GitLab: `ua` stayed in the event, so a browser new since training was a new one."""
    from logbert.parsing.json_lines import record_fields

    _, content = record_fields({"time": "2025-11-30T10:00:00Z", "msg": "done", "ua": "Safari",
                                "status": 200})  # fmt: skip
    assert content == "done status=200"
