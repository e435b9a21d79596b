"""The supervisor's team, statistics (SVG charts and CSV) and job status pages."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

from perp_track.measures.condition_rules import ConditionEvent
from perp_track.measures.conditions import transition_condition
from perp_track.measures.rules import ConditionKind, MeasureKind
from perp_track.measures.schemas import ConditionCreate, ConditionTransitionIn
from perp_track.summons.rules import Outcome
from perp_track.summons.schemas import AttendanceIn, SummonsCreate
from perp_track.summons.services import record_attendance, schedule_summons
from tests.pages.conftest import Browser
from tests.world import World


async def _history(world: World) -> str:
    """Two summons (one attended, one missed without reason), one condition met, one breached;
    returns the month (YYYY-MM, Brussels) they fall in."""
    case = await world.open_case()
    measure = await world.add_measure(
        case.id,
        MeasureKind.MEDIATION_216TER,
        conditions=[
            ConditionCreate(kind=ConditionKind.THERAPY),
            ConditionCreate(kind=ConditionKind.COMMUNITY_SERVICE, hours_due=40),
        ],
    )
    summons = []
    for days in (2, 4):
        summons.append(
            await schedule_summons(
                actor=world.ja,
                case_id=case.id,
                data=SummonsCreate(scheduled_at=world.soon(days=days), measure_id=measure.id),
                clock=world.clock,
            )
        )
    world.clock.advance(timedelta(days=5))
    for item, outcome in zip(
        summons, (Outcome.ATTENDED, Outcome.ABSENT_NO_VALID_REASON), strict=True
    ):
        await record_attendance(
            actor=world.ja,
            summons_id=item.id,
            data=AttendanceIn(outcome=outcome, version=item.version),
            clock=world.clock,
        )
    chosen = [c for c in measure.conditions if c.kind in {"therapy", "community_service"}]
    for condition, final in zip(chosen, (ConditionEvent.MEET, ConditionEvent.BREACH), strict=True):
        version = condition.version
        for event in (ConditionEvent.START, final):
            updated = await transition_condition(
                actor=world.ja,
                condition_id=condition.id,
                data=ConditionTransitionIn(event=event, reason="As agreed", version=version),
                clock=world.clock,
            )
            version = next(c.version for c in updated.conditions if c.id == condition.id)
    return world.clock.now().astimezone(ZoneInfo("Europe/Brussels")).strftime("%Y-%m")


async def test_statistics_page_draws_charts_and_exports_the_figures(browser: Browser, world: World):
    month = await _history(world)
    await browser.login(world.supervisor.email)
    page = await browser.get("/statistics")
    assert page.status_code == 200
    text = page.text
    assert text.count("<svg xmlns") == 3
    assert 'role="img"' in text and "<title>" in text
    # The numbers of the charts are in tables too (not only in a picture).
    assert '50&nbsp;% <span class="muted">(1/2)</span>' in text
    # No names on the statistics.
    assert "Dubois" not in text

    export = await browser.get("/statistics.csv")
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    assert "attachment" in export.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(export.text)))
    attendance = {
        (r["month"], r["measure_kind"]): r for r in rows if r["metric"] == "attendance_rate"
    }
    assert attendance[(month, "mediation_216ter")]["numerator"] == "1"
    assert attendance[(month, "mediation_216ter")]["denominator"] == "2"
    assert attendance[(month, "all")]["value"] == "0.5000"
    compliance = {
        (r["month"], r["measure_kind"]): r for r in rows if r["metric"] == "compliance_rate"
    }
    assert (
        compliance[(month, "mediation_216ter")]["numerator"],
        compliance[(month, "mediation_216ter")]["denominator"],
    ) == ("1", "2")
    delays = [r for r in rows if r["metric"] == "days_to_first_summons_median"]
    assert len(delays) == 1 and float(delays[0]["value"]) > 0
    assert "Dubois" not in export.text


async def test_team_and_jobs_pages_and_who_may_see_them(browser: Browser, world: World):
    await world.open_case()
    await browser.login(world.supervisor.email)
    team = (await browser.get("/team")).text
    assert "Anne Ja" in team and "Pieter Ja" in team
    assert "Jan Ja" not in team  # another justice house
    jobs = await browser.get("/jobs")
    assert jobs.status_code == 200
    assert "<code>dispatch" in jobs.text or "<code>" in jobs.text
    await browser.post("/logout", {})
    await browser.login(world.ja.email)
    for url in ("/team", "/statistics", "/statistics.csv", "/jobs"):
        assert (await browser.get(url)).status_code == 403, url
