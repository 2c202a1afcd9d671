"""One date format everywhere a person reads one: "3 Dec 2026", and with the time "3 Dec 2026, 14:05 UTC".

Day first with the month in letters, so no reader mistakes 03/12 for 12 March or 3 December; times are
stored and shown in UTC and say so. Machine-readable places (CSV, JSON, <time datetime>) keep ISO 8601.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask


def day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%b %Y}"


def moment(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{day(value)}, {value:%H:%M} UTC"


def register_date_filters(app: Flask) -> None:
    app.add_template_filter(day, "day")
    app.add_template_filter(moment, "moment")
