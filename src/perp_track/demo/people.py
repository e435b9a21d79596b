"""The demo's organisations and staff: one justice house, Praxis, a police zone, an SAPV."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from perp_track.auth.rules import Role
from perp_track.orgs.rules import OrgKind

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo on purpose
BRUSSELS = ZoneInfo("Europe/Brussels")
JUSTICE_HOUSE = "Maison de justice de Liège"


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: Role
    org: str
    language: str = "fr"
    phone: str | None = None


ORGS: dict[str, tuple[str, OrgKind, str | None, str]] = {
    "jh": (JUSTICE_HOUSE, OrgKind.JUSTICE_HOUSE, "LIE", "fr"),
    "praxis": ("Praxis Liège", OrgKind.PROGRAMME_PROVIDER, None, "fr"),
    "police": ("Zone de police de Liège", OrgKind.POLICE_ZONE, "5277", "fr"),
    "sapv": ("SAPV Liège", OrgKind.SAPV, None, "fr"),
    "parquet": ("Parquet de Liège", OrgKind.PROSECUTOR_OFFICE, "LIE", "fr"),
}
# The zone's on-duty desk: the risk policy's police alerts are written to it as well as to the
# zone's officers, so that they are read when the referring officer is away.
ORG_EMAILS = {"police": "permanence@police-liege.example"}

DEMO_USERS = [
    DemoUser("anne.lambert@mj-liege.example", "Anne Lambert", Role.JUSTICE_ASSISTANT, "jh"),
    DemoUser(
        "pieter.janssens@mj-liege.example", "Pieter Janssens", Role.JUSTICE_ASSISTANT, "jh", "nl"
    ),
    DemoUser("sophie.renard@mj-liege.example", "Sophie Renard", Role.SUPERVISOR, "jh"),
    DemoUser("karim.haddad@praxis.example", "Karim Haddad", Role.PROGRAMME_STAFF, "praxis"),
    DemoUser("luc.martin@police-liege.example", "Luc Martin", Role.POLICE_OFFICER, "police"),
    DemoUser(
        "els.peeters@police-liege.example", "Els Peeters", Role.POLICE_OFFICER, "police", "nl"
    ),
    DemoUser("nadia.benali@sapv-liege.example", "Nadia Benali", Role.SAPV_CONTACT, "sapv"),
]
