"""Shared pieces of the API schemas."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

PhoneNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^\+[1-9]\d{6,14}$"),
    Field(description="E.164, e.g. +32470123456", examples=["+32470123456"]),
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^(fr|nl|de|en)$")]
InterpreterLanguage = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=32)
]


class In(BaseModel):
    """Request bodies: unknown fields are refused, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Ref(Out):
    """A reference to a user or an organisation, by id and name."""

    id: int
    name: str
