"""One transaction per request (badges.transactions): a request that changes something commits once
when it succeeds; a read, an error answer or an exception leaves the database as it was, and mail
queued by a request that did not commit is never sent. And the pages and API reads a teacher opens
leave the database exactly as it was."""

from __future__ import annotations

import logging

import pytest
from flask import abort, request
from sqlalchemy import func, select

from badges.extensions import db
from badges.mail import Mail, send_after_commit
from badges.models import District
from tests.conftest import USER_PASSWORD, make_app

ROUTE = "/test-only/write"


def _write(slug: str, status: int, fail: str) -> tuple[str, int]:
    db.session.add(District(slug=slug, name=f"District {slug}"))
    db.session.flush()  # as domain operations do: the row exists inside the transaction
    send_after_commit(db.session, Mail(to="someone@example.org", subject=f"made {slug}", body="."))
    if fail == "raise":
        raise RuntimeError("the view failed after writing")
    if fail == "abort":
        abort(409, "refused after writing")
    return "done", status


@pytest.fixture
def writing_app(database_url, app):
    """An app with one test-only route that writes a district, then answers as told."""
    test_app = make_app(database_url, WTF_CSRF_ENABLED=False)

    @test_app.route(ROUTE, methods=["GET", "POST", "PUT", "DELETE"])
    def write():
        return _write(request.args["slug"], int(request.args.get("status", 200)), request.args.get("fail", ""))

    yield test_app
    with test_app.app_context():
        db.engine.dispose()


def _districts(slug: str) -> int:
    db.session.rollback()  # read what other sessions committed
    return db.session.scalar(select(func.count(District.id)).where(District.slug == slug))


def _mails(caplog, slug: str) -> int:
    return sum(1 for r in caplog.records if r.getMessage().startswith(f"mail to someone@example.org: made {slug}"))


@pytest.mark.parametrize(
    "method, status, fail, kept",
    [
        ("POST", 200, "", True),
        ("POST", 302, "", True),
        ("PUT", 201, "", True),
        ("DELETE", 204, "", True),
        ("GET", 200, "", False),  # a read never writes, whatever the view did
        ("HEAD", 200, "", False),
        ("POST", 400, "", False),  # an error answer rolls back
        ("POST", 422, "", False),
        ("POST", 200, "abort", False),
        ("POST", 200, "raise", False),  # an exception: 500, and nothing kept
    ],
)
def test_a_request_commits_only_when_it_changes_something_and_succeeds(writing_app, caplog, method, status, fail, kept):
    slug = f"{method.lower()}-{status}-{fail or 'ok'}"
    with caplog.at_level(logging.INFO):
        response = writing_app.test_client().open(f"{ROUTE}?slug={slug}&status={status}&fail={fail}", method=method)
    expected = {"raise": 500, "abort": 409}.get(fail, status)
    assert response.status_code == expected
    assert _districts(slug) == (1 if kept else 0)
    assert _mails(caplog, slug) == (1 if kept else 0)  # mail only once the change is stored


def test_viewing_pages_never_writes(client, auth, teacher, framework):
    """Every page the teacher opens is a read: the database is unchanged byte for byte afterwards."""
    assert auth.login(teacher.email, USER_PASSWORD).status_code == 302
    before = _snapshot()
    for path in (
        "/",
        "/home/educator",
        "/educator/evidence/",
        "/educator/claims/",
        "/educator/goals/",
        "/educator/progress",
        "/educator/summary",
        "/educator/assessment/",
        "/api/v1/me",
        "/api/v1/me/badges",
        "/api/v1/me/claims",
    ):
        assert client.get(path).status_code < 500, path
    assert _snapshot() == before


def _snapshot() -> dict[str, list]:
    db.session.rollback()
    return {
        table.name: sorted(map(tuple, db.session.execute(select(table)).all()), key=repr)
        for table in db.metadata.sorted_tables
    }
