"""The educator's choice to let their leaders see their self-assessed levels by name.

Self-assessment exists for honest growth, so leaders see it only in aggregate (under the small-cell
rule) unless the person chooses otherwise here. Badges, being validated, are visible to the leaders
of the person's district by name either way.
"""

from __future__ import annotations

from .. import audit
from ..base import InvalidInput
from ..extensions import db
from ..models import User


def set_self_assessment_sharing(owner: User, share: object) -> User:
    if not isinstance(share, bool):
        raise InvalidInput("Choose whether to share your self-assessed levels by name (true or false).", "share")
    if owner.shares_self_assessment != share:
        owner.shares_self_assessment = share
        db.session.flush()
        audit.record(
            owner.district_id,
            owner,
            "self_assessment.shared" if share else "self_assessment.kept_private",
            owner,
            f"{owner.name} {'shares' if share else 'no longer shares'} their self-assessed levels by name.",
        )
    return owner
