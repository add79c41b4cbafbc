"""Sessions by id: one per id matched in the message (`--by-id`, `IdSessionizer`) or per value
of a header field such as BGL's `Node` (`--by-field` alone, `FieldSessionizer`).

Memory: every id seen is held, since an id may reappear until the end of the stream, unless an
idle timeout closes sessions that have been quiet for that long. Sessions come out in order of
first appearance, or with a timeout in order of closing. Never reordered by time: line order is
what they mean; sessions holding an event earlier than one before it are counted
(`SessionizeStats.n_out_of_order`) for a warning. Session ids: the id, or the field's value.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import timedelta

from logbert.parsing.formats import bare_name
from logbert.sessions.io import NORMAL, Session
from logbert.sessions.labels import require_some_match, unused_ids_warning
from logbert.sessions.options import (
    compile_id_pattern,
    field_names,
    has_value,
    inside_a_word,
    match_id,
    parse_duration,
    word_around,
)
from logbert.sessions.stats import LONG_ID, SessionizeStats
from logbert.sessions.streaming import Sessionizer, _micros, _Open, _to_datetime

# the example of a line naming no id (`SessionizeStats.unmatched_warning`) is preferably one
# holding an id among the last RECENT_IDS matched; ids shorter than MIN_EXAMPLE_ID characters
# are left out of that search, being too likely to appear in a line by chance (but a name
# with its number, `md1`: `_distinctive`)
RECENT_IDS = 16
MIN_EXAMPLE_ID = 4
# an event earlier than one before it in its session by more than this is out of time order
# (`SessionizeStats.n_out_of_order`); less is the jitter of concurrent writers to one log
OUT_OF_ORDER_TOLERANCE_US = 1_000_000


class IdSessionizer(Sessionizer):
    """One session per id matched in `content`; a line naming several ids joins each once.
    With `field`, the id is within that field's value (`vpn1/4` for a host's `peer 4`: another
    host's peer 4 is another session); a line without a value joins none.

    Labels come from `labels` (id -> label; ids absent stay unlabelled) or, without it, from
    the events' `label` column (any anomalous line makes the session anomalous).
    Without `idle_timeout` every session is held until `flush` and they come out in order of
    first appearance. With it, a session is closed as soon as the newest timestamp is more than
    `idle_timeout` past its last event, so memory holds only the active sessions (and the ids
    already closed); an id that shows up again later starts a new session with the same id,
    counted in `stats.n_reopened`. An idle timeout needs a `timestamp` column.
    """

    def __init__(
        self,
        pattern: str,
        labels: dict[str, str] | None = None,
        idle_timeout: timedelta | str | None = None,
        track_lines: bool = False,
        stats: SessionizeStats | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(track_lines, stats)
        self.field = field
        self.pattern = pattern
        self.regex = compile_id_pattern(pattern)
        self.stats.check_restarts = True  # ids given again at once (`restart_warning`)
        self.stats.id_keys = True  # kinds of event only among those with no id (`stats`)
        self._recent: deque[str] = deque(maxlen=RECENT_IDS)  # for the unmatched example
        # ... and the last contents that named none, an id matched after them may be in
        self._unnamed: deque[str] = deque(maxlen=RECENT_IDS)
        self._keyed_state(labels, idle_timeout)
        # the host each id came from first (`SessionizeStats.shared_ids_clause`); with a field,
        # ids are the field's value's own already; not the input file: a system's parts write
        # one id in files of their own (QA Woodpecker: a pipeline in the server's and the
        # agent's logs, and `--by-field source` advised cut each in two)
        self.context_columns = MACHINE_FIELDS if field is None else ()

    def _keyed_state(self, labels: dict[str, str] | None, idle_timeout) -> None:
        """Labels by id, the idle timeout and the sessions held (shared with by-field)."""
        self.labels = labels
        if isinstance(idle_timeout, str):
            idle_timeout = parse_duration(idle_timeout)
        self.idle_timeout = idle_timeout
        self._timeout = _micros(idle_timeout) if idle_timeout is not None else None
        if idle_timeout is not None:  # `8h`, for the advice
            seconds = int(idle_timeout.total_seconds())
            unit, size = next(
                (u, n) for u, n in (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1))
                if not seconds % n
            )  # fmt: skip
            self.stats.idle_timeout = f"{seconds // size}{unit}"
        # insertion order: first appearance or, with a timeout, least recent activity first
        self._sessions: dict[str, _Open] = {}
        self._written: set[str] = set()
        self._labelled: set[str] = set()  # ids whose label a session has taken
        self._runs: set[str] = set()  # runs written under ids of their own (with labels only)
        self._id_hosts: dict[str, str] = {}  # the host each id came from first (`_note_host`)
        self._newest: int | None = None

    @property
    def required_columns(self) -> list[str]:
        within = field_names(self.field) if self.field is not None else []
        timestamp = ["timestamp"] if self._timeout is not None else []
        return ["template_id", "content", *within, *timestamp]

    def _run_id(self, session_id: str, session: _Open) -> str:
        """The id a held session is written under: its id (`FieldSessionizer` names a run)."""
        return session_id

    def _close(self, session_id: str, session: _Open) -> Session:
        run_id = self._run_id(session_id, session)
        if self.labels is None:
            return session.close(run_id, session.label(), self.stats)
        named = run_id if run_id in self.labels else session_id  # a run's own label, else its id's
        if run_id != session_id:
            self._runs.add(run_id)
        label = self.labels.get(named)
        anomalous = label is not None and label != NORMAL
        self.stats.n_labelled_anomalous += anomalous
        if label is not None and named in self._labelled:  # a reused id: said once
            self.stats.n_labels_repeated += 1
            self.stats.n_anomalies_repeated += anomalous
            self.stats.labels_repeated_example = self.stats.labels_repeated_example or named
        elif label is not None:
            self._labelled.add(named)
        self.stats.count_label_override(run_id, label, session.anomalous)
        return session.close(run_id, label, self.stats)

    def _push(self, batch: dict[str, list]) -> list[Session]:
        stats, timeout, sessions = self.stats, self._timeout, self._sessions
        track, newest, closed = self.track_lines, self._newest, []
        for ids, key, ts, line_label, line, source in zip(
            self._ids(batch),
            batch["template_id"],
            batch["timestamp"],
            batch["label"],
            batch["line"],
            batch["source"],
            strict=True,
        ):
            stats.n_events += 1
            if ts is None and ids:
                stats.n_undated_idle += timeout is not None
                stats.n_undated_ordered += self.time_ordered
            if timeout is not None and ts is not None:
                if newest is not None and ts + timeout < newest:  # the idle clock is past it
                    # counted where it cut a session: one of its ids was written already (QA:
                    # 6,705 late events were said to cut sessions; 3 sessions differed)
                    cut = [i for i in ids if i not in sessions and i in self._written]
                    if cut:
                        stats.n_before_idle_clock += 1
                        stats.before_idle_clock_example = stats.before_idle_clock_example or cut[0]
                newest = ts if newest is None else max(newest, ts)
                # before the event joins: its own id may have gone quiet too (QA: one device's
                # boots, hours apart with no other id between, were one session for months)
                closed += self._close_idle(newest)
            if not ids:
                stats.count_no_value(key)
            for session_id in ids:
                if timeout is None:
                    session = sessions.get(session_id)
                else:  # popped and re-inserted below: the end is the most recently active
                    session = sessions.pop(session_id, None)
                    if session is not None and _idle_before(session, ts, timeout):
                        # quiet for longer than the timeout, though the idle clock (the newest
                        # time read) never passed it: an input read after a later one (QA
                        # Veeam: `--by-field source` over four job logs, every file after the
                        # first one session of 35 nightly runs)
                        closed.append(self._write(session_id, session))
                        session = None
                if session is None:
                    session = _Open(track)
                    if session_id in self._written:
                        stats.n_reopened += 1
                        stats.reopened_example = stats.reopened_example or session_id
                sessions[session_id] = session
                session.touched = newest
                if ts is not None and not session.out_of_order and session.last is not None:
                    self._check_order(session_id, session, ts, source)
                session.add(key, ts, line_label, line)
                session.source = source
            if timeout is not None:
                stats.max_open = max(stats.max_open, len(sessions))
        self._newest = newest
        if timeout is None:  # sessions only grow: the count now is the most so far
            stats.max_open = max(stats.max_open, len(sessions))
        return closed

    def _close_idle(self, newest: int) -> list[Session]:
        """Write the sessions quiet for more than the timeout at time `newest`, least recently
        active first (the order they are held in)."""
        sessions, closed = self._sessions, []
        while sessions:
            session_id, session = next(iter(sessions.items()))
            if session.touched is not None and session.touched + self._timeout >= newest:
                break
            del sessions[session_id]
            closed.append(self._write(session_id, session))
        return closed

    def _write(self, session_id: str, session: _Open) -> Session:
        """Close a session the idle timeout ended (its id may come back as a new session)."""
        self._written.add(session_id)
        return self._close(session_id, session)

    @property
    def reads_sources(self) -> bool:
        """Events joining in line order: one of another input earlier than a session's latest
        is out of order however little (`_check_order`)."""
        return not self.time_ordered

    def _check_order(
        self, session_id: str, session: _Open, ts: int, source: str | None = None
    ) -> None:
        """Count `session` once in `stats.n_out_of_order` when an event at `ts` comes more
        than `OUT_OF_ORDER_TOLERANCE_US` before its latest event so far, or at all before it
        from another input (`source`: two services' files read one after another, QA Spring
        Boot: a trace's payment events 0.4 s before the order's last, unsaid at `train`, F1
        1.00 -> 0.17 with the files given the other way): its keys (line order) are then not
        the order things happened in."""
        other = source is not None and session.source is not None and source != session.source
        if ts + OUT_OF_ORDER_TOLERANCE_US < session.last or (other and ts < session.last):
            session.out_of_order = True
            self.stats.n_out_of_order += 1
            if self.stats.out_of_order_example is None:
                self.stats.out_of_order_example = session_id

    def _ids(self, batch: dict[str, list]) -> Iterator[list[str]]:
        """The session ids each event joins. A content naming none becomes
        `stats.unmatched_example` (for `SessionizeStats.unmatched_warning`): the first one
        that holds an id of the last ones matched (`stats.unmatched_id`: a line the regex
        missed though it is about a session, what a user must see to fix the regex), else
        the first one. Such lines are counted (`stats.n_unmatched_naming`) for
        `SessionizeStats.missed_ids_warning`."""
        regex, stats, recent = self.regex, self.stats, self._recent
        hint = _literal_prefix(regex.pattern)
        within = batch[self.field] if self.field is not None else None
        host_field = next((name for name in self.context_columns if name in batch), None)
        hosts = batch[host_field] if host_field is not None else None
        for row, content in enumerate(batch["content"]):
            ids = _ids_in(regex, content, stats)
            if within is not None:  # the id within the field's value (`vpn1/4`)
                ids = [f"{within[row]}/{i}" for i in ids] if has_value(within[row]) else []
            if hosts is not None and ids and hosts[row]:
                self._note_host(ids, hosts[row], host_field)
            if len(ids) > 1:
                stats.n_multi_id += 1
                stats.multi_id_example = stats.multi_id_example or content
            if ids:
                recent.extend(ids)
                if self._unnamed:
                    self._named_before(ids)
            elif content:
                named = _named_in(content, recent)
                if named is None:
                    self._unnamed.append(content)
                else:
                    self._count_named(named)
                if stats.unmatched_id is None and (  # else one holding the regex's own words
                    named is not None  # (`req=`: QA Django)
                    or stats.unmatched_example is None
                    or (hint in content and hint not in stats.unmatched_example)
                ):
                    stats.unmatched_example, stats.unmatched_id = content, named
            yield ids

    def _count_named(self, named: str) -> None:
        self.stats.n_unmatched_naming += 1
        self.stats.n_unmatched_naming_long += len(named) >= LONG_ID

    def _named_before(self, ids: list[str]) -> None:
        """Count the contents that named no id of the regex just before a line that matched
        one of `ids` and hold it: a session's first line the regex misses (QA act_runner:
        `task=([0-9]+)` missed each task's `task 4000 repo is ...`, a quarter of the log, unsaid:
        `_ids` looked for the ids matched before a line only)."""
        stats, still = self.stats, []
        for content in self._unnamed:
            named = _named_in(content, ids)
            if named is None:
                still.append(content)
                continue
            self._count_named(named)
            if stats.unmatched_id is None:
                stats.unmatched_example, stats.unmatched_id = content, named
        self._unnamed = deque(still, maxlen=RECENT_IDS)

    def _note_host(self, ids: list[str], host: str, host_field: str) -> None:
        """Count the ids met on a second host (`stats.n_shared_ids`): a device name or a
        counter each host has of its own (QA snapd: a change number; QA mdadm: `md1`) joins
        different hosts' work in one session."""
        seen, stats = self._id_hosts, self.stats
        for session_id in ids:
            first = seen.get(session_id)
            if first is None and len(seen) < IDS_TRACKED:
                seen[session_id] = host
            elif first is not None and first not in (host, _COUNTED):
                seen[session_id] = _COUNTED
                stats.n_shared_ids += 1
                stats.shared_id_example = stats.shared_id_example or (
                    f"{session_id!r} on {first} and {host}"
                )
                stats.host_field = host_field

    def _flush(self) -> list[Session]:
        sessions, written, labels = self._sessions, self._written, self.labels
        self.stats.max_open = max(self.stats.max_open, len(sessions))
        unused: list[str] = []
        example = next(iter(sessions), None) or next(iter(written), None)
        if labels is not None:
            # runs' own ids, where runs have them (in the order held, then written)
            runs = [r for i, session in sessions.items() if (r := self._run_id(i, session)) != i]
            runs += sorted(self._runs)
            example = runs[0] if runs else example
            known = set(runs).union(sessions, written)
            unused = [i for i in labels if i not in known]
            self.stats.n_labels_unused = len(unused)
            self.stats.n_labels_unused_anomalous = sum(labels[i] != NORMAL for i in unused)
            require_some_match(labels, len(unused), example, [*runs, *sessions, *written])
        closed = [self._close(session_id, session) for session_id, session in sessions.items()]
        if labels is not None:  # after closing: every session's label is counted
            self.stats.labels_warning = unused_ids_warning(
                labels, unused, example, unlabelled=self.stats.n_unlabelled
            )
        written.update(sessions)
        sessions.clear()
        return closed

    def _held(self) -> Iterator[tuple[str, _Open, int | None, int | None]]:
        return (
            (self._run_id(session_id, session), session, None, None)
            for session_id, session in self._sessions.items()
        )

    def _settings(self) -> dict:
        return {"pattern": self.pattern, "field": self.field, "idle_timeout_us": self._timeout}

    def _snapshot(self) -> dict:
        return {
            "sessions": [[i, s.to_json()] for i, s in self._sessions.items()],
            "written": sorted(self._written),
            "newest": self._newest,
            "id_hosts": self._id_hosts,
        }

    def _restore(self, state: dict) -> None:
        self._sessions = {str(i): _Open.from_json(s) for i, s in state["sessions"]}
        self._written = set(state["written"])
        self._newest = state["newest"]
        self._id_hosts = dict(state.get("id_hosts", {}))  # (snapshots before it: none)


def _idle_before(session: _Open, ts: int | None, timeout: int) -> bool:
    """Whether `session`'s last event came more than `timeout` µs before `ts`."""
    return ts is not None and session.last is not None and ts - session.last > timeout


class FieldSessionizer(IdSessionizer):
    """One session per value of a header field (`--by-field Node`); the value is the id.

    Works as `IdSessionizer` (labels by id, `idle_timeout`, `n_reopened`) with the field's
    value instead of an id in the content; events with no value (null or empty) are counted in
    `stats.n_unmatched`.
    """

    def __init__(
        self,
        field: str,
        labels: dict[str, str] | None = None,
        idle_timeout: timedelta | str | None = None,
        track_lines: bool = False,
        stats: SessionizeStats | None = None,
    ) -> None:
        Sessionizer.__init__(self, track_lines, stats)
        self.field = self.stats.field = field
        self.pattern, self.regex = None, None
        self.stats.check_restarts = True  # values given again at once (`restart_warning`)
        self._keyed_state(labels, idle_timeout)
        if self._timeout is None:  # `SessionizeStats.reused_ids_warning`
            self.stats.process_field = next(
                (name for name in field_names(field) if bare_name(name) in PROCESS_ID_FIELDS), None
            )
        # a process id alone: which hosts each value came from (`multi_host_warning`)
        names = field_names(field)
        alone = len(names) == 1 and bare_name(names[0]) in PROCESS_ID_FIELDS
        self.context_columns = HOST_FIELDS if alone else ()
        self._hosts: dict[str, set[str]] = {}

    @property
    def required_columns(self) -> list[str]:
        timestamp = ["timestamp"] if self._timeout is not None else []
        return ["template_id", *field_names(self.field), *timestamp]

    def _ids(self, batch: dict[str, list]) -> Iterator[list[str]]:
        return ([v] if has_value(v) else [] for v in batch[self.field])

    def _run_id(self, session_id: str, session: _Open) -> str:
        """With an idle timeout a value's sessions are its runs, each written as
        `VALUE@START` (its first event's time, to the second, as a window's id writes its
        start): under the value alone a job's nightly runs in one file shared one id, so a
        labels file could label only the whole file and an alert named no run (QA
        Duplicati). A labels file may name a run so, or the value (all its runs)."""
        if self._timeout is None or session.first is None:
            return session_id
        return f"{session_id}@{run_start(session.first)}"

    def _push(self, batch: dict[str, list]) -> list[Session]:
        host = next((name for name in self.context_columns if name in batch), None)
        if host is not None and len(self._hosts) < HOSTS_TRACKED:
            stats = self.stats
            for value, on in zip(batch[self.field], batch[host], strict=True):
                if has_value(value) and on:
                    seen = self._hosts.setdefault(value, set())
                    if on not in seen and len(seen) == 1:  # a second host: count it once
                        stats.n_multi_host_ids += 1
                        stats.multi_host_example = stats.multi_host_example or (
                            f"{value} on {next(iter(seen))} and {on}"
                        )
                    seen.add(on)
            stats.host_field = host
        return super()._push(batch)


def run_start(micros: int) -> str:
    """A run's start as its id writes it: UTC to the second, ISO 8601 (`2026-11-03T01:45:04`)."""
    return _to_datetime(micros - micros % 1_000_000).isoformat()


# header fields (`formats.bare_name`) holding ids a system reuses: process and thread ids
PROCESS_ID_FIELDS = frozenset({"pid", "processid", "process", "tid", "threadid", "thread", "ppid"})
# header fields naming the machine a line came from, as built-in formats write them; else the
# input file (QA Android: one phone's capture per file, `--by-field Pid` joined two phones'
# processes of one pid, interleaved, in silence)
MACHINE_FIELDS = ("Host", "Hostname", "Node")
HOST_FIELDS = (*MACHINE_FIELDS, "source")
HOSTS_TRACKED = 100_000  # process ids whose hosts are noted (bounds memory)
IDS_TRACKED = 20_000  # ids whose first host is noted (bounds memory and snapshots)
_COUNTED = "\0"  # ... in place of the host of an id met on a second one, counted once


# --- internals -------------------------------------------------------------------------------


def _ids_in(regex: re.Pattern[str], content: str | None, stats: SessionizeStats) -> list[str]:
    """The ids `regex` finds in `content`; one found inside a longer word or number is counted
    (`SessionizeStats.count_cut_id`)."""
    if not content:
        return []
    matches = list(regex.finditer(content))
    cut = next((m for m in matches if inside_a_word(content, *m.span())), None)
    if cut is not None:
        stats.count_cut_id(cut[0], word_around(content, *cut.span()))
    found = [match_id(regex, m) for m in matches]
    if len(found) == 1:
        return found if has_value(found[0]) else []
    return [i for i in dict.fromkeys(found) if has_value(i)]


def _distinctive(session_id: str) -> bool:
    r"""Whether an id is unlikely to stand in an unrelated line by chance: `MIN_EXAMPLE_ID`
    characters, or a name with its number, `md1` (QA mdadm: the kernel's `md/raid1:md1:` lines
    missed by `/dev/(md\d+)`, 45% of the events, unsaid), not a short number."""
    if len(session_id) >= MIN_EXAMPLE_ID:
        return True
    short = len(session_id) == MIN_EXAMPLE_ID - 1
    return short and _NAME_WITH_NUMBER.fullmatch(session_id) is not None


_NAME_WITH_NUMBER = re.compile(r"[A-Za-z]+[0-9]+")


def _named_in(content: str, ids: Iterable[str]) -> str | None:
    """The first of `ids` that `content` names (`_distinctive`, a word of its own), if any."""
    return next(
        (i for i in ids if _distinctive(i) and i in content and _names(content, i)), None
    )


def _names(content: str, session_id: str) -> bool:
    """Whether `content` holds `session_id` as a word of its own, not inside a longer number
    or name (QA MySQL: `Id: 37246` "named" in a time's microseconds `.372467`) nor a UUID (QA
    Superset: SQL Lab's query 4229 "named" by a Celery task's `747511fb-c29b-4229-...`)."""
    if session_id not in _UUID.sub(" ", content) and not _UUID.search(session_id):
        return False
    return re.search(rf"(?<![^\W_]){re.escape(session_id)}(?![^\W_])", content) is not None


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _literal_prefix(pattern: str) -> str:
    """The plain text a --by-id regex starts with (`req=` of `req=([0-9a-f]{8})`; none of
    `(\\d+)`): a line holding it that the regex missed shows what to fix in the regex, where
    a line of another kind (a server's start-up line) shows nothing."""
    match = re.match(r"(?:[^\\\[\](){}.*+?|^$]|\\[^\w\s])+", pattern)
    text = re.sub(r"\\(.)", r"\1", match.group(0)) if match else ""
    if match and pattern[match.end() : match.end() + 1] in ("?", "*", "{"):
        text = text[:-1]  # `blk_-?\d+`: the `-` may be missing
    return text if len(text) >= 2 else "\0"  # too short to tell anything: never met
