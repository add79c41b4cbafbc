"""Whether a format's `<Level>` field hides a line's severity from its event.

A format that reads the level into a header field leaves it out of the message, so the miner
never sees it: `Payment gateway answered <*>` at INFO and at ERROR is one template, and an
error line of a message normally logged at INFO passes as normal (QA Celery: 10 of 10 such
lines unflagged by ngram). `iso` and `json` keep the level in the message; a format string
naming `<Level>` does not. `LevelMix` counts the levels each template is met at, and a run
whose templates mix a problem level (error, fatal, warn, ...) with others says so.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# levels that say something went wrong, lower-case, one-letter forms included (klog's E/W/F)
PROBLEM_LEVELS = frozenset({
    "error", "err", "fatal", "critical", "crit", "severe", "alert", "emerg", "emergency",
    "panic", "warn", "warning", "e", "f", "w", "c",
})  # fmt: skip


class LevelMix:
    """The levels met per template id, from a header field named Level."""

    def __init__(self) -> None:
        self.levels: dict[int, set[str]] = {}

    def add(self, ids: np.ndarray, level: pa.Array) -> None:
        """Count one chunk: its template ids (negative: none) and their lines' levels."""
        words = pc.utf8_lower(pc.utf8_trim_whitespace(pc.fill_null(level, "")))
        pairs = pa.table({"id": ids, "level": words}).group_by(["id", "level"]).aggregate([])
        for template_id, word in zip(
            pairs["id"].to_pylist(), pairs["level"].to_pylist(), strict=True
        ):
            if template_id >= 0 and word:
                self.levels.setdefault(template_id, set()).add(word)

    def warning(
        self, field: str, templates: dict[int, str], before_time: bool = False
    ) -> str | None:
        """A warning naming how many templates are met both at a problem level and at another,
        with an example; None when none is. `before_time`: the layout writes the level before
        the time, so no format string can leave it in the message (QA Cassandra's
        `WARN  [GossipTasks:1] 2026-11-20 10:15:03,001 ...`: the advice could not be followed)."""
        mixed = sorted(
            i for i, seen in self.levels.items() if seen & PROBLEM_LEVELS and seen - PROBLEM_LEVELS
        )
        if not mixed:
            return None
        first = mixed[0]
        seen = ", ".join(sorted(self.levels[first]))
        advice = (
            f"this layout writes <{field}> before the time, so no format string can leave it in "
            "the message: look at such templates' problem-level lines yourself"
            if before_time
            else f"to make it part of the event, parse with a format string that leaves "
            f"<{field}> in the message (inside <Content>)"
        )
        return (
            f"warning: <{field}>: {len(mixed):,} template(s) are met at a problem level and at "
            f"another (e.g. {templates.get(first, first)!r} at {seen}): the level is a header "
            "field, not part of the event, so a line's level alone never makes a session "
            f"anomalous; {advice}"
        )
