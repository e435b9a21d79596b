"""The interpreter register of a justice house: list, add, change, take out of service.

Supervisors (and administrators) keep it; justice assistants read its active entries to book
one. Every change is versioned (optimistic locking) and on the audit trail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from piccolo.columns import Column
from piccolo.columns.combination import Combinable

from perp_track import db
from perp_track.audit import services as audit
from perp_track.audit.rules import Action
from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.errors import Conflict, Forbidden, Invalid, NotFound, RecordError
from perp_track.interpreters.errors import InterpreterError
from perp_track.interpreters.rules import OPEN_BOOKING, normalise_language
from perp_track.interpreters.schemas import (
    InterpreterActive,
    InterpreterCreate,
    InterpreterRead,
    InterpreterUpdate,
)
from perp_track.interpreters.tables import Interpreter, InterpreterBooking
from perp_track.orgs.rules import OrgKind
from perp_track.orgs.tables import Organisation

KEEPERS = frozenset({Role.SUPERVISOR, Role.ADMIN})
READERS = frozenset({Role.JUSTICE_ASSISTANT, Role.SUPERVISOR, Role.ADMIN})


async def _house_of(actor: ActingUser, *, keeping: bool = False) -> int:
    if actor.role not in (KEEPERS if keeping else READERS):
        raise Forbidden(InterpreterError.REGISTER_BY_SUPERVISORS)
    org = (
        await Organisation.select(Organisation.kind)
        .where(Organisation.id == actor.organisation_id)
        .first()
    )
    if org is None or org["kind"] != OrgKind.JUSTICE_HOUSE:
        raise Forbidden(InterpreterError.REGISTER_OF_A_HOUSE)
    return actor.organisation_id


def _read(row: dict[str, Any]) -> InterpreterRead:
    return InterpreterRead.model_validate(row)


async def list_interpreters(
    *, actor: ActingUser, language: str | None = None, active_only: bool = False
) -> list[InterpreterRead]:
    house = await _house_of(actor)
    where: Combinable = Interpreter.justice_house == house
    wanted = normalise_language(language)
    if wanted:
        where &= Interpreter.language == wanted
    if active_only:
        where &= Interpreter.active.eq(True)
    rows = (
        await Interpreter.select()
        .where(where)
        .order_by(Interpreter.language)
        .order_by(Interpreter.full_name)
    )
    return [_read(r) for r in rows]


async def scoped_interpreter(actor: ActingUser, interpreter_id: int) -> dict[str, Any]:
    house = await _house_of(actor)
    row = (
        await Interpreter.select()
        .where((Interpreter.id == interpreter_id) & (Interpreter.justice_house == house))
        .first()
    )
    if row is None:  # another house's interpreter is not for this one to know
        raise NotFound(InterpreterError.NOT_FOUND, interpreter_id=interpreter_id)
    return row


async def read_interpreter(*, actor: ActingUser, interpreter_id: int) -> InterpreterRead:
    return _read(await scoped_interpreter(actor, interpreter_id))


async def _check_email_free(
    house: int, email: str, language: str, except_id: int | None = None
) -> None:
    where: Combinable = (Interpreter.justice_house == house) & (Interpreter.language == language)
    if except_id is not None:
        where &= Interpreter.id != except_id
    # Compared without case, in Python: a LIKE would read "_" and "%" in an address as wildcards.
    taken = {
        r["email"].casefold() for r in await Interpreter.select(Interpreter.email).where(where)
    }
    if email.casefold() in taken:
        raise Invalid(InterpreterError.EMAIL_TAKEN, field="email")


async def add_interpreter(
    *, actor: ActingUser, data: InterpreterCreate, clock: Clock
) -> InterpreterRead:
    now = clock.now()
    language = normalise_language(data.language)
    assert language  # the schema asks for two characters at least
    async with db.transaction():
        house = await _house_of(actor, keeping=True)
        await _check_email_free(house, data.email, language)
        row = Interpreter(
            justice_house=house,
            full_name=data.full_name,
            language=language,
            sworn=data.sworn,
            email=data.email,
            phone=data.phone,
            organisation=data.organisation,
            message_language=data.message_language,
            active=True,
            created_by=actor.id,
            created_at=now,
            updated_at=now,
        )
        await row.save()
        await audit.append(
            actor=actor,
            action=Action.WRITE,
            record_type="interpreter",
            record_id=int(row.id),
            fields=sorted(data.model_fields_set | {"full_name", "language", "email"}),
            now=now,
            detail="interpreter added to the register",
        )
    return await read_interpreter(actor=actor, interpreter_id=int(row.id))


def _check_version(row: dict[str, Any], version: int) -> None:
    if version != row["version"]:
        raise Conflict(
            RecordError.CHANGED_SINCE_READ,
            record="interpreter",
            version=version,
            current_version=row["version"],
        )


async def _write(
    actor: ActingUser, row: dict[str, Any], changes: dict[str, Any], detail: str, clock: Clock
) -> InterpreterRead:
    now = clock.now()
    if changes:
        values: dict[Column | str, Any] = {"updated_at": now, "version": row["version"] + 1}
        values.update(changes)
        updated = (
            await Interpreter.update(values)
            .where((Interpreter.id == row["id"]) & (Interpreter.version == row["version"]))
            .returning(Interpreter.id)
        )
        if not updated:
            raise Conflict(RecordError.CHANGED_MEANWHILE, record="interpreter")
        await audit.append(
            actor=actor,
            action=Action.WRITE,
            record_type="interpreter",
            record_id=row["id"],
            fields=sorted(changes),
            now=now,
            detail=detail,
        )
    return await read_interpreter(actor=actor, interpreter_id=row["id"])


async def update_interpreter(
    *, actor: ActingUser, interpreter_id: int, data: InterpreterUpdate, clock: Clock
) -> InterpreterRead:
    async with db.transaction():
        await _house_of(actor, keeping=True)
        row = await scoped_interpreter(actor, interpreter_id)
        _check_version(row, data.version)
        given = data.model_dump(exclude_unset=True, exclude={"version"})
        if "language" in given:
            given["language"] = normalise_language(given["language"])
        for required in ("full_name", "language", "email", "sworn", "message_language"):
            if required in given and given[required] is None:
                given.pop(required)
        changes = {k: v for k, v in given.items() if row[k] != v}
        if "email" in changes or "language" in changes:
            await _check_email_free(
                row["justice_house"],
                changes.get("email", row["email"]),
                changes.get("language", row["language"]),
                except_id=interpreter_id,
            )
        return await _write(actor, row, changes, "interpreter changed", clock)


async def set_active(
    *, actor: ActingUser, interpreter_id: int, data: InterpreterActive, clock: Clock
) -> InterpreterRead:
    """Take an interpreter out of service (or back). Bookings still to come must go first."""
    async with db.transaction():
        await _house_of(actor, keeping=True)
        row = await scoped_interpreter(actor, interpreter_id)
        _check_version(row, data.version)
        if row["active"] == data.active:
            return _read(row)
        if not data.active:
            count = await future_bookings(interpreter_id=interpreter_id, now=clock.now())
            if count:
                raise Conflict(InterpreterError.HAS_BOOKINGS, count=count)
        detail = "interpreter back in service" if data.active else "interpreter out of service"
        return await _write(actor, row, {"active": data.active}, detail, clock)


async def future_bookings(*, interpreter_id: int, now: datetime) -> int:
    """Bookings of this interpreter for summons still to come."""
    return await InterpreterBooking.count().where(
        (InterpreterBooking.interpreter == interpreter_id)
        & InterpreterBooking.status.is_in(list(OPEN_BOOKING))
        & (InterpreterBooking.summons.scheduled_at > now)
    )
