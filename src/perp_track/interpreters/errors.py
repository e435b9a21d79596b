"""Interpreters and their bookings: the error codes (see perp_track.errors)."""

from __future__ import annotations

from perp_track.errors import ErrorCode
from perp_track.i18n import N_


class InterpreterError(ErrorCode):
    """The interpreter register of a justice house and the bookings of its summons."""

    NOT_FOUND = ("interpreter.not_found", N_("interpreter %(interpreter_id)s not found"))
    REGISTER_OF_A_HOUSE = (
        "interpreter.register_of_a_house",
        N_("the interpreter register is kept by a justice house"),
    )
    REGISTER_BY_SUPERVISORS = (
        "interpreter.register_by_supervisors",
        N_("the interpreter register is kept by supervisors"),
    )
    EMAIL_TAKEN = (
        "interpreter.email_taken",
        N_("an interpreter with this e-mail address is already in the register for this language"),
    )
    INACTIVE = (
        "interpreter.inactive",
        N_("this interpreter is no longer in service; choose another"),
    )
    WRONG_LANGUAGE = (
        "interpreter.wrong_language",
        N_("this interpreter does not interpret %(language)s"),
    )
    NO_LANGUAGE = (
        "interpreter.no_language",
        N_("say which language needs an interpreter"),
    )
    HAS_BOOKINGS = (
        "interpreter.has_bookings",
        N_(
            "this interpreter is booked for %(count)s summons to come: book someone else"
            " for them first"
        ),
    )
    ALREADY_BOOKED = (
        "interpreter.already_booked",
        N_("this interpreter is already booked for this summons"),
    )
    SUMMONS_NOT_OPEN = (
        "interpreter.summons_not_open",
        N_("an interpreter can be booked for a summons still to come only"),
    )
    NOTHING_BOOKED = ("interpreter.nothing_booked", N_("no interpreter is booked for this summons"))
