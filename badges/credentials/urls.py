"""Every public URL a credential names, built from BADGES_PUBLIC_URL (never from the request's
Host header, so a forged Host cannot change what we sign or what we accept as ours)."""

from __future__ import annotations

from flask import current_app

from ..models import BadgeClass, District, Framework


def base() -> str:
    return current_app.config["BADGES_PUBLIC_URL"]


def issuer(district: District) -> str:
    return f"{base()}/issuers/{district.slug}"


def jwt_key(kid: str) -> str:
    """A VC-JWT header's kid: dereferences to that one public JWK."""
    return f"{base()}/keys/{kid}"


def jwt_key_prefix() -> str:
    return f"{base()}/keys/"


def verification_method(district: District, kid: str) -> str:
    """A Data Integrity verificationMethod: a Multikey document controlled by the issuer (no #fragment)."""
    return f"{issuer(district)}/keys/{kid}"


def status_list(district: District) -> str:
    """The revocation list secured with Data Integrity (what the Data Integrity credential names)."""
    return f"{issuer(district)}/status/revocation"


def status_list_jwt(district: District) -> str:
    """The same list secured as a VC-JWT (what the VC-JWT credential names)."""
    return f"{status_list(district)}.jwt"


def achievement(badge_class: BadgeClass) -> str:
    return f"{base()}/badge-classes/{badge_class.id}"


def badge_image(badge_class: BadgeClass, extension: str = "png") -> str:
    return f"{base()}/badge-classes/{badge_class.id}/image.{extension}"


def level(framework: Framework, value: int) -> str:
    return f"{base()}/frameworks/{framework.slug}/{framework.version}#level-{value}"


def domain(framework: Framework, code: str) -> str:
    return f"{base()}/frameworks/{framework.slug}/{framework.version}/domains/{code}"


def credential_page(credential_uuid: str) -> str:
    """The holder's share link: a public page that says whether the badge is valid."""
    return f"{base()}/credentials/{credential_uuid}"


def ob2_assertion(credential_uuid: str) -> str:
    return f"{base()}/ob2/assertions/{credential_uuid}"


def ob2_badge_class(badge_class: BadgeClass) -> str:
    return f"{base()}/ob2/badge-classes/{badge_class.id}"


def ob2_issuer(district: District) -> str:
    return f"{base()}/ob2/issuers/{district.slug}"
