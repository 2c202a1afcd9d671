"""The signed-in holder's badges: downloads and sharing (stub: being built)."""

from flask_smorest import Blueprint

blp = Blueprint("holder_api", __name__, url_prefix="/api/v1/me/badges", description="The signed-in holder's badges: downloads and sharing")
