"""A weekly series of programme sessions (Praxis: 21 weekly group sessions): its dates.

The series keeps its length: a week that falls on a Belgian public holiday (when asked) or on a
date the staff exclude is skipped, and the series runs one week longer, so the group still meets
the number of times the programme requires. Pure rules: no web, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING

from perp_track.errors import Invalid
from perp_track.summons.programme.errors import ProgrammeError

if TYPE_CHECKING:
    import holidays

MAX_SESSIONS = 52
# However many dates are skipped, a series ends within this many weeks of its first session.
MAX_WEEKS = 104


@dataclass(frozen=True, slots=True)
class Skipped:
    day: date
    holiday: str | None  # the public holiday's code name (English), None for a date excluded


@dataclass(frozen=True, slots=True)
class SeriesDates:
    dates: list[date]
    skipped: list[Skipped]


@lru_cache(maxsize=8)
def _belgian_holidays(year: int) -> holidays.HolidayBase:
    import holidays  # at first use: importing it is a noticeable part of a start

    return holidays.country_holidays("BE", years=year, language="en_US")


def belgian_holiday(day: date) -> str | None:
    """The English name of the Belgian public holiday on that day, if it is one."""
    name = _belgian_holidays(day.year).get(day)
    return str(name) if name else None


def weekly_dates(
    *, first: date, count: int, skip_holidays: bool, excluded: Iterable[date] = ()
) -> SeriesDates:
    """count dates, a week apart from first, leaving out the skipped weeks (and adding as many
    at the end)."""
    if not 1 <= count <= MAX_SESSIONS:
        raise Invalid(ProgrammeError.SERIES_COUNT, field="count", max=MAX_SESSIONS)
    excluded_days = set(excluded)
    dates: list[date] = []
    skipped: list[Skipped] = []
    day = first
    for _ in range(MAX_WEEKS):
        if len(dates) == count:
            break
        holiday = belgian_holiday(day) if skip_holidays else None
        if holiday or day in excluded_days:
            skipped.append(Skipped(day, holiday))
        else:
            dates.append(day)
        day += timedelta(weeks=1)
    if len(dates) < count:
        raise Invalid(ProgrammeError.SERIES_TOO_LONG, field="skip_dates", weeks=MAX_WEEKS)
    return SeriesDates(dates=dates, skipped=skipped)


def local_starts(days: Iterable[date], at: time, tz: tzinfo) -> list[datetime]:
    """Each day at the same wall-clock time in the office's zone (across a change of summer
    time too), as aware datetimes."""
    return [datetime.combine(d, at, tzinfo=tz) for d in days]
