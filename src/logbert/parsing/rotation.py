"""Rotated files: which log a rotated file is a part of, and the order its parts were written.

logrotate numbers them (`app.log.2.gz`, `app.log.1`, `app.log`), others date them
(`app.log-20261101`, log4j2's `escluster-2026-11-19-1.log.gz`), and Windows' servicing log
keeps its older part as `CbsPersist_<stamp>.log` beside `CBS.log`. `rotation_key` sorts a
folder's names oldest part first; `log_name` names the log a part belongs to, so that the
parts are one stream of windows and one source's folder (`reader.source_names`).
"""

from __future__ import annotations

import re

COMPRESSED = re.compile(r"\.gz$")
_NUMBERED = re.compile(r"^(?P<stem>.+)\.(?P<n>\d{1,4})$")  # app.log.3 (logrotate)
# ... but BackupPC numbers each backup's and restore's own log by the run, the newest highest
# (`pc/db01/XferLOG.62`, `RestoreLOG.3`): each a log of its own, read in run order (QA BackupPC:
# read as one log's parts, newest first, a folder's listing said "oldest first")
_PER_RUN = re.compile(r"^(?:Xfer|Restore|Archive)LOG\.\d+(?:\.z)?$")
# Zabbix's own rotation (`LogFileSize`) keeps one older file, `zabbix_server.log.old` (QA: read
# after the live file, unsaid: not taken for a part of its log)
_OLD = re.compile(r"^(?P<stem>.+)\.old$")
# app.log-20261101, app.log.2026-11-01, and log4j's hourly `server.log.2026-11-20-09` (QA
# Kafka: its hour was not read as a date, and `server.log` was read before the day's files)
# ... and 389 Directory Server's `access.20261202-080000` beside the live `access` (QA FreeIPA:
# read after it, a connection spanning the rotation two sessions, both flagged)
_DATED = re.compile(
    r"^(?P<stem>.+?)[-_.](?P<date>\d{8}(?:-?\d{2,6})?|\d{4}-\d{2}-\d{2}(?:[-_T.]\d{2}(?:[-_:.]?\d{2}){0,2})?)$"
)
# log4j2's rollover puts the date and an index before the extension: Elasticsearch's
# `escluster-2026-11-19-1.log.gz` beside the live `escluster.log` (QA: not taken for one log,
# so read after it unsaid when given newest first)
# ... and WebSphere's `SystemOut_26.11.20_18.00.00.log` beside the live `SystemOut.log` (a
# two-digit year: QA, the folder was read newest first)
# ... and logback's hourly `%d{yyyy-MM-dd_HH}.%i`, NiFi's `nifi-app_2024-05-14_09.0.log` beside
# the live `nifi-app.log` (QA NiFi: the live file read first, a 2-hour step back unsaid)
# ... and Filebeat's own `filebeat-20240305.ndjson`, `filebeat-20240305-1.ndjson` (QA: each
# day's file a log of its own, so no host's test file was its training file, and a crashed
# host's silence went unjudged)
_DATED_BEFORE_EXT = re.compile(
    r"^(?P<stem>.+?)[-_.](?P<date>\d{4}-\d{2}-\d{2}(?:[_T]\d{2})?|\d{8}"
    r"|(?P<yy>\d{2}\.\d{2}\.\d{2}_\d{2}\.\d{2}\.\d{2}))(?:[-.](?P<i>\d{1,4}))?"
    r"(?P<ext>\.(?:log|ndjson))$"
)
# ... and log4j2's `filePattern="${name}-%d{MM-dd-yyyy}-%i.log.gz"` after the live name, Pulsar's
# `pulsar-broker-pbk-01.log-12-04-2026-1.log.gz` (QA Pulsar: read after the live file, another
# stream of windows)
_US_DATED_INDEX = re.compile(
    r"^(?P<stem>.+\.log)-(?P<m>\d{2})-(?P<d>\d{2})-(?P<y>\d{4})-(?P<i>\d{1,4})\.log$"
)
# ... and an index before the extension, NLog's archives as Sonarr and Radarr keep them,
# `sonarr.0.txt` (the newest) and `sonarr.1.txt` beside the live `sonarr.txt`, or logback's
# fixed window, `app.1.log` (QA Sonarr: read `.0`, `.1`, then the live file, each a stream of
# its own, and "fell silent" said of every window after its rotation); a higher index is the
# older part by name, and a folder's parts go by their modification times (log4j2 numbers
# them the other way: `folders`)
_NUMBERED_BEFORE_EXT = re.compile(r"^(?P<stem>.+)\.(?P<n>\d{1,3})(?P<ext>\.(?:txt|log))$")
# ... and Windows' servicing log, whose older part is `CbsPersist_20261120201331.log` beside the
# live `CBS.log` (QA Windows CBS: read after it, a session finalised before it started)
_CBS_PERSIST = re.compile(r"^(?i:CbsPersist)_(?P<date>\d{14})\.log$")
_CBS_LOG = "CBS.log"
_DIGITS = re.compile(r"(\d+)")


# a file named by its weekday, overwritten each week (Windows DHCP Server's
# `DhcpSrvLog-Mon.log` ... `DhcpSrvLog-Sun.log`), and a log whose parts are numbered with a
# leading zero (IBM MQ's `AMQERR01.LOG`, the newest, `AMQERR02.LOG`, `AMQERR03.LOG`)
WEEKDAY = re.compile(
    r"^(?P<stem>.*[-_.])(?P<day>(?i:mon|tue|wed|thu|fri|sat|sun))"
    r"(?i:day|sday|nesday|rsday|urday)?(?P<ext>\.\w+)?$"
)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PADDED_PART = re.compile(r"(?<![0-9])0[0-9](?![0-9])")


def same_log_parts(first: str, second: str) -> bool:
    """Whether two file names are parts of one log that their names cannot order: weekdays'
    files, or parts numbered with a leading zero (`WEEKDAY`, `_PADDED_PART`). Their order
    comes from their times, and read newest first they are said to be (QA IBM MQ, DHCP)."""

    def bare(name: str) -> str:
        name = COMPRESSED.sub("", name)
        if day := WEEKDAY.match(name):
            name = day["stem"] + "#" + (day["ext"] or "")
        return _PADDED_PART.sub("#", name)

    shared = bare(first)
    return first != second and "#" in shared and shared == bare(second)


def natural_key(text: str) -> tuple:
    """`boot2` before `boot10`: runs of digits compare by value."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(text))


def rotation_key(name: str) -> tuple:
    """Sort key of a file name that puts rotated files of one log oldest first and the file
    still being written last: `x.log.2.gz`, `x.log.1`, `x.log`; `x.log-20261101`, `x.log`;
    `x.log.old`, `x.log`; `x.1.txt`, `x.0.txt`, `x.txt`."""
    bare = COMPRESSED.sub("", name)
    if _PER_RUN.match(bare):
        return (natural_key(bare), 2, 0)
    if numbered := _NUMBERED.match(bare):
        return (natural_key(numbered["stem"]), 0, -int(numbered["n"]))
    if old := _OLD.match(bare):  # the newest rotated file, as `.1` is
        return (natural_key(old["stem"]), 0, 0)
    if dated := _DATED.match(bare):
        return (natural_key(dated["stem"]), 1, re.sub(r"\D", "", dated["date"]))
    if inner := _DATED_BEFORE_EXT.match(bare):
        century = "20" if inner["yy"] else ""
        date = century + re.sub(r"\D", "", inner["date"]) + f"{int(inner['i'] or 0):04d}"
        return (natural_key(inner["stem"] + inner["ext"]), 1, date)
    if us := _US_DATED_INDEX.match(bare):
        return (natural_key(us["stem"]), 1, us["y"] + us["m"] + us["d"] + f"{int(us['i']):04d}")
    if cbs := _CBS_PERSIST.match(bare):
        return (natural_key(_CBS_LOG), 1, cbs["date"])
    if indexed := _NUMBERED_BEFORE_EXT.match(bare):
        return (natural_key(indexed["stem"] + indexed["ext"]), 0, -int(indexed["n"]))
    return (natural_key(bare), 2, 0)


def indexed_part(name: str) -> bool:
    """Whether `name` is a part numbered before its extension (`sonarr.0.txt`, `app.1.log`),
    whose index runs newest first or oldest first as the writer chose."""
    bare = COMPRESSED.sub("", name)
    return not _DATED_BEFORE_EXT.match(bare) and _NUMBERED_BEFORE_EXT.match(bare) is not None


def log_name(path: str) -> str:
    """The log a rotated file is a part of, its path without the rotation's suffix
    (`app01/supervisord.log.1` and `app.log-20261101.gz` are `app01/supervisord.log` and
    `app.log`); any other path as it is."""
    head, slash, name = path.rpartition("/")
    bare = COMPRESSED.sub("", name)
    if _PER_RUN.match(bare):
        return head + slash + bare
    if found := _NUMBERED.match(bare) or _OLD.match(bare) or _DATED.match(bare):
        return head + slash + found["stem"]
    if inner := _DATED_BEFORE_EXT.match(bare):
        return head + slash + inner["stem"] + inner["ext"]
    if us := _US_DATED_INDEX.match(bare):
        return head + slash + us["stem"]
    if _CBS_PERSIST.match(bare):
        return head + slash + _CBS_LOG
    if indexed := _NUMBERED_BEFORE_EXT.match(bare):
        return head + slash + indexed["stem"] + indexed["ext"]
    return head + slash + bare
