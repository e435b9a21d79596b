"""The justice assistant's caseload: my cases, what is overdue, what comes next; the team view.

Four indexed queries fetch one assistant's open cases, their measures in force, their open
summons and their intake reports; the deadline rules (measures.deadlines) then decide what needs
attention, so the caseload and the case page can never disagree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.tables import User
from perp_track.cases.caseload.schemas import (
    DESCENDING_FIRST,
    Attention,
    AttentionItem,
    CaseloadItem,
    CaseloadPage,
    CaseloadSort,
    OverdueRow,
    TeamMember,
    UpcomingSummons,
)
from perp_track.cases.caseload.views import load
from perp_track.cases.errors import CaseError
from perp_track.config import Settings
from perp_track.errors import Forbidden, Invalid
from perp_track.measures.deadlines import (
    Deadline,
    DeadlineKind,
    DeadlineState,
    MeasureFacts,
    OpenSummons,
    deadlines,
    state_of,
)
from perp_track.measures.reports import deadline_settings
from perp_track.measures.rules import MeasureKind, MeasureStatus
from perp_track.risk import views as risk_views
from perp_track.schemas import Ref

_SOON = {DeadlineState.DUE_SOON, DeadlineState.DUE_TODAY}
_LATE = {DeadlineState.OVERDUE}


def attention_of(d: Deadline) -> Attention | None:
    """Which deadlines put a case on the list now; the others only set its next due date."""
    if d.kind is DeadlineKind.ATTENDANCE_NOT_RECORDED and d.state in _LATE:
        return Attention.ATTENDANCE_NOT_RECORDED
    if d.kind in {DeadlineKind.INTAKE_REPORT, DeadlineKind.PERIODIC_REPORT}:
        if d.state in _LATE:
            return Attention.REPORT_LATE
        if d.state in _SOON:
            return Attention.REPORT_DUE
    if d.kind is DeadlineKind.BAN_END and d.state in _SOON | _LATE:
        return Attention.BAN_ENDING
    if d.kind is DeadlineKind.ADP_RENEWAL and d.state in _SOON | _LATE:
        return Attention.ADP_RENEWAL
    if d.kind is DeadlineKind.NON_COMPLIANCE_DECISION:
        return Attention.AWAITING_DECISION
    if d.kind is DeadlineKind.RISK_REASSESSMENT and d.state in _SOON | _LATE:
        return Attention.RISK_REASSESSMENT
    return None


async def _items(
    actor: ActingUser, ja_id: int | None, search: str | None, now: datetime, settings: Settings
) -> list[tuple[dict[str, Any], list[Deadline], list[dict[str, Any]]]]:
    cases, measures, summons, intake_done, tiers, reassess = await load(actor, ja_id, search)
    tz = settings.tz
    by_case_m: dict[int, list[MeasureFacts]] = {}
    for m in measures:
        by_case_m.setdefault(m["case"], []).append(
            MeasureFacts(
                id=m["id"],
                kind=MeasureKind(m["kind"]),
                status=MeasureStatus(m["status"]),
                starts_on=m["starts_on"],
                ends_on=m["ends_on"],
                next_report_due=m["next_report_due"],
                intake_report_done=m["id"] in intake_done,
                hearing_on=m["hearing_on"],
                # Only a reported non-compliance needs the day its status began.
                status_since=m["updated_at"].astimezone(tz).date()
                if m["status"] == MeasureStatus.NON_COMPLIANCE_REPORTED
                else None,
            )
        )
    by_case_s: dict[int, list[dict[str, Any]]] = {}
    for s in summons:
        by_case_s.setdefault(s["case"], []).append(s)
    ds = deadline_settings(settings)
    # An unrecorded attendance is overdue after the case's tier's hours, as its alert is.
    grace = {str(t): p.attendance_alert_hours for t, p in tiers.items()}
    today = now.astimezone(tz).date()
    # The risk policy's reassessment clock (read with the rows), a deadline like the measures'.
    out = []
    for c in cases:
        own_summons = sorted(by_case_s.get(c["id"], []), key=lambda s: s["scheduled_at"])
        found = deadlines(
            measures=by_case_m.get(c["id"], []),
            open_summons=[
                OpenSummons(s["id"], s["scheduled_at"], s["duration_minutes"]) for s in own_summons
            ],
            now=now,
            tz=tz,
            settings=replace(
                ds, attendance_grace_hours=grace.get(c["risk_level"], ds.attendance_grace_hours)
            ),
            today=today,
        )
        if c["id"] in reassess:
            due_on = reassess[c["id"]].astimezone(tz).date()
            found = sorted(
                [
                    *found,
                    Deadline(
                        kind=DeadlineKind.RISK_REASSESSMENT,
                        starts_on=today,
                        due_on=due_on,
                        state=state_of(due_on, today, ds.due_soon_days),
                    ),
                ],
                key=lambda d: d.due_on,
            )
        out.append((c, found, own_summons))
    return out


def _name(c: dict[str, Any]) -> str:
    return f"{c['first_name']} {c['last_name']}"


async def caseload(
    *,
    actor: ActingUser,
    now: datetime,
    settings: Settings,
    ja_id: int | None = None,
    search: str | None = None,
    risk: str | None = None,
    attention: Attention | None = None,
    needing_attention: bool = False,
    sort: CaseloadSort = CaseloadSort.RISK,
    descending: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> CaseloadPage:
    """descending: None sorts in the column's usual direction (highest risk first, otherwise
    soonest or A to Z first); True or False asks for one direction, the tie-breaks unchanged."""
    if search is not None and len(search.strip()) < 2:
        raise Invalid(CaseError.SEARCH_TOO_SHORT)
    tiers = await risk_views.policy_map()
    if risk is not None:
        tiers.require(risk, field="risk")
    rows = await _items(actor, ja_id, search, now, settings)
    # Filter and sort on plain tuples; only the page returned becomes response models.
    kept = []
    far = (now + timedelta(days=365 * 100)).date()
    for c, found, own_summons in rows:
        if risk is not None and c["risk_level"] != risk:
            continue
        flagged = [(a, d) for d in found if (a := attention_of(d)) is not None]
        if needing_attention and not flagged:
            continue
        if attention is not None and all(a is not attention for a, _ in flagged):
            continue
        due = found[0].due_on if found else far
        rank = tiers.sort_rank(c["risk_level"])
        upcoming = next((s["scheduled_at"] for s in own_summons if s["scheduled_at"] > now), None)
        # (the column's own value, then the tie-breaks, always in their usual order)
        if sort is CaseloadSort.RISK:
            key: tuple[Any, tuple[Any, ...]] = (rank, (due, c["reference"]))
        elif sort is CaseloadSort.DUE:
            key = (due, (-rank, c["reference"]))
        elif sort is CaseloadSort.NAME:
            name = (c["last_name"].casefold(), c["first_name"].casefold())
            key = (name, (c["reference"],))
        elif sort is CaseloadSort.SUMMONS:
            key = (upcoming or now + timedelta(days=365 * 100), (-rank, c["reference"]))
        else:
            key = (c["reference"], ())
        kept.append((key, c, found, flagged, own_summons))
    reverse = sort in DESCENDING_FIRST if descending is None else descending
    # Two stable sorts: the tie-breaks first, then the chosen column in the chosen direction.
    kept.sort(key=lambda row: row[0][1])
    kept.sort(key=lambda row: row[0][0], reverse=reverse)
    page = kept[offset : offset + limit]
    refs = await _refs({c["assigned_ja"] for _, c, _, _, _ in page if c["assigned_ja"]}, actor)
    items = []
    for _, c, found, flagged, own_summons in page:
        upcoming = next((s for s in own_summons if s["scheduled_at"] > now), None)
        first = found[0] if found else None
        # Built from our own rows, already typed: construct without validating twice.
        items.append(
            CaseloadItem.model_construct(
                case_id=c["id"],
                reference=c["reference"],
                perpetrator_name=_name(c),
                risk_level=c["risk_level"],
                assigned_ja=refs.get(c["assigned_ja"]) if c["assigned_ja"] else None,
                next_summons_at=upcoming["scheduled_at"] if upcoming else None,
                next_due_on=first.due_on if first else None,
                next_due=first.kind if first else None,
                attention=[
                    AttentionItem.model_construct(
                        attention=a,
                        deadline=d.kind,
                        due_on=d.due_on,
                        measure_id=d.measure_id,
                        summons_id=d.summons_id,
                    )
                    for a, d in flagged
                ],
            )
        )
    return CaseloadPage(items=items, total=len(kept), limit=limit, offset=offset)


async def overdue(
    *, actor: ActingUser, now: datetime, settings: Settings, ja_id: int | None = None
) -> list[OverdueRow]:
    """Everything needing attention now, one row per item, the most urgent first."""
    out = []
    tiers = await risk_views.policy_map()
    for c, found, _ in await _items(actor, ja_id, None, now, settings):
        for d in found:
            a = attention_of(d)
            if a is None:
                continue
            out.append(
                OverdueRow(
                    case_id=c["id"],
                    reference=c["reference"],
                    perpetrator_name=_name(c),
                    risk_level=c["risk_level"],
                    attention=a,
                    deadline=d.kind,
                    due_on=d.due_on,
                    measure_id=d.measure_id,
                    summons_id=d.summons_id,
                )
            )
    out.sort(key=lambda r: (r.due_on, -tiers.sort_rank(r.risk_level), r.reference))
    return out


async def upcoming_summons(
    *, actor: ActingUser, now: datetime, settings: Settings, days: int, ja_id: int | None = None
) -> list[UpcomingSummons]:
    horizon = now + timedelta(days=days)
    out = []
    for c, _, own in await _items(actor, ja_id, None, now, settings):
        for s in own:
            if now <= s["scheduled_at"] < horizon:
                out.append(
                    UpcomingSummons(
                        summons_id=s["id"],
                        case_id=c["id"],
                        reference=c["reference"],
                        perpetrator_name=_name(c),
                        scheduled_at=s["scheduled_at"],
                        modality=s["modality"],
                        place=s["place"],
                        interpreter_language=s["interpreter_language"],
                    )
                )
    out.sort(key=lambda u: u.scheduled_at)
    return out


async def team(*, actor: ActingUser, now: datetime, settings: Settings) -> list[TeamMember]:
    if actor.role not in {Role.SUPERVISOR, Role.ADMIN}:
        raise Forbidden(CaseError.TEAM_FOR_SUPERVISORS)
    members = await User.select(User.id, User.full_name).where(
        (User.organisation == actor.organisation_id)
        & (User.role == Role.JUSTICE_ASSISTANT)
        & (User.active == True)  # noqa: E712 - Piccolo builds SQL from the comparison
    )
    stats: dict[int, tuple[int, int, Counter[Attention]]] = {
        m["id"]: (0, 0, Counter()) for m in members
    }
    for c, found, _ in await _items(actor, None, None, now, settings):
        if c["assigned_ja"] not in stats:
            continue
        total, needing, counter = stats[c["assigned_ja"]]
        flags = [a for d in found if (a := attention_of(d)) is not None]
        counter.update(flags)
        stats[c["assigned_ja"]] = (total + 1, needing + (1 if flags else 0), counter)
    return [
        TeamMember(
            justice_assistant=Ref(id=m["id"], name=m["full_name"]),
            open_cases=stats[m["id"]][0],
            needing_attention=stats[m["id"]][1],
            by_attention=dict(stats[m["id"]][2]),
        )
        for m in sorted(members, key=lambda m: m["full_name"])
    ]


async def _refs(ids: set[int], actor: ActingUser | None = None) -> dict[int, Ref]:
    if actor is not None and ids <= {actor.id}:
        return {actor.id: Ref(id=actor.id, name=actor.full_name)}  # my own caseload: no query
    if not ids:
        return {}
    rows = await User.select(User.id, User.full_name).where(User.id.is_in(list(ids)))
    return {r["id"]: Ref(id=r["id"], name=r["full_name"]) for r in rows}
