"""QA round 42 (CEF, Serilog, lighttpd, Exchange message tracking, NetworkManager): what each
log's first run got wrong, as a new user met it."""

from __future__ import annotations

from logbert.parsing.auto import looks_like_continuation
from logbert.parsing.miner import TemplateMiner


def test_an_http_client_s_status_after_its_time_keeps_its_class(masked_alike):
    """QA Serilog: .NET's HttpClient `... headers after 23.9132ms - 503` was a 200's event."""
    assert masked_alike([
        "[INF] Received HTTP response headers after 23.9132ms - 503",
        "[INF] End processing HTTP request after 124.1ms - 200",
    ]) == [
        "[INF] Received HTTP response headers after <*> - 5xx",
        "[INF] End processing HTTP request after <*> - 2xx",
    ]  # fmt: skip


def test_asp_net_core_s_endpoints_and_actions_are_events(masked_alike):
    """QA Serilog: `Executing endpoint <*>'` and `Executed action <*> (Shop.Api)` made every
    controller action one event, a failing logout a login's."""
    actions = ["Orders.Get", "Orders.Create", "Auth.Login", "Auth.Logout", "Products.List"]
    lines = [
        f"Executing endpoint 'Shop.Api.Controllers.{a.replace('.', 'Controller.')} (Shop.Api)'"
        for a in actions
    ]
    masked = masked_alike(lines)
    assert masked == lines  # the endpoint's words kept, not one quoted value
    miner = TemplateMiner()
    assert len(set(miner.add(masked * 3))) == len(actions)


def test_ef_core_s_sql_under_its_command_is_a_continuation():
    """QA Serilog: `FROM [Products] AS [p]` under `Executed DbCommand` was a line "that does
    not look like a continuation line", 25% of the log."""
    assert looks_like_continuation("FROM [Products] AS [p]")
    assert looks_like_continuation("WHERE [o].[Id] = @__id_0")
    assert not looks_like_continuation("Fromage delivered")


def test_a_radio_s_signal_strength_is_a_value_a_process_s_signal_is_not(masked_alike):
    """QA NetworkManager: `signal=-73` (dBm) was kept as a process signal's number: a template
    per dBm value, ngram's F1 0.00; `killed by signal 15` stays an outcome."""
    weak, strong, killed = masked_alike([
        "wlp0s20f3: CTRL-EVENT-SIGNAL-CHANGE above=1 signal=-73 noise=9999 txrate=1200900",
        "wlp0s20f3: CTRL-EVENT-SIGNAL-CHANGE above=0 signal=-50 noise=9999 txrate=286700",
        "worker killed by signal 15",
    ])  # fmt: skip
    assert weak == strong and "signal=<*>" in weak and killed.endswith("signal 15")


def test_a_transition_from_a_state_a_digit_leads_is_an_event():
    """QA NetworkManager: `supplicant interface state: 4way_handshake -> disconnected` (a wrong
    key) was one event with nine other transitions."""
    sides = [("associating", "4way_handshake"), ("4way_handshake", "completed"),
             ("4way_handshake", "disconnected"), ("scanning", "associating")]  # fmt: skip
    lines = [f"device (<*>): supplicant interface state: {a} -> {b}" for a, b in sides]
    assert len(set(TemplateMiner().add(lines * 3))) == len(sides)


def test_journalctl_s_markers_are_no_rejects_and_an_empty_export_no_error(tmp_path):
    """QA NetworkManager: `-- Boot ... --` lines were rejects, and an idle laptop's export,
    `-- No entries --`, stopped `parse --format auto` for the whole folder."""
    from logbert.parsing.formats import resolve_format
    from logbert.parsing.pipeline import parse_files

    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "a.log").write_text(
        "-- Boot 13a0df292fd4a021397a0a3e9a6a0eab --\n"
        "Nov 23 08:47:52.735985 laptop-ana NetworkManager[777]: <info>  [1795427272.7360] "
        "NetworkManager (version 1.46.0) is starting...\n"
        "Nov 23 08:47:53.735985 laptop-ana NetworkManager[777]: <info>  [1795427273.7360] "
        "manager: startup complete\n"
    )
    (tmp_path / "logs" / "b.log").write_text("-- No entries --\n")
    summary = parse_files([str(tmp_path / "logs" / n) for n in ("a.log", "b.log")],
                          resolve_format("auto", year=2026), tmp_path / "e.parquet")  # fmt: skip
    assert (summary.rejected, summary.directives) == (0, 2)


def test_network_manager_s_epoch_tells_a_local_header(log_parsed):
    """QA NetworkManager: a CET journal's header against NM's own UTC epoch went unsaid."""
    _, summary = log_parsed([  # 08:47:52 CET is 07:47:52 UTC, 1795420072
        f"Nov 23 08:47:5{i} laptop-ana NetworkManager[777]: <info>  [179542007{i}.7360] "
        f"manager: step {i}"
        for i in range(2, 8)
    ], "linux", year=2026)  # fmt: skip
    assert any("the header is in local time (UTC+01:00)" in w for w in summary.warnings)


def test_an_exchange_row_of_as_many_words_as_fields_is_still_csv():
    """QA Exchange: a row whose spaces made exactly as many words as its 30 fields was read
    field by field at spaces (0.2% of rows, a rejected phishing mail's among them)."""
    import pyarrow as pa

    from logbert.parsing.w3c import split_w3c_lines

    fields = ("date-time", "client-ip", "event-id", "message-subject")
    row = "2026-12-04T10:32:14.820Z,10.0.0.5,SEND,Quarterly report"  # 4 words, 4 fields
    ok, cols = split_w3c_lines(pa.array(["#Fields: " + ",".join(fields), row]))
    assert ok.tolist() == [False, True]
    assert cols["Timestamp"].to_pylist() == ["2026-12-04T10:32:14.820Z"]
    assert "event-id=SEND" in cols["Content"][0].as_py()


def test_one_request_whose_quote_cut_its_path_leaves_the_endpoints_apart():
    """QA lighttpd: one `"GET /search.php?q=a\\"b HTTP/1.1"` in training made every endpoint
    one `"GET <*> HTTP/<*>" 2xx` event, and a 200-answered probe of /phpmyadmin a known one."""
    from logbert.parsing.masks import mask_text

    paths = ["/", "/cart.php", "/product.php?id=1", "/static/app.css", "/account.php"]
    lines = [f'"GET {p} HTTP/1.1" 200 5521' for p in paths] * 3
    lines.append('"GET /search.php?q=a\\"b HTTP/1.1" 200 5521')
    ids = TemplateMiner().add([mask_text(line) for line in lines])
    assert len(set(ids[:5])) == 5


def test_an_empty_request_line_keeps_its_status_class(masked_alike):
    """QA lighttpd: `"-" 408` (a slow client) and `"-" 400` were one `"-" <*>` event."""
    assert masked_alike(['1.2.3.4 - - "-" 408 0 "-" "-"', '1.2.3.4 - - "-" 200 0 "-" "-"']) == [
        '<*> - - "-" 4xx <*> "-" "-"', '<*> - - "-" 2xx <*> "-" "-"'
    ]


def test_cef_s_users_and_hosts_are_values_and_its_receipt_time_tells_a_local_header(
    masked_alike, log_parsed
):
    """QA CEF: `duser=svc_sql` and `dvchost=web02` were kept, a new account's logon a new event;
    a collector's CET header against `rt=... GMT` went unsaid."""
    sql, alice = masked_alike(
        ["logon duser=svc_sql dvchost=web02", "logon duser=alice dvchost=app01"]
    )
    assert sql == alice == "logon duser=<*> dvchost=<*>"
    _, summary = log_parsed([
        f"Dec  1 01:00:0{i} fw-edge-02 CEF:0|Palo Alto Networks|PAN-OS|10.2.4|end|TRAFFIC|1|"
        f"rt=Dec 01 2026 00:00:0{i} GMT src=10.1.2.18{i}"
        for i in range(6)
    ], "syslog-notag", year=2026)  # fmt: skip
    assert any("the header is in local time (UTC+01:00)" in w for w in summary.warnings)


def test_a_cef_header_s_signature_name_and_severity_are_the_event(masked_alike):
    """QA CEF: the header from the product to the time was one `<*>`: a severity-9 record was a
    severity-1 one's event, a PAN-OS session start an end's."""
    line = "CEF:0|Palo Alto Networks|PAN-OS|10.2.4|{}|TRAFFIC|{}|rt=Dec 01 2026 00:00:12 GMT x=1"
    end, severe, start = masked_alike([line.format("end", 1), line.format("end", 9),
                                       line.format("start", 1)])  # fmt: skip
    assert len({end, severe, start}) == 3
    assert end == (
        "CEF:<*> | Palo Alto Networks | PAN-OS | <*> | event_id=end | TRAFFIC | severity=1 | "
        "rt=<*> GMT x=<*>"
    )


def test_several_exchange_files_read_with_auto(tmp_path):
    """The check of later inputs against `auto`'s choice left out each file's `#Fields` line
    with the other directives, and refused every Exchange file after the first."""
    from logbert.parsing.formats import resolve_format
    from logbert.parsing.pipeline import parse_files

    header = ["#Software: Microsoft Exchange", "#Fields: date-time,client-ip,event-id,source"]
    for name in ("MSGTRK1.LOG", "MSGTRK2.LOG"):
        rows = [f"2026-12-04T10:3{i}:14.820Z,10.0.0.5,SEND,SMTP" for i in range(6)]
        (tmp_path / name).write_text("\n".join(header + rows) + "\n")
    inputs = [str(tmp_path / n) for n in ("MSGTRK1.LOG", "MSGTRK2.LOG")]
    summary = parse_files(inputs, resolve_format("auto"), tmp_path / "e.parquet")
    assert (summary.rejected, summary.directives) == (0, 4)
