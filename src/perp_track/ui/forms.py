"""From a posted HTML form to the API's own pydantic schemas, and their errors back to fields.

Field names are the schema's paths joined by dots ("perpetrator.first_name",
"conditions.0.kind"), so one generic step builds the nested data and maps every error to the
input it belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from perp_track.errors import Invalid
from perp_track.i18n.errors import validation_message
from perp_track.ui.i18n import N_
from perp_track.ui.rules import local_datetime

M = TypeVar("M", bound=BaseModel)

# Fields of the page itself, never part of the schema.
# "step" and "change" are the buttons of a check-your-answers page (create, or change a field).
_PAGE_FIELDS = frozenset({"csrf_token", "confirm", "next", "return", "step", "change"})


class FormInvalid(Exception):
    """The form cannot become the schema; errors maps field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("invalid form")
        self.errors = errors


def values(form: Mapping[str, Any]) -> dict[str, str]:
    """The submitted values, to show the form again as it was filled in."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k not in _PAGE_FIELDS}


def nest(flat: Mapping[str, str]) -> dict[str, Any]:
    """{"a.b": "1", "c.0.d": "2"} -> {"a": {"b": "1"}, "c": [{"d": "2"}]}; blanks are left out."""
    root: dict[str, Any] = {}
    for key, raw in flat.items():
        value = raw.strip()
        if key in _PAGE_FIELDS or value == "":
            continue
        parts = key.split(".")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _lists(root)


def _lists(node: Any) -> Any:
    if isinstance(node, dict):
        converted = {k: _lists(v) for k, v in node.items()}
        if converted and all(k.isdigit() for k in converted):
            return [converted[k] for k in sorted(converted, key=int)]
        return converted
    return node


def parse(model: type[M], data: dict[str, Any]) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            field = ".".join(str(p) for p in error["loc"]) or "__all__"
            errors.setdefault(field, validation_message(error["type"]))
        raise FormInvalid(errors) from None


def localise_datetime(data: dict[str, Any], key: str, tz: Any) -> None:
    """Turn a datetime-local value (office wall-clock time) into an aware datetime, in place."""
    if key not in data:
        return
    try:
        data[key] = local_datetime(data[key], tz, key)
    except Invalid:
        raise FormInvalid({key: validation_message("datetime_parsing")}) from None


NOT_ALLOWED = N_("This step is not possible from the measure's current status.")
