"""The bad inputs every registered detector must handle the same way (shared checks)."""

from __future__ import annotations

import numpy as np
import pytest

from logbert.errors import LogbertError
from logbert.models.base import read_config
from logbert.models.checks import (
    check_labelled_training,
    check_sessions,
    check_training,
    require_fitted,
)
from logbert.models.registry import DETECTORS, detector_class, load_detector
from logbert.sessions.batch import SessionBatch
from logbert.sessions.io import Session

# Small settings so each neural model trains in well under a second on the toy data.
FAST = {
    "deeplog": {"epochs": 3, "hidden_size": 8, "embedding_dim": 4},
    "logbert": {"epochs": 5, "hidden": 16, "layers": 1, "heads": 2, "max_len": 16},
}
NAMES = sorted(DETECTORS)
NORMAL = [[1, 2, 3, 4, 5], [1, 2, 3, 4, 4, 5], [1, 2, 3, 5], [1, 3, 2, 4, 5]] * 5
ANOMALOUS = [[9, 9, 9, 8], [5, 4, 3, 2, 1, 7]]
BOOK_KEEPING = {"config.json", "history.json", "threshold.json"}
# files a model directory saved before they existed lacks: their absence means the old layout
# (a binary text classifier before category targets), which loads as it always did
OLD_LAYOUT_OPTIONAL = {("text-classifier", "classes.json")}


def make(name: str):
    return detector_class(name)(**FAST.get(name, {}))


def fit(detector, sessions=NORMAL, **options):
    """Supervised detectors also get the anomalous sessions, with labels (they need both)."""
    if not detector.supervised:
        return detector.fit(sessions, **options)
    labels = np.array([0] * len(sessions) + [1] * len(ANOMALOUS))
    return detector.fit(list(sessions) + ANOMALOUS, labels, **options)


def calibration(detector, sessions):
    """Calibration sessions: labelled (with the anomalies) for supervised detectors."""
    if not detector.supervised:
        return sessions
    labels = [Session(session_id=str(i), keys=k, label="normal") for i, k in enumerate(sessions)]
    return labels + [
        Session(session_id=f"a{i}", keys=k, label="anomaly") for i, k in enumerate(ANOMALOUS)
    ]


@pytest.fixture(scope="module", params=NAMES)
def fitted(request):
    detector = make(request.param)
    fit(detector, validation=calibration(detector, NORMAL[:4]))
    detector.calibrate(calibration(detector, NORMAL[:8]))
    return detector


@pytest.mark.parametrize("name", NAMES)
def test_training_on_no_sessions_is_a_clear_error(name):
    with pytest.raises(LogbertError, match="no training sessions"):
        make(name).fit([])


@pytest.mark.parametrize("name", NAMES)
def test_scoring_before_training_is_a_clear_error(name):
    with pytest.raises(LogbertError, match="not trained yet"):
        make(name).decision_function([[1, 2, 3]])


def test_predict_before_calibrate_is_a_clear_error(fitted, tmp_path):
    fitted.save(tmp_path)
    (tmp_path / "threshold.json").unlink()
    loaded = load_detector(tmp_path)
    assert not hasattr(loaded, "threshold_")
    with pytest.raises(LogbertError, match="no calibrated threshold"):
        loaded.predict([[1, 2, 3]])
    loaded.calibrate(calibration(loaded, NORMAL[:8]))
    assert loaded.predict([[1, 2, 3]]).shape == (1,)


def test_check_sessions_accepts_every_input_form():
    keys = [[1, 2], [], [3]]
    sessions = [Session(session_id=f"s{i}", keys=k, label="anomaly") for i, k in enumerate(keys)]
    for given in (keys, [np.array(k) for k in keys], sessions, SessionBatch.from_keys(keys)):
        batch = check_sessions(given)
        assert [k.tolist() for k in batch.keys] == keys and not batch.is_open.any()
    assert check_sessions(sessions).session_ids == ["s0", "s1", "s2"]
    marked = SessionBatch.from_keys(keys, [True, False, True])
    assert check_sessions(marked) is marked
    for bad in ("1 2 3", 42, [[1, "x"]], [None]):
        with pytest.raises(LogbertError, match="sessions must be|integer log keys"):
            check_sessions(bad)


def test_check_training_leaves_out_sessions_labelled_anomalous():
    batch = check_training([[1], [2], [3], [4]], [0, 1, -1, True], "demo")
    assert [k.tolist() for k in batch.keys] == [[1], [3]]  # unknown (-1) labels are kept
    marked = SessionBatch.from_keys([[1], [2]], [True, False])
    assert check_training(marked, [1, 0], "demo").is_open.tolist() == [False]
    with pytest.raises(LogbertError, match="3 labels for 2 sessions"):
        check_training([[1], [2]], [0, 0, 0], "demo")
    with pytest.raises(LogbertError, match="labels must be"):
        check_training([[1], [2]], ["normal", "anomaly"], "demo")
    with pytest.raises(LogbertError, match="no training sessions: demo needs"):
        check_training([], None, "demo")
    with pytest.raises(LogbertError, match="all 2 sessions given to demo are empty"):
        check_training([[], []], None, "demo")


def test_check_labelled_training_keeps_both_classes_with_their_labels():
    batch = check_labelled_training([[1], [2], [3], [4]], [0, 1, -1, True], "demo")
    assert [k.tolist() for k in batch.keys] == [[1], [2], [4]]  # unknown (-1) labels left out
    assert batch.labels.tolist() == [0, 1, 1]
    marked = SessionBatch.from_keys([[1], [2]], [True, False])
    assert check_labelled_training(marked, [1, 0], "demo").is_open.tolist() == [True, False]
    with pytest.raises(LogbertError, match="no training sessions: demo needs labelled"):
        check_labelled_training([], [], "demo")
    with pytest.raises(LogbertError, match="demo is a supervised model: fit.X, y. needs labels"):
        check_labelled_training([[1], [2]], None, "demo")
    with pytest.raises(LogbertError, match="3 labels for 2 sessions"):
        check_labelled_training([[1], [2]], [0, 1, 0], "demo")
    with pytest.raises(LogbertError, match="both normal and anomalous sessions; got only 2 normal"):
        check_labelled_training([[1], [2]], [0, 0], "demo")
    with pytest.raises(LogbertError, match="got only 1 anomalous .1 with unknown labels left out"):
        check_labelled_training([[1], [2]], [1, -1], "demo")
    with pytest.raises(LogbertError, match="all 2 sessions given to demo are empty"):
        check_labelled_training([[], []], [0, 1], "demo")


def test_require_fitted_names_the_model_and_how_to_load_it():
    class Thing:
        name = "thing"

    thing = Thing()
    with pytest.raises(LogbertError, match=r"thing is not trained yet: call fit\(\) or Thing"):
        require_fitted(thing, "model_")
    thing.model_ = object()
    require_fitted(thing, "model_")


# detectors that judge a session by something other than which keys it holds
KEY_BLIND = {"length"}  # only the number of events counts


def test_unseen_keys_score_above_normal_sessions(fitted):
    if fitted.name in KEY_BLIND:
        pytest.skip(f"{fitted.name} does not look at keys")
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
            if damage == "missing" and (fitted.name, file_name) in OLD_LAYOUT_OPTIONAL:
                sessions = [[1, 2, 3, 4, 5], [1, 99]]
                np.testing.assert_array_equal(
                    load_detector(directory).decision_function(sessions),
                    fitted.decision_function(sessions),
                )
                continue
            with pytest.raises(LogbertError, match=message):
                load_detector(directory)


@pytest.mark.parametrize("name", NAMES)
def test_training_is_deterministic(name):
    sessions = [[1, 2, 3, 4, 5], [5, 4, 3], [1, 99], []]
    first = fit(make(name)).decision_function(sessions)
    second = fit(make(name)).decision_function(sessions)
    np.testing.assert_array_equal(first, second)
