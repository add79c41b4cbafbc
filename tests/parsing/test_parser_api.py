"""The Parser API: process/iter_chunks (computing apart from writing), one miner interface and
state format for our miner and Drain3, frozen parsing for scoring, and parser state."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from logbert.errors import LogbertError
from logbert.parsing.drain3_miner import Drain3Miner
from logbert.parsing.formats import resolve_format
from logbert.parsing.frozen import FrozenMiner
from logbert.parsing.miner import TemplateMiner
from logbert.parsing.pipeline import ParsedChunk, Parser, parse_files
from logbert.parsing.state import RULES_REVISION, load_miner, miner_from_state, save_miner
from logbert.parsing.templates import TEMPLATE_SET_KEY, template_set

HDFS = [
    "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block "
    "blk_38865049064139660 terminating",
    "081109 203807 222 INFO dfs.DataNode$PacketResponder: PacketResponder 0 for block "
    "blk_-6952295868487656571 terminating",
    "081109 204005 35 INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap "
    "updated: 10.251.73.220:50010 is added to blk_7128370237687728475 size 67108864",
    "not an hdfs line",
    "081109 204015 308 INFO dfs.DataNode$PacketResponder: PacketResponder 2 for block "
    "blk_8229193803249955061 terminating",
]


def _ids(chunks) -> list:
    return [i for c in chunks for i in c.events["template_id"].to_pylist()]


def test_process_strings_equals_file_parse(tmp_path):
    log = tmp_path / "a.log"
    log.write_text("\n".join(HDFS) + "\n")
    out = tmp_path / "e.parquet"
    parse_files([str(log)], resolve_format("hdfs"), out)
    written = pq.read_table(out)

    parser = Parser(resolve_format("hdfs"))
    chunk = parser.process([line + "\r\n" for line in HDFS], source="a.log")
    assert isinstance(chunk, ParsedChunk)
    assert chunk.events.schema.equals(parser.schema)
    assert chunk.events.equals(written.cast(parser.schema))
    assert chunk.rejects == [("a.log", 4, "not an hdfs line")]
    assert (chunk.lines, chunk.undecodable, chunk.unmatched) == (5, 0, 0)
    assert sum(chunk.template_counts.values()) == 4

    # a live service numbers lines itself; known messages keep their ids
    later = parser.process(iter(HDFS[:2]), source="live", first_line_no=101)
    assert later.events["line_no"].to_pylist() == [101, 102]
    assert later.events["template_id"].to_pylist() == chunk.events["template_id"].to_pylist()[:2]
    assert parser.process([]).events.num_rows == 0


def test_iter_chunks_yields_what_parse_files_writes(tmp_path):
    log = tmp_path / "a.log"
    log.write_text("\n".join(HDFS * 50) + "\n")
    seen: list[int] = []
    parser = Parser(resolve_format("hdfs"))
    chunks = list(parser.iter_chunks([str(log)], on_progress=seen.append, block_bytes=2000))
    assert len(chunks) > 3 and sum(seen) == 250 == sum(c.lines for c in chunks)
    assert sum(len(c.rejects) for c in chunks) == 50
    out = tmp_path / "e.parquet"
    parse_files([str(log)], resolve_format("hdfs"), out, block_bytes=2000)
    table = pq.read_table(out)
    assert pa.concat_tables([c.events for c in chunks]).equals(table.cast(parser.schema))
    meta = json.loads(table.schema.metadata[TEMPLATE_SET_KEY.encode()])
    assert meta == template_set(parser.template_map(), "logbert")
    assert pq.read_schema(out).metadata[TEMPLATE_SET_KEY.encode()]
    with pytest.raises(LogbertError, match="only once"):
        parser.iter_chunks(["-", "-"])


# -- one miner interface, one state format ----------------------------------------------------
MESSAGES = [
    "Invalid user bob from 10.0.0.1",
    "Invalid user amy from 10.0.0.2",
    "Accepted password for root from 10.0.0.3 port 22",
    "Accepted password for root from 10.0.0.4 port 2222",
    "Received disconnect from 10.0.0.5: 11: Bye Bye",
    "connection closed by peer",
]


@pytest.mark.parametrize("cls", [TemplateMiner, Drain3Miner])
def test_both_miners_share_the_interface(cls):
    miner = cls()
    assert miner.name in ("logbert", "drain3") and isinstance(miner.masks_input, bool)
    msgs = MESSAGES
    if miner.masks_input:
        from logbert.parsing.masks import mask_text

        msgs = [mask_text(m) for m in MESSAGES]
    ids = miner.add(msgs, [3, 1, 1, 1, 2, 1])
    assert miner.ids == sorted(set(ids))
    assert all(isinstance(miner.template(t), str) for t in miner.ids)
    state = json.loads(json.dumps(miner.to_state()))  # plain JSON
    assert state["parser"] == miner.name and state["next_id"] > max(ids)
    again = cls.from_state(state)
    assert again.ids == miner.ids
    assert [again.template(t) for t in again.ids] == [miner.template(t) for t in miner.ids]
    assert again.add(msgs) == ids  # same messages, same ids
    new = again.add(["Server listening on 0.0.0.0 port 22 now and forever"])
    assert new[0] > max(ids)  # a new message gets a new id


def test_drain3_state_is_plain_and_restores_ids():
    miner = Drain3Miner()
    ids = miner.add(MESSAGES)
    state = miner.to_state()
    text = json.dumps(state)
    assert "py/object" not in text  # no jsonpickle
    assert {"id", "tokens", "size"} <= set(state["clusters"][0])
    restored = miner_from_state(json.loads(text))
    assert isinstance(restored, Drain3Miner) and restored.add(MESSAGES) == ids
    assert restored.match(["totally different words here"]) == [None]


def test_state_files_dispatch_on_parser(tmp_path):
    state = tmp_path / "s.json"
    miner = Drain3Miner()
    miner.add(MESSAGES)
    save_miner(miner, state)
    saved = json.loads(state.read_text())
    assert saved["version"] == 1 and saved["parser"] == "drain3" and saved["frozen"] is False
    assert isinstance(load_miner(state, "drain3"), Drain3Miner)
    with pytest.raises(LogbertError, match="--parser drain3"):
        load_miner(state, "logbert")
    assert isinstance(load_miner(tmp_path / "absent.json", "drain3"), Drain3Miner)
    state.write_text('{"parser": "nosuch"}')
    with pytest.raises(LogbertError, match="not a logbert parser state"):
        load_miner(state)


def test_a_models_parser_file_is_not_a_parse_state(tmp_path):
    """MODEL/parser.json (format + frozen miner) given to `parse --state` points to `score`."""
    model = tmp_path / "model"
    model.mkdir()
    parser = Parser(resolve_format("<Date> <Time> <Content>"), "logbert")
    (model / "parser.json").write_text(json.dumps(parser.to_state()))
    with pytest.raises(LogbertError, match=r"trained model's parser.*logbert score .*model --logs"):
        load_miner(model / "parser.json")


def test_parse_state_works_with_drain3(tmp_path):
    first, second = tmp_path / "1.log", tmp_path / "2.log"
    first.write_text("\n".join(HDFS[:2]) + "\n")
    second.write_text("\n".join(HDFS[2:]) + "\n")
    state = tmp_path / "d3.json"
    out = tmp_path / "e.parquet"
    fmt = resolve_format("hdfs")
    parse_files([str(first)], fmt, out, parser="drain3", state=state)
    ids1 = pq.read_table(out)["template_id"].to_pylist()
    parse_files([str(second)], fmt, out, parser="drain3", state=state)
    ids2 = pq.read_table(out)["template_id"].to_pylist()
    assert ids2[1] == ids1[0] and ids2[0] not in ids1
    assert json.loads(state.read_text())["parser"] == "drain3"


# -- frozen parsing -----------------------------------------------------------------------------
TRAIN = [
    "session opened for user root by uid 0",
    "session opened for user root by uid 0",
    "Invalid user bob from 10.0.0.1",
    "Invalid user amy from 10.0.0.2",
    "Invalid user joe from 10.0.0.3",
    "Invalid user kim from 10.0.0.4",
    "Invalid user max from 10.0.0.5",
]


@pytest.mark.parametrize("name", ["logbert", "drain3"])
def test_frozen_parser_keeps_known_templates_and_adds_unseen_ids(name):
    parser = Parser(resolve_format("raw"), name)
    trained = parser.process(TRAIN).events["template_id"].to_pylist()
    known = parser.template_map()
    state = json.loads(json.dumps(parser.to_state()))
    assert state["frozen"] is False

    frozen = Parser.from_state(state).freeze()
    assert frozen.frozen and frozen.known_ids == frozenset(known)
    assert frozen.freeze() is frozen  # idempotent
    got = frozen.process([*TRAIN, "session resumed by uid 1000", "disk full"])
    ids = got.events["template_id"].to_pylist()
    assert ids[: len(TRAIN)] == trained  # known lines: known ids
    assert all(i > max(known) for i in ids[len(TRAIN) :])  # unseen: new ids above every known
    assert ids[-1] != ids[-2]
    now = frozen.template_map()
    assert {t: now[t] for t in known} == known  # known templates never change
    assert set(now) - frozen.known_ids == set(ids[len(TRAIN) :])
    # the same unseen message again: the same new id
    assert frozen.process(["disk full"]).events["template_id"].to_pylist() == [ids[-1]]

    # the frozen state round-trips with its new templates
    again = Parser.from_state(json.loads(json.dumps(frozen.to_state())))
    assert again.frozen and again.template_map() == now and again.known_ids == frozen.known_ids
    assert isinstance(again.miner, FrozenMiner)


def test_unfrozen_parser_generalises_frozen_does_not():
    msgs = ["session opened for user root by uid 0"]
    parser = Parser(resolve_format("raw"))
    tid = parser.process(msgs).events["template_id"][0].as_py()
    text = parser.template_map()[tid]
    frozen = Parser.from_state(parser.to_state()).freeze()
    frozen.process(["session opened for user alice by uid 0"] * 5)
    assert frozen.template_map()[tid] == text


def test_templates_mode_through_the_same_api(tmp_path):
    tpl = tmp_path / "t.csv"
    tpl.write_text(
        "EventId,EventTemplate\nE3,[*]PacketResponder[*]for block[*]terminating[*]\n"
        "E7,[*]addStoredBlock: blockMap updated:[*]is added to[*]size[*]\n"
    )
    parser = Parser(resolve_format("hdfs"), templates=tpl)
    assert parser.frozen and parser.known_ids == {3, 7} and parser.name == "templates"
    assert parser.freeze() is parser
    state = json.loads(json.dumps(parser.to_state()))
    assert state["parser"] == "templates" and len(state["templates"]) == 2
    again = Parser.from_state(state)
    a = parser.process(HDFS).events
    b = again.process(HDFS).events
    assert a.equals(b) and a["template_id"].to_pylist() == [3, 3, 7, 3]
    assert again.template_map() == parser.template_map()


def test_parser_state_keeps_the_format():
    fmt = resolve_format("<Date> <Time> <Component>[<Pid>]: <Content>")
    parser = Parser(fmt, "drain3")
    state = json.loads(json.dumps(parser.to_state()))
    again = Parser.from_state(state)
    assert again.fmt.regex == fmt.regex and again.fmt.timestamp == fmt.timestamp
    assert again.name == "drain3" and not again.frozen
    with pytest.raises(LogbertError, match="not a logbert parser state"):
        Parser.from_state({"format": {"format": "<Content>"}, "parser": "x", "miner": {}})


@pytest.mark.slow
@pytest.mark.parametrize("name", ["logbert", "drain3"])
def test_frozen_reparse_of_hdfs_2pct_gives_the_same_ids(data_dir, name):
    """A saved parser, restored and frozen, must give every line of its training log the id it
    got in the first parse: this is what lets a model re-parse logs and score them identically."""
    log = str(data_dir / "HDFS_v1_loglead_2pct" / "HDFS_2pct.log.gz")
    first = Parser(resolve_format("hdfs"), name)
    ids1 = _ids(first.iter_chunks([log], block_bytes=1 << 20))  # many chunks: templates evolve
    frozen = Parser.from_state(json.loads(json.dumps(first.to_state()))).freeze()
    ids2 = _ids(frozen.iter_chunks([log]))
    assert len(ids1) == 222_579
    assert sum(a != b for a, b in zip(ids1, ids2, strict=True)) == 0
    assert frozen.template_map() == first.template_map()


def test_a_parse_state_mined_under_other_rules_is_refused(tmp_path):
    """Resuming a state of an earlier logbert would split the events it knows into new
    templates (the masks changed), so it is refused with the way out."""
    state = tmp_path / "s.json"
    save_miner(TemplateMiner(), state)
    assert json.loads(state.read_text())["rules"] == RULES_REVISION
    assert isinstance(load_miner(state), TemplateMiner)
    for rules in (None, RULES_REVISION - 1):
        saved = json.loads(state.read_text())
        saved.pop("rules") if rules is None else saved.update(rules=rules)
        state.write_text(json.dumps(saved))
        with pytest.raises(LogbertError, match=r"other parsing rules .*new state path"):
            load_miner(state)
