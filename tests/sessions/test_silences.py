"""Silences: the runs of empty time windows a window sessionizer records, and the profile that
learns each value's longest in training and judges later ones (`sessions.silences`)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pyarrow as pa
import pytest

from logbert.errors import LogbertError
from logbert.sessions.silences import (
    MARGIN,
    MIN_WINDOWS,
    SPARSE,
    STEADY_WINDOWS,
    WHOLE_LOG,
    Silence,
    SilenceProfile,
    SilenceRecord,
)
from logbert.sessions.window_sessions import WindowSessionizer

START = datetime(2025, 12, 1)
TEN = timedelta(minutes=10)


def silence(value: str, length: int, **kw) -> Silence:
    return Silence(value, START, TEN, TEN, length, **kw)


def events(rows: list[tuple[str, int]]) -> pa.Table:
    """(host, minute) rows as sessionizer input, one template, times from START."""
    return pa.table(
        {
            "template_id": [1] * len(rows),
            "timestamp": [START + timedelta(minutes=m) for _, m in rows],
            "Host": [h for h, _ in rows],
            "label": [None] * len(rows),
            "source": ["a.log"] * len(rows),
            "line_no": list(range(1, len(rows) + 1)),
        }
    )


def test_a_steady_value_s_silence_longer_than_any_in_training_is_judged_anomalous():
    record = SilenceRecord(
        [silence("a", 1), silence("a", 2), silence("b", 9), silence("sparse", 30)],
        Counter({"a": 40, "b": 40, "new-ish": STEADY_WINDOWS - 1, "sparse": 3}),
    )
    profile = SilenceProfile().fit(record, TEN)
    assert profile.longest_ == {"a": 2, "b": 9}  # (values with fewer windows are not judged)
    assert profile.step_seconds_ == 600
    # longer than the longest (a margin of 2 lost more true silences than false ones it saved)
    assert MARGIN == 1
    assert not profile.judge(silence("a", 2)) and profile.judge(silence("a", 3))
    assert not profile.judge(silence("b", 9)) and profile.judge(silence("b", 10))
    assert not profile.judge(silence("sparse", 100)) and not profile.judge(silence("x", 100))
    assert profile.seen("sparse") and profile.seen("new-ish") and not profile.seen("x")
    # a value that never fell silent in training: one empty window is jitter, two are not
    steady = SilenceProfile().fit(SilenceRecord([], Counter({"c": 10})), TEN)
    assert not steady.judge(silence("c", MIN_WINDOWS - 1))
    assert steady.judge(silence("c", MIN_WINDOWS))


def test_a_value_that_writes_now_and_then_is_flagged_only_for_a_silence_rare_at_its_rate():
    """QA Graphite: a file a new metric is created in every half hour or so (49 of 180
    training windows written, its longest pause 9) was flagged for 18 windows of a longer
    test; a steadier value's longest pause stays its bound."""
    sparse = [silence("creates", n) for n in (9, 3, 5, 2, 4, 1, 6) * 18][:47]
    steadier = [silence("listener", n) for n in (1, 2, 4, 1, 3) * 10]
    record = SilenceRecord(
        sparse + steadier, Counter({"creates": 49, "listener": 129, "updates": 180})
    )
    profile = SilenceProfile().fit(record, TEN)
    assert sum(s.length for s in sparse) / (49 + sum(s.length for s in sparse)) > SPARSE
    assert profile.longest("creates") == 9 and profile.flagged_from("creates") > 18
    assert not profile.judge(silence("creates", 18))
    assert profile.judge(silence("creates", profile.flagged_from("creates")))
    assert profile.flagged_from("listener") == 5  # (past its longest, 4)
    assert profile.flagged_from("updates") == MIN_WINDOWS  # (never silent)
    # a profile saved before empty windows were kept judges by the longest alone
    saved = profile.to_dict()
    saved["values"] = {v: entry[:2] for v, entry in saved["values"].items()}
    assert SilenceProfile.from_dict(saved, "pipeline.json").flagged_from("creates") == 10


def test_a_profile_round_trips_through_json_and_a_broken_one_is_refused():
    record = SilenceRecord([silence("a", 3)], Counter({"a": 9, "b": 1}))
    profile = SilenceProfile().fit(record, TEN, paths=True)
    again = SilenceProfile.from_dict(profile.to_dict(), "pipeline.json")
    assert again.longest_ == {"a": 3} and again.written_ == {"a": 9}
    assert again.step_seconds_ == 600 and again.paths_ and again.seen_ == {"a", "b"}
    with pytest.raises(LogbertError, match="pipeline.json: silences: not a silence profile"):
        SilenceProfile.from_dict({"values": {"a": 3}}, "pipeline.json")


def test_a_silence_at_the_end_counts_the_last_window_where_the_log_went_through_half_of_it():
    """QA Swift: an auditor that reports every 30 minutes was flagged at 12:00-12:05, the log
    ending at 12:00:00: a window the log barely entered is no time a value kept silent."""
    for end, length in ((120, 5), (125, 6)):  # the log's last event: 02:00:00, then 02:05
        rows = [("a", m) for m in range(0, end + 1, 5)]  # (a's events every 5 min)
        rows += [("b", m) for m in range(0, 61, 30)]  # b: every 30 min, last at 01:00
        sessionizer = WindowSessionizer("10m", field="Host")
        sessionizer.silence_record = record = SilenceRecord()
        sessionizer.push(events(sorted(rows, key=lambda r: r[1])))
        sessionizer.flush()
        at_end = [s for s in record.silences if s.at_end]
        assert [(s.value, s.length) for s in at_end] == [("b", length)], end


def test_a_silence_names_its_windows_as_the_sessionizer_names_windows():
    ids = [i for i, _, _ in silence("beta", 3).windows()]
    assert ids == [f"beta@2025-12-01T00:{m}:00" for m in ("00", "10", "20")]
    whole = Silence(WHOLE_LOG, START, TEN, timedelta(minutes=30), 2)
    assert [(i, e - s) for i, s, e in whole.windows()] == [
        ("2025-12-01T00:00:00", timedelta(minutes=30)),
        ("2025-12-01T00:10:00", timedelta(minutes=30)),
    ]


def test_the_window_sessionizer_records_silences_inside_the_log_and_at_its_end():
    rows = [("a", m) for m in range(0, 120, 5)]  # a writes all along
    rows += [("b", m) for m in range(0, 120, 5) if not 30 <= m < 70]  # b: 4 windows silent
    rows += [("c", m) for m in range(0, 60, 5)]  # c: stops at 01:00, two hours silent
    sessionizer = WindowSessionizer("10m", field="Host", track_lines=True)
    sessionizer.silence_record = record = SilenceRecord()
    table = events(sorted(rows, key=lambda r: r[1]))
    written = sessionizer.push(table) + sessionizer.flush()
    assert record.windows == Counter({"a": 12, "b": 8, "c": 6})
    assert len(written) == 26
    found = {(s.value, s.start.strftime("%H:%M"), s.length, s.at_end) for s in record.silences}
    assert found == {("b", "00:30", 4, False), ("c", "01:00", 6, True)}
    b = next(s for s in record.silences if s.value == "b")
    assert b.last_event == START + timedelta(minutes=25)  # its last event before the silence
    source, line_no = b.last_line
    assert source == "a.log" and table.column("Host")[line_no - 1].as_py() == "b"
    # without a record (sessionize, the warnings only) nothing is kept
    plain = WindowSessionizer("10m", field="Host")
    plain.push(table)
    plain.flush()
    assert plain.silence_record is None


def test_plain_windows_record_the_whole_log_s_silences():
    rows = [("a", m) for m in range(0, 120, 5) if not 40 <= m < 80]
    sessionizer = WindowSessionizer("10m")
    sessionizer.silence_record = record = SilenceRecord()
    sessionizer.push(events(rows))
    sessionizer.flush()
    assert [(s.value, s.length) for s in record.silences] == [(WHOLE_LOG, 4)]
    assert record.windows[WHOLE_LOG] == 8


def test_running_silences_count_the_complete_windows_since_a_value_s_last_event():
    sessionizer = WindowSessionizer("10m", field="Host")
    sessionizer.value_clock = True
    rows = [("a", m) for m in range(0, 65, 5)] + [("b", m) for m in range(0, 25, 5)]
    sessionizer.push(events(sorted(rows, key=lambda r: r[1])))
    running = {s.value: s for s in sessionizer.running_silences(["a", "b", "unseen"])}
    # newest 01:00: windows up to 00:50 are complete; b's last event at 00:20
    assert set(running) == {"b"}
    assert running["b"].length == 3 and running["b"].start == START + timedelta(minutes=30)
    assert running["b"].last_event == START + timedelta(minutes=20)


def test_input_files_are_their_training_files_where_their_paths_end_alike():
    """QA Superset, OctoPrint, Vector: test files in `logs/test/<host>/x.log`, training's in
    `logs/train/<host>/x.log`: no value matched, and no silence was judged."""
    files = ["train/kvm01/libvirtd.log", "train/kvm02/libvirtd.log", "train/web.log", "a/x.log"]
    record = SilenceRecord([], Counter(dict.fromkeys(files, 10)))
    profile = SilenceProfile().fit(record, TEN, paths=True)
    assert profile.key_of("test/kvm02/libvirtd.log") == "train/kvm02/libvirtd.log"
    assert profile.key_of("web.log") == "train/web.log"
    assert profile.key_of("other/libvirtd.log") is None  # (two training files end so)
    assert profile.key_of("y.log") is None and not profile.seen("y.log")
    assert profile.judge(Silence("test/kvm02/libvirtd.log", START, TEN, TEN, 2))
    # values other than files are never matched by their ends (`argocd/loki` is not `x/loki`)
    names = SilenceProfile().fit(SilenceRecord([], Counter({"argocd/loki": 10})), TEN)
    assert names.key_of("other/loki") is None


def test_the_scoring_note_names_flagged_short_and_unjudged_silences():
    record = SilenceRecord(
        [silence("a", 1)], Counter({"a": 20, "b": 20, "c": 20, "sparse": 2})
    )  # fmt: skip
    profile = SilenceProfile().fit(record, TEN)
    scored = SilenceRecord(
        [silence("a", 5), silence("b", 1), silence("c", 1), silence("new", 3),
         silence("sparse", 4)],
        Counter({"a": 20, "b": 20, "c": 20, "new": 20, "sparse": 20}),
    )  # fmt: skip
    note = profile.scoring_note(scored, 5)
    assert note.startswith("note: 5 time windows of 1 silence (1 value) flagged, longer than ")
    assert "e.g. 'a' wrote nothing for 5 windows from 2025-12-01T00:00:00, its longest in " in note
    assert "training 1, flagged from 2): rows `decided_by: silence`" in note
    # b, c: one empty window where training had none: unusual, but jitter-sized
    assert "2 silences longer than their value's longest in training but too short to flag" in note
    assert "flagged from 2; also c@2025-12-01T00:00:00 (1)): look at those times" in note
    assert "1 silence of values training never saw is not judged (e.g. 'new', 3 windows" in note
    assert "1 silence of values training saw too little of is not judged (e.g. 'sparse'" in note
    assert profile.scoring_note(SilenceRecord([silence("a", 1)], Counter({"a": 9})), 0) is None


def test_the_margin_sets_how_much_longer_than_training_a_silence_must_be():
    """`train --silence-margin`: hosts quiet every night outlast on some night the few nights
    training saw (QA NFS, BuildKit); a margin of 2 asks for twice the longest, 0 judges none
    (the pipeline then keeps no profile)."""
    record = SilenceRecord([silence("a", 4)], Counter({"a": 20, "b": 20}))
    wide = SilenceProfile(margin=2).fit(record, TEN)
    assert not wide.judge(silence("a", 8)) and wide.judge(silence("a", 9))
    assert wide.judge(silence("b", 2))  # (twice nothing: a steady value's rule is unchanged)
    assert SilenceProfile.from_dict(wide.to_dict(), "p").margin == 2
    assert "longer than 2 times its longest here" in wide.training_note(record)
    assert "longer than its longest here" in SilenceProfile().fit(record, TEN).training_note(record)


def test_silences_at_the_logs_end_are_said_to_be_at_its_end():
    """QA Boundary: hosts whose lines stopped a few windows before the file ended were flagged
    with `at_end: true`, and nothing said such a file may merely have been cut earlier."""
    profile = SilenceProfile().fit(SilenceRecord([], Counter({"a": 20})), TEN)
    scored = SilenceRecord([silence("a", 3, at_end=True)], Counter({"a": 20}))
    note = profile.scoring_note(scored, 3)
    assert note.endswith(
        "rows `decided_by: silence`; 1 of them at the log's end (`at_end`: the value never wrote "
        "again, or its input was cut earlier than the others)"
    )
