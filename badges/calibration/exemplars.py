"""The exemplars of a draft set: written or uploaded evidence with its anchors (badges.calibration.sets has
the sets themselves and the guards each change passes).

While a set is a draft its curators add, change and remove exemplars; opening it needs at least two
exemplars, each anchored on every key question with an overall level and a rationale, and then freezes
it: what validators rate stays as they read it.
Exemplars copied from a person's consented evidence are made in badges.calibration.consent.

Every operation takes the acting user, checks everything before it writes, writes an audit event
and only flushes: the caller that owns the request commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app

from ..base import InvalidInput, clean_text_into, parse_id, parse_small_int
from ..educator import storage
from ..educator.evidence import NARRATIVE_MAX, check_url
from ..educator.uploads import sniff
from ..extensions import db
from ..models import (
    Exemplar,
    ExemplarAnchor,
    ExemplarSet,
    Indicator,
    User,
    utcnow,
)
from .key_questions import set_indicators
from .sets import check_title, lock, record_change, require_curator, require_draft

RATIONALE_MAX = 5000
LEVELS = range(1, 5)
EXEMPLAR_FIELDS = ("title", "narrative", "url", "anchors", "anchor_level", "rationale")


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
        new["title"] = check_title(changes["title"], errors, "exemplar")
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
