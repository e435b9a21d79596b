"""The victim's phone, changed by her SAPV contact. The dispatcher reads the number when it
sends, so the old number gets nothing more from the moment the change is saved, queued
messages included. A number on a perpetrator's side is refused (DOMAIN §5). While she consents,
the new number is confirmed by her own reply before any update goes to it."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from perp_track import db
from perp_track.auth.rules import ActingUser
from perp_track.cases.rules import EventKind
from perp_track.cases.tables import Person
from perp_track.clock import Clock
from perp_track.errors import Conflict, Invalid, RecordError
from perp_track.notify import safety
from perp_track.notify.errors import NotifyError
from perp_track.notify.recipients import perpetrator_phones
from perp_track.notify.tables import SafeContactProfile
from perp_track.notify.victim_control.services import start_check
from perp_track.safe_contact.schemas import SafeContactRead
from perp_track.safe_contact.services import _audit, _profile, read_profile, scoped_victim
from perp_track.schemas import In, PhoneNumber


class VictimPhoneIn(In):
    phone: PhoneNumber = Field(description="Her new mobile number, E.164")
    version: int = Field(ge=1, description="The version of the profile you read")


async def change_victim_phone(
    *, actor: ActingUser, victim_id: int, data: VictimPhoneIn, clock: Clock, secret_key: str
) -> SafeContactRead:
    now = clock.now()
    async with db.transaction():
        victim = await scoped_victim(actor, victim_id)
        profile: dict[str, Any] = await _profile(victim, now)
        if data.version != profile["version"]:
            raise Conflict(
                RecordError.CHANGED_SINCE_READ,
                record="profile",
                current_version=profile["version"],
                version=data.version,
            )
        new = safety.normalise_phone(data.phone)
        if new == safety.normalise_phone(victim["phone"]):
            raise Invalid(NotifyError.SAME_PHONE, field="phone")
        if new in {safety.normalise_phone(p) for p in await perpetrator_phones()}:
            raise Invalid(NotifyError.PERPETRATOR_PHONE, field="phone")
        await Person.update({Person.phone: data.phone}).where(Person.id == victim_id)
        await SafeContactProfile.update(
            {
                SafeContactProfile.updated_at: now,
                SafeContactProfile.updated_by: actor.id,
                SafeContactProfile.version: profile["version"] + 1,
            }
        ).where(SafeContactProfile.id == profile["id"])
        await _audit(
            victim_id,
            actor,
            EventKind.SAFE_CONTACT_UPDATED,
            now,
            fields=["phone"],
        )
        consented = (
            profile["consent_given_at"] is not None
            and profile["consent_revoked_at"] is None
            and profile["opted_out_at"] is None
        )
        if consented:
            # The new number too is confirmed by her own reply before any update goes to it.
            await start_check(
                victim={**victim, "phone": data.phone},
                actor=actor,
                now=now,
                secret_key=secret_key,
                reason="phone_change",
            )
    return await read_profile(actor=actor, victim_id=victim_id)
