"""Domain errors. The web layer maps each to an HTTP status once (see app.py)."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base class: a message a person understands, plus optional structured detail."""

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra


class NotFound(DomainError):
    """The record does not exist, or the actor may not know that it exists."""


class Conflict(DomainError):
    """The request clashes with the current state (an illegal transition, a stale version)."""


class Forbidden(DomainError):
    """The actor is known but may not do this."""


class Invalid(DomainError):
    """The request breaks a rule of the domain (e.g. attendance for a future session)."""


class Unauthenticated(DomainError):
    """No valid credentials."""


class TooManyAttempts(DomainError):
    """Too many failures in a short time: wait before trying again."""
