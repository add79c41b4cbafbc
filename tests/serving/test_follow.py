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
