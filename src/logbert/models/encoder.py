"""The BERT-style encoder over log-key tokens: embeddings, PyTorch encoder layers, MLKP head.

PyTorch's `nn.TransformerEncoderLayer` (post-norm, GELU: BERT's layer) rather than
transformers' `BertModel`: the same architecture, and in inference mode PyTorch runs it on its
fused fast path, which matters for scoring throughput on a CPU.
"""

from __future__ import annotations

import torch
from torch import nn

from logbert.models.vocab import DIST, PAD


class LogKeyEncoder(nn.Module):
    """Token + position embeddings -> encoder layers -> per-position key logits and DIST state."""

    def __init__(
        self,
        vocab_size: int,
        hidden: int = 64,
        layers: int = 2,
        heads: int = 4,
        max_len: int = 128,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        self.token = nn.Embedding(vocab_size, hidden, padding_idx=PAD)
        self.position = nn.Embedding(max_len, hidden)
        self.norm = nn.LayerNorm(hidden)
        self.dropout = nn.Dropout(dropout)
        layer = nn.TransformerEncoderLayer(
            hidden, heads, 4 * hidden, dropout, activation="gelu", batch_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.head = nn.Sequential(
            nn.Linear(hidden, hidden),
            nn.GELU(),
            nn.LayerNorm(hidden),
            nn.Linear(hidden, vocab_size),
        )
        # PAD, MASK, UNK and DIST are never predicted: the model's distribution is over the
        # training keys and END, so a key unseen in training has probability zero.
        blocked = torch.zeros(vocab_size)
        blocked[: DIST + 1] = float("-inf")
        self.register_buffer("blocked", blocked, persistent=False)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """Hidden states (batch, length, hidden); position 0 is the DIST token."""
        positions = torch.arange(tokens.shape[1], device=tokens.device)
        x = self.dropout(self.norm(self.token(tokens) + self.position(positions)))
        return self.encoder(x, src_key_padding_mask=tokens == PAD)

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """Key logits for hidden states (any leading shape); special tokens get -inf."""
        return self.head(hidden) + self.blocked
