"""`SessionizerSettings`: the user's choice (`--by-id`/`--window`/...) as plain data: checked
once, saved as JSON next to a model, described in one line, and built into a `Sessionizer`.

Plain data rather than a sessionizer because a sessionizer serves one stream while the choice
outlives it: a model keeps it to cut every log it scores the way it was trained. Above every
kind of sessionizer, since it builds them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from logbert.errors import LogbertError
from logbert.sessions.id_sessions import FieldSessionizer, IdSessionizer
from logbert.sessions.io import read_file_metadata
from logbert.sessions.line_sessions import LineSessionizer
from logbert.sessions.options import (
    _positive_count,
    compile_id_pattern,
    field_names,
    parse_duration,
)
from logbert.sessions.stats import SessionizeStats
from logbert.sessions.streaming import Sessionizer
from logbert.sessions.window_sessions import WindowSessionizer

# Parquet schema metadata key of a sessions file: how `sessionize` cut its sessions (JSON of
# `SessionizerSettings.to_dict()`), so a later stage can tell windows from by-id sessions
SESSIONIZER_KEY = "logbert.sessionizer"
# `--order`: events in input line order, or in time order (`SessionizerSettings.order`)
ORDERS = ("lines", "time")
@dataclass
class SessionizerSettings:
    """How to cut sessions, as the user wrote it (`--by-id`, `--idle-timeout`, `--window`,
    `--step`, `--by-field`, `--lines`; durations like "1d"): check it, save it as JSON,
    describe it, build it.

    Modes: exactly one of `by_id`, `window`, `lines`; or `by_field` alone or with `window` or
    `lines` (one session per value and window); or `by_id` with `window` (one per id and
    window: the first id each message names), and with `by_field` too (the id within the
    field's value, `host/id`, as `by_id` with `by_field` names sessions). `step` slides
    `window` (a duration) or `lines` (a count); `idle_timeout` closes quiet `by_id` /
    `by_field`-alone sessions.
    `order` "time" takes the events of files read whole in time order (stable: input order
    among equal times) before sessions by id, field or count are cut, for logs of several
    services or hosts given one after another; the default keeps the input line order, which
    is what those sessions mean in one log (HDFS). Time windows are always in time order."""

    by_id: str | None = None
    idle_timeout: str | None = None
    window: str | None = None
    step: str | None = None
    by_field: str | None = None
    lines: int | None = None
    order: str | None = None

    def validate(self) -> SessionizerSettings:
        """Raise `LogbertError` for a combination or value that cannot work; returns self."""
        cuts = [self.by_id, self.window, self.lines]
        given = sum(c is not None for c in cuts)
        if self.by_id is not None and self.lines is not None:
            raise LogbertError(
                "--by-id takes no --lines; for windows of lines per id, make the id a field and "
                "give --by-field FIELD --lines N: a field of the format string (`... client "
                "<Client>#<Port> ...`), or a message's `name=value` word, which --by-field reads "
                "by its name; --by-id REGEX --window DURATION makes time windows per id"
            )
        if self.by_id is not None and self.window is not None:
            given -= 1  # time windows per id (QA Nagios, Snort: a host's or source's windows)
        if given > 1 or (given == 0 and self.by_field is None):
            raise LogbertError(
                "give exactly one of --by-id REGEX or --window DURATION or --lines N, or "
                "--by-field FIELD (alone or with --window or --lines)"
            )
        if self.step is not None and self.window is None and self.lines is None:
            raise LogbertError(
                "--step slides time windows (--window) or count windows (--lines): use it with "
                "one of them"
            )
        if self.idle_timeout is not None and (
            (self.by_id is None and self.by_field is None)
            or self.window is not None
            or self.lines is not None
        ):
            raise LogbertError(
                "--idle-timeout closes quiet --by-id or --by-field sessions: use it with --by-id "
                "or --by-field alone"
            )
        if self.by_field is not None and (
            not isinstance(self.by_field, str) or not all(field_names(self.by_field))
        ):
            raise LogbertError(
                "--by-field needs a header field name, e.g. Node, or several joined by commas, "
                "e.g. Component,Pid"
            )
        if self.order is not None and self.order not in ORDERS:
            raise LogbertError(
                f"--order must be {' or '.join(ORDERS)} (events in input line order, or in "
                f"time order), not {self.order!r}"
            )
        if self.order == "lines" and self.window is not None:
            raise LogbertError(
                "--order lines: time windows take their events in time order; leave out "
                "--order, or use --lines N for windows of consecutive lines"
            )
        if self.by_id is not None:
            compile_id_pattern(self.by_id)
        if self.idle_timeout is not None:
            parse_duration(self.idle_timeout)
        if self.window is not None:
            window = parse_duration(self.window)
            if self.step is not None and parse_duration(self.step) > window:
                raise LogbertError(
                    f"--step {self.step} is longer than --window {self.window}: lines between "
                    "windows would be lost"
                )
        if self.lines is not None:
            lines = _positive_count(self.lines, "--lines")
            if self.step is not None and _positive_count(self.step, "--step") > lines:
                raise LogbertError(
                    f"--step {self.step} is longer than --lines {self.lines}: lines between "
                    "windows would be lost"
                )
        return self

    @property
    def whole_files(self) -> bool:
        """One session per input file (`--by-field source` alone): each holds its file whole,
        so none is still running when the log ends (a per-boot or per-build log file). Not
        with `--idle-timeout`, which cuts a file into runs: the last may still be running (QA
        Chef: a client run the log's end cut short judged whole, flagged for its missing end)."""
        return (
            self.by_field is not None
            and field_names(self.by_field) == ["source"]
            and self.window is None
            and self.lines is None
            and self.idle_timeout is None
        )

    @property
    def in_time_order(self) -> bool:
        """Do events join sessions in time order (time windows, or `order` "time")? Settings
        that differ only in how they say it (`order` unset or "lines" by id) cut alike."""
        return self.order == "time" or self.window is not None

    def to_dict(self) -> dict[str, str | int | None]:
        """Plain JSON: `{"by_id", "idle_timeout", "window", "step", "by_field", "lines",
        "order"}`."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> SessionizerSettings:
        """Settings from `to_dict()` output (missing keys are None); checked with `validate`."""
        if not isinstance(data, dict):
            raise LogbertError(f"sessionizer settings must be a JSON object, not {data!r}")
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise LogbertError(
                f"unknown sessionizer setting(s) {', '.join(unknown)}; known: "
                f"{', '.join(sorted(names))}"
            )
        for name, value in data.items():
            if value is None:
                continue
            if name == "lines":
                if isinstance(value, bool) or not isinstance(value, int):
                    raise LogbertError(
                        f"sessionizer setting lines must be an integer, not {value!r}"
                    )
            elif not isinstance(value, str):
                raise LogbertError(f"sessionizer setting {name} must be a string, not {value!r}")
        return cls(**data).validate()

    def build(
        self,
        labels: dict[str, str] | None = None,
        track_lines: bool = False,
        stats: SessionizeStats | None = None,
    ) -> Sessionizer:
        """A fresh sessionizer for one stream (`labels`: id -> label, by id or by field alone).
        With `order` "time", batch callers sort its events by time first (`time_ordered`);
        a live stream (watch, serve) takes events as they come, whatever the order."""
        self.validate()
        sessionizer = self._build(labels, track_lines, stats)
        if self.order == "time":
            sessionizer.time_ordered = True
        return sessionizer

    def _build(
        self, labels: dict[str, str] | None, track_lines: bool, stats: SessionizeStats | None
    ) -> Sessionizer:
        if self.by_id is not None and self.window is not None:
            return WindowSessionizer(  # (with --by-field: per id within the field's value,
                # QA Monit: a host's `'rootfs'`, the field left out at the error's advice, joined
                # two hosts' file systems in one window)
                self.window, self.step, track_lines, stats, self.by_field, labels,
                id_pattern=self.by_id,
            )  # fmt: skip
        if self.by_id is not None:
            return IdSessionizer(
                self.by_id, labels, self.idle_timeout, track_lines, stats, field=self.by_field
            )
        keyed = self.window is None and self.lines is None
        if keyed:
            return FieldSessionizer(self.by_field, labels, self.idle_timeout, track_lines, stats)
        if self.lines is not None:
            step = int(self.step) if self.step is not None else None
            return LineSessionizer(self.lines, step, self.by_field, track_lines, stats, labels)
        return WindowSessionizer(self.window, self.step, track_lines, stats, self.by_field, labels)

    def describe(self) -> str:
        """One line, e.g. `by id 'blk_-?\\d+', idle timeout 1d`, `windows of 5m every 1m`,
        `by field Node, windows of 5m`, `windows of 100 lines every 50`; `, in time order`
        ends it with `order` "time" where the cut is not time windows."""
        text = self._describe()
        return text + (", in time order" if self.order == "time" and not self.window else "")

    def _describe(self) -> str:
        if self.by_id is not None and self.window is None:
            within = f" within field {self.by_field}" if self.by_field is not None else ""
            text = f"by id '{self.by_id}'{within}"
            return text + (f", idle timeout {self.idle_timeout}" if self.idle_timeout else "")
        parts = [f"by field {self.by_field}"] if self.by_field is not None else []
        parts += [f"by id '{self.by_id}'"] if self.by_id is not None else []
        if self.idle_timeout:
            parts.append(f"idle timeout {self.idle_timeout}")
        if self.window is not None:
            text = f"windows of {self.window}"
            parts.append(text + (f" every {self.step}" if self.step is not None else ""))
        if self.lines is not None:
            text = f"windows of {self.lines} lines"
            parts.append(text + (f" every {self.step}" if self.step is not None else ""))
        return ", ".join(parts)


def sessionizer_metadata(settings: SessionizerSettings) -> dict[str, str]:
    """The Parquet schema metadata that records `settings` in a sessions file."""
    return {SESSIONIZER_KEY: json.dumps(settings.to_dict(), sort_keys=True)}


def read_sessionizer_settings(path: str | Path) -> SessionizerSettings | None:
    """How the sessions of `path` were cut, as recorded by `logbert sessionize` in a Parquet
    file's metadata; None when not recorded (JSON Lines, DeepLog, standard input, files
    written otherwise). A record that is not valid settings is a `LogbertError` naming it."""
    text = read_file_metadata(path).get(SESSIONIZER_KEY)
    if text is None:
        return None
    try:
        return SessionizerSettings.from_dict(json.loads(text))
    except (ValueError, LogbertError) as exc:
        raise LogbertError(
            f"{path}: its {SESSIONIZER_KEY} metadata (how the sessions were cut) is not valid "
            f"session settings ({exc}); write the file again with `logbert sessionize`"
        ) from exc
