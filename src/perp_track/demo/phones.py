"""The demo's phone numbers: all in Ofcom's drama range, none a real person's."""

from __future__ import annotations

# Demo people never get a real person's number: every demo phone is in the range Ofcom keeps
# for drama, +44 7700 900000 to 900999, which is allocated to no one (Belgium's regulator has no
# such range). With Twilio settings, a demo message goes to no phone.
DRAMA_RANGE = ("+447700900000", "+447700900999")


def demo_phone(n: int) -> str:
    """The n-th demo phone number, in Ofcom's drama range."""
    if not 0 <= n <= 999:
        raise ValueError("the drama range holds 1,000 numbers")
    return f"+447700900{n:03d}"
