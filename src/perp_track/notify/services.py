"""Queueing notifications: outbox rows written inside the caller's transaction.

`queue_notice` is the one entry point for the events of DOMAIN §4 (called by
cases.services.record_event); `queue_system_notice` tells named staff what the notification
system itself found (an undeliverable message, a victim's STOP, her code word...).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from perp_track import db
from perp_track.auth.tables import User
from perp_track.cases.rules import PersonRole
from perp_track.cases.tables import Case, CaseAccess, Person
from perp_track.notify import rules, safety, wakeup
from perp_track.notify.rules import Audience, Channel, Notice, NotificationState, SystemNotice
from perp_track.notify.tables import Notification, NotificationPreference, SafeContactProfile
from perp_track.notify.victim_control import rules as control
from perp_track.notify.victim_control.tables import NumberConfirmation
from perp_track.orgs.tables import Organisation


async def _user(user_id: int | None) -> dict[str, Any] | None:
    if user_id is None:
        return None
    user = (
        await User.select(User.id, User.email, User.language, User.active)
        .where(User.id == user_id)
        .first()
    )
    return user if user and user["active"] else None


async def _sapv_contact_of(victim_id: int | None) -> int | None:
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


async def victim_check(victim_id: int) -> tuple[safety.Block | None, dict[str, Any] | None]:
    """Whether the victim may be sent an SMS at all, and her profile (queue and send time)."""
    block, _, profile, _ = await victim_state(victim_id)
    return block, profile


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


async def _recipients(audience: Audience, case: dict[str, Any]) -> list[dict[str, Any]]:
    """Who stands behind an audience on this case: user or person rows, with their language."""
    if audience is Audience.REFERRING_OFFICER:
        user_id = case["referring_officer"]
    elif audience is Audience.JUSTICE_ASSISTANT:
        user_id = case["assigned_ja"]
    elif audience is Audience.SAPV_CONTACT:
        user_id = await _sapv_contact_of(case["victim"])
    elif audience is Audience.PERPETRATOR:
        person = (
            await Person.select(Person.id, Person.phone, Person.language)
            .where(Person.id == case["perpetrator"])
            .first()
        )
        return [{"person": person}] if person and person["phone"] else []
    else:
        return await _victim_recipient(case)
    user = await _user(user_id)
    return [{"user": user}] if user else []


async def _victim_recipient(case: dict[str, Any]) -> list[dict[str, Any]]:
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


async def _preferences(user_id: int) -> dict[str, Any]:
    row = (
        await NotificationPreference.select().where(NotificationPreference.user == user_id).first()
    )
    return row or {"email": True, "in_app": True, "daily_digest": False}


def _row(
    *,
    case_id: int | None,
    event_id: int | None,
    audience: Audience,
    channel: Channel,
    template: str,
    language: str,
    payload: dict[str, Any],
    key: str,
    now: datetime,
    user_id: int | None = None,
    person_id: int | None = None,
    urgent: bool = False,
    not_after: datetime | None = None,
    variant: str | None = None,
    state: NotificationState = NotificationState.QUEUED,
    error_code: str | None = None,
) -> dict[str, Any]:
    """An outbox row as {column: value}, for `db.insert_many`."""
    return dict(
        case=case_id,
        event=event_id,
        audience=audience,
        recipient_user=user_id,
        recipient_person=person_id,
        channel=channel,
        template=template,
        language=language,
        payload=payload,
        urgent=urgent,
        idempotency_key=key,
        state=state,
        next_attempt_at=now,
        not_after=not_after,
        created_at=now,
        variant=variant,
        error_code=error_code,
    )


async def _named_on(case: dict[str, Any]) -> set[int] | None:
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


async def _withheld(
    case: dict[str, Any], event_id: int, user: dict[str, Any], urgent: bool, now: datetime
) -> dict[str, Any]:
    """What someone not named on a restricted case gets instead of its news: that there is news
    and whom to call, in the app only (an e-mail could be read elsewhere), without the case's
    reference or a link to it. Urgent news stays urgent: a breach must still make them call."""
    house = (
        await Organisation.select(Organisation.name)
        .where(Organisation.id == case["justice_house"])
        .first()
    )
    return _row(
        case_id=None,
        event_id=event_id,
        audience=Audience.JUSTICE_ASSISTANT,
        channel=Channel.IN_APP,
        template=SystemNotice.RESTRICTED_CASE_NEWS,
        language=user["language"],
        payload={"justice_house": house["name"] if house else ""},
        key=f"ev{event_id}:restricted:u{user['id']}",
        now=now,
        user_id=user["id"],
        urgent=urgent,
    )


async def queue_notice(
    *,
    notice: Notice,
    case: dict[str, Any],
    event_id: int,
    payload: dict[str, Any],
    now: datetime,
    not_after: datetime | None = None,
) -> int:
    """Write one outbox row per (recipient, channel) the routing table names; return how many.

    Must run inside the transaction that records the event: both land, or neither.
    """
    rows: list[dict[str, Any]] = []
    named = await _named_on(case)
    for route in rules.routes_for(notice):
        for recipient in await _recipients(route.audience, case):
            user, person = recipient.get("user"), recipient.get("person")
            if user is not None and named is not None and user["id"] not in named:
                withheld = await _withheld(case, event_id, user, route.urgent, now)
                if all(r["idempotency_key"] != withheld["idempotency_key"] for r in rows):
                    rows.append(withheld)
                continue
            common: dict[str, Any] = {
                "case_id": case["id"],
                "event_id": event_id,
                "audience": route.audience,
                "template": str(notice),
                "payload": payload,
                "now": now,
                "urgent": route.urgent,
                "not_after": not_after,
            }
            if user is not None:
                prefs = await _preferences(user["id"])
                for channel in route.channels:
                    if channel is Channel.EMAIL and not user["email"]:
                        continue
                    # Urgent messages ignore preferences: every channel the route names.
                    if not route.urgent and not prefs[str(channel)]:
                        continue
                    digest = channel is Channel.EMAIL and not route.urgent and prefs["daily_digest"]
                    rows.append(
                        _row(
                            **common,
                            channel=channel,
                            language=user["language"],
                            key=rules.idempotency_key(
                                event_id, route.audience, f"u{user['id']}", channel
                            ),
                            user_id=user["id"],
                            variant="digest" if digest else None,
                        )
                    )
                continue
            assert person is not None
            for channel in route.channels:
                key = rules.idempotency_key(event_id, route.audience, f"p{person['id']}", channel)
                block, hold = recipient.get("block"), recipient.get("hold")
                variant = recipient.get("variant")
                state = NotificationState.QUEUED
                if block:
                    state = NotificationState.SUPPRESSED
                elif hold:
                    state = NotificationState.HELD
                rows.append(
                    _row(
                        **common,
                        channel=channel,
                        language=person["language"],
                        key=key,
                        person_id=person["id"],
                        variant=variant,
                        state=state,
                        error_code=str(block or hold) if (block or hold) else None,
                    )
                )
                if route.audience is Audience.VICTIM and not block:
                    rows.extend(
                        await _victim_copy(
                            case, event_id, notice, payload, now, key, recipient, named
                        )
                    )
    await _insert(rows)
    return len(rows)


async def _victim_copy(
    case: dict[str, Any],
    event_id: int,
    notice: Notice,
    payload: dict[str, Any],
    now: datetime,
    victim_key: str,
    recipient: dict[str, Any],
    named: set[int] | None = None,
) -> list[dict[str, Any]]:
    """Every victim message is copied to her SAPV contact (DOMAIN §5), in the contact's inbox.

    On a restricted case she is not named on, she is told there is news, not the case."""
    sapv = await _user(await _sapv_contact_of(case["victim"]))
    if sapv is None:  # victim_block already refuses a victim without one; a second lock
        raise AssertionError("a victim message without an SAPV contact to copy")
    if named is not None and sapv["id"] not in named:
        return [await _withheld(case, event_id, sapv, False, now)]
    return [
        _row(
            case_id=case["id"],
            event_id=event_id,
            audience=Audience.SAPV_CONTACT,
            channel=Channel.IN_APP,
            template=SystemNotice.VICTIM_COPY,
            language=sapv["language"],
            payload={
                **payload,
                "victim_notice": str(notice),
                "victim_variant": str(recipient["variant"]),
                "victim_language": recipient["person"]["language"],
                "victim_key": victim_key,
            },
            key=f"copy:{victim_key}:u{sapv['id']}",
            now=now,
            user_id=sapv["id"],
        )
    ]


async def queue_system_notice(
    *,
    notice: SystemNotice,
    user_ids: list[int | None],
    case_id: int | None,
    payload: dict[str, Any],
    key: str,
    now: datetime,
    urgent: bool = False,
    audience: Audience = Audience.JUSTICE_ASSISTANT,
    channels: tuple[Channel, ...] = (Channel.IN_APP, Channel.EMAIL),
) -> int:
    """Tell named staff by in-app and e-mail. `key` makes it happen once, however often called."""
    rows = []
    case = (
        await Case.select(Case.id, Case.restricted, Case.justice_house)
        .where(Case.id == case_id)
        .first()
        if case_id is not None
        else None
    )
    named = await _named_on(case) if case is not None else None
    for user_id in dict.fromkeys(user_ids):
        user = await _user(user_id)
        if user is None:
            continue
        if case is not None and named is not None and user["id"] not in named:
            withheld = await _withheld(case, 0, user, urgent, now)
            rows.append(
                {**withheld, "event": None, "idempotency_key": f"{key}:restricted:u{user['id']}"}
            )
            continue
        prefs = await _preferences(user["id"])
        for channel in channels:
            if channel is Channel.EMAIL and not user["email"]:
                continue
            if not urgent and not prefs[str(channel)]:
                continue
            rows.append(
                _row(
                    case_id=case_id,
                    event_id=None,
                    audience=audience,
                    channel=channel,
                    template=notice,
                    language=user["language"],
                    payload=payload,
                    key=f"{key}:u{user['id']}:{channel}",
                    now=now,
                    user_id=user["id"],
                    urgent=urgent,
                )
            )
    await _insert(rows)
    return len(rows)


async def queue_address_notice(
    *,
    notice: SystemNotice,
    address: str,
    language: str,
    case_id: int | None,
    payload: dict[str, Any],
    key: str,
    now: datetime,
    audience: Audience,
) -> int:
    """An urgent e-mail to a service's own address (a police zone's on-duty desk), read by
    whoever is on duty rather than by one person. Once per key."""
    await _insert(
        [
            _row(
                case_id=case_id,
                event_id=None,
                audience=audience,
                channel=Channel.EMAIL,
                template=notice,
                language=language,
                payload={**payload, "email_to": address},
                key=f"{key}:{Channel.EMAIL}",
                now=now,
                urgent=True,
            )
        ]
    )
    return 1


async def queue_to_interpreter(
    *,
    notice: SystemNotice,
    interpreter: dict[str, Any],
    case_id: int,
    event_id: int,
    payload: dict[str, Any],
    now: datetime,
    not_after: datetime | None,
) -> int:
    """E-mail an interpreter of the register, in the language they chose. The payload carries
    no name, no offence and no case reference (interpreters.bookings builds it)."""
    row = _row(
        case_id=case_id,
        event_id=event_id,
        audience=Audience.INTERPRETER,
        channel=Channel.EMAIL,
        template=notice,
        language=interpreter["message_language"],
        payload=payload,
        key=f"ev{event_id}:{notice}:i{interpreter['id']}",
        now=now,
        not_after=not_after,
    )
    await _insert([{**row, "recipient_interpreter": interpreter["id"]}])
    return 1


async def queue_notice_many(
    *,
    notice: Notice,
    items: list[tuple[dict[str, Any], int, dict[str, Any], datetime | None]],
    now: datetime,
) -> int:
    """`queue_notice` for many events at once: (case, event id, payload, not_after) each.

    A notice told only to the perpetrator (reminders, by the thousand on a busy morning) is
    written in bulk: one read of the people, one insert per 500 rows. Any other notice goes
    through `queue_notice` one event at a time, so every rule of the victim's side applies.
    """
    routes = rules.routes_for(notice)
    if any(route.audience is not Audience.PERPETRATOR for route in routes):
        total = 0
        for case, event_id, payload, not_after in items:
            total += await queue_notice(
                notice=notice,
                case=case,
                event_id=event_id,
                payload=payload,
                now=now,
                not_after=not_after,
            )
        return total
    ids = list({case["perpetrator"] for case, *_ in items})
    people = {
        p["id"]: p
        for p in await Person.select(Person.id, Person.phone, Person.language).where(
            Person.id.is_in(ids or [-1])
        )
    }
    rows: list[dict[str, Any]] = []
    for route in routes:
        for case, event_id, payload, not_after in items:
            person = people.get(case["perpetrator"])
            if person is None or not person["phone"]:
                continue
            for channel in route.channels:
                rows.append(
                    _row(
                        case_id=case["id"],
                        event_id=event_id,
                        audience=route.audience,
                        channel=channel,
                        template=str(notice),
                        language=person["language"],
                        payload=payload,
                        key=rules.idempotency_key(
                            event_id, route.audience, f"p{person['id']}", channel
                        ),
                        now=now,
                        person_id=person["id"],
                        urgent=route.urgent,
                        not_after=not_after,
                    )
                )
    await _insert(rows)
    return len(rows)


async def _insert(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    # The idempotency key makes a second write of the same message a no-op.
    await db.insert_many(Notification, rows, on_conflict_do_nothing=Notification.idempotency_key)
    if any(r["state"] == NotificationState.QUEUED for r in rows):
        await wakeup.announce()
