"""Pages for the educator's evidence portfolio: list, add a link or a file, read, edit, delete, download.

Another person's evidence answers 404, so ids do not tell anyone what exists.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, StringField, TextAreaField, URLField

from ..access import educator_required, get_visible_or_404
from ..base import InvalidInput
from ..calibration.consent import consent_for
from ..downloads import send_evidence_file, send_image_preview
from ..educator import evidence, previews
from ..educator.uploads import CLAIMED
from ..extensions import db
from ..models import EvidenceItem, EvidenceKind
from ..visibility import EVIDENCE_FILE
from .confirm import confirmation_step
from .forms import CheckboxesField, show_errors

bp = Blueprint("evidence", __name__, url_prefix="/educator/evidence")

ACCEPT = ",".join(f".{ext}" for ext in CLAIMED)


class EvidenceForm(FlaskForm):
    """Fields every item has. The service's own messages come from badges.educator.evidence."""

    title = StringField("Title", render_kw={"required": True, "maxlength": evidence.TITLE_MAX})
    narrative = TextAreaField(
        "What it shows and what you learned",
        render_kw={"required": True, "rows": 8, "maxlength": evidence.NARRATIVE_MAX},
    )
    indicators = CheckboxesField("Key questions this evidence supports")
    in_summary = BooleanField("Include in my conference summary")


class LinkForm(EvidenceForm):
    url = URLField(
        "Web address", render_kw={"required": True, "maxlength": evidence.URL_MAX, "placeholder": "https://"}
    )


class FileForm(EvidenceForm):
    file = FileField(
        "File", validators=[FileRequired("Choose a file to upload.")], render_kw={"required": True, "accept": ACCEPT}
    )


class EditForm(LinkForm):
    """Links keep their url field; files have it removed."""


def _form_page(template: str, form: EvidenceForm, status: int = 200, **context) -> ResponseReturnValue:
    return render_template(
        template,
        form=form,
        groups=evidence.applicable_indicators(current_user),
        selected=set(form.indicators.data or ()),
        **context,
    ), status


@bp.get("/")
@educator_required
def index():
    return render_template("educator/evidence/index.html", items=evidence.list_evidence(current_user))


@bp.route("/new-link", methods=["GET", "POST"])
@educator_required
def new_link():
    form = LinkForm()
    if form.validate_on_submit():
        try:
            item = evidence.add_link(
                current_user,
                form.title.data,
                form.narrative.data,
                form.url.data,
                form.indicators.data,
                in_summary=form.in_summary.data,
            )
        except InvalidInput as exc:
            show_errors(form, exc)
        else:
            flash(f"Added the link “{item.title}” to your evidence.")
            return redirect(url_for(".show", item_id=item.id))
    return _form_page("educator/evidence/new_link.html", form, 400 if request.method == "POST" else 200)


@bp.route("/new-file", methods=["GET", "POST"])
@educator_required
def new_file():
    form = FileForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.stream.read(current_app.config["EVIDENCE_MAX_BYTES"] + 1)
        try:
            item = evidence.add_file(
                current_user,
                form.title.data,
                form.narrative.data,
                upload.filename or "",
                data,
                form.indicators.data,
                in_summary=form.in_summary.data,
            )
        except InvalidInput as exc:
            show_errors(form, exc)
        else:
            flash(f"Uploaded “{item.title}” to your evidence.")
            return redirect(url_for(".show", item_id=item.id))
    return _form_page("educator/evidence/new_file.html", form, 400 if request.method == "POST" else 200)


@bp.get("/<int:item_id>")
@educator_required
def show(item_id: int):
    item = get_visible_or_404(EvidenceItem, item_id, current_user)
    return render_template("educator/evidence/show.html", item=item, errors=[], calibration_consent=consent_for(item))


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@educator_required
def edit(item_id: int):
    item = get_visible_or_404(EvidenceItem, item_id, current_user)
    data = (
        None
        if request.method == "POST"
        else {
            "title": item.title,
            "narrative": item.narrative,
            "url": item.url,
            "indicators": [ind.id for ind in item.indicators],
            "in_summary": item.in_summary,
        }
    )
    form = EditForm(data=data)
    if item.kind is not EvidenceKind.LINK:
        del form.url
    if form.validate_on_submit():
        changes = {
            "title": form.title.data,
            "narrative": form.narrative.data,
            "indicator_ids": form.indicators.data,
            "in_summary": form.in_summary.data,
        }
        if item.kind is EvidenceKind.LINK:
            changes["url"] = form.url.data
        try:
            evidence.update_evidence(current_user, item, **changes)
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            flash("Saved your changes.")
            return redirect(url_for(".show", item_id=item.id))
    return _form_page("educator/evidence/edit.html", form, 400 if request.method == "POST" else 200, item=item)


@bp.post("/<int:item_id>/delete")
@educator_required
def delete(item_id: int):
    item = get_visible_or_404(EvidenceItem, item_id, current_user)
    title = item.title
    if not evidence.citing_claims(item):  # evidence in use is refused below, without asking first
        asked = confirmation_step(
            title="Delete this evidence?",
            message=f"“{title}” will be deleted for good"
            + (f", with its file {item.original_filename}." if item.original_filename else "."),
            details=["Goals that link to it keep their other evidence."],
            button="Delete evidence",
            cancel_url=url_for(".show", item_id=item.id),
        )
        if asked:
            return asked
    try:
        evidence.delete_evidence(current_user, item)
    except evidence.EvidenceInUse as exc:
        db.session.rollback()
        messages = [message for field in exc.errors.values() for message in field]
        return render_template(
            "educator/evidence/show.html", item=item, errors=messages, calibration_consent=consent_for(item)
        ), 409
    flash(f"Deleted “{title}” from your evidence.")
    return redirect(url_for(".index"))


@bp.get("/<int:item_id>/file")
@login_required
def download(item_id: int):
    return send_evidence_file(get_visible_or_404(EvidenceItem, item_id, current_user, EVIDENCE_FILE))


@bp.get("/<int:item_id>/preview")
@login_required
def preview(item_id: int):
    """An image file redrawn by the service, for whoever may download it (the same rule)."""
    item = get_visible_or_404(EvidenceItem, item_id, current_user, EVIDENCE_FILE)
    if not previews.is_previewable(item):
        abort(404, "This file is not an image, so it has no preview; download it instead.")
    try:
        made = previews.render(item)
    except previews.PreviewUnavailable as exc:
        current_app.logger.info("no preview: %s", exc)
        abort(404, "This image cannot be previewed (it is damaged or too large); download it instead.")
    return send_image_preview(made)
