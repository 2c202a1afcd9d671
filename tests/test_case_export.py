"""CASE export (badges.frameworks.case_package): the seed framework, a published version 2 and a draft each
make a CFPackage the official CASE 1.1 schema accepts, with the documented mapping and stable identifiers."""

from __future__ import annotations

from badges.authoring.drafts import start_draft
from badges.frameworks.case_package import (
    DOMAIN_TYPE,
    QUESTION_TYPE,
    ROLE_TYPE,
    association_identifier,
    case_package,
    schema_problems,
)
from tests.framework_setup import NEW_ROLE_CODE, publish_version_2


def uri(kind: str, identifier: str) -> str:
    return f"https://badges.example.org/ims/case/v1p1/{kind}/{identifier}"


def test_the_seed_framework_exports_as_a_valid_cfpackage(framework):
    package = case_package(framework, uri)
    assert schema_problems(package) == []
    document = package["CFDocument"]
    assert document["identifier"] == framework.identifier
    assert document["uri"] == uri("CFDocuments", framework.identifier)
    assert (document["title"], document["version"], document["notes"]) == (
        framework.title,
        "1.0",
        framework.source,
    )
    by_type: dict[str, list[dict]] = {}
    for item in package["CFItems"]:
        by_type.setdefault(item["CFItemType"], []).append(item)
    assert [i["humanCodingScheme"] for i in by_type[DOMAIN_TYPE]] == [d.code for d in framework.domains]
    assert len(by_type[QUESTION_TYPE]) == sum(len(d.indicators) for d in framework.domains)
    assert [i["fullStatement"] for i in by_type[ROLE_TYPE]] == [r.name for r in framework.roles]
    domain = framework.domains[0]
    question = domain.indicators[0]
    child_of = {
        (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"]): a
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf"
    }
    assert child_of[(domain.identifier, framework.identifier)]["sequenceNumber"] == 1
    assert child_of[(question.identifier, domain.identifier)]["sequenceNumber"] == 1
    related = {
        (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
        for a in package["CFAssociations"]
        if a["associationType"] == "isRelatedTo"
    }
    assert related == {(q.identifier, r.identifier) for d in framework.domains for q in d.indicators for r in q.roles}
    (rubric,) = package["CFRubrics"]
    assert rubric["identifier"] == framework.rubric_identifier
    (criterion,) = rubric["CFRubricCriteria"]
    assert criterion["identifier"] == framework.criterion_identifier
    assert [(lv["quality"], lv["score"], lv["position"]) for lv in criterion["CFRubricCriterionLevels"]] == [
        (lv.name, lv.value, lv.value) for lv in framework.levels
    ]


def test_identifiers_are_stable_across_exports(framework):
    first, second = case_package(framework, uri), case_package(framework, uri)
    assert first == second
    association = first["CFAssociations"][0]
    assert association["identifier"] == association_identifier(
        association["originNodeURI"]["identifier"],
        association["associationType"],
        association["destinationNodeURI"]["identifier"],
    )


def test_a_published_version_2_and_a_draft_export_as_valid_cfpackages(admin, framework):
    version_2 = publish_version_2(admin)
    package = case_package(version_2, uri)
    assert schema_problems(package) == []
    assert package["CFDocument"]["version"] == "2"
    assert package["CFDocument"]["adoptionStatus"] == "Adopted"
    assert NEW_ROLE_CODE in {i["humanCodingScheme"] for i in package["CFItems"] if i["CFItemType"] == ROLE_TYPE}
    draft = start_draft(admin, version_2)
    draft_package = case_package(draft, uri, creator="Northfield")
    assert schema_problems(draft_package) == []
    assert draft_package["CFDocument"]["adoptionStatus"] == "Private Draft"
    assert draft_package["CFDocument"]["creator"] == "Northfield"


def test_the_schema_check_names_each_problem_with_its_path(framework):
    package = case_package(framework, uri)
    package["CFItems"][3]["identifier"] = "not-a-uuid"
    del package["CFDocument"]["title"]
    package["CFAssociations"][0]["lastChangeDateTime"] = "yesterday"
    paths = [path for path, _ in schema_problems(package)]
    assert "CFItems[3].identifier" in paths
    assert "CFDocument" in paths
    assert "CFAssociations[0].lastChangeDateTime" in paths
