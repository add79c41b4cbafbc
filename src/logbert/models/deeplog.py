"""DeepLog (Du et al., CCS 2017): next-key prediction with an LSTM.

An LSTM reads the last `window` keys (h = 10) and predicts the next one; a prediction is a
"miss" when the actual key is not among the `top_g` (g = 9) most likely keys. Sessions are
framed with start and end markers, so even a one-key session has two predictions to check and a
session that stops early misses its end marker. Keys never seen in training map to an
"unknown" token that is never predicted, so each one is a miss. Score = number of misses.

Sessions repeat heavily, so training and scoring work on distinct (history, next key) windows:
training weights each by its frequency (the same loss as every window, far fewer steps), and
scoring runs each distinct window through the network once.

Sessions marked open in a `SessionBatch` (`is_open`: still running when the log ended) get no
end marker: their missing tail is not judged. The score is an integer count of misses, so the
threshold rule is `mean+2std` of the normal validation counts: `max` over ~500 validation
sessions cut recall to 0.19 on HDFS, mean+2std gave F1 0.81.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file
from torch import nn

from logbert.models.base import Detector
from logbert.models.checks import check_sessions, corrupt_file, missing_file
from logbert.models.runtime import torch_threads
from logbert.sessions.batch import SessionBatch

WEIGHTS_FILE = "model.safetensors"
PAD, START, END, UNKNOWN = 0, 1, 2, 3
N_SPECIAL = 4
# A 2x64 LSTM on batches of 256 short windows gains nothing from a second thread (see runtime).
THREADS = 1


class NextKeyLSTM(nn.Module):
    """Embedding -> stacked LSTM -> logits over the token vocabulary for the next key."""

    def __init__(self, n_tokens: int, embedding_dim: int, hidden_size: int, num_layers: int):
        super().__init__()
        self.embedding = nn.Embedding(n_tokens, embedding_dim, padding_idx=PAD)
        self.lstm = nn.LSTM(embedding_dim, hidden_size, num_layers, batch_first=True)
        self.output = nn.Linear(hidden_size, n_tokens)

    def forward(self, history: torch.Tensor) -> torch.Tensor:
        hidden, _ = self.lstm(self.embedding(history))
        return self.output(hidden[:, -1])


class DeepLog(Detector):
    """Number of next-key predictions that miss the top-g candidates."""

    name: ClassVar[str] = "deeplog"
    default_threshold_rule: ClassVar[str] = "mean+2std"  # an integer count: max is too coarse
    _fitted_attributes: ClassVar[tuple[str, ...]] = ("training_info_", "vocab_", "network_")

    def __init__(
        self,
        window: int = 10,
        top_g: int = 9,
        num_layers: int = 2,
        hidden_size: int = 64,
        embedding_dim: int = 16,
        epochs: int = 100,
        batch_size: int = 256,
        learning_rate: float = 2e-3,
        seed: int = 0,
    ) -> None:
        self.window = window
        self.top_g = top_g
        self.num_layers = num_layers
        self.hidden_size = hidden_size
        self.embedding_dim = embedding_dim
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.seed = seed

    # --- training ---------------------------------------------------------------------------

    def _fit(self, batch: SessionBatch, validation: SessionBatch | None) -> None:
        val = (validation.keys, _closed(validation)) if validation is not None else None
        with torch_threads(THREADS):
            self._fit_windows((batch.keys, _closed(batch)), val)

    def _fit_windows(
        self, train_data: tuple[list, list], validation: tuple[list, list] | None
    ) -> None:
        arrays, closed = train_data
        started = time.perf_counter()
        torch.manual_seed(self.seed)
        self.vocab_ = np.unique(np.concatenate(arrays))
        self.network_ = self._new_network()
        train = self._distinct_windows(arrays, closed)
        val = self._distinct_windows(*validation) if validation else None
        optimizer = torch.optim.Adam(self.network_.parameters(), lr=self.learning_rate)
        generator = torch.Generator().manual_seed(self.seed)
        epochs = []
        for epoch in range(1, self.epochs + 1):
            epoch_started = time.perf_counter()
            train_loss = self._train_epoch(train, optimizer, generator)
            record = {"epoch": epoch, "train_loss": train_loss, "val_loss": None}
            if val is not None:
                record["val_loss"] = self._loss(val)
            record["seconds"] = round(time.perf_counter() - epoch_started, 3)
            epochs.append(record)
        self.network_.eval()
        self.history_ = {"epochs": epochs}
        self.training_info_.update(
            n_sessions=len(arrays),
            n_keys=int(self.vocab_.size),
            n_windows=int(train[2].sum()),
            n_distinct_windows=int(train[2].size),
            seconds=round(time.perf_counter() - started, 3),
        )

    def _new_network(self) -> NextKeyLSTM:
        n_tokens = N_SPECIAL + int(self.vocab_.size)
        return NextKeyLSTM(n_tokens, self.embedding_dim, self.hidden_size, self.num_layers)

    def _train_epoch(self, data, optimizer, generator: torch.Generator) -> float:
        history, target, weight = (torch.as_tensor(a) for a in data)
        weight = weight.float() / weight.sum()
        self.network_.train()
        order = torch.randperm(target.numel(), generator=generator)
        total = 0.0
        for batch in order.split(self.batch_size):
            logits = self.network_(history[batch])
            losses = nn.functional.cross_entropy(logits, target[batch], reduction="none")
            loss = (losses * weight[batch]).sum()
            optimizer.zero_grad()
            (loss * target.numel() / batch.numel()).backward()
            optimizer.step()
            total += loss.item()
        return total

    @torch.no_grad()
    def _loss(self, data) -> float:
        history, target, weight = (torch.as_tensor(a) for a in data)
        self.network_.eval()
        losses = nn.functional.cross_entropy(self.network_(history), target, reduction="none")
        return float((losses * weight.float()).sum() / weight.sum())

    # --- scoring ----------------------------------------------------------------------------

    def decision_function(self, X: Any) -> np.ndarray:
        self._require_fitted()
        batch = check_sessions(X)
        arrays = batch.keys
        if not arrays:
            return np.zeros(0)
        windows, owner = self._windows(arrays, _closed(batch))
        distinct, inverse = np.unique(windows, axis=0, return_inverse=True)
        with torch_threads(THREADS):
            missed = self._misses(distinct)[inverse.reshape(-1)]
        return np.bincount(owner, weights=missed, minlength=len(arrays)).astype(float)

    @torch.no_grad()
    def _misses(self, windows: np.ndarray, chunk: int = 8192) -> np.ndarray:
        """1.0 where the window's next key is outside the top-g predictions."""
        self.network_.eval()
        out = np.empty(windows.shape[0])
        for begin in range(0, windows.shape[0], chunk):
            block = torch.as_tensor(windows[begin : begin + chunk])
            logits = self.network_(block[:, :-1])
            never = [PAD, START, UNKNOWN]  # not predictions: these sort last and are cut off
            logits[:, never] = -torch.inf
            top = logits.topk(min(self.top_g, logits.shape[1] - len(never)), dim=1).indices
            hit = (top == block[:, -1:]).any(dim=1)
            out[begin : begin + chunk] = (~hit).numpy()
        return out

    def _tokens(self, keys: np.ndarray, closed: bool = True) -> np.ndarray:
        """Session keys -> token ids after START, then END unless the session is still open
        (unseen keys -> UNKNOWN)."""
        index = np.searchsorted(self.vocab_, keys).clip(max=self.vocab_.size - 1)
        tokens = np.where(self.vocab_[index] == keys, index + N_SPECIAL, UNKNOWN)
        return np.concatenate([[START], tokens, [END] if closed else []]).astype(np.int64)

    def _windows(
        self, arrays: list[np.ndarray], closed: list[bool]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Rows of `window` history tokens + the next token, and the session of each row."""
        rows, owner = [], []
        for i, keys in enumerate(arrays):
            tokens = self._tokens(keys, closed[i])
            padded = np.concatenate([np.full(self.window, PAD), tokens])
            view = np.lib.stride_tricks.sliding_window_view(padded, self.window + 1)
            rows.append(view[1:])  # skip the row that would predict START
            owner.append(np.full(view.shape[0] - 1, i))
        return np.concatenate(rows).astype(np.int64), np.concatenate(owner)

    def _distinct_windows(self, arrays: list[np.ndarray], closed: list[bool]):
        windows, _ = self._windows(arrays, closed)
        distinct, counts = np.unique(windows, axis=0, return_counts=True)
        return distinct[:, :-1], distinct[:, -1], counts

    # --- persistence ------------------------------------------------------------------------

    def _save_state(self, directory: Path) -> None:
        tensors = {k: v.contiguous() for k, v in self.network_.state_dict().items()}
        tensors["vocab"] = torch.as_tensor(self.vocab_)
        save_file(tensors, str(directory / WEIGHTS_FILE))

    def _load_state(self, directory: Path) -> None:
        path = directory / WEIGHTS_FILE
        if not path.exists():
            raise missing_file(path)
        try:
            tensors = load_file(str(path))
            self.vocab_ = tensors.pop("vocab").numpy().astype(np.int64)
            network = self._new_network()
            network.load_state_dict(tensors)
        except (SafetensorError, KeyError, RuntimeError, OSError) as exc:
            raise corrupt_file(path, exc) from exc
        self.network_ = network.eval()


def _closed(batch: SessionBatch) -> list[bool]:
    """False for sessions still open when the log ended: their end is not predicted."""
    return (~batch.is_open).tolist()
