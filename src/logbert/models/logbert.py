"""LogBERT (Guo, Yuan, Wu, IJCNN 2021): a BERT encoder over log keys, trained from scratch.

Training: masked log-key prediction (MLKP) + alpha * the hypersphere loss (VHM) on normal
sessions (see `training.py`). Scoring (see `inference.py`): every key of a session is masked
exactly once on a fixed schedule; per session

- `score`: the mean surprise -log P(actual key | context) over all positions (END included,
  so a session that stops early is surprising), and
- `miss_ratio`: the share of keys outside the model's top-g predictions (the paper's rule).

Keys never seen in training become [UNK], which the model never predicts: a near-certain miss
with maximal surprise. Sessions longer than `max_len` are cut into windows and scored as a
whole. Identical sequences are scored once.

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
from logbert.models.base import Detector, Keys
from logbert.models.encoder import LogKeyEncoder
from logbert.models.inference import score_windows
from logbert.models.training import Log, TrainConfig, train_encoder
from logbert.models.vocab import Vocab, pad, windows
from logbert.scoring.thresholds import DEFAULT_RULE, Threshold

DECISIONS = ("score", "miss_ratio")
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
        epochs: int = 30,
        batch_size: int = 64,
        lr: float = 2e-3,
        mask_ratio: float = 0.2,
        alpha: float = 0.1,
        patience: int = 3,
        top_g: int = 3,
        mask_stride: int = 5,
        decision: str = "score",
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
        train = self._windows(sessions)
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

    def score_sessions(self, sessions: Sequence[Keys]) -> dict[str, np.ndarray]:
        """Per-session `score` (mean surprise) and `miss_ratio`, in input order."""
        details = self._score_distinct(sessions, keep_positions=False)
        index = details["index"]
        return {"score": details["score"][index], "miss_ratio": details["miss_ratio"][index]}

    def explain(self, sessions: Sequence[Keys], top: int = 3) -> list[list[dict]]:
        """The `top` most surprising positions per session and the keys expected there."""
        details = self._score_distinct(sessions, keep_positions=True)
        cache: dict[int, list[dict]] = {}
        out = []
        for row in details["index"]:
            if row not in cache:
                sequence = details["sequences"][row]
                cache[row] = self._top_events(sequence, details["positions"][row], top)
            out.append(cache[row])
        return out

    def _score_distinct(self, sessions: Sequence[Keys], keep_positions: bool) -> dict[str, Any]:
        self._require_fitted()
        distinct: dict[tuple[int, ...], int] = {}
        index = np.array(
            [distinct.setdefault(tuple(s), len(distinct)) for s in sessions], dtype=np.int64
        )
        sequences = list(distinct)
        score = np.zeros(len(sequences))
        miss_ratio = np.zeros(len(sequences))
        positions: list[list[tuple]] = [[] for _ in sequences] if keep_positions else []
        for start in range(0, len(sequences), SCORE_BATCH):
            chunk = sequences[start : start + SCORE_BATCH]
            owner, rows = [], []
            for i, seq in enumerate(chunk):
                for window in windows([self.vocab_.token(k) for k in seq], self.max_len):
                    owner.append(i)
                    rows.append(window)
            tokens = pad(rows)
            result = score_windows(self.model_, tokens, self.mask_stride, self.top_g)
            owner_arr = np.asarray(owner)
            sums = np.zeros((len(chunk), 3))
            np.add.at(sums[:, 0], owner_arr, (result.surprise * result.valid).sum(1))
            np.add.at(sums[:, 1], owner_arr, (result.miss & result.valid).sum(1))
            np.add.at(sums[:, 2], owner_arr, result.valid.sum(1))
            score[start : start + len(chunk)] = sums[:, 0] / sums[:, 2]
            miss_ratio[start : start + len(chunk)] = sums[:, 1] / sums[:, 2]
            if keep_positions:
                self._collect_positions(chunk, start, owner, tokens, result, positions)
        return {
            "index": index,
            "sequences": sequences,
            "score": score,
            "miss_ratio": miss_ratio,
            "positions": positions,
        }

    def _collect_positions(self, chunk, start, owner, tokens, result, positions) -> None:
        offsets: dict[int, int] = {}
        for row, i in enumerate(owner):
            base = offsets.get(i, 0)
            cols = np.flatnonzero(result.valid[row])
            for c in cols:
                positions[start + i].append(
                    (
                        base + int(c) - 1,
                        int(tokens[row, c]),
                        float(result.surprise[row, c]),
                        result.expected[row, c].tolist(),
                        result.expected_prob[row, c].tolist(),
                    )
                )
            offsets[i] = base + len(cols)

    def _top_events(self, sequence: Keys, positions: list[tuple], top: int) -> list[dict]:
        """Most surprising positions; `key` None stands for the end of the session."""
        ranked = sorted(positions, key=lambda p: (-p[2], p[0]))[:top]
        return [
            {
                "position": pos,
                "key": int(sequence[pos]) if pos < len(sequence) else None,
                "surprise": round(surprise, 4),
                "expected": [
                    {"key": self.vocab_.key(t), "prob": round(p, 4)}
                    for t, p in zip(ids, probs, strict=True)
                    if p > 0
                ],
            }
            for pos, _token, surprise, ids, probs in ranked
        ]

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
        rows = [
            window
            for s in sessions
            for window in windows([self.vocab_.token(k) for k in s], self.max_len)
        ]
        return pad(rows)

    def _require_fitted(self) -> None:
        if self.model_ is None or self.vocab_ is None:
            raise LogbertError("LogBERT is not trained yet: call fit() or LogBERT.load(dir)")
