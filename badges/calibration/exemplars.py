"""Curating exemplar sets: drafts with exemplars and their anchors, opened (frozen) for calibration rounds.

A set is curated by an admin of its district or a lead validator whose scope covers its domain and
role (badges.permissions.can_curate_exemplar_set). While it is a draft its curators add, change and
remove exemplars; opening it needs at least two exemplars, each anchored on every key question with
an overall level and a rationale, and then freezes it: what validators rate stays as they read it.
Exemplars copied from a person's consented evidence are made in badges.calibration.consent.

Every operation takes the acting user, checks everything before it writes, writes an audit event
and only flushes: the caller that owns the request commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from .. import audit
from ..base import InvalidInput, StateConflict, clean_text_into, parse_id, parse_small_int
from ..educator import storage
from ..educator.evidence import NARRATIVE_MAX, TITLE_MAX, check_url
from ..educator.uploads import sniff
from ..extensions import db
from ..models import (
    AuditEvent,
    Exemplar,
    ExemplarAnchor,
    ExemplarSet,
    Indicator,
    User,
    utcnow,
)
from ..permissions import can_curate_calibration, can_curate_exemplar_set
from .key_questions import set_indicators

DESCRIPTION_MAX = 5000
RATIONALE_MAX = 5000
LEVELS = range(1, 5)
EXEMPLAR_FIELDS = ("title", "narrative", "url", "anchors", "anchor_level", "rationale")


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


def _check_title(value: Any, errors: dict[str, list[str]], what: str = "set") -> str:
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
    title = _check_title(title, errors)
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
    new_title = _check_title(title, errors) if title is not None else exemplar_set.title
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


# -- exemplars --------------------------------------------------------------------------------------


def anchors_by_code(exemplar_set: ExemplarSet, anchors: Mapping[str, Any]) -> dict[int, Any]:
    """{key question code: level} (as the API takes it) -> {key question id: level}; unknown codes named."""
    by_code = {ind.code: ind.id for ind in set_indicators(exemplar_set)}
    unknown = [str(code) for code in anchors if code not in by_code]
    if unknown:
        raise InvalidInput(
            {"anchors": [f"Not a key question of this set ({exemplar_set.domain.name}): {', '.join(unknown)}."]}
        )
    return {by_code[code]: level for code, level in anchors.items()}


def _check_level(value: Any, field: str, label: str, errors: dict[str, list[str]]) -> int | None:
    if value in (None, ""):
        return None
    level = parse_small_int(value, 1, 4)
    if level is None:
        errors.setdefault(field, []).append(f"{label} is a level from 1 to 4.")
    return level


def _check_anchors(exemplar_set: ExemplarSet, anchors: Any, errors: dict[str, list[str]]) -> dict[int, int]:
    """{key question id: level} for the set's key questions; blanks are left out (a draft may be partial)."""
    indicators: dict[int, Indicator] = {ind.id: ind for ind in set_indicators(exemplar_set)}
    if not isinstance(anchors, Mapping):
        errors["anchors"] = ["Anchors are a level per key question."]
        return {}
    levels: dict[int, int] = {}
    strangers = []
    for key, value in anchors.items():
        number = parse_id(key)
        if number is None or number not in indicators:
            strangers.append(str(key))
            continue
        level = _check_level(value, "anchors", f"The anchor for {indicators[number].code}", errors)
        if level is not None:
            levels[number] = level
    if strangers:
        errors.setdefault("anchors", []).append(f"Not a key question of this set: {', '.join(strangers)}.")
    return levels


def _check_exemplar(exemplar_set: ExemplarSet, changes: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    new: dict[str, Any] = {}
    if "title" in changes:
        new["title"] = _check_title(changes["title"], errors, "exemplar")
    if "narrative" in changes:
        new["narrative"] = clean_text_into(
            errors,
            changes["narrative"],
            field="narrative",
            label="The narrative",
            max_length=NARRATIVE_MAX,
            multiline=True,
        )
        if not new["narrative"] and "narrative" not in errors:
            errors["narrative"] = ["Write the narrative validators read, as a claimant would write it."]
    if "url" in changes:
        url = changes["url"]
        new["url"] = check_url(url, errors) if (url or "").strip() else None
    if "anchors" in changes:
        new["anchors"] = _check_anchors(exemplar_set, changes["anchors"] or {}, errors)
    if "anchor_level" in changes:
        new["anchor_level"] = _check_level(changes["anchor_level"], "anchor_level", "The overall level", errors)
    if "rationale" in changes:
        new["rationale"] = clean_text_into(
            errors,
            changes["rationale"],
            field="rationale",
            label="The rationale",
            max_length=RATIONALE_MAX,
            multiline=True,
        )
    if errors:
        raise InvalidInput(errors)
    return new


def _check_file(filename: str, data: bytes) -> Any:
    return sniff(data, filename or "", current_app.config["EVIDENCE_MAX_BYTES"])


def _store_file(exemplar: Exemplar, data: bytes, media_type: str, extension: str) -> None:
    """Write the bytes under a new stored name with a neutral file name (after the exemplar has an id)."""
    stored = storage.save(db.session, data)
    if exemplar.stored_name:
        storage.delete_after_commit(db.session, exemplar.stored_name)
    exemplar.stored_name = stored.name
    exemplar.original_filename = f"exemplar-{exemplar.id}.{extension}"
    exemplar.media_type = media_type
    exemplar.size_bytes = stored.size
    exemplar.sha256 = stored.sha256


def _apply(exemplar: Exemplar, new: Mapping[str, Any]) -> None:
    for name in ("title", "narrative", "url", "anchor_level", "rationale"):
        if name in new:
            setattr(exemplar, name, new[name])
    if "anchors" in new:
        exemplar.anchors = [ExemplarAnchor(indicator_id=i, level=lv) for i, lv in sorted(new["anchors"].items())]


def next_position(exemplar_set: ExemplarSet) -> int:
    return max((e.position for e in exemplar_set.exemplars), default=0) + 1


def add_exemplar(
    actor: User,
    exemplar_set: ExemplarSet,
    title: Any,
    narrative: Any,
    url: Any = None,
    anchors: Any = None,
    anchor_level: Any = None,
    rationale: Any = "",
    filename: str | None = None,
    data: bytes | None = None,
) -> Exemplar:
    """An exemplar written (and optionally a link or an uploaded file, judged as evidence files are)
    for a draft set, with its anchors: {key question id: level 1-4}, an overall level, a rationale.
    Anchors may be partial in a draft; opening the set needs them all."""
    require_curator(actor, exemplar_set)
    require_draft(lock(exemplar_set))
    errors: dict[str, list[str]] = {}
    try:
        new = _check_exemplar(
            exemplar_set,
            dict(
                title=title,
                narrative=narrative,
                url=url,
                anchors=anchors or {},
                anchor_level=anchor_level,
                rationale=rationale,
            ),
        )
    except InvalidInput as exc:
        errors.update(exc.errors)
        new = {}
    detected = None
    if data is not None:
        try:
            detected = _check_file(filename or "", data)
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    exemplar = Exemplar(position=next_position(exemplar_set))
    _apply(exemplar, new)
    exemplar_set.exemplars.append(exemplar)
    db.session.flush()
    if detected is not None and data is not None:
        _store_file(exemplar, data, detected.media_type, detected.extension)
        db.session.flush()
    record_change(
        actor, exemplar_set, "exemplar_added", f"Exemplar “{exemplar.title}” added to “{exemplar_set.title}”."
    )
    return exemplar


def update_exemplar(
    actor: User,
    exemplar: Exemplar,
    file: tuple[str, bytes] | None = None,
    remove_file: bool = False,
    **changes: Any,
) -> Exemplar:
    """Change any of title, narrative, url, anchors, anchor_level and rationale of a draft's exemplar;
    `file` (name, bytes) replaces its file, `remove_file` removes it. Anchors given replace them all."""
    exemplar_set = exemplar.exemplar_set
    require_curator(actor, exemplar_set)
    require_draft(lock(exemplar_set))
    unknown = set(changes) - set(EXEMPLAR_FIELDS)
    if unknown:
        raise TypeError(f"cannot change {', '.join(sorted(unknown))} of an exemplar")
    errors: dict[str, list[str]] = {}
    new: dict[str, Any] = {}
    try:
        new = _check_exemplar(exemplar_set, changes)
    except InvalidInput as exc:
        errors.update(exc.errors)
    detected = None
    if file is not None:
        try:
            detected = _check_file(*file)
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    _apply(exemplar, new)
    if file is not None and detected is not None:
        _store_file(exemplar, file[1], detected.media_type, detected.extension)
    elif remove_file and exemplar.stored_name:
        storage.delete_after_commit(db.session, exemplar.stored_name)
        exemplar.stored_name = exemplar.original_filename = exemplar.media_type = exemplar.sha256 = None
        exemplar.size_bytes = None
    exemplar.updated_at = utcnow()
    db.session.flush()
    record_change(
        actor, exemplar_set, "exemplar_changed", f"Exemplar “{exemplar.title}” of “{exemplar_set.title}” changed."
    )
    return exemplar


def remove_exemplar(actor: User, exemplar: Exemplar) -> None:
    exemplar_set = exemplar.exemplar_set
    require_curator(actor, exemplar_set)
    require_draft(lock(exemplar_set))
    record_change(
        actor, exemplar_set, "exemplar_removed", f"Exemplar “{exemplar.title}” removed from “{exemplar_set.title}”."
    )
    if exemplar.stored_name:
        storage.delete_after_commit(db.session, exemplar.stored_name)
    exemplar_set.exemplars.remove(exemplar)
    db.session.flush()


def record_change(actor: User, exemplar_set: ExemplarSet, verb: str, summary: str) -> None:
    """Every change is recorded on the set (so curated_by finds everyone who wrote its anchors)."""
    audit.record(exemplar_set.district_id, actor, f"calibration.{verb}", exemplar_set, summary)
