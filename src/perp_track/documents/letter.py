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
from perp_track.documents.ics import Attendee, CalendarEvent, calendar
from perp_track.documents.printable import render
from perp_track.interpreters.bookings import bookings_of
from perp_track.interpreters.rules import BookingStatus
from perp_track.interpreters.tables import Interpreter
from perp_track.measures.labels import LABELS, LANGUAGES
from perp_track.orgs.tables import Organisation
from perp_track.summons.rules import SummonsStatus
from perp_track.summons.tables import Summons
from perp_track.summons.views import scoped_summons


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
    booking = (await bookings_of([summons_id])).get(summons_id)
    return render(
        "letters/summons.html",
        language=lang,
        tz=settings.tz,
        summons=summons,
        case=case,
        person=person,
        house=house,
        author=author,
        booking=booking if booking and booking.status == BookingStatus.BOOKED else None,
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
    first_id, sequence = await _lineage(summons)
    description = f"{words['how']}: {how}. {words['reference']}: {case['reference']}"
    attendees: tuple[Attendee, ...] = ()
    booking = (await bookings_of([summons_id])).get(summons_id)
    if booking is not None and booking.status == BookingStatus.BOOKED:
        description += (
            f"\n{words['interpreter_booked']} ({booking.language}): {booking.interpreter_name}"
            + (f", {words['sworn_interpreter']}" if booking.sworn else "")
            + f" — {booking.reference}"
        )
        interpreter = (
            await Interpreter.select(Interpreter.email)
            .where(Interpreter.id == booking.interpreter_id)
            .first()
        )
        if interpreter:
            attendees = (Attendee(booking.interpreter_name, interpreter["email"]),)
    event = CalendarEvent(
        uid=f"summons-{first_id}@{host}",
        starts_at=summons["scheduled_at"],
        duration_minutes=summons["duration_minutes"],
        summary=f"{words['letter_title']} — {house['name'] if house else ''}".strip(" —"),
        description=description,
        location=summons["place"],
        sequence=sequence,
        cancelled=summons["status"] in {SummonsStatus.CANCELLED, SummonsStatus.RESCHEDULED},
        created_at=summons["created_at"],
        attendees=attendees,
    )
    return calendar(event, now=clock.now())


async def _lineage(summons: dict) -> tuple[int, int]:
    """The first summons of a chain of moves (its id is the calendar UID of them all) and the
    SEQUENCE of this one: every earlier row's changes counted, so a move always goes up."""
    sequence = summons["version"] - 1
    current = summons
    seen = {summons["id"]}
    while current["rescheduled_from"] is not None:
        previous = (
            await Summons.select(Summons.id, Summons.version, Summons.rescheduled_from)
            .where(Summons.id == current["rescheduled_from"])
            .first()
        )
        if previous is None or previous["id"] in seen:
            break
        seen.add(previous["id"])
        # The earlier row's own changes, and its move, come before this row's first version.
        sequence += previous["version"]
        current = previous
    return current["id"], sequence
