"""Known normal sequences (`known_min_count`): a session whose exact key sequence occurred in at
least k fitted sessions scores 0; the table is kept with the weights and counted exactly."""

from __future__ import annotations

import numpy as np
from sklearn.base import clone

from logbert.models.known_sequences import KnownSequences, sequence_hash
from logbert.models.logbert import LogBERT
from logbert.pipeline import Pipeline
from logbert.sessions.io import Session

SMALL = {"hidden": 16, "layers": 1, "heads": 2, "max_len": 16, "epochs": 3, "batch_size": 32}
# a frequent workflow and a rarer variant whose steps 2 and 3 come in the other order
TRAIN = [[1, 2, 3, 4]] * 54 + [[1, 3, 2, 4, 5]] * 6 + [[1, 4, 4, 2]]


def test_the_table_counts_each_exact_sequence_and_hashes_stably():
    table = KnownSequences.of([np.array(s) for s in TRAIN])
    found = table.count([np.array(s) for s in ([1, 2, 3, 4], [1, 3, 2, 4, 5], [1, 4, 4, 2],
                                                [1, 2, 3], [4, 3, 2, 1])])  # fmt: skip
    assert found.tolist() == [54, 6, 1, 0, 0]
    assert sequence_hash(np.array([1, 2, 3])) == sequence_hash([1, 2, 3])  # any int input
    assert sequence_hash(np.array([1, 2, 3])) != sequence_hash(np.array([1, 2, 3, 0]))
    empty = KnownSequences.of([])
    assert empty.count([np.array([1])]).tolist() == [0]


def test_a_sequence_fitted_at_least_k_times_scores_zero_and_only_it(tmp_path):
    model = LogBERT(**SMALL, known_min_count=2).fit(TRAIN)
    test = [Session("variant", [1, 3, 2, 4, 5]), Session("once", [1, 4, 4, 2]),
            Session("new", [1, 3, 2, 4]), Session("frequent", [1, 2, 3, 4])]  # fmt: skip
    known = model.score_sessions(test)
    for name in ("score", "miss_ratio", "max_surprise"):
        assert known[name][0] == 0 and known[name][3] == 0
    evidence = model.score_sessions(test, top_events=2)["top_events"]
    assert evidence[0] == evidence[3] == [] and evidence[2]  # QA: no "surprise 4.9" beside 0
    raw = model.set_params(known_min_count=0).score_sessions(test)  # the same weights, rule off
    model.set_params(known_min_count=2)
    assert clone(model).get_params()["known_min_count"] == 2
    assert raw["max_surprise"][0] > 0  # the model alone finds the variant surprising
    # seen once (a stray session may be an anomaly) or never: scored by the model as before
    for name in ("score", "miss_ratio", "max_surprise"):
        np.testing.assert_array_equal(known[name][1:3], raw[name][1:3])
    model.save(tmp_path / "m")
    again = LogBERT.load(tmp_path / "m")
    assert again.known_min_count == 2
    np.testing.assert_array_equal(again.score_sessions(test)["max_surprise"],
                                  known["max_surprise"])  # fmt: skip
    assert again.known_.count([np.array([1, 3, 2, 4, 5])]).tolist() == [6]


def test_zero_turns_it_off_and_a_model_saved_without_the_table_knows_no_sequence(tmp_path):
    assert LogBERT().known_min_count == 2
    model = LogBERT(**SMALL, known_min_count=0).fit(TRAIN)
    assert model.score_sessions([Session("f", [1, 2, 3, 4])])["max_surprise"][0] > 0
    model.known_ = KnownSequences.of([])  # as a model saved before the table was kept
    model.save(tmp_path / "old")
    old = LogBERT.load(tmp_path / "old").set_params(known_min_count=2)
    assert old.score_sessions([Session("f", [1, 2, 3, 4])])["max_surprise"][0] > 0


def test_a_threshold_of_zero_from_known_sequences_is_explained():
    """Every validation session of a fixed workflow repeats a training sequence, so each
    scores 0 and the `max` rule gives 0: a note says why, not a silent 0."""
    lines: list[str] = []
    sessions = [Session(str(i), s) for i, s in enumerate([[1, 2, 3, 4]] * 54 + [[1, 3, 2, 4]] * 6)]
    pipeline = Pipeline(LogBERT(**SMALL), calibration="split", seed=0)
    pipeline.fit(sessions, log=lines.append)
    assert pipeline.threshold_.value == 0
    assert any(line.startswith("note: each of the 6 normal calibration sessions") for line in lines)
    flagged = pipeline.detector_.predict([Session("x", [1, 2, 3, 4]), Session("y", [4, 3, 2, 1])])
    assert flagged.tolist() == [0, 1]


def test_an_open_session_that_starts_as_known_ones_did_scores_zero(tmp_path):
    """QA: a kubelet log cut mid-day; every calibration session was a known sequence (threshold
    0) and 46 running pods were flagged on their last probe. An open session whose keys are
    how at least k fitted sessions started is normal so far; closed, the same keys are not."""
    from logbert.sessions.batch import SessionBatch

    table = KnownSequences.of([np.array(s) for s in TRAIN])
    starts = table.count_starts([np.array(s) for s in ([1], [1, 2], [1, 3, 2], [1, 4], [2])])
    assert starts.tolist() == [61, 54, 6, 0, 0]  # [1, 4]: one session, below PREFIX_MIN_COUNT
    model = LogBERT(**SMALL, known_min_count=2).fit(TRAIN)
    keys = [[1, 2], [1, 2], [1, 3, 2], [3, 2]]
    batch = SessionBatch.from_keys(keys, is_open=[True, False, True, True])
    got = model.score_sessions(batch)["max_surprise"]
    raw = model.set_params(known_min_count=0).score_sessions(batch)["max_surprise"]
    assert got[0] == 0 and got[2] == 0  # open, as known sessions started
    assert got[1] == raw[1] > 0 and got[3] == raw[3] > 0  # closed there, or never a start
    model.set_params(known_min_count=2).save(tmp_path / "m")
    again = LogBERT.load(tmp_path / "m")
    np.testing.assert_array_equal(again.known_.count_starts([np.array([1, 2])]), [54])


def test_fitted_sessions_still_open_count_as_starts_only():
    """QA: Slurm jobs still running when the training log ended ("submit, allocate, prolog")
    became a known sequence, and every test job that stopped there, never finishing, scored 0
    (0 of 17 caught). An open fitted session shows a start, not a whole sequence."""
    from logbert.sessions.batch import SessionBatch

    sequences = [[1, 2, 3, 4]] * 5 + [[1, 2]] * 3
    opened = [False] * 5 + [True] * 3
    table = KnownSequences.of([np.array(s) for s in sequences], opened)
    assert table.count([np.array([1, 2, 3, 4]), np.array([1, 2])]).tolist() == [5, 0]
    assert table.count_starts([np.array([1, 2])]).tolist() == [8]
    model = LogBERT(**SMALL, known_min_count=2).fit(
        SessionBatch.from_keys(sequences * 4, is_open=opened * 4)
    )
    stopped = SessionBatch.from_keys([[1, 2], [1, 2]], is_open=[False, True])
    got = model.score_sessions(stopped)["max_surprise"]
    assert got[0] > 0 and got[1] == 0  # ended after two steps: judged; still running: not yet


def test_a_closed_session_that_stopped_where_known_ones_went_on_names_its_end_first():
    """QA Mattermost, Harbor: a job that never finished was flagged, its evidence its first
    line and "expected: <end of session>" (the model sees both sides of the end). Its keys are
    how 54 training sessions began, and none ended there: the end leads the evidence, said."""
    from logbert.pipeline.verdicts import score_rows
    from logbert.sessions.batch import SessionBatch

    model = LogBERT(**SMALL, known_min_count=2).fit(TRAIN)
    keys = [[1, 2, 3], [3, 2], [1, 2, 3, 4], [1, 2, 3]]
    batch = SessionBatch.from_keys(keys, is_open=[False, False, False, True])
    evidence = model.score_sessions(batch, top_events=2)["top_events"]
    first = evidence[0][0]
    assert first["key"] is None and first["position"] == 3 and len(evidence[0]) <= 2
    assert first["note"] == (
        "no normal session ended here: 54 training sessions began with these keys and went on"
    )
    # ... expecting what the model expected there but the end (QA stunnel: `<end of session>,
    # 0.86` beside the note)
    assert all(e["key"] is not None for e in first["expected"])
    assert all("note" not in e for e in evidence[1])  # no known start: the model's evidence
    assert evidence[2] == [] and evidence[3] == []  # known; open as known ones began
    sessions = [Session(str(i), k) for i, k in enumerate(keys)]
    rows = score_rows(model, sessions, batch, 0.0, "max_surprise", templates={1: "a"})
    assert rows[0]["top_events"][0]["note"].startswith("no normal session ended here")
    assert rows[0]["top_events"][0]["template"] == "<end of session>"
