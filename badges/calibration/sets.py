"""Exemplar sets as a whole: who curates them, creating, changing and deleting drafts, and the guards every
change to a set or its exemplars passes (the curator, the row lock, the draft state, the audit record).

A set is curated by an admin of its district or a lead validator whose scope covers its domain and
role (badges.permissions.can_curate_exemplar_set). Its exemplars and their anchors are
badges.calibration.exemplars'; opening it is badges.calibration.opening's.

Every operation takes the acting user, checks everything before it writes, writes an audit event
and only flushes: the caller that owns the request commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from .. import audit
from ..base import InvalidInput, StateConflict, clean_text_into
from ..educator import storage
from ..educator.evidence import TITLE_MAX
from ..extensions import db
from ..models import AuditEvent, ExemplarSet, User
from ..permissions import can_curate_calibration, can_curate_exemplar_set

DESCRIPTION_MAX = 5000


class SetFrozen(StateConflict):
    """The set is opened: its exemplars and anchors stay as validators read them (409)."""


# -- who curates ------------------------------------------------------------------------------------


def require_curator(actor: User, exemplar_set: ExemplarSet) -> None:
    if not can_curate_exemplar_set(actor, exemplar_set):
        raise PermissionError(f"{actor!r} does not curate exemplar set {exemplar_set.id}")


def lock(exemplar_set: ExemplarSet) -> ExemplarSet:
    """Hold the set's row until the transaction ends (PostgreSQL; SQLite writes one at a time anyway), so
    a change to a draft and its opening never interleave: whichever comes second sees the other."""
    db.session.scalars(
        select(ExemplarSet)
        .where(ExemplarSet.id == exemplar_set.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()  # fetched, so the row in hand is refreshed from the locked one
    return exemplar_set


def require_draft(exemplar_set: ExemplarSet) -> None:
    if exemplar_set.opened_at is not None:
        raise SetFrozen(
            f"“{exemplar_set.title}” was opened for calibration on {exemplar_set.opened_at:%Y-%m-%d}; its "
            "exemplars and anchors are frozen so every validator rates the same thing. Make a new set to change them."
        )


def curated_by(exemplar_set: ExemplarSet, user: User) -> bool:
    """Did this person write the set's anchors (they created it, or changed it or its exemplars)? They
    know the anchors, so they cannot rate it blind (badges.calibration.rounds refuses them)."""
    if exemplar_set.created_by_id == user.id:
        return True
    found = db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(
            AuditEvent.subject_type == ExemplarSet.__tablename__,
            AuditEvent.subject_id == exemplar_set.id,
            AuditEvent.actor_id == user.id,
            AuditEvent.action.startswith("calibration.", autoescape=True),
        )
    )
    return bool(found)


def curated_sets(actor: User) -> list[ExemplarSet]:
    """The sets of the actor's district they curate, drafts first, then the newest."""
    if not can_curate_calibration(actor, actor.district):
        return []
    sets = db.session.scalars(
        select(ExemplarSet)
        .where(ExemplarSet.district_id == actor.district_id)
        .order_by(ExemplarSet.opened_at.is_not(None), ExemplarSet.created_at.desc(), ExemplarSet.id.desc())
    )
    return [s for s in sets if can_curate_exemplar_set(actor, s)]


# -- sets -------------------------------------------------------------------------------------------


def check_title(value: Any, errors: dict[str, list[str]], what: str = "set") -> str:
    title = " ".join(clean_text_into(errors, value, field="title", label="The title", max_length=TITLE_MAX).split())
    if not title and "title" not in errors:
        errors["title"] = [f"Give the {what} a title."]
    return title


def create_set(actor: User, domain_code: Any, role_code: Any, title: Any, description: Any = "") -> ExemplarSet:
    """A draft set for a domain and professional role of the actor's district framework."""
    district = actor.district
    if not can_curate_calibration(actor, district):
        raise PermissionError(f"{actor!r} does not curate calibration in {district!r}")
    errors: dict[str, list[str]] = {}
    framework = district.framework
    if framework is None:
        raise InvalidInput("Your district has not chosen a competency framework yet.", "domain")
    domain = next((d for d in framework.domains if d.code == domain_code), None)
    role = framework.role(role_code) if isinstance(role_code, str) and role_code else None
    if domain is None:
        errors["domain"] = [f"Choose a domain of {framework.title}."]
    if role is None:
        errors["role"] = [f"Choose a professional role of {framework.title}."]
    title = check_title(title, errors)
    description = clean_text_into(
        errors, description, field="description", label="The description", max_length=DESCRIPTION_MAX, multiline=True
    )
    if errors or domain is None or role is None:
        raise InvalidInput(errors)
    exemplar_set = ExemplarSet(
        district_id=district.id,
        framework=framework,
        domain=domain,
        role=role,
        title=title,
        description=description,
        created_by=actor,
    )
    if not can_curate_exemplar_set(actor, exemplar_set):
        raise InvalidInput(
            {"domain": ["You curate exemplar sets only for the domains and roles in your validator scope."]}
        )
    db.session.add(exemplar_set)
    db.session.flush()
    record_change(actor, exemplar_set, "set_created", f"Exemplar set “{title}” created ({domain.name}, {role.name}).")
    return exemplar_set


def update_set(actor: User, exemplar_set: ExemplarSet, title: Any = None, description: Any = None) -> ExemplarSet:
    """Change a draft's title or description (None leaves it). Its domain and role stay: its anchors
    are for their key questions."""
    require_curator(actor, exemplar_set)
    require_draft(lock(exemplar_set))
    errors: dict[str, list[str]] = {}
    new_title = check_title(title, errors) if title is not None else exemplar_set.title
    new_description = (
        clean_text_into(
            errors,
            description,
            field="description",
            label="The description",
            max_length=DESCRIPTION_MAX,
            multiline=True,
        )
        if description is not None
        else exemplar_set.description
    )
    if errors:
        raise InvalidInput(errors)
    exemplar_set.title, exemplar_set.description = new_title, new_description
    db.session.flush()
    record_change(actor, exemplar_set, "set_changed", f"Exemplar set “{new_title}” changed.")
    return exemplar_set


def delete_set(actor: User, exemplar_set: ExemplarSet) -> None:
    """Delete a draft with its exemplars (and, once committed, their files)."""
    require_curator(actor, exemplar_set)
    require_draft(lock(exemplar_set))
    record_change(actor, exemplar_set, "set_deleted", f"Draft exemplar set “{exemplar_set.title}” deleted.")
    for exemplar in exemplar_set.exemplars:
        if exemplar.stored_name:
            storage.delete_after_commit(db.session, exemplar.stored_name)
    db.session.delete(exemplar_set)
    db.session.flush()


def record_change(actor: User, exemplar_set: ExemplarSet, verb: str, summary: str) -> None:
    """Every change is recorded on the set (so curated_by finds everyone who wrote its anchors)."""
    audit.record(exemplar_set.district_id, actor, f"calibration.{verb}", exemplar_set, summary)
