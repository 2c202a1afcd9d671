"""The framework browser: public, because a competency framework is meant to be read by all."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from ..frameworks.queries import get_framework, indicators_for_role, list_frameworks

bp = Blueprint("frameworks", __name__, url_prefix="/frameworks")


def _viewer_role() -> str | None:
    return current_user.professional_role if current_user.is_authenticated else None


@bp.get("/")
def index():
    return render_template("frameworks/index.html", frameworks=list_frameworks())


@bp.get("/<slug>/<version>")
def show(slug: str, version: str):
    framework = get_framework(slug, version) or abort(404, f"No framework {slug} version {version}.")
    role = _viewer_role()
    return render_template(
        "frameworks/show.html",
        framework=framework,
        viewer_role=framework.role(role) if role else None,
        applicable=indicators_for_role(framework, role),
    )


@bp.get("/<slug>/<version>/domains/<code>")
def domain(slug: str, version: str, code: str):
    framework = get_framework(slug, version) or abort(404, f"No framework {slug} version {version}.")
    found = next((d for d in framework.domains if d.code == code), None) or abort(
        404, f"Framework {slug} {version} has no domain {code}."
    )
    role = _viewer_role()
    index = framework.domains.index(found)
    return render_template(
        "frameworks/domain.html",
        framework=framework,
        domain=found,
        previous=framework.domains[index - 1] if index > 0 else None,
        next=framework.domains[index + 1] if index + 1 < len(framework.domains) else None,
        viewer_role=framework.role(role) if role else None,
        applicable={ind.id for ind in indicators_for_role(framework, role)[found.id]},
    )
