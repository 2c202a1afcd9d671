"""The landing page and one home page per system role."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from ..calibration.rounds import rounds_for
from ..educator.assessments import current_draft
from ..educator.progress import progress_by_domain
from ..frameworks.levels import level_names
from ..frameworks.queries import indicators_for_role
from ..models import District
from ..notifications import unread_notifications
from ..people.directory import staff_counts, staff_page
from ..permissions import (
    HOME_ROLES,
    can_curate_calibration,
    can_view_home,
    can_view_staff_of,
    landing_home,
    readiness_scope,
)
from ..readiness.cohorts import cohorts_of
from ..validation.reviews import decided_by, review_queue
from .forms import page_number
from .readiness import home_summary

bp = Blueprint("homes", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        home = landing_home(current_user)
        if home:
            return redirect(url_for("homes.role_home", home=home))
    # A signed-in person reads about the framework their district uses; a visitor about frameworks in general.
    district = current_user.district if current_user.is_authenticated else None
    return render_template("homes/index.html", framework=district.framework if district is not None else None)


@bp.get("/home/<home>")
@login_required
def role_home(home: str):
    if home not in HOME_ROLES:
        abort(404, f"There is no home page called {home!r}.")
    if not can_view_home(current_user, home):
        abort(403, f"This page is for people with the {HOME_ROLES[home].label.lower()} role.")
    district: District = current_user.district
    context = {
        "home": home,
        "district": district,
        "my_homes": [name for name in HOME_ROLES if can_view_home(current_user, name)],
    }
    framework = district.framework
    context["level_names"] = level_names(framework)
    if home == "educator" and framework is not None:
        context["framework"] = framework
        context["role"] = framework.role(current_user.professional_role) if current_user.professional_role else None
        context["applicable"] = indicators_for_role(framework, current_user.professional_role)
        if context["role"] is not None:
            context["progress"] = {p.domain.code: p for p in progress_by_domain(current_user)[2]}
            context["draft"] = current_draft(current_user)
    if home == "educator":
        context["notifications"] = unread_notifications(current_user)
        context["cohorts"] = cohorts_of(current_user)
    if home == "validator":
        context["waiting"] = len(review_queue(current_user))
        context["decisions"] = decided_by(current_user, limit=10)
        context["calibration"] = rounds_for(current_user)
        context["curates"] = can_curate_calibration(current_user, district)
    if home in ("leader", "admin") and can_view_staff_of(current_user, district):
        context["counts"] = staff_counts(district)
        context["role_names"] = {r.code: r.name for r in framework.roles} if framework else {}
    scope = readiness_scope(current_user)
    if home in ("leader", "school") and scope is not None:
        context["readiness"] = home_summary(scope)
    if home == "admin":
        context["staff"] = staff_page(district, page_number(request.args.get("page")))
    return render_template(f"homes/{home}.html", **context)


# The blueprints whose pages belong to each role home: the main menu marks that home while you are in them.
HOME_SECTIONS = {
    "educator": ("assessment", "summary", "goals", "evidence", "claims", "holder"),
    "validator": ("reviews", "calibration_rounds"),
    "leader": ("readiness", "readiness_plans", "calibration_report"),
    "school": ("readiness", "readiness_plans"),
    "admin": ("admin", "calibration_report"),
}


def aria_current(endpoint: str, section: str | tuple[str, ...] = (), **values) -> Markup:
    """` aria-current="page"` on the link to the page being shown (same endpoint and URL values),
    ` aria-current="true"` on a link to the section it is in (its blueprint or endpoint is in `section`), else nothing:
    so every menu marks where you are the same way, for eyes (style.css) and for screen readers."""
    args = request.view_args or {}
    if request.endpoint == endpoint and all(str(args.get(k)) == str(v) for k, v in values.items()):
        return Markup(' aria-current="page"')
    sections = (section,) if isinstance(section, str) else section
    if request.blueprint in sections or request.endpoint in sections:
        return Markup(' aria-current="true"')
    return Markup("")


@bp.app_context_processor
def navigation():
    def home_links() -> list[tuple[str, str]]:
        return [(name, role.label) for name, role in HOME_ROLES.items() if can_view_home(current_user, name)]

    def home_sections(home: str) -> tuple[str, ...]:
        return HOME_SECTIONS.get(home, ())

    return {"home_links": home_links, "home_sections": home_sections, "aria_current": aria_current}
