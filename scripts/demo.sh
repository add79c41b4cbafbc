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
