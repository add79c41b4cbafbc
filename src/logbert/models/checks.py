"""Shared input and model-directory checks, so every detector fails the same, helpful way.

Detectors call these instead of validating on their own: the same bad input (no sessions, a
session that is not a list of integer keys, a missing or corrupt state file, scoring before
training) gives the same message whichever model is in use.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from logbert.errors import LogbertError


def key_arrays(sessions: Sequence[Any]) -> list[np.ndarray]:
    """Each session as an int64 array of keys (accepts key lists or `Session` objects)."""
    arrays = []
    for index, session in enumerate(sessions):
        keys = getattr(session, "keys", session)
        try:
            array = np.asarray(keys, dtype=np.int64).reshape(-1)
        except (TypeError, ValueError) as exc:
            raise LogbertError(
                f"session {index} is not a sequence of integer log keys ({exc}); check the "
                "sessions file"
            ) from exc
        arrays.append(array)
    return arrays


def training_sessions(sessions: Sequence[Any], model: str) -> list[np.ndarray]:
    """Key arrays of the training sessions; an error when there is nothing to learn from."""
    arrays = key_arrays(sessions)
    if not arrays:
        raise LogbertError(f"no training sessions: {model} needs normal sessions to learn from")
    if not any(array.size for array in arrays):
        raise LogbertError(
            f"no training sessions: all {len(arrays)} sessions given to {model} are empty (no "
            "log keys); check that sessionize found events"
        )
    return arrays


def require_fitted(fitted: bool, detector: object) -> None:
    """Refuse to score with a model that was never trained."""
    if not fitted:
        name, cls = getattr(detector, "name", detector), type(detector).__name__
        raise LogbertError(f"{name} is not trained yet: call fit() or {cls}.load(dir)")


def write_arrays(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Numeric state as a NumPy .npz archive (no pickle)."""
    np.savez(path, **{name: np.asarray(value) for name, value in arrays.items()})


def read_arrays(path: Path, required: Sequence[str] = ()) -> dict[str, np.ndarray]:
    """Load an .npz written by `write_arrays`, with clear errors for missing or corrupt files."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except FileNotFoundError as exc:
        raise missing_file(path) from exc
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise corrupt_file(path, exc) from exc
    absent = [name for name in required if name not in arrays]
    if absent:
        raise corrupt_file(path, f"arrays missing: {', '.join(absent)}")
    return arrays


def read_json(path: Path) -> Any:
    """A model-state JSON file, with the same errors as `read_arrays`."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise missing_file(path) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise corrupt_file(path, exc) from exc


def missing_file(path: Path) -> LogbertError:
    return LogbertError(f"{path} is missing; retrain the model")


def corrupt_file(path: Path, reason: object) -> LogbertError:
    return LogbertError(f"{path} is corrupt ({reason}); retrain the model")
