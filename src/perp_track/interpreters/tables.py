from __future__ import annotations

from piccolo.columns import Boolean, ForeignKey, Integer, OnDelete, Serial, Timestamptz, Varchar
from piccolo.table import Table

from perp_track.auth.tables import User
from perp_track.interpreters.rules import BookingStatus
from perp_track.orgs.rules import Language
from perp_track.orgs.tables import Organisation
from perp_track.summons.tables import Summons


class Interpreter(Table, tablename="interpreter"):
    """One interpreter in the register of a justice house. Not a user: they never log in."""

    id: Serial
    justice_house = ForeignKey(
        references=Organisation, null=False, on_delete=OnDelete.restrict, index=True
    )
    full_name = Varchar(length=200, null=False)
    # The language they interpret, lower-case as cases write it ("arabic", "dutch").
    language = Varchar(length=64, null=False, index=True)
    sworn = Boolean(default=False, null=False)
    email = Varchar(length=254, null=False)
    phone = Varchar(length=32, null=True, default=None)
    organisation = Varchar(length=200, null=True, default=None)
    # The language of the e-mails they receive from us (fr, nl or en).
    message_language = Varchar(length=2, choices=Language, default=Language.FR)
    active = Boolean(default=True, null=False, index=True)
    created_by = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    created_at = Timestamptz(null=False)
    updated_at = Timestamptz(null=False)
    version = Integer(default=1, null=False)


class InterpreterBooking(Table, tablename="interpreter_booking"):
    """An interpreter booked for one summons. A moved summons gets a new row with the same
    reference; the old row stays, status 'moved'."""

    id: Serial
    summons = ForeignKey(references=Summons, null=False, on_delete=OnDelete.cascade, index=True)
    interpreter = ForeignKey(
        references=Interpreter, null=False, on_delete=OnDelete.restrict, index=True
    )
    reference = Varchar(length=16, null=False, index=True)
    language = Varchar(length=64, null=False)
    status = Varchar(length=16, choices=BookingStatus, default=BookingStatus.BOOKED, index=True)
    booked_by = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    booked_at = Timestamptz(null=False)
    updated_at = Timestamptz(null=False)
    version = Integer(default=1, null=False)
