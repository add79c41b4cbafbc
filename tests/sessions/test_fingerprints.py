"""Session fingerprints (which sessions a model was trained on): the id, the start (without
its year) and the keys, so ids that repeat in another period are other sessions; version 1
(id and keys) for models saved before."""

from datetime import datetime

from logbert.sessions.fingerprints import (
    VERSION_KEY,
    fingerprints_version,
    known_mask,
    record_of,
    session_fingerprints,
)
from logbert.sessions.io import Session

DAY1 = datetime(2024, 3, 4, 10, 0, 0, 906000)
DAY2 = datetime(2024, 3, 5, 10, 0, 0, 906000)


def job(start: datetime | None) -> Session:
    return Session("job_000001", [1, 2, 3], "normal", start=start)


def test_the_same_id_and_keys_on_another_day_is_another_session():
    day1, day2, again = session_fingerprints([job(DAY1), job(DAY2), job(DAY1)])
    assert day1 != day2 and day1 == again


def test_sessions_without_a_start_keep_the_id_and_keys_hash_of_version_1():
    assert session_fingerprints([job(None)]) == session_fingerprints([job(None)], version=1)
    # version 1 ignores the start: how models saved before version 2 recorded their sessions
    assert session_fingerprints([job(DAY1)], version=1) == session_fingerprints([job(None)])


def test_the_year_of_the_start_is_left_out():
    """A log without a year is dated by --year or the file's date, which may differ between
    training on a file and evaluating it: the same session must hash the same."""
    other_year = job(DAY1.replace(year=2023))
    assert session_fingerprints([other_year]) == session_fingerprints([job(DAY1)])


def test_a_file_session_is_the_same_session_whatever_folder_named_it():
    """`--by-field source`: a file's session id is its base name, or its path as typed when
    another input shares the base name; the same file must still be known (paths that end
    alike, version 4; version 3 kept the base name only)."""
    boot = [Session(name, [1, 2, 3], "normal", start=DAY1) for name in
            ("boot7.log", "fleet/dev1/boot7.log", "/data/fleet/dev1/boot7.log")]  # fmt: skip
    for trained in boot:
        assert known_mask(boot, record_of([trained], "train"), "train").all()
    assert len(set(session_fingerprints(boot, version=3).tolist())) == 1  # as recorded before
    assert len(set(session_fingerprints(boot, version=2).tolist())) == 3


def test_files_that_share_a_base_name_are_told_apart_by_their_folders():
    """Jenkins writes every build to `jobs/<job>/builds/<n>/log`: undated builds with the same
    steps were one session by base name (QA: 30 of 100 new builds "trained on")."""

    def build(n: int) -> Session:
        return Session(f"jobs/shop/builds/{n}/log", [1, 2, 3], "normal")

    trained = record_of([build(n) for n in range(1, 6)], "train")
    later = [build(n) for n in range(6, 9)] + [
        build(3),
        Session("builds/4/log", [1, 2, 3], "normal"),
    ]
    assert known_mask(later, trained, "train").tolist() == [
        False, False, False, True, True
    ]  # fmt: skip
    version_3 = {"train": session_fingerprints([build(1)], version=3), VERSION_KEY: [3]}
    assert known_mask(later, version_3, "train").all()  # an old model compares as it recorded


def test_a_copy_of_a_tree_under_another_root_is_known_by_its_last_parts():
    """QA Airflow: three task logs copied from `data/logs_train/dag_id=.../attempt=1.log` to
    `copy/dag_id=.../attempt=1.log` were evaluated with `in_training: 0` (neither path ends
    the other); a base name alone (`attempt=1.log`, alike in every task) is not enough."""
    tail = "dag_id=etl/run_id=scheduled__2026-11-03T00:00:00+00:00/task_id=load/attempt=1.log"
    trained = record_of([Session(f"data/logs_train/{tail}", [1, 2], "normal", start=DAY1)], "train")
    copied = Session(f"copy/{tail}", [1, 2], "normal", start=DAY1)
    other_task = Session(f"copy/{tail.replace('load', 'extract')}", [1, 2], "normal", start=DAY1)
    assert known_mask([copied, other_task], trained, "train").tolist() == [True, False]


def test_an_archive_without_a_version_is_version_1():
    assert fingerprints_version({"train": session_fingerprints([job(None)])}) == 1
    assert fingerprints_version({VERSION_KEY: [2]}) == 2


def _key_file(n: int, seed: int, prefix: str = "") -> list[Session]:
    """`n` sessions as a key file gives them (ids = positions, no start), keys drawn from a
    few sequences (HDFS-like: most sessions repeat a handful of sequences)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    pool = [[1, 2, 3], [1, 2, 3, 4], [1, 3], [5, 1, 2], [2, 2, 3, 3], [1, 4]]
    chosen = rng.choice(len(pool), size=n, p=[0.5, 0.2, 0.1, 0.1, 0.05, 0.05])
    return [Session(f"{prefix}{i}", pool[c], "normal") for i, c in enumerate(chosen)]


def test_sessions_known_by_position_match_by_runs_of_keys_not_by_their_line_index():
    """A key file's ids are line indexes: the training file rewritten as JSON (normal-i ids)
    or shifted by a blank line is still the training data, and another file of the same
    sequences at the same line indexes is not."""
    from logbert.models.ngram import NgramDetector
    from logbert.pipeline import Pipeline
    from logbert.sessions.fingerprints import order_run, positional

    train = _key_file(400, seed=0)
    assert all(positional(s) for s in train) and order_run(train) > 5
    pipeline = Pipeline(NgramDetector(), calibration="split").fit(train)
    as_json = [Session(f"normal-{i}", s.keys, "normal") for i, s in enumerate(train)]
    shifted = [Session(str(i + 1), s.keys, "normal") for i, s in enumerate(train)]
    other = _key_file(400, seed=1)
    for data in (as_json, shifted):  # the 10% held out for validation are named as such
        counts = pipeline.training_overlap(data)
        assert (counts["in_training"], counts["in_validation"]) == (360, 40)
    assert pipeline.training_overlap(other)["in_training"] == 0  # same ids, other sessions
    named = [Session(f"job_{i}", s.keys, "normal") for i, s in enumerate(train)]
    assert pipeline.training_overlap(named)["in_training"] == 0  # real ids: compared by id
