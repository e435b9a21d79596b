"""E-mail to staff over SMTP, with a text and an HTML part."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage

from perp_track.config import Settings
from perp_track.notify.channels import Failure, SendError


class SmtpEmail:
    def __init__(self, settings: Settings) -> None:
        self.host = settings.smtp_host
        self.port = settings.smtp_port
        self.sender = settings.smtp_from
        self.timeout = settings.smtp_timeout_seconds

    def _send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            smtp.send_message(message)

    async def send(self, *, to: str, subject: str, text: str, html: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(text)
        message.add_alternative(html, subtype="html")
        try:
            await asyncio.to_thread(self._send, message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendError(Failure.PERMANENT, "the mail server refused the address") from exc
        except smtplib.SMTPResponseException as exc:
            failure = Failure.RETRY if 400 <= exc.smtp_code < 500 else Failure.REJECTED
            raise SendError(failure, f"mail server answered {exc.smtp_code}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            # No conversation, or it broke before the data was accepted: trying again is safe
            # enough for staff e-mail (at worst a duplicate to a colleague, never to a victim).
            raise SendError(
                Failure.RETRY, f"mail server unreachable ({type(exc).__name__})"
            ) from exc

    async def close(self) -> None:
        return None
