"""Educator competency badges: a Flask service. `create_app` is the only entry point."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask.cli import FlaskGroup

from .api import case as case_api
from .api import register_api
from .cli import register_cli
from .config import ConfigError, build_config
from .errors import register_error_handlers
from .extensions import csrf, db, limiter, login_manager, migrate
from .logging_setup import configure_logging
from .mail import init_mail
from .readiness import upkeep as readiness_upkeep
from .request_guards import register_request_guards
from .resources import PACKAGE_DIR, resource_dir
from .security import add_security_headers
from .transactions import init_transactions
from .web import (
    accounts,
    admin,
    assessment,
    auth,
    badge_images,
    calibration_consent,
    calibration_rounds,
    case_import,
    catalogue,
    claims,
    evidence,
    exemplars,
    framework_drafts,
    framework_events,
    frameworks,
    goals,
    holder,
    homes,
    issuers,
    ob2,
    passwords,
    people,
    people_import,
    public_badges,
    readiness,
    readiness_plans,
    reviews,
    summary,
    verify,
)
from .web import calibration_report as calibration_report_pages
from .web.bidi import isolate_bidi_output
from .web.dates import register_date_filters

__all__ = ["ConfigError", "create_app", "main"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        static_folder=str(PACKAGE_DIR / "static"),
        instance_relative_config=True,
    )
    app.config.from_mapping(build_config(app.instance_path, config))
    configure_logging(app)
    register_request_guards(app)  # first: the <int:> bound before any route, the guard before every hook
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    init_transactions(app)
    readiness_upkeep.install(db.session)  # figures kept in step with every flush that moves them
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    login_manager.init_app(app)  # badges.web.auth registers the user loader when imported
    csrf.init_app(app)
    limiter.init_app(app)
    init_mail(app)


def register_blueprints(app: Flask) -> None:
    for blueprint in (
        auth.bp,
        homes.bp,
        frameworks.bp,
        assessment.bp,
        goals.bp,
        evidence.bp,
        summary.bp,
        claims.bp,
        catalogue.bp,
        reviews.bp,
        admin.bp,
        people.bp,
        people_import.bp,
        badge_images.bp,
        issuers.bp,
        verify.bp,
        holder.bp,
        public_badges.bp,
        ob2.bp,
        readiness.bp,
        readiness_plans.bp,
        passwords.bp,
        accounts.bp,
        calibration_rounds.bp,
        calibration_report_pages.bp,
        exemplars.bp,
        calibration_consent.bp,
        framework_drafts.bp,
        case_import.bp,
        case_api.bp,
        framework_events.bp,
    ):
        app.register_blueprint(blueprint)
    register_api(app)


def register_errorhandlers(app: Flask) -> None:
    register_error_handlers(app)


def register_security(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.jinja_env.finalize = isolate_bidi_output  # names with bidi controls cannot reorder a page


def register_template_helpers(app: Flask) -> None:
    register_date_filters(app)


def register_commands(app: Flask) -> None:
    register_cli(app)


def main() -> None:
    """The `badges` script: the flask command line with this app."""
    FlaskGroup(create_app=create_app)()
