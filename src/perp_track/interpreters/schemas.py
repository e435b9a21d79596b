from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from perp_track.measures.schemas import Version
from perp_track.schemas import In, InterpreterLanguage, Out, PhoneNumber, ShortText

EmailAddress = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
MessageLanguage = Literal["fr", "nl", "en"]


class InterpreterCreate(In):
    full_name: ShortText
    language: InterpreterLanguage = Field(description="The language interpreted, e.g. arabic")
    sworn: bool = False
    email: EmailAddress = Field(description="Where bookings, moves and cancellations are sent")
    phone: PhoneNumber | None = None
    organisation: ShortText | None = Field(default=None, description="Agency or employer")
    message_language: MessageLanguage = Field(
        default="fr", description="The language of the e-mails the interpreter receives"
    )


class InterpreterUpdate(In):
    version: Version
    full_name: ShortText | None = None
    language: InterpreterLanguage | None = None
    sworn: bool | None = None
    email: EmailAddress | None = None
    phone: PhoneNumber | None = None
    organisation: ShortText | None = None
    message_language: MessageLanguage | None = None


class InterpreterActive(In):
    active: bool
    version: Version


class InterpreterRead(Out):
    id: int
    full_name: str
    language: str
    sworn: bool
    email: str
    phone: str | None
    organisation: str | None
    message_language: str
    active: bool
    version: int


class BookingIn(In):
    interpreter_id: int
    version: Version = Field(description="The version of the summons you read")


class BookingRelease(In):
    version: Version = Field(description="The version of the summons you read")


class BookingRead(Out):
    id: int
    reference: str
    interpreter_id: int
    interpreter_name: str
    sworn: bool
    language: str
    status: str
