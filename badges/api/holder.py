"""The signed-in holder's badges: status, share link, downloads, and whether the name is shown.

Another person's award answers 404; so does an award made before credentials existed, until
`flask credentials issue-missing` issues it (a GET never writes), and the list leaves it out.
PATCH changes only what it is sent ({} changes nothing); a changed show_name re-signs both forms.
"""

from __future__ import annotations

import json
from typing import Any

from flask import abort
from flask.views import MethodView
from flask_smorest import Blueprint

from ..access import acting_user, educator_required, get_visible_or_404
from ..credentials import holder, sharing, urls
from ..credentials.verification import summary
from ..models import Award
from ..validation.claims import my_awards
from .holder_schemas import (
    HolderBadgeSchema,
    HolderBadgeUpdateSchema,
    HolderJsonSchema,
    HolderJwtSchema,
    HolderProfileSchema,
)

blp = Blueprint(
    "holder_api",
    __name__,
    url_prefix="/api/v1/me/badges",
    description="The signed-in holder's badges: downloads and sharing",
)

DOWNLOADS = {
    "jwt": "holder.download_jwt",
    "json": "holder.download_json",
    "png": "holder.download_png",
    "svg": "holder.download_svg",
    "ob2_png": "holder.download_ob2_png",
}


_me = acting_user


def _my_award_or_404(award_id: int) -> Award:
    award = get_visible_or_404(Award, award_id, _me())
    if award.credential_uuid is None:
        abort(
            404,
            f"The credential of badge {award_id} has not been issued yet: your administrator issues it "
            "(flask credentials issue-missing).",
        )
    return award


def describe(award: Award) -> dict:
    assert award.credential_uuid, f"award {award.id} is not issued"  # listed awards are issued
    about, verification = summary(award), holder.live_status(award)
    return {
        "id": award.id,
        "badge_class_id": award.badge_class_id,
        "name": about["badge"],
        "domain": about["domain"],
        "level": about["level"],
        "level_name": about["level_name"],
        "professional_role": about["professional_role"],
        "issuer": about["issuer"],
        "credential_id": about["credential_id"],
        "awarded_at": award.awarded_at,
        "valid_from": about["valid_from"],
        "valid_until": about["valid_until"],
        "status": verification.status,
        "status_label": holder.status_label(verification),
        "status_reason": verification.reason,
        "revoked_at": award.revoked_at,
        "revoked_reason": award.revoked_reason,
        "show_name": award.show_name,
        "on_profile": award.on_profile,
        "profile_url": sharing.profile_url(award.user),
        "linkedin_url": sharing.linkedin_url(award),
        "share_url": urls.credential_page(award.credential_uuid),
        "image_url": urls.badge_image(award.badge_class, "png"),
        "ob2_assertion_url": urls.ob2_assertion(award.credential_uuid),
        "downloads": {key: urls.public_url(endpoint, award_id=award.id) for key, endpoint in DOWNLOADS.items()},
    }


@blp.route("")
class HolderBadgeList(MethodView):
    decorators = [educator_required]

    @blp.response(200, HolderBadgeSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an educator")
    def get(self) -> Any:
        """The badges I hold, newest first, each with its status now, share link and downloads."""
        return [describe(award) for award in my_awards(_me()) if award.credential_uuid is not None]


@blp.route("/profile")
class HolderProfile(MethodView):
    decorators = [educator_required]

    @blp.response(200, HolderProfileSchema)
    def get(self) -> Any:
        """Whether my public profile is on, and its address (it lists the badges marked on_profile)."""
        return {"public": _me().public_profile_id is not None, "url": sharing.profile_url(_me())}

    @blp.arguments(HolderProfileSchema)
    @blp.response(200, HolderProfileSchema)
    def put(self, data: dict[str, Any]) -> Any:
        """Turn my public profile on (a new random address) or off (the old address answers 404 from now on)."""
        sharing.set_public_profile(_me(), data["public"])
        return {"public": _me().public_profile_id is not None, "url": sharing.profile_url(_me())}


@blp.route("/<int:award_id>")
class HolderBadge(MethodView):
    decorators = [educator_required]

    @blp.response(200, HolderBadgeSchema)
    @blp.alt_response(404, description="No such badge of mine")
    def get(self, award_id: int) -> Any:
        """One badge I hold."""
        return describe(_my_award_or_404(award_id))

    @blp.arguments(HolderBadgeUpdateSchema)
    @blp.response(200, HolderBadgeSchema)
    @blp.alt_response(404, description="No such badge of mine")
    def patch(self, data: dict[str, Any], award_id: int) -> Any:
        """Show or hide my name in the credential and on the public page (re-signs when it changes), and
        list the badge on my public profile or not."""
        award = _my_award_or_404(award_id)
        if "show_name" in data:
            holder.set_show_name(_me(), award, data["show_name"])
        if "on_profile" in data:
            sharing.set_on_profile(_me(), award, data["on_profile"])
        return describe(award)


@blp.route("/<int:award_id>/credential.jwt")
class HolderJwt(MethodView):
    decorators = [educator_required]

    @blp.response(200, HolderJwtSchema)
    @blp.alt_response(404, description="No such badge of mine")
    def get(self, award_id: int) -> Any:
        """The VC-JWT of a badge I hold, as signed."""
        award = _my_award_or_404(award_id)
        return {
            "credential_id": f"urn:uuid:{award.credential_uuid}",
            "media_type": holder.JWT_TYPE,
            "filename": f"{holder.file_stem(award)}.jwt",
            "jwt": award.jwt,
        }


@blp.route("/<int:award_id>/credential.json")
class HolderJson(MethodView):
    decorators = [educator_required]

    @blp.response(200, HolderJsonSchema)
    @blp.alt_response(404, description="No such badge of mine")
    def get(self, award_id: int) -> Any:
        """The credential of a badge I hold with its Data Integrity proof, as signed."""
        award = _my_award_or_404(award_id)
        assert award.data_integrity, f"award {award.id} is not issued"
        return {
            "credential_id": f"urn:uuid:{award.credential_uuid}",
            "media_type": holder.JSON_TYPE,
            "filename": f"{holder.file_stem(award)}.json",
            "credential": json.loads(award.data_integrity),
        }
