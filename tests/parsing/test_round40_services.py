"""QA round 40 (Mosquitto, strongSwan, Android logcat, VMware ESXi, Keycloak, macOS unified
log): what each log's first run got wrong, as a new user met it."""

from __future__ import annotations

import pyarrow.parquet as pq

from logbert.parsing.formats import resolve_format
from logbert.parsing.pipeline import parse_files


def _templates(events: dict) -> list[str]:
    return events["template"]


def test_a_client_without_a_digit_in_its_name_shares_its_events(auto_parsed):
    """QA Mosquitto: `Received PINGREQ from <*>` had four word frequencies, the masked id's the
    highest, so `... from ha-core` (no digit, not masked) made a pattern of its own: 300 pings
    of the busiest client were another event than everyone else's."""
    events = auto_parsed([
        "1796284802: Received PINGREQ from sensor-17",
        "1796284802: Sending PINGRESP to sensor-17",
        "1796284803: Received PINGREQ from ha-core",
    ], "mosquitto")  # fmt: skip
    first, _, third = _templates(events)
    assert first == third == "Received PINGREQ from <*>"
    assert events["timestamp"][0].isoformat() == "2026-12-03T08:00:02"  # UTC


def test_mqtt_topic_filters_are_values(masked_alike):
    """QA Mosquitto: every subscription's filter was a template (`plant/# (QoS <*>)`)."""
    assert masked_alike(["\tplant/# (QoS 0)", "\thome/+/+/state (QoS 1)"]) == ["<*> (QoS <*>)"] * 2
    assert masked_alike(["a/b +1 c/d"]) == ["a/b <*> c/d"]  # no filter: a sign's number


def test_an_identity_provider_s_client_and_realm_are_names(masked_alike):
    """QA Keycloak: `realmName="shop", clientId="web-app"` stayed in every event's template,
    and a renamed client's every login was a new event (111 false alarms of 128 windows)."""
    line = 'type="LOGIN", realmName="{}", clientId="{}", userId="7", error="{}"'
    shop, internal = masked_alike([
        line.format("shop", "web-app", "invalid_user_credentials"),
        line.format("internal", "grafana", "invalid_user_credentials"),
    ])  # fmt: skip
    assert shop == internal and 'error="invalid_user_credentials"' in shop


def test_dates_written_with_day_and_month_names_are_one_value(masked_alike):
    """QA ESXi: hostd's `login time: Saturday, 05 December, 2026 07:52:03 AM` kept the weekday
    and AM/PM: the next day's logouts were new events in 101 of 192 windows."""
    saturday, friday = masked_alike([
        "logged out (login time: Saturday, 05 December, 2026 07:52:03 AM, number of calls: 77)",
        "logged out (login time: Friday, 04 December, 2026 11:52:03 PM, number of calls: 77)",
    ])  # fmt: skip
    assert saturday == friday
    assert not any(word in saturday for word in ("Saturday", "December", "AM"))


def test_a_scsi_command_s_status_and_sense_data_are_kept(masked_alike):
    """QA ESXi: `H:0x8 D:0x0 P:0x0 Valid sense data: 0x3 0x11 0x0` (a medium error) was the
    template of the ATA pass-through noise every normal window holds."""
    line = (
        "cpu{}:2098765)ScsiDeviceIO: 3463: Cmd(0x45b8c1a2b3c4) 0x28, CmdSN 0x1a2b from world "
        '2098765 to dev "naa.600508b1001c5e1f" failed {} Valid sense data: {}.'
    )
    medium, noise, again = masked_alike([
        line.format(12, "H:0x0 D:0x2 P:0x0", "0x3 0x11 0x0"),
        line.format(30, "H:0x0 D:0x2 P:0x0", "0x5 0x20 0x0"),
        line.format(7, "H:0x0 D:0x2 P:0x0", "0x5 0x20 0x0"),
    ])  # fmt: skip
    assert medium != noise and noise == again  # another CPU, the same event
    assert medium.endswith("failed H:0x0 D:0x2 P:0x0 Valid sense data: 0x3 0x11 0x0.")
    assert "Cmd(<*>) <*>," in medium and "cpu30" not in noise


def test_scsi_sense_data_keeps_its_words_in_line_with_the_params(tmp_path):
    """The sense data's values, which a backtrace's rule joins into one word, were split
    again after the words were taken: `parse` failed with an ArrowIndexError."""
    log = tmp_path / "vmkernel.log"
    log.write_text("".join(
        f"2026-12-04T07:59:4{i}.100Z cpu{i}:2098765)ScsiDeviceIO: 3463: Cmd(0x45b8c1a2b3c{i}) "
        f'0x28, CmdSN 0x1a2b from world 2098765 to dev "naa.600508b1001c" failed H:0x0 D:0x2 '
        f"P:0x0 Valid sense data: 0x{3 + i % 2} 0x11 0x0. Retry {i} of world {i * 7}\n"
        for i in range(4)
    ))  # fmt: skip
    parse_files([str(log)], resolve_format("iso"), tmp_path / "e.parquet")
    events = pq.read_table(tmp_path / "e.parquet").to_pydict()
    assert len(set(events["template"])) == 2
    for template, params in zip(events["template"], events["params"], strict=True):
        assert sum("<*>" in word for word in template.split(" ")) == len(params)
    assert events["params"][1][-2:] == ["1", "7"]


def test_an_esxi_task_s_method_names_its_event(tmp_path, log_parsed):
    """QA ESXi: every hostd task was one `Task Created : haTask-<*>` event, a VM's boot loop
    of power-ons a reconfigure's."""
    methods = ["reconfigure", "powerOn", "createSnapshot", "powerOn", "reconfigure", "powerOff"]
    log_parsed([
        f"2026-12-04T10:00:0{i}.000Z info hostd[2099107] Task Created : "
        f"haTask-{30 + i}-vim.VirtualMachine.{method}-{89178 + i}"
        for i, method in enumerate(methods)
    ], "iso")  # fmt: skip
    text = (tmp_path / "templates.csv").read_text()
    assert "haTask-<*>-vim.VirtualMachine.powerOn-<*>" in text
    assert text.count("Task Created") == 4


def test_ipsec_payloads_and_notifies_are_events_and_connection_names_values(
    tmp_path, masked_alike, log_parsed
):
    """QA strongSwan: `[ EAP/FAIL ]` and `[ EAP/SUCC ]` were one `[ <*> ]` event, and a
    connection's name kept (`IKE_SA site-c[70]`) made a known tunnel's DELETE a new event."""
    payloads = ["EAP/REQ/MSCHAPV2", "EF(1/2)", "EF(2/2)", "EAP/SUCC", "EAP/FAIL", "N(TS_UNACCEPT)"]
    log_parsed([
        f"Dec  4 10:21:{i:02d} vpn-gw1 charon: 09[ENC] generating IKE_AUTH response {i % 5} "
        f"[ {payloads[i % len(payloads)]} ]"
        for i in range(24)
    ], "linux", year=2026)  # fmt: skip
    text = (tmp_path / "templates.csv").read_text()
    assert all(f"[ {code} ]" in text for code in ("EAP/FAIL", "EAP/SUCC", "N(TS_UNACCEPT)"))
    names = masked_alike([
        "16[IKE] received DELETE for IKE_SA site-c[70]",
        "16[IKE] received DELETE for IKE_SA rw-eap[12]",
    ])  # fmt: skip
    assert names == ["<*>[IKE] received DELETE for IKE_SA <*>[<*>]"] * 2
    assert masked_alike(["09[IKE] restarting CHILD_SA site-c-net"]) == [
        "<*>[IKE] restarting CHILD_SA <*>"
    ]
    assert masked_alike(["09[IKE] IKE_SA deleted"]) == ["<*>[IKE] IKE_SA deleted"]


def test_logcat_s_buffer_markers_are_no_rejects_and_tags_keep_no_padding(tmp_path):
    """QA Android: `--------- beginning of main` was a reject, with advice to join it to the
    record before; the Component kept the tag column's padding (`OkHttp  `)."""
    log = tmp_path / "pixel6.log"
    log.write_text(
        "--------- beginning of main\n"
        "12-02 10:00:00.100  2000  2000 I ShopApp : onCreate: build 4.12.0 (41200)\n"
        "12-02 10:00:00.500  2000  2011 D OkHttp  : --> GET https://api.example.com/v2/cart\n"
        "--------- beginning of crash\n"
        "12-02 10:00:01.100  2000  2000 I Process : Sending signal. PID: 2000 SIG: 9\n"
        "12-02 10:00:01.200  2000  2000 I Process : Sending signal. PID: 2000 SIG: 3\n"
    )
    summary = parse_files([str(log)], resolve_format("android", year=2026), tmp_path / "e.parquet")
    assert (summary.rejected, summary.directives) == (0, 2)
    events = pq.read_table(tmp_path / "e.parquet").to_pydict()
    assert events["Component"] == ["ShopApp", "OkHttp", "Process", "Process"]
    assert events["template"][2:] == [  # a kill is not an ANR's stack dump
        "Sending signal. PID: <*> SIG: 9", "Sending signal. PID: <*> SIG: 3"
    ]


_MACOS = [
    "Timestamp                       Thread     Type        Activity             PID    TTL  ",
    "2026-12-03 08:00:02.059368-0500 0x131a8    Default     0x0                  243    0    "
    "WindowServer: (SkyLight) [com.apple.SkyLight:default] <private> is now active",
    "2026-12-03 08:00:15.089410-0500 0x131a8    Error       0x0                  988    0    "
    "sshd: error: PAM: authentication error for ci from 10.0.1.42",
    "-" * 116,
    "Log      - Default:          4630, Info:              384, Debug:             0, Error:   "
    "        8, Fault:           0",
    "Activity - Create:              0, Transition:          0, Actions:           0",
]


def test_the_macos_unified_log_reads_its_fields_and_no_closing_counts(auto_parsed, tmp_path):
    """QA macOS: `iso` kept thread, type, activity, pid and TTL in every message; a format
    string made `log show`'s closing counts events (`Error: 78`, new at every export's end)."""
    events = auto_parsed(_MACOS, "macos")
    assert events["PID"] == ["243", "988"] and events["Level"] == ["Default", "Error"]
    assert events["template"][1] == "error: PAM: authentication error for ci from <*>"
    assert events["timestamp"][0].isoformat() == "2026-12-03T13:00:02.059368"  # UTC
    log = tmp_path / "mac.log"
    log.write_text("\n".join(_MACOS) + "\n")
    summary = parse_files([str(log)], resolve_format("macos"), tmp_path / "m.parquet")
    assert (summary.rejected, summary.directives) == (0, 4)


def test_okhttp_s_response_line_keeps_its_status_class(masked_alike):
    """QA Android: OkHttp's `<-- 404 https://...` and `<-- 200 ...` were one event."""
    assert masked_alike([
        "<-- 404 https://api.example-shop.com/v2/cart (123ms, 512-byte body)",
        "<-- 200 https://api.example-shop.com/v2/cart (12ms, 5120-byte body)",
    ]) == ["<-- 4xx <*> (<*>, <*>-byte body)", "<-- 2xx <*> (<*>, <*>-byte body)"]
