#!/usr/bin/env bash
# `make demo`: the main job end to end on the real HDFS 2% sample.
set -euo pipefail
DATA=${LOGBERT_DATA:-../shared/datasets}
OUT=${DEMO_DIR:-demo_out}
BIN=.venv/bin
RAW=$DATA/HDFS_v1_loglead_2pct/HDFS_2pct.log.gz
LABELS=$DATA/HDFS_v1_loglead_2pct/anomaly_label_2pct.csv
if [ ! -f "$RAW" ]; then
  echo "demo data not found: $RAW (set LOGBERT_DATA to the datasets folder)" >&2
  exit 2
fi
mkdir -p "$OUT"
$BIN/logbert parse "$RAW" --format hdfs --output "$OUT/events.parquet"
$BIN/logbert sessionize "$OUT/events.parquet" --by-id 'blk_-?\d+' --labels "$LABELS" \
  --output "$OUT/sessions.parquet"
# Train on a seeded random half of the blocks (anomalies are left out by train), evaluate on
# the other half. (A split by time, benchmarks/hdfs.py's protocol B, tests on blocks still open
# when the log ends, which no training block resembles: see the README on protocol B.)
$BIN/python - "$OUT/sessions.parquet" "$OUT" <<'PY'
import sys
from logbert.sessions.io import read_file_metadata, read_sessions, write_sessions
from logbert.sessions.split import holdout
train, test = holdout(read_sessions(sys.argv[1]), 0.5, seed=0)
parsed_with = read_file_metadata(sys.argv[1])  # which template run the keys come from
write_sessions(train, f"{sys.argv[2]}/train.parquet", metadata=parsed_with)
write_sessions(test, f"{sys.argv[2]}/test.parquet", metadata=parsed_with)
print(f"{len(train)} blocks to train on, {len(test)} held out")
PY
$BIN/logbert train "$OUT/train.parquet" --output "$OUT/model"
$BIN/logbert score "$OUT/model" "$OUT/test.parquet" --output "$OUT/scores.jsonl"
$BIN/logbert evaluate "$OUT/model" "$OUT/test.parquet" --scores "$OUT/scores.jsonl" \
  --output "$OUT/evaluation_results.json"
# The report: training curves, score distributions, ROC/PR, threshold sweep, top sessions.
$BIN/logbert report "$OUT/model" --scores "$OUT/scores.jsonl" \
  --evaluation "$OUT/evaluation_results.json" --sessions "$OUT/test.parquet" \
  --output "$OUT/report.html"
echo "Open the report: $OUT/report.html"
