"""The services' errors as the pages show them: in the reader's language, every one of them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from perp_track.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from perp_track.measures import rules as measure_rules
from perp_track.measures.rules import Actor, MeasureEvent, MeasureStatus
from perp_track.measures.services import check_version
from perp_track.summons import rules as summons_rules
from perp_track.summons.rules import SummonsStatus
from perp_track.ui.error_messages import EXACT, FALLBACK, RULES, error_text, is_known
from perp_track.ui.i18n import translations

SRC = Path(__file__).resolve().parents[2] / "src" / "perp_track"

# The modules whose functions the pages call, and the rules those functions apply.
PAGE_SERVICES = (
    "cases/services.py",
    "cases/caseload.py",
    "cases/caseload_reads.py",
    "cases/statistics.py",
    "measures/services.py",
    "measures/rules.py",
    "measures/condition_rules.py",
    "measures/conditions.py",
    "measures/reports.py",
    "measures/printable.py",
    "measures/documents.py",
    "summons/services.py",
    "summons/rules.py",
    "summons/programme.py",
    "summons/programme_reads.py",
    "notify/inbox.py",
    "notify/profiles.py",
    "notify/victim_phone.py",
    "partners/services.py",
    "redlist/services.py",
    "ui/rules.py",
    "ui/sessions.py",
    "ui/services.py",
)
# What a formatted part of a message stands for, by a word of its expression.
SAMPLES = (
    ("isoformat", "2026-12-01"),
    ("version", "3"),
    ("expected", "2"),
    ("days", "90"),
    ("length", "120"),
    ("renewal", "90"),
    ("done", "12"),
    ("due", "10"),
    ("_id", "42"),
    ("status", "active"),
    ("event", "suspend"),
    ("outcome", "attended"),
    ("action", "cancel"),
    ("kind", "probation"),
)


# A rule that names its subject in words: the words its callers pass.
WHAT = {
    "measures/rules.py": ("a measure", "a temporary residence ban measure"),
    "summons/rules.py": ("a summons", "the new time"),
}


def _sample(expression: str) -> str:
    return next((value for word, value in SAMPLES if word in expression), "someone")


def _render(node: ast.expr, what: str) -> str | None:
    """A message the raise could produce, its formatted parts filled with plausible values."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            elif isinstance(value, ast.FormattedValue):
                expression = ast.unparse(value.value)
                parts.append(what if expression == "what" else _sample(expression))
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _render(node.left, what)
        return None if left is None else left + "; allowed: suspend"
    return None


def _raised() -> list[tuple[str, DomainError]]:
    kinds = {"Conflict": Conflict, "Invalid": Invalid}
    found = []
    for module in PAGE_SERVICES:
        tree = ast.parse((SRC / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            call = node.exc if isinstance(node, ast.Raise) else None
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
                continue
            if call.func.id not in kinds or not call.args:
                continue
            for what in WHAT.get(module, ("someone",)):
                message = _render(call.args[0], what)
                if message is not None:
                    found.append((f"{module}:{node.lineno}", kinds[call.func.id](message)))
    # What condition_problem() returns is raised as it is (measures/services.check_condition).
    for node in ast.walk(ast.parse((SRC / "measures/rules.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef) and node.name == "condition_problem":
            for ret in ast.walk(node):
                value = ret.value if isinstance(ret, ast.Return) else None
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.append(("condition_problem", Invalid(value.value)))
    return found


def test_every_error_the_pages_services_raise_has_words_of_its_own():
    raised = _raised()
    assert len(raised) > 60
    unknown = [f"{where}: {exc.message}" for where, exc in raised if not is_known(exc)]
    assert not unknown, "add a rule to ui/error_messages.py RULES:\n" + "\n".join(unknown)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_every_page_message_of_an_error_is_translated(language):
    catalog = translations(language)
    msgids = [*EXACT, *(r.msgid for r in RULES), *FALLBACK.values()]
    untranslated = [m for m in msgids if catalog.gettext(m) == m]
    assert not untranslated, untranslated


def test_an_illegal_transition_in_french_dutch_and_english():
    with pytest.raises(Conflict) as caught:
        measure_rules.next_status(
            MeasureStatus.COMPLETED, MeasureEvent.SUSPEND, Actor.JUSTICE_ASSISTANT
        )
    assert error_text("fr", caught.value) == (
        "Une mesure au statut « Réussie » ne peut pas passer par l'étape « Suspendre ». "
        "Plus rien n'est possible depuis ce statut."
    )
    assert "Suspend" in error_text("en", caught.value)
    assert "“Schorsen”" in error_text("nl", caught.value)
    with pytest.raises(Conflict) as caught:
        measure_rules.next_status(
            MeasureStatus.ACTIVE, MeasureEvent.ASSIGN, Actor.JUSTICE_ASSISTANT
        )
    text = error_text("fr", caught.value)
    assert text.startswith("Une mesure au statut « En cours »")
    assert "Possible à partir d'ici : " in text and "Suspendre" in text


def test_a_stale_version_in_each_language():
    with pytest.raises(Conflict) as caught:
        check_version("measure", {"version": 4}, 3)
    assert error_text("fr", caught.value).startswith("Quelqu'un a modifié cet enregistrement")
    assert error_text("nl", caught.value).startswith("Iemand heeft dit gegeven gewijzigd")
    assert error_text("en", caught.value).startswith("Someone changed this record")


def test_codes_become_labels_and_dates_are_localised():
    with pytest.raises(Conflict) as caught:
        summons_rules.check_open(SummonsStatus.CANCELLED, "cancel")
    assert "« Annulée »" in error_text("fr", caught.value)
    lasts = Invalid("a probation measure lasts from 365 days up to 2031-12-01; 30 days were given")
    assert "1 déc. 2031" in error_text("fr", lasts)
    assert "30" in error_text("fr", lasts)


def test_an_unknown_error_falls_back_on_its_class_never_on_english():
    assert error_text("fr", Conflict("something nobody foresaw")).startswith("Ce n'est pas")
    assert error_text("nl", Invalid("something nobody foresaw")) != "something nobody foresaw"
    assert error_text("fr", Forbidden("a sentence for the API")) == (
        "votre rôle ne permet pas cette action"
    )
    assert "something" not in error_text("fr", NotFound("something 12 not found"))
