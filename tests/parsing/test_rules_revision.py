"""The parsing rules' revision (`state.RULES_REVISION`) follows the rules: a change that gives
other templates for loghub's lines fails here until the revision is bumped, so models and
`--state` files mined before it are told apart (a saved model warns, a state is refused)."""

from __future__ import annotations

import csv
import hashlib

import pyarrow.parquet as pq
import pytest

from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files
from logbert.parsing.state import RULES_REVISION

SYSTEMS = (
    "Android", "Apache", "BGL", "HDFS", "HPC", "Hadoop", "Linux", "OpenSSH", "Proxifier",
    "Spark", "Windows", "Zookeeper",
)  # fmt: skip

# revision -> sha256 of every loghub-2k line's template text, system by system
DIGESTS = {
    2: "146bb8544c59086ac81036c2b5ca1b166e351eb7bde46c737f23a7a30f061b36",
    3: "6748bb07d0cd53a110f05eb64546037256afc761202880e07dffd1f4730725d1",
    4: "af390b294eb57df807b6f03e9102ba57a2c7ab35af8b116ce1d324141dc798b1",
    5: "fad4d79f43429c026c78e838b0fce718582410ce9e8fe144ad21fb7e3f70945b",
    # 6: other templates for logs loghub's lines do not show (kubelet in syslog, auditd's
    # enriched names, container images, Java hashes, nginx's errors, ...)
    6: "fad4d79f43429c026c78e838b0fce718582410ce9e8fe144ad21fb7e3f70945b",
    # 7: the miner's pattern of words leaves out words masked whole (a client id without a
    # digit), ESXi's SCSI codes and dates in words, IPsec's payloads, Keycloak's clients, ...
    7: "fad4d79f43429c026c78e838b0fce718582410ce9e8fe144ad21fb7e3f70945b",
    # 8: an access log's message its request and status alone, logback's context value, graph
    # schemas, buckets, Matrix endpoints and users, QMP commands, quoted exceptions, Java's
    # `Date.toString()` one value (BGL's and Linux's loghub lines: their templates' text), ...
    8: "553a8618ffece1cf80dae318137c4170e689bdcad78cedaed8b867eaaafc3d74",
    # 9: a factor (`118.10x`) one number, a quoted path field's endpoint kept (Heroku's
    # `path="/cart"`), whole `<*>`s kept in a generalized word's prefix (Linkerd's spans;
    # Android's notification keys), prompts one value, ...
    9: "54ac70195807e7bbe30653beb041a8770e723a3001da76bc20f7b7fb51a54495",
    # 10: a Debian version one value (Linux's `Linux version 2.6.5-1.358`), and other templates
    # for logs loghub's lines do not show (a JSON id of several words one value, `HTTP 503` a
    # status class, Gerrit's `/a/` endpoints, a layout's `[thread]` before its level, Serilog's
    # `responded 500`, Falco's images and namespaces, pfSense's filterlog, dpkg's packages, ...)
    10: "bdd41c202e9e691c4ec5535a94180fb58084f4833791ab312792b755c1964ca2",
    # 11: a Kubernetes label set's `app` a name (Android's `new Process app=ProcessRecord{...`),
    # and other templates for logs loghub's lines do not show (Nagios' records as named fields,
    # a quoted Debian version, syslog's `#012`, TCP flags, a quoted status line, a query a user
    # wrote, a tenant, `/internal/` endpoints, a request path's whole segment first, ...)
    11: "3ffc4f6a36cd899c244751e1b96d8fb7a6b8bf738ed0c45ede68d4fd67a39d1c",
    # 12: a health check's `ready=true` a verdict (Android's PowerManager line), and other
    # templates for logs loghub's lines do not show (a REST action after an id, SQL statements
    # as user text, bracketed error codes, a command's class, a remote method, a PHP class,
    # thousands separators, openHAB's states, ArangoDB's request lines, ...)
    12: "f1e753aa47f939609173a1e06e832b50aa55ef3bd29c3be00c32ad2d0edc7159",
    # 13: names listed as `name: value` pairs masked (Hadoop's `queue: default`), and other
    # templates for logs loghub's lines do not show (Prometheus label sets, Kubernetes pod
    # names, LDAP filters, exit statuses kept, an Erlang report's `msg:`, JFrog's request line)
    13: "76135e39f0e836c7951ee233f2cab2ea53ffc3632e29b5a8fc1501d429daac05",
    # 14: bracketed lists one value (Hadoop's `NM: [<host>:<port>]`, Android's bounds), and other
    # templates for logs loghub's lines do not show (a state after `changed to`, a DNS name in
    # brackets, quoted lists, serial numbers, RAID 5's arrays, `interrupted` a failure, ...)
    14: "7627e05b6f4f8391455f7a369df7f99c5eebc82242a03f6b78033a8184609e1a",
    # 15: other templates for logs loghub's lines do not show (RFC 5424's own structured data a
    # field, OPNsense's filterlog, Checkmk's external commands, Druid's datasources, ...)
    15: "7627e05b6f4f8391455f7a369df7f99c5eebc82242a03f6b78033a8184609e1a",
    # 16: other templates for logs loghub's lines do not show (servers named by kind and
    # number, ids listed by commas, a namespaced method an operation, a department a name,
    # steps' and modules' names kept, a duration's unit, WildFly's format, ...)
    16: "7627e05b6f4f8391455f7a369df7f99c5eebc82242a03f6b78033a8184609e1a",
    # 17: other templates for logs loghub's lines do not show (a random segment of a path, a
    # base32 id in one, a user's session calls as endpoints, a registry's actions, job kinds)
    17: "7627e05b6f4f8391455f7a369df7f99c5eebc82242a03f6b78033a8184609e1a",
    # 18: other templates for logs loghub's lines do not show (PascalCase task names, ordinals,
    # `NOT NULL`, CockroachDB's redacted values, Asterisk's channels, a plugin's id, values in
    # parentheses before a message, a quoted word and conversion in its quotes, a user listed
    # before text)
    18: "7627e05b6f4f8391455f7a369df7f99c5eebc82242a03f6b78033a8184609e1a",
    # 19: other templates for logs loghub's lines do not show (a quoted kind before its noun,
    # a command line of quoted words one value, a core's name, git's services, Go handlers
    # under a versioned folder, an xDS stream's status)
    19: "7627e05b6f4f8391455f7a369df7f99c5eebc82242a03f6b78033a8184609e1a",
    # 20: a terminal line a value (Linux's `ROOT LOGIN ON tty2`), and for logs loghub's lines do
    # not show: an exit status past HTTP's codes kept, a SIP dialog's state and code, a BGP
    # event, sendmail's local accounts and reject codes, a camel-cased id's value, a logfmt
    # field's list of worded items one value
    20: "88dfb9c3689a1d5e791a4b0e792bf7a5dac8e6ec0d14d085d64f04b7d085af98",
    # 21: other templates for logs loghub's lines do not show (a call's snake_case name after
    # `Request:`, Ceph's pools and monitor lists, a Kubernetes object's name beside its
    # namespace, Helm's releases and charts, a JSON map of objects by reference, a keyspace,
    # an ESPHome device, the message's first word after a level every line leads with, a
    # transition's verb two words before it, Hive's statements and metastore calls, a file
    # after `path: `, a version's git hashes, a DERP region's name)
    21: "88dfb9c3689a1d5e791a4b0e792bf7a5dac8e6ec0d14d085d64f04b7d085af98",
    # 22: other templates for logs loghub's lines do not show (an object ending a text
    # message, a Python dict's repr or JSON, read as a JSON line's fields; a file's kind
    # between its id and its extensions; a letter-led hex id in a file's name; dates listed
    # by commas, numbers after a label, hex after `List:`; .NET's `returned an error: (503)`;
    # a step's one-word quoted name and its result after `complete:`; Tempo's `userid=`; a
    # title in brackets after `for`)
    22: "88dfb9c3689a1d5e791a4b0e792bf7a5dac8e6ec0d14d085d64f04b7d085af98",
    # 23: other templates for logs loghub's lines do not show (a Zuul item's project and queue
    # a value, Zuul's playbook exit code after its result kept, paths under `./` and a quoted
    # root folder values, Bamboo's result keys, durations in words of several units, who
    # requested a stop, BuildKit's step commands, a dotted counter's `failed=` a number, a
    # status kept in an event named for an exit)
    23: "88dfb9c3689a1d5e791a4b0e792bf7a5dac8e6ec0d14d085d64f04b7d085af98",
    # 24: other templates for logs loghub's lines do not show (a host's name beside its
    # address and GPFS's connection ids, a Kubernetes event's namespace and name, a Swift
    # account in a path, a token cut short, an SMTP reply's class first in a quoted result,
    # Perforce's command first, an object's method after its repr, quoted states no names,
    # lists and maps of structs one value, TLS cipher suites values, a player's now playing
    # one value, Liquidsoap's source level kept, a workflow node's given name one value, a
    # task's parameters in its id one value)
    24: "88dfb9c3689a1d5e791a4b0e792bf7a5dac8e6ec0d14d085d64f04b7d085af98",
}


def templates_digest(data_dir, tmp_path) -> str:
    digest = hashlib.sha256()
    for system in SYSTEMS:
        log = data_dir / "loghub2_2k_corrected" / system / f"{system}_2k.log"
        (tmp_path / system).mkdir()
        out = tmp_path / system / "events.parquet"
        parse_files([str(log)], resolve_format(system), out)
        with open(out.parent / "templates.csv", newline="", encoding="utf-8") as fh:
            text = {int(r["template_id"]): r["template"] for r in csv.DictReader(fh)}
        for tid in pq.read_table(out, columns=["template_id"])["template_id"].to_pylist():
            digest.update(f"{system}\t{text[tid]}\n".encode())
    return digest.hexdigest()


@pytest.mark.slow
def test_the_rules_revision_is_bumped_when_templates_change(data_dir, tmp_path):
    assert templates_digest(data_dir, tmp_path) == DIGESTS.get(RULES_REVISION), (
        "the parsing rules give other templates for loghub's lines than revision "
        f"{RULES_REVISION} did: bump RULES_REVISION in logbert/parsing/state.py and add the "
        "new digest to DIGESTS here"
    )
