"""What the data alone allows: the unseen-key ceiling of a protocol.

A detector that counts a key never seen in normal training as evidence of an anomaly must flag
every normal test session holding such a key. Those sessions are forced false positives
(`FP_forced`), whatever the model; even at perfect recall on the `A` test anomalies its F1 is at
most `2A / (2A + FP_forced)` (protocol B: 26 forced false positives, 181 anomalies, F1 <= 0.933).

"Normal training" is every normal training session of the protocol (the fitted part and the
validation part together), so the bound is the loosest one a bundle trained on them can meet.
"""

from __future__ import annotations

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
