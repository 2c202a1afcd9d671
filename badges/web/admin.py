"""Pages for district admins: validator scopes, conflicts of interest, the audit log, awards (and revoking).

Everything is looked up inside the admin's own district: another district's validator or
conflict answers 404, as if it did not exist. The domain operations write the audit events and
only flush; the app commits once when a request succeeds.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, ValidationError

from .. import audit
from ..access import acting_user, admin_required, get_visible_or_404
from ..access import audited_district as _audited_district
from ..access import managed_district as _managed_district
from ..base import InvalidInput
from ..credentials.listing import district_awards
from ..credentials.revocation import REASON_MAX, revocation_reason, revoke
from ..downloads import csv_download
from ..extensions import db
from ..models import Award, Conflict, District, SystemRole, User, utcnow
from ..people import operations, scope
from ..people.directory import search_people
from ..people.members import conflict_parties, district_member
from ..visibility import DISTRICT_CONFLICT, DISTRICT_MEMBER, DISTRICT_VALIDATOR, REVOCABLE_AWARD
from .forms import CheckboxesField, page_number, show_errors
from .revocation_step import ask_before_revoking

bp = Blueprint("admin", __name__, url_prefix="/admin")

# An action prefix to filter the log by: "claim." or "scope.changed".
ACTION_FILTER = re.compile(r"[a-z0-9_.\-]{1,60}")
# People pickers show this many matches: a search narrows them, never a list of everyone.
PICKER_LIMIT = 20


def managed_district() -> District:
    return _managed_district(acting_user())


def audited_district() -> District:
    return _audited_district(acting_user())


def audit_filter(action: str | None) -> str | None:
    action = (action or "").strip().lower()
    if action and not ACTION_FILTER.fullmatch(action):
        abort(400, "Filter by the start of an action name, such as “claim.” or “scope.changed”.")
    return action or None


# --- forms -----------------------------------------------------------------------------------


def no_nul(form, field):
    if "\x00" in (field.data or ""):
        raise ValidationError("Remove the invisible control characters from this text.")


class ScopeForm(FlaskForm):
    # Unknown codes and schools reach the scope rules, which name them.
    domains = CheckboxesField("Domains", coerce=str)
    roles = CheckboxesField("Professional roles", coerce=str)
    schools = CheckboxesField("Schools")
    whole_district = BooleanField("Whole district (every school and the district office)")
    lead = BooleanField("Lead validator: also curates calibration exemplar sets for these domains and roles")
    reason = StringField(
        "Reason for the change", validators=[no_nul], render_kw={"maxlength": scope.REASON_MAX, "autocomplete": "off"}
    )


class ConflictForm(FlaskForm):
    validator = SelectField("Validator", validate_choice=False)
    educator = SelectField("Educator", validate_choice=False)
    reason = StringField(
        "Reason",
        validators=[no_nul],
        render_kw={
            "maxlength": scope.REASON_MAX,
            "autocomplete": "off",
            "placeholder": "for example: spouse, direct report",
        },
    )


def _validator_or_404(user_id: int, reading: bool = True) -> User:
    """The admin's district's validator with this id. A change for a member who is not one is
    refused by the scope rules with a message (400), so only reading needs the role (404)."""
    return get_visible_or_404(User, user_id, current_user, DISTRICT_VALIDATOR if reading else DISTRICT_MEMBER)


def _status() -> int:
    return 400 if request.method == "POST" else 200


# --- pages -----------------------------------------------------------------------------------


def _scope_summary(district: District, facts: scope.ScopeFacts) -> dict[str, str]:
    """A scope in words for the validators table: names, in the framework's order."""
    framework = district.framework
    domains = [d.name for d in framework.domains if d.code in facts.domain_codes] if framework else []
    roles = [r.name for r in framework.roles if r.code in facts.role_codes] if framework else []
    schools = [s.name for s in district.schools if s.id in facts.school_ids]
    return {
        "domains": ", ".join(domains) or "none",
        "roles": ", ".join(roles) or "none",
        "schools": "whole district" if facts.whole_district else ", ".join(schools) or "none",
    }


def _query(name: str) -> str:
    """A picker's search words from the query string (bounded plain text; the domain escapes LIKE)."""
    return request.args.get(name, "").replace("\x00", "").strip()[:100]


@bp.get("/validators")
@admin_required
def validators():
    district = managed_district()
    q = _query("q")
    found = search_people(district, q, SystemRole.VALIDATOR, PICKER_LIMIT + 1)
    rows = [
        (v, {**_scope_summary(district, scope.scope_of(v)), "lead": scope.is_lead(v)}) for v in found[:PICKER_LIMIT]
    ]
    return render_template(
        "admin/validators.html", district=district, rows=rows, q=q, more=len(found) > PICKER_LIMIT, limit=PICKER_LIMIT
    )


def _form_data(facts: scope.ScopeFacts, lead: bool) -> dict:
    return {
        "domains": sorted(facts.domain_codes),
        "roles": sorted(facts.role_codes),
        "schools": sorted(facts.school_ids),
        "whole_district": facts.whole_district,
        "lead": lead,
    }


@bp.route("/validators/<int:user_id>/scope", methods=["GET", "POST"], endpoint="scope")
@admin_required
def scope_page(user_id: int):
    district = managed_district()
    validator = _validator_or_404(user_id, reading=request.method == "GET")
    form = ScopeForm(
        data=None if request.method == "POST" else _form_data(scope.scope_of(validator), scope.is_lead(validator))
    )
    framework = district.framework
    form.domains.choices = [(d.code, d.name) for d in framework.domains] if framework else []
    form.roles.choices = [(r.code, r.name) for r in framework.roles] if framework else []
    form.schools.choices = [(s.id, s.name) for s in district.schools]
    if form.validate_on_submit():
        try:
            scope.set_scope(
                current_user,
                validator,
                form.domains.data,
                form.roles.data,
                form.schools.data,
                form.whole_district.data,
                form.reason.data,
                lead=form.lead.data,
            )
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            flash(f"Saved the scope of {validator.name}.")
            return redirect(url_for(".validators"))
    return render_template("admin/scope.html", form=form, validator=validator, district=district), _status()


@bp.route("/conflicts", methods=["GET", "POST"])
@admin_required
def conflicts():
    district = managed_district()
    form = ConflictForm()
    searched = {"validator_q": _query("validator_q"), "educator_q": _query("educator_q")}
    form.validator.choices = _picker(district, SystemRole.VALIDATOR, searched["validator_q"], form.validator.data)
    form.educator.choices = _picker(district, SystemRole.EDUCATOR, searched["educator_q"], form.educator.data)
    if form.validate_on_submit():
        try:
            validator, educator = conflict_parties(district, form.validator.data, form.educator.data)
            scope.record_conflict(current_user, validator, educator, form.reason.data)
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            flash(f"Recorded: {validator.name} will not review claims by {educator.name}.")
            return redirect(url_for(".conflicts"))
    return render_template(
        "admin/conflicts.html",
        form=form,
        district=district,
        conflicts=scope.conflicts_in(district),
        searched=searched,
        limit=PICKER_LIMIT,
    ), _status()


def _picker(district: District, role: SystemRole, q: str, chosen: object) -> list[tuple[str, str]]:
    """The choices of a person picker: up to PICKER_LIMIT people with the role whose name or email
    contains `q` (a district of thousands is never one long list), and the one already chosen."""
    people = search_people(district, q, role, PICKER_LIMIT)
    picked = district_member(district, chosen) if chosen else None
    if picked is not None and picked.has_role(role) and picked not in people:
        people.insert(0, picked)
    prompt = f"Choose {'a validator' if role is SystemRole.VALIDATOR else 'an educator'}"
    if len(people) == PICKER_LIMIT:
        prompt += f" (the first {PICKER_LIMIT} matches; search to narrow)"
    return [("", prompt)] + [(str(u.id), f"{u.name} <{u.email}>") for u in people]


@bp.post("/conflicts/<int:conflict_id>/remove")
@admin_required
def remove_conflict(conflict_id: int):
    managed_district()  # 403 for anyone who does not manage their district's validation
    conflict = get_visible_or_404(Conflict, conflict_id, current_user, DISTRICT_CONFLICT)
    reason = request.form.get("reason", "").strip()
    if "\x00" in reason or len(reason) > scope.REASON_MAX:
        abort(400, f"Keep the reason to {scope.REASON_MAX} characters of plain text.")
    names = (conflict.validator.name, conflict.educator.name)
    scope.remove_conflict(current_user, conflict, reason)
    flash("Removed the conflict: {} may again review claims by {}.".format(*names))
    return redirect(url_for(".conflicts"))


def _audit_filter(district: District) -> audit.AuditFilter:
    args = request.args
    return audit.audit_filter(
        district, audit_filter(args.get("action")), args.get("actor"), args.get("from"), args.get("to")
    )


def _audit_args(found: audit.AuditFilter) -> dict[str, str]:
    """The filter as query-string values, for the pager and the CSV link."""
    values = {
        "action": found.action or "",
        "actor": str(found.actor.id) if found.actor else "",
        "from": found.since.isoformat() if found.since else "",
        "to": found.until.isoformat() if found.until else "",
    }
    return {k: v for k, v in values.items() if v}


@bp.get("/audit", endpoint="audit")
@admin_required
def audit_log():
    district = audited_district()
    values = {k: request.args.get(k, "") for k in ("action", "actor", "from", "to", "who")}
    who = _query("who")
    # A name typed into "who": one match filters by that person; several are offered as links.
    matches = search_people(district, who, None, PICKER_LIMIT) if who and not values["actor"] else []
    if len(matches) == 1:
        values["actor"] = str(matches[0].id)
    try:
        found = audit.audit_filter(
            district, audit_filter(values["action"]), values["actor"], values["from"], values["to"]
        )
    except InvalidInput as exc:
        return render_template(
            "admin/audit.html",
            district=district,
            log=None,
            values=values,
            errors=exc.errors,
            filters={},
            without_actor={},
            matches=[],
        ), 400
    page = audit.audit_page(district, page_number(request.args.get("page")), found)
    filters = _audit_args(found)
    return render_template(
        "admin/audit.html",
        district=district,
        log=page,
        values=values,
        found=found,
        filters=filters,
        without_actor={k: v for k, v in filters.items() if k != "actor"},
        subjects=audit.subject_names(district, page.events),
        matches=matches if len(matches) > 1 else [],
        searched=who if who and not matches else "",
        errors={},
    )


@bp.get("/audit.csv")
@admin_required
def audit_csv():
    district = audited_district()
    return csv_download(audit.export_csv(district, _audit_filter(district)), f"audit-{district.slug}.csv")


# --- awards, and revoking them ------------------------------------------------------------------


def _award_or_404(award_id: int) -> Award:
    return get_visible_or_404(Award, award_id, current_user, REVOCABLE_AWARD)


def _awards_page(
    district: District, errors: dict[str, list[str]] | None = None, failed: int | None = None, status: int = 200
):
    listing = district_awards(district, page_number(request.args.get("page")))
    return render_template(
        "admin/awards.html",
        district=district,
        listing=listing,
        now=utcnow(),
        errors=errors or {},
        failed=failed,
        reason_max=REASON_MAX,
    ), status


@bp.get("/awards")
@admin_required
def awards():
    return _awards_page(managed_district())


@bp.post("/awards/<int:award_id>/revoke")
@admin_required
def revoke_award(award_id: int):
    district = managed_district()
    award = _award_or_404(award_id)
    page = request.args.get("page", type=int)
    try:
        reason = revocation_reason(award, request.form.get("reason"))  # check first, ask second
    except InvalidInput as exc:  # no reason (400), already revoked (409)
        return _awards_page(district, exc.errors, award_id, exc.status)
    asked = ask_before_revoking(award, reason, url_for(".awards", page=page))
    if asked:
        return asked
    revoke(current_user, award, reason)
    flash(f"Revoked “{award.badge_class.name}” held by {award.user.name}; they have been told why.")
    return redirect(url_for(".awards", page=page))


# --- ending a person's sessions -----------------------------------------------------------------


@bp.post("/people/<int:user_id>/sign-out-everywhere")
@admin_required
def sign_out_everywhere(user_id: int) -> ResponseReturnValue:
    actor = acting_user()
    _managed_district(actor)
    person = get_visible_or_404(User, user_id, actor, DISTRICT_MEMBER)
    operations.sign_out_everywhere(person, actor=actor)
    flash(f"Signed {person.name} out everywhere: each of their sessions has ended.")
    if request.form.get("back") == "person":  # the button on the person's page
        return redirect(url_for("people.show", user_id=person.id))
    return redirect(url_for("homes.role_home", home="admin", _anchor="staff"))
