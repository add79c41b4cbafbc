"""One generic set of masks: variables that look the same in every system.

Masks replace hex literals, UUIDs, host names (dotted, ending in a common top-level domain),
number-like words (decimal or hexadecimal with at least one
digit, delimited by non-alphanumerics, optionally with a unit), words holding such a number
(`blk_<*>`), URLs, Unix and Windows paths, dates, month/weekday names, booleans/null and
quantities written with spaces (`<1 sec`, `bytes (1.16 KB)`) by `<*>`, and make any run of
whitespace one space. They never remove words: masked content has the same words as the
content with each date/quantity joined into one (which is how parameters are recovered). The
patterns are RE2-compatible (no look-arounds) so pyarrow applies them to whole chunks; the same
patterns run with Python's `re` for single strings.

Speed: after the `0x` mask, every later mask treats all digits alike (it never asks which
digit), so lines equal up to their digits mask the same way. `mask_array` therefore masks
only the distinct "digit-shapes" of a chunk (HDFS: ~800 per ~60k lines) and masks
line by line only where a digit survives masking (words such as `alt12`).

Values that name the event (an HTTP status's class, an error number, a request's endpoint)
are marked before the masks and restored after them (`kept_values`).
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from logbert.parsing import kept_values
from logbert.parsing.mask_symbols import (
    BOM,
    HTTP_METHODS,
    JOIN,
    WILDCARD,
    apply_gated,
    apply_matching,
    apply_patterns,
    plain_array,
    plain_text,
)

__all__ = ["BOM", "FAILURE_WORDS", "JOIN", "PUNCTUATION", "WILDCARD", "mask_array", "mask_text"]


_DELIM = r"""\s,!;:=|"'\[\](){}"""
_HEX0X = (r"(^|[^A-Za-z0-9])0[xX][0-9a-fA-F]+($|[^A-Za-z0-9])", r"\1" + WILDCARD + r"\2", 2)
# Dates and bounded or converted quantities written with spaces become one word (spaces ->
# JOIN), then one variable. Detection runs on digit-shapes (digits are "0"), hence `\d+`.
_MON = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_H4 = "[0-9a-fA-F]{1,4}"  # an IPv6 group
_SAFE52 = "[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]"  # Postfix's queue id alphabet
_SAFE51 = "[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-y]"  # ... without `z`
# base64 with a `+` holds a capital, a digit or a slash (`K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/
# pe/Unols=`); words of small letters joined by `+` are states, Ceph's placement groups'
# `active+clean+scrubbing+deep` (QA Ceph: masked, an incomplete PG's pgmap line a normal one's)
_BASE64 = (
    r"(?:[A-Za-z0-9+/]{16,}={1,2}|[A-Za-z0-9/]*[A-Z0-9/][A-Za-z0-9/]*\+[A-Za-z0-9+/]{6,}"
    r"|[a-z]{6,}\+[A-Za-z0-9+/]*[A-Z0-9/][A-Za-z0-9+/]*)"
)
_ZONES = "UTC|GMT|CET|CEST|EET|EEST|WET|WEST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|JST|IST|BST|MSK"
_WILDCARD_RE = re.escape(WILDCARD)
_DAY = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_QTY = r"(\d+(?:\.\d+)?)"
_UNIT = "(bytes|B|KB|MB|GB|TB|KiB|MiB|GiB|ms|s|sec|secs|min)"
_HMS = r"(\d+:\d+:\d+(?:[.,]\d+)?)"
_NUM = r"-?\d+(?:\.\d+)?"
_SYSTEM_PORT = "[0-9]{1,3}|10[01][0-9]|102[0-3]"  # below 1024
_SERVICE_PORT = (  # below 32768 (`w3c.EPHEMERAL_PORTS`): a service's, not a client's
    "[0-9]{1,4}|[12][0-9]{4}|3[01][0-9]{3}|32[0-6][0-9]{2}|327[0-5][0-9]|3276[0-7]"
)


def _port_words(source: str, target: str) -> list[tuple[str, str, int]]:
    """The port after `source` kept below 1024 (a reply from a service), the port after
    `target` below 32768 (the service), each else `port-high` (a client's), as `w3c._ports`
    writes a flow's: `port443`, a word the masks keep."""
    return [
        (rf"({source})({_SYSTEM_PORT})(\s|$)", r"\1port\2\3", 1),
        (rf"({source})[0-9]+(\s|$)", r"\1port-high\2", 1),
        (rf"({target})({_SERVICE_PORT})(\s|$)", r"\1port\2\3", 1),
        (rf"({target})[0-9]+(\s|$)", r"\1port-high\2", 1),
    ]


_NO_PATH = "\"',{}="  # characters no file path in a message holds (`JOINS`' paths)
# a relative path's start up to its first word's end (`music/Pink`), and text in a path
# (not a call's name before its argument, collectd's `df plugin: statvfs(/mnt/backup) failed:
# Stale file handle`: QA, joined and masked whole, the failure's word in its `<*>`)
_PATH_HEAD = rf"(?:^|: )[A-Za-z0-9_~][^\s/:({_NO_PATH}]*/[^:\s{_NO_PATH}]*"
_PATH_PART = rf"[^:{_NO_PATH}]*"
# a date and time the American way, once joined (`JOINS`), as a list's item
_LISTED_DATE = rf"\d{{1,2}}/\d{{1,2}}/\d{{4}}{JOIN}[0-9:.]+(?:{JOIN}[AP]M)?"
JOINS: list[tuple[str, str, int]] = [
    # macOS's `Application Support` folder inside a path is one word of it (QA Kopia: `.../
    # Library/Application Support/kopia/repository.config` an event apart from other paths')
    (r"(/Library/Application) (Support/)", rf"\1{JOIN}\2", 1),
    (rf"{_DAY} +{_MON} +(\d+) +{_HMS} +(\d+)", JOIN.join(rf"\{i}" for i in range(1, 6)), 1),
    # ... with its zone before the year, Java's `Date.toString()`, `Fri Dec 04 07:12:38 UTC 2026`
    # (QA Hazelcast: `repartitionTime=Thu <*> UTC <*>`, every Friday's migration a new event)
    (
        rf"{_DAY} +{_MON} +(\d+) +{_HMS} +({_ZONES}) +(\d{{4}})",
        JOIN.join(rf"\{i}" for i in range(1, 7)),
        1,
    ),
    # ... with its year before the time (a Cisco ASA's `logging timestamp`: `Nov 20 2026
    # 10:15:02: %ASA-...`; QA, six variables before each message)
    (rf"{_MON} +(\d+) +(\d{{4}}) +{_HMS}", JOIN.join(rf"\{i}" for i in range(1, 5)), 1),
    (rf"{_MON} +(\d+) +{_HMS}", JOIN.join(rf"\{i}" for i in range(1, 4)), 1),
    # ... with Go's `time.Time` offset, zone and monotonic reading after it (Podman's events,
    # `2026-12-04 06:00:04.807825367 +0000 UTC m=+0.040000000 container create ...`: QA, four
    # values before the event, and its create, start and died were one event)
    (
        rf"(\d+-\d+-\d+) +{_HMS} +([+-]\d{{4}}) +([A-Z]{{2,5}}) +(m=[+-][0-9.]+)",
        JOIN.join(rf"\{i}" for i in range(1, 6)),
        1,
    ),
    (rf"(\d+-\d+-\d+) +{_HMS}", rf"\1{JOIN}\2", 1),
    # ... and a date the American way, `11/06/2025 11:15:04 PM` (.NET's `DateTime.ToString()`)
    (rf"(^|[^\w/])(\d{{1,2}}/\d{{1,2}}/\d{{4}}) +{_HMS}", rf"\1\2{JOIN}\3", 1),
    # ... and a 12-hour clock's half of the day, `07:52:03 AM` (QA ESXi: `AM` and `PM` made two
    # events of one)
    (rf"{_HMS} +(AM|PM)($|[\s,;)\]])", rf"\1{JOIN}\2\3", 1),
    # ... and a date with its month's name, `27-Nov-2026 00:15:00` (Bareos' job reports, BIND's
    # and Tomcat's dates in a message: QA Bareos, the month stayed a word, every job of a new
    # month a new event)
    (rf"(\d{{1,2}}-{_MON}-\d{{4}}) +{_HMS}", rf"\1{JOIN}\3", 1),
    # ... and a device's clock before a message, its sequence number and zone with it (Cisco
    # IOS: `000123: *Nov 20 10:15:02.123 UTC: %LINK-3-UPDOWN: ...`), one word as they are one
    # variable: dropped from the masked message, they shifted each later value in `params` onto
    # a template's words (QA Cisco: `['Dec 3 22:05:56.864', 'from', 'by', ...]`)
    (rf"^(\d+:) +(\*?\.?\S*{JOIN})", rf"\1{JOIN}\2", 1),
    (rf"(\S*{JOIN}\S*) +((?:{_ZONES}):)", rf"\1{JOIN}\2", 1),
    # a conversion in parentheses joins the unit or number before it: "bytes (1.16 KB)" (not
    # a path or a name: "to /var/x.pdf (183 KB)" keeps the path its own variable, and so does
    # a name that ends in a digit, "key deps-linux-6ec9d2 (345.8 MB)": QA CI, two templates;
    # nor a query string's last value, "?page=1&pageSize=10 (12 ms) 200": QA Strapi, a request
    # with a query lost its time, one event two templates)
    (
        rf"(^|[\s:(\[]|(?:^|\s)[\w.-]+=)((?:{_UNIT[1:-1]}|\d+(?:\.\d+)?)) +\({_QTY} +{_UNIT}\)",
        rf"\1\2{JOIN}(\3{JOIN}\4)",
        1,
    ),  # fmt: skip
    # ... and a duration alone in parentheses, its unit the size's choice, Metabase's `FINISHED:
    # Sync ... (5.3 s)` beside `(812.0 ms)` and `(1.2 mins)` (QA: a template per unit, a sync
    # that ended within a second a new event)
    (
        r"(^|\s)\((\d+(?:\.\d+)?) (ns|µs|us|ms|s|secs?|seconds?|mins?|minutes?|h|hours?)\)"
        # (not a request's time before its status, Strapi's `GET /api/x (17 ms) 200`: kept)
        r"($|[,;.:]|\s(?:[^0-9\s]|$))",
        rf"\1(\2{JOIN}\3)\4",
        1,
    ),
    # a kernel's uptime stamp is one word however it is padded: dmesg and kern.log write
    # `[    2.314159]` early and `[12345.123456]` later; as two words the stamp made most
    # short messages look alike (QA dmesg: `devtmpfs: initialized` and `Call trace:` were one
    # template), and the two paddings two templates of one event
    (r"\[ +(\d+\.\d+)\]", r"[\1]", 1),
    # ... and printk's own clock opening a message (`kernel: [875062.839191] sd 2:0:0:0: ...`,
    # dmesg read without its format) is no word of it: hosts with and without printk times
    # in one fleet wrote two templates of every kernel event (QA multipath, QA chrony). The
    # line keeps it, and `--format dmesg` reads it as the line's time
    (r"^\[ *\d+\.\d{6}\] +(\S)", r"\1", 1),
    # ... and a bracketed word padded before its bracket is that word: the JVM's unified
    # logging pads its tags to the widest seen so far (`[gc,start    ]`, later `[gc,start
    # ]`; QA: the two paddings were two templates of every event, F1 0.66 -> 0.10)
    (r"\[([^\[\]\s]+) +\]", r"[\1]", 1),
    # a compact JSON object's members are words of their own (Monolog's context,
    # `{"request_id":"...","status":"failed"}`: as one word, a member taking a few values
    # made the whole object a variable, and a failed order a paid one's event, QA Laravel)
    (r',("[A-Za-z_@][A-Za-z0-9_.@-]*":)', r", \1", 1),
    # ... and so is a state's `key=value` joined to others by commas (YARN's application
    # summary, `appId=...,name=...,state=FAILED,...,finalStatus=FAILED`: as one word, a failed
    # application was a finished one's event, QA YARN; any key: Android's templates changed)
    (r"([^\s,]),((?i:final)?(?i:state|status|result|outcome)=)", r"\1, \2", 1),
    (r"((?:^|\s)(?i:final)?(?i:state|status|result|outcome)=[^\s,]*),([^\s,])", r"\1, \2", 1),
    # ... and so are the fields of a word of three or more `;`-separated ones (Nagios' `HOST
    # ALERT: db02;DOWN;HARD;3;PING CRITICAL`): as one word, its states (DOWN/UP, SOFT/HARD,
    # OK/WARNING/CRITICAL) were one variable with the host (QA Nagios: a HARD state a SOFT
    # one's event); the last field follows the others (`; 3;PING`)
    (r"(^|\s)([^\s;]+);([^\s;]*;)", r"\1\2; \3", 8),
    (r"(;\s[^\s;]+);([^\s;])", r"\1; \2", 1),
    # a bound is one value: "<1 sec"
    (rf"([<>]\d+(?:\.\d+)?) +{_UNIT}($|[^A-Za-z0-9])", rf"\1{JOIN}\2\3", 1),
    # an uptime written with its days, or without (Tor's heartbeat, `uptime is 5 days 0:00
    # hours` beside `23:00 hours`: QA, a template per form, a new one the first day after a
    # restart); a size's unit stays a word (loghub's truth keeps `<*> KB`)
    (r"(\d+) +(days?) +(\d+:\d\d) +(hours)", JOIN.join(rf"\{i}" for i in range(1, 5)), 1),
    (r"(^|\s)(\d+:\d\d) +(hours)($|[^A-Za-z0-9])", rf"\1\2{JOIN}\3\4", 1),
    # a name of capitalised words as a pair's value in a list of pairs, Dovecot's `box=Sent
    # Items, uid=...` (QA: a template per mailbox with a space, `Junk E-mail` a new event);
    # the last space first, a pass each
    (
        rf"(=[A-Z][\w-]*(?:(?: |{JOIN})[\w-]+)*) ([A-Z][\w-]*)(,\s+[a-z_]+=)",
        rf"\1{JOIN}\2\3",
        4,
    ),
    # a braced list of numbers without commas is one value whatever its length (Kerberos'
    # `AS_REQ (6 etypes {18 17 20 19 16 23})`: QA, a template per count of types, a client
    # offering one type more a new event); a space joined per pass
    (rf"(\{{{_NUM}(?:{JOIN}{_NUM})*) +({_NUM}(?: +{_NUM})*\}})", rf"\1{JOIN}\2", 16),
    # ... and so is a bare run of whole numbers after a word (BGP's AS path `path 65004 64601
    # 64950`, `vzdump 102 103 104`: QA FRR and Proxmox, a template per length, a longer path
    # or one more guest a new event); not a bracketed list with other words among the numbers
    # (HPC's `Fan speeds ( 3552 3534 **** 3515 )`: one event, its speeds one variable each)
    # (nor a request's user and its status, ArangoDB's `"POST,...,HTTP/1.1" root 201 512`: QA,
    # the status joined to the sizes, every status one event)
    (
        rf"((?:^|[^\"]\s|^\s)[A-Za-z][A-Za-z_-]* \d+(?:{JOIN}\d+)*) +(\d+)($|[\s,;)\]])",
        rf"\1{JOIN}\2\3",
        16,
    ),
    # ... and dates listed by commas, Duplicati's `Backups to consider: 11/06/2025 11:15:04 PM,
    # 11/05/2025 11:15:02 PM` (QA: a template per count of kept versions, which grows as the
    # retention keeps more: every new count a new event)
    (
        rf"((?:^|\s){_LISTED_DATE}(?:,{JOIN}{_LISTED_DATE})*), ({_LISTED_DATE})($|[\s,;)\]])",
        rf"\1,{JOIN}\2\3",
        32,
    ),
    # ... and numbers listed after a label, Corosync's `Members[3]: 1 2 3`, `Members joined: 2
    # 3` (QA: a template per count of members)
    (
        rf"((?:^|\s)[A-Za-z][A-Za-z_-]*(?:\[\d+\])?: \d+(?:{JOIN}\d+)*) +(\d+)($|[\s,;)\]])",
        rf"\1{JOIN}\2\3",
        16,
    ),
    # ... and a list of sequence numbers in hex, Corosync's `Retransmit List: 9e0 7a3 1ba` (QA: a
    # template per length, a burst of retransmits longer than training's a new event)
    (
        rf"((?:^|\s)(?i:list): [0-9a-f]{{1,8}}(?:{JOIN}[0-9a-f]{{1,8}})*) +([0-9a-f]{{1,8}})($|\s)",
        rf"\1{JOIN}\2\3",
        32,
    ),
    # ... and a run of code addresses, a backtrace's (ScyllaDB's `Backtrace: 0x404242b
    # 0x5469f8d ...`: QA, a template per stack depth)
    (
        rf"((?:^|\s)0x[0-9a-f]+(?:{JOIN}0x[0-9a-f]+)*) +(0x[0-9a-f]+)($|[\s,;)\]])",
        rf"\1{JOIN}\2\3",
        32,
    ),
    # ... but not a SCSI command's sense data, three values kept (`kept_values`' `_SCSI_LABEL`)
    (rf"(sense data:(?: 0x[0-9a-f]+)*){JOIN}", r"\1 ", 2),
    # a CEF record's header, `CEF:0|Palo Alto Networks|PAN-OS|10.2.4|end|TRAFFIC|1|rt=...`, as
    # words: its signature id, name and severity are the event (the severity kept as a code,
    # `kept_values`' `severity=`), not one `<*>` from the product to the time (QA CEF: a
    # severity-9 record was a severity-1 one's event, a session start an end's)
    (
        r"(CEF:[0-9]+)\|([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\|([0-9]{1,2})\|",
        r"\1 | \2 | \3 | \4 | event_id=\5 | \6 | severity=\7 | ",
        1,
    ),
    # Confluence's request context after a message, ` -- url: /rest/api/content | traceId: 3a1b
    # | userName: alice | referer: https://...`: its url a path field (its endpoint kept, as
    # `kept_values`' `url=`), the rest left out, which keys it holds varying by request (QA
    # Confluence: a template per combination of keys, and logins without a referer 184 false
    # alarms; the url one `<*>`)
    (r"( -- url: )(\S+)(?: \| [A-Za-z][\w.-]*: [^|]*)*$", r" -- url=\2", 1),
    # a scored rule's options right after its score, rspamd's `ASN(0.00){asn:64496, ipnet:
    # 203.0.113.0/24, country:DE;}`: one word, so its symbol list is one (`_RSPAMD_SYMBOLS`)
    (r"(\)\{[^{}\s]*) +([^{}]*\})", rf"\1{JOIN}\2", 8),
    # a netfilter LOG line's ports as a flow's are written (`w3c._ports`): the service's kept
    # (`DPT=port443`), a client's `port-high` (QA iptables: `DPT=<*>`, a C2 beacon to port 1337
    # and outbound HTTPS one event, unseen by every detector); a reply's system source port kept
    *_port_words(r"\bPROTO=(?i:TCP|UDP)\b.*\bSPT=", r"\bPROTO=(?i:TCP|UDP)\b.*\bDPT="),
    # ... and a flow record's as JSON names them, Hubble's `flow.l4.TCP.destination_port=5432`
    # (QA Cilium: `destination_port=<*>`, a pod reaching SSH on a peer a normal flow's event)
    *_port_words(
        r"(?:^|[\s.])(?:source_port|src_port)=",
        r"(?:^|[\s.])(?:destination_port|dst_port|dest_port)=",
    ),
    # ... and an ICMP packet's type (an echo request is not an unreachable), and the IP flags
    # after its id one value with it (`ID=20051 DF`: QA, every firewall event two templates by
    # the sender's OS)
    (r"(\bPROTO=ICMP\b.*\bTYPE=)([0-9]{1,3})(\s|$)", r"\1icmptype\2\3", 1),
    (rf"(\bID=[0-9]+(?:{JOIN}(?:DF|CE|MF))*) +(DF|CE|MF)(\s)", rf"\1{JOIN}\2\3", 3),
    # SonarQube's authentication record, `[method|BASIC_TOKEN][provider|LOCAL|local][IP|10.2.3.4|]
    # [login|ci]`, as words (QA: one word, every login one `[method|<*>]` event, an admin's
    # BASIC login from outside a CI token's)
    (r"(\[[A-Za-z]+\|[^\[\]\s]*\])(\[[A-Za-z]+\|)", r"\1 \2", 4),
    # a graph schema's node label and properties, Neo4j's `schema=(:Account {iban, bic})`, one
    # word (masked by `_GRAPH_SCHEMA`)
    (r"(\(:[A-Za-z_`][^\s()]*) +([^()]*\))", rf"\1{JOIN}\2", 8),
    # a relative file path with spaces before a message's `: `, rclone's `music/Pink Floyd/The
    # Wall/Comfortably Numb.mp3: Copied (new)` (QA rclone: a template per folder and file
    # spelling, 26 for 8 events); a path of three parts or more, or one ending in a file's
    # extension (not `read/write error on device sda: ...`), a space joined per pass
    # (a path's characters: no quote, comma, brace or `=`, which a JSON object or a field
    # list writes)
    *(
        (rf"({_PATH_HEAD}{head}) ({rest}: )", rf"\1{JOIN}\2", 8)
        for head, rest in (
            ("", rf"{_PATH_PART}\.[A-Za-z][A-Za-z0-9]{{0,4}}"),  # `Tax Return/x (final).xlsx`
            ("", rf"{_PATH_PART}/{_PATH_PART}"),  # ... a second slash after the space
            (rf"/[^:\s{_NO_PATH}]*", _PATH_PART),  # ... or before it
        )
    ),
]
# an absolute path with spaces, Sonarr's `HardLinkOrCopy [/downloads/x.mkv] > [/tv/House of the
# Dragon/Season 03/House of the Dragon - S03E03 - Episode 3 WEBDL-2160p.mkv]` (QA Sonarr: a
# template per show and file spelling, 123 for 23 events, each new show an unseen event):
# whole in brackets; else a folder's name of capitalised words (`Program Files/`, not `/var/
# log/a to b/c`'s prose), and after such a folder a file's name before the message's end, a
# quote, a comma
_ABSOLUTE_WORD = rf"[^\s/\[\]{_NO_PATH}]"
_ABSOLUTE_HEAD = rf"(?:^|[\s(])/(?:{_ABSOLUTE_WORD}+/)+[A-Z]{_ABSOLUTE_WORD}*"
_JOINED_FOLDER_HEAD = (  # ... a path with a folder joined before its last part
    rf"(?:^|[\s(])/(?:{_ABSOLUTE_WORD}+/)*{_ABSOLUTE_WORD}*{JOIN}{_ABSOLUTE_WORD}*/"
    rf"(?:{_ABSOLUTE_WORD}+/)*[A-Z]{_ABSOLUTE_WORD}*"
)
_SPACED_TAIL = rf"(?:{_ABSOLUTE_WORD}+ )*{_ABSOLUTE_WORD}+"
_FOLDER_TAIL = (  # (a folder's name ends in a small letter or a digit, not `HTTP/1.1`'s)
    rf"(?:{_ABSOLUTE_WORD}+ )*{_ABSOLUTE_WORD}*[a-z0-9]/"
)
_FILE_END = r"\.[A-Za-z][A-Za-z0-9]{0,4}(?:$|[)'\",;])"
JOINS += [
    (r"(\[/[^\s\[\]]*) ([^\[\]]*\])", rf"\1{JOIN}\2", 24),
    (rf"({_ABSOLUTE_HEAD}) ({_FOLDER_TAIL})", rf"\1{JOIN}\2", 24),
    (rf"({_JOINED_FOLDER_HEAD}) ({_SPACED_TAIL}{_FILE_END})", rf"\1{JOIN}\2", 24),
]
# a name of several capitalised words that ends a message after `for`, Sonarr's `Scanning disk
# for House of the Dragon` beside `... for Fargo` (QA Sonarr: a template per show of two words
# or more, a new show an unseen event); small words of a title among them (`of`, `the`, `x`)
_TITLE_WORD = r"(?:[A-Z0-9][\w'.&-]*|of|the|and|in|on|at|a|an|x|no|to|de|la|du|von|van|der|le)"
JOINS.append(
    (
        rf"((?:^|\s)for:? [A-Z][\w'.&-]*(?:{JOIN}{_TITLE_WORD})*) "
        rf"({_TITLE_WORD}(?: {_TITLE_WORD})*[.!]?)$",
        rf"\1{JOIN}\2",
        12,
    )
)
# a duration of several units in words is one value before its last unit, Bamboo's `duration
# 4 minutes 42 seconds` beside `duration 52 seconds` (QA: two templates by the build's length,
# a short build of a plan that usually ran minutes a new event, flagged by every detector)
_LEADING_UNIT = r"(?:days?|hours?|hrs?|minutes?|mins?)"
_NEXT_UNIT = r"(?:hours?|hrs?|minutes?|mins?|seconds?|secs?)"
JOINS.append(
    (
        rf"(^|[\s(=:])(\d+(?:{JOIN}\S+)*) ({_LEADING_UNIT}),? (?:and )?(\d+ {_NEXT_UNIT})\b",
        rf"\1\2{JOIN}\3{JOIN}\4",
        3,
    )
)
JOINS_ANY = "|".join(p for p, _, _ in JOINS)
# A list of values is one variable whatever its length: SQL's `IN (17, 23, 42)`, Python's
# `['SKU-1', 'SKU-2']` (not an object's fields: their names say what it is); so is a quoted
# string of several words (`name = 'carol smith'`). Word by word each length was a template
# of its own, and a normal query or task with one item more a new event (QA PostgreSQL and
# Celery: flagged at the unseen-key cap). Their spaces become JOIN, as a date's do, and the
# list masks as `(<*>)`.
# (a UUID or Galera's short one, `e5f5b4d4-a87c`, is a value whether a digit or a letter leads:
# QA, `(413e3bd8-8096, 'tcp://...')` was `(<*>)`, the same with `e5f5...` another template)
_VALUE = (
    r"""-?\d[\w.:+-]*|[0-9a-f]{8}-[0-9a-f]{4}[\w.:+-]*|'[^'\n]*'|"[^"\n]*"|None|True|False"""
    r"|null|true|false"
    # ... and a path or a URL, ScyllaDB's `Compacting [/var/lib/.../x-Data.db:level=0, ...]`,
    # Logstash's `:added=>[http://es1:9200/, http://es2:9200/]` (QA: a template per length)
    r"|/[^\s,\[\]()]+|[a-z][a-z0-9+.-]*://[^\s,\[\]()]+"
    # ... and a scored rule, SpamAssassin's `tests=[BAYES_00=-1.9, SPF_PASS=-0.001]` as amavis
    # logs it (QA: a template per combination of rules, 894 of 942, every normal mail new)
    r"|[A-Z][A-Z0-9_]*=-?[0-9][0-9.]*"
    # ... and a name with its number, Kafka's partitions `Set(orders-2, user-activity-5)` (QA:
    # a template per count of partitions a fetcher dropped, a normal leader move a new event)
    r"|[A-Za-z_][\w.]*(?:-[A-Za-z_][\w.]*)*-[0-9]+"
)
_COMMA_ITEM = r"[0-9]+|[A-Za-z_][\w.]*-[0-9]+"  # an item of a list joined by commas alone
_VALUE_LIST = rf"[\[(]\s*(?:{_VALUE})(?:\s*,\s*(?:{_VALUE}))*\s*[\])]"
# Double quotes too where a space, not a name, comes before them (QA Jenkins: `Commit
# message: "Fix NPE in user lookup"`, each build's message a new event), but not logfmt's
# `msg="Started server"` or klog's message first in the line (the event itself), an HTTP
# request's `"GET /cart HTTP/1.1"` (its endpoint is the event, `REQUEST`) or a text naming a
# failure (`"connection refused"`)
_QUOTED_WORDS = (  # RE2 (which rows); backticks too (Odoo's cron job `Mail: Email Queue
    # Manager`: QA, a template per job name)
    r"'[^'\n]*\s[^'\n]*'" + r'|"[^"\n]*\s[^"\n]*"' + r"|`[^`\n]*\s[^`\n]*`"
)
_NOT_A_REQUEST = rf"(?!(?:{'|'.join(HTTP_METHODS)}) )"
# not a call's arguments or an index, `setDataSource(fd, 0, 4096)`: their count is fixed;
# but a collection printed by its type's name is a list, Scala's `Vector(0, 1, 2, 3)` (QA
# Spark: a stage's partitions made a template per count of tasks, a normal stage of six
# tasks a new event)
_COLLECTIONS = ("Vector", "List", "Seq", "Set", "Array", "ArrayBuffer", "WrappedArray")
_AFTER_COLLECTION = "|".join(f"(?<=\\b{name}[\\[(])" for name in _COLLECTIONS)
# `_VALUE_LIST` or `_QUOTED_WORDS` exactly where (look-arounds: Python only): a quote after a
# space, a sign or a bracket (single quotes also first) and before one; each branch led by its
# bracket or quote, the look-behinds after it, so Python's engine tries only where one stands
# (QA Keycloak: the look-behinds first, tried at every position, made parsing lines of many
# `key="value"` fields 12x slower, ~0.6 ms a line)
# ... and ids listed by commas alone, of any count, YugabyteDB's `Requested vote from peers
# 3e40...ab, 8311...8e` (QA: two peers' and one peer's request two events, a replica down a new one)
_ID = r"(?:[0-9a-f]{16,}|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})"
_ID_RUN = rf"{_ID}(?:, {_ID})+"
_LIST_OR_QUOTE = re.compile(
    rf"(?<![\w-]){_ID_RUN}(?![\w-])|"
    # ... and a quoted path of several words after a colon, ffmpeg's `-i file:"/media/movies/
    # Amélie (1989)/Amélie (1989) - 720p.mkv"` (QA Jellyfin: a template per title, 138 of one
    # event, every new title's playback a false alarm)
    r'(?<=:)"/[^"\n]*\s[^"\n]*"(?=[\s,;)\]}.:]|$)|'
    rf"[\[(](?:(?<!\w[\[(])|{_AFTER_COLLECTION})"
    rf"\s*(?:{_VALUE})(?:\s*,\s*(?:{_VALUE}))*\s*[\])]"
    r"|'(?<![^\s=(\[,:]')[^'\n]*\s[^'\n]*'(?=[\s,;)\]}.:]|$)"
    rf"|\"(?<=[\s(\[,=]\"){_NOT_A_REQUEST}[^\"\n]*\s[^\"\n]*\"(?=[\s,;)\]}}.:]|$)"
    r"|`(?<=[\s(\[,=]`)[^`\n]*\s[^`\n]*`(?=[\s,;)\]}.:]|$)"
)
_HAS_VALUES = f"{_VALUE_LIST}|{_QUOTED_WORDS}|{_ID_RUN}"  # RE2: which rows hold one
# words that name a failure: an outcome, never a variable's value (`miner._is_outcome_word`)
FAILURE_WORDS = frozenset({
    "error", "errors", "err", "fail", "failed", "fails", "failing", "failure", "failures",
    "fatal", "exception", "timeout", "timedout", "refused", "denied", "rejected", "aborted",
    "abort", "aborting", "cancelled", "canceled", "killed", "crashed", "crash", "panic",
    "invalid", "corrupt", "corrupted", "unreachable", "unavailable", "unauthorized", "forbidden",
    "expired", "lost", "broken", "unhealthy", "degraded", "fault", "faulted", "violation",
    "deadlock", "mismatch", "declined", "overflow",
    # a build's result beside `SUCCESS` (Jenkins' `main completed: UNSTABLE`: tests failed; QA)
    "unstable",
    # DNS's failed answers (QA dnsmasq: `reply <*> is NXDOMAIN` was `reply <*> is <*>` with
    # the addresses, and a burst of random names answered NXDOMAIN a normal client's)
    "nxdomain", "servfail", "nodata", "notimp", "formerr",
    # a scan or a task cut short (QA Greenbone: `has changed to Interrupted` a `Done`'s event)
    "interrupted",
})  # fmt: skip


PUNCTUATION = "\"',;:.!?()[]{}"  # around a word, not part of it


# a JSON member whose quoted text is what went wrong (zap's console encoder, `"error":
# "context deadline exceeded"`: QA, three errors were one `<*>`, where a JSON line's `error=`
# keeps its words), or the message itself (a JSON line read as text, inside a container
# runtime's log: QA CRI, "received message" and "duplicate message dropped" were one event)
_ERROR_KEY_BEFORE = re.compile(r'"(?i:error|err|errors|reason|cause|message|msg)": ?$')
# ... and after the word itself, php-fpm's `AH01071: Got error 'Primary script unknown'` (QA
# ModSecurity: every PHP message one `Got error <*>` event, a site down a notice's event)
# ... and after `failed:` (NATS' `Healthcheck failed: "JetStream is not current with the meta
# leader"` beside `"... is not enabled"`: QA, four diagnoses one event)
_ERROR_WORD_BEFORE = re.compile(r"(?:^|\s)(?i:error|errors|exception|reason|failed:) $")
# ... and a logfmt pair's text that says what happened (`msg="Started server"`, `error="..."`,
# `action="blocked by policy"`); a quoted value of another name is a value: CUPS's
# `argv[3]="Quarterly report.pdf"`, a document's title (QA: each title a new event)
_TEXT_KEY_BEFORE = re.compile(
    r"(?:^|[^\w.-])(?i:msg|message|event|error|err|errors|reason|cause|status|state|action"
    r"|result|outcome|detail|details|description|desc|text|summary|level|type|kind|category)=$"
)


# a protocol's command or reply in quotes (vsftpd's `FTP command: Client "...", "USER alice"`,
# `FTP response: Client "...", "530 Login incorrect."`): its verb or code is the event, as an
# HTTP request line's is (QA: every command and every reply was one event)
# ... and a DNS question, CoreDNS' `"A IN orders.shop.svc.cluster.local. udp 52 false 512"`
# (QA: a type of one or two letters, A, MX, NS, made the whole question one `<*>`, an MX
# lookup an A lookup's event, while AAAA and TXT kept theirs)
_PROTOCOL_LINE = re.compile(r'"(?:[A-Z]{3,6}|[1-5][0-9][0-9]|[A-Z0-9]{1,10} (?:IN|CH|HS))(?: |")')
# ... but not a name's, Ollama's `name="NVIDIA GeForce RTX 4090"` (QA: `NVIDIA` read as a
# command, a template per GPU model)
_NAME_BEFORE = re.compile(r"(?:^|[^\w.-])(?i:name)=$")


# a text someone wrote, a mail's subject or an issue's title: a value whatever its words say
# (QA Jira: `Mail item queued: Subject='(WEB-311) Checkout fails with timeout error'` was a new
# event for naming a failure, and every ticket titled so an alarm)
# ... and a prompt a user gave a language model (vLLM's `Received request ...: prompt: 'timeout
# error when calling the API', params: ...`: QA, a normal request flagged as a new event)
# ... and a query a user wrote, Loki's `query="{app=\"shop\"} |= \"error\""` (QA Loki: a
# template per LogQL query, a dashboard's new query's routine `context canceled` a new event)
# ... and a statement a client sent, TiDB's `[sql="SELECT * FROM orders WHERE ..."]`, a panic's
# `lastSQL=` (QA TiDB: a template per statement, every false alarm a rare statement's)
# ... and a filter expression a client sent, Milvus' `expr="price > 209"` (QA: a template per
# filter's shape)
USER_TEXT_NAMES = "subject|title|summary|comment|prompt|question|query|sql|lastsql|expr|dsl"
_USER_TEXT_BEFORE = re.compile(rf"(?:^|[^\w.-])(?i:{USER_TEXT_NAMES})[=:] ?$")


_CONTROL_VERB = re.compile(r"'[A-Z][A-Z_]+,")
_CONTROL_BEFORE = re.compile(r"CONTROL \[[^\]]*\]: $")


def _joined(match: re.Match[str]) -> str:
    text = match.group(0)
    if _USER_TEXT_BEFORE.search(match.string, max(0, match.start() - 12), match.start()):
        return re.sub(r"\s+", JOIN, text)
    if text[0] == '"' and _ERROR_KEY_BEFORE.search(match.string, 0, match.start()):
        return text
    if _ERROR_WORD_BEFORE.search(match.string, max(0, match.start() - 12), match.start()):
        return text
    # ... and what set something off, Neo4j's `Checkpoint triggered by "Database shutdown"`
    # (QA: a shutdown's and a store copy's checkpoints were the scheduled one's event)
    if match.string.endswith(("triggered by ", "caused by "), 0, match.start()):
        return text
    # ASP.NET Core's `Executing endpoint 'Shop.Api.Controllers.AuthController.Logout (Shop.Api)'`:
    # the endpoint is the event (QA Serilog: one `Executing endpoint <*>'` for every action)
    if match.string.endswith("endpoint ", 0, match.start()):
        return text
    # ... and a command's first word, a Cisco ASA's `User 'admin' executed the 'clear configure
    # all' command.` beside `'write memory'` (QA: one `<*>`, a wiped configuration a saved one)
    if match.string.endswith(("executed the ", "executed "), 0, match.start()):
        verb, _, rest = text.partition(" ")
        return verb + " " + re.sub(r"\s+", JOIN, rest) if rest else text
    before = match.string[max(0, match.start() - 24) : match.start()]
    # ... and a control message's verb, OpenVPN's `SENT CONTROL [alice]: 'PUSH_REPLY,route ...'`
    # beside `'AUTH_FAILED,Invalid credentials'` (QA: one `<*>`, a refused login a pushed one)
    verb = _CONTROL_VERB.match(text)
    if verb and _CONTROL_BEFORE.search(before):
        return verb[0] + " " + re.sub(r"\s+", JOIN, text[verb.end() :])
    if text[0] == '"' and before.endswith("=") and (
        _TEXT_KEY_BEFORE.search(before) or "=" in text  # fields: Exim's `C="250 OK id=..."`
    ):
        return text
    if text[0] == '"' and _names_failure(text.split()):
        return text
    if text[1:].split(maxsplit=1)[0].lower() in _NEGATIONS:  # SSSD's `as 'not working'` (QA:
        return text  # a failing server was a working one's event)
    if text[0] == '"' and _PROTOCOL_LINE.match(text) and not _NAME_BEFORE.search(before):
        return text
    if _STATUS_LINE.fullmatch(text[1:-1]):  # Traefik's `'502 Bad Gateway' caused by: ...` (QA:
        return text  # one word, masked: a 502 a 499's event; its class is kept, `kept_values`)
    if text[0] == "'" and _is_record(text[1:-1].split()):
        return text
    return re.sub(r"\s+", JOIN, text)


_NEGATIONS = frozenset({"not", "no", "never", "cannot", "unable"})
_STATUS_LINE = re.compile(r"[1-5][0-9][0-9] [A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*)*")  # `502 Bad ...`


def _names_failure(words: list[str]) -> bool:
    """Whether a quoted text's words name a failure (`FAILURE_WORDS`, alone or as a value) or
    how a process ended, a signal's name (billiard's `exited with 'signal 9 (SIGKILL)'`; QA
    Celery: a worker's OOM kill was its routine exit's event)."""
    return any(
        (bare := word.rpartition("=")[2].strip(PUNCTUATION)).lower() in FAILURE_WORDS
        or _SIGNAL.fullmatch(bare) is not None
        or bare.lower() == "exitcode"  # (billiard's `'exitcode 70'`)
        or _EXCEPTION_CLASS.fullmatch(bare) is not None
        for word in words
    )


# an exception's class, H2's `General error: "java.lang.IllegalStateException: Chunk 3134 not
# found [1.4.200/9]"` (QA Nexus: a corrupt database one `<*>` with any other general error)
_EXCEPTION_CLASS = re.compile(r"(?:[a-z_]\w*\.)*[A-Z]\w*(?:Exception|Error)")


_SIGNAL = re.compile(r"SIG[A-Z]{2,6}[0-9]?")


def _is_record(words: list[str]) -> bool:
    """Whether single-quoted words are fields, not a value: auditd's `msg='op=PAM:authentication
    acct="alice" ... res=failed'` (QA auditd: one `<*>` made failed and successful logins one
    event), or a text naming a failure."""
    return _names_failure(words) or sum("=" in word for word in words) * 2 > len(words)


# A message that is a CSV record (PAN-OS's `1,2025/11/24 08:00:16,0128...,TRAFFIC,end,...,
# allow-web,acme\bwilson,,ssl,...,tcp,allow,...`, a CSV export read by a format string) has its
# fields as words: a space after each comma. Read as a few comma-glued words, every allowed and
# denied connection of every application was one template (QA PAN-OS: 90% of a firewall's
# lines). A record: at least CSV_MIN_COMMAS commas, none followed by a space, more commas than
# spaces (a list of numbers inside prose is no record), and values, not `name=value` pairs
# (Android's `ready=true,policy=3,...` names its fields: a word of its own already).
CSV_MIN_COMMAS = 10
_CSV_CANDIDATE = rf"^(?:[^,]*,){{{CSV_MIN_COMMAS}}}"


_CSV_QUOTED = re.compile(r'"[^"]*"')  # a quoted field's commas and spaces are its own
_CSV_COMMA = re.compile(r'("[^"]*")|,')


# a term's nested brackets (an Erlang term's `[{couch_mrview_util,get_view_index_state,[...]}]`,
# a JSON array): their commas are the term's, no record's fields (QA CouchDB: read as a CSV
# record, `error:function_clause` and `exit:timeout` at one call site were one event); a
# tuple's in parentheses too (Aerospike's ticker, `{test} client: tsvc (0,0) proxy (0,0,0)
# read (1896,0,0,37,0) ...`: QA, read as a record, 10% of the log one `<*>` template)
_NESTED = re.compile(r"\{[^{}]*\}|\[[^\[\]]*\]|\([^()]*\)")


def _is_csv_record(text: str) -> bool:
    bare = _CSV_QUOTED.sub('""', text)
    while (unnested := _NESTED.sub("", bare)) != bare:
        bare = unnested
    commas = bare.count(",")
    return (
        commas >= CSV_MIN_COMMAS
        and ", " not in bare
        and commas > bare.count(" ")
        and bare.count("=") * 2 < commas
    )


# pfSense's and OPNsense's filterlog CSV (`5,,,1000000103,igb0,match,block,in,4,0x0,,64,0,0,DF,
# 6,tcp,60,203.0.113.9,192.168.1.10,51234,22,0,S,...,mss;sackOK`) as netfilter's words (`JOINS`
# then write its ports as a flow's): interface, reason, action, direction, protocol and TCP
# flags the event; the IP flags and TCP options, a sender's OS, left out (QA pfSense: 7 events
# 19 templates, a Windows SYN a new one, and a 45-port scan one known `<*>` port)
def _filterlog_patterns() -> list[tuple[re.Pattern[str], str]]:
    """`_CSV_REWRITES`' filterlog part: a record of TCP or UDP over IPv4 or IPv6 as words
    (pfSense's "Filter Log Format": IPv4 writes the protocol's id before its name, IPv6 after
    it; then the packet's length, addresses, ports, the data's length and, for TCP, its
    flags)."""
    # (the rule's tracker a number, pfSense's, or a 32-digit hex label, OPNsense's: QA, every
    # OPNsense record one comma-split template, its port masked)
    head = r"^[0-9]+,[0-9]*,[^,]*,(?:[0-9]+|[0-9a-f]{32}),([^,\s]+),([\w-]+),([\w-]+),(in|out),"
    versions = {
        "IPv4": "4,[^,]*,[^,]*,[0-9]+,[0-9]+,[0-9]+,[^,]*,[0-9]+,{proto},[0-9]+",
        "IPv6": "6,[^,]*,[^,]*,[0-9]+,{proto},[0-9]+,[0-9]+",
    }
    protocols = {"tcp": (",([A-Z]*),.*", r" FLAGS=\9"), "udp": ("", "")}
    return [
        (
            re.compile(
                head + ip.format(proto=proto)
                + rf",([^,\s]+),([^,\s]+),([0-9]+),([0-9]+),[0-9]+{rest}$"
            ),
            rf"\1 \2 \3 \4 {version} PROTO={proto} SRC=\5 DST=\6 SPT=\7 DPT=\8{flags}",
        )
        for version, ip in versions.items()
        for proto, (rest, flags) in protocols.items()
    ]


# Nagios' and Icinga 1.x's records (`nagios.log`: `SERVICE ALERT: web01;HTTP;CRITICAL;SOFT;1;
# output`) as named words: the host, the contact and an acknowledgement's author are names, its
# comment free text, the service, state, state type and notification type the event (QA Nagios:
# 463 templates of about 172 events, kept per host, author and comment, a new ack's author a new
# event and 24 of 26 false alarms)
_NAGIOS_FIELDS = {
    "(?:CURRENT |INITIAL )?SERVICE (?:ALERT|STATE|EVENT HANDLER)": (
        "host service state type attempt"
    ),
    "(?:CURRENT |INITIAL )?HOST (?:ALERT|STATE|EVENT HANDLER)": "host state type attempt",
    "SERVICE NOTIFICATION": "contact host service notification command",
    "HOST NOTIFICATION": "contact host notification command",
    # ... and Checkmk's result of one, `SERVICE NOTIFICATION RESULT: hh;srv-db01;CPU load;OK;
    # mail;Spooled mail ...` (QA Checkmk: a template per contact)
    "SERVICE NOTIFICATION RESULT": "contact host service state command",
    "HOST NOTIFICATION RESULT": "contact host state command",
    "SERVICE (?:FLAPPING|DOWNTIME) ALERT": "host service -",
    "HOST (?:FLAPPING|DOWNTIME) ALERT": "host -",
    "PASSIVE SERVICE CHECK": "host service code",
    "PASSIVE HOST CHECK": "host code",
}
# ... and an external command's host (not a host or service group's), and the author and comment
# that end an acknowledgement's, a downtime's, a comment's or a custom notification's arguments
_NAGIOS_HOST_COMMAND = r"(?![A-Z_]*GROUP)[A-Z_]*(?:HOST|SVC|SERVICE)[A-Z_]*"
_NAGIOS_NOTED = r"[A-Z_]*(?:_PROBLEM|_DOWNTIME|_COMMENT|_NOTIFICATION)"
_NAGIOS_CANDIDATE = r"^(?:CURRENT |INITIAL |PASSIVE |EXTERNAL )?(?:SERVICE|HOST|COMMAND)[A-Z ]*: "
_CMC_COMMAND = "Executing external command: "


def _nagios_patterns() -> list[tuple[re.Pattern[str], str]]:
    """`_CSV_REWRITES`' Nagios part (`_NAGIOS_FIELDS`): each field `name=value` (a field named
    `-` its value alone), the output after a `; `; an acknowledgement's or a custom
    notification's ends `;author;comment`."""
    out = []
    for record, names in _NAGIOS_FIELDS.items():
        fields = names.split()
        parts = [
            r"((?:ACKNOWLEDGEMENT|CUSTOM)[^;]*)" if name == "notification" else r"([^;]*)"
            for name in fields
        ]
        words = " ".join(
            rf"\{i}" if name == "-" else rf"{name}=\{i}" for i, name in enumerate(fields, 2)
        )
        output = rf"\{len(fields) + 2}"
        if "notification" in fields:
            noted = rf"^({record}): {';'.join(parts)};(.*);([^;]*);([^;]*)$"
            after = f'; author=\\{len(fields) + 3} comment="\\{len(fields) + 4}"'
            out.append((re.compile(noted), rf"\1: {words}; {output}{after}"))
        head = rf"^({record}): " + "".join(r"([^;]*);" for _ in fields)
        out.append((re.compile(head + "(.*)$"), rf"\1: {words}; {output}"))
    # (... also as Checkmk's core writes it, `[5] [core 4652] Executing external command:
    # ACKNOWLEDGE_SVC_PROBLEM;srv-web01;Memory;2;1;0;cmkadmin;Working on it`: QA, its author
    # and comment kept, a template per acknowledgement)
    command = rf"^((?:.*\b{_CMC_COMMAND[:-2]}|EXTERNAL COMMAND): "
    note = r";(.*);([^;]*);([^;]*)$"  # the arguments, the author, the comment
    out += [
        (
            re.compile(rf"{command}(?={_NAGIOS_NOTED};){_NAGIOS_HOST_COMMAND});([^;]*){note}"),
            r'\1 host=\2; \3; author=\4 comment="\5"',
        ),
        (re.compile(rf"{command}{_NAGIOS_NOTED}){note}"), r'\1; \2; author=\3 comment="\4"'),
        (re.compile(rf"{command}{_NAGIOS_HOST_COMMAND});([^;]*)(;.*)?$"), r"\1 host=\2\3"),
    ]
    return out


def _openhab_states(match: re.Match[str]) -> str:
    """An openHAB item's states of several words as one word each (`JOIN`)."""
    return (
        match[1] + re.sub(r"\s+", JOIN, match[2]) + match[3] + re.sub(r"\s+", JOIN, match[4])
        + match[5]
    )  # fmt: skip


_OPENHAB_CANDIDATE = "' changed from "
# Gin's request line after its time, `200 |    1.234567ms |      10.0.0.42 | GET      "/api/
# orders/4711"`, as an application's request line, `GET /api/orders/4711 200 1.234567ms
# 10.0.0.42`: its endpoint and status class kept (`kept_values`); as columns every request
# was one event; also with its own tag and time, as a journal or a syslog file holds the line
# (Ollama's `[GIN] 2026/12/05 - 10:01:06 | 500 | ...`: QA, its 200s, 404s and 500s one event)
_GIN_TAG = r"(?:\[GIN\] [0-9/]+ - [0-9:]+ \| )?"
_GIN_CANDIDATE = rf"^{_GIN_TAG}[1-5][0-9][0-9] \| "
_GIN_REQUEST = re.compile(
    rf'^{_GIN_TAG}([1-5][0-9][0-9]) \|\s+(\S+) \|\s+(\S*) \| ({"|".join(HTTP_METHODS)})\s+'
    r'"([^"\s]*)"$'
)
# ... and JFrog's request log, `GET|/api/npm/npm-remote/left-pad|200|0|3456|45|npm/9.8.1 node/
# v20.10.0` after its time, trace id, client and user, as the same request line, the user agent
# one quoted value (QA Artifactory: one word, a 500 and a 401 a 200's event, split by agent)
_PIPED_CANDIDATE = rf"(?:{'|'.join(HTTP_METHODS)})\|/"
_PIPED_REQUEST = (
    rf"({'|'.join(HTTP_METHODS)})\|(/[^|\s]*)\|([1-5][0-9][0-9])\|([0-9-]*)\|([0-9-]*)\|"
    r"([0-9-]*)\|(.*)$"
)
# Gitea's and Forgejo's router lines name the handler that served a request, `router: completed
# GET /alice/shop/issues/12 for 203.0.113.5:51234, 200 OK in 45.2ms @ repo/issue_view.go:287(repo.
# ViewIssue)` (and a slow one's, `router: slow GET ... elapsed 3.2s @ ...`): the handler is the
# event, the path a value (QA Forgejo: a path's first segment is
# an owner there, a template per owner, and a new organisation's browsing 42 false alarms)
_ROUTED_CANDIDATE = rf"router: [a-z]+ +(?:{'|'.join(HTTP_METHODS)}) /"
_ROUTED_REQUEST = re.compile(rf"^(.*\b{_ROUTED_CANDIDATE[:-1]})/\S*( for \S+, .* @ \S+)$")
# Drupal's syslog module's record, `base_url|timestamp|type|ip|request_uri|referer|uid|link|
# message`, as its type and message, `page not found: /wp-login.php` (QA Drupal: the record
# one word glued to the message's first, `Warning:`, `Notice:` and `Error:` of one PHP message
# one event, and a 404's path a 403's)
_DRUPAL_CANDIDATE = r"^https?://[^|\s]*\|[0-9]{9,11}\|"
_DRUPAL_RECORD = re.compile(
    _DRUPAL_CANDIDATE + r"([^|]+)\|[^|]*\|[^|]*\|[^|]*\|-?[0-9]*\|[^|]*\|(.*)$"
)
# Perforce's p4d command record, `pid 92818 alice@ws 10.0.0.5 [p4v/2023.2/NTX64/2468153]
# 'user-sync //depot/main/...'`: the command is the event, first (QA Perforce: quoted with its
# arguments it was one value, fifteen commands one `pid <*> <*> <*> [<*>] <*>` event, an
# obliterate by a normal user a sync's); its arguments stay one quoted value
_P4_CANDIDATE = r"\bpid [0-9]+ \S+ \S+ \[[^\]]*\] '[a-z]+-[A-Za-z]"
_P4_COMMAND = r"^(.*\bpid [0-9]+ \S+ \S+ \[[^\]]*\]) '([a-z]+-[A-Za-z][\w-]*)"
# an object's repr before its method, Graphite carbon's `CarbonClientFactory(10.0.1.5:2004:a)::
# connectionMade (10.0.1.5:2004)`: the class and method are the event, first, the object's
# arguments one value (QA Graphite: one word, `startedConnecting` and `connectionMade` were one
# event, and each destination's letter a template)
_REPR_METHOD_CANDIDATE = r"^[A-Z][A-Za-z0-9_]*\([^()\s]*\)::[A-Za-z_]"
_REPR_METHOD = r"^([A-Z][A-Za-z0-9_]*)\([^()\s]*\)::([A-Za-z_]\w*)(.*)$"
_CSV_REWRITES = _filterlog_patterns() + _nagios_patterns() + [
    (re.compile(_REPR_METHOD), r"\1::\2 " + WILDCARD + r"\3"),
    (re.compile(_P4_COMMAND + r" [^']*'(.*)$"), r"\2 \1 '" + WILDCARD + r"'\3"),
    (re.compile(_P4_COMMAND + r"'(.*)$"), r"\2 \1\3"),
    (_DRUPAL_RECORD, r"\1: \2"),
    (_GIN_REQUEST, r"\4 \5 \1 \2 \3"),
    (_ROUTED_REQUEST, r"\1" + WILDCARD + r"\2"),
    (re.compile("^" + _PIPED_REQUEST), r'\1 \2 \3 \4 \5 \6 "\7"'),
    # (the whole line's: the time, trace, client and user fields before it one word)
    (re.compile(r"^((?:[^|\s]*\|)+)" + _PIPED_REQUEST), r'\1 \2 \3 \4 \5 \6 \7 "\8"'),
    # ... and an openHAB item's change of state, its states one word each (masked by `MASKS`)
    (
        re.compile(r"^(.*\bItem '[^'\s]+' changed from )(.+?)( to )(.+?)((?: through \S+)?)$"),
        _openhab_states,
    ),
    # ... and pgaudit's record, `AUDIT: SESSION,5,1,MISC,BEGIN,,,BEGIN,<not logged>`, as named
    # words, its class, command and object the event (QA pgaudit: one word, BEGIN, COMMIT and
    # ROLLBACK were one `<*>` event, a rolled-back transaction a committed one's)
    (
        re.compile(
            r"^(.*\bAUDIT: )(SESSION|OBJECT),[0-9]+,[0-9]+,([A-Z]+),([A-Z][A-Z ]*),([A-Z ]*),"
            r"([^,]*),(.*)$"
        ),
        r"\1\2 class=\3 command=\4 object_type=\5 object=\6 statement=\7",
    )
]


def _spaced_csv(text: str) -> str:
    """A CSV record's fields as words (`_is_csv_record`), each one word (a field's own spaces
    JOIN: `United States` beside `Netherlands` made two templates of one event), else the
    text as it is."""
    for record, words in _CSV_REWRITES:
        if record.match(text):
            return record.sub(words, text)
    if not _is_csv_record(text):
        return text
    fields = _CSV_COMMA.sub(lambda m: m[1] or "\n", text).split("\n")
    return ", ".join(
        # ... but a field that names a failure keeps its words: joined, it was one variable
        # (QA Windows DHCP: `DNS Update Failed` was a `DNS Update Request`'s event), and so
        # does a first field of words alone, the record's kind (QA Windows DHCP: `Scope Full`,
        # `Database Cleanup Begin` and `DNS Update Request` were one event)
        _csv_quoted(f)
        if f.startswith('"')
        else f if _names_failure(f.split()) or (i == 0 and _CSV_KIND.fullmatch(f))
        else re.sub(r"\s+", JOIN, f)
        for i, f in enumerate(fields)
    )


def _csv_quoted(field: str) -> str:
    """A quoted field of a CSV record: its words where they are a sentence, the record's
    description (PAN-OS's SYSTEM record, `"User admin logged in via Web from 10.0.0.5 using
    https"`: QA, one quoted value, a login, a logout and a full disk one event), else as it
    is, one value (a URL, a user agent)."""
    text = field[1:-1]
    words = text.split()
    prose = sum(_PROSE_WORD.fullmatch(word) is not None for word in words)
    return text if len(words) >= 3 and prose * 2 >= len(words) else field


_PROSE_WORD = re.compile(r"[A-Za-z][a-z]*[,.:;]?")


_CSV_KIND = re.compile(r"[A-Za-z][A-Za-z()-]*(?: [A-Za-z()-]+)+")  # several words, no digit


# the rows `_spaced_csv` may rewrite, in one pass: CSV records, and the records of
# `_CSV_REWRITES` that have too few commas to be those (pgaudit's, Nagios', openHAB's, Gin's)
_REWRITE_CANDIDATES = "|".join(
    f"(?:{candidate})"
    for candidate in (_CSV_CANDIDATE, "AUDIT: ", _NAGIOS_CANDIDATE, _CMC_COMMAND,
                      _OPENHAB_CANDIDATE, _GIN_CANDIDATE, _PIPED_CANDIDATE, _ROUTED_CANDIDATE,
                      _DRUPAL_CANDIDATE, _P4_CANDIDATE, _REPR_METHOD_CANDIDATE)
)  # fmt: skip


def _spaced_csv_array(text: pa.Array) -> pa.Array:
    """`_spaced_csv` of each row, the candidates found in C first."""
    candidates = pc.fill_null(pc.match_substring_regex(text, _REWRITE_CANDIDATES), False)
    if not pc.any(candidates).as_py():
        return text
    spaced = [_spaced_csv(t) for t in text.filter(candidates).to_pylist()]
    return pc.replace_with_mask(text, candidates, pa.array(spaced, pa.string()))


def join_values(text: str) -> str:
    """`text` with the spaces inside each list of values and each quoted string of several
    words made JOIN (one word), as `mask_text` and `mask_array` read it."""
    if "'" not in text and '"' not in text and ", " not in text and ": " not in text:
        return text
    return _LIST_OR_QUOTE.sub(_joined, text)


# The value of a field that names a machine or a pod (`node="node-a"`, `host=web1`, `"pod":
# "default/api-7xq4h"`, JSON's `attr.hostName=db1`) is an entity, never the event: with few
# of them each held its own template, and a cluster's new node made every line of it a new
# event (QA klog: 43 of 60 windows flagged after a node was renamed). So is a name someone
# gave to an account, a job, a task, a queue or a bucket (`NAME_KEYS`; auditd's
# `acct="alice"`, MinIO's `accessKey`, AWS's `Credential=`): kept, an error that two users met
# in training was a new event for a third (QA Nextcloud, Keycloak), a new job's normal
# allocations new events (QA Nomad), and a new access key's normal calls (QA MinIO: each
# template had held one key, so no count of values could tell it was a name)
NAME_KEYS = (
    "user|username|user_name|usr|login|account|acct|email|principal|owner|uname|accesskey|"
    "authid|set_id|"  # sendmail's and Exim's SMTP AUTH account, `authid=sales` (QA: a
    # template per account)
    # ... and auditd's ENRICHED names of ids (`AUID="carol" UID="root"`: QA, kept where a
    # template met one, a second admin's routine change a new event)
    "uid|auid|euid|suid|fsuid|ouid|gid|egid|sgid|fsgid|ogid|"
    "box|mailbox|"  # Dovecot's mailboxes, `box=Drafts` (QA: some kept, some masked)

    "display_name|displayname|"
    # ... and Entra ID's sign-in's (`userDisplayName=Richard Clark`: QA, 1,328 of 1,742
    # templates named a person)
    "userdisplayname|"
    # ... and a Windows Security event's accounts and machines (`TargetUserName=adm_alice`,
    # `SamAccountName=`, `MemberName=CN=...`: QA, a template per account, a new help-desk
    # operator's routine work a new event)
    "targetusername|subjectusername|samaccountname|membername|workstationname|targetdomainname|"
    "subjectdomainname|targetoutboundusername|"
    "access_key|accesskeyid|access_key_id|credential|task|task_name|task_id|job|job_name|"
    "jobname|dag_id|queue|topic|bucket|pipeline|workflow|namespace|root_namespace|project|"
    "project_path|"
    # ... and a database's keyspace, ScyllaDB's and Cassandra's `keyspace=ks_app` (QA ScyllaDB:
    # a template per keyspace, a new keyspace's normal repair the run's highest score)
    "keyspace|"
    # ... and a Concourse team's and a step's (`data.team=platform`, `data.step-name=plan`: QA
    # Concourse, a template per team, a new team's every build an unseen event)
    "team|team_name|step_name|step-name|"
    # ... and a support department, Rocket.Chat Livechat's `department=sales` (QA: a template
    # per department a visitor's inquiry was queued for, a new department's every one new)
    "department|department_name|"
    # ... and a graphing tool's data source, Cacti's `dsname: errors_in` (QA: kept where it
    # names a failure, `errors_in` and `failed_logins` routine polls read as error events)
    "dsname|ds_name|"
    # ... and a monitoring check's and the entity it ran on, Sensu's `check_name=check-ntp`,
    # `entity_name=web04` (QA Sensu: kept where few were seen, one new check 780 false alarms)
    "check_name|entity_name|"
    # ... and a Druid datasource, `dataSource='wikipedia'`, and a task group named after it,
    # `groupId='index_kafka_wikipedia'` (QA Druid: a template per datasource, a new one's every
    # task and query a new event)
    "datasource|data_source|groupid|group_id|"
    # ... and an Argo CD application, `application=argocd/shop-payments` (QA: a rare message kept
    # it, and a new application's first sync a new event)
    "application|"
    # ... and a vector database's collection, Weaviate's `class_name=Article` (QA: one error a
    # template per class, a new class's routine compactions new events)
    "class_name|collection|collection_name|"
    # ... and a search engine's core, Solr's `Begin buffering updates. core=[orders_shard1_
    # replica_n3]`, `PeerSync: core=orders_shard1_replica_n3` (QA Solr: a template per core, a
    # node's normal restart in a new place new events)
    "core|core_name|"
    # ... and where a connection comes from or goes, a firewall's `src_country_code=NLD`, and a
    # user's group, Sophos' `user_gp="Sales"` (QA Sophos: 80 templates of one deny event)
    "src_country_code|dst_country_code|src_country|dst_country|srccountry|dstcountry|"
    "country|country_code|user_gp|user_group|usergroup|"
    # ... and a WiFi network's, wpa_supplicant's `ssid="HomeNet"`, `(SSID='HomeNet' freq=5180
    # MHz)` (QA systemd-networkd: a template per network, a laptop joining a new one a new event)
    "ssid|"
    # ... and a plugin's own id, Fluentd's `plugin_id="in_tail_postgres"` (QA: a template per
    # plugin a reload shut down, a routine reload on another host a new event)
    "plugin_id|"
    # ... and a Kubernetes label set's `app`, Promtail's `Adding target key="...:{app=\"shop\",
    # ...}"` (QA Loki: a template per app, a new deployment's target a new event)
    "app|"
    # ... and a Prometheus alert's or scrape job's (`alertname=\"KubeAPIDown\"`, `scrape_pool=
    # kubelet`: QA, a new rule's first normal notification a new event)
    "alertname|scrape_pool|"
    # ... and a PostgreSQL client's database and application (jsonlog's `dbname=`, csvlog's
    # columns as JSON: QA, a template per database, a new client application a new event)
    "database_name|dbname|application_name|"
    # ... and TiDB's current database of a statement, `[cur_db=shop]` (QA: a template per
    # database a DDL statement ran in; a connection's `database=` stays, as PostgreSQL's)
    "cur_db|"
    # ... and vCenter's operation ids, `opID=lro-123-4f5e6d7c` beside `opID=SWI-1a2b3c4d` (QA: a
    # template per caller's prefix, a known SOAP failure under another caller a new event)
    "opid|"
    # ... and an identity provider's client and realm, Keycloak's events `realmName="shop",
    # clientId="web-app"` (QA: a template per client and realm, a renamed client's every
    # login a new event: 111 false alarms of 128 normal windows)
    "clientid|client_id|realm|realmname|realm_name|"
    # ... and a database's table, HBase's `STUCK Region-In-Transition ..., table=customers`
    # (QA: a template per table, a stuck region in a third table a new event)
    "table|table_name|tablename|"
    # ... and CEF's users and domains, `duser=svc_sql dntdom=CORP` (QA CEF: a template per
    # service account, a new account's normal logon a new event)
    "duser|suser|dntdom|sntdom|"
    # ... and PAM's remote user, `ruser=bob rhost= user=bob` (QA polkit: kept beside the masked
    # `user=`, a template per user), PostgreSQL's authenticated `identity="grafana"` (QA
    # TimescaleDB: a template per account, a new service account's login a new event)
    "ruser|identity|"
    # ... and a process's, a trace's or an operation's id under its name, influxd's `log_id=
    # 0B61nsCt000` (one per process: QA InfluxDB, kept in every template of a one-process
    # file, and after a restart every event was new), `trace_id=`, `run_id=`
    "log_id|trace_id|traceid|span_id|spanid|run_id|"
    # ... and a ZFS pool and its device, zed's `pool='tank' vdev=ata-WDC_WD80EFAX-68KNBN0_SD32J2JV-
    # part1` (QA ZFS: a template per pool and disk, a replaced disk's fault a new event)
    "pool|pool_name|vdev|vdev_path|"
    # ... and an identity provider's sessions, requests and places (Okta's System Log, `actor.
    # displayName=`, `authenticationContext.externalSessionId=`, `debugContext.debugData.
    # requestId=`, `client.geographicalContext.city=`, `securityContext.isp=`: QA, 1,029
    # templates of about 25 events, a template per surname, city and ISP)
    "externalsessionid|sessionid|session_id|requestid|request_id|transactionid|uuid|city|"
    "postalcode|isp|asorg|as_org|"
    # ... and who submitted a task, SonarQube's `| submitter=gitlab-runner |` (QA: a template per
    # bot for a rare failure)
    "submitter|"
    # ... and a tenant, Loki's and Mimir's `org_id=shop-prod`, `orgID=` (QA Loki: a template
    # per tenant, a new tenant's routine queries new events)
    "org_id|orgid|tenant|tenant_id|tenantid|"
    # ... and Tempo's, `userid=team-checkout` (QA Tempo: a new tenant's blocks new events,
    # scored above the real anomalies)
    "userid|user_id|"
    # ... and Nagios' contacts and an acknowledgement's author and comment (`_NAGIOS_FIELDS`)
    "contact|author|comment|"
    # ... and a Kubernetes service's and namespace's as Cilium writes them (`serviceName=catalog
    # serviceNamespace=shop`, `k8sNamespace=data`: QA Cilium, a template per service, a new
    # service's upsert a new event)
    "servicename|service_name|servicenamespace|k8snamespace|k8spodname|"
    # ... and a container's image and Kubernetes namespace and pod as Falco writes them
    # (`container_image=ghcr.io/acme/cart container_image_tag=v2.1 k8s_ns=shop`: QA Falco, 38
    # templates of 7 rules, a new deployment's normal shell a new event)
    # (not a bare `image`: Sysmon's `Image=cmd.exe` is the program that ran, the event)
    "k8s_ns|k8s_namespace|k8s_pod_name|container_image|container_image_tag|"
    # ... and a Kubernetes user's groups, the audit log's `user.groups=["system:serviceaccounts",
    # ...]` (QA: a template per service account's namespace)
    "groups"
)
_ENTITY_KEYS = (
    "host|hostname|host_name|node|nodename|node_name|pod|podname|pod_name|instance|"
    "dvchost|shost|dhost|"  # CEF's device, source and destination hosts (QA CEF: kept)
    "hostidentifier|host_identifier|"  # osquery's (QA osquery: a rare event per host)
    "instance_name|server|server_name|servername|container|container_name|containername|"
    # ... and a thread's id (Sidekiq's `tid=el2yll`, base 36: a thread's first lines were a
    # template of its own, and a restart's new thread a new event; QA)
    "tid|thread_id|threadid|"
    # ... and a virtual machine's (QEMU's `-name guest=vm07,...`: QA libvirt, three VMs'
    # start-ups were templates of their own beside `guest=<*>`)
    "guest|vm|vm_name|vmname|"
    # ... and a CI runner's token, GitLab Runner's `runner=xY7kP2qZ` (QA: a template per runner,
    # and a re-registered runner's every job new)
    "runner|runner_id|runner_token|"
    # ... and a firewall's own name and serial, Sophos' `device_name="XGS2100" device_id=C443...`,
    # FortiGate's `devname=` and `devid=` (QA Sophos: a template per firewall, a second
    # firewall's normal traffic all new events)
    "device_name|device_id|devname|devid"
)
# a field's value, quoted or a word (not `========`)
# (escaped quotes too, a label set inside a quoted value: Alertmanager's `{alertname=\"X\"}`)
# ... or a JSON list of strings, Kubernetes' audit `user.extra.authentication.kubernetes.io/pod-uid=
# ["1b2c..."]` (QA: `pod-uid=<*>"<*>"]`, its bracket taken for the value), or one word in
# brackets, Solr's `core=[orders_shard1_replica_n3]` (QA: `core=<*>]`)
_FIELD_VALUE = (
    r"(?:\[\"[^\[\]]*\"\]|\[(?:<\*>|[^\[\]\s,;\"'<=])+\]"
    r"|\\\"[^\"\\]*\\\"|\"[^\"]*\"|'[^']*'|[^\s,;)}\]\"'<=][^\s,;)}\]\"'<]*)"
)
# ... written as JSON its value is quoted or a number: a quoted word and a colon in prose,
# nginx's `user "guest": password mismatch`, is no `"guest": value` (QA nginx: `password` was
# masked for the users named guest and user, a template of their own)
_JSON_VALUE = r"""(?:"[^"]*"|'[^']*'|-?[0-9][^\s,;)}\]"'<]*|true|false|null)"""
_ENTITY = rf"(^|[\s,;{{(\[._\"'])((?i:{_ENTITY_KEYS}))(\s*=|:){_FIELD_VALUE}"
_ENTITY_JSON = rf"(^|[\s,;{{(\[._\"'])((?i:{_ENTITY_KEYS}))([\"']\s*:\s*){_JSON_VALUE}"
# a name's field written `name=value` or as JSON, not in prose (`user: x`); its name may end a
# longer one, Argo CD's `dest-namespace=payments` (QA: kept)
_NAMED = rf"(^|[\s,;{{(\[._\"'-])((?i:{NAME_KEYS}))(\s*=){_FIELD_VALUE}"
_NAMED_JSON = rf"(^|[\s,;{{(\[._\"'-])((?i:{NAME_KEYS}))([\"']\s*:\s*){_JSON_VALUE}"
# ... and written `name:value` with no space, as Teleport and Go's text loggers write fields
# (`user:alice`, `identity.user:svc-ci`, `teleportUser:bob`: QA Teleport, a third admin's or a
# new bot's normal lines were new events, while `user=alice` was masked)
# ... and written with space after the `=` (`User = bob`), a value that is no next field
# (logfmt's empty `instance= next=Error`: QA Grafana, `next=Error` was masked as the instance,
# and an alert rule's error one event with its everyday `next=Pending`)
_SPACED_EQUALS = (
    rf"(^|[\s,;{{(\[._\"'])((?i:{_ENTITY_KEYS}|{NAME_KEYS}))(\s*=\s+)"
    r"(?:\"[^\"]*\"|'[^']*'|[^\s,;)}\]\"'<=]+)($|[\s,;)}\]\"'<])"
)
_NAMED_COLON = (
    rf"(^|[\s,;{{(\[._\"'])((?i:{NAME_KEYS}|teleportuser|unix-user|unix-group)):[A-Za-z_][\w.@-]*"
    r"($|[\s,;)\]}])"
)
# ... and a host named in prose with a colon and space, a name with a digit before a comma or
# the end (GlusterFS's `Received ACC from uuid: ..., host: node1, port: 0`: QA, which of three
# peers held a template depended on the lines' order)
# ... and written `name: value` in a list of such pairs, as Erlang's logger reports them (EMQX's
# `clientid: sensor-0405, msg: ..., username: device, topic: factory/line3/cmd`: QA, a template
# per topic, a client's one message split by what it named)
# (a pair's value a word up to the next pair or the end, not prose, `node: shutting down`; the
# brackets that close the list stay, Rundeck's `(project: ops, user: rundeck)`: QA, the `)` was
# taken into the value and the template lost it), nor where text follows them, ClickHouse's
# `(from 10.0.0.5:50728, user: bob) SELECT ...` (QA: a template per user, a new one's routine
# query a new event)
_NAMED_LISTED = (
    rf"(^|,\s)((?i:{_ENTITY_KEYS}|{NAME_KEYS})): [^\s,\"'=<)\]}}]+(,|\)\s|[)\]}}]*$)"
)
_ENTITY_SPACED = (
    r"(^|[\s,;(])((?i:host|hostname|node|nodename|peer)): "
    r"[A-Za-z][A-Za-z0-9-]*[0-9][A-Za-z0-9-]*(,|;|$)"
)
# Kubernetes' random five characters (`k8s.io/apimachinery/pkg/util/rand`: no vowels, no 0, 1
# or 3), at least one a digit: `x7k2p`, `2pcn9`, never a word
_K8S_CHAR, _K8S_DIGIT = "[bcdfghjklmnpqrstvwxz2456789]", "[2456789]"
_GENERATED_SUFFIX = "(?:" + "|".join(
    _K8S_CHAR * i + _K8S_DIGIT + _K8S_CHAR * (4 - i) for i in range(5)
) + ")"
# HAProxy's HTTP log names the server that answered (`app/web3`) and may capture a cookie
# (`SRVID=web3`, `-` when none) before its five timers `Tq/Tw/Tc/Tr/Tt` and after status and
# bytes: both say which machine or visitor, not what happened, like a host's name. Kept, each
# endpoint was 3 servers x 2 cookies templates and ngram flagged normal visits for their
# unseen pairs (QA HAProxy: 101 false alarms); `<NOSRV>` (no server: the request failed)
# stays in the template.
# The same goes for its TCP log (three timers `Tw/Tc/Tt`) and the server in its state and
# health-check lines (`Server be_app/app02 is DOWN`, `Health check for server be_api/api01
# failed`), and for the proxies a reload starts and stops (`Stopping frontend fe_http in 0
# ms.`): QA HAProxy, a template per server or proxy, a known hiccup on another server new.
# The flags' last two characters are the persistence cookie's state (`--NI`: none, inserted;
# `--VN`: valid), the visitor's, not the request's: each event was two templates, its rarer
# twin a false alarm (QA); they are written `--`, the session's end state kept (`SC`, `cR`).
_TIMERS = r"-?\d+/-?\d+/-?\d+/-?\d+/\+?-?\d+"
_TCP_TIMERS = r"-?\d+/-?\d+/\+?-?\d+"
_HAPROXY = [
    (rf"(\s[\w.~-]+/)[\w.-]+(\s+(?:{_TIMERS}|{_TCP_TIMERS})\s)", r"\1" + WILDCARD + r"\2", 1),
    (  # the two cookie fields (`-` when none was captured): between bytes and the flags
        rf"(\s{_TIMERS}\s+\S+\s+\+?\d+\s+)\S+\s+\S+(\s+[A-Za-z-]{{2}})[A-Za-z-]{{2}}(\s)",
        r"\1" + WILDCARD + " " + WILDCARD + r"\2--\3",
        1,
    ),
    (r"((?:^|\s)(?i:server) [\w.~-]+/)[\w.-]+(\s+is\s|\s+failed|,)", r"\1" + WILDCARD + r"\2", 1),
    (
        r"((?:^|\s)(?:Proxy|(?i:stopping|pausing|resuming) (?:frontend|backend|proxy)|backend) )"
        r"[\w.~-]+( (?:started|stopped|paused|resumed|has no server available|in [0-9]+ ms))",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
]
# (pattern, replacement, passes): a pass count of 2 catches matches that share a delimiter.
# ActiveMQ's (JMS) ids, `ID:amq-prod-01-51677-1764609636702-0:1`: the host that made the id,
# a port, the epoch in ms and counters, one value (QA ActiveMQ: the host stayed in the
# template, `ID:amq-prod-<*>-...`, and a broker moved to another host a new event)
_JMS_ID = (r"(^|[\s=(,\[])ID:[\w.-]+?-[0-9]+-[0-9]{10,}-[0-9]+(?::[0-9]+)*", r"\1ID:" + WILDCARD, 1)
# Linux block devices as the kernel, md, smartd and ZFS name them (`dev sda,`, `Disk failure on
# sdb1,`, `md/raid1:md0:`, `ata3.00:`, `vdev=sdd1`, `nvme0n1p2`, `dm-3`): which disk, not what
# happened (QA storage daemons: a template per disk and array, a normal check of a new array
# `md1` a new event). With a number only (a whole disk's `sda` in a device's places: `dev sda`,
# `[sda]`): `sdk` and `sdpd` are words
_DISK_NUMBERED = (
    r"(^|[^\w/.-])(?:ata[0-9]+(?:\.[0-9]+)?|nvme[0-9]+n[0-9]+(?:p[0-9]+)?"
    r"|dm-[0-9]+|loop[0-9]+|x?[sv]d[a-z]{1,2}[0-9]+|hd[a-d][0-9]+"
    # ... and replicated and network block devices, DRBD's `drbd0` (QA DRBD: each event a
    # template per device minor), Ceph's `rbd3`, a ZFS volume's `zd16`
    r"|drbd[0-9]+|rbd[0-9]+|zd[0-9]+)(\.?(?:$|[^\w.-]))"
)
_DISKS = [
    (_DISK_NUMBERED, r"\1" + WILDCARD + r"\2", 2),
    (r"((?:^|\s)dev )x?[sv]d[a-z]{1,2}([\s,:]|$)", r"\1" + WILDCARD + r"\2", 1),
    (r"(\[)x?[sv]d[a-z]{1,2}(\])", r"\1" + WILDCARD + r"\2", 1),
    # ... and a disk, a multipath map or an iSCSI session naming what a message is about, first
    # (`sdb: detected capacity change`, `mpatha: remaining active paths: 1`, `session1:
    # session recovery timed out`, multipathd's `mpathb: sdc - tur checker ...`), or after
    # `devmap`, `generic`, `path` (`path added to devmap mpathc`, `scsi generic sg9`): QA
    # multipath, a template per device, a routine event on a new LUN a new event
    (
        r"^(?:x?[sv]d[a-z]{1,3}|mpath[a-z]{1,3}|session[0-9]+)(:|\s\[|\s-\s)",
        WILDCARD + r"\1",
        1,
    ),
    (r"(: )x?[sv]d[a-z]{1,3}( - )", r"\1" + WILDCARD + r"\2", 1),
    (
        r"((?:^|\s)(?:devmap|generic|path) )(?:x?[sv]d[a-z]{1,3}|mpath[a-z]{1,3}|sg[0-9]+)"
        r"($|[\s,:])",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    # a SCSI command's bytes after its name, `CDB: Write(10) 2a 00 05 c3 15 cf 00 00 08 00`:
    # one value (QA multipath: a byte without a digit, `cf`, kept, one event 8 templates)
    (
        r"(CDB: [A-Za-z][\w ]*(?:\((?:[0-9]+|<\*>)\))? )"
        rf"[0-9a-f<*>{JOIN}]+(?: [0-9a-f<*>{JOIN}]+)+$",
        r"\1" + WILDCARD,
        1,
    ),
    # an md array where md names it (`md: md1: data-check done.`, `md/raid1:md0:`, `RAID
    # array md0`, the kernel's `[123.4] md0: detected capacity change`): masks see every digit
    # as 0, so a bare `md0` cannot be told from `md5`; RAID 5's `md/raid:md2:` too (QA mdadm:
    # kept, a healthy boot of an array assembled as `md127` a new event)
    (r"(\] |md: |array |raid[0-9]*:)md[0-9]+(:|\s|$)", r"\1" + WILDCARD + r"\2", 1),
]
# Flink's job and task names, which a user gives (`.name("...")`), words and all: before a job's
# id (`Job Flink Streaming Job (cd613e...) switched from state CREATED to RUNNING.`, `... for
# WordCount (1e2f...).`) and an operator chain's before its subtask and attempt (`Source: Kafka
# Source -> Filter -> Map (1/2)#0 (<attempt id>) switched from ...`, `Loading JAR files for task
# ...`): QA Flink, 52 events were 259 templates, a renamed job's every state change new
# the parameters that name a query string's operation when first (`MASKS`, `miner`)
QUERY_OPERATION_KEYS = ("command", "action", "op", "operation")
_FLINK_ATTEMPT = (  # (in parentheses or not: `... for task <name> (1/2)#0 <attempt>.`)
    r"( \([0-9]+/[0-9]+\)(?:#[0-9]+)? \(?[0-9a-f]{32}_[0-9a-f]{32}_[0-9]+_[0-9]+\)?)"
)
_FLINK_NAMES = [
    (r"(\bJob |\bfor )[^()<]+?( \([0-9a-f]{32}\))", r"\1" + WILDCARD + r"\2", 1),
    (rf"(\btask |\bresources for )[^<]+?{_FLINK_ATTEMPT}", r"\1" + WILDCARD + r"\2", 1),
    (rf"(^|\] - )[^<\]]+?{_FLINK_ATTEMPT}", r"\1" + WILDCARD + r"\2", 1),  # (not the logger)
]
# a PCI device's address, `PCI:0000:3b:00` (NVIDIA's Xid), `0000:3b:00.0` (the kernel's): one
# value, where its hex parts were masked or kept as they fell (QA GPU nodes: a template per bus)
_PCI = [
    (r"(PCI:)[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}(?:\.[0-7])?", r"\1" + WILDCARD, 1),
    (
        r"(^|[\s(\[])[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]([:\s\])]|$)",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
]
_RSPAMD_SYMBOL = r"[A-Z][A-Z0-9_]*\(-?[0-9.]+\)\{[^{}\s]*\}"
_RSPAMD_SYMBOLS = rf"(^|\s)\[{_RSPAMD_SYMBOL}(?:,{_RSPAMD_SYMBOL})*\]"
_GRAPH_SCHEMA = r"(^|[\s=,(\[-])\(:[A-Za-z_`][^\s()]*\)"
# a label's quoted value, its quotes escaped or not (not one masked already: each pass masks the
# next pair)
_LABEL_VALUE = r'(\\?")[^"\\<][^"\\]*(\\?")'
_LABEL_AFTER_MASKED = r'(=\\?"<\*>\\?",\s?[A-Za-z_]\w*=)'
# an item of a list once masked: a value (an IPv6 address in its brackets), a `key:value` pair or
# an address and its port, or a path with its `:level=0`; and the list of them, comma- or
# space-separated, the last comma kept or not
_MASKED_ITEM = r"\[?<\*>\]?(?::<\*>|:[A-Za-z_]+=<\*>)?"
_MASKED_ITEMS = rf"{_MASKED_ITEM}(?:(?:, ?| ){_MASKED_ITEM})*,? ?"
# an entry of a map as Java's and Clojure's `toString` write it, `key=value`, keyed by values:
# a key a list in brackets or a word with a digit (an id), a value a word or a struct
# (`NodeInfo(node:..., port:[6703])`). A map keyed by names stays, its names kept (Prometheus'
# `{cluster="eu", replica="a"}`, Solr's `{wt=json}`, Ruby's `{:status=>500}`), and so does a
# word with parentheses (Kerberos' `etypes {rep=aes256-cts-hmac-sha1-96(18), ...}`: a weak
# encryption type an event of its own)
_MAP_ENTRY = (
    r"(?:\[[^\[\]{}]*\]|[^{}=,\s()\"']*[0-9][^{}=,\s()\"']*)"
    r"=(?:[A-Z][A-Za-z0-9_]*\([^(){}]*\)|[^{}=,\s()>\"']+)"
)
# a word of a cipher suite's name, its digits plain or marked (`kept_values.MARKED_DIGITS`)
_CIPHER_WORD = f"[A-Z0-9{kept_values.MARKED_DIGITS}]+"
MASKS: list[tuple[str, str, int]] = [
    _HEX0X,  # first: `mask_array` applies it alone, then `MASKS[1:]`
    # rspamd's symbols with their scores and options, `[ARC_NA(0.00){},MIME_GOOD(-0.10){text/
    # plain;},...]`: one value, a list of variable length (QA rspamd: the one line per message
    # was 49 templates by how its symbols split into words, and any new mix a new event)
    (_RSPAMD_SYMBOLS, r"\1[" + WILDCARD + "]", 1),
    # the command sudo ran, `... ; USER=root ; COMMAND=/usr/bin/tail -f /var/log/syslog`: the
    # whole command line one value, as its program already was (QA desktop journal: a template
    # per command's arguments, an admin's first `tail -f` a new event)
    (r"(; COMMAND=)\S.*$", r"\1" + WILDCARD, 1),
    # a terminal line, Arista's `Startup config saved ... by alice on vty7`, `LOGIN ON tty1`:
    # which line an admin came in on is no event (QA Arista EOS: a template per vty, a save
    # from a line training never showed a new event, all nine false alarms)
    (r"(^|[\s(\[=])(vty|tty|ttyS|ttyUSB|ttyAMA|con|aux)[0-9]+($|[\s,.;:)\]])",
     r"\1\2" + WILDCARD + r"\3", 1),
    # a task's parameters in its id, Luigi's `ComputeMetrics(date=2026-03-09, hour=10,
    # metric=gmv)`: the task's class is the event, its parameters one value (QA Luigi: a
    # template per metric and source, a new metric's normal run a new event); two at least
    # (Android's `Surface(name=PopupWindow:...)`, Linux's `LOGIN(uid=0)` stay)
    (r"(\b[A-Z][A-Za-z0-9_]*\()[a-z_][a-z0-9_]*=[^\s,()]*(?:, [a-z_][a-z0-9_]*=[^\s,()]*)+(\))",
     r"\1" + WILDCARD + r"\2", 1),
    # a workflow's node by the name its author gave it, n8n's `Running node "HTTP Request"`,
    # `Start executing node "Respond to Webhook"`: one value, of one word or many (QA n8n: a
    # several-word name masked, a one-word or two-word one kept, four templates of one event)
    (r'(\b(?:[Rr]unning|[Ee]xecuting|[Ff]inished|[Ff]ailed) node )"[^"]*"',
     r'\1"' + WILDCARD + '"', 1),
    # what a player says it plays, Liquidsoap's `Now playing: Tycho - Drift Prism`: an artist's
    # and a title's words, one value (QA Liquidsoap: a template per number of words in a
    # title, a known artist's new song a new event, 187 false alarms)
    (r"(\b[Nn]ow playing:? )\S.*$", r"\1" + WILDCARD, 1),
    # a short message's text, Kannel's access log `[msg:9:STOP 4265]`, smsbox's `msg:<STOP
    # 4265>` and `Starting to service <STOP 4265> from ...`, a delivery report's excerpt of
    # it, `err:000 text:Your invoice for Oct`: one value, whatever its words (QA Kannel: a
    # template per number of words, a month's invoices a new event); a report's own fields
    # (`[msg:N:id:... stat:UNDELIV err:...`) stay
    (r"(\[msg:(?:[0-9]+|<\*>):)(?:[^i\]][^\]]*|i[^d\]][^\]]*|i)(\])", r"\1" + WILDCARD + r"\2", 1),
    (r"(\berr:\S+ [Tt]ext:)[^\]]*", r"\1" + WILDCARD, 1),
    (r"( msg:<).*(>)$", r"\1" + WILDCARD + r"\2", 1),
    (r"(\bStarting to service <)[^>]*(> from )", r"\1" + WILDCARD + r"\2", 1),
    # a TLS cipher suite, OpenSSL's `ECDHE-RSA-AES256-GCM-SHA384` or IANA's `TLS_AES_256_GCM_
    # SHA384`: which one a client negotiated is a value (its protocol version stays: QA
    # OpenSMTPD, Pure-FTPd, a template per cipher, a client's ChaCha20 a new event)
    # (its key size may be marked already, `AES_256` a number kept: `_CIPHER_WORD`)
    (
        rf"(^|[\s:=(,])(?:TLS_{_CIPHER_WORD}(?:_{_CIPHER_WORD})+|(?:EC)?DHE?-{_CIPHER_WORD}"
        rf"(?:-{_CIPHER_WORD})*-(?:SHA(?:{_CIPHER_WORD})?|POLY1305))($|[\s:,;)])",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    # a host's name beside its address, GPFS's `Connecting to 10.10.0.11 nsd01 <c0n0>` (and
    # its connection id), `Node 10.10.0.23 (cn03) lease renewal is overdue` (QA GPFS: the
    # address masked, the name kept, a template per node: a new node's or group leader's
    # routine lines new events)
    (r"(\b[0-9]{1,3}(?:\.[0-9]{1,3}){3} )[A-Za-z][\w-]*[0-9][\w.-]*( <c[0-9]+n[0-9]+>)",
     r"\1" + WILDCARD + r"\2", 1),
    (r"(\b[0-9]{1,3}(?:\.[0-9]{1,3}){3} \()[A-Za-z][\w-]*[0-9][\w.-]*(\))",
     r"\1" + WILDCARD + r"\2", 1),
    (r"(^|\s)<c[0-9]+n[0-9]+>($|[\s,.;:)])", r"\1" + WILDCARD + r"\2", 1),
    # a list of structs, Storm's `executors:[ExecutorInfo(task_start:2, task_end:2), ...]` (a
    # Thrift or Python repr): one value however many items (QA Storm: a template per number of
    # executors, a worker with a count training never met a new event, most false alarms)
    # (its fields named and numbers, Thrift's `toString`: Android's `crop:[Rect(0, 48 - 720,
    # 1208)]` stays, and Hive's `[LockComponent(type:EXCLUSIVE, level:TABLE, ...)]`, a lock's
    # kind an event)
    (
        r"\[(?:[A-Z][A-Za-z0-9_]*\([a-z_]+:-?[0-9]+(?:, [a-z_]+:-?[0-9]+)*\)(?:, ?)?)+\]",
        "[" + WILDCARD + "]",
        1,
    ),
    # ... and a map, of them or of words, `executor_node_port:{[4, 4]=NodeInfo(node:..., port:
    # [6703]), ...}`, `node_host:{23b8c1e9-...=sup02.prod, 972a...=sup04.prod}` (QA Storm: a
    # template per number of nodes an assignment spread over)
    (rf"\{{{_MAP_ENTRY}(?:, {_MAP_ENTRY})*(?:, \.\.\.)?\}}", WILDCARD, 1),
    # a Kubernetes event's object, `Event(v1.ObjectReference{Kind:"Pod", Namespace:"search",
    # Name:"indexer-g5jkwlgpt-7rmrg", ...})`: its kind is the event, namespace and name values
    # (QA cluster-autoscaler: a template per namespace and deployment, one pod's NotTriggerScaleUp
    # a new event)
    (r'(ObjectReference\{Kind:"[^"]*", Namespace:")[^"]*(", Name:")[^"]*"',
     r"\1" + WILDCARD + r"\2" + WILDCARD + '"', 1),
    # a token OpenStack Swift logs cut short, `gAAAAABbc39668445d06678...`
    # (QA Swift: one kept in a template, a credential in templates.csv and the evidence)
    # (a digit inside, long: Android's `querySoundEffectsEnabled...` is a method's name)
    (r"(^|\s)[A-Za-z0-9_-]{8,}[0-9][A-Za-z0-9_-]{6,}\.\.\.($|\s)", r"\1" + WILDCARD + r"...\2",
     1),
    # a Kubernetes object's name after its kind and API group, Argo CD's `deployment.apps
    # "catalog-svc" is invalid` (QA Argo CD: a template per application failing to sync, its
    # name kept where it had no digit)
    (
        r"(^|[\s:(])([a-z]+\.(?:apps|batch|policy|autoscaling|extensions|"
        r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:io|com|dev|org|net)) )\"[^\"\s]+\"",
        r'\1\2"' + WILDCARD + '"',
        1,
    ),
    # the project of a Zuul item's repr, `<Change 0x7f8f8011316b zuul/zuul 903057,4>` (also a
    # Branch, Tag or Ref): a repository is a value (QA Zuul: `openstack/<*>` masked beside
    # `zuul/zuul` kept, a template per rare project, a new project's every change flagged)
    (
        r"(<(?:Change|Branch|Tag|Ref) (?:<\*>|0x[0-9a-fA-F]+) )[\w.-]+/[\w./-]+",
        r"\1" + WILDCARD,
        1,
    ),
    # a Bamboo build's result key, project and plan (and job) before its number,
    # `CORE-API-764`, `DATA-ETL-JOB1-399` (QA Bamboo: a template per plan, 17 for one `Saved
    # build result` event, a new plan's every build a new event); an Oracle code's one word
    # before its number (`ORA-00600`) stays
    (r"(^|[\s(\[=:'\"])[A-Z][A-Z0-9]+(?:-[A-Z][A-Z0-9]*){1,2}-[0-9]+($|[\s)\],;:'\"]|\.\s|\.$)",
     r"\1" + WILDCARD + r"\2", 1),
    # the command of a Dockerfile step in BuildKit's span, `span="[build 2/5] RUN apk add
    # --no-cache git"`, read as `span=[build <*>/<*>] RUN <*>` (QA BuildKit: a template per RUN
    # command, the message's own copy in brackets masked); the instruction stays
    (r"(span=\[[^\]]*\] [A-Z]+)((?: [^\s=]+)+?)( [A-Za-z_.]+=|$)",
     r"\1 " + WILDCARD + r"\3", 1),
    # the user who asked, ending a message, Bamboo's `Build X stop requested by lgarcia` (QA: a
    # template per user, the next user's stop a new event)
    (r"(\b(?:requested|triggered|initiated|approved|cancell?ed) by )[a-z][a-z0-9._-]*$",
     r"\1" + WILDCARD, 1),
    # ... and its queue's name, by default the project's, `<ChangeQueue check: zuul/zuul>`
    (r"(<ChangeQueue [\w.-]+: )[^<>\s]+>", r"\1" + WILDCARD + ">", 1),
    # an id under a camel-cased name ending in Id, Argo CD's `syncId=68981-uuwKH` (QA: its
    # random suffix kept, `syncId=<*>-gpQmY`, where scoring met it in a new template)
    # (up to a colon: a name after it stays, CloudTrail's `principalId=AROA...:carol`)
    (r"(^|[\s,;{(\[])([a-z][A-Za-z0-9]*[a-z0-9](?:Id|ID)=)[^\s,;:)}\]\"']+", r"\1\2" + WILDCARD, 1),
    # sendmail's local sender and recipient, `from=www-data, size=...`, `to=root, ctladdr=root
    # (0/0)` (QA Sendmail: a template per account, a new job's account every mail it sent
    # flagged), the host a milter names, `clamav-milter 1.0.7 at mx1` (QA: a template per
    # host, a renamed relay all of its mail flagged), and the queue id a relay accepted a
    # message under, `stat=Sent (6B50H34H012066 Message accepted for delivery)`
    # a list cut short with `...`, Zipkin's `Cannot store spans [2a34..., bd90..., a240..., ...]
    # due to ...`: one value, whatever its length (QA Zipkin: a template by the count of ids
    # before the `...`, and the `[` lost in one of them)
    (r"\[[^\[\]]*, \.\.\.\]", "[" + WILDCARD + "]", 1),
    # the rules a message hit, SpamAssassin's spamd `result: . -1 - DKIM_SIGNED,SPF_PASS
    # scantime=...` and a header's `tests=BAYES_00,...`: one value, a list of any length (QA
    # SpamAssassin: 2,598 templates of one event, a template per combination of rules, and
    # every ordinary mail with a new combination flagged)
    # (a rule's digits may be marked kept already, `kept_values`: any word after its letter)
    (r"(\bresult: [.Y] -?[0-9.]+ - )[A-Z][^\s,]*(?:,[A-Z][^\s,]*)*( |$)",
     r"\1" + WILDCARD + r"\2", 1),
    (r"(\btests=)[A-Z][^\s,]*(?:,[A-Z][^\s,]*)*(,? |$)", r"\1" + WILDCARD + r"\2", 1),
    # a caller's display name in FreeSWITCH's dialplan, `Processing Mary Ann Smith
    # <1024>->1029 in context default`: one value whatever its words (QA FreeSWITCH: a
    # template per count of words, a normal call from `Cher` a new event)
    (r"(^|\s)(Processing) [^<>]*?( ?<[^<>\s]*>->\S+ in context )", r"\1\2 " + WILDCARD + r"\3", 1),
    (r"(\bfrom=)[A-Za-z_][\w.-]*(, size=)", r"\1" + WILDCARD + r"\2", 1),
    (r"(\b(?:to|ctladdr)=)[A-Za-z_][\w.-]*(, (?:ctladdr|delay)=| \()", r"\1" + WILDCARD + r"\2", 2),
    (r"(clamav-milter )\S+( at )\S+$", r"\1" + WILDCARD + r"\2" + WILDCARD, 1),
    (r"(\bstat=\w+ \()[0-9A-Za-z]{8}[0-9]{5,6}( )", r"\1" + WILDCARD + r"\2", 1),
    # the packages unattended-upgrades lists, `Packages that will be upgraded: libssl3 openssl`,
    # `Initial blacklist: linux-image-amd64` (QA: a template per count of packages, a short list
    # kept whole, and a day upgrading five packages as new an event as a failure)
    (
        r"((?:Packages that will be upgraded|Packages that are (?:auto removed|kept back)|"
        r"Packages with upgradable origin but kept back|Initial (?:black|white)list"
        r"(?: \(not strict\))?):) \S.*$",
        r"\1 " + WILDCARD,
        1,
    ),
    # a list of quoted names ending the message, snapd's `cannot refresh: snap has no updates
    # available: "core22", "firefox", "lxd"`: one value, a list of variable length (QA snapd: a
    # template per count of snaps, one host's whole list a template, and a snap installed
    # there a new event on every refresh)
    (r'(: )"[^"\s,]+"(?:, "[^"\s,]+")+$', r"\1" + WILDCARD, 1),
    # a content item's title in Drupal's messages, `article: updated Summer sale.` (after its
    # type, `content: ` or `content `): a value (QA Drupal: a template per title)
    (
        r"^((?:content:? )?[a-z][\w-]*: (?:added|updated|deleted|published|unpublished) )\S.*?"
        r"(\.)$",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    # a name of several words in parentheses after a thing's masked id, ending a label,
    # Mautic's `Segment 12 (VIP customers): 45 contacts added` (QA Mautic: a template per
    # segment, a renamed segment's normal updates 54 false alarms)
    (
        rf"(\b[A-Z][a-z]+ (?:[0-9]+|{_WILDCARD_RE}) \()[^()]*\s[^()]*(\):)",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    # PHP's undefined key, index or variable, `Undefined array key "utm_source"` (QA Mautic,
    # Drupal: a template per key)
    (r'(\bUndefined array key )"[^"\s]*"', r'\1"' + WILDCARD + '"', 1),
    (r"(\bUndefined (?:index|offset|variable|property): ?)[^\s'\"]+", r"\1" + WILDCARD, 1),
    # polkit's subject as its command line (`for unix-process:4321:987 [pkexec /usr/bin/systemctl
    # restart sshd]`), pkexec's `[COMMAND=...]` and its user first (`alice: Executing command`):
    # QA polkit, a template per user and per number of the command's words
    (r"((?:unix-process|system-bus-name):[^\s\[]* )\[[^\]]*\]", r"\1[" + WILDCARD + "]", 1),
    (r"(\[COMMAND=)[^\]]*(\])", r"\1" + WILDCARD + r"\2", 1),
    (r"^[a-z_][\w.-]*(: (?:Executing command|Error executing command) )", WILDCARD + r"\1", 1),
    # a user's login path in Vault's audit log, `auth/userpass/login/alice` (QA Vault: a
    # template per user, a user's normal login a new event)
    (r"(\bauth/[\w.-]+/login/)[^\s/\"',;)}\]]+", r"\1" + WILDCARD, 1),
    # a list of names after a plural label, Velero's `Including namespaces: shop,auth` beside
    # `shop,auth,monitoring` (QA Velero: a template per list, a normal backup of `auth,shop` a
    # new event)
    (r"(\b[a-z]+s: )[a-z*][\w.*-]*(?:,[a-z*][\w.*-]*)+($|[\s\"])", r"\1" + WILDCARD + r"\2", 1),
    # a statement written unquoted at the end of a record's fields, Pinot's broker stats
    # `...,exceptions=0,query=SELECT city, count(*) FROM orders ...` (QA Pinot: a template per
    # query text, a new dashboard's normal query flagged at the unseen-key cap)
    # ... also as `stmt=` and after a label in prose, Impala's `Analyzing query: select ...` and
    # `Exec() query_id=... stmt=select ...` (QA Impala: a template per query's shape, every
    # normal ad-hoc query a new event)
    (
        r"((?:^|[\s,;])(?i:query|sql|statement|stmt)(?:=|: ))(?i:SELECT|INSERT|UPDATE|DELETE"
        r"|WITH|SHOW|DESCRIBE|EXPLAIN|SET|CREATE|DROP|ALTER|UPSERT|COMPUTE|REFRESH"
        r"|INVALIDATE)\s.*$",
        r"\1" + WILDCARD,
        1,
    ),
    # ... and a quoted statement in a call's arguments, RQ's job description in Redash's
    # worker log, `execute_query("SELECT * FROM users WHERE plan = 'pro'", 3, ...)` (QA Redash:
    # a template per query, an analyst's new query a new event); by its shape, so a quoted
    # sentence that starts with such a word stays (`"Select a plan"`)
    (
        r'"(?:(?i:SELECT)\s[^"]*?\s(?i:FROM)\s|(?i:INSERT\s+INTO)\s|(?i:UPDATE)\s+\S+\s+(?i:SET)\s'
        r'|(?i:DELETE\s+FROM)\s|(?i:WITH)\s+\S+\s+(?i:AS)\s)[^"]*"',
        '"' + WILDCARD + '"',
        1,
    ),
    # a resource pool or queue named by its dotted path, Impala's `Rejected query from pool
    # root.adhoc: queue full` (QA Impala: a template per pool, a rejection from another pool
    # a new event)
    (
        r"(\b(?i:pool|queue) )[a-z][\w-]*(?:\.[\w-]+)+?([:,;.]?(?:\s|$))",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    # a name of several words as a JSON member's value in a message, BigBlueButton's
    # `"fullname":"Ahmed van der Berg"`, `"filename":"Kapitel 4 Übungen.docx"`, or in a
    # bracketed list of fields, `[meetingID=..., name=Physics II - Lab, ...]` (QA BigBlueButton:
    # a template per person, meeting and file whose name has spaces)
    (r'("[A-Za-z_]*(?i:name)": ?")[^"]*\s[^"]*(")', r"\1" + WILDCARD + r"\2", 1),
    (
        r"((?:\[|, )[A-Za-z_]*(?i:name)=)[^,\[\]=]*\s[^,\[\]=]*([,\]])",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    # a ZeroTier network's interface, `zt` and eight random letters or digits (`ztukwh4qvd:
    # Gained IPv6LL`: QA ZeroTier, a template per network, a host's new network 13 false alarms)
    (r"(^|[^\w-])zt[a-z0-9]{8}($|[^\w-])", r"\1" + WILDCARD + r"\2", 1),
    # a lower-case name in backticks, as Rust services quote what they name (Qdrant's
    # `Collection `faq-chunks` doesn't exist!`, Meilisearch's `The index `prodcts` was not
    # found.`): a value (QA Qdrant: a template per missing collection); a type's or a call's
    # (`None`, `Option::unwrap()`) stays
    (r"(\s`)[a-z][a-z0-9_.-]*(`(?:[\s,.:;!)]|$))", r"\1" + WILDCARD + r"\2", 1),
    # a Prometheus label set's values, `{cluster="prod-eu", replica="prometheus-0"}` (Thanos'
    # external labels and compaction groups): where series come from, never the event (QA
    # Thanos: a template per cluster, a new region's every line a new event); its names stay.
    # The first pair, then each pair after a masked one, a pass each (before any other mask
    # writes a `="<*>"`)
    (r"(\{[A-Za-z_]\w*=)" + _LABEL_VALUE, r"\1\2" + WILDCARD + r"\3", 1),
    (_LABEL_AFTER_MASKED + _LABEL_VALUE, r"\1\2" + WILDCARD + r"\3", 8),
    # the encryption types a Kerberos client offers, `AS_REQ (8 etypes {aes256-cts-hmac-sha1-
    # 96(18), ...})`: one value, the client's (QA MIT KDC: a template per client OS and its list
    # half masked); what the KDC chose, `etypes {rep=..., tkt=rc4-hmac(23), ...}`, stays
    (r"(\betypes \{)[^{}=]*(\})", r"\1" + WILDCARD + r"\2", 1),
    # a Kubernetes pod's name as a Deployment makes it, `web-7d9f8b6c5d-x2k4p`: its ReplicaSet's
    # hash (hex letters too) and its own suffix are random (Kubernetes' alphabet: no vowels),
    # the first part the workload (QA audit log: `web-<*>-x2k4p`, after a rollout every event
    # of its service account new)
    (
        r"(^|[^\w-])([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)-[a-hj-np-tv-xz0-9]{6,10}"
        r"-[b-df-hj-np-tv-xz0-9]{5}($|[^\w-])",
        r"\1\2-" + WILDCARD + "-" + WILDCARD + r"\3",
        1,
    ),
    # ... and the names in Kubernetes' authorizer's reason, `RBAC: allowed by ClusterRoleBinding
    # "system:kube-scheduler" of ClusterRole "system:kube-scheduler" to User "..."` (QA audit
    # log: a template per user for one request)
    (
        r"(\b(?:Cluster)?Role(?:Binding)?|\bUser|\bGroup|\bServiceAccount) " + _LABEL_VALUE,
        r"\1 \2" + WILDCARD + r"\3",
        1,
    ),
    # an LDAP search filter's values, `filter="(&(objectClass=posixAccount)(uid=alice))"`: the
    # attributes and operators are the query's shape, the values what it asked (QA OpenLDAP:
    # `objectClass=inetOrgPerson` made a client's usual search a new event); a presence test,
    # `(objectClass=*)`, stays (a directory dump's). Each assertion after `filter="`, an
    # operator or the one before it, a pass each
    (
        r"((?:filter=\"?|[&|!)])\([A-Za-z][\w;.-]*[~<>]?=)(?:[^()*\"][^()\"]*|\*[^()\"]+)(\))",
        r"\1" + WILDCARD + r"\2",
        4,
    ),
    # ... and the attributes a search asks for, slapd's `SRCH attr=uid cn mail memberOf`: a
    # client's list, one value whatever its length (QA: a template per client's list)
    (r"(\bSRCH attr=)\S.*$", r"\1" + WILDCARD, 1),
    # ... and its base, an entry's name as a bind's `dn="<*>"` is (QA: a template per subtree)
    (r'(\bSRCH base=)"[^"]*"', r'\1"' + WILDCARD + '"', 1),
    # a TeamSpeak client's or channel's name before its id, `client connected 'Luna Lovegood'
    # (id:58)`, `channel 'Raid Night'(id:17)`: one value, spaces, brackets and all (QA TeamSpeak:
    # a name of several words kept, a template per user and channel, 62 for 25 events)
    (r"(^|[\s(,])'[^'\s][^']*'(\(id:)", r"\1'" + WILDCARD + r"'\2", 1),
    # ... and a ServerQuery login's account, `login with account 'serveradmin'(serveradmin)`
    (r"(\blogin with account )'[^']*'\([^()\s]*\)", r"\1'" + WILDCARD + "'(" + WILDCARD + ")", 1),
    # a ClamAV signature's family and variant, `Win.Trojan.Agent-123456 FOUND`: its platform
    # and category are the event, `Win.Trojan.<*>` (QA ClamAV: the family's digits masked in
    # part, a template per family)
    (
        r"(^|\s)((?:Win|Unix|Osx|Doc|Xls|Ppt|Pdf|Html|Js|Email|Java|Multios|Andr|Txt|Img|Swf|Php|Rtf"
        r"|Archive|Asp|Vbs|Legacy)\.[A-Z][A-Za-z]+\.)[^\s:]+( FOUND)",
        r"\1\2" + WILDCARD + r"\3",
        1,
    ),
    # a Graylog input's type and id, `Input [Syslog UDP/5f2a1b4c9d8e7f6a5b4c3d2e] is now RUNNING`
    # (QA Graylog: a template per input, 12 for 4 states), also as it is launched, `Launching
    # input [Syslog UDP/Syslog UDP/<id>]` (QA Graylog: a template per input's title)
    (r"(\b[Ii]nput \[)[^\[\]]*/[0-9a-f]{24}(\])", r"\1" + WILDCARD + r"\2", 1),
    # a Junos commit's comment, `UI_COMMIT: User 'netops' requested 'commit' operation (comment:
    # change FW rule)`: what someone wrote (QA Juniper: a template per comment)
    (r"(\(comment: )[^()]*\)", r"\1" + WILDCARD + ")", 1),
    # a PBS job's queue in prose, `enqueuing into workq, state Q`, `dequeuing from gpuq` (QA
    # OpenPBS: a template per queue, a new queue's every job new events; `queue = workq` is
    # a named field's)
    (r"(\b(?:en|de)queuing (?:into|from) )[^\s,]+", r"\1" + WILDCARD, 1),
    # a number with thousands separators is one value, Druid's `memory [1,073,741,824]` (QA: a
    # `<*>` per group, a smaller heap's start a new event)
    # ... and a duration in microseconds written with the micro sign, Go's `5.678µs` (QA Gin:
    # `<*>µs` beside `<*>` for `1.2ms`, a fast request a slow one's other event)
    (r"(^|[\s=(:\[|])[0-9]+(?:\.[0-9]+)?µs($|[\s,;)\]|])", r"\1" + WILDCARD + r"\2", 1),
    # (two separators at least: `[540,960]` is a pair of coordinates, Android's `bnds=`)
    (r"(^|[^\d,.])\d{1,3}(?:,\d{3}){2,}($|[^\d,])", r"\1" + WILDCARD + r"\2", 2),
    # an HBase region's name, `table,startkey,1701684071123.<32 hex>.`: one value (QA HBase:
    # `Opened customers,user8295,<*>.` kept a table and a start key met once)
    (r"(^|[\s=(])[\w.:-]+,[^,\s]*,[0-9]{13}\.[0-9a-f]{32}\.", r"\1" + WILDCARD + ".", 1),
    _JMS_ID,
    *_DISKS,
    *_PCI,
    *_FLINK_NAMES,
    # ... and a Windows account, `CORP\svc_sqlagent` (SQL Server's `executed by CORP\dba_ops`,
    # `Login failed for user 'CORP\jsmith'`: QA, a DBA's manual check a new event), its domain
    # kept; a user named in prose, HTCondor's `via condor_rm (by user bob)` (QA: a template
    # per user), and the host that killed a process, SQL Server's `killed by hostname WEB03`
    # (not a namespace's next part, PHP's `OCA\DAV\Connector`: QA Nextcloud, every background
    # job's class `OCA\<*>`, ten jobs one event)
    (
        r"(^|[\s'\"(=])([A-Z][A-Z0-9-]*\\)[A-Za-z0-9._$-]+($|[^\\A-Za-z0-9._$-])",
        r"\1\2" + WILDCARD + r"\3",
        1,
    ),
    (r"(\bby user )[^\s)]+", r"\1" + WILDCARD, 1),
    # ... and a user's name quoted after the word, ArangoDB's `Authentication failed for user
    # 'admin' from ...` (QA: a template per user, a brute force on a known name unseen), and a
    # query's bind values (ArangoDB's slow query `bind vars: {"country":"US"}`: QA, a template
    # per value)
    (r"((?:^|\s)(?i:user) ')[^'\s\\]+(')", r"\1" + WILDCARD + r"\2", 1),  # (`CORP\<*>` kept)
    (r"(\bbind vars: )\{[^{}]*\}", r"\1" + WILDCARD, 1),
    # ... and Bacula's file daemon's mount point, `/home is a different filesystem. Will not
    # descend from / into it.` (a one-word path first in a message is kept as a command, `/proc`:
    # QA Bacula, a normal job with a new mount point a new event) and its storage daemon's
    # transfer rate, `Transfer rate=1.234 M Bytes/second` beside `K Bytes` (QA: an event per unit)
    (
        rf"^(\s*)[/{kept_values.KEPT_SLASH}]\S*( is a different filesystem\.)",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    (r"(\bTransfer rate=)[0-9.]+ +(?:[kKMGT] )?(Bytes/second)", r"\1" + WILDCARD + r" \2", 1),
    # ... and F5's time a pool member was up or down, `[ was down for 0hr:5mins:3sec ]` (QA F5:
    # its hours and minutes kept, a template per outage's length)
    (r"(^|[\s(\[])[0-9]+hrs?:[0-9]+mins?:[0-9]+secs?($|[\s)\]])", r"\1" + WILDCARD + r"\2", 1),
    # ... and qBittorrent's torrent, its file and a WebAPI login's user (`Torrent: "ubuntu-24.04
    # .iso"`, `username: admin`: QA qBittorrent, a template per torrent, each new one a new event)
    (r'(\b(?:Torrent|File): )"[^"]*"', r'\1"' + WILDCARD + '"', 1),
    (r"(\busername: )[^\s,;]+", r"\1" + WILDCARD, 1),
    # ... and a show's or a film's title in brackets after `for`, Sonarr's `Starting episode info
    # refresh for: [371980][The Bear]`, `Searching indexers for [The Bear : S01E02]` (QA Sonarr:
    # a template per show, a newly added show's routine refresh a new event)
    # (not an object's path and state, Flux's `waiting for: [Deployment/apps/web status: ...]`)
    (
        r"(\bfor:? (?:\[(?:[0-9]+|<\*>)\])?\[)[A-Z][a-z][^\[\]/'\"=]*(\])",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    # ... and a hex id after a letter that names its kind, Kopia's snapshot root
    # `k5f2a1b4c3d2e1f0a9b8c7d6e5f4a3b2c` (QA Kopia: a template per snapshot)
    (r"(^|[\s=:(\[])[A-Za-z][0-9a-f]{32,64}($|[\s,;)\]])", r"\1" + WILDCARD + r"\2", 1),
    # ... and a DKIM signature's selector and domain, OpenDKIM's `DKIM-Signature field added
    # (s=default, d=example.com)`, `s=sel1 d=bank.example c=relaxed/relaxed a=rsa-sha256 b=...`
    # (QA OpenDKIM: a template per selector, a routine key rotation flagged every message), and
    # its signature's data after the algorithm
    (r"(\bs=)[\w.-]+(,? d=)[\w.-]+", r"\1" + WILDCARD + r"\2" + WILDCARD, 1),
    (r"(\ba=[\w-]+ b=)[^\s,;)]+", r"\1" + WILDCARD, 1),
    # ... and Oozie's context of a line, `USER[etl] GROUP[-] TOKEN[] APP[daily-etl]` (QA: a
    # workflow's kill a template per user and application)
    (r"(\b(?:USER|GROUP|APP)\[)[^\]\s]+(\])", r"\1" + WILDCARD + r"\2", 1),
    # ... and a graph's node label and its properties (Neo4j's `Index population started:
    # [Index( ... schema=(:Person {email}) ...)]`: QA, a label's first index a new event), its
    # database in a log's brackets, `[neo4j/3fa0e3a6]` beside `[system/00000000]`, and the user,
    # role or database a statement makes (`CREATE USER kim SET PASSWORD ...`: a template each)
    (_GRAPH_SCHEMA, r"\1(:" + WILDCARD + ")", 1),
    # ... and the account in it (`[login|admin]`), and a job's id after its type, Harbor's `Job
    # 'REPLICATION:74d21fa812f16c21fbe17faa' exit with success` (QA: the type masked with the id,
    # a replication's success a scan's)
    (r"(\[(?:login|user)\|)[^\]\s|]+", r"\1" + WILDCARD, 1),
    (r"('[A-Z][A-Z0-9_]*:)[0-9a-f]{8,}'", r"\1" + WILDCARD + "'", 1),
    # ... and a systemd template unit's instance, its template kept: `wg-quick@wg0.service`,
    # `getty@tty1.service` (QA WireGuard: read as an address, the VPN's unit stopping was any
    # unit's `<*>: Deactivated successfully.`)
    (
        r"(^|[\s'\"(\[])([A-Za-z0-9_.:-]+@)[^\s@'\"]*"
        r"(\.(?:service|socket|timer|target|mount|path|slice|scope))($|[\s:,;'\")\]])",
        r"\1\2" + WILDCARD + r"\3\4",
        1,
    ),
    # ... and the TCP flags a firewall names of a packet it dropped, Cisco ASA's `Deny TCP (no
    # connection) from ... flags FIN PSH ACK  on interface outside` (QA: a template per
    # combination, an ordinary new one a new event at surprise 27)
    (
        r"(\bflags )(?:(?:SYN|ACK|FIN|RST|PSH|URG|ECE|CWR|NS) +)+(on interface\b)",
        r"\1" + WILDCARD + r" \2",
        1,
    ),
    # ... and a Debian package with its architecture and a Debian version, dpkg's `status
    # installed man-db:amd64 2.12.0-4build2` (QA dpkg: `<*>-4build2` and `<*>-0ubuntu8.<*>`, a
    # template per package and revision, 33 for 18 events)
    (
        r"(^|[\s(,])[a-z0-9][a-z0-9+.-]*:(amd64|arm64|armhf|armel|i386|ppc64el|s390x|riscv64|all)"
        r"($|[\s,)])",
        r"\1" + WILDCARD + r":\2\3",
        2,
    ),
    (
        r"(^|[\s(,'\"])(?:[0-9]+:)?[0-9][A-Za-z0-9.+~]*-[A-Za-z0-9.+~]*[0-9][A-Za-z0-9.+~]*"
        r"($|[\s,)'\"])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    # ... and a Go duration of several units anywhere, restic's `lock was created at ... (20h25m36s
    # ago)`, `took 2m0.5s` (QA restic: a template per lock's age; `2m0.<*>` split at its dot),
    # also with spaces between its units, Dagster's `exiting after 1m 12s`, `in 1h 3m` (QA
    # Dagster: `1m <*>` beside `<*>`, and a normal run past a minute a new event)
    (
        # ... and seconds with milliseconds, Neo4j's `checkpoint completed in 1s 101ms.` (QA: `<*>
        # <*>.` beside `<*>.`, a checkpoint past a second a new event)
        r"(^|[\s(=:,\[])[0-9]+(?:h ?[0-9]+m(?: ?[0-9]+(?:\.[0-9]+)?s)?|m ?[0-9]+(?:\.[0-9]+)?s"
        r"|s ?[0-9]+ms)($|[\s,;)\]}\"]|\.$|\.\s)",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    # ... and a Podman container's name in its event's list, `(image=..., name=pg-backup)` (QA:
    # kept where training met a few, a new cron job's normal run a new event)
    (r"(\(image=[^\s,]+, name=)[^\s,)]+", r"\1" + WILDCARD, 1),
    # ... and an Okta object's id, `00uBXqreKCQAujMG8uky` (a user), `0oarZ95EIwIIPwOR8YZ1` (an
    # app): 20 letters and digits after a 0 (QA Okta: kept in 52 templates)
    (r"(^|[\s=:\"'(\[,])0[0-9a-z][A-Za-z0-9]{18}($|[\s,;\"')\]}])", r"\1" + WILDCARD + r"\2", 1),
    # ... and a Hazelcast member's instance name in its threads' names, `[hz.wizardly_hopper.
    # migration]` (QA: another member's normal migration a new event)
    (r"(\[hz\.)[A-Za-z0-9_-]+(\.[^\]\s]*\])", r"\1" + WILDCARD + r"\2", 1),
    # ... and a ZFS snapshot, its dataset and its name, TrueNAS's `Created snapshot
    # tank/home@auto-2026-12-01_00-10` (QA: kept per dataset where a few recurred, `tank/<*>`
    # beside `tank/home@auto-<*>-<*>`, a new dataset's snapshots new events)
    (
        # (a snapshot's name has a `-` or `_`: not an action's version, `actions/checkout@v4`)
        r"(^|[\s'\"(=])[A-Za-z0-9_.:-]+(?:/[A-Za-z0-9_.:-]+)+@[A-Za-z0-9.:+]*[-_][A-Za-z0-9_.:+-]*"
        r"($|[\s,;'\")\]])",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    # ... and an openHAB item's states, `Item 'Spotify_Track' changed from Smells Like Teen
    # Spirit to Africa` (a String item's free text, one word each by `_OPENHAB_STATES`),
    # `changed from 4.5 °C to 4.3 °C`, but not a state word, `OFF`, `ON`, `UNDEF` (QA openHAB:
    # a template per pair of songs, each new pair a false alarm); a group's member after
    # `through` is an item's name
    (r"(\bItem '[^'\s]+' changed from )[A-Z_]*[^A-Z_\s]\S*( to )", r"\1" + WILDCARD + r"\2", 1),
    (
        r"(\bItem '[^'\s]+' changed from \S+ to )[A-Z_]*[^A-Z_\s]\S*($| through )",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    (r"(\bItem '[^'\s]+' changed from \S+ to \S+ through )\S+$", r"\1" + WILDCARD, 1),
    # ... and a pgBackRest backup's label, its start and its type, `20261204-010000F` (full),
    # `20261204-010000F_20261205-010000I` (an incremental on it): QA, `<*>-<*>-010000I`, its
    # last time kept where its type is no hex digit, a template per expired backup set
    (
        r"(^|[\s(,=\[])[0-9]{8}-[0-9]{6}[FDI](?:_[0-9]{8}-[0-9]{6}[DI])?($|[\s,;)\]])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    # ... and a ZFS pool named in prose, `WARNING: Pool 'backup' has encountered ...` (QA ZFS)
    (r"(\b[Pp]ool )'[^'\s]+'", r"\1'" + WILDCARD + "'", 1),
    # ... and a key's fingerprint whatever its first characters (`SHA256://nqiM7...` was read as
    # a URL, QA ZFS: a normal login a new event, about one in 4,096 keys)
    (r"(\b(?:SHA256|SHA384|SHA512|SHA1|MD5):)[A-Za-z0-9+/]{16,}={0,2}", r"\1" + WILDCARD, 1),
    # ... and a Matrix user, `{@heidi:example.org}` (QA Synapse: with a format string of its
    # own, a template per user of every request)
    (
        r"(^|[\s{(\[\"'=,<])@[A-Za-z0-9._=/+-]+:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
        r"(?::[0-9]+)?",
        r"\1" + WILDCARD,
        1,
    ),
    # ... and a bucket's name: Couchbase memcached's `INFO 176: (orders) DCP ...`, its DCP
    # stream's `eq_dcpq:replication:ns_1@a->ns_1@b:orders` (a rebalance's `takeover` kept), and
    # ns_server's `Started rebalancing bucket sessions` (QA Couchbase: a template per bucket, a
    # new bucket a flood of new events)
    (
        r"^((?i:trace|debug|info|notice|warn|warning|error|critical|fatal)(?: [0-9]+:)? )"
        r"\([A-Za-z0-9_.%-]+\)( )",
        r"\1(" + WILDCARD + r")\2",
        1,
    ),
    (r"((?:^|\s)eq_dcpq:[a-z_]+:(?:takeover:)?)[^\s:]+(?::[^\s:]+)?", r"\1" + WILDCARD, 1),
    (r"(\b(?:of|rebalancing|for|on|in|to|from) bucket )[^\s,;:()]+", r"\1" + WILDCARD, 1),
    (r"(^|\s)\[[A-Za-z][\w.-]*/[0-9a-f]{8}\]", r"\1[" + WILDCARD + "]", 1),
    (r"(\b(?:CREATE|DROP|ALTER|RENAME) (?:USER|ROLE|DATABASE) )[^\s;]+", r"\1" + WILDCARD, 1),
    # ... and a logback/log4j layout's context value between the thread and the logger, `INFO
    # [qtp1396-170] deployer org.sonatype.nexus...ViewServlet - ...` (Nexus's `%X{userId}`:
    # QA, a template per account, and a renamed account made 55 false alarms)
    (
        r"^((?i:trace|debug|info|notice|warn|warning|error|fatal|severe)\s+\[[^\]]*\] )"
        r"[^\s\[\]]+( (?:[a-z_][\w$]*\.)+[A-Z][\w$]* - )",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    # ... and a layout's thread before the level, log4net's and log4j's `%date [%thread] %level`
    # read by `iso` (`[.NET ThreadPool Worker] INFO Shop.Orders...`, `[12] INFO`, `[main] INFO`:
    # QA log4net, a template per kind of thread, 43 for 20 events, and an event first run on
    # another thread a new one)
    (
        r"^\[[^\[\]]+\]( +(?i:trace|debug|info|notice|warn|warning|error|critical|fatal|severe)"
        r"(?:$|\s))",
        "[" + WILDCARD + r"]\1",
        1,
    ),
    # ... and a Windows event's account or machine under its label, `Account Name:\t\tivan.p`,
    # `Workstation Name:\tWS042` (QA Windows: a template per user of 4625 and 4771, a normal
    # user's mistyped password a new event)
    (r"(\b(?:Account|Workstation|Client|Computer) Name:\s+)[^\s]+", r"\1" + WILDCARD, 1),
    # ... and its list of privileges, one or many (4672: a template per length of the list)
    (r"(\bPrivileges:\s+)Se[A-Za-z]+Privilege(?:\s+Se[A-Za-z]+Privilege)*", r"\1" + WILDCARD, 1),
    (r"(\bby hostname )[^\s,]+", r"\1" + WILDCARD, 1),
    # ... and what a mail server's peer says of itself or a delivery: Exim's HELO name in
    # parentheses, `H=(DESKTOP-4F7K2QH) [10.0.9.160]`, `authenticator failed for (ylmf-pc) [...]`,
    # and a remote server's reply text, `C="250 2.0.0 OK 1796256627 i61veb - gsmtp"` (QA Exim:
    # a template per client's HELO and per provider's wording, a new provider's every normal
    # delivery a new event)
    (r"(\bH=(?:\S+ )?\(|\bfor \()[^()\s]+(\) \[)", r"\1" + WILDCARD + r"\2", 1),
    (r'(\sC=")[^"]*"', r"\1" + WILDCARD + '"', 1),
    # ... Oracle's system-generated names, `SYS_P4976`, `SYS_C0012345` (QA Oracle: a new
    # partition each night, a new event), its pluggable database before a message (`PDB1(3):`,
    # `HRPDB(5):`: a template per database) and a numbered background process (`ARC3 (PID:
    # 4213):`, one value: a name glued to a masked number is masked whole)
    (r"(^|[^\w$])SYS_[A-Z]+[0-9]+", r"\1" + WILDCARD, 1),
    (r"^[A-Z][A-Z0-9_$#]*\([0-9]+\):", WILDCARD + "(" + WILDCARD + "):", 1),
    (r"(^|\s)[A-Z]{3,4}[0-9]+( \(PID:)", r"\1" + WILDCARD + r"\2", 1),
    # ... and a request context's account and user agent, Zimbra's `[name=alice@x;mid=12;ip=
    # ...;ua=ZimbraWebClient - FF120 (Linux)/10.0.0_GA;]` (QA: a rare error's template per
    # browser, the same error from another browser a new event)
    (r"(\[name=)[^;\]]*(;)", r"\1" + WILDCARD + r"\2", 1),
    (r"((?:^|[;\[] ?)ua=)[^;\]]*", r"\1" + WILDCARD, 1),
    # ... and Pi-hole FTL's thread after its pid, `[... 812/T819]`, new at every start (QA: a
    # template kept the one thread its lines came from, the next start's a new event)
    (r"((?:^|[\s\[])(?:[0-9]+|<\*>)/)T[0-9]+(\])", r"\1" + WILDCARD + r"\2", 1),
    # ... after a space, a quoted one or a word only (Kamailio's `ua="Yealink SIP-T46U"
    # action=BLOCKED`: QA, all after `ua=` was one value, a block an accept's event)
    (r"((?:^|\s)ua=)(?:\"[^\"]*\"|'[^']*'|[^\s;\]]*)", r"\1" + WILDCARD, 1),
    # ... and a file's counter, Bitcoin Core's `blk03457.dat`, `rev03457.dat` (QA: a model of
    # one day's block file flagged the next file's every pre-allocation), and a Tor or I2P
    # address (`2mdeil...nunoqg.onion`: a template per node)
    (r"(^|[\s/(=])[A-Za-z_]{2,}[0-9]{5,}(\.[a-z]{2,4})($|[\s,;:)])", r"\1" + WILDCARD + r"\2\3", 1),
    (r"(^|[^\w.])[a-z2-7]{16,56}\.(?:onion|b32\.i2p)($|[^\w.])", r"\1" + WILDCARD + r"\2", 1),
    # ... and Postfix's long queue id first in a message (`enable_long_queue_ids`,
    # `4lhttyXF8Nzrz: client=...`: no vowels, a `z` before the inode's part; QA amavis: the
    # random-id rule missed those with long lower-case runs, a template each)
    (r"^[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10,}z[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]+(:)",
     WILDCARD + r"\1", 1),
    # ... and the account of a PAM session, `session closed for user backup` (QA storage
    # daemons: opened was masked by its `(uid=`, closed kept the name, a new cron user's job a
    # new event)
    (r"(session (?:opened|closed) for user )[^\s(]+", r"\1" + WILDCARD, 1),
    (_ENTITY, r"\1\2\3" + WILDCARD, 2),
    (_ENTITY_JSON, r"\1\2\3" + WILDCARD, 2),
    (_NAMED, r"\1\2\3" + WILDCARD, 2),
    (_NAMED_JSON, r"\1\2\3" + WILDCARD, 2),
    # ... and a protobuf text's author and comment, its quotes escaped in a quoted value
    # (Alertmanager's `silence="silence:<... created_by:\"jdoe\" comment:\"maintenance\" >"`:
    # QA, 24 silences 15 templates, a new author's or comment's silence a new event)
    (r'((?:^|[\s<{])(?:created_by|createdBy|comment):\\?")(?:[^"\\]|\\[^"])*(\\?")',
     r"\1" + WILDCARD + r"\2", 2),
    (_SPACED_EQUALS, r"\1\2\3" + WILDCARD + r"\4", 2),
    (_NAMED_COLON, r"\1\2:" + WILDCARD + r"\3", 2),
    (_ENTITY_SPACED, r"\1\2: " + WILDCARD + r"\3", 1),
    (_NAMED_LISTED, r"\1\2: " + WILDCARD + r"\3", 2),
    # ... and an account after `user: ` ending a field of a `|`-separated record (Aerospike's
    # security log, `permitted | client: <*> | authenticated user: app_cart | action: login |
    # ...`: QA, a template per account, while its `detail: user=<*>` was masked); prose's
    # `Invalid user: admin` stays
    (r"((?:^|\s)(?i:user|username): )[A-Za-z_][\w.@-]*( \|)", r"\1" + WILDCARD + r"\2", 1),
    # a name Kubernetes generated from a prefix (`generateName`: a DaemonSet's pod,
    # `kube-proxy-8x7zq`, a Tekton PipelineRun, `build-app-run-x7k2p`, and its TaskRuns,
    # `build-app-run-x7k2p-fetch-source`): five characters of its alphabet, a digit among
    # them, are random (QA Tekton: a template per run for its rare errors); after the named
    # values, which take such a name whole (`k8s_pod_name=<*>`)
    (
        r"(^|[^\w-])((?:[a-z0-9]+-)+)" + _GENERATED_SUFFIX + r"(-[a-z0-9]|[^\w-]|$)",
        r"\1\2" + WILDCARD + r"\3",
        2,
    ),
    # ... and the commit of a `git describe` version, `v2.2.8-1-g8f3c2a1` (QA Keepalived: its
    # hexadecimal name kept, an upgrade's start-up lines new events where other versions'
    # numbers are values)
    (r"(-[0-9]+-g)[0-9a-f]{7,40}($|[^0-9A-Za-z])", r"\1" + WILDCARD + r"\2", 1),
    # ... and a process's context in brackets before its colon, the account it serves
    # (ocserv's `worker[walter]: ...`, `main[alice]:203.0.113.5:51234 user logged in`): QA, a
    # template per user for each message, a new employee's first login scored above a brute
    # force (a state in capitals, `status[NT_STATUS_...]`, stays)
    (r"(^|\s)([A-Za-z][\w-]*\[)[a-z][\w.@+-]*(\]:)", r"\1\2" + WILDCARD + r"\3", 1),
    # ... and MySQL's quoted account, database and host in prose (`Aborted connection 3186 to
    # db: 'reporting' user: 'cron_etl' host: '10.20.1.41'`) and its `'user'@'host'` (QA
    # Galera: a template per database and user, a new application's normal lines new events)
    (r"(^|[\s,;(])((?i:user|db|database|host)): '[^']*'", r"\1\2: '" + WILDCARD + "'", 2),
    (r"(^|[\s(])'[^'\s]*'@'[^'\s]*'", r"\1'" + WILDCARD + "'@'" + WILDCARD + "'", 1),
    # ... and Db2's record fields (db2diag.log: `AUTHID : WEBSRV`, `DB : SAMPLE`, `EDUNAME:
    # db2agent (SAMPLE) 0`) and its log files (`"S0001033.LOG"`): QA, every event a template
    # per database, and a new account's, a new database's or a later log file's a new event
    # (not a C++ scope after them: ClickHouse's `DB::Exception:` was `DB:<*>`, QA)
    (r"(^|[\s|])(AUTHID|DB|INSTANCE)( ?: ?)[^\s|:][^\s|]*", r"\1\2\3" + WILDCARD, 2),
    (r"(EDUNAME: ?[\w.-]+ \()[^()\s]+(\))", r"\1" + WILDCARD + r"\2", 1),
    # ... and an LDAP entry's DN, the account a BIND names (`dn="cn=Victor Kim,ou=people,
    # dc=example,dc=com"`): the person, whatever the spaces in it (QA 389 Directory Server:
    # a surname stayed in the template, and a user not met in training was a new event)
    (r'((?:^|\s)dn=")[^"]*(")', r"\1" + WILDCARD + r"\2", 1),
    # ... and a whole number with its size unit glued on (`found 16318644k physical memory`,
    # `cache: 327680k`): a replica with more memory wrote new start-up events (QA)
    (r"(^|[^A-Za-z0-9_.])[0-9]+([kKMGT]i?B?)($|[^A-Za-z0-9_])", r"\1" + WILDCARD + r"\2\3", 2),
    # ... and a count with its unit letter after a slash, Zulip's `(db: 10ms/12q)` (QA: a
    # template per number of queries, one request's event split twelve ways)
    (r"(/)[0-9]+([a-z])($|[^A-Za-z0-9_])", r"\1" + WILDCARD + r"\2\3", 1),
    # ... and NATS' keys (a server's, account's or user's public nkey, 56 characters of upper-
    # case base32, `NJBLAEVW...`) and a server's 8-character node name (`Node: 4gxMleVH`,
    # `RAFT [4gxMleVH - S-R3F-...]`): a new one at each start, so each restart's banner and
    # each node's errors were new events (QA NATS)
    (r"(^|[^A-Z0-9])[NACOUX][A-Z2-7]{55}($|[^A-Z0-9])", r"\1" + WILDCARD + r"\2", 2),
    (r"((?:^|\s)(?:Node: |RAFT \[))[A-Za-z0-9]{8}($| - )", r"\1" + WILDCARD + r"\2", 1),
    # ... and a Chef resource's name, `apt_package[ntp]`, `template[/etc/sudoers]` (the type
    # kept; not an upper-case code in brackets, Samba's `status[NT_STATUS_ACCESS_DENIED]`): QA
    # Chef, every resource and action one `Processing <*>] action <*>` event
    (r"(^|[\s(\[])([a-z][a-z0-9]*(?:_[a-z0-9]+)*)\[[^\]A-Z]*[a-z/][^\]]*\](\s|\]|$)",
     r"\1\2[" + WILDCARD + r"]\3", 2),
    # ... and a ScyllaDB (Cassandra) SSTable's file, `me-3gt2_kcos_brmjros1llr4uewxxukyom-big-
    # Data.db`: a random generation id (QA: each a template of its own)
    (r"(^|[\s/])[a-z]{2}-[0-9a-z_]+-big-[A-Za-z]+\.db", r"\1" + WILDCARD, 1),
    # ... and a path that starts the message up to the `: ` ending it, spaces and all
    # (ClamAV's `/srv/share/finance/Q4 report (final).xlsx: lstat() failed: ...`, `/home/dave/My
    # Documents/tool.exe: Win.Tool.Mimikatz-6997044-0 FOUND`: QA, a template per count of words)
    (r"^/[^:\n]*?(: )", WILDCARD + r"\1", 1),
    # ... and Icinga 2's API account and client (`..., user: director, agent: Icinga Director,
    # status: OK).`), its objects (`'web07!procs'`) and a plugin's arguments (`(PID: 55729,
    # arguments: '/usr/lib/nagios/plugins/check_nrpe' '-H' '10.0.1.16' ...)`): QA, a new API
    # account was a new event in every window, and one check failure a template per plugin
    (
        r"((?:^|[\s,(])(?i:user|username|account): )[A-Za-z_][\w.@-]*(,)",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    (r"(, agent: )[^,]*(,)", r"\1" + WILDCARD + r"\2", 1),
    (r"'[^'!\s]+![^'\s]+'", "'" + WILDCARD + "'", 1),
    (r"((?:^|[\s(])arguments: )[^)]*(\))", r"\1" + WILDCARD + r"\2", 1),
    # ... and such a command line elsewhere, its words quoted from the program's path on
    # (`Running command '/usr/lib/nagios/plugins/check_load' '-c' '10,6,4': PID 123`, `Killing
    # process group 30512 ('/usr/lib/.../check_mysql' '-H' '10.0.4.31' ...)`): QA Icinga, one
    # event a template per plugin and count of arguments, a check's new argument a new event
    (r"'/[^'\s]*'(?: '[^']*')+", WILDCARD, 1),
    # ... and a Kubernetes namespace named in prose, istiod's `... for pod <*> in namespace shop
    # -> 10.244.3.115` (QA: a new team's namespace made its pods' churn new events)
    (r"((?:^|\s)in namespace )[a-z0-9][a-z0-9-]*(\s|$)", r"\1" + WILDCARD + r"\2", 1),
    # ... and the record a parser could not read, Fluentd's `pattern not matched: "INFO [web]
    # slow query id=59113"`: whatever the applications wrote, one value (QA: 13 templates of
    # one warning, and every new application's line a new event)
    (r'(pattern not matched: )"(?:[^"\\]|\\.)*"', r'\1"' + WILDCARD + '"', 1),
    # ... and sendmail's queue id, `kB1DGEIl44548:` (a date and time in base 60, then the
    # process id): a message's own id, no random-looking word (QA: lines that met a
    # template once kept the message's id, one mail one event)
    (r"(^|[\s(\[<])[0-9A-Za-x]{8}[0-9]{5,6}(:)", r"\1" + WILDCARD + r"\2", 2),
    # ... and Kea's placeholder for a client id the client did not send, `cid=[no info]`
    # beside `cid=[01:dc:a6:...]` (QA: every client event two templates)
    (r"(=\[)no info(\])", r"\1" + WILDCARD + r"\2", 1),
    (r"(^|[^\w.])S[0-9]{7}\.LOG($|[^\w])", r"\1" + WILDCARD + r"\2", 2),
    # ... and in square brackets after the word, Zabbix's `host [lab03] not monitored` (QA: one
    # disabled host in training, so a second one's line was a new event)
    (r"(^|[\s,;(])((?i:host|node)) \[[^\]\s]+\]", r"\1\2 [" + WILDCARD + "]", 1),
    (  # a decimal number with its unit glued on, vsftpd's `1234.56Kbyte/sec`: its fraction
        # stayed in the word (QA: `<*>.56Kbyte/sec` beside `<*>.00Kbyte/sec`, a new event)
        r"(^|[^A-Za-z0-9_.])[0-9]+\.[0-9]+([KMGTP%µ])",  # a size or rate unit
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    *_HAPROXY,
    (  # an ISO 8601 date and time as one word (`2026-03-02T21:00:00+00:00`, Airflow run ids
        # `scheduled__2026-03-02T21:00:00`): its `T` kept the parts apart (QA: `<*>-<*>-02T21`)
        r"\d{4}-\d{1,2}-\d{1,2}[Tt]\d{1,2}:\d\d(?::\d\d(?:[.,]\d+)?)?(?:[Zz]|[+-]\d\d(?::?\d\d)?)?",
        WILDCARD,
        1,
    ),
    (  # ... and in its basic form, `20261101T010634` (Airflow's `execution_date=`, `start_date=`):
        # its `T` kept it from the numbers' mask, and a template a literal date (QA Airflow)
        r"(^|[^A-Za-z0-9])\d{8}[Tt]\d{4}(?:\d\d(?:[.,]\d+)?)?(?:[Zz]|[+-]\d{4})?($|[^A-Za-z0-9])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    # a joined path in brackets keeps them, its parentheses too (Radarr's `[/movies/Dune Part
    # Two (2024)/Dune Part Two (2024) WEBDL-1080p.mkv]`: `JOINS`' paths)
    (rf"\[/[^\s\[\]]*{JOIN}[^\s\[\]]*\]", f"[{WILDCARD}]", 1),
    (  # a joined list of values (`join_values`) keeps its brackets: `(<*>)`, `[<*>]`, `{<*>}`
        rf"([\[({{])[^\s{JOIN}\[\](){{}}]*{JOIN}[^\s\[\](){{}}]*([\])}}])",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    (  # ... and its name, where its values hold brackets (etcd's `steps=["trace[1] range",
        # ...]`: QA, the name was masked with them, `<*>]`)
        rf"(=[\[(])[^\s]*{JOIN}[^\s]*([\])])($|[\s,;}}])",
        r"\1" + WILDCARD + r"\2\3",
        1,
    ),
    (  # an access log's date in a message (HAProxy's `[30/Dec/2025:00:01:33.307]`): its month
        # name had stayed a word, and every line of a new month was a new event (QA)
        rf"\d{{1,2}}/{_MON}/\d{{4}}(?::\d\d:\d\d:\d\d(?:[.,]\d+)?)?",
        WILDCARD,
        1,
    ),
    (  # ... alone (with its time, the joined date's rule below)
        rf"(^|[^\w-])\d{{1,2}}-{_MON}-\d{{4}}($|[^\w{JOIN}-])",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    *(  # a name's quoted words (`argv[3]="Quarterly report.pdf"`) keep the name and quotes
        (rf"(={q})[^\s\"']*{JOIN}[^\s\"']*{q}($|[\s,;)\]}}])", rf"\1{WILDCARD}{q}\2", 1)
        for q in "\"'"
    ),
    # a joined "word (conversion)", inside its quotes (QA Zabbix: `value type "Numeric
    # (unsigned)"` read `value type <*>"`, its closing quote left alone)
    (rf"[^\s{JOIN}\"']*{JOIN}\([^\s()]*\)", WILDCARD, 1),
    (  # a joined date or quantity, trailing punctuation kept, and its name where it has one
        # (Fluentd's `next_retry_time=2026-12-04 00:57:17 +0000`: QA, the name went with it)
        rf"((?:^|\s)[A-Za-z_][\w.-]*=)?[^\s{JOIN}]*{JOIN}[^\s]*?([,;.:)\]}}]*)(\s|$)",
        r"\1" + WILDCARD + r"\2\3",
        1,
    ),
    (  # a device's own time first in a message, with its sequence number and zone
        # (Cisco IOS via syslog: `000123: *Nov 20 10:15:02.123 UTC: %LINK-3-UPDOWN: ...`):
        # `*` (clock not set), the zone or the number made one event four templates (QA)
        rf"^(?:[0-9]+: )?{_WILDCARD_RE}(?: (?:{_ZONES}))?(: )",
        WILDCARD + r"\1",
        1,
    ),
    # a sign belongs to the number, masked with it; not one a name's `=` ends, which stays
    # (Db2's `ZRC=0x850F000C=-2062614516=SQLO_DISK` lost its minus, the template unlike its line)
    (r"(^|[\s_=:(\[,])[-+]([0-9]+)($|[^0-9=])", r"\1\2\3", 2),
    (  # AWS's access key, user and role ids (`ASIAQ3EGUCS7MXNF2K4P`, CloudTrail's
        # `accessKeyId`/`principalId`): each console session's key was a template of its own
        # (QA CloudTrail: 16 of 54 templates; normal sessions flagged for their new key)
        r"(^|[^A-Za-z0-9])(?:AKIA|ASIA|AIDA|AROA|AIPA|ANPA|ANVA|AGPA|ABIA|ACCA|APKA|ASCA)"
        r"[A-Z0-9]{12,}($|[^A-Za-z0-9])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # base64 of 16+ characters, padded (`=`) or holding a `+`: Suricata's community_id
        # `1:4RuMER/bh3mK2p+Xr0aZQ1vL9s=`; a `/` inside cut it into a path, and whether a line
        # met its template hung on the random characters (QA Suricata: 2 of 5 alerts unseen)
        # (ending a word: `SystemUiVisibility=0x508` is a name and its value; nor a name before
        # a quoted value, `authSessionParentId="..."`: QA Keycloak, the names were masked)
        rf"(^|[\s,]){_BASE64}($|[\s,;}})\]])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # ... and where a quote, a sign or a bracket comes before it, any end
        rf"([^A-Za-z0-9+/\s,]){_BASE64}($|[\s,;\"'}})\]])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # a string value of a Ruby hash (Rails' `Parameters: {"id"=>"1234", "q"=>"socks"}`):
        # what a user typed (QA Rails: every search word new since training was a new event)
        r'(=> ?)"[^"\n]*"',
        r'\1"' + WILDCARD + '"',
        1,
    ),
    (  # a value inside a database query's document, JSON lines' nested names: MongoDB's slow
        # query, `attr.command.u.$set.status=paid` beside `=shipped`, `...filter.status=...`
        # (QA: a template per order status); what the query asked, never the event
        r"(^|\s)((?:[\w$-]+\.)*(?:filter|q|u|query|update|updates|sort|projection|\$[A-Za-z]+)"
        r"\.[\w.$-]+=)[^\s<][^\s]*",
        r"\1\2" + WILDCARD,
        1,
    ),
    (  # a monitored item's key, Zabbix's `item "db-03:vfs.fs.size[/mnt/backup,pfree]" became not
        # supported` (QA: a template per key, a key unsupported for the first time a new event)
        r"(\b[Ii]tem )\"[^\"\s]+\"",
        r'\1"' + WILDCARD + '"',
        1,
    ),
    (  # MongoDB's connection, `"ctx":"conn3565"` (QA: kept in a template seen once, one
        # template per connection of an incident's rare messages)
        r"(^|[\s=\"'(\[,])conn[0-9]+($|[\s,;\"')\]])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # Dovecot's session id in its brackets, `session=<ziPmSPi+edAZrTb3>` (QA: an id with a
        # `+` was `<<*>>`, one without `<*>`, two templates of one event): `<<*>>` each
        r"(\bsession=)<[A-Za-z0-9+/=]+>",
        r"\1<" + WILDCARD + ">",
        1,
    ),
    (  # a pooler's connection label, PgBouncer's `app/bob@10.0.4.205:45257` (database and user;
        # QA: kept where an error was met on one database, the same error on another a new event)
        r"(^|\s)[\w.-]+/[\w.$-]+@([0-9]|unix\(|\[)",
        r"\1" + WILDCARD + r"@\2",
        1,
    ),
    (  # an account beside its uid, PAM's `session opened for user ops(uid=1002) by
        # alice(uid=1001)` (QA Keepalived, Wazuh: a template per account, a new admin's login
        # a new event)
        r"(^|[\s(])[A-Za-z_][\w.-]*\(uid=",
        r"\1" + WILDCARD + "(uid=",
        1,
    ),
    (  # ... and the user of sudo's command record, `    bob : TTY=pts/2 ; PWD=...`
        r"^\s*[A-Za-z_][\w.-]* : (TTY=|HOST=|PWD=)",
        WILDCARD + r" : \1",
        1,
    ),
    (  # the user of a request, Tornado's `(carol@10.0.1.249)` (QA JupyterHub: a template per
        # user of a rare request)
        r"\([A-Za-z_][\w.-]*@([0-9]|\[)",
        "(" + WILDCARD + r"@\1",
        1,
    ),
    (  # the host a task ran on, Ansible's `ok: [web05]`, `changed: [web08 -> lb01]`, `fatal:
        # [db01]:` (QA: a template per host and per delegated pair, a new host a new event)
        r"(^|\s)((?:ok|changed|skipping|fatal|failed|included|rescued|ignored|unreachable|"
        r"FAILED - RETRYING): )\[[^\]\s]+(?: -> [^\]\s]+)?\]",
        r"\1\2[" + WILDCARD + "]",
        1,
    ),
    (  # ... and the host of its recap, `web04      : ok=5    changed=0 ...`
        r"^[\w.-]+( +: ok=)",
        WILDCARD + r"\1",
        1,
    ),
    (  # a banner's padding, Ansible's `TASK [nginx : install] ******...`: as long as the line's
        # room (QA: the run of stars was a template's word of its own length)
        r"(\]|RECAP) \*{3,}$",
        r"\1 ***",
        1,
    ),
    (  # the common name before a client's address, OpenVPN's `alice/203.0.113.5:51234` (QA:
        # where a user was met once, every line of their session kept the name)
        r"(^|\s)[^\s/]+/([0-9]{1,3}(?:\.[0-9]{1,3}){3}:[0-9]+)($|[\s,;:])",
        r"\1" + WILDCARD + r"/\2\3",
        1,
    ),
    (  # MAC addresses, and the 14 octets of a kernel log's `MAC=` (two addresses and a type):
        # letters stayed words beside masked digits, so a new gateway's MAC made every line of
        # a UFW log a new event (QA: 540 of 540 windows flagged)
        r"(^|[^0-9A-Za-z:-])(?:[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5,}|[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5})"
        r"($|[^0-9A-Za-z:-])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # IPv6 addresses, full or with `::` (a port after them stays apart, as an IPv4's):
        # `2001:db8:a603::baed:2041` was `<*>:<*>:<*>::baed:<*>:<*>`, a template per shape (QA)
        # (not `::` alone: Trino's `Query <*> :: FINISHED :: elapsed ...` separators, QA)
        rf"(^|[^0-9A-Za-z_:])(?:(?:{_H4}:){{7}}{_H4}|{_H4}(?::{_H4})*::(?:{_H4}(?::{_H4})*)?"
        rf"|::{_H4}(?::{_H4})*)"
        r"($|[^0-9A-Za-z_:]|:[0-9]+(?:$|[^0-9A-Za-z_:]))",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # ULIDs too (GitLab's correlation ids, `01HXV58ZW3Z5NE9V6E0RBYXNF9`: QA, kept whole)
        r"(^|[^A-Za-z0-9])[0-7][0-9A-HJKMNP-TV-Z]{25}($|[^A-Za-z0-9])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # a trace and its span, Micrometer's `[b4e38c5f2805f0dff438ccec431a0669-4676309705281359]`
        # and W3C's `traceparent` (`00-<trace>-<span>-01`): one value, whatever its digits (QA
        # Spring Boot: a span of digits alone was `<*>` where others were `<*>-<*>`, a healthy
        # request's line a new event)
        r"(^|[^0-9A-Za-z-])(?:[0-9a-f]{2}-)?[0-9a-f]{32}-[0-9a-f]{16}(?:-[0-9a-f]{2})?"
        r"($|[^0-9A-Za-z-])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # UUIDs are one variable, whatever their letters (a digit-free group, `bcfe`, stayed)
        r"(^|[^A-Za-z0-9])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
        r"[0-9a-fA-F]{12}($|[^A-Za-z0-9])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # a DNS name in wire form, as Windows' DNS debug log writes it (`(3)www(7)example(3)com(0)`):
        # one name, as a dotted host name is (QA Windows DNS: which labels stayed words hung on
        # the names met, so a new zone or blocklist was a new event, or a DGA's names a known one)
        r"(?:\([0-9]{1,2}\)[A-Za-z0-9_-]+)+\(0\)",
        WILDCARD,
        1,
    ),
    (  # a clock time with its AM or PM (`1:59:59 PM`, Windows' logs): one value, not a word
        # beside it (QA Windows DNS, `--format raw`: each event an AM and a PM template)
        r"(^|[^0-9:])[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)? ?(?:AM|PM|am|pm)"
        r"($|[^A-Za-z])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # ... and Galera's short form of a node's UUID, `(413e3bd8-8096, 'tcp://...')`: a node
        # gets a new one at each restart (QA Galera: those led by a digit were masked, the others
        # a template of their own, so a restart made a node's routine lines new events)
        r"(^|[^A-Za-z0-9-])[0-9a-f]{8}-[0-9a-f]{4}($|[^A-Za-z0-9-])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # SQL Server's session id in its ERRORLOG's source column (`spid52`, `spid12s`), read
        # into the message where the format leaves it there: a session, not the event (QA SQL
        # Server: a restart's new system spids made every start-up line a new template)
        r"(^|[\s\[(])spid[0-9]+s?($|[\s\])])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # ASP.NET Core Kestrel's connection ids, `0HN7M0J3U7MFR` (base32, upper case: no
        # random-id mask takes them), also in a request id `0HN7M0J3U7MFR:00000002`: a rare
        # event's template kept one, and its next normal copy was a new event (QA)
        r"(^|[^0-9A-Za-z])0H[0-9A-V]{11}($|[^0-9A-Za-z])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # Proxmox's task ids, `UPID:pve1:0007A1E7:05887868:65692302:vzdump:101:root@pam:`: node,
        # pid, start times, guest and user are variables, the task type is the event (QA: all
        # tasks of a user were one `UPID:pve1:<*>:root@pam:`, a VM's deletion a console's event)
        r"UPID:[^:\s]+:[0-9A-Fa-f]{8}:[0-9A-Fa-f]{8,16}:[0-9A-Fa-f]{8}:([A-Za-z][\w-]*):[^:\s]*:"
        r"[^:\s]*:",
        "UPID:" + ":".join([WILDCARD] * 4) + r":\1:" + WILDCARD + ":" + WILDCARD + ":",
        1,
    ),
    (  # what a ModSecurity rule matched, `Matched phrase "etc/passwd" at ARGS:file.`: the
        # request's parameter name and the phrase are the request's, the rule (`[id "..."]`,
        # kept) is the event (QA: a known rule on a new parameter was a new event)
        r"((?:^|[\s\[])(?:ARGS|ARGS_GET|ARGS_POST|ARGS_NAMES|REQUEST_COOKIES|REQUEST_COOKIES_NAMES"
        r"|FILES|FILES_NAMES|XML):)[^\s,;\]\[]+?([.,;]?(?:$|[\s\]]))",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    (r"(Matched phrase )\"[^\"]*\"", r"\1" + WILDCARD, 1),
    (r"(\[unique_id \")[^\"]*(\"\])", r"\1" + WILDCARD + r"\2", 1),  # a request's id
    # IBM MQ's message inserts, `CommentInsert1(APP3.SVRCONN)`, `ArithInsert1(2035)`: a record's
    # variables by name (QA: first in a message, a template per channel)
    (r"((?:Comment|Arith)Insert[0-9]\()[^)]*(\))", r"\1" + WILDCARD + r"\2", 1),
    (  # sshd's account (`Accepted publickey for mlee from`, `Disconnected from user jsmith
        # 10.0.0.5`: QA pfSense, a fourth admin's login a new event)
        r"((?:^|\s)(?:Accepted|Failed|Postponed) \S+ for invalid user )\S*( from )",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    (
        r"((?:^|\s)(?:Accepted|Failed|Postponed) \S+ for )[A-Za-z_][\w.-]*( from )",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    (
        r"((?:^|\s)Disconnected from (?:invalid |authenticating )?user )[A-Za-z_][\w.-]*( )",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    (  # an account named after `user` before what it did (RouterOS' `user jsmith logged in
        # from ...`, `login failure for user root from ...`) or after `by` ending a change
        # (`nat rule removed by jsmith`): QA MikroTik, each admin's change a template of its
        # own, an admin's first change of a kind a new event
        # (`User jsmith logged in to the Administration Console`, WebLogic's: QA)
        r"((?:^|\s)(?i:user) )[A-Za-z_][\w.-]*( (?:logged (?:in|out)|from) )",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    (  # ... or after `as user`, whom a job runs as (Superset's `Running report schedule <id> as
        # user reports_bot`: QA, a template per account, a new service account a new event)
        r"((?:^|\s)as (?i:user) )[A-Za-z_][\w.@-]*($|[\s,;])",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    (  # a systemd transient unit, `run-r8b198cb56cb0706e3679f5cec933a0d4.scope` (QA Salt)
        r"(^|[^\w-])run-[a-z]?[0-9a-f]{16,}(\.(?:scope|service))",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    # ... and one in a file's name, Duplicati's index volume `duplicati-i3c7...6c.dindex.zip.aes`
    # (QA: a template per volume, where the block volumes' `b`-led ids were masked as hex)
    (r"([A-Za-z0-9][_-])[A-Za-z][0-9a-f]{32,64}(\.[A-Za-z])", r"\1" + WILDCARD + r"\2", 1),
    (
        r"((?:^|\s)(?:added|removed|changed|moved|enabled|disabled|created|deleted|modified"
        r"|updated) by )[A-Za-z_][\w.@-]*$",
        r"\1" + WILDCARD,
        1,
    ),
    (  # a Kubernetes object's name beside its namespace, controller-runtime's JSON fields
        # (`"HelmRelease":{"name":"redis","namespace":"apps"},"name":"redis","namespace":...`,
        # flattened `HelmRelease.name=redis HelmRelease.namespace=apps ...`): QA Flux, a
        # template per release and repository where few, a newly added app a new event
        r"((?:^|[\s,;{(])(?:[A-Z][A-Za-z]*\.)?name=)[^\s,;=<]+( (?:[A-Z][A-Za-z]*\.)?namespace=)",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    (  # a Helm release with its revision, helm-controller's `Helm upgrade succeeded for release
        # monitoring/kube-prometheus-stack.v7 with chart kube-prometheus-stack@56.8.0` (QA Flux:
        # a template per revision, every routine upgrade a new event), and the chart's version
        r"((?:^|\s)release )[\w.-]+/[\w.-]+\.v[0-9]+\b",
        r"\1" + WILDCARD,
        1,
    ),
    (r"((?:^|\s)with chart )[\w.-]+@[\w.+-]+", r"\1" + WILDCARD, 1),
    (  # ... and the chart source-controller pulled, `pulled 'redis' chart with version '19.0.1'`
        r"((?:^|\s)pulled )'[^'\s]+'( chart )",
        r"\1'" + WILDCARD + r"'\2",
        1,
    ),
    (  # ... and a keyspace in prose and what names it, `repair for keyspace ks_app`, `plan for
        # Repair-ks_app`, `memtable of ks_app.users`, its tables listed (QA ScyllaDB)
        r"((?:^|\s)(?:for|in|of) keyspace )[A-Za-z_]\w*",
        r"\1" + WILDCARD,
        1,
    ),
    (r"((?:^|\s)plan for Repair-)[\w.]+", r"\1" + WILDCARD, 1),
    (r"((?:^|\s)memtable of )[A-Za-z_]\w*\.[A-Za-z_]\w*", r"\1" + WILDCARD, 1),
    (r"((?:^|[\s,])tables=\{)[^{}]*(\})", r"\1" + WILDCARD + r"\2", 1),
    (  # a version with its git hashes, Tailscale's `v1.76.1-t2a3b4c5d6-g8e9f0a1b2` (QA Tailscale:
        # the hashes kept, every upgrade a new event)
        r"(^|[\s(\[=])v?[0-9]+\.[0-9][\w.]*-t[0-9a-f]{7,}-g[0-9a-f]{7,}($|[\s,;)\]])",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    (  # ... and a DERP region's name after its number, `connect to region 1 (nyc)` (QA
        # Tailscale: an event per region's name where its number was masked)
        r"((?:^|\s)region [0-9]+ )\([a-z][a-z0-9-]*\)",
        r"\1(" + WILDCARD + ")",
        1,
    ),
    (  # the statement HiveServer2 compiles or runs, `Compiling command(queryId=hive_...): SELECT
        # ...`, and a Tez DAG's name, the statement cut short (`Dag name: SELECT region, sum(
        # amount) FROM sales.cu (Stage-1)`): QA Hive, a template per query's wording and table,
        # one new wording 179 flagged sessions where 30 were
        r"((?:^|\s)(?:Compiling|Executing) command\(queryId=[^()\s]*\): ).+$",
        r"\1" + WILDCARD,
        1,
    ),
    (r"((?:^|\s)Dag name: ).+( \(Stage-[0-9]+\))$", r"\1" + WILDCARD + r"\2", 1),
    # ... and a stage's kind kept beside its number, `Starting task [Stage-1:MAPRED]` (QA Hive:
    # MAPRED, MOVE, DDL and STATS one `[<*>]` event)
    (r"\[Stage-[0-9]+:([A-Z_]+)\]", "[Stage-" + WILDCARD + r":\1]", 1),
    (  # a file's name after `path: `, OctoPrint's `Print job failed - origin: local, path:
        # benchy.gcode, owner: ...` (QA OctoPrint: a file without digits, or with `M4`, kept: a
        # template per file), its extension kept as a masked name with digits keeps it
        r"((?:^|[\s,(])path: )[^\s,;/.<]+(\.[A-Za-z][A-Za-z0-9]{0,7})($|[\s,;])",
        r"\1" + WILDCARD + r"\2\3",
        1,
    ),
    (  # an ESPHome device by its name, `Can't connect to ESPHome API for garage-door @
        # 192.168.1.62: ...` (QA Home Assistant: a template per device, a new one's first
        # disconnect a new event)
        r"((?:^|\s)API for )[\w.-]+( @ )",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    (  # a Ceph pool named after its kind, Rook's `reconciling replicated pool replicapool
        # succeeded` (QA Rook: a template per pool, a new pool's every reconcile a new event)
        r"((?:^|\s)(?:replicated|erasure-coded|erasure coded) pool )[A-Za-z_][\w.-]*",
        r"\1" + WILDCARD,
        1,
    ),
    (  # a list of one-letter names, Ceph's monitors `mons running: [a b c]`, `quorum: [a b d]`
        # (QA Rook: kept, a monitor's routine failover a new event on every reconcile)
        r"\[[a-z](?: [a-z])+\]",
        "[" + WILDCARD + "]",
        1,
    ),
    (  # RouterOS' dynamic interfaces of a user's tunnel, `<pppoe-cust0043>` (QA: first in a
        # message, a template per customer)
        r"<(?:pppoe|pptp|l2tp|sstp|ovpn|gre|eoip|ipip)-[^>\s]+>",
        "<" + WILDCARD + ">",
        1,
    ),
    # a Java object's identity hash, `org.postgresql.jdbc.PgConnection@bec654f` (QA
    # Tomcat: masked whole where the hash began with a letter, its class kept where with a
    # digit, two templates of one event and a normal line "unseen")
    (r"([A-Za-z_$][\w$.]*@)[0-9a-f]*[0-9][0-9a-f]*($|[^\w.@-])", r"\1" + WILDCARD + r"\2", 2),
    (  # an account with its realm, Proxmox's `<dave@pve>`, `root@pam!backup` (an API token):
        # a new user's first console was a new event (QA), or an account at a host (`ssh
        # root@db`); dotted domains are e-mail, below; not before a colon: Asterisk's dialplan
        # context, `[1001@from-internal:1]`, is the event; an Erlang node closing a sentence or
        # a tuple, `... alarm set on node rabbit@n1.`, `{..., rabbit@n2}` (QA RabbitMQ: a
        # template per node, an alarm known on n1 new on n3)
        r"(^|[\s<:'\"=(\[,])[A-Za-z0-9._-]+@[a-z][a-z0-9-]*(?:![\w-]+)?"
        r"($|[\s>'\",;)\]}]|\.(?:$|\s))",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # an AWS principal's name in its ARN, `arn:aws:iam::123456789012:user/dave`, and an
        # assumed role's session, `assumed-role/ci-deploy/gh-run-1234` (the role stays): an
        # account's name (QA CloudTrail: a template per console user, a new employee's every
        # call a new event, an AccessDenied for alice another event than bob's)
        r"(arn:aws[a-z-]*:(?:iam|sts)::[0-9]*:(?:user|assumed-role/[\w+=,.@-]+)/)[\w+=,.@/-]+",
        r"\1" + WILDCARD,
        1,
    ),
    (  # a CI job's name before its build number, Jenkins' `docs-site #1912`, `team/api #7`:
        # a name someone gave (QA Jenkins: a template per job for every build event, a new
        # job's first build a new event); a word without a mark stays (`connection #727`)
        r"(^|[\s'\"(])[A-Za-z0-9_][\w.-]*(?:/[\w.-]+)*[-_./][\w.-]* (#[0-9]+(?:$|[\s,:;)]))",
        r"\1" + WILDCARD + r" \2",
        1,
    ),
    (  # numbers joined by commas alone, Kafka's in-sync replicas `Shrinking ISR from 2,3,1 to
        # 2,1`, and its partitions `orders-0,orders-1`: one list, whatever its length (QA Kafka:
        # a template per replication factor); not in brackets, where a pair is a point,
        # Android's `bnds=[0,1845][1080,1920]`
        rf"(^|[\s=])({_COMMA_ITEM})(?:,(?:{_COMMA_ITEM}))+($|[\s)\].;]|,\s)",
        r"\1" + WILDCARD + r"\3",
        1,
    ),
    (  # PM2's app names, `App [worker:4] online`, `Stopping app:worker id:4`, `App name:worker
        # id:4 disconnected`, `[PM2] Reloading worker (...)`: names someone gave (QA PM2: kept
        # in some events, masked in others, a reload of an app training never reloaded new)
        r"((?:^|\s)App \[|(?:^|\s)(?:app|name):|\[PM2\] (?:Reloading|Restarting|Starting|"
        r"Stopping|Deleting) )[A-Za-z_][\w.-]*((?::[0-9]+\]| id:[0-9]+| \())",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    (  # a Kubernetes object's name, an Event's `involvedObject.name=payments-api` and its own
        # `metadata.name=...` (QA Kubernetes events: a template per autoscaler and CronJob, a
        # new one's normal events new; `--by-field` reads the unmasked value)
        r"((?:^|\s)(?:involvedObject|regarding|metadata)\.name=)\S+",
        r"\1" + WILDCARD,
        1,
    ),
    (  # Airflow's DAGs and tasks, named by their authors: `<Task(PythonOperator): extract>`,
        # `<TaskInstance: etl_orders.extract scheduled__...`, `<DagRun etl_orders @ ...`,
        # `Subtask extract`, `next_dagrun for etl_orders to`, `DAG etl_orders has` (QA Airflow:
        # a template per DAG or task where few, a new DAG's normal runs new events); the
        # operator stays
        r"(<Task\([\w.]+\): |<TaskInstance: |<DagRun |(?:^|\s)Subtask |next_dagrun for "
        r"|(?:^|\s)DAG )[A-Za-z_][\w.-]*((?:$|[\s>,:@]))",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    (  # a quoted name holding a percent-encoded character, RabbitMQ's quorum queue
        # `{'%2Fshop_orders.created',rabbit@n3}` (vhost and queue): an encoded name or path
        # is a value (QA RabbitMQ: a template per queue of one leader election)
        r"'[^'\s]*%[0-9A-Fa-f]{2}[^'\s]*'",
        "'" + WILDCARD + "'",
        1,
    ),
    (  # e-mail addresses (`alice@example.org`, `<x177@spam.example>`): a sender or recipient
        # is a variable like a host (QA Exim: each mistyped recipient a template of its own,
        # a normal bounce flagged as a new event); a domain ends in a label of letters
        r"(^|[^A-Za-z0-9._%+@-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z][A-Za-z0-9-]*"
        r"($|[^A-Za-z0-9@-])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # Exim's message ids, 6-6-2 (`1tAbCd-0001Ab-Xy`) or, since 4.97, 6-11-4 base-62 characters
        # starting with the time's digit: their digits alone masked, a rare line kept the rest
        # (QA Exim: `1xXECl-<*>-OF ** <*>: Unrouteable address`, a normal bounce flagged)
        r"(^|[^A-Za-z0-9-])[0-9][0-9A-Za-z]{5}-[0-9A-Za-z]{6}(?:[0-9A-Za-z]{5})?-[0-9A-Za-z]{2}"
        r"(?:[0-9A-Za-z]{2})?($|[^A-Za-z0-9-])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # Postfix's long queue ids (`enable_long_queue_ids`, `3Zx7Kq1Yb9z9vYq`): the time in base 52
        # (six or more characters and four), `z`, the inode in base 51, all from an alphabet
        # without vowels; unmasked, each message's `from=` line was a template of its own (QA)
        rf"(^|[^0-9A-Za-z]){_SAFE52}{{10,}}z{_SAFE51}+($|[^0-9A-Za-z])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # a container image's reference, registry host, path and tag or digest (kubelet's
        # `Back-off pulling image \"registry.example.com/shop/cart:v2\"`: QA, the host masked
        # and the rest kept, a template per image; a new release's failed pull a new event)
        r"(^|[\s\"'=(\\])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?::[0-9]+)?"
        r"(?:/[a-z0-9._-]+)+(?::[A-Za-z0-9_][A-Za-z0-9_.-]*|@sha[0-9]+:[0-9a-f]+)"
        r"($|[\s\"'\\:,;)])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    # ... and a rate limiter's note after a message, Tor's ` [68 similar message(s) suppressed
    # in last 60 seconds]` (QA Tor: each warning two templates, with and without it)
    (r" ?\[(?:over )?[0-9]+ similar message\(s\) suppressed in last [0-9]+ seconds\]", "", 1),
    # ... and a Go duration as a field's value, `duration=366.223µs`, `took=1m2.5s`: Go
    # writes its unit by the magnitude (QA Prometheus: `duration=<*>µs` in training, and a
    # maintenance a little slower, `duration=1.366ms`, a new event)
    (  # (its number may be masked already: `<*>µs`)
        rf"(=)(?:-?[0-9]+(?:\.[0-9]+)?|{_WILDCARD_RE})(?:ns|µs|us|ms|s|m|h)"
        rf"(?:(?:[0-9]+(?:\.[0-9]+)?|{_WILDCARD_RE})(?:ns|µs|us|ms|s|m))*($|[\s,;)\]}}\"])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    # ... and the name a DNS question asks, Unbound's `10.0.0.61 _gc._tcp.corp.example. SRV IN`,
    # `SERVFAIL <lame.example.net. A IN>` (QA Unbound: names queried a few times stayed in
    # their templates, an ordinary new SRV lookup a new event)
    (
        r"(^|[\s<])[^\s<>]+\.( (?:A|AAAA|SRV|TXT|MX|PTR|CNAME|NS|SOA|HTTPS|SVCB|ANY|DS|DNSKEY|CAA"
        r"|NAPTR) IN(?:$|[\s>]))",
        r"\1" + WILDCARD + r".\2",
        1,
    ),
    # ... and PowerDNS's question, `Too much time waiting for lame.example.biz|A` (QA: a
    # template per lame domain, a new one's routine SERVFAIL a new event)
    (
        r"(^|[\s<(\"'])[^\s<>|\"']+(\|(?:A|AAAA|SRV|TXT|MX|PTR|CNAME|NS|SOA|HTTPS|SVCB|ANY|DS"
        r"|DNSKEY|CAA|NAPTR)(?:$|[\s,;\"')>]))",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    # ... and the page that linked to a request an nginx error names, written only when the
    # browser sent one: `, referrer: "https://..."` ends the line or not (QA nginx: each
    # error two templates, with and without it); it goes, as a user agent does from JSON lines
    (r', referrer: "[^"]*"', "", 1),
    # ... and the container a kubelet error names, `failed to \"StartContainer\" for \"nginx\"
    # with CrashLoopBackOff` (QA kubelet: some containers kept, a template each)
    (r'(\bfor \\")[^"\\\s]+(\\" with )', r"\1" + WILDCARD + r"\2", 1),
    # a device's serial number, letters and digits in upper case as codes are (`Serial number
    # ABC1234XYZ`, `S/N: FOC2231X0QF`, `serial=SN-88231`): a value, not a code of the event
    # (QA NX-OS: a power supply's failure a template per serial number)
    (
        r"((?:^|[\s(\[,;])(?i:serial(?:[ _]?(?:number|no\.?|num))?|s/n)(?::? +|=|: ?|# ?))"
        r"[A-Za-z0-9-]*[0-9][A-Za-z0-9-]*",  # (a digit in it: `serial console` is no value)
        r"\1" + WILDCARD,
        1,
    ),
    # a DNS name with the root's dot in brackets, whatever its top-level domain: Knot's zone
    # before each message, `[webauto.at.] zone file parsed` (QA Knot DNS: a message met in one
    # zone kept its name, the same event in another zone a new one)
    (r"\[(?:[A-Za-z0-9_-]+\.)+[A-Za-z][A-Za-z0-9-]*\.\]", "[" + WILDCARD + ".]", 1),
    (  # host names: dotted lower-case labels ending in a common top-level domain (a new host
        # is no new event; `nova.compute.manager` and Java packages end in no such domain); a
        # service label may start with `_` (`_ldap._tcp.dc.corp.internal`), and a resolver's
        # DNS 0x20 writes any case (`_LdAp._tcp.DC.CORp.iNtERNAl`: QA BIND, a template each)
        r"(^|[\s=:(\[,@/\"'<])(?i:(?:_?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+)(?:(?i:com|net|org|edu"
        # (... `biz`, `info`, `xyz` and `arpa`, a reverse lookup's name: QA PowerDNS, names
        # under them kept, a template per lame domain)
        r"|gov|io|us|uk|de|fr|nl|eu|jp|cn|ru|br|in|au|ca|local|localdomain|internal|lan|corp"
        r"|cloud|biz|xyz|arpa)"
        # (`info` not upper-case: a Monolog channel's level, Magento's `main.INFO:`, is no host;
        # QA Magento: `<*>:` beside `main.WARNING:`)
        r"|[iI][nN][fF]o|i[nN][fF]O)"
        # a dot ends a sentence only (`java.io.IOException`), or a name written with the root's
        # dot, sendmail's `relay=mx1.partner.io., dsn=...` (QA: each remote MX a new event)
        r"($|[\s:,;)\[\]/\"'>]|\.$|\.[\s,;])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # a number with thousands separators is one number: `4,327 total partitions`, `1,234ms`
        # (QA Cassandra: `<*>,<*>` beside `<*>`, one event's template text changing with its data)
        # (not in square brackets: a point, Android's `bnds=[264,444][920,908]`)
        r"(^|[^A-Za-z0-9_,.\[])[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"
        r"((?:ms|s|KB|MB|GB|B)?(?:$|[^A-Za-z0-9_,]))",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # a Python object's repr names its class and address, `<__main__.Trainer object at
        # 0x7f3a9c2b1e40>` (QA Ray: a template per actor class of one creation error)
        r"<[A-Za-z_][\w.]* object at (?:0x[0-9a-fA-F]+|<\*>)>",
        WILDCARD,
        1,
    ),
    (  # ... and Ray's task names its actor class before the method, `ray::Trainer.__init__()`
        # (QA Ray: one actor creation error a template per class; the method stays)
        r"(\bray::)[A-Za-z_]\w*(\.[A-Za-z_]\w*\()",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    (  # a peer's description after its address, FRR's `neighbor 10.0.1.2(spine1)` (QA: one
        # peer's events apart or all as `<*>)` by how often they came, the bracket lost)
        r"([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)\([A-Za-z][\w.-]*\)",
        r"\1(" + WILDCARD + ")",
        1,
    ),
    (  # a network interface (`eth1`, `enp0s3`, `swp12`, `bond0.100`, RouterOS' `ether5`,
        # Cisco's `GigabitEthernet0/1`, Juniper's `ge-0/0/1`): a port is an entity like a
        # host (QA FRR and MikroTik: `ether3 link down` a template per port, a port added
        # since training a new event, some ports merged and some not by their counts)
        r"(^|[\s,(\[=:'\"<])(?:(?:eth|ens|enp|eno|enx|em|wlan|wlp|wlo|swp|bond|br|vlan|tun|wg|ib"
        r"|ppp|ether|sfp|sfpplus|bridge)[0-9]+(?:[a-z][0-9]+)*(?:[.:][0-9]+)?|(?:GigabitEthernet"
        r"|TenGigabitEthernet|FastEthernet|Ethernet|Gi|Te|Fa|Eth|Port-channel)[0-9]+(?:/[0-9]+)+"
        r"(?:\.[0-9]+)?|(?:ge|xe|et|ae)-[0-9]+/[0-9]+/[0-9]+(?:\.[0-9]+)?"
        # ... and Cisco's numbered virtual ones, `Vlan10`, `Port-channel2`, `Loopback0` (QA
        # Cisco: HSRP's state changes were a template per VLAN, a new VLAN a new event)
        r"|(?:Vlan|Port-channel|Loopback|Tunnel|Dialer|BVI|BDI|Virtual-Access|Virtual-Template)"
        r"[0-9]+(?:[.:][0-9]+)?)($|[\s,;:)\]'\">@])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # a machine's name of dashed parts ending in its number, `pg-node2`, `db-03`, `k8s-worker-3`
        # (QA Patroni: `I am (pg-node2), the leader with the lock` was a template per node, and
        # after a failover every node's heartbeat a new event)
        r"(^|[\s,(\[=:'\"<])[a-z][a-z0-9]*(?:-[a-z0-9]+)*-(?:[a-z]+[0-9]+|[0-9]{2,})"
        r"($|[\s,;:)\]'\">]|\.$|\.\s)",  # a dot ends a sentence only: `x-metrics2.properties`
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # a Xen domain and its virtual CPU as the hypervisor names them, `d107v1`, `dom107` (QA
        # Xen: `p2m-pod.c:1162:d107v1 out of PoD memory! (... dom107)` a template per domain)
        r"(^|[^A-Za-z0-9])(?:d[0-9]+v[0-9]+|dom[0-9]+)($|[^A-Za-z0-9])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # a node's, store's or range's short id, CockroachDB's `n3`, `s4`, `r42/1` (QA: `transferring
        # lease to s4` and `... to s2` were events of their own, a template per store)
        r"(^|[\s,(\[=:'\"])[a-z][0-9]+($|[\s,;:)\]'\"/])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # a virtual network interface named with a random hex suffix, one per container or VM:
        # Docker's `veth2e6f5b4`, `br-1a2b3c4d5e6f`, Calico's `cali1a2b3c4d5e6`, Cilium's
        # `lxc...`, OpenStack's `tap3f2a1b0c-9d`, `qvo...` (QA dmesg: `veth2e6f5b4: renamed
        # from eth0` was a template per container, 1,111 of them, each stop a new event)
        r"(^|[^A-Za-z0-9])(?:veth|cali|lxc|tap|qvo|qvb|qbr|br-)[0-9a-f]{6,}(?:-[0-9a-f]{2})?"
        r"($|[^A-Za-z0-9])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (  # numbers and hex words with a digit (and a unit): 42, -7, 1f3a9c, DEADBEEF1, 500ms;
        # not a short upper-case name of 2-3 letters and 3-5 digits, `ED25519` (a key type),
        # `AES256`; a longer one is a hex id (Postfix queue ids `CEE8941972`, `FDAA547354`), as
        # are 9+ letters A-F alone (`AAFEBFBAFD`: no upper-case word is spelt with A-F only);
        # not a name before `=` (auditd's `a0="vim" a1="app.py"`: `<*>="vim"` merged unlike
        # commands into a template that lost its `=`, QA)
        r"(^|[^A-Za-z0-9])([0-9a-f]*[0-9][0-9a-f]*|[0-9][0-9A-F]*|[A-F]+[0-9]+[A-F][0-9A-F]*"
        r"|[A-F][0-9]+|[A-F]{2,}[0-9]{1,2}|[A-F]{4,}[0-9]+|[A-F]{2,3}[0-9]{6,}|[A-F]{9,})"
        # (the kernel's `total-vm:29626421kB`, `66157883K/67108864K available`: QA dmesg, two
        # OOM kills were two templates with their sizes in them)
        # (... and a factor, vLLM's `Maximum concurrency ...: 118.10x`: QA, `<*>.10x`, each
        # start a new event)
        r"(?:ms|us|ns|s|sec|min|h|KB|MB|GB|TB|B|kb|mb|gb|tb|kB|KiB|MiB|GiB|TiB|K|M|G|x)?"
        r"($|[^A-Za-z0-9=])",
        r"\1" + WILDCARD + r"\3",
        2,
    ),
    (  # an Alertmanager alert, `HighCPUUsage[03d86ea][active]` (its fingerprint masked above):
        # its name a value, its state the event's (QA Alertmanager: `alert=<*>]`, a resolved
        # alert a firing one's event, and a list of them a template per length) ...
        r"(^|[\s\[\"'=])[A-Za-z_][\w:]*\[<\*>\]\[(active|resolved|suppressed|unprocessed)\]",
        r"\1" + WILDCARD + r"[\2]",
        1,
    ),
    # ... a list of them in one state one alert of it
    *(
        (rf"(<\*>\[{state}\])(?: <\*>\[{state}\])+", r"\1", 1)
        for state in ("active", "resolved", "suppressed")
    ),
    (  # a media or disk image file's name (a download's, a title's), its type kept as a path's
        # is: `Elephants.Dream.avi Verifying torrent` (QA Transmission: a name with no digit
        # stayed a word, each new torrent's every event a new one, the only false alarms of
        # ngram and invariants); an archive's or a config file's name stays a word
        r"(^|[\s\"'(\[=:,])[\w][\w.+,'()\[\]-]*\.((?i:mkv|mp4|avi|m4v|mov|webm|mp3|flac|wav"
        r"|ogg|iso|img|zim|torrent))($|[\s\"'),;:\]])",
        r"\1" + WILDCARD + r".\2\3",
        2,
    ),
    (  # a query string that names its operation first, CloudStack's API `GET  command=
        # listHosts&response=json&listall=true`: the operation stays, its parameters are one
        # value (QA CloudStack: kept, every call's parameters made it a template of its own,
        # and the miner then took `command=<*>`, a deploy a list's event); the miner keeps
        # each operation apart (`miner._is_operation_pair`)
        rf"(^|\s)((?i:{'|'.join(QUERY_OPERATION_KEYS)})=[A-Za-z][\w.-]*)&\S+",
        r"\1\2&" + WILDCARD,
        1,
    ),
    (  # URLs; closing brackets, quotes and trailing punctuation stay in the template; an
        # IPv6 host's brackets are the URL's (AdGuard's `udp://[::]:53`: QA, `<*>::]:<*>`); a
        # closing brace ends one too, Solr's `params={...&distrib.from=http://...&version=2}
        # {add=[...]}` (QA Solr: the update's operation masked with the URL, an add, a
        # replica's add and a deleteByQuery one event)
        r"[A-Za-z][A-Za-z0-9+.\-]*://(?:\[(?:<\*>|[0-9A-Fa-f:.])*\])?"
        r"(?:(?:<\*>|[^\s\])}\"'<])*(?:<\*>|[^\s\])}\"',;.:<>*]))?",
        WILDCARD,
        1,
    ),
    (  # absolute paths, with a URL's query string (`/product/1?ref=cat`: the `=cat` stayed
        # in the template, and a visit with another `ref` was a new event: QA access logs)
        rf"(^|[{_DELIM}])(?:(?:/[^{_DELIM}/?]+)+/?(?:\?[^\s\"']+)?|/\?[^\s\"']+)",
        r"\1" + WILDCARD,
        1,
    ),
    # paths under the current folder, `./cache/man/index.db`, and a file's there before a
    # colon, tar's `./shadow: Cannot open` (QA Amanda: `./log/messages` and
    # `./spool/postfix/active` templates of their own beside `./<*>`, a permission failure on
    # a new file a new event); a bare `./configure` stays a command, and a source file's line,
    # Samba's `../../source3/smbd/open.c:1473(open_file)`, the code that wrote it
    (
        rf"(^|[{_DELIM}])\./[^{_DELIM}/?]+(?:/[^{_DELIM}/?]+)+/?(:\s|:$|[\s,;'\"\])}}]|$)",
        r"\1" + WILDCARD + r"\2",
        1,
    ),
    (rf"(^|[{_DELIM}])\./[^{_DELIM}/?]+(:\s|:$)", r"\1" + WILDCARD + r"\2", 1),
    # the root folder alone in single quotes, Amanda's `disk='/'` (QA: the root disk's events
    # templates of their own beside every other disk's `disk='<*>'`); a bare `/` may be a
    # request's endpoint (`GET / HTTP/1.1`, `path=/`) and stays
    (r"'/'", "'" + WILDCARD + "'", 1),
    (rf"(^|[{_DELIM}])[A-Za-z]:\\[^{_DELIM}]*", r"\1" + WILDCARD, 1),  # Windows paths
    (  # month and weekday names are parts of dates (`[Fri, 27 Nov 2026 ...]` too, Samba's
        # auth audit: QA, a failed logon on a Friday was a new event after Monday to Thursday;
        # written out too, ESXi's `login time: Saturday, 05 December, 2026 07:52:03 AM`: QA, a
        # day's logs after another's were new events in 101 of 192 windows)
        r"(^|[\s\[(])(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov"
        r"|Dec|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March"
        r"|April|June|July|August|September|October|November|December)($|\s|,\s)",
        r"\1" + WILDCARD + r"\3",
        2,
    ),
    # ... May before a number or alone: the verb is a word (OpenTelemetry's `Development
    # component. May change in the future.`: QA, `<*> change`)
    (r"(^|[\s\[(])May($|,\s|\s[0-9<])", r"\1" + WILDCARD + r"\2", 2),
    # an IPsec connection's name before its unique id, strongSwan's `IKE_SA site-c[70]`,
    # `CHILD_SA site-b-net{7}` (and `restarting CHILD_SA site-c-net` at the end): a name
    # someone gave (QA strongSwan: kept where a template met one tunnel, a peer's routine
    # DELETE on another was a new event)
    (r"((?:IKE|CHILD)_SA )[A-Za-z][\w.-]*([\[{](?:[0-9]|<\*>))", r"\1" + WILDCARD + r"\2", 1),
    (r"((?:IKE|CHILD)_SA )[A-Za-z][\w.]*-[\w.-]*$", r"\1" + WILDCARD, 1),
    # an MQTT topic filter with a wildcard level, `plant/#`, `home/+/+/state` (QA Mosquitto:
    # each subscription's filter a template of its own, an app's resubscribing new events)
    (r"(^|\s)[\w$.-]*(?:/[\w$.-]*)*/[#+](?:/[\w$.+#-]*)*($|\s)", r"\1" + WILDCARD + r"\2", 2),
    # Jira's request context (`%X{username} %X{request.id} %X{assession.id}` after the level:
    # `INFO admin 793x7443x1 ieuxo3t`; and `user: bob` in its thread's name): who, which
    # request, not what happened (QA Jira: a rare event's template kept one request's ids)
    (r"(^|\s)[^\s]+ [0-9]+x[0-9]+x[0-9]+ [a-z0-9]{4,10}($|\s)",
     r"\1" + WILDCARD + " " + WILDCARD + " " + WILDCARD + r"\2", 1),
    (r"(url: [^\s;]*; user: )[^\s]+", r"\1" + WILDCARD, 1),
    # a cluster member named in prose after its kind, `Received heartbeat from node node2`
    # (QA Jira: a template per node, a new node's every heartbeat a new event)
    (r"(^|\s)(node|host|server|peer|member|broker|instance) [A-Za-z][A-Za-z_-]*[0-9]+($|[\s,;.:)])",
     r"\1\2 " + WILDCARD + r"\3", 1),
    # ... or by its kind and a number alone, bare or quoted, `last reply from server1`,
    # `Demoting server 'server2'`, `server3[10.0.1.3:3306]` (QA MaxScale: a template per
    # server, the new master's every reply after a switchover a new event)
    (r"(^|[\s'\"(\[<:=,])(?i:node|host|server|replica|broker|peer|member|worker|slave|master|"
     r"primary|secondary|standby)[-_]?[0-9]{1,4}(\.?(?:$|[\s'\"\[\]),;:>]))",
     r"\1" + WILDCARD + r"\2", 2),
    # a device's name after its label, LibreNMS' `Hostname:  dist-02.dc2 (ios)`, and an admin's
    # in Cisco's `Configured from console by netops on vty0` and `Login Success [user: jdoe]`
    # (QA LibreNMS: a template per name prefix and per admin, a new device's every poll and a
    # new admin's login new events)
    (r"((?:^|\s)(?i:hostname|host name|sysname|device name): +)\S+", r"\1" + WILDCARD, 1),
    (r"((?:^|\s)Configured from \S+ by )\S+", r"\1" + WILDCARD, 1),
    # ... and a user's name quoted after the word, Jellyfin's `Current/Max sessions for user
    # "heidi": 1/3` (QA: a template per user where the miner met each often)
    # (a Windows account's domain stays: `user 'CORP\jsmith'` is `'CORP\<*>'`, as before)
    (r"((?:^|\s)(?i:user|username|account) \")[^\"\s\\]+(\")", r"\1" + WILDCARD + r"\2", 1),
    (r"((?:^|\s)(?i:user|username|account) ')[^'\s\\]+(')", r"\1" + WILDCARD + r"\2", 1),
    # ... and what a thing is named, KrakenD's `Circuit breaker named 'cb-orders' went from ...`
    # (QA: a template per breaker, some kept whole, some as `'cb-<*>'`)
    (r"((?:^|\s)named ')[^'\s]+(')", r"\1" + WILDCARD + r"\2", 1),
    (r"((?:^|\s)named \")[^\"\s]+(\")", r"\1" + WILDCARD + r"\2", 1),
    (r"(\[user: )[^\]\s]+(\])", r"\1" + WILDCARD + r"\2", 1),
    # a thing named by its kind, its number and its name, Metabase's `Database 2 'Warehouse'`,
    # `Table 105 'analytics.pageviews'`, and an alert's `(20: "Orders dropped below 100")` (QA
    # Metabase: a template per database, a newly connected one's every sync a new event)
    (r"((?:^|\s)[A-Z][A-Za-z]* (?:[0-9]+|<\*>) ')[^'\n]+('(?:$|[\s,;.:)]))",
     r"\1" + WILDCARD + r"\2", 1),
    (r"(\((?:[0-9]+|<\*>): )\"[^\"\n]*\"(\))", r"\1" + WILDCARD + r"\2", 1),
    # a database user named with the client it came from, MaxScale's `client session [12] for
    # 'app_orders' from ::ffff:10.0.2.31` (QA: a template per user, a new user's every session
    # a new event)
    (r"(\sfor ')[^'\s]+(' from\s)", r"\1" + WILDCARD + r"\2", 1),
    # a name given with its id, YugabyteDB's `(table line_items [id=3d5d...])` (QA: a rare
    # warning's template per table, where frequent lines had the name masked by the miner)
    (r"((?:^|[\s(])(?:table )?)[A-Za-z_][\w.-]*( \[id=(?:[0-9a-f]{32}|<\*>)\])",
     r"\1" + WILDCARD + r"\2", 1),
    # Windows servicing's length-prefixed names, CSI's `file [l:9]"ntdll.dll"` (QA Windows CBS:
    # the value ran into the quote, `[l:<*>.dll""`, a template per extension)
    (r'\[l:[0-9{}]+\]"[^"]*"', "[l:" + WILDCARD + ']"' + WILDCARD + '"', 1),
    # ... an NT path, `\??\C:\Windows\System32\shell32.dll`, and a system file's name, `file:
    # bcrypt.dll` (QA: a template per file a repair or an installer failed on)
    (r"(^|[\s(\[])\\\?\?\\[A-Za-z]:\\[^\s;,]*", r"\1" + WILDCARD, 1),
    (r"(^|[\s:=\['\"])[\w.-]+\.(?i:dll|sys|exe|mui|mum|cat)($|[\s,;)\]'\"])",
     r"\1" + WILDCARD + r"\2", 1),
    # a CPU's number in ESXi's vmkernel header, `cpu30:2097483)StorageApdHandler: ...` (QA: a
    # rare event kept the CPU it first ran on, and the same event on another CPU was new)
    (r"(^|\s)cpu[0-9]+:", r"\1cpu" + WILDCARD + ":", 1),
    # CockroachDB's redaction marks, `‹orders›`, hold a user's value, a table's or a column's
    # name (QA: `index backfill for table ‹orders›` beside `‹payments›` two events, a new
    # table's a new one); a keyword in capitals, `‹BACKUP›` (a statement's kind), stays
    ("‹[^‹›\\s]*[^‹›\\sA-Z_][^‹›\\s]*›", "‹" + WILDCARD + "›", 1),
    # a name with a number after a hyphen is an id, a client's or a device's, `sensor-0001`,
    # `wifi-ap-02`, `mesos-slave-13` (QA Mosquitto, FreeRADIUS: `Client sensor-<*> has
    # exceeded timeout` kept the id's prefix, and a gateway's timeout was a new event); not
    # a version, `jetty-6.1.26`, `nginx-1.25`: the software's name stays; nor a code in
    # capitals, `AUTH-001`, `E-1002` (an outcome: each code its event) or a ticket's `PROJ-123`
    (
        r"(^|[^A-Za-z0-9_.<>-])(?:[A-Z0-9_]*[a-z][A-Za-z0-9_]*-)+<\*>"
        r"($|[^A-Za-z0-9_.<>-]|\.$|\.\s)",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (r"<\*>(\.<\*>)+", WILDCARD, 1),  # dotted numbers (IPs, versions) are one variable
    # an Asterisk channel, `PJSIP/203-00000302` beside `PJSIP/trunk-sipgate-00000305`: its
    # endpoint and sequence number one variable, as a named endpoint's are (QA Asterisk: a
    # numbered phone's `is ringing` an event apart from a trunk's)
    (r"(^|[^A-Za-z0-9_/])((?:PJSIP|SIP|IAX2|DAHDI)/)<\*>-<\*>", r"\1\2" + WILDCARD, 1),
    # a word holding a masked number is one variable: blk_<*>, job_<*>_<*>, <*>ms
    (r"[A-Za-z0-9_]*<\*>(?:[A-Za-z0-9_]|<\*>)*", WILDCARD, 1),
    (  # boolean and null values
        r"(^|[^A-Za-z0-9_])(?i:true|false|null)($|[^A-Za-z0-9_])",
        r"\1" + WILDCARD + r"\2",
        2,
    ),
    (r"(<\*>,? )(?:B|KB|MB|GB|TB|KiB|MiB|GiB)($|[^A-Za-z0-9])", r"\1" + WILDCARD + r"\2", 1),
    # a bracketed list of masked items is one value whatever its length: Nebula's addresses,
    # `udpAddrs=[<*>:<*> <*>:<*>]` (QA: a template per count of a peer's addresses, a laptop
    # gaining one a new event), Cassandra's `Partition merge counts were {1:11000, 2:1300, }`
    # and its compaction's `[<sstable>:level=0, <sstable>:level=0, ]` (QA: a template per
    # count of entries, 86 of 126 normal windows flagged where more sstables merged)
    # the name in parentheses after an object's masked id, xapi's `SR.scan: SR = '<uuid>'
    # (NFS-VMstore)` (QA XenServer: a template per storage repository, every false alarm of
    # PCA and DeepLog a normal scan of one)
    (r"( = '<\*>') \([^()]*\)", r"\1 (" + WILDCARD + ")", 1),
    # the hostname a DHCP client sent, after its masked address, dhcpd's `DHCPREQUEST for
    # 10.20.1.167 from ac:de:48:02:9b:cb (android-pn8u9) via ens192`: left out, as a client that
    # sends none writes (QA ISC DHCP: a template with and one without it, a renewal an offer's
    # answer's event, and at scoring a template per hostname)
    (r"(\b(?:from|to) <\*>) \([^()]*\)( via )", r"\1\2", 1),
    (rf"\{{{_MASKED_ITEMS}\}}", "{" + WILDCARD + "}", 1),
    (rf"\[{_MASKED_ITEMS}\]", "[" + WILDCARD + "]", 1),
    # words are separated by any run of white space, and by the ASCII separators (auditd's
    # ENRICHED records end in `\x1d` + names: QA, the byte stood in templates)
    (r"[\s\x1c-\x1f]+", " ", 1),
]

# A random id of letters in both cases and digits (base64/base62: Elasticsearch's node ids
# `node[uGNZaqj0WmqfmGdMmGb0SH]`, `a[id=U802cPcT9p3RMd3eCVQvdy]`) is a variable: no mask above
# takes a word whose digits are inside it, and each node's id split its events into templates
# of their own (QA Elasticsearch: a new node's id was a new event). It differs from a name
# (`HTTP2ServerConnectionFactory`, `getUser2ById`) by how often the kind of letter or digit
# changes (`-` and `_` aside): in a random id at nearly two of three characters, in a
# camel-case name at word starts. At 0.45, 95% of random 22-character ids (base64url, a digit
# in each) are masked, and none of the 296 such words in loghub's logs (the closest:
# Android's `isBluetoothA2dpOn`, 0.44; Hadoop's `Log4jLoggerAdapter`, 0.41). From 12
# characters: about 93% of random 12-15 character ids (QA Postfix: mixed-case queue ids of
# 14 and 15, each message's `from=` line a template of its own), and none of loghub's 3 such
# words (`MPITs_v050902`, 0.18).
# Base64's `+` and `/` belong to the id: Dovecot's session ids, `session=<y4+ah7UO4tR/AAAB>`
# (QA Dovecot: such an id was kept whole, or cut at the `/` into `<*>/5lm`, and a rare event
# met again under another id was a new event).
_ID_CANDIDATE = re.compile(
    r"(?<![A-Za-z0-9_+/-])(?=[\w+/-]*[0-9])(?=[\w+/-]*[a-z])(?=[\w+/-]*[A-Z])"
    r"[A-Za-z0-9_+/-]{12,}(?![A-Za-z0-9_+/-])"
)
_RANDOM_SHARE = 0.45  # the share of adjacent letters and digits of different kinds
# ... and for a word of exactly 22 or 20 characters, Elasticsearch's and OpenSearch's node and
# document ids (`UUIDs.base64UUID()`, `randomBase64UUID()`): the 5% of them under 0.45 (QA
# OpenSearch: `{SeJt70YGDLuwMNVNvvmNCG}`, 0.43, kept in a node-join template, and the next
# planned restart three false alarms); camel-case names of that length change far less
_ES_ID_SHARE = 0.3
_ES_ID_LENGTHS = (20, 22)


def _is_random_id(word: str) -> bool:
    kinds = [0 if c.islower() else 1 if c.isupper() else 2 for c in word if c.isalnum()]
    changes = sum(a != b for a, b in zip(kinds, kinds[1:], strict=False))
    share = _ES_ID_SHARE if len(word) in _ES_ID_LENGTHS else _RANDOM_SHARE
    return changes >= share * (len(kinds) - 1)


# ... or a path's segment that is one, where the whole path is not: Vault's lease ids,
# `database/creds/readonly/Ab3DEUIbgHPZ8PoE2j19mNr1` (QA Vault: the words of the path made the
# whole too regular to be taken, and a rare event's lease id stood in its template)
_MIXED_SEGMENT = re.compile(r"(?=[\w+-]*[0-9])(?=[\w+-]*[a-z])(?=[\w+-]*[A-Z])[\w+-]{12,}")


def _random_id(match: re.Match[str]) -> str:
    word = match.group(0)
    if _is_random_id(word):
        return WILDCARD
    if "/" not in word:
        return word
    return "/".join(
        WILDCARD if _MIXED_SEGMENT.fullmatch(part) and _is_random_id(part) else part
        for part in word.split("/")
    )


# ... and an id of 26 base32 characters in one case, Mattermost's `4xp9fdt8pjgx3r7ke5q1wzyh6e`
# (user, channel, post, connection) and a ULID's `01HGW2N7EZJ8Q9V3K5XR4T6YBM` (QA Mattermost: a
# rare message kept its ids, a template per connection); three digits and three letters at least;
# also in a path, `export/<id>.zip` (QA Mattermost: a template per failed job)
_BASE32_ID = re.compile(r"(?<![A-Za-z0-9_+-])(?:[a-z0-9]{26}|[A-Z0-9]{26})(?![A-Za-z0-9_+-])")


def _base32_id(match: re.Match[str]) -> str:
    word = match.group(0)
    digits = sum(c.isdigit() for c in word)
    return WILDCARD if 3 <= digits <= len(word) - 3 else word


def mask_random_ids(text: str) -> str:
    """`text` with each random id (`_ID_CANDIDATE`, `_RANDOM_SHARE`; `_BASE32_ID`) made `<*>`;
    runs on the lines where a digit survived the masks, since such an id holds one (a
    digitless one, about one in a hundred 22-character ids, stays a word)."""
    return _BASE32_ID.sub(_base32_id, _ID_CANDIDATE.sub(_random_id, text))


@functools.cache
def _compiled_masks() -> list[tuple[re.Pattern[str], str, int]]:
    """`MASKS` compiled for Python, once on first use (not at import: every process, a CLI
    command's too, would pay for it; see `kept_values._text_rules`)."""
    return [(re.compile(p), r, n) for p, r, n in MASKS]
_JOINS = [(re.compile(p), r, n) for p, r, n in JOINS]


def digit_shape(text: pa.Array) -> pa.Array:
    """Every digit replaced by 0 (numpy on the data buffer: ~6x faster than a regex)."""
    if text.type != pa.string() or text.null_count:
        return pc.replace_substring_regex(text, "[0-9]", "0")
    offsets = np.frombuffer(text.buffers()[1], np.int32)[text.offset : text.offset + len(text) + 1]
    data = text.buffers()[2]
    if data is None or offsets[-1] == offsets[0]:
        return text
    raw = np.frombuffer(data, np.uint8)[offsets[0] : offsets[-1]].copy()
    raw[(raw - np.uint8(48)) < 10] = 48
    return pa.StringArray.from_buffers(
        len(text), pa.py_buffer(offsets - offsets[0]), pa.py_buffer(raw)
    )


def mask_array(content: pa.Array) -> tuple[pa.Array, np.ndarray, pa.Array]:
    """(distinct masked messages, each row's index into them, words text), vectorised.

    Masks run on the distinct digit-shapes only. The words text is the trimmed content with
    each joined date/quantity made one word (spaces replaced by JOIN), so its words line up
    with the masked message's words."""
    text = _spaced_csv_array(plain_array(content))
    shape = pc.dictionary_encode(digit_shape(text))
    if pc.any(pc.match_substring_regex(shape.dictionary, JOINS_ANY)).as_py():
        text = apply_matching(text, JOINS)
        shape = None
    # lists and quoted strings as one word each (`join_values`); the pattern asks no digit's
    # value, so the distinct shapes tell whether any row holds one (most chunks: none)
    probe = text if shape is None else shape.dictionary
    if pc.any(pc.match_substring_regex(probe, _HAS_VALUES)).as_py():
        valued = pc.fill_null(pc.match_substring_regex(text, _HAS_VALUES), False)
        joined = [join_values(t) for t in text.filter(valued).to_pylist()]
        text = pc.replace_with_mask(text, valued, pa.array(joined, pa.string()))
        shape = None
    words_text = text
    text, marked = kept_values.mark_array(text)  # statuses, error numbers, endpoints
    if marked:
        shape = None
    if pc.any(pc.match_substring(text, "0x", ignore_case=True)).as_py():
        text = apply_patterns(text, [_HEX0X])
        shape = None
    if shape is None:
        shape = pc.dictionary_encode(digit_shape(text))
    masked = _mask_shapes(shape.dictionary)
    codes = shape.indices.to_numpy(zero_copy_only=False)
    digits = pc.match_substring_regex(masked, "[0-9]").to_numpy(zero_copy_only=False)
    if digits.any():  # digits kept inside words: mask those lines one by one
        rows = np.flatnonzero(digits[codes])
        exact = pa.array(
            [mask_random_ids(t) for t in _mask_exact(text.take(pa.array(rows)))], pa.string()
        )
        codes = codes.astype(np.int64)
        codes[rows] = len(masked) + np.arange(len(rows))
        masked = pa.concat_arrays([masked, exact])
    if marked:
        masked = kept_values.restore_array(masked)
    distinct = pc.dictionary_encode(masked)  # different shapes can mask alike
    codes = distinct.indices.to_numpy(zero_copy_only=False)[codes]
    used, codes = np.unique(codes, return_inverse=True)  # drop shapes no row kept
    return distinct.dictionary.take(pa.array(used)), codes, words_text


# Masked digit-shapes already computed, per process: `MASKS[1:]` is a pure function of a
# shape, and a folder of small files (one task log, one build each) repeats the same few
# shapes in every file, where each RE2 call's compile made the masks ~10 ms a file (QA
# Airflow: a folder parsed 25-75x slower than its lines in one file). Bounded: emptied when full.
_SHAPES_MASKED: dict[str | None, str | None] = {}
SHAPES_MASKED_LIMIT = 50_000


def _mask_shapes(shapes: pa.Array) -> pa.Array:
    """`MASKS[1:]` applied to distinct digit-shapes, each shape's result computed once."""
    keys = shapes.to_pylist()
    known = {key: _SHAPES_MASKED.get(key) for key in keys}  # a snapshot: threads share it
    missing = [key for key, value in known.items() if value is None and key is not None]
    if missing:
        done = apply_gated(pa.array(missing, pa.string()), MASKS[1:]).to_pylist()
        if len(_SHAPES_MASKED) + len(missing) > SHAPES_MASKED_LIMIT:
            _SHAPES_MASKED.clear()
        fresh = dict(zip(missing, done, strict=True))
        _SHAPES_MASKED.update(fresh)
        known.update(fresh)
    return pa.array([known[key] for key in keys], pa.string())


# Up to this many lines are masked one by one in Python: RE2 compiles each of `MASKS` at every
# call (~20 ms), where Python's compiled patterns take ~1.5 ms a line; a folder of small files
# (one task try each) has a few such lines per file (QA Airflow: 54 lines/s, 0.25 s a file)
EXACT_IN_PYTHON = 12


def _mask_exact(text: pa.Array) -> list[str | None]:
    """`MASKS[1:]` applied to `text`, line by line in Python where there are few lines
    (`EXACT_IN_PYTHON`), else vectorised (the same results: `mask_text`)."""
    if len(text) > EXACT_IN_PYTHON:
        return apply_gated(text, MASKS[1:]).to_pylist()
    masks = _compiled_masks()[1:]
    return [None if line is None else _substituted(line, masks) for line in text.to_pylist()]


def _substituted(text: str, patterns: list[tuple[re.Pattern, str, int]]) -> str:
    """`text` with each compiled (pattern, replacement, passes) applied in turn, Python's
    counterpart of `mask_symbols.apply_patterns`."""
    for pattern, repl, passes in patterns:
        for _ in range(passes):
            text, changed = pattern.subn(repl, text)
            if not changed:  # the next pass would change nothing either
                break
    return text


def mask_text(text: str) -> str:
    """Apply the masks to one string (same result as `mask_array`)."""
    text = _substituted(_spaced_csv(plain_text(text)), _JOINS)
    text = kept_values.mark_text(join_values(text))
    return kept_values.restore_text(mask_random_ids(_substituted(text, _compiled_masks())))
