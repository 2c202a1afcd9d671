"""Pages for validators: the review queue and decisions (stub: being built)."""

from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/validator")
