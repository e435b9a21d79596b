"""The rules behind issue 15's page patterns: the way back to a list (never off the site), a
case reference as typed, the dates of a weekly series of programme sessions."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from perp_track.cases.rules import reference_needle
from perp_track.errors import Invalid
from perp_track.summons.programme.rules import belgian_holiday, local_starts, weekly_dates
from perp_track.ui.returns import return_label, safe_return, with_return


@pytest.mark.parametrize(
    "raw",
    [
        "//evil.example/caseload",
        "https://evil.example/caseload",
        "http:/caseload",
        "javascript:alert(1)",
        "/\\evil.example",
        "/caseload\\@evil.example",
        "/caseload@evil.example",
        " /caseload",
        "/caseload\r\nSet-Cookie: x=1",
        "caseload",
        "/cases/12",  # not a list
        "/logout",
        "/api/cases",
        "/caseload?search=Dubois",  # a name never travels in an address
        "/caseload?risk=<script>",
        "/caseload?risk=high&next=//evil.example",
        "/caseload#<x>",
        "/" + "a" * 400,
        "",
        None,
        12,
    ],
)
def test_a_return_path_off_our_lists_is_dropped(raw: object) -> None:
    assert safe_return(raw) is None


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("/caseload", "/caseload"),
        ("/caseload?risk=high&sort=reference&order=desc&page=2", None),
        ("/cases?mine=false", None),
        ("/inbox?unread=true&page=3", None),
        ("/sessions#coming-title", None),
        ("/", None),
    ],
)
def test_a_return_path_to_one_of_our_lists_is_kept_as_it_was(raw: str, kept: str | None) -> None:
    assert safe_return(raw) == (kept or raw)


def test_the_return_is_carried_in_the_query_before_the_fragment() -> None:
    href = with_return("/cases/12#measure-3", "/caseload?risk=high&page=2")
    assert href == "/cases/12?return=/caseload%3Frisk%3Dhigh%26page%3D2#measure-3"
    assert with_return("/summons/5/attendance?x=1", "/caseload") == (
        "/summons/5/attendance?x=1&return=/caseload"
    )
    assert with_return("/cases/12", None) == "/cases/12"
    assert return_label("/caseload?page=2") == "Back to the caseload"


@pytest.mark.parametrize(
    ("typed", "needle"),
    [
        ("lie-2026-00012", ("LIE-2026-00012", "LIE-2026-00012")),
        (" LIE 2026-00012 ", ("LIE2026-00012", "LIE2026-00012")),
        ("12", ("12", "-00012")),
        ("00012", ("00012", "-00012")),
        ("2026-00012", ("2026-00012", "2026-00012")),
        ("1", None),
        ("LIE%", None),
        ("LIE_2026", None),
        ("<script>", None),
        ("é-2026", None),
    ],
)
def test_a_typed_reference(typed: str, needle: tuple[str, str] | None) -> None:
    assert reference_needle(typed) == needle


def test_a_weekly_series_skips_public_holidays_and_runs_longer() -> None:
    # Fridays from 4 December 2026: Christmas and New Year's Day fall on the series' Fridays.
    plan = weekly_dates(first=date(2026, 12, 4), count=5, skip_holidays=True)
    assert plan.dates == [
        date(2026, 12, 4),
        date(2026, 12, 11),
        date(2026, 12, 18),
        date(2027, 1, 8),
        date(2027, 1, 15),
    ]
    assert [(s.day, bool(s.holiday)) for s in plan.skipped] == [
        (date(2026, 12, 25), True),
        (date(2027, 1, 1), True),
    ]
    assert belgian_holiday(date(2026, 12, 25)) == "Christmas Day"


def test_a_weekly_series_without_the_holiday_rule_and_with_excluded_dates() -> None:
    plan = weekly_dates(
        first=date(2026, 12, 4), count=3, skip_holidays=False, excluded=[date(2026, 12, 11)]
    )
    assert plan.dates == [date(2026, 12, 4), date(2026, 12, 18), date(2026, 12, 25)]
    assert [(s.day, s.holiday) for s in plan.skipped] == [(date(2026, 12, 11), None)]


def test_a_series_has_a_sensible_length() -> None:
    with pytest.raises(Invalid):
        weekly_dates(first=date(2026, 12, 4), count=0, skip_holidays=True)
    with pytest.raises(Invalid):
        weekly_dates(first=date(2026, 12, 4), count=53, skip_holidays=True)
    # More than a year of Fridays excluded: 52 sessions no longer fit in two years.
    fridays = [date(2026, 12, 11) + timedelta(weeks=n) for n in range(60)]
    with pytest.raises(Invalid):
        weekly_dates(first=date(2026, 12, 4), count=52, skip_holidays=True, excluded=fridays)


def test_the_sessions_keep_their_wall_clock_time_across_summer_time() -> None:
    brussels = ZoneInfo("Europe/Brussels")
    winter, summer = local_starts([date(2027, 3, 26), date(2027, 4, 2)], time(18), brussels)
    assert (winter.hour, summer.hour) == (18, 18)
    assert winter.utcoffset() != summer.utcoffset()
