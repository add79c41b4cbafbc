"""`text-classifier`'s `template-pool` encoding: frozen template embeddings, pooled per session.

Encoding whole sessions with MiniLM costs a forward pass over every distinct session text
(HDFS 2%: 96 s for the training split with the encoder frozen, and fine-tuning did not fit the
10-minute CPU budget). A session of log events is made of a few dozen distinct templates, so
this encoding embeds each distinct template TEXT once (`pretrained.sentence_embeddings`, cached
by text, so a key that gains text later is embedded again) and describes a session by

    [mean of its keys' embeddings, element-wise max of them, log(1 + number of keys)]

The mean weighs each template by its count: with linearly independent template embeddings it
holds the session's normalised count vector, so the head can learn what count-vector
classifiers learn, while a template never seen in training lands near similar known ones
instead of in a column no model has weights for. The order of the events is not used. Only an
MLP head (`hidden_size` ReLU units; 2 logits, or one per class for a category target) is
trained, on one torch thread (its matrices are
small: on the busy 2-core machine two threads made 100 epochs take 549 s instead of 32 s).

Inputs are centred per dimension and scaled per BLOCK (the mean block, the max block, the
length), each by one number: the RMS of its centred training values. Scaling each dimension
by its own standard deviation (the first design) distorts the embedding geometry, and a
dimension constant in training (68 of 769 once the HDFS sessions holding one template were
left out) multiplied a new template's shift in it by up to 1e6: the model scored calibration
data at chance (benchmarks/results/unseen_templates.md).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np

from logbert.errors import LogbertError
from logbert.models.pretrained import EMBEDDING_DIM, sentence_embeddings
from logbert.models.runtime import torch_threads

# (epochs, learning_rate, batch_size) when the text classifier leaves them None; fixed before
# any measurement (benchmarks/results/unseen_templates_preregistration.md)
POOL_DEFAULTS = (100, 1e-3, 64)
N_FEATURES = 2 * EMBEDDING_DIM + 1
WHO = "text-classifier"
# (logits, targets) -> one loss per row
RowLoss = Callable[[Any, Any], Any]


class TemplatePool:
    """Template-embedding cache, session features and the trained head (see the module doc)."""

    def __init__(
        self, hidden_size: int, model_path: str | None, seed: int, n_outputs: int = 2
    ) -> None:
        import torch

        self.model_path = model_path
        self.embedding: dict[str, np.ndarray] = {}  # template text -> its MiniLM embedding
        torch.manual_seed(seed)  # the head's initial weights
        self.head = _head_class()(N_FEATURES, hidden_size, n_outputs)

    # --- features ---------------------------------------------------------------------------

    def embed(self, texts: list[str]) -> None:
        """Embed the texts not in the cache yet (one batch of forward passes)."""
        new = sorted({t for t in texts if t not in self.embedding})
        if new:
            vectors = sentence_embeddings(new, WHO, self.model_path)
            self.embedding.update(zip(new, vectors, strict=True))

    def features(self, sequences: list[np.ndarray], text_of: Callable[[int], str]) -> np.ndarray:
        """float32 (len(sequences), N_FEATURES): mean, max and log length per session."""
        keys = np.unique(np.concatenate([np.asarray(s, dtype=np.int64) for s in sequences] or [[]]))
        texts = {int(k): text_of(int(k)) for k in keys.astype(np.int64)}
        self.embed(list(texts.values()))
        table = np.zeros((max(len(keys), 1), EMBEDDING_DIM), dtype=np.float32)
        for row, key in enumerate(keys.astype(np.int64)):
            table[row] = self.embedding[texts[int(key)]]
        out = np.zeros((len(sequences), N_FEATURES), dtype=np.float32)
        for i, session in enumerate(sequences):
            if not len(session):
                continue  # an empty session: zeros, length 0
            vectors = table[np.searchsorted(keys, np.asarray(session, dtype=np.int64))]
            out[i, :EMBEDDING_DIM] = vectors.mean(axis=0)
            out[i, EMBEDDING_DIM:-1] = vectors.max(axis=0)
            out[i, -1] = np.log1p(len(session))
        return out

    # --- the head ---------------------------------------------------------------------------

    def fit(
        self,
        features: np.ndarray,
        targets: np.ndarray,
        weights: np.ndarray,
        epochs: int,
        learning_rate: float,
        batch_size: int,
        seed: int,
        loss: RowLoss | None = None,
    ) -> tuple[list[float], int]:
        """Train the head (AdamW; sample-weighted `loss`, default cross-entropy on class
        indexes, see `weighted_epoch`); (loss per epoch, steps)."""
        import torch

        x = torch.as_tensor(features, dtype=torch.float32)
        self.head.mean.copy_(x.mean(dim=0))
        self.head.scale.copy_(block_scale(x - self.head.mean))
        y = torch.as_tensor(targets)  # class indexes (int64) or an indicator matrix (float)
        w = torch.as_tensor(weights, dtype=torch.float32)
        optimizer = torch.optim.AdamW(self.head.parameters(), lr=learning_rate)
        self.head.train()
        with torch_threads(1):
            history, step = self._epochs(x, y, w, optimizer, epochs, batch_size, seed, loss)
        self.head.eval()
        return history, step

    def _epochs(
        self,
        x: Any,
        y: Any,
        w: Any,
        optimizer: Any,
        epochs: int,
        batch_size: int,
        seed: int,
        loss: RowLoss | None,
    ) -> tuple[list[float], int]:
        import torch

        history: list[float] = []
        step = 0
        for epoch in range(epochs):
            generator = torch.Generator().manual_seed(seed * 7919 + epoch)
            order = torch.randperm(len(x), generator=generator)
            mean_loss, step = weighted_epoch(
                lambda rows: self.head(x[rows]), y, w, optimizer, order, batch_size, step,
                loss=loss,
            )  # fmt: skip
            history.append(mean_loss)
        return history, step

    def logits(self, features: np.ndarray) -> Any:
        """The head's logits (a float32 tensor, no gradient) per row of features."""
        import torch

        with torch.inference_mode(), torch_threads(1):
            return self.head(torch.as_tensor(features, dtype=torch.float32))

    # --- state ------------------------------------------------------------------------------

    def state(self, keys: list[int], text_of: Callable[[int], str]) -> dict[str, Any]:
        """Tensors to save: the head, and the embeddings of `keys` (no re-encoding on load)."""
        import torch

        texts = [text_of(k) for k in keys]
        self.embed(texts)
        state = {f"head.{k}": v.detach().contiguous() for k, v in self.head.state_dict().items()}
        state["embedding_keys"] = torch.as_tensor(keys, dtype=torch.long).reshape(-1)
        matrix = (
            np.stack([self.embedding[t] for t in texts]) if texts else np.zeros((0, EMBEDDING_DIM))
        )
        state["embeddings"] = torch.as_tensor(matrix, dtype=torch.float32).reshape(
            -1, EMBEDDING_DIM
        )
        return state

    def load(self, state: dict[str, Any], text_of: Callable[[int], str]) -> None:
        """Restore what `state` saved (an error if tensors are missing or misshapen)."""
        head = {k[len("head.") :]: v for k, v in state.items() if k.startswith("head.")}
        try:
            self.head.load_state_dict(head, strict=True)
            keys = state["embedding_keys"].tolist()
            matrix = state["embeddings"].numpy()
        except (KeyError, RuntimeError) as exc:
            raise LogbertError(f"template-pool state is incomplete or misshapen ({exc})") from exc
        if matrix.shape != (len(keys), EMBEDDING_DIM):
            raise LogbertError(f"template-pool embeddings have shape {matrix.shape}")
        self.embedding.update({text_of(int(k)): row for k, row in zip(keys, matrix, strict=True)})
        self.head.eval()


def block_scale(centred: Any) -> Any:
    """Per-dimension scale, one value per block (mean, max, length): the block's RMS."""
    import torch

    blocks = (slice(0, EMBEDDING_DIM), slice(EMBEDDING_DIM, 2 * EMBEDDING_DIM), slice(-1, None))
    scale = torch.ones(centred.shape[1])
    for block in blocks:
        rms = float(centred[:, block].pow(2).mean().sqrt())
        scale[block] = max(rms, 1e-6)
    return scale


@cache
def _head_class() -> type:
    import torch

    class Head(torch.nn.Module):
        """Centre and scale (`block_scale`; saved as buffers), one ReLU layer, `n_out` logits."""

        def __init__(self, n_in: int, hidden: int, n_out: int = 2) -> None:
            super().__init__()
            self.register_buffer("mean", torch.zeros(n_in))
            self.register_buffer("scale", torch.ones(n_in))
            if hidden:
                self.net = torch.nn.Sequential(
                    torch.nn.Linear(n_in, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, n_out)
                )
            else:  # hidden_size 0: a linear head (logistic regression on the features)
                self.net = torch.nn.Linear(n_in, n_out)

        def forward(self, x: Any) -> Any:
            return self.net((x - self.mean) / self.scale)

    return Head


def weighted_epoch(
    logits_of: Callable[[Any], Any],
    targets: Any,
    weights: Any,
    optimizer: Any,
    order: Any,
    batch_size: int,
    step: int = 0,
    before_step: Callable[[int], Any] | None = None,
    loss: RowLoss | None = None,
) -> tuple[float, int]:
    """One epoch of a sample-weighted loss over the rows of `order`, `batch_size` at a time
    (`logits_of(rows)` gives their logits; `before_step(step)` runs before each forward pass,
    e.g. to seed dropout). `loss(logits, targets)` gives one loss per row (None: cross-entropy
    on class indexes; a multi-label target passes `multilabel_loss`). Returns the epoch's mean
    loss (6 decimals) and the step count after it. Shared by the template-pool head and the
    session-text classifier."""

    row_loss = loss or _cross_entropy
    total = 0.0
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        if before_step is not None:
            before_step(step)
        losses = row_loss(logits_of(rows), targets[rows])
        loss_value = (losses * weights[rows]).sum() / rows.numel()
        optimizer.zero_grad()
        loss_value.backward()
        optimizer.step()
        total += float(loss_value.detach()) * rows.numel()
        step += 1
    return round(total / len(order), 6), step


def _cross_entropy(logits: Any, targets: Any) -> Any:
    """Per-row softmax cross-entropy on class indexes (binary and multi-class targets)."""
    import torch

    return torch.nn.functional.cross_entropy(logits, targets, reduction="none")


def multilabel_loss(pos_weight: np.ndarray | None) -> RowLoss:
    """Per-row `BCEWithLogitsLoss` (one sigmoid output per class, indicator targets), averaged
    over the classes; `pos_weight` (one per class, or None) multiplies each class's positive
    term."""
    import torch

    weight = None if pos_weight is None else torch.as_tensor(pos_weight, dtype=torch.float32)
    bce = torch.nn.BCEWithLogitsLoss(pos_weight=weight, reduction="none")

    def row_loss(logits: Any, targets: Any) -> Any:
        return bce(logits, targets.to(logits.dtype)).mean(dim=1)

    return row_loss
