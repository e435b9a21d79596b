"""The compliance report to the magistrate, printed from the case page: wholly in the reader's
language (no stored English sentence, no internal code, nothing of the justice assistant's own
deadlines), for the period since the last report recorded."""

from __future__ import annotations

import re
from datetime import timedelta

from perp_track.measures.jobs import report_deadline_alerts
from perp_track.measures.reports import record_report
from perp_track.measures.rules import MeasureEvent, MeasureKind, ReportKind
from perp_track.measures.schemas import AuthorityReportIn, MeasureTransitionIn
from perp_track.measures.services import read_measure, transition_measure
from perp_track.summons.schemas import AttendanceIn, SummonsCreate
from perp_track.summons.services import record_attendance, schedule_summons
from tests.pages.conftest import Browser
from tests.world import World

ENGLISH = (
    "Measure added",
    "Summons scheduled",
    "Attendance:",
    "absent no valid reason",
    "Report to the authority",
    "overdue",
    "Measure probation",
    "Case opened",
)


async def test_the_report_is_in_french_and_dutch_only(browser: Browser, world: World, settings):
    case = await world.open_case()
    measure = await world.add_measure(
        case.id, MeasureKind.PROBATION, ends_on=world.today() + timedelta(days=700)
    )
    for event in (MeasureEvent.SCHEDULE_INTAKE, MeasureEvent.START):
        current = await read_measure(actor=world.ja, measure_id=measure.id)
        await transition_measure(
            actor=world.ja,
            measure_id=measure.id,
            data=MeasureTransitionIn(event=event, reason="Intake", version=current.version),
            clock=world.clock,
        )
    summons = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon(days=2), modality="in_person"),
        clock=world.clock,
    )
    world.clock.advance(timedelta(days=3))
    await record_attendance(
        actor=world.ja,
        summons_id=summons.id,
        data=AttendanceIn(outcome="absent_no_valid_reason", version=summons.version),
        clock=world.clock,
    )
    # Past the intake report's due date: the service notes it is overdue (not for the judge).
    world.clock.advance(timedelta(days=40))
    await report_deadline_alerts(world.clock, settings)

    await browser.login(world.ja.email)
    start = world.today() - timedelta(days=60)
    for lang, word in (("fr", "absent sans motif valable"), ("nl", "afwezig zonder geldige")):
        r = await browser.get(
            f"/cases/{case.id}/report",
            params={
                "period_from": start.isoformat(),
                "period_to": world.today().isoformat(),
                "lang": lang,
            },
        )
        assert r.status_code == 200, r.text
        text = re.sub(r"<[^>]+>", " ", r.text)
        for english in ENGLISH:
            assert english not in text, (lang, english)
        assert "intake_scheduled" not in text and "assigned" not in text
        assert "en anglais" not in text and "in het Engels" not in text
        assert word in text

    # The period offered starts from the measure's start, then the day after the last report.
    page = (await browser.get(f"/cases/{case.id}")).text
    assert f'name="period_from" value="{measure.starts_on.isoformat()}"' in page
    current = await read_measure(actor=world.ja, measure_id=measure.id)
    await record_report(
        actor=world.ja,
        measure_id=measure.id,
        data=AuthorityReportIn(
            kind=ReportKind.INTAKE,
            period_from=measure.starts_on,
            period_to=world.today() - timedelta(days=1),
            assessment="Intake held.",
            version=current.version,
        ),
        clock=world.clock,
        settings=settings,
    )
    page = (await browser.get(f"/cases/{case.id}")).text
    assert f'name="period_from" value="{world.today().isoformat()}"' in page
