"""The JSON API under /api/v1, documented by flask-smorest from its marshmallow schemas.

flask-smorest's Api keeps the OpenAPI spec of the one app it is bound to, so each app gets
its own Api (several apps live at once in tests and in a multi-app process).
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from . import (
    accounts,
    admin,
    assessments,
    calibration_report,
    calibration_rounds,
    claims,
    evidence,
    exemplars,
    framework_events,
    frameworks,
    goals,
    holder,
    me,
    people,
    readiness,
    readiness_plans,
    reviews,
    revocation,
    verify,
)


def register_api(app: Flask) -> Api:
    api = Api(
        app,
        spec_kwargs={
            "info": {
                "description": (
                    "Educator competency badges. Framework endpoints are public; others need a signed-in "
                    "session; requests that change something also send the header X-CSRFToken with the "
                    "csrf_token that GET /api/v1/me returns. Errors are JSON: {code, status, message, errors}."
                )
            }
        },
    )
    api.register_blueprint(frameworks.blp)
    for blueprint in (
        me.blp,
        assessments.blp,
        goals.blp,
        evidence.blp,
        claims.blp,
        reviews.blp,
        admin.blp,
        people.blp,
        verify.blp,
        holder.blp,
        revocation.blp,
        readiness.blp,
        readiness_plans.blp,
        readiness_plans.me_blp,
        accounts.blp,
        accounts.me_blp,
        calibration_rounds.blp,
        calibration_report.blp,
        exemplars.blp,
        exemplars.consent_blp,
        framework_events.blp,
    ):
        api.register_blueprint(blueprint)
    app.extensions["badges_api"] = api
    return api
