"""Reading a CASE 1.1 CFPackage back into a framework document (the mapping of badges.frameworks.case_package).

`read_case_package` checks the package against the official schema and then against the service's rules,
and lists every problem it finds, each with its path in the package ("CFItems[3].identifier"): a person
fixes the file once, not once per problem. The service's rules: one CFRubric with one criterion of four
levels; every item a Domain, Key Question or Professional Role with a code (humanCodingScheme) used once;
every domain `isChildOf` the document, every key question `isChildOf` one domain; associations between
this package's nodes only; at most MAX_ITEMS items. Roles may be missing: they are set in the editor.

The result is the framework-file dict (badges.frameworks.file_schema), with the CASE identifiers beside
each item and under "identifiers"; its slug is a placeholder the importer replaces. Pure: no database.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from marshmallow import ValidationError

from ..base import find_control_character
from .case_package import DOMAIN_TYPE, QUESTION_TYPE, ROLE_TYPE, schema_problems
from .file_schema import LEVEL_COUNT, FrameworkFileSchema, flatten_errors
from .loader import FrameworkFileError

MAX_PACKAGE_BYTES = 5 * 1024 * 1024
MAX_ITEMS = 5000
MAX_PROBLEMS = 200  # listed; a file broken everywhere says how many more
PLACEHOLDER_SLUG = "imported"
DEFAULT_VERSION = "1.0"
LEVELS_PATH = "CFRubrics[0].CFRubricCriteria[0].CFRubricCriterionLevels"
ITEM_TYPES = (DOMAIN_TYPE, QUESTION_TYPE, ROLE_TYPE)
_PLACEHOLDER_ROLE = "x-placeholder-role"


def slugify(text: str, max_length: int = 80) -> str:
    """Lower-case ASCII letters and digits joined by '-': "Expert (4)" -> "expert-4"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def parse_package(data: bytes | str | dict, label: str) -> Any:
    """The package's JSON, or FrameworkFileError saying why the bytes are not JSON."""
    if isinstance(data, dict):
        return data
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_PACKAGE_BYTES:
        raise FrameworkFileError(label, [("(file)", f"is larger than {MAX_PACKAGE_BYTES // (1024 * 1024)} MB")])
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FrameworkFileError(label, [("(file)", f"is not UTF-8 text (byte {exc.start})")]) from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise FrameworkFileError(label, [(where, f"invalid JSON: {exc.msg}")]) from None
    except RecursionError:
        raise FrameworkFileError(label, [("(file)", "is nested too deeply")]) from None


def read_case_package(data: bytes | str | dict, label: str = "(package)") -> dict[str, Any]:
    """The framework document a CFPackage describes; FrameworkFileError lists every problem with its path."""
    package = parse_package(data, label)
    if not isinstance(package, dict):
        raise FrameworkFileError(label, [("(top level)", "must be a JSON object (a CFPackage)")])
    problems = schema_problems(package)
    reader = _Reader(package)
    document = reader.document()
    problems += reader.problems
    if not problems:
        problems += reader.file_rules(document)
    if problems:
        problems = _unique(problems)
        if len(problems) > MAX_PROBLEMS:
            more = len(problems) - MAX_PROBLEMS
            problems = [*problems[:MAX_PROBLEMS], ("(package)", f"and {more} more problem(s) like those")]
        raise FrameworkFileError(label, problems)
    return document


def _unique(problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys(problems))


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


class _Reader:
    """One pass over a package, tolerant of a broken shape (the schema check names that), collecting
    problems as it goes."""

    def __init__(self, package: dict):
        self.package = package
        self.problems: list[tuple[str, str]] = []
        # document path ("domains[2].name") -> package path ("CFItems[7].fullStatement")
        self.paths: dict[str, str] = {"title": "CFDocument.title", "version": "CFDocument.version"}

    def problem(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def document(self) -> dict[str, Any]:
        doc = _dict(self.package.get("CFDocument"))
        doc_id = _text(doc.get("identifier")).lower()
        for field in ("title", "description", "notes", "version"):
            value = _text(doc.get(field))
            bad = find_control_character(value, multiline=field in ("description", "notes"))
            if bad:
                self.problem(f"CFDocument.{field}", f"contains {bad}")
        levels, rubric_id, criterion_id = self.levels()
        items = _list(self.package.get("CFItems"))
        if len(items) > MAX_ITEMS:
            self.problem("CFItems", f"has {len(items)} items; a framework has at most {MAX_ITEMS}")
            items = []
        kinds: dict[str, tuple[str, int, dict]] = {}  # identifier -> (type, index, item)
        codes: dict[tuple[str, str], int] = {}
        for index, item in enumerate(items):
            item = _dict(item)
            where = f"CFItems[{index}]"
            identifier = _text(item.get("identifier")).lower()
            kind = _text(item.get("CFItemType"))
            if kind not in ITEM_TYPES:
                self.problem(
                    f"{where}.CFItemType",
                    f"must be one of {', '.join(repr(t) for t in ITEM_TYPES)} (got {kind or 'none'!r})",
                )
                continue
            if identifier in kinds or identifier == doc_id:
                self.problem(f"{where}.identifier", f"{identifier} is used by another node of the package")
                continue
            code = _text(item.get("humanCodingScheme"))
            if not code:
                self.problem(f"{where}.humanCodingScheme", "is needed: it is the item's code")
            if code and (kind, code) in codes:
                other = codes[(kind, code)]
                self.problem(f"{where}.humanCodingScheme", f"code {code} is used by CFItems[{other}] too")
            codes.setdefault((kind, code), index)
            for field in ("fullStatement", "humanCodingScheme", "notes"):
                bad = find_control_character(_text(item.get(field)), multiline=field == "notes")
                if bad:
                    self.problem(f"{where}.{field}", f"contains {bad}")
            kinds[identifier] = (kind, index, item)

        parents: dict[str, list[tuple[int, str, int]]] = {}  # child -> [(sequence, parent, association index)]
        related: dict[str, list[str]] = {}  # question -> roles
        known = set(kinds) | {doc_id}
        unknown: dict[str, list[str]] = {}  # a target no node of the package has -> where it is named
        for index, association in enumerate(_list(self.package.get("CFAssociations"))):
            association = _dict(association)
            kind = _text(association.get("associationType"))
            if kind not in ("isChildOf", "isRelatedTo"):
                continue
            where = f"CFAssociations[{index}]"
            ends = []
            for end in ("originNodeURI", "destinationNodeURI"):
                target = _text(_dict(association.get(end)).get("identifier")).lower()
                if target not in known:
                    unknown.setdefault(target, []).append(f"{where}.{end}.identifier")
                ends.append(target)
            origin, destination = ends
            if origin not in known or destination not in known:
                continue
            if kind == "isChildOf":
                sequence = association.get("sequenceNumber")
                sequence = sequence if isinstance(sequence, int) else 10**9 + index
                parents.setdefault(origin, []).append((sequence, destination, index))
            else:
                kinds_of = (kinds.get(origin, ("",))[0], kinds.get(destination, ("",))[0])
                if kinds_of == (QUESTION_TYPE, ROLE_TYPE):
                    related.setdefault(origin, []).append(destination)
                elif kinds_of == (ROLE_TYPE, QUESTION_TYPE):
                    related.setdefault(destination, []).append(origin)

        for target, places in unknown.items():
            more = f" (and {len(places) - 1} more association(s) naming it)" if len(places) > 1 else ""
            self.problem(places[0], f"{target or '(none)'} is not a node of this package{more}")

        def placed(kind: str, parent_kind: str | None) -> list[tuple[str, str, dict, int]]:
            """(identifier, parent, item, index) of the items of `kind`, ordered by sequenceNumber."""
            found = []
            for identifier, (item_kind, index, item) in kinds.items():
                if item_kind != kind:
                    continue
                wanted = [
                    p
                    for p in parents.get(identifier, [])
                    if (parent_kind is None and p[1] == doc_id) or kinds.get(p[1], ("",))[0] == parent_kind
                ]
                if kind == ROLE_TYPE and not wanted:
                    found.append((10**9 + index, identifier, doc_id, item, index))
                    continue
                if len(wanted) != 1:
                    parent = "the document" if parent_kind is None else "one Domain"
                    self.problem(
                        f"CFItems[{index}]",
                        f"a {kind} must be the child (isChildOf) of {parent}; it is the child of {len(wanted)}",
                    )
                    continue
                sequence, parent_id, _ = wanted[0]
                found.append((sequence, identifier, parent_id, item, index))
            found.sort(key=lambda f: (f[0], f[4]))
            return [(identifier, parent, item, index) for _, identifier, parent, item, index in found]

        roles = []
        role_codes: dict[str, str] = {}
        for r_index, (identifier, _, item, index) in enumerate(placed(ROLE_TYPE, None)):
            code = _text(item.get("humanCodingScheme"))
            role_codes[identifier] = code
            self.paths.update(
                {
                    f"roles[{r_index}].code": f"CFItems[{index}].humanCodingScheme",
                    f"roles[{r_index}].name": f"CFItems[{index}].fullStatement",
                    f"roles[{r_index}].description": f"CFItems[{index}].notes",
                }
            )
            roles.append(
                {
                    "code": code,
                    "name": _text(item.get("fullStatement")),
                    "description": _text(item.get("notes")),
                    "identifier": identifier,
                }
            )
        domains: list[dict[str, Any]] = []
        domain_index: dict[str, dict[str, Any]] = {}
        for d_index, (identifier, _, item, index) in enumerate(placed(DOMAIN_TYPE, None)):
            self.paths.update(
                {
                    f"domains[{d_index}]": f"CFItems[{index}]",
                    f"domains[{d_index}].indicators": f"CFItems[{index}]",
                    f"domains[{d_index}].code": f"CFItems[{index}].humanCodingScheme",
                    f"domains[{d_index}].name": f"CFItems[{index}].fullStatement",
                    f"domains[{d_index}].description": f"CFItems[{index}].notes",
                }
            )
            domain: dict[str, Any] = {
                "code": _text(item.get("humanCodingScheme")),
                "name": _text(item.get("fullStatement")),
                "description": _text(item.get("notes")),
                "identifier": identifier,
                "indicators": [],
                "_position": d_index,
            }
            domains.append(domain)
            domain_index[identifier] = domain
        for identifier, parent, item, index in placed(QUESTION_TYPE, DOMAIN_TYPE):
            if parent not in domain_index:  # its domain is misplaced, and named as such
                continue
            domain = domain_index[parent]
            where = f"domains[{domain['_position']}].indicators[{len(domain['indicators'])}]"
            self.paths.update(
                {
                    f"{where}.code": f"CFItems[{index}].humanCodingScheme",
                    f"{where}.text": f"CFItems[{index}].fullStatement",
                    f"{where}.roles": f"CFItems[{index}]",
                }
            )
            domain["indicators"].append(
                {
                    "code": _text(item.get("humanCodingScheme")),
                    "text": _text(item.get("fullStatement")),
                    "roles": [role_codes[r] for r in dict.fromkeys(related.get(identifier, [])) if r in role_codes],
                    "identifier": identifier,
                }
            )
        for domain in domains:
            del domain["_position"]
        return {
            "slug": PLACEHOLDER_SLUG,
            "version": _text(doc.get("version")) or DEFAULT_VERSION,
            "title": _text(doc.get("title")),
            "description": _text(doc.get("description")),
            "source": _text(doc.get("notes")),
            "levels": levels,
            "roles": roles,
            "domains": domains,
            "identifiers": {
                "identifier": doc_id,
                "rubric_identifier": rubric_id,
                "criterion_identifier": criterion_id,
            },
        }

    def levels(self) -> tuple[list[dict[str, Any]], str, str]:
        rubrics = _list(self.package.get("CFRubrics"))
        if len(rubrics) != 1:
            self.problem("CFRubrics", f"must hold exactly one rubric (the levels), not {len(rubrics)}")
            return [], "", ""
        rubric = _dict(rubrics[0])
        criteria = _list(rubric.get("CFRubricCriteria"))
        if len(criteria) != 1:
            self.problem(
                "CFRubrics[0].CFRubricCriteria", f"must hold exactly one criterion (the scale), not {len(criteria)}"
            )
            return [], _text(rubric.get("identifier")).lower(), ""
        criterion = _dict(criteria[0])
        raw = _list(criterion.get("CFRubricCriterionLevels"))
        if len(raw) != LEVEL_COUNT:
            self.problem(LEVELS_PATH, f"must hold exactly {LEVEL_COUNT} levels, not {len(raw)}")
        indexed = list(enumerate(_dict(level) for level in raw))
        positions = [level.get("position") for _, level in indexed]
        if all(isinstance(p, int) for p in positions):
            if len(set(positions)) != len(positions):
                self.problem(LEVELS_PATH, f"each level needs its own position; got {positions}")
            indexed.sort(key=lambda pair: pair[1]["position"])
        levels = []
        for value, (index, level) in enumerate(indexed, start=1):
            where = f"{LEVELS_PATH}[{index}]"
            quality = _text(level.get("quality"))
            self.paths.update(
                {
                    f"levels[{value - 1}].name": f"{where}.quality",
                    f"levels[{value - 1}].code": f"{where}.quality",
                    f"levels[{value - 1}].descriptor": f"{where}.description",
                }
            )
            for field in ("quality", "description"):
                bad = find_control_character(_text(level.get(field)), multiline=field == "description")
                if bad:
                    self.problem(f"{where}.{field}", f"contains {bad}")
            if not slugify(quality, 40):
                self.problem(f"{where}.quality", "is needed, with letters or digits: it names the level")
            levels.append(
                {
                    "value": value,
                    "code": slugify(quality, 40),
                    "name": quality,
                    "descriptor": _text(level.get("description")),
                    "identifier": _text(level.get("identifier")).lower(),
                }
            )
        return levels, _text(rubric.get("identifier")).lower(), _text(criterion.get("identifier")).lower()

    def file_rules(self, document: dict[str, Any]) -> list[tuple[str, str]]:
        """The framework-file rules (lengths, code shapes, levels), with roles allowed to be missing,
        each problem named by its place in the package."""
        checked = _without_identifiers(document)
        if not checked["roles"]:
            checked["roles"] = [{"code": _PLACEHOLDER_ROLE, "name": "placeholder", "description": ""}]
        for domain in checked["domains"]:
            for question in domain["indicators"]:
                question["roles"] = question["roles"] or [checked["roles"][0]["code"]]
        try:
            FrameworkFileSchema().load(checked)
        except ValidationError as exc:
            return [(self._package_path(path), message) for path, message in flatten_errors(exc.messages)]
        return []

    def _package_path(self, path: str) -> str:
        if path in self.paths:
            return self.paths[path]
        return {"levels": LEVELS_PATH, "domains": "CFItems", "roles": "CFItems"}.get(path, path)


def _without_identifiers(document: dict[str, Any]) -> dict[str, Any]:
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("identifier", "identifiers")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(document)
