"""The demo never texts a real person: every demo phone number is in Ofcom's drama range."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from perp_track import demo

DRAMA = re.compile(r"^\+447700900\d{3}$")
SOURCE = Path(demo.__file__).read_text()


def test_every_demo_case_phone_is_a_drama_number():
    phones = [c.phone for c in demo.CASES if c.phone]
    assert phones and all(DRAMA.match(p) for p in phones), phones
    victims = [demo.demo_phone(100 + n) for n in range(1, len(demo.CASES) + 1)]
    assert all(DRAMA.match(p) for p in victims)
    assert len(set(phones) | set(victims)) == len(phones) + len(victims)  # nobody shares one
    assert demo.DRAMA_RANGE == ("+447700900000", "+447700900999")


def test_no_phone_number_is_written_into_the_demo_by_hand():
    """A literal number in the demo's source would escape the range check above."""
    literals = [
        node.value
        for node in ast.walk(ast.parse(SOURCE))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"\+\d{10,15}", node.value)  # whole numbers, not f-string parts
    ]
    assert set(literals) <= set(demo.DRAMA_RANGE), literals


def test_the_range_has_an_end():
    with pytest.raises(ValueError, match="1,000 numbers"):
        demo.demo_phone(1000)
