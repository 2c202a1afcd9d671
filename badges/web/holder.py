"""The holder's pages: one badge I hold, its share link, its downloads, and whether my name is shown.

Only the holder sees these; another person's award answers 404, as if it did not exist. Every download
is an attachment built from the signed forms the award keeps. Nothing here writes on GET: an award made
before credentials existed is issued by `flask credentials issue-missing`, and answers 404 until then.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField

from ..access import acting_user, educator_required, get_visible_or_404
from ..credentials import holder, urls
from ..credentials.verification import summary
from ..downloads import attachment
from ..models import Award

bp = Blueprint("holder", __name__, url_prefix="/educator/badges")


class NameForm(FlaskForm):
    show_name = BooleanField("Show my name on the public page and in the credential")


_me = acting_user


def _my_award_or_404(award_id: int) -> Award:
    award = get_visible_or_404(Award, award_id, _me())
    if award.credential_uuid is None:
        abort(
            404,
            "This badge's credential has not been issued yet: your administrator issues it "
            "(flask credentials issue-missing).",
        )
    return award


def _page(award: Award, form: NameForm | None = None, status: int = 200):
    verification = holder.live_status(award)
    form = form or NameForm(formdata=None, data={"show_name": award.show_name})
    return render_template(
        "educator/badges/show.html",
        award=award,
        about=summary(award),
        form=form,
        verification=verification,
        status_label=holder.status_label(verification),
        stem=holder.file_stem(award),
        share_url=urls.credential_page(award.credential_uuid),
        ob2_url=urls.ob2_assertion(award.credential_uuid),
    ), status


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
    if changed:
        flash(
            "Your name is now shown on the public page and in the credential (re-signed; the share link is the same)."
            if award.show_name
            else "Your name is no longer shown on the public page or in the credential (re-signed; the share link is "
            "the same). Copies you downloaded before still carry it: download them again."
        )
    return redirect(url_for(".show", award_id=award.id))


@bp.get("/<int:award_id>/credential.jwt")
@educator_required
def download_jwt(award_id: int):
    """The VC-JWT (compact JWS) as it was signed."""
    award = _my_award_or_404(award_id)
    return attachment(award.jwt, holder.JWT_TYPE, f"{holder.file_stem(award)}.jwt")


@bp.get("/<int:award_id>/credential.json")
@educator_required
def download_json(award_id: int):
    """The JSON-LD credential with its Data Integrity proof (what wallets import), as it was signed."""
    award = _my_award_or_404(award_id)
    return attachment(award.data_integrity, holder.JSON_TYPE, f"{holder.file_stem(award)}.json")


@bp.get("/<int:award_id>/badge.png")
@educator_required
def download_png(award_id: int):
    award = _my_award_or_404(award_id)
    return attachment(holder.baked_png(award), "image/png", f"{holder.file_stem(award)}.png")


@bp.get("/<int:award_id>/badge.svg")
@educator_required
def download_svg(award_id: int):
    award = _my_award_or_404(award_id)
    response = attachment(holder.baked_svg(award), "image/svg+xml", f"{holder.file_stem(award)}.svg")
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


@bp.get("/<int:award_id>/ob2-badge.png")
@educator_required
def download_ob2_png(award_id: int):
    award = _my_award_or_404(award_id)
    return attachment(holder.baked_ob2_png(award), "image/png", f"{holder.file_stem(award)}-ob2.png")
