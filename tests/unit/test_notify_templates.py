"""Every message body in every language renders with the data the services put in the outbox."""

from __future__ import annotations

import re
from itertools import product

import pytest

from perp_track import paths
from perp_track.notify import rules, templates
from perp_track.notify.rules import Audience, Notice, SystemNotice
from perp_track.notify.templates import LANGUAGES

MEASURE = {"measure_kind": "temporary_residence_ban", "ends_on": "2026-03-16"}
TRANSITION = {**MEASURE, "status": "revocation_requested", "event": "request_revocation"}
SUMMONS = {
    "scheduled_at": "2026-03-09T09:00:00+00:00",
    "modality": "in_person",
    "place": "Maison de justice de Liège, Rue de Campine 1, 4000 Liège",
}
RISK_ALERT = {"trigger": "missed_summons", "level": "high", "due_at": SUMMONS["scheduled_at"]}
# What interpreters.bookings puts in an interpreter's e-mail: nothing of the case.
INTERPRETER = {
    **SUMMONS,
    "booking_reference": "ITP-ABCD-2345",
    "duration_minutes": 45,
    "language": "arabic",
    "house_name": "Maison de justice de Liège",
    "house_phone": "+3242000000",
    "house_email": "accueil@mj-liege.example",
}
# The payloads the services queue (measures.services, summons.services, notify.*).
PAYLOADS: dict[str, dict] = {
    Notice.PROTECTIVE_MEASURE_OPENED: MEASURE,
    Notice.BAN_EXTENDED: {**TRANSITION, "status": "extended", "event": "extend"},
    Notice.BAN_LIFTED: {**TRANSITION, "status": "lifted", "event": "lift"},
    Notice.BAN_EXPIRED: {**TRANSITION, "status": "expired", "event": "expire"},
    Notice.ADP_RENEWED: {**TRANSITION, "measure_kind": "release_under_conditions"},
    Notice.PROTECTION_ENDING: MEASURE,
    Notice.BAN_BREACH_REPORTED: MEASURE,
    Notice.PROGRAMME_INTERRUPTED: {**TRANSITION, "measure_kind": "probation"},
    Notice.REPEATED_MISSED_SUMMONS: {"missed": 2},
    Notice.REPEATED_PROGRAMME_ABSENCES: {"missed": 2, "measure_kind": "probation"},
    Notice.PROGRAMME_COMPLETED: {"measure_kind": "probation"},
    Notice.NON_COMPLIANCE_REPORTED: TRANSITION,
    Notice.AUTHORITY_DECISION: TRANSITION,
    Notice.MEASURE_CLOSED: {**TRANSITION, "status": "completed"},
    Notice.PERPETRATOR_ADDRESS_CHANGED: {},
    Notice.SUMMONS_SCHEDULED: SUMMONS,
    Notice.SUMMONS_RESCHEDULED: SUMMONS,
    Notice.SUMMONS_CANCELLED: SUMMONS,
    Notice.SUMMONS_REMINDER: {**SUMMONS, "reminder": "d3"},
    Notice.ATTENDANCE_NOT_RECORDED: {"scheduled_at": SUMMONS["scheduled_at"]},
    Notice.REPORT_DUE: {
        "measure_kind": "probation",
        "report_kind": "intake",
        "due_on": "2026-04-02",
        "days_left": 7,
    },
    Notice.REPORT_OVERDUE: {
        "measure_kind": "release_under_conditions",
        "report_kind": "periodic",
        "due_on": "2026-04-02",
        "days_left": -1,
    },
    Notice.CASE_ASSIGNED: {"reason": "Caseload rebalanced"},
    Notice.REFERRAL_TRANSFERRED: {"reason": "The case moved to another zone"},
    SystemNotice.VICTIM_COPY: {"victim_message": "Bonjour", "victim_variant": "neutral"},
    SystemNotice.RESTRICTED_CASE_NEWS: {"justice_house": "Maison de justice de Liège"},
    SystemNotice.RESTRICTED_CASE_ATTEMPT: {
        "actor_name": "Anne Lambert",
        "actor_organisation": "Maison de justice de Liège",
        "attempted_at": "2026-03-02T09:00:00+00:00",
    },
    SystemNotice.MESSAGE_UNDELIVERABLE: {
        "channel": "sms",
        "failed_template": "ban_extended",
        "failed_audience": "victim",
        "reason": "Twilio error 30005",
    },
    SystemNotice.VICTIM_OPTED_OUT: {},
    SystemNotice.VICTIM_ASKED_RESTART: {},
    SystemNotice.CODE_WORD_ALERT: {"received_at": "2026-03-02T21:00:00+00:00"},
    SystemNotice.SMS_REPLY_RECEIVED: {"reply": "Je ne peux pas venir", "from_victim": True},
    SystemNotice.FEEDBACK_UNACKNOWLEDGED: {
        "feedback_subject": "[LIE-2026-00001] Ban extended",
        "sent_on": "2026-02-20T09:00:00+00:00",
        "officer_name": "Luc Martin",
        "days": 3,
    },
    SystemNotice.DAILY_DIGEST: {"items": [{"subject": "[LIE-2026-00001] Ban extended"}]},
    # The risk policy's closed loop and schedule (risk.services, risk.jobs).
    SystemNotice.RISK_POLICE_ALERT: RISK_ALERT,
    SystemNotice.RISK_SAFETY_CHECK: RISK_ALERT,
    SystemNotice.RISK_ALERT_ESCALATED: {**RISK_ALERT, "alert_kind": "police_alert"},
    SystemNotice.RISK_ALERT_CLOSED: {"alert_kind": "safety_check", "outcome": "victim_safe"},
    SystemNotice.RISK_CALL_TASK: {"scheduled_at": SUMMONS["scheduled_at"], "level": "high"},
    SystemNotice.RISK_REASSESSMENT_DUE: {"level": "severe", "due_at": "2026-04-02T09:00:00+00:00"},
    SystemNotice.SAPV_STATUS_UPDATE: {
        "level": "high",
        "measures": [{"kind": "probation", "status": "active", "ends_on": "2027-03-01"}],
    },
    SystemNotice.PROGRAMME_CONCERN: {
        "starts_at": SUMMONS["scheduled_at"],
        "description": "Spoke of going to her house",
    },
    SystemNotice.INTERPRETER_BOOKED: {**INTERPRETER},
    SystemNotice.INTERPRETER_MOVED: {
        **INTERPRETER,
        "previous_scheduled_at": "2026-03-06T09:00:00+00:00",
    },
    SystemNotice.INTERPRETER_CANCELLED: {**INTERPRETER},
}
BASE = {
    "case_reference": "LIE-2026-00001",
    "ack_url": "https://perp-track.example/api/feedback/1-abc",
    "sender": None,
    "p": {},
}


def _render_file(name: str) -> templates.Rendered:
    parts = name.split(".")
    notice, channel, lang = parts[0], parts[1], parts[-2]
    variant = parts[2] if len(parts) == 5 else None
    payload = PAYLOADS.get(notice, {})
    audience = Audience.VICTIM if variant else Audience.REFERRING_OFFICER
    return templates.render(
        notice=notice,
        channel=channel,
        language=lang,
        variant=variant,
        context={**BASE, **payload, "p": payload, "audience": audience},
    )


FILES = sorted(p.name for p in paths.NOTIFICATIONS.glob("*.j2"))


def test_there_is_a_file_per_notice_channel_and_language():
    for notice, lang in product(Notice, LANGUAGES):
        for route in rules.routes_for(notice):
            for channel in route.channels:
                variants = (
                    ("neutral", "status", "full") if route.audience is Audience.VICTIM else (None,)
                )
                for variant in variants:
                    rendered = templates.render(
                        notice=notice,
                        channel=channel,
                        language=lang,
                        variant=variant,
                        context={
                            **BASE,
                            **PAYLOADS[notice],
                            "p": PAYLOADS[notice],
                            "audience": route.audience,
                        },
                    )
                    # The exact language, never a fallback.
                    assert rendered.template.endswith(f".{lang}.j2"), rendered.template


@pytest.mark.parametrize("name", FILES)
def test_every_template_renders(name):
    rendered = _render_file(name)
    assert rendered.body.strip()
    assert "{{" not in rendered.body
    assert "{%" not in rendered.body
    if ".email." in name or ".in_app." in name:
        assert rendered.subject, name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_neutral_victim_sms_says_nothing_about_the_case(lang):
    for notice in Notice:
        if Audience.VICTIM not in {r.audience for r in rules.routes_for(notice)}:
            continue
        body = templates.render(
            notice=notice,
            channel="sms",
            language=lang,
            variant="neutral",
            context={**BASE, **PAYLOADS[notice], "p": PAYLOADS[notice]},
        ).body
        lowered = body.lower()
        for word in ("interdiction", "verbod", "ban", "probation", "dubois", "rue", "mesure"):
            assert word not in lowered, (notice, lang, body)
        assert rules.sms_segments(body) == ("GSM-7", 1)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_victim_never_hears_about_programme_content(lang):
    for variant in ("status", "full"):
        body = templates.render(
            notice=Notice.PROGRAMME_INTERRUPTED,
            channel="sms",
            language=lang,
            variant=variant,
            context={**BASE, **PAYLOADS[Notice.PROGRAMME_INTERRUPTED], "audience": "victim"},
        ).body
        assert not re.search(r"th[eé]rap|session|séance|sessie|alcohol|alcool", body, re.I), body


def test_sapv_is_told_only_that_the_programme_is_interrupted():
    payload = {**PAYLOADS[Notice.PROGRAMME_INTERRUPTED], "reason": "excluded"}
    body = templates.render(
        notice=Notice.PROGRAMME_INTERRUPTED,
        channel="email",
        language="en",
        context={**BASE, **payload, "p": payload, "audience": "sapv_contact"},
    ).body
    assert body == "The programme is interrupted."


def test_feedback_is_structured_with_an_acknowledgement_link():
    payload = PAYLOADS[Notice.BAN_EXTENDED]
    rendered = templates.render(
        notice=Notice.BAN_EXTENDED,
        channel="email",
        language="en",
        context={**BASE, **payload, "p": payload, "audience": "referring_officer"},
    )
    assert rendered.subject == "[LIE-2026-00001] Ban extended"
    for part in ("What happened:", "What it means:", "What comes next:", BASE["ack_url"]):
        assert part in rendered.body
    assert "16/03/2026" in rendered.body
    assert "<h1" in rendered.html


def test_the_sandbox_refuses_unsafe_templates(tmp_path):
    (tmp_path / "evil.sms.en.j2").write_text("{{ ''.__class__.__mro__ }}")
    from jinja2.exceptions import SecurityError

    with pytest.raises(SecurityError):
        templates.render(notice="evil", channel="sms", language="en", context={}, folder=tmp_path)


def test_a_missing_variable_is_an_error_not_a_blank(tmp_path):
    from jinja2.exceptions import UndefinedError

    with pytest.raises(UndefinedError):
        templates.render(
            notice=Notice.BAN_EXTENDED, channel="email", language="en", context={**BASE}
        )


@pytest.mark.parametrize("name", [f for f in FILES if ".sms." in f])
def test_sms_stay_in_the_gsm_alphabet(name):
    """UCS-2 cuts a segment from 160 to 70 characters: a text that needs it costs 2-3 times more
    and is more likely to be split on an old phone."""
    encoding, segments = rules.sms_segments(_render_file(name).body)
    assert encoding == "GSM-7", name
    assert segments <= 2, name


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "notice",
    [
        SystemNotice.INTERPRETER_BOOKED,
        SystemNotice.INTERPRETER_MOVED,
        SystemNotice.INTERPRETER_CANCELLED,
    ],
)
def test_an_interpreter_is_told_when_where_and_the_reference_never_the_case(notice, lang):
    payload = PAYLOADS[notice]
    rendered = templates.render(
        notice=notice,
        channel="email",
        language=lang,
        context={**BASE, **payload, "p": payload, "audience": Audience.INTERPRETER},
    )
    assert rendered.template.endswith(f".{lang}.j2")
    text = rendered.subject + rendered.body
    assert "ITP-ABCD-2345" in text and "arabic" in text and "09/03/2026 10:00" in text
    assert BASE["case_reference"] not in text
    if notice is not SystemNotice.INTERPRETER_CANCELLED:
        assert "Rue de Campine" in text and "+3242000000" in text


@pytest.mark.parametrize(
    ("language", "word"),
    [("fr", "extrême"), ("nl", "extreem"), ("en", "extreme"), ("de", "extrem")],
)
def test_a_risk_tier_is_named_from_the_payload_in_the_readers_language(language, word):
    """Tiers are data: the payload carries their names, as they were when it was queued."""
    names = {"fr": "Extrême", "nl": "Extreem", "en": "Extreme", "de": "Extrem"}
    context = {"case_reference": "LIE-2026-00001", **RISK_ALERT, "level": "extreme"}
    rendered = templates.render(
        notice=SystemNotice.RISK_POLICE_ALERT,
        channel="email",
        language=language,
        context={**context, "level_names": names},
    )
    assert word in rendered.subject and word in rendered.body
    # Queued before the payload carried names: a seeded tier still reads by its name.
    old = templates.render(
        notice=SystemNotice.RISK_POLICE_ALERT,
        channel="email",
        language="nl",
        context={**context, "level": "high"},
    )
    assert "hoog risico" in old.body
