"""Possible duplicates of a person about to get a case: the same name and birth date, or the
same phone, on a case of the same justice house. Shown before the case is opened, so that the
justice assistant links the mandate to the file that exists, or goes on knowingly."""

from __future__ import annotations

from typing import Any

from perp_track import db
from perp_track.auth.rules import ActingUser
from perp_track.cases.access import visible
from perp_track.cases.schemas import CaseCreate
from perp_track.cases.tables import Case
from perp_track.schemas import Out


class PossibleDuplicate(Out):
    case_id: int
    reference: str
    status: str
    first_name: str
    last_name: str
    same_name_and_birth_date: bool
    same_phone: bool


async def possible_duplicates(*, actor: ActingUser, data: CaseCreate) -> list[PossibleDuplicate]:
    """The cases of the actor's justice house whose person followed may be this one."""
    person = data.perpetrator
    op = "ilike" if db.is_postgres() else "like"
    named: Any = getattr(Case.perpetrator.last_name, op)(person.last_name.strip()) & getattr(
        Case.perpetrator.first_name, op
    )(person.first_name.strip())
    if person.birth_date is not None:
        named &= Case.perpetrator.birth_date == person.birth_date
    else:
        named = None  # a name alone is too common to warn about
    where: Any = None
    if named is not None:
        where = named
    if person.phone:  # stored in E.164 (schemas.PhoneNumber): equal numbers are equal strings
        by_phone = Case.perpetrator.phone == person.phone
        where = by_phone if where is None else (where | by_phone)
    if where is None:
        return []
    rows = await Case.select(
        Case.id,
        Case.reference,
        Case.status,
        Case.perpetrator.first_name.as_alias("first_name"),
        Case.perpetrator.last_name.as_alias("last_name"),
        Case.perpetrator.birth_date.as_alias("birth_date"),
        Case.perpetrator.phone.as_alias("phone"),
    ).where((Case.justice_house == actor.organisation_id) & visible(Case.id, actor) & where)
    found = []
    for row in rows:
        same_name = (
            person.birth_date is not None
            and row["birth_date"] == person.birth_date
            and row["last_name"].casefold() == person.last_name.strip().casefold()
            and row["first_name"].casefold() == person.first_name.strip().casefold()
        )
        same_phone = bool(person.phone) and row["phone"] == person.phone
        if same_name or same_phone:
            found.append(
                PossibleDuplicate(
                    case_id=row["id"],
                    reference=row["reference"],
                    status=row["status"],
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    same_name_and_birth_date=same_name,
                    same_phone=same_phone,
                )
            )
    return sorted(found, key=lambda d: d.reference)
