"""LogBERT (Guo, Yuan, Wu, IJCNN 2021): a BERT encoder over log keys, trained from scratch.

Training: masked log-key prediction (MLKP) + alpha * the hypersphere loss (VHM) on normal
sessions (see `training.py`), by default on each distinct sequence once plus two copies with
neighbouring keys swapped now and then (see `augment.py`). Scoring (see `inference.py`): every
key of a session is masked exactly once on a fixed schedule; per session

- `score`: the mean surprise -log P(actual key | context) over all positions (END included,
  so a session that stops early is surprising),
- `miss_ratio`: the share of keys outside the model's top-g predictions (the paper's rule),
- `max_surprise`: the surprise of the session's least expected key (one very unlikely event is
  enough, as in DeepLog; not diluted by the session's length). It decides by default.

The defaults (decision, size, epochs, deduplication, swaps) were chosen by cross-validation on
normal training data with synthetic edits as anomalies, never on test labels
(`benchmarks/hdfs_dev.py`). Keys never seen in training become [UNK], which the model never
predicts: a near-certain miss with maximal surprise. Sessions longer than `max_len` are cut
into windows and scored as a whole; in training, `long_windows` > 0 makes each epoch draw that
many of the windows of such a session (and of its jittered copies, pooled) instead of all of
them, so a trace of thousands of keys costs an epoch what a short session costs (see
`augment.EpochWindows`; sessions that fit one window, e.g. all of HDFS, are untouched). Off
by default: on ADFA-LD it cut training 7x but ranked worse in the one run measured (ROC-AUC of
`score` 0.59 after 60 sampled epochs vs 0.84 with every window), and no default changes
without a development-split comparison (`benchmarks/adfa_logbert.py`).
Identical sequences (same keys, same open flag) are scored once. Sessions marked open in a
`SessionBatch` (`is_open`: still running when the log ended, see `sessions/lifecycle.py`)
are scored without END: their missing tail is not judged. The model learns unfinished normal
sessions from the open sessions among its training data (and, with `open_copies` > 0, from
open prefixes of the closed ones: off by default, it cost recall on the dev split). Its
threshold rule is `max` of the normal validation scores (chosen on the
dev split, `benchmarks/results/hdfs_dev.md`).

    model = LogBERT().fit(train_sessions, validation=val_sessions)  # threshold_: max on val
    model.decision_function(test_sessions); model.predict(test_sessions)
    model.save("model_dir"); LogBERT.load("model_dir")
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np
import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from logbert.errors import LogbertError
from logbert.models.augment import (
    EpochWindows,
    concat,
    distinct_sequences,
    open_prefixes,
    with_local_swaps,
)
from logbert.models.base import Detector, Keys
from logbert.models.checks import check_sessions
from logbert.models.encoder import LogKeyEncoder
from logbert.models.inference import score_windows
from logbert.models.runtime import release_freed_memory
from logbert.models.training import Log, TrainConfig, train_encoder
from logbert.models.vocab import Vocab, pad, windows
from logbert.sessions.batch import SessionBatch

DECISIONS = ("score", "miss_ratio", "max_surprise")
SCORE_BATCH = 4096  # distinct sequences scored together (bounds memory)


class LogBERT(Detector):
    """Masked log-key model; higher decision scores are more anomalous."""

    name: ClassVar[str] = "logbert"
    score_names: ClassVar[tuple[str, ...]] = DECISIONS
    default_threshold_rule: ClassVar[str] = "max"  # chosen on the dev split (hdfs_dev.md)
    _fitted_attributes: ClassVar[tuple[str, ...]] = ("training_info_", "vocab_", "model_")

    def __init__(
        self,
        hidden: int = 64,
        layers: int = 2,
        heads: int = 4,
        max_len: int = 128,
        dropout: float = 0.1,
        epochs: int = 60,
        batch_size: int = 128,
        lr: float = 3e-3,
        mask_ratio: float = 0.2,
        alpha: float = 0.1,
        patience: int = 8,
        top_g: int = 3,
        mask_stride: int = 5,
        decision: str = "max_surprise",
        dedup: bool = True,
        swap_copies: int = 2,
        swap_prob: float = 0.1,
        open_copies: int = 0,
        long_windows: int = 0,
        seed: int = 0,
    ) -> None:
        self.hidden = hidden
        self.layers = layers
        self.heads = heads
        self.max_len = max_len
        self.dropout = dropout
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.mask_ratio = mask_ratio
        self.alpha = alpha
        self.patience = patience
        self.top_g = top_g
        self.mask_stride = mask_stride
        self.decision = decision
        self.dedup = dedup
        self.swap_copies = swap_copies
        self.swap_prob = swap_prob
        self.open_copies = open_copies
        self.long_windows = long_windows
        self.seed = seed

    def _check_params(self) -> None:
        _check_decision(self.decision)
        if self.max_len < 3:
            raise LogbertError(f"LogBERT needs max_len >= 3 (got {self.max_len})")
        if self.heads < 1 or self.hidden % self.heads:
            raise LogbertError(
                f"LogBERT needs hidden divisible by heads (got hidden={self.hidden}, "
                f"heads={self.heads})"
            )

    @property
    def decision_score(self) -> str:
        """The score that decides: the `decision` parameter."""
        return _check_decision(self.decision)

    # --- training -------------------------------------------------------------------------

    def fit(
        self,
        X: Any,
        y: Any = None,
        *,
        validation: Any = None,
        checkpoint_dir: str | Path | None = None,
        resume: bool = False,
        log: Log | None = None,
    ) -> Self:
        """Train on normal sessions; stop early on the validation loss when given.

        `y` == 1 marks sessions left out (anomalies). `checkpoint_dir`: where checkpoints go
        (a fresh run first deletes an earlier run's); `resume`: continue from the newest one
        there (refused when it was written with other parameters); `log`: progress lines.
        """
        return super().fit(
            X, y, validation=validation, checkpoint_dir=checkpoint_dir, resume=resume, log=log
        )

    def _fit(
        self,
        batch: SessionBatch,
        validation: SessionBatch | None,
        checkpoint_dir: str | Path | None = None,
        resume: bool = False,
        log: Log | None = None,
    ) -> None:
        torch.manual_seed(self.seed)
        started = time.perf_counter()
        self.vocab_ = Vocab.from_sessions(batch.keys)
        self.model_ = self._build()
        sequences = distinct_sequences(batch) if self.dedup else batch
        swapped = with_local_swaps(sequences, self.swap_copies, self.swap_prob, self.seed)
        prefixes = open_prefixes(sequences, self.open_copies, self.seed)
        # the training sequence each row comes from: a jittered copy shares its original's
        group = np.concatenate(
            [
                np.arange(len(swapped)) % max(len(sequences), 1),
                len(sequences) + np.arange(len(prefixes)),
            ]
        )
        train, window_group, window_long = self._grouped_windows(concat(swapped, prefixes), group)
        epoch_windows = EpochWindows(window_group, window_long, self.long_windows, self.seed)
        val = self._windows(validation) if validation is not None else None
        state = train_encoder(
            self.model_,
            train,
            val,
            TrainConfig(
                epochs=self.epochs,
                batch_size=self.batch_size,
                lr=self.lr,
                mask_ratio=self.mask_ratio,
                alpha=self.alpha,
                patience=self.patience,
                seed=self.seed,
            ),
            checkpoint_dir=Path(checkpoint_dir) if checkpoint_dir else None,
            resume=resume,
            model_config=self.get_params(),
            log=log,
            epoch_rows=epoch_windows,
        )
        self.center_ = torch.tensor(state.center) if state.center is not None else None
        self.history_ = {"steps": state.steps, "epochs": state.epochs}
        self.training_info_.update(
            {
                "n_train": len(batch),
                "n_train_distinct": len(sequences) if self.dedup else None,
                "n_train_windows": len(train),
                "n_epoch_windows": epoch_windows.size,
                "n_validation": len(validation) if validation is not None else 0,
                "n_keys": len(self.vocab_.keys),
                "epochs_run": state.epoch,
                "best_epoch": state.best_epoch,
                "best_val_loss": state.best_val,
                "steps": state.step,
                "seconds": time.perf_counter() - started,
            }
        )

    # --- scoring --------------------------------------------------------------------------

    def decision_function(self, X: Any) -> np.ndarray:
        decision = self.decision_score
        return self.score_sessions(X)[decision]

    def score_sessions(self, X: Any, top_events: int = 0) -> dict[str, Any]:
        """Per-session `score`, `miss_ratio` and `max_surprise` arrays, in input order.

        With `top_events` > 0 also `top_events`: per session the most surprising positions
        and the keys the model expected there (one scoring pass serves both).
        """
        self._require_fitted()
        batch = check_sessions(X)
        distinct: dict[tuple[bool, bytes], int] = {}  # (is_open, keys) -> sequence number
        first: list[int] = []  # the first session of each distinct sequence
        index = np.empty(len(batch), dtype=np.int64)
        for i, identity in enumerate(batch.identities()):
            index[i] = distinct.setdefault(identity, len(distinct))
            if index[i] == len(first):
                first.append(i)
        sequences = [batch.keys[i] for i in first]
        sequence_open = batch.is_open[first]
        score = np.zeros(len(sequences))
        miss_ratio = np.zeros(len(sequences))
        max_surprise = np.full(len(sequences), -np.inf)
        events: list[list[dict]] = []
        width = self.max_len - 2
        for start in range(0, len(sequences), SCORE_BATCH):
            chunk = sequences[start : start + SCORE_BATCH]
            chunk_open = sequence_open[start : start + SCORE_BATCH]
            owner, offset, rows = [], [], []
            for i, (seq, is_open) in enumerate(zip(chunk, chunk_open, strict=True)):
                for j, window in enumerate(self._token_windows(seq, is_open)):
                    owner.append(i)
                    offset.append(j * width)
                    rows.append(window)
            result = score_windows(self.model_, pad(rows), self.mask_stride, self.top_g)
            owner_arr = np.asarray(owner)
            n = len(chunk)
            counts = np.bincount(owner_arr, result.valid.sum(1), minlength=n)
            total = np.where(result.valid, result.surprise, 0.0).sum(1)
            misses = (result.miss & result.valid).sum(1)
            score[start : start + n] = np.bincount(owner_arr, total, minlength=n) / counts
            miss_ratio[start : start + n] = np.bincount(owner_arr, misses, minlength=n) / counts
            worst = np.where(result.valid, result.surprise, -np.inf).max(1)
            np.maximum.at(max_surprise, owner_arr + start, worst)
            if top_events > 0:
                events.extend(self._top_events(chunk, owner, offset, result, top_events))
            release_freed_memory()
        out: dict[str, Any] = {
            "score": score[index],
            "miss_ratio": miss_ratio[index],
            "max_surprise": max_surprise[index],
        }
        if top_events > 0:
            out["top_events"] = [events[i] for i in index]
        return out

    def explain(self, X: Any, top: int = 3) -> list[list[dict]]:
        """The `top` most surprising positions per session and the keys expected there."""
        return self.score_sessions(X, top_events=top)["top_events"]

    def _top_events(self, chunk, owner, offset, result, top: int) -> list[list[dict]]:
        """Top positions per sequence (key None stands for the end of the session)."""
        surprise = np.where(result.valid, result.surprise, -np.inf)
        best = np.argsort(-surprise, axis=1, kind="stable")[:, :top]
        candidates: list[list[tuple]] = [[] for _ in chunk]
        for row, i in enumerate(owner):
            for col in best[row]:
                if result.valid[row, col]:
                    position = offset[row] + int(col) - 1
                    candidates[i].append((-float(surprise[row, col]), position, row, int(col)))
        out = []
        for seq, found in zip(chunk, candidates, strict=True):
            out.append(
                [
                    {
                        "position": position,
                        "key": int(seq[position]) if position < len(seq) else None,
                        "surprise": round(-negative, 4),
                        "expected": [
                            {"key": self.vocab_.key(int(t)), "prob": round(float(p), 4)}
                            for t, p in zip(
                                result.expected[row, col],
                                result.expected_prob[row, col],
                                strict=True,
                            )
                            if p > 0
                        ],
                    }
                    for negative, position, row, col in sorted(found)[:top]
                ]
            )
        return out

    # --- persistence ----------------------------------------------------------------------

    def _save_state(self, directory: Path) -> None:
        tensors = {k: v.contiguous() for k, v in self.model_.state_dict().items()}
        if self.center_ is not None:
            tensors["__center__"] = self.center_
        save_file(tensors, str(directory / "model.safetensors"))
        self.vocab_.save(directory / "vocab.json")

    def _load_state(self, directory: Path) -> None:
        self.vocab_ = Vocab.load(directory / "vocab.json")
        path = directory / "model.safetensors"
        try:
            tensors = load_file(str(path))
        except FileNotFoundError as exc:
            raise LogbertError(f"{path} is missing; retrain the model") from exc
        except (SafetensorError, OSError) as exc:
            raise LogbertError(f"{path} is corrupt ({exc}); retrain the model") from exc
        self.center_ = tensors.pop("__center__", None)
        self.model_ = self._build()
        try:
            self.model_.load_state_dict(tensors)
        except RuntimeError as exc:
            raise LogbertError(
                f"{path} does not match config.json ({exc}); retrain the model"
            ) from exc
        self.model_.eval()

    def load_checkpoint_weights(self, path: str | Path) -> None:
        """Replace the weights with those of a training checkpoint of this model.

        The checkpoint (`checkpoints/epoch_N.pt`, `best_model.pt`, `checkpoint_step_N.pt`) is
        read with `torch.load(weights_only=True)`; the vocabulary, parameters and threshold stay
        the model directory's. Recorded in `training_info_["weights_from_checkpoint"]`.
        """
        self._require_fitted()
        path = Path(path)
        try:
            payload = torch.load(path, map_location="cpu", weights_only=True)
            weights = payload["model_state_dict"]
        except FileNotFoundError as exc:
            raise LogbertError(f"checkpoint not found: {path}") from exc
        except Exception as exc:  # noqa: BLE001 - any unreadable checkpoint, one message
            raise LogbertError(f"checkpoint {path} is corrupt ({exc}); pick another") from exc
        try:
            self.model_.load_state_dict(weights)
        except (RuntimeError, TypeError, AttributeError) as exc:
            raise LogbertError(
                f"checkpoint {path} does not match its model directory's config and vocabulary "
                f"({exc}); was it copied there from another run?"
            ) from exc
        center = (payload.get("state") or {}).get("center")
        self.center_ = torch.tensor(center) if center is not None else None
        self.model_.eval()
        self.training_info_ = {**self.training_info_, "weights_from_checkpoint": str(path)}

    # --- helpers --------------------------------------------------------------------------

    def _build(self) -> LogKeyEncoder:
        return LogKeyEncoder(
            len(self.vocab_), self.hidden, self.layers, self.heads, self.max_len, self.dropout
        )

    def _windows(self, batch: SessionBatch) -> np.ndarray:
        return pad(
            [
                window
                for keys, is_open in zip(batch.keys, batch.is_open, strict=True)
                for window in self._token_windows(keys, is_open)
            ]
        )

    def _grouped_windows(
        self, batch: SessionBatch, group: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Padded windows of `batch`, each window's group and whether its row is long."""
        rows, window_group, window_long = [], [], []
        for keys, is_open, g in zip(batch.keys, batch.is_open, group, strict=True):
            cut = self._token_windows(keys, is_open)
            rows.extend(cut)
            window_group.extend([int(g)] * len(cut))
            window_long.extend([len(cut) > 1] * len(cut))
        return pad(rows), np.asarray(window_group, np.int64), np.asarray(window_long, bool)

    def _token_windows(self, keys: Keys, is_open: bool = False) -> list[list[int]]:
        """A session as token windows; END closes it unless it is still open."""
        tokens = [self.vocab_.token(k) for k in keys]
        return windows(tokens, self.max_len, closed=not is_open)


def _check_decision(decision: str) -> str:
    if decision not in DECISIONS:
        raise LogbertError(f"unknown decision {decision!r}; valid: {', '.join(DECISIONS)}")
    return decision
