"""Shared input and model-directory checks, so every detector fails the same, helpful way.

Detectors call these instead of validating on their own: the same bad input (no sessions, a
session that is not a list of integer keys, labels that do not match the sessions, a missing
or corrupt state file, scoring before training) gives the same message whichever model is in
use. `check_sessions` / `check_training` are the one entry for detector input (built on
`sessions.batch.as_batch`; `check_labelled_training` for supervised detectors, which learn
from both classes); `require_fitted` looks for the fitted attributes (names ending in
`_`, which exist only after `fit` or `load`).
"""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from logbert.errors import LogbertError
from logbert.model_files import (  # noqa: F401  (re-exported: detectors import them from here)
    MAX_REASON,
    NOT_PLAIN_DATA,
    RETRAIN,
    corrupt_file,
    missing_file,
    read_arrays,
    read_json,
    readable_load_error,
    safe_load_message,
    write_arrays,
)
from logbert.sessions.batch import SessionBatch, as_batch
from logbert.sessions.io import NORMAL, parse_categories, parse_label


def check_sessions(X: Any, name: str = "X") -> SessionBatch:
    """Detector input as a `SessionBatch` (every detector's fit and scoring start here).

    Accepts a `SessionBatch`, a list of `Session` objects (from `read_sessions`) or a list of
    key lists/arrays (a 2-D array: one session per row); anything else, or a session that is
    not a sequence of integer keys, is a `LogbertError` naming the offending session. A flat
    sequence of keys is refused too (`name`: the argument it came in, for the message): read
    as sessions, each key would be a one-key session, a silent wrong answer. Open flags travel
    only in a `SessionBatch` (`is_open`); other inputs are all closed sessions.
    """
    if _is_flat_keys(X):
        raise LogbertError(
            f"{name} must be a list of sessions (each a sequence of integer keys); got a flat "
            "sequence of integers: wrap one session as [keys]"
        )
    return as_batch(X)


def _is_flat_keys(X: Any) -> bool:
    """Whether `X` is one session's keys (numbers, or a 1-D numeric array), not sessions.
    Cheap: a list of sessions fails on its first item."""
    if isinstance(X, np.ndarray):
        return X.ndim == 1 and X.size > 0 and X.dtype.kind in "biuf"
    if isinstance(X, str | bytes) or not isinstance(X, Sequence) or not len(X):
        return False
    return all(isinstance(key, numbers.Number) for key in X)


def check_training(X: Any, y: Any = None, name: str = "detector") -> SessionBatch:
    """The sessions a detector learns from: `X` without those labelled anomalous in `y`.

    `y` (optional, same length as `X`): 1 = anomaly, 0 = normal (anything else: unknown, kept).
    Every detector here learns what normal looks like, so sessions with y == 1 are left out.
    An error when nothing is left to learn from (no sessions, or only empty ones).
    """
    batch = check_sessions(X)
    n_given = len(batch)
    if y is not None:
        labels = check_labels(y, n_given)
        batch = batch.take(np.flatnonzero(labels != 1))
    if not len(batch):
        why = f" (all {n_given} given were labelled anomalous)" if n_given else ""
        raise LogbertError(f"no training sessions: {name} needs normal sessions to learn from{why}")
    if not any(keys.size for keys in batch.keys):
        raise LogbertError(
            f"no training sessions: all {len(batch)} sessions given to {name} are empty (no "
            "log keys); check that sessionize found events"
        )
    return batch


def check_labelled_training(X: Any, y: Any, name: str = "detector") -> SessionBatch:
    """The sessions a supervised detector learns from, with their labels (`batch.labels`).

    Unlike `check_training`, anomalies are kept: `y` (required, one per session) is 1 =
    anomaly, 0 = normal; sessions with any other label (-1: unknown) are left out. An error when
    there are no sessions, no labels, or not both classes among the labelled sessions.
    """
    batch = check_sessions(X)
    if not len(batch):
        raise LogbertError(f"no training sessions: {name} needs labelled sessions to learn from")
    if y is None:
        raise LogbertError(
            f"{name} is a supervised model: fit(X, y) needs labels y (1 = anomaly, 0 = normal, "
            "one per session); got none"
        )
    labels = check_labels(y, len(batch))
    known = np.flatnonzero((labels == 0) | (labels == 1))
    batch = dataclasses.replace(batch, labels=labels.astype(np.int8)).take(known)
    n_anomalous = int(np.sum(batch.labels == 1))
    n_normal = len(batch) - n_anomalous
    if not n_anomalous or not n_normal:
        got = f"{n_normal} normal" if n_normal else f"{n_anomalous} anomalous"
        unknown = len(labels) - len(known)
        extra = f" ({unknown} with unknown labels left out)" if unknown else ""
        raise LogbertError(
            f"a supervised model needs both normal and anomalous sessions; got only {got}"
            f"{extra}: {name} cannot learn from one class"
        )
    if not any(keys.size for keys in batch.keys):
        raise LogbertError(
            f"no training sessions: all {len(batch)} sessions given to {name} are empty (no "
            "log keys); check that sessionize found events"
        )
    return batch


TARGETS = ("binary", "multiclass", "multilabel")


def check_category_training(
    X: Any, y: Any, name: str = "detector", target: str = "multilabel"
) -> SessionBatch:
    """`check_labelled_training` for a category target: the batch's `categories` hold each
    kept session's anomaly categories ([] = normal) and `labels` the binary label they imply.

    The categories come from `y` when it holds them (one list of names, or one name, per
    session; `normal` = no category), else from `X` (a `SessionBatch` or `Session` objects
    carry them). Sessions without categories (unknown) are left out. A multiclass target takes
    one category per session: more is an error naming the session.
    """
    batch = check_sessions(X)
    if not len(batch):
        raise LogbertError(f"no training sessions: {name} needs labelled sessions to learn from")
    categories = _category_targets(y, batch, name)
    known = [i for i, c in enumerate(categories) if c is not None]
    labels = np.array([-1 if c is None else int(bool(c)) for c in categories], dtype=np.int8)
    batch = dataclasses.replace(batch, labels=labels, categories=categories)
    if target == "multiclass":
        for i in known:
            if len(categories[i]) > 1:
                sid = batch.session_ids[i] if batch.session_ids else str(i)
                raise LogbertError(
                    f"session {sid!r} has {len(categories[i])} categories "
                    f"({', '.join(categories[i])}): a multiclass target takes one per session; "
                    f"train {name} with target='multilabel' for sessions with several"
                )
    return check_labelled_training(batch.take(known), labels[known], name)


def _category_targets(y: Any, batch: SessionBatch, name: str) -> list[list[str] | None]:
    """Per session, sorted distinct categories ([] normal, None unknown) from `y` or `batch`."""
    given = y is not None and any(isinstance(v, str | list | tuple) for v in list(y))
    if not given:
        if batch.categories is None:
            raise LogbertError(
                f"{name} with a category target needs categories: pass y as one list of "
                "category names per session, or Session objects / a SessionBatch that carry "
                "them (sessions files with a category `label` or a `labels` column)"
            )
        return [None if c is None else sorted(set(c)) for c in batch.categories]
    values = list(y)
    if len(values) != len(batch):
        raise LogbertError(f"{len(values)} category lists for {len(batch)} sessions")
    lists = any(isinstance(v, list | tuple) for v in values)
    out: list[list[str] | None] = []
    for i, value in enumerate(values):
        try:
            if lists or not isinstance(value, str | int | None):
                # one shape for all: lists of names (multi-label), or one name each
                out.append(parse_categories(list(value) if isinstance(value, tuple) else value))
            else:
                label, cats = parse_label(value)
                known = cats or ([] if label == NORMAL else ["anomaly"])
                out.append(None if label is None else known)
        except LogbertError as exc:
            sid = batch.session_ids[i] if batch.session_ids else str(i)
            raise LogbertError(f"session {sid!r}: {exc}") from exc
    return out


def check_labels(y: Any, n_sessions: int) -> np.ndarray:
    """`y` as an int64 array of one label per session (1 = anomaly, 0 = normal)."""
    try:
        labels = np.asarray(y, dtype=np.int64).reshape(-1)
    except (TypeError, ValueError) as exc:
        raise LogbertError(f"labels must be 1 (anomaly) or 0 (normal) per session ({exc})") from exc
    if labels.size != n_sessions:
        raise LogbertError(f"{labels.size} labels for {n_sessions} sessions")
    return labels


def require_fitted(detector: object, *attributes: str) -> None:
    """Refuse to use a model that was never trained (any of `attributes` missing)."""
    if not all(hasattr(detector, attribute) for attribute in attributes):
        name, cls = getattr(detector, "name", detector), type(detector).__name__
        raise LogbertError(f"{name} is not trained yet: call fit() or {cls}.load(dir)")
