"""The holder's pages: one badge I hold, its share link, its downloads, whether my name is shown, and
my public profile (on or off, and which badges it lists).

Only the holder sees these; another person's award answers 404, as if it did not exist. Every download
is an attachment built from the signed forms the award keeps. Nothing here writes on GET: an award made
before credentials existed is issued by `flask credentials issue-missing`, and answers 404 until then.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField

from ..access import acting_user, educator_required, get_visible_or_404
from ..base import parse_id
from ..credentials import holder, sharing, urls
from ..credentials.verification import summary
from ..downloads import attachment
from ..models import Award, utcnow

bp = Blueprint("holder", __name__, url_prefix="/educator/badges")


class NameForm(FlaskForm):
    show_name = BooleanField("Show my name on the public page and in the credential")


class OnProfileForm(FlaskForm):
    on_profile = BooleanField("List this badge on my public profile")


class ProfileForm(FlaskForm):
    public_profile = BooleanField("Turn on my public profile: a page with my name and the badges I list")


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
    me = _me()
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
        linkedin_url=sharing.linkedin_url(award),
        on_profile_form=OnProfileForm(formdata=None, data={"on_profile": award.on_profile}),
        profile_form=ProfileForm(formdata=None, data={"public_profile": me.public_profile_id is not None}),
        profile_url=sharing.profile_url(me),
        in_force=sharing.in_force(award, utcnow()),
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


@bp.post("/<int:award_id>/profile")
@educator_required
def on_profile(award_id: int):
    award = _my_award_or_404(award_id)
    form = OnProfileForm()
    if not form.validate():
        return _page(award, status=400)
    if sharing.set_on_profile(_me(), award, form.on_profile.data):
        flash(
            "This badge is now listed on your public profile."
            + ("" if _me().public_profile_id else " Your profile is off: turn it on below for anyone to see it.")
            if award.on_profile
            else "This badge is no longer listed on your public profile."
        )
    return redirect(url_for(".show", award_id=award.id, _anchor="profile-heading"))


@bp.post("/profile")
@educator_required
def profile():
    """Turn my public profile on (a new random address) or off (the old address answers 404)."""
    form = ProfileForm()
    back = parse_id(request.form.get("award_id"))
    award = _my_award_or_404(back) if back is not None else None
    if not form.validate():
        if award is not None:
            return _page(award, status=400)
        abort(400, "The profile form was not sent correctly: reload the page and try again.")
    if sharing.set_public_profile(_me(), form.public_profile.data):
        flash(
            f"Your public profile is on: {sharing.profile_url(_me())}"
            if form.public_profile.data
            else "Your public profile is off: its address no longer works. Turning it on again makes a new one."
        )
    if award is None:
        return redirect(url_for("claims.index"))
    return redirect(url_for(".show", award_id=award.id, _anchor="profile-heading"))


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
