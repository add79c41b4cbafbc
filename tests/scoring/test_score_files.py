"""Score files: jsonl/parquet round trips, generic detectors, templates."""

from __future__ import annotations

import numpy as np
import pytest

from logbert.errors import LogbertError
from logbert.scoring.score_files import (
    ScoreWriter,
    iter_scores,
    read_templates,
    score_format,
    score_rows,
)
from logbert.sessions.io import Session


class LengthDetector:
    """A detector without per-event details: the score is the session length."""

    def decision_function(self, keys):
        return np.array([len(k) for k in keys], dtype=float)


SESSIONS = [Session("a", [1, 2], "normal"), Session("b", [1, 2, 3, 4], "anomaly"), Session("c", [])]


def test_generic_detector_rows_carry_score_and_verdict_only():
    rows = score_rows(LengthDetector(), SESSIONS, threshold=3)
    assert [r["session_id"] for r in rows] == ["a", "b", "c"]
    assert [r["is_anomaly"] for r in rows] == [False, True, False]
    assert set(rows[0]) == {"session_id", "score", "is_anomaly", "label"}
    assert "label" not in rows[2]
    with pytest.raises(LogbertError, match="miss_ratio"):
        score_rows(LengthDetector(), SESSIONS, threshold=3, decision="miss_ratio")


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_writer_round_trip(tmp_path, suffix):
    rows = score_rows(LengthDetector(), SESSIONS, threshold=3)
    path = tmp_path / f"scores{suffix}"
    with ScoreWriter(path) as writer:
        writer.write(rows[:2])
        writer.write(rows[2:])
    back = list(iter_scores(path))
    assert writer.count == 3 and [r["score"] for r in back] == [2.0, 4.0, 0.0]
    assert [r.get("label") for r in back] == ["normal", "anomaly", None]


def test_bad_names_and_files(tmp_path):
    with pytest.raises(LogbertError, match=".jsonl or .parquet"):
        score_format("scores.csv")
    with pytest.raises(LogbertError, match="not found"):
        list(iter_scores(tmp_path / "none.jsonl"))
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"score": 1}\n{oops\n')
    with pytest.raises(LogbertError, match=":2:"):
        list(iter_scores(broken))
    templates = tmp_path / "templates.csv"
    templates.write_text("template_id,template,count\n3,Got <*>,9\n")
    assert read_templates(templates) == {3: "Got <*>"} and read_templates(None) == {}
    templates.write_text("id,text\n3,Got\n")
    with pytest.raises(LogbertError, match="template_id"):
        read_templates(templates)
