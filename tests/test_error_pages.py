"""Error pages in the service's own words: what happened, what to do next, a way home; the 429 page says from
when to try again. Under /api/ the answers stay the plain JSON they were."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from badges.extensions import db, limiter
from badges.models import utcnow
from tests.conftest import USER_PASSWORD, _empty_all_tables, csrf_token_from, make_app


def assert_helpful(html: str, heading: str, status: int) -> None:
    assert f"<h1>{heading}</h1>" in html
    assert "<h2>What you can do</h2>" in html
    assert 'href="/">Go to the start page</a>' in html
    assert f"Error {status}:" in html
    assert "Traceback" not in html


def test_404_says_what_happened_and_what_to_do(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert_helpful(html, "There is nothing at this address", 404)
    assert "Check the address" in html
    assert "No page, badge or file has this address." in html  # not Werkzeug's "The requested URL was not found"
    assert "requested URL" not in html


def test_403_for_a_signed_in_person_names_who_to_ask(client, auth, teacher):
    assert auth.login(teacher.email, USER_PASSWORD).status_code == 302
    response = client.get("/home/admin")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert_helpful(html, "This page is not open to you", 403)
    assert "for people with the admin role" in html and "ask your district" in html
    assert "which leads to your own pages" in html


def test_405_and_400(client):
    response = client.get("/logout")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]
    assert_helpful(response.get_data(as_text=True), "That cannot be done from this address", 405)
    response = client.post("/login", data={"email": "a@example.org", "password": "x"})  # no CSRF token
    assert response.status_code == 400
    assert_helpful(response.get_data(as_text=True), "Something in what was sent is not right", 400)


def test_api_errors_stay_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.is_json
    body = response.get_json()
    assert body["status"] == "Not Found" and set(body) == {"code", "status", "message"}
    assert "requested URL was not found" in body["message"]  # as it always was


@pytest.fixture
def strict_app(database_url):
    app = make_app(database_url, LOGIN_RATE_LIMIT="2 per minute", LOGIN_ADDRESS_RATE_LIMIT="50 per hour")
    yield app
    with app.app_context():
        db.session.remove()
        _empty_all_tables()
        limiter.reset()
        db.engine.dispose()


def test_429_says_when_to_try_again(strict_app):
    client = strict_app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    for _ in range(2):
        client.post("/login", data={"email": "guess@example.org", "password": "wrong", "csrf_token": token})
    before = utcnow()
    limited = client.post("/login", data={"email": "guess@example.org", "password": "wrong", "csrf_token": token})
    assert limited.status_code == 429
    html = limited.get_data(as_text=True)
    assert_helpful(html, "Too many tries in a short time", 429)
    wait = int(limited.headers["Retry-After"])
    stamp = html.split('You can try again from <time datetime="', 1)[1].split('"', 1)[0]
    retry_at = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
    assert abs(retry_at - (before + timedelta(seconds=wait))) < timedelta(seconds=5)
