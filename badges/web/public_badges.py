"""The share link of an issued badge: a public page anyone can open without an account.

It says what the badge is, who issued it, and whether it is valid now: the status is the live
verification of the award's VC-JWT (signature, issuer, dates, revocation), with each named check.
The recipient's name appears only when they chose to show it; their email and evidence files never do
(the evidence names and narratives shown are read from the signed credential itself).
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from flask import Blueprint, abort, render_template, request

from ..credentials import urls
from ..credentials.holder import award_by_credential_uuid, live_status, status_label
from ..credentials.verification import summary

bp = Blueprint("public_badges", __name__)


@bp.get("/credentials/<credential_uuid>")
def show(credential_uuid: str):
    award = award_by_credential_uuid(credential_uuid)
    if award is None or award.jwt is None:
        abort(404, "There is no such badge here.")
    verification = live_status(award)
    body = render_template(
        "public/credential.html",
        award=award,
        about=summary(award),
        verification=verification,
        status_label=status_label(verification),
        evidence=json.loads(award.data_integrity).get("evidence", []),
        share_url=urls.credential_page(award.credential_uuid),
        ob2_url=urls.ob2_assertion(award.credential_uuid),
        verify_url=f"{request.script_root}/verify?{urlencode({'credential': award.credential_uuid})}",
    )
    # The status is live: never serve a stale copy; and a person's badge is not for search engines.
    return body, 200, {"Cache-Control": "no-cache", "X-Robots-Tag": "noindex"}
