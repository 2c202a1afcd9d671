"""The share link of an issued badge, and a holder's public profile: public pages anyone can open
without an account.

The share page says what the badge is, who issued it, and whether it is valid now: the status is the
live verification of the award's VC-JWT (signature, issuer, dates, revocation), with each named check.
The recipient's name appears only when they chose to show it; their email and evidence files never do
(the evidence names and narratives shown are read from the signed credential itself). Its Open Graph
and Twitter card tags name absolute URLs under BADGES_PUBLIC_URL (badges.credentials.urls), never the
request's Host, so a preview fetched through a forged Host still points here.

The profile (/profiles/<uuid>) lists the awards its holder marked, only while they keep it turned on
(badges.credentials.sharing says which awards and why).
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from flask import Blueprint, abort, render_template, request

from ..credentials import sharing, urls
from ..credentials.holder import award_by_credential_uuid, live_status, status_label
from ..credentials.verification import summary
from ..models import Award
from .verdicts import verdict

bp = Blueprint("public_badges", __name__)
# The status is live: never serve a stale copy; and a person's badge is not for search engines.
LIVE_AND_PRIVATE = {"Cache-Control": "no-cache", "X-Robots-Tag": "noindex"}


def preview(award: Award, about: dict, label: str) -> dict[str, str]:
    """What a link preview (Open Graph, Twitter card) shows: every URL absolute, from BADGES_PUBLIC_URL."""
    to = f" to {about['recipient']}" if about["recipient"] else ""
    return {
        "title": about["badge"],
        "description": f"A competency badge issued by {about['issuer']}{to}. Status: {label}.",
        "url": urls.credential_page(award.credential_uuid or ""),
        "image": urls.badge_image(award.badge_class, "png"),
        "image_alt": f"{about['domain']}: {about['level_name']} badge",
    }


@bp.get("/credentials/<credential_uuid>")
def show(credential_uuid: str):
    award = award_by_credential_uuid(credential_uuid)
    if award is None or award.jwt is None:
        abort(404, "There is no such badge here.")
    verification = live_status(award)
    about, label = summary(award), status_label(verification)
    body = render_template(
        "public/credential.html",
        award=award,
        about=about,
        verification=verification,
        verdict=verdict(verification),
        status_label=label,
        preview=preview(award, about, label),
        linkedin_url=sharing.linkedin_url(award),
        evidence=json.loads(award.data_integrity).get("evidence", []),
        share_url=urls.credential_page(award.credential_uuid),
        ob2_url=urls.ob2_assertion(award.credential_uuid),
        verify_url=f"{request.script_root}/verify?{urlencode({'credential': award.credential_uuid})}",
    )
    return body, 200, LIVE_AND_PRIVATE


@bp.get("/profiles/<profile_id>")
def profile(profile_id: str):
    owner = sharing.profile_owner(profile_id)
    if owner is None:
        abort(404, "There is no such profile here: its owner may have turned it off.")
    awards = sharing.profile_awards(owner)
    body = render_template(
        "public/profile.html",
        owner=owner,
        awards=awards,
        abouts={award.id: summary(award) for award in awards},
        profile_url=sharing.profile_url(owner),
    )
    return body, 200, LIVE_AND_PRIVATE
