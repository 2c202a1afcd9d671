"""Revoking awarded badges (stub: being built)."""

from flask_smorest import Blueprint

blp = Blueprint("revocation_api", __name__, url_prefix="/api/v1/awards", description="Revoking awarded badges")
