"""Checkpoints: atomic files, torch.load(weights_only=True), resume after a kill, corrupt files."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from logbert.models.checkpoints import latest_checkpoint, save_checkpoint
from logbert.models.logbert import LogBERT

TINY = {"hidden": 16, "layers": 1, "heads": 2, "max_len": 12, "batch_size": 16, "patience": 99}
SESSIONS = [[1, 2, 3, 4]] * 30 + [[1, 2, 3, 4, 5]] * 18
PROBE = [[1, 2, 3, 4], [4, 3, 2, 1], [1, 2]]


def _payload(step: int) -> dict:
    return {
        "model_state_dict": {"w": torch.ones(2) * step},
        "optimizer_state_dict": {},
        "step": step,
        "epoch": step,
        "config": {},
    }


def test_latest_checkpoint_skips_corrupt_files(tmp_path):
    save_checkpoint(tmp_path / "epoch_1.pt", _payload(1))
    save_checkpoint(tmp_path / "epoch_2.pt", _payload(2))
    assert not list(tmp_path.glob("*.tmp"))
    assert latest_checkpoint(tmp_path)["step"] == 2
    (tmp_path / "epoch_2.pt").write_bytes(b"truncated")
    with pytest.warns(UserWarning, match="corrupt"):
        assert latest_checkpoint(tmp_path)["step"] == 1
    assert latest_checkpoint(tmp_path / "absent") is None


def test_resume_after_kill_matches_uninterrupted_run(tmp_path):
    whole = LogBERT(**TINY, epochs=3).fit(SESSIONS, validation=SESSIONS[:6])
    LogBERT(**TINY, epochs=2).fit(SESSIONS, validation=SESSIONS[:6], checkpoint_dir=tmp_path)
    names = {p.name for p in tmp_path.iterdir()}
    assert {"epoch_1.pt", "epoch_2.pt", "best_model.pt"} <= names
    saved = torch.load(tmp_path / "epoch_2.pt", weights_only=True)
    assert {"model_state_dict", "optimizer_state_dict", "step", "epoch", "config"} <= set(saved)
    (tmp_path / "epoch_2.pt").write_bytes(b"\x00" * 10)  # killed while... corrupt anyway
    lines: list[str] = []
    with pytest.warns(UserWarning, match="corrupt"):
        resumed = LogBERT(**TINY, epochs=3).fit(
            SESSIONS, validation=SESSIONS[:6], checkpoint_dir=tmp_path, resume=True,
            log=lines.append,
        )  # fmt: skip
    assert any("Resumed from step" in line and "epoch 1" in line for line in lines)
    assert len(resumed.history_["epochs"]) == 3
    np.testing.assert_allclose(
        whole.decision_function(PROBE), resumed.decision_function(PROBE), rtol=1e-5
    )
