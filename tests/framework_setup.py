"""Building blocks for framework-authoring tests: a district's draft of the seed framework and a
published version 2, edited straight through the models, so each part's tests need only the models and
badges.authoring's start and publish (the editor's own functions are tested in their own files)."""

from __future__ import annotations

from badges.authoring.drafts import start_draft
from badges.authoring.publishing import publish_draft
from badges.extensions import db
from badges.models import Framework, ProfessionalRole, User

NEW_ROLE_CODE = "aum-decision-maker"
NEW_ROLE_NAME = "Advance-Upon-Mastery Decision Maker"
EXPERT_V2 = "I have led competency education that raised achievement, and I coach my peers to do the same."


def draft_of(admin: User, base: Framework | None = None) -> Framework:
    """The admin's district's draft of `base` (by default the framework the district uses)."""
    framework = base or admin.district.framework
    assert framework is not None
    return start_draft(admin, framework)


def edit_as_version_2(draft: Framework) -> Framework:
    """The issue's edit: the Expert descriptor reworded, and the new role applying to domain 1's questions."""
    expert = next(lv for lv in draft.levels if lv.value == 4)
    expert.descriptor = EXPERT_V2
    role = ProfessionalRole(
        position=len(draft.roles) + 1,
        code=NEW_ROLE_CODE,
        name=NEW_ROLE_NAME,
        description="Decides when a learner has shown mastery and advances.",
    )
    draft.roles.append(role)
    for indicator in draft.domains[0].indicators:
        indicator.roles.append(role)
    db.session.flush()
    return draft


def publish_version_2(admin: User) -> Framework:
    """Version 2 of the admin's district's framework, published and adopted by the district."""
    draft = edit_as_version_2(draft_of(admin))
    publish_draft(admin, draft)
    db.session.commit()
    return draft


def framework_world_ids(admin: User, framework: Framework) -> dict[str, object]:
    """For the route table and the hostile-input world: the admin's draft of the district's next version, a
    key question of it, and CASE identifiers of the published framework."""
    draft = start_draft(admin, framework)
    first_domain = framework.domains[0]
    return {
        "framework_draft": draft.id,
        "framework_draft_indicator": draft.domains[0].indicators[0].id,
        "case_document": framework.identifier,
        "case_domain": first_domain.identifier,
        "case_item": first_domain.indicators[0].identifier,
        "case_rubric": framework.rubric_identifier,
    }
