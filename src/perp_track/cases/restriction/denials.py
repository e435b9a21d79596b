"""Refused attempts on restricted cases: on the audit trail, and told to the case's managers."""

from __future__ import annotations

from datetime import datetime

from perp_track import db
from perp_track.audit import services as audit
from perp_track.audit.rules import Action
from perp_track.cases.access import Denial
from perp_track.cases.restriction import rules
from perp_track.cases.tables import Case, CaseAccess
from perp_track.notify.rules import Audience, Channel, SystemNotice
from perp_track.notify.services import queue_system_notice
from perp_track.orgs.tables import Organisation


async def write_denials(denials: list[Denial], *, now: datetime, what: str) -> None:
    """Refused attempts on restricted cases: each on the audit trail (its own transaction: the
    request's was rolled back by the 404) and told in the app to the supervisors and
    administrators named on the case."""
    for denial in denials:
        async with db.transaction():
            case = (
                await Case.select(Case.id, Case.reference, Case.justice_house)
                .where(Case.id == denial.case_id)
                .first()
            )
            if case is None:
                continue
            entry = await audit.append(
                actor=denial.actor,
                action=Action.DENIED,
                record_type="case",
                record_id=denial.case_id,
                case_id=denial.case_id,
                now=now,
                detail=f"restricted case refused: {what}",
            )
            managers = await CaseAccess.select(CaseAccess.user).where(
                (CaseAccess.case == denial.case_id)
                & CaseAccess.user.role.is_in(sorted(rules.MANAGERS))
            )
            organisation = (
                await Organisation.select(Organisation.name)
                .where(Organisation.id == denial.actor.organisation_id)
                .first()
            )
            await queue_system_notice(
                notice=SystemNotice.RESTRICTED_CASE_ATTEMPT,
                user_ids=[m["user"] for m in managers],
                case_id=denial.case_id,
                payload={
                    "case_reference": case["reference"],
                    "actor_name": denial.actor.full_name,
                    "actor_organisation": organisation["name"] if organisation else "",
                    "attempted_at": now.isoformat(),
                },
                key=f"denied:{entry}",
                now=now,
                audience=Audience.JUSTICE_ASSISTANT,
                channels=(Channel.IN_APP,),
            )
