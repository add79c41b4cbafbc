"""Serving stage: online detection (not built yet)."""
