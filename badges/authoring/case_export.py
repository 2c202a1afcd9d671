"""The service's CASE package of a framework version: badges.frameworks.case_package with this service's
URIs (under BADGES_PUBLIC_URL, badges.credentials.urls) and the owning district as its creator. Shared by
the CASE REST service (badges.api.case) and the command line (badges.cli_case)."""

from __future__ import annotations

from typing import Any

from ..credentials import urls
from ..extensions import db
from ..frameworks.case_package import DEFAULT_CREATOR, case_package
from ..models import District, Framework
from ..permissions import framework_owner


def creator_of(framework: Framework) -> str:
    """The district that makes the framework's versions, or the service for a shared framework."""
    owner = framework_owner(framework.slug)
    district = db.session.get(District, owner) if owner is not None else None
    return district.name if district is not None else DEFAULT_CREATOR


def package_of(framework: Framework) -> dict[str, Any]:
    return case_package(framework, urls.case, creator_of(framework))
