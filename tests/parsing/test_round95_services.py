"""What blind QA round 95 (Superset, Camunda, Jitsi, ProxySQL, Sonarr / Radarr) found in
reading each log's lines, and what they read as now."""

from __future__ import annotations

from logbert.parsing.auto import looks_like_continuation
from logbert.parsing.masks import mask_text

SHOWS = ["House of the Dragon", "Only Murders in the Building", "The Bear", "Fargo", "Slow Horses"]


def test_an_absolute_path_with_spaces_is_one_value(log_parsed):
    """QA Sonarr: a show's folder and file names with spaces were words of the template, one
    event a template per show (123 templates for 23 events), each new show an unseen event."""
    lines = []
    for i in range(40):
        show = SHOWS[i % len(SHOWS)]
        episode = f"{show} - S0{i % 3 + 1}E{i % 9 + 1:02d} - Episode {i} WEBDL-1080p.mkv"
        lines += [
            f"2026-12-05 10:00:{i:02d}.1|Debug|DiskTransferService|HardLinkOrCopy "
            f"[/downloads/complete/x{i}.mkv] > [/tv/{show}/Season 0{i % 3 + 1}/{episode}]",
            f"2026-12-05 10:00:{i:02d}.2|Info|EpisodeFileMovingService|Imported episode file "
            f"x{i}.mkv into /tv/{show}/Season 0{i % 3 + 1}/{episode}",
        ]
    events, _ = log_parsed(lines, "nlog")
    assert sorted(set(events["template"])) == [
        "HardLinkOrCopy [<*>] > [<*>]",
        "Imported episode file <*>.mkv into <*>",
    ]
    # a movie's year in parentheses inside the brackets keeps them
    assert mask_text(
        "HardLinkOrCopy [/x.mkv] > [/movies/Dune Part Two (2024)/Dune Part Two (2024) x.mkv]"
    ) == "HardLinkOrCopy [<*>] > [<*>]"


def test_prose_after_a_path_and_a_requests_protocol_are_no_path():
    """A path's folder joins only capitalised words ending before the next slash: prose and
    `HTTP/1.1` after a path stay words."""
    assert mask_text("Moved /var/log/a to b/c") == "Moved <*> to b/c"
    assert mask_text("Copying /data/Backup Files/x to archive.tar") == "Copying <*> to archive.tar"
    assert mask_text('"GET /api/Orders HTTP/1.1" 200') == '"GET /api/Orders HTTP/<*>" 2xx'


def test_a_celery_tasks_hyphenated_name_is_the_event_beside_dotted_ones(log_parsed):
    """QA Superset: `cache-warmup[<id>]` beside `reports.execute[<id>]` made four task types
    one `Task <*>[<*>] received` event."""
    names = ["reports.scheduler", "sql_lab.get_sql_results", "cache-warmup", "reports.execute"]
    lines = [
        f"[2024-03-04 06:00:{i:02d},307: INFO/MainProcess] Task {names[i % 4]}"
        f"[{i:08x}-2790-4e2c-98fb-a355f4687101] received"
        for i in range(24)
    ]
    events, _ = log_parsed(lines, "celery")
    assert sorted(set(events["template"])) == sorted(f"Task {n}[<*>] received" for n in names)


def test_an_optional_date_and_time_are_words_with_a_digit(log_parsed):
    """QA ProxySQL: the advised `(<Date> <Time> )?<Content>` read `HID: 10` as a date and a
    time, and every server row lost its hostgroup from the event, exit 0."""
    lines = [
        "2024-11-04 00:02:31 MySQL_HostGroups_Manager.cpp:1612:generate(): [INFO] Dumping",
        "HID: 10 , address: 10.0.1.11 , port: 3306 , status: ONLINE",
        "| hostgroup_id | hostname  | port |",
    ]
    events, _ = log_parsed(lines, "(<Date> <Time> )?<Content>")
    assert events["Date"] == ["2024-11-04", "", ""]
    assert events["content"][1:] == lines[1:]


def test_a_spring_thread_name_cut_after_its_bracket_is_read(log_parsed):
    """QA Camunda: Spring's `%15.15t` cut the job executor's thread to `[ingJobExecutor]]`, and
    `spring` rejected 64% of an engine's lines, its advice naming `iso`."""
    lines = [
        "2024-05-13 08:00:31.080 DEBUG 4121 --- [ingJobExecutor]] o.c.b.e.jobexecutor        "
        "              : ENGINE-14022 Acquired 0 jobs for process engine 'default': []",
        "2024-05-13 08:00:31.090  INFO 4121 --- [aTaskExecutor-1] c.e.o.l.TimerEventListener  "
        "             : Timer fired jobId=b5c3a18c",
    ]
    events, summary = log_parsed(lines, "spring")
    assert summary.rejected == 0
    assert events["ThreadName"] == ["ingJobExecutor]", "aTaskExecutor-1"]
    assert events["Component"] == ["o.c.b.e.jobexecutor", "c.e.o.l.TimerEventListener"]


def test_a_servarr_exceptions_versioned_line_is_a_continuation_line():
    """QA Sonarr: NLog's exception under a record, `[v4.0.10.2544] System.Data...`, was called
    a line of its own, the join advice given for part of the trace only."""
    assert looks_like_continuation(
        "[v4.0.10.2544] code = Busy (5), message = System.Data.SQLite.SQLiteException "
        "(0x800017AF): database is locked"
    )
    assert not looks_like_continuation("[INFO] code = Busy")


def test_a_class_its_method_and_line_keep_events_apart(log_parsed):
    """QA Jitsi: with a hex id of letters kept (`Member left:abbddddc`), joins and leaves mined
    together became one `JitsiMeetConferenceImpl.<*>: Member <*>` event for the whole log."""
    head = "Jicofo 2026-11-20 07:05:{:02d}.857 INFO: [66] [room=r{}@conference.example.com] "
    lines = []
    for i in range(40):
        member = "abbddddc" if i == 39 else f"{i:04x}aa{i % 7}b"
        lines += [
            head.format(i, i % 5) + f"JitsiMeetConferenceImpl.onMemberJoined#1085: Member "
            f"joined:{member}",
            head.format(i, i % 5) + f"JitsiMeetConferenceImpl.onMemberLeft#1171: Member "
            f"left:{member}",
        ]
    events, _ = log_parsed(lines, "<Program> <Date> <Time> <Level>: [<Thread>] <Content>")
    templates = set(events["template"])
    assert not any("JitsiMeetConferenceImpl.<*>" in t for t in templates)
    assert {t for t in templates if "abbddddc" not in t} == {
        "[room=<*>] JitsiMeetConferenceImpl.onMemberJoined#<*>: Member joined:<*>",
        "[room=<*>] JitsiMeetConferenceImpl.onMemberLeft#<*>: Member left:<*>",
    }


def test_a_title_of_several_words_after_for_is_one_value():
    """QA Sonarr: `Scanning disk for House of the Dragon` kept the show's name, a template per
    show of two words or more, a new show an unseen event; prose in lower case stays."""
    assert mask_text("Scanning disk for House of the Dragon") == "Scanning disk for <*>"
    assert mask_text("Updating Info for Spy x Family") == "Updating Info for <*>"
    assert mask_text("Completed scanning disk for Only Murders in the Building.") == (
        "Completed scanning disk for <*>."
    )
    assert mask_text("Failed password for invalid user admin") == (
        "Failed password for invalid user admin"
    )


def test_whom_a_job_runs_as_is_a_name():
    """QA Superset: `Running report schedule <id> as user reports_bot` beside `as user admin`
    was a template per account."""
    assert mask_text("Running report schedule 5a9b4ce8 as user reports_bot") == (
        "Running report schedule <*> as user <*>"
    )
