"""Log line formats: loghub-style format strings, the built-in ones, and timestamp parsing.

A format string names header fields in angle brackets, e.g.
`<Date> <Time> <Pid> <Level> <Component>: <Content>`; the text between fields is literal (a run
of spaces matches any run of whitespace, as in the loghub benchmark). `<Content>` is the message
that gets a template. Square brackets around a field (`<Component>[<Pid>]:`) are literal text
(bare, they would be a regex character class that swallows the field); a field the regex would
never fill is an error, never a missing column later. Header splitting and timestamp parsing
run vectorised on whole chunks (pyarrow compute, RE2), so no Python code runs per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from logbert.errors import LogbertError

# Timestamp specs: the header fields joined by a space, and an RE2 regex with the named groups
# Y (4-digit year) or y (2-digit, 20yy), m (number) or b (English month name), d, H, M, S and
# optionally f (fraction of a second). "epoch" means the field holds Unix seconds.
_ISO = r"^(?P<Y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2}) (?P<H>\d{1,2}):(?P<M>\d\d):(?P<S>\d\d)"
_ISO_MS = _ISO + r"(?:[,.](?P<f>\d+))?$"


@dataclass(frozen=True)
class TimestampSpec:
    """How to build a timestamp from header fields."""

    fields: tuple[str, ...]
    pattern: str = ""
    epoch: bool = False


@dataclass(frozen=True)
class BuiltinFormat:
    """A named format: loghub format string, timestamp spec and label field."""

    format: str
    timestamp: TimestampSpec | None = None
    label: str | None = None


BUILTIN_FORMATS: dict[str, BuiltinFormat] = {
    "hdfs": BuiltinFormat(
        "<Date> <Time> <Pid> <Level> <Component>: <Content>",
        TimestampSpec(
            ("Date", "Time"),
            r"^(?P<y>\d\d)(?P<m>\d\d)(?P<d>\d\d) (?P<H>\d\d)(?P<M>\d\d)(?P<S>\d\d)$",
        ),
    ),
    "hadoop": BuiltinFormat(
        r"<Date> <Time> <Level> \[<Process>\] <Component>: <Content>",
        TimestampSpec(("Date", "Time"), _ISO_MS),
    ),
    "spark": BuiltinFormat(
        "<Date> <Time> <Level> <Component>: <Content>",
        TimestampSpec(
            ("Date", "Time"),
            r"^(?P<y>\d\d)/(?P<m>\d\d)/(?P<d>\d\d) (?P<H>\d\d):(?P<M>\d\d):(?P<S>\d\d)$",
        ),
    ),
    "zookeeper": BuiltinFormat(
        r"<Date> <Time> - <Level>  \[<Node>:<Component>@<Id>\] - <Content>",
        TimestampSpec(("Date", "Time"), _ISO_MS),
    ),
    "bgl": BuiltinFormat(
        "<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> "
        "<Content>",
        TimestampSpec(
            ("Time",),
            r"^(?P<Y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)-(?P<H>\d\d)\.(?P<M>\d\d)\.(?P<S>\d\d)"
            r"(?:\.(?P<f>\d+))?$",
        ),
        label="Label",
    ),
    "hpc": BuiltinFormat(
        "<LogId> <Node> <Component> <State> <Time> <Flag> <Content>",
        TimestampSpec(("Time",), epoch=True),
    ),
    "thunderbird": BuiltinFormat(
        r"<Label> <Timestamp> <Date> <User> <Month> <Day> <Time> <Location> "
        r"<Component>(\[<PID>\])?: <Content>",
        TimestampSpec(("Timestamp",), epoch=True),
        label="Label",
    ),
    "windows": BuiltinFormat(
        "<Date> <Time>, <Level>                  <Component>    <Content>",
        TimestampSpec(("Date", "Time"), _ISO_MS),
    ),
    # Linux, Mac, Android, Proxifier and OpenSSH logs carry no year: timestamp stays null and
    # the header fields keep the raw date and time.
    "linux": BuiltinFormat(r"<Month> <Date> <Time> <Level> <Component>(\[<PID>\])?: <Content>"),
    "mac": BuiltinFormat(
        r"<Month>  <Date> <Time> <User> <Component>\[<PID>\]( \(<Address>\))?: <Content>"
    ),
    "android": BuiltinFormat("<Date> <Time>  <Pid>  <Tid> <Level> <Component>: <Content>"),
    "apache": BuiltinFormat(
        r"\[<Time>\] \[<Level>\] <Content>",
        TimestampSpec(
            ("Time",),
            r"^\w+ (?P<b>\w{3}) (?P<d>\d{1,2}) (?P<H>\d\d):(?P<M>\d\d):(?P<S>\d\d) (?P<Y>\d{4})$",
        ),
    ),
    "healthapp": BuiltinFormat(
        r"<Time>\|<Component>\|<Pid>\|<Content>",
        TimestampSpec(
            ("Time",),
            r"^(?P<Y>\d{4})(?P<m>\d\d)(?P<d>\d\d)-(?P<H>\d{1,2}):(?P<M>\d{1,2}):(?P<S>\d{1,2})"
            r"(?::(?P<f>\d+))?$",
        ),
    ),
    "proxifier": BuiltinFormat(r"\[<Time>\] <Program> - <Content>"),
    "openssh": BuiltinFormat(r"<Date> <Day> <Time> <Component> sshd\[<Pid>\]: <Content>"),
    "openstack": BuiltinFormat(
        r"<Logrecord> <Date> <Time> <Pid> <Level> <Component> \[<ADDR>\] <Content>",
        TimestampSpec(("Date", "Time"), _ISO_MS),
    ),
    "raw": BuiltinFormat("<Content>"),
}

# Output columns every events file has; header fields may not take these names.
RESERVED_COLUMNS = {"line_no", "source", "timestamp", "content", "template_id", "template",
                    "params", "label"}  # fmt: skip
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_FIELD = re.compile(r"<([A-Za-z_][A-Za-z0-9_]*)>")


@dataclass
class LogFormat:
    """A compiled format: the RE2/Python regex, header field names and timestamp/label rules."""

    name: str
    format: str
    regex: str
    fields: list[str]
    timestamp: TimestampSpec | None = None
    label: str | None = None
    header_fields: list[str] = field(default_factory=list)
    # The same regex with whitespace-free header fields: RE2 runs it faster, and where it matches
    # it splits as the full one does (save lines that split both ways); others use `regex`.
    fast_regex: str = ""

    @property
    def is_raw(self) -> bool:
        return self.fields == ["Content"]


def format_names() -> list[str]:
    """The built-in format names, sorted."""
    return sorted(BUILTIN_FORMATS)


def resolve_format(spec: str) -> LogFormat:
    """A built-in name (case-insensitive) or a loghub-style format string -> `LogFormat`."""
    builtin = BUILTIN_FORMATS.get(spec.strip().lower())
    if builtin is not None:
        return compile_format(
            builtin.format, spec.strip().lower(), builtin.timestamp, builtin.label
        )
    if "<" not in spec:
        raise LogbertError(
            f"unknown format {spec!r}: use one of {', '.join(format_names())}, or a format "
            "string such as '<Date> <Time> <Level> <Component>: <Content>'"
        )
    fmt = compile_format(spec, "custom")
    if "Date" in fmt.fields and "Time" in fmt.fields:  # ISO-like dates parse; others stay null
        fmt.timestamp = TimestampSpec(("Date", "Time"), _ISO_MS)
    return fmt


def compile_format(
    fmt: str,
    name: str = "custom",
    timestamp: TimestampSpec | None = None,
    label: str | None = None,
) -> LogFormat:
    """Turn a loghub format string into an anchored regex with one named group per field."""
    fmt = _escape_field_brackets(fmt)
    fields = _FIELD.findall(fmt)
    if "Content" not in fields:
        raise LogbertError(
            f"format string {fmt!r} has no <Content> field: add <Content> where the message "
            "starts, e.g. '<Date> <Time> <Level>: <Content>'"
        )
    if len(set(fields)) != len(fields):
        raise LogbertError(f"format string {fmt!r} names a field twice: use distinct names")
    taken = set(fields) & RESERVED_COLUMNS
    if taken:
        raise LogbertError(
            f"format string {fmt!r} uses the output column name(s) {sorted(taken)} as fields: "
            "rename them (e.g. <Label> instead of <label>)"
        )
    if fields[-1] != "Content":
        # Content is greedy; a field after it would always be empty.
        raise LogbertError(f"format string {fmt!r}: <Content> must be the last field")
    parts = re.split(r"(<[A-Za-z_][A-Za-z0-9_]*>)", fmt)
    regex = ""
    for part in parts:
        m = _FIELD.fullmatch(part)
        if m:
            group = "(?P<Content>.*)" if m.group(1) == "Content" else f"(?P<{m.group(1)}>.*?)"
            regex += group
        else:
            # literal text; bare groups become non-capturing (RE2 extracts named groups only)
            regex += re.sub(r"(?<!\\)\((?!\?)", "(?:", re.sub(" +", r"\\s+", part))
    regex = "^" + regex + "$"
    try:
        re.compile(regex)
        groups = pc.extract_regex(pa.array([""]), regex).type  # RE2 must accept it too
    except (re.error, pa.ArrowInvalid) as exc:
        raise LogbertError(
            f"format string {fmt!r} is not a valid pattern ({exc}): escape literal brackets "
            r"as \[ \] and avoid look-arounds"
        ) from exc
    lost = [f for f in fields if f not in {groups.field(i).name for i in range(groups.num_fields)}]
    if lost:  # e.g. a field inside a character class or a comment
        raise LogbertError(
            f"format string {fmt!r}: field(s) {lost} are inside regex syntax and would never be "
            r"filled: write literal brackets as \[ \]"
        )
    header = [f for f in fields if f != "Content"]
    fast = regex.replace(".*?)", r"\S*?)")
    return LogFormat(name, fmt, regex, fields, timestamp, label, header, fast)


def format_spec(fmt: LogFormat) -> dict:
    """Plain-JSON description of a compiled format (`format_from_spec` rebuilds it)."""
    ts = fmt.timestamp
    return {
        "name": fmt.name,
        "format": fmt.format,
        "timestamp": None
        if ts is None
        else {"fields": list(ts.fields), "pattern": ts.pattern, "epoch": ts.epoch},
        "label": fmt.label,
    }


def format_from_spec(spec: dict) -> LogFormat:
    """The `LogFormat` a `format_spec` describes."""
    ts = spec.get("timestamp")
    timestamp = (
        None
        if ts is None
        else TimestampSpec(tuple(ts["fields"]), ts.get("pattern", ""), bool(ts.get("epoch")))
    )
    return compile_format(spec["format"], spec.get("name", "custom"), timestamp, spec.get("label"))


def display_name(fmt: LogFormat) -> str:
    """How to name the format to a user: its built-in name or its format string."""
    return fmt.name if fmt.name in BUILTIN_FORMATS else repr(fmt.format)


def _escape_field_brackets(fmt: str) -> str:
    """Escape square brackets around a field (`<Component>[<Pid>]:`): written bare in a loghub
    format string they would be a regex character class and swallow the field. A bracket pair
    that holds no field (a real class such as `[0-9]`) is kept."""
    chars = list(fmt)
    opened: list[int] = []
    i = 0
    while i < len(chars):
        c = chars[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            opened.append(i)
        elif c == "]" and opened:
            start = opened.pop()
            if _FIELD.search(fmt, start, i):
                chars[start], chars[i] = "\\[", "\\]"
        i += 1
    return "".join(chars)


def parse_timestamps(columns: dict[str, pa.Array], spec: TimestampSpec | None, n: int) -> pa.Array:
    """Vectorised timestamps (microseconds) from header columns; null where they do not parse."""
    if spec is None or any(f not in columns for f in spec.fields):
        return pa.nulls(n, pa.timestamp("us"))
    if spec.epoch:
        raw = columns[spec.fields[0]]
        ok = pc.match_substring_regex(raw, r"^\d{1,12}$")
        secs = pc.cast(pc.if_else(ok, raw, None), pa.int64())
        return pc.cast(pc.multiply(secs, 1_000_000), pa.timestamp("us"))
    text = columns[spec.fields[0]]
    for name in spec.fields[1:]:
        text = pc.binary_join_element_wise(text, columns[name], " ")
    # logs repeat timestamps (one per second or millisecond): parse each distinct value once
    enc = pc.dictionary_encode(text)
    return _parse_text(enc.dictionary, spec).take(enc.indices)


def _parse_text(text: pa.Array, spec: TimestampSpec) -> pa.Array:
    n = len(text)
    parts = pc.extract_regex(text, spec.pattern)
    names = {parts.type.field(i).name for i in range(parts.type.num_fields)}

    def part(name: str, default: str = "0") -> pa.Array:
        if name not in names:
            return pa.array([default] * n, pa.string())
        return pc.struct_field(parts, name)

    year = part("Y") if "Y" in names else pc.binary_join_element_wise("20", part("y"), "")
    if "b" in names:
        idx = pc.index_in(pc.utf8_lower(part("b")), value_set=pa.array(_MONTHS))
        month = pc.cast(pc.add(idx, 1), pa.string())
    else:
        month = part("m")
    frac = part("f", "")
    frac = pc.utf8_rpad(pc.utf8_slice_codeunits(frac, 0, 6), 6, "0")

    def pad2(a: pa.Array) -> pa.Array:
        return pc.utf8_lpad(a, 2, "0")

    iso = pc.binary_join_element_wise(
        year, "-", pad2(month), "-", pad2(part("d")), " ", pad2(part("H")), ":",
        pad2(part("M")), ":", pad2(part("S")), ".", frac, "",
    )  # fmt: skip
    valid = pc.and_(parts.is_valid(), pc.match_substring_regex(iso, _ISO_CHECK))
    iso = pc.if_else(valid, iso, None)
    try:
        return pc.cast(iso, pa.timestamp("us"))
    except pa.ArrowInvalid:  # e.g. month 13: fall back to one value at a time
        return pa.array([_one_ts(v) for v in iso.to_pylist()], pa.timestamp("us"))


_ISO_CHECK = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}$"


def _one_ts(value: str | None) -> object:
    from datetime import datetime

    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S.%f")
    except ValueError:
        return None
