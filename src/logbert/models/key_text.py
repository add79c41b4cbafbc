"""Keys embedded by their template text (`key_embedding="template-text"`, LogBERT and DeepLog).

With learned embeddings a key is a row of a table learnt in training, so a key the training
data lacks has no row: it becomes [UNK], which the model never predicts, and a session holding
it gets the maximal surprise. On BGL most normal sessions of a later period hold such a key
(a template the training period lacked), hence the false alarms. With template text, a key's
input embedding is a trainable linear projection of the frozen all-MiniLM-L6-v2 embedding of
its template (`pretrained.sentence_embeddings`, computed once per template), so an unseen key
with text gets an embedding near those of similar known templates.

The output side stays a distribution over the training keys; an unseen key u with text is
scored by the probability the model gives to the known keys whose templates are close to its
own (the rule, written down before any measurement):

    P(u | context) = sum over known keys k of  P(k | context) * w(u, k)
    w(u, k) = max(0, (cos(u, k) - m) / (1 - m))

cos: the cosine of the two templates' MiniLM embeddings; m = `text_min_similarity` (0.5: a
known key lends nothing to an unrelated template). P(u) <= 1 because w <= 1; a template close
to nothing known keeps probability 0, i.e. the [UNK] behaviour (maximal surprise). An unseen
key without template text is [UNK] as before, with a warning naming it.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import torch

from logbert.errors import LogbertError
from logbert.models.pretrained import EMBEDDING_DIM, sentence_embeddings

KEY_EMBEDDINGS = ("learned", "template-text")
TEXT_MODE = "template-text"


def check_key_embedding(value: str, who: str) -> None:
    if value not in KEY_EMBEDDINGS:
        raise LogbertError(
            f"{who}: unknown key_embedding {value!r}; valid: {', '.join(KEY_EMBEDDINGS)}"
        )


def check_min_similarity(value: float, who: str) -> None:
    if not (isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1):
        raise LogbertError(f"{who}: text_min_similarity must be in [0, 1) (got {value!r})")


def template_map(templates: Mapping | None) -> dict[int, str]:
    """{int key: text} from a template set (int or str keys); empty texts are dropped."""
    out: dict[int, str] = {}
    for key, text in (templates or {}).items():
        try:
            number = int(key)
        except (TypeError, ValueError) as exc:
            raise LogbertError(f"template map: key {key!r} is not an integer log key") from exc
        if text is not None and str(text).strip():
            out[number] = str(text)
    return out


def require_templates(templates: dict[int, str], keys: Iterable[int], who: str) -> list[int]:
    """The training keys without text; an error when none has any (nothing to embed)."""
    keys = [int(k) for k in keys]
    missing = [k for k in keys if k not in templates]
    if keys and len(missing) == len(keys):
        raise LogbertError(
            f"{who} with key_embedding='template-text' needs the template text of its keys, "
            f"and none of the {len(keys)} training keys has one: train on a sessions file "
            "written by `logbert sessionize` from `logbert parse` output (it carries the "
            "template set) or from raw logs (`logbert train --logs`), or pass "
            "fit(..., templates={key: text})"
        )
    return missing


def key_features(keys: list[int], templates: dict[int, str], who: str) -> tuple:
    """(float32 (len(keys), 384) embeddings, bool has-text mask); rows without text are 0."""
    features = np.zeros((len(keys), EMBEDDING_DIM), dtype=np.float32)
    has_text = np.array([k in templates for k in keys], dtype=bool)
    rows = np.flatnonzero(has_text)
    if rows.size:
        features[rows] = sentence_embeddings([templates[keys[i]] for i in rows], who)
    return features, has_text


def similarity_weights(
    unseen: np.ndarray, known: np.ndarray, known_has_text: np.ndarray, min_similarity: float
) -> np.ndarray:
    """w(u, k) of the module doc, float32 (n_unseen, n_known); 0 for keys without text."""
    cosine = unseen @ known.T  # both L2-normalised
    weights = np.clip((cosine - min_similarity) / (1.0 - min_similarity), 0.0, 1.0)
    weights[:, ~known_has_text] = 0.0
    return weights.astype(np.float32)


@dataclass
class UnseenKeys:
    """Keys of a scoring batch that training lacked but whose template text is known.

    `tokens` maps each to an extra token id (after the training vocabulary), `features` holds
    their MiniLM embeddings in that order, `weights` their w(u, k) over the vocabulary's tokens.
    """

    tokens: dict[int, int]
    features: np.ndarray  # float32 (n, 384)
    weights: np.ndarray  # float32 (n, vocabulary size)

    @classmethod
    def empty(cls, vocab_size: int) -> UnseenKeys:
        return cls({}, np.zeros((0, EMBEDDING_DIM), np.float32), np.zeros((0, vocab_size)))

    def __len__(self) -> int:
        return len(self.tokens)


class UnseenKeyText:
    """Embeddings of unseen keys' templates, computed once per key per fitted model."""

    def __init__(self) -> None:
        self.cache: dict[int, np.ndarray] = {}
        self.warned: set[int] = set()

    def lookup(
        self,
        keys: Iterable[int],
        templates: dict[int, str],
        first_token: int,
        known: np.ndarray,
        known_has_text: np.ndarray,
        min_similarity: float,
        who: str,
    ) -> UnseenKeys:
        """`UnseenKeys` for the unseen `keys` (sorted, so token ids are deterministic)."""
        keys = sorted({int(k) for k in keys})
        with_text = [k for k in keys if k in templates]
        without = [k for k in keys if k not in templates and k not in self.warned]
        if without:
            self.warned.update(without)
            shown = ", ".join(str(k) for k in without[:10]) + (", ..." if len(without) > 10 else "")
            warnings.warn(
                f"{who}: {len(without)} keys unseen in training have no template text ({shown}); "
                "they are scored as [UNK] (maximal surprise). Score a sessions file that carries "
                "its template set, or raw logs with `logbert score MODEL --logs`",
                stacklevel=3,
            )
        todo = [k for k in with_text if k not in self.cache]
        if todo:
            computed = sentence_embeddings([templates[k] for k in todo], who)
            self.cache.update(zip(todo, computed, strict=True))
        if not with_text:
            return UnseenKeys.empty(len(known))
        features = np.stack([self.cache[k] for k in with_text])
        return UnseenKeys(
            tokens={k: first_token + i for i, k in enumerate(with_text)},
            features=features,
            weights=similarity_weights(features, known, known_has_text, min_similarity),
        )


def embedding_table(
    learned: torch.Tensor,
    text: torch.nn.Linear,
    features: torch.Tensor,
    has_text: torch.Tensor,
    extra: torch.Tensor | None = None,
) -> torch.Tensor:
    """Per token: the projection of its template embedding where it has text, else its learned
    row; `extra` (unseen keys' template embeddings) adds rows after the vocabulary."""
    if extra is not None and len(extra):
        features = torch.cat([features, extra.to(features.dtype)])
        has_text = torch.cat([has_text, has_text.new_ones(len(extra))])
        learned = torch.cat([learned, learned.new_zeros(len(extra), learned.shape[1])])
    return torch.where(has_text[:, None], text(features), learned)
