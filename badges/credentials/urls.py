"""Every absolute URL the service writes (credentials, share links, API answers), built from
BADGES_PUBLIC_URL, never from the request's Host header: a forged Host can change neither what we sign
nor what we accept as ours, nor the links an API client is handed. `public_url` is the one way to make
an absolute URL of a route; web and api both import it from here.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, request, url_for

from ..models import BadgeClass, District, Framework


def base() -> str:
    return current_app.config["BADGES_PUBLIC_URL"]


def public_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of a route under BADGES_PUBLIC_URL (which includes any path prefix the service
    is mounted under), instead of url_for(..., _external=True), which echoes the client's Host."""
    if has_request_context():
        path = url_for(endpoint, **values)[len(request.script_root) :]
    else:  # a command or a background job: no request, so no Host to echo either
        path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base() + path


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


CASE_PREFIX = "/ims/case/v1p1"


def case(kind: str, identifier: str) -> str:
    """A CASE 1.1 REST resource of this service: kind is a collection ("CFDocuments", "CFItems", ...)."""
    return f"{base()}{CASE_PREFIX}/{kind}/{identifier}"


def case_item(identifier: str) -> str:
    """A CFItem (a domain, key question or professional role): what credentials' alignments point at."""
    return case("CFItems", identifier)


def credential_page(credential_uuid: str) -> str:
    """The holder's share link: a public page that says whether the badge is valid."""
    return f"{base()}/credentials/{credential_uuid}"


def ob2_assertion(credential_uuid: str) -> str:
    return f"{base()}/ob2/assertions/{credential_uuid}"


def ob2_badge_class(badge_class: BadgeClass) -> str:
    return f"{base()}/ob2/badge-classes/{badge_class.id}"


def ob2_issuer(district: District) -> str:
    return f"{base()}/ob2/issuers/{district.slug}"


# The pages an invitation or a password reset mail links to (badges.people.account_links).
_ACCOUNT_LINK_ENDPOINTS = {"invitation": "passwords.invitation", "reset": "passwords.reset_password"}


def account_link(purpose: str, token: str) -> str:
    """The absolute address of an invitation or reset link: a forged Host cannot send a person's link
    (and the account with it) to another site."""
    return public_url(_ACCOUNT_LINK_ENDPOINTS[purpose], token=token)
