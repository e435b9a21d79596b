"""Facts of a running case changed after it was opened: the perpetrator's contact details, the
justice assistant who holds the case, the referring police officer (and so the zone).

Each change sends the case version it read (a stale one is a 409 and changes nothing), moves
the version on, goes on the timeline and the audit trail (record_event), and queues in the same
transaction what the routing table says the change tells (DOMAIN §4): the perpetrator's address
tells the referring officer only; a new justice assistant or a new referring officer is told the
case is theirs. The risk level has its own reassessment and is not changed here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from perp_track import db
from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.tables import User
from perp_track.cases.access import record_event, scoped_case
from perp_track.cases.errors import CaseError
from perp_track.cases.rules import CaseStatus, EventKind, PersonRole
from perp_track.cases.schemas import (
    CaseChanged,
    PerpetratorChange,
    ReassignIn,
    ReferringOfficerIn,
)
from perp_track.cases.services import _user_in_role
from perp_track.cases.tables import Case, CaseAccess, Person
from perp_track.clock import Clock
from perp_track.errors import Conflict, Forbidden, Invalid, RecordError
from perp_track.measures.rules import MeasureEvent, MeasureStatus
from perp_track.measures.services import apply_transition
from perp_track.measures.tables import Measure
from perp_track.notify import safety
from perp_track.notify.rules import Audience, Notice, NotificationState
from perp_track.notify.tables import Notification
from perp_track.orgs.tables import Organisation


async def _open_case(actor: ActingUser, case_id: int, version: int) -> dict[str, Any]:
    case = await scoped_case(actor, case_id)
    if case["version"] != version:
        raise Conflict(
            RecordError.CHANGED_SINCE_READ,
            record="case",
            current_version=case["version"],
            version=version,
        )
    if case["status"] != CaseStatus.OPEN:
        raise Conflict(CaseError.CASE_CLOSED)
    return case


async def _bump(case: dict[str, Any], values: dict[Any, Any] | None = None) -> dict[str, Any]:
    """The case's next version (with values), if nobody moved it since it was read."""
    updated = (
        await Case.update({Case.version: case["version"] + 1, **(values or {})})
        .where((Case.id == case["id"]) & (Case.version == case["version"]))
        .returning(Case.id)
    )
    if not updated:
        raise Conflict(RecordError.CHANGED_MEANWHILE, record="case")
    row = await Case.select().where(Case.id == case["id"]).first()
    assert row is not None
    return row


async def _victim_numbers() -> set[str]:
    """Every victim's number: a perpetrator may not take one (DOMAIN §5, shared numbers)."""
    rows = await Person.select(Person.phone).where(
        (Person.role == PersonRole.VICTIM) & Person.phone.is_not_null()
    )
    return {safety.normalise_phone(r["phone"]) for r in rows}


def _same(name: str, new: str, old: str | None) -> bool:
    if name == "phone":
        return safety.normalise_phone(new) == safety.normalise_phone(old)
    return new == old


async def change_perpetrator(
    *, actor: ActingUser, case_id: int, data: PerpetratorChange, clock: Clock
) -> CaseChanged:
    """The perpetrator's phone, e-mail, address or language, corrected or reported.

    The dispatcher reads the number and renders the body when it sends, so the old number gets
    nothing more from the moment the change is saved: queued SMS (reminders included) go to the
    new number. A changed language is carried onto his queued messages, which are then written
    in it. A number already a victim's is refused.
    """
    now = clock.now()
    asked = data.changed_facts()
    async with db.transaction():
        case = await _open_case(actor, case_id, data.version)
        person = await Person.select().where(Person.id == case["perpetrator"]).first()
        assert person is not None
        if "phone" in asked:
            new = safety.normalise_phone(asked["phone"])
            if new in await _victim_numbers():
                raise Invalid(CaseError.SHARED_PHONE, field="phone")
        changed = {
            name: value for name, value in asked.items() if not _same(name, value, person[name])
        }
        if not changed:
            raise Invalid(CaseError.NOTHING_CHANGED, field=next(iter(asked)))
        case = await _bump(case)
        await Person.update(
            {getattr(Person, name): value for name, value in changed.items()}
        ).where(Person.id == person["id"])
        if "language" in changed:
            await Notification.update({Notification.language: changed["language"]}).where(
                (Notification.recipient_person == person["id"])
                & (Notification.audience == Audience.PERPETRATOR)
                & (Notification.state == NotificationState.QUEUED)
            )
        contact = sorted(name for name in changed if name != "address")
        if contact:
            # The values stay off the timeline: it says which facts changed, not what they are.
            await record_event(
                case=case,
                kind=EventKind.PERPETRATOR_CONTACT_CHANGED,
                actor=actor,
                now=now,
                data={"fields": contact},
            )
        if "address" in changed:
            await record_event(
                case=case,
                kind=EventKind.PERPETRATOR_ADDRESS_CHANGED,
                actor=actor,
                now=now,
                notices=[(Notice.PERPETRATOR_ADDRESS_CHANGED, {"address": changed["address"]})],
            )
    return CaseChanged(case_id=case_id, version=case["version"], changed=sorted(changed))


async def _name(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    row = await User.select(User.full_name).where(User.id == user_id).first()
    return row["full_name"] if row else None


async def _name_on_restricted_case(
    case: dict[str, Any], user_id: int, *, actor: ActingUser, now: datetime
) -> None:
    """The assigned justice assistant is always named on a restricted case (its restriction
    rules): a new one is added to the list with the reassignment, in the same transaction."""
    named = await CaseAccess.exists().where(
        (CaseAccess.case == case["id"]) & (CaseAccess.user == user_id)
    )
    if named:
        return
    await CaseAccess(case=case["id"], user=user_id, added_by=actor.id, added_at=now).save()
    await record_event(
        case=case,
        kind=EventKind.CASE_ACCESS_GRANTED,
        actor=actor,
        now=now,
        data={"user_id": user_id, "name": await _name(user_id)},
    )


async def reassign_case(
    *, actor: ActingUser, case_id: int, data: ReassignIn, clock: Clock
) -> CaseChanged:
    """A supervisor gives the case to another justice assistant of the house, who is told."""
    if actor.role is not Role.SUPERVISOR:
        raise Forbidden(CaseError.REASSIGNED_BY_SUPERVISOR)
    now = clock.now()
    async with db.transaction():
        case = await _open_case(actor, case_id, data.version)
        ja = await _user_in_role(
            data.assigned_ja_id, Role.JUSTICE_ASSISTANT, "justice assistant", field="assigned_ja_id"
        )
        if ja["organisation"] != case["justice_house"]:
            raise Invalid(CaseError.ASSISTANT_ELSEWHERE, field="assigned_ja_id")
        if case["assigned_ja"] == data.assigned_ja_id:
            raise Invalid(CaseError.NOTHING_CHANGED, field="assigned_ja_id")
        previous = case["assigned_ja"]
        case = await _bump(case, {Case.assigned_ja: data.assigned_ja_id})
        if case.get("restricted"):
            await _name_on_restricted_case(case, data.assigned_ja_id, actor=actor, now=now)
        # Measures received while nobody held the case are assigned with it.
        waiting = await Measure.select().where(
            (Measure.case == case_id) & (Measure.status == MeasureStatus.RECEIVED)
        )
        for measure in waiting:
            await apply_transition(
                actor=actor,
                measure=measure,
                case=case,
                event=MeasureEvent.ASSIGN,
                reason=data.reason,
                now=now,
                expected_version=measure["version"],
            )
        await record_event(
            case=case,
            kind=EventKind.CASE_REASSIGNED,
            actor=actor,
            now=now,
            data={
                "from_id": previous,
                "from_name": await _name(previous),
                "to_id": data.assigned_ja_id,
                "to_name": await _name(data.assigned_ja_id),
                "reason": data.reason,
            },
            notices=[(Notice.CASE_ASSIGNED, {"reason": data.reason})],
        )
    return CaseChanged(case_id=case_id, version=case["version"], changed=["assigned_ja_id"])


async def change_referring_officer(
    *, actor: ActingUser, case_id: int, data: ReferringOfficerIn, clock: Clock
) -> CaseChanged:
    """Another officer follows the case (a transfer, a mistake at opening): from now on the
    feedback goes to them, and their zone's red list shows the case's bans."""
    if actor.role not in {Role.JUSTICE_ASSISTANT, Role.SUPERVISOR}:
        raise Forbidden(CaseError.OPENED_BY_STAFF)
    now = clock.now()
    async with db.transaction():
        case = await _open_case(actor, case_id, data.version)
        officer = await _user_in_role(
            data.referring_officer_id,
            Role.POLICE_OFFICER,
            "police officer",
            field="referring_officer_id",
        )
        if case["referring_officer"] == data.referring_officer_id:
            raise Invalid(CaseError.NOTHING_CHANGED, field="referring_officer_id")
        previous = case["referring_officer"]
        zone = (
            await Organisation.select(Organisation.name)
            .where(Organisation.id == officer["organisation"])
            .first()
        )
        case = await _bump(case, {Case.referring_officer: data.referring_officer_id})
        await record_event(
            case=case,
            kind=EventKind.REFERRING_OFFICER_CHANGED,
            actor=actor,
            now=now,
            data={
                "from_id": previous,
                "from_name": await _name(previous),
                "to_id": data.referring_officer_id,
                "to_name": await _name(data.referring_officer_id),
                "zone_name": zone["name"] if zone else None,
                "reason": data.reason,
            },
            notices=[(Notice.REFERRAL_TRANSFERRED, {"reason": data.reason})],
        )
    return CaseChanged(case_id=case_id, version=case["version"], changed=["referring_officer_id"])
