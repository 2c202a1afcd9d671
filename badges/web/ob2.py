"""Open Badges 2.0 hosted verification documents (stub: being built)."""

from flask import Blueprint

bp = Blueprint("ob2", __name__, url_prefix="/ob2")
