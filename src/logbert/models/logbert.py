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
into windows and scored as a whole. Identical sequences are scored once. Sessions passed as
`OpenKeys` (still running when the log ended, see `sessions/lifecycle.py`) are scored without
END: their missing tail is not judged. The model learns unfinished normal sessions from the
open sessions among its training data (and, with `open_copies` > 0, from open prefixes of the
closed ones: off by default, it cost recall on the dev split).

    model = LogBERT().fit(train_sessions, validation=val_sessions)
    model.calibrate(val_sessions, rule="max")
    model.decision_function(test_sessions); model.predict(test_sessions)
    model.save("model_dir"); LogBERT.load("model_dir")
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

import numpy as np
import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from logbert.errors import LogbertError
from logbert.models.augment import distinct_sequences, open_prefixes, with_local_swaps
from logbert.models.base import Detector, Keys
from logbert.models.encoder import LogKeyEncoder
from logbert.models.inference import score_windows
from logbert.models.runtime import release_freed_memory
from logbert.models.training import Log, TrainConfig, train_encoder
from logbert.models.vocab import Vocab, pad, windows
from logbert.scoring.thresholds import DEFAULT_RULE, Threshold
from logbert.sessions.lifecycle import OpenKeys, sequence_key

DECISIONS = ("score", "miss_ratio", "max_surprise")
SCORE_BATCH = 4096  # distinct sequences scored together (bounds memory)


class LogBERT(Detector):
    """Masked log-key model; higher decision scores are more anomalous."""

    name = "logbert"

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
        seed: int = 0,
    ) -> None:
        super().__init__()
        if decision not in DECISIONS:
            raise LogbertError(f"unknown decision {decision!r}; valid: {', '.join(DECISIONS)}")
        if max_len < 3 or hidden % heads:
            raise LogbertError("LogBERT needs max_len >= 3 and hidden divisible by heads")
        self.params = {k: v for k, v in locals().items() if k not in ("self", "__class__")}
        for key, value in self.params.items():
            setattr(self, key, value)
        self.vocab_: Vocab | None = None
        self.model_: LogKeyEncoder | None = None
        self.center_: torch.Tensor | None = None

    def get_params(self) -> dict[str, Any]:
        return dict(self.params)

    # --- training -------------------------------------------------------------------------

    def fit(
        self,
        sessions: Sequence[Keys],
        validation: Sequence[Keys] | None = None,
        checkpoint_dir: str | Path | None = None,
        resume: bool = False,
        log: Log | None = None,
    ) -> Self:
        """Train on normal sessions; stop early on the validation loss when given."""
        if len(sessions) == 0:
            raise LogbertError("no training sessions: LogBERT needs normal sessions to learn from")
        torch.manual_seed(self.seed)
        started = time.perf_counter()
        self.vocab_ = Vocab.from_sessions(sessions)
        self.model_ = self._build()
        sequences = distinct_sequences(sessions) if self.dedup else list(sessions)
        train = self._windows(
            with_local_swaps(sequences, self.swap_copies, self.swap_prob, self.seed)
            + open_prefixes(sequences, self.open_copies, self.seed)
        )
        val = self._windows(validation) if validation else None
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
        )
        self.center_ = torch.tensor(state.center) if state.center is not None else None
        self.history_ = {"steps": state.steps, "epochs": state.epochs}
        self.training_info_ = {
            "n_train": len(sessions),
            "n_train_distinct": len(sequences) if self.dedup else None,
            "n_train_windows": len(train),
            "n_validation": len(validation) if validation else 0,
            "n_keys": len(self.vocab_.keys),
            "epochs_run": state.epoch,
            "best_epoch": state.best_epoch,
            "best_val_loss": state.best_val,
            "steps": state.step,
            "seconds": time.perf_counter() - started,
        }
        return self

    # --- scoring --------------------------------------------------------------------------

    def decision_function(self, sessions: Sequence[Keys]) -> np.ndarray:
        return self.score_sessions(sessions)[self.decision]

    def calibrate(
        self, sessions, labels=None, rule: str = DEFAULT_RULE, source: str = ""
    ) -> Threshold:
        threshold = super().calibrate(sessions, labels, rule, source)
        threshold.score = self.decision
        return threshold

    def score_sessions(self, sessions: Sequence[Keys], top_events: int = 0) -> dict[str, Any]:
        """Per-session `score`, `miss_ratio` and `max_surprise` arrays, in input order.

        With `top_events` > 0 also `top_events`: per session the most surprising positions
        and the keys the model expected there (one scoring pass serves both).
        """
        self._require_fitted()
        distinct: dict[tuple[bool, tuple[int, ...]], int] = {}
        index = np.array(
            [distinct.setdefault(sequence_key(s), len(distinct)) for s in sessions], dtype=np.int64
        )
        sequences = [OpenKeys(seq) if is_open else list(seq) for is_open, seq in distinct]
        score = np.zeros(len(sequences))
        miss_ratio = np.zeros(len(sequences))
        max_surprise = np.full(len(sequences), -np.inf)
        events: list[list[dict]] = []
        width = self.max_len - 2
        for start in range(0, len(sequences), SCORE_BATCH):
            chunk = sequences[start : start + SCORE_BATCH]
            owner, offset, rows = [], [], []
            for i, seq in enumerate(chunk):
                for j, window in enumerate(self._token_windows(seq)):
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

    def explain(self, sessions: Sequence[Keys], top: int = 3) -> list[list[dict]]:
        """The `top` most surprising positions per session and the keys expected there."""
        return self.score_sessions(sessions, top_events=top)["top_events"]

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
        self._require_fitted()
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

    # --- helpers --------------------------------------------------------------------------

    def _build(self) -> LogKeyEncoder:
        return LogKeyEncoder(
            len(self.vocab_), self.hidden, self.layers, self.heads, self.max_len, self.dropout
        )

    def _windows(self, sessions: Sequence[Keys]) -> np.ndarray:
        return pad([window for s in sessions for window in self._token_windows(s)])

    def _token_windows(self, keys: Keys) -> list[list[int]]:
        """A session as token windows; END closes it unless it is still open."""
        tokens = [self.vocab_.token(k) for k in keys]
        return windows(tokens, self.max_len, closed=not isinstance(keys, OpenKeys))

    def _require_fitted(self) -> None:
        if self.model_ is None or self.vocab_ is None:
            raise LogbertError("LogBERT is not trained yet: call fit() or LogBERT.load(dir)")
