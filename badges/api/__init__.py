"""The JSON API under /api/v1, documented by flask-smorest from its marshmallow schemas.

flask-smorest's Api keeps the OpenAPI spec of the one app it is bound to, so each app gets
its own Api (several apps live at once in tests and in a multi-app process).
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api


def register_api(app: Flask) -> Api:
    from . import frameworks, me

    api = Api(app, spec_kwargs={"info": {"description": (
        "Educator competency badges. Framework endpoints are public; others need a signed-in "
        "session. Errors are JSON: {code, status, message, errors}.")}})
    api.register_blueprint(frameworks.blp)
    api.register_blueprint(me.blp)
    app.extensions["badges_api"] = api
    return api
