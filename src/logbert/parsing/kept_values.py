"""Values that name the event, kept through the masks: HTTP status classes, error numbers
and exit codes, a request's endpoint.

Every mask treats digits alike and masks paths, so these values are marked first with
private-use characters the masks leave alone (a status's class digit, an error number's
digits, a request path's kept segment), and the marks are restored once masking is done
(`mark_array`/`restore_array` for chunks, `mark_text`/`restore_text` for one string).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc

from logbert.parsing.mask_symbols import HTTP_METHODS, WILDCARD, apply_gated

# An HTTP status code is a number, but its class is the event: `status=503` must not share a
# template with `status=200`. A three-digit code after a status name (`status=`, `"status": `,
# `status_code=`, `HTTP_STATUS:`, `status code: `), after a name that says HTTP with a space
# and no sign (`status code 503`, as in "Request failed with status code 503", `HTTP status
# 404`; a bare `status 127` is left alone: shells write exit statuses so) or after the request
# of an access-log line (`HTTP/1.1" 503`) keeps its class: `5xx`. The class digit is written
# as a private-use character until masking is done (`_restore_status_classes`), since every
# mask after the `0x` one treats all digits alike (see the module doc).
# also a proxy's names (Traefik's `DownstreamStatus`, `OriginStatus`; AWS ALB's
# `elb_status_code`, `target_status_code`; nginx's `upstream_status`; QA Traefik: 502s and 200s
# were one event)
_STATUS_SIGNED = (  # ... and Kubernetes' audit `responseStatus.code` (QA: a 500 was a 200's event)
    r"(?:(?:(?:http|response|downstream|origin|upstream|target|elb|backend)[_ ]?)?status"
    r"(?:[_ .]?code)?"
    # ... and a SIP or HTTP reply's code, Kamailio's `code=503` (QA: a failed call was an
    # answered one's event); not `Code: 102`, an error's or a runner's result (`ERRNO`)
    # ... and Mattermost's `http_code=500` beside `status_code` (QA: a 500 a 404's event)
    r"|(?:reply|response|sip|http)[_ ]?code)[\"']?\s*(?:[=:]|=>)\s*[\"']?|code="
    # ... and Sentry's access log, `api.access (method='GET' ... response=500 ...)` (QA: a 500
    # a 200's event)
    r"|response="
)
# a nested field's status (JSON lines' `name.field=value`) is HTTP's only under a name that
# says so, `http.status=503`, pino's `res.statusCode=503`: MongoDB's `filter.status=503` is a
# query's value (QA: each such query was a new event)
# ... or Google Cloud Logging's `httpRequest.status=503` (QA GCP: a load balancer's 503 was a 200)
_HTTP_PATH = (
    r"(?:(?:[A-Za-z0-9_]+\.)*(?i:http|httprequest|response|res|api)\.(?:[A-Za-z0-9_]+\.)*)"
)
_STATUS_SPACED = (  # ... Kamailio's `reply code 503 for INVITE` (QA)
    r"(?:(?:http|response)[_ ]status(?:[_ ]code)?|status[_ ]code|(?:reply|response) code) +"
)
_KEPT, _REST, _QUERY = "\ue021", "\ue022", "\ue023"  # a request's path marks (`REQUEST`)
KEPT_SLASH = _KEPT  # (a kept path's slash, for a mask that must see a one-word path as a path)
# HTTP's reason phrases, as servers write them and as Spring's `HttpStatus` names them
_REASONS = (
    "OK", "Created", "Accepted", "No Content", "Moved Permanently", "Found", "See Other",
    "Not Modified", "Bad Request", "Unauthorized", "Forbidden", "Not Found",
    "Method Not Allowed", "Conflict", "Too Many Requests", "Internal Server Error",
    "Bad Gateway", "Service Unavailable", "Gateway Timeout",
    # ... and the rarer ones (QA Vaultwarden: a WebSocket's `=> 101 Switching Protocols` and a
    # `422 Unprocessable Entity` kept no class, `<*>`)
    "Switching Protocols", "Partial Content", "Temporary Redirect", "Permanent Redirect",
    "Payment Required", "Not Acceptable", "Request Timeout", "Gone", "Length Required",
    "Precondition Failed", "Payload Too Large", "Unsupported Media Type",
    "Unprocessable Entity", "Not Implemented", "HTTP Version Not Supported",
    # ... and WebDAV's (QA Radicale: a CalDAV `207 Multi-Status` was `<*> Multi-Status`, every
    # other status a class)
    "Multi-Status", "Locked", "Failed Dependency", "Insufficient Storage",
)  # fmt: skip
_REASON_PHRASES = "|".join(
    sorted({*_REASONS, *(r.upper().replace(" ", "_") for r in _REASONS)}, key=len, reverse=True)
)
_STATUS_CLASSES = {str(d): chr(0xE010 + d) for d in range(1, 6)}  # "5" -> "\ue015"
_DSN_DETAIL = r"[0-9]{1,3}\.[0-9]{1,3}(?:$|[\s,;:)])"  # `.1.1` of an enhanced status code
_STATUS_FORMS = (
    (
        rf"((?:^|[^A-Za-z0-9_.]){_HTTP_PATH}?(?i:{_STATUS_SIGNED}|{_STATUS_SPACED}))",
        # not Slurm's exit code and signal, `status=230:0` (QA), nor systemd's exit status
        # and its name, `status=125/n/a` (QA Podman: `status=1xx/n/a`, its own kept below)
        r"($|[^A-Za-z0-9.:/]|:[^0-9])",
    ),  # fmt: skip
    # ... and uWSGI's `(HTTP/1.1 500)` (QA: a 500 was a 200's event)
    (r"(HTTP/[0-9.]+\"?\s+)", r"($|[\s)])"),
    # ... and ArangoDB's after the request's user, `"POST,/_db/shop/_api/cursor,HTTP/1.1" root
    # 201 512 ...` (QA ArangoDB: a 500 was a 201's event)
    (r"(,HTTP/[0-9.]+\" +(?:[A-Za-z_][^\s\"]* +)?)", r"(\s)"),
    # Puppet's `Error 500 on SERVER` beside `Error 403 on SERVER` (QA: one `Error <*>` event)
    (r"((?:^|\s)Error\s+)", r"(\s+on\s+SERVER)"),
    # Squid's result code, `TCP_DENIED/403`, `TCP_MISS/500` (QA Squid: as one variable, a
    # denied or failed request was a cache hit's event), and Traffic Server's errors in its
    # squid-format log, `ERR_CONNECT_FAIL/502` (QA Traffic Server: masked, a 502 a 504's event)
    (r"((?:^|\s)(?:TCP|UDP|NONE|ERR)_[A-Z_]+/)", r"(\s|$)"),
    # a bare `status 404` before its reason in parentheses, Traffic Server's error.log `sent
    # 10.1.8.250 status 404 (Not Found on Accelerator)` (QA: masked, any status one event)
    (r"((?:^|\s)status\s+)", rf"(\s+\((?:{_REASON_PHRASES})(?:$|[\s,.;:)]))"),
    # an application's request line, `GET /cart 503 12ms` (its path marked by `REQUEST`), or
    # ASP.NET Core's `GET http://api:8080/cart - 503 512 ...` (QA: 200s and 500s one event), or
    # an HTTP client's call to a URL, `POST https://api.partner.io/in/x 503 30ms`, `... -> 503`
    # (QA Sidekiq: a partner's 503 was a 200's event)
    (
        rf"((?:^|\s)(?:{'|'.join(HTTP_METHODS)}) (?:[/{_KEPT}]|https?://)\S*\s+"
        r"(?:-\s+|->\s+|responded\s+)?)",
        r"($|\s)",
    ),
    # ... or after its time in parentheses, Koa's (Strapi's) `POST /admin/login (121 ms) 400`
    # (QA Strapi: 200, 400, 429 and 500 one event, an admin-login brute force unseen)
    (
        rf"((?:^|\s)(?:{'|'.join(HTTP_METHODS)}) [/{_KEPT}]\S*\s+\([0-9.]+ ?m?s\)\s+)",
        r"($|\s)",
    ),
    # ... its status in parentheses, Loki's `POST /loki/api/v1/push (500) 12.3ms` (`_PATH_END`)
    (rf"((?:^|\s)(?:{'|'.join(HTTP_METHODS)}) [/{_KEPT}]\S*\s+\()", r"(\)(?:$|\s))"),
    # Tornado's request line, status first: `200 GET /hub/health (@10.0.0.2) 16.42ms`
    # (JupyterHub, Jupyter Server; QA: every status and endpoint one `<*> GET <*>` event, a
    # storm of 500s invisible)
    (r"(^)", rf"( (?:{'|'.join(HTTP_METHODS)}) [/{_KEPT}])"),
    # ... or a request line that writes the method, then the status, padded: Zulip's
    # `10.0.0.6        POST    429   2ms /json/fetch_api_key (...)` (QA: a 429 and a 401 were
    # a 200's event)
    (rf"((?:^|\s)(?:{'|'.join(HTTP_METHODS)})\s+)", r"(\s+[0-9])"),
    # ... also after the client in brackets, Plex's `Completed: [10.0.0.42:51234] 500 GET
    # /library/metadata/42888 (16 live)` (QA Plex: every status one event, a server answering
    # every request with 500 unseen)
    (r"(\]\s+)", rf"( (?:{'|'.join(HTTP_METHODS)}) [/{_KEPT}])"),
    # .NET's HttpClient, `Response status code does not indicate success: 503 (Service
    # Unavailable).` (QA GitHub Actions runner: masked, a 503 any other code's event)
    (r"(does not indicate success:\s+)", r"($|\s)"),
    # ... and .NET's WebClient, `The remote server returned an error: (503) Server Unavailable.`
    # (QA Duplicati: masked, wrong credentials' 403 a transient 503's event)
    (r"(returned an error:\s+\()", r"(\))"),
    # an application's `Unhandled exception for GET /x, returning 500` (QA WildFly: masked)
    (r"(,\s*returning\s+(?:HTTP\s+|status\s+)?)", r"($|[\s,.;)])"),
    # ModSecurity's `Access denied with code 403 (phase 2)` (QA: a deny and a redirect, `code
    # 302`, one event)
    (r"((?:^|\s)denied with code\s+)", r"($|\s)"),
    # Varnish's `RespStatus 503`, `BerespStatus 200` (varnishlog: QA, a 503 was a 200's event)
    (r"((?:^|\s)(?:Beresp|Resp|Obj)Status\s+)", r"($|\s)"),
    # Phoenix's (Plug.Logger's) `Sent 503 in 4ms` (QA: a 503 was a 200's event), and an
    # application's request filter, `[rid=...] Completed 500 in 9ms` (QA Jetty: masked, a 500
    # that went through the normal steps scored 0)
    (r"((?:^|\s)(?:Sent|Completed) )", r"( in )"),
    # a code with its reason phrase, Gitea's router `completed GET /user/login for 10.0.0.5:51234,
    # 200 OK in 12.3ms` (QA: every status one `<*> OK`), and Spring's `HttpStatus` as it prints,
    # `failed with 503 SERVICE_UNAVAILABLE`, RestTemplate's `Response 200 OK` (QA Spring Boot)
    # ... also quoted, Traefik's `'502 Bad Gateway' caused by: dial tcp ...` (QA: masked, a 502
    # a 499's event, while `'504 Gateway Timeout'` kept its reason)
    # ... and its phrase quoted, Chef's `Net::HTTPClientException: 401 "Unauthorized"` (QA: a
    # 403 would have been a 401's event)
    (r"((?:^|[\s'\"]))", rf"(\s+\"?(?:{_REASON_PHRASES})(?:$|[\s,.;:)'\"]))"),
    # an SMTP reply's code after the word, `failed attempt 2/3: SMTP 421 try again later` (QA
    # PM2: a temporary and a permanent refusal were one event)
    (r"((?:^|\s)SMTP\s+)", r"($|\s)"),
    # ... or first in a command's quoted result, OpenSMTPD's `smtp failed-command command="RCPT
    # TO:<x@y.z>" result="550 Invalid recipient: <x@y.z>"` (QA: a 452 was a 550's event)
    (r"((?:^|\s)result=\")", r"(\s)"),
    # ... and an HTTP reply's, a Java client's `gateway returned HTTP 503 for order 4711` (QA
    # Quarkus: a 503 was a 404's event, 50 sessions of an outage scored 0)
    (r"((?:^|\s)HTTP\s+)", r"($|[\s,.;:)])"),
    # OkHttp's response line, `<-- 503 https://api.example.com/v2/cart (123ms, 512-byte body)`
    # (QA Android: a 404 and a 200 were one `<-- <*> <*>` event)
    (r"((?:^|\s)<-- )", r"(\s)"),
    # an access log's empty request line, `"-" 408 0` (QA lighttpd: a slow-loris flood's 408s
    # and 400s were one `"-" <*>` event)
    (r"(\"-\"\s+)", r"(\s)"),
    # .NET's HttpClient, `Received HTTP response headers after 23.9132ms - 503`, `End
    # processing HTTP request after 24.1ms - 503` (QA Serilog: a 503 was a 200's event)
    (r"(HTTP (?:response headers|request) after [0-9.]+ms - )", r"($)"),
    # an HTTP client's `server responded with 500` (QA TeamCity: a 403 and a 500 one event)
    (r"((?:^|\s)(?:server )?responded with (?:status |code |HTTP )?)", r"($|[\s,.;:)])"),
    # HAProxy's HTTP log: the status after the five timers `Tq/Tw/Tc/Tr/Tt` (QA: a 500 and a
    # 200 were one event, the status a number like the byte count after it)
    (r"(\s-?\d+/-?\d+/-?\d+/-?\d+/\+?-?\d+\s+)", r"(\s)"),
    # Synapse's access line writes the status after the response's size, `70B 500 "GET ...`
    # (QA: a 500 on /sync was a 200's event)
    (r"((?:^|\s)[0-9]+B\s+)", rf"(\s+\"(?:{'|'.join(HTTP_METHODS)}) )"),
    # AWS ALB's (and classic ELB's) statuses come before the request, the balancer's and the
    # target's with the bytes received and sent, `200 200 34 366 "GET ...`, `502 - 34 0 "GET`
    # (QA ALB: a 502 and a 200 were one event, the statuses numbers like the bytes after them)
    (
        r"((?:^|\s))",
        rf"((?:\s+(?:[1-5][0-9][0-9]|[{''.join(_STATUS_CLASSES.values())}]xx|-))?"
        rf"\s+[0-9]+\s+[0-9]+\s+\"(?:{'|'.join(HTTP_METHODS)}|-) )",
    ),
)
_STATUS_ANY = "|".join(f"{before}[1-5][0-9][0-9]{after}" for before, after in _STATUS_FORMS)
# An SMTP reply with its enhanced status code of the same class, `550 5.1.1`, `450-4.7.1`
# (Postfix's rejects and bounces, Exim's `SMTP error ...`), and a delivery's status
# notification code, Postfix's and sendmail's `dsn=5.1.1`: a temporary and a permanent refusal
# are two events (QA Postfix: `450 4.1.8` and `550 5.1.8 ... Domain not found` were one)
# (also a rule's verdict, sendmail's `reject=451 4.3.2 Please try again later` beside `reject=550
# 5.7.1 Blocked by SpamAssassin`: QA Sendmail, a milter's temporary failure a spam reject's event)
_SMTP_REPLY = r"((?:^|[\s:(=]))"
_DSN = r"((?:^|[\s,(])dsn=)"
_STATUS_ANY += "".join(
    rf"|{_SMTP_REPLY}{d}[0-9][0-9][ -]{d}\.{_DSN_DETAIL}|{_DSN}{d}\.{_DSN_DETAIL}" for d in "245"
)
# substrings (any case) a line needs to hold a status code; an SMTP reply's enhanced code
# starts ` 4.` (or `-4.`) after its reply code
_STATUS_HINTS = ("status", "code", "http/", "http ", "dsn=", "smtp ", " 2.", " 4.", " 5.",
                 "-2.", "-4.", "-5.", "responded with", "http response headers after",
                 "http request after", "response=", 'result="')  # fmt: skip
_METHOD_HINTS = tuple(f"{method} " for method in HTTP_METHODS)
_CASED_STATUS_HINTS = (
    *_METHOD_HINTS, "TCP_", "UDP_", "NONE_", "ERR_", "Sent ", "Completed ", " on SERVER", '"-" ',
    "<-- ",
)
# A 2xx is 200-229 (HTTP's successes end at 226): Slurm's `status:256` is a wait status, a
# failed script's exit 1 (QA GPU nodes: it read `status:2xx`, a failure as a success); a 1xx
# is 100-109 and a 3xx 300-309: Arista's `(PID=2829, status=134) has terminated` is a process
# killed by SIGABRT, 128 + 6 (QA Arista EOS: it read `status=1xx`, a crash an HTTP reply's)
_SECOND_DIGIT = {"1": "0", "2": "[0-2]", "3": "0"}
_ERRNO_DIGITS = {str(d): chr(0xE030 + d) for d in range(10)}  # `ERRNO`'s marks
_ERRNO_MARKED = "".join(_ERRNO_DIGITS.values())
MARKED_DIGITS = _ERRNO_MARKED  # (for masks that must see a kept number as digits)
# (but a process's exit status keeps its value, as an error number does, even where it could
# be an HTTP status: Buildkite's `finished with Exit Status: 137, Signal: nil` was `1xx`, an
# OOM kill and a SIGTERM one event; `EXIT_STATUS`, its digits marked first, on the rows that
# name one: most status rows are access logs', which do not)
# (... and a field's, Concourse's `data.exit-status=1`: QA, a failing task's step one event with
# a passing one's)
EXIT_STATUS = [
    (rf"((?i:exit[ _-]status)\s*[:=]?\s*-?[{_ERRNO_MARKED}]*){digit}", rf"\1{marker}", 1)
    for digit, marker in _ERRNO_DIGITS.items()
] * 3
_EXIT_STATUS_ANY = r"(?i:exit[ _-]status)\s*[:=]?\s*-?[0-9]"
STATUS: list[tuple[str, str, int]] = [
    (f"{before}{digit}{_SECOND_DIGIT.get(digit, '[0-9]')}[0-9]{after}", rf"\1{marker}xx\2", 2)
    for before, after in _STATUS_FORMS
    for digit, marker in _STATUS_CLASSES.items()
] + [
    pattern
    for d, marker in _STATUS_CLASSES.items()
    if d in "245"
    for pattern in (
        (rf"{_SMTP_REPLY}{d}[0-9][0-9]([ -]{d}\.{_DSN_DETAIL})", rf"\1{marker}xx\2", 2),
        (rf"{_DSN}{d}(\.{_DSN_DETAIL})", rf"\1{marker}\2", 1),
    )
]
# An error number names the failure (`Operating system error number 28`, `errno=28`, `error
# code: 1213`): 28 (no space left) and 2 (no such file) are two events, as a 5xx and a 2xx are
# (QA MySQL: a disk-full window scored 0, its lines the template of a normal start-up's
# errno 2). So does a process's exit code or status (`exitCode=1`, `exit code 137`, `exit
# status 0`; QA Docker: failing health checks and OOM-killed containers read as clean exits).
# So do a Windows event's id (`event.code=4625`, `winlog.event_id=4771`, `EventID=4624`: a
# failed logon is not a Kerberos failure, QA Winlogbeat) and Oracle's error codes (`ORA-00600`,
# `TNS-12535`: an internal error is not a snapshot too old, QA Oracle), and SQL Server's
# `Error: 18456, Severity: 14` (a failed login is not a severity-24 I/O error, QA), LDAP's
# result `err=49` (invalid credentials is not success, QA OpenLDAP) and a `Code: 60.` or
# `(code: 2002)` (ClickHouse's, PHP's exceptions: QA), and a signal that ended a process (Slurm's
# `WTERMSIG 9`, `killed by signal 15`: an OOM kill is not a cancel, QA Slurm).
# Its digits are private-use characters until masking is done (`ERRNO_DIGITS`).
_ORACLE_CODES = ("ORA", "TNS", "PLS", "RMAN", "SP2", "IMP", "EXP", "LRM", "KUP", "CRS")
_ERRNO_NAME = (
    # (also camel-cased, Entra ID's `status.errorCode=50126`, a bad password: QA, masked)
    r"(?:(?i:error number|errno|error[ _]?code|os error"
    # ... and an error's number in prose, Oracle's `Fatal NI connect error 12170.`, `Error 19809
    # Creating archive log file` (QA: a connect timeout was a closed connection's event)
    r"|\berror"
    # YARN's `Exit code from container <id> is : 143`, `Exit code is 143` (QA: masked)
    r"|exit code(?: from container \S+ is| is)?|exit_code|exitcode|exit status|exit_status"
    r"|exited with code"  # nginx's `worker process 2000 exited with code 1` (QA)
    # ... and LightDM's `Process 1234 exited with return value 1`, `Exiting with return value
    # 0` (QA: an X server's crash exit a logout's event)
    r"|with return value"
    # ... and a bare `exit=`, ZFS zed's `Finished "statechange-notify.sh" ... exit=1` (QA: a
    # failing notify script was a clean run's event)
    r"|\bexit="
    # ... and Nextflow's `TaskHandler[...; exit: 137; ...]`, `terminated with an error exit
    # status (137)` (QA: an OOM-killed task was a clean one's event)
    r"|\bexit:|exit status \("
    # ... and a time server's stratum, ntpd's `synchronized to LOCAL(0), stratum 10`, chrony's
    # `stratum 16`: an unsynchronised or free-running clock (QA chrony: one event with stratum 2)
    r"|\bstratum"
    # CUPS's `PID 4568 (...) stopped with status 3.`, `Backend returned status 1 (failed)` (QA:
    # a filter's and a backend's failures one event); Wazuh's `Rule: 5712 (level 10)`, the
    # alert's rule (QA: a brute force was a mistyped password's event)
    r"|exitstatus|(?:with|returned) status|\brule(?:[_.]?id)?\s*[:=]"
    # ... and Cyrus master's `pid:12346 exited, status 75` (QA Cyrus: a failed service exit was
    # a clean one's event)
    r"|exited, status"
    # fail2ban's action command, `7f8a6c1e2d30 -- returned 1` (QA: 1 and 4 one event)
    r"|-- returned"
    # ... and oslo.concurrency's, `CMD "sudo cinder-rootwrap ... lvcreate ..." returned: 5 in
    # 0.408s` (QA OpenStack Cinder: a failed lvcreate was a clean vgs' event)
    r'|" returned:'
    # ... and Chef's `Expected process to exit with [0], but received '100'` (QA: masked both)
    r"|process to exit with|, but received '"
    # the kernel's audit record type, `audit: type=1400` (AppArmor) beside `type=1326` (seccomp)
    r"|audit: type="
    # a Kerberos ticket's encryption type, `tkt=rc4-hmac(23)` beside `aes256-...(18)` (QA MIT
    # KDC: a weak-cipher ticket was the ordinary ticket's event)
    r"|\b(?:rep|tkt|ses)=[A-Za-z0-9-]+\("
    # a return or reason code, `rc=1`, MQTT's `(Mid: 3, RC:135)`, `reason code 135` (QA
    # Mosquitto: a not-authorised publish was an acknowledged one's event)
    r"|\brc\s*[:=]|(?:return|reason|result)[_ ]?code"
    # ... and wpa_supplicant's `CTRL-EVENT-DISCONNECTED bssid=... reason=4` (inactivity) beside
    # `reason=3` (the station left) (QA systemd-networkd: a dead link a normal leave's event)
    r"|\breason="
    # ... and BorgBackup's `terminating with success status, rc 0`, `... finished, rc 2` (QA:
    # a failed backup's rc 2 a clean one's event)
    r"|, rc"
    # ... and Db2's SQL codes, `SQLCODE=-911`, `The SQLCODE is "-912"`, `SQLSTATE=57011` (QA
    # db2diag: a full lock list was a deadlock's event, a full file system too)
    r'|\bsqlcode(?: is "?)?|\bsqlstate'
    # ... and an LDAP search's scope and bind's method (389 Directory Server's `SRCH ...
    # scope=2`, `BIND dn="..." method=128`: QA, a whole-tree dump was a monitor's base
    # search's event; its result's type, `tag=101`, is `_LDAP_TAG`)
    r'|" scope=|" method='

    # ... and IBM MQ's `Reason(2035) CompCode(2)`, `The reason code was 2053`, `The return code
    # from TCP/IP is 111` (QA: a queue full was a not-authorised put's event)
    r"|\breason\(|\bcompcode\(|(?:return|reason) code (?:from \S+ )?(?:was|is)"
    # Salt's (and Python's subprocess results') `'retcode': 2`, `retcode=2` (QA Salt: a failed
    # state run was a successful one's event); PAM's `Sending result [6]` (QA SSSD: a denied
    # login was a success's event)
    r"|\bretcode[\"']?\s*:|\bretcode=|\bsending result \["
    rf"|event\.code|event_id|eventid|event id|error:|severity:|\berr=|signal|termsig"
    # ... and Android's `Sending signal. PID: 4739 SIG: 9` beside `SIG: 3` (an ANR's stack
    # dump: QA Android, a kill and a dump request were one event)
    r"|\bSIG:"
    # ... and a gRPC stream's status, Envoy's `gRPC config stream to xds-grpc closed since 4s
    # ago: 14,` (UNAVAILABLE; 0 is the routine rotation) and `grpc-status=14` (QA Envoy: an
    # xDS outage was a stream rotation's event), Istio's `... xds-grpc closed: 14,` too (QA
    # Istio: masked)
    r"|\bgrpc[-_ ]status|\bclosed since [0-9.]+[a-z]* ago:|\bstream to \S+ closed:"
    # ... and an IDS alert's severity (Suricata's `alert.severity=1`: QA, masked) and the
    # counts of failed and unreachable hosts of Ansible's recap (`failed=1`: QA, a failed
    # run's recap was a clean one's), a word of its own: not a dotted counter's, Filebeat's
    # `libbeat.output.events.failed=357` (QA: a template per count in an outage)
    rf"|\bseverity=|(?:^|\s)failed=|\bunreachable="
    # ... and a process's status in an event named for its exit, Concourse's (Garden's)
    # `guardian.api.garden-server.run.exited ... data.status=137` (QA: a killed container was a
    # clean exit's event)
    rf"|\.exited\b[^\n]*?[\s.]status="
    # ... and a check script's result, Keepalived's ``Script `chk` now returning 1`` (QA: a
    # failing check was a recovering one's event)
    rf"|now returning"
    # ... and Zuul's playbook exit code after its result, `Ansible complete, result
    # RESULT_NORMAL code 2` (QA Zuul: a failed playbook was a clean one's event)
    rf"|\bresult RESULT_[A-Z_]+ code"
    # ... and a call's hangup cause (Q.850), Asterisk's `Hangup cause 34`, `(cause 20 -
    # Subscriber absent)`, `cause=17` (QA: a trunk out of circuits was a busy callee's event)
    rf"|\bcause"
    # ... and IIS's substatus and Win32 status (`401 substatus=1 win32-status=1326`: a wrong
    # password, not an NTLM handshake's first leg; QA IIS: a brute force's every request a
    # normal logon's event)
    rf"|\bsubstatus=|\bwin32-status=)"
    # ... and an NVIDIA GPU's error, `NVRM: Xid (PCI:0000:3b:00): 79, pid=...`, an NVSwitch's
    # `SXid (...): 12028`, DCGM's `XID error 48` (QA GPU nodes: a GPU off the bus was a
    # routine application fault's event)
    rf"|\bS?Xid \([^()\s]*\):|\bXID error"
    # ... and the MySQL client's `(HY000/2002)`, SQLSTATE and error number (QA PHP: masked)
    # (... and Pi-hole FTL's `terminated after 0d 2h 3m 4s  (code 1)!`: QA, a failed exit a
    # clean one's event)
    rf"|\(code:?|\bCode:|\b(?:{'|'.join(_ORACLE_CODES)})-|\([0-9A-Z]{{5}}/"  # not `status code:`
    # ... and Home Assistant's MQTT client's reason, `Disconnected from MQTT server
    # core-mosquitto:1883 (5)` (not authorised) beside `(7)` (connection lost): QA, one event
    r"|\bMQTT server \S+ \("
    # ... and a PBS server's reply to a rejected request, `Reject reply code=15001, aux=0`
    # (unknown job id beside 15007, not authorised: QA OpenPBS, every reject one event)
    r"|\b[Rr]eject reply code="
    # ... and Arista's ProcMgr, a process's exit status after its pid, `'Rib' (PID=2829,
    # status=134) has terminated` (SIGABRT) beside `status=0` (QA Arista EOS: masked)
    r"|\(PID=[0-9]+, status="
    # ... and a SIP dialog's reply code beside its state, FreeSWITCH's `entering state
    # [completed][200]` beside `[terminated][487]` (QA FreeSWITCH: the codes masked)
    r"|entering state \[[a-z_]+\])"
)
_ERRNO_ANY = _ERRNO_NAME + r"\s*[:=]?\s*\[?-?[0-9]"
_ERRNO_MAX_DIGITS = 6
# a longer number there is masked whole, sign and all (`rc = -2146500508` was `-214650<*>`:
# its first six digits kept, the template unlike any code)
_ERRNO_LONG = rf"({_ERRNO_NAME}\s*[:=]?\s*\[?)-?[0-9]{{{_ERRNO_MAX_DIGITS + 1},}}"
# ... and OpenSSL's packed error code, `error:0A000086:SSL routines::certificate verify failed`
# (its reason is the words after it; QA OpenVPN, Dovecot: its leading digits were kept up to the
# first letter, `error:0<*>` beside `error:1408<*>`, a template per code)
_OPENSSL_CODE = r"(\berror:)[0-9A-F]{8}(:)"
_OPENSSL_CODE_PY = re.compile(_OPENSSL_CODE)
# (a code in brackets too, PM2's `App [worker:4] exited with code [1] via signal [SIGINT]`: QA
# PM2, a crash was a clean stop's event)
# ... and an id that starts with digits, CloudTrail's `eventID=12bd4ace-faec-4d38-...` (`eventid`
# names a Windows event's number; QA CloudTrail: its leading `12` kept as a code, the rest
# masked in parts, a template for the event of that one line)
_ERRNO_ID = rf"({_ERRNO_NAME}\s*[:=]?\s*)[0-9]+[A-Fa-f][0-9A-Fa-f]*(?:-[0-9A-Fa-f]+)+"
_ERRNO_ID_PY = re.compile(_ERRNO_ID)
ERRNO: list[tuple[str, str, int]] = [
    (_OPENSSL_CODE, rf"\1{WILDCARD}\2", 1), (_ERRNO_LONG, rf"\1{WILDCARD}", 1),
    (_ERRNO_ID, rf"\1{WILDCARD}", 1),
] + [
    (rf"({_ERRNO_NAME}\s*[:=]?\s*\[?-?[{_ERRNO_MARKED}]*){digit}", rf"\1{marker}", 1)
    for digit, marker in _ERRNO_DIGITS.items()
] * _ERRNO_MAX_DIGITS
# ... but not a radio's signal strength, wpa_supplicant's `signal=-73` (dBm; a process's signal
# is no negative number): a value (QA NetworkManager: a template per dBm, ngram's F1 0.00)
ERRNO += [
    (rf"(signal=-[{_ERRNO_MARKED}]*){marker}", rf"\1{digit}", 1)  # (RE2: one-digit groups)
    for digit, marker in _ERRNO_DIGITS.items()
] * 3
_NEGATIVE_SIGNAL_PY = re.compile(rf"(signal=-)([{_ERRNO_MARKED}]+)")
# ... nor an error measured in a unit, ntpd's `frequency error 523 PPM exceeds tolerance 500
# PPM`, a clock's `offset error 12 ms`: a value (QA ntpd: a template per PPM value, each new one
# an event never seen)
_MEASURED = r"(?:PPM|ppm|ppb|ms|us|µs|ns|sec|seconds|%|Hz|dB)(?:$|[^A-Za-z0-9_])"
ERRNO += [
    (rf"(\berror\s+-?[{_ERRNO_MARKED}0-9]*){marker}([{_ERRNO_MARKED}0-9]*\s*{_MEASURED})",
     rf"\1{digit}\2", 2)
    for digit, marker in _ERRNO_DIGITS.items()
] * 3  # fmt: skip
_MEASURED_ERROR_PY = re.compile(rf"(\berror\s+-?)([{_ERRNO_MARKED}]+)(\s*{_MEASURED})")
_ERRNO_LONG_PY = re.compile(_ERRNO_LONG)
_ERRNO_PY = re.compile(rf"({_ERRNO_NAME}\s*[:=]?\s*\[?-?)([0-9]{{1,{_ERRNO_MAX_DIGITS}}})")
# ... and a message's id of two numbers, kept whole: Cisco ASA's `%ASA-4-106023` (severity and
# message: QA, `%ASA-<*>-<*>` made every firewall message one event) and a Snort or Suricata
# alert's `[**] [1:2010935:3]` (generator and signature; the revision is masked: QA, two
# signatures whose texts differ in numbers only were one event)
# ... and a ModSecurity rule's, `[id "930120"]` (QA: every CRS rule one `[id "<*>"]` event, an
# attack's the same as a known false positive's)
# ... and a FortiGate record's `logid="0100032002"` (a failed admin login; `...2001` one that
# succeeded: QA, every logid masked)
# ... and an upper-case code's number, XenServer's `failed: SR_BACKEND_FAILURE_47` (SR not
# available) beside `_46` (QA XenServer: every storage backend failure one `failed: <*>` event),
# Kea's `DHCP4_PACKET_NAK_0001`
_MESSAGE_ID = (
    r"(?:%[A-Z][A-Z0-9_]*-|\[\*\*\] \[|\[id \"|\blogid=\"?"
    r"|\b[A-Z][A-Z0-9]*(?:_[A-Z][A-Z0-9]*)*_[A-Z]{2,}_)"
)
_MESSAGE_ID_DIGITS = 10
ERRNO += [
    (rf"({_MESSAGE_ID}[{_ERRNO_MARKED}]*(?:[-:][{_ERRNO_MARKED}]*)?){digit}", rf"\1{marker}", 1)
    for digit, marker in _ERRNO_DIGITS.items()
] * _MESSAGE_ID_DIGITS
_ERRNO_ANY += rf"|{_MESSAGE_ID}[0-9]"
_MESSAGE_ID_PY = re.compile(rf"({_MESSAGE_ID})([0-9]+(?:[-:][0-9]+)?)")
# ... and a status of one digit (OpenVPN's `status=0`, success, and `status=1`: QA, one event),
# not a nested field's (`filter.status=3`, a query's value) nor a longer number; and a DNS
# answer's reply code, PowerDNS's `rcode="2"` (SERVFAIL) beside `rcode="0"` (QA: one event)
_SMALL_STATUS, _SMALL_STATUS_END = (
    r"((?:^|[\s,;(\[{])(?:status|rcode)\s*[:=]\s*\"?-?)", r"($|[^0-9A-Za-z.:])"
)
ERRNO += [
    (rf"{_SMALL_STATUS}{digit}{_SMALL_STATUS_END}", rf"\1{marker}\2", 1)
    for digit, marker in _ERRNO_DIGITS.items()
]
_ERRNO_ANY += rf"|{_SMALL_STATUS}[0-9]{_SMALL_STATUS_END}"
# ... and Liquidsoap's log level after its source's name, `[music:3]` beside `[music:1]` (1
# critical, 2 severe, 3 important, 4 info: QA, one `[music:<*>]` event, a critical line a
# routine one's)
_SOURCE_LEVEL, _SOURCE_LEVEL_END = r"(^\[[A-Za-z0-9_.-]+:)", r"(\])"
ERRNO += [
    (rf"{_SOURCE_LEVEL}{digit}{_SOURCE_LEVEL_END}", rf"\1{marker}\2", 1)
    for digit, marker in _ERRNO_DIGITS.items()
]
_ERRNO_ANY += rf"|{_SOURCE_LEVEL}[0-9]{_SOURCE_LEVEL_END}"
_SOURCE_LEVEL_PY = re.compile(rf"{_SOURCE_LEVEL}([0-9]){_SOURCE_LEVEL_END}")
# ... and systemd's exit status with its name, `Main process exited, code=exited, status=125/n/a`
# beside `status=1/FAILURE` (QA Podman: 125, 126 and 127, podman's own failures, one `1xx`)
_UNIT_STATUS = r"((?:^|[\s,;])status=)"
ERRNO += [
    (rf"({_UNIT_STATUS[1:-1]}[{_ERRNO_MARKED}]*){digit}([0-9]*/[A-Za-z])", rf"\1{marker}\2", 1)
    for digit, marker in _ERRNO_DIGITS.items()
] * 3
_ERRNO_ANY += rf"|{_UNIT_STATUS}[0-9]{{1,3}}/[A-Za-z]"
_UNIT_STATUS_PY = re.compile(rf"{_UNIT_STATUS}([0-9]{{1,3}})(/[A-Za-z])")
# ... and a count of errors that is none, SQL Server's `DBCC CHECKDB (shop) ... found 0 errors
# and repaired 0 errors` (QA: corruption found, `found 8 errors`, was a clean run's event; any
# other count stays a value)
_NO_ERRORS, _NO_ERRORS_END = r"((?:^|[\s(,;:]))", r"( (?:errors?|failures?|faults?)(?:$|[^\w-]))"
ERRNO += [(rf"{_NO_ERRORS}0{_NO_ERRORS_END}", rf"\1{_ERRNO_DIGITS['0']}\2", 2)]
_ERRNO_ANY += rf"|{_NO_ERRORS}0{_NO_ERRORS_END}"
_NO_ERRORS_PY = re.compile(rf"{_NO_ERRORS}0{_NO_ERRORS_END}")
_SMALL_STATUS_PY = re.compile(rf"{_SMALL_STATUS}([0-9]){_SMALL_STATUS_END}")
# ... and an LDAP result's type after its error number (`RESULT err=0 tag=101`, OpenLDAP's
# `RESULT tag=97 err=49`): a bind's result is not a search's (QA 389 Directory Server); after
# the error number's own marks, so both are kept
_LDAP_TAG = rf"(\bRESULT (?:err=[0-9{_ERRNO_MARKED}]+ )?tag=[{_ERRNO_MARKED}]*)"
ERRNO += [
    (rf"{_LDAP_TAG}{digit}", rf"\1{marker}", 1) for digit, marker in _ERRNO_DIGITS.items()
] * 3
_ERRNO_ANY += r"|\bRESULT (?:err=[0-9]+ )?tag=[0-9]"
_LDAP_TAG_PY = re.compile(rf"(\bRESULT (?:err=[0-9{_ERRNO_MARKED}]+ )?tag=)([0-9]{{1,3}})")
# ... and an error's code in brackets: TiDB's after its class, `[kv:9007]Write conflict`,
# `[planner:1054]Unknown column` (QA TiDB: masked, a write conflict a lock wait timeout's
# `[kv:<*>]` event), pgBackRest's leading its message and after an aborted command,
# `ERROR: [082]: WAL segment ... was not archived`, `aborted with exception [082]` (QA: every
# error code one `[<*>]`)
_BRACKETED_CODES = (  # (before the digits, after them)
    (r"\[[a-z]+:", r"\][A-Z]"), (r"^\[", r"\]:"), (r"with exception \[", r"\](?:$|\s)"),
)
ERRNO += [
    (rf"({before}[{_ERRNO_MARKED}]*){digit}([0-9]*{after})", rf"\1{marker}\2", 1)
    for before, after in _BRACKETED_CODES
    for digit, marker in _ERRNO_DIGITS.items()
] * 5
_BRACKETED_CODE_ANY = "|".join(
    f"{before}[0-9]{{2,5}}{after}" for before, after in _BRACKETED_CODES
)
_ERRNO_ANY += rf"|{_BRACKETED_CODE_ANY}"
_BRACKETED_CODE_PY = [
    re.compile(f"({before})([0-9]{{2,5}})(?={after})") for before, after in _BRACKETED_CODES
]
# ... and an F5 BIG-IP message's id before its severity, `01070638:5: Pool ... monitor status
# down` beside `01070727:5: ... up` (QA F5: `<*>:<*>:`, every message one shape's event)
ERRNO += [
    (rf"^([{_ERRNO_MARKED}a-f]*){digit}([0-9a-f]*:[0-7]: )", rf"\1{marker}\2", 1)
    for digit, marker in _ERRNO_DIGITS.items()
] * 8
_F5_ID = r"^[0-9a-f]{8}:[0-7]: "
_ERRNO_ANY += rf"|{_F5_ID}"
_F5_ID_PY = re.compile(r"^([0-9a-f]{8})(?=:[0-7]: )")
# ... and a SCSI command's outcome, ESXi's `failed H:0x8 D:0x0 P:0x0 Valid sense data: 0x3 0x11
# 0x0` (host, device and plugin status; sense key, ASC, ASCQ), kept hex and all: a medium error
# and a reset are not the ATA pass-through noise every normal window holds (QA ESXi: one
# `H:<*> D:<*> P:<*> Valid sense data: <*> <*> <*>.` event, a disk failing unflagged)
_M0, _MARKED_HEX = _ERRNO_DIGITS["0"], f"[{_ERRNO_MARKED}a-f]"
# a label, or the values before this one after `sense data:` (their digits marked or not yet)
_SCSI_LABEL = rf"(?:\s[HDP]:|sense data:(?: {_M0}x[0-9{_ERRNO_MARKED}a-f]*){{0,2}} )"
ERRNO += [(rf"({_SCSI_LABEL})0x([0-9a-f])", rf"\1{_M0}x\2", 3)] + [
    (rf"({_SCSI_LABEL}{_M0}x{_MARKED_HEX}*){digit}", rf"\1{marker}", 1)
    for digit, marker in _ERRNO_DIGITS.items()
] * 6
_SCSI_ANY = r"\s[HDP]:0x[0-9a-f]+ |sense data: 0x[0-9a-f]"
_ERRNO_ANY += rf"|{_SCSI_ANY}"
_SCSI_PY = re.compile(
    r"(\s[HDP]:)(0x[0-9a-f]{1,4})\b|(sense data:)((?: 0x[0-9a-f]{1,4}){1,3})\b"
)
# An HTTP request line (`"GET /product/8823?ref=home HTTP/1.1"`, access logs) keeps the
# first segment of its path, the endpoint family, and masks the rest: `/product/<*>`,
# `/cart`, `/search?<*>`, `/wp-admin/<*>`. With the whole path one variable, `/cart`,
# `/checkout` and a scanner's `/wp-admin/../../etc/passwd` were one event and a path attack
# passed unseen (QA); an API's `/api/v1/` prefix keeps the resource after it too. A segment
# that starts with a digit (`/2024/...`, `/8823`) is masked with the rest. The kept slash and
# the masked rest are private-use characters until masking is done (the path mask would
# take them), then `/`, `/<*>` and `?<*>` (`_REQUEST_MARKERS`).
#
# The method comes after a quote, first in the message (a format string that puts the
# quote before `<Content>`, as Envoy's access log needs: QA, every path was one variable) or
# after a space; the path ends at ` HTTP/` or, in an application's own request line
# (`django.request: GET /api/orders/1234 200 45ms`), at the status code after it (QA Django:
# `GET <*> <*>`, every endpoint and status one event, a 503 the same as a 200).
_METHOD = rf"((?:^|[\s\"])(?:{'|'.join(HTTP_METHODS)}) )"
# ... or at the line's end, Phoenix's `GET /api/orders/42` (its status on a line of its own,
# `Sent 200 in 4ms`: QA, every endpoint one `GET <*>` event)
# ... or at uWSGI's ` => generated 512 bytes` (QA: every endpoint, `/.env` too, one event)
# ... or at the client's address, WildFly's `Incoming GET /shop/api/login from 10.0.1.7` (QA)
# ... or at Gitea's ` for 10.0.0.5:51234, 200 OK`, Icinga's ` (from [::ffff:10.0.0.6]:41550)`,
# any parenthesis after a space, Plex's `GET /library/metadata/42888 (16 live)` (QA: masked)
# ... or at the quote closing a message it ends, Docker's `msg="Calling POST /v1.43/containers/
# 3f2a/start"` (QA dockerd: every API call one `Calling POST <*>` event, an exec a start's)
# ... or at Serilog's request logging, `HTTP GET /api/orders/42 responded 200 in 12.3 ms` (QA
# log4net: every endpoint and status one `GET <*> responded <*>` event)
# ... or at its status in parentheses, Loki's (weaveworks') `POST /loki/api/v1/push (500) 12.3ms`
# (QA Loki: every endpoint and status one `POST <*> (<*>)` event)
_PATH_END = (
    r"( HTTP/| => | from | for | responded | \(|, "
    r"|\s+(?:-\s+)?[1-5][0-9][0-9](?:\s|$)|\s+-(?:\s|$)| \([1-5][0-9][0-9]\)(?:\s|$)"
    r"|\"(?:\s|$)|$)"
)
# ASP.NET Core's request lines name the URL after the protocol and method (`Request starting
# HTTP/1.1 GET http://api:8080/api/orders/42 - - -`, `Request finished ... - 200 512 ...`): the
# scheme and host are left out, the path read as any request's (QA: the whole URL one
# variable, a 503 health check the same event as a 200 order). Only after `HTTP/x`: a forward
# proxy's `GET http://site/...` names the site, which stays one variable.
_URL_AFTER_PROTOCOL = (
    rf"((?:^|\s)HTTP/[0-9.]+ (?:{'|'.join(HTTP_METHODS)}) )[A-Za-z][A-Za-z0-9+.-]*://[^/\s\"]+(/)"
)
# A load balancer's request line names the URL in absolute form (AWS ALB's
# `"GET https://shop.example.com:443/api/orders/42 HTTP/2.0"`) and a request field may hold a
# whole URL (`request_url=https://...`): the scheme and host are left out there too (QA ALB:
# every endpoint, `/.env` and `/api/orders` alike, was one `GET <*> HTTP/<*>` event). Squid's
# own line (no quote, no `HTTP/` after the URL) keeps its URL whole, as above.
_SCHEME_HOST = r"[A-Za-z][A-Za-z0-9+.-]*://[^/\s\"]+"
_URL_IN_REQUEST_LINE = rf"(\"(?:{'|'.join(HTTP_METHODS)}) ){_SCHEME_HOST}(/[^\s\"]* HTTP/)"
# ... or a path in quotes after the method, which ends there (Rails' `Started GET "/orders/12"
# for 10.0.0.5`: QA, every endpoint one `Started GET "<*>"` event)
_METHOD_QUOTED, _QUOTE_END = rf"((?:^|\s)(?:{'|'.join(HTTP_METHODS)}) \")", r'(")'
# A name, not an id: letters, with at most two digits at its end (`oauth2`); an OpenStack
# tenant id such as `e9746973ac57...` starts with a letter but is no endpoint.
# A dot may start it: `/.env`, `/.git/config`, `/.well-known/...` (QA nginx: a scanner probing
# secret files was one `GET <*>` event with Let's Encrypt's `/.well-known/` checks).
_NAME = r"\.?[A-Za-z_][A-Za-z_.~-]*[0-9]{0,2}"
# An API's prefix and version name no endpoint: `/api/v1/users/123` keeps `/api/v1/users`
# (QA REST API: `/api/<*>` made users, orders, login and admin/export one event).
# An OpenStack API names the project between version and resource (`/v2/<project id>/servers`,
# `/v2.1/servers/detail`; QA Nova: a create and a VM's actions were one `POST /v2/<*>` event)
_VERSION = r"v[0-9]+(?:\.[0-9]+)?"
# ... and a bare version after the API's name, Jira's `/rest/api/2/search`, `/rest/agile/1.0/
# board` (QA: every REST endpoint was one `/rest/api/<*>` event): its digits are marked as an
# error number's are (`_BARE_VERSION`), so no mask takes them
_API = r"(?:api|rest)/(?:[a-z]+/)?"
# ... a bare version after `/api/` itself or after `/rest/` and a name (`/rest/agile/1.0/`), not
# after `/api/` and a name: `/api/orders/7/cancel` names order 7 (QA uvicorn: its id was kept
# as a version, a template per one-digit order)
_API_BARE = r"(?:(?:[a-z]+-)?api/|rest/(?:[a-z]+/)?)"  # (`/ajax-api/2.0/`: MLflow's UI)
_MARKED_VERSION = f"[{_ERRNO_MARKED}](?:\\.[{_ERRNO_MARKED}])?"
_BARE_VERSION: list[tuple[str, str, int]] = [
    (rf"((?:^|[\s\"=])/{_API_BARE}){d}((?:\.[0-9])?/[A-Za-z_])", rf"\1{mark}\2", 1)
    for d, mark in _ERRNO_DIGITS.items()
] + [
    (rf"((?:^|[\s\"=])/{_API_BARE}[{_ERRNO_MARKED}]\.){d}(/[A-Za-z_])", rf"\1{mark}\2", 1)
    for d, mark in _ERRNO_DIGITS.items()
]
# the names of a field holding a request's path (`path=`, Caddy's `request.uri=`); the name's
# last part says request (`file_path=` is a file's, left whole)
_PATH_NAMES = r"path|uri|url|request_?path|request_?uri|request_?url"
# ... and an API whose version is the path's first segment, LXD's `url=/1.0/instances/web1`
# (QA LXD: every API call of a method one `url=<*>` event), after a request's method or a path
# field only
_ROOT_VERSION = (
    rf"(?:(?:^|\s)(?:[\w-]*\.)?(?i:{_PATH_NAMES})="
    rf"|(?:^|[\s\"])(?:{'|'.join(HTTP_METHODS)}) )/"
)
_BARE_VERSION += [
    (rf"({_ROOT_VERSION}){d}(\.[0-9]/[A-Za-z_])", rf"\1{mark}\2", 1)
    for d, mark in _ERRNO_DIGITS.items()
] + [
    (rf"({_ROOT_VERSION}[{_ERRNO_MARKED}]\.){d}(/[A-Za-z_])", rf"\1{mark}\2", 1)
    for d, mark in _ERRNO_DIGITS.items()
]
# A PHP script names no endpoint either: the resource after it does, Nextcloud's
# `/remote.php/dav/files/<*>` beside `/remote.php/dav/calendars/<*>`, `/index.php/login`,
# `/ocs/v2.php/apps/files_sharing/<*>` (QA: `/remote.php/<*>` made file sync, calendars and
# the old WebDAV one event); after `dav/` or `apps/` the next name too
_PHP_SCRIPT = rf"(?:{_NAME}/)?[A-Za-z0-9_-]+\.php/(?:(?:dav|apps)/)?{_NAME}"
# An RPC-style API names its call by a verb last, after one or two resource names: MLflow's
# `/api/2.0/mlflow/runs/create` beside `.../runs/log-metric` and `.../model-versions/
# transition-stage`, Databricks' `/api/2.0/clusters/create` (QA MLflow: one
# `/api/2.0/mlflow/<*>` event per method, a never-seen stage transition and an experiment's
# deletion were a run's creation). Only a verb ends it: `/api/v1/users/alice` names a user.
_RPC_VERBS = (
    "create|get|list|search|update|delete|remove|restore|set|unset|log|rename|transition|"
    "start|stop|cancel|submit|upload|download|add|edit|reset|sync|retry|export|import|"
    "query|describe|enable|disable|register|deregister|unregister|approve|reject|validate|"
    "lookup|batch|archive|unarchive|resize|restart|pause|resume|repair|pin|unpin|"
    # ... a session's verbs, Mattermost's `/api/v4/users/login` beside `.../logout` (QA: one
    # `/api/v4/users/<*>` event, a storm of logouts a login's), and the caller's own record,
    # `/users/me`, `/user/current`, no one's name
    "login|logout|signin|signout|signup|authenticate|verify|revoke|refresh|invite|activate|"
    "deactivate|me|self|current"
)
_RPC_CALL = rf"(?:[a-z][a-z_-]*/){{1,2}}(?:{_RPC_VERBS})(?:[-_][a-z]+)*"
_LANGUAGES = (  # ISO 639-1 codes of the languages sites are most often written in
    "en|de|fr|es|it|nl|pt|pl|ru|ja|zh|ko|sv|da|fi|no|nb|cs|sk|tr|ar|he|el|hu|ro|uk|bg|hr|sl|"
    "lt|lv|et|id|th|vi|ca|eu|gl"
)
_RPC_SEGMENTS = (
    rf"/((?:[a-z]+-)?{_API}(?:(?:{_VERSION}|{_MARKED_VERSION})/)?{_RPC_CALL})",
    # ... and a remote method's dotted name after `/api/method/`, Frappe's
    # `/api/method/frappe.client.delete` beside `.../frappe.desk.form.save.savedocs`
    rf"/({_API}method/[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)",
)
# (the rows that may hold one, `RPC_REQUEST`: each pattern costs a pass over its rows)
_RPC_ANY = rf"/(?:[a-z]+-)?{_API}(?:[^\s\"'/?]+/)?(?:{_RPC_CALL}|method/[A-Za-z_])"
_SEGMENTS = (  # the longest first: `/api/v1/users`, `/api/users` or `/v1/users`, `/cart`
    rf"/({_PHP_SCRIPT})",
    # ... and a PHP script under folders is the page, Moodle's `/mod/quiz/view.php` beside
    # `/mod/quiz/attempt.php`, WordPress' `/wp-admin/post.php` (QA Moodle: every page of a
    # module one `/mod/<*>` event, a quiz's missing step unseen)
    rf"/((?:{_NAME}/){{1,3}}{_NAME}\.php)",
    # an application's context root before its API, WildFly's `/shop/api/login` (QA: every
    # endpoint of the shop one `/shop/<*>` event)
    rf"/({_NAME}/{_API}(?:(?:{_VERSION}|{_MARKED_VERSION})/)?{_NAME})",
    # (an API's internal or admin group names no resource: GitLab's `/api/v4/internal/allowed`
    # beside `/api/v4/internal/post_receive`, QA: one `/api/v4/internal/<*>` event)
    # ... nor does its authentication group: `/api/v1/auth/login` beside `/auth/password-reset`
    # and `/auth/admin-impersonate` (QA Gunicorn: every one `/api/v1/auth/<*>`, an
    # impersonation a login's event)
    rf"/({_API}(?:{_VERSION}|{_MARKED_VERSION})/(?:internal|admin|auth|oauth2?|sso)/{_NAME})",
    rf"/({_API}(?:{_VERSION}|{_MARKED_VERSION})/{_NAME})",
    # ... and Matrix's, `/_matrix/client/v3/sync`, `/_matrix/federation/v1/send/...`, Synapse's
    # `/_synapse/admin/v1/users/...` (QA Synapse: every request one `/_matrix/<*>` event)
    rf"/(_(?:matrix|synapse)/[a-z_]+/(?:{_VERSION}|r0|unstable)/{_NAME})",
    rf"/({_VERSION}/[0-9a-f]{{32}}/{_NAME})",
    # ... but not OpenStack Swift's account, `/v1/AUTH_backup/logs/app.gz` (a project's id, or a
    # reseller's name: QA Swift, a template per named account)
    rf"/({_VERSION})/AUTH_[^\s\"/?]*",
    rf"/({_MARKED_VERSION}/{_NAME})",  # `/1.0/instances` (`_ROOT_VERSION`)
    # (ArangoDB's `/_api/version`; Odoo's `/web/login` beside `/web/dataset/call_kw/...`,
    # `/web/image/...`: QA, one `/web/<*>` event, a failed login any JSON-RPC call's)
    rf"/((?:_?api|rest|web|{_VERSION})/{_NAME})",
    # ... and Gerrit's authenticated REST API, `/a/changes/?q=...` beside `/a/accounts/self`
    # (QA Gerrit: every authenticated call one `/a/<*>` event)
    rf"/(a/{_NAME})",
    # ... and an admin area's resource, Solr's `path=/admin/cores` beside the exporter's
    # `/admin/metrics`, Gitea's `/-/admin/users` (QA: each area one `/admin/<*>` event, a core
    # enumeration a metrics poll's)
    # ... and an internal API's, Kibana's `/internal/bsearch` beside `/internal/security/login`
    # (QA Kibana: one `/internal/<*>` event, a bulk delete of alerting rules a search's)
    rf"/((?:-/)?(?:admin|internal)/{_NAME})",
    # ... also under a product's own prefix, APISIX's Admin API `/apisix/admin/routes/1` beside
    # its public `/apisix/batch-requests` (QA APISIX: one `/apisix/<*>` event, CVE-2022-24112's
    # route write a normal batch request's)
    rf"/({_NAME}/admin/{_NAME})",
    # ... and an operation after the database it runs on, CouchDB's `/orders/_security`,
    # `/orders/_all_docs?...`, `/orders/_design/reports/...` (QA: each one a document read's
    # `/orders/<*>` event, a permission change and a full dump unflagged)
    rf"/({_NAME}/_[a-z][a-z_]*)",
    # ... and a shop's page after its language, PrestaShop's `/en/cart`, `/de/order-confirmation`
    # (QA PrestaShop: every page one `/en/<*>` event, a checkout without payment a cart's)
    rf"/((?:{_LANGUAGES})(?:[-_][A-Za-z]{{2}})?/{_NAME})",
    rf"/({_NAME})",
)
_MORE = "\ue028"  # a query's other parameters after its kept routing ones (`ROUTED`)
_REQUEST_MARKERS = (
    (_REST, "/" + WILDCARD), (_QUERY, "?" + WILDCARD), (_MORE, "&" + WILDCARD), (_KEPT, "/"),
)  # fmt: skip
# A structured log's request path field is a request's path too: Traefik's
# `RequestPath=/api/orders/123`, Caddy's `request.uri=/cart?x=1`, `path=/login` (QA Traefik: the
# whole path one variable, `/login`, `/.env` and `/wp-admin/...` were one event)
_PATH_FIELD = (  # the name's last part says request (`file_path=` is a file's, left whole)
    # ... and Django's and Frappe's `full_path` (its dict's repr read as fields: `embedded_objects`)
    rf"((?:^|\s)(?:[\w-]*\.)?(?i:full_?path|{_PATH_NAMES})=)"
)
_PATH_FIELD_END = r"(\s|$)"
# ... also as a member of a JSON object in a message, `"path": "/api/orders/1234"` (zap's
# console encoder: QA, `/.env` and `/healthz` were one `"path": "<*>"` event)
_JSON_PATH_FIELD = rf'((?:^|[\s{{,])"(?i:{_PATH_NAMES})": ?")'
# ... and of a Python dict's repr, Frappe's `frappe.web` record `{..., 'full_path':
# '/api/method/login?', 'method': 'POST', ...}` (QA Frappe: every request of a method one event,
# a mass delete and a data export normal requests)
_DICT_PATH_FIELD = (
    rf"((?:^|[\s{{,])'(?i:full_?path|{_PATH_NAMES})': ?')"
)
_SQUOTE_END = r"(')"
# ... and a logfmt pair's quoted path, Harbor's registry `http.request.uri="/v2/..."` (QA: one
# `"<*>"`, every call of the registry one event)
_PATH_FIELD_QUOTED = (
    rf"((?:^|\s)(?:[\w-]*\.)*(?i:{_PATH_NAMES})=\")"
)
# where a request's path stands (before it) and what ends it
# ... or after Quarkus' (Vert.x's) `HTTP Request to /orders/4711/payment failed, error id: ...`
# (QA Quarkus: a failing admin or health endpoint was a failing order's event)
_REQUEST_TO = r"((?:^|\s)HTTP [Rr]equest to )"
# ... or ArangoDB's request line, its parts joined by commas, `"POST,/_db/shop/_api/cursor,
# HTTP/1.1" root 201` (QA ArangoDB: every method, endpoint and status one event)
_METHOD_COMMA, _COMMA_END = rf"((?:^|\s)\"(?:{'|'.join(HTTP_METHODS)}),)", r"(,HTTP/)"
_REQUEST_FORMS = (
    (_METHOD, _PATH_END),
    (_METHOD_COMMA, _COMMA_END),
    (_METHOD_QUOTED, _QUOTE_END),
    (_PATH_FIELD, _PATH_FIELD_END),
    (_JSON_PATH_FIELD, _QUOTE_END),
    (_REQUEST_TO, _PATH_FIELD_END),
)
_ALL_REQUEST_FORMS = (*_REQUEST_FORMS, (_PATH_FIELD_QUOTED, _QUOTE_END))
# The Docker Registry (Distribution) API names a repository of one or more segments before its
# resource, `/v2/library/nginx/manifests/1.25`, `/v2/team/app/blobs/uploads/<uuid>`: the
# resource is the event, the repository a value (QA Harbor: `/v2/library/<*>`, a template per
# project, a manifest pull a blob download's event, and a project's first 404 a new event)
_REGISTRY_RESOURCES = (
    ("blobs/uploads", f"blobs{_KEPT}uploads"), ("blobs", "blobs"), ("manifests", "manifests"),
    ("tags/list", f"tags{_KEPT}list"), ("referrers", "referrers"),
)  # fmt: skip
REGISTRY = [
    pattern
    for before, end in _ALL_REQUEST_FORMS
    for path, kept in _REGISTRY_RESOURCES
    for pattern in (
        (rf"{before}/v2/[^\s\"?]+?/{path}/[^\s\"]+{end}",
         rf"\1{_KEPT}v2{_REST}{_KEPT}{kept}{_REST}\2", 1),
        (rf"{before}/v2/[^\s\"?]+?/{path}/?{end}", rf"\1{_KEPT}v2{_REST}{_KEPT}{kept}\2", 1),
    )
]  # fmt: skip
_REGISTRY_ANY = r'/v2/[^\s"?]+?/(?:manifests|blobs|tags/list|referrers)'  # (rows, `mark_array`)
# ... and ArangoDB's database before its API, `/_db/shop/_api/cursor`: the API's resource is the
# event, the database a value (QA ArangoDB: `/_db/<*>`, every call one event)
REGISTRY += [
    pattern
    for before, end in _ALL_REQUEST_FORMS
    for pattern in (
        (rf"{before}/_db/[^\s\"/,?]+/_api/({_NAME}){end}",
         rf"\1{_KEPT}_db{_REST}{_KEPT}_api{_KEPT}\2\3", 1),
        (rf"{before}/_db/[^\s\"/,?]+/_api/({_NAME})/[^\s\",]*{end}",
         rf"\1{_KEPT}_db{_REST}{_KEPT}_api{_KEPT}\2{_REST}\3", 1),
        (rf"{before}/_db/[^\s\"/,?]+/_api/({_NAME})\?[^\s\",]*{end}",
         rf"\1{_KEPT}_db{_REST}{_KEPT}_api{_KEPT}\2{_QUERY}\3", 1),
    )
]  # fmt: skip
_REGISTRY_ANY += r"|/_db/[^\s\"/,?]+/_api/"
# A REST resource's action after its id, `POST /api/orders/4711/cancel`, `/users/42/photos`,
# `/jobs/3f2a1b4c-.../retry`: the action is the event, the id a value (QA uvicorn: a
# cancellation was one `/api/orders/<*>` event with every read of an order). The id is a number,
# a UUID or a long hex id (a name could be a user's or a slug's); the action a lower-case word,
# or two joined by `-` or `_` (a blog post's slug after a year has more), last in the path or
# before its query. Tried before a segment's rest is masked (`_action_rows`).
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_ID = rf"(?:[0-9]+|{_UUID}|[0-9a-f]{{24,64}})"
_ACTION = r"[a-z]+(?:[-_][a-z]+)?"
ID_ACTION: list[tuple[str, str, int]] = [
    pattern
    for before, end in _ALL_REQUEST_FORMS
    for segment in _SEGMENTS
    for pattern in (
        (rf"{before}{segment}/{_ID}/({_ACTION}){end}", rf"\1{_KEPT}\2{_REST}{_KEPT}\3\4", 1),
        (rf"{before}{segment}/{_ID}/({_ACTION})\?[^\s\"]*{end}",
         rf"\1{_KEPT}\2{_REST}{_KEPT}\3{_QUERY}\4", 1),
    )
]  # fmt: skip
_ID_ACTION_ANY = rf"/{_ID}/{_ACTION}(?:$|[\s\"?,)])"
# ... and a write's action after a name, as a REST API names its collections and indexes
# (Qdrant's `POST /collections/products/points/delete` beside `.../points/search`, Meilisearch's
# `POST /indexes/products/search` beside `DELETE /indexes/products/documents`: QA, every write
# of a collection one `/collections/<*>` event, a bulk delete a search's). Writes only: a
# page's path (`GET /shop/shoes/running`) names a category, no action.
_WRITE = ("POST", "PUT", "DELETE", "PATCH")
_WRITE_BEFORE = (
    rf"((?:^|[\s\"])(?:{'|'.join(_WRITE)}) )", rf"((?:^|\s)(?:{'|'.join(_WRITE)}) \")",
)
_WRITE_ENDS = (_PATH_END, _QUOTE_END)
_NAME_ID = r"[A-Za-z][\w.~-]*"
_ACTIONS = rf"{_ACTION}(?:/{_ACTION})?"
NAME_ACTION: list[tuple[str, str, int]] = [
    pattern
    for before, end in zip(_WRITE_BEFORE, _WRITE_ENDS, strict=True)
    for pattern in (
        (rf"{before}/({_NAME})/{_NAME_ID}/({_ACTIONS}){end}",
         rf"\1{_KEPT}\2{_REST}{_KEPT}\3\4", 1),
        (rf"{before}/({_NAME})/{_NAME_ID}/({_ACTIONS})\?[^\s\"]*{end}",
         rf"\1{_KEPT}\2{_REST}{_KEPT}\3{_QUERY}\4", 1),
    )
]  # fmt: skip
_NAME_ACTION_ANY = (
    rf"(?:^|[\s\"])(?:{'|'.join(_WRITE)}) \"?/{_NAME}/{_NAME_ID}/{_ACTIONS}(?:$|[\s\"?])"
)
# ... not an API's prefix, version or area, which `_SEGMENTS` read (`/shop/api/login`,
# `/api/v1/auth/login`, `/internal/security/login`)
_API_PATH_ANY = (
    rf"(?:^|[\s\"])(?:{'|'.join(_WRITE)}) \"?/(?:[^\s\"/]+/)?"
    r"(?:_?api|rest|web|v[0-9][0-9.]*|internal|admin|-|a|_[a-z]+|[^\s\"/]+\.php)/"
)
# A PHP front controller's routing parameters name its endpoint: Matomo's `/index.php?module=
# Login` beside `?module=API&method=VisitsSummary.get&idSite=3` and `?module=CoreHome&action=
# index` (QA Matomo: one `/index.php?<*>` event, a login a dashboard's and an API call's); the
# script and those parameters are kept, the others one value (`&<*>`)
_ROUTE_PARAM = r"(?:module|action|method|controller|route|option)=[A-Za-z_][\w.-]*"
_ROUTED = rf"/([A-Za-z0-9_-]+\.php)\?({_ROUTE_PARAM}(?:&{_ROUTE_PARAM})*)"
REQUEST: list[tuple[str, str, int]] = [
    (_URL_AFTER_PROTOCOL, r"\1\2", 1),
    (_URL_IN_REQUEST_LINE, r"\1\2", 1),
    (rf"{_PATH_FIELD}{_SCHEME_HOST}(/)", r"\1\2", 1),
    (rf"{_JSON_PATH_FIELD}{_SCHEME_HOST}(/)", r"\1\2", 1),
    *(
        pattern
        for before, end in _REQUEST_FORMS
        for pattern in (
            (rf"{before}{_ROUTED}{end}", rf"\1{_KEPT}\2?\3\4", 1),
            (rf"{before}{_ROUTED}&[^\s\"]*{end}", rf"\1{_KEPT}\2?\3{_MORE}\4", 1),
        )
    ),
    *(
        pattern
        for before, end in _REQUEST_FORMS
        for segment in _SEGMENTS  # a request once marked matches no later pattern
        # the whole segment first: tried after `/rest`, a segment's optional version let it
        # match short, `/loki/api/v1/push` kept as `/loki/api/v1` with `push` masked (QA Loki)
        for pattern in (
            (rf"{before}{segment}{end}", rf"\1{_KEPT}\2\3", 1),
            (rf"{before}{segment}/[^\s\"]*{end}", rf"\1{_KEPT}\2{_REST}\3", 1),
            (rf"{before}{segment}\?[^\s\"]*{end}", rf"\1{_KEPT}\2{_QUERY}\3", 1),
        )
    ),
]
# ... and the quoted path field's, on the rows that hold one (`_QUOTED_REQUEST_ANY`): each group
# of patterns runs on its own rows, as every pattern costs a pass over them
QUOTED_REQUEST = [
    pattern
    for segment in _SEGMENTS
    for pattern in (
        (rf"{_PATH_FIELD_QUOTED}{segment}{_QUOTE_END}", rf"\1{_KEPT}\2\3", 1),
        (rf"{_PATH_FIELD_QUOTED}{segment}/[^\s\"]*{_QUOTE_END}", rf"\1{_KEPT}\2{_REST}\3", 1),
        (rf"{_PATH_FIELD_QUOTED}{segment}\?[^\s\"]*{_QUOTE_END}", rf"\1{_KEPT}\2{_QUERY}\3", 1),
    )
]  # fmt: skip
_QUOTED_REQUEST_ANY = rf"{_PATH_FIELD_QUOTED}/"
# ... and an RPC API's call and a Python dict's path field, on the rows that may hold them
RPC_REQUEST = [
    pattern
    for before, end in _REQUEST_FORMS
    for segment in _RPC_SEGMENTS
    for pattern in (
        (rf"{before}{segment}{end}", rf"\1{_KEPT}\2\3", 1),
        (rf"{before}{segment}\?[^\s\"]*{end}", rf"\1{_KEPT}\2{_QUERY}\3", 1),
    )
]  # fmt: skip
DICT_REQUEST = [
    (rf"{_DICT_PATH_FIELD}{_SCHEME_HOST}(/)", r"\1\2", 1),
    *(
        pattern
        for segment in (*_RPC_SEGMENTS, *_SEGMENTS)
        for pattern in (
            (rf"{_DICT_PATH_FIELD}{segment}{_SQUOTE_END}", rf"\1{_KEPT}\2\3", 1),
            (rf"{_DICT_PATH_FIELD}{segment}/[^\s']*{_SQUOTE_END}", rf"\1{_KEPT}\2{_REST}\3", 1),
            (rf"{_DICT_PATH_FIELD}{segment}\?[^\s']*{_SQUOTE_END}",
             rf"\1{_KEPT}\2{_QUERY}\3", 1),
        )
    ),
]  # fmt: skip
_DICT_REQUEST_ANY = rf"{_DICT_PATH_FIELD}/"
# any request (the API forms are longer ones)
_REQUEST_ANY = (
    f"{_METHOD}{_SEGMENTS[-1]}|{_METHOD_QUOTED}{_SEGMENTS[-1]}|{_PATH_FIELD}{_SEGMENTS[-1]}"
    f"|{_URL_AFTER_PROTOCOL}|{_JSON_PATH_FIELD}{_SEGMENTS[-1]}|{_URL_IN_REQUEST_LINE}"
    f"|{_PATH_FIELD}{_SCHEME_HOST}/|{_JSON_PATH_FIELD}{_SCHEME_HOST}/"
    f"|{_ROOT_VERSION}[{_ERRNO_MARKED}]|{_REQUEST_TO}{_SEGMENTS[-1]}"
    f"|{_METHOD_COMMA}{_SEGMENTS[-1]}"
)

# A command of one lower-case word after a slash, as chat and game servers take them
# (Minecraft's `alice issued server command: /gamemode creative` beside `/trigger sit`): the
# command is the event, as a request's endpoint is; as a path it was masked (QA: an op's
# `/gamemode` was a player's `/trigger` event). Marked as a request's kept path.
_COMMAND_ANY = r"(?:^|: )/[a-z]+(?:\s|$)"  # first, or after a colon (not `Web app /mapreduce`)
COMMAND: list[tuple[str, str, int]] = [(r"(^|: )/([a-z]+)(\s|$)", rf"\1{_KEPT}\2\3", 1)]

# A boolean that says whether an operation was let through is its outcome: HDFS's audit
# `allowed=false` is a denial (QA: masked as a boolean, 26 denied reads were `allowed=<*>` with
# 10,314 allowed ones). Its value is marked so the boolean mask leaves it.
_VERDICT_BOOLEANS = {"true": "\ue025", "false": "\ue026"}
_VERDICT_NAME = (  # ... also one that says it failed (Nomad's task events, `failed=true`: QA)
    r"((?:^|[\s,;{\"'.(])(?i:allowed|granted|authorized|permitted|success|succeeded|failed|"
    # ... and Suricata's flow verdict, `flow.alerted=true` (QA: an alerted flow a clean one's)
    r"denied|rejected|error|alerted|"
    # ... and Jicofo's `Sticky failure: false` (QA Jitsi: a sticky failure a clean one's event)
    r"failure|"
    # ... and a health check's, Calico Felix's `live=false ready=false` (QA Calico: an unhealthy
    # Felix a healthy one's event), an interface's `operUp=false`
    r"live|ready|healthy|operup|adminup|"
    # ... and a service's, Vitess' `Replication is running: false`, `(serving: false)` (QA
    # Vitess: replication stopped was a running replica's event, 7 such lines unflagged)
    r"running|serving|connected|online|reachable|available|"
    # ... and QEMU's disk-full flag on an I/O error, `"nospace": true` (QA libvirt: a full
    # datastore was a failing array's event)
    r"nospace|"
    # ... and a condition's result, the GitHub Actions runner's `Evaluating: success()` then
    # `Result: False` (QA: a skipped step's verdict a run step's)
    r"result)[\"']?[=:] ?[\"']?"
    # ... and a setting switched, Debezium's `Connected metrics set to 'false'` beside 'true'
    # (QA: one `'<*>'` event, a disconnect a connect's)
    r"|(?:^|\s)(?i:set) to [\"']?)"
)
# ... in Python's repr too, Salt's `'success': False` (QA: a failed job was a success's event)
_VERDICT_ANY = _VERDICT_NAME + r"(?:true|false|True|False)"
VERDICT: list[tuple[str, str, int]] = [  # (twice: `live=true ready=true` share a space)
    (rf"{_VERDICT_NAME}{spelt}($|[^A-Za-z0-9_])", rf"\1{mark}\2", 2)
    for value, mark in _VERDICT_BOOLEANS.items()
    for spelt in (value, value.title())
]

# DNS's record type `NULL` before its class (`x1.tun.example.com. NULL IN`: iodine's tunnels)
# is a type like `TXT`, not a null value (QA Unbound: one such query made every record type
# one variable), and SQL's `NOT NULL` a constraint like `UNIQUE` (QA CockroachDB: `NOT <*>
# failed`); marked so the null mask leaves them
_NULL_TYPE = "\ue027"
KEPT_NULL: list[tuple[str, str, int]] = [
    (r"(\s)NULL( IN(?:\s|$))", rf"\1{_NULL_TYPE}\2", 1),
    (r"(NOT )NULL($|[^A-Za-z0-9_])", rf"\1{_NULL_TYPE}\2", 1),
]

# A TLS or SSL protocol version is the connection's state, not a number: `TLSv1.1` beside
# `TLSv1.3` is a downgrade (QA ALB: `ssl_protocol=TLSv1.<*>` made 1.1, 1.2 and 1.3 one
# event). Its digits are marked as an error number's are, so no mask takes them.
_TLS_NAME = r"(?:^|[^A-Za-z])(?:TLS|SSL|DTLS)(?:v| )?"
_TLS_ANY = _TLS_NAME + r"[0-9]"
TLS_VERSION: list[tuple[str, str, int]] = [
    (rf"({_TLS_NAME}[{_ERRNO_MARKED}]?\.?){digit}", rf"\1{marker}", 1)
    for digit, marker in _ERRNO_DIGITS.items()
] * 2  # the major digit, then the minor
TLS_VERSION_WORD = re.compile(rf"({_TLS_NAME})([0-9](?:\.[0-9])?)(?![0-9])")
# An authentication's factor, `1FA` beside `2FA` (Authelia's `Successful 2FA authentication
# attempt`: QA, read as a hex number, a first factor's success a second's), its digit marked
_FACTOR_END = r"FA(?:$|[^A-Za-z0-9_])"
_AUTH_FACTOR_ANY = rf"(?:^|[^A-Za-z0-9_])[1-4]{_FACTOR_END}"
AUTH_FACTOR: list[tuple[str, str, int]] = [
    (rf"(^|[^A-Za-z0-9_]){digit}({_FACTOR_END})", rf"\1{marker}\2", 1)
    for digit, marker in _ERRNO_DIGITS.items()
    if digit in "1234"
]
AUTH_FACTOR_WORD = re.compile(rf"(^|[^A-Za-z0-9_])([1-4])(?={_FACTOR_END})")

# A Puppet resource reference, `(/Stage[main]/Sudo/File[/etc/sudoers]/content) content
# changed ...`: the class path to it is masked, its type, title and property are the event
# (QA Puppet: masked whole, a change to /etc/sudoers was a routine nginx.conf deploy's event,
# a haproxy restart an nginx one's); the title's slashes are kept as a request's are
_PUPPET_ANY = r"\(/Stage\["
_PUPPET_TITLE = r"(\(\x00/[A-Z][\w:]*\[[^\]\s/]*)/"
PUPPET: list[tuple[str, str, int]] = [
    (
        r"\(/Stage\[[^\]\s]*\](?:/[^\s()]*?)?/([A-Z][\w:]*\[[^\]\s]*\])/([a-z_]+\))",
        "(\x00/" + rf"\1{_KEPT}\2",  # a NUL marks the masked class path, for now
        1,
    ),
    (  # ... or with none (`(/Stage[main]/Haproxy::Config/File[/etc/x.cfg]) Filebucketed`)
        r"\(/Stage\[[^\]\s]*\](?:/[^\s()]*?)?/([A-Z][\w:]*\[[^\]\s]*\])\)",
        "(\x00/" + r"\1)",
        1,
    ),
    (_PUPPET_TITLE, rf"\1{_KEPT}", 8),
    (r"\(\x00/", "(" + WILDCARD + "/", 1),
]
_API_PATH_PY = re.compile(_API_PATH_ANY)
_BARE_VERSION_ANY = (
    rf"/{_API_BARE}[0-9](?:\.[0-9])?/[A-Za-z_]|{_ROOT_VERSION}[0-9]\.[0-9]/[A-Za-z_]"
)


def _hints(any_case: tuple[str, ...] = (), cased: tuple[str, ...] = ()) -> str:
    """One RE2 pattern that finds any of the substrings (the first in any case): one call
    per chunk, where a call per substring cost a folder of small files ~2 ms a file."""
    def escape(text: str) -> str:
        return re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", text)

    parts = ([f"(?i:{'|'.join(map(escape, any_case))})"] if any_case else []) + [
        escape(h) for h in cased
    ]
    return "|".join(parts)


def _has_hint(text: pa.Array, hints: str) -> bool:
    return bool(pc.any(pc.match_substring_regex(text, hints)).as_py())


_STATUS_HINT = _hints(_STATUS_HINTS, _CASED_STATUS_HINTS)
# Gitea's `, 200 OK`, Traefik's `'502 Bad Gateway'`: a reason phrase follows (quoted too)
_STATUS_HINT += r"|(?:^|[\s'\"])[1-5][0-9][0-9] \"?[A-Z]"
_ERRNO_HINT = _hints((
    "err", "os error", "exit", "event", "severity", "rc=", "rc:", ", rc ",
    "code",  # `Code: 60.`, `(code: 2002)`: a chunk of such lines alone had them masked
    "signal", "termsig", "status", "rule", "-- returned", "\" returned:", "audit: type=", "tkt=",
    "failed=", "unreachable=", "now returning", "cause", "substatus=", "win32-status=",
    "reason(", "result [", '[id "',  # IBM MQ's, PAM's (SSSD), a ModSecurity rule's
    " H:0x", "sense data: 0x",  # `_SCSI_ANY`
    "sig:", "stratum", "grpc", "closed since", "mqtt server",
    "rc =", "sqlstate", "tag=", '" scope=', '" method=',
    # `_NO_ERRORS`' other words (QA Moodle: `Sent 2 messages with 0 failures` kept its `0` in a
    # chunk holding an `Error` line only, and a scoring run's normal lines were a new event)
    "failure", "fault", "entering state [",
    *(f"{code}-" for code in _ORACLE_CODES),
))  # fmt: skip
# `_MESSAGE_ID`, MySQL's, bracketed codes, F5's
_ERRNO_HINT += (
    r"|%[A-Z]|\[\*\*\] \[|logid=|\([0-9A-Z]{5}/[0-9]|[A-Z]_[0-9]|" + _BRACKETED_CODE_ANY + "|"
    + _F5_ID + "|" + _SOURCE_LEVEL + "[0-9]" + _SOURCE_LEVEL_END
)
# `=/`, `": "/`: path fields
_REQUEST_HINT = _hints(
    (), (" HTTP/", ",HTTP/", "=/", '="/', '": "/', '":"/', "': '/", "://", "HTTP Request to ",
         "HTTP request to ",
         *_METHOD_HINTS)
)  # fmt: skip


_KEPT_NULL_ANY = " NULL IN|NOT NULL"
_RARE_ANY = (
    f"{_BARE_VERSION_ANY}|{_COMMAND_ANY}|{_VERDICT_ANY}|{_KEPT_NULL_ANY}|{_TLS_ANY}|{_PUPPET_ANY}"
    f"|{_REGISTRY_ANY}|{_QUOTED_REQUEST_ANY}|{_AUTH_FACTOR_ANY}"
)


def _rows_matching(pattern: str) -> Callable[[pa.Array], pa.Array | None]:
    """Which rows `pattern` finds (None when none): the rows of a kind `_RARE_ANY` found in
    the chunk (no hint first: that scan was it)."""

    def rows_of(text: pa.Array) -> pa.Array | None:
        rows = pc.fill_null(pc.match_substring_regex(text, pattern), False)
        return rows if pc.any(rows).as_py() else None

    return rows_of


def _status_rows(text: pa.Array) -> pa.Array | None:
    """Which rows hold an HTTP status code (`_STATUS_ANY`); None when none does (most logs:
    a substring check, no pattern run)."""
    if not _has_hint(text, _STATUS_HINT):
        return None
    rows = pc.fill_null(pc.match_substring_regex(text, _STATUS_ANY), False)
    return rows if pc.any(rows).as_py() else None


def _errno_rows(text: pa.Array) -> pa.Array | None:
    """Which rows hold an error number or exit code (`ERRNO`); None when none does (a
    substring check first: most logs hold no `err`, `os error` or `exit`)."""
    if not _has_hint(text, _ERRNO_HINT):
        return None
    rows = pc.fill_null(pc.match_substring_regex(text, _ERRNO_ANY), False)
    return rows if pc.any(rows).as_py() else None


# a request named as an error's context, nginx's `..., client: 10.0.0.5, server: shop, request:
# "GET /api/cart HTTP/1.1", upstream: ...`: the error is the event, the endpoint one of its
# values (QA nginx: each error a template per endpoint, 19 for one upstream timeout, and a
# known error on an endpoint training had not paired with it a new event)
ERROR_CONTEXT_REQUEST = ', request: "'


def _request_rows(text: pa.Array) -> pa.Array | None:
    """Which rows hold an HTTP request line whose path starts with a name (`REQUEST`); None
    when none does (a substring check first: most logs hold no `HTTP/`)."""
    if not _has_hint(text, _REQUEST_HINT):
        return None
    rows = pc.fill_null(pc.match_substring_regex(text, _REQUEST_ANY), False)
    context = pc.fill_null(pc.match_substring(text, ERROR_CONTEXT_REQUEST), False)
    rows = pc.and_(rows, pc.invert(context))
    return rows if pc.any(rows).as_py() else None


def _action_rows(
    any_action: str, not_these: str | None = None
) -> Callable[[pa.Array], pa.Array | None]:
    """Which rows hold a request whose path ends in an action after an id (`ID_ACTION`) or a
    name (`NAME_ACTION`), `any_action` finding those paths (and `not_these` not); None when
    none does."""

    def rows_of(text: pa.Array) -> pa.Array | None:
        if not _has_hint(text, _REQUEST_HINT):
            return None
        rows = pc.fill_null(pc.match_substring_regex(text, any_action), False)
        if not pc.any(rows).as_py():
            return None
        if not_these is not None:
            rows = pc.and_(rows, pc.invert(pc.match_substring_regex(text, not_these)))
        requests = pc.match_substring_regex(
            text, f"{_REQUEST_ANY}|{_QUOTED_REQUEST_ANY}|{_DICT_REQUEST_ANY}"
        )
        context = pc.match_substring(text, ERROR_CONTEXT_REQUEST)
        rows = pc.and_(rows, pc.and_(pc.fill_null(requests, False), pc.invert(context)))
        return rows if pc.any(rows).as_py() else None

    return rows_of


def _restore_requests(masked: pa.Array) -> pa.Array:
    """The markers of `REQUEST` back to text: `/product/<*>`, `/search?<*>`."""
    for marker, text in _REQUEST_MARKERS:
        masked = pc.replace_substring(masked, marker, text)
    return masked


def _restore_status_classes(masked: pa.Array) -> pa.Array:
    """The class markers of `STATUS` back to their digits (`\ue015xx` -> `5xx`)."""
    for digit, marker in _STATUS_CLASSES.items():
        masked = pc.replace_substring(masked, marker, digit)
    return masked


_ERRNO_TABLE = str.maketrans(_ERRNO_DIGITS)
_ERRNO_RESTORE = str.maketrans({marker: digit for digit, marker in _ERRNO_DIGITS.items()})


def mark_array(text: pa.Array) -> tuple[pa.Array, bool]:
    """`text` with its kept values marked, and whether any row held one (most chunks: none,
    found by a substring check or two)."""
    marked = False
    rare = _has_hint(text, _RARE_ANY)  # one scan for the kinds most logs never hold
    for rows_of, patterns, seldom in (
        (_rows_matching(_BARE_VERSION_ANY), _BARE_VERSION, True),  # `/rest/api/2/...`
        (_rows_matching(_REGISTRY_ANY), REGISTRY, True),  # `/v2/<*>/manifests/<*>`
        (_action_rows(_ID_ACTION_ANY), ID_ACTION, False),  # `/orders/<*>/cancel`
        (_action_rows(_NAME_ACTION_ANY, _API_PATH_ANY), NAME_ACTION, False),  # `/index/<*>/search`
        (_action_rows(_RPC_ANY), RPC_REQUEST, False),  # `/api/2.0/mlflow/runs/create`
        (_action_rows(_DICT_REQUEST_ANY), DICT_REQUEST, False),  # `'full_path': '/login?'`
        (_rows_matching(_QUOTED_REQUEST_ANY), QUOTED_REQUEST, True),  # `uri="/api/x"`
        (_request_rows, REQUEST, False),  # the path's first segment kept
        (_rows_matching(_COMMAND_ANY), COMMAND, True),  # a `/command` of one word
        (_rows_matching(_PUPPET_ANY), PUPPET, True),  # `(/Stage[main]/.../File[/etc/x]/...)`
        (_rows_matching(_VERDICT_ANY), VERDICT, True),  # `allowed=false`
        (_rows_matching(_KEPT_NULL_ANY), KEPT_NULL, True),  # `NULL IN`, `NOT NULL`
        (_rows_matching(_TLS_ANY), TLS_VERSION, True),  # `TLSv1.2`
        (_rows_matching(_AUTH_FACTOR_ANY), AUTH_FACTOR, True),  # `2FA`
        (_rows_matching(_EXIT_STATUS_ANY), EXIT_STATUS, False),  # `Exit Status: 137` kept
        (_status_rows, STATUS, False),  # class markers for the status codes' first digits
        (_errno_rows, ERRNO, False),  # an error number's digits as markers
    ):
        if seldom and not rare:
            continue
        rows = rows_of(text)
        if rows is not None:
            text = pc.replace_with_mask(text, rows, apply_gated(text.filter(rows), patterns))
            marked = True
    return text, marked


def restore_array(masked: pa.Array) -> pa.Array:
    """The marks of `mark_array` back to text, after masking."""
    masked = _restore_status_classes(masked)
    for digit, marker in _ERRNO_DIGITS.items():
        masked = pc.replace_substring(masked, marker, digit)
    for value, marker in _VERDICT_BOOLEANS.items():
        masked = pc.replace_substring(masked, marker, value)
    masked = pc.replace_substring(masked, _NULL_TYPE, "NULL")
    return _restore_requests(masked)


Rule = tuple[re.Pattern[str], str, int]


@functools.cache
def _text_rules() -> tuple[list[Rule], list[Rule], list[Rule], list[Rule]]:
    """`mark_text`'s rules, compiled once on first use: (before the requests, the requests, the
    requests of an API path, after them). Compiled at import they cost every process 1.5 s (a
    `logbert serve` start twice, its engine's too), the requests' twice: `re`'s cache of 512
    patterns is smaller than these rules."""
    compiled: dict[str, re.Pattern[str]] = {}

    def rules(patterns: list[tuple[str, str, int]]) -> list[Rule]:
        return [(compiled.setdefault(p, re.compile(p)), r, n) for p, r, n in patterns]

    shared = REGISTRY + ID_ACTION
    tail = RPC_REQUEST + DICT_REQUEST + QUOTED_REQUEST + REQUEST
    return (
        rules(_BARE_VERSION),
        rules(shared + NAME_ACTION + tail),
        rules(shared + tail),  # (`_API_PATH_ANY`: no name before an action)
        rules(COMMAND + PUPPET + VERDICT + KEPT_NULL + EXIT_STATUS + STATUS),
    )


def mark_text(text: str) -> str:
    """`mark_array` for one string, in its order: requests, statuses, then error numbers (a
    number both could take, `exit status=500`, is a status class in both)."""
    before, requests, api_requests, after = _text_rules()
    if ERROR_CONTEXT_REQUEST in text:
        requests = []
    elif _API_PATH_PY.search(text):
        requests = api_requests
    for pattern, repl, passes in before + requests + after:
        for _ in range(passes):
            text = pattern.sub(repl, text)
    text = _OPENSSL_CODE_PY.sub(lambda m: m.group(1) + WILDCARD + m.group(2), text)
    text = _ERRNO_LONG_PY.sub(lambda m: m.group(1) + WILDCARD, text)
    text = _ERRNO_ID_PY.sub(lambda m: m.group(1) + WILDCARD, text)
    text = _ERRNO_PY.sub(lambda m: m.group(1) + m.group(2).translate(_ERRNO_TABLE), text)
    text = _NEGATIVE_SIGNAL_PY.sub(lambda m: m[1] + m[2].translate(_ERRNO_RESTORE), text)
    text = _MEASURED_ERROR_PY.sub(
        lambda m: m[1] + m[2].translate(_ERRNO_RESTORE) + m[3], text
    )
    text = TLS_VERSION_WORD.sub(lambda m: m.group(1) + m.group(2).translate(_ERRNO_TABLE), text)
    text = AUTH_FACTOR_WORD.sub(lambda m: m.group(1) + m.group(2).translate(_ERRNO_TABLE), text)
    text = _SMALL_STATUS_PY.sub(
        lambda m: m.group(1) + m.group(2).translate(_ERRNO_TABLE) + m.group(3), text
    )
    text = _SOURCE_LEVEL_PY.sub(
        lambda m: m.group(1) + m.group(2).translate(_ERRNO_TABLE) + m.group(3), text
    )
    text = _F5_ID_PY.sub(lambda m: m.group(1).translate(_ERRNO_TABLE), text)
    for code in _BRACKETED_CODE_PY:
        text = code.sub(lambda m: m.group(1) + m.group(2).translate(_ERRNO_TABLE), text)
    text = _LDAP_TAG_PY.sub(lambda m: m.group(1) + m.group(2).translate(_ERRNO_TABLE), text)
    text = _UNIT_STATUS_PY.sub(
        lambda m: m.group(1) + m.group(2).translate(_ERRNO_TABLE) + m.group(3), text
    )
    if " H:0x" in text or "sense data: 0x" in text:
        text = _SCSI_PY.sub(
            lambda m: (m[1] or m[3]) + (m[2] or m[4]).translate(_ERRNO_TABLE), text
        )
    for _ in range(2):  # `found 0 errors and repaired 0 errors`: a delimiter shared
        text = _NO_ERRORS_PY.sub(lambda m: m.group(1) + _ERRNO_DIGITS["0"] + m.group(2), text)
    return _MESSAGE_ID_PY.sub(lambda m: m.group(1) + m.group(2).translate(_ERRNO_TABLE), text)


def restore_text(text: str) -> str:
    """`restore_array` for one string."""
    for digit, marker in _STATUS_CLASSES.items():
        text = text.replace(marker, digit)
    text = text.translate(_ERRNO_RESTORE)
    for value, marker in _VERDICT_BOOLEANS.items():
        text = text.replace(marker, value)
    text = text.replace(_NULL_TYPE, "NULL")
    for marker, restored in _REQUEST_MARKERS:
        text = text.replace(marker, restored)
    return text
