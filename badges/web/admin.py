"""Pages for district admins: validator scopes, conflicts of interest, the audit log (stub: being built)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
