"""The evidence portfolio: files and links that show what an educator can do.

Every operation takes the acting person, checks everything before it writes anything,
and only flushes: the caller that owns the request commits. Evidence may show student
work, so it is never public.
"""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..base import InvalidInput, StateConflict, clean_text_into, find_control_character, is_valid_id
from ..extensions import db
from ..frameworks.queries import indicators_for_role
from ..models import Claim, ClaimRevision, Domain, EvidenceItem, EvidenceKind, Indicator, User, revision_evidence
from . import storage
from .common import framework_and_role
from .uploads import DetectedType, sniff

TITLE_MAX = 200
NARRATIVE_MAX = 10_000
URL_MAX = 2000
FILENAME_MAX = 255
EDITABLE = ("title", "narrative", "url", "indicator_ids", "in_summary")


class EvidenceInUse(StateConflict):
    """The item is cited by a claim; answered with 409 and the message."""


def citing_claims(item: EvidenceItem) -> list[Claim]:
    """The claims any revision of which cites this evidence. What a validator judged stays on
    record, so such evidence is never deleted (a returned or declined claim included)."""
    return list(
        db.session.scalars(
            select(Claim)
            .join(ClaimRevision)
            .join(revision_evidence, revision_evidence.c.revision_id == ClaimRevision.id)
            .where(revision_evidence.c.evidence_id == item.id)
            .distinct()
            .order_by(Claim.id)
        )
    )


def applicable_indicators(owner: User) -> list[tuple[Domain, list[Indicator]]]:
    """The indicators of the owner's framework that apply to their role, by domain (for forms)."""
    framework, role = framework_and_role(owner)
    by_domain = indicators_for_role(framework, role.code)
    return [(domain, by_domain[domain.id]) for domain in framework.domains if by_domain[domain.id]]


def indicator_ids_for_codes(owner: User, codes: list[str]) -> list[int]:
    """Ids for indicator codes ("4.2") of the owner's framework; unknown codes are named."""
    framework, _ = framework_and_role(owner)
    wanted = list(dict.fromkeys(code.strip() for code in codes if code.strip()))
    # A code with a control character in it is no key question (and PostgreSQL refuses NUL in a query).
    queryable = [code for code in wanted if find_control_character(code) is None]
    found = (
        dict(
            db.session.execute(
                select(Indicator.code, Indicator.id).where(
                    Indicator.framework_id == framework.id, Indicator.code.in_(queryable)
                )
            ).all()
        )
        if queryable
        else {}
    )
    unknown = [code for code in wanted if code not in found]
    if unknown:
        named = ", ".join(code if code in queryable else repr(code) for code in unknown)
        raise InvalidInput(
            {"indicators": [f"No key question {named} in your district's framework ({framework.title})."]}
        )
    return [found[code] for code in wanted]


def list_evidence(owner: User) -> list[EvidenceItem]:
    return list(
        db.session.scalars(
            select(EvidenceItem)
            .where(EvidenceItem.user_id == owner.id)
            .options(selectinload(EvidenceItem.indicators).selectinload(Indicator.domain))
            .order_by(EvidenceItem.created_at.desc(), EvidenceItem.id.desc())
        )
    )


def add_link(
    owner: User, title: Any, narrative: Any, url: Any, indicator_ids: Any, in_summary: bool = False
) -> EvidenceItem:
    errors: dict[str, list[str]] = {}
    fields = _check_common(owner, title, narrative, indicator_ids, errors)
    url = _check_url(url, errors)
    _raise_if(errors)
    item = EvidenceItem(user=owner, kind=EvidenceKind.LINK, url=url, in_summary=bool(in_summary), **fields)
    db.session.add(item)
    db.session.flush()
    return item


def add_file(
    owner: User, title: Any, narrative: Any, filename: str, data: bytes, indicator_ids: Any, in_summary: bool = False
) -> EvidenceItem:
    """Check the fields and the file, then store the file; it is removed again unless the caller commits."""
    errors: dict[str, list[str]] = {}
    fields = _check_common(owner, title, narrative, indicator_ids, errors)
    detected: DetectedType | None = None
    try:
        detected = sniff(data, filename, current_app.config["EVIDENCE_MAX_BYTES"])
    except InvalidInput as exc:
        errors.update(exc.errors)
    _raise_if(errors)
    assert detected is not None  # sniff either detected the type or raised
    stored = storage.save(db.session, data)
    item = EvidenceItem(
        user=owner,
        kind=EvidenceKind.FILE,
        in_summary=bool(in_summary),
        stored_name=stored.name,
        original_filename=_display_filename(filename, detected.extension),
        media_type=detected.media_type,
        size_bytes=stored.size,
        sha256=stored.sha256,
        **fields,
    )
    db.session.add(item)
    db.session.flush()
    return item


def update_evidence(owner: User, item: EvidenceItem, **changes: Any) -> EvidenceItem:
    """Change any of title, narrative, url (links only), indicator_ids and in_summary."""
    _require_owner(owner, item)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"cannot change {', '.join(sorted(unknown))} of evidence")
    errors: dict[str, list[str]] = {}
    new: dict[str, Any] = {}
    if "title" in changes:
        new["title"] = _check_title(changes["title"], errors)
    if "narrative" in changes:
        new["narrative"] = _check_narrative(changes["narrative"], errors)
    if "indicator_ids" in changes:
        new["indicators"] = _check_indicators(owner, changes["indicator_ids"], errors)
    if "url" in changes:
        if item.kind is not EvidenceKind.LINK:
            errors["url"] = ["Only a link has a web address; this evidence is a file."]
        else:
            new["url"] = _check_url(changes["url"], errors)
    if "in_summary" in changes:
        new["in_summary"] = bool(changes["in_summary"])
    _raise_if(errors)
    for name, value in new.items():
        setattr(item, name, value)
    db.session.flush()
    return item


def delete_evidence(owner: User, item: EvidenceItem) -> None:
    """Delete the item (and after the commit its file), unless a claim cites it."""
    _require_owner(owner, item)
    claims = citing_claims(item)
    if claims:
        names = "; ".join(f"“{claim.badge_class.name}”" for claim in claims)
        raise EvidenceInUse(
            f"This evidence is cited by your claim for {names}, and what a validator judged "
            "stays on record, so it cannot be deleted."
        )
    if item.stored_name:
        storage.delete_after_commit(db.session, item.stored_name)
    db.session.delete(item)
    db.session.flush()


def download_name(item: EvidenceItem) -> str:
    return item.original_filename or f"evidence-{item.id}"


# -- checks: each adds messages to `errors` and returns the cleaned value ------------------


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise InvalidInput(errors)


def _require_owner(owner: User, item: EvidenceItem) -> None:
    if item.user_id != owner.id:
        raise PermissionError(f"{owner!r} does not own evidence {item.id}")


def _check_common(
    owner: User, title: Any, narrative: Any, indicator_ids: Any, errors: dict[str, list[str]]
) -> dict[str, Any]:
    return {
        "title": _check_title(title, errors),
        "narrative": _check_narrative(narrative, errors),
        "indicators": _check_indicators(owner, indicator_ids, errors),
    }


def _check_title(title: Any, errors: dict[str, list[str]]) -> str:
    title = " ".join(clean_text_into(errors, title, field="title", label="The title", max_length=TITLE_MAX).split())
    if not title and "title" not in errors:
        errors["title"] = ["Give the evidence a title."]
    return title


def _check_narrative(narrative: Any, errors: dict[str, list[str]]) -> str:
    narrative = clean_text_into(
        errors, narrative, field="narrative", label="The narrative", max_length=NARRATIVE_MAX, multiline=True
    )
    if not narrative and "narrative" not in errors:
        errors["narrative"] = ["Say what this evidence shows and what you learned."]
    return narrative


def check_url(url: Any, errors: dict[str, list[str]]) -> str:
    """The web address as evidence links take it (calibration exemplars' links too); a problem goes to errors["url"]."""
    return _check_url(url, errors)


def _check_url(url: Any, errors: dict[str, list[str]]) -> str:
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed IPv6 bracket, or a port that is not a number
        errors["url"] = [
            "The web address cannot be read (check its brackets and port); copy it again from "
            "the browser's address bar."
        ]
        return url
    if not url:
        errors["url"] = ["Give the web address of the evidence."]
    elif len(url) > URL_MAX:
        errors["url"] = [f"The web address is longer than {URL_MAX} characters."]
    elif parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        errors["url"] = ["The web address must start with https:// or http:// and name a site."]
    elif any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in url):
        errors["url"] = ["The web address cannot contain spaces or control characters."]
    return url


def _check_indicators(owner: User, indicator_ids: Any, errors: dict[str, list[str]]) -> list[Indicator]:
    """The indicators, if each is in the owner's framework and applies to their professional role."""
    try:
        framework, role = framework_and_role(owner)
    except InvalidInput as exc:
        errors["indicators"] = [" ".join(m for ms in exc.errors.values() for m in ms)]
        return []
    try:
        ids = list(dict.fromkeys(int(i) for i in indicator_ids or ()))
        # An id beyond the column's range names nothing (and PostgreSQL would refuse to compare it).
        known = [i for i in ids if is_valid_id(i)]
    except (TypeError, ValueError):
        errors["indicators"] = ["Key questions are chosen by their ids (whole numbers)."]
        return []
    if not ids:
        errors["indicators"] = ["Choose at least one key question this evidence supports."]
        return []
    found = {
        ind.id: ind
        for ind in db.session.scalars(
            select(Indicator).where(Indicator.id.in_(known)).options(selectinload(Indicator.roles))
        )
    }
    elsewhere = [str(i) for i in ids if i not in found or found[i].framework_id != framework.id]
    not_mine = [
        found[i] for i in ids if i in found and found[i].framework_id == framework.id and role not in found[i].roles
    ]
    messages = []
    if elsewhere:
        messages.append(
            f"Not a key question of your district's framework ({framework.title}): id {', '.join(elsewhere)}."
        )
    if not_mine:
        messages.append(
            f"Not a key question for your role ({role.name}): "
            + ", ".join(f"{ind.code} (id {ind.id})" for ind in not_mine)
            + "."
        )
    if messages:
        errors["indicators"] = messages
        return []
    # In the order the relationship loads them (by id): a response built before the request commits
    # shows the same list as any later read.
    return [found[i] for i in sorted(ids)]


def _display_filename(filename: str, extension: str) -> str:
    """The uploader's file name without folders or control characters, ending in the detected extension."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".") or "evidence"
    stem = name.rsplit(".", 1)[0] if name.lower().endswith("." + extension) else name
    return stem[: FILENAME_MAX - len(extension) - 1] + "." + extension
