"""Reading and writing the files of a model directory, with one kind of error for every fault.

A file that is missing, a folder, unreadable, not UTF-8, not JSON or not a plain array archive
is a `LogbertError` naming it and saying what to do, never a traceback from whichever fault a
reader forgot to catch; libraries' own error texts are passed through `safe_load_message`,
which never repeats their advice to unpickle a refused file. Every package may use these (the
threshold file of `scoring` as much as the detectors' state), so they sit below all of them.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from logbert.errors import LogbertError

RETRAIN = "retrain the model"
MAX_REASON = 300  # characters of a library's error text shown
NOT_PLAIN_DATA = (
    "the file is not a plain array / tensor file; logbert never unpickles files: replace it "
    "with the model's original file"
)
# words of library advice to load a refused file unsafely (NumPy, PyTorch)
_UNSAFE_ADVICE = ("allow_pickle", "pickle.load", "weights_only", "npickl")
_STATE_DICT_ERROR = "Error(s) in loading state_dict"
_MISSING_KEYS = re.compile(r"Missing key\(s\) in state_dict: (.*)")
_UNEXPECTED_KEYS = re.compile(r"Unexpected key\(s\) in state_dict: (.*)")
_SIZE_MISMATCH = re.compile(
    r"size mismatch for ([^:]+): copying a param with shape (?:torch\.Size\()?(\[[^\]]*\])\)? "
    r"from checkpoint, the shape in current model is (?:torch\.Size\()?(\[[^\]]*\])"
)
_JSON_NAMES = {dict: "object", list: "array", str: "string"}


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


def read_json(path: Path, remedy: str = RETRAIN, expect: type | None = None) -> Any:
    """A JSON file of a model directory, or a `LogbertError` naming it and saying `remedy`.

    The one reader for every model file (config.json, threshold.json, pipeline.json, ...):
    a file that is missing, a folder, unreadable, not UTF-8 or not JSON must all be the same
    clear error, not a traceback from whichever of them a reader forgot to catch. `expect`
    (e.g. `dict`): the type the top-level value must have.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise missing_file(path, remedy) from exc
    except IsADirectoryError as exc:
        raise LogbertError(f"{path} is a folder, not a file; {remedy}") from exc
    except OSError as exc:
        raise LogbertError(f"{path} cannot be read ({exc.strerror or exc}); {remedy}") from exc
    except UnicodeDecodeError as exc:
        raise corrupt_file(path, f"not UTF-8 text: {exc}", remedy) from exc
    except json.JSONDecodeError as exc:
        raise corrupt_file(path, f"not valid JSON: {exc}", remedy) from exc
    if expect is not None and not isinstance(data, expect):
        found = type(data).__name__
        raise corrupt_file(path, f"expected a JSON {_JSON_NAMES.get(expect, expect.__name__)}, "
                                 f"found {found}", remedy)  # fmt: skip
    return data


def missing_file(path: Path, remedy: str = RETRAIN) -> LogbertError:
    return LogbertError(f"{path} is missing; {remedy}")


def corrupt_file(path: Path, reason: object, remedy: str = RETRAIN) -> LogbertError:
    """`path` is corrupt, with the reason in words safe to show (`safe_load_message`)."""
    return LogbertError(f"{path} is corrupt ({safe_load_message(reason)}); {remedy}")


def safe_load_message(reason: object) -> str:
    """Why a model file did not load, in words fit to show a user.

    Libraries' own texts can do harm or drown the point: NumPy and PyTorch advise loading a
    refused file unsafely (`allow_pickle=`, `pickle.load()`, `weights_only=False`), which on a
    file someone handed over runs their code, so that text is replaced by ours; PyTorch's
    state-dict mismatch lists every key (kilobytes), so it is summed up; any other text is cut
    to `MAX_REASON` characters.
    """
    text = str(reason)
    if any(word in text for word in _UNSAFE_ADVICE):
        return NOT_PLAIN_DATA
    if _STATE_DICT_ERROR in text:
        return _state_dict_summary(text)
    return text if len(text) <= MAX_REASON else text[:MAX_REASON].rstrip() + " ..."


def readable_load_error(error: LogbertError) -> LogbertError:
    """`error` with the library text it quotes (its `__cause__`) made safe and short by
    `safe_load_message`; `error` itself when there is nothing to change. For loaders that
    quote a library's exception in their own message."""
    cause = error.__cause__
    if cause is None:
        return error
    raw, safe = str(cause), safe_load_message(cause)
    message = str(error)
    if safe == raw or raw not in message:
        return error
    readable = LogbertError(message.replace(raw, safe))
    readable.__cause__ = cause
    return readable


def _state_dict_summary(text: str) -> str:
    """PyTorch's `load_state_dict` error cut to counts and a few examples: such a file holds
    the weights of a model of another size or kind than config.json describes."""
    parts = []
    for label, pattern in (("missing", _MISSING_KEYS), ("unexpected", _UNEXPECTED_KEYS)):
        found = pattern.search(text)
        keys = re.findall(r'"([^"]+)"', found.group(1)) if found else []
        if keys:
            parts.append(f"{len(keys)} {label} weights ({_examples(keys)})")
    shapes = _SIZE_MISMATCH.findall(text)
    if shapes:
        name, theirs, ours = shapes[0]
        parts.append(
            f"{len(shapes)} weights of another shape (e.g. {name}: {theirs} in the file, "
            f"{ours} for config.json)"
        )
    found = "; ".join(parts) or "the weights do not fit the model config.json describes"
    return f"{found}: the weights are from a model of another size or kind"


def _examples(names: Sequence[str], shown: int = 3) -> str:
    more = f", ... {len(names) - shown} more" if len(names) > shown else ""
    return "e.g. " + ", ".join(names[:shown]) + more
