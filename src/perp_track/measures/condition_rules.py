"""The lifecycle of a condition, as data: (status, event) -> status, and who may trigger it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from perp_track.errors import Conflict
from perp_track.measures.errors import ConditionError
from perp_track.measures.rules import Actor, ConditionKind, ConditionStatus

C = ConditionStatus


class ConditionEvent(StrEnum):
    START = "start"
    MEET = "meet"
    BREACH = "breach"
    ADAPT = "adapt"
    WAIVE = "waive"
    RESUME = "resume"


V = ConditionEvent
_STAFF = frozenset({Actor.JUSTICE_ASSISTANT, Actor.SUPERVISOR})
_WITH_SYSTEM = _STAFF | {Actor.SYSTEM}
# Programme staff start a referral and report its end; the justice assistant judges the rest.
_PROGRAMME = _WITH_SYSTEM | {Actor.PROGRAMME_STAFF}


@dataclass(frozen=True, slots=True)
class ConditionTransition:
    source: ConditionStatus
    event: ConditionEvent
    target: ConditionStatus
    who: frozenset[Actor]


def _t(
    sources: tuple[ConditionStatus, ...],
    event: ConditionEvent,
    target: ConditionStatus,
    who: frozenset[Actor] = _STAFF,
) -> list[ConditionTransition]:
    return [ConditionTransition(s, event, target, who) for s in sources]


CLOSED_CONDITION_STATUSES = frozenset({C.MET, C.WAIVED, C.ADAPTED})

CONDITION_TRANSITIONS: tuple[ConditionTransition, ...] = tuple(
    _t((C.PENDING,), V.START, C.IN_PROGRESS, _PROGRAMME)
    + _t((C.PENDING, C.IN_PROGRESS), V.MEET, C.MET, _PROGRAMME)
    + _t((C.PENDING, C.IN_PROGRESS), V.BREACH, C.BREACHED, _PROGRAMME)
    + _t((C.PENDING, C.IN_PROGRESS, C.BREACHED), V.ADAPT, C.ADAPTED)
    + _t((C.PENDING, C.IN_PROGRESS, C.BREACHED), V.WAIVE, C.WAIVED)
    + _t((C.BREACHED,), V.RESUME, C.IN_PROGRESS)
)
_BY_KEY = {(t.source, t.event): t for t in CONDITION_TRANSITIONS}


def allowed_condition_events(status: ConditionStatus, actor: Actor) -> list[ConditionEvent]:
    return [t.event for t in CONDITION_TRANSITIONS if t.source == status and actor in t.who]


def next_condition_status(
    status: ConditionStatus, event: ConditionEvent, actor: Actor
) -> ConditionStatus:
    transition = _BY_KEY.get((status, event))
    if transition is None or actor not in transition.who:
        allowed = allowed_condition_events(status, actor)
        raise Conflict(
            ConditionError.STEP_NOT_ALLOWED if allowed else ConditionError.NO_STEP_LEFT,
            status=status,
            event=event,
            allowed=[str(e) for e in allowed],
        )
    return transition.target


def is_ban(kind: ConditionKind) -> bool:
    return kind in {ConditionKind.CONTACT_BAN, ConditionKind.PLACE_BAN}


def meet_shortfall(
    kind: ConditionKind,
    *,
    hours_done: int,
    hours_due: int | None,
    sessions_attended: int,
    sessions_required: int | None,
) -> tuple[ConditionError, dict[str, int]] | None:
    """Why a condition cannot be met yet (a code and its figures): what it measures is short.
    A person who judges it done all the same waives or adapts it, with a reason, which the
    record shows as such."""
    if kind is ConditionKind.COMMUNITY_SERVICE and hours_due and hours_done < hours_due:
        return ConditionError.HOURS_SHORT, {"done": hours_done, "due": hours_due}
    if (
        kind is ConditionKind.PROGRAMME
        and sessions_required
        and sessions_attended < sessions_required
    ):
        figures = {"done": sessions_attended, "due": sessions_required}
        return ConditionError.SESSIONS_SHORT, figures
    return None
