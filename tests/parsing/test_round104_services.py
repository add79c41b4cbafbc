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
