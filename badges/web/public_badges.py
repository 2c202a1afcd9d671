"""Public pages of issued badges (share links) (stub: being built)."""

from flask import Blueprint

bp = Blueprint("public_badges", __name__)
