"""What blind QA round 114 (Portainer, Emby, Kylin, Zipkin) found in reading each log's lines,
and what they read as now."""

from __future__ import annotations

from logbert.parsing.auto import looks_like_continuation
from logbert.parsing.summary import continuation_hint

KYLIN_RECORD = [
    "==========================[QUERY]===============================",
    "Query Id: bab58fc2-ed6d-425e-9b00-ebd53d7b00c9",
    "SQL: select channel, count(distinct user_id) from fact_web_events group by channel",
    "User: mzhang", "Success: false", "Duration: 0.412", "Project: web_analytics",
    "Realization Names: [CUBE[name=web_events_cube]]", "Cuboid Ids: [262143]",
    "Total scan count: 0", "Total scan bytes: 0", "Result row count: 0",
    "Is Partial Result: false", "Hit Exception Cache: false", "Storage cache used: false",
    "Is Query Push-Down: false", "Is Prepare: false", "Trace URL: null",
    "Message: No realization found for OLAPContext",
]  # fmt: skip


def test_kylin_s_query_record_is_a_multi_line_record_s_rest():
    """QA Kylin: each query's record under `service.QueryService:405 : ` (57% of a training
    log) was "lines of their own", with advice that led nowhere; it is the rest of the record,
    to join to its first line."""
    rest = [looks_like_continuation(line) for line in KYLIN_RECORD]
    assert sum(rest) * 2 > len(rest) and rest[:3] == [True] * 3  # the rule, Query Id, SQL
    assert not looks_like_continuation("User: mzhang")  # a shape too common to call a rest
    assert not looks_like_continuation("s6-rc: info: service frigate: stopping")
    # lines of their own are not said to be events: they may continue a record too
    hint = continuation_hint(0, 14)
    assert hint.startswith("14 are lines the format does not read, no stack trace's")
    assert "join each record into one line first" in hint


def test_a_dotnet_exception_with_its_hresult_starts_a_trace():
    """QA Emby/Jellyfin: `Microsoft.Data.Sqlite.SqliteException (0x80004005): SQLite Error 5:
    'database is locked'.` under an error line was a line of its own, not a trace's."""
    assert looks_like_continuation(
        "Microsoft.Data.Sqlite.SqliteException (0x80004005): SQLite Error 5: 'database is locked'."
    )


PORTAINER = [
    "2024/03/11 12:00AM INF github.com/portainer/portainer/api/cmd/portainer/main.go:530 > "
    "encryption key file not present | filename=portainer",
    "2024/03/11 12:07AM DBG github.com/portainer/agent/http/handler/ping/handler.go:31 > ping "
    "received | remote_addr=10.0.1.10",
    "2024/03/11 01:42PM ERR github.com/portainer/portainer/api/http/handler/stacks/create.go:88 "
    "> failed to deploy stack | stack_id=12 error=\"exit status 1\"",
]


def test_portainer_s_log_is_a_built_in_format_its_twelve_hour_clock_read(auto_parsed):
    """QA Portainer: `auto` knew no format for zerolog's console lines as Portainer writes them
    (`2024/03/11 01:42PM ERR <file>:<line> > msg`), and the advised `<Timestamp> <Content>`
    dated every line at midnight."""
    from datetime import datetime

    events = auto_parsed(PORTAINER, "portainer")
    assert events["timestamp"] == [datetime(2024, 3, 11, 0, 0), datetime(2024, 3, 11, 0, 7),
                                   datetime(2024, 3, 11, 13, 42)]  # fmt: skip
    assert events["Level"] == ["INF", "DBG", "ERR"]
    assert events["Component"][2].endswith("stacks/create.go:88")
    assert events["template"][1] == "ping received | remote_addr=<*>"


ZIPKIN = [
    "2024-05-14 00:00:00.000  INFO [/] 1 --- [           main] z.s.ZipkinServer              "
    "           : Starting ZipkinServer using Java 17.0.9 on zipkin-0 with PID 1",
    "2024-05-14 08:41:56.607  WARN [15ee9650bd88ca26/ac04a8c50bac436e] 1 --- [orker-epoll-2-1] "
    "zipkin2.collector.Collector              : Cannot store spans [2a3449820a03b0a2, "
    "bd900f7a4034459d, a240ee10ebd3d1f8, ...] due to ResponseTimeoutException(null)",
    "2024-05-14 08:42:56.607  WARN [15ee9650bd88ca27/ac04a8c50bac436f] 1 --- [orker-epoll-2-3] "
    "zipkin2.collector.Collector              : Cannot store spans [2a3449820a03b0a3] due to "
    "ResponseTimeoutException(null)",
]


def test_spring_boot_s_layout_with_a_trace_context_after_the_level(auto_parsed):
    """QA Zipkin: `spring` refused Zipkin's own `INFO [traceId/spanId] 1 --- [main] ...`, and
    `hadoop`, advised and chosen, read the trace context as a process (every trace two
    sessions by field); `Cannot store spans [a, b, c, ...]` was a template per count of ids."""
    events = auto_parsed(ZIPKIN, "spring")
    assert events["Trace"][:2] == ["/", "15ee9650bd88ca26/ac04a8c50bac436e"]
    assert events["ThreadName"][1] == "orker-epoll-2-1" and events["Pid"][1] == "1"
    assert events["template"][1] == events["template"][2]
    assert "Cannot store spans [<*>] due to" in events["template"][1]
