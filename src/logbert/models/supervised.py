"""Classical supervised detectors on event-count vectors, for teams that have labels.

Yu et al. (ICSE 2024, "Deep Learning or Classical Machine Learning? An Empirical Study on
Log-Based Anomaly Detection") find that plain k-nearest-neighbours and decision trees on
event-count vectors match deep supervised models (HDFS: decision tree F1 0.999; BGL: KNN 0.980)
at a fraction of the cost. Four scikit-learn classifiers, registered like every detector:

- `knn`: share of anomalous sessions among the `n_neighbors` (5) nearest training count
  vectors (`weights="distance"` weighs them by inverse distance); no class weighting exists;
- `decision-tree`: a CART tree grown to purity (sklearn defaults), `class_weight="balanced"`;
- `random-forest`: 100 such trees on bootstrap samples, `max_features="sqrt"` (sklearn
  defaults), `class_weight="balanced"`;
- `logistic-regression`: L2, C = 1 (sklearn defaults), `class_weight="balanced"`.

`decision_function` is the probability of the anomalous class (`predict_proba[:, 1]`); the
threshold rule is `best-f1` on labelled validation sessions. Anomalies (y == 1) are learned
from, not left out: `fit(X, y)` requires both classes (`checks.check_labelled_training`).
Class weighting is on by default for the models that support it: anomalies are a few percent
of the sessions, and "balanced" keeps the rare class from vanishing in the impurity or loss.
The randomised models (tree, forest) take a `seed`.

Features: `count_vectors.count_matrix` (with the trailing column of keys unseen in training),
optionally TF-IDF weighted (`tfidf=True`, `count_vectors.idf_weights`). A classifier cannot
learn from the unseen column (it is zero in training), so `flag_unseen=True` (default) scores
a session holding a key never seen in training 1.0, the highest anomaly probability.

Targets (`target`): `binary` (above); `multiclass`, one category per session (`normal` one of
the classes, learnt natively by every model here; softmax for logistic regression); and
`multilabel`, a set of categories per session, one-vs-rest (native multi-output for trees,
forests and knn, one logistic regression per class), with a threshold per class chosen on the
labelled validation split (best F1; in-sample on the training labels for a class the split
lacks, recorded in `training_info_["class_threshold_sources"]`). `classes_` names the classes.
`decision_function` stays the anomaly score, so thresholds, p-values and score files work as
for binary: multiclass 1 - P(normal); multilabel the largest calibrated class probability,
where calibrated maps each class's threshold onto 0.5 (piecewise linear, so it stays in [0, 1]
and is above 0.5 exactly when some class is over its own threshold). `predict_categories`
names the categories of a session and agrees with `predict`: a session not flagged has none;
a flagged one has the classes over their thresholds (multilabel) or the likeliest anomaly
class (multiclass; also multilabel when no class is over its threshold).

State is arrays only (`state.npz`, no pickle): logistic regression its coefficients and
intercept; trees and forests their node arrays (`tree_arrays.flatten_trees`) with the anomaly
probability of every node (per class, `class_probability`, for a category target), predicted
by walking them in numpy; knn the training vectors and their labels (the neighbour search is
rebuilt from them on load); the class names as a string array (`classes`).

The category helpers (class names, encoded targets, per-class thresholds, the anomaly score and
the categories named) live in `categories.py`, shared with `text-classifier`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from scipy.special import expit, softmax
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

from logbert.errors import LogbertError
from logbert.models.categories import (
    BINARY_CLASSES,
    anomaly_scores,
    category_names,
    class_counts,
    class_names,
    default_threshold,
    encode_categories,
    fit_class_thresholds,
    flagged_categories,
    labelled_categories,
)
from logbert.models.checks import TARGETS, check_sessions
from logbert.models.count_vectors import CountVectorDetector, count_matrix, idf_weights, unique_rows
from logbert.models.labelled import LabelledFit
from logbert.models.params import ParamError, is_number, require_int
from logbert.models.tree_arrays import TREE_ARRAYS, flatten_trees, tree_leaves
from logbert.sessions.batch import SessionBatch

CLASS_WEIGHTS = (None, "balanced")


class SupervisedDetector(LabelledFit, CountVectorDetector):
    """A classifier over (TF-IDF) count vectors trained on normal and anomalous sessions."""

    name: ClassVar[str] = "supervised"
    _fitted_attributes: ClassVar[tuple[str, ...]] = (
        "training_info_",
        "vocab_",
        "weights_",
        "classes_",
    )
    model_arrays: ClassVar[tuple[str, ...]] = ()  # what `_set_model` needs
    state_arrays: ClassVar[tuple[str, ...]] = ("weights",)  # + model_arrays in each subclass
    tfidf: bool
    flag_unseen: bool
    target: str

    # --- to implement -----------------------------------------------------------------------

    def _fit_classifier(self, features: np.ndarray, labels: np.ndarray) -> None:
        """`labels`: 0/1 (binary), class indexes (multiclass) or an indicator matrix
        (multilabel, one column per class)."""
        raise NotImplementedError

    def _probability(self, features: np.ndarray) -> np.ndarray:
        """Anomaly probability per row of (weighted) features (binary target)."""
        raise NotImplementedError

    def _class_probability(self, features: np.ndarray) -> np.ndarray:
        """(rows, classes): class probabilities (multiclass, rows sum to 1) or each class's
        own probability (multilabel)."""
        raise NotImplementedError

    def _get_model(self) -> dict[str, np.ndarray]:
        raise NotImplementedError

    def _set_model(self, arrays: dict[str, np.ndarray]) -> None:
        raise NotImplementedError

    # --- shared -----------------------------------------------------------------------------

    def _check_params(self) -> None:
        if self.target not in TARGETS:
            raise LogbertError(
                f"{self.name}: target must be one of {', '.join(TARGETS)}, not {self.target!r}"
            )
        for flag in ("tfidf", "flag_unseen"):
            if not isinstance(getattr(self, flag), bool | np.bool_):
                raise LogbertError(f"{self.name}: {flag} must be true or false")
        weight = getattr(self, "class_weight", None)
        if weight not in CLASS_WEIGHTS:
            raise LogbertError(
                f"{self.name}: class_weight must be 'balanced' or None, not {weight!r}"
            )

    def _fit(self, batch: SessionBatch, validation: SessionBatch | None) -> None:
        vocab = np.unique(np.concatenate(batch.keys))
        matrix = count_matrix(vocab, batch.keys)
        labels = np.asarray(batch.labels, dtype=np.int64)
        self.weights_ = idf_weights(matrix) if self.tfidf else np.ones(matrix.shape[1])
        features = matrix * self.weights_
        if self.target == "binary":
            self.classes_ = BINARY_CLASSES.copy()
            self._fit_classifier(features, labels)
        else:
            self.classes_ = class_names(batch.categories, self.target)
            targets = encode_categories(batch.categories, self.classes_, self.target)
            self._fit_classifier(features, targets)
            self.training_info_.update(
                target=self.target,
                classes=self.classes_.tolist(),
                class_counts=class_counts(targets, self.classes_, self.target),
            )
        self.vocab_ = vocab
        if self.target == "multilabel":
            self._fit_class_thresholds(features, targets, validation)
        self.training_info_.update(
            n_sessions=len(batch),
            n_anomalous=int(labels.sum()),
            n_keys=int(vocab.size),
            n_distinct_vectors=int(unique_rows(matrix)[0].shape[0]),
        )

    def _fit_class_thresholds(
        self, features: np.ndarray, targets: np.ndarray, validation: SessionBatch | None
    ) -> None:
        """Best-F1 threshold per class on the labelled validation sessions; in-sample on the
        training labels for a class the validation sessions do not hold both ways."""
        held_out = None
        part = labelled_categories(validation)
        if part is not None:
            matrix = count_matrix(self.vocab_, part.keys)
            held_out = (
                self._class_probability(matrix * self.weights_),
                encode_categories(part.categories, self.classes_, "multilabel"),
            )
        self.class_thresholds_, info = fit_class_thresholds(
            self.classes_, held_out, lambda: (self._class_probability(features), targets)
        )
        self.training_info_.update(info)

    def _fit_matrix(self, matrix: np.ndarray) -> None:
        raise LogbertError(f"{self.name} is supervised: train it with fit(X, y)")

    def _score_matrix(self, matrix: np.ndarray) -> np.ndarray:
        features = matrix * self.weights_
        if self.target == "binary":
            scores = np.asarray(self._probability(features), dtype=float)
        else:
            scores = anomaly_scores(
                self._class_probability(features),
                self.classes_,
                self.target,
                getattr(self, "class_thresholds_", None),
            )
        if self.flag_unseen:
            scores = np.where(matrix[:, -1] > 0, 1.0, scores)
        return scores

    def predict_categories(self, X: Any, threshold: float | None = None) -> list[list[str]]:
        """The anomaly categories of each session ([] = normal); see the module doc.

        A session is flagged when its anomaly score is above `threshold` (default: the
        calibrated `threshold_`, else 0.5), as `predict` does.
        """
        self._require_fitted()
        arrays = check_sessions(X).keys
        if not arrays:
            return []
        distinct, inverse, _ = unique_rows(count_matrix(self.vocab_, arrays))
        names = None
        if self.target != "binary":
            names = category_names(
                self._class_probability(distinct * self.weights_),
                self.classes_,
                self.target,
                getattr(self, "class_thresholds_", None),
            )
        categories = flagged_categories(
            self._score_matrix(distinct), default_threshold(self, threshold), names
        )
        return [list(categories[i]) for i in inverse]

    def _get_state(self) -> dict[str, np.ndarray]:
        state = {"weights": self.weights_, "classes": self.classes_, **self._get_model()}
        if self.target == "multilabel":
            state["class_thresholds"] = self.class_thresholds_
        return state

    def _set_state(self, arrays: dict[str, np.ndarray]) -> None:
        self.weights_ = arrays["weights"]
        # models saved before category targets hold no class names: they are binary
        self.classes_ = arrays.get("classes", BINARY_CLASSES).astype(str)
        if self.target == "multilabel":
            if "class_thresholds" not in arrays:
                raise LogbertError(f"{self.name}: the saved state lacks its class thresholds")
            self.class_thresholds_ = arrays["class_thresholds"].astype(float)
        self._set_model(arrays)


class LogisticRegressionDetector(SupervisedDetector):
    """Logistic regression on count vectors: sigmoid(w . x + b), saved as w and b."""

    name: ClassVar[str] = "logistic-regression"
    model_arrays: ClassVar[tuple[str, ...]] = ("coef", "intercept")
    state_arrays: ClassVar[tuple[str, ...]] = ("weights", *model_arrays)

    def __init__(
        self,
        C: float = 1.0,  # noqa: N803 (scikit-learn's name)
        class_weight: str | None = "balanced",
        max_iter: int = 1000,
        tfidf: bool = False,
        flag_unseen: bool = True,
        target: str = "binary",
    ) -> None:
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.tfidf = tfidf
        self.flag_unseen = flag_unseen
        self.target = target

    def _check_params(self) -> None:
        super()._check_params()
        if not (is_number(self.C) and self.C > 0):
            raise ParamError(self.name, "C", "positive", self.C)
        require_int(self.name, "max_iter", self.max_iter, 1)

    def _model(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter)

    def _fit_classifier(self, features: np.ndarray, labels: np.ndarray) -> None:
        if self.target == "multilabel":  # one-vs-rest: one binary model per class
            models = [self._model().fit(features, column) for column in labels.T]
            self.coef_ = np.stack([m.coef_[0] for m in models]).astype(float)
            self.intercept_ = np.array([m.intercept_[0] for m in models], dtype=float)
            self.training_info_["n_iterations"] = int(max(np.max(m.n_iter_) for m in models))
            return
        model = self._model().fit(features, labels)
        self.training_info_["n_iterations"] = int(np.max(model.n_iter_))
        if self.target == "binary":
            self.coef_ = model.coef_[0].astype(float)
            self.intercept_ = float(model.intercept_[0])
        else:  # multinomial; with two classes sklearn keeps one row (class 1 vs class 0)
            self.coef_ = model.coef_.astype(float)
            self.intercept_ = model.intercept_.astype(float)

    def _probability(self, features: np.ndarray) -> np.ndarray:
        return expit(features @ self.coef_ + self.intercept_)

    def _class_probability(self, features: np.ndarray) -> np.ndarray:
        logits = features @ self.coef_.T + self.intercept_
        if self.target == "multilabel":
            return expit(logits)
        if self.coef_.shape[0] == 1:
            positive = expit(logits[:, 0])
            return np.column_stack([1.0 - positive, positive])
        return softmax(logits, axis=1)

    def _get_model(self) -> dict[str, np.ndarray]:
        return {"coef": self.coef_, "intercept": np.asarray(self.intercept_)}

    def _set_model(self, arrays: dict[str, np.ndarray]) -> None:
        self.coef_ = arrays["coef"]
        intercept = arrays["intercept"]
        self.intercept_ = float(intercept) if self.target == "binary" else intercept.reshape(-1)


def node_probability(tree: Any) -> dict[str, np.ndarray]:
    """Per node, the (class-weighted) share of the anomalous class: sklearn's predict_proba."""
    value = tree.value[:, 0, :]
    total = value.sum(axis=1)
    return {"probability": np.divide(value[:, 1], total, out=np.zeros_like(total), where=total > 0)}


def node_class_probability(tree: Any) -> dict[str, np.ndarray]:
    """Per node and class (nodes, classes): the class shares of a multiclass tree (one
    output), or each output's share of its positive class (multi-output, multilabel)."""
    value = tree.value
    if value.shape[1] == 1:
        shares, total = value[:, 0, :], value[:, 0, :].sum(axis=1, keepdims=True)
    else:
        shares, total = value[:, :, 1], value.sum(axis=2)
    return {
        "class_probability": np.divide(shares, total, out=np.zeros_like(shares), where=total > 0)
    }


class TreeEnsembleDetector(SupervisedDetector):
    """Trees kept as node arrays; the score is the mean leaf probability over the trees."""

    model_arrays: ClassVar[tuple[str, ...]] = TREE_ARRAYS  # + the node values of the target
    state_arrays: ClassVar[tuple[str, ...]] = ("weights", *model_arrays)

    def _node_values(self) -> str:
        return "probability" if self.target == "binary" else "class_probability"

    def _keep_trees(self, estimators: list[DecisionTreeClassifier]) -> None:
        values = node_probability if self.target == "binary" else node_class_probability
        self.trees_ = flatten_trees([e.tree_ for e in estimators], node_values=values)
        self.training_info_["n_nodes"] = int(self.trees_["left"].size)

    def _probability(self, features: np.ndarray) -> np.ndarray:
        leaves, _ = tree_leaves(self.trees_, features)
        return self.trees_["probability"][leaves].mean(axis=0)

    def _class_probability(self, features: np.ndarray) -> np.ndarray:
        leaves, _ = tree_leaves(self.trees_, features)
        return self.trees_["class_probability"][leaves].mean(axis=0)

    def _get_model(self) -> dict[str, np.ndarray]:
        return dict(self.trees_)

    def _set_model(self, arrays: dict[str, np.ndarray]) -> None:
        values = self._node_values()
        if values not in arrays:
            raise LogbertError(
                f"{self.name}: the saved state lacks {values!r} (saved with another target?); "
                "retrain the model"
            )
        self.trees_ = {name: arrays[name] for name in (*self.model_arrays, values)}

    def _check_params(self) -> None:
        super()._check_params()
        if self.max_depth is not None:
            require_int(self.name, "max_depth", self.max_depth, 1)  # None: no limit
        require_int(self.name, "seed", self.seed, 0)


class DecisionTreeDetector(TreeEnsembleDetector):
    """One CART decision tree (sklearn's DecisionTreeClassifier)."""

    name: ClassVar[str] = "decision-tree"

    def __init__(
        self,
        max_depth: int | None = None,
        class_weight: str | None = "balanced",
        seed: int = 0,
        tfidf: bool = False,
        flag_unseen: bool = True,
        target: str = "binary",
    ) -> None:
        self.max_depth = max_depth
        self.class_weight = class_weight
        self.seed = seed
        self.tfidf = tfidf
        self.flag_unseen = flag_unseen
        self.target = target

    def _fit_classifier(self, features: np.ndarray, labels: np.ndarray) -> None:
        tree = DecisionTreeClassifier(
            max_depth=self.max_depth, class_weight=self.class_weight, random_state=self.seed
        ).fit(features, labels)
        self._keep_trees([tree])


class RandomForestDetector(TreeEnsembleDetector):
    """A seeded random forest (sklearn's RandomForestClassifier): mean tree probability."""

    name: ClassVar[str] = "random-forest"

    def __init__(
        self,
        n_estimators: int = 100,
        max_depth: int | None = None,
        class_weight: str | None = "balanced",
        seed: int = 0,
        tfidf: bool = False,
        flag_unseen: bool = True,
        target: str = "binary",
    ) -> None:
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.class_weight = class_weight
        self.seed = seed
        self.tfidf = tfidf
        self.flag_unseen = flag_unseen
        self.target = target

    def _check_params(self) -> None:
        super()._check_params()
        require_int(self.name, "n_estimators", self.n_estimators, 1)

    def _fit_classifier(self, features: np.ndarray, labels: np.ndarray) -> None:
        forest = RandomForestClassifier(
            n_estimators=self.n_estimators,
            max_depth=self.max_depth,
            class_weight=self.class_weight,
            random_state=self.seed,
        ).fit(features, labels)
        self._keep_trees(list(forest.estimators_))


class KNNDetector(SupervisedDetector):
    """Share of anomalous sessions among the nearest training count vectors."""

    name: ClassVar[str] = "knn"
    model_arrays: ClassVar[tuple[str, ...]] = ("vectors", "labels")
    state_arrays: ClassVar[tuple[str, ...]] = ("weights", *model_arrays)
    WEIGHTS: ClassVar[tuple[str, ...]] = ("uniform", "distance")
    METRICS: ClassVar[tuple[str, ...]] = ("euclidean", "manhattan", "cosine")

    def __init__(
        self,
        n_neighbors: int = 5,
        weights: str = "uniform",
        metric: str = "euclidean",
        tfidf: bool = False,
        flag_unseen: bool = True,
        target: str = "binary",
    ) -> None:
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.metric = metric
        self.tfidf = tfidf
        self.flag_unseen = flag_unseen
        self.target = target

    def _check_params(self) -> None:
        super()._check_params()
        require_int(self.name, "n_neighbors", self.n_neighbors, 1)
        if self.weights not in self.WEIGHTS:
            raise LogbertError(f"{self.name}: weights must be one of {', '.join(self.WEIGHTS)}")
        if self.metric not in self.METRICS:
            raise LogbertError(f"{self.name}: metric must be one of {', '.join(self.METRICS)}")

    def _fit_classifier(self, features: np.ndarray, labels: np.ndarray) -> None:
        self.vectors_, self.labels_ = features, labels.astype(np.int64)
        self._index()

    def _index(self) -> None:
        # brute force: exact, and the same neighbours (ties included) after save/load
        self.model_ = KNeighborsClassifier(
            n_neighbors=min(self.n_neighbors, self.labels_.shape[0]),
            weights=self.weights,
            metric=self.metric,
            algorithm="brute",
        ).fit(self.vectors_, self.labels_)

    def _probability(self, features: np.ndarray) -> np.ndarray:
        return self.model_.predict_proba(features)[:, 1]

    def _class_probability(self, features: np.ndarray) -> np.ndarray:
        probability = self.model_.predict_proba(features)
        if self.target == "multilabel":  # one (rows, 2) array per output
            return np.column_stack([p[:, 1] for p in probability])
        return probability

    def _get_model(self) -> dict[str, np.ndarray]:
        return {"vectors": self.vectors_, "labels": self.labels_}

    def _set_model(self, arrays: dict[str, np.ndarray]) -> None:
        self.vectors_, self.labels_ = arrays["vectors"], arrays["labels"].astype(np.int64)
        self._index()
