"""Request guards that the /verify page and POST /api/v1/verify share: one rate budget per client for
both, and one bound on what is read. Both layers import this module (never each other); the bounds
themselves are the domain's (badges.credentials.verify_input).
"""

from __future__ import annotations

from flask import current_app, request
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from .credentials.verify_input import IMAGE_MAX_BYTES, REQUEST_MAX_BYTES
from .extensions import limiter


def _verify_rate() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


def _too_many_message() -> str:
    return f"Too many verifications from your address (at most {_verify_rate()})."


def _not_a_verification() -> bool:
    """Showing the empty form, and CORS preflights, cost nothing and are not counted."""
    return request.method == "OPTIONS" or (
        request.method in ("GET", "HEAD") and "token" not in request.args and "credential" not in request.args
    )


# One budget per client for the page and the API together.
verify_limit = limiter.shared_limit(
    _verify_rate, scope="verify", error_message=_too_many_message, exempt_when=_not_a_verification
)


def refuse_oversized_request() -> None:
    """Refuse a body larger than verification ever needs before anything reads it (413)."""
    request.max_content_length = REQUEST_MAX_BYTES  # also bounds chunked bodies as they are read
    if request.content_length is not None and request.content_length > REQUEST_MAX_BYTES:
        raise RequestEntityTooLarge()


def read_image(upload: FileStorage) -> bytes:
    """The uploaded image's bytes, reading at most one byte past the bound (413 beyond it)."""
    data = upload.stream.read(IMAGE_MAX_BYTES + 1)
    if len(data) > IMAGE_MAX_BYTES:
        raise RequestEntityTooLarge()
    return data
