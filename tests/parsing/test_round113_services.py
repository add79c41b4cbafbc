"""What blind QA round 113 (Longhorn, SpamAssassin, Frigate, Superset) found in reading each
log's lines, and what they read as now."""

from __future__ import annotations

from logbert.parsing.auto import rank_formats
from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files

SUPERSET = [
    f"2026-03-02 00:{i // 60:02d}:{i % 60:02d},862:INFO:superset.views.core:Dashboard {i % 7} "
    "viewed by alice.ng"
    for i in range(60)
] + [
    "[2026-03-02 00:44:32 +0000] [26] [INFO] Autorestarting worker after current request.",
    "[2026-03-02 00:44:33 +0000] [26] [INFO] Worker exiting (pid: 26)",
]


def test_a_date_read_without_the_time_after_it_is_a_misread(tmp_path):
    """QA Superset: `auto` chose `iso` for `2026-03-02 00:00:09,862:INFO:superset...:msg`
    (two gunicorn lines among them), which read the date alone: every line at midnight, the
    time of day every message's first word, and nothing said; `certbot` reads the lines."""
    assert rank_formats(SUPERSET)[0].name == "certbot"
    log = tmp_path / "superset.log"
    log.write_text("\n".join(SUPERSET) + "\n")
    summary = parse_files([str(log)], resolve_format("iso"), tmp_path / "e.parquet")
    (midnight,) = [w for w in summary.warnings if "at midnight" in w]
    assert midnight.startswith("warning: timestamps: 60 of 62 dated lines are at midnight")


def test_the_rules_a_message_hit_are_one_value(masked_alike):
    """QA SpamAssassin: spamd's `result:` line, one per message, was a template per combination
    of the rules it hit (2,598 templates of one event): every ordinary mail with a new
    combination a new event."""
    results = masked_alike([
        f"spamd: result: {verdict} {score} - {rules} scantime=0.7,size=4114,user=alice,uid=1001,"
        "required_score=5.0,rhost=localhost,raddr=127.0.0.1,rport=50630"
        for verdict, score, rules in ((".", "-1", "RCVD_IN_DNSWL_NONE,T_SCC_BODY_TEXT_LINE"),
                                      (".", "0", "BAYES_05,DKIM_SIGNED,SPF_PASS"),
                                      ("Y", "12", "HTML_IMAGE_ONLY_16,URIBL_DBL_SPAM"))  # fmt: skip
    ])  # fmt: skip
    assert results[0] == results[1] and results[0].startswith("spamd: result: . <*> - <*> scan")
    assert results[2].startswith("spamd: result: Y <*> - <*> scantime=")
    (header,) = masked_alike(["X-Spam-Status: No, score=-1.9 required=5.0 tests=BAYES_00,"
                              "DKIM_SIGNED,SPF_PASS autolearn=ham"])  # fmt: skip
    assert "tests=<*> autolearn=ham" in header


def test_logfmt_after_its_process_in_brackets_is_read_as_logfmt(tmp_path):
    """QA Longhorn: the instance manager's `[pvc-...-r-fd4940cc] time="..." level=info msg=...`
    was refused by `auto` and `logfmt`, and the advised `[<Component>] <Content>` read no
    time, exit 0."""
    lines = [
        f'[{process}] time="2026-11-24T12:00:{i:02d}Z" level=info msg="{msg}"'
        for i, (process, msg) in enumerate((
            ("longhorn-instance-manager", "Process Manager: prepare to create process x"),
            ("pvc-693004ee-27e3-4a75-90a1-aa74385d1ba2-r-fd4940cc", "Creating replica"),
        ) * 3)
    ]  # fmt: skip
    assert rank_formats(lines)[0].name == "logfmt"
    log = tmp_path / "im.log"
    log.write_text("\n".join(lines) + "\n")
    parse_files([str(log)], resolve_format("logfmt"), tmp_path / "e.parquet")
    import pyarrow.parquet as pq

    events = pq.read_table(tmp_path / "e.parquet").to_pydict()
    assert None not in events["timestamp"]
    assert events["template"][1] == "info Creating replica process=pvc-<*>-r-<*>"
