"""Adopting a framework version: which one a district's staff assess themselves and claim badges against."""

from __future__ import annotations

from ..audit import record
from ..base import StateConflict
from ..extensions import db
from ..frameworks.events import record_framework_event
from ..models import Framework, User
from ..permissions import framework_owner
from .drafts import require_adapter


def adopt_framework(actor: User, framework: Framework) -> None:
    """The actor's district uses `framework` (published) from now on: new self-assessments and claims use
    it; what was recorded under an earlier version keeps pointing at that version."""
    require_adapter(actor)
    district = actor.district
    if framework.is_draft:
        raise StateConflict("A draft cannot be adopted; publish it first.")
    before = district.framework
    if before is not None and before.id == framework.id:
        return
    district.framework = framework
    summary = (
        f"Framework changed from {before.label} to {framework.label}."
        if before
        else f"Framework set to {framework.label}."
    )
    record(district, actor, "district.framework_changed", district, summary)
    if framework_owner(framework.slug) != district.id:
        record_framework_event(framework, actor, "framework.adopted", f"{district.name} adopted {framework.label}.")
    db.session.flush()
