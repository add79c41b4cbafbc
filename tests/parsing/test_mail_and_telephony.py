"""Mail servers', telephony, VPN and identity logs as blind QA met them (rounds 11 and 12):
Exim's message ids and addresses, Asterisk's dialplan applications, rsyslog's high-precision
lines, Keycloak's event fields."""

from __future__ import annotations

import pyarrow as pa
import pytest

from logbert.parsing.auto import rank_formats
from logbert.parsing.formats import resolve_format
from logbert.parsing.masks import mask_text
from logbert.parsing.miner import TemplateMiner
from logbert.parsing.splitter import split_lines


@pytest.mark.parametrize(
    "text, masked",
    [
        ("1xXECl-000123-OF ** jhon@nowhere.test: Unrouteable address",
         "<*> ** <*>: Unrouteable address"),
        ("1tAbCd-0001Ab-Xy Completed", "<*> Completed"),
        ("1rHLbw-00000000H4p-3ia5 Completed", "<*> Completed"),  # Exim 4.97's 6-11-4 ids
        ('C="250 OK id=1xYIIP-059681-Ui"', 'C="<*> OK id=<*>"'),
        ("F=<x177@spam.example> rejected RCPT <a.b+tag@sub.example.co.uk>: Unknown user",
         "F=<<*>> rejected RCPT <<*>>: Unknown user"),
        # not an address: a context, an object's hash; an account at a host is a variable
        ("Executing [1001@from-internal:1] Dial()", "Executing [<*>@from-internal:<*>] Dial()"),
        ("Object@1a2b3c", "Object@<*>"),
        ("ssh root@db", "ssh <*>"),
        ("server-node01-eu started", "server-node01-eu started"),  # 6-6-2, no digit first
    ],
)  # fmt: skip
def test_exim_ids_and_mail_addresses_are_variables(text, masked):
    """QA Exim: a message id seen once kept its letters (`1xXECl-<*>-OF`), and each new
    recipient or sender was a word of its template, so normal bounces were new events."""
    assert mask_text(text) == masked


def test_a_called_application_is_the_event_whatever_its_arguments():
    """QA Asterisk: `Dial("PJSIP/<*>-<*>", ...)`, `Set(...)`, `Queue(...)` were one `<*>`, so a
    call running `System(...)` or `ChanSpy(...)` matched a normal call's step."""
    apps = ["Set", "Dial", "Queue", "Answer", "VoiceMail"]
    messages = [
        f'Executing [<*>@from-internal:<*>] {app}("PJSIP/<*>-<*>", "<*>") in new stack'
        for app in apps
        for _ in range(4)
    ]
    miner = TemplateMiner()
    ids = miner.add(messages)
    assert len(set(ids)) == len(apps)
    spy = 'Executing [<*>@from-internal:<*>] ChanSpy("PJSIP/<*>-<*>", "<*>") in new stack'
    assert miner.match([spy]) == [None]


def test_rsyslog_high_precision_lines_read_host_and_program_as_fields():
    """QA strongSwan: rsyslog's RFC 3339 lines went to `iso`, which kept `vpn-gw charon:` in
    every template (a second gateway's lines were all new events); an application's line with
    its level after a one-word time stays `iso`'s (the level is the event)."""
    syslog = [
        "2026-11-22T01:01:06.123456+01:00 vpn-gw charon: 11[NET] <1155> sending packet",
        "2026-11-22T01:01:07.5+01:00 vpn-gw2 openvpn[1234]: TLS Error: TLS handshake failed",
    ]
    assert rank_formats(syslog)[0].name == "syslog-iso"
    fmt = resolve_format("syslog-iso")
    ok, cols = split_lines(pa.array(syslog), fmt)
    assert ok.all() and cols["Host"].to_pylist() == ["vpn-gw", "vpn-gw2"]
    assert cols["Content"].to_pylist()[1] == "TLS Error: TLS handshake failed"
    app = ["2026-11-22T01:01:06.123Z INFO app: started", "2026-11-22T01:01:07Z ERROR app: failed"]
    spring = ["2026-11-03T14:22:07.123+00:00  INFO 4121 --- [exec-3] c.e.Order : placed"]
    assert rank_formats(app)[0].name == "iso" and rank_formats(spring)[0].name != "syslog-iso"


def test_a_long_camel_case_name_before_a_quoted_value_is_no_base64():
    """QA Keycloak: `authSessionParentId="..."` (19 letters and `=`) was masked as padded
    base64, so the field's name was lost from every LOGIN template."""
    line = 'response_mode="query", authSessionParentId="5d1e2f3a-4b5c-4d6e-8f70-112233445566"'
    assert mask_text(line) == 'response_mode="query", authSessionParentId="<*>"'
    assert mask_text('cid="1:4RuMER/bh3mK2p+Xr0aZQ1vL9s=" x') == 'cid="<*>:<*>" x'
    assert mask_text("token=dGhpcyBpcyBhIHRlc3Q= ok") == "token=<*> ok"
    assert mask_text("key AAAAB3NzaC1yc2EAAAADAQABAAABAQC== end") == "key <*> end"


def test_kept_error_numbers_and_one_letter_codes_stay_events_and_padding_is_no_word():
    """QA Laravel: `error code 1213|1205|1045|2002` were one `<*>` once four codes were seen;
    QA SQL Server: `Error: 18456, Severity: 14` masked whole, a failed login the event of a
    severity-24 I/O error; QA BIND: the query type `A` beside `AAAA`, `MX`... made every type
    one variable; QA JVM: `[gc,start    ]` and `[gc,start       ]` two templates."""
    codes = ["1213", "1205", "1045", "2002"]
    miner = TemplateMiner()
    ids = miner.add([mask_text(f"ERROR db: Deadlock, error code {c}") for c in codes * 2])
    assert len(set(ids)) == 4
    assert miner.match([mask_text("ERROR db: Deadlock, error code 28")]) == [None]
    assert mask_text("Error: 824, Severity: 24, State: 2.") == (
        "Error: 824, Severity: 24, State: <*>."
    )
    types = ["A", "AAAA", "MX", "PTR", "TXT", "SRV"]
    miner = TemplateMiner()
    ids = miner.add([f"query: <*> IN {t} +E(<*>)K" for t in types for _ in range(3)])
    assert len(set(ids)) == len(types)
    assert mask_text("spid12s     SQL Server is now ready") == "<*> SQL Server is now ready"
    padded = ["[info][gc,start    ] GC(42) Pause", "[info][gc,start ] GC(7) Pause"]
    assert {mask_text(line) for line in padded} == {"[info][gc,start] GC(<*>) Pause"}


def test_host_names_in_any_case_and_service_labels_are_variables():
    """QA BIND: a resolver's DNS 0x20 (`_LdAp._tcp.DC._MsDcs.CORp.iNtERNAl`) and SRV names
    (`_ldap._tcp...`) kept their text, a template per query; an upper-case host
    (`MSRA-SA-41.fareast.corp.microsoft.com`, loghub Hadoop) too."""
    for name in ["_LdAp._tcp.DC._MsDcs.CORp.iNtERNAl", "_ldap._tcp.dc.corp.internal",
                 "MSRA-SA-41.fareast.corp.microsoft.com", "WwW.ExAmPlE.CoM"]:  # fmt: skip
        assert mask_text(f"query: {name} IN SRV") == "query: <*> IN SRV", name
    assert mask_text("at java.io.IOException: x") == "at java.io.IOException: x"


def test_mac_addresses_are_variables():
    """QA UFW: `MAC=00:16:3e:aa:bb:cc:...` kept its letter octets, so a new gateway's MAC made
    every line a new event (540 of 540 windows flagged)."""
    line = "IN=eth0 OUT= MAC=00:16:3e:aa:bb:cc:52:54:00:12:ab:ef:08:00 SRC=203.0.113.9 DPT=22"
    assert mask_text(line) == "IN=<*> OUT= MAC=<*> SRC=<*> DPT=<*>"  # a port is an entity
    assert mask_text("nic 00-16-3E-AA-BB-CC up") == "nic <*> up"
    assert mask_text("at 10:15:02 ab:cd:ef") == "at <*>:<*>:<*> ab:cd:ef"  # no MAC


def test_error_codes_are_kept_alike_by_mask_text_and_by_a_chunk_of_their_lines_alone():
    """A chunk holding only `Code: 60.` or `(code: 2002)` lines (no `err`, `exit`, ... in it)
    skipped the error-number marks, so the parse masked the codes `mask_text` keeps; and
    `mask_text` marked error numbers before statuses, the chunk after them."""
    from logbert.parsing.masks import mask_array

    lines = ["Code: 60. DB::Exception: Table x does not exist. (UNKNOWN_TABLE)",
             "(QueryException(code: 2002): x", "exit status=500 now"]  # fmt: skip
    for line in lines:
        distinct, codes, _ = mask_array(pa.array([line]))
        assert distinct[int(codes[0])].as_py() == mask_text(line), line
    assert mask_text(lines[0]).startswith("Code: 60.")


def test_a_contexts_action_label_is_the_event_however_many_there_are(masked_alike):
    """QA Dovecot: `imap(alice)<pid><session>: save: box=...`, `delete:`, `expunge:`,
    `flag_change:` were one template with the action a variable (four values), so a mass
    delete was a mailbox's normal save; a user's name and a mailbox (a name given)
    stay variables."""
    users = ["alice", "bob", "carol", "dave", "erin"]
    actions = ["save", "delete", "expunge", "flag_change", "copy"]
    lines = [
        f"imap({u})<{1000 + i}><y4+ah7UO4tR/AAA{i % 9}>: {a}: box=INBOX, uid={i}, size={i * 7}"
        for i, (u, a) in enumerate((u, a) for u in users for a in actions)
    ]
    miner = TemplateMiner()
    ids = miner.add(masked_alike(lines))
    assert len(set(ids)) == len(actions)
    templates = {miner.template(t) for t in ids}
    assert "imap(<*>: delete: box=<*>, uid=<*>, size=<*>" in templates
    # a name ended by a colon after a context is a variable when it is no label (capitals)
    names = [f"imap({i}): User{i}: logged out" for i in range(8)]
    assert len(set(TemplateMiner().add(masked_alike(names)))) == 1
