"""Addresses come from BADGES_PUBLIC_URL, never from the Host header: a client that sends
`Host: evil.example` finds that name nowhere in what the service answers (API bodies, pages' links,
headers, the credentials it signs, share links), even when the award is made during its request."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from badges.catalogue.badge_classes import role_indicators
from badges.config import ConfigError, build_config
from badges.credentials.urls import public_url
from badges.educator import evidence, goals
from badges.extensions import db
from badges.models import Award, BadgeClass
from badges.people import scope
from badges.validation import claims
from tests.conftest import SECRET, USER_PASSWORD, Browserless, RequestIsolatedClient, csrf_token_from

EVIL = "evil.example"
PUBLIC = "https://badges.example.org"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
FW = "cbe-educator-competencies/1.0"


class ForgedHostClient(RequestIsolatedClient):
    """Every request names another site in its Host header, as a request through a hostile proxy would."""

    def open(self, *args, **kwargs):
        kwargs["headers"] = {**dict(kwargs.get("headers") or {}), "Host": EVIL}
        return super().open(*args, **kwargs)


def assert_clean(response) -> str:
    body = response.get_data().decode("utf-8", "replace")
    assert response.status_code < 400, (response.status_code, body[:300])
    assert EVIL not in body
    assert all(EVIL not in value for _, value in response.headers.items()), dict(response.headers)
    return body


def jwt_payload(token: str) -> str:
    payload = token.split(".")[1]
    return base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()


@pytest.fixture
def world(app, framework, make_user, district):
    app.config["BADGES_PUBLIC_URL"] = PUBLIC
    app.test_client_class = ForgedHostClient
    educator = make_user("ed@northfield.example.org")
    validator = make_user("val@northfield.example.org", roles=("validator",))
    admin = make_user("admin@northfield.example.org", roles=("admin",), professional_role=None)
    scope.set_scope(admin, validator, [d.code for d in framework.domains], ["teacher"], [], True)
    indicator = next(i for d in framework.domains for i in d.indicators if i.code == "4.1")
    goal = goals.create_goal(educator, "delivery-operations", 3, date.today() + timedelta(days=30), "Progressions")
    item = evidence.add_file(educator, "A file", "What it shows", "a.pdf", PDF, [indicator.id])
    badge = db.session.scalar(select(BadgeClass).where(BadgeClass.name == "Delivery and Operations: Novice, Teacher"))
    claim = claims.create_claim(educator, badge.id, "It shows it.", [item.id])
    db.session.commit()
    return {
        "educator": educator.email,
        "validator": validator.email,
        "admin": admin.email,
        "goal": goal.id,
        "file": item.id,
        "claim": claim.id,
        "badge": badge.id,
        "ratings": {str(i.id): 2 for i in role_indicators(badge)},
    }


def signed_in(app, email):
    client = app.test_client()
    assert Browserless(client).login(email, USER_PASSWORD).status_code == 302
    return client


def test_an_award_made_during_a_forged_host_request_names_only_the_public_url(app, world):
    validator = signed_in(app, world["validator"])
    queue = validator.get("/api/v1/reviews/queue")
    assert PUBLIC + f"/api/v1/reviews/claims/{world['claim']}" in assert_clean(queue)
    assert_clean(validator.get(f"/api/v1/reviews/claims/{world['claim']}"))
    token = validator.get("/api/v1/me").get_json()["csrf_token"]
    decided = validator.post(
        f"/api/v1/reviews/claims/{world['claim']}/decision",
        headers={"X-CSRFToken": token},
        json={"decision": "approve", "feedback": "ok", "ratings": world["ratings"], "revision": 1},
    )
    award_id = json.loads(assert_clean(decided))["award_id"]
    award = db.session.get(Award, award_id)

    educator = signed_in(app, world["educator"])
    document = json.loads(assert_clean(educator.get(f"/educator/badges/{award_id}/credential.json")))
    assert document["issuer"]["id"] == f"{PUBLIC}/issuers/northfield"
    jwt = assert_clean(educator.get(f"/educator/badges/{award_id}/credential.jwt")).strip()
    assert EVIL not in jwt_payload(jwt) and f"{PUBLIC}/issuers/northfield" in jwt_payload(jwt)
    badge = json.loads(assert_clean(educator.get(f"/api/v1/me/badges/{award_id}")))
    assert badge["share_url"] == f"{PUBLIC}/credentials/{award.credential_uuid}"
    assert all(url.startswith(PUBLIC + "/") for url in badge["downloads"].values())
    page = assert_clean(educator.get(f"/educator/badges/{award_id}"))
    assert f"{PUBLIC}/credentials/{award.credential_uuid}" in page
    for path in (
        f"/credentials/{award.credential_uuid}",
        "/issuers/northfield",
        "/.well-known/jwks.json",
        "/issuers/northfield/status/revocation",
        f"/ob2/assertions/{award.credential_uuid}",
        "/ob2/issuers/northfield",
        f"/badge-classes/{world['badge']}/image.svg",
    ):
        assert_clean(app.test_client().get(path))


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/frameworks/",
        f"/api/v1/frameworks/{FW}",
        "/api/v1/me",
        "/api/v1/me/goals",
        "/api/v1/me/goals/{goal}",
        "/api/v1/me/evidence",
        "/api/v1/me/evidence/{file}",
        "/api/v1/me/claims",
        "/api/v1/me/claims/{claim}",
        "/api/v1/me/badge-classes",
        "/api/v1/me/awards",
        "/api/v1/me/badges",
        "/api/v1/me/progress",
        "/api/v1/me/summary",
        "/api/v1/openapi.json",
        "/home/educator",
        "/educator/goals/",
        "/educator/evidence/",
        "/educator/claims/",
        "/educator/claims/{claim}",
        f"/frameworks/{FW}",
    ],
)
def test_the_educators_api_and_pages_never_echo_the_host(app, world, path):
    assert_clean(signed_in(app, world["educator"]).get(path.format(**world)))


def test_absolute_urls_in_lists_are_the_public_ones(app, world):
    client = signed_in(app, world["educator"])
    goals_list = client.get("/api/v1/me/goals").get_json()
    assert goals_list[0]["url"] == f"{PUBLIC}/api/v1/me/goals/{world['goal']}"
    item = client.get(f"/api/v1/me/evidence/{world['file']}").get_json()
    assert item["file_url"] == f"{PUBLIC}/api/v1/me/evidence/{world['file']}/file"
    frameworks = client.get("/api/v1/frameworks/").get_json()
    assert frameworks[0]["url"] == f"{PUBLIC}/api/v1/frameworks/{FW}"


def test_redirects_stay_relative_whatever_the_host(app, world):
    anonymous = app.test_client()
    response = anonymous.get("/home/educator")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    client = signed_in(app, world["admin"])
    html = client.get("/home/admin").get_data(as_text=True)
    assert EVIL not in html
    signed_out = client.post("/logout", data={"csrf_token": csrf_token_from(html)})
    assert signed_out.headers["Location"] == "/login"


def test_public_url_works_outside_a_request(app):
    app.config["BADGES_PUBLIC_URL"] = PUBLIC + "/badges"  # mounted under a path: the prefix is part of it
    assert public_url("badge_images.image", badge_class_id=7) == f"{PUBLIC}/badges/badge-classes/7/image.svg"
    with app.test_request_context("/x", headers={"Host": EVIL}, environ_base={"SCRIPT_NAME": "/badges"}):
        assert public_url("goals_api.GoalItem", goal_id=3) == f"{PUBLIC}/badges/api/v1/me/goals/3"


def test_development_names_the_address_it_serves(tmp_path):
    served = {"FLASK_RUN_HOST": "127.0.0.1", "FLASK_RUN_PORT": "5101"}
    assert build_config(tmp_path, environ=served)["BADGES_PUBLIC_URL"] == "http://127.0.0.1:5101"
    assert build_config(tmp_path, environ={})["BADGES_PUBLIC_URL"] == "http://127.0.0.1:5000"
    chosen = {**served, "BADGES_PUBLIC_URL": "https://badges.example.org/"}
    assert build_config(tmp_path, environ=chosen)["BADGES_PUBLIC_URL"] == "https://badges.example.org"


@pytest.mark.parametrize(
    "url",
    [
        "badges.example.org",
        "ftp://badges.example.org",
        "https://",
        "http://[::1",
        "https://badges.example.org/?x=1",
        "https://badges.example.org:99999",
    ],
)
def test_a_public_url_that_is_not_an_address_refuses_to_start(tmp_path, url):
    with pytest.raises(ConfigError, match="BADGES_PUBLIC_URL"):
        build_config(tmp_path, {"ENVIRONMENT": "testing", "SECRET_KEY": SECRET}, environ={"BADGES_PUBLIC_URL": url})


def test_an_unreadable_login_limit_refuses_to_start(tmp_path):
    with pytest.raises(ConfigError, match="LOGIN_RATE_LIMIT"):
        build_config(
            tmp_path, {"ENVIRONMENT": "testing", "SECRET_KEY": SECRET}, environ={"LOGIN_RATE_LIMIT": "five a minute"}
        )


def test_make_run_on_another_port_names_that_port(monkeypatch):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    monkeypatch.delenv("BADGES_PUBLIC_URL", raising=False)
    root = Path(__file__).resolve().parent.parent
    # -n prints the commands without running them.
    dry = subprocess.run(
        ["make", "-n", "run", "PORT=5101"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    serve = next(line for line in dry.splitlines() if " run --host " in line)
    assert "BADGES_PUBLIC_URL=http://127.0.0.1:5101 " in serve and "FLASK_RUN_PORT=5101 " in serve
    assert serve.endswith("--port 5101")
