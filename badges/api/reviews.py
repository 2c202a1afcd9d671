"""API for validators (stub: being built)."""

from flask_smorest import Blueprint

blp = Blueprint("reviews_api", __name__, url_prefix="/api/v1/reviews", description="Validators' review queue and decisions.")
