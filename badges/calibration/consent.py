"""Consent: an educator offers one of their own evidence items for calibration, and curators copy it.

A person's evidence becomes an exemplar only with their recorded consent (CalibrationConsent), and
only for their own district. The exemplar is a copy with the person's names removed (first name,
last name, full name and email address, whole words, any case, each replaced by "[the educator]"),
its file stored again under a new name with a neutral file name, and it names no one: only the
consent it came from (consent_id) is kept. Withdrawing consent stops further copies; copies already
made stay in their sets (what validators rated stays as they read it).

Names inside an uploaded file (a PDF's text, a photo of a signed page, a document's metadata) cannot
be removed by the service: it cannot read or rewrite every format safely. The curator is told so on
the page before copying a file, and should open the copy and check it before opening the set.
A link is copied as it is, for the same reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from .. import audit
from ..base import StateConflict
from ..educator import storage
from ..extensions import db
from ..models import CalibrationConsent, EvidenceItem, EvidenceKind, Exemplar, ExemplarSet, User, utcnow
from ..permissions import can_curate_calibration
from .exemplars import next_position
from .sets import lock, record_change, require_curator, require_draft

REPLACEMENT = "[the educator]"


# -- removing names ---------------------------------------------------------------------------------


def _names_of(person: User) -> list[str]:
    """What names the person, longest first (so the full name goes before its parts)."""
    parts = (person.name or "").split()
    names = {person.email or "", " ".join(parts)}
    if parts:
        names.update({parts[0], parts[-1]})
    return sorted((n for n in names if len(n) >= 2), key=len, reverse=True)


def remove_names(text: str, person: User) -> str:
    """The text with the person's first name, last name, full name and email address replaced by
    "[the educator]": whole words only, in any case."""
    for name in _names_of(person):
        pattern = r"(?<![\w@.\-])" + r"\s+".join(re.escape(word) for word in name.split()) + r"(?![\w@\-]|\.\w)"
        text = re.sub(pattern, REPLACEMENT, text, flags=re.IGNORECASE)
    return text


# -- the educator's consent ------------------------------------------------------------------------


def consent_for(item: EvidenceItem) -> CalibrationConsent | None:
    """The item's consent in force, if any."""
    return db.session.scalar(
        select(CalibrationConsent).where(
            CalibrationConsent.evidence_id == item.id, CalibrationConsent.withdrawn_at.is_(None)
        )
    )


def _require_owner(educator: User, item: EvidenceItem) -> None:
    if item.user_id != educator.id:
        raise PermissionError(f"{educator!r} does not own evidence {item.id}")


def grant_consent(educator: User, item: EvidenceItem) -> CalibrationConsent:
    """Record the owner's consent for this item (the one in force, if already given)."""
    _require_owner(educator, item)
    found = consent_for(item)
    if found is not None:
        return found
    consent = CalibrationConsent(evidence=item, user=educator)
    db.session.add(consent)
    db.session.flush()
    audit.record(
        educator.district_id,
        educator,
        "calibration.consent_granted",
        consent,
        f"Evidence “{item.title}” offered for calibration (copied with names removed, for validators in the district).",
    )
    return consent


def withdraw_consent(educator: User, item: EvidenceItem) -> CalibrationConsent | None:
    """Withdraw the consent in force (None if there is none): no further copies; copies made stay."""
    _require_owner(educator, item)
    consent = consent_for(item)
    if consent is None:
        return None
    consent.withdrawn_at = utcnow()
    db.session.flush()
    audit.record(
        educator.district_id,
        educator,
        "calibration.consent_withdrawn",
        consent,
        f"Consent withdrawn for evidence “{item.title}”: no further copies will be made.",
    )
    return consent


def copies_made(consent: CalibrationConsent) -> int:
    return len(list(db.session.scalars(select(Exemplar.id).where(Exemplar.consent_id == consent.id))))


# -- what curators may copy ------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentedItem:
    """Consented evidence as a curator sees it: names removed, no owner named."""

    consent_id: int
    title: str
    narrative: str
    kind: str  # "file" or "link"
    extension: str | None
    granted_at: datetime


def _extension(item: EvidenceItem) -> str | None:
    name = item.original_filename or ""
    return name.rsplit(".", 1)[-1].lower() if "." in name else None


def consented_items(actor: User) -> list[ConsentedItem]:
    """Evidence of the actor's district whose consent is in force, for a curator to copy, newest first."""
    if not can_curate_calibration(actor, actor.district):
        return []
    rows = db.session.execute(
        select(CalibrationConsent, EvidenceItem)
        .join(EvidenceItem, CalibrationConsent.evidence_id == EvidenceItem.id)
        .join(User, CalibrationConsent.user_id == User.id)
        .where(User.district_id == actor.district_id, CalibrationConsent.withdrawn_at.is_(None))
        .order_by(CalibrationConsent.granted_at.desc(), CalibrationConsent.id.desc())
    ).all()
    return [
        ConsentedItem(
            consent_id=consent.id,
            title=remove_names(item.title, consent.user),
            narrative=remove_names(item.narrative, consent.user),
            kind=item.kind.value,
            extension=_extension(item),
            granted_at=consent.granted_at,
        )
        for consent, item in rows
    ]


def copy_consented(actor: User, exemplar_set: ExemplarSet, consent: CalibrationConsent) -> Exemplar:
    """Copy consented evidence into a draft as an exemplar without anchors (the curator adds them):
    only while the consent is in force and its owner is in the actor's district. Names are removed from
    the title and narrative; names inside the file cannot be removed by the service (the copy page tells
    the curator so before copying a file)."""
    require_curator(actor, exemplar_set)
    require_draft(lock(exemplar_set))
    owner = consent.user
    item = consent.evidence
    if owner.district_id != actor.district_id:
        raise PermissionError(f"consent {consent.id} is not of {actor!r}'s district")
    if not consent.in_force:
        raise StateConflict("The educator has withdrawn their consent; this evidence can no longer be copied.")
    if item is None:
        raise StateConflict("The educator has deleted this evidence; it can no longer be copied.")
    data = None
    if item.stored_name:
        try:
            with storage.open_stored(item.stored_name) as stored_file:
                data = stored_file.read()
        except FileNotFoundError:
            raise StateConflict(
                "The file of this evidence is missing from storage, so it cannot be copied; tell your administrator."
            ) from None
    exemplar = Exemplar(
        position=next_position(exemplar_set),
        title=remove_names(item.title, owner)[:200],
        narrative=remove_names(item.narrative, owner),
        url=item.url if item.kind is EvidenceKind.LINK else None,
        consent=consent,
    )
    exemplar_set.exemplars.append(exemplar)
    db.session.flush()
    if data is not None:
        stored = storage.save(db.session, data)
        exemplar.stored_name = stored.name
        exemplar.original_filename = f"exemplar-{exemplar.id}.{_extension(item) or 'bin'}"
        exemplar.media_type = item.media_type
        exemplar.size_bytes = stored.size
        exemplar.sha256 = stored.sha256
        db.session.flush()
    record_change(
        actor,
        exemplar_set,
        "exemplar_copied",
        f"Exemplar “{exemplar.title}” copied into “{exemplar_set.title}” from consented evidence "
        f"(consent {consent.id}), names removed.",
    )
    return exemplar
