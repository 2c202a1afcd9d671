"""What a claim revision cited, as it read when submitted.

Evidence items stay editable after they are cited; the snapshot keeps the title, narrative, link,
file name and file hash each item had at submission, so what a validator judged stays on record,
and a resubmission can be compared with the revision judged before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from ..models import EvidenceItem


class EvidenceSnapshot(TypedDict):
    id: int
    title: str
    narrative: str
    url: str | None
    file_name: str | None
    sha256: str | None


def snapshot_of(items: Iterable[EvidenceItem]) -> list[EvidenceSnapshot]:
    """The stored shape of ClaimRevision.evidence_snapshot, in id order (as `evidence` is ordered)."""
    return [
        EvidenceSnapshot(
            id=item.id,
            title=item.title,
            narrative=item.narrative,
            url=item.url,
            file_name=item.original_filename,
            sha256=item.sha256,
        )
        for item in sorted(items, key=lambda item: item.id)
    ]
