"""Everything the system holds on one person, and to whom it was shown (GDPR art. 15)."""

from __future__ import annotations

from typing import Any

from perp_track.audit import services as audit
from perp_track.audit.rules import VICTIM_FIELDS, Action
from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.tables import User
from perp_track.cases.access import check_restriction
from perp_track.cases.tables import Case, CaseEvent, Person
from perp_track.clock import Clock
from perp_track.errors import Forbidden, NotFound
from perp_track.evaluations.tables import EvaluationAssignment
from perp_track.i18n.catalogs import LANGUAGES
from perp_track.i18n.events import describe
from perp_track.measures.tables import Condition, Measure
from perp_track.notify.tables import Notification
from perp_track.notify.victim_control.tables import NumberConfirmation
from perp_track.privacy.errors import PrivacyError
from perp_track.privacy.schemas import (
    Disclosure,
    EvaluationArmHeld,
    HeldCase,
    HeldNumberConfirmation,
    HeldPerson,
    MessageToPerson,
    PersonExport,
)
from perp_track.risk import views as risk_views
from perp_track.summons.tables import Attendance, Summons


async def scoped_person(actor: ActingUser, person_id: int) -> tuple[dict, list[dict]]:
    """A supervisor exports the people on their justice house's cases; an administrator, anyone."""
    if actor.role not in {Role.SUPERVISOR, Role.ADMIN}:
        raise Forbidden(PrivacyError.EXPORT_FOR_SUPERVISORS)
    person = await Person.select().where(Person.id == person_id).first()
    if person is None:
        raise NotFound(PrivacyError.PERSON_NOT_FOUND, person_id=person_id)
    cases = (
        await Case.select()
        .where((Case.perpetrator == person_id) | (Case.victim == person_id))
        .order_by(Case.id)
    )
    if actor.role is not Role.ADMIN and not any(
        c["justice_house"] == actor.organisation_id for c in cases
    ):
        raise NotFound(PrivacyError.PERSON_NOT_FOUND, person_id=person_id)
    # A person on a restricted case is exported by someone named on it, whoever asks (a
    # partial export would tell the person less than they are owed, a full one tell the case).
    for case in cases:
        await check_restriction(
            actor, case, NotFound(PrivacyError.PERSON_NOT_FOUND, person_id=person_id)
        )
    return person, list(cases)


def _plain(row: dict[str, Any], *drop: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in drop}


async def _held_case(case: dict[str, Any], person_id: int) -> HeldCase:
    measures = await Measure.select().where(Measure.case == case["id"]).order_by(Measure.id)
    conditions = (
        await Condition.select()
        .where(Condition.measure.is_in([m["id"] for m in measures]))
        .order_by(Condition.id)
        if measures
        else []
    )
    summons = await Summons.select().where(Summons.case == case["id"]).order_by(Summons.id)
    attendance = (
        await Attendance.select().where(Attendance.case == case["id"]).order_by(Attendance.id)
    )
    language = case["language"] if case["language"] in LANGUAGES else "fr"
    tiers = await risk_views.policy_map()
    names = {code: tiers.name(code, language) for code in tiers}
    kinds = {c["id"]: str(c["kind"]) for c in conditions}
    events = (
        await CaseEvent.select()
        .where(CaseEvent.case == case["id"])
        .order_by(CaseEvent.id)
        .output(load_json=True)
    )
    return HeldCase(
        id=case["id"],
        reference=case["reference"],
        role_in_case="perpetrator" if case["perpetrator"] == person_id else "victim",
        status=case["status"],
        opened_at=case["opened_at"],
        closed_at=case["closed_at"],
        summary=case["summary"],
        measures=[
            {
                **_plain(m),
                "conditions": [_plain(c) for c in conditions if c["measure"] == m["id"]],
            }
            for m in measures
        ],
        summons=[
            {**_plain(s), "attendance": [_plain(a) for a in attendance if a["summons"] == s["id"]]}
            for s in summons
        ],
        # Each entry told in the case's language too, from its kind and data.
        timeline=[
            {**_plain(e), "text": describe(e, language, condition_kinds=kinds, tier_names=names)}
            for e in events
        ],
    )


async def export_person(*, actor: ActingUser, person_id: int, clock: Clock) -> PersonExport:
    person, cases = await scoped_person(actor, person_id)
    now = clock.now()
    messages = (
        await Notification.select(
            Notification.id,
            Notification.channel,
            Notification.template,
            Notification.state,
            Notification.created_at,
            Notification.sent_at,
        )
        .where(Notification.recipient_person == person_id)
        .order_by(Notification.id)
    )
    confirmations = (
        await NumberConfirmation.select(
            NumberConfirmation.phone,
            NumberConfirmation.state,
            NumberConfirmation.requested_at,
            NumberConfirmation.confirmed_at,
            NumberConfirmation.blocked_at,
            NumberConfirmation.wrong_codes,
        )
        .where(NumberConfirmation.victim == person_id)
        .order_by(NumberConfirmation.id)
    )
    log = await audit.entries_about_person(person_id)
    names = {
        u["id"]: u["full_name"]
        for u in (
            await User.select(User.id, User.full_name).where(
                User.id.is_in(sorted({e["actor_id"] for e in log if e["actor_id"]}))
            )
            if any(e["actor_id"] for e in log)
            else []
        )
    }
    export = PersonExport(
        generated_at=now,
        person=HeldPerson.model_validate(person),
        cases=[await _held_case(c, person_id) for c in cases],
        messages=[MessageToPerson.model_validate(m) for m in messages],
        number_confirmations=[HeldNumberConfirmation.model_validate(c) for c in confirmations],
        disclosures=[
            Disclosure.model_validate(
                {**e, "actor_name": names.get(e["actor_id"]) if e["actor_id"] else None}
            )
            for e in log
        ],
        reminder_evaluations=[
            EvaluationArmHeld.model_validate(a)
            for a in await EvaluationAssignment.select(
                EvaluationAssignment.evaluation.as_alias("evaluation_id"),
                EvaluationAssignment.evaluation.title.as_alias("evaluation"),
                EvaluationAssignment.arm.name.as_alias("arm"),
                EvaluationAssignment.assigned_at,
            ).where(EvaluationAssignment.person == person_id)
        ],
    )
    # Handing out the export is itself a disclosure, on the person's own log.
    await audit.append(
        actor=actor,
        action=Action.EXPORT,
        record_type=f"person:{person['role']}",
        record_id=person_id,
        person_id=person_id,
        fields=VICTIM_FIELDS,
        now=now,
        detail=f"data-subject export ({len(cases)} cases)",
    )
    return export
