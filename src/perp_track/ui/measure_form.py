"""The add-measure form's condition blocks: how many to show, the blank ones dropped, and which
block a service error names."""

from __future__ import annotations

from perp_track.errors import Conflict, Invalid

# Empty condition rows on the measure form; a measure rarely has more (the general ones are added).
# The add-measure form starts with one condition; "add another condition" adds a block, up to
# this many.
CONDITION_ROWS = 10


def condition_rows(flat: dict[str, str], *, add: bool) -> int:
    """How many condition blocks to show: those asked for or filled in, and one more on "add"."""
    asked = flat.get("condition_rows", "")
    shown = int(asked) if asked.isdigit() else 1
    for key, value in flat.items():
        parts = key.split(".")
        if value and len(parts) == 3 and parts[0] == "conditions" and parts[1].isdigit():
            shown = max(shown, int(parts[1]) + 1)
    return max(1, min(CONDITION_ROWS, shown + (1 if add else 0)))


def rows_in(errors: dict[str, str]) -> int:
    """How many condition blocks the errors reach (conditions.N.field names block N)."""
    rows = [
        int(parts[1]) + 1
        for parts in (key.split(".") for key in errors)
        if len(parts) == 3 and parts[0] == "conditions" and parts[1].isdigit()
    ]
    return min(CONDITION_ROWS, max(rows, default=0))


def drop_empty_conditions(flat: dict[str, str]) -> dict[str, str]:
    """A condition row left at its blank kind is not a condition."""
    kept = dict(flat)
    for index in range(CONDITION_ROWS):
        prefix = f"conditions.{index}."
        if not flat.get(prefix + "kind"):
            for key in [k for k in kept if k.startswith(prefix)]:
                del kept[key]
    return kept


def field_of_row(flat: dict[str, str], exc: Invalid | Conflict) -> str | None:
    """The form field a service error names. The service counts the conditions it was given;
    the form skips its blank rows, so the n-th condition is the n-th row with a kind (and one
    past the last is the first blank row)."""
    field = str(exc.extra.get("field") or "")
    parts = field.split(".")
    if len(parts) != 3 or parts[0] != "conditions" or not parts[1].isdigit():
        return field or None
    filled = [i for i in range(CONDITION_ROWS) if flat.get(f"conditions.{i}.kind")]
    blank = [i for i in range(CONDITION_ROWS) if i not in filled]
    n = int(parts[1])
    rows = filled + blank
    return f"conditions.{rows[n]}.{parts[2]}" if n < len(rows) else None
