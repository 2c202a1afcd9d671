"""Educator competency badges: a Flask service. `create_app` is the only entry point."""

from __future__ import annotations

from typing import Any, Mapping

from flask import Flask

from .config import ConfigError, build_config
from .resources import PACKAGE_DIR, resource_dir

__all__ = ["ConfigError", "create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(resource_dir("templates")),
                static_folder=str(PACKAGE_DIR / "static"), instance_relative_config=True)
    app.config.from_mapping(build_config(app.instance_path, config))
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from .extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    from .mail import init_mail

    init_mail(app)
    from .web import auth  # noqa: F401  (registers the Flask-Login user loader)


def register_blueprints(app: Flask) -> None:
    from .api import register_api
    from .web import (admin, assessment, auth, badge_images, claims, evidence, frameworks, goals, holder, homes,
                      issuers, ob2, public_badges, reviews, summary, verify)

    for blueprint in (auth.bp, homes.bp, frameworks.bp, assessment.bp, goals.bp, evidence.bp, summary.bp,
                      claims.bp, reviews.bp, admin.bp, badge_images.bp, issuers.bp, verify.bp, holder.bp,
                      public_badges.bp, ob2.bp):
        app.register_blueprint(blueprint)
    register_api(app)


def register_errorhandlers(app: Flask) -> None:
    from .errors import register_error_handlers

    register_error_handlers(app)


def register_security(app: Flask) -> None:
    from .security import add_security_headers
    from .web.bidi import isolate_bidi_output

    app.after_request(add_security_headers)
    app.jinja_env.finalize = isolate_bidi_output  # names with bidi controls cannot reorder a page


def register_commands(app: Flask) -> None:
    from .cli import register_cli

    register_cli(app)
