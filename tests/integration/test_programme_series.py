"""A weekly series of programme sessions: scheduled in one transaction, all or nothing, the
public holidays skipped and made up at the end; finding a case by its reference, within the
reader's justice house only."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from perp_track.cases import lookup
from perp_track.cases.rules import EventKind
from perp_track.cases.services import open_case
from perp_track.cases.tables import CaseEvent
from perp_track.errors import Invalid
from perp_track.summons.programme import series as programme_series
from perp_track.summons.programme.schemas import SessionSeriesCreate
from perp_track.summons.tables import ProgrammeSession, SessionParticipant
from tests.integration.test_programme import referral
from tests.world import World

BRUSSELS = ZoneInfo("Europe/Brussels")


def _next(world: World, weekday: int) -> date:
    day = world.today() + timedelta(days=2)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


async def test_a_series_is_scheduled_at_once_with_each_participants_timeline(world: World):
    a = await referral(world, sessions=21, last_name="Alpha")
    b = await referral(world, sessions=21, last_name="Beta")
    first = _next(world, 3)
    data = SessionSeriesCreate(
        first_date=first,
        time=time(18),
        count=21,
        skip_public_holidays=True,
        participants=[a, b],
    )
    plan = programme_series.plan_series(data=data)
    ids = await programme_series.schedule_series(
        actor=world.praxis, data=data, clock=world.clock, tz=BRUSSELS
    )
    assert len(ids) == 21
    rows = await ProgrammeSession.select().where(ProgrammeSession.id.is_in(ids))
    starts = sorted(r["starts_at"].astimezone(BRUSSELS) for r in rows)
    assert [s.date() for s in starts] == plan.dates
    assert {(s.hour, s.minute) for s in starts} == {(18, 0)}
    assert all(d.weekday() == first.weekday() for d in plan.dates)
    assert await SessionParticipant.count() == 42
    scheduled = await CaseEvent.count().where(CaseEvent.kind == EventKind.SESSION_SCHEDULED)
    assert scheduled == 42


async def test_a_refused_participant_schedules_nothing(world: World):
    a = await referral(world, sessions=21, last_name="Alpha")
    data = SessionSeriesCreate(
        first_date=_next(world, 2), time=time(18), count=5, participants=[a, 999_999]
    )
    with pytest.raises(Invalid):
        await programme_series.schedule_series(
            actor=world.praxis, data=data, clock=world.clock, tz=BRUSSELS
        )
    assert await ProgrammeSession.count() == 0
    assert await SessionParticipant.count() == 0


async def test_an_excluded_date_must_be_a_date_of_the_series(world: World):
    a = await referral(world, sessions=21, last_name="Alpha")
    first = _next(world, 1)
    data = SessionSeriesCreate(
        first_date=first,
        time=time(9),
        count=3,
        skip_dates=[first + timedelta(days=1)],
        participants=[a],
    )
    with pytest.raises(Invalid) as refused:
        programme_series.plan_series(data=data)
    assert refused.value.extra["field"] == "skip_dates"
    data = data.model_copy(update={"skip_dates": [first + timedelta(weeks=1)]})
    plan = programme_series.plan_series(data=data)
    assert first + timedelta(weeks=1) not in plan.dates
    # The week excluded is made up at the end (or later still, past a public holiday).
    assert len(plan.dates) == 3 and plan.dates[-1] >= first + timedelta(weeks=3)


async def test_a_case_is_found_by_its_reference_in_the_house_only(world: World):
    mine = await world.open_case()
    other = await open_case(
        actor=world.other_house_ja,
        data=world.case_data().model_copy(update={"referring_officer_id": None}),
        clock=world.clock,
    )
    found = await lookup.find_by_reference(actor=world.ja, text=mine.reference.lower())
    assert [f["id"] for f in found] == [mine.id]
    number = mine.reference.rsplit("-", 1)[1]
    assert mine.id in [f["id"] for f in await lookup.find_by_reference(actor=world.ja, text=number)]
    # The other house's case is not found, not even by its exact reference.
    assert await lookup.find_by_reference(actor=world.ja, text=other.reference) == []
    assert await lookup.find_by_reference(actor=world.ja, text="LIE%") == []
