"""Pages for the educator's evidence (filled in by the evidence work)."""

from flask import Blueprint

bp = Blueprint("evidence", __name__, url_prefix="/educator/evidence")
