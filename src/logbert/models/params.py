"""Checks of detector constructor parameters, shared so every detector words them the same way.

Parameters come from Python, from a `--config` YAML file or from a model directory's
config.json, so anything may arrive: a string where a number belongs (`epochs: "ten"`), a
negative size, a probability above 1. Unchecked, such values surface as a torch or numpy
traceback after training has started, or worse, train a meaningless model that scores without
complaint (`mask_ratio: 1.5`). Each detector's `_check_params` (called at the start of `fit`
and by `load`) therefore checks every parameter with these helpers, which raise a `ParamError`
worded "<model>: <param> must be ... (got X)".

`bool` is not accepted as a number here (Python's `True == 1` would let `epochs: true` train one
epoch). `sklearn_params` turns scikit-learn's own parameter errors into the same kind of error
for the few combinations only the estimator can judge (e.g. PCA's integer `n_components`
against the number of keys).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from logbert.errors import LogbertError


class ParamError(LogbertError):
    """A bad constructor parameter; `param` names it (the CLI says where it came from)."""

    def __init__(self, who: str, param: str, problem: str, value: Any) -> None:
        super().__init__(f"{who}: {param} must be {problem} (got {value!r})")
        self.param = param


def is_int(value: Any) -> bool:
    """An integer (Python or numpy), not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    """A finite real number (int or float, Python or numpy), not a bool."""
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def require_int(who: str, name: str, value: Any, low: int, high: int | None = None) -> None:
    """`value` is an integer in [low, high] (high: no upper bound when None)."""
    if not is_int(value):
        raise ParamError(who, name, "an integer", value)
    if value < low:
        raise ParamError(who, name, f"at least {low}", value)
    if high is not None and value > high:
        raise ParamError(who, name, f"at most {high}", value)


def require_float(
    who: str,
    name: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> None:
    """`value` is a finite number within the bounds (closed unless `*_open`; None: none)."""
    inside = is_number(value)
    if inside and low is not None:
        inside = value > low if low_open else value >= low
    if inside and high is not None:
        inside = value < high if high_open else value <= high
    if not inside:
        raise ParamError(who, name, _range_text(low, high, low_open, high_open), value)


def require_bool(who: str, name: str, value: Any) -> None:
    """`value` is true or false (YAML `true`/`false`), not 0/1 or a string."""
    if not isinstance(value, bool):
        raise ParamError(who, name, "true or false", value)


def require_choice(who: str, name: str, value: Any, choices: Collection[Any]) -> None:
    """`value` is one of `choices`."""
    if not isinstance(value, str | None) or value not in choices:
        shown = ", ".join("null" if c is None else repr(c) for c in choices)
        raise ParamError(who, name, f"one of {shown}", value)


@contextmanager
def sklearn_params(who: str) -> Iterator[None]:
    """Re-raise scikit-learn's parameter errors from inside the block as a `LogbertError`.

    scikit-learn raises `InvalidParameterError` (a `ValueError`) naming the parameter for a
    value of the wrong type or range, and a plain `ValueError` for a value that does not fit
    the data (PCA's `n_components` above the number of keys); both are bad parameters.
    """
    try:
        yield
    except ValueError as exc:
        raise LogbertError(
            f"{who}: a parameter does not fit ({exc}); change it in the --config file"
        ) from exc


def _range_text(low: float | None, high: float | None, low_open: bool, high_open: bool) -> str:
    if low is not None and high is not None:
        return f"a number in {'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"
    if low is not None:
        return f"a number {'>' if low_open else '>='} {low}"
    if high is not None:
        return f"a number {'<' if high_open else '<='} {high}"
    return "a finite number"
