"""CASE import (badges.frameworks.case_import, badges.authoring.imports): a package is read back as a draft,
every problem is named with its path and nothing is created, and the round trip export -> import -> publish
-> export gives the same package apart from identifiers, URIs and timestamps."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import func, select

from badges.authoring.imports import import_package
from badges.authoring.publishing import DraftProblems, publish_draft, publish_shared_draft
from badges.extensions import db
from badges.frameworks.case_import import read_case_package
from badges.frameworks.case_package import QUESTION_TYPE, ROLE_TYPE, case_package
from badges.frameworks.events import framework_events
from badges.frameworks.loader import FrameworkFileError
from badges.models import BadgeClass, District, Framework, FrameworkOwner
from badges.permissions import framework_owner

UUID_KEYS = {"identifier", "uri", "lastChangeDateTime", "rubricId", "rubricCriterionId"}


def uri(kind: str, identifier: str) -> str:
    return f"https://badges.example.org/ims/case/v1p1/{kind}/{identifier}"


def comparable(package: dict) -> object:
    """The package with identifiers, URIs and timestamps left out, and lists in a stable order."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in UUID_KEYS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    by_id = {i["identifier"]: i["humanCodingScheme"] for i in package["CFItems"]}
    by_id[package["CFDocument"]["identifier"]] = "(document)"
    associations = sorted(
        (
            a["associationType"],
            by_id[a["originNodeURI"]["identifier"]],
            by_id[a["destinationNodeURI"]["identifier"]],
            a.get("sequenceNumber"),
        )
        for a in package["CFAssociations"]
    )
    return {
        "CFDocument": strip(package["CFDocument"]),
        "CFItems": strip(package["CFItems"]),
        "CFAssociations": associations,
        "CFRubrics": strip(package["CFRubrics"]),
    }


def frameworks_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Framework))


def test_round_trip_export_import_publish_export(framework):
    first = case_package(framework, uri)
    draft = import_package(None, json.dumps(first).encode(), slug="cbe-copy")
    assert draft.is_draft and draft.slug == "cbe-copy" and draft.version == "1.0"
    assert framework_owner("cbe-copy") is None  # imported by the operator: a shared framework
    publish_shared_draft(draft)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(BadgeClass).where(BadgeClass.framework_id == draft.id))
    second = case_package(draft, uri)
    assert comparable(second) == comparable(first)
    # Every identifier was in use already (the seed framework's), so the copy has identifiers of its own.
    assert draft.identifier != framework.identifier
    assert {i["identifier"] for i in first["CFItems"]}.isdisjoint({i["identifier"] for i in second["CFItems"]})


def test_identifiers_are_kept_when_unused_here(admin, framework):
    package = case_package(framework, uri)
    renamed = json.loads(json.dumps(package).replace(framework.identifier, "0d9b4c8e-1f2a-4b3c-8d4e-5f6a7b8c9d0e"))
    draft = import_package(admin, renamed, slug="our-copy")
    assert draft.identifier == "0d9b4c8e-1f2a-4b3c-8d4e-5f6a7b8c9d0e"
    assert framework_owner("our-copy") == admin.district_id
    assert [e.action for e in framework_events("our-copy")] == ["framework.imported"]


def test_a_package_without_roles_imports_and_roles_are_set_later(admin, framework):
    package = case_package(framework, uri)
    role_ids = {i["identifier"] for i in package["CFItems"] if i["CFItemType"] == ROLE_TYPE}
    package["CFItems"] = [i for i in package["CFItems"] if i["CFItemType"] != ROLE_TYPE]
    package["CFAssociations"] = [
        a
        for a in package["CFAssociations"]
        if a["originNodeURI"]["identifier"] not in role_ids and a["destinationNodeURI"]["identifier"] not in role_ids
    ]
    draft = import_package(admin, package, slug="no-roles")
    assert draft.roles == [] and all(not q.roles for d in draft.domains for q in d.indicators)
    with pytest.raises(DraftProblems):
        publish_draft(admin, draft)


def test_a_new_version_of_a_districts_own_framework(admin, framework):
    package = case_package(framework, uri)
    mine = import_package(admin, package, slug="ours")
    mine.domains[0].indicators[0].text = "Changed wording?"
    publish_draft(admin, mine)
    db.session.commit()
    package["CFDocument"]["version"] = "2"
    package["CFItems"][-1]["fullStatement"] = "Reworded in the package?"
    version_2 = import_package(admin, package, as_version_of="ours")
    assert (version_2.slug, version_2.version, version_2.based_on_id) == ("ours", "2", mine.id)


def problems_of(package, actor=None, **kwargs) -> list[tuple[str, str]]:
    before = frameworks_count()
    with pytest.raises(FrameworkFileError) as refused:
        import_package(actor, package, **kwargs)
    assert frameworks_count() == before  # nothing created
    return refused.value.problems


def test_every_schema_problem_is_listed_with_its_path(framework):
    package = case_package(framework, uri)
    package["CFItems"][3]["identifier"] = "not-a-uuid"
    del package["CFItems"][5]["fullStatement"]
    package["CFDocument"]["lastChangeDateTime"] = "last tuesday"
    paths = [path for path, _ in problems_of(package)]
    assert {"CFItems[3].identifier", "CFItems[5]", "CFDocument.lastChangeDateTime"} <= set(paths)


def test_every_rule_problem_is_listed_with_its_path(framework):
    package = case_package(framework, uri)
    questions = [n for n, i in enumerate(package["CFItems"]) if i["CFItemType"] == QUESTION_TYPE]
    orphan = package["CFItems"][questions[0]]
    package["CFAssociations"] = [
        a
        for a in package["CFAssociations"]
        if not (a["associationType"] == "isChildOf" and a["originNodeURI"]["identifier"] == orphan["identifier"])
    ]
    package["CFItems"][questions[2]]["humanCodingScheme"] = package["CFItems"][questions[1]]["humanCodingScheme"]
    package["CFAssociations"][0]["destinationNodeURI"]["identifier"] = "11111111-2222-4333-8444-555555555555"
    package["CFItems"][0]["CFItemType"] = "Standard"
    levels = package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"]
    del levels[1:]
    found = problems_of(package)
    paths = [path for path, _ in found]
    assert f"CFItems[{questions[0]}]" in paths  # not the child of a domain
    assert f"CFItems[{questions[2]}].humanCodingScheme" in paths  # duplicate code
    assert "CFAssociations[0].destinationNodeURI.identifier" in paths  # unknown target
    assert "CFItems[0].CFItemType" in paths
    assert "CFRubrics[0].CFRubricCriteria[0].CFRubricCriterionLevels" in paths  # one level only
    assert len(found) >= 5


def test_the_file_rules_are_named_by_their_place_in_the_package(framework):
    package = case_package(framework, uri)
    package["CFItems"][4]["humanCodingScheme"] = "Not A Code!"
    package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][2]["description"] = ""
    paths = [path for path, _ in problems_of(package)]
    assert "CFItems[4].humanCodingScheme" in paths
    assert "CFRubrics[0].CFRubricCriteria[0].CFRubricCriterionLevels[2].description" in paths


def test_not_json_and_not_a_package():
    with pytest.raises(FrameworkFileError, match="invalid JSON"):
        read_case_package(b"{nope", "x.json")
    with pytest.raises(FrameworkFileError, match="UTF-8"):
        read_case_package(b"\xff\xfe", "x.json")
    with pytest.raises(FrameworkFileError, match="nested too deeply"):
        read_case_package(b"[" * 200_000, "x.json")
    with pytest.raises(FrameworkFileError, match="nested too deeply"):
        read_case_package(b'{"CFDocument":' + b"[" * 500 + b"]" * 500 + b"}", "x.json")
    with pytest.raises(FrameworkFileError, match="must be a JSON object"):
        read_case_package(b"[]", "x.json")
    with pytest.raises(FrameworkFileError) as refused:
        read_case_package({"CFItems": [{"identifier": "x" * 10_000}] * 300}, "x.json")
    assert len(refused.value.problems) == 201 and all(len(what) < 400 for _, what in refused.value.problems)
    with pytest.raises(FrameworkFileError) as refused:
        read_case_package({"CFItems": []}, "x.json")
    assert ("(top level)", '"CFDocument" is a required property') in refused.value.problems


def test_slug_version_and_ownership_are_checked(admin, framework):
    package = case_package(framework, uri)
    assert [p for p, _ in problems_of(package, slug=framework.slug)] == ["slug", "CFDocument.version"]
    assert [p for p, _ in problems_of(package, slug="Bad Slug")] == ["slug"]
    assert problems_of(package, slug="drafts") == [
        ("slug", "drafts is the name of one of the service's pages: choose another slug")
    ]
    # The seed framework is shared: an admin cannot add versions to it, the operator can.
    assert [p for p, _ in problems_of(copy.deepcopy(package), admin, as_version_of=framework.slug)] == [
        "as_version_of",
        "CFDocument.version",
    ]
    assert [p for p, _ in problems_of(package, as_version_of="no-such")] == ["as_version_of"]
    # The command line reaches the domain without the request guards: NUL never reaches a query.
    assert [p for p, _ in problems_of(package, slug="a\x00b")] == ["slug"]
    assert [p for p, _ in problems_of(package, as_version_of="a\x00b")] == ["as_version_of"]


def test_a_slug_another_district_owns_is_refused(admin, framework):
    other = District(slug="southfield", name="Southfield", framework=framework)
    db.session.add(other)
    db.session.flush()
    db.session.add(FrameworkOwner(slug="theirs", district_id=other.id))
    db.session.flush()
    assert [p for p, _ in problems_of(case_package(framework, uri), admin, slug="theirs")] == ["slug"]
