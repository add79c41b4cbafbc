"""Masked scoring gives the same answer however the windows are batched."""

from __future__ import annotations

import numpy as np
import pytest

from logbert.models import inference
from logbert.models.logbert import LogBERT
from logbert.models.vocab import pad, windows


@pytest.mark.parametrize("batch_rows, attention_cells", [(1, 10**9), (7, 10**9), (1024, 40)])
def test_batching_does_not_change_scores(monkeypatch, batch_rows, attention_cells):
    model = LogBERT(hidden=16, layers=1, heads=2, max_len=12, epochs=2, batch_size=16)
    model.fit([[1, 2, 3, 4], [1, 2, 3, 4, 5], [2, 3, 4]] * 5)
    sessions = [[1, 2, 3, 4], [1, 2], list(range(1, 6)) * 5, [4, 3, 2, 1, 9], []]
    tokens = pad([w for s in sessions for w in windows([model.vocab_.token(k) for k in s], 12)])
    whole = inference.score_windows(model.model_, tokens, stride=3, top_g=2, batch_rows=10**6)
    # attention_cells=40 forces batches of one or two windows once windows are wider than 6
    monkeypatch.setattr(inference, "ATTENTION_CELLS", attention_cells)
    split = inference.score_windows(model.model_, tokens, stride=3, top_g=2, batch_rows=batch_rows)
    assert np.allclose(split.surprise, whole.surprise, atol=1e-5)
    assert np.array_equal(split.miss, whole.miss)
    assert np.array_equal(split.valid, whole.valid)
    assert split.valid.sum() == sum(len(s) + 1 for s in sessions)  # every key and END, once


def test_a_mask_holding_an_open_sessions_end_is_never_scored():
    model = LogBERT(hidden=16, layers=1, heads=2, max_len=12, epochs=1, batch_size=16)
    model.fit([[1, 2, 3, 4]] * 5)
    rows = windows([model.vocab_.token(k) for k in [1, 2, 3]], 12, closed=False, hold_end=True)
    result = inference.score_windows(model.model_, pad(rows), stride=2, top_g=2)
    assert result.valid.sum() == 3  # the three keys; not DIST, not the MASK after them
