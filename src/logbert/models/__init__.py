"""Models stage: detectors with the scikit-learn/PyOD estimator convention.

`fit` on normal sessions, `decision_function` for anomaly scores (higher = more anomalous),
`predict` against a stored, calibrated `threshold_`, `save`/`load` as a directory.
"""
