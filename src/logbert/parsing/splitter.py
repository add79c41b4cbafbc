"""Split lines into header fields and content, vectorised, in up to three passes.

1. Literal splits (`pyarrow.compute.split_pattern`, no regex): for formats whose separators are
   plain text, e.g. HDFS `<Date> <Time> <Pid> <Level> <Component>: <Content>` is one split on
   " " (4 times) and one on ": ". A row is accepted only when every header field is non-empty
   and free of whitespace, where the format regex would split it the same way.
2. The format regex with whitespace-free fields (`\\S*?` for `.*?`; RE2 runs it faster).
3. The full loghub regex (`.*?` fields) for what is left; rows that fail it are rejects.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from logbert.parsing.embedded_objects import objects_as_fields
from logbert.parsing.formats import EVENT_FIELD, LogFormat
from logbert.parsing.json_lines import JSON, split_json_lines
from logbert.parsing.logfmt import LOGFMT, split_logfmt_lines
from logbert.parsing.unified import TIDB, split_unified_lines
from logbert.parsing.w3c import W3C, split_w3c_lines

# an ANSI escape: CSI (`ESC[0;31m`, cursor moves), OSC (`ESC]...BEL` titles, links) or a
# short escape (`ESC(B`, `ESC7`; RE2 syntax, also valid for Python's `re`); text concealed
# between `ESC[8m` and `ESC[0m` goes with its escapes: Jenkins hides its console notes so,
# `ESC[8mha:////4LCAAAA...ESC[0m[Pipeline] stage` (QA Jenkins: the base64 stayed, glued to the
# next word, and `[Pipeline] stage` and `// stage` were one template, `<*> stage`)
ANSI_ESCAPE = (
    r"\x1b\[8m[^\x1b]*\x1b\[0?m"
    r"|\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[ -/]*[0-~])"
)
_PLAIN = re.compile(r"(?:[^\\()\[\]{}.*+?|^$]|\\[\[\]{}().|*+?^$\\-])*")


def strip_ansi(strings: pa.Array) -> pa.Array:
    """`strings` without ANSI terminal escape sequences (colours, `ESC[32mPASSED ESC[0m`, as
    CI runners and coloured loggers write them): they are no part of an event, and kept, a
    runner with colour turned off wrote other templates (QA CI logs: 163 false alarms, and
    ESC bytes in templates.csv and reports). Only chunks holding an ESC byte are rewritten."""
    if not len(strings) or not has_bytes(strings, 0x1B, 0x1B):
        return strings
    return pc.replace_substring_regex(strings, ANSI_ESCAPE, "")


def spaced_separators(strings: pa.Array) -> pa.Array:
    """`strings` with the ASCII information separators (0x1c-0x1f) as spaces: auditd's
    ENRICHED records put 0x1d before their interpreted fields (`res=success\x1dAUID="carol"`),
    as `ausearch -i` reads a space. Words are split on spaces, but the miner's Python split on
    these bytes too (QA auditd: the two fell out of line, a traceback on every current RHEL
    audit.log). Only chunks holding such a byte are rewritten."""
    if not len(strings) or not has_bytes(strings, 0x1C, 0x1F):
        return strings
    return pc.replace_substring_regex(strings, r"[\x1c-\x1f]", " ")


def has_bytes(strings: pa.Array, lo: int, hi: int) -> bool:
    """Whether any byte of the strings' data lies in [lo, hi] (may look past a slice: safe)."""
    data = strings.buffers()[2]
    if data is None:
        return False
    raw = np.frombuffer(data, np.uint8)
    return bool(((raw >= lo) & (raw <= hi)).any())


def literal_plan(fmt: LogFormat) -> tuple[str, list[tuple[list[str], str]], bool] | None:
    """(leading text, [(fields, separator)], trim content) or None when a literal is a pattern."""
    parts = re.split(r"<([A-Za-z_][A-Za-z0-9_]*)>", fmt.format)
    lits = parts[0::2]
    fields = parts[1::2]
    if lits[-1] != "" or fields[-1] != "Content" or not all(_PLAIN.fullmatch(x) for x in lits):
        return None  # a pattern, or fields after the content: the regex passes read those
    plain = [re.sub(" +", " ", re.sub(r"\\(.)", r"\1", x)) for x in lits]
    if any(x == "" for x in plain[1:-1]):  # two fields with nothing between them
        return None
    steps: list[tuple[list[str], str]] = []
    for name, sep in zip(fields[:-1], plain[1:-1], strict=True):
        if steps and steps[-1][1] == sep == " ":
            steps[-1][0].append(name)
        else:
            steps.append(([name], sep))
    return plain[0], steps, plain[-2].endswith(" ")


def _literal_split(lines: pa.Array, fmt: LogFormat) -> tuple[np.ndarray, dict[str, pa.Array]]:
    """Rows split by literal separators (positions into `lines`) and their columns."""
    plan = literal_plan(fmt)
    idx = np.arange(len(lines))
    if plan is None:
        return idx[:0], {}
    lead, steps, trim = plan
    # whitespace other than spaces is rare: without it, plain substring checks suffice
    odd_space = has_bytes(lines, 9, 13)
    rest = lines
    if lead:
        ok = pc.starts_with(rest, lead).to_numpy(zero_copy_only=False)
        idx, rest = idx[ok], pc.utf8_slice_codeunits(rest.filter(pa.array(ok)), len(lead))
    cols: dict[str, pa.Array] = {}

    def keep(mask: np.ndarray) -> None:
        nonlocal idx, rest, cols
        sel = pa.array(mask)
        idx, rest = idx[mask], rest.filter(sel)
        cols = {k: v.filter(sel) for k, v in cols.items()}

    for names, sep in steps:
        parts = pc.split_pattern(rest, sep, max_splits=len(names))
        ok = pc.list_value_length(parts).to_numpy(zero_copy_only=False) == len(names) + 1
        if not ok.all():
            keep(ok)
            parts = parts.filter(pa.array(ok))
        values = [pc.list_element(parts, i) for i in range(len(names) + 1)]
        bad = np.zeros(len(parts), bool)
        for value in values[:-1]:
            if odd_space:
                b = pc.or_(pc.equal(value, ""), pc.match_substring_regex(value, r"\s"))
            elif sep == " ":  # the split already keeps spaces out of these fields
                b = pc.equal(value, "")
            else:
                b = pc.or_(pc.equal(value, ""), pc.match_substring(value, " "))
            bad |= b.to_numpy(zero_copy_only=False)
        cols.update(zip(names, values[:-1], strict=True))
        rest = values[-1]
        if bad.any():
            keep(~bad)
    after = _field_after(fmt, "Timestamp")
    if after is not None:  # a date whose clock time follows: the regex passes take both
        following = cols.get(after, rest)  # rest: the content, when it follows
        clock = pc.match_substring_regex(following, r"^\d{1,2}:\d\d").to_numpy(zero_copy_only=False)
        if clock.any():
            keep(~clock)
    if trim and (odd_space or pc.any(pc.starts_with(rest, " ")).as_py()):
        rest = pc.utf8_ltrim_whitespace(rest)
    cols["Content"] = rest
    return idx, cols


def _field_after(fmt: LogFormat, name: str) -> str | None:
    """The field that follows `name` in the format (None when `name` is absent or last)."""
    if name not in fmt.fields:
        return None
    i = fmt.fields.index(name)
    return fmt.fields[i + 1] if i + 1 < len(fmt.fields) else None


def _regex_split(lines: pa.Array, regex: str) -> tuple[np.ndarray, dict[str, pa.Array]]:
    parts = pc.extract_regex(lines, regex)
    ok = parts.is_valid().to_numpy(zero_copy_only=False)
    parts = parts.filter(pa.array(ok))
    cols = {parts.type.field(i).name: pc.struct_field(parts, i) for i in
            range(parts.type.num_fields)}  # fmt: skip
    return np.flatnonzero(ok), cols



def _ceph_level_words(levels: pa.Array) -> pa.Array:
    """Ceph's priorities as words: -1 `error` (derr), 0 `info` (always logged), 1-20 `debugN`
    (as a number the event's first word was masked, an error one event with a notice)."""
    levels = pc.replace_substring_regex(levels, r"^-1$", "error")
    levels = pc.replace_substring_regex(levels, r"^0$", "info")
    return pc.replace_substring_regex(levels, r"^([1-9][0-9]?)$", r"debug\1")

def split_lines(
    lines: pa.Array, fmt: LogFormat, w3c_fields: tuple[str, ...] | None = None
) -> tuple[np.ndarray, dict[str, pa.Array]]:
    """(matched mask, columns of the matched rows in line order) for a chunk of lines.
    Terminal colour codes are dropped first (`strip_ansi`), and from JSON messages.
    `w3c_fields`: a W3C file's fields in force before the chunk (`LineChunk.w3c_fields`)."""
    lines = spaced_separators(strip_ansi(lines))
    n = len(lines)
    if fmt.is_raw:
        return np.ones(n, bool), {"Content": lines}
    if fmt.name == W3C:
        return split_w3c_lines(lines, w3c_fields)
    if fmt.name == LOGFMT:
        return split_logfmt_lines(lines)
    if fmt.name == TIDB:
        return split_unified_lines(lines)
    if fmt.name == JSON:
        ok, cols = split_json_lines(lines)
        if "Content" in cols:  # `"msg": "\u001b[31merror\u001b[0m"` decodes to ESC
            # (and Docker's json-file `log` may hold a klog line: QA Triton)
            cols["Content"] = _without_klog_header(strip_ansi(cols["Content"]))
        return ok, cols
    pieces = []
    todo = np.arange(n)
    if fmt.format.startswith("<") and not fmt.format.startswith("<Content>"):
        # a line that starts with white space is no header's: a record's continuation (QA SQL
        # Server: a banner's `\tOct 30 2023 16:12:44` split with an empty <Date>, its words
        # sessions of --by-field Component)
        indented = pc.match_substring_regex(lines, r"^\s").to_numpy(zero_copy_only=False)
        if indented.any():
            todo = np.flatnonzero(~indented)
    for step in (
        lambda a: _literal_split(a, fmt),
        lambda a: _regex_split(a, fmt.fast_regex),
        lambda a: _regex_split(a, fmt.regex),
    ):
        if len(todo) == 0:
            break
        sub = lines if len(todo) == n else lines.take(pa.array(todo))
        got, cols = step(sub)
        if len(got):
            pieces.append((todo[got], cols))
            todo = np.delete(todo, got)
    ok = np.zeros(n, bool)
    for rows, _ in pieces:
        ok[rows] = True
    if not pieces:
        return ok, {}
    if len(pieces) == 1:
        cols = pieces[0][1]
    else:
        rows = np.concatenate([r for r, _ in pieces])
        order = pa.array(np.argsort(rows, kind="stable"))
        names = list(pieces[0][1])
        cols = {k: pa.concat_arrays([c[k] for _, c in pieces]).take(order) for k in names}
    # a header field keeps no padding (logcat's tag column, `OkHttp  : ...`: QA Android, the
    # Component `OkHttp  ` matched no filter on `OkHttp`)
    cols = {
        name: col if name == "Content" else pc.utf8_rtrim_whitespace(col)
        for name, col in cols.items()
    }
    if fmt.name not in _KLOG_FORMATS and "Content" in cols:
        cols["Content"] = _without_klog_header(_without_cri_tag(cols["Content"]))
    if "Content" in cols:  # a dict's repr or a JSON object ending a message: its fields
        cols["Content"] = objects_as_fields(cols["Content"])
    if fmt.name == "auditd":  # the record's type is the event's first word (`USER_AUTH` and
        # `USER_ACCT` write alike), and a header field for sessions by type
        cols["Content"] = pc.binary_join_element_wise(cols["Type"], cols["Content"], " ")
    if fmt.name == "ceph":  # its priority as a word: -1 an error (derr), 0 always logged
        cols["Level"] = _ceph_level_words(cols["Level"])
    if fmt.name in ("level-first", "nodered", "geth", "ceph"):  # the level leads the event too
        # (`formats`)
        cols["Content"] = pc.binary_join_element_wise(cols["Level"], cols["Content"], " ")
    if fmt.name in ("airlift", "monero", "ignite", "spring", "homeassistant"):  # ... and the
        # logger after it
        cols["Content"] = pc.binary_join_element_wise(
            cols["Level"], cols["Component"], cols["Content"], " "
        )
    if EVENT_FIELD in cols and "Content" in cols:  # a format string's <Event> leads the event
        # (QA Drupal: `\|<Type>\|`, no part of the event, made a 404's path and a 403's one
        # `<*>` event, and a format string had no way to say the type is the event's)
        cols["Content"] = pc.binary_join_element_wise(cols[EVENT_FIELD], cols["Content"], " ")
    if fmt.name == "dovecot":
        cols = _dovecot(cols)
    if fmt.name == "rfc5424":
        cols = _message_id_first(cols)
    if fmt.name == "iso":
        cols = _time_only(cols)
    if fmt.name == "envoy":
        cols = _cluster_direction(cols)
    return ok, _nova_instance(cols) if fmt.name in ("nova", "openstack") else cols


# klog's header at the start of another format's message: a Kubernetes component's lines as
# journald and syslog store them (`Dec 01 06:04:43 node kubelet[3319]: I1201 06:04:43.075923
# 3319 kubelet.go:2400] "SyncLoop ADD" ...`; QA kubelet: `linux` kept `I1201` in every
# template, a new set of events each day, and its time before the quoted message made that
# message a value, "SyncLoop ADD" and DELETE one event). The header goes, as `klog` reads it,
# but for its severity: a warning's, an error's or a fatal line's word leads the message (QA
# k3s: an `E` line of a message met at `I` was its event, the letter stored nowhere).
_KLOG_FORMATS = frozenset({"klog", "crdb"})
_KLOG_REST = r"[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)? +[0-9]+ [^\s\]]+\] +"
_KLOG_HEADER = rf"^[IWEF]{_KLOG_REST}"
_KLOG_SEVERITY = (("W", "warning "), ("E", "error "), ("F", "fatal "), ("I", ""))


# A container runtime's stream and tag at a message's start, as `iso` reads a CRI log's line, are
# no part of it, and a klog header after them goes as well (`2026-12-05T08:00:00.772963000Z
# stderr F I1205 08:00:00.772963 1 model_lifecycle.cc:469] loading: ...`: QA Triton, `stderr F
# I1205 <*>:<*>:<*> ...` in every template, the date a word of each, the next day's every
# event new, and `loading:` and `unloading:` one event)
_CRI_TAG = r"^(?:stdout|stderr) [FP] "


def _without_cri_tag(content: pa.Array) -> pa.Array:
    """`content` without a container runtime's stream and tag at its start (`_CRI_TAG`)."""
    if not pc.any(pc.match_substring_regex(content, _CRI_TAG)).as_py():
        return content
    return pc.replace_substring_regex(content, _CRI_TAG, "")


def _without_klog_header(content: pa.Array) -> pa.Array:
    """`content` without a klog header at its start, its severity a word unless info (lines
    without one unchanged)."""
    if not pc.any(pc.match_substring_regex(content, _KLOG_HEADER)).as_py():
        return content
    for letter, word in _KLOG_SEVERITY:
        content = pc.replace_substring_regex(content, f"^{letter}{_KLOG_REST}", word)
    return content


# what is left of a line that holds a time and nothing else, once `iso` took its date: its
# time of day and offset (GlusterFS' crash dump, `2026-12-04 08:02:22 +0530`: QA, the offset
# was the message and the time not moved to UTC; `2026-12-04 08:02:25` alone was dated at
# midnight, its time of day the message)
_TIME_REST = (
    r"^(?:[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?)?\s*(?:[+-][0-9]{2}:?[0-9]{2}|Z)?$"
)


def _time_only(cols: dict[str, pa.Array]) -> dict[str, pa.Array]:
    """A line of a time alone: the whole of it the timestamp, and no message."""
    rest = pc.and_(
        pc.match_substring_regex(cols["Content"], _TIME_REST),
        pc.greater(pc.utf8_length(cols["Content"]), 0),
    )
    rest = pc.fill_null(rest, False)
    if not pc.any(rest).as_py():
        return cols
    joined = pc.binary_join_element_wise(cols["Timestamp"], cols["Content"], " ")
    return {
        **cols,
        "Timestamp": pc.if_else(rest, joined, cols["Timestamp"]),
        "Content": pc.if_else(rest, pa.scalar("", pa.string()), cols["Content"]),
    }


def _message_id_first(cols: dict[str, pa.Array]) -> dict[str, pa.Array]:
    """RFC 5424's MSGID, where it is written, is the event's first word: the event's name
    (Juniper's `RT_FLOW_SESSION_CREATE`, `KMD_VPN_DOWN_ALARM_USER`), its structured data the
    same fields for opposite events (QA Juniper SRX: in `brief` mode a tunnel going down and
    one coming up were one template, the MSGID a header field only)."""
    named = pc.fill_null(pc.not_equal(cols["MsgId"], "-"), False)
    if not pc.any(named).as_py():
        return cols
    joined = pc.binary_join_element_wise(cols["MsgId"], cols["Content"], " ")
    return {**cols, "Content": pc.if_else(named, joined, cols["Content"])}


def _dovecot(cols: dict[str, pa.Array]) -> dict[str, pa.Array]:
    """Dovecot's service is the event's first word, with its colon (`imap-login` and
    `pop3-login` write their logins alike; `imap: save:` keeps the action a label's), and a
    login's `session=<...>` is its session (the mail process it starts writes the same id as
    `<session>` after its context)."""
    named = pc.extract_regex(cols["Content"], r"session=<(?P<id>[^>\s]+)>")
    found = pc.struct_field(named, 0)
    session = pc.if_else(pc.equal(cols["Session"], ""), found, cols["Session"])
    return {
        **cols,
        "Session": pc.fill_null(session, cols["Session"]),
        "Content": pc.binary_join_element_wise(cols["Component"], cols["Content"], ": "),
    }


# the kind of an Istio access line's upstream cluster, `inbound|9080||`, `outbound|9080||details...`
# (`PassthroughCluster`, `BlackHoleCluster` whole): where a hop's client and server wrote it
_CLUSTER_KIND = r"^(?P<kind>[A-Za-z][A-Za-z0-9_]*)(?:\||$)"


def _cluster_direction(cols: dict[str, pa.Array]) -> dict[str, pa.Array]:
    """An Istio access line's event ends with its cluster's kind (`_CLUSTER_KIND`): a hop's
    client sidecar (`outbound`) and server sidecar (`inbound`) write the same request, and a
    server line missing behind a client's is how a failed hop shows (QA Istio: both one
    event). Envoy's plain access log and own lines have no cluster and are left as they are."""
    kind = pc.struct_field(pc.extract_regex(cols["Cluster"], _CLUSTER_KIND), 0)
    named = pc.fill_null(pc.is_valid(kind), False)
    if not pc.any(named).as_py():
        return cols
    joined = pc.binary_join_element_wise(cols["Content"], kind, " ")
    return {**cols, "Content": pc.if_else(named, joined, cols["Content"])}


def _nova_instance(cols: dict[str, pa.Array]) -> dict[str, pa.Array]:
    """oslo.log writes a traceback's lines without a request context, `[instance: UUID]`
    where the context goes: that is the message's, as on the other lines of the instance (QA
    Nova: read as the context, the traceback joined no instance's session)."""
    context = cols["ADDR"]
    moved = pc.fill_null(pc.starts_with(context, "instance: "), False)
    if not pc.any(moved).as_py():
        return cols
    message = pc.binary_join_element_wise("[", context, "] ", cols["Content"], "")
    return {
        **cols,
        "ADDR": pc.if_else(moved, pa.scalar("", pa.string()), context),
        "Content": pc.if_else(moved, message, cols["Content"]),
    }
