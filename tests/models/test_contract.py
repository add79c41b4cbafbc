"""The detector contract v2, for every registered detector (scikit-learn estimator rules).

Constructor stores parameters only (get_params/set_params/clone by introspection); fitted
attributes end in `_` and exist only after fit or load; fit(X, y, validation=) leaves sessions
labelled anomalous out (supervised detectors instead learn from both classes and require y) and
calibrates `threshold_` with the detector's own rule; every input form (key lists, Session
objects, SessionBatch) goes through the same checks.
"""

from __future__ import annotations

import inspect
import subprocess
import sys

import numpy as np
import pytest
from sklearn.base import clone

from logbert.errors import LogbertError
from logbert.models.registry import DETECTORS, detector_class, detector_names, load_detector
from logbert.sessions.batch import SessionBatch
from logbert.sessions.io import Session

TINY = {
    "logbert": {"epochs": 2, "hidden": 16, "layers": 1, "heads": 2, "max_len": 16},
    "deeplog": {"epochs": 2, "hidden_size": 8, "embedding_dim": 4},
    # the whole pretrained encoder frozen: only the head trains, on embeddings computed once
    "text-classifier": {
        "epochs": 20, "max_length": 32, "freeze_encoder_layers": 6, "learning_rate": 1e-2,
    },
}  # fmt: skip
SUPERVISED = {"knn", "decision-tree", "logistic-regression", "random-forest", "text-classifier"}
RULES = {"logbert": "max", "deeplog": "mean+2std"}  # count-vector detectors: mean+2std
RULES.update(dict.fromkeys(SUPERVISED, "best-f1"))
NAMES = detector_names()
NORMAL = [[1, 2, 3, 4, 5], [1, 2, 3, 4, 4, 5], [1, 2, 3, 5], [1, 3, 2, 4, 5]] * 5
ANOMALOUS = [[9, 9, 9, 8], [5, 4, 3, 2, 1, 7]]
PROBE = [[1, 2, 3, 4, 5], [5, 4, 3], [1, 99], [], [1, 2, 3, 4, 5]]


def make(name: str):
    return detector_class(name)(**TINY.get(name, {}))


def training(name: str) -> tuple[list, np.ndarray | None]:
    """(X, y) a detector is fit on: supervised ones get both classes and their labels."""
    if name in SUPERVISED:
        return NORMAL + ANOMALOUS, np.array([0] * len(NORMAL) + [1] * len(ANOMALOUS))
    return NORMAL, None


def validation(name: str):
    """Six validation sessions: labelled (4 normal, 2 anomalous) for supervised detectors."""
    if name in SUPERVISED:
        batch = SessionBatch.from_keys(NORMAL[:4] + ANOMALOUS)
        return SessionBatch(batch.keys, batch.is_open, labels=np.array([0, 0, 0, 0, 1, 1]))
    return NORMAL[:6]


@pytest.fixture(scope="module", params=NAMES)
def fitted(request):
    return make(request.param).fit(*training(request.param))


def test_registry_lists_every_detector_sorted():
    assert sorted(DETECTORS) == NAMES and "logbert" in NAMES
    assert set(NAMES) >= SUPERVISED
    assert {name for name in NAMES if detector_class(name).supervised} == SUPERVISED


@pytest.mark.parametrize("name", NAMES)
def test_constructor_only_stores_its_parameters(name):
    detector = make(name)
    signature = inspect.signature(type(detector).__init__).parameters
    assert set(detector.get_params()) == set(signature) - {"self"}
    assert vars(detector) == detector.get_params()  # nothing else, no fitted attributes
    assert not hasattr(detector, "threshold_") and not hasattr(detector, "training_info_")


@pytest.mark.parametrize("name", NAMES)
def test_get_params_set_params_round_trip(name):
    params = make(name).get_params()
    other = detector_class(name)().set_params(**params)
    assert other.get_params() == params
    assert repr(other).startswith(type(other).__name__ + "(")


def test_clone_is_unfitted_with_equal_params(fitted):
    copy = clone(fitted)
    assert type(copy) is type(fitted) and copy.get_params() == fitted.get_params()
    assert not hasattr(copy, "threshold_") and not hasattr(copy, "training_info_")
    with pytest.raises(LogbertError, match="not trained yet"):
        copy.decision_function(PROBE)


@pytest.mark.parametrize("name", NAMES)
def test_fit_returns_self_sets_fitted_attributes_and_calibrates(name):
    detector = make(name)
    X, y = training(name)
    assert detector.fit(X, y) is detector
    for attribute in ("threshold_", "training_info_", "history_"):
        assert hasattr(detector, attribute)
    threshold = detector.threshold_
    assert threshold.rule == detector.default_threshold_rule == RULES.get(name, "mean+2std")
    assert threshold.score == detector.decision_score
    assert "training sessions (in-sample" in threshold.source
    assert threshold.n_sessions == len(X)


@pytest.mark.parametrize("name", NAMES)
def test_validation_given_to_fit_calibrates_the_threshold(name):
    detector = make(name).fit(*training(name), validation=validation(name))
    assert detector.threshold_.n_sessions == 6 and "validation" in detector.threshold_.source
    assert detector.calibrate(NORMAL[:8], rule="max").rule == "max"
    assert detector.threshold_.score == detector.decision_score


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_data_same_scores(name):
    first = make(name).fit(*training(name)).decision_function(PROBE)
    second = make(name).fit(*training(name)).decision_function(PROBE)
    np.testing.assert_allclose(first, second, rtol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_unfitted_use_is_a_clear_error(name, tmp_path):
    detector = make(name)
    for use in (
        lambda: detector.decision_function(PROBE),
        lambda: detector.predict(PROBE),
        lambda: detector.score_sessions(PROBE),
        lambda: detector.save(tmp_path / "model"),
    ):
        with pytest.raises(LogbertError, match=r"not trained yet: call fit\(\) or .*\.load"):
            use()
    assert not (tmp_path / "model").exists()


@pytest.mark.parametrize("name", sorted(set(NAMES) - SUPERVISED))
def test_sessions_labelled_anomalous_are_left_out_of_training(name):
    labels = [0] * len(NORMAL) + [1] * len(ANOMALOUS)
    with_labels = make(name).fit(NORMAL + ANOMALOUS, np.array(labels))
    assert with_labels.training_info_["n_anomalies_left_out"] == len(ANOMALOUS)
    assert make(name).fit(NORMAL).training_info_["n_anomalies_left_out"] == 0
    assert with_labels.threshold_.n_sessions == len(NORMAL)  # in-sample: the normal ones
    np.testing.assert_allclose(
        with_labels.decision_function(PROBE), make(name).fit(NORMAL).decision_function(PROBE),
        rtol=1e-6,
    )  # fmt: skip
    with pytest.raises(LogbertError, match="labels for"):
        make(name).fit(NORMAL, [0, 1])
    with pytest.raises(LogbertError, match="all 2 given were labelled anomalous"):
        make(name).fit(ANOMALOUS, [1, 1])


@pytest.mark.parametrize("name", sorted(SUPERVISED))
def test_supervised_detectors_learn_from_both_classes(name):
    X, y = training(name)
    detector = make(name).fit(X, y)
    assert detector.training_info_["n_anomalies_left_out"] == 0
    assert detector.training_info_["n_anomalous"] == len(ANOMALOUS)
    assert detector.threshold_.n_sessions == len(X) and detector.threshold_.n_anomalies == 2
    scores = detector.decision_function(X)
    assert scores[len(NORMAL) :].min() > scores[: len(NORMAL)].max()  # anomalies were learnt
    assert ((scores >= 0) & (scores <= 1)).all()  # anomaly probabilities


@pytest.mark.parametrize("name", sorted(SUPERVISED))
def test_supervised_detectors_refuse_one_class_or_missing_labels(name):
    one_class = "a supervised model needs both normal and anomalous sessions; got only"
    with pytest.raises(LogbertError, match=f"{one_class} 20 normal"):
        make(name).fit(NORMAL, np.zeros(len(NORMAL)))
    with pytest.raises(LogbertError, match=f"{one_class} 2 anomalous"):
        make(name).fit(ANOMALOUS, [1, 1])
    with pytest.raises(LogbertError, match=f"{one_class} 20 normal .2 with unknown labels"):
        make(name).fit(NORMAL + ANOMALOUS, [0] * len(NORMAL) + [-1, -1])
    with pytest.raises(LogbertError, match=f"{name} is a supervised model: fit.X, y. needs"):
        make(name).fit(NORMAL + ANOMALOUS)
    with pytest.raises(LogbertError, match="labels for"):
        make(name).fit(NORMAL, [0, 1])


def test_predict_right_after_fit(fitted):
    verdicts = fitted.predict(PROBE + ANOMALOUS)
    assert verdicts.shape == (len(PROBE) + 2,) and set(verdicts.tolist()) <= {0, 1}
    assert verdicts.dtype.kind == "i"


def test_session_objects_and_session_batches_are_accepted(fitted):
    expected = fitted.decision_function(PROBE)
    sessions = [Session(session_id=str(i), keys=k, label="normal") for i, k in enumerate(PROBE)]
    np.testing.assert_array_equal(fitted.decision_function(sessions), expected)
    np.testing.assert_array_equal(fitted.decision_function(SessionBatch.from_keys(PROBE)), expected)
    np.testing.assert_array_equal(fitted.decision_function([np.array(k) for k in PROBE]), expected)
    X, y = training(fitted.name)
    refit = clone(fitted).fit(SessionBatch.from_keys(X), y)
    np.testing.assert_allclose(refit.decision_function(PROBE), expected, rtol=1e-6)
    with pytest.raises(LogbertError, match="session 1 is not a sequence of integer log keys"):
        fitted.decision_function([[1, 2], "abc"])


def test_a_flat_key_list_is_refused_not_read_as_one_key_sessions(fitted):
    """[1, 2, 3] is one session's keys: read as sessions it would be three one-key sessions."""
    flat = "X must be a list of sessions .*got a flat sequence of integers: wrap one session"
    for keys in ([1, 2, 3, 4], np.array([1, 2, 3, 4])):
        with pytest.raises(LogbertError, match=flat):
            fitted.decision_function(keys)
    with pytest.raises(LogbertError, match=flat):
        clone(fitted).fit([1, 2, 3, 4, 5])
    with pytest.raises(LogbertError, match="validation must be a list of sessions"):
        clone(fitted).fit(*training(fitted.name), validation=[1, 2, 3])
    rows = np.array([[1, 2, 3, 4, 5], [1, 2, 3, 4, 5]])  # a 2-D array: one session per row
    assert fitted.decision_function(rows).shape == (2,)


def test_a_threshold_that_is_not_finite_is_refused_naming_the_detector(fitted):
    """a NaN threshold was saved, and every later command refused the model."""
    before = fitted.threshold_
    scores = np.array([0.5, np.inf, 0.2])
    with pytest.raises(LogbertError) as error:
        fitted.calibrate_scores(scores, rule="mean+2std", source="validation split")
    assert str(error.value) == (
        f"{fitted.name} cannot be calibrated on validation split: the mean+2std threshold is "
        "nan, 1 of the 3 scores are not finite (e.g. inf); train on more (or other) normal "
        "sessions, or choose another threshold rule"
    )
    assert fitted.threshold_ is before  # the calibrated one is kept


def test_score_sessions_returns_every_declared_score(fitted):
    scores = fitted.score_sessions(PROBE)
    assert set(fitted.score_names) <= set(scores)
    assert fitted.decision_score in fitted.score_names
    for name in fitted.score_names:
        assert np.asarray(scores[name]).shape == (len(PROBE),)
    np.testing.assert_array_equal(scores[fitted.decision_score], fitted.decision_function(PROBE))


def test_save_load_round_trip_gives_the_same_scores(fitted, tmp_path):
    fitted.save(tmp_path / "model")
    loaded = load_detector(tmp_path / "model")
    assert type(loaded) is type(fitted) and loaded.get_params() == fitted.get_params()
    np.testing.assert_allclose(
        loaded.decision_function(PROBE), fitted.decision_function(PROBE), rtol=1e-6
    )
    assert loaded.threshold_ == fitted.threshold_
    assert loaded.training_info_ == fitted.training_info_
    assert loaded.predict(PROBE).tolist() == fitted.predict(PROBE).tolist()


def test_import_logbert_is_light_and_exports_the_api():
    code = (
        "import sys, logbert; assert 'torch' not in sys.modules, 'torch imported'; "
        "from logbert import Detector, SessionBatch, load_detector, detector_names; "
        "assert 'torch' not in sys.modules; "
        "from logbert import LogBERT, DeepLog; assert issubclass(LogBERT, Detector); "
        "print(logbert.__version__)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
