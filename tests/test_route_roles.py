"""Every route x every system role (and anonymous) -> the expected status.

The table must name every rule in the app's URL map: a new route without a row fails
`test_every_route_is_in_the_table`, so no page ships without its access rule being tested.
"""

from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash

from badges.extensions import db
from badges.models import District, SystemRole, User
from tests.conftest import csrf_token_from

PASSWORD = "a-long-enough-password"
PASSWORD_HASH = generate_password_hash(PASSWORD)  # hashed once: scrypt is slow on purpose
FW = "/frameworks/cbe-educator-competencies/1.0"
API_FW = "/api/v1/frameworks/cbe-educator-competencies/1.0"
ROLES = ["anonymous", "educator", "validator", "district_leader", "admin"]


def row(anonymous, educator, validator, district_leader, admin):
    return dict(zip(ROLES, (anonymous, educator, validator, district_leader, admin)))


EVERYONE_200 = row(200, 200, 200, 200, 200)

# (endpoint, method, path) -> expected status per role
TABLE = {
    ("homes.index", "GET", "/"): row(200, 302, 302, 302, 302),
    ("auth.login", "GET", "/login"): row(200, 302, 302, 302, 302),
    ("auth.login", "POST", "/login"): row(400, 302, 302, 302, 302),
    ("auth.logout", "POST", "/logout"): row(302, 302, 302, 302, 302),
    ("homes.role_home", "GET", "/home/educator"): row(302, 200, 403, 403, 403),
    ("homes.role_home", "GET", "/home/validator"): row(302, 403, 200, 403, 403),
    ("homes.role_home", "GET", "/home/leader"): row(302, 403, 403, 200, 403),
    ("homes.role_home", "GET", "/home/admin"): row(302, 403, 403, 403, 200),
    ("homes.role_home", "GET", "/home/nobody"): row(302, 404, 404, 404, 404),
    ("frameworks.index", "GET", "/frameworks/"): EVERYONE_200,
    ("frameworks.show", "GET", FW): EVERYONE_200,
    ("frameworks.show", "GET", "/frameworks/cbe-educator-competencies/9.9"): row(404, 404, 404, 404, 404),
    ("frameworks.domain", "GET", FW + "/domains/delivery-operations"): EVERYONE_200,
    ("frameworks.domain", "GET", FW + "/domains/nope"): row(404, 404, 404, 404, 404),
    ("frameworks_api.FrameworkList", "GET", "/api/v1/frameworks/"): EVERYONE_200,
    ("frameworks_api.FrameworkVersion", "GET", API_FW): EVERYONE_200,
    ("me_api.Me", "GET", "/api/v1/me"): row(401, 200, 200, 200, 200),
    ("api-docs.openapi_json", "GET", "/api/v1/openapi.json"): EVERYONE_200,
    ("static", "GET", "/static/style.css"): EVERYONE_200,
}

CASES = [(endpoint, method, path, role, status)
         for (endpoint, method, path), statuses in TABLE.items()
         for role, status in statuses.items()]


@pytest.fixture
def people(app, framework):
    district = District(slug="table", name="Table District", framework=framework)
    db.session.add(district)
    users = {}
    for role in SystemRole:
        user = User(district=district, email=f"{role.value}@table.example.org", name=role.label,
                    professional_role="teacher")
        user.password_hash = PASSWORD_HASH
        user.set_system_roles({role})
        db.session.add(user)
        users[role.value] = user
    db.session.commit()
    return users


def _request(client, auth, role, method, path):
    if role != "anonymous":
        assert auth.login(f"{role}@table.example.org", PASSWORD).status_code == 302
    if method == "GET":
        return client.get(path)
    # A real form post: the token comes from a page the person would have in front of them.
    page = client.get("/login" if role == "anonymous" else "/frameworks/").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page)}
    if path == "/login":
        data.update(email="nobody@table.example.org")  # no password: the form is invalid
    return client.post(path, data=data)


@pytest.mark.parametrize("endpoint,method,path,role,status", CASES,
                         ids=[f"{m} {p} as {r}" for _, m, p, r, _ in CASES])
def test_route_answers_role_with_expected_status(client, auth, people, endpoint, method, path, role, status):
    response = _request(client, auth, role, method, path)
    body = response.get_data(as_text=True)
    response.close()
    assert response.status_code == status, body[body.find("<main"):][:400]


def test_every_route_is_in_the_table(app):
    covered = {(endpoint, method) for endpoint, method, _ in TABLE}
    missing = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (rule.endpoint, method) not in covered:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "routes without a row in the role table: " + ", ".join(missing)
