"""Dates as a Belgian reads them, in each language, and the days nobody should be summoned."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from perp_track.ui import dates

BRUSSELS = ZoneInfo("Europe/Brussels")
AT = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)  # 10:00 in Brussels


@pytest.mark.parametrize(
    ("language", "long", "short", "weekday"),
    [
        ("en", "Thu 10 December 2026, 10:00", "10/12/2026 10:00", "Thu 10/12/2026 10:00"),
        ("fr", "jeu. 10 décembre 2026, 10:00", "10/12/2026 10:00", "jeu. 10/12/2026 10:00"),
        ("nl", "do 10 december 2026, 10:00", "10/12/2026 10:00", "do 10/12/2026 10:00"),
    ],
)
def test_day_before_month_a_24_hour_clock_and_no_seconds(
    language: str, long: str, short: str, weekday: str
) -> None:
    assert dates.belgian_datetime(AT, language=language, tz=BRUSSELS) == long
    assert dates.belgian_datetime(AT, language=language, tz=BRUSSELS, style="short") == short
    assert dates.belgian_datetime(AT, language=language, tz=BRUSSELS, style="weekday") == weekday


def test_weekends_and_belgian_public_holidays() -> None:
    assert dates.day_off(date(2026, 12, 10), language="en") is None
    assert dates.day_off(date(2026, 12, 12), language="en") == ("weekend", "")
    assert dates.day_off(date(2026, 7, 21), language="fr") == ("holiday", "Fête nationale")
    assert dates.day_off(date(2026, 11, 11), language="nl") == ("holiday", "Wapenstilstand")
    # In Brussels time: 23:30 UTC on 20 July is already the national holiday.
    late = datetime(2026, 7, 20, 23, 30, tzinfo=UTC)
    warning = dates.day_off_warning(late, language="en", tz=BRUSSELS, translate=str)
    assert warning.startswith("Tue 21 July 2026 is a public holiday in Belgium (National Day)")
