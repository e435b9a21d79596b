"""Pure notification rules: segments, back-off, status moves, keywords, safe hours, victim rules."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from perp_track.notify import rules, safety
from perp_track.notify.context import ack_token, read_ack_token
from perp_track.notify.rules import Audience, InboundKind, Notice, NotificationState
from perp_track.notify.safety import Block, SafeHours

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_gsm7_segments():
    assert rules.sms_segments("a" * 160) == ("GSM-7", 1)
    assert rules.sms_segments("a" * 161) == ("GSM-7", 2)
    assert rules.sms_segments("a" * 306) == ("GSM-7", 2)
    assert rules.sms_segments("a" * 307) == ("GSM-7", 3)
    # The euro sign is in the extension table: two septets.
    assert rules.sms_segments("€" * 80) == ("GSM-7", 1)
    assert rules.sms_segments("€" * 81) == ("GSM-7", 2)


def test_ucs2_segments():
    assert rules.sms_segments("ç" + "a" * 69) == ("UCS-2", 1)  # ç is not in GSM-7
    assert rules.sms_segments("ç" + "a" * 70) == ("UCS-2", 2)
    assert rules.sms_segments("é" * 160) == ("GSM-7", 1)  # é is


def test_backoff_grows_and_jitters():
    assert rules.backoff(1, 30, 0.0) == 15
    assert rules.backoff(1, 30, 0.999) == pytest.approx(30, rel=0.01)
    assert rules.backoff(3, 30, 0.0) == 60
    assert rules.backoff(50, 30, 0.0) == 3 * 3600  # capped


@pytest.mark.parametrize(
    ("current", "reported", "expected"),
    [
        ("sending", "sent", NotificationState.SENT),
        ("sent", "delivered", NotificationState.DELIVERED),
        ("sent", "undelivered", NotificationState.UNDELIVERED),
        ("sent", "queued", None),  # late and out of order: never backwards
        ("sent", "sent", None),  # a repeat
        ("delivered", "sent", None),  # final states never move
        ("delivered", "undelivered", None),
        ("undelivered", "delivered", None),
        ("sent", "something-new", None),
    ],
)
def test_status_change(current, reported, expected):
    assert rules.status_change(current, reported) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("STOP", InboundKind.STOP),
        (" stop ", InboundKind.STOP),
        ("Stop.", InboundKind.STOP),
        ("Arrêt", InboundKind.STOP),
        ("ARRETER", InboundKind.STOP),
        ("afmelden", InboundKind.STOP),
        ("Uitschrijven!", InboundKind.STOP),
        ("START", InboundKind.START),
        ("Démarrer", InboundKind.START),
        ("aide", InboundKind.HELP),
        ("HULP", InboundKind.HELP),
        ("please stop writing", None),
        ("ok merci", None),
    ],
)
def test_keywords(text, kind):
    assert safety.keyword(text) == kind


def test_safe_hours_window():
    hours = SafeHours.parse("09:00", "20:00", "08:00-21:00")
    assert hours.contains(time(9, 0))
    assert hours.contains(time(19, 59))
    assert not hours.contains(time(20, 0))
    assert not hours.contains(time(8, 59))
    night = SafeHours.parse("22:00", "06:00", "08:00-21:00")
    assert night.contains(time(23, 0))
    assert night.contains(time(5, 0))
    assert not night.contains(time(12, 0))
    assert SafeHours.parse(None, None, "08:00-21:00") == SafeHours(time(8), time(21))


def test_next_safe_moment_waits_for_the_window():
    hours = SafeHours(time(9), time(20))
    evening = datetime(2026, 3, 2, 21, 30, tzinfo=BRUSSELS)
    assert safety.next_safe_moment(evening, hours, BRUSSELS) == datetime(
        2026, 3, 3, 9, 0, tzinfo=BRUSSELS
    )
    early = datetime(2026, 3, 2, 7, 0, tzinfo=BRUSSELS)
    assert safety.next_safe_moment(early, hours, BRUSSELS) == datetime(
        2026, 3, 2, 9, 0, tzinfo=BRUSSELS
    )
    inside = datetime(2026, 3, 2, 12, 0, tzinfo=BRUSSELS)
    assert safety.next_safe_moment(inside, hours, BRUSSELS) == inside


def test_next_safe_moment_across_a_dst_change():
    # 29 March 2026: clocks go forward in Brussels; 09:00 stays 09:00 local.
    hours = SafeHours(time(9), time(20))
    before = datetime(2026, 3, 28, 22, 0, tzinfo=BRUSSELS).astimezone(UTC)
    at = safety.next_safe_moment(before, hours, BRUSSELS)
    assert at.astimezone(BRUSSELS).time() == time(9)
    assert at == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)


def test_a_time_bound_message_expires_rather_than_arrive_late():
    hours = SafeHours(time(9), time(20))
    evening = datetime(2026, 3, 2, 21, 0, tzinfo=BRUSSELS)
    assert safety.when_to_send(evening, evening + timedelta(hours=2), hours, BRUSSELS) is None
    assert safety.when_to_send(evening, evening + timedelta(days=1), hours, BRUSSELS) is not None
    assert safety.when_to_send(evening, None, hours, BRUSSELS) is not None


def _profile(**over):
    base = {
        "consent_given_at": datetime(2026, 3, 1, tzinfo=UTC),
        "consent_revoked_at": None,
        "opted_out_at": None,
        "sms_allowed": True,
    }
    return {**base, **over}


@pytest.mark.parametrize(
    ("profile", "phone", "perpetrators", "sapv", "block"),
    [
        (_profile(), "+32470333444", {"+32470111222"}, 7, None),
        (None, "+32470333444", set(), 7, Block.NO_PROFILE),
        (_profile(consent_given_at=None), "+32470333444", set(), 7, Block.NO_CONSENT),
        (
            _profile(consent_revoked_at=datetime(2026, 3, 2, tzinfo=UTC)),
            "+32470333444",
            set(),
            7,
            Block.CONSENT_REVOKED,
        ),
        (
            _profile(opted_out_at=datetime(2026, 3, 2, tzinfo=UTC)),
            "+32470333444",
            set(),
            7,
            Block.OPTED_OUT,
        ),
        (_profile(sms_allowed=False), "+32470333444", set(), 7, Block.SMS_NOT_ALLOWED),
        (_profile(), None, set(), 7, Block.NO_NUMBER),
        (_profile(), "+32470333444", {"0032 470 33 34 44"}, 7, Block.PERPETRATOR_NUMBER),
        (_profile(), "+32470333444", set(), None, Block.NO_SAPV_CONTACT),
    ],
)
def test_victim_block(profile, phone, perpetrators, sapv, block):
    assert (
        safety.victim_block(
            profile=profile, phone=phone, perpetrator_phones=perpetrators, sapv_contact=sapv
        )
        == block
    )


def test_code_word_is_hashed_and_matched_loosely():
    stored = safety.hash_code_word("Tournesol")
    assert "tournesol" not in stored.lower()
    assert safety.code_word_matches(stored, " tournesol! ")
    assert safety.code_word_matches(stored, "TOURNESOL")
    assert not safety.code_word_matches(stored, "tournesols")
    assert not safety.code_word_matches(None, "tournesol")


def test_ack_token_is_signed():
    token = ack_token("secret", 42)
    assert read_ack_token("secret", token) == 42
    assert read_ack_token("other-secret", token) is None
    assert read_ack_token("secret", token[:-1] + ("0" if token[-1] != "0" else "1")) is None
    assert read_ack_token("secret", "42") is None


def test_routes_never_tell_the_victim_or_sapv_an_address():
    audiences = {r.audience for r in rules.routes_for(Notice.PERPETRATOR_ADDRESS_CHANGED)}
    assert audiences == {Audience.REFERRING_OFFICER}


def test_breach_is_urgent_and_not_sent_to_the_victim():
    routes = rules.routes_for(Notice.BAN_BREACH_REPORTED)
    assert all(r.urgent for r in routes)
    assert Audience.VICTIM not in {r.audience for r in routes}


def test_block_codes_fit_the_error_code_column():
    from perp_track.notify.tables import Notification

    assert max(len(b) for b in Block) <= Notification.error_code.length
