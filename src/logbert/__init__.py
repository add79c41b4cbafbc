"""logbert: find anomalous sessions in system logs.

Pipeline (one package per stage, data flows one way):
parsing -> sessions -> models -> scoring -> evaluation -> reporting; cli wires them together.
"""

__version__ = "0.1.0"
