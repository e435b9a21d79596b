"""The summons as the perpetrator receives it: a printable letter (FR/NL/EN) and an ICS file.

Neither says anything about the victim, the offence or the measure's content: when, where, how,
and what an absence means.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from perp_track.auth.rules import ActingUser
from perp_track.auth.tables import User
from perp_track.cases.tables import Person
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.measures.documents import render
from perp_track.measures.labels import LABELS, LANGUAGES
from perp_track.orgs.tables import Organisation
from perp_track.summons.ics import CalendarEvent, calendar
from perp_track.summons.rules import SummonsStatus
from perp_track.summons.services import scoped_summons


def letter_language(requested: str | None, summons_language: str) -> str:
    if requested:
        return requested
    return summons_language if summons_language in LANGUAGES else "fr"


async def summons_letter_html(
    *, actor: ActingUser, summons_id: int, language: str | None, clock: Clock, settings: Settings
) -> str:
    summons, case = await scoped_summons(actor, summons_id)
    lang = letter_language(language, summons["language"])
    person = await Person.select().where(Person.id == case["perpetrator"]).first()
    house = await Organisation.select().where(Organisation.id == case["justice_house"]).first()
    author = await User.select(User.full_name).where(User.id == summons["created_by"]).first()
    return render(
        "letters/summons.html",
        language=lang,
        tz=settings.tz,
        summons=summons,
        case=case,
        person=person,
        house=house,
        author=author,
        printed_at=clock.now(),
    )


async def summons_ics(
    *, actor: ActingUser, summons_id: int, clock: Clock, settings: Settings
) -> str:
    summons, case = await scoped_summons(actor, summons_id)
    house = (
        await Organisation.select(Organisation.name)
        .where(Organisation.id == case["justice_house"])
        .first()
    )
    lang = letter_language(None, summons["language"])
    words = LABELS[lang]
    host = urlsplit(settings.public_base_url).hostname or "perp-track"
    how = words.get(summons["modality"], summons["modality"])
    event = CalendarEvent(
        uid=f"summons-{summons['id']}@{host}",
        starts_at=summons["scheduled_at"],
        duration_minutes=summons["duration_minutes"],
        summary=f"{words['letter_title']} — {house['name'] if house else ''}".strip(" —"),
        description=f"{words['how']}: {how}. {words['reference']}: {case['reference']}",
        location=summons["place"],
        sequence=summons["version"] - 1,
        cancelled=summons["status"] in {SummonsStatus.CANCELLED, SummonsStatus.RESCHEDULED},
        created_at=summons["created_at"],
    )
    return calendar(event, now=clock.now())
