"""Progress charts and the printable conference summary."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from ..access import educator_required
from ..educator.progress import TRENDS, conference_summary, progress_by_domain
from ..models import utcnow
from .charts import LEVEL_NAMES, level_chart

bp = Blueprint("summary", __name__, url_prefix="/educator")


@bp.app_context_processor
def chart_helpers():
    return {"level_chart": level_chart, "level_names": LEVEL_NAMES, "trend_words": TRENDS}


@bp.get("/progress")
@educator_required
def progress():
    framework, role, domains = progress_by_domain(current_user)
    return render_template("educator/progress.html", framework=framework, role=role, domains=domains)


@bp.get("/summary")
@educator_required
def conference():
    return render_template("educator/summary.html", summary=conference_summary(current_user), now=utcnow())
