"""Real servers on loopback for the delivery tests: SMTP (aiosmtpd) and a Slack-like webhook.

Both listen on 127.0.0.1 on a free port chosen by the operating system, record what they
receive, and (the webhook) answer with the statuses a test queues: 500, 429 with
Retry-After, or 200 "ok" as Slack does.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.served import free_port

__all__ = ["SmtpSink", "WebhookServer", "free_port"]


class SmtpSink:
    """An aiosmtpd server that keeps every message it accepts, parsed."""

    def __init__(self, port: int | None = None) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[Message] = []
        self.raw: list[bytes] = []  # each message exactly as the server received it
        self.envelopes: list[tuple[str, list[str]]] = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802
                sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
                sink.raw.append(envelope.original_content)
                sink.messages.append(message_from_bytes(envelope.original_content))
                return "250 OK"

        self.port = port or free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


class WebhookServer:
    """An HTTP server that records JSON posts and answers with queued statuses."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.raw: list[bytes] = []  # each accepted body exactly as the server received it
        self.answers: deque[tuple[int, dict[str, str], str]] = deque()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                status, headers, text = (
                    server.answers.popleft() if server.answers else (200, {}, "ok")
                )
                if status == 200:
                    server.raw.append(body)
                    server.received.append(json.loads(body))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/services/T000/B000/secret-token"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def answer(self, status: int, text: str = "", **headers: str) -> None:
        self.answers.append((status, {k.replace("_", "-"): v for k, v in headers.items()}, text))

    def __enter__(self) -> WebhookServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
