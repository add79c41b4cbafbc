"""Count windows (`--lines N`, `--step`): N consecutive lines per session, alone or per value
of a header field with `--by-field`, for logs whose time is unusable: `LineSessionizer`.

Never reordered by time: line order is what they mean. Session ids: the window's 0-based index
after `#`, prefixed by the value with `--by-field` (`R02-M1-N0-C:J12-U11#0`, `#3`). A labels
map (`--labels`) labels windows by these ids, as `sessionize` writes them (QA Memcached: an
undated log, count windows its only sessions, could not be evaluated against a labels file).
"""

from __future__ import annotations

from collections.abc import Iterator

from logbert.errors import LogbertError
from logbert.sessions.io import Session
from logbert.sessions.labels import settle_window_labels, window_label
from logbert.sessions.options import _positive_count, field_names
from logbert.sessions.stats import SessionizeStats
from logbert.sessions.streaming import Sessionizer, _Open


class LineSessionizer(Sessionizer):
    """Count windows: `lines` consecutive events per session, a new window every `step`
    events (default `lines`: fixed windows); for logs whose time is unusable. With `field`,
    counted per value of that header field (the `lines` consecutive events with the same value).

    A window is written as soon as it is full; at the end of the stream the earliest unfinished
    window of each value (the tail) is written too, shorter, when it holds lines no full window
    has (the later unfinished windows of a sliding run lie inside it). Ids: `#k` (k = 0-based
    window index) or `value#k`; `start`/`end` are the first and last event times (null
    without timestamps). Events with no value of `field` are counted in `stats.n_unmatched`.
    """

    windows_per_log = True

    def __init__(
        self,
        lines: int,
        step: int | None = None,
        field: str | None = None,
        track_lines: bool = False,
        stats: SessionizeStats | None = None,
        labels: dict[str, str] | None = None,
    ) -> None:
        super().__init__(track_lines, stats)
        self.labels = labels
        self._written: dict[str, None] = {}  # with labels: the ids of the windows closed
        self.lines, self.step = _positive_count(lines, "--lines"), step
        self._step = _positive_count(step, "--step") if step is not None else self.lines
        if self._step > self.lines:
            raise LogbertError(
                f"--step {step} is longer than --lines {lines}: lines between windows would be lost"
            )
        self.field = self.stats.field = field
        self.stats.by_lines = True
        self._counts: dict[str | None, int] = {}  # events seen per value
        self._open: dict[tuple[str | None, int], _Open] = {}  # (value, index), creation order

    @property
    def required_columns(self) -> list[str]:
        return ["template_id"] + (field_names(self.field) if self.field is not None else [])

    def _push(self, batch: dict[str, list]) -> list[Session]:
        stats, counts, open_, track, closed = (
            self.stats, self._counts, self._open, self.track_lines, [],
        )  # fmt: skip
        size, stride = self.lines, self._step
        values = batch[self.field] if self.field is not None else [None] * len(batch["label"])
        for value, key, ts, line_label, line in zip(
            values, batch["template_id"], batch["timestamp"], batch["label"], batch["line"],
            strict=True,
        ):  # fmt: skip
            stats.n_events += 1
            if self.field is not None and not value:
                stats.count_no_value(key)
                continue
            pos = counts.get(value, 0)
            counts[value] = pos + 1
            for index in range(max(0, (pos - size) // stride + 1), pos // stride + 1):
                session = open_.get((value, index))
                if session is None:
                    session = open_[(value, index)] = _Open(track)
                session.add(key, ts, line_label, line)
            stats.max_open = max(stats.max_open, len(open_))
            full = pos - size + 1
            if full >= 0 and full % stride == 0:
                index = full // stride
                closed.append(self._close(open_.pop((value, index)), value, index))
        return closed

    def _flush(self) -> list[Session]:
        tails: dict[str | None, tuple[int, _Open]] = {}
        for (value, index), session in self._open.items():
            if value not in tails or index < tails[value][0]:
                tails[value] = (index, session)
        self._open.clear()
        size, stride, counts = self.lines, self._step, self._counts
        closed = [
            self._close(session, value, index)
            for value, (index, session) in tails.items()
            # only when it holds lines no full window has (sliding: it may lie inside the last)
            if index == 0 or counts[value] > (index - 1) * stride + size
        ]
        if self.labels is not None:
            settle_window_labels(self.labels, self._written, self.stats)
        return closed

    def _close(self, session: _Open, value: str | None, index: int) -> Session:
        session_id = f"{value}#{index}" if value is not None else f"#{index}"
        label = session.label()
        if self.labels is not None:
            label = window_label(
                self.labels, self._written, self.stats, session_id, session.anomalous
            )
        return session.close(session_id, label, self.stats)

    def _held(self) -> Iterator[tuple[str, _Open, int | None, int | None]]:
        for (value, index), session in self._open.items():
            yield (f"{value}#{index}" if value is not None else f"#{index}"), session, None, None

    def _settings(self) -> dict:
        return {"lines": self.lines, "step": self._step, "field": self.field}

    def _snapshot(self) -> dict:
        return {
            "counts": [[v, n] for v, n in self._counts.items()],
            "open": [[v, i, s.to_json()] for (v, i), s in self._open.items()],
        }

    def _restore(self, state: dict) -> None:
        self._counts = {v: int(n) for v, n in state["counts"]}
        self._open = {(v, int(i)): _Open.from_json(s) for v, i, s in state["open"]}
