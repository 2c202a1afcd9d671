"""Logging, configured once by create_app, by environment:

- development: INFO and up to the console as plain lines, so mail in `log` mode shows under `make run`;
- production: INFO and up as one JSON object per line on stderr, for a log collector to parse;
- testing: left alone, so pytest captures records (caplog) and nothing is printed.

The standard library's logging with a twenty-line formatter: a dependency (python-json-logger) would
buy nothing this needs.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from flask import Flask

# Marks the handler this module installed, so a second app in the same process replaces it
# instead of printing every line twice.
_OWN_HANDLER = "_badges_handler"
PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(app: Flask) -> None:
    environment = app.config.get("ENVIRONMENT", "development")
    if environment == "testing" or app.testing:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if environment == "production" else logging.Formatter(PLAIN_FORMAT))
    setattr(handler, _OWN_HANDLER, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _OWN_HANDLER, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # Flask adds its own stderr handler to the app's logger unless one is reachable; ours is, on the root.
    app.logger.setLevel(logging.DEBUG if app.debug else logging.INFO)
