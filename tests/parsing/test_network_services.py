"""Network services' logs as blind QA met them (round 19): AWS ALB's absolute request URLs,
statuses before the request and TLS versions; Mosquitto's reason codes, its ISO times and a
template of variables alone that training filled with worded lines; FreeRADIUS's users and
termination causes; Varnish's statuses."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from logbert.errors import LogbertError
from logbert.parsing.auto import rank_formats
from logbert.parsing.formats import resolve_format
from logbert.parsing.frozen import FrozenMiner
from logbert.parsing.masks import mask_text
from logbert.parsing.miner import TemplateMiner
from logbert.parsing.pipeline import parse_files


def test_an_absolute_url_in_a_request_line_keeps_its_endpoint(masked_alike):
    """QA ALB: `"GET https://shop.example.com:443/api/orders/42 HTTP/2.0"` was `GET <*>
    HTTP/<*>`, every endpoint (`/.env` and `/api/orders` alike) one event."""
    masked = masked_alike([
        '"GET https://shop.example.com:443/api/orders/42 HTTP/2.0" 200',
        '"GET https://shop.example.com:443/.env HTTP/1.1" 404',
        "request_url=https://shop.example.com:443/api/orders/42 status=200",
        '{"url": "https://shop.example.com:443/api/orders/42"}',
    ])  # fmt: skip
    assert masked == [
        '"GET /api/orders/<*> HTTP/<*>" 2xx',
        '"GET /.env HTTP/<*>" 4xx',
        "request_url=/api/orders/<*> status=2xx",
        '{"url": "/api/orders/<*>"}',
    ]
    # squid's own line names the site: its URL stays one variable
    squid = "TCP_MISS/200 512 GET http://example.com/index.html - HIER_DIRECT/1.2.3.4 text/html"
    assert mask_text(squid) == "TCP_MISS/2xx <*> GET <*> - HIER_DIRECT/<*> text/html"


def test_statuses_before_the_request_keep_their_class(masked_alike):
    """QA ALB: `502 - 34 366 "GET ...` (the balancer's and the target's statuses, then the
    bytes) was a 200's event; the byte counts stay numbers."""
    masked = masked_alike([
        '200 200 34 366 "GET /api/orders/42 HTTP/2.0"',
        '502 - 34 366 "GET /api/orders/43 HTTP/2.0"',
        '502 200 340 366 "POST /api/orders HTTP/2.0"',
    ])  # fmt: skip
    assert masked == [
        '2xx 2xx <*> <*> "GET /api/orders/<*> HTTP/<*>"',
        '5xx - <*> <*> "GET /api/orders/<*> HTTP/<*>"',
        '5xx 2xx <*> <*> "POST /api/orders HTTP/<*>"',
    ]
    combined = '10.0.0.1 - - "GET / HTTP/1.1" 200 512 1234 "-" "curl"'
    assert masked_alike([combined]) == ['<*> - - "GET / HTTP/<*>" 2xx <*> <*> "-" "curl"']


def test_a_tls_version_is_a_state_not_a_number(masked_alike):
    """QA ALB: `ssl_protocol=TLSv1.<*>` made a downgrade to TLS 1.1 a TLS 1.3 event."""
    lines = [f"ssl_protocol={v} cipher=ECDHE" for v in ("TLSv1.3", "TLSv1.1", "TLSv1", "SSLv3")]
    assert masked_alike(lines) == lines
    assert masked_alike(["Accepted TLS 1.3 connection"]) == ["Accepted TLS 1.3 connection"]


def test_a_wordless_template_takes_at_scoring_the_worded_lines_training_gave_it():
    """QA Mosquitto: training mined `<*> <*> <*>` from `<client> <qos> <topic>` lines, but
    scoring the training file itself made `telegraf <*> <*>` a new event (the rule that keeps
    `error: out of memory` out of a histogram row's template refused it)."""
    clients = ["grafana-01", "nodered-ops", "telegraf", "mqtt-bridge", "influx"]
    lines = [mask_text(f"{c} 0 factory/+/alarm") for c in clients]
    miner = TemplateMiner()
    trained = miner.add(lines)
    known = TemplateMiner.from_state(miner.to_state())
    assert FrozenMiner(known).add(lines) == trained
    # a template of numbers alone still takes no worded line
    histogram = TemplateMiner()
    histogram.add([mask_text(f"{i}.000000 {i}.000001 {i}") for i in range(5)])
    reloaded = TemplateMiner.from_state(histogram.to_state())
    assert reloaded.match([mask_text("error: out of memory")]) == [None]


def test_return_and_reason_codes_and_varnish_statuses_are_outcomes(masked_alike):
    """QA Mosquitto: `(Mid: 7, RC:135)` (not authorised) was an acknowledged publish's event;
    QA Varnish: `RespStatus 503` was a 200's."""
    assert masked_alike([
        "Received PUBACK from sensor-0001 (Mid: 3, RC:135)",
        "job finished rc=1",
        "reason code 135",
        "vxid=7 RespStatus 503",
        "vxid=8 BerespStatus 200",
    ]) == [
        "Received PUBACK from <*> (Mid: <*>, RC:135)",
        "job finished rc=1",
        "reason code 135",
        "vxid=<*> RespStatus 5xx",
        "vxid=<*> BerespStatus 2xx",
    ]  # fmt: skip
    assert mask_text("src=10.0.0.1 arc=5 tag=2") == "src=<*> arc=<*> tag=<*>"


def test_a_compound_value_naming_a_failure_is_an_outcome():
    """QA FreeRADIUS: `Acct-Terminate-Cause = NAS-Error` (an access point's crash) shared a
    template with `User-Request` once four causes were seen."""
    causes = ["User-Request", "Idle-Timeout", "NAS-Error", "Admin-Reset", "Lost-Carrier"]
    miner = TemplateMiner()
    ids = miner.add([f"Acct-Terminate-Cause = {cause}" for cause in causes * 3])
    templates = {miner.template(tid) for tid in ids}
    for failure in ("Idle-Timeout", "NAS-Error", "Lost-Carrier"):
        assert f"Acct-Terminate-Cause = {failure}" in templates


def test_an_iso_time_ended_by_a_colon_is_read(tmp_path):
    """QA Mosquitto: `log_timestamp_format %Y-%m-%dT%H:%M:%S` writes `2025-11-30T10:00:00: msg`,
    which `auto` and `iso` refused (`<Timestamp> = '2025-11-30T10:00:00:'`)."""
    lines = [f"2025-11-30T10:00:0{i}: New client connected as sensor-0{i}." for i in range(5)]
    assert rank_formats(lines)[0].name == "iso"
    log, out = tmp_path / "mosquitto.log", tmp_path / "events.parquet"
    log.write_text("".join(f"{line}\n" for line in lines))
    parse_files([str(log)], resolve_format("iso"), out)
    table = pq.read_table(out)
    assert table["timestamp"].null_count == 0
    assert table["content"][0].as_py() == "New client connected as sensor-00."


def test_two_users_in_square_brackets_are_one_event():
    """QA FreeRADIUS: `Login incorrect: [peggy.patel]` and `[dave.muller]`, a rare event met
    twice in training, were two templates, and a third user's failure a new event."""
    line = "Login incorrect (mschap: Account disabled): [{}] (from client ap-0{} port 1)"
    miner = TemplateMiner()
    ids = miner.add([mask_text(line.format(u, i)) for i, u in enumerate(["peggy.patel", "dave"])])
    assert ids[0] == ids[1]
    assert miner.match([mask_text(line.format("zoe.silva", 7))]) == [ids[0]]
    # two levels in brackets stay two events
    levels = TemplateMiner()
    ids = levels.add(["[INFO] disk check done", "[WARN] disk check done"])
    assert ids[0] != ids[1]


def test_lines_that_all_start_with_white_space_are_told_how_to_read_them(tmp_path):
    """QA Varnish: `varnishlog -g raw` right-aligns its vxid, and `<Vxid> <Tag> ...` read no
    line, with no word of the leading white space."""
    log = tmp_path / "raw.log"
    log.write_text("         3 Begin          b bereq 2 fetch\n         3 End            b\n")
    with pytest.raises(LogbertError, match=r"start the format string with ' \*' \(' \*<Vxid>"):
        parse_files([str(log)], resolve_format("<Vxid> <Tag> <Side> <Content>"), tmp_path / "e")
    summary = parse_files([str(log)], resolve_format(" *<Vxid> <Tag> <Side> <Content>"),
                          tmp_path / "e.parquet")  # fmt: skip
    assert summary.events == 2


def test_a_named_id_with_a_number_after_a_hyphen_is_a_variable(masked_alike):
    """QA Mosquitto: `Client sensor-<*> has exceeded timeout` kept the device family, so a
    gateway's timeout (`gw-line3-02`) was a new event; QA FreeRADIUS: `wifi-ap-<*>` beside
    `lobby-ap-01`. A version after a software's name stays its name's."""
    assert masked_alike([
        "Client sensor-0001 has exceeded timeout, disconnecting.",
        "Client gw-line3-02 has exceeded timeout, disconnecting.",
        "Login OK: [bob] (from client lobby-ap-01 port 3)",
        "Started jetty-6.1.26 on nginx-1.25",
    ]) == [
        "Client <*> has exceeded timeout, disconnecting.",
        "Client <*> has exceeded timeout, disconnecting.",
        "Login OK: [bob] (from client <*> port <*>)",
        "Started jetty-<*> on nginx-<*>",
    ]  # fmt: skip


def test_a_base64_session_id_with_plus_or_slash_is_one_variable(masked_alike):
    """QA Dovecot: `session=<y4+ah7UO4tR/AAAB>` was kept whole, or cut at its `/` into
    `<*>/5lm`, so a rare event met again under another session id was a new event."""
    assert masked_alike([
        "Login: user=<dave@example.com>, method=CRAM-MD5, TLS, session=<y4+ah7UO4tR/AAAB>",
        "Login: user=<erin@example.com>, method=CRAM-MD5, TLS, session=<VzNISS9QSvSH/5lm>",
        "Login: user=<fred@example.com>, method=CRAM-MD5, TLS, session=<Qz+ISS9QSvSHa7xK>",
    ]) == ["Login: user=<<*>>, method=CRAM-MD5, TLS, session=<<*>>"] * 3  # fmt: skip


def test_a_set_of_states_under_a_state_name_is_a_state():
    """QA Zeek JSON: one `service=gssapi,smb` (a Zeek set) made the whole `service` field a
    variable, so nine connections of never-seen protocols matched known templates."""
    services = ["dns", "http", "ssl", "ssh", "smb", "gssapi,smb"]
    messages = [f"conn_state=SF proto=tcp service={s} uid=<*>" for s in services for _ in range(3)]
    miner = TemplateMiner()
    assert len(set(miner.add(messages))) == len(services)
    assert miner.match(["conn_state=SF proto=tcp service=rdp uid=<*>"]) == [None]


def test_a_names_last_parts_are_the_names_not_the_templates(masked_alike):
    """QA OpenVPN: `[yusuf-desktop]` and `[frank-desktop]` made `[<*>-desktop]`, so
    `[bea-laptop]`'s normal failed login was a new event."""
    lines = [f"{cn}/203.0.113.5:51234 TLS Error: [{cn}] AUTH_FAILED"
             for cn in ("yusuf-desktop", "frank-desktop")]  # fmt: skip
    miner = TemplateMiner()
    (tid,) = set(miner.add(masked_alike(lines)))
    assert miner.match(masked_alike(["bea-laptop/203.0.113.9:40000 TLS Error: [bea-laptop] "
                                     "AUTH_FAILED"])) == [tid]  # fmt: skip


def test_dns_failed_answers_are_outcomes(masked_alike):
    """QA dnsmasq: `reply <*> is NXDOMAIN` and `is SERVFAIL` were `reply <*> is <*>` with the
    addresses, so a burst of random names answered NXDOMAIN was a client's normal lookups."""
    lines = [f"reply host{i}.example.com is 93.184.216.{i}" for i in range(5)]
    lines += [f"reply bad{i}.example.net is {code}" for i in range(3) for code in
              ("SERVFAIL", "NXDOMAIN", "NODATA")]  # fmt: skip
    miner = TemplateMiner()
    templates = {miner.template(t) for t in miner.add(masked_alike(lines))}
    assert templates == {"reply <*> is <*>", "reply <*> is SERVFAIL", "reply <*> is NXDOMAIN",
                         "reply <*> is NODATA"}  # fmt: skip


def test_a_php_script_names_no_endpoint_the_resource_after_it_does(masked_alike):
    """QA Nextcloud: `/remote.php/<*>` made file sync, calendars and the old WebDAV one event,
    and `/ocs/<*>` every sharing API call."""
    urls = ["/remote.php/dav/files/alice/Documents/a1.odt", "/remote.php/dav/calendars/bob/p/",
            "/remote.php/webdav/x3", "/ocs/v2.php/apps/files_sharing/api/v1/shares/2",
            "/index.php/login"]  # fmt: skip
    masked = masked_alike([f"Request rejected method=PROPFIND url={u} user=alice" for u in urls])
    assert [m.split()[3] for m in masked] == [
        "url=/remote.php/dav/files/<*>", "url=/remote.php/dav/calendars/<*>",
        "url=/remote.php/webdav/<*>", "url=/ocs/v2.php/apps/files_sharing/<*>",
        "url=/index.php/login",
    ]  # fmt: skip
    assert len(set(TemplateMiner().add(masked))) == len(urls)


def test_fail2ban_s_action_return_code_is_kept(masked_alike):
    """QA fail2ban: `-- returned 1` and `-- returned 4` (an iptables failure and a lock held)
    were one event; a count that a query returned stays a number."""
    assert masked_alike(["7f8a6c1e2d30 -- returned 4", "query returned 5 rows"]) == [
        "<*> -- returned 4", "query returned <*> rows"
    ]  # fmt: skip


def test_a_csv_record_s_fields_are_words(masked_alike):
    """QA PAN-OS: a firewall's CSV payload was a few comma-glued words, so every allowed and
    denied connection of every application was one template (90% of the lines); a quoted
    field keeps its commas, and `name=value` lists and prose stay as they are."""
    def record(app: str, action: str, country: str = "United States") -> str:
        return (f"1,2025/11/24 08:00:16,012801096514,TRAFFIC,end,2561,10.1.1.22,142.250.72.14,"
                f"allow-web,acme\\bwilson,,{app},vsys1,trust,untrust,tcp,{action},{country},"
                '"Mozilla/5.0 (KHTML, like Gecko)",0')  # fmt: skip
    lines = [record(app, action) for app in ("ssl", "ssh") for action in ("allow", "drop")]
    lines.append(record("ssl", "allow", "Netherlands"))  # a field's own spaces split nothing
    masked = masked_alike(lines)
    assert masked[0].split(", ")[3:5] == ["TRAFFIC", "end"]
    assert len(masked[0].split(", ")) == 20  # the quoted field one, its comma its own
    assert len(set(TemplateMiner().add(masked))) == 4
    kept = ["ready=true,policy=3,wakefulness=Awake,a=1,b=2,c=3,d=4,e=5,f=6,g=7,h=8",
            "ids 1,2,3,4,5,6,7,8,9,10,11,12 were sent to the queue in one batch of work"]
    assert masked_alike(kept) == [
        # (`ready=true` a health check's verdict since round 71, as Calico's `ready=false`)
        "ready=true,policy=<*>,wakefulness=Awake,a=<*>,b=<*>,c=<*>,d=<*>,e=<*>,f=<*>,g=<*>,h=<*>",
        "ids <*> were sent to the queue in one batch of work",  # (a list: one value, round 50)
    ]


def test_syslog_without_a_host_or_a_tag_is_read(tmp_path):
    """QA dnsmasq: a daemon's own file without the host (`Nov 29 08:00:05 dnsmasq[812]: ...`)
    was refused by `auto` and rejected by `linux`; QA PAN-OS: `rfc3164` rejected every line of
    a firewall that sends no tag. A message's own `: ` makes no program."""
    dns = [f"Nov 29 08:00:0{i} dnsmasq[812]: query[A] host{i}.example.com from 10.0.0.{i}"
           for i in range(4)]  # fmt: skip
    dns.append("Nov 29 08:00:09 dnsmasq[812]: reply error is SERVFAIL: x")
    assert rank_formats(dns)[0].name == "syslog-nohost"
    fw = [f"<14>Nov 24 08:00:1{i} PA-3220 1,2025/11/24 08:00:16,0128,TRAFFIC,end" for i in range(4)]
    fw.append("<13>Nov 24 08:00:20 fw1 sshd[22]: Accepted password for x: ok")
    log = tmp_path / "fw.log"
    log.write_text("\n".join(fw) + "\n")
    summary = parse_files([str(log)], resolve_format("rfc3164", year=2025), tmp_path / "e.parquet")
    assert summary.rejected == 0
    table = pq.read_table(tmp_path / "e.parquet", columns=["Component", "content"]).to_pydict()
    assert table["Component"] == ["", "", "", "", "sshd"]
    assert table["content"][0].startswith("1,2025/11/24") and table["content"][4] == (
        "Accepted password for x: ok"
    )


def test_a_status_of_one_digit_is_kept(masked_alike):
    """QA OpenVPN: `status=0` (success) and `status=1` were one event; a longer number, a
    nested field's (a query's value) and a count stay masked."""
    lines = ["MULTI: status=0 client=x", "MULTI: status=1 client=x", "filter.status=3 x",
             "status=5031 ok", "Job status 3 of 7", "status: 2"]  # fmt: skip
    assert masked_alike(lines) == ["MULTI: status=0 client=x", "MULTI: status=1 client=x",
                                   "filter.status=<*> x", "status=<*> ok",
                                   "Job status <*> of <*>", "status: 2"]  # fmt: skip


def test_a_boolean_that_says_it_failed_is_kept(masked_alike):
    """QA Nomad: a task event's `failed=true` was `failed=<*>`, a failure a success's event."""
    assert masked_alike(["Task event: type=Restarting failed=true", "is_failed=true x"]) == [
        "Task event: type=Restarting failed=true", "is_failed=<*> x"
    ]  # fmt: skip


def test_the_kernels_audit_record_type_is_kept(masked_alike):
    """QA kernel security: `audit: type=1400` (AppArmor) and `type=1326` (seccomp) were both
    `type=<*>`; a bare `type=` number elsewhere stays masked."""
    assert masked_alike(["audit: type=1326 audit(1764496800.123:456): auid=0", "type=7 x"]) == [
        "audit: type=1326 audit(<*>:<*>): auid=<*>", "type=<*> x"
    ]  # fmt: skip


def test_a_sip_or_http_reply_code_keeps_its_class(masked_alike):
    """QA Kamailio: `reply code 503` and `code=503` were `<*>`, a failed call an answered
    one's event; an error code and a four-digit code stay as they were."""
    lines = ["<script>: reply code 503 for INVITE", "ACC: answered: method=BYE;code=200;x=1",
             "error code 1213", "code=1213 x"]  # fmt: skip
    assert masked_alike(lines) == ["<script>: reply code 5xx for INVITE",
                                   "ACC: answered: method=BYE; code=2xx; x=<*>",
                                   "error code 1213", "code=<*> x"]  # fmt: skip


def test_an_apis_internal_group_keeps_the_resource_after_it(masked_alike):
    """QA GitLab: `/api/v4/internal/allowed` and `/post_receive` were one event."""
    lines = ["path=/api/v4/internal/allowed x", "path=/api/v4/projects/42/issues x"]
    assert masked_alike(lines) == [
        "path=/api/v4/internal/allowed x", "path=/api/v4/projects/<*>/issues x"
    ]  # fmt: skip


def test_a_kerberos_tickets_encryption_type_is_kept(masked_alike):
    """QA MIT KDC: an rc4 ticket was the ordinary aes ticket's event."""
    line = "ISSUE: authtime 1764233000, etypes {{rep={0}, tkt={0}, ses={0}}}, d@EX for x"
    weak, strong = masked_alike([line.format("rc4-hmac(23)"), line.format("aes256-sha1-96(18)")])
    assert "tkt=rc4-hmac(23)" in weak and "tkt=<*>(18)" in strong


def test_a_braced_list_of_numbers_is_one_value_whatever_its_length(masked_alike):
    """QA MIT KDC: `AS_REQ (6 etypes {18 17 20 19 16 23})` was a template per count of
    encryption types, a client offering one more a new event."""
    lines = [f"AS_REQ ({n} etypes {{{' '.join(['18', '17', '-1.5'][:n])}}}) x" for n in (1, 2, 3)]
    assert set(masked_alike(lines)) == {"AS_REQ (<*> etypes {<*>}) x"}
    assert masked_alike(["state {rep=18 tkt=18}"]) == ["state {rep=<*> tkt=<*>}"]


def test_linux_does_not_read_a_bracketed_level_as_the_host():
    """QA Tor: `linux` read `[notice]` as the host, rejected every line without `: ` and was
    picked by `auto`."""
    lines = [f"Nov 30 10:00:0{i}.000 [notice] Heartbeat: uptime is {i} days" for i in range(4)]
    lines += ["Nov 30 10:00:09.000 [warn] Failing because we have 4063 connections already."]
    assert not [s for s in rank_formats(lines) if s.name == "linux" and s.dated]


def test_a_modsecurity_rule_is_the_event_and_what_it_matched_a_variable(masked_alike):
    """QA ModSecurity: every CRS rule was one `[id "<*>"]` event while each parameter name
    and matched phrase split one rule's events; a deny's status was a number."""
    line = ('ModSecurity: Access denied with code {} (phase 2). Matched phrase "{}" at ARGS:{}. '
            '[id "{}"] [msg "OS File Access Attempt"] [unique_id "ZW2bN3f8AAEAAAZ0@cEAAAAA"]')
    masked = masked_alike([line.format(403, "etc/passwd", "file", 930120),
                           line.format(403, "etc/shadow", "f", 930120),
                           line.format(302, "etc/passwd", "file", 942100)])  # fmt: skip
    assert masked[0] == masked[1] == (
        'ModSecurity: Access denied with code 4xx (phase <*>). Matched phrase <*> at ARGS:<*>. '
        '[id "930120"] [msg <*>] [unique_id "<*>"]'
    )
    assert 'code 3xx' in masked[2] and '[id "942100"]' in masked[2]


def test_a_peers_description_after_its_address_is_a_variable(masked_alike):
    """QA FRR: `neighbor 10.0.1.2(spine1)` was a template per peer or `<*>)` by counts."""
    assert masked_alike(["%ADJCHANGE: neighbor 10.0.1.2(spine1) in vrf default Up"]) == [
        "%ADJCHANGE: neighbor <*>(<*>) in vrf default Up"
    ]


def test_a_machines_dashed_name_ending_in_its_number_is_a_variable(masked_alike):
    """QA Patroni: `I am (pg-node2), the leader with the lock` was a template per node, and
    after a failover every node's heartbeat a new event."""
    lines = ["INFO: no action. I am (pg-node2), the leader with the lock",
             "INFO: Lock owner: db-03; I am k8s-worker-3",
             "loaded properties from hadoop-metrics2.properties"]  # fmt: skip
    assert masked_alike(lines) == [
        "INFO: no action. I am (<*>), the leader with the lock",
        "INFO: Lock owner: <*>; I am <*>", "loaded properties from hadoop-metrics2.properties",
    ]  # fmt: skip
