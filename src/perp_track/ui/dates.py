"""Dates and times as a Belgian reads them, in each of our languages.

"Thu 10 December 2026, 10:00" / "jeu. 10 décembre 2026, 10:00" / "do 10 december 2026, 10:00":
day before month, the month in words (12/10 is October in Brussels and December in Boston), a
24-hour clock without seconds. Babel's locale data for <language>_BE gives the words.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from babel.dates import format_date, format_datetime

from perp_track.ui.i18n import N_

if TYPE_CHECKING:
    import holidays

Style = Literal["long", "medium", "short"]

# long: with the weekday (a summons, an appointment); medium: the date in words; short: the
# Belgian numeric form for dense tables (day first, four-digit year); weekday: the same with the
# weekday, for appointments in a table.
_DATE = {
    "long": "EEE d MMMM y",
    "medium": "d MMMM y",
    "short": "dd/MM/y",
    "weekday": "EEE dd/MM/y",
}
_TIME = {"long": ", HH:mm", "medium": ", HH:mm", "short": " HH:mm", "weekday": " HH:mm"}


def _locale(language: str) -> str:
    return f"{language}_BE"


def belgian_datetime(value: datetime, *, language: str, tz: tzinfo, style: str = "long") -> str:
    style = style if style in _DATE else "long"
    pattern = _DATE[style] + _TIME[style]
    return format_datetime(value.astimezone(tz), format=pattern, locale=_locale(language))


def belgian_date(value: date, *, language: str, style: str = "medium") -> str:
    return format_date(value, format=_DATE.get(style, _DATE["medium"]), locale=_locale(language))


def belgian_time(value: datetime, *, language: str, tz: tzinfo) -> str:
    return format_datetime(value.astimezone(tz), format="HH:mm", locale=_locale(language))


@lru_cache(maxsize=16)
def _public_holidays(year: int, language: str) -> holidays.HolidayBase:
    # The library names Belgium's holidays in French, Dutch, German and English itself. Imported
    # at first use: it takes a noticeable part of a start to import.
    import holidays

    return holidays.country_holidays(
        "BE", years=year, language="en_US" if language == "en" else language
    )


def day_off(day: date, *, language: str) -> tuple[Literal["weekend", "holiday"], str] | None:
    """Why nobody is expected at the justice house that day: a Belgian public holiday (with its
    name in the reader's language) or a weekend; None for a working day."""
    name = _public_holidays(day.year, language).get(day)
    if name:
        return "holiday", str(name)
    if day.weekday() >= 5:
        return "weekend", ""
    return None


_HOLIDAY = N_(
    "%(day)s is a public holiday in Belgium (%(name)s)."
    " Check that the summons is meant for that day."
)
_WEEKEND = N_("%(day)s is a weekend day. Check that the summons is meant for that day.")


def day_off_warning(
    value: datetime | date, *, language: str, tz: tzinfo, translate: Callable[[str], str]
) -> str:
    """The warning shown beside a summons set on a weekend or a Belgian public holiday."""
    day = value.astimezone(tz).date() if isinstance(value, datetime) else value
    why = day_off(day, language=language)
    if why is None:
        return ""
    words = {"day": belgian_date(day, language=language, style="long"), "name": why[1]}
    return translate(_HOLIDAY if why[0] == "holiday" else _WEEKEND) % words
