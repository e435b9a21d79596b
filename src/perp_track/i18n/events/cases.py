"""Sentences of a case's own events: opened, reassigned, changed; its measures and conditions."""

from __future__ import annotations

from collections.abc import Mapping

from perp_track.i18n import N_
from perp_track.i18n.events.reader import LEGACY_SUMMARY, Missing, Reader, with_text
from perp_track.ui.labels import FIELD_LABELS

# The fields of a victim's safe-contact profile, as a change lists them.
SAFE_CONTACT_FIELDS: dict[str, str] = {
    "sms_allowed": N_("SMS allowed"),
    "safe_from": N_("Safe hours"),
    "safe_until": N_("Safe hours"),
    "detail_level": N_("Level of detail"),
    "language": N_("Language"),
    "show_sender": N_("Sender's name shown"),
    "code_word": N_("Code word"),
    # Her number itself, changed by her SAPV contact (safe_contact/phone.py).
    "phone": N_("Her number"),
}


def case_opened(r: Reader) -> str:
    return r.say(N_("Risk level: %(risk)s."), risk=r.tier("risk_level"))


def measure_added(r: Reader) -> str:
    return r.say(
        N_("%(kind)s, until %(ends_on)s."), kind=r.label(r.get("kind")), ends_on=r.day("ends_on")
    )


def measure_transition(r: Reader) -> str:
    moved = {"from": r.label(r.get("from")), "to": r.label(r.get("to"))}
    if r.data.get("ends_on"):
        sentence = r.say(
            N_("%(from)s → %(to)s, until %(ends_on)s."), ends_on=r.day("ends_on"), **moved
        )
    else:
        sentence = r.say(N_("%(from)s → %(to)s."), **moved)
    return with_text(sentence, r.data.get("reason"))


def fields_changed(r: Reader, fields: list[str], names: Mapping[str, str]) -> str:
    if not fields:
        raise Missing("fields")
    words = [r.translate(names[f]) if f in names else r.label(f) for f in sorted(fields)]
    # Two fields may share a word (the start and end of the safe hours): said once.
    return r.say(N_("Changed: %(fields)s."), fields=", ".join(dict.fromkeys(words)))


def measure_updated(r: Reader) -> str:
    return fields_changed(r, [k for k in r.data if k != LEGACY_SUMMARY], FIELD_LABELS)


def safe_contact_updated(r: Reader) -> str:
    return fields_changed(r, list(r.get("fields")), SAFE_CONTACT_FIELDS)


def perpetrator_contact_changed(r: Reader) -> str:
    return fields_changed(r, list(r.get("fields")), FIELD_LABELS)


def case_reassigned(r: Reader) -> str:
    sentence = r.say(N_("The case is now held by %(name)s."), name=r.get("to_name"))
    return with_text(sentence, r.data.get("reason"))


def referring_officer_changed(r: Reader) -> str:
    if r.data.get("zone_name"):
        sentence = r.say(
            N_("The case is now followed by %(name)s (%(zone)s)."),
            name=r.get("to_name"),
            zone=r.get("zone_name"),
        )
    else:
        sentence = r.say(N_("The case is now followed by %(name)s."), name=r.get("to_name"))
    return with_text(sentence, r.data.get("reason"))


def condition_added(r: Reader) -> str:
    return r.say(N_("Condition: %(kind)s."), kind=r.label(r.get("kind")))


def condition_transition(r: Reader) -> str:
    kind = r.data.get("condition_kind") or r.condition_kinds.get(int(r.get("condition_id")))
    if kind is None:
        raise Missing("condition kind")
    moved = {"condition": r.label(kind), "from": r.label(r.get("from")), "to": r.label(r.get("to"))}
    if r.data.get("interruption"):
        sentence = r.say(
            N_("%(condition)s: %(from)s → %(to)s (%(interruption)s)."),
            interruption=r.label(r.data["interruption"]),
            **moved,
        )
    else:
        sentence = r.say(N_("%(condition)s: %(from)s → %(to)s."), **moved)
    return with_text(sentence, r.data.get("reason"))


def condition_hours(r: Reader) -> str:
    if "reason" not in r.data:
        raise Missing("reason")
    sentence = r.say(
        N_("Community service: %(hours)s h done (%(done)s of %(due)s)."),
        hours=r.get("hours"),
        done=r.get("done"),
        due=r.get("due"),
    )
    return with_text(sentence, r.data["reason"])
