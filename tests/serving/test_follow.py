"""`FollowedFile.resume`: a file rotated, truncated or gone while watch was stopped, and a path
that does not exist yet. No model involved: lines in, lines out."""

from __future__ import annotations

import os

import pytest

from logbert.errors import LogbertError
from logbert.serving.follow import FollowedFile


def write(path, first: int, count: int, mode: str = "w") -> None:
    with open(path, mode) as handle:
        handle.writelines(
            f"line {i} of a log with a long enough head\n" for i in range(first, first + count)
        )


def read_all(followed: FollowedFile) -> list[str]:
    out: list[str] = []
    for _ in range(20):
        lines, _ = followed.read_lines(100)
        out += lines
    return out


def stopped_after(path, follow=True) -> dict:
    """Read `path` to its end and stop: the position a state dir would hold."""
    followed = FollowedFile(str(path), follow)
    read_all(followed)
    position = followed.position()
    followed.close()
    return position


@pytest.mark.parametrize("follow", [True, False])
def test_a_file_rotated_while_stopped_is_finished_from_its_new_name_first(tmp_path, follow):
    log = tmp_path / "x.log"
    write(log, 0, 30)
    position = stopped_after(log, follow)
    write(log, 30, 5, "a")  # written after the stop, before the rotation
    os.rename(log, tmp_path / "x.log.1")
    write(log, 100, 4)  # the new file
    resumed = FollowedFile(str(log), follow)
    resumed.resume(position)
    lines = read_all(resumed)
    assert [int(x.split()[1]) for x in lines] == [30, 31, 32, 33, 34, 100, 101, 102, 103]
    assert any("rotated while watch was stopped" in n and "x.log.1" in n for n in resumed.notes)
    assert not any(n.startswith("warning:") for n in resumed.notes)
    assert resumed.line_no == 5  # numbering restarted with the new file


def test_an_old_file_that_is_gone_is_named_in_a_warning_with_the_bytes_unread(tmp_path):
    log = tmp_path / "x.log"
    write(log, 0, 30)
    followed = FollowedFile(str(log), True)
    followed.read_lines(10)  # stopped with 20 lines unread
    position = followed.position()
    followed.close()
    unread = position["size"] - position["offset"]
    assert unread > 0
    os.rename(log, tmp_path.parent / f"{tmp_path.name}-moved.log")  # out of its folder
    write(log, 100, 3)
    resumed = FollowedFile(str(log), True)
    resumed.resume(position)
    assert len(read_all(resumed)) == 3
    warning = next(n for n in resumed.notes if n.startswith("warning:"))
    assert f"at least {unread:,} bytes" in warning and "after line 10" in warning
    assert str(tmp_path) in warning


def test_a_file_truncated_while_stopped_is_said_truncated_not_rotated(tmp_path):
    log = tmp_path / "x.log"
    write(log, 0, 30)
    position = stopped_after(log)
    with open(log, "r+") as handle:
        handle.truncate(0)
    write(log, 200, 2, "a")
    resumed = FollowedFile(str(log), True)
    resumed.resume(position)
    assert [int(x.split()[1]) for x in read_all(resumed)] == [200, 201]
    assert any("truncated while watch was stopped" in n for n in resumed.notes)
    assert not any("rotated" in n for n in resumed.notes)


def test_the_same_file_grown_while_stopped_resumes_silently(tmp_path):
    log = tmp_path / "x.log"
    write(log, 0, 30)
    position = stopped_after(log)
    write(log, 30, 2, "a")
    resumed = FollowedFile(str(log), True)
    resumed.resume(position)
    assert [int(x.split()[1]) for x in read_all(resumed)] == [30, 31]
    assert resumed.notes == []


def test_a_missing_file_is_waited_for_once_said_and_a_missing_folder_refused(tmp_path):
    waiting = FollowedFile(str(tmp_path / "later.log"), True)
    waiting.check_folder()
    for _ in range(3):
        assert waiting.read_lines(10) == ([], 1)
    assert waiting.notes == [f"waiting for {tmp_path / 'later.log'} to appear"]
    with pytest.raises(LogbertError, match="folder .*typo does not exist"):
        FollowedFile(str(tmp_path / "typo" / "x.log"), True).check_folder()


def numbers(lines: list[str]) -> list[int]:
    return [int(x.split()[1]) for x in lines]


def read_named(followed: FollowedFile) -> list[tuple[str, int, int]]:
    """(file name the lines were read from, first line number, first value) per batch."""
    out = []
    for _ in range(20):
        lines, first = followed.read_lines(100)
        if lines:
            out.append((followed.reading, first, numbers(lines)[0]))
    return out


def test_lines_of_a_file_rotated_while_stopped_name_the_file_they_were_read_from(tmp_path):
    """QA live: the old file's tail, read after a restart from x.log.1, was named x.log in
    alert evidence and rejects (x.log line 339 was another request by then)."""
    log = tmp_path / "x.log"
    write(log, 0, 30)
    position = stopped_after(log)
    write(log, 30, 5, "a")
    os.rename(log, tmp_path / "x.log.1")
    write(log, 100, 4)
    resumed = FollowedFile(str(log), True, source="host1/x.log")
    resumed.resume(position)
    assert read_named(resumed) == [("host1/x.log.1", 31, 30), ("host1/x.log", 1, 100)]


def test_a_copytruncate_written_past_the_offset_between_polls_is_read_from_line_one(tmp_path):
    """QA live: truncated and refilled beyond the old offset before the next poll, the file
    never looked shorter: watch went on from the old byte offset, inside the new lines."""
    log = tmp_path / "x.log"
    write(log, 0, 10)
    followed = FollowedFile(str(log), True)
    assert numbers(read_all(followed)) == list(range(10))
    write(log, 500, 15)  # copytruncate: emptied, then the app wrote 15 lines at once
    lines, first = followed.read_lines(100)
    assert first == 1 and numbers(lines) == list(range(500, 515))
    assert followed.notes[-1].startswith("warning: ") and "copytruncate" in followed.notes[-1]


def test_lines_written_to_the_old_file_after_a_rotation_are_read_and_named(tmp_path):
    """QA live (logrotate `create`): the new file appeared while the service still wrote to
    the old one until its reload; those lines were skipped. The old file is read first until
    the new one has lines and the old one stays quiet; each batch names its file."""
    log = tmp_path / "x.log"
    write(log, 0, 10)
    followed = FollowedFile(str(log), True)
    read_all(followed)
    with open(log, "a") as writer:  # the service's handle, opened before the rotation
        os.rename(log, tmp_path / "x.log.1")
        log.touch()
        assert followed.read_lines(100)[0] == []  # the new file: empty yet
        assert "rotated" in followed.notes[-1]
        writer.write("".join(f"line {i} of the old file\n" for i in range(10, 14)))
    assert read_named(followed) == [("x.log.1", 11, 10)]
    write(log, 100, 3, "a")  # the service reopened its log: the new file grows
    assert read_named(followed) == [("x.log", 1, 100)]
    assert followed._old is None  # quiet while the new file had lines: let go


def test_lines_written_to_a_file_renamed_before_the_poll_name_its_new_name(tmp_path):
    """QA verify: lines appended to x.log after its rename to x.log.1 but before watch's
    next poll were named x.log (the new file's name) in evidence and rejects."""
    log = tmp_path / "x.log"
    write(log, 0, 10)
    followed = FollowedFile(str(log), True)
    read_all(followed)
    with open(log, "a") as writer:
        os.rename(log, tmp_path / "x.log.1")
        writer.write("line 10 of the old file\n")
        writer.flush()
        log.touch()
        lines, first = followed.read_lines(100)
    assert numbers(lines) == [10] and first == 11 and followed.reading == "x.log.1"
