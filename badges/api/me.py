"""The signed-in person."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from .schemas import CurrentUserSchema

blp = Blueprint("me_api", __name__, url_prefix="/api/v1/me", description="The signed-in person.")


@blp.route("")
class Me(MethodView):
    decorators = [login_required]

    @blp.response(200, CurrentUserSchema)
    @blp.alt_response(401, description="Not signed in")
    def get(self):
        """Who am I: name, email, professional role, system roles, district and school."""
        return current_user
