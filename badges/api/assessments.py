"""API for the signed-in educator's self-assessments."""

from flask_smorest import Blueprint

blp = Blueprint("assessments_api", __name__, url_prefix="/api/v1/me/assessments",
                description="The signed-in educator's self-assessments and ratings.")
