"""What every educator operation shares: field errors, ownership, the framework in use."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select

from ..extensions import db
from ..models import Framework, ProfessionalRole, User

T = TypeVar("T")


class InvalidInput(ValueError):
    """Bad input, as {field: [messages]}; answered with 400 and the messages, nothing saved."""

    status = 400

    def __init__(self, errors: dict[str, list[str]] | str, field: str = "_schema"):
        self.errors = {field: [errors]} if isinstance(errors, str) else errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()))


class StateConflict(InvalidInput):
    """The request is well formed but the record's state refuses it (already decided, in use);
    answered with 409 and the message, nothing saved."""

    status = 409


class NotAvailable(InvalidInput):
    """The person cannot use this yet (no framework chosen, no professional role)."""


MAX_ID = 2**31 - 1  # INTEGER primary keys: larger ids cannot exist (and PostgreSQL would raise)


def get_owned(model: type[T], item_id: int, owner: User) -> T | None:
    """The item with this id if `owner` owns it; None for another person's (callers answer 404)."""
    if not 0 < item_id <= MAX_ID:
        return None
    return db.session.scalar(select(model).where(model.id == item_id, model.user_id == owner.id))


def framework_and_role(user: User) -> tuple[Framework, ProfessionalRole]:
    """The framework the person's district uses and their professional role in it."""
    framework = user.district.framework
    if framework is None:
        raise NotAvailable("Your district has not chosen a competency framework yet; ask your administrator.")
    role = framework.role(user.professional_role) if user.professional_role else None
    if role is None:
        raise NotAvailable("You have no professional role in your district's framework; ask your administrator "
                           "to set one, so the service knows which key questions apply to you.")
    return framework, role
