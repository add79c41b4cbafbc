"""What blind QA round 127 (Storm, dnsdist, smartd, kube-scheduler) found in reading each
log's lines, and what they read as now."""

from __future__ import annotations

import pyarrow.parquet as pq

from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files


def test_a_quoted_state_is_no_name_someone_gave(tmp_path):
    """QA dnsdist: `Marking downstream backend1 (10.0.0.1:53) as 'down'` and `... as 'up'` were
    one `as '<*>'` event (quoted words were taken for names), a pool's every backend down a
    nightly restart's."""
    lines = [
        f"Dec 01 00:{i // 60:02d}:{i % 60:02d} dns1 dnsdist[812]: Marking downstream "
        f"backend{i % 8} (10.0.0.{i % 8}:53) as '{'down' if i // 8 % 2 else 'up'}'"
        for i in range(40)
    ]
    log = tmp_path / "dnsdist.log"
    log.write_text("\n".join(lines) + "\n")
    parse_files([str(log)], resolve_format("linux", year=2026), tmp_path / "e.parquet")
    templates = set(pq.read_table(tmp_path / "e.parquet").column("template").to_pylist())
    assert templates == {"Marking downstream <*> (<*>:<*>) as 'down'",
                         "Marking downstream <*> (<*>:<*>) as 'up'"}  # fmt: skip
