"""What every educator operation shares: ownership and the framework in use (the shared vocabulary of
errors and id bounds is badges.base)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select

from ..base import MAX_ID, NotAvailable
from ..extensions import db
from ..models import Framework, ProfessionalRole, User

T = TypeVar("T")


def get_owned(model: type[T], item_id: int, owner: User) -> T | None:
    """The item with this id if `owner` owns it; None for another person's (callers answer 404)."""
    if not 0 < item_id <= MAX_ID:
        return None
    owned: Any = model  # any model with `id` and `user_id` columns
    return db.session.scalar(select(owned).where(owned.id == item_id, owned.user_id == owner.id))


def framework_and_role(user: User) -> tuple[Framework, ProfessionalRole]:
    """The framework the person's district uses and their professional role in it."""
    framework = user.district.framework
    if framework is None:
        raise NotAvailable("Your district has not chosen a competency framework yet; ask your administrator.")
    role = framework.role(user.professional_role) if user.professional_role else None
    if role is None:
        raise NotAvailable(
            "You have no professional role in your district's framework; ask your administrator "
            "to set one, so the service knows which key questions apply to you."
        )
    return framework, role
