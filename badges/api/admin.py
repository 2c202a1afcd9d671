"""API for district admins: validator scopes, conflicts of interest, the audit log.

The same rules and lookups as the pages (badges.access, badges.people.members): everything is inside the admin's own
district, and another district's validator or conflict answers 404.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from .. import audit
from ..access import acting_user, admin_required, audited_district, get_visible_or_404, managed_district
from ..downloads import csv_download
from ..models import Conflict, User
from ..people import operations, scope
from ..people.members import conflict_parties
from ..visibility import DISTRICT_CONFLICT, DISTRICT_MEMBER, DISTRICT_VALIDATOR
from .admin_schemas import (
    AuditCsvQuerySchema,
    AuditPageSchema,
    AuditQuerySchema,
    ConflictInputSchema,
    ConflictRemoveQuerySchema,
    ConflictSchema,
    ScopeInputSchema,
    ScopeSchema,
    ValidatorSchema,
)

blp = Blueprint(
    "admin_api", __name__, url_prefix="/api/v1/admin", description="Validator scopes, conflicts, audit log."
)


def _validator_row(user: User) -> dict:
    return {"id": user.id, "name": user.name, "email": user.email, "school": user.school, "scope": scope.scope_of(user)}


@blp.route("/validators")
class ValidatorList(MethodView):
    decorators = [admin_required]

    @blp.response(200, ValidatorSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an admin")
    def get(self) -> Any:
        """The district's validators and their scopes, by name."""
        return [_validator_row(user) for user in scope.validators_of(managed_district(acting_user()))]


@blp.route("/validators/<int:user_id>/scope")
class ValidatorScopeItem(MethodView):
    decorators = [admin_required]

    @blp.response(200, ScopeSchema)
    @blp.alt_response(404, description="No such validator in your district")
    def get(self, user_id: int) -> Any:
        """What the validator may review."""
        managed_district(acting_user())
        return scope.scope_of(get_visible_or_404(User, user_id, current_user, DISTRICT_VALIDATOR))

    @blp.arguments(ScopeInputSchema)
    @blp.response(200, ScopeSchema)
    @blp.alt_response(
        400,
        description="An unknown domain or role code, another district's school, a person "
        "without the validator role, a reason too long; errors name each",
    )
    @blp.alt_response(404, description="No such person in your district")
    def put(self, data: dict[str, Any], user_id: int) -> Any:
        """Replace the validator's scope; the change and its reason go to the audit log."""
        managed_district(acting_user())
        validator = get_visible_or_404(User, user_id, current_user, DISTRICT_MEMBER)
        facts = scope.set_scope(
            current_user,
            validator,
            data["domains"],
            data["roles"],
            data["schools"],
            data["whole_district"],
            data["reason"],
        )
        return facts


@blp.route("/conflicts")
class ConflictList(MethodView):
    decorators = [admin_required]

    @blp.response(200, ConflictSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an admin")
    def get(self) -> Any:
        """The district's recorded conflicts of interest, newest first."""
        return scope.conflicts_in(managed_district(acting_user()))

    @blp.arguments(ConflictInputSchema)
    @blp.response(201, ConflictSchema)
    @blp.alt_response(
        400, description="Not a validator or educator of your district, no reason, already recorded; errors name each"
    )
    def post(self, data: dict[str, Any]) -> Any:
        """Record that a validator never reviews an educator's claims."""
        validator, educator = conflict_parties(managed_district(acting_user()), data["validator"], data["educator"])
        conflict = scope.record_conflict(current_user, validator, educator, data["reason"])
        return conflict


@blp.route("/conflicts/<int:conflict_id>")
class ConflictItem(MethodView):
    decorators = [admin_required]

    @blp.arguments(ConflictRemoveQuerySchema, location="query")
    @blp.response(204)
    @blp.alt_response(404, description="No such conflict in your district")
    def delete(self, args: dict[str, Any], conflict_id: int) -> Any:
        """Remove a conflict: the validator may again review the educator's claims."""
        managed_district(acting_user())
        conflict = get_visible_or_404(Conflict, conflict_id, current_user, DISTRICT_CONFLICT)
        scope.remove_conflict(current_user, conflict, args["reason"])
        return None


@blp.route("/people/<int:user_id>/sign-out-everywhere")
class PersonSignOut(MethodView):
    decorators = [admin_required]

    @blp.response(204)
    @blp.alt_response(404, description="No such person in your district")
    def post(self, user_id: int) -> None:
        """End every session of a person of your district (they may sign in again); audited."""
        actor = acting_user()
        managed_district(actor)
        operations.sign_out_everywhere(get_visible_or_404(User, user_id, actor, DISTRICT_MEMBER), actor=actor)
        return None


@blp.route("/audit")
class AuditLog(MethodView):
    decorators = [admin_required]

    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditPageSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an admin")
    def get(self, args: dict[str, Any]) -> Any:
        """The district's audit log, newest first, a page at a time."""
        district = audited_district(acting_user())
        return audit.audit_page(district, args["page"], _audit_filter(district, args))


@blp.route("/audit.csv")
class AuditCsv(MethodView):
    decorators = [admin_required]

    @blp.arguments(AuditCsvQuerySchema, location="query")
    @blp.response(200)
    @blp.doc(
        responses={
            "200": {
                "description": "The whole log (or the filtered part), oldest first, as a CSV attachment. Cells that "
                "a spreadsheet would run as a formula start with an apostrophe.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    )
    def get(self, args: dict[str, Any]) -> Any:
        """Download the district's audit log as CSV."""
        district = audited_district(acting_user())
        return csv_download(audit.export_csv(district, _audit_filter(district, args)), f"audit-{district.slug}.csv")


def _audit_filter(district: Any, args: dict[str, Any]) -> audit.AuditFilter:
    return audit.audit_filter(district, args["action"], args["actor"], args["since"], args["until"])
