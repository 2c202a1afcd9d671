"""What a resubmission changed, for the validator who judges it: the statement word by word, and the
evidence cited (added, removed, changed), compared on the revisions' snapshots, not on the items as
they read today.

The comparison starts from the revision this validator last judged (their latest review), so a
validator who returned revision 1 and comes back to revision 3 sees everything since their own
judgement; a validator new to the claim sees what changed since the previous revision.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Literal

from ..models import Claim, ClaimRevision, EvidenceItem, Review, User
from .snapshots import EvidenceSnapshot, snapshot_of

Kind = Literal["same", "added", "removed"]

# What a snapshot records, in the order a change list names them, and how a person calls each.
FIELDS = {
    "title": "Title",
    "narrative": "What it shows",
    "url": "Web address",
    "file_name": "File name",
    "sha256": "File contents",
}
# Words, runs of space and single punctuation marks: "shows." -> "shows, with notes." adds ", with notes".
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Words:
    """A run of text that is the same in both, only in the new one (added) or only in the old (removed)."""

    kind: Kind
    text: str


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: str | None
    after: str | None
    words: list[Words]  # the word diff of before and after (for the file hash: nothing to read)


@dataclass(frozen=True)
class ChangedItem:
    before: EvidenceSnapshot
    after: EvidenceSnapshot
    changes: list[FieldChange]

    @property
    def id(self) -> int:
        return self.after["id"]


@dataclass(frozen=True)
class EvidenceChanges:
    added: list[EvidenceSnapshot]
    removed: list[EvidenceSnapshot]
    changed: list[ChangedItem]
    unchanged: list[EvidenceSnapshot]

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class RevisionDiff:
    since: ClaimRevision  # the revision compared against
    current: ClaimRevision
    judged_by_you: bool  # `since` is the revision the validator last judged (not just the previous one)
    statement: list[Words]
    evidence: EvidenceChanges

    @property
    def statement_changed(self) -> bool:
        return any(part.kind != "same" for part in self.statement)


@dataclass(frozen=True)
class Cited:
    """One evidence item as a revision cited it (its snapshot), beside the live item for its file."""

    snapshot: EvidenceSnapshot
    item: EvidenceItem | None  # None only if the row is gone (citing keeps it: ON DELETE RESTRICT)

    @property
    def id(self) -> int:
        return self.snapshot["id"]

    @property
    def is_file(self) -> bool:
        return self.snapshot["file_name"] is not None or self.snapshot["sha256"] is not None

    @property
    def edited_since(self) -> bool:
        """The educator changed the item after this revision cited it (the page says so)."""
        return self.item is not None and snapshot_of([self.item])[0] != self.snapshot


def snapshot(revision: ClaimRevision) -> list[EvidenceSnapshot]:
    """What the revision cited as it read when submitted; the items as they are now for a revision written
    without one (the synthetic district's bulk rows: badges.readiness.synthetic_records)."""
    stored: list[Any] = list(revision.evidence_snapshot or ())
    return stored if stored else snapshot_of(revision.evidence)


def cited(revision: ClaimRevision) -> list[Cited]:
    live = {item.id: item for item in revision.evidence}
    return [Cited(snap, live.get(snap["id"])) for snap in snapshot(revision)]


def word_diff(before: str, after: str) -> list[Words]:
    """`after` against `before`, word by word (whitespace kept, so paragraphs survive), merged into runs."""
    old, new = _TOKEN.findall(before or ""), _TOKEN.findall(after or "")
    parts: list[Words] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            _append(parts, "same", "".join(old[i1:i2]))
            continue
        if op in ("delete", "replace"):
            _append(parts, "removed", "".join(old[i1:i2]))
        if op in ("insert", "replace"):
            _append(parts, "added", "".join(new[j1:j2]))
    return parts


def _append(parts: list[Words], kind: Kind, text: str) -> None:
    if not text:
        return
    if parts and parts[-1].kind == kind:
        parts[-1] = Words(kind, parts[-1].text + text)
    else:
        parts.append(Words(kind, text))


def evidence_changes(before: list[EvidenceSnapshot], after: list[EvidenceSnapshot]) -> EvidenceChanges:
    """Items matched by id: cited only now (added), only before (removed), or cited both times with
    another title, narrative, link, file name or file (changed)."""
    old = {snap["id"]: snap for snap in before}
    new = {snap["id"]: snap for snap in after}
    changed, unchanged = [], []
    for item_id, now in new.items():
        was = old.get(item_id)
        if was is None:
            continue
        a: dict[str, Any] = dict(was)  # read field by field
        b: dict[str, Any] = dict(now)
        changes = [
            FieldChange(
                name,
                label,
                a.get(name),
                b.get(name),
                [] if name == "sha256" else word_diff(a.get(name) or "", b.get(name) or ""),
            )
            for name, label in FIELDS.items()
            if a.get(name) != b.get(name)
        ]
        if changes:
            changed.append(ChangedItem(was, now, changes))
        else:
            unchanged.append(now)
    return EvidenceChanges(
        added=[snap for i, snap in new.items() if i not in old],
        removed=[snap for i, snap in old.items() if i not in new],
        changed=changed,
        unchanged=unchanged,
    )


def latest_review_by(claim: Claim, validator: User | None, before: ClaimRevision | None = None) -> Review | None:
    """The validator's latest review of the claim (of a revision earlier than `before`, if given)."""
    if validator is None:
        return None
    mine = [
        review
        for review in claim.reviews
        if review.validator_id == validator.id and (before is None or review.revision.number < before.number)
    ]
    return max(mine, key=lambda review: (review.revision.number, review.id)) if mine else None


def baseline(claim: Claim, validator: User | None) -> tuple[ClaimRevision, bool] | None:
    """The revision to compare the current one with, and whether the validator judged it; None on revision 1."""
    current = claim.current
    if current.number == 1:
        return None
    judged = latest_review_by(claim, validator, before=current)
    if judged is not None:
        return judged.revision, True
    return claim.revisions[-2], False


def revision_diff(claim: Claim, validator: User | None = None) -> RevisionDiff | None:
    """What the current revision changed since `baseline`; None for a first revision."""
    found = baseline(claim, validator)
    if found is None:
        return None
    since, judged = found
    current = claim.current
    return RevisionDiff(
        since=since,
        current=current,
        judged_by_you=judged,
        statement=word_diff(since.statement, current.statement),
        evidence=evidence_changes(snapshot(since), snapshot(current)),
    )
