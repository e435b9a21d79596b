"""Message bodies from notifications/: a sandboxed Jinja2 environment, strict about variables.

File names: <notice>.<channel>[.<variant>].<language>.j2, e.g. ban_extended.sms.status.nl.j2.
A template may set `subject` ({% set subject %}…{% endset %}); the rest is the body.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import FileSystemLoader, StrictUndefined, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

from perp_track import paths
from perp_track.notify import words
from perp_track.risk.rules import DEFAULT_POLICY

LANGUAGES = ("fr", "nl", "en", "de")
_FALLBACK = ("en", "fr")


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    body: str
    template: str

    @property
    def html(self) -> str:
        paragraphs = "".join(
            f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in self.body.split("\n\n")
        )
        return (
            '<!doctype html><html><body style="font-family:sans-serif;max-width:40em">'
            f'<h1 style="font-size:1.2em">{html.escape(self.subject)}</h1>{paragraphs}'
            "</body></html>"
        )


class TemplateMissing(LookupError):
    pass


def _local(value: Any, tz: ZoneInfo, fmt: str) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return value.astimezone(tz).strftime(fmt)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


@lru_cache(maxsize=4)
def environment(folder: str = str(paths.NOTIFICATIONS), timezone: str = "Europe/Brussels"):
    tz = ZoneInfo(timezone)
    env = SandboxedEnvironment(
        loader=FileSystemLoader(folder),
        undefined=StrictUndefined,
        autoescape=False,  # plain text (SMS, e-mail text part); the HTML part escapes itself
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        # Message bodies ship with the release: no file check on every message sent.
        auto_reload=False,
    )
    env.filters["day"] = lambda v: _local(v, tz, "%d/%m/%Y")
    env.filters["when"] = lambda v: _local(v, tz, "%d/%m/%Y %H:%M")
    env.globals["words"] = words.lookup
    return env


def candidates(notice: str, channel: str, language: str, variant: str | None) -> list[str]:
    """The files tried, most specific first; the SMS of a neutral victim variant is shared."""
    names: list[str] = []
    for lang in (language, *_FALLBACK):
        if variant:
            names.append(f"{notice}.{channel}.{variant}.{lang}.j2")
            if variant == "neutral":
                names.append(f"_victim.{channel}.neutral.{lang}.j2")
        else:
            names.append(f"{notice}.{channel}.{lang}.j2")
            if channel == "in_app":  # the inbox shows the e-mail text unless it has its own
                names.append(f"{notice}.email.{lang}.j2")
    return list(dict.fromkeys(names))


_SEEDED_NAMES = {str(t.tier): dict(t.names) for t in DEFAULT_POLICY}


def _tier_name(context: dict[str, Any], language: str) -> dict[str, str]:
    """A risk tier's name in the message's language: tiers are data, so the payload carries
    their names (level_names) as they were when the message was queued; the code otherwise."""
    if "level" not in context:
        return {}
    level = str(context["level"])
    # A message queued before its payload carried the names: the seeded tier's, if it is one.
    names = context.get("level_names") or _SEEDED_NAMES.get(level, {})
    return {"level_name": names.get(language) or names.get("en") or level}


def render(
    *,
    notice: str,
    channel: str,
    language: str,
    context: dict[str, Any],
    variant: str | None = None,
    folder: Path | None = None,
    timezone: str = "Europe/Brussels",
) -> Rendered:
    env = environment(str(folder or paths.NOTIFICATIONS), timezone)
    for name in candidates(notice, channel, language, variant):
        try:
            template = env.get_template(name)
        except TemplateNotFound:
            continue
        module = template.make_module(
            {**context, "lang": language, **_tier_name(context, language)}
        )
        subject = str(getattr(module, "subject", "")).strip()
        body = "\n".join(line.rstrip() for line in str(module).strip().splitlines())
        return Rendered(subject=subject, body=body, template=name)
    raise TemplateMissing(f"no template for {notice}/{channel}/{variant or '-'}/{language}")
