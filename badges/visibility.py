"""What an actor may see, per model: the visibility rules behind every "this object, or 404" lookup.

Each rule narrows a query by the actor where SQL can say it (the owner's id, the actor's district),
and adds a predicate of badges.permissions where only Python can (validator scopes, conflicts).
badges.access.get_visible_or_404 applies them; lists of records use `visible(...)` the same way.
Nothing here reads the request: the actor is an argument.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeAlias

from flask_login import AnonymousUserMixin
from sqlalchemy import Select, false, select

from .base import parse_id
from .extensions import db
from .models import (
    Award,
    BadgeClass,
    CalibrationConsent,
    CalibrationRound,
    Claim,
    Cohort,
    Conflict,
    EvidenceItem,
    EvidenceKind,
    Exemplar,
    ExemplarSet,
    Framework,
    FrameworkOwner,
    Goal,
    ReadinessTarget,
    SelfAssessment,
    SystemRole,
    User,
    UserSystemRole,
)
from .permissions import (
    can_curate_calibration,
    can_curate_exemplar_set,
    can_edit_framework_draft,
    can_manage_validation,
    can_rate_round,
    can_review_claim,
    can_revoke,
    can_view_evidence_file,
    can_view_exemplar_file,
    is_signed_in,
    readiness_scope,
)

Actor: TypeAlias = "User | AnonymousUserMixin | None"


@dataclass(frozen=True)
class Rule:
    """Who sees which rows of `model`: `narrow` adds the SQL conditions (it may join), `allows` is
    the rule SQL cannot express. `missing` is what a person is told instead, with {id}."""

    model: type
    narrow: Callable[[Select, User], Select]
    missing: str
    allows: Callable[[User, Any], bool] | None = None
    public: bool = False  # anyone, signed in or not, may see every row


def _own(query: Select, actor: User) -> Select:
    model = query.column_descriptions[0]["entity"]
    return query.where(model.user_id == actor.id)


def _everyone(query: Select, actor: User) -> Select:
    return query


def _owner_in_district(query: Select, actor: User) -> Select:
    model = query.column_descriptions[0]["entity"]
    return query.join(User, model.user_id == User.id).where(User.district_id == actor.district_id)


def _file_evidence(query: Select, actor: User) -> Select:
    return query.where(EvidenceItem.kind == EvidenceKind.FILE)


def _in_district(query: Select, actor: User) -> Select:
    return query.where(User.district_id == actor.district_id)


def _validator_in_district(query: Select, actor: User) -> Select:
    return query.join(UserSystemRole, UserSystemRole.user_id == User.id).where(
        User.district_id == actor.district_id, UserSystemRole.role == SystemRole.VALIDATOR
    )


def _conflict_in_district(query: Select, actor: User) -> Select:
    return query.join(User, Conflict.validator_id == User.id).where(User.district_id == actor.district_id)


def _others_in_district(query: Select, actor: User) -> Select:
    # A validator never sees their own claim for review; the scope predicate decides the rest.
    return _owner_in_district(query, actor).where(Claim.user_id != actor.id)


# The person's own records: the educator's pages and /api/v1/me.
OWN_EVIDENCE = Rule(EvidenceItem, _own, "There is no evidence {id} in your portfolio.")
OWN_CLAIM = Rule(Claim, _own, "You have no claim {id}.")
OWN_GOAL = Rule(Goal, _own, "You have no goal {id}.")
OWN_AWARD = Rule(Award, _own, "You hold no badge {id}.")
OWN_ASSESSMENT = Rule(SelfAssessment, _own, "You have no self-assessment {id}.")

# Evidence files: the owner, and validators while a claim in their scope that cites it awaits review.
EVIDENCE_FILE = Rule(
    EvidenceItem,
    _file_evidence,
    "There is no evidence file {id}, or it is not yours to see.",
    allows=can_view_evidence_file,
)
# A claim a validator may read: in their district, in their scope, not their own, no conflict.
CLAIM_FOR_REVIEW = Rule(
    Claim, _others_in_district, "There is no claim {id} awaiting your review.", allows=can_review_claim
)
# An award the actor may revoke: an admin of its district, or a validator whose scope covers it.
REVOCABLE_AWARD = Rule(Award, _owner_in_district, "There is no award {id} you can revoke.", allows=can_revoke)


def _manages_own_district(actor: User, found: object) -> bool:
    return can_manage_validation(actor, actor.district)


# Inside the actor's own district, for its admins (who manage validators and conflicts).
DISTRICT_MEMBER = Rule(User, _in_district, "There is no person {id} in your district.", allows=_manages_own_district)
DISTRICT_VALIDATOR = Rule(
    User, _validator_in_district, "There is no validator {id} in your district.", allows=_manages_own_district
)
DISTRICT_CONFLICT = Rule(
    Conflict,
    _conflict_in_district,
    "There is no conflict {id} recorded in your district.",
    allows=_manages_own_district,
)


def _planned_by(query: Select, actor: User) -> Select:
    # Targets and cohorts a leader may change: their district's (a school leader: their school's).
    model = query.column_descriptions[0]["entity"]
    scope = readiness_scope(actor)
    if scope is None:
        return query.where(false())
    query = query.where(model.district_id == scope.district_id)
    return query if scope.school_id is None else query.where(model.school_id == scope.school_id)


MANAGED_TARGET = Rule(ReadinessTarget, _planned_by, "There is no target {id} you can change.")
PLANNED_COHORT = Rule(Cohort, _planned_by, "There is no cohort {id} you can see.")

# Public documents: any badge class, for verifiers and backpacks.
PUBLIC_BADGE_CLASS = Rule(BadgeClass, _everyone, "There is no badge class {id}.", public=True)


# Calibration (exemplars): sets, their exemplars and rounds, for the set's curators; an exemplar's file
# also for the validators who rate the opened set; consented evidence for the district's curators.
def _set_in_district(query: Select, actor: User) -> Select:
    return query.where(ExemplarSet.district_id == actor.district_id)


def _of_set_in_district(query: Select, actor: User) -> Select:
    model = query.column_descriptions[0]["entity"]
    return query.join(ExemplarSet, model.set_id == ExemplarSet.id).where(ExemplarSet.district_id == actor.district_id)


def _file_exemplar(query: Select, actor: User) -> Select:
    return _of_set_in_district(query, actor).where(Exemplar.stored_name.is_not(None))


def _consent_in_force_in_district(query: Select, actor: User) -> Select:
    return (
        query.join(User, CalibrationConsent.user_id == User.id)
        .where(User.district_id == actor.district_id)
        .where(CalibrationConsent.withdrawn_at.is_(None), CalibrationConsent.evidence_id.is_not(None))
    )


CURATED_SET = Rule(
    ExemplarSet, _set_in_district, "There is no exemplar set {id} you curate.", allows=can_curate_exemplar_set
)
CURATED_EXEMPLAR = Rule(
    Exemplar,
    _of_set_in_district,
    "There is no exemplar {id} you curate.",
    allows=lambda actor, found: can_curate_exemplar_set(actor, found.exemplar_set),
)
CURATED_ROUND = Rule(
    CalibrationRound,
    _of_set_in_district,
    "There is no calibration round {id} you curate.",
    allows=lambda actor, found: can_curate_exemplar_set(actor, found.exemplar_set),
)
EXEMPLAR_FILE = Rule(
    Exemplar,
    _file_exemplar,
    "There is no exemplar file {id}, or it is not yours to see.",
    allows=can_view_exemplar_file,
)
COPYABLE_CONSENT = Rule(
    CalibrationConsent,
    _consent_in_force_in_district,
    "There is no consented evidence {id} you may copy.",
    allows=lambda actor, found: can_curate_calibration(actor, actor.district),
)

# A calibration round a validator takes part in: their district's, in their scope, not a set they curate.
ROUND_TO_RATE = Rule(
    CalibrationRound, _of_set_in_district, "There is no calibration round {id} for you to rate.", allows=can_rate_round
)


# A framework draft, for the admins of the district that owns the framework.
def _draft_owned_by_district(query: Select, actor: User) -> Select:
    return (
        query.join(FrameworkOwner, FrameworkOwner.slug == Framework.slug)
        .where(FrameworkOwner.district_id == actor.district_id)
        .where(Framework.published_at.is_(None))
    )


EDITABLE_DRAFT = Rule(
    Framework,
    _draft_owned_by_district,
    "There is no framework draft {id} you can edit.",
    allows=can_edit_framework_draft,
)

DEFAULT_RULES: dict[type, Rule] = {
    rule.model: rule for rule in (OWN_EVIDENCE, OWN_CLAIM, OWN_GOAL, OWN_AWARD, OWN_ASSESSMENT, PUBLIC_BADGE_CLASS)
}


def rule_for(model: type, rule: Rule | None = None) -> Rule:
    """The rule to apply: the one given (which must be about `model`), or the model's default."""
    chosen = rule or DEFAULT_RULES.get(model)
    if chosen is None or chosen.model is not model:
        raise LookupError(
            f"no visibility rule for {model.__name__}"
            if chosen is None
            else f"rule for {chosen.model.__name__} used for {model.__name__}"
        )
    return chosen


def visible(model: type, actor: Actor, rule: Rule | None = None) -> Select:
    """select(model) narrowed to the rows the actor may see (the SQL part of the rule only)."""
    chosen = rule_for(model, rule)
    if not chosen.public and not is_signed_in(actor):
        return select(model).where(false())
    return chosen.narrow(select(model), actor)  # type: ignore[arg-type]


def find_visible(model: type, object_id: object, actor: Actor, rule: Rule | None = None) -> Any | None:
    """The object with this id if the actor may see it; None for an id out of range, a missing
    object or one the actor may not see (callers answer all three the same way)."""
    chosen = rule_for(model, rule)
    number = parse_id(object_id)
    if number is None or (not chosen.public and not is_signed_in(actor)):
        return None
    found = db.session.scalar(visible(model, actor, chosen).where(model.id == number))  # type: ignore[attr-defined]
    if found is None or (chosen.allows is not None and not chosen.allows(actor, found)):  # type: ignore[arg-type]
        return None
    return found
