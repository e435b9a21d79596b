"""Which language a summons needs an interpreter for, and what a booking reference says."""

from __future__ import annotations

import re

from perp_track.interpreters.rules import booking_reference, needed_language, normalise_language


def test_languages_compare_without_case_or_outer_spaces():
    assert normalise_language("  Arabic ") == "arabic"
    assert normalise_language("Tigrinya  (Eritrea)") == "tigrinya (eritrea)"
    assert normalise_language("   ") is None and normalise_language(None) is None


def test_the_language_needed_typed_then_the_cases_then_the_persons_language():
    def need(requested=None, case_interpreter=None, case="fr", house="fr"):  # type: ignore[no-untyped-def]
        return needed_language(
            requested=requested,
            case_interpreter_language=case_interpreter,
            case_language=case,
            house_language=house,
        )

    assert need() is None
    assert need(case_interpreter="Arabic") == "arabic"
    assert need(requested="Dari", case_interpreter="arabic") == "dari"
    assert need(case="nl", house="fr") == "dutch"
    assert need(case="de", house="nl") == "german"
    assert need(case="nl", house="nl") is None


def test_a_booking_reference_is_random_and_never_the_case_reference():
    refs = {booking_reference() for _ in range(200)}
    assert len(refs) == 200
    assert all(re.fullmatch(r"ITP-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", r) for r in refs)
    assert booking_reference("ABCD2345") == "ITP-ABCD-2345"
