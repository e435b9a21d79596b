from __future__ import annotations

from piccolo.columns import (
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from perp_track.auth.tables import User
from perp_track.cases.tables import Person
from perp_track.notify.victim_control.rules import NumberState


class NumberConfirmation(Table, tablename="victim_number_confirmation"):
    """One request to the victim to confirm her number with the code her SAPV contact gave her
    in person. A new consent, a new number or a new code starts a new row; the older one is
    marked replaced and kept (what was asked, when, and how it ended stays on record).

    The code is never stored in clear: an HMAC for the check, and a copy sealed with a key
    derived from SECRET_KEY so that her SAPV contact can see it again (a copy of the database
    alone gives neither)."""

    id: Serial
    victim = ForeignKey(references=Person, null=False, on_delete=OnDelete.cascade, index=True)
    # The number (E.164) the code confirms: a confirmation is worth nothing for another number.
    phone = Varchar(length=32, null=False)
    code_hash = Varchar(length=64, null=False, secret=True)
    code_sealed = Text(null=False, secret=True)
    state = Varchar(length=16, choices=NumberState, default=NumberState.WAITING, index=True)
    # Requests sent: the first, and at most one more when her SAPV contact asks to resend.
    requests = Integer(default=1, null=False)
    wrong_codes = Integer(default=0, null=False)
    requested_at = Timestamptz(null=False)
    requested_by = ForeignKey(references=User, null=True, on_delete=OnDelete.restrict)
    confirmed_at = Timestamptz(null=True, default=None)
    blocked_at = Timestamptz(null=True, default=None)
    replaced_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(null=False)
    version = Integer(default=1, null=False)
