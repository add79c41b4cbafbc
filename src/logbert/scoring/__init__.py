"""Scoring stage: thresholds that turn anomaly scores into verdicts, and score files."""
