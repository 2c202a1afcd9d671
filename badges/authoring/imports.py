"""Importing a CASE 1.1 CFPackage as a draft: a new framework, or the next version of one.

Everything is checked before anything is added (badges.frameworks.case_import for the package, then who
may import it where, the slug and the version), and every problem is raised at once as a
FrameworkFileError, so a refused import leaves nothing behind. An admin's import belongs to their
district (a new framework becomes theirs; a new version needs a framework their district owns). The
command line (actor None) imports shared frameworks (a new one has no owner, and only a shared framework
takes a new version from it), or, naming a district, a draft of that district's own for its admins to finish.

The package's CASE identifiers are kept when this service does not use them yet (an identifier names one
thing for good), otherwise the rows get new ones. A package whose key questions all name their roles can
be published at once (publishing.publish_shared_draft, the command line's --publish); otherwise roles are set in the
editor before publishing.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..frameworks.case_import import read_case_package, slugify
from ..frameworks.events import record_framework_event
from ..frameworks.file_schema import RESERVED_SLUGS
from ..frameworks.loader import FrameworkFileError
from ..frameworks.queries import latest_framework
from ..models import District, Domain, Framework, FrameworkOwner, Indicator, Level, ProfessionalRole, User
from ..permissions import framework_owner
from .drafts import SLUG_MAX, draft_from_document, draft_of, require_adapter

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # the framework file's SLUG rule
_IDENTIFIER_COLUMNS = (
    Framework.identifier,
    Framework.rubric_identifier,
    Framework.criterion_identifier,
    Level.identifier,
    ProfessionalRole.identifier,
    Domain.identifier,
    Indicator.identifier,
)


def import_package(
    actor: User | None,
    package: bytes | str | dict,
    slug: str | None = None,
    as_version_of: str | None = None,
    label: str = "(package)",
    district: District | None = None,
) -> Framework:
    """A draft holding the package: a new framework (slug from `slug` or the package's title) or, with
    `as_version_of`, the next version of that framework (version label from CFDocument.version).
    The command line may name the `district` the draft is for (its admins then finish it in the browser)."""
    if actor is not None:
        require_adapter(actor)
        district = actor.district
    owner_id = district.id if district is not None else None
    document = read_case_package(package, label)
    problems: list[tuple[str, str]] = []
    based_on: Framework | None = None
    if as_version_of:
        target = as_version_of.strip()
        if slug and slug.strip() != target:
            problems.append(("slug", "give a slug for a new framework, or the framework to version, not both"))
        based_on = latest_framework(target) if _SLUG_RE.match(target) and len(target) <= SLUG_MAX else None
        owner = framework_owner(target) if based_on is not None else None
        if based_on is None:
            problems.append(("as_version_of", f"there is no published framework {target!r} to make a version of"))
        elif owner != owner_id and district is not None:
            problems.append(("as_version_of", f"{target} is not {district.name}'s framework; import it as a new one"))
        elif owner != owner_id:
            problems.append(("as_version_of", f"{target} belongs to a district; only its admins add versions"))
        elif draft_of(target) is not None:
            problems.append(("as_version_of", f"{target} already has a draft; publish or discard it first"))
        chosen = target
    else:
        chosen = (slug or "").strip() or slugify(document["title"], SLUG_MAX)
        if not chosen or len(chosen) > SLUG_MAX or not _SLUG_RE.match(chosen):
            problems.append(("slug", f"{chosen!r} is no slug: lower-case letters, digits or '-', at most {SLUG_MAX}"))
        elif chosen in RESERVED_SLUGS.iterable:
            problems.append(("slug", f"{chosen} is the name of one of the service's pages: choose another slug"))
        elif db.session.scalar(select(Framework.id).where(Framework.slug == chosen).limit(1)) is not None:
            problems.append(
                ("slug", f"{chosen} is already a framework here: import as a new version of it, or choose another slug")
            )
        elif framework_owner(chosen) not in (None, owner_id):
            problems.append(("slug", f"{chosen} is another district's framework name: choose another slug"))
    taken = _SLUG_RE.match(chosen) and db.session.scalar(
        select(Framework.id).where(Framework.slug == chosen, Framework.version == document["version"])
    )
    if taken:
        problems.append(
            (
                "CFDocument.version",
                f"{chosen} already has a version {document['version']}; give the package another version",
            )
        )
    if problems:
        raise FrameworkFileError(label, problems)

    document["slug"] = chosen
    _drop_identifiers_in_use(document)
    draft = draft_from_document(actor, document, based_on)
    if actor is None and district is not None and framework_owner(chosen) is None:
        db.session.add(FrameworkOwner(slug=chosen, district_id=district.id))
        db.session.flush()
    roles_missing = sum(1 for d in draft.domains for q in d.indicators if not q.roles)
    record_framework_event(
        draft,
        actor,
        "framework.imported",
        f"Version {draft.version} imported from a CASE package ({len(draft.domains)} domains, "
        f"{sum(len(d.indicators) for d in draft.domains)} key questions, {len(draft.roles)} roles)"
        + (f" over {based_on.label}." if based_on else "."),
        [f"{roles_missing} key question(s) have no role yet."] if roles_missing else [],
    )
    return draft


def versionable_frameworks(actor: User) -> list[Framework]:
    """The latest published version of each framework the actor's district owns: what it may import a
    new version of."""
    slugs = db.session.scalars(
        select(FrameworkOwner.slug).where(FrameworkOwner.district_id == actor.district_id).order_by(FrameworkOwner.slug)
    )
    return [fw for slug in slugs if (fw := latest_framework(slug)) is not None]


def _drop_identifiers_in_use(document: dict[str, Any]) -> None:
    """Forget the package's identifiers that already name something here: those rows get new ones."""
    nodes: list[dict[str, Any]] = [*document["levels"], *document["roles"], *document["domains"]]
    nodes += [q for d in document["domains"] for q in d["indicators"]]
    wanted = {n["identifier"] for n in nodes if n.get("identifier")}
    wanted |= {v for v in document["identifiers"].values() if v}
    used: set[str] = set()
    for column in _IDENTIFIER_COLUMNS:
        used |= set(db.session.scalars(select(column).where(column.in_(wanted)))) if wanted else set()
    seen: set[str] = set()
    for node in nodes:
        if node.get("identifier") in used or node.get("identifier") in seen:
            node["identifier"] = ""
        seen.add(node.get("identifier", ""))
    for key, value in document["identifiers"].items():
        if value in used or value in seen:
            document["identifiers"][key] = ""
        seen.add(value)
