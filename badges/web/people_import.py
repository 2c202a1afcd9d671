"""Importing a roster by upload: the file is checked and previewed (every bad line, every person to
create or change) before anything is written; "Import N people" then applies it all or nothing.

The same badges.people.roster validate/apply as the command line and the API. The uploaded text
travels from the preview to the apply step inside the page, signed (itsdangerous, bound to the
admin and the district, for an hour), so nobody uploads twice and nobody can slip other rows in;
and it is validated again on apply, since the district may have changed in between.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..access import acting_user, admin_required, managed_district
from ..models import District, User
from ..people.roster import COLUMNS, RosterError, RosterPlan, apply_roster, validate_roster

bp = Blueprint("people_import", __name__, url_prefix="/admin/people/import")

# The page's own limit (the command line takes 20 MB): about 50,000 staff lines.
MAX_UPLOAD_BYTES = 4 * 1024 * 1024
TOKEN_MAX_AGE = 3600
SALT = "badges.roster-upload"
EXTENSIONS = (".csv", ".txt")


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


@bp.url_value_preprocessor
def _room_for_the_carried_file(endpoint: str | None, values: dict[str, Any] | None) -> None:
    # The apply form carries the whole file in one field, beyond Flask's 500 kB default for a field.
    # This runs before the CSRF check reads the form (a before_request function), so it applies.
    if endpoint in ("people_import.preview", "people_import.apply"):
        request.max_form_memory_size = max(MAX_UPLOAD_BYTES * 2, current_app.config["MAX_FORM_MEMORY_SIZE"] or 0)


def _bad_file(district: District, message: str) -> ResponseReturnValue:
    return render_template("admin/people/import.html", district=district, columns=COLUMNS, problem=message), 400


def _preview(district: District, plan: RosterPlan, carried: str, name: str) -> ResponseReturnValue:
    status = 400 if plan.problems else 200
    framework = district.framework
    return render_template(
        "admin/people/import_preview.html",
        district=district,
        plan=plan,
        carried=carried,
        filename=name,
        role_names={r.code: r.name for r in framework.roles} if framework else {},
    ), status


def _uploaded_text() -> tuple[str, str]:
    """(file name, text) of the upload; abort(400) with what is wrong with it."""
    upload = request.files.get("roster")
    if upload is None or not upload.filename:
        abort(400, "Choose the roster's CSV file to upload.")
    name = upload.filename
    if not name.lower().endswith(EXTENSIONS):
        abort(400, f"“{name}” is not a CSV file: save the roster as CSV (a .csv file) and upload that.")
    try:
        data = upload.stream.read(MAX_UPLOAD_BYTES + 1)
    finally:
        upload.close()  # a large upload is spooled to a temporary file
    if len(data) > MAX_UPLOAD_BYTES:
        abort(400, f"“{name}” is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB: split the roster into parts.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        abort(400, f"“{name}” is not UTF-8 text (first bad byte on line {line}): save it as “CSV UTF-8”.")
    return name, text


def _carry(district: District, actor: User, name: str, text: str) -> str:
    return _signer().dumps({"district": district.id, "actor": actor.id, "name": name, "csv": text})


def _carried(district: District, actor: User) -> tuple[str, str]:
    try:
        found = _signer().loads(request.form.get("roster", ""), max_age=TOKEN_MAX_AGE)
    except BadSignature:  # includes SignatureExpired
        abort(400, "This preview is out of date or was changed; upload the roster again.")
    if not isinstance(found, dict) or (found.get("district"), found.get("actor")) != (district.id, actor.id):
        abort(400, "This preview belongs to another admin or district; upload the roster again.")
    return str(found.get("name", "roster.csv")), str(found.get("csv", ""))


@bp.get("")
@admin_required
def upload() -> ResponseReturnValue:
    district = managed_district(acting_user())
    return render_template("admin/people/import.html", district=district, columns=COLUMNS, problem=None)


@bp.post("")
@admin_required
def preview() -> ResponseReturnValue:
    """Check the uploaded file and show what it would do; nothing is written."""
    actor = acting_user()
    district = managed_district(actor)
    name, text = _uploaded_text()
    try:
        plan = validate_roster(district, text, actor)
    except RosterError as exc:
        return _bad_file(district, f"“{name}” cannot be imported: {exc.problems[0][1]}.")
    return _preview(district, plan, _carry(district, actor, name, text), name)


@bp.post("/apply")
@admin_required
def apply() -> ResponseReturnValue:
    """Validate the carried file again and write it, all or nothing."""
    actor = acting_user()
    district = managed_district(actor)
    name, text = _carried(district, actor)
    try:
        plan = validate_roster(district, text, actor)
    except RosterError as exc:
        return _bad_file(district, f"“{name}” cannot be imported: {exc.problems[0][1]}.")
    if plan.problems:  # the district changed since the preview (an email now taken, a school gone)
        return _preview(district, plan, request.form.get("roster", ""), name)
    result = apply_roster(district, plan, actor)
    flash(
        f"Imported “{name}”: {result.created} added, {result.updated} changed, {result.unchanged} already up to date."
    )
    return redirect(url_for("people.index"))
