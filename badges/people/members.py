"""Looking people up inside one district: its members, its educators, the parties a conflict names.

Shared by the admin pages and the admin API; the actor's district is always an argument, so no
lookup here can reach another district's people.
"""

from __future__ import annotations

from sqlalchemy import select

from ..base import InvalidInput, parse_id
from ..extensions import db
from ..models import District, SystemRole, User, UserSystemRole


def district_member(district: District, user_id: object) -> User | None:
    """The district's person with this id (any text or number); None for anyone else or a bad id."""
    number = parse_id(user_id)
    if number is None:
        return None
    return db.session.scalar(select(User).where(User.id == number, User.district_id == district.id))


def members_with_role(district: District, role: SystemRole) -> list[User]:
    """The district's people holding the system role, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserSystemRole)
            .where(User.district_id == district.id, UserSystemRole.role == role)
            .order_by(User.name, User.id)
        )
    )


def conflict_parties(district: District, validator_id: object, educator_id: object) -> tuple[User, User]:
    """The validator and the educator a new conflict names, both of this district (InvalidInput otherwise)."""
    validator = district_member(district, validator_id)
    educator = district_member(district, educator_id)
    errors: dict[str, list[str]] = {}
    if validator is None or not validator.has_role(SystemRole.VALIDATOR):
        errors["validator"] = [f"Choose a validator of {district.name}."]
    if educator is None or not educator.has_role(SystemRole.EDUCATOR):
        errors["educator"] = [f"Choose an educator of {district.name}."]
    if errors:
        raise InvalidInput(errors)
    return validator, educator  # type: ignore[return-value]
