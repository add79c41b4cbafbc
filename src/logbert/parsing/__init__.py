"""Parsing stage: raw log lines -> structured events with template ids (log keys)."""
