"""Who may restrict a case, who may be named on it, what its list must keep."""

from __future__ import annotations

import pytest

from perp_track.auth.rules import Role
from perp_track.cases.restriction import rules
from perp_track.cases.restriction.errors import RestrictionError
from perp_track.cases.restriction.rules import Member, RestrictionReason
from perp_track.errors import Forbidden, Invalid

HOUSE, OTHER_HOUSE, ZONE, SAPV, PRAXIS = 1, 2, 3, 4, 5
JA = Member(10, Role.JUSTICE_ASSISTANT, HOUSE)
SUPERVISOR = Member(11, Role.SUPERVISOR, HOUSE)
ADMIN = Member(12, Role.ADMIN, HOUSE)
OFFICER = Member(13, Role.POLICE_OFFICER, ZONE)
OTHER_OFFICER = Member(14, Role.POLICE_OFFICER, ZONE)
SAPV_CONTACT = Member(15, Role.SAPV_CONTACT, SAPV)
PRAXIS_STAFF = Member(16, Role.PROGRAMME_STAFF, PRAXIS)
ELSEWHERE = Member(17, Role.SUPERVISOR, OTHER_HOUSE)
FACTS = {
    "case_house": HOUSE,
    "referring_officer": OFFICER.id,
    "sapv_contact": SAPV_CONTACT.id,
    "providers": {PRAXIS},
}


def test_only_a_supervisor_or_administrator_of_the_house_keeps_the_list():
    for member in (SUPERVISOR, ADMIN):
        rules.check_manager(role=member.role, organisation=member.organisation, case_house=HOUSE)
    for member in (JA, ELSEWHERE, OFFICER):
        with pytest.raises(Forbidden) as raised:
            rules.check_manager(
                role=member.role, organisation=member.organisation, case_house=HOUSE
            )
        assert raised.value.code is RestrictionError.FOR_SUPERVISORS


def test_only_those_who_could_see_the_case_can_be_named():
    for member in (JA, SUPERVISOR, ADMIN, OFFICER, SAPV_CONTACT, PRAXIS_STAFF):
        assert rules.eligible(member, **FACTS), member
    for member in (OTHER_OFFICER, ELSEWHERE, Member(18, Role.PROGRAMME_STAFF, 99)):
        assert not rules.eligible(member, **FACTS), member


def test_the_list_keeps_the_assigned_assistant_and_a_manager():
    rules.check_list(members=[JA, SUPERVISOR], case_house=HOUSE, assigned_ja=JA.id)
    with pytest.raises(Invalid) as raised:
        rules.check_list(members=[SUPERVISOR], case_house=HOUSE, assigned_ja=JA.id)
    assert raised.value.code is RestrictionError.KEEP_ASSISTANT
    with pytest.raises(Invalid) as raised:
        rules.check_list(members=[JA, ELSEWHERE], case_house=HOUSE, assigned_ja=JA.id)
    assert raised.value.code is RestrictionError.KEEP_MANAGER


def test_another_reason_needs_a_note():
    rules.check_reason(RestrictionReason.POLICE_OFFICER_INVOLVED, None)
    rules.check_reason(RestrictionReason.OTHER, "the victim works here")
    with pytest.raises(Invalid) as raised:
        rules.check_reason(RestrictionReason.OTHER, "  ")
    assert raised.value.params["field"] == "note"
