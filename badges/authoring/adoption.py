"""Adopting a framework version: which one a district's staff assess themselves and claim badges against.

What was recorded under an earlier version keeps pointing at it: submitted self-assessments, claims,
awards and credentials keep that version's wording and name it. The readiness tables need nothing
done: they count by domain code, whatever the version (badges.readiness.history), so a badge of
version 1 counts in version 2's domain of the same code, and a domain the new framework lacks is
shown apart on the dashboard (badges.readiness.shape.with_earlier_domains).

A self-assessment left open (a draft, never submitted) is not a record yet, so it moves with the
district: it is carried to the adopted version, each rating kept (level, reflection, date) when the
new version has a key question of the same code that applies to the person's role, and dropped
otherwise. A draft with nothing left to carry (say the role is not in the new framework) is removed.
The district's audit log says how many drafts moved and how many ratings were kept and dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..audit import record
from ..base import StateConflict
from ..extensions import db
from ..frameworks.events import record_framework_event
from ..models import District, Framework, SelfAssessment, User
from ..permissions import framework_owner
from .drafts import require_adapter


@dataclass(frozen=True)
class CarriedDrafts:
    moved: int = 0
    removed: int = 0
    kept: int = 0  # ratings
    dropped: int = 0

    def sentence(self, framework: Framework) -> str:
        return (
            f"Open self-assessments carried to {framework.label} by key question code: {self.moved} moved, "
            f"{self.removed} removed (nothing applied), {self.kept} rating(s) kept, {self.dropped} dropped."
        )


def carry_open_drafts(district: District, framework: Framework) -> CarriedDrafts:
    """Move every open self-assessment of the district's staff to `framework` (see the module docstring)."""
    drafts = db.session.scalars(
        select(SelfAssessment)
        .join(User, User.id == SelfAssessment.user_id)
        .where(
            User.district_id == district.id,
            SelfAssessment.submitted_at.is_(None),
            SelfAssessment.framework_id != framework.id,
        )
        .order_by(SelfAssessment.id)
    ).all()
    moved = removed = kept = dropped = 0
    for draft in drafts:
        by_code = {
            ind.code: ind
            for domain in framework.domains
            for ind in domain.indicators
            if any(role.code == draft.professional_role for role in ind.roles)
        }
        for rating in list(draft.ratings):
            indicator = by_code.get(rating.indicator.code)
            if indicator is None:
                draft.ratings.remove(rating)
                dropped += 1
            else:
                rating.indicator = indicator
                kept += 1
        if draft.ratings:
            draft.framework = framework
            moved += 1
        else:
            db.session.delete(draft)
            removed += 1
    return CarriedDrafts(moved, removed, kept, dropped)


def adopt_framework(actor: User, framework: Framework) -> None:
    """The actor's district uses `framework` (published) from now on: new self-assessments and claims use
    it, and open self-assessments are carried to it; what was recorded under an earlier version keeps
    pointing at that version."""
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
    carried = carry_open_drafts(district, framework)
    if carried.moved or carried.removed:
        summary += " " + carried.sentence(framework)
    record(district, actor, "district.framework_changed", district, summary)
    if framework_owner(framework.slug) != district.id:
        record_framework_event(framework, actor, "framework.adopted", f"{district.name} adopted {framework.label}.")
    db.session.flush()
