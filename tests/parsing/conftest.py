"""Fixtures shared by the parsing tests."""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pytest

from logbert.parsing.masks import mask_array, mask_text


def _masked_alike(lines: list[str]) -> list[str]:
    """Each line masked one at a time and as a chunk: the two must agree (the pipeline masks
    chunks, scoring one line may mask it alone)."""
    distinct, codes, _ = mask_array(pa.array(lines))
    chunk = [distinct[i].as_py() for i in codes.tolist()]
    single = [mask_text(line) for line in lines]
    assert chunk == single
    return single


@pytest.fixture
def masked_alike() -> Callable[[list[str]], list[str]]:
    """`_masked_alike`: lines masked, one at a time and as a chunk alike."""
    return _masked_alike
