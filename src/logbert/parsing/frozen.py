"""A frozen miner for scoring: known templates keep their ids and their text, forever.

A model learnt the template ids of its training logs. When new logs are parsed for it, a line
that fits a known template must get that template's id, and the known templates must not
change (our miner and Drain3 would otherwise generalise them as new variants arrive, and the
ids of later lines would drift from what the model saw). Messages that fit no known template
are mined by a second miner of the same kind whose ids start above every known id, so to a
detector they are unseen keys, never a known key by accident. A field whose value the known
templates hold as a variable (`buildTypeId=<*>`) is one in those messages too: a few unseen
lines give the new miner no variety to tell (QA TeamCity: a failure of two builds of one
configuration kept `buildTypeId=Backend_Lint`, one incident two new events).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from logbert.parsing.mask_symbols import WILDCARD

_VARIABLE_FIELD = re.compile(r"(?:^|[\s,;{(\[])([A-Za-z_][\w.-]*)=<\*>")


class FrozenMiner:
    """`known` (never changed) + `new` (mines what fits none of it, ids from known.next_id)."""

    frozen = True

    def __init__(self, known: Any, new: Any | None = None) -> None:
        self.known = known
        self.new = new if new is not None else type(known)(next_id=known.next_id)
        self.name: str = known.name
        self.masks_input: bool = known.masks_input
        self.known_ids = frozenset(known.ids)

    def add(self, messages: Sequence[str], counts: Sequence[int] | None = None) -> list[int]:
        ids = self.known.match(messages)
        todo = [i for i, t in enumerate(ids) if t is None]
        if todo:
            sub_counts = None if counts is None else [counts[i] for i in todo]
            unseen = [self._known_variables(messages[i]) for i in todo]
            for i, tid in zip(todo, self.new.add(unseen, sub_counts), strict=True):
                ids[i] = tid
        return ids  # type: ignore[return-value]

    @cached_property
    def _variable_field(self) -> re.Pattern[str] | None:
        """A `name=value` word whose name holds `<*>` in some known template (masked input
        only: Drain3 masks by itself)."""
        if not self.masks_input:
            return None
        names = {
            name
            for tid in self.known_ids
            for name in _VARIABLE_FIELD.findall(self.known.template(tid))
        }
        if not names:
            return None
        alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
        # a value in brackets is one, and one already masked stays as it is: sendmail's
        # `relay=[<*>]` (QA Sendmail: `relay=<*>]`, its bracket cut, unlike training's)
        return re.compile(
            rf"((?:^|[\s,;{{(\[])(?:{alternatives})=)"
            r"(?!<\*>|\[<\*>\]|\(<\*>\)|<<\*>>)(?:\[[^\s\]]*\]|[^\s,;)}\]]+)"
        )

    def _known_variables(self, message: str) -> str:
        """`message` with the values of the known templates' variable fields masked."""
        pattern = self._variable_field
        return message if pattern is None else pattern.sub(rf"\1{WILDCARD}", message)

    def template(self, tid: int) -> str:
        return self.known.template(tid) if tid in self.known_ids else self.new.template(tid)

    @property
    def ids(self) -> list[int]:
        return sorted([*self.known_ids, *self.new.ids])

    @property
    def next_id(self) -> int:
        return self.new.next_id

    def to_state(self) -> dict:
        """The known miner's state plus `frozen` and the templates mined since (`new`)."""
        return {**self.known.to_state(), "frozen": True, "new": self.new.to_state()}
