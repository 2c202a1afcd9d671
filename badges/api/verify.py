"""Verify a badge: token, credential JSON or baked image (stub: being built)."""

from flask_smorest import Blueprint

blp = Blueprint("verify_api", __name__, url_prefix="/api/v1", description="Verify a badge: token, credential JSON or baked image")
