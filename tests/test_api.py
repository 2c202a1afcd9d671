"""The JSON API under /api/v1: public frameworks, the signed-in person, the OpenAPI document,
and errors that are always JSON."""

from __future__ import annotations

import json

import pytest

from badges.extensions import db
from badges.models import District, SystemRole, User

SLUG = "cbe-educator-competencies"
PASSWORD = "a long enough password 4 tests"


def make_educator(framework, email="ed@example.org", **fields) -> User:
    district = District(slug="riverside", name="Riverside District", framework=framework)
    user = User(district=district, email=email, name="Ed Ucator", professional_role="teacher", **fields)
    user.set_password(PASSWORD)
    user.set_system_roles({SystemRole.EDUCATOR})
    db.session.add(user)
    db.session.commit()
    return user


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:200]
    body = response.get_json()
    assert body["code"] == status
    assert isinstance(body["status"], str) and body["status"]
    assert isinstance(body["message"], str) and body["message"]
    assert "<html" not in response.get_data(as_text=True).lower()
    return body


def test_framework_list_is_public_and_links_each_version(client, framework):
    response = client.get("/api/v1/frameworks/")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    [item] = response.get_json()
    assert item["slug"] == SLUG and item["version"] == "1.0"
    assert item["title"] == "Competencies for Competency Education"
    assert item["url"] == f"http://127.0.0.1:5000/api/v1/frameworks/{SLUG}/1.0"  # BADGES_PUBLIC_URL, not the Host
    assert client.get(item["url"]).status_code == 200  # public: no cookie needed on the public host


def test_framework_list_is_empty_before_any_load(client, app):
    response = client.get("/api/v1/frameworks/")
    assert response.status_code == 200
    assert response.get_json() == []


def test_framework_version_has_levels_roles_domains_and_indicators(client, framework):
    response = client.get(f"/api/v1/frameworks/{SLUG}/1.0")
    assert response.status_code == 200
    body = response.get_json()
    assert [(lv["value"], lv["name"]) for lv in body["levels"]] == [
        (1, "Explorer"),
        (2, "Novice"),
        (3, "Experienced"),
        (4, "Expert"),
    ]
    assert body["levels"][0]["descriptor"] == (
        "I\u2019m becoming familiar with the concepts, implications, and design choices."
    )
    assert [r["code"] for r in body["roles"]] == ["state-staff", "district-staff", "school-leader", "teacher"]
    assert len(body["domains"]) == 9
    assert body["domains"][0]["name"] == "Engagement and Communication"
    assert body["domains"][8]["name"] == "Adaptive Leadership and Change Management"
    assert [d["position"] for d in body["domains"]] == list(range(1, 10))
    first = body["domains"][0]["indicators"][0]
    assert first == {
        "code": "1.1",
        "position": 1,
        "text": "What is competency education?",
        "roles": ["state-staff", "district-staff", "school-leader", "teacher"],
    }
    for domain in body["domains"]:
        assert domain["indicators"]
        for indicator in domain["indicators"]:
            assert indicator["roles"] and set(indicator["roles"]) <= {r["code"] for r in body["roles"]}
    assert "content_hash" not in body and "id" not in body


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/frameworks/{SLUG}/9.9",
        "/api/v1/frameworks/no-such-framework/1.0",
    ],
)
def test_unknown_framework_version_is_a_json_404(client, framework, path):
    body = assert_json_error(client.get(path), 404)
    assert body["status"] == "Not Found"
    assert "No framework" in body["message"]


def test_me_needs_a_signed_in_session(client, app):
    body = assert_json_error(client.get("/api/v1/me"), 401)
    assert "Sign in" in body["message"]


def test_me_after_signing_in(client, auth, framework):
    user = make_educator(framework)
    assert auth.login("ed@example.org", PASSWORD).status_code == 302
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == user.id
    assert body["email"] == "ed@example.org"
    assert body["name"] == "Ed Ucator"
    assert body["professional_role"] == "teacher"
    assert body["system_roles"] == ["educator"]
    assert body["district"] == {"slug": "riverside", "name": "Riverside District"}
    assert body["school"] is None
    assert "password_hash" not in body
    assert response.headers["Cache-Control"] == "no-store"


def test_openapi_document_is_generated_from_the_schemas(client, app):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.get_data(as_text=True))
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Educator competency badges"
    paths = document["paths"]
    assert "/api/v1/frameworks/" in paths
    assert "/api/v1/frameworks/{slug}/{version}" in paths
    assert "/api/v1/me" in paths
    assert set(paths["/api/v1/frameworks/"]) >= {"get"}
    schemas = document["components"]["schemas"]
    for name in ("Framework", "FrameworkSummary", "Level", "ProfessionalRole", "Domain", "Indicator", "CurrentUser"):
        assert name in schemas, sorted(schemas)
    assert set(schemas["Level"]["properties"]) == {"value", "code", "name", "descriptor"}
    assert {"levels", "roles", "domains", "url"} <= set(schemas["Framework"]["properties"])
    assert {"email", "system_roles"} <= set(schemas["CurrentUser"]["properties"])
    ok = paths["/api/v1/frameworks/{slug}/{version}"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Framework"}


def test_unknown_api_path_is_a_json_404(client, app):
    assert_json_error(client.get("/api/v1/nope"), 404)


@pytest.mark.parametrize("path", ["/api/v1/frameworks/", f"/api/v1/frameworks/{SLUG}/1.0", "/api/v1/me"])
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_wrong_method_on_a_read_only_path_is_a_json_405(client, framework, method, path):
    # Routing refuses the method before CSRF protection looks at the request.
    response = getattr(client, method)(path, json={})
    body = assert_json_error(response, 405)
    assert body["status"] == "Method Not Allowed"
    assert "GET" in response.headers["Allow"]
