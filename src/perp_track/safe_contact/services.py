"""The SAPV contact keeps the victim's consent and safe-contact profile (DOMAIN §5)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from perp_track import db
from perp_track.audit import services as audit
from perp_track.auth.rules import ActingUser, Role
from perp_track.cases.access import is_named, record_event
from perp_track.cases.rules import EventKind, PersonRole
from perp_track.cases.tables import Case, Person
from perp_track.clock import Clock, SystemClock
from perp_track.errors import Conflict, Forbidden, NotFound
from perp_track.notify import safety
from perp_track.notify.errors import NotifyError
from perp_track.notify.recipients import victim_state
from perp_track.notify.rules import NotificationState, SystemNotice
from perp_track.notify.tables import Notification, SafeContactProfile, SmsOptOut
from perp_track.notify.victim_control import rules as control
from perp_track.notify.victim_control import services as number
from perp_track.notify.victim_control.services import start_check
from perp_track.safe_contact.schemas import (
    ConsentIn,
    NumberActionIn,
    NumberCodeRead,
    SafeContactRead,
    SafeContactUpdate,
    VictimMessageRead,
)


async def scoped_victim(actor: ActingUser, victim_id: int) -> dict[str, Any]:
    """The victim, if this SAPV contact supports her; otherwise 404."""
    if actor.role is not Role.SAPV_CONTACT:
        raise Forbidden(NotifyError.PROFILE_KEPT_BY_SAPV)
    person = await Person.select().where(Person.id == victim_id).first()
    if person is None or person["role"] != PersonRole.VICTIM or person["sapv_contact"] != actor.id:
        raise NotFound(NotifyError.VICTIM_NOT_FOUND, person_id=victim_id)
    return person


async def _case(victim_id: int) -> dict[str, Any] | None:
    return (
        await Case.select(Case.id, Case.reference, Case.restricted)
        .where(Case.victim == victim_id)
        .order_by(Case.opened_at, ascending=False)
        .first()
    )


async def _audit(
    victim_id: int,
    actor: ActingUser,
    kind: EventKind,
    now: datetime,
    **data: Any,
) -> None:
    # On the case timeline and, through record_event, the audit trail (DOMAIN §7): what
    # changed, never the code word.
    case = await _case(victim_id)
    if case is not None:
        await record_event(
            case=case,
            kind=kind,
            actor=actor,
            now=now,
            data={"victim": victim_id, **data},
        )


async def _profile(victim: dict[str, Any], now: datetime) -> dict[str, Any]:
    row = await SafeContactProfile.select().where(SafeContactProfile.victim == victim["id"]).first()
    if row is not None:
        return row
    await SafeContactProfile.insert(
        SafeContactProfile(
            victim=victim["id"], language=victim["language"], created_at=now, updated_at=now
        )
    ).on_conflict(target=SafeContactProfile.victim, action="DO NOTHING")
    row = await SafeContactProfile.select().where(SafeContactProfile.victim == victim["id"]).first()
    assert row is not None
    return row


async def read_profile(
    *, actor: ActingUser, victim_id: int, clock: Clock | None = None
) -> SafeContactRead:
    victim = await scoped_victim(actor, victim_id)
    profile = (
        await SafeContactProfile.select().where(SafeContactProfile.victim == victim_id).first()
    )
    block, hold, _, confirmation = await victim_state(victim_id)
    number = control.number_status(confirmation, safety.normalise_phone(victim["phone"]))
    current = confirmation if number is not control.NumberStatus.NONE else None
    case = await _case(victim_id)
    # Her contact data and safety profile were shown: on her disclosure log.
    await audit.record_person_read(
        actor=actor,
        person=victim,
        case_id=case["id"] if case else None,
        fields=("first_name", "last_name", "phone", "language"),
        now=(clock or SystemClock()).now(),
        detail="safe-contact profile",
    )
    p = profile or {}
    return SafeContactRead(
        victim_id=victim_id,
        victim_name=f"{victim['first_name']} {victim['last_name']}",
        # A restricted case she is not named on stays out of the SAPV contact's view; the
        # victim, her consent and her profile are still hers to keep.
        case_reference=(
            case["reference"]
            if case and (not case["restricted"] or await is_named(case["id"], actor.id))
            else None
        ),
        consent=bool(p.get("consent_given_at")) and p.get("consent_revoked_at") is None,
        consent_given_at=p.get("consent_given_at"),
        consent_recorded_by=p.get("consent_recorded_by"),
        consent_revoked_at=p.get("consent_revoked_at"),
        opted_out_at=p.get("opted_out_at"),
        sms_allowed=bool(p.get("sms_allowed")),
        safe_from=p.get("safe_from"),
        safe_until=p.get("safe_until"),
        detail_level=safety.template_variant(p.get("detail_level")),
        language=p.get("language") or victim["language"],
        show_sender=bool(p.get("show_sender")),
        has_code_word=bool(p.get("code_word_hash")),
        may_receive_sms=block is None and hold is None,
        blocked_because=str(block or hold) if (block or hold) else None,
        number_status=number,
        number_requested_at=current["requested_at"] if current else None,
        number_confirmed_at=current["confirmed_at"] if current else None,
        number_blocked_at=current["blocked_at"] if current else None,
        number_wrong_codes=current["wrong_codes"] if current else 0,
        number_resend_available=bool(
            current
            and current["state"] == control.NumberState.WAITING
            and current["requests"] < control.MAX_REQUESTS
        ),
        number_version=current["version"] if current else None,
        paused_at=p.get("paused_at"),
        # Not created yet: it will be created at version 1, so a form read now stays valid.
        version=p.get("version", 1),
    )


async def list_victims(*, actor: ActingUser) -> list[SafeContactRead]:
    if actor.role is not Role.SAPV_CONTACT:
        raise Forbidden(NotifyError.LIST_FOR_SAPV)
    rows = (
        await Person.select(Person.id)
        .where((Person.sapv_contact == actor.id) & (Person.role == PersonRole.VICTIM))
        .order_by(Person.id)
    )
    return [await read_profile(actor=actor, victim_id=r["id"]) for r in rows]


async def update_profile(
    *, actor: ActingUser, victim_id: int, data: SafeContactUpdate, clock: Clock
) -> SafeContactRead:
    now = clock.now()
    async with db.transaction():
        victim = await scoped_victim(actor, victim_id)
        profile = await _profile(victim, now)
        if data.version is not None and data.version != profile["version"]:
            raise Conflict(NotifyError.PROFILE_CHANGED, current_version=profile["version"])
        values: dict[Any, Any] = {}
        changed = []
        for name in ("sms_allowed", "safe_from", "safe_until", "detail_level", "language"):
            value = getattr(data, name)
            if value is not None:
                values[getattr(SafeContactProfile, name)] = value
                changed.append(name)
        if data.show_sender is not None:
            values[SafeContactProfile.show_sender] = data.show_sender
            changed.append("show_sender")
        if data.code_word is not None:
            values[SafeContactProfile.code_word_hash] = (
                safety.hash_code_word(data.code_word) if data.code_word else None
            )
            changed.append("code_word")
        values.update(
            {
                SafeContactProfile.updated_at: now,
                SafeContactProfile.updated_by: actor.id,
                SafeContactProfile.version: profile["version"] + 1,
            }
        )
        await SafeContactProfile.update(values).where(SafeContactProfile.id == profile["id"])
        if data.sms_allowed:
            # Her number's request, held back while SMS were not allowed, may leave now.
            await number.request_if_none_left(victim=victim, now=now)
        await _audit(
            victim_id,
            actor,
            EventKind.SAFE_CONTACT_UPDATED,
            now,
            fields=sorted(changed),
        )
    return await read_profile(actor=actor, victim_id=victim_id)


async def record_consent(
    *, actor: ActingUser, victim_id: int, data: ConsentIn, clock: Clock, secret_key: str
) -> SafeContactRead:
    """She agreed, with her SAPV contact, to receive SMS. Also lifts an earlier STOP.

    Her number is then confirmed by her own reply: a neutral SMS asks her for the code her SAPV
    contact gives her in person, and no update goes to the number before she sends it."""
    now = clock.now()
    async with db.transaction():
        victim = await scoped_victim(actor, victim_id)
        profile = await _profile(victim, now)
        await SafeContactProfile.update(
            {
                SafeContactProfile.consent_given_at: now,
                SafeContactProfile.consent_recorded_by: actor.id,
                SafeContactProfile.consent_revoked_at: None,
                SafeContactProfile.consent_revoked_by: None,
                SafeContactProfile.opted_out_at: None,
                SafeContactProfile.updated_at: now,
                SafeContactProfile.updated_by: actor.id,
                SafeContactProfile.version: profile["version"] + 1,
            }
        ).where(SafeContactProfile.id == profile["id"])
        number = safety.normalise_phone(victim["phone"])
        if number:
            await SmsOptOut.update({SmsOptOut.restarted_at: now}).where(
                (SmsOptOut.phone == number) & SmsOptOut.restarted_at.is_null()
            )
        await _audit(
            victim_id,
            actor,
            EventKind.VICTIM_CONSENT_RECORDED,
            now,
            note=data.note or "",
        )
        await start_check(
            victim=victim, actor=actor, now=now, secret_key=secret_key, reason="consent"
        )
    return await read_profile(actor=actor, victim_id=victim_id)


async def revoke_consent(
    *, actor: ActingUser, victim_id: int, data: ConsentIn, clock: Clock
) -> SafeContactRead:
    """No more SMS to her, from now: messages waiting in the outbox are withdrawn too."""
    now = clock.now()
    async with db.transaction():
        victim = await scoped_victim(actor, victim_id)
        profile = await _profile(victim, now)
        await SafeContactProfile.update(
            {
                SafeContactProfile.consent_revoked_at: now,
                SafeContactProfile.consent_revoked_by: actor.id,
                SafeContactProfile.updated_at: now,
                SafeContactProfile.updated_by: actor.id,
                SafeContactProfile.version: profile["version"] + 1,
            }
        ).where(SafeContactProfile.id == profile["id"])
        await Notification.update(
            {
                Notification.state: NotificationState.SUPPRESSED,
                Notification.error_code: "consent_revoked",
            }
        ).where(
            (Notification.recipient_person == victim_id)
            & Notification.state.is_in([NotificationState.QUEUED, NotificationState.HELD])
        )
        await _audit(
            victim_id,
            actor,
            EventKind.VICTIM_CONSENT_REVOKED,
            now,
            note=data.note or "",
        )
    return await read_profile(actor=actor, victim_id=victim_id)


async def resend_number_request(
    *, actor: ActingUser, victim_id: int, data: NumberActionIn, clock: Clock
) -> SafeContactRead:
    """The confirmation request once more, to the same number, with the same code."""
    async with db.transaction():
        victim = await scoped_victim(actor, victim_id)
        await number.resend_request(actor=actor, victim=victim, version=data.version, clock=clock)
    return await read_profile(actor=actor, victim_id=victim_id)


async def new_number_code(
    *, actor: ActingUser, victim_id: int, data: NumberActionIn, clock: Clock, secret_key: str
) -> SafeContactRead:
    """A new code for her (the old one lost, or three wrong codes): the old one is void."""
    async with db.transaction():
        victim = await scoped_victim(actor, victim_id)
        await number.new_code(
            actor=actor, victim=victim, version=data.version, clock=clock, secret_key=secret_key
        )
    return await read_profile(actor=actor, victim_id=victim_id)


async def show_number_code(
    *, actor: ActingUser, victim_id: int, clock: Clock, secret_key: str
) -> NumberCodeRead:
    """The waiting code, to her SAPV contact only; each showing is on the case's timeline."""
    async with db.transaction():
        victim = await scoped_victim(actor, victim_id)
        code = await number.reveal_code(
            actor=actor, victim=victim, clock=clock, secret_key=secret_key
        )
    return NumberCodeRead(code=code)


async def message_history(
    *, actor: ActingUser, victim_id: int, limit: int = 100
) -> list[VictimMessageRead]:
    """What she was sent (or what was held back), newest first, with the copies to her contact."""
    await scoped_victim(actor, victim_id)
    rows = (
        await Notification.select()
        .where(Notification.recipient_person == victim_id)
        .order_by(Notification.created_at, ascending=False)
        .order_by(Notification.id, ascending=False)
        .limit(limit)
        .output(load_json=True)
    )
    case_ids = {r["case"] for r in rows if r["case"] is not None}
    copies: dict[str, int] = {}
    if case_ids:
        copy_rows = (
            await Notification.select(Notification.payload)
            .where(
                Notification.case.is_in(list(case_ids))
                & (Notification.template == SystemNotice.VICTIM_COPY)
            )
            .output(load_json=True)
        )
        for row in copy_rows:
            key = (row["payload"] or {}).get("victim_key")
            if key:
                copies[key] = copies.get(key, 0) + 1
    return [
        VictimMessageRead(
            id=r["id"],
            channel=r["channel"],
            created_at=r["created_at"],
            state=r["state"],
            error_code=r["error_code"],
            body=r["body"],
            sent_at=r["sent_at"],
            delivered_at=r["delivered_at"],
            copies=copies.get(r["idempotency_key"], 0),
        )
        for r in rows
    ]
