"""The educator's badge catalogue: every badge of their role, by domain and level, with their state and
a way to claim each (badges.validation.catalogue reads it)."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..access import acting_user, educator_required
from ..educator.common import framework_and_role
from ..validation.catalogue import my_catalogue

bp = Blueprint("catalogue", __name__, url_prefix="/educator/badges")


@bp.get("/catalogue")
@educator_required
def index():
    me = acting_user()
    framework, role = framework_and_role(me)
    return render_template("educator/badges/catalogue.html", framework=framework, role=role, domains=my_catalogue(me))
