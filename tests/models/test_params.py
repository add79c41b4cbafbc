"""Constructor parameters: every detector checks type and range, in the same words
(`models/params.py`), at fit and at load, and scikit-learn's own parameter errors become
`LogbertError`s."""

from __future__ import annotations

import numpy as np
import pytest

from logbert.errors import LogbertError
from logbert.models.params import (
    ParamError,
    require_bool,
    require_choice,
    require_float,
    require_int,
    sklearn_params,
)
from logbert.models.registry import detector_class

SESSIONS = [[1, 2, 3], [1, 2, 3, 3], [2, 3, 1]] * 5


def test_require_int_refuses_bools_floats_strings_and_out_of_range():
    require_int("m", "n", 3, 1)
    require_int("m", "n", np.int64(3), 1, 5)
    for value, words in ((True, "an integer"), (2.0, "an integer"), ("3", "an integer"),
                         (0, "at least 1"), (9, "at most 5")):  # fmt: skip
        with pytest.raises(ParamError, match=f"m: n must be {words} \\(got {value!r}\\)") as err:
            require_int("m", "n", value, 1, 5)
        assert err.value.param == "n" and isinstance(err.value, LogbertError)


def test_require_float_bounds_open_and_closed():
    require_float("m", "p", 0, 0, 1)
    require_float("m", "p", 1, 0, 1)
    require_float("m", "p", 0.5, 0, 1, low_open=True, high_open=True)
    for value in (0, 1, 1.5, float("nan"), float("inf"), True, "0.5", None):
        with pytest.raises(ParamError, match=r"m: p must be a number in \(0, 1\)"):
            require_float("m", "p", value, 0, 1, low_open=True, high_open=True)
    with pytest.raises(ParamError, match="must be a number >= 0"):
        require_float("m", "alpha", -0.1, 0)
    with pytest.raises(ParamError, match="must be a number > 0"):
        require_float("m", "lr", 0, 0, low_open=True)


def test_require_bool_and_choice():
    require_bool("m", "flag", False)
    with pytest.raises(ParamError, match="flag must be true or false"):
        require_bool("m", "flag", 1)
    require_choice("m", "kind", None, (None, "a"))
    with pytest.raises(ParamError, match="kind must be one of null, 'a'"):
        require_choice("m", "kind", "b", (None, "a"))


def test_sklearn_parameter_errors_become_logbert_errors():
    from sklearn.utils._param_validation import InvalidParameterError

    with (
        pytest.raises(LogbertError, match="pca: a parameter does not fit .*--config"),
        sklearn_params("pca"),
    ):
        raise InvalidParameterError("The 'n_components' parameter of PCA must be ...")


# (detector, bad parameters, words of the error): the QA cases first (H3, M1, H4)
BAD = [
    ("logbert", {"epochs": "ten"}, "logbert: epochs must be an integer (got 'ten')"),
    ("logbert", {"epochs": 0}, "epochs must be at least 1 (got 0)"),
    ("logbert", {"epochs": -1}, "epochs must be at least 1"),
    ("logbert", {"epochs": True}, "epochs must be an integer (got True)"),
    ("logbert", {"hidden": -4}, "hidden must be at least 1"),
    ("logbert", {"hidden": "abc"}, "hidden must be an integer"),
    ("logbert", {"hidden": 10, "heads": 4}, "hidden must be divisible by heads (4)"),
    ("logbert", {"mask_ratio": 1.5}, "mask_ratio must be a number in (0, 1) (got 1.5)"),
    ("logbert", {"mask_ratio": 0}, "mask_ratio must be a number in (0, 1)"),
    ("logbert", {"dropout": 1.0}, "dropout must be a number in [0, 1)"),
    ("logbert", {"lr": 0}, "lr must be a number > 0"),
    ("logbert", {"alpha": -1}, "alpha must be a number >= 0"),
    ("logbert", {"patience": 0}, "patience must be at least 1"),
    ("logbert", {"batch_size": 2.5}, "batch_size must be an integer"),
    ("logbert", {"layers": 0}, "layers must be at least 1"),
    ("logbert", {"top_g": 0}, "top_g must be at least 1"),
    ("logbert", {"mask_stride": 0}, "mask_stride must be at least 1"),
    ("logbert", {"swap_prob": 2}, "swap_prob must be a number in [0, 1]"),
    ("logbert", {"long_windows": -1}, "long_windows must be at least 0"),
    ("logbert", {"min_epoch_windows": -1}, "min_epoch_windows must be at least 0"),
    ("logbert", {"seed": "x"}, "seed must be an integer"),
    ("logbert", {"dedup": "yes"}, "dedup must be true or false"),
    ("deeplog", {"epochs": 0}, "deeplog: epochs must be at least 1"),
    ("deeplog", {"window": "10"}, "window must be an integer"),
    ("deeplog", {"learning_rate": -1.0}, "learning_rate must be a number > 0"),
    ("pca", {"n_components": 5.5}, "pca: n_components must be an integer >= 1 or a share"),
    ("pca", {"n_components": 0}, "n_components must be an integer >= 1 or a share"),
    ("pca", {"c_alpha": "high"}, "c_alpha must be a number > 0"),
    ("pca", {"tfidf": "no"}, "tfidf must be true or false"),
    ("iqr", {"k": -1}, "iqr: k must be a number >= 0"),
    ("ocsvm", {"nu": 0}, "ocsvm: nu must be a number in (0, 1]"),
    ("ocsvm", {"gamma": "wide"}, 'gamma must be a number > 0, "scale" or "auto"'),
    ("isolation-forest", {"n_estimators": 0}, "n_estimators must be at least 1"),
    ("isolation-forest", {"max_samples": 1.5}, 'max_samples must be "auto", an integer'),
    ("isolation-forest", {"seed": -1}, "seed must be at least 0"),
    ("logcluster", {"max_distance": 0}, "logcluster: max_distance must be a number in (0, 2]"),
    ("logcluster", {"max_rows": 1}, "max_rows must be at least 2"),
    ("invariants", {"support": 1.5}, "invariants: support must be a number in (0, 1]"),
    ("invariants", {"max_length": 0}, "max_length must be at least 1"),
    ("ecvc", {"idf": 1}, "ecvc: idf must be true or false"),
    ("edit-distance", {"max_candidates": True}, "max_candidates must be an integer"),
    ("length", {"upper_quantile": True}, "must be numbers"),
    ("logistic-regression", {"C": "big"}, "C must be positive (got 'big')"),
    ("logistic-regression", {"max_iter": 0}, "max_iter must be at least 1"),
    ("decision-tree", {"max_depth": True}, "max_depth must be an integer"),
    ("random-forest", {"seed": 1.5}, "seed must be an integer"),
    ("knn", {"n_neighbors": "5"}, "n_neighbors must be an integer"),
]


@pytest.mark.parametrize(("name", "params", "message"), BAD)
def test_every_detector_checks_its_parameters(name, params, message):
    detector = detector_class(name)(**params)  # the constructor only stores (sklearn contract)
    with pytest.raises(LogbertError) as err:
        detector._check_params()
    assert message in str(err.value)


@pytest.mark.parametrize("name", ["logbert", "deeplog", "pca", "isolation-forest", "logcluster"])
def test_defaults_pass_the_checks(name):
    detector_class(name)()._check_params()


def test_bad_parameters_fail_at_fit_before_any_training():
    with pytest.raises(LogbertError, match="mask_ratio must be"):
        detector_class("logbert")(mask_ratio=1.5).fit(SESSIONS)


def test_a_hand_edited_config_json_fails_at_load(tmp_path):
    import json

    model = detector_class("pca")().fit(SESSIONS)
    model.save(tmp_path / "m")
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    config["params"]["n_components"] = "abc"
    (tmp_path / "m" / "config.json").write_text(json.dumps(config))
    with pytest.raises(LogbertError, match="n_components must be"):
        detector_class("pca").load(tmp_path / "m")


def test_a_count_sklearn_rejects_for_the_data_is_a_logbert_error():
    # 50 components of 3 keys: only scikit-learn, which sees the data, can tell
    with pytest.raises(LogbertError, match="pca: a parameter does not fit .*n_components"):
        detector_class("pca")(n_components=50).fit(SESSIONS + [[4, 4]])
