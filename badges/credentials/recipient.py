"""Does a badge belong to this email address? Answered from the signed credential alone.

A credential names its recipient by a salted hash of their email, never the address itself: OB 3.0
in credentialSubject.identifier (an IdentityObject with identityType emailAddress, identityHash and
salt), OB 2.0 in recipient (type email, identity, salt). Anyone who knows the address can hash it
with the credential's salt the same way (credential.email_hash) and compare; nobody can go the other
way. The address given is only hashed, never stored or logged.
"""

from __future__ import annotations

import hmac
from typing import Any

from ..base import InvalidInput
from ..people.operations import EMAIL_RE, MAX_EMAIL_LENGTH
from .credential import email_hash

EMAIL_FIELD = "email"


def email_identities(document: Any) -> list[dict[str, Any]]:
    """[{hashed, identity, salt}] for each email identity the credential (OB 3.0) or assertion (OB 2.0) names."""
    if not isinstance(document, dict):
        return []
    found: list[dict[str, Any]] = []
    subject = document.get("credentialSubject")
    identifiers = subject.get("identifier") if isinstance(subject, dict) else None
    for entry in identifiers if isinstance(identifiers, list) else []:
        if isinstance(entry, dict) and entry.get("identityType") == "emailAddress":
            found.append(
                {
                    "hashed": entry.get("hashed") is True,
                    "identity": entry.get("identityHash"),
                    "salt": entry.get("salt"),
                }
            )
    recipient = document.get("recipient")
    if isinstance(recipient, dict) and recipient.get("type") == "email":
        found.append(
            {
                "hashed": recipient.get("hashed") is True,
                "identity": recipient.get("identity"),
                "salt": recipient.get("salt"),
            }
        )
    return [item for item in found if isinstance(item["identity"], str)]


def checked_email(value: Any) -> str:
    """The address as given, if it looks like one; InvalidInput naming the field otherwise."""
    email = value.strip() if isinstance(value, str) else ""
    if not email:
        raise InvalidInput("Type the email address to check.", EMAIL_FIELD)
    if len(email) > MAX_EMAIL_LENGTH or not EMAIL_RE.fullmatch(email):
        raise InvalidInput("That is not an email address: it looks like name@example.org.", EMAIL_FIELD)
    return email


def belongs_to(identities: list[dict[str, Any]], email: str) -> bool:
    """Whether any of the identities is this address (hashed with its salt exactly as issued)."""
    for item in identities:
        if item["hashed"]:
            salt = item["salt"] if isinstance(item["salt"], str) else ""
            expected = item["identity"].strip().lower().encode("utf-8")
            if hmac.compare_digest(email_hash(email, salt).encode("utf-8"), expected):
                return True
        elif email.strip().lower() == item["identity"].strip().lower():
            return True
    return False
