"""What Twilio posts back: delivery status of our messages, and SMS replies (DOMAIN §5, §6)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from perp_track import db
from perp_track.cases.rules import PersonRole
from perp_track.cases.tables import Person
from perp_track.config import Settings
from perp_track.notify import rules, safety, templates
from perp_track.notify.optout import case_of_person, opt_out_person
from perp_track.notify.outcomes import tell_responsible
from perp_track.notify.rules import Audience, InboundKind, NotificationState, SystemNotice
from perp_track.notify.services import queue_system_notice
from perp_track.notify.tables import (
    InboundMessage,
    Notification,
    PendingStatus,
    SafeContactProfile,
    SmsOptOut,
)
from perp_track.notify.victim_control import pace as her_pace
from perp_track.notify.victim_control import rules as control_rules
from perp_track.notify.victim_control import services as control

log = logging.getLogger("perp_track.notify")
State = NotificationState
UNREACHABLE_RETRY_AFTER = timedelta(minutes=30)


async def record_status(*, sid: str, status: str, error_code: str | None, now: datetime) -> bool:
    """Apply a status callback; False when the message is not ours. Repeats change nothing."""
    async with db.transaction():
        row = (
            await Notification.select()
            .where(Notification.provider_id == sid)
            .first()
            .output(load_json=True)
        )
        if row is None:
            return False
        new = rules.status_change(row["state"], status)
        if row["state"] == State.SENDING:
            return False  # the dispatcher has not recorded it yet: keep the report for later
        if new is None:
            return True
        code = int(error_code) if error_code and error_code.isdigit() else None
        values: dict[Any, Any] = {Notification.state: new}
        if error_code:
            values[Notification.error_code] = error_code
        if new is State.DELIVERED:
            values[Notification.delivered_at] = now
        retry = (
            new is State.UNDELIVERED
            and code == rules.UNREACHABLE_CODE
            and row["attempts"] <= rules.UNREACHABLE_RETRIES
            and (row["not_after"] is None or row["not_after"] > now + UNREACHABLE_RETRY_AFTER)
        )
        if retry:
            # Phone off: this message certainly did not arrive, so a new one may be tried later.
            values[Notification.state] = State.QUEUED
            values[Notification.next_attempt_at] = now + UNREACHABLE_RETRY_AFTER
        updated = (
            await Notification.update(values)
            .where((Notification.id == row["id"]) & (Notification.state == row["state"]))
            .returning(Notification.id)
        )
        if not updated or retry:
            return True
        if new in {State.UNDELIVERED, State.FAILED}:
            if code == rules.OPTED_OUT_CODE and row["recipient_person"]:
                await opt_out_person(person_id=row["recipient_person"], now=now)
            await tell_responsible(row, reason=f"Twilio: {status} ({error_code or '-'})", now=now)
    return True


PENDING_KEPT = timedelta(days=2)


async def keep_pending(*, sid: str, status: str, error_code: str | None, now: datetime) -> None:
    await PendingStatus.insert(
        PendingStatus(
            provider_id=sid[:64], status=status[:16], error_code=error_code, received_at=now
        )
    )


async def apply_pending(*, now: datetime) -> int:
    """Apply the status reports that came before their message was recorded; drop old ones."""
    pending = await PendingStatus.select().order_by(PendingStatus.id)
    applied = 0
    for report in pending:
        known = await record_status(
            sid=report["provider_id"],
            status=report["status"],
            error_code=report["error_code"],
            now=now,
        )
        if known or report["received_at"] < now - PENDING_KEPT:
            await PendingStatus.delete().where(PendingStatus.id == report["id"])
            applied += int(known)
    return applied


async def _people_with(number: str) -> list[dict[str, Any]]:
    if not number:
        return []
    rows = await Person.select().where(Person.phone == number)
    # A victim first: her safety rules win if a number were ever on both sides.
    return sorted(rows, key=lambda p: p["role"] != PersonRole.VICTIM)


def _reply(name: str, language: str) -> str:
    return templates.render(notice=name, channel="sms", language=language, context={}).body


# Never kept in clear: her code word, and the code that confirmed her number.
SECRET_KINDS = frozenset({InboundKind.CODE_WORD, InboundKind.NUMBER_CONFIRMED})


async def handle_inbound(
    *, sid: str, sender: str, body: str, now: datetime, settings: Settings
) -> str | None:
    """Act on an SMS received; return the text to answer with, if any."""
    async with db.transaction():
        if await InboundMessage.exists().where(InboundMessage.provider_id == sid):
            return None  # Twilio posted it twice
        people = await _people_with(safety.normalise_phone(sender))
        person = people[0] if people else None
        kind, reply = await _act(person, body, now, sid, settings)
        await InboundMessage.insert(
            InboundMessage(
                provider_id=sid,
                person=person["id"] if person else None,
                kind=kind,
                # Keep other replies for the inbox.
                body="" if kind in SECRET_KINDS else body[:2000],
                received_at=now,
            )
        )
    return reply


async def _act(
    person: dict[str, Any] | None, body: str, now: datetime, sid: str, settings: Settings
) -> tuple[InboundKind, str | None]:
    if person is None:
        return InboundKind.UNKNOWN_SENDER, None
    victim = person["role"] == PersonRole.VICTIM
    profile = (
        await SafeContactProfile.select().where(SafeContactProfile.victim == person["id"]).first()
        if victim
        else None
    )
    language = (profile or person)["language"]
    case = await case_of_person(person)
    case_id = case["id"] if case else None
    reference = {"case_reference": case["reference"] if case else ""}
    if profile and safety.code_word_matches(profile["code_word_hash"], body):
        await queue_system_notice(
            notice=SystemNotice.CODE_WORD_ALERT,
            user_ids=[person["sapv_contact"], case["referring_officer"] if case else None],
            case_id=case_id,
            payload={**reference, "received_at": now.isoformat()},
            key=f"codeword:{sid}",
            now=now,
            urgent=True,
            audience=Audience.SAPV_CONTACT,
        )
        # Whoever holds her phone sees only a harmless answer.
        return InboundKind.CODE_WORD, _reply("_reply_received", language)
    word = safety.keyword(body)
    if word is InboundKind.STOP:
        await opt_out_person(person_id=person["id"], now=now)
        return word, None
    if victim and profile and profile["opted_out_at"] is None:
        # Her number's code, then PAUSE / RESUME: hers only, and only while she has not said STOP.
        handled = await _victim_control(person, body, now, sid, settings, language)
        if handled is not None:
            return handled
    if word is InboundKind.START:
        if victim:
            # Her phone may not be in her hands: only her SAPV contact restores messages.
            await queue_system_notice(
                notice=SystemNotice.VICTIM_ASKED_RESTART,
                user_ids=[person["sapv_contact"]],
                case_id=case_id,
                payload=reference,
                key=f"restart:{sid}",
                now=now,
                audience=Audience.SAPV_CONTACT,
            )
        else:
            await SmsOptOut.update({SmsOptOut.restarted_at: now}).where(
                SmsOptOut.phone == safety.normalise_phone(person["phone"])
            )
        return word, None
    if word is InboundKind.HELP:
        return word, _reply("_reply_help", language)
    return await _ordinary_reply(person, body, now, sid, case, victim)


async def _victim_control(
    person: dict[str, Any],
    body: str,
    now: datetime,
    sid: str,
    settings: Settings,
    language: str,
) -> tuple[InboundKind, str | None] | None:
    """Her code, PAUSE or RESUME; None when the text is none of them."""
    confirmed = await control.code_reply(
        victim=person, body=body, now=now, secret_key=settings.secret_key, sid=sid
    )
    if confirmed is True:
        return InboundKind.NUMBER_CONFIRMED, _reply("_reply_received", language)
    if confirmed is False:
        # A wrong code is answered as any other text: whoever holds the phone learns nothing.
        case = await case_of_person(person)
        _, reply = await _ordinary_reply(person, body, now, sid, case, True, tell=False)
        return InboundKind.WRONG_CODE, reply
    pace = control_rules.pace_word(body, settings.victim_pause_words, settings.victim_resume_words)
    if pace is control_rules.Pace.PAUSE:
        await her_pace.pause(victim=person, now=now, sid=sid)
        return InboundKind.PAUSE, _reply("_reply_received", language)
    if pace is control_rules.Pace.RESUME:
        await her_pace.resume(victim=person, now=now, sid=sid)
        return InboundKind.RESUME, _reply("_reply_received", language)
    return None


async def _ordinary_reply(
    person: dict[str, Any],
    body: str,
    now: datetime,
    sid: str,
    case: dict[str, Any] | None,
    victim: bool,
    *,
    tell: bool = True,
) -> tuple[InboundKind, str | None]:
    """Any other text: passed on to the person responsible; no answer on the phone."""
    if not tell:
        return InboundKind.REPLY, None
    case_id = case["id"] if case else None
    reference = {"case_reference": case["reference"] if case else ""}
    responsible = person["sapv_contact"] if victim else (case["assigned_ja"] if case else None)
    await queue_system_notice(
        notice=SystemNotice.SMS_REPLY_RECEIVED,
        user_ids=[responsible],
        case_id=case_id,
        payload={**reference, "reply": body[:1000], "from_victim": victim},
        key=f"reply:{sid}",
        now=now,
        audience=Audience.SAPV_CONTACT if victim else Audience.JUSTICE_ASSISTANT,
    )
    return InboundKind.REPLY, None
