"""Log keys <-> token ids for the LogBERT encoder, and sessions -> padded token windows.

Token ids 0..4 are special: PAD, MASK, UNK (a key never seen in training: evidence of an
anomaly, the model never learns to predict it), DIST (the sequence summary token pulled to the
hypersphere centre) and END (the session ended here). END is part of the sequence the model
predicts, so a session that stops too early (a truncated block) is surprising at its end.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from logbert.errors import LogbertError

PAD, MASK, UNK, DIST, END = 0, 1, 2, 3, 4
SPECIALS = ("[PAD]", "[MASK]", "[UNK]", "[DIST]", "[END]")


class Vocab:
    """The keys seen in training, numbered after the special tokens."""

    def __init__(self, keys: Iterable[int]) -> None:
        self.keys: list[int] = sorted({int(k) for k in keys})
        self._index = {k: i + len(SPECIALS) for i, k in enumerate(self.keys)}

    def __len__(self) -> int:
        return len(SPECIALS) + len(self.keys)

    @classmethod
    def from_sessions(cls, sessions: Iterable[Sequence[int]]) -> Vocab:
        return cls(k for s in sessions for k in s)

    def token(self, key: int, extra: dict[int, int] | None = None) -> int:
        """The key's token id; an unseen key is UNK unless `extra` gives it one (an unseen key
        with template text, see `key_text.py`)."""
        found = self._index.get(int(key))
        if found is None:
            return extra.get(int(key), UNK) if extra else UNK
        return found

    def unseen(self, sessions: Iterable[Sequence[int]]) -> set[int]:
        """The keys of `sessions` that are not in the vocabulary."""
        return {int(k) for s in sessions for k in s if int(k) not in self._index}

    def key(self, token: int) -> int | None:
        """The log key of a token id (None for special tokens)."""
        return self.keys[token - len(SPECIALS)] if token >= len(SPECIALS) else None

    def label(self, token: int) -> str | int:
        """A key, or the special token's name (for explanations)."""
        key = self.key(token)
        return SPECIALS[token] if key is None else key

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"specials": SPECIALS, "keys": self.keys}) + "\n")

    @classmethod
    def load(cls, path: Path) -> Vocab:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(data["keys"])
        except FileNotFoundError as exc:
            raise LogbertError(f"{path} is missing; retrain the model") from exc
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise LogbertError(f"{path} is corrupt ({exc}); retrain the model") from exc


def windows(
    tokens: Sequence[int], max_len: int, closed: bool = True, hold_end: bool = False
) -> list[list[int]]:
    """[DIST] + up to max_len - 2 tokens per window; END closes the last window if `closed`.

    Sessions longer than one window are cut into consecutive windows; an empty session is
    one window holding only [DIST, END] (it is scored like any other). An open session (still
    running when the log ended) gets no END: where it ends is not judged. Scoring one, pass
    `hold_end`: a MASK then stands where END would be (`score_windows` never scores a MASK),
    because a model trained on closed sessions reads the last token before padding as END
    and put a normal session's last event, cut off by the log's end, among its most
    surprising (QA: 4 of 13 open normal sessions flagged, expected END with p 0.9997).
    """
    width = max_len - 2
    body = list(tokens)
    chunks = [body[i : i + width] for i in range(0, len(body), width)] or [[]]
    out = [[DIST, *chunk] for chunk in chunks]
    if closed or not body:
        out[-1].append(END)
    elif hold_end:
        out[-1].append(MASK)
    return out


def pad(rows: Sequence[Sequence[int]]) -> np.ndarray:
    """Right-pad token rows with PAD into an int64 matrix."""
    width = max(len(r) for r in rows)
    matrix = np.full((len(rows), width), PAD, dtype=np.int64)
    for i, row in enumerate(rows):
        matrix[i, : len(row)] = row
    return matrix
