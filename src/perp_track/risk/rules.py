"""Risk drives the response: the policy per tier, reassessment and the closed loop, as pure rules.

The tiers are data: each row of the `risk_policy` table is a tier, with a stable code, a rank
(its order: higher is riskier) and its name in each language, and says what that tier sets.
The police's four levels (cases.rules.RiskLevel, COL 15/2020) are only the seeded default
(DEFAULT_POLICY). These functions read a tier set and never touch the database or the web.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from perp_track.cases.rules import RiskLevel
from perp_track.errors import Conflict, Invalid, RecordError, RiskError

# The languages a tier is named in: the pages' three and German, which the messages speak.
TIER_LANGUAGES = ("fr", "nl", "en", "de")
TIER_CODE = re.compile(r"[a-z][a-z0-9_]{1,15}")
TIER_NAME_LENGTH = 40


@dataclass(frozen=True, slots=True)
class TierPolicy:
    """One tier and what it sets. An interval of None means "not at this tier"."""

    tier: str
    # The perpetrator's schedule: an extra SMS at this local hour the evening before a summons,
    # and a task for the justice assistant to call him this many days before it.
    evening_reminder_hour: int | None
    call_task_days: int | None
    # Attendance still unrecorded this long after a summons becomes an alert.
    attendance_alert_hours: int
    # The red list: lower comes first (then the ban that ends first).
    redlist_priority: int
    # How often the victim's SAPV contact gets the case's status.
    sapv_update_days: int | None
    # The justice assistant reassesses the risk at least this often.
    reassess_days: int | None
    # Non-compliance raises the police alert and the SAPV safety check (the closed loop).
    closed_loop: bool
    # Hours the zone and the SAPV contact have to acknowledge before it escalates.
    response_hours: int
    # The tier's place: higher is riskier ("goes up", "at or above the loop's tier").
    rank: int = 0
    # Its name by language (TIER_LANGUAGES): data, so not in the gettext catalogs.
    names: Mapping[str, str] = field(default_factory=dict)


def _names(fr: str, nl: str, en: str, de: str) -> dict[str, str]:
    return {"fr": fr, "nl": nl, "en": en, "de": de}


DEFAULT_POLICY: tuple[TierPolicy, ...] = (
    TierPolicy(
        RiskLevel.LOW, None, None, 24, 4, None, 180, False, 72,
        rank=10, names=_names("Faible", "Laag", "Low", "Niedrig"),
    ),
    TierPolicy(
        RiskLevel.MEDIUM, None, None, 24, 3, 30, 90, False, 48,
        rank=20, names=_names("Moyen", "Gemiddeld", "Medium", "Mittel"),
    ),
    TierPolicy(
        RiskLevel.HIGH, 19, 1, 4, 2, 14, 30, True, 24,
        rank=30, names=_names("Élevé", "Hoog", "High", "Hoch"),
    ),
    TierPolicy(
        RiskLevel.SEVERE, 19, 2, 2, 1, 7, 14, True, 4,
        rank=40, names=_names("Grave", "Ernstig", "Severe", "Sehr hoch"),
    ),
)  # fmt: skip

# The fields a supervisor may change, in the order the page and the API show them.
POLICY_FIELDS = (
    "evening_reminder_hour",
    "call_task_days",
    "attendance_alert_hours",
    "redlist_priority",
    "sapv_update_days",
    "reassess_days",
    "closed_loop",
    "response_hours",
)


class Tiers(Mapping[str, TierPolicy]):
    """The tiers in force, by code, iterated lowest rank first. Only what is in it is a tier."""

    __slots__ = ("_by_code", "version")

    def __init__(self, rows: Iterable[TierPolicy], version: int = 1) -> None:
        self._by_code = {str(r.tier): r for r in sorted(rows, key=lambda r: r.rank)}
        self.version = version

    def __getitem__(self, code: str) -> TierPolicy:
        return self._by_code[str(code)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_code)

    def __len__(self) -> int:
        return len(self._by_code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    __hash__ = None  # type: ignore[assignment]

    def require(self, code: str, *, field: str = "level") -> TierPolicy:
        """The tier of this code, or an Invalid naming the field that gave it."""
        row = self._by_code.get(str(code))
        if row is None:
            raise Invalid(RiskError.UNKNOWN_TIER, tier=str(code), field=field, tiers=list(self))
        return row

    def rank(self, code: str, *, field: str = "level") -> int:
        return self.require(code, field=field).rank

    def sort_rank(self, code: str) -> int:
        """For ordering rows whose tier may since have gone: such a tier sorts lowest."""
        row = self._by_code.get(str(code))
        return row.rank if row is not None else -1

    def name(self, code: str, language: str) -> str:
        """The tier's name in the language (English, then the code, where it has none)."""
        row = self._by_code.get(str(code))
        if row is None:
            return str(code)
        return row.names.get(language) or row.names.get("en") or str(code)

    def names_of(self, code: str) -> dict[str, str]:
        return {lang: self.name(code, lang) for lang in TIER_LANGUAGES}

    def loops(self, code: str) -> bool:
        """Whether non-compliance in a case of this tier starts the closed loop."""
        row = self._by_code.get(str(code))
        return bool(row and row.closed_loop)


def check_tier(row: TierPolicy) -> None:
    """One tier on its own: its code, its names, no interval below one."""
    tier = str(row.tier)
    if not TIER_CODE.fullmatch(tier):
        raise Invalid(RiskError.TIER_CODE_INVALID, tier=tier, field="tier")
    for lang in TIER_LANGUAGES:
        name = (row.names.get(lang) or "").strip()
        if not name or len(name) > TIER_NAME_LENGTH:
            raise Invalid(
                RiskError.TIER_NAME_MISSING, tier=tier, language=lang, field=f"names.{lang}"
            )
    for name in POLICY_FIELDS:
        value = getattr(row, name)
        if isinstance(value, bool) or value is None:
            continue
        if value < (0 if name == "evening_reminder_hour" else 1):
            raise Invalid(RiskError.INTERVAL_TOO_SMALL, tier=tier, field=name, value=value)
    if row.evening_reminder_hour is not None and row.evening_reminder_hour > 23:
        raise Invalid(
            RiskError.INTERVAL_TOO_SMALL,
            tier=tier,
            field="evening_reminder_hour",
            value=row.evening_reminder_hour,
        )


def check_policy(rows: Iterable[TierPolicy], version: int = 1) -> Tiers:
    """A whole tier set, or an Invalid naming what is wrong: at least one tier, each code and
    each rank once, every tier valid, and the closed loop covering a tier and every tier above
    it."""
    seen: dict[str, TierPolicy] = {}
    ranks: set[int] = set()
    for row in rows:
        check_tier(row)
        if str(row.tier) in seen:
            raise Invalid(RiskError.TIER_TWICE, tier=str(row.tier), field="tier")
        if row.rank in ranks:
            raise Invalid(RiskError.RANK_TAKEN, tier=str(row.tier), rank=row.rank, field="rank")
        seen[str(row.tier)] = row
        ranks.add(row.rank)
    if not seen:
        raise Invalid(RiskError.TIER_MISSING, tiers=[])
    tiers = Tiers(seen.values(), version)
    looped = False
    for code, row in tiers.items():
        if looped and not row.closed_loop:
            raise Invalid(RiskError.LOOP_NOT_UPWARDS, tier=code, field="closed_loop")
        looped = looped or row.closed_loop
    return tiers


def loop_threshold(policy: Mapping[str, TierPolicy]) -> str | None:
    """The lowest tier at which non-compliance starts the closed loop."""
    looped = [t for t in sorted(policy, key=lambda t: policy[t].rank) if policy[t].closed_loop]
    return looped[0] if looped else None


# --- reassessment ---------------------------------------------------------------------------


class Source(StrEnum):
    """Who set a level: the police's initial assessment, or the justice assistant later."""

    POLICE_INITIAL = "police_initial"
    REASSESSMENT = "reassessment"


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"


def reassessment(*, current: str, new: str, reason: str | None, tiers: Tiers) -> Direction:
    """A level goes up at once; down only with a reason; the same level confirms it (and starts
    the reassessment clock again). Up and down go by the tiers' ranks."""
    after = tiers.rank(new)
    before = tiers.sort_rank(current)
    if after < before and not (reason or "").strip():
        raise Invalid(RiskError.DOWNGRADE_NEEDS_REASON, current=current, new=new, field="reason")
    if after > before:
        return Direction.UP
    return Direction.DOWN if after < before else Direction.SAME


def reassessment_due(
    last_assessed_at: datetime | None, policy: TierPolicy | None
) -> datetime | None:
    if last_assessed_at is None or policy is None or policy.reassess_days is None:
        return None
    return last_assessed_at + timedelta(days=policy.reassess_days)


# --- the perpetrator's schedule ----------------------------------------------------------


EVENING_REMINDER = "eve"


def extra_reminder_times(
    scheduled_at: datetime, policy: TierPolicy | None, *, tz: tzinfo
) -> dict[str, datetime]:
    """The reminders a tier adds to the ordinary ones (summons.rules.reminder_times)."""
    if policy is None or policy.evening_reminder_hour is None:
        return {}
    day = scheduled_at.astimezone(tz).date() - timedelta(days=1)
    at = datetime.combine(day, time(policy.evening_reminder_hour), tzinfo=tz).astimezone(UTC)
    return {EVENING_REMINDER: at} if at < scheduled_at else {}


def tier_reminder_times(
    scheduled_at: datetime,
    tier: str,
    policy: Mapping[str, TierPolicy],
    *,
    tz: tzinfo,
) -> dict[str, datetime]:
    """The extra reminders of a summons in a case of this tier (none for an unknown tier)."""
    row = policy.get(str(tier))
    return extra_reminder_times(scheduled_at, row, tz=tz)


def call_task_due(scheduled_at: datetime, policy: TierPolicy | None, *, tz: tzinfo) -> date | None:
    """The day the justice assistant is asked to call the perpetrator before his summons."""
    if policy is None or policy.call_task_days is None:
        return None
    return scheduled_at.astimezone(tz).date() - timedelta(days=policy.call_task_days)


def sapv_update_due(
    *, last: datetime | None, since: datetime, policy: TierPolicy | None
) -> datetime | None:
    """When the SAPV contact is next told the case's status (None: not at this tier)."""
    if policy is None or policy.sapv_update_days is None:
        return None
    return (last or since) + timedelta(days=policy.sapv_update_days)


# --- the closed loop ---------------------------------------------------------------------


class Trigger(StrEnum):
    """The non-compliance that starts the loop in a case at or above the threshold tier."""

    MISSED_SUMMONS = "missed_summons"
    PROGRAMME_ABSENCE = "programme_absence"
    BAN_BREACH = "ban_breach"
    PROGRAMME_CONCERN = "programme_concern"


class Conduct(StrEnum):
    """How a person who attended a programme session behaved (as HMPPS "Manage & Deliver":
    attended and complied / attended, failed to comply; an absence is the attendance outcome)."""

    COMPLIED = "complied"
    FAILED_TO_COMPLY = "failed_to_comply"


def check_concern(concern: bool, description: str | None) -> None:
    if concern and not (description or "").strip():
        raise Invalid(RiskError.CONCERN_NEEDS_DESCRIPTION)


class AlertKind(StrEnum):
    POLICE_ALERT = "police_alert"  # to the referring officer's zone
    SAFETY_CHECK = "safety_check"  # to the victim's SAPV contact


class AlertState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    DONE = "done"


class AlertOutcome(StrEnum):
    """What the owner found when the work was done."""

    VICTIM_SAFE = "victim_safe"
    SAFETY_PLAN_UPDATED = "safety_plan_updated"
    VICTIM_UNREACHABLE = "victim_unreachable"
    POLICE_ACTION_TAKEN = "police_action_taken"
    NO_ACTION_NEEDED = "no_action_needed"


class AlertStep(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    DONE = "done"


# (state, step) -> state: the only moves an alert or a safety check makes.
ALERT_TRANSITIONS: dict[tuple[AlertState, AlertStep], AlertState] = {
    (AlertState.OPEN, AlertStep.ACKNOWLEDGE): AlertState.ACKNOWLEDGED,
    (AlertState.OPEN, AlertStep.DONE): AlertState.DONE,
    (AlertState.ACKNOWLEDGED, AlertStep.DONE): AlertState.DONE,
}


def alert_step(state: str, step: AlertStep, outcome: AlertOutcome | None) -> AlertState:
    target = ALERT_TRANSITIONS.get((AlertState(state), step))
    if target is None:
        allowed = [s for (f, s) in ALERT_TRANSITIONS if f == state]
        raise Conflict(RiskError.ALERT_STEP_NOT_ALLOWED, step=step, state=state, allowed=allowed)
    if target is AlertState.DONE and outcome is None:
        raise Invalid(RiskError.OUTCOME_REQUIRED)
    return target


def loop_applies(tier: str, policy: Mapping[str, TierPolicy]) -> bool:
    row = policy.get(str(tier))
    return bool(row and row.closed_loop)


def alert_due(now: datetime, policy: TierPolicy) -> datetime:
    return now + timedelta(hours=policy.response_hours)


def escalation_deadline(
    *, state: str, due_at: datetime, acknowledged_at: datetime | None, response: timedelta
) -> datetime | None:
    """When an alert not done escalates: unanswered (open), at its due time; acknowledged, when
    it is still not done `response` (its tier's response hours) after the acknowledgement, and
    not before its due time. None once done."""
    if state == AlertState.OPEN:
        return due_at
    if state == AlertState.ACKNOWLEDGED:
        return max(due_at, (acknowledged_at or due_at) + response)
    return None


def escalation_due(
    *, deadline: datetime | None, escalated_at: datetime | None, now: datetime
) -> bool:
    """Past its escalation deadline and not escalated yet: an alert escalates once."""
    return deadline is not None and escalated_at is None and now >= deadline


def check_version(what: str, current: int, sent: int) -> None:
    """Optimistic locking: a person acts on the version they read."""
    if current != sent:
        raise Conflict(
            RecordError.CHANGED_SINCE_READ, record=what, version=sent, current_version=current
        )
