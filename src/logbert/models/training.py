"""The LogBERT training loop: masked log-key prediction (MLKP) + hypersphere loss (VHM).

loss = MLKP + alpha * VHM, where MLKP is the cross-entropy of the masked keys and VHM the mean
squared distance of the DIST token's state from the centre c (the mean DIST state of the
previous epoch's training windows; the first epoch has no VHM term).

`max_steps` bounds the optimizer steps (a budget that, unlike seconds, gives the same model on
any machine); LogBERT sets it for training sets with sessions longer than one window.

Everything random is derived from (seed, step): batch order from (seed, epoch), masks and
dropout from (seed, step). A run resumed from a checkpoint therefore continues exactly as the
uninterrupted run would have. Early stopping on the validation loss (fixed masks); the best
epoch's weights are kept.

With a checkpoint folder, a fresh run first removes an earlier run's checkpoints (and logs how
many); a resumed run refuses checkpoints written with other model parameters.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from logbert.errors import LogbertError
from logbert.models.checkpoints import (
    clear_checkpoints,
    config_differences,
    latest_checkpoint,
    load_checkpoint,
    prune_checkpoints,
    save_checkpoint,
    stderr_warning,
)
from logbert.models.runtime import release_freed_memory
from logbert.models.vocab import MASK, PAD, UNK
from logbert.sessions.lifecycle import readable_duration

Log = Callable[[str], None]
# Hand freed heap pages back to the OS every this many steps (and after each epoch): training
# batches of varying widths fragment glibc's heap, and the resident size grew by ~12 MB a step
# on full-width (128-key) windows: 0.9 -> 2.1 GB in one ADFA-LD epoch. Results are unchanged.
TRIM_EVERY = 10


@dataclass
class TrainConfig:
    epochs: int = 30
    batch_size: int = 64
    lr: float = 2e-3
    weight_decay: float = 0.01
    mask_ratio: float = 0.2
    alpha: float = 0.1
    patience: int = 3
    min_delta: float = 1e-3
    seed: int = 0
    log_every: int = 0  # steps between loss lines (0: none; the epoch lines and history say it)
    checkpoint_every: int = 200
    max_steps: int = 0  # a budget of optimizer steps (0: none); the epoch it ends in is the last



def _time_left(config: TrainConfig, state: TrainState, steps: int, seconds: float) -> str:
    """After the first epoch, how long the rest may take at its pace (QA MaxScale, Tyk: 60
    epochs of 75 s each, on a small log, with no word of the hour it could take)."""
    if state.epoch != 1 or not steps:
        return ""
    left = config.epochs - 1
    if config.max_steps:
        left = min(left, math.ceil(max(config.max_steps - state.step, 0) / steps))
    if left < 1:
        return ""
    return (
        f"; the {left} more at most take about {readable_duration(seconds * left)}, fewer "
        "when the validation loss stops improving"
    )

@dataclass
class TrainState:
    """Where training stands (saved inside every checkpoint)."""

    step: int = 0
    epoch: int = 0  # epochs completed
    best_val: float = math.inf
    best_epoch: int = 0
    bad_epochs: int = 0
    center: list[float] | None = None
    steps: list[dict] | None = None
    epochs: list[dict] | None = None


def mask_tokens(
    tokens: torch.Tensor, ratio: float, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Masked copy of `tokens` and the boolean mask (at least one masked key per row).

    Position 0 (DIST) and padding are never masked.
    """
    maskable = tokens != PAD
    maskable[:, 0] = False
    draw = torch.rand(tokens.shape, generator=generator) < ratio
    chosen = draw & maskable
    # rows where nothing was drawn: mask one maskable position at random
    empty = ~chosen.any(dim=1)
    if empty.any():
        noise = torch.rand(tokens.shape, generator=generator).masked_fill(~maskable, -1.0)
        pick = noise.argmax(dim=1)
        rows = torch.nonzero(empty).squeeze(1)
        chosen[rows, pick[rows]] = True
    masked = tokens.masked_fill(chosen, MASK)
    return masked, chosen


def batch_loss(
    model: nn.Module,
    tokens: torch.Tensor,
    ratio: float,
    generator: torch.Generator,
    center: torch.Tensor | None,
    alpha: float,
) -> tuple[torch.Tensor, torch.Tensor]:
    """(loss, DIST states) of one batch."""
    masked, chosen = mask_tokens(tokens, ratio, generator)
    hidden = model(masked)
    logits = model.logits(hidden[chosen])
    loss = nn.functional.cross_entropy(logits, tokens[chosen])
    dist = hidden[:, 0]
    if center is not None and alpha > 0:
        loss = loss + alpha * ((dist - center) ** 2).sum(dim=1).mean()
    return loss, dist.detach()


def train_encoder(
    model: nn.Module,
    train: np.ndarray,
    validation: np.ndarray | None,
    config: TrainConfig,
    checkpoint_dir: Path | None = None,
    resume: bool = False,
    model_config: dict[str, Any] | None = None,
    log: Log | None = None,
    epoch_rows: Any = None,
) -> TrainState:
    """Train `model` on padded token windows; returns the final state (best weights loaded).

    `epoch_rows` (an `augment.EpochWindows`, or anything with `size` and `rows(epoch)`):
    which rows of `train` each epoch uses; None: all of them.
    """
    warn = _warner(log)  # before `log` becomes a no-op: skipped checkpoints are always said
    log = log or (lambda message: None)
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=config.lr, weight_decay=config.weight_decay
    )
    state = None
    if resume and checkpoint_dir is not None:
        state = _resume(model, optimizer, checkpoint_dir, model_config or {}, log, warn)
    if state is None:  # a fresh run: what an earlier run left must not mix with this one
        state = TrainState(steps=[], epochs=[])
        removed = clear_checkpoints(checkpoint_dir) if checkpoint_dir is not None else 0
        if removed:
            log(f"Removed {removed} checkpoint files of an earlier run from {checkpoint_dir}")
    payload = {"config": {"model": model_config or {}, "train": asdict(config)}}
    n_rows = epoch_rows.size if epoch_rows is not None else len(train)
    steps_per_epoch = math.ceil(n_rows / config.batch_size)
    val_tokens = (
        torch.from_numpy(validation) if validation is not None and len(validation) else None
    )
    progress = _Progress(config.epochs * steps_per_epoch, state.step)
    log, warn = progress.above(log), progress.above(warn)
    best = None  # (weights, centre) of the best epoch seen in this run

    while state.epoch < config.epochs and state.bad_epochs < config.patience:
        if config.max_steps and state.step >= config.max_steps:
            break
        started = time.perf_counter()
        model.train()
        order = torch.randperm(
            n_rows, generator=torch.Generator().manual_seed(config.seed * 7919 + state.epoch)
        )
        selected = epoch_rows.rows(state.epoch) if epoch_rows is not None else None
        center = torch.tensor(state.center) if state.center is not None else None
        dist_sum, dist_count, loss_sum, n_batches = None, 0, 0.0, 0
        first = state.step - state.epoch * steps_per_epoch  # >0 when resuming mid-epoch
        for batch_index in range(max(first, 0), steps_per_epoch):
            if config.max_steps and state.step >= config.max_steps:
                break  # the budget ends this epoch early: it is validated and kept as usual
            rows = order[batch_index * config.batch_size : (batch_index + 1) * config.batch_size]
            index = rows.numpy() if selected is None else selected[rows.numpy()]
            tokens = _trim(torch.from_numpy(train[index]))
            torch.manual_seed(config.seed * 1_000_003 + state.step)  # dropout
            generator = torch.Generator().manual_seed(config.seed * 1_000_033 + state.step)
            loss, dist = batch_loss(
                model, tokens, config.mask_ratio, generator, center, config.alpha
            )
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            state.step += 1
            dist_sum = dist.sum(0) if dist_sum is None else dist_sum + dist.sum(0)
            dist_count += len(dist)
            loss_sum += float(loss.detach())
            n_batches += 1
            avg = loss_sum / n_batches
            state.steps.append({"step": state.step, "loss": float(loss.detach()), "avg": avg})
            progress.advance()
            if state.step % TRIM_EVERY == 0:
                release_freed_memory()
            if config.log_every and state.step % config.log_every == 0:
                log(f"Step {state.step}: Loss={float(loss.detach()):.4f}, Avg={avg:.4f}")
            if checkpoint_dir is not None and state.step % config.checkpoint_every == 0:
                name = f"checkpoint_step_{state.step}.pt"
                _save(checkpoint_dir / name, model, optimizer, state, payload)
                prune_checkpoints(checkpoint_dir)

        state.center = (dist_sum / max(dist_count, 1)).tolist() if dist_sum is not None else None
        train_loss = loss_sum / max(n_batches, 1)
        # without validation windows there is nothing to stop on or choose by: the training
        # loss is no stand-in (epoch 1 has no hypersphere term yet, so it is always lowest),
        # so every epoch runs and the last one's weights are kept
        val_loss = (
            validation_loss(model, val_tokens, config, torch.tensor(state.center))
            if val_tokens is not None
            else None
        )
        state.epoch += 1
        release_freed_memory()
        seconds = time.perf_counter() - started
        validated = val_loss is not None and math.isfinite(val_loss)
        # said once, at the first such epoch (a resumed run has said it already)
        first_unvalidated = (
            val_loss is not None
            and not validated
            and all(e["val_loss"] is None or math.isfinite(e["val_loss"]) for e in state.epochs)
        )
        state.epochs.append(
            {
                "epoch": state.epoch,
                "train_loss": train_loss,
                "val_loss": val_loss,
                "seconds": seconds,
            }
        )
        shown = f"{val_loss:.4f}" if validated else "n/a"
        log(
            f"Epoch {state.epoch} of at most {config.epochs}: train_loss={train_loss:.4f}, "
            f"val_loss={shown} ({seconds:.1f}s)" + _time_left(config, state, n_batches, seconds)
        )
        if first_unvalidated:
            warn(_no_validation_loss(val_loss, val_tokens))
        improved = validated and val_loss < state.best_val - config.min_delta
        if improved:
            state.best_val, state.best_epoch, state.bad_epochs = val_loss, state.epoch, 0
        elif validated:  # an epoch without a validation loss does not count against patience
            state.bad_epochs += 1
        if improved:
            best = ({k: v.detach().clone() for k, v in model.state_dict().items()}, state.center)
        if checkpoint_dir is not None:
            if improved:
                _save(checkpoint_dir / "best_model.pt", model, optimizer, state, payload)
            _save(checkpoint_dir / f"epoch_{state.epoch}.pt", model, optimizer, state, payload)
            prune_checkpoints(checkpoint_dir)

    progress.close()
    if config.max_steps and state.step >= config.max_steps:
        log(f"Step budget reached: {state.step} steps in {state.epoch} epochs")
    elif state.bad_epochs >= config.patience:
        log(f"Early stop: no validation improvement for {config.patience} epochs")
    _restore_best(model, state, best, checkpoint_dir, warn)
    model.eval()
    return state


@torch.no_grad()
def validation_loss(
    model: nn.Module, tokens: torch.Tensor, config: TrainConfig, center: torch.Tensor
) -> float:
    """Loss on the validation windows with masks fixed by the seed (comparable across epochs)."""
    model.eval()
    generator = torch.Generator().manual_seed(config.seed + 424_242)
    total, count = 0.0, 0
    for start in range(0, len(tokens), 1024):
        batch = _trim(tokens[start : start + 1024])
        loss, _ = batch_loss(model, batch, config.mask_ratio, generator, center, config.alpha)
        total += float(loss) * len(batch)
        count += len(batch)
    model.train()
    return total / max(count, 1)


def _no_validation_loss(val_loss: float, tokens: torch.Tensor | None) -> str:
    """The warning for a validation loss that is not a number to stop on (inf, nan), and why."""
    why = "no key of the validation windows could be masked"
    if tokens is not None and bool((tokens == UNK).any()):
        n = int((tokens == UNK).any(dim=1).sum())
        why = (
            "keys unseen in training, which the model cannot predict, are in "
            f"{n} of the {len(tokens)} validation windows"
        )
    return (
        f"the validation loss could not be computed ({val_loss}: {why}); early stopping is off "
        "and the last epoch's weights are kept"
    )


def _restore_best(model, state: TrainState, best, checkpoint_dir: Path | None, warn: Log) -> None:
    """Load the best epoch's weights (from memory, or best_model.pt after a resume; without
    a usable one the last epoch's weights stay, and the warning says so). No epoch had a
    validation loss (best_epoch 0): the last epoch's weights stay, as was said then."""
    if best is None and checkpoint_dir is not None and state.best_epoch:
        payload = load_checkpoint(checkpoint_dir / "best_model.pt", warn)
        if payload is not None:
            best = (payload["model_state_dict"], payload["state"]["center"])
    if best is not None:
        model.load_state_dict(best[0])
        state.center = best[1]


def _trim(tokens: torch.Tensor) -> torch.Tensor:
    """Drop all-padding columns at the right of a batch."""
    width = int((tokens != PAD).sum(dim=1).max())
    return tokens[:, :width]


def _save(path: Path, model, optimizer, state: TrainState, payload: dict) -> None:
    save_checkpoint(
        path,
        {
            **payload,
            "model_state_dict": model.state_dict(),
            "optimizer_state_dict": optimizer.state_dict(),
            "step": state.step,
            "epoch": state.epoch,
            "state": asdict(state),
        },
    )


def _resume(
    model, optimizer, checkpoint_dir: Path, model_config: dict[str, Any], log: Log, warn: Log
) -> TrainState | None:
    payload = latest_checkpoint(checkpoint_dir, warn)
    if payload is None:
        log(f"No usable checkpoint in {checkpoint_dir}; training from scratch")
        return None
    saved = payload["config"].get("model", {}) if isinstance(payload["config"], dict) else {}
    differences = config_differences(saved, model_config)
    if differences:
        raise LogbertError(
            f"cannot resume: the checkpoints in {checkpoint_dir} were written with other "
            f"parameters ({'; '.join(differences)}); resume with the same parameters, or train "
            "without --resume to start over (that deletes these checkpoints)"
        )
    model.load_state_dict(payload["model_state_dict"])
    optimizer.load_state_dict(payload["optimizer_state_dict"])
    state = TrainState(**payload["state"])
    log(f"Resumed from step {state.step} (epoch {state.epoch})")
    return state


def _warner(log: Log | None) -> Log:
    """Checkpoint warnings as `warning: ...` lines through the run's log (stderr in the CLI),
    or straight to stderr when the caller gave no log."""
    if log is None:
        return stderr_warning
    return lambda message: log(f"warning: {message}")


class _Progress:
    """A rich progress bar on stderr, only when stderr is a terminal. The run's log lines are
    written above it (`above`): written beside it, they were glued to the bar
    (`...0:01:02Step 1100: Loss=...`)."""

    def __init__(self, total: int, done: int) -> None:
        self._bar = None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("training", total=total, completed=done)

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)

    def above(self, log: Log) -> Log:
        """`log`, its lines written with the bar taken off the terminal and put back after."""
        if self._bar is None:
            return log

        def logged(line: str) -> None:
            bar = self._bar  # None once closed: then the line is plain
            if bar is not None:
                bar.stop()
            log(line)
            if bar is not None:
                bar.start()

        return logged

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
