"""The bad inputs every registered detector must handle the same way (shared checks)."""

from __future__ import annotations

import numpy as np
import pytest

from logbert.errors import LogbertError
from logbert.models.base import read_config
from logbert.models.registry import DETECTORS, detector_class, load_detector

# Small settings so each neural model trains in well under a second on the toy data.
FAST = {
    "deeplog": {"epochs": 3, "hidden_size": 8, "embedding_dim": 4},
    "logbert": {"epochs": 5, "hidden": 16, "layers": 1, "heads": 2, "max_len": 16},
}
NAMES = sorted(DETECTORS)
NORMAL = [[1, 2, 3, 4, 5], [1, 2, 3, 4, 4, 5], [1, 2, 3, 5], [1, 3, 2, 4, 5]] * 5
BOOK_KEEPING = {"config.json", "history.json", "threshold.json"}


def make(name: str):
    return detector_class(name)(**FAST.get(name, {}))


@pytest.fixture(scope="module", params=NAMES)
def fitted(request):
    detector = make(request.param)
    detector.fit(NORMAL, validation=NORMAL[:4])
    detector.calibrate(NORMAL[:8])
    return detector


@pytest.mark.parametrize("name", NAMES)
def test_training_on_no_sessions_is_a_clear_error(name):
    with pytest.raises(LogbertError, match="no training sessions"):
        make(name).fit([])


@pytest.mark.parametrize("name", NAMES)
def test_scoring_before_training_is_a_clear_error(name):
    with pytest.raises(LogbertError, match="not trained yet"):
        make(name).decision_function([[1, 2, 3]])


def test_predict_before_calibrate_is_a_clear_error(fitted):
    fitted.threshold_ = None
    with pytest.raises(LogbertError, match="no calibrated threshold"):
        fitted.predict([[1, 2, 3]])
    fitted.calibrate(NORMAL[:8])


def test_unseen_keys_score_above_normal_sessions(fitted):
    scores = fitted.decision_function([[1, 2, 3, 4, 5], [1, 2, 97, 98, 99]])
    assert scores[1] > scores[0]


def test_odd_sessions_get_one_finite_score_each(fitted):
    long_session = [1, 2, 3, 4, 5] * 4000  # 20,000 keys
    scores = fitted.decision_function([[], long_session, [7], [1, 2, 3, 4, 5]])
    assert scores.shape == (4,) and np.isfinite(scores).all()
    assert fitted.decision_function([]).shape == (0,)


def test_save_load_round_trip_scores_identically(fitted, tmp_path):
    fitted.save(tmp_path)
    loaded = load_detector(tmp_path)
    sessions = [[1, 2, 3, 4, 5], [5, 4, 3], [1, 99]]
    np.testing.assert_allclose(
        loaded.decision_function(sessions), fitted.decision_function(sessions), rtol=1e-6
    )
    assert loaded.threshold_.value == pytest.approx(fitted.threshold_.value)
    assert read_config(tmp_path)["model"] == fitted.name


def test_missing_or_corrupt_state_files_are_clear_errors(fitted, tmp_path):
    fitted.save(tmp_path / "model")
    state_files = sorted(
        p.name for p in (tmp_path / "model").iterdir() if p.is_file() and p.name not in BOOK_KEEPING
    )
    assert state_files
    for file_name in state_files:
        for damage, message in (("corrupt", "is corrupt"), ("missing", "is missing")):
            directory = tmp_path / f"{damage}-{file_name}"
            fitted.save(directory)
            if damage == "missing":
                (directory / file_name).unlink()
            else:
                (directory / file_name).write_bytes(b"\x00not a model file")
            with pytest.raises(LogbertError, match=message):
                load_detector(directory)


@pytest.mark.parametrize("name", NAMES)
def test_training_is_deterministic(name):
    sessions = [[1, 2, 3, 4, 5], [5, 4, 3], [1, 99], []]
    first = make(name).fit(NORMAL).decision_function(sessions)
    second = make(name).fit(NORMAL).decision_function(sessions)
    np.testing.assert_array_equal(first, second)
