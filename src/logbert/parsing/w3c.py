"""W3C extended log files (`--format w3c`): Microsoft IIS's default, also Exchange's and
CloudFront's access logs.

A W3C file names its columns in a directive, `#Fields: date time s-ip cs-method cs-uri-stem
...`, and each record is their values separated by spaces (`-` for none; a user agent's spaces
written as `+`). The columns differ from server to server, and a restart writes the directives
again, possibly with other columns, so no fixed format string reads them (QA IIS: `--format
auto` took `iso`, and the whole request with its status was one variable: 2 templates for a
shop, F1 0.42 with `ngram`). Here each record becomes the header fields an access log has
(`Client`, `User`, `Agent`, `Referer`, and the server's `Server` and `Port`) and a content
that writes the request as a request line, `GET /api/orders/1234?page=2 200`, so its endpoint
and status class are kept as in any format (`kept_values.REQUEST`, `kept_values.STATUS`); IIS's
substatus and Win32 status follow where they are not 0 (`win32-status=64`: the connection
dropped). Directive lines (`#...`) are not events, nor rejects: they are counted apart
(`ParsedChunk.directives`), as blank lines are. Records before any `#Fields` directive are
read with IIS's default fields.

Windows Firewall's `pfirewall.log` names its fields with `#Fields:` too (`date time action
protocol src-ip dst-ip src-port dst-port size tcpflags ... path pid`) and is read as a flow
log: `DROP tcp from port-high to port3389 RECEIVE S`, the addresses as `Client` and `Server`
(QA: the ports, the direction and both addresses were dropped, every record `ALLOW
protocolTCP from port-none to port-none`).

AWS VPC Flow Logs are read the same way: their header line names the fields without `#Fields:`
(`version account-id interface-id srcaddr dstaddr srcport dstport protocol ...`), a record is
dated by its `start` (epoch seconds) and is the event `ACCEPT tcp from port-high to port443`:
the action, the protocol and the service's port as words (a port is a number,
and numbers are masked: QA, 4 templates for a whole VPC, a miner on port 3333 and a night's
exfiltration unseen), addresses, the interface and sizes as fields (`--by-field interface-id`
reads the message's `interface-id=...`); a record with no data is its status, `NODATA`.

Zeek's (Bro's) TSV logs name their columns with `#fields` and a tab (`#fields\tts\tuid\t
id.orig_h ...`; `--format zeek` is this format) and separate values by tabs (a value may hold
spaces). A Zeek record is dated by its `ts`, its connection's ends are `Client`, `Server` and
`Port`, and its content is every set field as `name=value`, sorted by name, as `--format json`
writes the same record from Zeek's JSON logs (`conn_state=SF proto=tcp service=rdp ...`; QA:
without a Zeek format the `#fields` lines were events and the service column a variable, so an
RDP connection was any connection). Zeek's other directives (`#types`, `#open`) are no events.

Exchange's message tracking logs name their columns in a `#Fields:` directive of
comma-separated names, and each record is a CSV row (a subject in quotes may hold commas):
dated by `date-time`, its content every set field as Zeek's is, each value one word (QA:
`auto`, `iso` and `w3c` all refused them).
"""

from __future__ import annotations

import csv

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

W3C = "w3c"  # the built-in format's name
FIELDS_DIRECTIVE = "#Fields:"
ZEEK_FIELDS_DIRECTIVE = "#fields\t"
ZEEK_UNSET = ("-", "(empty)")  # Zeek's unset and empty values
# IIS 8.5+'s default logging fields (what records before any directive are read with)
DEFAULT_FIELDS = (
    "date", "time", "s-ip", "cs-method", "cs-uri-stem", "cs-uri-query", "s-port",
    "cs-username", "c-ip", "cs(User-Agent)", "cs(Referer)", "sc-status", "sc-substatus",
    "sc-win32-status", "time-taken",
)  # fmt: skip
# the fields an AWS VPC flow log's header line names (versions 2 to 5)
FLOW_FIELDS = frozenset((
    "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport",
    "protocol", "packets", "bytes", "start", "end", "action", "log-status", "vpc-id",
    "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr", "region",
    "az-id", "sublocation-type", "sublocation-id", "pkt-src-aws-service", "pkt-dst-aws-service",
    "flow-direction", "traffic-path",
))  # fmt: skip
EPHEMERAL_PORTS = 32768  # from here on a port is a client's, any one (Linux's range starts here)
SYSTEM_PORTS = 1024  # below, a service's (or a client's that binds one, as NFS clients do)
_PROTOCOLS = {"1": "icmp", "6": "tcp", "17": "udp", "58": "icmpv6"}
# the header columns (`formats.BUILTIN_FORMATS["w3c"]` names them in this order) and the
# W3C fields that fill each, the first present
HEADER = {
    "Timestamp": (),  # `date` and `time` joined, a flow log's `start` or Zeek's `ts`
    # (Zeek's notices name their hosts `src`, `dst` and `p`: QA, a port scan's notice joined no
    # client's session; the first field set fills a column)
    "Client": ("c-ip", "srcaddr", "src-ip", "id.orig_h", "client-ip", "src"),
    "User": ("cs-username", "username"),
    "Server": ("s-ip", "s-computername", "x-edge-location", "dstaddr", "dst-ip", "id.resp_h",
               "server-hostname", "dst"),
    "Port": ("s-port", "dstport", "dst-port", "id.resp_p", "p"),
    "Agent": ("cs(User-Agent)", "user_agent"),
    "Referer": ("cs(Referer)", "referrer"),
    "TimeTaken": ("time-taken", "duration"),
}
_QUIET = ("", "-", "0")  # a substatus or Win32 status that says nothing


def named_fields(line: str | None) -> tuple[str, ...] | None:
    """The fields a line names: a `#Fields` directive's, or a flow log's header line's (its
    words all flow-log field names); None for any other line."""
    if not line:
        return None
    if line.startswith(FIELDS_DIRECTIVE):
        named = line[len(FIELDS_DIRECTIVE) :].strip()
        if "," in named and " " not in named:  # Exchange's message tracking logs: a CSV
            return tuple(named.split(","))
        return tuple(named.split())
    if line.startswith(ZEEK_FIELDS_DIRECTIVE):
        return tuple(line[len(ZEEK_FIELDS_DIRECTIVE) :].rstrip("\r\n").split("\t"))
    words = line.split()
    return tuple(words) if len(words) >= 5 and FLOW_FIELDS.issuperset(words) else None


# lines that may name fields (`named_fields`): found in C, for the parser's serial loop
_MAY_NAME_FIELDS = rf"^{FIELDS_DIRECTIVE}|^#fields\t|^[a-z-]+(?: [a-z-]+){{4,}}$"


def fields_after(lines: pa.Array, fields: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """The fields in force after `lines`: those the last line naming fields names, else
    `fields` (the ones in force before them; None: none named yet). The parser calls it on
    every chunk in turn, so the lines are looked through in C first."""
    candidates = pc.fill_null(pc.match_substring_regex(lines, _MAY_NAME_FIELDS), False)
    for line in reversed(lines.filter(candidates).to_pylist()):
        if (named := named_fields(line)) is not None:
            return named
    return fields


def split_w3c_lines(
    lines: pa.Array, fields: tuple[str, ...] | None = None
) -> tuple[np.ndarray, dict[str, pa.Array]]:
    """(matched mask, columns of the matched rows in line order), as `splitter.split_lines`:
    `fields` are those in force before the first line (None: IIS's default, unless a
    directive among the lines names them); a record matches when it has one value per field."""
    current = fields or DEFAULT_FIELDS
    ok = np.zeros(len(lines), bool)
    columns: dict[str, list[str]] = {name: [] for name in (*HEADER, "Content")}
    for i, line in enumerate(lines.to_pylist()):
        if (named := named_fields(line)) is not None:
            current = named
            continue
        if not line or line.startswith("#"):
            continue
        values = line.split("\t") if "\t" in line else line.split()  # Zeek's: tabs
        # a CSV record (Exchange's), also one whose spaces happen to make as many words as
        # there are fields: its first field then holds commas (QA Exchange: 0.2% of the rows,
        # a rejected phishing mail's among them, were read field by field at spaces)
        if (len(values) != len(current) or "," in values[0]) and "," in line:
            try:
                values = next(csv.reader([line]))
            except csv.Error:  # no record (a binary file's bytes, QA SQL Server: a traceback)
                continue
        if len(values) != len(current):
            continue
        record = dict(zip(current, values, strict=True))
        for name, value in _header(record).items():
            columns[name].append(value)
        columns["Content"].append(_content(record))
        ok[i] = True
    return ok, {name: pa.array(values, pa.string()) for name, values in columns.items()}


def _header(record: dict[str, str]) -> dict[str, str]:
    out = {"Timestamp": " ".join(record[k] for k in ("date", "time") if k in record)}
    for epoch in ("start", "ts", "date-time"):  # the last: Exchange's ISO 8601 time
        if not out["Timestamp"] and record.get(epoch, "-") != "-":
            out["Timestamp"] = record[epoch]
    zeek = _is_zeek(record)
    for name, keys in HEADER.items():
        if keys:
            unset = ZEEK_UNSET if zeek else ("-",)
            value = next((record[k] for k in keys if record.get(k, unset[0]) not in unset), "")
            out[name] = value if zeek else value.replace("+", " ")
    return out


def _content(record: dict[str, str]) -> str:
    if _is_flow(record):
        return _flow(record)
    if _is_request(record):
        return _request(record)
    return _fields(record)


def _is_zeek(record: dict[str, str]) -> bool:
    """Whether a record is a Zeek log's (its time is `ts`)."""
    return "ts" in record


def _is_request(record: dict[str, str]) -> bool:
    """Whether a record is a web server's (IIS, CloudFront: a method, a path or a status)."""
    return any(k in record for k in ("cs-method", "cs-uri-stem", "cs-uri", "sc-status"))


def _fields(record: dict[str, str]) -> str:
    """Any other record (Zeek's, Exchange's message tracking): every set field but the time
    and the user agent, as `name=value` sorted by name, each one word: its spaces `_` and a
    list's `;` a `,` (Exchange's subjects and recipients: as words, each length of a subject
    or count of recipients made a template of its own, QA)."""
    return " ".join(
        f"{name}={'_'.join(value.replace(';', ',').split())}"
        for name, value in sorted(record.items())
        if name not in _NOT_CONTENT and value not in ("", *ZEEK_UNSET)
    )


_NOT_CONTENT = frozenset({"ts", "date-time", "date", "time", "user_agent"})


def _is_flow(record: dict[str, str]) -> bool:
    """Whether a record is a VPC flow log's (it has an action or a log status)."""
    return "action" in record or "log-status" in record


def _flow(record: dict[str, str]) -> str:
    """`ACCEPT tcp from port-high to port443 interface-id=eni-0a1b...`; a record without
    data is its status (`NODATA`, `SKIPDATA`)."""
    status = record.get("log-status", "OK")
    where = f" interface-id={record['interface-id']}" if "interface-id" in record else ""
    if status not in ("OK", "-"):
        return status + where
    protocol = record.get("protocol", "-")
    name = (
        protocol.lower() if protocol.isalpha() else _PROTOCOLS.get(protocol, f"protocol{protocol}")
    )
    source, target = (_firewall_ports if "path" in record else _ports)(
        record.get("srcport", record.get("src-port")), record.get("dstport", record.get("dst-port"))
    )
    ports = f"from {source} to {target}"
    # Windows Firewall's direction and TCP flags (`SEND`, `RECEIVE`; `S`, `AFP`), as words
    extra = "".join(f" {record[k]}" for k in ("path", "tcpflags") if record.get(k, "-") != "-")
    if record.get("icmptype", "-") != "-":  # an echo request is not an unreachable
        extra += f" icmptype{record['icmptype']}"  # (`icmp-type8` was masked: QA iptables)
    return f"{record.get('action', '-')} {name} {ports}{extra}{where}"


def _ports(source: str | None, target: str | None) -> tuple[str, str]:
    """A flow's two ports as words: the service's kept (`port443`), the client's `port-high`.
    A port from the ephemeral range is a client's; of two other ports that differ, the higher
    is the client's when it is not a system port (< 1024): a NAT gateway's source ports start
    at 1024 (QA VPC: 96 templates of one flow each, `ACCEPT tcp from port20131 to port443`,
    and past 50 of them both ports a variable, HTTPS, SSH and database flows one event). A
    client that binds a system port to reach a higher one (NFS: 876 to 2049) reads the other
    way round, its own port kept: the record alone does not say which side listens."""
    words = [_port(source), _port(target)]
    numbers = [int(p) if p is not None and p.isdigit() else None for p in (source, target)]
    if None not in numbers and numbers[0] != numbers[1] and max(numbers) >= SYSTEM_PORTS:
        words[numbers.index(max(numbers))] = "port-high"
    return words[0], words[1]


def _firewall_ports(source: str | None, target: str | None) -> tuple[str, str]:
    """Windows Firewall's ports: its record says which side is which (a connection's packet,
    `SEND` or `RECEIVE`), so the destination's is the service's, the source's `port-high`
    unless a system port (QA Windows Firewall: a scanner's source port 1828 below the web
    server's 8080 made `from port1828 to port-high`, a template per scan, each a false alarm)."""
    if source is not None and source.isdigit() and int(source) >= SYSTEM_PORTS:
        return "port-high", _port(target)
    return _port(source), _port(target)


def _port(value: str | None) -> str:
    """A port as a word the masks keep (`port443`), `port-high` from the ephemeral range."""
    if value is None or not value.isdigit():
        return "port-none"
    return f"port{value}" if int(value) < EPHEMERAL_PORTS else "port-high"


def _request(record: dict[str, str]) -> str:
    """`GET /cart?x=1 503 win32-status=64`: method, path and query, status, and IIS's
    substatus and Win32 status where they say something; HTTP.sys's HTTPERR log adds why it
    answered itself, `AppOffline`, `QueueFull`, `Timer_ConnectionIdle`, and its app pool's
    queue (QA IIS: both were dropped, and an app pool's crash, `Connection_Abandoned_By_
    AppPool`, was a client's cancel)."""
    path = record.get("cs-uri-stem", record.get("cs-uri", "-"))
    query = record.get("cs-uri-query", "-")
    words = [record.get("cs-method", "-"), path + ("" if query == "-" else "?" + query)]
    words.append(record.get("sc-status", "-"))
    for name in ("sc-substatus", "sc-win32-status"):
        if record.get(name, "-") not in _QUIET:
            words.append(f"{name[3:]}={record[name]}")
    if record.get("s-reason", "-") != "-":
        words.append(record["s-reason"])
    if record.get("s-queuename", "-") != "-":
        words.append(f"queue={record['s-queuename']}")
    return " ".join(words)
