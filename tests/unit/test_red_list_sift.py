"""The red list's search (any case, any accent, every word) and its orders."""

from __future__ import annotations

from datetime import date

from perp_track.cases.rules import RiskLevel
from perp_track.redlist.schemas import RedListEntry
from perp_track.risk.rules import DEFAULT_POLICY, Tiers
from perp_track.ui.pages.police import sift_red_list

RANK = Tiers(DEFAULT_POLICY).sort_rank


def _entry(address: str, ends: date | None, risk: RiskLevel) -> RedListEntry:
    return RedListEntry(
        address=address,
        ban="residence_ban",
        starts_on=date(2026, 11, 20),
        ends_on=ends,
        case_reference="LIE-1",
        risk_level=risk,
    )


ENTRIES = [
    _entry("Rue Saint-Gilles 112, 4000 Liège", date(2026, 12, 20), RiskLevel.MEDIUM),
    _entry("Quai de Rome 4, 4000 Liège", date(2026, 12, 5), RiskLevel.LOW),
    _entry("Rue de Herve 9, 4020 Liège", None, RiskLevel.SEVERE),
    _entry("Grand-Place 1, 4800 Verviers", date(2026, 12, 10), RiskLevel.HIGH),
]


def test_search_ignores_case_and_accents_and_needs_every_word() -> None:
    found = sift_red_list(ENTRIES, search="liege  SAINT", sort="ends", rank_of=RANK)
    assert [e.address for e in found] == ["Rue Saint-Gilles 112, 4000 Liège"]
    assert len(sift_red_list(ENTRIES, search="4000", sort="ends", rank_of=RANK)) == 2
    assert sift_red_list(ENTRIES, search="Namur", sort="ends", rank_of=RANK) == []


def test_orders_ending_first_highest_risk_first_and_by_address() -> None:
    ends = [e.ends_on for e in sift_red_list(ENTRIES, search="", sort="ends", rank_of=RANK)]
    assert ends == [date(2026, 12, 5), date(2026, 12, 10), date(2026, 12, 20), None]
    risks = [e.risk_level for e in sift_red_list(ENTRIES, search="", sort="risk", rank_of=RANK)]
    assert risks == [RiskLevel.SEVERE, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW]
    first = sift_red_list(ENTRIES, search="", sort="address", rank_of=RANK)[0]
    assert first.address.startswith("Grand-Place")
