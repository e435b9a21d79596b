"""What a template sees for one outbox row; the signed link that acknowledges police feedback."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from perp_track.auth.tables import User
from perp_track.config import Settings
from perp_track.notify import templates
from perp_track.notify.rules import Audience, Channel, Notice, SystemNotice

ACK_PATH = "/api/feedback/{token}"


def ack_token(secret: str, notification_id: int) -> str:
    """An unguessable link to acknowledge one piece of feedback: an id and its HMAC, no name."""
    mac = hmac.new(secret.encode(), f"ack:{notification_id}".encode(), hashlib.sha256)
    return f"{notification_id}-{mac.hexdigest()[:32]}"


def read_ack_token(secret: str, token: str) -> int | None:
    ident, _, _ = token.partition("-")
    if not ident.isdigit() or len(ident) > 12:
        return None
    expected = ack_token(secret, int(ident))
    return int(ident) if hmac.compare_digest(expected, token) else None


def is_feedback(row: dict[str, Any]) -> bool:
    """Police feedback is what an event of DOMAIN §4 tells the referring officer."""
    return row["audience"] == Audience.REFERRING_OFFICER and row["template"] in set(Notice)


async def _sender(sapv_contact: int | None) -> str | None:
    if sapv_contact is None:
        return None
    row = await User.select(User.organisation.name).where(User.id == sapv_contact).first()
    return row["organisation.name"] if row else None


def _variant(row: dict[str, Any], payload: dict[str, Any]) -> str | None:
    """The template variant: the victim's detail level; for the perpetrator's reminder, the
    wording of his reminder-evaluation arm. Nothing else has variants: a victim's message never
    takes part in an evaluation."""
    if row["audience"] == Audience.VICTIM:
        return row["variant"]
    if row["audience"] == Audience.PERPETRATOR and row["template"] == Notice.SUMMONS_REMINDER:
        return str(payload["wording"]) if payload.get("wording") else None
    return None


async def render_row(
    row: dict[str, Any], settings: Settings, *, profile: dict[str, Any] | None = None
) -> templates.Rendered:
    payload: dict[str, Any] = row["payload"] if isinstance(row["payload"], dict) else {}
    context: dict[str, Any] = {
        **payload,
        "p": payload,
        "case_reference": payload.get("case_reference", ""),
        "audience": row["audience"],
        "channel": payload.get("channel", row["channel"]),
        "ack_url": "",
        "sender": None,
    }
    # Only the e-mail carries the link: the inbox shows its own "acknowledge" button instead.
    if is_feedback(row) and row["channel"] == Channel.EMAIL:
        token = ack_token(settings.secret_key, row["id"])
        context["ack_url"] = settings.public_base_url + ACK_PATH.format(token=token)
    if profile is not None and profile["show_sender"]:
        from perp_track.cases.tables import Person

        person = (
            await Person.select(Person.sapv_contact)
            .where(Person.id == row["recipient_person"])
            .first()
        )
        context["sender"] = await _sender(person["sapv_contact"] if person else None)
    if row["template"] == SystemNotice.VICTIM_COPY:
        # The copy shows the SAPV contact the very words the victim receives.
        victim = templates.render(
            notice=payload["victim_notice"],
            channel=Channel.SMS,
            language=payload["victim_language"],
            variant=payload["victim_variant"],
            context={**context, "audience": Audience.VICTIM},
            timezone=settings.timezone,
        )
        context["victim_message"] = victim.body
    return templates.render(
        notice=row["template"],
        channel=row["channel"],
        language=row["language"],
        variant=_variant(row, payload),
        context=context,
        timezone=settings.timezone,
    )
