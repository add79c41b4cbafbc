"""Miner state as plain JSON (no pickle), one format for our miner and Drain3, written atomically.

`{"version": 1, "parser": NAME, "next_id": N, "frozen": false, ...}` plus the miner's own
entries (ours: `templates` [{id, template, count}]; Drain3: `clusters` [{id, tokens, size}]).
A frozen state (`"frozen": true`) also holds `new`: the state of the miner that took the
messages no known template fits. `miner_from_state` dispatches on `parser`, so `--state`
works with every miner, and a saved model's parser can be restored exactly.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from logbert.errors import LogbertError
from logbert.parsing.frozen import FrozenMiner
from logbert.parsing.miner import TemplateMiner

STATE_VERSION = 1
MINERS = ("logbert", "drain3")
# How a line becomes a template: masks, kept values and the miner's rules. Bump it whenever a
# change gives other templates for the same lines (tests/parsing/test_rules_revision.py holds a
# digest of loghub's templates per revision and fails until it is bumped; a change loghub's
# lines do not show is the author's to bump): a state or a model
# mined under another revision would meet templates it never had for lines it knew, and count
# them as unseen keys, so `miner_state` records it and a mismatch is said (`rules_mismatch`).
RULES_REVISION = 24


def miner_class(parser: str) -> Any:
    """The miner class for a parser name (Drain3 imported only when asked: slow import)."""
    if parser == TemplateMiner.name:
        return TemplateMiner
    if parser == "drain3":
        from logbert.parsing.drain3_miner import Drain3Miner

        return Drain3Miner
    raise ValueError(f"unknown parser {parser!r}")


def new_miner(parser: str = "logbert") -> Any:
    """A fresh miner of that name."""
    return miner_class(parser)()


def miner_state(miner: Any) -> dict:
    """The miner's plain-JSON state (`version`, `parser`, `frozen`, the miner's own fields)."""
    return {"version": STATE_VERSION, "rules": RULES_REVISION, "frozen": False, **miner.to_state()}


def rules_mismatch(state: dict) -> str | None:
    """What differs when a miner state was mined under other parsing rules than this logbert's
    (None when the same): "revision N" or, for states written before it was recorded, "an
    earlier revision"."""
    rules = state.get("rules")
    if rules == RULES_REVISION:
        return None
    seen = f"revision {rules}" if isinstance(rules, int) else "an earlier revision"
    return f"{seen}; this logbert's is revision {RULES_REVISION}"


def miner_from_state(state: dict) -> Any:
    """The miner a state describes (frozen if it was); ValueError/KeyError/TypeError if not one."""
    if not isinstance(state, dict):
        raise TypeError("a miner state is a JSON object")
    if state.get("version", STATE_VERSION) != STATE_VERSION:
        raise ValueError(f"version {state.get('version')} (this logbert reads {STATE_VERSION})")
    cls = miner_class(state.get("parser"))
    known = cls.from_state(state)
    if not state.get("frozen"):
        return known
    new = state.get("new")
    return FrozenMiner(known, cls.from_state(new) if new else None)


def load_miner(path: Path | None, parser: str = "logbert") -> Any:
    """The miner saved at `path`, or a fresh `parser` miner when there is no file yet."""
    if path is None or not path.exists():
        return new_miner(parser)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(state, dict) and "miner" in state and "format" in state:
            raise LogbertError(
                f"state file {path} is a trained model's parser (its format and frozen "
                "templates), not a `logbert parse --state` file: to read raw logs with that "
                f"model's parser, score them with it (`logbert score {path.parent} --logs "
                "LOG...`), or pass a new state path to start fresh"
            )
        miner = miner_from_state(state)
        if (mismatch := rules_mismatch(state)) is not None:
            raise LogbertError(
                f"state file {path} was mined under other parsing rules ({mismatch}): the same "
                "lines now give other templates, so resuming it would split events it knows "
                "into new ones; pass a new state path to start fresh"
            )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LogbertError(
            f"state file {path} is not a logbert parser state ({exc}): pass the file a previous "
            "`logbert parse --state` wrote, or a new path to start fresh"
        ) from exc
    except OSError as exc:
        raise LogbertError(f"cannot read state file {path}: {exc.strerror}") from exc
    if miner.name != parser:
        raise LogbertError(
            f"state file {path} was written by the {miner.name} parser, not {parser}: pass "
            f"--parser {miner.name}, or a new state path to start fresh"
        )
    return miner


def save_miner(miner: Any, path: Path) -> None:
    """Write the state next to `path` first, then rename, so a crash never leaves half a file."""
    tmp = path.with_name(f".{path.name}.partial")
    tmp.write_text(json.dumps(miner_state(miner), indent=1), encoding="utf-8")
    os.replace(tmp, path)
