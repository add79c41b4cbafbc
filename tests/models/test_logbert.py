"""LogBERT on tiny inline sessions: learns order, unseen keys, windows, determinism, save/load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
import yaml

from logbert.errors import LogbertError
from logbert.models.logbert import LogBERT
from logbert.models.vocab import DIST, END, MASK, UNK, Vocab, pad, windows
from logbert.sessions.batch import SessionBatch, as_batch
from logbert.sessions.io import Session

# the plain model (every session, no augmentation, mean surprise decides): order is strict
# (known_min_count 0: the model's own scores; the rule is test_known_sequences.py's)
TINY = {"hidden": 32, "layers": 1, "heads": 2, "max_len": 16, "epochs": 12, "batch_size": 32,
        "decision": "score", "dedup": False, "swap_copies": 0, "open_copies": 0,
        "known_min_count": 0}  # fmt: skip
NORMAL = [[1, 2, 3, 4, 5, 6]] * 60 + [[1, 2, 3, 4, 5, 6, 7]] * 30


@pytest.fixture(scope="module")
def model() -> LogBERT:
    return LogBERT(**TINY, lr=5e-3, patience=20).fit(NORMAL, validation=NORMAL[:10])


def test_vocab_maps_unseen_keys_to_unk_and_windows_long_sessions():
    vocab = Vocab([5, 9])
    assert vocab.token(5) != UNK and vocab.token(7) == UNK
    assert vocab.key(vocab.token(9)) == 9 and vocab.key(END) is None
    cut = windows(list(range(10, 20)), max_len=6)  # 4 keys per window
    assert [len(w) for w in cut] == [5, 5, 4]
    assert all(w[0] == DIST for w in cut) and cut[-1][-1] == END
    assert windows([], max_len=6) == [[DIST, END]]
    assert windows([7, 8], max_len=6, closed=False) == [[DIST, 7, 8]]  # an open session
    # scored, an open session holds its end with a MASK that is never scored
    assert windows([7, 8], max_len=6, closed=False, hold_end=True) == [[DIST, 7, 8, MASK]]
    assert pad([[1], [1, 2, 3]]).tolist() == [[1, 0, 0], [1, 2, 3]]


def test_learns_order_unseen_keys_and_truncation(model):
    scores = model.score_sessions(
        [[1, 2, 3, 4, 5, 6], [1, 2, 4, 3, 5, 6], [1, 2, 3, 4, 99, 6], [1, 2]]
    )
    normal, swapped, unseen, truncated = scores["score"]
    assert swapped > normal and unseen > normal and truncated > normal
    assert scores["miss_ratio"][2] > 0  # an unseen key is always a miss
    assert scores["miss_ratio"][0] == 0
    worst = scores["max_surprise"]
    cap = -np.log(1e-12)  # an unseen key: probability 0; ties there ordered by the mean
    assert worst[2] == pytest.approx(cap + scores["score"][2] / cap, rel=1e-4)
    assert worst[0] < worst[1] and worst[0] < worst[3]


def test_sessions_holding_unseen_keys_rank_by_how_much_of_them_is_unexpected(model):
    one_new, three_new, all_new = model.score_sessions(
        [[1, 2, 3, 4, 99, 6], [1, 2, 97, 98, 99, 6], [97, 98, 99]]
    )["max_surprise"]
    cap = -np.log(1e-12)
    assert cap <= one_new < three_new < all_new <= cap + 1  # no longer a tie at the cap


def test_scores_every_session_in_order_and_deterministically(model):
    sessions = [[1, 2, 3], [], [1], list(range(1, 7)) * 10, [1, 2, 3]]  # 60 keys > max_len
    first = model.decision_function(sessions)
    assert first.shape == (5,) and np.isfinite(first).all()
    assert first[0] == first[4]  # identical sequences, identical scores
    assert np.array_equal(first, model.decision_function(sessions))  # run to run: exact
    # alone vs inside a batch: other rows in the forward pass may change float rounding
    np.testing.assert_allclose(first[:1], model.decision_function(sessions[:1]), rtol=1e-6)


def test_default_training_tolerates_neighbour_swaps_not_far_moves():
    params = {**TINY, "decision": "max_surprise", "dedup": True, "swap_copies": 8, "epochs": 60}
    model = LogBERT(**params, lr=5e-3, patience=60).fit(NORMAL)
    assert model.training_info_["n_train_distinct"] == 2
    assert model.training_info_["n_train_windows"] == 2 * 9
    normal, neighbours, far = model.decision_function(
        [[1, 2, 3, 4, 5, 6], [1, 2, 4, 3, 5, 6], [1, 5, 2, 3, 4, 6]]
    )
    assert normal < neighbours < far


def test_long_sessions_train_on_drawn_windows_short_ones_on_all():
    long_normal = [list(range(1, 7)) * 5] * 4  # 30 keys: 3 windows of 14 (max_len 16)
    sessions = NORMAL[:20] + NORMAL[-5:] + long_normal
    params = {**TINY, "epochs": 2, "dedup": True, "long_swap_copies": 1, "min_epoch_windows": 0}
    model = LogBERT(**params, long_windows=1).fit(sessions)
    info = model.training_info_
    # distinct: the two short ones and the long one; each plus one jittered copy
    assert info["n_train_distinct"] == 3
    assert info["n_train_windows"] == 2 * (1 + 1 + 3)
    assert info["n_epoch_windows"] == 2 * 2 + 1  # one window of the long one (pooled) an epoch
    assert info["steps"] == 2  # one batch an epoch
    everything = LogBERT(**params, long_windows=0).fit(sessions).training_info_  # every window
    assert everything["n_epoch_windows"] == everything["n_train_windows"] == 10


def test_deduplicated_epochs_stay_as_large_as_the_sessions_up_to_min_epoch_windows():
    """90 sessions of 2 distinct sequences: deduplicated, an epoch was 2 windows, one step, so
    `epochs` steps in all (a fixed workflow's log trained 60 steps and missed deletions). The
    epoch now repeats them up to the session count, at most `min_epoch_windows`."""
    params = {**TINY, "epochs": 2, "dedup": True}
    capped = LogBERT(**params, min_epoch_windows=1024).fit(NORMAL).training_info_
    assert capped["n_train_distinct"] == capped["n_train_windows"] == 2
    assert capped["n_epoch_windows"] == 90 and capped["steps"] == 2 * 3  # 90 rows / 32
    bounded = LogBERT(**params, min_epoch_windows=64).fit(NORMAL).training_info_
    assert bounded["n_epoch_windows"] == 64 and bounded["steps"] == 2 * 2
    off = LogBERT(**params, min_epoch_windows=0).fit(NORMAL).training_info_
    assert off["n_epoch_windows"] == 2 and off["steps"] == 2
    every = LogBERT(**{**params, "dedup": False}).fit(NORMAL).training_info_
    assert every["n_epoch_windows"] == 90  # without deduplication nothing is repeated


LONG = [list(range(1, 7)) * 5] * 4  # 30 keys: 3 windows of 14 (max_len 16)


def test_long_sessions_train_within_a_step_budget_and_their_own_batch_size():
    sessions = NORMAL[:20] + LONG
    params = {**TINY, "epochs": 50, "batch_size": 32, "patience": 50, "long_swap_copies": 0}
    model = LogBERT(**params, long_windows=1, long_batch_size=2, long_max_steps=7).fit(
        sessions, validation=NORMAL[:3] + LONG[:2]
    )
    info = model.training_info_
    assert info["long_sessions"] is True
    assert info["n_epoch_windows"] == 20 + 4  # dedup off: 20 short rows + 1 of each long
    assert info["steps"] == 7  # the budget, not 50 epochs of 12 batches of 2 rows
    assert info["epochs_run"] == 1  # the budget ended the first epoch (12 batches) early
    # validation: every short session's window, one fixed window of each long one
    assert info["n_validation_windows"] == 3 + 2
    unlimited = LogBERT(**{**params, "epochs": 2}, long_windows=1, long_max_steps=0).fit(sessions)
    assert unlimited.training_info_["steps"] == 2 * 2  # 24 rows: 2 batches of 16, 2 epochs


def test_long_sessions_train_with_their_own_dropout_mask_ratio_and_swapped_copies():
    sessions = NORMAL[:20] + LONG
    params = {**TINY, "epochs": 1, "dedup": False, "swap_copies": 0, "dropout": 0.3}
    model = LogBERT(**params, long_swap_copies=1, long_dropout=0.0, long_windows=0).fit(sessions)
    # the long settings: one swapped copy of every session (2 x (20 + 4 x 3) windows), no dropout
    assert model.training_info_["n_train_windows"] == 2 * (20 + 4 * 3)
    rates = {m.p for m in model.model_.modules() if isinstance(m, torch.nn.Dropout)}
    assert rates == {0.0}
    short = LogBERT(**params, long_swap_copies=1, long_dropout=0.0).fit(NORMAL[:20])
    assert short.training_info_["n_train_windows"] == 20
    assert {m.p for m in short.model_.modules() if isinstance(m, torch.nn.Dropout)} == {0.3}


def test_short_sessions_ignore_every_long_session_setting():
    a = LogBERT(**{**TINY, "epochs": 2}, long_windows=1, long_batch_size=2, long_max_steps=1,
                long_dropout=0.0, long_mask_ratio=0.5, long_swap_copies=0)  # fmt: skip
    a.fit(NORMAL, validation=NORMAL[:5])
    b = LogBERT(**{**TINY, "epochs": 2}, long_windows=0, long_batch_size=0, long_max_steps=0)
    b.fit(NORMAL, validation=NORMAL[:5])
    assert a.training_info_["long_sessions"] is False
    assert a.training_info_["steps"] == b.training_info_["steps"] == 2 * 3  # 90 rows / 32
    for (name, x), (_, y) in zip(
        a.model_.state_dict().items(), b.model_.state_dict().items(), strict=True
    ):
        assert np.array_equal(x.numpy(), y.numpy()), name


def test_short_sessions_train_the_same_whatever_long_windows_says():
    a = LogBERT(**{**TINY, "epochs": 2}, long_windows=1).fit(NORMAL)
    b = LogBERT(**{**TINY, "epochs": 2}).fit(NORMAL)
    assert a.training_info_["n_epoch_windows"] == a.training_info_["n_train_windows"]
    for (name, x), (_, y) in zip(
        a.model_.state_dict().items(), b.model_.state_dict().items(), strict=True
    ):
        assert np.array_equal(x.numpy(), y.numpy()), name


def test_open_sessions_are_not_judged_on_their_end():
    params = {**TINY, "decision": "max_surprise", "open_copies": 2, "epochs": 40}
    model = LogBERT(**params, lr=5e-3, patience=40).fit(NORMAL)
    closed, still_open, open_unseen, open_swapped = model.decision_function(
        SessionBatch.from_keys([[1, 2, 3], [1, 2, 3], [1, 2, 99], [1, 3, 2]], [0, 1, 1, 1])
    )
    assert still_open < closed  # stopping after 3 keys is only surprising once it is over
    assert -np.log(1e-12) <= open_unseen <= -np.log(1e-12) + 1  # at the cap
    assert open_swapped > still_open
    # an open and a closed copy of one sequence are two different things to score
    both = model.score_sessions(SessionBatch.from_keys([[1, 2, 3]] * 2, [0, 1]))["max_surprise"]
    assert both[0] == closed and both[1] == still_open


def test_an_open_normal_session_is_not_judged_by_its_cut_off_end():
    """QA: a model trained on closed sessions read the token before padding as the last one
    before END, so an open session cut off mid-way had its last (normal) event scored as a
    wrong end (here: 8 expected where the log stopped after `1 2`), and open normal sessions
    were flagged. Its end is now held by a MASK that is never scored."""
    normal = [[7] + [1, 2, 3] * k + [8] for k in range(1, 5)] * 25
    model = LogBERT(**{**TINY, "epochs": 30}, lr=5e-3, patience=30).fit(
        normal, validation=normal[:8]
    )
    prefix = [7, 1, 2, 3, 1, 2]
    scores = model.score_sessions(SessionBatch.from_keys([prefix, prefix], [1, 0]), top_events=1)
    still_open, closed = scores["max_surprise"]
    assert still_open < 1.0 < closed  # closed there, the missing `3 ... 8` is the anomaly
    assert scores["top_events"][1][0]["key"] is None  # the closed one: END where 3 belongs


def test_same_seed_same_model():
    a = LogBERT(**{**TINY, "epochs": 2}).fit(NORMAL[:40])
    b = LogBERT(**{**TINY, "epochs": 2}).fit(NORMAL[:40])
    probe = [[1, 2, 3, 4], [4, 3, 2, 1]]
    assert np.array_equal(a.decision_function(probe), b.decision_function(probe))


def test_save_load_round_trip_and_predict(model, tmp_path):
    model.calibrate(NORMAL[:10], rule="max", source="test")
    model.save(tmp_path / "m")
    loaded = LogBERT.load(tmp_path / "m")
    probe = [[1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1], [1, 2, 3, 42]]
    assert np.array_equal(model.decision_function(probe), loaded.decision_function(probe))
    assert loaded.threshold_.rule == "max" and loaded.threshold_.score == "score"
    assert loaded.predict(probe).tolist() == [0, 1, 1]
    loaded.decision = "max_surprise"
    assert loaded.calibrate(NORMAL[:10], rule="max").score == "max_surprise"
    assert loaded.predict(probe).tolist() == [0, 1, 1]


def test_explain_names_surprising_positions_and_expected_keys(model):
    (events,) = model.explain([[1, 2, 3, 4, 77, 6]], top=2)
    assert events[0]["position"] == 4 and events[0]["key"] == 77
    assert events[0]["expected"][0]["key"] == 5
    (truncated,) = model.explain([[1, 2]], top=1)
    assert truncated[0]["key"] is None  # the session ended where key 3 was expected


@pytest.mark.parametrize("victim", ["model.safetensors", "vocab.json", "config.json"])
def test_missing_or_corrupt_model_files_raise_clear_errors(model, tmp_path, victim):
    model.save(tmp_path / "m")
    (tmp_path / "m" / victim).write_bytes(b"\x00garbage")
    with pytest.raises(LogbertError, match="corrupt"):
        LogBERT.load(tmp_path / "m")
    (tmp_path / "m" / victim).unlink()
    with pytest.raises(LogbertError, match="missing"):
        LogBERT.load(tmp_path / "m")


def test_bad_parameters_fail_at_fit_and_untrained_use():
    LogBERT(decision="vibes")  # the constructor only stores its arguments (sklearn contract)
    with pytest.raises(LogbertError, match="unknown decision 'vibes'"):
        LogBERT(decision="vibes").fit(NORMAL)
    with pytest.raises(LogbertError, match=r"logbert: max_len must be at least 3 \(got 2\)"):
        LogBERT(max_len=2).fit(NORMAL)
    with pytest.raises(LogbertError, match=r"hidden must be divisible by heads \(4\) \(got 10\)"):
        LogBERT(hidden=10, heads=4).fit(NORMAL)
    for name in ("long_batch_size", "long_max_steps", "long_swap_copies"):
        with pytest.raises(LogbertError, match=f"{name} must be at least 0"):
            LogBERT(**{name: -1}).fit(NORMAL)
    for name, bad in (("long_dropout", 1.0), ("long_mask_ratio", 0.0), ("long_mask_ratio", 1.0)):
        with pytest.raises(LogbertError, match=f"{name} must be a number in"):
            LogBERT(**{name: bad}).fit(NORMAL)
    with pytest.raises(LogbertError, match="not trained"):
        LogBERT().decision_function([[1, 2]])
    with pytest.raises(LogbertError, match="no training sessions"):
        LogBERT().fit([])


def test_paper_size_config_is_valid():
    config = Path(__file__).resolve().parents[2] / "configs" / "logbert_paper.yaml"
    params = yaml.safe_load(config.read_text())
    model = LogBERT(**params)
    model._check_params()
    assert (model.hidden, model.layers, model.heads, model.max_len) == (256, 4, 4, 512)


def test_auto_decision_is_the_mean_surprise_for_long_sessions_only(tmp_path):
    params = {**TINY, "epochs": 1, "decision": "auto"}
    assert LogBERT(**params).decision_score == "max_surprise"  # before training: the default
    short = LogBERT(**params).fit(NORMAL[:20])
    assert short.decision_score == "max_surprise"
    long = LogBERT(**params).fit(NORMAL[:20] + LONG)
    assert long.decision_score == "score"
    probe = [[1, 2, 3, 4, 5, 6], LONG[0], [6, 5, 4, 3, 2, 1] * 4]
    assert np.array_equal(long.decision_function(probe), long.score_sessions(probe)["score"])
    assert LogBERT.load(long.save(tmp_path / "m")).decision_score == "score"


def test_long_settings_can_be_forced_and_a_fitted_model_names_its_choices():
    params = {**TINY, "epochs": 1, "decision": "auto", "long_max_steps": 2}
    lines: list[str] = []
    forced_on = LogBERT(**params, long_settings="on").fit(NORMAL[:20], log=lines.append)
    assert forced_on.training_info_["long_sessions"] and forced_on.decision_score == "score"
    assert not any("window" in line for line in lines)  # asked for: no note
    assert forced_on.fitted_choices() == {"decision": "score", "long_settings": "on"}
    forced_off = LogBERT(**params, long_settings="off").fit(NORMAL[:20] + LONG)
    assert not forced_off.training_info_["long_sessions"]
    assert forced_off.fitted_choices() == {"decision": "max_surprise", "long_settings": "off"}
    assert LogBERT(**params).fitted_choices() == {}  # unfitted: nothing chosen yet
    # YAML reads a bare `on` / `off` as true / false (QA Knot DNS: the README's
    # `long_settings: off` was refused as False)
    yaml_on = LogBERT(**params, long_settings=True).fit(NORMAL[:20])
    assert yaml_on.fitted_choices()["long_settings"] == "on"
    with pytest.raises(LogbertError, match="unknown long_settings 'sometimes'"):
        LogBERT(**params, long_settings="sometimes").fit(NORMAL[:20])


def test_training_says_which_long_sessions_switch_the_settings_and_the_decision():
    """One 5,000-key line in an HDFS key file silently switched training and the decision;
    one start-up window or long run of a few hundred (QA Kea, CoreDNS, istiod, Ansible) still
    did, with a warning: under 1% of the sessions, outliers change nothing now."""
    params = {**TINY, "epochs": 1, "decision": "auto", "long_max_steps": 2}
    settings = "long-session settings (long_max_steps 2, long_batch_size 16, long_mask_ratio 0.4)"
    lines: list[str] = []
    LogBERT(**params).fit(NORMAL[:20] + LONG, log=lines.append)
    assert lines[0] == (
        "note: 4 of 24 training sessions (16.67%) are longer than one window (14 keys, max_len "
        "16; the first: #21, 30 keys): LogBERT will decide by the mean surprise `score` "
        f"(decision: auto) and train with its {settings}"
    )
    lines.clear()
    sessions = [Session(str(i), keys) for i, keys in enumerate(NORMAL * 2 + LONG[:1])]
    outlier = LogBERT(**params).fit(sessions, log=lines.append)
    assert outlier.decision_score == "max_surprise"
    assert not outlier.training_info_["long_sessions"]
    assert lines[0] == (
        "note: 1 of 181 training sessions (0.55%) is longer than one window (14 keys, "
        "max_len 16; the first: session '180', 30 keys): under 1% of them, so LogBERT keeps "
        "its usual settings and decides by `max_surprise` (decision: auto), and scores its "
        "windows all the same; if it is typical, set `long_settings: on` in --config (the "
        "mean surprise then decides)"
    )
    lines.clear()
    LogBERT(**{**params, "decision": "score"}).fit(NORMAL * 3 + LONG[:2], log=lines.append)
    assert lines[0].startswith("note: 2 of 272 training sessions (0.74%) are longer")
    assert lines[0].endswith(
        "LogBERT keeps its usual settings, and scores their windows all the same; if they are "
        "typical, set `long_settings: on` in --config"
    )
    lines.clear()
    LogBERT(**params).fit(NORMAL[:20], log=lines.append)
    assert not any("window" in line for line in lines)  # short sessions: nothing to say


def test_a_validation_loss_that_cannot_be_computed_is_said_once_and_keeps_the_last_epoch(
    tmp_path,
):
    """Every validation session held an unseen key: val_loss=inf each epoch, then "skipping
    checkpoint .../best_model.pt: the file is missing", as if a resume had gone wrong."""
    lines: list[str] = []
    params = {**TINY, "epochs": 3, "patience": 1}
    model = LogBERT(**params).fit(
        NORMAL[:20], validation=[list(range(90, 103))], checkpoint_dir=tmp_path, log=lines.append
    )
    warnings = [line for line in lines if line.startswith("warning:")]
    assert warnings == [
        "warning: the validation loss could not be computed (inf: keys unseen in training, "
        "which the model cannot predict, are in 1 of the 1 validation windows); early "
        "stopping is off and the last epoch's weights are kept"
    ]
    epochs = [line for line in lines if line.startswith("Epoch")]
    assert len(epochs) == 3 and all(", val_loss=n/a (" in line for line in epochs)
    assert model.training_info_["epochs_run"] == 3 and model.training_info_["best_epoch"] == 0


def test_without_validation_every_epoch_runs_and_the_last_weights_are_kept():
    """The training loss is no stand-in for a validation loss: epoch 1 has no hypersphere term,
    so its loss is always the lowest, and cross-fit folds trained 'for the final model's best
    epoch count' came back with epoch-1 weights, whatever that count was."""
    lines: list[str] = []
    params = {**TINY, "patience": 1}
    one = LogBERT(**{**params, "epochs": 1}).fit(NORMAL[:40])
    three = LogBERT(**{**params, "epochs": 3}).fit(NORMAL[:40], log=lines.append)
    assert three.training_info_["epochs_run"] == 3 and three.training_info_["best_epoch"] == 0
    assert three.training_info_["best_val_loss"] is None
    assert not [line for line in lines if line.startswith("warning:")]
    assert all(", val_loss=n/a (" in line for line in lines if line.startswith("Epoch"))
    assert not np.array_equal(one.decision_function(NORMAL[:10]),
                              three.decision_function(NORMAL[:10]))  # fmt: skip


def test_time_windows_have_no_end_to_judge(tmp_path):
    """QA CrowdSec: `<end of session>` was the top evidence of 58 of 144 time windows
    ("expected: a heartbeat"): a clock, not the system, ended each window, so no end token is
    learnt or scored for them, in training and after loading."""
    batch = SessionBatch.from_keys(NORMAL)
    windows = SessionBatch(batch.keys, batch.is_open, clock_cut=True)
    model = LogBERT(**{**TINY, "epochs": 2}).fit(windows)
    assert model.training_info_["clock_cut"] is True
    events = model.score_sessions([[1, 2, 3]], top_events=3)["top_events"][0]
    assert all(event["key"] is not None for event in events)
    model.save(tmp_path / "m")
    again = LogBERT.load(tmp_path / "m").score_sessions([[1, 2, 3]], top_events=3)
    assert all(event["key"] is not None for event in again["top_events"][0])


def test_a_model_that_learnt_no_order_is_warned_of(model):
    """QA CRI-O: LogBERT trained 120 steps scored normal windows 2.96 +- 0.18 against a
    threshold of 3.39, little better than knowing each key's frequency, with no word said.
    The warning compares the normal sessions' mean surprise with the training keys' entropy."""
    normal = as_batch(NORMAL[:10])
    assert model.training_info_["key_entropy"] == pytest.approx(1.90, abs=0.01)
    scores = model.decision_function(normal)  # (the decision scores, as `fit` passes them)
    assert model.unlearnt_warning(normal, scores) is None  # it learnt the order
    untrained = LogBERT(**{**TINY, "epochs": 1}, lr=1e-5).fit(NORMAL)
    warning = untrained.unlearnt_warning(normal, untrained.decision_function(normal))
    assert warning is not None and "it has not learnt their order" in warning
    assert "train longer (--epochs, 1 now)" in warning
    # ... and where order is chance, what helps (QA Privoxy: 30 epochs no better than 5)
    assert "interleave independent requests or threads" in warning and "(`--by-id`" in warning
