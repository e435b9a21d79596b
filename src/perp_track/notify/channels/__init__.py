"""The ports the dispatcher sends through. Adapters: Twilio SMS (sms.py), SMTP e-mail (email.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class Failure(StrEnum):
    """What a failed send means for the next step (DOMAIN §6)."""

    # Never processed (HTTP 429 / 20429, or the connection was refused): safe to retry later.
    RETRY = "retry"
    # The request may have been processed (5xx, timeout after sending): never resend blindly.
    AMBIGUOUS = "ambiguous"
    # The number or address will not work (21610, 21211, 21614, 30005, 30006...): undeliverable.
    PERMANENT = "permanent"
    # Refused for another reason (a bad request): failed, a person looks at it.
    REJECTED = "rejected"


class SendError(Exception):
    def __init__(self, failure: Failure, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.failure = failure
        self.message = message
        self.code = code


class LookupFailed(Exception):
    """The provider could not say whether a message exists (its list failed or timed out).

    Never a reason to send again, nor to give up: the look-up is tried again later.
    """


@dataclass(frozen=True, slots=True)
class SmsReceipt:
    sid: str
    status: str


class SmsPort(Protocol):
    async def send(self, *, to: str, body: str, validity_period: int | None) -> SmsReceipt: ...

    async def find(self, *, to: str, body: str, since: datetime) -> SmsReceipt | None:
        """A message already accepted by the provider for this number and text since then.

        None is proof that there is none; raises LookupFailed when the provider cannot tell.
        """
        ...

    async def status(self, sid: str) -> SmsReceipt | None:
        """What the provider says of a message now (None: it does not know it)."""
        ...

    async def close(self) -> None: ...


class EmailPort(Protocol):
    async def send(self, *, to: str, subject: str, text: str, html: str) -> None: ...
