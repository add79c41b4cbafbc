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
