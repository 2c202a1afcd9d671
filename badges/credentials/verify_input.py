"""How much a verification may be sent, and what a person is told when it is more: the one place the
/verify page and POST /api/v1/verify read these bounds from."""

from __future__ import annotations

from .baking import MAX_INPUT_BYTES
from .vc_jwt import MAX_TOKEN_CHARS

IMAGE_MAX_BYTES = MAX_INPUT_BYTES
# The image plus the form's other fields (a pasted token may be up to MAX_TOKEN_CHARS).
REQUEST_MAX_BYTES = IMAGE_MAX_BYTES + 1024 * 1024


def too_large_message() -> str:
    return (
        f"What was sent is too large: a badge image can be at most {IMAGE_MAX_BYTES // (1024 * 1024)} MiB "
        f"and a token or credential at most {MAX_TOKEN_CHARS:,} characters."
    )
