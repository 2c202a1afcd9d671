"""Level names come from the framework version a page is about, never from the shipped framework's
Explorer / Novice / Experienced / Expert: a district that renamed its levels in a draft and published it,
and a district using the leadership rubric (Emerging .. Distinguished), read their own names on the
assessment overview, progress, catalogue, readiness dashboard (SVG and table), next steps, targets and
home pages, and in the footer."""

from __future__ import annotations

import re
from datetime import date

import pytest

from badges.authoring.adoption import adopt_framework
from badges.authoring.publishing import publish_draft
from badges.base import InvalidInput
from badges.catalogue.loading import install_framework_file
from badges.educator import assessments
from badges.extensions import db
from badges.frameworks.levels import level_names, range_words, scale_words
from badges.frameworks.queries import get_framework
from badges.models import Framework
from badges.permissions import ReadinessScope
from badges.readiness import targets
from badges.readiness.shape import district_shape
from badges.resources import resource_dir
from tests.conftest import USER_PASSWORD
from tests.framework_setup import draft_of
from tests.test_readiness_upkeep import assess, codes_for

SHIPPED = ("Explorer", "Novice", "Experienced", "Expert")
RENAMED = {1: "Seedling", 2: "Sapling", 3: "Young Tree", 4: "Old Growth"}
RUBRIC = ("Emerging", "Developing", "Effective", "Distinguished")


def main_and_footer(html: str) -> str:
    """The page without its <head> (the title may name a framework, never a level)."""
    return html.split("<body", 1)[1]


def assert_names(html: str, names) -> None:
    shown = main_and_footer(html)
    for name in names:
        assert name in shown, name
    for name in SHIPPED:
        assert not re.search(rf"\b{name}\b", shown), f"{name!r} shown: ...{shown[shown.find(name) - 200 :][:400]}"


@pytest.fixture
def renamed(admin, district) -> Framework:
    """The district's own version of the seed framework, its four levels renamed, published and adopted."""
    draft = draft_of(admin)
    for level in draft.levels:
        level.name = RENAMED[level.value]
        level.descriptor = f"As a {RENAMED[level.value].lower()}, I grow in this practice."
    db.session.flush()
    publish_draft(admin, draft)
    db.session.commit()
    assert district.framework_id == draft.id
    return draft


@pytest.fixture
def rubric(admin, district) -> Framework:
    """The district uses the leadership rubric, installed from its file."""
    install_framework_file(resource_dir("seed_frameworks") / "leadership-rubric.json")
    framework = get_framework("school-leadership-rubric", "1.0")
    assert framework is not None
    adopt_framework(admin, framework)
    db.session.commit()
    return framework


def assess_as_role(person, framework, level) -> None:
    """A submitted self-assessment at `level` on every key question of the person's role."""
    draft = assessments.start_assessment(person)
    entries = [
        {"indicator": code, "level": level, "reflection": ""} for code in codes_for(framework, person.professional_role)
    ]
    assessments.rate(person, draft, entries)
    assessments.submit(person, draft)
    db.session.commit()


def sign_in(auth, user) -> None:
    assert auth.login(user.email, USER_PASSWORD).status_code == 302


def test_the_words_come_from_the_version(renamed, rubric):
    assert level_names(renamed) == RENAMED
    assert scale_words(level_names(rubric)) == "Emerging (1), Developing (2), Effective (3), Distinguished (4)"
    assert range_words(level_names(renamed)) == "Seedling (1) to Old Growth (4)"
    assert level_names(None) == {} and scale_words({}) == "" and range_words({}) == "1 to 4"


def test_the_dashboard_shape_carries_the_frameworks_level_names(renamed, district):
    shape = district_shape(district.id)
    assert shape is not None and shape.level_names == RENAMED and shape.level_name(3) == "Young Tree"


def test_a_renamed_frameworks_educator_pages_use_its_names(renamed, make_user, auth, client):
    teacher = make_user("tess@northfield.example.org", name="Tess Teacher")
    sign_in(auth, teacher)
    overview = client.get("/educator/assessment/")
    assert overview.status_code == 200
    assert "Seedling (1) to Old Growth (4)" in overview.get_data(as_text=True)
    assert_names(overview.get_data(as_text=True), ["Seedling", "Old Growth"])

    assess(teacher, renamed, 3)
    overview = client.get("/educator/assessment/").get_data(as_text=True)
    assert "Young Tree (3)" in overview
    assert_names(overview, RENAMED.values())  # the footer names all four

    progress = client.get("/educator/progress")
    assert progress.status_code == 200
    text = progress.get_data(as_text=True)
    assert "Now Young Tree (3)" in text and "1 Seedling, 2 Sapling, 3 Young Tree, 4 Old Growth" in text
    assert "from 1 Seedling (bottom) to 4 Old Growth (top)" in text  # the chart's title
    assert_names(text, RENAMED.values())

    catalogue = client.get("/educator/badges/catalogue")
    assert catalogue.status_code == 200
    text = catalogue.get_data(as_text=True)
    assert "from Seedling (1) to Old Growth (4)" in text and "<h3>Young Tree (3)</h3>" in text
    assert_names(text, RENAMED.values())

    home = client.get("/home/educator")
    assert home.status_code == 200
    text = home.get_data(as_text=True)
    assert "Young Tree (3)" in text
    assert_names(text, RENAMED.values())

    summary = client.get("/educator/summary")
    assert summary.status_code == 200
    assert_names(summary.get_data(as_text=True), RENAMED.values())


def test_the_readiness_dashboard_uses_the_frameworks_names(renamed, make_user, auth, client, district):
    north = district.schools[0]
    for i in range(5):
        person = make_user(f"staff{i}@northfield.example.org")
        person.school, person.shares_self_assessment = north, True
        db.session.commit()
        assess(person, renamed, 1 + i % 4)
    leader = make_user("leader@northfield.example.org", roles=("district_leader",), professional_role=None)
    targets.create_target(
        leader, ReadinessScope(district.id, None), renamed.domains[0].code, 75, date(2099, 6, 30), min_level=3
    )
    db.session.commit()
    sign_in(auth, leader)
    for view in ("self", "validated"):
        page = client.get(f"/readiness?view={view}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        svg = html[html.index('<svg class="heatmap"') : html.index("</svg>", html.index('<svg class="heatmap"'))]
        assert "the share at Young Tree or above" in svg and "(Seedling, Sapling, Young Tree, Old Growth)" in svg
        legend = html[html.index('<svg class="legend"') : html.index("</svg>", html.index('<svg class="legend"'))]
        assert "At Young Tree or above:" in legend and all(name in legend for name in RENAMED.values())
        table = html[html.index('<table class="heatmap-table"') :]
        table = table[: table.index("</table>")]
        assert "percent at Young Tree or above" in table
        assert "(Seedling / Sapling / Young Tree / Old Growth / not yet)" in table
        assert "at Young Tree or above in" in html  # the target
        assert_names(html, RENAMED.values())
    trend = client.get("/readiness?view=trend").get_data(as_text=True)
    assert "share at Young Tree or above by month" in trend and "percent at Young Tree or above" in trend
    assert_names(trend, RENAMED.values())

    steps = client.get(f"/readiness/next-steps?domain={renamed.domains[0].code}")
    assert steps.status_code == 200
    text = steps.get_data(as_text=True)
    assert "a badge in force at Seedling or Sapling" in text and "Self-assessed Seedling (shared by name)" in text
    assert_names(text, ["Seedling", "Sapling", "Old Growth"])

    domain = renamed.domains[0].code
    cell = client.get(f"/readiness/cell?school={north.id}&domain={domain}&view=self")
    assert cell.status_code == 200
    text = cell.get_data(as_text=True)
    assert "<td>Young Tree (3)</td>" in text and "<td>Old Growth (4)</td>" in text
    assert_names(text, RENAMED.values())
    csv_text = client.get(f"/readiness/cell.csv?school={north.id}&domain={domain}&view=self").get_data(as_text=True)
    assert "Young Tree (3)" in csv_text and "Experienced" not in csv_text

    page = client.get("/readiness/targets")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "75% at Young Tree or above" in text and "Young Tree (3)" in text  # the target and the form's choice
    assert_names(text, RENAMED.values())


def test_a_target_refused_names_the_frameworks_levels(renamed, make_user, district):
    leader = make_user("leader@northfield.example.org", roles=("district_leader",), professional_role=None)
    with pytest.raises(InvalidInput) as refused:
        targets.create_target(
            leader, ReadinessScope(district.id, None), renamed.domains[0].code, 75, date(2099, 6, 30), min_level=9
        )
    assert refused.value.errors["min_level"] == ["Choose a level from Seedling (1) to Old Growth (4)."]


def test_the_leadership_rubrics_names_on_a_principals_pages(rubric, make_user, auth, client, district):
    principal = make_user("pat@northfield.example.org", professional_role="principal", name="Pat Principal")
    sign_in(auth, principal)
    overview = client.get("/educator/assessment/").get_data(as_text=True)
    assert "Emerging (1) to Distinguished (4)" in overview
    assert_names(overview, RUBRIC)
    assess_as_role(principal, rubric, 4)
    for path in ("/educator/assessment/", "/educator/progress", "/educator/badges/catalogue", "/home/educator"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert_names(page.get_data(as_text=True), RUBRIC)
    assert "Now Distinguished (4)" in client.get("/educator/progress").get_data(as_text=True)


def test_the_rubrics_readiness_dashboard(rubric, make_user, auth, client):
    for i in range(5):
        assess_as_role(make_user(f"p{i}@northfield.example.org", professional_role="principal"), rubric, 1 + i % 4)
    leader = make_user("leader@northfield.example.org", roles=("district_leader",), professional_role=None)
    sign_in(auth, leader)
    html = client.get("/readiness?view=self").get_data(as_text=True)
    assert "At Effective or above:" in html and "(Emerging / Developing / Effective / Distinguished / not yet)" in html
    assert_names(html, RUBRIC)


def test_a_district_on_the_shipped_framework_still_reads_its_names(auth, client, make_user):
    sign_in(auth, make_user("tess@northfield.example.org"))
    page = client.get("/educator/assessment/").get_data(as_text=True)
    assert "Explorer (1) to Expert (4)" in page
    assert "Levels: Explorer (1), Novice (2), Experienced (3), Expert (4)." in page


def test_the_home_page_and_footer(renamed, auth, client, make_user):
    visitor = client.get("/").get_data(as_text=True)
    assert "Levels:" not in visitor  # no district, no framework: the footer names none
    assert "four levels a person grows through" in visitor
    assert_names(visitor, [])
    sign_in(auth, make_user("ann@northfield.example.org", roles=("admin",), professional_role=None))
    page = client.get("/frameworks/").get_data(as_text=True)
    assert "Levels: Seedling (1), Sapling (2), Young Tree (3), Old Growth (4)." in page


def test_a_rating_out_of_range_names_the_frameworks_levels(renamed, make_user):
    teacher = make_user("tess@northfield.example.org", name="Tess Teacher")
    draft = assessments.start_assessment(teacher)
    code = codes_for(renamed)[0]
    with pytest.raises(InvalidInput) as refused:
        assessments.rate(teacher, draft, [{"indicator": code, "level": 9, "reflection": ""}])
    assert refused.value.errors[f"ratings.{code}"] == [
        "level must be 1 (Seedling), 2 (Sapling), 3 (Young Tree) or 4 (Old Growth), not 9."
    ]
