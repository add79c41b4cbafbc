"""`logbert sessionize`: not built yet (see the open issues)."""

from logbert.errors import LogbertError


def command() -> None:
    """Not built yet."""
    raise LogbertError("`logbert sessionize` is not built yet")
