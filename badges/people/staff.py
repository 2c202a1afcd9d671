"""The admin's edits of staff records: add a person, change their details, give and take system roles.

Shared by the staff pages, the API and the CLI. Each checks everything first and raises one
PersonProblems naming every field at fault, then changes, flushes and audits; the caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models import District, School, SystemRole, User
from .operations import (
    PeopleError,
    PersonProblems,
    check_admin_of,
    clean_name,
    create_user,
    email_problem,
    normalize_email,
    role_problem,
)

# "Leave this as it is" for update_user's keyword arguments (None is a value: no school, no role).
KEEP: Any = object()

ROLE_ORDER = list(SystemRole)


def role_names(roles: Iterable[SystemRole]) -> str:
    return ", ".join(r.label for r in sorted(roles, key=ROLE_ORDER.index)) or "none"


def _field_problems(
    district: District,
    person: User | None,
    *,
    name: object = KEEP,
    email: object = KEEP,
    school: School | None = KEEP,
    professional_role: str | None = KEEP,
) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """({field: [messages]}, {field: cleaned value}) for the details given (KEEP ones are skipped)."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if name is not KEEP:
        try:
            values["name"] = clean_name(name)
        except PeopleError as exc:
            errors["name"] = [str(exc)]
    if email is not KEEP:
        address = normalize_email(email if isinstance(email, str) else "")
        if problem := email_problem(address):
            errors["email"] = [problem]
        elif db.session.scalar(select(User.id).where(User.email == address, User.id != (person.id if person else -1))):
            errors["email"] = [f"email {address!r} is already used by another account"]
        values["email"] = address
    if school is not KEEP:
        if school is not None and school.district_id != district.id:
            errors["school"] = [f"school {school.slug!r} does not belong to district {district.slug!r}"]
        values["school"] = school
    if professional_role is not KEEP:
        role = professional_role or None
        if role is not None and (problem := role_problem(district, role)):
            errors["professional_role"] = [problem]
        values["professional_role"] = role
    return errors, values


def _roles_problem(actor: User | None, person: User | None, roles: frozenset[SystemRole]) -> str | None:
    strays = [r for r in roles if not isinstance(r, SystemRole)]
    if strays:
        return f"system_roles: {strays[0]!r} is not a system role (known: {', '.join(r.value for r in SystemRole)})"
    if actor is not None and person is not None and actor.id == person.id and SystemRole.ADMIN not in roles:
        # Taking one's own admin role away could leave the district with no one to give it back.
        return (
            "You cannot remove your own admin role: the district could be left with nobody to manage it. "
            "Ask another admin to remove it."
        )
    return None


def add_person(
    actor: User | None,
    district: District,
    *,
    email: object,
    name: object,
    school: School | None = None,
    professional_role: str | None = None,
    system_roles: Iterable[SystemRole] = frozenset({SystemRole.EDUCATOR}),
) -> User:
    """An admin adds one person (no password: they are invited or set one later); audited.
    PersonProblems lists every problem by field; nothing is written then."""
    if actor is not None and (actor.district_id != district.id or not actor.has_role(SystemRole.ADMIN)):
        raise PermissionError(f"{actor!r} cannot add people to district {district.slug!r}")
    roles = frozenset(system_roles)
    errors, values = _field_problems(
        district, None, name=name, email=email, school=school, professional_role=professional_role
    )
    if problem := _roles_problem(actor, None, roles):
        errors["system_roles"] = [problem]
    if errors:
        raise PersonProblems(errors)
    user = create_user(
        district,
        values["email"],
        values["name"],
        school=values["school"],
        professional_role=values["professional_role"],
        system_roles=roles,
    )
    audit.record(
        district,
        actor,
        "account.created",
        user,
        f"Added {user.name} <{user.email}> ({_where(user)}; system roles: {role_names(roles)}).",
    )
    return user


def _where(user: User) -> str:
    school = user.school.name if user.school is not None else "District office"
    return f"{school}, professional role {user.professional_role or 'none'}"


def update_user(
    user: User,
    actor: User | None = None,
    *,
    name: object = KEEP,
    email: object = KEEP,
    school: School | None = KEEP,
    professional_role: str | None = KEEP,
    system_roles: Iterable[SystemRole] = KEEP,
) -> list[str]:
    """Change what is given of the person's details (KEEP leaves a detail as it is); audited.
    Returns what changed, in words (empty: nothing did). PersonProblems lists every problem by field."""
    check_admin_of(actor, user, "change")
    errors, values = _field_problems(
        user.district, user, name=name, email=email, school=school, professional_role=professional_role
    )
    roles = None if system_roles is KEEP else frozenset(system_roles)
    if roles is not None and (problem := _roles_problem(actor, user, roles)):
        errors["system_roles"] = [problem]
    if errors:
        raise PersonProblems(errors)
    before = f"{user.name} <{user.email}>"
    changes = []
    for field, label in (("name", "name"), ("email", "email"), ("professional_role", "professional role")):
        if field in values and values[field] != getattr(user, field):
            changes.append(f"{label} {getattr(user, field) or 'none'} → {values[field] or 'none'}")
            setattr(user, field, values[field])
    if "school" in values and values["school"] is not user.school:
        old, new = (s.name if s is not None else "District office" for s in (user.school, values["school"]))
        changes.append(f"school {old} → {new}")
        user.school = values["school"]
    if changes:
        db.session.flush()
        audit.record(user.district_id, actor, "account.updated", user, f"Changed {before}: {'; '.join(changes)}.")
    if roles is not None:
        changes.extend(set_roles(user, roles, actor))
    return changes


def set_roles(user: User, roles: Iterable[SystemRole], actor: User | None = None) -> list[str]:
    """Give and take system roles so the person holds exactly `roles`; audited. An admin cannot take
    their own admin role (PersonProblems says why)."""
    check_admin_of(actor, user, "change the roles of")
    wanted = frozenset(roles)
    if problem := _roles_problem(actor, user, wanted):
        raise PersonProblems({"system_roles": [problem]})
    given, taken = wanted - user.system_roles, user.system_roles - wanted
    if not given and not taken:
        return []
    user.set_system_roles(set(wanted))
    db.session.flush()
    words = [f"gave {role_names(given)}"] * bool(given) + [f"took {role_names(taken)}"] * bool(taken)
    change = "system roles: " + ", ".join(words)
    audit.record(user.district_id, actor, "account.roles_changed", user, f"{user.name} <{user.email}>: {change}.")
    return [change]
