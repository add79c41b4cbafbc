"""The values users give sessionizing, checked: durations (`--window 5m`, `--idle-timeout
1d`), the `--by-id` regex and counts of lines (`--lines`, `--step` with it).

Below the sessionizers and `SessionizerSettings` because both take these values: one check and
one message for a mistake, whether it comes from the command line, a saved model or code.
"""

from __future__ import annotations

import re
from datetime import timedelta

from logbert.errors import LogbertError

_UNITS_US = {"ms": 1_000, "s": 1_000_000, "m": 60_000_000, "h": 3_600_000_000}
_UNITS_US["d"] = 24 * _UNITS_US["h"]
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")


# header fields that hold the time, never a session id
# header fields no session id sits in: the time's parts (a weekday too, logread's `Sat`) and a
# line's severity (QA OpenWrt: `--by-field (Dow, Facility, Level, ...)` was the advice)
_NOT_ID_FIELDS = {
    "Content", "Month", "Day", "Date", "Time", "Timestamp", "Year", "Dow", "Weekday", "Zone",
    "Level", "Facility", "Severity", "Pri",
}  # fmt: skip


def shell_arg(text: str) -> str:
    """`text` quoted as a shell argument a user can paste back: in single quotes, or in double
    quotes where it holds a single quote (QA Icinga: `--by-id ''([\\w.-]+!...)''` echoed a
    regex that held quotes of its own); where it holds a `!` too (an interactive shell's
    history mark in double quotes), in single quotes with each `'` written `'\\''`."""
    if "'" not in text:
        return f"'{text}'"
    if "!" in text:
        return "'" + text.replace("'", "'\\''") + "'"
    # inside double quotes a backslash is literal but before `\`, `"`, `$` and a backquote
    escaped = re.sub(r'\\(?=[\\"$`]|$)', r"\\\\", text)
    escaped = re.sub(r'(["$`])', r"\\\1", escaped)
    return f'"{escaped}"'


def field_names(by_field: str) -> list[str]:
    """The header fields of `--by-field`: one name, or several joined by commas
    (`Component,Pid`: a process on a host, where pids repeat across hosts). The session id is
    their values joined by `/` (`gate-2/24200`)."""
    return [name.strip() for name in by_field.split(",")]


# what logs write for "no value": access, W3C and flow logs' `-`, Java's and JSON's `null`
# (QA Keycloak: `userId="null"` of every failed login in a window was one session `null@...`,
# a stuffing attack's and other realms' typos together), Python's `None`, Go's `<nil>`,
# Nextcloud's `--` (QA: every logged-out login attempt of every address and every cron line
# were one user `--`), Zeek's `(empty)`
NO_VALUE = frozenset({"-", "--", "null", "NULL", "Null", "None", "none", "nil", "<nil>",
                      "(null)", "(empty)", "undefined"})  # fmt: skip


def has_value(value: str | None) -> bool:
    """Whether a `--by-field` value or a `--by-id` match names something: not empty, and not
    a word for none (`NO_VALUE`; QA VPC flow logs: every NODATA record of every interface was
    one session called `-`, and "0 events had no SrcAddr value")."""
    return bool(value) and value not in NO_VALUE


def id_value_example(pattern: str) -> str:
    """A `--by-id` regex that matches an id's value, for a `pattern` that matched fixed text:
    a bare word (a field's name) becomes the usual name=value regex, its value quoted or not
    and holding `-`, `.`, `:` or `/` (QA: klog's `podUID="<uuid>"` defeated `podUID=(\\w+)`;
    Cloud Logging's `trace=projects/shop/traces/<hex>` made one session `projects`). A regex
    that starts with a name keeps it (`trace"?[=: ]+...` suggests `trace`, not `trace_id`)."""
    # (a name with `-` or `.` too, kept as written: `trace-id` had become `trace_id`, a regex
    # that matched nothing, QA Jaeger)
    named = re.match(r"\"?([A-Za-z_][\w.-]*)\"?(?:\s*[=:]|\s*$|\"\?)", pattern)  # `ipAddress=`
    name = re.escape(named[1]) if named else "trace_id"
    # a JSON key's quote may stand before its colon (`"request_id":"...": QA Laravel)
    return f'{name}"?[=: ]+"?([\\w.:/-]+)'


# a capture group of alternatives with more of the regex after it, `(tap|qvo)[0-9a-f]{8}`
_ALTERNATIVES_GROUP = re.compile(r"\((?!\?)([^()]*\|[^()]*)\)(?=.)")


def alternatives_group_fix(pattern: str) -> str | None:
    """For a `--by-id` regex whose only capture group holds alternatives and more follows it
    (`(tap|qvo)[0-9a-f]{8}`): the regex with that group made non-capturing, so the whole match
    is the id (QA Open vSwitch: the id was 'tap' or 'qvo', two sessions); else None."""
    group = _ALTERNATIVES_GROUP.search(pattern)
    if group is None or re.compile(pattern).groups != 1:
        return None
    return f"{pattern[: group.start()]}(?:{group[1]}){pattern[group.end():]}"


def name_value_regex(name: str) -> str:
    """The `--by-id` regex that reads the value of a `name=value` word of the content, as a
    JSON line's fields are written (`ClientHost=(\\S+)`, `userIdentity\\.arn=(\\S+)`)."""
    return re.escape(name) + r"=(\S+)"


def json_key_hint(regex: str) -> str:
    """For a `--by-id` regex written against a raw JSON line (`"ClientHost":"([^"]+)"`): the
    content of `--format json` is `name=value` words, and the regex that reads it (QA Traefik,
    pino), its key's opening quote left out too (`username":"([^"]+)"`, QA Kubernetes audit);
    "" for any other regex."""
    key = re.search(r'(?:^|")([A-Za-z_][\w.-]*)"\s*:', regex)
    if key is None:
        return ""
    return (
        f"; the content of a JSON line (--format json) is its fields as name=value words, not "
        f"the JSON text: --by-id '{name_value_regex(key[1])}'"
    )


def by_field_hint(fields: list[str]) -> str:
    """`for an id in a header field, use --by-field (Pid, ...)` for a --by-id that matched
    nothing, naming the header `fields` an id may sit in instead ("" when none may)."""
    named = [f for f in fields if f not in _NOT_ID_FIELDS]
    return f"for an id in a header field, use --by-field ({', '.join(named)})" if named else ""


def parse_duration(text: str) -> timedelta:
    """`30s`, `5m`, `1h`, `2d`, `500ms` or sums like `1h30m` as a timedelta."""
    cleaned = str(text).strip().lower().replace(" ", "")
    parts = _DURATION_PART.findall(cleaned)
    if not cleaned or "".join(n + u for n, u in parts) != cleaned:
        raise LogbertError(
            f"invalid duration {text!r}: use a number and a unit ms/s/m/h/d, e.g. 30s, 5m, 1h"
        )
    micros = round(sum(float(n) * _UNITS_US[u] for n, u in parts))
    if micros <= 0:
        raise LogbertError(f"invalid duration {text!r}: must be longer than zero")
    return timedelta(microseconds=micros)


ID_GROUP = "id"


def compile_id_pattern(pattern: str) -> re.Pattern[str]:
    """The `--by-id` regex. The id is the whole match, or its only capture group, or its
    group named `id` (`(?P<id>...)`, which lets other groups be), or its named groups, their
    values joined with `/` (`hostname=(?P<pod>\\S+) .*reqId=(?P<req>\\S+)` keys a request by
    pod where ids restart in each process, QA pino). Several unnamed groups are refused:
    the id would be the first one, and `(attempt|container)_(\\d+)` would merge every
    attempt into one session called "attempt"."""
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        raise LogbertError(f"invalid --by-id regex '{pattern}': {exc}") from exc
    if regex.groups > 1 and not regex.groupindex:
        raise LogbertError(
            f"--by-id regex '{pattern}' has {regex.groups} capture groups, but the id is the "
            "whole match or the first (only) capture group: write the other groups as "
            "non-capturing (?:...), e.g. '(?:attempt|container)_(\\d+)', or name the id's "
            "group (?P<id>...) (several named groups make one id of their values)"
        )
    repeated = _REPEATED_GROUP.search(pattern)
    if repeated:  # QA PAN-OS: `(\d+\.){3}\d+` keyed hosts by `1.`, `0.`: all of a subnet one
        raise LogbertError(
            f"--by-id regex '{pattern}' repeats its capture group '{repeated[0]}': the id would "
            "be its last repetition only (`1.` of `10.0.1.15`); make that group non-capturing "
            f"and capture the whole id, e.g. '((?:{repeated[1][1:-1]}){repeated[2]}...)'"
        )
    if regex.search("") is not None and not regex.groups:
        raise LogbertError(f"--by-id regex '{pattern}' matches the empty string; name an id")
    if not regex.groups and _is_plain_text(pattern):  # plain text: one id everywhere
        raise LogbertError(
            f"--by-id {shell_arg(pattern)} is plain text: it matches the same text on every "
            "line that "
            "holds it, so all those lines would make one session; match the id's value, e.g. "
            f"'{id_value_example(pattern)}' for a value after the word"
            + (  # ... or a suffix the id ends with (not a field's name: QA Jaeger, `trace-id`)
                ""
                if pattern[:1].isalpha()
                else f", or '([\\w.:-]+{re.escape(pattern)})' for one the word ends "
                "(`10.1.4.22@o2ib`: QA Lustre)"
            )
            + " (the id is the whole match or its only capture group)"
        )
    return regex


# a capturing group followed by a quantifier: `(\d+\.){3}`, `([a-f0-9])+`
_REPEATED_GROUP = re.compile(r"(?<!\\)(\((?!\?)(?:[^()\\]|\\.)*\))([*+]|\{\d+(?:,\d*)?\})")


def _is_plain_text(pattern: str) -> bool:
    """Whether a regex is text only: `re.escape` would change nothing but the signs it escapes
    though they are literal outside a class (`x-request-id`: QA Envoy, it was read as a regex,
    and the whole log parsed before the error)."""
    return re.sub(r"\\([-&~# ])", r"\1", re.escape(pattern)) == pattern


def match_id(regex: re.Pattern[str], match: re.Match[str]) -> str:
    """The id a match of a `compile_id_pattern` regex names: its group named `id`, else its
    named groups' values joined by `/` (those that took part), else its only group, else
    the whole match."""
    if ID_GROUP in regex.groupindex:
        return match.group(ID_GROUP)
    if regex.groupindex:
        return "/".join(v for v in (match.group(n) for n in regex.groupindex) if v)
    return match.group(1 if regex.groups else 0)


def _positive_count(value: object, option: str) -> int:
    """A count of lines (`--lines`, `--step` with it): a positive integer, or its digits."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value < 1:
        raise LogbertError(f"{option} {value!r}: give a number of lines, 1 or more, e.g. 100")
    return value


# a base64 key, `K5tN+rnqwW9FVjVu1k4vC9sOdH8or3VrS52bJJMlW9M=` (a `+` or `/` in it)
_BASE64_WORD = re.compile(r"(?=[A-Za-z0-9]*[+/])[A-Za-z0-9+/]{20,}={0,2}")
# ... but not a file's name after the id, `<release>.mkv` of `/downloads/<release>/<release>.mkv`
# (QA Sonarr: the release title of the path warned of as a cut id, `\b` advised, in vain),
# a stream's playlist or segment, `transcodes/<id>.m3u8` (QA Jellyfin)
_FILE_SUFFIX = re.compile(
    r"\.(?:mkv|mp4|avi|m4v|mov|webm|mp3|flac|nfo|srt|vtt|iso|img|log|txt|csv|tsv|json|ya?ml|xml"
    r"|html?|pdf|zip|tar|gz|tgz|bz2|xz|zst|7z|rar|deb|rpm|jar|war|whl|parquet|db|sqlite|bak|tmp"
    r"|part|torrent|m3u8?|m4s|mpd|ts|jpe?g|png|gif|webp|pid|lock|sock)(?![A-Za-z0-9])"
)
_HEX_ID = re.compile(r"[0-9a-f]{8,}(?:-[0-9a-f]+)*|[0-9A-F]{8,}(?:-[0-9A-F]+)*")
# a whole IPv4 address that ends a match (`src=10.0.0.21` too)
_IPV4_END = re.compile(r"(?:^|[^0-9.])[0-9]{1,3}(?:\.[0-9]{1,3}){3}$")


def inside_a_word(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` starts or ends inside a longer word or dotted number: a
    letter or digit beside a letter or digit, or a digit beside `.` or `:` and another digit
    (`131@o2ib` of `10.1.5.131@o2ib`: QA Lustre, clients of one last octet one session), or
    before a `.` or `@` and a letter (`emma` of `emma.jones`), or a `-` and a letter or digit."""
    if start == end:
        return False
    first, last = text[start], text[end - 1]
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if (first.isalnum() and before.isalnum()) or (last.isalnum() and after.isalnum()):
        return True
    dotted_before = first.isdigit() and before in ".:" and start >= 2 and text[start - 2].isdigit()
    following = text[end + 1 : end + 2]
    dotted_after = last.isdigit() and after in ".:" and following.isdigit()
    # ... or a name that goes on after a dot or an at sign, `emma` of `emma.jones` or of
    # `emma@globex.io` (QA Pritunl: `user_name = "(\w+)` made one session of five users), or
    # after a hyphen, `orders` of `orders-cdc`, `6d2f1a3b` of a UUID (QA Debezium: `\[([a-z]+)`
    # made one session of three connectors; QA Greenbone: UUIDs cut short, unsaid)
    if last.isalnum() and (
        (after in ".@" and following.isalpha() and not _FILE_SUFFIX.match(text, end))
        or (after == "-" and following.isalnum())
    ):
        return True
    # ... or a base64 key that goes on after a `+`, `/` or `=` (QA NetBird: `([A-Za-z0-9]+)`
    # took `K5tN` of WireGuard's `K5tN+rnqwW9F...=`, a peer's sessions cut short, unsaid)
    # (not a hex id after a path's name, Graylog's `[Syslog UDP/60345e463a4fe680f5e8c99d]`:
    # QA, warned of as cut, with advice to take `UDP/` in; base64 is seldom hex alone)
    if (
        (after in "+/=" and _BASE64_WORD.fullmatch(word_around(text, end - 1, end)))
        or (before in "+/" and _BASE64_WORD.fullmatch(word_around(text, start, start + 1)))
    ) and not _HEX_ID.fullmatch(text, start, end):
        return True
    # ... but a whole IPv4 address before its port, `203.0.113.5:51234`, is the client (QA
    # ocserv: warned of as a cut id on every line, with no way to quiet it), words before it
    # in the match too (QA OpenSIPS: `src=(...)` of `src=10.0.0.21:5060`)
    if dotted_after and after == ":" and _IPV4_END.search(text[start:end]):
        dotted_after = False
    return dotted_before or dotted_after


def word_around(text: str, start: int, end: int) -> str:
    """The whitespace-delimited word holding `text[start:end]`, its edge punctuation aside."""
    left = max(text.rfind(" ", 0, start), text.rfind("\t", 0, start)) + 1
    ends = [i for i in (text.find(" ", end), text.find("\t", end)) if i >= 0]
    return text[left : min(ends, default=len(text))].strip("()[]{}<>,;:'\"")
