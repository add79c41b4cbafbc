"""A format's <Level> field and the events: a template met at a problem level and at another
is a warning (the level is a header field, not part of the event)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from logbert.parsing.formats import resolve_format
from logbert.parsing.levels import LevelMix
from logbert.parsing.pipeline import parse_files

LINES = [
    "2026-11-20 10:00:0{i} INFO pay: Payment gateway answered 200 in {i}ms",
    "2026-11-20 10:00:0{i} INFO pay: order {i} created",
]


def test_a_message_met_at_error_and_at_info_is_a_warning(tmp_path):
    """QA Celery: 10 ERROR lines of a message logged at INFO shared its template; none was
    flagged, and nothing said the level was not part of the event."""
    log = tmp_path / "a.log"
    lines = [line.format(i=i) for i in range(5) for line in LINES]
    lines[4] = lines[4].replace("INFO", "ERROR")
    log.write_text("\n".join(lines) + "\n")
    fmt = resolve_format("<Date> <Time> <Level> <Component>: <Content>")
    summary = parse_files([str(log)], fmt, tmp_path / "e.parquet")
    (said,) = [w for w in summary.warnings if "<Level>" in w]
    assert "1 template(s) are met at levels of different severity" in said
    assert "at error, info" in said and "leaves <Level> in the message" in said
    # the same message at one level, or levels that are all fine, say nothing
    log.write_text("\n".join(line.format(i=i) for i in range(5) for line in LINES) + "\n")
    summary = parse_files([str(log)], fmt, tmp_path / "f.parquet")
    assert not [w for w in summary.warnings if "<Level>" in w]


def test_level_mix_counts_levels_per_template_and_skips_lines_without_one():
    mix = LevelMix()
    mix.add(np.array([1, 1, 2, -1]), pa.array(["INFO ", "debug", "WARN", "ERROR"]))
    mix.add(np.array([2, 3]), pa.array(["info", None]))
    assert mix.levels == {1: {"info", "debug"}, 2: {"warn", "info"}}
    assert mix.warning("Level", {2: "disk <*> slow"}).startswith(
        "warning: <Level>: 1 template(s) are met at levels of different severity (e.g. "
        "'disk <*> slow' at info, warn)"
    )


def test_a_level_written_before_the_time_gets_advice_that_can_be_followed(tmp_path):
    """QA Cassandra (`WARN  [GossipTasks:1] 2026-11-20 10:15:03,001 ...`): the warning said to
    leave <Level> inside <Content>, which no format string can do when the level comes first."""
    log = tmp_path / "system.log"
    lines = [f"INFO  [ScheduledTasks:1] 2026-11-20 10:00:0{i},123 GCInspector.java:299 - G1 GC in "
             f"{i}ms" for i in range(6)]  # fmt: skip
    lines[3] = lines[3].replace("INFO ", "WARN ")
    log.write_text("\n".join(lines) + "\n")
    fmt = resolve_format("<Level> [<Thread>] <Date> <Time> <Component> - <Content>")
    summary = parse_files([str(log)], fmt, tmp_path / "e.parquet")
    (said,) = [w for w in summary.warnings if "<Level>" in w]
    assert "this layout writes <Level> before the time" in said and "inside <Content>" not in said


def test_a_format_strings_status_or_type_field_that_varies_within_a_template_is_a_warning(
    tmp_path,
):
    """QA Envoy: `... "<Content>" <Status> <Flags> ...` left the status out of the event, a
    503 one event with a 200 (F1 1.00 -> 0.46, nothing said); QA Nagios: `<Type>` merged a
    HOST ALERT with a HOST NOTIFICATION. A field of many values (a host) says nothing."""
    log = tmp_path / "a.log"
    lines = [
        f'2026-11-20T10:00:0{i}Z "GET /api/orders/{i}" {status} web{i}'
        for i in range(8) for status in (200, 503)
    ]  # fmt: skip
    log.write_text("\n".join(lines) + "\n")
    fmt = resolve_format('<Timestamp> "<Content>" <Status> <Host>')
    summary = parse_files([str(log)], fmt, tmp_path / "e.parquet")
    (said,) = [w for w in summary.warnings if "header fields are not part of the event" in w]
    assert said.startswith("warning: <Status>: 1 template(s) are met with several values")
    assert "with <Status> 200, 503" in said and "leave it inside <Content>" in said
    # the status inside the message: nothing to say
    fmt = resolve_format("<Timestamp> <Content> <Host>")
    summary = parse_files([str(log)], fmt, tmp_path / "f.parquet")
    assert not [w for w in summary.warnings if "header fields are not part" in w]


def test_a_record_type_field_and_a_field_that_ran_on_are_warnings(tmp_path):
    """QA PBS: accounting's `<Record>` (S start, R rerun) was no part of the event, unsaid; QA
    Samba: `real(<Ruid>, <Rgid>)] <Component>` met an auth line's `real(0, 0), class=auth]`,
    and `<Rgid>` took half the line (the fields and message misread, unsaid)."""
    log = tmp_path / "accounting"
    lines = [f"11/30/2026 10:00:0{i};{r};{i}.pbs01;user=alice queue=batch" for i in range(5)
             for r in "SR"]  # fmt: skip
    log.write_text("\n".join(lines) + "\n")
    fmt = resolve_format("<Date> <Time>;<Record>;<JobId>;<Content>", None, "%m/%d/%Y %H:%M:%S")
    summary = parse_files([str(log)], fmt, tmp_path / "e.parquet")
    assert any(w.startswith("warning: <Record>: 1 template(s)") for w in summary.warnings)
    head = "[2026/11/22 17:46:5{}.5,  3, pid=4000, effective(0, 0), real(0, 0){}] s.c:1(f) {}"
    lines = [head.format(i, "", "client connected") for i in range(9)]
    lines.append(head.format(9, ", class=auth", "Auth: [SMB2,(null)] user [EX]\\[frank] ok"))
    log.write_text("\n".join(lines) + "\n")
    written = "[<Date> <Time>, <Level>, pid=<Pid>, effective(<Euid>, <Egid>), real(<Ruid>, <Rgid>)]"
    summary = parse_files([str(log)], resolve_format(written + " <Component> <Content>"),
                          tmp_path / "f.parquet")  # fmt: skip
    (said,) = [w for w in summary.warnings if "<Rgid> holds one word" in w]
    assert "several on 1 of 10" in said and "optional group" in said
    fmt = resolve_format(written.replace(")]", ")(, class=<Class>)?]") + " <Component> <Content>")
    summary = parse_files([str(log)], fmt, tmp_path / "g.parquet")
    assert not [w for w in summary.warnings if "holds one word" in w]
