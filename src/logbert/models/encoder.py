"""The BERT-style encoder over log-key tokens: embeddings, PyTorch encoder layers, MLKP head.

PyTorch's `nn.TransformerEncoderLayer` (post-norm, GELU: BERT's layer) rather than
transformers' `BertModel`: the same architecture, and in inference mode PyTorch runs it on its
fused fast path, which matters for scoring throughput on a CPU.

With `text_dim` > 0 (`key_embedding="template-text"`, see `key_text.py`) a key whose template
text is known is embedded as a trainable projection of its frozen MiniLM embedding (buffer
`text_features`, saved with the weights); keys without text and the special tokens keep learned
rows. `forward(tokens, extra)` also takes embeddings of keys unseen in training (`extra`, token
ids from `vocab_size` on), which the projection embeds like any other template.
"""

from __future__ import annotations

import torch
from torch import nn

from logbert.models.key_text import embedding_table
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
        text_dim: int = 0,
    ) -> None:
        super().__init__()
        self.token = nn.Embedding(vocab_size, hidden, padding_idx=PAD)
        self.text_dim = text_dim
        if text_dim:
            self.text = nn.Linear(text_dim, hidden)
            self.register_buffer("text_features", torch.zeros(vocab_size, text_dim))
            self.register_buffer("has_text", torch.zeros(vocab_size, dtype=torch.bool))
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

    def set_text_features(self, features: torch.Tensor, has_text: torch.Tensor) -> None:
        """The MiniLM embedding of each token's template (rows without text: `has_text` False)."""
        self.text_features.copy_(features)
        self.has_text.copy_(has_text)

    def embed(self, tokens: torch.Tensor, extra: torch.Tensor | None = None) -> torch.Tensor:
        """Token embeddings; `extra`: MiniLM embeddings of unseen keys (tokens >= vocab_size)."""
        if not self.text_dim:
            return self.token(tokens)
        table = embedding_table(
            self.token.weight, self.text, self.text_features, self.has_text, extra
        )
        return nn.functional.embedding(tokens, table, padding_idx=PAD)

    def forward(self, tokens: torch.Tensor, extra: torch.Tensor | None = None) -> torch.Tensor:
        """Hidden states (batch, length, hidden); position 0 is the DIST token."""
        positions = torch.arange(tokens.shape[1], device=tokens.device)
        x = self.dropout(self.norm(self.embed(tokens, extra) + self.position(positions)))
        return self.encoder(x, src_key_padding_mask=tokens == PAD)

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """Key logits for hidden states (any leading shape); special tokens get -inf."""
        return self.head(hidden) + self.blocked
