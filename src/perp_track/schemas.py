"""Shared pieces of the API schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

if TYPE_CHECKING:
    import phonenumbers

# Numbers are read as Belgian unless they carry their country (+33..., 0033...).
PHONE_REGION = "BE"


def fictional(number: phonenumbers.PhoneNumber) -> bool:
    """Ofcom's range for drama, +44 7700 900000 to 900999: allocated to no one, so
    libphonenumber calls it invalid. The demo and the README's examples use it, so that they
    can text nobody."""
    national = str(number.national_number)
    return number.country_code == 44 and len(national) == 10 and national.startswith("7700900")


def e164(value: str) -> str:
    """A phone number as people write it ("0470 12 34 56", "0032 470/12.34.56") in E.164."""
    import phonenumbers  # at first use: importing it is a noticeable part of a start

    try:
        number = phonenumbers.parse(value, PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not (phonenumbers.is_valid_number(number) or fictional(number)):
        # The message never repeats the number: a refused request is logged.
        raise PydanticCustomError("phone_number", "not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


PHONE_FORMAT = (
    "A phone number, stored and returned in E.164 (+32470123456). A number without its country"
    " code is read as Belgian: 0470 12 34 56 becomes +32470123456."
)
PhoneNumber = Annotated[
    str,
    # Digits and the separators people type; never letters (no name slipped into the field).
    StringConstraints(strip_whitespace=True, max_length=32, pattern=r"^\+?[\d\s()./-]+$"),
    AfterValidator(e164),
    Field(description=PHONE_FORMAT, examples=["+32470123456", "0470 12 34 56"]),
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^(fr|nl|de|en)$")]
InterpreterLanguage = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=32)
]


# defer_build: a model's validator and serializer are built at its first use, not at import
# (about 150 models: ~0.1 s of every start); validation is the same.


class In(BaseModel):
    """Request bodies: unknown fields are refused, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True, defer_build=True)


class Ref(Out):
    """A reference to a user or an organisation, by id and name."""

    id: int
    name: str
