"""The admin's staff pages: the searchable staff list, a person's page, adding and editing people.

Everything is inside the admin's own district (badges.access): another district's person answers
404. The domain (badges.people.directory, badges.people.operations) searches, checks and audits;
the views load, check access, act, and the request commits once. The roster upload is in
badges.web.people_import.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from ..access import acting_user, admin_required, get_visible_or_404, managed_district
from ..base import InvalidInput, parse_id
from ..extensions import db
from ..models import District, School, SystemRole, User
from ..people import directory, operations, staff
from ..visibility import DISTRICT_MEMBER
from .forms import CheckboxesField, show_errors

bp = Blueprint("people", __name__, url_prefix="/admin/people")

PICKER_LIMIT = 20


def district_of_admin() -> District:
    return managed_district(acting_user())


def person_or_404(user_id: int) -> User:
    return get_visible_or_404(User, user_id, acting_user(), DISTRICT_MEMBER)


# --- the staff list -------------------------------------------------------------------------------


def filter_choices(district: District) -> dict[str, list[tuple[str, str]]]:
    framework = district.framework
    return {
        "school": [(str(s.id), s.name) for s in district.schools] + [(directory.OFFICE, "District office")],
        "role": ([(r.code, r.name) for r in framework.roles] if framework else []) + [(directory.NO_ROLE, "None")],
        "system_role": [(r.value, r.label) for r in SystemRole],
        "state": list(directory.STATES.items()),
    }


def role_labels(district: District) -> dict[str, str]:
    return {r.code: r.name for r in district.framework.roles} if district.framework else {}


@bp.get("")
@admin_required
def index() -> ResponseReturnValue:
    district = district_of_admin()
    args = request.args
    values = {k: args.get(k, "") for k in ("q", "school", "role", "system_role", "state")}
    context: dict[str, Any] = {
        "district": district,
        "values": values,
        "choices": filter_choices(district),
        "role_names": role_labels(district),
        "states": directory.STATES,
        "state_of": directory.account_state,
        "errors": {},
        "listing": None,
    }
    try:
        found = directory.staff_filter(district, **values)
        context["filters"] = found.as_args()
        context["listing"] = directory.directory_page(
            district, found, after=parse_id(args.get("after")), before=parse_id(args.get("before"))
        )
    except InvalidInput as exc:
        context["errors"] = exc.errors
        return render_template("admin/people/index.html", **context), 400
    return render_template("admin/people/index.html", **context)


@bp.get("/search")
@admin_required
def search() -> ResponseReturnValue:
    """Up to 20 matches as JSON, for a picker's suggestions (the pages work without it)."""
    district = district_of_admin()
    role = request.args.get("role")
    try:
        wanted = SystemRole(role) if role else None
    except ValueError:
        raise InvalidInput("Choose one of the system roles.", field="role") from None
    people = directory.search_people(district, request.args.get("q", ""), wanted, PICKER_LIMIT)
    return jsonify(people=[{"id": u.id, "name": u.name, "email": u.email} for u in people])


# --- one person -----------------------------------------------------------------------------------


class PersonForm(FlaskForm):
    name = StringField("Name", render_kw={"maxlength": operations.MAX_NAME_LENGTH, "autocomplete": "off"})
    email = StringField("Email", render_kw={"maxlength": operations.MAX_EMAIL_LENGTH, "autocomplete": "off"})
    school = SelectField("School", validate_choice=False)
    professional_role = SelectField("Professional role", validate_choice=False)
    system_roles = CheckboxesField("System roles", coerce=str)


def person_form(district: District, person: User | None = None) -> PersonForm:
    data = None
    if person is not None and request.method == "GET":
        data = {
            "name": person.name,
            "email": person.email,
            "school": str(person.school_id or ""),
            "professional_role": person.professional_role or "",
            "system_roles": [r.value for r in person.system_roles],
        }
    elif request.method == "GET":
        data = {"system_roles": [SystemRole.EDUCATOR.value]}
    form = PersonForm(data=data)
    form.school.choices = [("", "District office")] + [(str(s.id), s.name) for s in district.schools]
    framework = district.framework
    form.professional_role.choices = [("", "None")] + ([(r.code, r.name) for r in framework.roles] if framework else [])
    form.system_roles.choices = [(r.value, r.label) for r in SystemRole]
    return form


def posted_details(district: District, form: PersonForm) -> dict[str, Any]:
    """The form's values as update_user/add_person take them; InvalidInput for a school or role
    that is not one of the choices (a tampered form)."""
    errors: dict[str, list[str]] = {}
    school: School | None = None
    if form.school.data:
        school = next((s for s in district.schools if str(s.id) == form.school.data), None)
        if school is None:
            errors["school"] = [f"Choose one of the schools of {district.name}, or the district office."]
    roles = set()
    for value in form.system_roles.data or []:
        try:
            roles.add(SystemRole(value))
        except ValueError:
            errors.setdefault("system_roles", []).append(f"{value!r} is not a system role.")
    if errors:
        raise InvalidInput(errors)
    return {
        "name": form.name.data or "",
        "email": form.email.data or "",
        "school": school,
        "professional_role": form.professional_role.data or None,
        "system_roles": roles,
    }


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new() -> ResponseReturnValue:
    district = district_of_admin()
    form = person_form(district)
    if form.validate_on_submit():
        try:
            person = staff.add_person(acting_user(), district, **posted_details(district, form))
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            flash(f"Added {person.name}. They can sign in once they are invited or given a password.")
            return redirect(url_for(".show", user_id=person.id))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/people/form.html", form=form, district=district, person=None), status


@bp.get("/<int:user_id>")
@admin_required
def show(user_id: int) -> ResponseReturnValue:
    district = district_of_admin()
    person = person_or_404(user_id)
    return render_template(
        "admin/people/show.html",
        district=district,
        person=person,
        state=directory.account_state(person),
        states=directory.STATES,
        role_names=role_labels(district),
        is_self=person.id == acting_user().id,
    )


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(user_id: int) -> ResponseReturnValue:
    district = district_of_admin()
    person = person_or_404(user_id)
    form = person_form(district, person)
    if form.validate_on_submit():
        try:
            changes = staff.update_user(person, acting_user(), **posted_details(district, form))
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            flash(f"Saved {person.name}: {'; '.join(changes)}." if changes else f"Nothing changed for {person.name}.")
            return redirect(url_for(".show", user_id=person.id))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/people/form.html", form=form, district=district, person=person), status
