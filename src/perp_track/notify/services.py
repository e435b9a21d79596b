"""Queueing notifications: outbox rows written inside the caller's transaction.

`queue_notice` is the one entry point for the events of DOMAIN §4 (called by
cases.services.record_event); `queue_system_notice` tells named staff what the notification
system itself found (an undeliverable message, a victim's STOP, her code word...).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from perp_track.cases.tables import Case, Person
from perp_track.notify import rules
from perp_track.notify.outbox import insert_rows, outbox_row
from perp_track.notify.recipients import (
    active_user,
    named_on,
    preferences,
    recipients,
    sapv_contact_of,
)
from perp_track.notify.rules import Audience, Channel, Notice, NotificationState, SystemNotice
from perp_track.orgs.tables import Organisation


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
    return outbox_row(
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
    named = await named_on(case)
    for route in rules.routes_for(notice):
        for recipient in await recipients(route.audience, case):
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
                prefs = await preferences(user["id"])
                for channel in route.channels:
                    if channel is Channel.EMAIL and not user["email"]:
                        continue
                    # Urgent messages ignore preferences: every channel the route names.
                    if not route.urgent and not prefs[str(channel)]:
                        continue
                    digest = channel is Channel.EMAIL and not route.urgent and prefs["daily_digest"]
                    rows.append(
                        outbox_row(
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
                    outbox_row(
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
    await insert_rows(rows)
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
    sapv = await active_user(await sapv_contact_of(case["victim"]))
    if sapv is None:  # victim_block already refuses a victim without one; a second lock
        raise AssertionError("a victim message without an SAPV contact to copy")
    if named is not None and sapv["id"] not in named:
        return [await _withheld(case, event_id, sapv, False, now)]
    return [
        outbox_row(
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
    named = await named_on(case) if case is not None else None
    for user_id in dict.fromkeys(user_ids):
        user = await active_user(user_id)
        if user is None:
            continue
        if case is not None and named is not None and user["id"] not in named:
            withheld = await _withheld(case, 0, user, urgent, now)
            rows.append(
                {**withheld, "event": None, "idempotency_key": f"{key}:restricted:u{user['id']}"}
            )
            continue
        prefs = await preferences(user["id"])
        for channel in channels:
            if channel is Channel.EMAIL and not user["email"]:
                continue
            if not urgent and not prefs[str(channel)]:
                continue
            rows.append(
                outbox_row(
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
    await insert_rows(rows)
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
    await insert_rows(
        [
            outbox_row(
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
    row = outbox_row(
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
    await insert_rows([{**row, "recipient_interpreter": interpreter["id"]}])
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
                    outbox_row(
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
    await insert_rows(rows)
    return len(rows)
