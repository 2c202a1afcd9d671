"""Pages for the educator's goals (filled in by the goals work)."""

from flask import Blueprint

bp = Blueprint("goals", __name__, url_prefix="/educator/goals")
