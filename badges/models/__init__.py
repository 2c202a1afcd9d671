"""Database models. Import from here; the submodules are split by subject."""

from .framework import Domain, Framework, Indicator, Level, ProfessionalRole, indicator_roles
from .people import District, School, SystemRole, User, UserSystemRole
from .timestamps import utcnow

__all__ = [
    "District", "Domain", "Framework", "Indicator", "Level", "ProfessionalRole", "School",
    "SystemRole", "User", "UserSystemRole", "indicator_roles", "utcnow",
]
