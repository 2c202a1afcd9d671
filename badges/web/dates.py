"""One date format everywhere a person reads one: "3 Dec 2026", and with the time "3 Dec 2026, 14:05 UTC".

Day first with the month in letters, so no reader mistakes 03/12 for 12 March or 3 December; times are
stored and shown in UTC and say so. Machine-readable places (CSV, JSON, <time datetime>) keep ISO 8601.
An ISO 8601 string (a credential's validFrom, read on the verify page) is shown the same way; a string that is
not one is shown as it is, since it came from outside.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask


def _as_date(value: date | datetime | str) -> date | datetime | None:
    if isinstance(value, str):
        text = value.strip()
        try:
            value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            return None
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def day(value: date | datetime | str | None) -> str:
    if value is None:
        return ""
    when = _as_date(value)
    if when is None:
        return str(value)
    return f"{when.day} {when:%b %Y}"


def moment(value: datetime | str | None) -> str:
    if value is None:
        return ""
    when = _as_date(value)
    if not isinstance(when, datetime):
        return day(value)
    return f"{day(when)}, {when:%H:%M} UTC"


def register_date_filters(app: Flask) -> None:
    app.add_template_filter(day, "day")
    app.add_template_filter(moment, "moment")
