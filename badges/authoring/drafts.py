"""A draft: a district's next version of a framework, as rows of its own until it is published.

Starting a draft copies a published version row for row (new CASE identifiers, the same codes), so
the draft is edited with the ordinary models and checked as a file is (badges.authoring.publishing).
A framework with no owner is shared: a district's draft of it starts the district's own framework,
under a slug of its own, so two districts adapting the same shared framework never collide. A key
question keeps its code from version to version, and a code a framework ever used is never given to
another question (next_question_code), because history is matched by code.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from ..base import InvalidInput, NotPermitted, StateConflict
from ..extensions import db
from ..frameworks.events import record_framework_event
from ..frameworks.file_schema import RESERVED_VERSIONS
from ..models import Domain, Framework, FrameworkOwner, Indicator, Level, ProfessionalRole, User
from ..permissions import can_adapt_frameworks, can_edit_framework_draft, framework_owner

SLUG_MAX = 80
_LEADING_NUMBER = re.compile(r"^(\d+)")


def require_adapter(actor: User) -> None:
    if not can_adapt_frameworks(actor):
        raise NotPermitted("Only your district's administrators can adapt frameworks.")


def require_editable(actor: User, draft: Framework) -> None:
    """The draft may be changed by this actor; published versions never are."""
    if not draft.is_draft:
        raise StateConflict(f"{draft.label} is published; published versions are never changed. Start a new draft.")
    if not can_edit_framework_draft(actor, draft):
        raise NotPermitted("Only the administrators of the district that owns this framework can edit its draft.")


def own_slug(actor: User, base: Framework) -> str:
    """The slug the actor's district makes its versions of `base` under: base's own when the district
    owns it, otherwise the district's adaptation of it."""
    if framework_owner(base.slug) == actor.district_id:
        return base.slug
    suffix = f"-{actor.district.slug}"
    return base.slug[: SLUG_MAX - len(suffix)] + suffix


def draft_of(slug: str) -> Framework | None:
    return db.session.scalar(select(Framework).where(Framework.slug == slug, Framework.published_at.is_(None)))


def next_version_label(slug: str, base: Framework) -> str:
    """One more than the highest leading number among the versions of `slug` and of `base`'s framework:
    "1.0" is followed by "2"."""
    versions = db.session.scalars(select(Framework.version).where(Framework.slug.in_({slug, base.slug})))
    numbers = [int(m.group(1)) for v in versions if (m := _LEADING_NUMBER.match(v))]
    return str(max(numbers, default=0) + 1)


def check_version_free(slug: str, version: str, draft: Framework | None = None) -> None:
    if version in RESERVED_VERSIONS.iterable:
        raise InvalidInput(
            f"{version} is the name of one of the service's pages; give the draft another version.", "version"
        )
    taken = db.session.scalar(
        select(Framework.id).where(
            Framework.slug == slug, Framework.version == version, Framework.id != (draft.id if draft else -1)
        )
    )
    if taken is not None:
        raise InvalidInput(f"{slug} already has a version {version}; give the draft another version.", "version")


def start_draft(actor: User, base: Framework, version: str | None = None) -> Framework:
    """The district's draft of its next version of `base` (published), copied row for row."""
    require_adapter(actor)
    if base.is_draft:
        raise StateConflict("A draft is started from a published version.")
    slug = own_slug(actor, base)
    existing = draft_of(slug)
    if existing is not None:
        raise StateConflict(
            f"Your district already has a draft of {existing.title} (version {existing.version}); "
            "publish or discard it first."
        )
    label = version or next_version_label(slug, base)
    check_version_free(slug, label)
    if framework_owner(slug) is None:
        db.session.add(FrameworkOwner(slug=slug, district_id=actor.district_id))
    draft = copy_version(base, slug, label)
    db.session.add(draft)
    db.session.flush()
    record_framework_event(
        draft, actor, "framework.draft_started", f"Draft of version {label} started from {base.label}."
    )
    if slug != base.slug:
        record_framework_event(
            base, actor, "framework.adapted", f"{actor.district.name} started its own version ({slug} {label})."
        )
    return draft


def copy_version(base: Framework, slug: str, version: str) -> Framework:
    """New rows with base's content, codes and order; every row gets a new CASE identifier."""
    draft = Framework(
        slug=slug,
        version=version,
        title=base.title,
        description=base.description,
        source=base.source,
        content_hash="",
        based_on=base,
        change_summary=[],
    )
    draft.levels = [Level(value=lv.value, code=lv.code, name=lv.name, descriptor=lv.descriptor) for lv in base.levels]
    roles = {
        r.code: ProfessionalRole(position=r.position, code=r.code, name=r.name, description=r.description)
        for r in base.roles
    }
    draft.roles = list(roles.values())
    for d in base.domains:
        domain = Domain(position=d.position, code=d.code, name=d.name, description=d.description)
        draft.domains.append(domain)
        for ind in d.indicators:
            domain.indicators.append(
                Indicator(
                    framework=draft,
                    position=ind.position,
                    code=ind.code,
                    text=ind.text,
                    roles=[roles[r.code] for r in ind.roles],
                )
            )
    return draft


def draft_from_document(actor: User | None, document: dict[str, Any], based_on: Framework | None) -> Framework:
    """A draft holding a framework document (from a CASE package: badges.authoring.imports), which may
    lack roles; the caller has checked the document's shape and that its slug and version are free."""
    draft = Framework(
        slug=document["slug"],
        version=document["version"],
        title=document["title"],
        description=document.get("description", ""),
        source=document.get("source", ""),
        content_hash="",
        based_on=based_on,
        change_summary=[],
    )
    identifiers = document.get("identifiers", {})
    for key in ("identifier", "rubric_identifier", "criterion_identifier"):
        if identifiers.get(key):
            setattr(draft, key, identifiers[key])
    draft.levels = [
        Level(
            value=lv["value"],
            code=lv["code"],
            name=lv["name"],
            descriptor=lv["descriptor"],
            **({"identifier": lv["identifier"]} if lv.get("identifier") else {}),
        )
        for lv in document["levels"]
    ]
    roles = {
        r["code"]: ProfessionalRole(
            position=i,
            code=r["code"],
            name=r["name"],
            description=r.get("description", ""),
            **({"identifier": r["identifier"]} if r.get("identifier") else {}),
        )
        for i, r in enumerate(document.get("roles", []), start=1)
    }
    draft.roles = list(roles.values())
    for d_pos, d in enumerate(document["domains"], start=1):
        domain = Domain(
            position=d_pos,
            code=d["code"],
            name=d["name"],
            description=d.get("description", ""),
            **({"identifier": d["identifier"]} if d.get("identifier") else {}),
        )
        draft.domains.append(domain)
        for i_pos, ind in enumerate(d["indicators"], start=1):
            domain.indicators.append(
                Indicator(
                    framework=draft,
                    position=i_pos,
                    code=ind["code"],
                    text=ind["text"],
                    roles=[roles[code] for code in dict.fromkeys(ind.get("roles", [])) if code in roles],
                    **({"identifier": ind["identifier"]} if ind.get("identifier") else {}),
                )
            )
    if actor is not None and framework_owner(draft.slug) is None:
        db.session.add(FrameworkOwner(slug=draft.slug, district_id=actor.district_id))
    db.session.add(draft)
    db.session.flush()
    return draft


def discard_draft(actor: User, draft: Framework) -> None:
    require_editable(actor, draft)
    record_framework_event(draft, actor, "framework.draft_discarded", f"Draft of version {draft.version} discarded.")
    db.session.delete(draft)
    db.session.flush()


def codes_ever_used(slug: str) -> set[str]:
    """Every key-question code any version (draft included) of the framework has, and of the versions
    it was adapted from: not to be given to a new question."""
    codes: set[str] = set()
    slugs: set[str] = {slug}
    seen: set[str] = set()
    while slugs - seen:
        current = (slugs - seen).pop()
        seen.add(current)
        codes |= set(
            db.session.scalars(
                select(Indicator.code)
                .join(Framework, Framework.id == Indicator.framework_id)
                .where(Framework.slug == current)
            )
        )
        slugs |= {
            s
            for s in db.session.scalars(
                select(Framework.slug).where(
                    Framework.id.in_(select(Framework.based_on_id).where(Framework.slug == current))
                )
            )
        }
    return codes


def next_question_code(draft: Framework, domain: Domain) -> str:
    """A code for a new key question of `domain`: "<domain's number>.<next free>", never one used before."""
    used = codes_ever_used(draft.slug)
    prefix = str(domain.position)
    n = len(domain.indicators) + 1
    while f"{prefix}.{n}" in used:
        n += 1
    return f"{prefix}.{n}"
