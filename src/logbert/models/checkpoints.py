"""Training checkpoints: atomic writes, and resuming from the latest one that loads.

A checkpoint is a dict with `model_state_dict`, `optimizer_state_dict`, `step`, `epoch`,
`config` (plus the training loop's own `state`), written to a temporary file and renamed, so a
kill mid-write never leaves a half file under a real name. Loading uses
`torch.load(weights_only=True)`; a missing, corrupt or foreign file is skipped with a
`warning: ...` line on stderr (or through the caller's `warn`), in words fit for a user: never
PyTorch's advice to load the file with `weights_only=False` (that would run whatever a pickle
someone handed over contains).

One checkpoint folder holds one run: a fresh (not resumed) run first deletes what an earlier
run left (`clear_checkpoints`), otherwise pruning by step number would delete the new run's
files and a later resume would pick up the old run. A resume checks that the checkpoint was
written with the same model parameters (`config_differences`), except those that may change
between the two runs (`RESUMABLE_CHANGES`: more epochs, more patience).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from logbert.models.checks import safe_load_message

KEEP_STEP_CHECKPOINTS = 3
_NUMBERED = re.compile(r"^(checkpoint_step|epoch)_(\d+)\.pt$")
BEST = "best_model.pt"
RESUMABLE_CHANGES = frozenset({"epochs", "patience"})
REQUIRED = ("model_state_dict", "optimizer_state_dict", "step", "epoch", "config")
Warn = Callable[[str], None]


def stderr_warning(message: str) -> None:
    """A `warning: ...` line on stderr, like the CLI's other warnings."""
    print(f"warning: {message}", file=sys.stderr)


def save_checkpoint(path: Path, payload: dict[str, Any]) -> None:
    """Write `payload` to `path` atomically (tmp + fsync + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        torch.save(payload, handle)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)


def prune_checkpoints(directory: Path, keep: int = KEEP_STEP_CHECKPOINTS) -> None:
    """Delete all but the newest `keep` step and `keep` epoch checkpoints."""
    for pattern in ("checkpoint_step_*.pt", "epoch_*.pt"):
        for old in sorted(directory.glob(pattern), key=_order)[:-keep]:
            old.unlink(missing_ok=True)


def clear_checkpoints(directory: Path) -> int:
    """Delete the checkpoint files (and half-written .tmp files) in `directory`; how many."""
    if not directory.is_dir():
        return 0
    removed = 0
    for path in directory.iterdir():
        name = path.name.removesuffix(".tmp")
        if path.is_file() and (_NUMBERED.match(name) or name == BEST):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def config_differences(saved: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """`name: saved -> current` for each model parameter that differs (resumable ones aside)."""
    missing = "<absent>"
    return [
        f"{name}: {saved.get(name, missing)!r} -> {current.get(name, missing)!r}"
        for name in sorted(set(saved) | set(current))
        if name not in RESUMABLE_CHANGES and saved.get(name, missing) != current.get(name, missing)
    ]


def load_checkpoint(path: Path, warn: Warn = stderr_warning) -> dict[str, Any] | None:
    """The checkpoint at `path`, or None (after `warn` says why) when it cannot be used."""
    if not path.is_file():
        warn(f"skipping checkpoint {path}: the file is missing")
        return None
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is skipped the same way
        warn(f"skipping corrupt checkpoint {path} ({safe_load_message(exc)})")
        return None
    if not isinstance(payload, dict) or not set(REQUIRED) <= set(payload):
        warn(f"skipping checkpoint {path}: not a logbert training checkpoint (lacks "
             f"{', '.join(REQUIRED)})")  # fmt: skip
        return None
    return payload


def latest_checkpoint(directory: Path, warn: Warn = stderr_warning) -> dict[str, Any] | None:
    """The newest step/epoch checkpoint that loads, falling back past unusable ones."""
    if not directory.is_dir():
        return None
    candidates = [p for p in directory.iterdir() if _NUMBERED.match(p.name)]
    for path in sorted(candidates, key=lambda p: p.stat().st_mtime_ns, reverse=True):
        payload = load_checkpoint(path, warn)
        if payload is not None:
            return payload
    return None


def _order(path: Path) -> int:
    match = _NUMBERED.match(path.name)
    return int(match.group(2)) if match else -1
