"""QA round 36 (kubelet, auditd, Asterisk, BIND, Exim, Samba, etcd): what each log's first run
got wrong, as a new user met it."""

from __future__ import annotations

import shutil
import subprocess

import pyarrow.parquet as pq

from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files
from logbert.parsing.summary import join_continuations

_KUBELET = [
    'I1201 06:04:43.075923    3319 kubelet.go:2400] "SyncLoop ADD" source="api" '
    'pods=["default/web-7d9f-abcde"]',
    'I1202 06:04:44.075923    3319 kubelet.go:2416] "SyncLoop DELETE" source="api" '
    'pods=["default/web-7d9f-abcde"]',
    'E1202 06:04:45.075923    3319 kubelet.go:2416] "SyncLoop DELETE" source="api" '
    'pods=["default/web-7d9f-xyzab"]',
]


def _templates(tmp_path, lines: list[str], fmt: str) -> tuple[list[str], object]:
    log = tmp_path / "k.log"
    log.write_text("\n".join(lines) + "\n")
    summary = parse_files([str(log)], resolve_format(fmt, year=2026), tmp_path / "e.parquet")
    return pq.read_table(tmp_path / "e.parquet").column("template").to_pylist(), summary


def _joined_by(advice: str, lines: list[str], tmp_path) -> list[str] | None:
    """The lines as the advice's first awk command joins them (None without awk)."""
    if not shutil.which("awk"):
        return None
    command = advice.split(", ", 1)[1].split(" LOG > joined.log")[0]
    log = tmp_path / "records.log"
    log.write_text("\n".join(lines) + "\n")
    out = subprocess.run(["sh", "-c", f"{command} {log}"], capture_output=True, text=True)
    return out.stdout.splitlines()


def test_a_klog_header_inside_a_syslog_message_is_no_part_of_the_event(tmp_path):
    """QA kubelet: lines as journald stores them kept `I1201` and the time in every template
    (a new set of events each day), and the time before the quoted message made it a value:
    "SyncLoop ADD" and DELETE were one event."""
    wrapped = [
        f"Dec 0{i + 1} 06:04:4{i} node-1 kubelet[3319]: {line}" for i, line in enumerate(_KUBELET)
    ]
    templates, _ = _templates(tmp_path, wrapped, "linux")
    assert templates[0].startswith('"SyncLoop ADD" source="api" pods=')
    assert templates[1].startswith('"SyncLoop DELETE" source="api" pods=')
    # (its severity stays, unless info: QA k3s, an error was its message's event)
    assert templates[2].startswith('error "SyncLoop DELETE" source="api" pods=')


def test_klog_level_letters_are_levels(tmp_path):
    """QA kubelet: an `E` line of a message logged at `I` was one event with it, and nothing
    said so, as `<Level>` fields do."""
    _, summary = _templates(tmp_path, _KUBELET, "klog")
    mixed = [w for w in summary.warnings if "levels of different severity" in w]
    assert len(mixed) == 1 and "<LevelDate>" in mixed[0] and "at e, i" in mixed[0]
    assert "no format string can leave it in the message" in mixed[0]


def test_klog_records_over_lines_are_joined_by_their_level_letter(tmp_path):
    """QA kubelet: a value written over lines (`err=<` ... ` >`) was told to join by a
    four-digit year's date, which no klog line starts with."""
    lines = [
        'E1203 00:35:00.881360    3319 pod_workers.go:1298] "Error syncing pod, skipping" err=<',
        '\tfailed to "CreatePodSandbox" for "api-bnq4_default(2790)"',
        ' > pod="default/api-bnq4" podUID="27906362"',
        'I1203 00:35:00.886360    3319 event.go:376] "Event occurred" object="default/api-bnq4"',
    ]
    advice = join_continuations(lines)
    assert advice.startswith("where each record starts with a date, awk '/^[A-Za-z][0-9]+/")
    assert _joined_by(advice, lines, tmp_path) in (None, [" ".join(lines[:3]), lines[3]])


def test_container_names_and_image_references_are_values(masked_alike):
    """QA kubelet: `for \\"nginx\\" with CrashLoopBackOff` and the image behind a failed pull
    kept the container's and the image's names (its host masked): a template per container
    and per image, a new release's failed pull a new event."""
    crash, pull, named = masked_alike([
        r'"Error syncing pod, skipping" err="failed to \"StartContainer\" for \"api\" with '
        r'CrashLoopBackOff: \"back-off 10s\"" pod="default/x"',
        r'Back-off pulling image \"registry.example.com:5000/shop/cart:v2.14.1-hotfix\": ref '
        r"docker.io/library/nginx@sha256:0a1b2c: not found",
        '"Killing container" containerName="cart" gracePeriod=30',
    ])
    assert r'for \"<*>\" with CrashLoopBackOff' in crash and r'\"StartContainer\"' in crash
    assert pull == r'Back-off pulling image \"<*>\": ref <*>: not found'
    assert named == '"Killing container" containerName=<*> gracePeriod=<*>'


def test_auditd_enriched_records_split_at_their_separator(tmp_path):
    """QA auditd: ENRICHED records (auditd 3's default) put 0x1d before their interpreted
    fields; the miner split words there and the params did not, a traceback on every current
    RHEL audit.log. The separator reads as a space, and the enriched names are masked."""
    lines = [
        f"node=h1 type=CRED_DISP msg=audit(179634281{i}.043:{i}): pid={i} uid=0 res=success"
        f'\x1dAUID="{user}" UID="root"'
        for i, user in enumerate(["carol", "dave", "bob"])
    ]
    log = tmp_path / "audit.log"
    log.write_text("\n".join(lines) + "\n")
    parse_files([str(log)], resolve_format("auditd"), tmp_path / "e.parquet")
    events = pq.read_table(tmp_path / "e.parquet").to_pydict()
    assert set(events["template"]) == {"CRED_DISP pid=<*> uid=<*> res=success AUID=<*> UID=<*>"}
    assert events["params"][0] == ["pid=0", "uid=0", 'AUID="carol"', 'UID="root"']


def test_bind_samba_and_asterisk_logs_have_formats_of_their_own(auto_parsed):
    """QA BIND, Samba, Asterisk: `auto` read no format (BIND's `04-Dec-2026` date, Asterisk's
    `[Dec  3 20:08:57]`), or `iso` kept Samba's header ids in every template."""
    bind = auto_parsed([
        "04-Dec-2026 10:21:11.123 general: info: zone example.com/IN: loaded serial 2026120401",
        "04-Dec-2026 10:21:12.456 client @0x7f1a2c00b2d8 10.0.0.15#53211 (www.example.com): "
        "query: www.example.com IN A +E(0)K (10.0.0.53)",
    ], "bind")  # fmt: skip
    assert bind["Category"][0] == "general"
    assert bind["Level"][0] == "info" and bind["content"][1].startswith("client @0x7f1a2c00b2d8")
    samba = auto_parsed([
        "[2026/12/03 08:39:24.961380,  2, pid=29996, effective(1119, 1001), real(0, 0)] "
        "../../source3/smbd/open.c:1473(open_file)   walter opened file a.pdf read=Yes write=Yes",
        "[2026/12/03 08:39:25.000001,  3, pid=1033, effective(0, 0), real(0, 0), class=winbind] "
        "../../source3/winbindd/winbindd_getpwnam.c:59(winbindd_getpwnam_send) [29648]: getpwnam "
        "EXAMPLE\\alice",
    ], "samba")  # fmt: skip
    assert samba["Pid"] == ["29996", "1033"] and samba["Class"][1] == "winbind"
    assert samba["template"][0].startswith("../../source3/smbd/open.c:<*>(open_file) ")
    asterisk = auto_parsed([
        "[Dec  3 20:08:57] VERBOSE[30398][C-0000062f] pbx.c:     -- Executing "
        '[h@from-internal:1] NoOp("SIP/115-00000a5f", "Hangup") in new stack',
        "[Dec  3 20:08:58] NOTICE[1234] chan_sip.c: Registration from '\"101\" "
        "<sip:101@10.0.0.5:5060>' failed for '10.0.0.9:5060' - Wrong password",
    ], "asterisk")  # fmt: skip
    assert asterisk["CallId"][0] == "C-0000062f" and asterisk["Level"] == ["VERBOSE", "NOTICE"]


def test_a_source_site_tells_events_apart(tmp_path):
    """QA Samba: winbindd's getpwnam, getgroups and lookupname requests (a source file and
    function each, a three-word message each) were one event, `winbindd_<*>)`."""
    requests = [("getpwnam", 59, "alice"), ("lookupname", 62, "bob"), ("getgroups", 71, "carol")]
    lines = [
        f"[2026/12/03 07:33:{i:02d}.916696,  3, pid=1033, effective(0, 0), real(0, 0)] ../../"
        f"source3/winbindd/winbindd_{op}.c:{line}(winbindd_{op}_send) [{29648 + i}]: {op} "
        f"EXAMPLE\\{user}"
        for i, (op, line, user) in enumerate(requests * 4)
    ]
    templates, _ = _templates(tmp_path, lines, "samba")
    assert len(set(templates)) == 3
    assert "winbindd_lookupname.c:<*>(winbindd_lookupname_send) [<*>]: lookupname" in templates[1]


def test_commands_roles_and_tls_versions_stay_events(tmp_path):
    """QA BIND: `command 'halt'` was `command '<*>'` with `'reload'`; QA etcd: raft's four
    roles one `became <*>`; QA Exim: `X=TLS1.0:...` was `X=TLS1.<*>`, a downgrade no event."""
    commands = [f"received control channel command '{c}'" for c in ("reload", "stats", "halt")]
    roles = ("follower", "pre-candidate", "candidate", "leader") * 3
    became = [f"8e9e05c52164694d became {role} at term {t}" for t, role in enumerate(roles)]
    mails = [
        f"1kXyZa-000AbC-4{v} <= a{v}@example.com P=esmtps X=TLS1.{v}:ECDHE-RSA-AES256-SHA:256 "
        f"S=45{v}"
        for v in "323233"
    ]
    lines = [
        f"2026-12-04 08:00:{i:02d} {text}" for i, text in enumerate(commands + became + mails)
    ]
    templates, _ = _templates(tmp_path, lines, "iso")
    assert templates[2] == "received control channel command 'halt'"
    assert len(set(templates[3:15])) == 4 and "became pre-candidate at term <*>" in templates[4]
    # (the version kept, the cipher suite a value since QA Pure-FTPd: round 128)
    assert len(set(templates[15:])) == 2 and "X=TLS1.2:<*>:<*>" in templates[16]


def test_a_hangup_cause_is_an_outcome(masked_alike):
    """QA Asterisk: cause 34 (no circuit) was cause 17's (user busy) event."""
    (hangup,) = masked_alike(["SIP/115-00000a5f hung up (cause 34 - Circuit/channel congestion)"])
    assert "(cause 34 - Circuit/channel congestion)" in hangup


def test_join_advice_fits_json_records_and_syslog_dates(tmp_path):
    """QA etcd: following the join advice glued a Go panic's traceback onto its zap record,
    which then was no JSON and was rejected, the crash's one record lost; QA Asterisk: records
    starting `[Dec  1 07:00:10]` were told to join by an ISO date, and the join made the whole
    log one line."""
    json_advice = join_continuations(['{"level":"panic","msg":"txn"}', "goroutine 231 [running]:"])
    assert "awk" not in json_advice and "cannot take the lines after them" in json_advice
    lines = [
        "[Dec  1 07:00:10] VERBOSE[23896] pbx.c: -- Executing",
        "<--- SIP read --->",
        "[Dec  1 07:00:11] NOTICE[1] x.c: done",
    ]
    joined = _joined_by(join_continuations(lines), lines, tmp_path)
    assert joined in (None, [f"{lines[0]} {lines[1]}", lines[2]])


def test_a_mail_peers_own_words_are_values(masked_alike):
    """QA Exim: a client's HELO name and a remote server's reply text made a template per
    client and per provider's wording; a new provider's every normal delivery a new event."""
    rcpt, helo, delivered, auth = masked_alike([
        "H=(WIN-CLJ1B0GQ6JP) [45.9.20.1]:51235 F=<> rejected RCPT <anna@example.com>: Unknown",
        "1xYuFc-000Mvg-ym <= a@b.com H=mail.example.org (mx1) [10.0.9.160] P=esmtps S=16577",
        "1xYuP2-000Kkr-nk => a@gmail.com R=dnslookup T=remote_smtp CV=yes C=\"250 2.0.0 OK  "
        '1796256627 i61veb - gsmtp"',
        "dovecot_login authenticator failed for (ylmf-pc) [1.2.3.4]:5123: 535 Incorrect "
        "authentication data (set_id=bob)",
    ])  # fmt: skip
    assert rcpt.startswith("H=(<*>) [<*>]:<*> F=<> rejected RCPT")
    assert "H=<*> (<*>) [<*>]" in helo and delivered.endswith(' CV=yes C="<*>"')
    assert "failed for (<*>) [<*>]" in auth and auth.endswith("(set_id=<*>)")
