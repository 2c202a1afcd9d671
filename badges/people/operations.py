"""Creating districts, schools and staff accounts; passwords, deactivation and ending sessions.

Plain functions of their arguments, shared by the CLI, the roster import, the admin pages and tests
(an admin's edits of staff records are in badges.people.staff).
They validate everything first, then only add and flush: the caller owns the transaction. A new
password, a deactivation and "sign out everywhere" all end every session of that person
(User.end_sessions), and are audited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select

from .. import audit
from ..base import InvalidInput, clean_text, find_control_character
from ..extensions import db
from ..models import District, Framework, School, SystemRole, User, utcnow
from . import passwords

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Deliberately loose: one "@", no spaces, a dot in the domain. Deliverability is not our job.
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+$")
MIN_PASSWORD_LENGTH = passwords.MIN_PASSWORD_LENGTH
MAX_SLUG_LENGTH = 80
MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 254


class PeopleError(ValueError):
    """A district, school or user that cannot be created as asked; the message names the field."""


class PersonProblems(PeopleError, InvalidInput):
    """Every problem with a person's details at once, as {field: [messages]}: a page shows each beside
    its field, the API answers them, the command line prints them (it catches PeopleError)."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    """Why a normalized email cannot be a login name, or None if it can."""
    if not email:
        return "email is empty"
    if problem := find_control_character(email):
        return f"email contains {problem}, which is not allowed; remove it"
    if len(email) > MAX_EMAIL_LENGTH:
        return f"email is longer than {MAX_EMAIL_LENGTH} characters"
    if not EMAIL_RE.match(email):
        return f"email {email!r} is not an email address"
    return None


def clean_name(name: object, field: str = "name", limit: int = MAX_NAME_LENGTH) -> str:
    """The name as badges.base.clean_text leaves it (trimmed, NFC, no control characters, bounded);
    PeopleError naming the field when it cannot be a name."""
    try:
        cleaned = clean_text(name, field=field, label=field, max_length=limit)
    except InvalidInput as exc:
        raise PeopleError(exc.errors[field][0]) from None
    if not cleaned:
        raise PeopleError(f"{field} is empty")
    return cleaned


def name_problem(name: str, field: str = "name", limit: int = MAX_NAME_LENGTH) -> str | None:
    """Why this cannot be a name, or None (the roster reports every row's problems at once)."""
    try:
        clean_name(name, field, limit)
    except PeopleError as exc:
        return str(exc)
    return None


def slug_problem(slug: str, field: str = "slug") -> str | None:
    if not SLUG_RE.match(slug):
        return (
            f"{field} {slug!r} must be lower-case letters, digits and single '-' between them "
            "(e.g. 'lincoln-elementary')"
        )
    if len(slug) > MAX_SLUG_LENGTH:
        return f"{field} is longer than {MAX_SLUG_LENGTH} characters"
    return None


def role_problem(district: District, code: str) -> str | None:
    """Why `code` is not a professional role of the district's framework, or None if it is."""
    framework = district.framework
    if framework is None:
        return f"professional_role {code!r} cannot be set: district {district.slug!r} has no framework"
    if framework.role(code) is None:
        known = ", ".join(r.code for r in framework.roles)
        return (
            f"professional_role {code!r} is not a role of framework "
            f"{framework.slug}@{framework.version} (known: {known})"
        )
    return None


def password_problem(password: str, email: str | None = None) -> str | None:
    """Why this cannot be a password (the one policy: badges.people.passwords), or None if it can."""
    return passwords.password_problem(password, email)


def _check(problem: str | None) -> None:
    if problem is not None:
        raise PeopleError(problem)


def create_district(
    slug: str, name: str, framework: Framework | None = None, contact_email: str | None = None
) -> District:
    _check(slug_problem(slug))
    name = clean_name(name)
    if contact_email is not None:
        contact_email = normalize_email(contact_email)
        _check(email_problem(contact_email))
    if db.session.scalar(select(District.id).where(District.slug == slug)) is not None:
        raise PeopleError(f"slug {slug!r}: a district with this slug already exists")
    district = District(slug=slug, name=name, framework=framework, contact_email=contact_email)
    db.session.add(district)
    db.session.flush()
    return district


def create_school(district: District, slug: str, name: str) -> School:
    _check(slug_problem(slug))
    name = clean_name(name)
    taken = db.session.scalar(select(School.id).where(School.district_id == district.id, School.slug == slug))
    if taken is not None:
        raise PeopleError(f"slug {slug!r}: district {district.slug!r} already has a school with this slug")
    school = School(district=district, slug=slug, name=name)
    db.session.add(school)
    db.session.flush()
    return school


def create_user(
    district: District,
    email: str,
    name: str,
    *,
    school: School | None = None,
    professional_role: str | None = None,
    system_roles: Iterable[SystemRole] = frozenset(),
    password: str | None = None,
) -> User:
    """A new staff account. Without a password it exists but cannot sign in until one is set."""
    email = normalize_email(email)
    roles = frozenset(system_roles)
    _check(email_problem(email))
    name = clean_name(name)
    if school is not None and school.district_id != district.id:
        raise PeopleError(f"school {school.slug!r} does not belong to district {district.slug!r}")
    if professional_role is not None:
        _check(role_problem(district, professional_role))
    strays = [r for r in roles if not isinstance(r, SystemRole)]
    if strays:
        known = ", ".join(r.value for r in SystemRole)
        raise PeopleError(f"system_roles: {strays[0]!r} is not a system role (known: {known})")
    if password is not None:
        _check(password_problem(password, email))
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise PeopleError(f"email {email!r} is already used by another account")

    user = User(district=district, school=school, email=email, name=name, professional_role=professional_role)
    user.set_system_roles(set(roles))
    if password is not None:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def check_admin_of(actor: User | None, person: User, doing: str) -> None:
    """The command line (actor None) may act on anyone; a person only as an admin of the same district."""
    if actor is not None and (actor.district_id != person.district_id or not actor.has_role(SystemRole.ADMIN)):
        raise PermissionError(f"{actor!r} cannot {doing} {person!r}")


def set_password(user: User, password: str, actor: User | None = None, how: str = "") -> None:
    """A new password; every session signed in with the old one ends (User.set_password).

    `actor` is who set it (None: the command line; the person themselves for a link or a change
    of their own); `how` says which way, for the audit log ("through an invitation link")."""
    _check(password_problem(password, user.email))
    user.set_password(password)
    db.session.flush()
    audit.record(
        user.district_id,
        actor,
        "account.password_set",
        user,
        f"New password set for {user.name} <{user.email}>{' ' + how if how else ''}; their sessions were ended.",
    )


def change_own_password(user: User, current: str, new: str) -> None:
    """A person changing their own password: the current one first, so a session left open on a
    shared computer cannot take the account. Every other session of theirs ends (the caller signs
    this one in again)."""
    if not user.check_password(current):
        raise InvalidInput("The current password is not right.", field="current_password")
    if problem := password_problem(new, user.email):
        raise InvalidInput(sentence(problem), field="new_password")
    set_password(user, new, actor=user, how="by themselves")


def sentence(problem: str) -> str:
    """A problem as a sentence, the way the pages show it: capital first, full stop last."""
    return problem[:1].upper() + problem[1:] + "."


def record_sign_in(user: User) -> None:
    """When the person last signed in (the staff list shows it; never audited: it is not a change)."""
    user.last_sign_in_at = utcnow()


def deactivate_user(user: User, actor: User | None = None) -> None:
    """The person can no longer sign in, and every session they have ends now."""
    check_admin_of(actor, user, "deactivate")
    if actor is not None and actor.id == user.id:  # the district would be left with nobody to undo it
        raise PeopleError("you cannot deactivate your own account; ask another administrator")
    if not user.active:
        raise PeopleError(f"user {user.email!r} is already deactivated")
    user.active = False
    user.end_sessions()
    db.session.flush()
    audit.record(
        user.district_id,
        actor,
        "account.deactivated",
        user,
        f"Account of {user.name} <{user.email}> deactivated; their sessions were ended.",
    )


def reactivate_user(user: User, actor: User | None = None) -> None:
    """The person may sign in again (sessions from before the deactivation stay ended)."""
    check_admin_of(actor, user, "reactivate")
    if user.active:
        raise PeopleError(f"user {user.email!r} is already active")
    user.active = True
    db.session.flush()
    audit.record(
        user.district_id, actor, "account.reactivated", user, f"Account of {user.name} <{user.email}> reactivated."
    )


def sign_out_everywhere(user: User, actor: User | None = None) -> None:
    """End every session of the person (a lost laptop, a shared computer); they may sign in again."""
    check_admin_of(actor, user, "sign out")
    user.end_sessions()
    db.session.flush()
    audit.record(
        user.district_id,
        actor,
        "account.signed_out_everywhere",
        user,
        f"Every session of {user.name} <{user.email}> was ended.",
    )


def get_district(slug: str) -> District:
    district = db.session.scalar(select(District).where(District.slug == slug))
    if district is None:
        raise PeopleError(f"no district with slug {slug!r}")
    return district


def get_school(district: District, slug: str) -> School:
    school = db.session.scalar(select(School).where(School.district_id == district.id, School.slug == slug))
    if school is None:
        raise PeopleError(f"district {district.slug!r} has no school with slug {slug!r}")
    return school


def get_user_by_email(email: str) -> User:
    email = normalize_email(email)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise PeopleError(f"no user with email {email!r}")
    return user
