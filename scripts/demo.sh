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
# Protocol B: train on the blocks that start in the first half of the time span (anomalies are
# left out by train), evaluate on the blocks that start in the second half (held out).
$BIN/python - "$OUT/sessions.parquet" "$OUT" <<'PY'
import sys
from logbert.evaluation.protocols import split_by_time
from logbert.sessions.io import read_sessions, write_sessions
first, second, midpoint = split_by_time(read_sessions(sys.argv[1]))
write_sessions(first, f"{sys.argv[2]}/train.parquet")
write_sessions(second, f"{sys.argv[2]}/test.parquet")
print(f"split at {midpoint}: {len(first)} blocks to train on, {len(second)} held out")
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
