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
