"""Checkpoints: atomic files, weights-only loading, resume after a kill, one run per folder,
and scoring with a checkpoint's weights (`load_detector(MODEL/checkpoints/epoch_N.pt)`)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from logbert.errors import LogbertError
from logbert.models.checkpoints import latest_checkpoint, load_checkpoint, save_checkpoint
from logbert.models.logbert import LogBERT
from logbert.models.registry import describe_model_path, load_detector

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
    warnings: list[str] = []
    assert latest_checkpoint(tmp_path, warnings.append)["step"] == 1
    assert len(warnings) == 1 and warnings[0].startswith("skipping corrupt checkpoint")
    assert latest_checkpoint(tmp_path / "absent") is None


def test_checkpoint_warnings_are_warning_lines_that_say_missing_or_foreign(tmp_path, capsys):
    assert load_checkpoint(tmp_path / "best_model.pt") is None
    assert capsys.readouterr().err == (
        f"warning: skipping checkpoint {tmp_path / 'best_model.pt'}: the file is missing\n"
    )
    pickled = tmp_path / "epoch_1.pt"
    torch.save({"payload": Exception("not plain data")}, pickled)  # unpickling it is refused
    assert load_checkpoint(pickled) is None
    err = capsys.readouterr().err
    assert err.startswith("warning: skipping corrupt checkpoint") and "never unpickles" in err
    assert "weights_only" not in err
    torch.save({"w": torch.ones(1)}, pickled)
    assert load_checkpoint(pickled) is None
    assert "not a logbert training checkpoint" in capsys.readouterr().err


def test_resume_after_kill_matches_uninterrupted_run(tmp_path):
    whole = LogBERT(**TINY, epochs=3).fit(SESSIONS, validation=SESSIONS[:6])
    LogBERT(**TINY, epochs=2).fit(SESSIONS, validation=SESSIONS[:6], checkpoint_dir=tmp_path)
    names = {p.name for p in tmp_path.iterdir()}
    assert {"epoch_1.pt", "epoch_2.pt", "best_model.pt"} <= names
    saved = torch.load(tmp_path / "epoch_2.pt", weights_only=True)
    assert {"model_state_dict", "optimizer_state_dict", "step", "epoch", "config"} <= set(saved)
    (tmp_path / "epoch_2.pt").write_bytes(b"\x00" * 10)  # killed while... corrupt anyway
    lines: list[str] = []
    resumed = LogBERT(**TINY, epochs=3).fit(
        SESSIONS, validation=SESSIONS[:6], checkpoint_dir=tmp_path, resume=True,
        log=lines.append,
    )  # fmt: skip
    assert any(line.startswith("warning: skipping corrupt checkpoint") for line in lines)
    assert any("Resumed from step" in line and "epoch 1" in line for line in lines)
    assert len(resumed.history_["epochs"]) == 3
    np.testing.assert_allclose(
        whole.decision_function(PROBE), resumed.decision_function(PROBE), rtol=1e-5
    )


def test_a_fresh_run_clears_an_earlier_runs_checkpoints(tmp_path):
    held_out = SESSIONS[:5]  # validation: the best epoch is kept in best_model.pt
    LogBERT(**TINY, epochs=3, seed=1).fit(SESSIONS, validation=held_out, checkpoint_dir=tmp_path)
    (tmp_path / "checkpoint_step_999.pt.tmp").write_bytes(b"half written")
    assert {"epoch_3.pt", "best_model.pt"} <= {p.name for p in tmp_path.iterdir()}
    lines: list[str] = []
    LogBERT(**TINY, epochs=2, seed=2).fit(
        SESSIONS, validation=held_out, checkpoint_dir=tmp_path, log=lines.append
    )
    assert any(line.startswith("Removed 5 checkpoint files") for line in lines)  # 3 + best + tmp
    assert {p.name for p in tmp_path.iterdir()} == {"epoch_1.pt", "epoch_2.pt", "best_model.pt"}
    for name in ("epoch_2.pt", "best_model.pt"):
        saved = torch.load(tmp_path / name, weights_only=True)
        assert saved["config"]["model"]["seed"] == 2
    lines.clear()
    LogBERT(**TINY, epochs=1).fit(SESSIONS, checkpoint_dir=tmp_path / "new", log=lines.append)
    assert not any("Removed" in line for line in lines)  # nothing to clear: nothing said


def test_resume_refuses_checkpoints_written_with_other_parameters(tmp_path):
    LogBERT(**TINY, epochs=1).fit(SESSIONS, checkpoint_dir=tmp_path)
    other = {**TINY, "hidden": 32, "mask_stride": 3}
    with pytest.raises(LogbertError, match=r"cannot resume.*hidden: 16 -> 32.*mask_stride: 5 -> 3"):
        LogBERT(**other, epochs=2).fit(SESSIONS, checkpoint_dir=tmp_path, resume=True)
    assert (tmp_path / "epoch_1.pt").exists()  # a refused resume deletes nothing
    lines: list[str] = []
    LogBERT(**{**TINY, "patience": 50}, epochs=2).fit(
        SESSIONS, checkpoint_dir=tmp_path, resume=True, log=lines.append
    )  # more epochs and patience: the same run, continued
    assert any("Resumed from step" in line for line in lines)


def test_load_detector_takes_a_checkpoint_inside_a_model_directory(tmp_path):
    model_dir = tmp_path / "model"
    model = LogBERT(**TINY, epochs=3).fit(
        SESSIONS, validation=SESSIONS[:6], checkpoint_dir=model_dir / "checkpoints"
    )
    model.save(model_dir)
    first_epoch = LogBERT(**TINY, epochs=1).fit(SESSIONS, validation=SESSIONS[:6])
    checkpoint = model_dir / "checkpoints" / "epoch_1.pt"
    loaded = load_detector(checkpoint)
    np.testing.assert_allclose(
        loaded.decision_function(PROBE), first_epoch.decision_function(PROBE), rtol=1e-5
    )
    assert loaded.training_info_["weights_from_checkpoint"] == str(checkpoint)
    assert loaded.threshold_ == model.threshold_  # the model directory's threshold
    assert loaded.vocab_.keys == model.vocab_.keys
    note = describe_model_path(checkpoint)
    assert "epoch_1.pt" in note and str(model_dir) in note and "threshold" in note
    assert describe_model_path(model_dir) is None
    best = load_detector(model_dir / "checkpoints" / "best_model.pt")
    np.testing.assert_allclose(
        best.decision_function(PROBE), model.decision_function(PROBE), rtol=1e-5
    )


def test_a_checkpoint_outside_a_model_directory_is_a_clear_error(tmp_path):
    LogBERT(**TINY, epochs=1).fit(SESSIONS, checkpoint_dir=tmp_path / "run")
    for path in (tmp_path / "run" / "epoch_1.pt", tmp_path / "nowhere" / "checkpoints" / "x.pt"):
        with pytest.raises(LogbertError, match="outside a model's checkpoints|not found"):
            load_detector(path)
    stray = tmp_path / "run" / "epoch_1.pt"
    with pytest.raises(LogbertError, match="outside a model's checkpoints"):
        describe_model_path(stray)
    # QA FreeRADIUS: a run stopped before it saved its model is named so, not "outside"
    unfinished = tmp_path / "killed"
    LogBERT(**TINY, epochs=1).fit(SESSIONS, checkpoint_dir=unfinished / "checkpoints")
    with pytest.raises(LogbertError, match="saved no model .* --resume"):
        load_detector(unfinished / "checkpoints" / "epoch_1.pt")
    model_dir = tmp_path / "model"
    LogBERT(**TINY, epochs=1).fit(SESSIONS).save(model_dir)
    (model_dir / "checkpoints").mkdir()
    (model_dir / "checkpoints" / "epoch_9.pt").write_bytes(b"\x00 not a checkpoint")
    with pytest.raises(LogbertError, match="corrupt"):
        load_detector(model_dir / "checkpoints" / "epoch_9.pt")
