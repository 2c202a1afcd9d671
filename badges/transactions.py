"""One transaction per request: views and domain operations only flush; the request commits once.

A request that may change something (not GET, HEAD or OPTIONS) commits after its view returns a
response below 400; any other outcome (an error response, an exception, a read) is rolled back when
the request ends. So a GET never writes, and a view that fails halfway leaves nothing behind. Mail
queued by badges.mail is sent by the commit's after_commit hook, so it still goes out only once the
decision is stored. A view that must keep a write despite answering an error commits it itself.
"""

from __future__ import annotations

from flask import Flask, Response, request

from .extensions import db

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def commit_if_succeeded(response: Response) -> Response:
    if request.method not in READ_ONLY_METHODS and response.status_code < 400:
        db.session.commit()
    return response


def roll_back_the_rest(exc: BaseException | None) -> None:
    db.session.rollback()


def init_transactions(app: Flask) -> None:
    app.after_request(commit_if_succeeded)
    app.teardown_request(roll_back_the_rest)
