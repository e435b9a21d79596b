"""A local SMTP server (aiosmtpd) that keeps what it receives, for tests."""

from __future__ import annotations

import email
import socket
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


class _Keep:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FakeSmtp:
    def __init__(self) -> None:
        self.handler = _Keep()
        # aiosmtpd checks its own port once started, so it needs a real one rather than 0.
        self._port = _free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self._port)

    def start(self) -> FakeSmtp:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def port(self) -> int:
        return self._port

    @property
    def messages(self) -> list[Message]:
        return self.handler.messages

    def refuse(self, address: str) -> None:
        self.handler.refuse.add(address)
