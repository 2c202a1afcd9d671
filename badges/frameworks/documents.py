"""A framework version as a framework file's document, and what changed between two documents.

The document is the shape of seed_frameworks/*.json (badges.frameworks.file_schema). A draft is checked
by turning it into this document and validating it exactly as a file is, so a draft and a file obey
one set of rules; the change summary of a publication compares the two versions' documents.
"""

from __future__ import annotations

from typing import Any

from ..models import Framework


def framework_document(framework: Framework) -> dict[str, Any]:
    """The version in the framework-file shape: what a file that loads it would say."""
    return {
        "slug": framework.slug,
        "version": framework.version,
        "title": framework.title,
        "description": framework.description,
        "source": framework.source,
        "levels": [
            {"value": lv.value, "code": lv.code, "name": lv.name, "descriptor": lv.descriptor}
            for lv in sorted(framework.levels, key=lambda lv: lv.value)
        ],
        "roles": [
            {"code": r.code, "name": r.name, "description": r.description}
            for r in sorted(framework.roles, key=lambda r: r.position)
        ],
        "domains": [
            {
                "code": d.code,
                "name": d.name,
                "description": d.description,
                "indicators": [
                    {
                        "code": ind.code,
                        "text": ind.text,
                        "roles": [r.code for r in sorted(ind.roles, key=lambda r: r.position)],
                    }
                    for ind in sorted(d.indicators, key=lambda ind: ind.position)
                ],
            }
            for d in sorted(framework.domains, key=lambda d: d.position)
        ],
    }


def _by_code(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["code"]: item for item in items}


def _indicators(document: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    return {ind["code"]: (d["code"], ind) for d in document["domains"] for ind in d["indicators"]}


def _named_changes(kind: str, old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[str]:
    """Roles or domains (by code): added, renamed or redescribed, removed."""
    changes: list[str] = []
    for code, item in new.items():
        before = old.get(code)
        if before is None:
            changes.append(f"{kind} added: {item['name']}.")
        elif before["name"] != item["name"]:
            changes.append(f"{kind} {before['name']} renamed to {item['name']}.")
        elif before["description"] != item["description"]:
            changes.append(f"{kind} {item['name']}: description changed.")
    return changes + [f"{kind} removed: {old[code]['name']}." for code in old if code not in new]


def compare_documents(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """One sentence per change from `old` to `new`, in the framework's order. Key questions, roles,
    domains and levels are matched by code (levels by value): a code is an item's identity across
    versions, so a changed text is "reworded" and a missing code is "retired"."""
    if old is None:
        return [f"First version: {len(new['domains'])} domains, {len(_indicators(new))} key questions."]
    changes: list[str] = []
    for field in ("title", "description", "source"):
        if old[field] != new[field]:
            changes.append(f"The framework's {field} changed.")
    old_levels = {lv["value"]: lv for lv in old["levels"]}
    for level in new["levels"]:
        before = old_levels.get(level["value"])
        if before is None:
            changes.append(f"Level {level['value']} ({level['name']}) added.")
            continue
        if before["name"] != level["name"]:
            changes.append(f"Level {level['value']} renamed from {before['name']} to {level['name']}.")
        if before["descriptor"] != level["descriptor"]:
            changes.append(f"Level {level['value']} ({level['name']}): descriptor reworded.")
    for value in sorted(set(old_levels) - {lv["value"] for lv in new["levels"]}):
        changes.append(f"Level {value} ({old_levels[value]['name']}) removed.")

    old_roles, new_roles = _by_code(old["roles"]), _by_code(new["roles"])
    changes += _named_changes("Role", old_roles, new_roles)
    old_domains, new_domains = _by_code(old["domains"]), _by_code(new["domains"])
    changes += _named_changes("Domain", old_domains, new_domains)

    role_name = {code: role["name"] for code, role in {**old_roles, **new_roles}.items()}
    old_questions, new_questions = _indicators(old), _indicators(new)
    for code, (domain_code, question) in new_questions.items():
        found = old_questions.get(code)
        if found is None:
            changes.append(f"Key question {code} added to {new_domains[domain_code]['name']}: {question['text']}")
            continue
        old_domain, before = found
        if old_domain != domain_code:
            changes.append(f"Key question {code} moved to {new_domains[domain_code]['name']}.")
        if before["text"] != question["text"]:
            changes.append(f"Key question {code} reworded: {question['text']}")
        gained = [role_name[r] for r in question["roles"] if r not in before["roles"]]
        lost = [role_name[r] for r in before["roles"] if r not in question["roles"]]
        if gained:
            changes.append(f"Key question {code} now applies to {', '.join(gained)}.")
        if lost:
            changes.append(f"Key question {code} no longer applies to {', '.join(lost)}.")
    changes += [
        f"Key question {code} retired: {question['text']}"
        for code, (_, question) in old_questions.items()
        if code not in new_questions
    ]
    return changes
