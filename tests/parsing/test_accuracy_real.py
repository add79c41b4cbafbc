"""Real-data accuracy guard: our miner on a few loghub-2.0 2k systems (corrected truth)."""

from __future__ import annotations

import csv

import pyarrow.parquet as pq
import pytest

from logbert.parsing.accuracy import parsing_metrics
from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files


@pytest.mark.slow
@pytest.mark.parametrize(("system", "min_ga"), [("HDFS", 0.99), ("OpenSSH", 0.95), ("BGL", 0.95)])
def test_grouping_accuracy_on_loghub_2k(tmp_path, data_dir, system, min_ga):
    folder = data_dir / "loghub2_2k_corrected" / system
    out = tmp_path / "events.parquet"
    summary = parse_files([str(folder / f"{system}_2k.log")], resolve_format(system), out)
    assert summary.lines == 2000 and summary.rejected == 0
    table = pq.read_table(out, columns=["template_id"]).to_pydict()
    with open(tmp_path / "templates.csv", newline="", encoding="utf-8") as fh:
        final = {int(r["template_id"]): r["template"] for r in csv.DictReader(fh)}
    with open(folder / f"{system}_2k.log_structured_corrected.csv", newline="") as fh:
        truth = [r["EventTemplate"] for r in csv.DictReader(fh)]
    ids = table["template_id"]
    metrics = parsing_metrics(truth, ids, [final[t] for t in ids])
    assert metrics["GA"] >= min_ga, metrics
    assert metrics["PA"] >= 0.9, metrics
