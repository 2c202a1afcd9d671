"""Claiming a badge (or resubmitting a returned claim) while attaching new evidence in the same step.

The new item (a file or a link) is added with badges.educator.evidence in the same transaction as the
claim, and tagged with the key questions the badge is judged by. Everything is checked before the
caller commits: when the evidence or the claim is refused, InvalidInput names every field at once
(the new item's fields prefixed `new_`), and the caller's rollback takes the row and its stored file
away with it, so a refused claim leaves no orphan evidence behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..base import InvalidInput, parse_id
from ..catalogue.badge_classes import role_indicators
from ..educator import evidence
from ..educator.common import framework_and_role
from ..extensions import db
from ..models import BadgeClass, Claim, ClaimRevision, ClaimStatus, EvidenceItem, User
from .claims import create_claim, resubmit_claim

PREFIX = "new_"


@dataclass(frozen=True)
class NewEvidence:
    """What the claim form's "add new evidence" part holds; a file (name and bytes) or a url."""

    title: Any = ""
    narrative: Any = ""
    url: Any = ""
    filename: str = ""
    data: bytes | None = None

    @property
    def given(self) -> bool:
        return bool(self.data) or any(str(v or "").strip() for v in (self.title, self.narrative, self.url))


def _claimable_badge(owner: User, badge_class_id: Any) -> BadgeClass | None:
    """The badge, if it is of the owner's framework and role (create_claim says why otherwise)."""
    number = parse_id(badge_class_id)
    badge_class = db.session.get(BadgeClass, number) if number is not None else None
    try:
        framework, role = framework_and_role(owner)
    except InvalidInput:
        return None
    if badge_class is None or badge_class.framework_id != framework.id or badge_class.role_id != role.id:
        return None
    return badge_class


def _add_new(owner: User, badge_class: BadgeClass, new: NewEvidence) -> EvidenceItem:
    indicator_ids = [ind.id for ind in role_indicators(badge_class)]
    if new.data is not None and str(new.url or "").strip():
        raise InvalidInput({"url": ["Attach a file or give a web address, not both: one item at a time."]})
    if new.data is not None:
        return evidence.add_file(owner, new.title, new.narrative, new.filename, new.data, indicator_ids)
    if not str(new.url or "").strip():
        raise InvalidInput({"file": ["Choose a file or give a web address for the new evidence (or clear its title)."]})
    return evidence.add_link(owner, new.title, new.narrative, new.url, indicator_ids)


def _ids(evidence_ids: Any) -> list[Any]:
    try:
        return list(evidence_ids or ())
    except TypeError:
        return [evidence_ids]


def _merge(exc: InvalidInput, errors: dict[str, list[str]], ids: list[Any]) -> InvalidInput:
    """The claim's refusal and the new item's together; "choose at least one" would mislead when the
    new item was the evidence meant and it was refused."""
    claim_errors = dict(exc.errors)
    if errors and not ids:
        claim_errors.pop("evidence", None)
    if not errors and exc.status != 400:
        return exc
    return InvalidInput({**claim_errors, **errors})


def _attach(owner: User, badge_class: BadgeClass | None, new: NewEvidence) -> tuple[EvidenceItem | None, dict]:
    if badge_class is None:  # the claim's own check names the badge as the problem
        return None, {}
    try:
        return _add_new(owner, badge_class, new), {}
    except InvalidInput as exc:
        return None, {PREFIX + name: messages for name, messages in exc.errors.items()}


def create_claim_with_evidence(
    owner: User, badge_class_id: Any, statement: Any, evidence_ids: Any, new: NewEvidence | None = None
) -> tuple[Claim, EvidenceItem | None]:
    """create_claim, citing also a new item made from `new` (when it holds anything). The caller
    rolls back on InvalidInput (StateConflict included)."""
    if new is None or not new.given:
        return create_claim(owner, badge_class_id, statement, evidence_ids), None
    item, errors = _attach(owner, _claimable_badge(owner, badge_class_id), new)
    ids = _ids(evidence_ids)
    try:
        claim = create_claim(owner, badge_class_id, statement, [*ids, item.id] if item else ids)
    except InvalidInput as exc:
        raise _merge(exc, errors, ids) from None
    if errors:
        raise InvalidInput(errors)
    return claim, item


def resubmit_with_evidence(
    owner: User, claim: Claim, statement: Any, evidence_ids: Any, new: NewEvidence | None = None
) -> tuple[ClaimRevision, EvidenceItem | None]:
    """resubmit_claim, citing also a new item made from `new`: what a claim returned for more
    evidence most often needs. The caller rolls back on InvalidInput."""
    if new is None or not new.given or claim.status is not ClaimStatus.RETURNED or claim.user_id != owner.id:
        return resubmit_claim(owner, claim, statement, evidence_ids), None  # refuses a claim not returned
    item, errors = _attach(owner, claim.badge_class, new)
    ids = _ids(evidence_ids)
    try:
        revision = resubmit_claim(owner, claim, statement, [*ids, item.id] if item else ids)
    except InvalidInput as exc:
        raise _merge(exc, errors, ids) from None
    if errors:
        raise InvalidInput(errors)
    return revision, item
