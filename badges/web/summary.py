"""Progress charts and the printable conference summary."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from ..access import educator_required
from ..educator.progress import TRENDS, conference_summary, progress_by_domain
from ..frameworks.levels import level_names, range_words, scale_words
from ..models import utcnow
from ..permissions import is_signed_in
from .charts import level_chart

bp = Blueprint("summary", __name__, url_prefix="/educator")


@bp.app_context_processor
def chart_helpers():
    """Charts and level names for every page: a page names levels from the framework version it is about
    (`level_names_of(framework)`), and the footer from the one the viewer's district uses."""
    return {
        "level_chart": level_chart,
        "trend_words": TRENDS,
        "level_names_of": level_names,
        "scale_words": scale_words,
        "range_words": range_words,
        "viewer_levels": viewer_levels,
    }


def viewer_levels() -> str:
    """The scale of the framework the signed-in person's district uses; "" for a visitor or no framework."""
    if not is_signed_in(current_user) or current_user.district is None:
        return ""
    return scale_words(level_names(current_user.district.framework))


@bp.get("/progress")
@educator_required
def progress():
    framework, role, domains = progress_by_domain(current_user)
    return render_template(
        "educator/progress.html", framework=framework, role=role, domains=domains, level_names=level_names(framework)
    )


@bp.get("/summary")
@educator_required
def conference():
    summary = conference_summary(current_user)
    return render_template(
        "educator/summary.html", summary=summary, now=utcnow(), level_names=level_names(summary.framework)
    )
