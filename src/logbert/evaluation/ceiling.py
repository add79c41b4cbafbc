"""What the data alone allows: the unseen-key ceiling of a protocol, and the count-vector
ceiling of a labelled one.

A detector that counts a key never seen in normal training as evidence of an anomaly must flag
every normal test session holding such a key. Those sessions are forced false positives
(`FP_forced`), whatever the model; even at perfect recall on the `A` test anomalies its F1 is at
most `2A / (2A + FP_forced)` (protocol B: 26 forced false positives, 181 anomalies, F1 <= 0.933).

"Normal training" is every normal training session of the protocol (the fitted part and the
validation part together), so the bound is the loosest one a bundle trained on them can meet.

The count-vector ceiling (`count_vector_ceiling`, labelled protocols such as `hdfs-time`): the
count-vector classifiers and the text classifier's template-pool encoding (mean and max of the
keys' template embeddings plus the length: a function of the key counts) see a session only
through its key-count vector. So

- test sessions whose vector holds both labels in the test set cannot all be right: the best
  F1 any function of the count vector reaches on the test set, labels known (`f1_max_any`,
  the oracle: flag the vectors in order of their anomalous share, keep the best prefix), bounds
  every such model;
- a test session whose vector occurs in the reference sessions (training + validation) only
  with the opposite label is wrong for a model that reproduces its reference labels on the
  vectors it has seen (a tree grown to purity, distance-weighted knn): counting those as errors
  and everything else right gives `f1_max_consistent`;
- a test session whose vector never occurs in the reference is a generalisation case
  (`unseen_*`): the share of anomalous and of normal test sessions that are.

The key-evidence bound (`key_evidence_bound`) looks at single keys instead of whole vectors: a
key the reference holds only in anomalous sessions is, to anything that learns from those
labels, a sign of an anomaly (trees split on it, knn and the template-pool features move
towards the anomalies with it). A normal test session holding such a key goes against all the
evidence training gives; counting those as false alarms and everything else right gives
`f1_max_key_evidence`. It is not a hard ceiling (a model may weigh other keys more), but on
HDFS split by time it is where every supervised detector stops.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from logbert.sessions.io import ANOMALY, Session


def unseen_key_ceiling(train: Iterable[Session], test: Iterable[Session]) -> dict[str, Any]:
    """Forced false positives from unseen keys and the F1 ceiling they leave.

    Returns `n_train_keys` (distinct keys of the training sessions), `n_test_normal`,
    `n_test_anomalies`, `normal_with_unseen` (FP_forced), `normal_with_unseen_share`,
    `anomalies_with_unseen` (test anomalies an unseen key alone would catch), and `f1_max`
    (None when the test set has no anomaly).
    """
    seen: set[int] = set()
    for session in train:
        seen.update(int(k) for k in session.keys)
    n_normal = n_anomalies = forced = caught = 0
    for session in test:
        unseen = any(int(k) not in seen for k in session.keys)
        if session.label == ANOMALY:
            n_anomalies += 1
            caught += unseen
        else:
            n_normal += 1
            forced += unseen
    return {
        "n_train_keys": len(seen),
        "n_test_normal": n_normal,
        "n_test_anomalies": n_anomalies,
        "normal_with_unseen": forced,
        "normal_with_unseen_share": forced / n_normal if n_normal else None,
        "anomalies_with_unseen": caught,
        "f1_max": 2 * n_anomalies / (2 * n_anomalies + forced) if n_anomalies else None,
    }


def describe_ceiling(ceiling: dict[str, Any]) -> str:
    """One line for the notes, e.g. `26 of 7,068 normal test sessions (0.37%) ... F1 <= 0.933`."""
    share = ceiling["normal_with_unseen_share"]
    f1 = ceiling["f1_max"]
    return (
        f"Ceiling: {ceiling['normal_with_unseen']:,} of {ceiling['n_test_normal']:,} normal test "
        f"sessions ({0 if share is None else 100 * share:.2f}%) hold a key no normal training "
        f"session has ({ceiling['n_train_keys']} training keys); a detector that treats unseen "
        "keys as evidence must flag them, so at perfect recall on the "
        f"{ceiling['n_test_anomalies']:,} test anomalies its F1 is at most "
        f"2*{ceiling['n_test_anomalies']}/(2*{ceiling['n_test_anomalies']}+"
        f"{ceiling['normal_with_unseen']}) = {'—' if f1 is None else f'{f1:.3f}'}. "
        f"{ceiling['anomalies_with_unseen']:,} test anomalies hold an unseen key."
    )


CountVector = tuple[tuple[int, int], ...]


def count_vector(keys: Iterable[int]) -> CountVector:
    """A session's key-count vector, as sorted (key, count) pairs."""
    return tuple(sorted(Counter(int(k) for k in keys).items()))


def count_vector_ceiling(
    train: Iterable[Session], test: Iterable[Session], validation: Iterable[Session] = ()
) -> dict[str, Any]:
    """What count-vector models can reach on `test`, given the labelled reference sessions
    (`train` + `validation`); see the module doc.

    Returns the test counts (`n_test_anomalies`, `n_test_normal`, `n_test_vectors` distinct
    vectors), `contradicted_anomalies` / `contradicted_normal` (vector seen in the reference,
    only with the other label), `f1_max_consistent`, `unseen_anomalies` / `unseen_normal` and
    their shares (vector never in the reference), the same against `train` alone
    (`unseen_in_train_anomalies` / `_normal`: what a model fitted on `train` never saw),
    `ambiguous_sessions` (test sessions whose vector holds both labels in the test set) and
    `f1_max_any`. F1 bounds are None without test anomalies.
    """
    seen: dict[CountVector, set[bool]] = {}
    for session in train:
        seen.setdefault(count_vector(session.keys), set()).add(session.label == ANOMALY)
    fitted = set(seen)
    for session in validation:
        seen.setdefault(count_vector(session.keys), set()).add(session.label == ANOMALY)
    per_vector: dict[CountVector, list[int]] = {}  # vector -> [normal, anomalous] test sessions
    contradicted = [0, 0]
    unseen = [0, 0]
    unseen_in_train = [0, 0]
    for session in test:
        vector = count_vector(session.keys)
        anomalous = session.label == ANOMALY
        per_vector.setdefault(vector, [0, 0])[anomalous] += 1
        unseen_in_train[anomalous] += vector not in fitted
        labels = seen.get(vector)
        if labels is None:
            unseen[anomalous] += 1
        elif labels == {not anomalous}:
            contradicted[anomalous] += 1
    n_normal = sum(n for n, _ in per_vector.values())
    n_anomalies = sum(a for _, a in per_vector.values())
    consistent = None
    if n_anomalies:
        tp = n_anomalies - contradicted[1]
        consistent = 2 * tp / (2 * tp + contradicted[0] + contradicted[1])
    return {
        "n_test_normal": n_normal,
        "n_test_anomalies": n_anomalies,
        "n_test_vectors": len(per_vector),
        "n_reference_vectors": len(seen),
        "contradicted_anomalies": contradicted[1],
        "contradicted_normal": contradicted[0],
        "f1_max_consistent": consistent,
        "unseen_anomalies": unseen[1],
        "unseen_normal": unseen[0],
        "unseen_anomalies_share": unseen[1] / n_anomalies if n_anomalies else None,
        "unseen_normal_share": unseen[0] / n_normal if n_normal else None,
        "unseen_in_train_anomalies": unseen_in_train[1],
        "unseen_in_train_normal": unseen_in_train[0],
        "ambiguous_sessions": sum(n + a for n, a in per_vector.values() if n and a),
        "f1_max_any": best_vector_f1(list(per_vector.values())),
    }


def best_vector_f1(counts: list[list[int]]) -> float | None:
    """The best F1 of flagging whole groups ([normal, anomalous] sessions per group).

    F1 = 2 TP / (TP + FP + P) is a ratio of linear functions of the flagged set, so its
    maximum flags the groups in order of their anomalous share (purest first, ties together):
    the best prefix of that order. None without anomalies.
    """
    total = sum(a for _, a in counts)
    if not total:
        return None
    shares: dict[float, list[int]] = {}
    for n, a in counts:
        group = shares.setdefault(a / (n + a), [0, 0])
        group[0] += n
        group[1] += a
    best = tp = fp = 0
    for share in sorted(shares, reverse=True):
        fp += shares[share][0]
        tp += shares[share][1]
        best = max(best, 2 * tp / (tp + fp + total))
    return best


def describe_count_vector_ceiling(ceiling: dict[str, Any]) -> str:
    """One line for the notes of a labelled protocol."""

    def pct(share: float | None) -> str:
        return "—" if share is None else f"{100 * share:.1f}%"

    def f1(value: float | None) -> str:
        return "—" if value is None else f"{value:.3f}"

    c = ceiling
    return (
        f"Count-vector ceiling: the {c['n_test_anomalies']:,} anomalous and "
        f"{c['n_test_normal']:,} normal test sessions have {c['n_test_vectors']:,} distinct "
        f"key-count vectors. {c['unseen_anomalies']:,} anomalous "
        f"({pct(c['unseen_anomalies_share'])}) and {c['unseen_normal']:,} normal "
        f"({pct(c['unseen_normal_share'])}) test sessions have a vector no training or "
        f"validation session has ({c['unseen_in_train_anomalies']:,} and "
        f"{c['unseen_in_train_normal']:,} one no training session has). "
        f"{c['contradicted_anomalies']:,} anomalous and "
        f"{c['contradicted_normal']:,} normal test sessions have a vector that training + "
        "validation hold only with the other label: a model that reproduces those labels gets "
        f"them wrong, so (all else right) its F1 is at most {f1(c['f1_max_consistent'])}. "
        f"{c['ambiguous_sessions']:,} test sessions share their vector with a test session of "
        "the other label: no function of the count vector gets them all right, and the best F1 "
        "any such function reaches on the test set, labels known (flag the vectors in order of "
        f"their anomalous share, keep the best prefix), is {f1(c['f1_max_any'])}: an upper bound "
        "for the count-vector classifiers and the text classifier's template-pool encoding "
        "(not for order-aware models such as LogBERT)."
    )


def key_evidence_bound(reference: Iterable[Session], test: Iterable[Session]) -> dict[str, Any]:
    """Keys the labelled `reference` sessions hold only in anomalous ones, how many normal and
    anomalous `test` sessions hold one, and the F1 with those normal sessions as the only
    errors (`f1_max_key_evidence`; None without test anomalies); see the module doc."""
    in_normal: set[int] = set()
    in_anomalous: set[int] = set()
    for session in reference:
        keys = {int(k) for k in session.keys}
        (in_anomalous if session.label == ANOMALY else in_normal).update(keys)
    anomaly_only = in_anomalous - in_normal
    held = [0, 0]  # [normal, anomalous] test sessions holding an anomaly-only key
    n_anomalies = 0
    for session in test:
        anomalous = session.label == ANOMALY
        n_anomalies += anomalous
        held[anomalous] += any(int(k) in anomaly_only for k in session.keys)
    bound = 2 * n_anomalies / (2 * n_anomalies + held[0]) if n_anomalies else None
    return {
        "anomaly_only_keys": sorted(anomaly_only),
        "normal_with_anomaly_only_key": held[0],
        "anomalies_with_anomaly_only_key": held[1],
        "n_test_anomalies": n_anomalies,
        "f1_max_key_evidence": bound,
    }


def describe_key_evidence_bound(bound: dict[str, Any]) -> str:
    """One line for the notes of a labelled protocol."""
    f1 = bound["f1_max_key_evidence"]
    return (
        f"Key-evidence bound: {len(bound['anomaly_only_keys'])} keys occur in training + "
        "validation only in anomalous sessions "
        f"({', '.join(map(str, bound['anomaly_only_keys'])) or 'none'}); "
        f"{bound['anomalies_with_anomaly_only_key']:,} of the {bound['n_test_anomalies']:,} "
        f"anomalous and {bound['normal_with_anomaly_only_key']:,} normal test sessions hold "
        "one. A model that learns those keys as signs of an anomaly flags those normal "
        "sessions; with them as its only errors its F1 is "
        f"{'—' if f1 is None else f'{f1:.3f}'} (not a hard ceiling: a model may weigh other "
        "keys more)."
    )
