"""User-facing errors.

Every stage raises `LogbertError` for problems the user can fix (bad input, missing file,
wrong option). The CLI prints its message without a traceback and exits with status 2.
"""


class LogbertError(Exception):
    """An error whose message tells the user what went wrong, where, and what to do."""
