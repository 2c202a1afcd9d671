"""Pages for district admins: validator scopes, conflicts of interest, the audit log, awards (and revoking).

Everything is looked up inside the admin's own district: another district's validator or
conflict answers 404, as if it did not exist. The domain operations write the audit events and
only flush; each view commits once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .. import audit
from ..credentials.revocation import REASON_MAX, can_revoke, revoke
from ..educator.common import MAX_ID, InvalidInput
from ..extensions import db
from ..models import Award, BadgeClass, Conflict, District, SystemRole, User, UserSystemRole, utcnow
from ..people import operations
from ..permissions import can_manage_validation, can_read_audit_log
from ..validation import scope
from .guards import role_required
from .reviews import checked_reason
from .forms import show_errors

bp = Blueprint("admin", __name__, url_prefix="/admin")

admin_required = role_required(SystemRole.ADMIN)

# An action prefix to filter the log by: "claim." or "scope.changed".
ACTION_FILTER = re.compile(r"[a-z0-9_.\-]{1,60}")
AWARDS_PER_PAGE = 50


# --- lookups inside the admin's district (shared with badges.api.admin) -----------------------

def managed_district() -> District:
    district = current_user.district
    if not can_manage_validation(current_user, district):
        abort(403, "Only the district's administrators manage validation.")
    return district


def audited_district() -> District:
    district = current_user.district
    if not can_read_audit_log(current_user, district):
        abort(403, "Only the district's administrators read its audit log.")
    return district


def district_member(district: District, user_id) -> User | None:
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    if not 0 < user_id <= MAX_ID:
        return None
    return db.session.scalar(select(User).where(User.id == user_id, User.district_id == district.id))


def validator_or_404(district: District, user_id: int, reading: bool = True) -> User:
    """The district's person with this id. Reading a scope needs them to be a validator (404 if not);
    a change for a member who is not one is refused by the scope rules, with a message (400)."""
    user = district_member(district, user_id)
    if user is None or (reading and not user.has_role(SystemRole.VALIDATOR)):
        abort(404, f"There is no validator {user_id} in {district.name}.")
    return user


def conflict_or_404(district: District, conflict_id: int) -> Conflict:
    conflict = None
    if 0 < conflict_id <= MAX_ID:
        conflict = db.session.scalar(select(Conflict).join(User, Conflict.validator_id == User.id)
                                     .where(Conflict.id == conflict_id, User.district_id == district.id))
    if conflict is None:
        abort(404, f"There is no conflict {conflict_id} recorded in {district.name}.")
    return conflict


def educators_of(district: District) -> list[User]:
    return list(db.session.scalars(
        select(User).join(UserSystemRole).where(User.district_id == district.id,
                                                UserSystemRole.role == SystemRole.EDUCATOR)
        .order_by(User.name, User.id)))


def conflict_parties(district: District, validator_id, educator_id) -> tuple[User, User]:
    """The validator and the educator a new conflict names, both of this district (400 otherwise)."""
    validator = district_member(district, validator_id)
    educator = district_member(district, educator_id)
    errors: dict[str, list[str]] = {}
    if validator is None or not validator.has_role(SystemRole.VALIDATOR):
        errors["validator"] = [f"Choose a validator of {district.name}."]
    if educator is None or not educator.has_role(SystemRole.EDUCATOR):
        errors["educator"] = [f"Choose an educator of {district.name}."]
    if errors:
        raise InvalidInput(errors)
    return validator, educator


def audit_filter(action: str | None) -> str | None:
    action = (action or "").strip().lower()
    if action and not ACTION_FILTER.fullmatch(action):
        abort(400, "Filter by the start of an action name, such as “claim.” or “scope.changed”.")
    return action or None


def audit_csv_response(district: District, action: str | None) -> Response:
    response = Response(stream_with_context(audit.export_csv(district, action)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="audit-{district.slug}.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- forms -----------------------------------------------------------------------------------

def no_nul(form, field):
    if "\x00" in (field.data or ""):
        raise ValidationError("Remove the invisible control characters from this text.")


class CheckboxesField(SelectMultipleField):
    """Checkboxes; unknown values reach the scope rules, which name them."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, **kwargs):
        super().__init__(label, validate_choice=False, **kwargs)


class ScopeForm(FlaskForm):
    domains = CheckboxesField("Domains")
    roles = CheckboxesField("Professional roles")
    schools = CheckboxesField("Schools")
    whole_district = BooleanField("Whole district (every school and the district office)")
    reason = StringField("Reason for the change", validators=[no_nul],
                         render_kw={"maxlength": scope.REASON_MAX, "autocomplete": "off"})


class ConflictForm(FlaskForm):
    validator = SelectField("Validator", validate_choice=False)
    educator = SelectField("Educator", validate_choice=False)
    reason = StringField("Reason", validators=[no_nul],
                         render_kw={"maxlength": scope.REASON_MAX, "autocomplete": "off",
                                    "placeholder": "for example: spouse, direct report"})


def _status() -> int:
    return 400 if request.method == "POST" else 200


# --- pages -----------------------------------------------------------------------------------

def _scope_summary(district: District, facts: scope.ScopeFacts) -> dict[str, str]:
    """A scope in words for the validators table: names, in the framework's order."""
    framework = district.framework
    domains = [d.name for d in framework.domains if d.code in facts.domain_codes] if framework else []
    roles = [r.name for r in framework.roles if r.code in facts.role_codes] if framework else []
    schools = [s.name for s in district.schools if s.id in facts.school_ids]
    return {"domains": ", ".join(domains) or "none", "roles": ", ".join(roles) or "none",
            "schools": "whole district" if facts.whole_district else ", ".join(schools) or "none"}


@bp.get("/validators")
@admin_required
def validators():
    district = managed_district()
    rows = [(v, _scope_summary(district, scope.scope_of(v))) for v in scope.validators_of(district)]
    return render_template("admin/validators.html", district=district, rows=rows)


def _form_data(facts: scope.ScopeFacts) -> dict:
    return {"domains": sorted(facts.domain_codes), "roles": sorted(facts.role_codes),
            "schools": [str(i) for i in sorted(facts.school_ids)], "whole_district": facts.whole_district}


@bp.route("/validators/<int:user_id>/scope", methods=["GET", "POST"], endpoint="scope")
@admin_required
def scope_page(user_id: int):
    district = managed_district()
    validator = validator_or_404(district, user_id, reading=request.method == "GET")
    form = ScopeForm(data=None if request.method == "POST" else _form_data(scope.scope_of(validator)))
    framework = district.framework
    form.domains.choices = [(d.code, d.name) for d in framework.domains] if framework else []
    form.roles.choices = [(r.code, r.name) for r in framework.roles] if framework else []
    form.schools.choices = [(str(s.id), s.name) for s in district.schools]
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            scope.set_scope(current_user, validator, form.domains.data, form.roles.data, form.schools.data,
                            form.whole_district.data, form.reason.data)
        except InvalidInput as exc:
            db.session.rollback()
            errors = show_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Saved the scope of {validator.name}.")
            return redirect(url_for(".validators"))
    return render_template("admin/scope.html", form=form, validator=validator, district=district,
                           errors=errors), _status()


@bp.route("/conflicts", methods=["GET", "POST"])
@admin_required
def conflicts():
    district = managed_district()
    form = ConflictForm()
    form.validator.choices = [("", "Choose a validator")] + [
        (str(v.id), f"{v.name} <{v.email}>") for v in scope.validators_of(district)]
    form.educator.choices = [("", "Choose an educator")] + [
        (str(u.id), f"{u.name} <{u.email}>") for u in educators_of(district)]
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            validator, educator = conflict_parties(district, form.validator.data, form.educator.data)
            scope.record_conflict(current_user, validator, educator, form.reason.data)
        except InvalidInput as exc:
            db.session.rollback()
            errors = show_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Recorded: {validator.name} will not review claims by {educator.name}.")
            return redirect(url_for(".conflicts"))
    return render_template("admin/conflicts.html", form=form, district=district, errors=errors,
                           conflicts=scope.conflicts_in(district)), _status()


@bp.post("/conflicts/<int:conflict_id>/remove")
@admin_required
def remove_conflict(conflict_id: int):
    district = managed_district()
    conflict = conflict_or_404(district, conflict_id)
    reason = request.form.get("reason", "").strip()
    if "\x00" in reason or len(reason) > scope.REASON_MAX:
        abort(400, f"Keep the reason to {scope.REASON_MAX} characters of plain text.")
    names = (conflict.validator.name, conflict.educator.name)
    scope.remove_conflict(current_user, conflict, reason)
    db.session.commit()
    flash("Removed the conflict: {} may again review claims by {}.".format(*names))
    return redirect(url_for(".conflicts"))


@bp.get("/audit", endpoint="audit")
@admin_required
def audit_log():
    district = audited_district()
    action = audit_filter(request.args.get("action"))
    page = audit.audit_page(district, request.args.get("page", 1, type=int), action)
    return render_template("admin/audit.html", district=district, log=page, action=action or "")


@bp.get("/audit.csv")
@admin_required
def audit_csv():
    district = audited_district()
    return audit_csv_response(district, audit_filter(request.args.get("action")))


# --- awards, and revoking them ------------------------------------------------------------------

@dataclass
class AwardsPage:
    awards: list[Award]
    page: int
    pages: int
    total: int


def district_awards(district: District, page: int) -> AwardsPage:
    """The district's awards, newest first, a page at a time."""
    mine = select(Award).join(User, Award.user_id == User.id).where(User.district_id == district.id)
    total = db.session.scalar(mine.with_only_columns(func.count(Award.id)).order_by(None))
    pages = max(1, -(-total // AWARDS_PER_PAGE))
    page = min(max(page, 1), pages)
    awards = list(db.session.scalars(
        mine.options(selectinload(Award.user), selectinload(Award.badge_class).selectinload(BadgeClass.domain))
        .order_by(Award.awarded_at.desc(), Award.id.desc())
        .limit(AWARDS_PER_PAGE).offset((page - 1) * AWARDS_PER_PAGE)))
    return AwardsPage(awards, page, pages, total)


def award_or_404(district: District, award_id: int) -> Award:
    award = None
    if 0 < award_id <= MAX_ID:
        award = db.session.scalar(select(Award).join(User, Award.user_id == User.id)
                                  .where(Award.id == award_id, User.district_id == district.id))
    if award is None or not can_revoke(current_user, award):
        abort(404, f"There is no award {award_id} in {district.name}.")
    return award


def _awards_page(district: District, errors: dict[str, list[str]] | None = None, failed: int | None = None,
                 status: int = 200):
    listing = district_awards(district, request.args.get("page", 1, type=int))
    return render_template("admin/awards.html", district=district, listing=listing, now=utcnow(),
                           errors=errors or {}, failed=failed, reason_max=REASON_MAX), status


@bp.get("/awards")
@admin_required
def awards():
    return _awards_page(managed_district())


@bp.post("/awards/<int:award_id>/revoke")
@admin_required
def revoke_award(award_id: int):
    district = managed_district()
    award = award_or_404(district, award_id)
    try:
        revoke(current_user, award, checked_reason(request.form.get("reason")))
    except InvalidInput as exc:  # no reason (400), already revoked (409)
        db.session.rollback()
        return _awards_page(district, exc.errors, award_id, exc.status)
    db.session.commit()
    flash(f"Revoked “{award.badge_class.name}” held by {award.user.name}; they have been told why.")
    return redirect(url_for(".awards", page=request.args.get("page", type=int)))


# --- ending a person's sessions -----------------------------------------------------------------

@bp.post("/people/<int:user_id>/sign-out-everywhere")
@admin_required
def sign_out_everywhere(user_id: int) -> ResponseReturnValue:
    district = managed_district()
    person = operations.district_person(district, user_id)
    if person is None:
        abort(404, f"There is no person {user_id} in {district.name}.")
    operations.sign_out_everywhere(person, actor=current_user)
    db.session.commit()
    flash(f"Signed {person.name} out everywhere: each of their sessions has ended.")
    return redirect(url_for("homes.role_home", home="admin", _anchor="staff"))
