from datetime import UTC, datetime, timedelta

import pyotp

from perp_track.audit import rules as audit_rules
from perp_track.auth import rules
from perp_track.auth.rules import LoginOutcome

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=30)


def fails(n: int, start: datetime = T0, every: timedelta = timedelta(minutes=1)):
    return [(start + i * every, LoginOutcome.WRONG_PASSWORD.value) for i in range(n)]


def test_five_failures_do_not_lock_six_do_for_thirty_minutes():
    now = T0 + timedelta(minutes=6)
    assert rules.locked_until(fails(5), now=now, max_failures=6, window=WINDOW) is None
    until = rules.locked_until(fails(6), now=now, max_failures=6, window=WINDOW)
    assert until == T0 + timedelta(minutes=5) + WINDOW
    later = until + timedelta(seconds=1)
    assert rules.locked_until(fails(6), now=later, max_failures=6, window=WINDOW) is None


def test_a_success_resets_the_count_and_locked_attempts_do_not_extend_the_lock():
    attempts = [*fails(5), (T0 + timedelta(minutes=5, seconds=30), "ok")]
    attempts += fails(5, start=T0 + timedelta(minutes=6))
    now = T0 + timedelta(minutes=12)
    assert rules.locked_until(attempts, now=now, max_failures=6, window=WINDOW) is None
    locked = [*fails(6), *((T0 + timedelta(minutes=10 + i), "locked") for i in range(5))]
    until = rules.locked_until(locked, now=now, max_failures=6, window=WINDOW)
    assert until == T0 + timedelta(minutes=5) + WINDOW


def test_a_missing_second_factor_is_not_a_guess():
    attempts = [(T0 + timedelta(seconds=i), "second_factor_missing") for i in range(10)]
    assert rules.locked_until(attempts, now=T0 + WINDOW / 2, max_failures=6, window=WINDOW) is None


def test_totp_accepts_a_current_code_once_and_one_step_of_drift():
    secret = rules.new_totp_secret()
    totp = pyotp.TOTP(secret)
    code = totp.at(T0)
    step = rules.totp_match(secret, code, at=T0, last_step=None)
    assert step == rules.totp_step(T0)
    assert rules.totp_match(secret, code, at=T0, last_step=step) is None  # replay
    assert rules.totp_match(secret, code, at=T0 + timedelta(seconds=30), last_step=None) == step
    assert rules.totp_match(secret, code, at=T0 + timedelta(minutes=3), last_step=None) is None
    assert rules.totp_match(secret, "12345x", at=T0, last_step=None) is None
    assert rules.totp_uri(secret, email="a@b.example", issuer="perp-track").startswith(
        "otpauth://totp/perp-track:a%40b.example?secret="
    )


def _entry(i: int, prev: str) -> dict:
    entry = {
        "id": i,
        "occurred_at": T0 + timedelta(seconds=i),
        "actor_id": 3,
        "actor_role": "justice_assistant",
        "action": "read",
        "record_type": "person:victim",
        "record_id": 7,
        "case_id": 2,
        "person_id": 7,
        "fields": ["phone", "address"],
        "detail": "case read",
        "request_id": "abc",
        "prev_hash": prev,
    }
    entry["entry_hash"] = audit_rules.entry_hash(prev, entry)
    return entry


def test_the_hash_chain_shows_an_edited_or_removed_entry():
    chain, prev = [], audit_rules.GENESIS
    for i in range(1, 5):
        chain.append(_entry(i, prev))
        prev = chain[-1]["entry_hash"]
    assert audit_rules.first_break(chain) is None
    edited = [dict(e) for e in chain]
    edited[1]["fields"] = ["phone"]
    assert audit_rules.first_break(edited) == 2
    assert audit_rules.first_break([chain[0], *chain[2:]]) == 3
    # The same instant in another zone is the same entry.
    moved = dict(chain[0], occurred_at=chain[0]["occurred_at"].astimezone(audit_rules.UTC))
    assert audit_rules.entry_hash(audit_rules.GENESIS, moved) == chain[0]["entry_hash"]


def test_the_totp_secret_is_sealed_under_the_secret_key():
    secret = rules.new_totp_secret()
    sealed = rules.seal_totp_secret(secret, "k" * 40)
    assert secret not in sealed
    assert len(sealed) <= 255
    assert rules.open_totp_secret(sealed, "k" * 40) == secret
    assert rules.open_totp_secret(sealed, "another key, another deployment") is None
