"""Phone numbers as people write them, stored in E.164; a Belgian number needs no country code."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from perp_track.cases.schemas import PersonIn


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0470 12 34 56", "+32470123456"),
        ("0470/12.34.56", "+32470123456"),
        ("0032 470 12 34 56", "+32470123456"),
        ("+32 470 12 34 56", "+32470123456"),
        ("+32470123456", "+32470123456"),
        ("+33 6 12 34 56 78", "+33612345678"),
    ],
)
def test_a_number_is_stored_in_e164(typed, stored):
    assert PersonIn(first_name="A", last_name="B", phone=typed).phone == stored


@pytest.mark.parametrize("typed", ["0470", "0470 12", "Isabelle +32470555666", "+32 0", "12345"])
def test_a_number_that_is_not_one_is_refused_without_repeating_it(typed):
    with pytest.raises(ValidationError) as caught:
        PersonIn(first_name="A", last_name="B", phone=typed)
    (error,) = caught.value.errors()
    assert error["loc"] == ("phone",)
    assert error["type"] in {"phone_number", "string_pattern_mismatch"}
    assert typed not in error["msg"]


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("+44 7700 900123", True),  # Ofcom's drama range: nobody's, used by the demo
        ("+447700900999", True),
        ("+44 7700 901123", False),  # the next range is nobody's either, but not set aside
    ],
)
def test_only_the_drama_range_is_taken_beside_valid_numbers(typed, accepted):
    if accepted:
        assert PersonIn(first_name="A", last_name="B", phone=typed).phone.startswith("+447700900")
    else:
        with pytest.raises(ValidationError):
            PersonIn(first_name="A", last_name="B", phone=typed)
