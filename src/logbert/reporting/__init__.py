"""Reporting stage: HTML reports with plots."""
