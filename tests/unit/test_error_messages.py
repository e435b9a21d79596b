"""The services' errors as the pages show them: in the reader's language, by their code.

tests/unit/test_error_codes.py holds every code to its words in FR, NL and EN."""

from __future__ import annotations

from datetime import date

import pytest

from perp_track.errors import Conflict, Forbidden, Invalid, NotFound
from perp_track.measures import rules as measure_rules
from perp_track.measures.errors import MeasureError
from perp_track.measures.rules import Actor, MeasureEvent, MeasureKind, MeasureStatus
from perp_track.measures.services import check_version
from perp_track.summons import rules as summons_rules
from perp_track.summons.rules import SummonsStatus
from perp_track.ui.error_messages import error_text


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
    lasts = Invalid(
        MeasureError.DURATION_OUT_OF_RANGE,
        kind=MeasureKind.PROBATION,
        min_days=365,
        latest=date(2031, 12, 1),
        length=30,
    )
    assert "1 déc. 2031" in error_text("fr", lasts)
    assert "30" in error_text("fr", lasts)


def test_an_unknown_error_falls_back_on_its_class_never_on_english():
    assert error_text("fr", Conflict("something nobody foresaw")).startswith("Ce n'est pas")
    assert error_text("nl", Invalid("something nobody foresaw")) != "something nobody foresaw"
    assert error_text("fr", Forbidden("a sentence for the API")) == (
        "votre rôle ne permet pas cette action"
    )
    assert "something" not in error_text("fr", NotFound("something 12 not found"))
