from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from perp_track.summons.rules import due_reminder, reminder_times

BRUSSELS = ZoneInfo("Europe/Brussels")


def times_for(at: datetime) -> dict[str, datetime]:
    return reminder_times(at, days_before=(7, 3, 1), send_hour=10, morning_hour=8, tz=BRUSSELS)


def test_reminders_are_at_local_hours_and_across_dst():
    # Tuesday 31 March 2026, 14:00 in Brussels: summer time began on Sunday 29 March.
    at = datetime(2026, 3, 31, 14, 0, tzinfo=BRUSSELS)
    times = {k: v.astimezone(BRUSSELS) for k, v in times_for(at).items()}
    assert times["d7"] == datetime(2026, 3, 24, 10, 0, tzinfo=BRUSSELS)  # still winter time
    assert times["d1"] == datetime(2026, 3, 30, 10, 0, tzinfo=BRUSSELS)
    assert times["morning"] == datetime(2026, 3, 31, 8, 0, tzinfo=BRUSSELS)
    assert times["d7"].utcoffset() != times["d1"].utcoffset()


def test_an_early_summons_has_no_morning_reminder_after_it():
    at = datetime(2026, 3, 31, 7, 30, tzinfo=BRUSSELS)
    assert "morning" not in times_for(at)


def test_the_latest_due_reminder_is_the_one_sent():
    at = datetime(2026, 3, 31, 14, 0, tzinfo=BRUSSELS)
    times = times_for(at)
    assert due_reminder(at, times["d7"] - timedelta(seconds=1), times) is None
    assert due_reminder(at, times["d7"], times) == "d7"
    assert due_reminder(at, times["d1"] + timedelta(hours=1), times) == "d1"
    assert due_reminder(at, at, times) is None


@given(
    st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
    ),
    st.integers(min_value=-20 * 24 * 60, max_value=20 * 24 * 60),
)
def test_never_a_reminder_at_or_after_the_summons(at, minutes):
    now = at + timedelta(minutes=minutes)
    times = times_for(at)
    key = due_reminder(at, now, times)
    assert all(t < at for t in times.values())
    if key is not None:
        assert times[key] <= now < at
