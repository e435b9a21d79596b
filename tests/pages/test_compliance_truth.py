"""What the pages say of compliance is true: nothing is "compliant" before anything happened;
a past summons nobody recorded is "to record", not complied with, and not "to come" on the
police page."""

from __future__ import annotations

from datetime import timedelta

from perp_track.compliance.rules import Level
from perp_track.measures.reports import case_compliance
from perp_track.measures.rules import ConditionKind, MeasureKind
from perp_track.measures.schemas import ConditionCreate
from perp_track.summons.schemas import SummonsCreate
from perp_track.summons.services import schedule_summons
from tests.pages.conftest import Browser
from tests.world import World


async def test_day_zero_is_not_yet_due_and_a_past_unrecorded_summons_is_to_record(
    browser: Browser, world: World, settings
):
    case = await world.open_case()
    measure = await world.add_measure(
        case.id,
        MeasureKind.PROBATION,
        ends_on=world.today() + timedelta(days=400),
        conditions=[world.programme(), ConditionCreate(kind=ConditionKind.THERAPY)],
    )
    day0 = await case_compliance(
        actor=world.ja, case_id=case.id, clock=world.clock, settings=settings
    )
    levels = {c.kind: c.level for m in day0.measures for c in m.conditions}
    assert Level.COMPLIANT not in levels.values(), levels
    assert levels[ConditionKind.PROGRAMME] is Level.NOT_YET_DUE
    assert levels[ConditionKind.RESPOND_TO_SUMMONS] is Level.NOT_YET_DUE
    await browser.login(world.ja.email)
    page = (await browser.get(f"/cases/{case.id}")).text
    assert "Pas encore échu" in page
    assert ">Respectée<" not in page

    await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(
            scheduled_at=world.soon(days=2), modality="in_person", measure_id=measure.id
        ),
        clock=world.clock,
    )
    world.clock.advance(timedelta(days=3))  # the summons took place; nobody recorded it
    later = await case_compliance(
        actor=world.ja, case_id=case.id, clock=world.clock, settings=settings
    )
    [respond] = [
        c
        for m in later.measures
        for c in m.conditions
        if c.kind is ConditionKind.RESPOND_TO_SUMMONS
    ]
    assert respond.level is Level.TO_RECORD
    assert respond.reasons == ["1 past summons whose attendance is still to record"]
    await browser.post("/logout", {})
    await browser.login(world.officer.email)
    referred = (await browser.get("/referred")).text
    assert "0 à venir" in referred
    assert "1 convocation(s) passée(s) dont la présence n'est pas encore encodée" in referred
