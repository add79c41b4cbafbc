"""The report refuses inputs that do not belong to the model, and says when the
origin of a scores file cannot be checked."""

import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from logbert.errors import LogbertError
from logbert.parsing.templates import TEMPLATE_SET_KEY, template_set
from logbert.reporting.report import build_report
from logbert.scoring.thresholds import p_values

MODEL_TEMPLATES = {5: "Receiving block <*> src: <*>", 7: "Deleting block <*>", 9: "Served <*>"}
OTHER_RUN = {5: "Deleting block <*>", 7: "Receiving block <*> src: <*>", 9: "Served <*>"}


def _write_pipeline(paths, **record):
    record.setdefault("template_set", {str(k): v for k, v in MODEL_TEMPLATES.items()})
    (paths["model"] / "pipeline.json").write_text(json.dumps(record))


def _sessions_parquet(path, rows, templates):
    table = pa.Table.from_pylist(
        [{"session_id": r["session_id"], "keys": [5, 5, 7, 9]} for r in rows]
    )
    metadata = {TEMPLATE_SET_KEY: json.dumps(template_set(templates, "ours"))}
    pq.write_table(table.replace_schema_metadata(metadata), path)
    return path


def _rewrite_scores(paths, rows):
    paths["scores"].write_text("".join(json.dumps(r) + "\n" for r in rows))


def _build(paths, tmp_path, **options):
    return build_report(paths["model"], tmp_path / "out" / "report.html", **options)


# --- H2: sessions and templates from another parse run --------------------------------------


def test_sessions_file_from_another_parse_run_is_refused(report_inputs, tmp_path):
    paths = report_inputs()
    _write_pipeline(paths)
    other = _sessions_parquet(tmp_path / "other.parquet", paths["rows"], OTHER_RUN)
    with pytest.raises(LogbertError, match="parsed in another run than the model's training"):
        _build(paths, tmp_path, scores=paths["scores"], sessions=other)
    same = _sessions_parquet(tmp_path / "same.parquet", paths["rows"], MODEL_TEMPLATES)
    result = _build(paths, tmp_path, scores=paths["scores"], sessions=same)
    assert not any("template set" in w for w in result.warnings)


def test_sessions_file_without_template_set_is_named_in_a_warning(report_inputs, tmp_path):
    paths = report_inputs()
    _write_pipeline(paths)
    result = _build(paths, tmp_path, scores=paths["scores"], sessions=paths["sessions"])
    assert any("records no template set" in w for w in result.warnings)
    assert "records no template set" in result.html_path.read_text()


def test_a_model_trained_from_raw_logs_takes_no_sessions_file(report_inputs, tmp_path):
    """QA: a raw log given as --sessions was told to add --logs, which report does not
    take; no sessions file can hold such a model's key ids."""
    paths = report_inputs()
    _write_pipeline(paths, log_format={"name": "hdfs"})
    with pytest.raises(LogbertError, match="trained from raw logs .* leave out --sessions"):
        _build(paths, tmp_path, scores=paths["scores"], sessions=paths["sessions"])


def test_templates_file_from_another_parse_run_is_refused(report_inputs, tmp_path):
    paths = report_inputs()
    _write_pipeline(paths)
    csv = tmp_path / "templates.csv"
    csv.write_text("template_id,template\n" + "".join(f"{k},{v}\n" for k, v in OTHER_RUN.items()))
    with pytest.raises(LogbertError, match="--templates .* parsed in another run"):
        _build(paths, tmp_path, scores=paths["scores"], templates=csv)


def test_templates_file_naming_keys_new_since_training_otherwise_than_the_scores_is_refused(
    report_inputs, tmp_path
):
    """QA: `report --templates` took a templates.csv whose id for a template new since
    training (mined while scoring) meant another event: only the model's keys were compared."""
    from logbert.reporting.inputs import ScoreTable, load_model_dir
    from logbert.reporting.provenance import check_templates_file

    paths = report_inputs()
    _write_pipeline(paths)
    model = load_model_dir(paths["model"])
    new = {"key": 12, "template": "Feature flag <*> evaluated to <*>"}
    event = {**new, "expected": [{"key": 5, "template": MODEL_TEMPLATES[5]}, {"key": 9}]}
    scores = ScoreTable(
        path=tmp_path / "s.jsonl", column="score", scores=np.zeros(1), labels=None,
        verdicts=None, top_rows=[{"session_id": "a", "top_events": [event, "not an event"]}],
    )  # fmt: skip
    csv = tmp_path / "templates.csv"
    other_run = {**MODEL_TEMPLATES, 12: "DB connection established (<*> ms)"}
    csv.write_text("template_id,template\n" + "".join(f"{k},{v}\n" for k, v in other_run.items()))
    check_templates_file(model, csv)  # the model's keys agree
    with pytest.raises(
        LogbertError,
        match=r"--templates .*templates.csv was parsed in another run than the scores "
        r".*s.jsonl: 1 of 2 templates have other ids there \(key 12 is 'Feature flag",
    ):
        check_templates_file(model, csv, scores)
    same_run = {**MODEL_TEMPLATES, 12: new["template"]}
    csv.write_text("template_id,template\n" + "".join(f"{k},{v}\n" for k, v in same_run.items()))
    check_templates_file(model, csv, scores)


def test_model_template_set_labels_keys_without_templates_csv(report_inputs, tmp_path):
    paths = report_inputs()
    _write_pipeline(paths)
    result = _build(paths, tmp_path, scores=paths["scores"], sessions=paths["sessions"])
    assert "9: Served &lt;*&gt;" in result.html_path.read_text()


def test_sessions_file_without_the_top_sessions(report_inputs, tmp_path):
    paths = report_inputs()
    paths["sessions"].write_text(json.dumps({"session_id": "elsewhere", "keys": [5]}) + "\n")
    with pytest.raises(LogbertError, match="holds none of the 10 top-scoring sessions"):
        _build(paths, tmp_path, scores=paths["scores"], sessions=paths["sessions"])
    top = max(paths["rows"], key=lambda r: r["score"])["session_id"]
    paths["sessions"].write_text(json.dumps({"session_id": top, "keys": [5]}) + "\n")
    result = _build(paths, tmp_path, scores=paths["scores"], sessions=paths["sessions"])
    assert any("9 of the 10 top sessions are not in" in w for w in result.warnings)


def test_scores_of_another_trained_model_are_refused(report_inputs, tmp_path):
    paths = report_inputs()
    _write_pipeline(paths, model_id="a" * 16)
    _rewrite_scores(paths, [{**r, "model_id": "b" * 16} for r in paths["rows"]])
    with pytest.raises(LogbertError, match=f"was written by model {'b' * 16}"):
        _build(paths, tmp_path, scores=paths["scores"])
    _rewrite_scores(paths, [{**r, "model_id": "a" * 16} for r in paths["rows"]])
    _build(paths, tmp_path, scores=paths["scores"])  # its own scores


# --- H3: an evaluation of another model -----------------------------------------------------


def _edit_evaluation(paths, **changes):
    evaluation = json.loads(paths["evaluation"].read_text())
    for key, value in changes.items():
        if key == "threshold_info":
            evaluation[key].update(value)
        else:
            evaluation[key] = value
    paths["evaluation"].write_text(json.dumps(evaluation))


def test_evaluation_of_another_detector_is_refused(report_inputs, tmp_path):
    paths = report_inputs()
    _edit_evaluation(paths, model="random-forest", sessions_file="bgl_b.log")
    with pytest.raises(LogbertError, match="evaluates model 'random-forest' on bgl_b.log, but"):
        _build(paths, tmp_path, evaluation=paths["evaluation"])
    _edit_evaluation(paths, model="logbert")  # the model's own name passes
    _build(paths, tmp_path, evaluation=paths["evaluation"])


def test_evaluation_of_another_trained_model_is_refused_even_at_a_given_threshold(
    report_inputs, tmp_path
):
    paths = report_inputs()
    _write_pipeline(paths, model_id="a" * 16)
    _edit_evaluation(paths, model_id="b" * 16, threshold_info={"rule": "given", "value": 2.0})
    with pytest.raises(LogbertError, match=f"evaluates model {'b' * 16}"):
        _build(paths, tmp_path, evaluation=paths["evaluation"])
    _edit_evaluation(paths, model_id="a" * 16)  # this model's, at a given threshold: a warning
    assert _build(paths, tmp_path, evaluation=paths["evaluation"]).warnings


def test_evaluation_at_another_models_threshold_is_refused(report_inputs, tmp_path):
    paths = report_inputs()
    _edit_evaluation(paths, threshold_info={"source": "validation split of other.log"})
    with pytest.raises(LogbertError, match="used the threshold 1.5 .* from validation split of"):
        _build(paths, tmp_path, evaluation=paths["evaluation"])


def test_evaluation_at_a_given_or_replaced_threshold_is_a_warning(report_inputs, tmp_path):
    paths = report_inputs()
    _edit_evaluation(paths, threshold_info={"rule": "given", "value": 2.0})
    result = _build(paths, tmp_path, evaluation=paths["evaluation"])
    assert any("given on the command line (2 on score, given)" in w for w in result.warnings)
    # the threshold `calibrate` replaced (kept in threshold.previous.json)
    _edit_evaluation(paths, threshold_info={"rule": "max", "value": 1.2})
    previous = json.loads(paths["evaluation"].read_text())["threshold_info"]
    (paths["model"] / "threshold.previous.json").write_text(json.dumps(previous))
    result = _build(paths, tmp_path, evaluation=paths["evaluation"])
    assert any("`logbert calibrate` has since replaced" in w for w in result.warnings)


# --- H3: scores of another model ------------------------------------------------------------


def test_scores_whose_ids_the_model_cannot_make_are_refused(report_inputs, tmp_path):
    paths = report_inputs()
    _write_pipeline(paths, sessionizer={"by_id": r"blk_\d+"})
    rows = [dict(r, session_id=f"R25-M1-NB@2005-07-17T04:{i % 60:02d}:00") for i, r in
            enumerate(paths["rows"])]  # fmt: skip
    _rewrite_scores(paths, rows)
    with pytest.raises(LogbertError, match="220 of its 220 session ids .* --by-id 'blk_"):
        _build(paths, tmp_path, scores=paths["scores"])
    _write_pipeline(paths, sessionizer={"by_field": "Node", "window": "5m"})
    _build(paths, tmp_path, scores=paths["scores"])  # VALUE@TIME: window ids per node


def test_scores_with_verdicts_of_another_threshold_are_refused(report_inputs, tmp_path):
    paths = report_inputs()
    rows = [dict(r, is_anomaly=r["score"] > 2.5) for r in paths["rows"]]
    _rewrite_scores(paths, rows)
    with pytest.raises(LogbertError, match=r"verdict \(is_anomaly\) is not `score > 1.5`"):
        _build(paths, tmp_path, scores=paths["scores"])


def test_scores_with_p_values_of_another_calibration_are_refused(report_inputs, tmp_path):
    paths = report_inputs()
    calibration = np.linspace(0.5, 1.5, 50)
    np.save(paths["model"] / "calibration_scores.npy", calibration)
    mine = p_values(np.array([r["score"] for r in paths["rows"]]), calibration)
    rows = [dict(r, p_value=float(p)) for r, p in zip(paths["rows"], mine, strict=True)]
    _rewrite_scores(paths, rows)
    result = _build(paths, tmp_path, scores=paths["scores"])
    assert not result.warnings  # verdicts and p-values checked: nothing to say
    np.save(paths["model"] / "calibration_scores.npy", calibration * 2)
    with pytest.raises(LogbertError, match="the p_value is not the one .* calibration scores"):
        _build(paths, tmp_path, scores=paths["scores"])


def test_scores_that_record_nothing_checkable_are_named_in_a_warning(report_inputs, tmp_path):
    paths = report_inputs()
    _rewrite_scores(paths, [{k: v for k, v in r.items() if k != "is_anomaly"} for r in
                            paths["rows"]])  # fmt: skip
    result = _build(paths, tmp_path, scores=paths["scores"])
    assert any("origin of scores.jsonl cannot be checked" in w for w in result.warnings)
    assert "origin of scores.jsonl cannot be checked" in result.html_path.read_text()


def test_evaluation_and_scores_of_different_sessions_are_refused(report_inputs, tmp_path):
    paths = report_inputs()
    _edit_evaluation(paths, n_sessions=964, sessions_file="bgl_b.log")
    with pytest.raises(LogbertError, match="sessions of bgl_b.log.* 964 sessions evaluated, 220"):
        _build(paths, tmp_path, scores=paths["scores"], evaluation=paths["evaluation"])
    paths = report_inputs()
    metrics = paths["metrics"]
    _edit_evaluation(paths, normal_score_mean=metrics["normal_score_mean"] + 0.5)
    with pytest.raises(LogbertError, match="hold different scores: the evaluation's mean score"):
        _build(paths, tmp_path, scores=paths["scores"], evaluation=paths["evaluation"])


def test_an_evaluation_without_the_unlabelled_sessions_matches_the_labelled_rows(
    report_inputs, tmp_path
):
    """QA Rook: `evaluate --logs --labels` leaves out a window the labels do not name, which
    `score --logs --labels` writes without a label; `report` refused the pair (141 sessions
    evaluated, 142 rows scored), and its advice, `evaluate --scores`, takes no raw logs."""
    paths = report_inputs()
    rows = [dict(r) for r in paths["rows"]]
    rows.append({**rows[0], "session_id": "unlabelled-1", "label": None})
    _rewrite_scores(paths, rows)
    _build(paths, tmp_path, scores=paths["scores"], evaluation=paths["evaluation"])
    rows.append({**rows[0], "session_id": "labelled-extra"})  # one labelled row too many
    _rewrite_scores(paths, rows)
    _edit_evaluation(paths, lines_read=2154)  # an evaluation of raw logs
    with pytest.raises(LogbertError, match=r"220 sessions evaluated, 222 rows scored \(221 "
                       r"with a label\); .*`logbert score MODEL LOGS --logs --labels"):
        _build(paths, tmp_path, scores=paths["scores"], evaluation=paths["evaluation"])


def test_session_id_check_skips_look_arounds_and_takes_windows_per_id(tmp_path):
    """QA ASA: a model keyed by `--by-id '(?<=outside:)\\d+(?:\\.\\d+){3}'` had its own scores
    refused by `report` (the bare id cannot match a look-behind); windows per id are
    `VALUE@TIME`."""
    from logbert.reporting.inputs import ModelInfo
    from logbert.reporting.provenance import session_id_check

    looking = r"(?<=outside:)\d+(?:\.\d+){3}"
    behind = ModelInfo(tmp_path, pipeline={"sessionizer": {"by_id": looking}})
    assert session_id_check(behind) is None
    plain = ModelInfo(tmp_path, pipeline={"sessionizer": {"by_id": r"blk_-?\d+"}})
    accepts, words = session_id_check(plain)
    assert accepts("blk_-42") and not accepts("web01@2026-11-20T10:00:00") and "blk_" in words
    windows = ModelInfo(
        tmp_path, pipeline={"sessionizer": {"by_id": r"host=(\w+)", "window": "1h"}}
    )
    accepts, words = session_id_check(windows)
    assert accepts("web01@2026-11-20T10:00:00") and not accepts("web01")
    assert words == "--by-id 'host=(\\w+)' --window 1h ids (VALUE@TIME)"
