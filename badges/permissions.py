"""Who may do what: every access rule of the service, as plain functions of the acting user.

Views call these; tests drive them from tables. Nothing here reads the request.
"""

from __future__ import annotations

from flask_login import AnonymousUserMixin

from .models import District, SystemRole, User

HOME_ROLES = {
    "educator": SystemRole.EDUCATOR,
    "validator": SystemRole.VALIDATOR,
    "leader": SystemRole.DISTRICT_LEADER,
    "admin": SystemRole.ADMIN,
}

# The order a person with several roles lands on after login: the most specific job first.
LANDING_ORDER = (SystemRole.ADMIN, SystemRole.DISTRICT_LEADER, SystemRole.VALIDATOR, SystemRole.EDUCATOR)


def is_signed_in(user: User | AnonymousUserMixin | None) -> bool:
    return isinstance(user, User) and user.is_active


def has_role(user: User | AnonymousUserMixin | None, role: SystemRole) -> bool:
    return is_signed_in(user) and user.has_role(role)


def can_view_home(user, home: str) -> bool:
    return home in HOME_ROLES and has_role(user, HOME_ROLES[home])


def landing_home(user: User) -> str | None:
    """The role home a signed-in user is sent to first, or None if they hold no role."""
    for role in LANDING_ORDER:
        if user.has_role(role):
            return next(name for name, r in HOME_ROLES.items() if r is role)
    return None


def can_view_staff_of(user, district: District) -> bool:
    """Admins and district leaders see their own district's staff list; nobody sees another's."""
    return (is_signed_in(user) and user.district_id == district.id
            and (user.has_role(SystemRole.ADMIN) or user.has_role(SystemRole.DISTRICT_LEADER)))


def can_view_evidence_file(user, item) -> bool:
    """Evidence may show student work: only its owner sees the file. When claims arrive,
    validators reviewing a claim that cites the item join them; nobody else, not even
    district leaders, unless the owner shares it."""
    return is_signed_in(user) and user.id == item.user_id
