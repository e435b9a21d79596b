"""Find a case of one's justice house by its reference, whoever follows it.

Justice-house staff run every case of their house (rules.may_run_case, DOMAIN §2): a colleague
on leave, a breach reported on a case one does not follow, a call from the police quoting a
reference. So the search covers the reader's whole house and opens the case as any case of the
house opens; it never reaches another house (a reference there is simply not found)."""

from __future__ import annotations

from typing import Any

from perp_track.auth.rules import JUSTICE_HOUSE_STAFF, ActingUser
from perp_track.cases.errors import CaseError
from perp_track.cases.rules import reference_needle
from perp_track.cases.tables import Case
from perp_track.cases.visibility import visible
from perp_track.errors import Forbidden

MAX_FOUND = 10


async def find_by_reference(*, actor: ActingUser, text: str) -> list[dict[str, Any]]:
    """The cases of the reader's house whose reference is the one typed, or ends with it; the
    exact one first. Empty when the text cannot be a reference."""
    if actor.role not in JUSTICE_HOUSE_STAFF:
        raise Forbidden(CaseError.LIST_FOR_STAFF)
    needle = reference_needle(text)
    if needle is None:
        return []
    exact, suffix = needle
    # Letters, digits and dashes only (reference_needle): nothing for LIKE to read as a pattern.
    rows = await (
        Case.select(
            Case.id,
            Case.reference,
            Case.status,
            Case.assigned_ja,
            Case.assigned_ja.full_name.as_alias("ja_name"),
            Case.perpetrator.first_name.as_alias("first_name"),
            Case.perpetrator.last_name.as_alias("last_name"),
        )
        .where(
            (Case.justice_house == actor.organisation_id)
            & ((Case.reference == exact) | Case.reference.like(f"%{suffix}"))
            # A restricted case the reader is not named on is not found, as it does not exist.
            & visible(Case.id, actor)
        )
        .order_by(Case.reference)
        .limit(MAX_FOUND + 1)
    )
    rows.sort(key=lambda r: r["reference"] != exact)
    return rows
