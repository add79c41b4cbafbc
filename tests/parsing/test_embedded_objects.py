"""An object at the end of a text message (a Python dict's repr, a JSON object) is read as a
JSON line's fields are (`parsing/embedded_objects.py`)."""

from __future__ import annotations

import pyarrow as pa

from logbert.parsing.embedded_objects import objects_as_fields, with_object_fields

QUAY_FORMAT = "<Component> stdout | (<Date> <Time> [<Pid>] [<Level>] [<Logger>] )?<Content>"
QUAY = (
    "gunicorn-registry stdout | 2024-03-11 00:00:{second:02d},540 [233] [DEBUG] [app] Ending "
    "request: urn:request:{rid} ({path}) {{'endpoint': '{endpoint}', 'request_id': "
    "'urn:request:{rid}', 'remote_addr': '10.128.2.{second}', 'http_method': 'GET', "
    "'original_url': 'http://quay.example.com{path}', 'path': '{path}', 'parameters': {{}}, "
    "'json_body': None, 'confsha': '4b1c2b1d', 'user-agent': 'docker/24.0.7 go/go1.20.10 "
    "os/linux arch/amd64 UpstreamClient(Docker-Client/24.0.7 \\(linux\\))'}}"
)


def quay_line(second: int, endpoint: str, path: str) -> str:
    rid = f"{second:08x}-6f03-475a-9600-a35a0999{second:04d}"
    return QUAY.format(second=second, rid=rid, endpoint=endpoint, path=path)


def test_a_dicts_endpoint_is_the_event_and_its_paths_namespace_a_value(log_parsed):
    """QA Quay: `Ending request: ... {'endpoint': 'v2.fetch_manifest_by_tagname', ...}` and
    `v2.download_blob` were one template (`'endpoint': 'v2.<*>'`) while each namespace of
    the path was a template of its own (50 templates, a new team's first push a new event)."""
    manifest, blob = "v2.fetch_manifest_by_tagname", "v2.download_blob"
    lines = [
        quay_line(1, manifest, "/v2/data-eng/cron/manifests/latest"),
        quay_line(2, manifest, "/v2/qa/web/manifests/v1.8.4"),
        quay_line(3, blob, "/v2/platform/api/blobs/sha256:cdaf0123456789abcdef"),
        quay_line(4, blob, "/v2/ml-team/inference/blobs/sha256:0123456789abcdef0123"),
        quay_line(5, manifest, "/v2/payments/gateway/manifests/main"),
    ]
    events, _ = log_parsed(lines * 4, QUAY_FORMAT)
    ids = events["template_id"][:5]
    assert ids[0] == ids[1] == ids[4] != ids[2] == ids[3]
    templates = dict(zip(events["template_id"], events["template"], strict=True))
    assert f"endpoint={manifest} http_method=GET" in templates[ids[0]]
    assert "path=/v2/<*>/manifests/<*>" in templates[ids[0]]
    assert "user-agent" not in templates[ids[0]]  # as a JSON line's agent: no event's word


def test_a_json_object_ending_a_message_is_read_as_fields():
    message = 'Sent tracking event ping, payload: {"uptime": 23103, "safemode": false}'
    assert with_object_fields(message) == (
        "Sent tracking event ping, payload: safemode=false uptime=23103"
    )
    nested = "request done {'parameters': {'account': 'ml-team', 'scope': 'pull'}, 'ok': True}"
    assert with_object_fields(nested) == (
        "request done ok=true parameters.account=ml-team parameters.scope=pull"
    )
    assert with_object_fields("{'a': 'x}y', 'b': 2}") == "a=x}y b=2"  # the whole message


def test_what_is_not_an_object_ending_the_message_stays_text():
    for message in (
        "got {'code': 7} from the server",  # not at the end
        "state {'at': datetime.datetime(2024, 1, 1, 0, 0)}",  # no literal: nothing is run
        "ids {'seen': {1, 2}}",  # a set: JSON has no word for it
        "counts {1: 'a', 2: 'b'}",  # numbers as keys: no names
        "template {'name': '{}'",  # cut short
        "placeholders {} and {'",
    ):
        assert with_object_fields(message) == message


def test_only_rows_that_end_in_an_object_are_rewritten():
    content = pa.array(["plain line", "done {'a': 1}", None, "half {'a': "])
    assert objects_as_fields(content).to_pylist() == ["plain line", "done a=1", None, "half {'a': "]
    untouched = pa.array(["no object here", "nor {here}"])
    assert objects_as_fields(untouched) is untouched
