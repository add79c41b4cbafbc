from datetime import datetime

import pyarrow as pa

from logbert.parsing.zones import apply_zone, zone_field


def test_epoch_times_and_own_offsets_are_utc_already_whatever_the_zone_field_says():
    text = pa.array(["1762236018", "2026-11-04 06:00:18 +01:00", "2026-11-04 06:00:18"])
    read = pa.array([datetime(2025, 11, 4, 6, 0, 18), datetime(2026, 11, 4, 5, 0, 18),
                     datetime(2026, 11, 4, 6, 0, 18)], pa.timestamp("us"))  # fmt: skip
    moved, use = apply_zone(read, text, pa.array(["CET", "CET", "CET"]))
    assert moved.to_pylist() == [read[0].as_py(), read[1].as_py(), datetime(2026, 11, 4, 5, 0, 18)]
    assert (use.applied, use.unapplied) == ({"CET"}, set())


def test_no_zone_applied_leaves_the_times_and_the_field_is_found_by_its_bare_name():
    read = pa.array([datetime(2026, 1, 1), None], pa.timestamp("us"))
    moved, use = apply_zone(read, pa.array(["2026-01-01 00:00:00", None]), pa.array(["IST", None]))
    assert moved is read and use.unapplied == {"IST"}
    columns = {"Date": read, "Time": read, "TZ": read, "Content": read}
    assert zone_field(columns, ("Date", "Time")) == "TZ"
    assert zone_field(columns, ("Date", "Time", "TZ")) is None  # the timestamp's own field
