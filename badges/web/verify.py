"""The public verification page: paste a token or a credential's JSON, upload a baked badge, or follow a
link with ?token=. No sign-in; the form carries a CSRF token like every other form.

Verifications are rate-limited per client (VERIFY_RATE_LIMIT), counted together with the API's, and
what is sent is bounded: a baked image up to 5 MiB, the whole request a little more.
"""

from __future__ import annotations

import base64

from flask import Blueprint, render_template, request
from flask_limiter import RateLimitExceeded
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from ..base import InvalidInput
from ..credentials import verification
from ..credentials.baking import PNG_SIGNATURE, BakedImageError, extract_any
from ..credentials.recipient import EMAIL_FIELD, belongs_to, checked_email
from ..credentials.vc_jwt import MAX_TOKEN_CHARS
from ..credentials.verification import Verification
from ..credentials.verify_input import IMAGE_MAX_BYTES, too_large_message
from ..errors import describe_wait, rate_limit_wait
from ..verify_guards import read_image, refuse_oversized_request, verify_limit
from .verdicts import verdict

bp = Blueprint("verify", __name__)

NOTHING_GIVEN = "Paste a token or the credential's JSON, or choose a badge image."
BOTH_GIVEN = "Give either a token or credential, or a badge image, not both."
SHOWN_IMAGE_MAX_BYTES = 2 * 1024 * 1024  # larger uploads are verified, but not echoed back in the page


def uploaded_image_url(data: bytes) -> str | None:
    """The uploaded picture as a data: URL for an <img> (the CSP allows img-src data:), so that it is
    shown beside what its credential says. An SVG is only ever shown through <img>, where it runs no
    script and loads nothing; never inline. None for what is neither PNG nor SVG, or too large to show."""
    if len(data) > SHOWN_IMAGE_MAX_BYTES:
        return None
    if data.startswith(PNG_SIGNATURE):
        media_type = "image/png"
    elif b"<svg" in data[:4096]:
        media_type = "image/svg+xml"
    else:
        return None
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def verify_upload_or_text(text: str | None, upload: FileStorage | None) -> tuple[Verification, str | None, str | None]:
    """(verdict, the uploaded picture as a data: URL or None, the credential text that was checked) for
    whichever was given: a baked image, or a pasted token / credential JSON. The text lets the email
    check below the verdict post the same credential again without a second upload."""
    if upload is not None:
        data = read_image(upload)
        try:
            baked = extract_any(data).get("openbadgecredential")
        except BakedImageError:
            baked = None
        return verification.verify_image(data), uploaded_image_url(data), baked
    return verification.verify_text(text), None, text


def email_check(result: Verification, given: str | None) -> dict | None:
    """Whether the badge names this email address: {email, outcome, message}; None when none was given.
    The address is hashed with each salt the signed credential carries and compared, then forgotten."""
    if not (given or "").strip():
        return None
    try:
        email = checked_email(given)
    except InvalidInput as exc:
        return {"email": given, "outcome": "bad", "message": " ".join(exc.errors[EMAIL_FIELD])}
    if result.says is None:
        message = "The email address cannot be checked: this badge did not pass the signature check."
        return {"email": email, "outcome": "cannot", "message": message}
    identities = result.says["email_identities"]
    if not identities:
        return {"email": email, "outcome": "cannot", "message": "This badge does not name an email address."}
    if belongs_to(identities, email):
        return {"email": email, "outcome": "match", "message": f"Yes: this badge was issued to {email}."}
    return {"email": email, "outcome": "no-match", "message": f"No: this badge was not issued to {email}."}


class VerifyForm(FlaskForm):
    token = TextAreaField(
        "Token or credential",
        validators=[Length(max=MAX_TOKEN_CHARS)],
        render_kw={"rows": 6},
        description="A VC-JWT (it starts with eyJ), or the JSON of a credential with a proof.",
    )
    image = FileField("Badge image", description="A PNG or SVG with the credential baked in, up to 5 MiB.")
    email = StringField(
        "Check that this badge belongs to an email address",
        validators=[Length(max=320)],
        description="Optional. The address is compared with the badge's salted hash and not kept.",
    )


def _uploaded(form: VerifyForm) -> FileStorage | None:
    data = form.image.data
    return data if isinstance(data, FileStorage) and data.filename else None


def _page(
    form: VerifyForm,
    result=None,
    problem: str | None = None,
    status: int = 200,
    uploaded: str | None = None,
    was_upload: bool = False,
    checked_text: str | None = None,
):
    email = email_check(result, form.email.data) if result is not None else None
    if email is not None and email["outcome"] == "bad" and status == 200:
        status = 400
    found = verdict(result) if result is not None else None
    body = render_template(
        "public/verify.html",
        form=form,
        result=result,
        problem=problem,
        verdict=found,
        heading=found.word if found else None,
        image_max=IMAGE_MAX_BYTES,
        uploaded=uploaded,
        was_upload=was_upload,
        checked_text=checked_text,
        email=email,
    )
    # A verdict is live (revocation is checked now): never cached.
    return body, status, {"Cache-Control": "no-store"}


@bp.url_value_preprocessor
def _bound_request_size(endpoint, values):
    # Runs before every before_request hook, so before the CSRF check reads the form.
    refuse_oversized_request()


@bp.route("/verify", methods=["GET", "POST"])
@verify_limit
def page():
    form = VerifyForm()
    if request.method == "GET":
        token = request.args.get("token")
        if token is None and "credential" in request.args:
            # Share pages link by credential id: a whole token in a URL outgrows servers' request-line limits.
            token = verification.stored_token(request.args.get("credential", ""))
            if token is None:
                return _page(form, problem="There is no badge with that credential id here.", status=404)
        if token is None:
            return _page(form)
        form.token.data = token
        if len(token) > MAX_TOKEN_CHARS:
            return _page(form, problem=too_large_message(), status=413)
        return _page(form, verification.verify_text(token), checked_text=token)
    if not form.validate_on_submit():
        problems = [message for errors in form.errors.values() for message in errors]
        return _page(form, problem=" ".join(problems) or NOTHING_GIVEN, status=400)
    text, upload = (form.token.data or "").strip(), _uploaded(form)
    if not text and upload is None:
        return _page(form, problem=NOTHING_GIVEN, status=400)
    if text and upload is not None:
        return _page(form, problem=BOTH_GIVEN, status=400)
    result, uploaded, checked_text = verify_upload_or_text(text, upload)
    return _page(form, result, uploaded=uploaded, was_upload=upload is not None, checked_text=checked_text)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(exc):
    return _page(VerifyForm(formdata=None), problem=too_large_message(), status=413)


@bp.errorhandler(RateLimitExceeded)
def _rate_limited(exc):
    wait = f"Try again in {describe_wait(rate_limit_wait())}."
    return _page(VerifyForm(formdata=None), problem=f"{exc.description} {wait}", status=429)
