"""What blind QA round 102 (MaxScale, YugabyteDB, Rocket.Chat, Tyk) found in reading each log's
lines, and what they read as now."""

from __future__ import annotations

import pytest

from logbert.errors import LogbertError
from logbert.parsing.auto import layout_of

# Tyk's gateway: logrus's text formatter with Go's time.Stamp, `Jan 02 15:04:05`, no year
TYK = [
    'time="Dec 05 06:00:0{i}" level=info msg="Tyk API Gateway 5.3.1" prefix=main',
    'time="Dec 05 06:00:0{i}" level=info msg="Starting Poller" prefix=host-check-mgr',
    'time="Dec 05 06:00:0{i}" level=warning msg="Key rate limit exceeded." api_id=b1a4 '
    "key=854c616b19abe66f mw=RateLimitAndQuotaCheck path=/orders/74009",
]


def test_auto_reads_logrus_lines_with_gos_stamp_time(log_parsed):
    """QA Tyk: `auto` refused every line ("no built-in format reads a timestamp"), pointing at a
    format string that cannot read key=value pairs; logfmt reads them given the layout."""
    lines = [line.format(i=i) for i in range(3) for line in TYK]
    events, summary = log_parsed(lines, "auto", year=2026)
    assert summary.notes[0].startswith("format auto: chose logfmt (9/9 lines with a timestamp")
    assert "with --timestamp-format '%b %d %H:%M:%S'" in summary.notes[0]
    assert events["timestamp"][0].isoformat() == "2026-12-05T06:00:00"
    assert events["Level"][2] == "warning"


def test_logfmt_given_such_lines_names_the_layout_to_pass(log_parsed):
    """QA Tyk: `--format logfmt` said only "pass --timestamp-format (e.g. '%Y-%m-%d ...')"."""
    with pytest.raises(LogbertError, match=r"pass --timestamp-format '%b %d %H:%M:%S', which"):
        log_parsed([line.format(i=1) for line in TYK], "logfmt", year=2026)


@pytest.mark.parametrize(
    ("value", "layout"),
    [
        ("Dec 05 06:00:00", "%b %d %H:%M:%S"),
        ("Feb 29 06:00:00.123", "%b %d %H:%M:%S.%f"),
        ("2026/12/05 06:00:00", "%Y/%m/%d %H:%M:%S"),
        ("05/12/2026 06:00:00", None),  # day and month: not guessed
    ],
)
def test_layout_of_a_time_value(value, layout):
    assert layout_of(value) == layout
