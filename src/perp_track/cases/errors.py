"""Cases: the error codes (see perp_track.errors)."""

from __future__ import annotations

from perp_track.errors import ErrorCode
from perp_track.i18n import N_


class CaseError(ErrorCode):
    NOT_FOUND = ("case.not_found", N_("case %(case_id)s not found"))
    NOT_ACTIVE_IN_ROLE = (
        "case.not_active_in_role",
        N_("%(what)s %(user_id)s is not an active %(roles)s"),
    )
    OPENED_BY_STAFF = (
        "case.opened_by_staff",
        N_("only a justice assistant or a supervisor opens a case"),
    )
    ASSISTANT_ELSEWHERE = (
        "case.assistant_elsewhere",
        N_("the assigned justice assistant works at another justice house"),
    )
    SHARED_PHONE = (
        "case.shared_phone",
        N_("the victim and the perpetrator cannot share a phone number"),
    )
    LIST_FOR_STAFF = ("case.list_for_staff", N_("this list is for justice-house staff"))
    OWN_CASELOAD = (
        "case.own_caseload",
        N_("a justice assistant sees their own caseload; ask a supervisor"),
    )
    CASELOAD_FOR_STAFF = ("case.caseload_for_staff", N_("the caseload is for justice-house staff"))
    SEARCH_TOO_SHORT = ("case.search_too_short", N_("search needs at least 2 characters"))
    TEAM_FOR_SUPERVISORS = ("case.team_for_supervisors", N_("the team view is for supervisors"))
    STATISTICS_FOR_SUPERVISORS = (
        "case.statistics_for_supervisors",
        N_("the statistics are for supervisors"),
    )
    # Facts of a running case changed after opening (cases/changes.py).
    NOTHING_CHANGED = ("case.nothing_changed", N_("this is already what the case says"))
    REASSIGNED_BY_SUPERVISOR = (
        "case.reassigned_by_supervisor",
        N_("only a supervisor assigns a case to another justice assistant"),
    )
    CASE_CLOSED = ("case.closed", N_("the case is closed: its facts cannot change any more"))
