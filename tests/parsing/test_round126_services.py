"""What blind QA round 126 (cert-manager, BeeGFS, Perforce, Graphite carbon) found in reading
each log's lines and files, and what they read as now."""

from __future__ import annotations

from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files


def test_an_input_that_wrote_its_lines_at_midnight_is_no_date_read_alone(tmp_path):
    """QA Graphite: an aggregator's console.log, a startup of 7 lines at 00:00:00, was said
    to be read without its time of day, to be parsed in a run of its own; a file of dates
    alone beside dated ones is still said."""
    fmt = resolve_format("<Date> <Time> :: <Content>", timestamp_format="%d/%m/%Y %H:%M:%S")
    busy = tmp_path / "listener.log"
    busy.write_text("".join(f"24/11/2025 10:{i // 60:02d}:{i % 60:02d} :: line {i}\n"
                            for i in range(300)))  # fmt: skip
    started = tmp_path / "console.log"
    started.write_text("".join(f"24/11/2025 00:00:00 :: start step {i}\n" for i in range(7)))
    summary = parse_files([str(busy), str(started)], fmt, tmp_path / "e.parquet")
    assert not [w for w in summary.warnings if "midnight" in w]


def test_a_perforce_command_is_the_event_and_its_arguments_a_value(masked_alike):
    """QA Perforce: p4d's quoted command with its arguments was one value, fifteen commands
    one `pid <*> <*> <*> [<*>] <*>` event (an obliterate by a normal user a sync's)."""
    record = "pid {} {}@ws 10.20.9.{} [p4v/2023.2/NTX64/2468153/v93] '{}'"
    sync, other_sync, obliterate, journal = masked_alike([
        record.format(20004, "trent", 229, "user-sync //depot/main/..."),
        record.format(20005, "dave", 230, "user-sync -f //depot/rel/2.4/..."),
        record.format(20006, "dave", 230, "user-obliterate -y //depot/rel/2.4/..."),
        record.format(92818, "svc", 11, "rmt-Journal"),
    ])  # fmt: skip
    assert sync.startswith("user-sync pid <*> ") and sync.endswith(" '<*>'")
    assert obliterate.startswith("user-obliterate pid <*> ")
    assert journal.startswith("rmt-Journal pid <*> ") and journal.endswith("]")
    assert len({sync.split()[0], obliterate.split()[0], journal.split()[0]}) == 3


def test_an_objects_method_after_its_repr_is_the_event(masked_alike):
    """QA Graphite: `CarbonClientFactory(10.0.1.5:2004:None)::startedConnecting (...)` was one
    word: a connection's start and its success one event, each destination's letter (`:a`,
    `:b`) a template of its own."""
    started, made, made_b = masked_alike([
        "CarbonClientFactory(10.0.1.5:2004:None)::startedConnecting (10.0.1.5:2004)",
        "CarbonClientFactory(10.0.1.5:2004:a)::connectionMade (10.0.1.5:2004)",
        "CarbonClientFactory(10.0.1.6:2004:b)::connectionMade (10.0.1.6:2004)",
    ])  # fmt: skip
    assert started == "CarbonClientFactory::startedConnecting <*> (<*>:<*>)"
    assert made == made_b == "CarbonClientFactory::connectionMade <*> (<*>:<*>)"


def test_levels_that_are_numbers_on_another_scale_than_syslogs_are_a_warning(tmp_path):
    """QA BeeGFS: levels 0 critical to 5 debug read on syslog's scale, routine 2s and 3s
    errors and chatty 4s warnings, so no line could be more severe than training's."""
    fmt = resolve_format(r"(<Level>) <Date> <Time> <Thread> \[<Component>\] >> <Content>",
                         year=2026, timestamp_format="%b%d %H:%M:%S")  # fmt: skip
    log = tmp_path / "beegfs-meta.log"
    log.write_text("".join(
        f"({3 if i % 3 else 4}) Dec01 00:{i // 60:02d}:{i % 60:02d} XNodeSync [Sync] >> "
        f"Synced client sessions. Active sessions: {i}\n" for i in range(150)
    ))  # fmt: skip
    summary = parse_files([str(log)], fmt, tmp_path / "e.parquet")
    (warning,) = [w for w in summary.warnings if "syslog's scale" in w]
    assert warning.startswith("warning: <Level>: its values are numbers (3: 100, 4: 50 lines)")
    log.write_text("".join(  # syslog's own scale: routine 6s, a few 3s
        f"({3 if i % 50 == 0 else 6}) Dec01 00:{i // 60:02d}:{i % 60:02d} XNodeSync [Sync] >> "
        f"Synced client sessions. Active sessions: {i}\n" for i in range(150)
    ))  # fmt: skip
    summary = parse_files([str(log)], fmt, tmp_path / "f.parquet")
    assert not [w for w in summary.warnings if "syslog's scale" in w]
