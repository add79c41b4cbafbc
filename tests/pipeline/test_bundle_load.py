"""Loading a model directory as a bundle (`Pipeline.load`): missing files are named, not
skipped in silence, and an overlap that cannot be checked is not reported as none."""

from __future__ import annotations

import json
import pickle
from datetime import datetime

import numpy as np
import pytest

from logbert.errors import LogbertError
from logbert.models.checks import NOT_PLAIN_DATA
from logbert.models.new_event import NewEventDetector
from logbert.models.ngram import NgramDetector
from logbert.pipeline import Pipeline
from logbert.sessions.fingerprints import session_fingerprints
from logbert.sessions.io import Session
from logbert.sessions.labels import read_labels
from logbert.sessions.sessionize import SessionizerSettings

SESSIONS = [Session(f"s{i}", [1, 2, 3, 4][: 2 + i % 3], "normal") for i in range(30)]


@pytest.fixture
def model(tmp_path):
    return Pipeline(NgramDetector()).fit(SESSIONS).save(tmp_path / "model")


@pytest.fixture
def logs_model(raw_logs, tmp_path):
    train_log, _, train_labels, _ = raw_logs
    pipeline = Pipeline(
        NewEventDetector(), sessionizer=SessionizerSettings(by_id=r"blk_-?\d+"), log_format="hdfs"
    )
    return pipeline.fit_logs([str(train_log)], read_labels(train_labels)).save(tmp_path / "lm")


def test_an_intact_model_loads_without_warnings(model):
    loaded = Pipeline.load(model)
    assert loaded.load_warnings_ == [] and loaded.knows_training_sessions
    assert (
        loaded.training_overlap(SESSIONS[:5])["in_training"]
        + loaded.training_overlap(SESSIONS[:5])["in_validation"]
        == 5
    )


def test_without_training_sessions_the_overlap_is_unknown_not_zero(model):
    (model / "training_sessions.npz").unlink()
    loaded = Pipeline.load(model)
    assert not loaded.knows_training_sessions
    assert loaded.training_overlap(SESSIONS[:5]) == {
        "n_sessions": 5, "in_training": None, "in_validation": None, "in_calibration": None
    }  # fmt: skip


def test_missing_pipeline_json_and_calibration_scores_are_named(model):
    (model / "pipeline.json").unlink()
    (model / "calibration_scores.npy").unlink()
    warnings = Pipeline.load(model).load_warnings_
    assert len(warnings) == 2 and all(w.startswith("warning: ") for w in warnings)
    assert "pipeline.json is missing, so the checks that sessions come from the model's parse " \
        "run" in warnings[0]  # fmt: skip
    assert "calibration_scores.npy is missing, so p-values are left out" in warnings[1]


def test_a_model_saved_before_pipeline_json_existed_gets_no_pipeline_warning(tmp_path):
    """Only the bundle records `validation_unseen_keys`; a bare detector's directory (the
    layout before pipeline.json) is complete without it."""
    NgramDetector().fit([s.keys for s in SESSIONS]).save(tmp_path / "old")
    warnings = Pipeline.load(tmp_path / "old").load_warnings_
    assert not any("pipeline.json" in w for w in warnings)


@pytest.mark.parametrize("name", ["pipeline.json", "config.json", "threshold.json"])
def test_non_utf8_json_is_an_error_naming_the_file(model, name):
    (model / name).write_bytes(b"garbage\x00\xff{")
    with pytest.raises(LogbertError, match=rf"model/{name} is (corrupt|unreadable).*not UTF-8"):
        Pipeline.load(model)


@pytest.mark.parametrize("content", [b"garbage\x00\xff{", b"garbage", b"[1, 2]"])
def test_an_unreadable_history_is_a_warning_and_scoring_goes_on(model, content):
    """The training history is a record, not something scoring needs: it blocked scoring with
    "retrain the model"."""
    (model / "history.json").write_bytes(content)
    pipeline = Pipeline.load(model)
    assert len(pipeline.load_warnings_) == 1
    assert "model/history.json is corrupt" in pipeline.load_warnings_[0]
    assert pipeline.load_warnings_[0].endswith("the training history is left out (scoring does "
                                               "not need it; `logbert report` shows no training "
                                               "curves)")  # fmt: skip
    assert pipeline.detector_.history_ == {} and pipeline.score(SESSIONS[:2])


@pytest.mark.parametrize("name", ["calibration_scores.npy", "training_sessions.npz"])
def test_a_pickle_in_place_of_an_array_file_gets_our_words(model, name):
    (model / name).write_bytes(pickle.dumps(np.zeros(3)))
    with pytest.raises(LogbertError) as error:
        Pipeline.load(model)
    assert NOT_PLAIN_DATA in str(error.value) and "allow_pickle" not in str(error.value)
    assert name in str(error.value)


def test_calibration_scores_must_be_a_list_of_numbers(model):
    np.save(model / "calibration_scores.npy", np.zeros((2, 2)))
    with pytest.raises(LogbertError, match="expected a list of scores.*rerun `logbert calibrate`"):
        Pipeline.load(model)


@pytest.mark.parametrize(
    ("scores", "found"),
    [(np.zeros(0), "an empty list"), (np.full(5, np.nan), "5 NaN among 5 scores"),
     (np.r_[1.0, np.nan], "1 NaN among 2 scores"), (np.full(3, np.inf), "no finite score among 3")],
)  # fmt: skip
def test_calibration_scores_without_a_usable_score_are_corrupt(model, scores, found):
    """QA: an empty or all-NaN file was taken, and every p-value came out 1.0."""
    np.save(model / "calibration_scores.npy", scores)
    with pytest.raises(LogbertError, match=f"calibration_scores.npy is corrupt \\(expected "
                       f"normal scores, found {found}\\); rerun `logbert calibrate`"):  # fmt: skip
        Pipeline.load(model)
    assert Pipeline.load(model, recalibrating=True).calibration_scores_ is None


@pytest.mark.parametrize("content", ['{"a": 1}\n', "template_id,text\n1,x\n", "x\xff\n"])
def test_an_unreadable_templates_csv_is_a_warning_not_silence(model, content):
    (model / "templates.csv").write_bytes(content.encode("latin-1"))
    loaded = Pipeline.load(model)
    assert loaded.templates() == {}
    assert any("templates.csv" in w and "template text is left out" in w
               for w in loaded.load_warnings_)  # fmt: skip


def test_a_logs_model_without_parser_json_names_the_missing_file(logs_model, raw_logs):
    (logs_model / "parser.json").unlink()
    with pytest.raises(LogbertError, match="lm has no parser.json .* the file is missing"):
        list(Pipeline.load(logs_model).score_logs([str(raw_logs[1])]))


def test_a_logs_model_without_pipeline_json_names_it(logs_model, raw_logs):
    (logs_model / "pipeline.json").unlink()
    loaded = Pipeline.load(logs_model)
    assert any("pipeline.json is missing" in w for w in loaded.load_warnings_)
    with pytest.raises(LogbertError, match="pipeline.json is missing or records no session"):
        list(loaded.score_logs([str(raw_logs[1])]))


@pytest.mark.parametrize("content", [b"garbage\x00\xff{", b'{"a": 1}', b'{"format": {"na'])
def test_a_broken_parser_json_is_an_error_naming_it(logs_model, content):
    (logs_model / "parser.json").write_bytes(content)
    with pytest.raises(LogbertError, match=r"lm/parser.json is corrupt") as error:
        Pipeline.load(logs_model)
    assert str(error.value).count("parser.json") == 1  # not "x is corrupt (x is corrupt (...))"


def test_recalibrating_loads_a_model_whose_threshold_files_are_broken(model):
    """a NaN threshold.json was a dead end: every command, calibrate included, refused it."""
    (model / "threshold.json").write_text('{"value": NaN, "rule": "max"}')
    (model / "calibration_scores.npy").write_bytes(b"garbage")
    with pytest.raises(LogbertError, match="'value' must be a finite number, found nan"):
        Pipeline.load(model)
    loaded = Pipeline.load(model, recalibrating=True)
    assert [w.split(": ")[0] for w in loaded.load_warnings_] == ["warning"] * 2
    assert all(w.endswith("; this calibration replaces it") for w in loaded.load_warnings_)
    assert "found nan" in loaded.load_warnings_[0] and "rerun" not in loaded.load_warnings_[0]
    loaded.calibrate(SESSIONS)
    loaded.save_calibration(model)
    assert Pipeline.load(model).threshold_.value == loaded.threshold_.value


def test_a_threshold_that_flags_most_normal_calibration_sessions_is_warned_on_load(model):
    """QA: a best-F1 threshold on 1 labelled anomaly flagged every normal session; `train`
    warned once, and `evaluate` then reported F1 0.25 with no word."""
    import json

    threshold = json.loads((model / "threshold.json").read_text())
    (model / "threshold.json").write_text(json.dumps({**threshold, "value": -1.0}))
    (warning,) = Pipeline.load(model).load_warnings_
    assert warning.startswith(f"warning: this model's {threshold['rule']} threshold -1 flags ")
    assert "(100%): most verdicts on normal sessions will be false alarms" in warning
    assert Pipeline.load(model, recalibrating=True).load_warnings_ == []


def test_a_logs_model_round_trips(logs_model, raw_logs):
    loaded = Pipeline.load(logs_model)
    assert loaded.load_warnings_ == [] and loaded.reads_logs
    rows = [r for batch in loaded.score_logs([str(raw_logs[1])]) for r in batch]
    assert rows and json.dumps(rows, default=str)


def daily(day: int) -> list[Session]:
    """The sessions of one day of a job log whose counters restart daily: the same ids doing
    the same work, started on `day`."""
    return [
        Session(s.session_id, s.keys, s.label, start=datetime(2024, 3, day, 10, i))
        for i, s in enumerate(SESSIONS)
    ]


def overlap(pipeline: Pipeline, sessions: list[Session]) -> int:
    counts = pipeline.training_overlap(sessions)
    return counts["in_training"] + counts["in_validation"]


def test_ids_that_repeat_on_another_day_are_not_training_sessions(tmp_path):
    model = Pipeline(NgramDetector()).fit(daily(4)).save(tmp_path / "jobs")
    loaded = Pipeline.load(model)
    assert overlap(loaded, daily(5)) == 0
    assert overlap(loaded, daily(4)) == len(SESSIONS)  # its own training log still counts


def test_a_model_saved_with_id_and_keys_fingerprints_is_compared_the_old_way(tmp_path):
    """training_sessions.npz without a version (models saved before the start was hashed)
    holds hashes of (id, keys): they are compared as such, so the training sessions are
    still found (and another day's sessions with those ids, as before)."""
    model = Pipeline(NgramDetector()).fit(daily(4)).save(tmp_path / "old")
    np.savez(
        model / "training_sessions.npz",
        train=session_fingerprints(daily(4), version=1),
        validation=np.zeros(0, np.uint64),
    )
    loaded = Pipeline.load(model)
    assert overlap(loaded, daily(4)) == len(SESSIONS)
    assert overlap(loaded, daily(5)) == len(SESSIONS)


def test_sessions_calibrate_set_the_threshold_on_are_counted_as_such(model):
    """QA: evaluate on the very sessions `calibrate` used said nothing (overlap false)."""
    other = daily(6)  # neither training nor validation sessions
    loaded = Pipeline.load(model)
    assert loaded.training_overlap(other)["in_calibration"] == 0
    loaded.calibrate(other[:20], rule="max")
    loaded.save_calibration(model)
    counts = Pipeline.load(model).training_overlap(other)
    assert (counts["in_training"], counts["in_validation"], counts["in_calibration"]) == (0, 0, 20)
    assert overlap(Pipeline.load(model), SESSIONS) == len(SESSIONS)  # training's are kept


def test_a_cross_fitted_threshold_counts_every_training_session_as_calibration(tmp_path):
    """QA: evaluate on the training logs of a model whose threshold was cross-fitted on all
    its sessions wrote `in_calibration: 0`; a `logbert calibrate` afterwards replaces them."""
    sessions = [Session(f"s{i}", [1, 2, 3, 4][: 2 + i % 3], "normal") for i in range(60)]
    model = Pipeline(NgramDetector(), calibration="cross-fit").fit(sessions).save(tmp_path / "m")
    loaded = Pipeline.load(model)
    assert loaded.threshold_cross_fitted
    counts = loaded.training_overlap(sessions[:40] + daily(6)[:5])
    assert counts["in_training"] + counts["in_validation"] == 40
    assert counts["in_calibration"] == 40
    loaded.calibrate(daily(6)[:20], rule="max")
    loaded.save_calibration(model)
    recalibrated = Pipeline.load(model)
    assert not recalibrated.threshold_cross_fitted
    assert recalibrated.training_overlap(sessions[:40] + daily(6)[:5])["in_calibration"] == 5


def test_a_model_without_training_sessions_still_counts_its_calibration(model):
    (model / "training_sessions.npz").unlink()
    loaded = Pipeline.load(model)
    loaded.calibrate(daily(6), rule="max")
    loaded.save_calibration(model)
    reloaded = Pipeline.load(model)
    assert not reloaded.knows_training_sessions  # training's overlap stays unknown
    assert reloaded.training_overlap(daily(6))["in_calibration"] == len(SESSIONS)


def test_a_threshold_copied_from_another_model_is_refused(model, tmp_path):
    """QA: another model's threshold.json (and calibration scores) were used in silence."""
    other = Pipeline(NgramDetector(n=2)).fit(SESSIONS).save(tmp_path / "other")
    (model / "threshold.json").write_bytes((other / "threshold.json").read_bytes())
    with pytest.raises(LogbertError, match=r"model/threshold.json was calibrated for another "
                       r"model \(model_id \w{16}; this model is \w{16}\): it was copied from "
                       r"another model directory.*; rerun `logbert calibrate`"):  # fmt: skip
        Pipeline.load(model)
    loaded = Pipeline.load(model, recalibrating=True)  # calibrate repairs it
    assert loaded.threshold_ is None
    assert loaded.load_warnings_[0].endswith("; this calibration replaces it")


def test_recalibrating_keeps_the_model_id_and_writes_it_into_the_threshold(model):
    model_id = json.loads((model / "pipeline.json").read_text())["model_id"]
    assert json.loads((model / "threshold.json").read_text())["model_id"] == model_id
    loaded = Pipeline.load(model)
    loaded.calibrate(daily(6), rule="max")
    loaded.save_calibration(model)
    assert json.loads((model / "threshold.json").read_text())["model_id"] == model_id
    assert Pipeline.load(model).model_id_ == model_id


def test_a_threshold_without_a_model_id_is_taken_as_before(model):
    record = json.loads((model / "threshold.json").read_text())
    del record["model_id"]  # a model saved before thresholds named theirs
    (model / "threshold.json").write_text(json.dumps(record))
    assert Pipeline.load(model).load_warnings_ == []


def test_a_parser_mined_under_other_rules_is_named(logs_model):
    """A model trained before the masks changed meets other templates for lines it knew: it
    still scores, but the load says why its unseen keys rose and to retrain."""
    assert Pipeline.load(logs_model).load_warnings_ == []
    state = json.loads((logs_model / "parser.json").read_text())
    del state["miner"]["rules"]
    (logs_model / "parser.json").write_text(json.dumps(state))
    (warning,) = Pipeline.load(logs_model).load_warnings_
    assert "parser.json was mined under other parsing rules (an earlier revision; this " \
        "logbert's is revision" in warning and "retrain the model" in warning  # fmt: skip
