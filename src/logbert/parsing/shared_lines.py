"""Lines one input shares with another, word for word: a log that holds another's lines.

Some services write the same lines to two files of one folder: Icinga 2's `debug.log` repeats
every line of its `icinga2.log`, ClickHouse's `clickhouse-server.err.log` every error line of
`clickhouse-server.log`, rsyslog's `messages` much of `syslog`. A user passes the folder, and
those events are read twice: counts doubled, sessions holding each event twice, a threshold
calibrated on them (QA Icinga: recall 0.95 to 0.80, exit 0, no word said). Reading both can
be right (the debug lines are only in one), so this is a warning that names the pair.

Lines are compared by a sample chosen by their content, alike in every file: a line is
sampled where its length and four of its bytes (at 18 and 24, where a time's seconds often
stand, its middle and near its end) sum to a multiple of `SAMPLE_MOD` (about one line in 16;
fewer where lines are alike), or where it names an error or a warning (`SEVERE_WORDS`), and its
CRC-32 is kept. The bytes are read from Arrow's buffers by numpy, so only the sampled lines
become Python strings: a few per cent of a parse's time, spent only when there are several
inputs. The error lines are sampled whole because an error log is often a few lines long
(Riak's lager copies each `[error]` line of `console.log` to `error.log`: 4 to 17 lines in a
blind QA run, too few for a one-in-16 sample to see); an input every line of which was
sampled is judged from `WHOLE_MIN` lines.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SAMPLE_MOD = 16
_FIXED_BYTES = np.array([18, 24])
# an input whose sampled distinct lines are at least this share in another input's sample
SHARED_SHARE = 0.5
SHARED_MIN = 20  # ... and at least this many of them (a short file's few lines prove little)
WHOLE_MIN = 3  # ... or this many, where every line of the input was sampled (its lines, not a
# sample of them, are in the other input)
# words of the lines an error log repeats, sampled whatever their bytes (RE2, as Arrow reads it)
SEVERE_WORDS = r"(?i)err|warn|crit|fatal|fail|panic|emerg|severe|exception"


class LineSample(NamedTuple):
    """The CRC-32s of a chunk's sampled lines, and whether every line of it was sampled."""

    crcs: set[int]
    whole: bool


def line_sample(lines: pa.Array) -> LineSample:
    """The sampled lines of a chunk (see the module doc); empty and null lines are never
    sampled and do not count against `whole`."""
    if len(lines) == 0:
        return LineSample(set(), True)
    buffers = lines.buffers()
    width = np.int64 if pa.types.is_large_string(lines.type) else np.int32  # (a huge block's)
    offsets = np.frombuffer(buffers[1], width)[lines.offset : lines.offset + len(lines) + 1]
    starts, lengths = offsets[:-1].astype(np.int64), np.diff(offsets).astype(np.int64)
    if buffers[2] is None or not lengths.any():
        return LineSample(set(), True)
    data = np.frombuffer(buffers[2], np.uint8)
    last = np.maximum(lengths - 1, 0)[:, None]
    at = np.concatenate(
        [np.minimum(_FIXED_BYTES, last), lengths[:, None] // 2, np.maximum(last - 2, 0)], axis=1
    )
    key = data[np.minimum(starts[:, None] + at, len(data) - 1)].sum(axis=1, dtype=np.int64)
    severe = pc.match_substring_regex(lines, SEVERE_WORDS).fill_null(False)
    candidates = lengths > 0
    if lines.null_count:
        candidates &= lines.is_valid().to_numpy(zero_copy_only=False)
    chosen = ((key * 7 + lengths) % SAMPLE_MOD == 0) | severe.to_numpy(zero_copy_only=False)
    chosen &= candidates
    texts = lines.filter(pa.array(chosen)).to_pylist()
    whole = bool(chosen.sum() == candidates.sum())
    return LineSample({zlib.crc32(t.encode("utf-8", "surrogateescape")) for t in texts}, whole)


@dataclass
class SharedLines:
    """Each input's sampled lines (`line_sample`), added chunk by chunk in input order."""

    samples: dict[str, set[int]] = field(default_factory=dict)
    partly_sampled: set[str] = field(default_factory=set)  # inputs with a line not sampled

    def add(self, name: str, sample: LineSample) -> None:
        self.samples.setdefault(name, set()).update(sample.crcs)
        if not sample.whole:
            self.partly_sampled.add(name)

    def _judged(self, name: str) -> bool:
        """Whether `name`'s sample holds enough lines to judge it by."""
        least = SHARED_MIN if name in self.partly_sampled else WHOLE_MIN
        return len(self.samples[name]) >= least

    def warning(self, lines: dict[str, int], left_out: set[str] = frozenset()) -> str | None:
        """`warning: ...` naming the input most of whose lines another input holds too, with
        how many more such inputs there are; None when none does. `lines`: each input's line
        count; `left_out`: inputs already named as copies (`Parser._note_same_start`)."""
        names = [n for n in self.samples if n not in left_out]
        found: list[tuple[float, str, str]] = []
        for name in filter(self._judged, names):
            own = self.samples[name]
            best = max(
                ((len(own & self.samples[other]) / len(own), other)
                 for other in names if other != name),
                default=None,
            )  # fmt: skip
            if best is not None and best[0] >= SHARED_SHARE:
                found.append((best[0], name, best[1]))
        if not found:
            return None
        # a pair once, the smaller input named as the one held (both hold the other's sample
        # where a file repeats another whole)
        found.sort(key=lambda f: (-f[0], lines.get(f[1], 0), f[1]))
        pairs = {frozenset((name, other)) for _, name, other in found}
        share, name, other = found[0]
        more = len(pairs) - 1
        estimate = int(np.round(share * lines.get(name, 0), -1)) if lines.get(name) else 0
        about = f", about {estimate:,} lines" if estimate else ""
        return (
            f"warning: {share:.0%} of the lines of {name} (by a sample{about}) are also in "
            f"{other}, "
            "word for "
            "word (time and all)"
            + (f" ({more:,} more such inputs)" if more else "")
            + ": one log holds the other's lines (Icinga 2's debug.log repeats icinga2.log, "
            "ClickHouse's err.log the errors of its server log, lager's error.log those of "
            "its console.log, rsyslog's messages its syslog)? Those events are read twice, "
            "in counts and sessions alike; pass the files themselves, one of the two left "
            "out, unless the other's own lines are wanted too"
        )
