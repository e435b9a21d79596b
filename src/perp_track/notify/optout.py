"""STOP from a person: nothing more goes to them, at once (used by the inbox of replies and by
the dispatcher when Twilio answers that the number opted out)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from perp_track.cases.rules import PersonRole
from perp_track.cases.tables import Case, Person
from perp_track.notify import safety
from perp_track.notify.rules import Audience, NotificationState, SystemNotice
from perp_track.notify.services import queue_system_notice
from perp_track.notify.tables import Notification, SafeContactProfile, SmsOptOut

State = NotificationState


async def case_of_person(person: dict[str, Any]) -> dict[str, Any] | None:
    column = Case.victim if person["role"] == PersonRole.VICTIM else Case.perpetrator
    return (
        await Case.select()
        .where(column == person["id"])
        .order_by(Case.opened_at, ascending=False)
        .first()
    )


async def opt_out_person(*, person_id: int, now: datetime) -> None:
    """STOP: nothing more goes to this person, at once; a victim's SAPV contact is told."""
    person = await Person.select().where(Person.id == person_id).first()
    if person is None:
        return
    number = safety.normalise_phone(person["phone"])
    if number:
        existing = await SmsOptOut.select().where(SmsOptOut.phone == number).first()
        if existing is None:
            await SmsOptOut.insert(SmsOptOut(phone=number, opted_out_at=now))
        elif existing["restarted_at"] is not None:
            await SmsOptOut.update(
                {SmsOptOut.opted_out_at: now, SmsOptOut.restarted_at: None}
            ).where(SmsOptOut.id == existing["id"])
    await Notification.update(
        {Notification.state: State.SUPPRESSED, Notification.error_code: "opted_out"}
    ).where(
        (Notification.recipient_person == person_id)
        & Notification.state.is_in([State.QUEUED, State.HELD])
    )
    if person["role"] != PersonRole.VICTIM:
        return
    profile = (
        await SafeContactProfile.select(SafeContactProfile.id, SafeContactProfile.opted_out_at)
        .where(SafeContactProfile.victim == person_id)
        .first()
    )
    if profile is not None and profile["opted_out_at"] is None:
        await SafeContactProfile.update({SafeContactProfile.opted_out_at: now}).where(
            SafeContactProfile.id == profile["id"]
        )
    since = profile["opted_out_at"] if profile and profile["opted_out_at"] else now
    case = await case_of_person(person)
    await queue_system_notice(
        notice=SystemNotice.VICTIM_OPTED_OUT,
        user_ids=[person["sapv_contact"]],
        case_id=case["id"] if case else None,
        payload={"case_reference": case["reference"] if case else ""},
        key=f"optout:p{person_id}:{since.isoformat()}",
        now=now,
        urgent=True,
        audience=Audience.SAPV_CONTACT,
    )
