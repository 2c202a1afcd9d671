"""Pages for the educator's badge claims (stub: being built)."""

from flask import Blueprint

bp = Blueprint("claims", __name__, url_prefix="/educator/claims")
