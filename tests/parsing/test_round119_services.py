"""What blind QA round 119 (NFS, QEMU/libvirt, Corosync/Pacemaker, Duplicati) found in reading
each log's lines, and what they read as now."""

from __future__ import annotations

from logbert.parsing.masks import mask_text
from logbert.parsing.miner import TemplateMiner

PUT = "Backend event: Put - Started: duplicati-{} ({})"


def test_a_backup_volumes_kind_is_the_event():
    """QA Duplicati: the block, index and file-list uploads were one `duplicati-<*>.zip.aes`
    event (a backup that never uploaded its file list passed as complete), and an index
    volume's `i`-led id stayed a word (a template per volume)."""
    volumes = [
        ("b62b1823c4fe9a079b848498c733b02c4.dblock.zip.aes", "25.98 MB"),
        ("ic3766761bfca65477e27817762e6f66c.dindex.zip.aes", "11.36 KB"),
        ("20251103T000550Z.dlist.zip.aes", "288.27 KB"),
        ("b0a1b2c3d4e5f60718293a4b5c6d7e8f9.dblock.zip.aes", "24.10 MB"),
        ("i0a1b2c3d4e5f60718293a4b5c6d7e8f9.dindex.zip.aes", "9.02 KB"),
    ]
    masked = [mask_text(PUT.format(*volume)) for volume in volumes]
    assert masked[1] == PUT.format("<*>.dindex.zip.aes", "<*> <*>")
    miner = TemplateMiner()
    ids = miner.add(masked, [40, 40, 10, 40, 40])
    assert ids[0] == ids[3] and ids[1] == ids[4] and len({ids[0], ids[1], ids[2]}) == 3
    assert miner.template(ids[2]) == PUT.format("<*>.dlist.zip.aes", "<*> <*>")
    # a host's domain is no file's kind: still one value
    hosts = [mask_text(f"connected to web-{n}a.{d}.net") for n, d in ((1, "corp"), (2, "lab"))]
    assert len(set(TemplateMiner().add(hosts, [20, 20]))) == 1


def test_lists_are_one_value_whatever_their_length():
    """QA Duplicati and Corosync: `Backups to consider: <dates>` (a template per count of kept
    versions, which grows), `Retransmit List: 9e0 7a3 ...` and `Members[3]: 1 2 3` were a
    template per length, a longer list than training's a new event."""
    consider = "Backups to consider: {}"
    dates = ["11/06/2025 11:15:04 PM", "11/06/2025 09:15:02 PM", "11/05/2025 07:15:10 AM"]
    assert {mask_text(consider.format(", ".join(dates[:n]))) for n in (1, 2, 3)} == {
        "Backups to consider: <*>"
    }
    assert mask_text(f"The backup started at {dates[0]} on nas01") == (
        "The backup started at <*> on nas01"
    )
    retransmits = {mask_text(f"Retransmit List: {' '.join(['9e0', '7a3', 'cfc', '1ba'][:n])}")
                   for n in (1, 2, 4)}  # fmt: skip
    assert retransmits == {"Retransmit List: <*>"}
    members = {mask_text(line) for line in ("Members[3]: 1 2 3", "Members[1]: 1")}
    assert members == {"Members[<*>]: <*>"}
    formed = "A new membership (1.2f) was formed. Members joined: {}"
    assert mask_text(formed.format("2 3")) == mask_text(formed.format("3"))


def test_a_dotnet_clients_http_status_keeps_its_class():
    """QA Duplicati: `The remote server returned an error: (503) Server Unavailable.` and a
    `(403) Forbidden.` (wrong credentials) were one event as soon as the reason text went."""
    line = "The remote server returned an error: ({}) Server Unavailable."
    assert mask_text(line.format(503)) == line.format("5xx")
    assert mask_text(line.format(403)) == line.format("4xx")
