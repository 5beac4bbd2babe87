"""Log records that carry the request they belong to, as text or one JSON object a line.

Loaded by ``LOGGING`` while settings are configured, so it imports nothing of Django's
models: only the request id's context variable, which the middleware sets.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_ID: ContextVar[str] = ContextVar("kintsugi_request_id", default="-")
# What LogRecord has anyway: everything else on a record was passed as ``extra``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    """Stamp every record with the id of the request being served ("-" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get()
        return True


class TextFormatter(logging.Formatter):
    """The message as it always was, with ``[request <id>]`` when it was logged in one."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        request_id = getattr(record, "request_id", "-")
        return text if request_id == "-" else f"{text} [request {request_id}]"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: what log shippers (Loki, Elasticsearch, CloudWatch) parse."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", REQUEST_ID.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
