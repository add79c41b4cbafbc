"""Sessions stage: events -> sessions (ordered log keys per block id or time window).

`logbert.sessions.io` holds the one set of readers and writers every later stage uses.
"""

from logbert.sessions.io import Session, iter_session_batches, read_sessions, write_sessions

__all__ = ["Session", "iter_session_batches", "read_sessions", "write_sessions"]
