"""The holder's pages: one badge I hold, its share link, its downloads, and whether my name is shown.

Only the holder sees these; another person's award answers 404, as if it did not exist. Awards made
before credentials existed are issued on first view. Every download is an attachment built from the
signed forms the award keeps.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField

from ..credentials import holder, urls
from ..credentials.issuing import ensure_issued
from ..credentials.verification import summary
from ..extensions import db
from ..models import Award, User
from .guards import educator_required

bp = Blueprint("holder", __name__, url_prefix="/educator/badges")


class NameForm(FlaskForm):
    show_name = BooleanField("Show my name on the public page and in the credential")


def _me() -> User:
    return current_user._get_current_object()


def _my_award_or_404(award_id: int) -> Award:
    award = holder.get_my_award(_me(), award_id)
    if award is None:
        abort(404, "There is no such badge of yours.")
    if award.credential_uuid is None:  # awarded before credentials existed: issue it now
        ensure_issued(award)
        db.session.commit()
    return award


def _page(award: Award, form: NameForm | None = None, status: int = 200):
    verification = holder.live_status(award)
    form = form or NameForm(formdata=None, data={"show_name": award.show_name})
    return render_template("educator/badges/show.html", award=award, about=summary(award), form=form,
                           verification=verification,
                           status_label=holder.status_label(verification), stem=holder.file_stem(award),
                           share_url=urls.credential_page(award.credential_uuid),
                           ob2_url=urls.ob2_assertion(award.credential_uuid)), status


@bp.get("/<int:award_id>")
@educator_required
def show(award_id: int):
    return _page(_my_award_or_404(award_id))


@bp.post("/<int:award_id>/name")
@educator_required
def name(award_id: int):
    award = _my_award_or_404(award_id)
    form = NameForm()
    if not form.validate():
        return _page(award, form, 400)
    changed = holder.set_show_name(_me(), award, form.show_name.data)
    db.session.commit()
    if changed:
        flash("Your name is now shown on the public page and in the credential (re-signed; the share link is "
              "the same)." if award.show_name else
              "Your name is no longer shown on the public page or in the credential (re-signed; the share link is "
              "the same). Copies you downloaded before still carry it: download them again.")
    return redirect(url_for(".show", award_id=award.id))


def _attachment(body: str | bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<int:award_id>/credential.jwt")
@educator_required
def download_jwt(award_id: int):
    """The VC-JWT (compact JWS) as it was signed."""
    award = _my_award_or_404(award_id)
    return _attachment(award.jwt, holder.JWT_TYPE, f"{holder.file_stem(award)}.jwt")


@bp.get("/<int:award_id>/credential.json")
@educator_required
def download_json(award_id: int):
    """The JSON-LD credential with its Data Integrity proof (what wallets import), as it was signed."""
    award = _my_award_or_404(award_id)
    return _attachment(award.data_integrity, holder.JSON_TYPE, f"{holder.file_stem(award)}.json")


@bp.get("/<int:award_id>/badge.png")
@educator_required
def download_png(award_id: int):
    award = _my_award_or_404(award_id)
    return _attachment(holder.baked_png(award), "image/png", f"{holder.file_stem(award)}.png")


@bp.get("/<int:award_id>/badge.svg")
@educator_required
def download_svg(award_id: int):
    award = _my_award_or_404(award_id)
    response = _attachment(holder.baked_svg(award), "image/svg+xml", f"{holder.file_stem(award)}.svg")
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


@bp.get("/<int:award_id>/ob2-badge.png")
@educator_required
def download_ob2_png(award_id: int):
    award = _my_award_or_404(award_id)
    return _attachment(holder.baked_ob2_png(award), "image/png", f"{holder.file_stem(award)}-ob2.png")
