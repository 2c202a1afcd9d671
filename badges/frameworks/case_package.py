"""A framework version as a CASE 1.1 CFPackage (1EdTech Competencies and Academic Standards Exchange).

The mapping, which badges.frameworks.case_import reads back:

- the version is the CFDocument (identifier = Framework.identifier; version, title, description; notes =
  the source it cites; adoptionStatus "Adopted" once published, "Private Draft" before);
- each domain is a CFItem of CFItemType "Domain" (fullStatement = name, humanCodingScheme = code, notes =
  description), `isChildOf` the document;
- each key question is a CFItem of CFItemType "Key Question" (fullStatement = text, humanCodingScheme =
  code, its identity across versions), `isChildOf` its domain;
- each professional role is a CFItem of CFItemType "Professional Role" (fullStatement = name,
  humanCodingScheme = code, notes = description), `isChildOf` the document; a key question that applies to
  a role `isRelatedTo` that role (origin: the question, destination: the role);
- sequenceNumber of an `isChildOf` is the child's position (1, 2, ...);
- the levels are one CFRubric (Framework.rubric_identifier) with one CFRubricCriterion
  (Framework.criterion_identifier), whose CFRubricCriterionLevels are the levels: quality = name,
  score = position = value, description = descriptor.

Identifiers are the rows' stored UUIDs, and an association's is a UUID5 of (origin, type, destination), so
exporting a version twice gives the same identifiers. The module is pure: URIs come from the caller's
`uri(kind, identifier)` (kind is a CASE REST collection such as "CFItems"), so no Flask here.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

import jsonschema_rs

from ..models import Framework, utcnow
from ..resources import resource_dir

UriMaker = Callable[[str, str], str]

DOMAIN_TYPE = "Domain"
QUESTION_TYPE = "Key Question"
ROLE_TYPE = "Professional Role"
# The namespace of association identifiers (uuid5 of "origin type destination").
ASSOCIATION_NAMESPACE = uuid.UUID("6b0c7c3e-3d1f-5a4e-9f55-1c0a2b6d7e81")
DEFAULT_CREATOR = "Educator Competency Badges"


def schema_path() -> Any:
    return resource_dir("standards") / "schemas" / "case-v1p1-cfpackage.json"


@cache
def _validator() -> Any:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema, validate_formats=True)


def json_path(parts: list[str | int]) -> str:
    """["CFItems", 3, "identifier"] -> "CFItems[3].identifier"."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def schema_problems(package: object) -> list[tuple[str, str]]:
    """Every way `package` breaks the official CASE 1.1 CFPackage schema (formats checked), as
    (path, message) pairs in document order; [] when it is valid."""
    try:
        problems = [
            (json_path(list(err.instance_path)), _short(err.message)) for err in _validator().iter_errors(package)
        ]
    except ValueError:  # jsonschema_rs: "Recursion limit reached"
        return [("(top level)", "is nested too deeply")]
    return sorted(problems, key=lambda p: p[0])


def _short(message: str, limit: int = 300) -> str:
    """A schema message quotes the value it refuses, which may be megabytes long."""
    return message if len(message) <= limit else message[: limit - 1] + "…"


def case_time(moment: datetime) -> str:
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def association_identifier(origin: str, association_type: str, destination: str) -> str:
    return str(uuid.uuid5(ASSOCIATION_NAMESPACE, f"{origin} {association_type} {destination}"))


def _link(title: str, identifier: str, uri: str) -> dict[str, str]:
    return {"title": title, "identifier": identifier, "uri": uri}


def case_package(framework: Framework, uri: UriMaker, creator: str = DEFAULT_CREATOR) -> dict[str, Any]:
    """The CFPackage of a framework version (a draft too: its rows as they are now)."""
    changed = case_time(framework.published_at or utcnow())
    doc_uri = uri("CFDocuments", framework.identifier)
    document: dict[str, Any] = {
        "identifier": framework.identifier,
        "uri": doc_uri,
        "creator": creator,
        "title": framework.title,
        "lastChangeDateTime": changed,
        "description": framework.description,
        "notes": framework.source,
        "version": framework.version,
        "adoptionStatus": "Private Draft" if framework.is_draft else "Adopted",
        "caseVersion": "1.1",
    }
    document_link = _link(framework.title, framework.identifier, doc_uri)
    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []

    def item(identifier: str, item_type: str, statement: str, code: str, notes: str | None) -> dict[str, str]:
        entry = {
            "identifier": identifier,
            "uri": uri("CFItems", identifier),
            "fullStatement": statement,
            "CFItemType": item_type,
            "humanCodingScheme": code,
            "lastChangeDateTime": changed,
        }
        if notes is not None:
            entry["notes"] = notes
        items.append(entry)
        return _link(statement, identifier, entry["uri"])

    def associate(origin: dict[str, str], kind: str, destination: dict[str, str], sequence: int | None) -> None:
        identifier = association_identifier(origin["identifier"], kind, destination["identifier"])
        entry: dict[str, Any] = {
            "identifier": identifier,
            "uri": uri("CFAssociations", identifier),
            "associationType": kind,
            "originNodeURI": origin,
            "destinationNodeURI": destination,
            "lastChangeDateTime": changed,
        }
        if sequence is not None:
            entry["sequenceNumber"] = sequence
        associations.append(entry)

    role_links = {}
    for r_pos, role in enumerate(sorted(framework.roles, key=lambda r: r.position), start=1):
        link = item(role.identifier, ROLE_TYPE, role.name, role.code, role.description)
        role_links[role.code] = link
        associate(link, "isChildOf", document_link, r_pos)
    for d_pos, domain in enumerate(sorted(framework.domains, key=lambda d: d.position), start=1):
        domain_link = item(domain.identifier, DOMAIN_TYPE, domain.name, domain.code, domain.description)
        associate(domain_link, "isChildOf", document_link, d_pos)
        for i_pos, question in enumerate(sorted(domain.indicators, key=lambda i: i.position), start=1):
            question_link = item(question.identifier, QUESTION_TYPE, question.text, question.code, None)
            associate(question_link, "isChildOf", domain_link, i_pos)
            for role in sorted(question.roles, key=lambda r: r.position):
                associate(question_link, "isRelatedTo", role_links[role.code], None)
    return {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
        "CFRubrics": [rubric(framework, uri, changed)],
    }


def rubric(framework: Framework, uri: UriMaker, changed: str | None = None) -> dict[str, Any]:
    """The version's one CFRubric: one criterion (the scale) whose criterion levels are the levels."""
    changed = changed or case_time(framework.published_at or utcnow())
    rubric_uri = uri("CFRubrics", framework.rubric_identifier)
    levels = [
        {
            "identifier": level.identifier,
            "uri": f"{rubric_uri}#{level.identifier}",
            "quality": level.name,
            "score": level.value,
            "position": level.value,
            "description": level.descriptor,
            "rubricCriterionId": framework.criterion_identifier,
            "lastChangeDateTime": changed,
        }
        for level in sorted(framework.levels, key=lambda lv: lv.value)
    ]
    return {
        "identifier": framework.rubric_identifier,
        "uri": rubric_uri,
        "title": f"{framework.title}: levels",
        "description": "The levels every key question of the framework is assessed at, lowest first.",
        "lastChangeDateTime": changed,
        "CFRubricCriteria": [
            {
                "identifier": framework.criterion_identifier,
                "uri": f"{rubric_uri}#{framework.criterion_identifier}",
                "description": "The level a key question is answered at.",
                "position": 1,
                "rubricId": framework.rubric_identifier,
                "lastChangeDateTime": changed,
                "CFRubricCriterionLevels": levels,
            }
        ],
    }
