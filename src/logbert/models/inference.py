"""Deterministic masked scoring: every key of every window is masked exactly once.

Pass r of `stride` passes masks the positions p (p >= 1) with p % stride == r, so one forward
pass scores several positions while each masked key keeps most of its context. For each
position we keep the surprise -log P(actual key | context), whether the key fell outside the
model's top-g predictions (a "miss", the paper's rule) and the model's top-k expected tokens.

Keys unseen in training are [UNK] (probability 0, surprise capped at -log MIN_PROB), except,
with template-text embeddings, those whose template is known: token ids from the vocabulary
size on (`unseen_features`), with P(key | context) = sum_k P(k | context) w(key, k)
(`unseen_weights`, the rule of `key_text.py`) and a miss when that falls outside the top g.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from logbert.models.vocab import MASK, PAD, UNK

TOP_K = 3
MIN_PROB = 1e-12
SURPRISE_CAP = float(-np.log(np.float32(MIN_PROB)))  # a key given probability ~0: unseen
# Attention holds rows x width^2 scores per head: cap it so that a batch of long windows costs
# what 256 windows of 64 keys cost.
ATTENTION_CELLS = 256 * 64 * 64


@dataclass
class WindowScores:
    """Per-position results for a padded (windows x width) token matrix; position 0 unused."""

    surprise: np.ndarray  # float32 (n, width)
    miss: np.ndarray  # bool (n, width)
    expected: np.ndarray  # int64 (n, width, TOP_K) token ids
    expected_prob: np.ndarray  # float32 (n, width, TOP_K)
    valid: np.ndarray  # bool (n, width): scored positions (not DIST, not padding)


@torch.inference_mode()
def score_windows(
    model: nn.Module,
    tokens: np.ndarray,
    stride: int,
    top_g: int,
    batch_rows: int = 256,
    unseen_features: np.ndarray | None = None,
    unseen_weights: np.ndarray | None = None,
) -> WindowScores:
    """Score every position of `tokens` (int64, DIST at column 0) but padding and MASK.

    `unseen_features` (n, 384) and `unseen_weights` (n, vocabulary size): the unseen keys with
    template text, whose token ids follow the vocabulary (see the module doc).
    """
    model.eval()
    extra = weights = None
    if unseen_features is not None and len(unseen_features):
        extra = torch.from_numpy(np.asarray(unseen_features, dtype=np.float32))
        weights = torch.from_numpy(np.asarray(unseen_weights, dtype=np.float32))
    n, width = tokens.shape
    present = tokens != PAD
    valid = present & (tokens != MASK)  # a MASK holds an open session's end: never scored
    valid[:, 0] = False
    surprise = np.zeros((n, width), dtype=np.float32)
    miss = np.zeros((n, width), dtype=bool)
    expected = np.zeros((n, width, TOP_K), dtype=np.int64)
    expected_prob = np.zeros((n, width, TOP_K), dtype=np.float32)

    stride = max(1, min(stride, width - 1))
    column_pass = np.arange(width) % stride
    # one masked copy per (window, pass) that has anything to mask
    rows, passes = [], []
    for r in range(stride):
        has = (valid & (column_pass == r)).any(axis=1)
        rows.append(np.flatnonzero(has))
        passes.append(np.full(int(has.sum()), r))
    rows_all, passes_all = np.concatenate(rows), np.concatenate(passes)
    # similar lengths in a batch: little padding to compute through
    widths = present.sum(axis=1)[rows_all]  # the tokens up to the padding
    by_length = np.argsort(widths, kind="stable")
    rows_all, passes_all, widths = rows_all[by_length], passes_all[by_length], widths[by_length]

    all_tokens = torch.from_numpy(tokens)
    valid_t = torch.from_numpy(valid)
    column_pass_t = torch.from_numpy(column_pass)
    start = 0
    while start < len(rows_all):
        stop = min(start + batch_rows, len(rows_all))
        stop = min(stop, start + max(1, ATTENTION_CELLS // int(widths[stop - 1]) ** 2))
        r_idx = torch.from_numpy(rows_all[start:stop])
        p_idx = torch.from_numpy(passes_all[start:stop])
        start = stop
        batch = all_tokens[r_idx]
        chosen = valid_t[r_idx] & (column_pass_t[None, :] == p_idx[:, None])
        width_used = int(widths[stop - 1])  # the widest row: rows are sorted
        batch, chosen = batch[:, :width_used], chosen[:, :width_used]
        masked = batch.masked_fill(chosen, MASK)
        hidden = model(masked) if extra is None else model(masked, extra)
        logits = model.logits(hidden[chosen]).float()
        actual = batch[chosen]
        log_probs = torch.log_softmax(logits, dim=-1)
        vocab_size = logits.shape[1]
        is_extra = actual >= vocab_size
        known = actual.clamp(max=vocab_size - 1)
        actual_lp = log_probs.gather(1, known[:, None]).squeeze(1)
        rank = (logits > logits.gather(1, known[:, None])).sum(1)
        rank[actual == UNK] = vocab_size  # an unseen key is never among the predictions
        if weights is not None and bool(is_extra.any()):
            probs = log_probs[is_extra].exp()
            borrowed = (probs * weights[actual[is_extra] - vocab_size]).sum(1)
            actual_lp[is_extra] = borrowed.clamp(min=MIN_PROB).log()
            rank[is_extra] = (probs > borrowed[:, None]).sum(1)
        top_lp, top_ids = log_probs.topk(min(TOP_K, logits.shape[1]), dim=1)
        where_row, where_col = torch.nonzero(chosen, as_tuple=True)
        out_rows = r_idx[where_row].numpy()
        out_cols = where_col.numpy()
        surprise[out_rows, out_cols] = (-actual_lp.clamp(min=np.log(MIN_PROB))).numpy()
        miss[out_rows, out_cols] = (rank >= top_g).numpy()
        expected[out_rows, out_cols, : top_ids.shape[1]] = top_ids.numpy()
        expected_prob[out_rows, out_cols, : top_ids.shape[1]] = top_lp.exp().numpy()
    return WindowScores(surprise, miss, expected, expected_prob, valid)
