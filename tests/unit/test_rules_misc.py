from datetime import UTC, datetime, timedelta

import pytest

from perp_track.auth import rules as auth_rules
from perp_track.cases.rules import case_reference
from perp_track.clock import FrozenClock
from perp_track.config import ConfigurationError, load_settings
from perp_track.errors import Conflict, Invalid
from perp_track.notify import rules as notify_rules
from perp_track.notify.rules import Audience, Notice
from perp_track.summons import rules as summons_rules
from perp_track.summons.rules import Outcome, SummonsStatus

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_attendance_never_for_the_future():
    with pytest.raises(Invalid, match="not started"):
        summons_rules.check_attendance(
            starts_at=NOW + timedelta(minutes=1), now=NOW, outcome=Outcome.ATTENDED, reason=None
        )
    summons_rules.check_attendance(starts_at=NOW, now=NOW, outcome=Outcome.ATTENDED, reason=None)


@pytest.mark.parametrize("outcome", [Outcome.ABSENT_VALID_REASON, Outcome.DID_NOT_TAKE_PLACE])
def test_some_outcomes_need_a_reason(outcome):
    with pytest.raises(Invalid, match="needs a reason"):
        summons_rules.check_attendance(starts_at=NOW, now=NOW, outcome=outcome, reason=" ")


def test_only_a_scheduled_summons_can_change():
    summons_rules.check_open(SummonsStatus.SCHEDULED, "cancel")
    for status in set(SummonsStatus) - {SummonsStatus.SCHEDULED}:
        with pytest.raises(Conflict):
            summons_rules.check_open(status, "cancel")


def test_every_outcome_is_a_summons_status():
    assert {o.value for o in Outcome} <= {s.value for s in SummonsStatus}


def test_first_missed_summons_tells_nobody():
    assert not notify_rules.routes_for(Notice.SUMMONS_CANCELLED) or all(
        r.audience is Audience.PERPETRATOR
        for r in notify_rules.routes_for(Notice.SUMMONS_CANCELLED)
    )
    audiences = {r.audience for r in notify_rules.routes_for(Notice.REPEATED_MISSED_SUMMONS)}
    assert audiences == {Audience.REFERRING_OFFICER}


def test_address_change_never_reaches_the_victim_side_even_if_routed():
    original = notify_rules.ROUTES[Notice.PERPETRATOR_ADDRESS_CHANGED]
    notify_rules.ROUTES[Notice.PERPETRATOR_ADDRESS_CHANGED] = (
        *original,
        notify_rules.Route(Audience.SAPV_CONTACT, (notify_rules.Channel.EMAIL,)),
        notify_rules.Route(Audience.VICTIM, (notify_rules.Channel.SMS,)),
    )
    try:
        audiences = {
            r.audience for r in notify_rules.routes_for(Notice.PERPETRATOR_ADDRESS_CHANGED)
        }
    finally:
        notify_rules.ROUTES[Notice.PERPETRATOR_ADDRESS_CHANGED] = original
    assert audiences == {Audience.REFERRING_OFFICER}


def test_protective_events_reach_police_sapv_and_victim():
    for notice in (Notice.PROTECTIVE_MEASURE_OPENED, Notice.BAN_EXTENDED, Notice.MEASURE_CLOSED):
        audiences = {r.audience for r in notify_rules.routes_for(notice)}
        assert audiences == {Audience.REFERRING_OFFICER, Audience.SAPV_CONTACT, Audience.VICTIM}


def test_idempotency_key_is_per_event_recipient_channel():
    a = notify_rules.idempotency_key(1, Audience.SAPV_CONTACT, "u3", notify_rules.Channel.EMAIL)
    b = notify_rules.idempotency_key(1, Audience.SAPV_CONTACT, "u3", notify_rules.Channel.IN_APP)
    assert a != b


def test_passwords_are_argon2id_and_verified():
    digest = auth_rules.hash_password("a long enough password")
    assert digest.startswith("$argon2id$")
    assert auth_rules.verify_password(digest, "a long enough password")
    assert not auth_rules.verify_password(digest, "wrong")
    assert not auth_rules.verify_password("not-a-hash", "anything")
    assert auth_rules.password_problem("short")


def test_tokens_are_stored_as_digests():
    token = auth_rules.new_token()
    assert token.startswith("pt_") and len(token) > 40
    assert auth_rules.token_digest(token) != token
    assert len(auth_rules.token_digest(token)) == 64


def test_case_reference():
    assert case_reference(2026, 42, "bxl") == "BXL-2026-00042"
    assert case_reference(2026, 7, None) == "JH-2026-00007"


def test_frozen_clock_refuses_naive_times():
    with pytest.raises(ValueError, match="timezone-aware"):
        FrozenClock(datetime(2026, 1, 1))
    clock = FrozenClock(NOW)
    clock.advance(timedelta(hours=1))
    assert clock.now() == NOW + timedelta(hours=1)


def test_production_refuses_default_secret_and_sqlite():
    with pytest.raises(ConfigurationError) as err:
        load_settings(env="production")
    message = str(err.value)
    assert "SECRET_KEY" in message and "SQLite" in message


def test_production_accepts_a_real_configuration():
    settings = load_settings(
        env="production",
        secret_key="x" * 40,
        database_url="postgresql://app:pw@db:5432/perp_track",
        public_base_url="https://perp-track.example.be",
        twilio_account_sid="AC" + "0" * 32,
        twilio_auth_token="t" * 32,
        twilio_from="+32460000000",
        smtp_host="smtp.example.be",
    )
    assert settings.postgres_config == {
        "host": "db",
        "port": 5432,
        "database": "perp_track",
        "user": "app",
        "password": "pw",
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("database_url", "mysql://x"),
        ("timezone", "Mars/Olympus"),
        ("port", 0),
        ("web_processes", 0),
    ],
)
def test_bad_settings_say_which_and_why(field, value):
    with pytest.raises(ConfigurationError, match=field.upper()):
        load_settings(**{field: value})


def test_sqlite_path_from_url():
    assert str(load_settings(database_url="sqlite:///./var/x.db").sqlite_path) == "var/x.db"
    assert str(load_settings(database_url="sqlite:////tmp/x.db").sqlite_path) == "/tmp/x.db"
