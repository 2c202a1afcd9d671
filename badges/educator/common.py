"""What every educator operation shares: the framework in use and the person's role in it (the shared
vocabulary of errors and id bounds is badges.base; "this object if this actor may see it" is badges.access)."""

from __future__ import annotations

from ..base import NotAvailable
from ..models import Framework, ProfessionalRole, User


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
