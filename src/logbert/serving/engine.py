"""The streaming detection engine: raw lines in, alerts out, resumable from a JSON snapshot.

Lines go through the same components as `logbert score MODEL --logs`: a copy of the bundle's
frozen parser (`Parser.process`; a template it did not know gets a new id, an unseen key), the
bundle's sessionizer (`SessionizerSettings.build(track_lines=True)`), and `Pipeline.score` for
each closed session (rows with top events, template text, expected keys, raw source/line_no).

When a closed session is scored (the open-session rule of `Pipeline.score_logs`, so a stream
gives exactly the verdicts of `score --logs` on the same lines): `newest` is the latest event
time seen, of any line (one that joins no session, a health check after the last request, says
the log went on too). A closed session that started at least a
lifetime before `newest` is certainly finished and is scored at once (it is not open whatever
the end); the others wait (`pending`) until `newest` has moved a lifetime past their start, or
until `flush()`, where every one is scored with end = `newest` (the log's last event), so a
session that started less than a lifetime before it is marked open. A model without a
lifetime (no timestamps) or a session without a start never has open sessions: scored at once.

Early alerts: a session that holds an unseen key (a template the frozen parser did not know,
or a key the detector never saw in training) is alerted while it is still running, once, with
`early: true`, a reason that says which (`"new template <id>: <text>"` or `"key <id> never
seen in training: <text>"`) and its scores so far (scored as an open session). It is not
alerted again when it closes (its verdict still counts in `counters`); an id that comes back
after an idle timeout closed it is a new session and may be alerted again.

Silences (time windows of a value, a host, with none of its events; `sessions.silences`) of a
model that learnt them: when one ends (the value writes again, or `flush`), each of its windows
gets a score row (to `on_row`) as in `score --logs`, and an alert when it is longer than
training allows. `caught_up()`, called by a reader that has read every input to its end
(`watch`, after each round of its files), alerts a silence still running once it is that long
(`early: true`; not with `early_alerts` off), and not again when it ends. The HTTP service
does not call it: its clients send their lines when they choose (one pod's whole file, then
the next), so a value's clock lagging the others' is not a silence there.

Sessions close when the bundle's settings close them: by id without an idle timeout, only at
`flush()` (the end of the stream); pass `idle_timeout` to close quiet sessions in a stream that
never ends (verdicts then differ from `score --logs` without one). A session an idle timeout
closed still waits (pending) until the log has moved a lifetime past its start, by design: an
idle timeout shorter than the quietest gap inside a session cuts it short, and `score --logs`
marks such a session open (its end not judged) by the same rule. `verdict_note()` says so in
words for the CLI.

Nothing is lost silently: lines that do not fit the format (`lines_rejected`), lines that fit
it but join no session (`lines_unmatched`: no id, no field value, or no timestamp for time
windows) and events too late for their window (`events_late`) are counted, and
`lost_lines_warning()` / `late_warning()` word the warnings the callers print;
`earlier_starts_warning()` the one of `score --logs` when many sessions seem to have begun
before the stream (`pipeline.logs.EarlierStarts`: a file cut while sessions ran).
"""

from __future__ import annotations

import dataclasses
import heapq
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from logbert.errors import LogbertError
from logbert.parsing.auto import count_continuations
from logbert.parsing.frozen import FrozenMiner
from logbert.parsing.pipeline import Parser
from logbert.parsing.state import miner_class
from logbert.parsing.summary import fits_records, records_hint
from logbert.pipeline import Pipeline, model_directory
from logbert.pipeline.files import PIPELINE_FILE
from logbert.pipeline.logs import format_name
from logbert.pipeline.verdicts import silence_evidence
from logbert.scoring.score_files import SILENCE
from logbert.sessions.io import Session
from logbert.sessions.lifecycle import readable_duration
from logbert.sessions.silences import WHOLE_LOG, Silence, SilenceRecord
from logbert.sessions.window_sessions import SOURCE_FIELD, WindowSessionizer

SNAPSHOT_VERSION = 1
MIN_LOST_LINES = 5  # a batch losing fewer lines than this is not worth a warning
# the --idle-timeout a note suggests: this many session lifetimes, at least this many seconds
IDLE_LIFETIMES, IDLE_MIN_SECONDS = 2, 60


@dataclass
class EngineCounters:
    """What the engine has seen (for metrics); plain data, part of the snapshot."""

    lines_accepted: int = 0  # lines that fit the format (events)
    lines_rejected: int = 0  # lines that did not
    lines_continuation: int = 0  # of those, lines that look like a multi-line record's rest
    lines_unmatched: int = 0  # events that joined no session (no id / field value / timestamp)
    templates_new: int = 0  # templates the frozen parser did not know (unseen keys)
    events_new: int = 0  # events of such templates
    events_late: int = 0  # time windows: events older than windows already closed (not scored)
    sessions_closed: int = 0  # sessions the sessionizer closed
    sessions_scored: int = 0  # of those, scored (the rest are pending)
    sessions_flagged: int = 0  # scored sessions whose verdict is anomalous
    sessions_open_scored: int = 0  # scored sessions marked open (their end not judged)
    alerts: int = 0
    alerts_early: int = 0
    silences_flagged: int = 0  # silences longer than training's (`sessions.silences`)


@dataclass
class _Pending:
    start: datetime
    seq: int
    session: Session = dataclasses.field(compare=False)
    early: bool = dataclasses.field(default=False, compare=False)

    def __lt__(self, other: _Pending) -> bool:
        return (self.start, self.seq) < (other.start, other.seq)


def _duration_option(seconds: float) -> str:
    """`seconds` rounded up as an option's duration: `45s`, `31m`, `15h`."""
    for unit, size in (("s", 1), ("m", 60), ("h", 3600)):
        if seconds <= 90 * size or unit == "h":
            return f"{max(1, math.ceil(seconds / size))}{unit}"
    raise AssertionError  # (the loop returns at "h")


class DetectionEngine:
    """`push_lines(lines)` -> alerts, `flush()` -> alerts at the end of the stream; see the
    module doc. `on_row(row)`, when given, receives every score row (every closed session)."""

    def __init__(
        self,
        pipeline: Pipeline,
        *,
        top_events: int = 3,
        threshold: float | None = None,
        early_alerts: bool = True,
        idle_timeout: str | None = None,
        on_row: Callable[[dict[str, Any]], None] | None = None,
        model_dir: str | Path | None = None,
        year: int | None = None,
    ) -> None:
        _require_log_reader(pipeline, model_dir)
        self.pipeline = pipeline
        # the year of timestamps written without one (`watch --year`: a replayed old log; QA
        # Arista EOS: dated by the current year, its session ids matched no batch score's)
        self.year = year
        self.settings = pipeline.sessionizer
        if idle_timeout is not None:
            self.settings = dataclasses.replace(self.settings, idle_timeout=idle_timeout)
            self.settings.validate()
        self.info = pipeline.decision_threshold(threshold)
        self.threshold = threshold
        self.top_events = top_events
        self.early_alerts = early_alerts
        self.on_row = on_row
        self.lifetime = pipeline.lifecycle_.lifetime_
        self.known_ids = frozenset(pipeline.parser_.known_ids or pipeline.parser_.template_map())
        self._known_array = np.fromiter(self.known_ids, dtype=np.int64)
        self.detector_keys = _detector_keys(pipeline.detector_)
        self.silence_profile = getattr(pipeline, "silence_profile_", None)
        self.silences_alerted: set[str] = set()  # silences alerted while running (`caught_up`)
        # a reader that reads every input to its end in rounds and says so after each
        # (`caught_up`): a value is quiet, so silent, after rounds without events, not pushes
        self.reads_in_rounds = False
        self._reset_stream()
        self.newest: datetime | None = None
        self.counters = EngineCounters()
        self.next_alert_id = 1
        self.early_alerted: set[str] = set()  # ids of running sessions alerted early
        self._pending: list[_Pending] = []
        self._seq = 0
        self._templates: dict[int, str] | None = None
        self._next_line: dict[str, int] = {}  # per source: the number of its next line
        self._seen_new: set[int] = set()  # keys of templates mined since the model was trained
        # closed sessions that may have begun before the stream (None: the model cannot tell)
        self.earlier_starts = pipeline.earlier_starts()
        # (source, line_no, line) of lines that did not fit the format; the caller clears it
        self.rejects: list[tuple[str, int, str]] = []

    def _reset_stream(self) -> None:
        self.parser: Parser = self.pipeline.log_parser(self.year)  # live lines: this year
        self.sessionizer = self._new_sessionizer()

    def _new_sessionizer(self, stats: Any = None) -> Any:
        """The bundle's sessionizer for a new stream; windows per value close by each value's
        own time (`WindowSessionizer.value_clock`) and, for a model that judges silences,
        record them."""
        sessionizer = self.settings.build(track_lines=True, stats=stats)
        if isinstance(sessionizer, WindowSessionizer):
            sessionizer.value_clock = True
            sessionizer.quiet_in_rounds = self.reads_in_rounds
            if self.silence_profile is not None:
                sessionizer.silence_record = SilenceRecord()
                sessionizer.stats.silences_judged = True
        return sessionizer

    # --- the stream -----------------------------------------------------------------------

    def push_lines(
        self, lines: Sequence[str], source: str = "-", first_line_no: int | None = None
    ) -> list[dict[str, Any]]:
        """Parse, sessionize and score `lines` (of input `source`, the first numbered
        `first_line_no`, default: after the last line pushed from `source`); the alerts."""
        events = self.parse_lines(lines, source, first_line_no)
        return [] if events is None else self.push_events(events, source)

    def parse_lines(
        self, lines: Sequence[str], source: str = "-", first_line_no: int | None = None
    ) -> pa.Table | None:
        """The events of `lines` (as `push_lines` numbers them), counted and their rejects
        kept; None when none was parsed. `push_events` then takes them, alone or merged in
        time order with other inputs' (`serving.merge`)."""
        if first_line_no is None:
            first_line_no = self._next_line.get(source, 1)
        self._next_line[source] = first_line_no + len(lines)
        if not lines:
            return None
        chunk = self.parser.process(list(lines), source, first_line_no)
        self.counters.lines_accepted += chunk.events.num_rows
        self.counters.lines_rejected += len(chunk.rejects)
        self.counters.lines_continuation += count_continuations(chunk.rejects)
        self.rejects.extend(chunk.rejects)
        return chunk.events if chunk.events.num_rows else None

    def push_events(self, events: pa.Table, where: str) -> list[dict[str, Any]]:
        """Sessionize and score parsed `events` (`parse_lines`; `where` names their input in
        errors); the alerts."""
        alerts: list[dict[str, Any]] = []
        if not events.num_rows:
            return alerts
        keys = events.column("template_id")
        ids = keys.drop_null().to_numpy()
        self.counters.events_new += int(np.count_nonzero(~np.isin(ids, self._known_array)))
        new = {int(k) for k in np.unique(ids)} - self.known_ids
        if new - self._seen_new:
            self._seen_new |= new
            self.counters.templates_new = len(self._seen_new)
        if new:  # (a template mined here widens as its lines come: QA Mesos, a log shipper's
            # alert named the first line's `executor 'batch_cache-warmup.<*>'`)
            self._templates = None
        stats = self.sessionizer.stats
        late_before, unmatched_before = stats.n_late, stats.n_in_no_session
        closed = self.sessionizer.push(events, where=where)
        self._saw(stats.last_event)  # any event: a line joining no session says time went on
        self.counters.events_late += stats.n_late - late_before
        self.counters.lines_unmatched += stats.n_in_no_session - unmatched_before
        if self.early_alerts:
            unseen = {int(k) for k in np.unique(ids)}  # this chunk's keys, read above
            unseen = {k for k in unseen if self._unseen(k)}
            if unseen:
                alerts += self._early(unseen)
        alerts += self._closed(closed)
        alerts += self._ended_silences()
        return alerts

    def read_in_rounds(self) -> None:
        """Say that the caller reads every input to its end in rounds and calls `caught_up`
        after each (`watch`): a value is then quiet after rounds without events, not after
        pushes of other inputs (`WindowSessionizer.quiet_in_rounds`)."""
        self.reads_in_rounds = True
        if isinstance(self.sessionizer, WindowSessionizer):
            self.sessionizer.quiet_in_rounds = True

    def caught_up(self) -> list[dict[str, Any]]:
        """Alerts for silences still running that are already longer than training allows
        (`SilenceProfile.judge`), once each, `early`: for a caller that has read every input
        to its end (`watch`, after each round of its files), so that a value whose clock lags
        the newest time wrote nothing, and is not merely in a file read later; not a value
        that wrote in this round (a file behind the others is not silent). A silence's
        windows get their score rows when it ends (the value writes again, or `flush`), as
        `score --logs` writes them. With `read_in_rounds`, the round ends here: the windows of
        values quiet for rounds close (their alerts too)."""
        profile, sessionizer = self.silence_profile, self.sessionizer
        if not isinstance(sessionizer, WindowSessionizer):
            return []
        early = []
        for silence in sessionizer.running_silences() if self.early_alerts and profile else ():
            key = _silence_key(silence)
            if key in self.silences_alerted or not profile.judge(silence):
                continue
            if self.reads_in_rounds and sessionizer.wrote_this_round(silence.value):
                continue  # behind the others, still writing: not silent (QA Zammad)
            self.silences_alerted.add(key)
            early.append(self._silence_alert(silence, early=True))
        self.counters.alerts_early += len(early)
        if not self.reads_in_rounds:
            return early
        return early + self._closed(sessionizer.end_round()) + self._ended_silences()

    def _ended_silences(self) -> list[dict[str, Any]]:
        """Score rows (to `on_row`) for the windows of the silences that ended, as `score
        --logs` writes them, and an alert for each flagged one not alerted while running."""
        record = getattr(self.sessionizer, "silence_record", None)
        if record is None or not record.silences:
            return []
        ended, record.silences = record.silences, []
        judged = [s for s in ended if self.silence_profile.judge(s)]
        if self.on_row is not None:
            for row in self.pipeline.rows_of_silences(judged):
                self.on_row(row)
        alerts = []
        for silence in judged:
            self.counters.silences_flagged += 1
            key = _silence_key(silence)
            if key in self.silences_alerted:
                self.silences_alerted.discard(key)
            else:
                alerts.append(self._silence_alert(silence, early=False))
        return alerts

    def _silence_alert(self, silence: Silence, early: bool) -> dict[str, Any]:
        """An alert for a silence: its first empty window's id, the windows it spans, why."""
        first, start, _ = next(silence.windows())
        end = silence.start + (silence.length - 1) * silence.step + silence.width
        who = "the log" if silence.value == WHOLE_LOG else repr(silence.value)
        since = silence.last_event.isoformat() + "Z" if silence.last_event else "its start"
        longest = self.silence_profile.longest(silence.value)
        flagged_from = self.silence_profile.flagged_from(silence.value)
        alert: dict[str, Any] = {
            "alert_id": self.next_alert_id,
            "session_id": first,
            "start": start.isoformat() + "Z",
            "end": end.isoformat() + "Z",
            "score_name": SILENCE,
            "score": silence.length,  # flagged when above the threshold, as a detector's
            "threshold": flagged_from - 1,
            "is_anomaly": True,
            "detector_flagged": False,
            "open": early,
            "early": early,
            "reason": (
                f"{who} wrote nothing for {silence.length:,} time windows"
                f"{' so far' if early else ''} (since {since}), longer than training allows (its "
                f"longest silence there {longest:,}, flagged from "
                f"{flagged_from:,})"
            ),
            "silence": silence_evidence(silence, self.silence_profile),
        }
        if getattr(self.pipeline, "model_id_", None) is not None:
            alert["model_id"] = self.pipeline.model_id_
        self.next_alert_id += 1
        self.counters.alerts += 1
        return alert

    def flush(self) -> list[dict[str, Any]]:
        """End of the stream: close every session still open and score every pending one,
        with the log's last event as the end (as at the end of a file). The engine then
        starts a new stream (new sessions) with the same counters and alert cursor, and the
        same sessionizing counts (`SessionizeStats`: its warnings cover the whole stream)."""
        alerts = self._closed(self.sessionizer.flush(), final=True)
        alerts += self._ended_silences()
        self.sessionizer = self._new_sessionizer(self.sessionizer.stats)
        self.early_alerted.clear()
        self.silences_alerted.clear()
        return alerts

    # --- state ----------------------------------------------------------------------------

    @property
    def sessions_open(self) -> int:
        """Sessions the sessionizer holds now (not closed)."""
        return self.sessionizer.n_open

    @property
    def sessions_pending(self) -> int:
        """Closed sessions waiting for their verdict (they may still be marked open)."""
        return len(self._pending)

    def lost_lines_warning(
        self, lines: int, rejected: int, unmatched: int, where: str, continuations: int = 0
    ) -> str | None:
        """`warning: ...` when most of `lines` (more than half, at least `MIN_LOST_LINES`)
        were lost to the model: `rejected` do not fit its log format (`continuations` of them
        look like continuation lines of multi-line records), `unmatched` fit it but joined no
        session; None otherwise. Counters alone are not enough: logs of another kind give no
        session and no alert, and a detector that says nothing looks healthy.

        Rejects that are mostly the rest of multi-line records (stack traces) are said in the
        words of `score --logs` (`records_hint`), and when the format reads the records
        themselves the logs are not blamed (QA: POST /v1/score called a log of tracebacks
        lines that "do not fit the model's log format", to check against the training logs)."""
        lost = rejected + unmatched
        if lost < MIN_LOST_LINES or lost * 2 <= lines:
            return None
        hint = records_hint(continuations, rejected)
        parts = []
        if rejected:
            parts.append(
                hint or f"{rejected:,} do not fit the model's log format {self.format_name()}"
            )
        if unmatched:
            more = "more " if rejected else ""
            fit = "fit the model's log format" if hint else "fit it"
            parts.append(f"{unmatched:,} {more}{fit} but {self._unmatched_reason()}")
        text = f"warning: {where}: {lost:,} of {lines:,} lines were not scored: "
        text += " and ".join(parts)
        if not unmatched and fits_records(rejected, lines, 0, continuations):
            return text  # the records fit: what to do about their rest, the hint says
        trained = self._training_share_in_no_session()
        if trained is not None and rejected * 10 <= lines and unmatched <= lines * (trained + 0.1):
            # as in training: the logs are the model's (QA Swift: the replicators' lines, 70%
            # of both, were "check that these are the logs the model was trained on")
            return (
                f"{text}, as in training ({trained:.0%} of its events joined no session): no "
                "detector judges those lines; a second model by time windows (--window) does"
            )
        return (
            f"{text}. Check that these are the logs the model was trained on (`logbert parse "
            "FILE --format auto` names the format that fits them), or use a model trained on "
            "this kind of log"
        )

    def _training_share_in_no_session(self) -> float | None:
        """The share of training's events that joined no session (None: a model from before
        it was kept, or trained on a sessions file)."""
        training = getattr(self.pipeline, "training_", None) or {}
        read, lost = training.get("events_read"), training.get("events_in_no_session")
        return lost / read if read and lost is not None else None

    def format_name(self) -> str:
        """The model's log format as its parser resolved it (`hadoop` for `--format auto`)."""
        return format_name(self.parser)

    def _unmatched_reason(self) -> str:
        s = self.settings
        if s.by_id is not None:
            return f"named no session id (--by-id {s.by_id})"
        if s.by_field is not None and s.window is not None:
            return f"had no {s.by_field} value or no timestamp"
        if s.by_field is not None:
            return f"had no {s.by_field} value"
        return "had no timestamp (time windows need one)"

    def late_warning(self, late: int, where: str) -> str:
        """`warning: ...` for `late` events that came after their time window had closed
        (counted in `events_late`, never scored)."""
        return (
            f"warning: {where}: {late:,} events came after their time window had closed and "
            "were not scored: the lines arrive out of time order (several hosts or files "
            "interleaved?); send each source in time order (or to its own model), or score "
            "the files in batch (`logbert score MODEL FILES --logs` sorts them by time)"
        )

    def earlier_starts_warning(self, advice: str) -> str | None:
        """`warning: ...` when many closed sessions may have begun before the stream did
        (`pipeline.logs.EarlierStarts`; `advice` says what to do where it is printed)."""
        return None if self.earlier_starts is None else self.earlier_starts.warning(advice)

    def merges_inputs(self, n_inputs: int) -> bool:
        """Whether `n_inputs` watched inputs are merged into one stream in time order
        (`serving.merge`) for this model: its sessions take events of several inputs in time
        order (`--order time` by id or field, or time windows not per input file, which close
        by each file's own time: `WindowSessionizer.value_clock`). One input after another cut
        such sessions where an input's lines ended (QA Longhorn: six pod files, every volume
        two sessions, 478 alerts where `score --logs` flagged 19; QA Mesos: a task's master and
        agent lines, 0 of 192 sessions scored) and made the lines of an input read after one
        reaching later late (QA Portainer: 3,009 of an edge agent's 3,051 events unscored)."""
        s = self.settings
        if n_inputs < 2 or s.lines is not None or (s.order != "time" and s.window is None):
            return False
        return not (s.window is not None and s.by_field == SOURCE_FIELD)

    def inputs_merge_note(self, n_inputs: int) -> str | None:
        """`note: ...` on how `merges_inputs` reads the inputs (None where it does not)."""
        if not self.merges_inputs(n_inputs):
            return None
        why = (
            "its time windows hold the events of several inputs"
            if self.settings.window is not None
            else "its sessions take the events of several inputs in time order (--order time)"
        )
        return (
            f"note: watch merges its {n_inputs} inputs into one stream in time order, as "
            f"`score --logs` reads them, since {why}: each input's lines wait until every "
            "input still being read has reached their time; a line that comes after later "
            "lines of the others were judged is late"
        )

    def verdict_note(self, flush: str) -> str | None:
        """`note: ...` on when a session gets its verdict in a stream, for sessions by id or
        field value (None for windows and line counts, which close by themselves). `flush`
        names what ends the stream (e.g. "POST /v1/flush"). A closed session waits until the
        log has moved the model's session lifetime past its start, the rule of `score
        --logs`; with a long lifetime (14 h on HDFS) and a short idle timeout that is long
        after the session went quiet, and a user must know it."""
        s = self.settings
        if s.window is not None or s.lines is not None:
            return None
        kind = f"by id {s.by_id}" if s.by_id is not None else f"by {s.by_field}"
        if s.idle_timeout is None:
            # a value to start from (QA Sendmail: a day of mail, 0 of 2,546 sessions judged,
            # the note's DURATION left to guess): a session quiet for twice the model's
            # lifetime is past any gap inside 99% of normal ones, and a slow failure's wait
            # (a timeout) is not cut short by a lifetime of milliseconds (QA Zipkin: `1s`
            # split each slow failure into two alerts that disagreed)
            example = (
                "DURATION" if self.lifetime is None
                else _duration_option(max(IDLE_LIFETIMES * self.lifetime, IDLE_MIN_SECONDS))
            )  # fmt: skip
            text = (
                f"note: the sessions ({kind}, no idle timeout) close only at {flush}: alerts "
                f"come early (unseen templates) or then; pass --idle-timeout {example} to close "
                "sessions quiet that long (in log time) as the stream goes"
                + (
                    "" if self.lifetime is None
                    else " (twice the model's session lifetime, a minute at least)"
                )  # fmt: skip
            )
        else:
            text = f"note: sessions ({kind}) close after {s.idle_timeout} without a line (log time)"
        if self.lifetime is None:
            return text + ("" if s.idle_timeout is None else " and are judged at once")
        return text + (
            "; a closed session is judged once the log has moved "
            f"{readable_duration(self.lifetime)} "
            "(the model's session lifetime: 99% of normal sessions end within it) past its "
            "start, as `score --logs` judges it (a session cut short before that is not "
            f"judged on its missing end); until then it waits (sessions_pending), and {flush} "
            "judges every one"
        )

    def metrics(self) -> dict[str, Any]:
        """Counters plus gauges, plain JSON."""
        return {
            **asdict(self.counters),
            "templates_known": len(self.known_ids),
            "sessions_open": self.sessions_open,
            "sessions_pending": self.sessions_pending,
            "newest": _iso(self.newest),
            "next_alert_id": self.next_alert_id,
        }

    def snapshot(self) -> dict[str, Any]:
        """Plain JSON of everything needed to resume exactly: the templates mined since the
        parser was frozen, the sessionizer's open sessions, the pending sessions, the newest
        time, the counters, the alert cursor, the ids alerted early and the line cursors."""
        return {
            "version": SNAPSHOT_VERSION,
            "settings": self.settings.to_dict(),
            "parser_new": _new_miner_state(self.parser),
            "seen_new": sorted(self._seen_new),
            "sessionizer": self.sessionizer.snapshot(),
            "pending": [
                {"seq": p.seq, "early": p.early, "session": _session_json(p.session)}
                for p in self._pending
            ],
            "seq": self._seq,
            "newest": _iso(self.newest),
            "counters": asdict(self.counters),
            "next_alert_id": self.next_alert_id,
            "early_alerted": sorted(self.early_alerted),
            "silences_alerted": sorted(self.silences_alerted),
            "next_line": dict(self._next_line),
            "earlier_starts": self.earlier_starts and self.earlier_starts.to_dict(),
        }

    def restore(self, state: dict[str, Any]) -> DetectionEngine:
        """Continue from `snapshot()` output (taken with the same model); returns self."""
        if not isinstance(state, dict) or state.get("version") != SNAPSHOT_VERSION:
            raise LogbertError(
                f"not a detection engine snapshot of version {SNAPSHOT_VERSION}: start without "
                "the saved state (or remove it)"
            )
        if state.get("settings") != self.settings.to_dict():
            raise LogbertError(
                f"the saved engine state was taken with other session settings "
                f"({state.get('settings')}) than now ({self.settings.to_dict()}): remove the "
                "state directory or use the same model and options"
            )
        try:
            self._reset_stream()
            _restore_new_miner(self.parser, state["parser_new"])
            self.sessionizer.restore(state["sessionizer"])
            self._seen_new = {int(k) for k in state["seen_new"]}
            self._pending = [
                _Pending(
                    _session_from_json(p["session"]).start,
                    int(p["seq"]),
                    _session_from_json(p["session"]),
                    bool(p["early"]),
                )  # fmt: skip
                for p in state["pending"]
            ]
            heapq.heapify(self._pending)
            self._seq = int(state["seq"])
            self.newest = _from_iso(state["newest"])
            self.counters = EngineCounters(**state["counters"])
            self.next_alert_id = int(state["next_alert_id"])
            self.early_alerted = set(state["early_alerted"])
            self.silences_alerted = set(state.get("silences_alerted", []))  # (kept since 60)
            self._next_line = {str(k): int(v) for k, v in state["next_line"].items()}
            starts = state.get("earlier_starts")  # absent in snapshots from before it was kept
            if self.earlier_starts is not None and starts is not None:
                self.earlier_starts.restore(starts)
        except (KeyError, TypeError, ValueError) as exc:
            raise LogbertError(
                f"the saved engine state is incomplete, corrupt or from another model's parser "
                f"({exc!r}): use the model that wrote it, or start without it (remove the state "
                "directory or pass another one)"
            ) from exc
        self._templates = None
        return self

    # --- internals ------------------------------------------------------------------------

    def _unseen(self, key: int) -> bool:
        if key not in self.known_ids:
            return True
        return self.detector_keys is not None and key not in self.detector_keys

    def templates(self) -> dict[int, str]:
        """Template text per key, the templates mined in this stream included."""
        if self._templates is None:
            self._templates = self.parser.template_map()
        return self._templates

    def _early(self, unseen: set[int]) -> list[dict[str, Any]]:
        sessions = [
            s for s in self.sessionizer.peek(unseen) if s.session_id not in self.early_alerted
        ]
        if not sessions:
            return []
        rows = self._score(sessions, self.newest)  # (still running: open against the newest
        # event, as `flush` judges them; a window's end is its clock's, no event's)
        alerts = []
        templates = self.templates()
        for session, row in zip(sessions, rows, strict=True):
            key = next(k for k in session.keys if k in unseen)
            self.early_alerted.add(session.session_id)
            reason = self._unseen_reason(key, templates.get(key))
            alerts.append(self._alert(row, early=True, reason=reason))
        self.counters.alerts_early += len(alerts)
        return alerts

    def _unseen_reason(self, key: int, text: str | None) -> str:
        """Why a session is alerted early, in the words of the run's summary: a template the
        model's parser did not know is counted there as new; a key the parser knew but the
        detector never saw in training (e.g. only in the labelled anomalies left out) is not a
        new template, and saying "unseen template" beside "0 new templates" misled."""
        if key in self.known_ids:
            return f"key {key} never seen in training: {text}"
        return f"new template {key}: {text}"

    def _closed(self, sessions: list[Session], final: bool = False) -> list[dict[str, Any]]:
        early = {}
        for session in sessions:  # (`newest` moves with events, `push`: not with a time
            # window's end, its clock's, which would make the window a flush cuts whole: QA
            # Tinyproxy, a window of one line alerted, `open: false`, whenever watch stopped)
            early[id(session)] = session.session_id in self.early_alerted
            self.early_alerted.discard(session.session_id)
        self.counters.sessions_closed += len(sessions)
        if self.earlier_starts is not None:
            for session in sessions:
                self.earlier_starts.add(session)
        ready: list[tuple[Session, bool]] = []
        for session in sessions:
            if self.lifetime is None or session.start is None:
                ready.append((session, early[id(session)]))  # never open: any end will do
            else:
                heapq.heappush(self._pending, _Pending(session.start, self._seq, session,
                                                       early[id(session)]))  # fmt: skip
                self._seq += 1
        while self._pending and (final or self._finished(self._pending[0].start)):
            item = heapq.heappop(self._pending)
            ready.append((item.session, item.early))
        if not ready:
            return []
        rows = self._score([s for s, _ in ready], self.newest)
        alerts = []
        for (_, early_done), row in zip(ready, rows, strict=True):
            self.counters.sessions_scored += 1
            self.counters.sessions_flagged += bool(row["is_anomaly"])
            self.counters.sessions_open_scored += bool(row.get("open"))
            if self.on_row is not None:
                self.on_row(row)
            if row["is_anomaly"] and not early_done:
                alerts.append(self._alert(row, early=False, reason=self._reason(row)))
        return alerts

    def _saw(self, when: datetime | None) -> None:
        """Move `newest` to `when` if it is later."""
        if when is not None and (self.newest is None or when > self.newest):
            self.newest = when

    def _finished(self, start: datetime) -> bool:
        return self.newest is not None and (self.newest - start).total_seconds() >= self.lifetime

    def _score(self, sessions: list[Session], end: datetime | None) -> list[dict[str, Any]]:
        return self.pipeline.score(
            sessions,
            end=end,
            threshold=self.threshold,
            top_events=self.top_events,
            templates=self.templates(),
        )

    def _reason(self, row: dict[str, Any]) -> str:
        """Why a closed session is alerted; a combination's names the parts past their own
        thresholds (QA Monit: `score 0.625 > threshold 0` said not that `length` flagged)."""
        name = self.info.score
        reason = f"{name} {row[name]:.6g} > threshold {self.info.value:.6g}"
        parts = row.get("parts_flagging")
        if parts:
            reason += f" ({', '.join(parts)} past {'its' if len(parts) == 1 else 'their'} own)"
        return reason

    def _alert(self, row: dict[str, Any], early: bool, reason: str) -> dict[str, Any]:
        name = self.info.score
        alert: dict[str, Any] = {
            "alert_id": self.next_alert_id,
            "session_id": row["session_id"],
            "start": row.get("start"),
            "end": row.get("end"),
            "score_name": name,
            "score": row[name],
            "threshold": self.info.value,
            "is_anomaly": True,
            "detector_flagged": bool(row["is_anomaly"]),
        }
        if "p_value" in row:
            alert["p_value"] = row["p_value"]
        alert["open"] = bool(row.get("open", early))
        alert["early"] = early
        alert["reason"] = reason
        alert["scores"] = {n: row[n] for n in self.pipeline.detector_.score_names}
        if "parts_flagging" in row:  # (a combination's parts, as score rows name them)
            alert["parts_flagging"] = row["parts_flagging"]
        if row.get("model_id") is not None:  # the model that wrote it, as in score rows
            alert["model_id"] = row["model_id"]
        alert["top_events"] = row.get("top_events", [])
        self.next_alert_id += 1
        self.counters.alerts += 1
        return alert


def _require_log_reader(pipeline: Pipeline, model_dir: str | Path | None) -> None:
    """Refuse a bundle that cannot read log lines, naming the reason (`Pipeline.
    require_log_reader`); a model directory without pipeline.json is named first: a file lost
    in copying is not a model trained on sessions."""
    if pipeline.reads_logs and pipeline.sessionizer is not None:
        return
    directory = None if model_dir is None else model_directory(model_dir)
    if directory is not None and not (directory / PIPELINE_FILE).is_file():
        raise LogbertError(
            f"{directory} has no {PIPELINE_FILE} (the log format and session settings): the "
            "file is missing; copy the whole model directory again (or retrain it with "
            "`logbert train --logs`)"
        )
    pipeline.require_log_reader()


def _silence_key(silence: Silence) -> str:
    """A silence's name while it runs and once it ended: its value and first empty window."""
    return f"{silence.value}@{silence.start.isoformat()}"


def _detector_keys(detector: Any) -> frozenset[int] | None:
    """The keys the detector saw in training, when it keeps them (its `vocab_`)."""
    vocab = getattr(detector, "vocab_", None)
    if vocab is None:
        return None
    keys = getattr(vocab, "keys", vocab)
    try:
        return frozenset(int(k) for k in keys)
    except TypeError:
        return None


def _new_miner_state(parser: Parser) -> dict | None:
    miner = parser.miner
    return miner.new.to_state() if isinstance(miner, FrozenMiner) else None


def _restore_new_miner(parser: Parser, state: dict | None) -> None:
    if state is None:
        return
    if not isinstance(parser.miner, FrozenMiner):
        raise LogbertError("the saved engine state has mined templates but the parser has none")
    known = parser.miner.known
    parser.miner = FrozenMiner(known, miner_class(known.name).from_state(state))


def _iso(when: datetime | None) -> str | None:
    return None if when is None else when.isoformat()


def _from_iso(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _session_json(session: Session) -> dict[str, Any]:
    return {
        "session_id": session.session_id,
        "keys": list(session.keys),
        "label": session.label,
        "start": _iso(session.start),
        "end": _iso(session.end),
        "n_lines": session.n_lines,
        "lines": None if session.lines is None else [list(x) for x in session.lines],
    }


def _session_from_json(data: dict[str, Any]) -> Session:
    lines = data["lines"]
    return Session(
        session_id=data["session_id"],
        keys=[int(k) for k in data["keys"]],
        label=data["label"],
        start=_from_iso(data["start"]),
        end=_from_iso(data["end"]),
        n_lines=data["n_lines"],
        lines=None if lines is None else [(str(s), int(n)) for s, n in lines],
    )
