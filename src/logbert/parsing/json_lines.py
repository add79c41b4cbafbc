"""Structured logs, one JSON object per line (`--format json`): header fields and a message.

Loggers that write JSON (structlog, logrus, zap, pino, python-json-logger, bunyan, Logstash)
agree on little but the idea: the time is `ts`, `time`, `timestamp` or `@timestamp`, the level
`level` or `severity`, the message `msg`, `message` or `event`. A loghub format string cannot
read them: their fields come in any order, and compact JSON has no spaces, so the message and
every field after it were one "word" to the miner (`charge authorized","trace_id":...` and
`charge declined",...` were one template). Here each line is decoded and becomes the usual
header fields (`Timestamp`, `Level`, `Component`) and a content the miner can read: the level
and the logger, the message, then every other field as `name=value`, sorted by name
(`info payments.api charge authorized amount=12.5 trace_id=4bf9... user=u_1832`), so
`--by-id 'trace_id=(\\w+)'` finds a request's id and the values are masked like any other.
The level and logger are words of the event, as `iso` keeps them (QA: an `error` line of a
message always logged at `info`, and a never-seen logger, passed as normal); the fields are
sorted because a JSON object's keys have no order (QA: shippers and call sites that wrote them
in another order made 258 templates of 27 events, and 70% of normal requests were flagged).
Container runtimes wrap each line: Docker's json-file driver as `{"log": "<the line>\\n",
"stream": ..., "time": ...}` and the CRI (containerd, Kubernetes) as `<time> stdout F <the
line>`; a wrapped line that is itself a JSON object is read as that object (the wrapper's time
when it has none), not as one string whose every variable part was one event.
A line that is not a JSON object (a start-up banner, a traceback printed to the same stream)
does not fit the format and is counted and kept with the rejects, as with any format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
import pyarrow as pa

from logbert.errors import LogbertError
from logbert.parsing.event_xml import XML_EVENT_START, event_xml_record
from logbert.parsing.mask_symbols import HTTP_METHODS, WILDCARD
from logbert.parsing.masks import NAME_KEYS, USER_TEXT_NAMES

# the first key present (in this order) fills each header field; what no key names stays empty.
# The time takes the first that holds a date (`_is_time`): zap writes the time as `ts` and
# some services a duration as `time`, which read first dated every line in 1970
TIME_KEYS = ("@timestamp", "timestamp", "time", "ts", "datetime", "asctime", "date", "t",
             "eventTime",  # AWS CloudTrail's (QA: no event dated)
             "published")  # fmt: skip  # Okta's System Log (QA: no event dated, no windows)
# ... with hclog's JSON (`-log-json`: `@level`, `@module`, `@message`; QA Consul: none read, and
# a DNS line's `name=` argument, the question, taken as the component: a template per name)
# ... and PostgreSQL's jsonlog (and its csvlog turned into JSON lines): `error_severity`, its
# `backend_type` the component (QA PostgreSQL)
LEVEL_KEYS = ("level", "severity", "levelname", "lvl", "loglevel", "log.level", "@l", "@level",
              "error_severity")  # fmt: skip
# pino and bunyan write the level as a number; as a number it was masked, and an error line
# shared its template with the same message at info (QA: 60 `"level":50` lines, 0 flagged)
NUMERIC_LEVELS = {"10": "trace", "20": "debug", "30": "info", "40": "warn", "50": "error",
                  "60": "fatal"}  # fmt: skip
# (not go-kit's and zap's `caller=compact.go:1096`: a place in the source, not a component; as
# one, `Component` held a component on some lines and a source line on the others, and sessions
# `--by-field Component` were one per source line: QA Thanos. It stays a field of the message)
COMPONENT_KEYS = ("logger", "logger_name", "log.logger", "component", "module", "@module", "name",
                  "backend_type")  # fmt: skip
MESSAGE_KEYS = ("msg", "message", "event", "@m", "@message", "log", "text")
HEADER = {"Timestamp": TIME_KEYS, "Level": LEVEL_KEYS, "Component": COMPONENT_KEYS}
JSON = "json"  # the built-in format's name
# a CRI log line (containerd, CRI-O, Kubernetes' /var/log/pods): time, stream, full/partial tag
_CRI = re.compile(r"(\S+) (?:stdout|stderr) [FP] (\{.*)")
# ... and `docker logs --timestamps`' RFC 3339 time before it (QA Drone CI: every line
# rejected by `json`, and `iso` advised, whose templates were the JSON text)
_DOCKER_TIMESTAMPED = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(?:Z|[+-][0-9:]+)) (\{.*)")
# ... and `docker compose logs`' service before it, `woodpecker-server-1  | {...}` (QA Woodpecker:
# every line refused, no word of `--no-log-prefix`): the service a field of the record
_COMPOSE = re.compile(r"([A-Za-z0-9][\w.-]*)\s+\| (\{.*)")
# ... and syslog's header before it, as journald and rsyslog write a service's JSON lines
# (`May 14 08:00:02 sensu-backend-01 sensu-backend[1187]: {...}`; QA Sensu: `auto` chose `linux`
# and every template was the JSON text): the host and the program fields of the record
SYSLOG_HEADER = (
    r"[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} (\S+) ([\w./@-]+)(?:\[[0-9]+\])?: "
)
_SYSLOG_WRAPPED = re.compile(SYSLOG_HEADER + r"(\{.*)")


def _text(value: object) -> str:
    """A field's value as one piece of text: strings as they are, anything else as compact
    JSON (`12.5`, `true`, `{"code":7}`; the common scalars without calling `json.dumps`)."""
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, bool):
        return _SCALARS[value]
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


_SCALARS = {None: "null", True: "true", False: "false"}


def _is_time(value: object) -> bool:
    """Whether a value can be a point in time: a date (`2024-03-01...`, `2024/03/01 ...`,
    loggers' `asctime`), or epoch time from 2001 on (seconds, or finer: 10 or more digits);
    a duration (`"time": 760`) is not."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return value >= 1e9
    if not isinstance(value, str) or len(value) < 8:
        return False
    return (value[:4].isdigit() and value[4] in "-/") or (value.isdigit() and len(value) >= 10)


def _looks_like_clock_text(value: object) -> bool:
    """A string that may be a time in a layout `_is_time` does not know (`03/11/2026 10:00`,
    `10:00:01`): digits and a date or clock separator; a duration (`0ms`, `2.5s`) is not."""
    return (
        isinstance(value, str)
        and len(value) >= 8
        and any(c.isdigit() for c in value)
        and any(c in value for c in ":/")
    )


def _is_spaced(value: object) -> bool:
    """Whether a value holds words: a `name` that does is a thing's name, no logger's (Ollama's
    `name="NVIDIA GeForce RTX 4090"`: QA, the GPU's model the component, a template per GPU)."""
    return isinstance(value, str) and len(value.split()) > 1


def _after_message(record: dict) -> bool:
    """Whether a record writes `name` after its message: an argument of the event, not the
    logger (Velero's logrus `msg="Backing up item" ... name=orders-db-0`: QA, the pod's name
    the component, first in the event, a template per pod), as Python's JSON loggers write
    their logger's `name` before the message."""
    keys = list(record)
    message = next((keys.index(k) for k in MESSAGE_KEYS if k in record), None)
    return message is not None and keys.index("name") > message


def _header_key(record: dict, keys: tuple[str, ...], time: bool) -> str | None:
    """The key filling a header field: the first of `keys` present; for the time, the first
    holding a time, else the first holding text that may be one (its layout then gets the
    usual "read no timestamp" advice), else none: a number or a duration named `time` is a
    field, and lines without a time are undated (a warning), not dated in 1970."""
    fallback = None
    for key in keys:
        value = record.get(key)
        if value is None or (key == "name" and (_is_spaced(value) or _after_message(record))):
            continue
        if not time or _is_time(value):
            return key
        if fallback is None and _looks_like_clock_text(value):
            fallback = key
    if time and fallback is None:  # any key named as a time that holds one (Kubernetes'
        # audit `requestReceivedTimestamp`; QA: no line was dated, and nothing could name it)
        named = (k for k, v in record.items() if _named_as_time(k) and _is_time(v))
        return next(named, None)
    return fallback


_TIME_NAMES = ("time", "timestamp")
# ... or starting so, `TimeCreated`, `time_generated` (QA Windows: no line dated, unsaid)
_TIME_FIRST = ("timecreated", "timegenerated", "time_created", "time_generated", "timelogged")


def _named_as_time(key: str) -> bool:
    """Whether a key's name says it holds a time (`_TIME_NAMES`, `_TIME_FIRST`)."""
    name = key.lower()
    return name.endswith(_TIME_NAMES) or name.startswith(_TIME_FIRST)


def _lift_dotted(record: dict) -> None:
    """Bring a header key written nested (ECS's `{"log": {"level": "information"}}`, Winlogbeat
    and Filebeat; QA: no line had a level) to the top as its dotted name (`log.level`)."""
    for key in (*LEVEL_KEYS, *COMPONENT_KEYS):
        outer, dot, inner = key.partition(".")
        parent = record.get(outer)
        if dot and key not in record and isinstance(parent, dict) and inner in parent:
            record[key] = parent.pop(inner)
            if not parent:
                del record[outer]


def _pairs(key: str, value: object) -> list[tuple[str, str]]:
    """(name, value) of `name=value` words; a nested object's fields as `name.field=value` (as
    its flat form reads: `{"evt":{"type":"captured"}}` is `evt.type=captured`; as one word its
    type was masked away with its other values and different events shared a template)."""
    if isinstance(value, dict) and value:
        if all(_OBJECT_REF.fullmatch(k) and not isinstance(v, dict | list) for k, v in
               value.items()):  # fmt: skip
            # objects by reference, Flux's `"output":{"Deployment/apps/web":"configured",...}`:
            # each outcome once, however many objects had it (QA Flux: a template per count of
            # applied objects, an apply of one more object a new event)
            outcomes = dict.fromkeys(sorted(_text(v) for v in value.values()))
            return [(f"{key}.{WILDCARD}", text) for text in outcomes]
        return [pair for k, v in value.items() for pair in _pairs(f"{key}.{k}", v)]
    objects = value and isinstance(value, list) and all(isinstance(i, dict) for i in value)
    if objects and _TRACE.search(key) is None:  # (a stack trace's frames stay one text)
        return _item_pairs(key, value)
    return [(key, _text(value))]


# a Kubernetes object by kind, namespace and name as a map's key (`Deployment/apps/web`)
_OBJECT_REF = re.compile(r"[A-Za-z][\w.-]*/[\w.-]+(?:/[\w.-]+)?")


def _item_pairs(key: str, items: list[dict]) -> list[tuple[str, str]]:
    """An array of objects as one object, however many items it holds: each field once, as
    `name[].field=value`, its value where every item holding it has the same, else `<*>`.
    As JSON text, each length of the array was a template (QA CloudTrail: launching three
    instances where training had launched one or two was a new event, and a filter's items),
    and every item's ids were words of it."""
    values: dict[str, list[str]] = {}
    for item in items:
        for name, text in _pairs(f"{key}[]", item):
            values.setdefault(name, []).append(text)
    return [(name, text[0] if len(set(text)) == 1 else WILDCARD) for name, text in values.items()]


# MongoDB (4.4+) writes its time as Extended JSON, `"t":{"$date":"2026-11-20T10:15:02.123Z"}`
# (or `{"$date":{"$numberLong":"1700000000000"}}`), and its level and component as `s` and `c`
# (QA: no line was dated, so `--window` and `--idle-timeout` could not work)
_MONGO_LEVELS = {"F": "fatal", "E": "error", "W": "warn", "I": "info"}  # D1..D5: debug


def _mongodb(record: dict) -> None:
    """Read a MongoDB log line's fields under the names `HEADER` takes: its `$date` time as a
    plain time, `s` as the level (`I` as `info`) and `c` as the component."""
    date = record.get("t")
    if not (isinstance(date, dict) and "$date" in date and "s" in record and "c" in record):
        return
    value = date["$date"]
    if isinstance(value, dict):  # `$numberLong`: epoch milliseconds
        value = value.get("$numberLong", value)
    record["t"] = value
    level = str(record.pop("s"))
    record.setdefault("severity", _MONGO_LEVELS.get(level, "debug" if level[:1] == "D" else level))
    record.setdefault("component", record.pop("c"))


# systemd's journal (`journalctl -o json`) names its fields in capitals: the time in epoch
# microseconds, `PRIORITY` a syslog level number, `MESSAGE` the text, or an array of bytes
# where it holds control characters such as colour codes (QA: no line was dated, an error and
# an info line of one service shared a template, every coloured message was `[<*>]`)
_SYSLOG_LEVELS = ("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug")


def _journald(record: dict) -> None:
    """Read a journal export's fields under the names `HEADER` and `MESSAGE_KEYS` take; its
    address fields (`__CURSOR`, `__MONOTONIC_TIMESTAMP`, ...) and the copy of the time in
    `SYSLOG_TIMESTAMP` name no event and are left out."""
    if "__REALTIME_TIMESTAMP" not in record and "__CURSOR" not in record:
        return
    time = record.pop("_SOURCE_REALTIME_TIMESTAMP", None) or record.get("__REALTIME_TIMESTAMP")
    for key in [k for k in record if k.startswith("__") or k == "SYSLOG_TIMESTAMP"]:
        del record[key]
    if time is not None:
        record.setdefault("timestamp", time)
    level = str(record.pop("PRIORITY", ""))
    if level.isdigit() and int(level) < len(_SYSLOG_LEVELS):
        record.setdefault("severity", _SYSLOG_LEVELS[int(level)])
    if "SYSLOG_IDENTIFIER" in record:
        record.setdefault("component", record.pop("SYSLOG_IDENTIFIER"))
    message = record.pop("MESSAGE", None)
    if isinstance(message, list) and all(isinstance(b, int) and 0 <= b < 256 for b in message):
        message = bytes(message).decode("utf-8", errors="replace")
    if isinstance(message, str):
        record.setdefault("message", message)  # its colour codes go with the content's


# a Windows event as PowerShell exports it (`Get-WinEvent | Select TimeCreated, Id,
# LevelDisplayName, ProviderName, MachineName, Message`, `Get-EventLog`'s `TimeGenerated` and
# `EventID`; a CSV export converted to JSON lines): QA Windows, no line was dated, no level
# or component read, and `Id=<*>` made a failed logon (4625) a successful one's (4624) event
def _windows_event(record: dict) -> None:
    """Read a PowerShell event's fields under the names `HEADER` and `MESSAGE_KEYS` take, and
    its `Id` as `EventID` (an event's id is kept, `kept_values`)."""
    if "ProviderName" not in record or not ("Id" in record or "EventID" in record):
        return
    for key in ("TimeCreated", "TimeGenerated"):
        if key in record:
            record.setdefault("timestamp", record.pop(key))
            break
    if "LevelDisplayName" in record:
        record.setdefault("level", record.pop("LevelDisplayName"))
    record.setdefault("component", record.pop("ProviderName"))
    if "Message" in record:
        record.setdefault("message", record.pop("Message"))
    if "Id" in record:
        record.setdefault("EventID", record.pop("Id"))


# Nextcloud's and ownCloud's `nextcloud.log` (`{"reqId":...,"level":3,...,"app":"files",
# "message":...}`): levels 0-4 (debug, info, warn, error, fatal; QA: `level3`, no problem
# level known) and the app as the component
_NEXTCLOUD_LEVELS = ("debug", "info", "warn", "error", "fatal")


def _nextcloud(record: dict) -> None:
    """Read a Nextcloud line's numeric level by its name, and its app as the component."""
    level = record.get("level")
    if "reqId" not in record or "app" not in record or not isinstance(level, int):
        return
    if 0 <= level < len(_NEXTCLOUD_LEVELS):
        record["level"] = _NEXTCLOUD_LEVELS[level]
    record.setdefault("component", record.pop("app"))


# Okta's System Log (`{"actor":{...},"client":{...,"geographicalContext":{"city":...}},
# "eventType":"user.session.start","outcome":{...},"published":...,"request":{"ipChain":[...]}}`):
# where in a country the client was is no part of the event (its city, state, postal code and
# coordinates), and `request.ipChain` repeats the client's address and place as an array (QA
# Okta: a template per state, ~25 events made 298 templates; the country stays)
_OKTA_PLACE = ("city", "state", "postalCode", "geolocation")


# A Kubernetes Event object (`kubectl get events -o json | jq -c '.items[]'`, an event
# exporter): an update of an event seen before carries its first time and its last, and
# `eventTime` is often null; the last is the time of the line (QA Kubernetes events: dated by
# `firstTimestamp`, a repeated BackOff filed in the window of its first, "timestamps step
# back" said of a log in time order). `type` (Normal, Warning) is its level, `source.component`
# (kubelet, default-scheduler) its component.
def _kubernetes_event(record: dict) -> None:
    """Read a Kubernetes Event's time, level and component under the names `HEADER` takes."""
    if record.get("kind") != "Event" or not isinstance(record.get("involvedObject"), dict):
        return
    series = record.get("series")
    last = series.get("lastObservedTime") if isinstance(series, dict) else None
    when = last or record.get("lastTimestamp") or record.get("eventTime")
    if isinstance(when, str) and when:
        record.setdefault("time", when)
    if isinstance(record.get("type"), str):
        record.setdefault("level", record.pop("type"))
    source = record.get("source")
    if isinstance(source, dict) and isinstance(source.get("component"), str):
        record.setdefault("component", source.pop("component"))


def _okta(record: dict) -> None:
    """Leave out an Okta event's place within its country and its repeated IP chain."""
    if "eventType" not in record or "actor" not in record or "published" not in record:
        return
    place = (record.get("client") or {}).get("geographicalContext")
    if isinstance(place, dict):
        for key in _OKTA_PLACE:
            place.pop(key, None)
    request = record.get("request")
    if isinstance(request, dict):
        request.pop("ipChain", None)


# Serilog's and Seq's compact JSON (CLEF): `@t` the time, `@mt` the message template (the
# event itself: `HTTP {RequestMethod} {RequestPath} responded {StatusCode}`), `@m` the rendered
# message, `@l` the level, absent for Information, `@x` the exception, `@r` renderings of the
# template's values, `SourceContext` the logger (QA: `@t` was never read, so no line was
# dated; an Information line had no level, so `"@l":"Information"` from another writer was
# a new event; the template was one field among others)
def _clef(record: dict) -> None:
    """Read a CLEF line's fields under the names `HEADER` and `MESSAGE_KEYS` take."""
    if "@t" not in record or not ("@mt" in record or "@m" in record):
        return
    record.setdefault("@timestamp", record.pop("@t"))
    record.setdefault("@l", "Information")
    record.pop("@r", None)  # the values again, formatted
    if "@mt" in record:
        record.pop("@m", None)
        record.setdefault("message", record.pop("@mt"))
    if "SourceContext" in record:
        record.setdefault("logger", record.pop("SourceContext"))


# Google Cloud Logging's LogEntry (`gcloud logging read`, a sink's export to a bucket): the
# payload is `jsonPayload` (an object, its `message` the text), `textPayload` (a line) or
# `protoPayload` (an audit log, its `methodName` the event), a load balancer's or Cloud Run's
# request is `httpRequest`, and `insertId` and `receiveTimestamp` are the store's own. Read as
# they are nested, the message was one field among twenty, `jsonPayload.status=503` and a load
# balancer's 503 were a 200's event and every URL of a method one event (QA GCP)
_LOG_ENTRY_PAYLOADS = ("jsonPayload", "textPayload", "protoPayload", "httpRequest")
_LOG_ENTRY_COMPONENTS = ("container_name", "service_name", "function_name")  # GKE, Run, Functions


def _cloud_logging(record: dict) -> None:
    """Read a LogEntry as the flat line its payload is: `jsonPayload`'s members at the top
    (where the entry has no field of that name), `textPayload` or `protoPayload.methodName` as
    the message, the container (service, function) as the component, and `httpRequest` as a
    request line after the message, `POST /cart 503` (its other members stay
    `httpRequest.*`); `insertId` is left out, `receiveTimestamp` dates an entry without a
    `timestamp`."""
    if not ("logName" in record or "insertId" in record) or not any(
        key in record for key in _LOG_ENTRY_PAYLOADS
    ):
        return
    record.pop("insertId", None)
    received = record.pop("receiveTimestamp", None)
    if "timestamp" not in record and received is not None:
        record["timestamp"] = received
    payload = record.pop("jsonPayload", None)
    if isinstance(payload, dict):
        for key, value in payload.items():
            record.setdefault(key, value)
    text = record.pop("textPayload", None)
    if isinstance(text, str):
        record.setdefault("message", text)
    proto = record.get("protoPayload")
    if isinstance(proto, dict) and isinstance(proto.get("methodName"), str):
        record.setdefault("message", proto.pop("methodName"))
    resource = record.get("resource")
    labels = resource.get("labels") if isinstance(resource, dict) else None
    if isinstance(labels, dict):
        names = (labels[k] for k in _LOG_ENTRY_COMPONENTS if isinstance(labels.get(k), str))
        component = next(names, None)
        if component is not None:
            record.setdefault("component", component)
    request = record.get("httpRequest")
    line = _request_line(request) if isinstance(request, dict) else ""
    if line:
        message = record.get("message")
        record["message"] = f"{message} {line}" if isinstance(message, str) and message else line
        if not request:
            del record["httpRequest"]


def _request_line(request: dict) -> str:
    """`METHOD /path STATUS` of a LogEntry's `httpRequest` (taking those members out of it),
    the URL's scheme and host left out, so the endpoint and status class are kept as in an
    access log's request; "" without a method and URL."""
    method, url = request.get("requestMethod"), request.get("requestUrl")
    if not (isinstance(method, str) and isinstance(url, str)):
        return ""
    del request["requestMethod"], request["requestUrl"]
    path = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*", "", url) or "/"
    status = request.pop("status", None)
    return f"{method} {path}" + (f" {status}" if status is not None else "")


# A client's user agent (`request_User-Agent`, `request.headers.User-Agent`, `user_agent`)
# names the browser, not the event, and its words spilled into the content: left out, as the
# `access` format reads the agent as a field (QA Traefik: a browser new since training made
# 94 false alarms); the raw line keeps it.
_AGENT = re.compile(r"(?i)(?:^|[._-])(?:user[-_]?agent|ua)$")  # GitLab's `ua` (QA)
# ... and what an agent object holds, Okta's `client.userAgent.rawUserAgent`, `.browser`, `.os`
# (QA: a template per browser, a browser update a new event)
_AGENT_OBJECT = re.compile(r"(?i)(?:^|[._-])user[-_]?agent\.")


# a stack trace written as a field, Nextcloud's `exception.Trace` (an array of frames), zap's
# `stacktrace`: the path the code took, not the event (QA Nextcloud: the same exception reached
# from another caller was a new event, its template hundreds of characters of frames); the
# exception's class and message stay
_TRACE = re.compile(r"(?i)(?:^|[._-])(?:trace|stacktrace|stack_trace|stack|backtrace)$")


def _is_trace(pair: tuple[str, str]) -> bool:
    """Whether a `name=value` pair is a stack trace: a field named so holding frames (a JSON
    array, or text of several lines)."""
    name, value = pair
    return _TRACE.search(name) is not None and (value.startswith("[") or "\n" in value)


_TRACEBACK_START = "Traceback (most recent call last):"


def _traceback_tail(pair: tuple[str, str]) -> tuple[str, str]:
    """A pair whose value is a Python traceback, structlog's `exception` (QA authentik: each
    traceback's frames and code lines in the template, one failure a template per caller),
    as its last line, the exception and its message; other pairs as they are."""
    name, value = pair
    if not value.startswith(_TRACEBACK_START):
        return pair
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    return name, lines[-1]


# ... and an HTTP message's headers, Caddy's `request.headers.Referer`, `resp_headers.Etag`:
# which optional headers a client sent and a server answered (a cookie, a referrer, gzip) is
# no part of the request's event (QA Caddy: 8 templates of one `GET /v1/orders/<*>` 2xx, one
# per combination, and each new ETag a new template of a frozen parser)
_HEADERS = re.compile(r"(?i)(?:^|[._-])(?:resp_|response_|request_|req_|res_)?headers\.")


@lru_cache(maxsize=4096)
def _is_agent(name: str) -> bool:
    """Whether a field's name is a user agent's (`_AGENT`) or a header's (`_HEADERS`): left
    out of the event (a line's names repeat, so cached)."""
    return (
        _AGENT.search(name) is not None
        or _AGENT_OBJECT.search(name) is not None
        or _HEADERS.search(name) is not None
    )


def record_fields(record: dict) -> tuple[list[str], str]:
    """The header fields (in `HEADER`'s order) and the content of one decoded line."""
    _mongodb(record)
    _journald(record)
    _cloud_logging(record)
    _clef(record)
    _windows_event(record)
    _nextcloud(record)
    _okta(record)
    _kubernetes_event(record)
    _lift_dotted(record)
    used: list[str] = []
    header: list[str] = []
    for column, keys in HEADER.items():
        key = _header_key(record, keys, column == "Timestamp")
        value = "" if key is None else _text(record[key]).strip()
        if column == "Level":  # pino's and bunyan's numbers: 50 is `error`
            value = NUMERIC_LEVELS.get(value, value)
            if value.isdigit():  # a custom one (pino's customLevels): a word of its own;
                value = f"level{value}"  # as a number it was masked, one event with `info`
        header.append(value)
        if key is not None:
            used.append(key)
    words = [word for word in header[1:] if word]  # the level and the logger
    message = ""
    for key in MESSAGE_KEYS:
        value = record.get(key)
        if isinstance(value, str):
            message = value.strip()  # (Traefik's `"msg":""`: no word)
            used.append(key)
            break
    pairs = _field_pairs(record, used)
    names = {name for name, value in pairs}
    if _REQUEST_PATH.fullmatch(message) and any(
        record.get(key) in HTTP_METHODS for key in _METHOD_KEYS
    ):  # a request's path as the message, its endpoint the event (QA authentik: `"event":
        # "/-/health/live/"` beside `"/api/v3/admin/system/"`, both one `<*>` event)
        message = f"path={message}"
    if message:
        words.append(_guarded(message, names) if "=" in message else message)
    words += _pair_words(pairs, names)
    content = " ".join(words)
    if any(c in content for c in "\n\r\t"):  # a value's newlines (an error field holding a
        content = " ".join(content.split())  # traceback) are spaces, as masks make them anyway
    return header, content


def object_words(record: dict) -> str:
    """An object's fields as a JSON line's are read: `name=value` words in the order of their
    names, nested objects as `name.field=value`, user agents and stack traces left out. For an
    object written inside a text message (`parsing/embedded_objects.py`)."""
    pairs = _field_pairs(record, ())
    return " ".join(_pair_words(pairs, {name for name, value in pairs}))


def _field_pairs(record: dict, used: Sequence[str]) -> list[tuple[str, str]]:
    """(name, value) of every field of `record` but those `used` for the header or message."""
    return [
        _traceback_tail(pair) for key in record if key not in used
        for pair in _pairs(key, record[key])
        if not _is_agent(pair[0]) and not _is_trace(pair)
    ]  # fmt: skip


def _pair_words(pairs: list[tuple[str, str]], names: set[str]) -> list[str]:
    """`name=value` words of `pairs`, in the order of their names (`names`: the record's own
    field names, guarded in values: `_guarded`)."""
    return [
        _pair_word(name, _guarded(value, names) if "=" in value else value)
        for name, value in sorted(pairs, key=lambda pair: pair[0])
    ]


# a message that is a request's path, and the fields that name the request's method
_REQUEST_PATH = re.compile(r"/[^\s]*")
_METHOD_KEYS = ("method", "http_method", "request_method", "httpMethod")


# a field that holds a name someone gave (`masks.NAME_KEYS`), as its last part says, or an id
# (`wf-id`, `workflowId`, `traceID`)
_NAME_FIELD = re.compile(rf"(?:^|[._-])(?i:{NAME_KEYS}|id|name)$|[a-z0-9](?:Id|ID)$")


@lru_cache(maxsize=4096)
def _names_a_name(field: str) -> bool:
    """Whether a field's name says it holds a name or an id (`_NAME_FIELD`; a line's names
    repeat)."""
    return _NAME_FIELD.search(field) is not None


def _pair_word(name: str, value: str) -> str:
    """`name=value`; a name or an id of several words quoted, so the mask of names takes it
    whole (Okta's `actor.displayName="Linda Ramirez"`: QA, `<*> Ramirez`, a template per
    surname, and a user's routine login a new event) and `--by-field` reads it whole
    (Temporal's `"wf-id":"monthly report 7"`: QA, cut at its first space, thirty workflows
    `payment for cus_...` were one session `payment`, and each a template of its own)."""
    if " " in value and (
        _names_a_name(name) or _USER_TEXT.search(name) or _WORDY_LIST.fullmatch(value)
    ):
        # ... and a text a user wrote, Loki's `query={app="shop", namespace="prod"}`, quoted
        # so the masks take it whole (`masks._USER_TEXT_BEFORE`), in quotes it does not hold
        quote = next((q for q in "\"'" if q not in value), None)
        if quote is not None:
            return f"{name}={quote}{value}{quote}"
    return f"{name}={value}"


_USER_TEXT = re.compile(rf"(?:^|[._])(?i:{USER_TEXT_NAMES})$")
# ... and a list of items of several words, quoted so the masks take it as one value whatever
# its length: Argo CD's `tasks="[Sync/0 resource Service:default/guestbook obj->obj (,,), ...]"`
# (QA Argo CD: a template per count of an application's resources, and one per application
# where its names had no digit, a new application's first sync a new event)
_WORDY_LIST = re.compile(r"\[[^\[\]]* [^\[\]]*\]")


# `name=` in a value's own text, as a field of the record is written
_NAME_EQUALS = re.compile(r"(^|[\s,;])([\w.@-]+)=")


def _guarded(text: str, names: set[str]) -> str:
    """A message or a field's value that holds the record's own field names as text (osquery's
    `columns.command=fleetctl get hosts --query hostIdentifier=web02`) with those written
    `name\\=`: `--by-field` reads a field from the first `name=` of the content
    (`sessions.streaming._message_field`), and the line went to the host its text named (QA
    osquery: an admin's command filed a bastion's event under web02, unsaid)."""
    return _NAME_EQUALS.sub(lambda m: f"{m[1]}{m[2]}\\=" if m[2] in names else m[0], text)


def _object(text: str) -> dict | None:
    """The JSON object `text` holds, else None."""
    if not text.startswith("{"):
        return None
    try:
        record = json.loads(text)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _unwrapped(record: dict) -> dict:
    """A Docker json-file record whose `log` is itself a JSON object: that object, with the
    wrapper's other fields it lacks (its `time` only when the object has no time of its own),
    but its `stream`, which `docker logs` and the CRI's lines leave out of the record too (QA
    Rocket.Chat: `stream=stdout` in every template, the json-file's lines none of a model's
    trained on `docker logs`)."""
    inner = record.get("log")
    inner = _object(inner.strip()) if isinstance(inner, str) else None
    if inner is None:
        return _with_nested_time(record)
    dated = any(_is_time(inner.get(key)) for key in TIME_KEYS)
    for key, value in record.items():
        if key in ("log", "stream"):
            continue
        if key not in inner and not (dated and key in TIME_KEYS):
            inner[key] = value
    return inner


def _with_nested_time(record: dict) -> dict:
    """A record with no time of its own but one in an object it holds, n8n's `{"level": ...,
    "message": ..., "metadata": {..., "timestamp": "2026-03-09T12:01:24.454Z"}}`: that time
    as the record's (QA n8n: every line undated, no time window, silence or time order, and
    no option could name the key)."""
    if any(_is_time(record.get(key)) for key in TIME_KEYS):
        return record
    for name, value in record.items():
        if isinstance(value, dict):
            key = next((k for k in TIME_KEYS if _is_time(value.get(k))), None)
            if key is not None:
                rest = {k: v for k, v in value.items() if k != key}
                return {**record, name: rest, key: value[key]}
    return record


def _record(text: str) -> dict | None:
    """The object one line holds: a JSON line, a Docker-wrapped one, or the JSON line of a
    CRI line (`<time> stdout F {...}`) or of `docker logs --timestamps` (`<time> {...}`), dated
    by that time when the object has none, or of `docker compose logs` (`<service>  | {...}`),
    the service a field."""
    record = _object(text)
    if record is not None:
        return _unwrapped(record)
    if text.startswith(XML_EVENT_START):  # a Windows event's XML (`event_xml`)
        return event_xml_record(text)
    cri = _CRI.fullmatch(text) or _DOCKER_TIMESTAMPED.fullmatch(text)
    record = _object(cri.group(2)) if cri else None
    if record is not None and not any(_is_time(record.get(key)) for key in TIME_KEYS):
        record["time"] = cri.group(1)
    compose = _COMPOSE.fullmatch(text) if cri is None else None
    if compose is not None and (record := _object(compose.group(2))) is not None:
        record.setdefault("service", compose.group(1))
    syslog = _SYSLOG_WRAPPED.fullmatch(text) if record is None else None
    if syslog is not None and (record := _object(syslog.group(3))) is not None:
        record.setdefault("host", syslog.group(1))
        record.setdefault("program", syslog.group(2))
    return record


# A file of events in one JSON object, `{"Records": [{...}, ...]}` (AWS CloudTrail, also
# `{"records": [...]}`, Azure's diagnostic logs): one line read as one event made a template of
# a whole file (QA CloudTrail: 77 files, 77 "events", exit 0)
# ... and any `kubectl get ... -o json` List, `{"apiVersion":"v1","items":[...],"kind":"List",
# "metadata":{...}}` (QA Kubernetes events: 300 events one, with a warning of no time alone)
_EVENT_ARRAYS = ("Records", "records", "events", "logEvents", "items")


def _check_not_an_event_array(record: dict) -> None:
    """Raise on a line that holds an array of events (`_EVENT_ARRAYS`), saying how to convert."""
    for key in _EVENT_ARRAYS:
        events = record.get(key)
        if (  # the array, and a field or two beside it
            isinstance(events, list) and events and len(record) <= 4
            and all(isinstance(e, dict) for e in events)
        ):  # fmt: skip
            raise LogbertError(
                f"a JSON line holds an array of {len(events):,} events under {key!r} (as AWS "
                "CloudTrail's files and `kubectl get ... -o json` do), not one event: logbert "
                f"reads one event per line; write one per line first, e.g. `jq -c '.{key}[]' "
                "FILE > events.jsonl` (`zcat FILE.json.gz | jq ...` for gzipped files), and "
                "read that"
            )


def split_json_lines(lines: pa.Array) -> tuple[np.ndarray, dict[str, pa.Array]]:
    """(matched mask, columns of the matched rows in line order), as `splitter.split_lines`:
    a row matches when its line is one JSON object (or a container runtime's wrapping of
    one, `_record`); a line holding an array of events is an error (`_EVENT_ARRAYS`)."""
    return split_records(lines, _json_record)


def _json_record(line: str) -> dict | None:
    record = _record(line.strip())
    if record is not None:
        _check_not_an_event_array(record)
    return record


def split_records(
    lines: pa.Array, read: Callable[[str], dict | None]
) -> tuple[np.ndarray, dict[str, pa.Array]]:
    """(matched mask, columns) of lines that `read` turns into objects (None: the line does
    not fit), each object's header fields and content as `record_fields` gives them."""
    ok = np.zeros(len(lines), bool)
    columns: list[list[str]] = [[] for _ in range(len(HEADER) + 1)]
    for i, line in enumerate(lines.to_pylist()):
        record = read(line or "")
        if record is None:
            continue
        header, content = record_fields(record)
        for column, value in zip(columns, [*header, content], strict=True):
            column.append(value)
        ok[i] = True
    names = [*HEADER, "Content"]
    return ok, {
        name: pa.array(values, pa.string()) for name, values in zip(names, columns, strict=True)
    }
