"""Importing a CASE 1.1 package by upload (admins): a new framework of the district, or the next version of
one it owns. Every problem of the file is listed with its path and nothing is created; an import that
succeeds is a draft, opened in the editor (roles can be set there before publishing).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField

from ..access import acting_user, admin_required
from ..authoring.drafts import require_adapter
from ..authoring.imports import import_package, versionable_frameworks
from ..extensions import db
from ..frameworks.case_import import MAX_PACKAGE_BYTES
from ..frameworks.loader import FrameworkFileError

bp = Blueprint("case_import", __name__)


class ImportForm(FlaskForm):
    file = FileField("CASE package (a CFPackage JSON file)", render_kw={"accept": ".json,application/json"})
    as_version_of = SelectField("Import it as", validate_choice=False)
    slug = StringField("Short name for a new framework (optional: made from its title)", render_kw={"maxlength": 80})


def _page(form: ImportForm, problems: list[tuple[str, str]], status: int) -> ResponseReturnValue:
    return render_template("frameworks/case_import.html", form=form, problems=problems), status


@bp.route("/frameworks/import", methods=["GET", "POST"])
@admin_required
def upload() -> ResponseReturnValue:
    actor = acting_user()
    require_adapter(actor)
    form = ImportForm()
    owned = versionable_frameworks(actor)
    form.as_version_of.choices = [("", "A new framework")] + [
        (fw.slug, f"A new version of {fw.title} (latest: {fw.version})") for fw in owned
    ]
    if request.method == "GET":
        return _page(form, [], 200)
    if not form.validate_on_submit():
        return _page(form, [], 400)
    problems: list[tuple[str, str]] = []
    target = form.as_version_of.data or ""
    if target and target not in {fw.slug for fw in owned}:
        problems.append(("as_version_of", "choose a framework from the list"))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        problems.append(("file", "choose the package's file to upload"))
    if problems:
        return _page(form, problems, 400)
    assert upload is not None
    try:
        data = upload.stream.read(MAX_PACKAGE_BYTES + 1)
    finally:
        upload.close()
    try:
        draft = import_package(
            actor, data, slug=form.slug.data or None, as_version_of=target or None, label=upload.filename or ""
        )
    except FrameworkFileError as exc:
        db.session.rollback()
        return _page(form, exc.problems, 400)
    roles_missing = any(not q.roles for d in draft.domains for q in d.indicators)
    flash(
        f"Imported {draft.title} as a draft of version {draft.version}."
        + (" Set which roles its key questions apply to before publishing it." if roles_missing else "")
    )
    return redirect(url_for("framework_drafts.show", draft_id=draft.id))
