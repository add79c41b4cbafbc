"""The evaluation protocols, as data: what to train on and what to test on.

Public API (used by `benchmarks/hdfs.py` and `logbert benchmark`):

    data = protocol_a(data_dir, work_dir)   # or protocol_b(...), or build_protocol("A", ...)
    data.train   -> list[Session]  normal sessions only (unlabelled or label "normal")
    data.test    -> list[Session]  every test session, each labelled normal/anomaly
    data.name, data.description, data.info (counts, split point)

- **A** (the DeepLog/LogBERT training file): train on `HDFS_v1_deeplog/hdfs_train` (4,855
  normal sessions); test on all 11,501 blocks of the HDFS 2% raw sample, parsed with
  `logbert parse --templates HDFS.log_templates.csv` (key k = template Ek, the key space of the
  training file) and sessionized by block id with the block labels. DeepLog's own test files
  (`hdfs_test_normal`, `hdfs_test_abnormal`) are not used; when the data folder has them, a
  note says so and how to evaluate on them (`logbert evaluate MODEL pair.json`).
- **B** (end to end from raw text): parse the raw 2% sample with our own miner, sessionize by
  block id with labels; train on the normal blocks that first appear in the first half of the
  log's time span, test on every block that first appears in the second half.

- **ADFA** (system calls, a second sequence domain): `ADFA_LD/train` (833 normal traces) is the
  training set; the test set is `ADFA_LD/validation_normal` (4,372 normal) + `ADFA_LD/attack`
  (746 attacks of 6 types, named in `attack_labels.csv`). Each line of those files is one trace
  (one process), i.e. one session; its system-call numbers are the keys as they are (no parsing
  stage, no timestamps, so no session is ever open).
- **BGL-2K** (supercomputer RAS log, loghub 2k sample): parse `BGL_2k.log` with the built-in
  `bgl` format and our miner, cut fixed 5-minute windows labelled from the lines' label column
  (a window is anomalous if any line is an alert); the cut point is 60% of the time span (first
  window start to last window end); train on the normal windows that start before it, test on
  every window that starts at or after it. The rule was fixed before any detector ran. The 2k
  sample is sparse (2,000 lines over seven months: most windows hold one line), so this is
  close to judging bursts of lines, not long sequences.
  TODO: once a `SessionizerSettings(by_field="Node")` sessionizer exists, a per-node variant
  (windows per node) is the closer match to the literature; not used here.

Labelled protocols for supervised detectors (category targets; `evaluation.category_benchmark`),
whose `train` holds labelled sessions of every class, not normal ones only:
- **ADFA-TYPES** (multi-class): `validation_normal` + `attack`, each attack trace with its type
  (`attack_labels.csv`) as its category, split into seeded stratified halves (by class: normal
  and the six attack types): train on one, test on the other.
- **BGL-2K-CATEGORIES** (multi-label): BGL-2K's 5-minute windows with their alert types as
  categories (`labels`); train on every window (normal and anomalous) that starts in the first
  60% of the time span, test on the rest (categories only the test part has are counted by the
  metrics, not dropped).
- **HDFS-TIME** (binary, chronological): B's parsed and sessionized 2% sample (the same cache),
  cut by the log's time span (first block start to last block end): blocks that start before
  60% of it train (both labels), those that start in [60%, 70%) are the validation part the
  thresholds are calibrated on (`validation`, passed explicitly, not a random holdout), those
  that start at or after 70% test. Open blocks (still running when the log ends) stay in the
  test set, marked open at scoring as in B. `templates` carries the parse run's template set
  for detectors that read template text.
- **HDFS-RANDOM** (binary): HDFS-TIME's blocks in the same proportions (60% train, 10%
  validation, 30% test), split at random, seeded and stratified by label: the setting published
  supervised results use. Set beside HDFS-TIME, it shows what the split by time costs.

A, B and BGL-2K go through the library functions behind `logbert parse` and `logbert
sessionize`, so they behave exactly as a user's run; their outputs are cached in `work_dir`, one
folder per protocol, with `cache.json` recording what each was built from: the input files
(resolved path, size, modification time) and `CACHE_VERSION`. A cache whose record differs
from the inputs given now (another `data_dir`, a changed file, older code) is rebuilt, and a
line on stderr says why; a missing input is an error even when a cache exists. `data_dir` is
the shared datasets folder (`evaluation.datasets.datasets_dir`).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sklearn.model_selection import train_test_split

from logbert.errors import LogbertError
from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files
from logbert.parsing.templates import TEMPLATE_SET_KEY
from logbert.sessions.io import (
    ANOMALY,
    NORMAL,
    Session,
    read_file_metadata,
    read_sessions,
    session_categories,
    write_sessions,
)
from logbert.sessions.labels import read_labels
from logbert.sessions.sessionize import (
    SessionizeStats,
    events_metadata,
    parse_duration,
    sessionize_by_id,
    sessionize_by_window,
)

HDFS_RAW = "HDFS_v1_loglead_2pct/HDFS_2pct.log.gz"
HDFS_LABELS = "HDFS_v1_loglead_2pct/anomaly_label_2pct.csv"
HDFS_TRAIN = "HDFS_v1_deeplog/hdfs_train"
HDFS_TEMPLATES = "HDFS_v1_deeplog/HDFS.log_templates.csv"
# DeepLog's test files: protocol A does not use them (it tests on the 2% sample's blocks)
HDFS_DEEPLOG_TESTS = ("HDFS_v1_deeplog/hdfs_test_normal", "HDFS_v1_deeplog/hdfs_test_abnormal")
PROTOCOL_A_DESCRIPTION = (
    "train DeepLog's hdfs_train (normal sessions); test every block of the HDFS 2% sample, "
    "labelled, parsed onto templates E1..E29 (not DeepLog's hdfs_test_* files)"
)
BLOCK_ID = r"blk_-?\d+"
ADFA_DIR = "ADFA_LD"
ADFA_FILES = ("train", "validation_normal", "attack")
ADFA_ATTACK_LABELS = "attack_labels.csv"
BGL_2K_RAW = "loghub2_2k_corrected/BGL/BGL_2k.log"
BGL_2K_WINDOW = "5m"
BGL_2K_TRAIN_FRACTION = 0.6
ADFA_TYPES_TEST_FRACTION = 0.5
HDFS_TIME_CUTS = (0.6, 0.7)  # train < 60% of the time span <= validation < 70% <= test
# bump when a change to parsing, sessionizing or these builders changes what a cache holds
CACHE_VERSION = 1
CACHE_RECORD = "cache.json"


@dataclass
class ProtocolData:
    """Train (normal, or labelled for the labelled protocols) and test (labelled) sessions of
    one protocol; `validation`: the sessions thresholds are calibrated on when the protocol
    fixes them (None: a seeded holdout of `train`); `templates`: the parse run's template set
    (id -> text) when the keys come from one."""

    name: str
    description: str
    train: list[Session]
    test: list[Session]
    info: dict[str, Any] = field(default_factory=dict)
    validation: list[Session] | None = None
    templates: dict[str, str] | None = None


def build_protocol(name: str, data_dir: str | Path, work_dir: str | Path) -> ProtocolData:
    """Protocol "A", "B", "ADFA", "BGL-2K" or "HDFS-TIME" by name."""
    builders = {
        "A": protocol_a,
        "B": protocol_b,
        "ADFA": protocol_adfa,
        "BGL-2K": protocol_bgl_2k,
        "HDFS-TIME": protocol_hdfs_time,
        "HDFS-RANDOM": protocol_hdfs_random,
    }
    if name.upper() not in builders:
        raise LogbertError(f"unknown protocol {name!r}; valid: {', '.join(builders)}")
    return builders[name.upper()](data_dir, work_dir)


def protocol_a(data_dir: str | Path, work_dir: str | Path) -> ProtocolData:
    """Train on DeepLog's hdfs_train, test on the 2% sample mapped onto the same 29 keys."""
    data_dir, work_dir = Path(data_dir), Path(work_dir)
    train = read_sessions(_need(data_dir / HDFS_TRAIN), input_format="deeplog")
    test = _parse_and_sessionize(
        data_dir, work_dir / "protocol_a", _need(data_dir / HDFS_TEMPLATES)
    )
    unused = [name for name in HDFS_DEEPLOG_TESTS if (data_dir / name).exists()]
    if unused:
        _say(
            f"note: protocol A tests on every block of the HDFS 2% sample ({HDFS_RAW}), not on "
            f"{' and '.join(unused)} (in {data_dir}): to evaluate a model on DeepLog's test "
            'files, write them as one JSON file {"normal_sessions": [[keys...], ...], '
            '"anomaly_sessions": [...]} and run `logbert evaluate MODEL pair.json` (see README)'
        )
    return ProtocolData(
        name="A",
        description=PROTOCOL_A_DESCRIPTION,
        train=train,
        test=test,
        info=_counts(train, test),
    )


def protocol_b(data_dir: str | Path, work_dir: str | Path) -> ProtocolData:
    """Train on normal blocks of the first half of the time span, test on the second half."""
    data_dir, work_dir = Path(data_dir), Path(work_dir)
    sessions = _parse_and_sessionize(data_dir, work_dir / "protocol_b", None)
    first, second, midpoint = split_by_time(sessions)
    train = [s for s in first if s.label == NORMAL]
    info = _counts(train, second)
    info.update(
        midpoint=midpoint.isoformat(),
        first_half_anomalies_left_out=sum(s.label == ANOMALY for s in first),
    )
    return ProtocolData(
        name="B",
        description="raw HDFS 2% sample parsed by our miner; train first half (normal), "
        "test second half",
        train=train,
        test=second,
        info=info,
    )


def protocol_hdfs_time(data_dir: str | Path, work_dir: str | Path) -> ProtocolData:
    """B's sessions cut at 60% and 70% of the time span: train (both labels), validation,
    test; see the module doc."""
    sessions, templates = _hdfs_blocks(Path(data_dir), Path(work_dir))
    (train, validation, test), cuts = split_chronologically(sessions, HDFS_TIME_CUTS)
    info = _hdfs_labelled_info(sessions, train, validation, test, templates)
    info.update(
        cuts=list(HDFS_TIME_CUTS),
        cut_times=[c.isoformat() for c in cuts],
        log_start=min(s.start for s in sessions).isoformat(),
        log_end=max(s.end or s.start for s in sessions).isoformat(),
    )
    return ProtocolData(
        name="HDFS-TIME",
        description="raw HDFS 2% sample parsed by our miner; blocks by start time: train the "
        f"first {HDFS_TIME_CUTS[0]:.0%} of the time span (both labels), calibrate on the next "
        f"{HDFS_TIME_CUTS[1] - HDFS_TIME_CUTS[0]:.0%}, test the rest",
        train=train,
        test=test,
        info=info,
        validation=validation,
        templates=templates,
    )


def protocol_hdfs_random(data_dir: str | Path, work_dir: str | Path, seed: int = 0) -> ProtocolData:
    """HDFS-TIME's blocks and proportions, split at random instead of by time (the setting of
    published supervised results): seeded, stratified by label."""
    sessions, templates = _hdfs_blocks(Path(data_dir), Path(work_dir))
    labels = [s.label for s in sessions]
    index = list(range(len(sessions)))
    train_fraction, validation_end = HDFS_TIME_CUTS
    rest, train_index = train_test_split(
        index, test_size=train_fraction, stratify=labels, random_state=seed
    )
    test_index, validation_index = train_test_split(
        rest,
        test_size=(validation_end - train_fraction) / (1 - train_fraction),
        stratify=[labels[i] for i in rest],
        random_state=seed,
    )
    train, validation, test = (
        [sessions[i] for i in sorted(part)] for part in (train_index, validation_index, test_index)
    )
    info = _hdfs_labelled_info(sessions, train, validation, test, templates)
    info.update(seed=seed, fractions=[train_fraction, validation_end - train_fraction])
    return ProtocolData(
        name="HDFS-RANDOM",
        description="raw HDFS 2% sample parsed by our miner; blocks split at random (seeded, "
        f"stratified by label): {train_fraction:.0%} train (both labels), "
        f"{validation_end - train_fraction:.0%} calibrate, {1 - validation_end:.0%} test",
        train=train,
        test=test,
        info=info,
        validation=validation,
        templates=templates,
    )


def _hdfs_blocks(data_dir: Path, work_dir: Path) -> tuple[list[Session], dict[str, str] | None]:
    """B's labelled blocks (the same cache) and the parse run's template set."""
    sessions = _parse_and_sessionize(data_dir, work_dir / "protocol_b", None)
    raw = read_file_metadata(work_dir / "protocol_b" / "sessions.parquet").get(TEMPLATE_SET_KEY)
    templates = json.loads(raw).get("templates") if raw else None
    return sessions, templates


def _hdfs_labelled_info(
    sessions: list[Session],
    train: list[Session],
    validation: list[Session],
    test: list[Session],
    templates: dict[str, str] | None,
) -> dict[str, Any]:
    info = _counts(train, test)
    info.update(
        target="binary",
        n_sessions=len(sessions),
        n_train_anomalies=sum(s.label == ANOMALY for s in train),
        n_validation=len(validation),
        n_validation_anomalies=sum(s.label == ANOMALY for s in validation),
        n_templates=len(templates or {}),
    )
    return info


def protocol_adfa(data_dir: str | Path, work_dir: str | Path | None = None) -> ProtocolData:
    """ADFA-LD: train on the 833 normal traces, test on 4,372 normal + 746 attack traces."""
    train, normal, attack, types = read_adfa(Path(data_dir) / ADFA_DIR)
    test = normal + attack
    info = _counts(train, test)
    info.update(
        n_test_normal=len(normal),
        attack_types=dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))),
    )
    return ProtocolData(
        name="ADFA",
        description="ADFA-LD system calls; train `train` (normal), test `validation_normal` + "
        "`attack`",
        train=train,
        test=test,
        info=info,
    )


def read_adfa(folder: str | Path) -> tuple[list[Session], list[Session], list[Session], dict]:
    """(train, validation_normal, attack) sessions of an ADFA-LD folder and attacks per type.

    Every file holds one trace a line (system-call numbers separated by spaces);
    `attack_labels.csv` (`line,attack_type,attack_run,file`, line 0-based) names each attack
    trace, in the order of `attack`. Session ids are `<file>/<line>` (for attacks
    `attack/<run>/<trace file>`).
    """
    folder = Path(folder)
    train = _read_traces(_need(folder / "train"), "normal")
    normal = _read_traces(_need(folder / "validation_normal"), "normal")
    attack = _read_traces(_need(folder / "attack"), "anomaly")
    labels = _need(folder / ADFA_ATTACK_LABELS)
    with open(labels, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    needed = {"line", "attack_type", "attack_run", "file"}
    if rows and not needed <= set(rows[0]):
        raise LogbertError(f"{labels}: needs the columns {', '.join(sorted(needed))}")
    if len(rows) != len(attack):
        raise LogbertError(
            f"{labels} names {len(rows)} attack traces but {folder / 'attack'} holds "
            f"{len(attack)}; the two files must match line for line"
        )
    types: dict[str, int] = {}
    for index, (row, session) in enumerate(zip(rows, attack, strict=True)):
        if row["line"].strip() != str(index):
            raise LogbertError(f"{labels}: row {index + 2} names line {row['line']}, not {index}")
        session.session_id = f"attack/{row['attack_run']}/{row['file']}"
        session.categories = [row["attack_type"]]  # the label stays "anomaly"
        types[row["attack_type"]] = types.get(row["attack_type"], 0) + 1
    return train, normal, attack, types


def _read_traces(path: Path, label: str) -> list[Session]:
    sessions = []
    with open(path, encoding="utf-8") as handle:
        for index, line in enumerate(handle):
            try:
                keys = [int(word) for word in line.split()]
            except ValueError as exc:
                raise LogbertError(
                    f"{path}:{index + 1}: not a trace of system-call numbers ({exc})"
                ) from exc
            if not keys:
                raise LogbertError(f"{path}:{index + 1}: empty trace")
            sessions.append(Session(f"{path.name}/{index}", keys, label, n_lines=len(keys)))
    return sessions


def protocol_bgl_2k(data_dir: str | Path, work_dir: str | Path) -> ProtocolData:
    """BGL 2k sample: 5-minute windows; train normal windows of the first 60%, test the rest."""
    data_dir, work_dir = Path(data_dir), Path(work_dir)
    sessions = _bgl_2k_windows(data_dir, work_dir / f"bgl_2k_{BGL_2K_WINDOW}")
    first, second, cut = split_by_time(sessions, BGL_2K_TRAIN_FRACTION)
    train = [s for s in first if s.label == NORMAL]
    info = _counts(train, second)
    info.update(
        window=BGL_2K_WINDOW,
        train_fraction=BGL_2K_TRAIN_FRACTION,
        cut=cut.isoformat(),
        n_windows=len(sessions),
        n_lines=sum(len(s.keys) for s in sessions),
        first_part_anomalies_left_out=sum(s.label == ANOMALY for s in first),
    )
    return ProtocolData(
        name="BGL-2K",
        description=f"BGL 2k sample, {BGL_2K_WINDOW} windows; train normal windows of the first "
        f"{BGL_2K_TRAIN_FRACTION:.0%} of the time span, test every later window",
        train=train,
        test=second,
        info=info,
    )


def protocol_adfa_types(
    data_dir: str | Path, work_dir: str | Path | None = None, seed: int = 0
) -> ProtocolData:
    """ADFA-LD attack types (multi-class): seeded stratified halves of validation_normal +
    attack; `train` is labelled (normal and every attack type)."""
    _, normal, attack, types = read_adfa(Path(data_dir) / ADFA_DIR)
    pool = normal + attack
    classes = [s.categories[0] if s.categories else NORMAL for s in pool]
    train_index, test_index = train_test_split(
        list(range(len(pool))),
        test_size=ADFA_TYPES_TEST_FRACTION,
        stratify=classes,
        random_state=seed,
    )
    train, test = [pool[i] for i in sorted(train_index)], [pool[i] for i in sorted(test_index)]
    info = _counts(train, test)
    info.update(
        target="multiclass",
        seed=seed,
        test_fraction=ADFA_TYPES_TEST_FRACTION,
        n_train_anomalies=sum(s.label == ANOMALY for s in train),
        classes=_class_counts(train, test),
        attack_types=dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))),
    )
    return ProtocolData(
        name="ADFA-TYPES",
        description="ADFA-LD attack types (multi-class): seeded stratified halves of "
        "`validation_normal` + `attack`, train on one, test on the other",
        train=train,
        test=test,
        info=info,
    )


def protocol_bgl_2k_categories(data_dir: str | Path, work_dir: str | Path) -> ProtocolData:
    """BGL 2k windows by alert category (multi-label): every window of the first 60% of the
    time span trains (labelled), the rest test."""
    data_dir, work_dir = Path(data_dir), Path(work_dir)
    # its own cache: windows written before categories existed have no `labels` column
    sessions = _bgl_2k_windows(data_dir, work_dir / f"bgl_2k_{BGL_2K_WINDOW}_categories")
    first, second, cut = split_by_time(sessions, BGL_2K_TRAIN_FRACTION)
    info = _counts(first, second)
    info.update(
        target="multilabel",
        window=BGL_2K_WINDOW,
        train_fraction=BGL_2K_TRAIN_FRACTION,
        cut=cut.isoformat(),
        n_windows=len(sessions),
        n_train_anomalies=sum(s.label == ANOMALY for s in first),
        classes=_class_counts(first, second),
    )
    return ProtocolData(
        name="BGL-2K-CATEGORIES",
        description=f"BGL 2k sample, {BGL_2K_WINDOW} windows by alert category (multi-label); "
        f"train every window of the first {BGL_2K_TRAIN_FRACTION:.0%} of the time span, test "
        "every later window",
        train=first,
        test=second,
        info=info,
    )


def _class_counts(train: list[Session], test: list[Session]) -> dict[str, dict[str, int]]:
    """Sessions per category (`normal`: sessions without one) in each part."""
    out: dict[str, dict[str, int]] = {}
    for part, sessions in (("train", train), ("test", test)):
        for session in sessions:
            for name in session_categories(session) or [NORMAL]:
                counts = out.setdefault(name, {"train": 0, "test": 0})
                counts[part] += 1
    return dict(sorted(out.items()))


def _bgl_2k_windows(data_dir: Path, out: Path) -> list[Session]:
    """The BGL 2k sample in 5-minute windows (parsed and sessionized once, cached in `out`)."""
    raw = _need(data_dir / BGL_2K_RAW)

    def build(sessions_path: Path) -> None:
        events = out / "events.parquet"
        parse_files([str(raw)], resolve_format("bgl"), events)
        stats = SessionizeStats()
        sessions = sessionize_by_window(events, parse_duration(BGL_2K_WINDOW), stats)
        write_sessions(sessions, sessions_path, metadata=events_metadata(events))

    return _labelled(read_sessions(_cached(out, [raw], build)), f"the label column of {raw}")


def split_by_time(
    sessions: list[Session], fraction: float = 0.5
) -> tuple[list[Session], list[Session], Any]:
    """Sessions whose first line falls before / after `fraction` of the whole time span
    (0.5: the midpoint, protocol B)."""
    (first, second), (midpoint,) = split_chronologically(sessions, (fraction,))
    return first, second, midpoint


def split_chronologically(
    sessions: list[Session], cuts: tuple[float, ...]
) -> tuple[list[list[Session]], list[datetime]]:
    """Sessions in len(cuts) + 1 parts by start time, and the cut times.

    The time span runs from the first session start to the last session end (a session
    without an end counts by its start); cut k sits at `cuts[k]` of it, and a session belongs
    to the part its start falls in (a start equal to a cut goes to the later part). Input
    order is kept inside each part; open sessions are not treated apart (they are sessions
    like the others, usually the latest).
    """
    if any(not 0 < c < 1 for c in cuts) or list(cuts) != sorted(set(cuts)):
        raise LogbertError(f"time cuts must increase strictly within (0, 1), got {cuts}")
    starts = [s.start for s in sessions if s.start is not None]
    ends = [s.end or s.start for s in sessions if s.start is not None]
    if len(starts) != len(sessions) or not sessions:
        raise LogbertError("a time split needs session start times; sessionize gave none")
    first, span = min(starts), max(ends) - min(starts)
    times = [first + span * c for c in cuts]
    parts: list[list[Session]] = [[] for _ in range(len(cuts) + 1)]
    for session in sessions:
        parts[sum(session.start >= t for t in times)].append(session)
    return parts, times


def _parse_and_sessionize(data_dir: Path, out: Path, templates: Path | None) -> list[Session]:
    """The HDFS 2% sample's labelled blocks (parsed and sessionized once, cached in `out`)."""
    raw, labels_csv = _need(data_dir / HDFS_RAW), _need(data_dir / HDFS_LABELS)

    def build(sessions_path: Path) -> None:
        events = out / "events.parquet"
        parse_files([str(raw)], resolve_format("hdfs"), events, templates=templates)
        labels = read_labels(labels_csv)
        sessions = sessionize_by_id(events, BLOCK_ID, SessionizeStats(), labels)
        write_sessions(sessions, sessions_path, metadata=events_metadata(events))

    inputs = [raw, labels_csv] + ([templates] if templates is not None else [])
    return _labelled(read_sessions(_cached(out, inputs, build)), labels_csv)


def _cached(out: Path, inputs: list[Path], build: Callable[[Path], None]) -> Path:
    """`out/sessions.parquet`, reused when `out/cache.json` says it was built from `inputs` as
    they are now by this `CACHE_VERSION`, else built again by `build(path)` (saying why).

    The cache folder is shared (by default every checkout and data folder use the same one),
    so a cache of other data must never pass for this data's. The record is written last and
    removed before a rebuild: a build cut short leaves no record, so the next run rebuilds.
    """
    sessions_path, record = out / "sessions.parquet", out / CACHE_RECORD
    wanted = {"cache_version": CACHE_VERSION, "inputs": [_file_record(p) for p in inputs]}
    if sessions_path.exists():
        reason = _stale_reason(record, wanted)
        if reason is None:
            return sessions_path
        _say(f"protocol cache {out}: {reason}; rebuilding it")
    out.mkdir(parents=True, exist_ok=True)
    record.unlink(missing_ok=True)
    tmp = out / "sessions.tmp.parquet"
    build(tmp)
    tmp.replace(sessions_path)
    record.write_text(json.dumps(wanted, indent=2) + "\n", encoding="utf-8")
    return sessions_path


def _file_record(path: Path) -> dict[str, Any]:
    """What identifies an input file cheaply (no hash: the HDFS sample is large)."""
    stat = path.stat()
    return {"path": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _stale_reason(record: Path, wanted: dict[str, Any]) -> str | None:
    """Why the cache recorded in `record` is not the one `wanted` (None: it is)."""
    try:
        built = json.loads(record.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "it records no inputs (written by an older logbert, or its build was cut short)"
    except (OSError, ValueError) as exc:
        return f"its record {record} is unreadable ({exc})"
    if not isinstance(built, dict):
        return f"its record {record} is not a JSON object"
    if built.get("cache_version") != CACHE_VERSION:
        return (
            f"it was built by cache version {built.get('cache_version')}, this code writes "
            f"version {CACHE_VERSION}"
        )
    old, new = built.get("inputs"), wanted["inputs"]
    if old == new:
        return None
    if not isinstance(old, list) or not all(isinstance(f, dict) for f in old):
        return f"its record {record} lists no inputs"
    old_paths, new_paths = [f.get("path") for f in old], [f["path"] for f in new]
    if old_paths != new_paths:
        return (
            f"it was built from {', '.join(map(str, old_paths)) or 'no file'}, not "
            f"{', '.join(new_paths)}"
        )
    changed = next(f for f, o in zip(new, old, strict=True) if f != o)
    return f"{changed['path']} changed since it was built (size or modification time)"


def _say(line: str) -> None:
    """A note on stderr, as the CLI's own notes (stdout stays the result)."""
    print(line, file=sys.stderr)


def _labelled(sessions: list[Session], source: str | Path) -> list[Session]:
    """`sessions`, every one labelled from `source` (a labels file, or a log's label
    column); else an error naming it and the first session it lacks: a test session without
    a label cannot be counted as caught or missed."""
    unlabelled = [s.session_id for s in sessions if s.label is None]
    if unlabelled:
        raise LogbertError(
            f"{len(unlabelled):,} test {'session has' if len(unlabelled) == 1 else 'sessions have'}"
            f" no label in {source} (the first: "
            f"{unlabelled[0]!r}): check that it labels every session of the log"
        )
    return sessions


def _need(path: Path) -> Path:
    if not path.exists():
        raise LogbertError(
            f"dataset file not found: {path} (point LOGBERT_DATA, or `logbert benchmark "
            "--data-dir`, at the datasets folder)"
        )
    return path


def _counts(train: list[Session], test: list[Session]) -> dict[str, Any]:
    return {
        "n_train": len(train),
        "n_test": len(test),
        "n_test_anomalies": sum(s.label == ANOMALY for s in test),
    }
