"""`--text` for `train`, `evaluate` and `score`: plain labelled text records as input.

The records (`sessions.text_records`: a JSON list or JSONL of `{"input": text, "output":
label}`) become one-key sessions whose key is the text's hash, so only detectors that read
template text and learn from labels (`uses_templates` and `supervised`: `text-classifier`)
can make sense of them; any other detector is refused before any work.
"""

from __future__ import annotations

from logbert.errors import LogbertError
from logbert.sessions.text_records import TextRecords, read_text_records

TEXT_DETECTORS = ("text-classifier",)  # for the message; `reads_text` decides


def reads_text(detector: object) -> bool:
    """Whether a detector instance can learn from / score text records."""
    return bool(getattr(detector, "uses_templates", False)) and bool(
        getattr(detector, "supervised", False)
    )


def require_text_detector(detector: object) -> None:
    """Refuse `--text` with a detector that does not read text (it would see only hashes)."""
    if not reads_text(detector):
        name = getattr(detector, "name", type(detector).__name__)
        raise LogbertError(
            f"--text needs a detector that reads the text and learns from labels "
            f"({', '.join(TEXT_DETECTORS)}); {name} does not: each record would be "
            "an opaque key. Train with --model text-classifier"
        )


def text_records(inputs: list[str], need_labels: bool, **conflicting: object) -> TextRecords:
    """The one records file of a `--text` run; options that make no sense with it refused."""
    given = [name for name, value in conflicting.items() if value not in (None, False)]
    if given:
        raise LogbertError(f"{', '.join(given)} cannot be combined with --text")
    if len(inputs) != 1:
        raise LogbertError(f"--text reads one records file (.json or .jsonl), got {len(inputs)}")
    return read_text_records(inputs[0], need_labels=need_labels)
