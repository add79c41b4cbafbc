"""Score files: jsonl/parquet round trips for any declared score names; bad files."""

from __future__ import annotations

import pytest

from logbert.errors import LogbertError
from logbert.scoring.score_files import ScoreWriter, iter_scores, score_format

ROWS = [
    {"session_id": "a", "score": 2.0, "length": 2.0, "is_anomaly": False, "label": "normal"},
    {"session_id": "b", "score": 4.0, "length": 4.0, "is_anomaly": True, "label": "anomaly",
     "top_events": [{"position": 1, "key": 2, "template": "B", "surprise": 3.0, "expected": [],
                     "source": "x.log", "line_no": 7}]},
    {"session_id": "c", "score": 0.0, "length": 0.0, "is_anomaly": False},
]  # fmt: skip


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_writer_round_trip_with_the_models_score_names(tmp_path, suffix):
    path = tmp_path / f"scores{suffix}"
    with ScoreWriter(path, score_names=("score", "length")) as writer:
        writer.write(ROWS[:2])
        writer.write(ROWS[2:])
    back = list(iter_scores(path))
    assert writer.count == 3 and [r["score"] for r in back] == [2.0, 4.0, 0.0]
    assert [r["length"] for r in back] == [2.0, 4.0, 0.0]
    assert [r.get("label") for r in back] == ["normal", "anomaly", None]
    event = list(iter_scores(path, columns=["top_events"]))[1]["top_events"][0]
    assert (event["source"], event["line_no"]) == ("x.log", 7)


def test_bad_names_and_files(tmp_path):
    with pytest.raises(LogbertError, match=".jsonl or .parquet"):
        score_format("scores.csv")
    with pytest.raises(LogbertError, match="not found"):
        list(iter_scores(tmp_path / "none.jsonl"))
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"score": 1}\n{oops\n')
    with pytest.raises(LogbertError, match=":2:"):
        list(iter_scores(broken))
