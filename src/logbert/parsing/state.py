"""`--state FILE`: the miner's templates and ids as plain JSON (no pickle), written atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path

from logbert.errors import LogbertError
from logbert.parsing.miner import TemplateMiner

STATE_VERSION = 1


def load_miner(path: Path | None) -> TemplateMiner:
    """The miner saved at `path`, or a fresh one when there is no file yet."""
    if path is None or not path.exists():
        return TemplateMiner()
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if state.get("version") != STATE_VERSION or state.get("parser") != TemplateMiner.name:
            raise ValueError(f"version {state.get('version')}, parser {state.get('parser')}")
        return TemplateMiner.from_state(state)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LogbertError(
            f"state file {path} is not a logbert parser state ({exc}): pass the file a previous "
            "`logbert parse --state` wrote, or a new path to start fresh"
        ) from exc


def save_miner(miner: TemplateMiner, path: Path) -> None:
    """Write the state next to `path` first, then rename, so a crash never leaves half a file."""
    state = {"version": STATE_VERSION, **miner.to_state()}
    tmp = path.with_name(f".{path.name}.partial")
    tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
    os.replace(tmp, path)
