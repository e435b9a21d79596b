"""The demo never texts a real person: every demo phone number is in Ofcom's drama range."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import perp_track.demo
from perp_track.demo.cases import CASES
from perp_track.demo.phones import DRAMA_RANGE, demo_phone

DRAMA = re.compile(r"^\+447700900\d{3}$")
SOURCES = sorted(Path(perp_track.demo.__file__).parent.glob("*.py"))


def test_every_demo_case_phone_is_a_drama_number():
    phones = [c.phone for c in CASES if c.phone]
    assert phones and all(DRAMA.match(p) for p in phones), phones
    victims = [demo_phone(100 + n) for n in range(1, len(CASES) + 1)]
    assert all(DRAMA.match(p) for p in victims)
    assert len(set(phones) | set(victims)) == len(phones) + len(victims)  # nobody shares one
    assert DRAMA_RANGE == ("+447700900000", "+447700900999")


def test_no_phone_number_is_written_into_the_demo_by_hand():
    """A literal number in the demo's source would escape the range check above."""
    assert len(SOURCES) > 1  # the demo's modules, not only its package's docstring
    literals = [
        node.value
        for source in SOURCES
        for node in ast.walk(ast.parse(source.read_text()))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"\+\d{10,15}", node.value)  # whole numbers, not f-string parts
    ]
    assert set(literals) <= set(DRAMA_RANGE), literals


def test_the_range_has_an_end():
    with pytest.raises(ValueError, match="1,000 numbers"):
        demo_phone(1000)
