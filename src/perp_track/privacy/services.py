"""Retention (pseudonymise or purge closed cases after their period) and the per-person export.

The retention job runs as the system (no acting user); everything it does is on the audit
trail, which keeps no personal values and so outlives the data it describes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from perp_track import db
from perp_track.audit import services as audit
from perp_track.audit.rules import Action
from perp_track.auth.tables import LoginAttempt
from perp_track.cases.tables import Case, CaseEvent, Person
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.measures.tables import AuthorityReport, Condition, Measure
from perp_track.notify.tables import Notification
from perp_track.notify.victim_control.tables import NumberConfirmation
from perp_track.privacy import rules
from perp_track.privacy.rules import ClosedMeasure, RetentionAction
from perp_track.privacy.schemas import RetentionItem, RetentionReport
from perp_track.privacy.tables import RetentionRecord
from perp_track.risk import services as risk
from perp_track.summons.tables import Attendance, Summons


async def due_cases(*, now: datetime, settings: Settings) -> list[RetentionItem]:
    """Cases whose retention period has run out and that the job has not handled yet."""
    handled = RetentionRecord.select(RetentionRecord.case_id)
    cases = await Case.select(Case.id, Case.reference, Case.closed_at).where(
        Case.id.not_in(handled)
    )
    if not cases:
        return []
    measures = await Measure.select(
        Measure.case, Measure.kind, Measure.status, Measure.updated_at
    ).where(Measure.case.is_in([c["id"] for c in cases]))
    by_case: dict[int, list[ClosedMeasure]] = {}
    for m in measures:
        by_case.setdefault(m["case"], []).append(
            ClosedMeasure(kind=m["kind"], status=m["status"], changed_at=m["updated_at"])
        )
    items = []
    for case in cases:
        due = rules.retention_due(
            case_closed_at=case["closed_at"],
            measures=by_case.get(case["id"], []),
            retention_days=settings.retention_days,
            default_days=settings.retention_default_days,
        )
        if due is not None and due <= now:
            items.append(
                RetentionItem(
                    case_id=case["id"],
                    reference=case["reference"],
                    due_at=due,
                    action=settings.retention_action,
                )
            )
    return sorted(items, key=lambda i: (i.due_at, i.case_id))


async def _people_of(case: dict[str, Any]) -> list[int]:
    return [p for p in (case["perpetrator"], case["victim"]) if p is not None]


async def _pseudonymise(case: dict[str, Any]) -> None:
    case_id = case["id"]
    for person_id in await _people_of(case):
        await Person.update(
            {
                Person.first_name: "-",
                Person.last_name: rules.pseudonym(person_id),
                Person.birth_date: None,
                Person.phone: None,
                Person.email: None,
                Person.address: None,
                Person.interpreter_language: None,
                Person.sapv_contact: None,
            }
        ).where(Person.id == person_id)
    # Her number's confirmations hold her number and a sealed code: nothing left to confirm.
    await NumberConfirmation.delete().where(
        NumberConfirmation.victim.is_in(await _people_of(case) or [-1])
    )
    await Case.update({Case.summary: "", Case.authority_reference: None}).where(Case.id == case_id)
    measure_ids = Measure.select(Measure.id).where(Measure.case == case_id)
    await Measure.update({Measure.notes: "", Measure.decision_reference: None}).where(
        Measure.case == case_id
    )
    await Condition.update(
        {Condition.description: "", Condition.protected_persons: None, Condition.address: None}
    ).where(Condition.measure.is_in(measure_ids))
    await AuthorityReport.update({AuthorityReport.assessment: ""}).where(
        AuthorityReport.measure.is_in(Measure.select(Measure.id).where(Measure.case == case_id))
    )
    await Summons.update(
        {
            Summons.place: None,
            Summons.purpose: "",
            Summons.reschedule_reason: None,
            Summons.cancel_reason: None,
        }
    ).where(Summons.case == case_id)
    await Attendance.update({Attendance.reason: None}).where(Attendance.case == case_id)
    # The timeline keeps what happened and when; free text and its data go.
    await CaseEvent.update({CaseEvent.summary: "(pseudonymised)", CaseEvent.data: "{}"}).where(
        CaseEvent.case == case_id
    )
    await Notification.update({Notification.payload: "{}", Notification.error_message: None}).where(
        Notification.case == case_id
    )
    await risk.forget_case(case_id=case_id, purge=False)


async def _purge(case: dict[str, Any]) -> None:
    case_id = case["id"]
    # Children first, whatever the foreign keys would cascade: the same on every engine.
    await Notification.delete().where(Notification.case == case_id)
    await risk.forget_case(case_id=case_id, purge=True)
    await Attendance.delete().where(Attendance.case == case_id)
    await Summons.delete().where(Summons.case == case_id)
    await CaseEvent.delete().where(CaseEvent.case == case_id)
    await Condition.delete().where(
        Condition.measure.is_in(Measure.select(Measure.id).where(Measure.case == case_id))
    )
    await AuthorityReport.delete().where(
        AuthorityReport.measure.is_in(Measure.select(Measure.id).where(Measure.case == case_id))
    )
    await Measure.delete().where(Measure.case == case_id)
    await Case.delete().where(Case.id == case_id)
    for person_id in await _people_of(case):
        still_used = await Case.exists().where(
            (Case.perpetrator == person_id) | (Case.victim == person_id)
        )
        if not still_used:
            await Notification.delete().where(Notification.recipient_person == person_id)
            await Person.delete().where(Person.id == person_id)


# Other domains that keep case-bound personal data add their own step here (by action).
CASE_STEPS: dict[RetentionAction, list[Callable[[dict[str, Any]], Awaitable[None]]]] = {
    RetentionAction.PSEUDONYMISE: [_pseudonymise],
    RetentionAction.PURGE: [_purge],
}


async def run_retention(*, clock: Clock, settings: Settings, apply: bool) -> RetentionReport:
    """The dry run lists what is due; the real run handles each case in its own transaction,
    so one failure leaves the others done and is reported, not hidden."""
    now = clock.now()
    action = RetentionAction(settings.retention_action)
    items = await due_cases(now=now, settings=settings)
    if apply:
        for item in items:
            try:
                async with db.transaction():
                    case = await Case.select().where(Case.id == item.case_id).first()
                    if case is None:
                        raise LookupError("the case is gone")
                    for step in CASE_STEPS[action]:
                        await step(case)
                    await RetentionRecord.insert(
                        RetentionRecord(
                            case_id=item.case_id, action=action, due_at=item.due_at, done_at=now
                        )
                    )
                    await audit.append(
                        actor=None,
                        action=Action.PURGE,
                        record_type="case",
                        record_id=item.case_id,
                        case_id=item.case_id,
                        now=now,
                        detail=f"retention: {action} (due {item.due_at.date().isoformat()})",
                    )
                item.done = True
            except Exception as exc:  # reported per case; the next case still runs
                item.error = type(exc).__name__
    cutoff = now - timedelta(days=settings.login_attempt_retention_days)
    old_attempts = await LoginAttempt.count().where(LoginAttempt.attempted_at < cutoff)
    if apply and old_attempts:
        async with db.transaction():
            await LoginAttempt.delete().where(LoginAttempt.attempted_at < cutoff)
            await audit.append(
                actor=None,
                action=Action.PURGE,
                record_type="login_attempt",
                now=now,
                detail=f"retention: {old_attempts} login attempts before {cutoff.date()}",
            )
    return RetentionReport(
        as_of=now,
        dry_run=not apply,
        action=action,
        items=items,
        old_login_attempts=old_attempts,
    )
