"""Evaluation stage: detection metrics on held-out labelled sessions."""
