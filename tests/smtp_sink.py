"""A real SMTP server in the test process (aiosmtpd, on a thread of its own) standing in for
the mail relay of processes the tests start: every message is kept, with its recipients and
its headers, for the test to count."""

import threading
from dataclasses import dataclass
from email.parser import BytesHeaderParser

from aiosmtpd.controller import Controller

from tests.processes import free_port


@dataclass(frozen=True)
class Received:
    recipients: tuple[str, ...]
    headers: dict[str, str]


class SmtpSink:
    def __init__(self):
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=free_port())

    @property
    def url(self) -> str:
        """The EMAIL_URL a process of the site sends through."""
        return f"smtp://127.0.0.1:{self._controller.port}"

    def start(self) -> "SmtpSink":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        message = BytesHeaderParser().parsebytes(envelope.original_content)
        with self._lock:
            self.received.append(Received(tuple(envelope.rcpt_tos), dict(message.items())))
        return "250 OK"

    def to(self, address: str) -> list[Received]:
        with self._lock:
            return [message for message in self.received if address in message.recipients]

    def clear(self) -> None:
        with self._lock:
            self.received.clear()
