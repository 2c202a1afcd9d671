"""API for the signed-in educator's evidence."""

from flask_smorest import Blueprint

blp = Blueprint("evidence_api", __name__, url_prefix="/api/v1/me/evidence", description="The signed-in educator's evidence.")
