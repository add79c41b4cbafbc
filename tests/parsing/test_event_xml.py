"""Windows events as XML lines (`wevtutil qe ... /f:xml`), read as JSON objects are."""

from __future__ import annotations

from logbert.parsing.auto import rank_formats
from logbert.parsing.event_xml import event_xml_record
from logbert.parsing.json_lines import record_fields
from logbert.parsing.masks import mask_text

NS = "xmlns='http://schemas.microsoft.com/win/2004/08/events/event'"


def sysmon(event_id: int, data: dict[str, str], second: int = 25) -> str:
    pairs = "".join(f"<Data Name='{k}'>{v}</Data>" for k, v in data.items())
    return (
        f"<Event {NS}><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{{5770385f}}'/>"
        f"<EventID>{event_id}</EventID><Version>2</Version><Level>4</Level><Task>11</Task>"
        f"<TimeCreated SystemTime='2026-12-03T06:00:{second:02d}.7973659Z'/><EventRecordID>"
        f"1698{second}</EventRecordID><Execution ProcessID='2876' ThreadID='3996'/><Channel>"
        f"Microsoft-Windows-Sysmon/Operational</Channel><Computer>WS041.corp.local</Computer>"
        f"<Security UserID='S-1-5-18'/></System><EventData>{pairs}</EventData></Event>"
    )


def test_a_sysmon_event_s_xml_is_a_record_of_its_fields():
    """QA Sysmon: `auto` read no format, and a format string of the markup made the field
    names variables: a DNS query and a file's creation one template."""
    line = sysmon(1, {"Image": r"C:\Windows\System32\cmd.exe", "CommandLine": "cmd.exe /c whoami",
                      "CurrentDirectory": r"C:\Program Files\App", "User": r"CORP\alice"})
    record = event_xml_record(line)
    assert record["timestamp"] == "2026-12-03T06:00:25.7973659Z" and record["level"] == (
        "information"
    )
    assert record["component"] == "Microsoft-Windows-Sysmon" and record["EventID"] == "1"
    assert record["Computer"] == "WS041.corp.local" and record["Image"] == "cmd"
    assert record["CommandLine"] == "cmd.exe /c whoami"  # its words, not one quoted value
    assert record["CurrentDirectory"] == r'"C:\Program Files\App"'
    assert "EventRecordID" not in record and event_xml_record("<Event><broken") is None
    _, content = record_fields(record)
    masked = mask_text(content)
    assert "EventID=1" in masked and "Image=cmd" in masked and "User=<*>" in masked
    assert rank_formats([sysmon(22, {"QueryName": "teams.microsoft.com"}, s) for s in range(9)])[
        0
    ].name == "json"


def test_each_event_id_and_program_is_an_event(log_parsed):
    """QA Sysmon: file creations by any program and DNS queries were one template."""
    kinds = ((11, "svchost"), (22, "svchost"), (22, "chrome"))
    lines = [
        sysmon(event_id, {"Image": rf"C:\Windows\{program}.exe", "QueryName": f"q{i}.x"}, i)
        for i in range(8) for event_id, program in kinds
    ]  # fmt: skip
    events, _ = log_parsed(lines, "json")
    assert len(set(events["template_id"])) == 3
    assert events["timestamp"][0] is not None


def security(event_id: int, data: dict[str, str]) -> str:
    return sysmon(event_id, data).replace("Microsoft-Windows-Sysmon", "Security-Auditing")


def test_a_security_event_s_outcome_kind_and_group_are_the_event():
    """QA Windows Security: a cleartext logon, a disabled account's failure, an RC4 ticket (the
    Kerberoasting sign), a new Account Operators member and a `certutil` run were the routine
    events' `<*>`; an operator's account name made a template of its own."""
    logon = event_xml_record(security(4624, {"LogonType": "8", "TargetUserName": "adm_alice"}))
    assert logon["LogonType"] == "NetworkCleartext"
    failure = event_xml_record(security(4776, {"Status": "0xC0000072", "Workstation": "WS3"}))
    assert failure["Status"] == "ACCOUNT_DISABLED"
    ticket = event_xml_record(security(4769, {"TicketEncryptionType": "0x17", "Status": "0x0"}))
    assert (ticket["TicketEncryptionType"], ticket["Status"]) == ("RC4_HMAC", "SUCCESS")
    group = event_xml_record(security(4732, {"TargetUserName": "Account Operators"}))
    assert group["GroupName"] == "Account Operators" and "TargetUserName" not in group
    process = event_xml_record(security(4688, {"NewProcessName": r"C:\Windows\certutil.exe"}))
    assert process["NewProcessName"] == "certutil"
    ann, raj = (mask_text(record_fields(event_xml_record(security(4720, {
        "SubjectUserName": who, "SamAccountName": "new.c68"})))[1]) for who in ("ann", "raj"))
    assert ann == raj and "SubjectUserName=<*>" in ann and "SamAccountName=<*>" in ann
