"""Property-based tests of the transition tables and the duration and deadline rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perp_track.errors import Conflict, Invalid
from perp_track.measures import rules
from perp_track.measures.condition_rules import (
    CLOSED_CONDITION_STATUSES,
    CONDITION_TRANSITIONS,
    ConditionEvent,
    allowed_condition_events,
    next_condition_status,
)
from perp_track.measures.deadlines import (
    DeadlineKind,
    DeadlineState,
    MeasureFacts,
    OpenSummons,
    ProgrammeFacts,
    deadlines,
)
from perp_track.measures.rules import (
    CLOSED_STATUSES,
    DEFAULT_POLICY,
    Actor,
    ConditionStatus,
    MeasureEvent,
    MeasureKind,
    MeasureStatus,
    add_months,
    end_date,
    extension_end,
    next_status,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
statuses = st.sampled_from(list(MeasureStatus))
events = st.sampled_from(list(MeasureEvent))
actors = st.sampled_from(list(Actor))
kinds = st.sampled_from(list(MeasureKind))
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2040, 12, 31))


@given(status=st.sampled_from(sorted(CLOSED_STATUSES)), event=events, actor=actors, kind=kinds)
def test_no_transition_out_of_a_closed_state(status, event, actor, kind):
    with pytest.raises(Conflict) as exc:
        next_status(status, event, actor, kind)
    assert exc.value.extra["allowed"] == []


@given(status=statuses, event=events, actor=actors, kind=kinds)
def test_a_refusal_lists_exactly_what_is_allowed(status, event, actor, kind):
    allowed = rules.allowed_events(status, actor, kind)
    if event not in allowed:
        with pytest.raises(Conflict) as exc:
            next_status(status, event, actor, kind)
        assert exc.value.extra["allowed"] == [str(e) for e in allowed]
    else:
        target = next_status(status, event, actor, kind)
        assert event in allowed
        row = next(t for t in rules.TRANSITIONS if (t.source, t.event) == (status, event))
        assert target is row.target
        assert actor in row.who
        assert kind in row.kinds


def test_the_table_has_one_row_per_state_and_event():
    keys = [(t.source, t.event) for t in rules.TRANSITIONS]
    assert len(keys) == len(set(keys))


def test_only_bans_and_adp_extend_and_programme_staff_never_move_a_measure():
    for t in rules.TRANSITIONS:
        if t.event is MeasureEvent.EXTEND:
            assert t.kinds == {
                MeasureKind.TEMPORARY_RESIDENCE_BAN,
                MeasureKind.RELEASE_UNDER_CONDITIONS,
            }
        assert Actor.PROGRAMME_STAFF not in t.who
        # A closing or a decision of the authority is never made by a job on its own.
        if t.target in {MeasureStatus.FAILED, MeasureStatus.LIFTED, MeasureStatus.COMPLETED}:
            assert Actor.SYSTEM not in t.who


@given(
    status=st.sampled_from(sorted(CLOSED_CONDITION_STATUSES)),
    event=st.sampled_from(list(ConditionEvent)),
    actor=actors,
)
def test_no_condition_leaves_a_closed_state(status, event, actor):
    assert allowed_condition_events(status, actor) == []
    with pytest.raises(Conflict):
        next_condition_status(status, event, actor)


def test_programme_staff_never_waive_or_adapt():
    for t in CONDITION_TRANSITIONS:
        if t.event in {ConditionEvent.WAIVE, ConditionEvent.ADAPT, ConditionEvent.RESUME}:
            assert Actor.PROGRAMME_STAFF not in t.who
    assert (
        next_condition_status(ConditionStatus.PENDING, ConditionEvent.BREACH, Actor.PROGRAMME_STAFF)
        is ConditionStatus.BREACHED
    )


@given(
    start=days, first=st.integers(-5, 200), extensions=st.lists(st.integers(-5, 120), max_size=6)
)
@settings(max_examples=300)
def test_a_ban_never_ends_more_than_three_months_after_it_began(start, first, extensions):
    kind = MeasureKind.TEMPORARY_RESIDENCE_BAN
    try:
        end = end_date(kind, start, start + timedelta(days=first))
    except Invalid:
        end = end_date(kind, start, None)
    assert start < end <= add_months(start, 3)
    for extra in extensions:
        try:
            end = extension_end(kind, start, end, end + timedelta(days=extra), DEFAULT_POLICY)
        except Invalid:
            continue
        assert end <= add_months(start, 3)


@given(start=days, kind=kinds, given_days=st.one_of(st.none(), st.integers(-10, 3000)))
def test_a_measure_never_ends_before_it_starts_nor_past_its_legal_maximum(start, kind, given_days):
    ends_on = None if given_days is None else start + timedelta(days=given_days)
    try:
        end = end_date(kind, start, ends_on)
    except Invalid:
        return
    assert start <= end <= DEFAULT_POLICY.latest_end(kind, start)


@given(day=days, months=st.integers(0, 60))
def test_add_months(day, months):
    later = add_months(day, months)
    assert later >= day
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day <= day.day


measure_facts = st.builds(
    MeasureFacts,
    id=st.integers(1, 1000),
    kind=kinds,
    status=statuses,
    starts_on=days,
    ends_on=days,
    next_report_due=st.one_of(st.none(), days),
    intake_report_done=st.booleans(),
    hearing_on=st.one_of(st.none(), days),
    status_since=st.one_of(st.none(), days),
)
moments = st.datetimes(
    min_value=datetime(2015, 1, 1), max_value=datetime(2040, 12, 31), timezones=st.just(UTC)
)


@given(
    measures=st.lists(measure_facts, max_size=6),
    programmes=st.lists(
        st.builds(
            ProgrammeFacts,
            condition_id=st.integers(1, 50),
            measure_id=st.integers(1, 1000),
            status=st.sampled_from(list(ConditionStatus)),
            ends_on=st.one_of(st.none(), days),
        ),
        max_size=4,
    ),
    summons=st.lists(
        st.builds(OpenSummons, id=st.integers(1, 99), scheduled_at=moments), max_size=4
    ),
    now=moments,
)
@settings(max_examples=300)
def test_a_deadline_is_never_before_its_start(measures, programmes, summons, now):
    found = deadlines(
        measures=measures, programmes=programmes, open_summons=summons, now=now, tz=BRUSSELS
    )
    today = now.astimezone(BRUSSELS).date()
    for d in found:
        assert d.due_on >= d.starts_on
        assert (d.state is DeadlineState.OVERDUE) == (d.due_on < today) or (
            d.kind is DeadlineKind.ATTENDANCE_NOT_RECORDED
        )
    assert [d.due_on for d in found] == sorted(d.due_on for d in found)
    closed = {m.id for m in measures if m.status in CLOSED_STATUSES}
    in_force = {m.id for m in measures if m.status not in CLOSED_STATUSES}
    assert all(d.measure_id not in closed - in_force for d in found if d.measure_id)


def test_attendance_not_recorded_after_the_grace_period():
    start = datetime(2026, 3, 2, 9, 0, tzinfo=BRUSSELS)
    summons = [OpenSummons(7, start)]
    early = deadlines(
        measures=[], open_summons=summons, now=start + timedelta(hours=23), tz=BRUSSELS
    )
    late = deadlines(
        measures=[], open_summons=summons, now=start + timedelta(hours=25), tz=BRUSSELS
    )
    assert early[0].state is not DeadlineState.OVERDUE
    assert late[0].state is DeadlineState.OVERDUE
    assert late[0].kind is DeadlineKind.ATTENDANCE_NOT_RECORDED
    assert (
        deadlines(measures=[], open_summons=summons, now=start - timedelta(hours=1), tz=BRUSSELS)
        == []
    )


def test_probation_reports_intake_then_periodic():
    start = date(2026, 1, 31)
    assert DEFAULT_POLICY.first_report_due(MeasureKind.PROBATION, start) == date(2026, 2, 28)
    assert DEFAULT_POLICY.next_report_due(MeasureKind.PROBATION, start) == date(2026, 7, 31)
    assert DEFAULT_POLICY.first_report_due(MeasureKind.TEMPORARY_RESIDENCE_BAN, start) is None
    facts = MeasureFacts(
        1,
        MeasureKind.PROBATION,
        MeasureStatus.ACTIVE,
        start,
        date(2028, 1, 31),
        next_report_due=date(2026, 2, 28),
    )
    [intake, end] = deadlines(measures=[facts], now=datetime(2026, 3, 2, tzinfo=UTC), tz=BRUSSELS)
    assert intake.kind is DeadlineKind.INTAKE_REPORT
    assert intake.state is DeadlineState.OVERDUE
    assert end.kind is DeadlineKind.MEASURE_END
    assert end.state is DeadlineState.UPCOMING
