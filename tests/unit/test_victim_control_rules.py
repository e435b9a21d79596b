"""The pure rules of her number's confirmation and of the pace of her updates."""

from __future__ import annotations

from perp_track.config import Settings
from perp_track.notify.victim_control import rules
from perp_track.notify.victim_control.rules import HeldUpdate, HoldReason, NumberStatus, Pace

KEY = "k" * 40


def test_codes_are_six_digits_sealed_and_checked_without_being_stored():
    codes = {rules.new_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 190  # drawn at random, not a sequence
    code = "042917"
    digest, sealed = rules.hash_code(code, KEY), rules.seal_code(code, KEY)
    assert code not in digest and code not in sealed
    assert rules.open_code(sealed, KEY) == code
    assert rules.open_code(sealed, "another key" * 4) is None
    assert rules.code_matches(digest, code, KEY)
    assert not rules.code_matches(digest, "042918", KEY)
    # Under another SECRET_KEY the same code gives another digest: the table alone tells nothing.
    assert rules.hash_code(code, "x" * 40) != digest


def test_what_counts_as_a_code_attempt():
    assert rules.code_attempt(" 042 917 ") == "042917"
    assert rules.code_attempt("04.29.17") == "042917"
    for text in ("Bonjour", "STOP", "12", "12345678901", "code 042917", ""):
        assert rules.code_attempt(text) is None


def _confirmation(state: str, phone: str = "+32470333444") -> dict:
    return {"state": state, "phone": phone}


def test_only_a_confirmation_of_her_current_number_counts():
    phone = "+32470333444"
    assert rules.number_status(None, phone) is NumberStatus.NONE
    assert rules.number_status(_confirmation("confirmed"), phone) is NumberStatus.CONFIRMED
    assert rules.number_status(_confirmation("confirmed", "+32470999999"), phone) is (
        NumberStatus.NONE
    )
    assert rules.number_status(_confirmation("replaced"), phone) is NumberStatus.NONE
    assert rules.number_status(_confirmation("blocked"), phone) is NumberStatus.BLOCKED


def test_an_update_waits_for_a_confirmed_number_and_for_her_pace():
    assert rules.hold_reason(status=NumberStatus.CONFIRMED, paused=False) is None
    assert rules.hold_reason(status=NumberStatus.CONFIRMED, paused=True) is HoldReason.PAUSED
    for status in (NumberStatus.NONE, NumberStatus.WAITING):
        assert rules.hold_reason(status=status, paused=False) is HoldReason.UNCONFIRMED
    assert rules.hold_reason(status=NumberStatus.BLOCKED, paused=True) is (
        HoldReason.NUMBER_BLOCKED
    )


def test_the_pause_and_resume_words_of_each_language():
    settings = Settings()
    pause, resume = settings.victim_pause_words, settings.victim_resume_words
    for word in ("PAUSE", "Pauze", "pause", " pause! "):
        assert rules.pace_word(word, pause, resume) is Pace.PAUSE
    for word in ("REPRENDRE", "Hervat", "hervatten", "RESUME", "résume"):
        assert rules.pace_word(word, pause, resume) is Pace.RESUME
    for text in ("STOP", "pause please", "", "Bonjour"):
        assert rules.pace_word(text, pause, resume) is None


def test_a_held_update_is_dropped_only_for_a_later_one_of_the_same_kind_and_measure():
    held = [
        HeldUpdate(1, "protection_ending", case_id=10, measure_id=100),  # 7 days: stale
        HeldUpdate(2, "protection_ending", case_id=10, measure_id=200),  # another measure
        HeldUpdate(3, "protective_measure_opened", case_id=10, measure_id=300),
        HeldUpdate(4, "protection_ending", case_id=10, measure_id=100),  # tomorrow
        HeldUpdate(5, "authority_decision", case_id=10, measure_id=100),
        HeldUpdate(6, "authority_decision", case_id=10, measure_id=100),  # news, both kept
        HeldUpdate(7, "ban_extended", case_id=10, measure_id=100),
        HeldUpdate(8, "ban_extended", case_id=11, measure_id=100),  # another case
        HeldUpdate(9, "ban_extended", case_id=10, measure_id=100),  # the end date that counts
    ]
    assert rules.superseded(held) == {1, 7}
    assert rules.superseded(reversed(held)) == {1, 7}
    assert rules.superseded([]) == set()
    assert {"protection_ending", "ban_extended", "adp_renewed"} <= rules.SUPERSEDED_KINDS
    assert "protective_measure_opened" not in rules.SUPERSEDED_KINDS
