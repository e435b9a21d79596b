"""Programme staff schedule a weekly series of sessions in one step (e.g. the 21 weekly group
sessions of a Praxis programme): every session, its participants and their case timelines are
written in one transaction, all or nothing."""

from __future__ import annotations

from datetime import tzinfo

from perp_track import db
from perp_track.auth.rules import ActingUser
from perp_track.clock import Clock
from perp_track.errors import Invalid
from perp_track.summons.programme import rules as series_rules
from perp_track.summons.programme.errors import ProgrammeError
from perp_track.summons.programme.rules import SeriesDates
from perp_track.summons.programme.schemas import SessionSeriesCreate
from perp_track.summons.programme.services import cases_of, insert_session, running_referrals
from perp_track.summons.programme.views import staff


def plan_series(*, data: SessionSeriesCreate) -> SeriesDates:
    """The dates the series would take, and the weeks it skips; nothing is written."""
    for day in data.skip_dates:
        if day < data.first_date or day.weekday() != data.first_date.weekday():
            raise Invalid(
                ProgrammeError.SERIES_DATE_OUTSIDE, field="skip_dates", day=day.isoformat()
            )
    return series_rules.weekly_dates(
        first=data.first_date,
        count=data.count,
        skip_holidays=data.skip_public_holidays,
        excluded=data.skip_dates,
    )


async def schedule_series(
    *, actor: ActingUser, data: SessionSeriesCreate, clock: Clock, tz: tzinfo
) -> list[int]:
    """Schedule every session of the series; the ids of the sessions, in date order."""
    provider = staff(actor)
    now = clock.now()
    plan = plan_series(data=data)
    starts = series_rules.local_starts(plan.dates, data.time, tz)
    if starts[0] <= now:
        raise Invalid(ProgrammeError.NOT_IN_FUTURE, field="first_date")
    async with db.transaction():
        referrals = await running_referrals(provider, data.participants)
        cases = await cases_of({r["case_id"] for r in referrals.values()})
        return [
            await insert_session(
                actor=actor,
                provider=provider,
                data=data,
                starts_at=starts_at,
                referrals=referrals,
                cases=cases,
                now=now,
            )
            for starts_at in starts
        ]
