"""Loading framework files: the seed, reloading, new versions, and every kind of bad file.

A bad file must be refused with a message naming the file, the field and the problem,
and must leave every table exactly as it was (through the function and through the CLI).
"""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import func, select

from badges.extensions import db
from badges.frameworks.loader import FrameworkFileError, load_framework_file
from badges.frameworks.queries import get_framework
from badges.models import Domain, Framework, Indicator, Level, ProfessionalRole, indicator_roles
from badges.resources import default_framework_file
from tests.seed_facts import DOMAIN_NAMES, LEVELS

SLUG = "cbe-educator-competencies"

ROLE_CODES = ["state-staff", "district-staff", "school-leader", "teacher"]


def seed_document() -> dict:
    return json.loads(default_framework_file().read_text(encoding="utf-8"))


def write_json(path, document) -> str:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return str(path)


def row_counts() -> dict[str, int]:
    """Rows in every table the models declare, read fresh from the database."""
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) for table in db.metadata.sorted_tables
    }


def framework_rows(framework_id: int) -> dict[str, list[tuple]]:
    """Every stored row of one framework version, by table, with ids: to compare before and after."""
    fw = Framework.__table__
    levels = Level.__table__
    roles = ProfessionalRole.__table__
    domains = Domain.__table__
    indicators = Indicator.__table__

    def rows(statement):
        return [tuple(row) for row in db.session.execute(statement)]

    return {
        "frameworks": rows(select(fw).where(fw.c.id == framework_id)),
        "levels": rows(select(levels).where(levels.c.framework_id == framework_id).order_by(levels.c.id)),
        "roles": rows(select(roles).where(roles.c.framework_id == framework_id).order_by(roles.c.id)),
        "domains": rows(select(domains).where(domains.c.framework_id == framework_id).order_by(domains.c.id)),
        "indicators": rows(
            select(indicators).where(indicators.c.framework_id == framework_id).order_by(indicators.c.id)
        ),
        "indicator_roles": rows(
            select(indicator_roles)
            .join(indicators, indicators.c.id == indicator_roles.c.indicator_id)
            .where(indicators.c.framework_id == framework_id)
            .order_by(indicator_roles.c.indicator_id, indicator_roles.c.role_id)
        ),
    }


# --- the seed file ---------------------------------------------------------------------------


def test_seed_file_loads_nine_domains_in_order(framework):
    fw = get_framework(SLUG, "1.0")
    assert fw is not None and fw.id == framework.id
    assert fw.title == "Competencies for Competency Education"
    assert [d.name for d in fw.domains] == DOMAIN_NAMES
    assert [d.position for d in fw.domains] == list(range(1, 10))
    for domain in fw.domains:
        assert domain.indicators, f"domain {domain.name} has no indicators"
        assert [i.position for i in domain.indicators] == list(range(1, len(domain.indicators) + 1))


def test_seed_levels_are_the_four_descriptors_word_for_word(framework):
    fw = get_framework(SLUG, "1.0")
    assert [(lv.value, lv.name, lv.descriptor) for lv in fw.levels] == LEVELS
    assert "\u2019" in fw.levels[0].descriptor  # the curly apostrophe survives the round trip


def test_seed_roles_and_every_indicator_has_a_role(framework):
    fw = get_framework(SLUG, "1.0")
    assert [r.code for r in fw.roles] == ROLE_CODES
    indicators = [ind for d in fw.domains for ind in d.indicators]
    assert len(indicators) == sum(len(d["indicators"]) for d in seed_document()["domains"])
    for ind in indicators:
        assert ind.roles, f"indicator {ind.code} applies to no role"
        assert {r.code for r in ind.roles} <= set(ROLE_CODES)
    # The database agrees: no indicator without a row in indicator_roles.
    without_role = db.session.scalar(
        select(func.count())
        .select_from(Indicator)
        .where(Indicator.framework_id == framework.id, ~Indicator.roles.any())
    )
    assert without_role == 0


def test_stored_rows_match_the_seed_file(framework):
    document = seed_document()
    fw = get_framework(SLUG, "1.0")
    assert [(d.code, d.name) for d in fw.domains] == [(d["code"], d["name"]) for d in document["domains"]]
    assert [[(i.code, i.text, [r.code for r in i.roles]) for i in d.indicators] for d in fw.domains] == [
        [(i["code"], i["text"], list(dict.fromkeys(i["roles"]))) for i in d["indicators"]] for d in document["domains"]
    ]


# --- reloading and versions ------------------------------------------------------------------


def test_loading_the_same_file_twice_changes_nothing(framework):
    before = row_counts()
    rows_before = framework_rows(framework.id)
    result = load_framework_file(default_framework_file())
    db.session.commit()
    assert result.created is False
    assert result.framework.id == framework.id
    assert row_counts() == before
    assert framework_rows(framework.id) == rows_before


def test_loading_the_same_file_twice_through_the_cli(app, runner, tmp_path):
    path = write_json(tmp_path / "seed.json", seed_document())
    first = runner.invoke(args=["framework", "load", path])
    assert first.exit_code == 0, first.output
    assert "loaded" in first.output and "9 domains" in first.output
    counts = row_counts()
    second = runner.invoke(args=["framework", "load", path])
    assert second.exit_code == 0, second.output
    assert "already loaded, unchanged" in second.output
    assert row_counts() == counts


def test_changed_file_under_the_same_version_is_refused(framework, runner, tmp_path):
    document = seed_document()
    document["domains"][0]["indicators"][0]["text"] = "A rewritten question?"
    path = write_json(tmp_path / "changed.json", document)
    before = row_counts()
    rows_before = framework_rows(framework.id)

    with pytest.raises(FrameworkFileError) as caught:
        load_framework_file(path)
    db.session.rollback()
    message = str(caught.value)
    assert path in message
    assert "version" in message and "already loaded with different content" in message
    assert row_counts() == before
    assert framework_rows(framework.id) == rows_before

    result = runner.invoke(args=["framework", "load", path])
    assert result.exit_code != 0
    assert path in result.output and "different content" in result.output
    assert row_counts() == before
    assert framework_rows(framework.id) == rows_before


def test_new_version_adds_rows_and_leaves_the_old_version_as_it_was(framework, tmp_path):
    rows_before = framework_rows(framework.id)
    counts_before = row_counts()
    document = seed_document()
    document["version"] = "1.1"
    document["domains"][0]["indicators"][0]["text"] = "What is competency education, in one page?"
    document["levels"][0]["descriptor"] = "I am new to this."

    result = load_framework_file(write_json(tmp_path / "v1.1.json", document))
    db.session.commit()

    assert result.created is True
    assert result.framework.id != framework.id
    assert framework_rows(framework.id) == rows_before
    old = get_framework(SLUG, "1.0")
    new = get_framework(SLUG, "1.1")
    assert old.domains[0].indicators[0].text == "What is competency education?"
    assert old.levels[0].descriptor == LEVELS[0][2]
    assert new.domains[0].indicators[0].text == "What is competency education, in one page?"
    assert new.levels[0].descriptor == "I am new to this."
    counts_after = row_counts()
    for table in ("frameworks",):
        assert counts_after[table] == counts_before[table] + 1
    for table in ("levels", "professional_roles", "domains", "indicators", "indicator_roles"):
        assert counts_after[table] == 2 * counts_before[table], table
    # No row of the new version shares an id with the old one.
    new_rows = framework_rows(new.id)
    for table in ("levels", "roles", "domains", "indicators"):
        assert not {r[0] for r in new_rows[table]} & {r[0] for r in rows_before[table]}


# --- malformed files -------------------------------------------------------------------------


def _set(path: list, value):
    def breaker(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return document

    return breaker


def _delete(path: list):
    def breaker(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
        return document

    return breaker


def _rename_key(path: list, old: str, new: str):
    def breaker(document):
        target = document
        for key in path:
            target = target[key]
        target[new] = target.pop(old)
        return document

    return breaker


def _copy_value(source: list, dest: list):
    def breaker(document):
        value = document
        for key in source:
            value = value[key]
        return _set(dest, copy.deepcopy(value))(document)

    return breaker


def _write_text(text_of_seed):
    def writer(path):
        path.write_bytes(text_of_seed(default_framework_file().read_text(encoding="utf-8")))

    return writer


def _write_document(breaker):
    def writer(path):
        write_json(path, breaker(seed_document()))

    return writer


# (id, how the file is written, field path expected in the message, words of the problem)
MALFORMED = [
    (
        "invalid-json",
        _write_text(lambda text: text.replace('"version": "1.0",', '"version": "1.0",,', 1).encode("utf-8")),
        "line 3 column 20",
        "invalid JSON",
    ),
    ("not-utf8", _write_text(lambda text: text.encode("cp1252")), "(file)", "not UTF-8"),
    ("top-level-not-object", _write_document(lambda document: [document]), "(top level)", "must be a JSON object"),
    (
        "missing-required-field",
        _write_document(_delete(["domains", 2, "name"])),
        "domains[2].name",
        "Missing data for required field",
    ),
    (
        "unknown-field-typo",
        _write_document(_rename_key(["levels", 0], "descriptor", "descripton")),
        "levels[0].descripton",
        "Unknown field",
    ),
    ("wrong-type", _write_document(_set(["levels", 1, "value"], "2")), "levels[1].value", "Not a valid integer"),
    (
        "level-values-not-1-to-n",
        _write_document(_set(["levels", 3, "value"], 3)),
        "levels",
        "level values must be 1..4",
    ),
    (
        "five-levels",
        _write_document(lambda d: {**d, "levels": [*d["levels"], {**d["levels"][3], "value": 4, "code": "master"}]}),
        "levels",
        "must hold exactly 4 levels",
    ),
    (
        "duplicate-domain-code",
        _write_document(_copy_value(["domains", 3, "code"], ["domains", 4, "code"])),
        "domains",
        "duplicate code(s): delivery-operations",
    ),
    (
        "duplicate-indicator-code-across-domains",
        _write_document(_set(["domains", 1, "indicators", 0, "code"], "1.1")),
        "domains",
        "indicator codes must be unique across the framework; repeated: 1.1",
    ),
    (
        "indicator-with-unknown-role",
        _write_document(_set(["domains", 2, "indicators", 0, "roles"], ["teacher", "principal"])),
        "domains[2].indicators[0].roles",
        "unknown role code(s): principal",
    ),
    (
        "empty-indicators-list",
        _write_document(_set(["domains", 5, "indicators"], [])),
        "domains[5].indicators",
        "Shorter than minimum length 1",
    ),
    (
        "bad-slug",
        _write_document(_set(["slug"], "CBE Educator Competencies")),
        "slug",
        "must be lower-case letters, digits or '-'",
    ),
]


@pytest.fixture(params=MALFORMED, ids=[case[0] for case in MALFORMED])
def malformed(request, tmp_path):
    name, write, field, problem = request.param
    path = tmp_path / f"{name}.json"
    write(path)
    return str(path), field, problem


def test_malformed_file_is_refused_naming_file_field_and_problem(app, malformed):
    path, field, problem = malformed
    before = row_counts()
    with pytest.raises(FrameworkFileError) as caught:
        load_framework_file(path)
    db.session.rollback()
    message = str(caught.value)
    assert f"{path}: {field}: " in message
    assert problem in message
    assert caught.value.file == path
    assert any(p_field == field and problem in p_problem for p_field, p_problem in caught.value.problems)
    assert row_counts() == before


def test_malformed_file_is_refused_by_the_cli_in_one_line(app, runner, malformed):
    path, field, problem = malformed
    before = row_counts()
    result = runner.invoke(args=["framework", "load", path])
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert path in lines[0] and field in lines[0] and problem in lines[0]
    assert row_counts() == before
    assert all(count == 0 for count in before.values())


def test_malformed_file_beside_a_loaded_version_changes_nothing(framework, tmp_path):
    document = seed_document()
    document["version"] = "2.0"
    document["domains"][8]["indicators"][0]["roles"] = ["nobody"]
    path = write_json(tmp_path / "v2.json", document)
    before = row_counts()
    rows_before = framework_rows(framework.id)
    with pytest.raises(FrameworkFileError, match=r"domains\[8\]\.indicators\[0\]\.roles: unknown role"):
        load_framework_file(path)
    db.session.rollback()
    assert row_counts() == before
    assert framework_rows(framework.id) == rows_before
    assert get_framework(SLUG, "2.0") is None


def test_nonexistent_file_is_refused(app, runner, tmp_path):
    path = str(tmp_path / "missing.json")
    with pytest.raises(FrameworkFileError) as caught:
        load_framework_file(path)
    assert path in str(caught.value) and "cannot be read" in str(caught.value)

    result = runner.invoke(args=["framework", "load", path])
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and path in lines[0]
    assert all(count == 0 for count in row_counts().values())


@pytest.mark.parametrize(
    "field,value", [("slug", "drafts"), ("slug", "import"), ("version", "events")], ids=["drafts", "import", "events"]
)
def test_a_framework_cannot_take_the_name_of_one_of_the_services_pages(app, tmp_path, field, value):
    document = seed_document()
    document[field] = value
    with pytest.raises(FrameworkFileError, match=rf"{field}: {value} is the name of one of the service's pages"):
        load_framework_file(write_json(tmp_path / "f.json", document))
