"""W3C extended log files (`--format w3c`, IIS): the `#Fields` directive names the columns,
records become a request line and access-log fields, directives are no events."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from logbert.parsing.auto import rank_formats
from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files
from logbert.parsing.w3c import fields_after, split_w3c_lines

HEADER = [
    "#Software: Microsoft Internet Information Services 10.0",
    "#Version: 1.0",
    "#Date: 2026-11-20 00:00:00",
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken",
]


def record(i: int, path: str = "/api/orders/1234", status: str = "200 0 0") -> str:
    return (f"2026-11-20 10:15:{i % 60:02d} 10.0.0.2 GET {path} page=2 443 - 203.0.113.{i % 9} "
            f"Mozilla/5.0+(Windows+NT+10.0) https://shop.example.com/ {status} 45")  # fmt: skip


def test_a_record_is_a_request_line_and_access_log_fields():
    ok, cols = split_w3c_lines(pa.array([*HEADER, record(1), record(2, "/cart", "503 0 64")]))
    assert ok.tolist() == [False] * 4 + [True, True]  # directives are no events
    assert cols["Content"].to_pylist() == [
        "GET /api/orders/1234?page=2 200", "GET /cart?page=2 503 win32-status=64"
    ]  # fmt: skip
    assert cols["Timestamp"][0].as_py() == "2026-11-20 10:15:01"
    assert cols["Client"][0].as_py() == "203.0.113.1" and cols["User"][0].as_py() == ""
    assert cols["Agent"][0].as_py() == "Mozilla/5.0 (Windows NT 10.0)"


def test_a_later_directive_names_other_fields_and_chunks_carry_them():
    """IIS writes the directives again after a restart, possibly with other fields; chunks
    are split in parallel, so each carries the fields named before it."""
    other = "#Fields: date time c-ip cs-method cs-uri-stem sc-status"
    lines = pa.array([*HEADER, record(1), other, "2026-11-20 11:00:00 10.0.0.9 POST /login 401"])
    ok, cols = split_w3c_lines(lines)
    assert ok.sum() == 2 and cols["Content"].to_pylist()[1] == "POST /login 401"
    assert fields_after(lines, None)[-1] == "sc-status"
    later = pa.array(["2026-11-20 11:00:01 10.0.0.9 GET /cart 200"])
    assert split_w3c_lines(later, fields_after(lines, None))[0].tolist() == [True]
    assert split_w3c_lines(later)[0].tolist() == [False]  # IIS's default fields: 15 values


def test_iis_logs_parse_by_auto_in_chunks_with_crlf(tmp_path):
    """QA IIS: `--format auto` took `iso`: 2 templates for a shop (every endpoint and status
    one variable), F1 0.42 with ngram; with the fields named, 1.00."""
    lines = HEADER + [record(i, f"/products/{i}" if i % 2 else "/cart") for i in range(300)]
    lines[3] += " sc-bytes"  # not IIS's default fields: later chunks must carry them
    lines[4:] = [f"{line} 5120" for line in lines[4:]]
    log = tmp_path / "u_ex261120.log"
    log.write_bytes("".join(f"{line}\r\n" for line in lines).encode())
    assert rank_formats(lines[:200])[0].name == "w3c"
    out = tmp_path / "events.parquet"
    summary = parse_files([str(log)], resolve_format("w3c"), out, block_bytes=4096)
    assert summary.lines == 304 and summary.rejected == 0 and summary.directives == 4
    templates = (tmp_path / "templates.csv").read_text()
    assert "GET /products/<*> 2xx" in templates and "GET /cart?<*> 2xx" in templates
    table = pq.read_table(out)
    assert table.num_rows == 300 and table["timestamp"].null_count == 0
    assert set(table["Client"].to_pylist()) == {f"203.0.113.{i}" for i in range(9)}


def test_vpc_flow_logs_name_their_fields_in_a_header_line_and_keep_ports_as_words():
    """QA VPC flow logs: with a format string the header line was an event (a session called
    `interface-id`), a NODATA `-` was a value and every port a number, masked: 4 templates for
    a VPC, and a miner on port 3333 unseen."""
    header = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol "
              "packets bytes start end action log-status")  # fmt: skip
    flows = [
        "2 123456789012 eni-0a1b2c 10.0.1.5 10.0.2.9 49152 443 6 20 4249 1763633702 1763633762 "
        "ACCEPT OK",
        "2 123456789012 eni-0a1b2c 10.0.1.5 45.9.1.1 51000 3333 6 9 900 1763633702 1763633762 "
        "ACCEPT OK",
        "2 123456789012 eni-0a1b2c - - - - - - - 1763633702 1763633762 - NODATA",
    ]
    ok, cols = split_w3c_lines(pa.array([header, *flows]))
    assert ok.tolist() == [False, True, True, True]  # the header names the fields
    assert cols["Content"].to_pylist() == [
        "ACCEPT tcp from port-high to port443 interface-id=eni-0a1b2c",
        "ACCEPT tcp from port-high to port3333 interface-id=eni-0a1b2c",
        "NODATA interface-id=eni-0a1b2c",
    ]
    assert cols["Timestamp"][0].as_py() == "1763633702" and cols["Client"][2].as_py() == ""
    assert rank_formats([header, *flows * 4])[0].name == "w3c"
    from logbert.parsing.masks import mask_text
    from logbert.parsing.miner import TemplateMiner

    ports = [f"ACCEPT tcp from port-high to port{p} interface-id=eni-<*>" for p in
             (22, 443, 5432, 8080, 3333)]  # fmt: skip
    miner = TemplateMiner()
    assert len(set(miner.add([mask_text(m) for m in ports * 2]))) == 5  # a service each


def test_a_flows_higher_port_is_the_clients_and_protocols_stay_apart():
    """QA VPC: a NAT gateway's source ports start at 1024, so each flow through it was a
    template of its own (`from port20131 to port443`), and past 50 of them both ports were a
    variable: HTTPS, SSH and database flows one event. In a small parse the protocols were one
    `<*>`."""
    header = "version interface-id srcport dstport protocol start action log-status"
    flows = [f"2 eni-1 {source} {target} {protocol} 1763633702 ACCEPT OK" for source, target,
             protocol in [(20131, 443, 6), (443, 28632, 6), (53038, 5432, 6), (123, 123, 17),
                          (876, 2049, 6), (5000, 53, 17), (0, 0, 1), (0, 0, 58), (0, 0, 47)]]
    ok, cols = split_w3c_lines(pa.array([header, *flows]))
    assert [c.rpartition(" interface")[0] for c in cols["Content"].to_pylist()] == [
        "ACCEPT tcp from port-high to port443", "ACCEPT tcp from port443 to port-high",
        "ACCEPT tcp from port-high to port5432", "ACCEPT udp from port123 to port123",
        "ACCEPT tcp from port876 to port-high",  # NFS: the record does not say who listens
        "ACCEPT udp from port-high to port53", "ACCEPT icmp from port0 to port0",
        "ACCEPT icmpv6 from port0 to port0", "ACCEPT protocol47 from port0 to port0",
    ]
    from logbert.parsing.masks import mask_text
    from logbert.parsing.miner import TemplateMiner

    contents = [f"ACCEPT {p} from port-high to port53 interface-id=eni-1" for p in
                ("tcp", "udp", "icmpv6", "protocol50", "protocol132")]  # fmt: skip
    assert len(set(TemplateMiner().add([mask_text(c) for c in contents]))) == 5


def test_windows_firewall_records_keep_ports_direction_and_addresses():
    """QA Windows Firewall: pfirewall.log's `#Fields` (`src-ip dst-ip src-port dst-port ...
    path`) were not read: every record was `ALLOW protocolTCP from port-none to port-none`,
    and no field held an address, so no session per source could be made."""
    fields = ("#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags "
              "tcpsyn tcpack tcpwin icmptype icmpcode info path pid")  # fmt: skip
    lines = pa.array([
        fields,
        "2026-11-20 08:00:00 DROP TCP 203.0.113.9 10.0.0.5 51234 3389 0 S - - - - - - RECEIVE 0",
        "2026-11-20 08:00:01 ALLOW ICMP 10.0.0.250 10.0.0.5 - - 0 - - - - 8 0 - RECEIVE 4",
    ])  # fmt: skip
    ok, cols = split_w3c_lines(lines)
    assert ok.tolist() == [False, True, True]
    assert cols["Content"].to_pylist() == [
        "DROP tcp from port-high to port3389 RECEIVE S", "ALLOW icmp from port-none to "
        "port-none RECEIVE icmptype8",
    ]  # fmt: skip
    assert cols["Client"].to_pylist() == ["203.0.113.9", "10.0.0.250"]
    assert cols["Port"].to_pylist() == ["3389", ""]


def test_windows_firewall_s_destination_port_is_the_service_whatever_the_source_port(tmp_path):
    """QA Windows Firewall (round 51): a scanner's source port 1828 below the web server's 8080
    made `from port1828 to port-high`, a template per scan and each a false alarm; and its
    `#Time Format: Local` was read as UTC, unsaid."""
    fields = ("#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags "
              "tcpsyn tcpack tcpwin icmptype icmpcode info path pid")  # fmt: skip
    lines = [
        "#Version: 1.5", "#Software: Microsoft Windows Firewall", "#Time Format: Local", fields,
        "2026-12-03 02:38:56 DROP TCP 92.199.117.102 10.0.0.40 1828 8080 60 S 1 0 1024 - - - "
        "RECEIVE 0",
        "2026-12-03 07:49:01 DROP TCP 162.32.71.90 10.0.0.40 41234 8080 44 S 2 0 65535 - - - "
        "RECEIVE 0",
        "2026-12-03 07:49:02 ALLOW UDP 10.0.0.40 10.0.0.10 123 123 0 - - - - - - - SEND 4",
    ]  # fmt: skip
    ok, cols = split_w3c_lines(pa.array(lines))
    assert cols["Content"].to_pylist() == [
        "DROP tcp from port-high to port8080 RECEIVE S",
        "DROP tcp from port-high to port8080 RECEIVE S",
        "ALLOW udp from port123 to port123 SEND",
    ]
    log = tmp_path / "pfirewall.log"
    log.write_text("\r\n".join(lines) + "\r\n")
    summary = parse_files([str(log)], resolve_format("auto"), tmp_path / "e.parquet")
    assert any("'#Time Format: Local'" in w and "--timezone" in w for w in summary.warnings)
    zoned = resolve_format("w3c", timezone="Europe/Berlin")
    summary = parse_files([str(log)], zoned, tmp_path / "f.parquet")
    assert not any("#Time Format" in w for w in summary.warnings)


ZEEK_FIELDS = ("ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto",
               "service", "duration", "conn_state", "user_agent", "tunnel_parents")  # fmt: skip
ZEEK_HEADER = [
    "#separator \\x09",
    "#set_separator\t,",
    "#path\tconn",
    "#open\t2025-11-30-10-00-00",
    "#fields\t" + "\t".join(ZEEK_FIELDS),
    "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tstring\tstring\tset",
]


def zeek_record(i: int, service: str) -> str:
    values = (f"{1764496800 + i}.123456", f"CHhAvVGS1DHFjwGM{i}", f"10.0.0.{i % 7}", "52344",
              "10.0.1.1", "3389", "tcp", service, "1.5", "SF", "Mozilla/5.0 (X11)",
              "(empty)")  # fmt: skip
    return "\t".join(values)


def test_zeek_tsv_logs_name_their_fields_and_keep_the_service(tmp_path):
    """QA Zeek: without a Zeek format the `#fields` and `#types` lines were undated events
    (sessions `ts` and `time`) and the service column a variable, so an RDP connection was
    any connection; a value may hold spaces (a user agent), a set commas."""
    lines = [*ZEEK_HEADER, zeek_record(1, "rdp"), zeek_record(2, "gssapi,smb"), "#close\t2025"]
    ok, cols = split_w3c_lines(pa.array(lines))
    assert ok.tolist() == [False] * 6 + [True, True, False]
    assert cols["Content"][0].as_py() == (
        "conn_state=SF duration=1.5 id.orig_h=10.0.0.1 id.orig_p=52344 id.resp_h=10.0.1.1 "
        "id.resp_p=3389 proto=tcp service=rdp uid=CHhAvVGS1DHFjwGM1"
    )
    assert cols["Client"][1].as_py() == "10.0.0.2" and cols["Port"][1].as_py() == "3389"
    assert cols["Agent"][1].as_py() == "Mozilla/5.0 (X11)"
    log = tmp_path / "conn.log"
    log.write_text("\n".join(lines[:-1] + [zeek_record(i, "dns") for i in range(3, 9)]) + "\n")
    assert rank_formats(log.read_text().splitlines())[0].name == "w3c"
    summary = parse_files([str(log)], resolve_format("zeek"), tmp_path / "ev.parquet")
    assert summary.timestamps == 8 and summary.rejected == 0 and summary.directives == 6
    templates = pq.read_table(tmp_path / "ev.parquet", columns=["template"]).column(0)
    assert {t for t in templates.to_pylist() if "service=rdp" in t}  # kept, not <*>


def test_a_format_strings_timestamp_that_is_words_does_not_make_an_event():
    """QA Zeek read with a format string: `#fields\\tts\\tuid...` was an event of time
    `#fields`; a time written as words and numbers (`Nov 30 10:00:00`) still is one."""
    fmt = resolve_format("<Timestamp>\t<Uid>\t<Content>")
    rows = pa.array(["#fields\tts\tuid\tproto", "#types\ttime\tstring\tenum",
                     "1764496800.5\tCab\ttcp", "Nov 30 10:00:00\tCab\ttcp"])  # fmt: skip
    assert pa.compute.extract_regex(rows, fmt.regex).is_valid().to_pylist() == [
        False, False, True, True
    ]  # fmt: skip


def test_exchange_message_tracking_csv_is_read_by_its_fields_directive(tmp_path):
    """QA Exchange: `auto`, `iso` and `w3c` refused message tracking logs (a `#Fields:`
    directive of comma-separated names, CSV rows with quoted fields); a record is its fields
    as `name=value` words, each one word."""
    header = ["#Software: Microsoft Exchange Server", "#Version: 15.02.1118.007",
              "#Log-type: Message Tracking Log", "#Date: 2025-11-30T10:00:00.000Z",
              "#Fields: date-time,client-ip,server-hostname,source,event-id,message-id,"
              "recipient-address,message-subject"]  # fmt: skip
    rows = [
        f'2025-11-30T08:00:{i:02d}.918Z,10.0.0.{i},EXCH01,SMTP,{event},<m{i}@contoso.com>,'
        f'{";".join(f"u{j}@contoso.com" for j in range(i % 3 + 1))},"Quarterly report, Q{i}"'
        for i, event in enumerate(["RECEIVE", "SEND", "DELIVER", "RECEIVE", "SEND", "FAIL"])
    ]
    assert rank_formats(header + rows)[0].name == "w3c"
    ok, cols = split_w3c_lines(pa.array(header + rows))
    assert ok.tolist() == [False] * 5 + [True] * 6
    assert cols["Timestamp"][0].as_py() == "2025-11-30T08:00:00.918Z"
    assert cols["Client"][0].as_py() == "10.0.0.0" and cols["Server"][0].as_py() == "EXCH01"
    assert cols["Content"][2].as_py() == (
        "client-ip=10.0.0.2 event-id=DELIVER message-id=<m2@contoso.com> "
        "message-subject=Quarterly_report,_Q2 "
        "recipient-address=u0@contoso.com,u1@contoso.com,u2@contoso.com "
        "server-hostname=EXCH01 source=SMTP"
    )
