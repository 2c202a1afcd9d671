"""Access for a request, shared by the pages (badges.web) and the API (badges.api): the role guards,
the one "this object, if this actor may see it, else 404" lookup, and the admin's own district.

The rules themselves are in badges.permissions and badges.visibility; this module only turns a
refusal into the HTTP answer (403 for a missing role, 404 for what the actor may not see, so ids
reveal nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from .calibration.standing import decision_refusal
from .models import Claim, District, SystemRole, User
from .permissions import (
    ReadinessScope,
    can_curate_calibration,
    can_decide_claim,
    can_manage_validation,
    can_read_audit_log,
    can_set_calibration_policy,
    can_view_calibration_report,
    can_view_evidence_file,
    has_role,
    readiness_scope,
)
from .validation.claim_review import ClaimReview, claim_review
from .visibility import Actor, Rule, find_visible, rule_for

T = TypeVar("T")
View = TypeVar("View", bound=Callable[..., Any])


def role_required(role: SystemRole) -> Callable[[View], View]:
    """Signed in (401 otherwise) and holding `role` (403 otherwise)."""

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not has_role(current_user, role):
                abort(403, f"This needs the {role.label.lower()} role.")
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


educator_required = role_required(SystemRole.EDUCATOR)
validator_required = role_required(SystemRole.VALIDATOR)
admin_required = role_required(SystemRole.ADMIN)


def curator_required(view: View) -> View:
    """Signed in (401 otherwise) and curating calibration exemplar sets in their district: an admin,
    or a lead validator (403 otherwise)."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not can_curate_calibration(current_user, current_user.district):
            abort(403, "Curating exemplar sets needs the administrator role, or a lead validator’s.")
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def readiness_required(view: View) -> View:
    """Signed in (401 otherwise) and leading a district, or a school, whose readiness they read (403)."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if readiness_scope(current_user) is None:
            abort(403, "This needs the district leader role, or the school leader role with a school.")
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def calibration_report_required(view: View) -> View:
    """Signed in (401 otherwise) and an admin or district leader, who read their district's calibration report (403)."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not can_view_calibration_report(current_user):
            abort(403, "The calibration report is for the district's administrators and district leaders.")
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def calibration_policy_district(actor: User) -> District:
    """The district whose calibration policy the actor sets (their own); 403 if they may not."""
    district = actor.district
    if not can_set_calibration_policy(actor, district):
        abort(403, "Only the district's administrators set its calibration policy.")
    return district


def readiness_scope_of(actor: User) -> ReadinessScope:
    """The part of the district whose readiness the actor reads (behind readiness_required)."""
    scope = readiness_scope(actor)
    if scope is None:
        abort(403, "This needs the district leader role, or the school leader role with a school.")
    return scope


def acting_user() -> User:
    """The signed-in person as a User (not Flask-Login's proxy), to pass to domain functions."""
    return current_user._get_current_object()


def get_visible_or_404(model: type[T], object_id: object, actor: Actor, rule: Rule | None = None) -> T:
    """The object with this id if `actor` may see it under `rule` (the model's default rule if
    none is given); otherwise 404, the same answer for a made-up, out-of-range or hidden id."""
    found = find_visible(model, object_id, actor, rule)
    if found is None:
        abort(404, rule_for(model, rule).missing.format(id=object_id))
    return found


def found_or_404(found: T | None, message: str) -> T:
    """For lookups by a public key other than an id (a slug, a credential UUID)."""
    if found is None:
        abort(404, message)
    return found


def managed_district(actor: User) -> District:
    """The district whose validation the actor manages (their own); 403 if they do not."""
    district = actor.district
    if not can_manage_validation(actor, district):
        abort(403, "Only the district's administrators manage validation.")
    return district


def audited_district(actor: User) -> District:
    """The district whose audit log the actor reads (their own); 403 if they may not."""
    district = actor.district
    if not can_read_audit_log(actor, district):
        abort(403, "Only the district's administrators read its audit log.")
    return district


def review_of(actor: User, claim: Claim) -> ClaimReview:
    """The claim review (badges.validation.claim_review) with this actor's permissions, and the
    calibration policy's refusal if it keeps them from deciding."""
    may_decide = can_decide_claim(actor, claim)
    return claim_review(
        actor,
        claim,
        may_decide=may_decide,
        may_download=lambda item: can_view_evidence_file(actor, item),
        refusal=decision_refusal(actor, claim) if may_decide else None,
    )
