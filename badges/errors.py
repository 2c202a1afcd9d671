"""Errors answer in the caller's language: JSON under /api, an HTML page elsewhere.

Never a stack trace: unexpected errors are logged and answered with a plain 500.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import TypeVar

from flask import Blueprint, Flask, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge, default_exceptions

from .base import InvalidInput
from .credentials.keys import KeyError_
from .educator.uploads import describe_size
from .extensions import db, limiter
from .models import utcnow

API_PREFIX = "/api/"  # where the JSON API lives: every answer under it is JSON, unknown paths too
_JSON_ERRORS = "badges_json_errors"
B = TypeVar("B", bound=Blueprint)


def json_errors(blueprint: B, paths: tuple[str, ...] = ()) -> B:
    """Mark a blueprint of public JSON documents (issuer profiles, keys, status lists, OB 2.0):
    its errors answer in JSON too, since the clients reading it are verifiers, not people. `paths`
    (default: the blueprint's url_prefix) are where it lives, so a path under them that matches no
    route (a made-up or out-of-range id) answers in JSON as well."""
    prefixes = paths or ((blueprint.url_prefix.rstrip("/") + "/",) if blueprint.url_prefix else ())
    setattr(blueprint, _JSON_ERRORS, prefixes)
    return blueprint


def wants_json() -> bool:
    if request.path.startswith(API_PREFIX):
        return True
    if request.blueprint:
        return getattr(current_app.blueprints.get(request.blueprint), _JSON_ERRORS, None) is not None
    prefixes = [p for bp in current_app.blueprints.values() for p in getattr(bp, _JSON_ERRORS, None) or ()]
    return request.path.startswith(tuple(prefixes))


# The error pages in the service's own words: a heading, what happened (when the code that refused said nothing
# more specific than Werkzeug's generic sentence), and what to do next. JSON answers keep the plain status name
# and message: their readers are programs.
PAGES: dict[int, tuple[str, str, str]] = {
    400: (
        "Something in what was sent is not right",
        "The service could not use what your browser sent.",
        "Go back, check what you entered and try again. If a form was open for a long time, reload it first.",
    ),
    403: (
        "This page is not open to you",
        "Your account cannot see or do this.",
        "You are signed in, but your role does not include this page. If you need it for your work, "
        "ask your district's administrator to give you the role.",
    ),
    404: (
        "There is nothing at this address",
        "No page, badge or file has this address.",
        "Check the address for a typing mistake. What was here may have been deleted, or may belong to "
        "someone else: the service answers the same in both cases.",
    ),
    405: (
        "That cannot be done from this address",
        "This address takes a form the page sends, not a link or a typed address (or the other way round).",
        "Use the buttons and links on the pages rather than typing or bookmarking this address.",
    ),
    409: (
        "That changed while you were working",
        "What you sent no longer fits what is saved.",
        "Someone (or you, in another tab) changed it first. Reload the page to see it as it is now.",
    ),
    413: (
        "What you sent is too large",
        "The service refuses uploads this big.",
        "Nothing was saved. Go back and choose a smaller file, or add a link to it instead.",
    ),
    429: (
        "Too many tries in a short time",
        "Too many requests came from your network.",
        "Nothing is wrong with your account: wait, then try again.",
    ),
    500: (
        "Something went wrong on our side",
        "Something went wrong on our side; it has been logged.",
        "It is not your fault, and nothing you sent was half saved. Try again in a few minutes; "
        "if it keeps happening, tell your district's administrator what you were doing.",
    ),
    503: (
        "The service cannot do that right now",
        "Part of the service is not available at the moment.",
        "Nothing was saved. Try again later, and tell your district's administrator if it lasts.",
    ),
}


def error_response(status: int, name: str, message: str, errors: dict | None = None, retry_after: int | None = None):
    if wants_json():
        body = {"code": status, "status": name, "message": message}
        if errors:
            body["errors"] = errors
        return jsonify(body), status
    heading, what, advice = PAGES.get(
        status, (name, message, "Go back and try again, or start again from the home page.")
    )
    if status in default_exceptions and message == default_exceptions[status].description:
        message = what  # Werkzeug's generic English ("The requested URL was not found on the server. ...")
    retry_at = utcnow() + timedelta(seconds=retry_after) if retry_after else None
    page = render_template(
        "errors/error.html",
        status=status,
        name=name,
        heading=heading,
        message=message,
        advice=advice,
        errors=errors,
        retry_at=retry_at,
    )
    return page, status


def handle_http_exception(exc: HTTPException):
    # flask-smorest puts marshmallow field messages in exc.data["messages"].
    data = getattr(exc, "data", None) or {}
    errors = data.get("messages") if isinstance(data, dict) else None
    response = error_response(exc.code or 500, exc.name, exc.description or exc.name, errors)
    allowed = getattr(exc, "valid_methods", None)  # MethodNotAllowed's
    if exc.code == 405 and allowed:
        body, status = response
        return body, status, {"Allow": ", ".join(allowed)}
    return response


def handle_csrf_error(exc: CSRFError):
    return error_response(
        400,
        "Bad Request",
        f"The form's security token is missing or expired ({exc.description}). Reload the page and try again.",
    )


def handle_too_large(exc: RequestEntityTooLarge):
    limit = describe_size(current_app.config["EVIDENCE_MAX_BYTES"])
    return error_response(
        413,
        exc.name,
        f"What was sent is too large: a file can be at most {limit}. "
        "Choose a smaller file, or add a link to it instead.",
    )


def handle_invalid_input(exc):
    if exc.status in (403, 409):
        message = " ".join(m for ms in exc.errors.values() for m in ms)
        return error_response(exc.status, "Forbidden" if exc.status == 403 else "Conflict", message, exc.errors)
    return error_response(400, "Bad Request", "Some of what was sent is not valid; see errors.", exc.errors)


def describe_wait(seconds: int) -> str:
    """A wait in plain words, rounded up: "40 seconds", "3 minutes", "2 hours and 5 minutes"."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours, minutes = divmod(minutes, 60)
    text = f"{hours} hour{'s' if hours != 1 else ''}"
    return text + (f" and {minutes} minute{'s' if minutes != 1 else ''}" if minutes else "")


def rate_limit_wait() -> int:
    """Seconds until this request would be allowed: the longest of its breached limits (every stacked
    limit is checked, RATELIMIT_FAIL_ON_FIRST_BREACH=False), at least 1."""
    resets = [request_limit.reset_at for request_limit in limiter.current_limits if request_limit.breached]
    return max(1, int(max(resets) - time.time())) if resets else 60


def handle_rate_limited(exc: RateLimitExceeded) -> ResponseReturnValue:
    """429 from Flask-Limiter: what was limited (the limit's error_message), how long to wait in words,
    and the same wait in Retry-After."""
    what = exc.description if exc.limit.error_message else "Too many requests from your network."
    wait = rate_limit_wait()
    body, status = error_response(
        429, "Too Many Requests", f"{what} Try again in {describe_wait(wait)}.", retry_after=wait
    )
    return body, status, {"Retry-After": str(wait)}


def handle_permission_error(exc: PermissionError):
    # Views authorize before they act; this is the domain layer's second line of defence.
    return error_response(403, "Forbidden", "You are not allowed to do that.")


def _roll_back() -> None:
    """A failed statement leaves the session unusable: rendering the error page reads the signed-in
    person, which would raise again and escape every handler (a bare 500, not this service's answer)."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.remove()


def handle_database_refused(exc: DataError | OverflowError) -> ResponseReturnValue:
    """The last line behind the request guard and the forms: a value the database cannot store (a number
    out of its range, a string too long for its column) is the request's fault, so 400, and logged.
    SQLite's driver raises OverflowError for an integer it cannot bind; PostgreSQL's a DataError."""
    _roll_back()
    current_app.logger.warning(
        "a value was refused on %s %s: %s", request.method, request.path, getattr(exc, "orig", exc)
    )
    return error_response(
        400,
        "Bad Request",
        "A value that was sent cannot be stored (a number out of range, "
        "a text too long, or a character the database refuses); "
        "check what you entered.",
    )


def handle_unexpected(exc: Exception) -> ResponseReturnValue:
    if isinstance(exc, HTTPException):
        return handle_http_exception(exc)
    _roll_back()
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, InternalServerError().name, "Something went wrong on our side; it has been logged.")


def handle_signing_unavailable(exc):
    current_app.logger.error("signing failed: %s", exc)
    return error_response(
        503,
        "Service Unavailable",
        "Badges cannot be signed right now (the signing keys cannot be used on this server); "
        "nothing was saved. Please tell your administrator.",
    )


def register_error_handlers(app: Flask) -> None:
    # Registered after flask-smorest's Api, so these replace its HTTPException handler.
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(InvalidInput, handle_invalid_input)
    app.register_error_handler(PermissionError, handle_permission_error)
    app.register_error_handler(KeyError_, handle_signing_unavailable)
    app.register_error_handler(RequestEntityTooLarge, handle_too_large)
    app.register_error_handler(RateLimitExceeded, handle_rate_limited)
    app.register_error_handler(DataError, handle_database_refused)
    app.register_error_handler(OverflowError, handle_database_refused)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
