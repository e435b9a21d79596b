from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perp_track.errors import Conflict, Invalid
from perp_track.measures import rules
from perp_track.measures.rules import (
    CLOSED_STATUSES,
    TRANSITIONS,
    Actor,
    ConditionKind,
    MeasureEvent,
    MeasureKind,
    MeasureStatus,
)


@given(
    st.sampled_from(list(CLOSED_STATUSES)),
    st.sampled_from(list(MeasureEvent)),
    st.sampled_from(list(Actor)),
)
def test_nothing_leaves_a_closed_state(status, event, actor):
    with pytest.raises(Conflict):
        rules.next_status(status, event, actor)


def test_every_table_row_is_reachable_by_its_actors():
    for t in TRANSITIONS:
        for actor in t.who:
            assert rules.next_status(t.source, t.event, actor) is t.target


def test_table_has_no_duplicate_keys():
    keys = [(t.source, t.event) for t in TRANSITIONS]
    assert len(keys) == len(set(keys))


def test_illegal_transition_lists_what_is_allowed():
    with pytest.raises(Conflict) as err:
        rules.next_status(MeasureStatus.ACTIVE, MeasureEvent.ISSUE_WARRANT, Actor.JUSTICE_ASSISTANT)
    allowed = err.value.extra["allowed"]
    assert "report_non_compliance" in allowed
    assert "issue_warrant" not in allowed


def test_system_may_expire_but_not_report_non_compliance():
    assert rules.next_status(MeasureStatus.ACTIVE, MeasureEvent.EXPIRE, Actor.SYSTEM) is (
        MeasureStatus.EXPIRED
    )
    with pytest.raises(Conflict):
        rules.next_status(MeasureStatus.ACTIVE, MeasureEvent.REPORT_NON_COMPLIANCE, Actor.SYSTEM)


def test_a_ban_is_in_force_at_once_other_measures_wait_for_intake():
    assert rules.initial_status(MeasureKind.TEMPORARY_RESIDENCE_BAN) is MeasureStatus.ACTIVE
    assert rules.initial_status(MeasureKind.PROBATION) is MeasureStatus.ASSIGNED


def test_default_durations():
    start = date(2026, 3, 2)
    assert rules.end_date(MeasureKind.TEMPORARY_RESIDENCE_BAN, start, None) == date(2026, 3, 16)
    assert rules.end_date(MeasureKind.MEDIATION_216TER, start, None) == date(2027, 3, 2)
    with pytest.raises(Invalid, match="needs the end date"):
        rules.end_date(MeasureKind.PROBATION, start, None)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    st.integers(min_value=-400, max_value=400),
)
def test_a_ban_never_ends_more_than_three_months_after_it_began(start, days):
    try:
        end = rules.end_date(MeasureKind.TEMPORARY_RESIDENCE_BAN, start, start + timedelta(days))
    except Invalid:
        return
    assert start < end <= start + timedelta(days=92)


@given(
    st.sampled_from(list(MeasureKind)),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
)
def test_an_end_is_never_before_its_start(kind, start):
    try:
        end = rules.end_date(kind, start, None)
    except Invalid:
        return
    assert end > start


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        (ConditionKind.PROGRAMME, {}, "provider"),
        (ConditionKind.PROGRAMME, {"provider_id": 1}, "required sessions"),
        (ConditionKind.COMMUNITY_SERVICE, {}, "hours due"),
        (ConditionKind.CONTACT_BAN, {"protected_persons": "  "}, "persons"),
        (ConditionKind.PLACE_BAN, {}, "address"),
    ],
)
def test_condition_problems(kind, fields, message):
    args = {
        "provider_id": None,
        "required_sessions": None,
        "hours_due": None,
        "protected_persons": None,
        "address": None,
        **fields,
    }
    assert message in (rules.condition_problem(kind, **args) or "")


def test_a_complete_programme_condition_has_no_problem():
    assert (
        rules.condition_problem(
            ConditionKind.PROGRAMME,
            provider_id=1,
            required_sessions=21,
            hours_due=None,
            protected_persons=None,
            address=None,
        )
        is None
    )
