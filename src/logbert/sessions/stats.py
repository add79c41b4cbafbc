"""What sessionizing saw: `SessionizeStats`, the counts every sessionizer keeps and the lines
they make (a summary, warnings about late events, lines naming no id and sessions out of time
order, an error when most events were lost).

Nothing is dropped silently: events naming no id, events without a timestamp and events too
late for an already-closed window are counted here. Its own module, depending on nothing else
in sessionizing, because every sessionizer and every caller (the CLI, evaluation, serving) share
it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime, timedelta

from logbert.errors import LogbertError
from logbert.parsing.auto import show_line
from logbert.parsing.formats import bare_name
from logbert.sessions.io import ANOMALY, NORMAL
from logbert.sessions.label_times import ShiftedLabels
from logbert.sessions.options import (
    alternatives_group_fix,
    by_field_hint,
    field_names,
    id_value_example,
    shell_arg,
)

# by id: this few ids for this many events each is one id matched on every line (a regex of
# fixed text, `--by-id 'trace_id'`), not requests; ten jobs of 500 lines each are not it
# sessions by id: a session quiet for longer than this between two events that starts over
# after it (its first key again), at least `REUSED_MIN` of them and `REUSED_SHARE` of all,
# glues sessions of a reused id together (`reused_id_warning`)
REUSE_GAP_US = 3_600_000_000  # 1 h
REUSED_MIN = 3
REUSED_SHARE = 0.01
QUIET_SHARE = 0.1  # ... and at most this share for `quiet_gap_warning`
IDLE_TIMEOUT_ADVICE = (  # what parts an id given again after a quiet time
    "pass --idle-timeout (longer than the longest quiet time inside one session) so that an id "
    "seen again after it starts a new one"
)
# by id alone: a key that ends at least this share of sessions ends one where it comes right
# before a session's first key again (`restart_warning`)
END_KEY_SHARE = 0.1
# ... and starting over this many times per such session on average means ids given again at
# once (a freed pointer), not once after a restart: that warning, not `reused_id_warning`
RESTARTS_AT_ONCE = 3
SINGLE_EVENT_MIN = 50  # sessions before nearly all of one event each is a warning ...
SINGLE_EVENT_SHARE = 0.9  # ... at this share
# ... and a share this large beside sessions of this many events on average: the regex also
# matches other ids of the same shape on lines of their own (`lone_ids_warning`)
LONE_ID_SHARE = 0.2
LONE_ID_OTHERS_MEAN = 4
# events tied in time with another input's (`tie_warning`): this many, and this share of those
# taken in time order
TIED_MIN = 20
TIED_SHARE = 0.05
FEW_IDS = 2
SHARED_IDS_MAX_SESSIONS = 1_000  # `shared_ids_warning`: few ids, names not requests
# a session this many times the others' average, with a quarter of the events, is suspect
DOMINANT_RATIO = 5
FAR_LARGER_RATIO = 50  # ... and one this many times it, whatever its share
EVENTS_PER_FEW_IDS = 100
# what to do when a session's events come from files read one after another
TIME_ORDER_ADVICE = (
    "take the events in time order: `--order time` with `sessionize` or `train --logs` (a "
    "model's `score --logs` and `evaluate --logs` follow it), or merge the files by time "
    "into one log first"
)


# the punctuation a message writes after an id (`tap3f2a1b4c-9d: removing ...`, `for job 42,`):
# no id ends in it, a regex that takes it does; at least this share of the sessions, and this
# many, is a warning
PUNCTUATION_AFTER_ID = ":,;.)]'\""
PUNCTUATED_SHARE = 0.02
PUNCTUATED_MIN = 5
# ... and ids that run on into the `name=value` fields after them (`X;code=200;reason=OK`), or
# that hold the name before them (a regex with no group: `call-id=X`)
_RUN_ON = re.compile(r"[;,&|] ?[A-Za-z_][\w.-]*=")
_OPENING, _CLOSING = "{[(", "}])"


def _runs_on(session_id: str) -> re.Match[str] | None:
    """The first `_RUN_ON` separator of `session_id` outside its brackets: one inside them is
    the id's own, Alertmanager's group key `{}:{alertname="X", cluster="Y"}` (QA: told to stop
    the regex at the `,`, which would have merged every cluster's groups)."""
    for match in _RUN_ON.finditer(session_id):
        before = session_id[: match.start()]
        if sum(map(before.count, _OPENING)) == sum(map(before.count, _CLOSING)):
            return match
    return None


_NAMED_ID = re.compile(r"[A-Za-z_][A-Za-z_.-]*=\S")  # (no digit: not a time's `T00:00`)
# ... and an address with a note glued after it, FRR's `neighbor 10.0.0.2(Unknown)` (QA VyOS:
# `neighbor (\S+)` made two sessions of each neighbour, `10.0.0.2(Unknown)` and `10.0.0.2`)
_GLUED_NOTE = re.compile(r"[0-9A-Fa-f:.]*[0-9]\([^()\s]+\)")
# an address with its port, `203.0.113.5:51234` (`ported_ids_warning`)
_ADDRESS_PORT = re.compile(r"([0-9]{1,3}(?:\.[0-9]{1,3}){3}|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}")
PORTED_ADDRESSES_KEPT = 4096  # the addresses counted, at most (a stream's stats stay small)
# a DNS name written whole, its root's dot after it (`example.com.`: Knot's zones), no
# punctuation after an id
_FQDN = re.compile(r"(?:[A-Za-z0-9_-]+\.)+[A-Za-z][A-Za-z0-9-]*\.|[0-9.]+in-addr\.arpa\.")
# by id: matches inside a longer word or number, this share of the events matched, and this
# many, is a warning (`cut_ids_warning`)
CUT_SHARE = 0.01
CUT_MIN = 5
KEYS_NOTED = 10_000  # by field: the keys of events with no value noted, at most
# ... where the rest of the word is a part of the id after a separator (`500001.1`: a job's task)
# ... or a child's kind and its own id, Longhorn's replica of a volume, `pvc-<uuid>-r-f883410f`,
# its engine `-e-0` (QA Longhorn: warned on every run, and "the whole id" made a volume's
# engine and three replicas four more sessions)
_SUB_ID = re.compile(r"([._:/-])(?:([a-z]{1,12})[-_])?([0-9]+|[0-9a-f]{4,})")
# ... one level or more, of one separator: a child of a child, cert-manager's order named after
# its certificate and revision, `pr-297-preview-tls-4-3816284971` (QA: the one-level advice
# followed, the next run warned of the next level, on every command)
_SUB_IDS = re.compile(rf"(?:{_SUB_ID.pattern})+")


def _with_sub_id(pattern: str, rest: str) -> str:
    """`pattern` matching the sub-ids of `rest` (`_SUB_IDS`: separator, kind and number, each
    level alike) after its id, any number of them, outside the id (a capture group's, or the
    whole match, then put in one)."""
    body = pattern[:-2] if pattern.endswith("\\b") else pattern
    if re.compile(body).groups == 0:
        body = f"({body})"
    levels = list(_SUB_ID.finditer(rest))
    kind = "(?:[a-z]+[-_])?" if any(level[2] for level in levels) else ""
    digits = all(level[3].isdigit() for level in levels) and not kind  # (kinds: `-e-0`)
    number = "\\d+" if digits else "[0-9a-f]+"
    return f"{body}(?:{re.escape(levels[0][1])}{kind}{number})*"


# a share of empty time windows inside a log at most this small is a silence worth a word
SILENT_SHARE = 0.1
# values of the first of several --by-field fields counted (`partless_warning`), and the events
# one must have, none with all the fields' values, to be warned of
FIRST_PARTS_TRACKED, PARTLESS_MIN = 10_000, 20
# events of kinds only outside --by-id's sessions, warned of from this share and count, or
# where this many kinds are (QA kube-scheduler: leader election, start-up and informer lines,
# 13 of 24 templates but 0.4% of the events, unsaid at training; said when scored)
UNJUDGED_ID_SHARE, UNJUDGED_ID_MIN, UNJUDGED_KINDS_MIN = 0.01, 10, 3
STEADY_RUN = 5  # windows written per silence, at least, of a value that fell silent
# by id: events naming no id though they hold a session's id, this share of all is a warning
MISSED_IDS_SHARE = 0.05
# ... or this many holding an id at least `LONG_ID` characters long (a job's hex id, a UUID: no
# line holds one by chance), however small their share (QA Mastodon: `jid=(...)` missed the
# `"jid":"..."` of every failed job's exception, 0.7% of the events and the anomalies' own)
MISSED_LONG_IDS = 10
LONG_ID = 8


# a task's random id: a UUID, or 16 or more hex digits (`single_event_warning`)
_TASK_ID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}|[0-9a-fA-F]{16,}")


@dataclass
class SessionizeStats:
    """What sessionizing saw; the CLI prints `summary()` at the end."""

    n_events: int = 0
    n_sessions: int = 0
    n_anomaly: int = 0
    n_normal: int = 0
    n_unlabelled: int = 0
    unlabelled_example: str | None = None  # the first unlabelled session's id
    first_id: str | None = None  # the first session's id (`few_ids_warning` names it)
    largest_id: str | None = None  # the longest session's id (`dominant_id_warning`) ...
    largest_events: int = 0  # ... and its events
    n_unmatched: int = 0  # by id: events whose content names no id
    unmatched_example: str | None = None  # by id: a content naming no id (`IdSessionizer._ids`)
    unmatched_id: str | None = None  # a session id that content holds, when it holds one
    n_unmatched_naming: int = 0  # by id: events naming no id that hold a recent session's id
    n_unmatched_naming_long: int = 0  # ... an id of at least `LONG_ID` characters
    n_multi_id: int = 0  # by id: events naming several ids (each joins every one's session)
    multi_id_example: str | None = None  # the first such content
    n_single: int = 0  # sessions of one event (`single_event_warning`)
    single_example: str | None = None  # ... the first one's id (`lone_ids_warning`)
    n_session_events: int = 0  # events of all sessions (an event naming two ids: twice)
    # by id: events whose id the regex matched inside a longer word or number (`131@o2ib` of
    # `10.1.5.131@o2ib`), and the first such match and its word (`cut_ids_warning`)
    n_cut_ids: int = 0
    cut_example: str | None = None
    cut_word: str | None = None
    # by id: sessions whose id ends in punctuation, `tap3f2a1b4c-9d:` (`punctuated_ids_warning`)
    n_punctuated: int = 0
    punctuated_example: str | None = None
    n_shared_ids: int = 0  # by id: ids met on more than one host (`shared_ids_clause`) ...
    shared_id_example: str | None = None  # ... `'178' on ws01 and db-eu-2`
    n_run_on: int = 0  # ids holding the fields after the id (`_RUN_ON`)
    run_on_example: str | None = None
    n_named: int = 0  # ids holding a name before the id (`_NAMED_ID`)
    named_example: str | None = None
    n_ported: int = 0  # ids of an address and its port (`_ADDRESS_PORT`) ...
    ported_example: str | None = None
    # ... their addresses (a dict's keys: the stats are plain JSON)
    ported_addresses: dict[str, None] = dataclass_field(default_factory=dict)
    n_no_timestamp: int = 0  # by window: events without a timestamp (none before them either)
    n_dated_before: int = 0  # by window: undated events given the time of the dated one before
    n_counted_times: int = 0  # by window: events dated before 1980 (seconds since a start)
    n_late: int = 0  # by window: events missing from windows closed before they arrived
    # by plain time window: windows inside the log that hold no event (a silence), the first
    n_empty_windows: int = 0
    empty_window_example: str | None = None
    n_labels_silent_anomalous: int = 0  # anomalous labels-file ids naming such a window
    # by time window per value: value -> [its empty windows inside its span, its windows
    # written, the first empty one's id, its silences], for the values that fell silent once
    value_silences: dict[str, list] = dataclass_field(default_factory=dict)
    # --by-field names that mean another thing than a field of the same name: name -> the
    # header field spelt otherwise, or `=:<a message's value>` for `source` (the input file)
    # beside the messages' own `source=` (`streaming._note_shadowed_fields`); None: not looked
    shadowed_fields: dict[str, str] | None = dataclass_field(default=None, compare=False)
    # silences are judged (a model's silence profile, `sessions.silences`), which says its own
    # words of them: the two silence warnings are left out
    silences_judged: bool = False
    n_labels_unused: int = 0  # labels-file ids that named no session
    n_labels_silent: int = 0  # ... of them, ids of windows with no event (`sessions.silences`)
    n_labels_unused_anomalous: int = 0  # ... of them labelled anomalous
    # the warning about those ids when they are doubtful (most of the file's, or its anomaly
    # ids spelt otherwise: `labels.unused_ids_warning`), made by the sessionizer, which has them
    labels_warning: str | None = None
    # ... and the clock offset that fits window labels to the windows (`label_times`), whose
    # warning the reader words again when every line carried its own offset
    labels_shift: ShiftedLabels | None = None
    n_labels_repeated: int = 0  # sessions labelled by an id that labelled an earlier session
    # ... of them, those labelled anomalous, and all sessions a labels file labelled anomalous
    n_anomalies_repeated: int = 0
    n_labelled_anomalous: int = 0
    # sessions a labels file calls normal whose lines the log's own label field marks
    # anomalous (`labels_override_warning`), and the first
    n_labels_overriding: int = 0
    labels_overriding_example: str | None = None
    labels_repeated_example: str | None = None  # the first such id
    max_open: int = 0  # most sessions held in memory at once
    n_reopened: int = 0  # by id with an idle timeout: ids seen again after their session closed
    reopened_example: str | None = None  # the first such id
    # by several fields: per value of the first (a host), its events, and those with a value
    # of all the fields (`partless_warning`)
    first_part_events: dict[str, int] = dataclass_field(default_factory=dict)
    first_part_valued: dict[str, int] = dataclass_field(default_factory=dict)
    # ... events older than the newest time read before them by more than the idle timeout
    n_before_idle_clock: int = 0
    before_idle_clock_example: str | None = None  # the first such event's session id
    n_undated_idle: int = 0  # ... events of a session without a timestamp: no clock for them
    n_undated_ordered: int = 0  # --order time: events of a session without a timestamp
    # in time order, events of several inputs (`sessionize.sorted_by_time`), and those at the
    # time of the event before them from another input: ordered by input name (`tie_warning`)
    n_events_timed: int = 0
    n_input_ties: int = 0
    n_out_of_order: int = 0  # by id or field: sessions with an event earlier than one before it
    out_of_order_example: str | None = None  # the first such session's id
    # sessions quiet for over `REUSE_GAP_US` between two events, their first key again after
    n_gapped: int = 0
    idle_timeout: str | None = None  # the sessionizer's --idle-timeout, for the advice
    gapped_example: str | None = None  # the first such session's id
    # ... whatever their keys (`quiet_gap_warning`), and the first
    n_quiet: int = 0
    quiet_example: str | None = None
    field: str | None = None  # --by-field: n_unmatched counts events with no value in it
    # ... and the keys of those events (as text, with their counts) and the keys the sessions
    # hold, for `unjudged_kinds_warning` (plain JSON, as a snapshot keeps the stats)
    no_value_keys: dict[str, int] = dataclass_field(default_factory=dict)
    session_keys: dict[str, int] = dataclass_field(default_factory=dict)
    id_keys: bool = False  # ... noted by --by-id alone too (events that matched no id)
    # by id alone (`count_restart`, `restart_warning`): sessions by their last key, and by
    # the keys that came right before their first key came again (plain JSON, as a live
    # stream's snapshot keeps the stats: keys as text, a set of them space-separated)
    check_restarts: bool = False
    last_keys: dict[str, int] = dataclass_field(default_factory=dict)
    restarted_after: dict[str, int] = dataclass_field(default_factory=dict)
    restart_examples: dict[str, str] = dataclass_field(default_factory=dict)  # -> a session id
    n_restarts: int = 0  # times a first key came again after another key, in all sessions
    # the log format's header fields (not the clock's): where an id --by-id misses may sit
    header_fields: list[str] = dataclass_field(default_factory=list)
    # --by-field alone, without --idle-timeout, on a field naming process or thread ids (Pid):
    # the name of that field, for `reused_ids_warning`
    process_field: str | None = None
    # --by-field on a process id alone, in a log of several hosts: values seen on more than
    # one host, and one of them (`multi_host_warning`)
    n_multi_host_ids: int = 0
    multi_host_example: str | None = None
    host_field: str | None = None
    by_lines: bool = False  # count windows (--lines): no time involved
    # µs since the epoch of the newest event seen, any event (also those joining no session:
    # a health check after the last request still says the log went on): the log's end
    last_event_us: int | None = None
    categories: dict[str, int] = dataclass_field(
        default_factory=dict
    )  # sessions per anomaly category

    @property
    def last_event(self) -> datetime | None:
        """The newest event time seen (`last_event_us`), None when no event had one."""
        us = self.last_event_us
        return None if us is None else datetime(1970, 1, 1) + timedelta(microseconds=us)

    def count_restart(self, keys: Sequence[int], session_id: str) -> None:
        """By id alone: count the session's last key and the keys (not its first key itself)
        that come right before its first key comes again, for `restart_warning`."""
        if not self.check_restarts or not keys:
            return
        first, last = keys[0], str(keys[-1])
        self.last_keys[last] = self.last_keys.get(last, 0) + 1
        before, at = set(), 0
        for _ in range(keys.count(first) - 1):  # a C-level scan: most sessions stop here
            at = keys.index(first, at + 1)
            if keys[at - 1] != first:
                before.add(keys[at - 1])
        if before:
            self.n_restarts += keys.count(first) - 1
            name = " ".join(map(str, sorted(before)))
            self.restarted_after[name] = self.restarted_after.get(name, 0) + 1
            self.restart_examples.setdefault(name, session_id)

    def count_no_value(self, key: int) -> None:
        """Count an event in no session (no id, no value); by field, its key is noted
        (`KEYS_NOTED` keys at most)."""
        self.n_unmatched += 1
        if self.field is None and not self.id_keys:
            return
        text = str(key)
        if text in self.no_value_keys or len(self.no_value_keys) < KEYS_NOTED:
            self.no_value_keys[text] = self.no_value_keys.get(text, 0) + 1

    def count_cut_id(self, match: str, word: str) -> None:
        """Count an event whose --by-id match `match` stands inside the longer `word`."""
        self.n_cut_ids += 1
        if self.cut_example is None:
            self.cut_example, self.cut_word = match, word

    def count_gap(self, gap: int, keys: Sequence[int], gap_at: int, session_id: str) -> None:
        """Count a session quiet for over `REUSE_GAP_US` (`gap`) between two events whose
        first key came again after that quiet time (`keys` from `gap_at` on), for
        `reused_id_warning`; the keys are looked through only past such a gap."""
        if gap <= REUSE_GAP_US:
            return
        self.n_quiet += 1
        self.quiet_example = self.quiet_example or session_id
        if keys[0] in keys[gap_at:]:
            self.n_gapped += 1
            self.gapped_example = self.gapped_example or session_id

    def count(
        self,
        label: str | None,
        categories: list[str] | None = None,
        session_id: str | None = None,
        n_events: int = 0,
        keys: Sequence[int] = (),
    ) -> None:
        """Count a session written with `label` (and anomaly `categories`); the first
        unlabelled one's `session_id` is kept for `labels.mostly_unlabelled_warning`, the
        longest (`n_events`) for `dominant_id_warning`; by field, its `keys` are noted."""
        self.n_sessions += 1
        if self.field is not None or self.id_keys:
            # (python ints, and only keys not seen before made text: numpy's scalars and a
            # text per key cost 5 µs a session, seconds on HDFS's half million)
            seen = self.__dict__.setdefault("_session_key_ints", set())  # no field: not saved
            fresh = set(keys.tolist() if hasattr(keys, "tolist") else keys) - seen
            if fresh:
                seen.update(fresh)
                self.session_keys.update(dict.fromkeys(map(str, fresh), 1))
        self.n_single += n_events == 1
        self.n_session_events += n_events
        if n_events == 1 and self.single_example is None:
            self.single_example = session_id
        if session_id is not None and (self.largest_id is None or n_events > self.largest_events):
            self.largest_id, self.largest_events = session_id, n_events
        if self.first_id is None:
            self.first_id = session_id
        if session_id:
            self._count_id_shape(session_id)
        for name in categories or ():
            self.categories[name] = self.categories.get(name, 0) + 1
        if label == ANOMALY:
            self.n_anomaly += 1
        elif label == NORMAL:
            self.n_normal += 1
        else:
            self.n_unlabelled += 1
            if self.unlabelled_example is None:
                self.unlabelled_example = session_id

    def summary(self, by_window: bool) -> str:
        """One line, e.g. `11,501 sessions (350 anomaly, ...) from 222,579 events; ...`."""
        text = (
            f"{_count(self.n_sessions, 'session')} ({self.n_anomaly:,} anomaly, "
            f"{self.n_normal:,} normal, {self.n_unlabelled:,} unlabelled) from "
            f"{_count(self.n_events, 'event')}; "
        )
        held = f"at most {_count(self.max_open, 'session')} held in memory at once"
        no_value = f"{self.n_unmatched:,} events had no {self.field} value"
        if by_window:
            if self.field is not None:
                text += no_value + "; "
            elif self.n_unmatched:  # windows per id: lines naming none are in no window
                text += f"{self.n_unmatched:,} events matched no id; "
            text += f"{self.n_no_timestamp + self.n_dated_before:,} events had no timestamp"
            if self.n_dated_before:
                text += f" ({self.n_dated_before:,} took the time of the dated line before them)"
        elif self.by_lines:
            text += no_value + "; " if self.field is not None else ""
            text += held
        else:
            matched = (
                no_value if self.field is not None else f"{self.n_unmatched:,} events matched no id"
            )
            text += f"{matched}; {held}"
            if self.n_out_of_order:
                have = "has" if self.n_out_of_order == 1 else "have"
                text += (
                    f"; {_count(self.n_out_of_order, 'session')} {have} events out of time order"
                )
            if self.n_reopened and (self.field or "").lower() == "source":
                # a file's runs apart is what --by-field source with --idle-timeout is for
                # (QA LibreNMS: "raise --idle-timeout" on every run of the README's recipe)
                text += (
                    f"; a new session began {_count(self.n_reopened, 'time')} where a file "
                    "went on after a quiet of --idle-timeout, a run each (a run's id is its "
                    "file's name and its start, FILE@START; a labels file may name a run so, "
                    "or the file for all its runs)"
                )
            elif self.n_reopened:
                again = (
                    "as new runs, VALUE@START" if self.field is not None
                    else "as new sessions with the same id"
                )  # fmt: skip
                text += (
                    f"; {_count(self.n_reopened, 'id')} came back after --idle-timeout had "
                    f"closed their session and were written again {again} (raise "
                    "--idle-timeout if each id is one session; ids a system reuses, such as "
                    "process ids, are rightly new sessions)"
                )
        if self.n_labels_unused:
            text += f"; {self.n_labels_unused:,} ids in the labels file named no session"
            if self.n_labels_unused_anomalous:  # anomalies left out of every figure (QA: Slurm
                # array tasks cut to their parent's id)
                text += f" ({self.n_labels_unused_anomalous:,} of them labelled anomalous)"
            if self.n_labels_silent:
                text += (
                    f", {self.n_labels_silent:,} of them windows in which their value wrote "
                    "nothing"
                )
        if self.categories:
            ranked = sorted(self.categories.items(), key=lambda item: (-item[1], item[0]))
            text += "; anomaly categories (sessions): " + ", ".join(
                f"{name} {n:,}" for name, n in ranked
            )
        return text

    @property
    def n_windowed(self) -> int:
        """Events a time window could place: those with a timestamp (and, with --by-field, a
        value); the share of late events is taken of these."""
        return self.n_events - self.n_no_timestamp - self.n_unmatched

    def unmatched_warning(self, pattern: str | None) -> str | None:
        """`warning: ...` when more than half of the events matched no id of the --by-id
        regex `pattern` (None when fewer did, or the sessions are not cut by id): those events
        are in no session, and the sessions left hold only the lines that name their id in
        the regex's words (a regex with words around the id cuts each request down to one or
        two events), which a model would learn as complete. Its own line, like
        `late_warning`, because the summary's count alone goes unnoticed."""
        if pattern is None or self.field is not None or self.n_unmatched * 2 <= self.n_events:
            return None
        example = ""
        if self.unmatched_example is not None:
            example = f" (e.g. {show_line(self.unmatched_example)}"
            if self.unmatched_id is not None:
                example += f", which holds the id {self.unmatched_id!r} of a session"
            example += ")"
        return (
            f"warning: {self.n_unmatched:,} of {self.n_events:,} events "
            f"({self.n_unmatched / self.n_events:.0%}) matched no id of --by-id "
            f"{shell_arg(pattern)}"
            f"{example}, so they are in no session and the sessions hold only the events "
            "that name their id this way; if the other lines name the id too, use a regex "
            "that matches the id wherever it appears (the id's own pattern, without the words "
            "around it); lines that name no id at all (a process's or the cluster's own) are "
            f"judged in time windows of their own (--window without --by-id){self._header_clause()}"
        )

    def missed_ids_warning(self, pattern: str | None) -> str | None:
        r"""`warning: ...` when at least `MISSED_IDS_SHARE` of the events (or `MISSED_LONG_IDS`
        events, where the id is a long one) matched no id of the --by-id regex `pattern` though
        they hold the id of a session just matched (None otherwise, or where
        `unmatched_warning` speaks): the regex misses a way the lines
        write the id, and those events are in no session (QA Quarkus: `order (\d+)` missed
        every `Order 104701 shipped` line, 17% of the events and a step of every order, with
        a count on standard output only; out-of-order shipments went from 6 of 8 found to 2).
        """
        if pattern is None or self.field is not None or self.unmatched_warning(pattern):
            return None
        missed = self.n_unmatched_naming
        many = missed >= MISSED_IDS_SHARE * self.n_events
        if not missed or not (many or self.n_unmatched_naming_long >= MISSED_LONG_IDS):
            return None
        example = self.unmatched_example or ""
        case = ""  # (the sessionizer compiled the pattern: it is a valid regex)
        if re.search(pattern, example) is None and re.search(pattern, example, re.I):
            case = f" (it matches them without regard to case: '(?i){pattern}')"
        return (
            f"warning: {missed:,} of {self.n_events:,} events "
            f"({missed / self.n_events:.0%}) matched no id of --by-id "
            f"'{pattern}' though they hold the id of a session (e.g. {show_line(example)}, "
            f"which holds {self.unmatched_id!r}), so they are in no session; match the id "
            f"wherever the lines write it{case}"
        )

    def _header_clause(self) -> str:
        """Where --by-id looks, and the header fields an id may sit in instead (QA Lambda: a
        format string that read the request id into a field of its own left every logger line
        in no session, and the advice spoke of the regex only)."""
        clause = by_field_hint(self.header_fields)
        return f"; --by-id reads each line's content, after the header: {clause}" if clause else ""

    def no_value_warning(self) -> str | None:
        """`warning: ...` when more than half of the events had no value in the --by-field
        field (None when fewer did): those events are in no session, as with --by-id's
        `unmatched_warning` (QA Lambda: 55% of the events, START/END and timeouts among them,
        left out with a count on standard output only)."""
        if self.field is None or self.n_unmatched * 2 <= self.n_events:
            return None
        return (
            f"warning: {self.n_unmatched:,} of {self.n_events:,} events "
            f"({self.n_unmatched / self.n_events:.0%}) had no {self.field} value, so they are "
            "in no session and the sessions hold only the events that carry one; if the other "
            "lines name the session in their message, use --by-id with a regex for it, or "
            "windows (--window) for events that belong to no session"
        )

    def unjudged_kinds_warning(self, pattern: str | None = None) -> str | None:
        """`warning: ...` when some events had no value in the --by-field field (fewer than
        `no_value_warning`'s half) and some kinds of event occur only among them: no session
        holds those events, so no detector ever judges them (QA OSSEC: `--by-field Agent`
        left every manager's own alert, each agent's disconnection among them, in no session,
        said as a count on standard output only). The same for events that matched no id of
        the --by-id regex `pattern` (QA Pulsar: a producer's and a consumer's close name their
        connection, not the topic; 4 of 21 kinds of event in no session, 10 of 40 anomalies
        unseen, with "2,890 events matched no id" alone)."""
        if not self.no_value_keys:
            return None
        if self.field is None and not (
            self.id_keys and pattern is not None and self.unmatched_warning(pattern) is None
        ):
            return None
        if self.field is not None and self.no_value_warning() is not None:
            return None
        alone = [key for key in self.no_value_keys if key not in self.session_keys]
        if not alone:
            return None
        n_alone = sum(self.no_value_keys[key] for key in alone)
        few = n_alone < max(UNJUDGED_ID_MIN, UNJUDGED_ID_SHARE * self.n_events)
        if self.field is None and few and len(alone) < UNJUDGED_KINDS_MIN:
            return None  # a startup line or two with no id: the way of such logs
        alone.sort(key=lambda key: -self.no_value_keys[key])  # the most frequent first
        shown = ", ".join(alone[:5]) + (", ..." if len(alone) > 5 else "")
        ids = "template id" + ("s" if len(alone) > 1 else "")
        shown += " in templates.csv"
        kinds = (
            f"{_count(len(alone), 'kind')} of event {'occurs' if len(alone) == 1 else 'occur'} "
            f"only among them ({ids} {shown}): no detector judges them"
        )
        if self.field is None:
            return (
                f"warning: {self.n_unmatched:,} events matched no id of --by-id "
                f"{shell_arg(pattern)}, so "
                f"they are in no session, and {kinds}; if those lines name their session "
                "another way (a connection, a parent's id), add it to the regex as another "
                "alternative, or judge them with a second model by time windows without "
                "--by-id (--window), which hold every event"
            )
        return (
            f"warning: {self.n_unmatched:,} events had no {self.field} value, so they are in "
            f"no session, and {kinds}; if those lines name their session elsewhere, session "
            "them by that (--by-id with a regex for it), or use time windows without "
            "--by-field (--window), which hold every event"
        )

    def out_of_order_warning(self) -> str | None:
        """`warning: ...` when sessions by id or field hold an event earlier than an event
        before it (None when none do): their keys keep the input line order (what HDFS
        benchmarks mean), so a sequence detector learns or scores a sequence that never
        happened. Typical of rotated files given newest first, or merged logs."""
        if not self.n_out_of_order:
            return None
        # sessions still open (live) are counted too, before they are written (QA: "329 of 0")
        of = f" of {self.n_sessions:,}" if self.n_sessions >= self.n_out_of_order else ""
        have = "sessions have" if of or self.n_out_of_order > 1 else "session has"
        return (
            f"warning: {self.n_out_of_order:,}{of} {have} events out of time order (e.g. "
            f"session {self.out_of_order_example!r}): the events keep their input line order, "
            "and even a few such sessions matter: a sequence detector learns their order, and "
            "a threshold calibrated on one can rise above real anomalies (QA: 6 of 3,000, F1 "
            "1.00 -> 0.74). Give rotated files oldest first (auth.log.1 before auth.log, or "
            "their folder); files of several services or hosts are read one after another, so "
            "where a session spans them, "
            f"{TIME_ORDER_ADVICE}. Unless the id is reused: one that several hosts or runs "
            "give to different sessions (process ids, Erlang pids) joins them into one, in "
            "any order; put the host in the id (--by-field Host,Pid, or the file: --by-field "
            "source,CallId; with --by-id, named "
            "groups make one id of their values: 'hostname=(?P<host>\\S+) .*reqId=(?P<req>"
            "\\S+)') or pass --idle-timeout (to sessionize, or to train)"
        )

    def undated_idle_warning(self) -> str | None:
        """`warning: ...` when --idle-timeout was given but events of sessions have no
        timestamp: the timeout cannot close their sessions, so an id that comes back (a
        reused process id) joins its earlier session (None otherwise)."""
        if not self.n_undated_idle:
            return None
        return (
            f"warning: --idle-timeout: {self.n_undated_idle:,} of {self.n_events:,} events "
            "have no timestamp, so the timeout cannot close their sessions (an id that comes "
            "back joins its earlier session); use a log format that dates the lines, or leave "
            "out --idle-timeout"
        )

    def counted_times_warning(self) -> str | None:
        """`warning: ...` when time windows were cut from events dated before 1980: their
        times count seconds since a boot or a start (dmesg, Linkerd's proxy), so windows of
        several files' or restarts' events put together events of different times. `parse`
        says so; an events file sessionized later said nothing (QA Linkerd: the first 5-minute
        window held 1,053 events of 90 pods). Not in `warnings`: reading raw logs, the
        parser's own warning says it."""
        if not self.n_counted_times:
            return None
        return (
            f"warning: --window: {self.n_counted_times:,} of {self.n_events:,} events are dated "
            "before 1980: their times count seconds since a boot or a start, they are not "
            "dates, and each file (each restart) starts them again, so a window holds events "
            "of different files' times; sessions by id or by file (--by-field source) work"
        )

    def undated_window_warning(self) -> str | None:
        """`warning: ...` when time windows left out events without a timestamp (None when
        none were, or when none had one: that is an error of its own). The summary's count
        alone went unnoticed (QA Tomcat: `iso` dated the log4j lines of a catalina.out, not
        its `21-Nov-2026 ...` lines, and every startup and SEVERE line was in no window)."""
        if not self.n_no_timestamp or self.n_no_timestamp >= self.n_events:
            return None
        return (
            f"warning: --window: {self.n_no_timestamp:,} of {self.n_events:,} events have no "
            "timestamp and no dated line before them, so they are in no window and no detector "
            "sees them; `parse` names the first undated line: use a log format (or "
            "--timestamp-format) that dates them"
        )

    def undated_order_warning(self) -> str | None:
        """`warning: ...` when --order time was asked for but most events of sessions have no
        timestamp: those keep their place behind the line before them, so files read one
        after another stay one after another (QA: `--format raw` with --order time, no word;
        F1 0.22 with the files swapped). None otherwise."""
        if self.n_undated_ordered * 2 <= self.n_events:
            return None
        return (
            f"warning: --order time: {self.n_undated_ordered:,} of {self.n_events:,} events "
            "have no timestamp, so they keep their input line order (behind the line before "
            "them) and files read one after another are not merged by time; use a log format "
            "that dates the lines"
        )

    def idle_clock_warning(self) -> str | None:
        """`warning: ...` when events came more than --idle-timeout earlier than the newest
        time read before them: inputs that overlap in time (several hosts' files) read one
        after another, so the idle clock, which follows the newest time read, had closed their
        sessions already and their ids were cut into several sessions (None otherwise)."""
        if not self.n_before_idle_clock:
            return None
        return (
            f"warning: --idle-timeout: {self.n_before_idle_clock:,} events came more than the "
            "timeout earlier than the newest time read before them, after their session had "
            f"been written (e.g. session {self.before_idle_clock_example!r}): inputs that "
            "overlap in time (several hosts' "
            "files?) were read one after another, and the idle clock, which follows the newest "
            "time read, had closed their sessions, so those ids were cut into several sessions; "
            f"{TIME_ORDER_ADVICE}, or leave out --idle-timeout"
        )

    def repeated_labels_warning(self) -> str | None:
        """`warning: ...` when a labels file's id labelled several sessions: the id came back
        after --idle-timeout closed its session (a process id the system reused), and every
        session of it got the one label, so the figures count a labelled anomaly once per
        session of that id (None otherwise)."""
        if not self.n_labels_repeated:
            return None
        return (
            f"warning: labels: {self.n_labels_repeated:,} sessions took the label the labels "
            f"file gives an id that had already labelled an earlier session of that id (e.g. "
            f"{self.labels_repeated_example!r}): the id came back after --idle-timeout closed "
            "its session (a reused process id?), and a labels file names ids, not sessions, so "
            "every session of such an id has its label and the figures count each one; key "
            "sessions by an id that is never reused, or label them one by one: `logbert parse "
            "--state S` and `logbert sessionize` the logs, set each session's label field in "
            "the sessions file, and evaluate it with a model trained on sessions parsed with the "
            "same --state S (a model trained with --logs joins labels by id only)"
        )

    def repeated_anomalies_dominate(self) -> bool:
        """Whether most sessions a labels file labelled anomalous took the label from an id
        that had labelled an earlier session: recall and precision would then count a reused
        id's every session (QA Pgpool: a child's pid serves many connections, 1,151 of 1,198
        "anomalous" sessions normal ones, F1 0.08 printed for a detector at 0.98)."""
        return 2 * self.n_anomalies_repeated > self.n_labelled_anomalous > 0

    def count_label_override(self, session_id: str, label: str | None, anomalous: bool) -> None:
        """Count a session labelled normal by a labels file though one of its lines is labelled
        anomalous by the log itself (`anomalous`)."""
        if anomalous and label == NORMAL:
            self.n_labels_overriding += 1
            self.labels_overriding_example = self.labels_overriding_example or session_id

    def labels_override_warning(self) -> str | None:
        """`warning: ...` when the labels file calls normal sessions the log's own label field
        marks anomalous (QA Thunderbird: a labels file of all-normal ids hid 24 alert windows,
        and the figures came out n/a with no word of why)."""
        if not self.n_labels_overriding:
            return None
        return (
            f"warning: labels: {self.n_labels_overriding:,} sessions the labels file calls normal "
            f"hold lines the log's own label field marks anomalous (e.g. session "
            f"{self.labels_overriding_example!r}): the labels file decides; if it is stale or "
            "covers only some of the anomalies, leave out --labels to label sessions by their "
            "lines"
        )

    def silence_warning(self) -> str | None:
        """`warning: ...` when a few time windows inside the log hold no event while the rest
        do (at most `SILENT_SHARE` of them), or labels call such windows anomalous: a service
        that stopped writing writes no session, so no detector judges its silence, and a
        labelled outage left every figure unsaid (QA BIND: two silent windows of a hung
        named labelled anomalous, and `evaluate` reported recall 1.00). None otherwise: a
        sparse log's empty windows are its way."""
        if self.silences_judged:
            return None
        empty, written = self.n_empty_windows, self.n_sessions
        sparse = empty > SILENT_SHARE * (empty + written)
        if not empty or (sparse and not self.n_labels_silent_anomalous):
            return None
        text = (
            f"warning: {empty:,} time window{'s' if empty > 1 else ''} inside the log "
            f"{'hold' if empty > 1 else 'holds'} no "
            f"event (e.g. {self.empty_window_example}), while {written:,} do: a silence (a "
            "service stopped, hung or cut off from its log) writes no session, so no detector "
            "judges it; look at those times yourself"
        )
        if self.n_labels_silent_anomalous:
            text += (
                f"; {self.n_labels_silent_anomalous:,} of them the labels call anomalous: "
                "anomalies no detector can see, left out of every figure (count them as missed)"
            )
        return text

    def value_silence_warning(self) -> str | None:
        """`warning: ...` when values of time windows per value (a host's file, a node) hold
        no event for a few windows inside their span while their other windows do (at most
        `STEADY_RUN` windows written a silence at least): a host that stopped writing while
        the others went on writes no window, so no detector judges it (QA Consul: a crashed
        client's 8 silent windows missing from the scores, unsaid). A value that writes now
        and then (a user, a cron job) is sparse, not silent: a silence after each few windows."""
        silent = [
            (value, entry) for value, entry in self.value_silences.items()
            if entry[3] * STEADY_RUN <= entry[1]
        ]  # fmt: skip
        if not silent or self.silences_judged:
            return None
        value, (_, _, example, _) = max(silent, key=lambda item: item[1][0])
        empty = sum(entry[0] for _, entry in silent)
        whose = f"{len(silent):,} values" if len(silent) > 1 else f"{value!r}"
        return (
            f"warning: {whose} fell silent inside the log: {empty:,} of "
            f"{'their' if len(silent) > 1 else 'its'} time windows "
            f"hold{'' if empty > 1 else 's'} no event (e.g. {example}), while "
            f"{'their' if len(silent) > 1 else 'its'} other "
            "windows do: a host or process that stopped writing (crashed, hung or cut off from "
            "its log) writes no session, so no detector judges its silence; look at those "
            "times yourself (where a value writes only when it is busy or in trouble, a quiet "
            "night or a healthy host, its silence is normal)"
        )

    def shadowed_fields_warning(self) -> str | None:
        """`warning: ...` for each `--by-field` name that means another thing than a field
        of the same name (`shadowed_fields`): what it reads, and how to name the other."""
        texts = []
        for name, other in (self.shadowed_fields or {}).items():
            if other.startswith("=:"):
                texts.append(
                    f"--by-field {name} keys sessions by the input file, while the messages "
                    f"hold a `{name}=` field of their own (e.g. {other[2:]!r}): to key them by "
                    f"that, pass --by-field '{name}='"
                )
            else:
                texts.append(
                    f"--by-field {name} reads the messages' `{name}=` words, not the header "
                    f"field {other!r}: pass --by-field {other} for the header's value (events "
                    f"whose messages hold no `{name}=` are in no session)"
                )
        return f"warning: {'; '.join(texts)}" if texts else None

    def warnings(self, pattern: str | None) -> list[str]:
        """Every `warning: ...` line sessionizing has for the user (late events, lines naming
        no id of the --by-id regex `pattern`, sessions out of time order, labels-file ids
        naming no session), for each caller to print the same ones."""
        found = (
            self.late_warning(),
            self.shadowed_fields_warning(),
            self.silence_warning(),
            self.value_silence_warning(),
            self.unmatched_warning(pattern),
            self.missed_ids_warning(pattern),
            self.no_value_warning(),
            self.partless_warning(),
            self.unjudged_kinds_warning(pattern),
            self.few_ids_warning(pattern),
            self.single_event_warning(pattern),
            self.lone_ids_warning(pattern),
            self.dominant_id_warning(pattern),
            self.punctuated_ids_warning(pattern),
            self.run_on_ids_warning(pattern),
            self.ported_ids_warning(pattern),
            self.named_ids_warning(pattern),
            self.cut_ids_warning(pattern),
            self.multi_id_warning(pattern),
            self.out_of_order_warning(),
            self.repeated_labels_warning(),
            self.labels_override_warning(),
            self.labels_warning,
            self.idle_clock_warning(),
            self.undated_idle_warning(),
            self.undated_window_warning(),
            self.undated_order_warning(),
            self.tie_warning(),
            self.reused_ids_warning(),
            self.multi_host_warning(),
            self.reused_id_warning(pattern),
            self.quiet_gap_warning(pattern),
            self.restart_warning(pattern),
            self.category_spelling_warning(),
        )
        said = [warning for warning in found if warning is not None]
        if (shared := self.shared_ids_warning(pattern)) and not any(
            self.shared_ids_clause(pattern) in warning for warning in said
        ):  # (a reuse warning says it too)
            said.append(shared)
        return said

    def shared_ids_warning(self, pattern: str | None) -> str | None:
        """`warning: ...` when most of few --by-id ids came from several hosts: names each host
        has of its own (QA smartd: `/dev/sda` of five hosts one session of four days, 7
        sessions in all, no word). A request id a service's hosts pass on is shared too, but
        by thousands of short sessions, which this leaves to the reuse warnings' clause."""
        if (
            pattern is None
            or self.field is not None
            or self.n_shared_ids * 2 < self.n_sessions
            or self.n_sessions > SHARED_IDS_MAX_SESSIONS
        ):
            return None
        return (
            f"warning: {self.n_shared_ids:,} of the {self.n_sessions:,} ids came from several "
            f"hosts (e.g. {self.shared_id_example}), so each session joins those hosts' "
            "events: if each host numbers or names its own (a device, a counter), key them by "
            f"host too, --by-field {self.host_field} --by-id {shell_arg(pattern)}"
        )

    def category_spelling_warning(self) -> str | None:
        """`warning: ...` when anomaly categories differ only in case or in `_`, `-` and
        spaces (`Timeout`, `TIMEOUT`, `time_out`): each is a class of its own to a model, and
        its figures are split among them (QA: macro F1 0.73 -> 0.17). Normal's spellings are
        folded; category names are kept as written, since BGL's are names in upper case."""
        spelt: dict[str, list[str]] = {}
        for name in self.categories:
            spelt.setdefault(bare_name(name), []).append(name)
        alike = [sorted(names) for names in spelt.values() if len(names) > 1]
        if not alike:
            return None
        shown = "; ".join(" / ".join(names) for names in sorted(alike)[:3])
        return (
            f"warning: anomaly categories that differ only in case or punctuation ({shown}) "
            "are different classes to a model that predicts categories, and their figures are "
            "split among them: write each category one way in the labels"
        )

    @property
    def n_in_no_session(self) -> int:
        """Events placed in no session: no id or field value (`n_unmatched`), or no time for
        a time window (`n_no_timestamp`; other kinds place those)."""
        return self.n_unmatched + self.n_no_timestamp

    def count_first_parts(self, first: list, joined: list) -> None:
        """Count, per value of the first of several --by-field fields, its events and those
        with a value of all (`partless_warning`; `FIRST_PARTS_TRACKED` values at most)."""
        for head, value in zip(first, joined, strict=True):
            if not head:
                continue
            events, valued = self.first_part_events, self.first_part_valued
            if head in events or len(events) < FIRST_PARTS_TRACKED:
                events[head] = events.get(head, 0) + 1
                if value:
                    valued[head] = valued.get(head, 0) + 1

    def partless_warning(self) -> str | None:
        """`warning: ...` when, sessions by several fields, some value of the first (a host)
        has `PARTLESS_MIN` events or more and none with a value of the others: all of its
        events are in no session, so nothing of it is judged (QA Pure-FTPd: `--by-field
        Host,PID` where one server wrote no pid, a third of the log and its 12 anomalies
        unseen, said as a count alone). None otherwise, or where `no_value_warning` speaks."""
        lost = sorted(
            (head for head, n in self.first_part_events.items()
             if n >= PARTLESS_MIN and not self.first_part_valued.get(head)),
            key=lambda head: -self.first_part_events[head],
        )  # fmt: skip
        if not lost or self.field is None or self.no_value_warning() is not None:
            return None
        first, *others = field_names(self.field)
        shown = ", ".join(f"{head!r} ({self.first_part_events[head]:,})" for head in lost[:3])
        more = f" and {len(lost) - 3:,} more" if len(lost) > 3 else ""
        return (
            f"warning: every event of {first} {shown}{more} had no {', '.join(others)} value, "
            "so none of them is in a session and nothing of it is judged: where its lines "
            f"name no {', '.join(others)}, key its sessions otherwise (a model of its own, or "
            f"time windows per {first}: --by-field {first} --window DURATION)"
        )

    def reopened_warning(self, idle_timeout: str) -> str | None:
        """`warning: ...` for a live run by id, where ids came back after `idle_timeout`
        closed their session (`n_reopened`): each such id was judged as two sessions, alerted
        apart, the later part without its start (QA OpenSMTPD: a connection waiting out its
        300 s timeout alerted twice, its `connecting` line, which names the destination,
        alone). `score --logs` says the count in its summary line; `watch` prints no such
        line. None for runs of a file by `--by-field source`, which are meant."""
        if not self.n_reopened or (self.field or "").lower() == "source":
            return None
        ids = _count(self.n_reopened, "id")
        return (
            f"warning: {ids} came back after --idle-timeout {idle_timeout} had closed "
            f"{'its' if self.n_reopened == 1 else 'their'} session (e.g. "
            f"{self.reopened_example!r}), so each was judged as two sessions, "
            "alerted apart and the later part without its start: where an id is one session "
            "however long it is quiet (a connection waiting out a timeout), raise "
            "--idle-timeout above its longest quiet; ids a system reuses (process ids) are "
            "rightly new sessions"
        )

    def reused_ids_warning(self) -> str | None:
        """`warning: ...` when sessions are keyed by a process or thread id field without an
        idle timeout (`process_field`): systems reuse those ids, so one session gathers every
        process that had the id over the whole log (QA: a PostgreSQL log by `Pid` made 400
        sessions of 3,000 connections, a "session lifetime" of the whole log, no word), where
        a session was quiet for over an hour between two events (`n_quiet`): a value seen
        again after that. None where none was (QA Odoo: said on every command of a log whose
        356 worker pids each lived once)."""
        if self.process_field is None or self.n_sessions == 0 or not self.n_quiet:
            return None
        return (
            f"warning: sessions by --by-field {self.field} with no --idle-timeout: systems "
            f"reuse {self.process_field} values, and {self.n_quiet:,} of {self.n_sessions:,} "
            f"sessions (e.g. {self.quiet_example!r}) hold more than "
            f"{REUSE_GAP_US // 3_600_000_000} h of quiet between two of their events, so a "
            "session may hold every process that had its value, over the whole log; pass "
            "--idle-timeout (longer than the longest quiet gap inside one process) so that a "
            "value seen again after it starts a new session"
        )

    def multi_host_warning(self) -> str | None:
        """`warning: ...` when sessions by a process id alone join the processes of several
        hosts: one value came from more than one (QA Puppet: `--by-field PID` on a central
        syslog made 1,788 sessions of 1,855 agent runs, a lifetime of 9 h, no word)."""
        if not self.n_multi_host_ids:
            return None
        if self.host_field == "source":
            return (
                f"warning: {self.n_multi_host_ids:,} {self.field} values came from several "
                f"input files (e.g. {self.multi_host_example}): sessions by --by-field "
                f"{self.field} join their processes; if the files are different machines' "
                f"logs, key them by file and process, --by-field source,{self.field} (one "
                "machine's rotated files may share a process that ran across the rotation)"
            )
        return (
            f"warning: {self.n_multi_host_ids:,} {self.field} values came from several hosts "
            f"(e.g. {self.multi_host_example}): sessions by --by-field {self.field} join the "
            f"processes of different hosts; key them by host and process, --by-field "
            f"{self.host_field},{self.field}"
        )

    def restart_warning(self, pattern: str | None) -> str | None:
        """`warning: ...` when sessions by id start over with no quiet time between: their
        first key comes again right after a key that ends other sessions (`END_KEY_SHARE`),
        at least `REUSED_MIN` sessions and `REUSED_SHARE` of all. The log gives the ids again
        to new work at once (QA PgBouncer: a freed connection pointer `C-0x...` reused within
        milliseconds, 96 sessions of 4,686 connections; QA Spark: stage 0 of 70 applications
        one session of 14 h; QA Varnish: vxids counted again after a restart), so no idle
        timeout tells them apart. None where `reused_id_warning` says it, unless the ids are
        given again at once (`_given_again_at_once`): its --idle-timeout cannot part those (QA
        PgBouncer: that advice came first, and this one only once it had been followed);
        HDFS's blocks, written again after their replicas were received, are 1 in 4,855."""
        found = self._restarted(pattern)
        if found is None or (self.reused_id_warning(pattern) is not None):
            return None
        total, example = found
        # an undated log has no quiet to measure (QA Memcached: the advice named the option the
        # idle-timeout warning just above had said cannot work there)
        other_way = (
            # (QA unattended-upgrades: said to pass the --idle-timeout it had been given)
            f", or shorten --idle-timeout {self.idle_timeout} below the quiet between two uses"
            if self.last_event_us is not None and self.idle_timeout
            else ", or pass an --idle-timeout shorter than the quiet between two uses"
            if self.last_event_us is not None
            else "; the events have no timestamps, so no --idle-timeout parts them: else count "
            "windows (--lines N) are the way"
        )
        # (by a field too: Prosody's stream ids, `c2s55d8a6c0f2a0`, are freed addresses given
        # to later streams; QA, 20 streams glued to earlier ones and no word said)
        keyed = f"--by-id {shell_arg(pattern)}" if pattern is not None else None
        keyed = keyed or f"--by-field {self.field}"
        unique = (
            "capture more of the line in the id so it is unique (named groups are joined: "
            "'(?P<ptr>C-0x[0-9a-f]+): \\S+@(?P<client>\\S+)')"
            if pattern is not None
            else "key them by more fields, so that each is unique (--by-field Host,Component)"
        )
        # both readings, the harmless one first (QA cloud-init, Tekton: a boot's modules and a
        # pipeline's tasks, each started and ended alike, read as ids reused, and the advice
        # would have cut each run into one session per step)
        return (
            f"warning: {total:,} of {self.n_sessions:,} sessions by {keyed} (e.g. "
            f"{example!r}) start over: their first event comes again right after an event "
            "that ends other sessions. Either one piece of work repeats its steps under one id "
            "(a workflow's tasks or a boot's modules, each started and ended alike): no "
            "concern, keep the sessions as they are; or the log gives these ids again to new "
            "work (a freed pointer, a counter after a restart, a stage number in each "
            f"application), and each such session is several glued together: {unique}"
            f"{other_way}{self.shared_ids_clause(pattern)}"
        )

    def shared_ids_clause(self, pattern: str | None) -> str:
        """`; ... --by-field Host --by-id ...` where ids of the --by-id regex `pattern` came
        from several hosts (`n_shared_ids`), else "": an id each host has of its own (a change
        number, a device's name) glues hosts' work into one session, and keying by host parts
        it (QA snapd, mdadm: the advice named --idle-timeout alone)."""
        if pattern is None or self.field is not None or not self.n_shared_ids:
            return ""
        return (
            f". {self.n_shared_ids:,} of these ids came from several hosts (e.g. "
            f"{self.shared_id_example}): if each host numbers or names its own, key them by "
            f"host too, --by-field {self.host_field} --by-id {shell_arg(pattern)}"
        )

    def _restarted(self, pattern: str | None) -> tuple[int, str] | None:
        """(sessions, an example id) that start over right after an event ending others
        (`restart_warning`), None below its share or where it does not apply."""
        if (pattern is None and self.field is None) or not self.check_restarts:
            return None
        ends = {k for k, n in self.last_keys.items() if n >= END_KEY_SHARE * self.n_sessions}
        restarted = [
            (n, keys) for keys, n in self.restarted_after.items() if ends & set(keys.split())
        ]
        total = sum(n for n, _ in restarted)
        if total < max(REUSED_MIN, REUSED_SHARE * self.n_sessions):
            return None
        return total, self.restart_examples[max(restarted, key=lambda item: item[0])[1]]

    def _given_again_at_once(self, pattern: str | None) -> bool:
        """Whether sessions start over many times each (`restart_warning` applies and its
        sessions start over RESTARTS_AT_ONCE times on average): ids given again within seconds,
        which no --idle-timeout parts (QA PgBouncer: about 70 connections glued in each
        pointer's session), not once after a restart's quiet hours (QA OpenLDAP)."""
        found = self._restarted(pattern)
        return found is not None and self.n_restarts >= RESTARTS_AT_ONCE * found[0]

    def reused_id_warning(self, pattern: str | None) -> str | None:
        """`warning: ...` when sessions by id or field start over after hours of quiet (their
        first key again, `n_gapped`): the log reuses the ids, and each such session is two or
        more sessions glued together (QA OpenLDAP: `conn=1000` counted again from 1000 after a
        restart, 800 sessions of 1,500 connections, a "lifetime" of 13 h; QA JVM: `GC(5)` of
        two runs), unless --idle-timeout cuts them (None then, and for time windows). A block
        deleted hours after it was written (HDFS) does not start over."""
        if (pattern is None and self.field is None) or self.process_field is not None:
            return None
        if self.n_gapped < max(REUSED_MIN, REUSED_SHARE * self.n_sessions):
            return None
        if self._given_again_at_once(pattern):  # `restart_warning` says it, rightly
            return None
        return (
            f"warning: {self.n_gapped:,} of {self.n_sessions:,} sessions (e.g. "
            f"{self.gapped_example!r}) start over after more than "
            f"{REUSE_GAP_US // 3_600_000_000} h of quiet (their first event again): the log seems "
            "to reuse these ids (a counter that starts again after a restart), so each such "
            "session is several glued together; "
            + (
                f"--idle-timeout {self.idle_timeout} is longer than that quiet: shorten it, or, "
                "if the inputs were read out of time order (files named by weekday, services "
                "read one after another), give them oldest first or pass --order time"
                if self.idle_timeout
                # (to train: a model cuts raw logs as it was trained to; QA Asterisk: score
                # was told to pass it, and has no such option)
                else f"{IDLE_TIMEOUT_ADVICE}: to sessionize, or to train, whose model then cuts "
                "the logs it scores so"
            )
            + self.shared_ids_clause(pattern)
            + (
                # (QA OpenNebula: a VM's log per file, powered off and on again an hour later,
                # was told to pass --idle-timeout, which would cut each VM's life in parts)
                "; unless each file is one unit's whole life whose first event may come again "
                "(a VM powered off and on again): keep those whole"
                if self.field == "source"
                else ""
            )
        )

    def quiet_gap_warning(self, pattern: str | None) -> str | None:
        """`warning: ...` when a few sessions by id (`REUSED_SHARE` to `QUIET_SHARE` of them)
        hold hours of quiet between two events, whatever they start with, without
        --idle-timeout: ids a log gives again later (a counter after a restart) glue two
        requests together (QA Bitbucket: request ids of two days, 120 sessions of 24 h, a
        "lifetime" of 24 h and 115 false alarms, unsaid: their second part started otherwise,
        so `reused_id_warning` stayed quiet). Where most sessions do (HDFS's blocks, deleted
        hours after they were written; hosts), the ids live that long: no warning."""
        if pattern is None or self.idle_timeout or self.process_field is not None:
            return None
        n, total = self.n_quiet, self.n_sessions
        if not max(REUSED_MIN, REUSED_SHARE * total) <= n <= QUIET_SHARE * total:
            return None
        if self.reused_id_warning(pattern) is not None:
            return None
        if self.n_out_of_order >= n:  # the quiet may be the read order's: files read one after
            # another (QA YugabyteDB: a tablet's lines in six nodes' files; this warning's
            # --idle-timeout would have cut every tablet, where `out_of_order_warning`'s time
            # order was the fix)
            return None
        return (
            f"warning: {n:,} of {total:,} sessions (e.g. {self.quiet_example!r}) hold more "
            f"than {REUSE_GAP_US // 3_600_000_000} h of quiet between two of their events, "
            "while the others hold none: if the log gives these ids again later (a counter "
            "that starts over after a restart), each is two sessions glued together, and "
            f"their length sets the normal session lifetime; {IDLE_TIMEOUT_ADVICE}; if such "
            "sessions do last that long, this is no concern"
        )

    def single_event_warning(self, pattern: str | None) -> str | None:
        """`warning: ...` when nearly every session by the --by-id regex `pattern` holds one
        event (`SINGLE_EVENT_SHARE` of at least `SINGLE_EVENT_MIN` sessions): the id changes
        on every line (QA httpd: `\\[client (\\S+)\\]` took each request's port, 3,185
        sessions of 3,201 events, a model that learnt nothing; None otherwise)."""
        if (pattern is None and self.field is None) or self.n_sessions < SINGLE_EVENT_MIN:
            return None
        if self.n_single < SINGLE_EVENT_SHARE * self.n_sessions:
            return None
        if self.unmatched_warning(pattern) is not None:  # most lines name no id: that is why
            # (QA Heroku: a request id on the router's lines only, and this warning blamed a
            # stable uuid for changing on every line)
            return None
        if self.field is not None:  # QA ALB: `client:port` as the field, warned of by nothing
            return (
                f"warning: {self.n_single:,} of {self.n_sessions:,} sessions by --by-field "
                f"{self.field} hold one event: its value changes on nearly every line (a "
                "client's port, a request id?), so no session shows a sequence; key sessions "
                "by a field that stays, or split the field in the format string so one part "
                f"holds what stays (<{self.field}>:<Port> for an address and its port)"
            )
        head = (
            f"warning: {self.n_single:,} of {self.n_sessions:,} sessions by --by-id "
            f"'{pattern}' hold one event"
        )
        if self.single_example is not None and _TASK_ID.fullmatch(self.single_example):
            # a task's random id (QA Flux: `reconcileID`, most reconciles one line): the id is
            # right, and no port is cut from it
            return head + (
                f" (e.g. {self.single_example!r}): each id names a task that mostly writes one "
                "line (a request, a reconcile), so no session shows a sequence to learn; key "
                "sessions by what the tasks act on (--by-field, or --by-id of an object's "
                "name) or cut time windows (--window) to see their order"
            )
        return head + (
            ": the id changes on nearly every line (a client's port, "
            "a request counter?), so no session shows a sequence; capture only the part that "
            "stays, e.g. an address without its port ('\\[client ([^\\]]+):\\d+\\]')"
        )

    def tie_warning(self) -> str | None:
        """`warning: ...` when over `TIED_SHARE` of the events taken in time order from several
        inputs share their time with an event of another input just before them: their order
        is the inputs' names', not the one they happened in (QA MLflow: two replicas' access
        logs to the second, each job's calls in an order that changed from second to second,
        and no word said)."""
        if self.n_input_ties < TIED_MIN or self.n_input_ties < TIED_SHARE * self.n_events_timed:
            return None
        share = self.n_input_ties / self.n_events_timed
        return (
            f"warning: in time order, {self.n_input_ties:,} of {self.n_events_timed:,} events "
            f"({share:.0%}) share their time with an event of another input just before them: "
            "the log does not say which came first, so they are taken in the order of the "
            "inputs' names, and a session's sequence across inputs is partly arbitrary; log "
            "times with milliseconds, or key sessions by what one input writes"
        )

    def lone_ids_warning(self, pattern: str | None) -> str | None:
        """`warning: ...` when a share of the sessions by the --by-id regex `pattern` hold one
        event each (`LONE_ID_SHARE`, short of `single_event_warning`'s) beside sessions of
        `LONE_ID_OTHERS_MEAN` events or more on average: the regex also takes other ids of the
        same shape on lines of their own (QA Janus: `\\d{15,16}` took VideoRoom's feed and user
        ids, 844 of 2,661 sessions of one line each, and said nothing of them)."""
        if pattern is None or self.field is not None or self.n_sessions < SINGLE_EVENT_MIN:
            return None
        others = self.n_sessions - self.n_single
        if not LONE_ID_SHARE * self.n_sessions <= self.n_single < (
            SINGLE_EVENT_SHARE * self.n_sessions
        ):
            return None
        mean = (self.n_session_events - self.n_single) / others
        if mean < LONE_ID_OTHERS_MEAN:
            return None
        return (
            f"warning: {self.n_single:,} of {self.n_sessions:,} sessions by --by-id "
            f"'{pattern}' hold one event each (e.g. '{self.single_example}'), while the others "
            f"hold {mean:,.0f} on average: the regex may also take other ids of the same shape "
            "(a user's, a room's, a parent's) from lines of their own; anchor it where the "
            "session's id stands, e.g. after its name ('handle (\\d+)'), or, if those are "
            "units of one line (health checks), leave it"
        )

    def few_ids_warning(self, pattern: str | None) -> str | None:
        """`warning: ...` when the events matched by the --by-id regex `pattern` name at most
        FEW_IDS distinct ids, EVENTS_PER_FEW_IDS events or more each (None otherwise): the
        regex matches the same text on every line (`'trace_id'` rather than the id's value),
        so the whole log is one session and a model learns nothing of requests, while
        `unmatched_warning` stays quiet (the lines did match). A real id rarely leaves so few
        sessions of so many events (ten jobs of 500 events each are not warned of; one or two
        are, worded as a doubt). Ids that came back after --idle-timeout closed their session
        count once."""
        matched = self.n_events - self.n_unmatched
        n_ids = self.n_sessions - self.n_reopened
        if pattern is None or self.field is not None or not 0 < n_ids <= FEW_IDS:
            return None
        if matched < EVENTS_PER_FEW_IDS * n_ids:
            return None
        if n_ids == 1:
            what = f"all {matched:,} events that matched"
            named = (
                f"named the same id {self.first_id!r}, so they make one session (or one per "
                "--idle-timeout gap)"
            )
        else:
            what = f"the {matched:,} events that matched"
            named = (
                f"named only {n_ids} ids (the first: {self.first_id!r}), so they make "
                f"{n_ids} sessions of {matched // n_ids:,} events on average"
            )
        fixed = alternatives_group_fix(pattern)
        if fixed is not None:
            return (
                f"warning: {what} --by-id {shell_arg(pattern)} {named}: the id is the regex's only "
                "capture group, and that group holds the alternatives only, not the id after "
                f"them; make it non-capturing so the whole match is the id: '{fixed}'"
            )
        example = id_value_example(pattern)
        return (
            f"warning: {what} --by-id {shell_arg(pattern)} {named}: the regex seems to "
            "match fixed text "
            "rather than an id that differs from session to session; match the id's value, e.g. "
            f"'{example}' (the id is the whole match or its only capture group)"
        )

    def cut_ids_warning(self, pattern: str | None) -> str | None:
        """`warning: ...` when many events' --by-id matches stand inside a longer word or
        number (`CUT_SHARE` of those matched, `CUT_MIN` or more): the regex takes part of each
        id, and ids sharing that part share a session (QA Lustre: `(\\d+@o2ib)` took
        `131@o2ib` of `10.1.5.131@o2ib`, 766 sessions for 773 clients, unsaid)."""
        matched = self.n_events - self.n_unmatched
        if pattern is None or self.field is not None or self.cut_example is None:
            return None
        if self.n_cut_ids < max(CUT_MIN, CUT_SHARE * matched):
            return None
        anchored = pattern.endswith("\\b")
        advice = "match the whole id (what comes before and after it too)" + (
            "" if anchored else ", or anchor the regex at the id's edges with \\b"
        )
        # (the id's rest in its word, a quoted field's too: `orderName="api-tls-4-38162..."`)
        at = self.cut_word.find(self.cut_example)
        rest = self.cut_word[at + len(self.cut_example) :].rstrip("\"',;)")
        sub_id = at >= 0 and _SUB_IDS.fullmatch(rest)
        if sub_id:  # (QA Grid Engine: `job 500001.1`, a job's task, warned on every run)
            advice += (
                f"; where the rest ({rest!r}) is a part of the id, such as an array job's task, "
                "an attempt or a child named after it, and the parts are meant to be one "
                f"session, match it outside the id: '{_with_sub_id(pattern, rest)}'"
            )
        return (
            f"warning: {self.n_cut_ids:,} of the {matched:,} events that matched --by-id "
            f"'{pattern}' match it inside a longer word or number (e.g. {self.cut_example!r} "
            f"in {self.cut_word!r}): the regex takes part of an id, and ids that share that "
            f"part share a session; {advice}"
        )

    def _count_id_shape(self, session_id: str) -> None:
        """Count an id that ends in punctuation, runs on into the fields after it, or holds
        the name before it, for the warnings on each."""
        last = session_id[-1]
        fqdn = last == "." and _FQDN.fullmatch(session_id)  # (QA Knot DNS: zones)
        own = _closes_own(session_id) and not _GLUED_NOTE.fullmatch(session_id)
        if last in PUNCTUATION_AFTER_ID and not own and not fqdn:
            self.n_punctuated += 1
            self.punctuated_example = self.punctuated_example or session_id
        if _runs_on(session_id):
            self.n_run_on += 1
            self.run_on_example = self.run_on_example or session_id
        if _NAMED_ID.match(session_id):
            self.n_named += 1
            self.named_example = self.named_example or session_id
        ported = _ADDRESS_PORT.fullmatch(session_id)
        if ported:
            self.n_ported += 1
            self.ported_example = self.ported_example or session_id
            if len(self.ported_addresses) < PORTED_ADDRESSES_KEPT:
                self.ported_addresses[ported[1]] = None

    def _many_shaped(self, pattern: str | None, n: int, example: str | None) -> bool:
        """Whether `n` session ids of a --by-id `pattern` shaped so (`example` the first) are
        enough for a warning: at least `PUNCTUATED_MIN`, and `PUNCTUATED_SHARE` of all."""
        if pattern is None or self.field is not None or example is None:
            return False
        return n >= max(PUNCTUATED_MIN, PUNCTUATED_SHARE * self.n_sessions)

    def run_on_ids_warning(self, pattern: str | None) -> str | None:
        r"""`warning: ...` when many session ids of the --by-id regex `pattern` hold the
        `name=value` fields written after the id (`X;code=200;reason=OK`): the regex runs on
        past the id, so one id's lines with other values there, or none, are sessions apart
        (QA OpenSIPS: `call.id=(\S+)` took the accounting line's `;code=200;reason=OK`, each
        call two sessions, unsaid)."""
        n, example = self.n_run_on, self.run_on_example
        if not self._many_shaped(pattern, n, example):
            return None
        mark = _runs_on(example)[0][0]
        advice = _example_regex(_stop_at(pattern, mark))
        return (
            f"warning: {n:,} of {self.n_sessions:,} session ids of --by-id "
            f"{shell_arg(pattern)} hold "
            f"the fields the lines write after the id (e.g. {example!r}): the regex runs on "
            "past the id, so lines of one id with other values there, or none, make sessions "
            f"apart; stop the regex at the {mark!r}{advice}"
        )

    def ported_ids_warning(self, pattern: str | None) -> str | None:
        r"""`warning: ...` when many session ids of the --by-id regex `pattern` are an address
        and its port, and the addresses come back with other ports: a client's connections
        are sessions apart, and a line naming the client otherwise (a user's name) none of
        its (QA Forgejo: `for ([^\s,]+)` took `203.0.113.2:58027`, 2,280 sessions of 700
        clients, a brute force split from its client, unsaid)."""
        n, example = self.n_ported, self.ported_example
        if not self._many_shaped(pattern, n, example):
            return None
        if len(self.ported_addresses) * 2 > n:  # (most addresses once: a port each is theirs)
            return None
        fixed = re.sub(r"\((?!\?)(?:[^()\\]|\\.)*\)", r"([0-9.]+):[0-9]+", pattern, count=1)
        advice = _example_regex(fixed if fixed != pattern and _groups(fixed) == 1 else None)
        return (
            f"warning: {n:,} of {self.n_sessions:,} session ids of --by-id "
            f"{shell_arg(pattern)} are an address and its port (e.g. {example!r}), from "
            f"{len(self.ported_addresses):,} addresses: each connection of a client is a "
            "session of its own; if a client is the session, capture the address alone, its "
            f"port outside the group{advice}; if a connection is (an SSH server's lines of one "
            "login, QA Gitea), this is as it should be"
        )

    def named_ids_warning(self, pattern: str | None) -> str | None:
        """`warning: ...` when most session ids of a --by-id regex `pattern` with no group
        hold the name written before the id (`call-id=X`), a name the regex lets lines write
        several ways: the whole match is the id, so lines that name it otherwise
        (`call_id=X`) make sessions apart (QA OpenSIPS:
        `call[-_]id=[^;\\s]+`, each call two sessions, unsaid)."""
        example = self.named_example
        if pattern is None or self.field is not None or example is None:
            return None
        if self.n_named * 2 <= self.n_sessions or _groups(pattern):
            return None
        name = re.search(r"=", pattern)
        if name is None or not re.search(r"[\[|?.*+]", pattern[: name.start()]):
            return None  # (a name written one way only: one spelling, one session)
        fixed = f"{pattern[: name.end()]}({pattern[name.end() :]})"
        advice = f", e.g. '{fixed}'" if _groups(fixed) == 1 else ""  # (QA Airflow: advised a
        # regex Python refused, a `(` put inside a character class)
        return (
            f"warning: {self.n_named:,} of {self.n_sessions:,} session ids of --by-id "
            f"'{pattern}' hold the name written before the id (e.g. {example!r}): the regex "
            "has no group, so its whole match is the id, and lines that write the name "
            f"another way make sessions apart; put the id's own part in parentheses{advice}"
        )

    def punctuated_ids_warning(self, pattern: str | None) -> str | None:
        """`warning: ...` when many session ids of the --by-id regex `pattern` end in
        punctuation (`PUNCTUATION_AFTER_ID`): the regex takes what the message writes after
        the id, so an id written both with and without it is two sessions (QA Open vSwitch:
        `tap\\S+` made `tap3f2a-9d` and `tap3f2a-9d:` of one port's lines, 2,188 sessions for
        1,290 ports, unsaid)."""
        n, example = self.n_punctuated, self.punctuated_example
        if not self._many_shaped(pattern, n, example):
            return None
        mark = "(" if _GLUED_NOTE.fullmatch(example) else example[-1]  # (a note's bracket ends it)
        fixed = _stop_at(pattern, mark)
        group = re.search(r"\((?!\?)", fixed or "")
        if group is not None and mark in "'\"" and example[0] == mark:
            # ... the id quoted, its opening quote taken too (QA Sentry: `event_id='...'`, and
            # the advice's `event_id=([^\s']+)` matched no line): the quote before the group
            fixed = f"{fixed[: group.start()]}{mark}{fixed[group.start() :]}"
        advice = _example_regex(fixed)
        return (
            f"warning: {n:,} of {self.n_sessions:,} session ids of --by-id "
            f"{shell_arg(pattern)} end in "
            f"punctuation (e.g. {example!r}): the regex takes the {mark!r} the message writes "
            "after the id, so lines that write the id so and lines that do not make two "
            f"sessions of one; stop the regex before it{advice}"
        )

    def dominant_id_warning(self, pattern: str | None) -> str | None:
        """`warning: ...` when one session of the --by-id regex `pattern` holds most of the
        events that matched (at least EVENTS_PER_FEW_IDS), among more than FEW_IDS sessions
        (`few_ids_warning` words the case of one or two): the regex matches, besides the ids,
        text most lines hold (QA: `[0-9a-f-]+` made a session 'a' of all 16,882 events, and
        'd', 'ed', 'defa' of fragments of words)."""
        matched = self.n_events - self.n_unmatched
        n_ids = self.n_sessions - self.n_reopened
        if pattern is None or self.field is not None or self.largest_id is None:
            return None
        size, session_id = self.largest_events, self.largest_id
        if n_ids <= FEW_IDS or matched < EVENTS_PER_FEW_IDS:
            return None
        others = (matched - size) / (n_ids - 1)
        # ... or a quarter of them, DOMINANT_RATIO times the other sessions' average (QA
        # Nagios: `^[A-Z ]+: ([^;]+);` took the command `PROCESS_SERVICE_CHECK_RESULT` of
        # external commands for a host, a session ten times any host's)
        # ... or fifty times it, however small a share (QA xrdp: `port (\\d+)` took sesman's
        # fixed port 3350 too, 523 events of a day in one session, 84 times the average)
        if (
            size * 2 <= matched
            and (size * 4 < matched or size < DOMINANT_RATIO * others)
            and (size < FAR_LARGER_RATIO * others or size < EVENTS_PER_FEW_IDS)
        ):
            return None
        shape = "'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'"
        advice = f"anchor it where the id stands or match the id's whole shape (a UUID: {shape})"
        if shape.strip("'") in pattern or set(session_id) <= set("0-"):
            # the whole shape already, or a placeholder that fills it (ClickHouse's all-zero
            # UUID in `with tid (1, 1, 00000000-...)`: QA, the advice repeated the regex given)
            advice = (
                f"the id {session_id!r} is a placeholder the log writes where there is no id; "
                "anchor the regex where the session's id stands (after its name), or key "
                "sessions by the header field that holds it (--by-field)"
            )
        share = (
            "text most lines share (a word, or part of one)"
            if size * 2 > matched
            else f"text many lines share ({size / others:.0f} times the other sessions' "
            "average)"
        )
        return (
            f"warning: session {session_id!r} holds {size:,} of the {matched:,} events that "
            f"matched --by-id {shell_arg(pattern)} ({n_ids:,} sessions in all): the regex "
            "seems to match "
            f"{share} besides the ids; {advice} (if it matches the ids alone, this session is "
            "unusually large: a burst of one client, an anomaly maybe)"
        )

    def multi_id_warning(self, pattern: str | None) -> str | None:
        """`warning: ...` when many events (at least 5% of those matched, and 10) name several
        ids of the --by-id regex `pattern`: each joins the session of every id it names, which
        is right for a line about two blocks but wrong when the regex also matches other
        things (Postfix's `queued as <remote id>`, digits of a message-id): those become
        sessions of their own, or glue unrelated messages together, with no other sign."""
        matched = self.n_events - self.n_unmatched
        # ... or of the sessions: each such event may open a session of one line (QA Lambda:
        # an SQS message id on 3.8% of the lines made 599 of 2,780 sessions, unsaid)
        n_ids = max(self.n_sessions - self.n_reopened, 1)
        if pattern is None or self.n_multi_id < max(10, 0.05 * min(matched, n_ids)):
            return None
        example = f" (e.g. {show_line(self.multi_id_example)})" if self.multi_id_example else ""
        return (
            f"warning: {self.n_multi_id:,} of {matched:,} events name more than one id of "
            f"--by-id {shell_arg(pattern)}{example} and join the session of each; if only "
            "one of them is "
            "the session id, make the regex match it alone: anchor it where the id stands (e.g. "
            "'^(ID):' for ids that lead the message) or put the id in a capture group with the "
            "words around it"
        )

    def late_warning(self) -> str | None:
        """`warning: ...` when events came too late for their windows (None when none did):
        how many, their share, and what to do. Its own line, never a clause of `summary`,
        because those events are missing from the sessions."""
        if not self.n_late:
            return None
        share = self.n_late / max(self.n_windowed, 1)
        return (
            f"warning: {self.n_late:,} of {self.n_windowed:,} timestamped events ({share:.1%}) "
            "came more than a window after newer events and are missing from the windows "
            "already written; the log is out of time order (several files or hosts "
            "interleaved, or timestamps that jump back, e.g. a wrong year: check `logbert "
            "parse --year`). Window whole files (`logbert sessionize` and `--logs` sort them "
            "by time first) or use a longer --window"
        )

    def check_late(self, where: str) -> None:
        """Raise when more than half of the timestamped events were lost as late: sessions of
        the rest would stand for a log they mostly miss, and a model trained or scored on them
        would look like a normal run."""
        if self.n_late * 2 > self.n_windowed:
            share = self.n_late / max(self.n_windowed, 1)
            raise LogbertError(
                f"{where}: {self.n_late:,} of {self.n_windowed:,} timestamped events "
                f"({share:.1%}) came more than a window late and are missing from the time "
                "windows, so the sessions would miss most of the log; put the events in time "
                "order (check the timestamps: `logbert parse --year` when the year is guessed) "
                "or use a longer --window"
            )


def _stop_at(pattern: str, mark: str) -> str | None:
    """`pattern` with its `\\S` not taking `mark`, where it has one (None where not)."""
    fixed = pattern.replace("\\S", f"[^\\s{re.escape(mark)}]")
    return fixed if fixed != pattern else None


def _example_regex(fixed: str | None) -> str:
    """`, e.g. '<fixed>'` for a warning's advice, nothing without one."""
    return f", e.g. '{fixed}'" if fixed else ""


def _groups(pattern: str) -> int:
    """The capturing groups of a --by-id regex (0 where it does not compile: it was checked
    before sessionizing)."""
    try:
        return re.compile(pattern).groups
    except re.error:
        return 0


def _closes_own(session_id: str) -> bool:
    """Whether an id's last character closes a bracket the id opened itself (a torrent's name,
    `Sintel (2006) [2160p]`: QA qBittorrent, called punctuation after an id)."""
    closing = session_id[-1]
    opening = {")": "(", "]": "["}.get(closing)
    return opening is not None and session_id.count(opening) >= session_id.count(closing)


def _count(n: int, noun: str) -> str:
    """`1 session`, `2,000 sessions`."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
