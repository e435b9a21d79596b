"""A small world for tests: the organisations and users of one justice house and its partners."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.services import create_user
from perp_track.cases.rules import Authority, RiskLevel
from perp_track.cases.schemas import CaseCreate, CaseRead, PersonIn, VictimIn
from perp_track.cases.services import open_case
from perp_track.clock import FrozenClock
from perp_track.measures.rules import ConditionKind, MeasureKind
from perp_track.measures.schemas import ConditionCreate, MeasureCreate, MeasureRead
from perp_track.measures.services import add_measure
from perp_track.orgs.rules import OrgKind
from perp_track.orgs.services import create_organisation

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    clock: FrozenClock
    orgs: dict[str, int]
    ja: ActingUser
    ja2: ActingUser
    supervisor: ActingUser
    other_house_ja: ActingUser
    officer: ActingUser
    sapv: ActingUser
    praxis: ActingUser

    def today(self) -> date:
        from zoneinfo import ZoneInfo

        return self.clock.now().astimezone(ZoneInfo("Europe/Brussels")).date()

    def case_data(self, **overrides: Any) -> CaseCreate:
        data: dict[str, Any] = {
            "mandating_authority": Authority.PROSECUTOR,
            "authority_reference": "LI.26.12.345/26",
            "referring_officer_id": self.officer.id,
            "risk_level": RiskLevel.HIGH,
            "perpetrator": PersonIn(
                first_name="Marc",
                last_name="Dubois",
                phone="+32470111222",
                address="Rue Saint-Gilles 1, 4000 Liège",
            ),
            "victim": VictimIn(
                first_name="Julie",
                last_name="Dubois",
                phone="+32470333444",
                # The home a residence ban protects (a ban needs an address).
                address="Rue Haute 12, 4000 Liège",
                sapv_contact_id=self.sapv.id,
            ),
        }
        data.update(overrides)
        return CaseCreate(**data)

    async def open_case(self, **overrides: Any) -> CaseRead:
        return await open_case(actor=self.ja, data=self.case_data(**overrides), clock=self.clock)

    def measure_data(self, kind: MeasureKind = MeasureKind.MEDIATION_216TER, **overrides: Any):
        data: dict[str, Any] = {
            "kind": kind,
            "decided_by": "Parquet de Liège",
            "decided_on": self.today(),
            "starts_on": self.today(),
        }
        data.update(overrides)
        return MeasureCreate(**data)

    async def add_measure(
        self, case_id: int, kind: MeasureKind = MeasureKind.MEDIATION_216TER, **overrides: Any
    ) -> MeasureRead:
        return await add_measure(
            actor=self.ja,
            case_id=case_id,
            data=self.measure_data(kind, **overrides),
            clock=self.clock,
        )

    def programme(self) -> ConditionCreate:
        return ConditionCreate(
            kind=ConditionKind.PROGRAMME, provider_id=self.orgs["praxis"], required_sessions=21
        )

    def soon(self, days: int = 7, hour: int = 10) -> datetime:
        return (self.clock.now() + timedelta(days=days)).replace(
            hour=hour, minute=0, second=0, microsecond=0
        )


async def build_world(clock: FrozenClock) -> World:
    orgs = {
        "jh": await create_organisation(
            name="MJ Liège", kind=OrgKind.JUSTICE_HOUSE, code="LIE", clock=clock
        ),
        "jh2": await create_organisation(
            name="JH Antwerpen", kind=OrgKind.JUSTICE_HOUSE, code="ANT", language="nl", clock=clock
        ),
        "praxis": await create_organisation(
            name="Praxis", kind=OrgKind.PROGRAMME_PROVIDER, clock=clock
        ),
        "police": await create_organisation(
            name="ZP Liège", kind=OrgKind.POLICE_ZONE, code="5277", clock=clock
        ),
        "sapv": await create_organisation(name="SAPV Liège", kind=OrgKind.SAPV, clock=clock),
    }

    async def user(email: str, role: Role, org: str, language: str = "fr") -> ActingUser:
        return await create_user(
            email=email,
            full_name=email.split("@")[0].replace(".", " ").title(),
            role=role,
            organisation_id=orgs[org],
            password=PASSWORD,
            language=language,
            clock=clock,
        )

    return World(
        clock=clock,
        orgs=orgs,
        ja=await user("anne.ja@test.example", Role.JUSTICE_ASSISTANT, "jh"),
        ja2=await user("pieter.ja@test.example", Role.JUSTICE_ASSISTANT, "jh", "nl"),
        supervisor=await user("sophie.sup@test.example", Role.SUPERVISOR, "jh"),
        other_house_ja=await user("jan.ja@test.example", Role.JUSTICE_ASSISTANT, "jh2", "nl"),
        officer=await user("luc.officer@test.example", Role.POLICE_OFFICER, "police"),
        sapv=await user("nadia.sapv@test.example", Role.SAPV_CONTACT, "sapv"),
        praxis=await user("karim.praxis@test.example", Role.PROGRAMME_STAFF, "praxis"),
    )
