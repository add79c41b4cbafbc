"""What blind QA round 133 (Mumble, Privoxy, Radicale, Gitolite) found in reading each log's
lines, and what they read as now."""

from __future__ import annotations

from logbert.parsing.masks import mask_text


def test_webdavs_statuses_keep_their_class_with_their_reason():
    """QA Radicale: a CalDAV `207 Multi-Status` was `<*> Multi-Status` where every other
    status with its reason was a class (`2xx OK`)."""
    line = "REPORT response status for '/x/calendar/' with depth '1' in 0.082 seconds: {}"
    assert mask_text(line.format("207 Multi-Status")).endswith("seconds: 2xx Multi-Status")
    assert mask_text(line.format("423 Locked")).endswith("seconds: 4xx Locked")
    assert mask_text(line.format("507 Insufficient Storage")).endswith(": 5xx Insufficient Storage")
