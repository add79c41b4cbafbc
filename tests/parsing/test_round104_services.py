"""What blind QA round 104 (Jellyfin, KrakenD, Cacti) found in reading each log's lines, and
what they read as now."""

from __future__ import annotations

FFMPEG = (
    '"/usr/lib/jellyfin-ffmpeg/ffmpeg" -analyzeduration 200M -f matroska -i file:"{path}" '
    '-threads 0 -codec:v:0 libx264 -preset veryfast -y "/var/cache/jellyfin/transcodes/{i}.m3u8"'
)


def test_a_quoted_path_of_several_words_after_a_colon_is_one_value(masked_alike):
    """QA Jellyfin: ffmpeg's input `file:"/media/.../Amélie (1989) - 720p.mkv"` kept its title
    words, 138 templates of one event, every new title's playback a false alarm."""
    paths = (
        "/media/movies/Amélie (1989)/Amélie (1989) - 720p.mkv",
        "/media/tv/Game of Thrones/Season 03/Game of Thrones - S05E03 - Chapter 1.mkv",
    )
    masked = masked_alike([FFMPEG.format(path=p, i=f"{i:032x}") for i, p in enumerate(paths)])
    assert len(set(masked)) == 1 and " -i <*> " in masked[0]


def test_a_users_quoted_name_after_the_word_is_masked(masked_alike):
    """QA Jellyfin: `Current/Max sessions for user "heidi": 1/3` a template per user."""
    lines = [f'Current/Max sessions for user "{u}": 1/3' for u in ("heidi", "bob")]
    lines += [f"password authentication failed for user '{u}'" for u in ("grafana", "app")]
    masked = masked_alike(lines)
    assert masked[0] == masked[1] == 'Current/Max sessions for user "<*>": <*>/<*>'
    assert masked[2] == masked[3] == "password authentication failed for user '<*>'"


def test_serilogs_three_letter_levels_are_levels(log_parsed):
    """QA Jellyfin: `[INF]` "names no level" on every command, advised to drop <Level>."""
    lines = [
        f"[2024-12-01 10:00:0{i} +01:00] [{level}] [12] Jellyfin.Users: Signed in {i}."
        for i, level in enumerate(("INF", "INF", "VRB", "WRN", "FTL"))
    ]
    fmt = "[<Date> <Time> <Zone>] [<Level>] [<Thread>] <Component>: <Content>"
    _, summary = log_parsed(lines, fmt)
    assert not [w for w in summary.warnings if "names no level" in w]


def test_rejected_lines_naming_a_problem_level_are_warned_of(log_parsed):
    """QA KrakenD: `auto` chose `gin` for the access lines, and the gateway's own lines, its
    errors and circuit breaker among them, were rejected with a count alone (2%), exit 0."""
    access = '[GIN] 2026/11/20 - 14:00:{s:02d} | 200 |    1.2ms |      10.0.3.4 | GET      "/v1/x"'
    lines = [access.format(s=s) for s in range(40)]
    lines.insert(5, "[KRAKEND] 2026/11/20 - 14:00:05.000 ▶ ERROR [ENDPOINT: /v1/x] Error #01: "
                    "circuit breaker is open")  # fmt: skip
    _, summary = log_parsed(lines, "gin")
    (warning,) = [w for w in summary.warnings if "name an error or warning level" in w]
    assert warning.startswith("warning: 1 rejected lines name an error or warning level")
    assert "parsed.log:6" in warning
    _, clean = log_parsed(lines[:5] + lines[6:], "gin")
    assert not [w for w in clean.warnings if "name an error or warning level" in w]


def test_a_circuit_breakers_transitions_are_events_and_its_name_a_value(log_parsed):
    """QA KrakenD: `went from 'closed' to 'open'` and its two other transitions one event."""
    lines = [
        f"2026-11-20 14:3{i}:41.000 WARN [CB] Circuit breaker named '{name}' went from "
        f"'{old}' to '{new}'"
        for i, (name, old, new) in enumerate([
            ("cb-orders", "closed", "open"), ("cb-orders", "open", "half-open"),
            ("cb-orders", "half-open", "closed"), ("cb-users", "closed", "open"),
        ])
    ]  # fmt: skip
    events, _ = log_parsed(lines, "iso")
    assert len(set(events["template"])) == 3
    assert events["template"][0] == events["template"][3]
    assert "named '<*>' went from 'closed' to 'open'" in events["template"][0]


def test_a_cacti_data_source_is_a_name_even_naming_a_failure(masked_alike):
    """QA Cacti: `dsname: errors_in` and `failed_logins` kept as outcomes, routine polls read
    as error events, one event three templates."""
    lines = [
        f"Poller[1] PID[23627] Device[1] DS[10{i}] TT[20.52] SNMP: v2: 10.20.1.11, dsname: "
        f"{name}, oid: .1.3.6.1.2.1.2.2.1.14.20, value: 5"
        for i, name in enumerate(("errors_in", "load_1min", "failed_logins"))
    ]
    masked = masked_alike(lines)
    assert len(set(masked)) == 1 and "dsname: <*>," in masked[0]
