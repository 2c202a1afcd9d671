"""The CASE 1.1 REST service (1EdTech), read-only and public: published framework versions as CFDocuments,
CFPackages, CFItems (domains, key questions, professional roles), CFAssociations and CFRubrics, at
/ims/case/v1p1. Drafts are never served. Every URI in an answer is absolute under BADGES_PUBLIC_URL (never
the Host header), and names the same identifiers export after export (badges.frameworks.case_package).
An unknown or malformed identifier answers 404 with a CASE imsx_StatusInfo body.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ..authoring.case_export import package_of
from ..credentials import urls
from ..extensions import db
from ..frameworks.case_package import rubric
from ..frameworks.queries import PUBLISHED, get_framework, list_frameworks
from ..models import Domain, Framework, Indicator, ProfessionalRole

bp = Blueprint("case", __name__, url_prefix=urls.CASE_PREFIX)


@bp.after_request
def _readable_by_any_site(response: Response) -> Response:
    # Public, read-only data meant to be read by other systems (CASE consumers run in browsers too).
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def status_info(description: str, status: int = 404) -> ResponseReturnValue:
    return jsonify({"imsx_codeMajor": "failure", "imsx_severity": "error", "imsx_description": description}), status


def _uuid(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def _loaded(framework: Framework | None) -> Framework | None:
    return get_framework(framework.slug, framework.version) if framework is not None else None


def _published_by(column: Any, identifier: str) -> Framework | None:
    return _loaded(db.session.scalar(select(Framework).where(column == identifier, PUBLISHED)))


def _document(framework: Framework) -> dict[str, Any]:
    """The CFDocument as the REST service gives it: the package's, with the link to its package."""
    document = dict(package_of(framework)["CFDocument"])
    document["CFPackageURI"] = {
        "title": framework.title,
        "identifier": framework.identifier,
        "uri": urls.case("CFPackages", framework.identifier),
    }
    return document


def _document_link(framework: Framework) -> dict[str, str]:
    return {
        "title": framework.title,
        "identifier": framework.identifier,
        "uri": urls.case("CFDocuments", framework.identifier),
    }


@bp.get("/CFDocuments")
def documents() -> ResponseReturnValue:
    return jsonify({"CFDocuments": [_document(fw) for fw in list_frameworks()]})


@bp.get("/CFDocuments/<identifier>")
def document(identifier: str) -> ResponseReturnValue:
    found = _uuid(identifier)
    framework = _published_by(Framework.identifier, found) if found else None
    if framework is None:
        return status_info("Unknown Object" if found else "Invalid UUID")
    return jsonify(_document(framework))


@bp.get("/CFPackages/<identifier>")
def package(identifier: str) -> ResponseReturnValue:
    found = _uuid(identifier)
    framework = _published_by(Framework.identifier, found) if found else None
    if framework is None:
        return status_info("Unknown Object" if found else "Invalid UUID")
    response = jsonify(package_of(framework))
    if request.args.get("download") == "1":
        name = f"{framework.slug}-{framework.version}.case.json"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/CFItems/<identifier>")
def item(identifier: str) -> ResponseReturnValue:
    found = _uuid(identifier)
    if found is None:
        return status_info("Invalid UUID")
    framework = None
    for model in (Domain, Indicator, ProfessionalRole):
        framework = _loaded(
            db.session.scalar(
                select(Framework)
                .join(model, model.framework_id == Framework.id)
                .where(model.identifier == found, PUBLISHED)
            )
        )
        if framework is not None:
            break
    if framework is None:
        return status_info("Unknown Object")
    entry = next(i for i in package_of(framework)["CFItems"] if i["identifier"] == found)
    return jsonify({**entry, "CFDocumentURI": _document_link(framework)})


@bp.get("/CFAssociations/<identifier>")
def association(identifier: str) -> ResponseReturnValue:
    """Associations are not rows (their identifiers are derived), so each published version is looked through."""
    found = _uuid(identifier)
    if found is None:
        return status_info("Invalid UUID")
    for listed in list_frameworks():
        framework = _loaded(listed)
        assert framework is not None
        entry = next((a for a in package_of(framework)["CFAssociations"] if a["identifier"] == found), None)
        if entry is not None:
            return jsonify({**entry, "CFDocumentURI": _document_link(framework)})
    return status_info("Unknown Object")


@bp.get("/CFRubrics/<identifier>")
def rubrics(identifier: str) -> ResponseReturnValue:
    found = _uuid(identifier)
    framework = _published_by(Framework.rubric_identifier, found) if found else None
    if framework is None:
        return status_info("Unknown Object" if found else "Invalid UUID")
    return jsonify(rubric(framework, urls.case))
