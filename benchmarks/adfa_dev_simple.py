"""Simple detectors on the ADFA-LD dev split: how far plain n-grams and count vectors rank.

    .venv/bin/python benchmarks/adfa_dev_simple.py [--label NAME]

A companion of `adfa_dev.py` (LogBERT) and `adfa_reference_lm.py` (an LSTM language model):
the same **dev** part (half of `validation_normal` + Adduser, Hydra_FTP, Java_Meterpreter; the
test part is never read), each detector fitted through `Pipeline` on ADFA-LD `train` with the
same seeded 10% validation split. It reports dev ROC-AUC / PR-AUC, overall and per attack
type, for `ngram` with its default sizes (2, 3) and with longer ones (6; 4 to 8), and `ecvc`:
what the long-trace target is measured against. Reporting only: no default is chosen here.
Writes benchmarks/results/adfa_dev_simple_<label>.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

from adfa_dev import split
from logbert.evaluation.benchmark import VALIDATION_FRACTION
from logbert.evaluation.datasets import datasets_dir
from logbert.evaluation.protocols import ADFA_DIR, read_adfa
from logbert.models.ecvc import ECVCDetector
from logbert.models.ngram import NgramDetector
from logbert.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
CANDIDATES = {
    "ngram n=(2, 3) (default)": lambda: NgramDetector(),
    "ngram n=6": lambda: NgramDetector(n=6),
    "ngram n=(4..8)": lambda: NgramDetector(n=(4, 5, 6, 7, 8)),
    "ecvc": lambda: ECVCDetector(),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="default")
    args = parser.parse_args()
    train, normal, attack, _ = read_adfa(datasets_dir(ROOT) / ADFA_DIR)
    dev = split(normal, attack)["dev"]
    labels = np.array([s.label == "anomaly" for s in dev], dtype=int)
    kinds = np.array([s.categories[0] if s.label == "anomaly" else "normal" for s in dev])
    rows = {}
    for name, make in CANDIDATES.items():
        pipeline = Pipeline(make(), validation_split=VALIDATION_FRACTION, calibration="split")
        pipeline.fit(train, source="ADFA-LD train")
        scores = pipeline.detector_.decision_function(pipeline.batch(dev))
        row = {
            "dev_roc_auc": round(float(roc_auc_score(labels, scores)), 4),
            "dev_pr_auc": round(float(average_precision_score(labels, scores)), 4),
        }
        for kind in sorted(set(kinds) - {"normal"}):
            part = (kinds == "normal") | (kinds == kind)
            row[f"roc_auc_{kind}"] = round(float(roc_auc_score(labels[part], scores[part])), 4)
        rows[name] = row
    out = RESULTS / f"adfa_dev_simple_{args.label}.json"
    out.write_text(json.dumps({"dev": {"n": len(dev), "n_anomalous": int(labels.sum())},
                               "detectors": rows}, indent=2) + "\n")  # fmt: skip
    columns = list(next(iter(rows.values())))
    print("| detector | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for name, row in rows.items():
        print(f"| {name} | " + " | ".join(f"{row[c]:.4f}" for c in columns) + " |")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
