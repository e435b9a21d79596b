"""Which cases a user may not know of: the restricted ones they are not named on. Filters for
any query by case; it imports nothing but the tables, so the audit trail can use it too."""

from __future__ import annotations

from piccolo.columns import Column
from piccolo.columns.combination import Where
from piccolo.query import Select

from perp_track.auth.rules import ActingUser
from perp_track.cases.tables import Case, CaseAccess


def hidden_cases(user_id: int) -> Select:
    """The ids of the restricted cases this user is not named on (a sub-select)."""
    return Case.select(Case.id).where(
        Case.restricted.eq(True)
        & Case.id.not_in(CaseAccess.select(CaseAccess.case).where(CaseAccess.user == user_id))
    )


def visible(case_column: Column, actor: ActingUser) -> Where:
    """A filter for any query by case: drops the restricted cases the actor is not named on."""
    return case_column.not_in(hidden_cases(actor.id))


# The same rule in SQL, for the raw statements: `{case}` is the case id expression, `{user}`
# the reader's parameter ($n).
HIDDEN_SQL = (
    "{case} NOT IN (SELECT r.id FROM dv_case r WHERE r.restricted AND NOT EXISTS ("
    'SELECT 1 FROM case_access a WHERE a."case" = r.id AND a."user" = {user}))'
)
