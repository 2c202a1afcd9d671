"""Pages for the educator's evidence portfolio: list, add a link or a file, read, edit, delete, download.

Another person's evidence answers 404, so ids do not tell anyone what exists.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectMultipleField, StringField, TextAreaField, URLField

from ..base import InvalidInput
from ..educator import evidence, storage
from ..educator.common import get_owned
from ..educator.uploads import CLAIMED
from ..extensions import db
from ..models import EvidenceItem, EvidenceKind
from ..permissions import can_view_evidence_file
from .forms import show_errors
from .guards import educator_required

bp = Blueprint("evidence", __name__, url_prefix="/educator/evidence")

ACCEPT = ",".join(f".{ext}" for ext in CLAIMED)


class EvidenceForm(FlaskForm):
    """Fields every item has. The service's own messages come from badges.educator.evidence."""

    title = StringField("Title", render_kw={"required": True, "maxlength": evidence.TITLE_MAX})
    narrative = TextAreaField("What it shows and what you learned",
                              render_kw={"required": True, "rows": 8, "maxlength": evidence.NARRATIVE_MAX})
    indicators = SelectMultipleField("Key questions this evidence supports", coerce=int, validate_choice=False,
                                     invalid_value_message="Choose key questions from the list.")
    in_summary = BooleanField("Include in my conference summary")


class LinkForm(EvidenceForm):
    url = URLField("Web address", render_kw={"required": True, "maxlength": evidence.URL_MAX,
                                              "placeholder": "https://"})


class FileForm(EvidenceForm):
    file = FileField("File", validators=[FileRequired("Choose a file to upload.")],
                     render_kw={"required": True, "accept": ACCEPT})


class EditForm(LinkForm):
    """Links keep their url field; files have it removed."""


def _owned_or_404(item_id: int) -> EvidenceItem:
    item = get_owned(EvidenceItem, item_id, current_user)
    if item is None:
        abort(404, "There is no such evidence in your portfolio.")
    return item


def _form_page(template: str, form: FlaskForm, status: int = 200, **context):
    return render_template(template, form=form, groups=evidence.applicable_indicators(current_user),
                           selected=set(form.indicators.data or ()), **context), status


@bp.get("/")
@educator_required
def index():
    return render_template("educator/evidence/index.html", items=evidence.list_evidence(current_user))


@bp.route("/new-link", methods=["GET", "POST"])
@educator_required
def new_link():
    form = LinkForm()
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            item = evidence.add_link(current_user, form.title.data, form.narrative.data, form.url.data,
                                     form.indicators.data, in_summary=form.in_summary.data)
        except InvalidInput as exc:
            errors = show_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Added the link “{item.title}” to your evidence.")
            return redirect(url_for(".show", item_id=item.id))
    return _form_page("educator/evidence/new_link.html", form, 400 if request.method == "POST" else 200,
                      errors=errors)


@bp.route("/new-file", methods=["GET", "POST"])
@educator_required
def new_file():
    form = FileForm()
    errors: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.stream.read(current_app.config["EVIDENCE_MAX_BYTES"] + 1)
        try:
            item = evidence.add_file(current_user, form.title.data, form.narrative.data, upload.filename or "",
                                     data, form.indicators.data, in_summary=form.in_summary.data)
        except InvalidInput as exc:
            errors = show_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Uploaded “{item.title}” to your evidence.")
            return redirect(url_for(".show", item_id=item.id))
    return _form_page("educator/evidence/new_file.html", form, 400 if request.method == "POST" else 200,
                      errors=errors)


@bp.get("/<int:item_id>")
@educator_required
def show(item_id: int):
    return render_template("educator/evidence/show.html", item=_owned_or_404(item_id), errors=[])


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@educator_required
def edit(item_id: int):
    item = _owned_or_404(item_id)
    data = None if request.method == "POST" else {
        "title": item.title, "narrative": item.narrative, "url": item.url,
        "indicators": [ind.id for ind in item.indicators], "in_summary": item.in_summary}
    form = EditForm(data=data)
    if item.kind is not EvidenceKind.LINK:
        del form.url
    errors: list[str] = []
    if form.validate_on_submit():
        changes = {"title": form.title.data, "narrative": form.narrative.data,
                   "indicator_ids": form.indicators.data, "in_summary": form.in_summary.data}
        if item.kind is EvidenceKind.LINK:
            changes["url"] = form.url.data
        try:
            evidence.update_evidence(current_user, item, **changes)
        except InvalidInput as exc:
            db.session.rollback()
            errors = show_errors(form, exc)
        else:
            db.session.commit()
            flash("Saved your changes.")
            return redirect(url_for(".show", item_id=item.id))
    return _form_page("educator/evidence/edit.html", form, 400 if request.method == "POST" else 200,
                      item=item, errors=errors)


@bp.post("/<int:item_id>/delete")
@educator_required
def delete(item_id: int):
    item = _owned_or_404(item_id)
    title = item.title
    try:
        evidence.delete_evidence(current_user, item)
    except evidence.EvidenceInUse as exc:
        db.session.rollback()
        messages = [message for field in exc.errors.values() for message in field]
        return render_template("educator/evidence/show.html", item=item, errors=messages), 409
    db.session.commit()
    flash(f"Deleted “{title}” from your evidence.")
    return redirect(url_for(".index"))


@bp.get("/<int:item_id>/file")
@login_required
def download(item_id: int):
    item = db.session.get(EvidenceItem, item_id)
    if item is None or item.kind is not EvidenceKind.FILE or not can_view_evidence_file(current_user, item):
        abort(404, "There is no such evidence file, or it is not yours to see.")
    return send_evidence_file(item)


def send_evidence_file(item: EvidenceItem):
    """The stored bytes as a download that no browser renders, sniffs, caches or runs (pages and API)."""
    path = storage.path_of(item.stored_name)
    if not path.is_file():
        current_app.logger.error("evidence %s: stored file %s is missing", item.id, item.stored_name)
        abort(404, "The file of this evidence is missing from storage; please tell your administrator.")
    response = send_file(path, mimetype=item.media_type, conditional=False, etag=False)
    response.headers["Content-Disposition"] = content_disposition(evidence.download_name(item))
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def content_disposition(filename: str) -> str:
    """attachment with a plain ASCII name for old clients and the exact name as RFC 6266 filename*."""
    stem, dot, extension = filename.rpartition(".") if "." in filename else (filename, "", "")
    plain_stem = _ascii(stem) or "evidence"
    plain = plain_stem + (("." + _ascii(extension)) if dot and _ascii(extension) else "")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9._()\- ]+", "_", text).strip(" ._")
