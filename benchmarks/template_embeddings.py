"""LogBERT (and DeepLog) with learned key embeddings vs template-text embeddings, same run.

    .venv/bin/python benchmarks/template_embeddings.py [--protocols bgl-2k,hdfs-a]
        [--models logbert,deeplog] [--seeds 0] [--similarity 0.5] [--dev]
        [--work-dir DIR] [--out template_embeddings]

`--similarity 0.5,0.7` runs template-text once per `text_min_similarity`. `--dev` (bgl-2k
only) never touches the test windows: it splits the protocol's training period again at 60% of
its time span, trains on the normal windows before that cut and tests on every window after it
(the training period's own anomalies included): the development split to choose on.

For each protocol, model, seed and `key_embedding` ("learned", the default, and
"template-text"), the detector is trained exactly as `logbert benchmark` trains it (a
`Pipeline`, seeded 10% validation, the detector's own threshold rule), except that the bundle
gets the training data's template set; before scoring, the test data's template set reaches
the detector the way `logbert score` hands it over (`Pipeline.check_templates` with the
sessions file's metadata). Reported per row: P, R, F1, ROC-AUC at the detector's own
threshold, and how many normal / anomalous test sessions hold a key unseen in training and how
many of those were flagged: the later-period false alarms the option is meant to remove.

The rule (`text_min_similarity` 0.5, see `models/key_text.py`) and the question's decision
rule were written down before the first run (benchmarks/results/template_embeddings.md):
template-text "helps BGL" if, averaged over the seeds run, both F1 and ROC-AUC on bgl-2k are
higher than with learned embeddings, and "does not hurt HDFS" if hdfs-a F1 is at most 1 point
lower. The lead decides on the default; nothing here changes it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from logbert.evaluation.benchmark import (
    PROTOCOLS,
    VALIDATION_FRACTION,
    false_alarms_per_10k,
    labelled_threshold_f1,
    test_labels,
)
from logbert.evaluation.datasets import datasets_dir
from logbert.evaluation.metrics import detection_metrics
from logbert.evaluation.protocols import (
    BGL_2K_TRAIN_FRACTION,
    ProtocolData,
    build_protocol,
    split_by_time,
)
from logbert.models.registry import detector_class
from logbert.models.runtime import torch_threads
from logbert.parsing.templates import TEMPLATE_SET_KEY
from logbert.pipeline import Pipeline
from logbert.sessions.io import NORMAL, read_file_metadata, read_sessions

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
# the sessions file each protocol's test sessions come from (its metadata holds the template set)
SESSIONS = {"bgl-2k": "bgl_2k_5m/sessions.parquet", "hdfs-a": "protocol_a/sessions.parquet"}
ARGV: list[str] = []
PREREGISTERED = (
    "Written before the first run: the unseen-key rule is P(u | context) = sum_k P(k | context) "
    "* max(0, (cos(u, k) - 0.5) / 0.5) over known keys k (MiniLM template cosines; "
    "`text_min_similarity` 0.5, not tuned). Template-text *helps BGL* if, averaged over the "
    "seeds run, both F1 and ROC-AUC on bgl-2k are higher than with learned embeddings; it "
    "*does not hurt HDFS* if hdfs-a F1 is at most 1 point lower. Test labels choose nothing; "
    "the default stays `learned` until the lead decides."
)


def template_metadata(work_dir: Path, protocol: str) -> dict[str, str]:
    path = work_dir / SESSIONS[protocol]
    metadata = read_file_metadata(path)
    if TEMPLATE_SET_KEY not in metadata:
        raise SystemExit(f"{path} carries no template set; delete {work_dir} to rebuild it")
    return metadata


def dev_split(work_dir: Path):
    """bgl-2k's training period split again (see the module doc); test windows untouched."""
    sessions = read_sessions(work_dir / SESSIONS["bgl-2k"])
    period, _, _ = split_by_time(sessions, BGL_2K_TRAIN_FRACTION)
    first, second, cut = split_by_time(period, BGL_2K_TRAIN_FRACTION)
    train = [s for s in first if s.label == NORMAL]
    return ProtocolData("BGL-2K-dev", f"bgl-2k training period, cut {cut}", train, second)


def run_one(
    data, protocol: str, model: str, option: str, seed: int, metadata: dict, similarity: float
) -> dict:
    """Train, hand over the test templates, score; one row."""
    templates = json.loads(metadata[TEMPLATE_SET_KEY])["templates"]
    train_keys = {int(k) for s in data.train for k in s.keys}
    # the bundle knows the training data's templates; the test data's come at scoring time
    train_templates = {k: v for k, v in templates.items() if int(k) in train_keys}
    detector = detector_class(model)(
        key_embedding=option, text_min_similarity=similarity, seed=seed
    )
    pipeline = Pipeline(detector, validation_split=VALIDATION_FRACTION, seed=seed)
    started = time.perf_counter()
    pipeline.fit(data.train, source=f"{protocol} training sessions", template_set=train_templates)
    train_seconds = time.perf_counter() - started
    pipeline.check_templates(metadata, f"{protocol} test sessions")  # as `logbert score` does
    batch = pipeline.batch(data.test)
    started = time.perf_counter()
    scores = pipeline.decision_scores(batch)
    score_seconds = time.perf_counter() - started
    labels = test_labels(data)
    threshold = pipeline.threshold_
    metrics = detection_metrics(labels, scores, threshold.value)
    flagged = scores > threshold.value
    unseen = np.array([bool(set(map(int, s.keys)) - train_keys) for s in data.test])
    return {
        "protocol": protocol,
        "model": model,
        "key_embedding": option if option == "learned" else f"{option} m={similarity}",
        "seed": seed,
        "params": pipeline.detector_.get_params(),
        "threshold": threshold.to_dict(),
        "train_seconds": round(train_seconds, 2),
        "score_seconds": round(score_seconds, 3),
        "metrics": {k: metrics[k] for k in ("precision", "recall", "f1", "fpr", "roc_auc")},
        "confusion_matrix": metrics["confusion_matrix"],
        "false_alarms_per_10k": false_alarms_per_10k(metrics),
        "labelled_validation_f1": labelled_threshold_f1(scores, labels, seed)["f1"],
        "unseen_key_sessions": {
            "normal": int((unseen & (labels == 0)).sum()),
            "normal_flagged": int((unseen & (labels == 0) & flagged).sum()),
            "anomalous": int((unseen & (labels == 1)).sum()),
            "anomalous_flagged": int((unseen & (labels == 1) & flagged).sum()),
        },
        "keys_without_text": pipeline.detector_.training_info_.get("keys_without_text"),
    }


def mean(rows: list[dict], path: tuple[str, ...]) -> float | None:
    values = []
    for row in rows:
        value: Any = row
        for part in path:
            value = value[part]
        if value is None:
            return None
        values.append(float(value))
    return float(np.mean(values)) if values else None


def markdown(result: dict) -> str:
    lines = [
        "| protocol | model | key embedding | seeds | P | R | F1 | ROC-AUC | F1 (labelled thr.) "
        "| normal w/ unseen key flagged | anomalous w/ unseen key flagged | train s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for group in result["summary"]:
        u = group["unseen_key_sessions"]
        lines.append(
            f"| {group['protocol']} | {group['model']} | {group['key_embedding']} "
            f"| {group['seeds']} | {100 * group['precision']:.2f} | {100 * group['recall']:.2f} "
            f"| {100 * group['f1']:.2f} | {group['roc_auc']:.4f} "
            f"| {100 * group['labelled_validation_f1']:.2f} "
            f"| {u['normal_flagged']:.1f} of {u['normal']} "
            f"| {u['anomalous_flagged']:.1f} of {u['anomalous']} | {group['train_seconds']:.1f} |"
        )
    return "\n".join(lines)


def summarize(rows: list[dict]) -> list[dict]:
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault((row["protocol"], row["model"], row["key_embedding"]), []).append(row)
    out = []
    for (protocol, model, option), members in groups.items():
        out.append(
            {
                "protocol": protocol,
                "model": model,
                "key_embedding": option,
                "seeds": ",".join(str(r["seed"]) for r in members),
                **{k: mean(members, ("metrics", k)) for k in ("precision", "recall", "f1")},
                "roc_auc": mean(members, ("metrics", "roc_auc")),
                "labelled_validation_f1": mean(members, ("labelled_validation_f1",)),
                "train_seconds": mean(members, ("train_seconds",)),
                "unseen_key_sessions": {
                    "normal": members[0]["unseen_key_sessions"]["normal"],
                    "anomalous": members[0]["unseen_key_sessions"]["anomalous"],
                    "normal_flagged": mean(members, ("unseen_key_sessions", "normal_flagged")),
                    "anomalous_flagged": mean(
                        members, ("unseen_key_sessions", "anomalous_flagged")
                    ),
                },
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--protocols", default="bgl-2k,hdfs-a")
    parser.add_argument("--models", default="logbert")
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--work-dir", default=str(Path.home() / ".cache/logbert/protocols"))
    parser.add_argument("--similarity", default="0.5")
    parser.add_argument("--dev", action="store_true")
    parser.add_argument("--out", default="template_embeddings")
    args = parser.parse_args()
    ARGV.extend(sys.argv[1:])
    work_dir = Path(args.work_dir)
    seeds = [int(s) for s in args.seeds.split(",")]
    started = time.perf_counter()
    rows = []
    variants = [("learned", 0.5)] + [
        ("template-text", float(m)) for m in args.similarity.split(",")
    ]
    for protocol in args.protocols.split(","):
        data = build_protocol(PROTOCOLS[protocol], datasets_dir(), work_dir)
        if args.dev:
            if protocol != "bgl-2k":
                raise SystemExit("--dev is defined for bgl-2k only")
            data = dev_split(work_dir)
        metadata = template_metadata(work_dir, protocol)
        name = f"{protocol}-dev" if args.dev else protocol
        for model in args.models.split(","):
            for seed in seeds:
                for option, similarity in variants:
                    print(f"{name} {model} {option} {similarity} seed {seed}", flush=True)
                    with torch_threads(1):
                        rows.append(run_one(data, name, model, option, seed, metadata, similarity))
    result = {
        "rows": rows,
        "summary": summarize(rows),
        "wall_seconds": round(time.perf_counter() - started, 1),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.2f} at the end",
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.out}.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    table = markdown(result)
    text = "\n".join(
        [
            "# Template-text key embeddings vs learned ones (same run)",
            "",
            f"`{' '.join(['.venv/bin/python benchmarks/template_embeddings.py', *ARGV])}`",
            "",
            PREREGISTERED,
            "",
            table,
            "",
            f"Wall {result['wall_seconds']} s; {result['machine']}; torch on 1 thread. "
            "P/R/F1 in % at each detector's own threshold rule (LogBERT `max`, DeepLog "
            "`mean+2std`) on the seeded 10% validation split; means over the seeds listed. "
            "`normal w/ unseen key flagged`: normal test sessions holding a key no training "
            "session has, and how many were flagged.",
            "",
        ]
    )
    (RESULTS / f"{args.out}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
