"""`apply_gated`: the pattern lists run block by block on the rows a block can change, with
the result of running every pattern on every row."""

from __future__ import annotations

import pyarrow as pa

from logbert.parsing import kept_values
from logbert.parsing.mask_symbols import apply_gated, apply_patterns

# a chain: each pattern matches only what the one before it wrote, across block boundaries
CHAIN = [("a", "b", 1), ("b", "c", 1), ("c", "d", 2), ("x", "y", 1), ("d", "e", 1)]
ROWS = ["a", "zzz", "xa", None, "b", "", "cx"]


def test_gated_equals_flat_across_blocks_and_passes():
    arr = pa.array(ROWS, pa.string())
    flat = apply_patterns(arr, CHAIN).to_pylist()
    assert flat == ["e", "zzz", "ye", None, "e", "", "ey"]
    for block in (1, 2, 3, 10):
        assert apply_gated(arr, CHAIN, block).to_pylist() == flat


def test_gated_equals_flat_on_the_error_numbers_list():
    """`kept_values.ERRNO` (hundreds of passes, a digit a pass), on rows that need several
    rounds, none, or another block's patterns only."""
    rows = [
        "RESULT err=49 tag=97 nentries=0", "exit code 137", "errno=-1234567",
        "error:0A000086:SSL routines", "%ASA-4-106023: Deny", "status=1/FAILURE",
        "[kv:9007]Write conflict", "signal=-73 level", "no code here", "found 0 errors",
    ]  # fmt: skip
    arr = pa.array(rows)
    assert apply_gated(arr, kept_values.ERRNO) == apply_patterns(arr, kept_values.ERRNO)
    assert apply_gated(arr, kept_values.ERRNO) != arr  # (the list does change these rows)
