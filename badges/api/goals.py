"""API for the signed-in educator's goals."""

from flask_smorest import Blueprint

blp = Blueprint("goals_api", __name__, url_prefix="/api/v1/me/goals", description="The signed-in educator's goals.")
