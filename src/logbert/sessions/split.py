"""Splits of sessions: the seeded validation holdout of `logbert train`, and `logbert split`.

- `holdout`: train/validation of the normal training sessions, shared by `logbert train` and
  the benchmarks (it lives with the sessions, not in the HDFS protocol module, because every
  training run splits this way, whatever the dataset). Any list works: only positions are drawn.
- `split_sessions`: a sessions file into train / validation / test, by time (chronological by
  start: the honest default for logs, later data is scored by a model of earlier data) or
  seeded random, stratified by label when labels exist.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from logbert.errors import LogbertError
from logbert.sessions.io import ANOMALY, Session

PARTS = ("train", "validation", "test")


def holdout(sessions: list, share: float, seed: int) -> tuple[list, list]:
    """Seeded split into (train, validation); no validation when there are too few sessions.

    `logbert train` and the benchmarks use this same split of the normal sessions.
    """
    n_val = int(round(len(sessions) * share))
    if n_val == 0 or n_val >= len(sessions):
        return list(sessions), []
    order = np.random.default_rng(seed).permutation(len(sessions))
    val_index = set(order[:n_val].tolist())
    train = [s for i, s in enumerate(sessions) if i not in val_index]
    val = [s for i, s in enumerate(sessions) if i in val_index]
    return train, val


def split_sessions(
    sessions: Sequence[Session],
    shares: Sequence[float] = (0.6, 0.1, 0.3),
    by: str = "auto",
    seed: int = 0,
) -> tuple[dict[str, list[Session]], str]:
    """`sessions` cut into train / validation / test by `shares`; returns the parts and the
    method used (`time` or `random`; `auto` is time when every session has a start time).

    By time, sessions are ordered by start (ties by input order) and cut at the shares. Random
    splits are seeded and stratified by label (anomaly or not) when every session has one, so
    each part gets its share of the anomalies. Each part must get at least two sessions.
    """
    if len(shares) != 3 or any(s < 0 for s in shares) or not np.isclose(sum(shares), 1.0):
        raise LogbertError(
            f"split shares must be three non-negative numbers that add up to 1, got {shares}"
        )
    timed = all(s.start is not None for s in sessions)
    method = ("time" if timed else "random") if by == "auto" else by
    if method not in ("time", "random"):
        raise LogbertError(f"unknown split method {by!r}: use time, random or auto")
    if method == "time" and not timed:
        missing = sum(s.start is None for s in sessions)
        raise LogbertError(
            f"--by time needs session start times; {missing} of {len(sessions)} sessions have "
            "none (sessionize timestamped events, or use --by random)"
        )
    counts = _part_sizes(len(sessions), shares)
    if method == "time":
        order = sorted(range(len(sessions)), key=lambda i: (sessions[i].start, i))
        counts = _cut_between_times([sessions[i].start for i in order], counts, shares)
    else:
        order = _stratified_order(sessions, counts, seed)
    parts, start = {}, 0
    for name, count in zip(PARTS, counts, strict=True):
        parts[name] = [sessions[i] for i in order[start : start + count]]
        start += count
    return parts, method


def _part_sizes(n: int, shares: Sequence[float]) -> list[int]:
    if shares[0] == 0:  # the train part takes what the others leave, so say why it is empty
        raise LogbertError(
            f"the train share is 0 (shares {tuple(shares)}): a split needs training sessions; "
            "give train a share above 0, e.g. --train 0.6 --validation 0.1 --test 0.3"
        )
    sizes = [int(round(n * share)) for share in shares]
    sizes[0] = n - sizes[1] - sizes[2]
    too_small = [
        p for p, size, share in zip(PARTS, sizes, shares, strict=True) if share > 0 and size < 2
    ]
    if too_small or sizes[0] < 2:
        raise LogbertError(
            f"{n} sessions are too few for shares {tuple(shares)}: the "
            f"{', '.join(too_small) or 'train'} part would get fewer than two sessions"
        )
    return sizes


def _cut_between_times(starts: list, counts: list[int], shares: Sequence[float]) -> list[int]:
    """Part sizes moved so no cut falls between sessions that start at the same time (QA
    Fluent Bit: six pods' windows of 11:00 went four to validation, two to test): each cut
    goes to the nearer end of its run of equal starts, or the farther one where the nearer
    would leave a part given a share fewer than two sessions, else it stays. Two cuts at one
    place (an empty validation part) move as one."""
    n = len(starts)
    cuts = [counts[0], counts[0] + counts[1]]
    for cut in sorted(set(cuts)):
        if not 0 < cut < n or starts[cut - 1] != starts[cut]:
            continue
        low, high = cut, cut
        while low > 0 and starts[low - 1] == starts[cut]:
            low -= 1
        while high < n and starts[high] == starts[cut]:
            high += 1
        for moved in sorted((low, high), key=lambda c: abs(c - cut)):
            trial = [moved if c == cut else c for c in cuts]
            sizes = [trial[0], trial[1] - trial[0], n - trial[1]]
            if min(sizes) >= 0 and all(
                size >= 2 or share == 0 for size, share in zip(sizes, shares, strict=True)
            ):
                cuts = trial
                break
    return [cuts[0], cuts[1] - cuts[0], n - cuts[1]]


def _stratified_order(sessions: Sequence[Session], counts: list[int], seed: int) -> list[int]:
    """Positions in part order (train, validation, test), drawn by scikit-learn's seeded
    `train_test_split`, stratified by label when every session has one (and each label has
    at least two sessions)."""
    from sklearn.model_selection import train_test_split

    index = np.arange(len(sessions))
    labels = np.array([s.label == ANOMALY for s in sessions])
    stratified = all(s.label is not None for s in sessions) and np.bincount(labels).min() >= 2
    parts = []
    rest = index
    for count in (counts[2], counts[1]):  # test first, then validation from what is left
        if count == 0:
            parts.append(np.zeros(0, dtype=int))
            continue
        strata = labels[rest] if stratified and np.bincount(labels[rest]).min() >= 2 else None
        rest, taken = train_test_split(rest, test_size=count, random_state=seed, stratify=strata)
        parts.append(taken)
    test, validation = parts
    return [int(i) for part in (rest, validation, test) for i in sorted(part)]
