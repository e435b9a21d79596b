"""Pure rules of the web layer: languages, session lifetimes, form values, safe redirects."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from perp_track.errors import Invalid
from perp_track.ui import forms
from perp_track.ui.rules import (
    SessionTimes,
    choose_language,
    local_datetime,
    negotiate_language,
    safe_next,
    session_is_live,
)

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
IDLE = timedelta(minutes=30)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("nl-BE,nl;q=0.9,en;q=0.5", "nl"),
        ("de-DE,de;q=0.9,en;q=0.8,fr;q=0.7", "en"),
        ("en;q=0.2, fr-BE;q=0.8", "fr"),
        ("fr;q=0, nl", "nl"),
        ("es, it", None),
        ("*", None),
        ("en;q=abc, nl;q=0.1", "nl"),
    ],
)
def test_negotiate_language(header, expected):
    assert negotiate_language(header) == expected


def test_profile_beats_choice_beats_browser():
    assert choose_language(profile="nl", chosen="en", accept_language="fr") == "nl"
    assert choose_language(profile="de", chosen="en", accept_language="nl") == "en"
    assert choose_language(profile=None, chosen=None, accept_language="nl") == "nl"
    assert choose_language(profile=None, chosen="xx", accept_language=None) == "fr"


def _times(**changes) -> SessionTimes:
    base = {
        "created_at": T0,
        "last_seen_at": T0,
        "expires_at": T0 + timedelta(hours=10),
        "ended_at": None,
    }
    return SessionTimes(**(base | changes))


def test_session_lifetimes():
    assert session_is_live(_times(), now=T0 + timedelta(minutes=29), idle=IDLE)
    assert not session_is_live(_times(), now=T0 + timedelta(minutes=30), idle=IDLE)
    late = T0 + timedelta(hours=10)
    assert not session_is_live(
        _times(last_seen_at=late - timedelta(minutes=1)), now=late, idle=IDLE
    )
    assert not session_is_live(_times(ended_at=T0), now=T0, idle=IDLE)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (None, "/"),
        ("/cases/3", "/cases/3"),
        ("//evil.example", "/"),
        ("https://evil.example", "/"),
        ("/\\evil.example", "/"),
        ("/login", "/"),
        ("/api/cases", "/"),
    ],
)
def test_safe_next(target, expected):
    assert safe_next(target) == expected


def test_local_datetime_is_office_time_across_daylight_saving():
    brussels = ZoneInfo("Europe/Brussels")
    winter = local_datetime("2026-03-10T10:00", brussels, "when")
    summer = local_datetime("2026-07-10T10:00", brussels, "when")
    assert winter.astimezone(UTC).hour == 9
    assert summer.astimezone(UTC).hour == 8
    with pytest.raises(Invalid):
        local_datetime("tomorrow", brussels, "when")


def test_nest_builds_the_schema_shape_and_drops_blanks():
    flat = {
        "csrf_token": "x",
        "kind": "probation",
        "notes": "  ",
        "perpetrator.first_name": "Marc",
        "conditions.1.kind": "therapy",
        "conditions.0.kind": "programme",
        "conditions.0.required_sessions": "21",
    }
    assert forms.nest(flat) == {
        "kind": "probation",
        "perpetrator": {"first_name": "Marc"},
        "conditions": [{"kind": "programme", "required_sessions": "21"}, {"kind": "therapy"}],
    }


def test_parse_maps_errors_to_field_names():
    from perp_track.summons.schemas import AttendanceIn

    with pytest.raises(forms.FormInvalid) as caught:
        forms.parse(AttendanceIn, {"outcome": "maybe", "extra": "x", "version": "1"})
    assert caught.value.errors == {
        "outcome": "Choose one of the options.",
        "extra": "This field is not expected here.",
    }
