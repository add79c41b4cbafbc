"""Windows events as XML, one `<Event>` element per line, read as `--format json` reads a JSON
object (`json_lines.record_fields`).

`wevtutil qe Microsoft-Windows-Sysmon/Operational /f:xml`, `Get-WinEvent | % { $_.ToXml() }`
and Windows Event Forwarding write each event as one line of XML: `<System>` holds the
provider, `EventID`, `Level`, `TimeCreated SystemTime=...` and `Computer`; `<EventData>` holds
the event's `<Data Name='Image'>C:\\...\\cmd.exe</Data>` pairs. No built-in format read them
(QA Sysmon: `auto` refused every line, and a format string of the markup made the field names
variables, a DNS query and a file's creation one template). Here each line becomes the record
a JSON reader would build: the provider as the component, the level by name, the time, the
event id (kept as an event, `kept_values`), the computer and user as fields, then every
`Data` pair by name; a process image is its program (`cmd`: the event's actor, where the whole
path was one masked variable), and values of several words but a command line's stay one
word (`"C:\\Program Files\\..."` split at its spaces made a template per folder). The record
counter, the provider's GUID and the writer's process ids are left out: they number or repeat
every event. The XML parser is the standard library's (expat, which refuses entity-expansion
bombs and never loads external entities).
"""

from __future__ import annotations

import ntpath
import xml.etree.ElementTree as ElementTree

XML_EVENT_START = "<Event"
# the event levels' names (`Level` 0 is "LogAlways", written by most providers as information)
LEVELS = {"0": "information", "1": "critical", "2": "error", "3": "warning", "4": "information",
          "5": "verbose"}  # fmt: skip
# `EventData` fields that name a process's image: its file name is the event's actor
_IMAGE_FIELDS = frozenset({"Image", "ParentImage", "SourceImage", "TargetImage", "ImageLoaded",
                           "NewProcessName", "ParentProcessName", "ProcessName"})  # fmt: skip
# ... and that hold a command line: its words are what ran (`-NoP -W Hidden -enc ...`), not one
# quoted value
_WORDS_FIELDS = frozenset({"CommandLine", "ParentCommandLine", "GroupName"})
# The Security log's outcome and kind fields, numbers the masks would take, by their meaning:
# a logon's type, an NTSTATUS (`Status`, `SubStatus`, `FailureCode`) and a Kerberos ticket's
# encryption (QA Windows Security: a cleartext logon, a disabled account's failure and an RC4
# ticket, the Kerberoasting sign, were the routine events' `<*>`); other values stay as written
_LOGON_TYPES = {"2": "Interactive", "3": "Network", "4": "Batch", "5": "Service", "7": "Unlock",
                "8": "NetworkCleartext", "9": "NewCredentials", "10": "RemoteInteractive",
                "11": "CachedInteractive"}  # fmt: skip
_NT_STATUS = {"0x0": "SUCCESS", "0xc000006a": "WRONG_PASSWORD", "0xc0000064": "NO_SUCH_USER",
              "0xc000006d": "LOGON_FAILURE", "0xc000006e": "ACCOUNT_RESTRICTION",
              "0xc000006f": "INVALID_LOGON_HOURS", "0xc0000070": "INVALID_WORKSTATION",
              "0xc0000071": "PASSWORD_EXPIRED", "0xc0000072": "ACCOUNT_DISABLED",
              "0xc0000193": "ACCOUNT_EXPIRED", "0xc0000224": "PASSWORD_MUST_CHANGE",
              "0xc0000234": "ACCOUNT_LOCKED_OUT", "0xc000015b": "LOGON_TYPE_NOT_GRANTED",
              "0xc0000133": "TIME_SKEW",
              "0xc0000413": "AUTHENTICATION_FIREWALL_FAILED"}  # fmt: skip
_TICKET_CIPHERS = {"0x1": "DES_CBC_CRC", "0x3": "DES_CBC_MD5", "0x11": "AES128", "0x12": "AES256",
                   "0x17": "RC4_HMAC", "0x18": "RC4_HMAC_EXP", "0xffffffff": "FAILED"}  # fmt: skip
_BY_MEANING = {"LogonType": _LOGON_TYPES, "Status": _NT_STATUS, "SubStatus": _NT_STATUS,
               "FailureCode": _NT_STATUS, "TicketEncryptionType": _TICKET_CIPHERS}  # fmt: skip
# the events whose `TargetUserName` is a group's (4727-4737, 4754-4758: a member added to
# `Account Operators` is not one added to `Remote Desktop Users`): named `GroupName`, a kind
_GROUP_EVENTS = frozenset({*map(str, range(4727, 4738)), *map(str, range(4754, 4759))})


def event_xml_record(text: str) -> dict | None:
    """The record of one Windows event's XML line (see the module doc), None when the line is
    no `<Event>` element."""
    if not text.startswith(XML_EVENT_START):
        return None
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return None
    for element in root.iter():  # `{http://schemas.microsoft.com/...}System` as `System`
        element.tag = element.tag.rpartition("}")[2]
    if root.tag != "Event":
        return None
    record: dict[str, str] = {}
    system = root.find("System")
    if system is not None:
        _read_system(system, record)
    for section in ("EventData", "UserData"):
        data = root.find(section)
        if data is not None:
            _read_data(data, record)

    message = root.findtext("RenderingInfo/Message")
    if message:  # `wevtutil /rd:true`: the event's rendered text
        record["message"] = message.strip()
    return record


def _read_system(system: ElementTree.Element, record: dict[str, str]) -> None:
    provider = system.find("Provider")
    if provider is not None and provider.get("Name"):
        record["component"] = provider.get("Name", "")
    for name in ("EventID", "Computer", "Channel"):
        value = system.findtext(name)
        if value:
            record[name] = value.strip()
    level = (system.findtext("Level") or "").strip()
    if level:
        record["level"] = LEVELS.get(level, f"level{level}")
    created = system.find("TimeCreated")
    if created is not None and created.get("SystemTime"):
        record["timestamp"] = created.get("SystemTime", "")
    security = system.find("Security")
    if security is not None and security.get("UserID"):
        record["UserID"] = security.get("UserID", "")


def _program(path: str) -> str:
    """A process image's program: its file name without `.exe` (`C:\\...\\cmd.exe`: `cmd`; as
    `cmd.exe` a file name, which the masks take; each program an event, `miner.OPERATION_KEYS`)."""
    name = ntpath.basename(path)
    return name[:-4] if name.lower().endswith(".exe") else name


def _read_data(data: ElementTree.Element, record: dict[str, str]) -> None:
    """`<Data Name='Image'>...</Data>` pairs by name (unnamed ones by position); `UserData`'s
    nested elements by their tag."""
    for i, element in enumerate(data.iter()):
        if element is data or len(element):
            continue
        name = element.get("Name") or (element.tag if element.tag != "Data" else f"Data{i}")
        if name == "TargetUserName" and record.get("EventID") in _GROUP_EVENTS:
            name = "GroupName"  # its words the kind of change (not quoted: one value)
        value = (element.text or "").strip()
        if name in _IMAGE_FIELDS and "\\" in value:
            value = _program(value)
        elif name in _BY_MEANING:
            value = _BY_MEANING[name].get(value.lower(), value)
        spaced = any(c.isspace() for c in value) and name not in _WORDS_FIELDS
        record[name] = f'"{value}"' if spaced else value
