from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from perp_track.compliance.rules import (
    ConditionFacts,
    Level,
    Thresholds,
    condition_compliance,
    measure_compliance,
)
from perp_track.documents.ics import Attendee, CalendarEvent, calendar
from perp_track.measures.labels import LABELS, REASONS, TERMS, explain
from perp_track.measures.rules import ConditionKind, ConditionStatus, MeasureStatus

TODAY = date(2026, 3, 2)


def programme(**kw) -> ConditionFacts:
    base = dict(
        id=1, kind=ConditionKind.PROGRAMME, status=ConditionStatus.IN_PROGRESS, required_sessions=21
    )
    base.update(kw)
    return ConditionFacts(**base)  # type: ignore[arg-type]


def test_two_unexcused_absences_propose_non_compliance_one_puts_at_risk():
    t = Thresholds(programme_absences=2)
    assert condition_compliance(programme(), today=TODAY, thresholds=t).level is Level.COMPLIANT
    one = condition_compliance(programme(sessions_unexcused=1), today=TODAY, thresholds=t)
    assert one.level is Level.AT_RISK
    two = condition_compliance(programme(sessions_unexcused=2), today=TODAY, thresholds=t)
    assert two.level is Level.NON_COMPLIANT
    assert two.reasons[0] == ("programme_absences", 2, 0, "")
    assert explain(two.reasons[0], "nl") == "2 programmasessie(s) gemist zonder geldige reden"
    assert explain(two.reasons[0], "en") == "2 programme session(s) missed without a valid reason"
    # Excused absences never count.
    excused = condition_compliance(programme(sessions_excused=5), today=TODAY, thresholds=t)
    assert excused.level is Level.COMPLIANT


def test_the_threshold_is_configuration():
    c = programme(sessions_unexcused=2)
    assert condition_compliance(c, today=TODAY, thresholds=Thresholds(3)).level is Level.AT_RISK


def test_the_justice_assistant_confirms_before_anything_is_reported():
    bad = [programme(sessions_unexcused=3)]
    active = measure_compliance(
        measure_id=1,
        status=MeasureStatus.ACTIVE,
        conditions=bad,
        today=TODAY,
        thresholds=Thresholds(),
    )
    assert active.propose_non_compliance
    assert active.level is Level.NON_COMPLIANT
    reported = measure_compliance(
        measure_id=1,
        status=MeasureStatus.NON_COMPLIANCE_REPORTED,
        conditions=bad,
        today=TODAY,
        thresholds=Thresholds(),
    )
    assert not reported.propose_non_compliance


def test_summons_and_hours_and_deadline():
    summons = ConditionFacts(
        2, ConditionKind.RESPOND_TO_SUMMONS, ConditionStatus.PENDING, summons_missed=2
    )
    assert condition_compliance(summons, today=TODAY, thresholds=Thresholds()).level is (
        Level.NON_COMPLIANT
    )
    hours = ConditionFacts(
        3,
        ConditionKind.COMMUNITY_SERVICE,
        ConditionStatus.IN_PROGRESS,
        hours_due=60,
        hours_done=20,
        ends_on=date(2026, 3, 1),
    )
    assert condition_compliance(hours, today=TODAY, thresholds=Thresholds()).level is (
        Level.NON_COMPLIANT
    )
    late = programme(sessions_attended=10, ends_on=date(2026, 3, 1))
    assert condition_compliance(late, today=TODAY, thresholds=Thresholds()).level is (
        Level.NON_COMPLIANT
    )
    met = programme(status=ConditionStatus.MET)
    assert condition_compliance(met, today=TODAY, thresholds=Thresholds()).level is Level.MET


@given(st.text(max_size=400))
def test_ics_lines_fold_at_75_octets_and_unfold_to_the_original(text):
    event = CalendarEvent(
        uid="summons-7@perp-track.test",
        starts_at=datetime(2026, 3, 9, 9, 0, tzinfo=UTC),
        duration_minutes=45,
        summary="Convocation",
        description=text,
        location=None,
        sequence=0,
        cancelled=False,
        created_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    )
    ics = calendar(event, now=datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    assert all(len(part.encode()) <= 75 for part in ics.split("\r\n"))
    [parsed] = Calendar.from_ical(ics).walk("VEVENT")
    # Line ends inside a description come back as \n, whichever the person typed.
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert str(parsed["DESCRIPTION"]) == expected


def test_ics_file():
    event = CalendarEvent(
        uid="summons-7@perp-track.test",
        starts_at=datetime(2026, 3, 9, 9, 0, tzinfo=UTC),
        duration_minutes=45,
        summary="Convocation — Maison de justice de Liège",
        description="Modalité: en personne; Référence: LIE-2026-00001",
        location="Rue de Campine 1, 4000 Liège",
        sequence=2,
        cancelled=False,
        created_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    )
    ics = calendar(event, now=datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    assert ics.startswith("BEGIN:VCALENDAR\r\n")
    assert ics.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20260309T090000Z" in ics
    assert "DTEND:20260309T094500Z" in ics
    assert "SEQUENCE:2" in ics
    assert "STATUS:CONFIRMED" in ics
    assert "Modalité: en personne\\; Référence" in ics
    cancelled = calendar(
        replace(event, cancelled=True, sequence=3), now=datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    )
    assert "STATUS:CANCELLED" in cancelled
    assert "METHOD:CANCEL" in cancelled
    assert "BEGIN:VALARM" not in cancelled


def test_an_ics_names_the_booked_interpreter_as_an_attendee():
    event = CalendarEvent(
        uid="summons-7@perp-track.test",
        starts_at=datetime(2026, 3, 9, 9, 0, tzinfo=UTC),
        duration_minutes=45,
        summary="Convocation",
        description="Interprète (arabic): Samira Haddou",
        location=None,
        sequence=0,
        cancelled=False,
        created_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        attendees=(Attendee("Samira Haddou", "samira.haddou@example.org"),),
    )
    [parsed] = Calendar.from_ical(calendar(event, now=event.created_at)).walk("VEVENT")
    attendee = parsed["ATTENDEE"]
    assert str(attendee) == "mailto:samira.haddou@example.org"
    assert attendee.params["CN"] == "Samira Haddou"


def test_every_language_has_every_word():
    for table in (LABELS, TERMS, REASONS):
        keys = {lang: set(words) for lang, words in table.items()}
        assert keys["fr"] == keys["nl"] == keys["en"]
