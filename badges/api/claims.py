"""API for the signed-in educator's badge claims (stub: being built)."""

from flask_smorest import Blueprint

blp = Blueprint("claims_api", __name__, url_prefix="/api/v1/me", description="The signed-in educator's badge claims.")
