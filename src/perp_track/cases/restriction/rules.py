"""Who may restrict a case, who may be named on it, and what the list must always hold.

Decisions (README, "Restricted cases"):
- A supervisor or an administrator of the case's justice house restricts it, lifts the
  restriction and keeps its list: they answer for who sees their house's cases. A justice
  assistant, even named, asks them.
- Whoever restricts a case is named on it (they must be able to keep the list), and so is the
  assigned justice assistant (the case's work must go on). The list always keeps at least one
  supervisor or administrator of the house, so that someone can change it; the assigned
  justice assistant cannot be taken off it.
- Only people who could see the case without the restriction can be named: active staff of
  the house, its referring officer, its victim's SAPV contact, the staff of the programme
  providers it is referred to. Being named never gives more than one's role already gives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from perp_track.auth.rules import Role
from perp_track.cases.restriction.errors import RestrictionError
from perp_track.errors import Forbidden, Invalid

MANAGERS = frozenset({Role.SUPERVISOR, Role.ADMIN})


class RestrictionReason(StrEnum):
    """Why a case is restricted (the usual HMPPS grounds)."""

    POLICE_OFFICER_INVOLVED = "police_officer_involved"
    STAFF_MEMBER_INVOLVED = "staff_member_involved"
    PUBLIC_FIGURE_INVOLVED = "public_figure_involved"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Member:
    """A user as the list's rules see them."""

    id: int
    role: Role
    organisation: int


def may_manage(*, role: Role, organisation: int, case_house: int) -> bool:
    return role in MANAGERS and organisation == case_house


def check_manager(*, role: Role, organisation: int, case_house: int) -> None:
    if not may_manage(role=role, organisation=organisation, case_house=case_house):
        raise Forbidden(RestrictionError.FOR_SUPERVISORS)


def check_reason(reason: RestrictionReason, note: str | None) -> None:
    if reason is RestrictionReason.OTHER and not (note or "").strip():
        raise Invalid(RestrictionError.NOTE_REQUIRED, field="note")


def check_list(*, members: Iterable[Member], case_house: int, assigned_ja: int | None) -> None:
    """What the list must hold once changed: the assigned justice assistant, and a manager."""
    members = list(members)
    ids = {m.id for m in members}
    if assigned_ja is not None and assigned_ja not in ids:
        raise Invalid(RestrictionError.KEEP_ASSISTANT, user_id=assigned_ja, field="user_id")
    if not any(m.role in MANAGERS and m.organisation == case_house for m in members):
        raise Invalid(RestrictionError.KEEP_MANAGER, field="user_id")


def eligible(
    user: Member,
    *,
    case_house: int,
    referring_officer: int | None,
    sapv_contact: int | None,
    providers: Iterable[int],
) -> bool:
    """Whether this user could see the case if it were not restricted."""
    if user.role in {Role.JUSTICE_ASSISTANT, Role.SUPERVISOR, Role.ADMIN}:
        return user.organisation == case_house
    if user.role is Role.POLICE_OFFICER:
        return user.id == referring_officer
    if user.role is Role.SAPV_CONTACT:
        return user.id == sapv_contact
    if user.role is Role.PROGRAMME_STAFF:
        return user.organisation in set(providers)
    return False
