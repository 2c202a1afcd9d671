"""Publishing a draft: checked as a framework file is, then frozen with its change summary and its badge
catalogue, in the caller's one transaction, so a draft is published whole or not at all.
"""

from __future__ import annotations

from ..base import InvalidInput, NotPermitted
from ..catalogue.badge_classes import generate_badge_classes, policy_for
from ..catalogue.policy_changes import change_policy
from ..extensions import db
from ..frameworks.documents import compare_documents, framework_document
from ..frameworks.events import record_framework_event
from ..frameworks.loader import FrameworkFileError, content_hash, validate_framework_document
from ..models import Framework, User, utcnow
from ..permissions import framework_owner
from .adoption import adopt_framework
from .drafts import check_version_free, require_editable


class DraftProblems(InvalidInput):
    """A draft that cannot be published: every problem, keyed by where it is ("domains[2].indicators[0].roles")."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        errors: dict[str, list[str]] = {}
        for where, what in problems:
            errors.setdefault(where, []).append(what)
        super().__init__(errors)


def publishing_problems(draft: Framework) -> list[tuple[str, str]]:
    """Every reason the draft cannot be published yet, as (where, what) pairs; [] when it can."""
    document = framework_document(draft)
    problems: list[tuple[str, str]] = []
    try:
        validate_framework_document(document, draft.label)
    except FrameworkFileError as exc:
        problems += exc.problems
    if draft.based_on is not None and not compare_documents(framework_document(draft.based_on), document):
        problems.append(("(draft)", f"nothing has changed since {draft.based_on.label}"))
    return problems


def publish_draft(actor: User, draft: Framework, adopt: bool = True) -> Framework:
    """Publish the district's draft as a version (see _publish). With `adopt`, the actor's district moves
    to it (its staff's next self-assessments use it)."""
    require_editable(actor, draft)
    _publish(actor, draft)
    if adopt:
        adopt_framework(actor, draft)
    return draft


def publish_shared_draft(draft: Framework) -> Framework:
    """Publish a shared framework's draft (imported from the command line: no district acts or owns it)."""
    if framework_owner(draft.slug) is not None or not draft.is_draft:
        raise NotPermitted("Only a shared framework's draft is published from the command line.")
    return _publish(None, draft)


def _publish(actor: User | None, draft: Framework) -> Framework:
    """Validated, summarised against the version it came from, its badge classes generated and the previous
    version's badge policy carried over; DraftProblems (nothing written) when it cannot be published."""
    check_version_free(draft.slug, draft.version, draft)
    problems = publishing_problems(draft)
    if problems:
        raise DraftProblems(problems)
    document = framework_document(draft)
    previous = framework_document(draft.based_on) if draft.based_on is not None else None
    draft.change_summary = compare_documents(previous, document)
    draft.content_hash = content_hash(document)
    draft.published_at = utcnow()
    db.session.flush()
    generate_badge_classes(draft)
    if draft.based_on is not None:
        carried = policy_for(draft.based_on)
        change_policy(
            actor,
            draft,
            requires_previous_level=carried.requires_previous_level,
            expert_approvals_required=carried.expert_approvals_required,
            validity_months=carried.validity_months,
        )
    record_framework_event(
        draft,
        actor,
        "framework.published",
        f"Version {draft.version} published ({len(draft.change_summary)} change(s)"
        + (f" against {draft.based_on.label})." if draft.based_on else ")."),
        draft.change_summary,
    )
    return draft
