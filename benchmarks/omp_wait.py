"""Does OpenMP's wait policy matter for LogBERT's training time? ACTIVE vs PASSIVE, alone and
beside other busy processes.

    .venv/bin/python benchmarks/omp_wait.py [--sessions 2000] [--epochs 2] [--busy 0,2]

PyTorch's CPU threads (OpenMP) spin while they wait for work under the ACTIVE policy. On a
machine with as many busy processes as cores, a spinning thread holds a core another needs,
and a training step of a small model took 30 times as long in blind QA runs and in the test
suite (tiny model, 36 steps: 44 s with 2 threads, 1.3 s with one, 1.4 s with 2 threads and
PASSIVE). `logbert` sets `OMP_WAIT_POLICY=PASSIVE` unless the environment sets it
(`logbert/__init__.py`); this measures what that costs on an idle machine and saves on a
busy one.

Each run is its own process (the policy is read when OpenMP starts): LogBERT with its defaults
and `--epochs` epochs on the first `--sessions` normal training sessions of protocol A (seed
0), and the tiny model of the unit tests (hidden 32, 90 sessions, 4 epochs); `--busy N` starts
N processes that spin on the CPU meanwhile, `--busy "N train"` runs N of the same training at
once (their mean time). Prints a table; writes benchmarks/results/omp_wait.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "omp_wait.json"

# the child: one training, its wall time on stdout (the policy is in its environment)
CHILD = """
import json, sys, time
from logbert.models.logbert import LogBERT
from logbert.evaluation.protocols import build_protocol
case, data, work = sys.argv[1], sys.argv[4], sys.argv[5]
n, epochs = int(sys.argv[2]), int(sys.argv[3])
if case == "tiny":
    keys = [[1, 2, 3, 4, 5, 6]] * 60 + [[1, 2, 3, 4, 5, 6, 7]] * 30
    params = dict(hidden=32, layers=1, heads=2, max_len=16, epochs=4, batch_size=32,
                  open_copies=2, known_min_count=0, lr=5e-3, patience=40)
else:
    keys = [s.keys for s in build_protocol("A", data, work).train[:n]]
    params = dict(epochs=epochs)
start = time.perf_counter()
model = LogBERT(**params).fit(keys)
print(json.dumps({"seconds": time.perf_counter() - start,
                  "steps": model.training_info_.get("steps")}))
"""


def run(case: str, policy: str, busy: str, args: argparse.Namespace, work: str) -> dict:
    """One case's training under `policy` beside `busy`: "0" (alone), "N" (N spinning
    processes) or "N train" (N-1 more of the same training at once, as two logbert runs or
    the service's engine beside a training are); the mean of the trainings' times."""
    env = {**os.environ, "OMP_WAIT_POLICY": policy}
    n = int(busy.split()[0])
    together = n if busy.endswith("train") else 1
    spinners = [  # processes that each want a core
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(0 if together > 1 else n)
    ]
    command = [sys.executable, "-c", CHILD, case, str(args.sessions), str(args.epochs),
               str(args.data), work]  # fmt: skip
    try:
        children = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(together)
        ]
        outs = [json.loads(child.communicate()[0].strip().splitlines()[-1]) for child in children]
    finally:
        for process in spinners:
            process.kill()
            process.wait()
    seconds = sum(out["seconds"] for out in outs) / len(outs)
    return {"case": case, "policy": policy, "busy": busy, "seconds": seconds,
            "steps": outs[0]["steps"]}  # fmt: skip


def main() -> None:
    from logbert.evaluation.datasets import datasets_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument(
        "--busy", default="0,2,2 train",
        help="comma list: N spinning processes, or 'N train' (N trainings at once)",
    )
    parser.add_argument("--data", type=Path, default=datasets_dir(ROOT))
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for busy in (b.strip() for b in args.busy.split(",")):
            for case in ("tiny", "hdfs"):
                for policy in ("ACTIVE", "PASSIVE"):
                    rows.append(run(case, policy, busy, args, work))
                    r = rows[-1]
                    print(f"{r['case']:5} {r['policy']:8} busy={r['busy']:8}  "
                          f"{r['seconds']:8.2f} s  ({r['steps']} steps)", flush=True)  # fmt: skip
    print("\ncase   busy       ACTIVE s  PASSIVE s  PASSIVE/ACTIVE")
    for busy in dict.fromkeys(r["busy"] for r in rows):
        for case in ("tiny", "hdfs"):
            same = [r for r in rows if (r["case"], r["busy"]) == (case, busy)]
            pair = {r["policy"]: r["seconds"] for r in same}
            ratio = pair["PASSIVE"] / pair["ACTIVE"]
            print(f"{case:5} {busy:9} {pair['ACTIVE']:10.2f} {pair['PASSIVE']:10.2f} {ratio:15.2f}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "sessions": args.sessions, "epochs": args.epochs, "rows": rows,
    }, indent=2))  # fmt: skip
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
