"""What blind QA round 124 (OpenSMTPD, Monit, Shibboleth, Mesos) found in reading each log's
lines and files, and what they read as now."""

from __future__ import annotations

from datetime import datetime

import pyarrow.parquet as pq
import pytest

from logbert.errors import LogbertError
from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files

AUDIT = [  # Shibboleth's idp-audit.log: the time in ISO 8601's basic format
    "20261201T050021Z|urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect|_5ef4|https://wiki",
    "20261201T050053.25Z|urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect|_aedf|https://zoom",
    "20261201T060053+0100|urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect|_aedf|https://zoom",
]


def test_iso_8601_basic_times_are_read_as_iso_8601_with_their_offset(tmp_path):
    """QA Shibboleth: `20261201T050021Z` was refused as not ISO 8601, and read with
    --timestamp-format the note said its times had no UTC offset (every one ends in `Z`)."""
    log = tmp_path / "idp-audit.log"
    log.write_text("\n".join(AUDIT) + "\n")
    for options in ({}, {"timestamp_format": "%Y%m%dT%H%M%S%z"}):
        fmt = resolve_format("<Timestamp>|<Content>", **options)
        summary = parse_files([str(log)], fmt, tmp_path / "e.parquet")
        times = pq.read_table(tmp_path / "e.parquet").column("timestamp").to_pylist()
        assert times[0] == datetime(2026, 12, 1, 5, 0, 21), options
        assert times[2] == datetime(2026, 12, 1, 5, 0, 53), options
        assert times[1] == datetime(2026, 12, 1, 5, 0, 53, 250000), options
        assert not [n for n in summary.notes if "without a UTC offset" in n], options
    digits = tmp_path / "digits.log"  # a run of digits is no time: a `T` and seconds it needs
    digits.write_text("20261201050021|a b\n")
    with pytest.raises(LogbertError, match="read no timestamp"):
        parse_files([str(digits)], resolve_format("<Timestamp>|<Content>"), tmp_path / "d.pq")


def test_events_in_templates_of_no_word_are_a_warning(tmp_path):
    """QA Shibboleth: the audit log's records (a URL, ids and names between `|`) were one
    `<*>` template, CAS logins and ticket validations one event, exit 0 and no word."""
    lines = [
        f"20261201T05{i // 60:02d}{i % 60:02d}Z|https://idp.example.edu/idp/profile/cas/"
        f"{'login' if i % 2 else 'serviceValidate'}||https://mail.example.edu/{i}|ST-{i}-abc"
        for i in range(40)
    ]
    log = tmp_path / "idp-audit.log"
    log.write_text("\n".join(lines) + "\n")
    summary = parse_files([str(log)], resolve_format("<Timestamp>|<Content>"), tmp_path / "e.pq")
    warning = next(w for w in summary.warnings if "templates with no word" in w)
    assert warning.startswith("warning: 40 of 40 events (100%) are in templates with no word")
    # a log of words: none (loghub's twelve systems give none either)
    words = tmp_path / "words.log"
    words.write_text("".join(f"20261201T0500{i:02d}Z|user {i} logged in\n" for i in range(40)))
    summary = parse_files([str(words)], resolve_format("<Timestamp>|<Content>"), tmp_path / "w.pq")
    assert not [w for w in summary.warnings if "no word" in w]


def test_an_smtp_reply_first_in_a_commands_result_keeps_its_class(masked_alike):
    """QA OpenSMTPD: `result="550 Invalid recipient: <x>"` masked the code, so a temporary
    452 was a permanent 550's event."""
    line = 'cf11f25942b06edc smtp failed-command command="RCPT TO:<x@y.z>" result="{} Invalid r"'
    permanent, temporary, other = masked_alike([line.format(550), line.format(452),
                                                line.format(551)])  # fmt: skip
    assert permanent == other and 'result="5xx Invalid r"' in permanent
    assert temporary != permanent
