from __future__ import annotations

from datetime import date, datetime
from typing import Any

from perp_track.schemas import Out


class RetentionItem(Out):
    case_id: int
    reference: str
    due_at: datetime
    action: str
    done: bool = False
    error: str | None = None


class RetentionReport(Out):
    as_of: datetime
    dry_run: bool
    action: str
    items: list[RetentionItem]
    old_login_attempts: int = 0


class HeldPerson(Out):
    id: int
    role: str
    first_name: str
    last_name: str
    birth_date: date | None
    language: str
    interpreter_language: str | None
    phone: str | None
    email: str | None
    address: str | None
    created_at: datetime


class HeldCase(Out):
    id: int
    reference: str
    role_in_case: str
    status: str
    opened_at: datetime
    closed_at: datetime | None
    summary: str
    measures: list[dict[str, Any]]
    summons: list[dict[str, Any]]
    timeline: list[dict[str, Any]]


class MessageToPerson(Out):
    id: int
    channel: str
    template: str
    state: str
    created_at: datetime
    sent_at: datetime | None


class Disclosure(Out):
    """Someone was shown, given or changed this person's data."""

    occurred_at: datetime
    actor_id: int | None
    actor_name: str | None
    actor_role: str | None
    action: str
    fields: list[str]
    case_id: int | None
    detail: str
    request_id: str | None


class EvaluationArmHeld(Out):
    """The reminder-evaluation arm a person was assigned to (which reminders he was sent)."""

    evaluation_id: int
    evaluation: str
    arm: str
    assigned_at: datetime


class HeldNumberConfirmation(Out):
    """A request to confirm her number by her own reply (never the code)."""

    phone: str
    state: str
    requested_at: datetime
    confirmed_at: datetime | None
    blocked_at: datetime | None
    wrong_codes: int


class PersonExport(Out):
    generated_at: datetime
    person: HeldPerson
    cases: list[HeldCase]
    messages: list[MessageToPerson]
    disclosures: list[Disclosure]
    reminder_evaluations: list[EvaluationArmHeld] = []
    number_confirmations: list[HeldNumberConfirmation] = []
