"""API for district admins: their district's staff (search, filters, cursor pages), adding and
changing a person, and the roster import (with a dry run that answers the preview the page shows).

The same domain as the pages (badges.people.directory, operations, roster); another district's
person answers 404, and every change is audited there.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from flask.views import MethodView
from flask_smorest import Blueprint

from ..access import acting_user, admin_required, get_visible_or_404, managed_district
from ..base import InvalidInput
from ..models import District, School, SystemRole, User
from ..people import directory, staff
from ..people.roster import RosterError, RosterPlan, apply_roster, validate_roster
from ..visibility import DISTRICT_MEMBER
from .people_schemas import (
    RosterInputSchema,
    RosterPreviewSchema,
    StaffMemberInputSchema,
    StaffMemberPatchSchema,
    StaffMemberSchema,
    StaffPageSchema,
    StaffQuerySchema,
)

blp = Blueprint("people_api", __name__, url_prefix="/api/v1/admin", description="The district's staff and rosters.")

# The same bound as the upload page (badges.web.people_import), about 50,000 staff lines.
MAX_ROSTER_CHARS = 4 * 1024 * 1024


def _school(district: District, school_id: int | None) -> School | None:
    if school_id is None:
        return None
    school = next((s for s in district.schools if s.id == school_id), None)
    if school is None:
        raise InvalidInput(f"Choose one of the schools of {district.name} (an id), or null.", field="school")
    return school


def _details(district: District, data: dict[str, Any]) -> dict[str, Any]:
    """The request's details as add_person/update_user take them: only those sent."""
    details: dict[str, Any] = {k: data[k] for k in ("name", "email") if k in data}
    if "school" in data:
        details["school"] = _school(district, data["school"])
    if "professional_role" in data:
        details["professional_role"] = data["professional_role"] or None
    if "system_roles" in data:
        details["system_roles"] = {SystemRole(r) for r in data["system_roles"]}
    return details


@blp.route("/people")
class StaffList(MethodView):
    decorators = [admin_required]

    @blp.arguments(StaffQuerySchema, location="query")
    @blp.response(200, StaffPageSchema)
    @blp.alt_response(400, description="An unknown school or role, or a cursor that names nobody of your district")
    def get(self, args: dict[str, Any]) -> Any:
        """The district's staff by name, a page at a time (keyset: pass next_cursor as cursor)."""
        district = managed_district(acting_user())
        found = directory.staff_filter(
            district, args["q"], args["school"], args["role"], args["system_role"], args["state"]
        )
        page = directory.directory_page(district, found, after=args["cursor"], per_page=args["limit"])
        return {"people": page.users, "next_cursor": page.next_after, "matches": page.matches, "more": page.more}

    @blp.arguments(StaffMemberInputSchema)
    @blp.response(201, StaffMemberSchema)
    @blp.alt_response(
        400, description="A bad or taken email, an empty name, an unknown school or role; errors name each"
    )
    def post(self, data: dict[str, Any]) -> Any:
        """Add a person (no password: they are invited or set one later); audited."""
        actor = acting_user()
        district = managed_district(actor)
        return staff.add_person(actor, district, **_details(district, data))


@blp.route("/people/<int:user_id>")
class StaffMember(MethodView):
    decorators = [admin_required]

    @blp.response(200, StaffMemberSchema)
    @blp.alt_response(404, description="No such person in your district")
    def get(self, user_id: int) -> Any:
        """One person of your district."""
        actor = acting_user()
        managed_district(actor)
        return get_visible_or_404(User, user_id, actor, DISTRICT_MEMBER)

    @blp.arguments(StaffMemberPatchSchema)
    @blp.response(200, StaffMemberSchema)
    @blp.alt_response(400, description="A bad detail, or taking your own admin role; errors name each")
    @blp.alt_response(404, description="No such person in your district")
    def patch(self, data: dict[str, Any], user_id: int) -> Any:
        """Change what is sent of a person's details and system roles; audited."""
        actor = acting_user()
        district = managed_district(actor)
        person = get_visible_or_404(User, user_id, actor, DISTRICT_MEMBER)
        staff.update_user(person, actor, **_details(district, data))
        return person


def _preview(plan: RosterPlan, applied: bool) -> dict[str, Any]:
    def row(r: Any) -> dict[str, Any]:
        return {"line": r.line, "email": r.email, "name": r.name, "changes": list(r.changes)}

    return {
        "applied": applied,
        "problems": [{"line": line, "message": message} for line, message in plan.problems],
        "to_create": [row(r) for r in plan.to_create],
        "to_update": [row(r) for r in plan.to_update],
        "unchanged": plan.unchanged,
    }


@blp.route("/roster")
class Roster(MethodView):
    decorators = [admin_required]

    @blp.arguments(RosterInputSchema)
    @blp.response(200, RosterPreviewSchema)
    @blp.alt_response(400, description="An unusable file, or (not a dry run) bad lines: errors list each by line")
    def post(self, data: dict[str, Any]) -> Any:
        """Import a roster, all or nothing; with dry_run, only say what it would do (the page's preview)."""
        actor = acting_user()
        district = managed_district(actor)
        if len(data["csv"]) > MAX_ROSTER_CHARS:
            abort(400, f"The roster is longer than {MAX_ROSTER_CHARS} characters; split it into parts.")
        try:
            plan = validate_roster(district, data["csv"], actor)
        except RosterError as exc:
            raise InvalidInput(exc.problems[0][1], field="csv") from None
        if data["dry_run"]:
            return _preview(plan, applied=False)
        if plan.problems:
            raise InvalidInput({"csv": [f"line {line}: {message}" for line, message in plan.problems]})
        apply_roster(district, plan, actor)
        return _preview(plan, applied=True)
