"""Organisations: the kinds of services that take part in a case."""

from __future__ import annotations

from enum import StrEnum


class OrgKind(StrEnum):
    JUSTICE_HOUSE = "justice_house"
    PROGRAMME_PROVIDER = "programme_provider"
    POLICE_ZONE = "police_zone"
    SAPV = "sapv"
    PROSECUTOR_OFFICE = "prosecutor_office"


class Language(StrEnum):
    FR = "fr"
    NL = "nl"
    DE = "de"
    EN = "en"
