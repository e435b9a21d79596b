"""Every domain error has a code, and every code its words in French, Dutch and English."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from perp_track.error_codes import DOMAINS
from perp_track.errors import (
    Conflict,
    DomainError,
    ErrorCode,
    Forbidden,
    Invalid,
    NotFound,
    RecordError,
)
from perp_track.i18n.catalogs import translations
from perp_track.i18n.errors import FALLBACK, VALIDATION, error_message, requested_language
from perp_track.measures.errors import ConditionError, MeasureError
from perp_track.measures.rules import MeasureKind

SRC = Path(__file__).resolve().parents[2] / "src" / "perp_track"
CODES = [code for domain in DOMAINS for code in domain]
ERRORS = {"NotFound", "Conflict", "Forbidden", "Invalid", "Unauthenticated", "TooManyAttempts"}


def test_codes_are_unique_and_named_by_their_domain():
    values = [str(c) for c in CODES]
    assert len(values) == len(set(values))
    assert all(re.fullmatch(r"[a-z]+\.[a-z_]+", v) for v in values)


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_every_code_has_its_message_in_each_language(language):
    catalog = translations(language)
    missing = [str(c) for c in CODES if not catalog._catalog.get(c.message)]  # type: ignore[attr-defined]
    assert not missing, f"no {language} message for: {missing}"


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_no_message_of_an_error_is_left_in_english(language):
    catalog = translations(language)
    msgids = [c.message for c in CODES] + [*FALLBACK.values(), *VALIDATION.values()]
    untranslated = [m for m in msgids if catalog.gettext(m) == m]
    assert not untranslated, untranslated


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_each_translation_uses_only_the_params_of_its_code(language):
    catalog = translations(language)
    for code in CODES:
        given = set(re.findall(r"%\((\w+)\)s", code.message))
        used = set(re.findall(r"%\((\w+)\)s", catalog.gettext(code.message)))
        assert used <= given, (code, used - given)


def test_every_domain_error_raised_in_the_source_carries_a_code():
    """No service raises an English sentence: the first argument is a code (or a variable
    holding one, e.g. what a rule returned)."""
    sentences = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            call = node.exc if isinstance(node, ast.Raise) else None
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
                continue
            if call.func.id in ERRORS and call.args:
                first = call.args[0]
                if isinstance(first, ast.Constant | ast.JoinedStr | ast.BinOp):
                    sentences.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not sentences, sentences


def test_the_english_of_a_code_is_the_api_sentence_and_params_stay_plain():
    exc = Invalid(
        MeasureError.DURATION_OUT_OF_RANGE,
        kind=MeasureKind.PROBATION,
        min_days=365,
        latest=date(2031, 12, 1),
        length=30,
    )
    assert str(exc) == (
        "a probation measure lasts from 365 days up to 2031-12-01; 30 days were given"
    )
    assert exc.code is MeasureError.DURATION_OUT_OF_RANGE
    assert exc.extra == {"kind": "probation", "min_days": 365, "latest": "2031-12-01", "length": 30}
    assert "1 déc. 2031" in error_message(exc, "fr")
    assert "30" in error_message(exc, "fr")
    assert "probation" not in error_message(exc, "fr").lower().replace("probatoire", "")


def test_a_condition_code_returned_by_a_rule_is_raised_with_its_words():
    exc = Invalid(ConditionError.PROGRAMME_NEEDS_PROVIDER)
    assert str(exc) == "a programme condition needs the provider organisation"
    assert error_message(exc, "nl") != str(exc)


def test_a_sentence_without_a_code_is_said_by_its_class():
    assert error_message(Conflict("something nobody foresaw"), "fr").startswith("Ce n'est pas")
    assert error_message(Forbidden("x"), "fr") == "votre rôle ne permet pas cette action"
    assert "something" not in error_message(NotFound("something 12 not found"), "nl")
    assert error_message(Invalid("for the API"), None) == "for the API"


def test_the_api_language_comes_from_accept_language_only_when_we_have_it():
    assert requested_language(None) is None
    assert requested_language("de-DE, de;q=0.9") is None
    assert requested_language("nl-BE,nl;q=0.9,en;q=0.8") == "nl"
    assert requested_language("de, en;q=0.5, fr;q=0.7") == "fr"
    assert requested_language("fr;q=0, en") == "en"


def test_an_error_code_is_a_string_and_an_error_code_type():
    assert isinstance(RecordError.CHANGED_MEANWHILE, ErrorCode)
    assert RecordError.CHANGED_MEANWHILE == "record.changed_meanwhile"
    assert issubclass(type(Conflict(RecordError.CHANGED_MEANWHILE, record="case")), DomainError)


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_every_word_of_the_printed_documents_is_in_the_catalog(language):
    from perp_track.measures import labels

    catalog = translations(language)
    missing = [
        context
        for table in (labels.WORDS, labels._TERMS, labels._REASONS)
        for context, msgid in table.values()
        if not catalog._catalog.get(f"{context}\x04{msgid}")  # type: ignore[attr-defined]
    ]
    assert not missing, missing


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_every_word_of_the_messages_is_in_the_catalog_and_in_german(language):
    from perp_track.notify import words

    catalog = translations(language)
    missing = [
        context
        for context, msgid in words._WORDS.values()
        if not catalog._catalog.get(f"{context}\x04{msgid}")  # type: ignore[attr-defined]
    ]
    assert not missing, missing
    assert set(words._GERMAN) == set(words._WORDS)
    assert words.lookup("warrant_issued", "de") == "Haftbefehl erlassen"
