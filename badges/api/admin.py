"""API for district admins (stub: being built)."""

from flask_smorest import Blueprint

blp = Blueprint("admin_api", __name__, url_prefix="/api/v1/admin", description="Validator scopes, conflicts, audit log.")
