"""Models stage: detectors with the scikit-learn estimator contract (see `base.py`).

`fit(X, y=None, validation=None)` on normal sessions (y == 1 left out) leaves a calibrated
`threshold_`; `decision_function` gives anomaly scores (higher = more anomalous),
`score_sessions` every declared score, `predict` 0/1 against `threshold_`; `save`/`load` as a
directory. Input is a `SessionBatch`, `Session` objects or key lists, checked in `checks.py`.
"""
