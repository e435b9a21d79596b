"""Who stands behind an audience on a case, and what the victim's safe-contact rules say of
sending to her now (DOMAIN §5): read at queue time and again at send time."""

from __future__ import annotations

from typing import Any

from perp_track.auth.tables import User
from perp_track.cases.rules import PersonRole
from perp_track.cases.tables import Case, CaseAccess, Person
from perp_track.notify import safety
from perp_track.notify.rules import Audience
from perp_track.notify.tables import NotificationPreference, SafeContactProfile
from perp_track.notify.victim_control import rules as control
from perp_track.notify.victim_control.tables import NumberConfirmation


async def active_user(user_id: int | None) -> dict[str, Any] | None:
    if user_id is None:
        return None
    user = (
        await User.select(User.id, User.email, User.language, User.active)
        .where(User.id == user_id)
        .first()
    )
    return user if user and user["active"] else None


async def sapv_contact_of(victim_id: int | None) -> int | None:
    if victim_id is None:
        return None
    victim = await Person.select(Person.sapv_contact).where(Person.id == victim_id).first()
    return victim["sapv_contact"] if victim else None


async def perpetrator_phones() -> set[str]:
    """Every number known on a perpetrator's side, anywhere in the system (DOMAIN §5)."""
    rows = await Person.select(Person.phone).where(
        (Person.role == PersonRole.PERPETRATOR) & Person.phone.is_not_null()
    )
    return {r["phone"] for r in rows}


async def current_confirmation(victim_id: int) -> dict[str, Any] | None:
    """Her latest number confirmation (waiting, confirmed, blocked or replaced), if any."""
    return (
        await NumberConfirmation.select()
        .where(NumberConfirmation.victim == victim_id)
        .order_by(NumberConfirmation.id, ascending=False)
        .first()
    )


async def victim_state(
    victim_id: int,
) -> tuple[
    safety.Block | None, control.HoldReason | None, dict[str, Any] | None, dict[str, Any] | None
]:
    """(why nothing may go to her, why an update to her waits, her profile, her latest number
    confirmation). A block suppresses a message; a hold keeps it until her number is confirmed
    and she has not paused her updates."""
    person = (
        await Person.select(Person.id, Person.phone, Person.sapv_contact)
        .where(Person.id == victim_id)
        .first()
    )
    if person is None:
        return safety.Block.NO_PROFILE, None, None, None
    profile = (
        await SafeContactProfile.select().where(SafeContactProfile.victim == victim_id).first()
    )
    block = safety.victim_block(
        profile=profile,
        phone=person["phone"],
        perpetrator_phones=await perpetrator_phones(),
        sapv_contact=person["sapv_contact"],
    )
    confirmation = await current_confirmation(victim_id)
    status = control.number_status(confirmation, safety.normalise_phone(person["phone"]))
    hold = control.hold_reason(
        status=status, paused=bool(profile and profile.get("paused_at") is not None)
    )
    return block, hold, profile, confirmation


async def recipients(audience: Audience, case: dict[str, Any]) -> list[dict[str, Any]]:
    """Who stands behind an audience on this case: user or person rows, with their language."""
    if audience is Audience.REFERRING_OFFICER:
        user_id = case["referring_officer"]
    elif audience is Audience.JUSTICE_ASSISTANT:
        user_id = case["assigned_ja"]
    elif audience is Audience.SAPV_CONTACT:
        user_id = await sapv_contact_of(case["victim"])
    elif audience is Audience.PERPETRATOR:
        person = (
            await Person.select(Person.id, Person.phone, Person.language)
            .where(Person.id == case["perpetrator"])
            .first()
        )
        return [{"person": person}] if person and person["phone"] else []
    else:
        return await victim_recipient(case)
    user = await active_user(user_id)
    return [{"user": user}] if user else []


async def victim_recipient(case: dict[str, Any]) -> list[dict[str, Any]]:
    """The victim, with the verdict of her safe-contact rules (DOMAIN §5).

    A blocked victim still gets a row, in state suppressed with the reason, so her SAPV contact
    and the audit can see that a message was due and why it did not go.
    """
    if case["victim"] is None:
        return []
    block, hold, profile, _ = await victim_state(case["victim"])
    language = profile["language"] if profile else "fr"
    variant = safety.template_variant(profile["detail_level"] if profile else None)
    return [
        {
            "person": {"id": case["victim"], "language": language},
            "block": block,
            # Not sent yet: her number is not confirmed, or she paused her updates.
            "hold": hold,
            "variant": variant,
        }
    ]


async def preferences(user_id: int) -> dict[str, Any]:
    row = (
        await NotificationPreference.select().where(NotificationPreference.user == user_id).first()
    )
    return row or {"email": True, "in_app": True, "daily_digest": False}


async def named_on(case: dict[str, Any]) -> set[int] | None:
    """The users named on a restricted case; None when the case is not restricted."""
    restricted = case.get("restricted")
    if restricted is None:
        row = await Case.select(Case.restricted).where(Case.id == case["id"]).first()
        restricted = bool(row and row["restricted"])
    if not restricted:
        return None
    return {
        r["user"]
        for r in await CaseAccess.select(CaseAccess.user).where(CaseAccess.case == case["id"])
    }
