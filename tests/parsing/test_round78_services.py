"""QA rounds 78 (Geth, Monero, cloud-init, Rundeck, coturn) and later: what each log's first
run got wrong, as a new user met it."""

from __future__ import annotations

from logbert.parsing.auto import rank_formats


def test_a_listed_names_value_leaves_the_bracket_that_closes_the_list(masked_alike):
    """QA Rundeck: `(project: ops, user: rundeck)` lost its `)` with the user's name, so the
    template read `(project: ops, user: <*>` and the bracket went into the parameter."""
    assert masked_alike(
        [
            "Execution 4000 started for job 'Nightly cleanup' (project: ops, user: rundeck)",
            "[clientid: a1, user: bob]",
            "clientid: sensor-0405, msg: hello, topic: factory/line3/cmd",
        ]
    ) == [
        "Execution <*> started for job <*> (project: ops, user: <*>)",
        "[clientid: <*>, user: <*>]",
        "clientid: <*>, msg: hello, topic: <*>",
    ]


GETH_LINES = [
    "INFO [12-05|10:00:00.456] Maximum peer count                       ETH=50 total=50",
    "INFO [12-05|10:04:00.000] Looking for peers                        peercount=12 tried=87 "
    "static=0",
    "WARN [12-05|10:05:00.000] Served eth_getBlockByNumber              conn=127.0.0.1:51234 "
    'reqid=17 duration=5.123s err="request timed out"',
    "ERROR[12-05|11:12:01.523] Invalid block import                     number=21,350,499 "
    'err="invalid merkle root"',
]


def test_geths_lines_are_read_with_their_level_in_the_event_and_no_year(auto_parsed):
    """QA geth: `auto` read no format, and the natural format string `<Level> \\[...` rejected
    every `ERROR[` line (no space after a five-letter level), the log's errors left out."""
    events = auto_parsed(GETH_LINES, "geth")
    assert events["Level"][:4] == ["INFO", "INFO", "WARN", "ERROR"]
    assert events["template"][3] == (
        'ERROR Invalid block import number=<*> err="invalid merkle root"'
    )
    assert events["template"][0] == "INFO Maximum peer count ETH=<*> total=<*>"
    assert events["timestamp"][3].strftime("%m-%d %H:%M:%S.%f") == "12-05 11:12:01.523000"


MONERO_LINES = [
    "2026-12-05 02:10:01.100\t[P2P7]\tWARNING\tnet.p2p\tsrc/p2p/net_node.inl:1234\t"
    "[198.51.100.23:18080 OUT] Failed to connect to peer, closing connection",
    "2026-12-05 02:10:02.200\t[P2P4]\tERROR\tnet.p2p\tsrc/p2p/net_node.inl:1234\t"
    "[198.51.100.23:18080 OUT] Failed to connect to peer, closing connection",
    "2026-12-05 10:00:05.321\t[P2P2]\tINFO\tnet.dns\tsrc/common/dns_utils.cpp:549\t"
    "DNSSEC not available for hostname: updates.moneropulse.org, skipping.",
    "2026-12-05 10:00:14.641\t[P2P7]\tINFO\tnet.dns\tsrc/common/dns_utils.cpp:549\t"
    "DNSSEC not available for hostname: updates.moneropulse.org, skipping.",
]


def test_monero_s_thread_is_a_field_and_its_level_stays_in_the_event(auto_parsed):
    """QA Monero: `iso` kept the P2P thread in the event (one message an event per thread that
    wrote it), and `airlift`, its runner-up, read the thread as the level (a warning and an
    error of one text one event, unsaid)."""
    events = auto_parsed(MONERO_LINES, "monero")
    assert events["ThreadName"] == ["P2P7", "P2P4", "P2P2", "P2P7"]
    assert events["template"][0].startswith("WARNING net.p2p [<*>:<*> OUT] Failed to connect")
    assert events["template"][1].startswith("ERROR net.p2p")
    assert events["template"][2] == events["template"][3]


def test_a_logging_librarys_level_field_holds_a_level_word(tmp_path):
    """QA Monero and coturn: `airlift` and `certbot` were picked for lines whose level they
    read as a thread's name (`[P2P7]`) or a blank (`2026-12-05 10:00:00: : WARNING: ...`)."""
    assert rank_formats(MONERO_LINES * 3, names=("airlift",))[0].dated == 0
    coturn = [
        "2026-12-05 10:00:00: : log file opened: /var/log/turnserver_2026-12-05.log",
        "2026-12-05 10:00:00: : WARNING: cannot find certificate file: cert.pem (1)",
        "2026-12-05 10:00:00: : ERROR: cannot find certificate file: cert.pem (1)",
    ]
    assert rank_formats(coturn * 3)[0].name != "certbot"
    assert rank_formats(coturn * 3, names=("certbot",))[0].dated == 0
