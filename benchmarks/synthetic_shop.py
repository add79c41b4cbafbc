"""A synthetic shop backend, end to end through the CLI: a dev domain that is not in ../shared.

    .venv/bin/python benchmarks/synthetic_shop.py [--seeds 1,2] [--models logbert,ngram]
        [--config params.yaml] [--train-args '--calibration cross-fit'] [--label NAME] [--out DIR]

Why: the tool will be pointed at logs of systems no one here has seen, written by an
application (ISO times, a level, a logger), grouped by a request id. This generator writes
such a log: checkout and login workflows of random request ids, interleaved in time, with
optional steps (a coupon, a slow-payment warning, a second factor, 1-4 cart items). Per
generator seed: 3,000 normal sessions to train on (one day), and 3,000 sessions of the next
day of which about 5% are anomalies of nine kinds: an error line (a template never seen),
a missing auth or payment step, a doubled payment, payment after the order, a cancelled
order, a truncated session, repeated rejected passwords, a login without its password check.
Each detector runs as a user would: `logbert train LOG --logs --format auto --by-id ...`,
then `logbert score`; F1 at the detector's calibrated threshold and recall per kind. Not a
test set: the generator was written here, so its figures are a development check (rule in
`results/min_epoch_windows_preregistration.md`). Writes `synthetic_shop[_LABEL].json/.md`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from process_stats import logbert_command  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
N_SESSIONS = 3000
ANOMALY_RATE = 0.05
CHECKOUT_KINDS = (
    "error", "missing_payment", "missing_auth", "double_charge", "order_before_payment",
    "cancel_state", "truncated",
)  # fmt: skip
LOGIN_KINDS = ("brute", "missing_auth")
BY_ID = r"session (\w+)"


def _checkout(rng: random.Random, s: str, kind: str) -> list[tuple[str, str, str]]:
    ip = f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    ev = [
        ("INFO", "api.gateway", f"Received POST /checkout for session {s} from {ip}"),
        ("INFO", "auth", f"Token validated for user u{rng.randint(1, 5000)} session {s}"),
    ]
    n_items = rng.randint(1, 4)
    for _ in range(n_items):
        sku, qty = rng.randint(1000, 9999), rng.randint(1, 3)
        ev.append(("INFO", "cart", f"Reserved item sku-{sku} qty {qty} for session {s}"))
    if rng.random() < 0.3:
        ev.append(("INFO", "promo", f"Applied coupon SAVE{rng.randint(5, 30)} to session {s}"))
    amount = f"{rng.randint(5, 500)}.{rng.randint(0, 99):02d}"
    ev.append(("INFO", "payment", f"Payment authorised amount {amount} EUR for session {s}"))
    if rng.random() < 0.15:
        ms = rng.randint(800, 2000)
        ev.append(("WARN", "payment", f"Payment provider slow response {ms} ms for session {s}"))
    ev.append(("INFO", "orders", f"Order created for session {s} with {n_items} items"))
    for state in ("confirmed", "packed", "shipped"):
        ev.append(("INFO", "orders", f"Order state changed to {state} for session {s}"))
    ev.append(("INFO", "notify", f"Email queued to customer for session {s}"))
    ms = rng.randint(50, 900)
    ev.append(("INFO", "api.gateway", f"Completed POST /checkout for session {s} in {ms} ms"))
    pay = next(i for i, e in enumerate(ev) if "Payment authorised" in e[2])
    if kind == "error":
        sku = rng.randint(1000, 9999)
        error = ("ERROR", "inventory", f"Stock level mismatch for sku-{sku} in session {s}")
        ev.insert(rng.randrange(3, len(ev) - 1), error)
    elif kind == "missing_payment":
        ev.pop(pay)
    elif kind == "missing_auth":
        ev.pop(1)
    elif kind == "double_charge":
        ev.insert(pay + 1, ev[pay])
    elif kind == "order_before_payment":
        order = next(i for i, e in enumerate(ev) if "Order created" in e[2])
        ev[pay], ev[order] = ev[order], ev[pay]
    elif kind == "cancel_state":
        j = next(i for i, e in enumerate(ev) if "changed to packed" in e[2])
        ev[j] = ("INFO", "orders", f"Order state changed to cancelled for session {s}")
        ev = ev[: j + 1] + [e for e in ev[j + 1 :] if "changed to" not in e[2]]
    elif kind == "truncated":
        ev = ev[: rng.randint(3, len(ev) - 3)]
    return ev


def _login(rng: random.Random, s: str, kind: str) -> list[tuple[str, str, str]]:
    ip = f"10.1.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    user = f"u{rng.randint(1, 5000)}"
    ev = [
        ("INFO", "api.gateway", f"Received POST /login for session {s} from {ip}"),
        ("INFO", "auth", f"Password check passed for user {user} session {s}"),
    ]
    if rng.random() < 0.2:
        ev.append(("INFO", "auth", f"Second factor sent by sms for session {s}"))
        ev.append(("INFO", "auth", f"Second factor accepted for session {s}"))
    ev.append(("INFO", "auth", f"Session token issued for session {s}"))
    ms = rng.randint(5, 90)
    ev.append(("INFO", "api.gateway", f"Completed POST /login for session {s} in {ms} ms"))
    if kind == "brute":
        rejected = ("WARN", "auth", f"Password check rejected for user {user} session {s}")
        ev = [ev[0], *[rejected] * rng.randint(3, 6), *ev[1:]]
    elif kind == "missing_auth":
        ev.pop(1)
    return ev


def write_log(path: Path, rng: random.Random, day: dt.datetime, anomaly_rate: float) -> dict:
    """One day's log of `N_SESSIONS` sessions; returns session id -> kind ("normal" or one
    of the anomaly kinds)."""
    events, kinds = [], {}
    for k in range(N_SESSIONS):
        s = f"{rng.getrandbits(40):010x}"
        start = day + dt.timedelta(seconds=k * 0.7 + rng.random())
        checkout = rng.random() < 0.6
        kind = "normal"
        if rng.random() < anomaly_rate:
            kind = rng.choice(CHECKOUT_KINDS if checkout else LOGIN_KINDS)
        t = start
        for level, logger, message in (_checkout if checkout else _login)(rng, s, kind):
            t += dt.timedelta(milliseconds=rng.randint(5, 400))
            events.append((t, level, logger, message))
        kinds[s] = kind
    events.sort(key=lambda e: e[0])
    with path.open("w") as f:
        for t, level, logger, message in events:
            stamp = f"{t:%Y-%m-%d %H:%M:%S},{t.microsecond // 1000:03d}"
            f.write(f"{stamp} {level} {logger}: {message}\n")
    return kinds


def run_seed(
    seed: int, models: list[str], config: Path | None, work: Path, extra: list[str]
) -> dict:
    rng = random.Random(seed)
    train_log, test_log = work / "train.log", work / "test.log"
    write_log(train_log, rng, dt.datetime(2026, 11, 2, 8), 0.0)
    kinds = write_log(test_log, rng, dt.datetime(2026, 11, 3, 8), ANOMALY_RATE)
    out: dict = {"seed": seed, "kinds": dict(Counter(kinds.values())), "models": {}}
    for model in models:
        model_dir, scores = work / f"model_{model}", work / f"scores_{model}.jsonl"
        train = logbert_command(
            "train", train_log, "--logs", "--format", "auto", "--by-id", BY_ID,
            "--model", model, "--output", model_dir,
        )  # fmt: skip
        if config is not None and model == "logbert":
            train += ["--config", str(config)]
        train += extra
        started = time.perf_counter()
        subprocess.run(train, check=True, capture_output=True, text=True)
        train_seconds = time.perf_counter() - started
        score = logbert_command("score", model_dir, test_log, "--logs", "--output", scores)
        subprocess.run(score, check=True, capture_output=True, text=True)
        flagged, total = Counter(), Counter()
        for line in scores.read_text().splitlines():
            row = json.loads(line)
            kind = kinds[row["session_id"]]
            total[kind] += 1
            flagged[kind] += bool(row["is_anomaly"])
        tp = sum(flagged[k] for k in total if k != "normal")
        fp, n_anomalies = flagged["normal"], sum(total[k] for k in total if k != "normal")
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / n_anomalies if n_anomalies else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        info = json.loads((model_dir / "config.json").read_text()).get("training", {})
        out["models"][model] = {
            "precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp,
            "fn": n_anomalies - tp, "train_seconds": train_seconds,
            "steps": info.get("steps"), "best_epoch": info.get("best_epoch"),
            "recall_by_kind": {k: f"{flagged[k]}/{total[k]}" for k in sorted(total)},
        }  # fmt: skip
        print(f"[seed {seed}] {model}: F1 {f1:.4f} (TP {tp}, FP {fp}), {train_seconds:.0f}s",
              flush=True)  # fmt: skip
    return out


def markdown(result: dict) -> str:
    lines = [
        f"### Synthetic shop backend ({result['label']}): F1 at the calibrated threshold",
        "",
        "| seed | detector | P | R | F1 | FP | FN | steps | train s | recall by kind |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in result["runs"]:
        for name, m in run["models"].items():
            kinds = ", ".join(f"{k} {v}" for k, v in m["recall_by_kind"].items() if k != "normal")
            lines.append(
                f"| {run['seed']} | {name} | {m['precision']:.4f} | {m['recall']:.4f} | "
                f"{m['f1']:.4f} | {m['fp']} | {m['fn']} | {m['steps'] or '-'} | "
                f"{m['train_seconds']:.0f} | {kinds} |"
            )
    extra = f"; train options: {result['train_args']}" if result.get("train_args") else ""
    lines += ["", f"- LogBERT config: {result['config'] or 'defaults'}{extra}; {result['command']}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1,2", help="generator seeds, e.g. 1,2")
    parser.add_argument("--models", default="logbert,ngram")
    parser.add_argument("--config", type=Path, default=None, help="LogBERT params (YAML)")
    parser.add_argument(
        "--train-args", default="", help="more `logbert train` options ('--calibration cross-fit')"
    )
    parser.add_argument("--label", default="")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    models = args.models.split(",")
    config = args.config.read_text().strip() if args.config else None
    result = {"label": args.label or "defaults", "config": config, "runs": [],
              "train_args": args.train_args,
              "command": " ".join(sys.argv)}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            work = Path(tmp) / f"seed{seed}"
            work.mkdir()
            extra = args.train_args.split()
            result["runs"].append(run_seed(seed, models, args.config, work, extra))
    for model in models:
        f1 = [run["models"][model]["f1"] for run in result["runs"]]
        result.setdefault("mean_f1", {})[model] = sum(f1) / len(f1)
    name = "synthetic_shop" + (f"_{args.label}" if args.label else "")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{name}.json").write_text(json.dumps(result, indent=2))
    text = markdown(result)
    (args.out / f"{name}.md").write_text(text)
    print(text)
    print("mean F1:", {k: round(v, 4) for k, v in result["mean_f1"].items()})


if __name__ == "__main__":
    main()
