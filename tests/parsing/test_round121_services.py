"""What blind QA round 121 (Zuul, Resque, Amanda, Courier) found in reading each log's lines,
and what they read as now."""

from __future__ import annotations


def test_a_zuul_items_project_and_queue_are_values(masked_alike):
    """QA Zuul: `<Change 0x7f84300568d2 openstack/nova 893541,1>` was mined `openstack/<*>`
    while `zuul/zuul` and `zuul/nodepool` stayed words, a template per rare project: a newly
    added project's every change was flagged (39 of 39)."""
    lines = [
        "INFO zuul.Pipeline.opendev.check: [e: 8857] Removing change <Change 0x7f8f8011316b "
        "zuul/zuul 903057,4> from queue",
        "INFO zuul.Pipeline.opendev.check: [e: 7644] Removing change <Change 0x7f84300568d2 "
        "zuul/nodepool 893541,1> from queue",
    ]
    assert len(set(masked_alike(lines))) == 1
    added = "Adding change <Change 0x7f8f8011316b {0} 903057,4> to queue <ChangeQueue check: {0}>"
    periodic = "Adding change <Branch 0x7f8f8011316b {0} refs/heads/master> to queue"
    for line in (added, periodic):
        first, second = masked_alike([line.format("zuul/zuul"), line.format("opendev/infra")])
        assert first == second and "zuul" not in first
    assert masked_alike([periodic.format("a/b")])[0].endswith("refs/heads/master> to queue")


def test_zuuls_playbook_exit_code_after_its_result_is_kept(masked_alike):
    """QA Zuul: `Ansible complete, result RESULT_NORMAL code 2` was `code <*>`, one event with
    a clean playbook's `code 0`."""
    line = "INFO zuul.AnsibleJob: [e: b8] Ansible complete, result RESULT_NORMAL code {}"
    failed, clean = masked_alike([line.format(2), line.format(0)])
    assert failed.endswith("code 2") and clean.endswith("code 0")


def test_paths_under_the_current_folder_and_a_quoted_root_are_values(masked_alike):
    """QA Amanda: tar's `./log/messages: file changed as we read it` and `./shadow: Cannot
    open` kept their paths (a failure on a new file a new event), and `disk='/'` was a
    template of its own beside every other disk's `disk='<*>'`."""
    changed = "? gtar: {}: file changed as we read it"
    assert len(set(masked_alike([changed.format(p) for p in ("./log/messages", "./a/b.db")]))) == 1
    denied = "strange: tar: {}: Cannot open: Permission denied"
    assert len(set(masked_alike([denied.format(p) for p in ("./shadow", "./ssl/x.key")]))) == 1
    disk = "dumper: Building type FILE header with name='web01' disk='{}' dumplevel=1"
    assert len(set(masked_alike([disk.format(d) for d in ("/", "/srv/www")]))) == 1
    # a command run from the current folder, a source file's line and an endpoint stay
    kept = masked_alike([
        "running ./configure --prefix=/usr",
        "../../source3/smbd/open.c:1473(open_file) walter opened file",
        '10.0.0.1 - - "GET / HTTP/1.1" 200 512',
    ])  # fmt: skip
    assert kept[0].startswith("running ./configure ")
    assert kept[1].startswith("../../source3/smbd/open.c:<*>(open_file)")
    assert '"GET / HTTP/' in kept[2]
