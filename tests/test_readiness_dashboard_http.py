"""The readiness dashboard over HTTP: pages, CSV and API for district and school leaders, the scope
(never another school's or district's numbers), the small-cell rule and the privacy of self-assessment.

North School has 6 teachers who self-assessed (two of them share it by name) and one with an
Experienced badge; South School has 2 teachers, a cell of fewer than 5.
"""

from __future__ import annotations

import csv
import io
import re
from xml.etree import ElementTree

import pytest

from badges.extensions import db
from badges.models import District, School
from tests.conftest import USER_PASSWORD
from tests.test_readiness_upkeep import assess
from tests.validation_setup import approve, make_world

DELIVERY = "delivery-operations"


@pytest.fixture
def world(make_user, district, framework):
    world = make_world(make_user, district, framework)
    north = [world.teacher]
    for i in range(5):
        north.append(world.person(make_user, f"north{i}@northfield.example.org", school="north"))
    for i, person in enumerate(north):
        person.name = f"North Person {i}"
        person.shares_self_assessment = i in (1, 2)
        assess(person, framework, 2 if i % 2 else 3)
    for i in range(2):
        person = world.person(make_user, f"south{i}@northfield.example.org", school="south")
        person.name, person.shares_self_assessment = f"South Person {i}", True
        assess(person, framework, 4)
    validator = world.person(make_user, "val@northfield.example.org", roles=("validator",), role=None)
    world.set_scope(validator)
    approve(validator, world.claim())
    leader = make_user("leader@northfield.example.org", roles=("district_leader",), professional_role=None)
    head = make_user("head@northfield.example.org", roles=("school_leader",), professional_role=None)
    head.school = world.north
    # Another district, with its own leader and five staff of its own.
    other = District(slug="elsewhere", name="Elsewhere District", framework=framework)
    other.schools.append(School(slug="far", name="Far School"))
    db.session.add(other)
    db.session.commit()
    for i in range(5):
        person = make_user(f"far{i}@elsewhere.example.org", in_district=other, name=f"Far Person {i}")
        person.school = other.schools[0]
        person.shares_self_assessment = True
        db.session.commit()
        assess(person, framework, 1)
    make_user("boss@elsewhere.example.org", roles=("district_leader",), professional_role=None, in_district=other)
    db.session.commit()
    world.leader, world.head, world.other_school = leader, head, other.schools[0].id
    return world


def sign_in(auth, email):
    assert auth.login(email, USER_PASSWORD).status_code == 302


def csv_rows(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize("who", ["leader", "head"])
def test_the_dashboard_draws_the_heatmap_and_its_table(client, auth, world, who):
    sign_in(auth, f"{who}@northfield.example.org")
    for view in ("validated", "self", "gap"):
        page = client.get(f"/readiness?view={view}")
        html = page.get_data(as_text=True)
        assert page.status_code == 200, html[:500]
        assert '<svg class="heatmap"' in html and 'role="img"' in html and "<title" in html and "<desc" in html
        assert '<table class="heatmap-table">' in html
        assert "North School" in html
        assert ("South School" in html) == (who == "leader")  # a school leader sees their school only
        assert "cdn" not in html.lower() and "<script" not in html
    trend = client.get("/readiness?view=trend").get_data(as_text=True)
    assert '<svg class="trend"' in trend and "trend-table" in trend
    home = client.get("/home/leader" if who == "leader" else "/home/school").get_data(as_text=True)
    assert "/readiness" in home and "Readiness" in home


def test_the_small_cell_rule_holds_in_page_csv_and_api(client, auth, world):
    sign_in(auth, "leader@northfield.example.org")
    html = client.get("/readiness?view=self").get_data(as_text=True)
    assert "fewer than 5" in html
    rows = csv_rows(client.get("/readiness.csv?view=self"))
    south = [r for r in rows if r["school"] == "South School"]
    assert south and all(r["note"] == "fewer than 5" and r["staff"] == "" and r["expert"] == "" for r in south)
    north = next(r for r in rows if r["school"] == "North School" and r["domain_code"] == DELIVERY)
    assert north["staff"] == "6" and north["note"] == ""
    api = client.get("/api/v1/readiness?view=self").get_json()
    assert api["min_cell"] == 5
    south_row = next(r for r in api["rows"] if r["school_name"] == "South School")
    assert all(c["staff"] is None and c["levels"] is None and c["suppressed"] for c in south_row["cells"])
    # A role filter leaving too few people hides the participation figures too.
    rows = csv_rows(client.get(f"/readiness.csv?view=validated&school={world.south.id}&role=teacher"))
    assert {r["note"] for r in rows} == {"fewer than 5"}


def test_csv_columns(client, auth, world):
    sign_in(auth, "leader@northfield.example.org")
    rows = csv_rows(client.get("/readiness.csv"))
    assert list(rows[0]) == [
        "school",
        "domain_code",
        "domain",
        "measure",
        "staff",
        "explorer",
        "novice",
        "experienced",
        "expert",
        "not_yet_rated",
        "experienced_or_above_percent",
        "note",
    ]
    delivery = next(r for r in rows if r["school"] == "North School" and r["domain_code"] == DELIVERY)
    assert (delivery["experienced"], delivery["staff"], delivery["experienced_or_above_percent"]) == ("1", "6", "16.7")
    gap = csv_rows(client.get("/readiness.csv?view=gap"))
    assert list(gap[0])[5:9] == ["self_ahead", "matches", "self_behind", "self_assessed_no_badge"]
    trend = csv_rows(client.get("/readiness.csv?view=trend"))
    assert list(trend[0]) == [
        "school",
        "domain_code",
        "domain",
        "measure",
        "month",
        "experienced_or_above_percent",
        "note",
    ]
    assert trend, "the trend has this month's changes"


def test_a_cell_names_validated_holders_and_only_sharers_self_levels(client, auth, world):
    sign_in(auth, "leader@northfield.example.org")
    base = f"/readiness/cell?school={world.north.id}&domain={DELIVERY}"
    validated = client.get(base + "&view=validated").get_data(as_text=True)
    assert "Terry Teacher" not in validated  # renamed
    assert "North Person 0" in validated and "Experienced (3)" in validated
    assert "North Person 1" not in validated  # no badge
    for view in ("self", "gap"):
        html = client.get(f"{base}&view={view}").get_data(as_text=True)
        assert "North Person 1" in html and "North Person 2" in html  # they share
        assert "North Person 0" not in html and "North Person 3" not in html  # they do not
        assert "fewer than 5 others keep their self-assessment private" in html  # 4 of them
    rows = csv_rows(client.get(f"/readiness/cell.csv?school={world.north.id}&domain={DELIVERY}&view=self"))
    assert [r["name"] for r in rows if r["name"]] == ["North Person 1", "North Person 2"]
    api = client.get(f"/api/v1/readiness/cell?school={world.north.id}&domain={DELIVERY}&view=self").get_json()
    assert [p["name"] for p in api["people"]] == ["North Person 1", "North Person 2"] and api["private"] is None
    # South has 2 people: even sharers are not named in the self view, and the page says why.
    small = client.get(f"/readiness/cell?school={world.south.id}&domain={DELIVERY}&view=self").get_data(as_text=True)
    assert "South Person" not in small and "fewer than 5" in small
    assert "evidence" not in validated.lower().replace("evidence stays private", "")


def test_the_threshold_is_a_setting(app, client, auth, world):
    app.config["READINESS_MIN_CELL"] = 3
    sign_in(auth, "leader@northfield.example.org")
    html = client.get(f"/readiness/cell?school={world.north.id}&domain={DELIVERY}&view=self").get_data(as_text=True)
    assert "4 others keep their self-assessment private" in html
    assert client.get("/api/v1/readiness").get_json()["min_cell"] == 3
    assert "fewer than 3" in client.get("/readiness?view=self").get_data(as_text=True)  # South: 2 people


def test_a_school_leader_never_sees_another_school(client, auth, world):
    sign_in(auth, "head@northfield.example.org")
    south, far = world.south.id, world.other_school
    for school in (south, far, 999999):
        assert client.get(f"/readiness?school={school}").status_code == 404
        assert client.get(f"/readiness.csv?school={school}").status_code == 404
        assert client.get(f"/readiness/cell?school={school}&domain={DELIVERY}").status_code == 404
        assert client.get(f"/readiness/cell.csv?school={school}&domain={DELIVERY}").status_code == 404
        assert client.get(f"/api/v1/readiness?school={school}").status_code == 404
        assert client.get(f"/api/v1/readiness/cell?school={school}&domain={DELIVERY}").status_code == 404
    assert client.get(f"/readiness?school={world.north.id}").status_code == 200
    rows = csv_rows(client.get("/readiness.csv"))
    assert {r["school"] for r in rows} == {"North School"}


def test_a_leader_of_another_district_sees_none_of_this_one(client, auth, world):
    sign_in(auth, "boss@elsewhere.example.org")
    html = client.get("/readiness").get_data(as_text=True)
    assert "North School" not in html and "Far School" in html
    for path in (
        f"/readiness?school={world.north.id}",
        f"/readiness.csv?school={world.north.id}",
        f"/readiness/cell?school={world.north.id}&domain={DELIVERY}",
        f"/readiness/cell.csv?school={world.north.id}&domain={DELIVERY}",
        f"/api/v1/readiness?school={world.north.id}",
        f"/api/v1/readiness/cell?school={world.north.id}&domain={DELIVERY}",
    ):
        assert client.get(path).status_code == 404, path
    api = client.get("/api/v1/readiness").get_json()
    assert {r["school_name"] for r in api["rows"]} - {"District office"} == {"Far School"}
    everything = client.get("/readiness.csv?view=self").get_data(as_text=True)
    assert "North" not in everything and "South" not in everything


@pytest.mark.parametrize("email", ["teacher@northfield.example.org", "val@northfield.example.org"])
def test_educators_and_validators_are_refused(client, auth, world, email):
    sign_in(auth, email)
    for path in ("/readiness", "/readiness.csv", f"/readiness/cell?school={world.north.id}&domain={DELIVERY}"):
        assert client.get(path).status_code == 403
    assert client.get("/api/v1/readiness").status_code == 403
    assert client.get(f"/api/v1/readiness/cell?school={world.north.id}&domain={DELIVERY}").status_code == 403


def test_bad_filters_answer_400_with_the_message(client, auth, world):
    sign_in(auth, "leader@northfield.example.org")
    page = client.get("/readiness?view=sideways")
    assert page.status_code == 400 and "view must be one of" in page.get_data(as_text=True)
    page = client.get("/readiness?role=janitor")
    assert page.status_code == 400 and "janitor" in page.get_data(as_text=True)
    assert client.get("/readiness?school=north").status_code == 400
    assert client.get(f"/readiness/cell?school={world.north.id}&domain=nope").status_code == 400
    api = client.get("/api/v1/readiness?role=janitor")
    assert api.status_code == 400 and "role" in api.get_json()["errors"]
    assert client.get("/api/v1/readiness?view=sideways").status_code == 422


def test_every_chart_is_well_formed_svg_with_a_title(client, auth, world):
    sign_in(auth, "leader@northfield.example.org")
    for view in ("validated", "self", "gap", "trend"):
        html = client.get(f"/readiness?view={view}").get_data(as_text=True)
        charts = re.findall(r"<svg.*?</svg>", html, flags=re.S)
        assert charts, view
        for chart in charts:
            root = ElementTree.fromstring(chart)
            assert root.get("role") == "img"
            assert root.find("{http://www.w3.org/2000/svg}title") is not None


def test_hostile_query_strings_are_refused_cleanly(client, auth, world):
    sign_in(auth, "leader@northfield.example.org")
    cell = f"school={world.north.id}&domain={DELIVERY}"
    for path in (
        "/readiness?role=a%00b",
        "/readiness?view=%00",
        "/readiness?school=%00",
        "/readiness?school=99999999999",
        "/readiness?school=-1",
        "/readiness?school=%C2%B2",
        "/readiness.csv?role=%00",
        f"/readiness/cell?{cell}&view=%00",
        f"/readiness/cell?{cell}&role=%00",
        f"/readiness/cell?school={world.north.id}&domain=%00",
        f"/readiness/cell?school={world.north.id}",
        "/readiness/cell?domain=x",
        f"/readiness/cell.csv?{cell}&view=trend",
        "/api/v1/readiness?role=%00",
        "/api/v1/readiness?school=99999999999",
        f"/api/v1/readiness/cell?school={world.north.id}&domain=%00",
        f"/api/v1/readiness/cell?{cell}&view=trend",
    ):
        response = client.get(path)
        assert response.status_code in (400, 404, 422), (path, response.status_code)
