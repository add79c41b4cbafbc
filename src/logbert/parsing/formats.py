"""Log line formats: loghub-style format strings, the built-in ones, and timestamp parsing.

A format string names header fields in angle brackets, e.g.
`<Date> <Time> <Pid> <Level> <Component>: <Content>`; the text between fields is literal (a run
of spaces matches any run of whitespace, as in the loghub benchmark). `<Content>` is the message
that gets a template. Square brackets around a field (`<Component>[<Pid>]:`) are literal text
(bare, they would be a regex character class that swallows the field); a field the regex would
never fill is an error, never a missing column later. Header splitting and timestamp parsing
run vectorised on whole chunks (pyarrow compute, RE2), so no Python code runs per line.

Timestamps: each built-in format knows how its header fields write the time. Formats whose
lines carry no year (linux, mac, android, proxifier, openssh) take it from `--year`, else from
the input file's modification time (dates after it go to the year before: a log written in
January holds December lines; a jump back of months inside one file is a year rollover, see
`clock.py`). A format string with `<Month> <Date> <Time>` (or `<Month> <Day> <Time>`, loghub's
syslog formats) reads syslog timestamps (`Jun 14 15:16:01`, year as above, or from a `<Year>`
field anywhere in the format). A `<Timestamp>`
field (or `<Date> <Time>`) of a format string is read as ISO 8601 / RFC 3339
(`2024-01-02T03:04:05.123+02:00`, `...Z`; a `T` or a space, optional fraction: the field takes
a clock time that follows the date after a space with it, whatever the date's layout) or epoch time
(seconds, integer or decimal; 13, 16 or 19 digits: milliseconds, microseconds, nanoseconds); an
offset is converted to UTC and the stored timestamp is UTC without a zone (no offset: the time as
written). Anything else takes `--timestamp-format` (strptime-like, e.g. `%Y-%m-%d %H:%M:%S`;
`strptime_pattern`; `%s` alone: epoch time as above). A year taken from the file's modification
time that has no Feb 29 dates a Feb 29 line in the leap year before (`--year` is taken as given).
"""

from __future__ import annotations

import calendar
import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import pyarrow as pa
import pyarrow.compute as pc

from logbert.errors import LogbertError

# Timestamp specs: the header fields joined by a space, and an RE2 regex with the named groups
# Y (4-digit year) or y (2-digit, 20yy), m (number) or b (English month name), d, H, M, S and
# optionally f (fraction of a second) and z (`Z` or a `+hh:mm` offset). Without Y/y the year
# comes from outside (`--year`, the file's modification time). "epoch" means Unix seconds.
_ISO = r"^(?P<Y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2}) (?P<H>\d{1,2}):(?P<M>\d\d):(?P<S>\d\d)"
_ISO_MS = _ISO + r"(?:[,.](?P<f>\d+))?$"
# time zone abbreviations with one meaning, in minutes east of UTC (the tz database's current
# ones); CST, IST, AST, BST's other uses and the like are deliberately absent
ZONE_ABBREVIATIONS = {
    "UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "ZULU": 0, "WET": 0, "WEST": 60,
    "CET": 60, "CEST": 120, "MET": 60, "MEST": 120, "EET": 120, "EEST": 180, "MSK": 180,
    "EST": -300, "EDT": -240, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480,
    "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600, "NST": -210, "NDT": -150,
    "JST": 540, "KST": 540, "HKT": 480, "SGT": 480, "AWST": 480, "ACST": 570, "ACDT": 630,
    "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
}  # fmt: skip
# one of them after a date and time (PostgreSQL's `2026-11-21 07:00:00.000 CET`) is part of the
# time: `iso` had left `CET` in the message and stored local times as UTC (QA)
_ZONE_WORD = "|".join(sorted(ZONE_ABBREVIATIONS, key=len, reverse=True))
_ZONE_NAMES = pa.array(list(ZONE_ABBREVIATIONS))  # `_to_utc`: name -> minutes, by position
_ZONE_MINUTES = pa.array(list(ZONE_ABBREVIATIONS.values()), pa.int64())
# ISO 8601 / RFC 3339: `T` or space, optional seconds and fraction, optional Z / offset or
# zone abbreviation; the date also with slashes (`2024/03/05 10:00:00`, as Go's log package
# and many loggers write it)
ISO_8601 = (
    r"^(?P<Y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?:(?:[Tt ]|, )(?P<H>\d{1,2}):(?P<M>\d\d)"
    r"(?::(?P<S>\d\d)(?:[.,](?P<f>\d+))?)?)?\s*(?P<z>[Zz]|[+-]\d\d(?::?\d\d)?"
    rf"|{_ZONE_WORD})?:?$"  # a colon may end it, Mosquitto's `2025-11-30T10:00:00: msg` (QA)
)
# ISO 8601's basic format, `20261201T050021Z` (Shibboleth's audit log, iCalendar, AWS
# signatures): a `T` and seconds required, so no run of digits is a time; rewritten into the
# extended form (`_parse_distinct`) that ISO_8601 reads
_ISO_BASIC = (
    r"^(\d{4})(\d\d)(\d\d)[Tt](\d\d)(\d\d)(\d\d)((?:[.,]\d+)?(?:[Zz]|[+-]\d\d(?::?\d\d)?)?)$"
)
_ISO_EXTENDED = r"\1-\2-\3T\4:\5:\6\7"
# A `<Timestamp>` field takes a date with the clock time after it (`2024-03-05 10:00:00,994`,
# `2024/03/05 10:00:00 +0100`): the shortest text would stop at the space and date every line
# at midnight, its time of day read as the next field (`... INFO`: Level '10:00:00,994').
# The date holds no clock time itself: `2026-12-05T10:00:05.23Z 10:00:05.234` is a time and the
# message's own after it (QA Plausible in `docker compose logs -t`: the pair the time, no line
# of the service dated)
_DATE_TIME = (  # a fraction of at most 9 digits: `,012801012345` is the next CSV field (QA PAN-OS)
    r"[^\s:]+\s+\d{1,2}:\d\d(?::\d\d(?:[.,]\d{1,9})?)?"
    rf"(?:\s?(?:[Zz]|[+-]\d\d(?::?\d\d)?)|\s(?:{_ZONE_WORD}))?"  # a field or text follows
)
# a fraction of a second after it (Redis' `20 Nov 2026 10:15:02.123`, rsyslog's high precision)
_NO_YEAR = r"(?P<H>\d{1,2}):(?P<M>\d\d):(?P<S>\d\d)(?:[.,](?P<f>\d+))?"
_SYSLOG = r"^(?P<b>[A-Za-z]{3}) +(?P<d>\d{1,2}) " + _NO_YEAR + "$"
_SYSLOG_EXPECTED = "a syslog time such as 'Jun 14 15:16:01'"
# the same with a `<Year>` field (joined first: the fields are joined in this order)
_SYSLOG_YEAR = r"^(?P<Y>\d{4}) (?P<b>[A-Za-z]{3}) +(?P<d>\d{1,2}) " + _NO_YEAR + "$"
_SYSLOG_YEAR_EXPECTED = "a year and a syslog time such as '2024' and 'Jun 14 15:16:01'"
# epoch time: an integer part of up to 12 digits is seconds; these lengths are finer units
# (digits below the second): 13 milliseconds, 16 microseconds, 19 nanoseconds
_EPOCH_UNITS = {13: 3, 16: 6, 19: 9}
EPOCH = "epoch seconds (13/16/19 digits: milli/micro/nanoseconds)"


@dataclass(frozen=True)
class TimestampSpec:
    """How to build a timestamp from header fields: `pattern` (RE2, named groups as above)
    and/or `epoch` (Unix seconds; with a pattern too, epoch is tried where it fails); `year`
    for patterns without one (None: the caller gives it per file); `expected` says in words
    what the fields should hold (error messages); `guessed`: the format string names one lone
    `<Time>` or `<Date>` field, which is tried as a whole ISO 8601 / epoch timestamp (a log
    where it never is one gets a warning, not an error: it may hold a time of day only)."""

    fields: tuple[str, ...]
    pattern: str = ""
    epoch: bool = False  # epoch seconds, or milliseconds ... by digit count (`_parse_epoch`)
    year: int | None = None
    expected: str = ""
    guessed: bool = False

    @property
    def needs_year(self) -> bool:
        """Whether the pattern has no year group (the year must come from elsewhere)."""
        return bool(self.pattern) and "(?P<Y>" not in self.pattern and "(?P<y>" not in self.pattern

    def describe(self) -> str:
        """What the fields should hold, e.g. `ISO 8601 or epoch seconds`."""
        if self.expected:
            return self.expected
        if self.epoch and not self.pattern:
            return EPOCH
        return f"text matching {self.pattern}"


@dataclass(frozen=True)
class BuiltinFormat:
    """A named format: loghub format string, timestamp spec and label field. A `generic`
    format fits many systems' lines loosely; `--format auto` picks it only where no format
    of a system reads as many lines as well."""

    format: str
    timestamp: TimestampSpec | None = None
    label: str | None = None
    generic: bool = False


# the access log's time (NCSA's, Apache's and nginx's, S3's): `10/Oct/2000:13:55:36 -0700`
_NCSA_TIME = TimestampSpec(
    ("Time",),
    r"^(?P<d>\d{1,2})/(?P<b>[A-Za-z]{3})/(?P<Y>\d{4}):(?P<H>\d\d):(?P<M>\d\d):(?P<S>\d\d)"
    r"(?:\.(?P<f>\d+))?\s*(?P<z>[+-]\d\d(?::?\d\d)?)?$",
    expected="'10/Oct/2000:13:55:36 -0700'",
)
# a C library's `ctime()` time, `Fri Dec  4 13:30:25 2026` (ClamAV, OpenVPN 2.4: `ctime`)
# `04-Dec-2026 13:30:25.123`: PHP's, BIND's and Tomcat's
_DAY_MONTH_YEAR = TimestampSpec(
    ("Date", "Time"),
    r"^(?P<d>\d{1,2})-(?P<b>[A-Za-z]{3})-(?P<Y>\d{4}) " + _NO_YEAR + "$",
    expected="'04-Dec-2026 13:30:25'",
)
# syslog's facilities by their names (`logread`'s `daemon.info`)
_FACILITIES = (
    "kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|ntp|security|console"
    "|local[0-7]"
)
_CTIME = TimestampSpec(
    ("Month", "Date", "Year", "Time"),
    r"^(?P<b>[A-Za-z]{3}) +(?P<d>\d{1,2}) (?P<Y>\d{4}) " + _NO_YEAR + "$",
    expected="'Fri Dec  4 13:30:25 2026'",
)

# the levels a `level-first` line starts with (log4j's, logback's, java.util.logging's)
LEVEL_FIRST_WORDS = "TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|SEVERE"

BUILTIN_FORMATS: dict[str, BuiltinFormat] = {
    "hdfs": BuiltinFormat(
        "<Date> <Time> <Pid> <Level> <Component>: <Content>",
        TimestampSpec(
            ("Date", "Time"),
            r"^(?P<y>\d\d)(?P<m>\d\d)(?P<d>\d\d) (?P<H>\d\d)(?P<M>\d\d)(?P<S>\d\d)$",
            expected="'081109 203615' (yymmdd HHMMSS)",
        ),
    ),
    # Zabbix server, proxy and agent logs: the pid padded to six, `  1234:20251130:100000.123
    # item "web01:agent.ping" became not supported` (QA: `auto` refused them)
    "zabbix": BuiltinFormat(
        r" *<Pid>:<Date>:<Time> <Content>",
        TimestampSpec(
            ("Date", "Time"),
            r"^(?P<Y>\d{4})(?P<m>\d\d)(?P<d>\d\d) (?P<H>\d\d)(?P<M>\d\d)(?P<S>\d\d)"
            r"(?:\.(?P<f>\d+))?$",
            expected="'20251130 100000.123' (yyyymmdd HHMMSS.mmm)",
        ),
    ),
    "hadoop": BuiltinFormat(
        r"<Date> <Time> <Level> \[<Process>\] <Component>: <Content>",
        TimestampSpec(("Date", "Time"), _ISO_MS, expected="'2015-10-18 18:01:47,978'"),
    ),
    # WildFly's (JBoss EAP's, Keycloak's, Infinispan's) `server.log`, `%d %-5p [%c] (%t) %s%e`:
    # `... INFO  [org.jboss.as] (MSC service thread 1-2) WFLYSRV0049: ...` (QA Infinispan:
    # `hadoop` read the thread and the message's code as one component, and was picked)
    "wildfly": BuiltinFormat(
        r"<Date> <Time> <Level> \[<Component>\] \(<ThreadName>\) <Content>",
        TimestampSpec(("Date", "Time"), _ISO_MS, expected="'2024-05-13 00:00:03,000'"),
    ),
    "spark": BuiltinFormat(
        "<Date> <Time> <Level> <Component>: <Content>",
        TimestampSpec(
            ("Date", "Time"),
            r"^(?P<y>\d\d)/(?P<m>\d\d)/(?P<d>\d\d) (?P<H>\d\d):(?P<M>\d\d):(?P<S>\d\d)$",
            expected="'17/06/09 20:10:40' (yy/mm/dd)",
        ),
    ),
    # ZooKeeper's shipped log4j layout since 3.4 writes the server's id first, `[myid:2] - INFO
    # [...]` (QA ZooKeeper: every line refused, and `auto` chose `iso`, the level and thread
    # left in every template); loghub's sample has none
    "zookeeper": BuiltinFormat(
        r"<Date> <Time> (\[myid:<Myid>\] )?- <Level>  \[<Node>:<Component>@<Id>\] - <Content>",
        TimestampSpec(("Date", "Time"), _ISO_MS, expected="'2015-07-29 17:41:44,747'"),
    ),
    "bgl": BuiltinFormat(
        "<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> "
        "<Content>",
        TimestampSpec(
            ("Time",),
            r"^(?P<Y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)-(?P<H>\d\d)\.(?P<M>\d\d)\.(?P<S>\d\d)"
            r"(?:\.(?P<f>\d+))?$",
            expected="'2005-06-03-15.42.50.675872' in <Time>",
        ),
        label="Label",
    ),
    "hpc": BuiltinFormat(
        "<LogId> <Node> <Component> <State> <Time> <Flag> <Content>",
        TimestampSpec(("Time",), epoch=True, expected=f"{EPOCH} in <Time>"),
    ),
    "thunderbird": BuiltinFormat(
        r"<Label> <Timestamp> <Date> <User> <Month> <Day> <Time> <Location> "
        r"<Component>(\[<PID>\])?: <Content>",
        TimestampSpec(("Timestamp",), epoch=True, expected=f"{EPOCH} in <Timestamp>"),
        label="Label",
    ),
    # Squid's native access.log (`1794812910.056      2 10.20.1.139 TCP_DENIED/407 4129 CONNECT
    # host:443 - HIER_NONE/- text/html`): epoch seconds, the request's milliseconds and the
    # client as fields (`--by-field Client`); the result code with its status class, size,
    # method, URL, user, hierarchy and type are the message (QA Squid: `auto` read no format)
    "squid": BuiltinFormat(
        r"<Timestamp> <Elapsed> <Client> <Content>",
        TimestampSpec(("Timestamp",), epoch=True, expected=f"{EPOCH} in <Timestamp>"),
    ),
    # Nagios and Icinga 1.x (`nagios.log`): epoch seconds in brackets, then the record
    # (`[1763633702] SERVICE ALERT: web01;HTTP;CRITICAL;SOFT;1;...`; QA: no built-in read it)
    "nagios": BuiltinFormat(
        r"\[<Timestamp>\] <Content>",
        TimestampSpec(("Timestamp",), epoch=True, expected=f"{EPOCH} in brackets"),
        generic=True,  # any `[epoch] ...` line: a system's own format (`unbound`) first
    ),
    # macOS's unified log as `log show` writes it by default (`2026-12-04 10:21:11.123456-0800
    # 0x1a2b3    Default     0x0                  123    0    kernel: (AppleACPIPlatform) ...`):
    # thread, type (the level), activity, process id and TTL as fields; the header line and
    # the closing counts are the tool's, no events (QA macOS: `iso` kept them all in every
    # message, an event per log type, and a hand-written format made the counts' `Error: 78`
    # a new event at every export's end)
    "macos": BuiltinFormat(
        r"<Date> <Time> <Thread> <Level> <Activity> <PID> <TTL> <Component>: <Content>",
        TimestampSpec(
            ("Date", "Time"), ISO_8601, expected="'2026-12-04 10:21:11.123456-0800'"
        ),
    ),
    # Open vSwitch's and OVN's vlog files (`2026-12-04T10:21:11.123Z|00042|bridge|INFO|bridge
    # br-int: added interface tap3f2a on port 17`): sequence number, module and level as
    # fields (QA Open vSwitch: `auto` and `iso` read no timestamp, the `|` after the time)
    "ovs": BuiltinFormat(
        r"<Timestamp>\|<Seq>\|<Component>\|<Level>\|<Content>",
        TimestampSpec(
            ("Timestamp",), ISO_8601, expected="an RFC 3339 time such as '2026-12-04T10:21:11.123Z'"
        ),
    ),
    # Mosquitto's log with its default `log_timestamp` (`1733307671: New client connected from
    # ...`): epoch seconds and a colon (QA Mosquitto: `auto` read no format)
    "mosquitto": BuiltinFormat(
        r"<Timestamp>: <Content>",
        TimestampSpec(("Timestamp",), epoch=True, expected=f"{EPOCH} and a colon"),
        generic=True,  # any `epoch: ...` line
    ),
    # Tor's notices.log (`Nov 24 05:07:12.000 [warn] Your system clock just jumped ...`): a
    # syslog time, no host, the level in brackets (QA Tor: `syslog-notag` read `[warn]` as the
    # host and a message's first word before a colon as the program; no level known)
    "tor": BuiltinFormat(
        r"<Month> <Date> <Time> \[<Level>\] <Content>",
        TimestampSpec(("Month", "Date", "Time"), _SYSLOG, expected="'Nov 24 05:07:12.000'"),
    ),
    # Unbound's own log file (`[1764842308] unbound[2817:0] info: 10.0.0.15 www.example.com.
    # A IN`): epoch seconds, the program, process, thread and level as fields (QA Unbound:
    # `nagios` kept them in every message, no session by thread or level)
    "unbound": BuiltinFormat(
        r"\[<Timestamp>\] <Component>\[<Pid>:<Thread>\] <Level>: <Content>",
        TimestampSpec(("Timestamp",), epoch=True, expected=f"{EPOCH} in brackets"),
    ),
    # ... and with `log-time-ascii: yes` (`Dec 04 08:00:01 unbound[2817:0] info: ...`: QA,
    # `syslog-notag` read the tag as the host and the level as the program)
    "unbound-ascii": BuiltinFormat(
        r"<Month> <Date> <Time> <Component>\[<Pid>:<Thread>\] <Level>: <Content>",
        TimestampSpec(("Month", "Date", "Time"), _SYSLOG, expected="'Dec 04 08:00:01'"),
    ),
    # Linux's audit daemon (`/var/log/audit/audit.log`, `node=web01 type=SYSCALL
    # msg=audit(1764500000.100:99001): arch=c000003e syscall=59 ...`): epoch seconds and the
    # event's serial, which the records of one event share (`--by-field Node,Serial` makes a
    # session of each event); the record's type is also the message's first word
    # (`splitter.split_lines`; QA: `auto` refused the file)
    "auditd": BuiltinFormat(
        r"(node=<Node> )?type=<Type> msg=audit\(<Timestamp>:<Serial>\): <Content>",
        TimestampSpec(("Timestamp",), epoch=True, expected=f"{EPOCH}, 'audit(1764500000.100:1)'"),
    ),
    "windows": BuiltinFormat(
        "<Date> <Time>, <Level>                  <Component>    <Content>",
        TimestampSpec(("Date", "Time"), _ISO_MS, expected="'2016-09-28 04:30:30'"),
    ),
    # Linux, Mac, Android, Proxifier and OpenSSH logs carry no year: it comes from --year or
    # the file's modification time (without either, e.g. stdin, timestamp stays null).
    # loghub's Linux string names the host `<Level>`; here it is `<Host>` (QA: `--by-field`
    # advice offered "Level" for a mail server's host names)
    "linux": BuiltinFormat(
        r"<Month> <Date> <Time> <Host> <Component>(\[<PID>\])?: <Content>",
        TimestampSpec(("Month", "Date", "Time"), _SYSLOG, expected="'Jun 14 15:16:01'"),
    ),
    # MIT Kerberos' own files (`[logging] kdc = FILE:...`), the level after the pid:
    # `Mar 10 00:03:19 kdc1 kadmind[1460](Notice): ...` (QA Kerberos: `linux` read the pid and
    # level as part of the program's name, one component per pid and level, no level)
    "krb5": BuiltinFormat(
        r"<Month> <Date> <Time> <Host> <Component>\[<PID>\]\(<Level>\): <Content>",
        TimestampSpec(("Month", "Date", "Time"), _SYSLOG, expected="'Mar 10 00:03:19'"),
    ),
    "mac": BuiltinFormat(
        r"<Month>  <Date> <Time> <User> <Component>\[<PID>\]( \(<Address>\))?: <Content>",
        TimestampSpec(("Month", "Date", "Time"), _SYSLOG, expected="'Jul 1 09:00:55'"),
    ),
    "android": BuiltinFormat(
        "<Date> <Time>  <Pid>  <Tid> <Level> <Component>: <Content>",
        TimestampSpec(
            ("Date", "Time"),
            r"^(?P<m>\d\d)-(?P<d>\d\d) " + _NO_YEAR + "$",
            expected="'03-17 16:13:38.811'",
        ),
    ),
    # httpd 2.4 appends `, referer: URL` where the request had one: a field, as the access
    # log's referrer (QA ModSecurity: each event was two templates, with and without it, and a
    # known event's other form a new event)
    "apache": BuiltinFormat(
        r"\[<Time>\] \[<Level>\] <Content>(, referer: <Referer>)?",
        TimestampSpec(
            ("Time",),
            # httpd 2.4 writes microseconds (QA: every 2.4 error log was refused)
            r"^\w+ (?P<b>\w{3}) (?P<d>\d{1,2}) (?P<H>\d\d):(?P<M>\d\d):(?P<S>\d\d)"
            r"(?:\.(?P<f>\d+))? (?P<Y>\d{4})$",
            expected="'Sun Dec 04 04:47:44 2005' or 'Fri Nov 20 10:15:02.123456 2026'",
        ),
    ),
    "healthapp": BuiltinFormat(
        r"<Time>\|<Component>\|<Pid>\|<Content>",
        TimestampSpec(
            ("Time",),
            r"^(?P<Y>\d{4})(?P<m>\d\d)(?P<d>\d\d)-(?P<H>\d{1,2}):(?P<M>\d{1,2}):(?P<S>\d{1,2})"
            r"(?::(?P<f>\d+))?$",
            expected="'20171223-22:15:29:606'",
        ),
    ),
    "proxifier": BuiltinFormat(
        r"\[<Time>\] <Program> - <Content>",
        TimestampSpec(
            ("Time",),
            r"^(?P<m>\d\d)\.(?P<d>\d\d) " + _NO_YEAR + "$",
            expected="'10.30 16:49:06'",
        ),
    ),
    "openssh": BuiltinFormat(
        r"<Date> <Day> <Time> <Component> sshd\[<Pid>\]: <Content>",
        TimestampSpec(("Date", "Day", "Time"), _SYSLOG, expected="'Dec 10 06:55:46'"),
    ),
    "openstack": BuiltinFormat(
        r"<Logrecord> <Date> <Time> <Pid> <Level> <Component> \[<ADDR>\] <Content>",
        TimestampSpec(("Date", "Time"), _ISO_MS, expected="'2017-05-16 00:00:00.008'"),
    ),
    # OpenStack services' own lines (nova-compute.log ...): loghub's `openstack` less the
    # file name it puts first
    "nova": BuiltinFormat(  # a traceback line's `[instance: UUID]`: `splitter._nova_instance`
        r"<Date> <Time> <Pid> <Level> <Component> \[<ADDR>\] <Content>",
        TimestampSpec(("Date", "Time"), _ISO_MS, expected="'2017-05-16 00:00:00.008'"),
    ),
    # syslog as forwarded by rsyslog, syslog-ng and journald (RFC 5424): `<PRI>1 TIME HOST APP
    # PROCID MSGID SD MSG`; a nil structured data (`-`) is no part of the message, a present
    # one stays at its start (the miner splits the message's first word after it), but for the
    # elements IANA registered for the sender's own metadata (`meta`, `origin`, `timeQuality`),
    # a field (QA OPNsense: `[meta sequenceId="2"]`, a counter on every line, opened 43 of 52
    # templates and hid filterlog's records from their rewrite)
    "rfc5424": BuiltinFormat(
        r"<<Pri>>1 <Timestamp> <Host> <Component> <PID> <MsgId> (- |<StructuredData> )?<Content>",
        TimestampSpec(
            ("Timestamp",), ISO_8601, expected="an RFC 3339 time such as '2026-11-01T10:00:00Z'"
        ),
    ),
    # rsyslog's high-precision file format (`RSYSLOG_FileFormat`, the default of newer
    # distributions) and `journalctl -o short-iso`: an RFC 3339 time, then syslog's host and
    # program (QA strongSwan: `iso` kept `vpn-gw charon:` in every template, so a second
    # gateway's lines were all new events)
    "syslog-iso": BuiltinFormat(
        r"<Timestamp> <Host> <Component>(\[<PID>\])?: <Content>",
        TimestampSpec(
            ("Timestamp",),
            ISO_8601,
            expected="an RFC 3339 time such as '2026-11-22T01:01:06.123456+01:00'",
        ),
    ),
    # a daemon's own file in syslog's layout without the host (dnsmasq's `log-facility`,
    # Pi-hole's `Nov 29 08:00:05 dnsmasq[812]: query[A] ...`; QA: `auto` refused it and
    # `linux` rejected every line): the program is one word
    "syslog-nohost": BuiltinFormat(
        r"<Month> <Date> <Time> <Component>(\[<PID>\])?: <Content>",
        TimestampSpec(("Month", "Date", "Time"), _SYSLOG, expected="'Jun 14 15:16:01'"),
    ),
    # Pacemaker's own log (`/var/log/pacemaker/pacemaker.log`: `Dec 01 00:00:21.620 node1
    # pacemaker-controld  [1234] (do_state_transition) \tnotice: State transition ...`): the
    # daemon, its pid, the C function and the level as fields (QA Pacemaker: `auto` chose `linux`
    # and read all four as one <Component>, the level lost)
    "pacemaker": BuiltinFormat(
        r"<Month> <Date> <Time> <Host> <Component> *\[<PID>\] \(<Function>\)\s+<Level>: <Content>",
        TimestampSpec(("Month", "Date", "Time"), _SYSLOG, expected="'Dec 01 00:00:21.620'"),
    ),
    # Corosync's own log (`/var/log/cluster/corosync.log`: `Dec 01 01:35:24 [1100] node1 corosync
    # notice  [TOTEM ] A new membership (1.2a) was formed.`): the pid before the host, the level
    # and the subsystem as fields (QA Pacemaker: `syslog-notag` read the pid `[1100]` as the
    # host, and `Sync left[1]: 3` and `Members[2]: 1 2` were one event behind the header's words)
    "corosync": BuiltinFormat(
        r"<Month> <Date> <Time> \[<PID>\] <Host> <Component> <Level> +\[<Subsystem> *\] <Content>",
        TimestampSpec(("Month", "Date", "Time"), _SYSLOG, expected="'Dec 01 01:35:24 [1100]'"),
    ),
    # Wazuh's and OSSEC's alerts.log, each alert joined into one line as the blank-line advice
    # says (`auto.JOIN_ALERTS`: `** Alert 1733392800.1286: - syslog,sshd,... | 2026 Dec 05
    # 10:00:00 (web01) 10.0.0.21->/var/log/auth.log | Rule: 5760 (level 5) -> '...' | ...`): the
    # epoch time, the rule's groups, the agent and the location as fields, the rule and the
    # logged lines the event (QA Wazuh: `auto` read no format of the joined alerts, and with
    # the agent in the message every rule was a template per agent)
    "wazuh": BuiltinFormat(
        r"\*\* Alert <Timestamp>\.<Offset>: *(mail)? *- <Groups> \| <Year> <Month> <Date> "
        r"<Time> (\(<Agent>\) )?<Location> \| <Content>",
        TimestampSpec(("Timestamp",), epoch=True, expected="'** Alert 1733392800.1286:'"),
    ),
    # Node-RED's console (`5 Dec 10:00:01 - [info] [mqtt-broker:Local broker] Connected to
    # broker: mqtt://localhost:1883`): the day first, no year; the level a field and the event's
    # first word too, as `level-first`'s (`splitter.split_lines`), so a warning that comes back
    # as an error is a new event (QA Node-RED: `auto` read no format, and a format string with
    # `[<Level>]` made WARN and ERROR one event)
    "nodered": BuiltinFormat(
        r"<Date> <Month> <Time> - \[<Level>\] <Content>",
        TimestampSpec(
            ("Date", "Month", "Time"),
            r"^(?P<d>\d{1,2}) (?P<b>[A-Za-z]{3}) " + _NO_YEAR + "$",
            expected="'5 Dec 10:00:01'",
        ),
    ),
    # Dovecot's own log (`log_path`: `Dec 01 00:21:03 imap(alice@example.com)<20187><gkwXm9eh>:
    # Info: save: box=...`, `imap-login: Info: Login: ... session=<ij+0tB5S1Re971dL>`): the
    # service (also the event's first word, `splitter.split_lines`: an IMAP and a POP3 login
    # are two events), user, process, session and level as fields; a login's `session=<...>`
    # fills the session, so `--by-field Session` joins a login to its mail process (QA Dovecot:
    # `syslog-nohost` read the context as the program, the service left the event, and 80% of
    # the lines joined no session)
    "dovecot": BuiltinFormat(
        r"<Month> <Date> <Time> <Component>(\(<User>\))?(<<Pid>>)?(<<Session>>)?: <Level>: "
        r"<Content>",
        TimestampSpec(("Month", "Date", "Time"), _SYSLOG, expected="'Dec 01 00:21:03'"),
    ),
    # syslog files of network devices, which send no tag (RouterOS' `Dec  3 00:43:17 gw-02
    # system,error,critical login failure for user root ...`: QA MikroTik, `linux` rejected
    # every line without `: `, the logins and link changes among them): the program, one
    # word, may be missing; generic, so `linux` reads the lines where both do
    "syslog-notag": BuiltinFormat(
        r"<Month> <Date> <Time> <Host> (<Component>(\[<PID>\])?: )?<Content>",
        TimestampSpec(("Month", "Date", "Time"), _SYSLOG, expected="'Jun 14 15:16:01'"),
        generic=True,
    ),
    # BSD syslog with its priority (RFC 3164, as sent over the network): no year, as `linux`;
    # a network device may send no tag (PAN-OS's `<14>Nov 24 08:00:16 PA-3220 1,2025/...`: QA,
    # every line rejected), so the program, one word, may be missing
    "rfc3164": BuiltinFormat(
        r"<<Pri>><Month> <Date> <Time> <Host> (<Component>(\[<PID>\])?: )?<Content>",
        TimestampSpec(("Month", "Date", "Time"), _SYSLOG, expected="'Jun 14 15:16:01'"),
    ),
    # Kubernetes components and Go services that log with klog/glog (`I1101 10:00:00.123456
    # 12345 file.go:42] msg`): no year, as `linux`; the level letter (I/W/E/F) leads the date,
    # so one field holds both (two fields with no text between them cannot be read apart)
    "klog": BuiltinFormat(
        r"<LevelDate> <Time> <Thread> <Source>\] <Content>",
        TimestampSpec(
            ("LevelDate", "Time"),
            r"^[IWEF](?P<m>\d\d)(?P<d>\d\d) " + _NO_YEAR + "$",
            expected="'I1101 10:00:00.123456' (a level letter, month, day, time)",
        ),
    ),
    # ... and glog with its year, Typesense's (`I20261205 10:00:00.123456 1234 raft_server.cpp:545]
    # Term: 3, ...`): klog's header, the date in eight digits (QA Typesense: `klog` and `auto`
    # read no line, and a format string's `[IWEF]` left the level out of every event)
    "glog-year": BuiltinFormat(
        r"<LevelDate> <Time> <Thread> <Source>\] <Content>",
        TimestampSpec(
            ("LevelDate", "Time"),
            r"^[IWEF](?P<Y>\d{4})(?P<m>\d\d)(?P<d>\d\d) " + _NO_YEAR + "$",
            expected="'I20261205 10:00:00.123456' (a level letter, year, month, day, time)",
        ),
    ),
    # CockroachDB's (`I231204 06:06:40.913418 26465 kv/kvserver/replica_raft.go:1234 ⋮ [n1,s1]
    # 50  msg`, crdb-v1 without the `⋮`): klog's header with a two-digit year and no `]` after
    # the source (QA: `auto` read no format, and klog's dated the `I` lines only)
    "crdb": BuiltinFormat(
        r"<LevelDate> <Time> <Goid> <Source>( ⋮)? <Content>",
        TimestampSpec(
            ("LevelDate", "Time"),
            r"^[IWEF](?P<y>\d\d)(?P<m>\d\d)(?P<d>\d\d) " + _NO_YEAR + "$",
            expected="'I231204 06:06:40.913418' (a level letter, year, month, day, time)",
        ),
    ),
    # SaltStack's master and minion logs (`log_fmt_logfile`: `2026-12-04 00:43:23,269
    # [salt.utils.event :823 ][DEBUG   ][2181] msg`): module, line, padded level and process
    # as fields (QA: `iso` kept them in the message, `:<*> ]` beside `:<*>]`)
    "salt": BuiltinFormat(
        r"<Date> <Time> \[<Component> *:<Line> *\]\[<Level> *\]\[<Pid>\] <Content>",
        TimestampSpec(("Date", "Time"), _ISO_MS, expected="'2026-12-04 00:43:23,269'"),
    ),
    # ClamAV's clamd and freshclam logs with `LogTime yes` (`Fri Dec  4 13:30:25 2026 ->
    # /var/mail/alice: Eicar-Signature FOUND`): a ctime before ` -> ` (QA ClamAV: `auto` read no
    # format)
    "clamav": BuiltinFormat(
        r"<Dow> <Month> <Date> <Time> <Year> -> <Content>",
        _CTIME,
    ),
    # Ansible's `log_path` (`2026-11-16 00:33:44,047 p=49627 u=awx n=ansible | TASK [...] ***`):
    # the run's process, its user and the logger as fields, `--by-field Pid` a session of each
    # run (QA Ansible: `iso` left `p=<*> u=alice n=ansible |` in each event, a template per
    # user, and a user's first run of a playbook new events)
    "ansible": BuiltinFormat(
        r"<Date> <Time> p=<Pid> u=<User> n=<Component> \| <Content>",
        TimestampSpec(("Date", "Time"), _ISO_MS, expected="'2026-11-16 00:33:44,047'"),
    ),
    # Tornado's LogFormatter, JupyterHub's and Jupyter Server's (`[I 2026-12-03 06:00:00.123
    # JupyterHub app:2859] ...`, `[W ... ServerApp] 404 GET /user/...`): the level letter and
    # the logger (one word or two) as fields (QA JupyterHub: `auto` read no format)
    "tornado": BuiltinFormat(
        r"\[<Level> <Date> <Time> <Logger>\] <Content>",
        TimestampSpec(("Date", "Time"), _ISO_MS, expected="'[I 2026-12-03 06:00:00.123 ...]'"),
    ),
    # Celery's workers (`[2024-03-04 06:00:06,000: ERROR/MainProcess] Process 'ForkPoolWorker-2'
    # ...`): the level and the process as fields (QA Celery: `iso` left `ERROR/MainProcess]` in
    # every event's text, `INFO/<*>]` where the worker varied)
    "celery": BuiltinFormat(
        r"\[<Date> <Time>: <Level>/<Process>\] <Content>",
        TimestampSpec(("Date", "Time"), _ISO_MS, expected="'[2024-03-04 06:00:06,000: INFO/...'"),
    ),
    # ActiveMQ Classic's log4j layout, `%d | %-5p | %m | %c | %t` (`2026-12-01 08:21:57,706 |
    # INFO  | Apache ActiveMQ 5.18.3 ... is starting | org.apache.activemq.broker.BrokerService |
    # main`): level, logger and thread (a name, `ActiveMQ Transport: tcp://...`) as fields (QA
    # ActiveMQ: `iso` kept the separators, the logger and the thread in every event, one
    # shutdown two events by the thread that wrote it)
    "activemq": BuiltinFormat(
        r"<Date> <Time> \| <Level> *\| <Content> \| <Component> \| <ThreadName>",
        TimestampSpec(("Date", "Time"), _ISO_MS, expected="'2026-12-01 08:21:57,706 | INFO | ...'"),
    ),
    # Apache CouchDB's (`[notice] 2026-12-04T10:21:11.123456Z couchdb@127.0.0.1 <0.12345.0>
    # 1a2b3c4d5e localhost:5984 10.0.0.7 admin GET /db/_all_docs 200 ok 12`): level, node,
    # Erlang process and request id (`--------` for none) as fields (QA CouchDB: `auto` read no
    # format, and its example fitted none)
    "couchdb": BuiltinFormat(
        r"\[<Level>\] <Timestamp> <Node> <Process> <ReqId> <Content>",
        TimestampSpec(
            ("Timestamp",), ISO_8601, expected="'[notice] 2026-12-04T10:21:11.123456Z couchdb@...'"
        ),
    ),
    # a C library's `ctime()` time first, OpenVPN 2.4's (`Thu Nov  6 06:00:00 2025 alice/...`)
    # and other daemons' (QA OpenVPN: `auto` read no format, its example fitted none); generic;
    # a colon may follow the year (Falco's `Thu Dec  3 22:00:00 2026: Falco version: 0.39.2`:
    # QA, every line rejected), or in brackets (Janus' `[Tue Dec  1 09:18:27 2026] Creating new
    # session: ...`: QA Janus, `auto` read no format; Apache 2.2's error log, its level in
    # brackets after it, stays `apache`'s, as a generic format loses a tie)
    "ctime": BuiltinFormat(
        r"\[?<Dow> <Month> <Date> <Time> <Year>\]?:? <Content>",
        _CTIME,
        generic=True,
    ),
    # IBM Spectrum LSF's daemon logs (mbatchd, sbatchd, lim, res: `Mar  3 06:00:27 2025 4821
    # 6 10.1 newJob: Job <48212> submitted ...`): the year after the time, then the daemon's
    # pid, its syslog level as a number and LSF's version (QA LSF: `auto` chose `linux`, read
    # the year as the host and dated every line by the file's modification time, a year off)
    "lsf": BuiltinFormat(r"<Month> <Date> <Time> <Year> <Pid> <Level> <Version> <Content>", _CTIME),
    # a Go service on the Gin framework: Gin's request lines (`[GIN] 2026/12/05 - 10:00:00 |
    # 200 |  1.2ms |  10.0.0.42 | GET  "/api/orders/4711"`, each a request line with its
    # endpoint and status class, `masks._GIN_REQUEST`) and its recovered panics' `[Recovery]`
    # lines; the service's own `log` lines (`2026/12/05 10:00:03 ...`) are `iso`'s, rejects
    # here (a format that read any dated line would be picked for every log)
    "gin": BuiltinFormat(
        r"\[(?:GIN|Recovery)\] <Date> - <Time> (\| )?<Content>",
        TimestampSpec(("Date", "Time"), ISO_8601, expected="'[GIN] 2026/12/05 - 10:00:00 |'"),
    ),
    # NLog's pipe-separated file layout, as Sonarr, Radarr, Lidarr and Prowlarr write it
    # (`2026-12-05 10:00:00.1|Info|RssSyncService|Starting RSS Sync`): level and logger as
    # fields (QA Sonarr: `auto` took `iso`, which dated every line at midnight and kept
    # `10:00:00.1|Info|RssSyncService|` in the message, a template per second)
    "nlog": BuiltinFormat(
        r"<Date> <Time>\|<Level>\|<Component>\|<Content>",
        TimestampSpec(("Date", "Time"), ISO_8601, expected="'2026-12-05 10:00:00.1|'"),
    ),
    # Calico's Felix, Typha and kube-controllers (`2026-12-05 10:00:00.123 [INFO][42]
    # felix/int_dataplane.go 1905: Applying dataplane updates`): level, process and source file
    # as fields, the line number a value (QA Calico: `iso` kept `[INFO][<*>]` first in the
    # message, and an ERROR line joined an INFO line's template)
    "calico": BuiltinFormat(
        r"<Date> <Time> \[<Level>\]\[<Pid>\] <Component> <Line>: <Content>",
        TimestampSpec(("Date", "Time"), ISO_8601, expected="'2026-12-05 10:00:00.123 [INFO][42]'"),
    ),
    # qBittorrent's log (`(N) 2026-12-05T10:05:00 - Added new torrent. Torrent: "x.iso"`): the
    # level letter (Normal, Info, Warning, Critical) as a field (QA qBittorrent: `auto` read no
    # format)
    "qbittorrent": BuiltinFormat(
        r"\(<Level>\) <Timestamp> - <Content>",
        TimestampSpec(("Timestamp",), ISO_8601, expected="'(N) 2026-12-05T10:05:00 -'"),
    ),
    # xrdp's and xrdp-sesman's logs (`[20261205-10:00:03] [INFO ] xrdp_wm_log_msg: login
    # successful for user alice on display 10`): the level as a field (QA xrdp: `auto` read no
    # format, its time a word no built-in one knew)
    "xrdp": BuiltinFormat(
        r"\[<Timestamp>\] \[<Level> *\] <Content>",
        TimestampSpec(
            ("Timestamp",),
            r"^(?P<Y>\d{4})(?P<m>\d\d)(?P<d>\d\d)-(?P<H>\d\d):(?P<M>\d\d):(?P<S>\d\d)$",
            expected="'[20261205-10:00:03]'",
        ),
    ),
    # OpenWrt's `logread` (its syslog ring buffer as it prints it): a `ctime()` time, the
    # facility and level, then the tag (`Fri Dec  4 06:00:10 2026 daemon.info hostapd: wlan1:
    # ...`, `kern.warn kernel: [ 12.3] ...`; QA hostapd: `ctime` kept `daemon.info hostapd:` in
    # every message, a template per level and per tag with or without its pid)
    "logread": BuiltinFormat(
        r"<Dow> <Month> <Date> <Time> <Year> <Facility>\.<Level> <Component>(\[<PID>\])?: "
        r"<Content>",
        _CTIME,
    ),
    # pgBackRest's log files (`/var/log/pgbackrest/<stanza>-backup.log`: `2026-12-05
    # 01:00:00.123 P00   INFO: backup command begin 2.49: ...`): the worker process and the
    # level as fields; its `---PROCESS START---` banners are the writer's own lines (QA
    # pgBackRest: `iso` kept `P01`/`P02` in the message, a template per worker, and counted each
    # banner a reject, with advice to join it to the run before)
    "pgbackrest": BuiltinFormat(
        r"<Date> <Time> <Process> +<Level>: <Content>",
        TimestampSpec(("Date", "Time"), ISO_8601, expected="'2026-12-05 01:00:00.123'"),
    ),
    # NATS server's log (`[1] 2026/12/04 10:00:02.656855 [INF] Starting nats-server`; a
    # connection's lines lead with `10.0.1.37:56275 - cid:2 - "v1.31.0:go:orders-svc" - `): the
    # connection's address, kind (`cid`, `rid`, `gid`, `lid`), number and client name as
    # fields (QA NATS: as words, every five-word message after them was one event, a stale
    # connection a clean close's; `--by-field source,Cid` keys a node's connections)
    "nats": BuiltinFormat(
        r'\[<Pid>\] <Date> <Time> \[<Level>\] (<Client> - <Kind>:<Cid> - ("<ClientName>" - )?)?'
        r"<Content>",
        TimestampSpec(("Date", "Time"), ISO_8601, expected="'2026/12/04 10:00:02.656855'"),
    ),
    # Redis' log, and Sentinel's and KeyDB's (`6790:X 02 Dec 2026 13:45:38.897 # +sdown master
    # mymaster 10.20.6.23 6381`): the process, its role letter and the level's sign (`#`, `*`,
    # `-`, `.`) as fields (QA Redis Sentinel: `auto` read no format and its example fitted none)
    "redis": BuiltinFormat(
        r"<Pid>:<Role> <Day> <Month> <Year> <Time> <LevelSign> <Content>",
        TimestampSpec(
            ("Day", "Month", "Year", "Time"),
            r"^(?P<d>\d{1,2}) (?P<b>[A-Za-z]{3}) (?P<Y>\d{4}) " + _NO_YEAR + "$",
            expected="'02 Dec 2026 13:45:38.897'",
        ),
    ),
    # PHP's error log (`error_log`: `[04-Dec-2026 13:30:25 UTC] PHP Warning:  ...`, the zone as
    # `date.timezone` names it, applied) and PHP-FPM's own (`[04-Dec-2026 13:30:25] WARNING:
    # [pool www] ...`, no zone) (QA PHP: no built-in format read them, and a zone read as
    # text left a Europe/Berlin log's times an hour off, unsaid)
    "php": BuiltinFormat(
        r"\[<Date> <Time>( <Zone>)?\] <Content>",
        _DAY_MONTH_YEAR,
    ),
    # nginx's error log (`2026/12/03 04:43:38 [error] 21483#21483: *454284 upstream timed out
    # ...`): level, process, thread and the connection's number as fields, `--by-field Cid` a
    # connection's session (QA nginx: `iso` kept them in every message, no session by client
    # or connection without a regex)
    # ... and NGINX Unit's, the same without the colon (`2026/12/05 10:06:00 [error] 830#836
    # *12 recv(...) failed (104: ...)`: QA, a message's own `: ` was taken for it, the text
    # before it the thread and `Connection reset by peer)` the event); its ids digits
    "nginx-error": BuiltinFormat(
        r"<Date> <Time> \[<Level>\] <Pid>#<Tid>(:)? (\*<Cid> )?<Content>",
        TimestampSpec(("Date", "Time"), ISO_8601, expected="'2026/12/03 04:43:38 [error] ...'"),
    ),
    # Tomcat's OneLineFormatter, java.util.logging's one line (`04-Dec-2026 10:21:11.123 INFO
    # [http-nio-8080-exec-7] org.apache.catalina.core.StandardContext.reload Reloading ...`):
    # level, thread and logger as fields (QA Tomcat: `auto` chose `bind`, its date, and kept
    # the thread in the message, one event two templates by thread)
    "tomcat": BuiltinFormat(
        r"<Date> <Time> <Level> \[<ThreadName>\] <Component> <Content>",
        _DAY_MONTH_YEAR,
    ),
    # logback's and log4j's layouts that write the level first, Cassandra's `%-5level [%thread]
    # %date{ISO8601} %F:%L - %msg` (`WARN  [GossipTasks:1] 2026-12-03 08:44:58,859
    # FailureDetector.java:... - Not marking nodes down ...`), the thread optional: the thread a
    # field, the level a field that also leads the message (`splitter.split_lines`), as `iso`
    # keeps it there, so a WARN GC pause is not an INFO one's event (QA Cassandra: `auto` read
    # no format, and with a format string the level could not stay in the event)
    "level-first": BuiltinFormat(
        r"<Level> +(\[<ThreadName>\] )?<Date> <Time> <Content>",
        TimestampSpec(
            ("Date", "Time"), ISO_8601, expected="'INFO  [main] 2026-12-03 08:00:27,928 ...'"
        ),
    ),
    # Envoy's stdout (an Istio sidecar's, an edge proxy's): its default access log, `[2026-12-04T
    # 08:18:27.831Z] "DELETE /api/v1/cart/e9b1 HTTP/2" 0 DC 0 0 14 - "10.0.3.33" "Go-http-client/
    # 2.0" "<request id>" "cart.shop.svc:8080" "10.244.3.40:8080"`, its client, user agent,
    # request id, authority and upstream host fields (QA Envoy: `iso` kept the agent in rare
    # events, a client disconnect from a new client library a new event), beside its own log,
    # `[2026-12-04 08:03:19.249][1][warning][config] [source/...:191] ...`, thread, level and
    # logger as fields; Istio's default access log adds the upstream cluster, three addresses,
    # the server name and the route (`... "10.244.2.7:9080" inbound|9080|| 127.0.0.6:60364
    # 10.244.2.7:9080 10.244.1.5:49624 outbound_.9080_._.details... default`): fields too, the
    # cluster's direction a word of the event (`splitter._cluster_direction`; QA Istio: every
    # field empty, the whole line the event, a hop's client and server lines one event)
    "envoy": BuiltinFormat(
        r'\[<Timestamp>\](\[<Tid>\]\[<Level>\]\[<Component>\])? <Content>'
        r'( "<Client>" "<Agent>" "<ReqId>" "<Authority>" "<Upstream>"'
        r"( <Cluster> <UpstreamLocal> <DownstreamLocal> <DownstreamRemote> <Sni> <Route>)?)?",
        TimestampSpec(
            ("Timestamp",), ISO_8601, expected="'[2026-12-04T08:18:27.831Z] \"GET / HTTP/1.1\" ...'"
        ),
    ),
    # airlift's server.log (Trino, Presto: `2026-12-04T10:21:11.123Z\tINFO\tdispatcher-query-5\t
    # io.trino.event.QueryMonitor\tTIMELINE: Query ...`), tab-separated: the thread a field (its
    # name may hold spaces, `Service Thread`), level and logger also the event's first words, as
    # `iso` keeps them (QA Trino: `iso` kept the thread in the event, one GC message two events
    # by the JDK thread that wrote it)
    # Home Assistant's `home-assistant.log` (`2024-11-18 00:12:07.370 WARNING (MainThread)
    # [aioesphomeapi.reconnect_logic] msg`): thread and logger as fields, level and logger also
    # the event's first words, as `iso` kept them (QA Home Assistant: `auto` chose `iso`, and
    # `--by-field Component`, an integration's sessions, had no field to read)
    "homeassistant": BuiltinFormat(
        r"<Date> <Time> <Level> \(<ThreadName>\) \[<Component>\] <Content>",
        TimestampSpec(("Date", "Time"), _ISO_MS, expected="'2024-11-18 00:12:07.370 WARNING'"),
    ),
    "airlift": BuiltinFormat(
        "<Timestamp>\t<Level>\t<ThreadName>\t<Component>\t<Content>",
        TimestampSpec(("Timestamp",), ISO_8601, expected="'2026-12-04T10:21:11.123Z\tINFO\t...'"),
    ),
    # Apache Ignite's log4j2 layout, `[%d{ISO8601}][%-5p][%t][%c{1}] %m` (`[2026-12-05T10:00:01,
    # 234][WARN ][tcp-disco-msg-worker-[crd]-#2][TcpDiscoverySpi] Failed to send message ...`):
    # the thread a field, brackets in its name and all, level and logger the event's first
    # words (as `airlift`; QA Ignite: `iso` read `[WARN ][sys-stripe-3-#4][GridDhtAtomicCache]`
    # as one word, a variable, a warning and an error of one text one event)
    "ignite": BuiltinFormat(
        r"\[<Timestamp>\]\[<Level> *\]\[<ThreadName>\]\[<Component>\] <Content>",
        TimestampSpec(
            ("Timestamp",), ISO_8601, expected="'[2026-12-05T10:00:01,234][WARN ][main][G] ...'"
        ),
    ),
    # go-ethereum's terminal format (geth and its forks: `INFO [12-05|10:00:12.345] Imported
    # new potential chain segment     number=21,345,678 ...`, `ERROR[12-05|...]` with no space
    # after a five-letter level), the level a word of the event (as `level-first`), no year
    # (QA geth: `auto` read no format, and the natural format string rejected every `ERROR[`)
    # Cisco NX-OS's syslog, the year first (`2026 Dec  5 10:00:00 nx-leaf1 %ETHPORT-5-IF_UP:
    # Interface Ethernet1/12 is up in mode access`), a Nexus 7000's `%$ VDC-1 %$ ` before the
    # tag left out: the tag, `%FACILITY-SEVERITY-MNEMONIC`, leads the event, its severity digit
    # with it (QA NX-OS: `auto` read no format; a format string reading the digit as <Level>
    # met a `-2-` line of a `-5-` message unsaid, none of 0-7 a level word then)
    "nxos": BuiltinFormat(
        r"<Year> <Month> <Date> <Time> <Host> (%\$ VDC-[0-9]+ %\$ )?<Content>",
        TimestampSpec(
            ("Year", "Month", "Date", "Time"), _SYSLOG_YEAR, expected=_SYSLOG_YEAR_EXPECTED
        ),
    ),
    # Ceph's daemon logs (`2024-03-04T00:00:57.502+0000 7f3a2b9f7700 -1 osd.0 1233
    # heartbeat_check: no reply from ...`): the thread and the priority fields, the priority a
    # word of the event (-1 an error, `splitter`; QA Rook: `auto` chose `iso` and masked the
    # priority with the thread, an error one event with the same text logged at 0)
    "ceph": BuiltinFormat(
        r"<Timestamp> <ThreadId> +<Level> <Content>",
        TimestampSpec(("Timestamp",), ISO_8601, expected="'2024-03-04T00:00:57.502+0000'"),
    ),
    "geth": BuiltinFormat(
        r"<Level> ?\[<Date>\|<Time>\] <Content>",
        TimestampSpec(
            ("Date", "Time"),
            r"^(?P<m>\d\d)-(?P<d>\d\d) " + _NO_YEAR + "$",
            expected="'INFO [12-05|10:00:12.345]' (month-day|time, no year)",
        ),
    ),
    # Monero's easylogging++ lines, tab-separated (`2026-12-05 10:00:07.567\t[P2P7]\tWARNING\t
    # net.p2p\tsrc/p2p/net_node.inl:1234\t[1.2.3.4:18080 OUT] Failed to connect to peer`):
    # the thread and the source line fields, level and logger the event's first words (as
    # `airlift`; QA Monero: `iso` kept the thread, one message an event per P2P thread, and
    # `airlift` read the thread as the level)
    "monero": BuiltinFormat(
        "<Date> <Time>\t\\[<ThreadName>\\]\t<Level>\t<Component>\t<Location>\t<Content>",
        TimestampSpec(("Date", "Time"), ISO_8601, expected="'2026-12-05 10:00:07.567\t[P2P7]'"),
    ),
    # HashiCorp's hclog text (Consul, Vault, Nomad: `2026-12-04T10:21:11.123Z [INFO]  agent:
    # Requesting shutdown`): the level as a field; the logger's name stays the message's first
    # word (the LAN and the WAN memberlist are two sources of events). QA Consul: `iso` kept
    # `[INFO]` in the message, and two-word messages of one logger, `Requesting shutdown` and
    # `shutdown complete`, were one event, a new one (`Leaving datacenter`) a known key
    "hclog": BuiltinFormat(
        r"<Timestamp> \[<Level>\] +<Content>",
        TimestampSpec(
            ("Timestamp",),
            ISO_8601.replace("(?:[Tt ]|, )", "[Tt]"),  # RFC 3339's `T`: nginx's error log
            # (`2026/12/03 04:43:38 [error] ...`) is `nginx-error`'s
            expected="'2026-12-04T10:21:11.123Z [INFO]  agent: ...'",
        ),
    ),
    # Asterisk's full log (`[Dec  3 20:08:57] VERBOSE[30398][C-0000062f] pbx.c:     --
    # Executing [h@from-internal:1] ...`): level, thread and the call's id where the line has
    # one as fields, `--by-field CallId` a call's session (QA Asterisk: `auto` read no format)
    "asterisk": BuiltinFormat(
        r"\[<Month> <Date> <Time>\] <Level>\[<Pid>\](\[<CallId>\])? <Component>: <Content>",
        TimestampSpec(("Month", "Date", "Time"), _SYSLOG, expected="'[Dec  3 20:08:57]'"),
    ),
    # ... and with `logger.conf`'s `dateformat=%F %T`, FreePBX's (`[2025-12-01 00:00:53]
    # VERBOSE[23422][C-000001a1] ...`: QA Asterisk, every line rejected by `asterisk`, and
    # `auto` chose `iso`, the call's id left in every template)
    "asterisk-iso": BuiltinFormat(
        r"\[<Date> <Time>\] <Level>\[<Pid>\](\[<CallId>\])? <Component>: <Content>",
        TimestampSpec(("Date", "Time"), ISO_8601, expected="'[2025-12-01 00:00:53]'"),
    ),
    # ISC BIND's named, logging to files with `print-time` (`04-Dec-2026 10:21:11.123
    # general: info: zone example.com/IN: loaded serial 2026120401`; with `print-category` and
    # `print-severity` where the channel says so, a query log often without): category and
    # severity as fields where written (QA BIND: `auto` read no format)
    "bind": BuiltinFormat(
        r"<Date> <Time> (<Category>: <Level>: )?<Content>",
        _DAY_MONTH_YEAR,
    ),
    # Samba's debug header (`[2026/12/03 08:39:24.961380,  2, pid=29996, effective(1119,
    # 1001), real(0, 0)] ../../source3/smbd/open.c:1473(open_file)`, with `debug pid` and `debug
    # uid`, and `class=` for some classes): the debug level, process and ids as fields; the
    # message is on the next, indented line, so records are joined first (the summary says
    # how). The source location stays in the message: the event's site, before the words
    # (QA Samba: `iso` kept the header's ids in every template, and three winbindd requests
    # and smbd's `init_oplocks` were one event)
    "samba": BuiltinFormat(
        r"\[<Date> <Time>, +<DebugLevel>(, pid=<Pid>, effective\(<Euid>, <Egid>\), "
        r"real\(<Ruid>, <Rgid>\))?(, class=<Class>)?\] <Content>",
        TimestampSpec(("Date", "Time"), ISO_8601, expected="'[2026/12/03 08:39:24.961380,  2'"),
    ),
    # MySQL's and MariaDB's error log (`2026-12-01 00:16:55 3499 [Note] WSREP: ...`, MySQL 8's
    # `2026-12-04T13:30:25.123456Z 0 [System] [MY-010116] [Server] ...`): the thread id and the
    # level as fields (QA Galera: `iso` left the thread first in the message, a masked number
    # before `[Note]`, so `Shutdown complete` and `Winning thread:` were one event)
    "mysql": BuiltinFormat(
        r"<Timestamp> <Thread> \[<Level>\] <Content>",
        TimestampSpec(
            ("Timestamp",), ISO_8601, expected="'2026-12-01 00:16:55' or '2026-12-01T00:16:55Z'"
        ),
    ),
    # Spring Boot's default console and file layout (`2024-11-18 10:00:00.100  INFO 1 --- [
    # handlers-1] c.n.s.orca.q.handler.StartTaskHandler    : msg`; 3.x may name the
    # application first, `--- [orca] [handlers-1]`): level, pid, thread and logger as fields,
    # level and logger the event's first words, as `airlift`'s (QA Spinnaker: `iso` kept the
    # padded thread in the message, `[ <*>]` or `[<*>]` by whether a thread's number was all
    # digits, one event two templates)
    # ... and the trace context a tracer puts after the level, Zipkin's own `INFO
    # [15ee9650bd88ca26/ac04a8c50bac436e] 1 --- ...`, Sleuth's `[app,traceId,spanId,true]` (QA
    # Zipkin: `spring` refused every line, and `hadoop`, advised and chosen, read the context as
    # a process, every trace two sessions by field)
    "spring": BuiltinFormat(
        r"<Date> <Time> +<Level> +(\[<Trace>\] +)?<Pid> --- (\[<App>\] )?\[ *<ThreadName>\] "
        r"<Component> +: <Content>",
        TimestampSpec(
            ("Date", "Time"), ISO_8601, expected="'2024-11-18 10:00:00.100  INFO 1 --- [main] ...'"
        ),
    ),
    # Solr's log4j2 layout (`2026-03-04 08:00:03.000 INFO  (commitScheduler-22-thread-1) [c:products
    # s:shard1 r:core_node5 x:products_shard1_replica_n2 t:3f3a59702078e631] o.a.s.u.
    # DirectUpdateHandler2 end_commit_flush`, `[   ]` outside a core): thread, the MDC's
    # collection, shard, replica, core and trace id, and the logger as fields (QA Solr: `iso`
    # kept them in the event, 58 kinds of event 179 templates, a leader moving to another core
    # 283 false alarms; `--by-field Trace` a request's session)
    "solr": BuiltinFormat(
        r"<Date> <Time> +<Level> +\(<ThreadName>\) \[ *(c:<Collection> ?)?(s:<Shard> ?)?"
        r"(r:<Replica> ?)?(x:<Core> ?)?(t:<Trace> ?)?\] <Component> <Content>",
        TimestampSpec(
            ("Date", "Time"), ISO_8601, expected="'2026-03-04 08:00:03.000 INFO  (main) [   ] ...'"
        ),
    ),
    # PostgreSQL's log with Debian's `log_line_prefix` (`%m [%p] %q%u@%d `: `2024-05-14
    # 00:00:29.710 UTC [26986] grafana@tsdb LOG:  connection authenticated: ...`, a background
    # process's without `user@db`): the backend's pid, user, database and level as fields,
    # `--by-field Pid` a connection's or a worker's session (QA TimescaleDB: `iso` left `[<*>]`
    # first in every template and no session by pid without a format string)
    "postgres": BuiltinFormat(
        r"<Date> <Time>( <Zone>)? \[<Pid>\] (<User>@<Database> )?<Level>: +<Content>",
        TimestampSpec(
            ("Date", "Time"), ISO_8601, expected="'2024-05-14 00:00:29.710 UTC [26986] LOG: ...'"
        ),
    ),
    # 389 Directory Server's (FreeIPA's, Red Hat Directory Server's) access and errors logs:
    # the time in brackets as an access log writes it, to the nanosecond (`[02/Dec/2026:
    # 08:00:18.174040050 -0500] conn=1002 op=3 SRCH base=...`; QA FreeIPA: `auto` read no
    # format); generic, as any log that starts so
    "dirsrv": BuiltinFormat(r"\[<Time>\] <Content>", _NCSA_TIME, generic=True),
    # Pgpool-II's log with its default `log_line_prefix` (`%m: %a pid %p: `: `2025-03-10
    # 08:01:02.110: shop-api pid 2069: ERROR:  unable to read data from frontend`): the client's
    # application name (several words, `PostgreSQL JDBC Driver`; `child`, `main`, `watchdog`
    # for pgpool's own processes), the process id and the level as fields, `--by-field
    # source,Pid` a child's connections (QA Pgpool: `iso` kept the application's name in
    # every template, an event a template per client program)
    "pgpool": BuiltinFormat(
        r"<Date> <Time>( <Zone>)?: <App> pid <Pid>: <Level>: +<Content>",
        TimestampSpec(
            ("Date", "Time"), ISO_8601, expected="'2025-03-10 08:01:02.110: psql pid 2041: ...'"
        ),
    ),
    # Barman's (Python logging's `%(asctime)s [%(process)s] %(name)s %(levelname)s: %(message)s`:
    # `2026-11-29 00:00:01,163 [6004] barman.server INFO: Starting WAL archiving ...`): the
    # process, logger and level as fields, `--by-field source,Pid` a run's session (QA Barman:
    # `iso` left them in every event, and sessions by process needed a format string)
    "barman": BuiltinFormat(
        r"<Date> <Time> \[<Pid>\] <Component> <Level>: <Content>",
        TimestampSpec(("Date", "Time"), _ISO_MS, expected="'2026-11-29 00:00:01,163'"),
    ),
    # stunnel's own file (`output = /var/log/stunnel.log`: `2026.11.20 00:00:06 LOG5[ui]: ...`,
    # `LOG3[3120]: SSL_accept: ...`): syslog's level as a number and the connection (or `ui`,
    # `cron`) as fields (QA stunnel: `auto` read no format, and a format string's <Level> took
    # `LOG5` for no level)
    "stunnel": BuiltinFormat(
        r"<Date> <Time> LOG<Level>\[<Conn>\]: <Content>",
        TimestampSpec(
            ("Date", "Time"),
            r"^(?P<Y>\d{4})\.(?P<m>\d\d)\.(?P<d>\d\d) (?P<H>\d\d):(?P<M>\d\d):(?P<S>\d\d)$",
            expected="'2026.11.20 00:00:06'",
        ),
    ),
    # Apache Traffic Server's diags.log (`[Dec  1 00:00:05.129] [ET_NET 0] NOTE: loading plugin
    # ...`, `[Dec  1 00:00:05.009] traffic_server NOTE: ...`, before 9 `Server {0x2b4f...}
    # NOTE:`): the process, the thread and ATS's levels (`NOTE`, `STATUS`, `DIAG` beside
    # `WARNING`, `ERROR`) as fields (QA Traffic Server: `auto` read no format)
    "trafficserver": BuiltinFormat(
        r"\[<Month> <Date> <Time>\] (<Component> )?([\[{]<Thread>[\]}] )?<Level>: <Content>",
        TimestampSpec(("Month", "Date", "Time"), _SYSLOG, expected="'Dec  1 00:00:05.129'"),
    ),
    # ... and its error.log, timed as its rolled files are named (`20261201.00h32m25s CONNECT:
    # attempt fail [CONNECTION_CLOSED] to ...`; QA Traffic Server: `auto` read no format)
    "trafficserver-error": BuiltinFormat(
        "<Timestamp> <Content>",
        TimestampSpec(
            ("Timestamp",),
            r"^(?P<Y>\d{4})(?P<m>\d\d)(?P<d>\d\d)\.(?P<H>\d\d)h(?P<M>\d\d)m(?P<S>\d\d)s$",
            expected="'20261201.00h32m25s'",
        ),
    ),
    # GNU Mailman 3's runner logs (`mailman.log`, `smtp.log`, `bounce.log`: `Dec 01 00:00:05 2026
    # (1187) Master started`, its year after the time, the runner's pid in parentheses; QA
    # Mailman: `auto` chose `syslog-notag`, the year read as the host and the line dated by the
    # file's modification time, 2026 for lines that said 2024)
    "mailman": BuiltinFormat(
        r"<Month> <Date> <Time> <Year> \(<Pid>\) <Content>",
        TimestampSpec(
            ("Month", "Date", "Time", "Year"),
            r"^(?P<b>[A-Za-z]{3}) +(?P<d>\d{1,2}) " + _NO_YEAR + r" (?P<Y>\d{4})$",
            expected="'Dec 01 00:00:05 2026'",
        ),
    ),
    # Tinyproxy's own file (`CONNECT   Dec 04 00:00:00 [1295]: Connect (file descriptor 7):
    # ...`): its level first, padded, then the time without a year and the worker's pid (QA
    # Tinyproxy: `auto` read no format, and `CONNECT` was said to name no level)
    "tinyproxy": BuiltinFormat(
        r"<Level> +<Month> <Date> <Time> \[<Pid>\]: <Content>",
        TimestampSpec(("Month", "Date", "Time"), _SYSLOG, expected="'Dec 04 00:00:00'"),
    ),
    # Kannel's (bearerbox, smsbox, wapbox: gwlib's `2026-11-21 00:00:01 [2417] [0] INFO: msg`,
    # its process and thread ids and level as fields; its access log's lines, `2026-11-21
    # 00:00:01 Sent SMS [SMSC:...]`, without them: QA Kannel, `auto` read the pid as a time
    # zone by `postgres`, and the three files together had no format of their own)
    "kannel": BuiltinFormat(
        r"<Date> <Time> (\[<Pid>\] \[<Thread>\] <Level>: )?<Content>",
        TimestampSpec(
            ("Date", "Time"), ISO_8601, expected="'2026-11-21 00:00:01 [2417] [0] INFO: ...'"
        ),
    ),
    # Ruby's Logger (Rails, Sidekiq, Puma: `I, [2026-11-20T10:15:02.123456 #12345]  INFO --
    # app: msg`, the program name often empty: `-- : msg`); its first letter repeats the level
    # (QA Rails: no built-in format read it); Zammad's writes the thread after the pid,
    # `#5884-636044` (QA Zammad: `auto` read no format, the pid no number)
    "ruby": BuiltinFormat(
        r"<Letter>, \[<Timestamp> #<Pid>(-<Thread>)?\] <Level> -- <Component>: <Content>",
        TimestampSpec(("Timestamp",), ISO_8601, expected="'2026-11-20T10:15:02.123456'"),
    ),
    # web servers' access logs (NCSA common/combined log format: Apache httpd's and nginx's
    # default): the request and its status are the message; size, referrer and user agent
    # are fields (QA: with the agent in the message, each browser had templates of its own
    # and every visit from a browser new since training was flagged); what a server writes
    # after the agent (nginx's `$request_time`, a forwarded-for address) is left out
    # Python's logging with colons between its parts, `%(asctime)s:%(levelname)s:%(name)s:
    # %(message)s` (certbot's `2026-11-02 05:53:51,203:DEBUG:certbot._internal.main:...`): the
    # level and logger as fields (QA certbot: `iso` read the date alone, every line dated at
    # midnight and its time of day a template's first words)
    "certbot": BuiltinFormat(  # (`[:]`: a pattern, so lines are split by the regex, whose
        # <Time> holds its own colons, never at the first colon of a literal split)
        "<Date> <Time>[:]<Level>:<Component>:<Content>",
        TimestampSpec(("Date", "Time"), ISO_8601, expected="'2026-11-02 05:53:51,203'"),
    ),
    # Jetty's own log (9.4's StdErrLog, `2024-03-25 08:00:06.090:INFO:ces.RequestFilter:qtp18462
    # 74136-18: msg`; 10's and 12's jetty-slf4j-impl pad the level, `INFO :oejs.Server:main:`):
    # level, logger and thread as fields (QA Jetty: `certbot` kept the thread in the event,
    # `main: Scavenging every <*>` and `Session-HouseKeeper-<*>: ...` two events of one)
    "jetty": BuiltinFormat(
        "<Date> <Time>[:]<Level> ?:<Component>:<ThreadName>: <Content>",
        TimestampSpec(("Date", "Time"), ISO_8601, expected="'2024-03-25 08:00:06.090:INFO:...'"),
    ),
    # FreeSWITCH's log (`freeswitch.log`: `2026-11-16 08:00:02.356515 93.31% [DEBUG] sofia.c:7084
    # msg`, a channel's lines led by its UUID, 1.10's idle CPU after the time): the channel,
    # level and source file as fields, `--by-field Uuid` a channel's session (QA FreeSWITCH:
    # `auto` knew no format for it)
    "freeswitch": BuiltinFormat(
        r"(<Uuid> )?<Date> <Time>( <IdleCpu>)? \[<Level>\] <Component> <Content>",
        TimestampSpec(
            ("Date", "Time"), ISO_8601, expected="'2026-11-16 08:00:02.356515 [DEBUG] ...'"
        ),
    ),
    # Portainer's log (zerolog's console writer with Portainer's `2006/01/02 03:04PM`: `2024/03/11
    # 12:00AM INF github.com/portainer/portainer/api/.../main.go:530 > msg | key=value`): a
    # 12-hour clock to the minute, the level and the source file as fields (QA Portainer:
    # `auto` knew no format, and the advised `<Timestamp> <Content>` dated every line midnight)
    "portainer": BuiltinFormat(
        "<Date> <Time> <Level> <Component> > <Content>",
        TimestampSpec(
            ("Date", "Time"),
            r"^(?P<Y>\d{4})/(?P<m>\d\d)/(?P<d>\d\d) (?P<I>\d{1,2}):(?P<M>\d\d)"
            r"(?::(?P<S>\d\d))?(?P<p>[AaPp][Mm])$",
            expected="'2024/03/11 12:00AM'",
        ),
    ),
    # SonarQube's logs (sonar.log, web.log, ce.log, es.log: `2026.11.02 00:05:11 INFO
    # ce[AYmAG_dzi10z7t62z5nH][o.s.c.t.CeWorkerImpl] Execute task | ...`, a dotted date): the
    # process, the task's or request's id and the logger as fields, `--by-field TaskId` a
    # compute engine task's session (QA SonarQube: `auto` read no format for the date)
    "sonarqube": BuiltinFormat(
        r"<Date> <Time> <Level> +<Process>\[<TaskId>\]\[<Component>\] <Content>",
        TimestampSpec(
            ("Date", "Time"),
            r"^(?P<Y>\d{4})\.(?P<m>\d\d)\.(?P<d>\d\d) " + _NO_YEAR + "$",
            expected="'2026.11.02 00:05:11'",
        ),
    ),
    # Pi-hole's FTL (`pihole-FTL.log`, v5: `[2025-11-23 02:00:00.301 812M] Notice: msg`, a
    # thread's `812/T820`; v6: `2025-11-23 02:00:00.301 CET [812M] INFO: msg`): the process
    # and thread and the level as fields (QA Pi-hole: `iso` kept `812M]` and `812/T820]` in
    # every template, one message two events by the thread that wrote it)
    "pihole-ftl": BuiltinFormat(
        r"\[?<Date> <Time>( <Zone>)? \[?<Process>\] (<Level>: )?<Content>",
        TimestampSpec(
            ("Date", "Time"), ISO_8601, expected="'[2025-11-23 02:00:00.301 812M] ...'"
        ),
    ),
    # ... the message is the quoted request and the status, nothing after them: a server that
    # writes its own fields there (Nexus's `200 - 1491585 1045 "Apache-Maven/3.8.8" [qtp-398]`)
    # had its thread read as the size and the agent and byte counts kept in the event (QA)
    # ... and the virtual host a server may write before the request (APISIX's default
    # `... [05/Dec/2026:10:00:03 +0100] api.example.com "GET ..."`: QA, no built-in format read
    # it, and `auto` blamed the time)
    "access": BuiltinFormat(
        r'<Client> <Ident> <User> \[<Time>\] (<Vhost> )?<Content>( <Size>( "<Referer>" "<Agent>")?'
        # ... and what a server writes after them, kept in a field (Traefik's request count,
        # router, backend and duration: QA, in no field, unsaid)
        r"(\s<Extra>)?)?",
        _NCSA_TIME,
    ),
    # Amazon S3's server access logs (`79a59df9... acme-app-uploads [03/Dec/2026:00:00:05 +0000]
    # 10.0.1.13 arn:aws:sts::...:assumed-role/app/i-0777 FD7481FF004B30EE REST.HEAD.OBJECT key
    # "HEAD /key HTTP/1.1" 200 - ...`): the owner, bucket, client, requester and request id as
    # fields, the operation onward the message (QA S3: `auto` read no format)
    "s3": BuiltinFormat(
        r"<Owner> <Bucket> \[<Time>\] <Client> <Requester> <RequestId> <Content>",
        _NCSA_TIME,
    ),
    # the kernel's ring buffer as `dmesg` prints it, seconds since boot in brackets
    # (`[  120.766080] eth0: renamed from veth2e6f5b4`; QA: `auto` knew no format for it)
    "dmesg": BuiltinFormat(
        r"\[<Timestamp>\] <Content>",
        TimestampSpec(("Timestamp",), epoch=True, expected="seconds since boot, '[  120.766080]'"),
    ),
    # logfmt lines (logrus text, Go kit, Prometheus), read as JSON lines by `logfmt.py`
    "logfmt": BuiltinFormat(
        "<Timestamp> <Level> <Component> <Content>",
        TimestampSpec(("Timestamp",), ISO_8601, epoch=True, expected=f"ISO 8601 or {EPOCH}"),
    ),
    # TiDB's unified log format (TiDB, TiKV, PD, TiFlash): `[2026/12/05 10:00:01.456 +08:00]
    # [INFO] [server.go:570] ["new connection"] [conn=2097154]`, read as named fields by
    # `unified.py` (QA TiDB: as text, every quoted message was one variable)
    "tidb": BuiltinFormat(
        "<Timestamp> <Level> <Component> <Content>",
        TimestampSpec(("Timestamp",), ISO_8601, expected="'[2026/12/05 10:00:01.456 +08:00]'"),
    ),
    # W3C extended log files (IIS), decoded by `w3c.py` (the string names its columns)
    "w3c": BuiltinFormat(
        "<Timestamp> <Client> <User> <Server> <Port> <Agent> <Referer> <TimeTaken> <Content>",
        TimestampSpec(
            ("Timestamp",), ISO_8601, epoch=True, expected="'2026-11-20 10:15:02' or epoch seconds"
        ),
    ),
    # one JSON object per line, decoded by `json_lines.py` (the string names its columns)
    "json": BuiltinFormat(
        "<Timestamp> <Level> <Component> <Content>",
        TimestampSpec(("Timestamp",), ISO_8601, epoch=True, expected=f"ISO 8601 or {EPOCH}"),
    ),
    # any application's lines that start with an ISO 8601 time (`2024-06-14 15:16:01,123`,
    # `2024-06-14T15:16:01.5Z`, `2024/06/14 15:16:01`, as Python's logging, log4j, logback and
    # Go write them; also in brackets, `[2024-06-14 15:16:01]`): the level and logger words
    # stay in the message, so an ERROR line is its own template; a colon may end the time
    # (Celery: `[2026-11-20 10:15:02,123: INFO/ForkPoolWorker-3] ...`; QA: every line had
    # been dated at midnight, its time of day left in the message)
    "iso": BuiltinFormat(
        r"\[?<Timestamp>(?::?\]\s*|[:,]?\s+)<Content>",
        TimestampSpec(
            ("Timestamp",),
            ISO_8601,
            expected="an ISO 8601 time such as "
            "'2024-06-14 15:16:01,123' or '2024-06-14T15:16:01Z' first",
        ),
        generic=True,
    ),
    "raw": BuiltinFormat("<Content>"),
}

# Names users try for loggers and servers whose lines a built-in format reads (QA: `log4j`)
FORMAT_ALIASES = {
    name: "iso" for name in ("log4j", "log4j2", "logback", "slf4j", "python", "logging", "go")
} | {"syslog": "linux (or rfc3164 / rfc5424)", "nginx": "access (or nginx-error)",
     "httpd": "access",
     "ssh": "openssh", "sshd": "openssh", "kubernetes": "klog", "k8s": "klog",
     "typesense": "glog-year",
     "jsonl": "json", "ndjson": "json", "named": "bind", "smbd": "samba"}  # fmt: skip

# Built-in formats whose program name is one word: where the host or the tag may be missing,
# a message's own `: ` must not make its first words a program
# (no parentheses nor angle brackets: Dovecot's `imap(alice)<20187><gkwXm9eh>` is a context)
_ONE_WORD_PROGRAM = frozenset({"syslog-nohost", "syslog-notag", "rfc3164", "dovecot", "krb5"})

# Other names of built-in formats: Zeek's (Bro's) TSV logs are read by `w3c` (`w3c.py`)
SAME_FORMAT = {"zeek": "w3c", "bro": "w3c", "iis": "w3c", "httperr": "w3c",
               "cassandra": "level-first"}  # fmt: skip

# Generic formats whose `<Timestamp>` must hold a date (with its time, or one word that is a
# date, `_DATED_WORD`): the other lines, `Caused by: ...` and `Container id: ...`
# of a stack trace, are rejected as continuation lines, not parsed into `Caused` and a message
# `by: ...` (QA).
_DATED_LINES_ONLY = frozenset({"iso"})
# `syslog-iso`'s time: one word, not ending in a colon (PM2's `2026-12-04T10:17:00: PM2 log:
# ...` is `iso`'s: QA, `PM2` read as the host, `log` and `error` as the program)
_RFC3339_WORD = r"\d{4}-\d\d-\d\dT\d\d:\d\d(?:\S*[^\s:])?"
_DATED_WORD = r"\d{4}[-/]\d[^\s\]]*"


# Fields of built-in formats whose text is their own, by (format, field), where the generic
# patterns of `compile_format` would read a wrong line as theirs. `_READS_TO_LINE_END` comes
# before the fields after <Content> take one word each; `_BUILTIN_FIELDS` after.
_READS_TO_LINE_END = {
    ("access", "Content"): r'"(?:[^"\\]|\\.)*" \S+',  # `"GET / HTTP/1.1" 200`
    ("access", "Vhost"): r'[^\s"]+',  # one word, never the request
    ("access", "Extra"): r".*",  # the rest of the line
}
_BUILTIN_FIELDS = {
    # one word: a date (`2024-06-14T15:16:01Z`); `1 error`, `12 tests completed` of a
    # compiler's or test runner's output are rejected (QA CI); the date starts with a digit
    **{(name, "Timestamp"): _DATE_TIME.replace(r"[^\s:]+", r"\d[^\s:]*", 1) + "|" + _DATED_WORD
       for name in _DATED_LINES_ONLY},
    ("nagios", "Timestamp"): r"\d{9,10}",  # epoch seconds, else rejected
    ("mosquitto", "Timestamp"): r"\d{9,10}",
    ("syslog-iso", "Timestamp"): _RFC3339_WORD,
    ("logread", "Facility"): _FACILITIES,  # syslog's facilities only
    ("qbittorrent", "Level"): "[NIWC]",  # its level letters only
    ("pgbackrest", "Process"): "P[0-9]{2,3}",  # `P00`, its worker's
    ("pgbackrest", "Level"): "ASSERT|ERROR|WARN|INFO|DETAIL|DEBUG|TRACE",  # right-aligned
    # brackets inside a thread's name, `tcp-disco-msg-worker-[crd]-#2`
    ("ignite", "ThreadName"): r"(?:[^\[\]]|\[[^\[\]]*\])*?",
    ("ignite", "Level"): "[A-Z]+",  # a word, padded after it
    ("nginx-error", "Pid"): "[0-9]+",
    ("nginx-error", "Tid"): "[0-9]+",
    # its level letter, else no line of its own (QA PeerTube: `[peertube.example.com:443]
    # 2026-12-05 ... info: ...` read with the host as the level and the message as the
    # logger, and chosen)
    ("tornado", "Level"): "[DIWEC]",
    ("geth", "Level"): "TRACE|DEBUG|INFO|WARN|ERROR|CRIT",  # its levels, padded or not
    # a weekday, else none (QA osquery: the weekday swallowed a JSON line's start up to
    # `calendarTime`'s `"Thu`, 0 rejects, the query's name gone from every template)
    ("ctime", "Dow"): "[A-Z][a-z]{2}",
    ("freeswitch", "Uuid"): "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    ("freeswitch", "IdleCpu"): r"[0-9.]+%",
    ("freeswitch", "Level"): "[A-Z]+",
    ("freeswitch", "Component"): r"[\w.-]+:[0-9]+",  # its source file and line, `sofia.c:7084`
    ("portainer", "Time"): r"\d{1,2}:\d\d(?::\d\d)?[AaPp][Mm]",
    ("portainer", "Level"): "TRC|DBG|INF|WRN|ERR|FTL|PNC|\\?\\?\\?",
    ("sonarqube", "Level"): "[A-Z]+",
    ("sonarqube", "Process"): "app|web|ce|es|[a-z]+",
    ("sonarqube", "TaskId"): r"[\w-]*",
    ("pihole-ftl", "Process"): r"[0-9]+(?:[MF]|/[TF][0-9]+)",  # main, a fork, a thread
    ("pihole-ftl", "Zone"): r"[A-Z]{2,5}|[+-][0-9]{4}",
    ("pihole-ftl", "Level"): "EMERG|ALERT|CRIT|ERROR|WARNING|WARN|NOTICE|INFO|DEBUG"
    "|Error|Warning|Notice|Info|Debug",
    ("pgpool", "App"): r"[^:]*?",  # the client's, any words (`[unknown]` before it says)
    ("pgpool", "Pid"): "[0-9]+",
    ("pgpool", "Level"): "[A-Z]+[0-9]?",
    ("rfc5424", "StructuredData"): (  # IANA's elements, each param `name="value"`
        r'(?:\[(?:meta|origin|timeQuality)(?: [^\]"]*"(?:[^"\\]|\\.)*")*\])+'
    ),
    ("lsf", "Year"): "[0-9]{4}",
    ("lsf", "Pid"): "[0-9]+",
    ("lsf", "Level"): "[0-7]",  # syslog's severity, 3 an error, 6 information
    ("lsf", "Version"): r"[0-9]+(?:\.[0-9]+)+",
    ("postgres", "Pid"): "[0-9]+",
    # a zone's name or offset (`UTC`, `CET`, `+01`, `America/New_York`), never a bracketed
    # number: Kannel's `2026-11-21 00:00:01 [2417] [0] INFO: ...` read its pid as the zone
    # and its thread as the pid, the advice to set PostgreSQL's log_timezone (QA Kannel)
    ("postgres", "Zone"): r"[A-Za-z+-][\w+:/-]*",
    ("spring", "Level"): "[A-Z]+",
    ("spring", "Pid"): "[0-9]+",
    ("spring", "Trace"): r"[^\]\s]*",
    ("spring", "App"): r"[^\]\s]*",
    # a thread's name up to the `] ` before the logger, its own `]` too: Spring's `%15.15t`
    # cuts Camunda's `JobExecutor[...SpringJobExecutor]` to `ingJobExecutor]` (QA Camunda:
    # `[ingJobExecutor]]`, 64% of an engine's lines rejected, the advice naming `iso`)
    ("spring", "ThreadName"): r".*?",
    ("spring", "Component"): r"\S+",
    ("barman", "Pid"): "[0-9]+",
    ("barman", "Component"): r"[A-Za-z_][\w.]*",
    ("barman", "Level"): "[A-Z]+",
    ("stunnel", "Level"): "[0-7]",  # syslog's severity, 3 an error, 5 a notice
    ("stunnel", "Conn"): r"[^\]\s]+",
    ("trafficserver", "Component"): r"[A-Za-z_][\w.-]*",
    ("trafficserver", "Thread"): r"[^\]}]+",
    ("trafficserver", "Level"): "[A-Z]+",
    ("trafficserver-error", "Timestamp"): "[0-9]{8}[.][0-9]{2}h[0-9]{2}m[0-9]{2}s",
    ("mailman", "Year"): "[0-9]{4}",
    ("mailman", "Pid"): "[0-9]+",
    ("tinyproxy", "Level"): "[A-Z]+",
    ("tinyproxy", "Pid"): "[0-9]+",
    ("kannel", "Date"): "[0-9]{4}-[0-9]{2}-[0-9]{2}",  # (its header optional: no other word
    ("kannel", "Time"): "[0-9]{2}:[0-9]{2}:[0-9]{2}",  # splits as a date and a time)
    ("kannel", "Pid"): "[0-9]+",
    ("kannel", "Thread"): "[0-9]+",
    ("kannel", "Level"): "[A-Z]+",
    ("postgres", "User"): r"[^\s@]*",
    ("postgres", "Database"): r"[^\s@]*",
    ("postgres", "Level"): "[A-Z]+[0-9]?",  # LOG, ERROR, FATAL, DETAIL, ..., DEBUG1
    ("logread", "Dow"): "[A-Z][a-z]{2}",
    # `0x1a2b3`: QA Synapse, `macos` read `- synapse.access.http.8008 - 460 - INFO - ...`
    # with its logger as the level, tied with `iso` and was picked
    ("macos", "Thread"): "0x[0-9a-f]+",
    ("macos", "Activity"): "0x[0-9a-f]+",
    ("certbot", "Time"): "[0-9]{2}:[0-9]{2}:[0-9]{2}(?:[,.][0-9]+)?",  # its colons its own
    ("level-first", "Level"): LEVEL_FIRST_WORDS,  # a level word, else none
    ("ceph", "Timestamp"): r"\d{4}-\d\d-\d\dT\S+",
    ("homeassistant", "Level"): "[A-Z]+",
    ("homeassistant", "ThreadName"): r"[^()]*",
    ("homeassistant", "Component"): r"[^\[\]\s]+",
    ("ceph", "ThreadId"): "[0-9a-f]{8,16}",  # hex without 0x (`auto._NUMBER_FIELDS`)
    ("ceph", "Level"): "-?[0-9]{1,2}",
    ("crdb", "LevelDate"): "[IWEF][0-9]{6}",  # else no line of its own
    # a level letter and its date, else no klog line (QA ingress-nginx: `--format klog` read
    # the controller's access lines as klog's, 18,696 of them one template of garbage fields)
    ("klog", "LevelDate"): "[IWEF][0-9]{4}",
    ("glog-year", "LevelDate"): "[IWEF][0-9]{8}",
    # (not a Cisco mnemonic, `%LINK-3-UPDOWN`: the event, not its program; QA)
    **{(name, "Component"): r"[^\s\[\]:()<>%][^\s\[\]:()<>]*" for name in _ONE_WORD_PROGRAM},
}  # fmt: skip

# Output columns every events file has; header fields may not take these names.
RESERVED_COLUMNS = {"line_no", "source", "timestamp", "content", "template_id", "template",
                    "params", "label"}  # fmt: skip
# A format string's field whose value leads the event's words, as a record's type does in
# built-in formats (auditd's): Drupal's `\|<Event>\|`, `page not found` beside `access denied`
EVENT_FIELD = "Event"
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_FIELD = re.compile(r"<([A-Za-z_][A-Za-z0-9_]*)>")


def bare_name(name: str) -> str:
    """A field, column or category name compared by its letters and digits: `is_anomaly`,
    `IsAnomaly` and `is anomaly` are one name, as are `TZ` and `tz`."""
    return re.sub(r"[\W_]+", "", name.lower())


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
    # the user's --year / --timestamp-format (`--format auto`: for the format it picks; others:
    # to test other formats the same way when suggesting one)
    year: int | None = None
    timestamp_format: str | None = None
    # the user's --timezone: the zone of times that carry no UTC offset of their own (None: UTC)
    timezone: str | None = None
    # the format string as the user wrote it (messages); `format` has field brackets escaped
    written: str = ""
    # what an optional <Timestamp> may hold besides a date and time (`compile_format`)
    timestamp_words: str = ""

    @property
    def is_raw(self) -> bool:
        return self.fields == ["Content"]

    @property
    def is_auto(self) -> bool:
        """A placeholder: the parser picks a built-in format from the first lines it reads."""
        return self.name == AUTO


AUTO = "auto"


def format_names() -> list[str]:
    """The built-in format names, sorted, with the other names one goes by (`w3c (zeek)`: QA
    Zeek, a user found no Zeek format in --help)."""
    others: dict[str, list[str]] = {}
    for alias, name in SAME_FORMAT.items():
        others.setdefault(name, []).append(alias)
    return [
        f"{name} ({', '.join(others[name])})" if name in others else name
        for name in sorted(BUILTIN_FORMATS)
    ]


def resolve_format(
    spec: str,
    year: int | None = None,
    timestamp_format: str | None = None,
    timezone: str | None = None,
) -> LogFormat:
    """A built-in name (case-insensitive), `auto`, or a loghub-style format string ->
    `LogFormat`. `year` fills in the year of formats that do not write one; `timestamp_format`
    (strptime-like, see `strptime_pattern`) replaces the format's own timestamp rule;
    `timezone` is the zone of times without an offset of their own (`zones.check_timezone`)."""
    fmt = _resolve_format(spec, year, timestamp_format)
    fmt.timezone = timezone
    return fmt


def _resolve_format(spec: str, year: int | None, timestamp_format: str | None) -> LogFormat:
    _check_year(year)
    key = spec.strip().lower()
    if key == AUTO:
        if timestamp_format is not None and not _is_epoch_format(timestamp_format):
            strptime_pattern(timestamp_format)  # checked now, not after the first chunk
        fmt = compile_format("<Content>", AUTO)
        fmt.year, fmt.timestamp_format = year, timestamp_format
        return fmt
    key = SAME_FORMAT.get(key, key)
    builtin = BUILTIN_FORMATS.get(key)
    if builtin is not None:
        fmt = compile_format(builtin.format, key, builtin.timestamp, builtin.label)
    elif "<" not in spec:
        alias = FORMAT_ALIASES.get(key)
        hint = f" ({spec} writes what {alias} reads)" if alias else ""
        raise LogbertError(
            f"unknown format {spec!r}{hint}: use one of {', '.join(format_names())}, auto (pick "
            "one from the first lines), or a format string such as "
            "'<Date> <Time> <Level> <Component>: <Content>'"
        )
    else:
        # a <Label> field labels each line as BGL's does (`-` or normal: normal; anything
        # else: an anomaly of that category), so windows of the log can be evaluated
        words = None
        if timestamp_format is not None and "<Timestamp>" in spec:
            words = (
                _EPOCH_WORD if _is_epoch_format(timestamp_format)  # (QA OpenLDAP: `%s` alone
                # was refused as "must be the whole format" beside a <Timestamp> field)
                else re.sub(r"\(\?P<\w+>", "(?:", strptime_pattern(timestamp_format))[1:-1]
            )
        label = "Label" if "<Label>" in spec else None
        fmt = compile_format(spec, "custom", label=label, timestamp_words=words)
        fields = _clock_fields(fmt.fields)
        if fields is not None and "Year" in fields:  # a syslog time with its <Year> field
            fmt.timestamp = TimestampSpec(fields, _SYSLOG_YEAR, expected=_SYSLOG_YEAR_EXPECTED)
        elif fields is not None and "Month" in fields:  # loghub's syslog formats: no year
            fmt.timestamp = TimestampSpec(fields, _SYSLOG, expected=_SYSLOG_EXPECTED)
        elif fields is not None:  # ISO 8601 or epoch time; others need --timestamp-format
            fmt.timestamp = TimestampSpec(
                fields, ISO_8601, epoch=True, expected=f"ISO 8601 or {EPOCH}"
            )
        elif (lone := _clock_fields(fmt.fields, loose=True)) is not None:
            # `<Time>` alone often holds the whole timestamp (`2024-03-05T10:00:00Z`); left
            # out, every line went undated without a word
            fmt.timestamp = TimestampSpec(
                lone, ISO_8601, epoch=True, expected=f"ISO 8601 or {EPOCH}", guessed=True
            )
    if timestamp_format is not None:
        fields = fmt.timestamp.fields if fmt.timestamp else _clock_fields(fmt.fields, loose=True)
        if fields is None:
            raise LogbertError(
                f"--timestamp-format: format {display_name(fmt)} has no <Timestamp>, <Date> or "
                "<Time> field to read it from: name the field in the format string"
            )
        # a 12-hour clock's AM/PM in a field of its own joins them (QA IBM MQ: `<Date> <Time>
        # <AMPM>` with '%m/%d/%Y %I:%M:%S %p' was refused, no field name took it)
        if "%p" in timestamp_format:
            fields = (*fields, *(f for f in fmt.fields if f.lower() in _MERIDIEM_FIELDS))
        # joined in the line's order, as the user reads it (`20 Nov 2026`: '%d %b %Y'; QA
        # Redis: only '%Y %b %d' worked, the fields joined in `_clock_fields`' order)
        in_line_order = tuple(f for f in fmt.fields if f in fields)
        fmt.timestamp = timestamp_spec(in_line_order, timestamp_format)
    fmt = with_year(fmt, year)
    fmt.timestamp_format = timestamp_format
    return fmt


def _check_year(year: int | None) -> None:
    if year is not None and not 1 <= year <= 9999:
        raise LogbertError(f"--year {year} is not a year: pass four digits, e.g. 2024")


def with_year(fmt: LogFormat, year: int | None) -> LogFormat:
    """A copy of `fmt` whose timestamps without a year take `year` (None: each input's own,
    from its modification time or the current date). A model's parser is re-dated this way
    for the logs it scores: the year given at training dated the training files only."""
    _check_year(year)
    fmt = copy.copy(fmt)
    ts = fmt.timestamp
    if ts is not None and ts.needs_year:
        fmt.timestamp = replace(ts, year=year)
    fmt.year = year
    return fmt


_MERIDIEM_FIELDS = frozenset({"ampm", "meridiem", "period", "am_pm"})


def _clock_fields(names: list[str], loose: bool = False) -> tuple[str, ...] | None:
    """The header fields of a format string that hold its time: `<Timestamp>`, else a syslog
    `<Month>` with its day (`<Day>`, else `<Date>`, as loghub writes Linux) and `<Time>` (and
    `<Year>` when the format has one: then the year is read, not supplied),
    else `<Date>` and `<Time>`; with `loose` (an explicit --timestamp-format) also `<Time>` or
    `<Date>`. Month, day and time are joined in that order whatever their order in the line."""
    if "Timestamp" in names:
        return ("Timestamp",)
    if "Month" in names and "Time" in names:
        for day in ("Day", "Date"):
            if day in names:
                return ("Year", "Month", day, "Time") if "Year" in names else ("Month", day, "Time")
    if "Date" in names and "Time" in names:
        return ("Date", "Time")
    if loose:
        for name in ("Time", "Date"):
            if name in names:
                return (name,)
    return None


# strptime directives -> RE2 (named groups as in the timestamp specs above)
_DIRECTIVES = {
    "Y": r"(?P<Y>\d{4})",
    "y": r"(?P<y>\d\d)",
    "m": r"(?P<m>\d{1,2})",
    "d": r"(?P<d>\d{1,2})",
    "e": r" ?(?P<d>\d{1,2})",
    "H": r"(?P<H>\d{1,2})",
    "I": r"(?P<I>\d{1,2})",  # a 12-hour clock's hour, with %p (Windows' `1:05:02 PM`)
    "p": r"(?P<p>[AaPp]\.?[Mm]\.?)",
    "M": r"(?P<M>\d{1,2})",
    "S": r"(?P<S>\d{1,2})",
    "f": r"(?P<f>\d{1,9})",
    "b": r"(?P<b>[A-Za-z]{3})",
    "h": r"(?P<b>[A-Za-z]{3})",
    "B": r"(?P<b>[A-Za-z]{3,9})",
    "a": r"[A-Za-z]{3}",
    "A": r"[A-Za-z]+",
    # ... and Db2's signed minutes, `2026-12-04-13.30.25.123456+060` (QA db2diag: no spelling
    # read it; a literal `+060` in the format parsed, every time an hour off, unsaid)
    "z": r"(?P<z>[Zz]|[+-]\d\d(?::?\d\d)?|[+-]\d{3})",
    "T": r"(?P<H>\d{1,2}):(?P<M>\d{1,2}):(?P<S>\d{1,2})",
    "F": r"(?P<Y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})",
    "%": "%",
}


_EPOCH_WORD = r"[0-9]+(?:\.[0-9]+)?"  # what `--timestamp-format %s` reads in a <Timestamp>


def _is_epoch_format(text: str) -> bool:
    """Whether a --timestamp-format is `%s` alone: epoch time (`timestamp_spec`)."""
    return text.strip() == "%s"


def strptime_pattern(text: str) -> str:
    """A strptime-like format (`%Y-%m-%d %H:%M:%S`, `%d/%b/%Y:%H:%M:%S %z`, ...) as the RE2
    pattern timestamp specs use. Directives: %Y %y %m %d %e %H %I (with %p) %M %S %f %b %h %B
    %a %A %z %T %F %%; a space matches any run of whitespace; without %Y/%y the year comes
    from --year or the file's modification time. `%s` alone means epoch time (see
    `timestamp_spec`); with other directives it is an error saying so."""
    out, i, seen = "^", 0, set()
    while i < len(text):
        c = text[i]
        if c == "%":
            d = text[i + 1 : i + 2]
            if d == "s":
                raise LogbertError(
                    f"--timestamp-format {text!r}: %s (epoch time) must be the whole format: "
                    f"pass '%s' alone; it reads {EPOCH}, with or without a decimal fraction "
                    "(1710036000.123, 1710036000123)"
                )
            if d == "Z":  # QA WebSphere: `%z` was offered, which reads no `CET`
                raise LogbertError(
                    f"--timestamp-format {text!r}: %Z (a zone name) is not read here; put the "
                    "zone in a field of its own in the format string, `[<Date> <Time> <Zone>]`, "
                    "and leave it out of --timestamp-format: a <Zone> beside the time is applied "
                    "where its name has one meaning (CET, EST, Europe/Paris)"
                )
            if d not in _DIRECTIVES:
                raise LogbertError(
                    f"--timestamp-format {text!r}: %{d} is not supported; use "
                    f"{' '.join('%' + k for k in _DIRECTIVES)} (e.g. '%Y-%m-%d %H:%M:%S'), or "
                    "%s alone for epoch time"
                )
            groups = set(re.findall(r"\(\?P<(\w)>", _DIRECTIVES[d]))
            if groups & seen:
                raise LogbertError(f"--timestamp-format {text!r} gives a field twice (%{d})")
            seen |= groups
            out += _DIRECTIVES[d]
            i += 2
            if d == "S" and "%f" not in text:  # a fraction the format does not name: read
                out += _OPTIONAL_FRACTION  # (QA PBS: each daemon sets its own precision)
            elif d == "S" and text[i : i + 3] in (".%f", ",%f"):  # ... nor one it names
                out += r"(?:[.,](?P<f>\d{1,9}))?"
                seen.add("f")
                i += 3
        elif c.isspace():
            while i < len(text) and text[i].isspace():
                i += 1
            out += r"\s+"
        else:
            out += re.escape(c)
            i += 1
    literal = re.search(r"[+-](?:\d\d:?\d\d|\d{2,3})(?!\d)", re.sub(r"%.", " ", text))
    if literal:  # QA db2diag: `...%f+060` parsed, and every time was read as UTC, an hour off
        raise LogbertError(
            f"--timestamp-format {text!r}: {literal[0]!r} is written as literal text, so the "
            "times would be read as UTC, off by that offset: write %z in its place, which reads "
            "and applies it (+01:00, +0100, +01, Z, and Db2's minutes, +060)"
        )
    if "I" in seen and ("p" not in seen or "H" in seen):
        raise LogbertError(
            f"--timestamp-format {text!r}: %I is a 12-hour clock's hour and needs %p (AM or PM) "
            "and no %H, e.g. '%m/%d/%Y %I:%M:%S %p'"
        )
    if not ({"m", "b"} & seen and "d" in seen) and {"H", "I"} & seen:
        # a time of day alone (Falco's alerts, Quarkus' dev mode: QA, the warning that sent
        # users here, and this error back to the lines' date, went in a circle)
        raise LogbertError(
            f"--timestamp-format {text!r} names a time of day but no month and day, and "
            "logbert cannot date lines that write no date (a time alone repeats every day): "
            "leave the timestamp out and cut sessions by an id (--by-id, --by-field) or by "
            "line counts (--lines N); for time windows, log with the date (e.g. "
            "'%Y-%m-%d %H:%M:%S')"
        )
    if not ({"m", "b"} & seen and "d" in seen):
        raise LogbertError(
            f"--timestamp-format {text!r} names no month and day: include %m (or %b) and %d, "
            "e.g. '%Y-%m-%d %H:%M:%S', or pass %s for epoch seconds"
        )
    return out + "$"


# the seconds' fraction, optional: one cluster's daemons write `00:02:58.546689` and `01:11:16`
# (OpenPBS's `PBS_LOG_HIGHRES_TIMESTAMP`, set per daemon), and either format left the others'
# lines undated (QA PBS: 8,602 or 10,332 lines), with advice to parse them apart
_OPTIONAL_FRACTION = r"(?:[.,](?P<f>\d{1,9}))?"


def timestamp_spec(fields: tuple[str, ...], timestamp_format: str) -> TimestampSpec:
    """The spec that reads `fields` (joined by a space) with a strptime-like format."""
    if _is_epoch_format(timestamp_format):
        return TimestampSpec(fields, epoch=True, expected=f"{EPOCH} (%s)")
    return TimestampSpec(
        fields, strptime_pattern(timestamp_format), expected=repr(timestamp_format)
    )


def compile_format(
    fmt: str,
    name: str = "custom",
    timestamp: TimestampSpec | None = None,
    label: str | None = None,
    timestamp_words: str | None = None,
) -> LogFormat:
    """Turn a loghub format string into an anchored regex with one named group per field.
    Messages quote the string as the user wrote it, not with its field brackets escaped.
    `timestamp_words`: the regex of the user's `--timestamp-format`, what an optional
    `<Timestamp>` may hold besides a date with its time (see there)."""
    written, fmt = fmt, _escape_literal_signs(_escape_field_brackets(fmt))
    fields = _FIELD.findall(fmt)
    if "Content" not in fields:
        raise LogbertError(
            f"format string {written!r} has no <Content> field: add <Content> where the message "
            "starts, e.g. '<Date> <Time> <Level>: <Content>'"
        )
    if len(set(fields)) != len(fields):
        raise LogbertError(f"format string {written!r} names a field twice: use distinct names")
    taken = set(fields) & RESERVED_COLUMNS
    if taken:
        raise LogbertError(
            f"format string {written!r} uses the output column name(s) {sorted(taken)} as fields: "
            "rename them (e.g. <Label> instead of <label>)"
        )
    unclosed = _UNCLOSED_FIELD.search(written)
    if unclosed:  # QA: `[<Pid] <Content>` got "no line fits ... try --format hadoop"
        raise LogbertError(
            f"format string {written!r}: {unclosed.group(0)!r} has no closing '>': write the "
            f"field as {unclosed.group(0) + '>'!r}"
        )
    parts = re.split(r"(<[A-Za-z_][A-Za-z0-9_]*>)", fmt)
    _check_separated(written, parts)
    trailing = fields[fields.index("Content") + 1 :]
    regex = ""
    for i, part in enumerate(parts):
        m = _FIELD.fullmatch(part)
        if m:
            field = _field_pattern(m.group(1), name, parts, i, trailing, timestamp_words)
            regex += f"(?P<{m.group(1)}>{field})"
        else:
            regex += _literal(part)
    regex = "^" + regex + "$"
    try:
        re.compile(regex)
        groups = pc.extract_regex(pa.array([""]), regex).type  # RE2 must accept it too
    except (re.error, pa.ArrowInvalid) as exc:
        raise LogbertError(
            # the position is one in the pattern made of the string, not in the string (QA)
            f"format string {written!r} is not a valid pattern "
            f"({re.sub(r' at position [0-9]+', '', str(exc))}): escape literal brackets "
            r"as \[ \] and parentheses as \( \), and avoid look-arounds"
        ) from exc
    lost = [f for f in fields if f not in {groups.field(i).name for i in range(groups.num_fields)}]
    if lost:  # e.g. a field inside a character class or a comment
        raise LogbertError(
            f"format string {written!r}: field(s) {lost} are inside regex syntax and would never "
            r"be filled: write literal brackets as \[ \]"
        )
    header = [f for f in fields if f != "Content"]
    fast = regex.replace(".*?)", r"\S*?)")
    return LogFormat(
        name, fmt, regex, fields, timestamp, label, header, fast, written=written,
        timestamp_words=timestamp_words or "",
    )  # fmt: skip


def _field_pattern(
    field_name: str,
    name: str,
    parts: list[str],
    i: int,
    trailing: list[str],
    timestamp_words: str | None,
) -> str:
    """The regex of the field `parts[i]` of format `name`, whose fields after <Content> are
    `trailing` (see `compile_format`)."""
    pattern = _READS_TO_LINE_END.get((name, field_name))
    if pattern is not None:
        return pattern
    if field_name == "Content":  # up to the fields after it, else to the line's end
        return "(?:.)*?" if trailing else ".*"
    if field_name in trailing:
        return _trailing_field(parts, i)
    pattern = _BUILTIN_FIELDS.get((name, field_name))
    if pattern is not None:
        return pattern
    if field_name == "Timestamp" and _in_optional_group("".join(parts[:i])):
        # a time the line may lack, `(<Timestamp> )?<Content>`: a word with a digit, never a
        # message's first word (QA Terraform: `No changes.` was read as a time `No`, and the
        # word left its message) ... or what the user's --timestamp-format reads (QA uWSGI:
        # `Fri Dec  4 08:00:05 2026`, five words, never fit, and every line went undated)
        given = f"{timestamp_words}|" if timestamp_words else ""
        return rf"{given}{_DATE_TIME}|[^\s]*\d[^\s]*"
    if field_name in ("Date", "Time") and _in_optional_group("".join(parts[:i])):
        # ... and so is a date's or a time's: the line's first words, without a digit, are no
        # date (QA ProxySQL: `(<Date> <Time> )?<Content>`, the advised format, read `HID: 10`
        # as a date and a time, and every server row lost its hostgroup, exit 0)
        return r"[^\s]*\d[^\s]*"
    if field_name == "Timestamp":  # a date with its time of day, else the shortest text with
        # a digit near its start (`Nov 30 10:00:00`, `Mon Nov 30 ...`): a line whose time is
        # words is no event (QA Zeek: `#fields\tts\tuid...` and `#types\ttime\tstring...`
        # were undated events, sessions `ts` and `time`)
        return f"{_DATE_TIME}|\\D{{0,12}}\\d.*?"
    if field_name == "Time" and name != "custom" and not _bracketed(parts, i):
        # a built-in format's time of day is one word with a digit: Spark's undated
        # `Exception in thread "main" ...` was an event of time `in` (QA), not a continuation
        return r"[^\s]*\d[^\s]*"
    if _bracketed(parts, i):  # `[<PID>]`: no closing bracket inside (QA Pacemaker: linux's
        # `(\[<PID>\])?: ` ran on to the line's last `[...]: `, cutting the message)
        return "[^\\]]*?"
    return ".*?"


# a field's opening `<` and name with no `>` after it (`[<Pid] <Content>`)
_UNCLOSED_FIELD = re.compile(r"(?<!<)<[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_>])")
# regex syntax in a format string's text that is more likely meant as written (`cost=$5`,
# MongoDB's `$date`): an anchor anywhere but at an end never matches (QA: no format string
# could read a line holding `$`); `^` opening a character class (`[^ ]`) stays syntax
_MID_ANCHOR = re.compile(r"(?<!\\)(?<!\[)[$^]")


def _literal(part: str) -> str:
    """The regex of a format string's text between fields. The text is a regex, as in loghub
    (`(\\[<PID>\\])?` makes a field optional, `[IWEF]` matches a level letter): runs of
    spaces match any run of white space, bare groups become non-capturing (RE2 extracts named
    groups only), and `$` and `^` match themselves (`_MID_ANCHOR`)."""
    text = _MID_ANCHOR.sub(lambda m: "\\" + m.group(0), part)
    return re.sub(r"(?<!\\)\((?!\?)", "(?:", _SPACES.sub(_spaces, text))


# a run of spaces, and a quantifier the user put after it (`] +INFO`: one space or more, as
# the run alone already means; QA Rails: `++`, "bad repetition operator", was the error)
_SPACES = re.compile(r" +([+*?]|\{\d*,?\d*\})?")


def _spaces(match: re.Match[str]) -> str:
    """White space for a run of spaces: `\\s*` when a quantifier after it lets it be empty."""
    optional = match[1] in ("*", "?") or (match[1] or "").startswith(("{0", "{,"))
    return r"\s*" if optional else r"\s+"


def regex_text_hint(fmt: LogFormat) -> str:
    """Advice for a format string that read no line whose text between fields holds regex
    syntax a user may have meant as written (`(w1)`, `a+b`, `*`), else ''."""
    if fmt.name in BUILTIN_FORMATS or fmt.is_auto:
        return ""
    text = "".join(re.split(r"<[A-Za-z_][A-Za-z0-9_]*>", fmt.written or fmt.format))
    signs = sorted({c for c in re.sub(r"\\.", "", text) if c in "()*+?|{}"})
    if not signs:
        return ""
    return (
        f"; the text between the fields is a regular expression, as in loghub's format "
        f"strings: to match {' '.join(signs)} as written, put a backslash before each"
    )


def _trailing_field(parts: list[str], i: int) -> str:
    """The pattern of a field after <Content> (`parts[i]`): the inside of a quoted string
    where the format quotes it (`"<Agent>"`: an access log's user agent, spaces and escaped
    quotes included), else one word. The content before such fields ends where they can
    all be read to the line's end, so a field that could hold spaces anywhere would take
    part of the message; but the last field of a format string, after a separator that is
    more than white space, takes the rest of the line (log4j's `%m | %c | %t`, ActiveMQ's
    `<Content> | <Component> | <Thread>`: QA, a thread `ActiveMQ Journal Checkpoint Worker`
    was several words, and 99% of the lines were rejected)."""
    if parts[i - 1].endswith('"') and parts[i + 1].startswith('"'):
        return r'(?:[^"\\]|\\.)*'
    if i == len(parts) - 2 and not parts[i + 1] and parts[i - 1].strip():
        return r".*"
    # an optional group after it that starts with a sign, `<Src>(:<Sport>)?`: the word stops
    # at that sign (but for a bracketed part, an IPv6 `[2001:db8::5]`), else it took the port
    # too and the group matched nothing (QA Snort: one session per address and port, unsaid)
    after = parts[i + 1] if i + 1 < len(parts) else ""
    optional = re.match(r"\((?:\?:)?\\?([^\w\s\\(<])", after)
    if optional is not None:
        return rf"(?:\[[^\s\]]*\]|[^\s{re.escape(optional.group(1))}])*"
    return r"\S*"


def _check_separated(written: str, parts: list[str]) -> None:
    """Refuse two fields with no text between them (`<Level><Date>`): the first, matched
    lazily, would always be empty and the second would take both (klog's `W1103`: the
    level letter in <Date>). `parts` alternates literal text and fields, fields at odd
    indices."""
    for i in range(2, len(parts) - 1, 2):
        if parts[i] == "":
            first, second = parts[i - 1], parts[i + 1]
            raise LogbertError(
                f"format string {written!r}: {first}{second} have no text between them, so "
                f"{first} would always be empty: put the text that separates them between the "
                f"fields, or match the first with a regex outside a field (e.g. a one-letter "
                f"level: '[IWEF]{second} ...')"
            )


def _in_optional_group(before: str) -> bool:
    """Whether a field that follows the format-string text `before` stands in a group left
    open there, `(...`, that the string later makes optional: here, whether one is open at all
    (an optional group is the only reason to write one around a field)."""
    depth = 0
    for j, char in enumerate(before):
        escaped = j > 0 and before[j - 1] == "\\"
        if char == "(" and not escaped:
            depth += 1
        elif char == ")" and not escaped:
            depth -= 1
    return depth > 0


def _bracketed(parts: list[str], i: int) -> bool:
    r"""Whether field `parts[i]` of a split format string stands between `\[` and `\]`."""
    return parts[i - 1].endswith("\\[") and parts[i + 1].startswith("\\]")


def format_spec(fmt: LogFormat) -> dict:
    """Plain-JSON description of a compiled format (`format_from_spec` rebuilds it)."""
    ts = fmt.timestamp
    return {
        "name": fmt.name,
        "format": fmt.format,
        "timestamp": None
        if ts is None
        else {
            "fields": list(ts.fields),
            "pattern": ts.pattern,
            "epoch": ts.epoch,
            "year": ts.year,
            "expected": ts.expected,
            "guessed": ts.guessed,  # a lone <Time>: undated logs a model may score (QA Phoenix)
        },
        "label": fmt.label,
        "written": fmt.written,
    } | ({"timestamp_words": fmt.timestamp_words} if fmt.timestamp_words else {}) | (
        {"timezone": fmt.timezone} if fmt.timezone else {}
    )


def format_from_spec(spec: dict) -> LogFormat:
    """The `LogFormat` a `format_spec` describes."""
    ts = spec.get("timestamp")
    timestamp = (
        None
        if ts is None
        else TimestampSpec(
            tuple(ts["fields"]),
            ts.get("pattern", ""),
            bool(ts.get("epoch")),
            ts.get("year"),
            ts.get("expected", ""),
            guessed=bool(ts.get("guessed")),
        )
    )
    fmt = compile_format(
        spec["format"],
        spec.get("name", "custom"),
        timestamp,
        spec.get("label"),
        timestamp_words=spec.get("timestamp_words"),
    )
    fmt.written = spec.get("written") or fmt.written
    fmt.timezone = spec.get("timezone")
    return fmt


def display_name(fmt: LogFormat) -> str:
    """How to name the format to a user: its built-in name or its format string as written."""
    if fmt.name in BUILTIN_FORMATS or fmt.is_auto:
        return fmt.name
    return f"'{fmt.written or fmt.format}'"  # as typed: repr doubled each backslash (QA)


def _escape_field_brackets(fmt: str) -> str:
    """Escape square brackets around a field (`<Component>[<Pid>]:`): written bare in a loghub
    format string they would be a regex character class and swallow the field. A bracket pair
    that holds no field (a real class such as `[0-9]`) is kept."""
    chars = list(fmt)
    opened: list[int] = []
    for i, c in _unescaped(fmt):
        if c == "[":
            opened.append(i)
        elif c == "]" and opened:
            start = opened.pop()
            if _FIELD.search(fmt, start, i):
                chars[start], chars[i] = "\\[", "\\]"
                # ... and a sign right after the opening one, LightDM's `[+<Uptime>s]`: as a
                # quantifier it made `[[[+0.10s]` a line of this format, the `+` the field's
                # (QA): text
                if fmt[start + 1 : start + 2] in ("+", "*", "?"):
                    chars[start + 1] = "\\" + fmt[start + 1]
    return "".join(chars)


def _unescaped(fmt: str) -> Iterator[tuple[int, str]]:
    """(index, character) of each character of a format string that no backslash escapes."""
    i = 0
    while i < len(fmt):
        if fmt[i] == "\\":
            i += 2
            continue
        yield i, fmt[i]
        i += 1


def _escape_literal_signs(fmt: str) -> str:
    """Escape the regex signs of a format string that can only have been meant as text: a
    `|` outside any group (`n=<Component> | <Content>`, Ansible's log: as an alternation it
    split most lines into an empty message, QA) and the parentheses of a group around a field
    with no quantifier after it and no `|` inside (`(<Library>) <Content>`, macOS: as a
    group it took the first word of every message, QA), and a `.` with no quantifier after it
    (`.*` stays any text). `(?...)` groups, quantified or
    alternating groups and character classes keep their meaning; an empty `[]` is text."""
    chars = list(fmt)
    opened: list[tuple[int, bool]] = []  # (index of `(`, whether a `|` stands inside it)
    in_class = False
    for i, c in _unescaped(fmt):
        if in_class:
            in_class = c != "]"
        elif c == "[" and fmt[i + 1 : i + 2] == "]":  # `[]`, log4j2's empty `%x`: text (QA
            chars[i], chars[i + 1] = "\\[", "\\]"  # Flink: "bad character range")
        elif c == "[":
            in_class = True
        elif c == "." and fmt[i + 1 : i + 2] not in ("*", "+", "?", "{"):
            chars[i] = "\\."  # a dot alone is text (Kea's `[<Logger>/<Pid>.<Thread>]`: as any
            # character it ate the pid's first digit, the pid empty, unsaid; QA)
        elif c == "(":
            opened.append((i, fmt[i + 1 : i + 2] == "?"))
        elif c == "|":
            if opened:
                opened[-1] = (opened[-1][0], True)
            else:
                chars[i] = "\\|"
        elif c == ")" and opened:
            start, keep = opened.pop()
            quantified = fmt[i + 1 : i + 2] in ("?", "*", "+", "{")
            if not keep and not quantified and _FIELD.search(fmt, start, i):
                chars[start], chars[i] = "\\(", "\\)"
    return "".join(chars)


def parse_timestamps(
    columns: dict[str, pa.Array],
    spec: TimestampSpec | None,
    n: int,
    year: int | None = None,
    not_after: int | None = None,
) -> pa.Array:
    """Vectorised timestamps (microseconds, UTC when the text had an offset) from header
    columns; null where they do not parse. For a spec without a year (and none of its own),
    `year` fills it in (None: every timestamp is null); with `not_after` (µs since the epoch,
    e.g. the file's modification time) a date after it is taken in the year before."""
    text = timestamp_text(columns, spec)
    if text is None:
        return pa.nulls(n, pa.timestamp("us"))
    # logs repeat timestamps (one per second or millisecond): parse each distinct value once
    enc = pc.dictionary_encode(text)
    return _parse_distinct(enc.dictionary, spec, year, not_after).take(enc.indices)


def timestamp_text(columns: dict[str, pa.Array], spec: TimestampSpec | None) -> pa.Array | None:
    """The text the timestamp is read from: its header fields joined by a space (None when
    the format has no timestamp rule or the columns lack one of its fields)."""
    if spec is None or any(f not in columns for f in spec.fields):
        return None
    text = columns[spec.fields[0]]
    for name in spec.fields[1:]:
        text = pc.binary_join_element_wise(text, columns[name], " ")
    return text


def _parse_distinct(
    text: pa.Array, spec: TimestampSpec, year: int | None, not_after: int | None
) -> pa.Array:
    out = None
    if spec.pattern:
        if not spec.needs_year:
            out = _parse_text(text, spec.pattern)
        elif spec.year is not None:
            out = _parse_text(text, spec.pattern, spec.year)
        elif year is not None:
            out = _parse_text(text, spec.pattern, year)
            if not_after is not None:
                limit = pa.scalar(not_after, pa.int64()).cast(pa.timestamp("us"))
                later = pc.fill_null(pc.greater(out, limit), False)
                if pc.any(later).as_py():
                    out = pc.if_else(later, _parse_text(text, spec.pattern, year - 1), out)
                if out.null_count:  # Feb 29 of a year without one (or later than the file)
                    out = pc.coalesce(out, _parse_text(text, spec.pattern, _leap_before(year)))
    if spec.pattern == ISO_8601 and out is not None and out.null_count:
        extended = pc.replace_substring_regex(text, _ISO_BASIC, _ISO_EXTENDED)
        out = pc.coalesce(out, _parse_text(extended, spec.pattern))
    if spec.epoch:
        secs = _parse_epoch(text)
        out = secs if out is None else pc.coalesce(out, secs)
    return pa.nulls(len(text), pa.timestamp("us")) if out is None else out


def _leap_before(year: int) -> int:
    """The last leap year before `year`."""
    year -= 1
    while not calendar.isleap(year):
        year -= 1
    return year


def _parse_epoch(text: pa.Array) -> pa.Array:
    """Unix time, integer or decimal: seconds (`1117838570`, `1117838570.675872`; up to 12
    digits), or by the digits of the integer part milliseconds (13: `1710036000123`),
    microseconds (16) or nanoseconds (19). Split as text (the digits below the second go to
    the fraction), so no unit overflows or loses precision."""
    parts = pc.extract_regex(text, r"^\s*(?P<s>\d{1,19})(?:\.(?P<f>\d*))?\s*$")
    whole, frac = pc.struct_field(parts, "s"), pc.struct_field(parts, "f")
    digits = pc.utf8_length(whole)
    ok = pc.and_(parts.is_valid(), pc.less_equal(digits, 12))
    for size, below in _EPOCH_UNITS.items():
        unit = pc.equal(digits, size)
        ok = pc.or_(ok, unit)
        below_text = pc.utf8_slice_codeunits(whole, size - below)
        frac = pc.if_else(unit, pc.binary_join_element_wise(below_text, frac, ""), frac)
        whole = pc.if_else(unit, pc.utf8_slice_codeunits(whole, 0, size - below), whole)
    ok = pc.fill_null(ok, False)
    secs = pc.cast(pc.if_else(ok, whole, "0"), pa.int64())
    frac = pc.utf8_rpad(pc.utf8_slice_codeunits(frac, 0, 6), 6, "0")
    micros = pc.add(pc.multiply(secs, 1_000_000), pc.cast(pc.if_else(ok, frac, "0"), pa.int64()))
    return pc.cast(pc.if_else(ok, micros, None), pa.timestamp("us"))


def _parse_text(text: pa.Array, pattern: str, year: int | None = None) -> pa.Array:
    n = len(text)
    parts = pc.extract_regex(text, pattern)
    names = {parts.type.field(i).name for i in range(parts.type.num_fields)}

    def part(name: str, default: str = "0") -> pa.Array:
        if name not in names:
            return pa.array([default] * n, pa.string())
        return pc.struct_field(parts, name)

    if "Y" in names:
        year_text = part("Y")
    elif "y" in names:
        year_text = pc.binary_join_element_wise("20", part("y"), "")
    else:
        year_text = part("Y", f"{year:04d}")
    if "b" in names:
        abbr = pc.utf8_slice_codeunits(pc.utf8_lower(part("b")), 0, 3)
        idx = pc.index_in(abbr, value_set=pa.array(_MONTHS))
        month = pc.cast(pc.add(idx, 1), pa.string())
    else:
        month = part("m")
    frac = part("f", "")
    frac = pc.utf8_rpad(pc.utf8_slice_codeunits(frac, 0, 6), 6, "0")

    def pad2(a: pa.Array) -> pa.Array:
        return pc.utf8_lpad(a, 2, "0")

    hour = part("H") if "I" not in names else _hour_of_12(part("I"), part("p"))

    iso = pc.binary_join_element_wise(
        year_text, "-", pad2(month), "-", pad2(part("d")), " ", pad2(hour), ":",
        pad2(part("M")), ":", pad2(part("S")), ".", frac, "",
    )  # fmt: skip
    valid = pc.and_(parts.is_valid(), pc.match_substring_regex(iso, _ISO_CHECK))
    iso = pc.if_else(valid, iso, None)
    try:
        out = pc.cast(iso, pa.timestamp("us"))
    except pa.ArrowInvalid:  # e.g. February 30: fall back to one value at a time
        out = pa.array([_one_ts(v) for v in iso.to_pylist()], pa.timestamp("us"))
    if "z" in names:
        out = _to_utc(out, part("z"))
    return out


def _hour_of_12(hour: pa.Array, half: pa.Array) -> pa.Array:
    """A 12-hour clock's hour (`12` is midnight or noon) and `AM`/`PM` as the 24-hour text."""
    valid = pc.match_substring_regex(hour, r"^\d{1,2}$")
    number = pc.cast(pc.if_else(valid, hour, "0"), pa.int64())
    number = pc.if_else(pc.equal(number, 12), 0, number)
    afternoon = pc.match_substring_regex(pc.fill_null(half, ""), "^[Pp]")
    number = pc.if_else(afternoon, pc.add(number, 12), number)
    return pc.if_else(valid, pc.cast(number, pa.string()), "99")  # 99: no valid time


def _to_utc(ts: pa.Array, zone: pa.Array) -> pa.Array:
    """Subtract `+hh:mm` / `-hhmm` / `+hh` offsets, Db2's minutes (`+060`, `-300`), or a
    `ZONE_ABBREVIATIONS` one's (`Z` or none: unchanged)."""
    words = pc.index_in(zone, value_set=_ZONE_NAMES)
    if words.null_count < len(words):
        minutes = _ZONE_MINUTES.take(words)
        offset = pc.fill_null(pc.multiply(minutes, 60_000_000), 0)
        ts = pc.cast(pc.subtract(pc.cast(ts, pa.int64()), offset), pa.timestamp("us"))
    # `+hh`, `+hhmm`, `+hh:mm`, and Db2's minutes, `+060`, as `+hh` `:` `mm` of three digits
    parts = pc.extract_regex(
        zone, r"^(?P<s>[+-])(?:(?P<h>\d\d):?(?P<m>\d\d)?|(?P<t>\d{3}))$"
    )
    if parts.null_count == len(parts):
        return ts
    ok = parts.is_valid()

    def number(name: str) -> pa.Array:
        value = pc.struct_field(parts, name)
        return pc.cast(pc.if_else(pc.and_(ok, pc.not_equal(value, "")), value, "0"), pa.int64())

    minutes = pc.add(pc.add(pc.multiply(number("h"), 60), number("m")), number("t"))
    offset = pc.multiply(minutes, 60_000_000)
    offset = pc.if_else(pc.equal(pc.struct_field(parts, "s"), "-"), pc.negate(offset), offset)
    offset = pc.fill_null(offset, 0)
    micros = pc.subtract(pc.cast(ts, pa.int64()), offset)
    return pc.cast(micros, pa.timestamp("us"))


_ISO_CHECK = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}$"


def _one_ts(value: str | None) -> object:
    from datetime import datetime

    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S.%f")
    except ValueError:
        return None
