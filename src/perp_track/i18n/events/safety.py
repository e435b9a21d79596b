"""Sentences of the risk response, the victim's safe contact and her number, and restricted
cases."""

from __future__ import annotations

from collections.abc import Callable

from perp_track.i18n import N_
from perp_track.i18n.events.reader import Missing, Reader, with_text


def risk_reassessed(r: Reader) -> str:
    sentence = r.say(
        N_("Risk level %(from)s → %(to)s."),
        **{"from": r.tier("from"), "to": r.tier("to")},
    )
    return with_text(sentence, r.data.get("reason"))


def risk_loop_raised(r: Reader) -> str:
    return r.say(
        N_("%(trigger)s at %(level)s risk: to be answered by %(due)s."),
        trigger=r.label(r.get("trigger")),
        level=r.tier("level").lower(),
        due=r.moment("due_at"),
    )


def risk_alert(r: Reader) -> str:
    alert = r.label(r.get("alert_kind"))
    if r.data.get("outcome"):
        sentence = r.say(
            N_("%(alert)s: %(outcome)s."), alert=alert, outcome=r.label(r.get("outcome"))
        )
        return with_text(sentence, r.data.get("note"))
    if r.data.get("due_at") and r.data.get("acknowledged_at"):
        return r.say(
            N_(
                "%(alert)s acknowledged but not done by %(due)s: the supervisors and the police"
                " zone are told."
            ),
            alert=alert,
            due=r.moment("due_at"),
        )
    if r.data.get("due_at"):
        return r.say(
            N_("%(alert)s unanswered by %(due)s: the supervisors and the police zone are told."),
            alert=alert,
            due=r.moment("due_at"),
        )
    return r.say(N_("%(alert)s acknowledged."), alert=alert)


def risk_call_task(r: Reader) -> str:
    return r.say(
        N_("The justice assistant is asked to call before the summons of %(when)s."),
        when=r.moment("scheduled_at"),
    )


def sapv_status_sent(r: Reader) -> str:
    return r.say(
        N_("Risk level %(level)s; measures in force: %(measures)s."),
        level=r.tier("level"),
        measures=int(r.data.get("measures") or 0),
    )


def programme_behaviour(r: Reader) -> str:
    when = r.moment("starts_at")
    if r.data.get("conduct"):
        sentence = r.say(
            N_("Programme session of %(when)s: %(conduct)s."),
            when=when,
            conduct=r.label(r.get("conduct")),
        )
    else:
        sentence = r.say(N_("Programme session of %(when)s."), when=when)
    sentence = with_text(sentence, r.data.get("note"))
    if r.data.get("concern"):
        concern = r.say(N_("Concern:"))
        sentence = with_text(f"{sentence} {concern}", r.data.get("description"))
    return sentence


def consent(msgid: str) -> Callable[[Reader], str]:
    def rule(r: Reader) -> str:
        return with_text(r.say(msgid), r.data.get("note"))

    return rule


def case_restricted(r: Reader) -> str:
    sentence = r.say(
        N_("Reason: %(reason)s. Only these people see it: %(names)s."),
        reason=r.label(r.get("reason")),
        names=", ".join(str(n) for n in r.get("named")),
    )
    return with_text(sentence, r.data.get("note"))


# Why her number is to be confirmed (notify/victim_control).
NUMBER_CHECK_REASONS: dict[str, str] = {
    "consent": N_(
        "Her consent was recorded: a neutral SMS asks her to confirm her number with her code."
    ),
    "phone_change": N_(
        "Her number changed: a neutral SMS asks her to confirm the new one with her code."
    ),
    "new_code": N_("A new code was made for her number; the previous one no longer works."),
}


def number_check_started(r: Reader) -> str:
    reason = str(r.get("reason"))
    if reason not in NUMBER_CHECK_REASONS:
        raise Missing("reason")
    return r.say(NUMBER_CHECK_REASONS[reason])


def wrong_code(r: Reader) -> str:
    return r.say(
        N_("A wrong code came from her number (%(count)s of 3)."), count=int(r.get("wrong_codes"))
    )


def said(msgid: str) -> Callable[[Reader], str]:
    def rule(r: Reader) -> str:
        return r.say(msgid)

    return rule
