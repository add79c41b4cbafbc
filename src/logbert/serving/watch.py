"""`logbert watch`: files (or stdin) through a `DetectionEngine`, alerts out as JSON lines.

Without `follow` each input is read to its end, in order, then the engine is flushed (but with
a state directory, below): the verdicts of `logbert score MODEL --logs FILE...` on the same
files. With `follow` the inputs
are polled every `poll` seconds as they grow (`FollowedFile`: rotation and truncation
handled) until `stop` is set (SIGINT/SIGTERM in the CLI), `max_seconds` have passed, or
nothing new came for `idle_exit` seconds.

State (`state_dir/state.json`, written atomically after each batch): the fingerprint of the
model it belongs to (`model_fingerprint`, as `serve` records), each input's position (device,
inode, byte offset, next line number, hash of its first bytes, size) and the engine's
snapshot, together, so a restart neither skips nor repeats a line. A state of another model
is refused, naming what changed (weights, parser, session settings: `wal.check_resume`): its
open sessions hold that model's template ids, which this model would read as other templates
and judge wrongly; a state that records no model (written before the fingerprint was kept)
cannot be checked and is refused too, with the way out. A model whose threshold alone changed
(`logbert calibrate`) resumes, with a note: the sessions and positions mean the same to it.
Starting over with an alerts file that already holds alerts is a warning: ids repeat. Alerts are
written (and flushed) before the state that follows them is saved; after a crash in between,
the lines are read again and give the same alerts with the same ids, and the ones already in
the alerts file are not written twice.

On exit with a state directory, open sessions stay in the state for the next run, followed or
not (QA Tinyproxy: a run without `--follow` closed and scored the window being written, then
the next run scored its rest as a session of its own); without one, or with `final` (the inputs
are complete), they are closed and scored (as at the end of a file), since they would be lost
otherwise.

`Watcher.report` words the end: this run's counts (after a resume the totals since the state
was started follow, so lines and alerts are never counted on different bases), the sessions
still open or waiting for their verdict, warnings when most lines were lost to the model
(another log format, no session id) or came too late for their time window, and the
sessionizer's warnings of `score --logs` (sessions out of time order, ...) that a run before
this one of the same state did not give already.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa

from logbert.errors import LogbertError
from logbert.parsing.reader import STDIN, name_files, source_names
from logbert.pipeline import model_directory
from logbert.pipeline.logs import mostly_unseen_warning, quoted_format_name
from logbert.serving.engine import DetectionEngine
from logbert.serving.follow import FollowedFile
from logbert.serving.merge import TimeMerge
from logbert.serving.wal import ModelIdentity, check_resume
from logbert.sessions.io import check_output_path, create_output_folder
from logbert.sessions.window_sessions import SOURCE_FIELD

STATE_FILE = "state.json"
STATE_VERSION = 1
TAIL_BYTES = 1 << 16  # read from the end of an alerts file to find its last alert id
# what starting over costs (said when a state cannot be resumed)
START_OVER = (
    "Pass another --state-dir (or remove that one) to start over: the logs are then read "
    "again from their start and their alerts written again, with ids from 1, so pass a new "
    "--alerts file too"
)


class AlertSink:
    """Alerts as JSON lines, appended to a file (or written to `stream`), flushed at once.

    `skip_from`/`skip_through`: ids already in the file (written after the last saved state,
    before a crash) that a resumed run produces again; they are not written twice."""

    def __init__(self, path: Path | None, stream: TextIO | None = None) -> None:
        self.path = path
        self.count = 0
        self.skip_from, self.skip_through = 0, 0
        if path is None:
            self.handle: TextIO = stream or sys.stdout
            self.owned = False
            return
        if path.is_dir():
            raise LogbertError(f"--alerts {path} is a folder: pass a file such as alerts.jsonl")
        if not path.parent.is_dir():
            raise LogbertError(f"--alerts {path}: its folder {path.parent} does not exist")
        self.handle = open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.owned = True

    def last_id(self) -> int:
        """The highest alert id already in the file (0 when none)."""
        if self.path is None or not self.path.exists():
            return 0
        with open(self.path, "rb") as handle:
            handle.seek(max(0, handle.seek(0, os.SEEK_END) - TAIL_BYTES))
            tail = handle.read().decode("utf-8", errors="replace").splitlines()
        for line in reversed(tail):
            try:
                return int(json.loads(line)["alert_id"])
            except (ValueError, KeyError, TypeError):
                continue
        return 0

    def write(self, alerts: list[dict[str, Any]]) -> None:
        out = [a for a in alerts if not self.skip_from <= a["alert_id"] <= self.skip_through]
        if out:
            self.handle.write("".join(json.dumps(a, default=str) + "\n" for a in out))
            self.handle.flush()
            self.count += len(out)

    def close(self) -> None:
        if self.owned:
            self.handle.close()


@dataclass
class WatchOptions:
    """How to watch. `model_dir` (the engine's model) is needed with `state_dir`: the state
    records its fingerprint, and a state of another model is refused."""

    follow: bool = False
    state_dir: Path | None = None
    poll: float = 1.0
    batch_lines: int = 10_000
    max_seconds: float | None = None
    idle_exit: float | None = None
    rejects: Path | None = None
    model_dir: Path | None = None
    final: bool = False  # the inputs are complete: judge every session at the end, state or not

    def validate(self) -> None:
        """Refuse values that would make the loop spin, never stop, or stop at once, each
        naming its own option."""
        if not self.poll > 0:
            raise LogbertError(f"--poll {self.poll:g}: give the seconds between checks, above 0")
        if self.batch_lines < 1:
            raise LogbertError(f"--batch-lines {self.batch_lines}: give at least 1 line per batch")
        for name, value in (("--max-seconds", self.max_seconds), ("--idle-exit", self.idle_exit)):
            if value is not None and not value > 0:
                raise LogbertError(
                    f"{name} {value:g}: give a number of seconds above 0 (leave {name} out to "
                    "keep watching until stopped)"
                )
        for name, value in (("--max-seconds", self.max_seconds), ("--idle-exit", self.idle_exit)):
            if value is not None and not self.follow:  # it would be ignored: say so
                raise LogbertError(
                    f"{name} applies only with --follow (without it watch stops at the end of "
                    f"its input): add --follow, or leave {name} out"
                )
        if self.rejects is not None:  # a folder or a file in the way, before any line is read
            check_output_path(self.rejects, "--rejects file")
        if self.state_dir is not None and self.model_dir is None:
            raise ValueError("WatchOptions.state_dir needs model_dir (the state records it)")


@dataclass
class WatchSummary:
    """What one run did; `start` holds the engine's counters when it began (after a resume:
    those of the runs before), so this run's counts are the difference."""

    lines: int = 0
    batches: int = 0
    stopped_by: str = "end of input"
    notes: list[str] = field(default_factory=list)
    resumed: bool = False
    start: dict[str, int] = field(default_factory=dict)


def check_inputs(inputs: list[str], follow: bool) -> None:
    """Refuse inputs that cannot be watched, before anything is loaded or read: none, stdin
    twice, a name twice, a folder, a missing file without --follow, a missing folder with it
    (a typo would watch nothing forever)."""
    if not inputs:
        raise LogbertError("pass at least one log file (or - for stdin)")
    if inputs.count(STDIN) > 1:
        raise LogbertError("stdin (-) can be read only once: pass it a single time")
    if len(set(inputs)) != len(inputs):
        raise LogbertError("a log file is named twice: pass each once")
    for name in inputs:
        if name == STDIN:
            continue
        if Path(name).is_dir():  # (without --follow the CLI reads a folder's files)
            folder = name.rstrip("/") or "/"  # (`live/`: QA Mailman, `live//*.log` advised)
            raise LogbertError(
                f"log file {name} is a folder: --follow follows files, which a folder's "
                f"rotation would read twice; pass its current logs (e.g. {folder}/*.log, or "
                f"{folder}/*/*.log for a folder per host), or - for stdin"
            )
        if not follow and not Path(name).is_file():
            raise LogbertError(f"log file {name} not found: check the path")
        FollowedFile(name, follow).check_folder()


class Watcher:
    """Runs the loop; `run(stop)` returns a `WatchSummary` (see the module doc)."""

    def __init__(
        self,
        engine: DetectionEngine,
        inputs: list[str],
        sink: AlertSink,
        options: WatchOptions,
        say: Callable[[str], None] | None = None,
    ) -> None:
        check_inputs(inputs, options.follow)
        options.validate()
        self.engine = engine
        engine.read_in_rounds()  # every input to its end, then `caught_up` (`run`)
        self.files = [
            FollowedFile(path, options.follow, source=name)
            for path, name in zip(inputs, _input_names(engine, inputs), strict=True)
        ]
        self.sink = sink
        self.options = options
        self.say = say or (lambda _line: None)
        self.summary = WatchSummary()
        self._rejects = None
        # several inputs of a model whose sessions take them in time order: one stream
        self.merge = TimeMerge() if engine.merges_inputs(len(self.files)) else None
        self._model_record: dict[str, Any] | None = None  # computed once, saved each batch
        # said on resuming when the model's threshold changed since the state was written
        self.threshold_note: str | None = None
        # sessionizer warnings a run before this one gave (`_said`: their kind and count)
        self._said_before: set[tuple[str, str]] = set()
        if options.state_dir is not None:
            if options.state_dir.exists() and not options.state_dir.is_dir():
                raise LogbertError(f"--state-dir {options.state_dir} is a file, not a folder")
            create_output_folder(options.state_dir, "--state-dir", directory=True)

    # --- state ----------------------------------------------------------------------------

    @property
    def state_path(self) -> Path | None:
        d = self.options.state_dir
        return None if d is None else d / STATE_FILE

    def load_state(self) -> bool:
        """Resume from the state directory (True when there was a state)."""
        path = self.state_path
        if path is None or not path.exists():
            return False
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            if state.get("version") != STATE_VERSION:
                raise ValueError(f"version {state.get('version')}")
            positions = state["files"]
            engine = state["engine"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise LogbertError(
                f"{path} is not a watch state ({exc}): remove it to start over"
            ) from exc
        self._check_model(state.get("model"))
        self._check_threshold(state.get("judged_at"))
        self.engine.restore(engine)
        for followed in self.files:
            if followed.path in positions:
                followed.resume(positions[followed.path])
        last = self.sink.last_id()
        if last >= self.engine.next_alert_id:  # written after the state was saved
            if self.threshold_note:  # the lines read again are judged anew: new ids
                self.engine.next_alert_id = last + 1
            else:  # the same alerts again
                self.sink.skip_from, self.sink.skip_through = self.engine.next_alert_id, last
        return True

    def _check_threshold(self, judged_at: float | None) -> None:
        """A note when this run judges by another threshold than the state's runs did while
        the model's stayed the same: a `--threshold` given then and not now, or the other way
        round (the model's own change is `check_resume`'s note)."""
        now = self.engine.info.value
        if judged_at is None or self.threshold_note is not None or judged_at == now:
            return
        self.threshold_note = (
            f"note: this run judges by threshold {now:.6g}, the runs of this state by "
            f"{judged_at:.6g} (--threshold given to one of them): alerts from here on follow "
            f"{now:.6g}"
        )

    def _model(self) -> ModelIdentity:
        """The model the state belongs to: its fingerprint and parts (`serve`'s)."""
        assert self.options.model_dir is not None
        return ModelIdentity.of(model_directory(self.options.model_dir))

    def _check_model(self, stored: Any) -> None:
        """Refuse a state saved with another model, or one that does not say which; say so
        when the model's threshold alone changed (the state goes on with the new one)."""
        where = f"--state-dir {self.options.state_dir}"
        mine = self._model()
        recorded = ModelIdentity.from_dict(stored)
        if recorded is None:
            raise LogbertError(
                f"{where} records no model (it was saved by an earlier logbert), so it cannot "
                f"be checked against {mine.dir}: its open sessions hold the template ids of "
                f"the model that wrote it. {START_OVER}"
            )
        self.threshold_note = check_resume(where, recorded, mine, START_OVER)

    def save_state(self) -> None:
        path = self.state_path
        if path is None:
            return
        if self._model_record is None:
            self._model_record = self._model().to_dict()
        state = {
            "version": STATE_VERSION,
            "saved_at": time.time(),
            "model": self._model_record,
            "judged_at": self.engine.info.value,  # the threshold this run judged by
            "files": {f.path: f.position() for f in self.files if f.path != STDIN},
            "engine": self.engine.snapshot(),
        }
        write_json_atomic(path, state)

    # --- the loop -------------------------------------------------------------------------

    def run(self, stop: threading.Event | None = None) -> WatchSummary:
        stop = stop or threading.Event()
        options = self.options
        resumed = self.load_state()
        # the sessionizer's counts go on from the state: what they said then is not said again
        self._said_before = {_said(w) for w in self._sessionize_warnings()}
        if resumed:
            self.say(f"resuming from {self.state_path}")
            if self.threshold_note is not None:
                self.say(self.threshold_note)
            self.summary.resumed = True
        elif last := self.sink.last_id():
            keep = (
                "" if options.state_dir is not None else " (or keep a --state-dir from run to run)"
            )
            self.say(
                f"warning: --alerts {self.sink.path} already holds alerts (ids up to {last}) and "
                "this run starts anew, numbering its alerts from 1, so ids repeat in it: pass a "
                f"new --alerts file{keep}"
            )
        self.summary.start = asdict(self.engine.counters)
        started = last_new = time.monotonic()
        try:
            while True:
                progressed = False
                if self.merge is not None:  # the inputs as one stream in time order
                    progressed = self._drain_merged(stop)
                for followed in self.files if self.merge is None else ():
                    if options.follow:
                        progressed |= self._drain(followed, stop)
                    else:  # one after the other, each to its end
                        while not followed.finished and not stop.is_set():
                            self._drain(followed, stop, wait=0.1)
                    self._notes(followed)
                    if stop.is_set():
                        break
                else:  # every file read to its end: a value quiet by now is silent
                    silent = self.engine.caught_up()
                    if silent:
                        self.sink.write(silent)
                        self.save_state()
                now = time.monotonic()
                if progressed:
                    last_new = now
                if not options.follow:
                    self.summary.stopped_by = "end of input"
                    break
                if stop.is_set():
                    self.summary.stopped_by = "stop request"
                    break
                if options.max_seconds is not None and now - started >= options.max_seconds:
                    self.summary.stopped_by = f"--max-seconds {options.max_seconds:g}"
                    break
                if options.idle_exit is not None and now - last_new >= options.idle_exit:
                    self.summary.stopped_by = f"--idle-exit {options.idle_exit:g}"
                    break
                if all(f.finished for f in self.files):  # stdin closed
                    break
                if not progressed:
                    stop.wait(options.poll)
            if options.state_dir is None or options.final:
                self.sink.write(self.engine.flush())
            self.save_state()
        finally:
            for followed in self.files:
                followed.close()
            if self._rejects is not None:
                self._rejects.close()
        return self.summary

    def _run_count(self, name: str) -> int:
        """This run's share of one of the engine's counters."""
        return int(self.engine.metrics()[name]) - int(self.summary.start.get(name, 0))

    def unfit_error(self) -> str | None:
        """The error for a run in which no line read fits the model's log format (the CLI
        exits 2 with it, as `score --logs` does): logs of another kind give no session and no
        alert, and a watch that ends quietly looks like one that found nothing wrong."""
        lines = self.summary.lines
        if lines == 0 or self._run_count("lines_rejected") < lines:
            return None
        where = name_files([f.source for f in self.files])
        fmt = quoted_format_name(self.engine.parser)
        return (
            f"no line of {where} fits the model's log format {fmt} "
            f"({lines:,} lines rejected): watch logs written like the model's training logs "
            "(`logbert parse FILE --format auto` names the format that fits them), or train a "
            "model on these"
        )

    def report(self) -> list[str]:
        """The lines to print when the run ends (see the module doc): the summary, then a
        warning when most lines were lost to the model or came too late for their window
        (none when no line fit: `unfit_error` says that)."""
        engine, summary = self.engine, self.summary
        now = engine.metrics()
        run = self._run_count

        unmatched = run("lines_unmatched")
        missed = "matched no session id" if engine.settings.by_id is not None else "in no session"
        kept = ""
        if self.options.state_dir is not None and (now["sessions_open"] or now["sessions_pending"]):
            kept = f", kept in {self.options.state_dir} for the next run"
        text = (
            f"{'this run: ' if summary.resumed else ''}{summary.lines:,} lines read "
            f"({run('lines_rejected'):,} rejected, "
            + (f"{unmatched:,} {missed}, " if unmatched else "")
            + f"{run('templates_new'):,} new templates); {run('sessions_scored'):,} sessions "
            f"scored, {run('sessions_flagged'):,} anomalous"
            + (
                f", {silent:,} silence{'s' if silent > 1 else ''} flagged"
                if (silent := run("silences_flagged"))
                else ""
            )
            + f"; {run('alerts'):,} alerts "
            f"({run('alerts_early'):,} early); {now['sessions_open']:,} sessions open and "
            f"{now['sessions_pending']:,} closed, not yet judged{kept}; stopped by "
            f"{summary.stopped_by}"
        )
        if summary.resumed:
            total = now["lines_accepted"] + now["lines_rejected"]
            text += (
                f"; in total since {self.options.state_dir} was started: {total:,} lines read, "
                f"{now['alerts']:,} alerts"
            )
        lines = [text]
        where = name_files([f.source for f in self.files])
        lost = engine.lost_lines_warning(
            summary.lines, run("lines_rejected"), unmatched, where, run("lines_continuation")
        )
        if lost and self.unfit_error() is None:
            lines.append(lost)
        if run("events_late"):
            lines.append(engine.late_warning(run("events_late"), where))
        unseen = mostly_unseen_warning(run("events_new"), run("lines_accepted"))
        if unseen:  # QA: a model of another component alerted every session, early
            lines.append(unseen)
        began = engine.earlier_starts_warning(
            "Watch the earlier file too, oldest first"
            + (
                ""
                if self.options.state_dir is not None
                else ", or keep one --state-dir from run to run so that sessions carry over"
            )
        )
        if began:
            lines.append(began)
        lines += [w for w in self._sessionize_warnings() if _said(w) not in self._said_before]
        timeout = engine.settings.idle_timeout
        reopened = None if timeout is None else engine.sessionizer.stats.reopened_warning(timeout)
        if reopened:
            lines.append(reopened)
        flagged = engine.pipeline.flag_rate_note(
            run("sessions_flagged"), run("sessions_scored"), engine.threshold
        )
        if flagged:
            lines.append(flagged)
        return lines

    def _sessionize_warnings(self) -> list[str]:
        """The sessionizer's warnings, as `score --logs` prints them (`SessionizeStats.
        warnings`: sessions out of time order, a --by-id regex that matches fixed text or
        several ids, ...), less the two the engine words for this run itself (`late_warning`,
        and `lost_lines_warning` for lines naming no id)."""
        stats, pattern = self.engine.sessionizer.stats, self.engine.settings.by_id
        worded = (stats.late_warning(), stats.unmatched_warning(pattern))
        return [w for w in stats.warnings(pattern) if w not in worded]

    def _drain(self, followed: FollowedFile, stop: threading.Event, wait: float = 0.0) -> bool:
        """Every batch `followed` has now (until `stop`); whether there was any."""
        any_lines = False
        while not stop.is_set():
            lines, first = followed.read_lines(self.options.batch_lines, wait)
            if not lines:
                break
            any_lines = True
            alerts = self.engine.push_lines(lines, followed.reading, first)
            self._write_rejects()
            self.sink.write(alerts)
            self.summary.lines += len(lines)
            self.summary.batches += 1
            self.save_state()
        return any_lines

    def _drain_merged(self, stop: threading.Event) -> bool:
        """Every line the inputs have now, a batch of each in turn, through `merge` (events
        released as every input still read reaches their time); whether there were any. The
        state is saved once nothing is held: a state must not count lines whose events wait
        in memory. Without --follow, each input is read to its end."""
        merge, reading = self.merge, {f.source for f in self.files}
        assert merge is not None
        any_lines = False
        while reading and not stop.is_set():
            for followed in self.files:
                if followed.source not in reading:
                    continue
                wait = 0.0 if self.options.follow else 0.1
                lines, first = followed.read_lines(self.options.batch_lines, wait)
                self._notes(followed)
                if not lines:
                    if self.options.follow or followed.finished:
                        reading.discard(followed.source)
                    continue
                any_lines = True
                self.summary.lines += len(lines)
                self.summary.batches += 1
                events = self.engine.parse_lines(lines, followed.reading, first)
                self._write_rejects()
                if events is not None:
                    merge.add(followed.source, events)
            self._push_merged(merge.release(reading))
        return any_lines

    def _push_merged(self, events: pa.Table | None) -> None:
        """Score released events (None: none); save the state once nothing is held."""
        if events is not None:
            self.sink.write(self.engine.push_events(events, "the merged inputs"))
        if self.merge is not None and self.merge.empty:
            self.save_state()

    def _write_rejects(self) -> None:
        rejects = self.engine.rejects
        if not rejects:
            return
        if self.options.rejects is not None:
            if self._rejects is None:
                new = not self.options.rejects.exists()
                # its folder is made as every output's is (QA: a missing one was a traceback)
                create_output_folder(self.options.rejects, "--rejects file")
                self._rejects = open(self.options.rejects, "a", encoding="utf-8")  # noqa: SIM115
                if new:
                    self._rejects.write("source\tline_no\tline\n")
            self._rejects.writelines(f"{s}\t{n}\t{text}\n" for s, n, text in rejects)
            self._rejects.flush()
        rejects.clear()

    def _notes(self, followed: FollowedFile) -> None:
        for note in followed.notes:
            self.say(note)
            self.summary.notes.append(note)
        followed.notes.clear()


def _input_names(engine: DetectionEngine, inputs: list[str]) -> list[str]:
    """Each input's `source`: the shortest name that tells them apart (`source_names`), as
    `score --logs` names the same files (QA BIRD: `live/rtr1.bird.log@...` where `score`
    said `rtr1.bird.log@...`); for a model of windows per input file (`--by-field source`)
    that judges silences, the path as given where only it names one training file (QA
    BeeGFS: watching two of thirteen files named one `beegfs-storage.log`, which three
    training files ended as: its 50-minute silence judged by nothing, unsaid; QA GPFS:
    alerts named `mmfs.log@...` where `score` said `logs/test/cn03/mmfs.log@...`)."""
    settings, profile = engine.settings, engine.silence_profile
    names = source_names(inputs)
    if settings.by_field != SOURCE_FIELD or settings.window is None or profile is None:
        return names
    return [
        path if path != STDIN and not profile.seen(name) and profile.seen(path) else name
        for path, name in zip(inputs, names, strict=True)
    ]


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON under a temporary name, fsync, rename over `path` (never half a file)."""
    tmp = path.with_name(f".{path.name}.partial")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, separators=(",", ":"), default=str)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _said(warning: str) -> tuple[str, str]:
    """A warning's kind (its text, numbers left out) and the count it starts with (the
    sessions or events at fault): a resumed run repeats a warning only when more are at
    fault than an earlier run said (`3 of 109 sessions` then `3 of 211` is said once)."""
    first = re.search(r"\d[\d,]*", warning)
    return re.sub(r"\d[\d,.]*", "#", warning), first.group() if first else ""
