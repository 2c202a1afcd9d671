"""POST /api/v1/verify: anyone, from any site, checks a badge: a VC-JWT, a credential with a Data Integrity
proof, or a baked PNG/SVG.

The answer is 200 with the verdict whatever it is ("not valid" is a result, not an error); 422 only when
the request names none or several of token/credential/image, 413 when it is too large, 429 when the
client has used its VERIFY_RATE_LIMIT (shared with the /verify page). No session and nothing changed,
so no CSRF token is needed; every answer carries Access-Control-Allow-Origin: * for browsers on other sites.
"""

from __future__ import annotations

from typing import Any

from flask import Request, Response, jsonify
from flask.typing import ResponseReturnValue
from flask.views import MethodView
from flask_limiter import RateLimitExceeded
from flask_smorest import Blueprint
from marshmallow import Schema
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from ..credentials import verification
from ..credentials.verify_input import too_large_message
from ..errors import error_response, handle_rate_limited
from ..extensions import csrf
from ..verify_guards import read_image, refuse_oversized_request, verify_limit
from .verify_schemas import VerifyImageUploadSchema, VerifyRequestSchema, VerifyResultSchema


class _JsonOrMultipartParser(FlaskParser):
    """One body, two shapes: a JSON object, or a form (multipart with the image, or plain fields)."""

    __location_map__ = {**FlaskParser.__location_map__, "body": "load_body"}

    def load_body(self, req: Request, schema: Schema) -> Any:
        if req.is_json:
            return self.load_json(req, schema)
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)


blp = Blueprint(
    "verify_api", __name__, url_prefix="/api/v1", description="Verify a badge: token, credential JSON or baked image"
)
blp.ARGUMENTS_PARSER = _JsonOrMultipartParser()
blp.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
    **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
    "body": "application/json",
}

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "86400",
    "Access-Control-Expose-Headers": "Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset",
}


@blp.url_value_preprocessor
def _bound_request_size(endpoint: str | None, values: dict[str, Any] | None) -> None:
    refuse_oversized_request()


@blp.after_request
def _cors(response: Response) -> Response:
    """Every answer, errors included, is readable by scripts on other sites (no cookies are used)."""
    response.headers.update(CORS_HEADERS)
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@blp.errorhandler(RequestEntityTooLarge)
def _too_large(exc: RequestEntityTooLarge) -> ResponseReturnValue:
    return error_response(413, exc.name, too_large_message())


@blp.errorhandler(RateLimitExceeded)
def _rate_limited(exc: RateLimitExceeded) -> ResponseReturnValue:
    return handle_rate_limited(exc)


@blp.route("/verify")
class Verify(MethodView):
    decorators = [verify_limit]

    @blp.arguments(
        VerifyRequestSchema,
        location="body",
        description=(
            'JSON {"token": ...} or {"credential": {...}}; or multipart/form-data with the file `image` '
            "(a token or credential may also be sent as a form field)."
        ),
    )
    @blp.doc(requestBody={"content": {"multipart/form-data": {"schema": VerifyImageUploadSchema}}})
    @blp.response(200, VerifyResultSchema)
    @blp.alt_response(413, description="The body or the image is too large (images up to 5 MiB)")
    @blp.alt_response(429, description="Too many verifications from this client; see Retry-After")
    def post(self, args: dict[str, Any]) -> Any:
        """Verify a badge: each check named (signature, issuer known, not before, not expired, not revoked)
        with the badge's summary. Public: no sign-in, no CSRF token, any origin."""
        source, value = args["source"], args["value"]
        if source == "image":
            result = verification.verify_image(read_image(value))
        elif source == "credential":
            result = verification.verify_credential(value)
        else:
            result = verification.verify_token(value)
        # Already the documented shape (VerifyResultSchema): sent as is, without a second serialization.
        return jsonify(result.as_dict())


csrf.exempt(Verify)
